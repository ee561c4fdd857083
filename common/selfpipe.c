/*
 * selfpipe.c: the self-pipe trick.
 *
 * A signal handler may only do async-signal-safe work, so it writes the
 * signal's number as one byte into a non-blocking pipe; the poll loop
 * wakes on the read end and does the real work outside the handler.  A
 * full pipe just drops the byte: the loop has a wakeup pending anyway and
 * the bitmask de-duplicates repeated signals.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "selfpipe.h"

static int
selfpipe_set_flags(int fd)
{
	int	fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
		return -1;
	return 0;
}

int
selfpipe_init(struct selfpipe *sp)
{
	int	fds[2];

	if (pipe(fds) == -1)
		return -1;
	if (selfpipe_set_flags(fds[0]) == -1 ||
	    selfpipe_set_flags(fds[1]) == -1) {
		int	saved = errno;

		(void)close(fds[0]);
		(void)close(fds[1]);
		errno = saved;
		return -1;
	}
	sp->rfd = fds[0];
	sp->wfd = fds[1];
	return 0;
}

void
selfpipe_close(struct selfpipe *sp)
{
	if (sp->rfd != -1)
		(void)close(sp->rfd);
	if (sp->wfd != -1)
		(void)close(sp->wfd);
	sp->rfd = sp->wfd = -1;
}

int
selfpipe_fd(const struct selfpipe *sp)
{
	return sp->rfd;
}

/* Async-signal-safe: call it from a handler; errno is preserved. */
void
selfpipe_notify(const struct selfpipe *sp, int signo)
{
	unsigned char	b = (unsigned char)signo;
	int		saved = errno;

	if (write(sp->wfd, &b, 1) == -1) {
		/* EAGAIN: a wakeup is already pending; nothing to do. */
	}
	errno = saved;
}

/* Read every pending byte; bit n of the result is set if signal n came. */
uint64_t
selfpipe_drain(const struct selfpipe *sp)
{
	unsigned char	buf[64];
	uint64_t	mask = 0;
	ssize_t		n, i;

	for (;;) {
		n = read(sp->rfd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (i = 0; i < n; i++)
			if (buf[i] < 64)
				mask |= (uint64_t)1 << buf[i];
	}
	return mask;
}

/* Install handler for signo with SA_RESTART and a full mask while it runs. */
int
selfpipe_catch(int signo, void (*handler)(int))
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigfillset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	return sigaction(signo, &sa, NULL);
}
