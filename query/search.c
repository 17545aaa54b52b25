/*
 * search and ps.  One static statement per shape; absent filters are bound
 * as NULL and fall away in "(?n IS NULL OR ...)".  --parent gets its own
 * statement so that the planner can use process_parent for it.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "fmt.h"
#include "ident.h"
#include "query.h"
#include "search.h"
#include "timeparse.h"

/* Parameter numbers of the search statement. */
enum {
	P_SINCE = 1, P_UNTIL, P_COMM_SUB, P_COMM_GLOB, P_EXE_SUB, P_EXE_GLOB,
	P_ARGV_SUB, P_ARGV_GLOB, P_UID, P_FAILED, P_MINDUR, P_NOW, P_PARENT,
	P_LIMIT
};

#define SEARCH_FILTERS \
	" AND (?3 IS NULL OR instr(p.comm, ?3) > 0)" \
	" AND (?4 IS NULL OR p.comm GLOB ?4)" \
	" AND (?5 IS NULL OR instr(x.exe, ?5) > 0 OR EXISTS (SELECT 1 FROM exec y" \
	"  WHERE y.process = p.id AND instr(y.exe, ?5) > 0))" \
	" AND (?6 IS NULL OR x.exe GLOB ?6 OR EXISTS (SELECT 1 FROM exec y" \
	"  WHERE y.process = p.id AND y.exe GLOB ?6))" \
	" AND (?7 IS NULL OR instr(pt_argv(x.argv), ?7) > 0 OR EXISTS (SELECT 1" \
	"  FROM exec y WHERE y.process = p.id AND instr(pt_argv(y.argv), ?7) > 0))" \
	" AND (?8 IS NULL OR pt_argv(x.argv) GLOB ?8 OR EXISTS (SELECT 1" \
	"  FROM exec y WHERE y.process = p.id AND pt_argv(y.argv) GLOB ?8))" \
	" AND (?9 IS NULL OR p.uid = ?9 OR p.euid = ?9)" \
	" AND (?10 = 0 OR (p.status IS NOT NULL AND p.status <> 0))" \
	" AND (?11 IS NULL OR coalesce(p.end, ?12) - p.start >= ?11)"

static const char search_sql[] =
    "SELECT " FMT_PROC_SELECT
    " FROM process p LEFT JOIN exec x ON x.id = p.image"
    " WHERE p.start >= ?1 AND p.start < ?2"
    SEARCH_FILTERS
    " AND ?13 IS NULL"
    " ORDER BY p.start, p.id LIMIT ?14";

static const char search_parent_sql[] =
    "SELECT " FMT_PROC_SELECT
    " FROM process p LEFT JOIN exec x ON x.id = p.image"
    " WHERE p.parent = ?13 AND p.start >= ?1 AND p.start < ?2"
    SEARCH_FILTERS
    " ORDER BY p.start, p.id LIMIT ?14";

static int
is_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static void
bind_pattern(sqlite3_stmt *st, int sub, const char *pat)
{
	if (!pat)
		return;
	sqlite3_bind_text(st, is_glob(pat) ? sub + 1 : sub, pat, -1,
	    SQLITE_STATIC);
}

static int
parse_uid(const char *s, int64_t *ret)
{
	struct passwd *pw;
	char *end;
	unsigned long v;

	if (*s >= '0' && *s <= '9') {
		errno = 0;
		v = strtoul(s, &end, 10);
		if (errno || *end || v > UINT32_MAX)
			return -EINVAL;
		*ret = (int64_t)v;
		return 0;
	}
	pw = getpwnam(s);
	if (!pw)
		return -ENOENT;
	*ret = pw->pw_uid;
	return 0;
}

/* Print every row of st as standard process rows; 1 if there were none. */
static int
print_procs(struct qctx *q, sqlite3_stmt *st, const char *what)
{
	int rc, r, n = 0;

	r = out_table_begin(q->out, NULL, fmt_proc_cols, FMT_PROC_NCOLS, 0);
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = fmt_proc_row(q->out, st, 0);
		n++;
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = db_errno(q->db, rc);
	sqlite3_finalize(st);
	if (r == 0)
		r = out_table_end(q->out);
	if (r < 0)
		return q_fail(q, r, what);
	return n ? EX_OK : EX_NOMATCH;
}

int
cmd_search(struct qctx *q, int argc, char **argv)
{
	static const struct option longopts[] = {
		Q_COMMON_LONGOPTS,
		{ "comm", required_argument, NULL, 'c' },
		{ "exe", required_argument, NULL, 'e' },
		{ "argv", required_argument, NULL, 'a' },
		{ "user", required_argument, NULL, 'u' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'U' },
		{ "failed", no_argument, NULL, 'f' },
		{ "min-duration", required_argument, NULL, 'm' },
		{ "parent", required_argument, NULL, 'p' },
		{ "limit", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *comm = NULL, *exe = NULL, *args = NULL, *user = NULL;
	const char *parent = NULL;
	int64_t since = INT64_MIN, until = INT64_MAX, uid = 0, mindur = -1;
	int64_t limit = -1, pid;
	sqlite3_stmt *st;
	char *end;
	int c, r, rc, failed = 0;

	while ((c = q_getopt(q, argc, argv, "h", longopts, &r)) >= 0) {
		switch (c) {
		case 'c':
			comm = optarg;
			break;
		case 'e':
			exe = optarg;
			break;
		case 'a':
			args = optarg;
			break;
		case 'u':
			user = optarg;
			r = parse_uid(user, &uid);
			if (r < 0) {
				warnx("--user: unknown user '%s'", user);
				return EX_USAGE;
			}
			break;
		case 's':
			if ((r = q_time_arg(q, "--since", optarg, &since)) != 0)
				return r;
			break;
		case 'U':
			if ((r = q_time_arg(q, "--until", optarg, &until)) != 0)
				return r;
			break;
		case 'f':
			failed = 1;
			break;
		case 'm':
			r = timeparse_duration(optarg, &mindur);
			if (r == -ERANGE) {
				warnx("--min-duration: '%s' is out of range (at"
				    " most %s)", optarg, TIMEPARSE_DUR_MAX);
				return EX_USAGE;
			}
			if (r < 0) {
				warnx("--min-duration: bad duration '%s'", optarg);
				return EX_USAGE;
			}
			break;
		case 'p':
			parent = optarg;
			break;
		case 'l':
			errno = 0;
			limit = strtoll(optarg, &end, 10);
			if (errno || *end || end == optarg || limit < 0) {
				warnx("--limit: bad number '%s'", optarg);
				return EX_USAGE;
			}
			break;
		}
	}
	if (c == Q_OPT_EXIT)
		return r;
	if (optind != argc) {
		q_usage(argv[0], 1);
		return EX_USAGE;
	}
	if ((r = q_open(q)) != 0)
		return r;
	if ((r = q_begin(q)) < 0)
		return q_fail(q, r, "search");
	if (parent && (r = q_resolve(q, parent, IDENT_NO_TIME, &pid)) != 0)
		return r;
	rc = sqlite3_prepare_v2(q->db, parent ? search_parent_sql : search_sql,
	    -1, &st, NULL);
	if (rc != SQLITE_OK)
		return q_fail(q, db_errno(q->db, rc), "search");
	sqlite3_bind_int64(st, P_SINCE, since);
	sqlite3_bind_int64(st, P_UNTIL, until);
	bind_pattern(st, P_COMM_SUB, comm);
	bind_pattern(st, P_EXE_SUB, exe);
	bind_pattern(st, P_ARGV_SUB, args);
	if (user)
		sqlite3_bind_int64(st, P_UID, uid);
	sqlite3_bind_int(st, P_FAILED, failed);
	if (mindur >= 0)
		sqlite3_bind_int64(st, P_MINDUR, mindur);
	sqlite3_bind_int64(st, P_NOW, q->now);
	if (parent)
		sqlite3_bind_int64(st, P_PARENT, pid);
	sqlite3_bind_int64(st, P_LIMIT, limit);
	return print_procs(q, st, "search");
}

int
cmd_ps(struct qctx *q, int argc, char **argv)
{
	/*
	 * Alive at T means start <= T < end, an interval query that neither
	 * process(start) nor process(end) answers quickly for a T in the
	 * middle of history.  So split it: instances that started within
	 * PS_RECENT before T (a short range of process_start), and older ones,
	 * which must have lived longer than PS_RECENT or still be running:
	 * few, and found through the partial index process_long if the
	 * database has it (docs/performance.md; the term must match its
	 * WHERE exactly).  Only the boot running at T counts: PIDs of other
	 * boots are other processes, and a crashed boot's instances may
	 * never have ended.  "+p.boot" keeps the planner off the identity
	 * index, which would scan the whole boot.
	 */
#define PS_RECENT "3600000000000"
#define PS_BOOT "+p.boot = (SELECT id FROM boot WHERE btime <= ?1" \
	" ORDER BY btime DESC LIMIT 1)"
	static const char sql[] =
	    "SELECT " FMT_PROC_SELECT
	    " FROM process p LEFT JOIN exec x ON x.id = p.image"
	    " WHERE p.start <= ?1 AND p.start > ?1 - " PS_RECENT
	    " AND (p.end IS NULL OR p.end > ?1) AND " PS_BOOT
	    " UNION ALL"
	    " SELECT " FMT_PROC_SELECT
	    " FROM process p LEFT JOIN exec x ON x.id = p.image"
	    " WHERE (p.end IS NULL OR p.end - p.start > " PS_RECENT ")"
	    " AND p.start <= ?1 - " PS_RECENT
	    " AND (p.end IS NULL OR p.end > ?1) AND " PS_BOOT
	    " ORDER BY 2, 4, 1";
	static const struct option longopts[] = {
		Q_COMMON_LONGOPTS,
		{ "at", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	sqlite3_stmt *st;
	int64_t at;
	int c, r, rc;

	at = q->now;
	while ((c = q_getopt(q, argc, argv, "h", longopts, &r)) >= 0) {
		switch (c) {
		case 'a':
			if ((r = q_time_arg(q, "--at", optarg, &at)) != 0)
				return r;
			break;
		}
	}
	if (c == Q_OPT_EXIT)
		return r;
	if (optind != argc) {
		q_usage(argv[0], 1);
		return EX_USAGE;
	}
	if ((r = q_open(q)) != 0)
		return r;
	rc = sqlite3_prepare_v2(q->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return q_fail(q, db_errno(q->db, rc), "ps");
	sqlite3_bind_int64(st, 1, at);
	q_gap_note(q, at);
	return print_procs(q, st, "ps");
}
