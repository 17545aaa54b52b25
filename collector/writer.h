#ifndef PT_WRITER_H
#define PT_WRITER_H
/*
 * The writer: the one owner of the database while the collector runs.  Its
 * thread writes the boot and session rows and the downtime gaps at start,
 * takes records off the queue, feeds the tracker (whose row changes it
 * writes through the store), commits one BEGIN IMMEDIATE transaction per
 * batch (at most batch records or flush_ms milliseconds after the batch's
 * first record) with the session's heartbeat and event count, runs
 * retention steps between batches, and records the session's stop.
 *
 * A failed commit (disk full, read-only, I/O error) is rolled back, its
 * events counted as a 'write_error' gap, and writing retried with a
 * back-off.  A corrupt database stops the thread (writer_error).
 */
#include <stdbool.h>
#include <stdint.h>

#include "queue.h"
#include "retain.h"
#include "store.h"
#include "tracker.h"

struct writer;

struct writer_cfg {
	struct store *st;	/* open; used by the writer thread only, from
				 * writer_start() to writer_stop() */
	struct queue *q;	/* the records, ended by REC_STOP */
	struct retain *retain;	/* pruning, or NULL (the caller frees it) */
	struct hasher *hasher;	/* --hash-exe, or NULL (the caller stops it) */
	int batch;		/* records per transaction at most */
	int flush_ms;		/* transaction age at most */
	int prune_ms;		/* prune at most this often (unless behind) */
	const char *boot_id;	/* /proc/sys/kernel/random/boot_id */
	const char *hostname;
	int pid;		/* the collector's, for the session row */
	int64_t rcvbuf;		/* socket receive buffer granted */
	int64_t now;		/* wall ns: the session starts */
	int64_t mono_offset;	/* CLOCK_REALTIME - CLOCK_MONOTONIC, ns */
	int64_t boot_offset;	/* CLOCK_BOOTTIME - CLOCK_MONOTONIC, ns */
	int64_t btime;		/* wall ns of the boot */
};

struct writer_stats {
	uint64_t records;	/* taken off the queue */
	uint64_t batches;	/* committed */
	uint64_t failed;	/* rolled back */
	uint64_t write_lost;	/* events in rolled-back batches */
	uint64_t gaps;		/* gap rows */
	uint64_t lost;		/* events known lost, all causes */
	uint64_t malformed;	/* records that did not fit their kind */
	uint64_t received;	/* events accounted for at the last commit:
				 * written, or counted in a queue_full or
				 * write_error gap (session.events) */
	uint64_t max_batch_us;	/* longest commit, microseconds */
	uint64_t max_prune_us;	/* longest retention step, microseconds */
	int prune_error;	/* last retention step's -errno, or 0 */
	int last_error;		/* last failed commit's -errno, 0 once it worked */
	int error;		/* what stopped the thread (writer_error) */
	int stop_error;		/* recording the session's stop failed */
	struct tracker_stats tracker;
};

/*
 * Start the writer thread (it drops every capability); it begins the
 * session (boot row, session row, downtime gaps, the tracker with the open
 * rows of earlier sessions) before it takes any record.  Returns 0 and
 * *ret, or the -errno of that beginning (no thread left running).
 */
int writer_start(const struct writer_cfg *cfg, struct writer **ret);

/* The session row's id. */
int64_t writer_session(const struct writer *w);

/* Wait until the snapshot (REC_SNAP_DONE) is committed, at most
 * timeout_ms: 0, -ETIMEDOUT, or the error that stopped the writer. */
int writer_wait_snapshot(struct writer *w, int timeout_ms);

/* The -errno that stopped the thread (database corrupt), or 0; set once,
 * read from any thread.  The thread sends SIGUSR1 to the process then. */
int writer_error(const struct writer *w);

/*
 * The thread ends at the REC_STOP record the reader queues; if queue_stop,
 * queue it first (no reader ran).  Waits for the thread (the session's
 * stop is recorded), fills *ret and frees w.  NULL w: nothing.
 */
void writer_stop(struct writer *w, bool queue_stop, struct writer_stats *ret);
#endif
