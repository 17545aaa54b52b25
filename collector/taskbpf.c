/*
 * What the capture asks of a task, by one BPF program run.  See taskbpf.h
 * for the contract and taskbpf.bpf.c for the program.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "taskbpf.h"

_Static_assert(sizeof(struct pt_task_args) == 80,
    "struct pt_task_args: the same as struct args in taskbpf.bpf.c");

static bool off;

#ifdef PT_HAVE_BPF
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

/* the compiled program, embedded at build time (cmake/embed_bytes.cmake) */
extern const unsigned char pt_taskbpf_obj[];
extern const size_t pt_taskbpf_obj_len;

static int prog_fd = -1;
static int state;	/* 0 not tried, 1 loaded, -errno not available */
static int refused;	/* -errno of a run refused once it was loaded */

/* libbpf's messages: a failed load is not an error of ours (the /proc
 * paths take over), and this module does not print; the last warning is
 * kept for taskbpf_why(). */
static char why[256];

static int
keep_last(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	size_t n;

	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(why, sizeof(why), fmt, ap);
	n = strlen(why);
	while (n > 0 && why[n - 1] == '\n')
		why[--n] = '\0';
	return 0;
}

static int
run(int fd, pid_t pid, struct pt_task_args *ret)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = ret,
	    .ctx_size_in = sizeof(*ret));
	int r;

	memset(ret, 0, sizeof(*ret));
	ret->pid = (int32_t)pid;
	r = bpf_prog_test_run_opts(fd, &opts);
	return r < 0 ? r : 0;
}

/* Load the program; keep only a descriptor of it (the object, and the
 * kernel's BTF libbpf read to place the fields, are freed). */
static int
load(void)
{
	struct bpf_object *obj;
	struct bpf_program *p;
	struct pt_task_args a;
	struct stat st;
	int fd = -1, r;

	libbpf_set_print(keep_last);
	obj = bpf_object__open_mem(pt_taskbpf_obj, pt_taskbpf_obj_len, NULL);
	if (!obj)
		return errno > 0 ? -errno : -EINVAL;
	r = bpf_object__load(obj);
	if (r == 0) {
		p = bpf_object__find_program_by_name(obj, "pt_task");
		fd = p ? fcntl(bpf_program__fd(p), F_DUPFD_CLOEXEC, 3) : -1;
		r = fd < 0 ? -ENOENT : 0;
	}
	bpf_object__close(obj);
	if (r < 0)
		return r;
	/* It must find the collector itself by its PID: the collector is in
	 * the pid namespace the program looks in (the initial one). */
	r = run(fd, getpid(), &a);
	if (r == 0 && (!(a.known & PT_TASK_FOUND) || a.tgid != getpid() ||
	    !(a.known & PT_TASK_NS) || a.ns_pid != getpid() ||
	    stat("/proc/self/ns/pid", &st) < 0 ||
	    (uint64_t)st.st_ino != a.pid_ns))
		r = -EXDEV;
	if (r < 0) {
		close(fd);
		return r;
	}
	prog_fd = fd;
	return 0;
}

int
taskbpf_init(void)
{
	int r;

	if (off)
		return -ENOSYS;
	if (state == 0) {
		r = load();
		state = r < 0 ? r : 1;
	}
	return state < 0 ? state : 0;
}

int
taskbpf_read(pid_t pid, struct pt_task_args *ret)
{
	int r;

	if (off)
		return -ENOSYS;
	if (state == 0)
		(void)taskbpf_init();
	if (state < 0)
		return -ENOSYS;
	r = run(prog_fd, pid, ret);
	if (r == -EPERM || r == -EACCES || r == -EINVAL) {
		/* refused now (a kernel that runs it only with CAP_BPF, once
		 * that is given up; seccomp): /proc from now on */
		state = refused = r;
		return -ENOSYS;
	}
	return r;
}

bool
taskbpf_loaded(void)
{
	return !off && state > 0;
}

const char *
taskbpf_why(void)
{
	return why;
}

int
taskbpf_refused(void)
{
	return refused;
}
#else
int
taskbpf_init(void)
{
	return off ? -ENOSYS : -EOPNOTSUPP;
}

int
taskbpf_read(pid_t pid, struct pt_task_args *ret)
{
	(void)pid;
	(void)ret;
	return -ENOSYS;
}

bool
taskbpf_loaded(void)
{
	return false;
}

const char *
taskbpf_why(void)
{
	return "";
}

int
taskbpf_refused(void)
{
	return 0;
}
#endif

void
taskbpf_off(bool yes)
{
	off = yes;
}
