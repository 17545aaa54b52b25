/*
 * The SPSC queue: order, wrap-around, full, and a two-thread run.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

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
		queue_commit(q, 100);
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
		queue_commit(q, 300);
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
	CHECK(!queue_wait(q, 10));
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
		queue_commit(q, 4 + ((i - 1) % 50));
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
			queue_wait(q, 100);
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

int
main(void)
{
	test_basic();
	test_threads();
	return check_done("test_queue");
}
