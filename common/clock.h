#ifndef PT_CLOCK_H
#define PT_CLOCK_H
/*
 * Deadlines for pthread_cond_timedwait(): now on clock clk (the one the
 * condition variable was made with) plus ms milliseconds.
 */
#include <time.h>

static inline void
clock_deadline(clockid_t clk, long ms, struct timespec *ts)
{
	clock_gettime(clk, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}
#endif
