/*
 * Collector database access: statements prepared once (persistent), bound
 * by name, reset after each use.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "db.h"
#include "version.h"
#include "store.h"

enum {
	S_BEGIN, S_COMMIT, S_ROLLBACK,
	S_EVENT, S_PROC_INS, S_PROC_UPD, S_PROC_CLOSE, S_EXEC, S_GAP,
	S_SESSION_UPD,
	S_COUNT
};

static const char *const store_sql[S_COUNT] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_EVENT] =
	    "INSERT INTO event(session, mono, cpu, type, pid, tgid, ppid, ptgid,"
	    " status, signal, rid, eid, comm, process) VALUES (:session, :mono,"
	    " :cpu, :type, :pid, :tgid, :ppid, :ptgid, :status, :signal, :rid,"
	    " :eid, :comm, :process)",
	[S_PROC_INS] =
	    "INSERT INTO process(id, boot, tgid, start_ticks, start, parent, ppid,"
	    " end, status, uid, euid, gid, egid, comm, image, execs, flags)"
	    " VALUES (:id, :boot, :tgid, :start_ticks, :start, :parent, :ppid,"
	    " :end, :status, :uid, :euid, :gid, :egid, :comm, :image, :execs,"
	    " :flags)",
	[S_PROC_UPD] =
	    "UPDATE process SET start_ticks = :start_ticks, start = :start,"
	    " parent = :parent, ppid = :ppid, end = :end, status = :status,"
	    " uid = :uid, euid = :euid, gid = :gid, egid = :egid, comm = :comm,"
	    " image = :image, execs = :execs, flags = :flags WHERE id = :id",
	[S_PROC_CLOSE] =
	    "UPDATE process SET end = max(start, coalesce((SELECT"
	    " max(max(s.heartbeat, coalesce(s.stopped, 0))) FROM session s"
	    " WHERE s.boot = process.boot AND s.id <> :session), start)),"
	    " flags = flags | :flags WHERE id = :id AND end IS NULL",
	[S_EXEC] =
	    "INSERT INTO exec(id, process, time, argv, exe, cwd, cgroup, comm,"
	    " uid, euid, gid, egid, capture) VALUES (:id, :process, :time,"
	    " :argv, :exe, :cwd, :cgroup, :comm, :uid, :euid, :gid, :egid,"
	    " :capture)",
	[S_GAP] =
	    "INSERT INTO gap(session, kind, start, end, cpu, count) VALUES"
	    " (:session, :kind, :start, :end, :cpu, :count)",
	[S_SESSION_UPD] =
	    "UPDATE session SET heartbeat = :heartbeat, events = :events,"
	    " lost = :lost WHERE id = :id",
};

/*
 * Every parameter name the persistent statements use.  Their indexes are
 * looked up once, at store_open (SQLite's lookup compares strings: 11% of
 * the writer's time when done per bind).
 */
enum param {
	P_SESSION, P_MONO, P_CPU, P_TYPE, P_PID, P_TGID, P_PPID, P_PTGID,
	P_STATUS, P_SIGNAL, P_RID, P_EID, P_COMM, P_PROCESS,
	P_ID, P_BOOT, P_START_TICKS, P_START, P_PARENT, P_END, P_UID, P_EUID,
	P_GID, P_EGID, P_IMAGE, P_EXECS, P_FLAGS,
	P_TIME, P_ARGV, P_EXE, P_CWD, P_CGROUP, P_CAPTURE,
	P_KIND, P_COUNT, P_HEARTBEAT, P_EVENTS, P_LOST,
	P_N
};

static const char *const param_name[P_N] = {
	":session", ":mono", ":cpu", ":type", ":pid", ":tgid", ":ppid",
	":ptgid", ":status", ":signal", ":rid", ":eid", ":comm", ":process",
	":id", ":boot", ":start_ticks", ":start", ":parent", ":end", ":uid",
	":euid", ":gid", ":egid", ":image", ":execs", ":flags",
	":time", ":argv", ":exe", ":cwd", ":cgroup", ":capture",
	":kind", ":count", ":heartbeat", ":events", ":lost",
};

/*
 * Events are inserted EV_ROWS at a time by one multi-row INSERT (its
 * parameters named ":mono_0" ... ":process_63"): per event, that saves
 * the statement's start, halt and reset, about a tenth of the writer's
 * time.  The last few of a batch go one by one, at commit.
 */
#define EV_ROWS 64
#define EV_COLS 14	/* P_SESSION .. P_PROCESS: event's columns in order */

struct ev_row {
	struct pt_event ev;
	int64_t session;
	int64_t process;
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *st[S_COUNT];
	short pidx[S_COUNT][P_N];	/* 0: not a parameter of it */
	sqlite3_stmt *events;		/* EV_ROWS events */
	short evidx[EV_ROWS][EV_COLS];
	struct ev_row buf[EV_ROWS];	/* events not inserted yet */
	int nbuf;
};

static int
prepare(sqlite3 *db, const char *sql, sqlite3_stmt **ret)
{
	int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    ret, NULL);

	return db_errno(db, rc);
}

/* Look the names up; every parameter of s must be one of them. */
static int
resolve(sqlite3_stmt *s, short *idx)
{
	int i, found = 0;

	for (i = 0; i < P_N; i++) {
		idx[i] = (short)sqlite3_bind_parameter_index(s, param_name[i]);
		if (idx[i] > 0)
			found++;
	}
	return found == sqlite3_bind_parameter_count(s) ? 0 : -EINVAL;
}

/* The multi-row event INSERT, from the event column names above. */
static int
prepare_events(struct store *st)
{
	static const char head[] = "INSERT INTO event(session, mono, cpu,"
	    " type, pid, tgid, ppid, ptgid, status, signal, rid, eid, comm,"
	    " process) VALUES ";
	char name[32];
	char *sql, *p;
	size_t size;
	int r, c, i;

	size = sizeof(head) + EV_ROWS * (EV_COLS * 24 + 4);
	sql = malloc(size);
	if (!sql)
		return -ENOMEM;
	p = sql + snprintf(sql, size, "%s", head);
	for (r = 0; r < EV_ROWS; r++) {
		*p++ = r ? ',' : '(';
		if (r)
			*p++ = '(';
		for (c = 0; c < EV_COLS; c++)
			p += snprintf(p, (size_t)(sql + size - p), "%s%s_%d",
			    c ? ", " : "", param_name[c], r);
		*p++ = ')';
	}
	*p = '\0';
	i = prepare(st->db, sql, &st->events);
	free(sql);
	if (i < 0)
		return i;
	for (r = 0; r < EV_ROWS; r++)
		for (c = 0; c < EV_COLS; c++) {
			snprintf(name, sizeof(name), "%s_%d", param_name[c], r);
			st->evidx[r][c] = (short)sqlite3_bind_parameter_index(
			    st->events, name);
			if (st->evidx[r][c] <= 0)
				return -EINVAL;
		}
	return 0;
}

int
store_open(const char *path, struct store **ret)
{
	struct store *st;
	int i, r;

	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	r = db_open_rw(path, &st->db);
	if (r < 0) {
		free(st);
		return r;
	}
	for (i = 0; i < S_COUNT; i++) {
		r = prepare(st->db, store_sql[i], &st->st[i]);
		if (r == 0)
			r = resolve(st->st[i], st->pidx[i]);
		if (r < 0) {
			store_close(st);
			return r;
		}
	}
	r = prepare_events(st);
	if (r < 0) {
		store_close(st);
		return r;
	}
	*ret = st;
	return 0;
}

void
store_close(struct store *st)
{
	int i;

	if (!st)
		return;
	for (i = 0; i < S_COUNT; i++)
		sqlite3_finalize(st->st[i]);
	sqlite3_finalize(st->events);
	sqlite3_close(st->db);
	free(st);
}

sqlite3 *
store_db(struct store *st)
{
	return st->db;
}

/*
 * Bind helpers, to parameter index i of s.  The persistent statements are
 * never cleared: every call binds all of a statement's parameters.
 */
static void
bind_i64(sqlite3_stmt *s, int i, int64_t v)
{
	sqlite3_bind_int64(s, i, v);
}

static void
bind_i64_or_null(sqlite3_stmt *s, int i, int64_t v, bool present)
{
	if (present)
		sqlite3_bind_int64(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

static void
bind_text(sqlite3_stmt *s, int i, const char *v, int len)
{
	if (v && len != 0)
		sqlite3_bind_text(s, i, v, len, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

/* By name, for the one-off statements. */
#define BN(s, name) sqlite3_bind_parameter_index((s), (name))

/* Step a statement expecting no rows, then reset it. */
static int
step_reset(struct store *st, sqlite3_stmt *s)
{
	int rc;

	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return 0;
	return db_errno(st->db, rc);
}

static int
run(struct store *st, int which)
{
	return step_reset(st, st->st[which]);
}

/* Bind one event's columns, at parameter indexes idx[0..EV_COLS-1]. */
static void
bind_event(sqlite3_stmt *s, const short *idx, const struct ev_row *row)
{
	const struct pt_event *ev = &row->ev;
	bool fork_like = ev->what == PT_EV_FORK || ev->what == PT_EV_PTRACE ||
	    ev->what == PT_EV_COREDUMP || ev->what == PT_EV_EXIT;
	bool ids = ev->what == PT_EV_UID || ev->what == PT_EV_GID;
	bool exit = ev->what == PT_EV_EXIT;

	bind_i64(s, idx[P_SESSION], row->session);
	bind_i64(s, idx[P_MONO], (int64_t)ev->ts);
	bind_i64(s, idx[P_CPU], ev->cpu);
	bind_i64(s, idx[P_TYPE], ev->what);
	bind_i64(s, idx[P_PID], ev->pid);
	bind_i64(s, idx[P_TGID], ev->tgid);
	bind_i64_or_null(s, idx[P_PPID], ev->ppid, fork_like);
	bind_i64_or_null(s, idx[P_PTGID], ev->ptgid, fork_like);
	bind_i64_or_null(s, idx[P_STATUS], ev->status, exit);
	bind_i64_or_null(s, idx[P_SIGNAL], ev->signal, exit);
	bind_i64_or_null(s, idx[P_RID], ev->rid, ids);
	bind_i64_or_null(s, idx[P_EID], ev->eid, ids);
	bind_text(s, idx[P_COMM], ev->what == PT_EV_COMM ? ev->comm : NULL, -1);
	bind_i64_or_null(s, idx[P_PROCESS], row->process, row->process != 0);
}

/* Insert the buffered events: EV_ROWS at once, or one by one. */
static int
flush_events(struct store *st)
{
	int i, r = 0;

	if (st->nbuf == EV_ROWS) {
		for (i = 0; i < EV_ROWS; i++)
			bind_event(st->events, st->evidx[i], &st->buf[i]);
		r = step_reset(st, st->events);
	} else {
		for (i = 0; i < st->nbuf && r == 0; i++) {
			bind_event(st->st[S_EVENT], st->pidx[S_EVENT],
			    &st->buf[i]);
			r = run(st, S_EVENT);
		}
	}
	st->nbuf = 0;
	return r;
}

int
store_begin(struct store *st)
{
	st->nbuf = 0;
	return run(st, S_BEGIN);
}

int
store_commit(struct store *st)
{
	int r = flush_events(st);

	return r < 0 ? r : run(st, S_COMMIT);
}

void
store_rollback(struct store *st)
{
	st->nbuf = 0;
	if (!sqlite3_get_autocommit(st->db))
		(void)run(st, S_ROLLBACK);
}

/* One-off statements (start-up only): prepared, run, finalized. */
static int
oneoff(struct store *st, const char *sql, sqlite3_stmt **ret)
{
	return prepare(st->db, sql, ret);
}

int
store_boot(struct store *st, const char *boot_id, const char *hostname,
    int64_t btime, int64_t *ret_id)
{
	sqlite3_stmt *s;
	int rc, r;

	r = oneoff(st, "INSERT INTO boot(boot_id, hostname, btime) VALUES"
	    " (:boot_id, :hostname, :btime) ON CONFLICT(boot_id) DO UPDATE SET"
	    " hostname = coalesce(hostname, excluded.hostname) RETURNING id", &s);
	if (r < 0)
		return r;
	bind_text(s, BN(s, ":boot_id"), boot_id, -1);
	bind_text(s, BN(s, ":hostname"), hostname, -1);
	bind_i64(s, BN(s, ":btime"), btime);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*ret_id = sqlite3_column_int64(s, 0);
		rc = sqlite3_step(s);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_errno(st->db, rc);
}

int
store_session_start(struct store *st, int64_t boot, int pid, int64_t started,
    int64_t mono_offset, int64_t rcvbuf, int64_t *ret_id)
{
	sqlite3_stmt *s;
	int rc, r;

	r = oneoff(st, "INSERT INTO session(boot, pid, version, started,"
	    " heartbeat, mono_offset, rcvbuf) VALUES (:boot, :pid, :version,"
	    " :started, :started, :mono_offset, :rcvbuf)", &s);
	if (r < 0)
		return r;
	bind_i64(s, BN(s, ":boot"), boot);
	bind_i64(s, BN(s, ":pid"), pid);
	bind_text(s, BN(s, ":version"), PROCTRAIL_VERSION, -1);
	bind_i64(s, BN(s, ":started"), started);
	bind_i64(s, BN(s, ":mono_offset"), mono_offset);
	bind_i64(s, BN(s, ":rcvbuf"), rcvbuf);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_errno(st->db, rc);
	*ret_id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
store_session_update(struct store *st, int64_t session, int64_t heartbeat,
    uint64_t events, uint64_t lost)
{
	sqlite3_stmt *s = st->st[S_SESSION_UPD];
	const short *ix = st->pidx[S_SESSION_UPD];

	bind_i64(s, ix[P_HEARTBEAT], heartbeat);
	bind_i64(s, ix[P_EVENTS], (int64_t)events);
	bind_i64(s, ix[P_LOST], (int64_t)lost);
	bind_i64(s, ix[P_ID], session);
	return run(st, S_SESSION_UPD);
}

int
store_session_stop(struct store *st, int64_t session, int64_t stopped)
{
	sqlite3_stmt *s;
	int rc, r;

	r = oneoff(st, "UPDATE session SET stopped = :stopped, heartbeat ="
	    " :stopped WHERE id = :id", &s);
	if (r < 0)
		return r;
	bind_i64(s, BN(s, ":stopped"), stopped);
	bind_i64(s, BN(s, ":id"), session);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_errno(st->db, rc);
}

int
store_last_seen(struct store *st, int64_t session, int64_t *ret)
{
	sqlite3_stmt *s;
	int rc, r;

	r = oneoff(st, "SELECT max(max(heartbeat, coalesce(stopped, 0)))"
	    " FROM session WHERE id <> :id", &s);
	if (r < 0)
		return r;
	bind_i64(s, BN(s, ":id"), session);
	*ret = 0;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*ret = sqlite3_column_int64(s, 0);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_errno(st->db, rc);
}

int
store_max_ids(struct store *st, int64_t *ret_proc, int64_t *ret_exec)
{
	sqlite3_stmt *s;
	int rc, r;

	r = oneoff(st, "SELECT (SELECT coalesce(max(id), 0) FROM process),"
	    " (SELECT coalesce(max(id), 0) FROM exec)", &s);
	if (r < 0)
		return r;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*ret_proc = sqlite3_column_int64(s, 0);
		*ret_exec = sqlite3_column_int64(s, 1);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_errno(st->db, rc);
}

static int64_t
col_i64(sqlite3_stmt *s, int i, bool *present)
{
	bool p = sqlite3_column_type(s, i) != SQLITE_NULL;

	if (present)
		*present = p;
	return p ? sqlite3_column_int64(s, i) : 0;
}

int
store_open_rows(struct store *st,
    void (*fn)(const struct proc_row *row, void *data), void *data)
{
	sqlite3_stmt *s;
	struct proc_row p;
	const unsigned char *comm;
	int rc, r;

	r = oneoff(st, "SELECT id, boot, tgid, start_ticks, start, parent, ppid,"
	    " uid, euid, gid, egid, comm, image, execs, flags FROM process"
	    " WHERE end IS NULL", &s);
	if (r < 0)
		return r;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&p, 0, sizeof(p));
		p.id = col_i64(s, 0, NULL);
		p.boot = col_i64(s, 1, NULL);
		p.tgid = (int32_t)col_i64(s, 2, NULL);
		p.start_ticks = (uint64_t)col_i64(s, 3, NULL);
		p.start = col_i64(s, 4, NULL);
		p.parent = col_i64(s, 5, NULL);
		p.ppid = (int32_t)col_i64(s, 6, NULL);
		p.uid = (uint32_t)col_i64(s, 7, &p.has_creds);
		p.euid = (uint32_t)col_i64(s, 8, NULL);
		p.gid = (uint32_t)col_i64(s, 9, NULL);
		p.egid = (uint32_t)col_i64(s, 10, NULL);
		comm = sqlite3_column_text(s, 11);
		if (comm)
			snprintf(p.comm, sizeof(p.comm), "%s", comm);
		p.image = col_i64(s, 12, NULL);
		p.execs = (uint32_t)col_i64(s, 13, NULL);
		p.flags = (uint32_t)col_i64(s, 14, NULL);
		fn(&p, data);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_errno(st->db, rc);
}

int
store_event(struct store *st, int64_t session, const struct pt_event *ev,
    int64_t process)
{
	struct ev_row *row;

	if (st->nbuf == EV_ROWS) {
		int r = flush_events(st);

		if (r < 0)
			return r;
	}
	row = &st->buf[st->nbuf++];
	row->ev = *ev;
	row->session = session;
	row->process = process;
	return 0;
}

static void
bind_proc(struct store *st, int w, const struct proc_row *p)
{
	sqlite3_stmt *s = st->st[w];
	const short *ix = st->pidx[w];

	bind_i64(s, ix[P_ID], p->id);
	bind_i64(s, ix[P_START_TICKS], (int64_t)p->start_ticks);
	bind_i64(s, ix[P_START], p->start);
	bind_i64_or_null(s, ix[P_PARENT], p->parent, p->parent != 0);
	bind_i64_or_null(s, ix[P_PPID], p->ppid, p->ppid != 0 ||
	    !(p->flags & PT_PF_START_UNKNOWN));
	bind_i64_or_null(s, ix[P_END], p->end, p->end != 0);
	bind_i64_or_null(s, ix[P_STATUS], p->status, p->has_status);
	bind_i64_or_null(s, ix[P_UID], p->uid, p->has_creds);
	bind_i64_or_null(s, ix[P_EUID], p->euid, p->has_creds);
	bind_i64_or_null(s, ix[P_GID], p->gid, p->has_creds);
	bind_i64_or_null(s, ix[P_EGID], p->egid, p->has_creds);
	bind_text(s, ix[P_COMM], p->comm[0] ? p->comm : NULL, -1);
	bind_i64_or_null(s, ix[P_IMAGE], p->image, p->image != 0);
	bind_i64(s, ix[P_EXECS], p->execs);
	bind_i64(s, ix[P_FLAGS], p->flags);
}

int
store_process_insert(struct store *st, const struct proc_row *p)
{
	sqlite3_stmt *s = st->st[S_PROC_INS];
	const short *ix = st->pidx[S_PROC_INS];

	bind_proc(st, S_PROC_INS, p);
	bind_i64(s, ix[P_BOOT], p->boot);
	bind_i64(s, ix[P_TGID], p->tgid);
	return run(st, S_PROC_INS);
}

int
store_process_update(struct store *st, const struct proc_row *p)
{
	bind_proc(st, S_PROC_UPD, p);
	return run(st, S_PROC_UPD);
}

int
store_process_close(struct store *st, int64_t id, int64_t session,
    uint32_t add_flags)
{
	sqlite3_stmt *s = st->st[S_PROC_CLOSE];
	const short *ix = st->pidx[S_PROC_CLOSE];

	bind_i64(s, ix[P_ID], id);
	bind_i64(s, ix[P_SESSION], session);
	bind_i64(s, ix[P_FLAGS], add_flags);
	return run(st, S_PROC_CLOSE);
}

int
store_exec(struct store *st, int64_t id, int64_t process, int64_t time,
    const struct pt_capture *cap, const char *data)
{
	sqlite3_stmt *s = st->st[S_EXEC];
	const short *ix = st->pidx[S_EXEC];
	const char *p = data;
	bool creds = cap->flags & PT_CAP_CREDS;

	bind_i64(s, ix[P_ID], id);
	bind_i64(s, ix[P_PROCESS], process);
	bind_i64(s, ix[P_TIME], time);
	if (cap->flags & PT_CAP_ARGV)
		sqlite3_bind_blob(s, ix[P_ARGV], cap->argv_len ? p : "",
		    (int)cap->argv_len, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, ix[P_ARGV]);
	p += cap->argv_len;
	bind_text(s, ix[P_EXE], p, cap->exe_len);
	p += cap->exe_len;
	bind_text(s, ix[P_CWD], p, cap->cwd_len);
	p += cap->cwd_len;
	bind_text(s, ix[P_CGROUP], p, cap->cgroup_len);
	bind_text(s, ix[P_COMM], (cap->flags & PT_CAP_COMM) && cap->comm[0] ?
	    cap->comm : NULL, -1);
	bind_i64_or_null(s, ix[P_UID], cap->uid, creds);
	bind_i64_or_null(s, ix[P_EUID], cap->euid, creds);
	bind_i64_or_null(s, ix[P_GID], cap->gid, creds);
	bind_i64_or_null(s, ix[P_EGID], cap->egid, creds);
	bind_i64(s, ix[P_CAPTURE], cap->flags);
	return run(st, S_EXEC);
}

int
store_gap(struct store *st, int64_t session, const char *kind, int64_t start,
    int64_t end, int cpu, int64_t count)
{
	sqlite3_stmt *s = st->st[S_GAP];
	const short *ix = st->pidx[S_GAP];

	bind_i64(s, ix[P_SESSION], session);
	bind_text(s, ix[P_KIND], kind, -1);
	bind_i64(s, ix[P_START], start);
	bind_i64(s, ix[P_END], end);
	bind_i64_or_null(s, ix[P_CPU], cpu, cpu >= 0);
	bind_i64_or_null(s, ix[P_COUNT], count, count >= 0);
	return run(st, S_GAP);
}
