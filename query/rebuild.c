/*
 * rebuild: derive the derived rows again from the sources a file keeps,
 * through the collector's own tracker and store, into a new file; then
 * compare them with the file's.
 *
 * Derived: the process rows, the process each event and exec row belongs
 * to, the exec rows' times and capture bits (and the data the checks
 * against the stream drop).  Sources (schema version 7, docs/schema.md
 * "Sources and the rebuild"): the events, the exec rows' captures (what
 * the collector decided on: exec.captured, start_ticks, t_open, t_done,
 * layout), the snapshot entries (snap), the gaps and clock changes of the
 * stream, each at its stream position, and the session rows.  Everything
 * else is copied as it is, but the log of drops (exec_drop, version 8),
 * which the store writes anew as the tracker decides them (not compared).
 *
 * Per session, in order: a tracker is made as the collector's writer made
 * it (the open rows earlier sessions left, ids after those in use), and
 * fed the session's records in stream order; its row changes go to the
 * store on the new file (process rows, closes, drops) or to statements
 * here that copy the event and exec rows with what the tracker decided.
 *
 * The old file is read through an ATTACH of the new file's connection,
 * read-only.  Exit codes: EX_OK; EX_PROBLEM when --check finds
 * differences, or the file has sessions recorded before version 7; EX_DB,
 * EX_USAGE, EX_INTERNAL as every command.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "query.h"
#include "record.h"
#include "store.h"
#include "tracker.h"

#define SHOW_MAX	100	/* differences listed */
#define FLUSH_EVERY	4096	/* records between the tracker's flushes */

enum { X_EVENT, X_EXEC, X_EXEC_BARE, X_CAPTURE, X_EVENTS, X_SNAPS, X_GAPS,
	X_CLOCKS, X_COUNT };

static const char *const rb_sql[X_COUNT] = {
	/* the sink's: an event row, an exec row, copied with the tracker's
	 * attribution (and the exec's time and capture bits) */
	[X_EVENT] =
	    "INSERT INTO main.event(id, session, mono, cpu, type, pid, tgid,"
	    " ppid, ptgid, status, signal, rid, eid, comm, process)"
	    " SELECT id, session, mono, cpu, type, pid, tgid, ppid, ptgid,"
	    " status, signal, rid, eid, comm, :process FROM old.event"
	    " WHERE id = :id",
	[X_EXEC] =
	    "INSERT INTO main.exec(id, process, time, cmdline, exe, cwd, cgroup,"
	    " comm, uid, euid, gid, egid, capture, file, cgroup_id, ns, ns_pid,"
	    " login_uid, login_session, tty, captured, start_ticks, t_open,"
	    " t_done, layout) SELECT id, :process, :time, cmdline, exe, cwd,"
	    " cgroup, comm, uid, euid, gid, egid, :capture, file, cgroup_id, ns,"
	    " ns_pid, login_uid, login_session, tty, captured, start_ticks,"
	    " t_open, t_done, layout FROM old.exec WHERE id = :id",
	/* an exec row the file does not have (the rebuild differs) */
	[X_EXEC_BARE] =
	    "INSERT INTO main.exec(id, process, time, capture) VALUES"
	    " (:id, :process, :time, :capture)",
	/* the capture of exec row :id as the tracker was given it */
	[X_CAPTURE] =
	    "SELECT x.captured, x.uid, x.euid, x.gid, x.egid, x.comm,"
	    " coalesce((SELECT f.path FROM old.file f WHERE f.id = x.file),"
	    " x.exe), x.start_ticks, x.t_open, x.t_done, x.layout,"
	    " (SELECT p.tgid FROM old.process p WHERE p.id = x.process)"
	    " FROM old.exec x WHERE x.id = :id",
	/* a session's records: its events follow those of earlier
	 * sessions (positions start after every event id in use) */
	[X_EVENTS] =
	    "SELECT id, session, mono, cpu, type, pid, tgid, ppid, ptgid,"
	    " status, signal, rid, eid, comm FROM old.event WHERE id >= :id"
	    " ORDER BY id",
	[X_SNAPS] =
	    "SELECT pos, tgid, mono, start_ticks, ppid, state, exit_code, tids,"
	    " exec FROM old.snap WHERE session = :session ORDER BY pos",
	[X_GAPS] =
	    "SELECT pos FROM old.gap WHERE session = :session"
	    " AND pos IS NOT NULL ORDER BY pos",
	[X_CLOCKS] =
	    "SELECT pos, mono, mono_offset, boot_offset FROM old.clock"
	    " WHERE session = :session AND pos IS NOT NULL ORDER BY pos",
};

struct rb {
	struct qctx *q;
	struct store *st;	/* on the new file */
	sqlite3 *db;		/* its connection; the old file is "old" */
	sqlite3_stmt *x[X_COUNT];
	int64_t event;		/* id of the event being fed */
	int64_t next_exec;	/* id of the tracker's next exec row */
	int64_t session;
	uint64_t records;	/* fed since the last flush */
	char *data;		/* a capture's strings (exe only) */
	size_t data_size;
	int32_t cap_tgid;	/* the PID of the last capture's process, 0 */
	int64_t out_of_step;	/* the event where the exec rows stop matching */
	/* totals */
	int64_t sessions, events, execs, snaps;
};

static int
step_done(sqlite3 *db, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : db_errno(db, rc);
}

static int64_t
col_i64(sqlite3_stmt *s, int i)
{
	return sqlite3_column_int64(s, i);
}

/* --- The tracker's sink --- */

static int
sink_event(void *ctx, const struct pt_event *ev, int64_t process)
{
	struct rb *b = ctx;
	sqlite3_stmt *s = b->x[X_EVENT];
	int r;

	(void)ev;
	r = db_bind_int64(s, ":id", b->event);
	r = r ? r : process ? db_bind_int64(s, ":process", process) :
	    db_bind_text(s, ":process", NULL);
	return r ? r : step_done(b->db, s);
}

static int
sink_exec(void *ctx, int64_t id, int64_t process, int64_t time,
    uint64_t mono, uint32_t captured, const struct pt_capture *cap,
    const char *data)
{
	struct rb *b = ctx;
	sqlite3_stmt *s = b->x[X_EXEC];
	int r;

	(void)mono;
	(void)captured;
	(void)data;
	b->next_exec = id + 1;
	b->execs++;
	r = db_bind_int64(s, ":id", id);
	r = r ? r : db_bind_int64(s, ":process", process);
	r = r ? r : db_bind_int64(s, ":time", time);
	r = r ? r : db_bind_int64(s, ":capture", cap->flags);
	r = r ? r : step_done(b->db, s);
	if (r < 0 || sqlite3_changes(b->db) > 0)
		return r;
	s = b->x[X_EXEC_BARE];
	r = db_bind_int64(s, ":id", id);
	r = r ? r : db_bind_int64(s, ":process", process);
	r = r ? r : db_bind_int64(s, ":time", time);
	r = r ? r : db_bind_int64(s, ":capture", cap->flags);
	return r ? r : step_done(b->db, s);
}

static int
sink_process(void *ctx, const struct proc_row *p, bool insert)
{
	struct rb *b = ctx;

	return insert ? store_process_insert(b->st, p) :
	    store_process_update(b->st, p);
}

static int
sink_close(void *ctx, int64_t id, uint32_t add_flags)
{
	struct rb *b = ctx;

	return store_process_close(b->st, id, b->session, add_flags);
}

static int
sink_exec_drop(void *ctx, int64_t process, int64_t from, int64_t to,
    uint32_t why)
{
	struct rb *b = ctx;

	return store_exec_drop(b->st, process, from, to, why);
}

/* The snapshot entries are copied as they are. */
static int
sink_snap(void *ctx, const struct rec_snap *s, const int32_t *tids,
    int64_t exec)
{
	(void)ctx;
	(void)s;
	(void)tids;
	(void)exec;
	return 0;
}

/* --- The sources, as the collector's writer took them --- */

/*
 * The capture of exec row id as the tracker was given it: its bits as
 * read, and what the tracker uses of it.  What the checks dropped is not
 * in the row any more (credentials, comm, exe): its bit goes too, so the
 * tracker takes nothing for it; what it decided the drop on (identity,
 * times, layout) is kept.  No row: an exec the file lacks, as skipped.
 */
static int
capture_of(struct rb *b, int64_t id, uint64_t mono, struct pt_capture *cap,
    const char **ret_data)
{
	sqlite3_stmt *s = b->x[X_CAPTURE];
	const unsigned char *t;
	size_t n;
	int rc, r;

	memset(cap, 0, sizeof(*cap));
	*ret_data = "";
	b->cap_tgid = 0;
	cap->flags = PT_CAP_SKIPPED;
	r = db_bind_int64(s, ":id", id);
	if (r < 0)
		return r;
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? 0 : db_errno(b->db, rc);
	}
	cap->flags = (uint32_t)col_i64(s, 0);
	if (sqlite3_column_type(s, 1) == SQLITE_NULL) {
		cap->flags &= ~(uint32_t)PT_CAP_CREDS;
	} else {
		cap->uid = (uint32_t)col_i64(s, 1);
		cap->euid = (uint32_t)col_i64(s, 2);
		cap->gid = (uint32_t)col_i64(s, 3);
		cap->egid = (uint32_t)col_i64(s, 4);
	}
	t = sqlite3_column_text(s, 5);
	if (t)
		snprintf(cap->comm, sizeof(cap->comm), "%s", (const char *)t);
	else
		cap->flags &= ~(uint32_t)PT_CAP_COMM;
	t = sqlite3_column_text(s, 6);
	n = t ? (size_t)sqlite3_column_bytes(s, 6) : 0;
	if (n > UINT16_MAX)
		n = UINT16_MAX;
	if (!t)
		cap->flags &= ~(uint32_t)PT_CAP_EXE;
	if (n > b->data_size) {
		char *d = realloc(b->data, n);

		if (!d) {
			sqlite3_reset(s);
			return -ENOMEM;
		}
		b->data = d;
		b->data_size = n;
	}
	if (n)
		memcpy(b->data, t, n);
	cap->exe_len = (uint16_t)n;
	cap->start_ticks = (uint64_t)col_i64(s, 7);
	/* t_open is kept from the event's stamp (or the snapshot's read),
	 * t_done from t_open */
	if (sqlite3_column_type(s, 8) != SQLITE_NULL &&
	    sqlite3_column_type(s, 9) != SQLITE_NULL) {
		cap->t_open = mono + (uint64_t)col_i64(s, 8);
		cap->t_done = cap->t_open + (uint64_t)col_i64(s, 9);
	}
	cap->layout = (uint64_t)col_i64(s, 10);
	b->cap_tgid = (int32_t)col_i64(s, 11);
	sqlite3_reset(s);
	*ret_data = n ? b->data : "";
	return 0;
}

static int
feed_event(struct rb *b, struct tracker *t, sqlite3_stmt *s)
{
	struct pt_event ev;
	struct pt_capture cap;
	const unsigned char *comm;
	const char *data;
	int r;

	memset(&ev, 0, sizeof(ev));
	b->event = col_i64(s, 0);
	ev.ts = (uint64_t)col_i64(s, 2);
	ev.cpu = (uint32_t)col_i64(s, 3);
	ev.what = (uint32_t)col_i64(s, 4);
	ev.pid = (int32_t)col_i64(s, 5);
	ev.tgid = (int32_t)col_i64(s, 6);
	ev.ppid = (int32_t)col_i64(s, 7);
	ev.ptgid = (int32_t)col_i64(s, 8);
	ev.status = (uint32_t)col_i64(s, 9);
	ev.signal = (int32_t)col_i64(s, 10);
	ev.rid = (uint32_t)col_i64(s, 11);
	ev.eid = (uint32_t)col_i64(s, 12);
	comm = sqlite3_column_text(s, 13);
	if (comm)
		snprintf(ev.comm, sizeof(ev.comm), "%s", (const char *)comm);
	b->events++;
	if (ev.what != PT_EV_EXEC)
		return tracker_event(t, &ev);
	/* its capture is the exec row the tracker makes of it next: of a
	 * process with this PID, unless the replay is out of step (a row
	 * retention deleted, a rebuild that went another way) */
	r = capture_of(b, b->next_exec, ev.ts, &cap, &data);
	if (r < 0)
		return r;
	if (b->cap_tgid && b->cap_tgid != ev.tgid) {
		b->out_of_step = b->event;
		return -EPROTO;
	}
	return tracker_exec(t, &ev, &cap, data);
}

static int
feed_snap(struct rb *b, struct tracker *t, sqlite3_stmt *s)
{
	struct rec_snap rec;
	const unsigned char *state, *blob;
	int32_t *tids = NULL;
	const char *data = "";
	size_t n, i;
	int r = 0;

	memset(&rec, 0, sizeof(rec));
	rec.tgid = (int32_t)col_i64(s, 1);
	rec.mono = (uint64_t)col_i64(s, 2);
	/* its capture, if it had an exec row made; else adopted */
	if (sqlite3_column_type(s, 8) != SQLITE_NULL)
		r = capture_of(b, col_i64(s, 8), rec.mono, &rec.cap, &data);
	else
		rec.cap.flags = PT_CAP_SNAPSHOT;
	if (r < 0)
		return r;
	rec.cap.start_ticks = (uint64_t)col_i64(s, 3);
	rec.cap.ppid = (int32_t)col_i64(s, 4);
	state = sqlite3_column_text(s, 5);
	rec.cap.state = state ? (char)state[0] : '\0';
	rec.cap.exit_code = (int32_t)col_i64(s, 6);
	blob = sqlite3_column_blob(s, 7);
	n = blob ? (size_t)sqlite3_column_bytes(s, 7) / 4 : 0;
	if (n) {
		tids = calloc(n, sizeof(*tids));
		if (!tids)
			return -ENOMEM;
		for (i = 0; i < n; i++)
			tids[i] = (int32_t)((uint32_t)blob[4 * i] |
			    (uint32_t)blob[4 * i + 1] << 8 |
			    (uint32_t)blob[4 * i + 2] << 16 |
			    (uint32_t)blob[4 * i + 3] << 24);
	}
	rec.ntids = (uint32_t)n;
	b->snaps++;
	r = tracker_snap(t, &rec, tids, data);
	free(tids);
	return r;
}

/* A cursor over one kind of source record, by stream position. */
struct cursor {
	sqlite3_stmt *s;
	int64_t pos;		/* of its current row; INT64_MAX: none */
};

static int
cursor_next(struct rb *b, struct cursor *c, int pos_col, int64_t session)
{
	int rc = sqlite3_step(c->s);

	if (rc == SQLITE_ROW && (session == 0 ||
	    col_i64(c->s, 1) == session)) {
		c->pos = col_i64(c->s, pos_col);
		return 0;
	}
	c->pos = INT64_MAX;
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_errno(b->db, rc);
}

/* Flush the tracker's rows (their transaction is the whole rebuild). */
static int
rb_flush(struct tracker *t)
{
	int r = tracker_flush(t);

	tracker_committed(t, r == 0);
	return r;
}

/* One session, its tracker as the collector's writer began it. */
static int
rebuild_session(struct rb *b, sqlite3_stmt *sess, int64_t *first_event)
{
	struct tracker_cfg tc;
	struct tracker *t = NULL;
	struct rows rows = {
		.ctx = b, .event = sink_event, .exec = sink_exec,
		.process = sink_process, .close = sink_close,
		.exec_drop = sink_exec_drop, .snap = sink_snap,
	};
	struct cursor ev = { b->x[X_EVENTS], 0 }, sn = { b->x[X_SNAPS], 0 },
	    gp = { b->x[X_GAPS], 0 }, ck = { b->x[X_CLOCKS], 0 };
	int64_t snapshot, m;
	int r;

	memset(&tc, 0, sizeof(tc));
	b->session = col_i64(sess, 0);
	tc.boot = col_i64(sess, 1);
	tc.mono_offset = col_i64(sess, 2);
	tc.boot_offset = col_i64(sess, 3);
	tc.btime = tc.mono_offset - tc.boot_offset;
	snapshot = sqlite3_column_type(sess, 4) == SQLITE_NULL ? INT64_MAX :
	    col_i64(sess, 4);
	r = store_max_ids(b->st, &tc.max_proc_id, &tc.max_exec_id);
	if (r == 0)
		r = tracker_new(&tc, &rows, &t);
	if (r == 0)
		r = store_open_rows(b->st, tracker_add_open, t);
	if (r < 0)
		goto out;
	b->next_exec = tc.max_exec_id + 1;
	r = db_bind_int64(ev.s, ":id", *first_event);
	r = r ? r : db_bind_int64(sn.s, ":session", b->session);
	r = r ? r : db_bind_int64(gp.s, ":session", b->session);
	r = r ? r : db_bind_int64(ck.s, ":session", b->session);
	r = r ? r : cursor_next(b, &ev, 0, b->session);
	r = r ? r : cursor_next(b, &sn, 0, 0);
	r = r ? r : cursor_next(b, &gp, 0, 0);
	r = r ? r : cursor_next(b, &ck, 0, 0);
	while (r == 0) {
		m = ev.pos;
		if (sn.pos < m)
			m = sn.pos;
		if (gp.pos < m)
			m = gp.pos;
		if (ck.pos < m)
			m = ck.pos;
		if (snapshot < m) {
			r = tracker_snap_done(t);
			snapshot = INT64_MAX;
		} else if (m == INT64_MAX) {
			break;
		} else if (m == ev.pos) {
			r = feed_event(b, t, ev.s);
			*first_event = ev.pos + 1;
			r = r ? r : cursor_next(b, &ev, 0, b->session);
		} else if (m == sn.pos) {
			r = feed_snap(b, t, sn.s);
			r = r ? r : cursor_next(b, &sn, 0, 0);
		} else if (m == gp.pos) {
			tracker_gap(t);
			r = cursor_next(b, &gp, 0, 0);
		} else {
			tracker_clock(t, (uint64_t)col_i64(ck.s, 1),
			    col_i64(ck.s, 3), col_i64(ck.s, 2));
			r = cursor_next(b, &ck, 0, 0);
		}
		if (r == 0 && ++b->records % FLUSH_EVERY == 0)
			r = rb_flush(t);
	}
	if (r == 0)
		r = rb_flush(t);
	b->sessions++;
out:
	sqlite3_reset(ev.s);
	sqlite3_reset(sn.s);
	sqlite3_reset(gp.s);
	sqlite3_reset(ck.s);
	tracker_free(t);
	return r;
}

/* What is copied as it is: every table but the derived ones. */
static const char copy_sql[] =
    "INSERT INTO main.boot SELECT * FROM old.boot;"
    "INSERT INTO main.session SELECT * FROM old.session;"
    "INSERT INTO main.gap SELECT * FROM old.gap;"
    "INSERT INTO main.clock SELECT * FROM old.clock;"
    "INSERT INTO main.cmdline SELECT * FROM old.cmdline;"
    "INSERT INTO main.file SELECT * FROM old.file;"
    "INSERT INTO main.cgroup SELECT * FROM old.cgroup;"
    "INSERT INTO main.ns SELECT * FROM old.ns;"
    "INSERT INTO main.snap SELECT * FROM old.snap;";

/* Rebuild in one transaction, left open (the caller commits): it reads
 * one snapshot of the old file, even one a collector writes. */
static int
rebuild_all(struct rb *b)
{
	sqlite3_stmt *sess = NULL;
	int64_t first_event = 0;
	int i, rc, r;

	for (i = 0, r = 0; i < X_COUNT && r == 0; i++)
		r = db_errno(b->db, sqlite3_prepare_v2(b->db, rb_sql[i], -1,
		    &b->x[i], NULL));
	if (r == 0)
		r = db_errno(b->db, sqlite3_prepare_v2(b->db, "SELECT id, boot,"
		    " mono_offset, boot_offset, snapshot FROM old.session"
		    " ORDER BY id", -1, &sess, NULL));
	if (r == 0)
		r = store_begin(b->st);
	if (r == 0)
		r = db_errno(b->db, sqlite3_exec(b->db, copy_sql, NULL, NULL,
		    NULL));
	while (r == 0 && (rc = sqlite3_step(sess)) == SQLITE_ROW)
		r = rebuild_session(b, sess, &first_event);
	if (r == 0 && rc != SQLITE_DONE)
		r = db_errno(b->db, rc);
	sqlite3_finalize(sess);
	return r;
}

/* --- The comparison --- */

/*
 * Per derived table: the columns compared, the differences in a list; and
 * one compared only where the old file knows it (a column added by a
 * later version, NULL in the rows written before), from that version.
 */
static const struct {
	const char *table;
	const char *cols[17];
	const char *known;
	int known_since;
} cmp[] = {
	{ "process", { "boot", "tgid", "start_ticks", "start", "parent",
	    "ppid", "end", "status", "uid", "euid", "gid", "egid", "comm",
	    "image", "execs", "flags" }, "forked_before_exec", 8 },
	{ "exec", { "process", "time", "capture" }, NULL, 0 },
	{ "event", { "process" }, NULL, 0 },
};

/* SELECT table, id, what differs: the rows missing on one side, the
 * columns that differ.  (Names from the list above: no outside input.) */
static char *
cmp_sql(int k, int version)
{
	const char *known = version >= cmp[k].known_since ? cmp[k].known :
	    NULL;
	char *sql, *p;
	size_t size = 4096;
	int c;

	sql = p = malloc(size);
	if (!sql)
		return NULL;
	p += sprintf(p, "SELECT '%s', coalesce(o.id, n.id), CASE"
	    " WHEN n.id IS NULL THEN 'not rebuilt'"
	    " WHEN o.id IS NULL THEN 'only in the rebuild' ELSE trim(''",
	    cmp[k].table);
	for (c = 0; cmp[k].cols[c]; c++)
		p += sprintf(p, " || CASE WHEN o.%s IS NOT n.%s THEN ' %s'"
		    " ELSE '' END", cmp[k].cols[c], cmp[k].cols[c],
		    cmp[k].cols[c]);
	if (known)
		p += sprintf(p, " || CASE WHEN o.%s IS NOT NULL AND o.%s IS NOT"
		    " n.%s THEN ' %s' ELSE '' END", known, known, known, known);
	p += sprintf(p, ") END FROM old.%s o FULL JOIN main.%s n"
	    " ON n.id = o.id WHERE o.id IS NULL OR n.id IS NULL",
	    cmp[k].table, cmp[k].table);
	for (c = 0; cmp[k].cols[c]; c++)
		p += sprintf(p, " OR o.%s IS NOT n.%s", cmp[k].cols[c],
		    cmp[k].cols[c]);
	if (known)
		p += sprintf(p, " OR (o.%s IS NOT NULL AND o.%s IS NOT n.%s)",
		    known, known, known);
	p += sprintf(p, " ORDER BY 2");
	return sql;
}

static const struct out_col sum_cols[] = {
	{ "database", 0 }, { "rebuilt", 0 }, { "sessions", OUT_NUM },
	{ "processes", OUT_NUM }, { "execs", OUT_NUM }, { "events", OUT_NUM },
	{ "snapshot", OUT_NUM }, { "differences", OUT_NUM }, { "result", 0 },
};
static const struct out_col diff_cols[] = {
	{ "table", 0 }, { "id", OUT_NUM }, { "differs", 0 },
};

/* Compare: the first differences into temp.diff, how many rows differ
 * in *ret_diff, the new file's process rows in *ret_proc. */
static int
compare(struct rb *b, int64_t *ret_diff, int64_t *ret_proc)
{
	sqlite3_stmt *s;
	int64_t ndiff = 0, nproc = 0;
	char *sql;
	int k, rc, r = 0;

	/* the differences first (counted), printed after the summary */
	r = db_errno(b->db, sqlite3_exec(b->db, "CREATE TEMP TABLE diff("
	    "t TEXT, id INTEGER, what TEXT)", NULL, NULL, NULL));
	for (k = 0; k < (int)(sizeof(cmp) / sizeof(cmp[0])) && r == 0; k++) {
		sql = cmp_sql(k, b->q->version);
		if (!sql)
			return -ENOMEM;
		r = db_errno(b->db, sqlite3_prepare_v2(b->db, sql, -1, &s,
		    NULL));
		free(sql);
		if (r < 0)
			return r;
		sqlite3_stmt *ins;

		r = db_errno(b->db, sqlite3_prepare_v2(b->db, "INSERT INTO"
		    " temp.diff VALUES (?1, ?2, ?3)", -1, &ins, NULL));
		while (r == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
			ndiff++;
			if (ndiff > SHOW_MAX)
				continue;
			sqlite3_bind_value(ins, 1, sqlite3_column_value(s, 0));
			sqlite3_bind_value(ins, 2, sqlite3_column_value(s, 1));
			sqlite3_bind_value(ins, 3, sqlite3_column_value(s, 2));
			r = step_done(b->db, ins);
		}
		if (r == 0 && rc != SQLITE_DONE)
			r = db_errno(b->db, rc);
		sqlite3_finalize(ins);
		sqlite3_finalize(s);
	}
	if (r == 0) {
		r = db_errno(b->db, sqlite3_prepare_v2(b->db,
		    "SELECT count(*) FROM main.process", -1, &s, NULL));
		if (r == 0 && sqlite3_step(s) == SQLITE_ROW)
			nproc = col_i64(s, 0);
		sqlite3_finalize(s);
	}
	if (r < 0)
		return r;
	*ret_diff = ndiff;
	*ret_proc = nproc;
	return 0;
}

static int
print(struct rb *b, const char *newpath, int64_t ndiff, int64_t nproc)
{
	struct out *o = b->q->out;
	sqlite3_stmt *s;
	int r, shown = 0;

	r = out_table_begin(o, "summary", sum_cols, 9, OUT_RECORD);
	r = r ? r : out_str(o, b->q->dbpath);
	r = r ? r : out_str(o, newpath);
	r = r ? r : out_int(o, b->sessions);
	r = r ? r : out_int(o, nproc);
	r = r ? r : out_int(o, b->execs);
	r = r ? r : out_int(o, b->events);
	r = r ? r : out_int(o, b->snaps);
	r = r ? r : out_int(o, ndiff);
	r = r ? r : out_str(o, ndiff ? "differs" : "identical");
	r = r ? r : out_table_end(o);
	if (r < 0)
		return r;
	r = db_errno(b->db, sqlite3_prepare_v2(b->db, "SELECT t, id, what"
	    " FROM temp.diff", -1, &s, NULL));
	if (r < 0)
		return r;
	r = out_table_begin(o, "differences", diff_cols, 3, 0);
	while (r == 0 && sqlite3_step(s) == SQLITE_ROW && shown++ < SHOW_MAX) {
		r = out_str(o, (const char *)sqlite3_column_text(s, 0));
		r = r ? r : out_int(o, col_i64(s, 1));
		r = r ? r : out_str(o, (const char *)sqlite3_column_text(s, 2));
	}
	sqlite3_finalize(s);
	return r ? r : out_table_end(o);
}

/* --- The command --- */

/* The new file on disk (it was made without a journal or syncs). */
static int
sync_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), r = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		r = -errno;
	close(fd);
	return r;
}

/* Sessions recorded before version 7 (no positions): the first, or 0. */
static int
pre_sources(struct rb *b, int64_t *ret)
{
	sqlite3_stmt *s;
	int r;

	*ret = 0;
	r = db_errno(b->db, sqlite3_prepare_v2(b->db, "SELECT min(id) FROM"
	    " old.session WHERE boot_offset IS NULL", -1, &s, NULL));
	if (r < 0)
		return r;
	r = sqlite3_step(s);
	if (r == SQLITE_ROW)
		*ret = col_i64(s, 0);
	r = r == SQLITE_ROW || r == SQLITE_DONE ? 0 : db_errno(b->db, r);
	sqlite3_finalize(s);
	return r;
}

const struct option q_opts_rebuild[] = {
	Q_COMMON_LONGOPTS,
	{ "check", no_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

int
cmd_rebuild(struct qctx *q, int argc, char **argv)
{
	struct rb b;
	char tmpdir[PATH_MAX] = "", tmpfile[PATH_MAX + 16], uri[PATH_MAX * 3 + 64];
	const char *newpath = NULL, *dir;
	sqlite3_stmt *att;
	int64_t pre, ndiff = 0, nproc = 0;
	int c, code, check = 0, i, r, fd, built = 0;

	while ((c = q_getopt(q, argc, argv, "h", q_opts_rebuild, &code)) >= 0)
		if (c == 'c')
			check = 1;
	if (c == Q_OPT_EXIT)
		return code;
	if (optind < argc)
		newpath = argv[optind++];
	if (optind < argc) {
		warnx("rebuild: unexpected argument '%s'", argv[optind]);
		return EX_USAGE;
	}
	if (!newpath && !check) {
		warnx("rebuild: the new file's path is missing (or --check"
		    " alone, to compare through a temporary file)");
		q_usage("rebuild", 1);
		return EX_USAGE;
	}
	code = q_open(q);
	if (code)
		return code;
	if (q->version < 7) {
		warnx("%s: schema version %d keeps no sources to rebuild from"
		    " (version 7 on does: history a collector of this version"
		    " records)", q->dbpath, q->version);
		return EX_PROBLEM;
	}
	if (!newpath) {
		dir = getenv("TMPDIR");
		snprintf(tmpdir, sizeof(tmpdir), "%s/proctrail-rebuild-XXXXXX",
		    dir && *dir ? dir : "/tmp");
		if (!mkdtemp(tmpdir)) {
			warn("rebuild: %s", tmpdir);
			return EX_INTERNAL;
		}
		snprintf(tmpfile, sizeof(tmpfile), "%s/rebuilt.db", tmpdir);
		newpath = tmpfile;
	}
	memset(&b, 0, sizeof(b));
	b.q = q;
	/* made here, never an existing file */
	fd = open(newpath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd < 0) {
		code = errno == EEXIST ? EX_USAGE : EX_DB;
		if (errno == EEXIST)
			warnx("rebuild: %s exists; the rebuild writes a new"
			    " file", newpath);
		else
			warn("rebuild: %s", newpath);
		newpath = tmpdir[0] ? newpath : NULL;	/* not ours */
		goto out;
	}
	close(fd);
	r = store_open(newpath, &b.st);
	if (r < 0) {
		warnx("%s: %s", newpath, db_strerror(r));
		code = r == -ENOMEM ? EX_INTERNAL : EX_DB;
		goto out;
	}
	b.db = store_db(b.st);
	sqlite3_progress_handler(b.db, 10000, q_progress, q);
	/* a file made whole or removed: no journal while it is made (the
	 * collector's WAL mode is set again at the end), a large cache */
	(void)sqlite3_exec(b.db, "PRAGMA journal_mode = OFF;"
	    " PRAGMA synchronous = OFF; PRAGMA cache_size = -262144", NULL,
	    NULL, NULL);
	/* read as every command reads it: nothing appears next to a file
	 * nobody writes */
	r = db_ro_uri(q->dbpath, uri, sizeof(uri));
	if (r == 0)
		r = db_errno(b.db, sqlite3_prepare_v2(b.db, "ATTACH ?1 AS old",
		    -1, &att, NULL));
	if (r == 0) {
		sqlite3_bind_text(att, 1, uri, -1, SQLITE_STATIC);
		r = step_done(b.db, att);
		sqlite3_finalize(att);
	}
	if (r == 0)
		r = pre_sources(&b, &pre);
	if (r == 0 && pre) {
		warnx("%s: session %lld was recorded before schema version 7,"
		    " without the sources to rebuild from", q->dbpath,
		    (long long)pre);
		code = EX_PROBLEM;
		goto out;
	}
	if (r == 0)
		r = rebuild_all(&b);
	/* compared in the same transaction: the same snapshot of the old */
	if (r == 0)
		r = compare(&b, &ndiff, &nproc);
	if (r == 0)
		r = store_commit(b.st);
	else
		store_rollback(b.st);
	if (r == 0)
		r = db_errno(b.db, sqlite3_exec(b.db, "PRAGMA main.journal_mode ="
		    " WAL", NULL, NULL, NULL));
	if (r == 0 && !tmpdir[0])
		r = sync_file(newpath);
	if (r == 0)
		built = 1;
	if (r == 0)
		r = print(&b, tmpdir[0] ? NULL : newpath, ndiff, nproc);
	if (r == -EPROTO) {
		warnx("%s: rebuild: the exec rows are out of step with the"
		    " events from event id %lld on (rows deleted, or sessions"
		    " that cannot be derived again): no rebuild", q->dbpath,
		    (long long)b.out_of_step);
		code = EX_PROBLEM;
		goto out;
	}
	if (r < 0) {
		code = q_fail(q, r, "rebuild");
		goto out;
	}
	code = check && ndiff ? EX_PROBLEM : EX_OK;
out:
	for (i = 0; i < X_COUNT; i++)
		sqlite3_finalize(b.x[i]);
	store_close(b.st);
	free(b.data);
	/* a temporary file goes; so does a new one not made whole */
	if (newpath && (tmpdir[0] || !built)) {
		static const char *const sfx[] = { "", "-wal", "-shm" };

		for (i = 0; i < 3; i++) {
			snprintf(uri, sizeof(uri), "%s%s", newpath, sfx[i]);
			(void)unlink(uri);
		}
	}
	if (tmpdir[0])
		(void)rmdir(tmpdir);
	return code;
}
