/*
 * frag.c: enough of a fragmented probe to read its ports and flags.
 *
 * A scan can cut each probe into IP fragments so small that the TCP
 * flags come in the second one (nmap -f).  The kernel reassembles them
 * before any socket sees them, so portsentry 1.2's raw socket sees whole
 * probes; a packet capture sees the fragments.  This keeps the first
 * FRAG_HDR bytes of the transport header of the last FRAG_SLOTS
 * fragmented datagrams, fragment by fragment, until the ports (and for
 * TCP the flags) are there.  A fixed table: fragments from forged
 * sources only push out older entries.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdint.h>
#include <string.h>

#include "addr.h"
#include "packet.h"
#include "sentry.h"

#define FRAG_MS		2000	/* a datagram's fragments arrive within */

/* The header bytes a probe needs: ports, and TCP's flags. */
#define NEED_UDP	0x000fU
#define NEED_TCP	(0x000fU | 1U << 13)

static int
frag_same(const struct fragslot *f, const struct pkt *p)
{
	return f->used && f->id == p->fragid && f->proto == p->proto &&
	    addr_cmp(&f->src, &p->src) == 0 && addr_cmp(&f->dst, &p->dst) == 0;
}

static struct fragslot *
frag_slot(struct frags *fr, const struct pkt *p, int64_t now)
{
	struct fragslot	*f;
	size_t		 i;

	for (i = 0; i < FRAG_SLOTS; i++) {
		f = &fr->s[i];
		if (frag_same(f, p) && now - f->ms <= FRAG_MS)
			return f;
	}
	/* A new datagram takes the oldest place. */
	f = &fr->s[fr->next];
	fr->next = (fr->next + 1) % FRAG_SLOTS;
	memset(f, 0, sizeof(*f));
	f->used = 1;
	f->src = p->src;
	f->dst = p->dst;
	f->id = p->fragid;
	f->proto = p->proto;
	f->ms = now;
	return f;
}

/*
 * Take a fragment of a TCP or UDP datagram.  Returns 1 once (the first
 * time its header is complete enough) with *h filled, 0 otherwise.
 */
int
frag_add(struct frags *fr, const struct pkt *p, int64_t now,
    struct frag_header *h)
{
	struct fragslot	*f;
	uint32_t	 need = p->proto == IPPROTO_TCP ? NEED_TCP : NEED_UDP;
	size_t		 i, pos;

	if ((p->proto != IPPROTO_TCP && p->proto != IPPROTO_UDP) ||
	    p->fragoff >= FRAG_HDR)
		return 0;
	f = frag_slot(fr, p, now);
	if (f->done)
		return 0;
	for (i = 0; i < p->paylen; i++) {
		if ((pos = p->fragoff + i) >= FRAG_HDR)
			break;
		f->hdr[pos] = p->payload[i];
		f->have |= 1U << pos;
	}
	f->ipopts |= p->ipopts;
	if ((f->have & need) != need)
		return 0;
	f->done = 1;
	h->dport = (uint16_t)(f->hdr[2] << 8 | f->hdr[3]);
	h->flags = p->proto == IPPROTO_TCP ? f->hdr[13] : 0;
	h->ipopts = f->ipopts;
	return 1;
}
