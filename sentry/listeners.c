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
 * dump per batch of packets (common/procnet), of the protocol the batch
 * needs, so that services that start or stop are seen at once.  Where sock_diag is missing, each port is tried with bind() as 1.2
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

/*
 * Dump one protocol's table again (both families): listening TCP
 * sockets, or every bound UDP socket.  On failure, fall back to bind()
 * probes.
 */
void
listeners_refresh(struct listeners *l, int proto)
{
	static const int	fams[] = { AF_INET, AF_INET6 };
	struct portlist		pl;
	size_t			i;
	int			pi = proto == IPPROTO_TCP ? 0 : 1;

	if (l->failed)
		return;
	portlist_clear(&pl);
	for (i = 0; i < nitems(fams); i++) {
		if (procnet_dump_inet(fams[i], proto, proto == IPPROTO_TCP ?
		    1U << PROCNET_LISTEN : 0xfffU, listeners_add, &pl) == 0 ||
		    errno == EAFNOSUPPORT || errno == ENOENT)	/* no IPv6 */
			continue;
		log_msg(LOG_WARNING, "adminalert: cannot read the socket "
		    "tables (%s); testing ports with bind() instead",
		    strerror(errno));
		l->failed = 1;
		return;
	}
	l->inuse[pi] = pl;
	deadline_now(&l->when[pi]);
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
	return portlist_has(&l->inuse[proto == IPPROTO_TCP ? 0 : 1], proto,
	    port);
}
