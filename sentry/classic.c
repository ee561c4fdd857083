/*
 * classic.c: the classic modes, -tcp and -udp: bind the ports of
 * TCP_PORTS and UDP_PORTS and take any connection or datagram as a probe.
 *
 * portsentry 1.2 binds at most 64 ports, one select() set, without
 * SO_REUSEADDR (a restart fails on ports with connections in TIME_WAIT),
 * IPv4 only, and after a port fails to bind it reports later connections
 * with the wrong port number.  Here every port of the list is bound, one
 * socket each, IPv6 with IPv4 mapped in where the system allows (IPv4
 * alone where not), each port keeps its own number, and a port that
 * cannot be bound is reported once while the others work.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "sentry.h"
#include "xmalloc.h"

#define ACCEPT_BATCH	32	/* connections or datagrams per wake-up */
#define LISTEN_BACKLOG	128

/* Make room for one descriptor per port. */
static void
classic_nofile(size_t need)
{
	struct rlimit	rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur >= need + 64)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need + 64 ?
	    need + 64 : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
		log_warn("setrlimit RLIMIT_NOFILE %zu", need + 64);
}

/* One socket on the port, IPv6 and IPv4 at once if possible; -1. */
static int
classic_bind(int proto, int port)
{
	struct sockaddr_storage	ss;
	struct addr		any;
	socklen_t		len;
	int			fd, on = 1, off = 0, fam = AF_INET6, type;

	type = (proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM) |
	    SOCK_NONBLOCK | SOCK_CLOEXEC;
	if ((fd = socket(AF_INET6, type, 0)) == -1 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) ==
	    -1) {
		if (fd != -1)
			(void)close(fd);
		fam = AF_INET;
		if ((fd = socket(AF_INET, type, 0)) == -1)
			return -1;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	memset(&any, 0, sizeof(any));
	any.family = fam;
	len = addr_to_sockaddr(&any, (uint16_t)port, &ss);
	if (bind(fd, (struct sockaddr *)&ss, len) == -1 ||
	    (proto == IPPROTO_TCP && listen(fd, LISTEN_BACKLOG) == -1)) {
		int	saved = errno;

		(void)close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* The ports of a classic mode a stealth mode does not watch already. */
static int
classic_mode_open(struct sentry *s, int mode)
{
	int		 proto = mode_proto(mode), pi = proto == IPPROTO_TCP ?
			    0 : 1, port, bound = 0, yielded = 0, fd;
	const char	*pn = proto == IPPROTO_TCP ? "TCP" : "UDP";

	for (port = portlist_next(&s->conf.ports, proto, 0); port != -1;
	    port = portlist_next(&s->conf.ports, proto, port + 1)) {
		if (s->watch[pi] != NULL && s->watch[pi][port] != 0) {
			yielded++;
			continue;
		}
		log_msg(LOG_NOTICE, "adminalert: Going into listen mode on %s "
		    "port: %d", pn, port);
		if ((fd = classic_bind(proto, port)) == -1) {
			log_msg(LOG_NOTICE, "adminalert: ERROR: could not bind "
			    "%s socket: %d. Attempting to continue (%s)", pn,
			    port, strerror(errno));
			continue;
		}
		s->cls = xreallocarray(s->cls, s->ncls + 1, sizeof(*s->cls));
		s->cls[s->ncls].fd = fd;
		s->cls[s->ncls].mode = mode;
		s->cls[s->ncls].port = (uint16_t)port;
		s->ncls++;
		bound++;
	}
	if (yielded > 0)
		log_msg(LOG_NOTICE, "adminalert: -%s leaves %d %s port%s to "
		    "the stealth modes", mode_name(mode), yielded, pn,
		    yielded == 1 ? "" : "s");
	if (bound == 0 && yielded == 0) {
		log_msg(LOG_NOTICE, "adminalert: ERROR: could not bind ANY %s "
		    "sockets. Shutting down.", pn);
		return -1;
	}
	return 0;
}

int
classic_open(struct sentry *s)
{
	int	mode;

	classic_nofile(portlist_count(&s->conf.ports, IPPROTO_TCP) +
	    portlist_count(&s->conf.ports, IPPROTO_UDP));
	for (mode = MODE_TCP; mode <= MODE_UDP; mode++)
		if ((s->modes & MODE_BIT(mode)) &&
		    classic_mode_open(s, mode) == -1)
			return -1;
	return 0;
}

static void
classic_probe(struct sentry *s, struct classic *c,
    const struct sockaddr_storage *ss, socklen_t len, int fd)
{
	struct sentry_event	ev;
	struct addr		a;

	memset(&ev, 0, sizeof(ev));
	if (addr_from_sockaddr(&a, NULL, (const struct sockaddr *)ss,
	    len) == -1)
		return;
	if (!addr_unmap(&ev.src, &a))
		ev.src = a;
	(void)clock_gettime(CLOCK_REALTIME, &ev.ts);
	ev.port = c->port;
	ev.mode = (uint8_t)c->mode;
	ev.proto = (uint8_t)mode_proto(c->mode);
	if (!sentry_probe(s, &ev) || s->conf.port_banner == NULL)
		return;
	/* 1.2 answers the probes it reports with PORT_BANNER. */
	if (c->mode == MODE_TCP)
		(void)send(fd, s->conf.port_banner,
		    strlen(s->conf.port_banner), MSG_DONTWAIT | MSG_NOSIGNAL);
	else
		(void)sendto(fd, s->conf.port_banner,
		    strlen(s->conf.port_banner), MSG_DONTWAIT | MSG_NOSIGNAL,
		    (const struct sockaddr *)ss, len);
}

static void
classic_accept(struct sentry *s, struct classic *c)
{
	struct sockaddr_storage	ss;
	socklen_t		len;
	int			i, fd;

	for (i = 0; i < ACCEPT_BATCH; i++) {
		len = sizeof(ss);
		fd = accept4(c->fd, (struct sockaddr *)&ss, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EINTR)
				continue;
			if (errno == ECONNABORTED)
				log_msg(LOG_NOTICE, "attackalert: Possible "
				    "stealth scan from unknown host to TCP "
				    "port: %d (accept failed)", c->port);
			else if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn("accept on TCP port %d", c->port);
			return;
		}
		classic_probe(s, c, &ss, len, fd);
		(void)close(fd);
	}
}

static void
classic_recv(struct sentry *s, struct classic *c)
{
	struct sockaddr_storage	ss;
	socklen_t		len;
	char			b[512];
	int			i;

	for (i = 0; i < ACCEPT_BATCH; i++) {
		len = sizeof(ss);
		if (recvfrom(c->fd, b, sizeof(b), MSG_DONTWAIT,
		    (struct sockaddr *)&ss, &len) == -1) {
			if (errno == EINTR)
				continue;
			return;
		}
		classic_probe(s, c, &ss, len, c->fd);
	}
}

void
classic_event(struct sentry *s, struct classic *c)
{
	if (c->mode == MODE_TCP)
		classic_accept(s, c);
	else
		classic_recv(s, c);
}

void
classic_close(struct sentry *s)
{
	size_t	i;

	for (i = 0; i < s->ncls; i++)
		(void)close(s->cls[i].fd);
	free(s->cls);
	s->cls = NULL;
	s->ncls = 0;
}
