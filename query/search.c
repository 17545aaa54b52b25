/*
 * search and ps.  One static statement per shape; absent filters are bound
 * as NULL and fall away in "(?n IS NULL OR ...)".  --parent gets its own
 * statement so that the planner can use process_parent for it.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "argvscan.h"
#include "db.h"
#include "fmt.h"
#include "ident.h"
#include "model.h"
#include "query.h"
#include "search.h"
#include "timeparse.h"

/*
 * Parameters are named (":since", ":comm"...); each statement of a shape
 * has every filter's, bound by name through db_bind_* (a name a statement
 * lacks is an error, not a silent no-op).  Absent filters stay NULL.
 * --comm and the other patterns have two: ":comm" for a substring (or
 * exact), ":comm_glob" for a glob.
 */

/*
 * --argv, on one candidate process at a time: it exec'd a matching line,
 * or runs one as its image, exec'd or inherited.  Each IN list is made
 * once per statement.
 */
#define ARGS_MATCH(cond) "SELECT id FROM cmdline WHERE " cond

/* Every filter but --argv's, which search_argv_sql applies its own way */
#define FILTERS_BUT_ARGV \
	" AND (:comm IS NULL OR p.comm = :comm)" \
	" AND (:comm_glob IS NULL OR p.comm GLOB :comm_glob)" \
	" AND (:exe IS NULL OR instr(x.exe, :exe) > 0 OR EXISTS (SELECT 1 FROM exec y" \
	"  WHERE y.process = p.id AND instr(y.exe, :exe) > 0))" \
	" AND (:exe_glob IS NULL OR x.exe GLOB :exe_glob OR EXISTS (SELECT 1 FROM exec y" \
	"  WHERE y.process = p.id AND y.exe GLOB :exe_glob))" \
	" AND (:uid IS NULL OR p.uid = :uid OR p.euid = :uid)" \
	" AND (:failed = 0 OR (p.status IS NOT NULL AND p.status <> 0))" \
	" AND (:min_duration IS NULL OR coalesce(p.end, :now) - p.start >= :min_duration)" \
	" AND NOT (p.tgid = :self AND p.end IS NULL)" \
	" AND (:pid IS NULL OR p.tgid = :pid)" \
	" AND (:exit_code IS NULL OR (p.status & 127 = 0 AND p.status >> 8 = :exit_code))" \
	" AND (:signal IS NULL OR (p.status & 127 = :signal))" \
	" AND (:max_duration IS NULL OR coalesce(p.end, :now) - p.start <= :max_duration)" \
	" AND (:cgroup IS NULL OR instr(x.cgroup, :cgroup) > 0)" \
	" AND (:cgroup_glob IS NULL OR x.cgroup GLOB :cgroup_glob)" \
	" AND (:unit IS NULL OR pt_unit(x.cgroup) = :unit)" \
	" AND (:unit_glob IS NULL OR pt_unit(x.cgroup) GLOB :unit_glob)" \
	" AND (:container IS NULL OR instr(pt_container(x.cgroup), :container) > 0)" \
	" AND (:container_glob IS NULL OR pt_container(x.cgroup) GLOB :container_glob)" \
	" AND (:login_uid IS NULL OR x.login_uid = :login_uid)" \
	" AND (:session IS NULL OR x.login_session = :session)" \
	" AND (:tty IS NULL OR x.tty = :tty)" \
	" AND (:tty_glob IS NULL OR x.tty GLOB :tty_glob)" \
	" AND (:pid_ns IS NULL OR x.ns IN (SELECT n.id FROM ns n" \
	"  WHERE n.pid_ns = :pid_ns))" \
	" AND (:exe_changed IS NULL OR EXISTS (SELECT 1 FROM file f JOIN file g" \
	"  ON g.path = f.path AND g.id < f.id WHERE f.id = x.file))"

#define ARGV_FILTERS \
	" AND (:argv IS NULL OR p.id IN (SELECT y.process FROM exec y" \
	"  WHERE y.cmdline IN (" ARGS_MATCH("pt_argv_has(argv, :argv)") "))" \
	"  OR p.image IN (SELECT y.id FROM exec y" \
	"  WHERE y.cmdline IN (" ARGS_MATCH("pt_argv_has(argv, :argv)") ")))" \
	" AND (:argv_glob IS NULL OR p.id IN (SELECT y.process FROM exec y" \
	"  WHERE y.cmdline IN (" ARGS_MATCH("pt_argv_glob(argv, :argv_glob)") "))" \
	"  OR p.image IN (SELECT y.id FROM exec y" \
	"  WHERE y.cmdline IN (" ARGS_MATCH("pt_argv_glob(argv, :argv_glob)") ")))"

#define SEARCH_FILTERS FILTERS_BUT_ARGV ARGV_FILTERS

static const char search_sql[] =
    "SELECT " FMT_PROC_SELECT
    " FROM process p LEFT JOIN exec x ON x.id = p.image"
    " LEFT JOIN cmdline cl ON cl.id = x.cmdline"
    " WHERE p.start >= :since AND p.start < :until"
    SEARCH_FILTERS
    " AND :parent IS NULL"
    " ORDER BY p.start, p.id LIMIT :limit";

/*
 * With --argv (and no --parent): driven by the processes that ran a
 * matching line, rather than by every process of the window.  The
 * distinct lines are matched (m), then their execs (e: exec_cmdline
 * index), whose processes match.  So does every process whose image is
 * one of those execs: a descendant forked while its parent ran the image
 * that has not exec'd since.  run walks down from each exec's process
 * (process_parent index): through the children that run the image still,
 * and through those that exec'd since but had forked before their first
 * exec (process.forked_before_exec), since what they forked then runs the
 * image too.  Where that is not known (NULL: the snapshot, a lost fork,
 * rows of a file older than version 8), through every child that exec'd
 * and was forked in the span its parent ran the image, by time: from the
 * exec (any time, for the snapshot's) to the parent's next exec
 * (exec_process index), ties counted in.  Only processes whose image is
 * the exec are results, so a branch walked in vain adds time, not rows.
 */
#define SEARCH_ARGV_SQL(fbe) \
    "SELECT " FMT_PROC_SELECT \
    " FROM process p LEFT JOIN exec x ON x.id = p.image" \
    " LEFT JOIN cmdline cl ON cl.id = x.cmdline" \
    " WHERE p.id IN (WITH RECURSIVE m AS MATERIALIZED (SELECT id FROM" \
    " temp.argv_match WHERE coalesce(:argv, :argv_glob) IS NOT NULL)," \
    " e AS MATERIALIZED (SELECT y.id, y.process, CASE WHEN y.capture" \
    " & 4096 THEN NULL ELSE y.time END AS since" \
    "  FROM exec y WHERE y.cmdline IN m)," \
    " run(id, image, since, after) AS (SELECT e.process, e.id, e.since, e.id" \
    "  FROM e UNION SELECT q.id, run.image, q.start, 0 FROM run" \
    "  JOIN process q ON q.parent = run.id AND (q.image = run.image" \
    "  OR (q.execs > 0 AND (" fbe " = 1 OR (" fbe " IS NULL" \
    "  AND (run.since IS NULL OR q.start >= run.since) AND NOT EXISTS" \
    "  (SELECT 1 FROM exec z WHERE z.process = run.id AND z.id > run.after" \
    "  AND z.time < q.start))))))" \
    " SELECT process FROM e UNION SELECT r.id FROM run r JOIN process q" \
    "  ON q.id = r.id AND q.image = r.image)" \
    " AND p.start >= :since AND p.start < :until" \
    FILTERS_BUT_ARGV \
    " AND :parent IS NULL" \
    " ORDER BY p.start, p.id LIMIT :limit"
/* m: the matching lines, which argv_scan() puts in temp.argv_match;
 * before version 8 forked_before_exec is not known */
static const char *const search_argv_sql[2] = {
	SEARCH_ARGV_SQL("NULL"), SEARCH_ARGV_SQL("q.forked_before_exec")
};
_Static_assert(PT_CAP_SNAPSHOT == 4096, "search_argv_sql: snapshot bit");

/*
 * With --argv over a window of few processes: driven by the window (the
 * process_start index), each candidate's own lines matched, its image's
 * and those of its execs (exec_process index).  Matching every stored
 * line (argv_scan, two threads) costs 0.5-0.7 s on a month of a busy host
 * (10M processes, 6.5M lines) whatever the window; a candidate some
 * 3.5 us (139,666 of them 0.48-0.52 s), so the window drives below
 * ARGV_WINDOW_MAX candidates, counted first with that bound.
 */
#define ARGV_WINDOW_MAX 150000
#define ARGV_MATCHES(c) "((:argv IS NOT NULL AND pt_argv_has(" c ".argv," \
	" :argv)) OR (:argv_glob IS NOT NULL AND pt_argv_glob(" c ".argv," \
	" :argv_glob)))"
static const char search_window_argv_sql[] =
    "SELECT " FMT_PROC_SELECT
    " FROM process p LEFT JOIN exec x ON x.id = p.image"
    " LEFT JOIN cmdline cl ON cl.id = x.cmdline"
    " WHERE p.start >= :since AND p.start < :until"
    FILTERS_BUT_ARGV
    " AND (" ARGV_MATCHES("cl") " OR EXISTS (SELECT 1 FROM exec y"
    "  JOIN cmdline c ON c.id = y.cmdline WHERE y.process = p.id AND "
    ARGV_MATCHES("c") "))"
    " AND :parent IS NULL"
    " ORDER BY p.start, p.id LIMIT :limit";
static const char window_count_sql[] =
    "SELECT count(*) FROM (SELECT 1 FROM process"
    " WHERE start >= :since AND start < :until LIMIT :max)";

static const char search_parent_sql[] =
    "SELECT " FMT_PROC_SELECT
    " FROM process p LEFT JOIN exec x ON x.id = p.image"
    " LEFT JOIN cmdline cl ON cl.id = x.cmdline"
    " WHERE p.parent = :parent AND p.start >= :since AND p.start < :until"
    SEARCH_FILTERS
    " ORDER BY p.start, p.id LIMIT :limit";

/*
 * Follow mode: what is committed from now on, as it is.  Each round reads,
 * in one short read transaction, the rows whose ids passed the last round's
 * highest: new processes ("start", with their image if they exec'd in the
 * same batch), new execs of processes already shown ("exec"), and
 * processes whose last EXIT event came ("end", with their status).  Ids only
 * grow (retention deletes the oldest, a restarted collector continues), so
 * no row is missed or shown twice.  Between rounds it sleeps on inotify:
 * the collector's commits write the -wal (or create it, at a restart).
 */
#define FOLLOW_SHOWN ", x.id, cl.argv IS NOT NULL"
static const char follow_start_sql[] =
    "SELECT 'start', " FMT_PROC_SELECT FOLLOW_SHOWN
    " FROM process p LEFT JOIN exec x ON x.id = p.image"
    " LEFT JOIN cmdline cl ON cl.id = x.cmdline"
    " WHERE p.id > :lo AND p.id <= :hi"
    SEARCH_FILTERS
    " AND (:parent IS NULL OR p.parent = :parent)"
    " ORDER BY p.id";
static const char follow_exec_sql[] =
    "SELECT 'exec', " FMT_PROC_SELECT FOLLOW_SHOWN
    " FROM exec x JOIN process p ON p.id = x.process"
    " LEFT JOIN cmdline cl ON cl.id = x.cmdline"
    " WHERE x.id > :lo AND x.id <= :hi AND p.id <= :max_process"
    SEARCH_FILTERS
    " AND (:parent IS NULL OR p.parent = :parent)"
    " ORDER BY x.id";
static const char follow_end_sql[] =
    "SELECT 'end', " FMT_PROC_SELECT FOLLOW_SHOWN
    " FROM process p LEFT JOIN exec x ON x.id = p.image"
    " LEFT JOIN cmdline cl ON cl.id = x.cmdline"
    " WHERE p.id IN (SELECT process FROM event WHERE id > :lo AND id <= :hi"
    "  AND type = 2147483648) AND p.end IS NOT NULL"
    SEARCH_FILTERS
    " AND (:parent IS NULL OR p.parent = :parent)"
    " ORDER BY p.end, p.id";
/*
 * Withdrawn: captures dropped (table exec_drop, version 8) after follow
 * showed what they read, as a process's image (its own exec or, if it
 * never exec'd, its parent's) or exec.  follow_shown holds what it showed:
 * (process, exec row).  The line is the process with that exec row, now
 * emptied: its argv unknown.
 */
static const char follow_drop_sql[] =
    "SELECT DISTINCT 'withdrawn', " FMT_PROC_SELECT ", NULL, 0, d.id"
    " FROM exec_drop d JOIN temp.follow_shown s"
    "  ON s.exec BETWEEN d.first AND d.last"
    " JOIN exec x ON x.id = s.exec AND x.process = d.process"
    " JOIN process p ON p.id = s.process"
    " LEFT JOIN cmdline cl ON cl.id = x.cmdline"
    " WHERE d.id > :lo AND d.id <= :hi"
    " ORDER BY d.id, p.id";
static const char follow_shown_sql[] =
    "CREATE TEMP TABLE follow_shown(process INTEGER, exec INTEGER);"
    "CREATE INDEX temp.follow_shown_exec ON follow_shown(exec);";
/* ?2 NULL: the process's image now (a line of the history) */
static const char follow_show_sql[] =
    "INSERT INTO temp.follow_shown SELECT ?1, x FROM (SELECT coalesce(?2,"
    " (SELECT image FROM main.process WHERE id = ?1)) AS x) WHERE x IS NOT NULL";
/* the latest 500,000 rows shown are remembered (the older ones go at
 * every 100,000 more): a withdrawal of an older one is not said */
#define FOLLOW_FORGET_EVERY 100000
static const char follow_forget_sql[] =
    "DELETE FROM temp.follow_shown WHERE rowid <= (SELECT max(rowid)"
    " FROM temp.follow_shown) - 500000";
#define FOLLOW_MARKS(drops) \
    "SELECT (SELECT coalesce(max(id), 0) FROM process)," \
    " (SELECT coalesce(max(id), 0) FROM exec)," \
    " (SELECT coalesce(max(id), 0) FROM event), " drops
static const char follow_marks_sql[] =
    FOLLOW_MARKS("(SELECT coalesce(max(id), 0) FROM exec_drop)");
/* before version 8: no table of withdrawn captures */
static const char follow_marks_v7_sql[] = FOLLOW_MARKS("0");

/* The search's filters, bound the same way in every statement. */
struct filters {
	const char *comm, *exe, *args, *cgroup, *unit, *container, *tty;
	int64_t uid, mindur, maxdur, parent, pid, exit_code, sig;
	int64_t login_uid, session, pid_ns;
	int64_t argv_window;	/* the window drives --argv below this */
	int has_uid, has_parent, failed, has_login_uid, exe_changed;
};

static int bind_pattern(sqlite3_stmt *st, const char *name,
    const char *glob_name, const char *pat);
static int search_plan(struct qctx *q, const struct filters *f,
    int64_t since, int64_t until, const char **ret);
static int plan_prepare(struct qctx *q, const struct filters *f,
    const char *sql);
static int window_count(struct qctx *q, int64_t since, int64_t until,
    int64_t max, int64_t *ret);

static int
bind_filters(sqlite3_stmt *st, const struct filters *f, int64_t now)
{
	int r;

	r = bind_pattern(st, ":comm", ":comm_glob", f->comm);
	r = r ? r : bind_pattern(st, ":exe", ":exe_glob", f->exe);
	r = r ? r : bind_pattern(st, ":argv", ":argv_glob", f->args);
	r = r ? r : bind_pattern(st, ":cgroup", ":cgroup_glob", f->cgroup);
	r = r ? r : bind_pattern(st, ":unit", ":unit_glob", f->unit);
	r = r ? r : bind_pattern(st, ":container", ":container_glob",
	    f->container);
	r = r ? r : bind_pattern(st, ":tty", ":tty_glob", f->tty);
	if (r == 0 && f->has_login_uid)
		r = db_bind_int64(st, ":login_uid", f->login_uid);
	if (r == 0 && f->session > 0)
		r = db_bind_int64(st, ":session", f->session);
	if (r == 0 && f->pid_ns > 0)
		r = db_bind_int64(st, ":pid_ns", f->pid_ns);
	if (r == 0 && f->exe_changed)
		r = db_bind_int64(st, ":exe_changed", 1);
	if (r == 0 && f->pid > 0)
		r = db_bind_int64(st, ":pid", f->pid);
	if (r == 0 && f->exit_code >= 0)
		r = db_bind_int64(st, ":exit_code", f->exit_code);
	if (r == 0 && f->sig > 0)
		r = db_bind_int64(st, ":signal", f->sig);
	if (r == 0 && f->maxdur >= 0)
		r = db_bind_int64(st, ":max_duration", f->maxdur);
	if (r == 0 && f->has_uid)
		r = db_bind_int64(st, ":uid", f->uid);
	r = r ? r : db_bind_int64(st, ":failed", f->failed);
	if (r == 0 && f->mindur >= 0)
		r = db_bind_int64(st, ":min_duration", f->mindur);
	r = r ? r : db_bind_int64(st, ":now", now);
	if (r == 0 && f->has_parent)
		r = db_bind_int64(st, ":parent", f->parent);
	/* not the querying proctrail itself, as pgrep leaves itself out */
	return r ? r : db_bind_int64(st, ":self", getpid());
}

static volatile sig_atomic_t follow_stop;

static void
on_follow_signal(int sig)
{
	(void)sig;
	follow_stop = 1;
}

static const struct out_col follow_event_col = { "event", 0 };

/* What follow showed, for a later withdrawal (version 8 on). */
struct shown {
	sqlite3_stmt	*ins, *forget;	/* NULL: nothing is remembered */
	uint64_t	 n;		/* rows remembered */
};

/* Remember that a process was shown with what exec row (NULL: its image
 * now) gave its argv. */
static int
follow_remember(struct qctx *q, struct shown *sh, int64_t process,
    sqlite3_value *exec)
{
	int rc;

	if (!sh || !sh->ins)
		return 0;
	sqlite3_bind_int64(sh->ins, 1, process);
	if (exec)
		sqlite3_bind_value(sh->ins, 2, exec);
	else
		sqlite3_bind_null(sh->ins, 2);
	rc = sqlite3_step(sh->ins);
	sqlite3_reset(sh->ins);
	if (rc == SQLITE_DONE && ++sh->n % FOLLOW_FORGET_EVERY == 0) {
		rc = sqlite3_step(sh->forget);
		sqlite3_reset(sh->forget);
	}
	return rc == SQLITE_DONE ? 0 : db_errno(q->db, rc);
}

/* One statement of a round: rows (lo, hi], printed; with show, the
 * exec rows whose argv they showed remembered.  f NULL: no filters. */
static int
follow_rows(struct qctx *q, sqlite3_stmt *st, const struct filters *f,
    int64_t lo, int64_t hi, int64_t shown, struct shown *show)
{
	int rc, r = 0;

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	r = db_bind_int64(st, ":lo", lo);
	r = r ? r : db_bind_int64(st, ":hi", hi);
	if (f)
		r = r ? r : bind_filters(st, f, q->now);
	/* follow_exec_sql: only execs of processes already shown */
	if (r == 0 && sqlite3_bind_parameter_index(st, ":max_process"))
		r = db_bind_int64(st, ":max_process", shown);
	if (r < 0)
		return r;
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = out_str(q->out, (const char *)sqlite3_column_text(st, 0));
		if (r == 0)
			r = fmt_proc_row(q->out, st, 1);
		if (r == 0 && show && sqlite3_column_int(st,
		    2 + FMT_PROC_NSEL))
			r = follow_remember(q, show, sqlite3_column_int64(st,
			    1), sqlite3_column_value(st, 1 + FMT_PROC_NSEL));
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = db_errno(q->db, rc);
	sqlite3_reset(st);
	return r;
}

static int64_t
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int
follow_run(struct qctx *q, const struct filters *f, int64_t since)
{
	struct out_col cols[1 + FMT_PROC_MAXCOLS];
	const struct out_col *pcols;
	int ncols;
	sqlite3_stmt *st[4] = { NULL, NULL, NULL, NULL }, *marks = NULL;
	sqlite3_stmt *hist = NULL;
	struct shown show = { NULL, NULL, 0 };
	const char *sql;
	static const char *const sqls[4] = {
		follow_start_sql, follow_exec_sql, follow_end_sql,
		follow_drop_sql
	};
	/* no table of withdrawn captures before version 8 */
	int nst = q->version >= 8 ? 4 : 3;
	int64_t last[4] = { 0, 0, 0, 0 }, now[4], shown;
	struct pollfd pfd;
	struct sigaction sa;
	char *dir = NULL;
	int i, r, rc, ifd = -1;

	/* the event, then the standard row's columns */
	cols[0] = follow_event_col;
	pcols = fmt_proc_columns(q->out, &ncols);
	for (i = 0; i < ncols; i++)
		cols[1 + i] = pcols[i];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_follow_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* the collector's commits write next to the database */
	dir = strdup(q->dbpath);
	if (!dir)
		return q_fail(q, -ENOMEM, "follow");
	ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (ifd < 0 || inotify_add_watch(ifd, dirname(dir), IN_MODIFY |
	    IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
		warnx("follow: cannot watch the directory of %s: %s", q->dbpath,
		    strerror(errno));
		free(dir);
		if (ifd >= 0)
			close(ifd);
		return EX_INTERNAL;
	}
	free(dir);
	rc = nst == 4 ? sqlite3_exec(q->db, follow_shown_sql, NULL, NULL, NULL) :
	    SQLITE_OK;
	for (i = 0; i < nst && rc == SQLITE_OK; i++)
		rc = sqlite3_prepare_v3(q->db, sqls[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &st[i], NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v3(q->db, nst == 4 ? follow_marks_sql :
		    follow_marks_v7_sql, -1, SQLITE_PREPARE_PERSISTENT, &marks,
		    NULL);
	if (rc == SQLITE_OK && nst == 4)
		rc = sqlite3_prepare_v3(q->db, follow_show_sql, -1,
		    SQLITE_PREPARE_PERSISTENT, &show.ins, NULL);
	if (rc == SQLITE_OK && nst == 4)
		rc = sqlite3_prepare_v3(q->db, follow_forget_sql, -1,
		    SQLITE_PREPARE_PERSISTENT, &show.forget, NULL);
	r = rc == SQLITE_OK ? 0 : db_errno(q->db, rc);
	if (r == 0 && since != INT64_MIN) {
		r = search_plan(q, f, since, q->now, &sql);
		rc = r == 0 ? sqlite3_prepare_v2(q->db, sql, -1, &hist, NULL) :
		    SQLITE_OK;
		if (rc != SQLITE_OK)
			r = db_errno(q->db, rc);
	}
	if (r == 0)
		r = out_table_begin(q->out, NULL, cols, 1 + ncols, OUT_STREAM);
	pfd.fd = ifd;
	pfd.events = POLLIN;
	for (int round = 0; r == 0 && !follow_stop; round++) {
		q_budget(q);
		q->now = wall_now();
		r = q_begin(q);
		/* the history's lines first: the scan may begin the read
		 * transaction again, and the marks must be of the snapshot
		 * the history is read in */
		if (r == 0 && round == 0 && hist)
			r = plan_prepare(q, f, sql);
		if (r == 0 && (rc = sqlite3_step(marks)) == SQLITE_ROW) {
			for (i = 0; i < 4; i++)
				now[i] = sqlite3_column_int64(marks, i);
		} else if (r == 0) {
			r = db_errno(q->db, rc);
		}
		sqlite3_reset(marks);
		if (r == 0 && round == 0) {
			/* history first, if asked for, in the same snapshot */
			if (hist) {
				r = db_bind_int64(hist, ":since", since);
				r = r ? r : db_bind_int64(hist, ":until",
				    INT64_MAX);
				r = r ? r : bind_filters(hist, f, q->now);
				r = r ? r : db_bind_int64(hist, ":limit", -1);
				while (r == 0 && (rc = sqlite3_step(hist)) ==
				    SQLITE_ROW) {
					r = out_str(q->out, sqlite3_column_type(
					    hist, 4) == SQLITE_NULL ? "start" :
					    "end");
					if (r == 0)
						r = fmt_proc_row(q->out, hist, 0);
					if (r == 0 && sqlite3_column_type(hist,
					    8) != SQLITE_NULL)	/* argv */
						r = follow_remember(q, &show,
						    sqlite3_column_int64(hist,
						    0), NULL);
				}
				if (r == 0 && rc != SQLITE_DONE)
					r = db_errno(q->db, rc);
			}
			memcpy(last, now, sizeof(last));
		} else if (r == 0) {
			shown = last[0];
			r = follow_rows(q, st[0], f, last[0], now[0], shown,
			    &show);
			if (r == 0)
				r = follow_rows(q, st[1], f, last[1], now[1],
				    shown, &show);
			if (r == 0)
				r = follow_rows(q, st[2], f, last[2], now[2],
				    shown, &show);
			if (r == 0 && st[3])
				r = follow_rows(q, st[3], NULL, last[3],
				    now[3], shown, NULL);
			if (r == 0)
				memcpy(last, now, sizeof(last));
		}
		if (q_commit(q) < 0 && r == 0)
			r = -EIO;
		if (r == 0)
			r = out_flush(q->out);
		if (r < 0)
			break;
		/* sleep until the collector writes (5 s at most), then let
		 * the burst settle for 10 ms */
		if (poll(&pfd, 1, 5000) > 0) {
			char buf[4096];

			usleep(10000);
			while (read(ifd, buf, sizeof(buf)) > 0)
				;
		}
	}
	for (i = 0; i < 4; i++)
		sqlite3_finalize(st[i]);
	sqlite3_finalize(marks);
	sqlite3_finalize(hist);
	sqlite3_finalize(show.ins);
	sqlite3_finalize(show.forget);
	close(ifd);
	if (r == 0)
		r = out_table_end(q->out);
	return r < 0 ? q_fail(q, r, "follow") : EX_OK;
}

static int
is_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static int
bind_pattern(sqlite3_stmt *st, const char *name, const char *glob_name,
    const char *pat)
{
	if (!pat)
		return 0;
	return db_bind_text(st, is_glob(pat) ? glob_name : name, pat);
}

/* A decimal number in [min, max]. */
static int
parse_num(const char *s, int64_t min, int64_t max, int64_t *ret)
{
	char *end;
	long long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* A signal by name (TERM, SIGTERM, any case) or number; 0 if unknown. */
static int64_t
parse_signal(const char *s)
{
	static const char *const names[] = {
		NULL, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS",
		"FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
		"STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG",
		"XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
	};
	int64_t v;
	size_t i;

	if (parse_num(s, 1, 64, &v) == 0)
		return v;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 1; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(s, names[i]) == 0)
			return (int64_t)i;
	if (strcasecmp(s, "IOT") == 0)
		return 6;
	return 0;
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
		if (*end)
			return -EINVAL;
		if (errno || v >= UINT32_MAX)
			return -ERANGE;
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
	const struct out_col *cols;
	int rc, r, n = 0, ncols;

	cols = fmt_proc_columns(q->out, &ncols);
	r = out_table_begin(q->out, NULL, cols, ncols, 0);
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
cmd_follow(struct qctx *q, int argc, char **argv)
{
	q->follow = 1;
	return cmd_search(q, argc, argv);
}

/* The uid of option opt's user name or number s; -1 after saying why. */
static int
user_arg(const char *opt, const char *s, int64_t *ret)
{
	int r = parse_uid(s, ret);

	if (r == -ERANGE)
		warnx("%s: uid '%s' out of range (0 to 4294967294)", opt, s);
	else if (r < 0)
		warnx("%s: unknown user '%s'", opt, s);
	return r < 0 ? -1 : 0;
}

/* its options (completion.c lists them too) */
const struct option q_opts_search[] = {
	Q_COMMON_LONGOPTS,
	{ "comm", required_argument, NULL, 'c' },
	{ "exe", required_argument, NULL, 'e' },
	{ "argv", required_argument, NULL, 'a' },
	{ "user", required_argument, NULL, 'u' },
	{ "since", required_argument, NULL, 's' },
	{ "until", required_argument, NULL, 'U' },
	{ "failed", no_argument, NULL, 'x' },
	{ "follow", no_argument, NULL, 'f' },
	{ "min-duration", required_argument, NULL, 'm' },
	{ "parent", required_argument, NULL, 'p' },
	{ "limit", required_argument, NULL, 'l' },
	{ "pid", required_argument, NULL, 'P' },
	{ "exit-code", required_argument, NULL, 'E' },
	{ "signal", required_argument, NULL, 'S' },
	{ "max-duration", required_argument, NULL, 'M' },
	{ "cgroup", required_argument, NULL, 'G' },
	{ "unit", required_argument, NULL, 'N' + 256 },
	{ "container", required_argument, NULL, 'K' + 256 },
	{ "login-user", required_argument, NULL, 'L' + 256 },
	{ "session", required_argument, NULL, 'O' + 256 },
	{ "tty", required_argument, NULL, 'T' + 256 },
	{ "pid-ns", required_argument, NULL, 'Q' + 256 },
	{ "exe-changed", no_argument, NULL, 'X' + 256 },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* The statement of a search of [since, until) with these filters. */
static int
search_plan(struct qctx *q, const struct filters *f, int64_t since,
    int64_t until, const char **ret)
{
	int64_t n = 0;
	int r;

	*ret = f->has_parent ? search_parent_sql : search_sql;
	if (!f->args || f->has_parent)
		return 0;
	r = window_count(q, since, until, f->argv_window, &n);
	if (r < 0)
		return r;
	if (n < f->argv_window) {
		*ret = search_window_argv_sql;
		return 0;
	}
	*ret = search_argv_sql[q->version >= 8];
	return argv_scan_table(q);	/* filled by plan_prepare */
}

/*
 * What statement sql (of search_plan) needs first, in the read transaction
 * it runs in: argv_scan()'s matching lines.  That may begin the
 * transaction again: call it before anything else the statement must agree
 * with is read.
 */
static int
plan_prepare(struct qctx *q, const struct filters *f, const char *sql)
{
	if (sql != search_argv_sql[0] && sql != search_argv_sql[1])
		return 0;
	return argv_scan(q, f->args, is_glob(f->args), q->scan_split);
}

/* How many processes started in [since, until), up to max. */
static int
window_count(struct qctx *q, int64_t since, int64_t until, int64_t max,
    int64_t *ret)
{
	sqlite3_stmt *st;
	int rc, r;

	rc = sqlite3_prepare_v2(q->db, window_count_sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_errno(q->db, rc);
	r = db_bind_int64(st, ":since", since);
	r = r ? r : db_bind_int64(st, ":until", until);
	r = r ? r : db_bind_int64(st, ":max", max);
	if (r == 0) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			*ret = sqlite3_column_int64(st, 0);
		else
			r = db_errno(q->db, rc);
	}
	sqlite3_finalize(st);
	return r;
}

int
cmd_search(struct qctx *q, int argc, char **argv)
{
	const char *comm = NULL, *exe = NULL, *args = NULL, *user = NULL;
	const char *cgroup = NULL, *unit = NULL, *container = NULL;
	const char *login_user = NULL, *tty = NULL;
	int64_t fpid = 0, exit_code = -1, sig = 0, maxdur = -1;
	int64_t login_uid = 0, session = 0, pid_ns = 0;
	int exe_changed = 0;
	const char *parent = NULL, *sql, *env;
	int64_t since = INT64_MIN, until = INT64_MAX, uid = 0, mindur = -1;
	int64_t limit = -1, pid;
	sqlite3_stmt *st;
	char *end;
	int c, r, rc, failed = 0;
	struct filters f;

	while ((c = q_getopt(q, argc, argv, "hf", q_opts_search, &r)) >= 0) {
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
			if (user_arg("--user", user, &uid) < 0)
				return EX_USAGE;
			break;
		case 's':
			if ((r = q_time_arg(q, "--since", optarg, &since)) != 0)
				return r;
			break;
		case 'U':
			if ((r = q_time_arg(q, "--until", optarg, &until)) != 0)
				return r;
			break;
		case 'x':
			failed = 1;
			break;
		case 'f':
			q->follow = 1;
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
		case 'P':
			if (parse_num(optarg, 1, 4194304, &fpid) < 0) {
				warnx("--pid: '%s' is not a PID (1 to 4194304)",
				    optarg);
				return EX_USAGE;
			}
			break;
		case 'E':
			if (parse_num(optarg, 0, 255, &exit_code) < 0) {
				warnx("--exit-code: '%s' is not an exit code (0 to"
				    " 255)", optarg);
				return EX_USAGE;
			}
			break;
		case 'S':
			if ((sig = parse_signal(optarg)) <= 0) {
				warnx("--signal: unknown signal '%s' (a name such"
				    " as TERM or KILL, or a number 1 to 64)", optarg);
				return EX_USAGE;
			}
			break;
		case 'M':
			r = timeparse_duration(optarg, &maxdur);
			if (r < 0) {
				warnx("--max-duration: %s duration '%s'", r == -ERANGE ?
				    "out of range" : "bad", optarg);
				return EX_USAGE;
			}
			break;
		case 'G':
			cgroup = optarg;
			break;
		case 'N' + 256:
			unit = optarg;
			break;
		case 'K' + 256:
			container = optarg;
			break;
		case 'L' + 256:
			login_user = optarg;
			if (user_arg("--login-user", login_user, &login_uid) < 0)
				return EX_USAGE;
			break;
		case 'O' + 256:
			if (parse_num(optarg, 1, 4294967294LL, &session) < 0) {
				warnx("--session: '%s' is not a login session id"
				    " (1 to 4294967294)", optarg);
				return EX_USAGE;
			}
			break;
		case 'T' + 256:
			/* as ps shows it, or as the device's path */
			tty = strncmp(optarg, "/dev/", 5) == 0 ? optarg + 5 :
			    optarg;
			if (!*tty) {
				warnx("--tty: empty terminal name");
				return EX_USAGE;
			}
			break;
		case 'Q' + 256: {
			/* a number, or the link's text: pid:[4026531836] */
			char ns[32];
			size_t n = strlen(optarg);

			snprintf(ns, sizeof(ns), "%s", optarg);
			if (strncmp(optarg, "pid:[", 5) == 0 && n > 6 &&
			    n < sizeof(ns) && optarg[n - 1] == ']')
				snprintf(ns, sizeof(ns), "%.*s", (int)(n - 6),
				    optarg + 5);
			if (parse_num(ns, 1, INT64_MAX, &pid_ns) < 0) {
				warnx("--pid-ns: '%s' is not a namespace inode"
				    " number (as lsns or ls -L -i"
				    " /proc/PID/ns/pid give it)", optarg);
				return EX_USAGE;
			}
			break;
		}
		case 'X' + 256:
			exe_changed = 1;
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
		warnx("%s: unexpected argument '%s'", argv[0] + 10, argv[optind]);
		q_usage(argv[0], 1);
		return EX_USAGE;
	}
	if (since != INT64_MIN && until != INT64_MAX && since > until) {
		warnx("--since is after --until: an empty window");
		return EX_USAGE;
	}
	if (q->follow && (until != INT64_MAX || limit >= 0)) {
		warnx("follow: --until and --limit do not apply");
		return EX_USAGE;
	}
	if ((r = q_open(q)) != 0)
		return r;
	if ((r = q_begin(q)) < 0)
		return q_fail(q, r, "search");
	if (parent && (r = q_resolve(q, parent, IDENT_NO_TIME, &pid)) != 0)
		return r;
	memset(&f, 0, sizeof(f));
	f.comm = comm;
	f.exe = exe;
	f.args = args;
	f.uid = uid;
	f.has_uid = user != NULL;
	f.mindur = mindur;
	f.failed = failed;
	f.parent = parent ? pid : 0;
	f.has_parent = parent != NULL;
	f.cgroup = cgroup;
	f.unit = unit;
	f.container = container;
	f.tty = tty;
	f.login_uid = login_uid;
	f.has_login_uid = login_user != NULL;
	f.session = session;
	f.pid_ns = pid_ns;
	f.exe_changed = exe_changed;
	f.pid = fpid;
	f.exit_code = exit_code;
	f.sig = sig;
	f.maxdur = maxdur;
	/* the window drives --argv below the bound; $PROCTRAIL_ARGV_WINDOW
	 * sets it (0: the lines always drive), for tests and tuning */
	env = getenv("PROCTRAIL_ARGV_WINDOW");
	f.argv_window = ARGV_WINDOW_MAX;
	if (env && *env && parse_num(env, 0, INT64_MAX, &f.argv_window) < 0) {
		warnx("PROCTRAIL_ARGV_WINDOW: not a number of processes: '%s'",
		    env);
		return EX_USAGE;
	}
	if (q->follow) {
		(void)q_commit(q);
		return follow_run(q, &f, since);
	}
	r = search_plan(q, &f, since, until, &sql);
	r = r ? r : plan_prepare(q, &f, sql);
	if (r < 0)
		return q_fail(q, r, "search");
	rc = sqlite3_prepare_v2(q->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return q_fail(q, db_errno(q->db, rc), "search");
	r = db_bind_int64(st, ":since", since);
	r = r ? r : db_bind_int64(st, ":until", until);
	r = r ? r : bind_filters(st, &f, q->now);
	r = r ? r : db_bind_int64(st, ":limit", limit);
	if (r < 0) {
		sqlite3_finalize(st);
		return q_fail(q, r, "search");
	}
	return print_procs(q, st, "search");
}

/* its options (completion.c lists them too) */
const struct option q_opts_ps[] = {
	Q_COMMON_LONGOPTS,
	{ "at", required_argument, NULL, 'a' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

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
#define PS_BOOT "+p.boot = (SELECT id FROM boot WHERE btime <= :at" \
	" ORDER BY btime DESC LIMIT 1)"
	static const char sql[] =
	    "SELECT " FMT_PROC_SELECT
	    " FROM process p LEFT JOIN exec x ON x.id = p.image"
    " LEFT JOIN cmdline cl ON cl.id = x.cmdline"
	    " WHERE p.start <= :at AND p.start > :at - " PS_RECENT
	    " AND (p.end IS NULL OR p.end > :at) AND " PS_BOOT
	    " UNION ALL"
	    " SELECT " FMT_PROC_SELECT
	    " FROM process p LEFT JOIN exec x ON x.id = p.image"
    " LEFT JOIN cmdline cl ON cl.id = x.cmdline"
	    " WHERE (p.end IS NULL OR p.end - p.start > " PS_RECENT ")"
	    " AND p.start <= :at - " PS_RECENT
	    " AND (p.end IS NULL OR p.end > :at) AND " PS_BOOT
	    " ORDER BY 2, 4, 1";
	sqlite3_stmt *st;
	int64_t at;
	int c, r, rc;

	at = q->now;
	while ((c = q_getopt(q, argc, argv, "h", q_opts_ps, &r)) >= 0) {
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
		warnx("%s: unexpected argument '%s'", argv[0] + 10, argv[optind]);
		q_usage(argv[0], 1);
		return EX_USAGE;
	}
	if ((r = q_open(q)) != 0)
		return r;
	rc = sqlite3_prepare_v2(q->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return q_fail(q, db_errno(q->db, rc), "ps");
	if ((r = db_bind_int64(st, ":at", at)) < 0) {
		sqlite3_finalize(st);
		return q_fail(q, r, "ps");
	}
	q_gap_note(q, at);
	return print_procs(q, st, "ps");
}
