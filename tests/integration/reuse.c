/*
 * pt-reuse: the same PID for two processes a few microseconds apart.
 * Each iteration: fork A, which execs "STEP exit reuseA K"; reap A;
 * clone3() with set_tid = A's PID makes B, which execs
 * "STEP sleep MS reuseB K"; reap B.  One line per process on stdout, in
 * the order they were forked: "SEQ ROLE K PID".
 *
 *   pt-reuse STEP ITERATIONS [SLEEP_MS]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t
clone_with_pid(pid_t want)
{
	struct clone_args ca;
	pid_t tid = want;

	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	ca.set_tid = (uint64_t)(uintptr_t)&tid;
	ca.set_tid_size = 1;
	return (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
}

int
main(int argc, char **argv)
{
	const char *step;
	char kbuf[24], *ms;
	long i, n, seq = 0, skipped = 0;
	pid_t a, b;
	int st;

	if (argc < 3) {
		fprintf(stderr, "usage: pt-reuse STEP ITERATIONS [SLEEP_MS]\n");
		return 2;
	}
	step = argv[1];
	n = atol(argv[2]);
	ms = argc > 3 ? argv[3] : (char *)"2";
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	for (i = 1; i <= n; i++) {
		snprintf(kbuf, sizeof(kbuf), "%ld", i);
		a = fork();
		if (a == 0) {
			execl(step, step, "exit", "reuseA", kbuf, (char *)NULL);
			_exit(127);
		}
		if (a < 0)
			return 1;
		waitpid(a, &st, 0);
		b = clone_with_pid(a);
		if (b == 0) {
			execl(step, step, "sleep", ms, "reuseB", kbuf,
			    (char *)NULL);
			_exit(127);
		}
		printf("%ld,A,%ld,%d\n", ++seq, i, (int)a);
		if (b < 0) {
			/* the PID was taken meanwhile by someone else */
			skipped++;
			continue;
		}
		printf("%ld,B,%ld,%d\n", ++seq, i, (int)b);
		waitpid(b, &st, 0);
	}
	fflush(stdout);
	fprintf(stderr, "pt-reuse: %ld iterations, %ld without reuse\n", n,
	    skipped);
	return 0;
}
