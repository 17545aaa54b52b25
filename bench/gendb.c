/*
 * gendb: generate a realistic proctrail database for the query benchmark.
 *
 * usage: gendb [-n PROCESSES] [-s SEED] [-d DAYS] [--no-events] DB
 *        gendb --add-indexes DB
 *
 * Writes through the real schema (db_open_rw, the embedded schema):
 * one boot, one collector session, DAYS days (default 30) of history with
 * PROCESSES instances (default 10,000,000) and their exec rows, fork/exec/
 * exit events plus rarer uid/gid/sid/comm/ptrace/coredump events, and a
 * few gaps.  The history is made of jobs, spread evenly over the days:
 *   builds	ci-runner -> make -> make -C dir -> sh -c -> gcc -> cc1/as, ld
 *   logins	sshd -> sshd -> bash -> commands (some with children)
 *   cron	cron -> cron -> sh -c run-parts -> scripts -> commands
 *   scripts	bash script.sh -> subshells (fork only) and short commands
 * plus one giant build at mid-span with about 100,000 descendants (the
 * "tree" target), rooted at the process that "--print-targets" names.
 * PIDs cycle through 300..4194303 as the kernel's do, so PIDs repeat.
 * Exec rows are laid out as the collector writes them since version 5:
 * the executable and the cgroup are rows of table file and cgroup (each
 * stored once, the cgroup's unit parsed), the namespaces the host's one
 * set, ns_pid the PID; no login or terminal (daemons and cron have none).
 *
 * --add-indexes adds the indexes proposed in docs/performance.md to an
 * existing database.  Output on stdout: the ids worth querying.
 *
 * Deterministic for a given seed: xorshift64*, no time().
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/types.h>
#include <sqlite3.h>

#include "cgroup.h"
#include "db.h"

#define NS		INT64_C(1000000000)
#define MS		INT64_C(1000000)
#define T0		(INT64_C(1711929600) * NS)	/* 2024-04-01T00:00:00Z */
#define PID_MIN		300
#define PID_MAX		4194304

/* The query indexes of schema v2 (002-query-indexes.sql), for databases
 * generated with an older build. */
static const char extra_indexes[] =
    "CREATE INDEX IF NOT EXISTS process_long ON process(start)"
    " WHERE end IS NULL OR end - start > 3600000000000;"
    "CREATE INDEX IF NOT EXISTS event_process ON event(process)"
    " WHERE type > 2 AND type < 2147483648;";

static uint64_t rng_state = 88172645463325252ULL;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* Uniform in [lo, hi]. */
static int64_t
range(int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

/* Short durations, heavy-tailed: mostly ms, sometimes seconds or more. */
static int64_t
short_dur(void)
{
	int64_t d = range(1, 40) * MS;

	while (rnd() % 4 == 0)
		d *= 4;
	return d;
}

struct proc {
	int64_t	id, tgid, start, end, parent, ppid, image;
	int	status, uid, execs, flags, running;
	int	fbe;	/* forked_before_exec: 1, 0, -1 not known */
	char	comm[16];
};

struct xrow {
	int64_t	id, process, time, tgid;
	int	uid;
	size_t	argvlen;
	char	argv[200];
	char	exe[64];
	char	cwd[48];
	char	cgroup[48];
};

struct ev {
	int64_t	time, process, pid, ppid, rid, eid;
	int	type, status, has_status;
	char	comm[16];
};

/* One job's rows, buffered so a parent's end can follow its children. */
static struct job {
	struct proc	*p;
	size_t		 np, capp;
	struct xrow	*x;
	size_t		 nx, capx;
	struct ev	*e;
	size_t		 ne, cape;
} job;

static int64_t next_id = 1, next_exec = 1, next_pid = 1000, n_done;
static int no_events;

static void *
grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 1024;
	v = realloc(v, *cap * size);
	if (!v)
		err(1, "realloc");
	return v;
}

static int64_t
alloc_pid(void)
{
	int64_t pid = next_pid++;

	if (next_pid >= PID_MAX)
		next_pid = PID_MIN;
	return pid;
}

static void
event(int type, int64_t time, const struct proc *p, int64_t ppid)
{
	struct ev *e;

	if (no_events)
		return;
	job.e = grow(job.e, &job.cape, job.ne, sizeof(*job.e));
	e = &job.e[job.ne++];
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->time = time;
	e->process = p->id;
	e->pid = p->tgid;
	e->ppid = ppid;
	snprintf(e->comm, sizeof(e->comm), "%s", p->comm);
}

/* Index of a new process in job.p, forked by parent index par (or -1 with
 * explicit parent id/pid/image for roots of a job). */
static size_t
fork_proc(ssize_t par, int64_t pid_parent, int64_t id_parent, int64_t image,
    int64_t t, int uid, const char *comm)
{
	struct proc *p;

	job.p = grow(job.p, &job.capp, job.np, sizeof(*job.p));
	p = &job.p[job.np];
	memset(p, 0, sizeof(*p));
	p->id = next_id++;
	p->tgid = alloc_pid();
	p->start = t;
	if (par >= 0) {
		p->parent = job.p[par].id;
		p->ppid = job.p[par].tgid;
		p->image = job.p[par].image;
		p->uid = job.p[par].uid;
		if (job.p[par].execs == 0 && job.p[par].fbe == 0)
			job.p[par].fbe = 1;	/* as the collector's tracker */
		memcpy(p->comm, job.p[par].comm, sizeof(p->comm));
	} else {
		p->parent = id_parent;
		p->ppid = pid_parent;
		p->image = image;
		p->uid = uid;
		snprintf(p->comm, sizeof(p->comm), "%s", comm);
	}
	event(1, t, p, p->ppid);
	return job.np++;
}

/* exec in process i at time t: argv given as "a\0b\0c\0" with length. */
static void
exec_proc(size_t i, int64_t t, const char *exe, const char *argv, size_t len,
    const char *cwd)
{
	struct proc *p = &job.p[i];
	struct xrow *x;
	const char *base;

	job.x = grow(job.x, &job.capx, job.nx, sizeof(*job.x));
	x = &job.x[job.nx++];
	x->id = next_exec++;
	x->process = p->id;
	x->tgid = p->tgid;
	x->time = t;
	x->uid = p->uid;
	if (len > sizeof(x->argv))
		len = sizeof(x->argv);
	memcpy(x->argv, argv, len);
	x->argvlen = len;
	snprintf(x->exe, sizeof(x->exe), "%s", exe);
	snprintf(x->cwd, sizeof(x->cwd), "%s", cwd);
	snprintf(x->cgroup, sizeof(x->cgroup), "%s", p->uid ?
	    "/user.slice/user-1000.slice/session-4.scope" : "/system.slice/cron.service");
	p->image = x->id;
	p->execs++;
	base = strrchr(exe, '/');
	snprintf(p->comm, sizeof(p->comm), "%s", base ? base + 1 : exe);
	event(2, t, p, 0);
}

/* Build an argv blob from a printf format whose arguments are separated by
 * '|'; returns its length. */
static size_t
mkargv(char *buf, size_t size, const char *fmt, ...)
    __attribute__((__format__(printf, 3, 4)));

static size_t
mkargv(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n, i;

	va_start(ap, fmt);
	vsnprintf(buf, size - 1, fmt, ap);
	va_end(ap);
	n = strlen(buf) + 1;
	for (i = 0; i < n; i++)
		if (buf[i] == '|')
			buf[i] = '\0';
	return n;
}

static void
exit_proc(size_t i, int64_t t)
{
	struct proc *p = &job.p[i];
	uint64_t r = rnd() % 1000;

	if (t <= p->start)
		t = p->start + 1000;
	p->end = t;
	if (r < 950)
		p->status = 0;
	else if (r < 985)
		p->status = (int)range(1, 2) << 8;
	else if (r < 993)
		p->status = 15;			/* SIGTERM */
	else if (r < 998)
		p->status = 9;			/* SIGKILL */
	else
		p->status = 11 | 128;		/* SIGSEGV, core */
	if (p->status == (11 | 128))
		event(0x40000000, t - MS, p, p->ppid);
	if (!no_events) {
		event((int)0x80000000, t, p, p->ppid);
		job.e[job.ne - 1].status = p->status;
		job.e[job.ne - 1].has_status = 1;
	}
}

/* A leaf command: fork, exec, run briefly, exit; returns its end. */
static int64_t
command(size_t par, int64_t t, const char *exe, const char *argv, size_t len,
    const char *cwd)
{
	size_t i = fork_proc((ssize_t)par, 0, 0, 0, t, 0, NULL);
	int64_t end;

	exec_proc(i, t + range(100, 900) * 1000, exe, argv, len, cwd);
	if (!no_events && rnd() % 200 == 0) {
		event(512, t + MS, &job.p[i], 0);	/* prctl(PR_SET_NAME) */
		snprintf(job.p[i].comm, sizeof(job.p[i].comm), "worker-%d",
		    (int)range(0, 9));
		snprintf(job.e[job.ne - 1].comm, sizeof(job.e[0].comm), "%s",
		    job.p[i].comm);
	}
	end = t + short_dur();
	exit_proc(i, end);
	return end;
}

static const char *const tools[] = {
	"ls", "cat", "grep", "sed", "awk", "git", "find", "date", "sort",
	"head", "tail", "wc", "stat", "readlink", "cut", "tr", "xargs", "env",
};

static int64_t
tool(size_t par, int64_t t, const char *cwd)
{
	char argv[200], exe[64];
	const char *tl = tools[rnd() % (sizeof(tools) / sizeof(tools[0]))];
	size_t n;

	snprintf(exe, sizeof(exe), "/usr/bin/%s", tl);
	n = mkargv(argv, sizeof(argv), "%s|-%c|file%" PRId64 ".txt|dir%d/",
	    tl, (char)range('a', 'z'), range(0, 99999), (int)range(0, 999));
	return command(par, t, exe, argv, n, cwd);
}

/* ci-runner -> make -> make -C dirN -> sh -c gcc -> gcc -> cc1, as; ld */
static void
job_build(int64_t t, int64_t runner_id, int64_t runner_pid, int64_t runner_img,
    int dirs, int files)
{
	char argv[200], cwd[48];
	size_t mk, sub, sh, gcc, i;
	int64_t tt, te, tsub;
	size_t n;
	int d, f;

	mk = fork_proc(-1, runner_pid, runner_id, runner_img, t, 1001,
	    "ci-runner");
	snprintf(cwd, sizeof(cwd), "/srv/ci/build%" PRId64, range(0, 999));
	n = mkargv(argv, sizeof(argv), "make|-j2|all");
	exec_proc(mk, t + MS, "/usr/bin/make", argv, n, cwd);
	tt = t + 2 * MS;
	for (d = 0; d < dirs; d++) {
		sub = fork_proc((ssize_t)mk, 0, 0, 0, tt, 0, NULL);
		n = mkargv(argv, sizeof(argv), "make|-C|src/mod%d|all", d);
		exec_proc(sub, tt + MS, "/usr/bin/make", argv, n, cwd);
		tsub = tt + 2 * MS;
		for (f = 0; f < files; f++) {
			sh = fork_proc((ssize_t)sub, 0, 0, 0, tsub, 0, NULL);
			n = mkargv(argv, sizeof(argv),
			    "/bin/sh|-c|gcc -O2 -c -o mod%d/f%d.o mod%d/f%d.c",
			    d, f, d, f);
			exec_proc(sh, tsub + 300000, "/usr/bin/dash", argv, n, cwd);
			gcc = fork_proc((ssize_t)sh, 0, 0, 0, tsub + MS, 0, NULL);
			n = mkargv(argv, sizeof(argv),
			    "gcc|-O2|-c|-o|mod%d/f%d.o|mod%d/f%d.c", d, f, d, f);
			exec_proc(gcc, tsub + MS + 400000, "/usr/bin/gcc", argv, n,
			    cwd);
			n = mkargv(argv, sizeof(argv),
			    "/usr/lib/gcc/x86_64-linux-gnu/12/cc1|-quiet|mod%d/f%d.c|"
			    "-O2|-o|/tmp/cc%06" PRId64 ".s", d, f, range(0, 999999));
			te = command(gcc, tsub + 2 * MS, "/usr/lib/gcc/x86_64-linux-gnu/12/cc1",
			    argv, n, cwd);
			n = mkargv(argv, sizeof(argv), "as|--64|-o|mod%d/f%d.o|"
			    "/tmp/cc%06" PRId64 ".s", d, f, range(0, 999999));
			te = command(gcc, te + MS, "/usr/bin/as", argv, n, cwd);
			exit_proc(gcc, te + MS);
			exit_proc(sh, te + 2 * MS);
			tsub = te + 3 * MS;
		}
		i = fork_proc((ssize_t)sub, 0, 0, 0, tsub, 0, NULL);
		n = mkargv(argv, sizeof(argv), "ld|-o|mod%d.so|-shared|mod%d/*.o",
		    d, d);
		exec_proc(i, tsub + MS, "/usr/bin/ld", argv, n, cwd);
		exit_proc(i, tsub + 50 * MS);
		exit_proc(sub, tsub + 51 * MS);
		tt = tsub + 52 * MS;
	}
	exit_proc(mk, tt + MS);
}

/* sshd -> sshd -> bash -> commands */
static void
job_login(int64_t t, int64_t sshd_id, int64_t sshd_img, int ncmd)
{
	char argv[200], cwd[48];
	size_t priv, sess, sh, py;
	int64_t tt;
	size_t n;
	int uid = (int)range(1000, 1009), c;

	priv = fork_proc(-1, 200, sshd_id, sshd_img, t, 0, "sshd");
	n = mkargv(argv, sizeof(argv), "sshd: user%d [priv]", uid);
	exec_proc(priv, t + MS, "/usr/sbin/sshd", argv, n, "/");
	sess = fork_proc((ssize_t)priv, 0, 0, 0, t + 20 * MS, 0, NULL);
	job.p[sess].uid = uid;
	if (!no_events) {
		event(4, t + 21 * MS, &job.p[sess], 0);
		job.e[job.ne - 1].rid = uid;
		job.e[job.ne - 1].eid = uid;
	}
	event(128, t + 22 * MS, &job.p[sess], 0);
	sh = fork_proc((ssize_t)sess, 0, 0, 0, t + 30 * MS, 0, NULL);
	n = mkargv(argv, sizeof(argv), "-bash");
	snprintf(cwd, sizeof(cwd), "/home/user%d", uid);
	exec_proc(sh, t + 31 * MS, "/usr/bin/bash", argv, n, cwd);
	tt = t + 2 * NS;
	for (c = 0; c < ncmd; c++) {
		if (rnd() % 10 == 0) {
			/* a command with its own children */
			py = fork_proc((ssize_t)sh, 0, 0, 0, tt, 0, NULL);
			n = mkargv(argv, sizeof(argv), "python3|tool%d.py|--verbose",
			    (int)range(0, 99));
			exec_proc(py, tt + MS, "/usr/bin/python3.11", argv, n, cwd);
			for (int k = 0; k < 3; k++)
				tt = tool(py, tt + 5 * MS, cwd);
			exit_proc(py, tt + 10 * MS);
		} else if (rnd() % 50 == 0) {
			/* sudo: uid change in the child */
			py = fork_proc((ssize_t)sh, 0, 0, 0, tt, 0, NULL);
			n = mkargv(argv, sizeof(argv), "sudo|systemctl|restart|app%d",
			    (int)range(0, 9));
			exec_proc(py, tt + MS, "/usr/bin/sudo", argv, n, cwd);
			event(4, tt + 30 * MS, &job.p[py], 0);
			job.p[py].uid = 0;
			tt = tool(py, tt + 40 * MS, cwd);
			exit_proc(py, tt + 10 * MS);
		} else {
			tt = tool(sh, tt, cwd);
		}
		tt += range(1, 60) * NS;
	}
	exit_proc(sh, tt + NS);
	exit_proc(sess, tt + NS + 10 * MS);
	exit_proc(priv, tt + NS + 20 * MS);
}

/* cron -> cron -> sh -c run-parts -> run-parts -> scripts -> commands */
static void
job_cron(int64_t t, int64_t cron_id, int64_t cron_img, int nscripts)
{
	char argv[200];
	size_t c, sh, rp, s;
	int64_t tt;
	size_t n;

	c = fork_proc(-1, 610, cron_id, cron_img, t, 0, "cron");
	sh = fork_proc((ssize_t)c, 0, 0, 0, t + MS, 0, NULL);
	n = mkargv(argv, sizeof(argv), "/bin/sh|-c|cd / && run-parts --report /etc/cron.hourly");
	exec_proc(sh, t + 2 * MS, "/usr/bin/dash", argv, n, "/");
	rp = fork_proc((ssize_t)sh, 0, 0, 0, t + 3 * MS, 0, NULL);
	n = mkargv(argv, sizeof(argv), "run-parts|--report|/etc/cron.hourly");
	exec_proc(rp, t + 4 * MS, "/usr/bin/run-parts", argv, n, "/");
	tt = t + 5 * MS;
	for (int i = 0; i < nscripts; i++) {
		s = fork_proc((ssize_t)rp, 0, 0, 0, tt, 0, NULL);
		n = mkargv(argv, sizeof(argv), "/bin/sh|/etc/cron.hourly/job%d",
		    (int)range(0, 20));
		exec_proc(s, tt + MS, "/usr/bin/dash", argv, n, "/");
		tt = tool(s, tt + 2 * MS, "/");
		exit_proc(s, tt + MS);
		tt += 2 * MS;
	}
	exit_proc(rp, tt + MS);
	exit_proc(sh, tt + 2 * MS);
	exit_proc(c, tt + 3 * MS);
}

/* bash script.sh -> subshells (no exec) and commands */
static void
job_script(int64_t t, int64_t parent_id, int64_t parent_img, int n_iter)
{
	char argv[200];
	size_t b, sub;
	int64_t tt;
	size_t n;

	b = fork_proc(-1, 610, parent_id, parent_img, t, 0, "cron");
	n = mkargv(argv, sizeof(argv), "bash|/usr/local/bin/backup-%d.sh",
	    (int)range(0, 30));
	exec_proc(b, t + MS, "/usr/bin/bash", argv, n, "/var/backups");
	tt = t + 2 * MS;
	for (int i = 0; i < n_iter; i++) {
		if (rnd() % 3 == 0) {
			sub = fork_proc((ssize_t)b, 0, 0, 0, tt, 0, NULL);
			tt = tool(sub, tt + MS, "/var/backups");
			exit_proc(sub, tt + MS);
		} else
			tt = tool(b, tt, "/var/backups");
		tt += MS;
	}
	exit_proc(b, tt + MS);
}

/* Insert statements, prepared once. */
static sqlite3_stmt *ins_proc, *ins_exec, *ins_event, *ins_cmd, *ins_file;
static sqlite3_stmt *ins_cgroup;
static sqlite3 *db;

static void
check(int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		errx(1, "%s: %s", what, sqlite3_errmsg(db));
}

static void
prepare(void)
{
	check(sqlite3_prepare_v3(db,
	    "INSERT INTO process(id, boot, tgid, start_ticks, start, parent, ppid,"
	    " end, status, uid, euid, gid, egid, comm, image, execs, flags,"
	    " forked_before_exec)"
	    " VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?9, ?9, ?10, ?11,"
	    " ?12, ?13, ?14)", -1, SQLITE_PREPARE_PERSISTENT, &ins_proc, NULL),
	    "prepare process");
	/* as the collector writes them since version 5: the executable,
	 * the cgroup and the namespaces are rows of their own */
	check(sqlite3_prepare_v3(db,
	    "INSERT INTO exec(id, process, time, cmdline, cwd, comm,"
	    " uid, euid, gid, egid, capture, file, cgroup_id, ns, ns_pid)"
	    " VALUES (?1, ?2, ?3, (SELECT id FROM cmdline WHERE argv = ?4),"
	    " ?6, ?8, ?9, ?9, ?9, ?9, ?10, ?5, ?7, 1, ?11)", -1,
	    SQLITE_PREPARE_PERSISTENT, &ins_exec, NULL), "prepare exec");
	check(sqlite3_prepare_v3(db,
	    "INSERT INTO file(id, path, dev, ino, size, mtime, ctime)"
	    " VALUES (?1, ?2, 2049, ?3, ?4, ?5, ?5)", -1,
	    SQLITE_PREPARE_PERSISTENT, &ins_file, NULL), "prepare file");
	check(sqlite3_prepare_v3(db,
	    "INSERT INTO cgroup(id, path, unit, container, pod)"
	    " VALUES (?1, ?2, nullif(?3, ''), nullif(?4, ''), nullif(?5, ''))",
	    -1, SQLITE_PREPARE_PERSISTENT, &ins_cgroup, NULL), "prepare cgroup");
	/* each distinct command line once, as the collector stores them */
	check(sqlite3_prepare_v3(db,
	    "INSERT INTO cmdline(argv) SELECT ?1 WHERE NOT EXISTS"
	    " (SELECT 1 FROM cmdline WHERE argv = ?1)", -1,
	    SQLITE_PREPARE_PERSISTENT, &ins_cmd, NULL), "prepare cmdline");
	check(sqlite3_prepare_v3(db,
	    "INSERT INTO event(session, mono, cpu, type, pid, tgid, ppid, ptgid,"
	    " status, signal, rid, eid, comm, process)"
	    " VALUES (1, ?1, ?2, ?3, ?4, ?4, ?5, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", -1,
	    SQLITE_PREPARE_PERSISTENT, &ins_event, NULL), "prepare event");
}

static int
cmp_proc(const void *a, const void *b)
{
	const struct proc *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int
cmp_ev(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;

	return x->time < y->time ? -1 : x->time > y->time;
}

/*
 * Executables and cgroups, each stored once with an id of its own: a
 * small table of the strings seen (there are some hundreds), a row
 * written the first time.
 */
struct interned {
	char	**keys;
	size_t	  n, cap;
	int	  kind;		/* 0 file, 1 cgroup */
};
static struct interned files = { NULL, 0, 0, 0 };
static struct interned cgroups = { NULL, 0, 0, 1 };

static uint64_t
fnv(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

static int64_t
intern(struct interned *t, const char *key)
{
	char unit[256], container[256], pod[64];
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->keys[i], key) == 0)
			return (int64_t)i + 1;
	t->keys = grow(t->keys, &t->cap, t->n, sizeof(*t->keys));
	t->keys[t->n] = strdup(key);
	if (!t->keys[t->n]) {
		fprintf(stderr, "gendb: out of memory\n");
		exit(1);
	}
	i = t->n++;
	if (t->kind == 0) {
		sqlite3_bind_int64(ins_file, 1, (int64_t)i + 1);
		sqlite3_bind_text(ins_file, 2, key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins_file, 3, (int64_t)(fnv(key) % 4000000));
		sqlite3_bind_int64(ins_file, 4,
		    (int64_t)(10000 + fnv(key) % 2000000));
		sqlite3_bind_int64(ins_file, 5, T0 - 86400 * 1000 * MS);
		check(sqlite3_step(ins_file), "insert file");
		sqlite3_reset(ins_file);
	} else {
		(void)pt_cgroup_unit(key, unit, sizeof(unit));
		(void)pt_cgroup_container(key, container, sizeof(container));
		(void)pt_cgroup_pod(key, pod, sizeof(pod));
		sqlite3_bind_int64(ins_cgroup, 1, (int64_t)i + 1);
		sqlite3_bind_text(ins_cgroup, 2, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins_cgroup, 3, unit, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins_cgroup, 4, container, -1,
		    SQLITE_TRANSIENT);
		sqlite3_bind_text(ins_cgroup, 5, pod, -1, SQLITE_TRANSIENT);
		check(sqlite3_step(ins_cgroup), "insert cgroup");
		sqlite3_reset(ins_cgroup);
	}
	return (int64_t)i + 1;
}

static void
flush_job(void)
{
	size_t i;

	qsort(job.p, job.np, sizeof(*job.p), cmp_proc);
	for (i = 0; i < job.np; i++) {
		struct proc *p = &job.p[i];

		sqlite3_bind_int64(ins_proc, 1, p->id);
		sqlite3_bind_int64(ins_proc, 2, p->tgid);
		sqlite3_bind_int64(ins_proc, 3, (p->start - T0) / (10 * MS));
		sqlite3_bind_int64(ins_proc, 4, p->start);
		if (p->parent)
			sqlite3_bind_int64(ins_proc, 5, p->parent);
		else
			sqlite3_bind_null(ins_proc, 5);
		sqlite3_bind_int64(ins_proc, 6, p->ppid);
		if (p->running) {
			sqlite3_bind_null(ins_proc, 7);
			sqlite3_bind_null(ins_proc, 8);
		} else {
			sqlite3_bind_int64(ins_proc, 7, p->end);
			sqlite3_bind_int(ins_proc, 8, p->status);
		}
		sqlite3_bind_int(ins_proc, 9, p->uid);
		sqlite3_bind_text(ins_proc, 10, p->comm, -1, SQLITE_STATIC);
		if (p->image)
			sqlite3_bind_int64(ins_proc, 11, p->image);
		else
			sqlite3_bind_null(ins_proc, 11);
		sqlite3_bind_int(ins_proc, 12, p->execs);
		sqlite3_bind_int(ins_proc, 13, p->flags);
		if (p->fbe >= 0)
			sqlite3_bind_int(ins_proc, 14, p->fbe);
		else
			sqlite3_bind_null(ins_proc, 14);
		check(sqlite3_step(ins_proc), "insert process");
		sqlite3_reset(ins_proc);
	}
	for (i = 0; i < job.nx; i++) {
		struct xrow *x = &job.x[i];
		const char *base = strrchr(x->exe, '/');
		int64_t file = intern(&files, x->exe), cg = intern(&cgroups,
		    x->cgroup);

		sqlite3_bind_blob(ins_cmd, 1, x->argv, (int)x->argvlen,
		    SQLITE_STATIC);
		check(sqlite3_step(ins_cmd), "insert cmdline");
		sqlite3_reset(ins_cmd);
		sqlite3_bind_int64(ins_exec, 1, x->id);
		sqlite3_bind_int64(ins_exec, 2, x->process);
		sqlite3_bind_int64(ins_exec, 3, x->time);
		sqlite3_bind_blob(ins_exec, 4, x->argv, (int)x->argvlen, SQLITE_STATIC);
		sqlite3_bind_int64(ins_exec, 5, file);
		sqlite3_bind_text(ins_exec, 6, x->cwd, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins_exec, 7, cg);
		sqlite3_bind_int64(ins_exec, 11, x->tgid);
		sqlite3_bind_text(ins_exec, 8, base ? base + 1 : x->exe, 15,
		    SQLITE_STATIC);
		sqlite3_bind_int(ins_exec, 9, x->uid);
		/* argv..comm, namespaces, file, tty; verified but 1 in 50 */
		sqlite3_bind_int(ins_exec, 10, rnd() % 50 ? 0x301bf : 0x300bf);
		check(sqlite3_step(ins_exec), "insert exec");
		sqlite3_reset(ins_exec);
	}
	qsort(job.e, job.ne, sizeof(*job.e), cmp_ev);
	for (i = 0; i < job.ne; i++) {
		struct ev *e = &job.e[i];

		sqlite3_bind_int64(ins_event, 1, e->time - T0);
		sqlite3_bind_int(ins_event, 2, (int)(e->pid & 1));
		sqlite3_bind_int64(ins_event, 3, (int64_t)(uint32_t)e->type);
		sqlite3_bind_int64(ins_event, 4, e->pid);
		if (e->ppid)
			sqlite3_bind_int64(ins_event, 5, e->ppid);
		else
			sqlite3_bind_null(ins_event, 5);
		if (e->has_status) {
			sqlite3_bind_int(ins_event, 6, e->status);
			sqlite3_bind_int(ins_event, 7, 17);
		} else {
			sqlite3_bind_null(ins_event, 6);
			sqlite3_bind_null(ins_event, 7);
		}
		if (e->type == 4 || e->type == 64) {
			sqlite3_bind_int64(ins_event, 8, e->rid);
			sqlite3_bind_int64(ins_event, 9, e->eid);
		} else {
			sqlite3_bind_null(ins_event, 8);
			sqlite3_bind_null(ins_event, 9);
		}
		if (e->type == 512)
			sqlite3_bind_text(ins_event, 10, e->comm, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(ins_event, 10);
		sqlite3_bind_int64(ins_event, 11, e->process);
		check(sqlite3_step(ins_event), "insert event");
		sqlite3_reset(ins_event);
	}
	n_done += (int64_t)job.np;
	job.np = job.nx = job.ne = 0;
}

static void
exec_sql(const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		errx(1, "%s: %s", sql, msg);
}

/* The long-running daemons, as the collector's /proc snapshot finds them. */
struct daemon {
	const char	*exe;
	const char	*argv;		/* '|' separated */
	int64_t		 pid;
	int64_t		 id, image;
};

static struct daemon daemons[] = {
	{ "/usr/lib/systemd/systemd", "/sbin/init", 1, 0, 0 },
	{ "/usr/sbin/sshd", "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups", 200, 0, 0 },
	{ "/usr/sbin/cron", "/usr/sbin/cron|-f", 610, 0, 0 },
	{ "/usr/local/bin/ci-runner", "ci-runner|--config|/etc/ci/runner.toml", 700, 0, 0 },
	{ "/usr/lib/systemd/systemd-journald", "/usr/lib/systemd/systemd-journald", 180, 0, 0 },
	{ "/usr/sbin/rsyslogd", "/usr/sbin/rsyslogd|-n|-iNONE", 620, 0, 0 },
	{ "/usr/sbin/nginx", "nginx: master process /usr/sbin/nginx -g daemon on;", 800, 0, 0 },
};
#define NDAEMONS (sizeof(daemons) / sizeof(daemons[0]))

static void
snapshot(void)
{
	char argv[200];
	size_t i, k, n;

	for (i = 0; i < NDAEMONS; i++) {
		k = fork_proc(-1, i ? 1 : 0, i ? daemons[0].id : 0,
		    0, T0 + (int64_t)i * MS, 0, "");
		job.p[k].tgid = daemons[i].pid;
		job.p[k].flags = 1;
		job.p[k].fbe = -1;	/* a snapshot's: not known */
		job.p[k].running = 1;
		n = mkargv(argv, sizeof(argv), "%s", daemons[i].argv);
		exec_proc(k, T0 + (int64_t)i * MS, daemons[i].exe, argv, n, "/");
		job.p[k].execs = 0;
		daemons[i].id = job.p[k].id;
		daemons[i].image = job.p[k].image;
	}
	job.ne = 0;	/* a snapshot has no fork/exec events */
	flush_job();
}

static void
usage(void)
{
	fprintf(stderr, "usage: gendb [-n PROCESSES] [-s SEED] [-d DAYS] "
	    "[--no-events] DB\n       gendb --add-indexes DB\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "no-events", no_argument, NULL, 'E' },
		{ "add-indexes", no_argument, NULL, 'I' },
		{ NULL, 0, NULL, 0 }
	};
	int64_t target = 10000000, days = 30, span, t, giant_at, giant_id = 0;
	int64_t last_commit = 0, gaps = 0;
	int c, r, add_indexes = 0, giant_done = 0;
	struct timespec t0, t1;

	while ((c = getopt_long(argc, argv, "n:s:d:", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			target = strtoll(optarg, NULL, 10);
			break;
		case 's':
			rng_state ^= strtoull(optarg, NULL, 10) * 0x9e3779b97f4a7c15ULL;
			break;
		case 'd':
			days = strtoll(optarg, NULL, 10);
			break;
		case 'E':
			no_events = 1;
			break;
		case 'I':
			add_indexes = 1;
			break;
		default:
			usage();
		}
	}
	if (optind + 1 != argc || target < 1000 || days < 1)
		usage();
	if (add_indexes) {
		if ((r = db_open_rw(argv[optind], &db)) < 0)
			errx(1, "%s: %s", argv[optind], db_strerror(r));
		exec_sql("PRAGMA cache_size=-2000000");
		exec_sql(extra_indexes);
		exec_sql("ANALYZE");
		sqlite3_close(db);
		return 0;
	}
	if ((r = db_open_rw(argv[optind], &db)) < 0)
		errx(1, "%s: %s", argv[optind], db_strerror(r));
	/* bulk load: a big cache keeps the random-key identity index in RAM */
	exec_sql("PRAGMA cache_size=-4000000; PRAGMA synchronous=OFF");
	/* each distinct command line once: found by this index, dropped at
	 * the end (the collector keeps none; see schema/004-cmdline.sql) */
	exec_sql("CREATE INDEX gendb_cmdline ON cmdline(argv)");
	/* the host's namespaces, the one set every process here ran in */
	exec_sql("INSERT INTO ns(id, pid_ns, mnt_ns, user_ns)"
	    " VALUES (1, 4026531836, 4026531841, 4026531837)");
	prepare();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	exec_sql("BEGIN");
	exec_sql("INSERT INTO boot(id, boot_id, hostname, btime) VALUES (1,"
	    " '6f1d2a9e-0000-4000-8000-00000000b001', 'bench', 1711929600000000000)");
	exec_sql("INSERT INTO session(id, boot, pid, version, started, heartbeat,"
	    " mono_offset, rcvbuf) VALUES (1, 1, 90, 'gendb', 1711929600000000000,"
	    " 1711929600000000000, 1711929600000000000, 67108864)");
	snapshot();
	span = days * 86400 * NS;
	giant_at = T0 + span / 2;
	while (n_done < target) {
		uint64_t kind = rnd() % 100;

		/* jobs spread evenly by count over the span */
		t = T0 + NS + (int64_t)((double)n_done / (double)target *
		    (double)(span - 3600 * NS));
		if (!giant_done && t >= giant_at) {
			/* 500 dirs x (make + 50 x (sh, gcc, cc1, as) + ld):
			 * 101,000 descendants */
			giant_id = next_id;
			job_build(t, daemons[3].id, daemons[3].pid, daemons[3].image,
			    500, 50);
			giant_done = 1;
		} else if (kind < 12)
			job_build(t, daemons[3].id, daemons[3].pid, daemons[3].image,
			    (int)range(1, 8), (int)range(5, 60));
		else if (kind < 40)
			job_login(t, daemons[1].id, daemons[1].image,
			    (int)range(3, 120));
		else if (kind < 75)
			job_cron(t, daemons[2].id, daemons[2].image,
			    (int)range(1, 6));
		else
			job_script(t, daemons[2].id, daemons[2].image,
			    (int)range(20, 400));
		flush_job();
		if (rnd() % 2000 == 0) {
			char sql[256];

			snprintf(sql, sizeof(sql), "INSERT INTO gap(session, kind,"
			    " start, end, cpu, count) VALUES (1, 'kernel_drop', %"
			    PRId64 ", %" PRId64 ", NULL, %" PRId64 ")", t,
			    t + range(1, 500) * MS, range(1, 5000));
			exec_sql(sql);	/* constants only */
			gaps++;
		}
		if (n_done - last_commit >= 500000) {
			exec_sql("COMMIT; BEGIN");
			last_commit = n_done;
			clock_gettime(CLOCK_MONOTONIC, &t1);
			fprintf(stderr, "%" PRId64 " processes, %.0f s\n", n_done,
			    (double)(t1.tv_sec - t0.tv_sec));
		}
	}
	exec_sql("COMMIT");
	exec_sql("ANALYZE");
	exec_sql("PRAGMA wal_checkpoint(TRUNCATE)");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "done: %" PRId64 " processes, %" PRId64 " execs, %" PRId64
	    " gaps in %.1f s\n", n_done, next_exec - 1, gaps,
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	printf("giant_build_root id:%" PRId64 "\n", giant_id);
	printf("span %" PRId64 " %" PRId64 "\n", T0 / NS, (T0 + span) / NS);
	sqlite3_finalize(ins_proc);
	sqlite3_finalize(ins_exec);
	sqlite3_finalize(ins_event);
	sqlite3_finalize(ins_cmd);
	sqlite3_finalize(ins_file);
	sqlite3_finalize(ins_cgroup);
	exec_sql("DROP INDEX gendb_cmdline");
	if (sqlite3_close(db) != SQLITE_OK)
		errx(1, "close: %s", sqlite3_errmsg(db));
	return 0;
}
