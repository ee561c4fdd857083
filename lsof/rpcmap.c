/*
 * rpcmap.c: +M, the local portmapper's registrations.
 *
 * lsof 4.95 asks the portmapper on localhost for a dump of its map
 * (RFC 1833's PMAPPROC_DUMP, version 2, over TCP) and shows the program
 * registered on a socket's local port after the port: "*:sunrpc
 * [portmapper]" without the space.  The call is made here directly: one
 * record-marked request, one reply of (program, version, protocol, port)
 * entries, the first entry for a protocol and port kept; program numbers
 * are named from /etc/rpc.  A portmapper that does not answer within the
 * time limit leaves the map empty, as one that is not running.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xmalloc.h"
#include "rpcmap.h"

#define PMAP_PORT	111
#define PMAP_PROG	100000
#define PMAP_VERS	2
#define PMAP_DUMP	4
#define RPC_CALL	0
#define RPC_REPLY	1
#define RPC_VERSION	2
#define REPLY_MAX	(1024 * 1024)	/* a map is a few hundred bytes */

struct rpcent_map {
	int		 proto;
	int		 port;
	unsigned long	 prog;
	char		*name;
};

struct rpcmap {
	struct rpcent_map	*v;
	size_t			 n;
};

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* The name /etc/rpc gives a program number, or its number in decimal. */
static char *
prog_name(unsigned long prog)
{
	FILE		*fp;
	char		 line[1024], name[256], *p;
	unsigned long	 num;

	if ((fp = fopen("/etc/rpc", "r")) != NULL) {
		while (fgets(line, sizeof(line), fp) != NULL) {
			if ((p = strchr(line, '#')) != NULL)
				*p = '\0';
			if (sscanf(line, "%255s %lu", name, &num) == 2 &&
			    num == prog) {
				fclose(fp);
				return xstrdup(name);
			}
		}
		fclose(fp);
	}
	snprintf(name, sizeof(name), "%lu", prog);
	return xstrdup(name);
}

/*
 * An accepted reply's body: the map, entries while "more" is 1.  0, or
 * -1 for a reply that is not a successful one.
 */
int
rpcmap_parse(struct rpcmap *m, const unsigned char *p, size_t len)
{
	const unsigned char	*end = p + len;
	struct rpcent_map	*e;
	uint32_t		 vlen;
	size_t			 i;

	/* xid, REPLY, MSG_ACCEPTED, verifier flavor and length */
	if (len < 20 || get32(p + 4) != RPC_REPLY || get32(p + 8) != 0)
		return -1;
	vlen = get32(p + 16);
	if (vlen > 400)
		return -1;
	p += 20 + ((vlen + 3) & ~3u);
	if (end - p < 4 || get32(p) != 0)	/* SUCCESS */
		return -1;
	for (p += 4; end - p >= 4 && get32(p) == 1; p += 20) {
		if (end - p < 20)
			return -1;
		for (i = 0; i < m->n; i++)
			if (m->v[i].proto == (int)get32(p + 12) &&
			    m->v[i].port == (int)get32(p + 16))
				break;
		if (i < m->n)
			continue;
		m->v = xreallocarray(m->v, m->n + 1, sizeof(*m->v));
		e = &m->v[m->n++];
		e->prog = get32(p + 4);
		e->proto = (int)get32(p + 12);
		e->port = (int)get32(p + 16);
		e->name = NULL;
	}
	return 0;
}

/* Wait until fd is ready for events or the deadline passes; -1 then. */
static int
wait_fd(int fd, short events, const struct timespec *deadline)
{
	struct pollfd	pfd;
	struct timespec	now;
	long		ms;
	int		rv;

	pfd.fd = fd;
	pfd.events = events;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (deadline->tv_sec - now.tv_sec) * 1000 +
		    (deadline->tv_nsec - now.tv_nsec) / 1000000;
		if (ms <= 0)
			return -1;
		if ((rv = poll(&pfd, 1, (int)ms)) == -1 && errno == EINTR)
			continue;
		return rv == 1 ? 0 : -1;
	}
}

/* Read exactly len bytes before the deadline; -1 if they do not come. */
static int
read_full(int fd, unsigned char *buf, size_t len,
    const struct timespec *deadline)
{
	ssize_t	n;
	size_t	got = 0;

	while (got < len) {
		if (wait_fd(fd, POLLIN, deadline) == -1)
			return -1;
		n = read(fd, buf + got, len - got);
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

/* The reply's record fragments, joined; NULL if it does not come. */
static unsigned char *
reply_read(int fd, size_t *lenp, const struct timespec *deadline)
{
	unsigned char	 hdr[4], *buf = NULL;
	size_t		 len = 0, flen;
	int		 last;

	do {
		if (read_full(fd, hdr, 4, deadline) == -1)
			goto fail;
		last = (hdr[0] & 0x80) != 0;
		flen = get32(hdr) & 0x7fffffff;
		if (len + flen > REPLY_MAX)
			goto fail;
		buf = xreallocarray(buf, len + flen + 1, 1);
		if (read_full(fd, buf + len, flen, deadline) == -1)
			goto fail;
		len += flen;
	} while (!last);
	*lenp = len;
	return buf;
fail:
	free(buf);
	return NULL;
}

static int
pmap_connect(const struct timespec *deadline)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof(int);
	int			fd, err = 0;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(PMAP_PORT);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0)
		return fd;
	if (errno != EINPROGRESS || wait_fd(fd, POLLOUT, deadline) == -1 ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1 ||
	    err != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

struct rpcmap *
rpcmap_new(void)
{
	return xcalloc(1, sizeof(struct rpcmap));
}

struct rpcmap *
rpcmap_load(int timeout)
{
	struct rpcmap	*m;
	struct timespec	 deadline;
	unsigned char	 call[44], *reply;
	size_t		 len, i;
	uint32_t	 xid = (uint32_t)getpid() ^ (uint32_t)time(NULL);
	int		 fd;

	m = rpcmap_new();
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout;
	if ((fd = pmap_connect(&deadline)) == -1)
		return m;
	memset(call, 0, sizeof(call));
	put32(call, 0x80000000u | 40);		/* the last (only) fragment */
	put32(call + 4, xid);
	put32(call + 8, RPC_CALL);
	put32(call + 12, RPC_VERSION);
	put32(call + 16, PMAP_PROG);
	put32(call + 20, PMAP_VERS);
	put32(call + 24, PMAP_DUMP);		/* then AUTH_NONE twice */
	if (wait_fd(fd, POLLOUT, &deadline) == 0 &&
	    write(fd, call, sizeof(call)) == (ssize_t)sizeof(call) &&
	    (reply = reply_read(fd, &len, &deadline)) != NULL) {
		if (len < 4 || get32(reply) != xid ||
		    rpcmap_parse(m, reply, len) == -1)
			m->n = 0;
		free(reply);
	}
	close(fd);
	for (i = 0; i < m->n; i++)
		m->v[i].name = prog_name(m->v[i].prog);
	return m;
}

const char *
rpcmap_name(const struct rpcmap *m, int proto, int port)
{
	size_t	i;

	for (i = 0; m != NULL && i < m->n; i++)
		if (m->v[i].proto == proto && m->v[i].port == port)
			return m->v[i].name;
	return NULL;
}

void
rpcmap_free(struct rpcmap *m)
{
	size_t	i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++)
		free(m->v[i].name);
	free(m->v);
	free(m);
}
