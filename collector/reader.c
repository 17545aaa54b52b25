/*
 * Netlink reader thread.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "event.h"
#include "log.h"
#include "procfs.h"
#include "reader.h"
#include "record.h"
#include "service.h"

struct reader {
	struct nl_conn *nl;	/* the cfg's, as reader_start got them */
	struct nl_conn *bell;	/* cfg.bell, NULL once the kernel ignored its
				 * filter */
	size_t rcvbuf;
	struct queue *q;
	size_t argv_max;
	const struct redactor *redact;
	int64_t boot_offset, mono_offset;
	int stop;		/* set (atomically) by reader_stop() */
	pthread_t thread;
	int error;		/* 0, or -errno that stopped the thread */
	struct reader_stats stats;	/* read by others after the join */
};

#define MAX_CPUS	4096
#define CAPTURE_EXTRA	(3 * 4096)	/* exe, cwd, cgroup */
#define DROPS_EVERY_NS	1000000000ull
#define BUSY_MS		10	/* doorbell mode: drain at least this often
				 * while events come */
#define IDLE_MS		1000	/* ... and when none came last time, at most:
				 * see idle_ms() */
#define EVENT_TRUESIZE	832	/* socket buffer an event takes */
#define BURST_RATE	400000	/* events/s a sudden storm may bring, twice
				 * what 64 CPUs forking flat out make */
#define AWAIT_MS	5	/* wait for a rung EXEC on the main socket */

struct rstate {
	struct reader *r;
	uint32_t *last_seq;	/* per CPU */
	uint64_t *last_ts;	/* per CPU */
	uint8_t *seen;		/* per CPU: last_seq is valid */
	uint64_t last_any_ts;	/* newest kernel timestamp seen */
	int64_t boot_offset;	/* BOOTTIME - MONOTONIC, as last queued */
	int64_t mono_offset;	/* REALTIME - MONOTONIC, as last queued */
	uint32_t drops_base;	/* SO_MEMINFO drops at the last check */
	uint64_t drops_checked;	/* mono ns of the last check */
	char *scratch;		/* redaction working space */
	struct nl_batch *batch;	/* datagrams received at once */
	size_t scratch_size;
	/* queue-full loss not yet reported */
	uint64_t qlost, qlost_start, qlost_end;
	uint64_t periodic_at;	/* mono ns of the last periodic() */
	/* doorbell mode: the newest EXEC rung, until the main socket has
	 * brought it (or gone past it) */
	bool awaiting;
	uint32_t await_cpu, await_seq;
	bool busy;		/* the last drain found events */
	unsigned unfiltered_seen;	/* doorbell events not an EXEC */
	bool unfiltered;	/* ... so many that the kernel cannot filter */
};

static uint64_t
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int64_t
clock_boot_offset(void)
{
	struct timespec m, b;

	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_BOOTTIME, &b);
	return ((int64_t)b.tv_sec - (int64_t)m.tv_sec) * 1000000000LL +
	    (b.tv_nsec - m.tv_nsec);
}

static int
push_gap(struct rstate *s, uint32_t kind, int32_t cpu, uint64_t count,
    uint64_t start, uint64_t end)
{
	struct rec_gap *g = queue_reserve(s->r->q, REC_GAP, sizeof(*g));

	if (!g)
		return -ENOBUFS;
	g->kind = kind;
	g->cpu = cpu;
	g->count = count;
	g->start = start;
	g->end = end;
	queue_commit(s->r->q, sizeof(*g), false);
	return 0;
}

/* Report a queue-full loss once the queue has room again. */
static void
flush_qlost(struct rstate *s)
{
	if (!s->qlost)
		return;
	if (push_gap(s, PT_GAP_QUEUE_FULL, -1, s->qlost, s->qlost_start,
	    s->qlost_end) == 0)
		s->qlost = 0;
}

static void
note_qlost(struct rstate *s, uint64_t ts)
{
	if (!s->qlost)
		s->qlost_start = ts;
	s->qlost_end = ts;
	s->qlost++;
	s->r->stats.queue_lost++;
}

static void
check_drops(struct rstate *s)
{
	uint64_t drops, now = mono_now();
	uint32_t delta;

	s->drops_checked = now;
	if (nl_drops(s->r->nl, &drops) < 0)
		return;
	delta = (uint32_t)drops - s->drops_base;	/* u32 counter */
	if (delta == 0)
		return;
	if (push_gap(s, PT_GAP_KERNEL_DROP, -1, delta,
	    s->last_any_ts ? s->last_any_ts : now, now) < 0)
		return;	/* retried at the next check */
	s->drops_base = (uint32_t)drops;
	s->r->stats.kernel_drops += delta;
}

/*
 * The clocks against CLOCK_MONOTONIC: after a suspend (both) or a change
 * of the time (the wall clock), the writer must convert the events that
 * follow with the new offsets.  Read after every drain (two vDSO calls), so
 * that few events are converted with the old ones.  Returns 0 or -ENOBUFS
 * (tried again next time).
 */
#define CLOCK_SLACK_NS	1000000		/* 1 ms */

static int
check_clock(struct rstate *s)
{
	struct timespec m, b, w;
	int64_t mono, boot_off, wall_off, d1, d2;
	struct rec_clock *c;

	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_BOOTTIME, &b);
	clock_gettime(CLOCK_REALTIME, &w);
	mono = (int64_t)m.tv_sec * 1000000000LL + m.tv_nsec;
	boot_off = (int64_t)b.tv_sec * 1000000000LL + b.tv_nsec - mono;
	wall_off = (int64_t)w.tv_sec * 1000000000LL + w.tv_nsec - mono;
	d1 = boot_off - s->boot_offset;
	d2 = wall_off - s->mono_offset;
	if (d1 < CLOCK_SLACK_NS && d1 > -CLOCK_SLACK_NS &&
	    d2 < CLOCK_SLACK_NS && d2 > -CLOCK_SLACK_NS)
		return 0;
	c = queue_reserve(s->r->q, REC_CLOCK, sizeof(*c));
	if (!c)
		return -ENOBUFS;
	c->boot_offset = boot_off;
	c->mono_offset = wall_off;
	c->mono = (uint64_t)mono;
	queue_commit(s->r->q, sizeof(*c), false);
	s->boot_offset = boot_off;
	s->mono_offset = wall_off;
	s->r->stats.clock_moves++;
	return 0;
}

/* Called as often as one likes: the clocks, and at most once a second
 * SO_MEMINFO drops (unless an overrun had them checked meanwhile). */
static void
periodic(struct rstate *s)
{
	uint64_t now = mono_now();

	(void)check_clock(s);
	if (now - s->periodic_at <= DROPS_EVERY_NS)
		return;
	s->periodic_at = now;
	if (now - s->drops_checked > DROPS_EVERY_NS)
		check_drops(s);
}

static void
check_seq(struct rstate *s, const struct pt_event *ev)
{
	uint32_t cpu = ev->cpu, lost;

	if (cpu >= MAX_CPUS)
		return;
	if (s->seen[cpu]) {
		lost = ev->seq - s->last_seq[cpu] - 1;
		/* a huge value is a reordering, not a loss */
		if (lost != 0 && lost < (1u << 30)) {
			s->r->stats.seq_lost += lost;
			if (push_gap(s, PT_GAP_SEQ, (int32_t)cpu, lost,
			    s->last_ts[cpu], ev->ts) < 0)
				note_qlost(s, ev->ts);
		}
	}
	s->seen[cpu] = 1;
	s->last_seq[cpu] = ev->seq;
	s->last_ts[cpu] = ev->ts;
}

/*
 * Has the main socket brought the event (cpu, seq), or one after it on that
 * CPU?  (Whether it came or was lost, nothing is left to wait for.)
 */
static bool
passed(const struct rstate *s, uint32_t cpu, uint32_t seq)
{
	return cpu >= MAX_CPUS ||
	    (s->seen[cpu] && (int32_t)(s->last_seq[cpu] - seq) >= 0);
}

static void
queue_exec(struct rstate *s, const struct pt_event *ev)
{
	struct reader *r = s->r;
	size_t room = sizeof(struct rec_exec) + r->argv_max + CAPTURE_EXTRA;
	struct rec_exec *x;
	struct rec_event *e;
	uint64_t not_after;
	size_t used;

	r->stats.execs++;
	x = queue_reserve(r->q, REC_EXEC, room);
	if (!x) {
		/* no room for a capture: keep at least the event */
		e = queue_reserve(r->q, REC_EVENT, sizeof(*e));
		if (!e) {
			note_qlost(s, ev->ts);
			return;
		}
		e->ev = *ev;
		queue_commit(r->q, sizeof(*e), false);
		return;
	}
	x->ev = *ev;
	memset(&x->cap, 0, sizeof(x->cap));
	/* The process must have started before the event (10 ms of slack
	 * for the 100 Hz start-time resolution). */
	not_after = (uint64_t)(((int64_t)ev->ts + s->boot_offset +
	    10000000LL) / 10000000LL);
	used = procfs_capture(ev->tgid, not_after, r->argv_max, &x->cap,
	    rec_exec_data(x), r->argv_max + CAPTURE_EXTRA);
	if (r->redact)
		used = redact_capture(r->redact, &x->cap, rec_exec_data(x), used,
		    r->argv_max + CAPTURE_EXTRA, s->scratch, s->scratch_size);
	if ((x->cap.flags & (PT_CAP_ARGV | PT_CAP_VERIFIED)) ==
	    (PT_CAP_ARGV | PT_CAP_VERIFIED))
		r->stats.argv_ok++;
	queue_commit(r->q, sizeof(*x) + used, false);
}

static void
on_event(const struct pt_event *ev, void *data)
{
	struct rstate *s = data;
	struct reader *r = s->r;
	struct rec_event *e;

	check_seq(s, ev);
	if (s->awaiting && passed(s, s->await_cpu, s->await_seq))
		s->awaiting = false;
	if (ev->ts > s->last_any_ts)
		s->last_any_ts = ev->ts;
	if (ev->what == PT_EV_NONE) {
		__atomic_add_fetch(&r->stats.acks, 1, __ATOMIC_RELAXED);
		r->stats.ack_err = ev->ack_err;
		return;
	}
	__atomic_add_fetch(&r->stats.events, 1, __ATOMIC_RELAXED);
	flush_qlost(s);
	if (ev->what == PT_EV_EXEC) {
		queue_exec(s, ev);
		return;
	}
	e = queue_reserve(r->q, REC_EVENT, sizeof(*e));
	if (!e) {
		note_qlost(s, ev->ts);
		return;
	}
	e->ev = *ev;
	queue_commit(r->q, sizeof(*e), false);
}

static void
push_stop(struct rstate *s)
{
	int i;

	/* the writer is draining; give it up to a few seconds of room */
	for (i = 0; i < 500; i++) {
		(void)check_clock(s);
		flush_qlost(s);
		if (!s->qlost && queue_reserve(s->r->q, REC_STOP, 0)) {
			queue_commit(s->r->q, 0, true);
			return;
		}
		usleep(10000);
	}
}

static void
on_usr2(int sig)
{
	(void)sig;	/* only to interrupt recvmsg() */
}

void
reader_signal_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr2;	/* no SA_RESTART: EINTR wanted */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
}

void
reader_stop(struct reader *r)
{
	__atomic_store_n(&r->stop, 1, __ATOMIC_RELEASE);
	pthread_kill(r->thread, SIGUSR2);
	pthread_join(r->thread, NULL);
}

void
reader_free(struct reader *r)
{
	free(r);
}

bool
reader_heard(const struct reader *r)
{
	return __atomic_load_n(&r->stats.acks, __ATOMIC_RELAXED) != 0 ||
	    __atomic_load_n(&r->stats.events, __ATOMIC_RELAXED) != 0;
}

int
reader_error(const struct reader *r)
{
	return r->error;
}

void
reader_stats(const struct reader *r, struct reader_stats *ret)
{
	*ret = r->stats;
}

/*
 * How long the reader may sleep when nothing came at the last drain: the
 * main socket must hold a storm that starts meanwhile (no EXEC to ring):
 * 200 ms with the default buffer, 1000 at most, less with a small one.
 */
static int
idle_ms(const struct reader *r)
{
	uint64_t ms = (uint64_t)r->rcvbuf / EVENT_TRUESIZE * 1000 / BURST_RATE;

	return ms < 1 ? 1 : ms > IDLE_MS ? IDLE_MS : (int)ms;
}

/* An event on the doorbell socket: an EXEC to capture soon. */
static void
on_bell(const struct pt_event *ev, void *data)
{
	struct rstate *s = data;

	if (ev->what == PT_EV_EXEC) {
		/* the main socket has the same events in the same order:
		 * wait for the newest rung unless it is there already (the
		 * last drain may have gone past it) */
		if (!passed(s, ev->cpu, ev->seq)) {
			s->awaiting = true;
			s->await_cpu = ev->cpu;
			s->await_seq = ev->seq;
		}
	} else if (ev->what != PT_EV_NONE && ++s->unfiltered_seen > 16) {
		/* a kernel before 6.6 (one or two may have been in flight
		 * while the filter was set) */
		s->unfiltered = true;
	}
}

/* One datagram of the main socket.  Returns 0, or -errno that stops the
 * reader (r->error). */
static int
on_datagram(struct rstate *s, const unsigned char *buf, ssize_t len)
{
	struct reader *r = s->r;
	unsigned bad;
	int e;

	if (len == -EPERM) {
		r->stats.foreign++;
		return 0;
	}
	if (len < 0) {
		r->stats.bad++;		/* truncated */
		return 0;
	}
	r->stats.datagrams++;
	e = event_walk(buf, (size_t)len, on_event, s, &bad);
	r->stats.bad += bad;
	if (e < 0 && e != -EBADMSG) {
		if (e == -ECONNREFUSED || e == -EPERM) {
			r->error = e;
			return e;
		}
		r->stats.bad++;
	}
	return 0;
}

/*
 * Receive and handle what the main socket has queued, up to NL_BATCH
 * datagrams (with wait, block for the first).  Returns how many came
 * (> 0), NL_BATCH after an overrun (noted: drain on, the kernel drops
 * everything until the queue is empty), 0 when none came (-EAGAIN),
 * -EINTR, or another -errno that stops the reader (r->error).
 */
static int
recv_main(struct rstate *s, bool wait)
{
	struct reader *r = s->r;
	struct nl_batch *b = s->batch;
	int i, n, e;

	n = nl_recv_batch(r->nl, b, wait);
	if (n > 0) {
		for (i = 0; i < n; i++) {
			e = on_datagram(s, b->buf[i], b->len[i]);
			if (e < 0)
				return e;
		}
		return n;
	}
	switch (n) {
	case -EAGAIN:
		return 0;
	case -ENOBUFS:
		r->stats.enobufs++;
		check_drops(s);
		return NL_BATCH;
	case -EINTR:
		return -EINTR;
	default:
		r->error = n;
		return n;
	}
}

/*
 * Doorbell mode, one round: sleep on the doorbell socket (EXEC events
 * only) until an exec rings or the timeout passes, then drain the main
 * socket, which has every event in order, the rung EXEC among them: its
 * /proc capture happens there, in order, at once.  The main socket never
 * wakes the reader, so a fork or an exit costs no wake-up, no context
 * switch: a storm is drained every BUSY_MS, hundreds of events at a time,
 * NL_BATCH datagrams per system call.
 * Returns 0, or what stops the reader (-errno).
 */
static int
bell_round(struct rstate *s)
{
	struct reader *r = s->r;
	struct nl_batch *b = s->batch;
	unsigned bad;
	bool got = false;
	int i, n, e, ms;

	/* what is left beyond NL_BATCH makes the next round start at once */
	n = nl_recv_batch(r->bell, b, true);
	for (i = 0; i < n; i++) {
		r->stats.rings++;
		if (b->len[i] > 0)
			(void)event_walk(b->buf[i], (size_t)b->len[i], on_bell,
			    s, &bad);
	}
	if (n == -EINTR)
		return 0;	/* the caller looks at r->stop */
	if (n < 0 && n != -EAGAIN && n != -ENOBUFS) {
		r->error = n;
		return n;
	}
	for (;;) {
		e = recv_main(s, false);
		if (e == 0 && s->awaiting) {
			/* rung before the main socket had it queued */
			e = recv_main(s, true);
			if (e == 0) {
				s->awaiting = false;
				r->stats.rings_missed++;
			}
		}
		if (e <= 0)
			break;
		got = true;
		/* a short batch: drained, unless still awaiting */
		if (e < NL_BATCH && !s->awaiting) {
			e = 0;
			break;
		}
	}
	if (e < 0 && e != -EINTR)
		return e;
	if (got != s->busy) {
		s->busy = got;
		ms = idle_ms(r);
		if (got && BUSY_MS < ms)
			ms = BUSY_MS;
		(void)nl_set_timeout(r->bell, ms);
	}
	periodic(s);
	flush_qlost(s);
	return 0;
}

static void *
reader_main(void *arg)
{
	struct reader *r = arg;
	struct rstate s;
	sigset_t usr2;
	bool stopping = false;
	int e;

	/* from here on, only what reading /proc needs */
	pthread_setname_np(pthread_self(), "pt-reader");
	e = service_restrict_caps(CAPS_READER);
	if (e < 0)
		log_warn("reader: cannot drop capabilities: %s", strerror(-e));

	memset(&s, 0, sizeof(s));
	s.r = r;
	s.last_seq = calloc(MAX_CPUS, sizeof(*s.last_seq));
	s.last_ts = calloc(MAX_CPUS, sizeof(*s.last_ts));
	s.seen = calloc(MAX_CPUS, sizeof(*s.seen));
	s.scratch_size = 2 * r->argv_max + 8;
	s.scratch = r->redact ? malloc(s.scratch_size) : NULL;
	s.batch = calloc(1, sizeof(*s.batch));
	if (!s.last_seq || !s.last_ts || !s.seen || !s.batch ||
	    (r->redact && !s.scratch)) {
		r->error = -ENOMEM;
		goto out;
	}
	s.boot_offset = r->boot_offset;	/* what the writer starts with */
	s.mono_offset = r->mono_offset;
	/* drops_base stays 0: anything dropped since the socket was
	 * opened, during the snapshot too, is a loss */
	s.drops_checked = mono_now();
	s.periodic_at = s.drops_checked;
	if (r->bell) {
		/* the main socket is only waited on for a rung EXEC */
		(void)nl_set_timeout(r->nl, AWAIT_MS);
		(void)nl_set_timeout(r->bell, idle_ms(r));
	}

	/* reader_stop() interrupts the blocking receive with SIGUSR2 */
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	pthread_sigmask(SIG_UNBLOCK, &usr2, NULL);
	for (;;) {
		if (!stopping && __atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
			/* unsubscribe, then drain what is queued */
			r->stats.ignore_err = nl_ignore(r->nl);
			if (r->bell)
				(void)nl_ignore(r->bell);
			stopping = true;
		}
		if (r->bell && !stopping) {
			if (bell_round(&s) < 0)
				goto done;
			if (s.unfiltered) {
				/* the kernel ignored the filter: one socket */
				(void)nl_ignore(r->bell);
				r->bell = NULL;
				r->stats.unfiltered = 1;
				(void)nl_set_timeout(r->nl, IDLE_MS);
			}
			continue;
		}
		/* One socket: a blocking receive (no poll(): that and a
		 * receive would double the system calls) of what is queued;
		 * it wakes for every event that finds it asleep. */
		e = recv_main(&s, !stopping);
		if (e > 0) {
			periodic(&s);
			continue;
		}
		if (e == 0) {
			/* a quiet second, or drained after the stop */
			if (stopping)
				goto done;
			periodic(&s);
			flush_qlost(&s);
			continue;
		}
		if (e != -EINTR)
			goto done;
	}
done:
	check_drops(&s);
out:
	push_stop(&s);
	free(s.last_seq);
	free(s.last_ts);
	free(s.seen);
	free(s.scratch);
	free(s.batch);
	if (r->error)
		kill(getpid(), SIGUSR1);	/* wake main */
	return NULL;
}

/*
 * Real-time unless asked not to: a SCHED_FIFO reader runs as soon as an
 * EXEC is queued, most often before a short-lived program has finished,
 * which is what makes its argv capturable; its work per event is bounded
 * and it sleeps in poll() when the socket is empty.
 */
int
reader_start(const struct reader_cfg *cfg, struct reader **ret)
{
	struct sched_param sp = { .sched_priority = cfg->rt_prio };
	pthread_attr_t attr;
	struct reader *r;
	int e;

	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->nl = cfg->nl;
	r->bell = cfg->bell;
	r->rcvbuf = cfg->rcvbuf;
	r->q = cfg->q;
	r->argv_max = cfg->argv_max;
	r->redact = cfg->redact;
	r->boot_offset = cfg->boot_offset;
	r->mono_offset = cfg->mono_offset;
	if (cfg->rt_prio > 0) {
		pthread_attr_init(&attr);
		pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
		pthread_attr_setschedpolicy(&attr, SCHED_FIFO);
		pthread_attr_setschedparam(&attr, &sp);
		e = pthread_create(&r->thread, &attr, reader_main, r);
		pthread_attr_destroy(&attr);
		if (e == 0) {
			log_info("reader thread runs SCHED_FIFO %d",
			    cfg->rt_prio);
			*ret = r;
			return 0;
		}
		log_warn("reader thread not real-time (%s): short-lived"
		    " processes' argv will be missed more often", strerror(e));
	}
	e = pthread_create(&r->thread, NULL, reader_main, r);
	if (e != 0) {
		free(r);
		return -e;
	}
	*ret = r;
	return 0;
}
