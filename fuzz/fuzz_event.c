/*
 * libFuzzer harness: event_walk() over arbitrary datagram bytes, and
 * event_decode() over arbitrary connector payloads.
 *
 * Oracles besides ASan/UBSan on event.c:
 *  - the datagram is walked where libFuzzer put it (an exact-size heap
 *    block: ASan sees any over-read by event.c), then again copied to
 *    the end of a page followed by a PROT_NONE guard page, so an over-read
 *    by libmnl (not instrumented) faults instead of going unnoticed.  The
 *    copy starts 4-byte aligned, as a receive buffer does (libmnl itself
 *    reads headers in place), so up to 3 bytes separate it from the guard;
 *  - every decoded event must be consistent with an independent reference
 *    walk (ref_walk below): same number of events, and event_walk never
 *    reports more than the bytes could hold;
 *  - event_decode must not touch more than len bytes (same guard page)
 *    and must leave the comm NUL-terminated.
 */
#undef NDEBUG		/* the oracles are asserts: keep them in release builds */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/netlink.h>

#include "event.h"

#define MAX_DGRAM	65536

static unsigned char *region;	/* MAX_DGRAM bytes + guard page */
static size_t pagesz;

static unsigned char *
guarded_copy(const uint8_t *data, size_t size)
{
	unsigned char *p;

	if (!region) {
		pagesz = (size_t)sysconf(_SC_PAGESIZE);
		region = mmap(NULL, MAX_DGRAM + pagesz, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		assert(region != MAP_FAILED);
		assert(mprotect(region + MAX_DGRAM, pagesz, PROT_NONE) == 0);
	}
	p = region + MAX_DGRAM - ((size + 3) & ~(size_t)3);
	if (size)
		memcpy(p, data, size);
	return p;
}

struct count {
	unsigned n;
	uint32_t last_what;
};

static void
on_event(const struct pt_event *ev, void *data)
{
	struct count *c = data;

	/* fields the callers rely on */
	assert(ev->comm[16] == '\0');
	if (ev->what != PT_EV_COMM)
		assert(ev->comm[0] == '\0');
	c->n++;
	c->last_what = ev->what;
}

/*
 * Reference: how many events a correct walk delivers.  Messages are taken
 * while a whole header fits and nlmsg_len is within [16, remaining]; the
 * walk stops at the first bad length, at NLM_F_DUMP_INTR, or at an
 * NLMSG_ERROR carrying a non-zero error (or too short to carry one).
 * Events are NLMSG_DONE messages whose payload decodes.
 */
static unsigned
ref_walk(const unsigned char *p, size_t len, int *ret_err)
{
	struct pt_event ev;
	struct nlmsghdr h;
	size_t off = 0, step;
	unsigned n = 0;
	int32_t err;

	*ret_err = 0;
	while (len - off >= sizeof(h)) {
		memcpy(&h, p + off, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len - off)
			break;
		if (h.nlmsg_flags & NLM_F_DUMP_INTR) {
			*ret_err = 1;
			break;
		}
		if (h.nlmsg_type == NLMSG_DONE) {
			if (event_decode(p + off + NLMSG_HDRLEN,
			    h.nlmsg_len - NLMSG_HDRLEN, &ev) == 0)
				n++;
		} else if (h.nlmsg_type == NLMSG_ERROR) {
			if (h.nlmsg_len - NLMSG_HDRLEN < sizeof(struct nlmsgerr)) {
				*ret_err = 1;
				break;
			}
			memcpy(&err, p + off + NLMSG_HDRLEN, sizeof(err));
			if (err != 0) {
				*ret_err = 1;
				break;
			}
		}
		step = NLMSG_ALIGN(h.nlmsg_len);
		if (step > len - off)
			break;
		off += step;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pt_event ev;
	struct count c = { 0, 0 };
	unsigned char *buf;
	unsigned bad = 0, expect;
	int r, rerr;

	if (size > MAX_DGRAM)
		return -1;

	/* 1. the whole input as one received datagram, in place and then
	 * against the guard page */
	r = event_walk(data, size, on_event, &c, &bad);
	expect = c.n;
	c.n = 0;
	buf = guarded_copy(data, size);
	assert(event_walk(buf, size, on_event, &c, &bad) == r);
	assert(c.n == expect);
	assert(r == 0 || r < 0);
	expect = ref_walk(buf, size, &rerr);
	assert(c.n == expect);
	assert((r < 0) == (rerr != 0));
	/* at most one event per 16 + 20 + 16 bytes */
	assert(c.n <= size / (NLMSG_HDRLEN + PT_CN_MSG_SIZE + PT_PROC_EVENT_HDR));

	/* 2. the whole input as one connector payload */
	r = event_decode(data, size, &ev);
	assert(r == 0 || r == -EBADMSG || r == -ENOMSG);
	if (r == 0) {
		assert(size >= PT_CN_MSG_SIZE + PT_PROC_EVENT_HDR);
		assert(ev.comm[16] == '\0');
		assert(pt_event_name(ev.what) != NULL || ev.pid == 0);
	}
	return 0;
}
