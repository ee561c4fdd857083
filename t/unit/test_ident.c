/*
 * test_ident.c: the RFC 1413 client against small ident servers on
 * loopback: answers, wrong ports, silence, no server, and a deadline that
 * holds across interrupting signals.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "ident.h"
#include "tap.h"

static struct sockaddr_in	client, local;

static void
on_alarm(int sig)
{
	(void)sig;
}

/*
 * The reply template with '@' for the port the query named first (the
 * client's) and '#' for the second (ours).
 */
static size_t
expand(char *out, size_t size, const char *reply, unsigned rp, unsigned lp)
{
	size_t	n = 0;

	for (; *reply != '\0' && n + 8 < size; reply++) {
		if (*reply == '@' || *reply == '#')
			n += (size_t)snprintf(out + n, size - n, "%u",
			    *reply == '@' ? rp : lp);
		else
			out[n++] = *reply;
	}
	return n;
}

/*
 * A one-connection server on a loopback port: it reads the query and
 * sends the reply (see expand), or nothing at all when reply is NULL,
 * then waits for the client to go away.
 */
static pid_t
server_start(const char *reply, int *port)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof(sin);
	char			q[64], out[256];
	unsigned		rp = 0, lp = 0;
	ssize_t			n;
	pid_t			pid;
	int			s, c;

	s = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s == -1 || bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(s, 1) == -1 ||
	    getsockname(s, (struct sockaddr *)&sin, &len) == -1)
		tap_skip_all("loopback socket: %s", strerror(errno));
	*port = ntohs(sin.sin_port);
	if ((pid = fork()) != 0) {
		(void)close(s);
		return pid;
	}
	if ((c = accept(s, NULL, NULL)) == -1)
		_exit(1);
	n = read(c, q, sizeof(q) - 1);
	q[n > 0 ? n : 0] = '\0';
	(void)sscanf(q, "%u,%u", &rp, &lp);
	if (reply != NULL) {
		(void)write(c, out, expand(out, sizeof(out), reply, rp, lp));
		_exit(0);
	}
	(void)read(c, q, sizeof(q));	/* silent until the client leaves */
	_exit(0);
}

static void
server_stop(pid_t pid)
{
	(void)kill(pid, SIGKILL);
	(void)waitpid(pid, NULL, 0);
}

static enum ident_status
ask(const char *reply, struct ident *id, int timeout_ms)
{
	enum ident_status	r;
	pid_t			pid;
	int			port;

	pid = server_start(reply, &port);
	ident_init(id);
	id->port = port;
	r = ident_query(id, (struct sockaddr *)&client,
	    (struct sockaddr *)&local, timeout_ms);
	server_stop(pid);
	return r;
}

static void
test_answers(void)
{
	struct ident	id;

	is_int(ask("@ , # : USERID : UNIX : alice\r\n", &id, 5000),
	    IDENT_DONE, "a well-formed answer is taken");
	is_str(id.user, "alice", "the user id alone");
	is_str(id.info, "UNIX : alice", "opsys and user, for logs");
	ok(id.fd == -1, "the socket is closed when done");
	is_int(ask("@,#:USERID:UNIX,US-ASCII:bob the builder", &id, 5000),
	    IDENT_DONE, "no blanks, a charset, no newline before the close");
	is_str(id.user, "bob", "the user id is the first word");
	is_int(ask("@ , 1# : USERID : UNIX : eve\r\n", &id, 5000),
	    IDENT_FAILED, "an answer about other ports is refused");
	is_str(id.error, "bad response", "and called a bad response");
	is_int(ask("@ , # : ERROR : NO-USER\r\n", &id, 5000),
	    IDENT_FAILED, "an ERROR reply gives no user");
	is_int(ask("", &id, 5000), IDENT_FAILED,
	    "a server that closes without a word gives no user");
	is_str(id.error, "error while receiving response", "and says so");
}

static void
test_no_server(void)
{
	struct sockaddr_in	sin;
	struct ident		id;
	socklen_t		len = sizeof(sin);
	int			s;

	/* A port just bound and closed again: nothing listens there. */
	s = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	(void)bind(s, (struct sockaddr *)&sin, sizeof(sin));
	(void)getsockname(s, (struct sockaddr *)&sin, &len);
	(void)close(s);
	ident_init(&id);
	id.port = ntohs(sin.sin_port);
	is_int(ident_query(&id, (struct sockaddr *)&client,
	    (struct sockaddr *)&local, 5000), IDENT_FAILED,
	    "no server: no user");
	is_str(id.error, "no server", "and called no server");
	ok(ident_start(&id, (struct sockaddr *)&client, NULL) ==
	    IDENT_FAILED && strcmp(id.error, "no address") == 0,
	    "no local address: no query");
}

/*
 * A silent server: the query gives up at its deadline, neither before
 * (an interrupting signal does not cut it short) nor long after (no
 * wait is ever taken as forever).
 */
static void
test_deadline(void)
{
	struct sigaction	sa;
	struct timespec		t0, t1;
	struct ident		id;
	long long		ms;
	enum ident_status	r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: poll sees EINTR */
	sigaction(SIGALRM, &sa, NULL);
	ualarm(20000, 20000);
	deadline_now(&t0);
	r = ask(NULL, &id, 300);
	deadline_now(&t1);
	ualarm(0, 0);
	ms = deadline_diff_ms(&t0, &t1);
	is_int(r, IDENT_FAILED, "a silent server gives no user");
	is_str(id.error, "error while receiving response",
	    "and the reason says the reply never came");
	ok(ms >= 290 && ms < 3000, "it waited its deadline across EINTR "
	    "(%lld ms for 300)", ms);
}

/* The machine driven by hand, as a poll loop drives it. */
static void
test_steps(void)
{
	struct ident	id;
	pid_t		pid;
	int		port, steps = 0;
	enum ident_status r;

	pid = server_start("@ , # : USERID : OTHER : carol\r\n", &port);
	ident_init(&id);
	id.port = port;
	r = ident_start(&id, (struct sockaddr *)&client,
	    (struct sockaddr *)&local);
	ok(r == IDENT_AGAIN && id.fd != -1, "start returns at once");
	while (r == IDENT_AGAIN && steps++ < 1000) {
		struct pollfd	pfd = { id.fd, ident_events(&id), 0 };

		(void)poll(&pfd, 1, 5000);
		r = ident_step(&id);
	}
	server_stop(pid);
	is_int(r, IDENT_DONE, "stepping reaches the answer");
	is_str(id.user, "carol", "with its user");
	ident_init(&id);
	ident_cancel(&id, "timeout");
	ok(id.error == NULL, "cancelling an idle query does nothing");
}

int
main(void)
{
	memset(&client, 0, sizeof(client));
	client.sin_family = AF_INET;
	client.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	client.sin_port = htons(40001);
	local = client;
	local.sin_port = htons(23);
	test_answers();
	test_no_server();
	test_deadline();
	test_steps();
	return tap_done();
}
