/*
 * hostlist.c: only_from / no_access lists and the addresses inetd binds.
 *
 * An entry is parsed once, at configuration time, into a network and a
 * prefix length, so matching a connection is a few byte compares and
 * never a name lookup.  The only exception is the ".domain" form, which
 * by definition needs the client's name; it is looked up (numerically
 * verified) only when a list contains such an entry.
 *
 * The forms are xinetd's: a.b.c.d where trailing zero octets are
 * wildcards (so 0.0.0.0 matches every IPv4 client), a.b.{c,d} factorized
 * lists, addr/len for IPv4 and IPv6, plain IPv6 addresses, network names
 * from /etc/networks, host names (resolved when the file is read) and
 * .domain suffixes.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "inetd.h"
#include "lexer.h"
#include "xmalloc.h"

/*
 * The 16-byte key of an address: IPv6 as is, IPv4 (and IPv4-mapped IPv6)
 * as ::ffff:a.b.c.d, so one table holds both.  Returns the family the
 * address really has (AF_INET for mapped ones), or -1.
 */
int
addr_key(const struct sockaddr *sa, unsigned char key[16])
{
	struct addr	a, m;
	socklen_t	len = sa->sa_family == AF_INET ?
	    sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);

	if (addr_from_sockaddr(&a, NULL, sa, len) == -1) {
		memset(key, 0, 16);
		return -1;
	}
	addr_to_v4mapped(&m, &a);
	memcpy(key, m.bytes, 16);
	return addr_unmap(&m, &a) ? AF_INET : a.family;
}

/* The numeric form of an address; IPv4-mapped IPv6 is shown as IPv4. */
int
addr_numeric(const struct sockaddr *sa, char *buf, size_t len)
{
	struct addr	a, u;
	socklen_t	salen = sa->sa_family == AF_INET ?
	    sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);

	if (addr_from_sockaddr(&a, NULL, sa, salen) == -1) {
		(void)snprintf(buf, len, "<unknown>");
		return -1;
	}
	(void)addr_unmap(&u, &a);
	(void)addr_format(&u, buf, len);
	return 0;
}

static void
acl_push(struct acl *acl, int kind, int family, const unsigned char *addr,
    int plen, const char *text)
{
	struct acl_entry	*e;

	acl->v = xreallocarray(acl->v, acl->n + 1, sizeof(*acl->v));
	e = &acl->v[acl->n++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->family = family;
	if (addr != NULL)
		memcpy(e->addr, addr, family == AF_INET ? 4 : 16);
	e->plen = plen;
	e->text = xstrdup(text);
}

/* a.b.c.d with trailing zero octets as wildcards. */
static int
acl_parse_dotted(const char *s, unsigned char a[4], int *plen)
{
	struct addr	ad;
	char		err[128];
	int		i;

	if (strspn(s, "0123456789.") != strlen(s) ||
	    addr_parse4(&ad, s, err, sizeof(err)) == -1)
		return -1;
	memcpy(a, ad.bytes, 4);
	for (i = 4; i > 0 && a[i - 1] == 0; i--)
		;
	*plen = i * 8;
	return 0;
}

/* addr/len or addr/mask, IPv4 or IPv6 ([v6]/len too): common/addr's forms. */
static int
acl_parse_cidr(struct acl *acl, const char *text, char *err, size_t errlen)
{
	struct addr_cidr	c;

	if (addr_cidr_parse(&c, text, NULL, err, errlen) == -1)
		return -1;
	acl_push(acl, ACL_NET, c.net.family, c.net.bytes, (int)c.len, text);
	return 0;
}

/* a.b.{c,d,e}: the factorized part comes last and holds octets. */
static int
acl_parse_factorized(struct acl *acl, const char *text, char *err,
    size_t errlen)
{
	const char	*brace = strchr(text, '{');
	char		 head[32], *list, *p, *w, buf[64];
	int		 dots = 0, noct;
	size_t		 hl = (size_t)(brace - text);
	unsigned char	 a[4];
	int		 plen;

	if (hl >= sizeof(head) || text[strlen(text) - 1] != '}' ||
	    hl == 0 || text[hl - 1] != '.')
		goto bad;
	memcpy(head, text, hl);
	head[hl] = '\0';
	for (p = head; *p != '\0'; p++) {
		if (*p == '.')
			dots++;
		else if (!isdigit((unsigned char)*p))
			goto bad;
	}
	if (dots > 3)
		goto bad;
	noct = dots + 1;	/* octets fixed once a value is filled in */
	list = xstrndup(brace + 1, strlen(brace + 1) - 1);
	for (p = list; (w = strsep(&p, ",")) != NULL;) {
		int	i;

		w = lexer_trim(w);
		if (*w == '\0' || strspn(w, "0123456789") != strlen(w))
			goto badlist;
		snprintf(buf, sizeof(buf), "%s%s", head, w);
		for (i = noct; i < 4; i++)
			strlcat(buf, ".0", sizeof(buf));
		if (inet_pton(AF_INET, buf, a) != 1)
			goto badlist;
		plen = noct * 8;
		acl_push(acl, ACL_NET, AF_INET, a, plen, text);
	}
	free(list);
	return 0;
badlist:
	free(list);
bad:
	snprintf(err, errlen, "'%s' is not a valid factorized address", text);
	return -1;
}

/* A network name from /etc/networks, then a host name from the resolver. */
static int
acl_parse_name(struct acl *acl, const char *text, char *err, size_t errlen)
{
	struct netent	*ne;
	struct addrinfo	 hints, *res, *ai;
	unsigned char	 a[16];
	uint32_t	 net;
	int		 plen, n = 0;

	if ((ne = getnetbyname(text)) != NULL && ne->n_addrtype == AF_INET) {
		net = (uint32_t)ne->n_net;
		/* n_net is right-aligned: 10 means 10.0.0.0. */
		while (net != 0 && (net & 0xff000000U) == 0)
			net <<= 8;
		net = htonl(net);
		memcpy(a, &net, 4);
		for (plen = 32; plen > 0 && a[plen / 8 - 1] == 0; plen -= 8)
			;
		acl_push(acl, ACL_NET, AF_INET, a, plen, text);
		return 0;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(text, NULL, &hints, &res) != 0) {
		snprintf(err, errlen, "'%s' is not an address, network or "
		    "known host name", text);
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET) {
			memcpy(a, &((struct sockaddr_in *)ai->ai_addr)->
			    sin_addr, 4);
			acl_push(acl, ACL_NET, AF_INET, a, 32, text);
			n++;
		} else if (ai->ai_family == AF_INET6) {
			memcpy(a, &((struct sockaddr_in6 *)ai->ai_addr)->
			    sin6_addr, 16);
			acl_push(acl, ACL_NET, AF_INET6, a, 128, text);
			n++;
		}
	}
	freeaddrinfo(res);
	if (n == 0) {
		snprintf(err, errlen, "'%s' has no IPv4 or IPv6 address", text);
		return -1;
	}
	return 0;
}

/*
 * Add one entry written in xinetd's syntax.  Returns -1 with a message in
 * err when it is not one of the accepted forms.
 */
int
acl_add(struct acl *acl, const char *text, char *err, size_t errlen)
{
	struct addr	ad;
	unsigned char	a[16];
	int		plen;

	acl->set = 1;
	if (strchr(text, ',') != NULL && strchr(text, '{') == NULL) {
		snprintf(err, errlen, "address '%s' has a comma in it", text);
		return -1;
	}
	if (strchr(text, '{') != NULL)
		return acl_parse_factorized(acl, text, err, errlen);
	if (text[0] == '.' && text[1] != '\0') {
		acl_push(acl, ACL_DOMAIN, 0, NULL, 0, text);
		return 0;
	}
	if (strchr(text, '/') != NULL)
		return acl_parse_cidr(acl, text, err, errlen);
	if (acl_parse_dotted(text, a, &plen) == 0) {
		acl_push(acl, plen == 0 ? ACL_ANY : ACL_NET, AF_INET, a, plen,
		    text);
		return 0;
	}
	if (strchr(text, ':') != NULL) {
		if (addr_parse6(&ad, text, err, errlen) == -1)
			return -1;
		acl_push(acl, ACL_NET, AF_INET6, ad.bytes, 128, text);
		return 0;
	}
	if (strspn(text, "0123456789.") == strlen(text))
		return addr_parse4(&ad, text, err, errlen);
	return acl_parse_name(acl, text, err, errlen);
}

/* The -= operator: drop every entry written the same way. */
int
acl_remove(struct acl *acl, const char *text, char *err, size_t errlen)
{
	size_t	i, j;
	int	found = 0;

	for (i = j = 0; i < acl->n; i++) {
		if (strcasecmp(acl->v[i].text, text) == 0) {
			free(acl->v[i].text);
			found = 1;
			continue;
		}
		acl->v[j++] = acl->v[i];
	}
	acl->n = j;
	if (!found) {
		snprintf(err, errlen, "'%s' is not in the list", text);
		return -1;
	}
	return 0;
}

void
acl_clear(struct acl *acl)
{
	size_t	i;

	for (i = 0; i < acl->n; i++)
		free(acl->v[i].text);
	free(acl->v);
	acl->v = NULL;
	acl->n = 0;
	acl->set = 0;
}

void
acl_copy(struct acl *dst, const struct acl *src)
{
	size_t	i;

	acl_clear(dst);
	dst->set = src->set;
	if (src->n == 0)
		return;
	dst->v = xreallocarray(NULL, src->n, sizeof(*dst->v));
	for (i = 0; i < src->n; i++) {
		dst->v[i] = src->v[i];
		dst->v[i].text = xstrdup(src->v[i].text);
	}
	dst->n = src->n;
}

int
acl_needs_name(const struct acl *acl)
{
	size_t	i;

	for (i = 0; i < acl->n; i++)
		if (acl->v[i].kind == ACL_DOMAIN)
			return 1;
	return 0;
}

static int
acl_prefix_equal(const unsigned char *a, const unsigned char *b, int plen)
{
	int	bytes = plen / 8, bits = plen % 8;

	if (memcmp(a, b, (size_t)bytes) != 0)
		return 0;
	if (bits == 0)
		return 1;
	return ((a[bytes] ^ b[bytes]) & (0xff << (8 - bits))) == 0;
}

static int
acl_domain_match(const char *suffix, const char *host)
{
	size_t	hl, sl;

	if (host == NULL || *host == '\0')
		return 0;
	hl = strlen(host);
	sl = strlen(suffix);
	return hl > sl && strcasecmp(host + hl - sl, suffix) == 0;
}

/*
 * How well sa matches the list: the prefix length of the most specific
 * matching entry (a domain match counts as 1), or -1 for no match.
 * hostname is the client's verified name, or NULL when there is none.
 */
int
acl_match(const struct acl *acl, const struct sockaddr *sa,
    const char *hostname)
{
	unsigned char	key[16];
	int		fam, best = -1;
	size_t		i;

	fam = addr_key(sa, key);
	for (i = 0; i < acl->n; i++) {
		const struct acl_entry	*e = &acl->v[i];
		int			 m = -1;

		switch (e->kind) {
		case ACL_ANY:
			if (fam == AF_INET)
				m = 0;
			break;
		case ACL_NET:
			if (e->family == AF_INET && fam == AF_INET &&
			    acl_prefix_equal(e->addr, key + 12, e->plen))
				m = e->plen;
			else if (e->family == AF_INET6 &&
			    acl_prefix_equal(e->addr, key, e->plen))
				m = e->plen;
			break;
		case ACL_DOMAIN:
			if (acl_domain_match(e->text, hostname))
				m = 1;
			break;
		}
		if (m > best)
			best = m;
	}
	return best;
}

/*
 * A bind address: numeric IPv4 or IPv6 (brackets and %scope allowed) or a
 * host name, whose first address of the wanted family (AF_UNSPEC: any) is
 * taken.  Never falls back to the wildcard address.
 */
int
addr_parse_bind(const char *text, int family, struct bindaddr *ba,
    char *err, size_t errlen)
{
	struct addrinfo	 hints, *res;
	struct addr	 a;
	int		 r;

	memset(ba, 0, sizeof(*ba));
	ba->v6only = -1;
	if (strchr(text, '%') == NULL && (strchr(text, ':') != NULL ||
	    strspn(text, "0123456789.") == strlen(text))) {
		if (addr_parse(&a, text, err, errlen) == -1)
			return -1;
		if (family != AF_UNSPEC && a.family != family) {
			snprintf(err, errlen, "'%s' is not an %s address", text,
			    family == AF_INET ? "IPv4" : "IPv6");
			return -1;
		}
		ba->len = addr_to_sockaddr(&a, 0, &ba->ss);
		return 0;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	if ((r = getaddrinfo(text, NULL, &hints, &res)) != 0) {
		snprintf(err, errlen, "invalid address '%s': %s", text,
		    r == EAI_NONAME ? "not an address or known host name" :
		    gai_strerror(r));
		return -1;
	}
	memcpy(&ba->ss, res->ai_addr, res->ai_addrlen);
	ba->len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}
