/*
 * Opening databases: creation, migration from version 1, and refusals
 * (not a database, not proctrail's, newer schema, empty file read-only).
 */
#include <fcntl.h>
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

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_EQ(system(cmd), 0);
	return check_done("test_db");
}
