/*
 * The kernel half of taskbpf.c: a BPF program of the "syscall" type, run
 * by the collector with BPF_PROG_RUN, that reads what /proc gives in
 * loginuid, sessionid, ns/pid, ns/user and status's NSpid from the task
 * itself, in one system call and no file.
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
struct cred { struct user_namespace *user_ns; } CORE;
typedef struct { unsigned int val; } kuid_t;
struct task_struct {
	int tgid;
	struct pid *thread_pid;
	const struct cred *cred;
	kuid_t loginuid;
	unsigned int sessionid;
	__u64 start_boottime;
} CORE;

struct task_struct *bpf_task_from_pid(__s32 pid) __ksym;
void bpf_task_release(struct task_struct *p) __ksym;
void bpf_rcu_read_lock(void) __ksym;
void bpf_rcu_read_unlock(void) __ksym;

/* the same as struct pt_task_args in taskbpf.h */
struct args {
	__s32 pid;		/* in: a PID of the initial pid namespace */
	__u32 known;		/* out: PT_TASK_* */
	__s32 tgid;
	__s32 ns_pid;
	__u64 start_boottime;
	__u32 login_uid, login_session;
	__u64 pid_ns, user_ns;
};

_Static_assert(sizeof(struct args) == 48, "struct args: see taskbpf.h");

#define PT_TASK_FOUND	1u
#define PT_TASK_LOGIN	2u
#define PT_TASK_NS	4u
#define PT_TASK_LOGIN_MOVED 8u

#define UNSET 0xffffffffu

SEC("syscall")
int pt_task(struct args *a)
{
	struct task_struct *t;
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
	 * stores has one of each).  Else the caller reads /proc.
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
	 * The task's struct pid and cred are freed after an RCU grace
	 * period (and hold their namespaces): read under the RCU read lock.
	 * Not its nsproxy, freed at once when it changes: the mount
	 * namespace is the caller's to read (the pidfd, under task_lock).
	 */
	bpf_rcu_read_lock();
	p = BPF_CORE_READ(t, thread_pid);
	level = p ? BPF_CORE_READ(p, level) : 0;
	if (p && level < 64 &&
	    bpf_probe_read_kernel(&u, sizeof(u), &p->numbers[level]) == 0 &&
	    u.ns) {
		a->ns_pid = u.nr;
		a->pid_ns = BPF_CORE_READ(u.ns, ns.inum);
		a->user_ns = BPF_CORE_READ(t, cred, user_ns, ns.inum);
		if (a->pid_ns && a->user_ns)
			a->known |= PT_TASK_NS;
	}
	bpf_rcu_read_unlock();
	bpf_task_release(t);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
