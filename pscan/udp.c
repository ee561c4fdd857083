/*
 * udp.c: the UDP scan (-sU).
 *
 * UDP has no handshake, so a port says nothing unless its program
 * answers the datagram, and most programs answer only a request of
 * their own protocol: the well-known ports get such a request (DNS, NTP,
 * SNMP, NetBIOS, SunRPC... below), every other port an empty datagram.
 * The states are nmap's: a UDP answer means open; an ICMP port
 * unreachable from the target, closed; another ICMP unreachable (or a
 * port unreachable from a router), filtered; silence, open|filtered,
 * since an open port whose program ignores us and a firewall that drops
 * the probe look the same.
 *
 * Silence is also what a closed port of a host that rate-limits its ICMP
 * errors gives: Linux sends at most one a second to each address, after
 * a burst of six.  The engine knows (ops.limited): a silence counts only
 * when the target answered a probe sent just after it, and the host is
 * paced at the rate it answers (see engine.c).  That is why a UDP scan
 * of a Linux host's closed ports takes about a second a port: no scanner
 * can learn faster what the host will not say.
 *
 * The requests are written from the protocols' specifications; each is
 * harmless (a query, a status or version request, a NULL call).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "packet.h"
#include "pscan.h"

/* DNS (RFC 1035): a query for the CHAOS TXT record version.bind,
 * which any server answers, if only to refuse it. */
static const uint8_t p_dns[] = {
	0x50, 0x53, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x07, 0x76, 0x65, 0x72, 0x73, 0x69, 0x6f, 0x6e, 0x04, 0x62, 0x69, 0x6e,
	0x64, 0x00, 0x00, 0x10, 0x00, 0x03,
};

/* Multicast DNS (RFC 6762), asked directly: the PTR records of
 * _services._dns-sd._udp.local, with the unicast-response bit. */
static const uint8_t p_mdns[] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x09, 0x5f, 0x73, 0x65, 0x72, 0x76, 0x69, 0x63, 0x65, 0x73, 0x07, 0x5f,
	0x64, 0x6e, 0x73, 0x2d, 0x73, 0x64, 0x04, 0x5f, 0x75, 0x64, 0x70, 0x05,
	0x6c, 0x6f, 0x63, 0x61, 0x6c, 0x00, 0x00, 0x0c, 0x80, 0x01,
};

/* NetBIOS name service (RFC 1002): a node status request for "*". */
static const uint8_t p_nbns[] = {
	0x50, 0x53, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x20, 0x43, 0x4b, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41,
	0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41,
	0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x41, 0x00, 0x00, 0x21,
	0x00, 0x01,
};

/* SunRPC (RFC 5531): a NULL call to the portmapper, version 2. */
static const uint8_t p_portmap[] = {
	0x50, 0x53, 0x43, 0x31, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x01, 0x86, 0xa0, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};

/* SunRPC: a NULL call to NFS (program 100003), version 3. */
static const uint8_t p_nfs[] = {
	0x50, 0x53, 0x43, 0x31, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x01, 0x86, 0xa3, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};

/* NTP (RFC 5905): a version 4 client request, 48 bytes. */
static const uint8_t p_ntp[] = {
	0xe3, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* SNMP (RFC 3412, 3414): a version 3 discovery request (an empty
 * get, no user, reportable), which every v3 agent answers with a
 * report whatever its communities. */
static const uint8_t p_snmp[] = {
	0x30, 0x3a, 0x02, 0x01, 0x03, 0x30, 0x0f, 0x02, 0x02, 0x4b, 0x51, 0x02,
	0x03, 0x00, 0xff, 0xe3, 0x04, 0x01, 0x04, 0x02, 0x01, 0x03, 0x04, 0x10,
	0x30, 0x0e, 0x04, 0x00, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x04, 0x00,
	0x04, 0x00, 0x04, 0x00, 0x30, 0x12, 0x04, 0x00, 0x04, 0x00, 0xa0, 0x0c,
	0x02, 0x02, 0x50, 0x53, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x00,
};

/* RIP version 2 (RFC 2453): a request for the whole table. */
static const uint8_t p_rip[] = {
	0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
};

/* IPMI over RMCP (DMTF ASF): a presence ping. */
static const uint8_t p_rmcp[] = {
	0x06, 0x00, 0xff, 0x06, 0x00, 0x00, 0x11, 0xbe, 0x80, 0x00, 0x00, 0x00,
};

/* OpenVPN: a client's hard reset (version 2), key 0. */
static const uint8_t p_openvpn[] = {
	0x38, 0x70, 0x73, 0x63, 0x61, 0x6e, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x00, 0x00,
};

/* Microsoft SQL Server browser ([MC-SQLR]): CLNT_BCAST_EX. */
static const uint8_t p_mssql[] = {
	0x02,
};

/* XDMCP: a Query with no authentication names. */
static const uint8_t p_xdmcp[] = {
	0x00, 0x01, 0x00, 0x02, 0x00, 0x01, 0x00,
};

/* STUN (RFC 8489): a binding request. */
static const uint8_t p_stun[] = {
	0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42, 0x70, 0x73, 0x63, 0x61,
	0x6e, 0x2d, 0x70, 0x72, 0x6f, 0x62, 0x65, 0x31,
};

/* CoAP (RFC 7252): a confirmable GET of /.well-known/core. */
static const uint8_t p_coap[] = {
	0x40, 0x01, 0x50, 0x53, 0xbb, 0x2e, 0x77, 0x65, 0x6c, 0x6c, 0x2d, 0x6b,
	0x6e, 0x6f, 0x77, 0x6e, 0x04, 0x63, 0x6f, 0x72, 0x65,
};

/* NAT-PMP (RFC 6886): the external address request. */
static const uint8_t p_natpmp[] = {
	0x00, 0x00,
};

/* memcached over UDP: the frame header, then "version". */
static const uint8_t p_memcached[] = {
	0x50, 0x53, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x76, 0x65, 0x72, 0x73,
	0x69, 0x6f, 0x6e, 0x0d, 0x0a,
};

/* TFTP (RFC 1350): a read request for a file no server has; the
 * error it gets back is the answer. */
static const uint8_t p_tftp[] = {
	0x00, 0x01, 0x70, 0x73, 0x63, 0x61, 0x6e, 0x2d, 0x70, 0x72, 0x6f, 0x62,
	0x65, 0x00, 0x6f, 0x63, 0x74, 0x65, 0x74, 0x00,
};

/* SSDP (UPnP device architecture): a search for every device. */
static const char p_ssdp[] =
    "M-SEARCH * HTTP/1.1\r\n"
    "HOST: 239.255.255.250:1900\r\n"
    "MAN: \"ssdp:discover\"\r\n"
    "MX: 1\r\n"
    "ST: ssdp:all\r\n"
    "\r\n";

/* SIP (RFC 3261): an OPTIONS request, which every endpoint answers. */
static const char p_sip[] =
    "OPTIONS sip:pscan@invalid SIP/2.0\r\n"
    "Via: SIP/2.0/UDP invalid;branch=z9hG4bK-pscan;rport\r\n"
    "Max-Forwards: 70\r\n"
    "From: <sip:pscan@invalid>;tag=pscan\r\n"
    "To: <sip:pscan@invalid>\r\n"
    "Call-ID: pscan-probe@invalid\r\n"
    "CSeq: 1 OPTIONS\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

#define BIN(a)	(a), sizeof(a)
#define TEXT(a)	(const uint8_t *)(a), sizeof(a) - 1

/* By port, ascending. */
static const struct payload {
	uint16_t	 port;
	const uint8_t	*data;
	size_t		 len;
} payloads[] = {
	{ 53,	BIN(p_dns) },
	{ 69,	BIN(p_tftp) },
	{ 111,	BIN(p_portmap) },
	{ 123,	BIN(p_ntp) },
	{ 137,	BIN(p_nbns) },
	{ 161,	BIN(p_snmp) },
	{ 177,	BIN(p_xdmcp) },
	{ 520,	BIN(p_rip) },
	{ 623,	BIN(p_rmcp) },
	{ 1194,	BIN(p_openvpn) },
	{ 1434,	BIN(p_mssql) },
	{ 1900,	TEXT(p_ssdp) },
	{ 2049,	BIN(p_nfs) },
	{ 3478,	BIN(p_stun) },
	{ 5060,	TEXT(p_sip) },
	{ 5351,	BIN(p_natpmp) },
	{ 5353,	BIN(p_mdns) },
	{ 5683,	BIN(p_coap) },
	{ 11211, BIN(p_memcached) },
};

/* The request a port gets, and its length; 0 for an empty datagram. */
size_t
udp_payload(uint16_t port, const uint8_t **data)
{
	size_t	lo = 0, hi = nitems(payloads), mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (payloads[mid].port == port) {
			*data = payloads[mid].data;
			return payloads[mid].len;
		}
		if (payloads[mid].port < port)
			lo = mid + 1;
		else
			hi = mid;
	}
	*data = NULL;
	return 0;
}

/* The IPv4 identification of a probe: keyed, so an ICMP error's quote
 * proves it answers ours. */
static uint16_t
udp_ipid(const struct rawctx *c, const struct host *h, uint16_t port,
    uint16_t sport)
{
	return (uint16_t)raw_seq(c, &h->addr, port, sport, 2);
}

/*
 * A UDP probe to port, with the port's request, from the probe's source
 * port; its length.  Host discovery (-PU) sends these too.
 */
size_t
udp_datagram(const struct rawctx *c, const struct probe *p, uint16_t port,
    uint8_t *b, uint16_t *ipid)
{
	const struct host	*h = p->host;
	const uint8_t		*data;
	size_t			 plen = udp_payload(port, &data);
	uint16_t		 sport = raw_sport(c, p), ck;

	b[0] = (uint8_t)(sport >> 8);
	b[1] = (uint8_t)sport;
	b[2] = (uint8_t)(port >> 8);
	b[3] = (uint8_t)port;
	b[4] = (uint8_t)((8 + plen) >> 8);
	b[5] = (uint8_t)(8 + plen);
	b[6] = b[7] = 0;
	if (plen > 0)
		memcpy(b + 8, data, plen);
	ck = packet_l4_cksum(&h->src, &h->addr, IPPROTO_UDP, b, 8 + plen);
	if (ck == 0)
		ck = 0xffff;	/* zero says "no checksum" */
	memcpy(b + 6, &ck, 2);
	*ipid = udp_ipid(c, h, port, sport);
	return 8 + plen;
}

static size_t
udp_build(struct rawctx *c, const struct probe *p, uint8_t *b,
    uint8_t *proto, uint16_t *ipid)
{
	*proto = IPPROTO_UDP;
	return udp_datagram(c, p, p->portno, b, ipid);
}

/* Whether an ICMP error's quote is of our UDP probe to port, in IPv4. */
int
udp_quote_ours(const struct rawctx *c, const struct host *h,
    const struct pkt_quote *q)
{
	return q->dst.family != AF_INET ||
	    q->ipid == udp_ipid(c, h, q->dport, q->sport);
}

/* A datagram from a scanned port to one of ours: the port is open. */
static void
udp_reply(struct rawctx *c, const struct pkt *pk)
{
	struct engine	*e = raw_engine(c);
	struct host	*h;
	int32_t		 idx;
	int		 tryno, ping;

	if ((h = engine_host_lookup(e, &pk->src)) == NULL ||
	    addr_cmp(&pk->dst, &h->src) != 0 ||
	    (idx = engine_port_index(e, pk->sport)) < 0 ||
	    (tryno = raw_tryno(c, h, (uint32_t)idx, pk->dport, &ping)) < 0)
		return;
	/* Scanning ourselves, our own probe comes back through loopback. */
	if (addr_cmp(&pk->src, &pk->dst) == 0 &&
	    raw_tryno(c, h, (uint32_t)idx, pk->sport, &ping) >= 0)
		return;
	raw_trace(c, pk);
	raw_mac(c, h, pk);
	engine_answer(e, h, (uint32_t)idx, tryno, ping, PS_OPEN,
	    WHY_UDPRESPONSE, pk->ttl, NULL);
}

/* An ICMP error about one of our probes: closed or filtered. */
static void
udp_error(struct rawctx *c, const struct pkt *pk)
{
	const struct pkt_quote	*q = &pk->quote;
	struct engine		*e = raw_engine(c);
	struct host		*h;
	int32_t			 idx;
	int			 tryno, ping, fromhost;
	uint8_t			 state, why;

	if (!q->valid || q->proto != IPPROTO_UDP ||
	    (h = engine_host_lookup(e, &q->dst)) == NULL ||
	    addr_cmp(&q->src, &h->src) != 0 ||
	    (idx = engine_port_index(e, q->dport)) < 0 ||
	    (tryno = raw_tryno(c, h, (uint32_t)idx, q->sport, &ping)) < 0)
		return;
	if (!udp_quote_ours(c, h, q))
		return;
	if (!raw_icmp_state(pk, &state, &why))
		return;
	/* Only the target itself can say that nothing listens. */
	fromhost = addr_cmp(&pk->src, &h->addr) == 0;
	if (why == WHY_PORTUNREACH && fromhost)
		state = PS_CLOSED;
	else if (state == PS_OPEN)
		state = PS_FILTERED;
	raw_trace(c, pk);
	raw_mac(c, h, pk);
	engine_answer(e, h, (uint32_t)idx, tryno, ping, state, why, pk->ttl,
	    fromhost ? NULL : &pk->src);
}

static void
udp_input(struct rawctx *c, const struct pkt *pk)
{
	if (pk->proto == IPPROTO_UDP)
		udp_reply(c, pk);
	else if (pk->proto == IPPROTO_ICMP || pk->proto == IPPROTO_ICMPV6)
		udp_error(c, pk);
}

static const struct rawproto udp_proto = { udp_build, udp_input };

/*
 * Scans a group's UDP ports: 0, -1 when stopped, -2 with err set when
 * the sockets or the capture cannot be had.  One worker: each host is
 * paced by the rate of its answers, which two workers would share.
 */
int
udp_scan(struct scan *sc, struct host **hosts, size_t n, char *err,
    size_t errlen)
{
	struct probe_ops	ops;

	if (raw_prepare(sc, hosts, n, err, errlen) == -2)
		return -2;
	raw_ops(&ops, scan_name(SCAN_UDP), PS_OPENFILTERED);
	ops.limited = 1;
	return raw_run(sc, &ops, &udp_proto, NULL, hosts, n, 1, NULL);
}
