#ifndef PT_WRITER_H
#define PT_WRITER_H
/*
 * The writer thread: takes records off the queue, feeds the tracker, and
 * commits one BEGIN IMMEDIATE transaction per batch (at most batch records
 * or flush_ms milliseconds after the batch's first record).  A failed commit
 * (disk full, read-only, I/O error) is rolled back, its events counted as a
 * 'write_error' gap, and writing retried with a back-off.
 */
#include <stdint.h>

#include "queue.h"
#include "retain.h"
#include "store.h"
#include "tracker.h"

struct writer_stats {
	uint64_t records;	/* taken off the queue */
	uint64_t batches;	/* committed */
	uint64_t failed;	/* rolled back */
	uint64_t write_lost;	/* events in rolled-back batches */
	uint64_t gaps;		/* gap rows */
	uint64_t lost;		/* events known lost, all causes */
	uint64_t received;	/* events accounted for at the last commit:
				 * written, or counted in a queue_full or
				 * write_error gap (session.events) */
	uint64_t max_batch_us;	/* longest commit, microseconds */
	uint64_t max_prune_us;	/* longest retention step, microseconds */
	int prune_error;	/* last retention step's -errno, or 0 */
};

struct writer {
	struct store *st;
	struct tracker *t;
	struct queue *q;
	int64_t session;
	int batch;		/* records per transaction at most */
	int flush_ms;		/* transaction age at most */
	struct retain *retain;	/* pruning, or NULL */
	int prune_ms;		/* prune at most this often (unless behind) */
	int error;		/* -errno that stopped the thread, or 0 */
	int last_error;		/* last failed commit's -errno, 0 once it worked */
	int snapshot_done;	/* 1 once the snapshot is committed (atomic) */
	struct writer_stats stats;
};

void *writer_main(void *arg);
#endif
