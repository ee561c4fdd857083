/*
 * select.c: lsof's search items (-p -g -u -c -d -i -s -U, file names)
 * and the rules that combine them.
 *
 * As in lsof 4.95, "^" items exclude a process before anything else;
 * the remaining items are ORed unless -a is given, when every kind named
 * must match.  Process items (-p -g -u -c) are decided once per process,
 * file items (-d -i -U names +L) per file.  Each item remembers whether
 * it matched, for the exit status and -V.  A back end gathers whatever
 * may be selected (select_proc_match(), select_fd_match() let it skip
 * the rest); select_list() then makes the selection, in one thread.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xmalloc.h"
#include "lsof.h"
#include "guard.h"
#include "mounts.h"
#include "resolve.h"

static const char *const tcp_states[] = {
	NULL, "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
	"FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK",
	"LISTEN", "CLOSING", "CLOSED"
};

const char *
select_tcp_state_name(int st)
{
	if (st > 0 && (size_t)st < nitems(tcp_states))
		return tcp_states[st];
	return NULL;
}

int
select_tcp_state(const char *name)
{
	size_t	i;

	for (i = 1; i < nitems(tcp_states); i++)
		if (strcasecmp(name, tcp_states[i]) == 0)
			return (int)i;
	return -1;
}

static int
parse_long(const char *s, size_t len, long *v)
{
	char	buf[32], *ep;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!isdigit((unsigned char)buf[0]))
		return -1;
	errno = 0;
	*v = strtol(buf, &ep, 10);
	if (*ep != '\0' || errno != 0 || *v < 0 || *v > INT_MAX)
		return -1;
	return 0;
}

/* Add an id; 0, or -1 when it is already there with the other sense. */
static int
idsel_add(struct idsel **list, size_t *n, long id, const char *name,
    int excl)
{
	size_t	i;

	for (i = 0; i < *n; i++) {
		if ((*list)[i].id != id)
			continue;
		return (*list)[i].excl == excl ? 0 : -1;
	}
	*list = xreallocarray(*list, *n + 1, sizeof(**list));
	(*list)[*n].id = id;
	(*list)[*n].name = name ? xstrdup(name) : NULL;
	(*list)[*n].excl = excl;
	(*list)[*n].found = 0;
	(*n)++;
	return 0;
}

/* -p and -g: "1,^2,3". */
int
select_parse_pids(struct opts *o, const char *arg, int pgid)
{
	const char	*p = arg, *e;
	long		 v;
	int		 excl;

	for (; *p != '\0'; p = *e ? e + 1 : e) {
		e = p + strcspn(p, ",");
		excl = *p == '^';
		/* 4.95 reads an empty -p item as PID 0 (and skips -g's). */
		if (e == p + excl && pgid)
			continue;
		if (e == p + excl)
			v = 0;
		else if (parse_long(p + excl, (size_t)(e - p - excl),
		    &v) == -1) {
			fprintf(stderr, "lsof: illegal process%s ID: %s\n",
			    pgid ? " group" : "", arg);
			return -1;
		}
		if (idsel_add(pgid ? &o->pgids : &o->pids,
		    pgid ? &o->npgids : &o->npids, v, NULL, excl) == -1) {
			fprintf(stderr, "lsof: %s %ld has been included and "
			    "excluded.\n", pgid ? "PGID" : "PID", v);
			return -1;
		}
		if (!excl)
			o->selflags |= pgid ? SEL_PGID : SEL_PID;
	}
	return 0;
}

/* -u: login names or UIDs, "^" excludes. */
int
select_parse_uids(struct opts *o, const char *arg)
{
	struct passwd	*pw;
	const char	*p = arg, *e;
	char		 name[256];
	long		 v;
	int		 excl, isname;
	size_t		 len;

	for (; *p != '\0'; p = *e ? e + 1 : e) {
		e = p + strcspn(p, ",");
		if (e == p)
			continue;
		excl = *p == '^';
		len = (size_t)(e - p - excl);
		if (len >= sizeof(name))
			len = sizeof(name) - 1;
		memcpy(name, p + excl, len);
		name[len] = '\0';
		isname = parse_long(name, len, &v) == -1;
		if (isname) {
			if ((pw = getpwnam(name)) == NULL) {
				fprintf(stderr, "lsof: can't get UID for %s\n",
				    name);
				return -1;
			}
			v = (long)pw->pw_uid;
		}
		if (idsel_add(&o->uids, &o->nuids, v, isname ? name : NULL,
		    excl) == -1) {
			fprintf(stderr, "lsof: UID %ld has been included and "
			    "excluded.\n", v);
			return -1;
		}
		if (!excl)
			o->selflags |= SEL_UID;
	}
	return 0;
}

/* -c: a command prefix, "^prefix", or "/regex/[bix]". */
int
select_parse_cmd(struct opts *o, const char *arg)
{
	struct cmdsel	*c;
	const char	*p = arg, *end;
	char		*re;
	int		 excl = 0, cflags = REG_NOSUB, rc;
	size_t		 len = strlen(arg);

	o->cmds = xreallocarray(o->cmds, o->ncmds + 1, sizeof(*o->cmds));
	c = &o->cmds[o->ncmds];
	memset(c, 0, sizeof(*c));
	if (len >= 2 && p[0] == '/' && (end = strrchr(p + 1, '/')) != NULL) {
		for (re = (char *)end + 1; *re != '\0'; re++) {
			if (*re == 'i')
				cflags |= REG_ICASE;
			else if (*re == 'x')
				cflags |= REG_EXTENDED;
			else if (*re != 'b') {
				fprintf(stderr, "lsof: invalid regexp "
				    "modifier: %c\n", *re);
				return -1;
			}
			if (strchr(end + 1, *re) != re) {
				fprintf(stderr, "lsof: %c regexp modifier "
				    "already used: %s\n", *re, arg);
				return -1;
			}
		}
		re = xstrndup(p + 1, (size_t)(end - p - 1));
		if ((rc = regcomp(&c->re, re, cflags)) != 0) {
			char	msg[256];

			regerror(rc, &c->re, msg, sizeof(msg));
			fprintf(stderr, "lsof: regular expression error: %s: "
			    "%s\n", msg, re);
			free(re);
			return -1;
		}
		c->str = re;
		c->is_re = 1;
	} else {
		excl = *p == '^';
		if (strlen(p + excl) > CMDMAX) {
			fprintf(stderr, "lsof: \"-c %s\" length (%zu) > what "
			    "system provides (%d)\n", p + excl,
			    strlen(p + excl), CMDMAX);
			return -1;
		}
		c->str = xstrdup(p + excl);
		c->excl = excl;
	}
	o->ncmds++;
	if (!excl)
		o->selflags |= SEL_CMD;
	return 0;
}

static int
digits_only(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* The value of len decimal digits, capped at INT_MAX. */
static long
num_of(const char *s, size_t len)
{
	long	v = 0;
	size_t	i;

	for (i = 0; i < len; i++)
		if ((v = v * 10 + (s[i] - '0')) > INT_MAX)
			v = INT_MAX;
	return v;
}

/* -d: "cwd,txt,0-3" or "^0-2,^mem"; include and exclude do not mix. */
int
select_parse_fds(struct opts *o, const char *arg)
{
	struct fdsel	 f;
	const char	*p = arg, *e, *dash;
	long		 lo, hi;
	int		 excl;
	size_t		 len;

	for (; *p != '\0'; p = *e ? e + 1 : e) {
		e = p + strcspn(p, ",");
		if (e == p)
			continue;
		excl = *p == '^';
		if (o->nfds > 0 && excl != o->fd_excl) {
			fprintf(stderr, "lsof: %s in an %s -d list: %.*s\n",
			    excl ? "exclude" : "include",
			    excl ? "include" : "exclude", (int)(e - p), p);
			return -1;
		}
		o->fd_excl = excl;
		p += excl;
		len = (size_t)(e - p);
		memset(&f, 0, sizeof(f));
		if (*p == '-') {
			fprintf(stderr, "lsof: illegal FD range for -d: %.*s\n",
			    (int)len, p);
			return -1;
		}
		if ((dash = memchr(p, '-', len)) != NULL) {
			/* 4.95: "1-" is 1 to 0, and a range must go up. */
			if (!digits_only(p, (size_t)(dash - p)) ||
			    !digits_only(dash + 1, (size_t)(e - dash - 1))) {
				fprintf(stderr, "lsof: non-digit in -d FD "
				    "range: %.*s\n", (int)len, p);
				return -1;
			}
			lo = num_of(p, (size_t)(dash - p));
			hi = num_of(dash + 1, (size_t)(e - dash - 1));
			if (lo >= hi) {
				fprintf(stderr, "lsof: -d FD range's low >= "
				    "its high: %.*s\n", (int)len, p);
				return -1;
			}
			f.lo = (int)lo;
			f.hi = (int)hi;
		} else if (digits_only(p, len)) {
			f.lo = f.hi = (int)num_of(p, len);
		} else {
			/* Any other word is a name; one 4.95 never gives
			 * matches nothing. */
			f.lo = -1;
			snprintf(f.name, sizeof(f.name), "%.*s", len <
			    sizeof(f.name) ? (int)len : 0, p);
		}
		o->fds = xreallocarray(o->fds, o->nfds + 1, sizeof(*o->fds));
		o->fds[o->nfds++] = f;
	}
	/* An exclusion list selects too: every descriptor it leaves out. */
	if (o->nfds > 0)
		o->selflags |= SEL_FD;
	return 0;
}

static int
fd_in_list(const struct opts *o, const char *fdname, int fdnum)
{
	size_t	i;

	for (i = 0; i < o->nfds; i++) {
		if (o->fds[i].lo >= 0) {
			if (fdnum >= o->fds[i].lo && fdnum <= o->fds[i].hi)
				return 1;
		} else if (strcmp(o->fds[i].name, fdname) == 0 ||
		    (fdnum >= 0 && strcmp(o->fds[i].name, "fd") == 0))
			return 1;
	}
	return 0;
}

/*
 * Whether a descriptor matches the -d list.  As in lsof 4.95, a list of
 * "^" items is a search item like any other that matches every
 * descriptor it does not name: "-p 1 -d ^txt" lists all of process 1
 * and the files but txt of every other process, "-a -p 1 -d ^txt" the
 * files but txt of process 1.
 */
int
select_fd_match(const struct opts *o, const char *fdname, int fdnum)
{
	if (o->nfds == 0)
		return 0;
	return fd_in_list(o, fdname, fdnum) != o->fd_excl;
}

/* The services(5) protocol name of an -i protocol. */
static const char *
proto_name(int proto)
{
	switch (proto) {
	case IPPROTO_TCP:	return "tcp";
	case IPPROTO_UDP:	return "udp";
	case IPPROTO_UDPLITE:	return "udplite";
	default:		return "";
	}
}

static int
port_lookup(const char *s, size_t len, int proto, int *port)
{
	struct servent	*se;
	char		 buf[64];
	long		 v;

	if (parse_long(s, len, &v) == 0) {
		if (v > 65535)
			return -1;
		*port = (int)v;
		return 0;
	}
	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if ((se = getservbyname(buf, proto ? proto_name(proto) : "tcp")) ==
	    NULL && (proto != 0 || (se = getservbyname(buf, "udp")) == NULL))
		return -1;
	*port = ntohs((uint16_t)se->s_port);
	return 0;
}

static void
net_add(struct opts *o, const struct netsel *n)
{
	o->nets = xreallocarray(o->nets, o->nnets + 1, sizeof(*o->nets));
	o->nets[o->nnets++] = *n;
}

/* An IPv4 address in the v4-mapped form addresses are kept in. */
static void
addr_mapped(struct in6_addr *a, const void *v4)
{
	memset(a, 0, sizeof(*a));
	a->s6_addr[10] = a->s6_addr[11] = 0xff;
	memcpy(&a->s6_addr[12], v4, 4);
}

/*
 * The host part of -i: "[::1]", "127.0.0.1" or a name; one or more
 * addresses.  Returns the family of a numeric address (an IPv4-mapped
 * IPv6 one is IPv4, as 4.95 takes it), 0 for a name, or -1.
 */
static int
net_hosts(const char *host, int family, struct in6_addr **addrs,
    size_t *naddrs)
{
	struct addrinfo	 hints, *res, *ai;
	struct in6_addr	 a;
	struct in_addr	 a4;
	char		 buf[NI_MAXHOST];
	size_t		 len = strlen(host);

	*addrs = NULL;
	*naddrs = 0;
	if (host[0] == '[') {
		if (len < 3 || host[len - 1] != ']' || len - 2 >= sizeof(buf))
			return -1;
		memcpy(buf, host + 1, len - 2);
		buf[len - 2] = '\0';
		if (inet_pton(AF_INET6, buf, &a) != 1)
			return -1;
		*addrs = xmalloc(sizeof(a));
		**addrs = a;
		*naddrs = 1;
		return IN6_IS_ADDR_V4MAPPED(&a) ? AF_INET : AF_INET6;
	}
	if (inet_pton(AF_INET, host, &a4) == 1) {
		*addrs = xmalloc(sizeof(a));
		addr_mapped(*addrs, &a4);
		*naddrs = 1;
		return AF_INET;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family ? family : AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return -1;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET)
			addr_mapped(&a, &((struct sockaddr_in *)
			    ai->ai_addr)->sin_addr);
		else if (ai->ai_family == AF_INET6)
			a = ((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		else
			continue;
		*addrs = xreallocarray(*addrs, *naddrs + 1, sizeof(a));
		(*addrs)[(*naddrs)++] = a;
	}
	freeaddrinfo(res);
	return *naddrs > 0 ? 0 : -1;
}

/* The pieces of an -i item as they are read. */
struct netparse {
	struct netsel	 n;
	struct in6_addr	*addrs;
	size_t		 naddrs;
	int		*ports;		/* lo, hi pairs */
	size_t		 nports;
};

/* [46][proto]: 0, or -1 having said why. */
static int
net_parse_proto(struct netparse *np, const char **pp, const char *arg)
{
	const char	*p = *pp;
	size_t		 len;

	if (*p == '4' || *p == '6')
		np->n.family = *p++ == '4' ? AF_INET : AF_INET6;
	if ((len = strcspn(p, "@:")) > 0) {
		if (len == 3 && strncasecmp(p, "tcp", 3) == 0)
			np->n.proto = IPPROTO_TCP;
		else if (len == 3 && strncasecmp(p, "udp", 3) == 0)
			np->n.proto = IPPROTO_UDP;
		else if (len == 7 && strncasecmp(p, "udplite", 7) == 0)
			np->n.proto = IPPROTO_UDPLITE;
		else {
			fprintf(stderr, "lsof: unknown protocol name (%.*s) "
			    "in: -i %s\n", (int)len, p, arg);
			return -1;
		}
	}
	*pp = p + len;
	return 0;
}

/* @host: 0, or -1 having said why. */
static int
net_parse_host(struct netparse *np, const char **pp, const char *arg)
{
	const char	*p = *pp + 1, *q;
	char		 host[NI_MAXHOST];
	size_t		 len;
	int		 fam;

	if (*p == '[')
		q = strchr(p, ']') ? strchr(p, ']') + 1 : p + strlen(p);
	else
		q = p + strcspn(p, ":");
	len = (size_t)(q - p);
	if (len >= sizeof(host))
		len = sizeof(host) - 1;
	memcpy(host, p, len);
	host[len] = '\0';
	if (len == 0 || (*q != ':' && *q != '\0') || (fam = net_hosts(host,
	    np->n.family, &np->addrs, &np->naddrs)) == -1) {
		fprintf(stderr, "lsof: unknown host name (%s) in: -i %s\n",
		    host, arg);
		return -1;
	}
	if (np->n.family != 0 && fam != 0 && fam != np->n.family) {
		fprintf(stderr, "lsof: IPv%d addresses are prohibited: -i %s\n",
		    fam == AF_INET ? 4 : 6, arg);
		return -1;
	}
	if (np->n.family == 0)
		np->n.family = fam;
	np->n.has_addr = 1;
	*pp = q;
	return 0;
}

/* :port[-port],service,...: 0, or -1 having said which part failed. */
static int
net_parse_ports(struct netparse *np, const char *p, const char *arg)
{
	const char	*e, *dash, *bad;
	size_t		 len;
	int		 lo, hi;

	for (; *p != '\0'; p = *e ? e + 1 : e) {
		e = p + strcspn(p, ",");
		dash = memchr(p, '-', (size_t)(e - p));
		bad = p;
		len = (size_t)(e - p);
		if (dash != NULL && isdigit((unsigned char)*p)) {
			if (port_lookup(p, (size_t)(dash - p), np->n.proto,
			    &lo) == -1)
				goto bad;
			/* The end of a range failed, or the range is wrong. */
			bad = dash + 1;
			len = (size_t)(e - dash - 1);
			if (port_lookup(dash + 1, len, np->n.proto,
			    &hi) == -1 || hi < lo)
				goto bad;
		} else if (port_lookup(p, len, np->n.proto, &lo) == -1)
			goto bad;
		else
			hi = lo;
		np->ports = xreallocarray(np->ports, np->nports + 1,
		    2 * sizeof(*np->ports));
		np->ports[2 * np->nports] = lo;
		np->ports[2 * np->nports++ + 1] = hi;
	}
	return 0;
bad:
	fprintf(stderr, "lsof: unknown service %.*s%s%s in: -i %s\n",
	    (int)len, bad, np->n.proto ? " for " : "",
	    proto_name(np->n.proto), arg);
	return -1;
}

/* -i [46][proto][@host][:port[-port],service...] */
int
select_parse_net(struct opts *o, const char *arg)
{
	struct netparse	 np;
	const char	*p = arg;
	size_t		 i, j;
	int		 rv = -1;

	memset(&np, 0, sizeof(np));
	np.n.plo = -1;
	if (net_parse_proto(&np, &p, arg) == -1 ||
	    (*p == '@' && net_parse_host(&np, &p, arg) == -1))
		goto done;
	if (*p == ':' && net_parse_ports(&np, p + 1, arg) == -1)
		goto done;
	rv = 0;
	if (!np.n.has_addr && np.nports == 0 && np.n.proto == 0) {
		/* "-i", "-i4", "-i6": every Internet file. */
		o->net_all = 1;
		if (np.n.family)
			o->netfamily = np.n.family;
		o->selflags |= SEL_NET;
		goto done;
	}
	/* One item for each port range and address, all known by arg. */
	for (i = 0; i < (np.nports ? np.nports : 1); i++)
		for (j = 0; j < (np.naddrs ? np.naddrs : 1); j++) {
			if (np.nports) {
				np.n.plo = np.ports[2 * i];
				np.n.phi = np.ports[2 * i + 1];
			}
			if (np.naddrs)
				np.n.addr = np.addrs[j];
			np.n.arg = xstrdup(arg);
			net_add(o, &np.n);
		}
	o->selflags |= SEL_NA;
done:
	free(np.addrs);
	free(np.ports);
	return rv;
}

/* -s TCP:LISTEN,^CLOSE_WAIT */
int
select_parse_state(struct opts *o, const char *arg)
{
	const char	*p, *e, *colon;
	char		 name[32];
	size_t		 len;
	unsigned int	 bit;
	int		 st, excl, udp;

	if ((colon = strchr(arg, ':')) == NULL ||
	    ((size_t)(colon - arg) != 3 || (strncasecmp(arg, "TCP", 3) != 0 &&
	    strncasecmp(arg, "UDP", 3) != 0))) {
		fprintf(stderr, "lsof: unknown -s protocol: \"%s\"\n", arg);
		return -1;
	}
	udp = strncasecmp(arg, "UDP", 3) == 0;
	if (colon[1] == '\0') {
		fprintf(stderr, "lsof: no %s state names in: %s\n",
		    udp ? "UDP" : "TCP", arg);
		return -1;
	}
	if (udp) {
		fprintf(stderr, "lsof: no UDP state names available: %s\n",
		    arg);
		return -1;
	}
	for (p = colon + 1; *p != '\0'; p = *e ? e + 1 : e) {
		e = p + strcspn(p, ",");
		excl = *p == '^';
		len = (size_t)(e - p - excl);
		if (len == 0 || len >= sizeof(name))
			goto bad;
		memcpy(name, p + excl, len);
		name[len] = '\0';
		if ((st = select_tcp_state(name)) == -1)
			goto bad;
		bit = 1u << st;
		if ((excl ? o->tcpstates.excl : o->tcpstates.incl) & bit) {
			fprintf(stderr, "lsof: duplicate TCP %s: %s\n",
			    excl ? "exclusion" : "inclusion", tcp_states[st]);
			return -1;
		}
		if (excl)
			o->tcpstates.excl |= bit;
		else
			o->tcpstates.incl |= bit;
		continue;
bad:
		fprintf(stderr, "lsof: unknown TCP state name: %.*s\n",
		    (int)(e - p - excl), p + excl);
		return -1;
	}
	o->has_tcpstates = 1;
	return 0;
}

/* Conflicts only visible once every option is read, in 4.95's words. */
int
select_check(struct opts *o)
{
	size_t	i, j;
	int	rv = 0;

	for (i = 0; i < o->ncmds; i++) {
		if (!o->cmds[i].excl)
			continue;
		for (j = 0; j < o->ncmds; j++)
			if (!o->cmds[j].excl && !o->cmds[j].is_re &&
			    strcmp(o->cmds[i].str, o->cmds[j].str) == 0) {
				fprintf(stderr, "lsof: -c^%s and -c%s "
				    "conflict.\n", o->cmds[i].str,
				    o->cmds[j].str);
				rv = -1;
			}
	}
	for (i = 1; i < nitems(tcp_states); i++)
		if ((o->tcpstates.incl & o->tcpstates.excl) & (1u << i)) {
			fprintf(stderr, "lsof: can't include and exclude TCP "
			    "state: %s\n", tcp_states[i]);
			rv = -1;
		}
	return rv;
}

static int
devino_cmp(const void *a, const void *b)
{
	const struct devino	*x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return 0;
}

/* As devino_cmp, and entries of one file in the order walked. */
static int
devino_sort_cmp(const void *a, const void *b)
{
	const struct devino	*x = a, *y = b;
	int			 c;

	if ((c = devino_cmp(a, b)) != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Each entry of a +d/+D walk is a search item of its own, as in lsof. */
static void
devino_add(struct namesel *ns, const struct stat *st, const char *path)
{
	struct devino	*d;

	ns->set = xreallocarray(ns->set, ns->nset + 1, sizeof(*ns->set));
	d = &ns->set[ns->nset++];
	memset(d, 0, sizeof(*d));
	d->dev = st->st_dev;
	d->ino = st->st_ino;
	d->path = xstrdup(path);
	d->seq = ns->nset - 1;
	d->is_sock = S_ISSOCK(st->st_mode);
	if (d->is_sock)
		ns->nsock++;
}

/* A +d/+D entry that cannot be examined, unless it vanished meanwhile. */
static void
walk_warn(const struct opts *o, const char *call, const char *path,
    const char *what)
{
	char	esc[PATH_MAX * 4];
	int	e = errno;

	if (e == ENOENT || o->nowarn)
		return;
	print_escape(esc, sizeof(esc), path, 0);
	fprintf(stderr, "lsof: WARNING: can't %s(%s)%s: %s\n", call, esc, what,
	    strerror(e));
}

/* Whether a directory reached through a link was walked already. */
static int
walk_seen(const struct namesel *ns, const struct stat *st)
{
	size_t	i;

	for (i = 0; i < ns->nset; i++)
		if (ns->set[i].dev == st->st_dev && ns->set[i].ino == st->st_ino)
			return 1;
	return 0;
}

/*
 * An entry as 4.95 takes it: lstat(2)ed; skipped on another file system
 * than the top directory's (unless -x f); a symbolic link skipped, or
 * with -x l stat(2)ed (4.95 spells "symbolc").  -1 to skip it.  A link
 * back to a directory already walked is not followed again: 4.95 walks
 * such a loop until the path is too long.
 */
static int
walk_stat(struct opts *o, const struct namesel *ns, const char *path,
    dev_t topdev, struct stat *st)
{
	if (guard_stat(o->guard, o, path, st, 0) == -1) {
		walk_warn(o, "lstat", path, "");
		return -1;
	}
	if (!o->xdev && st->st_dev != topdev)
		return -1;
	if (!S_ISLNK(st->st_mode))
		return 0;
	if (!o->xlink)
		return -1;
	if (guard_stat(o->guard, o, path, st, 1) == -1) {
		walk_warn(o, "stat", path, " symbolc link");
		return -1;
	}
	return S_ISDIR(st->st_mode) && walk_seen(ns, st) ? -1 : 0;
}

/*
 * +d/+D: the entries of a directory, and with +D of its subdirectories,
 * as 4.95 walks them: directories from a stack, the last found first,
 * each read whole before the next.
 */
static void
walk_dir(struct opts *o, struct namesel *ns, const char *top, dev_t topdev)
{
	struct dirent	 *de;
	struct stat	  st;
	DIR		 *d;
	char		**stk, *dir, *path;
	const char	 *sep;
	size_t		  nstk = 0, len;

	stk = xreallocarray(NULL, 1, sizeof(*stk));
	stk[nstk++] = xstrdup(top);
	while (nstk > 0) {
		dir = stk[--nstk];
		if ((d = opendir(dir)) == NULL) {
			walk_warn(o, "opendir", dir, "");
			free(dir);
			continue;
		}
		len = strlen(dir);
		sep = len > 0 && dir[len - 1] == '/' ? "" : "/";
		while ((de = readdir(d)) != NULL) {
			if (de->d_ino == 0 || strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			xasprintf(&path, "%s%s%s", dir, sep, de->d_name);
			if (walk_stat(o, ns, path, topdev, &st) == 0) {
				devino_add(ns, &st, path);
				if (S_ISDIR(st.st_mode) && ns->kind == NS_TREE) {
					stk = xreallocarray(stk, nstk + 1,
					    sizeof(*stk));
					stk[nstk++] = path;
					continue;
				}
			}
			free(path);
		}
		closedir(d);
		free(dir);
	}
	free(stk);
}

/* A name on stderr, escaped as lsof's safestrprt() does. */
static void
name_put(const char *prefix, const char *name, const char *suffix)
{
	char	esc[(PATH_MAX + 1) * 4 + 1];

	print_escape(esc, sizeof(esc), name, 0);
	fprintf(stderr, "%s%s%s", prefix, esc, suffix);
}

/*
 * Examine a name as 4.95 does: resolve its links (-1, with 4.95's words,
 * when that fails), strip an operand's trailing slashes, stat(2) it (-2
 * and errno when that fails).  With -b neither call is made; 4.95 says so
 * (unless -w) and fails as if stat(2) had said EAGAIN.  Between the two
 * calls of its first operand 4.95 reads its mount table, with its
 * warnings.  rep->path is the name to speak of, but after -1.
 */
static int
name_examine(struct opts *o, const char *arg, int operand,
    struct resolve_rep *rep)
{
	size_t	len;
	int	rv;

	if (!o->avoid_block) {
		rv = resolve_name(o, arg, operand ? RESOLVE_STRIP : 0, rep);
		if (rv != -1 && operand)
			mounts_check(o);
		errno = rep->err;
		return rv;
	}
	if (!o->nowarn)
		name_put("lsof: avoiding readlink(", arg,
		    "): -b was specified.\n");
	len = strlcpy(rep->path, arg, sizeof(rep->path));
	if (operand) {
		for (; len > 1 && rep->path[len - 1] == '/'; len--)
			rep->path[len - 1] = '\0';
		mounts_check(o);
	}
	/* With +f 4.95 finds no mount point to match, and asks no more. */
	if (!o->nowarn && !(operand && o->filesys == 2))
		fprintf(stderr, "lsof: avoiding stat(%s): -b was specified.\n",
		    rep->path);
	rep->err = errno = EAGAIN;
	return -2;
}

/* 4.95's words for a name it could not stat(2) (errno). */
static void
name_failed(const struct opts *o, const char *arg, int dir,
    const struct resolve_rep *rep)
{
	int	e = errno;

	/* +f: a name that cannot be examined is no mount point. */
	if (!dir && o->filesys == 2)
		name_put("lsof: not a file system: ", arg, "\n");
	else if (!dir && o->quiet_fail)
		;
	else if (!dir) {
		name_put("lsof: status error on ", rep->path, "");
		fprintf(stderr, ": %s\n", strerror(e));
	} else if (!o->nowarn) {
		name_put("lsof: WARNING: can't stat(", rep->path, "");
		fprintf(stderr, "): %s\n", strerror(e));
	}
}

/* A search item for a name. */
static void
name_add(struct opts *o, const struct namesel *ns, const char *arg,
    const char *path)
{
	o->names = xreallocarray(o->names, o->nnames + 1, sizeof(*o->names));
	o->names[o->nnames] = *ns;
	o->names[o->nnames].arg = xstrdup(arg);
	o->names[o->nnames].path = xstrdup(path);
	o->nnames++;
	o->selflags |= SEL_NAME;
}

/*
 * An operand that names mounted file systems, as 4.95 finds them in its
 * mount table: a mount point, or (when it is a block device, or with +f)
 * what one was mounted from.  One search item per mount found, the last
 * mounted first; the number found.
 */
static size_t
name_fs(struct opts *o, const char *arg, const char *path)
{
	const struct mount	*mp, **seen = NULL;
	struct namesel		 ns;
	size_t			 i, j, n = 0;

	if (o->filesys == 1 || o->mnt == NULL)
		return 0;
	for (i = o->mnt->n; i > 0; i--) {
		mp = &o->mnt->v[i - 1];
		if (strcmp(mp->dir, path) != 0 && (mp->fsres == NULL ||
		    (o->filesys != 2 && !S_ISBLK(mp->fs_mode)) ||
		    strcmp(mp->fsres, path) != 0))
			continue;
		for (j = 0; j < n; j++)
			if (strcmp(seen[j]->dir, mp->dir) == 0 &&
			    seen[j]->dev == mp->dev &&
			    seen[j]->rdev == mp->rdev &&
			    seen[j]->ino == mp->ino)
				break;
		if (j < n)
			continue;
		seen = xreallocarray(seen, n + 1, sizeof(*seen));
		seen[n++] = mp;
		memset(&ns, 0, sizeof(ns));
		ns.kind = NS_FS;
		ns.dev = mp->dev;
		ns.ino = mp->ino;
		ns.rdev = mp->rdev;
		name_add(o, &ns, arg, mp->dir);
	}
	free(seen);
	return n;
}

/* A name examined: a search item, or -1 and 4.95's words. */
static int
name_enter(struct opts *o, const char *arg, int kind,
    const struct resolve_rep *rep)
{
	const struct stat	*st = &rep->st;
	struct namesel		 ns;
	size_t			 len;

	memset(&ns, 0, sizeof(ns));
	ns.dev = st->st_dev;
	ns.ino = st->st_ino;
	ns.rdev = st->st_rdev;
	ns.kind = kind;
	ns.is_sock = S_ISSOCK(st->st_mode);
	if (kind == NS_FILE && o->filesys == 2) {
		name_put("lsof: not a file system: ", arg, "\n");
		return -1;
	}
	if (kind == NS_DIR || kind == NS_TREE) {
		if (!S_ISDIR(st->st_mode)) {
			if (!o->nowarn)
				name_put("lsof: WARNING: not a directory: ",
				    rep->path, "\n");
			return -1;
		}
		/* 4.95 reads its mount table before the first walk. */
		mounts_check(o);
		devino_add(&ns, st, rep->path);
		/* The directory itself is named without its trailing '/'. */
		for (len = strlen(ns.set[0].path); len > 1 &&
		    ns.set[0].path[len - 1] == '/';)
			ns.set[0].path[--len] = '\0';
		walk_dir(o, &ns, rep->path, st->st_dev);
		qsort(ns.set, ns.nset, sizeof(*ns.set), devino_sort_cmp);
	}
	name_add(o, &ns, arg, rep->path);
	return 0;
}

/*
 * A file operand (kind NS_FILE, or NS_FS for a mount point, unless -f)
 * or a +d/+D directory.  An operand that cannot be examined is reported
 * and makes the exit status 1 (-1 returned), unless -Q says to ignore it
 * (1 returned); a +d/+D directory that cannot is a usage error (-1 too,
 * the caller knows which).
 */
int
select_parse_name(struct opts *o, const char *arg, int kind)
{
	struct resolve_rep	rep;
	int			dir = kind == NS_DIR || kind == NS_TREE, rv;

	if (arg == NULL)
		return -1;
	rv = name_examine(o, arg, !dir, &rep);
	/* A file system needs no stat(2) of its own: the table has it. */
	if (rv != -1 && !dir && name_fs(o, arg, rep.path) > 0)
		return 0;
	if (rv == 0)
		return name_enter(o, arg, kind, &rep);
	if (rv == -2)
		name_failed(o, arg, dir, &rep);
	/* -Q: an operand that cannot be examined is no failure either. */
	return rv == -2 && !dir && o->quiet_fail && o->filesys != 2 ? 1 : -1;
}

static int
cmd_match(const struct cmdsel *c, const char *cmd)
{
	if (c->is_re)
		return regexec(&c->re, cmd, 0, NULL, 0) == 0;
	return strncmp(cmd, c->str, strlen(c->str)) == 0;
}

/* "^" items: a process they name is never listed. */
int
select_proc_excluded(const struct opts *o, pid_t pid, pid_t pgid, uid_t uid,
    const char *cmd)
{
	size_t	i;

	for (i = 0; i < o->npids; i++)
		if (o->pids[i].excl && o->pids[i].id == pid)
			return 1;
	for (i = 0; i < o->npgids; i++)
		if (o->pgids[i].excl && o->pgids[i].id == pgid)
			return 1;
	for (i = 0; i < o->nuids; i++)
		if (o->uids[i].excl && o->uids[i].id == (long)uid)
			return 1;
	for (i = 0; i < o->ncmds; i++)
		if (o->cmds[i].excl && cmd_match(&o->cmds[i], cmd))
			return 1;
	return 0;
}

/*
 * The process items a process matches; with mark, each matched item is
 * found.  The back end matches without marking (it may run threads);
 * the marks are made once the processes are gathered.
 */
static unsigned int
proc_items(struct opts *o, pid_t pid, pid_t pgid, uid_t uid, const char *cmd,
    int mark)
{
	unsigned int	sel = 0;
	size_t		i;

	for (i = 0; i < o->npids; i++)
		if (!o->pids[i].excl && o->pids[i].id == pid) {
			if (mark)
				o->pids[i].found = 1;
			sel |= SEL_PID;
		}
	for (i = 0; i < o->npgids; i++)
		if (!o->pgids[i].excl && o->pgids[i].id == pgid) {
			if (mark)
				o->pgids[i].found = 1;
			sel |= SEL_PGID;
		}
	for (i = 0; i < o->nuids; i++)
		if (!o->uids[i].excl && o->uids[i].id == (long)uid) {
			if (mark)
				o->uids[i].found = 1;
			sel |= SEL_UID;
		}
	for (i = 0; i < o->ncmds; i++)
		if (!o->cmds[i].excl && cmd_match(&o->cmds[i], cmd)) {
			if (mark)
				o->cmds[i].found = 1;
			sel |= SEL_CMD;
		}
	return sel;
}

unsigned int
select_proc_match(const struct opts *o, pid_t pid, pid_t pgid, uid_t uid,
    const char *cmd)
{
	/* Nothing is written without mark. */
	return proc_items((struct opts *)(uintptr_t)o, pid, pgid, uid, cmd,
	    0);
}

static int
addr_eq(const struct in6_addr *a, const struct in6_addr *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* The unspecified address of either family. */
static int
addr_none(const struct in6_addr *a)
{
	return IN6_IS_ADDR_UNSPECIFIED(a) || (IN6_IS_ADDR_V4MAPPED(a) &&
	    memcmp(&a->s6_addr[12], "\0\0\0\0", 4) == 0);
}

static int
net_match(const struct netsel *n, const struct inetinfo *in)
{
	int	end;

	if (n->proto && n->proto != in->proto)
		return 0;
	/*
	 * Each end by its own family, as 4.95 compares them: an IPv6
	 * socket's IPv4-mapped address is an IPv4 one.  A foreign end
	 * that is not there (a listener's) matches nothing.
	 */
	for (end = 0; end < 2; end++) {
		const struct in6_addr *a = end ? &in->faddr : &in->laddr;
		int port = end ? in->fport : in->lport;

		if (end && in->fport == 0 && addr_none(a))
			continue;
		if (n->family && n->family !=
		    (IN6_IS_ADDR_V4MAPPED(a) ? AF_INET : AF_INET6))
			continue;
		if (n->has_addr && !addr_eq(&n->addr, a))
			continue;
		if (n->plo >= 0 && (port < n->plo || port > n->phi))
			continue;
		return 1;
	}
	return 0;
}

/* A UNIX socket bound to path: its NAME is "path type=...". */
static int
unix_named(const struct lfile *lf, const char *path)
{
	size_t	len = strlen(path);

	return strcmp(lf->type, "unix") == 0 && lf->name != NULL &&
	    strncmp(lf->name, path, len) == 0 && lf->name[len] == ' ';
}

/* A UNIX socket named by path, directly or in a +d/+D walk. */
static int
name_by_path(struct namesel *ns, const struct lfile *lf)
{
	size_t	i;

	if (ns->is_sock)
		return unix_named(lf, ns->path);
	for (i = 0; ns->nsock > 0 && i < ns->nset; i++)
		if (ns->set[i].is_sock && unix_named(lf, ns->set[i].path)) {
			ns->set[i].found = 1;
			return 1;
		}
	return 0;
}

/*
 * A file named by device and inode, directly or in a +d/+D walk: the
 * name given (or walked) to it, or NULL.
 */
static const char *
name_by_file(struct namesel *ns, const struct lfile *lf)
{
	struct devino	key, *r;

	if (ns->kind == NS_FILE)
		return !ns->is_sock && lf->dev == ns->dev &&
		    lf->inode == ns->ino ? ns->path : NULL;
	if (ns->kind != NS_DIR && ns->kind != NS_TREE)
		return NULL;
	key.dev = lf->dev;
	key.ino = (ino_t)lf->inode;
	if ((r = bsearch(&key, ns->set, ns->nset, sizeof(*ns->set),
	    devino_cmp)) == NULL)
		return NULL;
	/* Of a file's links, 4.95 finds the one walked last. */
	while (r + 1 < ns->set + ns->nset && devino_cmp(r, r + 1) == 0)
		r++;
	r->found = 1;
	return r->path;
}

/*
 * The name a file matches, as 4.95's is_file_named() finds it: one only,
 * a UNIX socket by path first, then a file by device and inode, then a
 * file system by device; among equals, the last given.  So one file
 * never satisfies two operands, and an operand given twice is found
 * once.  A file found by device and inode takes the name it was given
 * by (a link's other name, a +d walk's path), as in 4.95.
 */
static int
names_match(struct opts *o, struct lfile *lf)
{
	struct namesel	*ns;
	const char	*name;
	size_t		 i;

	for (i = o->nnames; strcmp(lf->type, "unix") == 0 && i > 0; i--)
		if (name_by_path(&o->names[i - 1], lf)) {
			o->names[i - 1].found = 1;
			return 1;
		}
	if (!(lf->flags & LF_DEV) || !(lf->flags & LF_INODE))
		return 0;
	for (i = o->nnames; i > 0; i--) {
		ns = &o->names[i - 1];
		if ((name = name_by_file(ns, lf)) == NULL)
			continue;
		ns->found = 1;
		free(lf->name);
		lf->name = xstrdup(name);
		return 1;
	}
	for (i = o->nnames; i > 0; i--) {
		ns = &o->names[i - 1];
		if (ns->kind == NS_FS && lf->dev == ns->dev) {
			ns->found = 1;
			return 1;
		}
	}
	return 0;
}

/* The -i item a socket matches: one only, the last given first. */
static int
nets_match(struct opts *o, const struct inetinfo *in)
{
	size_t	i;

	for (i = o->nnets; i > 0; i--)
		if (net_match(&o->nets[i - 1], in)) {
			o->nets[i - 1].found = 1;
			return 1;
		}
	return 0;
}

/*
 * The file items a file matches.  A TCP file whose state -s leaves out
 * gets SEL_REJECT.  Matched items are marked found (and a file found by
 * name takes the name).
 */
unsigned int
select_file(struct opts *o, struct lfile *lf)
{
	unsigned int	sel = 0, bit;

	if (select_fd_match(o, lf->fd, lf->fdnum))
		sel |= SEL_FD;
	/* A TCP state include list admits no UDP file, as in lsof. */
	if (lf->inet != NULL && o->tcpstates.incl &&
	    lf->inet->proto != IPPROTO_TCP)
		return SEL_REJECT;
	if (lf->inet != NULL && o->has_tcpstates &&
	    lf->inet->proto == IPPROTO_TCP) {
		bit = 1u << (lf->inet->state & 31);
		if ((o->tcpstates.excl & bit) ||
		    (o->tcpstates.incl && !(o->tcpstates.incl & bit)))
			return SEL_REJECT;
		o->tcpstates.found |= bit;
	}
	if (lf->inet != NULL) {
		if (o->net_all && (!o->netfamily ||
		    o->netfamily == lf->inet->family)) {
			o->net_found = 1;
			sel |= SEL_NET;
		}
		if (nets_match(o, lf->inet))
			sel |= SEL_NA;
	}
	if (o->unix_only && strcmp(lf->type, "unix") == 0)
		sel |= SEL_UNIX;
	if (names_match(o, lf))
		sel |= SEL_NAME;
	if (o->nfs_only && (lf->flags & LF_NFS)) {
		o->nfs_found = 1;
		sel |= SEL_NFS;
	}
	if (o->nlink_max > 0 && (lf->flags & LF_NLINK) &&
	    lf->nlink < (unsigned long)o->nlink_max)
		sel |= SEL_NLINK;
	return sel;
}

int
select_keep(const struct opts *o, unsigned int psel, unsigned int fsel)
{
	unsigned int	req;

	if (fsel & SEL_REJECT)
		return 0;
	if (o->selall)
		return 1;
	if (o->and) {
		req = o->selflags;
		return ((psel | fsel) & req) == req;
	}
	return (psel | fsel) != 0;
}

/*
 * Drop the files the selection does not keep; mark what was found.  With
 * -E the endpoint candidates stay, hidden, for ept_resolve().
 */
static void
files_filter(struct opts *o, struct lproc *lp)
{
	struct lfile	*lf;
	size_t		 i, j;
	int		 keep;

	for (i = j = 0; i < lp->nfiles; i++) {
		lf = &lp->files[i];
		if (!lf->hidden) {
			lf->sel = select_file(o, lf);
			if (!select_keep(o, lp->sel, lf->sel))
				lf->hidden = 1;
		}
		keep = !lf->hidden || (o->ept && lf->ept);
		if (keep) {
			if (i != j)
				lp->files[j] = *lf;
			j++;
			continue;
		}
		list_file_clear(lf);
	}
	lp->nfiles = j;
}

/*
 * The selection, made once every process is read (and only here, by one
 * thread, since it marks the search items found): keep the files it
 * keeps and the processes left with one.
 */
void
select_list(struct opts *o, struct list *l)
{
	struct lproc	*lp;
	size_t		 i, j;

	for (i = j = 0; i < l->nprocs; i++) {
		lp = &l->procs[i];
		/* Tasks too: a zombie leader's are all there is of it. */
		if (!lp->excluded)
			(void)proc_items(o, lp->pid, lp->pgid, lp->uid,
			    lp->cmd, 1);
		/*
		 * A task is found, as in 4.95, when its process is
		 * selected, whether or not any of its files is kept.
		 */
		if (lp->tid != 0 && (!o->and ||
		    (lp->sel & o->selflags & SEL_PROC) ==
		    (o->selflags & SEL_PROC)))
			o->tasks_found = 1;
		files_filter(o, lp);
		if (lp->nfiles == 0) {
			free(lp->cmd);
			free(lp->tcmd);
			free(lp->files);
			continue;
		}
		if (i != j)
			l->procs[j] = *lp;
		j++;
	}
	l->nprocs = j;
}

static int
report_ids(const struct opts *o, const struct idsel *ids, size_t n,
    const char *what)
{
	size_t	i;
	int	rv = 0;

	for (i = 0; i < n; i++) {
		if (ids[i].excl || ids[i].found)
			continue;
		rv = 1;
		if (o->verbose)
			printf("lsof: %s not located: %ld\n", what, ids[i].id);
	}
	return rv;
}

/* "no file use located: NAME", the name escaped. */
static void
report_name(const char *what, const char *name)
{
	char	esc[(PATH_MAX + 1) * 4 + 1];

	print_escape(esc, sizeof(esc), name, 0);
	printf("lsof: no file%s use located: %s\n", what, esc);
}

static int
seq_cmp(const void *a, const void *b)
{
	const struct devino	*x = *(const struct devino *const *)a;
	const struct devino	*y = *(const struct devino *const *)b;

	return x->seq > y->seq ? -1 : x->seq < y->seq;
}

/* The entries of a +d/+D walk found nowhere, the last walked first. */
static int
report_set(const struct opts *o, const struct namesel *ns)
{
	const struct devino	**v;
	size_t			  i, n = 0;

	v = xreallocarray(NULL, ns->nset, sizeof(*v));
	for (i = 0; i < ns->nset; i++)
		if (!ns->set[i].found)
			v[n++] = &ns->set[i];
	if (o->verbose) {
		qsort(v, n, sizeof(*v), seq_cmp);
		for (i = 0; i < n; i++)
			report_name("", v[i]->path);
	}
	free(v);
	return n > 0;
}

/*
 * The search items that matched nothing: print them under -V and return
 * 1, as lsof 4.95 does (a UID counts only under -V, as in 4.95).
 */
int
select_report(const struct opts *o)
{
	int	rv = 0, re;
	size_t	i, j;

	/* Command names first, then regular expressions, as in 4.95. */
	for (re = 0; re < 2; re++)
		for (i = 0; i < o->ncmds; i++) {
			if (o->cmds[i].excl || o->cmds[i].found ||
			    o->cmds[i].is_re != re)
				continue;
			rv = 1;
			if (o->verbose)
				printf(re ? "lsof: no command found for "
				    "regex: %s\n" : "lsof: command not "
				    "located: %s\n", o->cmds[i].str);
		}
	/* 4.95 speaks of the names last given first. */
	for (i = o->nnames; i-- > 0;) {
		if (o->names[i].nset > 0) {
			rv |= report_set(o, &o->names[i]);
			continue;
		}
		if (o->names[i].found)
			continue;
		rv = 1;
		if (o->verbose)
			report_name(o->names[i].kind == NS_FS ? " system" : "",
			    o->names[i].arg);
	}
	for (i = 0; i < o->nnets; i++) {
		if (o->nets[i].found)
			continue;
		for (j = 0; j < o->nnets; j++)
			if (o->nets[j].found &&
			    strcmp(o->nets[j].arg, o->nets[i].arg) == 0)
				break;
		if (j < o->nnets)
			continue;
		for (j = 0; j < i; j++)
			if (strcmp(o->nets[j].arg, o->nets[i].arg) == 0)
				break;
		if (j < i)
			continue;
		rv = 1;
		if (o->verbose)
			printf("lsof: Internet address not located: %s\n",
			    o->nets[i].arg);
	}
	if (o->net_all && !o->net_found) {
		rv = 1;
		if (o->verbose)
			printf("lsof: no Internet files located\n");
	}
	for (i = 1; i < nitems(tcp_states); i++) {
		if ((o->tcpstates.incl & (1u << i)) &&
		    !(o->tcpstates.found & (1u << i))) {
			rv = 1;
			if (o->verbose)
				printf("lsof: TCP state not located: %s\n",
				    tcp_states[i]);
		}
	}
	if (o->nfs_only && !o->nfs_found) {
		rv = 1;
		if (o->verbose)
			printf("lsof: no NFS files located\n");
	}
	rv |= report_ids(o, o->pids, o->npids, "process ID");
	if (o->tasks == 1 && !o->tasks_found) {
		rv = 1;
		if (o->verbose)
			printf("lsof: no tasks located\n");
	}
	rv |= report_ids(o, o->pgids, o->npgids, "process group ID");
	for (i = 0; i < o->nuids; i++) {
		if (o->uids[i].excl || o->uids[i].found || !o->verbose)
			continue;
		rv = 1;
		if (o->uids[i].name != NULL)
			printf("lsof: login name (UID %ld) not located: %s\n",
			    o->uids[i].id, o->uids[i].name);
		else
			printf("lsof: user ID not located: %ld\n",
			    o->uids[i].id);
	}
	return rv;
}

/* -N: the files of NFS mounts, which the mount table tells. */
void
select_parse_nfs(struct opts *o)
{
	o->nfs_only = 1;
	o->selflags |= SEL_NFS;
}
