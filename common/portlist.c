/*
 * portlist.c: port sets (one 65536-bit set per protocol) and their
 * parsers.
 *
 * portlist_parse() reads nmap's -p syntax: "1-1024,8080,T:22,U:53", where
 * a T:, U: or S: prefix applies to the ports after it up to the next
 * prefix; "-" is 1-65535, "-100" is 1-100 and "60000-" is 60000-65535;
 * names and wildcards ("http", "ftp*") take every port with a matching
 * name or alias, and "[1-1024]" every port in the range that has a name.
 * It is stricter than nmap where nmap guesses: port 0, a trailing comma
 * and an empty "U:" are errors, not silently dropped.
 */
#include "config.h"

#include <sys/types.h>
#include <netinet/in.h>

#include <fnmatch.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "compat.h"
#include "reason.h"
#include "portlist.h"
#include "services.h"

/* The most of an input an error message quotes. */
struct span {
	const char	*s;
	size_t		 n;
};

static const struct {
	int		 ipproto;
	int		 mask;
	char		 prefix;
} protos[PORTLIST_NPROTO] = {
	{ IPPROTO_TCP,	PORTLIST_TCP,	'T' },
	{ IPPROTO_UDP,	PORTLIST_UDP,	'U' },
	{ IPPROTO_SCTP,	PORTLIST_SCTP,	'S' },
};

static int
proto_index(int ipproto)
{
	int	i;

	for (i = 0; i < PORTLIST_NPROTO; i++)
		if (protos[i].ipproto == ipproto)
			return i;
	return -1;
}

void
portlist_clear(struct portlist *pl)
{
	memset(pl, 0, sizeof(*pl));
}

/* Ports are 0-65535 here; the parsers refuse 0.  -1 for a bad argument. */
int
portlist_add_range(struct portlist *pl, int ipproto, int lo, int hi)
{
	int	p = proto_index(ipproto), port;

	if (p == -1 || lo < 0 || hi > 65535 || lo > hi)
		return -1;
	for (port = lo; port <= hi; port++)
		pl->bits[p][port / 64] |= (uint64_t)1 << (port % 64);
	return 0;
}

int
portlist_add(struct portlist *pl, int ipproto, int port)
{
	return portlist_add_range(pl, ipproto, port, port);
}

int
portlist_has(const struct portlist *pl, int ipproto, int port)
{
	int	p = proto_index(ipproto);

	if (p == -1 || port < 0 || port > 65535)
		return 0;
	return (pl->bits[p][port / 64] >> (port % 64)) & 1;
}

static unsigned int
popcount64(uint64_t v)
{
	unsigned int	n = 0;

	for (; v != 0; v &= v - 1)
		n++;
	return n;
}

unsigned int
portlist_count(const struct portlist *pl, int ipproto)
{
	unsigned int	n = 0;
	size_t		i;
	int		p = proto_index(ipproto);

	if (p == -1)
		return 0;
	for (i = 0; i < nitems(pl->bits[p]); i++)
		n += popcount64(pl->bits[p][i]);
	return n;
}

/* The smallest port >= from in the set, or -1: for (p = next(0); ...). */
int
portlist_next(const struct portlist *pl, int ipproto, int from)
{
	const uint64_t	*w;
	uint64_t	 v;
	size_t		 i;
	int		 p = proto_index(ipproto);

	if (p == -1 || from > 65535)
		return -1;
	if (from < 0)
		from = 0;
	w = pl->bits[p];
	i = (size_t)from / 64;
	/* Whole empty words are skipped; then the bits of the first. */
	for (v = w[i] >> (from % 64); v == 0; v = w[i]) {
		if (++i == nitems(pl->bits[p]))
			return -1;
		from = (int)i * 64;
	}
	for (; (v & 1) == 0; v >>= 1)
		from++;
	return from;
}

/*
 * "1-1024,8080" (the form of nmap's XML scaninfo); "" for an empty set.
 * Returns the length the whole text needs, as snprintf(3) does.
 */
size_t
portlist_format(const struct portlist *pl, int ipproto, char *buf,
    size_t len)
{
	char	piece[16];
	size_t	total = 0, n;
	int	lo, hi;

	if (len > 0)
		buf[0] = '\0';
	for (lo = portlist_next(pl, ipproto, 0); lo != -1;
	    lo = portlist_next(pl, ipproto, hi + 1)) {
		for (hi = lo; hi < 65535 && portlist_has(pl, ipproto, hi + 1);)
			hi++;
		if (lo == hi)
			(void)snprintf(piece, sizeof(piece), "%s%d",
			    total > 0 ? "," : "", lo);
		else
			(void)snprintf(piece, sizeof(piece), "%s%d-%d",
			    total > 0 ? "," : "", lo, hi);
		n = strlen(piece);
		if (total + n < len)
			memcpy(buf + total, piece, n + 1);
		else if (total + 1 < len)
			(void)strlcpy(buf + total, piece, len - total);
		total += n;
	}
	return total;
}

/*
 * The next comma-separated element of *pp with blanks around it removed
 * (nmap allows "22, 23").  Returns 1 with the element, 0 at the end, -1
 * for an empty element.
 */
static int
list_next(const char **pp, const char *start, struct span *e,
    struct reason *r)
{
	const char	*p = *pp, *end;

	if (p == NULL)
		return 0;
	if ((end = strchr(p, ',')) == NULL)
		end = p + strlen(p);
	*pp = *end == ',' ? end + 1 : NULL;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	e->s = p;
	e->n = (size_t)(end - p);
	if (e->n > 0)
		return 1;
	if (*pp == NULL && p != start)
		return reason_set(r, "trailing comma");
	return reason_set(r, "empty element");
}

/* A port number, 1-65535; leading zeros are decimal, as in nmap. */
static int
port_value(struct span num, struct span elem, int *v, struct reason *r)
{
	size_t	i;
	long	val = 0;

	if (num.n == 0)
		return reason_set(r, "invalid port '%.*s'", (int)elem.n, elem.s);
	for (i = 0; i < num.n; i++) {
		if (num.s[i] < '0' || num.s[i] > '9')
			return reason_set(r, "invalid port '%.*s'", (int)elem.n,
			    elem.s);
		if (val <= 65535)
			val = val * 10 + (num.s[i] - '0');
	}
	if (val < 1 || val > 65535)
		return reason_set(r, "port %.*s out of range (1-65535)",
		    (int)num.n, num.s);
	*v = (int)val;
	return 0;
}

/* "n", "n-m", "-m" (from 1), "n-" (to 65535) or "-" (all). */
static int
range_parse(struct span e, int *lo, int *hi, struct reason *r)
{
	const char	*dash = memchr(e.s, '-', e.n);
	struct span	 a, b;

	if (dash == NULL) {
		if (port_value(e, e, lo, r) == -1)
			return -1;
		*hi = *lo;
		return 0;
	}
	a.s = e.s;
	a.n = (size_t)(dash - e.s);
	b.s = dash + 1;
	b.n = e.n - a.n - 1;
	*lo = 1;
	*hi = 65535;
	if ((a.n > 0 && port_value(a, e, lo, r) == -1) ||
	    (b.n > 0 && port_value(b, e, hi, r) == -1))
		return -1;
	if (*lo > *hi)
		return reason_set(r, "range %d-%d is backwards", *lo, *hi);
	return 0;
}

/* "tcp or udp" for a mask. */
static const char *
mask_words(int mask, char *buf, size_t len)
{
	int	i;

	buf[0] = '\0';
	for (i = 0; i < PORTLIST_NPROTO; i++) {
		if ((mask & protos[i].mask) == 0)
			continue;
		if (buf[0] != '\0')
			(void)strlcat(buf, " or ", len);
		(void)strlcat(buf, services_proto_name(protos[i].ipproto), len);
	}
	return buf;
}

/* Every port with a name or alias matching the pattern (or name). */
static int
names_add(struct portlist *pl, struct span e, int mask,
    const struct services *svc, struct reason *r)
{
	char		 pat[256], words[32];
	const char	*name;
	size_t		 i;
	int		 p, port, found = 0;

	if (svc == NULL || e.n >= sizeof(pat))
		return reason_set(r, "invalid port '%.*s'", (int)e.n, e.s);
	memcpy(pat, e.s, e.n);
	pat[e.n] = '\0';
	for (p = 0; p < PORTLIST_NPROTO; p++) {
		if ((mask & protos[p].mask) == 0)
			continue;
		for (i = 0; services_entry(svc, protos[p].ipproto, i, &name,
		    &port); i++) {
			if (port == 0 || fnmatch(pat, name, 0) != 0)
				continue;
			(void)portlist_add(pl, protos[p].ipproto, port);
			found = 1;
		}
	}
	if (found)
		return 0;
	(void)mask_words(mask, words, sizeof(words));
	if (strpbrk(pat, "*?") != NULL)
		return reason_set(r, "no %s service matches '%s'", words, pat);
	return reason_set(r, "no %s service named '%s'", words, pat);
}

/* "[1-1024]": the ports in the range that have a name. */
static int
named_range_add(struct portlist *pl, struct span e, int mask,
    const struct services *svc, struct reason *r)
{
	struct span	inner;
	int		lo, hi, port, p;

	if (svc == NULL)
		return reason_set(r, "invalid port '%.*s'", (int)e.n, e.s);
	if (e.s[e.n - 1] != ']')
		return reason_set(r, "missing ']' in '%.*s'", (int)e.n, e.s);
	inner.s = e.s + 1;
	inner.n = e.n - 2;
	if (inner.n == 0)
		return reason_set(r, "empty range in '%.*s'", (int)e.n, e.s);
	if (range_parse(inner, &lo, &hi, r) == -1)
		return -1;
	for (p = 0; p < PORTLIST_NPROTO; p++) {
		if ((mask & protos[p].mask) == 0)
			continue;
		for (port = lo; port <= hi; port++)
			if (services_name(svc, port, protos[p].ipproto) != NULL)
				(void)portlist_add(pl, protos[p].ipproto, port);
	}
	return 0;
}

static int
ports_add(struct portlist *pl, struct span e, int mask,
    const struct services *svc, struct reason *r)
{
	int	lo, hi, p;

	if (e.s[0] == '[')
		return named_range_add(pl, e, mask, svc, r);
	if ((e.s[0] >= 'a' && e.s[0] <= 'z') ||
	    (e.s[0] >= 'A' && e.s[0] <= 'Z') || e.s[0] == '*' || e.s[0] == '?')
		return names_add(pl, e, mask, svc, r);
	if (range_parse(e, &lo, &hi, r) == -1)
		return -1;
	for (p = 0; p < PORTLIST_NPROTO; p++)
		if (mask & protos[p].mask)
			(void)portlist_add_range(pl, protos[p].ipproto, lo, hi);
	return 0;
}

/* A leading "T:", "U:" or "S:" sets *mask and is cut off the element. */
static int
prefix_take(struct span *e, int *mask, struct reason *r)
{
	const char	*colon = memchr(e->s, ':', e->n);
	int		 i;

	if (colon == NULL)
		return 0;
	for (i = 0; i < PORTLIST_NPROTO; i++)
		if (colon == e->s + 1 && e->s[0] == protos[i].prefix)
			break;
	if (i == PORTLIST_NPROTO)
		return reason_set(r, "unknown protocol prefix '%.*s' (use T:, U: or "
		    "S:)", (int)(colon - e->s + 1), e->s);
	*mask = protos[i].mask;
	e->n -= 2;
	e->s += 2;
	while (e->n > 0 && (e->s[0] == ' ' || e->s[0] == '\t')) {
		e->s++;
		e->n--;
	}
	if (e->n == 0)
		return reason_set(r, "no ports after '%c:'", protos[i].prefix);
	return 0;
}

static int
spec_parse(struct portlist *pl, const char *spec, int mask,
    const struct services *svc, struct reason *r)
{
	const char	*p = spec;
	struct span	 e;
	int		 i, more, any = 0;

	if (*spec == '\0')
		return reason_set(r, "empty");
	while ((more = list_next(&p, spec, &e, r)) == 1)
		if (prefix_take(&e, &mask, r) == -1 ||
		    ports_add(pl, e, mask, svc, r) == -1)
			return -1;
	if (more == -1)
		return -1;
	for (i = 0; i < PORTLIST_NPROTO; i++)
		any |= portlist_next(pl, protos[i].ipproto, 0) != -1;
	if (!any)
		return reason_set(r, "no ports selected");
	return 0;
}

/*
 * nmap's -p syntax.  mask (PORTLIST_TCP | ...) says where ports without a
 * prefix go; svc resolves names (NULL refuses them).  The list is cleared
 * first, and left empty on error.
 */
int
portlist_parse(struct portlist *pl, const char *spec, int mask,
    const struct services *svc, char *err, size_t errlen)
{
	struct reason	r;

	portlist_clear(pl);
	if (spec_parse(pl, spec, mask, svc, &r) == -1) {
		portlist_clear(pl);
		return reason_report(err, errlen, "port list", spec, &r);
	}
	return 0;
}

static int
plain_parse(struct portlist *pl, int ipproto, const char *spec, int flags,
    struct reason *r)
{
	const char	*p = spec;
	struct span	 e;
	int		 lo, hi, more;

	if (proto_index(ipproto) == -1)
		return reason_set(r, "unknown protocol %d", ipproto);
	if (*spec == '\0')
		return reason_set(r, "empty");
	while ((more = list_next(&p, spec, &e, r)) == 1) {
		if ((flags & PORTLIST_RANGES) == 0 &&
		    memchr(e.s, '-', e.n) != NULL)
			return reason_set(r, "invalid port '%.*s'", (int)e.n, e.s);
		if (range_parse(e, &lo, &hi, r) == -1)
			return -1;
		(void)portlist_add_range(pl, ipproto, lo, hi);
	}
	return more;
}

/*
 * A plain comma list of port numbers for one protocol ("1,11,15,79", as
 * in portsentry's TCP_PORTS), with "n-m" ranges when flags has
 * PORTLIST_RANGES.  Adds to the list, which an error leaves unchanged.
 */
int
portlist_parse_plain(struct portlist *pl, int ipproto, const char *spec,
    int flags, char *err, size_t errlen)
{
	struct portlist	tmp;
	struct reason	r;
	size_t		i;
	int		p;

	portlist_clear(&tmp);
	if (plain_parse(&tmp, ipproto, spec, flags, &r) == -1)
		return reason_report(err, errlen, "port list", spec, &r);
	p = proto_index(ipproto);
	for (i = 0; i < nitems(pl->bits[p]); i++)
		pl->bits[p][i] |= tmp.bits[p][i];
	return 0;
}
