/*
 * Opening, checking and migrating a proctrail database.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "db.h"
#include "dbvfs.h"
#include "schema.h"

/* pt_unit(path), pt_container(path), pt_pod(path): the user data is the
 * parser of common/cgroup.c; NULL when the path names none. */
static void
sql_cgroup(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int (*fn)(const char *, char *, size_t) = sqlite3_user_data(ctx);
	const char *path;
	char buf[512];

	(void)argc;
	path = (const char *)sqlite3_value_text(argv[0]);
	if (path && fn(path, buf, sizeof(buf)))
		sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

int
db_add_cgroup_functions(sqlite3 *db)
{
	static const struct {
		const char *name;
		int (*fn)(const char *, char *, size_t);
	} f[] = {
		{ "pt_unit", pt_cgroup_unit },
		{ "pt_container", pt_cgroup_container },
		{ "pt_pod", pt_cgroup_pod },
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		rc = sqlite3_create_function_v2(db, f[i].name, 1, SQLITE_UTF8 |
		    SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, (void *)f[i].fn,
		    sql_cgroup, NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			return db_errno(db, rc);
	}
	return 0;
}

int
db_bind_int64(sqlite3_stmt *st, const char *name, int64_t v)
{
	int i = sqlite3_bind_parameter_index(st, name);

	if (i == 0)
		return -EINVAL;
	return db_errno(sqlite3_db_handle(st), sqlite3_bind_int64(st, i, v));
}

int
db_bind_text(sqlite3_stmt *st, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(st, name);

	if (i == 0)
		return -EINVAL;
	return db_errno(sqlite3_db_handle(st), v ?
	    sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC) :
	    sqlite3_bind_null(st, i));
}

int
db_schema_version(void)
{
	return pt_schema_count;
}

int
db_errno(sqlite3 *db, int rc)
{
	int sys;

	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return 0;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return DB_E_CORRUPT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_E_BUSY;
	case SQLITE_READONLY:
		return -EROFS;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return -EACCES;
	case SQLITE_ERROR:
	case SQLITE_SCHEMA:
	case SQLITE_MISMATCH:
	case SQLITE_RANGE:
	case SQLITE_TOOBIG:
	case SQLITE_CONSTRAINT:
		return DB_E_SQL;
	case SQLITE_INTERRUPT:
		return DB_E_TIMEOUT;
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR:
		sys = db ? sqlite3_system_errno(db) : 0;
		if (sys > 0)
			return -sys;
		return (rc & 0xff) == SQLITE_CANTOPEN ? -ENOENT : -EIO;
	default:
		return -EIO;
	}
}

const char *
db_strerror(int err)
{
	switch (err) {
	case DB_E_CORRUPT:
		return "not a database, or corrupt";
	case DB_E_FOREIGN:
		return "not a proctrail database";
	case DB_E_NEWER:
		return "database schema is newer than this program; upgrade proctrail";
	case DB_E_BUSY:
		return "database is locked";
	case DB_E_SQL:
		return "SQL error";
	case DB_E_TIMEOUT:
		return "interrupted: time limit reached";
	default:
		return strerror(-err);
	}
}

int
db_query_int(sqlite3 *db, const char *sql, int *ret)
{
	sqlite3_stmt *st;
	int rc;

	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_errno(db, rc);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*ret = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return db_errno(db, rc);
}

static int
exec_sql(sqlite3 *db, const char *sql)
{
	return db_errno(db, sqlite3_exec(db, sql, NULL, NULL, NULL));
}

/* Does the file have any tables at all?  A fresh file has none. */
static int
db_is_empty(sqlite3 *db, int *ret_empty)
{
	int n = 0, r;

	r = db_query_int(db, "SELECT count(*) FROM sqlite_schema", &n);
	if (r < 0)
		return r;
	*ret_empty = n == 0;
	return 0;
}

/* Application id and schema version check shared by both open modes. */
static int
db_check(sqlite3 *db, int *ret_version)
{
	int appid = 0, version = 0, empty = 0, r;

	r = db_query_int(db, "PRAGMA application_id", &appid);
	if (r < 0)
		return r;
	r = db_query_int(db, "PRAGMA user_version", &version);
	if (r < 0)
		return r;
	if (appid == 0 && version == 0) {
		r = db_is_empty(db, &empty);
		if (r < 0)
			return r;
		if (!empty)
			return DB_E_FOREIGN;
	} else if (appid != PT_APPLICATION_ID) {
		return DB_E_FOREIGN;
	}
	if (version > pt_schema_count)
		return DB_E_NEWER;
	*ret_version = version;
	return 0;
}

static db_migrate_fn migrate_fn;
static void *migrate_arg;

void
db_set_migrate_hook(db_migrate_fn fn, void *arg)
{
	migrate_fn = fn;
	migrate_arg = arg;
}

struct migrating {
	int from, to;
	struct timespec last;
};

/* SQLite's progress handler during a migration: the hook every 5 s. */
static int
migrate_progress(void *arg)
{
	struct migrating *m = arg;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec - m->last.tv_sec >= 5) {
		m->last = now;
		migrate_fn(m->from, m->to, migrate_arg);
	}
	return 0;
}

static int
db_migrate(sqlite3 *db, int from)
{
	struct migrating m = { from, pt_schema_count, { 0, 0 } };
	char pragma[64];
	int v, r = 0;

	/* version 5 parses the cgroup paths already stored */
	if (from < pt_schema_count) {
		r = db_add_cgroup_functions(db);
		if (r < 0)
			return r;
	}
	if (from > 0 && from < pt_schema_count && migrate_fn) {
		clock_gettime(CLOCK_MONOTONIC, &m.last);
		migrate_fn(from, pt_schema_count, migrate_arg);
		sqlite3_progress_handler(db, 1000000, migrate_progress, &m);
	}
	for (v = from; v < pt_schema_count; v++) {
		r = exec_sql(db, "BEGIN IMMEDIATE");
		if (r < 0)
			return r;
		r = exec_sql(db, pt_schema_sql[v]);
		if (r == 0) {
			/* a constant, not user input */
			snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
			r = exec_sql(db, pragma);
		}
		if (r == 0)
			r = exec_sql(db, "COMMIT");
		if (r < 0) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			break;
		}
	}
	sqlite3_progress_handler(db, 0, NULL, NULL);
	return r;
}

int
db_open_rw(const char *path, sqlite3 **ret_db)
{
	sqlite3 *db = NULL;
	char uri[8192];
	int fd, rc, r, version = 0;

	/* Create it ourselves so that it is never readable by others: argv
	 * can carry secrets.  SQLite gives -wal and -shm the same mode.  An
	 * existing file is left as it is: what the collector accepts, and
	 * the modes it keeps, are decided before (collector/dbfile.c). */
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd >= 0)
		close(fd);
	else if (errno != EEXIST)
		return -errno;
	r = db_uri(path, NULL, uri, sizeof(uri));
	if (r < 0)
		return r;
	rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_URI, NULL);
	if (rc != SQLITE_OK) {
		r = db_errno(db, rc);
		goto fail;
	}
	sqlite3_busy_timeout(db, DB_BUSY_TIMEOUT_MS);
	r = db_check(db, &version);
	if (r < 0)
		goto fail;
	if (version == 0) {
		/* a new file: let retention give space back to the file
		 * system (PRAGMA incremental_vacuum); only possible before
		 * the first table is created */
		r = exec_sql(db, "PRAGMA auto_vacuum=INCREMENTAL");
		if (r < 0)
			goto fail;
	}
	r = exec_sql(db, "PRAGMA journal_mode=WAL");
	if (r == 0)
		r = exec_sql(db, "PRAGMA synchronous=NORMAL;"
		    "PRAGMA journal_size_limit=67108864;"
		    "PRAGMA wal_autocheckpoint=1000;"
		    "PRAGMA cache_size=-16384;"
		    "PRAGMA foreign_keys=OFF");
	if (r < 0)
		goto fail;
	r = db_migrate(db, version);
	if (r < 0)
		goto fail;
	*ret_db = db;
	return 0;
fail:
	sqlite3_close(db);
	return r;
}


int
db_uri(const char *path, const char *params, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)path;
	size_t n, plen = params ? strlen(params) : 0;

	/* "file://" + an absolute path reads "file:///x", an empty authority;
	 * a relative path stays relative after "file:" */
	n = (size_t)snprintf(buf, size, "%s", *path == '/' ? "file://" : "file:");
	if (n >= size)
		return -ENAMETOOLONG;
	for (; *s; s++) {
		if (n + 4 >= size)
			return -ENAMETOOLONG;
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("/._~-", *s))
			buf[n++] = (char)*s;
		else {
			buf[n++] = '%';
			buf[n++] = hex[*s >> 4];
			buf[n++] = hex[*s & 15];
		}
	}
	if (n + 1 + plen + 1 > size)
		return -ENAMETOOLONG;
	if (plen) {
		buf[n++] = '?';
		memcpy(buf + n, params, plen);
		n += plen;
	}
	buf[n] = '\0';
	return 0;
}

/*
 * Is a collector writing path now?  proctraild holds an exclusive flock(2)
 * on its database for as long as it runs; a shared one, taken and dropped
 * at once, tells.  (The collector retries its own for a moment, so this
 * probe never makes it fail.)  Returns 1, 0 or -errno.
 */
static int
db_live(const char *path)
{
	int fd, r = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_SH | LOCK_NB) < 0)
		r = errno == EWOULDBLOCK ? 1 : -errno;
	close(fd);	/* drops the lock */
	return r;
}

/* The URI a reader opens path by (db.h, db_ro_uri); follow: as a reader
 * of a live database whether or not a collector writes it now. */
static int
ro_uri(const char *path, bool follow, char *uri, size_t size)
{
	struct stat st;
	char wal[4096];
	const char *params = "mode=ro";
	int r;

	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	r = follow ? 1 : db_live(path);
	if (r < 0)
		return r;
	if (r == 0) {
		/* Nobody writes it: nothing may appear next to it (evidence).
		 * Without a -wal the main file holds every committed page:
		 * immutable (no locks, no -wal, no -shm).  With one, its
		 * frames count: read it with a private wal-index. */
		if (snprintf(wal, sizeof(wal), "%s-wal", path) >= (int)sizeof(wal))
			return -ENAMETOOLONG;
		if (access(wal, F_OK) == 0) {
			r = dbvfs_register();
			if (r != SQLITE_OK)
				return db_errno(NULL, r);
			params = "mode=ro&vfs=" DBVFS_NAME;
		} else
			params = "mode=ro&immutable=1";
	}
	/* always a URI of our making: a path is never read as one */
	return db_uri(path, params, uri, size);
}

int
db_ro_uri(const char *path, char *uri, size_t size)
{
	return ro_uri(path, false, uri, size);
}

static int
open_ro(const char *path, bool follow, sqlite3 **ret_db, int *ret_version)
{
	sqlite3 *db = NULL;
	char uri[8192];
	int rc, r, version = 0;

	r = ro_uri(path, follow, uri, sizeof(uri));
	if (r < 0)
		return r;
	rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_URI, NULL);
	if (rc != SQLITE_OK) {
		r = db_errno(db, rc);
		goto fail;
	}
	/* a read-only connection never checkpoints: say so to SQLite too */
	sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL);
	sqlite3_busy_timeout(db, DB_BUSY_TIMEOUT_MS);
	r = db_check(db, &version);
	if (r < 0)
		goto fail;
	if (version == 0) {
		/* an empty file: nothing was ever collected into it */
		r = DB_E_FOREIGN;
		goto fail;
	}
	if (ret_version)
		*ret_version = version;
	*ret_db = db;
	return 0;
fail:
	sqlite3_close(db);
	return r;
}

/*
 * How reader db reads its file: 2 with a shared wal-index (a collector's
 * file), 1 with a private one (dbvfs.h), 0 immutable.
 */
static int
ro_mode(sqlite3 *db)
{
	sqlite3_vfs *vfs = NULL;
	const char *name = sqlite3_db_filename(db, "main");

	if (name && sqlite3_uri_boolean(name, "immutable", 0))
		return 0;
	if (sqlite3_file_control(db, "main", SQLITE_FCNTL_VFS_POINTER,
	    &vfs) == SQLITE_OK && vfs && strcmp(vfs->zName, DBVFS_NAME) == 0)
		return 1;
	return 2;
}

/* bytes [off, off + 8) of file path into *ret (0 if it is shorter) */
static void
head8(const char *path, off_t off, long long *ret)
{
	unsigned char b[8] = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	*ret = 0;
	if (fd < 0)
		return;
	if (pread(fd, b, sizeof(b), off) == (ssize_t)sizeof(b))
		memcpy(ret, b, sizeof(b));
	close(fd);
}

void
db_stamp(const char *path, struct db_stamp *ret)
{
	char wal[4096];
	struct stat st;
	int i;

	memset(ret, 0, sizeof(*ret));
	if (snprintf(wal, sizeof(wal), "%s-wal", path) >= (int)sizeof(wal))
		return;
	for (i = 0; i < 2; i++) {
		if (stat(i ? wal : path, &st) < 0) {
			if (i == 0 || errno != ENOENT)
				return;
			continue;	/* no -wal: zeros */
		}
		ret->v[i][0] = (long long)st.st_ino;
		ret->v[i][1] = (long long)st.st_size;
		ret->v[i][2] = (long long)st.st_mtim.tv_sec * 1000000000 +
		    st.st_mtim.tv_nsec;
		/* not the change time: SQLite, running as root, chowns a
		 * -wal it opens (even read-only) to the database's owner */
		ret->v[i][3] = (long long)st.st_dev;
		/* what changes within one tick of a coarse clock: the main
		 * header's change counter and page count, the -wal header's
		 * checkpoint sequence and salts (new at each restart) */
		head8(i ? wal : path, i ? 12 : 24, &ret->v[i][4]);
		if (i)
			head8(wal, 16, &ret->v[i][5]);
	}
	ret->valid = 1;
}

/* Begin a read transaction on c and take its snapshot (BEGIN is
 * deferred: the first read takes it). */
static int
begin_read(sqlite3 *c)
{
	int n, rc = sqlite3_exec(c, "BEGIN", NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return db_errno(c, rc);
	return db_query_int(c, "SELECT count(*) FROM sqlite_schema", &n);
}

int
db_open_twin(sqlite3 *db, const char *path, const struct db_stamp *stamp,
    sqlite3 **ret_db)
{
	struct db_stamp now;
	sqlite3 *twin = NULL;
	int v0 = 0, v1 = -1;	/* unequal unless both are read */
	int mode = ro_mode(db), rc, r;

	/* a shared reader stays one, whether or not a collector still runs */
	r = open_ro(path, mode == 2, &twin, NULL);
	if (r < 0)
		return r;
	if (ro_mode(twin) != mode) {
		r = -EAGAIN;
		goto fail;
	}
	r = db_query_int(twin, "PRAGMA data_version", &v0);
	if (r < 0)
		goto fail;
	if (!sqlite3_get_autocommit(db)) {
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			r = db_errno(db, rc);
			goto fail;
		}
	}
	r = begin_read(db);
	r = r ? r : begin_read(twin);
	r = r ? r : db_query_int(twin, "PRAGMA data_version", &v1);
	if (r < 0)
		goto fail;
	if (mode == 2 ? v0 != v1 : db_live(path) != 0) {
		r = -EAGAIN;
		goto fail;
	}
	if (mode != 2) {
		/* the private wal-index or the immutable file: what db saw
		 * first is what the twin sees only if nothing changed since */
		db_stamp(path, &now);
		if (!stamp || !stamp->valid || !now.valid ||
		    memcmp(stamp->v, now.v, sizeof(now.v)) != 0) {
			r = -EAGAIN;
			goto fail;
		}
	}
	*ret_db = twin;
	return 0;
fail:
	sqlite3_close(twin);	/* ends its transaction */
	return r;
}

int
db_open_ro(const char *path, sqlite3 **ret_db, int *ret_version)
{
	return open_ro(path, false, ret_db, ret_version);
}

int
db_open_follow(const char *path, sqlite3 **ret_db, int *ret_version)
{
	return open_ro(path, true, ret_db, ret_version);
}
