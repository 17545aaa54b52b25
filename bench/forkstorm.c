/*
 * forkstorm: create short-lived processes as fast as possible (or at a set
 * rate), to load a process-event collector.
 *
 * usage: forkstorm [-w WORKERS] [-n TOTAL] [--exec] [--rate N]
 *            [--inflight K] [--pidlog FILE]
 *
 * The main process forks WORKERS workers; together they create TOTAL
 * children, split evenly.  A child either _exits at once (fork mode) or
 * execs "/bin/true ptbench W SEQ" (exec mode, --exec), where W is the
 * worker number and SEQ the child's global sequence number, so that a
 * captured argv can be matched to the process that ran it.
 *
 * Fork-mode children exit with a status derived from their pid, so that
 * a collector's record can be checked without a log:
 *	pid % 16 == 0:	killed by SIGUSR1 (wait status 10)
 *	otherwise:	exit code pid & 127 (wait status (pid & 127) << 8)
 * Exec-mode children exit 0 (/bin/true).
 *
 * --rate N paces the whole storm at N processes per second (0, the
 * default: as fast as possible).  --inflight K lets each worker have up
 * to K children not yet reaped (default 1 in fork mode, 8 in exec mode).
 * --pidlog FILE writes one line per child, "pid seq worker mono_ns", where
 * mono_ns is CLOCK_MONOTONIC just before the fork: the latest line of a
 * pid whose mono_ns is not after a process's kernel start time is that
 * process (a pid is only reused after its previous user was reaped).
 *
 * Prints on stdout, first "forkstorm: pid P mono T" (its own pid, to filter
 * a database to its subtree, and its start time), and at the end one line
 * of results.  Exit status 0, or 1 if any child could not be created or
 * (exec mode) did not exit 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS	256

struct opts {
	int workers;
	long total;
	int exec;
	double rate;
	int inflight;
	const char *pidlog;
};

/* One created child, for --pidlog. */
struct logent {
	int32_t pid;
	int64_t seq;
	uint64_t mono;
};

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void
sleep_until(uint64_t t)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(t / 1000000000ull);
	ts.tv_nsec = (long)(t % 1000000000ull);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	    EINTR)
		;
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: forkstorm [-w WORKERS] [-n TOTAL] [--exec] "
	    "[--rate N] [--inflight K] [--pidlog FILE]\n");
}

/* Reap one child (blocking or not); returns 1 if one was reaped, 0 if
 * none was ready, -1 on error.  *bad counts unexpected statuses. */
static int
reap(int block, int exec_mode, long *bad)
{
	int st;
	pid_t p;

	p = waitpid(-1, &st, block ? 0 : WNOHANG);
	if (p <= 0)
		return p == 0 ? 0 : -1;
	if (exec_mode) {
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			(*bad)++;
	} else if (p % 16 == 0) {
		if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGUSR1)
			(*bad)++;
	} else if (!WIFEXITED(st) || WEXITSTATUS(st) != (p & 127)) {
		(*bad)++;
	}
	return 1;
}

static void
child_fork_mode(void)
{
	pid_t me = getpid();

	if (me % 16 == 0) {
		signal(SIGUSR1, SIG_DFL);
		raise(SIGUSR1);
	}
	_exit(me & 127);
}

static void
child_exec_mode(int w, int64_t seq)
{
	char a0[] = "/bin/true", a1[] = "ptbench", wbuf[16], sbuf[24];
	char *argv[] = { a0, a1, wbuf, sbuf, NULL };

	snprintf(wbuf, sizeof(wbuf), "%d", w);
	snprintf(sbuf, sizeof(sbuf), "%lld", (long long)seq);
	execv(argv[0], argv);
	_exit(127);
}

/* Write the log of one worker in whole-line chunks (O_APPEND keeps the
 * chunks of concurrent workers apart). */
static void
write_log(int fd, int w, const struct logent *log, long n)
{
	char buf[65536];
	size_t len = 0;
	long i;

	for (i = 0; i < n; i++) {
		if (len + 96 > sizeof(buf)) {
			if (write(fd, buf, len) != (ssize_t)len)
				perror("forkstorm: pidlog");
			len = 0;
		}
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
		    "%d %lld %d %llu\n", log[i].pid, (long long)log[i].seq, w,
		    (unsigned long long)log[i].mono);
	}
	if (len && write(fd, buf, len) != (ssize_t)len)
		perror("forkstorm: pidlog");
}

/*
 * Worker w: create n children with sequence numbers first, first+1, ...
 * Exit status: 0, or 1 if children failed.
 */
static int
worker(const struct opts *o, int w, int64_t first, long n, int logfd)
{
	struct logent *log = NULL;
	uint64_t start, period = 0, t;
	long i, inflight = 0, failed = 0, bad = 0;
	pid_t p;

	signal(SIGUSR1, SIG_IGN);	/* children reset it */
	if (logfd >= 0) {
		log = calloc((size_t)n, sizeof(*log));
		if (!log) {
			perror("forkstorm: calloc");
			return 1;
		}
	}
	if (o->rate > 0)
		period = (uint64_t)(1e9 * o->workers / o->rate);
	start = mono_ns();
	for (i = 0; i < n; i++) {
		if (period)
			sleep_until(start + (uint64_t)i * period);
		while (inflight > 0 && reap(0, o->exec, &bad) == 1)
			inflight--;
		while (inflight >= o->inflight) {
			if (reap(1, o->exec, &bad) != 1)
				break;
			inflight--;
		}
		t = mono_ns();
		p = fork();
		if (p == 0) {
			if (o->exec)
				child_exec_mode(w, first + i);
			child_fork_mode();
		}
		if (p < 0) {
			if (errno == EAGAIN && inflight > 0) {
				/* too many processes: reap and retry */
				if (reap(1, o->exec, &bad) == 1)
					inflight--;
				i--;
				continue;
			}
			failed++;
			continue;
		}
		inflight++;
		if (log) {
			log[i].pid = p;
			log[i].seq = first + i;
			log[i].mono = t;
		}
	}
	while (inflight > 0 && reap(1, o->exec, &bad) == 1)
		inflight--;
	if (log) {
		write_log(logfd, w, log, n);
		free(log);
	}
	if (failed || bad)
		fprintf(stderr, "forkstorm: worker %d: %ld forks failed, %ld "
		    "unexpected exit statuses\n", w, failed, bad);
	return failed || bad ? 1 : 0;
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	enum { O_EXEC = 256, O_RATE, O_INFLIGHT, O_PIDLOG };
	static const struct option longopts[] = {
		{ "workers", required_argument, NULL, 'w' },
		{ "total", required_argument, NULL, 'n' },
		{ "exec", no_argument, NULL, O_EXEC },
		{ "rate", required_argument, NULL, O_RATE },
		{ "inflight", required_argument, NULL, O_INFLIGHT },
		{ "pidlog", required_argument, NULL, O_PIDLOG },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "w:n:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'w':
			o->workers = (int)strtol(optarg, &end, 10);
			if (*end || o->workers < 1 || o->workers > MAX_WORKERS)
				goto bad;
			break;
		case 'n':
			o->total = strtol(optarg, &end, 10);
			if (*end || o->total < 1)
				goto bad;
			break;
		case O_EXEC:
			o->exec = 1;
			break;
		case O_RATE:
			/* accept "2000" and "2000/s" */
			o->rate = strtod(optarg, &end);
			if ((*end && strcmp(end, "/s") != 0) || o->rate < 0)
				goto bad;
			break;
		case O_INFLIGHT:
			o->inflight = (int)strtol(optarg, &end, 10);
			if (*end || o->inflight < 1)
				goto bad;
			break;
		case O_PIDLOG:
			o->pidlog = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return -1;
	}
	if (!o->inflight)
		o->inflight = o->exec ? 8 : 1;
	return 0;
bad:
	fprintf(stderr, "forkstorm: invalid value '%s'\n", optarg);
	return -1;
}

int
main(int argc, char **argv)
{
	struct opts o = { .workers = 2, .total = 100000 };
	pid_t pids[MAX_WORKERS];
	uint64_t t0, t1;
	int64_t first = 0;
	long n;
	int i, st, logfd = -1, ret = 0;
	double secs;

	if (parse_opts(argc, argv, &o) < 0)
		return 2;
	if (o.pidlog) {
		logfd = open(o.pidlog, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND |
		    O_CLOEXEC, 0644);
		if (logfd < 0) {
			fprintf(stderr, "forkstorm: cannot open '%s': %s\n",
			    o.pidlog, strerror(errno));
			return 1;
		}
	}
	t0 = mono_ns();
	printf("forkstorm: pid %d mono %llu\n", (int)getpid(),
	    (unsigned long long)t0);
	fflush(stdout);
	for (i = 0; i < o.workers; i++) {
		n = o.total / o.workers + (i < o.total % o.workers ? 1 : 0);
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(worker(&o, i, first, n, logfd));
		if (pids[i] < 0) {
			perror("forkstorm: fork");
			return 1;
		}
		first += n;
	}
	for (i = 0; i < o.workers; i++) {
		if (waitpid(pids[i], &st, 0) < 0 || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			ret = 1;
	}
	t1 = mono_ns();
	secs = (double)(t1 - t0) / 1e9;
	printf("forkstorm: mode %s workers %d processes %ld seconds %.3f "
	    "rate %.0f/s%s\n", o.exec ? "exec" : "fork", o.workers, o.total,
	    secs, (double)o.total / secs, ret ? " (with failures)" : "");
	if (logfd >= 0)
		close(logfd);
	return ret;
}
