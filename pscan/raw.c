/*
 * raw.c: the raw TCP scans: SYN (-sS), FIN (-sF), XMAS (-sX), NULL (-sN)
 * and ACK (-sA).
 *
 * Probes are whole IP packets written to a raw socket; answers are read
 * from a libpcap capture whose filter runs in the kernel, so only our
 * answers (TCP to our source ports, ICMP errors) reach the program.  A
 * probe is matched statelessly: the answer's destination port is our
 * source port base plus the try number, its source port the scanned
 * port, and its acknowledgement (or, for an ICMP error, the quoted
 * sequence number) a keyed hash of target, port and source port, so a
 * forged or stray packet cannot set a state.
 *
 * The source ports are a block of 16 that the scan holds bound for its
 * whole life, in both families: no other program's connection can use
 * them, and every retry comes from another of them, so a half-open
 * connection a target still remembers from an earlier try cannot make it
 * answer the retry differently.  Our kernel, which knows nothing of the
 * probes, answers a SYN/ACK with a reset, as it does for nmap; that
 * closes the target's half-open connection (the manners of a SYN scan)
 * and cannot change a state, which the SYN/ACK has already decided.
 *
 * Other raw probe types (UDP, host discovery, the OS probes) use the
 * same sockets, capture and source ports through a struct rawproto: it
 * builds each probe's transport header and data, and reads the answers.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <err.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "capture.h"
#include "packet.h"
#include "xmalloc.h"
#include "pscan.h"

#define RAW_NPORTS	16		/* source ports: tries, then the ping */
#define RAW_PING_SLOT	(RAW_NPORTS - 1)
#define RAW_MAX_PARALLEL 20000
#define RAW_WINDOW	1024		/* the window field of our probes */
#define RAW_TTL		64
#define RAW_MSS		1460
#define STATS_EVERY_US	20000
#define RAW_BATCH	32		/* probes per sendmmsg(2) */
#define RAW_PKTMAX	(40 + RAW_L4MAX)

/* A worker's sockets and capture, kept from one host group to the next. */
struct rawctx {
	struct scan	*sc;
	const struct rawproto *proto;	/* NULL: the TCP scans */
	void		*parg;		/* the probe type's */
	enum scantype	 type;
	uint8_t		 flags;		/* of the probes */
	int		 fd4, fd6;	/* send sockets, -1 */
	uint16_t	 base;		/* the worker's first source port */
	struct capture	*cap;
	unsigned long	 drops;		/* capture drops seen so far */
	struct timespec	 stats_at;
	struct engine	*e;
	struct rand	 rnd;		/* IP IDs */
	int		 send_warned;
	/* Probes built but not yet sent, all of one family. */
	int		 bfam;
	unsigned int	 nbatch;
	uint8_t		 pkt[RAW_BATCH][RAW_PKTMAX];
	size_t		 len[RAW_BATCH];
	struct sockaddr_storage dst[RAW_BATCH];
	socklen_t	 dstlen[RAW_BATCH];
};

/* What the workers share: the held block of source ports. */
struct rawset {
	int		*hold;		/* four sockets per port */
	unsigned int	 nhold;
	uint16_t	 base;
	unsigned int	 n;
	struct rawctx	*w[PSCAN_WORKERS_MAX];
};

/* The probes' flags, and the state of a port that never answers. */
static const struct {
	enum scantype	 type;
	uint8_t		 flags;
	uint8_t		 silent;
} scans[] = {
	{ SCAN_SYN,	PKT_TH_SYN,				PS_FILTERED },
	{ SCAN_FIN,	PKT_TH_FIN,				PS_OPENFILTERED },
	{ SCAN_XMAS,	PKT_TH_FIN | PKT_TH_PSH | PKT_TH_URG,	PS_OPENFILTERED },
	{ SCAN_NULL,	0,					PS_OPENFILTERED },
	{ SCAN_ACK,	PKT_TH_ACK,				PS_FILTERED },
};

static void
put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static void
put32(uint8_t *b, uint32_t v)
{
	put16(b, (uint16_t)(v >> 16));
	put16(b + 2, (uint16_t)v);
}

/* --- sequence numbers ---------------------------------------------------- */

/* The keyed sequence number of a probe to (target, port) from sport. */
static uint32_t
probe_seq(const struct rawctx *c, const struct addr *target, uint16_t port,
    uint16_t sport, int ack)
{
	uint8_t	buf[22];

	memcpy(buf, target->bytes, 16);
	put16(buf + 16, port);
	put16(buf + 18, sport);
	buf[20] = (uint8_t)target->family;
	buf[21] = (uint8_t)ack;
	return rand_hash(&c->sc->rnd, buf, sizeof(buf));
}

static uint16_t
probe_sport(const struct rawctx *c, const struct probe *p)
{
	if (p->ping)
		return (uint16_t)(c->base + RAW_PING_SLOT);
	/* Tries beyond the slots take them again, the first one aside. */
	return (uint16_t)(c->base + (p->tryno < RAW_PING_SLOT ? p->tryno :
	    1 + (p->tryno - 1) % (RAW_PING_SLOT - 1)));
}

uint16_t
raw_sport(const struct rawctx *c, const struct probe *p)
{
	return probe_sport(c, p);
}

uint32_t
raw_seq(const struct rawctx *c, const struct addr *target, uint16_t port,
    uint16_t sport, int ack)
{
	return probe_seq(c, target, port, sport, ack);
}

struct engine *
raw_engine(const struct rawctx *c)
{
	return c->e;
}

void *
raw_arg(const struct rawctx *c)
{
	return c->parg;
}

/*
 * The try an answer to source port sport stands for: the outstanding
 * probe's when it went from that port, the slot's number otherwise;
 * -1 when sport is not one of ours.  *ping says it is the timing ping's.
 */
int
raw_tryno(const struct rawctx *c, const struct host *h, uint32_t port,
    uint16_t sport, int *ping)
{
	struct probe	*p;
	unsigned int	 slot;

	if (sport < c->base || sport >= c->base + RAW_NPORTS)
		return -1;
	slot = sport - c->base;
	*ping = slot == RAW_PING_SLOT;
	if (!*ping && (p = engine_probe_of(c->e, h, port)) != NULL &&
	    probe_sport(c, p) == sport)
		return p->tryno;
	return (int)slot;
}

/* --- sending ------------------------------------------------------------- */

/*
 * A TCP probe with flags and options (a multiple of 4 bytes) to port,
 * its keyed numbers, from our port.
 */
size_t
raw_tcp_opts(const struct rawctx *c, const struct probe *p, uint16_t port,
    uint8_t flags, const uint8_t *opts, size_t optlen, uint8_t *b)
{
	const struct host	*h = p->host;
	uint16_t		 sport = probe_sport(c, p), ck;
	size_t			 len = 20 + optlen;

	memset(b, 0, len);
	put16(b, sport);
	put16(b + 2, port);
	put32(b + 4, probe_seq(c, &h->addr, port, sport, 0));
	if (flags & PKT_TH_ACK)
		put32(b + 8, probe_seq(c, &h->addr, port, sport, 1));
	b[12] = (uint8_t)((len / 4) << 4);
	b[13] = flags;
	put16(b + 14, RAW_WINDOW);
	if (optlen > 0)
		memcpy(b + 20, opts, optlen);
	ck = packet_l4_cksum(&h->src, &h->addr, IPPROTO_TCP, b, len);
	memcpy(b + 16, &ck, 2);
	return len;
}

/* A TCP probe with flags to port; a SYN carries an MSS option. */
size_t
raw_tcp(const struct rawctx *c, const struct probe *p, uint16_t port,
    uint8_t flags, uint8_t *b)
{
	/* Like nmap's: a SYN without an MSS option looks forged. */
	static const uint8_t	mss[4] = { 2, 4, RAW_MSS >> 8, RAW_MSS & 0xff };

	return raw_tcp_opts(c, p, port, flags, mss,
	    (flags & PKT_TH_SYN) ? sizeof(mss) : 0, b);
}

/* The ICMP identifier of our requests to a host: keyed. */
static uint16_t
icmp_key(const struct rawctx *c, const struct host *h)
{
	return (uint16_t)probe_seq(c, &h->addr, 0, 0, 3);
}

/*
 * An ICMP request of a type (8 echo, 13 timestamp, 17 mask; in IPv6
 * always an echo) and length, its sequence number the probe's index and
 * try; its IP protocol in *proto.
 */
size_t
raw_icmp_request(const struct rawctx *c, const struct probe *p, int type,
    size_t len, uint8_t *b, uint8_t *proto)
{
	const struct host	*h = p->host;
	uint16_t		 ck;

	memset(b, 0, len);
	if (h->addr.family == AF_INET6) {
		b[0] = 128;
		*proto = IPPROTO_ICMPV6;
	} else {
		b[0] = (uint8_t)type;
		*proto = IPPROTO_ICMP;
	}
	put16(b + 4, icmp_key(c, h));
	put16(b + 6, (uint16_t)(p->port << 8 | (p->tryno & 0x7f)));
	if (h->addr.family == AF_INET6)
		ck = packet_l4_cksum(&h->src, &h->addr, IPPROTO_ICMPV6, b,
		    len);
	else
		ck = packet_sum_fold(packet_sum(b, len, 0));
	memcpy(b + 2, &ck, 2);
	return len;
}

/*
 * Whether an ICMP reply answers one of our requests to h: 0 with the
 * request's index and try, or -1.
 */
int
raw_icmp_reply(const struct rawctx *c, const struct host *h,
    const struct pkt *pk, unsigned int *idx, int *tryno)
{
	struct probe	*p;

	if (pk->icmpid != icmp_key(c, h))
		return -1;
	*idx = pk->icmpseq >> 8;
	*tryno = pk->icmpseq & 0x7f;
	if ((p = engine_probe_of(c->e, h, *idx)) != NULL &&
	    (p->tryno & 0x7f) == *tryno)
		*tryno = p->tryno;
	return 0;
}

/* The transport header and data of a probe; its IP protocol in *proto. */
static size_t
l4_build(struct rawctx *c, const struct probe *p, uint8_t *b, uint8_t *proto,
    uint16_t *ipid)
{
	*proto = IPPROTO_TCP;
	if (c->proto != NULL)
		return c->proto->build(c, p, b, proto, ipid);
	return raw_tcp(c, p, p->portno, c->flags, b);
}

/* A whole IP packet: header, then the transport segment. */
static size_t
packet_build(struct rawctx *c, const struct probe *p, uint8_t *b)
{
	const struct host	*h = p->host;
	size_t			 hl, tl;
	uint16_t		 ck, ipid = (uint16_t)rand_next(&c->rnd);
	uint8_t			 proto;

	if (h->addr.family == AF_INET) {
		hl = 20;
		tl = l4_build(c, p, b + hl, &proto, &ipid);
		memset(b, 0, hl);
		b[0] = 0x45;
		put16(b + 2, (uint16_t)(hl + tl));
		put16(b + 4, ipid);
		b[8] = RAW_TTL;
		b[9] = proto;
		memcpy(b + 12, h->src.bytes, 4);
		memcpy(b + 16, h->addr.bytes, 4);
		ck = packet_sum_fold(packet_sum(b, hl, 0));
		memcpy(b + 10, &ck, 2);
	} else {
		hl = 40;
		tl = l4_build(c, p, b + hl, &proto, &ipid);
		memset(b, 0, hl);
		b[0] = 0x60;
		put16(b + 4, (uint16_t)tl);
		b[6] = proto;
		b[7] = RAW_TTL;
		memcpy(b + 8, h->src.bytes, 16);
		memcpy(b + 24, h->addr.bytes, 16);
	}
	return hl + tl;
}

/* Sends n packets of the batch from the first; how many went, or -1. */
static int
batch_send(struct rawctx *c, int fd, unsigned int first, unsigned int n)
{
#ifdef HAVE_SENDMMSG
	struct mmsghdr	msg[RAW_BATCH];
	struct iovec	iov[RAW_BATCH];
	unsigned int	i;

	memset(msg, 0, n * sizeof(msg[0]));
	for (i = 0; i < n; i++) {
		iov[i].iov_base = c->pkt[first + i];
		iov[i].iov_len = c->len[first + i];
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
		msg[i].msg_hdr.msg_name = &c->dst[first + i];
		msg[i].msg_hdr.msg_namelen = c->dstlen[first + i];
	}
	return sendmmsg(fd, msg, n, 0);
#else
	unsigned int	i;

	for (i = 0; i < n; i++)
		if (sendto(fd, c->pkt[first + i], c->len[first + i], 0,
		    (struct sockaddr *)&c->dst[first + i],
		    c->dstlen[first + i]) == -1)
			return i > 0 ? (int)i : -1;
	return (int)n;
#endif
}

/*
 * Sends what the batch holds.  A full buffer (ENOBUFS) keeps the rest
 * for the next call; the engine calls again soon.  Another error, such
 * as a local firewall's refusal, drops the packet, whose probe then
 * times out, and is reported once.  Returns the packets left.
 */
unsigned int
raw_flush(struct engine *e, void *ctx)
{
	struct rawctx	*c = ctx;
	unsigned int	 done = 0;
	int		 fd = c->bfam == AF_INET ? c->fd4 : c->fd6, r;

	(void)e;
	while (done < c->nbatch) {
		if ((r = batch_send(c, fd, done, c->nbatch - done)) > 0) {
			done += (unsigned int)r;
			continue;
		}
		if (errno == ENOBUFS || errno == EAGAIN || errno == ENOMEM ||
		    errno == EINTR)
			break;
		if (!c->send_warned++)
			warn("sendto");
		done++;
	}
	if (done > 0 && done < c->nbatch) {
		memmove(c->pkt, c->pkt[done], (c->nbatch - done) *
		    sizeof(c->pkt[0]));
		memmove(c->len, c->len + done, (c->nbatch - done) *
		    sizeof(c->len[0]));
		memmove(c->dst, c->dst + done, (c->nbatch - done) *
		    sizeof(c->dst[0]));
		memmove(c->dstlen, c->dstlen + done, (c->nbatch - done) *
		    sizeof(c->dstlen[0]));
	}
	c->nbatch -= done;
	return c->nbatch;
}

int
raw_send(struct engine *e, void *ctx, struct probe *p)
{
	struct rawctx	*c = ctx;
	unsigned int	 i;

	if (c->nbatch > 0 && (c->bfam != p->host->addr.family ||
	    c->nbatch == RAW_BATCH) && raw_flush(e, c) > 0) {
		errno = ENOBUFS;
		return -1;
	}
	i = c->nbatch++;
	c->bfam = p->host->addr.family;
	c->len[i] = packet_build(c, p, c->pkt[i]);
	c->dstlen[i] = addr_to_sockaddr(&p->host->addr, 0, &c->dst[i]);
	if (c->sc->packet_trace)
		trace_packet(e, "SENT", c->pkt[i], c->len[i]);
	return 0;
}

/* --- answers -------------------------------------------------------------- */

/* The state a TCP answer gives, or 0 when it is no answer to our probe. */
static int
tcp_state(const struct rawctx *c, const struct pkt *pk, uint32_t seq,
    uint32_t ack, uint8_t *state, uint8_t *why)
{
	uint8_t	f = pk->flags;

	if (c->type == SCAN_ACK) {
		if ((f & PKT_TH_RST) == 0 || pk->seq != ack)
			return 0;
		*state = PS_UNFILTERED;
		*why = WHY_RESET;
		return 1;
	}
	/* Our SYN and FIN count one in the sequence space. */
	if ((f & PKT_TH_ACK) && pk->ack != seq +
	    ((c->flags & (PKT_TH_SYN | PKT_TH_FIN)) ? 1 : 0))
		return 0;
	if (f & PKT_TH_RST) {
		*state = PS_CLOSED;
		*why = WHY_RESET;
		return 1;
	}
	if (c->type != SCAN_SYN || (f & PKT_TH_SYN) == 0)
		return 0;
	*state = PS_OPEN;
	*why = (f & PKT_TH_ACK) ? WHY_SYNACK : WHY_SYN;
	return 1;
}

/* --packet-trace: an answer a probe type read. */
void
raw_trace(const struct rawctx *c, const struct pkt *pk)
{
	if (c->sc->packet_trace)
		trace_pkt(c->e, "RCVD", pk);
}

/* A directly attached target's Ethernet address, from its own packet. */
void
raw_mac(struct rawctx *c, struct host *h, const struct pkt *pk)
{
	if (!pk->haslladdr || !h->onlink || h->hasmac ||
	    addr_cmp(&pk->src, &h->addr) != 0)
		return;
	(void)pthread_mutex_lock(&c->sc->lock);
	if (!h->hasmac) {
		memcpy(h->mac, pk->lladdr, sizeof(h->mac));
		h->hasmac = 1;
	}
	(void)pthread_mutex_unlock(&c->sc->lock);
}

static void
answer_tcp(struct rawctx *c, const struct pkt *pk)
{
	struct host	*h;
	int32_t		 idx;
	int		 tryno, ping;
	uint32_t	 seq, ack;
	uint8_t		 state, why;

	if (pk->dport < c->base || pk->dport >= c->base + RAW_NPORTS)
		return;
	if ((h = engine_host_lookup(c->e, &pk->src)) == NULL ||
	    addr_cmp(&pk->dst, &h->src) != 0)
		return;
	if ((idx = engine_port_index(c->e, pk->sport)) < 0)
		return;
	tryno = raw_tryno(c, h, (uint32_t)idx, pk->dport, &ping);
	/* Scanning ourselves, our own probe comes back through loopback. */
	if (addr_cmp(&pk->src, &pk->dst) == 0 && pk->flags == c->flags &&
	    pk->seq == probe_seq(c, &h->addr, pk->dport, pk->sport, 0))
		return;
	seq = probe_seq(c, &h->addr, pk->sport, pk->dport, 0);
	ack = probe_seq(c, &h->addr, pk->sport, pk->dport, 1);
	if (!tcp_state(c, pk, seq, ack, &state, &why))
		return;
	if (c->sc->packet_trace)
		trace_pkt(c->e, "RCVD", pk);
	raw_mac(c, h, pk);
	engine_answer(c->e, h, (uint32_t)idx, tryno, ping, state, why, pk->ttl,
	    NULL);
}

/* nmap's reading of an ICMP error; 0 for one it does not read. */
int
raw_icmp_state(const struct pkt *pk, uint8_t *state, uint8_t *why)
{
	static const uint8_t	v4unreach[16] = {
		WHY_NETUNREACH, WHY_HOSTUNREACH, WHY_PROTOUNREACH,
		WHY_PORTUNREACH, 0, 0, 0, 0, 0, WHY_NETPROHIBITED,
		WHY_HOSTPROHIBITED, 0, 0, WHY_ADMINPROHIBITED, 0, 0
	};
	static const uint8_t	v6unreach[7] = {
		WHY_NOROUTE, WHY_ADMINPROHIBITED, WHY_BEYONDSCOPE,
		WHY_HOSTUNREACH, WHY_PORTUNREACH, WHY_ADMINPROHIBITED,
		WHY_REJECTROUTE
	};

	*state = PS_FILTERED;
	if (pk->family == AF_INET) {
		if (pk->icmptype == 11) {
			*why = WHY_TIMEEXCEEDED;
			return 1;
		}
		if (pk->icmptype != 3 || pk->icmpcode >= 16 ||
		    v4unreach[pk->icmpcode] == 0)
			return 0;
		*why = v4unreach[pk->icmpcode];
		return 1;
	}
	if (pk->icmptype == 1 && pk->icmpcode < nitems(v6unreach)) {
		*why = v6unreach[pk->icmpcode];
		return 1;
	}
	/*
	 * nmap reads "erroneous header field" as proof that the packet was
	 * understood, hence open, and "unrecognized next header" as filtered.
	 */
	if (pk->icmptype == 4 && pk->icmpcode <= 1) {
		*state = pk->icmpcode == 0 ? PS_OPEN : PS_FILTERED;
		*why = WHY_PARAMPROBLEM;
		return 1;
	}
	return 0;
}

static void
answer_icmp(struct rawctx *c, const struct pkt *pk)
{
	const struct pkt_quote	*q = &pk->quote;
	struct host		*h;
	int32_t			 idx;
	int			 tryno, ping;
	uint8_t			 state, why;

	if (!q->valid || q->proto != IPPROTO_TCP ||
	    q->sport < c->base || q->sport >= c->base + RAW_NPORTS)
		return;
	if ((h = engine_host_lookup(c->e, &q->dst)) == NULL ||
	    addr_cmp(&q->src, &h->src) != 0)
		return;
	if ((idx = engine_port_index(c->e, q->dport)) < 0 ||
	    q->seq != probe_seq(c, &h->addr, q->dport, q->sport, 0))
		return;
	if (!raw_icmp_state(pk, &state, &why))
		return;
	tryno = raw_tryno(c, h, (uint32_t)idx, q->sport, &ping);
	if (c->sc->packet_trace)
		trace_pkt(c->e, "RCVD", pk);
	raw_mac(c, h, pk);
	engine_answer(c->e, h, (uint32_t)idx, tryno, ping, state, why, pk->ttl,
	    addr_cmp(&pk->src, &h->addr) != 0 ? &pk->src : NULL);
}

static void
raw_input(void *arg, const struct pkt *pk, const struct timeval *ts)
{
	struct rawctx	*c = arg;

	(void)ts;
	if (pk->fragment)
		return;
	if (c->proto != NULL) {
		c->proto->input(c, pk);
		return;
	}
	if (pk->proto == IPPROTO_TCP)
		answer_tcp(c, pk);
	else if (pk->proto == IPPROTO_ICMP || pk->proto == IPPROTO_ICMPV6)
		answer_icmp(c, pk);
}

/* Packets the capture buffer dropped were answers: a loss for everyone. */
static void
drops_check(struct rawctx *c, int force)
{
	struct capture_stats	st;
	const struct timespec	*now = engine_now(c->e);
	long long		 us;

	us = ((long long)now->tv_sec - c->stats_at.tv_sec) * 1000000LL +
	    (now->tv_nsec - c->stats_at.tv_nsec) / 1000;
	if (!force && us < STATS_EVERY_US)
		return;
	c->stats_at = *now;
	if (capture_stats(c->cap, &st) == -1 || st.dropped <= c->drops)
		return;
	if (c->sc->debug)
		warnx("capture buffer dropped %lu packets; treated as loss",
		    st.dropped - c->drops);
	c->drops = st.dropped;
	engine_loss(c->e, NULL);
}

void
raw_sync(struct engine *e, void *ctx)
{
	struct rawctx	*c = ctx;

	(void)e;
	if (capture_dispatch(c->cap, 0, raw_input, c) == -1)
		errx(1, "packet capture failed");
	drops_check(c, 1);
}

static void
capture_ready(struct engine *e, void *arg, short revents)
{
	struct rawctx	*c = arg;

	(void)e;
	(void)revents;
	if (capture_dispatch(c->cap, 0, raw_input, c) == -1)
		errx(1, "packet capture failed");
	drops_check(c, 0);
}

/* --- setting up -------------------------------------------------------------- */

/* Whether a is on a network of one of our (not loopback) interfaces. */
static int
onlink(const struct ifaddrs *ifa, const struct addr *a)
{
	const struct ifaddrs	*i;
	struct addr		 ia, mask;
	int			 k, len;

	for (i = ifa; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_netmask == NULL ||
		    (i->ifa_flags & IFF_LOOPBACK) ||
		    i->ifa_addr->sa_family != a->family)
			continue;
		len = a->family == AF_INET ? (int)sizeof(struct sockaddr_in) :
		    (int)sizeof(struct sockaddr_in6);
		if (addr_from_sockaddr(&ia, NULL, i->ifa_addr,
		    (socklen_t)len) == -1 ||
		    addr_from_sockaddr(&mask, NULL, i->ifa_netmask,
		    (socklen_t)len) == -1)
			continue;
		for (k = 0; k < addr_len(a->family); k++)
			if ((ia.bytes[k] & mask.bytes[k]) !=
			    (a->bytes[k] & mask.bytes[k]))
				break;
		if (k == addr_len(a->family))
			return 1;
	}
	return 0;
}

/* Our address towards h, as the routing table says (nothing is sent). */
static void
route_source(struct host *h)
{
	struct sockaddr_storage	ss;
	socklen_t		sl;
	int			s;

	h->route_err = 0;
	if ((s = socket(h->addr.family, SOCK_DGRAM, 0)) == -1) {
		h->route_err = errno;
		return;
	}
	sl = addr_to_sockaddr(&h->addr, 9, &ss);
	if (connect(s, (struct sockaddr *)&ss, sl) == -1)
		h->route_err = errno;
	else {
		sl = sizeof(ss);
		if (getsockname(s, (struct sockaddr *)&ss, &sl) == -1 ||
		    addr_from_sockaddr(&h->src, NULL, (struct sockaddr *)&ss,
		    sl) == -1)
			h->route_err = errno != 0 ? errno : EINVAL;
	}
	(void)close(s);
}

static void
hold_close(struct rawset *rs)
{
	unsigned int	i;

	for (i = 0; i < rs->nhold; i++) {
		if (rs->hold[i] >= 0)
			(void)close(rs->hold[i]);
		rs->hold[i] = -1;
	}
}

/*
 * Binds one TCP or UDP socket of a family to port; -1 on a conflict.  A
 * held UDP port also keeps our kernel from answering a target's UDP
 * reply with an ICMP error; what it receives is left unread, in a small
 * buffer.
 */
static int
hold_one(int family, int type, uint16_t port, int *fd)
{
	struct sockaddr_storage	ss;
	struct addr		any;
	socklen_t		sl;
	int			on = 1, small = 1;

	if ((*fd = socket(family, type, 0)) == -1)
		return errno == EAFNOSUPPORT ? 0 : -1;
	if (type == SOCK_DGRAM)
		(void)setsockopt(*fd, SOL_SOCKET, SO_RCVBUF, &small,
		    sizeof(small));
	if (family == AF_INET6)
		(void)setsockopt(*fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
		    sizeof(on));
	memset(&any, 0, sizeof(any));
	any.family = family;
	sl = addr_to_sockaddr(&any, port, &ss);
	if (bind(*fd, (struct sockaddr *)&ss, sl) == -1) {
		(void)close(*fd);
		*fd = -1;
		return -1;
	}
	return 0;
}

/* A block of source ports nothing else uses, held for the scan. */
static int
hold_ports(struct scan *sc, struct rawset *rs, char *err, size_t errlen)
{
	unsigned int	tries, i, nports = RAW_NPORTS * rs->n;
	int		ok;

	rs->nhold = 4 * nports;
	rs->hold = xreallocarray(NULL, rs->nhold, sizeof(*rs->hold));
	for (i = 0; i < rs->nhold; i++)
		rs->hold[i] = -1;
	for (tries = 0; tries < 64; tries++) {
		rs->base = (uint16_t)(10000 + rand_below(&sc->rnd,
		    50000 - nports));
		ok = 1;
		for (i = 0; i < nports && ok; i++)
			ok = hold_one(AF_INET, SOCK_STREAM,
			    (uint16_t)(rs->base + i), &rs->hold[4 * i]) == 0 &&
			    hold_one(AF_INET6, SOCK_STREAM,
			    (uint16_t)(rs->base + i),
			    &rs->hold[4 * i + 1]) == 0 &&
			    hold_one(AF_INET, SOCK_DGRAM,
			    (uint16_t)(rs->base + i),
			    &rs->hold[4 * i + 2]) == 0 &&
			    hold_one(AF_INET6, SOCK_DGRAM,
			    (uint16_t)(rs->base + i),
			    &rs->hold[4 * i + 3]) == 0;
		if (ok)
			return 0;
		hold_close(rs);
	}
	(void)snprintf(err, errlen, "no block of %u free source ports",
	    nports);
	return -1;
}

/* The name of the interface that owns our address src, or NULL. */
char *
raw_iface_of(const struct addr *src)
{
	struct ifaddrs	*ifa, *i;
	struct addr	 a;
	char		*name = NULL;

	if (getifaddrs(&ifa) == -1)
		return NULL;
	for (i = ifa; i != NULL && name == NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL ||
		    addr_from_sockaddr(&a, NULL, i->ifa_addr,
		    i->ifa_addr->sa_family == AF_INET ?
		    sizeof(struct sockaddr_in) :
		    sizeof(struct sockaddr_in6)) == -1)
			continue;
		if (addr_cmp(&a, src) == 0)
			name = xstrdup(i->ifa_name);
	}
	freeifaddrs(ifa);
	return name;
}

static int
capture_start(struct rawctx *c, const struct addr *src, char *err,
    size_t errlen)
{
	struct capture_opts	co;
	char			filter[512], e1[256];
	char			*ifname;

	/* Errors, and the replies of echo, timestamp and mask requests. */
	(void)snprintf(filter, sizeof(filter),
	    "((tcp or udp) and dst portrange %u-%u) or "
	    "(icmp and (icmp[0] == 0 or icmp[0] == 3 or icmp[0] == 11 or "
	    "icmp[0] == 14 or icmp[0] == 18)) or "
	    "(icmp6 and (ip6[40] == 1 or ip6[40] == 3 or ip6[40] == 4 or "
	    "ip6[40] == 129))",
	    c->base, c->base + RAW_NPORTS - 1);
	memset(&co, 0, sizeof(co));
	co.filter = filter;
	co.inbound = 1;
	if ((c->cap = capture_open(&co, e1, sizeof(e1))) != NULL)
		return 0;
	/* No capture on every interface here: the one that routes. */
	if (src == NULL || (ifname = raw_iface_of(src)) == NULL) {
		(void)snprintf(err, errlen, "%s", e1);
		return -1;
	}
	co.ifname = ifname;
	c->cap = capture_open(&co, err, errlen);
	free(ifname);
	return c->cap != NULL ? 0 : -1;
}

static int
sockets_open(struct rawctx *c, char *err, size_t errlen)
{
	int	e4, e6;

	c->fd4 = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	e4 = errno;
	c->fd6 = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
	e6 = errno;
	if (c->fd4 == -1 && c->fd6 == -1) {
		(void)snprintf(err, errlen, "raw socket: %s%s", strerror(e4),
		    e4 == EPERM || e4 == EACCES ? " (raw scans need root, "
		    "or CAP_NET_RAW and CAP_NET_ADMIN; -sT does not)" : "");
		return -1;
	}
	(void)e6;
	return 0;
}

/*
 * Whether this system and these privileges allow a raw scan at all:
 * checked before the scan starts, for a clear message.
 */
int
raw_check(enum scantype type, char *err, size_t errlen)
{
	struct rawctx	c;

	if (!capture_supported()) {
		(void)snprintf(err, errlen, "%s needs packet capture, and this "
		    "build has no libpcap (configure --with-pcap); -sT works "
		    "without it", scan_name(type));
		return -1;
	}
	memset(&c, 0, sizeof(c));
	if (sockets_open(&c, err, errlen) == -1)
		return -1;
	if (c.fd4 != -1)
		(void)close(c.fd4);
	if (c.fd6 != -1)
		(void)close(c.fd6);
	return 0;
}

static void
rawctx_free(struct rawctx *c)
{
	if (c == NULL)
		return;
	capture_close(c->cap);
	if (c->fd4 != -1)
		(void)close(c->fd4);
	if (c->fd6 != -1)
		(void)close(c->fd6);
	free(c);
}

static struct rawctx *
rawctx_new(struct scan *sc, uint16_t base, const struct addr *src,
    char *err, size_t errlen)
{
	struct rawctx	*c = xcalloc(1, sizeof(*c));
	size_t		 i;

	c->sc = sc;
	c->type = sc->o->scan;
	c->base = base;
	for (i = 0; i < nitems(scans); i++)
		if (scans[i].type == c->type)
			c->flags = scans[i].flags;
	c->fd4 = c->fd6 = -1;
	rand_fork(&sc->rnd, &c->rnd);
	if (sockets_open(c, err, errlen) == -1 ||
	    capture_start(c, src, err, errlen) == -1) {
		rawctx_free(c);
		return NULL;
	}
	return c;
}

/* The workers' sockets and captures, opened for the first group. */
static struct rawset *
raw_open(struct scan *sc, unsigned int n, const struct addr *src, char *err,
    size_t errlen)
{
	struct rawset	*rs = xcalloc(1, sizeof(*rs));
	unsigned int	 w;

	rs->n = n;
	if (hold_ports(sc, rs, err, errlen) == -1)
		goto fail;
	for (w = 0; w < n; w++)
		if ((rs->w[w] = rawctx_new(sc, (uint16_t)(rs->base +
		    w * RAW_NPORTS), src, err, errlen)) == NULL)
			goto fail;
	return rs;
fail:
	raw_close(rs);
	return NULL;
}

void
raw_close(void *arg)
{
	struct rawset	*rs = arg;
	unsigned int	 w;

	if (rs == NULL)
		return;
	for (w = 0; w < rs->n; w++)
		rawctx_free(rs->w[w]);
	hold_close(rs);
	free(rs->hold);
	free(rs);
}

static void
ops_fill(struct probe_ops *ops, enum scantype type)
{
	size_t	i;

	raw_ops(ops, scan_name(type), 0);
	for (i = 0; i < nitems(scans); i++)
		if (scans[i].type == type)
			ops->silent = scans[i].silent;
	ops->ping_open = 1;
}

/* Each engine reads its worker's capture. */
void
raw_attach(struct engine *e, void *ctx)
{
	struct rawctx	*c = ctx;

	c->e = e;
	c->stats_at = *engine_now(e);
	(void)engine_watch(e, capture_fd(c->cap), POLLIN, capture_ready, c,
	    NULL);
}

/* The workers the raw phases may want at most: the TCP scan's. */
static unsigned int
workers_max(struct scan *sc, size_t n)
{
	uint32_t	saved = sc->nports;
	unsigned int	w;

	if (sc->pset[PSET_TCP].n > sc->nports)
		sc->nports = sc->pset[PSET_TCP].n;
	w = engine_workers(sc, n, 0);
	sc->nports = saved;
	return w;
}

/*
 * Finds our address towards each host and whether it is on a directly
 * attached network, and opens the sockets and captures with the first
 * group: 0, or -2 with err set when they cannot be had.  They stay open
 * for the next groups and phases.
 */
int
raw_prepare(struct scan *sc, struct host **hosts, size_t n, char *err,
    size_t errlen)
{
	struct rawset		*rs = sc->rawctx;
	struct ifaddrs		*ifa = NULL;
	size_t			 i;

	if (getifaddrs(&ifa) == -1)
		ifa = NULL;
	for (i = 0; i < n; i++) {
		route_source(hosts[i]);
		hosts[i]->onlink = onlink(ifa, &hosts[i]->addr);
	}
	if (ifa != NULL)
		freeifaddrs(ifa);
	if (rs == NULL) {
		for (i = 0; i < n && hosts[i]->route_err != 0; i++)
			;
		if ((rs = raw_open(sc, workers_max(sc, n), i < n ?
		    &hosts[i]->src : NULL, err, errlen)) == NULL)
			return -2;
		sc->rawctx = rs;
	}
	for (i = 0; i < n; i++)
		if (hosts[i]->route_err == 0 &&
		    ((hosts[i]->addr.family == AF_INET &&
		    rs->w[0]->fd4 == -1) ||
		    (hosts[i]->addr.family == AF_INET6 &&
		    rs->w[0]->fd6 == -1)))
			hosts[i]->route_err = EAFNOSUPPORT;
	return 0;
}

/* The probe_ops of a raw probe type: raw.c sends, the type reads. */
void
raw_ops(struct probe_ops *ops, const char *name, uint8_t silent)
{
	memset(ops, 0, sizeof(*ops));
	ops->name = name;
	ops->silent = silent;
	ops->max_parallel = RAW_MAX_PARALLEL;
	ops->send = raw_send;
	ops->flush = raw_flush;
	ops->sync = raw_sync;
}

/*
 * Runs a phase over the prepared group with a probe type (proto NULL:
 * the TCP scan of the options) on at most maxw workers: 0, or -1 when
 * stopped.
 */
int
raw_run(struct scan *sc, const struct probe_ops *ops,
    const struct rawproto *proto, void *parg, struct host **hosts, size_t n,
    unsigned int maxw, void (*attach)(struct engine *, void *))
{
	struct rawset	*rs = sc->rawctx;
	void		*ctx[PSCAN_WORKERS_MAX];
	unsigned int	 nw, w;
	int		 r;

	nw = engine_workers(sc, n, (int)(maxw < rs->n ? maxw : rs->n));
	for (w = 0; w < nw; w++) {
		rs->w[w]->proto = proto;
		rs->w[w]->parg = parg;
		ctx[w] = rs->w[w];
	}
	r = engine_scan_group(sc, ops, ctx, nw, hosts, n,
	    attach != NULL ? attach : raw_attach);
	for (w = 0; w < nw; w++) {
		rs->w[w]->proto = NULL;
		rs->w[w]->parg = NULL;
	}
	return r;
}

/*
 * Scans a group: 0, -1 when stopped, -2 with err set when the sockets
 * or the capture cannot be had.
 */
int
raw_scan(struct scan *sc, struct host **hosts, size_t n, char *err,
    size_t errlen)
{
	struct probe_ops	ops;

	if (raw_prepare(sc, hosts, n, err, errlen) == -2)
		return -2;
	ops_fill(&ops, sc->o->scan);
	return raw_run(sc, &ops, NULL, NULL, hosts, n, PSCAN_WORKERS_MAX,
	    NULL);
}
