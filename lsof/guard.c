/*
 * guard.c: stat(2) and lstat(2) of names, made in a helper process.
 *
 * A stat of a path on an unresponsive NFS server (or a hung FUSE file
 * system) sleeps until the server answers, and only a fatal signal ends
 * the wait.  As lsof 4.95 does, the names given on the command line and
 * the entries of +d/+D trees are therefore examined by a child process
 * that answers over a socket; when an answer takes longer than the -S
 * limit the child is killed (which ends its wait) and the name reported
 * as timed out.  -O makes the calls directly instead.  The descriptors
 * of /proc/PID/fd never need this: their names come from readlink(2) of
 * /proc, which does not touch the file system of the target.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "lsof.h"
#include "guard.h"

struct guard_req {
	int	follow;
	char	path[PATH_MAX];
};

struct guard_rep {
	int		rv;
	int		err;
	struct stat	st;
};

/* The helper: answer requests until its parent goes away. */
static __dead void
guard_serve(int fd)
{
	struct guard_req	req;
	struct guard_rep	rep;
	ssize_t			n;

	for (;;) {
		n = recv(fd, &req, sizeof(req), 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0);
		req.path[sizeof(req.path) - 1] = '\0';
		memset(&rep, 0, sizeof(rep));
		rep.rv = req.follow ? stat(req.path, &rep.st) :
		    lstat(req.path, &rep.st);
		rep.err = rep.rv == -1 ? errno : 0;
		if (send(fd, &rep, sizeof(rep), MSG_NOSIGNAL) != sizeof(rep))
			_exit(0);
	}
}

static int
guard_start(struct guard *g)
{
	int	sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	fflush(NULL);
	if ((g->pid = fork()) == -1) {
		close(sv[0]);
		close(sv[1]);
		g->pid = 0;
		return -1;
	}
	if (g->pid == 0) {
		close(sv[0]);
		guard_serve(sv[1]);
	}
	close(sv[1]);
	g->fd = sv[0];
	return 0;
}

/* Give up on the helper: kill it, which also ends a wait in the kernel. */
static void
guard_kill(struct guard *g)
{
	if (g->pid <= 0)
		return;
	kill(g->pid, SIGKILL);
	close(g->fd);
	/* A child stuck beyond SIGKILL must not hang us either. */
	(void)waitpid(g->pid, NULL, WNOHANG);
	g->pid = 0;
}

/*
 * stat(2) (follow) or lstat(2) of path, bounded by the -S limit.  On a
 * timeout errno is ETIMEDOUT, as lsof 4.95 reports it.
 */
int
guard_stat(struct guard *g, const struct opts *o, const char *path,
    struct stat *st, int follow)
{
	struct guard_req	req;
	struct guard_rep	rep;
	struct pollfd		pfd;
	ssize_t			n;
	int			r;

	if (o->direct || strlen(path) >= sizeof(req.path))
		return follow ? stat(path, st) : lstat(path, st);
	if (g->pid == 0 && guard_start(g) == -1)
		return follow ? stat(path, st) : lstat(path, st);
	memset(&req, 0, sizeof(req));
	req.follow = follow;
	memcpy(req.path, path, strlen(path) + 1);
	if (send(g->fd, &req, sizeof(req), MSG_NOSIGNAL) != sizeof(req)) {
		guard_kill(g);
		errno = ECHILD;
		return -1;
	}
	pfd.fd = g->fd;
	pfd.events = POLLIN;
	do
		r = poll(&pfd, 1, o->tmlimit * 1000);
	while (r == -1 && errno == EINTR);
	if (r == 0) {
		guard_kill(g);
		errno = ETIMEDOUT;
		return -1;
	}
	do
		n = recv(g->fd, &rep, sizeof(rep), 0);
	while (n == -1 && errno == EINTR);
	if (n != sizeof(rep)) {
		guard_kill(g);
		errno = ECHILD;
		return -1;
	}
	if (rep.rv == -1) {
		errno = rep.err;
		return -1;
	}
	*st = rep.st;
	return 0;
}

/* End the helper, if any, and reap it. */
void
guard_close(struct guard *g)
{
	if (g->pid <= 0)
		return;
	close(g->fd);
	(void)waitpid(g->pid, NULL, 0);
	g->pid = 0;
}
