/*
 * The kernel half of taskbpf.c: a BPF program of the "syscall" type, run
 * by the collector with BPF_PROG_RUN, that reads what /proc would give in
 * five files (loginuid, sessionid, ns/pid, ns/mnt, ns/user, and status's
 * NSpid) from the task itself, in one system call and no file.
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
struct mnt_namespace { struct ns_common ns; } CORE;
struct nsproxy { struct mnt_namespace *mnt_ns; } CORE;
struct user_namespace { struct ns_common ns; } CORE;
struct cred { struct user_namespace *user_ns; } CORE;
typedef struct { unsigned int val; } kuid_t;
struct task_struct {
	int tgid;
	struct pid *thread_pid;
	struct nsproxy *nsproxy;
	const struct cred *cred;
	kuid_t loginuid;
	unsigned int sessionid;
	__u64 start_boottime;
} CORE;

struct task_struct *bpf_task_from_pid(__s32 pid) __ksym;
void bpf_task_release(struct task_struct *p) __ksym;

/* the same as struct pt_task_args in taskbpf.h */
struct args {
	__s32 pid;		/* in: a PID of the initial pid namespace */
	__u32 known;		/* out: PT_TASK_* */
	__s32 tgid;
	__s32 ns_pid;
	__u64 start_boottime;
	__u32 login_uid, login_session;
	__u64 pid_ns, mnt_ns, user_ns;
};

#define PT_TASK_FOUND	1u
#define PT_TASK_LOGIN	2u
#define PT_TASK_NS	4u

SEC("syscall")
int pt_task(struct args *a)
{
	struct task_struct *t;
	struct nsproxy *nsp;
	struct pid *p;
	struct upid u;
	unsigned int level;

	a->known = 0;
	t = bpf_task_from_pid(a->pid);
	if (!t)
		return 0;
	a->known = PT_TASK_FOUND;
	a->tgid = BPF_CORE_READ(t, tgid);
	a->start_boottime = BPF_CORE_READ(t, start_boottime);
	if (bpf_core_field_exists(t->sessionid) &&
	    bpf_core_field_exists(t->loginuid)) {
		a->login_session = BPF_CORE_READ(t, sessionid);
		a->login_uid = BPF_CORE_READ(t, loginuid.val);
		a->known |= PT_TASK_LOGIN;
	}
	/* nsproxy is NULL once the task has left its namespaces (exiting) */
	nsp = BPF_CORE_READ(t, nsproxy);
	p = BPF_CORE_READ(t, thread_pid);
	level = p ? BPF_CORE_READ(p, level) : 0;
	if (nsp && p && level < 64 &&
	    bpf_probe_read_kernel(&u, sizeof(u), &p->numbers[level]) == 0 &&
	    u.ns) {
		a->ns_pid = u.nr;
		a->pid_ns = BPF_CORE_READ(u.ns, ns.inum);
		a->mnt_ns = BPF_CORE_READ(nsp, mnt_ns, ns.inum);
		a->user_ns = BPF_CORE_READ(t, cred, user_ns, ns.inum);
		if (a->pid_ns && a->mnt_ns && a->user_ns)
			a->known |= PT_TASK_NS;
	}
	bpf_task_release(t);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
