/*
 * capture: what one /proc capture costs the collector, on fresh processes.
 *
 * usage: capture [N]	(default 3000)
 *
 * Forks N children one at a time; each execs "sleep 5", and once it runs
 * procfs_capture() reads it as the reader does at its EXEC event (argv from
 * 64 KiB, exe, cwd, cgroup, credentials, login, namespaces, the binary's
 * identity).  The figure is the calling thread's CPU time per capture
 * (CLOCK_THREAD_CPUTIME_ID, the cost of reading the clock subtracted):
 * the mean, and the best mean of ten batches.  A child whose capture was
 * not verified is counted.  For A/B, build it in two build directories
 * (make -C bench BUILD=...) and run both, interleaved.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "procfs.h"

static double
cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int
main(int argc, char **argv)
{
	static char data[70000];
	struct pt_capture cap;
	double t0, dt, clock_cost, total = 0, batch = 0, best = 1e30;
	int n = argc > 1 ? atoi(argv[1]) : 3000, i, per, in_batch = 0;
	int unverified = 0;
	pid_t pid;

	if (n < 10) {
		fprintf(stderr, "usage: capture [N >= 10]\n");
		return 2;
	}
	per = n / 10;
	t0 = cpu_ns();
	for (i = 0; i < 1000; i++)
		(void)cpu_ns();
	clock_cost = (cpu_ns() - t0) / 1000;
	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0) {
			perror("capture: fork");
			return 1;
		}
		if (pid == 0) {
			execl("/bin/sleep", "sleep", "5", (char *)NULL);
			_exit(127);
		}
		usleep(1500);	/* it has exec'd, and runs */
		memset(&cap, 0, sizeof(cap));
		t0 = cpu_ns();
		(void)procfs_capture(pid, 0, 65536, &cap, data, sizeof(data));
		dt = cpu_ns() - t0 - clock_cost;
		if (!(cap.flags & PT_CAP_VERIFIED) || !(cap.flags & PT_CAP_ARGV))
			unverified++;
		total += dt;
		batch += dt;
		if (++in_batch == per) {
			if (batch / per < best)
				best = batch / per;
			batch = 0;
			in_batch = 0;
		}
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	printf("captures %d, not verified %d: %.1f us mean, %.1f us best"
	    " batch\n", n, unverified, total / n / 1000, best / 1000);
	return unverified > n / 100;
}
