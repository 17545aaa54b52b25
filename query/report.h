#ifndef PT_REPORT_H
#define PT_REPORT_H
/*
 * report (summaries over a window of process starts) and gaps (where
 * history is incomplete).  Declared in query.h (cmd_report, cmd_gaps).
 *
 * Report sections, in order, each a named table:
 *   commands	top commands (comm) by instances started
 *   failures	commands by instances that ended non-zero or by a signal
 *   longest	longest-lived instances (running ones count up to now)
 *   parents	busiest parents: most children started (fork storms)
 *   users	instances per real user
 */
#endif
