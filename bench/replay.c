/*
 * replay: writer throughput without the kernel.
 *
 * usage: replay [--db PATH] [-n EVENTS] [--batch N] [--argv-len BYTES]
 *            [--no-capture] [--live K] [--threads PERMILLE] [--keep]
 *            [--no-checkpointer] [--lines N] [--no-cmdline-index]
 *
 * Generates a realistic synthetic event stream and pushes it through the
 * collector's own writer path (tracker_event/tracker_exec, then
 * tracker_flush, store_session_update and COMMIT per batch, as
 * collector/writer.c does) into a fresh file database with the real
 * schema and its indexes.  Prints events per second.  As in the collector,
 * WAL checkpoints run in checkpoint.c's thread on a connection of their
 * own (--no-checkpointer: the writer's commits do them, SQLite's default).
 *
 * The stream: 200 long-lived "shells" from a start-up snapshot; then
 * children forked by them in turn, each one FORK, EXEC (with a capture:
 * argv, exe, cwd, cgroup, creds, comm, login, terminal, namespaces and
 * the executable's identity, as the reader queues it) and EXIT,
 * with at most --live K children alive at once (default 16), so exits
 * interleave with later forks.  PIDs increase and wrap at 32768 back to
 * 301 (as the kernel does), skipping PIDs still in use; timestamps are
 * CLOCK_MONOTONIC-like and strictly increasing.  --threads P makes P per
 * mille of the children start and end one extra thread.  Every command
 * line is distinct (the costliest case for table cmdline), unless --lines
 * N: then child seq runs line seq % N, as a host runs the same lines.
 * --no-cmdline-index makes index exec_cmdline empty (WHERE 0): what the
 * search of command lines costs the writer is the difference.
 *
 * Built against the collector's static libraries: see bench/Makefile.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "checkpoint.h"
#include "event.h"
#include "procfs.h"
#include "record.h"
#include "store.h"
#include "tracker.h"

#define PID_MAX		32768
#define PID_FIRST	301	/* RESERVED_PIDS + 1 */
#define NSHELLS		200
#define DATA_MAX	8192

struct opts {
	const char *db;
	long events;
	int batch;
	int argv_len;
	int capture;
	int live;
	int threads;
	int keep;
	int ckpt;
	long lines;	/* distinct command lines, 0: every one distinct */
	int no_cmd_index;	/* exec_cmdline made empty */
};

/* The writer's batch, reduced to what the replay needs. */
struct batch {
	int open;
	int n;
};

struct gen {
	const struct opts *o;
	uint64_t ts;		/* kernel timestamp of the last event */
	int32_t next_pid;
	uint8_t used[PID_MAX];	/* pid in use */
	int32_t shells[NSHELLS];
	int32_t *ring;		/* live children, oldest first */
	int32_t *ring_parent;
	int32_t *ring_thread;	/* extra thread id or 0 */
	int head, count;
	uint64_t seq;		/* children made */
	uint32_t cpu_seq[2];
};

struct ctx {
	struct store *st;
	struct tracker *t;
	struct batch b;
	int64_t session;
	uint64_t events;	/* fed to the tracker */
	uint64_t records;
	uint64_t commits;
	uint64_t max_commit_ns;
	uint64_t start_ns;
};

static uint64_t
now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void
die(const char *what, int r)
{
	fprintf(stderr, "replay: %s: %s\n", what, strerror(-r));
	exit(1);
}

static int32_t
alloc_pid(struct gen *g)
{
	int32_t p;
	int tries;

	for (tries = 0; tries < PID_MAX; tries++) {
		p = g->next_pid++;
		if (g->next_pid >= PID_MAX)
			g->next_pid = PID_FIRST;
		if (!g->used[p]) {
			g->used[p] = 1;
			return p;
		}
	}
	fprintf(stderr, "replay: out of pids\n");
	exit(1);
}

static void
ev_init(struct gen *g, struct pt_event *ev, uint32_t what)
{
	memset(ev, 0, sizeof(*ev));
	g->ts += 7000 + (g->seq % 13) * 1000;	/* ~10 us apart */
	ev->ts = g->ts;
	ev->what = what;
	ev->cpu = (uint32_t)(g->seq & 1);
	ev->seq = g->cpu_seq[ev->cpu]++;
}

/* Commit the open batch exactly as writer.c's batch_commit does. */
static void
commit(struct ctx *c)
{
	uint64_t t0 = now_ns(CLOCK_MONOTONIC), d;
	int r;

	r = tracker_flush(c->t);
	if (r == 0)
		r = store_session_update(c->st, c->session,
		    (int64_t)now_ns(CLOCK_REALTIME), c->events, 0);
	if (r == 0)
		r = store_commit(c->st);
	if (r < 0)
		die("commit", r);
	tracker_committed(c->t, true);
	d = now_ns(CLOCK_MONOTONIC) - t0;
	if (d > c->max_commit_ns)
		c->max_commit_ns = d;
	c->commits++;
	c->b.open = 0;
	c->b.n = 0;
}

static void
before_record(struct ctx *c)
{
	int r;

	if (!c->b.open) {
		r = store_begin(c->st);
		if (r < 0)
			die("begin", r);
		c->b.open = 1;
	}
}

static void
after_record(struct ctx *c, const struct opts *o)
{
	c->records++;
	if (++c->b.n >= o->batch)
		commit(c);
}

static void
feed_event(struct ctx *c, const struct opts *o, const struct pt_event *ev)
{
	int r;

	before_record(c);
	r = tracker_event(c->t, ev);
	if (r < 0)
		die("tracker_event", r);
	c->events++;
	after_record(c, o);
}

/* Build the capture the reader would have queued for an exec of child
 * seq, as struct rec_exec followed by its strings. */
static size_t
make_capture(const struct opts *o, uint64_t seq, struct pt_capture *cap,
    char *data)
{
	static const char *const progs[] = { "/usr/bin/gcc", "/usr/bin/make",
	    "/bin/sh", "/usr/bin/git", "/usr/bin/sed", "/usr/lib/gcc/cc1",
	    "/usr/bin/as", "/usr/bin/ld" };
	const char *exe = progs[seq % 8], *base = strrchr(exe, '/') + 1;
	const char *cwd = "/home/builder/src/project/subdir";
	const char *cg = "/user.slice/user-1000.slice/session-3.scope";
	size_t n = 0, len;

	memset(cap, 0, sizeof(*cap));
	if (!o->capture) {
		cap->flags = PT_CAP_SKIPPED;
		return 0;
	}
	/* argv: exe, then numbered arguments up to argv_len bytes */
	len = strlen(exe) + 1;
	memcpy(data, exe, len);
	n = len;
	while (n + 24 < (size_t)o->argv_len) {
		n += (size_t)snprintf(data + n, DATA_MAX - n, "-Dopt%llu=%zu",
		    (unsigned long long)(o->lines ? seq % (uint64_t)o->lines :
		    seq), n) + 1;
	}
	cap->argv_len = (uint32_t)n;
	len = strlen(exe);
	memcpy(data + n, exe, len);
	n += len;
	cap->exe_len = (uint16_t)len;
	len = strlen(cwd);
	memcpy(data + n, cwd, len);
	n += len;
	cap->cwd_len = (uint16_t)len;
	len = strlen(cg);
	memcpy(data + n, cg, len);
	n += len;
	cap->cgroup_len = (uint16_t)len;
	cap->uid = cap->euid = cap->gid = cap->egid = 1000;
	snprintf(cap->comm, sizeof(cap->comm), "%s", base);
	cap->flags = PT_CAP_ARGV | PT_CAP_EXE | PT_CAP_CWD | PT_CAP_CREDS |
	    PT_CAP_CGROUP | PT_CAP_COMM | PT_CAP_VERIFIED;
	/* who, where, which binary (schema 5), as a login's build has them */
	cap->login_uid = 1000;
	cap->login_session = 3;
	cap->tty_nr = (136 << 8) | (uint32_t)(seq % 4);
	cap->pid_ns = 4026531836ull;
	cap->mnt_ns = 4026531840ull;
	cap->user_ns = 4026531837ull;
	cap->ns_pid = (int32_t)(1000 + seq % 30000);
	cap->exe_dev = 2049;
	cap->exe_ino = 131000 + seq % 8;
	cap->exe_size = 100000 + (seq % 8) * 4096;
	cap->exe_mtime = cap->exe_ctime = INT64_C(1700000000000000000);
	cap->flags |= PT_CAP_LOGIN | PT_CAP_NS | PT_CAP_FILE | PT_CAP_TTY;
	return n;
}

/* An exec of the child forked at fork_ts, with a capture the tracker
 * keeps: the start time of that fork (boot_offset 0: ticks of 10 ms of
 * the monotonic stamp), read right after the EXEC event and long before
 * the child's next event. */
static void
feed_exec(struct ctx *c, const struct opts *o, const struct pt_event *ev,
    uint64_t seq, uint64_t fork_ts)
{
	/* the same layout as a queued REC_EXEC record */
	static union {
		struct rec_exec x;
		char raw[sizeof(struct rec_exec) + DATA_MAX];
	} rec;
	int r;

	before_record(c);
	rec.x.ev = *ev;
	(void)make_capture(o, seq, &rec.x.cap, (char *)(&rec.x + 1));
	rec.x.cap.start_ticks = fork_ts / 10000000ull;
	rec.x.cap.t_open = ev->ts + 500;
	rec.x.cap.t_done = ev->ts + 1500;
	rec.x.cap.layout = 0x9e3779b97f4a7c15ull ^ seq;
	r = tracker_exec(c->t, &rec.x.ev, &rec.x.cap,
	    (const char *)(&rec.x + 1));
	if (r < 0)
		die("tracker_exec", r);
	c->events++;
	after_record(c, o);
}

/* The start-up snapshot: NSHELLS shells. */
static void
snapshot(struct ctx *c, struct gen *g)
{
	static union {
		struct rec_snap s;
		char raw[sizeof(struct rec_snap) + 256];
	} rec;
	char *data = (char *)(&rec.s + 1);
	const char *argv0 = "-bash", *exe = "/usr/bin/bash";
	int i, r;

	before_record(c);
	for (i = 0; i < NSHELLS; i++) {
		memset(&rec, 0, sizeof(rec));
		g->shells[i] = alloc_pid(g);
		rec.s.tgid = g->shells[i];
		rec.s.mono = g->ts;
		rec.s.cap.start_ticks = 100 + (uint64_t)i;
		rec.s.cap.ppid = 1;
		rec.s.cap.flags = PT_CAP_ARGV | PT_CAP_EXE | PT_CAP_CREDS |
		    PT_CAP_COMM | PT_CAP_VERIFIED | PT_CAP_SNAPSHOT;
		memcpy(data, argv0, strlen(argv0) + 1);
		rec.s.cap.argv_len = (uint32_t)strlen(argv0) + 1;
		memcpy(data + rec.s.cap.argv_len, exe, strlen(exe));
		rec.s.cap.exe_len = (uint16_t)strlen(exe);
		rec.s.cap.uid = rec.s.cap.euid = 1000;
		rec.s.cap.gid = rec.s.cap.egid = 1000;
		strcpy(rec.s.cap.comm, "bash");
		r = tracker_snap(c->t, &rec.s, NULL, data);
		if (r < 0)
			die("tracker_snap", r);
	}
	r = tracker_snap_done(c->t);
	if (r < 0)
		die("tracker_snap_done", r);
	commit(c);
}

/* End the oldest live child (its thread first, if it has one). */
static void
end_oldest(struct ctx *c, struct gen *g)
{
	const struct opts *o = g->o;
	struct pt_event ev;
	int32_t pid = g->ring[g->head], parent = g->ring_parent[g->head];
	int32_t tid = g->ring_thread[g->head];

	if (tid) {
		ev_init(g, &ev, PT_EV_EXIT);
		ev.pid = tid;
		ev.tgid = pid;
		ev.signal = -1;
		feed_event(c, o, &ev);
		g->used[tid] = 0;
	}
	ev_init(g, &ev, PT_EV_EXIT);
	ev.pid = ev.tgid = pid;
	ev.status = (uint32_t)(pid & 3) << 8;
	ev.signal = 17;
	ev.ppid = ev.ptgid = parent;
	feed_event(c, o, &ev);
	g->used[pid] = 0;
	g->head = (g->head + 1) % o->live;
	g->count--;
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: replay [--db PATH] [-n EVENTS] [--batch N] "
	    "[--argv-len BYTES] [--no-capture] [--live K] [--threads PERMILLE]"
	    " [--keep] [--no-checkpointer] [--lines N] [--no-cmdline-index]\n");
}

static void
parse_opts(int argc, char **argv, struct opts *o)
{
	enum { O_DB = 256, O_BATCH, O_ARGV, O_NOCAP, O_LIVE, O_THREADS,
	    O_KEEP, O_NOCKPT, O_LINES, O_NOCMDIDX };
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, O_DB },
		{ "events", required_argument, NULL, 'n' },
		{ "batch", required_argument, NULL, O_BATCH },
		{ "argv-len", required_argument, NULL, O_ARGV },
		{ "no-capture", no_argument, NULL, O_NOCAP },
		{ "live", required_argument, NULL, O_LIVE },
		{ "threads", required_argument, NULL, O_THREADS },
		{ "keep", no_argument, NULL, O_KEEP },
		{ "no-checkpointer", no_argument, NULL, O_NOCKPT },
		{ "lines", required_argument, NULL, O_LINES },
		{ "no-cmdline-index", no_argument, NULL, O_NOCMDIDX },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "n:h", longopts, NULL)) != -1) {
		switch (c) {
		case O_DB: o->db = optarg; break;
		case 'n': o->events = atol(optarg); break;
		case O_BATCH: o->batch = atoi(optarg); break;
		case O_ARGV: o->argv_len = atoi(optarg); break;
		case O_NOCAP: o->capture = 0; break;
		case O_LIVE: o->live = atoi(optarg); break;
		case O_THREADS: o->threads = atoi(optarg); break;
		case O_KEEP: o->keep = 1; break;
		case O_NOCKPT: o->ckpt = 0; break;
		case O_LINES: o->lines = atol(optarg); break;
		case O_NOCMDIDX: o->no_cmd_index = 1; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (o->events < 1 || o->batch < 1 || o->live < 1 || o->live > 4096 ||
	    o->argv_len < 16 || o->argv_len > DATA_MAX - 512 ||
	    o->threads < 0 || o->threads > 1000 || o->lines < 0) {
		usage(stderr);
		exit(2);
	}
}

static void
unlink_db(const char *path)
{
	char p[4096];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

int
main(int argc, char **argv)
{
	struct opts o = { .db = NULL, .events = 1000000, .batch = 2000,
	    .argv_len = 64, .capture = 1, .live = 16, .threads = 0,
	    .ckpt = 1 };
	static struct gen g;
	struct ctx c;
	struct tracker_cfg tc;
	struct rows rows;
	struct tracker_stats ts;
	struct pt_event ev;
	struct stat sb;
	struct ckpt *ck = NULL;
	struct ckpt_stats cks = { 0 };
	char dbbuf[64];
	int64_t boot;
	int32_t parent, pid, tid;
	uint64_t t0, t1, fed0, fork_ts;
	double secs;
	int r, slot;

	parse_opts(argc, argv, &o);
	if (!o.db) {
		snprintf(dbbuf, sizeof(dbbuf), "/tmp/replay-%d.db", (int)getpid());
		o.db = dbbuf;
	}
	unlink_db(o.db);

	memset(&c, 0, sizeof(c));
	r = store_open(o.db, &c.st);
	if (r < 0)
		die("store_open", r);
	if (o.no_cmd_index && sqlite3_exec(store_db(c.st), "DROP INDEX"
	    " exec_cmdline; CREATE INDEX exec_cmdline ON exec(cmdline)"
	    " WHERE 0", NULL, NULL, NULL) != SQLITE_OK)
		die("--no-cmdline-index", -EIO);
	memset(&tc, 0, sizeof(tc));
	tc.btime = (int64_t)now_ns(CLOCK_REALTIME) - 3600000000000LL;
	tc.mono_offset = tc.btime;
	tc.boot_offset = 0;
	r = store_boot(c.st, "00000000-0000-0000-0000-00000000beef", "replay",
	    tc.btime, &boot);
	if (r == 0)
		r = store_session_start(c.st, boot, (int)getpid(),
		    (int64_t)now_ns(CLOCK_REALTIME), tc.mono_offset,
		    tc.boot_offset, 0, &c.session);
	if (r < 0)
		die("session", r);
	if (o.ckpt) {
		/* as collector/main.c starts it */
		r = ckpt_start(o.db, store_db(c.st), 1000, 1000, &ck);
		if (r < 0)
			die("checkpointer", r);
	}
	tc.boot = boot;
	store_rows(c.st, c.session, &rows);
	r = store_max_ids(c.st, &tc.max_proc_id, &tc.max_exec_id);
	if (r == 0)
		r = tracker_new(&tc, &rows, &c.t);
	if (r == 0)
		r = store_open_rows(c.st, tracker_add_open, c.t);
	if (r < 0)
		die("tracker", r);

	g.o = &o;
	g.ts = 3600ull * 1000000000ull;
	g.next_pid = PID_FIRST;
	g.ring = calloc((size_t)o.live, sizeof(*g.ring));
	g.ring_parent = calloc((size_t)o.live, sizeof(*g.ring_parent));
	g.ring_thread = calloc((size_t)o.live, sizeof(*g.ring_thread));
	if (!g.ring || !g.ring_parent || !g.ring_thread)
		die("calloc", -ENOMEM);

	snapshot(&c, &g);
	fed0 = c.events;
	t0 = now_ns(CLOCK_MONOTONIC);
	while (c.events - fed0 < (uint64_t)o.events) {
		if (g.count == o.live)
			end_oldest(&c, &g);
		parent = g.shells[g.seq % NSHELLS];
		pid = alloc_pid(&g);
		ev_init(&g, &ev, PT_EV_FORK);
		ev.pid = ev.tgid = pid;
		ev.ppid = ev.ptgid = parent;
		feed_event(&c, &o, &ev);
		fork_ts = ev.ts;
		ev_init(&g, &ev, PT_EV_EXEC);
		ev.pid = ev.tgid = pid;
		feed_exec(&c, &o, &ev, g.seq, fork_ts);
		tid = 0;
		if (o.threads && (int)(g.seq % 1000) < o.threads) {
			tid = alloc_pid(&g);
			ev_init(&g, &ev, PT_EV_FORK);
			ev.pid = tid;
			ev.tgid = pid;
			ev.ppid = ev.ptgid = parent;
			feed_event(&c, &o, &ev);
		}
		slot = (g.head + g.count) % o.live;
		g.ring[slot] = pid;
		g.ring_parent[slot] = parent;
		g.ring_thread[slot] = tid;
		g.count++;
		g.seq++;
	}
	while (g.count > 0)
		end_oldest(&c, &g);
	if (c.b.open)
		commit(&c);
	t1 = now_ns(CLOCK_MONOTONIC);
	secs = (double)(t1 - t0) / 1e9;

	tracker_stats(c.t, &ts);
	tracker_free(c.t);
	ckpt_stop(ck, &cks);
	store_close(c.st);
	if (stat(o.db, &sb) < 0)
		sb.st_size = 0;
	printf("replay: %llu events (%llu processes, %llu execs) in %.3f s: "
	    "%.0f events/s; batch %d, %llu commits, longest commit %.1f ms; "
	    "db %lld bytes (%.0f bytes/process)\n",
	    (unsigned long long)(c.events - fed0),
	    (unsigned long long)ts.processes,
	    (unsigned long long)ts.execs, secs,
	    (double)(c.events - fed0) / secs, o.batch,
	    (unsigned long long)c.commits, (double)c.max_commit_ns / 1e6,
	    (long long)sb.st_size,
	    ts.processes ? (double)sb.st_size / (double)ts.processes : 0.0);
	if (ck)
		printf("replay: checkpointer thread: %llu checkpoints, %llu pages,"
		    " longest %.1f ms, WAL peak %lld frames, %llu by the writer\n",
		    (unsigned long long)cks.runs,
		    (unsigned long long)cks.pages, (double)cks.max_us / 1e3,
		    (long long)cks.max_wal, (unsigned long long)cks.writer_runs);
	if (!o.keep)
		unlink_db(o.db);
	return 0;
}
