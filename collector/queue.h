#ifndef PT_QUEUE_H
#define PT_QUEUE_H
/*
 * Bounded single-producer single-consumer queue of variable-length records,
 * in one ring buffer allocated once.  The netlink reader produces, the
 * SQLite writer consumes; the producer never blocks and never allocates:
 * when the ring is full, queue_reserve fails and the caller counts a loss.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct queue;

/* Create a queue of size bytes (rounded to 8).  Free with queue_free(). */
int queue_new(size_t size, struct queue **ret);
void queue_free(struct queue *q);

/*
 * Producer: reserve contiguous room for a record of up to len bytes of
 * kind kind.  Returns a pointer to it (8-aligned), or NULL when the queue is
 * full.  Nothing is visible to the consumer before queue_commit.
 */
void *queue_reserve(struct queue *q, uint32_t kind, size_t len);

/*
 * Producer: publish the reserved record with its actual length (<= the
 * reserved one).  Wakes the consumer if it sleeps and the bytes queued
 * reach what it waits for; if wake is true, whatever they are, and its next
 * queue_wait returns at once if it is not asleep yet.
 */
void queue_commit(struct queue *q, size_t len, bool wake);

/*
 * Consumer: the oldest record, its kind and length, or NULL when empty.
 * It stays valid until queue_release.
 */
const void *queue_peek(struct queue *q, uint32_t *ret_kind, size_t *ret_len);
void queue_release(struct queue *q);

/*
 * Consumer: sleep until min_bytes (at least 1) are queued, a producer asks
 * to wake it, or timeout_ms passed.  Waiting for more than one record
 * spares a wake-up (two context switches and a futex call) per record.
 * Returns true if a record is available.
 */
bool queue_wait(struct queue *q, int timeout_ms, size_t min_bytes);

/* Bytes in use now, the ring's size, and the most ever in use. */
size_t queue_used(struct queue *q);
size_t queue_size(struct queue *q);
size_t queue_peak(struct queue *q);
#endif
