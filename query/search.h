#ifndef PT_SEARCH_H
#define PT_SEARCH_H
/*
 * search (filters over process instances) and ps (the process table at a
 * moment).  Declared in query.h (cmd_search, cmd_ps).
 *
 * Text filters (--comm, --exe, --argv) are substrings, or shell globs
 * (case-sensitive, whole value) when they contain *, ? or [.  The time
 * window selects instances that started in [since, until).
 */
#endif
