/*
 * Proc-connector socket: open, subscribe, receive, count drops.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "event.h"
#include "nl.h"

#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif

struct nl_conn {
	struct mnl_socket *sock;	/* libmnl handle */
	int fd;				/* its descriptor */
};

int
nl_open(size_t rcvbuf, struct nl_conn **ret, size_t *ret_granted)
{
	struct nl_conn *nl;
	int val, r;
	socklen_t len;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	nl->sock = mnl_socket_open2(NETLINK_CONNECTOR, SOCK_CLOEXEC);
	if (!nl->sock) {
		r = -errno;
		free(nl);
		return r;
	}
	nl->fd = mnl_socket_get_fd(nl->sock);

	/* The default buffer holds ~256 events (832 B of truesize each);
	 * a fork storm overflows it in milliseconds.  FORCE ignores
	 * rmem_max but needs CAP_NET_ADMIN. */
	if (rcvbuf > 0) {
		val = rcvbuf > (size_t)(INT32_MAX / 2) ? INT32_MAX / 2 : (int)rcvbuf;
		if (setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUFFORCE, &val,
		    sizeof(val)) < 0)
			(void)setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &val,
			    sizeof(val));
	}
	/* a blocking receive wakes at least this often, for periodic work */
	(void)nl_set_timeout(nl, 1000);
	len = sizeof(val);
	if (getsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &val, &len) == 0)
		*ret_granted = (size_t)val;
	else
		*ret_granted = 0;

	if (mnl_socket_bind(nl->sock, PT_CN_IDX_PROC, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		nl_close(nl);
		return r;
	}
	*ret = nl;
	return 0;
}

static int
nl_mcast(struct nl_conn *nl, uint32_t op, uint32_t events)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	unsigned char *cn, *in;
	uint32_t idx = PT_CN_IDX_PROC, val = PT_CN_VAL_PROC;
	uint16_t len = 8;	/* struct proc_input */

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_pid = 0;
	cn = mnl_nlmsg_put_extra_header(nlh, PT_CN_MSG_SIZE);
	memcpy(cn + 0, &idx, 4);
	memcpy(cn + 4, &val, 4);
	memcpy(cn + 16, &len, 2);
	in = mnl_nlmsg_put_extra_header(nlh, 8);
	memcpy(in, &op, 4);
	memcpy(in + 4, &events, 4);
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return 0;
}

int
nl_listen(struct nl_conn *nl, uint32_t events)
{
	return nl_mcast(nl, PT_MCAST_LISTEN, events);
}

int
nl_ignore(struct nl_conn *nl)
{
	return nl_mcast(nl, PT_MCAST_IGNORE, PT_EV_ALL);
}

void
nl_drain(struct nl_conn *nl)
{
	char buf[NL_DGRAM];
	int i;

	for (i = 0; i < 100000; i++)
		if (recv(nl->fd, buf, sizeof(buf), MSG_DONTWAIT) < 0 &&
		    errno != ENOBUFS && errno != EINTR)
			break;	/* EAGAIN: empty */
}

int
nl_recv_batch(struct nl_conn *nl, struct nl_batch *b, bool wait)
{
	struct msghdr *h;
	int i, n;

	if (!b->ready) {
		for (i = 0; i < NL_BATCH; i++) {
			b->iov[i].iov_base = b->buf[i];
			b->iov[i].iov_len = NL_DGRAM;
			h = &b->mm[i].msg_hdr;
			h->msg_name = &b->addr[i];
			h->msg_iov = &b->iov[i];
			h->msg_iovlen = 1;
		}
		b->ready = true;
		b->n = NL_BATCH;
	}
	/* the kernel changed these in the headers it filled last time */
	for (i = 0; i < b->n; i++) {
		b->mm[i].msg_hdr.msg_namelen = sizeof(b->addr[i]);
		b->mm[i].msg_hdr.msg_flags = 0;
	}
	b->n = 0;
	n = recvmmsg(nl->fd, b->mm, NL_BATCH, wait ? MSG_WAITFORONE :
	    MSG_DONTWAIT, NULL);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	for (i = 0; i < n; i++) {
		h = &b->mm[i].msg_hdr;
		if (h->msg_namelen != sizeof(b->addr[i]) ||
		    b->addr[i].nl_pid != 0)
			b->len[i] = -EPERM;
		else if (h->msg_flags & MSG_TRUNC)
			b->len[i] = -EMSGSIZE;
		else
			b->len[i] = (ssize_t)b->mm[i].msg_len;
	}
	b->n = n;
	return n;
}

int
nl_set_timeout(struct nl_conn *nl, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	if (setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		return -errno;
	return 0;
}

int
nl_drops(const struct nl_conn *nl, uint64_t *ret)
{
	uint32_t mem[SK_MEMINFO_VARS];
	socklen_t len = sizeof(mem);

	memset(mem, 0, sizeof(mem));
	if (getsockopt(nl->fd, SOL_SOCKET, SO_MEMINFO, mem, &len) < 0)
		return -errno;
	if (len < (SK_MEMINFO_DROPS + 1) * sizeof(uint32_t))
		return -ENOTSUP;
	*ret = mem[SK_MEMINFO_DROPS];
	return 0;
}

void
nl_close(struct nl_conn *nl)
{
	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl);
}
