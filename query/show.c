/*
 * show.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* vasprintf */
#endif
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "fmt.h"
#include "model.h"
#include "ident.h"
#include "query.h"
#include "show.h"

/* One timeline entry; detail and argv are owned. */
struct tl_entry {
	int64_t		 time;
	int		 order;		/* tie-break: start, execs, events, end */
	int64_t		 seq;		/* tie-break within a kind */
	const char	*event;		/* static text */
	char		*detail;
	void		*argv;		/* NULL if none */
	size_t		 argvlen;
};

struct timeline {
	struct tl_entry	*v;
	size_t		 n;
	size_t		 cap;
};

static void
timeline_release(struct timeline *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].detail);
		free(t->v[i].argv);
	}
	free(t->v);
}

/* Append an entry; takes ownership of detail (NULL if strdup failed). */
static int
timeline_add(struct timeline *t, int64_t time, int order, int64_t seq,
    const char *event, char *detail, const void *argv, size_t argvlen)
{
	struct tl_entry *e;

	if (!detail)
		return -ENOMEM;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct tl_entry *v = realloc(t->v, cap * sizeof(*v));

		if (!v) {
			free(detail);
			return -ENOMEM;
		}
		t->v = v;
		t->cap = cap;
	}
	e = &t->v[t->n];
	e->time = time;
	e->order = order;
	e->seq = seq;
	e->event = event;
	e->detail = detail;
	e->argv = NULL;
	e->argvlen = argvlen;
	if (argv) {
		e->argv = malloc(argvlen + 1);
		if (!e->argv) {
			free(detail);
			return -ENOMEM;
		}
		memcpy(e->argv, argv, argvlen);
	}
	t->n++;
	return 0;
}

static int
tl_cmp(const void *a, const void *b)
{
	const struct tl_entry *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	if (x->order != y->order)
		return x->order - y->order;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static char *
xasprintf(const char *fmt, ...) __attribute__((__format__(printf, 1, 2)));

static char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

static const struct out_col record_cols[] = {
	{ "id", 0 }, { "pid", 0 }, { "ppid", 0 }, { "parent", 0 },
	{ "boot", 0 }, { "host", 0 }, { "start", 0 }, { "end", 0 },
	{ "duration", 0 }, { "status", 0 }, { "user", 0 }, { "euser", 0 },
	{ "gid", 0 }, { "egid", 0 }, { "comm", 0 }, { "exe", 0 },
	{ "cwd", 0 }, { "cgroup", 0 }, { "unit", 0 }, { "container", 0 },
	{ "pod", 0 }, { "login", 0 }, { "tty", 0 }, { "namespaces", 0 },
	{ "file", 0 }, { "argv", 0 }, { "image", 0 }, { "execs", 0 },
	{ "children", 0 }, { "flags", 0 },
};

/* The record for programs (JSON, CSV): export's names and types. */
static const struct out_col record_mcols[] = {
	{ "id", 0 }, { "pid", 0 }, { "ppid", 0 }, { "parent_id", 0 },
	{ "boot_id", 0 }, { "host", 0 }, { "start", 0 }, { "start_ns", 0 },
	{ "end", 0 }, { "end_ns", 0 }, { "duration_ns", 0 }, { "state", 0 },
	{ "status", 0 }, { "exit_code", 0 }, { "signal", 0 }, { "core", 0 },
	{ "uid", 0 }, { "euid", 0 }, { "gid", 0 }, { "egid", 0 },
	{ "user", 0 }, { "comm", 0 }, { "exe", 0 }, { "cwd", 0 },
	{ "cgroup", 0 }, { "unit", 0 }, { "container", 0 }, { "pod", 0 },
	{ "login_uid", 0 }, { "login_user", 0 }, { "login_session", 0 },
	{ "tty", 0 }, { "ns_pid", 0 }, { "pid_ns", 0 }, { "mnt_ns", 0 },
	{ "user_ns", 0 }, { "exe_dev", 0 }, { "exe_ino", 0 },
	{ "exe_size", 0 }, { "exe_mtime_ns", 0 }, { "exe_ctime_ns", 0 },
	{ "exe_sha256", 0 },
	{ "argv", 0 }, { "image_id", 0 },
	{ "image_process_id", 0 }, { "execs", 0 }, { "children", 0 },
	{ "flags", 0 },
};

static const struct out_col timeline_cols[] = {
	{ "time", 0 }, { "event", 0 }, { "detail", 0 }, { "argv", 0 },
};


static int
col_int(struct out *o, sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return out_null(o);
	return out_int(o, sqlite3_column_int64(st, i));
}

static int
col_text(struct out *o, sqlite3_stmt *st, int i)
{
	return out_str(o, (const char *)sqlite3_column_text(st, i));
}

static int
col_user(struct out *o, sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return out_null(o);
	return out_str(o, fmt_user(sqlite3_column_int64(st, i)));
}

static int
col_argv(struct out *o, sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return out_null(o);
	return out_argv(o, sqlite3_column_blob(st, i) ?
	    sqlite3_column_blob(st, i) : "", (size_t)sqlite3_column_bytes(st, i));
}

/* unit, container and pod, read from the cgroup path in column c */
static int
where(struct out *o, sqlite3_stmt *st, int c)
{
	const char *path = (const char *)sqlite3_column_text(st, c);
	int i, r = 0;

	for (i = 0; i < 3 && r == 0; i++)
		r = fmt_where_out(o, path, i);
	return r;
}

/*
 * show_record's columns from C_CONTEXT on: login uid and session, tty,
 * ns_pid, the namespaces, the executable's identity.
 */
#define C_CONTEXT 23

static int
context_machine(struct out *o, sqlite3_stmt *st)
{
	int i, r = 0;

	for (i = 0; i < 13 && r == 0; i++) {
		if (i == 1)	/* login_user, after login_uid */
			r = sqlite3_column_type(st, C_CONTEXT) == SQLITE_NULL ?
			    out_null(o) : out_str(o, fmt_user_name(
			    sqlite3_column_int64(st, C_CONTEXT)));
		if (r == 0)
			r = i == 2 || i == 12 ? col_text(o, st, C_CONTEXT + i) :
			    col_int(o, st, C_CONTEXT + i);
	}
	return r;
}

/* The same for people: login, tty, namespaces, file. */
static int
context_table(struct out *o, sqlite3_stmt *st)
{
	const int c = C_CONTEXT;
	char *s = NULL, day[32];
	int frac, r;

#define NUL(i) (sqlite3_column_type(st, c + (i)) == SQLITE_NULL)
#define I64(i) ((long long)sqlite3_column_int64(st, c + (i)))
	/* login: the user who logged in (kept through su and sudo) */
	if (NUL(0) && NUL(1))
		r = out_null(o);
	else {
		s = NUL(1) ? xasprintf("%s", fmt_user(I64(0))) :
		    NUL(0) ? xasprintf("session %lld", I64(1)) :
		    xasprintf("%s, session %lld", fmt_user(I64(0)), I64(1));
		r = s ? out_str(o, s) : -ENOMEM;
		free(s);
	}
	if (r == 0)
		r = col_text(o, st, c + 2);
	if (r == 0 && NUL(4))
		r = out_null(o);
	else if (r == 0) {
		s = xasprintf("pid %lld (its pid there: %lld), mnt %lld, user %lld",
		    I64(4), I64(3), I64(5), I64(6));
		r = s ? out_str(o, s) : -ENOMEM;
		free(s);
	}
	if (r == 0 && NUL(7))
		r = out_null(o);
	else if (r == 0) {
		if (out_utc(I64(10), day, &frac) < 0)
			snprintf(day, sizeof(day), "%lld", I64(10));
		s = xasprintf("device %lld:%lld, inode %lld, %lld bytes,"
		    " modified %sZ%s%s", (I64(7) >> 8) & 0xfff,
		    (I64(7) & 0xff) | ((I64(7) >> 12) & 0xfff00), I64(8),
		    I64(9), day, NUL(12) ? "" : ", sha256 ",
		    NUL(12) ? "" : (const char *)sqlite3_column_text(st,
		    c + 12));
		r = s ? out_str(o, s) : -ENOMEM;
		free(s);
	}
#undef NUL
#undef I64
	return r;
}

/* Facts about the instance the timeline needs. */
struct life {
	int64_t	start, end, flags, status, parent, ppid;
	int	has_end, has_status, has_parent, has_ppid;
};

/* The record for programs, from show_record's statement. */
static int
record_machine(struct out *o, sqlite3_stmt *st, const struct life *l)
{
	char buf[128];
	int r, i;

	r = out_table_begin(o, "process", record_mcols,
	    sizeof(record_mcols) / sizeof(record_mcols[0]), OUT_RECORD);
	for (i = 0; r == 0 && i < 4; i++)	/* id, pid, ppid, parent */
		r = col_int(o, st, i);
	if (r == 0)
		r = col_text(o, st, 4);
	if (r == 0)
		r = col_text(o, st, 5);
	if (r == 0)
		r = fmt_life_out(o, l->start, l->has_end, l->end,
		    l->has_status, (int)l->status);
	for (i = 9; r == 0 && i <= 12; i++)	/* uid, euid, gid, egid */
		r = col_int(o, st, i);
	if (r == 0)
		r = sqlite3_column_type(st, 9) == SQLITE_NULL ? out_null(o) :
		    out_str(o, fmt_user_name(sqlite3_column_int64(st, 9)));
	for (i = 13; r == 0 && i <= 16; i++)	/* comm, exe, cwd, cgroup */
		r = col_text(o, st, i);
	if (r == 0)
		r = where(o, st, 16);
	if (r == 0)
		r = context_machine(o, st);
	if (r == 0)
		r = col_argv(o, st, 17);
	if (r == 0)		/* the image, and whose exec it is */
		r = col_int(o, st, 18);
	if (r == 0)
		r = col_int(o, st, 19);
	if (r == 0)
		r = col_int(o, st, 20);
	if (r == 0)
		r = col_int(o, st, 21);
	if (r == 0)
		r = out_words(o, fmt_flags(buf, sizeof(buf), l->flags));
	return r;
}

static int
show_record(struct qctx *q, int64_t id, struct life *l)
{
	static const char sql[] =
	    "SELECT p.id, p.tgid, p.ppid, p.parent, b.boot_id, b.hostname,"
	    " p.start, p.end, p.status, p.uid, p.euid, p.gid, p.egid, p.comm,"
	    " x.exe, x.cwd, x.cgroup, cl.argv, p.image, x.process, p.execs,"
	    " (SELECT count(*) FROM process c WHERE c.parent = p.id), p.flags,"
	    " x.login_uid, x.login_session, x.tty, x.ns_pid, n.pid_ns,"
	    " n.mnt_ns, n.user_ns, f.dev, f.ino, f.size, f.mtime, f.ctime,"
	    " f.sha256"
	    " FROM process p JOIN boot b ON b.id = p.boot"
	    " LEFT JOIN exec x ON x.id = p.image"
	    " LEFT JOIN cmdline cl ON cl.id = x.cmdline"
	    " LEFT JOIN ns n ON n.id = x.ns LEFT JOIN file f ON f.id = x.file"
	    " WHERE p.id = :id";
	struct out *o = q->out;
	sqlite3_stmt *st;
	char buf[128];
	int rc, r;

	rc = sqlite3_prepare_v2(q->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_errno(q->db, rc);
	if ((r = db_bind_int64(st, ":id", id)) < 0) {
		sqlite3_finalize(st);
		return r;
	}
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		r = rc == SQLITE_DONE ? -ENOENT : db_errno(q->db, rc);
		sqlite3_finalize(st);
		return r;
	}
	l->start = sqlite3_column_int64(st, 6);
	l->has_end = sqlite3_column_type(st, 7) != SQLITE_NULL;
	l->end = sqlite3_column_int64(st, 7);
	l->has_status = sqlite3_column_type(st, 8) != SQLITE_NULL;
	l->status = sqlite3_column_int64(st, 8);
	l->has_parent = sqlite3_column_type(st, 3) != SQLITE_NULL;
	l->parent = sqlite3_column_int64(st, 3);
	l->has_ppid = sqlite3_column_type(st, 2) != SQLITE_NULL;
	l->ppid = sqlite3_column_int64(st, 2);
	l->flags = sqlite3_column_int64(st, 22);

	if (out_format(o) != OUT_TABLE) {
		r = record_machine(o, st, l);
		sqlite3_finalize(st);
		return r == 0 ? out_table_end(o) : r;
	}
	r = out_table_begin(o, "process", record_cols,
	    sizeof(record_cols) / sizeof(record_cols[0]), OUT_RECORD);
	if (r == 0)
		r = col_int(o, st, 0);
	if (r == 0)
		r = col_int(o, st, 1);
	if (r == 0)
		r = col_int(o, st, 2);
	if (r == 0)
		r = col_int(o, st, 3);
	if (r == 0)
		r = col_text(o, st, 4);
	if (r == 0)
		r = col_text(o, st, 5);
	if (r == 0)
		r = out_time(o, l->start);
	if (r == 0)
		r = l->has_end ? out_time(o, l->end) : out_null(o);
	if (r == 0)
		r = l->has_end ? out_duration(o, l->end - l->start) : out_null(o);
	if (r == 0)
		r = out_str(o, fmt_status(buf, sizeof(buf), l->has_end,
		    l->has_status, (int)l->status));
	for (int i = 9; r == 0 && i <= 12; i++)
		r = i == 9 || i == 10 ? col_user(o, st, i) : col_int(o, st, i);
	for (int i = 13; r == 0 && i <= 16; i++)
		r = col_text(o, st, i);
	if (r == 0)
		r = where(o, st, 16);
	if (r == 0)
		r = context_table(o, st);
	if (r == 0)
		r = sqlite3_column_type(st, 17) == SQLITE_NULL ? out_null(o) :
		    out_argv(o, sqlite3_column_blob(st, 17) ?
		    sqlite3_column_blob(st, 17) : "",
		    (size_t)sqlite3_column_bytes(st, 17));
	if (r == 0) {
		/* which exec row: its own, or one inherited from an ancestor */
		if (sqlite3_column_type(st, 18) == SQLITE_NULL)
			r = out_null(o);
		else if (sqlite3_column_int64(st, 19) == id)
			r = out_int(o, sqlite3_column_int64(st, 18));
		else {
			snprintf(buf, sizeof(buf), "%" PRId64 " (inherited from id:%"
			    PRId64 ")", (int64_t)sqlite3_column_int64(st, 18),
			    (int64_t)sqlite3_column_int64(st, 19));
			r = out_str(o, buf);
		}
	}
	if (r == 0)
		r = col_int(o, st, 20);
	if (r == 0)
		r = col_int(o, st, 21);
	if (r == 0)
		r = out_str(o, fmt_flags(buf, sizeof(buf), l->flags));
	sqlite3_finalize(st);
	if (r == 0)
		r = out_table_end(o);
	return r;
}

static int
timeline_execs(struct qctx *q, int64_t id, struct timeline *t)
{
	static const char sql[] =
	    "SELECT x.id, x.time, cl.argv, x.exe, x.cwd, x.uid, x.euid,"
	    " x.capture FROM exec x LEFT JOIN cmdline cl ON cl.id = x.cmdline"
	    " WHERE x.process = :id ORDER BY x.time, x.id";
	sqlite3_stmt *st;
	char cap[256];
	int rc, r = 0;

	rc = sqlite3_prepare_v2(q->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_errno(q->db, rc);
	if ((r = db_bind_int64(st, ":id", id)) < 0) {
		sqlite3_finalize(st);
		return r;
	}
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *exe = (const char *)sqlite3_column_text(st, 3);
		const char *cwd = (const char *)sqlite3_column_text(st, 4);
		int64_t capture = sqlite3_column_int64(st, 7);
		const void *argv = sqlite3_column_blob(st, 2);
		int null_argv = sqlite3_column_type(st, 2) == SQLITE_NULL;
		int64_t notable;
		char *d;

		/* only what a reader must know about the capture: what is
		 * missing or changed, and why */
		notable = capture & (PT_CAP_GONE | PT_CAP_MISMATCH |
		    PT_CAP_TRUNC | PT_CAP_SKIPPED | PT_CAP_REDACTED |
		    PT_CAP_RACED);
		if ((capture & (PT_CAP_ARGV | PT_CAP_EXE | PT_CAP_CWD |
		    PT_CAP_CREDS | PT_CAP_CGROUP | PT_CAP_COMM)) &&
		    !(capture & PT_CAP_VERIFIED))
			notable |= 1 << 16;	/* "unverified" */
		fmt_capture(cap, sizeof(cap), notable);
		if (sqlite3_column_type(st, 5) == SQLITE_NULL)
			d = xasprintf("exe %s, cwd %s%s%s%s", exe ? exe : "?",
			    cwd ? cwd : "?", *cap ? " (" : "", cap, *cap ? ")" : "");
		else
			d = xasprintf("exe %s, cwd %s, uid %lld/%lld%s%s%s",
			    exe ? exe : "?", cwd ? cwd : "?",
			    (long long)sqlite3_column_int64(st, 5),
			    (long long)sqlite3_column_int64(st, 6),
			    *cap ? " (" : "", cap, *cap ? ")" : "");
		r = timeline_add(t, sqlite3_column_int64(st, 1), 1,
		    sqlite3_column_int64(st, 0),
		    (capture & 4096) ? "image" : "exec", d,
		    null_argv ? NULL : argv ? argv : "",
		    (size_t)sqlite3_column_bytes(st, 2));
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = db_errno(q->db, rc);
	sqlite3_finalize(st);
	return r;
}

static int
timeline_events(struct qctx *q, int64_t id, struct timeline *t)
{
	/* The type range is the WHERE clause of the partial index
	 * event_process (schema/002-query-indexes.sql), word for word:
	 * uid, gid, sid, ptrace, comm, coredump. */
#define TIMELINE_SQL(wall) \
	    "SELECT e.id, " wall ", e.type, e.rid, e.eid, e.comm, e.ptgid" \
	    " FROM event e JOIN session s ON s.id = e.session" \
	    " WHERE e.process = :id AND e.type > 2 AND e.type < 2147483648" \
	    " ORDER BY e.id"
	static const char *const sqls[2] = {
		TIMELINE_SQL(Q_EV_WALL_V2), TIMELINE_SQL(Q_EV_WALL_V3)
	};
	const char *sql = sqls[Q_V3(q)];
	sqlite3_stmt *st;
	const char *ev;
	char *d;
	int rc, r = 0;

	rc = sqlite3_prepare_v2(q->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_errno(q->db, rc);
	if ((r = db_bind_int64(st, ":id", id)) < 0) {
		sqlite3_finalize(st);
		return r;
	}
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long rid = sqlite3_column_int64(st, 3);
		long long eid = sqlite3_column_int64(st, 4);
		long long tracer = sqlite3_column_int64(st, 6);
		const char *comm = (const char *)sqlite3_column_text(st, 5);

		switch (sqlite3_column_int64(st, 2)) {
		case 4:
			ev = "uid";
			d = xasprintf("uid %lld euid %lld", rid, eid);
			break;
		case 64:
			ev = "gid";
			d = xasprintf("gid %lld egid %lld", rid, eid);
			break;
		case 128:
			ev = "sid";
			d = xasprintf("new session");
			break;
		case 256:
			ev = "ptrace";
			d = tracer ? xasprintf("traced by pid %lld", tracer) :
			    xasprintf("tracer detached");
			break;
		case 512:
			ev = "comm";
			d = xasprintf("comm %s", comm ? comm : "?");
			break;
		default:
			ev = "coredump";
			d = xasprintf("dumping core");
			break;
		}
		r = timeline_add(t, sqlite3_column_int64(st, 1), 2,
		    sqlite3_column_int64(st, 0), ev, d, NULL, 0);
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = db_errno(q->db, rc);
	sqlite3_finalize(st);
	return r;
}

static int
timeline_ends(const struct life *l, struct timeline *t)
{
	char status[32];
	char *d;
	int r;

	if (l->flags & 1)
		d = xasprintf("running when the collector started (start from /proc)");
	else if (l->flags & 2)
		d = xasprintf("start not seen");
	else if (l->has_parent)
		d = xasprintf("forked by id:%lld (pid %lld)", (long long)l->parent,
		    (long long)l->ppid);
	else if (l->has_ppid)
		d = xasprintf("forked by pid %lld (instance unknown)",
		    (long long)l->ppid);
	else
		d = xasprintf("forked by an unknown parent");
	r = timeline_add(t, l->start, 0, 0, (l->flags & 3) ? "start" : "fork",
	    d, NULL, 0);
	if (r < 0 || !l->has_end)
		return r;
	if (l->flags & 4)
		d = xasprintf("end not seen; closed by the collector");
	else
		d = xasprintf("%s", fmt_status(status, sizeof(status), 1,
		    l->has_status, (int)l->status));
	return timeline_add(t, l->end, 3, 0, "exit", d, NULL, 0);
}

static int
show_timeline(struct qctx *q, int64_t id, const struct life *l)
{
	struct timeline t = { 0 };
	struct out *o = q->out;
	int r;

	r = timeline_ends(l, &t);
	if (r == 0)
		r = timeline_execs(q, id, &t);
	if (r == 0)
		r = timeline_events(q, id, &t);
	if (r == 0) {
		qsort(t.v, t.n, sizeof(*t.v), tl_cmp);
		r = out_table_begin(o, "timeline", timeline_cols,
		    sizeof(timeline_cols) / sizeof(timeline_cols[0]), 0);
	}
	for (size_t i = 0; r == 0 && i < t.n; i++) {
		r = out_time(o, t.v[i].time);
		if (r == 0)
			r = out_str(o, t.v[i].event);
		if (r == 0)
			r = out_str(o, t.v[i].detail);
		if (r == 0)
			r = t.v[i].argv ? out_argv(o, t.v[i].argv, t.v[i].argvlen) :
			    out_null(o);
	}
	if (r == 0)
		r = out_table_end(o);
	timeline_release(&t);
	return r;
}

static int
show_gaps(struct qctx *q, const struct life *l)
{
	static const char sql[] =
	    "SELECT " FMT_GAP_SELECT " FROM gap"
	    " WHERE start <= :end AND end >= :start ORDER BY start, id";
	const struct out_col *cols;
	struct out *o = q->out;
	sqlite3_stmt *st;
	int rc, r, ncols;

	rc = sqlite3_prepare_v2(q->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_errno(q->db, rc);
	r = db_bind_int64(st, ":start", l->start);
	r = r ? r : db_bind_int64(st, ":end", l->has_end ? l->end : INT64_MAX);
	if (r < 0) {
		sqlite3_finalize(st);
		return r;
	}
	cols = fmt_gap_columns(o, &ncols);
	r = out_table_begin(o, "gaps", cols, ncols, 0);
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
		r = fmt_gap_row(o, st, 0);
	if (r == 0 && rc != SQLITE_DONE)
		r = db_errno(q->db, rc);
	sqlite3_finalize(st);
	if (r == 0)
		r = out_table_end(o);
	return r;
}

/* its options (completion.c lists them too) */
const struct option q_opts_show[] = {
	Q_COMMON_LONGOPTS,
	{ "at", required_argument, NULL, 'a' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

int
cmd_show(struct qctx *q, int argc, char **argv)
{
	struct life l = { 0 };
	int64_t at = IDENT_NO_TIME, id;
	int c, r;

	while ((c = q_getopt(q, argc, argv, "h", q_opts_show, &r)) >= 0) {
		switch (c) {
		case 'a':
			if ((r = q_time_arg(q, "--at", optarg, &at)) != 0)
				return r;
			break;
		}
	}
	if (c == Q_OPT_EXIT)
		return r;
	if (argc - optind != 1) {
		warnx("show: %s", argc - optind ? "one process at a time" :
		    "which process? (a PID or id:N)");
		q_usage(argv[0], 1);
		return EX_USAGE;
	}
	if ((r = q_open(q)) != 0)
		return r;
	if ((r = q_begin(q)) < 0)
		return q_fail(q, r, "show");
	if ((r = q_resolve(q, argv[optind], at, &id)) != 0)
		return r;
	r = show_record(q, id, &l);
	if (r == 0)
		r = show_timeline(q, id, &l);
	if (r == 0)
		r = show_gaps(q, &l);
	return r < 0 ? q_fail(q, r, "show") : EX_OK;
}
