/*
 * packet.c: IPv4 and IPv6 packet decoding and Internet checksums.
 *
 * Fields are read byte by byte in network order rather than through
 * struct ip or struct tcphdr casts: captured buffers carry no alignment
 * promise, and the system headers differ in field names between Linux and
 * the BSDs.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "compat.h"
#include "packet.h"

#define ETHERTYPE_IP4	0x0800
#define ETHERTYPE_IP6	0x86dd
#define ETHERTYPE_VLAN	0x8100
#define ETHERTYPE_QINQ	0x88a8
/* The hardware type of Ethernet in a cooked capture's header. */
#define ARPHRD_ETHER_TYPE	1

/* IPv6 extension headers the decoder walks over. */
#define IP6_HOPOPTS	0
#define IP6_ROUTING	43
#define IP6_FRAGMENT	44
#define IP6_AH		51
#define IP6_DSTOPTS	60
/* Enough headers for any honest packet; a longer chain is refused. */
#define IP6_MAXEXT	8

static uint16_t
get16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static uint32_t
get32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
}

static void
set_addr(struct addr *a, int family, const uint8_t *b)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	memcpy(a->bytes, b, family == AF_INET ? 4 : 16);
}

/*
 * The IPv4 header at buf: fills the network fields and returns the offset
 * of the transport header, or -1.  *end is the end of the packet as the
 * header and the capture agree.
 */
static int
decode_ip4(struct pkt *p, const uint8_t *buf, size_t len, size_t *end)
{
	size_t		hl, tot;
	uint16_t	off;

	if (len < 20 || buf[0] >> 4 != 4)
		return -1;
	hl = (size_t)(buf[0] & 0x0f) * 4;
	tot = get16(buf + 2);
	if (hl < 20 || hl > len || tot < hl)
		return -1;
	p->family = AF_INET;
	p->tos = buf[1];
	p->ipid = get16(buf + 4);
	off = get16(buf + 6);
	p->df = (off & 0x4000) != 0;
	p->fragment = (off & 0x1fff) != 0;
	p->morefrags = (off & 0x2000) != 0;
	p->fragoff = (uint16_t)((off & 0x1fff) * 8);
	p->fragid = p->ipid;
	p->ttl = buf[8];
	p->proto = buf[9];
	p->ipopts = hl > 20;
	p->iplen = tot;
	set_addr(&p->src, AF_INET, buf + 12);
	set_addr(&p->dst, AF_INET, buf + 16);
	/* Ethernet pads short frames: the header's length wins. */
	*end = tot < len ? tot : len;
	return (int)hl;
}

/* The IPv6 header and its extension headers, as decode_ip4(). */
static int
decode_ip6(struct pkt *p, const uint8_t *buf, size_t len, size_t *end)
{
	size_t	off = 40, elen;
	uint8_t	nxt;
	int	i;

	if (len < 40 || buf[0] >> 4 != 6)
		return -1;
	p->family = AF_INET6;
	p->tos = (uint8_t)((get16(buf) >> 4) & 0xff);
	p->iplen = 40 + (size_t)get16(buf + 4);
	nxt = buf[6];
	p->ttl = buf[7];
	set_addr(&p->src, AF_INET6, buf + 8);
	set_addr(&p->dst, AF_INET6, buf + 24);
	*end = p->iplen < len ? p->iplen : len;
	for (i = 0; i < IP6_MAXEXT; i++) {
		switch (nxt) {
		case IP6_HOPOPTS:
		case IP6_DSTOPTS:
		case IP6_ROUTING:
			if (nxt != IP6_ROUTING)
				p->ipopts = 1;
			if (off + 8 > *end)
				return -1;
			elen = ((size_t)buf[off + 1] + 1) * 8;
			break;
		case IP6_AH:
			if (off + 8 > *end)
				return -1;
			elen = ((size_t)buf[off + 1] + 2) * 4;
			break;
		case IP6_FRAGMENT:
			if (off + 8 > *end)
				return -1;
			if ((get16(buf + off + 2) & 0xfff8) != 0)
				p->fragment = 1;
			p->fragoff = get16(buf + off + 2) & 0xfff8;
			p->morefrags = get16(buf + off + 2) & 1;
			p->fragid = get32(buf + off + 4);
			elen = 8;
			break;
		default:
			p->proto = nxt;
			return (int)off;
		}
		nxt = buf[off];
		off += elen;
		if (off > *end)
			return -1;
	}
	return -1;
}

static int
decode_network(struct pkt *p, const uint8_t *buf, size_t len, size_t *end)
{
	if (len < 1)
		return -1;
	if (buf[0] >> 4 == 4)
		return decode_ip4(p, buf, len, end);
	if (buf[0] >> 4 == 6)
		return decode_ip6(p, buf, len, end);
	return -1;
}

/*
 * The IP header an ICMP error quotes and the first bytes after it: RFC 792
 * promises eight, enough for ports and a TCP sequence number.
 */
static void
decode_quote(struct pkt_quote *q, const uint8_t *buf, size_t len)
{
	struct pkt	inner;
	size_t		end;
	int		off;

	memset(q, 0, sizeof(*q));
	memset(&inner, 0, sizeof(inner));
	/* The quote's own length field counts the original datagram. */
	if ((off = decode_network(&inner, buf, len, &end)) == -1)
		return;
	q->valid = 1;
	q->src = inner.src;
	q->dst = inner.dst;
	q->proto = inner.proto;
	q->ipid = inner.ipid;
	if (inner.fragment)
		return;
	if ((inner.proto == IPPROTO_TCP || inner.proto == IPPROTO_UDP) &&
	    len >= (size_t)off + 4) {
		q->sport = get16(buf + off);
		q->dport = get16(buf + off + 2);
	}
	if (inner.proto == IPPROTO_TCP && len >= (size_t)off + 8)
		q->seq = get32(buf + off + 4);
}

static int
decode_tcp(struct pkt *p, const uint8_t *b, size_t len)
{
	size_t	hl;

	if (len < 20)
		return -1;
	hl = (size_t)(b[12] >> 4) * 4;
	if (hl < 20 || hl > len)
		return -1;
	p->sport = get16(b);
	p->dport = get16(b + 2);
	p->seq = get32(b + 4);
	p->ack = get32(b + 8);
	p->flags = b[13];
	p->win = get16(b + 14);
	p->urp = get16(b + 18);
	p->tcpopt = b + 20;
	p->tcpoptlen = hl - 20;
	p->payload = b + hl;
	p->paylen = len - hl;
	return 0;
}

static int
decode_udp(struct pkt *p, const uint8_t *b, size_t len)
{
	if (len < 8)
		return -1;
	p->sport = get16(b);
	p->dport = get16(b + 2);
	p->payload = b + 8;
	p->paylen = len - 8;
	return 0;
}

static int
icmp_is_error(int family, uint8_t type)
{
	if (family == AF_INET)
		return type == 3 || type == 4 || type == 5 || type == 11 ||
		    type == 12;
	return type >= 1 && type <= 4;
}

static int
icmp_is_echo(int family, uint8_t type)
{
	if (family == AF_INET)
		return type == 0 || type == 8 || type == 13 || type == 14 ||
		    type == 17 || type == 18;
	return type == 128 || type == 129;
}

static int
decode_icmp(struct pkt *p, const uint8_t *b, size_t len)
{
	if (len < 8)
		return -1;
	p->icmptype = b[0];
	p->icmpcode = b[1];
	p->payload = b + 8;
	p->paylen = len - 8;
	if (icmp_is_echo(p->family, p->icmptype)) {
		p->icmpid = get16(b + 4);
		p->icmpseq = get16(b + 6);
	} else if (icmp_is_error(p->family, p->icmptype))
		decode_quote(&p->quote, b + 8, len - 8);
	return 0;
}

int
packet_decode_ip(struct pkt *p, const uint8_t *buf, size_t len)
{
	const uint8_t	*t;
	size_t		 end, tlen;
	int		 off;

	memset(p, 0, sizeof(*p));
	if ((off = decode_network(p, buf, len, &end)) == -1)
		return -1;
	t = buf + off;
	tlen = end - (size_t)off;
	if (p->fragment)
		goto fragment;
	switch (p->proto) {
	case IPPROTO_TCP:
		if (decode_tcp(p, t, tlen) == 0)
			return 0;
		break;
	case IPPROTO_UDP:
		if (decode_udp(p, t, tlen) == 0)
			return 0;
		break;
	case IPPROTO_ICMP:
		if (p->family != AF_INET)
			return -1;
		return decode_icmp(p, t, tlen);
	case IPPROTO_ICMPV6:
		if (p->family != AF_INET6)
			return -1;
		return decode_icmp(p, t, tlen);
	default:
		p->payload = t;
		p->paylen = tlen;
		return 0;
	}
	/*
	 * A first fragment too short for its transport header (nmap -f):
	 * the rest of the header comes in the next fragments.
	 */
	if (!p->morefrags)
		return -1;
	p->fragment = 1;
fragment:
	p->payload = t;
	p->paylen = tlen;
	return 0;
}

/* The offset of the IP packet in an Ethernet frame, past VLAN tags. */
static int
link_ether(const uint8_t *buf, size_t len)
{
	size_t		off = 12;
	uint16_t	type;

	for (;;) {
		if (off + 2 > len)
			return -1;
		type = get16(buf + off);
		if (type != ETHERTYPE_VLAN && type != ETHERTYPE_QINQ)
			break;
		off += 4;
	}
	if (type != ETHERTYPE_IP4 && type != ETHERTYPE_IP6)
		return -1;
	return (int)off + 2;
}

static int
link_offset(int dlt, const uint8_t *buf, size_t len)
{
	uint32_t	fam;

	switch (dlt) {
	case PKT_DLT_EN10MB:
		return link_ether(buf, len);
	case PKT_DLT_LINUX_SLL:
		if (len < 16)
			return -1;
		fam = get16(buf + 14);
		return fam == ETHERTYPE_IP4 || fam == ETHERTYPE_IP6 ? 16 : -1;
	case PKT_DLT_LINUX_SLL2:
		if (len < 20)
			return -1;
		fam = get16(buf);
		return fam == ETHERTYPE_IP4 || fam == ETHERTYPE_IP6 ? 20 : -1;
	case PKT_DLT_NULL:
	case PKT_DLT_LOOP:
		/*
		 * The family is a host-order word on one and a network-order
		 * one on the other, and its value differs between systems:
		 * the IP version nibble that follows decides instead.
		 */
		return len < 4 ? -1 : 4;
	case PKT_DLT_RAW:
	case 14:		/* OpenBSD's DLT_RAW */
	case PKT_DLT_IPV4:
	case PKT_DLT_IPV6:
		return 0;
	default:
		return -1;
	}
}

/*
 * The Ethernet source of a frame: in the header itself, or in a cooked
 * header's link-layer address when its hardware type is Ethernet.
 */
static void
link_source(struct pkt *p, int dlt, const uint8_t *buf, size_t len)
{
	const uint8_t	*a = NULL;

	if (dlt == PKT_DLT_EN10MB && len >= 12)
		a = buf + 6;
	else if (dlt == PKT_DLT_LINUX_SLL && len >= 16 &&
	    get16(buf + 2) == ARPHRD_ETHER_TYPE && get16(buf + 4) == 6)
		a = buf + 6;
	else if (dlt == PKT_DLT_LINUX_SLL2 && len >= 20 &&
	    get16(buf + 8) == ARPHRD_ETHER_TYPE && buf[11] == 6)
		a = buf + 12;
	if (a == NULL)
		return;
	memcpy(p->lladdr, a, 6);
	p->haslladdr = 1;
}

int
packet_decode_link(struct pkt *p, int dlt, const uint8_t *buf, size_t len)
{
	int	off;

	memset(p, 0, sizeof(*p));
	if ((off = link_offset(dlt, buf, len)) == -1)
		return -1;
	if (packet_decode_ip(p, buf + off, len - (size_t)off) == -1)
		return -1;
	link_source(p, dlt, buf, len);
	return 0;
}

char *
packet_tcpflags_str(uint8_t flags, char *buf, size_t len)
{
	static const char *const names[] = {
		"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"
	};
	size_t	i;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < nitems(names); i++) {
		if ((flags & (1u << i)) == 0)
			continue;
		if (buf[0] != '\0')
			(void)strlcat(buf, ",", len);
		(void)strlcat(buf, names[i], len);
	}
	if (buf[0] == '\0')
		(void)strlcpy(buf, "none", len);
	return buf;
}

uint32_t
packet_sum(const void *buf, size_t len, uint32_t sum)
{
	const uint8_t	*b = buf;
	size_t		 i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(b + i);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	return sum;
}

uint16_t
packet_sum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

uint16_t
packet_l4_cksum(const struct addr *src, const struct addr *dst,
    uint8_t proto, const void *seg, size_t len)
{
	size_t		alen = src->family == AF_INET ? 4 : 16;
	uint32_t	sum;

	sum = packet_sum(src->bytes, alen, 0);
	sum = packet_sum(dst->bytes, alen, sum);
	sum += proto;
	sum += (uint32_t)len;
	return packet_sum_fold(packet_sum(seg, len, sum));
}
