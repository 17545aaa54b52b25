/*
 * Collector logging.
 */
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

#include "log.h"

static const char *log_prog = "proctraild";
static int log_verbosity;	/* 0 warnings, 1 info, 2 debug */
static bool log_syslog;

void
log_init(const char *progname, int verbosity)
{
	log_prog = progname;
	log_verbosity = verbosity;
}

void
log_to_syslog(void)
{
	openlog(log_prog, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	log_syslog = true;
}

static void
log_v(int prio, const char *fmt, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (log_syslog)
		syslog(prio, "%s", buf);
	else
		fprintf(stderr, "%s: %s\n", log_prog, buf);
}

void
log_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_v(LOG_ERR, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_v(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (log_verbosity < 1)
		return;
	va_start(ap, fmt);
	log_v(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_verbosity < 2)
		return;
	va_start(ap, fmt);
	log_v(LOG_DEBUG, fmt, ap);
	va_end(ap);
}
