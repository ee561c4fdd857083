/*
 * conf.c: the life of a service configuration, whichever syntax it was
 * written in: entries made and freed, a whole configuration loaded (by
 * xinetdconf.c or inetconf.c), then completed from defaults and built-in
 * values and checked, and the value parsers both grammars share.
 *
 * Every problem is a "file:line: service NAME: message" warning or error
 * at the service's entry, and a service with an error is disabled.
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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "inetd.h"
#include "lexer.h"
#include "log.h"
#include "services.h"
#include "suggest.h"
#include "xmalloc.h"

static const char *const attr_names[A_MAX] = {
	"socket_type", "protocol", "wait", "user", "group", "server",
	"server_args", "instances", "log_on_success", "log_on_failure",
	"log_type", "only_from", "no_access", "access_times", "type",
	"rpc_version", "rpc_number", "id", "env", "port", "passenv", "flags",
	"nice", "redirect", "banner", "bind", "per_source", "groups",
	"banner_success", "banner_fail", "cps", "disable", "max_load",
	"rlimit_as", "rlimit_cpu", "rlimit_data", "rlimit_files",
	"rlimit_rss", "rlimit_stack", "v6only", "deny_time", "umask",
	"libwrap", "mdns", "enabled", "disabled", "hosts_allow", "hosts_deny",
	"dump_file"
};

/* An attribute's name, for messages. */
const char *
conf_attr_name(enum attr a)
{
	return (unsigned)a < A_MAX ? attr_names[a] : "?";
}

/* --- helpers ------------------------------------------------------------ */

static void svc_msg(struct conf *, const struct svcconf *, int,
    const char *, ...) __printflike(4, 5);

/* A problem found after parsing, reported at the service's entry. */
static void
svc_msg(struct conf *cf, const struct svcconf *sc, int pri,
    const char *fmt, ...)
{
	char	msg[512];
	va_list	ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (pri == LOG_ERR)
		cf->nerrors++;
	else
		cf->nwarnings++;
	log_msg(pri, "%s:%d: service %s: %s", sc->file, sc->line,
	    sc->id != NULL ? sc->id : sc->name, msg);
}

/*
 * " (did you mean X?)" when a word near the mistyped one is known, else
 * "": students copy configurations out of books, typos included.
 */
const char *
conf_hint(char *buf, size_t len, const char *near)
{
	if (near == NULL)
		return "";
	(void)snprintf(buf, len, " (did you mean %s?)", near);
	return buf;
}

/* The service name nearest to an unknown one, for its protocol. */
const char *
conf_service_nearest(const struct services *svc, const char *name,
    int proto)
{
	const char	**names = NULL, *s, *near;
	size_t		  n = 0;
	int		  port;

	while (services_entry(svc, proto, n, &s, &port)) {
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = s;
	}
	near = n > 0 ? suggest_word(name, names, n) : NULL;
	free(names);
	return near;
}

/*
 * conf_hint() for an unknown user (or group) name: the nearest name of the
 * system's database, read only when a name was not found.  A directory
 * too large to read through is not read to its end.
 */
const char *
conf_id_hint(char *buf, size_t len, const char *name, int group)
{
	struct passwd	 *pw;
	struct group	 *gr;
	char		**names = NULL;
	const char	 *hint;
	size_t		  n = 0, i;

	if (group)
		setgrent();
	else
		setpwent();
	while (n < 65536) {
		const char	*s = NULL;

		if (group && (gr = getgrent()) != NULL)
			s = gr->gr_name;
		else if (!group && (pw = getpwent()) != NULL)
			s = pw->pw_name;
		if (s == NULL)
			break;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(s);
	}
	if (group)
		endgrent();
	else
		endpwent();
	hint = conf_hint(buf, len, n == 0 ? NULL :
	    suggest_word(name, (const char *const *)names, n));
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return hint;
}

/* A decimal number 0..max, digits only.  Returns -1 when it is not. */
int
conf_number(const char *s, long long max, long long *out)
{
	const char	*errstr;

	if (*s == '\0' || strspn(s, "0123456789") != strlen(s))
		return -1;
	*out = strtonum(s, 0, max, &errstr);
	return errstr != NULL ? -1 : 0;
}

/* Sizes: N, and with units NK or NM (either case), or UNLIMITED. */
int
conf_size(const char *s, int units, rlim_t *out)
{
	char		buf[32];
	size_t		n = strlen(s);
	unsigned long long mult = 1;
	long long	v;

	if (strcmp(s, "UNLIMITED") == 0) {
		*out = RLIM_INFINITY;
		return 0;
	}
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n + 1);
	if (units && (buf[n - 1] == 'k' || buf[n - 1] == 'K'))
		mult = 1024;
	else if (units && (buf[n - 1] == 'm' || buf[n - 1] == 'M'))
		mult = 1024 * 1024;
	if (mult != 1)
		buf[n - 1] = '\0';
	if (conf_number(buf, LLONG_MAX / (long long)mult, &v) == -1)
		return -1;
	*out = (rlim_t)v * mult;
	return 0;
}

/* Lists of strings, NULL-terminated. */
void
strv_push(char ***v, int *n, const char *s)
{
	*v = xreallocarray(*v, (size_t)*n + 2, sizeof(**v));
	(*v)[(*n)++] = xstrdup(s);
	(*v)[*n] = NULL;
}

void
strv_free(char ***v, int *n)
{
	int	i;

	for (i = 0; *v != NULL && i < *n; i++)
		free((*v)[i]);
	free(*v);
	*v = NULL;
	*n = 0;
}

int
strv_find(char **v, int n, const char *s)
{
	int	i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return i;
	return -1;
}

void
strv_copy(char ***dst, int *dn, char **src, int sn)
{
	int	i;

	strv_free(dst, dn);
	for (i = 0; i < sn; i++)
		strv_push(dst, dn, src[i]);
}

/* --- entries -------------------------------------------------------------- */

struct svcconf *
svcconf_new(const char *name, const char *file, int line)
{
	struct svcconf	*sc = xcalloc(1, sizeof(*sc));
	int		 i;

	sc->name = name != NULL ? xstrdup(name) : NULL;
	sc->file = xstrdup(file != NULL ? file : "-");
	sc->line = line;
	sc->socktype = -1;
	sc->proto = -1;
	sc->wait = -1;
	sc->port = -1;
	sc->v6only = -1;
	sc->instances = UNLIMITED;
	sc->per_source = UNLIMITED;
	sc->cps.max = 50;
	sc->cps.window = 1;
	sc->cps.wait = 10;
	sc->umask = 022;
	sc->mdns = 1;
	for (i = 0; i < NRLIMITS; i++)
		sc->rlim[i] = RLIM_INFINITY;
	return sc;
}

void
svcconf_free(struct svcconf *sc)
{
	if (sc == NULL)
		return;
	free(sc->name);
	free(sc->id);
	free(sc->file);
	free(sc->protoname);
	free(sc->user);
	free(sc->group);
	free(sc->grouplist);
	free(sc->server);
	strv_free(&sc->args, &sc->nargs);
	free(sc->argv);		/* its strings belong to args and server */
	free(sc->bindstr);
	free(sc->binds);
	acl_clear(&sc->only_from);
	acl_clear(&sc->no_access);
	free(sc->times);
	free(sc->log.path);
	strv_free(&sc->env, &sc->nenv);
	strv_free(&sc->passenv, &sc->npassenv);
	strv_free(&sc->envp, &sc->nenvp);
	free(sc->banner);
	free(sc->banner_success);
	free(sc->banner_fail);
	free(sc->libwrap);
	free(sc->daemon);
	free(sc);
}

int
conf_add_service(struct conf *cf, struct svcconf *sc)
{
	cf->svcs = xreallocarray(cf->svcs, (size_t)cf->nsvcs + 1,
	    sizeof(*cf->svcs));
	cf->svcs[cf->nsvcs++] = sc;
	return 0;
}

/* --- completion and checks --------------------------------------------- */

/* Fill in what the service did not set from defaults and built-in values. */
static void
conf_fill(struct conf *cf, struct svcconf *sc)
{
	const struct svcconf	*d = cf->def.sc;

	if (!(sc->specified & SPEC(A_INSTANCES)) &&
	    (d->specified & SPEC(A_INSTANCES)))
		sc->instances = d->instances;
	if (!(sc->specified & SPEC(A_UMASK)) && (d->specified & SPEC(A_UMASK))) {
		sc->umask = d->umask;
		sc->specified |= SPEC(A_UMASK);
	}
	if (!(sc->specified & SPEC(A_PER_SOURCE)) &&
	    (d->specified & SPEC(A_PER_SOURCE)))
		sc->per_source = d->per_source;
	if (!(sc->specified & SPEC(A_GROUPS)) && (d->specified & SPEC(A_GROUPS)))
		sc->groups = d->groups;
	if (!(sc->specified & SPEC(A_CPS)) && (d->specified & SPEC(A_CPS)))
		sc->cps = d->cps;
	if (!(sc->specified & SPEC(A_MAX_LOAD)) &&
	    (d->specified & SPEC(A_MAX_LOAD)))
		sc->max_load = d->max_load;
	if (!(sc->specified & SPEC(A_BIND)) && d->bindstr != NULL) {
		sc->bindstr = xstrdup(d->bindstr);
		sc->specified |= SPEC(A_BIND);
	}
	if (!(sc->specified & SPEC(A_V6ONLY)) && (d->specified & SPEC(A_V6ONLY)))
		sc->v6only = d->v6only;
	if (!(sc->specified & SPEC(A_MDNS)) && (d->specified & SPEC(A_MDNS)))
		sc->mdns = d->mdns;
	if (!(sc->specified & SPEC(A_LOG_TYPE)) &&
	    (d->specified & SPEC(A_LOG_TYPE))) {
		sc->log = d->log;
		sc->log.path = d->log.path != NULL ? xstrdup(d->log.path) :
		    NULL;
	}
}

static int
conf_listed(char **v, int n, const char *id)
{
	return strv_find(v, n, id) >= 0;
}

/* Socket type from protocol and back; port from /etc/services. */
static int
conf_check_transport(struct conf *cf, struct svcconf *sc)
{
	char		 hint[128];
	int		 port;

	if (sc->proto == -1 && sc->socktype != -1) {
		const char	*p = sc->socktype == SOCK_STREAM ? "tcp" :
		    sc->socktype == SOCK_DGRAM ? "udp" : NULL;

		const char	*canon;
		int		 proto;

		if (p != NULL && (proto = services_protocol(p, &canon)) != -1) {
			sc->protoname = xstrdup(canon);
			sc->proto = proto;
			sc->specified |= SPEC(A_PROTOCOL);
		}
	}
	/* As xinetd: either one implies the other and counts as given. */
	if (sc->socktype == -1 && sc->protoname != NULL) {
		if (strcmp(sc->protoname, "tcp") == 0)
			sc->socktype = SOCK_STREAM;
		else if (strcmp(sc->protoname, "udp") == 0)
			sc->socktype = SOCK_DGRAM;
		if (sc->socktype != -1)
			sc->specified |= SPEC(A_SOCKET_TYPE);
	}
	if (sc->type & (ST_TCPMUX | ST_TCPMUXPLUS)) {
		if (sc->socktype != SOCK_STREAM || sc->protoname == NULL ||
		    strcmp(sc->protoname, "tcp") != 0) {
			svc_msg(cf, sc, LOG_ERR, "a TCPMUX service must be "
			    "stream/tcp; service disabled");
			return -1;
		}
		return 0;	/* reached through tcpmux, needs no port */
	}
	if (sc->protoname == NULL || (sc->type & ST_UNLISTED) || sc->bsd)
		return 0;	/* reported as missing, or already resolved */
	if ((port = services_port(cf->svc, sc->name, sc->proto)) == -1) {
		if (sc->port == -1) {
			svc_msg(cf, sc, LOG_ERR, "%s/%s is not in "
			    "/etc/services%s and no port is given (use type "
			    "= UNLISTED and port); service disabled",
			    sc->name, sc->protoname, conf_hint(hint,
			    sizeof(hint), conf_service_nearest(cf->svc,
			    sc->name, sc->proto)));
			return -1;
		}
		return 0;
	}
	if (sc->port != -1 && sc->port != port) {
		svc_msg(cf, sc, LOG_ERR, "expects port %d, not %d (use type "
		    "= UNLISTED for another port); service disabled",
		    port, sc->port);
		return -1;
	}
	sc->port = port;
	return 0;
}

/* xinetd's mandatory attributes, which must be in the entry itself. */
static int
conf_check_mandatory(struct conf *cf, struct svcconf *sc)
{
	uint64_t	need = SPEC(A_SOCKET_TYPE) | SPEC(A_WAIT);
	int		i, missing = 0;

	if (sc->bsd)
		return 0;
	if (!(sc->type & ST_INTERNAL) && !(sc->flags & SF_SENSOR)) {
		need |= SPEC(A_USER) | SPEC(A_SERVER);
		if (sc->type & ST_UNLISTED) {
			need |= SPEC(A_PROTOCOL);
			if (!(sc->type & (ST_TCPMUX | ST_TCPMUXPLUS)))
				need |= SPEC(A_PORT);
		}
		if (sc->specified & SPEC(A_REDIRECT))
			need &= ~SPEC(A_SERVER);
	} else if (sc->type & ST_UNLISTED)
		need |= SPEC(A_PORT);
	for (i = 0; i < A_MAX; i++)
		if ((need & SPEC(i)) && !(sc->specified & SPEC(i))) {
			svc_msg(cf, sc, LOG_ERR, "missing attribute %s - "
			    "DISABLING", attr_names[i]);
			missing++;
		}
	return missing ? -1 : 0;
}

/* What xinetd refuses or ignores about flags and types. */
static int
conf_check_flags(struct conf *cf, struct svcconf *sc)
{
	if (sc->type & ST_RPC) {
		svc_msg(cf, sc, LOG_ERR, "RPC services are not supported; "
		    "service disabled");
		return -1;
	}
	if (sc->flags & SF_INTERCEPT) {
		svc_msg(cf, sc, LOG_WARNING, "flag INTERCEPT is not supported "
		    "(ignored); access is checked on every connection or "
		    "first datagram");
		sc->flags &= ~SF_INTERCEPT;
	}
	if (sc->flags & SF_LABELED) {
		svc_msg(cf, sc, LOG_WARNING, "flag LABELED (SELinux) is not "
		    "supported (ignored)");
		sc->flags &= ~SF_LABELED;
	}
	if (sc->flags & SF_SENSOR)
		sc->type |= ST_INTERNAL;
	if ((sc->flags & SF_NAMEINARGS) && (sc->type & ST_INTERNAL)) {
		svc_msg(cf, sc, LOG_ERR, "is INTERNAL and has the NAMEINARGS "
		    "flag set; service disabled");
		return -1;
	}
	if ((sc->flags & SF_NAMEINARGS) && sc->nargs == 0 &&
	    !(sc->specified & SPEC(A_REDIRECT))) {
		svc_msg(cf, sc, LOG_ERR, "has the NAMEINARGS flag set and no "
		    "server_args; service disabled");
		return -1;
	}
	if ((sc->log_success & LS_TRAFFIC) &&
	    !(sc->specified & SPEC(A_REDIRECT))) {
		svc_msg(cf, sc, LOG_WARNING, "log_on_success TRAFFIC applies "
		    "only to redirected services (ignored)");
		sc->log_success &= ~LS_TRAFFIC;
	}
	if (sc->port == 113 && sc->proto == IPPROTO_TCP &&
	    ((sc->log_success & LS_USERID) || (sc->log_failure & LF_USERID))) {
		svc_msg(cf, sc, LOG_WARNING, "clearing USERID logging from "
		    "the identification service");
		sc->log_success &= ~LS_USERID;
		sc->log_failure &= ~LF_USERID;
	}
	return 0;
}

static int
conf_check_redirect(struct conf *cf, struct svcconf *sc)
{
	if (!(sc->specified & SPEC(A_REDIRECT)))
		return 0;
	if (sc->socktype != SOCK_STREAM || sc->wait == 1 ||
	    (sc->flags & SF_NAMEINARGS) || (sc->type & ST_INTERNAL)) {
		svc_msg(cf, sc, LOG_ERR, "a redirected service must be an "
		    "external stream service with wait = no and no "
		    "NAMEINARGS; service disabled");
		return -1;
	}
	return 0;
}

/* argv for execve: basename(server) + server_args, or NAMEINARGS's. */
static void
conf_build_argv(struct svcconf *sc)
{
	const char	*base;
	int		 i, n = 0;

	free(sc->argv);
	sc->argv = xcalloc((size_t)sc->nargs + 2, sizeof(*sc->argv));
	if (sc->server == NULL)
		return;
	if (!(sc->flags & SF_NAMEINARGS)) {
		base = strrchr(sc->server, '/');
		sc->argv[n++] = (char *)(base != NULL ? base + 1 : sc->server);
	}
	for (i = 0; i < sc->nargs; i++)
		sc->argv[n++] = sc->args[i];
	sc->argv[n] = NULL;
}

/* The daemon name tcp_wrappers rules are matched against (xinetd's). */
static void
conf_daemon_name(struct svcconf *sc)
{
	const char	*s = NULL, *slash;

	free(sc->daemon);
	if (sc->libwrap != NULL)
		s = sc->libwrap;
	else if ((sc->type & ST_INTERNAL) ||
	    (sc->specified & SPEC(A_REDIRECT)))
		s = sc->name;
	else if ((sc->flags & SF_NAMEINARGS) && sc->nargs > 0)
		s = sc->args[0];
	else if (sc->server != NULL)
		s = sc->server;
	else
		s = sc->id;
	if (s != sc->libwrap && s != sc->name && (slash = strrchr(s, '/')))
		s = slash + 1;
	sc->daemon = xstrdup(s);
}

/* Supplementary groups, looked up once here rather than per connection. */
static void
conf_groups(struct svcconf *sc)
{
	struct passwd	*pw;
	int		 n = 32;

	free(sc->grouplist);
	sc->grouplist = NULL;
	sc->ngroups = 0;
	if (!sc->groups || sc->user == NULL ||
	    (pw = getpwuid(sc->uid)) == NULL)
		return;
	for (;;) {
		sc->grouplist = xreallocarray(sc->grouplist, (size_t)n,
		    sizeof(gid_t));
		if (getgrouplist(pw->pw_name, sc->gid, sc->grouplist, &n) != -1)
			break;
		if (n > 65536) {
			n = 0;
			break;
		}
		n *= 2;
	}
	sc->ngroups = n;
}

/* Which addresses to listen on: bind, family flags, v6only. */
static int
conf_binds(struct conf *cf, struct svcconf *sc)
{
	struct bindaddr	ba;
	char		err[256];
	int		fam = AF_UNSPEC;

	if (sc->nbinds > 0)
		return 0;	/* inetd.conf set them */
	if ((sc->flags & SF_IPV4) && !(sc->flags & SF_IPV6))
		fam = AF_INET;
	else if ((sc->flags & SF_IPV6) && !(sc->flags & SF_IPV4))
		fam = AF_INET6;
	if (sc->bindstr != NULL) {
		if (addr_parse_bind(sc->bindstr, fam, &ba, err,
		    sizeof(err)) == -1) {
			svc_msg(cf, sc, LOG_ERR, "bind: %s; service disabled",
			    err);
			return -1;
		}
	} else {
		memset(&ba, 0, sizeof(ba));
		if (fam == AF_INET) {
			ba.ss.ss_family = AF_INET;
			ba.len = sizeof(struct sockaddr_in);
		} else {
			/* xinetd's default: IPv6 with IPv4 mapped in. */
			ba.ss.ss_family = AF_INET6;
			ba.len = sizeof(struct sockaddr_in6);
		}
	}
	ba.v6only = ba.ss.ss_family == AF_INET6 ? sc->v6only == 1 : -1;
	sc->binds = xcalloc(1, sizeof(*sc->binds));
	sc->binds[0] = ba;
	sc->nbinds = 1;
	return 0;
}

static int
conf_check_internal(struct conf *cf, struct svcconf *sc)
{
	const char	*name = (sc->flags & SF_SENSOR) ? "sensor" : sc->name;
	char		 hint[128];

	if (!(sc->type & ST_INTERNAL))
		return 0;
	if ((sc->builtin = builtin_find(name, sc->socktype)) == NULL) {
		svc_msg(cf, sc, LOG_ERR, "no such internal service: %s/%s%s - "
		    "DISABLING", name, sc->socktype == SOCK_STREAM ? "stream" :
		    sc->socktype == SOCK_DGRAM ? "dgram" : "?",
		    conf_hint(hint, sizeof(hint), builtin_nearest(name)));
		return -1;
	}
	/*
	 * An internal service has the wait mode of its kind, as in OpenBSD
	 * inetd's table: a stream one is served per connection, a datagram
	 * one per datagram.  The other mode would hand the daemon's own
	 * listening socket over to nobody.
	 */
	if (sc->wait != -1 && sc->wait != sc->builtin->wait)
		svc_msg(cf, sc, LOG_WARNING, "internal %s service %s is always "
		    "%s; \"%s\" ignored", sc->socktype == SOCK_STREAM ?
		    "stream" : "datagram", name, sc->builtin->wait ? "wait" :
		    "nowait", sc->builtin->wait ? "nowait" : "wait");
	sc->wait = sc->builtin->wait;
	return 0;
}

static int
conf_bind_overlap(const struct bindaddr *a, const struct bindaddr *b)
{
	unsigned char	ka[16], kb[16];

	if (a->ss.ss_family != b->ss.ss_family)
		return 0;
	(void)addr_key((const struct sockaddr *)&a->ss, ka);
	(void)addr_key((const struct sockaddr *)&b->ss, kb);
	return memcmp(ka, kb, 16) == 0;
}

/* xinetd: two enabled services may not use one port, protocol and address. */
static int
conf_check_unique(struct conf *cf, struct svcconf *sc, int upto)
{
	int	i, j, k;

	if (sc->type & (ST_TCPMUX | ST_TCPMUXPLUS))
		return 0;
	for (i = 0; i < upto; i++) {
		struct svcconf	*o = cf->svcs[i];

		if (o == NULL || o->proto != sc->proto || o->port != sc->port ||
		    (o->type & (ST_TCPMUX | ST_TCPMUXPLUS)))
			continue;
		for (j = 0; j < o->nbinds; j++)
			for (k = 0; k < sc->nbinds; k++)
				if (conf_bind_overlap(&o->binds[j],
				    &sc->binds[k]))
					goto clash;
	}
	return 0;
clash:
	if (strcmp(cf->svcs[i]->id, sc->id) == 0)
		svc_msg(cf, sc, LOG_ERR, "id %s not unique or is a duplicate "
		    "- DISABLING", sc->id);
	else
		svc_msg(cf, sc, LOG_ERR, "uses the same port, protocol and "
		    "address as service %s (%s:%d) - DISABLING",
		    cf->svcs[i]->id, cf->svcs[i]->file, cf->svcs[i]->line);
	return -1;
}

static int
conf_check_one(struct conf *cf, struct svcconf *sc)
{
	conf_fill(cf, sc);
	if (conf_check_flags(cf, sc) == -1 ||
	    conf_check_transport(cf, sc) == -1 ||
	    conf_check_mandatory(cf, sc) == -1 ||
	    conf_check_redirect(cf, sc) == -1 ||
	    conf_check_internal(cf, sc) == -1 ||
	    conf_binds(cf, sc) == -1)
		return -1;
	if (sc->wait == -1)
		sc->wait = 0;
	conf_build_argv(sc);
	conf_daemon_name(sc);
	conf_groups(sc);
	return 0;
}

static int
conf_enabled(struct conf *cf, struct svcconf *sc)
{
	const struct confdefaults	*d = &cf->def;

	if (sc->broken) {
		log_msg(LOG_INFO, "%s:%d: service %s is disabled by the "
		    "errors above", sc->file, sc->line, sc->id);
		return 0;
	}
	if (sc->disabled || (sc->flags & SF_DISABLE))
		return 0;
	if (d->enabled_set && !conf_listed(d->enabled, d->nenabled, sc->id))
		return 0;
	if (conf_listed(d->disabled, d->ndisabled, sc->id))
		return 0;
	return 1;
}

/*
 * Turn the parsed entries into the services that will run: drop the
 * disabled ones, fill in defaults, check each, and drop those that fail.
 * Returns the number of services left.
 */
static int
conf_finish(struct conf *cf)
{
	int	i, n = 0;

	for (i = 0; i < cf->nsvcs; i++) {
		struct svcconf	*sc = cf->svcs[i];

		cf->svcs[i] = NULL;
		if (!conf_enabled(cf, sc) || conf_check_one(cf, sc) == -1 ||
		    conf_check_unique(cf, sc, n) == -1) {
			svcconf_free(sc);
			continue;
		}
		cf->svcs[n++] = sc;
	}
	cf->nsvcs = n;
	return n;
}

/*
 * Which syntax a file is written in: xinetd's keywords or braces, or
 * inetd.conf's lines of at least six fields with a socket type second.
 */
static int
conf_detect_syntax(const char *path)
{
	struct lexer	 lx;
	char		*cur, *w1, *w2;
	int		 syntax = SYNTAX_AUTO, nw;

	if (lexer_open(&lx, path) == -1)
		return SYNTAX_XINETD;
	lx.quiet = 1;
	while (syntax == SYNTAX_AUTO &&
	    lexer_next_line(&lx, LEX_COMMENTS | LEX_BLANKS) == 1) {
		cur = lx.buf;
		w1 = lexer_word(&cur);
		w2 = lexer_word(&cur);
		if (strcmp(w1, "defaults") == 0 || strcmp(w1, "{") == 0 ||
		    strcmp(w1, "include") == 0 ||
		    strcmp(w1, "includedir") == 0 ||
		    (strcmp(w1, "service") == 0 && w2 != NULL &&
		    (lexer_word(&cur) == NULL || strchr(w2, '{') != NULL)))
			syntax = SYNTAX_XINETD;
		else if (w2 != NULL && (strcmp(w2, "stream") == 0 ||
		    strcmp(w2, "dgram") == 0 || strcmp(w2, "raw") == 0 ||
		    strcmp(w2, "rdm") == 0 || strcmp(w2, "seqpacket") == 0)) {
			for (nw = 2; lexer_word(&cur) != NULL; nw++)
				;
			if (nw >= 6)
				syntax = SYNTAX_INETD;
		} else if (w1[strlen(w1) - 1] == ':' && w2 == NULL)
			syntax = SYNTAX_INETD;	/* "addr:" default line */
	}
	lexer_close(&lx);
	return syntax == SYNTAX_AUTO ? SYNTAX_XINETD : syntax;
}

const char *
conf_syntax_name(int syntax)
{
	return syntax == SYNTAX_INETD ? "inetd.conf" : "xinetd.conf";
}

/*
 * Read a whole configuration.  Never returns NULL: problems are counted
 * in nerrors (and logged), so a check-only run can report all of them.
 */
struct conf *
conf_load(const char *path, const struct confopts *co)
{
	struct conf	*cf = xcalloc(1, sizeof(*cf));
	int		 r;

	/* /etc/services, or the built-in table where netbase is missing. */
	cf->svc = services_open(NULL);
	cf->def.sc = svcconf_new(NULL, path, 0);
	cf->syntax = co->syntax != SYNTAX_AUTO ? co->syntax :
	    conf_detect_syntax(path);
	if (cf->syntax == SYNTAX_INETD)
		r = inetconf_parse(cf, path, co);
	else
		r = xinetdconf_parse(cf, path, co);
	if (r == -1) {
		log_msg(LOG_ERR, "%s: %s", path, strerror(errno));
		cf->nerrors++;
	}
	if (co->compat_file != NULL &&
	    inetconf_parse(cf, co->compat_file, co) == -1 && errno != ENOENT) {
		log_msg(LOG_ERR, "%s: %s", co->compat_file, strerror(errno));
		cf->nerrors++;
	}
	(void)conf_finish(cf);
	services_free(cf->svc);
	cf->svc = NULL;
	endprotoent();
	return cf;
}

void
conf_free(struct conf *cf)
{
	int	i;

	if (cf == NULL)
		return;
	for (i = 0; i < cf->nsvcs; i++)
		svcconf_free(cf->svcs[i]);
	free(cf->svcs);
	svcconf_free(cf->def.sc);
	strv_free(&cf->def.enabled, &cf->def.nenabled);
	strv_free(&cf->def.disabled, &cf->def.ndisabled);
	free(cf->def.hosts_allow);
	free(cf->def.hosts_deny);
	free(cf->def.dump_file);
	free(cf);
}
