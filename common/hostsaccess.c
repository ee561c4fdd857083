/*
 * hostsaccess.c: the tcp_wrappers access control language of
 * hosts_access(5), matched the way Debian's libwrap 7.6.q does.
 *
 * Users bring hosts.allow and hosts.deny files written for libwrap, and
 * tcpdmatch(8) is the oracle, so libwrap's quirks are kept on purpose:
 * the line buffer and its limits, the text comparisons of addresses, the
 * inet_addr() forms of n.n.n.n/m.m.m.m, the port number in a daemon list,
 * the wildcard matcher, the option parser.  Each quirk is noted where it
 * is kept.  hosts_access(5) lists the few places where this engine
 * deliberately differs.
 *
 * A check keeps its state in a struct ha_check; lookups are cached there
 * so a name is resolved at most once per check, and only when needed.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "hostsaccess.h"
#include "ident.h"
#include "log.h"
#include "privdrop.h"
#include "xmalloc.h"

#define HA_LINELEN	2048	/* one logical rule, as libwrap's buffer */
#define HA_EXPANDLEN	8192	/* one %-expanded option value */
#define HA_BANNERLEN	8192	/* one banner line, as libwrap reads it */
#define HA_TOKLEN	8192	/* one pattern in a /file */
#define HA_MAXDEPTH	8	/* /file patterns nested in /file patterns */
#define HA_IDENT_TIMEOUT 10	/* seconds, libwrap's RFC931_TIMEOUT */

#define HA_SEP		", \t\r\n"	/* between list members */
#define HA_BLANKS	" \t\r\n"

/* What matching a table gives. */
enum {
	HA_ERR = -1,		/* unreadable or broken: libwrap's ERR */
	HA_NO = 0,
	HA_YES = 1,
	HA_PERMIT = 2,		/* an option decided: granted */
	HA_DENY = 3		/* an option (or an error in one) decided */
};

static const char unknown[] = "unknown";
static const char paranoid[] = "paranoid";

struct ha_host {
	char			 addr[HOSTS_STRLEN];
	char			 name[HOSTS_STRLEN];
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;		/* 0: no socket address */
	int			 have_addr;
	int			 have_name;
};

struct ha_check {
	const struct hosts_request *rq;
	struct hosts_verdict	*v;
	struct ha_host		 client;
	struct ha_host		 server;
	char			 daemon[HOSTS_STRLEN];
	char			 user[HOSTS_STRLEN];
	int			 have_user;
	int			 ident_timeout;
	int			 aclexec_failed;
	int			 aclexec_dry;	/* take aclexec as failed */
	int			 aclexec_skipped; /* and one was */
	const char		*file;		/* table being read, or NULL */
	int			 line;
	int			 depth;
};

typedef int (*ha_match_fn)(struct ha_check *, char *);

static int	ha_host_match(struct ha_check *, char *, struct ha_host *);

/* --- diagnostics ---------------------------------------------------- */

/*
 * Report a problem, prefixed with the file and line being read.  Host
 * names come from the network, so the text is escaped before anyone
 * prints it.
 */
static void __printflike(3, 0)
ha_vdiag(struct ha_check *c, int is_error, const char *fmt, va_list ap)
{
	char	raw[1024], line[1024 * 4];
	int	n = 0;

	if (c->file != NULL)
		n = snprintf(raw, sizeof(raw), "%s:%d: ", c->file, c->line);
	if (n < 0 || (size_t)n >= sizeof(raw))
		n = 0;
	(void)vsnprintf(raw + n, sizeof(raw) - n, fmt, ap);
	(void)log_escape(line, sizeof(line), raw);
	if (is_error)
		c->v->errors++;
	if (c->rq->diag != NULL)
		c->rq->diag(c->rq->arg, is_error, line);
	else
		log_warnx("%s", line);
}

static void __printflike(2, 3)
ha_warn(struct ha_check *c, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	ha_vdiag(c, 0, fmt, ap);
	va_end(ap);
}

static void __printflike(2, 3)
ha_error(struct ha_check *c, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	ha_vdiag(c, 1, fmt, ap);
	va_end(ap);
}

/* --- small string helpers ------------------------------------------- */

static int
ha_eq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

/* A name that lookups produced, not one of their failure markers. */
static int
ha_known(const char *name)
{
	return !ha_eq(name, unknown) && !ha_eq(name, paranoid);
}

/* libwrap's NOT_INADDR: the pattern holds more than digits, dots, '/'. */
static int
ha_not_inaddr(const char *s)
{
	return s[strspn(s, "0123456789./")] != '\0';
}

/*
 * Cut s at the first delim outside [brackets] and return what follows,
 * or NULL.  An unbalanced ']' stops all cutting, as in libwrap.
 */
static char *
ha_split(char *s, int delim)
{
	int	depth = 0;

	for (; *s != '\0'; s++) {
		if (*s == '[')
			depth++;
		else if (*s == ']')
			depth--;
		else if (depth == 0 && *s == delim) {
			*s++ = '\0';
			return s;
		}
	}
	return NULL;
}

/* Strip leading and trailing white space in place. */
static char *
ha_chop(char *s)
{
	char	*start = NULL, *end = NULL;

	for (; *s != '\0'; s++) {
		if (!isspace((unsigned char)*s)) {
			if (start == NULL)
				start = s;
			end = s;
		}
	}
	if (start == NULL)
		return s;
	end[1] = '\0';
	return start;
}

/*
 * libwrap's dot_quad_addr(): exactly four dot-separated runs, then
 * whatever inet_addr(3) makes of them.  So 010.0.0.1 is 8.0.0.1, 0x0a
 * is 10, and 255.255.255.255 is no address at all (it is INADDR_NONE).
 */
static int
ha_dotquad(const char *s, uint32_t *addr)
{
	const char	*p;
	int		 runs = 0, inrun = 0;
	in_addr_t	 a;

	for (p = s; *p != '\0'; p++) {
		if (*p == '.')
			inrun = 0;
		else if (!inrun) {
			inrun = 1;
			runs++;
		}
	}
	if (runs != 4 || (a = inet_addr(s)) == INADDR_NONE)
		return -1;
	*addr = ntohl(a);
	return 0;
}

/* An IPv6 literal as getaddrinfo(3) takes it (scope ids included). */
static int
ha_inet6(const char *s, struct in6_addr *a)
{
	struct addrinfo	 hints, *res;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET6;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST;
	if (getaddrinfo(s, NULL, &hints, &res) != 0)
		return -1;
	*a = ((struct sockaddr_in6 *)(void *)res->ai_addr)->sin6_addr;
	freeaddrinfo(res);
	return 0;
}

/* atoi(3) as glibc does it: strtol cut to int, garbage ignored. */
static int
ha_atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

/*
 * sscanf(s, "%d%c", ...) == 1: one whole integer, nothing after it.
 * The value is cut to int as scanf does.
 */
static int
ha_scan_int(const char *s, int *val)
{
	char	*end;
	long	 l;

	l = strtol(s, &end, 10);
	if (end == s || *end != '\0')
		return -1;
	*val = (int)l;
	return 0;
}

/* The same for "%u%c" (a leading '-' negates, as scanf does). */
static int
ha_scan_uint(const char *s, unsigned int *val)
{
	char		*end;
	unsigned long	 ul;

	ul = strtoul(s, &end, 10);
	if (end == s || *end != '\0')
		return -1;
	*val = (unsigned int)ul;
	return 0;
}

/* --- endpoints: addresses, names, ports, user ------------------------ */

static void
ha_host_init(struct ha_host *h, const struct sockaddr *sa, const char *addr,
    const char *name)
{
	memset(h, 0, sizeof(*h));
	if (sa != NULL && (sa->sa_family == AF_INET ||
	    sa->sa_family == AF_INET6)) {
		h->sslen = sa->sa_family == AF_INET ?
		    sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
		memcpy(&h->ss, sa, h->sslen);
	}
	if (addr != NULL) {
		(void)strlcpy(h->addr, addr, sizeof(h->addr));
		h->have_addr = 1;
	}
	if (name != NULL) {
		(void)strlcpy(h->name, name, sizeof(h->name));
		h->have_name = 1;
	}
}

static unsigned int
ha_port(const struct ha_host *h)
{
	if (h->sslen == 0)
		return 0;
	return addr_sockaddr_port(&h->ss);
}

static const char *
ha_addr(struct ha_check *c, struct ha_host *h)
{
	(void)c;
	if (!h->have_addr) {
		h->have_addr = 1;
		if (h->sslen == 0 || getnameinfo((struct sockaddr *)&h->ss,
		    h->sslen, h->addr, sizeof(h->addr), NULL, 0,
		    NI_NUMERICHOST) != 0)
			(void)strlcpy(h->addr, unknown, sizeof(h->addr));
	}
	return h->addr;
}

/* The endpoint's address, an IPv4-mapped one as plain IPv4. */
static socklen_t
ha_unmapped(const struct ha_host *h, struct sockaddr_storage *ss)
{
	const struct sockaddr_in6	*sin6;
	struct sockaddr_in		*sin;

	memcpy(ss, &h->ss, sizeof(*ss));
	if (h->ss.ss_family != AF_INET6)
		return h->sslen;
	sin6 = (const struct sockaddr_in6 *)(const void *)&h->ss;
	if (!IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
		return h->sslen;
	memset(ss, 0, sizeof(*ss));
	sin = (struct sockaddr_in *)(void *)ss;
	sin->sin_family = AF_INET;
	sin->sin_port = sin6->sin6_port;
	memcpy(&sin->sin_addr, &sin6->sin6_addr.s6_addr[12], 4);
	return sizeof(*sin);
}

/* Is the address of sa among those getaddrinfo gave for its name? */
static int
ha_addr_listed(const struct sockaddr *sa, const struct addrinfo *res)
{
	const struct sockaddr_in6	*a6, *r6;

	for (; res != NULL; res = res->ai_next) {
		if (res->ai_family != sa->sa_family)
			continue;
		if (sa->sa_family == AF_INET) {
			if (memcmp(&((const struct sockaddr_in *)(const void *)
			    sa)->sin_addr, &((const struct sockaddr_in *)
			    (const void *)res->ai_addr)->sin_addr, 4) == 0)
				return 1;
			continue;
		}
		a6 = (const struct sockaddr_in6 *)(const void *)sa;
		r6 = (const struct sockaddr_in6 *)(const void *)res->ai_addr;
		if (a6->sin6_scope_id == r6->sin6_scope_id &&
		    memcmp(&a6->sin6_addr, &r6->sin6_addr, 16) == 0)
			return 1;
	}
	return 0;
}

/*
 * The reverse lookup's answer for the endpoint's address, as it comes:
 * 0 and the name in buf, or -1 when there is none.
 */
static int
ha_reverse(const struct ha_host *h, char *buf, size_t size)
{
	struct sockaddr_storage	ss;
	socklen_t		salen;

	salen = ha_unmapped(h, &ss);
	return getnameinfo((struct sockaddr *)&ss, salen, buf,
	    (socklen_t)size, NULL, 0, NI_NAMEREQD) == 0 ? 0 : -1;
}

/*
 * Believe name, the reverse lookup's answer, only if its forward lookup
 * gives the same name and the address back.  A name that fails the
 * double check becomes "paranoid", one that cannot be found stays
 * "unknown": the PARANOID and UNKNOWN patterns match those words.
 */
static void
ha_verify(struct ha_check *c, struct ha_host *h, const char *name)
{
	struct sockaddr_storage	 ss;
	struct sockaddr		*sa = (struct sockaddr *)&ss;
	struct addrinfo		 hints, *res;
	socklen_t		 salen;
	char			 num[NI_MAXHOST];

	salen = ha_unmapped(h, &ss);
	(void)strlcpy(h->name, name, sizeof(h->name));
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = sa->sa_family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST;
	if (getaddrinfo(h->name, NULL, &hints, &res) == 0) {
		freeaddrinfo(res);
		ha_warn(c, "host name/name mismatch: reverse lookup results "
		    "in non-FQDN %s", h->name);
		goto bad;
	}
	hints.ai_flags = AI_PASSIVE | AI_CANONNAME;
	if (getaddrinfo(h->name, NULL, &hints, &res) != 0) {
		ha_warn(c, "can't verify hostname: getaddrinfo(%s, %s) "
		    "failed", h->name, sa->sa_family == AF_INET ? "AF_INET" :
		    "AF_INET6");
		goto bad;
	}
	if ((res->ai_canonname == NULL ||
	    !ha_eq(h->name, res->ai_canonname)) &&
	    !ha_eq(h->name, "localhost")) {
		ha_warn(c, "host name/name mismatch: %s != %s", h->name,
		    res->ai_canonname != NULL ? res->ai_canonname : "");
		freeaddrinfo(res);
		goto bad;
	}
	if (!ha_addr_listed(sa, res)) {
		if (getnameinfo(sa, salen, num, sizeof(num), NULL, 0,
		    NI_NUMERICHOST) != 0)
			(void)strlcpy(num, unknown, sizeof(num));
		ha_warn(c, "host name/address mismatch: %s != %s", num,
		    res->ai_canonname != NULL ? res->ai_canonname : "");
		freeaddrinfo(res);
		goto bad;
	}
	freeaddrinfo(res);
	return;
bad:
	(void)strlcpy(h->name, paranoid, sizeof(h->name));
}

static void
ha_lookup_name(struct ha_check *c, struct ha_host *h)
{
	char	name[NI_MAXHOST];

	if (ha_reverse(h, name, sizeof(name)) == 0)
		ha_verify(c, h, name);
}

static const char *
ha_name(struct ha_check *c, struct ha_host *h)
{
	if (!h->have_name) {
		h->have_name = 1;
		(void)strlcpy(h->name, unknown, sizeof(h->name));
		if (h->sslen == 0 || (c->rq->flags & HOSTS_NUMERIC))
			return h->name;
		/* The caller looks it up without waiting, then checks again. */
		if (h == &c->client && (c->rq->flags & HOSTS_DEFERNAME))
			c->v->name_wanted = 1;
		else
			ha_lookup_name(c, h);
	}
	return h->name;
}

/* The name when one was already looked up and believed, else the address. */
static const char *
ha_hostinfo(struct ha_check *c, struct ha_host *h)
{
	if (h->have_name && ha_known(h->name))
		return h->name;
	return ha_addr(c, h);
}

/*
 * Ask the client's RFC 931 (ident) server who owns the connection, from
 * the server's own address, within the timeout.  The answer counts only
 * if it names our two ports, as libwrap checks.
 */
static void
ha_ident(struct ha_check *c)
{
	struct ident	id;

	ident_init(&id);
	if (ident_query(&id, (struct sockaddr *)&c->client.ss,
	    (struct sockaddr *)&c->server.ss, c->ident_timeout * 1000) ==
	    IDENT_DONE)
		(void)strlcpy(c->user, id.user, sizeof(c->user));
}

static const char *
ha_user(struct ha_check *c)
{
	if (!c->have_user) {
		c->have_user = 1;
		(void)strlcpy(c->user, unknown, sizeof(c->user));
		if (c->client.sslen == 0 || c->server.sslen == 0 ||
		    (c->rq->flags & HOSTS_NOIDENT))
			return c->user;
		/* The caller asks it without waiting, then checks again. */
		if (c->rq->flags & HOSTS_DEFERIDENT) {
			c->v->user_wanted = 1;
			c->v->ident_timeout = c->ident_timeout;
		}
		else
			ha_ident(c);
	}
	return c->user;
}

/* %c: user@host when the user is already known, else the host. */
static void
ha_client_info(struct ha_check *c, char *buf, size_t size)
{
	const char	*host = ha_hostinfo(c, &c->client);

	if (c->have_user && !ha_eq(c->user, unknown))
		(void)snprintf(buf, size, "%s@%s", c->user, host);
	else
		(void)strlcpy(buf, host, size);
}

/* %s: daemon@host when the server host is known, else the daemon. */
static void
ha_server_info(struct ha_check *c, char *buf, size_t size)
{
	const char	*host = ha_hostinfo(c, &c->server);

	if (!ha_eq(host, unknown))
		(void)snprintf(buf, size, "%s@%s", c->daemon, host);
	else
		(void)strlcpy(buf, c->daemon, size);
}

/* --- pattern matching ------------------------------------------------ */

/*
 * Shell-like '*' and '?', case-insensitive, with the behaviour of the
 * matcher Debian took from ssh: a '*' never matches at the very end of
 * the string unless it ends the pattern, so "a**" does not match "a".
 */
static int
ha_wild_match(const char *s, const char *p)
{
	for (;;) {
		if (*p == '\0')
			return *s == '\0';
		if (*p == '*') {
			p++;
			if (*p == '\0')
				return 1;
			for (; *s != '\0'; s++) {
				if (*p == '?' || *p == '*') {
					if (ha_wild_match(s, p))
						return 1;
				} else if (toupper((unsigned char)*s) ==
				    toupper((unsigned char)*p) &&
				    ha_wild_match(s + 1, p + 1))
					return 1;
			}
			return 0;
		}
		if (*s == '\0')
			return 0;
		if (*p != '?' && toupper((unsigned char)*p) !=
		    toupper((unsigned char)*s))
			return 0;
		s++;
		p++;
	}
}

/* [v6] pattern against an address text, compared as IPv6 addresses. */
static int
ha_bracket_match(const char *tok, const char *string)
{
	struct in6_addr	 pat, addr;
	char		 buf[HA_LINELEN];
	size_t		 len = strlen(tok);

	if (len < 2 || len - 1 >= sizeof(buf))
		return 0;
	memcpy(buf, tok + 1, len - 2);
	buf[len - 2] = '\0';
	if (ha_inet6(buf, &pat) == -1 || ha_inet6(string, &addr) == -1)
		return 0;
	return memcmp(&pat, &addr, sizeof(pat)) == 0;
}

/*
 * One pattern against one string (a daemon, user, address or name).
 * Addresses are mostly compared as text, as libwrap does: "10.0.0.1"
 * does not match a client written 010.0.0.1.
 */
static int
ha_string_match(const char *tok, const char *string)
{
	uint32_t	 a;
	size_t		 n, len;

	/* A v4-mapped client is matched as the IPv4 address it carries. */
	if (strncasecmp(string, "::ffff:", 7) == 0 &&
	    ha_dotquad(string + 7, &a) == 0)
		string += 7;
	if (strchr(tok, '*') != NULL || strchr(tok, '?') != NULL)
		return ha_wild_match(string, tok);
	len = strlen(tok);
	if (tok[0] == '.') {
		n = strlen(string);
		return n > len && ha_eq(tok, string + n - len);
	}
	if (ha_eq(tok, "ALL"))
		return 1;
	if (ha_eq(tok, "KNOWN"))
		return !ha_eq(string, unknown);
	if (len > 0 && tok[len - 1] == '.')
		return strncasecmp(tok, string, len) == 0;
	if (tok[0] == '[' && len > 0 && tok[len - 1] == ']')
		return ha_bracket_match(tok, string);
	return ha_eq(tok, string);
}

/*
 * net/mask with an IPv4 client.  The mask is n.n.n.n or a length 1..32
 * (libwrap takes atoi() of it, so /0 and /33 never match); the host
 * bits of net must be clear or nothing matches.
 */
static int
ha_masked4(const char *net, const char *mask, const char *string)
{
	uint32_t	a, n, m;
	int		bits;

	if (ha_dotquad(string, &a) == -1 || ha_dotquad(net, &n) == -1)
		return 0;
	if (ha_dotquad(mask, &m) == -1) {
		bits = ha_atoi(mask);
		if (bits < 1 || bits > 32)
			return 0;
		m = bits == 32 ? 0xffffffffU : ~(0xffffffffU >> bits);
	}
	return (a & m) == n;
}

/*
 * [net]/len with an IPv6 client.  Here the host bits are masked off the
 * net too, and the length is atoi() of the text (so "/x" is /0).
 */
static int
ha_masked6(const char *net, const char *mask, const char *string)
{
	struct in6_addr	 a, n;
	char		 buf[HA_LINELEN];
	size_t		 len = strlen(net);
	uint32_t	 a4;
	int		 bits, i;
	uint8_t		 m;

	if (strncasecmp(string, "::ffff:", 7) == 0 &&
	    ha_dotquad(string + 7, &a4) == 0)
		return ha_masked4(net, mask, string + 7);
	if (ha_inet6(string, &a) == -1)
		return 0;
	if (len < 2 || net[0] != '[' || net[len - 1] != ']' ||
	    len - 1 >= sizeof(buf))
		return 0;
	memcpy(buf, net + 1, len - 2);
	buf[len - 2] = '\0';
	if (ha_inet6(buf, &n) == -1)
		return 0;
	if ((bits = ha_atoi(mask)) < 0 || bits > 128)
		return 0;
	for (i = 0; bits > 0; i++, bits -= 8) {
		m = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));
		if ((a.s6_addr[i] & m) != (n.s6_addr[i] & m))
			return 0;
	}
	return 1;
}

static int
ha_netgroup_match(struct ha_check *c, const char *group, struct ha_host *h)
{
#ifdef HAVE_INNETGR
	char		 domain[256];
	const char	*dom = NULL;

	/* The NIS domain, as yp_get_default_domain() reports it. */
	if (getdomainname(domain, sizeof(domain)) == 0 &&
	    strcmp(domain, "(none)") != 0) {
		domain[sizeof(domain) - 1] = '\0';
		dom = domain;
	}
	return innetgr(group, ha_name(c, h), NULL, dom) == 1;
#else
	(void)group;
	(void)h;
	ha_warn(c, "netgroup support is disabled");
	return 0;
#endif
}

/* Read the next blank-separated word of fp; -1 at the end. */
static int
ha_read_word(FILE *fp, char *buf, size_t size, int *toolong)
{
	size_t	n = 0;
	int	ch;

	*toolong = 0;
	while ((ch = getc(fp)) != EOF && isspace(ch))
		;
	if (ch == EOF)
		return -1;
	do {
		if (n < size - 1)
			buf[n++] = (char)ch;
		else
			*toolong = 1;
	} while ((ch = getc(fp)) != EOF && !isspace(ch));
	buf[n] = '\0';
	return 0;
}

/*
 * A /path pattern: the file holds more host patterns, separated by
 * white space (no comments); a missing file matches nothing.
 */
static int
ha_file_match(struct ha_check *c, const char *path, struct ha_host *h)
{
	char	*tok;
	FILE	*fp;
	int	 match = 0, toolong;

	if (c->depth >= HA_MAXDEPTH) {
		ha_warn(c, "%s: /file patterns nested too deeply", path);
		return 0;
	}
	if ((fp = fopen(path, "r")) == NULL) {
		if (errno != ENOENT)
			ha_warn(c, "open %s: %s", path, strerror(errno));
		return 0;
	}
	tok = xmalloc(HA_TOKLEN);
	c->depth++;
	while (!match && ha_read_word(fp, tok, HA_TOKLEN, &toolong) == 0) {
		if (toolong)
			ha_warn(c, "%s: pattern too long, ignored", path);
		else
			match = ha_host_match(c, tok, h);
	}
	c->depth--;
	free(tok);
	(void)fclose(fp);
	return match;
}

static int
ha_masked_match(struct ha_check *c, const char *net, const char *mask,
    struct ha_host *h)
{
	const char	*addr = ha_addr(c, h);

	return ha_masked4(net, mask, addr) || ha_masked6(net, mask, addr);
}

/*
 * One host pattern against an endpoint.  Names are looked up only for
 * the patterns that need them: numeric patterns (only digits, dots and
 * slashes) are never compared with the name.
 */
static int
ha_host_match(struct ha_check *c, char *tok, struct ha_host *h)
{
	const char	*name;
	char		*mask;

	if (tok[0] == '@')
		return ha_netgroup_match(c, tok + 1, h);
	if (tok[0] == '/')
		return ha_file_match(c, tok, h);
	if (ha_eq(tok, "KNOWN")) {
		name = ha_name(c, h);
		return !ha_eq(ha_addr(c, h), unknown) && ha_known(name);
	}
	if (ha_eq(tok, "LOCAL")) {
		name = ha_name(c, h);
		return strchr(name, '.') == NULL && ha_known(name);
	}
	if ((mask = ha_split(tok, '/')) != NULL)
		return ha_masked_match(c, tok, mask, h);
	if (ha_string_match(tok, ha_addr(c, h)))
		return 1;
	return ha_not_inaddr(tok) && ha_string_match(tok, ha_name(c, h));
}

/*
 * A daemon pattern.  Debian's libwrap reads a pattern that is a number
 * up to 65535 as the server's port, so "22" never matches a daemon name.
 */
static int
ha_daemon_match(struct ha_check *c, const char *tok)
{
	unsigned int	port;

	if (ha_scan_uint(tok, &port) == -1 || port > 65535)
		return ha_string_match(tok, c->daemon);
	return c->server.sslen != 0 && port == ha_port(&c->server);
}

static int
ha_server_match(struct ha_check *c, char *tok)
{
	char	*host = ha_split(tok + 1, '@');

	if (!ha_daemon_match(c, tok))
		return 0;
	return host == NULL || ha_host_match(c, host, &c->server);
}

static int
ha_client_match(struct ha_check *c, char *tok)
{
	char	*host = ha_split(tok + 1, '@');

	if (host == NULL)
		return ha_host_match(c, tok, &c->client);
	return ha_host_match(c, host, &c->client) &&
	    ha_string_match(tok, ha_user(c));
}

/*
 * Match the members of a list from tok on.  "a b EXCEPT c d EXCEPT e"
 * reads as (a or b) except ((c or d) except e).
 */
static int
ha_list_from(struct ha_check *c, char *tok, char **last, ha_match_fn fn)
{
	for (; tok != NULL; tok = strtok_r(NULL, HA_SEP, last)) {
		if (ha_eq(tok, "EXCEPT"))
			return 0;
		if (!fn(c, tok))
			continue;
		while ((tok = strtok_r(NULL, HA_SEP, last)) != NULL &&
		    !ha_eq(tok, "EXCEPT"))
			;
		return tok == NULL ||
		    !ha_list_from(c, strtok_r(NULL, HA_SEP, last), last, fn);
	}
	return 0;
}

static int
ha_list_match(struct ha_check *c, char *list, ha_match_fn fn)
{
	char	*last = NULL;

	return ha_list_from(c, strtok_r(list, HA_SEP, &last), &last, fn);
}

/* --- % expansion ----------------------------------------------------- */

/* The text for %ch; buf is scratch space for the composed ones. */
static const char *
ha_percent(struct ha_check *c, int ch, char *buf, size_t size)
{
	switch (ch) {
	case 'a':
		return ha_addr(c, &c->client);
	case 'A':
		return ha_addr(c, &c->server);
	case 'c':
		ha_client_info(c, buf, size);
		return buf;
	case 'd':
		return c->daemon;
	case 'h':
		return ha_hostinfo(c, &c->client);
	case 'H':
		return ha_hostinfo(c, &c->server);
	case 'n':
		return ha_name(c, &c->client);
	case 'N':
		return ha_name(c, &c->server);
	case 'p':
		(void)snprintf(buf, size, "%ld", (long)(c->rq->pid != 0 ?
		    c->rq->pid : getpid()));
		return buf;
	case 'r':
		(void)snprintf(buf, size, "%u", ha_port(&c->client));
		return buf;
	case 'R':
		(void)snprintf(buf, size, "%u", ha_port(&c->server));
		return buf;
	case 's':
		ha_server_info(c, buf, size);
		return buf;
	case 'u':
		return ha_user(c);
	case '%':
		return "%";
	}
	ha_warn(c, "unrecognized %%%c", ch);
	return "";
}

/*
 * Expand %x sequences of in into out.  What an expansion brings in may be
 * handed to a shell, so every character outside libwrap's safe set
 * becomes '_'.  Returns -1 when out is too small.
 */
static int
ha_expand(struct ha_check *c, const char *in, char *out, size_t size)
{
	static const char	 safe[] = "1234567890!@%-_=+:,./"
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
	char			 tmp[2 * HOSTS_STRLEN + 2];
	const char		*exp;
	size_t			 n = 0, len, i;
	int			 escape;

	out[0] = '\0';
	while (*in != '\0') {
		escape = in[0] == '%' && in[1] != '\0';
		if (escape) {
			exp = ha_percent(c, (unsigned char)in[1], tmp,
			    sizeof(tmp));
			len = strlen(exp);
			in += 2;
		} else {
			exp = in++;
			len = 1;
		}
		if (n + len >= size - 1) {
			ha_error(c, "expansion too long: %.30s...", out);
			return -1;
		}
		for (i = 0; i < len; i++)
			out[n + i] = escape && strchr(safe, exp[i]) == NULL ?
			    '_' : exp[i];
		n += len;
		out[n] = '\0';
	}
	out[n] = '\0';
	return 0;
}

/* --- options ------------------------------------------------------- */

#define OPT_NEED_ARG	0x01
#define OPT_OPT_ARG	0x02
#define OPT_USE_LAST	0x04
#define OPT_EXPAND	0x08

/*
 * An option: its action type, the form of its value, and the handler that
 * checks the value and fills the action in (0), or reports an error that
 * denies (-1).  Options with nothing to check have no handler.
 */
struct ha_option {
	const char		*name;
	enum hosts_action_type	 type;
	int			 flags;
	int			(*fn)(struct ha_check *, struct hosts_action *,
				    char *);
};

/* Append len bytes to the banner text of a. */
static void
ha_banner_add(struct hosts_action *a, const char *s, size_t len)
{
	a->text = xreallocarray(a->text, a->len + len + 1, 1);
	memcpy(a->text + a->len, s, len);
	a->len += len;
	a->text[a->len] = '\0';
}

/*
 * banners DIR: the file DIR/daemon, each line %-expanded and ended with
 * CR LF.  NUL bytes at its start are sent as they are (libwrap's way to
 * begin a telnet session); after that the text is read line by line as C
 * strings, exactly as libwrap does.
 */
static int
ha_opt_banners(struct ha_check *c, struct hosts_action *a, char *value)
{
	char		 path[HA_BANNERLEN], *ibuf, *obuf;
	struct stat	 st;
	FILE		*fp;
	int		 ch, rc = 0;

	ha_banner_add(a, "", 0);
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", value, c->daemon) >=
	    sizeof(path) || (fp = fopen(path, "r")) == NULL) {
		if (stat(value, &st) == -1)
			ha_warn(c, "%s: %s", value, strerror(errno));
		return 0;
	}
	while ((ch = getc(fp)) == 0)
		ha_banner_add(a, "", 1);
	if (ch != EOF)
		(void)ungetc(ch, fp);
	ibuf = xmalloc(HA_BANNERLEN);
	obuf = xmalloc(2 * HA_BANNERLEN);
	while (fgets(ibuf, HA_BANNERLEN - 1, fp) != NULL) {
		if (ha_split(ibuf, '\n') != NULL)
			(void)strlcat(ibuf, "\r\n", HA_BANNERLEN);
		if (ha_expand(c, ibuf, obuf, 2 * HA_BANNERLEN) == -1) {
			rc = -1;
			break;
		}
		ha_banner_add(a, obuf, strlen(obuf));
	}
	free(ibuf);
	free(obuf);
	(void)fclose(fp);
	return rc;
}

static int
ha_opt_group(struct ha_check *c, struct hosts_action *a, char *value)
{
	struct group	*gr;

	if ((gr = getgrnam(value)) == NULL) {
		ha_error(c, "unknown group: \"%s\"", value);
		return -1;
	}
	a->gid = gr->gr_gid;
	a->has_gid = 1;
	return 0;
}

/* user NAME[.GROUP] */
static int
ha_opt_user(struct ha_check *c, struct hosts_action *a, char *value)
{
	struct passwd	*pw;
	char		*group;

	if ((group = ha_split(value, '.')) != NULL &&
	    ha_opt_group(c, a, group) == -1)
		return -1;
	if ((pw = getpwnam(value)) == NULL) {
		ha_error(c, "unknown user: \"%s\"", value);
		return -1;
	}
	a->name = xstrdup(value);
	a->uid = pw->pw_uid;
	if (!a->has_gid)
		a->gid = pw->pw_gid;
	return 0;
}

static int
ha_opt_umask(struct ha_check *c, struct hosts_action *a, char *value)
{
	unsigned long	 mask;
	char		*end;

	mask = strtoul(value, &end, 8);
	if (end == value || *end != '\0' ||
	    ((unsigned int)mask & 0777) != (unsigned int)mask) {
		ha_error(c, "bad umask value: \"%s\"", value);
		return -1;
	}
	a->num = (long)mask;
	return 0;
}

static int
ha_opt_linger(struct ha_check *c, struct hosts_action *a, char *value)
{
	int	secs;

	if (ha_scan_int(value, &secs) == -1 || secs < 0) {
		ha_error(c, "bad linger value: \"%s\"", value);
		return -1;
	}
	a->num = secs;
	return 0;
}

/* aclexec CMD: the rule matches only if CMD exits 0. */
static int
ha_opt_aclexec(struct ha_check *c, struct hosts_action *a, char *value)
{
	int	status;

	a->num = -1;
	if (c->rq->aclexec == NULL)
		return 0;
	if (c->aclexec_dry) {
		c->aclexec_skipped = 1;
		c->aclexec_failed = 1;
		return 0;
	}
	status = c->rq->aclexec(c->rq->arg, value);
	a->num = status;
	if (status != -1 && WIFSIGNALED(status))
		ha_warn(c, "aclexec command exited with signal %d",
		    WTERMSIG(status));
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		c->aclexec_failed = 1;
	return 0;
}

static int
ha_opt_twist(struct ha_check *c, struct hosts_action *a, char *value)
{
	(void)value;
	/* libwrap execs it at once: nothing after it (it must be last). */
	c->v->twist = a->value;
	return 0;
}

static int
ha_opt_rfc931(struct ha_check *c, struct hosts_action *a, char *value)
{
	int	secs;

	if (value != NULL) {
		if (ha_scan_int(value, &secs) == -1 || secs <= 0) {
			ha_error(c, "bad rfc931 timeout: \"%s\"", value);
			return -1;
		}
		c->ident_timeout = secs;
	}
	a->num = c->ident_timeout;
	(void)ha_user(c);
	return 0;
}

/*
 * setenv NAME VALUE.  libwrap reports a name setenv(3) refuses (empty or
 * holding '=') as "memory allocation failure"; the verdict is the same.
 */
static int
ha_opt_setenv(struct ha_check *c, struct hosts_action *a, char *value)
{
	char	*val, *name;

	val = value + strcspn(value, HA_BLANKS);
	if (*val != '\0')
		*val++ = '\0';
	name = ha_chop(value);
	val = ha_chop(val);
	if (*name == '\0' || strchr(name, '=') != NULL) {
		ha_error(c, "bad setenv variable name: \"%s\"", name);
		return -1;
	}
	a->name = xstrdup(name);
	a->text = xstrdup(val);
	a->len = strlen(val);
	return 0;
}

static int
ha_opt_nice(struct ha_check *c, struct hosts_action *a, char *value)
{
	int	n = 10;

	if (value != NULL && ha_scan_int(value, &n) == -1) {
		ha_error(c, "bad nice value: \"%s\"", value);
		return -1;
	}
	a->num = n;
	return 0;
}

struct ha_syslog_name {
	const char	*name;
	int		 value;
};

/* libwrap's tables: note that authpriv, ftp and syslog are not here. */
static const struct ha_syslog_name ha_facilities[] = {
	{ "kern", LOG_KERN }, { "user", LOG_USER }, { "mail", LOG_MAIL },
	{ "daemon", LOG_DAEMON }, { "auth", LOG_AUTH }, { "lpr", LOG_LPR },
	{ "news", LOG_NEWS }, { "uucp", LOG_UUCP }, { "cron", LOG_CRON },
	{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
	{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
	{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
	{ NULL, 0 }
};

static const struct ha_syslog_name ha_levels[] = {
	{ "emerg", LOG_EMERG }, { "alert", LOG_ALERT }, { "crit", LOG_CRIT },
	{ "err", LOG_ERR }, { "warning", LOG_WARNING },
	{ "notice", LOG_NOTICE }, { "info", LOG_INFO },
	{ "debug", LOG_DEBUG },
	{ NULL, 0 }
};

static int
ha_syslog_value(const struct ha_syslog_name *t, const char *name)
{
	for (; t->name != NULL; t++)
		if (ha_eq(t->name, name))
			return t->value;
	return -1;
}

/* severity [FACILITY.]LEVEL: the priority the verdict is logged at. */
static int
ha_opt_severity(struct ha_check *c, struct hosts_action *a, char *value)
{
	char	*level = ha_split(value, '.');
	int	 fac = 0, lev;

	if (level != NULL &&
	    (fac = ha_syslog_value(ha_facilities, value)) == -1) {
		ha_error(c, "bad syslog facility or severity: \"%s\"", value);
		return -1;
	}
	if ((lev = ha_syslog_value(ha_levels, level != NULL ? level :
	    value)) == -1) {
		ha_error(c, "bad syslog facility or severity: \"%s\"",
		    level != NULL ? level : value);
		return -1;
	}
	a->num = fac | lev;
	c->v->severity = fac | lev;
	return 0;
}

static const struct ha_option ha_options[] = {
	{ "user", HOSTS_ACT_USER, OPT_NEED_ARG, ha_opt_user },
	{ "group", HOSTS_ACT_GROUP, OPT_NEED_ARG, ha_opt_group },
	{ "umask", HOSTS_ACT_UMASK, OPT_NEED_ARG, ha_opt_umask },
	{ "linger", HOSTS_ACT_LINGER, OPT_NEED_ARG, ha_opt_linger },
	{ "keepalive", HOSTS_ACT_KEEPALIVE, 0, NULL },
	{ "aclexec", HOSTS_ACT_ACLEXEC, OPT_NEED_ARG | OPT_EXPAND,
	    ha_opt_aclexec },
	{ "spawn", HOSTS_ACT_SPAWN, OPT_NEED_ARG | OPT_EXPAND, NULL },
	{ "twist", HOSTS_ACT_TWIST, OPT_NEED_ARG | OPT_EXPAND | OPT_USE_LAST,
	    ha_opt_twist },
	{ "rfc931", HOSTS_ACT_RFC931, OPT_OPT_ARG, ha_opt_rfc931 },
	{ "setenv", HOSTS_ACT_SETENV, OPT_NEED_ARG | OPT_EXPAND,
	    ha_opt_setenv },
	{ "nice", HOSTS_ACT_NICE, OPT_OPT_ARG, ha_opt_nice },
	{ "severity", HOSTS_ACT_SEVERITY, OPT_NEED_ARG, ha_opt_severity },
	{ "allow", HOSTS_ACT_ALLOW, OPT_USE_LAST, NULL },
	{ "deny", HOSTS_ACT_DENY, OPT_USE_LAST, NULL },
	{ "banners", HOSTS_ACT_BANNER, OPT_NEED_ARG, ha_opt_banners },
	{ NULL, HOSTS_ACT_INVALID, 0, NULL }
};

/*
 * The next ':'-separated option field of *state; "\:" stands for a
 * colon inside a field.  NULL when nothing is left.
 */
static char *
ha_field(struct ha_check *c, char **state)
{
	char	*src = *state, *dst = *state, *ret = *state;

	if (*src == '\0')
		return NULL;
	while (*src != '\0') {
		if (*src == ':') {
			if (*++src == '\0')
				ha_warn(c, "rule ends in \":\"");
			break;
		}
		if (src[0] == '\\' && src[1] == ':')
			src++;
		*dst++ = *src++;
	}
	*state = src;
	*dst = '\0';
	return ret;
}

/*
 * "name value", "name=value" or "name = value": libwrap drops one '='
 * between name and value.
 */
static void
ha_option_split(char *opt, char **key, char **value)
{
	char	*v;

	opt = ha_chop(opt);
	v = opt + strcspn(opt, "=" HA_BLANKS);
	if (*v != '\0' && *v != '=') {
		*v++ = '\0';
		v += strspn(v, HA_BLANKS);
	}
	if (*v == '=') {
		*v++ = '\0';
		v += strspn(v, HA_BLANKS);
	}
	*key = opt;
	*value = *v != '\0' ? v : NULL;
}

static struct hosts_action *
ha_action_add(struct ha_check *c, const char *key, const char *value)
{
	struct hosts_verdict	*v = c->v;
	struct hosts_action	*a;

	v->actions = xreallocarray(v->actions, v->nactions + 1,
	    sizeof(*v->actions));
	a = &v->actions[v->nactions++];
	memset(a, 0, sizeof(*a));
	a->type = HOSTS_ACT_INVALID;
	a->key = xstrdup(key);
	a->value = value != NULL ? xstrdup(value) : NULL;
	return a;
}

/* Check one option's form before its handler sees it. */
static int
ha_option_check(struct ha_check *c, const struct ha_option *op,
    const char *key, const char *value, const char *next)
{
	if (op->name == NULL)
		ha_error(c, "bad option name: \"%s\"", key);
	else if (value == NULL && (op->flags & OPT_NEED_ARG))
		ha_error(c, "option \"%s\" requires value", key);
	else if (value != NULL &&
	    !(op->flags & (OPT_NEED_ARG | OPT_OPT_ARG)))
		ha_error(c, "option \"%s\" requires no value", key);
	else if (next != NULL && (op->flags & OPT_USE_LAST))
		ha_error(c, "option \"%s\" must be at end", key);
	else
		return 0;
	return -1;
}

/*
 * Run the options of the matching rule in order.  An error anywhere
 * denies, as in libwrap, and so do the options after a deny.
 */
static int
ha_options_run(struct ha_check *c, char *opts)
{
	const struct ha_option	*op;
	struct hosts_action	*a;
	char			*cur, *next, *key, *value, *state = opts;
	char			*buf;
	int			 rc = HA_YES;

	buf = xmalloc(HA_EXPANDLEN);
	for (cur = ha_field(c, &state); cur != NULL; cur = next) {
		next = ha_field(c, &state);
		ha_option_split(cur, &key, &value);
		if (*key == '\0') {
			ha_error(c, "missing option name");
			rc = HA_DENY;
			break;
		}
		for (op = ha_options; op->name != NULL; op++)
			if (ha_eq(op->name, key))
				break;
		if (ha_option_check(c, op, key, value, next) == -1) {
			rc = HA_DENY;
			break;
		}
		if (value != NULL && (op->flags & OPT_EXPAND)) {
			if (ha_expand(c, value, buf, HA_EXPANDLEN) == -1) {
				rc = HA_DENY;
				break;
			}
			value = ha_chop(buf);
		}
		/* Handlers may cut value up: the action keeps it whole. */
		a = ha_action_add(c, key, value);
		if (op->fn != NULL && op->fn(c, a, value) == -1) {
			rc = HA_DENY;
			break;
		}
		a->type = op->type;
		if (op->type == HOSTS_ACT_ALLOW || op->type == HOSTS_ACT_DENY) {
			rc = op->type == HOSTS_ACT_ALLOW ? HA_PERMIT : HA_DENY;
			break;
		}
	}
	free(buf);
	/* A failed aclexec unmatches its own rule, not the ones after it. */
	if (rc == HA_YES && c->aclexec_failed)
		rc = HA_NO;
	c->aclexec_failed = 0;
	return rc;
}

/* --- tables ---------------------------------------------------------- */

/*
 * One logical line into buf (which keeps its newline), joining lines
 * that end in a backslash.  The buffer bounds the logical line the way
 * libwrap's does; a line that does not fit comes back without its
 * newline, and so does a last line that lacks one.
 */
static char *
ha_getline(struct ha_check *c, char *buf, int size, FILE *fp)
{
	char	*p = buf;
	size_t	 got;

	while (fgets(p, size, fp) != NULL) {
		got = strlen(p);
		if (got > 0 && p[got - 1] == '\n') {
			c->line++;
			if (got < 2 || p[got - 2] != '\\')
				return buf;
			got -= 2;
		}
		p += got;
		size -= (int)got;
		if (size == 1)
			return buf;
		*p = '\0';
	}
	return p > buf ? buf : NULL;
}

/*
 * Scan one table for the first rule matching the request.  HA_ERR means
 * the table could not be read to the end: libwrap then skips to
 * hosts.deny from hosts.allow, and denies from hosts.deny.
 */
static int
ha_table(struct ha_check *c, const char *path)
{
	char	 line[HA_LINELEN], *clients, *opts = NULL;
	FILE	*fp;
	int	 match = HA_NO;

	if ((fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return HA_NO;
		ha_error(c, "cannot open %s: %s", path, strerror(errno));
		return HA_ERR;
	}
	c->file = path;
	c->line = 0;
	while (match == HA_NO &&
	    ha_getline(c, line, sizeof(line), fp) != NULL) {
		if (line[strlen(line) - 1] != '\n') {
			c->line++;
			ha_error(c, "line too long or without newline; "
			    "this and the rules after it are ignored");
			match = HA_ERR;
			break;
		}
		if (line[0] == '#' || line[strspn(line, HA_BLANKS)] == '\0')
			continue;
		if ((clients = ha_split(line, ':')) == NULL) {
			ha_warn(c, "missing \":\" separator, rule ignored");
			continue;
		}
		opts = ha_split(clients, ':');
		match = ha_list_match(c, line, ha_server_match) &&
		    ha_list_match(c, clients, ha_client_match);
	}
	(void)fclose(fp);
	if (match == HA_YES) {
		c->v->file = path;
		c->v->line = c->line;
		if (opts != NULL)
			match = ha_options_run(c, opts);
		if (match == HA_NO) {
			c->v->file = NULL;
			c->v->line = 0;
		}
	}
	c->file = NULL;
	return match;
}

/* --- the check ------------------------------------------------------- */

static void
ha_check_init(struct ha_check *c, const struct hosts_request *rq,
    struct hosts_verdict *v)
{
	memset(c, 0, sizeof(*c));
	memset(v, 0, sizeof(*v));
	c->rq = rq;
	c->v = v;
	ha_host_init(&c->client, rq->client_sa, rq->client_addr,
	    rq->client_name);
	ha_host_init(&c->server, rq->server_sa, rq->server_addr,
	    rq->server_name);
	(void)strlcpy(c->daemon, rq->daemon != NULL ? rq->daemon : unknown,
	    sizeof(c->daemon));
	if (rq->user != NULL) {
		(void)strlcpy(c->user, rq->user[0] != '\0' ? rq->user :
		    unknown, sizeof(c->user));
		c->have_user = 1;
	}
	c->ident_timeout = rq->ident_timeout > 0 ? rq->ident_timeout :
	    HA_IDENT_TIMEOUT;
	v->severity = -1;
}

/* Copy what the check learned into the verdict, for logs and reports. */
static void
ha_check_report(struct ha_check *c)
{
	struct hosts_verdict	*v = c->v;

	ha_client_info(c, v->client, sizeof(v->client));
	if (c->client.have_addr)
		(void)strlcpy(v->client_addr, c->client.addr,
		    sizeof(v->client_addr));
	if (c->client.have_name)
		(void)strlcpy(v->client_name, c->client.name,
		    sizeof(v->client_name));
	if (c->server.have_addr)
		(void)strlcpy(v->server_addr, c->server.addr,
		    sizeof(v->server_addr));
	if (c->server.have_name)
		(void)strlcpy(v->server_name, c->server.name,
		    sizeof(v->server_name));
	if (c->have_user)
		(void)strlcpy(v->user, c->user, sizeof(v->user));
	(void)strlcpy(v->daemon, c->daemon, sizeof(v->daemon));
	if (v->severity == -1)
		v->severity = v->access == HOSTS_GRANTED ?
		    HOSTS_ALLOW_SEVERITY : HOSTS_DENY_SEVERITY;
}

/* Read both tables: the verdict, in c's. */
static void
ha_decide(struct ha_check *c)
{
	const struct hosts_request	*rq = c->rq;
	struct hosts_verdict		*v = c->v;
	int				 r;

	if (rq->flags & HOSTS_EAGER) {
		(void)ha_addr(c, &c->client);
		(void)ha_addr(c, &c->server);
		if (c->client.sslen != 0 &&
		    ha_eq(ha_name(c, &c->client), unknown))
			ha_warn(c, "host address %s->name lookup failed",
			    c->client.addr);
		if (c->server.sslen != 0 &&
		    ha_eq(ha_name(c, &c->server), unknown))
			ha_warn(c, "host address %s->name lookup failed",
			    c->server.addr);
	}
	r = ha_table(c, rq->allow_file != NULL ? rq->allow_file :
	    HOSTS_ALLOW_FILE);
	if (r == HA_YES || r == HA_PERMIT)
		v->access = HOSTS_GRANTED;
	else if (r == HA_DENY)
		v->access = HOSTS_DENIED;
	else {
		r = ha_table(c, rq->deny_file != NULL ? rq->deny_file :
		    HOSTS_DENY_FILE);
		v->access = r == HA_NO || r == HA_PERMIT ? HOSTS_GRANTED :
		    HOSTS_DENIED;
	}
	ha_check_report(c);
}

/*
 * A check that may be deferred (HOSTS_DEFERIDENT, HOSTS_DEFERNAME) and
 * done again runs no aclexec command until it is final: a first pass
 * takes every aclexec as failed (so it finds every name or user a live
 * pass could need), and only when it needed none and skipped a command
 * does a second pass run them.  Each command runs once per connection.
 */
enum hosts_access
hosts_access_check(const struct hosts_request *rq, struct hosts_verdict *v)
{
	struct ha_check	 c;

	ha_check_init(&c, rq, v);
	if (rq->flags & (HOSTS_DEFERIDENT | HOSTS_DEFERNAME)) {
		c.aclexec_dry = 1;
		ha_decide(&c);
		if (v->user_wanted || v->name_wanted || !c.aclexec_skipped)
			return v->access;
		hosts_verdict_free(v);
		ha_check_init(&c, rq, v);
	}
	ha_decide(&c);
	return v->access;
}

/*
 * A client's name as a check finds it, in two steps, for the callers of
 * HOSTS_DEFERNAME (in a process that may wait).  hosts_lookup_name gives
 * the reverse lookup's answer as it came: 0, or -1 when there is none
 * (the rules then see "unknown").  hosts_verify_name gives the name the
 * rules see for that answer: itself if the double check holds, else
 * "paranoid".  Warnings go to rq's diag, as in a check.
 */
int
hosts_lookup_name(const struct hosts_request *rq, char *ptr, size_t ptrlen)
{
	struct ha_check		c;
	struct hosts_verdict	v;

	ha_check_init(&c, rq, &v);
	ptr[0] = '\0';
	if (c.client.sslen == 0 || ha_reverse(&c.client, ptr, ptrlen) == -1) {
		ptr[0] = '\0';
		return -1;
	}
	return 0;
}

void
hosts_verify_name(const struct hosts_request *rq, const char *ptr,
    char *name, size_t namelen)
{
	struct ha_check		c;
	struct hosts_verdict	v;

	ha_check_init(&c, rq, &v);
	ha_verify(&c, &c.client, ptr);
	(void)strlcpy(name, c.client.name, namelen);
}

void
hosts_verdict_free(struct hosts_verdict *v)
{
	size_t	i;

	for (i = 0; i < v->nactions; i++) {
		free(v->actions[i].key);
		free(v->actions[i].value);
		free(v->actions[i].name);
		free(v->actions[i].text);
	}
	free(v->actions);
	v->actions = NULL;
	v->nactions = 0;
	v->twist = NULL;
}

/*
 * The line tcpd logs for a verdict, "connect from user@host" or "refused
 * connect from user@host", into buf; returns its syslog priority: the
 * verdict's severity, in facility unless a severity option named one
 * (inetd passes LOG_AUTHPRIV, where auth.log and secure get it).
 */
int
hosts_verdict_logline(const struct hosts_verdict *v, int facility, char *buf,
    size_t size)
{
	(void)snprintf(buf, size, "%sconnect from %s",
	    v->access == HOSTS_GRANTED ? "" : "refused ", v->client);
	if (LOG_FAC(v->severity) != 0)
		return v->severity;
	return v->severity | facility;
}

/*
 * Whether libwrap takes text as a client address as it is written: four
 * inet_addr(3) parts (so 010.0.0.1 too) or an IPv6 literal.  tcpdmatch
 * matches such a client by that text, without a name lookup.
 */
int
hosts_addr_literal(const char *text)
{
	struct in6_addr	a6;
	uint32_t	a4;

	return ha_dotquad(text, &a4) == 0 || ha_inet6(text, &a6) == 0;
}

/*
 * Run cmd by /bin/sh -c with stdio on /dev/null and wait for it, as
 * libwrap runs spawn commands.  Returns the wait status, or -1.
 */
int
hosts_shell_run(const char *cmd)
{
	return hosts_shell_run_as(cmd, NULL);
}

/*
 * The same as the user and group in id (NULL: as this process is), the
 * way libwrap runs the spawn commands that follow a user option: it has
 * already switched to that user.  A command that cannot be switched does
 * not run (status 127).
 */
int
hosts_shell_run_as(const char *cmd, const struct privdrop_id *id)
{
	sigset_t	all;
	char		err[128];
	pid_t		pid;
	int		status, fd;

	switch ((pid = fork())) {
	case -1:
		return -1;
	case 0:
		(void)signal(SIGHUP, SIG_IGN);
		(void)signal(SIGPIPE, SIG_DFL);
		(void)signal(SIGCHLD, SIG_DFL);
		(void)sigemptyset(&all);
		(void)sigprocmask(SIG_SETMASK, &all, NULL);
		if ((fd = open("/dev/null", O_RDWR)) == -1 ||
		    dup2(fd, 0) == -1 || dup2(fd, 1) == -1 ||
		    dup2(fd, 2) == -1)
			_exit(127);
		closefrom(3);
		if (id != NULL && privdrop_apply(id, err, sizeof(err)) == -1)
			_exit(127);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	return status;
}
