/*
 * /proc/PID capture with an identity check.  See procfs.h for why a stat
 * descriptor read first and last, with a pidfd or the BPF program's task
 * (or status's Tgid:), and a start-time check are sufficient.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "procfs.h"
#include "taskbpf.h"

/*
 * Read a whole small file into buf (size bytes, not
 * NUL-terminated).  Returns bytes read or -errno.  A /proc file read with
 * room to spare returns all of itself at once, so a short read is the end:
 * no second read() to see 0 (one system call less per file on the exec
 * path, where every one counts).
 */
static ssize_t
read_at(const char *path, char *buf, size_t size)
{
	ssize_t n, total = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	while ((size_t)total < size) {
		n = read(fd, buf + total, size - (size_t)total);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			n = -errno;
			close(fd);
			return total > 0 ? total : n;
		}
		total += n;
		if (n == 0 || (size_t)n < size - (size_t)(total - n))
			break;	/* short read: that was all */
	}
	close(fd);
	return total;
}

/* Like read_at, and tells whether there was more than size bytes. */
static ssize_t
read_at_more(const char *path, char *buf, size_t size, int *ret_more)
{
	ssize_t n, total = 0;
	char c;
	int fd;

	*ret_more = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	while ((size_t)total < size) {
		n = read(fd, buf + total, size - (size_t)total);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		total += n;
		if (n == 0 || (size_t)n < size - (size_t)(total - n))
			break;	/* short read: that was all */
	}
	if ((size_t)total == size && read(fd, &c, 1) == 1)
		*ret_more = 1;
	close(fd);
	return total;
}

/*
 * "/proc/PID/" and a file's name after it: the files of a capture are
 * opened by their whole path (procfs.h tells why they are all the one
 * process's), which costs less than a directory descriptor and lookups
 * relative to it (an open and a close more, 5-9 us per fresh process).
 */
struct pdir {
	char path[48];
	size_t len;
};

static const char *
pfile(struct pdir *d, const char *name)
{
	size_t n = strlen(name);

	if (d->len + n >= sizeof(d->path))
		n = 0;	/* not with the names used here */
	memcpy(d->path + d->len, name, n);
	d->path[d->len + n] = '\0';
	return d->path;
}

/* FNV-1a over 64-bit values: the layout's fingerprint. */
static uint64_t
mix(uint64_t h, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++) {
		h ^= (v >> (i * 8)) & 0xff;
		h *= 0x100000001b3ull;
	}
	return h;
}

int
procfs_stat(const char *buf, size_t len, struct pt_stat *ret)
{
	const char *p, *rp, *end = buf + len;
	uint64_t v[53], h = 0xcbf29ce484222325ull, any = 0;
	bool neg;
	int field, i;
	static const unsigned char layout[] = {
		26, 27, 28, 45, 46, 47, 48, 49, 50, 51
	};

	memset(ret, 0, sizeof(*ret));
	memset(v, 0, sizeof(v));
	/* comm (field 2) may hold spaces and parentheses */
	rp = memrchr(buf, ')', len);
	if (!rp || end - rp < 4 || rp[1] != ' ')
		return -EBADMSG;
	ret->state = rp[2];
	p = rp + 3;
	for (field = 4; field <= 52 && p < end; field++) {
		if (*p++ != ' ')
			return -EBADMSG;
		neg = p < end && *p == '-';
		if (neg)
			p++;
		if (p == end || *p < '0' || *p > '9')
			return -EBADMSG;
		for (; p < end && *p >= '0' && *p <= '9'; p++) {
			uint64_t d = (uint64_t)(*p - '0');

			if (v[field] > (UINT64_MAX - d) / 10)
				return -EBADMSG;
			v[field] = v[field] * 10 + d;
		}
		if (neg)
			v[field] = (uint64_t)-(int64_t)v[field];
		if (p < end && *p == '\n')
			break;
	}
	if (field < 22 || v[4] > INT32_MAX)
		return -EBADMSG;	/* a PPid below 0 or above PID_MAX_LIMIT */
	ret->ppid = (int32_t)v[4];
	ret->tty_nr = (int32_t)v[7];
	ret->flags = (uint32_t)v[9];
	ret->start = v[22];
	ret->exit_code = (int32_t)v[52];
	for (i = 0; i < (int)sizeof(layout); i++) {
		h = mix(h, v[layout[i]]);
		any |= v[layout[i]];
	}
	/* Without the right to read the memory map the kernel shows 1 for
	 * the code addresses and 0 for the rest: no layout then. */
	if (v[26] == 1 && v[27] == 1 && v[28] == 0)
		any = 0;
	ret->layout = any ? h : 0;
	/* an exec sets the stack, then arg_start, and arg_end once the
	 * arguments are in place */
	ret->building = any && (v[28] == 0 || v[49] <= v[48]);
	return 0;
}

static int
parse_ids(const char *p, const char *end, uint32_t *real, uint32_t *eff)
{
	char tmp[64], *q;
	size_t n = (size_t)(end - p);
	unsigned long a, b;

	if (n >= sizeof(tmp))
		n = sizeof(tmp) - 1;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	errno = 0;
	a = strtoul(tmp, &q, 10);
	if (q == tmp || errno)
		return -EBADMSG;
	b = strtoul(q, &q, 10);
	if (errno)
		return -EBADMSG;
	*real = (uint32_t)a;
	*eff = (uint32_t)b;
	return 0;
}

int
procfs_parse_status(const char *buf, size_t len, struct pt_capture *cap)
{
	const char *p = buf, *end = buf + len, *nl;
	int found = 0;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if (nl - p > 5 && memcmp(p, "Name:\t", 6) == 0 && !(found & 1)) {
			size_t n = (size_t)(nl - p - 6);

			if (n > 16)
				n = 16;
			memcpy(cap->comm, p + 6, n);
			cap->comm[n] = '\0';
			found |= 1;
		} else if (nl - p > 4 && memcmp(p, "Uid:", 4) == 0) {
			if (parse_ids(p + 4, nl, &cap->uid, &cap->euid) == 0)
				found |= 2;
		} else if (nl - p > 4 && memcmp(p, "Gid:", 4) == 0) {
			if (parse_ids(p + 4, nl, &cap->gid, &cap->egid) == 0)
				found |= 4;
		}
		if (found == 7)
			return 0;
		p = nl + 1;
	}
	return (found & 6) == 6 ? 0 : -EBADMSG;
}

int32_t
procfs_status_tgid(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *eol;
	int64_t v = -1;

	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if (eol - p > 5 && memcmp(p, "Tgid:", 5) == 0) {
			for (p += 5; p < eol && (*p == '\t' || *p == ' '); p++)
				;
			for (v = p < eol ? 0 : -1; p < eol && v >= 0; p++) {
				if (*p < '0' || *p > '9' || v > INT32_MAX / 10)
					return -1;
				v = v * 10 + (*p - '0');
			}
			return v <= INT32_MAX ? (int32_t)v : -1;
		}
		p = eol + 1;
	}
	return -1;
}

/* Pick the cgroup v2 line ("0::/path") of /proc/PID/cgroup. */
static size_t
cgroup_pick(char *buf, size_t len)
{
	char *p = buf, *end = buf + len, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if (nl - p >= 3 && memcmp(p, "0::", 3) == 0) {
			memmove(buf, p + 3, (size_t)(nl - p - 3));
			return (size_t)(nl - p - 3);
		}
		p = nl + 1;
	}
	return 0;
}

/*
 * PIDFD_GET_INFO (Linux 6.13; Debian 12's headers lack it): credentials
 * and more of a pidfd's process, without /proc/PID/status, whose
 * formatting was the most expensive read of a capture.
 */
struct pt_pidfd_info {
	uint64_t mask;
	uint64_t cgroupid;
	uint32_t pid, tgid, ppid;
	uint32_t ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
	int32_t exit_code;
	uint32_t coredump_mask;
	uint32_t spare1;
};

#define PT_PIDFD_GET_INFO	_IOWR(0xFF, 11, struct pt_pidfd_info)
#define PT_PIDFD_INFO_CREDS	(1ull << 1)
#define PT_PIDFD_INFO_CGROUPID	(1ull << 2)

/* Cleared the first time the kernel does not know PIDFD_GET_INFO (then
 * /proc/PID/status it is).  Captures run in one thread at a time: the
 * snapshot's, then the reader's. */
static bool pidfd_info_works = true;

/* comm, stat field 2: from after the first '(' to the last ')'. */
static int
stat_comm(const char *buf, size_t len, char *comm, size_t size)
{
	const char *l = memchr(buf, '(', len), *r = memrchr(buf, ')', len);
	size_t n;

	if (!l || !r || r < l)
		return -EBADMSG;
	n = (size_t)(r - l - 1);
	if (n >= size)
		n = size - 1;
	memcpy(comm, l + 1, n);
	comm[n] = '\0';
	return 0;
}

/*
 * Credentials through pidfd (opened before /proc/PID/stat).  The call
 * succeeds only while the process is not reaped, so its PID cannot have
 * been reused since pidfd_open: the stat opened meanwhile is the same
 * process's.  Returns 0, -ESRCH (reaped), or -ENOTTY and the like
 * when the kernel has no PIDFD_GET_INFO.
 */
static int
pidfd_creds(int pidfd, struct pt_capture *cap, uint64_t *ret_cgroupid)
{
	struct pt_pidfd_info info;

	memset(&info, 0, sizeof(info));
	info.mask = PT_PIDFD_INFO_CREDS | PT_PIDFD_INFO_CGROUPID;
	if (ioctl(pidfd, PT_PIDFD_GET_INFO, &info) < 0)
		return -errno;
	if (!(info.mask & PT_PIDFD_INFO_CREDS))
		return -ENODATA;
	cap->uid = info.ruid;
	cap->euid = info.euid;
	cap->gid = info.rgid;
	cap->egid = info.egid;
	*ret_cgroupid = info.mask & PT_PIDFD_INFO_CGROUPID ? info.cgroupid : 0;
	return 0;
}

/*
 * cgroup v2 paths by cgroup id.  The execs of a storm run in a few
 * cgroups, and reading /proc/PID/cgroup (open, the path formatted under
 * the css_set lock, close) was 7% of the reader.  A cgroup2 directory
 * cannot be renamed (its kernfs operations have no rename: EPERM) and ids
 * are 64-bit, never reused in a boot, so an id names one path for good.
 * Before a path read from /proc/PID/cgroup is cached, a stat() of it under
 * the cgroup2 mount must find the id as its inode (kernfs): the process
 * may have moved between the id's reading (PIDFD_GET_INFO, or the BPF
 * program) and that read.  One thread at a time (as pidfd_info_works).
 */
#define CG_SLOTS	16
#define CG_PATH		256

static struct cg_slot {
	uint64_t id;
	size_t len;		/* 0: empty */
	char path[CG_PATH];
} cg_cache[CG_SLOTS];

static char cg_mount[256];	/* cgroup2 mount point */
static int cg_mount_state;	/* 0 not looked for, 1 found, -1 none */

/* The first cgroup2 mount of its root in /proc/self/mountinfo. */
static void
cg_find_mount(void)
{
	char line[1024], root[256], point[256], *dash;
	FILE *f;

	cg_mount_state = -1;
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		/* ID PARENT MAJ:MIN ROOT POINT OPTIONS... - FSTYPE ... */
		dash = strstr(line, " - ");
		if (!dash || strncmp(dash + 3, "cgroup2 ", 8) != 0)
			continue;
		if (sscanf(line, "%*s %*s %*s %255s %255s", root, point) != 2 ||
		    strcmp(root, "/") != 0 || strchr(point, '\\'))
			continue;	/* not the root, or an escaped name */
		snprintf(cg_mount, sizeof(cg_mount), "%s", point);
		cg_mount_state = 1;
		break;
	}
	fclose(f);
}

/* Is path (len bytes, from "0::") the path of cgroup id now? */
static bool
cg_same(const char *path, size_t len, uint64_t id)
{
	char full[sizeof(cg_mount) + CG_PATH + 1];
	struct stat st;

	if (cg_mount_state == 0)
		cg_find_mount();
	if (cg_mount_state < 0 || len >= CG_PATH || len == 0 || path[0] != '/')
		return false;
	snprintf(full, sizeof(full), "%s%.*s", cg_mount, (int)len, path);
	return stat(full, &st) == 0 && S_ISDIR(st.st_mode) &&
	    (uint64_t)st.st_ino == id;
}

/* The cached path of cgroup id into buf (size bytes): its length, or 0. */
static size_t
cg_lookup(uint64_t id, char *buf, size_t size)
{
	struct cg_slot *c = &cg_cache[id % CG_SLOTS];

	if (c->id != id || c->len == 0 || c->len > size)
		return 0;
	memcpy(buf, c->path, c->len);
	return c->len;
}

static void
cg_store(uint64_t id, const char *path, size_t len)
{
	struct cg_slot *c = &cg_cache[id % CG_SLOTS];

	if (!cg_same(path, len, id))
		return;
	c->id = id;
	memcpy(c->path, path, len);
	c->len = len;
}

static int
proc_state_dead(char s)
{
	return s == 'Z' || s == 'X' || s == 'x';
}

/* pidfd_open() exists (5.3+); cleared at the first ENOSYS. */
static bool pidfd_works = true;

static uint64_t
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* stat, read again through the descriptor kept open (seq_file files give
 * fresh contents at offset 0).  Returns 0 or -errno / -EBADMSG. */
static int
stat_read(int fd, bool again, char *buf, size_t size, size_t *ret_len,
    struct pt_stat *ret)
{
	ssize_t n;

	do
		n = again ? pread(fd, buf, size - 1, 0) : read(fd, buf, size - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -EBADMSG;
	*ret_len = (size_t)n;
	return procfs_stat(buf, (size_t)n, ret);
}

/* Forget everything read of the process; keep only why. */
static size_t
drop(struct pt_capture *cap, uint32_t why)
{
	cap->flags = (cap->flags & ~(uint32_t)PT_CAP_DATA) | why;
	cap->argv_len = 0;
	cap->exe_len = cap->cwd_len = cap->cgroup_len = 0;
	cap->uid = cap->euid = cap->gid = cap->egid = 0;
	cap->comm[0] = '\0';
	cap->login_uid = cap->login_session = cap->tty_nr = 0;
	cap->ns_pid = 0;
	cap->pid_ns = cap->mnt_ns = cap->user_ns = 0;
	cap->exe_dev = cap->exe_ino = cap->exe_size = 0;
	cap->exe_mtime = cap->exe_ctime = 0;
	return 0;
}

/* A decimal number, the whole of a small /proc file (a newline may end
 * it).  Returns 0 or -errno / -EBADMSG. */
static int
read_u32_at(const char *path, uint32_t *ret)
{
	char buf[24], *end;
	unsigned long v;
	ssize_t n;

	n = read_at(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return n < 0 ? (int)n : -EBADMSG;
	buf[n] = '\0';
	errno = 0;
	v = strtoul(buf, &end, 10);
	if (errno || end == buf || (*end != '\0' && *end != '\n') ||
	    v > UINT32_MAX)
		return -EBADMSG;
	*ret = (uint32_t)v;
	return 0;
}

/*
 * The login: audit session id, then login uid.  A write of a process's
 * loginuid (only the process itself may) gives it a new session id from a
 * boot-wide counter, or the unset one with an unset uid; so a session id
 * names one login uid for the whole boot, and the uid of a session seen
 * before need not be read again (one file instead of two per exec).  The
 * kernel stores the session id, then the uid, with no lock: a pair read
 * between the two stores has the new session and the old uid.  So a pair
 * counts only if the session read again after the uid is the same, and,
 * as a write from unset to set (pam_loginuid's) or back leaves one of each
 * between its stores, both or neither are set.  A write from one set uid
 * to another (which takes CAP_AUDIT_CONTROL and a loginuid that is not
 * immutable) read while its writer is preempted between the stores still
 * gives a pair that never was: such a pair is remembered only once a later
 * capture read it again, so that it is never more than what was read.
 * One thread at a time (as pidfd_info_works).
 */
#define LOGIN_SLOTS 64

static struct login_slot {
	uint32_t session, uid;
	uint8_t seen;		/* 0 empty, 1 read once, 2 read twice: used */
} login_cache[LOGIN_SLOTS];

static int
read_login(struct pdir *d, struct pt_capture *cap)
{
	struct login_slot *l;
	uint32_t again;
	int r;

	r = read_u32_at(pfile(d, "sessionid"), &cap->login_session);
	if (r < 0)
		return r;
	l = &login_cache[cap->login_session % LOGIN_SLOTS];
	if (l->seen == 2 && l->session == cap->login_session) {
		cap->login_uid = l->uid;
		return 0;
	}
	r = read_u32_at(pfile(d, "loginuid"), &cap->login_uid);
	if (r == 0)
		r = read_u32_at(pfile(d, "sessionid"), &again);
	if (r < 0)
		return r;
	if (again != cap->login_session) {
		/* written meanwhile: the pair read last is the process's */
		cap->login_session = again;
		if (read_u32_at(pfile(d, "loginuid"), &cap->login_uid) < 0 ||
		    read_u32_at(pfile(d, "sessionid"), &again) < 0 ||
		    again != cap->login_session)
			return -EAGAIN;
	}
	if ((cap->login_session == UINT32_MAX) !=
	    (cap->login_uid == UINT32_MAX))
		return -EAGAIN;	/* half a write from or to unset */
	l = &login_cache[cap->login_session % LOGIN_SLOTS];
	if (l->seen == 1 && l->session == cap->login_session &&
	    l->uid == cap->login_uid) {
		l->seen = 2;
	} else {
		l->session = cap->login_session;
		l->uid = cap->login_uid;
		l->seen = 1;
	}
	return 0;
}

int
procfs_parse_nspid(const char *buf, size_t len, int32_t *ret)
{
	const char *p = buf, *end = buf + len, *eol;
	long v = -1;

	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > 6 && memcmp(p, "NSpid:", 6) == 0) {
			/* tab-separated, outermost first: the last is its own */
			for (p += 6; p < eol; ) {
				while (p < eol && (*p == '\t' || *p == ' '))
					p++;
				if (p == eol)
					break;
				if (*p < '0' || *p > '9')
					return -EBADMSG;
				for (v = 0; p < eol && *p >= '0' && *p <= '9'; p++) {
					v = v * 10 + (*p - '0');
					if (v > INT32_MAX)
						return -EBADMSG;
				}
			}
			if (v < 0)
				return -EBADMSG;
			*ret = (int32_t)v;
			return 0;
		}
		p = eol + 1;
	}
	return -EBADMSG;
}

/* The collector's own pid namespace inode, 0 if unknown; one thread at a
 * time (as pidfd_info_works). */
static uint64_t
own_pid_ns(void)
{
	static uint64_t ino;
	static bool looked;
	struct stat st;

	if (!looked) {
		looked = true;
		if (stat("/proc/self/ns/pid", &st) == 0)
			ino = (uint64_t)st.st_ino;
	}
	return ino;
}

int
procfs_parse_ns_link(const char *buf, size_t len, uint64_t *ret)
{
	const char *p = memchr(buf, '[', len), *end = buf + len;
	uint64_t v = 0;

	if (!p || len < 4 || end[-1] != ']' || p + 2 >= end)
		return -EBADMSG;
	for (p++; p < end - 1; p++) {
		if (*p < '0' || *p > '9' || v > (UINT64_MAX - 9) / 10)
			return -EBADMSG;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*ret = v;
	return 0;
}

/* The inode number of namespace link ns/name, as "type:[inode]": its text
 * costs less than following it (a stat() of the link's target builds an
 * nsfs dentry and inode each time no descriptor of the namespace is
 * open: 3 such stats were 20% of the reader in an exec storm). */
static int
ns_inode(const char *path, uint64_t *ret)
{
	char buf[64];
	ssize_t n;

	n = readlink(path, buf, sizeof(buf));
	if (n <= 0 || (size_t)n >= sizeof(buf))
		return -EBADMSG;
	return procfs_parse_ns_link(buf, (size_t)n, ret);
}

/*
 * Namespaces through the pidfd (PIDFD_GET_*_NAMESPACE, Linux 6.11): the
 * ioctl gives a descriptor of the namespace, whose inode number fstat()
 * reads.  Cheaper than the links (3 of them were 27-31 us per fresh process,
 * 16-17 us this way) only while a descriptor of the namespace stays open:
 * nsfs keeps one dentry per namespace while it is in use and builds it
 * again for each open otherwise.  So the collector's own three, the host's
 * in the common case, stay open for good (never another's: an open
 * descriptor would keep a container's mounts alive).  -ENOTTY and the
 * like: no such ioctl, the links it is from then on.  One thread at a
 * time (as pidfd_info_works).
 */
#define PT_PIDFD_GET_MNT_NAMESPACE	_IO(0xFF, 3)
#define PT_PIDFD_GET_PID_NAMESPACE	_IO(0xFF, 5)
#define PT_PIDFD_GET_USER_NAMESPACE	_IO(0xFF, 9)

static bool ns_ioctl_works = true;

static int
ns_of_pidfd(int pidfd, unsigned long req, uint64_t *ret)
{
	struct stat st;
	int fd, e = 0;

	fd = ioctl(pidfd, req, 0);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) == 0)
		*ret = (uint64_t)st.st_ino;
	else
		e = -errno;
	close(fd);
	return e;
}

static void
hold_own_ns(void)
{
	static const char *const names[] = {
		"/proc/self/ns/pid", "/proc/self/ns/mnt", "/proc/self/ns/user"
	};
	static bool held;
	size_t i;

	if (held)
		return;
	held = true;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		(void)open(names[i], O_RDONLY | O_CLOEXEC);	/* kept */
}

static int
read_ns_pidfd(int pidfd, struct pt_capture *cap)
{
	int r;

	hold_own_ns();
	r = ns_of_pidfd(pidfd, PT_PIDFD_GET_PID_NAMESPACE, &cap->pid_ns);
	if (r == 0)
		r = ns_of_pidfd(pidfd, PT_PIDFD_GET_MNT_NAMESPACE,
		    &cap->mnt_ns);
	if (r == 0)
		r = ns_of_pidfd(pidfd, PT_PIDFD_GET_USER_NAMESPACE,
		    &cap->user_ns);
	if (r == -ENOTTY || r == -EINVAL || r == -EOPNOTSUPP)
		ns_ioctl_works = false;
	return r;
}

/*
 * The namespaces of the process of pidfd and d, and its pid in its own
 * pid namespace: tgid when that is the collector's, else from status.
 */
static void
read_ns(int pidfd, struct pdir *d, pid_t tgid, struct pt_capture *cap)
{
	char status[4096];
	ssize_t n;
	int r = -ENOTTY;

	if (pidfd >= 0 && ns_ioctl_works)
		r = read_ns_pidfd(pidfd, cap);
	if (r == -ENOTTY || r == -EINVAL || r == -EOPNOTSUPP)
		r = ns_inode(pfile(d, "ns/pid"), &cap->pid_ns) < 0 ||
		    ns_inode(pfile(d, "ns/mnt"), &cap->mnt_ns) < 0 ||
		    ns_inode(pfile(d, "ns/user"), &cap->user_ns) < 0 ?
		    -EBADMSG : 0;
	if (r < 0) {
		cap->pid_ns = cap->mnt_ns = cap->user_ns = 0;
		return;
	}
	if (cap->pid_ns == own_pid_ns() && cap->pid_ns != 0) {
		cap->ns_pid = tgid;
	} else {
		n = read_at(pfile(d, "status"), status, sizeof(status));
		if (n <= 0 || procfs_parse_nspid(status, (size_t)n,
		    &cap->ns_pid) < 0)
			return;
	}
	cap->flags |= PT_CAP_NS;
}

/* What the BPF program did (procfs_bpf_stats); one thread at a time. */
static struct procfs_bpf_stats bpf_stats;

/* What task_bpf_read made of a task. */
enum task_bpf {
	TASK_BPF_NONE,		/* no program: /proc was read */
	TASK_BPF_ANSWERED,	/* it read the task */
	TASK_BPF_NOT_FOUND,	/* no task with the PID: /proc was read */
	TASK_BPF_MISMATCH,	/* not stat's task: /proc was read */
};

/*
 * The BPF program's reading of task tgid (taskbpf.h) into *a, which finds
 * the task by its number, as an open of /proc/PID/NAME does: called
 * between the two reads of stat, it is stat's process.  Checked all the
 * same, by its start time (else /proc is read, and once the second read
 * of stat has shown the number was this process's all along, the program
 * is turned off: task_bpf_done).  -ECHILD: the number is a thread's of
 * another process now (stat is that thread's).
 */
static int
task_bpf_read(pid_t tgid, uint64_t start_ticks, struct pt_task_args *a,
    enum task_bpf *ret)
{
	*ret = TASK_BPF_NONE;
	if (taskbpf_read(tgid, a) < 0)
		return 0;
	if (!(a->known & PT_TASK_FOUND)) {
		*ret = TASK_BPF_NOT_FOUND;
		return 0;
	}
	if (a->tgid != tgid)
		return -ECHILD;
	*ret = a->start_boottime / PT_NS_PER_TICK == start_ticks ?
	    TASK_BPF_ANSWERED : TASK_BPF_MISMATCH;
	return 0;
}

/*
 * The login and the namespaces from what the program read, and what it
 * could not (a login being written, a kernel without the audit fields,
 * namespaces being changed, the mount namespace before 6.14) from /proc
 * (there is no pidfd with the program).
 */
static void
task_bpf_context(const struct pt_task_args *a, struct pdir *d, pid_t tgid,
    struct pt_capture *cap)
{
	uint64_t mnt = a->mnt_ns;

	if (a->known & PT_TASK_LOGIN) {
		cap->login_uid = a->login_uid;
		cap->login_session = a->login_session;
		cap->flags |= PT_CAP_LOGIN;
	} else if (read_login(d, cap) == 0) {
		cap->flags |= PT_CAP_LOGIN;
	}
	if ((a->known & PT_TASK_NS) && ((a->known & PT_TASK_MNT) ||
	    (ns_inode(pfile(d, "ns/mnt"), &mnt) == 0 && mnt != 0))) {
		cap->ns_pid = a->ns_pid;
		cap->pid_ns = a->pid_ns;
		cap->mnt_ns = mnt;
		cap->user_ns = a->user_ns;
		cap->flags |= PT_CAP_NS;
	} else {
		read_ns(-1, d, tgid, cap);
	}
}

/* Once the second read of stat succeeded: the number named stat's
 * process all along, so a task not found or another task is the
 * program's fault: counted, and the latter turns it off. */
static void
task_bpf_done(enum task_bpf what, pid_t tgid)
{
	switch (what) {
	case TASK_BPF_ANSWERED:
		bpf_stats.answered++;
		break;
	case TASK_BPF_NOT_FOUND:
		bpf_stats.not_found++;
		break;
	case TASK_BPF_MISMATCH:
		if (bpf_stats.mismatch++ == 0)
			bpf_stats.mismatch_pid = tgid;
		taskbpf_off(true);
		break;
	case TASK_BPF_NONE:
		break;
	}
}

void
procfs_bpf_stats(struct procfs_bpf_stats *ret)
{
	*ret = bpf_stats;
}

static int64_t
ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

size_t
procfs_capture(pid_t tgid, uint64_t not_after_ticks, size_t argv_max,
    struct pt_capture *cap, char *data, size_t data_size)
{
	char stat[1024], status[4096];
	struct pdir d;
	struct pt_stat st1, st2;
	size_t used = 0, room, stat_len;
	ssize_t n;
	uint64_t cgid = 0;
	struct pt_task_args ta;
	enum task_bpf bpf = TASK_BPF_NONE;
	int sfd = -1, pidfd, more, r;
	bool alive, use_bpf, have_creds = false;

	cap->t_open = mono_now();
	cap->tgid = tgid;
	/* First the pidfd: the anchor of the identity proof (procfs.h);
	 * not needed with the BPF program, which gives what it was for. */
	use_bpf = taskbpf_init() == 0;
	pidfd = pidfd_works && !use_bpf ? pidfd_open(tgid, 0) : -1;
	if (pidfd < 0 && pidfd_works && !use_bpf) {
		if (errno == ENOSYS) {
			pidfd_works = pidfd_info_works = false;	/* before 5.3 */
		} else {
			/* ESRCH: no such process any more; ENOENT, EINVAL:
			 * the number is a thread's of another process now */
			cap->flags |= errno == ESRCH ? PT_CAP_GONE :
			    PT_CAP_MISMATCH;
			goto out;
		}
	}
	d.len = (size_t)snprintf(d.path, sizeof(d.path), "/proc/%d/", (int)tgid);
	sfd = open(pfile(&d, "stat"), O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (sfd < 0 || stat_read(sfd, false, stat, sizeof(stat), &stat_len,
	    &st1) < 0) {
		cap->flags |= PT_CAP_GONE;
		goto out;
	}
	cap->start_ticks = st1.start;
	cap->ppid = st1.ppid;
	cap->state = st1.state;
	if (not_after_ticks && st1.start > not_after_ticks) {
		/* started after the event: a later process with this PID */
		cap->flags |= PT_CAP_MISMATCH;
		cap->start_ticks = 0;
		cap->ppid = 0;
		goto out;
	}
	/* With the BPF program: the credentials and the cgroup id, and
	 * what it reads for later.  The reads are stat's process if the
	 * second read of stat succeeds (procfs.h). */
	if (use_bpf) {
		if (task_bpf_read(tgid, st1.start, &ta, &bpf) < 0) {
			/* a thread of another process now, as a failed
			 * pidfd_open would have said */
			used = drop(cap, PT_CAP_MISMATCH);
			cap->start_ticks = 0;
			cap->ppid = 0;
			goto out;
		}
		if (bpf == TASK_BPF_ANSWERED && (ta.known & PT_TASK_CREDS)) {
			cap->uid = ta.uid;
			cap->euid = ta.euid;
			cap->gid = ta.gid;
			cap->egid = ta.egid;
			have_creds = true;
		}
		if (bpf == TASK_BPF_ANSWERED && (ta.known & PT_TASK_CGROUP))
			cgid = ta.cgroup_id;
	}
	/* With a pidfd, the proof that stat is its process: it is not
	 * reaped yet, so its PID was never free since pidfd_open.  At once,
	 * so that a process reaped during the reads still counts. */
	if (have_creds)
		r = 0;
	else if (pidfd >= 0 && pidfd_info_works)
		r = pidfd_creds(pidfd, cap, &cgid);
	else
		r = -ENOTTY;
	if (r == 0) {
		cap->flags |= PT_CAP_CREDS;
		alive = true;
	} else if (r == -ESRCH) {
		alive = false;
	} else {
		if (pidfd >= 0 && pidfd_info_works)
			pidfd_info_works = false;	/* before 6.13 */
		n = read_at(pfile(&d, "status"), status, sizeof(status));
		if (n > 0 && procfs_parse_status(status, (size_t)n, cap) == 0)
			cap->flags |= PT_CAP_CREDS | PT_CAP_COMM;
		if (pidfd < 0 && (n <= 0 ||
		    procfs_status_tgid(status, (size_t)n) != tgid)) {
			/* No pidfd, and no program's answer: status says
			 * whether the number is a process's, not a thread's
			 * of another (which pidfd_open refuses); stat's
			 * second read says the rest. */
			used = drop(cap, n > 0 ? PT_CAP_MISMATCH : PT_CAP_GONE);
			cap->start_ticks = 0;
			cap->ppid = 0;
			goto out;
		}
		alive = pidfd < 0 || pidfd_send_signal(pidfd, 0, NULL, 0) == 0 ||
		    errno != ESRCH;
	}
	if (!alive) {
		/* reaped meanwhile: stat may be a later process's */
		used = drop(cap, PT_CAP_GONE);
		goto out;
	}
	cap->flags |= PT_CAP_VERIFIED;
	if (proc_state_dead(st1.state))
		cap->flags |= PT_CAP_GONE;
	if (stat_comm(stat, stat_len, cap->comm, sizeof(cap->comm)) == 0)
		cap->flags |= PT_CAP_COMM;

	/* argv first: it disappears first (with the mm, at exit) */
	if (!(cap->flags & PT_CAP_GONE) && data_size > 0) {
		room = argv_max < data_size ? argv_max : data_size;
		n = read_at_more(pfile(&d, "cmdline"), data, room, &more);
		if (n > 0) {
			cap->flags |= PT_CAP_ARGV;
			cap->argv_len = (uint32_t)n;
			used = (size_t)n;
			if (more)
				cap->flags |= PT_CAP_TRUNC;
		} else if (n == 0) {
			/* Empty.  Since Linux 5.18 every exec has at least
			 * one argument, so a user process with an empty
			 * cmdline has released its memory (it is exiting,
			 * its stat may not say Z yet) or an exec is still
			 * building the new one.  Kernel threads have no
			 * argv at all. */
			if (st1.flags & PT_KF_KTHREAD)
				cap->flags |= PT_CAP_ARGV;
			else
				cap->flags |= PT_CAP_GONE;
		} else {
			cap->flags |= PT_CAP_GONE;
		}
	}
	if (!(cap->flags & PT_CAP_GONE) && data_size - used > 1) {
		room = data_size - used;
		if (room > 4096)
			room = 4096;
		n = readlink(pfile(&d, "exe"), data + used, room);
		if (n > 0 && (size_t)n < room) {
			cap->exe_len = (uint16_t)n;
			used += (size_t)n;
			cap->flags |= PT_CAP_EXE;
		}
	}
	if (!(cap->flags & PT_CAP_GONE) && data_size - used > 1) {
		room = data_size - used;
		if (room > 4096)
			room = 4096;
		n = readlink(pfile(&d, "cwd"), data + used, room);
		if (n > 0 && (size_t)n < room) {
			cap->cwd_len = (uint16_t)n;
			used += (size_t)n;
			cap->flags |= PT_CAP_CWD;
		}
	}
	if (data_size - used > 1) {
		room = data_size - used;
		if (room > 4096)
			room = 4096;
		n = cgid ? (ssize_t)cg_lookup(cgid, data + used, room) : 0;
		if (n == 0) {
			n = read_at(pfile(&d, "cgroup"), data + used, room);
			if (n > 0)
				n = (ssize_t)cgroup_pick(data + used, (size_t)n);
			if (n > 0 && cgid)
				cg_store(cgid, data + used, (size_t)n);
		}
		if (n > 0) {
			cap->cgroup_len = (uint16_t)n;
			used += (size_t)n;
			cap->flags |= PT_CAP_CGROUP;
		}
	}
	if (!(cap->flags & PT_CAP_GONE)) {
		struct stat xst;

		if ((cap->flags & PT_CAP_EXE) &&
		    fstatat(AT_FDCWD, pfile(&d, "exe"), &xst, 0) == 0) {
			cap->exe_dev = (uint64_t)xst.st_dev;
			cap->exe_ino = (uint64_t)xst.st_ino;
			cap->exe_size = (uint64_t)xst.st_size;
			cap->exe_mtime = ts_ns(&xst.st_mtim);
			cap->exe_ctime = ts_ns(&xst.st_ctim);
			cap->flags |= PT_CAP_FILE;
		}
		if (bpf == TASK_BPF_ANSWERED) {
			task_bpf_context(&ta, &d, tgid, cap);
		} else {
			if (read_login(&d, cap) == 0)
				cap->flags |= PT_CAP_LOGIN;
			read_ns(pidfd, &d, tgid, cap);
		}
	}
	/* The image at the end of the reads: the same as at their start,
	 * and not one an exec is still building?  (An exit only takes the
	 * layout away: the mm is gone, the process dying.) */
	if (stat_read(sfd, true, stat, sizeof(stat), &stat_len, &st2) < 0) {
		used = drop(cap, PT_CAP_GONE);
		goto out;
	}
	task_bpf_done(bpf, tgid);
	cap->state = st2.state;
	cap->exit_code = st2.exit_code;
	cap->tty_nr = (uint32_t)st2.tty_nr;
	cap->flags |= PT_CAP_TTY;
	if ((st2.layout != st1.layout && (st2.layout != 0 ||
	    !(proc_state_dead(st2.state) || (st2.flags & PT_KF_EXITING)))) ||
	    st1.building || st2.building) {
		used = drop(cap, PT_CAP_RACED);
		goto out;
	}
	cap->layout = st2.layout;
out:
	cap->t_done = mono_now();
	if (sfd >= 0)
		close(sfd);
	if (pidfd >= 0)
		close(pidfd);
	return used;
}

int
procfs_boot_id(char *buf, size_t size)
{
	ssize_t n;
	int fd;

	if (size < 37)
		return -EINVAL;
	fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, 36);
	close(fd);
	if (n != 36)
		return -EIO;
	buf[36] = '\0';
	return 0;
}

void
procfs_slow_paths(bool on)
{
	ns_ioctl_works = !on;
	taskbpf_off(on);
}

int
procfs_pid_max(void)
{
	uint32_t v;

	if (read_u32_at("/proc/sys/kernel/pid_max", &v) < 0)
		return 0;
	return v > 0 && v <= 4194304 ? (int)v : 0;
}
