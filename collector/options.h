#ifndef PT_OPTIONS_H
#define PT_OPTIONS_H
/*
 * proctraild's command line: the options, their defaults and checks, the
 * usage text and the exit codes (docs/proctraild.8).
 */
#include <stddef.h>
#include <stdint.h>

#include "dbfile.h"
#include "redact.h"

#define DEFAULT_DB	"/var/lib/proctrail/proctrail.db"

/* Exit codes (docs/proctraild.8). */
#define EXIT_RUNTIME	1	/* failed while running */
#define EXIT_USAGE	2	/* bad command line */
#define EXIT_DB		3	/* database unusable */
#define EXIT_SYSTEM	4	/* privileges or kernel support missing */
#define EXIT_LOCKED	5	/* another collector uses the database */

struct options {
	const char *db;
	struct dbfile_mode mode;	/* --group: 0640 with that group */
	int batch;
	int flush_ms;
	size_t rcvbuf;
	size_t queue_bytes;
	size_t argv_max;
	int verbose;
	struct redactor *redact;	/* --redact, --redact-next rules */
	int64_t retain_ns;	/* --retain, 0 = keep everything */
	size_t max_size;	/* --max-size bytes, 0 = no limit */
	int prune_ms;		/* --prune-every */
	int rt_prio;		/* --realtime, 0 = off */
	int doorbell;		/* --one-socket turns it off */
	int hash_exe;		/* --hash-exe */
	int no_bpf;		/* --no-bpf */
};

/*
 * Fill *o from the command line, defaults first.  Returns 0, or -1 after
 * printing why (exit EXIT_USAGE); --help and --version print and exit 0.
 * o->redact is allocated: redact_free() it.
 */
int options_parse(int argc, char **argv, struct options *o);
#endif
