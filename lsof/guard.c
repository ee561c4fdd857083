/*
 * guard.c: calls that may block in a file system, made in a helper
 * process.
 *
 * A stat of a path on an unresponsive NFS server (or a hung FUSE file
 * system) sleeps until the server answers, and only a fatal signal ends
 * the wait.  As lsof 4.95 does, the names given on the command line, the
 * entries of +d/+D trees and the mount points are therefore examined by
 * a child process that answers over a socket; when an answer takes
 * longer than the -S limit the child is killed (which ends its wait) and
 * the call fails with ETIMEDOUT.  -O makes the calls directly instead.
 * The descriptors of /proc/PID/fd never need this: their names come from
 * readlink(2) of /proc, which does not touch the file system of the
 * target.
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
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "lsof.h"
#include "guard.h"

/* A request is this header and the function's input. */
struct guard_hdr {
	guard_fn	*fn;
	size_t		 outlen;
};

union guard_msg {
	struct guard_hdr	h;
	max_align_t		align;
	unsigned char		b[sizeof(struct guard_hdr) + GUARD_MAX];
};

struct stat_req {
	int	follow;
	char	path[PATH_MAX];
};

struct stat_rep {
	int		rv;
	int		err;
	struct stat	st;
};

/* The helper: answer requests until its parent goes away. */
static __dead void
guard_serve(int fd)
{
	union guard_msg	req, rep;
	ssize_t		n;

	for (;;) {
		n = recv(fd, req.b, sizeof(req.b), 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n < (ssize_t)sizeof(req.h) || req.h.outlen > GUARD_MAX)
			_exit(0);
		memset(rep.b, 0, req.h.outlen);
		req.h.fn(req.b + sizeof(req.h), (size_t)n - sizeof(req.h),
		    rep.b, req.h.outlen);
		if (send(fd, rep.b, req.h.outlen, MSG_NOSIGNAL) !=
		    (ssize_t)req.h.outlen)
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

/* Queue one request for the helper. */
static int
guard_send(struct guard *g, guard_fn *fn, const struct guard_job *j)
{
	union guard_msg	req;
	size_t		len = sizeof(req.h) + j->inlen;

	req.h.fn = fn;
	req.h.outlen = j->outlen;
	memcpy(req.b + sizeof(req.h), j->in, j->inlen);
	return send(g->fd, req.b, len, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

/*
 * The answer to the oldest request, within the -S limit.  When there is
 * none the helper is killed: errno is ETIMEDOUT after the limit, as lsof
 * 4.95 reports it, ECHILD when the helper died.
 */
static int
guard_recv(struct guard *g, const struct opts *o, struct guard_job *j)
{
	struct pollfd	pfd;
	ssize_t		n;
	int		r;

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
	n = -1;
	if (r == 1) {
		do
			n = recv(g->fd, j->out, j->outlen, 0);
		while (n == -1 && errno == EINTR);
	}
	if (n != (ssize_t)j->outlen) {
		guard_kill(g);
		errno = ECHILD;
		return -1;
	}
	return 0;
}

/*
 * Run fn for each job in the helper, several requests ahead so that the
 * two processes seldom wait for each other; directly with -O, or when no
 * helper can be made.  Each answer is waited for at most the -S limit: a
 * job without one gets the errno of guard_recv(), and the jobs after it
 * go to a new helper.
 */
void
guard_call_all(struct guard *g, const struct opts *o, guard_fn *fn,
    struct guard_job *jobs, size_t n)
{
	size_t	sent = 0, done = 0;

	while (done < n) {
		if (o->direct || (g->pid == 0 && guard_start(g) == -1)) {
			memset(jobs[done].out, 0, jobs[done].outlen);
			fn(jobs[done].in, jobs[done].inlen, jobs[done].out,
			    jobs[done].outlen);
			jobs[done++].err = 0;
			sent = done;
			continue;
		}
		while (sent < n && sent - done < GUARD_WINDOW &&
		    guard_send(g, fn, &jobs[sent]) == 0)
			sent++;
		jobs[done].err = 0;
		if (sent == done) {
			guard_kill(g);
			jobs[done].err = ECHILD;
		} else if (guard_recv(g, o, &jobs[done]) == -1)
			jobs[done].err = errno;
		if (jobs[done++].err != 0)
			sent = done;
	}
}

/* One call of fn in the helper; -1 and errno when it did not answer. */
int
guard_call(struct guard *g, const struct opts *o, guard_fn *fn,
    const void *in, size_t inlen, void *out, size_t outlen)
{
	struct guard_job	j;

	if (inlen > GUARD_MAX || outlen > GUARD_MAX) {
		errno = EINVAL;
		return -1;
	}
	j.in = in;
	j.inlen = inlen;
	j.out = out;
	j.outlen = outlen;
	guard_call_all(g, o, fn, &j, 1);
	if (j.err != 0) {
		errno = j.err;
		return -1;
	}
	return 0;
}

static void
stat_run(const void *in, size_t inlen, void *out, size_t outlen)
{
	struct stat_req	q;
	struct stat_rep	p;

	memset(&q, 0, sizeof(q));
	memcpy(&q, in, inlen < sizeof(q) ? inlen : sizeof(q));
	q.path[sizeof(q.path) - 1] = '\0';
	memset(&p, 0, sizeof(p));
	p.rv = q.follow ? stat(q.path, &p.st) : lstat(q.path, &p.st);
	p.err = p.rv == -1 ? errno : 0;
	memcpy(out, &p, outlen < sizeof(p) ? outlen : sizeof(p));
}

/* stat(2) (follow) or lstat(2) of path, bounded by the -S limit. */
int
guard_stat(struct guard *g, const struct opts *o, const char *path,
    struct stat *st, int follow)
{
	struct stat_req	q;
	struct stat_rep	p;
	size_t		len = strlen(path);

	if (len >= sizeof(q.path))
		return follow ? stat(path, st) : lstat(path, st);
	q.follow = follow;
	memcpy(q.path, path, len + 1);
	if (guard_call(g, o, stat_run, &q, offsetof(struct stat_req, path) +
	    len + 1, &p, sizeof(p)) == -1)
		return -1;
	if (p.rv == -1) {
		errno = p.err;
		return -1;
	}
	*st = p.st;
	return 0;
}

/* End the helper, if any, and reap it. */
void
guard_close(struct guard *g)
{
	if (g->pid <= 0)
		return;
	/*
	 * The helper ends when it reads the end of its socket; lsof does
	 * not wait for it to go (it is leaving too), and until then, as
	 * 4.95's helper is, it is one of the processes listed.
	 */
	close(g->fd);
	g->pid = 0;
}
