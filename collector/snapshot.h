#ifndef PT_SNAPSHOT_H
#define PT_SNAPSHOT_H
/*
 * The start-up snapshot: every process already running, read from /proc
 * and queued as REC_SNAP records (then one REC_SNAP_DONE), so that lineage
 * of processes older than the collector does not dead-end.
 */
#include <stddef.h>

#include "queue.h"
#include "redact.h"

struct snapshot_stats {
	unsigned processes;	/* queued */
	unsigned vanished;	/* gone between listing and reading */
	unsigned dropped;	/* the queue had no room */
};

/* redact may be NULL. */
int snapshot_run(struct queue *q, size_t argv_max,
    const struct redactor *redact, struct snapshot_stats *ret);
#endif
