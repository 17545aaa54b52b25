#ifndef PT_RETAIN_H
#define PT_RETAIN_H
/*
 * Retention: pruning old history in small steps, each its own short
 * transaction run by the writer while it is idle, so ingest never waits
 * long.  What goes, oldest first:
 *   - process rows ended before the cut-off that no surviving row has as
 *     parent (leaves first: the ancestors of every surviving row stay, so
 *     lineage stays valid; images are always an ancestor's exec rows),
 *     with their exec rows;
 *   - event rows older than the cut-off (events are in time order by id);
 *   - gap rows that ended before the cut-off.
 * Freed pages are returned to the file system (incremental vacuum) when
 * the database was created with auto_vacuum=INCREMENTAL (proctrail
 * databases are).
 */
#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

struct retain;

struct retain_stats {
	uint64_t processes;	/* process rows deleted */
	uint64_t execs;		/* exec rows deleted */
	uint64_t cmdlines;	/* cmdline rows deleted (no exec left) */
	uint64_t events;	/* event rows deleted */
	uint64_t steps;		/* transactions */
};

/* max_age_ns: keep this much history (0: no age limit); max_bytes: keep
 * the database under this size (0: no limit).  Prepares its statements on
 * db. */
int retain_new(sqlite3 *db, int64_t max_age_ns, int64_t max_bytes,
    struct retain **ret);
void retain_free(struct retain *rt);

/*
 * One step at wall time now_wall: one transaction deleting at most a few
 * thousand rows.  *ret_more is set when more is left to prune now.
 * Returns 0 or -errno (the transaction is then rolled back).
 */
int retain_step(struct retain *rt, int64_t now_wall, bool *ret_more);

void retain_stats(const struct retain *rt, struct retain_stats *ret);

/* Current size of the database in bytes (pages in use). */
int retain_db_size(struct retain *rt, int64_t *ret);
#endif
