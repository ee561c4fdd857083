/*
 * addr.c: parse and format IPv4 and IPv6 addresses, networks and
 * nmap-style target ranges.
 *
 * The parsers are written here rather than left to inet_pton(3) so that an
 * error can say what is wrong ("octet 300 out of range") and not only that
 * something is.  They accept exactly what glibc's inet_pton accepts: four
 * decimal octets without leading zeros for IPv4 (so "010.0.0.1" cannot be
 * read as octal by one program and as decimal by another), and RFC 4291
 * text for IPv6.  IPv6 may also be written in brackets; zone indexes
 * ("fe80::1%eth0") are refused because struct addr has nowhere to keep
 * one.
 *
 * Internally every parser works on a span (pointer and length) and writes
 * only a reason; the public functions wrap it as
 * "invalid <what> '<input>': <reason>".
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "compat.h"
#include "reason.h"

/* The most of an input an error message quotes. */
/* struct addr_range_iter's state; addr_range_start() zeroes it. */
#define ITER_START	0
#define ITER_RUNNING	1
#define ITER_DONE	2

static const struct addr_family {
	int		family;
	size_t		len;
	socklen_t	salen;
	size_t		addroff;
	size_t		portoff;
	unsigned int	bits;
} addr_families[] = {
	{ AF_INET, 4, sizeof(struct sockaddr_in),
	    offsetof(struct sockaddr_in, sin_addr),
	    offsetof(struct sockaddr_in, sin_port), 32 },
	{ AF_INET6, 16, sizeof(struct sockaddr_in6),
	    offsetof(struct sockaddr_in6, sin6_addr),
	    offsetof(struct sockaddr_in6, sin6_port), 128 },
};

static const uint8_t v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

static const struct addr_family *
family_find(int family)
{
	size_t	i;

	for (i = 0; i < nitems(addr_families); i++)
		if (addr_families[i].family == family)
			return &addr_families[i];
	return NULL;
}

static int
why_char(struct reason *r, char c)
{
	return reason_set(r, "unexpected character '%c'", c);
}

static const char *
span_find(const char *s, size_t n, char c)
{
	return memchr(s, c, n);
}

/*
 * One decimal octet, 0-255, without leading zeros.  Used for addresses
 * and for the numbers in target ranges, so both follow one rule.
 */
static int
octet_value(const char *s, size_t n, int *v, struct reason *r)
{
	size_t	i;
	int	val = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return why_char(r, s[i]);
		if (val <= 255)
			val = val * 10 + (s[i] - '0');
	}
	if (n > 1 && s[0] == '0')
		return reason_set(r, "octet '%.*s' has a leading zero", (int)n, s);
	if (val > 255)
		return reason_set(r, "octet %.*s out of range (0-255)", (int)n, s);
	*v = val;
	return 0;
}

static int
parse4_span(uint8_t out[4], const char *s, size_t n, struct reason *r)
{
	const char	*end = s + n, *dot;
	int		 count = 0, v;

	if (n == 0)
		return reason_set(r, "empty");
	for (;;) {
		if ((dot = span_find(s, (size_t)(end - s), '.')) == NULL)
			dot = end;
		count++;
		if (dot == s)
			return reason_set(r, "octet %d is empty", count);
		if (octet_value(s, (size_t)(dot - s), &v, r) == -1)
			return -1;
		if (count <= 4)
			out[count - 1] = (uint8_t)v;
		if (dot == end)
			break;
		s = dot + 1;
	}
	if (count != 4)
		return reason_set(r, "expected 4 octets, got %d", count);
	return 0;
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * One group of up to four hex digits at s; returns the number of digits
 * read.  An IPv4 tail is left to the caller.
 */
static int
hex_group(const char *s, const char *end, unsigned int *v, struct reason *r)
{
	const char	*p;
	unsigned int	 val = 0;

	for (p = s; p < end && hex_value(*p) != -1; p++)
		val = (val << 4 | (unsigned int)hex_value(*p)) & 0xfffff;
	if (p - s > 4)
		return reason_set(r, "group '%.*s' has more than 4 hex digits",
		    (int)(p - s), s);
	*v = val;
	return (int)(p - s);
}

/* Put the groups in place, the ones after "::" at the end. */
static int
expand6(uint8_t out[16], const uint8_t *raw, int nbytes, int dcolon,
    struct reason *r)
{
	int	tail;

	if (dcolon < 0) {
		if (nbytes != 16)
			return reason_set(r, "expected 8 groups, got %d", nbytes / 2);
		memcpy(out, raw, 16);
		return 0;
	}
	if (nbytes > 14)
		return reason_set(r, "'::' must stand for at least one group");
	tail = nbytes - dcolon;
	memset(out, 0, 16);
	memcpy(out, raw, (size_t)dcolon);
	memcpy(out + 16 - tail, raw + dcolon, (size_t)tail);
	return 0;
}

static int
parse6_span(uint8_t out[16], const char *s, size_t n, struct reason *r)
{
	const char	*p = s, *end = s + n, *pct;
	uint8_t		 raw[16];
	unsigned int	 v = 0;
	int		 nbytes = 0, dcolon = -1, digits;

	if (n == 0)
		return reason_set(r, "empty");
	if ((pct = span_find(s, n, '%')) != NULL)
		return reason_set(r, "zone index '%.*s' not supported",
		    (int)(end - pct), pct);
	if (n >= 2 && p[0] == ':' && p[1] == ':') {
		dcolon = 0;
		p += 2;
	} else if (p[0] == ':')
		return reason_set(r, "starts with a single ':'");
	while (p < end) {
		if ((digits = hex_group(p, end, &v, r)) == -1)
			return -1;
		if (digits < (int)(end - p) && p[digits] == '.') {
			if (nbytes > 12)
				return reason_set(r, "more than 8 groups");
			if (parse4_span(raw + nbytes, p, (size_t)(end - p),
			    r) == -1)
				return -1;
			nbytes += 4;
			break;
		}
		if (digits == 0)
			return why_char(r, *p);
		if (nbytes == 16)
			return reason_set(r, "more than 8 groups");
		raw[nbytes++] = (uint8_t)(v >> 8);
		raw[nbytes++] = (uint8_t)v;
		p += digits;
		if (p == end)
			break;
		if (*p != ':')
			return why_char(r, *p);
		if (++p == end)
			return reason_set(r, "ends with a single ':'");
		if (*p == ':') {
			if (dcolon >= 0)
				return reason_set(r, "'::' appears more than once");
			dcolon = nbytes;
			p++;
		}
	}
	return expand6(out, raw, nbytes, dcolon, r);
}

/* "[v6]" or "v6". */
static int
parse6_bracket(uint8_t out[16], const char *s, size_t n, struct reason *r)
{
	if (n > 0 && s[0] == '[') {
		if (s[n - 1] != ']')
			return reason_set(r, "missing ']'");
		return parse6_span(out, s + 1, n - 2, r);
	}
	return parse6_span(out, s, n, r);
}

/* IPv6 when it has a colon or a bracket. */
static int
span_family(const char *s, size_t n)
{
	if ((n > 0 && s[0] == '[') || span_find(s, n, ':') != NULL)
		return AF_INET6;
	return AF_INET;
}

/* An address of the family given, or of the family it looks like. */
static int
parse_span(struct addr *a, int family, const char *s, size_t n,
    struct reason *r)
{
	memset(a, 0, sizeof(*a));
	a->family = family != AF_UNSPEC ? family : span_family(s, n);
	if (a->family == AF_INET6)
		return parse6_bracket(a->bytes, s, n, r);
	return parse4_span(a->bytes, s, n, r);
}

static int
parse_whole(struct addr *a, int family, const char *s, char *err,
    size_t errlen)
{
	struct reason	r;

	if (parse_span(a, family, s, strlen(s), &r) == -1)
		return reason_report(err, errlen, a->family == AF_INET6 ?
		    "IPv6 address" : "IPv4 address", s, &r);
	return 0;
}

int
addr_parse(struct addr *a, const char *s, char *err, size_t errlen)
{
	return parse_whole(a, AF_UNSPEC, s, err, errlen);
}

int
addr_parse4(struct addr *a, const char *s, char *err, size_t errlen)
{
	return parse_whole(a, AF_INET, s, err, errlen);
}

int
addr_parse6(struct addr *a, const char *s, char *err, size_t errlen)
{
	return parse_whole(a, AF_INET6, s, err, errlen);
}

/* Bytes of an address of this family: 4, 16, or 0 when unknown. */
int
addr_len(int family)
{
	const struct addr_family	*f = family_find(family);

	return f != NULL ? (int)f->len : 0;
}

/*
 * The text form (inet_ntop's, which follows RFC 5952 for IPv6).  Always
 * returns buf; a buffer shorter than ADDR_STRLEN may truncate.
 */
char *
addr_format(const struct addr *a, char *buf, size_t len)
{
	char	tmp[ADDR_STRLEN];

	if (family_find(a->family) == NULL ||
	    inet_ntop(a->family, a->bytes, tmp, sizeof(tmp)) == NULL)
		(void)strlcpy(tmp, "?", sizeof(tmp));
	if (len > 0)
		(void)strlcpy(buf, tmp, len);
	return buf;
}

/* "192.0.2.1:80" or "[2001:db8::1]:80". */
char *
addr_format_port(const struct addr *a, uint16_t port, char *buf, size_t len)
{
	char	tmp[ADDR_STRLEN];

	(void)addr_format(a, tmp, sizeof(tmp));
	if (a->family == AF_INET6)
		(void)snprintf(buf, len, "[%s]:%u", tmp, (unsigned int)port);
	else
		(void)snprintf(buf, len, "%s:%u", tmp, (unsigned int)port);
	return buf;
}

/* Order: IPv4 before IPv6, then numerically. */
int
addr_cmp(const struct addr *a, const struct addr *b)
{
	if (a->family != b->family)
		return a->family == AF_INET ? -1 :
		    b->family == AF_INET ? 1 : (a->family < b->family ? -1 : 1);
	return memcmp(a->bytes, b->bytes, (size_t)addr_len(a->family));
}

/* Returns the length to pass to bind(2) or connect(2), 0 for no family. */
socklen_t
addr_to_sockaddr(const struct addr *a, uint16_t port,
    struct sockaddr_storage *ss)
{
	const struct addr_family	*f = family_find(a->family);
	uint16_t			 nport = htons(port);

	memset(ss, 0, sizeof(*ss));
	if (f == NULL)
		return 0;
	ss->ss_family = (sa_family_t)f->family;
	memcpy((char *)ss + f->addroff, a->bytes, f->len);
	memcpy((char *)ss + f->portoff, &nport, sizeof(nport));
	return f->salen;
}

/* The port of an AF_INET or AF_INET6 address in host order; 0 otherwise. */
uint16_t
addr_sockaddr_port(const struct sockaddr_storage *ss)
{
	const struct addr_family	*f = family_find(ss->ss_family);
	uint16_t			 nport;

	if (f == NULL)
		return 0;
	memcpy(&nport, (const char *)ss + f->portoff, sizeof(nport));
	return ntohs(nport);
}

/* Sets the port of an AF_INET or AF_INET6 address; others are left alone. */
void
addr_sockaddr_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	const struct addr_family	*f = family_find(ss->ss_family);
	uint16_t			 nport = htons(port);

	if (f != NULL)
		memcpy((char *)ss + f->portoff, &nport, sizeof(nport));
}

/* Returns -1 when sa is not an AF_INET or AF_INET6 address. */
int
addr_from_sockaddr(struct addr *a, uint16_t *port, const struct sockaddr *sa,
    socklen_t salen)
{
	const struct addr_family	*f;
	uint16_t			 nport;

	memset(a, 0, sizeof(*a));
	if (salen < (socklen_t)sizeof(sa->sa_family) ||
	    (f = family_find(sa->sa_family)) == NULL || salen < f->salen)
		return -1;
	a->family = f->family;
	memcpy(a->bytes, (const char *)sa + f->addroff, f->len);
	memcpy(&nport, (const char *)sa + f->portoff, sizeof(nport));
	if (port != NULL)
		*port = ntohs(nport);
	return 0;
}

int
addr_is_v4mapped(const struct addr *a)
{
	return a->family == AF_INET6 &&
	    memcmp(a->bytes, v4mapped_prefix, sizeof(v4mapped_prefix)) == 0;
}

/* IPv4 becomes ::ffff:a.b.c.d; IPv6 is copied unchanged. */
void
addr_to_v4mapped(struct addr *dst, const struct addr *src)
{
	struct addr	tmp = *src;

	if (tmp.family == AF_INET) {
		memset(dst, 0, sizeof(*dst));
		dst->family = AF_INET6;
		memcpy(dst->bytes, v4mapped_prefix, sizeof(v4mapped_prefix));
		memcpy(dst->bytes + 12, tmp.bytes, 4);
	} else
		*dst = tmp;
}

/* ::ffff:a.b.c.d becomes a.b.c.d (returns 1); others are copied (0). */
int
addr_unmap(struct addr *dst, const struct addr *src)
{
	struct addr	tmp = *src;

	if (!addr_is_v4mapped(&tmp)) {
		*dst = tmp;
		return 0;
	}
	memset(dst, 0, sizeof(*dst));
	dst->family = AF_INET;
	memcpy(dst->bytes, tmp.bytes + 12, 4);
	return 1;
}

/* Clear the bits after len; returns 1 when any was set. */
static int
prefix_clear(uint8_t *b, size_t nbytes, unsigned int len)
{
	size_t	i;
	int	set = 0;
	uint8_t	keep;

	for (i = 0; i < nbytes; i++) {
		if (len >= 8 * (i + 1))
			continue;
		keep = len > 8 * i ? (uint8_t)(0xff << (8 - (len - 8 * i))) : 0;
		set |= (b[i] & ~keep) != 0;
		b[i] &= keep;
	}
	return set;
}

static int
prefix_equal(const uint8_t *a, const uint8_t *b, unsigned int len)
{
	unsigned int	full = len / 8, rest = len % 8;
	uint8_t		mask;

	if (memcmp(a, b, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (uint8_t)(0xff << (8 - rest));
	return (a[full] & mask) == (b[full] & mask);
}

/* A contiguous netmask as a prefix length, or -1. */
static int
mask_to_len(const uint8_t m[4])
{
	uint32_t	v;
	int		len = 0;

	v = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 |
	    (uint32_t)m[2] << 8 | m[3];
	while (v & 0x80000000U) {
		len++;
		v <<= 1;
	}
	return v == 0 ? len : -1;
}

/* The part after '/': a length (decimal) or, for IPv4, a netmask. */
static int
prefix_parse(const char *s, size_t n, const struct addr_family *f,
    unsigned int *len, struct reason *r)
{
	struct reason	inner;
	uint8_t		mask[4];
	unsigned int	v = 0;
	size_t		i;
	int		ml;

	if (n == 0)
		return reason_set(r, "missing prefix length");
	if (f->family == AF_INET && span_find(s, n, '.') != NULL) {
		if (parse4_span(mask, s, n, &inner) == -1)
			return reason_set(r, "netmask '%.*s': %s", (int)n, s,
			    inner.buf);
		if ((ml = mask_to_len(mask)) == -1)
			return reason_set(r, "netmask %.*s is not contiguous",
			    (int)n, s);
		*len = (unsigned int)ml;
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return reason_set(r, "invalid prefix length '%.*s'", (int)n,
			    s);
		if (v <= f->bits)
			v = v * 10 + (unsigned int)(s[i] - '0');
	}
	if (v > f->bits)
		return reason_set(r, "prefix length %.*s out of range (0-%u)",
		    (int)n, s, f->bits);
	*len = v;
	return 0;
}

static int
cidr_span(struct addr_cidr *c, const char *s, size_t n, int *hostbits,
    struct reason *r)
{
	const struct addr_family	*f;
	const char			*slash;
	size_t				 alen;
	int				 set;

	memset(c, 0, sizeof(*c));
	slash = span_find(s, n, '/');
	alen = slash != NULL ? (size_t)(slash - s) : n;
	if (slash != NULL && alen == 0)
		return reason_set(r, "missing address before '/'");
	if (parse_span(&c->net, AF_UNSPEC, s, alen, r) == -1)
		return -1;
	f = family_find(c->net.family);
	c->len = f->bits;
	if (slash != NULL && prefix_parse(slash + 1, n - alen - 1, f, &c->len,
	    r) == -1)
		return -1;
	set = prefix_clear(c->net.bytes, f->len, c->len);
	if (hostbits != NULL)
		*hostbits = set;
	return 0;
}

/*
 * "a.b.c.d/len", "a.b.c.d/m.m.m.m", "v6/len", "[v6]/len", or an address
 * alone (a host: full length).  The host bits are cleared; *hostbits, when
 * not NULL, says whether any were set, so a caller can warn about
 * "192.0.2.1/24".
 */
int
addr_cidr_parse(struct addr_cidr *c, const char *s, int *hostbits, char *err,
    size_t errlen)
{
	struct reason	r;

	if (cidr_span(c, s, strlen(s), hostbits, &r) == -1)
		return reason_report(err, errlen, "network", s, &r);
	return 0;
}

char *
addr_cidr_format(const struct addr_cidr *c, char *buf, size_t len)
{
	char	tmp[ADDR_STRLEN];

	(void)snprintf(buf, len, "%s/%u", addr_format(&c->net, tmp,
	    sizeof(tmp)), c->len);
	return buf;
}

/*
 * An IPv4 network also holds the IPv4-mapped form of its addresses, and
 * an IPv6 network holding ::ffff:0:0/96 holds plain IPv4 addresses: a
 * dual-stack socket reports IPv4 peers as mapped, and an access list
 * written with IPv4 networks must still match them.
 */
int
addr_in_cidr(const struct addr *a, const struct addr_cidr *c)
{
	struct addr	tmp;

	if (a->family == c->net.family)
		tmp = *a;
	else if (c->net.family == AF_INET) {
		if (!addr_unmap(&tmp, a))
			return 0;
	} else if (c->net.family == AF_INET6 && a->family == AF_INET)
		addr_to_v4mapped(&tmp, a);
	else
		return 0;
	return prefix_equal(tmp.bytes, c->net.bytes, c->len);
}

static void
set_add(uint8_t set[32], int lo, int hi)
{
	int	v;

	for (v = lo; v <= hi; v++)
		set[v / 8] |= (uint8_t)(1 << (v % 8));
}

static int
set_has(const uint8_t set[32], int v)
{
	return (set[v / 8] >> (v % 8)) & 1;
}

/* The smallest value >= from in the set, or -1. */
static int
set_next(const uint8_t set[32], int from)
{
	int	v;

	for (v = from; v < 256; v++)
		if (set_has(set, v))
			return v;
	return -1;
}

static uint64_t
set_count(const uint8_t set[32])
{
	uint64_t	n = 0;
	int		v;

	for (v = 0; v < 256; v++)
		n += (uint64_t)set_has(set, v);
	return n;
}

/* One side of an octet range; empty means the end of the octet. */
static int
range_end(const char *s, size_t n, int dflt, int *v, struct reason *r)
{
	if (n == 0) {
		*v = dflt;
		return 0;
	}
	return octet_value(s, n, v, r);
}

/* One octet of an nmap target: "*", or a list of "n", "n-m", "n-", "-m". */
static int
octet_set(uint8_t set[32], const char *s, size_t n, int idx,
    struct reason *r)
{
	const char	*end = s + n, *comma, *dash;
	int		 lo, hi;

	if (n == 0)
		return reason_set(r, "octet %d is empty", idx);
	if (n == 1 && s[0] == '*') {
		set_add(set, 0, 255);
		return 0;
	}
	for (comma = s - 1; comma != end; s = comma + 1) {
		if ((comma = span_find(s, (size_t)(end - s), ',')) == NULL)
			comma = end;
		if (comma == s)
			return reason_set(r, "empty element in octet %d ('%.*s')",
			    idx, (int)n, end - n);
		if ((dash = span_find(s, (size_t)(comma - s), '-')) == NULL) {
			if (octet_value(s, (size_t)(comma - s), &lo, r) == -1)
				return -1;
			hi = lo;
		} else if (range_end(s, (size_t)(dash - s), 0, &lo, r) == -1 ||
		    range_end(dash + 1, (size_t)(comma - dash - 1), 255, &hi,
		    r) == -1)
			return -1;
		if (lo > hi)
			return reason_set(r, "range %d-%d is backwards", lo, hi);
		set_add(set, lo, hi);
	}
	return 0;
}

static int
octets_span(struct addr_range *rg, const char *s, size_t n, struct reason *r)
{
	const char	*end = s + n, *dot;
	int		 count = 0;

	for (dot = s - 1; dot != end; s = dot + 1) {
		if ((dot = span_find(s, (size_t)(end - s), '.')) == NULL)
			dot = end;
		if (++count <= 4 && octet_set(rg->octets[count - 1], s,
		    (size_t)(dot - s), count, r) == -1)
			return -1;
	}
	if (count != 4)
		return reason_set(r, "expected 4 octets, got %d", count);
	return 0;
}

/* An IPv4 prefix is a set of consecutive values in each octet. */
static void
octets_from_cidr(struct addr_range *rg, const struct addr_cidr *c)
{
	unsigned int	i, bits;
	int		lo;

	for (i = 0; i < 4; i++) {
		bits = c->len > 8 * i ? c->len - 8 * i : 0;
		if (bits > 8)
			bits = 8;
		lo = c->net.bytes[i];
		set_add(rg->octets[i], lo, lo | (0xff >> bits));
	}
}

static int
range_span(struct addr_range *rg, const char *s, size_t n, struct reason *r)
{
	struct addr_cidr	 c;
	const char		*slash, *p;

	if (n == 0)
		return reason_set(r, "empty");
	if (span_family(s, n) == AF_INET6) {
		rg->family = AF_INET6;
		return cidr_span(&rg->cidr, s, n, NULL, r);
	}
	rg->family = AF_INET;
	if ((slash = span_find(s, n, '/')) == NULL)
		return octets_span(rg, s, n, r);
	for (p = s; p < slash; p++)
		if (*p == ',' || *p == '-' || *p == '*')
			return reason_set(r, "octet ranges cannot be combined with "
			    "a prefix length");
	if (cidr_span(&c, s, n, NULL, r) == -1)
		return -1;
	octets_from_cidr(rg, &c);
	return 0;
}

static int
range_limit(const struct addr_range *rg, uint64_t max, struct reason *r)
{
	unsigned int	hostlen;
	uint64_t	n;

	if (max == ADDR_RANGE_NOLIMIT || (n = addr_range_count(rg)) <= max)
		return 0;
	hostlen = 128 - rg->cidr.len;
	if (rg->family == AF_INET6 && hostlen >= 64)
		return reason_set(r, "2^%u addresses, more than the limit of %llu",
		    hostlen, (unsigned long long)max);
	return reason_set(r, "%llu addresses, more than the limit of %llu",
	    (unsigned long long)n, (unsigned long long)max);
}

/*
 * An nmap target: an address, a network ("192.0.2.0/30" holds its network
 * and broadcast addresses, as in nmap), or IPv4 octet lists and ranges
 * ("192.0.2.1,3,5-7", "192.0.0-2.*", "10.0.0.-5").  A range with more than
 * max addresses is refused (ADDR_RANGE_NOLIMIT for none).
 */
int
addr_range_parse(struct addr_range *rg, const char *s, uint64_t max,
    char *err, size_t errlen)
{
	struct reason	r;

	memset(rg, 0, sizeof(*rg));
	if (range_span(rg, s, strlen(s), &r) == -1 ||
	    range_limit(rg, max, &r) == -1) {
		memset(rg, 0, sizeof(*rg));
		return reason_report(err, errlen, "target", s, &r);
	}
	return 0;
}

/*
 * Whether a target is meant as an address rather than a host name: it has
 * a colon or a bracket (IPv6), or only digits and ".,-*" with at least one
 * dot.  A caller parses these with addr_range_parse() and reports its
 * error, instead of handing "300.1.1.1" to the resolver.
 */
int
addr_range_is_literal(const char *s)
{
	int	dot = 0;

	if (span_family(s, strlen(s)) == AF_INET6)
		return 1;
	for (; *s != '\0'; s++) {
		if (*s == '.')
			dot = 1;
		else if ((*s < '0' || *s > '9') && strchr(",-*/", *s) == NULL)
			return 0;
	}
	return dot;
}

/* The number of addresses, UINT64_MAX when that does not fit. */
uint64_t
addr_range_count(const struct addr_range *rg)
{
	uint64_t	n = 1;
	unsigned int	hostlen;
	int		i;

	if (rg->family == AF_INET6) {
		hostlen = 128 - rg->cidr.len;
		return hostlen >= 64 ? UINT64_MAX : (uint64_t)1 << hostlen;
	}
	if (rg->family != AF_INET)
		return 0;
	for (i = 0; i < 4; i++)
		n *= set_count(rg->octets[i]);
	return n;
}

int
addr_range_contains(const struct addr_range *rg, const struct addr *a)
{
	struct addr	tmp;
	int		i;

	if (rg->family == AF_INET6)
		return addr_in_cidr(a, &rg->cidr);
	(void)addr_unmap(&tmp, a);
	if (rg->family != AF_INET || tmp.family != AF_INET)
		return 0;
	for (i = 0; i < 4; i++)
		if (!set_has(rg->octets[i], tmp.bytes[i]))
			return 0;
	return 1;
}

void
addr_range_start(const struct addr_range *rg, struct addr_range_iter *it)
{
	memset(it, 0, sizeof(*it));
	it->range = rg;
}

static int
range_first(const struct addr_range *rg, struct addr *a)
{
	int	i, v;

	if (rg->family == AF_INET6) {
		*a = rg->cidr.net;
		return 1;
	}
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	for (i = 0; i < 4; i++) {
		if ((v = set_next(rg->octets[i], 0)) == -1)
			return 0;
		a->bytes[i] = (uint8_t)v;
	}
	return 1;
}

/* Step the last octet that can, resetting the ones after it. */
static int
range_step4(const struct addr_range *rg, struct addr *a)
{
	int	i, j, v;

	for (i = 3; i >= 0; i--) {
		if ((v = set_next(rg->octets[i], a->bytes[i] + 1)) == -1)
			continue;
		a->bytes[i] = (uint8_t)v;
		for (j = i + 1; j < 4; j++)
			a->bytes[j] = (uint8_t)set_next(rg->octets[j], 0);
		return 1;
	}
	return 0;
}

/* Add one; the range ends when the carry reaches the prefix. */
static int
range_step6(const struct addr_range *rg, struct addr *a)
{
	int	i;

	for (i = 15; i >= 0; i--)
		if (++a->bytes[i] != 0)
			break;
	if (i < 0)
		return 0;
	return prefix_equal(a->bytes, rg->cidr.net.bytes, rg->cidr.len);
}

/* The next address in ascending order: 1, or 0 at the end. */
int
addr_range_next(struct addr_range_iter *it, struct addr *a)
{
	const struct addr_range	*rg = it->range;
	int			 more;

	if (it->state == ITER_DONE)
		return 0;
	if (it->state == ITER_START)
		more = range_first(rg, &it->cur);
	else if (rg->family == AF_INET6)
		more = range_step6(rg, &it->cur);
	else
		more = range_step4(rg, &it->cur);
	if (!more) {
		it->state = ITER_DONE;
		return 0;
	}
	it->state = ITER_RUNNING;
	*a = it->cur;
	return 1;
}
