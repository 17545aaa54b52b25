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

/* Returns 0, or -EINVAL for an expression it does not understand. */
int timeparse_point(const char *s, int64_t now, int64_t *ret_ns);
int timeparse_duration(const char *s, int64_t *ret_ns);
#endif
