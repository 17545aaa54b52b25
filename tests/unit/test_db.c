/*
 * Opening databases: creation, migration from version 1, refusals (not a
 * database, not proctrail's, newer schema, empty file read-only), and a
 * second reader in the same committed state as a first (db_open_twin).
 */
#include <fcntl.h>
#include <sys/file.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "db.h"
#include "schema.h"

static char dir[] = "/tmp/pt-test-db-XXXXXX";

static const char *
path(const char *name)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

static int
one_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	int v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return -2;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Column col of st's row is the n bytes at p, not NULL (the pointer to
 * an empty value may be). */
static int
same(sqlite3_stmt *st, int col, const void *p, size_t n)
{
	const void *v = sqlite3_column_blob(st, col);

	if (sqlite3_column_type(st, col) == SQLITE_NULL ||
	    (size_t)sqlite3_column_bytes(st, col) != n)
		return 0;
	return n == 0 || memcmp(v, p, n) == 0;
}

/*
 * The views' argv text and JSON array against the stored bytes, for
 * command lines made of NULs, backslashes, quotes, "\u0000" as text,
 * control characters and bytes that are not UTF-8: the text is the bytes
 * with each NUL but a last one made a space, the array has each argument
 * as it was.
 */
static void
test_argv_text(sqlite3 *db)
{
	static const struct { const char *s; size_t n; } parts[] = {
		{ "\0", 1 }, { "\\", 1 }, { "\"", 1 }, { "u", 1 }, { "0", 1 },
		{ "a", 1 }, { " ", 1 }, { "\n", 1 }, { "\x01", 1 },
		{ "\xc3\xbc", 2 }, { "\xff", 1 }, { "\\u0000", 6 },
		{ "\\\\u0000", 7 }, { "\0\0", 2 },
	};
	sqlite3_stmt *ins, *get, *arg;
	char blob[256], want[256], path[32];
	size_t len, wlen, start, k, nargs, i;
	uint32_t seed = 12345;
	int n, bad = 0, j;

	CHECK_EQ(sqlite3_prepare_v2(db, "INSERT INTO cmdline(id, argv)"
	    " VALUES (:id, :argv)", -1, &ins, NULL), SQLITE_OK);
	CHECK_EQ(sqlite3_prepare_v2(db, "SELECT CAST(argv AS BLOB),"
	    " json_array_length(json) FROM cmdlines WHERE id = :id", -1, &get,
	    NULL), SQLITE_OK);
	CHECK_EQ(sqlite3_prepare_v2(db, "SELECT CAST(json_extract(json, :path)"
	    " AS BLOB) FROM cmdlines WHERE id = :id", -1, &arg, NULL),
	    SQLITE_OK);
	for (j = 0; j < 3000; j++) {
		len = 0;
		seed = seed * 1103515245 + 12345;
		n = (int)((seed >> 16) % 13);
		while (n-- > 0) {
			seed = seed * 1103515245 + 12345;
			i = (seed >> 16) % (sizeof(parts) / sizeof(parts[0]));
			memcpy(blob + len, parts[i].s, parts[i].n);
			len += parts[i].n;
		}
		wlen = len > 0 && blob[len - 1] == '\0' ? len - 1 : len;
		for (i = 0; i < wlen; i++)
			want[i] = blob[i] == '\0' ? ' ' : blob[i];
		sqlite3_reset(ins);
		sqlite3_bind_int(ins, 1, 100000 + j);
		sqlite3_bind_blob(ins, 2, blob, (int)len, SQLITE_STATIC);
		CHECK_EQ(sqlite3_step(ins), SQLITE_DONE);
		sqlite3_reset(get);
		sqlite3_bind_int(get, 1, 100000 + j);
		CHECK_EQ(sqlite3_step(get), SQLITE_ROW);
		if (!same(get, 0, want, wlen))
			bad++;
		/* the arguments: the bytes between NULs */
		nargs = len == 0 ? 0 : 1;
		for (i = 0; i < wlen; i++)
			nargs += blob[i] == '\0';
		if ((size_t)sqlite3_column_int(get, 1) != nargs)
			bad++;
		for (k = 0, start = 0; k < nargs; k++) {
			for (i = start; i < wlen && blob[i] != '\0'; i++)
				;
			snprintf(path, sizeof(path), "$[%zu]", k);
			sqlite3_reset(arg);
			sqlite3_bind_text(arg, 1, path, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(arg, 2, 100000 + j);
			if (sqlite3_step(arg) != SQLITE_ROW ||
			    !same(arg, 0, blob + start, i - start))
				bad++;
			start = i + 1;
		}
	}
	CHECK_EQ(bad, 0);
	sqlite3_finalize(ins);
	sqlite3_finalize(get);
	sqlite3_finalize(arg);
}

/* test_twin's writer, and what its progress handler on the reader does
 * once: commit a row in the middle of db_open_twin */
static sqlite3 *twin_writer;
static int twin_fired;

static int
commit_once(void *arg)
{
	(void)arg;
	if (!twin_fired++)
		CHECK_EQ(sqlite3_exec(twin_writer, "INSERT INTO boot VALUES"
		    " (4, 'd', 'h', 0)", NULL, NULL, NULL), SQLITE_OK);
	return 0;
}

/*
 * db_open_twin: a second reader in the same committed state as the first,
 * of a file a collector writes (proved by data_version) and of one nobody
 * writes; refused when a commit comes in between, or a collector starts.
 */
static void
test_twin(void)
{
	sqlite3 *m, *t = NULL;
	struct db_stamp stamp;
	int fd;

	CHECK_EQ(db_open_rw(path("twin.db"), &twin_writer), 0);
	/* held as proctraild holds it: readers read the file as live */
	fd = open(path("twin.db"), O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0);
	CHECK_EQ(sqlite3_exec(twin_writer, "INSERT INTO boot VALUES"
	    " (1, 'a', 'h', 0)", NULL, NULL, NULL), SQLITE_OK);
	CHECK_EQ(db_open_ro(path("twin.db"), &m, NULL), 0);
	CHECK_EQ(sqlite3_exec(m, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	CHECK_EQ(one_int(m, "SELECT count(*) FROM boot"), 1);
	/* a commit before: the first reader begins again and sees it too */
	CHECK_EQ(sqlite3_exec(twin_writer, "INSERT INTO boot VALUES"
	    " (2, 'b', 'h', 0)", NULL, NULL, NULL), SQLITE_OK);
	CHECK_EQ(db_open_twin(m, path("twin.db"), NULL, &t), 0);
	CHECK_EQ(one_int(m, "SELECT count(*) FROM boot"), 2);
	CHECK_EQ(one_int(t, "SELECT count(*) FROM boot"), 2);
	/* one after: neither does */
	CHECK_EQ(sqlite3_exec(twin_writer, "INSERT INTO boot VALUES"
	    " (3, 'c', 'h', 0)", NULL, NULL, NULL), SQLITE_OK);
	CHECK_EQ(one_int(m, "SELECT count(*) FROM boot"), 2);
	CHECK_EQ(one_int(t, "SELECT count(*) FROM boot"), 2);
	sqlite3_close(t);
	t = NULL;

	/* a commit while the two begin: refused, the first reader in a new
	 * transaction that has it */
	sqlite3_progress_handler(m, 1, commit_once, NULL);
	CHECK_EQ(db_open_twin(m, path("twin.db"), NULL, &t), -EAGAIN);
	sqlite3_progress_handler(m, 0, NULL, NULL);
	CHECK(twin_fired >= 1);
	CHECK(t == NULL);
	CHECK(!sqlite3_get_autocommit(m));
	CHECK_EQ(one_int(m, "SELECT count(*) FROM boot"), 4);
	sqlite3_close(m);

	/* nobody writes it: both read it the same way, immutable (no -wal) */
	sqlite3_close(twin_writer);
	close(fd);
	db_stamp(path("twin.db"), &stamp);
	CHECK(stamp.valid);
	CHECK_EQ(db_open_ro(path("twin.db"), &m, NULL), 0);
	CHECK_EQ(sqlite3_exec(m, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	CHECK_EQ(one_int(m, "SELECT count(*) FROM boot"), 4);
	CHECK_EQ(db_open_twin(m, path("twin.db"), &stamp, &t), 0);
	CHECK_EQ(one_int(t, "SELECT count(*) FROM boot"), 4);
	sqlite3_close(t);
	t = NULL;
	/* without a stamp: refused */
	CHECK_EQ(db_open_twin(m, path("twin.db"), NULL, &t), -EAGAIN);
	/* a collector has started since the first opened it: refused */
	fd = open(path("twin.db"), O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0);
	CHECK_EQ(db_open_twin(m, path("twin.db"), &stamp, &t), -EAGAIN);
	CHECK(t == NULL);
	CHECK(!sqlite3_get_autocommit(m));
	close(fd);
	sqlite3_close(m);

	/* with a -wal nobody writes now (a private wal-index each) */
	CHECK_EQ(sqlite3_open(path("twin.db"), &twin_writer), SQLITE_OK);
	CHECK_EQ(sqlite3_exec(twin_writer, "PRAGMA wal_autocheckpoint = 0;"
	    "INSERT INTO boot VALUES (5, 'e', 'h', 0)", NULL, NULL, NULL),
	    SQLITE_OK);
	db_stamp(path("twin.db"), &stamp);
	CHECK(stamp.valid && stamp.v[1][1] > 0);
	CHECK_EQ(db_open_ro(path("twin.db"), &m, NULL), 0);
	CHECK_EQ(sqlite3_exec(m, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	CHECK_EQ(one_int(m, "SELECT count(*) FROM boot"), 5);
	CHECK_EQ(db_open_twin(m, path("twin.db"), &stamp, &t), 0);
	CHECK_EQ(one_int(t, "SELECT count(*) FROM boot"), 5);
	sqlite3_close(t);
	t = NULL;
	/* a write since the first reader opened it (a collector came and
	 * went): the files differ from the stamp, refused */
	CHECK_EQ(sqlite3_exec(twin_writer, "INSERT INTO boot VALUES"
	    " (6, 'f', 'h', 0)", NULL, NULL, NULL), SQLITE_OK);
	CHECK_EQ(db_open_twin(m, path("twin.db"), &stamp, &t), -EAGAIN);
	CHECK(t == NULL);
	CHECK(!sqlite3_get_autocommit(m));
	sqlite3_close(m);
	sqlite3_close(twin_writer);
}

int
main(void)
{
	sqlite3 *db;
	int fd, version = 0;
	char cmd[600];

	CHECK(mkdtemp(dir) != NULL);

	/* new: created 0600 at the current version, WAL, incremental vacuum */
	CHECK_EQ(db_open_rw(path("new.db"), &db), 0);
	CHECK_EQ(one_int(db, "PRAGMA user_version"), db_schema_version());
	CHECK_EQ(one_int(db, "PRAGMA application_id"), PT_APPLICATION_ID);
	CHECK_EQ(one_int(db, "PRAGMA auto_vacuum"), 2);
	CHECK_EQ(one_int(db, "SELECT count(*) FROM sqlite_schema WHERE"
	    " name IN ('event_process', 'process_long')"), 2);
	sqlite3_close(db);
	CHECK_EQ(db_open_ro(path("new.db"), &db, &version), 0);
	CHECK_EQ(version, db_schema_version());
	sqlite3_close(db);

	/* a version 1 database is migrated in place */
	CHECK_EQ(sqlite3_open(path("v1.db"), &db), SQLITE_OK);
	CHECK_EQ(sqlite3_exec(db, pt_schema_sql[0], NULL, NULL, NULL), SQLITE_OK);
	CHECK_EQ(sqlite3_exec(db, "PRAGMA user_version = 1", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	CHECK_EQ(db_open_rw(path("v1.db"), &db), 0);
	CHECK_EQ(one_int(db, "PRAGMA user_version"), db_schema_version());
	CHECK_EQ(one_int(db, "SELECT count(*) FROM sqlite_schema WHERE"
	    " name = 'event_process'"), 1);
	/* version 3: the clock table, and an events view that uses it */
	CHECK_EQ(one_int(db, "SELECT count(*) FROM sqlite_schema WHERE"
	    " name = 'clock'"), 1);
	CHECK_EQ(one_int(db, "SELECT instr(sql, 'clock') > 0 FROM sqlite_schema"
	    " WHERE name = 'events'"), 1);
	sqlite3_close(db);

	/* a version 2 database with history: its argv move to cmdline (each
	 * distinct line once), exec rows keep theirs, the views read them */
	CHECK_EQ(sqlite3_open(path("v2.db"), &db), SQLITE_OK);
	CHECK_EQ(sqlite3_exec(db, pt_schema_sql[0], NULL, NULL, NULL), SQLITE_OK);
	CHECK_EQ(sqlite3_exec(db, pt_schema_sql[1], NULL, NULL, NULL), SQLITE_OK);
	CHECK_EQ(sqlite3_exec(db, "PRAGMA user_version = 2;"
	    "INSERT INTO boot VALUES (1, 'b', 'h', 0);"
	    "INSERT INTO session(id, boot, pid, version, started, heartbeat,"
	    " mono_offset) VALUES (1, 1, 1, 'x', 0, 0, 1000000000000000000);"
	    "INSERT INTO process(id, boot, tgid, start_ticks, start, image)"
	    " VALUES (1, 1, 10, 1, 1000000000000000000, 1),"
	    " (2, 1, 11, 2, 1000000001000000000, 2),"
	    " (3, 1, 12, 3, 1000000002000000000, 3),"
	    " (4, 1, 13, 4, 1000000003000000000, 4);"
	    "INSERT INTO exec(id, process, time, argv, capture) VALUES"
	    " (1, 1, 1000000000000000000, X'6c73002d6c00', 319),"
	    " (2, 2, 1000000001000000000, X'6c73002d6c00', 319),"
	    " (3, 3, 1000000002000000000, X'', 319),"
	    " (4, 4, 1000000003000000000, NULL, 512);"
	    "INSERT INTO event(session, mono, cpu, type, pid, tgid, process)"
	    " VALUES (1, 5, 0, 1, 10, 10, 1);", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	CHECK_EQ(db_open_rw(path("v2.db"), &db), 0);
	CHECK_EQ(one_int(db, "PRAGMA user_version"), db_schema_version());
	CHECK_EQ(one_int(db, "SELECT count(*) FROM cmdline"), 2);
	CHECK_EQ(one_int(db, "SELECT count(*) FROM exec x JOIN cmdline c ON"
	    " c.id = x.cmdline WHERE x.id IN (1, 2) AND c.argv ="
	    " X'6c73002d6c00'"), 2);
	CHECK_EQ(one_int(db, "SELECT count(*) FROM exec x JOIN cmdline c ON"
	    " c.id = x.cmdline WHERE x.id = 3 AND c.argv = X''"), 1);
	CHECK_EQ(one_int(db, "SELECT cmdline IS NULL FROM exec WHERE id = 4"),
	    1);
	CHECK_EQ(one_int(db, "SELECT count(*) FROM processes WHERE"
	    " argv = 'ls -l'"), 2);
	CHECK_EQ(one_int(db, "SELECT argv = '' FROM processes WHERE id = 3"), 1);
	CHECK_EQ(one_int(db, "SELECT argv IS NULL FROM processes WHERE id = 4"),
	    1);
	CHECK_EQ(one_int(db, "SELECT start = 1000000001000000000 AND start_utc ="
	    " '2001-09-09T01:46:41.000' FROM processes WHERE id = 2"), 1);
	CHECK_EQ(one_int(db, "SELECT time = 1000000000000000005 FROM events"),
	    1);
	CHECK_EQ(one_int(db, "SELECT count(*) FROM args WHERE cmdline ="
	    " (SELECT cmdline FROM exec WHERE id = 1)"), 2);
	CHECK_EQ(one_int(db, "SELECT count(*) FROM sqlite_schema WHERE"
	    " name = 'cmdline_migrate'"), 0);
	test_argv_text(db);
	sqlite3_close(db);

	/* a version 6 database with history: version 7 adds the sources'
	 * columns and table; what was recorded before has none of them (no
	 * positions: such sessions cannot be rebuilt); version 8 the
	 * process rows' forked_before_exec, NULL for them */
	CHECK_EQ(sqlite3_open(path("v6.db"), &db), SQLITE_OK);
	CHECK_EQ(db_add_cgroup_functions(db), 0);	/* 005 parses cgroups */
	for (int i = 0; i < 6; i++)
		CHECK_EQ(sqlite3_exec(db, pt_schema_sql[i], NULL, NULL, NULL),
		    SQLITE_OK);
	CHECK_EQ(sqlite3_exec(db, "PRAGMA user_version = 6;"
	    "INSERT INTO boot VALUES (1, 'b', 'h', 0);"
	    "INSERT INTO session(id, boot, pid, version, started, heartbeat,"
	    " mono_offset) VALUES (1, 1, 1, 'x', 0, 0, 0);"
	    "INSERT INTO process(id, boot, tgid, start_ticks, start, image)"
	    " VALUES (1, 1, 10, 1, 5, 1);"
	    "INSERT INTO exec(id, process, time, capture) VALUES (1, 1, 5, 256);"
	    "INSERT INTO event(id, session, mono, cpu, type, pid, tgid, process)"
	    " VALUES (7, 1, 5, 0, 1, 10, 10, 1);"
	    "INSERT INTO gap(session, kind, start, end, count) VALUES"
	    " (1, 'seq', 1, 2, 1);"
	    "INSERT INTO clock VALUES (1, 3, 0, 0);", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	CHECK_EQ(db_open_rw(path("v6.db"), &db), 0);
	CHECK_EQ(one_int(db, "PRAGMA user_version"), db_schema_version());
	CHECK_EQ(one_int(db, "SELECT boot_offset IS NULL AND snapshot IS NULL"
	    " FROM session"), 1);
	CHECK_EQ(one_int(db, "SELECT captured IS NULL AND start_ticks IS NULL"
	    " AND t_open IS NULL AND t_done IS NULL AND layout IS NULL AND"
	    " capture = 256 FROM exec"), 1);
	CHECK_EQ(one_int(db, "SELECT pos IS NULL FROM gap"), 1);
	CHECK_EQ(one_int(db, "SELECT pos IS NULL AND mono = 3 FROM clock"), 1);
	CHECK_EQ(one_int(db, "SELECT count(*) FROM snap"), 0);
	CHECK_EQ(one_int(db, "SELECT count(*) FROM sqlite_schema WHERE"
	    " name = 'snap_session'"), 1);
	CHECK_EQ(one_int(db, "SELECT id FROM event"), 7);
	/* version 8: forked_before_exec, not known for the rows before */
	CHECK_EQ(one_int(db, "SELECT forked_before_exec IS NULL AND image = 1"
	    " FROM process"), 1);
	CHECK_EQ(one_int(db, "SELECT count(*) FROM exec_drop"), 0);
	CHECK_EQ(one_int(db, "SELECT count(*) FROM sqlite_schema WHERE"
	    " name = 'exec_drop_process'"), 1);
	sqlite3_close(db);

	/* binding by name: a parameter the statement lacks fails loudly */
	{
		sqlite3_stmt *st;

		CHECK_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
		CHECK_EQ(sqlite3_prepare_v2(db, "SELECT :a, :b", -1, &st, NULL),
		    SQLITE_OK);
		CHECK_EQ(db_bind_int64(st, ":a", 42), 0);
		CHECK_EQ(db_bind_text(st, ":b", "x"), 0);
		CHECK_EQ(db_bind_int64(st, ":nosuch", 1), -EINVAL);
		CHECK_EQ(db_bind_text(st, ":typo", "y"), -EINVAL);
		CHECK_EQ(sqlite3_step(st), SQLITE_ROW);
		CHECK_EQ(sqlite3_column_int64(st, 0), 42);
		CHECK_EQ(db_bind_text(st, ":b", NULL) < 0, 1);	/* not reset */
		sqlite3_reset(st);
		CHECK_EQ(db_bind_text(st, ":b", NULL), 0);
		CHECK_EQ(sqlite3_step(st), SQLITE_ROW);
		CHECK_EQ(sqlite3_column_type(st, 1), SQLITE_NULL);
		sqlite3_finalize(st);
		sqlite3_close(db);
	}

	/* newer: refused both ways */
	CHECK_EQ(sqlite3_open(path("newer.db"), &db), SQLITE_OK);
	snprintf(cmd, sizeof(cmd), "PRAGMA application_id = %d;"
	    " PRAGMA user_version = 999; CREATE TABLE t(x)", PT_APPLICATION_ID);
	CHECK_EQ(sqlite3_exec(db, cmd, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	CHECK_EQ(db_open_rw(path("newer.db"), &db), DB_E_NEWER);
	CHECK_EQ(db_open_ro(path("newer.db"), &db, NULL), DB_E_NEWER);

	/* another application's database */
	CHECK_EQ(sqlite3_open(path("other.db"), &db), SQLITE_OK);
	CHECK_EQ(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	CHECK_EQ(db_open_rw(path("other.db"), &db), DB_E_FOREIGN);
	CHECK_EQ(db_open_ro(path("other.db"), &db, NULL), DB_E_FOREIGN);

	/* not a database */
	fd = open(path("junk.db"), O_WRONLY | O_CREAT, 0600);
	CHECK_EQ(write(fd, "this is not an SQLite database, not at all....."
	    "......................................................", 100), 100);
	close(fd);
	CHECK_EQ(db_open_rw(path("junk.db"), &db), DB_E_CORRUPT);
	CHECK_EQ(db_open_ro(path("junk.db"), &db, NULL), DB_E_CORRUPT);

	/* missing, read-only */
	CHECK_EQ(db_open_ro(path("missing.db"), &db, NULL), -ENOENT);
	CHECK(strlen(db_strerror(DB_E_NEWER)) > 10);

	test_twin();

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_EQ(system(cmd), 0);
	return check_done("test_db");
}
