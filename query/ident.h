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

/* The largest values accepted: process.id is an SQLite rowid (int64); a
 * Linux PID is at most 2^22, but any 32-bit value is taken. */
#define IDENT_ID_MAX	INT64_MAX
#define IDENT_PID_MAX	INT32_MAX
#define IDENT_ID_RANGE	"0 to 9223372036854775807"
#define IDENT_PID_RANGE	"0 to 2147483647"

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
 * Parse s without looking it up: *ret_is_id says which form, *ret_v gets
 * the number.  Returns 0, -EINVAL if s is neither form, or -ERANGE if the
 * number is above IDENT_ID_MAX or IDENT_PID_MAX.
 */
int ident_parse(const char *s, int *ret_is_id, int64_t *ret_v);

/*
 * Resolve s.  Returns 0, -EINVAL or -ERANGE as ident_parse, -ENOENT if no
 * instance matches (none alive at "at" when it is given), or a database
 * error.
 */
int ident_resolve(sqlite3 *db, const char *s, int64_t at, struct ident *ret);

/* Words for how, for the note the caller prints. */
const char *ident_how_str(enum ident_how how);
#endif
