/*
 * report and gaps.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "fmt.h"
#include "query.h"
#include "report.h"

/* :since, :until (the window), :top (rows per section), :now */
#define WINDOW " p.start >= :since AND p.start < :until "
#define FAILED "(p.status IS NOT NULL AND p.status <> 0)"

static const struct out_col commands_cols[] = {
	{ "comm", 0 }, { "count", OUT_NUM }, { "failed", OUT_NUM },
	{ "avg_duration", OUT_NUM }, { "max_duration", OUT_NUM },
	{ "last_start", 0 },
};
/* for programs: durations in ns, as everywhere */
static const struct out_col commands_mcols[] = {
	{ "comm", 0 }, { "count", 0 }, { "failed", 0 },
	{ "avg_duration_ns", 0 }, { "max_duration_ns", 0 },
	{ "last_start", 0 },
};
static const char commands_sql[] =
    "SELECT p.comm, count(*), sum(" FAILED "), avg(p.end - p.start),"
    " max(p.end - p.start), max(p.start)"
    " FROM process p WHERE" WINDOW
    " GROUP BY p.comm ORDER BY 2 DESC, 1 LIMIT :top";

static const struct out_col failures_cols[] = {
	{ "comm", 0 }, { "failed", OUT_NUM }, { "count", OUT_NUM },
	{ "signaled", OUT_NUM }, { "last_failure", 0 },
};
static const char failures_sql[] =
    "SELECT p.comm, sum(" FAILED "), count(*),"
    " sum(p.status IS NOT NULL AND (p.status & 127) <> 0),"
    " max(CASE WHEN " FAILED " THEN p.start END)"
    " FROM process p WHERE" WINDOW
    " GROUP BY p.comm HAVING sum(" FAILED ") > 0"
    " ORDER BY 2 DESC, 1 LIMIT :top";

static const char longest_sql[] =
    "SELECT " FMT_PROC_SELECT
    " FROM process p LEFT JOIN exec x ON x.id = p.image"
    " LEFT JOIN cmdline cl ON cl.id = x.cmdline WHERE" WINDOW
    " ORDER BY coalesce(p.end, :now) - p.start DESC, p.id LIMIT :top";

static const struct out_col parents_cols[] = {
	{ "children", OUT_NUM }, { "failed", OUT_NUM }, { "id", OUT_NUM },
	{ "pid", OUT_NUM }, { "start", 0 }, { "user", 0 }, { "uid", OUT_NUM },
	{ "comm", 0 }, { "argv", 0 },
};
static const char parents_sql[] =
    "SELECT t.n, t.f, q.id, q.tgid, q.start, q.uid, q.uid, q.comm, cl.argv"
    " FROM (SELECT p.parent AS parent, count(*) AS n, sum(" FAILED ") AS f"
    "  FROM process p WHERE" WINDOW "AND p.parent IS NOT NULL"
    "  GROUP BY p.parent ORDER BY n DESC, p.parent LIMIT :top) t"
    " JOIN process q ON q.id = t.parent LEFT JOIN exec x ON x.id = q.image"
    " LEFT JOIN cmdline cl ON cl.id = x.cmdline"
    " ORDER BY t.n DESC, q.id";

static const struct out_col users_cols[] = {
	{ "user", 0 }, { "uid", OUT_NUM }, { "count", OUT_NUM },
	{ "failed", OUT_NUM }, { "commands", OUT_NUM },
};
static const char users_sql[] =
    "SELECT p.uid, p.uid, count(*), sum(" FAILED "), count(DISTINCT p.comm)"
    " FROM process p WHERE" WINDOW
    " GROUP BY p.uid ORDER BY 3 DESC, 1 LIMIT :top";

/* one row per audit login session (pam_loginuid): who, on which
 * terminal, the processes of the window that ran in it */
static const struct out_col logins_cols[] = {
	{ "user", 0 }, { "login_uid", OUT_NUM }, { "session", OUT_NUM },
	{ "tty", 0 }, { "first_start", 0 }, { "last_start", 0 },
	{ "count", OUT_NUM }, { "failed", OUT_NUM },
};
static const char logins_sql[] =
    "SELECT x.login_uid, x.login_uid, x.login_session, min(x.tty),"
    " min(p.start), max(p.start), count(*), sum(" FAILED ")"
    " FROM process p JOIN exec x ON x.id = p.image WHERE" WINDOW
    " AND x.login_session IS NOT NULL"
    " GROUP BY x.login_session ORDER BY 7 DESC, 3 LIMIT :top";

/* How each result column is printed. */
enum kind { K_TEXT, K_INT, K_TIME, K_DUR, K_USER, K_ARGV };

static const struct section {
	const char		*name;
	const char		*sql;
	const struct out_col	*cols;	/* NULL: standard process rows */
	const struct out_col	*mcols;	/* for programs, if other names */
	size_t			 ncols;
	enum kind		 kinds[9];
} sections[] = {
	{ "commands", commands_sql, commands_cols, commands_mcols, 6,
	    { K_TEXT, K_INT, K_INT, K_DUR, K_DUR, K_TIME } },
	{ "failures", failures_sql, failures_cols, NULL, 5,
	    { K_TEXT, K_INT, K_INT, K_INT, K_TIME } },
	{ "longest", longest_sql, NULL, NULL, 0, { K_TEXT } },
	{ "parents", parents_sql, parents_cols, NULL, 9,
	    { K_INT, K_INT, K_INT, K_INT, K_TIME, K_USER, K_INT, K_TEXT,
	    K_ARGV } },
	{ "users", users_sql, users_cols, NULL, 5,
	    { K_USER, K_INT, K_INT, K_INT, K_INT } },
	{ "logins", logins_sql, logins_cols, NULL, 8,
	    { K_USER, K_INT, K_INT, K_TEXT, K_TIME, K_TIME, K_INT, K_INT } },
};
#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

static int
cell(struct out *o, sqlite3_stmt *st, int i, enum kind k)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return out_null(o);
	switch (k) {
	case K_INT:
		return out_int(o, sqlite3_column_int64(st, i));
	case K_TIME:
		return out_time(o, sqlite3_column_int64(st, i));
	case K_DUR:	/* for programs ns, as everywhere */
		if (out_format(o) != OUT_TABLE)
			return out_int(o, (int64_t)sqlite3_column_double(st, i));
		return out_duration(o, (int64_t)sqlite3_column_double(st, i));
	case K_USER:	/* for programs the name, or null if it has none */
		if (out_format(o) != OUT_TABLE)
			return out_str(o, fmt_user_name(sqlite3_column_int64(st,
			    i)));
		return out_str(o, fmt_user(sqlite3_column_int64(st, i)));
	case K_ARGV:
		return out_argv(o, sqlite3_column_blob(st, i) ?
		    sqlite3_column_blob(st, i) : "",
		    (size_t)sqlite3_column_bytes(st, i));
	case K_TEXT:
		break;
	}
	return out_str(o, (const char *)sqlite3_column_text(st, i));
}

static int
report_section(struct qctx *q, const struct section *s, int64_t since,
    int64_t until, int64_t top)
{
	sqlite3_stmt *st;
	int rc, r, i, ncols;

	rc = sqlite3_prepare_v2(q->db, s->sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_errno(q->db, rc);
	r = db_bind_int64(st, ":since", since);
	r = r ? r : db_bind_int64(st, ":until", until);
	r = r ? r : db_bind_int64(st, ":top", top);
	/* only "longest" counts a running process's time up to now */
	if (r == 0 && sqlite3_bind_parameter_index(st, ":now"))
		r = db_bind_int64(st, ":now", q->now);
	if (r < 0) {
		sqlite3_finalize(st);
		return r;
	}
	if (s->cols)
		r = out_table_begin(q->out, s->name, s->mcols &&
		    out_format(q->out) != OUT_TABLE ? s->mcols : s->cols,
		    s->ncols, 0);
	else {
		const struct out_col *cols = fmt_proc_columns(q->out, &ncols);

		r = out_table_begin(q->out, s->name, cols, ncols, 0);
	}
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!s->cols) {
			r = fmt_proc_row(q->out, st, 0);
			continue;
		}
		for (i = 0; r == 0 && i < (int)s->ncols; i++)
			r = cell(q->out, st, i, s->kinds[i]);
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = db_errno(q->db, rc);
	sqlite3_finalize(st);
	if (r == 0)
		r = out_table_end(q->out);
	return r;
}

/* its options (completion.c lists them too) */
const struct option q_opts_window[] = {
	Q_COMMON_LONGOPTS,
	{ "since", required_argument, NULL, 's' },
	{ "until", required_argument, NULL, 'U' },
	{ "top", required_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* --since/--until and --top, shared by report and gaps. */
static int
window_args(struct qctx *q, int argc, char **argv, int with_top,
    int64_t *since, int64_t *until, int64_t *top)
{
	char *end;
	int c, r;

	*since = INT64_MIN;
	*until = INT64_MAX;
	*top = 10;
	while ((c = q_getopt(q, argc, argv, "h", q_opts_window, &r)) >= 0) {
		switch (c) {
		case 's':
			if ((r = q_time_arg(q, "--since", optarg, since)) != 0)
				return r;
			break;
		case 'U':
			if ((r = q_time_arg(q, "--until", optarg, until)) != 0)
				return r;
			break;
		case 't':
			if (!with_top)
				goto usage;
			errno = 0;
			*top = strtoll(optarg, &end, 10);
			if (errno || *end || end == optarg || *top < 1) {
				warnx("--top: bad number '%s'", optarg);
				return EX_USAGE;
			}
			break;
		}
	}
	if (c == Q_OPT_EXIT)
		return r == EX_OK ? -1 : r;	/* -1: after --help */
	if (*since > *until) {
		warnx("--since is after --until: an empty window");
		return EX_USAGE;
	}
	return 0;
usage:
	q_usage(argv[0], 1);
	return EX_USAGE;
}

int
cmd_report(struct qctx *q, int argc, char **argv)
{
	int want[NSECTIONS] = { 0 }, any = 0, r;
	int64_t since, until, top;
	size_t i;

	r = window_args(q, argc, argv, 1, &since, &until, &top);
	if (r)
		return r < 0 ? EX_OK : r;
	for (; optind < argc; optind++) {
		for (i = 0; i < NSECTIONS; i++)
			if (strcmp(argv[optind], sections[i].name) == 0)
				break;
		if (i == NSECTIONS) {
			warnx("unknown report section '%s'", argv[optind]);
			q_usage(argv[0], 1);
			return EX_USAGE;
		}
		want[i] = any = 1;
	}
	if ((r = q_open(q)) != 0)
		return r;
	if ((r = q_begin(q)) < 0)
		return q_fail(q, r, "report");
	for (i = 0; r == 0 && i < NSECTIONS; i++)
		if (!any || want[i])
			r = report_section(q, &sections[i], since, until, top);
	return r < 0 ? q_fail(q, r, "report") : EX_OK;
}

int
cmd_gaps(struct qctx *q, int argc, char **argv)
{
	static const char sql[] =
	    "SELECT " FMT_GAP_SELECT
	    " FROM gap WHERE end >= :since AND start < :until ORDER BY start, id";
	const struct out_col *cols;
	int64_t since, until, top;
	sqlite3_stmt *st;
	int r, rc, ncols;

	r = window_args(q, argc, argv, 0, &since, &until, &top);
	if (r)
		return r < 0 ? EX_OK : r;
	if (optind != argc) {
		warnx("%s: unexpected argument '%s'", argv[0] + 10, argv[optind]);
		q_usage(argv[0], 1);
		return EX_USAGE;
	}
	if ((r = q_open(q)) != 0)
		return r;
	rc = sqlite3_prepare_v2(q->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return q_fail(q, db_errno(q->db, rc), "gaps");
	r = db_bind_int64(st, ":since", since);
	r = r ? r : db_bind_int64(st, ":until", until);
	if (r < 0) {
		sqlite3_finalize(st);
		return q_fail(q, r, "gaps");
	}
	cols = fmt_gap_columns(q->out, &ncols);
	r = out_table_begin(q->out, NULL, cols, ncols, 0);
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
		r = fmt_gap_row(q->out, st, 0);
	if (r == 0 && rc != SQLITE_DONE)
		r = db_errno(q->db, rc);
	sqlite3_finalize(st);
	if (r == 0)
		r = out_table_end(q->out);
	return r < 0 ? q_fail(q, r, "gaps") : EX_OK;
}
