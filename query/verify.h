#ifndef PT_VERIFY_H
#define PT_VERIFY_H
/*
 * verify: an integrity and consistency report on a database.  Declared
 * in query.h (cmd_verify).  Prints a "summary" record and a "checks"
 * table (check, status, count, detail); exits EX_PROBLEM when a check
 * found an error, EX_DB when the file cannot be opened as a proctrail
 * database at all.  docs/query.md lists the checks.
 */
#endif
