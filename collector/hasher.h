#ifndef PT_HASHER_H
#define PT_HASHER_H
/*
 * --hash-exe: the SHA-256 of executables, computed in a thread of its own,
 * off the reader's and the writer's paths.  The writer hands over each new
 * file row (an executable path and identity, stored at an exec) and later
 * takes the digests to store.  A file is hashed only if what is opened has
 * that identity (device, inode, size, mtime, ctime) before and after the
 * read: first through /proc/PID/exe of the process that ran it (which
 * reaches a binary in another mount namespace), else through its path.  Anything else
 * leaves the row without a digest (NULL: not known), never with another
 * file's.  Digests are remembered by identity: a file seen again under a
 * new row is not read again.
 *
 * hasher_submit never blocks: when HASHER_JOBS jobs wait, the job is
 * dropped (counted).  One submitting thread (the writer).
 */
#include <stdint.h>
#include <sys/types.h>

#define HASHER_JOBS 1024

struct hasher;

struct hasher_stats {
	uint64_t hashed;	/* files read and hashed */
	uint64_t cached;	/* digests found by identity */
	uint64_t failed;	/* not opened, changed, or too big: no digest */
	uint64_t dropped;	/* jobs refused: too many waiting */
};

struct file_ident {
	uint64_t dev, ino, size;
	int64_t mtime, ctime;	/* wall ns */
};

/* Start the thread; max_bytes: larger files are not hashed (0: none). */
int hasher_start(uint64_t max_bytes, struct hasher **ret);
/* Stop the thread and free everything (NULL: nothing). */
void hasher_stop(struct hasher *h);

/* Hash file row id: executable path (len bytes) of process pid, with
 * identity *id. */
void hasher_submit(struct hasher *h, int64_t id, pid_t pid, const char *path,
    size_t len, const struct file_ident *ident);

/* Wait until every job submitted is done (hashed or failed), at most
 * timeout_ms: 0, or -ETIMEDOUT. */
int hasher_drain(struct hasher *h, int timeout_ms);

/* Take one digest ready: 1 and the row id and lowercase hex, or 0. */
int hasher_take(struct hasher *h, int64_t *ret_id, char hex[65]);

void hasher_stats(struct hasher *h, struct hasher_stats *ret);
#endif
