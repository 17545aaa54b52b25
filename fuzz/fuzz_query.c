/*
 * libFuzzer harness: the text parsers, timeparse_point(),
 * timeparse_duration(), ident_parse() and the cgroup path parsers
 * (common/cgroup.c), on arbitrary text.  UBSan catches arithmetic
 * overflow; the oracles check what a success promises: a time in
 * [0, INT64_MAX] ns, a duration >= 0, a number that prints back as the
 * digits it was parsed from, and a unit, container or pod that is a
 * NUL-terminated piece of the path (container: with its runtime).
 */
#undef NDEBUG		/* the oracles are asserts: keep them in release builds */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "ident.h"
#include "timeparse.h"

/* ident.c's lookups need db.c; parsing never reaches them. */
int db_errno(sqlite3 *db, int rc);
int db_bind_int64(sqlite3_stmt *st, const char *name, int64_t v);
int
db_errno(sqlite3 *db, int rc)
{
	(void)db;
	(void)rc;
	abort();
}

int
db_bind_int64(sqlite3_stmt *st, const char *name, int64_t v)
{
	(void)st;
	(void)name;
	(void)v;
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int64_t nows[] = { 0, INT64_C(1714525200000000000),
	    INT64_MAX };
	char s[256], back[32];
	const char *digits;
	int64_t v;
	int r, is_id;

	if (size >= sizeof(s))
		return -1;
	memcpy(s, data, size);
	s[size] = '\0';

	for (size_t i = 0; i < sizeof(nows) / sizeof(nows[0]); i++) {
		v = -1;
		r = timeparse_point(s, nows[i], &v);
		assert(r == 0 || r == -EINVAL || r == -ERANGE);
		if (r == 0)
			assert(v >= 0);
	}
	v = -1;
	r = timeparse_duration(s, &v);
	assert(r == 0 || r == -EINVAL || r == -ERANGE);
	if (r == 0)
		assert(v >= 0);

	r = ident_parse(s, &is_id, &v);
	assert(r == 0 || r == -EINVAL || r == -ERANGE);
	if (r == 0) {
		digits = s + (is_id ? 3 : 0);
		while (digits[0] == '0' && digits[1])
			digits++;
		snprintf(back, sizeof(back), "%" PRId64, v);
		assert(strcmp(back, digits) == 0);
		assert(v >= 0 && v <= (is_id ? IDENT_ID_MAX : IDENT_PID_MAX));
	}

	{
		char out[300];
		const char *colon;

		if (pt_cgroup_unit(s, out, sizeof(out)))
			assert(*out && strstr(s, out) != NULL);
		else
			assert(*out == '\0');
		if (pt_cgroup_container(s, out, sizeof(out))) {
			colon = strchr(out, ':');
			assert(colon && colon > out && strstr(s, colon + 1));
		} else {
			assert(*out == '\0');
		}
		if (!pt_cgroup_pod(s, out, sizeof(out)))
			assert(*out == '\0');
		else
			assert(*out && strlen(out) < size);
		/* a buffer too small is never overrun */
		(void)pt_cgroup_container(s, out, 5);
		assert(strlen(out) < 5);
	}
	return 0;
}
