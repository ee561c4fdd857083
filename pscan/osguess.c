/*
 * osguess.c: -O, a guess of the family of a host's operating system.
 *
 * Every TCP/IP stack answers the same packets a little differently,
 * and the differences are set by its authors, not by its users: the
 * initial TTL of its packets, the options of its SYN/ACK and their
 * order, its window and window scale, the don't-fragment bit.  Three
 * probes show them: a SYN offering every common option (MSS, SACK,
 * timestamps, window scale) to an open port, a SYN to a closed port
 * (its reset) and an ICMP echo request.  Each trait points to some
 * families; the family most of the evidence points to, by enough, is
 * the guess, with a share of the evidence as its accuracy.
 *
 * It stays a guess, and only of a family: traits are shared (Windows
 * and FreeBSD order their options alike), an administrator can change
 * most of them (Linux's TTL, timestamps, window scaling with sysctl),
 * and a firewall or a NAT on the way rewrites some.  A version is never
 * claimed: these traits do not change from one version to the next
 * often enough to tell them apart.  Without an open and a closed port
 * the evidence is thin, and the report says so.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "packet.h"
#include "xmalloc.h"
#include "pscan.h"

enum { OS_SYN_OPEN, OS_SYN_CLOSED, OS_ECHO, OS_NPROBES };

enum { F_LINUX, F_BSD, F_WINDOWS, F_NETWORK, F_N };

static const struct {
	const char	*name;
	const char	*type;
} families[F_N] = {
	{ "Linux",			"general purpose" },
	{ "BSD or macOS",		"general purpose" },
	{ "Windows",			"general purpose" },
	{ "network equipment",		"router|switch|firewall" },
};

/*
 * SYN/ACK option layouts, as our SYN (which offers them all) gets them,
 * and the families that write each.  A layout only one family writes
 * weighs more than a shared one.
 */
static const struct {
	const char	*layout;
	unsigned int	 fam;	/* bit per family */
} layouts[] = {
	{ "MSS,SACK,TS,NOP,WS",			1u << F_LINUX },
	{ "MSS,NOP,NOP,TS,NOP,WS",		1u << F_LINUX },
	{ "MSS,NOP,NOP,SACK,NOP,WS",		1u << F_LINUX },
	{ "MSS,SACK,TS",			1u << F_LINUX },
	{ "MSS,NOP,NOP,TS",			1u << F_LINUX },
	{ "MSS,NOP,NOP,SACK",			1u << F_LINUX },
	{ "MSS,NOP,WS,SACK,TS",			1u << F_BSD | 1u << F_WINDOWS },
	{ "MSS,NOP,WS,NOP,NOP,TS,SACK,EOL",	1u << F_BSD },
	{ "MSS,NOP,NOP,SACK,NOP,WS,NOP,NOP,TS",	1u << F_BSD },
	{ "MSS,NOP,WS,NOP,NOP,TS",		1u << F_BSD },
	{ "MSS,NOP,WS,SACK",			1u << F_BSD },
	{ "MSS,NOP,WS,NOP,NOP,SACK",		1u << F_WINDOWS },
	{ "MSS,NOP,WS,NOP,NOP,TS,NOP,NOP,SACK",	1u << F_WINDOWS },
	{ "MSS,NOP,WS",	1u << F_LINUX | 1u << F_BSD | 1u << F_WINDOWS },
	{ "MSS",				1u << F_NETWORK | 1u << F_LINUX },
};

/* Evidence weights, and what the guess needs. */
#define W_TTL		3	/* one family's initial TTL */
#define W_TTL_SHARED	2
#define W_LAYOUT	4	/* one family's option layout */
#define W_LAYOUT_SHARED	2
#define W_LAYOUT_ANY	1	/* a layout three families write */
#define W_SCALE		1
#define W_WINDOW	2
#define EVIDENCE_MIN	8	/* less than this is thin evidence */
#define GUESS_MARGIN	2
#define GUESS_MIN_PCT	50

/* Our SYN's options: MSS, SACK permitted, timestamps, NOP, scale 10. */
static const uint8_t syn_opts[20] = {
	2, 4, 0x05, 0xb4,
	4, 2,
	8, 10, 0, 0, 0, 1, 0, 0, 0, 0,
	1,
	3, 3, 10
};

/* --- probes ------------------------------------------------------------- */

static int
os_skip(const struct host *h, size_t k, void *arg)
{
	(void)arg;
	return (k == OS_SYN_OPEN && h->os->open_port == 0) ||
	    (k == OS_SYN_CLOSED && h->os->closed_port == 0);
}

static size_t
os_build(struct rawctx *c, const struct probe *p, uint8_t *b,
    uint8_t *proto, uint16_t *ipid)
{
	const struct osinfo	*os = p->host->os;

	(void)ipid;
	*proto = IPPROTO_TCP;
	switch (p->port) {
	case OS_SYN_OPEN:
		return raw_tcp_opts(c, p, os->open_port, PKT_TH_SYN, syn_opts,
		    sizeof(syn_opts), b);
	case OS_SYN_CLOSED:
		return raw_tcp(c, p, os->closed_port, PKT_TH_SYN, b);
	default:
		return raw_icmp_request(c, p, 8, 8, b, proto);
	}
}

/* The SYN/ACK's options as names, and its MSS and window scale. */
static void
options_read(struct osinfo *os, const uint8_t *o, size_t len)
{
	static const char *const names[] = { "EOL", "NOP", "MSS", "WS",
	    "SACK", "OPT5", "OPT6", "OPT7", "TS" };
	char	 other[16];
	size_t	 i = 0;
	uint8_t	 kind, ol;

	os->opts[0] = '\0';
	while (i < len) {
		kind = o[i];
		if (kind <= 8)
			(void)snprintf(other, sizeof(other), "%s", names[kind]);
		else
			(void)snprintf(other, sizeof(other), "OPT%u", kind);
		if (os->opts[0] != '\0')
			(void)strlcat(os->opts, ",", sizeof(os->opts));
		(void)strlcat(os->opts, other, sizeof(os->opts));
		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= len || (ol = o[i + 1]) < 2 || i + ol > len)
			break;
		if (kind == 2 && ol == 4)
			os->mss = (uint16_t)(o[i + 2] << 8 | o[i + 3]);
		else if (kind == 3 && ol == 3)
			os->wscale = o[i + 2];
		i += ol;
	}
}

static void
os_answer(struct rawctx *c, struct host *h, uint32_t idx, uint16_t sport,
    const struct pkt *pk)
{
	int	tryno, ping;

	if ((tryno = raw_tryno(c, h, idx, sport, &ping)) < 0)
		return;
	raw_trace(c, pk);
	engine_answer(raw_engine(c), h, idx, tryno, ping, PS_OPEN,
	    WHY_TCPRESPONSE, pk->ttl, NULL);
}

static void
os_tcp(struct rawctx *c, struct host *h, const struct pkt *pk)
{
	struct osinfo	*os = h->os;

	if ((pk->flags & PKT_TH_ACK) == 0 || pk->ack != raw_seq(c, &h->addr,
	    pk->sport, pk->dport, 0) + 1)
		return;
	if (pk->sport == os->open_port &&
	    (pk->flags & (PKT_TH_SYN | PKT_TH_RST)) == PKT_TH_SYN) {
		if (!os->synack) {
			os->synack = 1;
			os->ttl = pk->ttl;
			os->df = pk->df;
			os->win = pk->win;
			options_read(os, pk->tcpopt, pk->tcpoptlen);
		}
		os_answer(c, h, OS_SYN_OPEN, pk->dport, pk);
	} else if (pk->sport == os->closed_port &&
	    (pk->flags & PKT_TH_RST)) {
		if (!os->rst) {
			os->rst = 1;
			os->rst_ttl = pk->ttl;
			os->rst_df = pk->df;
			os->rst_win = pk->win;
		}
		os_answer(c, h, OS_SYN_CLOSED, pk->dport, pk);
	}
}

static void
os_input(struct rawctx *c, const struct pkt *pk)
{
	struct host	*h;
	unsigned int	 idx;
	int		 tryno;

	/*
	 * Scanning ourselves, our own probes come back through loopback:
	 * os_tcp() and the ICMP type below keep only answers.
	 */
	if ((h = engine_host_lookup(raw_engine(c), &pk->src)) == NULL ||
	    addr_cmp(&pk->dst, &h->src) != 0)
		return;
	if (pk->proto == IPPROTO_TCP) {
		os_tcp(c, h, pk);
		return;
	}
	if ((pk->proto != IPPROTO_ICMP || pk->icmptype != 0) &&
	    (pk->proto != IPPROTO_ICMPV6 || pk->icmptype != 129))
		return;
	if (raw_icmp_reply(c, h, pk, &idx, &tryno) == -1 || idx != OS_ECHO)
		return;
	if (!h->os->echo) {
		h->os->echo = 1;
		h->os->echo_ttl = pk->ttl;
		h->os->echo_df = pk->df;
	}
	raw_trace(c, pk);
	engine_answer(raw_engine(c), h, idx, tryno, 0, PS_OPEN,
	    WHY_ECHOREPLY, pk->ttl, NULL);
}

static const struct rawproto os_proto = { os_build, os_input };

static int
os_run(struct scan *sc, struct host **g, size_t n, void *arg)
{
	struct probe_ops	ops;

	(void)arg;
	raw_ops(&ops, "OS detection", PS_FILTERED);
	return raw_run(sc, &ops, &os_proto, NULL, g, n, 1, NULL);
}

/* --- the guess ---------------------------------------------------------- */

/* The initial TTL a stack used, from one it arrived with. */
static int
ttl_initial(int ttl)
{
	if (ttl <= 32)
		return 32;
	if (ttl <= 64)
		return 64;
	if (ttl <= 128)
		return 128;
	return 255;
}

static void	evidence_add(struct osinfo *, const char *, ...)
		    __printflike(2, 3);

/* One more item of the -v evidence line. */
static void
evidence_add(struct osinfo *os, const char *fmt, ...)
{
	va_list	ap;
	char	buf[160];

	va_start(ap, fmt);
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (os->evidence[0] != '\0')
		(void)strlcat(os->evidence, "; ", sizeof(os->evidence));
	(void)strlcat(os->evidence, buf, sizeof(os->evidence));
}

/* Points to the families a bit set names. */
static void
points(int *score, unsigned int fam, int w)
{
	int	f;

	for (f = 0; f < F_N; f++)
		if (fam & (1u << f))
			score[f] += w;
}

static const char *
fam_names(unsigned int fam, char *buf, size_t len)
{
	int	f;

	buf[0] = '\0';
	for (f = 0; f < F_N; f++)
		if (fam & (1u << f)) {
			if (buf[0] != '\0')
				(void)strlcat(buf, ", ", len);
			(void)strlcat(buf, families[f].name, len);
		}
	return buf[0] != '\0' ? buf : "no family";
}

/* The initial TTL: 64 Linux and BSD, 128 Windows, 255 routers. */
static int
weigh_ttl(struct osinfo *os, int *score)
{
	unsigned int	fam;
	char		names[128];
	int		ttl, init, w;

	ttl = os->synack ? os->ttl : os->rst ? os->rst_ttl : os->echo_ttl;
	init = ttl_initial(ttl);
	os->hops = init - ttl + 1;
	switch (init) {
	case 64:
		fam = 1u << F_LINUX | 1u << F_BSD;
		w = W_TTL_SHARED;
		break;
	case 128:
		fam = 1u << F_WINDOWS;
		w = W_TTL;
		break;
	case 255:
		fam = 1u << F_NETWORK;
		w = W_TTL;
		break;
	default:
		fam = 1u << F_NETWORK | 1u << F_WINDOWS;
		w = 1;
	}
	points(score, fam, w);
	evidence_add(os, "initial TTL %d (%s)", init,
	    fam_names(fam, names, sizeof(names)));
	return W_TTL;
}

/* The SYN/ACK: its option layout, window scale and window. */
static int
weigh_synack(struct osinfo *os, int *score, int v6)
{
	unsigned int	fam = 0;
	char		names[128];
	size_t		i;
	int		n = 0, w;

	for (i = 0; i < nitems(layouts); i++)
		if (strcmp(layouts[i].layout, os->opts) == 0)
			fam = layouts[i].fam;
	for (i = 0; i < F_N; i++)
		n += (fam >> i) & 1;
	w = n == 1 ? W_LAYOUT : n == 2 ? W_LAYOUT_SHARED : W_LAYOUT_ANY;
	points(score, fam, w);
	evidence_add(os, "SYN/ACK options %s (%s)", os->opts[0] != '\0' ?
	    os->opts : "none", fam_names(fam, names, sizeof(names)));
	/* Linux scales by its memory: 7 and up, 8 aside (Windows's). */
	if (os->wscale >= 0) {
		points(score, os->wscale == 6 ? 1u << F_BSD :
		    os->wscale == 8 ? 1u << F_WINDOWS : os->wscale >= 7 &&
		    os->wscale <= 14 ? 1u << F_LINUX : 0, W_SCALE);
		evidence_add(os, "window scale %d", os->wscale);
	}
	/* Linux rounds its window to whole segments; others do not. */
	if (os->win == 65535)
		fam = 1u << F_BSD | 1u << F_WINDOWS;
	else if (os->win == 8192)
		fam = 1u << F_WINDOWS;
	else if (os->win == 4128)
		fam = 1u << F_NETWORK;
	else if (os->mss > 64 && (os->win % os->mss == 0 ||
	    os->win % (os->mss - 12) == 0))
		fam = 1u << F_LINUX;
	else
		fam = 0;
	points(score, fam, fam == 1u << F_NETWORK ? W_WINDOW : 1);
	evidence_add(os, "window %u", os->win);
	/* IPv6 has no DF bit: a router fragments nothing there. */
	if (v6)
		return W_LAYOUT + W_SCALE + W_WINDOW;
	evidence_add(os, "DF %s", os->df ? "set" : "clear");
	if (!os->df)
		points(score, 1u << F_NETWORK, 1);
	return W_LAYOUT + W_SCALE + W_WINDOW;
}

/*
 * The echo reply: a stack may answer ICMP with another initial TTL than
 * TCP (Solaris, some routers), and Windows's firewall drops echo
 * requests by default, though any firewall may.
 */
static int
weigh_echo(struct osinfo *os, int *score, int v6)
{
	int	init, tcpinit;

	if (!os->echo) {
		if (os->synack || os->rst) {
			points(score, 1u << F_WINDOWS, 1);
			evidence_add(os, "no echo reply (Windows)");
		}
		return 1;
	}
	init = ttl_initial(os->echo_ttl);
	tcpinit = ttl_initial(os->synack ? os->ttl : os->rst_ttl);
	if ((os->synack || os->rst) && init != tcpinit) {
		points(score, 1u << F_NETWORK, 1);
		evidence_add(os, "echo reply initial TTL %d, not TCP's "
		    "(network equipment)", init);
	} else if (v6)
		evidence_add(os, "echo reply initial TTL %d", init);
	else
		evidence_add(os, "echo reply initial TTL %d, DF %s", init,
		    os->echo_df ? "set" : "clear");
	return 1;
}

static void
os_guess(struct host *h)
{
	struct osinfo	*os = h->os;
	int		 score[F_N] = { 0 }, total = 0, best = 0, second = 0;
	int		 f, bf = -1, v6 = h->addr.family == AF_INET6;

	os->hops = -1;
	if (!os->synack && !os->rst && !os->echo)
		return;
	total += weigh_ttl(os, score);
	if (os->synack)
		total += weigh_synack(os, score, v6);
	total += weigh_echo(os, score, v6);
	/* As nmap: our own address is 0 hops away, a neighbour 1. */
	if (h->local)
		os->hops = 0;
	else if (h->onlink)
		os->hops = 1;
	if (total < EVIDENCE_MIN)
		total = EVIDENCE_MIN;
	for (f = 0; f < F_N; f++) {
		if (score[f] > best) {
			second = best;
			best = score[f];
			bf = f;
		} else if (score[f] > second)
			second = score[f];
	}
	if (bf < 0 || best - second < GUESS_MARGIN ||
	    best * 100 / total < GUESS_MIN_PCT)
		return;
	os->family = families[bf].name;
	os->type = families[bf].type;
	os->accuracy = best * 100 / total;
}

/* --- the group ---------------------------------------------------------- */

/* The first open and the first closed TCP port the scan found. */
static void
ports_pick(const struct scan *sc, struct host *h)
{
	const struct portset	*ps = &sc->pset[PSET_TCP];
	const struct portres	*r;
	uint32_t		 i;

	for (i = 0; i < ps->n; i++) {
		r = &h->pres[PSET_TCP][i];
		if ((r->flags & PR_SKIP) != 0)
			continue;
		if (r->state == PS_OPEN && h->os->open_port == 0)
			h->os->open_port = ps->ports[i];
		if (r->state == PS_CLOSED && h->os->closed_port == 0)
			h->os->closed_port = ps->ports[i];
	}
}

/* -O for the group's up hosts: 0, -1 when stopped, -2 with err set. */
int
osguess_group(struct scan *sc, struct host **g, size_t n, char *err,
    size_t errlen)
{
	size_t	i;
	int	r;

	for (i = 0; i < n; i++) {
		g[i]->os = xcalloc(1, sizeof(*g[i]->os));
		g[i]->os->wscale = -1;
		ports_pick(sc, g[i]);
	}
	if ((r = raw_prepare(sc, g, n, err, errlen)) != 0)
		return r;
	r = scan_hostprobes(sc, "OS detection", g, n, OS_NPROBES, NULL, os_skip,
	    NULL, os_run, NULL);
	for (i = 0; i < n && r == 0; i++)
		os_guess(g[i]);
	return r;
}
