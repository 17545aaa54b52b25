#ifndef PT_TASKBPF_H
#define PT_TASKBPF_H
/*
 * A process's credentials (real and effective, objective), cgroup v2 id,
 * login (audit login uid and session id), pid, mount and user namespaces
 * and its pid inside its own pid namespace, read in the kernel by a BPF
 * program (taskbpf.bpf.c) in one system call, where /proc and a pidfd
 * take a pidfd, PIDFD_GET_INFO, a file or two and three namespace
 * descriptors (or links, and status): in an exec storm those were a fifth
 * of the capture's cost.  taskbpf.bpf.c says how it reads the task's
 * namespace set, which the kernel frees at once when it changes.
 *
 * The program finds the task by its PID number in the initial pid
 * namespace, as an open of /proc/PID/NAME does in the collector's (the
 * proc connector serves only the initial one; the load checks the program
 * finds the collector itself), so the caller proves the identity the same
 * way (procfs.h): call between two reads of /proc/PID/stat, the second of
 * which must succeed, and compare tgid and the start time with stat's.
 *
 * Not available (taskbpf_read's -ENOSYS): a build without libbpf (1.0+)
 * or clang, a kernel without BTF or before 6.10 (kfuncs in "syscall"
 * programs), no CAP_BPF and CAP_PERFMON when it is loaded, seccomp or
 * lockdown refusing bpf(); the caller then reads /proc.  Not thread-safe:
 * one capturing thread at a time (as the rest of procfs.c).
 */
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define PT_TASK_FOUND	1u	/* a task with that PID */
#define PT_TASK_LOGIN	2u	/* login_uid, login_session */
#define PT_TASK_NS	4u	/* ns_pid, pid_ns, user_ns */
#define PT_TASK_LOGIN_MOVED 8u	/* the login was being written: ask /proc */
#define PT_TASK_MNT	16u	/* mnt_ns (6.14+; else, or if it was being
				 * changed, ask /proc) */
#define PT_TASK_CREDS	32u	/* uid, euid, gid, egid */
#define PT_TASK_CGROUP	64u	/* cgroup_id */

/* The program's context: its twin is struct args in taskbpf.bpf.c. */
struct pt_task_args {
	int32_t pid;		/* in: a PID of the initial pid namespace */
	uint32_t known;		/* PT_TASK_* */
	int32_t tgid;
	int32_t ns_pid;
	uint64_t start_boottime; /* CLOCK_BOOTTIME ns */
	uint32_t login_uid, login_session;	/* -1: unset */
	uint64_t pid_ns, user_ns, mnt_ns;	/* namespace inode numbers */
	uint32_t uid, euid, gid, egid;	/* real and effective, objective */
	uint64_t cgroup_id;		/* its cgroup v2 directory's inode */
};

/*
 * Load the program now (else at the first taskbpf_read), while the
 * capabilities it needs are held: 0, -ENOSYS after taskbpf_off(true),
 * -EOPNOTSUPP in a build without it, or why the kernel refused it.
 */
int taskbpf_init(void);

/*
 * Read task pid.  Returns 0 (see known), -ENOSYS when the program is not
 * available, or another -errno from the run.
 */
int taskbpf_read(pid_t pid, struct pt_task_args *ret);

/* Whether the program is loaded, after a first taskbpf_read. */
bool taskbpf_loaded(void);

/* The -errno of a run the kernel refused after the program was loaded
 * (it is not used again), else 0. */
int taskbpf_refused(void);

/* What libbpf said last while loading it ("" if nothing): for a debug
 * log line when taskbpf_init failed. */
const char *taskbpf_why(void);

/* For tests and --no-bpf: never (true) or again (false) use the program. */
void taskbpf_off(bool yes);
#endif
