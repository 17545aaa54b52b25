#ifndef PT_ROWS_H
#define PT_ROWS_H
/*
 * What the tracker produces: changes to rows of the database, handed to a
 * sink.  The store is one sink (store_rows(): the rows are written inside
 * the writer's transaction); a test can record them instead.  So the
 * tracker is a pure state machine, records in and row changes out, and
 * includes no store header.  Every function returns 0 or -errno; an error
 * is the batch's (the writer rolls it back).
 */
#include <stdbool.h>
#include <stdint.h>

#include "event.h"
#include "procfs.h"
#include "record.h"

/* A process row (table "process"); 0 / has_* false stand for NULL. */
struct proc_row {
	int64_t id;
	int64_t boot;
	int32_t tgid;
	int32_t ppid;		/* 0 = unknown */
	int64_t parent;		/* 0 = unknown */
	uint64_t start_ticks;
	int64_t start;		/* wall ns */
	int64_t end;		/* wall ns, 0 = running */
	uint32_t status;
	bool has_status;
	bool has_creds;
	uint32_t uid, euid, gid, egid;
	char comm[17];		/* "" = unknown */
	int64_t image;		/* 0 = none */
	uint32_t execs;
	uint32_t flags;		/* PT_PF_* */
	int8_t forked_before_exec;	/* forked a process before its first
					 * exec: 1, 0, or -1 unknown */
};

struct rows {
	void *ctx;
	/* an event row, attributed to process id (0: to none) */
	int (*event)(void *ctx, const struct pt_event *ev, int64_t process);
	/* an exec row: what was captured at an exec (or by the snapshot),
	 * its strings in data (lengths in cap); mono: the event's stamp (or
	 * when the snapshot read it); captured: cap->flags as read, before
	 * the checks against the stream changed them */
	int (*exec)(void *ctx, int64_t id, int64_t process, int64_t time,
	    uint64_t mono, uint32_t captured, const struct pt_capture *cap,
	    const char *data);
	/* a snapshot entry as the collector was told it (a source of the
	 * rebuild); exec: the exec row made of it, 0 if none (adopted) */
	int (*snap)(void *ctx, const struct rec_snap *s, const int32_t *tids,
	    int64_t exec);
	/* a process row, new (insert) or changed */
	int (*process)(void *ctx, const struct proc_row *p, bool insert);
	/* an open row of an earlier session ended while nobody watched: its
	 * end is when that boot's collector was last seen; add_flags or-ed */
	int (*close)(void *ctx, int64_t id, uint32_t add_flags);
	/* exec rows from..to (ids) of process: what they captured is not
	 * theirs; the data goes, why (PT_CAP_*) is or-ed into capture, and
	 * so do the credentials and comm that the descendants written
	 * already inherited from them (the tracker clears those it holds) */
	int (*exec_drop)(void *ctx, int64_t process, int64_t from, int64_t to,
	    uint32_t why);
};
#endif
