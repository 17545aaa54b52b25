/*
 * The vocabulary (common/model.h) against the embedded schema: every
 * event_type row has its name, every name a row; the bits have names where
 * docs/schema.md gives one.
 */
#include <string.h>

#include <sqlite3.h>

#include "check.h"
#include "db.h"
#include "model.h"
#include "schema.h"

int
main(void)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	uint32_t types[] = { PT_EV_FORK, PT_EV_EXEC, PT_EV_UID, PT_EV_GID,
	    PT_EV_SID, PT_EV_PTRACE, PT_EV_COMM, PT_EV_COREDUMP, PT_EV_EXIT };
	int i, n = 0, v;

	CHECK_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
	CHECK_EQ(db_add_cgroup_functions(db), 0);	/* version 5 uses them */
	for (v = 0; v < pt_schema_count; v++)
		CHECK_EQ(sqlite3_exec(db, pt_schema_sql[v], NULL, NULL, NULL),
		    SQLITE_OK);
	CHECK_EQ(sqlite3_prepare_v2(db, "SELECT code, name FROM event_type",
	    -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = pt_event_name(
		    (uint32_t)sqlite3_column_int64(st, 0));

		CHECK(name && strcmp(name, (const char *)
		    sqlite3_column_text(st, 1)) == 0);
		n++;
	}
	sqlite3_finalize(st);
	CHECK_EQ(n, (int)(sizeof(types) / sizeof(types[0])));
	for (i = 0; i < (int)(sizeof(types) / sizeof(types[0])); i++) {
		CHECK_EQ(sqlite3_prepare_v2(db, "SELECT name FROM event_type"
		    " WHERE code = ?", -1, &st, NULL), SQLITE_OK);
		sqlite3_bind_int64(st, 1, types[i]);
		CHECK_EQ(sqlite3_step(st), SQLITE_ROW);
		sqlite3_finalize(st);
	}
	CHECK(pt_event_name(12345) == NULL);
	sqlite3_close(db);

	CHECK(strcmp(pt_flag_name(0), "snapshot") == 0);
	CHECK(strcmp(pt_flag_name(6), "adopted") == 0);
	CHECK(pt_flag_name(7) == NULL);
	CHECK(strcmp(pt_capture_name(8), "verified") == 0);
	CHECK(strcmp(pt_capture_name(15), "raced") == 0);
	CHECK_EQ(PT_CAP_RACED, 1 << 15);
	CHECK(strcmp(pt_capture_name(6), "login") == 0);
	CHECK(strcmp(pt_capture_name(16), "file") == 0);
	CHECK_EQ(PT_CAP_TTY, 1 << 17);
	CHECK(strcmp(pt_capture_name(17), "tty") == 0);
	CHECK(pt_capture_name(18) == NULL);
	CHECK(strcmp(pt_gap_name(PT_GAP_KERNEL_DROP), "kernel_drop") == 0);
	CHECK(strcmp(pt_gap_name(PT_GAP_DOWNTIME), "downtime") == 0);
	CHECK(pt_gap_name(0) == NULL && pt_gap_name(99) == NULL);
	return check_done("test_model");
}
