/*
 * packet.h: decode captured IPv4 and IPv6 packets, and Internet checksums.
 *
 * sentry classifies the probes it captures and pscan matches the replies
 * to its probes; both see the same headers, so both read them here.  The
 * decoder never trusts a length field: every header is checked against the
 * bytes actually captured, and a packet too short for what it claims is
 * refused rather than half read.
 */
#ifndef AK_PACKET_H
#define AK_PACKET_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/* TCP flag bits, as in the header's thirteenth byte. */
#define PKT_TH_FIN	0x01
#define PKT_TH_SYN	0x02
#define PKT_TH_RST	0x04
#define PKT_TH_PSH	0x08
#define PKT_TH_ACK	0x10
#define PKT_TH_URG	0x20
#define PKT_TH_ECE	0x40
#define PKT_TH_CWR	0x80

/* The header an ICMP error quotes: enough to find the probe it answers. */
struct pkt_quote {
	int		valid;		/* an IP header was quoted */
	struct addr	src, dst;
	uint8_t		proto;
	uint16_t	sport, dport;	/* when the quote reaches them */
	uint32_t	seq;		/* TCP, when quoted */
	uint16_t	ipid;		/* IPv4 */
};

struct pkt {
	int		family;		/* AF_INET or AF_INET6 */
	struct addr	src, dst;
	uint8_t		ttl;		/* or the IPv6 hop limit */
	uint8_t		tos;		/* or the IPv6 traffic class */
	uint16_t	ipid;		/* IPv4 */
	int		df;		/* IPv4 don't-fragment bit */
	int		ipopts;		/* IPv4 options, IPv6 hop-by-hop or
					   destination options present */
	int		fragment;	/* a fragment without (all of) its
					   transport header: no ports */
	int		morefrags;	/* more fragments follow */
	uint16_t	fragoff;	/* where this fragment starts, bytes */
	uint32_t	fragid;		/* the IPv4 or IPv6 identification */
	uint8_t		proto;		/* IPPROTO_TCP, _UDP, _ICMP, _ICMPV6 */
	size_t		iplen;		/* the packet as the header says */

	/* TCP and UDP */
	uint16_t	sport, dport;
	/* TCP */
	uint8_t		flags;		/* PKT_TH_* */
	uint32_t	seq, ack;
	uint16_t	win, urp;
	const uint8_t	*tcpopt;	/* options, inside the caller's buffer */
	size_t		 tcpoptlen;
	/* ICMP and ICMPv6 */
	uint8_t		icmptype, icmpcode;
	uint16_t	icmpid, icmpseq;	/* echo, timestamp, mask
						   requests and replies */
	struct pkt_quote quote;			/* errors */

	const uint8_t	*payload;	/* after the transport header */
	size_t		 paylen;	/* as captured */

	/* The sender's Ethernet address, when the link layer shows one. */
	uint8_t		lladdr[6];
	int		haslladdr;
};

/* Link-layer types, numbered as pcap's DLT_ values are. */
#define PKT_DLT_NULL		0	/* BSD loopback, host-order family */
#define PKT_DLT_EN10MB		1	/* Ethernet */
#define PKT_DLT_RAW		12	/* raw IP (OpenBSD numbers it 14) */
#define PKT_DLT_LOOP		108	/* OpenBSD loopback, network order */
#define PKT_DLT_LINUX_SLL	113	/* Linux "any" device */
#define PKT_DLT_IPV4		228
#define PKT_DLT_IPV6		229
#define PKT_DLT_LINUX_SLL2	276

/*
 * Both return 0 and fill *p, or -1 when the bytes are not an IPv4 or
 * IPv6 packet this decoder can read whole (truncated headers, bad
 * versions or lengths, another link-layer protocol).  Pointers in *p
 * point into buf.
 */
int	packet_decode_ip(struct pkt *p, const uint8_t *buf, size_t len);
int	packet_decode_link(struct pkt *p, int dlt, const uint8_t *buf,
	    size_t len);

/* A short name for a set of TCP flags: "SYN,ACK", or "none". */
char	*packet_tcpflags_str(uint8_t flags, char *buf, size_t len);

/*
 * The Internet checksum (RFC 1071) of buf folded into sum, and the
 * checksum of a TCP, UDP or ICMPv6 segment with its pseudo-header.  Each
 * returns the value to store in the header (already complemented, in
 * network byte order when written with memcpy).
 */
uint32_t packet_sum(const void *buf, size_t len, uint32_t sum);
uint16_t packet_sum_fold(uint32_t sum);
uint16_t packet_l4_cksum(const struct addr *src, const struct addr *dst,
	    uint8_t proto, const void *seg, size_t len);

#endif /* AK_PACKET_H */
