/*
 * libFuzzer harness: the query tool's command-line parsers,
 * timeparse_point(), timeparse_duration() and ident_parse(), on arbitrary
 * text.  UBSan catches arithmetic overflow; the oracles check what a
 * success promises: a time in [0, INT64_MAX] ns, a duration >= 0, and a
 * number that prints back as the digits it was parsed from.
 */
#undef NDEBUG		/* the oracles are asserts: keep them in release builds */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "timeparse.h"

/* ident.c's lookups need db.c; parsing never reaches them. */
int db_errno(sqlite3 *db, int rc);
int
db_errno(sqlite3 *db, int rc)
{
	(void)db;
	(void)rc;
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
	return 0;
}
