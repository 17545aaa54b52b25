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
static struct rows rows;
static uint64_t now = 1000000000ull;	/* mono ns */
static uint64_t start_of[65536];	/* tgid -> start tick of its fork */
static uint64_t layouts = 1;	/* a new memory layout per capture */
static uint64_t same_layout;	/* unless this is set */
static int64_t tick_skew;	/* added to the start time read */
static uint64_t read_len = 10000;	/* how long a capture's reads take */

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
	if (child == child_tgid)
		start_of[child] = e.ts / 10000000;
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

/* An EXEC whose capture was read from read_at to read_at + 10 us after
 * the event (0: 10 us after it). */
static void
exec_at(int32_t tgid, const char *argv, size_t argv_len, uint64_t read_at)
{
	struct pt_event e = ev(PT_EV_EXEC, tgid, tgid);
	struct pt_capture cap;

	memset(&cap, 0, sizeof(cap));
	cap.start_ticks = start_of[tgid] + (uint64_t)tick_skew;
	cap.t_open = read_at ? read_at : e.ts + 10000;
	cap.t_done = cap.t_open + read_len;
	cap.layout = same_layout ? same_layout : layouts++;
	cap.flags = PT_CAP_ARGV | PT_CAP_VERIFIED | PT_CAP_CREDS | PT_CAP_COMM;
	cap.argv_len = (uint32_t)argv_len;
	cap.uid = cap.euid = 1000;
	cap.gid = cap.egid = 100;
	snprintf(cap.comm, sizeof(cap.comm), "%s", argv);
	CHECK_EQ(tracker_exec(tr, &e, &cap, argv), 0);
}

static void
exec_(int32_t tgid, const char *argv, size_t argv_len)
{
	exec_at(tgid, argv, argv_len, 0);
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

#define FLAGS(id) q1("SELECT flags FROM process WHERE id = ?", id)
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
	start_of[1000] = 5;
	r.s.cap.ppid = 1;
	r.s.cap.argv_len = 5;
	memcpy(r.data, "init", 5);
	CHECK_EQ(tracker_snap(tr, &r.s, NULL, r.data), 0);
	CHECK_EQ(tracker_snap_done(tr), 0);
}

/* exec rows with their argv blob (table cmdline since schema version 4) */
#define XARGV "(SELECT x.*, c.argv FROM exec x" \
	" LEFT JOIN cmdline c ON c.id = x.cmdline)"

/* argv of the n-th exec (1 = first) of the live or last instance of tgid */
#define ARGV_LEN(tgid, n) q1("SELECT coalesce(length(argv), -1) FROM " XARGV \
	" WHERE process = (SELECT max(id) FROM process WHERE tgid = ?1)" \
	" ORDER BY id LIMIT 1 OFFSET " #n " - 1", tgid)
#define CAPTURE(tgid, n) q1("SELECT capture FROM exec" \
	" WHERE process = (SELECT max(id) FROM process WHERE tgid = ?1)" \
	" ORDER BY id LIMIT 1 OFFSET " #n " - 1", tgid)

/* Captures decided against the stream (tracker.c, the top comment). */
static void
test_captures(void)
{
	/* read at once, the next exec well after: both kept */
	fork_(1000, 8000, 8000);
	exec_(8000, "a\0", 2);
	exec_(8000, "b\0", 2);
	exit_(8000, 8000, 0);
	commit();
	CHECK_EQ(ARGV_LEN(8000, 1), 2);
	CHECK_EQ(ARGV_LEN(8000, 2), 2);
	CHECK_EQ(CAPTURE(8000, 1) & PT_CAP_VERIFIED, PT_CAP_VERIFIED);

	/* read 5 ms late, after the next exec: not kept, and its
	 * credentials are unknown again */
	fork_(1000, 8100, 8100);
	exec_at(8100, "x\0", 2, now + 5000000);
	commit();
	CHECK_EQ(q1("SELECT uid FROM process WHERE tgid = ?", 8100), 1000);
	exec_(8100, "y\0", 2);
	commit();
	CHECK_EQ(ARGV_LEN(8100, 1), -1);
	CHECK_EQ(CAPTURE(8100, 1) & (PT_CAP_RACED | PT_CAP_VERIFIED),
	    PT_CAP_RACED);
	CHECK_EQ(ARGV_LEN(8100, 2), 2);

	/* the next exec after the read, but the same layout read again:
	 * the first read may have been of it */
	fork_(1000, 8150, 8150);
	same_layout = 77;
	exec_(8150, "x\0", 2);
	exec_(8150, "y\0", 2);
	same_layout = 0;
	exit_(8150, 8150, 0);
	commit();
	CHECK_EQ(ARGV_LEN(8150, 1), -1);
	CHECK_EQ(ARGV_LEN(8150, 2), 2);

	/* a chain: the first kept on the second's layout, the second then
	 * overlapped by the third: both dropped */
	fork_(1000, 8200, 8200);
	exec_(8200, "1\0", 2);
	exec_at(8200, "2\0", 2, now + 1000000 + 5000000);
	exec_(8200, "3\0", 2);
	exit_(8200, 8200, 0);
	commit();
	CHECK_EQ(ARGV_LEN(8200, 1), -1);
	CHECK_EQ(ARGV_LEN(8200, 2), -1);
	CHECK_EQ(ARGV_LEN(8200, 3), 2);

	/* it forked after the read: still its image, whatever comes next */
	fork_(1000, 8300, 8300);
	same_layout = 78;
	exec_(8300, "p\0", 2);
	fork_(8300, 8301, 8301);
	exec_(8300, "q\0", 2);
	same_layout = 0;
	commit();
	CHECK_EQ(ARGV_LEN(8300, 1), 2);

	/* dead before the read began: another process's data */
	fork_(1000, 8400, 8400);
	exec_at(8400, "d\0", 2, now + 5000000);
	exit_(8400, 8400, 0);
	commit();
	CHECK_EQ(ARGV_LEN(8400, 1), -1);
	CHECK_EQ(CAPTURE(8400, 1) & PT_CAP_MISMATCH, PT_CAP_MISMATCH);

	/* ended, then its PID forked again before the read was done */
	fork_(1000, 8500, 8500);
	read_len = 2000000;	/* from before its exit to after the fork */
	exec_at(8500, "o\0", 2, now + 1900000);
	read_len = 10000;
	exit_(8500, 8500, 0);
	commit();
	CHECK_EQ(ARGV_LEN(8500, 1), 2);		/* nothing against it yet */
	fork_(1000, 8500, 8500);
	commit();
	CHECK_EQ(q1("SELECT coalesce(length(argv), -1) FROM " XARGV " WHERE process"
	    " = (SELECT min(id) FROM process WHERE tgid = ?)", 8500), -1);
	/* ... and a FORK of the PID long after an ended one's read: kept */
	fork_(1000, 8600, 8600);
	exec_(8600, "k\0", 2);
	exit_(8600, 8600, 0);
	fork_(1000, 8600, 8600);
	commit();
	CHECK_EQ(q1("SELECT coalesce(length(argv), -1) FROM " XARGV " WHERE process"
	    " = (SELECT min(id) FROM process WHERE tgid = ?)", 8600), 2);

	/* a start time read that is not the fork's: another process */
	fork_(1000, 8700, 8700);
	tick_skew = 1;
	exec_(8700, "s\0", 2);
	tick_skew = 0;
	commit();
	CHECK_EQ(ARGV_LEN(8700, 1), -1);
	CHECK_EQ(CAPTURE(8700, 1) & PT_CAP_MISMATCH, PT_CAP_MISMATCH);

	/* forked during the reads, by the process and by its child, then
	 * the capture dropped: what it gave is unknown again in all of
	 * them, running, ended and written (8803), ended and not yet
	 * written (8804), and in the process */
	fork_(1000, 8800, 8800);
	exec_at(8800, "g\0", 2, now + 20000000);
	fork_(8800, 8801, 8801);
	fork_(8801, 8802, 8802);
	fork_(8801, 8803, 8803);
	exit_(8803, 8803, 0);
	/* and through a subshell (8805) that forked (8806, ended, written)
	 * before its own exec */
	fork_(8801, 8805, 8805);
	fork_(8805, 8806, 8806);
	exit_(8806, 8806, 0);
	commit();
	exec_(8805, "x\0", 2);
	fork_(8801, 8804, 8804);
	exit_(8804, 8804, 0);
	CHECK_EQ(tracker_flush(tr), 0);
	exec_(8800, "h\0", 2);
	commit();
	CHECK_EQ(CAPTURE(8800, 1) & PT_CAP_RACED, PT_CAP_RACED);
	/* the decision logged for followers: that one row, why */
	CHECK_EQ(q1("SELECT count(*) FROM exec_drop d WHERE d.process = ?"
	    " AND d.first = d.last AND d.why = 32768 AND d.first = (SELECT"
	    " min(id) FROM exec x WHERE x.process = d.process)", LIVE(8800)), 1);
	CHECK_EQ(q1("SELECT count(*) FROM process WHERE tgid BETWEEN ? AND"
	    " 8804 AND uid IS NULL AND comm IS NULL", 8801), 4);
	CHECK_EQ(q1("SELECT uid FROM process WHERE tgid = ?", 8800), 1000);
	CHECK_EQ(q1("SELECT comm FROM process WHERE tgid = ?", 8800) != -1, 1);
	CHECK_EQ(q1("SELECT uid IS NULL AND comm IS NULL FROM process"
	    " WHERE tgid = ?", 8806), 1);
	CHECK_EQ(q1("SELECT uid FROM process WHERE tgid = ?", 8805), 1000);
}

int
main(void)
{
	char path[] = "/tmp/pt-test-tracker-XXXXXX";
	struct tracker_cfg cfg;
	int64_t boot, session, p1000, p2000, p3000, old4000, new4000;

	st = tmpstore_open(path, &boot, &session);
	memset(&cfg, 0, sizeof(cfg));
	cfg.boot = boot;
	cfg.mono_offset = 1700000000000000000LL;
	store_rows(st, session, &rows);
	CHECK_EQ(store_max_ids(st, &cfg.max_proc_id, &cfg.max_exec_id), 0);
	CHECK_EQ(tracker_new(&cfg, &rows, &tr), 0);
	CHECK_EQ(store_begin(st), 0);

	snapshot_init();
	commit();
	p1000 = LIVE(1000);
	CHECK(p1000 > 0);
	CHECK_EQ(FLAGS(p1000) & PT_PF_SNAPSHOT, PT_PF_SNAPSHOT);

	/* fork + exec + exit, inherited credentials, argv kept as bytes */
	fork_(1000, 2000, 2000);
	exec_(2000, "ls\0-l\0", 6);
	commit();
	p2000 = LIVE(2000);
	CHECK_EQ(q1("SELECT parent FROM process WHERE id = ?", p2000), p1000);
	CHECK_EQ(q1("SELECT length(argv) FROM " XARGV " WHERE process = ?", p2000), 6);
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
	CHECK_EQ(FLAGS(old4000) & (PT_PF_END_UNKNOWN | PT_PF_REUSED),
	    PT_PF_END_UNKNOWN | PT_PF_REUSED);
	{
		struct pt_event e = ev(PT_EV_EXIT, 4000, 4000);

		e.status = 3 << 8;
		e.ptgid = 1000;	/* the old one's parent */
		feed(e);
	}
	commit();
	CHECK_EQ(q1("SELECT status FROM process WHERE id = ?", old4000), 3 << 8);
	CHECK_EQ(FLAGS(old4000) & PT_PF_END_UNKNOWN, 0);
	CHECK_EQ(LIVE(4000), new4000);
	/* its parent 3000 had ended: a placeholder instance stands in */
	CHECK(q1("SELECT parent FROM process WHERE id = ?", new4000) != p3000);
	CHECK_EQ(FLAGS(q1("SELECT parent FROM process WHERE id = ?", new4000)) &
	    (PT_PF_START_UNKNOWN | PT_PF_PARENT_UNKNOWN),
	    PT_PF_START_UNKNOWN | PT_PF_PARENT_UNKNOWN);
	CHECK_EQ(q1("SELECT p.tgid FROM process c JOIN process p ON"
	    " p.id = c.parent WHERE c.id = ?", new4000), 3000);
	exit_(4000, 4000, 9);
	commit();
	CHECK_EQ(q1("SELECT status FROM process WHERE id = ?", new4000), 9);
	CHECK_EQ(q1("SELECT signal FROM processes WHERE id = ?", new4000), 9);

	/* events for a process never seen forking */
	exit_(5000, 5000, 0);
	commit();
	CHECK_EQ(FLAGS(LAST(5000)) & PT_PF_START_UNKNOWN, PT_PF_START_UNKNOWN);
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
	CHECK_EQ(q1("SELECT count(*) FROM event WHERE coalesce(process, 0) = ?",
	    0), 0);
	CHECK_EQ(q1("SELECT count(*) FROM event WHERE type = ?", 1), 8);

	test_captures();

	/* a suspend moved BOOTTIME and the wall clock by 5 s: the events
	 * after it are converted with the new offsets */
	tracker_clock(tr, now + 1, 5000000000LL, cfg.mono_offset + 5000000000LL);
	fork_(1000, 9000, 9000);
	commit();
	CHECK_EQ(q1("SELECT start_ticks FROM process WHERE id = ?", LIVE(9000)),
	    (long long)(now + 5000000000ull) / 10000000);
	CHECK_EQ(q1("SELECT start FROM process WHERE id = ?", LIVE(9000)),
	    (long long)now + cfg.mono_offset + 5000000000LL);
	/* ... and one stamped before the change (handled after its record:
	 * another CPU's) keeps the old ones */
	{
		uint64_t at = now + 1;

		tracker_clock(tr, at, 0, cfg.mono_offset);	/* back */
		fork_(1000, 9001, 9001);	/* at + 1 ms - 1 */
		tracker_clock(tr, now + 1500000, 7000000000LL,
		    cfg.mono_offset + 7000000000LL);
		fork_(1000, 9002, 9002);	/* before the change */
		commit();
		CHECK_EQ(q1("SELECT start FROM process WHERE id = ?",
		    LIVE(9002)), (long long)now + cfg.mono_offset);
	}
	/* the events view converts event times with the offset in force */
	CHECK_EQ(store_clock(st, session, (long long)now + 1000,
	    cfg.mono_offset + 9000000000LL, 0), 0);
	fork_(1000, 9003, 9003);
	commit();
	CHECK_EQ(q1("SELECT CAST(round((julianday(time_utc) - 2440587.5) *"
	    " 86400) AS INTEGER) FROM events WHERE tgid = ?", 9003),
	    (long long)((now + (uint64_t)cfg.mono_offset + 9000000000ull) /
	    1000000000ull));
	CHECK_EQ(q1("SELECT count(*) FROM events e JOIN session s ON"
	    " s.id = e.session WHERE e.tgid = ? AND e.time_utc = strftime("
	    "'%Y-%m-%dT%H:%M:%f', (e.mono + s.mono_offset) / 1e9, 'unixepoch')",
	    9002), 1);

	/* forked_before_exec: a process that forks before its first exec
	 * passes on the image it inherited; one that exec'd first, or only
	 * made a thread, does not; the snapshot's life before is not known */
	fork_(1000, 9100, 9100);
	fork_(9100, 9101, 9101);
	exec_(9100, "sh\0", 3);
	fork_(9100, 9102, 9102);
	fork_(1000, 9103, 9103);
	exec_(9103, "ls\0", 3);
	fork_(9103, 9104, 9104);
	fork_(1000, 9105, 9105);
	fork_(9105, 9106, 9105);
	commit();
#define FBE(id) q1("SELECT forked_before_exec FROM process WHERE id = ?", id)
	CHECK_EQ(FBE(LIVE(9100)), 1);
	CHECK_EQ(FBE(LIVE(9101)), 0);
	CHECK_EQ(FBE(LIVE(9102)), 0);
	CHECK_EQ(FBE(LIVE(9103)), 0);
	CHECK_EQ(FBE(LIVE(9105)), 0);
	CHECK_EQ(q1("SELECT forked_before_exec IS NULL FROM process"
	    " WHERE id = ?", p1000), 1);
	CHECK_EQ(q1("SELECT image FROM process WHERE id = ?", LIVE(9101)),
	    q1("SELECT image FROM process WHERE id = ?", p1000));
	/* a row already written is updated: the fork comes a batch later */
	fork_(1000, 9107, 9107);
	commit();
	CHECK_EQ(FBE(LIVE(9107)), 0);
	fork_(9107, 9108, 9108);
	commit();
	CHECK_EQ(FBE(LIVE(9107)), 1);

	CHECK_EQ(store_commit(st), 0);
	tracker_free(tr);
	tmpstore_close(st, path);
	return check_done("test_tracker");
}
