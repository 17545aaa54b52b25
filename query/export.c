/*
 * export: stable records (JSON lines or CSV) for a fleet-wide store;
 * the record schema is docs/fleet.md.
 *
 * Reading.  Rows are read in chunks of at most CHUNK_ROWS rows, CHUNK_SPAN
 * ids or CHUNK_BYTES of output, each chunk in its own short read
 * transaction (the collector writes the same WAL database), with the
 * chunk's output buffered and written only after the transaction ends: a
 * slow consumer of stdout never holds a snapshot open.  Memory is bounded
 * by one chunk.  Every table is walked by id (keyset pagination): event,
 * exec and gap rows are append-only and their ids grow in commit order, so
 * "id > last exported id" finds exactly the rows added since.
 *
 * Processes change after they are first written (exec, credentials, exit),
 * so they are exported when first seen and, if still running then, once
 * more when they end.  The cursor file keeps, besides one high-water mark
 * per table, the ids of the instances exported while running ("open"
 * lines, ascending); the next run looks each one up again and exports it
 * with final=true when it has ended.  That is exact whatever order ends are
 * committed in (restart close-outs set an end in the past), and needs no
 * schema change.  The cursor is replaced (write, fsync, rename) only after
 * the records were written and flushed: an interrupted run is repeated by
 * the next one (at least once; records carry stable keys), never skipped.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "db.h"
#include "model.h"
#include "export.h"
#include "fmt.h"
#include "query.h"

#define CHUNK_ROWS	1000		/* rows per read transaction */
#define CHUNK_SPAN	50000		/* ids scanned per read transaction */
#define CHUNK_BYTES	(1 << 20)	/* output buffered per transaction */
#define OPEN_CHUNK	256		/* open instances re-read per transaction */

#define CURSOR_MAGIC	"proctrail-export-cursor 1"

/* Record kinds, as --kind names them; also the tables walked. */
enum kind { K_PROCESS, K_EXEC, K_EVENT, K_GAP, K_COUNT };
static const char *const kind_names[K_COUNT] = {
	"processes", "execs", "events", "gaps"
};
/* table name in the cursor file */
static const char *const kind_tables[K_COUNT] = {
	"process", "exec", "event", "gap"
};

/*
 * Every field of every record type, in CSV column order (JSON objects use
 * the same order, with only their type's fields).  docs/fleet.md describes
 * each; a change here is a change of the published schema.
 */
enum field {
	F_TYPE, F_HOST, F_BOOT_ID, F_ID, F_FINAL, F_SESSION, F_PROCESS_ID,
	F_PARENT_ID, F_PID, F_TID, F_PPID, F_PTID, F_TIME, F_TIME_NS,
	F_START, F_START_NS, F_END, F_END_NS, F_DURATION_NS, F_MONO_NS,
	F_CPU, F_EVENT, F_KIND, F_COUNT, F_STATE, F_STATUS, F_EXIT_CODE,
	F_SIGNAL, F_CORE, F_EXIT_SIGNAL, F_UID, F_EUID, F_GID, F_EGID,
	F_USER, F_COMM, F_EXE, F_CWD, F_CGROUP, F_ARGV, F_IMAGE_ID, F_EXECS,
	F_FLAGS, F_CAPTURE,
	/* added later: at the end, so that CSV columns keep their places */
	F_UNIT, F_CONTAINER, F_POD, F_LOGIN_UID, F_LOGIN_USER, F_LOGIN_SESSION,
	F_TTY, F_NS_PID, F_PID_NS, F_MNT_NS, F_USER_NS, F_EXE_DEV, F_EXE_INO,
	F_EXE_SIZE, F_EXE_MTIME_NS, F_EXE_CTIME_NS, F_EXE_SHA256, NFIELDS
};
static const char *const field_names[NFIELDS] = {
	"type", "host", "boot_id", "id", "final", "session", "process_id",
	"parent_id", "pid", "tid", "ppid", "ptid", "time", "time_ns",
	"start", "start_ns", "end", "end_ns", "duration_ns", "mono_ns",
	"cpu", "event", "kind", "count", "state", "status", "exit_code",
	"signal", "core", "exit_signal", "uid", "euid", "gid", "egid",
	"user", "comm", "exe", "cwd", "cgroup", "argv", "image_id", "execs",
	"flags", "capture", "unit", "container", "pod", "login_uid",
	"login_user", "login_session", "tty", "ns_pid", "pid_ns", "mnt_ns",
	"user_ns", "exe_dev", "exe_ino", "exe_size", "exe_mtime_ns",
	"exe_ctime_ns", "exe_sha256",
};
_Static_assert(NFIELDS <= 64, "fields are bits of a uint64_t");

#define B(f)	(UINT64_C(1) << (f))
#define COMMON	(B(F_TYPE) | B(F_HOST) | B(F_BOOT_ID) | B(F_ID))
#define CREDS	(B(F_UID) | B(F_EUID) | B(F_GID) | B(F_EGID))
#define IMAGE	(B(F_EXE) | B(F_CWD) | B(F_CGROUP) | B(F_UNIT) | \
	B(F_CONTAINER) | B(F_POD) | B(F_ARGV) | B(F_CAPTURE) | \
	B(F_LOGIN_UID) | B(F_LOGIN_USER) | B(F_LOGIN_SESSION) | B(F_TTY) | \
	B(F_NS_PID) | B(F_PID_NS) | B(F_MNT_NS) | B(F_USER_NS) | \
	B(F_EXE_DEV) | B(F_EXE_INO) | B(F_EXE_SIZE) | B(F_EXE_MTIME_NS) | \
	B(F_EXE_CTIME_NS) | B(F_EXE_SHA256))

/* The fields of each record type (JSON objects carry exactly these). */
static const uint64_t kind_fields[K_COUNT] = {
	[K_PROCESS] = COMMON | B(F_FINAL) | B(F_PARENT_ID) | B(F_PID) |
	    B(F_PPID) | B(F_START) | B(F_START_NS) | B(F_END) | B(F_END_NS) |
	    B(F_DURATION_NS) | B(F_STATE) | B(F_STATUS) | B(F_EXIT_CODE) |
	    B(F_SIGNAL) | B(F_CORE) | CREDS | B(F_USER) | B(F_COMM) | IMAGE |
	    B(F_IMAGE_ID) | B(F_EXECS) | B(F_FLAGS),
	[K_EXEC] = COMMON | B(F_PROCESS_ID) | B(F_PID) | B(F_TIME) |
	    B(F_TIME_NS) | CREDS | B(F_USER) | B(F_COMM) | IMAGE,
	[K_EVENT] = COMMON | B(F_SESSION) | B(F_PROCESS_ID) | B(F_PID) |
	    B(F_TID) | B(F_PPID) | B(F_PTID) | B(F_TIME) | B(F_TIME_NS) |
	    B(F_MONO_NS) | B(F_CPU) | B(F_EVENT) | B(F_STATUS) |
	    B(F_EXIT_SIGNAL) | CREDS | B(F_COMM),
	[K_GAP] = COMMON | B(F_SESSION) | B(F_START) | B(F_START_NS) |
	    B(F_END) | B(F_END_NS) | B(F_DURATION_NS) | B(F_CPU) | B(F_KIND) |
	    B(F_COUNT),
};

/* One record being built: each field's value as JSON or CSV text. */
struct rec {
	int		 csv;		/* CSV, else JSON lines */
	uint64_t	 set;		/* fields with a (non-null) value */
	struct out_buf	 v[NFIELDS];
};

/* Where the id walk of one table stands. */
struct walk {
	int64_t		 lo;		/* last id done (exclusive bound) */
	int64_t		 hi;		/* high-water mark of this run */
	int64_t		 min;		/* smallest id present, 0 if none */
};

struct export {
	struct qctx	*q;
	int		 csv;
	int		 header;
	unsigned	 kinds;		/* 1 << enum kind */
	int64_t		 since, until;	/* time filter (ns), INT64_MIN/MAX if none */
	const char	*cursor_path;	/* --cursor-file */
	FILE		*cursor_in;	/* the old cursor, at its first "open" line */
	char		*cursor_tmp;	/* the new cursor being written */
	FILE		*cursor_out;
	int		 resume;	/* an old cursor was read */
	char		 fingerprint[128];	/* identifies the database */
	struct walk	 w[K_COUNT];
	sqlite3_stmt	*st[K_COUNT];	/* id-range statements */
	sqlite3_stmt	*st_one;	/* one process by id */
	struct rec	 rec;
	struct out_buf	 chunk;		/* output of the current chunk */
	int64_t		 nrec[K_COUNT];
	int64_t		 pruned_open;	/* open instances deleted by retention */
	int		 out_err;	/* first write error of stdout (-errno) */
	int		 cursor_err;	/* first write error of the new cursor */
};

/* Who, where and which binary: the columns f_context reads, then the
 * joins they need (exec x). */
#define CONTEXT_COLS \
	" x.login_uid, x.login_session, x.tty, x.ns_pid, n.pid_ns, n.mnt_ns," \
	" n.user_ns, f.dev, f.ino, f.size, f.mtime, f.ctime, f.sha256"
#define CONTEXT_JOINS \
	" LEFT JOIN ns n ON n.id = x.ns LEFT JOIN file f ON f.id = x.file"

/* Process columns: shared by the range and the by-id statement. */
#define PROC_COLS \
	"p.id, b.hostname, b.boot_id, p.tgid, p.ppid, p.parent, p.start," \
	" p.end, p.status, p.uid, p.euid, p.gid, p.egid, p.comm, x.exe," \
	" x.cwd, x.cgroup, cl.argv, p.image, p.execs, p.flags, x.capture," \
	CONTEXT_COLS \
	" FROM process p LEFT JOIN boot b ON b.id = p.boot" \
	" LEFT JOIN exec x ON x.id = p.image" \
	" LEFT JOIN cmdline cl ON cl.id = x.cmdline" CONTEXT_JOINS

#define EVENT_SQL(wall) \
	"SELECT e.id, b.hostname, b.boot_id, e.session, e.process," \
	" " wall ", e.mono, e.cpu," \
	" coalesce(t.name, CAST(e.type AS TEXT)), e.pid, e.tgid, e.ppid," \
	" e.ptgid, e.status, e.signal, e.type, e.rid, e.eid, e.comm" \
	" FROM event e LEFT JOIN session s ON s.id = e.session" \
	" LEFT JOIN boot b ON b.id = s.boot" \
	" LEFT JOIN event_type t ON t.code = e.type" \
	" WHERE e.id > :lo AND e.id <= :hi" \
	" AND " wall " >= :since AND " wall " < :until" \
	" ORDER BY e.id LIMIT :n"

/* The event statement of a file before schema version 3 (no clock). */
static const char event_sql_v2[] = EVENT_SQL(Q_EV_WALL_V2);

/* :lo < id <= :hi, at most :n rows, time filter :since/:until. */
static const char *const range_sql[K_COUNT] = {
	[K_PROCESS] = "SELECT " PROC_COLS
	    " WHERE p.id > :lo AND p.id <= :hi"
	    " AND p.start >= :since AND p.start < :until"
	    " ORDER BY p.id LIMIT :n",
	[K_EXEC] = "SELECT x.id, b.hostname, b.boot_id, x.process, p.tgid,"
	    " x.time, x.uid, x.euid, x.gid, x.egid, x.comm, x.exe, x.cwd,"
	    " x.cgroup, cl.argv, x.capture," CONTEXT_COLS
	    " FROM exec x LEFT JOIN process p ON p.id = x.process"
	    " LEFT JOIN cmdline cl ON cl.id = x.cmdline" CONTEXT_JOINS
	    " LEFT JOIN boot b ON b.id = p.boot"
	    " WHERE x.id > :lo AND x.id <= :hi"
	    " AND x.time >= :since AND x.time < :until"
	    " ORDER BY x.id LIMIT :n",
	[K_EVENT] = EVENT_SQL(Q_EV_WALL_V3),
	[K_GAP] = "SELECT g.id, coalesce(b.hostname, (SELECT hostname FROM boot"
	    " ORDER BY id DESC LIMIT 1)), b.boot_id, g.session, g.kind,"
	    " g.start, g.end, g.cpu, g.count"
	    " FROM gap g LEFT JOIN session s ON s.id = g.session"
	    " LEFT JOIN boot b ON b.id = s.boot"
	    " WHERE g.id > :lo AND g.id <= :hi"
	    " AND g.end >= :since AND g.start < :until"
	    " ORDER BY g.id LIMIT :n",
};
static const char one_sql[] = "SELECT " PROC_COLS " WHERE p.id = :id";

static const char marks_sql[] =
    "SELECT (SELECT coalesce(max(id), 0) FROM process),"
    " (SELECT coalesce(max(id), 0) FROM exec),"
    " (SELECT coalesce(max(id), 0) FROM event),"
    " (SELECT coalesce(max(id), 0) FROM gap),"
    " (SELECT coalesce(min(id), 0) FROM process),"
    " (SELECT coalesce(min(id), 0) FROM exec),"
    " (SELECT coalesce(min(id), 0) FROM event),"
    " (SELECT coalesce(min(id), 0) FROM gap),"
    " (SELECT s.started || ' ' || b.boot_id FROM session s"
    "  JOIN boot b ON b.id = s.boot ORDER BY s.id LIMIT 1)";

/* The first process started at or after :since (process_start index). */
static const char first_proc_sql[] =
    "SELECT min(id) FROM process WHERE start >= :since";

/* --- values ------------------------------------------------------------ */

static void
rec_clear(struct rec *r)
{
	for (int f = 0; f < NFIELDS; f++)
		r->v[f].len = 0;
	r->set = 0;
}

static int
f_text(struct rec *r, enum field f, const char *s, size_t n)
{
	if (!s)
		return 0;
	r->set |= B(f);
	return r->csv ? out_buf_utf8(&r->v[f], s, n) :
	    out_buf_json(&r->v[f], s, n);
}

static int
f_str(struct rec *r, enum field f, const char *s)
{
	return s ? f_text(r, f, s, strlen(s)) : 0;
}

static int
f_col(struct rec *r, enum field f, sqlite3_stmt *st, int c)
{
	if (sqlite3_column_type(st, c) == SQLITE_NULL)
		return 0;
	return f_text(r, f, (const char *)sqlite3_column_text(st, c),
	    (size_t)sqlite3_column_bytes(st, c));
}

/* unit, container and pod, read from the cgroup path in column c */
static int
f_where(struct rec *r, sqlite3_stmt *st, int c)
{
	const char *path = (const char *)sqlite3_column_text(st, c);
	char buf[512];
	int rc = 0;

	if (!path)
		return 0;
	if (pt_cgroup_unit(path, buf, sizeof(buf)))
		rc = f_str(r, F_UNIT, buf);
	if (rc == 0 && pt_cgroup_container(path, buf, sizeof(buf)))
		rc = f_str(r, F_CONTAINER, buf);
	if (rc == 0 && pt_cgroup_pod(path, buf, sizeof(buf)))
		rc = f_str(r, F_POD, buf);
	return rc;
}

static int
f_int(struct rec *r, enum field f, int64_t v)
{
	char s[24];
	int n;

	n = snprintf(s, sizeof(s), "%" PRId64, v);
	r->set |= B(f);
	return out_buf_add(&r->v[f], s, (size_t)n);
}

static int
f_icol(struct rec *r, enum field f, sqlite3_stmt *st, int c)
{
	if (sqlite3_column_type(st, c) == SQLITE_NULL)
		return 0;
	return f_int(r, f, sqlite3_column_int64(st, c));
}

static int
f_bool(struct rec *r, enum field f, int v)
{
	r->set |= B(f);
	return out_buf_add(&r->v[f], v ? "true" : "false", v ? 4 : 5);
}

/* A time: RFC 3339 UTC with nanoseconds in f, the integer in f + 1. */
static int
f_time(struct rec *r, enum field f, int64_t ns)
{
	char day[32], s[48];
	int frac, n;

	if (out_utc(ns, day, &frac) < 0)
		return f_int(r, (enum field)(f + 1), ns);
	n = snprintf(s, sizeof(s), "%s%s.%09dZ%s", r->csv ? "" : "\"", day,
	    frac, r->csv ? "" : "\"");
	r->set |= B(f);
	if (out_buf_add(&r->v[f], s, (size_t)n) < 0)
		return -ENOMEM;
	return f_int(r, (enum field)(f + 1), ns);
}

static int
f_tcol(struct rec *r, enum field f, sqlite3_stmt *st, int c)
{
	if (sqlite3_column_type(st, c) == SQLITE_NULL)
		return 0;
	return f_time(r, f, sqlite3_column_int64(st, c));
}

/* Comma-separated words (fmt_flags, fmt_capture) as a JSON array. */
static int
f_words(struct rec *r, enum field f, const char *words)
{
	const char *s = words, *e;
	int rc;

	r->set |= B(f);
	rc = out_buf_add(&r->v[f], "[", 1);
	while (rc == 0 && *s) {
		e = strchr(s, ',');
		if (!e)
			e = s + strlen(s);
		if (s != words)
			rc = out_buf_add(&r->v[f], ",", 1);
		if (rc == 0)
			rc = out_buf_json(&r->v[f], s, (size_t)(e - s));
		s = *e ? e + 1 : e;
	}
	if (rc == 0)
		rc = out_buf_add(&r->v[f], "]", 1);
	return rc;
}

static int
f_argv(struct rec *r, enum field f, sqlite3_stmt *st, int c)
{
	if (sqlite3_column_type(st, c) == SQLITE_NULL)
		return 0;
	r->set |= B(f);
	return out_buf_json_argv(&r->v[f], sqlite3_column_blob(st, c),
	    (size_t)sqlite3_column_bytes(st, c));
}

/* Field f: this machine's name of the uid in column c (the real or the
 * login uid), or nothing if it has none. */
static int
f_user(struct rec *r, enum field f, sqlite3_stmt *st, int c)
{
	char num[24];
	const char *name;
	int64_t uid;

	if (sqlite3_column_type(st, c) == SQLITE_NULL)
		return 0;
	uid = sqlite3_column_int64(st, c);
	name = fmt_user(uid);
	snprintf(num, sizeof(num), "%" PRId64, uid);
	if (strcmp(name, num) == 0)
		return 0;
	return f_str(r, f, name);
}

/* The CONTEXT_COLS from column c on. */
static int
f_context(struct rec *r, sqlite3_stmt *st, int c)
{
	static const enum field f[] = {
		F_LOGIN_UID, F_LOGIN_SESSION, F_TTY, F_NS_PID, F_PID_NS,
		F_MNT_NS, F_USER_NS, F_EXE_DEV, F_EXE_INO, F_EXE_SIZE,
		F_EXE_MTIME_NS, F_EXE_CTIME_NS, F_EXE_SHA256,
	};
	size_t i;
	int rc = 0;

	for (i = 0; i < sizeof(f) / sizeof(f[0]) && rc == 0; i++)
		rc = f[i] == F_TTY || f[i] == F_EXE_SHA256 ?
		    f_col(r, f[i], st, c + (int)i) :
		    f_icol(r, f[i], st, c + (int)i);
	return rc ? rc : f_user(r, F_LOGIN_USER, st, c);
}

static int
csv_cell(struct out_buf *o, const struct out_buf *v)
{
	int quote = 0, r;
	size_t i;

	for (i = 0; i < v->len; i++)
		if (strchr(",\"\r\n", v->p[i]))
			quote = 1;
	if (v->len && (v->p[0] == ' ' || v->p[v->len - 1] == ' '))
		quote = 1;
	if (!quote)
		return out_buf_add(o, v->p, v->len);
	r = out_buf_add(o, "\"", 1);
	for (i = 0; i < v->len && r == 0; i++) {
		if (v->p[i] == '"')
			r = out_buf_add(o, "\"", 1);
		if (r == 0)
			r = out_buf_add(o, &v->p[i], 1);
	}
	if (r == 0)
		r = out_buf_add(o, "\"", 1);
	return r;
}

/* Append the record to the chunk as one line and clear it. */
static int
rec_emit(struct export *x, enum kind k)
{
	struct rec *r = &x->rec;
	uint64_t mask = kind_fields[k];
	int rc = 0, first = 1;

	for (int f = 0; f < NFIELDS && rc == 0; f++) {
		if (r->csv) {
			if (f > 0)
				rc = out_buf_add(&x->chunk, ",", 1);
			if (rc == 0 && (r->set & B(f)))
				rc = csv_cell(&x->chunk, &r->v[f]);
			continue;
		}
		if (!(mask & B(f)))
			continue;
		rc = out_buf_add(&x->chunk, first ? "{\"" : ",\"", 2);
		first = 0;
		if (rc == 0)
			rc = out_buf_add(&x->chunk, field_names[f],
			    strlen(field_names[f]));
		if (rc == 0)
			rc = out_buf_add(&x->chunk, "\":", 2);
		if (rc == 0)
			rc = (r->set & B(f)) ? out_buf_add(&x->chunk, r->v[f].p,
			    r->v[f].len) : out_buf_add(&x->chunk, "null", 4);
	}
	if (rc == 0)
		rc = out_buf_add(&x->chunk, r->csv ? "\n" : "}\n", r->csv ? 1 : 2);
	x->nrec[k]++;
	rec_clear(r);
	return rc;
}

/* --- rows to records ---------------------------------------------------- */

/* A process row (PROC_COLS); *ret_open says it is still running. */
static int
rec_process(struct export *x, sqlite3_stmt *st, int *ret_open)
{
	struct rec *r = &x->rec;
	char flags[128], capture[256];
	int has_end = sqlite3_column_type(st, 7) != SQLITE_NULL;
	int has_status = sqlite3_column_type(st, 8) != SQLITE_NULL;
	int status = sqlite3_column_int(st, 8), rc;
	const char *state;

	if (!has_end)
		state = "running";
	else if (!has_status)
		state = "unknown";
	else if ((status & 127) == 0)
		state = "exited";
	else
		state = "killed";
	rc = f_str(r, F_TYPE, "process");
	rc = rc ? rc : f_col(r, F_HOST, st, 1);
	rc = rc ? rc : f_col(r, F_BOOT_ID, st, 2);
	rc = rc ? rc : f_icol(r, F_ID, st, 0);
	rc = rc ? rc : f_bool(r, F_FINAL, has_end);
	rc = rc ? rc : f_icol(r, F_PID, st, 3);
	rc = rc ? rc : f_icol(r, F_PPID, st, 4);
	rc = rc ? rc : f_icol(r, F_PARENT_ID, st, 5);
	rc = rc ? rc : f_tcol(r, F_START, st, 6);
	rc = rc ? rc : f_tcol(r, F_END, st, 7);
	if (rc == 0 && has_end)
		rc = f_int(r, F_DURATION_NS, sqlite3_column_int64(st, 7) -
		    sqlite3_column_int64(st, 6));
	rc = rc ? rc : f_str(r, F_STATE, state);
	rc = rc ? rc : f_icol(r, F_STATUS, st, 8);
	if (rc == 0 && has_status && (status & 127) == 0)
		rc = f_int(r, F_EXIT_CODE, (status >> 8) & 255);
	if (rc == 0 && has_status && (status & 127) != 0)
		rc = f_int(r, F_SIGNAL, status & 127);
	if (rc == 0 && has_status)
		rc = f_bool(r, F_CORE, (status & 128) != 0);
	rc = rc ? rc : f_icol(r, F_UID, st, 9);
	rc = rc ? rc : f_icol(r, F_EUID, st, 10);
	rc = rc ? rc : f_icol(r, F_GID, st, 11);
	rc = rc ? rc : f_icol(r, F_EGID, st, 12);
	rc = rc ? rc : f_user(r, F_USER, st, 9);
	rc = rc ? rc : f_col(r, F_COMM, st, 13);
	rc = rc ? rc : f_col(r, F_EXE, st, 14);
	rc = rc ? rc : f_col(r, F_CWD, st, 15);
	rc = rc ? rc : f_col(r, F_CGROUP, st, 16);
	rc = rc ? rc : f_where(r, st, 16);
	rc = rc ? rc : f_argv(r, F_ARGV, st, 17);
	rc = rc ? rc : f_icol(r, F_IMAGE_ID, st, 18);
	rc = rc ? rc : f_icol(r, F_EXECS, st, 19);
	rc = rc ? rc : f_words(r, F_FLAGS, fmt_flags(flags, sizeof(flags),
	    sqlite3_column_int64(st, 20)));
	if (rc == 0 && sqlite3_column_type(st, 21) != SQLITE_NULL)
		rc = f_words(r, F_CAPTURE, fmt_capture(capture,
		    sizeof(capture), sqlite3_column_int64(st, 21)));
	rc = rc ? rc : f_context(r, st, 22);
	*ret_open = !has_end;
	return rc ? rc : rec_emit(x, K_PROCESS);
}

static int
rec_exec(struct export *x, sqlite3_stmt *st)
{
	struct rec *r = &x->rec;
	char capture[256];
	int rc;

	rc = f_str(r, F_TYPE, "exec");
	rc = rc ? rc : f_col(r, F_HOST, st, 1);
	rc = rc ? rc : f_col(r, F_BOOT_ID, st, 2);
	rc = rc ? rc : f_icol(r, F_ID, st, 0);
	rc = rc ? rc : f_icol(r, F_PROCESS_ID, st, 3);
	rc = rc ? rc : f_icol(r, F_PID, st, 4);
	rc = rc ? rc : f_tcol(r, F_TIME, st, 5);
	rc = rc ? rc : f_icol(r, F_UID, st, 6);
	rc = rc ? rc : f_icol(r, F_EUID, st, 7);
	rc = rc ? rc : f_icol(r, F_GID, st, 8);
	rc = rc ? rc : f_icol(r, F_EGID, st, 9);
	rc = rc ? rc : f_user(r, F_USER, st, 6);
	rc = rc ? rc : f_col(r, F_COMM, st, 10);
	rc = rc ? rc : f_col(r, F_EXE, st, 11);
	rc = rc ? rc : f_col(r, F_CWD, st, 12);
	rc = rc ? rc : f_col(r, F_CGROUP, st, 13);
	rc = rc ? rc : f_where(r, st, 13);
	rc = rc ? rc : f_argv(r, F_ARGV, st, 14);
	rc = rc ? rc : f_words(r, F_CAPTURE, fmt_capture(capture,
	    sizeof(capture), sqlite3_column_int64(st, 15)));
	rc = rc ? rc : f_context(r, st, 16);
	return rc ? rc : rec_emit(x, K_EXEC);
}

static int
rec_event(struct export *x, sqlite3_stmt *st)
{
	struct rec *r = &x->rec;
	int64_t type = sqlite3_column_int64(st, 15);
	int rc, gid = type == PT_EV_GID, uid = type == PT_EV_UID;

	rc = f_str(r, F_TYPE, "event");
	rc = rc ? rc : f_col(r, F_HOST, st, 1);
	rc = rc ? rc : f_col(r, F_BOOT_ID, st, 2);
	rc = rc ? rc : f_icol(r, F_ID, st, 0);
	rc = rc ? rc : f_icol(r, F_SESSION, st, 3);
	rc = rc ? rc : f_icol(r, F_PROCESS_ID, st, 4);
	rc = rc ? rc : f_tcol(r, F_TIME, st, 5);
	rc = rc ? rc : f_icol(r, F_MONO_NS, st, 6);
	rc = rc ? rc : f_icol(r, F_CPU, st, 7);
	rc = rc ? rc : f_col(r, F_EVENT, st, 8);
	rc = rc ? rc : f_icol(r, F_TID, st, 9);
	rc = rc ? rc : f_icol(r, F_PID, st, 10);
	rc = rc ? rc : f_icol(r, F_PTID, st, 11);
	rc = rc ? rc : f_icol(r, F_PPID, st, 12);
	rc = rc ? rc : f_icol(r, F_STATUS, st, 13);
	rc = rc ? rc : f_icol(r, F_EXIT_SIGNAL, st, 14);
	/* uid and gid events: rid/eid are the real/effective id */
	if (rc == 0 && (uid || gid))
		rc = f_icol(r, uid ? F_UID : F_GID, st, 16);
	if (rc == 0 && (uid || gid))
		rc = f_icol(r, uid ? F_EUID : F_EGID, st, 17);
	rc = rc ? rc : f_col(r, F_COMM, st, 18);
	return rc ? rc : rec_emit(x, K_EVENT);
}

static int
rec_gap(struct export *x, sqlite3_stmt *st)
{
	struct rec *r = &x->rec;
	int rc;

	rc = f_str(r, F_TYPE, "gap");
	rc = rc ? rc : f_col(r, F_HOST, st, 1);
	rc = rc ? rc : f_col(r, F_BOOT_ID, st, 2);
	rc = rc ? rc : f_icol(r, F_ID, st, 0);
	rc = rc ? rc : f_icol(r, F_SESSION, st, 3);
	rc = rc ? rc : f_col(r, F_KIND, st, 4);
	rc = rc ? rc : f_tcol(r, F_START, st, 5);
	rc = rc ? rc : f_tcol(r, F_END, st, 6);
	rc = rc ? rc : f_int(r, F_DURATION_NS, sqlite3_column_int64(st, 6) -
	    sqlite3_column_int64(st, 5));
	rc = rc ? rc : f_icol(r, F_CPU, st, 7);
	rc = rc ? rc : f_icol(r, F_COUNT, st, 8);
	return rc ? rc : rec_emit(x, K_GAP);
}

/* --- chunks, cursor ----------------------------------------------------- */

/* Write the chunk's records to stdout (after its transaction ended). */
static int
chunk_flush(struct export *x)
{
	errno = 0;
	if (x->chunk.len && fwrite(x->chunk.p, 1, x->chunk.len, stdout) !=
	    x->chunk.len) {
		x->out_err = errno > 0 ? -errno : -EIO;
		return x->out_err;
	}
	x->chunk.len = 0;
	return 0;
}

static int
cursor_open_line(struct export *x, int64_t id)
{
	errno = 0;
	if (x->cursor_out && fprintf(x->cursor_out, "open %" PRId64 "\n", id) < 0) {
		x->cursor_err = errno > 0 ? -errno : -EIO;
		return x->cursor_err;
	}
	return 0;
}

/*
 * Walk table k from w->lo to w->hi, a chunk per read transaction.
 * Running processes found are added to the new cursor's open list.
 */
static int
walk_table(struct export *x, enum kind k)
{
	struct walk *w = &x->w[k];
	sqlite3_stmt *st = x->st[k];
	int64_t upper, last;
	int rows, rc, r, open;

	while (w->lo < w->hi) {
		upper = w->hi - w->lo > CHUNK_SPAN ? w->lo + CHUNK_SPAN : w->hi;
		r = q_begin(x->q);
		if (r < 0)
			return r;
		r = db_bind_int64(st, ":lo", w->lo);
		r = r ? r : db_bind_int64(st, ":hi", upper);
		r = r ? r : db_bind_int64(st, ":since", x->since);
		r = r ? r : db_bind_int64(st, ":until", x->until);
		r = r ? r : db_bind_int64(st, ":n", CHUNK_ROWS);
		if (r < 0) {
			q_commit(x->q);
			return r;
		}
		rows = 0;
		last = upper;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			open = 0;
			switch (k) {
			case K_PROCESS:
				r = rec_process(x, st, &open);
				break;
			case K_EXEC:
				r = rec_exec(x, st);
				break;
			case K_EVENT:
				r = rec_event(x, st);
				break;
			default:
				r = rec_gap(x, st);
				break;
			}
			if (r == 0 && open)
				r = cursor_open_line(x, sqlite3_column_int64(st, 0));
			if (r < 0) {
				sqlite3_reset(st);
				return r;
			}
			rows++;
			if (rows == CHUNK_ROWS || x->chunk.len >= CHUNK_BYTES) {
				last = sqlite3_column_int64(st, 0);
				rc = SQLITE_DONE;
				break;
			}
		}
		r = db_errno(x->q->db, rc);
		sqlite3_reset(st);
		if (r < 0)
			return r;
		r = q_commit(x->q);
		if (r < 0)
			return r;
		w->lo = last;
		r = chunk_flush(x);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Parse "WORD N" into *ret; 0 or -EINVAL. */
static int
parse_mark(const char *line, const char *word, int64_t *ret)
{
	size_t n = strlen(word);
	char *end;
	long long v;

	if (strncmp(line, word, n) != 0 || line[n] != ' ')
		return -EINVAL;
	errno = 0;
	v = strtoll(line + n + 1, &end, 10);
	if (errno || end == line + n + 1 || (*end != '\n' && *end) || v < 0)
		return -EINVAL;
	*ret = v;
	return 0;
}

/*
 * The previous cursor's header: magic, database, kinds, four marks.  The
 * open lines that follow are read later, one at a time.  Returns 0, or
 * an exit code (reported).
 */
static int
cursor_read_header(struct export *x, const char *kinds)
{
	char line[256];
	int64_t v;
	int i;

	x->cursor_in = fopen(x->cursor_path, "re");
	if (!x->cursor_in) {
		if (errno == ENOENT)
			return 0;
		warn("%s", x->cursor_path);
		return EX_USAGE;
	}
	x->resume = 1;
	if (!fgets(line, sizeof(line), x->cursor_in) ||
	    strcmp(line, CURSOR_MAGIC "\n") != 0)
		goto bad;
	if (!fgets(line, sizeof(line), x->cursor_in) ||
	    strncmp(line, "database ", 9) != 0)
		goto bad;
	line[strcspn(line, "\n")] = '\0';
	if (strcmp(line + 9, x->fingerprint) != 0) {
		warnx("%s: cursor of another database (made for '%s');"
		    " remove it to export from --since again", x->cursor_path,
		    line + 9);
		return EX_USAGE;
	}
	if (!fgets(line, sizeof(line), x->cursor_in) ||
	    strncmp(line, "kinds ", 6) != 0)
		goto bad;
	line[strcspn(line, "\n")] = '\0';
	if (strcmp(line + 6, kinds) != 0) {
		warnx("%s: cursor made with --kind %s, not %s: use one cursor"
		    " file per --kind", x->cursor_path, line + 6, kinds);
		return EX_USAGE;
	}
	for (i = 0; i < K_COUNT; i++) {
		if (!fgets(line, sizeof(line), x->cursor_in) ||
		    parse_mark(line, kind_tables[i], &v) < 0)
			goto bad;
		if (v > x->w[i].hi) {
			warnx("%s: cursor is ahead of the database (%s id %"
			    PRId64 ", the database ends at %" PRId64 "): was the"
			    " database restored? remove the cursor to export"
			    " from --since again", x->cursor_path, kind_tables[i],
			    v, x->w[i].hi);
			return EX_USAGE;
		}
		x->w[i].lo = v;
	}
	return 0;
bad:
	warnx("%s: not an export cursor, or damaged", x->cursor_path);
	return EX_USAGE;
}

/*
 * Export the instances the previous run left open that have ended since;
 * copy the others to the new cursor.  Reads the old cursor's open lines.
 */
static int
walk_open(struct export *x)
{
	char line[64];
	int64_t id, prev = 0;
	int n, r, rc, open, eof = 0;

	while (!eof) {
		r = q_begin(x->q);
		if (r < 0)
			return r;
		for (n = 0; n < OPEN_CHUNK; n++) {
			if (!fgets(line, sizeof(line), x->cursor_in)) {
				eof = 1;
				break;
			}
			if (parse_mark(line, "open", &id) < 0 || id <= prev ||
			    id > x->w[K_PROCESS].lo)
				return -EBADMSG;
			prev = id;
			if ((r = db_bind_int64(x->st_one, ":id", id)) < 0)
				return r;
			rc = sqlite3_step(x->st_one);
			if (rc == SQLITE_ROW) {
				if (sqlite3_column_type(x->st_one, 7) ==
				    SQLITE_NULL)
					r = cursor_open_line(x, id);
				else
					r = rec_process(x, x->st_one, &open);
			} else if (rc == SQLITE_DONE) {
				/* ended and deleted by retention before
				 * this run could export its end */
				x->pruned_open++;
				r = 0;
			} else
				r = db_errno(x->q->db, rc);
			sqlite3_reset(x->st_one);
			if (r < 0)
				return r;
			if (x->chunk.len >= CHUNK_BYTES) {
				n++;
				break;
			}
		}
		r = q_commit(x->q);
		if (r == 0)
			r = chunk_flush(x);
		if (r < 0)
			return r;
	}
	if (ferror(x->cursor_in))
		return -EIO;
	return 0;
}

/* The first transaction: high-water marks, smallest ids, fingerprint. */
static int
read_marks(struct export *x)
{
	sqlite3_stmt *st;
	int rc, r, i;

	rc = sqlite3_prepare_v2(x->q->db, marks_sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_errno(x->q->db, rc);
	r = q_begin(x->q);
	if (r == 0) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			for (i = 0; i < K_COUNT; i++) {
				x->w[i].hi = sqlite3_column_int64(st, i);
				x->w[i].min = sqlite3_column_int64(st, K_COUNT + i);
			}
			snprintf(x->fingerprint, sizeof(x->fingerprint), "%s",
			    sqlite3_column_type(st, 8) == SQLITE_NULL ? "none" :
			    (const char *)sqlite3_column_text(st, 8));
			/* one word per field of the cursor line */
			for (char *c = x->fingerprint; *c; c++)
				if (*c == '\n' || *c == '\r')
					*c = '_';
			rc = SQLITE_DONE;
		}
		r = db_errno(x->q->db, rc);
	}
	sqlite3_finalize(st);
	if (r == 0)
		r = q_commit(x->q);
	return r;
}

/* Where the process walk starts without a cursor: the first start >= since. */
static int
first_process(struct export *x)
{
	sqlite3_stmt *st;
	int rc, r;

	if (x->since == INT64_MIN)
		return 0;
	rc = sqlite3_prepare_v2(x->q->db, first_proc_sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_errno(x->q->db, rc);
	r = q_begin(x->q);
	if (r == 0) {
		r = db_bind_int64(st, ":since", x->since);
		rc = r < 0 ? SQLITE_DONE : sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			x->w[K_PROCESS].lo = sqlite3_column_type(st, 0) ==
			    SQLITE_NULL ? x->w[K_PROCESS].hi :
			    sqlite3_column_int64(st, 0) - 1;
			rc = SQLITE_DONE;
		}
		if (r == 0)
			r = db_errno(x->q->db, rc);
	}
	sqlite3_finalize(st);
	if (r == 0)
		r = q_commit(x->q);
	return r;
}

static int
cursor_begin(struct export *x, const char *kinds)
{
	size_t n = strlen(x->cursor_path) + 8;
	int fd, i;

	x->cursor_tmp = malloc(n);
	if (!x->cursor_tmp)
		return -ENOMEM;
	snprintf(x->cursor_tmp, n, "%s.new", x->cursor_path);
	fd = open(x->cursor_tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	x->cursor_out = fdopen(fd, "w");
	if (!x->cursor_out) {
		close(fd);
		return -errno;
	}
	fprintf(x->cursor_out, "%s\ndatabase %s\nkinds %s\n", CURSOR_MAGIC,
	    x->fingerprint, kinds);
	for (i = 0; i < K_COUNT; i++)
		fprintf(x->cursor_out, "%s %" PRId64 "\n", kind_tables[i],
		    (x->kinds & (1u << i)) ? x->w[i].hi : x->w[i].lo);
	return ferror(x->cursor_out) ? -EIO : 0;
}

/* Make the new cursor durable and put it in place of the old one. */
static int
cursor_commit(struct export *x)
{
	char *dir, *slash;
	int fd, r = 0;

	if (fflush(x->cursor_out) != 0 || fsync(fileno(x->cursor_out)) < 0)
		r = -errno;
	if (fclose(x->cursor_out) != 0 && r == 0)
		r = -errno;
	x->cursor_out = NULL;
	if (r == 0 && rename(x->cursor_tmp, x->cursor_path) < 0)
		r = -errno;
	if (r < 0)
		return r;
	/* the rename itself must survive a crash */
	dir = strdup(x->cursor_path);
	if (!dir)
		return 0;
	slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir ? 1 : 0] = '\0';
	fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
	return 0;
}

/* stdout written and, if it is a file, on disk: before the cursor moves. */
static int
stdout_sync(void)
{
	struct stat st;

	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		return errno > 0 ? -errno : -EIO;
	if (fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode) &&
	    fsync(STDOUT_FILENO) < 0)
		return -errno;
	return 0;
}

static int
parse_kinds(const char *arg, unsigned *kinds)
{
	char buf[128], *s, *tok, *save = NULL;
	int i, found;

	if (strlen(arg) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", arg);
	for (s = buf; (tok = strtok_r(s, ",", &save)); s = NULL) {
		if (strcmp(tok, "all") == 0) {
			*kinds |= (1u << K_COUNT) - 1;
			continue;
		}
		found = 0;
		for (i = 0; i < K_COUNT; i++)
			if (strcmp(tok, kind_names[i]) == 0) {
				*kinds |= 1u << i;
				found = 1;
			}
		if (!found)
			return -EINVAL;
	}
	return *kinds ? 0 : -EINVAL;
}

static void
export_release(struct export *x)
{
	for (int i = 0; i < K_COUNT; i++)
		sqlite3_finalize(x->st[i]);
	sqlite3_finalize(x->st_one);
	for (int f = 0; f < NFIELDS; f++)
		free(x->rec.v[f].p);
	free(x->chunk.p);
	if (x->cursor_in)
		fclose(x->cursor_in);
	if (x->cursor_out) {
		fclose(x->cursor_out);
		unlink(x->cursor_tmp);
	}
	free(x->cursor_tmp);
}

static int
export_run(struct export *x)
{
	char kinds[64] = "";
	int code, r, i;

	for (i = 0; i < K_COUNT; i++)
		if (x->kinds & (1u << i))
			snprintf(kinds + strlen(kinds), sizeof(kinds) -
			    strlen(kinds), "%s%s", kinds[0] ? "," : "",
			    kind_names[i]);
	code = q_open(x->q);
	if (code)
		return code;
	for (i = 0; i < K_COUNT; i++) {
		r = db_errno(x->q->db, sqlite3_prepare_v3(x->q->db,
		    i == K_EVENT && !Q_V3(x->q) ? event_sql_v2 : range_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &x->st[i], NULL));
		if (r < 0)
			return q_fail(x->q, r, "export");
	}
	r = db_errno(x->q->db, sqlite3_prepare_v3(x->q->db, one_sql, -1,
	    SQLITE_PREPARE_PERSISTENT, &x->st_one, NULL));
	if (r == 0)
		r = read_marks(x);
	if (r < 0)
		return q_fail(x->q, r, "export");
	if (x->cursor_path) {
		code = cursor_read_header(x, kinds);
		if (code)
			return code;
	}
	if (x->resume) {
		/* resuming: the ids say what is new, not the times */
		x->since = INT64_MIN;
		x->until = INT64_MAX;
		for (i = 0; i < K_COUNT; i++)
			if ((x->kinds & (1u << i)) && x->w[i].lo > 0 &&
			    x->w[i].min > x->w[i].lo + 1)
				warnx("%s: %s ids %" PRId64 " to %" PRId64
				    " were deleted by retention before they were"
				    " exported", x->cursor_path, kind_tables[i],
				    x->w[i].lo + 1, x->w[i].min - 1);
	} else {
		r = first_process(x);
		if (r < 0)
			return q_fail(x->q, r, "export");
	}
	if (x->cursor_path) {
		r = cursor_begin(x, kinds);
		if (r < 0) {
			warnx("%s: %s", x->cursor_tmp ? x->cursor_tmp :
			    x->cursor_path, strerror(-r));
			return r == -ENOMEM ? EX_INTERNAL : EX_USAGE;
		}
	}
	if (x->csv && x->header) {
		for (i = 0; i < NFIELDS; i++)
			printf("%s%s", field_names[i], i + 1 < NFIELDS ? "," : "\n");
	}
	r = 0;
	if ((x->kinds & (1u << K_PROCESS)) && x->resume) {
		r = walk_open(x);
		if (r == -EBADMSG) {
			warnx("%s: not an export cursor, or damaged",
			    x->cursor_path);
			return EX_USAGE;
		}
	}
	for (i = 0; i < K_COUNT && r == 0; i++)
		if (x->kinds & (1u << i))
			r = walk_table(x, (enum kind)i);
	/* a write that failed is the cause, whatever r reads */
	if (x->out_err < 0) {
		warnx("stdout: %s", strerror(-x->out_err));
		return EX_INTERNAL;
	}
	if (x->cursor_err < 0) {
		warnx("%s: %s", x->cursor_tmp, strerror(-x->cursor_err));
		return EX_INTERNAL;
	}
	if (r < 0)
		return q_fail(x->q, r, "export");
	if (x->pruned_open)
		warnx("%s: %" PRId64 " running instances ended and were deleted"
		    " by retention before their end was exported",
		    x->cursor_path, x->pruned_open);
	r = stdout_sync();
	if (r < 0) {
		warnx("stdout: %s", strerror(-r));
		return EX_INTERNAL;
	}
	if (x->cursor_path) {
		r = cursor_commit(x);
		if (r < 0) {
			warnx("%s: %s", x->cursor_path, strerror(-r));
			return EX_INTERNAL;
		}
	}
	return EX_OK;
}

/* its options (completion.c lists them too) */
const struct option q_opts_export[] = {
	Q_COMMON_LONGOPTS,
	{ "since", required_argument, NULL, 's' },
	{ "until", required_argument, NULL, 'u' },
	{ "format", required_argument, NULL, 'f' },
	{ "kind", required_argument, NULL, 'k' },
	{ "cursor-file", required_argument, NULL, 'c' },
	{ "no-header", no_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

int
cmd_export(struct qctx *q, int argc, char **argv)
{
	struct export x = { 0 };
	const char *format = NULL;
	int c, code, has_until = 0, has_since = 0;

	x.q = q;
	x.header = 1;
	x.since = INT64_MIN;
	x.until = INT64_MAX;
	while ((c = q_getopt(q, argc, argv, "h", q_opts_export, &code)) >= 0) {
		switch (c) {
		case 's':
			if ((code = q_time_arg(q, "--since", optarg, &x.since)))
				return code;
			has_since = 1;
			break;
		case 'u':
			if ((code = q_time_arg(q, "--until", optarg, &x.until)))
				return code;
			has_until = 1;
			break;
		case 'f':
			format = optarg;
			break;
		case 'k':
			if (parse_kinds(optarg, &x.kinds) < 0) {
				warnx("--kind: '%s': not processes, execs,"
				    " events, gaps or all", optarg);
				return EX_USAGE;
			}
			break;
		case 'c':
			x.cursor_path = optarg;
			break;
		case 'n':
			x.header = 0;
			break;
		}
	}
	if (c == Q_OPT_EXIT)
		return code;
	if (optind < argc) {
		warnx("export: unexpected argument '%s'", argv[optind]);
		return EX_USAGE;
	}
	if (!format)
		format = q->fmt == OUT_CSV ? "csv" : "jsonl";
	if (strcmp(format, "csv") == 0)
		x.csv = 1;
	else if (strcmp(format, "jsonl") != 0) {
		warnx("--format: '%s': not jsonl or csv", format);
		return EX_USAGE;
	}
	if (!has_since && !x.cursor_path) {
		warnx("export: --since TIME is needed (or --cursor-file FILE)");
		return EX_USAGE;
	}
	if (has_since && has_until && x.since > x.until) {
		warnx("--since is after --until: an empty window");
		return EX_USAGE;
	}
	if (has_until && x.cursor_path) {
		warnx("export: --until cannot be used with --cursor-file");
		return EX_USAGE;
	}
	if (!x.kinds)
		x.kinds = (1u << K_PROCESS) | (1u << K_EXEC) | (1u << K_GAP);
	x.rec.csv = x.csv;
	code = export_run(&x);
	export_release(&x);
	return code;
}
