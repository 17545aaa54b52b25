/*
 * /proc parsing from crafted text, and real captures of real processes.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "procfs.h"
#include "taskbpf.h"

static void
test_parse_stat(void)
{
	const char *s1 = "1234 (a) b) (c) S 1 1234 1234 0 -1 4194560 100 0 0 0"
	    " 0 0 0 0 20 0 1 0 987654 1000 100 18446744073709551615\n";
	const char *s2 = "1 (systemd) S 0 1 1 0 -1 4194560";
	/* a whole line of 6.x, fields 1-52 */
	const char *s3 = "77 (sh) R 76 77 76 34817 77 4194304 110 0 0 0 0 0 0 0"
	    " 20 0 1 0 5000 2400256 217 18446744073709551615 94557400133632"
	    " 94557400134189 140730684797872 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0"
	    " 94557400145360 94557400145968 94558175277056 140730684799652"
	    " 140730684799657 140730684799657 140730684801011 768\n";
	/* without the right to read its memory map: code 1, the rest 0 */
	const char *s4 = "77 (sh) S 76 77 76 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1"
	    " 0 5000 0 0 0 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0"
	    " 0 0\n";
	/* an exec half done: a stack, no arguments yet */
	const char *s5 = "77 (sh) R 76 77 76 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1"
	    " 0 5000 0 0 0 4096 8192 140730684797872 0 0 0 0 0 0 0 0 0 17 1 0"
	    " 0 0 0 0 0 0 0 140730684799652 0 0 0 0\n";
	struct pt_stat st, st3;

	CHECK_EQ(procfs_stat(s1, strlen(s1), &st), 0);
	CHECK_EQ(st.start, 987654);
	CHECK_EQ(st.state, 'S');
	CHECK_EQ(st.ppid, 1);
	CHECK_EQ(st.flags, 4194560);
	CHECK_EQ(st.tty_nr, 0);
	CHECK_EQ(st.layout, 0);		/* fields 26 on absent */
	CHECK_EQ(procfs_stat(s2, strlen(s2), &st), -EBADMSG);
	CHECK_EQ(procfs_stat("garbage", 7, &st), -EBADMSG);
	CHECK_EQ(procfs_stat(")", 1, &st), -EBADMSG);
	CHECK_EQ(procfs_stat(s3, strlen(s3), &st3), 0);
	CHECK_EQ(st3.state, 'R');
	CHECK_EQ(st3.ppid, 76);
	CHECK_EQ(st3.tty_nr, 34817);
	CHECK_EQ(st3.start, 5000);
	CHECK_EQ(st3.exit_code, 768);
	CHECK(st3.layout != 0);
	CHECK_EQ(st3.building, 0);
	CHECK_EQ(procfs_stat(s4, strlen(s4), &st), 0);
	CHECK_EQ(st.layout, 0);
	CHECK_EQ(st.building, 0);
	CHECK_EQ(procfs_stat(s5, strlen(s5), &st), 0);
	CHECK(st.layout != 0 && st.layout != st3.layout);
	CHECK_EQ(st.building, 1);
	{
		const char *k = "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0"
		    " 0 20 0 1 0 3 0 0 0 0 0 0\n";
		const char *neg = "2 (x) S -1 0 0 0 -1 2129984 0 0 0 0 0 0 0"
		    " 0 20 0 1 0 3 0 0 0 0 0 0\n";

		CHECK_EQ(procfs_stat(k, strlen(k), &st), 0);
		CHECK(st.flags & PT_KF_KTHREAD);
		CHECK_EQ(procfs_stat(neg, strlen(neg), &st), -EBADMSG);
	}
}

static void
test_parse_status(void)
{
	const char *st = "Name:\tmy prog\nUmask:\t0022\nState:\tS (sleeping)\n"
	    "Uid:\t1000\t0\t0\t0\nGid:\t100\t50\t50\t50\n";
	struct pt_capture cap;

	const char *th = "Name:\tx\nUmask:\t0022\nState:\tS\nTgid:\t4242\n"
	    "Ngid:\t0\nPid:\t4250\n";

	CHECK_EQ(procfs_status_tgid(th, strlen(th)), 4242);
	CHECK_EQ(procfs_status_tgid(st, strlen(st)), -1);	/* none */
	CHECK_EQ(procfs_status_tgid("Tgid:\t\n", 7), -1);
	CHECK_EQ(procfs_status_tgid("Tgid:\t99999999999\n", 18), -1);
	CHECK_EQ(procfs_status_tgid("Tgid:\t12x\n", 10), -1);
	memset(&cap, 0, sizeof(cap));
	CHECK_EQ(procfs_parse_status(st, strlen(st), &cap), 0);
	CHECK(strcmp(cap.comm, "my prog") == 0);
	CHECK_EQ(cap.uid, 1000);
	CHECK_EQ(cap.euid, 0);
	CHECK_EQ(cap.gid, 100);
	CHECK_EQ(cap.egid, 50);
	memset(&cap, 0, sizeof(cap));
	CHECK_EQ(procfs_parse_status("Name:\tx\n", 8, &cap), -EBADMSG);
}

/* NSpid, namespace links, terminal names: the pure parts of who and
 * where */
static void
test_parse_context(void)
{
	const char *st = "Name:\tsh\nTgid:\t4242\nNSpid:\t4242\t17\t1\n"
	    "PPid:\t1\n";
	uint64_t ino = 0;
	int32_t v = 0;
	char buf[32];

	CHECK_EQ(procfs_parse_nspid(st, strlen(st), &v), 0);
	CHECK_EQ(v, 1);
	CHECK_EQ(procfs_parse_nspid("NSpid:\t300\n", 12, &v), 0);
	CHECK_EQ(v, 300);
	CHECK_EQ(procfs_parse_nspid("NSpid:\t300", 10, &v), 0);
	CHECK_EQ(procfs_parse_nspid("Name:\tx\n", 8, &v), -EBADMSG);
	CHECK_EQ(procfs_parse_nspid("NSpid:\t\n", 8, &v), -EBADMSG);
	CHECK_EQ(procfs_parse_nspid("NSpid:\t12x\n", 11, &v), -EBADMSG);
	CHECK_EQ(procfs_parse_nspid("NSpid:\t99999999999\n", 19, &v),
	    -EBADMSG);

	CHECK_EQ(procfs_parse_ns_link("pid:[4026531836]", 16, &ino), 0);
	CHECK(ino == 4026531836ULL);
	CHECK_EQ(procfs_parse_ns_link("mnt:[1]", 7, &ino), 0);
	CHECK(ino == 1);
	CHECK_EQ(procfs_parse_ns_link("pid:[]", 6, &ino), -EBADMSG);
	CHECK_EQ(procfs_parse_ns_link("pid:[12", 7, &ino), -EBADMSG);
	CHECK_EQ(procfs_parse_ns_link("pid:[1a]", 8, &ino), -EBADMSG);
	CHECK_EQ(procfs_parse_ns_link("pid:[99999999999999999999]", 26, &ino),
	    -EBADMSG);

	/* tty_nr: minor in bits 0-7 and 20-31, major in 8-19 */
	procfs_tty_name((136 << 8) | 3, buf, sizeof(buf));
	CHECK_STR(buf, "pts/3");
	procfs_tty_name((136 << 8) | (300 & 0xff) | ((300 & ~0xff) << 12),
	    buf, sizeof(buf));
	CHECK_STR(buf, "pts/300");
	procfs_tty_name((137 << 8) | 4, buf, sizeof(buf));
	CHECK_STR(buf, "pts/260");
	procfs_tty_name((4 << 8) | 1, buf, sizeof(buf));
	CHECK_STR(buf, "tty1");
	procfs_tty_name((4 << 8) | 64, buf, sizeof(buf));
	CHECK_STR(buf, "ttyS0");
	procfs_tty_name((5 << 8) | 1, buf, sizeof(buf));
	CHECK_STR(buf, "console");
	/* no such device in sysfs: numbers */
	procfs_tty_name((4000 << 8) | 7, buf, sizeof(buf));
	CHECK_STR(buf, "4000:7");
}

static uint64_t
now_ticks(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 100 + (uint64_t)ts.tv_nsec / 10000000;
}

static void
test_capture_child(void)
{
	char data[70000];
	struct pt_capture cap;
	int pfd[2], st;
	size_t used;
	pid_t pid;
	char c;

	/* a child that execs sleep with known arguments and credentials:
	 * real and effective ids all different */
	CHECK_EQ(pipe(pfd), 0);
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		if (setresgid(65533, 65532, 65532) < 0 ||
		    setresuid(65534, 65531, 65531) < 0)
			_exit(126);
		/* exec directly: a shell would reset euid to uid */
		if (write(pfd[1], "x", 1) != 1)
			_exit(125);
		execl("/bin/sleep", "sleep", "5", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	CHECK_EQ(read(pfd[0], &c, 1), 1);	/* about to exec */
	usleep(200000);				/* sleep has exec'd */
	memset(&cap, 0, sizeof(cap));
	used = procfs_capture(pid, now_ticks() + 1, 65536, &cap, data,
	    sizeof(data));
	CHECK(cap.flags & PT_CAP_VERIFIED);
	CHECK(cap.flags & PT_CAP_ARGV);
	CHECK(cap.flags & PT_CAP_EXE);
	CHECK(cap.flags & PT_CAP_CWD);
	CHECK(cap.flags & PT_CAP_CREDS);
	CHECK(!(cap.flags & PT_CAP_GONE));
	CHECK_EQ(cap.argv_len, 8);		/* "sleep\0" "5\0" */
	CHECK(memcmp(data, "sleep\0" "5\0", 8) == 0);
	CHECK(cap.exe_len > 0 && memcmp(data + cap.argv_len + cap.exe_len - 5,
	    "sleep", 5) == 0);
	CHECK(strcmp(cap.comm, "sleep") == 0);
	CHECK(cap.flags & PT_CAP_COMM);
	CHECK_EQ(cap.uid, 65534);
	CHECK_EQ(cap.euid, 65531);
	CHECK_EQ(cap.gid, 65533);
	CHECK_EQ(cap.egid, 65532);
	CHECK(used >= (size_t)cap.argv_len + cap.exe_len + cap.cwd_len);

	/* it started before "now": an event stamped long before its
	 * start must be rejected as another process's */
	memset(&cap, 0, sizeof(cap));
	used = procfs_capture(pid, 1, 65536, &cap, data, sizeof(data));
	CHECK(cap.flags & PT_CAP_MISMATCH);
	CHECK(!(cap.flags & (PT_CAP_ARGV | PT_CAP_VERIFIED)));
	CHECK_EQ(used, 0);

	/* argv cut at the limit, flagged */
	memset(&cap, 0, sizeof(cap));
	used = procfs_capture(pid, 0, 3, &cap, data, sizeof(data));
	CHECK(cap.flags & PT_CAP_TRUNC);
	CHECK_EQ(cap.argv_len, 3);

	/* a zombie: identity verified, argv gone, creds still there */
	kill(pid, SIGKILL);
	usleep(100000);
	memset(&cap, 0, sizeof(cap));
	(void)procfs_capture(pid, 0, 65536, &cap, data, sizeof(data));
	CHECK(cap.flags & PT_CAP_GONE);
	CHECK(!(cap.flags & PT_CAP_ARGV));
	CHECK(!(cap.flags & PT_CAP_EXE));
	CHECK(cap.flags & PT_CAP_CREDS);
	CHECK_EQ(cap.uid, 65534);
	CHECK_EQ(cap.egid, 65532);
	CHECK(strcmp(cap.comm, "sleep") == 0);
	CHECK_EQ(waitpid(pid, &st, 0), pid);

	/* reaped: nothing */
	memset(&cap, 0, sizeof(cap));
	used = procfs_capture(pid, 0, 65536, &cap, data, sizeof(data));
	CHECK(cap.flags & PT_CAP_GONE);
	CHECK(!(cap.flags & PT_CAP_VERIFIED));
	CHECK(!(cap.flags & PT_CAP_CREDS));
	CHECK_EQ(used, 0);
	close(pfd[0]);
}

/* The whole of /proc/PID/cmdline into buf; its length. */
static size_t
cmdline_of(pid_t pid, char *buf, size_t size)
{
	char path[64];
	size_t len = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	while (len < size && (n = read(fd, buf + len, size - len)) > 0)
		len += (size_t)n;
	close(fd);
	return len;
}

/* A forked child that rewrites its own argument area as setproctitle
 * does: all of it with 'x' (its last byte no longer NUL: the kernel's
 * cmdline then runs on into the environment) or a title and NULs. */
static void
retitle_self(bool overflow)
{
	char buf[1024], *p;
	unsigned long long v[53] = { 0 };
	ssize_t n;
	int fd, f;

	fd = open("/proc/self/stat", O_RDONLY);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		_exit(120);
	buf[n] = '\0';
	p = strrchr(buf, ')') + 4;	/* after ") S " */
	for (f = 4; f <= 51; f++)
		v[f] = strtoull(p, &p, 10);
	if (v[49] <= v[48])
		_exit(121);
	if (overflow) {
		memset((char *)(uintptr_t)v[48], 'x', v[49] - v[48]);
	} else {
		memset((char *)(uintptr_t)v[48], 0, v[49] - v[48]);
		memcpy((char *)(uintptr_t)v[48], "title", 5);
	}
}

/*
 * argv must be exactly what /proc/PID/cmdline gives: plain arguments
 * (empty, with spaces, not ASCII), cut at argv_max and flagged, and the
 * argument area rewritten as setproctitle does, with and without its
 * final NUL.  Twice, the second time through the paths older kernels take;
 * the namespaces must be the same either way.
 */
static void
test_capture_argv_forms(void)
{
	static char data[300000], want[300000];
	static char big[100001];
	struct pt_capture cap, cap2;
	int pfd[2], pass, k, st;
	size_t wlen;
	pid_t pid[3];
	char c;

	memset(big, 'a', sizeof(big) - 1);
	for (pass = 0; pass < 2; pass++) {
		procfs_slow_paths(pass == 1);
		CHECK_EQ(pipe(pfd), 0);
		pid[0] = fork();
		if (pid[0] == 0) {
			execl("/bin/sh", "sh", "-c", "sleep 5; :", "sh", "",
			    "with space", "\xc3\xbc", big, (char *)NULL);
			_exit(127);
		}
		for (k = 1; k < 3; k++) {
			pid[k] = fork();
			if (pid[k] == 0) {
				close(pfd[0]);
				retitle_self(k == 1);
				if (write(pfd[1], "x", 1) != 1)
					_exit(125);
				pause();
				_exit(0);
			}
		}
		close(pfd[1]);
		CHECK_EQ(read(pfd[0], &c, 1), 1);
		CHECK_EQ(read(pfd[0], &c, 1), 1);
		close(pfd[0]);
		usleep(200000);		/* sh has exec'd */
		for (k = 0; k < 3; k++) {
			wlen = cmdline_of(pid[k], want, sizeof(want));
			CHECK(wlen > 0);
			memset(&cap, 0, sizeof(cap));
			(void)procfs_capture(pid[k], 0, 200000, &cap, data,
			    sizeof(data));
			CHECK(cap.flags & PT_CAP_ARGV);
			CHECK(!(cap.flags & PT_CAP_TRUNC));
			CHECK_EQ(cap.argv_len, wlen);
			CHECK(memcmp(data, want, wlen) == 0);
			if (k == 0)
				CHECK(wlen >= sizeof(big));
			if (k == 1)	/* into the environment */
				CHECK(wlen > 0 && want[0] == 'x' &&
				    want[wlen - 1] != 'x');
			if (k == 2)
				CHECK(memcmp(want, "title\0", 6) == 0);
			/* cut */
			memset(&cap, 0, sizeof(cap));
			(void)procfs_capture(pid[k], 0, 5, &cap, data,
			    sizeof(data));
			CHECK(cap.flags & PT_CAP_TRUNC);
			CHECK_EQ(cap.argv_len, 5);
			CHECK(memcmp(data, want, 5) == 0);
		}
		/* the namespaces, the same either way */
		memset(&cap, 0, sizeof(cap));
		(void)procfs_capture(pid[0], 0, 65536, &cap, data,
		    sizeof(data));
		procfs_slow_paths(pass == 0);
		memset(&cap2, 0, sizeof(cap2));
		(void)procfs_capture(pid[0], 0, 65536, &cap2, data,
		    sizeof(data));
		CHECK(cap.flags & cap2.flags & PT_CAP_NS);
		CHECK(cap.pid_ns != 0 && cap.pid_ns == cap2.pid_ns);
		CHECK(cap.mnt_ns != 0 && cap.mnt_ns == cap2.mnt_ns);
		CHECK(cap.user_ns != 0 && cap.user_ns == cap2.user_ns);
		CHECK_EQ(cap.ns_pid, cap2.ns_pid);
		CHECK_EQ(cap.flags & PT_CAP_LOGIN, cap2.flags & PT_CAP_LOGIN);
		CHECK_EQ(cap.login_uid, cap2.login_uid);
		CHECK_EQ(cap.login_session, cap2.login_session);
		for (k = 0; k < 3; k++) {
			kill(pid[k], SIGKILL);
			CHECK_EQ(waitpid(pid[k], &st, 0), pid[k]);
		}
	}
	procfs_slow_paths(false);
}

/* Can this process load the BPF program: CAP_BPF and CAP_PERFMON
 * effective, in the initial user namespace? */
static int
may_load_bpf(void)
{
	char line[256];
	unsigned long long eff = 0;
	struct stat st;
	FILE *f;

	if (stat("/proc/self/ns/user", &st) < 0 || st.st_ino != 0xEFFFFFFDu)
		return 0;	/* PROC_USER_INIT_INO */
	f = fopen("/sys/kernel/security/lockdown", "re");
	if (f) {	/* confidentiality: no reading of kernel memory */
		if (fgets(line, sizeof(line), f) &&
		    strstr(line, "[confidentiality]")) {
			fclose(f);
			return 0;
		}
		fclose(f);
	}
	f = fopen("/proc/self/status", "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return (eff >> 38 & 3) == 3;	/* CAP_PERFMON, CAP_BPF */
}

/* Is the running kernel at least major.minor? */
static int
kernel_at_least(int major, int minor)
{
	struct utsname u;
	int a = 0, b = 0;

	if (uname(&u) < 0 || sscanf(u.release, "%d.%d", &a, &b) != 2)
		return 0;
	return a > major || (a == major && b >= minor);
}

/* Set by test_taskbpf: the BPF program must answer. */
static bool bpf_expected;

/* Capture pid both ways, the BPF program's (where it runs) and /proc's:
 * the login and the namespaces must be the same. */
static void
both_ways(pid_t pid, struct pt_capture *ret)
{
	static char data[70000];
	struct procfs_bpf_stats b0, b1;
	struct pt_capture alt;

	procfs_slow_paths(false);
	memset(ret, 0, sizeof(*ret));
	procfs_bpf_stats(&b0);
	(void)procfs_capture(pid, 0, 65536, ret, data, sizeof(data));
	procfs_bpf_stats(&b1);
	if (bpf_expected)	/* it answered, and was not turned off */
		CHECK(b1.answered == b0.answered + 1 && taskbpf_loaded());
	procfs_slow_paths(true);
	memset(&alt, 0, sizeof(alt));
	(void)procfs_capture(pid, 0, 65536, &alt, data, sizeof(data));
	procfs_slow_paths(false);
	CHECK(ret->flags & alt.flags & PT_CAP_NS);
	CHECK(ret->flags & alt.flags & PT_CAP_CREDS);
	CHECK(ret->flags & alt.flags & PT_CAP_VERIFIED);
	CHECK_EQ(ret->uid, alt.uid);
	CHECK_EQ(ret->euid, alt.euid);
	CHECK_EQ(ret->gid, alt.gid);
	CHECK_EQ(ret->egid, alt.egid);
	CHECK_EQ(ret->flags & PT_CAP_CGROUP, alt.flags & PT_CAP_CGROUP);
	CHECK_EQ(ret->cgroup_len, alt.cgroup_len);
	CHECK_EQ(ret->flags & PT_CAP_LOGIN, alt.flags & PT_CAP_LOGIN);
	CHECK_EQ(ret->login_uid, alt.login_uid);
	CHECK_EQ(ret->login_session, alt.login_session);
	CHECK_EQ(ret->ns_pid, alt.ns_pid);
	CHECK_EQ(ret->pid_ns, alt.pid_ns);
	CHECK_EQ(ret->mnt_ns, alt.mnt_ns);
	CHECK_EQ(ret->user_ns, alt.user_ns);
}

/* The program's cgroup id is the inode of the cgroup2 directory that
 * /proc/self/cgroup names (what PIDFD_GET_INFO gives). */
static void
check_cgroup_id(void)
{
	char buf[4096], path[4200], mnt[256] = "", root[256], line[1024], *p;
	struct pt_task_args a;
	struct stat st;
	ssize_t n;
	FILE *f;
	int fd;

	f = fopen("/proc/self/mountinfo", "re");
	CHECK(f != NULL);
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, " - cgroup2 ") &&
		    sscanf(line, "%*s %*s %*s %255s %255s", root, mnt) == 2 &&
		    strcmp(root, "/") == 0)
			break;
		else
			mnt[0] = '\0';
	if (f)
		fclose(f);
	fd = open("/proc/self/cgroup", O_RDONLY);
	CHECK(fd >= 0);
	n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n > 0)
		buf[n] = '\0';
	if (n <= 0 || !mnt[0] || !(p = strstr(buf, "0::"))) {
		printf("test_procfs: no cgroup v2 here\n");
		return;
	}
	p[strcspn(p, "\n")] = '\0';
	snprintf(path, sizeof(path), "%s%s", mnt, p + 3);
	CHECK_EQ(stat(path, &st), 0);
	CHECK_EQ(taskbpf_read(getpid(), &a), 0);
	CHECK(a.known & PT_TASK_CGROUP);
	CHECK_EQ(a.cgroup_id, (uint64_t)st.st_ino);
	CHECK(a.known & PT_TASK_CREDS);
	CHECK_EQ(a.uid, getuid());
	CHECK_EQ(a.egid, getegid());
}

static void *
thread_wait(void *arg)
{
	int *pfd = arg;
	pid_t tid = gettid();
	char c;

	if (write(pfd[1], &tid, sizeof(tid)) != sizeof(tid))
		return NULL;
	if (read(pfd[0], &c, 1) < 0)	/* until told */
		return NULL;
	return NULL;
}

/* A thread's number is not a process: nothing of it is kept, either way,
 * and the program is not turned off for it. */
static void
test_thread_number(void)
{
	static char data[70000];
	struct procfs_bpf_stats b0, b1;
	struct pt_capture cap;
	pthread_t th;
	int tp[2], back[2], pass;
	pid_t tid = 0;
	size_t used;

	CHECK_EQ(pipe(tp), 0);
	CHECK_EQ(pipe(back), 0);
	{
		int pfd[2] = { back[0], tp[1] };

		CHECK_EQ(pthread_create(&th, NULL, thread_wait, pfd), 0);
		CHECK_EQ(read(tp[0], &tid, sizeof(tid)), (ssize_t)sizeof(tid));
		for (pass = 0; pass < 2; pass++) {
			procfs_slow_paths(pass == 1);
			procfs_bpf_stats(&b0);
			memset(&cap, 0, sizeof(cap));
			used = procfs_capture(tid, 0, 65536, &cap, data,
			    sizeof(data));
			procfs_bpf_stats(&b1);
			CHECK(cap.flags & PT_CAP_MISMATCH);
			CHECK(!(cap.flags & PT_CAP_VERIFIED));
			CHECK_EQ(used, 0);
			CHECK_EQ(b1.answered, b0.answered);
			CHECK_EQ(b1.mismatch, b0.mismatch);
		}
		procfs_slow_paths(false);
		if (bpf_expected)
			CHECK(taskbpf_loaded());
		CHECK_EQ(write(back[1], "x", 1), 1);
		CHECK_EQ(pthread_join(th, NULL), 0);
	}
	close(tp[0]);
	close(tp[1]);
	close(back[0]);
	close(back[1]);
}

/*
 * The BPF program (taskbpf.c) against /proc: a process with a login of
 * its own, and a pid namespace's first process in new mount and user
 * namespaces.  Where the kernel can run the program (BTF, 6.10+, the
 * capabilities), a build with it must load it, and answer.
 */
static void
test_taskbpf(void)
{
	struct pt_capture cap, self;
	pid_t child, inner = 0;
	int pfd[2], r, st;
	char c;

	r = taskbpf_init();
	if (r == -EOPNOTSUPP) {
		printf("test_procfs: a build without the BPF program\n");
	} else if (access("/sys/kernel/btf/vmlinux", R_OK) == 0 &&
	    kernel_at_least(6, 10) && may_load_bpf()) {
		/* kfuncs in "syscall" programs: 6.10 */
		CHECK_EQ(r, 0);
		CHECK(taskbpf_loaded());
		bpf_expected = r == 0;
	}
	both_ways(getpid(), &self);
	CHECK_EQ(self.ns_pid, getpid());
	if (bpf_expected)
		check_cgroup_id();
	test_thread_number();

	/* a login: root may write its own loginuid (a new session) */
	CHECK_EQ(pipe(pfd), 0);
	child = fork();
	if (child == 0) {
		int fd = open("/proc/self/loginuid", O_WRONLY);

		if (fd < 0 || write(fd, "4321", 4) != 4)
			_exit(1);
		close(fd);
		if (write(pfd[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], &c, 1) == 1) {
		both_ways(child, &cap);
		CHECK_EQ(cap.login_uid, 4321);
		CHECK(cap.login_session != self.login_session);
		CHECK(cap.login_session != UINT32_MAX);
	} else {
		printf("test_procfs: loginuid not writable here\n");
	}
	close(pfd[0]);
	kill(child, SIGKILL);
	CHECK_EQ(waitpid(child, &st, 0), child);

	/* credentials: real, effective and saved apart */
	CHECK_EQ(pipe(pfd), 0);
	child = fork();
	if (child == 0) {
		if (setresgid(1234, 4321, 5678) < 0 ||
		    setresuid(1234, 4321, 5678) < 0 ||
		    write(pfd[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(pfd[1]);
	CHECK_EQ(read(pfd[0], &c, 1), 1);
	close(pfd[0]);
	both_ways(child, &cap);
	CHECK_EQ(cap.uid, 1234);
	CHECK_EQ(cap.euid, 4321);
	CHECK_EQ(cap.gid, 1234);
	CHECK_EQ(cap.egid, 4321);
	kill(child, SIGKILL);
	CHECK_EQ(waitpid(child, &st, 0), child);

	/* new user, mount and pid namespaces: the child forks the first
	 * process of its pid namespace and tells its PID (ours) */
	CHECK_EQ(pipe(pfd), 0);
	child = fork();
	if (child == 0) {
		pid_t g;

		close(pfd[0]);
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID) < 0)
			_exit(1);
		g = fork();
		if (g == 0) {
			pause();
			_exit(0);
		}
		if (g < 0)
			_exit(1);
		if (write(pfd[1], &g, sizeof(g)) != sizeof(g)) {
			kill(g, SIGKILL);
			_exit(1);
		}
		(void)waitpid(g, NULL, 0);
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], &inner, sizeof(inner)) == sizeof(inner)) {
		both_ways(inner, &cap);
		CHECK_EQ(cap.ns_pid, 1);
		CHECK(cap.pid_ns != 0 && cap.pid_ns != self.pid_ns);
		CHECK(cap.mnt_ns != 0 && cap.mnt_ns != self.mnt_ns);
		CHECK(cap.user_ns != 0 && cap.user_ns != self.user_ns);
		kill(inner, SIGKILL);
	} else {
		printf("test_procfs: no new namespaces here\n");
	}
	close(pfd[0]);
	CHECK_EQ(waitpid(child, &st, 0), child);
}

/* The captured cgroup path of pid, NUL-terminated into out. */
static void
captured_cgroup(pid_t pid, char *out, size_t size)
{
	static char data[70000];
	struct pt_capture cap;
	size_t off;

	memset(&cap, 0, sizeof(cap));
	(void)procfs_capture(pid, 0, 65536, &cap, data, sizeof(data));
	out[0] = '\0';
	if (!(cap.flags & PT_CAP_CGROUP) || cap.cgroup_len >= size)
		return;
	off = (size_t)cap.argv_len + cap.exe_len + cap.cwd_len;
	memcpy(out, data + off, cap.cgroup_len);
	out[cap.cgroup_len] = '\0';
}

/* Move pid into the cgroup directory dir. */
static int
move_to(const char *dir, pid_t pid)
{
	char procs[600], buf[32];
	int fd, ok;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	fd = open(procs, O_WRONLY);
	if (fd < 0)
		return -1;
	snprintf(buf, sizeof(buf), "%d\n", (int)pid);
	ok = write(fd, buf, strlen(buf)) > 0;
	close(fd);
	return ok ? 0 : -1;
}

/*
 * cgroup paths are cached by cgroup id, which the cache may do because a
 * cgroup2 directory cannot be renamed: checked here.  A child in a cgroup
 * of its own is captured (read, then cached), moved to another one, and
 * captured again: the new path, not the cached one.
 */
static void
test_cgroup_cache(void)
{
	static const char *const mounts[] = { "/sys/fs/cgroup/unified",
	    "/sys/fs/cgroup" };
	char a[512], b[512], c[512], got[512], want[512];
	const char *m = NULL;
	struct statfs sf;
	size_t i;
	pid_t pid;
	int st;

	for (i = 0; i < 2 && !m; i++)
		if (statfs(mounts[i], &sf) == 0 && sf.f_type == 0x63677270)
			m = mounts[i];		/* CGROUP2_SUPER_MAGIC */
	CHECK(m != NULL);
	if (!m)
		return;
	snprintf(a, sizeof(a), "%s/pt-test-%d-a", m, (int)getpid());
	snprintf(b, sizeof(b), "%s/pt-test-%d-b", m, (int)getpid());
	snprintf(c, sizeof(c), "%s/pt-test-%d-c", m, (int)getpid());
	CHECK_EQ(mkdir(a, 0755), 0);
	CHECK_EQ(mkdir(b, 0755), 0);
	CHECK(rename(a, c) != 0 && errno == EPERM);	/* what the cache needs */
	pid = fork();
	if (pid == 0) {
		execl("/bin/sleep", "sleep", "5", (char *)NULL);
		_exit(127);
	}
	CHECK_EQ(move_to(a, pid), 0);
	usleep(100000);
	snprintf(want, sizeof(want), "/pt-test-%d-a", (int)getpid());
	captured_cgroup(pid, got, sizeof(got));	/* read, cached */
	CHECK(strcmp(got, want) == 0);
	captured_cgroup(pid, got, sizeof(got));	/* from the cache */
	CHECK(strcmp(got, want) == 0);
	CHECK_EQ(move_to(b, pid), 0);
	snprintf(want, sizeof(want), "/pt-test-%d-b", (int)getpid());
	captured_cgroup(pid, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fprintf(stderr, "after the move: '%s', not '%s'\n", got, want);
	CHECK(strcmp(got, want) == 0);
	captured_cgroup(pid, got, sizeof(got));
	CHECK(strcmp(got, want) == 0);
	kill(pid, SIGKILL);
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	CHECK_EQ(rmdir(a), 0);
	CHECK_EQ(rmdir(b), 0);
}

int
main(void)
{
	char id[40];

	test_parse_stat();
	test_parse_status();
	test_parse_context();
	test_capture_child();
	test_capture_argv_forms();
	test_taskbpf();
	test_cgroup_cache();
	CHECK_EQ(procfs_boot_id(id, sizeof(id)), 0);
	CHECK_EQ(strlen(id), 36);
	return check_done("test_procfs");
}
