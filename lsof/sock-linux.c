/*
 * sock-linux.c: read the kernel's socket tables once per listing and
 * index them by inode, so each socket fd costs a hash look-up instead of
 * a file read.
 *
 * The tables are read lazily: a listing that meets no socket never opens
 * them.  TCP and UDP come from sock_diag netlink dumps that leave out, in
 * the kernel, the TIME_WAIT and half-open entries no descriptor can own
 * (a busy host has tens of thousands, and /proc/net/tcp formats them
 * all); the other tables, and TCP and UDP when sock_diag is missing or
 * the exact /proc/net queue sizes are wanted, come from /proc/net text.
 * Lines that do not parse are skipped, never fatal: the kernel adds
 * columns over time and a table may be cut by a concurrent change.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xmalloc.h"
#include "procnet.h"
#include "sock.h"

struct socktab {
	char		*procnet;	/* "/proc/net" or a test directory */
	int		 textonly;	/* never use sock_diag */
	int		 noinet;	/* -X: of Internet tables, raw only */
	int		 endpoints;	/* -E's peers are known */
	int		 loaded;	/* 1: UNIX and co., 2: all tables */
	struct sockent	*ents;
	size_t		 nents, capents;
	size_t		*hash;		/* index + 1, 0 = empty */
	size_t		 hashsize;
};

static const char *const table_files[ST_NTABLES] = {
	"tcp", "tcp6", "udp", "udp6", "raw", "raw6", "udplite", "udplite6",
	"unix", "netlink", "packet"
};

/* The Flags bit of /proc/net/unix for a listening socket (__SO_ACCEPTCON). */
#define UNIX_LISTENING	0x10000

/*
 * procnet names a directory of tables to read instead of /proc/net (and
 * then only text is read).  ST_TEXTONLY asks for /proc/net's text even
 * so, for the queue sizes of listening sockets, which sock_diag reports
 * differently; ST_NOINET leaves out the tables lsof 4.95's -X skips (all
 * but the IPv4 raw one).
 */
struct socktab *
socktab_new(const char *procnet, int flags)
{
	struct socktab	*st;

	st = xcalloc(1, sizeof(*st));
	st->procnet = xstrdup(procnet != NULL ? procnet : "/proc/net");
	st->textonly = (flags & ST_TEXTONLY) || procnet != NULL;
	st->noinet = (flags & ST_NOINET) != 0;
	return st;
}

void
socktab_free(struct socktab *st)
{
	size_t	i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nents; i++)
		free(st->ents[i].path);
	free(st->ents);
	free(st->hash);
	free(st->procnet);
	free(st);
}

static struct sockent *
ent_new(struct socktab *st)
{
	struct sockent	*e;

	if (st->nents == st->capents) {
		st->capents = st->capents ? st->capents * 2 : 256;
		st->ents = xreallocarray(st->ents, st->capents,
		    sizeof(*st->ents));
	}
	e = &st->ents[st->nents];
	memset(e, 0, sizeof(*e));
	return e;
}

/*
 * Keep a parsed entry.  Entries without an inode (TIME_WAIT, half-open
 * connections) can belong to no descriptor and are dropped: they would
 * all collide in the hash.
 */
static void
ent_add(struct socktab *st, const struct sockent *e)
{
	struct sockent	*n;

	if (e->inode == 0) {
		free(e->path);
		return;
	}
	n = ent_new(st);
	*n = *e;
	st->nents++;
}

/* Parse a field of hex digits; return the end or NULL. */
static const char *
hex_field(const char *p, const char *end, unsigned long long *v, int max)
{
	unsigned long long	r = 0;
	int			n = 0, d;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	for (; p < end && n < max; p++, n++) {
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			break;
		r = (r << 4) | (unsigned long long)d;
	}
	if (n == 0)
		return NULL;
	*v = r;
	return p;
}

static const char *
dec_field(const char *p, const char *end, unsigned long long *v)
{
	unsigned long long	r = 0;
	int			n = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	for (; p < end && *p >= '0' && *p <= '9' && n < 20; p++, n++)
		r = r * 10 + (unsigned long long)(*p - '0');
	if (n == 0)
		return NULL;
	*v = r;
	return p;
}

static const char *
skip_field(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	return p;
}

/*
 * An address as the kernel prints it: each 32-bit word in host order.
 * IPv4 addresses are stored v4-mapped.
 */
static const char *
addr_field(const char *p, const char *end, int v6, struct in6_addr *a,
    int *port)
{
	unsigned long long	w, pt;
	uint32_t		u;
	int			i;

	memset(a, 0, sizeof(*a));
	while (p < end && *p == ' ')
		p++;
	if (!v6) {
		if ((p = hex_field(p, end, &w, 8)) == NULL)
			return NULL;
		u = (uint32_t)w;
		a->s6_addr[10] = a->s6_addr[11] = 0xff;
		memcpy(&a->s6_addr[12], &u, 4);
	} else {
		for (i = 0; i < 4; i++) {
			if ((p = hex_field(p, end, &w, 8)) == NULL)
				return NULL;
			u = (uint32_t)w;
			memcpy(&a->s6_addr[i * 4], &u, 4);
		}
	}
	if (p >= end || *p != ':')
		return NULL;
	if ((p = hex_field(p + 1, end, &pt, 4)) == NULL)
		return NULL;
	*port = (int)pt;
	return p;
}

/*
 * tcp, tcp6, udp, udp6, raw, raw6, udplite, udplite6:
 * "sl: local rem st tx:rx tr tm retr uid to inode"
 */
static void
parse_inet_line(struct socktab *st, const char *p, const char *end, int table)
{
	struct sockent		 e;
	unsigned long long	 v, tx, rx;
	const char		*lstart, *lend, *rstart, *rend;
	int			 v6 = (table == ST_TCP6 || table == ST_UDP6 ||
				    table == ST_RAW6 || table == ST_UDPLITE6);
	int			 i;

	memset(&e, 0, sizeof(e));
	if ((p = memchr(p, ':', (size_t)(end - p))) == NULL)
		return;
	p++;
	while (p < end && *p == ' ')
		p++;
	lstart = p;
	if ((p = addr_field(p, end, v6, &e.laddr, &e.lport)) == NULL)
		return;
	lend = p;
	while (p < end && *p == ' ')
		p++;
	rstart = p;
	if ((p = addr_field(p, end, v6, &e.faddr, &e.fport)) == NULL)
		return;
	rend = p;
	if ((p = hex_field(p, end, &v, 2)) == NULL)
		return;
	e.state = (int)v;
	if ((p = hex_field(p, end, &tx, 16)) == NULL || p >= end || *p != ':' ||
	    (p = hex_field(p + 1, end, &rx, 16)) == NULL)
		return;
	e.sq = (unsigned long)tx;
	e.rq = (unsigned long)rx;
	for (i = 0; i < 4; i++)		/* tr:tm->when retrnsmt uid timeout */
		p = skip_field(p, end);
	if ((p = dec_field(p, end, &e.inode)) == NULL)
		return;
	e.v6 = v6;
	switch (table) {
	case ST_TCP: case ST_TCP6:
		e.kind = SK_TCP;
		break;
	case ST_UDP: case ST_UDP6:
		e.kind = SK_UDP;
		break;
	case ST_UDPLITE: case ST_UDPLITE6:
		e.kind = SK_UDPLITE;
		break;
	default:
		e.kind = SK_RAW;
		/* lsof shows raw sockets' addresses as the kernel prints them. */
		e.path = xmalloc((size_t)(lend - lstart + rend - rstart) + 3);
		snprintf(e.path, (size_t)(lend - lstart + rend - rstart) + 3,
		    "%.*s->%.*s", (int)(lend - lstart), lstart,
		    (int)(rend - rstart), rstart);
		break;
	}
	ent_add(st, &e);
}

/* unix: "Num RefCount Protocol Flags Type St Inode Path" */
static void
parse_unix_line(struct socktab *st, const char *p, const char *end)
{
	struct sockent		 e;
	unsigned long long	 v;

	memset(&e, 0, sizeof(e));
	e.kind = SK_UNIX;
	if ((p = hex_field(p, end, &e.kaddr, 16)) == NULL || p >= end ||
	    *p != ':')
		return;
	p++;
	if ((p = hex_field(p, end, &v, 8)) == NULL ||	/* RefCount */
	    (p = hex_field(p, end, &v, 8)) == NULL ||	/* Protocol */
	    (p = hex_field(p, end, &v, 8)) == NULL)
		return;
	e.flags = (unsigned int)v;
	if ((p = hex_field(p, end, &v, 4)) == NULL)
		return;
	e.type = (int)v;
	if ((p = hex_field(p, end, &v, 2)) == NULL)
		return;
	e.state = (int)v;
	if ((p = dec_field(p, end, &e.inode)) == NULL)
		return;
	if (p < end && *p == ' ' && p + 1 < end)
		e.path = xstrndup(p + 1, (size_t)(end - p - 1));
	ent_add(st, &e);
}

/* netlink: "sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode" */
static void
parse_netlink_line(struct socktab *st, const char *p, const char *end)
{
	struct sockent		 e;
	unsigned long long	 v;
	int			 i;

	memset(&e, 0, sizeof(e));
	e.kind = SK_NETLINK;
	if ((p = hex_field(p, end, &v, 16)) == NULL ||
	    (p = dec_field(p, end, &v)) == NULL)
		return;
	e.proto = (int)v;
	for (i = 0; i < 7; i++)
		p = skip_field(p, end);
	if ((p = dec_field(p, end, &e.inode)) == NULL)
		return;
	ent_add(st, &e);
}

/* packet: "sk RefCnt Type Proto Iface R Rmem User Inode" */
static void
parse_packet_line(struct socktab *st, const char *p, const char *end)
{
	struct sockent		 e;
	unsigned long long	 v;
	int			 i;

	memset(&e, 0, sizeof(e));
	e.kind = SK_PACKET;
	if ((p = hex_field(p, end, &v, 16)) == NULL ||
	    (p = dec_field(p, end, &v)) == NULL ||
	    (p = dec_field(p, end, &v)) == NULL)
		return;
	e.type = (int)v;
	if ((p = hex_field(p, end, &v, 4)) == NULL)
		return;
	e.proto = (int)v;
	for (i = 0; i < 4; i++)
		p = skip_field(p, end);
	if ((p = dec_field(p, end, &e.inode)) == NULL)
		return;
	ent_add(st, &e);
}

/*
 * Parse one table's text.  The first line is a header.  Exposed so the
 * fuzz target can feed arbitrary bytes to every parser.
 */
void
socktab_parse(struct socktab *st, const char *buf, size_t len, int table)
{
	const char	*p = buf, *end = buf + len, *nl;

	if ((nl = memchr(p, '\n', len)) == NULL)
		return;
	for (p = nl + 1; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		switch (table) {
		case ST_UNIX:
			parse_unix_line(st, p, nl);
			break;
		case ST_NETLINK:
			parse_netlink_line(st, p, nl);
			break;
		case ST_PACKET:
			parse_packet_line(st, p, nl);
			break;
		default:
			parse_inet_line(st, p, nl, table);
			break;
		}
		if (nl == end)
			break;
	}
}

static char *
file_slurp(const char *path, size_t *lenp)
{
	char	*buf;
	size_t	 cap = 65536, len = 0;
	ssize_t	 n;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	buf = xmalloc(cap);
	for (;;) {
		if (len == cap) {
			cap *= 2;
			buf = xreallocarray(buf, cap, 1);
		}
		n = read(fd, buf + len, cap - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	*lenp = len;
	return buf;
}

static void
hash_build(struct socktab *st)
{
	size_t	i, h, mask;

	st->hashsize = 64;
	while (st->hashsize < st->nents * 2)
		st->hashsize *= 2;
	st->hash = xcalloc(st->hashsize, sizeof(*st->hash));
	mask = st->hashsize - 1;
	for (i = 0; i < st->nents; i++) {
		h = (size_t)(st->ents[i].inode * 0x9E3779B97F4A7C15ULL) & mask;
		while (st->hash[h] != 0)
			h = (h + 1) & mask;
		st->hash[h] = i + 1;
	}
}

static void
diag_add(const struct procnet_sock *ps, void *arg)
{
	struct sockent	e;

	memset(&e, 0, sizeof(e));
	e.inode = ps->inode;
	e.kind = ps->proto == IPPROTO_TCP ? SK_TCP : SK_UDP;
	e.v6 = ps->family == AF_INET6;
	e.laddr = ps->laddr;
	e.faddr = ps->faddr;
	e.lport = ps->lport;
	e.fport = ps->fport;
	e.state = ps->state;
	e.rq = ps->rqueue;
	e.sq = ps->wqueue;
	ent_add(arg, &e);
}

/* TCP or UDP of one family through sock_diag; -1 to fall back to text. */
static int
diag_load(struct socktab *st, int table)
{
	size_t	mark = st->nents, i;
	int	family, proto;

	family = table == ST_TCP || table == ST_UDP ? AF_INET : AF_INET6;
	proto = table == ST_TCP || table == ST_TCP6 ? IPPROTO_TCP :
	    IPPROTO_UDP;
	if (procnet_dump_inet(family, proto, PROCNET_STATES_OWNED, diag_add,
	    st) == 0)
		return 0;
	/* A dump cut short: forget its part, the text will say it all. */
	for (i = mark; i < st->nents; i++)
		free(st->ents[i].path);
	st->nents = mark;
	return -1;
}

/*
 * Read the tables of one group: the small UNIX, netlink and packet ones
 * first, the Internet ones (whose dumps walk the kernel's whole hash of
 * connections) only when a socket was not found among the first.
 */
static void
socktab_load_group(struct socktab *st, int inet)
{
	char	 path[4096];
	char	*buf;
	size_t	 len;
	int	 t, is_inet;

	for (t = 0; t < ST_NTABLES; t++) {
		is_inet = ST_IS_INET(t);
		if (is_inet != inet)
			continue;
		if (st->noinet && is_inet && t != ST_RAW)
			continue;
		if (!st->textonly && t <= ST_UDP6 && diag_load(st, t) == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", st->procnet,
		    table_files[t]);
		if ((buf = file_slurp(path, &len)) == NULL)
			continue;
		socktab_parse(st, buf, len, t);
		free(buf);
	}
	free(st->hash);
	st->hash = NULL;
	hash_build(st);
}

static void
socktab_load(struct socktab *st)
{
	if (st->loaded < 1) {
		st->loaded = 1;
		socktab_load_group(st, 0);
	}
}

static void
socktab_load_all(struct socktab *st)
{
	socktab_load(st);
	if (st->loaded < 2) {
		st->loaded = 2;
		socktab_load_group(st, 1);
	}
}

static const struct sockent *
socktab_lookup(const struct socktab *st, unsigned long long inode)
{
	size_t	h, mask, i;

	mask = st->hashsize - 1;
	h = (size_t)(inode * 0x9E3779B97F4A7C15ULL) & mask;
	while ((i = st->hash[h]) != 0) {
		if (st->ents[i - 1].inode == inode)
			return &st->ents[i - 1];
		h = (h + 1) & mask;
	}
	return NULL;
}

const struct sockent *
socktab_find(struct socktab *st, unsigned long long inode)
{
	const struct sockent	*e;

	socktab_load(st);
	if ((e = socktab_lookup(st, inode)) == NULL && st->loaded < 2) {
		socktab_load_all(st);
		e = socktab_lookup(st, inode);
	}
	return e;
}

static struct sockent *
ent_find(struct socktab *st, unsigned long long inode)
{
	return (struct sockent *)(uintptr_t)socktab_find(st, inode);
}

/*
 * A UNIX socket's peer and pending connections, as 4.95 takes them from
 * unix_diag: only between sockets of the table, the first peer seen
 * wins, and of a listener's queue the first connection in the table.
 */
static void
unix_peers_add(const struct procnet_sock *ps, void *arg)
{
	struct socktab	*st = arg;
	struct sockent	*e, *p;
	uint32_t	 ic;
	size_t		 i;

	if ((e = ent_find(st, ps->inode)) == NULL || e->kind != SK_UNIX)
		return;
	if (ps->peer != 0 && (p = ent_find(st, ps->peer)) != NULL &&
	    p->kind == SK_UNIX) {
		if (e->peer == 0)
			e->peer = p->inode;
		if (p->peer == 0)
			p->peer = e->inode;
	}
	for (i = 0; i < ps->nicons && e->icon == 0; i++) {
		memcpy(&ic, (const char *)ps->icons + i * sizeof(ic),
		    sizeof(ic));
		if (ic != 0 && (p = ent_find(st, ic)) != NULL &&
		    p->kind == SK_UNIX)
			e->icon = ic;
	}
}

static int
inet_reversed(const struct sockent *a, const struct sockent *b)
{
	return a->kind == b->kind && a->v6 == b->v6 &&
	    a->lport == b->fport && a->fport == b->lport &&
	    memcmp(&a->laddr, &b->faddr, sizeof(a->laddr)) == 0 &&
	    memcmp(&a->faddr, &b->laddr, sizeof(a->faddr)) == 0;
}

static size_t
inet_hash(const struct sockent *e, size_t mask)
{
	unsigned long long	h = 0;
	size_t			i;

	/* Symmetric in the two ends, so that peers meet in one bucket. */
	for (i = 0; i < 16; i++)
		h += (unsigned long long)(e->laddr.s6_addr[i] +
		    e->faddr.s6_addr[i]) * (i + 1);
	h += (unsigned long long)(e->lport + e->fport) * 0x9E37;
	h += (unsigned long long)e->kind * 7 + (unsigned long long)e->v6;
	return (size_t)(h * 0x9E3779B97F4A7C15ULL >> 20) & mask;
}

/*
 * Pair the established TCP and connected UDP sockets whose ends mirror
 * each other (a socket connected to itself is its own peer), as 4.95's
 * get_netpeeri() does for -E.
 */
static void
inet_pair(struct socktab *st)
{
	size_t	*head, *next, hsize = 64, i, j, h;

	while (hsize < st->nents * 2)
		hsize *= 2;
	head = xcalloc(hsize, sizeof(*head));
	next = xcalloc(st->nents + 1, sizeof(*next));
	for (i = 0; i < st->nents; i++) {
		if ((st->ents[i].kind != SK_TCP && st->ents[i].kind != SK_UDP &&
		    st->ents[i].kind != SK_UDPLITE) || st->ents[i].state != 1)
			continue;
		h = inet_hash(&st->ents[i], hsize - 1);
		next[i + 1] = head[h];
		head[h] = i + 1;
	}
	for (h = 0; h < hsize; h++)
		for (i = head[h]; i != 0; i = next[i]) {
			if (st->ents[i - 1].peer != 0)
				continue;
			for (j = head[h]; j != 0; j = next[j]) {
				if (st->ents[j - 1].peer != 0 ||
				    !inet_reversed(&st->ents[i - 1],
				    &st->ents[j - 1]))
					continue;
				st->ents[i - 1].peer = st->ents[j - 1].inode;
				st->ents[j - 1].peer = st->ents[i - 1].inode;
				break;
			}
		}
	free(head);
	free(next);
}

/* Load what -E needs: UNIX peers from unix_diag, local inet pairs. */
void
socktab_endpoints(struct socktab *st)
{
	if (st->endpoints)
		return;
	st->endpoints = 1;
	socktab_load_all(st);
	(void)procnet_dump_unix(unix_peers_add, st);
	inet_pair(st);
}

/* Netlink protocol names as lsof prints them. */
const char *
sock_netlink_name(int proto, char *buf, size_t size)
{
	static const char *const names[] = {
		"ROUTE", "UNUSED", "USERSOCK", "FIREWALL", "INET_DIAG",
		"NFLOG", "XFRM", "SELINUX", "ISCSI", "AUDIT", "FIB_LOOKUP",
		"CONNECTOR", "NETFILTER", "IP6_FW", "DNRTMSG",
		"KOBJECT_UEVENT", "GENERIC", NULL, "SCSITRANSPORT",
		"ECRYPTFS", "RDMA", "CRYPTO"
	};

	if (proto >= 0 && (size_t)proto < sizeof(names) / sizeof(names[0]) &&
	    names[proto] != NULL)
		return names[proto];
	snprintf(buf, size, "%d", proto);
	return buf;
}

/*
 * Packet socket protocols (ETH_P_*) as lsof 4.95 names them (at most
 * seven characters); others in decimal.
 */
void
sock_packet_proto(int proto, char *buf, size_t size)
{
	static const struct {
		int		 num;
		const char	*name;
	} names[] = {
		{ 0x0001, "802.3" }, { 0x0002, "AX25" }, { 0x0003, "ALL" },
		{ 0x0004, "802.2" }, { 0x0005, "SNAP" }, { 0x0006, "DDCMP" },
		{ 0x0007, "WAN_PPP" }, { 0x0008, "PPP MP" },
		{ 0x0009, "LCLTALK" }, { 0x0010, "PPPTALK" },
		{ 0x0011, "802.2" }, { 0x0015, "MOBITEX" },
		{ 0x0016, "CONTROL" }, { 0x0017, "IRDA" }, { 0x0018, "ECONET" },
		{ 0x0019, "HDLC" }, { 0x001a, "ARCNET" }, { 0x0060, "LOOP" },
		{ 0x0200, "PUP" }, { 0x0201, "PUPAT" }, { 0x0800, "IP" },
		{ 0x0805, "X25" }, { 0x0806, "ARP" }, { 0x08ff, "BPQ" },
		{ 0x0a00, "I3EPUP" }, { 0x0a01, "I3EPUPA" }, { 0x6000, "DEC" },
		{ 0x6001, "DNA_DL" }, { 0x6002, "DNA_RC" },
		{ 0x6003, "DNA_RT" },
		{ 0x6004, "LAT" }, { 0x6005, "DIAG" }, { 0x6006, "CUST" },
		{ 0x6007, "SCA" }, { 0x8035, "RARP" }, { 0x809b, "ATALK" },
		{ 0x80f3, "AARP" }, { 0x8100, "8021Q" }, { 0x8137, "IPX" },
		{ 0x86dd, "IPV6" }, { 0x8809, "SLOW" }, { 0x883e, "WCCP" },
		{ 0x8847, "MPLS_UC" }, { 0x8848, "MPLS_MC" },
		{ 0x884c, "ATMMPOA" }, { 0x8863, "PPP_DIS" },
		{ 0x8864, "PPP_SES" }, { 0x8884, "ATMFATE" }, { 0x88a2, "AOE" },
		{ 0x88ca, "TIPC" }
	};
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].num == proto) {
			snprintf(buf, size, "%s", names[i].name);
			return;
		}
	snprintf(buf, size, "%d", proto);
}

/* A UNIX socket's type (SOCK_STREAM ...) as 4.95 names it in NAME. */
const char *
sock_unix_type(int type)
{
	static const char *const names[] = { "?", "STREAM", "DGRAM", "RAW",
	    "RDM", "SEQPACKET" };

	return type >= 1 && type <= 5 ? names[type] : "?";
}

/* A UNIX socket's state (SS_*, or listening) for "(LISTEN)" and TST=. */
const char *
sock_unix_state(const struct sockent *se)
{
	static const char *const names[] = { "UNKNOWN", "UNCONNECTED",
	    "CONNECTING", "CONNECTED", "DISCONNECTING" };

	if (se->flags & UNIX_LISTENING)
		return "LISTEN";
	return se->state >= 0 && se->state <= 4 ? names[se->state] :
	    "UNKNOWN";
}

/* A packet socket's type as its NAME says it. */
const char *
sock_packet_type(int type)
{
	switch (type) {
	case SOCK_RAW:		return "SOCK_RAW";
	case SOCK_DGRAM:	return "SOCK_DGRAM";
	default:		return "SOCK_PACKET";
	}
}
