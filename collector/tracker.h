#ifndef PT_TRACKER_H
#define PT_TRACKER_H
/*
 * The process-instance state machine.  Turns the event stream into process
 * and exec rows: which instance an event belongs to (PIDs are reused; an
 * EXIT for the old user of a PID can arrive after the FORK of the new one),
 * parent instances, the end of a process at its last thread's exit, exec
 * images, credentials.  Runs in the writer thread; it writes nothing
 * itself: every row change goes to a sink (rows.h), in the writer's case
 * the store inside the current transaction.
 *
 * Process rows are written lazily: an instance changed in a batch is
 * inserted or updated once, at tracker_flush, just before the commit.
 */
#include <stdbool.h>
#include <stdint.h>

#include "event.h"
#include "procfs.h"
#include "record.h"
#include "rows.h"

struct tracker;

struct tracker_cfg {
	int64_t boot;		/* boot.id */
	int64_t max_proc_id;	/* highest process.id and exec.id in use: */
	int64_t max_exec_id;	/* the tracker allocates ids after them */
	int64_t mono_offset;	/* wall ns - CLOCK_MONOTONIC ns */
	int64_t boot_offset;	/* CLOCK_BOOTTIME ns - CLOCK_MONOTONIC ns */
	int64_t btime;		/* wall ns of the boot */
	int pid_max;		/* the kernel's; 0: 32768 (tables grow anyway) */
};

/* Counters, for the log and the session row. */
struct tracker_stats {
	uint64_t events;	/* events handled */
	uint64_t processes;	/* instances created */
	uint64_t execs;		/* exec rows */
	uint64_t unknown;	/* instances first seen without their fork */
	uint64_t adopted;	/* open rows carried over */
	uint64_t closed;	/* open rows closed as end-unknown at start */
	uint64_t live;		/* instances alive now */
	uint64_t dropped;	/* exec captures dropped against the stream */
};

/* A tracker writing through out (which must outlive it). */
int tracker_new(const struct tracker_cfg *cfg, const struct rows *out,
    struct tracker **ret);
void tracker_free(struct tracker *t);

/* An open row an earlier session left (end IS NULL), before the snapshot:
 * adopted if the snapshot finds it running, else closed.  tracker is the
 * struct tracker (the shape of store_open_rows()'s callback). */
int tracker_add_open(const struct proc_row *row, void *tracker);

int tracker_event(struct tracker *t, const struct pt_event *ev);
int tracker_exec(struct tracker *t, const struct pt_event *ev,
    const struct pt_capture *cap, const char *data);
int tracker_snap(struct tracker *t, const struct rec_snap *s,
    const int32_t *tids, const char *data);
/* The snapshot is complete: link parents, close what did not survive. */
int tracker_snap_done(struct tracker *t);
/* Events were lost: flag every live instance. */
void tracker_gap(struct tracker *t);

/* Write the rows changed since the last flush (inside the transaction). */
int tracker_flush(struct tracker *t);
/* The transaction committed (ok) or was rolled back (!ok). */
void tracker_committed(struct tracker *t, bool ok);

/* The clocks moved (a suspend moves BOOTTIME and the wall clock against
 * CLOCK_MONOTONIC; setting the time moves the wall clock): the offsets of
 * the events stamped from CLOCK_MONOTONIC ns "from" on. */
void tracker_clock(struct tracker *t, uint64_t from, int64_t boot_offset,
    int64_t mono_offset);

void tracker_stats(const struct tracker *t, struct tracker_stats *ret);

/* Convert a kernel timestamp to wall ns. */
int64_t tracker_wall(const struct tracker *t, uint64_t mono);
#endif
