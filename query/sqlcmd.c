/*
 * sql.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "query.h"
#include "sqlcmd.h"

/* What the authorizer refused, for the message. */
struct sql_guard {
	const char	*refused;	/* NULL if nothing */
};

static int
sql_authorize(void *arg, int action, const char *a1, const char *a2,
    const char *db, const char *trigger)
{
	struct sql_guard *g = arg;

	(void)a1;
	(void)db;
	(void)trigger;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_READ:
	case SQLITE_FUNCTION:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_PRAGMA:
		if (a2 == NULL)		/* a query, not an assignment */
			return SQLITE_OK;
		g->refused = "setting a pragma";
		return SQLITE_DENY;
	case SQLITE_ATTACH:
	case SQLITE_DETACH:
		g->refused = "ATTACH and DETACH";
		return SQLITE_DENY;
	case SQLITE_TRANSACTION:
	case SQLITE_SAVEPOINT:
		g->refused = "transaction control";
		return SQLITE_DENY;
	default:
		g->refused = "writing to the database";
		return SQLITE_DENY;
	}
}

/* An argument that is all digits (optionally signed) binds as an integer. */
static void
bind_arg(sqlite3_stmt *st, int i, const char *s)
{
	const char *p = s + (*s == '-');
	char *end;
	long long v;

	if (*p >= '0' && *p <= '9' && strspn(p, "0123456789") == strlen(p)) {
		errno = 0;
		v = strtoll(s, &end, 10);
		if (!errno && !*end) {
			sqlite3_bind_int64(st, i, v);
			return;
		}
	}
	sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static int
blob_hex(struct out *o, const unsigned char *b, size_t n)
{
	char *s;
	size_t i;
	int r;

	s = malloc(2 * n + 4);
	if (!s)
		return -ENOMEM;
	s[0] = 'x';
	s[1] = '\'';
	for (i = 0; i < n; i++)
		snprintf(s + 2 + 2 * i, 3, "%02x", b[i]);
	s[2 + 2 * n] = '\'';
	s[3 + 2 * n] = '\0';
	r = out_str(o, s);
	free(s);
	return r;
}

static int
sql_run(struct qctx *q, sqlite3_stmt *st)
{
	struct out_col *cols;
	int n, i, rc, r;

	n = sqlite3_column_count(st);
	cols = calloc(n ? (size_t)n : 1, sizeof(*cols));
	if (!cols)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		cols[i].name = sqlite3_column_name(st, i);
	r = out_table_begin(q->out, NULL, cols, (size_t)n, 0);
	while (r == 0 && n > 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; r == 0 && i < n; i++) {
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_INTEGER:
				r = out_int(q->out, sqlite3_column_int64(st, i));
				break;
			case SQLITE_FLOAT:
				r = out_real(q->out, sqlite3_column_double(st, i));
				break;
			case SQLITE_TEXT:
				r = out_strn(q->out,
				    (const char *)sqlite3_column_text(st, i),
				    (size_t)sqlite3_column_bytes(st, i));
				break;
			case SQLITE_BLOB:
				r = blob_hex(q->out, sqlite3_column_blob(st, i),
				    (size_t)sqlite3_column_bytes(st, i));
				break;
			default:
				r = out_null(q->out);
				break;
			}
		}
	}
	if (n == 0)
		rc = sqlite3_step(st);
	if (r == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
		r = 1;		/* an SQL error: the caller reports it */
	if (r == 0)
		r = out_table_end(q->out);
	free(cols);
	return r;
}

int
cmd_sql(struct qctx *q, int argc, char **argv)
{
	static const struct option longopts[] = {
		Q_COMMON_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sql_guard guard = { NULL };
	sqlite3_stmt *st = NULL, *extra = NULL;
	const char *tail;
	int r, rc, nparams, i;

	/* no options of its own: the SQL may start with '-' */
	if (q_getopt(q, argc, argv, "+h", longopts, &r) == Q_OPT_EXIT)
		return r;
	if (optind >= argc) {
		q_usage(argv[0], 1);
		return EX_USAGE;
	}
	if ((r = q_open(q)) != 0)
		return r;
	sqlite3_set_authorizer(q->db, sql_authorize, &guard);
	rc = sqlite3_prepare_v2(q->db, argv[optind], -1, &st, &tail);
	if (rc != SQLITE_OK) {
		if (guard.refused)
			warnx("sql: refused: %s", guard.refused);
		else
			warnx("sql: %s", sqlite3_errmsg(q->db));
		return (rc & 0xff) == SQLITE_NOTADB ||
		    (rc & 0xff) == SQLITE_CORRUPT ? EX_DB : EX_SQL;
	}
	if (!st) {
		warnx("sql: no statement");
		return EX_SQL;
	}
	rc = sqlite3_prepare_v2(q->db, tail, -1, &extra, NULL);
	if (rc != SQLITE_OK || extra) {
		sqlite3_finalize(extra);
		sqlite3_finalize(st);
		warnx("sql: only one statement is allowed");
		return EX_SQL;
	}
	if (!sqlite3_stmt_readonly(st)) {
		sqlite3_finalize(st);
		warnx("sql: refused: writing to the database");
		return EX_SQL;
	}
	nparams = sqlite3_bind_parameter_count(st);
	if (argc - optind - 1 != nparams) {
		sqlite3_finalize(st);
		warnx("sql: the statement has %d parameter%s, %d given", nparams,
		    nparams == 1 ? "" : "s", argc - optind - 1);
		return EX_USAGE;
	}
	for (i = 1; i <= nparams; i++)
		bind_arg(st, i, argv[optind + i]);
	r = sql_run(q, st);
	if (r > 0 && sqlite3_errcode(q->db) == SQLITE_INTERRUPT)
		r = DB_E_TIMEOUT;	/* the time limit, not the statement */
	if (r > 0)
		warnx("sql: %s", sqlite3_errmsg(q->db));
	sqlite3_finalize(st);
	if (r > 0)
		return EX_SQL;
	return r < 0 ? q_fail(q, r, "sql") : EX_OK;
}
