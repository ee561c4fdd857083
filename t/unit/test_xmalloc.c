/*
 * test_xmalloc.c: the wrappers allocate, and die cleanly on overflow.
 */
#include "config.h"

#include <sys/wait.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "tap.h"
#include "xmalloc.h"

/* Run f in a child with stderr on a pipe; return its exit status. */
static int
child_status(void (*f)(void), char *msg, size_t msglen)
{
	int	 p[2], st;
	pid_t	 pid;
	ssize_t	 n;

	if (pipe(p) == -1)
		return -1;
	if ((pid = fork()) == 0) {
		dup2(p[1], 2);
		close(p[0]);
		f();
		_exit(0);
	}
	close(p[1]);
	n = read(p[0], msg, msglen - 1);
	msg[n < 0 ? 0 : n] = '\0';
	close(p[0]);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
overflow(void)
{
	log_init("xm");
	(void)xreallocarray(NULL, SIZE_MAX / 2, 4);
}

int
main(void)
{
	char	*s, *p, msg[256];
	int	 n;

	s = xstrdup("hello");
	is_str(s, "hello", "xstrdup copies");
	free(s);
	s = xstrndup("hello", 3);
	is_str(s, "hel", "xstrndup truncates");
	free(s);
	n = xasprintf(&s, "%s-%d", "a", 7);
	is_str(s, "a-7", "xasprintf formats");
	is_int(n, 3, "xasprintf returns the length");
	free(s);
	p = xcalloc(4, 4);
	ok(p[0] == 0 && p[15] == 0, "xcalloc zeroes");
	p = xreallocarray(p, 1000, 4);
	p[3999] = 1;
	ok(1, "xreallocarray grows");
	free(p);
	is_int(child_status(overflow, msg, sizeof(msg)), 1,
	    "overflowing xreallocarray exits 1");
	ok(strncmp(msg, "xm: xreallocarray: allocating ", 30) == 0,
	    "and says why: %s", msg);
	return tap_done();
}
