/*
 * trace.c: --packet-trace, one line per packet sent or received (and per
 * connect(2) of -sT), in nmap's layout:
 *	SENT (0.0672s) TCP 192.0.2.1:47787 > 192.0.2.2:22 S ttl=64 id=18350
 *	    iplen=44  seq=4122892168 win=1024 <mss 1460>
 * on one line, on standard output.
 */
#include "config.h"

#include <sys/types.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "packet.h"
#include "pscan.h"

/* nmap's flag letters, in nmap's order. */
static void
flags_str(uint8_t f, char *buf)
{
	static const struct {
		uint8_t	bit;
		char	c;
	} letters[] = {
		{ PKT_TH_SYN, 'S' }, { PKT_TH_FIN, 'F' }, { PKT_TH_RST, 'R' },
		{ PKT_TH_PSH, 'P' }, { PKT_TH_ACK, 'A' }, { PKT_TH_URG, 'U' },
		{ PKT_TH_ECE, 'E' }, { PKT_TH_CWR, 'C' },
	};
	size_t	i, n = 0;

	for (i = 0; i < nitems(letters); i++)
		if (f & letters[i].bit)
			buf[n++] = letters[i].c;
	buf[n] = '\0';
}

/* The options nmap names: "<mss 1460,sackOK,timestamp 1 0,nop,wscale 7>". */
static void
options_str(const uint8_t *o, size_t len, char *buf, size_t buflen)
{
	size_t	i = 0, n = 0;
	int	first = 1;

	buf[0] = '\0';
	while (i < len && n + 32 < buflen) {
		const char	*sep = first ? "<" : ",";
		uint8_t		 kind = o[i], ol;

		if (kind == 0)
			break;
		if (kind == 1) {
			n += (size_t)snprintf(buf + n, buflen - n, "%snop", sep);
			i++;
			first = 0;
			continue;
		}
		if (i + 1 >= len || (ol = o[i + 1]) < 2 || i + ol > len)
			break;
		if (kind == 2 && ol == 4)
			n += (size_t)snprintf(buf + n, buflen - n, "%smss %u",
			    sep, o[i + 2] << 8 | o[i + 3]);
		else if (kind == 3 && ol == 3)
			n += (size_t)snprintf(buf + n, buflen - n,
			    "%swscale %u", sep, o[i + 2]);
		else if (kind == 4)
			n += (size_t)snprintf(buf + n, buflen - n, "%ssackOK",
			    sep);
		else if (kind == 8 && ol == 10)
			n += (size_t)snprintf(buf + n, buflen - n,
			    "%stimestamp %u %u", sep,
			    (unsigned)(o[i + 2] << 24 | o[i + 3] << 16 |
			    o[i + 4] << 8 | o[i + 5]),
			    (unsigned)(o[i + 6] << 24 | o[i + 7] << 16 |
			    o[i + 8] << 8 | o[i + 9]));
		else
			n += (size_t)snprintf(buf + n, buflen - n, "%sopt%u",
			    sep, kind);
		i += ol;
		first = 0;
	}
	if (!first && n + 1 < buflen)
		(void)strlcat(buf, ">", buflen);
}

void
trace_pkt(const struct engine *e, const char *dir, const struct pkt *p)
{
	char	src[ADDR_PORT_STRLEN], dst[ADDR_PORT_STRLEN], f[16], opt[160];

	if (p->proto == IPPROTO_TCP) {
		flags_str(p->flags, f);
		options_str(p->tcpopt, p->tcpoptlen, opt, sizeof(opt));
		printf("%s (%.4fs) TCP %s > %s %s ttl=%u id=%u iplen=%zu  "
		    "seq=%u win=%u %s\n", dir, engine_elapsed(e),
		    addr_format_port(&p->src, p->sport, src, sizeof(src)),
		    addr_format_port(&p->dst, p->dport, dst, sizeof(dst)), f,
		    p->ttl, p->ipid, p->iplen, p->seq, p->win, opt);
	} else if (p->proto == IPPROTO_UDP) {
		printf("%s (%.4fs) UDP %s > %s ttl=%u id=%u iplen=%zu\n", dir,
		    engine_elapsed(e),
		    addr_format_port(&p->src, p->sport, src, sizeof(src)),
		    addr_format_port(&p->dst, p->dport, dst, sizeof(dst)),
		    p->ttl, p->ipid, p->iplen);
	} else if (p->proto == IPPROTO_ICMP || p->proto == IPPROTO_ICMPV6) {
		printf("%s (%.4fs) ICMP%s [%s > %s type=%u/code=%u ] IP "
		    "[ttl=%u id=%u iplen=%zu ]\n", dir, engine_elapsed(e),
		    p->proto == IPPROTO_ICMPV6 ? "v6" : "",
		    addr_format(&p->src, src, sizeof(src)),
		    addr_format(&p->dst, dst, sizeof(dst)), p->icmptype,
		    p->icmpcode, p->ttl, p->ipid, p->iplen);
	}
}

void
trace_packet(const struct engine *e, const char *dir, const uint8_t *ip,
    size_t len)
{
	struct pkt	p;

	if (packet_decode_ip(&p, ip, len) == 0)
		trace_pkt(e, dir, &p);
}

void
trace_connect(const struct engine *e, const struct host *h, uint16_t port,
    int err)
{
	char	dst[ADDR_PORT_STRLEN];

	printf("CONN (%.4fs) TCP localhost > %s => %s\n", engine_elapsed(e),
	    addr_format_port(&h->addr, port, dst, sizeof(dst)),
	    err == 0 ? "Connected" : strerror(err));
}
