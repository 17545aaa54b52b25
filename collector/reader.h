#ifndef PT_READER_H
#define PT_READER_H
/*
 * The reader thread: drains the netlink socket as fast as it can, checks
 * per-CPU sequence numbers and SO_MEMINFO drops, reads /proc at each EXEC
 * while the process is most likely still there, and queues records for the
 * writer.  It never touches SQLite and never waits on the writer.
 *
 * With a doorbell socket (subscribed to EXEC only), the reader sleeps on
 * that one and wakes only for an EXEC, or every 10 ms while events come
 * (200 ms when none do, less with a small receive buffer); each time it
 * drains the main socket (every event, in order).  Without,
 * it wakes for every event: a wake-up and two context switches each, most
 * of its CPU time.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nl.h"
#include "queue.h"
#include "redact.h"

struct reader_stats {
	uint64_t datagrams;	/* received */
	uint64_t events;	/* proc events decoded */
	uint64_t bad;		/* malformed messages */
	uint64_t foreign;	/* datagrams not from the kernel */
	uint64_t enobufs;	/* overrun notifications */
	uint64_t kernel_drops;	/* SO_MEMINFO drops */
	uint64_t seq_lost;	/* per-CPU sequence gaps */
	uint64_t queue_lost;	/* events dropped: queue full */
	uint64_t execs;		/* EXEC events */
	uint64_t argv_ok;	/* ... whose argv was captured and verified */
	uint64_t acks;		/* subscription ACKs */
	uint64_t rings;		/* doorbell datagrams (EXECs) */
	uint64_t clock_moves;	/* REC_CLOCK records queued */
	uint64_t rings_missed;	/* rung EXECs the main socket did not
				 * bring within AWAIT_MS (it dropped them) */
	int unfiltered;		/* 1: the kernel ignored the doorbell's
				 * filter (before 6.6): one socket since */
	uint32_t ack_err;	/* errno of the last ACK */
	int ignore_err;		/* -errno of the unsubscription, or 0 */
};

struct reader;

struct reader_cfg {
	struct nl_conn *nl;	/* subscribed socket, every event */
	struct nl_conn *bell;	/* doorbell socket, EXEC only; or NULL:
				 * wake for every event of nl */
	size_t rcvbuf;		/* nl's receive buffer, bytes granted */
	struct queue *q;	/* to the writer */
	size_t argv_max;	/* argv capture limit */
	const struct redactor *redact;	/* argv rules, or NULL */
	int64_t boot_offset;	/* the clock offsets the writer starts */
	int64_t mono_offset;	/* with (struct rec_clock) */
	int rt_prio;		/* SCHED_FIFO priority, 0: normal */
};

/*
 * Start the reader thread, real-time (SCHED_FIFO at cfg->rt_prio) unless
 * that is 0 or not allowed (then it warns and runs normally).  The thread
 * narrows its capabilities to what reading /proc needs, first thing.
 * Returns 0 and *ret, or -errno (no thread).
 */
int reader_start(const struct reader_cfg *cfg, struct reader **ret);

/*
 * Stop the reader: it unsubscribes, drains the socket, queues REC_STOP
 * and returns; this waits for it.  Then reader_stats and reader_error
 * tell how it went; reader_free frees it.  Called from another thread.
 */
void reader_stop(struct reader *r);
void reader_free(struct reader *r);

/* Whether the kernel acknowledged the subscription or sent an event yet
 * (any thread, while it runs). */
bool reader_heard(const struct reader *r);
/* 0, or the -errno that stopped the thread (after reader_stop). */
int reader_error(const struct reader *r);
void reader_stats(const struct reader *r, struct reader_stats *ret);

/* Install the no-op handler of the signal reader_stop() sends (once, from
 * main, before the reader starts). */
void reader_signal_init(void);

/* BOOTTIME - MONOTONIC, ns. */
int64_t clock_boot_offset(void);
#endif
