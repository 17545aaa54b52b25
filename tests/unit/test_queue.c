/*
 * The SPSC queue: order, wrap-around, full, a two-thread run, and when a
 * sleeping consumer is woken.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "queue.h"

#define N_THREADED 2000000

static void
test_basic(void)
{
	struct queue *q;
	const void *p;
	uint32_t kind;
	size_t len;
	int i, n, got;
	char *w;

	CHECK_EQ(queue_new(100, &q), -EINVAL);
	CHECK_EQ(queue_new(8192, &q), 0);
	CHECK(queue_peek(q, &kind, &len) == NULL);
	/* fill it: records of 100 bytes take 112 with the header */
	for (n = 0; (w = queue_reserve(q, 7, 100)); n++) {
		memset(w, n & 0xff, 100);
		queue_commit(q, 100, false);
	}
	CHECK_EQ(n, 8192 / 112);
	CHECK(queue_reserve(q, 7, 5000) == NULL);	/* over half: never */
	/* drain half, refill: forces a wrap */
	for (i = 0; i < n / 2; i++) {
		p = queue_peek(q, &kind, &len);
		CHECK(p != NULL);
		CHECK_EQ(kind, 7);
		CHECK_EQ(len, 104);
		CHECK_EQ(((const unsigned char *)p)[0], i & 0xff);
		queue_release(q);
	}
	for (got = 0; (w = queue_reserve(q, 8, 300)); got++) {
		memset(w, 0xaa, 300);
		queue_commit(q, 300, false);
	}
	CHECK(got > 0);
	/* all of the old then all of the new, in order */
	for (; i < n; i++) {
		p = queue_peek(q, &kind, &len);
		CHECK(p && kind == 7 && ((const unsigned char *)p)[0] == (i & 0xff));
		queue_release(q);
	}
	for (i = 0; i < got; i++) {
		p = queue_peek(q, &kind, &len);
		CHECK(p && kind == 8 && len == 304);
		queue_release(q);
	}
	CHECK(queue_peek(q, &kind, &len) == NULL);
	CHECK_EQ(queue_used(q), 0);
	CHECK(!queue_wait(q, 10, 1));
	queue_free(q);
}

static void *
producer(void *arg)
{
	struct queue *q = arg;
	uint32_t i, *w;

	for (i = 0; i < N_THREADED; ) {
		w = queue_reserve(q, 1, 4 + (i % 50));
		if (!w)
			continue;	/* full: spin */
		*w = i++;
		queue_commit(q, 4 + ((i - 1) % 50), false);
	}
	return NULL;
}

static void
test_threads(void)
{
	struct queue *q;
	pthread_t th;
	const uint32_t *p;
	uint32_t kind, expect = 0, bad = 0;
	size_t len;

	CHECK_EQ(queue_new(1 << 16, &q), 0);
	pthread_create(&th, NULL, producer, q);
	while (expect < N_THREADED) {
		p = queue_peek(q, &kind, &len);
		if (!p) {
			queue_wait(q, 100, 1);
			continue;
		}
		if (*p != expect)
			bad++;
		expect++;
		queue_release(q);
	}
	pthread_join(th, NULL);
	CHECK_EQ(bad, 0);
	CHECK_EQ(expect, N_THREADED);
	CHECK(queue_peak(q) <= (1 << 16));
	queue_free(q);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Producer of test_wake: records of 100 bytes (112 queued) at 1 ms
 * intervals, without asking to wake; then one that asks. */
static void *
trickle(void *arg)
{
	struct queue *q = arg;
	int i;

	for (i = 0; i < 40; i++) {
		usleep(1000);
		if (queue_reserve(q, 1, 100))
			queue_commit(q, 100, false);
	}
	usleep(300000);
	if (queue_reserve(q, 2, 8))
		queue_commit(q, 8, true);
	return NULL;
}

static void
test_wake(void)
{
	struct queue *q;
	pthread_t th;
	uint32_t kind;
	size_t len;
	double t0, t;

	CHECK_EQ(queue_new(1 << 16, &q), 0);
	/* below the threshold, a record does not wake it: the timeout does
	 * (a lower bound only, which no slow machine breaks) */
	CHECK(queue_reserve(q, 1, 100) != NULL);
	queue_commit(q, 100, false);
	t0 = now_s();
	CHECK(queue_wait(q, 200, 4096));
	CHECK(now_s() - t0 >= 0.19);
	CHECK(queue_peek(q, &kind, &len) != NULL);
	queue_release(q);

	/* the threshold wakes it (40 x 112 bytes pass 2048 at the 19th),
	 * long before the 30 s timeout; then a record that asks wakes it
	 * below the threshold */
	pthread_create(&th, NULL, trickle, q);
	t0 = now_s();
	CHECK(queue_wait(q, 30000, 2048));
	t = now_s() - t0;
	CHECK(t < 20);
	CHECK(queue_used(q) >= 2048);
	while (queue_peek(q, &kind, &len))
		queue_release(q);
	t0 = now_s();
	CHECK(queue_wait(q, 30000, 1 << 15));
	CHECK(now_s() - t0 < 20);
	pthread_join(th, NULL);
	while (queue_peek(q, &kind, &len) && kind == 1)
		queue_release(q);
	CHECK(queue_peek(q, &kind, &len) != NULL && kind == 2);
	queue_free(q);
}

int
main(void)
{
	test_basic();
	test_threads();
	test_wake();
	return check_done("test_queue");
}
