#ifndef PT_SHOW_H
#define PT_SHOW_H
/*
 * show: one process instance's whole life.  Three tables:
 *   process	the instance as a record
 *   timeline	start, every exec, credential/session/comm/ptrace changes,
 *		core dump and end, in time order
 *   gaps	loss gaps overlapping its life
 * Declared in query.h (cmd_show).
 *
 * Per-event details come from the event table by event.process; that
 * lookup is fast only with an index on it (see docs/performance.md).
 */

/* event_type codes shown in the timeline from the event table */
#define SHOW_EVENT_TYPES "4, 64, 128, 256, 512, 1073741824"
#endif
