/*
 * xinetdconf.c: the xinetd.conf grammar (xinetd.conf(5)), beside
 * inetconf.c's inetd.conf one; conf.c completes and checks what either
 * reads.
 *
 * One "defaults" entry, "service NAME" entries in braces, "include FILE"
 * and "includedir DIR", and attribute lines "name op value...", op one of
 * = += -=.  Where xinetd is needlessly strict this parser accepts more:
 * "{" on the service line, "}" after the last value, no blanks around the
 * operator, and "# ..." after a blank as a comment.  Nothing is dropped
 * silently: every problem is a "file:line: message" warning or error, the
 * parser goes on to find them all, and a service with an error is
 * disabled.
 *
 * Inheritance is xinetd's: list attributes given in defaults are copied
 * into a service before its entry is read (so += extends them and =
 * replaces them), scalar ones are filled in afterwards (conf.c) when the
 * service did not set them.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <unistd.h>

#include "addr.h"
#include "inetd.h"
#include "lexer.h"
#include "log.h"
#include "privdrop.h"
#include "services.h"
#include "suggest.h"
#include "xmalloc.h"

#define INCLUDE_DEPTH	16

#define OP_SET		0
#define OP_ADD		1
#define OP_DEL		2

/* Where an attribute may appear, and how many values it takes. */
#define AT_SERVICE	0x01
#define AT_DEFAULTS	0x02
#define AT_LIST		0x04	/* takes += and -= (and repeats) */

struct attrctx {
	struct conf	*conf;
	struct svcconf	*sc;
	struct lexer	*lx;
	int		 isdef;
	int		 op;
	char		**v;
	int		 n;
	char		 err[256];
};

struct attrdef {
	const char	*name;
	enum attr	 id;
	int		 nvalues;	/* exact count, -1 any, -2 some */
	int		 where;
	int		 (*parse)(struct attrctx *);
};

struct bitname {
	const char	*name;
	unsigned	 bit;
};

static const struct bitname type_names[] = {
	{ "RPC", ST_RPC }, { "INTERNAL", ST_INTERNAL },
	{ "UNLISTED", ST_UNLISTED }, { "SPECIAL", ST_SPECIAL },
	{ "TCPMUX", ST_TCPMUX }, { "TCPMUXPLUS", ST_TCPMUXPLUS }
}, flag_names[] = {
	{ "REUSE", SF_REUSE }, { "INTERCEPT", SF_INTERCEPT },
	{ "NORETRY", SF_NORETRY }, { "IDONLY", SF_IDONLY },
	{ "NAMEINARGS", SF_NAMEINARGS }, { "NODELAY", SF_NODELAY },
	{ "KEEPALIVE", SF_KEEPALIVE }, { "NOLIBWRAP", SF_NOLIBWRAP },
	{ "SENSOR", SF_SENSOR }, { "IPv4", SF_IPV4 }, { "IPv6", SF_IPV6 },
	{ "LABELED", SF_LABELED }, { "DISABLE", SF_DISABLE }
}, success_names[] = {
	{ "PID", LS_PID }, { "HOST", LS_HOST }, { "USERID", LS_USERID },
	{ "EXIT", LS_EXIT }, { "DURATION", LS_DURATION },
	{ "TRAFFIC", LS_TRAFFIC }
}, failure_names[] = {
	{ "HOST", LF_HOST }, { "USERID", LF_USERID },
	{ "ATTEMPT", LF_ATTEMPT }, { "RECORD", LF_ATTEMPT }
};


/* --- helpers ------------------------------------------------------------ */

static int conf_fail(struct attrctx *, const char *, ...) __printflike(2, 3);
static void conf_fail_more(struct attrctx *, const char *, ...)
    __printflike(2, 3);

static int
conf_fail(struct attrctx *ac, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	(void)vsnprintf(ac->err, sizeof(ac->err), fmt, ap);
	va_end(ap);
	return -1;
}

/* Adds to the message of conf_fail(), for hints after the problem. */
static void
conf_fail_more(struct attrctx *ac, const char *fmt, ...)
{
	size_t	len = strlen(ac->err);
	va_list	ap;

	va_start(ap, fmt);
	(void)vsnprintf(ac->err + len, sizeof(ac->err) - len, fmt, ap);
	va_end(ap);
}

static void
conf_did_you_mean(struct attrctx *ac, const char *near)
{
	char	hint[128];

	conf_fail_more(ac, "%s", conf_hint(hint, sizeof(hint), near));
}

/* The yes or no a mistyped word, or one of another language, means. */
static const char *
yesno_nearest(const char *w)
{
	static const char *const yesno[] = { "yes", "no" };
	const char	*near;

	if ((near = suggest_word(w, yesno, nitems(yesno))) != NULL)
		return near;
	switch (suggest_boolean(w)) {
	case 1:
		return "yes";
	case 0:
		return "no";
	}
	return NULL;
}

static int
parse_yesno(struct attrctx *ac, int *out)
{
	if (strcmp(ac->v[0], "yes") == 0)
		*out = 1;
	else if (strcmp(ac->v[0], "no") == 0)
		*out = 0;
	else {
		(void)conf_fail(ac, "'%s' is not yes or no", ac->v[0]);
		conf_did_you_mean(ac, yesno_nearest(ac->v[0]));
		return -1;
	}
	return 0;
}

static const char *const unlimited[] = { "UNLIMITED" };

static int
parse_limit_count(struct attrctx *ac, int *out)
{
	long long	v;

	if (strcmp(ac->v[0], "UNLIMITED") == 0) {
		*out = UNLIMITED;
		return 0;
	}
	if (conf_number(ac->v[0], INT_MAX, &v) == -1) {
		(void)conf_fail(ac, "'%s' is not a number or UNLIMITED",
		    ac->v[0]);
		conf_did_you_mean(ac, suggest_word(ac->v[0], unlimited, 1));
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* Every unknown word is named, each with its likely fix. */
static int
parse_bits(struct attrctx *ac, const struct bitname *t, size_t n,
    unsigned *mask, const char *what)
{
	size_t	i;
	int	k, bad = 0;

	if (ac->op == OP_SET && !ac->isdef)
		*mask = 0;
	for (k = 0; k < ac->n; k++) {
		for (i = 0; i < n; i++)
			if (strcmp(ac->v[k], t[i].name) == 0)
				break;
		if (i == n) {
			if (bad++ == 0)
				(void)conf_fail(ac, "unknown %s '%s'", what,
				    ac->v[k]);
			else
				conf_fail_more(ac, ", '%s'", ac->v[k]);
			conf_did_you_mean(ac, suggest_word_in(ac->v[k], t, n,
			    sizeof(*t)));
		} else if (ac->op == OP_DEL)
			*mask &= ~t[i].bit;
		else
			*mask |= t[i].bit;
	}
	return bad ? -1 : 0;
}
/* --- attribute parsers -------------------------------------------------- */

/*
 * The socket type a service's protocol implies, for a value too far from
 * every socket type to be a typo ("socket_type = no", a "wait = no" that
 * lost its line): the protocol attribute if it came first, else what the
 * services file says of the service's name.
 */
static void
socktype_hint(struct attrctx *ac)
{
	struct svcconf	*sc = ac->sc;
	int		 tcp, udp;

	if (sc->specified & SPEC(A_PROTOCOL)) {
		if (sc->proto == IPPROTO_TCP || sc->proto == IPPROTO_UDP)
			conf_fail_more(ac, " (did you mean %s? the protocol is "
			    "%s)", sc->proto == IPPROTO_TCP ? "stream" :
			    "dgram", sc->protoname);
		return;
	}
	tcp = sc->name != NULL &&
	    services_port(ac->conf->svc, sc->name, IPPROTO_TCP) != -1;
	udp = sc->name != NULL &&
	    services_port(ac->conf->svc, sc->name, IPPROTO_UDP) != -1;
	if (tcp != udp)
		conf_fail_more(ac, " (did you mean %s? %s is a %s service)",
		    tcp ? "stream" : "dgram", sc->name, tcp ? "tcp" : "udp");
	else
		conf_fail_more(ac, " (stream for a tcp service, dgram for a "
		    "udp one)");
}

static int
at_socket_type(struct attrctx *ac)
{
	static const struct { const char *n; int t; } t[] = {
		{ "stream", SOCK_STREAM }, { "dgram", SOCK_DGRAM }
	};
	static const char *const names[] = { "stream", "dgram", "raw",
	    "seqpacket" };
	const char	*near;
	size_t		 i;

	if (strcmp(ac->v[0], "raw") == 0 || strcmp(ac->v[0], "seqpacket") == 0)
		return conf_fail(ac, "%s is not supported", ac->v[0]);
	for (i = 0; i < nitems(t); i++)
		if (strcmp(ac->v[0], t[i].n) == 0) {
			ac->sc->socktype = t[i].t;
			return 0;
		}
	(void)conf_fail(ac, "unknown socket type '%s'", ac->v[0]);
	if ((near = suggest_word(ac->v[0], names, nitems(names))) != NULL)
		conf_did_you_mean(ac, near);
	else
		socktype_hint(ac);
	if (strcasecmp(ac->v[0], "yes") == 0 ||
	    strcasecmp(ac->v[0], "no") == 0)
		conf_fail_more(ac, "; '%s' is a value of wait, which goes on "
		    "a line of its own", ac->v[0]);
	return -1;
}

static const char *const protocols[] = { "tcp", "udp" };

static int
at_protocol(struct attrctx *ac)
{
	const char	*canon;
	int		 proto;

	if ((proto = services_protocol(ac->v[0], &canon)) == -1) {
		(void)conf_fail(ac, "unknown protocol '%s'", ac->v[0]);
		conf_did_you_mean(ac, suggest_word(ac->v[0], protocols,
		    nitems(protocols)));
		return -1;
	}
	free(ac->sc->protoname);
	ac->sc->protoname = xstrdup(canon);
	ac->sc->proto = proto;
	return 0;
}

static int
at_wait(struct attrctx *ac)
{
	/* inetd.conf's words, in a file of the other syntax. */
	if (strcmp(ac->v[0], "wait") == 0 || strcmp(ac->v[0], "nowait") == 0)
		return conf_fail(ac, "'%s' is not yes or no (did you mean "
		    "%s? %s is inetd.conf's word)", ac->v[0],
		    ac->v[0][0] == 'w' ? "yes" : "no", ac->v[0]);
	return parse_yesno(ac, &ac->sc->wait);
}

static int
at_user(struct attrctx *ac)
{
	struct privdrop_id	id;
	char			err[128];

	if (privdrop_lookup(ac->v[0], NULL, &id, err, sizeof(err)) == -1) {
		(void)conf_fail(ac, "%s", err);
		conf_fail_more(ac, "%s", conf_id_hint(err, sizeof(err),
		    ac->v[0], 0));
		return -1;
	}
	free(ac->sc->user);
	ac->sc->user = xstrdup(ac->v[0]);
	ac->sc->uid = id.uid;
	if (!(ac->sc->specified & SPEC(A_GROUP)))
		ac->sc->gid = id.gid;
	return 0;
}

static int
at_group(struct attrctx *ac)
{
	struct group	*gr;
	long long	 v;
	char		 hint[128];

	if ((gr = getgrnam(ac->v[0])) != NULL)
		ac->sc->gid = gr->gr_gid;
	else if (conf_number(ac->v[0], UINT_MAX - 1, &v) == 0)
		ac->sc->gid = (gid_t)v;
	else {
		(void)conf_fail(ac, "unknown group '%s'", ac->v[0]);
		conf_fail_more(ac, "%s", conf_id_hint(hint, sizeof(hint),
		    ac->v[0], 1));
		return -1;
	}
	free(ac->sc->group);
	ac->sc->group = xstrdup(ac->v[0]);
	return 0;
}

static int
at_server(struct attrctx *ac)
{
	struct stat	st;

	if (access(ac->v[0], X_OK) == -1 || stat(ac->v[0], &st) == -1)
		return conf_fail(ac, "server %s is not executable: %s",
		    ac->v[0], strerror(errno));
	if (!S_ISREG(st.st_mode))
		return conf_fail(ac, "server %s is not a regular file",
		    ac->v[0]);
	free(ac->sc->server);
	ac->sc->server = xstrdup(ac->v[0]);
	return 0;
}

static int
at_server_args(struct attrctx *ac)
{
	int	i;

	strv_free(&ac->sc->args, &ac->sc->nargs);
	for (i = 0; i < ac->n; i++)
		strv_push(&ac->sc->args, &ac->sc->nargs, ac->v[i]);
	return 0;
}

static int
at_instances(struct attrctx *ac)
{
	return parse_limit_count(ac, &ac->sc->instances);
}

static int
at_per_source(struct attrctx *ac)
{
	return parse_limit_count(ac, &ac->sc->per_source);
}

static int
at_log_success(struct attrctx *ac)
{
	return parse_bits(ac, success_names, nitems(success_names),
	    &ac->sc->log_success, "log_on_success flag");
}

static int
at_log_failure(struct attrctx *ac)
{
	return parse_bits(ac, failure_names, nitems(failure_names),
	    &ac->sc->log_failure, "log_on_failure flag");
}

static const char *const log_types[] = { "SYSLOG", "FILE" };

/*
 * The facility and level of "SYSLOG facility [level]": each unknown one
 * is named, after what the message already says.
 */
static int
log_syslog_words(struct attrctx *ac, int *facility, int *level)
{
	*level = LOG_INFO;
	if ((*facility = syslog_facility_parse(ac->v[1])) == -1) {
		conf_fail_more(ac, "%sunknown syslog facility '%s'",
		    ac->err[0] != '\0' ? ", " : "", ac->v[1]);
		conf_did_you_mean(ac, syslog_facility_nearest(ac->v[1]));
	}
	if (ac->n == 3 && (*level = syslog_level_parse(ac->v[2])) == -1) {
		conf_fail_more(ac, "%sunknown syslog level '%s'",
		    ac->err[0] != '\0' ? ", " : "", ac->v[2]);
		conf_did_you_mean(ac, syslog_level_nearest(ac->v[2]));
	}
	return *facility == -1 || *level == -1 ? -1 : 0;
}

static int
at_log_type(struct attrctx *ac)
{
	struct logspec	*ls = &ac->sc->log;
	const char	*near;
	rlim_t		 soft, hard;
	int		 facility, level;

	if (strcmp(ac->v[0], "SYSLOG") == 0) {
		if (ac->n < 2 || ac->n > 3)
			return conf_fail(ac, "SYSLOG takes a facility and an "
			    "optional level");
		if (log_syslog_words(ac, &facility, &level) == -1)
			return -1;
		ls->facility = facility;
		ls->level = level;
		ls->type = LOGT_SYSLOG;
		return 0;
	}
	if (strcmp(ac->v[0], "FILE") != 0) {
		near = suggest_word(ac->v[0], log_types, nitems(log_types));
		(void)conf_fail(ac, "unknown log type '%s'", ac->v[0]);
		conf_did_you_mean(ac, near);
		/* Check the rest too: "STSLOG deamon" has two slips. */
		if (near != NULL && strcmp(near, "SYSLOG") == 0 &&
		    ac->n >= 2 && ac->n <= 3)
			(void)log_syslog_words(ac, &facility, &level);
		return -1;
	}
	if (ac->n < 2 || ac->n > 4)
		return conf_fail(ac, "FILE takes a path and optional soft "
		    "and hard limits");
	soft = hard = 0;
	if (ac->n > 2 && (conf_size(ac->v[2], 1, &soft) == -1 ||
	    soft == RLIM_INFINITY))
		return conf_fail(ac, "soft limit '%s' is invalid", ac->v[2]);
	if (ac->n > 3) {
		if (conf_size(ac->v[3], 1, &hard) == -1 ||
		    hard == RLIM_INFINITY)
			return conf_fail(ac, "hard limit '%s' is invalid",
			    ac->v[3]);
		if (hard < soft)
			return conf_fail(ac, "hard limit (%llu) is less than "
			    "soft limit (%llu)", (unsigned long long)hard,
			    (unsigned long long)soft);
	} else if (ac->n > 2) {
		/* xinetd: 1% more, but between 5 KiB and 20 KiB more. */
		rlim_t	extra = soft / 100;

		extra = extra < 5120 ? 5120 : extra > 20480 ? 20480 : extra;
		hard = soft + extra;
	}
	free(ls->path);
	ls->path = xstrdup(ac->v[1]);
	ls->soft = (off_t)soft;
	ls->hard = (off_t)hard;
	ls->type = LOGT_FILE;
	return 0;
}

static int
parse_acl(struct attrctx *ac, struct acl *acl)
{
	int	i;

	/*
	 * xinetd lets an empty list in defaults pass (every client may
	 * connect) where a service's own empty only_from lets nobody in;
	 * a commented-out line that lost its '#' is the usual cause.
	 */
	if (ac->isdef && ac->n == 0) {
		lexer_warn(ac->lx, "defaults: %s: no value, which does nothing "
		    "in defaults (remove the line or comment it out)",
		    acl == &ac->sc->only_from ? "only_from" : "no_access");
		return 0;
	}
	if (ac->op == OP_SET && !ac->isdef)
		acl_clear(acl);
	acl->set = 1;
	for (i = 0; i < ac->n; i++) {
		if (ac->op == OP_DEL) {
			if (acl_remove(acl, ac->v[i], ac->err,
			    sizeof(ac->err)) == -1)
				lexer_warn(ac->lx, "%s: %s (ignored)",
				    conf_attr_name(A_ONLY_FROM), ac->err);
			continue;
		}
		if (acl_add(acl, ac->v[i], ac->err, sizeof(ac->err)) == -1)
			return -1;
	}
	return 0;
}

static int
at_only_from(struct attrctx *ac)
{
	return parse_acl(ac, &ac->sc->only_from);
}

static int
at_no_access(struct attrctx *ac)
{
	return parse_acl(ac, &ac->sc->no_access);
}

static int
parse_hhmm(const char *s, int *minutes)
{
	int	h, m, len = 0;

	if (sscanf(s, "%d:%d%n", &h, &m, &len) != 2 || len == 0 ||
	    !isdigit((unsigned char)s[0]))
		return -1;
	if (h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0))
		return -1;
	*minutes = h * 60 + m;
	return len;
}

static int
at_access_times(struct attrctx *ac)
{
	struct svcconf	*sc = ac->sc;
	int		 i, a, b, n1, n2;

	free(sc->times);
	sc->times = NULL;
	sc->ntimes = 0;
	for (i = 0; i < ac->n; i++) {
		const char	*s = ac->v[i];

		if ((n1 = parse_hhmm(s, &a)) == -1 || s[n1] != '-' ||
		    (n2 = parse_hhmm(s + n1 + 1, &b)) == -1 ||
		    s[n1 + 1 + n2] != '\0')
			return conf_fail(ac, "'%s' is not an interval "
			    "hh:mm-hh:mm", s);
		sc->times = xreallocarray(sc->times, (size_t)sc->ntimes + 1,
		    sizeof(*sc->times));
		sc->times[sc->ntimes].from = a;
		sc->times[sc->ntimes].to = b;
		sc->ntimes++;
	}
	return 0;
}

static int
at_type(struct attrctx *ac)
{
	int	saved = ac->op;
	int	r;

	ac->op = OP_ADD;	/* xinetd: types always accumulate */
	r = parse_bits(ac, type_names, nitems(type_names), &ac->sc->type,
	    "service type");
	ac->op = saved;
	return r;
}

static int
at_flags(struct attrctx *ac)
{
	int	saved = ac->op;
	int	r;

	ac->op = OP_ADD;
	r = parse_bits(ac, flag_names, nitems(flag_names), &ac->sc->flags,
	    "flag");
	ac->op = saved;
	return r;
}

static int
at_rpc_version(struct attrctx *ac)
{
	long long	a, b;
	char		*dash = strchr(ac->v[0], '-');

	if (dash != NULL)
		*dash = '\0';
	if (conf_number(ac->v[0], INT_MAX, &a) == -1 ||
	    (dash != NULL && conf_number(dash + 1, INT_MAX, &b) == -1))
		return conf_fail(ac, "bad RPC version range");
	if (dash == NULL)
		b = a;
	if (a > b)
		return conf_fail(ac, "bad RPC version range");
	ac->sc->rpc_min = (int)a;
	ac->sc->rpc_max = (int)b;
	return 0;
}

static int
at_rpc_number(struct attrctx *ac)
{
	long long	v;

	if (conf_number(ac->v[0], INT_MAX, &v) == -1)
		return conf_fail(ac, "'%s' is not a number", ac->v[0]);
	ac->sc->rpc_number = (int)v;
	return 0;
}

static int
at_id(struct attrctx *ac)
{
	free(ac->sc->id);
	ac->sc->id = xstrdup(ac->v[0]);
	return 0;
}

static int
at_env(struct attrctx *ac)
{
	int	i;

	if (ac->op == OP_DEL)
		return conf_fail(ac, "operator '-=' is not supported for env");
	for (i = 0; i < ac->n; i++)
		if (strchr(ac->v[i], '=') == NULL || ac->v[i][0] == '=')
			return conf_fail(ac, "'%s' is not NAME=VALUE",
			    ac->v[i]);
	if (ac->op == OP_SET)
		strv_free(&ac->sc->env, &ac->sc->nenv);
	for (i = 0; i < ac->n; i++)
		strv_push(&ac->sc->env, &ac->sc->nenv, ac->v[i]);
	return 0;
}

static int
at_port(struct attrctx *ac)
{
	long long	v;

	if (conf_number(ac->v[0], 65535, &v) == -1)
		return conf_fail(ac, "port number '%s' is invalid", ac->v[0]);
	ac->sc->port = (int)v;
	return 0;
}

static int
at_passenv(struct attrctx *ac)
{
	struct svcconf	*sc = ac->sc;
	int		 i, k;

	if (ac->op == OP_SET && !ac->isdef)
		strv_free(&sc->passenv, &sc->npassenv);
	for (i = 0; i < ac->n; i++) {
		k = strv_find(sc->passenv, sc->npassenv, ac->v[i]);
		if (ac->op == OP_DEL) {
			if (k >= 0) {
				free(sc->passenv[k]);
				memmove(&sc->passenv[k], &sc->passenv[k + 1],
				    (size_t)(sc->npassenv - k) *
				    sizeof(*sc->passenv));
				sc->npassenv--;
			}
			continue;
		}
		if (k >= 0)
			continue;
		if (getenv(ac->v[i]) == NULL)
			lexer_warn(ac->lx, "passenv: %s is not set in the "
			    "environment (ignored)", ac->v[i]);
		else
			strv_push(&sc->passenv, &sc->npassenv, ac->v[i]);
	}
	if (sc->passenv == NULL)	/* an empty list passes nothing */
		sc->passenv = xcalloc(1, sizeof(*sc->passenv));
	return 0;
}

static int
at_nice(struct attrctx *ac)
{
	const char	*errstr;
	long long	 v;

	v = strtonum(ac->v[0], -20, 19, &errstr);
	if (errstr != NULL)
		return conf_fail(ac, "nice value '%s' is %s (-20 to 19)",
		    ac->v[0], errstr);
	ac->sc->nice = (int)v;
	return 0;
}

static int
at_redirect(struct attrctx *ac)
{
	struct addrinfo	 hints, *res;
	long long	 port;
	int		 r;

	if (conf_number(ac->v[1], 65535, &port) == -1 || port == 0) {
		if ((port = services_port(ac->conf->svc, ac->v[1],
		    IPPROTO_TCP)) == -1)
			return conf_fail(ac, "port '%s' is invalid", ac->v[1]);
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if ((r = getaddrinfo(ac->v[0], NULL, &hints, &res)) != 0)
		return conf_fail(ac, "address '%s': %s", ac->v[0],
		    gai_strerror(r));
	memcpy(&ac->sc->redir, res->ai_addr, res->ai_addrlen);
	ac->sc->redirlen = res->ai_addrlen;
	freeaddrinfo(res);
	addr_sockaddr_set_port(&ac->sc->redir, (uint16_t)port);
	return 0;
}

static int
parse_banner(struct attrctx *ac, char **dst)
{
	if (access(ac->v[0], R_OK) == -1)
		lexer_warn(ac->lx, "banner file %s: %s", ac->v[0],
		    strerror(errno));
	free(*dst);
	*dst = xstrdup(ac->v[0]);
	return 0;
}

static int
at_banner(struct attrctx *ac)
{
	return parse_banner(ac, &ac->sc->banner);
}

static int
at_banner_success(struct attrctx *ac)
{
	return parse_banner(ac, &ac->sc->banner_success);
}

static int
at_banner_fail(struct attrctx *ac)
{
	return parse_banner(ac, &ac->sc->banner_fail);
}

static int
at_bind(struct attrctx *ac)
{
	struct bindaddr	ba;

	/* Check it now, so the error names this line; resolve it later. */
	if (addr_parse_bind(ac->v[0], AF_UNSPEC, &ba, ac->err,
	    sizeof(ac->err)) == -1)
		return -1;
	free(ac->sc->bindstr);
	ac->sc->bindstr = xstrdup(ac->v[0]);
	return 0;
}

static int
at_groups(struct attrctx *ac)
{
	return parse_yesno(ac, &ac->sc->groups);
}

static int
at_cps(struct attrctx *ac)
{
	long long	max, wait;

	if (conf_number(ac->v[0], INT_MAX, &max) == -1)
		return conf_fail(ac, "'%s' is not a number", ac->v[0]);
	if (conf_number(ac->v[1], INT_MAX, &wait) == -1)
		return conf_fail(ac, "'%s' is not a number", ac->v[1]);
	ac->sc->cps.max = (unsigned)max;
	ac->sc->cps.window = 1;
	ac->sc->cps.wait = (unsigned)wait;
	return 0;
}

static int
at_disable(struct attrctx *ac)
{
	return parse_yesno(ac, &ac->sc->disabled);
}

static int
at_max_load(struct attrctx *ac)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(ac->v[0], &end);
	if (*end != '\0' || errno != 0 || !(v > 0))
		return conf_fail(ac, "'%s' is not a positive load average%s",
		    ac->v[0], v == 0 && *end == '\0' ? " (0 is not \"no "
		    "limit\": remove the line or comment it out)" : "");
	ac->sc->max_load = v;
	return 0;
}

static int
at_rlimit(struct attrctx *ac, int which, int units)
{
	if (conf_size(ac->v[0], units, &ac->sc->rlim[which]) == -1) {
		(void)conf_fail(ac, "'%s' is not a number%s or UNLIMITED",
		    ac->v[0], units ? " (K or M allowed)" : "");
		conf_did_you_mean(ac, suggest_word(ac->v[0], unlimited, 1));
		return -1;
	}
	return 0;
}

static int at_rlimit_as(struct attrctx *ac) { return at_rlimit(ac, 0, 1); }
static int at_rlimit_cpu(struct attrctx *ac) { return at_rlimit(ac, 1, 0); }
static int at_rlimit_data(struct attrctx *ac) { return at_rlimit(ac, 2, 1); }
static int at_rlimit_files(struct attrctx *ac) { return at_rlimit(ac, 3, 0); }
static int at_rlimit_rss(struct attrctx *ac) { return at_rlimit(ac, 4, 1); }
static int at_rlimit_stack(struct attrctx *ac) { return at_rlimit(ac, 5, 1); }

static int
at_v6only(struct attrctx *ac)
{
	return parse_yesno(ac, &ac->sc->v6only);
}

static int
at_deny_time(struct attrctx *ac)
{
	static const char *const words[] = { "FOREVER", "NEVER" };
	long long	v;

	if (strcmp(ac->v[0], "FOREVER") == 0)
		ac->sc->deny_time = -1;
	else if (strcmp(ac->v[0], "NEVER") == 0)
		ac->sc->deny_time = 0;
	else if (conf_number(ac->v[0], INT_MAX / 60, &v) == 0)
		ac->sc->deny_time = (int)v;
	else {
		(void)conf_fail(ac, "'%s' is not minutes, FOREVER or NEVER",
		    ac->v[0]);
		conf_did_you_mean(ac, suggest_word(ac->v[0], words,
		    nitems(words)));
		return -1;
	}
	return 0;
}

static int
at_umask(struct attrctx *ac)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(ac->v[0], &end, 8);
	if (*end != '\0' || ac->v[0][0] == '\0' || errno != 0 || v < 0 ||
	    v > 0777)
		return conf_fail(ac, "'%s' is not an octal umask", ac->v[0]);
	ac->sc->umask = (mode_t)v;
	return 0;
}

static int
at_libwrap(struct attrctx *ac)
{
	free(ac->sc->libwrap);
	ac->sc->libwrap = xstrdup(ac->v[0]);
	return 0;
}

static int
at_mdns(struct attrctx *ac)
{
	return parse_yesno(ac, &ac->sc->mdns);
}

static int
at_enabled(struct attrctx *ac)
{
	struct confdefaults	*d = &ac->conf->def;
	int			 i;

	/* As in xinetd: a list of none enables no service. */
	if (ac->n == 0 && ac->op == OP_SET)
		lexer_warn(ac->lx, "defaults: enabled: no value, so no service "
		    "is enabled (remove the line or comment it out)");
	d->enabled_set = 1;
	for (i = 0; i < ac->n; i++)
		strv_push(&d->enabled, &d->nenabled, ac->v[i]);
	return 0;
}

static int
at_disabled(struct attrctx *ac)
{
	struct confdefaults	*d = &ac->conf->def;
	int			 i;

	for (i = 0; i < ac->n; i++)
		strv_push(&d->disabled, &d->ndisabled, ac->v[i]);
	return 0;
}

static int
at_path(struct attrctx *ac, char **dst)
{
	if (ac->v[0][0] != '/')
		return conf_fail(ac, "'%s' is not an absolute path", ac->v[0]);
	free(*dst);
	*dst = xstrdup(ac->v[0]);
	return 0;
}

static int
at_hosts_allow(struct attrctx *ac)
{
	return at_path(ac, &ac->conf->def.hosts_allow);
}

static int
at_hosts_deny(struct attrctx *ac)
{
	return at_path(ac, &ac->conf->def.hosts_deny);
}

static int
at_dump_file(struct attrctx *ac)
{
	return at_path(ac, &ac->conf->def.dump_file);
}

#define SV	AT_SERVICE
#define DF	AT_DEFAULTS
#define LS	AT_LIST
static const struct attrdef attrdefs[] = {
	{ "socket_type",    A_SOCKET_TYPE,     1, SV,      at_socket_type },
	{ "protocol",       A_PROTOCOL,        1, SV,      at_protocol },
	{ "wait",           A_WAIT,            1, SV,      at_wait },
	{ "user",           A_USER,            1, SV,      at_user },
	{ "group",          A_GROUP,           1, SV,      at_group },
	{ "server",         A_SERVER,          1, SV,      at_server },
	{ "server_args",    A_SERVER_ARGS,    -1, SV,      at_server_args },
	{ "instances",      A_INSTANCES,       1, SV | DF, at_instances },
	{ "log_on_success", A_LOG_ON_SUCCESS, -1, SV | DF | LS, at_log_success },
	{ "log_on_failure", A_LOG_ON_FAILURE, -1, SV | DF | LS, at_log_failure },
	{ "log_type",       A_LOG_TYPE,       -2, SV | DF, at_log_type },
	{ "only_from",      A_ONLY_FROM,      -1, SV | DF | LS, at_only_from },
	{ "no_access",      A_NO_ACCESS,      -1, SV | DF | LS, at_no_access },
	{ "access_times",   A_ACCESS_TIMES,   -2, SV,      at_access_times },
	{ "type",           A_TYPE,           -1, SV,      at_type },
	{ "rpc_version",    A_RPC_VERSION,     1, SV,      at_rpc_version },
	{ "rpc_number",     A_RPC_NUMBER,      1, SV,      at_rpc_number },
	{ "id",             A_ID,              1, SV,      at_id },
	{ "env",            A_ENV,            -1, SV | LS, at_env },
	{ "port",           A_PORT,            1, SV,      at_port },
	{ "passenv",        A_PASSENV,        -1, SV | DF | LS, at_passenv },
	{ "flags",          A_FLAGS,          -1, SV,      at_flags },
	{ "nice",           A_NICE,            1, SV,      at_nice },
	{ "redirect",       A_REDIRECT,        2, SV,      at_redirect },
	{ "banner",         A_BANNER,          1, SV | DF, at_banner },
	{ "bind",           A_BIND,            1, SV | DF, at_bind },
	{ "interface",      A_BIND,            1, SV | DF, at_bind },
	{ "per_source",     A_PER_SOURCE,      1, SV | DF, at_per_source },
	{ "groups",         A_GROUPS,          1, SV | DF, at_groups },
	{ "banner_success", A_BANNER_SUCCESS,  1, SV | DF, at_banner_success },
	{ "banner_fail",    A_BANNER_FAIL,     1, SV | DF, at_banner_fail },
	{ "cps",            A_CPS,             2, SV | DF, at_cps },
	{ "disable",        A_DISABLE,         1, SV,      at_disable },
	{ "max_load",       A_MAX_LOAD,        1, SV | DF, at_max_load },
	{ "rlimit_as",      A_RLIMIT_AS,       1, SV,      at_rlimit_as },
	{ "rlimit_cpu",     A_RLIMIT_CPU,      1, SV,      at_rlimit_cpu },
	{ "rlimit_data",    A_RLIMIT_DATA,     1, SV,      at_rlimit_data },
	{ "rlimit_files",   A_RLIMIT_FILES,    1, SV,      at_rlimit_files },
	{ "rlimit_rss",     A_RLIMIT_RSS,      1, SV,      at_rlimit_rss },
	{ "rlimit_stack",   A_RLIMIT_STACK,    1, SV,      at_rlimit_stack },
	{ "v6only",         A_V6ONLY,          1, SV | DF, at_v6only },
	{ "deny_time",      A_DENY_TIME,       1, SV,      at_deny_time },
	{ "umask",          A_UMASK,           1, SV | DF, at_umask },
	{ "libwrap",        A_LIBWRAP,         1, SV,      at_libwrap },
	{ "mdns",           A_MDNS,            1, SV | DF, at_mdns },
	{ "enabled",        A_ENABLED,        -1, DF | LS, at_enabled },
	{ "disabled",       A_DISABLED,       -1, DF | LS, at_disabled },
	{ "hosts_allow",    A_HOSTS_ALLOW,     1, DF,      at_hosts_allow },
	{ "hosts_deny",     A_HOSTS_DENY,      1, DF,      at_hosts_deny },
	{ "dump_file",      A_DUMP_FILE,       1, DF,      at_dump_file },
};
#undef SV
#undef DF
#undef LS

/* Copy the list attributes of defaults into a new service entry. */
static void
conf_inherit_lists(struct svcconf *sc, const struct svcconf *d)
{
	if (d->specified & SPEC(A_LOG_ON_SUCCESS))
		sc->log_success = d->log_success;
	if (d->specified & SPEC(A_LOG_ON_FAILURE))
		sc->log_failure = d->log_failure;
	if (d->only_from.set)
		acl_copy(&sc->only_from, &d->only_from);
	if (d->no_access.set)
		acl_copy(&sc->no_access, &d->no_access);
	if (d->specified & SPEC(A_PASSENV)) {
		strv_copy(&sc->passenv, &sc->npassenv, d->passenv,
		    d->npassenv);
		if (sc->passenv == NULL)
			sc->passenv = xcalloc(1, sizeof(*sc->passenv));
	}
	if (d->banner != NULL)
		sc->banner = xstrdup(d->banner);
	if (d->banner_success != NULL)
		sc->banner_success = xstrdup(d->banner_success);
	if (d->banner_fail != NULL)
		sc->banner_fail = xstrdup(d->banner_fail);
}

static const struct attrdef *
conf_attr_lookup(const char *name)
{
	size_t	i;

	for (i = 0; i < nitems(attrdefs); i++)
		if (strcmp(attrdefs[i].name, name) == 0)
			return &attrdefs[i];
	return NULL;
}

/*
 * Cut "name op values" where op is =, += or -=, blanks around it
 * optional.  Returns the name, or NULL when there is no operator.
 */
static char *
conf_split_attr(char *line, int *op, char **rest)
{
	char	*eq = strchr(line, '='), *name;

	if (eq == NULL)
		return NULL;
	*op = OP_SET;
	*rest = eq + 1;
	if (eq > line && (eq[-1] == '+' || eq[-1] == '-')) {
		*op = eq[-1] == '+' ? OP_ADD : OP_DEL;
		eq--;
	}
	*eq = '\0';
	name = lexer_trim(line);
	return *name == '\0' ? NULL : name;
}

static void conf_attr_msg(struct lexer *, struct svcconf *, int, int,
    const char *, ...) __printflike(5, 6);

/* "defaults: ..." or "service NAME: ...", at the current line. */
static void
conf_attr_msg(struct lexer *lx, struct svcconf *sc, int isdef, int error,
    const char *fmt, ...)
{
	char	msg[512];
	va_list	ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!error)
		lexer_warn(lx, "%s%s: %s", isdef ? "defaults" : "service ",
		    isdef ? "" : sc->name, msg);
	else if (isdef)
		lexer_error(lx, "defaults: %s", msg);
	else {
		lexer_error(lx, "service %s: %s; service disabled", sc->name,
		    msg);
		sc->broken = 1;
	}
}

static void
conf_attr(struct conf *cf, struct lexer *lx, struct svcconf *sc, int isdef,
    char *line)
{
	const struct attrdef	*ad;
	struct attrctx		 ac;
	char			*name, *rest, *w, *words[256], hint[128];
	int			 op, n = 0;

	if ((name = conf_split_attr(line, &op, &rest)) == NULL) {
		conf_attr_msg(lx, sc, isdef, 1, "expected 'attribute = "
		    "value', not '%s'", lexer_trim(line));
		return;
	}
	while ((w = lexer_word(&rest)) != NULL) {
		if (n == (int)nitems(words) - 1) {
			conf_attr_msg(lx, sc, isdef, 1, "%s: too many values",
			    name);
			return;
		}
		words[n++] = w;
	}
	words[n] = NULL;
	if ((ad = conf_attr_lookup(name)) == NULL) {
		conf_attr_msg(lx, sc, isdef, 0, "unknown attribute '%s'%s "
		    "(ignored)", name, conf_hint(hint, sizeof(hint),
		    suggest_word_in(name, attrdefs, nitems(attrdefs),
		    sizeof(attrdefs[0]))));
		return;
	}
	if (isdef && !(ad->where & AT_DEFAULTS)) {
		conf_attr_msg(lx, sc, isdef, 0, "'%s' is not allowed in "
		    "defaults (ignored)", name);
		return;
	}
	if (!isdef && !(ad->where & AT_SERVICE)) {
		conf_attr_msg(lx, sc, isdef, 0, "'%s' belongs in defaults "
		    "(ignored)", name);
		return;
	}
	if (!(ad->where & AT_LIST)) {
		if (op != OP_SET) {
			conf_attr_msg(lx, sc, isdef, 1, "%s: operator '%s' "
			    "cannot be used here", name,
			    op == OP_ADD ? "+=" : "-=");
			return;
		}
		if (sc->specified & SPEC(ad->id)) {
			conf_attr_msg(lx, sc, isdef, 0, "%s: already set (this "
			    "value is ignored)", name);
			return;
		}
	}
	/* A commented-out line that lost its '#', as often as not. */
	if (n == 0 && ad->nvalues != -1) {
		conf_attr_msg(lx, sc, isdef, 1, "%s: no value (remove the "
		    "line or comment it out)", name);
		return;
	}
	if (ad->nvalues >= 0 && ad->nvalues != n) {
		conf_attr_msg(lx, sc, isdef, 1, "%s: expects %d value%s, not "
		    "%d", name, ad->nvalues, ad->nvalues == 1 ? "" : "s", n);
		return;
	}
	memset(&ac, 0, sizeof(ac));
	ac.conf = cf;
	ac.sc = sc;
	ac.lx = lx;
	ac.isdef = isdef;
	ac.op = op;
	ac.v = words;
	ac.n = n;
	if (ad->parse(&ac) == -1) {
		conf_attr_msg(lx, sc, isdef, 1, "%s: %s", name, ac.err);
		return;
	}
	sc->specified |= SPEC(ad->id);
}

/* --- files ------------------------------------------------------------- */

static int	conf_parse_dir(struct conf *, struct lexer *, const char *,
		    const struct confopts *, int);
static int	conf_parse_xinetd(struct conf *, const char *,
		    const struct confopts *, int);

/* A path named in a file is taken relative to that file's directory. */
static char *
conf_relpath(const char *from, const char *path)
{
	char	*copy, *dir, *out;

	if (path[0] == '/')
		return xstrdup(path);
	copy = xstrdup(from);
	dir = dirname(copy);
	(void)xasprintf(&out, "%s/%s", dir, path);
	free(copy);
	return out;
}

static int
conf_word_is(const char *line, const char *kw)
{
	size_t	n = strlen(kw);

	return strncmp(line, kw, n) == 0 &&
	    (line[n] == '\0' || isspace((unsigned char)line[n]) ||
	    line[n] == '{');
}

struct entrystate {
	struct svcconf	*sc;		/* entry being read, or NULL */
	int		 isdef;
	int		 brace;		/* its '{' was seen */
	int		 skip;		/* discarding a bad entry's body */
	int		 found_defaults;
};

static void
conf_end_entry(struct conf *cf, struct entrystate *es)
{
	if (es->sc == NULL)
		return;
	if (es->isdef) {
		/*
		 * The first was merged into cf->def.sc as it was read; a
		 * second one, refused, was read into a throw-away entry.
		 */
		if (es->sc != cf->def.sc)
			svcconf_free(es->sc);
	} else {
		if (es->sc->id == NULL)
			es->sc->id = xstrdup(es->sc->name);
		conf_add_service(cf, es->sc);
	}
	es->sc = NULL;
	es->brace = 0;
}

static const char *const keywords[] = { "service", "defaults", "include",
    "includedir" };

/* "service NAME [{]", "defaults [{]", "include X", "includedir X". */
static void
conf_outside(struct conf *cf, struct lexer *lx, struct entrystate *es,
    char *line, const struct confopts *co, int depth)
{
	char	*cur = line, *kw, *arg, *extra, *path, msg[256];
	int	 brace = strchr(line, '{') != NULL;

	kw = lexer_word_sep(&cur, " \t{");
	arg = lexer_word_sep(&cur, " \t{");
	extra = lexer_word_sep(&cur, " \t{");
	if (strcmp(kw, "include") == 0 || strcmp(kw, "includedir") == 0) {
		if (arg == NULL) {
			lexer_error(lx, "%s: missing path", kw);
			return;
		}
		if (extra != NULL || brace)
			lexer_warn(lx, "%s: extra words after the path "
			    "(ignored)", kw);
		if (depth >= INCLUDE_DEPTH) {
			lexer_error(lx, "%s %s: includes nested too deeply",
			    kw, arg);
			return;
		}
		path = conf_relpath(lx->path, arg);
		if (kw[7] == '\0') {
			if (conf_parse_xinetd(cf, path, co, depth + 1) == -1)
				lexer_error(lx, "include %s: %s", path,
				    strerror(errno));
		} else
			(void)conf_parse_dir(cf, lx, path, co, depth + 1);
		free(path);
		return;
	}
	if (strcmp(kw, "service") == 0 || strcmp(kw, "defaults") == 0) {
		int	isdef = kw[0] == 'd';

		if (!isdef && arg == NULL) {
			lexer_error(lx, "service name missing");
			es->skip = 2;
			return;
		}
		if ((isdef && arg != NULL) || extra != NULL)
			lexer_warn(lx, "extra words after '%s%s%s' (ignored)",
			    kw, isdef ? "" : " ", isdef ? "" : arg);
		es->isdef = isdef;
		if (isdef) {
			if (es->found_defaults)
				lexer_error(lx, "only one defaults entry is "
				    "allowed; this one is ignored");
			es->sc = es->found_defaults ?
			    svcconf_new(NULL, lx->path, lx->line) :
			    cf->def.sc;
			if (!es->found_defaults) {
				cf->def.sc->line = lx->line;
				free(cf->def.sc->file);
				cf->def.sc->file = xstrdup(lx->path);
			}
			es->found_defaults = 1;
		} else {
			es->sc = svcconf_new(arg, lx->path, lx->line);
			conf_inherit_lists(es->sc, cf->def.sc);
		}
		es->brace = brace;
		return;
	}
	(void)snprintf(msg, sizeof(msg), "expected service, defaults, include "
	    "or includedir, not '%s'", kw);
	lexer_error(lx, "%s", suggest_append(msg, sizeof(msg), kw, keywords,
	    nitems(keywords)));
	es->skip = 2;	/* skip a following { ... } block, if any */
}

static void
conf_drop_entry(struct conf *cf, struct entrystate *es)
{
	if (es->sc != NULL && es->sc != cf->def.sc)
		svcconf_free(es->sc);
	es->sc = NULL;
	es->brace = 0;
}

static void
conf_line(struct conf *cf, struct lexer *lx, struct entrystate *es,
    char *line, const struct confopts *co, int depth)
{
	size_t	n;

	if (es->skip == 2) {
		es->skip = strcmp(line, "{") == 0;
		if (es->skip)
			return;
	}
	if (es->skip) {
		if (strcmp(line, "}") == 0)
			es->skip = 0;
		return;
	}
	if (es->sc == NULL) {
		if (strcmp(line, "}") == 0 || strcmp(line, "{") == 0)
			lexer_error(lx, "unexpected '%s'", line);
		else
			conf_outside(cf, lx, es, line, co, depth);
		return;
	}
	if (!es->brace) {
		if (strcmp(line, "{") == 0) {
			es->brace = 1;
			return;
		}
		lexer_error(lx, "%s%s: missing '{'", es->isdef ? "defaults" :
		    "service ", es->isdef ? "" : es->sc->name);
		conf_drop_entry(cf, es);
		es->skip = 1;
		return;
	}
	if (strcmp(line, "}") == 0) {
		conf_end_entry(cf, es);
		return;
	}
	if (conf_word_is(line, "service") || conf_word_is(line, "defaults") ||
	    conf_word_is(line, "include") || conf_word_is(line, "includedir")) {
		lexer_error(lx, "missing '}' before this line");
		conf_end_entry(cf, es);
		conf_outside(cf, lx, es, line, co, depth);
		return;
	}
	n = strlen(line);
	if (n > 1 && line[n - 1] == '}' && isspace((unsigned char)line[n - 2])) {
		line[n - 1] = '\0';
		conf_attr(cf, lx, es->sc, es->isdef, line);
		conf_end_entry(cf, es);
		return;
	}
	conf_attr(cf, lx, es->sc, es->isdef, line);
}

/* Parse one file in xinetd syntax.  -1 with errno when it cannot be read. */
static int
conf_parse_xinetd(struct conf *cf, const char *path,
    const struct confopts *co, int depth)
{
	struct lexer		lx;
	struct entrystate	es;
	char			*line;
	int			r;

	if (lexer_open(&lx, path) == -1)
		return -1;
	cf->nfiles++;
	memset(&es, 0, sizeof(es));
	es.found_defaults = cf->def.sc->line != 0;
	while ((r = lexer_next_line(&lx, LEX_COMMENTS | LEX_BLANKS |
	    LEX_TRAILING)) == 1) {
		line = lexer_trim(lx.buf);
		conf_line(cf, &lx, &es, line, co, depth);
	}
	if (r == -1)
		lexer_error(&lx, "read error: %s", strerror(errno));
	if (es.sc != NULL) {
		lx.line = lx.nextline;
		lexer_error(&lx, "%s%s: missing '}' at end of file",
		    es.isdef ? "defaults" : "service ",
		    es.isdef ? "" : es.sc->name);
		conf_drop_entry(cf, &es);
	}
	cf->nerrors += lx.nerrors;
	cf->nwarnings += lx.nwarnings;
	lexer_close(&lx);
	return 0;
}

static int
conf_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * includedir: every regular file whose name has no '.' and does not end
 * in '~', in C-locale order.
 */
static int
conf_parse_dir(struct conf *cf, struct lexer *lx, const char *dir,
    const struct confopts *co, int depth)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		**names = NULL, *p;
	int		 n = 0, i;

	if ((d = opendir(dir)) == NULL) {
		lexer_error(lx, "includedir %s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t	len = strlen(de->d_name);

		if (strchr(de->d_name, '.') != NULL || len == 0 ||
		    de->d_name[len - 1] == '~')
			continue;
		strv_push(&names, &n, de->d_name);
	}
	(void)closedir(d);
	if (n > 0)
		qsort(names, (size_t)n, sizeof(*names), conf_name_cmp);
	for (i = 0; i < n; i++) {
		(void)xasprintf(&p, "%s/%s", dir, names[i]);
		/* A dangling link or a FIFO is named, never skipped mutely. */
		if (stat(p, &st) == -1)
			lexer_warn(lx, "includedir: unable to stat %s: %s "
			    "(skipped)", p, strerror(errno));
		else if (!S_ISREG(st.st_mode))
			lexer_warn(lx, "includedir: %s is not a regular file "
			    "(skipped)", p);
		else if (conf_parse_xinetd(cf, p, co, depth) == -1)
			lexer_error(lx, "includedir %s: %s: %s", dir,
			    names[i], strerror(errno));
		free(p);
	}
	strv_free(&names, &n);
	return 0;
}

/* Read path, in xinetd.conf syntax, into cf. */
int
xinetdconf_parse(struct conf *cf, const char *path,
    const struct confopts *co)
{
	return conf_parse_xinetd(cf, path, co, 0);
}
