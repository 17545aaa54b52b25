/*
 * Time, duration and process-name parsing of the query tool: the edges of
 * int64 nanoseconds and ids, and dates that do not exist.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "ident.h"
#include "timeparse.h"

#define NOW	INT64_C(1714525200000000000)	/* 2024-05-01T01:00:00Z */

static int
point(const char *s, int64_t *ret)
{
	*ret = -1;
	return timeparse_point(s, NOW, ret);
}

int
main(void)
{
	int64_t v;
	int is_id;

	/* journalctl's forms, in a zone two hours east of UTC */
	setenv("TZ", "EET-2", 1);
	tzset();
	CHECK_EQ(point("2024-05-01T03:00", &v), 0);	/* local */
	CHECK_EQ(v, NOW);
	CHECK_EQ(point("2024-05-01T01:00Z", &v), 0);
	CHECK_EQ(v, NOW);
	CHECK_EQ(point("today", &v), 0);		/* local midnight */
	CHECK_EQ(v, NOW - INT64_C(3) * 3600 * 1000000000);
	CHECK_EQ(point("10:00", &v), 0);		/* today, local */
	CHECK_EQ(v, NOW + INT64_C(7) * 3600 * 1000000000);
	CHECK_EQ(point("yesterday 10:00", &v), 0);
	CHECK_EQ(v, NOW - INT64_C(17) * 3600 * 1000000000);
	CHECK_EQ(point("today 03:00:30", &v), 0);
	CHECK_EQ(v, NOW + INT64_C(30) * 1000000000);
	CHECK_EQ(point("-1h", &v), 0);
	CHECK_EQ(v, NOW - INT64_C(3600) * 1000000000);
	CHECK_EQ(point("5 min ago", &v), 0);
	CHECK_EQ(v, NOW - INT64_C(300) * 1000000000);
	CHECK_EQ(point("2 hours ago", &v), 0);
	CHECK_EQ(v, NOW - INT64_C(7200) * 1000000000);
	CHECK_EQ(point("1y", &v), 0);
	CHECK_EQ(v, NOW - INT64_C(31557600) * 1000000000);
	CHECK_EQ(point("25:00", &v), -EINVAL);
	CHECK_EQ(point("yesterday 9", &v), -EINVAL);
	CHECK_EQ(point("ago", &v), -EINVAL);
	CHECK_EQ(point("5 ago", &v), -EINVAL);
	setenv("TZ", "UTC", 1);
	tzset();

	/* the last representable time, and one past it */
	CHECK_EQ(point("2262-04-11T23:47:16Z", &v), 0);
	CHECK_EQ(v, INT64_C(9223372036000000000));
	CHECK_EQ(point("2262-04-11T23:47:16.854775807Z", &v), 0);
	CHECK_EQ(v, INT64_MAX);
	CHECK_EQ(point("2262-04-11T23:47:16.854775808Z", &v), -ERANGE);
	CHECK_EQ(point("2262-04-11T23:47:17Z", &v), -ERANGE);
	CHECK_EQ(point("2300-01-01", &v), -ERANGE);
	CHECK_EQ(point("9999-12-31", &v), -ERANGE);
	CHECK_EQ(point("9999-12-31T23:59:59-23:59", &v), -ERANGE);
	CHECK_EQ(point("@9223372036.854775807", &v), 0);
	CHECK_EQ(v, INT64_MAX);
	CHECK_EQ(point("@9223372037", &v), -ERANGE);
	CHECK_EQ(point("@99999999999999999999999999", &v), -ERANGE);
	CHECK_EQ(point("@99999999999999999999999999x", &v), -EINVAL);
	/* before 1970 */
	CHECK_EQ(point("1970-01-01T00:00:00Z", &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(point("1969-12-31T23:59:59Z", &v), -ERANGE);
	CHECK_EQ(point("1970-01-01T00:30+01:00", &v), -ERANGE);
	CHECK_EQ(point("0000-01-01", &v), -ERANGE);
	CHECK_EQ(point("100000w", &v), -ERANGE);
	CHECK_EQ(point("2w", &v), 0);
	CHECK_EQ(v, NOW - INT64_C(14) * 86400 * 1000000000);

	/* dates that do not exist, with and without 24:00 */
	CHECK_EQ(point("2024-02-30", &v), -EINVAL);
	CHECK_EQ(point("2024-02-30T24:00", &v), -EINVAL);
	CHECK_EQ(point("2023-02-29", &v), -EINVAL);
	CHECK_EQ(point("2100-02-29", &v), -EINVAL);
	CHECK_EQ(point("2024-04-31T00:00", &v), -EINVAL);
	CHECK_EQ(point("2024-02-29", &v), 0);
	CHECK_EQ(point("2000-02-29", &v), 0);
	CHECK_EQ(point("2024-02-29T24:00", &v), 0);	/* = 03-01T00:00 */
	CHECK_EQ(v, INT64_C(1709251200000000000));
	CHECK_EQ(point("2024-02-29T24:01", &v), -EINVAL);
	CHECK_EQ(point("2024-12-31T23:59:60Z", &v), 0);	/* leap second */

	/* durations */
	CHECK_EQ(timeparse_duration("106751d23h47m16s", &v), 0);
	CHECK_EQ(timeparse_duration("106751d23h47m16.854775807s", &v), 0);
	CHECK_EQ(v, INT64_MAX);
	CHECK_EQ(timeparse_duration("106751d23h47m17s", &v), -ERANGE);
	CHECK_EQ(timeparse_duration("9223372036854775808ns", &v), -ERANGE);
	CHECK_EQ(timeparse_duration("9223372036854775807ns", &v), 0);
	CHECK_EQ(timeparse_duration("99999999999999999999999w", &v), -ERANGE);
	CHECK_EQ(timeparse_duration("99999999999999999999999x", &v), -EINVAL);
	CHECK_EQ(timeparse_duration("1h30m", &v), 0);
	CHECK_EQ(v, INT64_C(5400000000000));

	/* ids and PIDs: the largest valid value, one more, far more */
	CHECK_EQ(ident_parse("id:9223372036854775807", &is_id, &v), 0);
	CHECK_EQ(is_id, 1);
	CHECK_EQ(v, INT64_MAX);
	CHECK_EQ(ident_parse("id:9223372036854775808", &is_id, &v), -ERANGE);
	CHECK_EQ(ident_parse("id:9223372036854775809", &is_id, &v), -ERANGE);
	CHECK_EQ(ident_parse("id:99999999999999999999999", &is_id, &v), -ERANGE);
	CHECK_EQ(ident_parse("id:9999999999999999999x", &is_id, &v), -EINVAL);
	CHECK_EQ(ident_parse("id:", &is_id, &v), -EINVAL);
	CHECK_EQ(ident_parse("2147483647", &is_id, &v), 0);
	CHECK_EQ(is_id, 0);
	CHECK_EQ(v, INT32_MAX);
	CHECK_EQ(ident_parse("2147483648", &is_id, &v), -ERANGE);
	CHECK_EQ(ident_parse("-1", &is_id, &v), -EINVAL);
	return check_done("timeparse");
}
