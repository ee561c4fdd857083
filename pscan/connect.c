/*
 * connect.c: the connect scan (-sT), which needs no privileges: the
 * kernel performs the handshake, and the way connect(2) ends tells the
 * port's state.
 *
 * Every probe is a non-blocking socket watched by the engine's poll loop,
 * thousands at a time.  The errno a connection ends with maps to a state
 * as nmap maps it: success is open, ECONNREFUSED (a reset, or an ICMP
 * port unreachable) closed, and the unreachable errors and EACCES
 * filtered.  An open port's socket is closed with SO_LINGER 0, so that it
 * ends with a reset and leaves no TIME_WAIT behind.
 *
 * A socket whose connection was refused is used again for the next
 * probe, after a connect(2) to AF_UNSPEC has dissolved it (as POSIX
 * allows and Linux does): that saves a socket(2) and a close(2) per
 * closed port, most of the ports of most hosts.  Where the system
 * refuses it, sockets are not reused.
 *
 * Scanning a port of one's own address from an ephemeral port that
 * happens to be the same number makes TCP connect the socket to itself
 * (a simultaneous open): the connection succeeds with nobody listening.
 * getsockname(2) shows it, and the probe is made again from a port of
 * our choosing, so the answer comes from the port itself.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "pscan.h"

/* Descriptors kept back for output files, the capture and stdio. */
#define CONNECT_FD_RESERVE	32
/* Refused sockets kept for reuse, per family, at most. */
#define CONNECT_SPARE		1024
/* Descriptors at most, however many the system allows. */
#define CONNECT_MAX_FDS		8192
#define NOT_WATCHED		((size_t)-1)

struct cctx {
	struct scan	*sc;
	struct rand	 rnd;		/* the worker's own */
	int		 warned;	/* an unexpected errno was reported */
	int		 noreuse;	/* the system refused a reuse */
	int		 maxspare;
	int		 spare[2][CONNECT_SPARE];	/* AF_INET, AF_INET6 */
	int		 nspare[2];
};

/*
 * The descriptors the scan may hold, raising the limit if we may: half
 * for connections in flight, half for refused sockets kept for reuse.
 */
static int
connect_budget(void)
{
	struct rlimit	rl;
	rlim_t		want = CONNECT_MAX_FDS + CONNECT_FD_RESERVE;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return 64;
	if (rl.rlim_cur < want && rl.rlim_cur != RLIM_INFINITY) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ||
		    rl.rlim_max > want ? want : rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > want)
		return CONNECT_MAX_FDS;
	if (rl.rlim_cur < CONNECT_FD_RESERVE + 8)
		return 8;
	return (int)rl.rlim_cur - CONNECT_FD_RESERVE;
}

/* Keeps a refused socket for the next probe; 0 when it was not kept. */
static int
spare_put(struct cctx *c, int family, int fd)
{
	int	f = family == AF_INET6;

	if (c->noreuse || c->nspare[f] >= c->maxspare)
		return 0;
	c->spare[f][c->nspare[f]++] = fd;
	return 1;
}

/* A kept socket, dissolved and ready to connect again, or -1. */
static int
spare_get(struct cctx *c, int family)
{
	struct sockaddr	unspec;
	int		f = family == AF_INET6, fd;

	while (c->nspare[f] > 0) {
		fd = c->spare[f][--c->nspare[f]];
		memset(&unspec, 0, sizeof(unspec));
		unspec.sa_family = AF_UNSPEC;
		if (connect(fd, &unspec, sizeof(unspec)) == 0)
			return fd;
		(void)close(fd);
		c->noreuse = 1;
	}
	return -1;
}

static void
spare_close(struct cctx *c)
{
	int	f;

	for (f = 0; f < 2; f++)
		while (c->nspare[f] > 0)
			(void)close(c->spare[f][--c->nspare[f]]);
}

static int
socket_open(int family)
{
	int	s;

#ifdef SOCK_NONBLOCK
	if ((s = socket(family, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_TCP)) != -1 ||
	    errno != EINVAL)
		return s;
#endif
	if ((s = socket(family, SOCK_STREAM, IPPROTO_TCP)) == -1)
		return -1;
	if (fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK) == -1) {
		(void)close(s);
		return -1;
	}
	return s;
}

/* Errors of our own system rather than answers: the engine backs off. */
static int
local_error(int err)
{
	return err == EADDRNOTAVAIL || err == EAGAIN || err == ENOBUFS ||
	    err == ENOMEM || err == EMFILE || err == ENFILE ||
	    err == EADDRINUSE || err == EINTR;
}

/* nmap's mapping of how a connection ended; 0 for an unexpected errno. */
static int
connect_state(int err, uint8_t *state, uint8_t *why)
{
	static const struct {
		int	err;
		uint8_t	state, why;
	} map[] = {
		{ 0,		PS_OPEN,	WHY_CONNACCEPT },
		{ ECONNREFUSED,	PS_CLOSED,	WHY_CONNREFUSED },
		{ EHOSTUNREACH,	PS_FILTERED,	WHY_HOSTUNREACH },
		{ ENETUNREACH,	PS_FILTERED,	WHY_NETUNREACH },
		{ EACCES,	PS_FILTERED,	WHY_ADMINPROHIBITED },
		{ EPERM,	PS_FILTERED,	WHY_PERMDENIED },
		{ ETIMEDOUT,	PS_FILTERED,	WHY_NORESPONSE },
		{ EHOSTDOWN,	PS_FILTERED,	WHY_NORESPONSE },
#ifdef ENOPROTOOPT
		{ ENOPROTOOPT,	PS_FILTERED,	WHY_PROTOUNREACH },
#endif
#ifdef ENONET
		{ ENONET,	PS_FILTERED,	WHY_DESTUNREACH },
#endif
	};
	size_t	i;

	for (i = 0; i < nitems(map); i++)
		if (map[i].err == err) {
			*state = map[i].state;
			*why = map[i].why;
			return 1;
		}
	return 0;
}

/* Whether a connected socket is connected to itself. */
static int
self_connected(int fd, const struct probe *p)
{
	struct sockaddr_storage	ss;
	socklen_t		sl = sizeof(ss);
	struct addr		a;
	uint16_t		port;

	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == -1 ||
	    addr_from_sockaddr(&a, &port, (struct sockaddr *)&ss, sl) == -1)
		return 0;
	(void)addr_unmap(&a, &a);
	return port == p->portno && addr_cmp(&a, &p->host->addr) == 0;
}

static void	connect_ready(struct engine *, void *, short);
static int	connect_start(struct engine *, struct cctx *, struct probe *,
		    int rebind);

static void
socket_drop(struct engine *e, struct probe *p)
{
	if (p->fd < 0)
		return;
	if (p->watch != NOT_WATCHED)
		engine_unwatch(e, p->watch);
	p->watch = NOT_WATCHED;
	(void)close(p->fd);
	p->fd = -1;
}

static void
connect_done(struct engine *e, struct cctx *c, struct probe *p, int err)
{
	static const struct linger	rst = { 1, 0 };
	uint8_t				state, why;

	if (c->sc->packet_trace)
		trace_connect(e, p->host, p->portno, err);
	if (err == 0) {
		if (self_connected(p->fd, p)) {
			socket_drop(e, p);
			if (connect_start(e, c, p, 1) == -1)
				(void)connect_start(e, c, p, 0);
			return;
		}
		(void)setsockopt(p->fd, SOL_SOCKET, SO_LINGER, &rst,
		    sizeof(rst));
	}
	if (err == ECONNREFUSED && spare_put(c, p->host->addr.family,
	    p->fd)) {
		if (p->watch != NOT_WATCHED)
			engine_unwatch(e, p->watch);
		p->watch = NOT_WATCHED;
		p->fd = -1;
	}
	if (!connect_state(err, &state, &why)) {
		if (!c->warned++)
			warnx("unexpected error from a connection to %s port "
			    "%u: %s", host_ipstr(p->host), p->portno,
			    strerror(err));
		/* No answer to go by: the probe times out and is retried. */
		socket_drop(e, p);
		return;
	}
	engine_answer(e, p->host, p->port, p->tryno, p->ping, state, why, 0,
	    NULL);
}

static void
connect_ready(struct engine *e, void *arg, short revents)
{
	struct probe	*p = arg;
	struct cctx	*c = engine_ctx(e);
	socklen_t	 len = sizeof(int);
	int		 err = 0;

	(void)revents;
	if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err == EINPROGRESS || err == EALREADY)
		return;
	connect_done(e, c, p, err);
}

/* A source port of our choosing, for the retry after a self-connect. */
static int
rebind_port(struct cctx *c, int fd, const struct probe *p)
{
	struct sockaddr_storage	ss;
	struct addr		any;
	socklen_t		sl;
	uint16_t		port;
	int			i, on = 1;

	memset(&any, 0, sizeof(any));
	any.family = p->host->addr.family;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	for (i = 0; i < 8; i++) {
		port = (uint16_t)(1024 + rand_below(&c->rnd, 64512));
		if (port == p->portno)
			continue;
		sl = addr_to_sockaddr(&any, port, &ss);
		if (bind(fd, (struct sockaddr *)&ss, sl) == 0)
			return 0;
	}
	return -1;
}

static int
connect_start(struct engine *e, struct cctx *c, struct probe *p, int rebind)
{
	struct sockaddr_storage	ss;
	socklen_t		sl;
	int			s, err;

	sl = addr_to_sockaddr(&p->host->addr, p->portno, &ss);
	if ((rebind || (s = spare_get(c, p->host->addr.family)) == -1) &&
	    (s = socket_open(p->host->addr.family)) == -1)
		return -1;
	if (rebind && rebind_port(c, s, p) == -1) {
		(void)close(s);
		return -1;
	}
	p->fd = s;
	p->watch = NOT_WATCHED;
	if (connect(s, (struct sockaddr *)&ss, sl) == 0) {
		connect_done(e, c, p, 0);
		return 0;
	}
	err = errno;
	/* A reused socket the system will not connect again. */
	if (err == ECONNABORTED || err == EISCONN || err == EALREADY ||
	    err == EINVAL) {
		p->fd = -1;
		(void)close(s);
		c->noreuse = 1;
		spare_close(c);
		return connect_start(e, c, p, rebind);
	}
	if (err == EINPROGRESS) {
		if (c->sc->packet_trace)
			trace_connect(e, p->host, p->portno, err);
		(void)engine_watch(e, s, POLLOUT, connect_ready, p, &p->watch);
		return 0;
	}
	if (local_error(err)) {
		p->fd = -1;
		(void)close(s);
		errno = err;
		return -1;
	}
	connect_done(e, c, p, err);
	return 0;
}

/*
 * At the timeout, the kernel may know more than poll(2) said: an ICMP
 * error that arrived while the socket was busy is kept as a soft error,
 * and the connection goes on waiting.  SO_ERROR returns it.
 */
static int
connect_expire(struct engine *e, void *ctx, struct probe *p)
{
	socklen_t	len = sizeof(int);
	int		err = 0;
	uint8_t		state, why;

	if (p->fd < 0 || getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err,
	    &len) == -1 || err == 0 || !connect_state(err, &state, &why))
		return 0;
	connect_done(e, ctx, p, err);
	return 1;
}

static int
connect_send(struct engine *e, void *ctx, struct probe *p)
{
	return connect_start(e, ctx, p, 0);
}

static void
connect_release(struct engine *e, void *ctx, struct probe *p)
{
	(void)ctx;
	socket_drop(e, p);
}

int
connect_scan(struct scan *sc, struct host **hosts, size_t n, char *err,
    size_t errlen)
{
	struct probe_ops	 ops;
	struct cctx		 c[PSCAN_WORKERS_MAX];
	void			*ctx[PSCAN_WORKERS_MAX];
	unsigned int		 nw = engine_workers(sc, n, 0), w;
	int			 r, budget;

	(void)err;
	(void)errlen;
	memset(&ops, 0, sizeof(ops));
	ops.name = scan_name(SCAN_CONNECT);
	ops.silent = PS_FILTERED;
	ops.ping_open = 0;
	budget = connect_budget();
	ops.max_parallel = budget / 2 > 0 ? budget / 2 : 1;
	ops.send = connect_send;
	ops.release = connect_release;
	ops.expire = connect_expire;
	ops.up_on_answer = sc->discovering;
	for (w = 0; w < nw; w++) {
		memset(&c[w], 0, sizeof(c[w]));
		c[w].sc = sc;
		c[w].maxspare = budget / 4 / (int)nw;
		if (c[w].maxspare > CONNECT_SPARE)
			c[w].maxspare = CONNECT_SPARE;
		rand_fork(&sc->rnd, &c[w].rnd);
		ctx[w] = &c[w];
	}
	r = engine_scan_group(sc, &ops, ctx, nw, hosts, n, NULL);
	for (w = 0; w < nw; w++)
		spare_close(&c[w]);
	return r;
}
