/*
 * ident.c: the RFC 1413 client, one non-blocking state machine shared by
 * every caller (see ident.h).
 *
 * Replies are taken up to the first newline, or to the end of the
 * stream when the server closes without one, and at most IDENT_LINE
 * bytes: a server cannot make the client hold more than that or wait
 * longer than its caller's deadline.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "deadline.h"
#include "ident.h"

#define PH_CONNECT	0
#define PH_SEND		1
#define PH_RECEIVE	2

static socklen_t
ident_salen(int family)
{
	return family == AF_INET6 ? sizeof(struct sockaddr_in6) :
	    sizeof(struct sockaddr_in);
}

void
ident_init(struct ident *id)
{
	memset(id, 0, sizeof(*id));
	id->fd = -1;
	id->port = IDENT_PORT;
}

static enum ident_status
ident_fail(struct ident *id, const char *why)
{
	if (id->fd != -1)
		(void)close(id->fd);
	id->fd = -1;
	id->error = why;
	return IDENT_FAILED;
}

void
ident_cancel(struct ident *id, const char *why)
{
	if (id->fd != -1)
		(void)ident_fail(id, why);
}

/*
 * Begin a query about the connection from client to local.  Returns
 * IDENT_AGAIN with id->fd to poll, or IDENT_FAILED.
 */
enum ident_status
ident_start(struct ident *id, const struct sockaddr *client,
    const struct sockaddr *local)
{
	struct sockaddr_storage	 there, here;
	socklen_t		 len;

	if (id->port == 0)
		id->port = IDENT_PORT;
	id->fd = -1;
	if (client == NULL || local == NULL ||
	    (client->sa_family != AF_INET && client->sa_family != AF_INET6) ||
	    client->sa_family != local->sa_family)
		return ident_fail(id, "no address");
	len = ident_salen(client->sa_family);
	memset(&there, 0, sizeof(there));
	memset(&here, 0, sizeof(here));
	memcpy(&there, client, len);
	memcpy(&here, local, len);
	id->rport = addr_sockaddr_port(&there);
	id->lport = addr_sockaddr_port(&here);
	id->qlen = (size_t)snprintf(id->query, sizeof(id->query),
	    "%u,%u\r\n", id->rport, id->lport);
	addr_sockaddr_set_port(&there, (uint16_t)id->port);
	addr_sockaddr_set_port(&here, 0);
	id->fd = socket(there.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (id->fd == -1)
		return ident_fail(id, "system error");
	/* From the address the client reached, for multi-homed hosts. */
	if (bind(id->fd, (struct sockaddr *)&here, len) == -1)
		return ident_fail(id, "system error");
	id->phase = PH_CONNECT;
	if (connect(id->fd, (struct sockaddr *)&there, len) == 0)
		id->phase = PH_SEND;
	else if (errno != EINPROGRESS && errno != EINTR)
		return ident_fail(id, "no server");
	return IDENT_AGAIN;
}

short
ident_events(const struct ident *id)
{
	return id->phase == PH_RECEIVE ? POLLIN : POLLOUT;
}

/* "rport , lport : USERID : opsys [, charset] : user", ports checked. */
static enum ident_status
ident_parse(struct ident *id)
{
	unsigned	 rp, lp;
	char		*p, *eol;
	int		 n = 0;

	if ((eol = memchr(id->buf, '\n', id->len)) != NULL)
		*eol = '\0';
	id->buf[strcspn(id->buf, "\r\n")] = '\0';
	if (sscanf(id->buf, " %u , %u :%n", &rp, &lp, &n) != 2 || n == 0 ||
	    rp != id->rport || lp != id->lport)
		return ident_fail(id, "bad response");
	p = id->buf + n;
	p += strspn(p, " \t");
	if (strncmp(p, "USERID", 6) != 0)
		return ident_fail(id, "bad response");
	p += 6;
	p += strspn(p, " \t");
	if (*p++ != ':')
		return ident_fail(id, "bad response");
	p += strspn(p, " \t");
	if (*p == '\0' || (id->info = p, (p = strchr(p, ':')) == NULL))
		return ident_fail(id, "bad response");
	p++;
	p += strspn(p, " \t");
	n = (int)strcspn(p, " \t");
	if (n == 0 || (size_t)n >= sizeof(id->user))
		return ident_fail(id, "bad response");
	memcpy(id->user, p, (size_t)n);
	id->user[n] = '\0';
	(void)close(id->fd);
	id->fd = -1;
	return IDENT_DONE;
}

static enum ident_status
ident_send(struct ident *id)
{
	ssize_t	n;

	while (id->qoff < id->qlen) {
		n = send(id->fd, id->query + id->qoff, id->qlen - id->qoff,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return IDENT_AGAIN;
			return ident_fail(id, "system error");
		}
		id->qoff += (size_t)n;
	}
	id->phase = PH_RECEIVE;
	return IDENT_AGAIN;
}

static enum ident_status
ident_receive(struct ident *id)
{
	ssize_t	n;

	for (;;) {
		n = recv(id->fd, id->buf + id->len, sizeof(id->buf) - 1 -
		    id->len, MSG_DONTWAIT);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return IDENT_AGAIN;
			return ident_fail(id,
			    "error while receiving response");
		}
		id->len += (size_t)n;
		id->buf[id->len] = '\0';
		if (n == 0 && id->len == 0)
			return ident_fail(id,
			    "error while receiving response");
		if (n == 0 || memchr(id->buf, '\n', id->len) != NULL ||
		    id->len == sizeof(id->buf) - 1)
			return ident_parse(id);
	}
}

/* Move the query on after its descriptor polled ready. */
enum ident_status
ident_step(struct ident *id)
{
	socklen_t	len = sizeof(int);
	int		err = 0;

	if (id->fd == -1)
		return id->error != NULL ? IDENT_FAILED : IDENT_DONE;
	if (id->phase == PH_CONNECT) {
		if (getsockopt(id->fd, SOL_SOCKET, SO_ERROR, &err, &len) ==
		    -1 || err != 0)
			return ident_fail(id, "no server");
		id->phase = PH_SEND;
	}
	if (id->phase == PH_SEND && ident_send(id) != IDENT_AGAIN)
		return IDENT_FAILED;
	if (id->phase == PH_RECEIVE)
		return ident_receive(id);
	return IDENT_AGAIN;
}

/*
 * The whole query, waiting for it here: for processes that may wait.
 * The deadline holds across EINTR, and a wait is never negative (which
 * poll(2) would take as "forever").
 */
enum ident_status
ident_query(struct ident *id, const struct sockaddr *client,
    const struct sockaddr *local, int timeout_ms)
{
	struct timespec	 end, now;
	struct pollfd	 pfd;
	enum ident_status r;
	long long	 left;
	int		 n;

	deadline_now(&end);
	end.tv_sec += timeout_ms / 1000;
	end.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	for (r = ident_start(id, client, local); r == IDENT_AGAIN;
	    r = ident_step(id)) {
		do {
			deadline_now(&now);
			if ((left = deadline_diff_ms(&now, &end)) <= 0) {
				ident_cancel(id, id->phase == PH_CONNECT ?
				    "no server" :
				    "error while receiving response");
				return IDENT_FAILED;
			}
			pfd.fd = id->fd;
			pfd.events = ident_events(id);
			n = poll(&pfd, 1, (int)left);
		} while (n == 0 || (n == -1 && errno == EINTR));
		if (n == -1)
			return ident_fail(id, "system error");
	}
	return r;
}
