/*
 * verify: is this database sound, and how complete is its history?
 *
 * Checks, each a row of the report with a status: "error" (the file or its
 * links are damaged: exit EX_PROBLEM), "warning" (history is incomplete in
 * a way the collector leaves behind on a crash; it repairs it at its next
 * start), "info" or "ok".  integrity_check reads the whole file in one
 * read transaction; every other check has its own short one.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "query.h"
#include "schema.h"
#include "verify.h"

#define MAX_CHECKS	32
#define SAMPLE		5	/* ids named per broken link */

enum status { ST_OK, ST_INFO, ST_WARNING, ST_ERROR };
static const char *const status_names[] = { "ok", "info", "warning", "error" };

struct check {
	const char	*name;
	enum status	 status;
	int64_t		 count;		/* -1: no count */
	char		 detail[320];
};

struct verify {
	struct qctx	*q;
	struct check	 c[MAX_CHECKS];
	int		 n;
	int		 errors, warnings;
	int		 version;
	int		 appid;
	char		 boot_id[40];	/* this machine's, "" if unknown */
	int		 timed_out;	/* the time limit ran out: stop checking */
};

static int64_t
col64(sqlite3_stmt *st, int c)
{
	return (int64_t)sqlite3_column_int64(st, c);
}

static struct check *
check_add(struct verify *v, const char *name, enum status s, int64_t count)
{
	struct check *c = &v->c[v->n < MAX_CHECKS ? v->n++ : MAX_CHECKS - 1];

	c->name = name;
	c->status = s;
	c->count = count;
	c->detail[0] = '\0';
	if (s == ST_ERROR)
		v->errors++;
	else if (s == ST_WARNING)
		v->warnings++;
	return c;
}

static void
detail_add(struct check *c, const char *fmt, ...)
    __attribute__((__format__(printf, 2, 3)));

static void
detail_add(struct check *c, const char *fmt, ...)
{
	size_t n = strlen(c->detail);
	va_list ap;

	if (n + 1 >= sizeof(c->detail))
		return;
	va_start(ap, fmt);
	vsnprintf(c->detail + n, sizeof(c->detail) - n, fmt, ap);
	va_end(ap);
}

/* A check that could not run: the database is damaged where it reads. */
static void
check_failed(struct verify *v, const char *name, int r)
{
	struct check *c = check_add(v, name, ST_ERROR, -1);

	if (r == DB_E_TIMEOUT) {
		v->timed_out = 1;
		detail_add(c, "stopped by the time limit of %g s; the checks"
		    " after it did not run", v->q->time_limit);
		return;
	}
	detail_add(c, "could not be checked: %s", r == DB_E_CORRUPT ||
	    r == DB_E_SQL ? sqlite3_errmsg(v->q->db) : db_strerror(r));
}

static void
check_integrity(struct verify *v, int quick)
{
	const char *name = quick ? "quick_check" : "integrity_check";
	sqlite3_stmt *st;
	struct check *c;
	const char *msg;
	int64_t n = 0;
	int rc, r;
	char first[200] = "";

	rc = sqlite3_prepare_v2(v->q->db, quick ? "PRAGMA quick_check(100)" :
	    "PRAGMA integrity_check(100)", -1, &st, NULL);
	if (rc != SQLITE_OK) {
		check_failed(v, name, db_errno(v->q->db, rc));
		return;
	}
	r = q_begin(v->q);
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		msg = (const char *)sqlite3_column_text(st, 0);
		if (msg && (strcmp(msg, "ok") == 0 ||
		    strncmp(msg, "*** in database ", 16) == 0))
			continue;
		if (n++ == 0)
			snprintf(first, sizeof(first), "%s", msg ? msg : "?");
	}
	if (r == 0)
		r = db_errno(v->q->db, rc);
	if (r < 0 && r != -ENOMEM && r != DB_E_BUSY && r != DB_E_TIMEOUT) {
		/* SQLite gave up reading: that is the finding */
		c = check_add(v, name, ST_ERROR, n + 1);
		detail_add(c, "%s", sqlite3_errmsg(v->q->db));
	} else if (r < 0) {
		check_failed(v, name, r);
	} else if (n) {
		c = check_add(v, name, ST_ERROR, n);
		detail_add(c, "%s%s", first, n > 1 ? " (and more)" : "");
	} else
		check_add(v, name, ST_OK, 0);
	sqlite3_finalize(st);
	q_commit(v->q);
}

static void
check_ids(struct verify *v)
{
	struct check *c;
	int r;

	r = db_query_int(v->q->db, "PRAGMA application_id", &v->appid);
	if (r < 0) {
		check_failed(v, "application_id", r);
		return;
	}
	c = check_add(v, "application_id", ST_OK, -1);
	detail_add(c, "%d (proctrail)", v->appid);
	r = db_query_int(v->q->db, "PRAGMA user_version", &v->version);
	if (r < 0) {
		check_failed(v, "schema", r);
		return;
	}
	if (v->version < db_schema_version()) {
		c = check_add(v, "schema", ST_WARNING, -1);
		detail_add(c, "version %d, older than this program's %d:"
		    " proctraild migrates it at its next start", v->version,
		    db_schema_version());
	} else {
		c = check_add(v, "schema", ST_OK, -1);
		detail_add(c, "version %d (current)", v->version);
	}
}

/*
 * Rows that must not exist: the ids of those that do, with what they are.
 * Broken links, then damage no collector writes: a parent cycle (the
 * instances not reachable from a root, each with one parent, are in a
 * cycle or below one), an end before the start, a negative count.  A
 * check of a table or column that a version added runs from that version.
 */
static const struct {
	const char	*name;
	const char	*what;		/* detail, before the ids */
	const char	*sql;
	int		 since;		/* schema version; 0: every one */
} bad_rows[] = {
	{ "link process.parent", "dangling in process.parent id", "SELECT p.id"
	    " FROM process p WHERE p.parent IS NOT NULL AND NOT EXISTS"
	    " (SELECT 1 FROM process q WHERE q.id = p.parent) ORDER BY p.id", 0 },
	{ "link process.image", "dangling in process.image id", "SELECT p.id"
	    " FROM process p WHERE p.image IS NOT NULL AND NOT EXISTS"
	    " (SELECT 1 FROM exec x WHERE x.id = p.image) ORDER BY p.id", 0 },
	{ "link process.boot", "dangling in process.boot id", "SELECT p.id"
	    " FROM process p WHERE NOT EXISTS (SELECT 1 FROM boot b WHERE"
	    " b.id = p.boot) ORDER BY p.id", 0 },
	{ "link exec.process", "dangling in exec.process id", "SELECT x.id"
	    " FROM exec x WHERE NOT EXISTS (SELECT 1 FROM process p WHERE"
	    " p.id = x.process) ORDER BY x.id", 0 },
	{ "link exec.cmdline", "dangling in exec.cmdline id", "SELECT x.id"
	    " FROM exec x WHERE x.cmdline IS NOT NULL AND NOT EXISTS"
	    " (SELECT 1 FROM cmdline c WHERE c.id = x.cmdline) ORDER BY x.id", 0 },
	{ "link exec.file", "dangling in exec.file id", "SELECT x.id"
	    " FROM exec x WHERE x.file IS NOT NULL AND NOT EXISTS"
	    " (SELECT 1 FROM file f WHERE f.id = x.file) ORDER BY x.id", 0 },
	{ "link exec.cgroup_id", "dangling in exec.cgroup_id id", "SELECT x.id"
	    " FROM exec x WHERE x.cgroup_id IS NOT NULL AND NOT EXISTS"
	    " (SELECT 1 FROM cgroup c WHERE c.id = x.cgroup_id) ORDER BY x.id", 0 },
	{ "link exec.ns", "dangling in exec.ns id", "SELECT x.id"
	    " FROM exec x WHERE x.ns IS NOT NULL AND NOT EXISTS"
	    " (SELECT 1 FROM ns n WHERE n.id = x.ns) ORDER BY x.id", 0 },
	{ "link event.process", "dangling in event.process id", "SELECT e.id"
	    " FROM event e WHERE e.process IS NOT NULL AND NOT EXISTS"
	    " (SELECT 1 FROM process p WHERE p.id = e.process) ORDER BY e.id", 0 },
	{ "link event.session", "dangling in event.session id", "SELECT e.id"
	    " FROM event e WHERE NOT EXISTS (SELECT 1 FROM session s WHERE"
	    " s.id = e.session) ORDER BY e.id", 0 },
	{ "link gap.session", "dangling in gap.session id", "SELECT g.id"
	    " FROM gap g WHERE g.session IS NOT NULL AND NOT EXISTS"
	    " (SELECT 1 FROM session s WHERE s.id = g.session) ORDER BY g.id", 0 },
	{ "link session.boot", "dangling in session.boot id", "SELECT s.id"
	    " FROM session s WHERE NOT EXISTS (SELECT 1 FROM boot b WHERE"
	    " b.id = s.boot) ORDER BY s.id", 0 },
	{ "link snap.session", "dangling in snap.session id", "SELECT n.id"
	    " FROM snap n WHERE NOT EXISTS (SELECT 1 FROM session s WHERE"
	    " s.id = n.session) ORDER BY n.id", 7 },
	{ "link snap.exec", "dangling in snap.exec id", "SELECT n.id"
	    " FROM snap n WHERE n.exec IS NOT NULL AND NOT EXISTS"
	    " (SELECT 1 FROM exec x WHERE x.id = n.exec) ORDER BY n.id", 7 },
	{ "link exec_drop.process", "dangling in exec_drop.process id",
	    "SELECT d.id FROM exec_drop d WHERE NOT EXISTS (SELECT 1 FROM"
	    " process p WHERE p.id = d.process) ORDER BY d.id", 8 },
	{ "parent cycles", "process.parent links loop: in or below a cycle,"
	    " process id", "WITH RECURSIVE ok(id) AS ("
	    " SELECT p.id FROM process p WHERE p.parent IS NULL OR NOT EXISTS"
	    " (SELECT 1 FROM process q WHERE q.id = p.parent)"
	    " UNION SELECT p.id FROM ok JOIN process p ON p.parent = ok.id)"
	    " SELECT p.id FROM process p WHERE p.id NOT IN ok ORDER BY p.id", 0 },
	{ "process times", "end before start, or start before 1970, in process"
	    " id", "SELECT id FROM process WHERE end < start OR start < 0"
	    " ORDER BY id", 0 },
	{ "gap times", "end before start in gap id", "SELECT id FROM gap"
	    " WHERE end < start ORDER BY id", 0 },
	{ "gap counts", "negative count in gap id", "SELECT id FROM gap"
	    " WHERE count < 0 ORDER BY id", 0 },
	{ "process forks", "forked_before_exec not 0, 1 or NULL in process id",
	    "SELECT id FROM process WHERE forked_before_exec NOT IN (0, 1)"
	    " ORDER BY id", 8 },
};

static void
check_rows(struct verify *v)
{
	int64_t ids[SAMPLE], n;
	sqlite3_stmt *st;
	struct check *c;
	size_t i;
	int rc, r;

	for (i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]) &&
	    !v->timed_out; i++) {
		if (v->version < bad_rows[i].since)
			continue;
		rc = sqlite3_prepare_v2(v->q->db, bad_rows[i].sql, -1, &st, NULL);
		if (rc != SQLITE_OK) {
			check_failed(v, bad_rows[i].name, db_errno(v->q->db, rc));
			continue;
		}
		n = 0;
		r = q_begin(v->q);
		while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (n < SAMPLE)
				ids[n] = col64(st, 0);
			n++;
		}
		if (r == 0)
			r = db_errno(v->q->db, rc);
		if (r < 0)	/* before finalize resets the message */
			check_failed(v, bad_rows[i].name, r);
		sqlite3_finalize(st);
		q_commit(v->q);
		if (r < 0)
			continue;
		c = check_add(v, bad_rows[i].name, n ? ST_ERROR : ST_OK, n);
		if (!n)
			continue;
		detail_add(c, "%s", bad_rows[i].what);
		for (int k = 0; k < n && k < SAMPLE; k++)
			detail_add(c, "%s %" PRId64, k ? "," : "", ids[k]);
		if (n > SAMPLE)
			detail_add(c, ", ...");
	}
}

/* One object of sqlite_schema. */
struct object {
	char	*type, *name, *sql;
};

struct objects {
	struct object	*v;
	size_t		 n;
};

static void
objects_release(struct objects *o)
{
	for (size_t i = 0; i < o->n; i++) {
		free(o->v[i].type);
		free(o->v[i].name);
		free(o->v[i].sql);
	}
	free(o->v);
	o->v = NULL;
	o->n = 0;
}

static char *
col_dup(sqlite3_stmt *st, int c)
{
	const char *s = (const char *)sqlite3_column_text(st, c);

	return strdup(s ? s : "");
}

/* The tables, views, indexes and triggers of db, by name (SQLite's own
 * sqlite_* objects left out). */
static int
objects_read(sqlite3 *db, struct objects *o)
{
	static const char sql[] = "SELECT type, name, sql FROM sqlite_schema"
	    " WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name";
	sqlite3_stmt *st;
	struct object *x;
	int rc, r = 0;

	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_errno(db, rc);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (o->n >= 1000) {	/* ours has 20: this is not ours */
			r = -E2BIG;
			break;
		}
		x = realloc(o->v, (o->n + 1) * sizeof(*x));
		if (!x) {
			r = -ENOMEM;
			break;
		}
		o->v = x;
		x = &o->v[o->n++];
		x->type = col_dup(st, 0);
		x->name = col_dup(st, 1);
		x->sql = col_dup(st, 2);
		if (!x->type || !x->name || !x->sql) {
			r = -ENOMEM;
			break;
		}
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = db_errno(db, rc);
	sqlite3_finalize(st);
	return r;
}

/*
 * The schema's objects against the embedded schema at the same version
 * (migrations 1..version run into an empty in-memory database): a table
 * replaced by a view, a missing index, an extra trigger, a changed
 * definition are errors (the queries and this report assume the schema).
 */
static void
check_schema_objects(struct verify *v)
{
	const char *name = "schema objects";
	struct objects want = { 0 }, got = { 0 };
	struct check *c;
	sqlite3 *mem = NULL;
	size_t i, j;
	int64_t n = 0;
	int r, rc;

	if (v->version < 1 || v->version > pt_schema_count)
		return;
	rc = sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK && db_add_cgroup_functions(mem) < 0)
		rc = SQLITE_ERROR;
	for (i = 0; rc == SQLITE_OK && i < (size_t)v->version; i++)
		rc = sqlite3_exec(mem, pt_schema_sql[i], NULL, NULL, NULL);
	r = rc == SQLITE_OK ? objects_read(mem, &want) : -ENOMEM;
	sqlite3_close(mem);
	if (r == 0) {
		r = q_begin(v->q);
		if (r == 0)
			r = objects_read(v->q->db, &got);
		if (r < 0 && r != -E2BIG)
			check_failed(v, name, r);
		q_commit(v->q);
		if (r < 0 && r != -E2BIG)
			goto out;
	} else {
		check_failed(v, name, r);
		goto out;
	}
	c = check_add(v, name, ST_OK, 0);
	if (r == -E2BIG) {
		n = 1;
		detail_add(c, "more than 1000 objects: not proctrail's schema");
	}
	/* both sorted by name: merge */
	for (i = j = 0; r == 0 && (i < want.n || j < got.n); ) {
		int cmp = i == want.n ? 1 : j == got.n ? -1 :
		    strcmp(want.v[i].name, got.v[j].name);
		const char *sep = n ? "; " : "";

		if (cmp < 0) {
			detail_add(c, "%s%s %s missing", sep, want.v[i].type,
			    want.v[i].name);
			i++;
		} else if (cmp > 0) {
			detail_add(c, "%sextra %s %s", sep, got.v[j].type,
			    got.v[j].name);
			j++;
		} else {
			if (strcmp(want.v[i].type, got.v[j].type) != 0)
				detail_add(c, "%s%s is a %s, not a %s", sep,
				    got.v[j].name, got.v[j].type,
				    want.v[i].type);
			else if (strcmp(want.v[i].sql, got.v[j].sql) != 0)
				detail_add(c, "%s%s %s: definition differs",
				    sep, got.v[j].type, got.v[j].name);
			else
				n--;	/* the same */
			i++;
			j++;
		}
		n++;
	}
	c->count = n;
	if (n) {
		c->status = ST_ERROR;
		v->errors++;
	} else
		detail_add(c, "as in schema version %d", v->version);
out:
	objects_release(&want);
	objects_release(&got);
}

/* Is session (pid, boot_id) a collector running now on this machine? */
static int
session_running(struct verify *v, int64_t pid, const char *boot_id)
{
	char path[64], comm[32] = "";
	FILE *f;

	if (!v->boot_id[0] || !boot_id || strcmp(boot_id, v->boot_id) != 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%" PRId64 "/comm", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	return strcmp(comm, "proctraild") == 0;
}

static void
fmt_ns(char *buf, size_t size, int64_t ns)
{
	struct tm tm;
	time_t t = (time_t)(ns / 1000000000);

	if (!gmtime_r(&t, &tm))
		snprintf(buf, size, "?");
	else
		strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/*
 * Sessions that never stopped and are not running (crashed or killed),
 * and the instances left open where no collector runs.
 */
static void
check_sessions(struct verify *v)
{
	static const char sessions_sql[] =
	    "SELECT s.id, s.pid, s.heartbeat, b.id, b.boot_id,"
	    " s.id = (SELECT max(id) FROM session WHERE boot = s.boot)"
	    " FROM session s LEFT JOIN boot b ON b.id = s.boot"
	    " WHERE s.stopped IS NULL ORDER BY s.id";
	static const char open_sql[] =
	    "SELECT p.boot, b.boot_id, count(*) FROM process p"
	    " LEFT JOIN boot b ON b.id = p.boot WHERE p.end IS NULL"
	    " GROUP BY p.boot ORDER BY p.boot";
	sqlite3_stmt *st;
	struct check *c = NULL, *run = NULL;
	int64_t crashed = 0, open = 0, running_boot = -1;
	char when[32];
	int rc, r;

	rc = sqlite3_prepare_v2(v->q->db, sessions_sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		check_failed(v, "sessions", db_errno(v->q->db, rc));
		return;
	}
	r = q_begin(v->q);
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *bid = (const char *)sqlite3_column_text(st, 4);

		if (sqlite3_column_int(st, 5) && session_running(v,
		    col64(st, 1), bid)) {
			running_boot = col64(st, 3);
			run = check_add(v, "collector", ST_INFO, -1);
			detail_add(run, "session %" PRId64 " running (pid %" PRId64
			    ")", col64(st, 0),
			    col64(st, 1));
			continue;
		}
		if (!c)
			c = check_add(v, "sessions", ST_WARNING, 0);
		fmt_ns(when, sizeof(when), col64(st, 2));
		if (crashed < 3)
			detail_add(c, "%ssession %" PRId64 " (last heartbeat %s)",
			    crashed ? ", " : "", col64(st, 0),
			    when);
		crashed++;
	}
	if (r == 0)
		r = db_errno(v->q->db, rc);
	sqlite3_finalize(st);
	q_commit(v->q);
	if (r < 0) {
		check_failed(v, "sessions", r);
		return;
	}
	if (c) {
		c->count = crashed;
		detail_add(c, "%s never stopped: a crash, kill -9 or power loss;"
		    " history after the last heartbeat is lost",
		    crashed > 3 ? ", ..." : "");
	} else
		check_add(v, "sessions", ST_OK, 0);
	if (!run) {
		c = check_add(v, "collector", ST_INFO, -1);
		detail_add(c, "not running on this database");
	}

	rc = sqlite3_prepare_v2(v->q->db, open_sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		check_failed(v, "open processes", db_errno(v->q->db, rc));
		return;
	}
	c = NULL;
	r = q_begin(v->q);
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t boot = col64(st, 0);
		int64_t n = col64(st, 2);
		const char *bid = (const char *)sqlite3_column_text(st, 1);

		if (boot == running_boot)
			continue;	/* the collector keeps them */
		if (!c)
			c = check_add(v, "open processes", ST_WARNING, 0);
		detail_add(c, "%s%" PRId64 " in boot %" PRId64 "%s", open ? ", " :
		    "", n, boot, bid && v->boot_id[0] &&
		    strcmp(bid, v->boot_id) == 0 ? " (this boot)" : "");
		open += n;
	}
	if (r == 0)
		r = db_errno(v->q->db, rc);
	sqlite3_finalize(st);
	q_commit(v->q);
	if (r < 0) {
		check_failed(v, "open processes", r);
		return;
	}
	if (c) {
		c->count = open;
		detail_add(c, ": no collector running records their end;"
		    " the next start in that boot adopts or closes them");
	} else
		check_add(v, "open processes", ST_OK, 0);
}

/*
 * Start of process pid, in clock ticks since boot (/proc/PID/stat field
 * 22), or -1 if there is no such process.  The fields after comm (which
 * may hold spaces and parentheses) start after the last ')'.
 */
static long long
proc_start_ticks(int64_t pid)
{
	char path[64], buf[1024], *p;
	long long ticks = -1;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%" PRId64 "/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	/* ") S ppid ...": field 3 is the state; 22 is the 20th from it */
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u"
	    " %*u %*u %*u %*d %*d %*d %*d %*d %*d %lld", &ticks) != 1)
		return -1;
	return ticks;
}

/*
 * Instances of this boot recorded as running (no end): is their PID
 * still there, with their start time?  If not, their end was lost.  A
 * process that ended in the last moments before a running collector
 * committed its end can be named too.
 */
static void
check_running(struct verify *v)
{
	static const char sql[] =
	    "SELECT p.id, p.tgid, p.start_ticks FROM process p"
	    " JOIN boot b ON b.id = p.boot"
	    " WHERE p.end IS NULL AND b.boot_id = :boot_id ORDER BY p.id";
	const char *name = "running processes";
	sqlite3_stmt *st;
	struct check *c = NULL;
	int64_t n = 0, seen = 0;
	long long ticks;
	int rc, r;

	if (!v->boot_id[0]) {
		c = check_add(v, name, ST_INFO, -1);
		detail_add(c, "not checked: this machine's boot id is unknown");
		return;
	}
	rc = sqlite3_prepare_v2(v->q->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		check_failed(v, name, db_errno(v->q->db, rc));
		return;
	}
	r = db_bind_text(st, ":boot_id", v->boot_id);
	if (r == 0)
		r = q_begin(v->q);
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		seen++;
		ticks = proc_start_ticks(col64(st, 1));
		if (ticks == col64(st, 2))
			continue;
		if (!c)
			c = check_add(v, name, ST_WARNING, 0);
		if (n < SAMPLE)
			detail_add(c, "%sid:%" PRId64 " pid %" PRId64 " %s",
			    n ? ", " : "", col64(st, 0), col64(st, 1),
			    ticks < 0 ? "gone" : "now another process");
		n++;
	}
	if (r == 0)
		r = db_errno(v->q->db, rc);
	if (r < 0)
		check_failed(v, name, r);
	sqlite3_finalize(st);
	q_commit(v->q);
	if (r < 0)
		return;
	if (c) {
		c->count = n;
		detail_add(c, "%s: recorded as running in this boot, their end"
		    " was not recorded", n > SAMPLE ? ", ..." : "");
	} else {
		c = check_add(v, name, ST_OK, 0);
		detail_add(c, "%" PRId64 " of this boot, all still there", seen);
	}
}

static void
fmt_dur(char *buf, size_t size, int64_t ns)
{
	int64_t s = ns / 1000000000;

	if (s < 60)
		snprintf(buf, size, "%" PRId64 ".%03" PRId64 "s", s,
		    ns / 1000000 % 1000);
	else if (s < 3600)
		snprintf(buf, size, "%" PRId64 "m%02" PRId64 "s", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, size, "%" PRId64 "h%02" PRId64 "m%02" PRId64 "s",
		    s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, size, "%" PRId64 "d%02" PRId64 "h", s / 86400,
		    s / 3600 % 24);
}

static void
check_gaps(struct verify *v)
{
	static const char sql[] =
	    "SELECT kind, count(*), sum(count), sum(end - start)"
	    " FROM gap GROUP BY kind ORDER BY kind";
	sqlite3_stmt *st;
	struct check *c = NULL;
	int64_t total = 0;
	char dur[32];
	int rc, r;

	rc = sqlite3_prepare_v2(v->q->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		check_failed(v, "gaps", db_errno(v->q->db, rc));
		return;
	}
	r = q_begin(v->q);
	while (r == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!c)
			c = check_add(v, "gaps", ST_INFO, 0);
		fmt_dur(dur, sizeof(dur), col64(st, 3));
		detail_add(c, "%s%s %" PRId64, total ? ", " : "",
		    sqlite3_column_text(st, 0) ?
		    (const char *)sqlite3_column_text(st, 0) : "?",
		    col64(st, 1));
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			detail_add(c, " (%" PRId64 " events lost)",
			    col64(st, 2));
		else
			detail_add(c, " (%s)", dur);
		total += col64(st, 1);
	}
	if (r == 0)
		r = db_errno(v->q->db, rc);
	sqlite3_finalize(st);
	q_commit(v->q);
	if (r < 0)
		check_failed(v, "gaps", r);
	else if (c)
		c->count = total;
	else
		check_add(v, "gaps", ST_OK, 0);
}

static void
read_boot_id(struct verify *v)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");

	v->boot_id[0] = '\0';
	if (!f)
		return;
	if (!fgets(v->boot_id, sizeof(v->boot_id), f))
		v->boot_id[0] = '\0';
	fclose(f);
	v->boot_id[strcspn(v->boot_id, "\n")] = '\0';
}

static const struct out_col summary_cols[] = {
	{ "database", 0 }, { "application_id", OUT_NUM },
	{ "schema_version", OUT_NUM }, { "schema_current", OUT_NUM },
	{ "result", 0 }, { "errors", OUT_NUM }, { "warnings", OUT_NUM },
};
static const struct out_col check_cols[] = {
	{ "check", 0 }, { "status", 0 }, { "count", OUT_NUM }, { "detail", 0 },
};

static int
verify_print(struct verify *v)
{
	struct out *o = v->q->out;
	int r;

	r = out_table_begin(o, "summary", summary_cols, 7, OUT_RECORD);
	r = r ? r : out_str(o, v->q->dbpath);
	r = r ? r : out_int(o, v->appid);
	r = r ? r : out_int(o, v->version);
	r = r ? r : out_int(o, db_schema_version());
	r = r ? r : out_str(o, v->errors ? "problems" : v->warnings ?
	    "warnings" : "ok");
	r = r ? r : out_int(o, v->errors);
	r = r ? r : out_int(o, v->warnings);
	r = r ? r : out_table_end(o);
	r = r ? r : out_table_begin(o, "checks", check_cols, 4, 0);
	for (int i = 0; i < v->n && r == 0; i++) {
		r = out_str(o, v->c[i].name);
		r = r ? r : out_str(o, status_names[v->c[i].status]);
		r = r ? r : v->c[i].count < 0 ? out_null(o) :
		    out_int(o, v->c[i].count);
		r = r ? r : v->c[i].detail[0] ? out_str(o, v->c[i].detail) :
		    out_null(o);
	}
	return r ? r : out_table_end(o);
}

/* its options (completion.c lists them too) */
const struct option q_opts_verify[] = {
	Q_COMMON_LONGOPTS,
	{ "quick", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

int
cmd_verify(struct qctx *q, int argc, char **argv)
{
	struct verify v = { 0 };
	int c, code, quick = 0, r;

	while ((c = q_getopt(q, argc, argv, "h", q_opts_verify, &code)) >= 0) {
		switch (c) {
		case 'q':
			quick = 1;
			break;
		}
	}
	if (c == Q_OPT_EXIT)
		return code;
	if (optind < argc) {
		warnx("verify: unexpected argument '%s'", argv[optind]);
		return EX_USAGE;
	}
	code = q_open(q);
	if (code)
		return code;
	v.q = q;
	read_boot_id(&v);
	/* each check runs only while the time limit has not run out */
	check_integrity(&v, quick);
	if (!v.timed_out)
		check_ids(&v);
	if (!v.timed_out)
		check_schema_objects(&v);
	check_rows(&v);
	if (!v.timed_out)
		check_sessions(&v);
	if (!v.timed_out)
		check_running(&v);
	if (!v.timed_out)
		check_gaps(&v);
	r = verify_print(&v);
	if (r < 0)
		return q_fail(q, r, "verify");
	if (v.timed_out)
		return q_fail(q, DB_E_TIMEOUT, "verify");
	return v.errors ? EX_PROBLEM : EX_OK;
}
