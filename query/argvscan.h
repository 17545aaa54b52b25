#ifndef PT_ARGVSCAN_H
#define PT_ARGVSCAN_H
/*
 * The stored command lines that match search --argv's pattern: the scan of
 * every line (6.5 million in a month of a busy host) that a search over a
 * long span starts from.
 *
 * argv_scan() fills temp.argv_match(id) with the ids of the cmdline rows
 * whose arguments match pat (pt_argv_glob if glob, else pt_argv_has) as
 * q's read transaction sees them, and leaves q in that transaction.  Over
 * many lines the scan is split between this thread and a second one that
 * reads through its own connection, which db_open_twin() proves sees the
 * same committed state (q's transaction is begun again for it).  Where
 * that cannot be proved, or the lines are fewer than split, q scans alone
 * (or if the second connection or thread cannot be had).  Returns 0
 * or -errno (DB_E_TIMEOUT if the time budget runs out in either thread).
 */
#include "query.h"

int argv_scan(struct qctx *q, const char *pat, int glob, int64_t split);

/* split: the lines (by id span) from which it uses two threads; search
 * takes $PROCTRAIL_SCAN_SPLIT (0: always), for tests and tuning, or: */
#define ARGV_SCAN_SPLIT_MIN 200000
#endif
