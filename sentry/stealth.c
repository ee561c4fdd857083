/*
 * stealth.c: the stealth and advanced modes, -stcp -sudp -atcp -audp:
 * see the packets sent to the watched ports without binding them.
 *
 * A stealth scan sends what a connect() never would (a lone SYN, or FIN,
 * XMAS, NULL segments) and never completes a connection, so a program
 * that only accepts connections never hears of it.  portsentry 1.2 reads
 * a raw socket with the default buffer and, for every packet, opens and
 * reads its ignore and blocked files, writes syslog and tries a bind():
 * a fast scan overflows the buffer and most probes are lost.  Here the
 * capture (common/capture: libpcap, a kernel BPF filter so that only
 * SYN/FIN/XMAS/NULL segments and UDP datagrams to watched ports reach
 * the process, immediate delivery and a large buffer) feeds a callback
 * that does no system call at all: it picks the candidates of a batch,
 * and only after the batch are the listening sockets read once and the
 * probes queued for the reporter.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "deadline.h"
#include "log.h"
#include "packet.h"
#include "sentry.h"
#include "xmalloc.h"

#define STEALTH_BATCH		512	/* packets per dispatch */
#define FILTER_TERMS_MAX	64	/* port terms before one range */
#define STEALTH_BUFSIZE		(16 * 1024 * 1024)
/*
 * The socket tables are read again for a batch when older than this: at
 * one packet per batch a flood would otherwise cost four netlink dumps a
 * packet.  A service started this recently may see a probe reported.
 */
#define LISTENERS_AGE_MS	20

/* Which capture mode watches each port of a protocol: mode + 1, or 0. */
static void
stealth_plan_proto(struct sentry *s, int pi)
{
	const struct sentry_conf	*cf = &s->conf;
	int				 proto = pi == 0 ? IPPROTO_TCP :
					    IPPROTO_UDP;
	int				 sm = pi == 0 ? MODE_STCP : MODE_SUDP;
	int				 am = pi == 0 ? MODE_ATCP : MODE_AUDP;
	int				 p;

	if ((s->modes & (MODE_BIT(sm) | MODE_BIT(am))) == 0)
		return;
	s->watch[pi] = xcalloc(65536, 1);
	if (s->modes & MODE_BIT(sm))
		for (p = portlist_next(&cf->ports, proto, 0); p != -1;
		    p = portlist_next(&cf->ports, proto, p + 1))
			s->watch[pi][p] = (uint8_t)(sm + 1);
	if (s->modes & MODE_BIT(am))
		for (p = 0; p < cf->adv_ports[pi]; p++)
			if (s->watch[pi][p] == 0 &&
			    !portlist_has(&cf->adv_exclude, proto, p))
				s->watch[pi][p] = (uint8_t)(am + 1);
}

void
stealth_plan(struct sentry *s)
{
	stealth_plan_proto(s, 0);
	stealth_plan_proto(s, 1);
}

/* "dst port 1 or dst portrange 7-9 ..." for the watched ports. */
static void
stealth_filter_ports(const uint8_t *w, char *buf, size_t len)
{
	int	p, lo = -1, hi = -1, terms = 0, first = -1, last = -1;
	size_t	n = 0;

	buf[0] = '\0';
	for (p = 0; p <= 65536; p++) {
		if (p < 65536 && w[p] != 0) {
			if (lo == -1)
				lo = p;
			hi = p;
			if (first == -1)
				first = p;
			last = p;
			continue;
		}
		if (lo == -1)
			continue;
		if (++terms <= FILTER_TERMS_MAX)
			n += (size_t)snprintf(buf + n, n < len ? len - n : 0,
			    lo == hi ? "%sdst port %d" : "%sdst portrange "
			    "%d-%d", n > 0 ? " or " : "", lo, hi);
		lo = -1;
	}
	/* Too many pieces for a small filter: the span, then userland. */
	if (terms > FILTER_TERMS_MAX || n >= len)
		(void)snprintf(buf, len, "dst portrange %d-%d", first, last);
}

/*
 * IPv4 and IPv6 fragments of TCP and UDP: their ports and flags may be
 * in another fragment than the first, so they all come up (frag.c).
 * First in the filter: a load past the end of a short first fragment
 * (tcp[13]) ends a BPF program with "reject" wherever it stands.
 */
#define STEALTH_FRAGS	"(ip and ip[6:2] & 0x3fff != 0 and (ip[9] == 6 or " \
			    "ip[9] == 17)) or (ip6 and ip6[6] == 44)"

/*
 * The kernel filter.  For IPv4, TCP segments with ACK or RST are left
 * out there (1.2 skips them too: answers and resets, never probes);
 * libpcap cannot read TCP flags behind IPv6 extension headers, so those
 * packets come up whole and are judged here.
 */
static char *
stealth_filter(const struct sentry *s)
{
	char	 tp[FILTER_TERMS_MAX * 32], up[FILTER_TERMS_MAX * 32];
	char	*f = NULL;

	if (s->watch[0] != NULL)
		stealth_filter_ports(s->watch[0], tp, sizeof(tp));
	if (s->watch[1] != NULL)
		stealth_filter_ports(s->watch[1], up, sizeof(up));
	if (s->watch[0] != NULL && s->watch[1] != NULL)
		(void)xasprintf(&f, "%s or (ip and tcp and tcp[13] & 0x14 == 0 "
		    "and (%s)) or (ip6 and ip6[6] == 6 and ip6[53] & 0x14 == 0 "
		    "and (%s)) or (ip6 and ip6[6] != 6 and tcp and (%s)) or "
		    "(udp and (%s))", STEALTH_FRAGS, tp, tp, tp, up);
	else if (s->watch[0] != NULL)
		(void)xasprintf(&f, "%s or (ip and tcp and tcp[13] & 0x14 == 0 "
		    "and (%s)) or (ip6 and ip6[6] == 6 and ip6[53] & 0x14 == 0 "
		    "and (%s)) or (ip6 and ip6[6] != 6 and tcp and (%s))",
		    STEALTH_FRAGS, tp, tp, tp);
	else
		(void)xasprintf(&f, "%s or (udp and (%s))", STEALTH_FRAGS, up);
	return f;
}

/* 1.2's start-up lines, and the ports a service holds now. */
static void
stealth_announce(const struct sentry *s, int pi)
{
	const struct sentry_conf	*cf = &s->conf;
	int				 proto = pi == 0 ? IPPROTO_TCP :
					    IPPROTO_UDP;
	int				 am = pi == 0 ? MODE_ATCP : MODE_AUDP;
	const char			*pn = pi == 0 ? "TCP" : "UDP";
	int				 p, excl = 0;

	if (s->watch[pi] == NULL)
		return;
	for (p = 0; p < 65536; p++)
		if (s->watch[pi][p] == (pi == 0 ? MODE_STCP : MODE_SUDP) + 1)
			log_msg(LOG_NOTICE, "adminalert: Going into stealth "
			    "listen mode on %s port: %d", pn, p);
	if (s->modes & MODE_BIT(am)) {
		log_msg(LOG_NOTICE, "adminalert: Advanced mode will monitor "
		    "first %d ports", cf->adv_ports[pi]);
		for (p = portlist_next(&cf->adv_exclude, proto, 0); p != -1;
		    p = portlist_next(&cf->adv_exclude, proto, p + 1), excl++)
			/* 1.2's trailing blank, too. */
			log_msg(LOG_NOTICE, "adminalert: Advanced mode will "
			    "manually exclude port: %d ", p);
		if (excl == 0)
			log_msg(LOG_NOTICE, "adminalert: Advanced mode will "
			    "manually exclude no ports");
		for (p = portlist_next(&cf->adv_exclude, proto, 0); p != -1;
		    p = portlist_next(&cf->adv_exclude, proto, p + 1))
			log_msg(LOG_NOTICE, "adminalert: Advanced Stealth scan "
			    "detection mode activated. Ignored %s port: %d", pn,
			    p);
	}
	for (p = 0; p < 65536; p++)
		if (s->watch[pi][p] != 0 && listeners_has(&s->lst, proto, p))
			log_msg(LOG_NOTICE, "adminalert: %s port: %d has a "
			    "listener: not reported while it has one", pn, p);
}

int
stealth_open(struct sentry *s)
{
	struct capture_opts	o;
	char			err[512], *filter;

	if ((s->modes & MODES_CAPTURE) == 0)
		return 0;
	if (!capture_supported()) {
		log_msg(LOG_ERR, "adminalert: ERROR: the stealth and advanced "
		    "modes (-stcp -sudp -atcp -audp) need libpcap, and this "
		    "build has none; -tcp and -udp work without it");
		return -1;
	}
	listeners_refresh(&s->lst, IPPROTO_TCP);
	listeners_refresh(&s->lst, IPPROTO_UDP);
	stealth_announce(s, 0);
	stealth_announce(s, 1);
	memset(&o, 0, sizeof(o));
	o.ifname = s->conf.interface;
	o.filter = filter = stealth_filter(s);
	o.bufsize = STEALTH_BUFSIZE;
	o.inbound = 1;
	s->cap = capture_open(&o, err, sizeof(err));
	free(filter);
	if (s->cap == NULL) {
		log_msg(LOG_ERR, "adminalert: ERROR: could not open the "
		    "capture: %s", err);
		return -1;
	}
	s->batch = xreallocarray(NULL, STEALTH_BATCH, sizeof(*s->batch));
	return 0;
}

int
stealth_fd(const struct sentry *s)
{
	return s->cap != NULL ? capture_fd(s->cap) : -1;
}

/* The port and flags of a probe, whole or in fragments; 0 if not yet. */
static int
stealth_header(struct sentry *s, const struct pkt *p, struct frag_header *h)
{
	if (!p->fragment) {
		h->dport = p->dport;
		h->flags = p->flags;
		h->ipopts = p->ipopts;
		return 1;
	}
	return frag_add(&s->frags, p, (int64_t)s->now.tv_sec * 1000 +
	    s->now.tv_nsec / 1000000, h);
}

/*
 * The capture path: no system call, no allocation.  A candidate is a
 * TCP segment without ACK and RST, or a UDP datagram, to a watched port
 * of an address of this host.
 */
static void
stealth_packet(void *arg, const struct pkt *p, const struct timeval *ts)
{
	struct sentry		*s = arg;
	struct sentry_event	*ev;
	struct frag_header	 h;
	int			 pi;
	uint8_t			 m;

	s->packets++;
	if (p->proto == IPPROTO_TCP)
		pi = 0;
	else if (p->proto == IPPROTO_UDP)
		pi = 1;
	else
		return;
	if (s->watch[pi] == NULL || !stealth_header(s, p, &h) ||
	    (pi == 0 && (h.flags & (PKT_TH_ACK | PKT_TH_RST))) ||
	    (m = s->watch[pi][h.dport]) == 0 ||
	    s->nbatch == STEALTH_BATCH || !ignore_is_own(&s->ign, &p->dst))
		return;
	ev = &s->batch[s->nbatch++];
	memset(ev, 0, sizeof(*ev));
	ev->ts.tv_sec = ts->tv_sec;
	ev->ts.tv_nsec = (long)ts->tv_usec * 1000;
	ev->src = p->src;
	ev->port = h.dport;
	ev->mode = (uint8_t)(m - 1);
	ev->proto = p->proto;
	ev->flags = h.flags;
	ev->ipopts = (uint8_t)(h.ipopts != 0);
}

/* The socket tables of a protocol, unless read a moment ago. */
static void
stealth_listeners(struct sentry *s, int proto)
{
	int	pi = proto == IPPROTO_TCP ? 0 : 1;

	if (s->lst.when[pi].tv_sec == 0 ||
	    deadline_diff_ms(&s->lst.when[pi], &s->now) >= LISTENERS_AGE_MS)
		listeners_refresh(&s->lst, proto);
}

/* After a batch: one look at the socket tables, then the probes. */
static void
stealth_batch(struct sentry *s)
{
	size_t	i;
	int	protos = 0;

	if (s->nbatch == 0)
		return;
	for (i = 0; i < s->nbatch; i++)
		protos |= s->batch[i].proto == IPPROTO_TCP ? 1 : 2;
	if (protos & 1)
		stealth_listeners(s, IPPROTO_TCP);
	if (protos & 2)
		stealth_listeners(s, IPPROTO_UDP);
	for (i = 0; i < s->nbatch; i++)
		if (!listeners_has(&s->lst, s->batch[i].proto,
		    s->batch[i].port))
			(void)sentry_probe(s, &s->batch[i]);
	s->nbatch = 0;
}

/* Everything buffered, batch by batch; -1 if the capture failed. */
int
stealth_read(struct sentry *s)
{
	int	n;

	do {
		n = capture_dispatch(s->cap, STEALTH_BATCH, stealth_packet, s);
		stealth_batch(s);
	} while (n == STEALTH_BATCH);
	return n == -1 ? -1 : 0;
}

/* Drops since the last call, as the kernel counts them. */
unsigned long
stealth_drops(struct sentry *s, unsigned long *seen)
{
	struct capture_stats	st;
	unsigned long		d;

	if (s->cap == NULL || capture_stats(s->cap, &st) == -1)
		return 0;
	d = st.dropped - *seen;
	*seen = st.dropped;
	return d;
}

void
stealth_close(struct sentry *s)
{
	capture_close(s->cap);
	s->cap = NULL;
	free(s->batch);
	s->batch = NULL;
	free(s->watch[0]);
	free(s->watch[1]);
	s->watch[0] = s->watch[1] = NULL;
}
