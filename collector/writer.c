/*
 * The writer thread (writer.h).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "db.h"
#include "log.h"
#include "model.h"
#include "procfs.h"
#include "record.h"
#include "service.h"
#include "hasher.h"
#include "writer.h"

struct writer {
	struct writer_cfg cfg;
	struct store *st;
	struct tracker *t;
	struct rows rows;	/* the tracker's sink: the store */
	struct queue *q;
	int64_t session;
	int batch, flush_ms, prune_ms;
	struct retain *retain;
	pthread_t thread;
	pthread_mutex_t lock;	/* guards the three below */
	pthread_cond_t cond;	/* they changed */
	int begun;		/* 1 once the session began (or failed to) */
	int begin_error;
	int snapshot_done;	/* the snapshot is committed */
	int error;		/* -errno that stopped the thread (atomic) */
	struct writer_stats stats;
};

static void
set_error(struct writer *w, int r)
{
	pthread_mutex_lock(&w->lock);
	if (!w->error)
		__atomic_store_n(&w->error, r, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

static void
snapshot_committed(struct writer *w)
{
	pthread_mutex_lock(&w->lock);
	w->snapshot_done = 1;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

static uint64_t
now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* A batch in progress. */
struct batch {
	bool open;		/* BEGIN done */
	int n;			/* records in it */
	uint64_t events;	/* events in it (lost if it fails) */
	uint64_t qlost;		/* events its queue_full gaps count */
	uint64_t started;	/* mono ns of its first record */
	uint64_t first_ts;	/* kernel ts of its first event */
	uint64_t last_ts;	/* kernel ts of its last event */
	int error;		/* first store error inside it */
	bool snapshot;		/* holds the end of the snapshot */
};

/* Pending 'write_error' gap, reported once a batch commits again. */
struct wgap {
	uint64_t count;
	int64_t start, end;	/* wall ns */
};

static void
handle(struct writer *w, struct batch *b, uint32_t kind, const void *rec,
    size_t len)
{
	const struct rec_event *e;
	const struct rec_exec *x;
	const struct rec_snap *s;
	const struct rec_gap *g;
	const struct rec_clock *c;
	const int32_t *tids;
	const char *data;
	int r = 0;

	switch (kind) {
	case REC_EVENT:
		if (!(e = rec_event_of(rec, len)))
			goto malformed;
		r = tracker_event(w->t, &e->ev);
		b->events++;
		if (!b->first_ts)
			b->first_ts = e->ev.ts;
		b->last_ts = e->ev.ts;
		break;
	case REC_EXEC:
		if (!(x = rec_exec_of(rec, len, &data)))
			goto malformed;
		r = tracker_exec(w->t, &x->ev, &x->cap, data);
		b->events++;
		if (!b->first_ts)
			b->first_ts = x->ev.ts;
		b->last_ts = x->ev.ts;
		break;
	case REC_SNAP:
		if (!(s = rec_snap_of(rec, len, &tids, &data)))
			goto malformed;
		r = tracker_snap(w->t, s, tids, data);
		break;
	case REC_SNAP_DONE:
		r = tracker_snap_done(w->t);
		if (r == 0)
			r = store_snapshot_done(w->st, w->session);
		b->snapshot = true;
		break;
	case REC_CLOCK:
		if (!(c = rec_clock_of(rec, len)))
			goto malformed;
		tracker_clock(w->t, c->mono, c->boot_offset, c->mono_offset);
		r = store_clock(w->st, w->session, (int64_t)c->mono,
		    c->mono_offset, c->boot_offset);
		break;
	case REC_GAP:
		if (!(g = rec_gap_of(rec, len)))
			goto malformed;
		if (g->kind == PT_GAP_QUEUE_FULL)
			b->qlost += g->count;
		r = store_gap(w->st, w->session, pt_gap_name((int)g->kind) ?
		    pt_gap_name((int)g->kind) : "unknown",
		    tracker_wall(w->t, g->start), tracker_wall(w->t, g->end),
		    g->cpu, (int64_t)g->count, true);
		tracker_gap(w->t);
		w->stats.gaps++;
		/* seq gaps re-count what SO_MEMINFO counts; they only place it */
		if (g->kind != PT_GAP_SEQ)
			w->stats.lost += g->count;
		break;
	default:
	malformed:
		/* a record that does not fit its kind: a bug, never silent */
		{
			int64_t now = (int64_t)now_ns(CLOCK_REALTIME);

			r = store_gap(w->st, w->session,
			    pt_gap_name(PT_GAP_MALFORMED), now, now, -1, 1,
			    true);
			tracker_gap(w->t);
			w->stats.gaps++;
			w->stats.lost++;
			w->stats.malformed++;
		}
		break;
	}
	if (r < 0 && !b->error)
		b->error = r;
}

/* n events (kernel times start..end) could not be written: extend the
 * pending write_error gap, reported once a batch commits again. */
static void
wgap_add(struct writer *w, struct wgap *wg, uint64_t start, uint64_t end,
    uint64_t n)
{
	if (!n)
		return;
	if (!wg->count)
		wg->start = tracker_wall(w->t, start);
	wg->end = tracker_wall(w->t, end);
	wg->count += n;
	w->stats.lost += n;
}

/*
 * Store the digests the hasher has ready: in the open batch (own false;
 * a failure fails the batch), or in a transaction of their own begun at
 * the first one (own true: when no batch is open, so that a file hashed
 * while the host is quiet, or at the stop, is not left without its
 * digest; what is taken and not stored is lost).  Returns 0 or -errno.
 */
static int
put_digests(struct writer *w, bool own)
{
	int64_t id;
	char hex[65];
	int r = 0, n = 0;

	while (hasher_take(w->cfg.hasher, &id, hex)) {
		if (own && n++ == 0 && (r = store_begin(w->st)) < 0)
			return r;
		if ((r = store_file_hash(w->st, id, hex)) < 0)
			break;
	}
	if (own && n > 0 && (r = store_commit(w->st)) < 0)
		store_rollback(w->st);
	return r;
}

static void
hash_submit(void *arg, int64_t id, pid_t pid, const char *path, size_t len,
    const struct file_ident *ident)
{
	hasher_submit(arg, id, pid, path, len, ident);
}

static int
batch_commit(struct writer *w, struct batch *b, struct wgap *wg)
{
	uint64_t t0 = now_ns(CLOCK_MONOTONIC), us;
	uint64_t received = w->stats.received + b->events + b->qlost + wg->count;
	int r = b->error;

	if (r == 0 && wg->count) {
		r = store_gap(w->st, w->session, pt_gap_name(PT_GAP_WRITE_ERROR),
		    wg->start, wg->end, -1, (int64_t)wg->count, false);
		if (r == 0)
			w->stats.gaps++;
	}
	if (r == 0)
		r = tracker_flush(w->t);
	if (r == 0 && w->cfg.hasher)
		r = put_digests(w, false);
	if (r == 0)
		r = store_session_update(w->st, w->session,
		    (int64_t)now_ns(CLOCK_REALTIME), received,
		    w->stats.lost + wg->count);
	if (r == 0)
		r = store_commit(w->st);
	if (r < 0) {
		store_rollback(w->st);
		tracker_committed(w->t, false);
		w->stats.failed++;
		w->stats.write_lost += b->events;
		wgap_add(w, wg, b->first_ts, b->last_ts, b->events);
		wg->count += b->qlost;	/* its queue_full gaps went too */
	} else {
		tracker_committed(w->t, true);
		if (w->cfg.hasher)	/* the executables first seen */
			store_new_files(w->st, hash_submit, w->cfg.hasher);
		w->stats.received = received;
		w->stats.batches++;
		if (b->snapshot)
			snapshot_committed(w);
		wg->count = 0;
	}
	us = (now_ns(CLOCK_MONOTONIC) - t0) / 1000;
	if (us > w->stats.max_batch_us)
		w->stats.max_batch_us = us;
	memset(b, 0, sizeof(*b));
	return r;
}

/* The writer loop's state between batches. */
struct wloop {
	bool failing;		/* writes fail (note_result) */
	uint64_t lost_before;	/* write_lost when they started to */
	uint64_t last_prune;	/* mono ns of the last retention step */
	bool prune_more;	/* it has more to delete */
};

/*
 * Report the start and the end of an episode of failing writes, once each
 * (the writer thread is where these errors reach the log).
 */
static void
note_result(struct writer *w, int r, struct wloop *l)
{
	if (r < 0 && !l->failing) {
		l->failing = true;
		l->lost_before = w->stats.write_lost;
		log_err("cannot write to the database: %s; retrying, events"
		    " are counted as a write_error gap", db_strerror(r));
	} else if (r == 0 && l->failing) {
		l->failing = false;
		log_warn("writing again; %llu events could not be written"
		    " meanwhile", (unsigned long long)(w->stats.write_lost -
		    l->lost_before));
	}
}

/*
 * Commit now?  At the batch size, unless a backlog is waiting in the queue:
 * then the batch may grow to BACKLOG_FACTOR times the size (each commit
 * rewrites the touched index pages: fewer, larger commits catch up faster),
 * still within the flush interval.  The snapshot's end commits at once.
 */
#define BACKLOG_FACTOR 8

static bool
batch_full(struct writer *w, const struct batch *b)
{
	if (b->snapshot || b->n >= w->batch * BACKLOG_FACTOR)
		return true;
	if (queue_used(w->q) == 0)
		return true;
	return now_ns(CLOCK_MONOTONIC) - b->started >=
	    (uint64_t)w->flush_ms * 1000000ull;
}

/* A retention step when one is due: between batches, never inside one. */
static void
maybe_prune(struct writer *w, struct wloop *l)
{
	uint64_t t0 = now_ns(CLOCK_MONOTONIC), us;
	struct retain_stats before, after;
	int r;

	if (!w->retain)
		return;
	if (!l->prune_more &&
	    t0 - l->last_prune < (uint64_t)w->prune_ms * 1000000ull)
		return;
	l->last_prune = t0;
	retain_stats(w->retain, &before);
	r = retain_step(w->retain, (int64_t)now_ns(CLOCK_REALTIME),
	    &l->prune_more);
	w->stats.prune_error = r;
	retain_stats(w->retain, &after);
	if (after.cmdlines != before.cmdlines)
		store_forget_cmdlines(w->st);	/* their ids are gone */
	us = (now_ns(CLOCK_MONOTONIC) - t0) / 1000;
	if (us > w->stats.max_prune_us)
		w->stats.max_prune_us = us;
}

/*
 * Commit the open batch and note how it went; after a success, a
 * retention step if one is due (between batches: under steady load the
 * queue is seldom empty with no batch open).  DB_E_CORRUPT sets w->error.
 * Returns the commit's result.
 */
static int
finish_batch(struct writer *w, struct batch *b, struct wgap *wg,
    struct wloop *l)
{
	int r = batch_commit(w, b, wg);

	w->stats.last_error = r;
	note_result(w, r, l);
	if (r == DB_E_CORRUPT)
		set_error(w, r);
	else if (r == 0)
		maybe_prune(w, l);
	return r;
}

/* The loop: records until REC_STOP, batches committed. */
static void
writer_loop(struct writer *w)
{
	struct batch b;
	struct wgap wg;
	const void *rec;
	uint32_t kind;
	size_t len;
	struct wloop l = { 0 };
	uint64_t now, deadline;
	int r, backoff_ms = 0, wait_ms;
	bool stop = false;

	memset(&b, 0, sizeof(b));
	memset(&wg, 0, sizeof(wg));
	while (!stop || b.open) {
		rec = stop ? NULL : queue_peek(w->q, &kind, &len);
		if (!rec) {
			now = now_ns(CLOCK_MONOTONIC);
			deadline = b.started + (uint64_t)w->flush_ms * 1000000ull;
			if (b.open && (stop || now >= deadline)) {
				r = finish_batch(w, &b, &wg, &l);
				if (r == DB_E_CORRUPT)
					break;
				if (r < 0) {
					/* back off: disk full, read-only... */
					backoff_ms = backoff_ms ? backoff_ms * 2 : 100;
					if (backoff_ms > 5000)
						backoff_ms = 5000;
					usleep((useconds_t)backoff_ms * 1000);
				} else {
					backoff_ms = 0;
				}
				continue;
			}
			if (stop)
				break;
			if (!b.open && w->cfg.hasher)
				(void)put_digests(w, true);
			if (!b.open) {
				maybe_prune(w, &l);
				if (l.prune_more)
					continue;
			}
			wait_ms = b.open ? (int)((deadline - now) / 1000000ull) + 1 :
			    1000;
			if (!b.open && w->retain && w->prune_ms < wait_ms)
				wait_ms = w->prune_ms;	/* wake for the next step */
			/*
			 * With a batch open, nothing is due before its
			 * deadline: sleep until then, or until an eighth of
			 * the queue fills, instead of waking at every record
			 * (that was a futex call in the reader and two
			 * context switches per record).  A stop or the
			 * snapshot's end wakes it at once.
			 */
			queue_wait(w->q, wait_ms, b.open ?
			    queue_size(w->q) / 8 : 1);
			continue;
		}
		if (kind == REC_STOP) {
			queue_release(w->q);
			stop = true;
			continue;
		}
		if (!b.open) {
			r = store_begin(w->st);
			if (r < 0) {
				/* cannot even start: count this record lost */
				w->stats.last_error = r;
				note_result(w, r, &l);
				if (kind == REC_EVENT || kind == REC_EXEC) {
					const struct pt_event *ev = rec;

					wgap_add(w, &wg, ev->ts, ev->ts, 1);
					w->stats.write_lost++;
				} else if (kind == REC_GAP) {
					/* a loss that cannot be stored as such
					 * still counts, in the write_error gap */
					const struct rec_gap *g = rec;

					if (g->kind != PT_GAP_SEQ)
						wgap_add(w, &wg, g->start, g->end,
						    g->count);
				} else if (kind == REC_SNAP_DONE) {
					/* do not hold "ready" back: the
					 * snapshot is as complete as it gets */
					snapshot_committed(w);
				}
				queue_release(w->q);
				w->stats.records++;
				continue;
			}
			b.open = true;
			b.started = now_ns(CLOCK_MONOTONIC);
		}
		handle(w, &b, kind, rec, len);
		queue_release(w->q);
		w->stats.records++;
		if (((++b.n >= w->batch && batch_full(w, &b)) || b.snapshot) &&
		    finish_batch(w, &b, &wg, &l) == DB_E_CORRUPT)
			break;
	}
}

/*
 * The session begins: boot row, session row, downtime gaps, then the
 * tracker, with the open rows earlier sessions left.
 */
static int
session_begin(struct writer *w)
{
	const struct writer_cfg *c = &w->cfg;
	struct tracker_cfg tc;
	int64_t boot, last_seen;
	int r;

	r = store_boot(w->st, c->boot_id, c->hostname, c->btime, &boot);
	if (r == 0)
		r = store_session_start(w->st, boot, c->pid, c->now,
		    c->mono_offset, c->boot_offset, c->rcvbuf, &w->session);
	if (r == 0)
		r = store_downtime(w->st, w->session, boot, c->btime, c->now,
		    &last_seen);
	if (r < 0)
		return r;
	memset(&tc, 0, sizeof(tc));
	tc.boot = boot;
	tc.mono_offset = c->mono_offset;
	tc.boot_offset = c->boot_offset;
	tc.btime = c->btime;
	tc.pid_max = procfs_pid_max();
	store_rows(w->st, w->session, &w->rows);
	r = store_max_ids(w->st, &tc.max_proc_id, &tc.max_exec_id);
	if (r == 0)
		r = tracker_new(&tc, &w->rows, &w->t);
	if (r == 0)
		r = store_open_rows(w->st, tracker_add_open, w->t);
	return r;
}

/* The session ends: its event count, losses and stop. */
static void
session_end(struct writer *w)
{
	int64_t now = (int64_t)now_ns(CLOCK_REALTIME);
	int r;

	r = store_session_update(w->st, w->session, now, w->stats.received,
	    w->stats.lost);
	if (r == 0)
		r = store_session_stop(w->st, w->session, now);
	w->stats.stop_error = r;
}

static void *
writer_thread(void *arg)
{
	struct writer *w = arg;
	int r;

	pthread_setname_np(pthread_self(), "pt-writer");
	r = service_restrict_caps(0);	/* a database is all it writes */
	if (r < 0)
		log_warn("writer: cannot drop capabilities: %s", strerror(-r));
	r = session_begin(w);
	pthread_mutex_lock(&w->lock);
	w->begun = 1;
	w->begin_error = r;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	if (r < 0)
		return NULL;
	writer_loop(w);
	if (w->cfg.hasher && !writer_error(w)) {
		/* what the last batches gave it to hash */
		if (hasher_drain(w->cfg.hasher, 5000) < 0)
			log_warn("stopping before every executable was hashed");
		(void)put_digests(w, true);
	}
	if (w->t)
		tracker_stats(w->t, &w->stats.tracker);
	session_end(w);
	if (writer_error(w))
		kill(getpid(), SIGUSR1);	/* wake main */
	return NULL;
}

int
writer_start(const struct writer_cfg *cfg, struct writer **ret)
{
	struct writer *w = calloc(1, sizeof(*w));
	int r;

	if (!w)
		return -ENOMEM;
	w->cfg = *cfg;
	w->st = cfg->st;
	w->q = cfg->q;
	w->batch = cfg->batch;
	w->flush_ms = cfg->flush_ms;
	w->prune_ms = cfg->prune_ms;
	w->retain = cfg->retain;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	r = pthread_create(&w->thread, NULL, writer_thread, w);
	if (r != 0) {
		free(w);
		return -r;
	}
	pthread_mutex_lock(&w->lock);
	while (!w->begun)
		pthread_cond_wait(&w->cond, &w->lock);
	r = w->begin_error;
	pthread_mutex_unlock(&w->lock);
	if (r < 0) {
		pthread_join(w->thread, NULL);
		tracker_free(w->t);
		free(w);
		return r;
	}
	*ret = w;
	return 0;
}

int64_t
writer_session(const struct writer *w)
{
	return w->session;
}

int
writer_error(const struct writer *w)
{
	return __atomic_load_n(&w->error, __ATOMIC_ACQUIRE);
}

int
writer_wait_snapshot(struct writer *w, int timeout_ms)
{
	struct timespec until;
	int r = 0;

	clock_deadline(CLOCK_REALTIME, timeout_ms, &until);
	pthread_mutex_lock(&w->lock);
	while (!w->snapshot_done && !w->error && r == 0)
		r = pthread_cond_timedwait(&w->cond, &w->lock, &until);
	r = w->snapshot_done ? 0 : w->error ? w->error : -ETIMEDOUT;
	pthread_mutex_unlock(&w->lock);
	return r;
}

void
writer_stop(struct writer *w, bool queue_stop, struct writer_stats *ret)
{
	if (!w)
		return;
	if (queue_stop && !writer_error(w)) {
		while (!queue_reserve(w->q, REC_STOP, 0))
			usleep(10000);
		queue_commit(w->q, 0, true);
	}
	pthread_join(w->thread, NULL);
	w->stats.error = w->error;
	if (ret)
		*ret = w->stats;
	tracker_free(w->t);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
