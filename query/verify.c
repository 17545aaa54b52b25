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

#define MAX_CHECKS	24
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

	detail_add(c, "could not be checked: %s", r == DB_E_CORRUPT ?
	    sqlite3_errmsg(v->q->db) : db_strerror(r));
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
	if (r < 0 && r != -ENOMEM && r != DB_E_BUSY) {
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

/* Links that must point to an existing row: ids of the rows whose do not. */
static const struct {
	const char	*name;
	const char	*sql;
} links[] = {
	{ "link process.parent", "SELECT p.id FROM process p WHERE p.parent"
	    " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM process q WHERE"
	    " q.id = p.parent) ORDER BY p.id" },
	{ "link process.image", "SELECT p.id FROM process p WHERE p.image"
	    " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM exec x WHERE"
	    " x.id = p.image) ORDER BY p.id" },
	{ "link process.boot", "SELECT p.id FROM process p WHERE NOT EXISTS"
	    " (SELECT 1 FROM boot b WHERE b.id = p.boot) ORDER BY p.id" },
	{ "link exec.process", "SELECT x.id FROM exec x WHERE NOT EXISTS"
	    " (SELECT 1 FROM process p WHERE p.id = x.process) ORDER BY x.id" },
	{ "link event.process", "SELECT e.id FROM event e WHERE e.process"
	    " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM process p WHERE"
	    " p.id = e.process) ORDER BY e.id" },
	{ "link event.session", "SELECT e.id FROM event e WHERE NOT EXISTS"
	    " (SELECT 1 FROM session s WHERE s.id = e.session) ORDER BY e.id" },
	{ "link gap.session", "SELECT g.id FROM gap g WHERE g.session IS NOT"
	    " NULL AND NOT EXISTS (SELECT 1 FROM session s WHERE"
	    " s.id = g.session) ORDER BY g.id" },
	{ "link session.boot", "SELECT s.id FROM session s WHERE NOT EXISTS"
	    " (SELECT 1 FROM boot b WHERE b.id = s.boot) ORDER BY s.id" },
};

static void
check_links(struct verify *v)
{
	int64_t ids[SAMPLE], n;
	sqlite3_stmt *st;
	struct check *c;
	size_t i;
	int rc, r;

	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		rc = sqlite3_prepare_v2(v->q->db, links[i].sql, -1, &st, NULL);
		if (rc != SQLITE_OK) {
			check_failed(v, links[i].name, db_errno(v->q->db, rc));
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
		sqlite3_finalize(st);
		q_commit(v->q);
		if (r < 0) {
			check_failed(v, links[i].name, r);
			continue;
		}
		c = check_add(v, links[i].name, n ? ST_ERROR : ST_OK, n);
		if (!n)
			continue;
		detail_add(c, "dangling in %s id", strchr(links[i].name, ' ') + 1);
		for (int k = 0; k < n && k < SAMPLE; k++)
			detail_add(c, "%s %" PRId64, k ? "," : "", ids[k]);
		if (n > SAMPLE)
			detail_add(c, ", ...");
	}
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

int
cmd_verify(struct qctx *q, int argc, char **argv)
{
	static const struct option longopts[] = {
		Q_COMMON_LONGOPTS,
		{ "quick", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct verify v = { 0 };
	int c, code, quick = 0, r;

	while ((c = q_getopt(q, argc, argv, "h", longopts, &code)) >= 0) {
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
	check_integrity(&v, quick);
	check_ids(&v);
	check_links(&v);
	check_sessions(&v);
	check_gaps(&v);
	r = verify_print(&v);
	if (r < 0)
		return q_fail(q, r, "verify");
	return v.errors ? EX_PROBLEM : EX_OK;
}
