/*
 * Process-instance state machine.  Kernel facts it relies on (see
 * shared/docs/kernel-and-sqlite-notes.md, section 2):
 *  - a FORK is queued before the child can emit anything;
 *  - a thread's FORK names the process's parent, not the creating thread;
 *  - EXIT is per thread; the process ends at its last thread's exit, and the
 *    leader's EXIT may come early (pthread_exit) or be a fake one when a
 *    non-leader thread execs (the old leader dies, then EXEC(pid == tgid));
 *  - the old user's EXIT can arrive after the FORK that reuses its PID.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tracker.h"

#define NS_PER_TICK 10000000LL	/* USER_HZ = 100 */

struct inst {
	struct proc_row row;	/* what the process row says */
	uint64_t gen;		/* image generation: new at creation and exec */
	uint64_t last_exec;	/* mono ns of its last exec */
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
	struct store *st;
	struct tracker_cfg cfg;
	size_t cap;		/* slots in procs/limbo/threads (pid_max + 1) */
	struct inst **procs;	/* tgid -> live instance */
	struct inst **limbo;	/* tgid -> ended-by-reuse instance awaiting its exit */
	struct tslot *threads;	/* tid -> owner, for non-leader threads */
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

int64_t
tracker_wall(const struct tracker *t, uint64_t mono)
{
	return (int64_t)mono + t->cfg.mono_offset;
}

static uint64_t
mono_ticks(const struct tracker *t, uint64_t mono)
{
	return (uint64_t)(((int64_t)mono + t->cfg.boot_offset) / NS_PER_TICK);
}

void
tracker_set_boot_offset(struct tracker *t, int64_t boot_offset)
{
	t->cfg.boot_offset = boot_offset;
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
		if (!t->procs || !t->limbo || !t->threads)
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
	t->cap = ncap;
	return 0;
}

static int
pid_max(void)
{
	FILE *f = fopen("/proc/sys/kernel/pid_max", "re");
	int v = 32768;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = 32768;
		fclose(f);
	}
	return v;
}

int
tracker_new(struct store *st, const struct tracker_cfg *cfg,
    struct tracker **ret)
{
	struct tracker *t;
	int r;

	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->st = st;
	t->cfg = *cfg;
	t->live.next_live = t->live.prev_live = &t->live;
	t->next_gen = 1;
	r = grow(t, pid_max());	/* sizes the arrays to pid_max + 1 */
	if (r == 0)
		r = store_max_ids(st, &t->next_proc_id, &t->next_exec_id);
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
	if (!p->in_procs && !p->in_limbo && !p->dirty)
		free(p);
}

void
tracker_free(struct tracker *t)
{
	struct inst *p, *n;
	size_t i;

	if (!t)
		return;
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
	p->row.start = tracker_wall(t, mono);
	p->row.start_ticks = mono_ticks(t, mono);
	p->row.ppid = ppid;
	live_add(t, p);
	parent = parent_or_placeholder(t, ppid, tgid, mono);
	if (parent)
		inherit(p, parent);
	else
		p->row.flags |= PT_PF_PARENT_UNKNOWN;
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
		p = lookup(t, ev->tgid, ev->ts, ev->ptgid);
		if (!p)
			return -ENOMEM;
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
	} else if (old) {
		inst_reused(t, old, ev->ts);
	}
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
	if (parent && parent != p) {
		if (p != old)
			inherit(p, parent);
		else
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
	struct inst *p;
	int64_t exec_id;
	int r;

	t->stats.events++;
	p = lookup(t, ev->tgid, ev->ts, 0);
	if (!p)
		return -ENOMEM;
	/* de_thread killed every other thread; the exec'ing one is now
	 * the leader whatever its old TID was. */
	p->gen = t->next_gen++;
	p->nthreads = 1;
	p->leader_alive = true;
	p->last_exec = ev->ts;
	p->row.execs++;
	apply_creds(p, cap);
	exec_comm(p, cap, data);
	exec_id = t->next_exec_id++;
	p->row.image = exec_id;
	mark_dirty(t, p);
	r = store_event(t->st, t->cfg.session, ev, p->row.id);
	if (r == 0)
		r = store_exec(t->st, exec_id, p->row.id,
		    tracker_wall(t, ev->ts), cap, data);
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
	if (p->nthreads == 0)
		inst_end(t, p, tracker_wall(t, ev->ts), ev->status, true);
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
	if (ev->tgid <= 0 || grow(t, ev->tgid) < 0 || grow(t, ev->pid) < 0)
		return store_event(t->st, t->cfg.session, ev, 0);

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
		proc = p ? p->row.id : 0;
		break;
	}
	if (r < 0)
		return r;
	return store_event(t->st, t->cfg.session, ev, proc);
}

static void
collect_open(const struct proc_row *row, void *data)
{
	struct tracker *t = data;
	struct pending_open *n;
	size_t ncap;

	if (t->nopen == t->open_cap) {
		ncap = t->open_cap ? t->open_cap * 2 : 256;
		n = realloc(t->open, ncap * sizeof(*n));
		if (!n)
			return;	/* left open; closed at the next start */
		t->open = n;
		t->open_cap = ncap;
	}
	t->open[t->nopen].row = *row;
	t->open[t->nopen].adopted = false;
	t->nopen++;
}

int
tracker_load_open(struct tracker *t)
{
	return store_open_rows(t->st, collect_open, t);
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
		p = inst_new(t, s->tgid);
		if (!p)
			return -ENOMEM;
		p->row.flags = PT_PF_SNAPSHOT;
		p->row.start_ticks = s->cap.start_ticks;
		p->row.start = t->cfg.btime +
		    (int64_t)s->cap.start_ticks * NS_PER_TICK;
		p->row.ppid = s->cap.ppid;
		apply_creds(p, &s->cap);
		if (s->cap.flags & PT_CAP_COMM)
			memcpy(p->row.comm, s->cap.comm, sizeof(p->row.comm));
		exec_id = t->next_exec_id++;
		r = store_exec(t->st, exec_id, p->row.id,
		    tracker_wall(t, s->mono), &s->cap, data);
		if (r < 0) {
			free(p);
			return r;
		}
		t->stats.execs++;
		p->row.image = exec_id;
	}
	p->nthreads = 1 + s->ntids;
	p->leader_alive = true;
	live_add(t, p);
	mark_dirty(t, p);
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
	struct inst *p, *parent;
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
	/* What an earlier session left open and is not running now ended
	 * while nobody watched: we only know it was before now. */
	for (k = 0; k < t->nopen; k++) {
		o = &t->open[k];
		if (o->adopted)
			continue;
		r = store_process_close(t->st, o->row.id, t->cfg.session,
		    PT_PF_END_UNKNOWN);
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
	int r;

	/* The list was built newest first; insert in id order: descending
	 * inserts leave the process table's pages half full. */
	for (p = t->dirty; p; p = next) {
		next = p->next_dirty;
		p->next_dirty = prev;
		prev = p;
	}
	t->dirty = prev;
	for (p = t->dirty; p; p = p->next_dirty) {
		if (p->inserted || p->flushed)
			r = store_process_update(t->st, &p->row);
		else
			r = store_process_insert(t->st, &p->row);
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

	if (ok)
		t->exec_committed = t->next_exec_id - 1;
	for (p = t->dirty; p; p = n) {
		n = p->next_dirty;
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
tracker_touch_all(struct tracker *t)
{
	struct inst *p;

	for (p = t->live.next_live; p != &t->live; p = p->next_live)
		mark_dirty(t, p);
}

void
tracker_stats(const struct tracker *t, struct tracker_stats *ret)
{
	*ret = t->stats;
}
