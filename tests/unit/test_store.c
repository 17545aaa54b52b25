/*
 * store.c against a temporary database: events and execs go in by a
 * 64-row INSERT and one by one for the rest of a batch (or when the exec
 * data waiting passes 1 MiB), statements are never cleared between rows,
 * and a rollback forgets the rows not inserted yet.  Every column of every
 * row is read back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "store.h"
#include "tmpstore.h"

static struct store *st;

/* Event i of a made-up stream: each kind in turn, fields from i. */
static struct pt_event
make(int i)
{
	static const uint32_t kinds[] = { PT_EV_FORK, PT_EV_EXEC, PT_EV_UID,
	    PT_EV_COMM, PT_EV_EXIT, PT_EV_GID, PT_EV_SID, PT_EV_PTRACE,
	    PT_EV_COREDUMP };
	struct pt_event e;

	memset(&e, 0, sizeof(e));
	e.what = kinds[i % 9];
	e.ts = 1000000ull + (uint64_t)i;
	e.cpu = (uint32_t)(i & 1);
	e.pid = 1000 + i;
	e.tgid = 2000 + i;
	e.ppid = 3000 + i;
	e.ptgid = 4000 + i;
	e.status = (uint32_t)(5000 + i);
	e.signal = 17;
	e.rid = (uint32_t)(6000 + i);
	e.eid = (uint32_t)(7000 + i);
	snprintf(e.comm, sizeof(e.comm), "comm%d", i);
	return e;
}

/* Compare one event row against event i; returns the columns that differ. */
static int
row_ok(sqlite3_stmt *s, int i, int64_t session)
{
	struct pt_event e = make(i);
	bool fork_like = e.what == PT_EV_FORK || e.what == PT_EV_PTRACE ||
	    e.what == PT_EV_COREDUMP || e.what == PT_EV_EXIT;
	bool ids = e.what == PT_EV_UID || e.what == PT_EV_GID;
	bool ex = e.what == PT_EV_EXIT;
	int bad = 0;

#define COL_INT(c, want, present) do { \
	if ((present) ? sqlite3_column_type(s, c) != SQLITE_INTEGER || \
	    sqlite3_column_int64(s, c) != (int64_t)(want) : \
	    sqlite3_column_type(s, c) != SQLITE_NULL) { \
		fprintf(stderr, "event %d column %d wrong\n", i, c); \
		bad++; \
	} \
} while (0)
	COL_INT(0, session, true);
	COL_INT(1, e.ts, true);
	COL_INT(2, e.cpu, true);
	COL_INT(3, e.what, true);
	COL_INT(4, e.pid, true);
	COL_INT(5, e.tgid, true);
	COL_INT(6, e.ppid, fork_like);
	COL_INT(7, e.ptgid, fork_like);
	COL_INT(8, e.status, ex);
	COL_INT(9, e.signal, ex);
	COL_INT(10, e.rid, ids);
	COL_INT(11, e.eid, ids);
	COL_INT(13, i + 1, i % 5 != 0);	/* process: NULL for every fifth */
#undef COL_INT
	if (e.what == PT_EV_COMM ?
	    !sqlite3_column_text(s, 12) ||
	    strcmp((const char *)sqlite3_column_text(s, 12), e.comm) != 0 :
	    sqlite3_column_type(s, 12) != SQLITE_NULL) {
		fprintf(stderr, "event %d comm wrong\n", i);
		bad++;
	}
	return bad;
}

static void
add(int from, int to, int64_t session)
{
	struct pt_event e;
	int i;

	for (i = from; i < to; i++) {
		e = make(i);
		CHECK_EQ(store_event(st, session, &e, i % 5 ? i + 1 : 0), 0);
	}
}

/* Rows in event, and each one against the stream, in id order. */
static void
check_rows(int want, const int *index, int64_t session)
{
	sqlite3_stmt *s;
	int n = 0, bad = 0;

	CHECK_EQ(sqlite3_prepare_v2(store_db(st), "SELECT session, mono, cpu,"
	    " type, pid, tgid, ppid, ptgid, status, signal, rid, eid, comm,"
	    " process FROM event ORDER BY id", -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (n < want)
			bad += row_ok(s, index[n], session);
		n++;
	}
	sqlite3_finalize(s);
	CHECK_EQ(n, want);
	CHECK_EQ(bad, 0);
}

/* Exec i: argv of a length from i (sometimes huge, empty or missing). */
static size_t
make_exec(int i, struct pt_capture *cap, char *data)
{
	size_t argv_len = (size_t)(i * 37) % 300, n;
	char *p = data;

	memset(cap, 0, sizeof(*cap));
	cap->flags = PT_CAP_ARGV | PT_CAP_EXE | PT_CAP_CWD | PT_CAP_VERIFIED;
	if (i % 7 == 0)
		argv_len = 0;			/* captured, empty */
	if (i % 11 == 0) {
		cap->flags &= ~(unsigned)PT_CAP_ARGV;	/* not captured */
		argv_len = 0;
	}
	if (i % 50 == 3)
		argv_len = 400000;		/* passes the data bound */
	for (n = 0; n < argv_len; n++)
		*p++ = (char)(n % 17 ? 'a' + (i + (int)n) % 26 : 0);
	cap->argv_len = (uint32_t)argv_len;
	cap->exe_len = (uint16_t)sprintf(p, "/usr/bin/prog%d", i);
	p += cap->exe_len;
	if (i % 3) {
		cap->cwd_len = (uint16_t)sprintf(p, "/home/u%d", i);
		p += cap->cwd_len;
	} else {
		cap->flags &= ~(unsigned)PT_CAP_CWD;
	}
	if (i % 2) {
		cap->flags |= PT_CAP_CREDS | PT_CAP_COMM;
		cap->uid = (uint32_t)i;
		cap->euid = (uint32_t)i + 1;
		cap->gid = (uint32_t)i + 2;
		cap->egid = (uint32_t)i + 3;
		snprintf(cap->comm, sizeof(cap->comm), "c%d", i);
	}
	return (size_t)(p - data);
}

static long long count(const char *sql);

/* Exec id with argv (len bytes, or not captured if argv is NULL). */
static void
exec_argv(int64_t id, const char *argv, size_t len)
{
	struct pt_capture cap;

	memset(&cap, 0, sizeof(cap));
	cap.flags = argv ? PT_CAP_ARGV | PT_CAP_VERIFIED : 0;
	cap.argv_len = (uint32_t)len;
	CHECK_EQ(store_exec(st, id, 1, 1, 1, cap.flags, &cap, argv ? argv : ""), 0);
}

/* Command lines are stored once while remembered; a rollback forgets the
 * ones it added. */
static void
cmdlines(void)
{
	static const char ls[] = "ls\0-l\0", gone[] = "rolled\0back\0";
	int i;

	CHECK_EQ(store_begin(st), 0);
	exec_argv(300000, ls, 6);
	exec_argv(300001, ls, 6);
	exec_argv(300002, "", 0);		/* captured, empty */
	exec_argv(300003, NULL, 0);		/* not captured */
	CHECK_EQ(store_commit(st), 0);
	CHECK_EQ(count("SELECT count(*) FROM cmdline WHERE argv = X'6c73002d6c00'"),
	    1);
	CHECK_EQ(count("SELECT count(DISTINCT cmdline) FROM exec WHERE id IN"
	    " (300000, 300001) AND cmdline = (SELECT id FROM cmdline WHERE"
	    " argv = X'6c73002d6c00')"), 1);
	CHECK_EQ(count("SELECT count(*) FROM exec x JOIN cmdline c ON"
	    " c.id = x.cmdline WHERE x.id = 300002 AND c.argv = X''"), 1);
	CHECK_EQ(count("SELECT count(*) FROM exec WHERE id = 300003 AND"
	    " cmdline IS NULL"), 1);
	/* 65 rows flush 64 inside the transaction: the line is inserted, and
	 * cached, then rolled back */
	CHECK_EQ(store_begin(st), 0);
	for (i = 0; i < 65; i++)
		exec_argv(300100 + i, gone, 12);
	store_rollback(st);
	CHECK_EQ(count("SELECT count(*) FROM cmdline WHERE argv ="
	    " X'726f6c6c6564006261636b00'"), 0);
	CHECK_EQ(store_begin(st), 0);
	exec_argv(300200, gone, 12);
	exec_argv(300201, ls, 6);
	CHECK_EQ(store_commit(st), 0);
	CHECK_EQ(count("SELECT count(*) FROM exec x JOIN cmdline c ON"
	    " c.id = x.cmdline WHERE x.id = 300200 AND"
	    " c.argv = X'726f6c6c6564006261636b00'"), 1);
	/* the rollback emptied the cache: ls stored again, a repeated row */
	CHECK_EQ(count("SELECT count(*) FROM exec x JOIN cmdline c ON"
	    " c.id = x.cmdline WHERE x.id = 300201 AND c.argv = X'6c73002d6c00'"),
	    1);
	CHECK_EQ(count("SELECT count(*) FROM cmdline WHERE argv = X'6c73002d6c00'"),
	    2);
	/* after retention deleted lines (store_forget_cmdlines), a line
	 * deleted behind the cache is stored again */
	CHECK_EQ(sqlite3_exec(store_db(st), "DELETE FROM exec WHERE id >= 300000;"
	    " DELETE FROM cmdline WHERE id NOT IN (SELECT cmdline FROM exec"
	    " WHERE cmdline IS NOT NULL)", NULL, NULL, NULL), SQLITE_OK);
	store_forget_cmdlines(st);
	CHECK_EQ(store_begin(st), 0);
	exec_argv(300300, ls, 6);
	CHECK_EQ(store_commit(st), 0);
	CHECK_EQ(count("SELECT count(*) FROM exec x JOIN cmdline c ON"
	    " c.id = x.cmdline WHERE x.id = 300300 AND c.argv = X'6c73002d6c00'"),
	    1);
	/* a long line is not remembered (the cache stays small): stored
	 * at each exec */
	{
		static char big[2000];

		memset(big, 'x', sizeof(big) - 1);
		CHECK_EQ(store_begin(st), 0);
		exec_argv(300350, big, sizeof(big));
		exec_argv(300351, big, sizeof(big));
		CHECK_EQ(store_commit(st), 0);
		CHECK_EQ(count("SELECT count(DISTINCT c.id) FROM exec x JOIN"
		    " cmdline c ON c.id = x.cmdline WHERE x.id IN (300350,"
		    " 300351) AND length(c.argv) = 2000"), 2);
	}
	/* dropped captures: a line only they ran goes (the cache forgets
	 * it), one another exec runs stays */
	CHECK_EQ(store_begin(st), 0);
	exec_argv(300400, "own\0", 4);
	exec_argv(300401, ls, 6);
	CHECK_EQ(store_exec_drop(st, 1, 300400, 300401, PT_CAP_RACED), 0);
	exec_argv(300402, "own\0", 4);
	CHECK_EQ(store_commit(st), 0);
	CHECK_EQ(count("SELECT count(*) FROM exec WHERE id IN (300400, 300401)"
	    " AND cmdline IS NULL"), 2);
	CHECK_EQ(count("SELECT count(*) FROM cmdline WHERE argv = X'6f776e00'"),
	    1);
	CHECK_EQ(count("SELECT count(*) FROM exec x JOIN cmdline c ON"
	    " c.id = x.cmdline WHERE x.id = 300402 AND c.argv = X'6f776e00'"), 1);
	CHECK_EQ(count("SELECT count(*) FROM exec x JOIN cmdline c ON"
	    " c.id = x.cmdline WHERE x.id = 300300 AND c.argv = X'6c73002d6c00'"),
	    1);
}

/* Execs from..to-1 stored, then read back by id. */
static void
execs(int from, int to, bool commit)
{
	static char data[500000], want[500000];
	struct pt_capture cap;
	sqlite3_stmt *s;
	const void *blob;
	int i, bad = 0, n = 0;

	CHECK_EQ(store_begin(st), 0);
	for (i = from; i < to; i++) {
		make_exec(i, &cap, data);
		CHECK_EQ(store_exec(st, 100000 + i, i + 1, 5000 + i, 5000 + i,
		    cap.flags, &cap, data), 0);
	}
	if (!commit) {
		store_rollback(st);
		return;
	}
	CHECK_EQ(store_commit(st), 0);
	CHECK_EQ(sqlite3_prepare_v2(store_db(st), "SELECT x.process, x.time,"
	    " c.argv, x.exe, x.cwd, x.cgroup, x.comm, x.uid, x.euid, x.gid,"
	    " x.egid, x.capture FROM exec x LEFT JOIN cmdline c"
	    " ON c.id = x.cmdline WHERE x.id = ?", -1, &s, NULL), SQLITE_OK);
	for (i = from; i < to; i++) {
		make_exec(i, &cap, want);
		sqlite3_bind_int64(s, 1, 100000 + i);
		if (sqlite3_step(s) != SQLITE_ROW) {
			bad++;
			sqlite3_reset(s);
			continue;
		}
		n++;
		blob = sqlite3_column_blob(s, 2);
		if (sqlite3_column_int64(s, 0) != i + 1 ||
		    sqlite3_column_int64(s, 1) != 5000 + i ||
		    sqlite3_column_int64(s, 11) != cap.flags)
			bad++;
		if (!(cap.flags & PT_CAP_ARGV) ?
		    sqlite3_column_type(s, 2) != SQLITE_NULL :
		    sqlite3_column_type(s, 2) != SQLITE_BLOB ||
		    sqlite3_column_bytes(s, 2) != (int)cap.argv_len ||
		    (cap.argv_len && memcmp(blob, want, cap.argv_len) != 0))
			bad++, fprintf(stderr, "exec %d argv wrong\n", i);
		if (sqlite3_column_bytes(s, 3) != cap.exe_len ||
		    memcmp(sqlite3_column_text(s, 3), want + cap.argv_len,
		    cap.exe_len) != 0)
			bad++, fprintf(stderr, "exec %d exe wrong\n", i);
		if (cap.cwd_len ? sqlite3_column_bytes(s, 4) != cap.cwd_len :
		    sqlite3_column_type(s, 4) != SQLITE_NULL)
			bad++, fprintf(stderr, "exec %d cwd wrong\n", i);
		if (sqlite3_column_type(s, 5) != SQLITE_NULL)
			bad++;
		if (cap.flags & PT_CAP_CREDS ?
		    sqlite3_column_int64(s, 7) != i ||
		    sqlite3_column_int64(s, 10) != i + 3 ||
		    strcmp((const char *)sqlite3_column_text(s, 6),
		    cap.comm) != 0 :
		    sqlite3_column_type(s, 6) != SQLITE_NULL ||
		    sqlite3_column_type(s, 8) != SQLITE_NULL)
			bad++, fprintf(stderr, "exec %d creds wrong\n", i);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	CHECK_EQ(n, to - from);
	CHECK_EQ(bad, 0);
}

static long long
count(const char *sql)
{
	sqlite3_stmt *s;
	long long v = -1;

	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/*
 * The stream position: event ids and the other records' pos number the
 * records in the order they are stored; the writer's own gaps have none;
 * a rolled-back transaction's numbers are given again.
 */
static void
positions(int64_t session)
{
	struct pt_event e = make(1);
	struct rec_snap sn;
	int32_t tids[2] = { 70000, 0x01020304 };
	long long base = count("SELECT max(id) FROM event");
	char sql[256];

	memset(&sn, 0, sizeof(sn));
	sn.tgid = 42;
	sn.ntids = 2;
	sn.mono = 9;
	sn.cap.start_ticks = 77;
	sn.cap.state = 'Z';
	sn.cap.exit_code = 256;
	CHECK_EQ(store_begin(st), 0);
	CHECK_EQ(store_event(st, session, &e, 0), 0);
	CHECK_EQ(store_gap(st, session, "seq", 1, 2, 0, 1, true), 0);
	CHECK_EQ(store_gap(st, session, "write_error", 1, 2, -1, 1, false), 0);
	CHECK_EQ(store_clock(st, session, 5, 6, 7), 0);
	CHECK_EQ(store_snap(st, session, &sn, tids, 0), 0);
	CHECK_EQ(store_snapshot_done(st, session), 0);
	CHECK_EQ(store_event(st, session, &e, 0), 0);
	CHECK_EQ(store_commit(st), 0);
	snprintf(sql, sizeof(sql), "SELECT min(id) - %lld FROM event WHERE"
	    " id > %lld", base, base);
	CHECK_EQ(count(sql), 1);
	CHECK_EQ(count("SELECT max(id) FROM event") - base, 6);
	snprintf(sql, sizeof(sql), "SELECT pos - %lld FROM gap WHERE kind ="
	    " 'seq'", base);
	CHECK_EQ(count(sql), 2);
	CHECK_EQ(count("SELECT count(*) FROM gap WHERE kind = 'write_error'"
	    " AND pos IS NULL"), 1);
	snprintf(sql, sizeof(sql), "SELECT pos - %lld FROM clock", base);
	CHECK_EQ(count(sql), 3);
	snprintf(sql, sizeof(sql), "SELECT pos - %lld FROM snap WHERE tgid ="
	    " 42 AND mono = 9 AND start_ticks = 77 AND state = 'Z' AND"
	    " exit_code = 256 AND exec IS NULL AND hex(tids) ="
	    " '7011010004030201'", base);
	CHECK_EQ(count(sql), 4);
	snprintf(sql, sizeof(sql), "SELECT snapshot - %lld FROM session", base);
	CHECK_EQ(count(sql), 5);
	/* rolled back: the next commit numbers from the same place */
	CHECK_EQ(store_begin(st), 0);
	CHECK_EQ(store_event(st, session, &e, 0), 0);
	CHECK_EQ(store_gap(st, session, "seq", 1, 2, 0, 1, true), 0);
	store_rollback(st);
	CHECK_EQ(store_begin(st), 0);
	CHECK_EQ(store_event(st, session, &e, 0), 0);
	CHECK_EQ(store_commit(st), 0);
	CHECK_EQ(count("SELECT max(id) FROM event") - base, 7);
}

int
main(void)
{
	char path[] = "/tmp/pt-test-store-XXXXXX";
	int64_t boot, session;
	int idx[512], n = 0, i;

	st = tmpstore_open(path, &boot, &session);

	/* 64 + 64 by the multi-row INSERT, 5 one by one at commit */
	CHECK_EQ(store_begin(st), 0);
	add(0, 133, session);
	CHECK_EQ(store_commit(st), 0);
	for (i = 0; i < 133; i++)
		idx[n++] = i;
	check_rows(n, idx, session);

	/* a rolled-back batch leaves nothing, buffered or inserted */
	CHECK_EQ(store_begin(st), 0);
	add(133, 133 + 70, session);
	store_rollback(st);
	check_rows(n, idx, session);

	/* fewer than 64: one by one only; then exactly 64 */
	CHECK_EQ(store_begin(st), 0);
	add(300, 310, session);
	CHECK_EQ(store_commit(st), 0);
	for (i = 300; i < 310; i++)
		idx[n++] = i;
	CHECK_EQ(store_begin(st), 0);
	add(310, 374, session);
	CHECK_EQ(store_commit(st), 0);
	for (i = 310; i < 374; i++)
		idx[n++] = i;
	check_rows(n, idx, session);

	/* execs: 2 x 64 at once and 2 one by one, with 400 kB argvs among
	 * them (the 1 MiB bound flushes early); then a rollback */
	execs(0, 130, true);
	execs(130, 200, false);
	CHECK_EQ(count("SELECT count(*) FROM exec"), 130);
	execs(200, 264, true);
	CHECK_EQ(count("SELECT count(*) FROM exec"), 194);
	cmdlines();
	positions(session);

	tmpstore_close(st, path);
	return check_done("store");
}
