#ifndef PT_SCHEMA_H
#define PT_SCHEMA_H
/*
 * The schema, embedded at build time from schema/NNN-*.sql
 * (cmake/embed_schema.cmake).  pt_schema_sql[i] migrates a database at
 * user_version i to user_version i+1; pt_schema_count is therefore the
 * schema version this build writes and understands.
 */
extern const char *const pt_schema_sql[];
extern const char *const pt_schema_name[];
extern const int pt_schema_count;

/* PRAGMA application_id of a proctrail database ("ptaa"). */
#define PT_APPLICATION_ID 1886679649
#endif
