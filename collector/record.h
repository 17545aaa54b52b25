#ifndef PT_RECORD_H
#define PT_RECORD_H
/*
 * Records passed from the reader (and the start-up snapshot) to the writer
 * through the queue.  Every record is a fixed struct followed, for captures,
 * by the captured strings (argv, exe, cwd, cgroup, lengths in the capture).
 */
#include <stdint.h>

#include "event.h"
#include "procfs.h"

enum rec_kind {
	REC_EVENT = 1,	/* struct rec_event */
	REC_EXEC,	/* struct rec_exec + strings */
	REC_SNAP,	/* struct rec_snap + tids + strings */
	REC_GAP,	/* struct rec_gap */
	REC_SNAP_DONE,	/* no payload: the snapshot is complete */
	REC_STOP,	/* no payload: the reader stopped; flush and exit */
	REC_CLOCK,	/* struct rec_clock: the clocks moved */
};

/*
 * CLOCK_BOOTTIME and the wall clock against CLOCK_MONOTONIC (the clock of
 * event timestamps): a suspend moves both, setting the time the wall
 * clock.  The offsets hold for the events after this record.
 */
struct rec_clock {
	int64_t boot_offset;	/* CLOCK_BOOTTIME - CLOCK_MONOTONIC, ns */
	int64_t mono_offset;	/* CLOCK_REALTIME - CLOCK_MONOTONIC, ns */
	uint64_t mono;		/* CLOCK_MONOTONIC ns when they were read */
};

struct rec_event {
	struct pt_event ev;
};

/* An EXEC event with what was read of /proc at once. */
struct rec_exec {
	struct pt_event ev;
	struct pt_capture cap;
	/* char data[cap.argv_len + exe_len + cwd_len + cgroup_len] */
};

/* A process found running by the snapshot. */
struct rec_snap {
	int32_t tgid;
	uint32_t ntids;		/* other threads, int32_t each, after this */
	uint64_t mono;		/* CLOCK_MONOTONIC ns when it was read */
	struct pt_capture cap;
	/* int32_t tids[ntids]; then the strings */
};

struct rec_gap {
	uint32_t kind;		/* enum pt_gap_kind */
	int32_t cpu;		/* GAP_SEQ: the CPU; else -1 */
	uint64_t count;		/* events lost */
	uint64_t start;		/* CLOCK_MONOTONIC ns: first moment of the loss */
	uint64_t end;		/* CLOCK_MONOTONIC ns: last moment */
};
#endif
