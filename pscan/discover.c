/*
 * discover.c: host discovery: which targets are up, found before their
 * ports are scanned (or instead of it, with -sn).
 *
 * A host is up when anything at all answers from it.  Probes are sent
 * to every target at once and a host is done at its first answer; one
 * that answers none of them, in two tries, is down.  What is sent is
 * nmap's:
 *   - a target on a directly attached Ethernet gets an ARP request (it
 *     must answer ARP to answer anything, firewall or not), unless
 *     --disable-arp-ping or --send-ip;
 *   - other targets, with raw sockets, the probes asked for (-PE, -PP,
 *     -PM, -PS, -PA, -PU), by default nmap's four: an ICMP echo request,
 *     a TCP SYN to port 443, a TCP ACK to port 80 and an ICMP timestamp
 *     request.  An echo, timestamp or mask reply, any TCP answer (a
 *     SYN/ACK or a reset: a firewall that resets is on the host), a UDP
 *     reply, or an ICMP error from the target itself proves it up;
 *   - without raw sockets, a TCP connection to the -PS ports (80 and 443
 *     by default): accepted or refused, the host is up;
 *   - one of our own addresses is up without a probe.
 * -Pn skips all this: every target is up.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <err.h>
#include <errno.h>
#include <ifaddrs.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "packet.h"
#include "portlist.h"
#include "xmalloc.h"
#include "pscan.h"

#define ARP_FIRST_TIMEOUT	250	/* ms: a LAN answers ARP much sooner */
#define ARP_IFS_MAX		16

enum dkind { DK_ECHO, DK_TIMESTAMP, DK_MASK, DK_SYN, DK_ACK, DK_UDP };

/* One discovery probe, sent to every host of the group. */
struct dprobe {
	uint8_t		kind;
	uint16_t	port;		/* TCP and UDP */
};

struct dlist {
	struct dprobe	*v;
	size_t		 n;
};

/* The ARP sockets, one per interface, kept from one group to the next. */
struct arpset {
	char		*name[ARP_IFS_MAX];
	struct arp	*a[ARP_IFS_MAX];
	size_t		 n;
};

/* An ARP phase: the group's sockets per host, and the engine. */
struct arpctx {
	struct scan	 *sc;
	struct arp	**hostarp;	/* by the host's index in the phase */
	struct arpset	 *set;
	struct engine	 *e;
};

/* --- the probe list --------------------------------------------------- */

static void
dlist_add(struct dlist *dl, int kind, uint16_t port)
{
	dl->v = xreallocarray(dl->v, dl->n + 1, sizeof(*dl->v));
	dl->v[dl->n].kind = (uint8_t)kind;
	dl->v[dl->n].port = port;
	dl->n++;
}

/* The ports of -PS, -PA or -PU (def when none were given). */
static int
dlist_ports(struct dlist *dl, int kind, const char *spec, const char *def,
    char *err, size_t errlen)
{
	struct portlist	*pl = xcalloc(1, sizeof(*pl));
	int		 p, r;

	r = portlist_parse_plain(pl, IPPROTO_TCP, spec != NULL ? spec : def,
	    PORTLIST_RANGES, err, errlen);
	for (p = portlist_next(pl, IPPROTO_TCP, 0); r == 0 && p != -1;
	    p = portlist_next(pl, IPPROTO_TCP, p + 1))
		dlist_add(dl, kind, (uint16_t)p);
	free(pl);
	return r;
}

/* Whether a -PS, -PA or -PU port list is good: 0, or -1 with err set. */
int
discover_ports_check(const char *spec, char *err, size_t errlen)
{
	struct dlist	dl;
	int		r;

	memset(&dl, 0, sizeof(dl));
	r = dlist_ports(&dl, DK_SYN, spec, spec, err, errlen);
	free(dl.v);
	return r;
}

/* The probes the options ask for, or nmap's default four. */
static int
dlist_build(const struct options *o, struct dlist *dl, char *err,
    size_t errlen)
{
	unsigned int	pings = o->pings & ~(unsigned int)PING_ARP;

	memset(dl, 0, sizeof(*dl));
	if (pings == 0)
		pings = PING_ECHO | PING_SYN | PING_ACK | PING_TIMESTAMP;
	/* ICMP first: their sequence numbers hold a small index. */
	if (pings & PING_ECHO)
		dlist_add(dl, DK_ECHO, 0);
	if (pings & PING_TIMESTAMP)
		dlist_add(dl, DK_TIMESTAMP, 0);
	if (pings & PING_MASK)
		dlist_add(dl, DK_MASK, 0);
	if ((pings & PING_SYN) && dlist_ports(dl, DK_SYN, o->ping_ports[0],
	    o->pings == 0 ? "443" : "80", err, errlen) == -1)
		return -1;
	if ((pings & PING_ACK) && dlist_ports(dl, DK_ACK, o->ping_ports[1],
	    "80", err, errlen) == -1)
		return -1;
	if ((pings & PING_UDP) && dlist_ports(dl, DK_UDP, o->ping_ports[2],
	    "40125", err, errlen) == -1)
		return -1;
	return 0;
}

/* Timestamp and mask requests have no ICMPv6 kin. */
static int
dprobe_skip(const struct host *h, size_t k, void *arg)
{
	const struct dlist	*dl = arg;

	return dl != NULL && h->addr.family == AF_INET6 &&
	    (dl->v[k].kind == DK_TIMESTAMP || dl->v[k].kind == DK_MASK);
}

/* --- ARP ---------------------------------------------------------------- */

/* The ARP socket of the interface that owns src, opened once. */
static struct arp *
arpset_get(struct arpset *as, const struct addr *src)
{
	struct arp	*a;
	char		*name, err[256];
	size_t		 i;

	if ((name = raw_iface_of(src)) == NULL)
		return NULL;
	for (i = 0; i < as->n; i++)
		if (strcmp(as->name[i], name) == 0) {
			free(name);
			return as->a[i];
		}
	if (as->n == ARP_IFS_MAX || !arp_usable(name) ||
	    (a = arp_open(name, err, sizeof(err))) == NULL) {
		free(name);
		return NULL;
	}
	as->name[as->n] = name;
	as->a[as->n++] = a;
	return a;
}

void
discover_close(struct scan *sc)
{
	struct arpset	*as = sc->arpctx;
	size_t		 i;

	if (as == NULL)
		return;
	for (i = 0; i < as->n; i++) {
		arp_close(as->a[i]);
		free(as->name[i]);
	}
	free(as);
	sc->arpctx = NULL;
}

static int
arp_send(struct engine *e, void *ctx, struct probe *p)
{
	struct arpctx	*c = ctx;
	char		 a[ADDR_STRLEN], b[ADDR_STRLEN];

	if (c->sc->packet_trace)
		printf("SENT (%.4fs) ARP who-has %s tell %s\n",
		    engine_elapsed(e), addr_format(&p->host->addr, a,
		    sizeof(a)), addr_format(&p->host->src, b, sizeof(b)));
	return arp_request(c->hostarp[p->hidx], &p->host->src,
	    &p->host->addr);
}

/* Reads the replies waiting on one interface. */
static void
arp_drain(struct arpctx *c, struct arp *a)
{
	struct addr	 sender;
	struct host	*h;
	struct probe	*p;
	uint8_t		 mac[6];
	char		 s[ADDR_STRLEN], m[32];

	while (arp_reply(a, &sender, mac) == 1) {
		if ((h = engine_host_lookup(c->e, &sender)) == NULL)
			continue;
		if (c->sc->packet_trace) {
			output_mac_format(mac, m, sizeof(m));
			printf("RCVD (%.4fs) ARP reply %s is-at %s\n",
			    engine_elapsed(c->e), addr_format(&sender, s,
			    sizeof(s)), m);
		}
		(void)pthread_mutex_lock(&c->sc->lock);
		memcpy(h->mac, mac, sizeof(h->mac));
		h->hasmac = 1;
		(void)pthread_mutex_unlock(&c->sc->lock);
		p = engine_probe_of(c->e, h, 0);
		engine_answer(c->e, h, 0, p != NULL ? p->tryno : 0, 0, PS_OPEN,
		    WHY_ARPRESPONSE, 0, NULL);
	}
}

static void
arp_ready(struct engine *e, void *arg, short revents)
{
	struct arpctx	*c = engine_ctx(e);

	(void)revents;
	arp_drain(c, arg);
}

static void
arp_sync(struct engine *e, void *ctx)
{
	struct arpctx	*c = ctx;
	size_t		 i;

	(void)e;
	for (i = 0; i < c->set->n; i++)
		arp_drain(c, c->set->a[i]);
}

static void
arp_attach(struct engine *e, void *ctx)
{
	struct arpctx	*c = ctx;
	size_t		 i;

	c->e = e;
	for (i = 0; i < c->set->n; i++)
		(void)engine_watch(e, arp_fd(c->set->a[i]), POLLIN, arp_ready,
		    c->set->a[i], NULL);
}

static int
arp_run(struct scan *sc, struct host **g, size_t n, void *arg)
{
	struct probe_ops	 ops;
	void			*ctx = arg;

	memset(&ops, 0, sizeof(ops));
	ops.name = "ARP Ping Scan";
	ops.silent = PS_FILTERED;
	ops.max_parallel = 4096;
	ops.send = arp_send;
	ops.sync = arp_sync;
	ops.up_on_answer = 1;
	ops.first_timeout = ARP_FIRST_TIMEOUT;
	return engine_scan_group(sc, &ops, &ctx, 1, g, n, arp_attach);
}

/*
 * The hosts on a directly attached Ethernet go to an ARP phase; the
 * others stay in g.  Returns the new count of g.
 */
static size_t
arp_phase(struct scan *sc, struct host **g, size_t n, int *r)
{
	struct arpctx	  c;
	struct host	**v = xcalloc(n, sizeof(*v));
	size_t		  i, k = 0, rest = 0;
	struct arp	 *a;

	memset(&c, 0, sizeof(c));
	c.sc = sc;
	if (sc->arpctx == NULL)
		sc->arpctx = xcalloc(1, sizeof(struct arpset));
	c.set = sc->arpctx;
	c.hostarp = xcalloc(n, sizeof(*c.hostarp));
	for (i = 0; i < n; i++) {
		if (g[i]->addr.family == AF_INET && g[i]->onlink &&
		    g[i]->route_err == 0 &&
		    (a = arpset_get(c.set, &g[i]->src)) != NULL) {
			c.hostarp[k] = a;
			v[k++] = g[i];
		} else
			g[rest++] = g[i];
	}
	*r = 0;
	if (k > 0)
		*r = scan_hostprobes(sc, "ARP Ping Scan", v, k, 1, NULL, NULL,
		    NULL, arp_run, &c);
	free(c.hostarp);
	free(v);
	return rest;
}

/* --- IP probes ---------------------------------------------------------- */

static size_t
disc_build(struct rawctx *c, const struct probe *p, uint8_t *b,
    uint8_t *proto, uint16_t *ipid)
{
	const struct dlist	*dl = raw_arg(c);
	const struct dprobe	*d = &dl->v[p->port];

	switch (d->kind) {
	case DK_SYN:
	case DK_ACK:
		*proto = IPPROTO_TCP;
		return raw_tcp(c, p, d->port, d->kind == DK_SYN ?
		    PKT_TH_SYN : PKT_TH_ACK, b);
	case DK_UDP:
		*proto = IPPROTO_UDP;
		return udp_datagram(c, p, d->port, b, ipid);
	case DK_TIMESTAMP:
		return raw_icmp_request(c, p, 13, 20, b, proto);
	case DK_MASK:
		return raw_icmp_request(c, p, 17, 12, b, proto);
	default:
		return raw_icmp_request(c, p, 8, 8, b, proto);
	}
}

/* The probe of a kind to a port, or -1. */
static int
dlist_find(const struct dlist *dl, int kind, uint16_t port)
{
	size_t	i;

	for (i = 0; i < dl->n; i++)
		if (dl->v[i].kind == kind && dl->v[i].port == port)
			return (int)i;
	return -1;
}

static void
disc_answer(struct rawctx *c, struct host *h, int idx, uint16_t sport,
    uint8_t why, const struct pkt *pk)
{
	int	tryno, ping;

	if (idx < 0 || (tryno = raw_tryno(c, h, (uint32_t)idx, sport,
	    &ping)) < 0)
		return;
	raw_trace(c, pk);
	raw_mac(c, h, pk);
	engine_answer(raw_engine(c), h, (uint32_t)idx, tryno, ping, PS_OPEN,
	    why, pk->ttl, NULL);
}

/* A TCP answer: a SYN/ACK or reset to a SYN, a reset to an ACK. */
static void
disc_tcp(struct rawctx *c, struct host *h, const struct dlist *dl,
    const struct pkt *pk)
{
	int	idx;

	if ((pk->flags & PKT_TH_ACK) && pk->ack == raw_seq(c, &h->addr,
	    pk->sport, pk->dport, 0) + 1 &&
	    (idx = dlist_find(dl, DK_SYN, pk->sport)) >= 0 &&
	    (pk->flags & (PKT_TH_SYN | PKT_TH_RST)) != 0)
		disc_answer(c, h, idx, pk->dport, (pk->flags & PKT_TH_RST) ?
		    WHY_RESET : WHY_SYNACK, pk);
	else if ((pk->flags & PKT_TH_RST) && pk->seq == raw_seq(c, &h->addr,
	    pk->sport, pk->dport, 1))
		disc_answer(c, h, dlist_find(dl, DK_ACK, pk->sport),
		    pk->dport, WHY_RESET, pk);
}

/* An echo, timestamp or mask reply. */
static void
disc_reply(struct rawctx *c, struct host *h, const struct dlist *dl,
    const struct pkt *pk)
{
	unsigned int	 idx;
	int		 kind, tryno;
	uint8_t		 why;

	if (raw_icmp_reply(c, h, pk, &idx, &tryno) == -1 || idx >= dl->n)
		return;
	if (pk->family == AF_INET6 ? pk->icmptype != 129 :
	    pk->icmptype != 0 && pk->icmptype != 14 && pk->icmptype != 18)
		return;
	kind = pk->icmptype == 14 ? DK_TIMESTAMP : pk->icmptype == 18 ?
	    DK_MASK : DK_ECHO;
	if (dl->v[idx].kind != kind)
		return;
	why = kind == DK_TIMESTAMP ? WHY_TIMESTAMPREPLY : kind == DK_MASK ?
	    WHY_ADDRESSMASKREPLY : WHY_ECHOREPLY;
	raw_trace(c, pk);
	raw_mac(c, h, pk);
	engine_answer(raw_engine(c), h, idx, tryno, 0, PS_OPEN, why, pk->ttl,
	    NULL);
}

/* An ICMP error from the target itself about one of our probes. */
static void
disc_error(struct rawctx *c, const struct dlist *dl, const struct pkt *pk)
{
	const struct pkt_quote	*q = &pk->quote;
	struct host		*h;
	uint8_t			 state, why;
	int			 idx = -1;

	if (!q->valid || (h = engine_host_lookup(raw_engine(c),
	    &q->dst)) == NULL || addr_cmp(&q->src, &h->src) != 0 ||
	    addr_cmp(&pk->src, &h->addr) != 0 ||
	    !raw_icmp_state(pk, &state, &why))
		return;
	if (q->proto == IPPROTO_UDP && udp_quote_ours(c, h, q))
		idx = dlist_find(dl, DK_UDP, q->dport);
	else if (q->proto == IPPROTO_TCP && q->seq == raw_seq(c, &h->addr,
	    q->dport, q->sport, 0)) {
		if ((idx = dlist_find(dl, DK_SYN, q->dport)) < 0)
			idx = dlist_find(dl, DK_ACK, q->dport);
	}
	disc_answer(c, h, idx, q->sport, why, pk);
}

static void
disc_input(struct rawctx *c, const struct pkt *pk)
{
	const struct dlist	*dl = raw_arg(c);
	struct host		*h;

	if ((pk->proto == IPPROTO_ICMP || pk->proto == IPPROTO_ICMPV6) &&
	    pk->quote.valid) {
		disc_error(c, dl, pk);
		return;
	}
	if ((h = engine_host_lookup(raw_engine(c), &pk->src)) == NULL ||
	    addr_cmp(&pk->dst, &h->src) != 0 ||
	    addr_cmp(&pk->src, &pk->dst) == 0)
		return;
	if (pk->proto == IPPROTO_TCP)
		disc_tcp(c, h, dl, pk);
	else if (pk->proto == IPPROTO_UDP)
		disc_answer(c, h, dlist_find(dl, DK_UDP, pk->sport),
		    pk->dport, WHY_UDPRESPONSE, pk);
	else
		disc_reply(c, h, dl, pk);
}

static const struct rawproto disc_proto = { disc_build, disc_input };

static int
ip_run(struct scan *sc, struct host **g, size_t n, void *arg)
{
	struct probe_ops	ops;

	raw_ops(&ops, "Ping Scan", PS_FILTERED);
	ops.up_on_answer = 1;
	return raw_run(sc, &ops, &disc_proto, arg, g, n, 1, NULL);
}

/* --- without raw sockets ------------------------------------------------ */

static int
connect_run(struct scan *sc, struct host **g, size_t n, void *arg)
{
	char	err[256];
	int	r;

	(void)arg;
	sc->discovering = 1;
	r = connect_scan(sc, g, n, err, sizeof(err));
	sc->discovering = 0;
	return r;
}

/* -PS's ports, or 80 and 443, by connect(2). */
static int
connect_phase(struct scan *sc, struct host **g, size_t n, char *err,
    size_t errlen)
{
	struct dlist	 dl;
	uint16_t	*ports;
	size_t		 k;
	int		 r;

	memset(&dl, 0, sizeof(dl));
	if (dlist_ports(&dl, DK_SYN, sc->o->ping_ports[0], "80,443", err,
	    errlen) == -1)
		return -2;
	/* connect(2) needs the ports themselves, not the probes' indices. */
	ports = xreallocarray(NULL, dl.n, sizeof(*ports));
	for (k = 0; k < dl.n; k++)
		ports[k] = dl.v[k].port;
	r = scan_hostprobes(sc, "Ping Scan", g, n, dl.n, ports, NULL, NULL,
	    connect_run, NULL);
	free(ports);
	free(dl.v);
	return r;
}

/* --- the group ---------------------------------------------------------- */

/* Whether a is one of our own addresses (loopback included). */
static int
addr_local(const struct ifaddrs *ifa, const struct addr *a)
{
	const struct ifaddrs	*i;
	struct addr		 ia;

	if ((a->family == AF_INET && a->bytes[0] == 127) ||
	    (a->family == AF_INET6 && memcmp(a->bytes,
	    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16) == 0))
		return 1;
	for (i = ifa; i != NULL; i = i->ifa_next)
		if (i->ifa_addr != NULL && i->ifa_addr->sa_family ==
		    a->family && addr_from_sockaddr(&ia, NULL, i->ifa_addr,
		    a->family == AF_INET ? sizeof(struct sockaddr_in) :
		    sizeof(struct sockaddr_in6)) == 0 && addr_cmp(&ia, a) == 0)
			return 1;
	return 0;
}

/*
 * Hosts we cannot send to are down, unprobed; the reason is told once a
 * group, but not for a network's broadcast address, which a sweep of
 * the network names and which no host answers from.  Returns the count
 * of the rest, left in g.
 */
static size_t
unroutable_drop(struct host **g, size_t n)
{
	const struct host	*first = NULL;
	size_t			 i, k = 0, more = 0;

	for (i = 0; i < n; i++) {
		if (g[i]->route_err == 0) {
			g[k++] = g[i];
			continue;
		}
		if (g[i]->route_err == EACCES)
			continue;
		if (first == NULL)
			first = g[i];
		else
			more++;
	}
	if (first != NULL && more > 0)
		warnx("cannot send to %s and %zu more: %s; reported down",
		    host_ipstr(first), more, strerror(first->route_err));
	else if (first != NULL)
		warnx("cannot send to %s: %s; reported down",
		    host_ipstr(first), strerror(first->route_err));
	return k;
}

/* Our own addresses are up, as nmap says, without a probe. */
static void
local_mark(struct host **g, size_t n)
{
	struct ifaddrs	*ifa = NULL;
	size_t		 i;

	if (getifaddrs(&ifa) == -1)
		ifa = NULL;
	for (i = 0; i < n; i++)
		if (addr_local(ifa, &g[i]->addr)) {
			g[i]->up = 1;
			g[i]->local = 1;
			g[i]->upwhy = WHY_LOCALHOST;
		}
	if (ifa != NULL)
		freeifaddrs(ifa);
}

/*
 * Finds which hosts of a group are up (host->up 1, or 0 for down): 0,
 * -1 when stopped, -2 with err set when the sockets cannot be had or a
 * port list is wrong.
 */
int
discover_group(struct scan *sc, struct host **g, size_t n, char *err,
    size_t errlen)
{
	struct host	**v;
	struct dlist	  dl;
	size_t		  i, k = 0;
	int		  r = 0;

	if (sc->o->pn) {
		for (i = 0; i < n; i++) {
			g[i]->up = 1;
			g[i]->upwhy = WHY_USER;
		}
		return 0;
	}
	local_mark(g, n);
	v = xcalloc(n, sizeof(*v));
	for (i = 0; i < n; i++)
		if (g[i]->up < 0)
			v[k++] = g[i];
	if (k > 0 && !sc->o->privileged)
		r = connect_phase(sc, v, k, err, errlen);
	else if (k > 0) {
		if ((r = raw_prepare(sc, v, k, err, errlen)) == 0 &&
		    sc->o->arp)
			k = arp_phase(sc, v, k, &r);
		k = unroutable_drop(v, k);
		if (r == 0 && k > 0) {
			if (dlist_build(sc->o, &dl, err, errlen) == -1)
				r = -2;
			else
				r = scan_hostprobes(sc, "Ping Scan", v, k,
				    dl.n, NULL, dprobe_skip, &dl, ip_run, &dl);
			free(dl.v);
		}
	}
	for (i = 0; i < n; i++)
		if (g[i]->up < 0)
			g[i]->up = 0;
	free(v);
	return r;
}
