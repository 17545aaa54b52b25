#ifndef PT_SQLCMD_H
#define PT_SQLCMD_H
/*
 * sql: one ad-hoc statement, read-only three times over: the connection
 * is opened read-only, an authorizer refuses writes, schema changes,
 * ATTACH/DETACH, transactions and pragma assignments, and the prepared
 * statement must pass sqlite3_stmt_readonly().  Parameters ?1, ?2, ...
 * (or :name in order of appearance) are bound from the remaining
 * arguments: integers when they look like one, text otherwise.
 * Declared in query.h (cmd_sql).
 */
#endif
