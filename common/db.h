#ifndef PT_DB_H
#define PT_DB_H
/*
 * Opening a proctrail database, shared by the collector and the query tool.
 *
 * Functions return 0 or a negative errno; they never print.  Besides the
 * ordinary errno values (-ENOENT, -EACCES, -EROFS, -ENOSPC, ...) these mean:
 */
#include <errno.h>
#include <stddef.h>
#include <sqlite3.h>

#define DB_E_CORRUPT	(-EBADMSG)		/* file is not a database, or corrupt */
#define DB_E_FOREIGN	(-EMEDIUMTYPE)		/* an SQLite database, but not proctrail's */
#define DB_E_NEWER	(-EPROTONOSUPPORT)	/* schema newer than this build */
#define DB_E_BUSY	(-EBUSY)		/* locked by another connection too long */
#define DB_E_SQL	(-EILSEQ)		/* SQL or schema error: sqlite3_errmsg() says which */
#define DB_E_TIMEOUT	(-ETIME)		/* interrupted: a time limit ran out */

/* Busy timeout for every connection, milliseconds. */
#define DB_BUSY_TIMEOUT_MS 5000

/*
 * Open (creating it if missing, mode 0600; an existing file's mode is left
 * alone) the database at path for writing,
 * in WAL mode with synchronous=NORMAL, and bring its schema up to the
 * current version, each migration in its own transaction.
 * On success *ret_db is an open connection the caller closes with
 * sqlite3_close().
 */
int db_open_rw(const char *path, sqlite3 **ret_db);
/*
 * A migration of a large file can take minutes (version 4 rewrites the
 * exec table).  If set, fn is called when db_open_rw() starts migrating
 * (from, to), then about every 5 s until it is done, from the opening
 * thread: to log it, and to extend a service manager's start timeout.
 * Process-wide; set it before opening.
 */
typedef void (*db_migrate_fn)(int from, int to, void *arg);
void db_set_migrate_hook(db_migrate_fn fn, void *arg);

/*
 * Open an existing database read-only (the query tool).  Checks that it is
 * a proctrail database with a schema this build knows.  Works on a database
 * a collector is writing (found by its flock), as SQLite reads WAL
 * databases; on one nobody writes, without creating, changing or deleting
 * any file next to it: immutable if it has no -wal, else with a wal-index
 * in private memory (dbvfs.h), so the -wal's rows count even in a
 * read-only directory.  *ret_version gets the schema version (may be NULL).
 */
int db_open_ro(const char *path, sqlite3 **ret_db, int *ret_version);
/* The URI db_open_ro() opens path by (into uri, size bytes), for an
 * ATTACH by a connection opened with SQLITE_OPEN_URI: read-only, and
 * leaving nothing next to a file nobody writes.  0 or -errno. */
int db_ro_uri(const char *path, char *uri, size_t size);
/* As db_open_ro(), but always as a reader of a live database (shared
 * memory, the -wal followed as it grows), whether or not a collector
 * writes it now: for proctrail's follow mode, which waits for one. */
int db_open_follow(const char *path, sqlite3 **ret_db, int *ret_version);

/*
 * What a reader of a file nobody writes can tell of it: the main file's
 * and its -wal's inode, size, modification time and the header fields a
 * commit or a WAL restart changes (zeros for a missing -wal).  Taken
 * before the reader opens it, so that any change after shows.
 */
struct db_stamp {
	long long	v[2][6];	/* inode, size, mtime ns, device, header */
	int		valid;
};
void db_stamp(const char *path, struct db_stamp *ret);

/*
 * A second reader of what reader db (made by db_open_ro or db_open_follow
 * on path) reads, for work split between threads: db's read transaction
 * is ended and begun again, and *ret_db is a new connection in a read
 * transaction that sees exactly the same committed state, proved as
 * follows.
 *   - db reads a database a collector writes (shared wal-index): the twin
 *     asks PRAGMA data_version before db begins again and once more after
 *     it has begun itself.  Equal values mean no commit in between
 *     (SQLite's documented promise), so both began on the same state.
 *   - db reads it without a writer (immutable, or a private wal-index
 *     built once): the twin must be opened the same way, and the files
 *     must still be as stamp (db_stamp, taken before db was opened) says
 *     once the twin has begun.
 * No statement of db may be active (stepped and not reset): COMMIT would
 * not end its transaction.
 * Returns 0, or -EAGAIN if that could not be proved (a commit came
 * between, a collector started or stopped, no valid stamp), or another
 * -errno.  On failure db is in its old read transaction, in a new one, or
 * in none: the caller begins one if it needs it, and reads alone.
 */
int db_open_twin(sqlite3 *db, const char *path, const struct db_stamp *stamp,
    sqlite3 **ret_db);

/*
 * path as an SQLite URI ("file:" and path, percent-encoded, then "?" and
 * params unless params is NULL), so that a path is always a file name,
 * never read as a URI ("file:x.db?vfs=..." is a file of that name).
 * Open it with SQLITE_OPEN_URI.  Returns 0 or -ENAMETOOLONG.
 */
int db_uri(const char *path, const char *params, char *buf, size_t size);

/*
 * Map an SQLite result code (extended or primary) of connection db
 * (may be NULL) to a negative errno as above.
 */
int db_errno(sqlite3 *db, int rc);

/*
 * Run sql (constant text, no parameters) and put column 0 of its first row
 * in *ret; *ret is left alone when there is no row.  Returns 0 or -errno.
 */
int db_query_int(sqlite3 *db, const char *sql, int *ret);

/*
 * Bind a value to the parameter called name (":at") of st: 0, or -EINVAL
 * if st has no such parameter (a typo fails loudly instead of binding
 * nothing), or the mapped SQLite error.  db_bind_text binds NULL for a
 * NULL v; the text must outlive the statement's use (SQLITE_STATIC).
 */
#include <stdint.h>
/* pt_unit, pt_container and pt_pod (common/cgroup.c) as SQL functions of
 * one cgroup path. */
int db_add_cgroup_functions(sqlite3 *db);

int db_bind_int64(sqlite3_stmt *st, const char *name, int64_t v);
int db_bind_text(sqlite3_stmt *st, const char *name, const char *v);

/* A human-readable reason for one of this module's negative errnos. */
const char *db_strerror(int err);


/* Schema version this build writes. */
int db_schema_version(void);
#endif
