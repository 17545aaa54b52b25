/*
 * Checkpointer thread.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "checkpoint.h"
#include "clock.h"
#include "db.h"
#include "service.h"

struct ckpt {
	sqlite3 *db;		/* the checkpointer's own connection */
	sqlite3 *writer_db;	/* hooked */
	pthread_t th;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;		/* under lock */
	bool wake;		/* under lock: the WAL passed the threshold */
	int interval_ms;
	int pages;		/* threshold */
	struct ckpt_stats stats;	/* written by the thread only */
	int last_log, last_done;	/* the previous run's WAL frames */
	uint64_t writer_runs;	/* written by the writer's WAL hook only */
	int writer_max;		/* same: most WAL frames after a commit */
};

/* WAL size, in thresholds, past which the writer checkpoints too. */
#define WRITER_FACTOR 4

static uint64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000ull + (uint64_t)ts.tv_nsec / 1000;
}

/* Called by SQLite in the writer thread after each commit. */
static int
wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct ckpt *c = arg;
	int log = 0, done = 0, rc;

	if (frames > c->writer_max)
		c->writer_max = frames;
	if (frames >= c->pages) {
		pthread_mutex_lock(&c->lock);
		c->wake = true;
		pthread_cond_signal(&c->cond);
		pthread_mutex_unlock(&c->lock);
	}
	/*
	 * The WAL starts over from its beginning only when a write
	 * transaction begins with every frame already copied back.  Under
	 * steady ingest the writer begins its next batch before the
	 * checkpointer has caught up, every time, so the WAL would grow for
	 * as long as the storm lasts (640 MB in a replayed one).  Past
	 * WRITER_FACTOR times the threshold, the writer copies the frames
	 * the checkpointer has not reached yet (PASSIVE: never waits; busy
	 * when the checkpointer is at it, then next commit), so that its
	 * next transaction restarts the WAL.
	 */
	if (frames >= c->pages * WRITER_FACTOR) {
		rc = sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE,
		    &log, &done);
		if (rc == SQLITE_OK)
			c->writer_runs++;
	}
	return SQLITE_OK;
}

static void
run_once(struct ckpt *c)
{
	uint64_t t0 = mono_us(), us;
	int log = 0, done = 0, rc;

	rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
	    &log, &done);
	us = mono_us() - t0;
	c->stats.runs++;
	if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
		c->stats.error = db_errno(c->db, rc);
		return;
	}
	c->stats.error = 0;
	/* done counts every backfilled frame of the WAL, including those an
	 * earlier run copied, until the WAL restarts at its start */
	if (log < c->last_log || done < c->last_done)
		c->last_done = 0;
	if (done > c->last_done)
		c->stats.pages += (uint64_t)(done - c->last_done);
	c->last_log = log;
	c->last_done = done;
	if (log > c->stats.max_wal)
		c->stats.max_wal = log;
	if (us > c->stats.max_us)
		c->stats.max_us = us;
}

static void *
ckpt_main(void *arg)
{
	struct ckpt *c = arg;
	struct timespec ts;
	bool stop;

	(void)service_restrict_caps(0);
	pthread_setname_np(pthread_self(), "pt-checkpoint");
	for (;;) {
		pthread_mutex_lock(&c->lock);
		if (!c->stop && !c->wake) {
			clock_deadline(CLOCK_MONOTONIC, c->interval_ms, &ts);
			pthread_cond_timedwait(&c->cond, &c->lock, &ts);
		}
		stop = c->stop;
		c->wake = false;
		pthread_mutex_unlock(&c->lock);
		run_once(c);
		if (stop)
			break;
	}
	return NULL;
}

int
ckpt_start(const char *path, sqlite3 *writer_db, int interval_ms,
    int ckpt_pages, struct ckpt **ret)
{
	pthread_condattr_t ca;
	struct ckpt *c;
	char uri[8192];
	int rc, r;

	/* the same file as the writer's, never path read as a URI */
	r = db_uri(path, NULL, uri, sizeof(uri));
	if (r < 0)
		return r;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	rc = sqlite3_open_v2(uri, &c->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	sqlite3_busy_timeout(c->db, DB_BUSY_TIMEOUT_MS);
	/* read the schema once: only then does the connection know the
	 * database is in WAL mode (a checkpoint before that does nothing) */
	rc = sqlite3_exec(c->db, "SELECT count(*) FROM sqlite_schema", NULL,
	    NULL, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	c->writer_db = writer_db;
	c->interval_ms = interval_ms;
	c->pages = ckpt_pages;
	pthread_mutex_init(&c->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->cond, &ca);
	pthread_condattr_destroy(&ca);
	r = pthread_create(&c->th, NULL, ckpt_main, c);
	if (r != 0) {
		sqlite3_close(c->db);
		pthread_mutex_destroy(&c->lock);
		pthread_cond_destroy(&c->cond);
		free(c);
		return -r;
	}
	/* replaces SQLite's own autocheckpoint hook on the writer */
	sqlite3_wal_hook(writer_db, wal_hook, c);
	*ret = c;
	return 0;
fail:
	r = db_errno(c->db, rc);
	sqlite3_close(c->db);
	free(c);
	return r;
}

void
ckpt_stop(struct ckpt *c, struct ckpt_stats *ret_stats)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->stop = true;
	pthread_cond_signal(&c->cond);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->th, NULL);
	/* the writer may commit again (the session's stop): back to
	 * SQLite's own checkpoints */
	sqlite3_wal_autocheckpoint(c->writer_db, 1000);
	if (ret_stats) {
		*ret_stats = c->stats;
		ret_stats->writer_runs = c->writer_runs;
		if (c->writer_max > ret_stats->max_wal)
			ret_stats->max_wal = c->writer_max;
	}
	sqlite3_close(c->db);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->cond);
	free(c);
}
