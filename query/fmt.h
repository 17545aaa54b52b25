#ifndef PT_FMT_H
#define PT_FMT_H
/*
 * Turning stored values into words: users, wait statuses, flag bits, and
 * the standard process row most subcommands print.
 */
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "output.h"

/*
 * User name of uid on this machine, or the number as text.  The result
 * lives in an internal cache until the next call with another uid evicts
 * it: copy it if you keep it.
 */
const char *fmt_user(int64_t uid);
/* The user's name on this machine, or NULL if uid has none. */
const char *fmt_user_name(int64_t uid);
/* The state of a process: "running", "exited", "killed" or "unknown". */
const char *fmt_state(int has_end, int has_status, int status);
/* For programs, a life's fields as export names them: start, start_ns,
 * end, end_ns, duration_ns, state, status, exit_code, signal, core. */
int fmt_life_out(struct out *o, int64_t start, int has_end, int64_t end,
    int has_status, int status);

/*
 * A process's end as words: "running", "unknown", "exit N", "signal N",
 * "signal N core".  has_end and has_status say whether end and status are
 * non-NULL.  buf gets the text (size 32 is enough); returns buf.
 */
const char *fmt_status(char *buf, size_t size, int has_end, int has_status,
    int status);

/* process.flags as comma-separated words ("" for none); returns buf (128). */
const char *fmt_flags(char *buf, size_t size, int64_t flags);

/* exec.capture as comma-separated words (bit 16, not stored, is
 * "unverified"); returns buf (256). */
const char *fmt_capture(char *buf, size_t size, int64_t capture);

/*
 * The standard process row.  FMT_PROC_SELECT lists its columns for a
 * query over "process p LEFT JOIN exec x ON x.id = p.image LEFT JOIN
 * cmdline cl ON cl.id = x.cmdline"; fmt_proc_columns() gives the output
 * columns for o's format; fmt_proc_row() prints one row from statement st
 * whose columns first..first+FMT_PROC_NSEL-1 are FMT_PROC_SELECT.
 *
 * For people (tables) the row is id, pid, ppid, start, duration, user,
 * status ("exit 1"), flags, comm, argv.  For programs (JSON, CSV) it is a
 * subset of export's process record, with its names and types: numbers
 * (exit_code, signal, uid, times in ns), flags as a list of names
 * (docs/query.md, "Fields for programs"), then unit, container and pod
 * (read from the image's cgroup), which tables show if asked
 * (fmt_proc_where).
 */
#define FMT_PROC_SELECT \
	"p.id, p.tgid, p.ppid, p.start, p.end, p.status, p.uid, p.comm, cl.argv," \
	" p.flags, x.cgroup"
#define FMT_PROC_NSEL	11
#define FMT_PROC_MAXCOLS	21
const struct out_col *fmt_proc_columns(const struct out *o, int *ret_n);
int fmt_proc_row(struct out *o, sqlite3_stmt *st, int first);

/* The standard row's values; comm and argv point to storage the filler owns. */
struct fmt_proc {
	int64_t		 id, pid, ppid, start, end, status, uid, flags;
	int		 has_ppid, has_end, has_status, has_uid;
	const char	*comm;		/* NULL if unknown */
	const void	*argv;		/* NULL if unknown */
	size_t		 argvlen;
	const char	*cgroup;	/* NULL if unknown */
};

/* Which of unit, container and pod the tables show (-o), before argv. */
#define FMT_WHERE_UNIT		1
#define FMT_WHERE_CONTAINER	2
#define FMT_WHERE_POD		4
void fmt_proc_where(unsigned mask);
/* Cell i of unit (0), container (1), pod (2) read from a cgroup path; null
 * if none. */
int fmt_where_out(struct out *o, const char *cgroup, int i);
/* Parse "unit,container,pod" (any of them) into a mask; -EINVAL if a name
 * is unknown. */
int fmt_where_parse(const char *list, unsigned *ret);

/*
 * A gap row, in gaps and show: FMT_GAP_SELECT from "gap"; the columns for
 * people are id, session, kind, start, end, duration, cpu, count; for
 * programs the duration is duration_ns and start_ns, end_ns follow the
 * times, as in export.
 */
#define FMT_GAP_SELECT	"id, session, kind, start, end, cpu, count"
const struct out_col *fmt_gap_columns(const struct out *o, int *ret_n);
int fmt_gap_row(struct out *o, sqlite3_stmt *st, int first);

/* Fill p from st as fmt_proc_row() reads it; pointers are into st. */
void fmt_proc_get(sqlite3_stmt *st, int first, struct fmt_proc *p);
int fmt_proc_out(struct out *o, const struct fmt_proc *p);
#endif
