/*
 * Decoding proc-connector datagrams from crafted bytes: every event type,
 * truncated and hostile input.
 */
#include <errno.h>
#include <string.h>

#include <linux/netlink.h>

#include "check.h"
#include "event.h"

/* Build one datagram: nlmsghdr + cn_msg + proc_event (data_len bytes of
 * event_data).  Returns its length. */
static size_t
build(unsigned char *buf, uint32_t what, uint32_t cpu, uint64_t ts,
    uint32_t seq, const void *data, size_t data_len, uint16_t nltype)
{
	struct nlmsghdr nlh;
	uint32_t idx = 1, val = 1, ack = 0;
	uint16_t cnlen = (uint16_t)(16 + data_len), flags = 0;
	size_t off = 0;

	memset(buf, 0, 256);
	memset(&nlh, 0, sizeof(nlh));
	nlh.nlmsg_len = (uint32_t)(16 + 20 + 16 + data_len);
	nlh.nlmsg_type = nltype;
	nlh.nlmsg_seq = seq;
	memcpy(buf, &nlh, sizeof(nlh));
	off = 16;
	memcpy(buf + off, &idx, 4);
	memcpy(buf + off + 4, &val, 4);
	memcpy(buf + off + 8, &seq, 4);
	memcpy(buf + off + 12, &ack, 4);
	memcpy(buf + off + 16, &cnlen, 2);
	memcpy(buf + off + 18, &flags, 2);
	off += 20;
	memcpy(buf + off, &what, 4);
	memcpy(buf + off + 4, &cpu, 4);
	memcpy(buf + off + 8, &ts, 8);
	memcpy(buf + off + 16, data, data_len);
	return nlh.nlmsg_len;
}

struct seen {
	struct pt_event ev[8];
	int n;
};

static void
collect(const struct pt_event *ev, void *data)
{
	struct seen *s = data;

	if (s->n < 8)
		s->ev[s->n++] = *ev;
}

static void
test_types(void)
{
	unsigned char buf[512];
	int32_t fork_d[4] = { 100, 100, 200, 200 };
	int32_t exit_d[6] = { 200, 201, 0x0300, 17, 100, 100 };
	int32_t id_d[4] = { 5, 5, 1000, 0 };
	unsigned char comm_d[24];
	struct seen s = { .n = 0 };
	unsigned bad;
	size_t n;

	n = build(buf, PT_EV_FORK, 1, 123456789012ull, 7, fork_d, 16, NLMSG_DONE);
	CHECK_EQ(event_walk(buf, n, collect, &s, &bad), 0);
	CHECK_EQ(s.n, 1);
	CHECK_EQ(bad, 0);
	CHECK_EQ(s.ev[0].what, PT_EV_FORK);
	CHECK_EQ(s.ev[0].cpu, 1);
	CHECK_EQ(s.ev[0].seq, 7);
	CHECK_EQ(s.ev[0].ts, 123456789012ll);
	CHECK_EQ(s.ev[0].ppid, 100);
	CHECK_EQ(s.ev[0].ptgid, 100);
	CHECK_EQ(s.ev[0].pid, 200);
	CHECK_EQ(s.ev[0].tgid, 200);

	s.n = 0;
	n = build(buf, PT_EV_EXIT, 0, 5, 8, exit_d, 24, NLMSG_DONE);
	CHECK_EQ(event_walk(buf, n, collect, &s, &bad), 0);
	CHECK_EQ(s.n, 1);
	CHECK_EQ(s.ev[0].pid, 200);
	CHECK_EQ(s.ev[0].tgid, 201);
	CHECK_EQ(s.ev[0].status, 0x300);
	CHECK_EQ(s.ev[0].signal, 17);
	CHECK_EQ(s.ev[0].ptgid, 100);

	s.n = 0;
	n = build(buf, PT_EV_UID, 0, 5, 9, id_d, 16, NLMSG_DONE);
	CHECK_EQ(event_walk(buf, n, collect, &s, &bad), 0);
	CHECK_EQ(s.ev[0].rid, 1000);
	CHECK_EQ(s.ev[0].eid, 0);

	/* comm: exactly 16 bytes, not NUL-terminated on the wire */
	memset(comm_d, 0, sizeof(comm_d));
	memcpy(comm_d, &id_d[0], 8);
	memcpy(comm_d + 8, "abcdefghijklmnop", 16);
	s.n = 0;
	n = build(buf, PT_EV_COMM, 0, 5, 10, comm_d, 24, NLMSG_DONE);
	CHECK_EQ(event_walk(buf, n, collect, &s, &bad), 0);
	CHECK_EQ(s.n, 1);
	CHECK(strcmp(s.ev[0].comm, "abcdefghijklmnop") == 0);

	/* two messages in one datagram */
	{
		unsigned char two[512];
		size_t n1, n2;

		s.n = 0;
		n1 = build(two, PT_EV_FORK, 0, 1, 1, fork_d, 16, NLMSG_DONE);
		n2 = build(buf, PT_EV_EXEC, 0, 2, 2, fork_d, 8, NLMSG_DONE);
		memcpy(two + NLMSG_ALIGN(n1), buf, n2);
		CHECK_EQ(event_walk(two, NLMSG_ALIGN(n1) + n2, collect, &s,
		    &bad), 0);
		CHECK_EQ(s.n, 2);
	}
	CHECK_EQ(s.ev[1].what, PT_EV_EXEC);
}

static void
test_hostile(void)
{
	unsigned char buf[512], pay[64] = { 0 };
	int32_t fork_d[4] = { 1, 1, 2, 2 };
	struct pt_event ev;
	struct seen s = { .n = 0 };
	unsigned bad;
	uint16_t big = 60000;
	uint32_t wrong = 7;
	size_t n;

	/* payload shorter than cn_msg */
	CHECK_EQ(event_decode(pay, 10, &ev), -EBADMSG);
	/* event shorter than its type needs (fork with 8 data bytes) */
	n = build(buf, PT_EV_FORK, 0, 1, 1, fork_d, 8, NLMSG_DONE);
	CHECK_EQ(event_walk(buf, n, collect, &s, &bad), 0);
	CHECK_EQ(s.n, 0);
	CHECK_EQ(bad, 1);
	/* cn_msg.len claims more than the message holds */
	n = build(buf, PT_EV_FORK, 0, 1, 1, fork_d, 16, NLMSG_DONE);
	memcpy(buf + 16 + 16, &big, 2);
	CHECK_EQ(event_walk(buf, n, collect, &s, &bad), 0);
	CHECK_EQ(s.n, 0);
	CHECK_EQ(bad, 1);
	/* another connector index: not ours, not an error */
	n = build(buf, PT_EV_FORK, 0, 1, 1, fork_d, 16, NLMSG_DONE);
	memcpy(buf + 16, &wrong, 4);
	CHECK_EQ(event_decode(buf + 16, n - 16, &ev), -ENOMSG);
	CHECK_EQ(event_walk(buf, n, collect, &s, &bad), 0);
	CHECK_EQ(s.n, 0);
	CHECK_EQ(bad, 0);
	/* nlmsg_len larger than the datagram: nothing decoded */
	n = build(buf, PT_EV_FORK, 0, 1, 1, fork_d, 16, NLMSG_DONE);
	CHECK_EQ(event_walk(buf, n - 10, collect, &s, &bad), 0);
	CHECK_EQ(s.n, 0);
	/* a message of another type (>= NLMSG_MIN_TYPE) is ignored */
	n = build(buf, PT_EV_FORK, 0, 1, 1, fork_d, 16, 0x20);
	CHECK_EQ(event_walk(buf, n, collect, &s, &bad), 0);
	CHECK_EQ(s.n, 0);
	/* unknown "what": decoded with its header only */
	n = build(buf, 0x1000, 3, 99, 1, fork_d, 0, NLMSG_DONE);
	CHECK_EQ(event_walk(buf, n, collect, &s, &bad), 0);
	CHECK_EQ(s.n, 1);
	CHECK_EQ(s.ev[0].what, 0x1000);
	CHECK_EQ(s.ev[0].pid, 0);
	/* NLMSG_ERROR with an errno is reported */
	{
		struct nlmsghdr nlh = { .nlmsg_len = 16 + 20, .nlmsg_type = NLMSG_ERROR };
		int err = -ECONNREFUSED;

		memset(buf, 0, sizeof(buf));
		memcpy(buf, &nlh, 16);
		memcpy(buf + 16, &err, 4);
		CHECK_EQ(event_walk(buf, 36, collect, &s, &bad), -ECONNREFUSED);
	}
	/* random garbage never crashes */
	{
		unsigned seed = 12345;
		int i, j;

		for (i = 0; i < 20000; i++) {
			n = 16 + (size_t)(rand_r(&seed) % 200);
			for (j = 0; j < (int)n; j++)
				buf[j] = (unsigned char)rand_r(&seed);
			if (i & 1) {	/* plausible header, random rest */
				struct nlmsghdr nlh = { .nlmsg_len = (uint32_t)n,
				    .nlmsg_type = NLMSG_DONE };
				memcpy(buf, &nlh, 16);
			}
			(void)event_walk(buf, n, collect, &s, &bad);
			s.n = 0;
		}
		CHECK(1);
	}
}

int
main(void)
{
	test_types();
	test_hostile();
	CHECK(strcmp(pt_event_name(PT_EV_EXIT), "exit") == 0);
	CHECK(pt_event_name(12345) == NULL);
	return check_done("test_event");
}
