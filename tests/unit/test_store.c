/*
 * store.c against a temporary database: events go in by a 64-row INSERT
 * and one by one for the rest of a batch, statements are never cleared
 * between rows, and a rollback forgets the events not inserted yet.  Every
 * column of every row is read back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "store.h"

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

int
main(void)
{
	char path[] = "/tmp/pt-test-store-XXXXXX";
	char p2[64];
	int64_t boot, session;
	int idx[512], n = 0, i, fd;

	fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	unlink(path);
	CHECK_EQ(store_open(path, &st), 0);
	CHECK_EQ(store_boot(st, "test-boot", "host", 0, &boot), 0);
	CHECK_EQ(store_session_start(st, boot, 1, 0, 0, 0, &session), 0);

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

	store_close(st);
	unlink(path);
	snprintf(p2, sizeof(p2), "%s-wal", path);
	unlink(p2);
	snprintf(p2, sizeof(p2), "%s-shm", path);
	unlink(p2);
	return check_done("store");
}
