/*
 * inetconf.c: BSD inetd.conf syntax (OpenBSD, FreeBSD, Debian).
 *
 *	[addr:]service socktype proto[,sndbuf=N][,rcvbuf=N]
 *	    wait|nowait[.max|/maxchild[/perip-per-minute[/maxchild-per-ip]]]
 *	    user[:group|.group][/class] server|internal [argv0 args...]
 *
 * A line holding only "addr:" sets the address for the lines after it
 * ("*:" is the wildcard, and the implicit start).  "tcp" and "udp" listen
 * on IPv4 and IPv6 (two sockets), "tcp4"/"tcp6" on one family and
 * "tcp46" on one IPv6 socket with IPv4 mapped in.  Each line becomes a
 * service configuration like an xinetd entry, so both syntaxes share the
 * checks, the limits and the logging.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"
#include "lexer.h"
#include "log.h"
#include "privdrop.h"
#include "services.h"
#include "suggest.h"
#include "xmalloc.h"

struct bsdline {
	char		*host;		/* address part, NULL for default */
	char		*service;
	char		*socktype;
	char		*proto;
	char		*wait;
	char		*user;
	char		*server;
	char		**argv;
	int		 argc;
};

/* sndbuf=64k style sizes: a positive int, k and m suffixes. */
static int
bsd_size(const char *s, int *out)
{
	rlim_t	v;

	if (conf_size(s, 1, &v) == -1 || v == 0 || v == RLIM_INFINITY ||
	    v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

/* proto[,sndbuf=N][,rcvbuf=N]: sets protocol, families and buffers. */
static int
bsd_proto(struct lexer *lx, struct svcconf *sc, char *spec, int *fams)
{
	static const char *const protocols[] = { "tcp", "udp", "tcp4", "udp4",
	    "tcp6", "udp6", "tcp46", "udp46" };
	const char	*canon;
	char		*opt, *name, given[32], msg[128];
	size_t		 n;
	int		 proto;

	name = strsep(&spec, ",");
	(void)strlcpy(given, name, sizeof(given));
	while ((opt = strsep(&spec, ",")) != NULL) {
		int	*dst = strncmp(opt, "sndbuf=", 7) == 0 ? &sc->sndbuf :
		    strncmp(opt, "rcvbuf=", 7) == 0 ? &sc->rcvbuf : NULL;

		if (dst == NULL || bsd_size(opt + 7, dst) == -1) {
			lexer_error(lx, "bad protocol option '%s'", opt);
			return -1;
		}
	}
	if (strncmp(name, "rpc/", 4) == 0) {
		lexer_error(lx, "RPC services (%s) are not supported", name);
		return -1;
	}
	if (strcmp(name, "unix") == 0) {
		lexer_error(lx, "unix-domain services are not supported");
		return -1;
	}
	n = strlen(name);
	*fams = 3;		/* IPv4 and IPv6 */
	if (n > 2 && strcmp(name + n - 2, "46") == 0) {
		*fams = 4;	/* one dual-stack socket */
		name[n - 2] = '\0';
	} else if (n > 1 && name[n - 1] == '4') {
		*fams = 1;
		name[n - 1] = '\0';
	} else if (n > 1 && name[n - 1] == '6') {
		*fams = 2;
		name[n - 1] = '\0';
	}
	if ((proto = services_protocol(name, &canon)) == -1 ||
	    (proto != IPPROTO_TCP && proto != IPPROTO_UDP)) {
		(void)snprintf(msg, sizeof(msg), "unknown protocol '%s'",
		    given);
		lexer_error(lx, "%s", suggest_append(msg, sizeof(msg), given,
		    protocols, nitems(protocols)));
		return -1;
	}
	sc->protoname = xstrdup(canon);
	sc->proto = proto;
	sc->specified |= SPEC(A_PROTOCOL);
	return 0;
}

/* wait|nowait, then OpenBSD's .max or FreeBSD's /child/rate/perip. */
static int
bsd_wait(struct lexer *lx, struct svcconf *sc, char *spec, int rate)
{
	static const char *const waits[] = { "wait", "nowait" };
	char		*rest = spec + strcspn(spec, "./"), msg[128];
	long long	 v;
	char		 sep = *rest;

	*rest = '\0';
	if (strcmp(spec, "wait") == 0)
		sc->wait = 1;
	else if (strcmp(spec, "nowait") == 0)
		sc->wait = 0;
	else {
		(void)snprintf(msg, sizeof(msg), "'%s' is not wait or nowait",
		    spec);
		/* xinetd's words, in a file of the other syntax. */
		if (strcmp(spec, "yes") == 0 || strcmp(spec, "no") == 0)
			lexer_error(lx, "%s (did you mean %s? %s is xinetd's "
			    "word)", msg, spec[0] == 'y' ? "wait" : "nowait",
			    spec);
		else
			lexer_error(lx, "%s", suggest_append(msg, sizeof(msg),
			    spec, waits, nitems(waits)));
		return -1;
	}
	sc->specified |= SPEC(A_WAIT) | SPEC(A_CPS);
	sc->cps.max = (unsigned)rate;
	sc->cps.window = 60;
	sc->cps.wait = 600;
	if (sep == '.') {
		if (conf_number(rest + 1, INT_MAX, &v) == -1) {
			lexer_error(lx, "bad invocation rate '%s'", rest + 1);
			return -1;
		}
		sc->cps.max = (unsigned)v;
	} else if (sep == '/') {
		char	*p = rest + 1, *w;
		int	 i;

		for (i = 0; (w = strsep(&p, "/")) != NULL; i++) {
			if (conf_number(w, INT_MAX, &v) == -1 || i > 2) {
				lexer_error(lx, "bad limit '%s'", w);
				return -1;
			}
			if (i == 0 && v > 0)
				sc->instances = (int)v;
			else if (i == 1 && v > 0)
				lexer_warn(lx, "connections per IP per minute "
				    "(%lld) is not supported (ignored)", v);
			else if (i == 2 && v > 0)
				sc->per_source = (int)v;
		}
	}
	return 0;
}

/* user[:group|.group][/login-class] */
static int
bsd_user(struct lexer *lx, struct svcconf *sc, char *spec)
{
	struct privdrop_id	 id;
	char			 err[128], hint[128], *grp = NULL, *cls;
	int			 isgrp;

	if ((cls = strchr(spec, '/')) != NULL) {
		*cls++ = '\0';
		lexer_warn(lx, "login class '%s' is not supported (ignored)",
		    cls);
	}
	if (getpwnam(spec) == NULL &&
	    ((grp = strchr(spec, ':')) != NULL ||
	    (grp = strchr(spec, '.')) != NULL))
		*grp++ = '\0';
	if (privdrop_lookup(spec, grp, &id, err, sizeof(err)) == -1) {
		/* privdrop says which of the two it could not find. */
		isgrp = strncmp(err, "unknown group", 13) == 0;
		lexer_error(lx, "%s%s", err, conf_id_hint(hint, sizeof(hint),
		    isgrp ? grp : spec, isgrp));
		return -1;
	}
	sc->user = xstrdup(spec);
	sc->uid = id.uid;
	sc->gid = id.gid;
	sc->specified |= SPEC(A_USER);
	if (grp != NULL) {
		sc->group = xstrdup(grp);
		sc->specified |= SPEC(A_GROUP);
	}
	/* BSD inetd keeps the user's supplementary groups. */
	sc->groups = 1;
	return 0;
}

static int
bsd_service(const struct services *svc, struct lexer *lx, struct svcconf *sc,
    char *name)
{
	char		 hint[128];
	long long	 v;
	int		 port;

	if (strncmp(name, "tcpmux/", 7) == 0) {
		name += 7;
		sc->type |= ST_TCPMUX;
		if (*name == '+') {
			name++;
			sc->type = (sc->type & ~ST_TCPMUX) | ST_TCPMUXPLUS;
		}
		sc->name = xstrdup(name);
		return *name == '\0' ? -1 : 0;
	}
	if (strchr(name, '/') != NULL) {
		lexer_error(lx, "RPC services (%s) are not supported", name);
		return -1;
	}
	sc->name = xstrdup(name);
	if (conf_number(name, 65535, &v) == 0) {
		sc->port = (int)v;
	} else if ((port = services_port(svc, name, sc->proto)) != -1) {
		sc->port = port;
	} else {
		lexer_error(lx, "unknown service %s/%s%s", name, sc->protoname,
		    conf_hint(hint, sizeof(hint),
		    conf_service_nearest(svc, name, sc->proto)));
		return -1;
	}
	sc->specified |= SPEC(A_PORT);
	return 0;
}

/* Split "host:" from the first field; the last ':' separates, [v6] ok. */
static char *
bsd_split_host(char *field, char **host)
{
	char	*colon = strrchr(field, ':');

	*host = NULL;
	if (colon == NULL)
		return field;
	*colon = '\0';
	*host = field;
	return colon + 1;
}

static void
bsd_add_bind(struct svcconf *sc, const struct bindaddr *ba)
{
	sc->binds = xreallocarray(sc->binds, (size_t)sc->nbinds + 1,
	    sizeof(*sc->binds));
	sc->binds[sc->nbinds++] = *ba;
}

static void
bsd_wildcard(struct svcconf *sc, int family, int v6only)
{
	struct bindaddr	ba;

	memset(&ba, 0, sizeof(ba));
	ba.ss.ss_family = (sa_family_t)family;
	ba.len = family == AF_INET ? sizeof(struct sockaddr_in) :
	    sizeof(struct sockaddr_in6);
	ba.v6only = family == AF_INET6 ? v6only : -1;
	bsd_add_bind(sc, &ba);
}

/* The listening addresses: the host list (or "*") and the families. */
static int
bsd_binds(struct lexer *lx, struct svcconf *sc, const char *hosts, int fams)
{
	struct bindaddr	 ba;
	char		 err[256], *copy, *p, *h;
	int		 family;

	if (hosts == NULL || strcmp(hosts, "*") == 0) {
		if (fams & 1)
			bsd_wildcard(sc, AF_INET, -1);
		if (fams & 2)
			bsd_wildcard(sc, AF_INET6, 1);
		if (fams == 4)
			bsd_wildcard(sc, AF_INET6, 0);
		return 0;
	}
	copy = xstrdup(hosts);
	for (p = copy; (h = strsep(&p, ",")) != NULL;) {
		family = fams == 1 ? AF_INET : fams == 2 || fams == 4 ?
		    AF_INET6 : AF_UNSPEC;
		if (addr_parse_bind(h, family, &ba, err, sizeof(err)) == -1) {
			lexer_error(lx, "%s", err);
			free(copy);
			return -1;
		}
		if (ba.ss.ss_family == AF_INET6)
			ba.v6only = fams != 4;
		bsd_add_bind(sc, &ba);
	}
	free(copy);
	free(sc->bindstr);
	sc->bindstr = xstrdup(hosts);
	sc->specified |= SPEC(A_BIND);
	return 0;
}

/* server and argv; "internal" marks a built-in service. */
static int
bsd_server(struct lexer *lx, struct svcconf *sc, struct bsdline *bl)
{
	static const char *const internal[] = { "internal" };
	char	msg[PATH_MAX + 64];
	int	i;

	if (strcmp(bl->server, "internal") == 0) {
		sc->type |= ST_INTERNAL;
		return 0;
	}
	if (bl->server[0] != '/' || access(bl->server, X_OK) == -1) {
		(void)snprintf(msg, sizeof(msg), "server %s is not "
		    "executable%s%s", bl->server,
		    bl->server[0] != '/' ? "" : ": ",
		    bl->server[0] != '/' ? " (not an absolute path)" :
		    strerror(errno));
		lexer_error(lx, "%s", bl->server[0] == '/' ? msg :
		    suggest_append(msg, sizeof(msg), bl->server, internal, 1));
		return -1;
	}
	sc->server = xstrdup(bl->server);
	sc->specified |= SPEC(A_SERVER);
	if (bl->argc == 0) {
		lexer_warn(lx, "no argv[0] for %s; using its base name",
		    bl->server);
		return 0;
	}
	/* BSD argv starts with argv[0]: xinetd's NAMEINARGS. */
	sc->flags |= SF_NAMEINARGS;
	sc->args = xcalloc((size_t)bl->argc + 1, sizeof(*sc->args));
	for (i = 0; i < bl->argc; i++)
		sc->args[i] = xstrdup(bl->argv[i]);
	sc->nargs = bl->argc;
	sc->specified |= SPEC(A_SERVER_ARGS);
	return 0;
}

static void
bsd_make_id(struct svcconf *sc, const struct bsdline *bl)
{
	const char	*proto = bl->proto;
	size_t		 n = strcspn(proto, ",");

	if (bl->host != NULL && strcmp(bl->host, "*") != 0)
		(void)xasprintf(&sc->id, "%s/%.*s@%s", sc->name, (int)n, proto,
		    bl->host);
	else
		(void)xasprintf(&sc->id, "%s/%.*s", sc->name, (int)n, proto);
}

static int
bsd_socktype(struct lexer *lx, struct svcconf *sc, const char *s)
{
	static const char *const known[] = { "stream", "dgram", "raw", "rdm",
	    "seqpacket" };
	char	msg[128];
	size_t	i;

	if (strcmp(s, "stream") == 0)
		sc->socktype = SOCK_STREAM;
	else if (strcmp(s, "dgram") == 0)
		sc->socktype = SOCK_DGRAM;
	else {
		for (i = 0; i < nitems(known); i++)
			if (strcmp(s, known[i]) == 0)
				break;
		(void)snprintf(msg, sizeof(msg), "%s socket type '%s'",
		    i < nitems(known) ? "unsupported" : "unknown", s);
		lexer_error(lx, "%s", suggest_append(msg, sizeof(msg), s,
		    known, 2));
		return -1;
	}
	sc->specified |= SPEC(A_SOCKET_TYPE);
	return 0;
}

static struct svcconf *
bsd_line(const struct conf *cf, struct lexer *lx, struct bsdline *bl,
    int rate)
{
	struct svcconf	*sc;
	char		*proto = xstrdup(bl->proto);
	int		 fams = 3;

	sc = svcconf_new(NULL, lx->path, lx->line);
	sc->bsd = 1;
	sc->log_failure = 0;
	if (bsd_socktype(lx, sc, bl->socktype) == -1 ||
	    bsd_proto(lx, sc, proto, &fams) == -1 ||
	    bsd_service(cf->svc, lx, sc, bl->service) == -1 ||
	    bsd_wait(lx, sc, bl->wait, rate) == -1 ||
	    bsd_user(lx, sc, bl->user) == -1 ||
	    bsd_server(lx, sc, bl) == -1 ||
	    bsd_binds(lx, sc, bl->host, fams) == -1) {
		free(proto);
		svcconf_free(sc);
		return NULL;
	}
	free(proto);
	bsd_make_id(sc, bl);
	return sc;
}

/*
 * Parse an inetd.conf file into cf.  -1 with errno when it cannot be read;
 * problems in it are counted and logged as "file:line: message".
 */
int
inetconf_parse(struct conf *cf, const char *path, const struct confopts *co)
{
	struct lexer	 lx;
	struct bsdline	 bl;
	struct svcconf	*sc;
	char		*cur, *first, *w, *defhost = NULL, *words[64];
	int		 n, r, rate = co->bsd_rate > 0 ? co->bsd_rate : 256;

	if (lexer_open(&lx, path) == -1)
		return -1;
	cf->nfiles++;
	while ((r = lexer_next_line(&lx, LEX_COMMENTS | LEX_BLANKS)) == 1) {
		cur = lx.buf;
		for (n = 0; (w = lexer_word(&cur)) != NULL &&
		    n < (int)nitems(words); n++)
			words[n] = w;
		first = words[0];
		if (n == 1 && first[strlen(first) - 1] == ':') {
			first[strlen(first) - 1] = '\0';
			free(defhost);
			defhost = strcmp(first, "*") == 0 ? NULL :
			    xstrdup(first);
			continue;
		}
		if (n < 6) {
			lexer_error(&lx, "expected at least 6 fields, found %d",
			    n);
			continue;
		}
		memset(&bl, 0, sizeof(bl));
		bl.service = bsd_split_host(first, &bl.host);
		if (bl.host == NULL)
			bl.host = defhost;
		bl.socktype = words[1];
		bl.proto = words[2];
		bl.wait = words[3];
		bl.user = words[4];
		bl.server = words[5];
		bl.argv = &words[6];
		bl.argc = n - 6;
		if ((sc = bsd_line(cf, &lx, &bl, rate)) != NULL)
			conf_add_service(cf, sc);
	}
	if (r == -1)
		lexer_error(&lx, "read error: %s", strerror(errno));
	free(defhost);
	cf->nerrors += lx.nerrors;
	cf->nwarnings += lx.nwarnings;
	lexer_close(&lx);
	return 0;
}
