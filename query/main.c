/*
 * proctrail: query the process history proctraild records.
 *
 * usage: proctrail [--db PATH] [--json | --csv] COMMAND [ARGS]
 *
 * This file holds what the subcommands share: option parsing, opening the
 * database, and turning errors into messages and exit codes (docs/query.md).
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <sys/ioctl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "argvscan.h"
#include "db.h"
#include "fmt.h"
#include "ident.h"
#include "pager.h"
#include "query.h"
#include "timeparse.h"
#include "version.h"

#define DEFAULT_DB	"/var/lib/proctrail/proctrail.db"

const struct q_command q_commands[] = {
	{ "ancestors", cmd_ancestors, "PID|id:N [--at TIME]",
	    "the chain of parents from the root down to the process",
	    q_opts_lineage, "depth", NULL },
	{ "tree", cmd_tree, "PID|id:N [--at TIME] [--depth N]",
	    "the process and its descendants", q_opts_lineage, NULL, NULL },
	{ "show", cmd_show, "PID|id:N [--at TIME]",
	    "the whole lifetime of one process instance", q_opts_show, NULL,
	    NULL },
	{ "ps", cmd_ps, "[--at TIME]",
	    "the processes that were running at a moment", q_opts_ps, NULL,
	    NULL },
	{ "search", cmd_search, "[--comm PAT] [--exe PAT] [--argv PAT] [--user USER]\n"
	    "\t\t[--since TIME] [--until TIME] [--failed] [--min-duration DUR]\n"
	    "\t\t[--parent PID|id:N] [--limit N] [-f|--follow] [--pid PID]\n"
	    "\t\t[--exit-code N] [--signal SIG] [--max-duration DUR] [--cgroup PAT]\n"
	    "\t\t[--unit PAT] [--container PAT] [--login-user USER] [--session N]\n"
	    "\t\t[--tty TTY] [--pid-ns INODE] [--exe-changed]",
	    "processes matching every filter given", q_opts_search, NULL,
	    NULL },
	{ "follow", cmd_follow, "[search filters] [--since TIME]",
	    "processes as the collector records them: starts, execs, ends",
	    q_opts_search, "follow,until,limit", NULL },
	{ "report", cmd_report, "[--since TIME] [--until TIME] [--top N] [SECTION...]",
	    "summaries: commands failures longest parents users",
	    q_opts_window, NULL, "commands failures longest parents users" },
	{ "gaps", cmd_gaps, "[--since TIME] [--until TIME]",
	    "where history is incomplete", q_opts_window, "top", NULL },
	{ "sql", cmd_sql, "STATEMENT [PARAM...]",
	    "run one read-only SQL statement", q_opts_sql, NULL, ".schema" },
	{ "export", cmd_export, "--since TIME [--until TIME] | --cursor-file FILE [--since TIME]\n"
	    "\t\t[--format jsonl|csv] [--kind processes,execs,events,gaps|all]\n"
	    "\t\t[--no-header]",
	    "records for a fleet-wide store (docs/fleet.md)", q_opts_export,
	    NULL, NULL },
	{ "verify", cmd_verify, "[--quick]",
	    "check the database's integrity and consistency", q_opts_verify,
	    NULL, NULL },
	{ "rebuild", cmd_rebuild, "NEW.db [--check] | --check",
	    "derive the process rows again from the file's sources, compare",
	    q_opts_rebuild, NULL, NULL },
	{ "completion", cmd_completion, "bash|zsh",
	    "print a bash or zsh completion script",
	    q_opts_completion, NULL, "bash zsh" },
};
const size_t q_ncommands = sizeof(q_commands) / sizeof(q_commands[0]);

void
q_usage(const char *cmd, int to_stderr)
{
	FILE *f = to_stderr ? stderr : stdout;
	size_t i;

	/* commands see argv[0] as "proctrail NAME" (for getopt's messages) */
	if (cmd && strncmp(cmd, "proctrail ", 10) == 0)
		cmd += 10;

	if (!cmd)
		fprintf(f, "usage: proctrail [--db PATH] [--json | --csv]"
		    " [--time-limit SECONDS] COMMAND [ARGS]\n"
		    "       proctrail --help | --version\n\ncommands:\n");
	for (i = 0; i < q_ncommands; i++) {
		if (cmd && strcmp(cmd, q_commands[i].name) != 0)
			continue;
		if (cmd)
			fprintf(f, "usage: proctrail %s %s\n\n%s.\n",
			    q_commands[i].name, q_commands[i].args, q_commands[i].help);
		else
			fprintf(f, "  %-10s %s\n", q_commands[i].name, q_commands[i].help);
	}
	if (!cmd)
		fprintf(f, "\nA bare number is a PID; id:N is a process instance id.\n"
		    "Times: ISO 8601 (local unless Z or an offset is given), 10:00,\n"
		    "today, yesterday [10:00], now, @EPOCH, or an age such as 2h,\n"
		    "1d12h, -1h or '5 min ago'.  On a terminal, times show in the\n"
		    "local zone (--utc: UTC); JSON and CSV are always UTC.\n"
		    "Database: --db PATH, else $PROCTRAIL_DB, else " DEFAULT_DB ".\n"
		    "Time limit: --time-limit SECONDS, else $PROCTRAIL_TIME_LIMIT,"
		    " else 120; 0: none.\n"
		    "On a terminal, output goes through $PAGER (less -FRSX) unless"
		    " --no-pager;\nwithout one, long lines are cut unless -w.\n"
		    "See proctrail(1).\n");
	else
		fprintf(f, "\ncommon options: --db PATH, --json, --csv,"
		    " --time-limit SECONDS, --utc, -w/--wide,\n"
		    "-o/--fields unit,container,pod, --no-pager, --help\n");
}

/* A --time-limit or $PROCTRAIL_TIME_LIMIT value: seconds, 0 for none. */
static int
parse_limit(const char *s, double *ret)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= 0) || v > 1e9)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* --json, --csv, --db PATH, --time-limit S: 1 if c was one of them, 0 if
 * not; exits on a bad --time-limit. */
static int
q_common_opt(struct qctx *q, int c, const char *arg)
{
	switch (c) {
	case 'L':
		if (parse_limit(arg, &q->time_limit) < 0)
			errx(EX_USAGE, "--time-limit: bad number of seconds"
			    " '%s' (0 for no limit)", arg);
		return 1;
	case 'J':
		q->fmt = OUT_JSON;
		return 1;
	case 'C':
		q->fmt = OUT_CSV;
		return 1;
	case 'D':
		q->dbpath = arg;
		return 1;
	case 'Z':
		q->utc = 1;
		return 1;
	case 'N':
		q->no_pager = 1;
		return 1;
	case 'w':
		q->wide = 1;
		return 1;
	case 'o':
		if (fmt_where_parse(arg, &q->where) < 0)
			errx(EX_USAGE, "-o: '%s': give unit, container or pod,"
			    " comma-separated", arg);
		return 1;
	}
	return 0;
}

int
q_getopt(struct qctx *q, int argc, char **argv, const char *optstring,
    const struct option *longopts, int *ret_exit)
{
	char os[32];
	int c;

	/* -w (--wide) and -o (--fields) are every command's */
	snprintf(os, sizeof(os), "%swo:", optstring);
	while ((c = getopt_long(argc, argv, os, longopts, NULL)) != -1) {
		if (q_common_opt(q, c, optarg))
			continue;
		if (c == 'h') {
			q_usage(argv[0], 0);
			*ret_exit = EX_OK;
			return Q_OPT_EXIT;
		}
		if (c == '?') {
			q_usage(argv[0], 1);
			*ret_exit = EX_USAGE;
			return Q_OPT_EXIT;
		}
		return c;
	}
	return -1;
}

/* pt_argv(blob): the NUL-separated arguments joined by spaces, as text. */
static void
sql_pt_argv(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *b;
	char *s;
	int n, i;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;
	b = sqlite3_value_blob(argv[0]);
	n = sqlite3_value_bytes(argv[0]);
	if (n == 0 || !b) {
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		return;
	}
	s = sqlite3_malloc(n);
	if (!s) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	memcpy(s, b, (size_t)n);
	if (s[n - 1] == '\0')
		n--;
	for (i = 0; i < n; i++)
		if (s[i] == '\0')
			s[i] = ' ';
	sqlite3_result_text(ctx, s, n, sqlite3_free);
}

/*
 * argv's text form for matching, in a buffer reused row after row (one
 * per thread; q_thread_end frees it): the arguments joined by spaces,
 * NUL-terminated.  NULL if out of memory.
 */
static _Thread_local char *scratch;
static _Thread_local size_t scratch_cap;

void
q_thread_end(void)
{
	free(scratch);
	scratch = NULL;
	scratch_cap = 0;
}

static const char *
argv_scratch(sqlite3_value *v, size_t *ret_len)
{
	const char *b = sqlite3_value_blob(v);
	size_t n = (size_t)sqlite3_value_bytes(v), i;

	if (n && b[n - 1] == '\0')
		n--;
	if (n + 1 > scratch_cap) {
		char *nb = realloc(scratch, n + 1);

		if (!nb)
			return NULL;
		scratch = nb;
		scratch_cap = n + 1;
	}
	for (i = 0; i < n; i++)
		scratch[i] = b[i] ? b[i] : ' ';
	scratch[n] = '\0';
	*ret_len = n;
	return scratch;
}

/*
 * Whether the m bytes at p occur in the n bytes at h.  Most stored lines
 * are short: there each place where p's first byte occurs (memchr) is
 * compared, which costs less than memmem's set-up for every line (a
 * quarter of a search over 6.5 million lines).  Longer ones go to memmem,
 * whose time stays linear whatever the bytes.
 */
static int
has_bytes(const char *h, size_t n, const char *p, size_t m)
{
	const char *end;

	if (m == 0)
		return 1;
	if (m > n)
		return 0;
	if (n > 256)
		return memmem(h, n, p, m) != NULL;
	end = h + (n - m) + 1;
	while ((h = memchr(h, p[0], (size_t)(end - h))) != NULL) {
		if (memcmp(h + 1, p + 1, m - 1) == 0)
			return 1;
		h++;
	}
	return 0;
}

/* All n bytes at s are ASCII. */
static int
ascii(const char *s, size_t n)
{
	while (n--)
		if ((unsigned char)*s++ >= 0x80)
			return 0;
	return 1;
}

/*
 * pt_argv_has(argv, text): text is in the arguments joined by spaces;
 * pt_argv_glob(argv, pattern): they match the GLOB pattern (search --argv
 * without and with glob characters).  The user data says which.
 */
static void
sql_pt_argv_match(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int glob = sqlite3_user_data(ctx) != NULL;
	const char *s, *pat;
	size_t n, m;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL ||
	    sqlite3_value_type(argv[1]) == SQLITE_NULL)
		return;
	pat = (const char *)sqlite3_value_text(argv[1]);
	if (!pat) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	m = (size_t)sqlite3_value_bytes(argv[1]);
	if (memchr(pat, '\0', m)) {
		/* the text has no NUL (each became a space) */
		sqlite3_result_int(ctx, 0);
		return;
	}
	if (glob && m >= 2 && pat[0] == '*' && pat[m - 1] == '*' &&
	    strcspn(pat + 1, "*?[") == m - 2 && ascii(pat, m)) {
		/* *TEXT*, the common glob: a substring, matched as one.  Only
		 * ASCII TEXT: GLOB decodes UTF-8 (a byte of an invalid
		 * sequence may match another), but an ASCII byte is always a
		 * character of its own, in the pattern and in the text */
		glob = 0;
		pat++;
		m -= 2;
	}
	if (!glob && !memchr(pat, ' ', m)) {
		/* no space in the text: it cannot span two arguments, and a
		 * NUL matches none of its bytes, so the bytes as stored do
		 * (no copy: a third of the time of a search over 6.5 million
		 * lines) */
		s = sqlite3_value_blob(argv[0]);
		n = (size_t)sqlite3_value_bytes(argv[0]);
		sqlite3_result_int(ctx, has_bytes(s ? s : "", n, pat, m));
		return;
	}
	s = argv_scratch(argv[0], &n);
	if (!s) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	sqlite3_result_int(ctx, glob ? sqlite3_strglob(pat, s) == 0 :
	    has_bytes(s, n, pat, m));
}

int
q_fail(struct qctx *q, int err, const char *what)
{
	int werr = out_write_error(q->out);

	/* a failed write to stdout is the cause, whatever err reads */
	if (werr < 0) {
		warnx("stdout: %s", strerror(-werr));
		return EX_INTERNAL;
	}
	switch (err) {
	case -ENOMEM:
		warnx("%s: out of memory", what);
		return EX_INTERNAL;
	case DB_E_CORRUPT:
	case DB_E_FOREIGN:
	case DB_E_NEWER:
	case DB_E_BUSY:
		warnx("%s: %s", q->dbpath, db_strerror(err));
		return EX_DB;
	case DB_E_TIMEOUT:
		warnx("%s: %s: stopped after the time limit of %g s (raise it"
		    " with --time-limit SECONDS or $PROCTRAIL_TIME_LIMIT; 0 lifts"
		    " it)", q->dbpath, what, q->time_limit);
		return EX_DB;
	case DB_E_SQL:
		/* SQLite's own words: "no such table: process" */
		warnx("%s: %s: %s", q->dbpath, what, q->errmsg[0] ?
		    q->errmsg : q->db ? sqlite3_errmsg(q->db) :
		    db_strerror(err));
		return EX_DB;
	default:
		warnx("%s: %s", what, db_strerror(err));
		return EX_DB;
	}
}

static int64_t
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* SQLite's progress handler (query.h). */
int
q_progress(void *arg)
{
	const struct qctx *q = arg;

	return q->deadline && mono_now() > q->deadline;
}

void
q_budget(struct qctx *q)
{
	if (q->time_limit > 0)
		q->deadline = mono_now() + (int64_t)(q->time_limit * 1e9);
}


/*
 * The exec rows as the commands read them, whatever the file's version:
 * a temporary view "exec" (it hides the table) with the executable's path
 * and the cgroup path as text, from their rows since version 5, and the
 * columns a version lacks as NULL; before version 4, "cmdline" rows made
 * of the exec rows' argv.  Single-table views with scalar subqueries:
 * SQLite flattens them into each query, which keeps using the indexes.
 * Not for "sql", which shows the file as it is.
 */
static int
q_compat_views(struct qctx *q)
{
	static const char v5[] =
	    "CREATE TEMP VIEW exec AS SELECT x.id, x.process, x.time,"
	    " x.cmdline, coalesce((SELECT f.path FROM main.file f"
	    " WHERE f.id = x.file), x.exe) AS exe, x.cwd,"
	    " coalesce((SELECT c.path FROM main.cgroup c"
	    " WHERE c.id = x.cgroup_id), x.cgroup) AS cgroup, x.comm, x.uid,"
	    " x.euid, x.gid, x.egid, x.capture, x.file, x.cgroup_id, x.ns,"
	    " x.ns_pid,"
	    " x.login_uid, x.login_session, x.tty FROM main.exec x;";
	/* before version 5: its columns, none */
#define NO_V5 " cwd, cgroup, comm, uid, euid, gid, egid, capture, NULL AS file," \
	" NULL AS cgroup_id, NULL AS ns, NULL AS ns_pid, NULL AS login_uid," \
	" NULL AS login_session, NULL AS tty FROM main.exec;"
	static const char v4[] =
	    "CREATE TEMP VIEW exec AS SELECT id, process, time, cmdline, exe,"
	    NO_V5;
	static const char v3[] =
	    "CREATE TEMP VIEW exec AS SELECT id, process, time,"
	    " CASE WHEN argv IS NOT NULL THEN id END AS cmdline, exe,"
	    NO_V5
	    "CREATE TEMP VIEW cmdline AS SELECT id, argv"
	    " FROM main.exec WHERE argv IS NOT NULL;";
#undef NO_V5
	/* the tables version 5 adds, empty */
	static const char none[] =
	    "CREATE TEMP TABLE file(id INTEGER PRIMARY KEY, path TEXT,"
	    " dev INTEGER, ino INTEGER, size INTEGER, mtime INTEGER,"
	    " ctime INTEGER, sha256 TEXT);"
	    "CREATE TEMP TABLE ns(id INTEGER PRIMARY KEY, pid_ns INTEGER,"
	    " mnt_ns INTEGER, user_ns INTEGER);"
	    "CREATE TEMP TABLE cgroup(id INTEGER PRIMARY KEY, path TEXT,"
	    " unit TEXT, container TEXT, pod TEXT);";
	int rc;

	rc = sqlite3_exec(q->db, q->version >= 5 ? v5 : q->version == 4 ?
	    v4 : v3, NULL, NULL, NULL);
	if (rc == SQLITE_OK && q->version < 5)
		rc = sqlite3_exec(q->db, none, NULL, NULL, NULL);
	return db_errno(q->db, rc);
}

void
q_functions(struct qctx *q, sqlite3 *db)
{
	/* every 10,000 virtual machine steps: about a millisecond */
	sqlite3_progress_handler(db, 10000, q_progress, q);
	sqlite3_create_function_v2(db, "pt_argv", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, sql_pt_argv, NULL,
	    NULL, NULL);
	sqlite3_create_function_v2(db, "pt_argv_has", 2, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, sql_pt_argv_match,
	    NULL, NULL, NULL);
	sqlite3_create_function_v2(db, "pt_argv_glob", 2, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, (void *)"glob",
	    sql_pt_argv_match, NULL, NULL, NULL);
	db_add_cgroup_functions(db);
}

int
q_open(struct qctx *q)
{
	int r;

	/* the budget counts from the open: option parsing is instant, and
	 * user lookups or output are bounded by what SQLite returned */
	if (q->time_limit > 0)
		q->deadline = mono_now() + (int64_t)(q->time_limit * 1e9);
	sqlite3_hard_heap_limit64(Q_HEAP_LIMIT);

	/* for a second reader of a file nobody writes (db_open_twin) */
	db_stamp(q->dbpath, &q->stamp);
	r = q->follow ? db_open_follow(q->dbpath, &q->db, &q->version) :
	    db_open_ro(q->dbpath, &q->db, &q->version);
	if (r < 0) {
		if (r == -EINVAL)
			warnx("%s: not a regular file", q->dbpath);
		else if (r == -EACCES)
			warnx("%s: %s (the collector gives a group read access"
			    " with proctraild --group GROUP; see proctraild(8))",
			    q->dbpath, strerror(EACCES));
		else
			warnx("%s: %s", q->dbpath, db_strerror(r));
		return r == -ENOMEM ? EX_INTERNAL : EX_DB;
	}
	q_functions(q, q->db);
	r = argv_lines_register(q);
	if (r == 0)
		r = argv_scan_split(&q->scan_split);
	if (r == -EINVAL) {
		warnx("PROCTRAIL_SCAN_SPLIT: not a number of lines: '%s'",
		    getenv("PROCTRAIL_SCAN_SPLIT"));
		return EX_USAGE;
	}
	if (r < 0) {
		warnx("%s: %s", q->dbpath, db_strerror(r));
		return EX_INTERNAL;
	}
	if (q->version >= 1 && !q->as_is) {
		r = q_compat_views(q);
		if (r < 0) {
			warnx("%s: not readable as a proctrail database of"
			    " version %d: %s", q->dbpath, q->version,
			    sqlite3_errmsg(q->db));
			return EX_DB;
		}
	}
	r = out_new(q->fmt, stdout, &q->out);
	if (r < 0) {
		warnx("out of memory");
		return EX_INTERNAL;
	}
	out_set_local(q->out, !q->utc && q->tty);
	fmt_proc_where(q->where);
	/* on a terminal: a pager (which chops long lines itself), else lines
	 * cut to the width with a visible mark; -w keeps them whole */
	if (q->tty) {
		int paged = !q->no_pager && !q->follow && pager_start() > 0;

		if (!paged && !q->wide)
			out_set_cut(q->out, (size_t)q->columns);
	}
	return 0;
}

int
q_begin(struct qctx *q)
{
	return db_errno(q->db, sqlite3_exec(q->db, "BEGIN", NULL, NULL, NULL));
}

int
q_commit(struct qctx *q)
{
	if (sqlite3_get_autocommit(q->db))
		return 0;
	return db_errno(q->db, sqlite3_exec(q->db, "COMMIT", NULL, NULL, NULL));
}

int
q_time_arg(struct qctx *q, const char *opt, const char *arg, int64_t *ret)
{
	int r = timeparse_point(arg, q->now, ret);

	if (r == -ERANGE) {
		warnx("%s: '%s' is out of range (times go from %s)", opt, arg,
		    TIMEPARSE_RANGE);
		return EX_USAGE;
	}
	if (r < 0) {
		warnx("%s: bad time expression '%s'; times are 2024-05-01,"
		    " 2024-05-01T10:00[:05][Z|+02:00] (local without Z or an"
		    " offset), 10:00 (today), today, yesterday [10:00], now,"
		    " @EPOCH, or an age: 2h, 1d12h, -1h, '5 min ago', 1y", opt,
		    arg);
		return EX_USAGE;
	}
	return 0;
}

void
q_gap_note(struct qctx *q, int64_t at)
{
	static const char sql[] =
	    "SELECT kind, start, end, count FROM gap"
	    " WHERE start <= :at AND end >= :at ORDER BY start LIMIT 3";
	char from[48], to[48], day[32];
	sqlite3_stmt *st;
	int fa, fb;

	if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK)
		return;		/* a note, not an answer: never an error */
	if (db_bind_int64(st, ":at", at) < 0) {
		sqlite3_finalize(st);
		return;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 0);

		if (out_utc(sqlite3_column_int64(st, 1), day, &fa) < 0)
			continue;
		snprintf(from, sizeof(from), "%s.%03d", day, fa / 1000000);
		if (out_utc(sqlite3_column_int64(st, 2), day, &fb) < 0)
			continue;
		snprintf(to, sizeof(to), "%s.%03d", day, fb / 1000000);
		if (kind && strcmp(kind, "downtime") == 0)
			warnx("note: no collector ran from %sZ to %sZ: history"
			    " of that time is missing", from, to);
		else if (sqlite3_column_type(st, 3) != SQLITE_NULL)
			warnx("note: %lld events were lost (%s) between %sZ"
			    " and %sZ: history of that time is incomplete",
			    (long long)sqlite3_column_int64(st, 3),
			    kind ? kind : "?", from, to);
		else
			warnx("note: events were lost (%s) between %sZ and %sZ:"
			    " history of that time is incomplete",
			    kind ? kind : "?", from, to);
	}
	sqlite3_finalize(st);
}

int
q_resolve(struct qctx *q, const char *arg, int64_t at, int64_t *ret_id)
{
	struct ident id;
	int r;

	r = ident_resolve(q->db, arg, at, &id);
	if (r == -EINVAL) {
		warnx("'%s': not a PID or id:N", arg);
		return EX_USAGE;
	}
	if (r == -ERANGE) {
		if (strncmp(arg, "id:", 3) == 0)
			warnx("'%s': out of range (instance ids go from %s)",
			    arg, IDENT_ID_RANGE);
		else
			warnx("'%s': out of range (PIDs go from %s)", arg,
			    IDENT_PID_RANGE);
		return EX_USAGE;
	}
	if (r == -ENOENT) {
		if (strncmp(arg, "id:", 3) == 0)
			warnx("%s: no such process instance", arg);
		else if (at != IDENT_NO_TIME)
			warnx("pid %s: no instance running at that time", arg);
		else
			warnx("pid %s: no such process", arg);
		return EX_NOMATCH;
	}
	if (r < 0)
		return q_fail(q, r, "process lookup");
	if (id.nmatch > 1)
		warnx("pid %lld: %d instances, using id:%lld, %s",
		    (long long)id.pid, id.nmatch, (long long)id.id,
		    ident_how_str(id.how));
	if (at != IDENT_NO_TIME)
		q_gap_note(q, at);
	*ret_id = id.id;
	return 0;
}

int
q_finish(struct qctx *q, int code)
{
	int r;

	if (q->db)
		q_commit(q);
	sqlite3_close(q->twin);
	q->twin = NULL;
	r = out_close(q->out);
	q->out = NULL;
	if (r < 0 && code == EX_OK) {
		warnx("stdout: %s", strerror(-r));
		code = EX_INTERNAL;
	}
	pager_end();
	return code;
}

static int64_t
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* its options (completion.c lists them too) */
const struct option q_opts_main[] = {
	Q_COMMON_LONGOPTS,
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

int
main(int argc, char **argv)
{
	struct qctx q = { 0 };
	const char *env;
	int c, code;
	size_t i;

	q.dbpath = DEFAULT_DB;
	q.time_limit = Q_TIME_LIMIT_DEFAULT;
	env = getenv("PROCTRAIL_TIME_LIMIT");
	if (env && *env && parse_limit(env, &q.time_limit) < 0)
		errx(EX_USAGE, "PROCTRAIL_TIME_LIMIT: bad number of seconds '%s'"
		    " (0 for no limit)", env);
	env = getenv("PROCTRAIL_DB");
	if (env && *env)
		q.dbpath = env;
	q.now = wall_now();
	q.tty = isatty(STDOUT_FILENO);
	if (q.tty) {
		struct winsize ws;
		const char *cols = getenv("COLUMNS");

		if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col)
			q.columns = ws.ws_col;
		else if (cols && atoi(cols) > 0)
			q.columns = atoi(cols);
	}
	/* character widths (wcwidth) for aligning columns; the text itself
	 * is handled as UTF-8 bytes whatever the locale */
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		(void)setlocale(LC_CTYPE, "");

	/* getopt's messages name the program, not the path it was run by */
	argv[0] = (char *)"proctrail";
	/* "+": options before the command only; the command parses the rest */
	while ((c = getopt_long(argc, argv, "+hVwo:", q_opts_main, NULL)) != -1) {
		if (q_common_opt(&q, c, optarg))
			continue;
		switch (c) {
		case 'h':
			q_usage(NULL, 0);
			return EX_OK;
		case 'V':
			printf("proctrail %s\n", PROCTRAIL_VERSION);
			return EX_OK;
		default:
			q_usage(NULL, 1);
			return EX_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		q_usage(NULL, 1);
		return EX_USAGE;
	}
	if (strcmp(argv[0], "help") == 0) {
		for (i = 0; argc > 1 && i < q_ncommands; i++)
			if (strcmp(argv[1], q_commands[i].name) == 0)
				break;
		if (argc > 1 && i == q_ncommands) {
			warnx("help: unknown command '%s'", argv[1]);
			q_usage(NULL, 1);
			return EX_USAGE;
		}
		q_usage(argc > 1 ? argv[1] : NULL, 0);
		return EX_OK;
	}
	/* a pinned "now" (tests) matters to commands, not to --help */
	env = getenv("PROCTRAIL_NOW");
	if (env && *env && (c = timeparse_point(env, q.now, &q.now)) < 0)
		errx(EX_USAGE, "PROCTRAIL_NOW: %s '%s'", c == -ERANGE ?
		    "out of range (times go from " TIMEPARSE_RANGE ")" :
		    "bad time expression", env);
	for (i = 0; i < q_ncommands; i++) {
		if (strcmp(argv[0], q_commands[i].name) != 0)
			continue;
		char name[32];

		/* getopt's own messages then read "proctrail tree: ..." */
		snprintf(name, sizeof(name), "proctrail %s", q_commands[i].name);
		argv[0] = name;
		optind = 0;	/* glibc: full reset for the command's getopt */
		code = q_commands[i].fn(&q, argc, argv);
		code = q_finish(&q, code);
		sqlite3_close(q.db);
		return code;
	}
	warnx("unknown command '%s'", argv[0]);
	q_usage(NULL, 1);
	return EX_USAGE;
}
