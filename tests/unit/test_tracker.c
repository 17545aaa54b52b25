/*
 * The instance state machine against a real SQLite file: lineage, threads,
 * exec by a non-leader thread, PID reuse with a late EXIT, unknown
 * processes, credentials, a rolled-back batch.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "store.h"
#include "tmpstore.h"
#include "tracker.h"

static struct store *st;
static struct tracker *tr;
static uint64_t now = 1000000000ull;	/* mono ns */

static struct pt_event
ev(uint32_t what, int32_t pid, int32_t tgid)
{
	struct pt_event e;

	memset(&e, 0, sizeof(e));
	e.what = what;
	e.pid = pid;
	e.tgid = tgid;
	e.ts = (now += 1000000);	/* 1 ms apart */
	return e;
}

static void
feed(struct pt_event e)
{
	CHECK_EQ(tracker_event(tr, &e), 0);
}

static void
fork_(int32_t parent, int32_t child, int32_t child_tgid)
{
	struct pt_event e = ev(PT_EV_FORK, child, child_tgid);

	e.ppid = parent;
	e.ptgid = parent;
	feed(e);
}

static void
exit_(int32_t pid, int32_t tgid, uint32_t status)
{
	struct pt_event e = ev(PT_EV_EXIT, pid, tgid);

	e.status = status;
	e.signal = pid == tgid ? 17 : -1;
	feed(e);
}

static void
exec_(int32_t tgid, const char *argv, size_t argv_len)
{
	struct pt_event e = ev(PT_EV_EXEC, tgid, tgid);
	struct pt_capture cap;

	memset(&cap, 0, sizeof(cap));
	cap.flags = PT_CAP_ARGV | PT_CAP_VERIFIED | PT_CAP_CREDS | PT_CAP_COMM;
	cap.argv_len = (uint32_t)argv_len;
	cap.uid = cap.euid = 1000;
	cap.gid = cap.egid = 100;
	snprintf(cap.comm, sizeof(cap.comm), "%s", argv);
	CHECK_EQ(tracker_exec(tr, &e, &cap, argv), 0);
}

static void
commit(void)
{
	CHECK_EQ(tracker_flush(tr), 0);
	CHECK_EQ(store_commit(st), 0);
	tracker_committed(tr, true);
	CHECK_EQ(store_begin(st), 0);
}

/* One integer from SQL with one integer parameter. */
static long long
q1(const char *sql, long long arg)
{
	sqlite3_stmt *s;
	long long v = -999;

	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "sql: %s\n", sqlite3_errmsg(store_db(st)));
		return -998;
	}
	sqlite3_bind_int64(s, 1, arg);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_type(s, 0) == SQLITE_NULL ? -1 :
		    sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

#define LIVE(tgid) q1("SELECT id FROM process WHERE tgid = ? AND end IS NULL", tgid)
#define LAST(tgid) q1("SELECT max(id) FROM process WHERE tgid = ?", tgid)

static void
snapshot_init(void)
{
	struct {
		struct rec_snap s;
		char data[16];
	} r;

	memset(&r, 0, sizeof(r));
	r.s.tgid = 1000;
	r.s.mono = now;
	r.s.cap.flags = PT_CAP_SNAPSHOT | PT_CAP_VERIFIED | PT_CAP_ARGV |
	    PT_CAP_CREDS;
	r.s.cap.start_ticks = 5;
	r.s.cap.ppid = 1;
	r.s.cap.argv_len = 5;
	memcpy(r.data, "init", 5);
	CHECK_EQ(tracker_snap(tr, &r.s, NULL, r.data), 0);
	CHECK_EQ(tracker_snap_done(tr), 0);
}

int
main(void)
{
	char path[] = "/tmp/pt-test-tracker-XXXXXX";
	struct tracker_cfg cfg;
	int64_t boot, session, p1000, p2000, p3000, old4000, new4000;

	st = tmpstore_open(path, &boot, &session);
	memset(&cfg, 0, sizeof(cfg));
	cfg.session = session;
	cfg.boot = boot;
	cfg.mono_offset = 1700000000000000000LL;
	CHECK_EQ(tracker_new(st, &cfg, &tr), 0);
	CHECK_EQ(store_begin(st), 0);

	snapshot_init();
	commit();
	p1000 = LIVE(1000);
	CHECK(p1000 > 0);
	CHECK_EQ(q1("SELECT flags & 1 FROM process WHERE id = ?", p1000), 1);

	/* fork + exec + exit, inherited credentials, argv kept as bytes */
	fork_(1000, 2000, 2000);
	exec_(2000, "ls\0-l\0", 6);
	commit();
	p2000 = LIVE(2000);
	CHECK_EQ(q1("SELECT parent FROM process WHERE id = ?", p2000), p1000);
	CHECK_EQ(q1("SELECT length(argv) FROM exec WHERE process = ?", p2000), 6);
	CHECK_EQ(q1("SELECT count(*) FROM processes WHERE id = ? AND argv ="
	    " 'ls -l' AND comm = 'ls' AND uid = 1000", p2000), 1);

	/* a thread; the leader pthread_exits first; the thread's exit
	 * status is the process's */
	fork_(2000, 2001, 2000);
	exit_(2000, 2000, 0);
	commit();
	CHECK_EQ(LIVE(2000), p2000);
	exit_(2001, 2000, 7 << 8);
	commit();
	CHECK_EQ(LIVE(2000), -999);
	CHECK_EQ(q1("SELECT status FROM process WHERE id = ?", p2000), 7 << 8);
	CHECK_EQ(q1("SELECT exit_code FROM processes WHERE id = ?", p2000), 7);
	/* a thread is not a process */
	CHECK_EQ(q1("SELECT count(*) FROM process WHERE tgid = ?", 2001), 0);

	/* a non-leader thread execs: fake leader EXIT, EXEC, a killed
	 * thread's late EXIT; then the real end */
	fork_(1000, 3000, 3000);
	fork_(3000, 3001, 3000);
	fork_(3000, 3002, 3000);
	exit_(3000, 3000, 0);
	exec_(3000, "sh\0", 3);
	exit_(3002, 3000, 9);
	commit();
	p3000 = LIVE(3000);
	CHECK(p3000 > 0);
	CHECK_EQ(q1("SELECT execs FROM process WHERE id = ?", p3000), 1);
	/* the old leader's EXIT arriving after the EXEC (other CPU) */
	{
		struct pt_event e = ev(PT_EV_EXIT, 3000, 3000);

		e.ts -= 5000000;	/* stamped before the exec */
		feed(e);
	}
	commit();
	CHECK_EQ(LIVE(3000), p3000);
	exit_(3000, 3000, 5 << 8);
	commit();
	CHECK_EQ(LIVE(3000), -999);
	CHECK_EQ(q1("SELECT status FROM process WHERE id = ?", p3000), 5 << 8);

	/* PID reuse: the new FORK arrives before the old EXIT */
	fork_(1000, 4000, 4000);
	commit();
	old4000 = LIVE(4000);
	fork_(3000, 4000, 4000);	/* parent 3000 is gone: unknown parent */
	commit();
	new4000 = LIVE(4000);
	CHECK(new4000 != old4000 && new4000 > 0);
	CHECK_EQ(q1("SELECT flags & 36 FROM process WHERE id = ?", old4000), 36);
	{
		struct pt_event e = ev(PT_EV_EXIT, 4000, 4000);

		e.status = 3 << 8;
		e.ptgid = 1000;	/* the old one's parent */
		feed(e);
	}
	commit();
	CHECK_EQ(q1("SELECT status FROM process WHERE id = ?", old4000), 3 << 8);
	CHECK_EQ(q1("SELECT flags & 4 FROM process WHERE id = ?", old4000), 0);
	CHECK_EQ(LIVE(4000), new4000);
	/* its parent 3000 had ended: a placeholder instance stands in */
	CHECK(q1("SELECT parent FROM process WHERE id = ?", new4000) != p3000);
	CHECK_EQ(q1("SELECT p.flags & 18 FROM process c JOIN process p ON"
	    " p.id = c.parent WHERE c.id = ?", new4000), 18);
	CHECK_EQ(q1("SELECT p.tgid FROM process c JOIN process p ON"
	    " p.id = c.parent WHERE c.id = ?", new4000), 3000);
	exit_(4000, 4000, 9);
	commit();
	CHECK_EQ(q1("SELECT status FROM process WHERE id = ?", new4000), 9);
	CHECK_EQ(q1("SELECT signal FROM processes WHERE id = ?", new4000), 9);

	/* events for a process never seen forking */
	exit_(5000, 5000, 0);
	commit();
	CHECK_EQ(q1("SELECT flags & 2 FROM process WHERE id = ?", LAST(5000)), 2);
	CHECK(q1("SELECT end FROM process WHERE id = ?", LAST(5000)) > 0);

	/* credentials change */
	fork_(1000, 6000, 6000);
	{
		struct pt_event e = ev(PT_EV_UID, 6000, 6000);

		e.rid = 65534;
		e.eid = 65534;
		feed(e);
	}
	commit();
	CHECK_EQ(q1("SELECT uid FROM process WHERE id = ?", LIVE(6000)), 65534);

	/* a rolled-back batch: the row is written by the next one */
	fork_(1000, 7000, 7000);
	CHECK_EQ(tracker_flush(tr), 0);
	store_rollback(st);
	tracker_committed(tr, false);
	CHECK_EQ(store_begin(st), 0);
	CHECK_EQ(LIVE(7000), -999);
	commit();
	CHECK(LIVE(7000) > 0);

	/* every event row is attributed */
	CHECK_EQ(q1("SELECT count(*) FROM event WHERE process IS NULL AND ? = ?",
	    0), 0);
	CHECK_EQ(q1("SELECT count(*) FROM event WHERE type = ?", 1), 8);

	CHECK_EQ(store_commit(st), 0);
	tracker_free(tr);
	tmpstore_close(st, path);
	return check_done("test_tracker");
}
