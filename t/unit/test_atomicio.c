/*
 * test_atomicio.c: reads and writes to completion across short counts and
 * interrupting signals.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/wait.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomicio.h"
#include "tap.h"

#define BIG	(1 << 20)

static void
on_alarm(int sig)
{
	(void)sig;
}

/*
 * A child drains a socketpair slowly in small reads while an interval
 * timer interrupts the writer: write(2) returns short counts and EINTR,
 * and atomicio_write must still deliver every byte in order.
 */
static void
test_write_read(void)
{
	struct sigaction	 sa;
	char			*out, *in;
	int			 sv[2], status, i, sz = 4096;
	pid_t			 pid;
	ssize_t			 n;

	out = malloc(BIG);
	in = malloc(BIG);
	for (i = 0; i < BIG; i++)
		out[i] = (char)(i * 7 + i / 251);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		tap_skip_all("socketpair: %s", strerror(errno));
	(void)setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	if ((pid = fork()) == 0) {
		close(sv[0]);
		n = atomicio_read(sv[1], in, BIG);
		_exit(n == BIG && memcmp(in, out, BIG) == 0 ? 0 : 1);
	}
	close(sv[1]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: EINTR is seen */
	sigaction(SIGALRM, &sa, NULL);
	ualarm(1000, 1000);
	n = atomicio_write(sv[0], out, BIG);
	ualarm(0, 0);
	close(sv[0]);
	is_int(n, BIG, "every byte written across short counts and EINTR");
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "and read back whole and in order");
	free(out);
	free(in);
}

static void
test_eof_and_errors(void)
{
	char	buf[16];
	int	p[2];

	if (pipe(p) == -1)
		tap_skip_all("pipe: %s", strerror(errno));
	(void)atomicio_write(p[1], "abc", 3);
	close(p[1]);
	is_int(atomicio_read(p[0], buf, sizeof(buf)), 3,
	    "a read is short only at end of file");
	is_int(atomicio_read(p[0], buf, sizeof(buf)), 0,
	    "and then returns 0");
	close(p[0]);
	errno = 0;
	ok(atomicio_write(p[1], "x", 1) == -1 && errno == EBADF,
	    "a bad descriptor is -1 with errno");
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_write_read();
	test_eof_and_errors();
	return tap_done();
}
