/*
 * detach.c: daemon detach with a readiness verdict for the parent.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "detach.h"
#include "log.h"

int
detach_start(void)
{
	int	p[2];
	char	b = 1;
	pid_t	pid;

	if (pipe2(p, O_CLOEXEC) == -1)
		fatal("pipe");
	/* What is buffered goes out once, not from both processes or never. */
	(void)fflush(NULL);
	if ((pid = fork()) == -1)
		fatal("fork");
	if (pid > 0) {
		(void)close(p[1]);
		/* No atexit handlers: they belong to the child now. */
		_exit(read(p[0], &b, 1) == 1 && b == 0 ? 0 : 1);
	}
	(void)close(p[0]);
	if (setsid() == -1)
		fatal("setsid");
	(void)chdir("/");
	return p[1];
}

void
detach_stdio(void)
{
	int	fd;

	if ((fd = open("/dev/null", O_RDWR)) == -1)
		return;
	(void)dup2(fd, STDIN_FILENO);
	(void)dup2(fd, STDOUT_FILENO);
	(void)dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		(void)close(fd);
}

void
detach_done(int fd, int ok)
{
	char	b = ok ? 0 : 1;

	if (fd == -1)
		return;
	(void)write(fd, &b, 1);
	(void)close(fd);
}
