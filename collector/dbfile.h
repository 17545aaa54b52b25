#ifndef PT_DBFILE_H
#define PT_DBFILE_H
/*
 * The collector's database files: which ones it accepts, and the modes it
 * keeps them in.  argv can hold secrets, so the database and its -wal and
 * -shm are readable by the collector's user only (0600), or also by one
 * group of auditors (0640, --group).
 *
 * A file is accepted if it is absent (then created) or a regular file with
 * one link, owned by the effective uid; every directory from / down to the
 * database's must be writable by no other user, or be sticky (like /tmp:
 * others cannot remove or rename what is not theirs).  An existing file's
 * mode is changed only once it is known good: a refused file keeps its
 * mode and owner.
 *
 * Functions return 0 or a negative errno and never print; DBFILE_REFUSED
 * means a file was refused, and *ret_why says which and why.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

/* A file was refused (an errno no call used here returns). */
#define DBFILE_REFUSED	(-EBADFD)

enum dbfile_reason {
	DBF_NOT_REGULAR,	/* a device, FIFO, socket, directory or symlink */
	DBF_LINKS,		/* a regular file with more than one link */
	DBF_OWNER,		/* owned by another user */
	DBF_DIR_SHARED,		/* a directory others can write, not sticky */
	DBF_CHANGED,		/* replaced between the check and the open */
};

struct dbfile_why {
	enum dbfile_reason	 reason;
	char			 path[PATH_MAX];	/* the file or directory */
	mode_t			 mode;		/* its st_mode */
	uid_t			 uid;		/* its owner */
	unsigned long		 nlink;		/* its links */
};

/* The files' access: 0600, or 0640 with group gid when has_group. */
struct dbfile_mode {
	bool	has_group;
	gid_t	gid;
};

/*
 * Check path, path-wal, path-shm and the directories above, then open path
 * read-write, creating it (empty, with mode m) if absent.  *ret_fd is the
 * open descriptor (close-on-exec) the caller closes.  Changes nothing on
 * any refusal, nor on an existing file.
 */
int dbfile_open(const char *path, const struct dbfile_mode *m, int *ret_fd,
    struct dbfile_why *ret_why);

/*
 * Give the open database fd, and path-wal and path-shm if they exist, the
 * mode m, after checking them again (DBFILE_REFUSED with *ret_why if one was
 * replaced or slipped in meanwhile).  Call once the database is known
 * good (opened by SQLite, which has made its -wal and -shm by then with
 * the database's mode), so that a file refused for its contents keeps its
 * mode too.
 */
int dbfile_set_mode(const char *path, int fd, const struct dbfile_mode *m,
    struct dbfile_why *ret_why);

/* Words for a reason ("is not a regular file"...). */
const char *dbfile_reason_str(enum dbfile_reason r);
#endif
