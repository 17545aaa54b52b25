#ifndef PT_LINEAGE_H
#define PT_LINEAGE_H
/*
 * Lineage: "ancestors" walks process.parent up to the root, "tree" walks
 * it down (index process_parent).  Both are one recursive CTE each; the
 * subcommands are declared in query.h.
 */
#include <limits.h>

/* Ceiling on lineage depth: parent links of a damaged file cannot loop us. */
#define LINEAGE_MAX_DEPTH	100000
#endif
