/*
 * pt_mkfixture: make a database for the CLI tests.
 *
 * usage: pt_mkfixture [--plain | --append | --wal | --old] DB [FILE.sql ...]
 *
 * Creates DB with the real, embedded schema, or as a plain SQLite file
 * with --plain, then runs each SQL file into it.  The first file is
 * written in the layout of schema version 3 (argv in exec), then the file
 * is migrated to the current version as proctraild does (db_open_rw):
 * every CLI case reads data that went through the migrations.  The other
 * files are written in the current layout.  --append runs them all into
 * an existing DB instead; --wal too, but leaves what they wrote in DB-wal
 * (not checkpointed at close), as a live database has it.  --old stops
 * after the first file: a file of schema version 3, as an older collector
 * left it.
 */
#define FIXTURE_VERSION 3
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "db.h"
#include "schema.h"

static char *
slurp(const char *path)
{
	FILE *f;
	char *s;
	long n;

	f = fopen(path, "rb");
	if (!f)
		err(1, "%s", path);
	if (fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) < 0)
		err(1, "%s", path);
	s = malloc((size_t)n + 1);
	if (!s)
		err(1, NULL);
	if (fread(s, 1, (size_t)n, f) != (size_t)n)
		errx(1, "%s: short read", path);
	s[n] = '\0';
	fclose(f);
	return s;
}

int
main(int argc, char **argv)
{
	sqlite3 *db;
	char *sql, *msg = NULL;
	int plain = 0, append = 0, wal = 0, old = 0, i = 1, r;

	if (argc > 1 && strcmp(argv[1], "--plain") == 0)
		plain = ++i;
	else if (argc > 1 && strcmp(argv[1], "--append") == 0)
		append = ++i;
	else if (argc > 1 && strcmp(argv[1], "--wal") == 0)
		wal = append = ++i;
	else if (argc > 1 && strcmp(argv[1], "--old") == 0)
		old = ++i;
	if (i >= argc) {
		fprintf(stderr, "usage: pt_mkfixture [--plain | --append | --wal |"
		    " --old]"
		    " DB [FILE.sql ...]\n");
		return 2;
	}
	if (!append)
		remove(argv[i]);
	if (plain) {
		if (sqlite3_open(argv[i], &db) != SQLITE_OK)
			errx(1, "%s: %s", argv[i], sqlite3_errmsg(db));
	} else if (!append) {
		/* version 3, the first file, then the migrations */
		const char *path = argv[i];
		int v;

		if (sqlite3_open(path, &db) != SQLITE_OK)
			errx(1, "%s: %s", argv[i], sqlite3_errmsg(db));
		sqlite3_exec(db, "PRAGMA auto_vacuum=INCREMENTAL", NULL, NULL,
		    NULL);
		for (v = 0; v < FIXTURE_VERSION; v++)
			if (sqlite3_exec(db, pt_schema_sql[v], NULL, NULL, &msg)
			    != SQLITE_OK)
				errx(1, "schema %d: %s", v + 1, msg);
		sqlite3_exec(db, "PRAGMA user_version = 3", NULL, NULL, NULL);
		if (i + 1 < argc) {
			sql = slurp(argv[++i]);
			if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
				errx(1, "%s: %s", argv[i], msg);
			free(sql);
		}
		if (old) {
			sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL,
			    NULL);
			sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)",
			    NULL, NULL, NULL);
			return sqlite3_close(db) == SQLITE_OK ? 0 : 1;
		}
		sqlite3_close(db);
		if ((r = db_open_rw(path, &db)) < 0)
			errx(1, "%s: %s", path, db_strerror(r));
	} else if ((r = db_open_rw(argv[i], &db)) < 0)
		errx(1, "%s: %s", argv[i], db_strerror(r));
	if (wal) {
		sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
		sqlite3_exec(db, "PRAGMA wal_autocheckpoint=0", NULL, NULL, NULL);
	}
	for (i++; i < argc; i++) {
		sql = slurp(argv[i]);
		if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
			errx(1, "%s: %s", argv[i], msg);
		free(sql);
	}
	/* leave a single file: no -wal to copy around */
	if (!wal)
		sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL,
		    NULL);
	if (sqlite3_close(db) != SQLITE_OK)
		errx(1, "close failed");
	return 0;
}
