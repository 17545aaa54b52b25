#ifndef PT_LINEAGE_H
#define PT_LINEAGE_H
/*
 * Lineage: "ancestors" walks process.parent up to the root, "tree" walks
 * it down (index process_parent).  Both are one recursive CTE each; the
 * subcommands are declared in query.h.
 */
#include <limits.h>

/* Ceiling on lineage depth: parent links of a damaged file cannot loop us
 * (ancestors also finds a cycle and says so; tree excludes its root from
 * its descendants, the only way one parent per row can loop downwards). */
#define LINEAGE_MAX_DEPTH	100000

/* Ceiling on the rows tree keeps in memory (about 200 bytes each). */
#define LINEAGE_MAX_NODES	5000000
#endif
