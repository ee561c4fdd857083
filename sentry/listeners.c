/*
 * listeners.c: which ports have a service on them, from the kernel's
 * socket tables.
 *
 * A stealth or advanced mode must never report a packet to a port some
 * program listens on: that is a client, not a scan.  portsentry 1.2 finds
 * out by trying to bind() the port, at start and again for every packet;
 * a port held only by a connection in TIME_WAIT makes that bind fail, so
 * 1.2 wrongly skips it, and a bind on every packet is slow.  Here the
 * listening TCP sockets and the bound UDP sockets come from one sock_diag
 * dump per batch of packets (common/procnet), so the set is never older
 * than the packets it judges, and services that start or stop are seen at
 * once.  Where sock_diag is missing, each port is tried with bind() as 1.2
 * does, with SO_REUSEADDR so that TIME_WAIT does not count.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "deadline.h"
#include "log.h"
#include "procnet.h"
#include "sentry.h"

static void
listeners_add(const struct procnet_sock *s, void *arg)
{
	struct portlist	*pl = arg;

	(void)portlist_add(pl, s->proto, s->lport);
}

/* Dump the tables again.  On failure, fall back to bind() probes. */
void
listeners_refresh(struct listeners *l)
{
	static const int	fams[] = { AF_INET, AF_INET6 };
	struct portlist		pl;
	size_t			i;

	if (l->failed)
		return;
	portlist_clear(&pl);
	for (i = 0; i < nitems(fams); i++) {
		if (procnet_dump_inet(fams[i], IPPROTO_TCP,
		    1U << PROCNET_LISTEN, listeners_add, &pl) == -1 ||
		    procnet_dump_inet(fams[i], IPPROTO_UDP, 0xfffU,
		    listeners_add, &pl) == -1) {
			if (errno == EAFNOSUPPORT || errno == ENOENT)
				continue;	/* no IPv6 here */
			log_msg(LOG_WARNING, "adminalert: cannot read the "
			    "socket tables (%s); testing ports with bind() "
			    "instead", strerror(errno));
			l->failed = 1;
			return;
		}
	}
	l->inuse = pl;
	deadline_now(&l->when);
	l->dumps++;
}

/* 1 when bind() to the port fails: something holds it. */
static int
listeners_bind_test(int proto, int port)
{
	struct sockaddr_storage	ss;
	struct addr		any;
	socklen_t		len;
	int			fd, on = 1, r, fam;

	fam = AF_INET6;
	if ((fd = socket(fam, proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM,
	    0)) == -1) {
		fam = AF_INET;
		if ((fd = socket(fam, proto == IPPROTO_TCP ? SOCK_STREAM :
		    SOCK_DGRAM, 0)) == -1)
			return 0;
	}
	memset(&any, 0, sizeof(any));
	any.family = fam;
	len = addr_to_sockaddr(&any, (uint16_t)port, &ss);
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	r = bind(fd, (struct sockaddr *)&ss, len) == -1 &&
	    errno == EADDRINUSE;
	(void)close(fd);
	return r;
}

int
listeners_has(const struct listeners *l, int proto, int port)
{
	if (l->failed)
		return listeners_bind_test(proto, port);
	return portlist_has(&l->inuse, proto, port);
}
