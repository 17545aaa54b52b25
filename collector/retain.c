/*
 * Retention by age and by size, in small transactions.
 */
#include <errno.h>
#include <stdlib.h>

#include "db.h"
#include "retain.h"

#define PROC_BATCH	1000	/* process rows per step */
#define EVENT_BATCH	20000	/* event rows per step */
#define VACUUM_PAGES	"4096"	/* pages given back per step */

enum {
	S_BEGIN, S_COMMIT, S_PICK, S_PICK_CMD, S_DEL_EXEC, S_DEL_DROP, S_DEL_CMD,
	S_DEL_PROC, S_CLEAR, S_CLEAR_CMD,
	S_EV_BOUNDS, S_EV_TIME, S_EV_DEL, S_GAP_DEL, S_SNAP_DEL, S_VACUUM,
	S_PAGES, S_FREE, S_PAGE_SIZE, S_PICKED_END, S_COUNT
};

static const char *const retain_sql[S_COUNT] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_PICK] =
	    "INSERT INTO temp.prune(id) SELECT p.id FROM process p"
	    " WHERE p.end < :cutoff AND NOT EXISTS"
	    " (SELECT 1 FROM process c WHERE c.parent = p.id)"
	    " ORDER BY p.id LIMIT :n",
	[S_PICK_CMD] =
	    "INSERT OR IGNORE INTO temp.prune_cmd(id) SELECT x.cmdline"
	    " FROM exec x WHERE x.process IN (SELECT id FROM temp.prune)"
	    " AND x.cmdline IS NOT NULL",
	[S_DEL_EXEC] =
	    "DELETE FROM exec WHERE process IN (SELECT id FROM temp.prune)",
	[S_DEL_DROP] =
	    "DELETE FROM exec_drop WHERE process IN (SELECT id FROM temp.prune)",
	/* the command lines no exec runs any more (exec_cmdline index) */
	[S_DEL_CMD] =
	    "DELETE FROM cmdline WHERE id IN (SELECT id FROM temp.prune_cmd)"
	    " AND NOT EXISTS (SELECT 1 FROM exec x WHERE x.cmdline = cmdline.id)",
	[S_DEL_PROC] =
	    "DELETE FROM process WHERE id IN (SELECT id FROM temp.prune)",
	[S_CLEAR] = "DELETE FROM temp.prune",
	[S_CLEAR_CMD] = "DELETE FROM temp.prune_cmd",
	[S_EV_BOUNDS] = "SELECT min(id), max(id) FROM event",
	[S_EV_TIME] =
	    "SELECT e.mono + s.mono_offset FROM event e JOIN session s"
	    " ON s.id = e.session WHERE e.id >= :id ORDER BY e.id LIMIT 1",
	[S_EV_DEL] = "DELETE FROM event WHERE id >= :lo AND id < :hi",
	[S_GAP_DEL] = "DELETE FROM gap WHERE end < :cutoff",
	/* snapshot entries go with their time, as gaps do */
	[S_SNAP_DEL] =
	    "DELETE FROM snap WHERE mono + (SELECT s.mono_offset FROM session s"
	    " WHERE s.id = snap.session) < :cutoff",
	[S_VACUUM] = "PRAGMA incremental_vacuum(" VACUUM_PAGES ")",
	[S_PAGES] = "PRAGMA page_count",
	[S_FREE] = "PRAGMA freelist_count",
	[S_PAGE_SIZE] = "PRAGMA page_size",
	[S_PICKED_END] =
	    "SELECT max(p.end) FROM process p WHERE p.id IN"
	    " (SELECT id FROM temp.prune)",
};

struct retain {
	sqlite3 *db;
	sqlite3_stmt *st[S_COUNT];
	int64_t max_age;	/* ns, 0 = none */
	int64_t max_bytes;	/* 0 = none */
	struct retain_stats stats;
};

int
retain_new(sqlite3 *db, int64_t max_age_ns, int64_t max_bytes,
    struct retain **ret)
{
	struct retain *rt;
	int i, rc;

	rc = sqlite3_exec(db, "PRAGMA temp_store=MEMORY;"
	    "CREATE TEMP TABLE IF NOT EXISTS prune(id INTEGER PRIMARY KEY);"
	    "CREATE TEMP TABLE IF NOT EXISTS prune_cmd(id INTEGER PRIMARY KEY)",
	    NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return db_errno(db, rc);
	rt = calloc(1, sizeof(*rt));
	if (!rt)
		return -ENOMEM;
	rt->db = db;
	rt->max_age = max_age_ns;
	rt->max_bytes = max_bytes;
	for (i = 0; i < S_COUNT; i++) {
		rc = sqlite3_prepare_v3(db, retain_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &rt->st[i], NULL);
		if (rc != SQLITE_OK) {
			retain_free(rt);
			return db_errno(db, rc);
		}
	}
	*ret = rt;
	return 0;
}

void
retain_free(struct retain *rt)
{
	int i;

	if (!rt)
		return;
	for (i = 0; i < S_COUNT; i++)
		sqlite3_finalize(rt->st[i]);
	free(rt);
}

/* Run a statement to completion; *ret gets column 0 of its first row (if
 * any, and if ret is not NULL), *ret2 column 1.  Returns 0 or -errno. */
static int
run(struct retain *rt, int which, int64_t *ret, int64_t *ret2)
{
	sqlite3_stmt *s = rt->st[which];
	bool first = true;
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (first && ret)
			*ret = sqlite3_column_int64(s, 0);
		if (first && ret2)
			*ret2 = sqlite3_column_int64(s, 1);
		first = false;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? 0 : db_errno(rt->db, rc);
}

static int
bind(struct retain *rt, int which, const char *name, int64_t v)
{
	return db_bind_int64(rt->st[which], name, v);
}

int
retain_db_size(struct retain *rt, int64_t *ret)
{
	int64_t pages = 0, freep = 0, size = 0;
	int r;

	r = run(rt, S_PAGES, &pages, NULL);
	if (r == 0)
		r = run(rt, S_FREE, &freep, NULL);
	if (r == 0)
		r = run(rt, S_PAGE_SIZE, &size, NULL);
	if (r == 0)
		*ret = (pages - freep) * size;
	return r;
}

/* Wall time of the first event with id >= id, or -1 if none. */
static int
event_time(struct retain *rt, int64_t id, int64_t *ret)
{
	int r;

	*ret = -1;
	r = bind(rt, S_EV_TIME, ":id", id);
	return r < 0 ? r : run(rt, S_EV_TIME, ret, NULL);
}

/*
 * First event id whose time is >= cutoff, between lo and hi + 1.  Ids are
 * in receive order, which is time order but for sub-millisecond swaps
 * across CPUs: a binary search is exact enough.
 */
static int
event_cut(struct retain *rt, int64_t lo, int64_t hi, int64_t cutoff,
    int64_t *ret)
{
	int64_t mid, t;
	int r;

	hi++;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = event_time(rt, mid, &t);
		if (r < 0)
			return r;
		if (t >= 0 && t < cutoff)
			lo = mid + 1;
		else
			hi = mid;
	}
	*ret = lo;
	return 0;
}

static int
step(struct retain *rt, int64_t now, bool *ret_more)
{
	int64_t cutoff = INT64_MIN, lo = 0, hi = 0, cut, t, size, n, nev = 0;
	int64_t picked_end = INT64_MAX;
	bool over = false;
	int r;

	r = run(rt, S_EV_BOUNDS, &lo, &hi);
	if (r < 0)
		return r;
	if (rt->max_age > 0)
		cutoff = now - rt->max_age;
	if (rt->max_bytes > 0) {
		r = retain_db_size(rt, &size);
		if (r < 0)
			return r;
		if (size > rt->max_bytes && hi > 0) {
			/* drop the oldest 5% of the event history's span */
			r = event_time(rt, lo, &t);
			if (r < 0)
				return r;
			if (t >= 0 && t + (now - t) / 20 > cutoff) {
				cutoff = t + (now - t) / 20;
				over = true;
			}
		}
	}
	if (cutoff == INT64_MIN)
		return 0;

	r = bind(rt, S_PICK, ":cutoff", cutoff);
	r = r ? r : bind(rt, S_PICK, ":n", PROC_BATCH);
	r = r ? r : run(rt, S_PICK, NULL, NULL);
	if (r == 0)
		r = run(rt, S_PICKED_END, &picked_end, NULL);
	if (r == 0)
		r = run(rt, S_PICK_CMD, NULL, NULL);
	if (r == 0)
		r = run(rt, S_DEL_EXEC, NULL, NULL);
	if (r == 0) {
		rt->stats.execs += (uint64_t)sqlite3_changes(rt->db);
		r = run(rt, S_DEL_DROP, NULL, NULL);
	}
	if (r == 0)
		r = run(rt, S_DEL_CMD, NULL, NULL);
	if (r == 0) {
		rt->stats.cmdlines += (uint64_t)sqlite3_changes(rt->db);
		r = run(rt, S_DEL_PROC, NULL, NULL);
	}
	if (r < 0)
		return r;
	n = sqlite3_changes(rt->db);
	rt->stats.processes += (uint64_t)n;
	r = run(rt, S_CLEAR, NULL, NULL);
	if (r == 0)
		r = run(rt, S_CLEAR_CMD, NULL, NULL);
	if (r < 0)
		return r;
	if (n == PROC_BATCH) {
		/* more processes to go: keep history in time order, do not
		 * delete events newer than the processes deleted so far */
		*ret_more = true;
		if (picked_end < cutoff)
			cutoff = picked_end;
	}

	if (hi > 0) {
		r = event_cut(rt, lo, hi, cutoff, &cut);
		if (r < 0)
			return r;
		if (cut > lo) {
			if (cut - lo > EVENT_BATCH) {
				cut = lo + EVENT_BATCH;
				*ret_more = true;
			}
			r = bind(rt, S_EV_DEL, ":lo", lo);
			r = r ? r : bind(rt, S_EV_DEL, ":hi", cut);
			r = r ? r : run(rt, S_EV_DEL, NULL, NULL);
			if (r < 0)
				return r;
			nev = sqlite3_changes(rt->db);
			rt->stats.events += (uint64_t)nev;
		}
	}
	r = bind(rt, S_GAP_DEL, ":cutoff", cutoff);
	r = r ? r : run(rt, S_GAP_DEL, NULL, NULL);
	r = r ? r : bind(rt, S_SNAP_DEL, ":cutoff", cutoff);
	r = r ? r : run(rt, S_SNAP_DEL, NULL, NULL);
	if (r == 0)
		r = run(rt, S_VACUUM, NULL, NULL);
	if (r == 0 && over && (n > 0 || nev > 0))
		*ret_more = true;	/* may still be too big: keep going */
	return r;
}

int
retain_step(struct retain *rt, int64_t now_wall, bool *ret_more)
{
	int r;

	*ret_more = false;
	r = run(rt, S_BEGIN, NULL, NULL);
	if (r < 0)
		return r;
	r = step(rt, now_wall, ret_more);
	if (r == 0)
		r = run(rt, S_COMMIT, NULL, NULL);
	if (r < 0) {
		if (!sqlite3_get_autocommit(rt->db))
			sqlite3_exec(rt->db, "ROLLBACK", NULL, NULL, NULL);
		*ret_more = false;
		return r;
	}
	rt->stats.steps++;
	return 0;
}

void
retain_stats(const struct retain *rt, struct retain_stats *ret)
{
	*ret = rt->stats;
}
