/*
 * Resolving a PID or id:N to one process instance.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "ident.h"

/* A decimal number without sign or junk: -EINVAL, or -ERANGE above max. */
static int
parse_num(const char *s, int64_t max, int64_t *ret)
{
	int64_t v = 0;
	int r = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		/* keep scanning: junk after too many digits is -EINVAL */
		if (!r && v > (max - (*s - '0')) / 10)
			r = -ERANGE;
		if (!r)
			v = v * 10 + (*s - '0');
	}
	if (r < 0)
		return r;
	*ret = v;
	return 0;
}

int
ident_parse(const char *s, int *ret_is_id, int64_t *ret_v)
{
	if (strncmp(s, "id:", 3) == 0) {
		*ret_is_id = 1;
		return parse_num(s + 3, IDENT_ID_MAX, ret_v);
	}
	*ret_is_id = 0;
	return parse_num(s, IDENT_PID_MAX, ret_v);
}

static int
by_id(sqlite3 *db, int64_t id, struct ident *ret)
{
	static const char sql[] = "SELECT tgid FROM process WHERE id = :id";
	sqlite3_stmt *st;
	int rc, r;

	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_errno(db, rc);
	if ((r = db_bind_int64(st, ":id", id)) < 0) {
		sqlite3_finalize(st);
		return r;
	}
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
	    " WHERE boot IN (SELECT id FROM boot) AND tgid = :pid"
	    " ORDER BY start, id";
	sqlite3_stmt *st;
	int64_t best = -1, start, bstart = INT64_MIN;
	int rc, n = 0, running, brunning = 0, alive;

	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_errno(db, rc);
	if ((rc = db_bind_int64(st, ":pid", pid)) < 0) {
		sqlite3_finalize(st);
		return rc;
	}
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
	int is_id, r;

	r = ident_parse(s, &is_id, &v);
	if (r < 0)
		return r;
	return is_id ? by_id(db, v, ret) : by_pid(db, v, at, ret);
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
