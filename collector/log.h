#ifndef PT_LOG_H
#define PT_LOG_H
/*
 * Collector logging: to stderr ("proctraild: ..."), or to syslog once
 * log_to_syslog() was called.  Only main.c and the thread entry points log;
 * everything below them returns 0 or -errno.
 */
#include <stdbool.h>

void log_init(const char *progname, int verbosity);
void log_to_syslog(void);
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
