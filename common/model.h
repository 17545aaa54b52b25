#ifndef PT_MODEL_H
#define PT_MODEL_H
/*
 * The vocabulary of the database, shared by the collector, the query tool
 * and the tests: the bits of process.flags and exec.capture, the event
 * types and the gap kinds, with their names.  docs/schema.md describes
 * them; a unit test checks the event types against the schema's
 * event_type rows.
 */
#include <stdint.h>

/* process.flags: where a process row's facts come from */
#define PT_PF_SNAPSHOT		0x01	/* found running at start-up */
#define PT_PF_START_UNKNOWN	0x02	/* first seen without its fork */
#define PT_PF_END_UNKNOWN	0x04	/* closed without an exit event */
#define PT_PF_GAP		0x08	/* events were lost while it lived */
#define PT_PF_PARENT_UNKNOWN	0x10	/* parent instance not known */
#define PT_PF_REUSED		0x20	/* its PID was reused before its exit arrived */
#define PT_PF_ADOPTED		0x40	/* carried over from an earlier session */

/* exec.capture: what was read of /proc at an exec, and how */
#define PT_CAP_ARGV	0x0001	/* argv read */
#define PT_CAP_EXE	0x0002	/* exe read */
#define PT_CAP_CWD	0x0004	/* cwd read */
#define PT_CAP_CREDS	0x0008	/* uid/euid/gid/egid read */
#define PT_CAP_CGROUP	0x0010	/* cgroup read */
#define PT_CAP_COMM	0x0020	/* comm read */
#define PT_CAP_LOGIN	0x0040	/* login_uid/login_session read */
#define PT_CAP_NS	0x0080	/* namespaces and ns_pid read */
#define PT_CAP_VERIFIED	0x0100	/* identity check passed */
#define PT_CAP_GONE	0x0200	/* exited or reaped before it could be read */
#define PT_CAP_MISMATCH	0x0400	/* what was read may be another process's: nothing kept */
#define PT_CAP_TRUNC	0x0800	/* argv longer than the limit, cut */
#define PT_CAP_SNAPSHOT	0x1000	/* read by the start-up snapshot */
#define PT_CAP_SKIPPED	0x2000	/* not attempted (queue pressure) */
#define PT_CAP_REDACTED	0x4000	/* argv rewritten (or dropped) by --redact rules */
#define PT_CAP_RACED	0x8000	/* an exec of the same process overlapped or
				 * preceded the reads: nothing kept */
#define PT_CAP_FILE	0x10000	/* the executable's identity read (exec.file) */
#define PT_CAP_TTY	0x20000	/* controlling terminal read (tty, NULL: none) */

/* What a capture read of the process itself; cleared when it is dropped. */
#define PT_CAP_DATA	(PT_CAP_ARGV | PT_CAP_EXE | PT_CAP_CWD | \
	PT_CAP_CREDS | PT_CAP_CGROUP | PT_CAP_COMM | PT_CAP_VERIFIED | \
	PT_CAP_TRUNC | PT_CAP_REDACTED | PT_CAP_LOGIN | PT_CAP_NS | \
	PT_CAP_FILE | PT_CAP_TTY)

/* event.type: the proc connector's "what" (proc_cn_event) */
enum pt_what {
	PT_EV_NONE	= 0x00000000,	/* ACK of a (un)subscription */
	PT_EV_FORK	= 0x00000001,
	PT_EV_EXEC	= 0x00000002,
	PT_EV_UID	= 0x00000004,
	PT_EV_GID	= 0x00000040,
	PT_EV_SID	= 0x00000080,
	PT_EV_PTRACE	= 0x00000100,
	PT_EV_COMM	= 0x00000200,
	PT_EV_NONZERO_EXIT = 0x20000000,	/* filter bit only, never sent */
	PT_EV_COREDUMP	= 0x40000000,
	PT_EV_EXIT	= 0x80000000,
};

/* gap.kind, as the collector's records number them */
enum pt_gap_kind {
	PT_GAP_KERNEL_DROP = 1,	/* SO_MEMINFO drops grew */
	PT_GAP_SEQ,		/* per-CPU sequence numbers skipped */
	PT_GAP_QUEUE_FULL,	/* the collector's own queue was full */
	PT_GAP_MALFORMED,	/* messages that failed validation */
	PT_GAP_WRITE_ERROR,	/* a batch could not be written */
	PT_GAP_DOWNTIME,	/* no collector ran */
};

/* The name of bit i (0-31) of process.flags or exec.capture, NULL if it
 * has none: "snapshot", "start-unknown"...; "argv", "exe"... */
const char *pt_flag_name(int bit);
const char *pt_capture_name(int bit);
/* The name of an event type ("fork", "exit"...), as event_type.name; NULL
 * if unknown ("ack" for PT_EV_NONE, which is never stored). */
const char *pt_event_name(uint32_t type);
/* The name of a gap kind, as gap.kind ("kernel_drop"...); NULL if unknown. */
const char *pt_gap_name(int kind);
#endif
