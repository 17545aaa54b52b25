#ifndef PT_STORE_H
#define PT_STORE_H
/*
 * The collector's side of the database: prepared-once statements and one
 * BEGIN IMMEDIATE transaction per batch.  One thread at a time: main's
 * at start-up and shutdown, the writer's in between.
 * Every function returns 0 or a negative errno (see common/db.h).
 */
#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "event.h"
#include "hasher.h"
#include "model.h"
#include "procfs.h"
#include "rows.h"

struct store;

/* Open the database read-write (db_open_rw) and prepare statements. */
int store_open(const char *path, struct store **ret);
void store_close(struct store *st);
sqlite3 *store_db(struct store *st);

int store_begin(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);

/* Find or add the boot row of boot_id. */
int store_boot(struct store *st, const char *boot_id, const char *hostname,
    int64_t btime, int64_t *ret_id);
/* Add a session row (in its own transaction). */
int store_session_start(struct store *st, int64_t boot, int pid,
    int64_t started, int64_t mono_offset, int64_t boot_offset, int64_t rcvbuf,
    int64_t *ret_id);
int store_session_update(struct store *st, int64_t session, int64_t heartbeat,
    uint64_t events, uint64_t lost);
int store_session_stop(struct store *st, int64_t session, int64_t stopped);
/*
 * Downtime gaps at the start of session (of boot, booted at wall ns btime,
 * started at now): from the last sign of life of an earlier session of the
 * same boot to now; or, for the first session of a boot, from the boot to
 * now, and from the last sign of life of the latest session of another
 * boot to this boot (a row of that session: where that boot's history
 * ends).  *ret_last_seen: the former (0 if none).
 */
int store_downtime(struct store *st, int64_t session, int64_t boot,
    int64_t btime, int64_t now, int64_t *ret_last_seen);

/* Highest process and exec ids in use (ids are allocated by the caller). */
int store_max_ids(struct store *st, int64_t *ret_proc, int64_t *ret_exec);

/* Open process rows: calls fn for each (end IS NULL), and stops at its
 * first error, which it returns. */
int store_open_rows(struct store *st,
    int (*fn)(const struct proc_row *row, void *data), void *data);

/* The tracker's sink (rows.h) on this store: event rows and closes are of
 * session. */
void store_rows(struct store *st, int64_t session, struct rows *ret);

int store_event(struct store *st, int64_t session, const struct pt_event *ev,
    int64_t process);
int store_process_insert(struct store *st, const struct proc_row *p);
int store_process_update(struct store *st, const struct proc_row *p);
/* Close an open row left by an earlier session, as ended when the
 * sessions of its boot before session were last seen alive; add_flags are
 * or-ed in. */
int store_process_close(struct store *st, int64_t id, int64_t session,
    uint32_t add_flags);
/* An exec row; its argv (if captured) is stored as a cmdline row when the
 * row is written, unless the same line was stored lately. */
int store_exec(struct store *st, int64_t id, int64_t process, int64_t time,
    uint64_t mono, uint32_t captured, const struct pt_capture *cap,
    const char *data);
/* A snapshot entry (rows.h), at the next stream position. */
int store_snap(struct store *st, int64_t session, const struct rec_snap *s,
    const int32_t *tids, int64_t exec);
/* The snapshot ended, at the next stream position. */
int store_snapshot_done(struct store *st, int64_t session);
/* Command lines: found in the cache of lines stored lately, inserted. */
struct store_cmd_stats {
	uint64_t hits, inserted;
};
void store_cmd_stats(const struct store *st, struct store_cmd_stats *ret);
/* Empty the cache of command-line ids: call after deleting cmdline rows
 * on the store's connection (retention). */
void store_forget_cmdlines(struct store *st);
/* Exec rows from..to (ids, inclusive) of process: what they captured is
 * not of them (see tracker.c): the data goes, with the command lines no
 * other exec runs, and the credentials and comm of the descendants
 * written already that still run one of those images (inherited, never
 * exec'd since); why (PT_CAP_*) is or-ed into capture.  Rows still
 * buffered are written first. */
int store_exec_drop(struct store *st, int64_t process, int64_t from,
    int64_t to, uint32_t why);
/* --hash-exe: remember the file rows each transaction adds; after a
 * commit, store_new_files calls fn for each (and forgets them); a rollback
 * forgets them.  store_file_hash stores a digest (in the transaction). */
void store_track_files(struct store *st, bool on);
void store_new_files(struct store *st, void (*fn)(void *arg, int64_t id,
    pid_t pid, const char *path, size_t len, const struct file_ident *ident),
    void *arg);
int store_file_hash(struct store *st, int64_t id, const char *hex);
/* The clocks moved: from mono on, session converts with these offsets
 * (at the next stream position). */
int store_clock(struct store *st, int64_t session, int64_t mono,
    int64_t mono_offset, int64_t boot_offset);
/* A gap; stream: it came in the stream of records (at the next stream
 * position), not from the writer itself (write_error) or the start
 * (downtime). */
int store_gap(struct store *st, int64_t session, const char *kind,
    int64_t start, int64_t end, int cpu, int64_t count, bool stream);
#endif
