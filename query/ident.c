/*
 * Resolving a PID or id:N to one process instance.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "ident.h"

/* A positive decimal number without sign or junk, at most max. */
static int
parse_num(const char *s, int64_t max, int64_t *ret)
{
	int64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (*s - '0');
		if (v > max)
			return -EINVAL;
	}
	*ret = v;
	return 0;
}

static int
by_id(sqlite3 *db, int64_t id, struct ident *ret)
{
	static const char sql[] = "SELECT tgid FROM process WHERE id = ?1";
	sqlite3_stmt *st;
	int rc, r;

	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_errno(db, rc);
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		ret->id = id;
		ret->pid = sqlite3_column_int64(st, 0);
		ret->nmatch = 1;
		ret->how = IDENT_BY_ID;
		r = 0;
	} else
		r = rc == SQLITE_DONE ? -ENOENT : db_errno(db, rc);
	sqlite3_finalize(st);
	return r;
}

static int
by_pid(sqlite3 *db, int64_t pid, int64_t at, struct ident *ret)
{
	/* "boot IN (...)" lets the (boot, tgid, start_ticks) index serve a
	 * lookup by tgid alone: there are few boots. */
	static const char sql[] =
	    "SELECT id, start, end FROM process"
	    " WHERE boot IN (SELECT id FROM boot) AND tgid = ?1"
	    " ORDER BY start, id";
	sqlite3_stmt *st;
	int64_t best = -1, start, bstart = INT64_MIN;
	int rc, n = 0, running, brunning = 0, alive;

	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_errno(db, rc);
	sqlite3_bind_int64(st, 1, pid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n++;
		start = sqlite3_column_int64(st, 1);
		running = sqlite3_column_type(st, 2) == SQLITE_NULL;
		if (at != IDENT_NO_TIME) {
			alive = start <= at && (running ||
			    sqlite3_column_int64(st, 2) > at);
			if (alive && start >= bstart) {
				best = sqlite3_column_int64(st, 0);
				bstart = start;
			}
		} else if ((running && !brunning) || (running == brunning &&
		    start >= bstart)) {
			best = sqlite3_column_int64(st, 0);
			bstart = start;
			brunning = running;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_errno(db, rc);
	if (best < 0)
		return -ENOENT;
	ret->id = best;
	ret->pid = pid;
	ret->nmatch = n;
	if (n == 1 && at == IDENT_NO_TIME)
		ret->how = IDENT_ONLY;
	else if (at != IDENT_NO_TIME)
		ret->how = IDENT_ALIVE_AT;
	else
		ret->how = brunning ? IDENT_RUNNING : IDENT_LATEST;
	return 0;
}

int
ident_resolve(sqlite3 *db, const char *s, int64_t at, struct ident *ret)
{
	int64_t v;

	if (strncmp(s, "id:", 3) == 0) {
		if (parse_num(s + 3, INT64_MAX / 10, &v) < 0)
			return -EINVAL;
		return by_id(db, v, ret);
	}
	/* PIDs are at most 2^22 on Linux; allow any 32-bit value */
	if (parse_num(s, INT32_MAX, &v) < 0)
		return -EINVAL;
	return by_pid(db, v, at, ret);
}

const char *
ident_how_str(enum ident_how how)
{
	switch (how) {
	case IDENT_BY_ID:
	case IDENT_ONLY:
		return "the only one";
	case IDENT_ALIVE_AT:
		return "the one alive at that time";
	case IDENT_RUNNING:
		return "the running one";
	case IDENT_LATEST:
		return "the most recent";
	}
	return "";
}
