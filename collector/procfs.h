#ifndef PT_PROCFS_H
#define PT_PROCFS_H
/*
 * Race-checked reads of /proc/PID: what the kernel event lacks (argv, exe,
 * cwd, credentials, comm, cgroup).
 *
 * Identity check: /proc/PID is opened once as a directory and every file is
 * read relative to that descriptor.  A /proc/PID inode pins the struct pid
 * it was looked up for, so all reads through it concern one task even if the
 * number is reused meanwhile (they fail once that task is reaped).  The
 * task's start time (stat field 22, CLOCK_BOOTTIME ticks) is then compared
 * with the event: a process that started after the event is a later user of
 * the same PID, and everything read is discarded (PT_CAP_MISMATCH).  This is
 * the same guarantee pidfd_open + pidfd_send_signal(0) gives, with fewer
 * system calls on the hot path.
 *
 * Credentials come from a pidfd opened before the directory, through
 * PIDFD_GET_INFO (6.13+), which answers only while the process is not
 * reaped, so for the same process; comm comes from stat.  Older kernels:
 * /proc/PID/status for both.
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* exec.capture bits (schema/001-init.sql) */
#define PT_CAP_ARGV	0x0001	/* argv read */
#define PT_CAP_EXE	0x0002	/* exe read */
#define PT_CAP_CWD	0x0004	/* cwd read */
#define PT_CAP_CREDS	0x0008	/* uid/euid/gid/egid read */
#define PT_CAP_CGROUP	0x0010	/* cgroup read */
#define PT_CAP_COMM	0x0020	/* comm read */
#define PT_CAP_VERIFIED	0x0100	/* identity check passed */
#define PT_CAP_GONE	0x0200	/* exited or reaped before it could be read */
#define PT_CAP_MISMATCH	0x0400	/* PID belonged to another process: nothing kept */
#define PT_CAP_TRUNC	0x0800	/* argv longer than the limit, cut */
#define PT_CAP_SNAPSHOT	0x1000	/* read by the start-up snapshot */
#define PT_CAP_SKIPPED	0x2000	/* not attempted (queue pressure) */
#define PT_CAP_REDACTED	0x4000	/* argv rewritten (or dropped) by --redact rules */

/* Fixed part of a capture; the strings follow it in the caller's buffer. */
struct pt_capture {
	uint32_t flags;		/* PT_CAP_* */
	uint32_t uid, euid, gid, egid;
	int32_t ppid;		/* PPid from status (snapshot) */
	uint64_t start_ticks;	/* stat field 22; 0 if unknown */
	char comm[17];		/* NUL-terminated */
	uint32_t argv_len;	/* bytes of argv in data */
	uint16_t exe_len;	/* bytes of exe (no NUL) */
	uint16_t cwd_len;
	uint16_t cgroup_len;
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

/*
 * Parse the text of /proc/PID/stat: start time (field 22), state (field 3)
 * and ppid (field 4).  Returns 0 or -EBADMSG.  Pure, unit tested.
 */
int procfs_parse_stat(const char *buf, size_t len, uint64_t *ret_start,
    char *ret_state, int32_t *ret_ppid);

/* Field 9 of /proc/PID/stat, the task's PF_* flags; 0 if unparsable. */
uint32_t procfs_stat_flags(const char *buf, size_t len);
#define PT_PF_KTHREAD	0x00200000	/* kernel thread */

/*
 * Parse the text of /proc/PID/status for Uid:/Gid: (real, effective) and
 * Name:.  Returns 0 or -EBADMSG.  Pure.
 */
int procfs_parse_status(const char *buf, size_t len, struct pt_capture *cap);

/* Boot id (/proc/sys/kernel/random/boot_id) into buf (>= 37 bytes). */
int procfs_boot_id(char *buf, size_t size);
#endif
