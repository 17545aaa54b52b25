/*
 * Seed corpus generator for fuzz_event: one datagram per file.
 *
 *   mkcorpus crafted DIR   every event type as the kernel lays it out
 *                          (nlmsghdr + cn_msg + proc_event), a datagram
 *                          with several messages, netlink ACK and error
 *                          messages, and a few hostile lengths
 *   mkcorpus live DIR N    subscribe to the proc connector (root) and save
 *                          the first N datagrams received, while running
 *                          a few processes to cause fork/exec/comm/exit
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/connector.h>
#include <linux/netlink.h>

#include "event.h"

static void
save(const char *dir, const char *name, const void *buf, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len) {
		perror(path);
		exit(1);
	}
	fclose(f);
}

/* One message at buf: nlmsghdr + cn_msg + proc_event header + data. */
static size_t
build(unsigned char *buf, uint32_t what, uint32_t cpu, uint64_t ts,
    uint32_t seq, const void *data, size_t data_len)
{
	struct nlmsghdr nlh;
	uint32_t idx = 1, val = 1, ack = 0;
	uint16_t cnlen = (uint16_t)(16 + data_len), flags = 0;

	memset(&nlh, 0, sizeof(nlh));
	nlh.nlmsg_len = (uint32_t)(16 + 20 + 16 + data_len);
	nlh.nlmsg_type = NLMSG_DONE;
	nlh.nlmsg_seq = seq;
	memset(buf, 0, NLMSG_ALIGN(nlh.nlmsg_len));
	memcpy(buf, &nlh, sizeof(nlh));
	memcpy(buf + 16, &idx, 4);
	memcpy(buf + 20, &val, 4);
	memcpy(buf + 24, &seq, 4);
	memcpy(buf + 28, &ack, 4);
	memcpy(buf + 32, &cnlen, 2);
	memcpy(buf + 34, &flags, 2);
	memcpy(buf + 36, &what, 4);
	memcpy(buf + 40, &cpu, 4);
	memcpy(buf + 44, &ts, 8);
	memcpy(buf + 52, data, data_len);
	return nlh.nlmsg_len;
}

static int
crafted(const char *dir)
{
	unsigned char buf[4096];
	int32_t fork_d[4] = { 100, 100, 200, 200 };
	int32_t thr_d[4] = { 1, 1, 201, 200 };
	int32_t exec_d[2] = { 200, 200 };
	int32_t id_d[4] = { 200, 200, 1000, 0 };
	int32_t ptrace_d[4] = { 200, 200, 300, 300 };
	int32_t core_d[4] = { 200, 200, 100, 100 };
	int32_t exit_d[6] = { 200, 200, 0x0300, 17, 100, 100 };
	int32_t texit_d[6] = { 201, 200, 0, -1, 0, 0 };
	uint32_t ack_d[1] = { 0 };
	unsigned char comm_d[24];
	struct nlmsghdr nlh;
	struct nlmsgerr e;
	size_t n, off;

	save(dir, "fork", buf, build(buf, PT_EV_FORK, 0, 5552424000000ull, 1, fork_d, 16));
	save(dir, "fork_thread", buf, build(buf, PT_EV_FORK, 1, 5552424000100ull, 2, thr_d, 16));
	save(dir, "exec", buf, build(buf, PT_EV_EXEC, 0, 5552424001000ull, 3, exec_d, 8));
	save(dir, "uid", buf, build(buf, PT_EV_UID, 0, 5552424002000ull, 4, id_d, 16));
	save(dir, "gid", buf, build(buf, PT_EV_GID, 0, 5552424002000ull, 5, id_d, 16));
	save(dir, "sid", buf, build(buf, PT_EV_SID, 0, 5552424003000ull, 6, exec_d, 8));
	save(dir, "ptrace", buf, build(buf, PT_EV_PTRACE, 1, 5552424004000ull, 7, ptrace_d, 16));
	memset(comm_d, 0, sizeof(comm_d));
	memcpy(comm_d, &exec_d, 8);
	memcpy(comm_d + 8, "kworker/u4:2-ev", 15);
	save(dir, "comm", buf, build(buf, PT_EV_COMM, 0, 5552424005000ull, 8, comm_d, 24));
	memset(comm_d + 8, 'A', 16);	/* no NUL in the kernel's 16 bytes */
	save(dir, "comm_full", buf, build(buf, PT_EV_COMM, 0, 5552424005000ull, 9, comm_d, 24));
	save(dir, "coredump", buf, build(buf, PT_EV_COREDUMP, 1, 5552424006000ull, 10, core_d, 16));
	save(dir, "exit", buf, build(buf, PT_EV_EXIT, 0, 5552424007000ull, 11, exit_d, 24));
	save(dir, "exit_thread", buf, build(buf, PT_EV_EXIT, 1, 5552424007000ull, 12, texit_d, 24));
	save(dir, "ack", buf, build(buf, PT_EV_NONE, 1, 5552424000000ull, 190800, ack_d, 4));
	save(dir, "unknown_what", buf, build(buf, 0x8, 0, 1, 13, exec_d, 8));
	/* kernels pad event_data to 24 bytes: the real length is 76 */
	save(dir, "fork_padded", buf, build(buf, PT_EV_FORK, 0, 1, 14, exit_d, 24));

	/* several messages in one datagram */
	off = build(buf, PT_EV_FORK, 0, 10, 20, fork_d, 16);
	off = NLMSG_ALIGN(off);
	n = build(buf + off, PT_EV_EXEC, 0, 11, 21, exec_d, 8);
	off += NLMSG_ALIGN(n);
	n = build(buf + off, PT_EV_EXIT, 0, 12, 22, exit_d, 24);
	off += n;
	save(dir, "multi", buf, off);

	/* a netlink ACK then an event, and an error */
	memset(buf, 0, sizeof(buf));
	memset(&nlh, 0, sizeof(nlh));
	nlh.nlmsg_len = NLMSG_HDRLEN + sizeof(e);
	nlh.nlmsg_type = NLMSG_ERROR;
	memset(&e, 0, sizeof(e));
	memcpy(buf, &nlh, sizeof(nlh));
	memcpy(buf + NLMSG_HDRLEN, &e, sizeof(e));
	off = NLMSG_ALIGN(nlh.nlmsg_len);
	off += build(buf + off, PT_EV_EXEC, 0, 11, 21, exec_d, 8);
	save(dir, "nlack_then_event", buf, off);
	e.error = -ECONNREFUSED;
	memcpy(buf + NLMSG_HDRLEN, &e, sizeof(e));
	save(dir, "nlerror", buf, NLMSG_ALIGN(nlh.nlmsg_len));

	/* hostile: nlmsg_len beyond the datagram, 2^31, cn len too big */
	n = build(buf, PT_EV_FORK, 0, 1, 1, fork_d, 16);
	nlh.nlmsg_len = 0x80000000u;
	memcpy(buf, &nlh.nlmsg_len, 4);
	save(dir, "len_2g", buf, n);
	n = build(buf, PT_EV_EXIT, 0, 1, 1, exit_d, 24);
	buf[32] = 0xff;
	buf[33] = 0xff;
	save(dir, "cnlen_big", buf, n);
	n = build(buf, PT_EV_EXIT, 0, 1, 1, exit_d, 24);
	save(dir, "truncated", buf, n - 5);
	return 0;
}

static int
live(const char *dir, int want)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
	unsigned char msg[NLMSG_SPACE(sizeof(struct cn_msg) + 8)];
	unsigned char buf[8192];
	struct nlmsghdr *nlh = (struct nlmsghdr *)msg;
	struct cn_msg *cn;
	uint32_t op[2] = { PT_MCAST_LISTEN, 0 /* ALL */ };
	char name[64];
	int fd, got = 0, i;
	ssize_t n;
	pid_t pid;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("netlink");
		return 1;
	}
	memset(msg, 0, sizeof(msg));
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(*cn) + sizeof(op));
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_pid = (uint32_t)getpid();
	cn = NLMSG_DATA(nlh);
	cn->id.idx = CN_IDX_PROC;
	cn->id.val = CN_VAL_PROC;
	cn->len = sizeof(op);
	memcpy(cn->data, op, sizeof(op));
	if (send(fd, nlh, nlh->nlmsg_len, 0) < 0) {
		perror("send");
		return 1;
	}
	/* fork, comm change, exec, exit 3; a thread-free setsid child */
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_NAME, "pt (seed) x");
		setsid();
		execl("/bin/sh", "sh", "-c", "exit 3", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
	for (i = 0; got < want && i < 200; i++) {
		struct pollfd p = { fd, POLLIN, 0 };

		if (poll(&p, 1, 50) <= 0)
			break;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0)
			break;
		snprintf(name, sizeof(name), "live-%02d", got++);
		save(dir, name, buf, (size_t)n);
	}
	op[0] = PT_MCAST_IGNORE;
	memcpy(cn->data, op, sizeof(op));
	(void)send(fd, nlh, nlh->nlmsg_len, 0);
	close(fd);
	printf("%d live datagrams\n", got);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "crafted") == 0)
		return crafted(argv[2]);
	if (argc >= 4 && strcmp(argv[1], "live") == 0)
		return live(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: mkcorpus crafted DIR | live DIR N\n");
	return 2;
}
