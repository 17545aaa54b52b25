/*
 * Process-instance state machine.  Kernel facts it relies on (see
 * docs/schema.md, "How the collector decides"):
 *  - a FORK is queued before the child can emit anything;
 *  - a thread's FORK names the process's parent, not the creating thread;
 *  - EXIT is per thread; the process ends at its last thread's exit, and the
 *    leader's EXIT may come early (pthread_exit) or be a fake one when a
 *    non-leader thread execs (the old leader dies, then EXEC(pid == tgid));
 *  - the old user's EXIT can arrive after the FORK that reuses its PID.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tracker.h"


struct capwatch {
	int64_t exec;		/* newest capture's exec id; 0: nothing pending */
	int64_t from;		/* first exec of the chain resting on it */
	uint64_t t_open, t_done, layout;	/* of the newest capture */
	bool image_proven;	/* no later image can have been read */
};

/* Exec rows to drop at the next flush (inclusive id range of a process). */
struct xdrop {
	int64_t process, from, to;
	uint32_t why;		/* PT_CAP_RACED or PT_CAP_MISMATCH */
};

struct inst {
	struct proc_row row;	/* what the process row says */
	uint64_t gen;		/* image generation: new at creation and exec */
	uint64_t last_exec;	/* mono ns of its last exec */
	int64_t creds_exec;	/* exec whose capture its creds and comm rest on */
	int64_t creds_proc;	/* ... the process that exec'd it */
	struct capwatch cw;	/* its newest capture, until proven */
	struct inst *next_gone;	/* FIFO of ended instances still watched */
	bool in_gone;		/* t->gone[tgid] points here */
	bool snap_zombie;	/* the snapshot found it dead, not reaped */
	uint32_t snap_exit;	/* ... with this wait status */
	uint64_t snap_mono;	/* ... at this time */
	uint32_t nthreads;	/* live threads we know of, leader included */
	bool leader_alive;
	bool inserted;		/* row exists in the database (committed) */
	bool in_procs;		/* t->procs[tgid] points here */
	bool in_limbo;		/* t->limbo[tgid] points here */
	bool dirty;		/* on the dirty list */
	bool flushed;		/* written in the open transaction */
	bool ended;		/* end set; gone from procs */
	struct inst *next_dirty;
	struct inst *prev_live, *next_live;	/* live list (in_procs) */
};

/*
 * Captures against the stream.  A capture is read some time after its
 * event, and /proc shows what is there when it is read: possibly a later
 * image of the process (it exec'd again meanwhile) or a later process with
 * the same PID (it died, was reaped, and the PID was given out again; a
 * 10 ms start time cannot always tell).  Every kernel event is stamped
 * with CLOCK_MONOTONIC by the task that causes it, and a capture carries
 * t_open and t_done in the same clock (procfs.h), so the stream decides:
 *
 *  - the instance's next EXEC stamped before t_done: the reads may have
 *    seen that image: dropped (PT_CAP_RACED);
 *  - its next EXEC stamped after t_done: the reads can still have seen it
 *    if the kernel had set the new image up before stamping the event
 *    (between the two, the task is inside execve).  Then the image read
 *    is the new one, whose layout the next capture reads too: kept only if
 *    that capture's layout differs.  Such a keep rests on the next capture
 *    being right in turn, so the execs since the last proven one form a
 *    chain, dropped whole if a later link fails;
 *  - an event the process emits itself after t_done (it forks a child or
 *    a thread, a thread exits, it calls setsid, it dumps core) before its
 *    next EXEC: it still ran the image read, the chain is proven;
 *  - its last EXIT: no later image; stamped before t_open, the process
 *    was dead before the reads began, and what they found was not it:
 *    dropped (PT_CAP_MISMATCH);
 *  - a FORK of a process or thread with the same PID stamped before
 *    t_done: the PID may have been another process's during the reads:
 *    dropped (PT_CAP_MISMATCH).  This is why an ended instance stays
 *    watched (t->gone) for WATCH_NS of stream time after its last read.
 *
 * Exec rows already written are dropped by an UPDATE (rows.h, exec_drop) in
 * the same or a later batch.
 */
#define WATCH_NS	1000000000ull

/* What a thread id is known to belong to. */
struct tslot {
	int32_t tgid;		/* 0 = free */
	uint64_t gen;		/* inst->gen when the thread was created */
};

/* Open row of an earlier session of this boot, waiting for the snapshot. */
struct pending_open {
	struct proc_row row;
	bool adopted;
};

struct tracker {
	const struct rows *out;	/* where the row changes go */
	struct tracker_cfg cfg;
	size_t cap;		/* slots in procs/limbo/threads (pid_max + 1) */
	struct inst **procs;	/* tgid -> live instance */
	struct inst **limbo;	/* tgid -> ended-by-reuse instance awaiting its exit */
	struct tslot *threads;	/* tid -> owner, for non-leader threads */
	struct inst **gone;	/* tgid -> ended instance whose capture is
				 * still watched for a reuse of its PID */
	struct inst *gone_head, *gone_tail;	/* the same, oldest first */
	uint64_t newest_ts;	/* newest event timestamp handled */
	uint64_t clock_from;	/* mono ns of the last clock change */
	int64_t prev_boot_offset, prev_mono_offset;	/* offsets before it */
	struct xdrop *drops;	/* exec rows to drop at the next flush */
	size_t ndrops, drops_cap;
	struct inst *dirty;	/* changed since the last flush */
	struct inst live;	/* list head of live instances */
	int64_t next_proc_id;
	int64_t next_exec_id;
	int64_t exec_committed;	/* highest exec id known committed */
	uint64_t next_gen;
	struct pending_open *open;	/* open rows of this boot */
	size_t nopen, open_cap;
	struct tracker_stats stats;
};

/* Events stamped before the last clock change keep the offsets of before
 * (across CPUs, one can be handled after the change's record). */
int64_t
tracker_wall(const struct tracker *t, uint64_t mono)
{
	return (int64_t)mono + (mono < t->clock_from ? t->prev_mono_offset :
	    t->cfg.mono_offset);
}

static uint64_t
mono_ticks(const struct tracker *t, uint64_t mono)
{
	int64_t off = mono < t->clock_from ? t->prev_boot_offset :
	    t->cfg.boot_offset;

	return (uint64_t)(((int64_t)mono + off) / PT_NS_PER_TICK);
}

void
tracker_clock(struct tracker *t, uint64_t from, int64_t boot_offset,
    int64_t mono_offset)
{
	t->prev_boot_offset = t->cfg.boot_offset;
	t->prev_mono_offset = t->cfg.mono_offset;
	t->clock_from = from;
	t->cfg.boot_offset = boot_offset;
	t->cfg.mono_offset = mono_offset;
}

/* Make room for PIDs up to id.  The arrays are sized for pid_max at start
 * with calloc, which maps zero pages: only the slots of PIDs in use cost
 * memory.  They grow only if pid_max is raised while running. */
static int
grow(struct tracker *t, int32_t id)
{
	size_t ncap;
	void *p;

	if (id < 0)
		return -EINVAL;
	if ((size_t)id < t->cap)
		return 0;
	ncap = t->cap ? t->cap : 32768;
	while (ncap <= (size_t)id)
		ncap *= 2;
	if (ncap > (1u << 23))	/* PID_MAX_LIMIT is 4M */
		return -ERANGE;
	if (!t->cap) {
		t->procs = calloc(ncap, sizeof(*t->procs));
		t->limbo = calloc(ncap, sizeof(*t->limbo));
		t->threads = calloc(ncap, sizeof(*t->threads));
		t->gone = calloc(ncap, sizeof(*t->gone));
		if (!t->procs || !t->limbo || !t->threads || !t->gone)
			return -ENOMEM;
		t->cap = ncap;
		return 0;
	}
	p = realloc(t->procs, ncap * sizeof(*t->procs));
	if (!p)
		return -ENOMEM;
	t->procs = p;
	memset(t->procs + t->cap, 0, (ncap - t->cap) * sizeof(*t->procs));
	p = realloc(t->limbo, ncap * sizeof(*t->limbo));
	if (!p)
		return -ENOMEM;
	t->limbo = p;
	memset(t->limbo + t->cap, 0, (ncap - t->cap) * sizeof(*t->limbo));
	p = realloc(t->threads, ncap * sizeof(*t->threads));
	if (!p)
		return -ENOMEM;
	t->threads = p;
	memset(t->threads + t->cap, 0, (ncap - t->cap) * sizeof(*t->threads));
	p = realloc(t->gone, ncap * sizeof(*t->gone));
	if (!p)
		return -ENOMEM;
	t->gone = p;
	memset(t->gone + t->cap, 0, (ncap - t->cap) * sizeof(*t->gone));
	t->cap = ncap;
	return 0;
}

int
tracker_new(const struct tracker_cfg *cfg, const struct rows *out,
    struct tracker **ret)
{
	struct tracker *t;
	int r;

	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->out = out;
	t->cfg = *cfg;
	t->live.next_live = t->live.prev_live = &t->live;
	t->next_gen = 1;
	/* the arrays sized to pid_max + 1 at once (they grow as PIDs need) */
	r = grow(t, cfg->pid_max > 0 ? cfg->pid_max : 32768);
	t->next_proc_id = cfg->max_proc_id;
	t->next_exec_id = cfg->max_exec_id;
	if (r < 0) {
		tracker_free(t);
		return r;
	}
	t->exec_committed = t->next_exec_id;
	t->next_proc_id++;
	t->next_exec_id++;
	*ret = t;
	return 0;
}

static void
inst_maybe_free(struct inst *p)
{
	if (!p->in_procs && !p->in_limbo && !p->dirty && !p->in_gone)
		free(p);
}

void
tracker_free(struct tracker *t)
{
	struct inst *p, *n;
	size_t i;

	if (!t)
		return;
	for (p = t->gone_head; p; p = n) {
		n = p->next_gone;
		p->in_gone = false;
		inst_maybe_free(p);
	}
	for (p = t->dirty; p; p = n) {
		n = p->next_dirty;
		p->dirty = false;
		inst_maybe_free(p);
	}
	for (i = 0; i < t->cap; i++) {
		if (t->procs && t->procs[i]) {
			t->procs[i]->in_procs = false;
			inst_maybe_free(t->procs[i]);
		}
		if (t->limbo && t->limbo[i]) {
			t->limbo[i]->in_limbo = false;
			inst_maybe_free(t->limbo[i]);
		}
	}
	free(t->procs);
	free(t->limbo);
	free(t->threads);
	free(t->gone);
	free(t->drops);
	free(t->open);
	free(t);
}

static void
mark_dirty(struct tracker *t, struct inst *p)
{
	if (p->dirty)
		return;
	p->dirty = true;
	p->next_dirty = t->dirty;
	t->dirty = p;
}

static void
live_add(struct tracker *t, struct inst *p)
{
	p->next_live = &t->live;
	p->prev_live = t->live.prev_live;
	t->live.prev_live->next_live = p;
	t->live.prev_live = p;
	t->procs[p->row.tgid] = p;
	p->in_procs = true;
	t->stats.live++;
}

static void
live_del(struct tracker *t, struct inst *p)
{
	if (!p->in_procs)
		return;
	p->prev_live->next_live = p->next_live;
	p->next_live->prev_live = p->prev_live;
	p->next_live = p->prev_live = NULL;
	if (t->procs[p->row.tgid] == p)
		t->procs[p->row.tgid] = NULL;
	p->in_procs = false;
	t->stats.live--;
}

static struct inst *
inst_new(struct tracker *t, int32_t tgid)
{
	struct inst *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->row.id = t->next_proc_id++;
	p->row.boot = t->cfg.boot;
	p->row.tgid = tgid;
	p->gen = t->next_gen++;
	p->nthreads = 1;
	p->leader_alive = true;
	t->stats.processes++;
	return p;
}

/* Copy what a child inherits from its parent at fork. */
static void
inherit(struct inst *c, const struct inst *parent)
{
	c->row.parent = parent->row.id;
	c->row.has_creds = parent->row.has_creds;
	c->row.uid = parent->row.uid;
	c->row.euid = parent->row.euid;
	c->row.gid = parent->row.gid;
	c->row.egid = parent->row.egid;
	memcpy(c->row.comm, parent->row.comm, sizeof(c->row.comm));
	c->row.image = parent->row.image;
	c->creds_exec = parent->creds_exec;
	c->creds_proc = parent->creds_proc;
}

/*
 * parent forked a child that inherits its image: one it had not exec'd
 * itself, if it never exec'd (what search --argv follows down the tree).
 * A snapshot's process runs the exec row the snapshot made of it.
 */
static void
passed_on(struct tracker *t, struct inst *parent)
{
	if (parent->row.execs == 0 && !(parent->row.flags & PT_PF_SNAPSHOT) &&
	    parent->row.forked_before_exec != 1) {
		parent->row.forked_before_exec = 1;
		mark_dirty(t, parent);
	}
}

/* --- Captures against the stream (see the comment at the top) --- */

static int
xdrop_add(struct tracker *t, int64_t process, int64_t from, int64_t to,
    uint32_t why)
{
	struct xdrop *n;
	size_t ncap;

	if (t->ndrops == t->drops_cap) {
		ncap = t->drops_cap ? t->drops_cap * 2 : 16;
		n = realloc(t->drops, ncap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		t->drops = n;
		t->drops_cap = ncap;
	}
	t->drops[t->ndrops].process = process;
	t->drops[t->ndrops].from = from;
	t->drops[t->ndrops].to = to;
	t->drops[t->ndrops].why = why;
	t->ndrops++;
	t->stats.dropped += (uint64_t)(to - from + 1);
	return 0;
}

/* What the dropped capture gave: unknown again. */
static void
uncreds(struct tracker *t, struct inst *p)
{
	p->row.has_creds = false;
	p->row.uid = p->row.euid = p->row.gid = p->row.egid = 0;
	p->row.comm[0] = '\0';
	p->creds_exec = 0;
	p->creds_proc = 0;
	mark_dirty(t, p);
}

/*
 * p's pending chain of captures is not of its execs: drop its exec rows,
 * and what they gave p and the children that inherited it since.
 */
static int
chain_drop(struct tracker *t, struct inst *p, uint32_t why)
{
	struct capwatch *w = &p->cw;
	struct inst *q;
	int64_t ce = p->creds_exec;
	int r;

	if (!w->exec)
		return 0;
	r = xdrop_add(t, p->row.id, w->from, w->exec, why);
	if (ce && ce >= w->from && ce <= w->exec)
		uncreds(t, p);
	/* whoever inherited from one of these captures (its children, their
	 * children), live or not yet written; the rows written already are
	 * the sink's (exec_drop) */
	for (q = t->live.next_live; q != &t->live; q = q->next_live)
		if (q->creds_proc == p->row.id && q->creds_exec >= w->from &&
		    q->creds_exec <= w->exec)
			uncreds(t, q);
	for (q = t->dirty; q; q = q->next_dirty)
		if (q->creds_proc == p->row.id && q->creds_exec >= w->from &&
		    q->creds_exec <= w->exec)
			uncreds(t, q);
	memset(w, 0, sizeof(*w));
	return r;
}

/* p emitted an event itself at ts: if after its newest capture, it still
 * ran the image read then, and the chain is proven. */
static void
cw_evidence(struct inst *p, uint64_t ts)
{
	if (p && p->cw.exec && ts > p->cw.t_done)
		memset(&p->cw, 0, sizeof(p->cw));
}

/* A new capture of p, exec id exec_id: check the pending one against it
 * (its EXEC event at ts), then make it the pending one.  *cap may be
 * turned into a dropped capture. */
static int
cw_exec(struct tracker *t, struct inst *p, uint64_t ts, int64_t exec_id,
    struct pt_capture *cap, bool snapshot)
{
	struct capwatch *w = &p->cw;
	bool has = (cap->flags & PT_CAP_VERIFIED) != 0, chained = false;
	int64_t from = exec_id;
	uint64_t known = p->row.start_ticks;
	int r = 0;

	/* A start time known from the fork (or /proc) that is not the one
	 * read: another process.  Ours is from the FORK's stamp, at most a
	 * tick after the kernel's. */
	if (has && !snapshot && known &&
	    !(p->row.flags & PT_PF_START_UNKNOWN) &&
	    (cap->start_ticks > known || cap->start_ticks + 1 < known ||
	    ((p->row.flags & (PT_PF_SNAPSHOT | PT_PF_ADOPTED)) &&
	    cap->start_ticks != known))) {
		cap->flags = (cap->flags & ~(uint32_t)PT_CAP_DATA) |
		    PT_CAP_MISMATCH;
		cap->argv_len = cap->exe_len = cap->cwd_len = 0;
		cap->cgroup_len = 0;
		has = false;
		t->stats.dropped++;
	}
	if (w->exec) {
		if (ts > w->t_done && has && w->layout && cap->layout &&
		    cap->layout != w->layout) {
			chained = true;		/* rests on this capture */
			from = w->from;
		} else {
			r = chain_drop(t, p, PT_CAP_RACED);
		}
	}
	memset(w, 0, sizeof(*w));
	if (has) {
		w->exec = exec_id;
		w->from = chained ? from : exec_id;
		w->t_open = cap->t_open;
		w->t_done = cap->t_done;
		w->layout = cap->layout;
	}
	return r;
}

/* Stop watching the oldest ended instances once WATCH_NS of the stream
 * has passed their last read. */
static void
gone_expire(struct tracker *t)
{
	struct inst *p;

	while ((p = t->gone_head) &&
	    (!p->cw.exec || p->cw.t_done + WATCH_NS < t->newest_ts)) {
		t->gone_head = p->next_gone;
		if (!t->gone_head)
			t->gone_tail = NULL;
		p->next_gone = NULL;
		if (t->gone[p->row.tgid] == p)
			t->gone[p->row.tgid] = NULL;
		p->in_gone = false;
		inst_maybe_free(p);
	}
}

/* The stream has come to ts. */
static void
note_ts(struct tracker *t, uint64_t ts)
{
	if (ts > t->newest_ts)
		t->newest_ts = ts;
	if (t->gone_head)
		gone_expire(t);
}

/* p ended: its images are over; keep watching its PID for a while. */
static void
gone_add(struct tracker *t, struct inst *p)
{
	if (!p->cw.exec || p->in_gone)
		return;
	p->cw.image_proven = true;
	p->in_gone = true;
	p->next_gone = NULL;
	if (t->gone_tail)
		t->gone_tail->next_gone = p;
	else
		t->gone_head = p;
	t->gone_tail = p;
	t->gone[p->row.tgid] = p;
}

/* A FORK of PID (a process or a thread) at ts: an earlier instance whose
 * capture was read after it may have read the newcomer.  self: an
 * instance that is this very process (the snapshot read it), not checked. */
static int
fork_check(struct tracker *t, int32_t pid, uint64_t ts, struct inst *self)
{
	struct inst *c[3] = { t->procs[pid], t->limbo[pid], t->gone[pid] };
	int i, r = 0;

	for (i = 0; i < 3 && r == 0; i++) {
		if (!c[i] || c[i] == self || c[i]->row.tgid != pid ||
		    !c[i]->cw.exec)
			continue;
		if (ts <= c[i]->cw.t_done)
			r = chain_drop(t, c[i], PT_CAP_MISMATCH);
		else if (i > 0)
			memset(&c[i]->cw, 0, sizeof(c[i]->cw));
	}
	t->gone[pid] = NULL;	/* still in the FIFO until it expires */
	return r;
}

/* Before p ends at ts (its last thread's EXIT). */
static int
cw_end(struct tracker *t, struct inst *p, uint64_t ts)
{
	if (!p->cw.exec)
		return 0;
	if (ts < p->cw.t_open)	/* dead before the reads began */
		return chain_drop(t, p, PT_CAP_MISMATCH);
	return 0;
}

static struct inst *inst_unknown(struct tracker *t, int32_t tgid,
    uint64_t mono, int32_t ppid);

/*
 * The instance of parent PID ppid, of a child tgid.  When events were lost
 * the parent may be unknown: then a placeholder instance (start unknown,
 * its own parent unknown) is made, so that siblings share a parent and
 * lineage continues instead of dead-ending.  NULL for ppid 0 (children of
 * the idle task: init, kthreadd).
 */
static struct inst *
parent_or_placeholder(struct tracker *t, int32_t ppid, int32_t tgid,
    uint64_t mono)
{
	struct inst *parent;

	if (ppid <= 0 || ppid == tgid || grow(t, ppid) < 0)
		return NULL;
	parent = t->procs[ppid];
	if (!parent)
		parent = inst_unknown(t, ppid, mono, 0);
	return parent;
}

/*
 * An event names a process we have no instance for: its fork was lost (or
 * happened before the snapshot read /proc).  Make an instance flagged as
 * such, so the event is attributed and lineage continues from here.
 */
static struct inst *
inst_unknown(struct tracker *t, int32_t tgid, uint64_t mono, int32_t ppid)
{
	struct inst *p, *parent;

	p = inst_new(t, tgid);
	if (!p)
		return NULL;
	p->row.flags = PT_PF_START_UNKNOWN;
	p->row.forked_before_exec = -1;	/* its life before: not seen */
	p->row.start = tracker_wall(t, mono);
	p->row.start_ticks = mono_ticks(t, mono);
	p->row.ppid = ppid;
	live_add(t, p);
	parent = parent_or_placeholder(t, ppid, tgid, mono);
	if (parent) {
		inherit(p, parent);
		passed_on(t, parent);
	} else {
		p->row.flags |= PT_PF_PARENT_UNKNOWN;
	}
	mark_dirty(t, p);
	t->stats.unknown++;
	return p;
}

static struct inst *
lookup(struct tracker *t, int32_t tgid, uint64_t mono, int32_t ppid)
{
	struct inst *p;

	if (grow(t, tgid) < 0)
		return NULL;
	p = t->procs[tgid];
	return p ? p : inst_unknown(t, tgid, mono, ppid);
}

/* The process ended at wall time end with status (has_status false when
 * unknown). */
static void
inst_end(struct tracker *t, struct inst *p, int64_t end, uint32_t status,
    bool has_status)
{
	p->row.end = end > p->row.start ? end : p->row.start;
	p->row.status = status;
	p->row.has_status = has_status;
	if (has_status)
		p->row.flags &= ~(uint32_t)PT_PF_END_UNKNOWN;
	else
		p->row.flags |= PT_PF_END_UNKNOWN;
	p->ended = true;
	p->nthreads = 0;
	p->leader_alive = false;
	live_del(t, p);
	mark_dirty(t, p);
}

static void
limbo_clear(struct tracker *t, int32_t tgid)
{
	struct inst *p = t->limbo[tgid];

	if (!p)
		return;
	t->limbo[tgid] = NULL;
	p->in_limbo = false;
	inst_maybe_free(p);
}

/*
 * The PID of a live instance is being reused: the old process must be dead
 * (the kernel frees a PID only at release), its EXIT still in flight or
 * lost.  End it now, provisionally, at the new fork's time; keep it in
 * limbo so a late EXIT can still set its status.
 */
static void
inst_reused(struct tracker *t, struct inst *old, uint64_t mono)
{
	int32_t tgid = old->row.tgid;

	limbo_clear(t, tgid);
	old->row.flags |= PT_PF_REUSED;
	inst_end(t, old, tracker_wall(t, mono), 0, false);
	t->limbo[tgid] = old;
	old->in_limbo = true;
}

static int
on_fork_event(struct tracker *t, const struct pt_event *ev, int64_t *ret_proc)
{
	struct inst *p, *old, *parent;
	uint64_t ticks;

	if (grow(t, ev->tgid) < 0 || grow(t, ev->pid) < 0 ||
	    grow(t, ev->ptgid) < 0)
		return -ERANGE;

	if (ev->pid != ev->tgid) {
		/* a new thread of an existing process */
		if (fork_check(t, ev->pid, ev->ts, NULL) < 0)
			return -ENOMEM;
		p = lookup(t, ev->tgid, ev->ts, ev->ptgid);
		if (!p)
			return -ENOMEM;
		cw_evidence(p, ev->ts);	/* it made the thread */
		t->threads[ev->pid].tgid = ev->tgid;
		t->threads[ev->pid].gen = p->gen;
		p->nthreads++;
		*ret_proc = p->row.id;
		return 0;
	}

	ticks = mono_ticks(t, ev->ts);
	old = t->procs[ev->tgid];
	p = NULL;
	if (old && (old->row.flags & PT_PF_SNAPSHOT) &&
	    old->row.start_ticks + 2 >= ticks) {
		/* forked while the snapshot ran: the same process, now with
		 * its exact fork time and parent */
		p = old;
	}
	if (fork_check(t, ev->tgid, ev->ts, p) < 0)
		return -ENOMEM;
	if (old && !p)
		inst_reused(t, old, ev->ts);
	if (!p) {
		p = inst_new(t, ev->tgid);
		if (!p)
			return -ENOMEM;
		live_add(t, p);
	}
	p->row.start = tracker_wall(t, ev->ts);
	p->row.start_ticks = ticks;
	p->row.ppid = ev->ptgid;
	parent = parent_or_placeholder(t, ev->ptgid, ev->tgid, ev->ts);
	cw_evidence(parent, ev->ts);	/* it forked */
	if (parent && parent != p) {
		if (p != old) {
			inherit(p, parent);
			passed_on(t, parent);
		} else
			p->row.parent = parent->row.id;
		p->row.flags &= ~(uint32_t)PT_PF_PARENT_UNKNOWN;
	} else if (ev->ptgid > 0) {
		p->row.flags |= PT_PF_PARENT_UNKNOWN;
	}
	mark_dirty(t, p);
	*ret_proc = p->row.id;
	return 0;
}

static void
apply_creds(struct inst *p, const struct pt_capture *cap)
{
	if (!(cap->flags & PT_CAP_CREDS))
		return;
	p->row.has_creds = true;
	p->row.uid = cap->uid;
	p->row.euid = cap->euid;
	p->row.gid = cap->gid;
	p->row.egid = cap->egid;
}

/* comm after an exec: captured, else the basename of exe, else unknown. */
static void
exec_comm(struct inst *p, const struct pt_capture *cap, const char *data)
{
	const char *exe = data + cap->argv_len, *base;
	size_t n;

	if ((cap->flags & PT_CAP_COMM) && cap->comm[0]) {
		memcpy(p->row.comm, cap->comm, sizeof(p->row.comm));
		return;
	}
	p->row.comm[0] = '\0';
	if (!(cap->flags & PT_CAP_EXE) || cap->exe_len == 0)
		return;
	base = memrchr(exe, '/', cap->exe_len);
	base = base ? base + 1 : exe;
	n = (size_t)(exe + cap->exe_len - base);
	if (n > 15)
		n = 15;		/* TASK_COMM_LEN - 1 */
	memcpy(p->row.comm, base, n);
	p->row.comm[n] = '\0';
}

int
tracker_exec(struct tracker *t, const struct pt_event *ev,
    const struct pt_capture *cap, const char *data)
{
	struct pt_capture c = *cap;
	struct inst *p;
	int64_t exec_id;
	int r;

	t->stats.events++;
	note_ts(t, ev->ts);
	p = lookup(t, ev->tgid, ev->ts, 0);
	if (!p)
		return -ENOMEM;
	exec_id = t->next_exec_id++;
	r = cw_exec(t, p, ev->ts, exec_id, &c, false);
	if (r < 0)
		return r;
	/* de_thread killed every other thread; the exec'ing one is now
	 * the leader whatever its old TID was. */
	p->gen = t->next_gen++;
	p->nthreads = 1;
	p->leader_alive = true;
	p->last_exec = ev->ts;
	p->row.execs++;
	/* what the capture gives (credentials, comm) rests on it until it
	 * is proven: creds_exec names it, for chain_drop */
	if (c.flags & (PT_CAP_VERIFIED | PT_CAP_CREDS)) {
		p->creds_exec = exec_id;
		p->creds_proc = p->row.id;
	}
	apply_creds(p, &c);
	exec_comm(p, &c, data);
	p->row.image = exec_id;
	mark_dirty(t, p);
	r = t->out->event(t->out->ctx, ev, p->row.id);
	if (r == 0)
		r = t->out->exec(t->out->ctx, exec_id, p->row.id,
		    tracker_wall(t, ev->ts), ev->ts, cap->flags, &c, data);
	if (r == 0)
		t->stats.execs++;
	return r;
}

/* Which instance does this EXIT belong to?  NULL: ignore it (a thread we
 * never knew, or a leader killed by a non-leader's exec). */
static struct inst *
exit_owner(struct tracker *t, const struct pt_event *ev, bool *ret_thread)
{
	struct inst *cur = t->procs[ev->tgid], *old = t->limbo[ev->tgid];
	struct tslot *ts;

	*ret_thread = ev->pid != ev->tgid;
	if (*ret_thread) {
		ts = &t->threads[ev->pid];
		if (ts->tgid != ev->tgid)
			return NULL;
		ts->tgid = 0;
		if (cur && ts->gen == cur->gen)
			return cur;
		if (old && ts->gen == old->gen)
			return old;
		return NULL;	/* killed by an exec (de_thread) */
	}
	if (old) {
		/* A late EXIT of the previous user of this PID, unless the
		 * parent it names says it is the new one's. */
		if (!(cur && ev->ptgid > 0 && ev->ptgid == cur->row.ppid &&
		    ev->ptgid != old->row.ppid))
			return old;
	}
	if (!cur)
		return NULL;
	if (ev->ts < cur->last_exec)
		return NULL;	/* the old leader, killed by de_thread */
	return cur;
}

static int
on_exit_event(struct tracker *t, const struct pt_event *ev, int64_t *ret_proc)
{
	struct inst *p;
	bool thread;

	if (grow(t, ev->tgid) < 0 || grow(t, ev->pid) < 0)
		return -ERANGE;
	p = exit_owner(t, ev, &thread);
	if (!p) {
		if (thread || t->procs[ev->tgid] || t->limbo[ev->tgid]) {
			*ret_proc = t->procs[ev->tgid] ?
			    t->procs[ev->tgid]->row.id : 0;
			return 0;
		}
		/* the exit of a process we never saw: record that it lived */
		p = inst_unknown(t, ev->tgid, ev->ts, ev->ptgid);
		if (!p)
			return -ENOMEM;
	}
	*ret_proc = p->row.id;
	if (p->in_limbo && !thread) {
		/* the provisional end of a reused PID becomes a real one */
		p->row.end = tracker_wall(t, ev->ts);
		p->row.status = ev->status;
		p->row.has_status = true;
		p->row.flags &= ~(uint32_t)PT_PF_END_UNKNOWN;
		mark_dirty(t, p);
		limbo_clear(t, ev->tgid);
		return 0;
	}
	if (p->in_limbo) {
		if (p->row.flags & PT_PF_END_UNKNOWN) {
			p->row.status = ev->status;	/* best so far */
			p->row.has_status = true;
			p->row.flags &= ~(uint32_t)PT_PF_END_UNKNOWN;
			p->row.end = tracker_wall(t, ev->ts);
			mark_dirty(t, p);
		}
		return 0;
	}
	if (!thread) {
		if (!p->leader_alive)
			return 0;
		p->leader_alive = false;
	}
	if (p->nthreads > 0)
		p->nthreads--;
	if (p->nthreads == 0) {
		if (cw_end(t, p, ev->ts) < 0)
			return -ENOMEM;
		inst_end(t, p, tracker_wall(t, ev->ts), ev->status, true);
		gone_add(t, p);
	}
	return 0;
}

int
tracker_event(struct tracker *t, const struct pt_event *ev)
{
	struct inst *p;
	int64_t proc = 0;
	int r = 0;

	if (ev->what == PT_EV_NONE)
		return 0;	/* ACKs are not history */
	t->stats.events++;
	note_ts(t, ev->ts);
	if (ev->tgid <= 0 || grow(t, ev->tgid) < 0 || grow(t, ev->pid) < 0)
		return t->out->event(t->out->ctx, ev, 0);

	switch (ev->what) {
	case PT_EV_FORK:
		r = on_fork_event(t, ev, &proc);
		break;
	case PT_EV_EXIT:
		r = on_exit_event(t, ev, &proc);
		break;
	case PT_EV_UID:
	case PT_EV_GID:
		p = lookup(t, ev->tgid, ev->ts, 0);
		if (!p)
			return -ENOMEM;
		if (!p->row.has_creds) {
			/* half the credentials would be a guess */
		} else if (ev->what == PT_EV_UID) {
			p->row.uid = ev->rid;
			p->row.euid = ev->eid;
		} else {
			p->row.gid = ev->rid;
			p->row.egid = ev->eid;
		}
		mark_dirty(t, p);
		proc = p->row.id;
		break;
	case PT_EV_COMM:
		p = lookup(t, ev->tgid, ev->ts, 0);
		if (!p)
			return -ENOMEM;
		/* a thread renaming itself does not rename the process */
		if (ev->pid == ev->tgid) {
			memcpy(p->row.comm, ev->comm, sizeof(p->row.comm));
			mark_dirty(t, p);
		}
		proc = p->row.id;
		break;
	case PT_EV_EXEC:
		/* an EXEC without capture (tests, or the queue was short) */
		{
			struct pt_capture cap;

			memset(&cap, 0, sizeof(cap));
			cap.flags = PT_CAP_SKIPPED;
			t->stats.events--;
			return tracker_exec(t, ev, &cap, "");
		}
	default:
		p = t->procs[ev->tgid];
		if (!p && (ev->what == PT_EV_SID || ev->what == PT_EV_PTRACE ||
		    ev->what == PT_EV_COREDUMP))
			p = lookup(t, ev->tgid, ev->ts, 0);
		/* setsid and a core dump are the process's own doing */
		if (ev->what == PT_EV_SID || ev->what == PT_EV_COREDUMP)
			cw_evidence(p, ev->ts);
		proc = p ? p->row.id : 0;
		break;
	}
	if (r < 0)
		return r;
	return t->out->event(t->out->ctx, ev, proc);
}

int
tracker_add_open(const struct proc_row *row, void *tracker)
{
	struct tracker *t = tracker;
	struct pending_open *n;
	size_t ncap;

	if (t->nopen == t->open_cap) {
		ncap = t->open_cap ? t->open_cap * 2 : 256;
		n = realloc(t->open, ncap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		t->open = n;
		t->open_cap = ncap;
	}
	t->open[t->nopen].row = *row;
	t->open[t->nopen].adopted = false;
	t->nopen++;
	return 0;
}

int
tracker_snap(struct tracker *t, const struct rec_snap *s, const int32_t *tids,
    const char *data)
{
	struct inst *p = NULL;
	struct pending_open *o;
	uint64_t d;
	int64_t exec_id;
	uint32_t i;
	size_t k;
	bool dead;
	int r;

	if (grow(t, s->tgid) < 0)
		return -ERANGE;
	if (t->procs[s->tgid])
		return 0;	/* listed twice */
	/* An instance an earlier session of this boot left open? */
	for (k = 0; k < t->nopen; k++) {
		o = &t->open[k];
		if (o->adopted || o->row.boot != t->cfg.boot ||
		    o->row.tgid != s->tgid)
			continue;
		d = o->row.start_ticks > s->cap.start_ticks ?
		    o->row.start_ticks - s->cap.start_ticks :
		    s->cap.start_ticks - o->row.start_ticks;
		if (d > 2)
			continue;
		p = calloc(1, sizeof(*p));
		if (!p)
			return -ENOMEM;
		p->row = o->row;
		p->row.flags |= PT_PF_ADOPTED | PT_PF_GAP;
		p->gen = t->next_gen++;
		p->inserted = true;
		o->adopted = true;
		t->stats.adopted++;
		break;
	}
	if (!p) {
		struct pt_capture c = s->cap;

		p = inst_new(t, s->tgid);
		if (!p)
			return -ENOMEM;
		p->row.flags = PT_PF_SNAPSHOT;
		p->row.forked_before_exec = -1;
		p->row.start_ticks = s->cap.start_ticks;
		p->row.start = t->cfg.btime +
		    (int64_t)s->cap.start_ticks * PT_NS_PER_TICK;
		p->row.ppid = s->cap.ppid;
		exec_id = t->next_exec_id++;
		(void)cw_exec(t, p, s->mono, exec_id, &c, true);
		if (c.flags & (PT_CAP_VERIFIED | PT_CAP_CREDS)) {
			p->creds_exec = exec_id;
			p->creds_proc = p->row.id;
		}
		apply_creds(p, &c);
		if (c.flags & PT_CAP_COMM)
			memcpy(p->row.comm, c.comm, sizeof(p->row.comm));
		r = t->out->exec(t->out->ctx, exec_id, p->row.id,
		    tracker_wall(t, s->mono), s->mono, s->cap.flags, &c, data);
		if (r == 0)
			r = t->out->snap(t->out->ctx, s, tids, exec_id);
		if (r < 0) {
			free(p);
			return r;
		}
		t->stats.execs++;
		p->row.image = exec_id;
	} else {
		r = t->out->snap(t->out->ctx, s, tids, 0);
		if (r < 0) {
			free(p);
			return r;
		}
	}
	live_add(t, p);
	mark_dirty(t, p);
	dead = s->cap.state == 'Z' || s->cap.state == 'X';
	/* Already dead, not yet reaped: ended at tracker_snap_done, once its
	 * parent is linked. */
	p->snap_zombie = dead && s->ntids == 0;
	p->snap_exit = (uint32_t)s->cap.exit_code;
	p->snap_mono = s->mono;
	/* a dead leader (stat shows the leader's state) is no live thread */
	p->nthreads = (dead ? 0 : 1) + s->ntids;
	p->leader_alive = !dead;
	for (i = 0; i < s->ntids; i++) {
		if (grow(t, tids[i]) < 0)
			continue;
		t->threads[tids[i]].tgid = s->tgid;
		t->threads[tids[i]].gen = p->gen;
	}
	return 0;
}

int
tracker_snap_done(struct tracker *t)
{
	struct inst *p, *parent, *next;
	struct pending_open *o;
	size_t k;
	int r;

	for (p = t->live.next_live; p != &t->live; p = p->next_live) {
		if (p->row.parent || p->row.ppid <= 0 ||
		    (size_t)p->row.ppid >= t->cap)
			continue;
		parent = t->procs[p->row.ppid];
		if (parent && parent != p) {
			p->row.parent = parent->row.id;
			mark_dirty(t, p);
		}
	}
	/*
	 * Dead and not reaped: its exit (and the EXIT event) came before we
	 * listened, and reaping sends none.  It ended, when is unknown:
	 * before the snapshot read it; its exit status is in stat.  In
	 * limbo, an EXIT that does come (it died as we started) still sets
	 * the time.
	 */
	for (p = t->live.next_live; p != &t->live; p = next) {
		next = p->next_live;
		if (!p->snap_zombie)
			continue;
		p->snap_zombie = false;
		inst_end(t, p, tracker_wall(t, p->snap_mono), p->snap_exit, true);
		p->row.flags |= PT_PF_END_UNKNOWN;
		limbo_clear(t, p->row.tgid);
		t->limbo[p->row.tgid] = p;
		p->in_limbo = true;
	}
	/* What an earlier session left open and is not running now ended
	 * while nobody watched: we only know it was before now. */
	for (k = 0; k < t->nopen; k++) {
		o = &t->open[k];
		if (o->adopted)
			continue;
		r = t->out->close(t->out->ctx, o->row.id, PT_PF_END_UNKNOWN);
		if (r < 0)
			return r;
		t->stats.closed++;
	}
	free(t->open);
	t->open = NULL;
	t->nopen = t->open_cap = 0;
	return 0;
}

void
tracker_gap(struct tracker *t)
{
	struct inst *p;

	for (p = t->live.next_live; p != &t->live; p = p->next_live) {
		if (p->row.flags & PT_PF_GAP)
			continue;
		p->row.flags |= PT_PF_GAP;
		mark_dirty(t, p);
	}
}

int
tracker_flush(struct tracker *t)
{
	struct inst *p, *prev = NULL, *next;
	size_t i;
	int r;

	/* The list was built newest first; insert in id order: descending
	 * inserts leave the process table's pages half full. */
	for (p = t->dirty; p; p = next) {
		next = p->next_dirty;
		p->next_dirty = prev;
		prev = p;
	}
	t->dirty = prev;
	for (i = 0; i < t->ndrops; i++) {
		r = t->out->exec_drop(t->out->ctx, t->drops[i].process,
		    t->drops[i].from, t->drops[i].to, t->drops[i].why);
		if (r < 0)
			return r;
	}
	for (p = t->dirty; p; p = p->next_dirty) {
		r = t->out->process(t->out->ctx, &p->row,
		    !(p->inserted || p->flushed));
		if (r < 0)
			return r;
		p->flushed = true;
	}
	return 0;
}

void
tracker_committed(struct tracker *t, bool ok)
{
	struct inst *p, *n, *keep = NULL;

	if (ok) {
		t->exec_committed = t->next_exec_id - 1;
		t->ndrops = 0;
	} else {
		/* rows of this batch are gone, their ids given out again */
		size_t i, k = 0;

		for (i = 0; i < t->ndrops; i++) {
			if (t->drops[i].from > t->exec_committed)
				continue;
			if (t->drops[i].to > t->exec_committed)
				t->drops[i].to = t->exec_committed;
			t->drops[k++] = t->drops[i];
		}
		t->ndrops = k;
	}
	/* first the drops, on the whole dirty list (chain_drop adds to it) */
	for (p = t->dirty; p && !ok; p = p->next_dirty) {
		if (p->cw.exec > t->exec_committed) {
			/* the newest capture went with the batch: what rested
			 * on it cannot be proven any more */
			if (p->cw.from <= t->exec_committed) {
				p->cw.exec = t->exec_committed;
				(void)chain_drop(t, p, PT_CAP_RACED);
			}
			memset(&p->cw, 0, sizeof(p->cw));
		}
	}
	for (p = t->dirty; p; p = n) {
		n = p->next_dirty;
		if (!ok && p->creds_exec > t->exec_committed)
			p->creds_exec = p->creds_proc = 0;
		if (!ok && p->row.image > t->exec_committed) {
			/* its exec row was rolled back with the batch: the
			 * image is unknown, and events were lost */
			p->row.image = 0;
			p->row.flags |= PT_PF_GAP;
		}
		if (ok && p->flushed) {
			p->inserted = true;
			p->flushed = false;
			p->dirty = false;
			inst_maybe_free(p);
		} else {
			/* not written: stays dirty for the next batch */
			p->flushed = false;
			p->next_dirty = keep;
			keep = p;
		}
	}
	t->dirty = keep;
	if (!ok)
		t->next_exec_id = t->exec_committed + 1;	/* ids reusable */
}

void
tracker_stats(const struct tracker *t, struct tracker_stats *ret)
{
	*ret = t->stats;
}
