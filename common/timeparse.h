#ifndef PT_TIMEPARSE_H
#define PT_TIMEPARSE_H
/*
 * Time and duration expressions of the command line.  All times are wall
 * clock nanoseconds since the epoch, UTC.
 *
 * A point in time is one of:
 *   2024-05-01, 2024-05-01T12:00, 2024-05-01 12:00:05.25	ISO 8601, UTC
 *	unless followed by Z or an offset (+02:00, -0500)
 *   @1714564800[.5]		seconds since the epoch
 *   now, today, yesterday	(midnight UTC for the last two)
 *   2h, 90m, 1d12h, 30s, 1w	that long before now
 * A duration is a number with an optional unit (ns, us, ms, s, m, h, d, w;
 * seconds if none), or several of them: 1h30m.
 */
#include <stdint.h>

/*
 * Times are int64 nanoseconds from 1970: the range of points, and the
 * longest duration, as the messages name them.
 */
#define TIMEPARSE_RANGE	"1970-01-01T00:00:00Z to 2262-04-11T23:47:16.854775807Z"
#define TIMEPARSE_DUR_MAX	"106751d23h47m16s"

/*
 * Returns 0, -EINVAL for an expression it does not understand (an
 * impossible date such as 2024-02-30 included), or -ERANGE for a
 * well-formed one out of the range above.  now must be >= 0.
 */
int timeparse_point(const char *s, int64_t now, int64_t *ret_ns);
int timeparse_duration(const char *s, int64_t *ret_ns);
#endif
