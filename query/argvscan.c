/*
 * search --argv's scan of the stored command lines (argvscan.h).  Every
 * line costs one row of SQLite's virtual machine and one call of the
 * match, about 100 ns here: 0.7 s for 6.5 million.  Two threads halve it:
 * this one scans the lower half of the ids into the temporary table, a
 * second one the upper half into an array, inserted after.  The line ids
 * split at the middle of [min, max]: retention deletes the oldest lines,
 * so the ids left are spread about evenly.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdlib.h>

#include "argvscan.h"
#include "db.h"

/*
 * [glob][part]: every line, the lower part (id <= :mid, q's), the upper
 * (id > :mid, the second thread's).  A bound costs a comparison per row
 * (a third of the rest): each part has one only; the two connections see
 * the same lines, so (id <= :mid, id > :mid) is every one.
 */
#define HAS " pt_argv_has(argv, :pat)"
#define GLOB " pt_argv_glob(argv, :pat)"
#define FILL "INSERT INTO temp.argv_match(id) "
static const char *const scan_sql[2][3] = {
	{ FILL "SELECT id FROM cmdline WHERE" HAS,
	  FILL "SELECT id FROM cmdline WHERE id <= :mid AND" HAS,
	  "SELECT id FROM cmdline WHERE id > :mid AND" HAS },
	{ FILL "SELECT id FROM cmdline WHERE" GLOB,
	  FILL "SELECT id FROM cmdline WHERE id <= :mid AND" GLOB,
	  "SELECT id FROM cmdline WHERE id > :mid AND" GLOB },
};
enum { ALL, LOWER, UPPER };

/* The second thread's part: ids above mid into ids[0..n). */
struct half {
	sqlite3		*db;
	const char	*sql, *pat;
	int64_t		 mid;
	int64_t		*ids;
	size_t		 n, cap;
	int		 r;
};

static int
bind_scan(sqlite3_stmt *st, const char *pat, int64_t mid)
{
	int r = db_bind_text(st, ":pat", pat);

	if (r == 0 && sqlite3_bind_parameter_index(st, ":mid"))
		r = db_bind_int64(st, ":mid", mid);
	return r;
}

static void *
half_run(void *arg)
{
	struct half *h = arg;
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_prepare_v2(h->db, h->sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		h->r = db_errno(h->db, rc);
		return NULL;
	}
	h->r = bind_scan(st, h->pat, h->mid);
	while (h->r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (h->n == h->cap) {
			size_t cap = h->cap ? 2 * h->cap : 1024;
			int64_t *ids = realloc(h->ids, cap * sizeof(*ids));

			if (!ids) {
				h->r = -ENOMEM;
				break;
			}
			h->ids = ids;
			h->cap = cap;
		}
		h->ids[h->n++] = sqlite3_column_int64(st, 0);
	}
	if (h->r == 0 && rc != SQLITE_DONE)
		h->r = db_errno(h->db, rc);
	sqlite3_finalize(st);
	return NULL;
}

/* Scan part of the lines on q's connection into the table. */
static int
fill(struct qctx *q, const char *pat, int glob, int part, int64_t mid)
{
	sqlite3_stmt *st;
	int rc, r;

	rc = sqlite3_prepare_v2(q->db, scan_sql[glob][part], -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_errno(q->db, rc);
	r = bind_scan(st, pat, mid);
	if (r == 0 && (rc = sqlite3_step(st)) != SQLITE_DONE)
		r = db_errno(q->db, rc);
	sqlite3_finalize(st);
	return r;
}

/* The second thread's ids into the table. */
static int
fill_ids(struct qctx *q, const int64_t *ids, size_t n)
{
	sqlite3_stmt *st;
	size_t i;
	int rc, r = 0;

	rc = sqlite3_prepare_v2(q->db, "INSERT INTO temp.argv_match(id)"
	    " VALUES (:id)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_errno(q->db, rc);
	for (i = 0; i < n && r == 0; i++) {
		r = db_bind_int64(st, ":id", ids[i]);
		if (r == 0 && (rc = sqlite3_step(st)) != SQLITE_DONE)
			r = db_errno(q->db, rc);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return r;
}

/* The smallest and largest line id, 0 if none. */
static int
id_bounds(struct qctx *q, int64_t *lo, int64_t *hi)
{
	sqlite3_stmt *st;
	int rc;

	/* each alone, where SQLite reads one end of the b-tree (together
	 * they would read every row) */
	rc = sqlite3_prepare_v2(q->db, "SELECT coalesce((SELECT min(id) FROM"
	    " cmdline), 0), coalesce((SELECT max(id) FROM cmdline), 0)", -1,
	    &st, NULL);
	if (rc != SQLITE_OK)
		return db_errno(q->db, rc);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*lo = sqlite3_column_int64(st, 0);
		*hi = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_errno(q->db, rc);
}

int
argv_scan(struct qctx *q, const char *pat, int glob, int64_t split)
{
	struct half h = { .pat = pat };
	pthread_t thread;
	int64_t lo, hi, mid;
	int rc, r;

	glob = glob != 0;
	h.sql = scan_sql[glob][UPPER];
	rc = sqlite3_exec(q->db, "CREATE TEMP TABLE IF NOT EXISTS"
	    " argv_match(id INTEGER PRIMARY KEY); DELETE FROM temp.argv_match",
	    NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return db_errno(q->db, rc);
	r = id_bounds(q, &lo, &hi);
	if (r < 0)
		return r;
	if (hi - lo < split)
		return fill(q, pat, glob, ALL, 0);
	/* q's transaction begins again: the bounds are read again in it */
	r = db_open_twin(q->db, q->dbpath, &h.db);
	if (r < 0 && sqlite3_get_autocommit(q->db))
		return r;	/* q's transaction ended, none began again */
	r = id_bounds(q, &lo, &hi);
	if (r < 0) {
		sqlite3_close(h.db);
		return r;
	}
	if (!h.db)	/* not proved the same, or no second connection */
		return fill(q, pat, glob, ALL, 0);
	q_functions(q, h.db);
	mid = lo + (hi - lo) / 2;
	h.mid = mid;
	if (pthread_create(&thread, NULL, half_run, &h) != 0) {
		sqlite3_close(h.db);
		return fill(q, pat, glob, ALL, 0);
	}
	r = fill(q, pat, glob, LOWER, mid);
	pthread_join(thread, NULL);
	sqlite3_close(h.db);	/* ends its read transaction */
	r = r ? r : h.r;
	r = r ? r : fill_ids(q, h.ids, h.n);
	free(h.ids);
	return r;
}
