#ifndef PT_EVENT_H
#define PT_EVENT_H
/*
 * Decoding proc-connector messages into struct pt_event.
 *
 * The wire layout is defined here rather than taken from <linux/cn_proc.h>:
 * Debian 12's header predates proc_input, PROC_EVENT_NONZERO_EXIT and
 * PROC_EVENT_ALL.  A datagram is nlmsghdr(16) + cn_msg(20) + proc_event(40);
 * nlmsg_type is NLMSG_DONE.  Nothing is ever cast in place: fields are
 * copied out with memcpy after the lengths were checked.
 */
#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define PT_CN_IDX_PROC	1	/* connector index of the proc connector */
#define PT_CN_VAL_PROC	1

#define PT_CN_MSG_SIZE		20	/* struct cn_msg without data */
#define PT_PROC_EVENT_SIZE	40	/* struct proc_event, 6.x kernels */
#define PT_PROC_EVENT_HDR	16	/* what, cpu, timestamp_ns */

/* proc_cn_mcast_op */
#define PT_MCAST_LISTEN	1
#define PT_MCAST_IGNORE	2

#define PT_EV_ALL (PT_EV_FORK | PT_EV_EXEC | PT_EV_UID | PT_EV_GID | \
	PT_EV_SID | PT_EV_PTRACE | PT_EV_COMM | PT_EV_NONZERO_EXIT | \
	PT_EV_COREDUMP | PT_EV_EXIT)

/*
 * One decoded event.  Which fields mean what depends on "what", and follows
 * the event table of schema/001-init.sql:
 *   FORK      pid/tgid child, ppid/ptgid parent
 *   EXEC      pid/tgid
 *   UID, GID  pid/tgid, rid/eid real and effective id
 *   SID       pid/tgid
 *   PTRACE    pid/tgid tracee, ppid/ptgid tracer (0 on detach)
 *   COMM      pid/tgid, comm
 *   COREDUMP  pid/tgid, ppid/ptgid parent
 *   EXIT      pid/tgid, status (wait status), signal (-1 for threads),
 *             ppid/ptgid parent (0 once reaped)
 *   NONE      ack_err: the ACK's errno (0 = success)
 */
struct pt_event {
	uint64_t ts;		/* kernel CLOCK_MONOTONIC ns */
	uint32_t what;		/* enum pt_what */
	uint32_t cpu;		/* emitting CPU */
	uint32_t seq;		/* per-CPU sequence number (cn_msg.seq) */
	int32_t pid;
	int32_t tgid;
	int32_t ppid;
	int32_t ptgid;
	uint32_t status;	/* EXIT: wait status */
	int32_t signal;		/* EXIT: exit signal */
	uint32_t rid;		/* UID/GID: real */
	uint32_t eid;		/* UID/GID: effective */
	uint32_t ack_err;	/* NONE: errno of the ACK */
	char comm[17];		/* COMM: NUL-terminated */
};

/*
 * Decode the payload of one netlink message (cn_msg + proc_event, len
 * bytes) into *ret.  Returns 0, -ENOMSG if it is a well-formed connector
 * message that is not a proc event, or -EBADMSG if it is truncated or
 * inconsistent.  Unknown "what" values decode with only the header set.
 */
int event_decode(const void *payload, size_t len, struct pt_event *ret);

/*
 * Walk one received datagram (buf, len bytes, already checked to come from
 * the kernel) and call fn for every proc event in it.  Malformed messages
 * are counted in *ret_bad and skipped.  Returns 0, or -errno when the
 * datagram carried a netlink error (NLMSG_ERROR) or could not be walked.
 */
typedef void (*event_fn)(const struct pt_event *ev, void *data);
int event_walk(const void *buf, size_t len, event_fn fn, void *data,
    unsigned *ret_bad);


#endif
