/*
 * The pager (pager.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pager.h"

static pid_t pager_pid = -1;

int
pager_start(void)
{
	const char *pager = getenv("PAGER");
	int fd[2];
	pid_t pid;

	if (!pager)
		pager = "less";
	if (!*pager || strcmp(pager, "cat") == 0)
		return 0;	/* none */
	if (pipe2(fd, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return -errno;
	}
	if (pid == 0) {
		dup2(fd[0], STDIN_FILENO);
		if (!getenv("LESS"))
			setenv("LESS", "FRSX", 1);
		execl("/bin/sh", "sh", "-c", pager, (char *)NULL);
		_exit(127);
	}
	fflush(stdout);
	dup2(fd[1], STDOUT_FILENO);
	close(fd[0]);
	close(fd[1]);
	pager_pid = pid;
	/* quitting the pager early ends us quietly, as it does git */
	signal(SIGPIPE, SIG_DFL);
	return 1;
}

void
pager_end(void)
{
	int st;

	if (pager_pid < 0)
		return;
	fflush(stdout);
	close(STDOUT_FILENO);
	while (waitpid(pager_pid, &st, 0) < 0 && errno == EINTR)
		;
	pager_pid = -1;
}
