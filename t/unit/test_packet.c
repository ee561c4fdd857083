/*
 * test_packet.c: the packet decoder over hand-built packets of every kind
 * sentry and pscan meet, every truncation of them, and the checksums
 * against values computed independently.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "packet.h"
#include "tap.h"

static uint8_t	buf[256];
static char	err[128];

static void
put16(uint8_t *b, unsigned v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static void
put32(uint8_t *b, uint32_t v)
{
	put16(b, v >> 16);
	put16(b + 2, v & 0xffff);
}

static void
ip4(uint8_t *b, size_t hl, size_t tot, uint8_t proto, const char *src,
    const char *dst)
{
	struct addr	a;

	memset(b, 0, hl);
	b[0] = (uint8_t)(0x40 | hl / 4);
	put16(b + 2, (unsigned)tot);
	put16(b + 4, 0x1234);
	put16(b + 6, 0x4000);		/* DF */
	b[8] = 64;
	b[9] = proto;
	(void)addr_parse(&a, src, err, sizeof(err));
	memcpy(b + 12, a.bytes, 4);
	(void)addr_parse(&a, dst, err, sizeof(err));
	memcpy(b + 16, a.bytes, 4);
}

static void
ip6(uint8_t *b, size_t plen, uint8_t nxt, const char *src, const char *dst)
{
	struct addr	a;

	memset(b, 0, 40);
	b[0] = 0x60;
	put16(b + 4, (unsigned)plen);
	b[6] = nxt;
	b[7] = 255;
	(void)addr_parse(&a, src, err, sizeof(err));
	memcpy(b + 8, a.bytes, 16);
	(void)addr_parse(&a, dst, err, sizeof(err));
	memcpy(b + 24, a.bytes, 16);
}

static size_t
tcp(uint8_t *b, unsigned sport, unsigned dport, uint32_t seq, uint8_t flags,
    int mss)
{
	size_t	hl = mss ? 24 : 20;

	memset(b, 0, hl);
	put16(b, sport);
	put16(b + 2, dport);
	put32(b + 4, seq);
	b[12] = (uint8_t)(hl / 4 << 4);
	b[13] = flags;
	put16(b + 14, 1024);
	if (mss) {
		b[20] = 2;
		b[21] = 4;
		put16(b + 22, 1460);
	}
	return hl;
}

static const char *
fmt(const struct addr *a)
{
	static char	s[ADDR_STRLEN];

	return addr_format(a, s, sizeof(s));
}

/* Every prefix too short for the headers is refused, none crashes. */
static void
truncations(const uint8_t *pkt, size_t full, size_t need, const char *what)
{
	struct pkt	p;
	size_t		n;
	int		bad = 0;

	for (n = 0; n < need; n++)
		if (packet_decode_ip(&p, pkt, n) != -1)
			bad++;
	ok(bad == 0, "%s: each of %zu short prefixes refused", what, need);
	ok(packet_decode_ip(&p, pkt, full) == 0, "%s: whole packet read",
	    what);
}

static void
test_tcp4(void)
{
	struct pkt	p;
	size_t		n;

	ip4(buf, 20, 44, IPPROTO_TCP, "192.0.2.1", "198.51.100.2");
	n = tcp(buf + 20, 40000, 80, 0x01020304, PKT_TH_SYN, 1);
	ok(packet_decode_ip(&p, buf, 20 + n) == 0, "IPv4 TCP SYN decodes");
	ok(p.family == AF_INET && p.proto == IPPROTO_TCP && p.ttl == 64 &&
	    p.df && !p.ipopts && !p.fragment && p.ipid == 0x1234,
	    "network fields");
	is_str(fmt(&p.src), "192.0.2.1", "source");
	is_str(fmt(&p.dst), "198.51.100.2", "destination");
	ok(p.sport == 40000 && p.dport == 80 && p.seq == 0x01020304 &&
	    p.flags == PKT_TH_SYN && p.win == 1024, "TCP fields");
	ok(p.tcpoptlen == 4 && p.tcpopt == buf + 40 && p.tcpopt[0] == 2,
	    "TCP options located");
	is_int(packet_l4_cksum(&p.src, &p.dst, IPPROTO_TCP, buf + 20, n),
	    htons(0x0759), "TCP checksum as computed independently");
	truncations(buf, 44, 40, "IPv4 TCP");

	/* Ethernet padding after a short packet is not payload. */
	memset(buf + 44, 0xee, 16);
	ok(packet_decode_ip(&p, buf, 60) == 0 && p.paylen == 0,
	    "trailing padding ignored");
}

static void
test_ip4_options(void)
{
	struct pkt	p;
	char		f[64];

	ip4(buf, 24, 44, IPPROTO_TCP, "203.0.113.9", "192.0.2.1");
	buf[20] = 0x94;			/* router alert */
	buf[21] = 4;
	(void)tcp(buf + 24, 1, 2, 0, PKT_TH_FIN | PKT_TH_PSH | PKT_TH_URG, 0);
	ok(packet_decode_ip(&p, buf, 44) == 0 && p.ipopts && p.sport == 1 &&
	    p.dport == 2, "IPv4 options flagged, TCP found after them");
	is_str(packet_tcpflags_str(p.flags, f, sizeof(f)), "FIN,PSH,URG",
	    "XMAS flags named");
	is_str(packet_tcpflags_str(0, f, sizeof(f)), "none", "NULL named");

	buf[0] = 0x44;			/* header length 16: impossible */
	ok(packet_decode_ip(&p, buf, 44) == -1, "IHL below 5 refused");
	buf[0] = 0x4f;			/* 60 bytes of header in 44 */
	ok(packet_decode_ip(&p, buf, 44) == -1, "IHL past the end refused");
	buf[0] = 0x56;
	ok(packet_decode_ip(&p, buf, 44) == -1, "version 5 refused");
}

static void
test_fragment(void)
{
	struct pkt	p;

	ip4(buf, 20, 28, IPPROTO_UDP, "192.0.2.1", "192.0.2.2");
	put16(buf + 6, 0x0010);		/* offset 128 bytes */
	ok(packet_decode_ip(&p, buf, 28) == 0 && p.fragment &&
	    p.sport == 0 && p.dport == 0, "a later fragment has no ports");
	ok(p.fragoff == 128 && !p.morefrags && p.fragid == 0x1234,
	    "its offset and identification");

	/* nmap -f: eight bytes of TCP header, the rest to follow. */
	ip4(buf, 20, 28, IPPROTO_TCP, "192.0.2.1", "192.0.2.2");
	put16(buf + 6, 0x2000);		/* more fragments, offset 0 */
	put16(buf + 20, 40000);
	put16(buf + 22, 143);
	ok(packet_decode_ip(&p, buf, 28) == 0 && p.fragment &&
	    p.morefrags && p.fragoff == 0 && p.paylen == 8 &&
	    p.payload == buf + 20, "a first fragment cut inside TCP");
	put16(buf + 6, 0x0000);
	ok(packet_decode_ip(&p, buf, 28) == -1,
	    "the same bytes without more fragments are refused");

	/* An IPv6 fragment header: offset 8, more to follow, id 7. */
	ip6(buf, 8 + 8, 44, "2001:db8::1", "2001:db8::2");
	memset(buf + 40, 0, 16);
	buf[40] = IPPROTO_TCP;
	put16(buf + 42, 0x0009);
	put32(buf + 44, 7);
	ok(packet_decode_ip(&p, buf, 56) == 0 && p.fragment &&
	    p.fragoff == 8 && p.morefrags && p.fragid == 7 && p.paylen == 8,
	    "an IPv6 fragment's offset, flag and identification");
}

static void
test_udp6_ext(void)
{
	struct pkt	p;
	uint8_t		*u = buf + 48;

	/* Hop-by-hop options (8 bytes), then UDP with four bytes. */
	ip6(buf, 8 + 12, 0, "2001:db8::1", "2001:db8::2");
	memset(buf + 40, 0, 8);
	buf[40] = IPPROTO_UDP;
	memset(u, 0, 12);
	put16(u, 53);
	put16(u + 2, 33333);
	put16(u + 4, 12);
	memcpy(u + 8, "abcd", 4);
	ok(packet_decode_ip(&p, buf, 60) == 0, "IPv6 UDP after hop-by-hop");
	ok(p.family == AF_INET6 && p.proto == IPPROTO_UDP && p.ipopts &&
	    p.ttl == 255 && p.sport == 53 && p.dport == 33333 &&
	    p.paylen == 4 && memcmp(p.payload, "abcd", 4) == 0,
	    "IPv6 and UDP fields, options flagged");
	is_str(fmt(&p.src), "2001:db8::1", "IPv6 source");
	is_int(packet_l4_cksum(&p.src, &p.dst, IPPROTO_UDP, u, 12),
	    htons(0x5d30), "UDP over IPv6 checksum as computed independently");
	truncations(buf, 60, 56, "IPv6 UDP");

	/* A chain of extension headers that never ends is refused. */
	ip6(buf, 72, 60, "2001:db8::1", "2001:db8::2");
	memset(buf + 40, 0, 72);
	for (size_t i = 0; i < 9; i++)
		buf[40 + i * 8] = 60;
	ok(packet_decode_ip(&p, buf, 112) == -1, "endless option chain refused");
}

static void
test_icmp4_error(void)
{
	struct pkt	p;
	uint8_t		*ic = buf + 20, *q = buf + 28;

	/* Port unreachable quoting a UDP probe 192.0.2.1:40000 -> .2:161. */
	ip4(buf, 20, 56, IPPROTO_ICMP, "192.0.2.2", "192.0.2.1");
	memset(ic, 0, 8);
	ic[0] = 3;
	ic[1] = 3;
	ip4(q, 20, 40, IPPROTO_UDP, "192.0.2.1", "192.0.2.2");
	put16(q + 20, 40000);
	put16(q + 22, 161);
	put16(q + 24, 20);
	ok(packet_decode_ip(&p, buf, 56) == 0 && p.icmptype == 3 &&
	    p.icmpcode == 3, "ICMP port unreachable decodes");
	ok(p.quote.valid && p.quote.proto == IPPROTO_UDP &&
	    p.quote.sport == 40000 && p.quote.dport == 161,
	    "the quoted probe's ports");
	is_str(fmt(&p.quote.dst), "192.0.2.2", "the quoted destination");
	/* Quotes cut short keep what they have. */
	ok(packet_decode_ip(&p, buf, 52) == 0 && p.quote.valid &&
	    p.quote.sport == 40000 && p.quote.dport == 161,
	    "a quote cut after the ports");
	ok(packet_decode_ip(&p, buf, 30) == 0 && !p.quote.valid,
	    "a quote too short for its IP header is no quote");
	truncations(buf, 56, 28, "ICMP error");

	ic[0] = 0;			/* echo reply */
	put16(ic + 4, 0xbeef);
	put16(ic + 6, 7);
	ok(packet_decode_ip(&p, buf, 56) == 0 && p.icmpid == 0xbeef &&
	    p.icmpseq == 7 && !p.quote.valid, "ICMP echo reply id and sequence");
}

static void
test_icmp6_error(void)
{
	struct pkt	p;
	uint8_t		*ic = buf + 40, *q = buf + 48;

	/* Administratively prohibited, quoting a TCP SYN. */
	ip6(buf, 8 + 40 + 20, IPPROTO_ICMPV6, "2001:db8::2", "2001:db8::1");
	memset(ic, 0, 8);
	ic[0] = 1;
	ic[1] = 1;
	ip6(q, 20, IPPROTO_TCP, "2001:db8::1", "2001:db8::2");
	(void)tcp(q + 40, 50000, 443, 0xdeadbeef, PKT_TH_SYN, 0);
	ok(packet_decode_ip(&p, buf, 108) == 0 && p.proto == IPPROTO_ICMPV6 &&
	    p.icmptype == 1 && p.icmpcode == 1, "ICMPv6 unreachable decodes");
	ok(p.quote.valid && p.quote.proto == IPPROTO_TCP &&
	    p.quote.sport == 50000 && p.quote.dport == 443 &&
	    p.quote.seq == 0xdeadbeef, "the quoted TCP probe and sequence");
	/* ICMPv6 inside IPv4 is nonsense. */
	ip4(buf, 20, 28, IPPROTO_ICMPV6, "192.0.2.1", "192.0.2.2");
	ok(packet_decode_ip(&p, buf, 28) == -1, "ICMPv6 over IPv4 refused");
}

static void
test_links(void)
{
	uint8_t		frame[128];
	struct pkt	p;
	size_t		n;

	ip4(buf, 20, 40, IPPROTO_TCP, "192.0.2.1", "192.0.2.2");
	(void)tcp(buf + 20, 1234, 22, 1, PKT_TH_SYN, 0);

	memset(frame, 0, sizeof(frame));
	put16(frame + 12, 0x8100);	/* a VLAN tag, then IPv4 */
	put16(frame + 16, 0x0800);
	memcpy(frame + 18, buf, 40);
	ok(packet_decode_link(&p, PKT_DLT_EN10MB, frame, 58) == 0 &&
	    p.dport == 22, "Ethernet with a VLAN tag");
	put16(frame + 16, 0x0806);
	ok(packet_decode_link(&p, PKT_DLT_EN10MB, frame, 58) == -1,
	    "ARP is not IP");

	memset(frame, 0, 16);
	put16(frame + 14, 0x0800);
	memcpy(frame + 16, buf, 40);
	ok(packet_decode_link(&p, PKT_DLT_LINUX_SLL, frame, 56) == 0 &&
	    p.dport == 22, "Linux cooked capture");

	memset(frame, 0, 20);
	put16(frame, 0x0800);
	memcpy(frame + 20, buf, 40);
	ok(packet_decode_link(&p, PKT_DLT_LINUX_SLL2, frame, 60) == 0 &&
	    p.dport == 22, "Linux cooked capture v2");

	memset(frame, 0, 4);
	frame[0] = 2;
	memcpy(frame + 4, buf, 40);
	ok(packet_decode_link(&p, PKT_DLT_NULL, frame, 44) == 0 &&
	    p.dport == 22, "BSD loopback");
	ok(packet_decode_link(&p, PKT_DLT_RAW, buf, 40) == 0 && p.dport == 22,
	    "raw IP");
	ok(packet_decode_link(&p, 9999, buf, 40) == -1,
	    "an unknown link type is refused");
	for (n = 0; n < 56; n++)
		if (packet_decode_link(&p, PKT_DLT_LINUX_SLL, frame, n) == 0)
			break;
	ok(n == 56, "no short cooked frame decodes");
}

static void
test_sum(void)
{
	/* RFC 1071's worked example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2. */
	static const uint8_t	ex[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5,
	    0xf6, 0xf7 };

	is_int(ntohs(packet_sum_fold(packet_sum(ex, sizeof(ex), 0))),
	    (uint16_t)~0xddf2, "RFC 1071 example");
	is_int(ntohs(packet_sum_fold(packet_sum(ex, 3, 0))),
	    (uint16_t)~(0x0001 + 0xf200), "odd length pads with zero");
}

int
main(void)
{
	test_tcp4();
	test_ip4_options();
	test_fragment();
	test_udp6_ext();
	test_icmp4_error();
	test_icmp6_error();
	test_links();
	test_sum();
	return tap_done();
}
