/*
 * Start-up snapshot of /proc.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "record.h"
#include "snapshot.h"

#define SNAP_MAX_TIDS	65536
#define SNAP_STR_EXTRA	(3 * 4096)	/* exe, cwd, cgroup */

static int
numeric(const char *s, int32_t *ret)
{
	long v = 0;

	if (!*s)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 1 << 24)
			return 0;
		v = v * 10 + (*s - '0');
	}
	*ret = (int32_t)v;
	return v > 0;
}

/* Thread ids of tgid other than tgid itself; returns how many. */
static uint32_t
list_tids(int32_t tgid, int32_t *tids, uint32_t max)
{
	char path[48];
	struct dirent *de;
	uint32_t n = 0;
	int32_t tid;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)tgid);
	d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d)) && n < max)
		if (numeric(de->d_name, &tid) && tid != tgid)
			tids[n++] = tid;
	closedir(d);
	return n;
}

static uint64_t
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int
snapshot_run(struct queue *q, size_t argv_max, const struct redactor *redact,
    struct snapshot_stats *ret)
{
	size_t scratch_size = 2 * argv_max + 8;
	char *scratch = NULL;
	struct snapshot_stats stats = { 0 };
	struct rec_snap *s;
	struct pt_capture cap;
	struct dirent *de;
	int32_t tgid, *tids;
	uint32_t ntids;
	size_t room, used;
	DIR *d;
	char *p;

	tids = malloc(SNAP_MAX_TIDS * sizeof(*tids));
	if (redact)
		scratch = malloc(scratch_size);
	if (!tids || (redact && !scratch)) {
		free(tids);
		free(scratch);
		return -ENOMEM;
	}
	d = opendir("/proc");
	if (!d) {
		free(tids);
		free(scratch);
		return -errno;
	}
	while ((de = readdir(d))) {
		if (!numeric(de->d_name, &tgid))
			continue;
		ntids = list_tids(tgid, tids, SNAP_MAX_TIDS);
		room = sizeof(*s) + ntids * sizeof(int32_t) + argv_max +
		    SNAP_STR_EXTRA;
		s = queue_reserve(q, REC_SNAP, room);
		if (!s) {
			stats.dropped++;
			continue;
		}
		memset(&cap, 0, sizeof(cap));
		cap.flags = PT_CAP_SNAPSHOT;
		p = rec_snap_data(s, ntids);
		used = procfs_capture(tgid, 0, argv_max, &cap, p,
		    argv_max + SNAP_STR_EXTRA);
		if (!(cap.flags & PT_CAP_VERIFIED)) {
			stats.vanished++;	/* reserved, never committed */
			continue;
		}
		if (redact)
			used = redact_capture(redact, &cap, p, used,
			    argv_max + SNAP_STR_EXTRA, scratch, scratch_size);
		s->tgid = tgid;
		s->ntids = ntids;
		s->mono = mono_now();
		s->cap = cap;
		memcpy(s + 1, tids, ntids * sizeof(int32_t));
		queue_commit(q, sizeof(*s) + ntids * sizeof(int32_t) + used,
		    false);
		stats.processes++;
	}
	closedir(d);
	free(tids);
	free(scratch);
	if (!queue_reserve(q, REC_SNAP_DONE, 0))
		return -ENOBUFS;
	queue_commit(q, 0, true);
	*ret = stats;
	return 0;
}
