/*
 * sql.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argvscan.h"
#include "db.h"
#include "query.h"
#include "sqlcmd.h"

/* What the authorizer refused, for the message. */
struct sql_guard {
	const char	*refused;	/* NULL if nothing */
	int		 own;		/* the command's own statements: allowed */
};

/* Pragmas that only describe the schema: allowed with an argument (a
 * table or index name).  Any other pragma only without one (a query). */
static const char *const describe_pragmas[] = {
	"table_info", "table_xinfo", "table_list", "index_list", "index_info",
	"index_xinfo", "foreign_key_list", "collation_list", "function_list",
	"module_list", "pragma_list", "database_list", "compile_options",
	NULL
};

/* Functions refused: fts3_tokenizer() reads and registers raw pointers
 * (an address leak, a write primitive); load_extension() runs code. */
static const char *const refused_functions[] = {
	"fts3_tokenizer", "load_extension", NULL
};

static int
listed(const char *const *list, const char *s)
{
	for (; s && *list; list++)
		if (sqlite3_stricmp(*list, s) == 0)
			return 1;
	return 0;
}

static int
sql_authorize(void *arg, int action, const char *a1, const char *a2,
    const char *db, const char *trigger)
{
	struct sql_guard *g = arg;

	(void)db;
	(void)trigger;
	if (g->own)
		return SQLITE_OK;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_READ:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_FUNCTION:
		if (!listed(refused_functions, a2))
			return SQLITE_OK;
		g->refused = "that function (it is not for reading)";
		return SQLITE_DENY;
	case SQLITE_PRAGMA:
		if (a2 == NULL || listed(describe_pragmas, a1))
			return SQLITE_OK;	/* a query, not an assignment */
		g->refused = "setting a pragma";
		return SQLITE_DENY;
	case SQLITE_UPDATE:
		/* SQLite reports this while it prepares a pragma_*() table:
		 * the connection is read-only and the statement is checked
		 * with sqlite3_stmt_readonly() besides */
		if (a1 && (strcmp(a1, "sqlite_master") == 0 ||
		    strcmp(a1, "sqlite_temp_master") == 0))
			return SQLITE_OK;
		g->refused = "writing to the database";
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
	r = out_table_begin(q->out, NULL, cols, (size_t)n, OUT_ASIS);
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

/* .schema: the statements that made the tables, indexes and views (of
 * one table and its indexes if named), each ended by ";", as text. */
static int
schema_print(struct qctx *q, const char *table)
{
	static const char sql[] =
	    "SELECT sql || ';' FROM sqlite_schema WHERE sql IS NOT NULL"
	    " AND (:table IS NULL OR tbl_name = :table) ORDER BY rowid";
	sqlite3_stmt *st;
	int rc, r;

	rc = sqlite3_prepare_v2(q->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return q_fail(q, db_errno(q->db, rc), "sql");
	if ((r = db_bind_text(st, ":table", table)) < 0) {
		sqlite3_finalize(st);
		return q_fail(q, r, "sql");
	}
	if (q->fmt != OUT_TABLE) {
		r = sql_run(q, st);
		sqlite3_finalize(st);
		return r > 0 ? EX_SQL : r < 0 ? q_fail(q, r, "sql") : EX_OK;
	}
	/* tables would escape the newlines: the text as it is, as sqlite3 */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		printf("%s\n", (const char *)sqlite3_column_text(st, 0));
	r = rc == SQLITE_DONE ? 0 : db_errno(q->db, rc);
	sqlite3_finalize(st);
	if (r < 0)
		return q_fail(q, r, "sql");
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warnx("stdout: %s", strerror(errno));
		return EX_INTERNAL;
	}
	return EX_OK;
}

/* Does long option arg ("--name" or "--name=value") take the next
 * argument as its value? */
static int
takes_value(const char *arg, const struct option *longopts)
{
	size_t n = strcspn(arg + 2, "=");
	const struct option *o, *found = NULL;
	int matches = 0;

	if (arg[1] != '-' || arg[2 + n] == '=')
		return 0;
	for (o = longopts; o->name; o++) {
		if (strncmp(o->name, arg + 2, n) != 0)
			continue;
		if (strlen(o->name) == n)
			return o->has_arg == required_argument;
		found = o;
		matches++;
	}
	return matches == 1 && found->has_arg == required_argument;
}

/*
 * The arguments of sql, options first, then "--", then the statement and
 * its parameters, in their order: as getopt would permute them, except
 * that an argument starting with '-' that holds white space is the
 * statement or a parameter, never an option (no option holds any): a
 * statement may begin with a "-- comment" line, as the documentation's
 * examples do.  NULL if out of memory.
 */
static char **
sql_args(int argc, char **argv, const struct option *longopts, int *ret_argc)
{
	static char dashdash[] = "--";
	char **v = calloc((size_t)argc + 2, sizeof(*v));
	int i, n = 0, opts = 1, p;

	if (!v)
		return NULL;
	v[n++] = argv[0];
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (argv[i][0] != '-' || argv[i][1] == '\0' ||
		    argv[i][strcspn(argv[i], " \t\n\r")] != '\0')
			continue;
		v[n++] = argv[i];
		if (takes_value(argv[i], longopts) && i + 1 < argc)
			v[n++] = argv[++i];
	}
	v[n++] = dashdash;
	/* the others, in order: what the loop above skipped, and what
	 * follows "--" */
	for (i = 1, p = 1; i < argc; i++) {
		if (opts && strcmp(argv[i], "--") == 0) {
			opts = 0;
			continue;
		}
		if (opts && p < n - 1 && v[p] == argv[i]) {
			p++;
			continue;
		}
		v[n++] = argv[i];
	}
	*ret_argc = n;
	return v;
}

const struct option q_opts_sql[] = {
	Q_COMMON_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int
sql_main(struct qctx *q, int argc, char **argv)
{
	const struct option *longopts = q_opts_sql;
	/* static: the authorizer keeps it for the connection's life */
	static struct sql_guard guard;
	sqlite3_stmt *st = NULL, *extra = NULL;
	const char *tail;
	int r, rc, nparams, i;

	if (q_getopt(q, argc, argv, "h", longopts, &r) == Q_OPT_EXIT)
		return r;
	if (optind >= argc) {
		q_usage(argv[0], 1);
		return EX_USAGE;
	}
	q->as_is = 1;	/* the file as it is, whatever its version */
	if (strcmp(argv[optind], ".schema") == 0) {
		/* as sqlite3's .schema [TABLE]: the CREATE statements */
		if (argc - optind > 2) {
			q_usage(argv[0], 1);
			return EX_USAGE;
		}
		if ((r = q_open(q)) != 0)
			return r;
		return schema_print(q, argc - optind == 2 ? argv[optind + 1] :
		    NULL);
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
		sqlite3_bind_text(st, i, argv[optind + i], -1, SQLITE_STATIC);
	/* pt_lines(): the statement runs in a read transaction that a second
	 * reader shares (argvscan.h) */
	guard.own = 1;
	r = argv_lines_begin(q);
	if (r < 0) {
		sqlite3_finalize(st);
		return q_fail(q, r, "sql");
	}
	guard.own = 0;
	r = sql_run(q, st);
	if (r > 0 && sqlite3_errcode(q->db) == SQLITE_INTERRUPT)
		r = DB_E_TIMEOUT;	/* the time limit, not the statement */
	if (r > 0)
		warnx("sql: %s", sqlite3_errmsg(q->db));
	sqlite3_finalize(st);
	guard.own = 1;		/* q_finish's COMMIT, if argv_lines_begin began */
	if (r > 0)
		return EX_SQL;
	return r < 0 ? q_fail(q, r, "sql") : EX_OK;
}

int
cmd_sql(struct qctx *q, int argc, char **argv)
{
	char **args;
	int n, r;

	/* options may come before or after the statement, as elsewhere;
	 * "--" ends them (a parameter starting with '-') */
	args = sql_args(argc, argv, q_opts_sql, &n);
	if (!args) {
		warnx("out of memory");
		return EX_INTERNAL;
	}
	r = sql_main(q, n, args);
	free(args);
	return r;
}
