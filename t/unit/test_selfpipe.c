/*
 * test_selfpipe.c: signals become bits read from the pipe; errno is kept.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include "selfpipe.h"
#include "tap.h"

static struct selfpipe	sp;

static void
on_signal(int signo)
{
	selfpipe_notify(&sp, signo);
}

int
main(void)
{
	struct pollfd	pfd;
	uint64_t	mask;
	int		i;

	ok(selfpipe_init(&sp) == 0, "init");
	ok(selfpipe_catch(SIGHUP, on_signal) == 0 &&
	    selfpipe_catch(SIGUSR1, on_signal) == 0, "handlers installed");
	pfd.fd = selfpipe_fd(&sp);
	pfd.events = POLLIN;
	is_int(poll(&pfd, 1, 0), 0, "nothing pending at first");
	errno = 1234;
	raise(SIGHUP);
	is_int(errno, 1234, "handler preserves errno");
	for (i = 0; i < 3; i++)
		raise(SIGUSR1);
	is_int(poll(&pfd, 1, 1000), 1, "pipe readable after signals");
	mask = selfpipe_drain(&sp);
	ok(SELFPIPE_HAS(mask, SIGHUP), "SIGHUP seen");
	ok(SELFPIPE_HAS(mask, SIGUSR1), "SIGUSR1 seen");
	ok(!SELFPIPE_HAS(mask, SIGTERM), "SIGTERM not seen");
	is_int(poll(&pfd, 1, 0), 0, "drained");
	/* A flood must never block the handler. */
	for (i = 0; i < 100000; i++)
		selfpipe_notify(&sp, SIGCHLD);
	ok(SELFPIPE_HAS(selfpipe_drain(&sp), SIGCHLD), "flood survives");
	selfpipe_close(&sp);
	return tap_done();
}
