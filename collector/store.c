/*
 * Collector database access: statements prepared once (persistent), their
 * parameters bound by index (looked up by name once), and the rows of event
 * and exec inserted 64 at a time.  Command lines are rows of their own
 * (table cmdline): an exec row holds the id of its argv, found in a cache
 * of the lines stored lately, else inserted (again, if the cache forgot
 * it: a repeated row costs space, a lookup in the table would cost an
 * index on every line, written at random).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "cgroup.h"
#include "db.h"
#include "store.h"
#include "version.h"

/*
 * Every parameter name the persistent statements use; a parameter is named
 * after its column.  Indexes are looked up once, at store_open (SQLite's
 * lookup compares strings: 11% of the writer's time when done per bind).
 */
enum param {
	P_SESSION, P_MONO, P_CPU, P_TYPE, P_PID, P_TGID, P_PPID, P_PTGID,
	P_STATUS, P_SIGNAL, P_RID, P_EID, P_COMM, P_PROCESS,
	P_ID, P_BOOT, P_START_TICKS, P_START, P_PARENT, P_END, P_UID, P_EUID,
	P_GID, P_EGID, P_IMAGE, P_EXECS, P_FLAGS, P_FBE,
	P_TIME, P_ARGV, P_CMDLINE, P_EXE, P_CWD, P_CGROUP, P_CAPTURE,
	P_KIND, P_COUNT, P_HEARTBEAT, P_EVENTS, P_LOST, P_FROM, P_TO, P_KEEP,
	P_MONO_OFFSET, P_BOOT_OFFSET,
	P_FILE, P_CGROUP_ID, P_NS, P_NS_PID, P_LOGIN_UID, P_LOGIN_SESSION,
	P_TTY, P_PATH, P_DEV, P_INO, P_SIZE, P_MTIME, P_CTIME, P_UNIT,
	P_CONTAINER, P_POD, P_PID_NS, P_MNT_NS, P_USER_NS, P_SHA256,
	P_POS, P_CAPTURED, P_T_OPEN, P_T_DONE, P_LAYOUT, P_STATE, P_EXIT_CODE,
	P_TIDS, P_EXEC,
	P_N
};

static const char *const param_name[P_N] = {
	":session", ":mono", ":cpu", ":type", ":pid", ":tgid", ":ppid",
	":ptgid", ":status", ":signal", ":rid", ":eid", ":comm", ":process",
	":id", ":boot", ":start_ticks", ":start", ":parent", ":end", ":uid",
	":euid", ":gid", ":egid", ":image", ":execs", ":flags",
	":forked_before_exec",
	":time", ":argv", ":cmdline", ":exe", ":cwd", ":cgroup", ":capture",
	":kind", ":count", ":heartbeat", ":events", ":lost", ":from", ":to",
	":keep", ":mono_offset", ":boot_offset",
	":file", ":cgroup_id", ":ns", ":ns_pid", ":login_uid",
	":login_session", ":tty", ":path", ":dev", ":ino", ":size", ":mtime",
	":ctime", ":unit", ":container", ":pod", ":pid_ns", ":mnt_ns",
	":user_ns", ":sha256",
	":pos", ":captured", ":t_open", ":t_done", ":layout", ":state",
	":exit_code", ":tids", ":exec",
};

enum {
	S_BEGIN, S_COMMIT, S_ROLLBACK,
	S_PROC_INS, S_PROC_UPD, S_PROC_CLOSE, S_GAP, S_SESSION_UPD,
	S_EXEC_DROP, S_EXEC_DROP_CMD, S_EXEC_DROP_INHERIT, S_EXEC_DROP_LOG,
	S_CLOCK, S_CMD_INS,
	S_FILE_SEL, S_FILE_INS, S_FILE_HASH, S_CG_SEL, S_CG_INS, S_NS_SEL, S_NS_INS,
	S_SNAP_INS, S_SNAPSHOT,
	S_COUNT
};

static const char *const store_sql[S_COUNT] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_PROC_INS] =
	    "INSERT INTO process(id, boot, tgid, start_ticks, start, parent, ppid,"
	    " end, status, uid, euid, gid, egid, comm, image, execs, flags,"
	    " forked_before_exec)"
	    " VALUES (:id, :boot, :tgid, :start_ticks, :start, :parent, :ppid,"
	    " :end, :status, :uid, :euid, :gid, :egid, :comm, :image, :execs,"
	    " :flags, :forked_before_exec)",
	[S_PROC_UPD] =
	    "UPDATE process SET start_ticks = :start_ticks, start = :start,"
	    " parent = :parent, ppid = :ppid, end = :end, status = :status,"
	    " uid = :uid, euid = :euid, gid = :gid, egid = :egid, comm = :comm,"
	    " image = :image, execs = :execs, flags = :flags,"
	    " forked_before_exec = :forked_before_exec WHERE id = :id",
	/* sessions before :session: a rebuild has the later ones too */
	[S_PROC_CLOSE] =
	    "UPDATE process SET end = max(start, coalesce((SELECT"
	    " max(max(s.heartbeat, coalesce(s.stopped, 0))) FROM session s"
	    " WHERE s.boot = process.boot AND s.id < :session), start)),"
	    " flags = flags | :flags WHERE id = :id AND end IS NULL",
	[S_GAP] =
	    "INSERT INTO gap(session, kind, start, end, cpu, count, pos) VALUES"
	    " (:session, :kind, :start, :end, :cpu, :count, :pos)",
	[S_SESSION_UPD] =
	    "UPDATE session SET heartbeat = :heartbeat, events = :events,"
	    " lost = :lost WHERE id = :id",
	[S_EXEC_DROP] =
	    "UPDATE exec SET cmdline = NULL, exe = NULL, cwd = NULL, cgroup = NULL,"
	    " comm = NULL, uid = NULL, euid = NULL, gid = NULL, egid = NULL,"
	    " file = NULL, cgroup_id = NULL, ns = NULL, ns_pid = NULL,"
	    " login_uid = NULL, login_session = NULL, tty = NULL,"
	    " capture = (capture & :keep) | :flags"
	    " WHERE id BETWEEN :from AND :to AND process = :process",
	/* the lines only those rows ran: they are another process's (or may
	 * be), so they go too */
	[S_EXEC_DROP_CMD] =
	    "DELETE FROM cmdline WHERE id IN (SELECT cmdline FROM exec"
	    " WHERE id BETWEEN :from AND :to AND process = :process)"
	    " AND NOT EXISTS (SELECT 1 FROM exec x WHERE x.cmdline = cmdline.id"
	    " AND (x.id NOT BETWEEN :from AND :to OR x.process <> :process))",
	/* what the descendants written already inherited from those rows
	 * (never exec'd since: their image is one of them) goes too; the
	 * tracker clears the ones it still holds.  The walk goes down
	 * through those and through the processes that forked before their
	 * own exec, what they forked then runs the image still */
	[S_EXEC_DROP_INHERIT] =
	    "WITH RECURSIVE x(id) AS (SELECT id FROM exec WHERE process ="
	    " :process AND id BETWEEN :from AND :to),"
	    " d(id, hit) AS (SELECT c.id, c.image IN x FROM process c"
	    " WHERE c.parent = :process AND (c.image IN x"
	    " OR c.forked_before_exec = 1)"
	    " UNION ALL SELECT c.id, c.image IN x FROM d JOIN process c"
	    " ON c.parent = d.id WHERE c.image IN x"
	    " OR c.forked_before_exec = 1)"
	    " UPDATE process SET uid = NULL, euid = NULL, gid = NULL,"
	    " egid = NULL, comm = NULL WHERE id IN (SELECT id FROM d WHERE hit)",
	/* the decision, for readers that follow the file */
	[S_EXEC_DROP_LOG] =
	    "INSERT INTO exec_drop(process, first, last, why) VALUES"
	    " (:process, :from, :to, :flags)",
	[S_CLOCK] =
	    "INSERT OR REPLACE INTO clock(session, mono, mono_offset, boot_offset,"
	    " pos) VALUES (:session, :mono, :mono_offset, :boot_offset, :pos)",
	[S_CMD_INS] = "INSERT INTO cmdline(argv) VALUES (:argv)",
	[S_FILE_SEL] =
	    "SELECT id FROM file WHERE path = :path AND ino = :ino AND dev = :dev"
	    " AND size = :size AND mtime = :mtime AND ctime = :ctime",
	[S_FILE_INS] =
	    "INSERT INTO file(path, dev, ino, size, mtime, ctime) VALUES"
	    " (:path, :dev, :ino, :size, :mtime, :ctime)",
	[S_CG_SEL] = "SELECT id FROM cgroup WHERE path = :path",
	[S_CG_INS] =
	    "INSERT INTO cgroup(path, unit, container, pod) VALUES"
	    " (:path, :unit, :container, :pod)",
	[S_NS_SEL] =
	    "SELECT id FROM ns WHERE pid_ns = :pid_ns AND mnt_ns = :mnt_ns"
	    " AND user_ns = :user_ns",
	[S_FILE_HASH] = "UPDATE file SET sha256 = :sha256 WHERE id = :id",
	[S_NS_INS] =
	    "INSERT INTO ns(pid_ns, mnt_ns, user_ns) VALUES"
	    " (:pid_ns, :mnt_ns, :user_ns)",
	[S_SNAP_INS] =
	    "INSERT INTO snap(session, pos, tgid, mono, start_ticks, ppid,"
	    " state, exit_code, tids, exec) VALUES (:session, :pos, :tgid,"
	    " :mono, :start_ticks, :ppid, :state, :exit_code, :tids, :exec)",
	[S_SNAPSHOT] = "UPDATE session SET snapshot = :pos WHERE id = :id",
};

/*
 * Rows of event and exec are buffered and inserted ROWS at a time by one
 * multi-row INSERT whose parameters are named ":mono_0" ... ":process_63";
 * per row, that saves the statement's start, halt and reset (replay: +14%
 * for events, +6% for execs).  What is left at commit goes in one row at a
 * time.  Not process rows: a multi-row INSERT of those measured 10% slower
 * (its four indexes), and they are written once per batch anyway.
 */
#define ROWS 64
#define ARENA_MAX (1u << 20)	/* exec data buffered, bytes, before a flush */

enum { T_EVENT, T_EXEC, T_COUNT };

static const struct table {
	const char *name;
	int ncols;
	unsigned char cols[26];	/* enum param, in column order */
} tables[T_COUNT] = {
	[T_EVENT] = { "event", 15, { P_ID, P_SESSION, P_MONO, P_CPU, P_TYPE,
	    P_PID, P_TGID, P_PPID, P_PTGID, P_STATUS, P_SIGNAL, P_RID, P_EID,
	    P_COMM, P_PROCESS } },
	[T_EXEC] = { "exec", 25, { P_ID, P_PROCESS, P_TIME, P_CMDLINE, P_EXE,
	    P_CWD, P_CGROUP, P_COMM, P_UID, P_EUID, P_GID, P_EGID,
	    P_CAPTURE, P_FILE, P_CGROUP_ID, P_NS, P_NS_PID, P_LOGIN_UID,
	    P_LOGIN_SESSION, P_TTY, P_CAPTURED, P_START_TICKS, P_T_OPEN,
	    P_T_DONE, P_LAYOUT } },
};

struct ev_row {
	struct pt_event ev;
	int64_t id;		/* its stream position */
	int64_t session;
	int64_t process;
};

struct exec_row {
	int64_t id, process, time;
	uint64_t mono;		/* of its event (or snapshot read) */
	uint32_t captured;	/* capture bits as read */
	int64_t cmdline;	/* its argv's id, 0: none (found at flush) */
	int64_t file, cgroup, ns;	/* their ids, 0: none (found at flush) */
	char tty[32];		/* terminal name, "" if none */
	struct pt_capture cap;
	size_t off;		/* its data in the arena */
};

/*
 * The command lines stored lately: argv bytes to cmdline id, direct-mapped
 * by a hash of the bytes, which are kept and compared (a hash alone could
 * give a process another's command line).  Emptied when a transaction
 * rolls back (its ids are gone) and when retention deletes lines.
 *
 * A line is reused for CMD_KEEP commits after it was stored, then stored
 * anew: so every exec row points to a recent cmdline id, and its entry in
 * index exec_cmdline lands near the end of the index.  Reusing an old id
 * would put it anywhere: each batch would dirty a page per line it
 * repeats (measured: 34% more pages written, the writer 1.23 times
 * slower).  A line repeated without pause costs one row per CMD_KEEP
 * commits.  Lines longer than CMD_LONG bytes are not remembered: the
 * cache holds 16 MiB at most.
 */
#define CMD_SLOTS 16384
#define CMD_KEEP 32
#define CMD_LONG 1024

struct cmd_slot {
	uint64_t hash;
	uint64_t gen;		/* commits when it was stored */
	int64_t id;		/* 0: empty slot */
	size_t len;
	char *argv;
};

/*
 * What many execs share, stored once: executables (path and identity),
 * cgroups and namespace sets.  Few and small, so each table has a unique
 * index and every row found stays usable: the cache maps a key (bytes) to
 * its row id, direct-mapped by a hash of the key, kept and compared.  It
 * is emptied when a transaction rolls back (rows inserted in it are gone).
 */
#define KEY_SLOTS 1024

enum { K_FILE, K_CGROUP, K_NS, K_COUNT };

struct key_slot {
	uint64_t hash;
	int64_t id;		/* 0: empty */
	size_t len;
	char *key;
};

/* A file row added in the transaction (for store_new_files). */
struct new_file {
	int64_t id;
	pid_t pid;
	struct file_ident ident;
	size_t len;
	char *path;
};

/* One buffered table: its statements and the rows waiting. */
struct ins {
	sqlite3_stmt *one;	/* one row, parameters ":mono" ... */
	sqlite3_stmt *many;	/* ROWS rows */
	short ix1[P_N];		/* parameter indexes in one; 0: none */
	short ixm[ROWS][P_N];	/* those of row i in many */
	int n;			/* rows waiting */
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *st[S_COUNT];
	short pidx[S_COUNT][P_N];	/* 0: not a parameter of it */
	struct ins ins[T_COUNT];
	struct ev_row ev[ROWS];
	struct exec_row exec[ROWS];
	char *arena;			/* exec data waiting */
	size_t arena_len, arena_size;
	struct cmd_slot *cmd;		/* CMD_SLOTS */
	struct key_slot *keys[K_COUNT];	/* KEY_SLOTS each */
	bool track_files;		/* keep new_files (--hash-exe) */
	struct new_file *new_files;	/* file rows added in this transaction */
	size_t n_new_files, new_files_size;
	struct store_cmd_stats cmd_stats;
	uint64_t commits;		/* generation of the cache */
	int64_t rows_session;		/* of the sink's event rows and closes */
	/* The stream position: every record the writer takes that leaves a
	 * row of its own (event, gap, clock change, snapshot entry and end)
	 * is numbered, increasing; an event's id is its number.  What a
	 * rolled-back transaction numbered is numbered again. */
	int64_t pos, pos_committed;
};

static void
forget_new_files(struct store *st)
{
	size_t i;

	for (i = 0; i < st->n_new_files; i++)
		free(st->new_files[i].path);
	st->n_new_files = 0;
}

static void
forget_keys(struct store *st)
{
	size_t i;
	int k;

	for (k = 0; k < K_COUNT; k++) {
		if (!st->keys[k])
			continue;
		for (i = 0; i < KEY_SLOTS; i++) {
			free(st->keys[k][i].key);
			memset(&st->keys[k][i], 0, sizeof(st->keys[k][i]));
		}
	}
}

static int
prepare(sqlite3 *db, const char *sql, sqlite3_stmt **ret)
{
	int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    ret, NULL);

	return db_errno(db, rc);
}

/* Look up the index of each name plus suffix in s; returns how many are. */
static int
resolve(sqlite3_stmt *s, const char *suffix, short *idx)
{
	char name[32];
	int i, found = 0;

	for (i = 0; i < P_N; i++) {
		snprintf(name, sizeof(name), "%s%s", param_name[i], suffix);
		idx[i] = (short)sqlite3_bind_parameter_index(s, name);
		if (idx[i] > 0)
			found++;
	}
	return found;
}

/* Every parameter of s must have been found. */
static int
resolved(sqlite3_stmt *s, int found)
{
	return found == sqlite3_bind_parameter_count(s) ? 0 : -EINVAL;
}

/*
 * The INSERT of rows rows into table t, from the column list above (no
 * input from outside: names only).  Parameters are ":col" for one row,
 * ":col_i" for more.
 */
static int
prepare_insert(struct store *st, int t, int rows, sqlite3_stmt **ret)
{
	const struct table *tb = &tables[t];
	size_t size = 64 + (size_t)(rows + 1) * (size_t)tb->ncols * 24;
	char *sql, *p, *end;
	int r, c;

	sql = malloc(size);
	if (!sql)
		return -ENOMEM;
	p = sql;
	end = sql + size;
	p += snprintf(p, (size_t)(end - p), "INSERT INTO %s(", tb->name);
	for (c = 0; c < tb->ncols; c++)
		p += snprintf(p, (size_t)(end - p), "%s%s", c ? ", " : "",
		    param_name[tb->cols[c]] + 1);
	p += snprintf(p, (size_t)(end - p), ") VALUES ");
	for (r = 0; r < rows; r++) {
		p += snprintf(p, (size_t)(end - p), "%s(", r ? ", " : "");
		for (c = 0; c < tb->ncols; c++) {
			if (rows == 1)
				p += snprintf(p, (size_t)(end - p), "%s%s",
				    c ? ", " : "", param_name[tb->cols[c]]);
			else
				p += snprintf(p, (size_t)(end - p), "%s%s_%d",
				    c ? ", " : "", param_name[tb->cols[c]], r);
		}
		p += snprintf(p, (size_t)(end - p), ")");
	}
	r = prepare(st->db, sql, ret);
	free(sql);
	return r;
}

static int
prepare_table(struct store *st, int t)
{
	struct ins *b = &st->ins[t];
	char suffix[16];
	int r, i, found = 0;

	r = prepare_insert(st, t, 1, &b->one);
	if (r == 0)
		r = resolved(b->one, resolve(b->one, "", b->ix1));
	if (r == 0)
		r = prepare_insert(st, t, ROWS, &b->many);
	if (r < 0)
		return r;
	for (i = 0; i < ROWS; i++) {
		snprintf(suffix, sizeof(suffix), "_%d", i);
		found += resolve(b->many, suffix, b->ixm[i]);
	}
	return resolved(b->many, found);
}

int
store_open(const char *path, struct store **ret)
{
	struct store *st;
	int i, r;

	/*
	 * No memory statistics: they take a global mutex at every SQLite
	 * allocation (3% of the writer's time).  Only possible before SQLite
	 * is first used, as here, at start-up; later calls change nothing.
	 */
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->cmd = calloc(CMD_SLOTS, sizeof(*st->cmd));
	for (i = 0; i < K_COUNT; i++)
		st->keys[i] = calloc(KEY_SLOTS, sizeof(*st->keys[i]));
	if (!st->cmd || !st->keys[K_FILE] || !st->keys[K_CGROUP] ||
	    !st->keys[K_NS]) {
		for (i = 0; i < K_COUNT; i++)
			free(st->keys[i]);
		free(st->cmd);
		free(st);
		return -ENOMEM;
	}
	r = db_open_rw(path, &st->db);
	if (r < 0) {
		for (i = 0; i < K_COUNT; i++)
			free(st->keys[i]);
		free(st->cmd);
		free(st);
		return r;
	}
	for (i = 0; i < S_COUNT && r == 0; i++) {
		r = prepare(st->db, store_sql[i], &st->st[i]);
		if (r == 0)
			r = resolved(st->st[i], resolve(st->st[i], "",
			    st->pidx[i]));
	}
	for (i = 0; i < T_COUNT && r == 0; i++)
		r = prepare_table(st, i);
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
	for (i = 0; i < T_COUNT; i++) {
		sqlite3_finalize(st->ins[i].one);
		sqlite3_finalize(st->ins[i].many);
	}
	sqlite3_close(st->db);
	free(st->arena);
	store_forget_cmdlines(st);
	free(st->cmd);
	forget_keys(st);
	for (i = 0; i < K_COUNT; i++)
		free(st->keys[i]);
	forget_new_files(st);
	free(st->new_files);
	free(st);
}

sqlite3 *
store_db(struct store *st)
{
	return st->db;
}

/*
 * Bind helpers, to parameter index i of s.  The persistent statements are
 * never cleared: every use binds all of a statement's parameters.
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

static void
bind_event(struct store *st, sqlite3_stmt *s, const short *ix, int i)
{
	const struct ev_row *row = &st->ev[i];
	const struct pt_event *ev = &row->ev;
	bool fork_like = ev->what == PT_EV_FORK || ev->what == PT_EV_PTRACE ||
	    ev->what == PT_EV_COREDUMP || ev->what == PT_EV_EXIT;
	bool ids = ev->what == PT_EV_UID || ev->what == PT_EV_GID;
	bool exit = ev->what == PT_EV_EXIT;

	bind_i64(s, ix[P_ID], row->id);
	bind_i64(s, ix[P_SESSION], row->session);
	bind_i64(s, ix[P_MONO], (int64_t)ev->ts);
	bind_i64(s, ix[P_CPU], ev->cpu);
	bind_i64(s, ix[P_TYPE], ev->what);
	bind_i64(s, ix[P_PID], ev->pid);
	bind_i64(s, ix[P_TGID], ev->tgid);
	bind_i64_or_null(s, ix[P_PPID], ev->ppid, fork_like);
	bind_i64_or_null(s, ix[P_PTGID], ev->ptgid, fork_like);
	bind_i64_or_null(s, ix[P_STATUS], ev->status, exit);
	bind_i64_or_null(s, ix[P_SIGNAL], ev->signal, exit);
	bind_i64_or_null(s, ix[P_RID], ev->rid, ids);
	bind_i64_or_null(s, ix[P_EID], ev->eid, ids);
	bind_text(s, ix[P_COMM], ev->what == PT_EV_COMM ? ev->comm : NULL, -1);
	bind_i64_or_null(s, ix[P_PROCESS], row->process, row->process != 0);
}

/* The columns process's INSERT and UPDATE share. */
static void
bind_proc(sqlite3_stmt *s, const short *ix, const struct proc_row *p)
{
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
	bind_i64_or_null(s, ix[P_FBE], p->forked_before_exec,
	    p->forked_before_exec >= 0);
}

static void
bind_exec(struct store *st, sqlite3_stmt *s, const short *ix, int i)
{
	const struct exec_row *x = &st->exec[i];
	const struct pt_capture *cap = &x->cap;
	const char *p = st->arena + x->off;
	bool creds = cap->flags & PT_CAP_CREDS;

	bind_i64(s, ix[P_ID], x->id);
	bind_i64(s, ix[P_PROCESS], x->process);
	bind_i64(s, ix[P_TIME], x->time);
	bind_i64_or_null(s, ix[P_CMDLINE], x->cmdline, x->cmdline != 0);
	p += cap->argv_len;
	/* exe and cgroup as text only when not in a row of their own */
	bind_text(s, ix[P_EXE], p, x->file ? 0 : cap->exe_len);
	p += cap->exe_len;
	bind_text(s, ix[P_CWD], p, cap->cwd_len);
	p += cap->cwd_len;
	bind_text(s, ix[P_CGROUP], p, x->cgroup ? 0 : cap->cgroup_len);
	bind_i64_or_null(s, ix[P_FILE], x->file, x->file != 0);
	bind_i64_or_null(s, ix[P_CGROUP_ID], x->cgroup, x->cgroup != 0);
	bind_i64_or_null(s, ix[P_NS], x->ns, x->ns != 0);
	bind_i64_or_null(s, ix[P_NS_PID], cap->ns_pid,
	    (cap->flags & PT_CAP_NS) != 0);
	bind_i64_or_null(s, ix[P_LOGIN_UID], cap->login_uid,
	    (cap->flags & PT_CAP_LOGIN) && cap->login_uid != UINT32_MAX);
	bind_i64_or_null(s, ix[P_LOGIN_SESSION], cap->login_session,
	    (cap->flags & PT_CAP_LOGIN) && cap->login_session != UINT32_MAX);
	bind_text(s, ix[P_TTY], x->tty[0] ? x->tty : NULL, -1);
	bind_text(s, ix[P_COMM], (cap->flags & PT_CAP_COMM) && cap->comm[0] ?
	    cap->comm : NULL, -1);
	bind_i64_or_null(s, ix[P_UID], cap->uid, creds);
	bind_i64_or_null(s, ix[P_EUID], cap->euid, creds);
	bind_i64_or_null(s, ix[P_GID], cap->gid, creds);
	bind_i64_or_null(s, ix[P_EGID], cap->egid, creds);
	bind_i64(s, ix[P_CAPTURE], cap->flags);
	/* what the tracker decided on (a source of the rebuild) */
	bind_i64(s, ix[P_CAPTURED], x->captured);
	bind_i64_or_null(s, ix[P_START_TICKS], (int64_t)cap->start_ticks,
	    cap->start_ticks != 0);
	bind_i64_or_null(s, ix[P_T_OPEN], (int64_t)(cap->t_open - x->mono),
	    cap->t_open != 0);
	bind_i64_or_null(s, ix[P_T_DONE], (int64_t)(cap->t_done - cap->t_open),
	    cap->t_done != 0);
	bind_i64_or_null(s, ix[P_LAYOUT], (int64_t)cap->layout,
	    cap->layout != 0);
}

static void (*const bind_row[T_COUNT])(struct store *, sqlite3_stmt *,
    const short *, int) = {
	[T_EVENT] = bind_event,
	[T_EXEC] = bind_exec,
};

void
store_forget_cmdlines(struct store *st)
{
	size_t i;

	for (i = 0; i < CMD_SLOTS; i++) {
		free(st->cmd[i].argv);
		memset(&st->cmd[i], 0, sizeof(st->cmd[i]));
	}
}

/* FNV-1a 64 of the bytes: the slot of a command line in the cache. */
static uint64_t
hash_bytes(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n--) {
		h ^= (unsigned char)*p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* The id of command line argv (len bytes), stored if not remembered. */
static int
cmdline_id(struct store *st, const char *argv, size_t len, int64_t *ret)
{
	uint64_t h = hash_bytes(argv, len);
	struct cmd_slot *slot = &st->cmd[h % CMD_SLOTS];
	sqlite3_stmt *s = st->st[S_CMD_INS];
	char *copy;
	int r;

	if (slot->id && slot->hash == h && slot->len == len &&
	    st->commits - slot->gen < CMD_KEEP &&
	    memcmp(slot->argv, argv, len) == 0) {
		st->cmd_stats.hits++;
		*ret = slot->id;
		return 0;
	}
	/* captured but empty is a line too: an empty blob, not NULL */
	sqlite3_bind_blob(s, st->pidx[S_CMD_INS][P_ARGV], len ? argv : "",
	    (int)len, SQLITE_STATIC);
	r = run(st, S_CMD_INS);
	if (r < 0)
		return r;
	*ret = sqlite3_last_insert_rowid(st->db);
	st->cmd_stats.inserted++;
	if (len > CMD_LONG)
		return 0;
	copy = malloc(len ? len : 1);
	if (!copy)
		return 0;	/* not remembered: stored again next time */
	memcpy(copy, argv, len);
	free(slot->argv);
	slot->hash = h;
	slot->gen = st->commits;
	slot->id = *ret;
	slot->len = len;
	slot->argv = copy;
	return 0;
}

/* The slot of key (len bytes) in cache k; *ret_id its id if it holds it,
 * else 0. */
static struct key_slot *
key_find(struct store *st, int k, const void *key, size_t len,
    uint64_t *ret_hash, int64_t *ret_id)
{
	uint64_t h = hash_bytes((const char *)key, len);
	struct key_slot *slot = &st->keys[k][h % KEY_SLOTS];

	*ret_hash = h;
	*ret_id = slot->id && slot->hash == h && slot->len == len &&
	    memcmp(slot->key, key, len) == 0 ? slot->id : 0;
	return slot;
}

static void
key_keep(struct key_slot *slot, uint64_t h, const void *key, size_t len,
    int64_t id)
{
	char *copy = malloc(len ? len : 1);

	if (!copy)
		return;		/* not remembered: looked up again */
	memcpy(copy, key, len);
	free(slot->key);
	slot->hash = h;
	slot->id = id;
	slot->len = len;
	slot->key = copy;
}

/* The row that statement sel (bound) finds (0), else the one ins (bound)
 * adds (1); or -errno. */
static int
sel_or_ins(struct store *st, int sel, int ins, int64_t *ret)
{
	sqlite3_stmt *s = st->st[sel];
	int rc, r;

	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*ret = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return db_errno(st->db, rc);
	r = run(st, ins);
	if (r == 0)
		*ret = sqlite3_last_insert_rowid(st->db);
	return r < 0 ? r : 1;
}

/* Remember file row id, just added, for store_new_files. */
static void
new_file(struct store *st, int64_t id, const struct pt_capture *cap,
    const char *exe)
{
	struct new_file *n;
	size_t size;

	if (st->n_new_files == st->new_files_size) {
		size = st->new_files_size ? st->new_files_size * 2 : 64;
		n = realloc(st->new_files, size * sizeof(*n));
		if (!n)
			return;		/* not hashed: the digest stays NULL */
		st->new_files = n;
		st->new_files_size = size;
	}
	n = &st->new_files[st->n_new_files];
	n->path = malloc(cap->exe_len + 1);
	if (!n->path)
		return;
	memcpy(n->path, exe, cap->exe_len);
	n->path[cap->exe_len] = '\0';
	n->len = cap->exe_len;
	n->id = id;
	n->pid = cap->tgid;
	n->ident.dev = cap->exe_dev;
	n->ident.ino = cap->exe_ino;
	n->ident.size = cap->exe_size;
	n->ident.mtime = cap->exe_mtime;
	n->ident.ctime = cap->exe_ctime;
	st->n_new_files++;
}

void
store_track_files(struct store *st, bool on)
{
	st->track_files = on;
}

void
store_new_files(struct store *st, void (*fn)(void *arg, int64_t id,
    pid_t pid, const char *path, size_t len, const struct file_ident *ident),
    void *arg)
{
	size_t i;

	for (i = 0; i < st->n_new_files; i++)
		fn(arg, st->new_files[i].id, st->new_files[i].pid,
		    st->new_files[i].path, st->new_files[i].len,
		    &st->new_files[i].ident);
	forget_new_files(st);
}

int
store_file_hash(struct store *st, int64_t id, const char *hex)
{
	sqlite3_stmt *s = st->st[S_FILE_HASH];
	const short *ix = st->pidx[S_FILE_HASH];

	bind_i64(s, ix[P_ID], id);
	bind_text(s, ix[P_SHA256], hex, -1);
	return run(st, S_FILE_HASH);
}

/* Bind the parameter of enum param i in both statements. */
static void
bind2_i64(struct store *st, int a, int b, int i, int64_t v)
{
	bind_i64(st->st[a], st->pidx[a][i], v);
	bind_i64(st->st[b], st->pidx[b][i], v);
}

static void
bind2_text(struct store *st, int a, int b, int i, const char *v, int len)
{
	bind_text(st->st[a], st->pidx[a][i], v, len);
	bind_text(st->st[b], st->pidx[b][i], v, len);
}

/* The file row of an exec's executable (path exe, exe_len bytes). */
static int
file_id(struct store *st, const struct pt_capture *cap, const char *exe,
    int64_t *ret)
{
	struct {
		uint64_t dev, ino, size;
		int64_t mtime, ctime;
		char path[4096];
	} key;
	size_t len = offsetof(__typeof__(key), path) + cap->exe_len;
	struct key_slot *slot;
	uint64_t h;
	int r;

	if (cap->exe_len > sizeof(key.path))
		return 0;
	memset(&key, 0, offsetof(__typeof__(key), path));
	key.dev = cap->exe_dev;
	key.ino = cap->exe_ino;
	key.size = cap->exe_size;
	key.mtime = cap->exe_mtime;
	key.ctime = cap->exe_ctime;
	memcpy(key.path, exe, cap->exe_len);
	slot = key_find(st, K_FILE, &key, len, &h, ret);
	if (*ret)
		return 0;
	bind2_text(st, S_FILE_SEL, S_FILE_INS, P_PATH, exe, cap->exe_len);
	bind2_i64(st, S_FILE_SEL, S_FILE_INS, P_DEV, (int64_t)key.dev);
	bind2_i64(st, S_FILE_SEL, S_FILE_INS, P_INO, (int64_t)key.ino);
	bind2_i64(st, S_FILE_SEL, S_FILE_INS, P_SIZE, (int64_t)key.size);
	bind2_i64(st, S_FILE_SEL, S_FILE_INS, P_MTIME, key.mtime);
	bind2_i64(st, S_FILE_SEL, S_FILE_INS, P_CTIME, key.ctime);
	r = sel_or_ins(st, S_FILE_SEL, S_FILE_INS, ret);
	if (r < 0)
		return r;
	key_keep(slot, h, &key, len, *ret);
	if (r == 1 && st->track_files)
		new_file(st, *ret, cap, exe);
	return 0;
}

/* The cgroup row of path (len bytes), with what the path says. */
static int
cgroup_id(struct store *st, const char *path, size_t len, int64_t *ret)
{
	sqlite3_stmt *s = st->st[S_CG_INS];
	const short *ix = st->pidx[S_CG_INS];
	char z[4097], unit[256], container[256], pod[256];
	struct key_slot *slot;
	uint64_t h;
	int r;

	if (len >= sizeof(z))
		return 0;
	slot = key_find(st, K_CGROUP, path, len, &h, ret);
	if (*ret)
		return 0;
	memcpy(z, path, len);
	z[len] = '\0';
	bind2_text(st, S_CG_SEL, S_CG_INS, P_PATH, z, (int)len);
	pt_cgroup_unit(z, unit, sizeof(unit));
	pt_cgroup_container(z, container, sizeof(container));
	pt_cgroup_pod(z, pod, sizeof(pod));
	bind_text(s, ix[P_UNIT], unit, -1);
	bind_text(s, ix[P_CONTAINER], container, -1);
	bind_text(s, ix[P_POD], pod, -1);
	r = sel_or_ins(st, S_CG_SEL, S_CG_INS, ret);
	if (r < 0)
		return r;
	key_keep(slot, h, path, len, *ret);
	return 0;
}

/* The ns row of a capture's namespaces. */
static int
ns_id(struct store *st, const struct pt_capture *cap, int64_t *ret)
{
	uint64_t key[3] = { cap->pid_ns, cap->mnt_ns, cap->user_ns }, h;
	struct key_slot *slot;
	int r;

	slot = key_find(st, K_NS, key, sizeof(key), &h, ret);
	if (*ret)
		return 0;
	bind2_i64(st, S_NS_SEL, S_NS_INS, P_PID_NS, (int64_t)key[0]);
	bind2_i64(st, S_NS_SEL, S_NS_INS, P_MNT_NS, (int64_t)key[1]);
	bind2_i64(st, S_NS_SEL, S_NS_INS, P_USER_NS, (int64_t)key[2]);
	r = sel_or_ins(st, S_NS_SEL, S_NS_INS, ret);
	if (r < 0)
		return r;
	key_keep(slot, h, key, sizeof(key), *ret);
	return 0;
}

/* The rows the exec rows waiting point to: command line, executable,
 * cgroup, namespaces. */
static int
exec_refs(struct store *st)
{
	const struct pt_capture *cap;
	struct exec_row *x;
	const char *data;
	int i, r = 0;

	for (i = 0; i < st->ins[T_EXEC].n && r == 0; i++) {
		x = &st->exec[i];
		cap = &x->cap;
		data = st->arena + x->off;
		x->cmdline = x->file = x->cgroup = x->ns = 0;
		if (cap->flags & PT_CAP_ARGV)
			r = cmdline_id(st, data, cap->argv_len, &x->cmdline);
		data += cap->argv_len;
		if (r == 0 && (cap->flags & PT_CAP_FILE) && cap->exe_len)
			r = file_id(st, cap, data, &x->file);
		data += cap->exe_len + cap->cwd_len;
		if (r == 0 && (cap->flags & PT_CAP_CGROUP) && cap->cgroup_len)
			r = cgroup_id(st, data, cap->cgroup_len, &x->cgroup);
		if (r == 0 && (cap->flags & PT_CAP_NS))
			r = ns_id(st, cap, &x->ns);
	}
	return r;
}

void
store_cmd_stats(const struct store *st, struct store_cmd_stats *ret)
{
	*ret = st->cmd_stats;
}

/* Insert the rows waiting in table t: ROWS at once, or one by one. */
static int
flush(struct store *st, int t)
{
	struct ins *b = &st->ins[t];
	int i, r = 0;

	if (t == T_EXEC && (r = exec_refs(st)) < 0) {
		b->n = 0;
		st->arena_len = 0;
		return r;
	}
	if (b->n == ROWS) {
		for (i = 0; i < ROWS; i++)
			bind_row[t](st, b->many, b->ixm[i], i);
		r = step_reset(st, b->many);
	} else {
		for (i = 0; i < b->n && r == 0; i++) {
			bind_row[t](st, b->one, b->ix1, i);
			r = step_reset(st, b->one);
		}
	}
	b->n = 0;
	if (t == T_EXEC)
		st->arena_len = 0;
	return r;
}

static int
flush_all(struct store *st)
{
	int t, r = 0;

	for (t = 0; t < T_COUNT && r == 0; t++)
		r = flush(st, t);
	return r;
}

/* Forget the rows waiting (the transaction is rolled back). */
static void
drop_all(struct store *st)
{
	int t;

	for (t = 0; t < T_COUNT; t++)
		st->ins[t].n = 0;
	st->arena_len = 0;
}

int
store_begin(struct store *st)
{
	drop_all(st);
	return run(st, S_BEGIN);
}

int
store_commit(struct store *st)
{
	int r = flush_all(st);

	if (r == 0)
		r = run(st, S_COMMIT);
	if (r == 0) {
		st->commits++;
		st->pos_committed = st->pos;
	}
	return r;
}

void
store_rollback(struct store *st)
{
	drop_all(st);
	/* lines inserted in the transaction are gone with it */
	store_forget_cmdlines(st);
	forget_keys(st);
	forget_new_files(st);
	st->pos = st->pos_committed;
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
	r = db_bind_text(s, ":boot_id", boot_id);
	r = r ? r : db_bind_text(s, ":hostname", hostname);
	r = r ? r : db_bind_int64(s, ":btime", btime);
	if (r < 0) {
		sqlite3_finalize(s);
		return r;
	}
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
    int64_t mono_offset, int64_t boot_offset, int64_t rcvbuf, int64_t *ret_id)
{
	sqlite3_stmt *s;
	int rc, r;

	r = oneoff(st, "INSERT INTO session(boot, pid, version, started,"
	    " heartbeat, mono_offset, boot_offset, rcvbuf) VALUES (:boot, :pid,"
	    " :version, :started, :started, :mono_offset, :boot_offset, :rcvbuf)",
	    &s);
	if (r < 0)
		return r;
	r = db_bind_int64(s, ":boot", boot);
	r = r ? r : db_bind_int64(s, ":pid", pid);
	r = r ? r : db_bind_text(s, ":version", PROCTRAIL_VERSION);
	r = r ? r : db_bind_int64(s, ":started", started);
	r = r ? r : db_bind_int64(s, ":mono_offset", mono_offset);
	r = r ? r : db_bind_int64(s, ":boot_offset", boot_offset);
	r = r ? r : db_bind_int64(s, ":rcvbuf", rcvbuf);
	if (r < 0) {
		sqlite3_finalize(s);
		return r;
	}
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_errno(st->db, rc);
	*ret_id = sqlite3_last_insert_rowid(st->db);
	/* the session's stream positions follow every one in the file */
	r = oneoff(st, "SELECT max(coalesce((SELECT max(id) FROM event), 0),"
	    " coalesce((SELECT max(pos) FROM gap), 0),"
	    " coalesce((SELECT max(pos) FROM clock), 0),"
	    " coalesce((SELECT max(pos) FROM snap), 0),"
	    " coalesce((SELECT max(snapshot) FROM session), 0)) + 1", &s);
	if (r < 0)
		return r;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		st->pos = st->pos_committed = sqlite3_column_int64(s, 0);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_errno(st->db, rc);
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
	r = db_bind_int64(s, ":stopped", stopped);
	r = r ? r : db_bind_int64(s, ":id", session);
	if (r < 0) {
		sqlite3_finalize(s);
		return r;
	}
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_errno(st->db, rc);
}

/* The latest sign of life of the sessions other than session: of boot
 * (same = true) or of other boots; 0 and *ret_session 0 if none. */
static int
last_seen(struct store *st, int64_t session, int64_t boot, bool same,
    int64_t *ret, int64_t *ret_session)
{
	sqlite3_stmt *s;
	int rc, r;

	r = oneoff(st, same ?
	    "SELECT max(heartbeat, coalesce(stopped, 0)), id FROM session"
	    " WHERE id <> :id AND boot = :boot ORDER BY 1 DESC LIMIT 1" :
	    "SELECT max(heartbeat, coalesce(stopped, 0)), id FROM session"
	    " WHERE id <> :id AND boot <> :boot ORDER BY 1 DESC LIMIT 1", &s);
	if (r < 0)
		return r;
	*ret = *ret_session = 0;
	r = db_bind_int64(s, ":id", session);
	r = r ? r : db_bind_int64(s, ":boot", boot);
	if (r < 0) {
		sqlite3_finalize(s);
		return r;
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*ret = sqlite3_column_int64(s, 0);
		*ret_session = sqlite3_column_int64(s, 1);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_errno(st->db, rc);
}

int
store_downtime(struct store *st, int64_t session, int64_t boot, int64_t btime,
    int64_t now, int64_t *ret_last_seen)
{
	int64_t last, other, other_session;
	int r;

	*ret_last_seen = 0;
	r = last_seen(st, session, boot, true, &last, &other_session);
	if (r < 0)
		return r;
	if (other_session) {
		/* a restart within the boot */
		*ret_last_seen = last;
		if (last > 0 && last < now)
			r = store_gap(st, session, pt_gap_name(PT_GAP_DOWNTIME), last, now, -1, -1, false);
		return r;
	}
	/* the first session of this boot: nothing was recorded since it
	 * booted; nor, for the boot before, since its collector was last
	 * seen (its end is unknown: before this boot began) */
	if (btime < now)
		r = store_gap(st, session, pt_gap_name(PT_GAP_DOWNTIME), btime, now, -1, -1, false);
	if (r == 0)
		r = last_seen(st, session, boot, false, &other, &other_session);
	if (r == 0 && other_session && other > 0 && other < btime)
		r = store_gap(st, other_session, pt_gap_name(PT_GAP_DOWNTIME), other,
		    btime, -1, -1, false);
	return r;
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
    int (*fn)(const struct proc_row *row, void *data), void *data)
{
	sqlite3_stmt *s;
	struct proc_row p;
	const unsigned char *comm;
	int rc, r;

	r = oneoff(st, "SELECT id, boot, tgid, start_ticks, start, parent, ppid,"
	    " uid, euid, gid, egid, comm, image, execs, flags,"
	    " forked_before_exec FROM process"
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
		p.forked_before_exec = sqlite3_column_type(s, 15) == SQLITE_NULL ?
		    -1 : col_i64(s, 15, NULL) != 0;
		r = fn(&p, data);
		if (r < 0) {
			sqlite3_finalize(s);
			return r;
		}
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_errno(st->db, rc);
}

int
store_event(struct store *st, int64_t session, const struct pt_event *ev,
    int64_t process)
{
	struct ev_row *row;
	int r;

	if (st->ins[T_EVENT].n == ROWS && (r = flush(st, T_EVENT)) < 0)
		return r;
	row = &st->ev[st->ins[T_EVENT].n++];
	row->id = st->pos++;
	row->ev = *ev;
	row->session = session;
	row->process = process;
	return 0;
}

int
store_process_insert(struct store *st, const struct proc_row *p)
{
	sqlite3_stmt *s = st->st[S_PROC_INS];
	const short *ix = st->pidx[S_PROC_INS];

	bind_proc(s, ix, p);
	bind_i64(s, ix[P_BOOT], p->boot);
	bind_i64(s, ix[P_TGID], p->tgid);
	return run(st, S_PROC_INS);
}

int
store_process_update(struct store *st, const struct proc_row *p)
{
	bind_proc(st->st[S_PROC_UPD], st->pidx[S_PROC_UPD], p);
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
    uint64_t mono, uint32_t captured, const struct pt_capture *cap,
    const char *data)
{
	struct exec_row *x;
	size_t len = (size_t)cap->argv_len + cap->exe_len + cap->cwd_len +
	    cap->cgroup_len, size;
	char *a;
	int r;

	if (st->ins[T_EXEC].n == ROWS ||
	    (st->ins[T_EXEC].n > 0 && st->arena_len + len > ARENA_MAX)) {
		r = flush(st, T_EXEC);
		if (r < 0)
			return r;
	}
	if (st->arena_len + len > st->arena_size) {
		size = st->arena_size ? st->arena_size : 4096;
		while (size < st->arena_len + len)
			size *= 2;
		a = realloc(st->arena, size);
		if (!a)
			return -ENOMEM;
		st->arena = a;
		st->arena_size = size;
	}
	x = &st->exec[st->ins[T_EXEC].n++];
	x->id = id;
	x->process = process;
	x->time = time;
	x->mono = mono;
	x->captured = captured;
	x->cap = *cap;
	x->tty[0] = '\0';
	if ((cap->flags & PT_CAP_TTY) && cap->tty_nr)
		procfs_tty_name(cap->tty_nr, x->tty, sizeof(x->tty));
	x->off = st->arena_len;
	if (len)
		memcpy(st->arena + st->arena_len, data, len);
	st->arena_len += len;
	return 0;
}

/* Bind the rows of a drop (process, ids from..to) to statement which. */
static void
bind_drop(struct store *st, int which, int64_t process, int64_t from,
    int64_t to)
{
	sqlite3_stmt *s = st->st[which];
	const short *ix = st->pidx[which];

	bind_i64(s, ix[P_PROCESS], process);
	bind_i64(s, ix[P_FROM], from);
	bind_i64(s, ix[P_TO], to);
}

int
store_exec_drop(struct store *st, int64_t process, int64_t from, int64_t to,
    uint32_t why)
{
	sqlite3_stmt *s = st->st[S_EXEC_DROP];
	const short *ix = st->pidx[S_EXEC_DROP];
	int r = st->ins[T_EXEC].n ? flush(st, T_EXEC) : 0;

	if (r < 0)
		return r;
	bind_drop(st, S_EXEC_DROP_CMD, process, from, to);
	r = run(st, S_EXEC_DROP_CMD);
	if (r < 0)
		return r;
	if (sqlite3_changes(st->db) > 0)
		store_forget_cmdlines(st);	/* their ids are gone */
	bind_drop(st, S_EXEC_DROP, process, from, to);
	bind_i64(s, ix[P_KEEP], (int64_t)~(uint32_t)PT_CAP_DATA & 0xffffffff);
	bind_i64(s, ix[P_FLAGS], why);
	r = run(st, S_EXEC_DROP);
	if (r < 0 || sqlite3_changes(st->db) == 0)
		return r;
	bind_drop(st, S_EXEC_DROP_LOG, process, from, to);
	bind_i64(st->st[S_EXEC_DROP_LOG], st->pidx[S_EXEC_DROP_LOG][P_FLAGS],
	    why);
	r = run(st, S_EXEC_DROP_LOG);
	if (r < 0)
		return r;
	bind_drop(st, S_EXEC_DROP_INHERIT, process, from, to);
	return run(st, S_EXEC_DROP_INHERIT);
}

int
store_clock(struct store *st, int64_t session, int64_t mono,
    int64_t mono_offset, int64_t boot_offset)
{
	sqlite3_stmt *s = st->st[S_CLOCK];
	const short *ix = st->pidx[S_CLOCK];

	bind_i64(s, ix[P_POS], st->pos++);
	bind_i64(s, ix[P_SESSION], session);
	bind_i64(s, ix[P_MONO], mono);
	bind_i64(s, ix[P_MONO_OFFSET], mono_offset);
	bind_i64(s, ix[P_BOOT_OFFSET], boot_offset);
	return run(st, S_CLOCK);
}

int
store_gap(struct store *st, int64_t session, const char *kind, int64_t start,
    int64_t end, int cpu, int64_t count, bool stream)
{
	sqlite3_stmt *s = st->st[S_GAP];
	const short *ix = st->pidx[S_GAP];

	bind_i64_or_null(s, ix[P_POS], stream ? st->pos++ : 0, stream);
	bind_i64(s, ix[P_SESSION], session);
	bind_text(s, ix[P_KIND], kind, -1);
	bind_i64(s, ix[P_START], start);
	bind_i64(s, ix[P_END], end);
	bind_i64_or_null(s, ix[P_CPU], cpu, cpu >= 0);
	bind_i64_or_null(s, ix[P_COUNT], count, count >= 0);
	return run(st, S_GAP);
}

/* The tracker's sink (rows.h). */
static int
rows_event(void *ctx, const struct pt_event *ev, int64_t process)
{
	struct store *st = ctx;

	return store_event(st, st->rows_session, ev, process);
}

static int
rows_exec(void *ctx, int64_t id, int64_t process, int64_t time,
    uint64_t mono, uint32_t captured, const struct pt_capture *cap,
    const char *data)
{
	return store_exec(ctx, id, process, time, mono, captured, cap, data);
}

static int
rows_snap(void *ctx, const struct rec_snap *s, const int32_t *tids,
    int64_t exec)
{
	struct store *st = ctx;

	return store_snap(st, st->rows_session, s, tids, exec);
}

static int
rows_process(void *ctx, const struct proc_row *p, bool insert)
{
	return insert ? store_process_insert(ctx, p) :
	    store_process_update(ctx, p);
}

static int
rows_close(void *ctx, int64_t id, uint32_t add_flags)
{
	struct store *st = ctx;

	return store_process_close(st, id, st->rows_session, add_flags);
}

static int
rows_exec_drop(void *ctx, int64_t process, int64_t from, int64_t to,
    uint32_t why)
{
	return store_exec_drop(ctx, process, from, to, why);
}

int
store_snap(struct store *st, int64_t session, const struct rec_snap *sn,
    const int32_t *tids, int64_t exec)
{
	sqlite3_stmt *s = st->st[S_SNAP_INS];
	const short *ix = st->pidx[S_SNAP_INS];
	unsigned char *b = NULL;
	uint32_t i, v;
	char state[2] = { sn->cap.state, '\0' };
	int r;

	if (sn->ntids) {
		/* little-endian whatever the host, as documented */
		b = malloc((size_t)sn->ntids * 4);
		if (!b)
			return -ENOMEM;
		for (i = 0; i < sn->ntids; i++) {
			v = (uint32_t)tids[i];
			b[4 * i] = (unsigned char)v;
			b[4 * i + 1] = (unsigned char)(v >> 8);
			b[4 * i + 2] = (unsigned char)(v >> 16);
			b[4 * i + 3] = (unsigned char)(v >> 24);
		}
		sqlite3_bind_blob(s, ix[P_TIDS], b, (int)sn->ntids * 4,
		    SQLITE_STATIC);
	} else {
		sqlite3_bind_null(s, ix[P_TIDS]);
	}
	bind_i64(s, ix[P_SESSION], session);
	bind_i64(s, ix[P_POS], st->pos++);
	bind_i64(s, ix[P_TGID], sn->tgid);
	bind_i64(s, ix[P_MONO], (int64_t)sn->mono);
	bind_i64(s, ix[P_START_TICKS], (int64_t)sn->cap.start_ticks);
	bind_i64_or_null(s, ix[P_PPID], sn->cap.ppid, sn->cap.ppid != 0);
	bind_text(s, ix[P_STATE], sn->cap.state ? state : NULL, -1);
	bind_i64(s, ix[P_EXIT_CODE], sn->cap.exit_code);
	bind_i64_or_null(s, ix[P_EXEC], exec, exec != 0);
	r = run(st, S_SNAP_INS);
	sqlite3_bind_null(s, ix[P_TIDS]);
	free(b);
	return r;
}

int
store_snapshot_done(struct store *st, int64_t session)
{
	sqlite3_stmt *s = st->st[S_SNAPSHOT];
	const short *ix = st->pidx[S_SNAPSHOT];

	bind_i64(s, ix[P_POS], st->pos++);
	bind_i64(s, ix[P_ID], session);
	return run(st, S_SNAPSHOT);
}

void
store_rows(struct store *st, int64_t session, struct rows *ret)
{
	st->rows_session = session;
	ret->ctx = st;
	ret->event = rows_event;
	ret->exec = rows_exec;
	ret->process = rows_process;
	ret->close = rows_close;
	ret->exec_drop = rows_exec_drop;
	ret->snap = rows_snap;
}
