/*
 * LD_PRELOAD shim for the fault tests: makes writes to files under a
 * directory fail with a chosen errno while a trigger file exists, the way
 * an already open database sees a file system that went read-only under
 * it (ext4 errors=remount-ro) or an I/O error.  The kernel offers no way to
 * do that to a tmpfs: "mount -o remount,ro" is refused (EBUSY) while a file
 * is open for writing, and chattr +i does not affect open descriptors.
 *
 *   PT_FAILIO_PREFIX   directory whose files fail (required)
 *   PT_FAILIO_TRIGGER  file whose existence turns failures on (required)
 *   PT_FAILIO_ERRNO    errno number to fail with (default EROFS)
 *
 * Interposes write, pwrite, pwrite64, writev, ftruncate, ftruncate64 and
 * fallocate (what SQLite's unix VFS uses to change a file).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static int
should_fail(int fd)
{
	const char *prefix = getenv("PT_FAILIO_PREFIX");
	const char *trigger = getenv("PT_FAILIO_TRIGGER");
	const char *e = getenv("PT_FAILIO_ERRNO");
	char link[64], path[4096];
	ssize_t n;
	int saved = errno;

	if (!prefix || !trigger || access(trigger, F_OK) != 0) {
		errno = saved;
		return 0;
	}
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	errno = saved;
	if (n <= 0)
		return 0;
	path[n] = '\0';
	if (strncmp(path, prefix, strlen(prefix)) != 0)
		return 0;
	errno = e ? atoi(e) : EROFS;
	return 1;
}

#define NEXT(name) \
	static __typeof__(name) *next_##name; \
	if (!next_##name) \
		next_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

ssize_t
write(int fd, const void *buf, size_t n)
{
	NEXT(write);
	if (should_fail(fd))
		return -1;
	return next_write(fd, buf, n);
}

ssize_t
pwrite(int fd, const void *buf, size_t n, off_t off)
{
	NEXT(pwrite);
	if (should_fail(fd))
		return -1;
	return next_pwrite(fd, buf, n, off);
}

ssize_t
pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	NEXT(pwrite64);
	if (should_fail(fd))
		return -1;
	return next_pwrite64(fd, buf, n, off);
}

ssize_t
writev(int fd, const struct iovec *iov, int cnt)
{
	NEXT(writev);
	if (should_fail(fd))
		return -1;
	return next_writev(fd, iov, cnt);
}

int
ftruncate(int fd, off_t len)
{
	NEXT(ftruncate);
	if (should_fail(fd))
		return -1;
	return next_ftruncate(fd, len);
}

int
ftruncate64(int fd, off64_t len)
{
	NEXT(ftruncate64);
	if (should_fail(fd))
		return -1;
	return next_ftruncate64(fd, len);
}

int
fallocate(int fd, int mode, off_t off, off_t len)
{
	NEXT(fallocate);
	if (should_fail(fd))
		return -1;
	return next_fallocate(fd, mode, off, len);
}
