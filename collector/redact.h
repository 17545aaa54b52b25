#ifndef PT_REDACT_H
#define PT_REDACT_H
/*
 * Redaction of secrets in argv, applied by the reader before anything is
 * queued, so a secret never reaches the database.
 *
 * One rule syntax (docs/proctraild.8, --redact).  Names are matched as
 * fnmatch(3) globs, without regard to case, except a short option's letter:
 *   "-p"	short option: "-p VALUE" (the next argument) and "-pVALUE"
 *   "--NAME"	long option, NAME a glob ("--*password*"): "--NAME=VALUE"
 *		and "--NAME VALUE"; a trailing "=*" or "=" is allowed
 *   "NAME="	environment assignment, NAME a glob ("*_TOKEN="): an
 *		argument "NAME=VALUE" whose NAME is a shell variable name
 *		(as env(1) and make(1) take them)
 *   any other glob: an argument matching it whole becomes "***", or
 *		what follows its first '=' if the glob has one; with next
 *		(--redact-next), the argument after it becomes "***"
 * Each argument is looked at alone: a secret inside a longer one, such
 * as an "sh -c" script, is not found.
 */
#include <stdbool.h>
#include <stddef.h>

#include "procfs.h"

struct redactor;

/* Add a rule; *r is allocated on first use.  next: --redact-next, which
 * only changes the meaning of a rule of the last kind.  Returns 0 or
 * -ENOMEM/-EINVAL. */
int redact_add(struct redactor **r, const char *glob, bool next);
void redact_free(struct redactor *r);

#define REDACT_NONE	((size_t)-1)	/* nothing matched: keep argv */
#define REDACT_FAIL	((size_t)-2)	/* could not redact: drop argv */

/*
 * Rewrite argv (len bytes of NUL-terminated arguments) into out (out_size
 * bytes).  Returns the length written, REDACT_NONE or REDACT_FAIL (out of
 * room or memory: the caller must not keep argv).  out_size >= 2 * len + 8
 * is always enough.
 */
size_t redact_argv(const struct redactor *r, const char *argv, size_t len,
    char *out, size_t out_size);

/*
 * Apply the rules to a capture in place: data holds argv then the other
 * strings (used bytes, room for data_size); scratch (>= 2 * argv_len + 8
 * bytes) is working space.  Sets PT_CAP_REDACTED when argv changed, and
 * drops argv (clearing PT_CAP_ARGV) when it could not be redacted.
 * Returns the new number of bytes used.
 */
size_t redact_capture(const struct redactor *r, struct pt_capture *cap,
    char *data, size_t used, size_t data_size, char *scratch,
    size_t scratch_size);
#endif
