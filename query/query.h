#ifndef PT_QUERY_H
#define PT_QUERY_H
/*
 * What every subcommand shares: the open database, the output, the clock,
 * and the exit codes of docs/query.md.  Defined in main.c.
 *
 * Subcommands are the edge of the program: they parse their arguments,
 * call the non-printing helpers (0 or -errno) and report each error once,
 * with warnx(3), returning one of the exit codes below.
 */
#include <stdint.h>
#include <sqlite3.h>

#include "db.h"

#include "output.h"

#define EX_OK		0	/* success */
#define EX_NOMATCH	1	/* no such process, or nothing matched */
#define EX_USAGE	2	/* bad arguments, bad time expression */
#define EX_DB		3	/* database missing, unreadable, corrupt, foreign, newer, busy */
#define EX_SQL		4	/* sql: error in the statement or write attempt */
#define EX_INTERNAL	5	/* out of memory, cannot write the output */
#define EX_PROBLEM	6	/* verify: the database has problems */

/* Time limit of a run, seconds, unless --time-limit or $PROCTRAIL_TIME_LIMIT. */
#define Q_TIME_LIMIT_DEFAULT	120

/* Most memory SQLite may use (sqlite3_hard_heap_limit64). */
#define Q_HEAP_LIMIT		(INT64_C(1) << 30)

struct qctx {
	const char	*dbpath;	/* --db, $PROCTRAIL_DB or the default */
	double		 time_limit;	/* seconds of SQLite work, 0 = none */
	int64_t		 deadline;	/* CLOCK_MONOTONIC ns, 0 = none (set by q_open) */
	sqlite3		*db;		/* read-only connection, after q_open() */
	struct out	*out;		/* stdout in the chosen format */
	enum out_format	 fmt;		/* --json, --csv, or tables */
	int64_t		 now;		/* wall ns; $PROCTRAIL_NOW=@SECS pins it for tests */
	int		 version;	/* the file's schema version, after q_open() */
	int		 follow;	/* q_open() opens a live reader (follow mode) */
	int		 utc;		/* --utc: UTC times even on a terminal */
	int		 tty;		/* stdout was a terminal at start */
	int		 columns;	/* its width, 0 unknown */
	int		 no_pager;	/* --no-pager */
	int		 wide;		/* -w, --wide: lines not cut */
	int		 as_is;		/* q_open() adds no compatibility views (sql) */
	unsigned	 where;		/* -o: FMT_WHERE_* columns in tables */
	int64_t		 scan_split;	/* argvscan.h: lines from which to split */
	sqlite3		*twin;		/* sql: a second reader for pt_lines */
	struct db_stamp	 stamp;		/* the file before q_open opened it */
	char		 errmsg[256];	/* for DB_E_SQL, if not q->db's own */
	int		 lines_used;	/* a statement was prepared with pt_lines */
};

/*
 * The wall time of event row "e" of session row "s": in a file of schema
 * version 3 on, with the offset in force at its stamp (table clock: a
 * suspend or a change of the time moves it); before, the session's.
 * Statements that convert event times exist in both forms, picked by
 * Q_V3(q).
 */
#define Q_EV_WALL_V2 "(e.mono + s.mono_offset)"
#define Q_EV_WALL_V3 "(e.mono + coalesce((SELECT c.mono_offset FROM clock c" \
	" WHERE c.session = e.session AND c.mono <= e.mono" \
	" ORDER BY c.mono DESC LIMIT 1), s.mono_offset))"
#define Q_V3(q)	((q)->version >= 3)

/*
 * Command lines: since schema version 4, exec.cmdline points to a row of
 * table cmdline (argv blob, args text).  In an older file, argv is a
 * column of exec; q_open() then puts temporary views named exec and
 * cmdline in front of the file's table (exec.cmdline = exec.id), so that
 * the commands' statements read both layouts.  Not for "sql" (as_is):
 * there the user sees the file as it is.
 *
 * Open q->dbpath read-only and make q->out.  Returns 0 or an exit code.
 * From then on, SQLite work is interrupted (DB_E_TIMEOUT) once
 * q->time_limit seconds have passed, and its memory is capped at
 * Q_HEAP_LIMIT (-ENOMEM): a hostile or damaged file cannot hang or
 * exhaust the tool.
 */
int q_open(struct qctx *q);

/* SQLite's progress handler for a connection of the command (arg: the
 * qctx): non-zero, which interrupts the statement, once the time limit
 * has run out.  q_open() sets it on q->db. */
int q_progress(void *arg);
/* Give connection db (q's, or a second reader of q's file) q's progress
 * handler (the time budget) and the SQL functions of the query tool:
 * pt_argv, pt_argv_has, pt_argv_glob (docs/query.md) and the cgroup ones. */
void q_functions(struct qctx *q, sqlite3 *db);
/* Free what those functions keep for the calling thread (a thread that
 * ran statements on such a connection calls it before it ends). */
void q_thread_end(void);

/* Give the time limit to the next piece of work (follow mode: each round
 * has the whole budget). */
void q_budget(struct qctx *q);

/*
 * Report err (a -errno from db.c, a query or the output) about what, and
 * return the exit code it maps to.  A failed write to stdout is reported
 * as such, exit EX_INTERNAL, whatever err is.
 */
int q_fail(struct qctx *q, int err, const char *what);

/* Short read transactions: the collector writes the same WAL database. */
int q_begin(struct qctx *q);
int q_commit(struct qctx *q);

/* What q_getopt returns when the subcommand must return at once. */
#define Q_OPT_EXIT	(-2)

/*
 * getopt_long for a subcommand: returns the next of its own options, or -1
 * after the last one.  The options every subcommand accepts (--json, --csv,
 * --db PATH) are taken here; -h/--help prints the usage (*ret_exit EX_OK),
 * an unknown option or a missing argument prints it on stderr (*ret_exit
 * EX_USAGE), and then it returns Q_OPT_EXIT.  optstring: "h", or "+h" to
 * stop at the first argument.
 */
int q_getopt(struct qctx *q, int argc, char **argv, const char *optstring,
    const struct option *longopts, int *ret_exit);

/* getopt_long entries for the common options (end with the caller's). */
#define Q_COMMON_LONGOPTS \
	{ "json", no_argument, NULL, 'J' }, \
	{ "csv", no_argument, NULL, 'C' }, \
	{ "db", required_argument, NULL, 'D' }, \
	{ "time-limit", required_argument, NULL, 'L' }, \
	{ "utc", no_argument, NULL, 'Z' }, \
	{ "no-pager", no_argument, NULL, 'N' }, \
	{ "wide", no_argument, NULL, 'w' }, \
	{ "fields", required_argument, NULL, 'o' }

/* Parse a time option's argument; 0 or EX_USAGE (reported). */
int q_time_arg(struct qctx *q, const char *opt, const char *arg, int64_t *ret);

/*
 * Resolve a PID or id:N (see ident.h) to an instance id, saying on stderr
 * which instance was picked when a PID has several.  at is the --at time
 * or IDENT_NO_TIME.  0 or an exit code (reported).
 */
int q_resolve(struct qctx *q, const char *arg, int64_t at, int64_t *ret_id);
/* On stderr, a note for each gap (gap table) that covers wall time at:
 * what is shown of that moment may be incomplete.  Prints nothing else. */
void q_gap_note(struct qctx *q, int64_t at);

/* End the read transaction and the output; returns code, or
 * EX_INTERNAL if the output could not be written. */
int q_finish(struct qctx *q, int code);

/* Print usage of one subcommand (or all if NULL) to stdout or stderr. */
void q_usage(const char *cmd, int to_stderr);

/* Subcommands: argv[0] is the subcommand name.  Return an exit code. */
int cmd_ancestors(struct qctx *q, int argc, char **argv);
int cmd_tree(struct qctx *q, int argc, char **argv);
int cmd_show(struct qctx *q, int argc, char **argv);
int cmd_ps(struct qctx *q, int argc, char **argv);
int cmd_search(struct qctx *q, int argc, char **argv);
int cmd_follow(struct qctx *q, int argc, char **argv);
int cmd_report(struct qctx *q, int argc, char **argv);
int cmd_gaps(struct qctx *q, int argc, char **argv);
int cmd_sql(struct qctx *q, int argc, char **argv);
int cmd_export(struct qctx *q, int argc, char **argv);
int cmd_verify(struct qctx *q, int argc, char **argv);
int cmd_rebuild(struct qctx *q, int argc, char **argv);
int cmd_completion(struct qctx *q, int argc, char **argv);

/* Each command's options, as its getopt_long() reads them. */
extern const struct option q_opts_main[], q_opts_lineage[], q_opts_show[],
    q_opts_ps[], q_opts_search[], q_opts_window[], q_opts_sql[],
    q_opts_export[], q_opts_verify[], q_opts_rebuild[], q_opts_completion[];

/* The commands: main() runs them, usage and completion.c list them. */
struct q_command {
	const char		*name;
	int			(*fn)(struct qctx *, int, char **);
	const char		*args;		/* usage line */
	const char		*help;
	const struct option	*opts;
	const char		*not;		/* of opts, those it refuses */
	const char		*words;		/* its non-option words, or NULL */
};
extern const struct q_command q_commands[];
extern const size_t q_ncommands;
#endif
