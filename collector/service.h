#ifndef PT_SERVICE_H
#define PT_SERVICE_H
/*
 * Running as a service: the systemd notification protocol (without
 * libsystemd) and giving up capabilities after set-up.
 */
#include <stdint.h>

/*
 * Send a notification ("READY=1", "STOPPING=1", "WATCHDOG=1", "STATUS=...")
 * to $NOTIFY_SOCKET.  Returns 1 if sent, 0 if not under a service manager,
 * or -errno.
 */
int service_notify(const char *state);

/* Watchdog interval from $WATCHDOG_USEC (if meant for this pid), in
 * microseconds, or 0. */
uint64_t service_watchdog_usec(void);

/*
 * Keep only the capabilities in keep (a mask of 1 << CAP_*) in the
 * effective, permitted and bounding sets, and forbid gaining privileges
 * (no_new_privs).  Returns 0 or -errno.
 */
int service_restrict_caps(uint64_t keep);

#define CAP_NET_ADMIN_BIT	12
#define CAP_SYS_PTRACE_BIT	19
#define CAP_SYS_NICE_BIT	23
/* what reading other users' /proc/PID (exe, cwd) needs */
#define CAPS_READER		(1ull << CAP_SYS_PTRACE_BIT)
#endif
