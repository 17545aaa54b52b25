#ifndef PT_IDENT_H
#define PT_IDENT_H
/*
 * Naming a process instance on the command line.
 *
 *   1234	a PID: the instances with that PID (any boot) are candidates
 *   id:5678	an instance id (process.id), exactly that instance
 *
 * A PID with several instances resolves to the one alive at the given
 * time; without a time, to the running one (end IS NULL), else to the one
 * that started last.
 */
#include <stdint.h>
#include <sqlite3.h>

#define IDENT_NO_TIME	INT64_MIN	/* "at" when no time was given */

enum ident_how {
	IDENT_BY_ID,		/* id:N was given */
	IDENT_ONLY,		/* the PID's only instance */
	IDENT_ALIVE_AT,		/* the one alive at the time given */
	IDENT_RUNNING,		/* the running one */
	IDENT_LATEST		/* the one that started last */
};

struct ident {
	int64_t		id;		/* process.id */
	int64_t		pid;		/* the PID given, or the instance's */
	int		nmatch;		/* instances with that PID (1 for id:N) */
	enum ident_how	how;
};

/*
 * Resolve s.  Returns 0, -EINVAL if s is neither form, -ENOENT if no
 * instance matches (none alive at "at" when it is given), or a database
 * error.
 */
int ident_resolve(sqlite3 *db, const char *s, int64_t at, struct ident *ret);

/* Words for how, for the note the caller prints. */
const char *ident_how_str(enum ident_how how);
#endif
