/*
 * pt-testproc: processes with a known thread behaviour, for the
 * integration tests.  The marker argument only makes the process findable
 * in the database by its argv.
 *
 *   pt-testproc threads MARKER      4 threads; the leader pthread_exits;
 *                                   the last thread calls exit(7) after
 *                                   200 ms
 *   pt-testproc thread-exec MARKER  a non-leader thread execs
 *                                   /bin/sh -c ': MARKER-after; exit 6'
 *   pt-testproc storm MARKER N      fork N children that _exit(i % 256)
 *   pt-testproc zombie MARKER       a child that exits at once with 3 stays
 *                                   a zombie until SIGUSR1 (then reaped)
 *   pt-testproc zleader MARKER      the leader thread exits; the other
 *                                   thread exits the process with 5 at
 *                                   SIGUSR1
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *marker;

static void *
sleeper(void *arg)
{
	long i = (long)arg;

	usleep(50000 + (useconds_t)i * 50000);
	if (i == 3)
		exit(7);
	return NULL;
}

static void *
execer(void *arg)
{
	char cmd[256];

	(void)arg;
	usleep(100000);
	snprintf(cmd, sizeof(cmd), ": %s-after; sleep 0.1; exit 6", marker);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

static void *
usr1_exit(void *arg)
{
	sigset_t *set = arg;
	int sig;

	sigwait(set, &sig);
	exit(5);
}

int
main(int argc, char **argv)
{
	pthread_t th;
	long i, n;
	int st;

	if (argc < 3) {
		fprintf(stderr, "usage: pt-testproc threads|thread-exec|storm|zombie|zleader ARG\n");
		return 2;
	}
	marker = argv[2];
	if (strcmp(argv[1], "zombie") == 0 || strcmp(argv[1], "zleader") == 0) {
		static sigset_t usr1;
		int sig;

		sigemptyset(&usr1);
		sigaddset(&usr1, SIGUSR1);
		pthread_sigmask(SIG_BLOCK, &usr1, NULL);
		if (argv[1][1] == 'l') {
			pthread_create(&th, NULL, usr1_exit, &usr1);
			pthread_exit(NULL);
		}
		if (fork() == 0)
			_exit(3);
		sigwait(&usr1, &sig);
		wait(&st);
		return 0;
	}
	if (strcmp(argv[1], "threads") == 0) {
		for (i = 0; i < 4; i++)
			pthread_create(&th, NULL, sleeper, (void *)i);
		/* long enough for the collector to read its argv: once the
		 * leader has exited, /proc/PID/cmdline is empty */
		usleep(20000);
		pthread_exit(NULL);
	} else if (strcmp(argv[1], "thread-exec") == 0) {
		pthread_create(&th, NULL, sleeper, (void *)0);
		pthread_create(&th, NULL, execer, NULL);
		pause();
	} else if (strcmp(argv[1], "storm") == 0) {
		n = argc > 3 ? atol(argv[3]) : 100;
		for (i = 0; i < n; i++) {
			pid_t pid = fork();

			if (pid == 0)
				_exit((int)(i % 256));
			if (pid < 0)
				return 1;
		}
		while (wait(&st) > 0)
			;
		return 0;
	}
	return 2;
}
