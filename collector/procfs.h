#ifndef PT_PROCFS_H
#define PT_PROCFS_H
/*
 * Race-checked reads of /proc/PID: what the kernel event lacks (argv, exe,
 * cwd, credentials, comm, cgroup).
 *
 * Identity check: a pidfd is opened first, then /proc/PID/stat, which is
 * read at once and again after every other read.  A /proc file pins the
 * struct pid it was looked up for, and reads of it fail once that process
 * is reaped; a PID is reused only after that.  So:
 *  - stat is the pidfd's process: the pidfd still answers PIDFD_GET_INFO
 *    (or pidfd_send_signal(0) before 6.13) after stat was opened, which it
 *    does only until its process is reaped (with the BPF program there is
 *    no pidfd: stat is the anchor, the program gives the credentials and
 *    the cgroup id PIDFD_GET_INFO gave, and a number that is now a
 *    thread's of another process, which pidfd_open refuses, is the task
 *    it finds having another tgid);
 *  - every other file, opened by its whole path /proc/PID/NAME, and the
 *    task the BPF program (taskbpf.h) finds by the same number, is that
 *    process's: the last read of stat succeeds, so the number was never
 *    free between the first open and then (else nothing read is kept,
 *    PT_CAP_GONE).  This takes the collector and its /proc to be in the
 *    initial pid namespace, which the proc connector requires anyway.
 * The task's start time (stat field 22, CLOCK_BOOTTIME ticks) is compared
 * with the event: a process that started after it is a later user of the
 * PID (PT_CAP_MISMATCH, nothing kept).
 *
 * That leaves what a 10 ms tick cannot tell apart and what /proc cannot
 * show at all: a later process with the same PID that started in the same
 * tick, and a later image of the same process (an exec that happened
 * before or during the reads).  Those are decided against the event
 * stream by the tracker (tracker.c, "Captures against the stream"), for
 * which a capture carries t_open and t_done, the CLOCK_MONOTONIC times
 * (the clock of event timestamps) just before the PID was looked up and
 * just after the last read, and the memory layout of the image read.  One
 * case is caught here: the layout (stat fields 26-28, 45-51: code, stack,
 * data, brk, argv and environment addresses) is read before and after the
 * other files; if it changed, or is one an exec is still building (no
 * arguments yet), an exec overlapped the reads (PT_CAP_RACED, nothing
 * kept).
 *
 * With the collector's BPF program (taskbpf.h: one system call, the task
 * found by PID as /proc/PID/NAME is, checked by tgid and start time) it
 * gives the credentials, the cgroup id, the login, the namespaces and the
 * pid inside the process's own pid namespace, and no pidfd is opened.
 * Without it, or for what it could not read: credentials from the pidfd
 * through PIDFD_GET_INFO (6.13+), else /proc/PID/status (whose Tgid: must
 * be the PID when there is no pidfd: a thread's number otherwise).  comm
 * and the terminal come from stat.  argv is /proc/PID/cmdline: not the
 * process's memory read directly (process_vm_readv would be cheaper, but
 * it faults pages in: a process that maps a FUSE file it serves over its
 * arguments would stall the reader for as long as it likes, which the
 * cmdline file, reading anonymous memory only, does not allow).  Without
 * the program, the namespaces come from the pidfd (PIDFD_GET_*_NAMESPACE,
 * 6.11+), else from the ns/ links, the login from files of /proc/PID, and
 * the pid inside its pid namespace from the last NSpid of status (only
 * when that namespace is not the collector's: else it is the PID itself).
 * The executable's identity is a stat() through the exe link.  All of it
 * between the two reads of stat.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model.h"

/* Fixed part of a capture; the strings follow it in the caller's buffer. */
struct pt_capture {
	uint32_t flags;		/* PT_CAP_* */
	uint32_t uid, euid, gid, egid;
	int32_t ppid;		/* PPid from status (snapshot) */
	uint64_t start_ticks;	/* stat field 22; 0 if unknown */
	uint64_t t_open;	/* CLOCK_MONOTONIC ns before the PID was looked up */
	uint64_t t_done;	/* CLOCK_MONOTONIC ns after the last read */
	uint64_t layout;	/* hash of the image's memory layout; 0 unknown */
	int32_t exit_code;	/* stat field 52: wait status once dead */
	char state;		/* stat field 3 at the last read */
	char comm[17];		/* NUL-terminated */
	uint32_t argv_len;	/* bytes of argv in data */
	uint16_t exe_len;	/* bytes of exe (no NUL) */
	uint16_t cwd_len;
	uint16_t cgroup_len;
	/* PT_CAP_LOGIN: /proc/PID/loginuid and sessionid (-1: unset) */
	uint32_t login_uid, login_session;
	/* PT_CAP_TTY: stat field 7, the controlling terminal (0: none) */
	uint32_t tty_nr;
	/* PT_CAP_NS: namespace inodes, and the pid in its own pid namespace */
	int32_t ns_pid;
	uint64_t pid_ns, mnt_ns, user_ns;
	int32_t tgid;		/* the process read */
	/* PT_CAP_FILE: stat() of /proc/PID/exe (the file executed) */
	uint64_t exe_dev, exe_ino, exe_size;
	int64_t exe_mtime, exe_ctime;	/* wall ns */
};

/*
 * Read what is known of process tgid into *cap and data (data_size bytes:
 * argv, then exe, cwd, cgroup, unterminated, lengths in cap).
 * not_after_ticks: the latest plausible start time (BOOTTIME ticks) of the
 * process the caller means; 0 disables the check (snapshot).
 * argv_max caps argv.  Returns the bytes of data used (>= 0); failures are
 * not errors but flags in cap.
 */
size_t procfs_capture(pid_t tgid, uint64_t not_after_ticks, size_t argv_max,
    struct pt_capture *cap, char *data, size_t data_size);

/* The tick of stat's times (USER_HZ, 100 on Linux): nanoseconds. */
#define PT_NS_PER_TICK	10000000LL

/* task->flags bits (stat field 9) */
#define PT_KF_EXITING	0x00000004	/* getting shut down */
#define PT_KF_KTHREAD	0x00200000	/* a kernel thread */

/* The fields of /proc/PID/stat a capture uses. */
struct pt_stat {
	uint64_t start;		/* field 22, CLOCK_BOOTTIME ticks */
	int32_t ppid;		/* field 4 */
	char state;		/* field 3 */
	uint32_t flags;		/* field 9, PT_KF_* */
	int32_t tty_nr;		/* field 7 */
	int32_t exit_code;	/* field 52, 0 if absent */
	uint64_t layout;	/* hash of fields 26-28, 45-51; 0 if all 0 */
	int building;		/* layout set but without arguments: an exec is
				 * still setting the image up */
};

/*
 * Parse the whole text of /proc/PID/stat (fields up to 52; those a kernel
 * or a lack of permission leaves out are 0).  Returns 0 or -EBADMSG.
 * Pure, unit tested and fuzzed.
 */
int procfs_stat(const char *buf, size_t len, struct pt_stat *ret);

/*
 * Parse the text of /proc/PID/status for Uid:/Gid: (real, effective) and
 * Name:.  Returns 0 or -EBADMSG.  Pure.
 */
int procfs_parse_status(const char *buf, size_t len, struct pt_capture *cap);

/*
 * The Tgid: of the text of /proc/PID/status (which /proc/TID/status of a
 * thread shows too: its process's), or -1.  Pure.
 */
int32_t procfs_status_tgid(const char *buf, size_t len);

/*
 * Parse the text of /proc/PID/status for the last number of NSpid: (the
 * pid in the process's own pid namespace).  Returns 0 or -EBADMSG.  Pure.
 */
int procfs_parse_nspid(const char *buf, size_t len, int32_t *ret);

/*
 * (ttyname.c) The name of terminal tty_nr (stat field 7, a dev_t as the kernel
 * encodes it, not 0) into buf: "pts/3", "tty1", "ttyS0", else the name
 * /sys/dev/char gives it ("hvc0", "ttyUSB0"), else "MAJOR:MINOR".
 */
void procfs_tty_name(uint32_t tty_nr, char *buf, size_t size);

/*
 * Parse the text of a /proc/PID/ns link ("pid:[4026531836]") for the
 * namespace's inode number.  Returns 0 or -EBADMSG.  Pure.
 */
int procfs_parse_ns_link(const char *buf, size_t len, uint64_t *ret);

/* Boot id (/proc/sys/kernel/random/boot_id) into buf (>= 37 bytes). */
int procfs_boot_id(char *buf, size_t size);

/* /proc/sys/kernel/pid_max, or 0 if it cannot be read. */
int procfs_pid_max(void);

/* What the capture's BPF program did (taskbpf.h): captures it answered,
 * tasks it did not find (then /proc was read), and tasks that did not
 * match /proc's (then it was turned off; the first's PID). */
struct procfs_bpf_stats {
	uint64_t answered, not_found, mismatch;
	int32_t mismatch_pid;
};

/* Read them: from the capturing thread, or once it has stopped. */
void procfs_bpf_stats(struct procfs_bpf_stats *ret);

/*
 * For tests: take (true) or leave the paths older kernels take for the
 * login and the namespaces: /proc files and the ns/ links rather than the
 * BPF program and the pidfd.  Not thread-safe; call before any capture.
 */
void procfs_slow_paths(bool on);
#endif
