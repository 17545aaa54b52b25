/*
 * The kernel half of taskbpf.c: a BPF program of the "syscall" type, run
 * by the collector with BPF_PROG_RUN, that reads what /proc gives in
 * loginuid, sessionid, ns/pid, ns/mnt, ns/user and status (credentials,
 * NSpid), and the cgroup id PIDFD_GET_INFO gives, from the task itself,
 * in one system call and no file.
 *
 * Input and output are the context, struct pt_task_args (taskbpf.h has
 * its twin): the caller sets pid; the program sets the rest.  It only
 * reads.  The structs below name the fields it reads; libbpf relocates
 * their offsets against the running kernel's BTF (CO-RE), so nothing here
 * depends on one kernel's layout.  A kernel without a field (no audit)
 * loads the program and answers without the login.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define CORE __attribute__((preserve_access_index))

struct ns_common { unsigned int inum; } CORE;
struct pid_namespace { struct ns_common ns; } CORE;
struct upid { int nr; struct pid_namespace *ns; } CORE;
struct pid { unsigned int level; struct upid numbers[1]; } CORE;
struct user_namespace { struct ns_common ns; } CORE;
struct mnt_namespace { struct ns_common ns; } CORE;
struct nsproxy { struct mnt_namespace *mnt_ns; } CORE;
typedef struct { unsigned int val; } kuid_t;
typedef struct { unsigned int val; } kgid_t;
struct cred {
	kuid_t uid, euid;
	kgid_t gid, egid;
	struct user_namespace *user_ns;
} CORE;
struct kernfs_node { __u64 id; } CORE;
struct cgroup { struct kernfs_node *kn; } CORE;
struct css_set { struct cgroup *dfl_cgrp; } CORE;
struct task_struct {
	int tgid;
	struct pid *thread_pid;
	struct nsproxy *nsproxy;
	const struct cred *real_cred;
	struct css_set *cgroups;
	kuid_t loginuid;
	unsigned int sessionid;
	__u64 start_boottime;
} CORE;

struct task_struct *bpf_task_from_pid(__s32 pid) __ksym;
void bpf_task_release(struct task_struct *p) __ksym;
void bpf_rcu_read_lock(void) __ksym;
void bpf_rcu_read_unlock(void) __ksym;
extern int LINUX_KERNEL_VERSION __kconfig;

#ifndef KERNEL_VERSION
#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + (c))
#endif

/* the same as struct pt_task_args in taskbpf.h */
struct args {
	__s32 pid;		/* in: a PID of the initial pid namespace */
	__u32 known;		/* out: PT_TASK_* */
	__s32 tgid;
	__s32 ns_pid;
	__u64 start_boottime;
	__u32 login_uid, login_session;
	__u64 pid_ns, user_ns, mnt_ns;
	__u32 uid, euid, gid, egid;
	__u64 cgroup_id;
};

_Static_assert(sizeof(struct args) == 80, "struct args: see taskbpf.h");

#define PT_TASK_FOUND	1u
#define PT_TASK_LOGIN	2u
#define PT_TASK_NS	4u
#define PT_TASK_LOGIN_MOVED 8u
#define PT_TASK_MNT	16u
#define PT_TASK_CREDS	32u
#define PT_TASK_CGROUP	64u

#define UNSET 0xffffffffu

SEC("syscall")
int pt_task(struct args *a)
{
	struct task_struct *t;
	const struct cred *cred;
	struct cgroup *cgrp;
	struct nsproxy *nsp, *nsp2;
	struct mnt_namespace *mnt, *mnt2;
	struct pid *p;
	struct upid u;
	unsigned int level, s2;

	a->known = 0;
	t = bpf_task_from_pid(a->pid);
	if (!t)
		return 0;
	a->known = PT_TASK_FOUND;
	a->tgid = BPF_CORE_READ(t, tgid);
	a->start_boottime = BPF_CORE_READ(t, start_boottime);
	/*
	 * Only the task writes its login, session id first, then uid, with
	 * no lock: a pair is kept only if the session read again after the
	 * uid did not move, and both or neither are set (what a write from
	 * unset to set, as pam_loginuid's, or back, leaves between its two
	 * stores has one of each).  Else the caller reads /proc.  (A write
	 * from one set uid to another read while its writer is preempted
	 * between the stores passes: procfs.c's read_login says more.)
	 */
	if (bpf_core_field_exists(t->sessionid) &&
	    bpf_core_field_exists(t->loginuid)) {
		a->login_session = BPF_CORE_READ(t, sessionid);
		a->login_uid = BPF_CORE_READ(t, loginuid.val);
		s2 = BPF_CORE_READ(t, sessionid);
		if (s2 == a->login_session &&
		    (s2 == UNSET) == (a->login_uid == UNSET))
			a->known |= PT_TASK_LOGIN;
		else
			a->known |= PT_TASK_LOGIN_MOVED;
	}
	/*
	 * The task's struct pid and its objective credentials (real_cred,
	 * what /proc/PID/status, PIDFD_GET_INFO and /proc/PID/ns/user read;
	 * not cred, which an override, as overlayfs and access() make,
	 * points elsewhere and may free at once) are freed after an RCU
	 * grace period, and hold their namespaces: read under the RCU read
	 * lock.
	 */
	bpf_rcu_read_lock();
	cred = BPF_CORE_READ(t, real_cred);
	if (cred) {
		a->uid = BPF_CORE_READ(cred, uid.val);
		a->euid = BPF_CORE_READ(cred, euid.val);
		a->gid = BPF_CORE_READ(cred, gid.val);
		a->egid = BPF_CORE_READ(cred, egid.val);
		a->known |= PT_TASK_CREDS;
	}
	/* the cgroup v2 id, as PIDFD_GET_INFO gives it (css_set and cgroup
	 * are RCU-freed, and the cgroup holds its kernfs node) */
	if (bpf_core_field_exists(t->cgroups)) {
		cgrp = BPF_CORE_READ(t, cgroups, dfl_cgrp);
		a->cgroup_id = cgrp ? BPF_CORE_READ(cgrp, kn, id) : 0;
		if (a->cgroup_id)
			a->known |= PT_TASK_CGROUP;
	}
	p = BPF_CORE_READ(t, thread_pid);
	level = p ? BPF_CORE_READ(p, level) : 0;
	if (p && level < 64 &&
	    bpf_core_type_size(struct upid) == sizeof(struct upid) &&
	    bpf_probe_read_kernel(&u, sizeof(u), &p->numbers[level]) == 0 &&
	    u.ns) {
		a->ns_pid = u.nr;
		a->pid_ns = BPF_CORE_READ(u.ns, ns.inum);
		a->user_ns = BPF_CORE_READ(t, real_cred, user_ns, ns.inum);
		if (a->pid_ns && a->user_ns)
			a->known |= PT_TASK_NS;
	}
	/*
	 * The nsproxy is not RCU-freed: the kernel frees it at once when
	 * the task switches to another (unshare, setns) or exits, and reads
	 * it under task_lock, which a program cannot take.  So the pointer
	 * is read before and after its mount namespace pointer, and that
	 * again: both the same, or nothing (the caller reads ns/mnt).
	 * Only the task replaces its nsproxy, by a new allocation made
	 * before the old one is freed, and mount namespaces are freed after
	 * an RCU grace period from 6.14 (before, not read here): a mount
	 * namespace pointer read from the task's nsproxy, live or just
	 * freed, is one it had during these reads, and its inode number
	 * is whole.  Left: a nsproxy freed and its memory given to another
	 * object whose bytes at that one field equal the pointer read after
	 * it from the task's own, across two switches of the task within
	 * these few reads.
	 */
	if (LINUX_KERNEL_VERSION >= KERNEL_VERSION(6, 14, 0)) {
		nsp = BPF_CORE_READ(t, nsproxy);
		mnt = nsp ? BPF_CORE_READ(nsp, mnt_ns) : NULL;
		a->mnt_ns = mnt ? BPF_CORE_READ(mnt, ns.inum) : 0;
		nsp2 = BPF_CORE_READ(t, nsproxy);
		mnt2 = nsp2 ? BPF_CORE_READ(nsp2, mnt_ns) : NULL;
		if (a->mnt_ns && nsp == nsp2 && mnt == mnt2)
			a->known |= PT_TASK_MNT;
	}
	bpf_rcu_read_unlock();
	bpf_task_release(t);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
