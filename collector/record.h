#ifndef PT_RECORD_H
#define PT_RECORD_H
/*
 * Records passed from the reader (and the start-up snapshot) to the writer
 * through the queue.  Every record is a fixed struct followed, for captures,
 * by the captured strings (argv, exe, cwd, cgroup, lengths in the capture).
 */
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "procfs.h"

enum rec_kind {
	REC_EVENT = 1,	/* struct rec_event */
	REC_EXEC,	/* struct rec_exec + strings */
	REC_SNAP,	/* struct rec_snap + tids + strings */
	REC_GAP,	/* struct rec_gap */
	REC_SNAP_DONE,	/* no payload: the snapshot is complete */
	REC_STOP,	/* no payload: the reader stopped; flush and exit */
	REC_CLOCK,	/* struct rec_clock: the clocks moved */
};

/*
 * CLOCK_BOOTTIME and the wall clock against CLOCK_MONOTONIC (the clock of
 * event timestamps): a suspend moves both, setting the time the wall
 * clock.  The offsets hold for the events after this record.
 */
struct rec_clock {
	int64_t boot_offset;	/* CLOCK_BOOTTIME - CLOCK_MONOTONIC, ns */
	int64_t mono_offset;	/* CLOCK_REALTIME - CLOCK_MONOTONIC, ns */
	uint64_t mono;		/* CLOCK_MONOTONIC ns when they were read */
};

struct rec_event {
	struct pt_event ev;
};

/* An EXEC event with what was read of /proc at once. */
struct rec_exec {
	struct pt_event ev;
	struct pt_capture cap;
	/* char data[cap.argv_len + exe_len + cwd_len + cgroup_len] */
};

/* A process found running by the snapshot. */
struct rec_snap {
	int32_t tgid;
	uint32_t ntids;		/* other threads, int32_t each, after this */
	uint64_t mono;		/* CLOCK_MONOTONIC ns when it was read */
	struct pt_capture cap;
	/* int32_t tids[ntids]; then the strings */
};

struct rec_gap {
	uint32_t kind;		/* enum pt_gap_kind */
	int32_t cpu;		/* GAP_SEQ: the CPU; else -1 */
	uint64_t count;		/* events lost */
	uint64_t start;		/* CLOCK_MONOTONIC ns: first moment of the loss */
	uint64_t end;		/* CLOCK_MONOTONIC ns: last moment */
};
/*
 * Typed views of a record as the queue hands it over (kind, rec, len
 * bytes): NULL when len does not fit the kind, a malformed record (the
 * writer counts it as a 'malformed' gap).  The strings of a capture follow
 * its fixed part: argv, exe, cwd, cgroup, lengths in the capture.
 */
static inline size_t
rec_capture_len(const struct pt_capture *c)
{
	return (size_t)c->argv_len + c->exe_len + c->cwd_len + c->cgroup_len;
}

static inline const struct rec_event *
rec_event_of(const void *rec, size_t len)
{
	return len == sizeof(struct rec_event) ? rec : NULL;
}

static inline const struct rec_gap *
rec_gap_of(const void *rec, size_t len)
{
	return len == sizeof(struct rec_gap) ? rec : NULL;
}

static inline const struct rec_clock *
rec_clock_of(const void *rec, size_t len)
{
	return len == sizeof(struct rec_clock) ? rec : NULL;
}

/* An exec record, its strings in *ret_data. */
static inline const struct rec_exec *
rec_exec_of(const void *rec, size_t len, const char **ret_data)
{
	const struct rec_exec *x = rec;

	if (len < sizeof(*x) || len - sizeof(*x) < rec_capture_len(&x->cap))
		return NULL;
	*ret_data = (const char *)(x + 1);
	return x;
}

/* A snapshot record, its thread ids in *ret_tids, its strings in
 * *ret_data. */
static inline const struct rec_snap *
rec_snap_of(const void *rec, size_t len, const int32_t **ret_tids,
    const char **ret_data)
{
	const struct rec_snap *s = rec;
	size_t rest;

	if (len < sizeof(*s))
		return NULL;
	rest = len - sizeof(*s);
	if (s->ntids > rest / sizeof(int32_t) ||
	    rest - s->ntids * sizeof(int32_t) < rec_capture_len(&s->cap))
		return NULL;
	*ret_tids = (const int32_t *)(s + 1);
	*ret_data = (const char *)(*ret_tids + s->ntids);
	return s;
}

/* Where a capture's strings go in a record being filled. */
static inline char *
rec_exec_data(struct rec_exec *x)
{
	return (char *)(x + 1);
}

static inline char *
rec_snap_data(struct rec_snap *s, uint32_t ntids)
{
	return (char *)((int32_t *)(s + 1) + ntids);
}
#endif
