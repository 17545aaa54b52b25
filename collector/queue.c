/*
 * SPSC ring of variable-length records.  Positions are byte counters that
 * only grow; a record never straddles the end of the buffer (a WRAP header
 * sends the consumer back to the start).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "queue.h"

#define REC_WRAP	0xffffffffu
#define HDR		8

struct rec_hdr {
	uint32_t len;		/* whole record, header included, 8-aligned */
	uint32_t kind;		/* caller's kind, or REC_WRAP */
};

struct queue {
	unsigned char *buf;	/* the ring */
	size_t size;		/* its bytes */
	_Atomic uint64_t head;	/* bytes ever produced (producer writes) */
	_Atomic uint64_t tail;	/* bytes ever consumed (consumer writes) */
	uint64_t resv;		/* producer: where the reserved record starts */
	uint32_t resv_kind;	/* producer: kind of the reserved record */
	uint64_t cur_len;	/* consumer: length of the peeked record */
	size_t peak;		/* most bytes in use (producer) */
	_Atomic uint64_t wake_at;	/* consumer sleeps on cond until this
				 * many bytes are queued; 0: awake */
	bool kick;		/* under lock: a record asked to wake it, not
				 * waited for yet */
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static size_t
align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

int
queue_new(size_t size, struct queue **ret)
{
	pthread_condattr_t ca;
	struct queue *q;

	size = align8(size);
	if (size < 4096)
		return -EINVAL;
	q = calloc(1, sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->buf = malloc(size);	/* pages are touched only as the ring fills */
	if (!q->buf) {
		free(q);
		return -ENOMEM;
	}
	q->size = size;
	pthread_mutex_init(&q->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q->cond, &ca);
	pthread_condattr_destroy(&ca);
	*ret = q;
	return 0;
}

void
queue_free(struct queue *q)
{
	if (!q)
		return;
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->cond);
	free(q->buf);
	free(q);
}

void *
queue_reserve(struct queue *q, uint32_t kind, size_t len)
{
	uint64_t head = atomic_load_explicit(&q->head, memory_order_relaxed);
	uint64_t tail = atomic_load_explicit(&q->tail, memory_order_acquire);
	size_t need = align8(len + HDR), pos = head % q->size;
	size_t skip = 0;
	struct rec_hdr h;

	if (need > q->size / 2)
		return NULL;
	if (q->size - pos < need)
		skip = q->size - pos;	/* wrap to the start */
	if (q->size - (size_t)(head - tail) < skip + need)
		return NULL;
	if (skip) {
		h.len = (uint32_t)skip;
		h.kind = REC_WRAP;
		memcpy(q->buf + pos, &h, HDR);
		head += skip;
		atomic_store_explicit(&q->head, head, memory_order_release);
		pos = 0;
	}
	q->resv = head;
	q->resv_kind = kind;
	return q->buf + pos + HDR;
}

void
queue_commit(struct queue *q, size_t len, bool wake)
{
	struct rec_hdr h;
	uint64_t head, used, at;

	h.len = (uint32_t)align8(len + HDR);
	h.kind = q->resv_kind;
	memcpy(q->buf + q->resv % q->size, &h, HDR);
	head = q->resv + h.len;
	atomic_store(&q->head, head);	/* seq_cst: pairs with wake_at */
	used = head - atomic_load_explicit(&q->tail, memory_order_relaxed);
	if (used > q->peak)
		q->peak = (size_t)used;
	if (wake) {
		/* sticky: also when the consumer is about to sleep */
		pthread_mutex_lock(&q->lock);
		q->kick = true;
		pthread_cond_signal(&q->cond);
		pthread_mutex_unlock(&q->lock);
		return;
	}
	at = atomic_load(&q->wake_at);
	if (at && used >= at) {
		pthread_mutex_lock(&q->lock);
		pthread_cond_signal(&q->cond);
		pthread_mutex_unlock(&q->lock);
	}
}

const void *
queue_peek(struct queue *q, uint32_t *ret_kind, size_t *ret_len)
{
	uint64_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);
	uint64_t head;
	struct rec_hdr h;

	for (;;) {
		head = atomic_load_explicit(&q->head, memory_order_acquire);
		if (tail == head)
			return NULL;
		memcpy(&h, q->buf + tail % q->size, HDR);
		if (h.kind != REC_WRAP)
			break;
		tail += h.len;
		atomic_store_explicit(&q->tail, tail, memory_order_release);
	}
	q->cur_len = h.len;
	*ret_kind = h.kind;
	*ret_len = h.len - HDR;
	return q->buf + tail % q->size + HDR;
}

void
queue_release(struct queue *q)
{
	uint64_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);

	atomic_store_explicit(&q->tail, tail + q->cur_len, memory_order_release);
	q->cur_len = 0;
}

bool
queue_wait(struct queue *q, int timeout_ms, size_t min_bytes)
{
	struct timespec ts;
	uint64_t at = min_bytes ? min_bytes : 1;
	bool avail;

	if (atomic_load(&q->head) - atomic_load(&q->tail) >= at)
		return true;
	clock_deadline(CLOCK_MONOTONIC, timeout_ms, &ts);
	pthread_mutex_lock(&q->lock);
	atomic_store(&q->wake_at, at);
	while (atomic_load(&q->head) - atomic_load(&q->tail) < at &&
	    !q->kick) {
		if (pthread_cond_timedwait(&q->cond, &q->lock, &ts) == ETIMEDOUT)
			break;
	}
	atomic_store(&q->wake_at, 0);
	q->kick = false;
	avail = atomic_load(&q->head) != atomic_load(&q->tail);
	pthread_mutex_unlock(&q->lock);
	return avail;
}

size_t
queue_used(struct queue *q)
{
	return (size_t)(atomic_load(&q->head) - atomic_load(&q->tail));
}

size_t
queue_size(struct queue *q)
{
	return q->size;
}

size_t
queue_peak(struct queue *q)
{
	return q->peak;
}
