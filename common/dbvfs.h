#ifndef PT_DBVFS_H
#define PT_DBVFS_H
/*
 * An SQLite VFS for reading a database that no process is writing (a copy
 * taken as evidence, or one whose collector has stopped) without creating
 * or changing any file next to it.
 *
 * It wraps the default VFS and differs in three ways:
 *   - the wal-index ("shared memory") lives in this process's heap: no
 *     -shm file is created, opened or written, and the -wal's frames are
 *     still read (SQLite rebuilds the index from the -wal on first use);
 *   - a -wal or journal is only ever opened read-only, never created;
 *   - files are never deleted.
 * Locks between connections of this process are not kept: use it with
 * connections opened read-only, with SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE
 * set (each builds its own wal-index; db_open_twin opens a second one).
 */

/* The VFS's name, for sqlite3_open_v2() or a URI's vfs= parameter. */
#define DBVFS_NAME	"pt-privshm"

/* Register the VFS (not as the default) once.  Returns an SQLite code. */
int dbvfs_register(void);
#endif
