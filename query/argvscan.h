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
/* Make temp.argv_match, empty, so that a statement reading it can be
 * prepared before argv_scan() fills it. */
int argv_scan_table(struct qctx *q);

/* split: the lines (by id span) from which it uses two threads.
 * argv_scan_split() gives $PROCTRAIL_SCAN_SPLIT (0: always), for tests and
 * tuning, or the default (never, if the process may run on one CPU only);
 * -EINVAL if it is not a number. */
#define ARGV_SCAN_SPLIT_MIN 200000
int argv_scan_split(int64_t *ret);

/*
 * The same scan for SQL: pt_lines(TEXT), a table-valued function whose
 * column id lists the lines whose arguments joined by spaces contain TEXT
 * (as pt_argv_has).  argv_lines_register() adds it to q->db (q_open does).
 * Preparing a statement that uses it sets q->lines_used; then
 * argv_lines_begin(), before the statement runs, begins q's read
 * transaction with a second reader in the same state (q->twin, closed by
 * q_finish) so that each call scans in two threads (from q->scan_split
 * lines), or leaves q in a read transaction to scan alone.  0 or -errno.
 */
int argv_lines_register(struct qctx *q);
int argv_lines_begin(struct qctx *q);
#endif
