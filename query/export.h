#ifndef PT_EXPORT_H
#define PT_EXPORT_H
/*
 * export: the history as records for a fleet-wide store, one JSON object
 * per line or CSV.  Declared in query.h (cmd_export).
 *
 * Two modes.  A window (--since, --until) exports what started, ran or
 * was lost in it, once.  A cursor file (--cursor-file) makes exports
 * incremental: each run exports what the previous one did not, with no
 * duplicate and no hole, and a process exported while running is
 * exported once more, final, when it has ended.  The record schema and
 * the cursor's guarantees are in docs/fleet.md.
 */
#endif
