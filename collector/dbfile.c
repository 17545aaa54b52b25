/*
 * Checking and keeping the modes of the collector's database files.
 *
 * Why each rule (issue 11): SQLite follows whatever the path names, so a
 * device node, a second hard link or a file another user made (and keeps
 * open, or can read through -wal and -shm of their own) would receive
 * every argv recorded; and in a directory others can write, they can put
 * such a file there first, or swap ours afterwards.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbfile.h"

static int
refuse(struct dbfile_why *why, enum dbfile_reason reason, const char *path,
    const struct stat *st)
{
	why->reason = reason;
	snprintf(why->path, sizeof(why->path), "%s", path);
	why->mode = st ? st->st_mode : 0;
	why->uid = st ? st->st_uid : 0;
	why->nlink = st ? (unsigned long)st->st_nlink : 0;
	return DBFILE_REFUSED;
}

/* A file we may write argv into: regular, one link, ours. */
static int
check_file(const char *path, const struct stat *st, struct dbfile_why *why)
{
	if (!S_ISREG(st->st_mode))
		return refuse(why, DBF_NOT_REGULAR, path, st);
	if (st->st_nlink != 1)
		return refuse(why, DBF_LINKS, path, st);
	if (st->st_uid != geteuid())
		return refuse(why, DBF_OWNER, path, st);
	return 0;
}

/* path-wal or path-shm: absent, or as check_file wants it. */
static int
check_sidecar(const char *path, const char *suffix, struct dbfile_why *why)
{
	char name[PATH_MAX];
	struct stat st;

	if (snprintf(name, sizeof(name), "%s%s", path, suffix) >=
	    (int)sizeof(name))
		return -ENAMETOOLONG;
	if (lstat(name, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	return check_file(name, &st, why);
}

/*
 * Every directory from / down to the one holding path: none may be
 * writable by another user unless sticky.  Symbolic links are resolved
 * first; the directories checked are the ones really used.
 */
static int
check_dirs(const char *path, struct dbfile_why *why)
{
	char dir[PATH_MAX], *real, *p;
	struct stat st;
	int r = 0;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	p = strrchr(dir, '/');
	if (!p)
		snprintf(dir, sizeof(dir), ".");
	else if (p == dir)
		dir[1] = '\0';
	else
		*p = '\0';
	real = realpath(dir, NULL);
	if (!real)
		return -errno;
	/* from the directory itself up to / */
	for (;;) {
		if (stat(real, &st) < 0) {
			r = -errno;
			break;
		}
		if (((st.st_uid != geteuid() && (st.st_mode & S_IWUSR)) ||
		    (st.st_mode & (S_IWGRP | S_IWOTH))) &&
		    !(st.st_mode & S_ISVTX)) {
			r = refuse(why, DBF_DIR_SHARED, real, &st);
			break;
		}
		p = strrchr(real, '/');
		if (!p || (p == real && real[1] == '\0'))
			break;
		if (p == real)
			p[1] = '\0';	/* "/x" -> "/" */
		else
			*p = '\0';
	}
	free(real);
	return r;
}

/* fchown to the group (if any), then fchmod: the order that never leaves
 * a 0640 file readable by the wrong group. */
static int
apply(int fd, const struct dbfile_mode *m)
{
	if (m->has_group && fchown(fd, (uid_t)-1, m->gid) < 0)
		return -errno;
	if (fchmod(fd, m->has_group ? 0640 : 0600) < 0)
		return -errno;
	return 0;
}

int
dbfile_open(const char *path, const struct dbfile_mode *m, int *ret_fd,
    struct dbfile_why *ret_why)
{
	struct stat st, fst;
	int fd, r, exists;

	r = check_dirs(path, ret_why);
	if (r < 0)
		return r;
	exists = lstat(path, &st) == 0;
	if (!exists && errno != ENOENT)
		return -errno;
	if (exists && (r = check_file(path, &st, ret_why)) < 0)
		return r;
	r = check_sidecar(path, "-wal", ret_why);
	if (r == 0)
		r = check_sidecar(path, "-shm", ret_why);
	if (r < 0)
		return r;
	if (!exists) {
		/* O_EXCL: a file that appeared meanwhile is checked anew */
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
		if (fd < 0 && errno == EEXIST)
			return dbfile_open(path, m, ret_fd, ret_why);
		if (fd < 0)
			return -errno;
		/* ours, new, empty: its mode from the start */
		r = apply(fd, m);
		if (r < 0) {
			close(fd);
			return r;
		}
		*ret_fd = fd;
		return 0;
	}
	/* O_NONBLOCK, O_NOCTTY: harmless on a regular file, and if one was
	 * swapped in for a FIFO or a tty meanwhile, the open does not hang
	 * or take a terminal before fstat refuses it */
	fd = open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC);
	if (fd < 0)
		return errno == ELOOP ? refuse(ret_why, DBF_NOT_REGULAR, path,
		    NULL) : -errno;
	if (fstat(fd, &fst) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	if (fst.st_dev != st.st_dev || fst.st_ino != st.st_ino)
		r = refuse(ret_why, DBF_CHANGED, path, &fst);
	else
		r = check_file(path, &fst, ret_why);
	if (r < 0) {
		close(fd);
		return r;
	}
	*ret_fd = fd;
	return 0;
}

/*
 * The mode of path-wal or path-shm, which SQLite has open.  Through an
 * O_PATH descriptor: closing any other descriptor of a file drops every
 * POSIX lock this process holds on it, SQLite's included, and another
 * connection would then truncate the -shm under the collector's mapping
 * (SIGBUS).  Closing an O_PATH descriptor leaves locks alone.
 */
static int
set_sidecar(const char *path, const char *suffix, const struct dbfile_mode *m,
    struct dbfile_why *why)
{
	char name[PATH_MAX], proc[64];
	struct stat st;
	int fd, r;

	if (snprintf(name, sizeof(name), "%s%s", path, suffix) >=
	    (int)sizeof(name))
		return -ENAMETOOLONG;
	fd = open(name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if (fstat(fd, &st) < 0)
		r = -errno;
	else
		r = check_file(name, &st, why);	/* a symlink is refused here */
	if (r == 0 && m->has_group &&
	    fchownat(fd, "", (uid_t)-1, m->gid, AT_EMPTY_PATH) < 0)
		r = -errno;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (r == 0 && chmod(proc, m->has_group ? 0640 : 0600) < 0)
		r = -errno;
	close(fd);
	return r;
}

int
dbfile_set_mode(const char *path, int fd, const struct dbfile_mode *m,
    struct dbfile_why *ret_why)
{
	struct stat st, fst;
	int r;

	/* still the file we checked and locked? */
	if (fstat(fd, &fst) < 0)
		return -errno;
	if (lstat(path, &st) < 0)
		return -errno;
	if (st.st_dev != fst.st_dev || st.st_ino != fst.st_ino)
		return refuse(ret_why, DBF_CHANGED, path, &st);
	r = check_file(path, &fst, ret_why);
	if (r == 0)
		r = set_sidecar(path, "-wal", m, ret_why);
	if (r == 0)
		r = set_sidecar(path, "-shm", m, ret_why);
	if (r == 0)
		r = apply(fd, m);
	return r;
}

const char *
dbfile_reason_str(enum dbfile_reason r)
{
	switch (r) {
	case DBF_NOT_REGULAR:
		return "is not a regular file";
	case DBF_LINKS:
		return "has more than one hard link";
	case DBF_OWNER:
		return "is owned by another user";
	case DBF_DIR_SHARED:
		return "is a directory other users can write (and not sticky)";
	case DBF_CHANGED:
		return "was replaced while it was being checked";
	}
	return "is refused";
}
