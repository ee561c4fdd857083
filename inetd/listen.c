/*
 * listen.c: the sockets inetd listens on.
 *
 * A listener is keyed by family, socket type, protocol, address, port
 * and v6only.  On a reload the listeners of the old configuration are
 * first orphaned, and a new service with the same key adopts the open
 * socket instead of binding again, so clients never see the port close
 * and queued connections are not lost; orphans nobody adopted are then
 * closed.
 *
 * Only the sockets inetd accepts on itself are non-blocking: a wait=yes
 * or datagram socket is handed to a server, which expects the blocking
 * socket every inetd has always given it (O_NONBLOCK is shared by every
 * descriptor of a socket), so inetd reads those with MSG_DONTWAIT.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "inetd.h"
#include "log.h"
#include "xmalloc.h"

static int
listen_same_addr(const struct bindaddr *a, const struct bindaddr *b)
{
	unsigned char	ka[16], kb[16];

	if (a->ss.ss_family != b->ss.ss_family || a->v6only != b->v6only)
		return 0;
	(void)addr_key((const struct sockaddr *)&a->ss, ka);
	(void)addr_key((const struct sockaddr *)&b->ss, kb);
	if (a->ss.ss_family == AF_INET6 &&
	    ((const struct sockaddr_in6 *)&a->ss)->sin6_scope_id !=
	    ((const struct sockaddr_in6 *)&b->ss)->sin6_scope_id)
		return 0;
	return memcmp(ka, kb, 16) == 0;
}

/* An orphaned listener with this key, for a reload to adopt. */
struct listener *
listen_find(struct inetd *st, int family, int socktype, int proto,
    const struct bindaddr *ba, int port)
{
	int	i;

	for (i = 0; i < st->nlsts; i++) {
		struct listener	*l = st->lsts[i];

		if (l->svc == NULL && l->family == family &&
		    l->socktype == socktype && l->proto == proto &&
		    l->port == port && listen_same_addr(&l->addr, ba))
			return l;
	}
	return NULL;
}

static void
listen_register(struct inetd *st, struct listener *l)
{
	st->lsts = xreallocarray(st->lsts, (size_t)st->nlsts + 1,
	    sizeof(*st->lsts));
	st->lsts[st->nlsts++] = l;
	st->pollfd_dirty = 1;
}

/* Close a listener for good; children holding it keep their own copy. */
void
listen_close(struct inetd *st, struct listener *l)
{
	struct service	*sp = l->svc;
	struct child	*c;
	int		 i;

	for (i = 0; i < st->nlsts; i++)
		if (st->lsts[i] == l) {
			st->lsts[i] = st->lsts[--st->nlsts];
			break;
		}
	for (i = 0; sp != NULL && i < sp->nlst; i++)
		if (sp->lst[i] == l) {
			sp->lst[i] = sp->lst[--sp->nlst];
			break;
		}
	for (i = 0; i < CHILD_BUCKETS; i++)
		for (c = st->children[i]; c != NULL; c = c->next)
			if (c->held == l)
				c->held = NULL;
	if (l->fd != -1)
		(void)close(l->fd);
	st->pollfd_dirty = 1;
	free(l);
}

/* Socket options that follow the service, set again on adoption too. */
static void
listen_options(struct listener *l, const struct svcconf *sc)
{
	int	one = 1, fl;

	if (l->proto == IPPROTO_TCP) {
		one = (sc->flags & SF_NODELAY) != 0;
		(void)setsockopt(l->fd, IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof(one));
		one = (sc->flags & SF_KEEPALIVE) != 0;
		(void)setsockopt(l->fd, SOL_SOCKET, SO_KEEPALIVE, &one,
		    sizeof(one));
	}
	if (sc->sndbuf > 0)
		(void)setsockopt(l->fd, SOL_SOCKET, SO_SNDBUF, &sc->sndbuf,
		    sizeof(sc->sndbuf));
	if (sc->rcvbuf > 0)
		(void)setsockopt(l->fd, SOL_SOCKET, SO_RCVBUF, &sc->rcvbuf,
		    sizeof(sc->rcvbuf));
	fl = fcntl(l->fd, F_GETFL);
	if (fl != -1) {
		if (sc->socktype == SOCK_STREAM && !sc->wait)
			fl |= O_NONBLOCK;
		else
			fl &= ~O_NONBLOCK;
		(void)fcntl(l->fd, F_SETFL, fl);
	}
}

static struct listener *
listen_new(struct inetd *st, const struct svcconf *sc,
    const struct bindaddr *ba, int *err)
{
	struct listener	*l;
	struct bindaddr	 a = *ba;
	int		 fd, one = 1;

	addr_sockaddr_set_port(&a.ss, (uint16_t)sc->port);
	fd = socket(a.ss.ss_family, sc->socktype | SOCK_CLOEXEC, sc->proto);
	if (fd == -1) {
		*err = errno;
		return NULL;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (a.ss.ss_family == AF_INET6 && a.v6only != -1)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &a.v6only,
		    sizeof(a.v6only));
	if (bind(fd, (struct sockaddr *)&a.ss, a.len) == -1 ||
	    (sc->socktype == SOCK_STREAM &&
	    listen(fd, st->opt.backlog) == -1)) {
		*err = errno;
		(void)close(fd);
		return NULL;
	}
	l = xcalloc(1, sizeof(*l));
	l->fd = fd;
	l->family = a.ss.ss_family;
	l->socktype = sc->socktype;
	l->proto = sc->proto;
	l->addr = *ba;
	l->port = sc->port;
	listen_register(st, l);
	return l;
}

static void
listen_attach(struct service *sp, struct listener *l)
{
	sp->lst = xreallocarray(sp->lst, (size_t)sp->nlst + 1,
	    sizeof(*sp->lst));
	sp->lst[sp->nlst++] = l;
	l->svc = sp;
	l->keep = 1;
}

static void
listen_fail_msg(const struct svcconf *sc, const struct bindaddr *ba, int err)
{
	char	host[64];

	if (addr_numeric((const struct sockaddr *)&ba->ss, host,
	    sizeof(host)) == -1)
		(void)strlcpy(host, "?", sizeof(host));
	log_msg(LOG_ERR, "service %s: cannot listen on %s%s%s port %d/%s: %s",
	    sc->id, ba->ss.ss_family == AF_INET6 ? "[" : "", host,
	    ba->ss.ss_family == AF_INET6 ? "]" : "", sc->port,
	    sc->protoname != NULL ? sc->protoname : "?", strerror(err));
}

/*
 * Open (or adopt) every socket of sp.  An IPv6 wildcard falls back to
 * IPv4 where the kernel has no IPv6, as xinetd does.  Returns 0 when at
 * least one socket listens, -1 (logged) when none does.
 */
int
listen_open(struct inetd *st, struct service *sp)
{
	const struct svcconf	*sc = sp->conf;
	struct listener		*l;
	struct bindaddr		 ba;
	int			 i, err = 0, fam;

	if (sc->type & (ST_TCPMUX | ST_TCPMUXPLUS))
		return 0;	/* reached through the tcpmux service */
	for (i = 0; i < sc->nbinds; i++) {
		ba = sc->binds[i];
		fam = ba.ss.ss_family;
		l = listen_find(st, fam, sc->socktype, sc->proto, &ba,
		    sc->port);
		if (l == NULL)
			l = listen_new(st, sc, &ba, &err);
		if (l == NULL && fam == AF_INET6 && sc->bindstr == NULL &&
		    sc->nbinds == 1 && (err == EAFNOSUPPORT ||
		    err == EADDRNOTAVAIL)) {
			log_msg(LOG_NOTICE, "service %s: no IPv6, trying IPv4",
			    sc->id);
			memset(&ba, 0, sizeof(ba));
			ba.ss.ss_family = AF_INET;
			ba.len = sizeof(struct sockaddr_in);
			ba.v6only = -1;
			l = listen_new(st, sc, &ba, &err);
		}
		if (l == NULL) {
			listen_fail_msg(sc, &ba, err);
			continue;
		}
		listen_options(l, sc);
		listen_attach(sp, l);
	}
	st->pollfd_dirty = 1;
	return sp->nlst > 0 ? 0 : -1;
}

/* Close all of sp's sockets (a tripped rate limit, or a failed start). */
void
listen_release(struct inetd *st, struct service *sp)
{
	while (sp->nlst > 0)
		listen_close(st, sp->lst[0]);
	free(sp->lst);
	sp->lst = NULL;
	sp->nlst = 0;
}

/* Let sp's sockets go without closing them: a reload may adopt them. */
int
listen_adopt(struct inetd *st, struct service *sp)
{
	int	i;

	(void)st;
	for (i = 0; i < sp->nlst; i++) {
		sp->lst[i]->svc = NULL;
		sp->lst[i]->keep = 0;
	}
	free(sp->lst);
	sp->lst = NULL;
	sp->nlst = 0;
	return 0;
}
