#ifndef PT_NL_H
#define PT_NL_H
/*
 * The proc-connector netlink socket, through libmnl.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <linux/netlink.h>

struct nl_conn;

/*
 * Open a NETLINK_CONNECTOR socket (non-blocking, close-on-exec), size its
 * receive buffer to rcvbuf bytes (SO_RCVBUFFORCE, falling back to
 * SO_RCVBUF), and bind it to the proc connector's multicast group.
 * *ret_granted gets the buffer the kernel actually granted.
 * Allocates *ret; free with nl_close().
 */
int nl_open(size_t rcvbuf, struct nl_conn **ret, size_t *ret_granted);

/*
 * Subscribe (PROC_CN_MCAST_LISTEN) to the event types in the mask events
 * (PT_EV_*; PT_EV_ALL for all).  Kernels before 6.6 ignore the mask and
 * send everything.
 */
int nl_listen(struct nl_conn *nl, uint32_t events);

/* Unsubscribe (PROC_CN_MCAST_IGNORE): the kernel's listener count is never
 * decremented on close, so this must be sent before exiting. */
int nl_ignore(struct nl_conn *nl);

/*
 * Throw away whatever is queued (at most 100,000 datagrams), without
 * waiting: what came before a filter was set.
 */
void nl_drain(struct nl_conn *nl);

/*
 * Up to NL_BATCH datagrams of at most NL_DGRAM bytes each, received by one
 * recvmmsg() (a proc event datagram is 76 bytes).
 */
#define NL_BATCH	64
#define NL_DGRAM	1024

struct nl_batch {
	int n;				/* datagrams received */
	ssize_t len[NL_BATCH];		/* each one's length, or -EPERM (not
					 * from the kernel: discard) or
					 * -EMSGSIZE (truncated) */
	unsigned char buf[NL_BATCH][NL_DGRAM] __attribute__((aligned(8)));
	/* recvmmsg's arguments, pointing into this, set up once */
	bool ready;
	struct mmsghdr mm[NL_BATCH];
	struct iovec iov[NL_BATCH];
	struct sockaddr_nl addr[NL_BATCH];
};

/*
 * Receive the datagrams queued, up to NL_BATCH, into b (zeroed before its
 * first use, then left to this function).  With wait, block until the
 * first arrives (at most the socket's timeout, a second unless set) or a
 * signal interrupts (-EINTR); then take what is there.  Without, return at
 * once.  Returns b->n (> 0), -EAGAIN when nothing came, -ENOBUFS when the
 * kernel reported an overrun (events were dropped), or another -errno.
 */
int nl_recv_batch(struct nl_conn *nl, struct nl_batch *b, bool wait);

/* Set how long a blocking receive waits at most (SO_RCVTIMEO). */
int nl_set_timeout(struct nl_conn *nl, int ms);

/* Total events the kernel dropped on this socket (SO_MEMINFO). */
int nl_drops(const struct nl_conn *nl, uint64_t *ret);

/* Close and free; NULL is a no-op. */
void nl_close(struct nl_conn *nl);
#endif
