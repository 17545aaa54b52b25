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

#define PCACHE_SIZE 256

/* Cached parameter index of a name in a persistent statement. */
struct pcache {
	const sqlite3_stmt *s;
	const char *name;
	int idx;
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *st[S_COUNT];
	struct pcache pcache[PCACHE_SIZE];
};

static int
prepare(sqlite3 *db, const char *sql, sqlite3_stmt **ret)
{
	int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    ret, NULL);

	return db_errno(db, rc);
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
		if (r < 0) {
			store_close(st);
			return r;
		}
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
	sqlite3_close(st->db);
	free(st);
}

sqlite3 *
store_db(struct store *st)
{
	return st->db;
}

/*
 * Bind helpers by parameter name.  Looking a name up in SQLite compares
 * strings, which showed as 11% of the writer's time; for the statements
 * prepared once, the index is cached per (statement, name literal).  st is
 * NULL for one-off statements (never cached: their address is reused).
 * A missing name is a programming error caught by the tests (the bind
 * then fails with SQLITE_RANGE).
 */
static int
idx(struct store *st, sqlite3_stmt *s, const char *name)
{
	struct pcache *c;
	size_t h, i;

	if (!st)
		return sqlite3_bind_parameter_index(s, name);
	h = (((uintptr_t)s >> 4) ^ ((uintptr_t)name >> 2)) % PCACHE_SIZE;
	for (i = 0; i < PCACHE_SIZE; i++) {
		c = &st->pcache[(h + i) % PCACHE_SIZE];
		if (c->s == s && c->name == name)
			return c->idx;
		if (!c->s) {
			c->s = s;
			c->name = name;
			c->idx = sqlite3_bind_parameter_index(s, name);
			return c->idx;
		}
	}
	return sqlite3_bind_parameter_index(s, name);
}

static void
bind_i64(struct store *st, sqlite3_stmt *s, const char *name, int64_t v)
{
	sqlite3_bind_int64(s, idx(st, s, name), v);
}

static void
bind_i64_or_null(struct store *st, sqlite3_stmt *s, const char *name,
    int64_t v, bool present)
{
	if (present)
		sqlite3_bind_int64(s, idx(st, s, name), v);
	else
		sqlite3_bind_null(s, idx(st, s, name));
}

static void
bind_text(struct store *st, sqlite3_stmt *s, const char *name, const char *v,
    int len)
{
	if (v && len != 0)
		sqlite3_bind_text(s, idx(st, s, name), v, len, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, idx(st, s, name));
}

/* Step a statement expecting no rows, then reset and clear it. */
static int
run(struct store *st, int which)
{
	sqlite3_stmt *s = st->st[which];
	int rc;

	rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return 0;
	return db_errno(st->db, rc);
}

int
store_begin(struct store *st)
{
	return run(st, S_BEGIN);
}

int
store_commit(struct store *st)
{
	return run(st, S_COMMIT);
}

void
store_rollback(struct store *st)
{
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
	bind_text(NULL, s, ":boot_id", boot_id, -1);
	bind_text(NULL, s, ":hostname", hostname, -1);
	bind_i64(NULL, s, ":btime", btime);
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
	bind_i64(NULL, s, ":boot", boot);
	bind_i64(NULL, s, ":pid", pid);
	bind_text(NULL, s, ":version", PROCTRAIL_VERSION, -1);
	bind_i64(NULL, s, ":started", started);
	bind_i64(NULL, s, ":mono_offset", mono_offset);
	bind_i64(NULL, s, ":rcvbuf", rcvbuf);
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

	bind_i64(st, s, ":heartbeat", heartbeat);
	bind_i64(st, s, ":events", (int64_t)events);
	bind_i64(st, s, ":lost", (int64_t)lost);
	bind_i64(st, s, ":id", session);
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
	bind_i64(NULL, s, ":stopped", stopped);
	bind_i64(NULL, s, ":id", session);
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
	bind_i64(NULL, s, ":id", session);
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
	sqlite3_stmt *s = st->st[S_EVENT];
	bool fork_like = ev->what == PT_EV_FORK || ev->what == PT_EV_PTRACE ||
	    ev->what == PT_EV_COREDUMP || ev->what == PT_EV_EXIT;
	bool ids = ev->what == PT_EV_UID || ev->what == PT_EV_GID;

	bind_i64(st, s, ":session", session);
	bind_i64(st, s, ":mono", (int64_t)ev->ts);
	bind_i64(st, s, ":cpu", ev->cpu);
	bind_i64(st, s, ":type", ev->what);
	bind_i64(st, s, ":pid", ev->pid);
	bind_i64(st, s, ":tgid", ev->tgid);
	bind_i64_or_null(st, s, ":ppid", ev->ppid, fork_like);
	bind_i64_or_null(st, s, ":ptgid", ev->ptgid, fork_like);
	bind_i64_or_null(st, s, ":status", ev->status, ev->what == PT_EV_EXIT);
	bind_i64_or_null(st, s, ":signal", ev->signal, ev->what == PT_EV_EXIT);
	bind_i64_or_null(st, s, ":rid", ev->rid, ids);
	bind_i64_or_null(st, s, ":eid", ev->eid, ids);
	if (ev->what == PT_EV_COMM)
		sqlite3_bind_text(s, idx(st, s, ":comm"), ev->comm, -1, SQLITE_STATIC);
	bind_i64_or_null(st, s, ":process", process, process != 0);
	return run(st, S_EVENT);
}

static void
bind_proc(struct store *st, sqlite3_stmt *s, const struct proc_row *p)
{
	bind_i64(st, s, ":id", p->id);
	bind_i64(st, s, ":start_ticks", (int64_t)p->start_ticks);
	bind_i64(st, s, ":start", p->start);
	bind_i64_or_null(st, s, ":parent", p->parent, p->parent != 0);
	bind_i64_or_null(st, s, ":ppid", p->ppid, p->ppid != 0 ||
	    !(p->flags & PT_PF_START_UNKNOWN));
	bind_i64_or_null(st, s, ":end", p->end, p->end != 0);
	bind_i64_or_null(st, s, ":status", p->status, p->has_status);
	bind_i64_or_null(st, s, ":uid", p->uid, p->has_creds);
	bind_i64_or_null(st, s, ":euid", p->euid, p->has_creds);
	bind_i64_or_null(st, s, ":gid", p->gid, p->has_creds);
	bind_i64_or_null(st, s, ":egid", p->egid, p->has_creds);
	bind_text(st, s, ":comm", p->comm[0] ? p->comm : NULL, -1);
	bind_i64_or_null(st, s, ":image", p->image, p->image != 0);
	bind_i64(st, s, ":execs", p->execs);
	bind_i64(st, s, ":flags", p->flags);
}

int
store_process_insert(struct store *st, const struct proc_row *p)
{
	sqlite3_stmt *s = st->st[S_PROC_INS];

	bind_proc(st, s, p);
	bind_i64(st, s, ":boot", p->boot);
	bind_i64(st, s, ":tgid", p->tgid);
	return run(st, S_PROC_INS);
}

int
store_process_update(struct store *st, const struct proc_row *p)
{
	bind_proc(st, st->st[S_PROC_UPD], p);
	return run(st, S_PROC_UPD);
}

int
store_process_close(struct store *st, int64_t id, int64_t session,
    uint32_t add_flags)
{
	sqlite3_stmt *s = st->st[S_PROC_CLOSE];

	bind_i64(st, s, ":id", id);
	bind_i64(st, s, ":session", session);
	bind_i64(st, s, ":flags", add_flags);
	return run(st, S_PROC_CLOSE);
}

int
store_exec(struct store *st, int64_t id, int64_t process, int64_t time,
    const struct pt_capture *cap, const char *data)
{
	sqlite3_stmt *s = st->st[S_EXEC];
	const char *p = data;
	bool creds = cap->flags & PT_CAP_CREDS;

	bind_i64(st, s, ":id", id);
	bind_i64(st, s, ":process", process);
	bind_i64(st, s, ":time", time);
	if (cap->flags & PT_CAP_ARGV)
		sqlite3_bind_blob(s, idx(st, s, ":argv"), cap->argv_len ? p : "",
		    (int)cap->argv_len, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, idx(st, s, ":argv"));
	p += cap->argv_len;
	bind_text(st, s, ":exe", p, cap->exe_len);
	p += cap->exe_len;
	bind_text(st, s, ":cwd", p, cap->cwd_len);
	p += cap->cwd_len;
	bind_text(st, s, ":cgroup", p, cap->cgroup_len);
	bind_text(st, s, ":comm", (cap->flags & PT_CAP_COMM) && cap->comm[0] ?
	    cap->comm : NULL, -1);
	bind_i64_or_null(st, s, ":uid", cap->uid, creds);
	bind_i64_or_null(st, s, ":euid", cap->euid, creds);
	bind_i64_or_null(st, s, ":gid", cap->gid, creds);
	bind_i64_or_null(st, s, ":egid", cap->egid, creds);
	bind_i64(st, s, ":capture", cap->flags);
	return run(st, S_EXEC);
}

int
store_gap(struct store *st, int64_t session, const char *kind, int64_t start,
    int64_t end, int cpu, int64_t count)
{
	sqlite3_stmt *s = st->st[S_GAP];

	bind_i64(st, s, ":session", session);
	bind_text(st, s, ":kind", kind, -1);
	bind_i64(st, s, ":start", start);
	bind_i64(st, s, ":end", end);
	bind_i64_or_null(st, s, ":cpu", cpu, cpu >= 0);
	bind_i64_or_null(st, s, ":count", count, count >= 0);
	return run(st, S_GAP);
}
