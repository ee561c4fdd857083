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

#include "inetd.h"
#include "lexer.h"
#include "xmalloc.h"

static const unsigned char v4mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

/*
 * The 16-byte key of an address: IPv6 as is, IPv4 (and IPv4-mapped IPv6)
 * as ::ffff:a.b.c.d, so one table holds both.  Returns the family the
 * address really has (AF_INET for mapped ones), or -1.
 */
int
addr_key(const struct sockaddr *sa, unsigned char key[16])
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;

	switch (sa->sa_family) {
	case AF_INET:
		sin = (const struct sockaddr_in *)sa;
		memcpy(key, v4mapped, 12);
		memcpy(key + 12, &sin->sin_addr, 4);
		return AF_INET;
	case AF_INET6:
		sin6 = (const struct sockaddr_in6 *)sa;
		memcpy(key, &sin6->sin6_addr, 16);
		return memcmp(key, v4mapped, 12) == 0 ? AF_INET : AF_INET6;
	default:
		memset(key, 0, 16);
		return -1;
	}
}

/* The numeric form of an address; IPv4-mapped IPv6 is shown as IPv4. */
int
addr_numeric(const struct sockaddr *sa, char *buf, size_t len)
{
	unsigned char	key[16];
	int		fam;

	fam = addr_key(sa, key);
	if (fam == AF_INET)
		return inet_ntop(AF_INET, key + 12, buf, (socklen_t)len) ==
		    NULL ? -1 : 0;
	if (fam == AF_INET6)
		return inet_ntop(AF_INET6, key, buf, (socklen_t)len) ==
		    NULL ? -1 : 0;
	(void)snprintf(buf, len, "<unknown>");
	return -1;
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

/* Zero the host bits beyond plen so equal networks compare equal. */
static void
acl_mask(unsigned char *addr, int len, int plen)
{
	int	i;

	for (i = 0; i < len; i++) {
		if (plen >= 8) {
			plen -= 8;
			continue;
		}
		addr[i] &= (unsigned char)(0xff << (8 - plen));
		plen = 0;
	}
}

/* a.b.c.d with trailing zero octets as wildcards. */
static int
acl_parse_dotted(const char *s, unsigned char a[4], int *plen)
{
	struct in_addr	in;
	int		i;

	if (inet_pton(AF_INET, s, &in) != 1)
		return -1;
	memcpy(a, &in, 4);
	for (i = 4; i > 0 && a[i - 1] == 0; i--)
		;
	*plen = i * 8;
	return 0;
}

static int
acl_parse_prefix(const char *s, int max, int *plen)
{
	const char	*errstr;
	long long	 v;

	v = strtonum(s, 0, max, &errstr);
	if (errstr != NULL)
		return -1;
	*plen = (int)v;
	return 0;
}

/* addr/len, IPv4 or IPv6 (brackets allowed around IPv6). */
static int
acl_parse_cidr(struct acl *acl, char *s, const char *text, char *err,
    size_t errlen)
{
	unsigned char	a[16];
	char		*slash = strchr(s, '/'), *host = s;
	size_t		 n;
	int		 plen;

	*slash = '\0';
	n = strlen(host);
	if (n > 2 && host[0] == '[' && host[n - 1] == ']') {
		host[n - 1] = '\0';
		host++;
	}
	if (inet_pton(AF_INET, host, a) == 1) {
		if (acl_parse_prefix(slash + 1, 32, &plen) == -1)
			goto badlen;
		acl_mask(a, 4, plen);
		acl_push(acl, ACL_NET, AF_INET, a, plen, text);
		return 0;
	}
	if (inet_pton(AF_INET6, host, a) == 1) {
		if (acl_parse_prefix(slash + 1, 128, &plen) == -1)
			goto badlen;
		acl_mask(a, 16, plen);
		acl_push(acl, ACL_NET, AF_INET6, a, plen, text);
		return 0;
	}
	snprintf(err, errlen, "'%s' is not an IPv4 or IPv6 network", text);
	return -1;
badlen:
	snprintf(err, errlen, "'%s' has a bad prefix length", text);
	return -1;
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
	unsigned char	a[16];
	char		*s;
	int		plen, r;

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
	if (strchr(text, '/') != NULL) {
		s = xstrdup(text);
		r = acl_parse_cidr(acl, s, text, err, errlen);
		free(s);
		return r;
	}
	if (acl_parse_dotted(text, a, &plen) == 0) {
		acl_push(acl, plen == 0 ? ACL_ANY : ACL_NET, AF_INET, a, plen,
		    text);
		return 0;
	}
	s = xstrdup(text);
	if (s[0] == '[' && s[strlen(s) - 1] == ']') {
		s[strlen(s) - 1] = '\0';
		memmove(s, s + 1, strlen(s));
	}
	r = inet_pton(AF_INET6, s, a);
	free(s);
	if (r == 1) {
		acl_push(acl, ACL_NET, AF_INET6, a, 128, text);
		return 0;
	}
	if (strspn(text, "0123456789.") == strlen(text)) {
		snprintf(err, errlen, "'%s' is not a valid IPv4 address", text);
		return -1;
	}
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
 * host name with exactly one address of the wanted family (AF_UNSPEC:
 * any).  Never falls back to the wildcard address.
 */
int
addr_parse_bind(const char *text, int family, struct bindaddr *ba,
    char *err, size_t errlen)
{
	struct addrinfo	 hints, *res;
	char		*s = xstrdup(text);
	size_t		 n = strlen(s);
	int		 r;

	if (n > 2 && s[0] == '[' && s[n - 1] == ']') {
		s[n - 1] = '\0';
		memmove(s, s + 1, n - 1);
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
	r = getaddrinfo(s, NULL, &hints, &res);
	if (r != 0 && strspn(s, "0123456789.") != n &&
	    strchr(s, ':') == NULL) {
		hints.ai_flags = AI_PASSIVE | AI_ADDRCONFIG;
		r = getaddrinfo(s, NULL, &hints, &res);
	}
	free(s);
	if (r != 0) {
		snprintf(err, errlen, "invalid address '%s': %s", text,
		    r == EAI_NONAME ? "not a numeric address or known host" :
		    gai_strerror(r));
		return -1;
	}
	memset(ba, 0, sizeof(*ba));
	memcpy(&ba->ss, res->ai_addr, res->ai_addrlen);
	ba->len = res->ai_addrlen;
	ba->v6only = -1;
	freeaddrinfo(res);
	return 0;
}
