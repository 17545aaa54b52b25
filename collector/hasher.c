/*
 * The --hash-exe thread (hasher.h): jobs in, digests out, two lists under
 * one mutex; a direct-mapped cache of digests by identity.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "hasher.h"
#include "service.h"
#include "sha256.h"

#define CACHE_SLOTS 4096

struct job {
	int64_t id;
	pid_t pid;
	struct file_ident ident;
	char path[4096];
};

struct done {
	int64_t id;
	char hex[65];
};

struct slot {
	struct file_ident ident;
	bool used;
	char hex[65];
};

struct hasher {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	bool busy;			/* a job is being hashed */
	pthread_cond_t idle;		/* no job waiting or being hashed */
	uint64_t max_bytes;
	struct job *jobs;		/* HASHER_JOBS, a ring */
	size_t job_head, job_n;
	struct done *done;		/* HASHER_JOBS, a ring */
	size_t done_head, done_n;
	struct slot *cache;		/* CACHE_SLOTS; the thread's only */
	struct hasher_stats stats;
};

static int64_t
ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

static bool
same(const struct stat *st, const struct file_ident *id)
{
	return S_ISREG(st->st_mode) && (uint64_t)st->st_dev == id->dev &&
	    (uint64_t)st->st_ino == id->ino &&
	    (uint64_t)st->st_size == id->size &&
	    ts_ns(&st->st_mtim) == id->mtime && ts_ns(&st->st_ctim) == id->ctime;
}

static struct slot *
slot_of(struct hasher *h, const struct file_ident *id)
{
	uint64_t k = id->dev * 0x9e3779b97f4a7c15ULL ^ id->ino ^
	    (uint64_t)id->ctime * 31 ^ id->size;

	return &h->cache[k % CACHE_SLOTS];
}

/*
 * Open the file of job j for reading, if it has its identity: through the
 * process, else by its path.  Each is first opened O_PATH, which opens
 * nothing (a path swapped for a device or a FIFO meanwhile is not
 * touched: opening some devices acts), and only a regular file with the
 * identity recorded is then opened for reading, through that descriptor.
 * Returns an fd or -1.
 */
static int
open_same(const struct job *j)
{
	char proc[32], self[40];
	struct stat st;
	int pfd, fd, i;

	snprintf(proc, sizeof(proc), "/proc/%d/exe", (int)j->pid);
	for (i = 0; i < 2; i++) {
		pfd = open(i == 0 ? proc : j->path, O_PATH | O_CLOEXEC);
		if (pfd < 0)
			continue;
		fd = -1;
		if (fstat(pfd, &st) == 0 && same(&st, &j->ident)) {
			snprintf(self, sizeof(self), "/proc/self/fd/%d", pfd);
			fd = open(self, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		}
		close(pfd);
		if (fd >= 0 && fstat(fd, &st) == 0 && same(&st, &j->ident))
			return fd;
		if (fd >= 0)
			close(fd);
	}
	return -1;
}

/* The digest of job j into hex: 0, or -errno. */
static int
hash_job(struct hasher *h, const struct job *j, char hex[65])
{
	uint8_t md[32];
	struct stat st;
	int fd, r;

	if (h->max_bytes && j->ident.size > h->max_bytes)
		return -EFBIG;
	fd = open_same(j);
	if (fd < 0)
		return -ENOENT;
	r = pt_sha256_fd(fd, md, h->max_bytes);
	/* unchanged while it was read? */
	if (r == 0 && (fstat(fd, &st) < 0 || !same(&st, &j->ident)))
		r = -ESTALE;
	close(fd);
	if (r == 0)
		pt_sha256_hex(md, hex);
	return r;
}

static void *
hasher_thread(void *arg)
{
	struct hasher *h = arg;
	struct job j;
	struct slot *s;
	char hex[65];
	int r;

	/* opening another user's /proc/PID/exe needs CAP_SYS_PTRACE; nothing
	 * else (a binary root cannot read without CAP_DAC_* is not hashed) */
	pthread_setname_np(pthread_self(), "pt-hasher");
	(void)service_restrict_caps(CAPS_READER);
	pthread_mutex_lock(&h->lock);
	for (;;) {
		while (!h->stop && h->job_n == 0)
			pthread_cond_wait(&h->cond, &h->lock);
		if (h->stop)
			break;
		j = h->jobs[h->job_head];
		h->job_head = (h->job_head + 1) % HASHER_JOBS;
		h->job_n--;
		h->busy = true;
		pthread_mutex_unlock(&h->lock);

		s = slot_of(h, &j.ident);
		if (s->used && memcmp(&s->ident, &j.ident,
		    sizeof(j.ident)) == 0) {
			memcpy(hex, s->hex, sizeof(hex));
			r = 1;
		} else {
			r = hash_job(h, &j, hex);
			if (r == 0) {
				s->ident = j.ident;
				memcpy(s->hex, hex, sizeof(hex));
				s->used = true;
			}
		}

		pthread_mutex_lock(&h->lock);
		if (r < 0) {
			h->stats.failed++;
		} else if (h->done_n == HASHER_JOBS) {
			h->stats.dropped++;	/* the writer is not taking */
		} else {
			struct done *d = &h->done[(h->done_head + h->done_n) %
			    HASHER_JOBS];

			d->id = j.id;
			memcpy(d->hex, hex, sizeof(d->hex));
			h->done_n++;
			if (r == 1)
				h->stats.cached++;
			else
				h->stats.hashed++;
		}
		h->busy = false;
		if (h->job_n == 0)
			pthread_cond_broadcast(&h->idle);
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

int
hasher_start(uint64_t max_bytes, struct hasher **ret)
{
	struct hasher *h;
	int r;

	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->max_bytes = max_bytes;
	h->jobs = calloc(HASHER_JOBS, sizeof(*h->jobs));
	h->done = calloc(HASHER_JOBS, sizeof(*h->done));
	h->cache = calloc(CACHE_SLOTS, sizeof(*h->cache));
	if (!h->jobs || !h->done || !h->cache) {
		r = -ENOMEM;
		goto fail;
	}
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->cond, NULL);
	pthread_cond_init(&h->idle, NULL);
	r = -pthread_create(&h->thread, NULL, hasher_thread, h);
	if (r == 0) {
		*ret = h;
		return 0;
	}
	pthread_cond_destroy(&h->idle);
	pthread_cond_destroy(&h->cond);
	pthread_mutex_destroy(&h->lock);
fail:
	free(h->jobs);
	free(h->done);
	free(h->cache);
	free(h);
	return r;
}

void
hasher_stop(struct hasher *h)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	h->stop = true;
	pthread_cond_signal(&h->cond);
	pthread_mutex_unlock(&h->lock);
	pthread_join(h->thread, NULL);
	pthread_cond_destroy(&h->idle);
	pthread_cond_destroy(&h->cond);
	pthread_mutex_destroy(&h->lock);
	free(h->jobs);
	free(h->done);
	free(h->cache);
	free(h);
}

void
hasher_submit(struct hasher *h, int64_t id, pid_t pid, const char *path,
    size_t len, const struct file_ident *ident)
{
	struct job *j;

	pthread_mutex_lock(&h->lock);
	if (h->job_n == HASHER_JOBS || len >= sizeof(j->path)) {
		h->stats.dropped++;
	} else {
		j = &h->jobs[(h->job_head + h->job_n) % HASHER_JOBS];
		j->id = id;
		j->pid = pid;
		j->ident = *ident;
		memcpy(j->path, path, len);
		j->path[len] = '\0';
		h->job_n++;
		pthread_cond_signal(&h->cond);
	}
	pthread_mutex_unlock(&h->lock);
}

int
hasher_drain(struct hasher *h, int timeout_ms)
{
	struct timespec until;
	int r = 0;

	clock_deadline(CLOCK_REALTIME, timeout_ms, &until);
	pthread_mutex_lock(&h->lock);
	while (r == 0 && (h->job_n > 0 || h->busy))
		r = pthread_cond_timedwait(&h->idle, &h->lock, &until);
	pthread_mutex_unlock(&h->lock);
	return r == 0 ? 0 : -ETIMEDOUT;
}

int
hasher_take(struct hasher *h, int64_t *ret_id, char hex[65])
{
	int got = 0;

	pthread_mutex_lock(&h->lock);
	if (h->done_n > 0) {
		*ret_id = h->done[h->done_head].id;
		memcpy(hex, h->done[h->done_head].hex, 65);
		h->done_head = (h->done_head + 1) % HASHER_JOBS;
		h->done_n--;
		got = 1;
	}
	pthread_mutex_unlock(&h->lock);
	return got;
}

void
hasher_stats(struct hasher *h, struct hasher_stats *ret)
{
	pthread_mutex_lock(&h->lock);
	*ret = h->stats;
	pthread_mutex_unlock(&h->lock);
}
