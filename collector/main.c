/*
 * proctraild: record every process event of this machine into SQLite.
 *
 * Needs CONFIG_PROC_EVENTS, the initial network namespace, CAP_NET_ADMIN
 * (for a receive buffer large enough to survive fork storms) and
 * CAP_SYS_PTRACE/CAP_DAC_READ_SEARCH (to read /proc of other users).
 *
 * Threads: main (set-up, signals, shutdown), reader (netlink -> queue),
 * writer (queue -> SQLite).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "checkpoint.h"
#include "hasher.h"
#include "db.h"
#include "dbfile.h"
#include "log.h"
#include "nl.h"
#include "options.h"
#include "procfs.h"
#include "queue.h"
#include "reader.h"
#include "record.h"
#include "redact.h"
#include "retain.h"
#include "service.h"
#include "snapshot.h"
#include "taskbpf.h"
#include "store.h"
#include "version.h"
#include "writer.h"




/* The doorbell socket's buffer: EXEC events only, drained at once. */
#define BELL_RCVBUF	(4u << 20)

/* Effective capability bit from /proc/self/status. */
static int
have_cap(int cap)
{
	char line[256];
	unsigned long long eff = 0;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return (eff >> cap) & 1;
}

/*
 * mkdir -p for the database's directory, mode 0700 for what it creates,
 * or 0750 with the group of m (the auditors must get to the files).
 */
static int
make_parent(const char *path, const struct dbfile_mode *m)
{
	char dir[PATH_MAX], *p;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	p = strrchr(dir, '/');
	if (!p || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(dir, m->has_group ? 0750 : 0700) < 0)
		return errno == EEXIST ? 0 : -errno;
	if (m->has_group && (chown(dir, (uid_t)-1, m->gid) < 0 ||
	    chmod(dir, 0750) < 0))
		return -errno;
	return 0;
}

/* Say why the database files are refused; EXIT_DB. */
static int
dbfile_refused(const char *db, int r, const struct dbfile_why *why)
{
	static const struct { mode_t m; const char *name; } types[] = {
		{ S_IFCHR, "a character device" }, { S_IFBLK, "a block device" },
		{ S_IFIFO, "a FIFO" }, { S_IFSOCK, "a socket" },
		{ S_IFDIR, "a directory" }, { S_IFLNK, "a symbolic link" },
	};
	const char *type = "a symbolic link";

	if (r != DBFILE_REFUSED) {
		log_err("cannot open '%s': %s", db, strerror(-r));
		return EXIT_DB;
	}
	switch (why->reason) {
	case DBF_NOT_REGULAR:
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (why->mode && (why->mode & S_IFMT) == types[i].m)
				type = types[i].name;
		log_err("refusing '%s': it is %s, not a regular file; nothing"
		    " was changed", why->path, type);
		break;
	case DBF_LINKS:
		log_err("refusing '%s': it has %lu hard links, and every other"
		    " name could read what is recorded; nothing was changed",
		    why->path, why->nlink);
		break;
	case DBF_OWNER:
		log_err("refusing '%s': it is owned by uid %u, not by this"
		    " collector's uid %u, and its owner could read every"
		    " argv recorded; nothing was changed", why->path,
		    (unsigned)why->uid, (unsigned)geteuid());
		break;
	case DBF_DIR_SHARED:
		log_err("refusing '%s': directory '%s' can be written by other"
		    " users (mode %04o, owner uid %u) and is not sticky: they"
		    " could replace the database; use a directory only this"
		    " user can write", db, why->path,
		    (unsigned)(why->mode & 07777), (unsigned)why->uid);
		break;
	case DBF_CHANGED:
		log_err("refusing '%s': it was replaced while being checked",
		    why->path);
		break;
	}
	return EXIT_DB;
}

static int64_t
clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* pid of the running collector according to the database, or 0. */
static long
db_owner_pid(const char *path)
{
	sqlite3 *db;
	int pid = 0;

	if (db_open_ro(path, &db, NULL) < 0)
		return 0;
	(void)db_query_int(db, "SELECT pid FROM session WHERE stopped IS NULL"
	    " ORDER BY id DESC LIMIT 1", &pid);
	sqlite3_close(db);
	return pid;
}

/*
 * A schema migration in progress (store_open): said once, and the service
 * manager's start timeout pushed 30 s further every few seconds, so that
 * a large file's one-time migration is not killed half way (and redone at
 * every restart).
 */
static void
on_migrate(int from, int to, void *arg)
{
	static int said;

	if (!said) {
		log_info("migrating '%s' from schema version %d to %d (once;"
		    " a large file takes minutes)", (const char *)arg, from, to);
		said = 1;
	}
	(void)service_notify("EXTEND_TIMEOUT_USEC=30000000");
}

/*
 * Recording: wait for SIGTERM, SIGINT or SIGUSR1 (a thread's fatal error),
 * pinging the service manager's watchdog while the writer works.  The
 * kernel ACKs the subscription; silence means no proc events
 * (CONFIG_PROC_EVENTS off) or a pid/user namespace that is not the initial
 * one (then the kernel ignores the request).  Returns the signal.
 */
static int
wait_for_stop(const sigset_t *mask, struct reader *rdr, struct writer *wr)
{
	struct timespec tmo = { 2, 0 };
	uint64_t watchdog_usec = service_watchdog_usec();
	int sig;

	sig = sigtimedwait(mask, NULL, &tmo);
	if (sig < 0 && !reader_heard(rdr))
		log_warn("no acknowledgement and no event from the proc"
		    " connector after 2 s: is the kernel built with"
		    " CONFIG_PROC_EVENTS, and is this the initial pid"
		    " and user namespace?");
	else if (sig < 0)
		log_debug("subscription acknowledged");
	while (sig < 0 || sig == SIGHUP) {
		tmo = (struct timespec){ 1, 0 };
		if (watchdog_usec) {
			/* ping at half the interval, while the writer works */
			tmo.tv_sec = (time_t)(watchdog_usec / 2000000);
			tmo.tv_nsec = (long)(watchdog_usec / 2 % 1000000) * 1000;
			if (!writer_error(wr))
				(void)service_notify("WATCHDOG=1");
		}
		sig = sigtimedwait(mask, NULL, &tmo);
	}
	return sig;
}

/* What the run did, logged at its end (info level). */
static void
log_summary(struct retain *retain, struct hasher *hs, struct store *st,
    struct queue *q, bool bell, const struct reader_stats *rd,
    const struct writer_stats *ws, bool wstopped)
{
	struct procfs_bpf_stats bpf;

	procfs_bpf_stats(&bpf);	/* the reader has stopped */
	if (retain && wstopped) {
		struct retain_stats rs;

		retain_stats(retain, &rs);
		log_info("retention: %llu steps deleted %llu processes, %llu"
		    " execs, %llu command lines, %llu events; longest step"
		    " %llu us",
		    (unsigned long long)rs.steps,
		    (unsigned long long)rs.processes,
		    (unsigned long long)rs.execs,
		    (unsigned long long)rs.cmdlines,
		    (unsigned long long)rs.events,
		    (unsigned long long)ws->max_prune_us);
		if (ws->prune_error)
			log_warn("last retention step failed: %s",
			    db_strerror(ws->prune_error));
	}
	if (taskbpf_loaded() || bpf.answered || bpf.not_found || bpf.mismatch) {
		log_info("capture: %llu by the BPF program, %llu of its tasks"
		    " not found (read from /proc)",
		    (unsigned long long)bpf.answered,
		    (unsigned long long)bpf.not_found);
	}
	if (taskbpf_refused())
		log_warn("the kernel refused to run the capture's BPF program"
		    " (%s): /proc was read from then on",
		    strerror(-taskbpf_refused()));
	if (bpf.mismatch)
		log_warn("the capture's BPF program was turned off: its task of"
		    " PID %d was not the one /proc/%d/stat shows (another pid or"
		    " time namespace?); /proc was read from then on",
		    (int)bpf.mismatch_pid, (int)bpf.mismatch_pid);
	if (bell && rd->unfiltered)
		log_info("the kernel ignored the doorbell's EXEC filter (before"
		    " 6.6?): the reader woke for every event");
	else if (bell)
		log_info("reader woken by %llu execs (%llu of them never came"
		    " on the main socket)", (unsigned long long)rd->rings,
		    (unsigned long long)rd->rings_missed);
	if (hs && wstopped) {
		struct hasher_stats hst;

		hasher_stats(hs, &hst);
		log_info("executables: %llu hashed, %llu known by identity,"
		    " %llu not hashed (changed, gone or too big), %llu not"
		    " queued", (unsigned long long)hst.hashed,
		    (unsigned long long)hst.cached,
		    (unsigned long long)hst.failed,
		    (unsigned long long)hst.dropped);
	}
	if (wstopped) {
		struct store_cmd_stats cs;

		store_cmd_stats(st, &cs);
		log_info("command lines: %llu stored, %llu found among those"
		    " stored lately", (unsigned long long)cs.inserted,
		    (unsigned long long)cs.hits);
	}
	log_info("events %llu, processes %llu, execs %llu (argv captured %llu),"
	    " lost: kernel %llu, seq %llu, queue %llu, write %llu;"
	    " queue peak %zu bytes, longest commit %llu us",
	    (unsigned long long)rd->events,
	    (unsigned long long)ws->tracker.processes,
	    (unsigned long long)rd->execs,
	    (unsigned long long)rd->argv_ok,
	    (unsigned long long)rd->kernel_drops,
	    (unsigned long long)rd->seq_lost,
	    (unsigned long long)rd->queue_lost,
	    (unsigned long long)ws->write_lost, queue_peak(q),
	    (unsigned long long)ws->max_batch_us);
}

/*
 * The database: its directory, the file checked and locked (a second
 * collector is refused), opened (migrated if older) with its mode set.
 * Returns 0, or the exit status after saying why.
 */
static int
open_database(struct options *o, int *lockfd, struct store **st)
{
	struct dbfile_why why;
	int r, locked;

	r = make_parent(o->db, &o->mode);
	if (r < 0) {
		log_err("cannot create the directory of '%s': %s", o->db,
		    strerror(-r));
		return EXIT_DB;
	}
	/* checked before anything is changed: a refused file keeps its mode */
	r = dbfile_open(o->db, &o->mode, lockfd, &why);
	if (r < 0)
		return dbfile_refused(o->db, r, &why);
	/* proctrail takes a shared lock for an instant (microseconds) to
	 * learn whether a collector writes the file (common/db.c): wait
	 * that out, up to 200 ms */
	for (r = 0; (locked = flock(*lockfd, LOCK_EX | LOCK_NB)) < 0 &&
	    errno == EWOULDBLOCK && r < 10; r++)
		usleep(20000);
	if (locked < 0 && errno != EWOULDBLOCK) {
		log_err("cannot lock '%s': %s", o->db, strerror(errno));
		return EXIT_DB;
	}
	if (locked < 0) {
		long pid = db_owner_pid(o->db);

		if (pid)
			log_err("'%s' is in use by another proctraild (pid %ld)",
			    o->db, pid);
		else
			log_err("'%s' is in use by another proctraild", o->db);
		return EXIT_LOCKED;
	}

	db_set_migrate_hook(on_migrate, (void *)o->db);
	r = store_open(o->db, st);
	if (r < 0) {
		log_err("cannot use database '%s': %s", o->db, db_strerror(r));
		return EXIT_DB;
	}
	/* A proctrail database: now its mode and group, and those of the
	 * -wal and -shm SQLite made (after checking that they are the ones
	 * it made), before any argv is written */
	r = dbfile_set_mode(o->db, *lockfd, &o->mode, &why);
	if (r < 0)
		return dbfile_refused(o->db, r, &why);
	return 0;
}

/*
 * The proc connector's sockets, subscribed: *bell (or NULL) and *nl,
 * with the receive buffer granted.  Returns 0, or the exit status after
 * saying why.
 */
static int
open_sockets(const struct options *o, struct nl_conn **nl,
    struct nl_conn **bell, size_t *granted)
{
	int r;

	/*
	 * The doorbell: a second socket for EXEC events only, so that the
	 * reader wakes for those (their /proc capture cannot wait) and not
	 * for every fork and exit.  Without it, one socket does it all.
	 * Opened first: the kernel delivers a broadcast to the socket bound
	 * last first, so the main socket has each EXEC queued by the time the
	 * doorbell rings (the reader copes with either order).  What came
	 * before its filter was set is drained.
	 */
	if (o->doorbell) {
		/* tests: a mask the kernel honours stands for one it ignores
		 * (kernels before 6.6), to exercise the fallback */
		const char *test_mask = getenv("PROCTRAILD_TEST_BELL_MASK");
		size_t bell_granted;

		r = nl_open(BELL_RCVBUF, bell, &bell_granted);
		if (r == 0)
			r = nl_listen(*bell, test_mask ?
			    (uint32_t)strtoul(test_mask, NULL, 0) : PT_EV_EXEC);
		if (r < 0) {
			log_debug("no doorbell socket (%s): the reader wakes"
			    " at every event", strerror(-r));
			nl_close(*bell);
			*bell = NULL;
		}
		if (*bell)
			nl_drain(*bell);
	}
	/* Subscribe before the snapshot: what starts while /proc is being
	 * read arrives as events afterwards, nothing falls between. */
	r = nl_open(o->rcvbuf, nl, granted);
	if (r < 0) {
		log_err("cannot open the proc connector socket: %s%s",
		    strerror(-r), r == -EPROTONOSUPPORT ?
		    " (kernel without CONFIG_CONNECTOR)" : "");
		return EXIT_SYSTEM;
	}
	r = nl_listen(*nl, PT_EV_ALL);
	if (r < 0) {
		log_err("cannot subscribe to process events: %s%s",
		    strerror(-r), r == -ECONNREFUSED ?
		    " (the proc connector exists only in the initial network"
		    " namespace)" : "");
		return EXIT_SYSTEM;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct options o;
	struct store *st = NULL;
	struct writer_cfg wc;
	struct writer_stats ws = { 0 };
	struct writer *wr = NULL;
	struct retain *retain = NULL;
	struct nl_conn *nl = NULL, *bell = NULL;
	struct queue *q = NULL;
	struct reader_stats rd = { 0 };
	struct reader_cfg rc;
	struct reader *rdr = NULL;
	struct ckpt *ck = NULL;
	struct hasher *hs = NULL;
	struct snapshot_stats ss;
	sigset_t mask;
	struct utsname un;
	char boot_id[40];
	size_t granted = 0;
	int64_t session = 0, now_wall, mono_offset, boot_offset;
	int lockfd = -1, sig, r, status = EXIT_RUNTIME;
	bool wstopped = false, rstarted = false;

	if (options_parse(argc, argv, &o) < 0) {
		redact_free(o.redact);
		return EXIT_USAGE;
	}
	log_init("proctraild", o.verbose);
	umask(077);

	if (!have_cap(CAP_NET_ADMIN_BIT)) {
		log_err("needs CAP_NET_ADMIN (run as root): it sizes the netlink"
		    " receive buffer so that fork storms are not lost");
		status = EXIT_SYSTEM;
		goto out;
	}
	if (!have_cap(CAP_SYS_PTRACE_BIT))
		log_warn("no CAP_SYS_PTRACE: argv, exe and cwd of other users'"
		    " processes will not be captured");

	status = open_database(&o, &lockfd, &st);
	if (status != 0)
		goto out;
	status = EXIT_RUNTIME;
	r = procfs_boot_id(boot_id, sizeof(boot_id));
	if (r < 0) {
		log_err("cannot read the boot id: %s", strerror(-r));
		status = EXIT_SYSTEM;
		goto out;
	}
	if (uname(&un) < 0)
		un.nodename[0] = '\0';

	status = open_sockets(&o, &nl, &bell, &granted);
	if (status != 0)
		goto out;
	status = EXIT_RUNTIME;
	/* From here on only CAP_SYS_PTRACE is needed, to read exe and cwd of
	 * other users' processes, and CAP_SYS_NICE until the reader thread
	 * is made real-time.  The socket is bound and sized, the database
	 * open; unsubscribing needs no capability.  Capabilities are per
	 * thread: each thread narrows its own further as it starts. */
	/* The capture's BPF program is loaded while CAP_BPF is held. */
	if (o.no_bpf) {
		taskbpf_off(true);
		log_info("capture: credentials, cgroup, login, namespaces"
		    " from /proc (--no-bpf)");
	} else if ((r = taskbpf_init()) < 0) {
		log_info("capture: credentials, cgroup, login, namespaces"
		    " from /proc (BPF program: %s)",
		    r == -EOPNOTSUPP ? "not in this build" :
		    r == -EXDEV ? "its PIDs are not this /proc's" :
		    strerror(-r));
		if (*taskbpf_why())
			log_debug("libbpf: %s", taskbpf_why());
	} else {
		log_info("capture: credentials, cgroup, login, namespaces"
		    " by a BPF program");
	}
	r = service_restrict_caps(CAPS_READER | (1ull << CAP_SYS_NICE_BIT));
	if (r < 0)
		log_warn("cannot drop capabilities: %s", strerror(-r));
	now_wall = clock_ns(CLOCK_REALTIME);
	mono_offset = now_wall - clock_ns(CLOCK_MONOTONIC);
	boot_offset = clock_boot_offset();
	r = queue_new(o.queue_bytes, &q);
	if (r < 0) {
		log_err("cannot allocate the queue: %s", strerror(-r));
		goto out;
	}
	reader_signal_init();

	/* Signals are taken by main only, with sigwait. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (o.retain_ns || o.max_size) {
		r = retain_new(store_db(st), o.retain_ns, (int64_t)o.max_size,
		    &retain);
		if (r < 0) {
			log_err("cannot prepare retention on '%s': %s", o.db,
			    db_strerror(r));
			status = EXIT_DB;
			goto out;
		}
	}
	/* checkpoints off the writer's commits, in a thread of their own;
	 * hooked before the writer thread owns its connection */
	r = ckpt_start(o.db, store_db(st), 1000, 1000, &ck);
	if (r < 0)
		log_warn("no checkpointer thread (%s): the writer checkpoints",
		    db_strerror(r));
	/* --hash-exe: a thread of its own, with main's capabilities (it
	 * opens /proc/PID/exe of other users' processes) */
	if (o.hash_exe) {
		r = hasher_start(1ull << 30, &hs);
		if (r < 0) {
			log_err("cannot start hashing executables: %s",
			    strerror(-r));
			goto out;
		}
		store_track_files(st, true);
	}
	/* from here until writer_stop() the writer owns the database */
	wc = (struct writer_cfg){
		.st = st, .q = q, .retain = retain, .batch = o.batch,
		.flush_ms = o.flush_ms, .prune_ms = o.prune_ms,
		.boot_id = boot_id, .hostname = un.nodename, .pid = (int)getpid(),
		.rcvbuf = (int64_t)granted, .now = now_wall, .hasher = hs,
		.mono_offset = mono_offset, .boot_offset = boot_offset,
		/* the same as now_wall - CLOCK_BOOTTIME, from what the
		 * session row keeps (a rebuild derives it again) */
		.btime = mono_offset - boot_offset,
	};
	r = writer_start(&wc, &wr);
	if (r < 0) {
		log_err("cannot write to '%s': %s", o.db, db_strerror(r));
		status = EXIT_DB;
		goto out;
	}
	session = writer_session(wr);

	r = snapshot_run(q, o.argv_max, o.redact, &ss);
	if (r < 0) {
		log_err("cannot read /proc: %s", strerror(-r));
		status = EXIT_SYSTEM;
		goto stop;
	}
	rc = (struct reader_cfg){
		.nl = nl, .bell = bell, .rcvbuf = granted, .q = q,
		.argv_max = o.argv_max, .redact = o.redact,
		.boot_offset = boot_offset, .mono_offset = mono_offset,
		.rt_prio = o.rt_prio,
	};
	r = reader_start(&rc, &rdr);
	if (r < 0) {
		log_err("cannot start the reader thread: %s", strerror(-r));
		goto stop;
	}
	rstarted = true;
	r = service_restrict_caps(CAPS_READER);	/* main: SYS_NICE no more */
	if (r < 0)
		log_warn("cannot drop capabilities: %s", strerror(-r));
	/* "ready" means the snapshot is in the database */
	(void)writer_wait_snapshot(wr, 30000);
	fprintf(stderr, "proctraild: ready: database '%s', session %lld, "
	    "%u processes in snapshot, receive buffer %zu bytes\n", o.db,
	    (long long)session, ss.processes, granted);
	if (granted < o.rcvbuf)
		log_warn("receive buffer is %zu bytes, less than the %zu asked:"
		    " fork storms may be lost", granted, o.rcvbuf);
	(void)service_notify("READY=1\nSTATUS=recording");
	sig = wait_for_stop(&mask, rdr, wr);
	(void)service_notify("STOPPING=1");
	if (sig == SIGUSR1)
		log_err("stopping after an error");
	else
		log_info("stopping on signal %d", sig);
	status = 0;
stop:
	if (rstarted) {
		reader_stop(rdr);
		reader_stats(rdr, &rd);
		if (rd.ignore_err)
			log_warn("cannot unsubscribe from process events: %s",
			    strerror(-rd.ignore_err));
		if (reader_error(rdr)) {
			log_err("reading events failed: %s",
			    strerror(-reader_error(rdr)));
			status = EXIT_RUNTIME;
		}
	}
	if (wr) {
		/* the writer ends at the reader's stop record (or ours) and
		 * records the session's stop */
		writer_stop(wr, !rstarted, &ws);
		wr = NULL;
		wstopped = true;
		if (ck) {
			struct ckpt_stats cs;

			ckpt_stop(ck, &cs);
			ck = NULL;
			log_info("checkpoints: %llu, %llu pages, longest %llu us,"
			    " WAL peak %lld frames, %llu finished by the writer",
			    (unsigned long long)cs.runs,
			    (unsigned long long)cs.pages,
			    (unsigned long long)cs.max_us, (long long)cs.max_wal,
			    (unsigned long long)cs.writer_runs);
			if (cs.error)
				log_warn("last checkpoint failed: %s",
				    db_strerror(cs.error));
		}
		if (ws.error) {
			log_err("writing '%s' failed: %s", o.db,
			    db_strerror(ws.error));
			status = EXIT_DB;
		} else if (ws.last_error) {
			log_err("last write to '%s' failed: %s", o.db,
			    db_strerror(ws.last_error));
			status = EXIT_DB;
		}
		if (ws.stop_error && status == 0) {
			log_err("cannot record the stop in '%s': %s", o.db,
			    db_strerror(ws.stop_error));
			status = EXIT_DB;
		}
	}
	log_summary(retain, hs, st, q, bell != NULL, &rd, &ws, wstopped);
out:
	if (nl && !rstarted)
		(void)nl_ignore(nl);
	if (bell && !rstarted)
		(void)nl_ignore(bell);
	nl_close(nl);
	nl_close(bell);
	writer_stop(wr, true, NULL);
	reader_free(rdr);	/* stopped before the writer, if started */
	hasher_stop(hs);	/* after the writer, which submits to it */
	ckpt_stop(ck, NULL);
	retain_free(retain);
	store_close(st);	/* before closing lockfd: POSIX locks */
	queue_free(q);
	if (lockfd >= 0)
		close(lockfd);
	redact_free(o.redact);
	return status;
}
