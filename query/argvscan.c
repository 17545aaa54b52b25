/*
 * The scan of the stored command lines (argvscan.h).  Every line costs one
 * row of SQLite's virtual machine and one call of the match, about 100 ns
 * here: 0.7 s for 6.5 million.  Two threads halve it: this one scans the
 * lower half of the ids, a second one the upper half through its own
 * connection.  The ids split at the middle of [min, max]: retention
 * deletes the oldest lines, so the ids left are spread about evenly.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argvscan.h"
#include "db.h"

/*
 * [glob][part]: every line, the lower part (id <= :mid, q's), the upper
 * (id > :mid, the second thread's).  A bound costs a comparison per row
 * (a third of the rest): each part has one only; the two connections see
 * the same lines, so (id <= :mid, id > :mid) is every one.  fill_sql puts
 * q's part in the temporary table, select_sql returns it.
 */
#define HAS " pt_argv_has(argv, :pat)"
#define GLOB " pt_argv_glob(argv, :pat)"
#define ALL_SQL "SELECT id FROM cmdline WHERE"
#define LOWER_SQL "SELECT id FROM cmdline WHERE id <= :mid AND"
#define UPPER_SQL "SELECT id FROM cmdline WHERE id > :mid AND"
#define FILL "INSERT INTO temp.argv_match(id) "
enum { ALL, LOWER, UPPER };
#define ORDER " ORDER BY id"	/* rowid order: no sort, but promised */
static const char *const select_sql[2][3] = {
	{ ALL_SQL HAS ORDER, LOWER_SQL HAS ORDER, UPPER_SQL HAS ORDER },
	{ ALL_SQL GLOB ORDER, LOWER_SQL GLOB ORDER, UPPER_SQL GLOB ORDER },
};
static const char *const fill_sql[2][2] = {
	{ FILL ALL_SQL HAS, FILL LOWER_SQL HAS },
	{ FILL ALL_SQL GLOB, FILL LOWER_SQL GLOB },
};

/* One part of the scan: a statement on db, its ids into ids[0..n) unless
 * it inserts them itself. */
struct part {
	sqlite3		*db;
	const char	*sql, *pat;
	int64_t		 mid;
	int64_t		*ids;
	size_t		 n, cap;
	int		 r;
};

static void *
part_run(void *arg)
{
	struct part *p = arg;
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_prepare_v2(p->db, p->sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		p->r = db_errno(p->db, rc);
		return NULL;
	}
	p->r = db_bind_text(st, ":pat", p->pat);
	if (p->r == 0 && sqlite3_bind_parameter_index(st, ":mid"))
		p->r = db_bind_int64(st, ":mid", p->mid);
	while (p->r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (p->n == p->cap) {
			size_t cap = p->cap ? 2 * p->cap : 1024;
			int64_t *ids = realloc(p->ids, cap * sizeof(*ids));

			if (!ids) {
				p->r = -ENOMEM;
				break;
			}
			p->ids = ids;
			p->cap = cap;
		}
		p->ids[p->n++] = sqlite3_column_int64(st, 0);
	}
	if (p->r == 0 && rc != SQLITE_DONE)
		p->r = db_errno(p->db, rc);
	sqlite3_finalize(st);
	q_thread_end();
	return NULL;
}

/* The smallest and largest line id, 0 if none. */
static int
id_bounds(sqlite3 *db, int64_t *lo, int64_t *hi)
{
	sqlite3_stmt *st;
	int rc;

	/* each alone, where SQLite reads one end of the b-tree (together
	 * they would read every row) */
	rc = sqlite3_prepare_v2(db, "SELECT coalesce((SELECT min(id) FROM"
	    " cmdline), 0), coalesce((SELECT max(id) FROM cmdline), 0)", -1,
	    &st, NULL);
	if (rc != SQLITE_OK)
		return db_errno(db, rc);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*lo = sqlite3_column_int64(st, 0);
		*hi = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_errno(db, rc);
}

/* The second part's ids after the first's. */
static int
append(struct part *to, struct part *from)
{
	int64_t *ids;

	if (from->n == 0)
		return 0;
	if (to->n + from->n > to->cap) {
		ids = realloc(to->ids, (to->n + from->n) * sizeof(*ids));
		if (!ids)
			return -ENOMEM;
		to->ids = ids;
		to->cap = to->n + from->n;
	}
	memcpy(to->ids + to->n, from->ids, from->n * sizeof(*ids));
	to->n += from->n;
	return 0;
}

/* The second part's ids into the table. */
static int
insert_ids(struct qctx *q, const int64_t *ids, size_t n)
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

/*
 * The scan proper, on q's connection in its read transaction, split with
 * twin (in the same committed state) unless NULL or the lines are fewer
 * than split.  Into the temporary table if table, else into *ret_ids.
 */
static int
scan(struct qctx *q, sqlite3 *twin, const char *pat, int glob,
    int64_t split, int table, int64_t **ret_ids, size_t *ret_n)
{
	struct part mine = { .db = q->db, .pat = pat };
	struct part other = { .db = twin, .pat = pat };
	pthread_t thread;
	int64_t lo, hi;
	int r, threaded = 0;

	glob = glob != 0;
	r = id_bounds(q->db, &lo, &hi);
	if (r < 0)
		return r;
	if (twin && hi - lo >= split) {
		mine.mid = other.mid = lo + (hi - lo) / 2;
		other.sql = select_sql[glob][UPPER];
		threaded = pthread_create(&thread, NULL, part_run, &other) == 0;
	}
	mine.sql = table ? fill_sql[glob][threaded ? LOWER : ALL] :
	    select_sql[glob][threaded ? LOWER : ALL];
	part_run(&mine);
	r = mine.r;
	if (r == DB_E_SQL)	/* SQLite's words, before anything else runs */
		snprintf(q->errmsg, sizeof(q->errmsg), "%s",
		    sqlite3_errmsg(q->db));
	if (threaded) {
		pthread_join(thread, NULL);
		if (r == 0 && other.r == DB_E_SQL)	/* SQLite's words */
			snprintf(q->errmsg, sizeof(q->errmsg), "%s",
			    sqlite3_errmsg(twin));
		r = r ? r : other.r;
		if (r == 0)
			r = table ? insert_ids(q, other.ids, other.n) :
			    append(&mine, &other);
	}
	free(other.ids);
	if (r < 0 || table) {
		free(mine.ids);
		return r;
	}
	*ret_ids = mine.ids;
	*ret_n = mine.n;
	return 0;
}

/* No second reader: q reads alone, in the read transaction db_open_twin
 * left it in, or in one begun now (the statement's and the scan's). */
static int
begin_alone(struct qctx *q)
{
	if (!sqlite3_get_autocommit(q->db))
		return 0;
	return db_errno(q->db, sqlite3_exec(q->db, "BEGIN", NULL, NULL,
	    NULL));
}

int
argv_scan_table(struct qctx *q)
{
	return db_errno(q->db, sqlite3_exec(q->db, "CREATE TEMP TABLE IF NOT"
	    " EXISTS argv_match(id INTEGER PRIMARY KEY)", NULL, NULL, NULL));
}

int
argv_scan(struct qctx *q, const char *pat, int glob, int64_t split)
{
	sqlite3 *twin = NULL;
	int64_t lo, hi;
	int rc, r;

	r = argv_scan_table(q);
	if (r < 0)
		return r;
	rc = sqlite3_exec(q->db, "DELETE FROM temp.argv_match", NULL, NULL,
	    NULL);
	if (rc != SQLITE_OK)
		return db_errno(q->db, rc);
	/* before version 4, cmdline is a view q_open made (query.h), which
	 * a second connection would not have */
	if (q->version < 4)
		split = INT64_MAX;
	r = id_bounds(q->db, &lo, &hi);
	if (r < 0)
		return r;
	if (hi - lo >= split) {
		/* q's transaction begins again (scan reads the bounds in it) */
		r = db_open_twin(q->db, q->dbpath, &q->stamp, &twin);
		if (r < 0 && (r = begin_alone(q)) < 0)
			return r;
		if (twin)
			q_functions(q, twin);
	}
	r = scan(q, twin, pat, glob, split, 1, NULL, NULL);
	sqlite3_close(twin);	/* ends its read transaction */
	return r;
}

int
argv_scan_split(int64_t *ret)
{
	const char *env = getenv("PROCTRAIL_SCAN_SPLIT");
	char *end;
	long long v;
	cpu_set_t cpus;

	*ret = ARGV_SCAN_SPLIT_MIN;
	/* one CPU to run on: a second thread would only wait for it */
	if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0 &&
	    CPU_COUNT(&cpus) < 2)
		*ret = INT64_MAX;
	if (!env || !*env)
		return 0;
	if (*env < '0' || *env > '9')
		return -EINVAL;
	errno = 0;
	v = strtoll(env, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*ret = v;
	return 0;
}

/*
 * pt_lines(TEXT), a table-valued function: column id, the ids of the lines
 * whose arguments joined by spaces contain TEXT (as pt_argv_has), in
 * order; none for NULL.  Scanned once per call, in two threads if q->twin
 * was set (argv_lines_begin).
 */
struct lines_vtab {
	sqlite3_vtab	 base;
	struct qctx	*q;
};

struct lines_cursor {
	sqlite3_vtab_cursor base;
	int64_t		*ids;
	size_t		 n, i;
	sqlite3_value	*text;
};

static int
lines_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
    sqlite3_vtab **ret, char **err)
{
	struct lines_vtab *t;
	int rc;

	(void)argc;
	(void)argv;
	(void)err;
	rc = sqlite3_declare_vtab(db, "CREATE TABLE x(id INTEGER, text HIDDEN)");
	if (rc != SQLITE_OK)
		return rc;
	t = sqlite3_malloc(sizeof(*t));
	if (!t)
		return SQLITE_NOMEM;
	memset(t, 0, sizeof(*t));
	t->q = aux;
	*ret = &t->base;
	return SQLITE_OK;
}

static int
lines_disconnect(sqlite3_vtab *vt)
{
	sqlite3_free(vt);
	return SQLITE_OK;
}

/* The text argument is required: an equality on the hidden column. */
static int
lines_best_index(sqlite3_vtab *vt, sqlite3_index_info *info)
{
	struct lines_vtab *t = (struct lines_vtab *)vt;
	int i;

	for (i = 0; i < info->nConstraint; i++) {
		if (info->aConstraint[i].iColumn != 1 ||
		    info->aConstraint[i].op != SQLITE_INDEX_CONSTRAINT_EQ)
			continue;
		if (!info->aConstraint[i].usable)
			return SQLITE_CONSTRAINT;
		info->aConstraintUsage[i].argvIndex = 1;
		info->aConstraintUsage[i].omit = 1;
		info->estimatedCost = 1e6;
		info->estimatedRows = 1000;
		if (info->nOrderBy == 1 && info->aOrderBy[0].iColumn == 0 &&
		    !info->aOrderBy[0].desc)
			info->orderByConsumed = 1;
		t->q->lines_used = 1;
		return SQLITE_OK;
	}
	vt->zErrMsg = sqlite3_mprintf("pt_lines: a text argument is needed,"
	    " as in pt_lines('curl')");
	return SQLITE_ERROR;
}

static int
lines_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **ret)
{
	struct lines_cursor *c = sqlite3_malloc(sizeof(*c));

	(void)vt;
	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof(*c));
	*ret = &c->base;
	return SQLITE_OK;
}

static int
lines_close(sqlite3_vtab_cursor *cur)
{
	struct lines_cursor *c = (struct lines_cursor *)cur;

	free(c->ids);
	sqlite3_value_free(c->text);
	sqlite3_free(c);
	return SQLITE_OK;
}

static int
lines_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxstr,
    int argc, sqlite3_value **argv)
{
	struct lines_cursor *c = (struct lines_cursor *)cur;
	struct qctx *q = ((struct lines_vtab *)cur->pVtab)->q;
	const char *text;
	int r;

	(void)idx;
	(void)idxstr;
	free(c->ids);
	c->ids = NULL;
	c->n = c->i = 0;
	sqlite3_value_free(c->text);
	c->text = NULL;
	if (argc < 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return SQLITE_OK;
	if (q->version < 4) {
		cur->pVtab->zErrMsg = sqlite3_mprintf("pt_lines: a file of"
		    " schema version %d has no table cmdline (from 4)",
		    q->version);
		return SQLITE_ERROR;
	}
	c->text = sqlite3_value_dup(argv[0]);
	text = c->text ? (const char *)sqlite3_value_text(c->text) : NULL;
	if (!text)
		return SQLITE_NOMEM;
	/* as pt_argv_has: the text of a line has no NUL */
	if (memchr(text, '\0', (size_t)sqlite3_value_bytes(c->text)))
		return SQLITE_OK;
	q->errmsg[0] = '\0';
	r = scan(q, q->twin, text, 0, q->scan_split, 0, &c->ids, &c->n);
	if (r == 0)
		return SQLITE_OK;
	cur->pVtab->zErrMsg = sqlite3_mprintf("pt_lines: %s", r ==
	    DB_E_TIMEOUT ? "interrupted" : r == DB_E_SQL && q->errmsg[0] ?
	    q->errmsg : db_strerror(r));
	return r == DB_E_TIMEOUT ? SQLITE_INTERRUPT : r == -ENOMEM ?
	    SQLITE_NOMEM : SQLITE_ERROR;
}

static int
lines_next(sqlite3_vtab_cursor *cur)
{
	((struct lines_cursor *)cur)->i++;
	return SQLITE_OK;
}

static int
lines_eof(sqlite3_vtab_cursor *cur)
{
	struct lines_cursor *c = (struct lines_cursor *)cur;

	return c->i >= c->n;
}

static int
lines_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
	struct lines_cursor *c = (struct lines_cursor *)cur;

	if (col == 0)
		sqlite3_result_int64(ctx, c->ids[c->i]);
	else
		sqlite3_result_value(ctx, c->text);
	return SQLITE_OK;
}

static int
lines_rowid(sqlite3_vtab_cursor *cur, sqlite_int64 *ret)
{
	struct lines_cursor *c = (struct lines_cursor *)cur;

	*ret = c->ids[c->i];
	return SQLITE_OK;
}

static const sqlite3_module lines_module = {
	.xConnect = lines_connect,
	.xBestIndex = lines_best_index,
	.xDisconnect = lines_disconnect,
	.xOpen = lines_open,
	.xClose = lines_close,
	.xFilter = lines_filter,
	.xNext = lines_next,
	.xEof = lines_eof,
	.xColumn = lines_column,
	.xRowid = lines_rowid,
};

int
argv_lines_register(struct qctx *q)
{
	return db_errno(q->db, sqlite3_create_module(q->db, "pt_lines",
	    &lines_module, q));
}

int
argv_lines_begin(struct qctx *q)
{
	int r;

	if (!q->lines_used)
		return 0;
	if (q->scan_split == INT64_MAX || q->version < 4)
		return begin_alone(q);	/* scan() would not use a twin */
	r = db_open_twin(q->db, q->dbpath, &q->stamp, &q->twin);
	if (r < 0 && (r = begin_alone(q)) < 0)
		return r;
	if (q->twin)
		q_functions(q, q->twin);
	return 0;
}
