#ifndef PT_CHECKPOINT_H
#define PT_CHECKPOINT_H
/*
 * WAL checkpoints in a thread of their own, on a connection of their own,
 * so that the writer's commits never copy pages into the database file
 * (with SQLite's automatic checkpoint, a commit that crosses the threshold
 * does it, and readers made that take hundreds of milliseconds).  PASSIVE
 * checkpoints take no writer lock: ingest goes on meanwhile.
 *
 * The writer's connection gets a WAL hook that wakes the checkpointer when
 * the WAL passes ckpt_pages; it also runs every interval_ms.  When the WAL
 * passes 4 x ckpt_pages, the hook also finishes the checkpoint in the
 * writer, so that the WAL restarts (see wal_hook).
 */
#include <stdint.h>

#include <sqlite3.h>

struct ckpt;

struct ckpt_stats {
	uint64_t runs;		/* checkpoints run */
	uint64_t pages;		/* pages copied */
	uint64_t max_us;	/* longest, microseconds */
	int64_t max_wal;	/* most WAL frames seen */
	int error;		/* last -errno, or 0 */
	uint64_t writer_runs;	/* checkpoints the writer ran (WAL too big) */
};

/*
 * Open a second connection to path, start the thread, and hook writer_db
 * (turning its automatic checkpoints off).  Returns 0 or -errno.
 */
int ckpt_start(const char *path, sqlite3 *writer_db, int interval_ms,
    int ckpt_pages, struct ckpt **ret);

/* Stop the thread (a last checkpoint first), close, free.  NULL: no-op. */
void ckpt_stop(struct ckpt *c, struct ckpt_stats *ret_stats);
#endif
