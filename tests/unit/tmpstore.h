#ifndef PT_TMPSTORE_H
#define PT_TMPSTORE_H
/*
 * A store on a new temporary database with a boot and a session, for the
 * unit tests; tmpstore_close removes the files again.  path is a mkstemp
 * template, filled in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "store.h"

static inline struct store *
tmpstore_open(char *path, int64_t *ret_boot, int64_t *ret_session)
{
	struct store *st = NULL;
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	unlink(path);		/* store_open creates it */
	CHECK_EQ(store_open(path, &st), 0);
	if (!st)
		exit(check_done(path));
	CHECK_EQ(store_boot(st, "test-boot", "host", 0, ret_boot), 0);
	CHECK_EQ(store_session_start(st, *ret_boot, 1, 0, 0, 0, 0, ret_session),
	    0);
	return st;
}

static inline void
tmpstore_close(struct store *st, const char *path)
{
	char p[4096];

	store_close(st);
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}
#endif
