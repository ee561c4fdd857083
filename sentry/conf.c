/*
 * conf.c: portsentry.conf, as portsentry 1.2 reads it, and a little more.
 *
 *	KEY="value"		# blanks around '=' allowed, comments after
 *
 * 1.2 takes the first line naming a key and skips an unquoted value with
 * a warning; it never says that a key is misspelt or a number is not one,
 * and finds out that a file is missing only when a packet arrives.  Here
 * the first value still wins, but every problem of the file is reported as
 * "file:line: what is wrong" before the daemon starts, and a file with
 * errors is refused.
 */
#include "config.h"

#include <sys/types.h>
#include <netinet/in.h>
#include <net/if.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"
#include "log.h"
#include "portlist.h"
#include "sentry.h"
#include "suggest.h"
#include "xmalloc.h"

#define HOSTS_DENY_DEFAULT	"/etc/hosts.deny"

static const char *const mode_names[MODE_COUNT] = {
	"tcp", "udp", "stcp", "sudp", "atcp", "audp"
};

const char *
mode_name(int m)
{
	return m >= 0 && m < MODE_COUNT ? mode_names[m] : "?";
}

int
mode_parse(const char *s)
{
	int	m;

	if (s[0] != '-')
		return -1;
	for (m = 0; m < MODE_COUNT; m++)
		if (strcmp(s + 1, mode_names[m]) == 0)
			return m;
	return -1;
}

/* The mode a mistyped word ("-stpc", "-TCP") probably means. */
const char *
mode_nearest(const char *s)
{
	if (s[0] != '-')
		return NULL;
	return suggest_word(s + 1, mode_names, MODE_COUNT);
}

int
mode_proto(int m)
{
	return MODE_BIT(m) & MODES_TCP ? IPPROTO_TCP : IPPROTO_UDP;
}

int
mode_is_classic(int m)
{
	return m == MODE_TCP || m == MODE_UDP;
}

/* BLOCK_TCP or BLOCK_UDP, as applies to a mode. */
int
conf_block(const struct sentry_conf *cf, int mode)
{
	return cf->block[mode_proto(mode) == IPPROTO_TCP ? 0 : 1];
}

/* --- keys ---------------------------------------------------------------- */

enum key {
	K_TCP_PORTS, K_UDP_PORTS, K_ADV_TCP, K_ADV_UDP, K_EXCL_TCP, K_EXCL_UDP,
	K_IGNORE_FILE, K_HISTORY_FILE, K_BLOCKED_FILE, K_HOSTS_DENY_FILE,
	K_RESOLVE_HOST, K_BLOCK_TCP, K_BLOCK_UDP, K_KILL_ROUTE, K_KILL_ROUTE6,
	K_KILL_HOSTS_DENY, K_KILL_RUN_CMD, K_KILL_RUN_CMD_FIRST,
	K_UNBLOCK_CMD, K_SCAN_TRIGGER, K_SCAN_WINDOW, K_BLOCK_TIMEOUT,
	K_PORT_BANNER, K_INTERFACE, K_COUNT
};

static const char *const key_names[K_COUNT] = {
	"TCP_PORTS", "UDP_PORTS", "ADVANCED_PORTS_TCP", "ADVANCED_PORTS_UDP",
	"ADVANCED_EXCLUDE_TCP", "ADVANCED_EXCLUDE_UDP", "IGNORE_FILE",
	"HISTORY_FILE", "BLOCKED_FILE", "HOSTS_DENY_FILE", "RESOLVE_HOST",
	"BLOCK_TCP", "BLOCK_UDP", "KILL_ROUTE", "KILL_ROUTE6",
	"KILL_HOSTS_DENY", "KILL_RUN_CMD", "KILL_RUN_CMD_FIRST",
	"UNBLOCK_CMD", "SCAN_TRIGGER", "SCAN_WINDOW", "BLOCK_TIMEOUT",
	"PORT_BANNER", "INTERFACE"
};

/* The parse of one file: where each key was set, for later checks. */
struct confparse {
	struct sentry_conf	*cf;
	struct lexer		*lx;
	int			 line[K_COUNT];
	unsigned		 modes;
};

static void	conf_error(struct confparse *, int line, const char *, ...)
		    __printflike(3, 4);

/* An error at a given line (0: about the file as a whole). */
static void
conf_error(struct confparse *cp, int line, const char *fmt, ...)
{
	char	msg[1024];
	va_list	ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0) {
		cp->lx->line = line;
		lexer_error(cp->lx, "%s", msg);
		return;
	}
	cp->lx->nerrors++;
	if (!cp->lx->quiet)
		log_msg(LOG_ERR, "%s: %s", cp->lx->path, msg);
}

/*
 * What a word in a number's place probably meant: the switches are 0 or
 * 1 ("yes" is 1), and BLOCK_TCP's three values are worth spelling out.
 */
static const char *
conf_number_hint(int k, const char *v, long long max)
{
	if (strspn(v, "-0123456789") == strlen(v))
		return "";
	if (k == K_BLOCK_TCP || k == K_BLOCK_UDP)
		return ": 0 logs only, 1 blocks, 2 runs KILL_RUN_CMD only";
	if (max != 1)
		return "";
	switch (suggest_boolean(v)) {
	case 1:
		return ": did you mean 1?";
	case 0:
		return ": did you mean 0?";
	}
	return "";
}

static int
conf_number(struct confparse *cp, int k, const char *v, long long min,
    long long max, int *out)
{
	const char	*errstr;
	long long	 n;

	if (*v == '\0') {
		lexer_error(cp->lx, "%s: no value (remove the line or comment "
		    "it out for the default)", key_names[k]);
		return -1;
	}
	n = strtonum(v, min, max, &errstr);
	if (errstr != NULL) {
		lexer_error(cp->lx, "%s: '%s' is %s (%lld-%lld%s)", key_names[k],
		    v, errstr, min, max, conf_number_hint(k, v, max));
		return -1;
	}
	*out = (int)n;
	return 0;
}

static int
conf_path(struct confparse *cp, int k, const char *v, char **out)
{
	if (*v == '\0') {
		lexer_error(cp->lx, "%s: no value (%s)", key_names[k],
		    k == K_HOSTS_DENY_FILE ? "remove the line or comment it "
		    "out for the default, " HOSTS_DENY_DEFAULT :
		    "it is required: give an absolute path");
		return -1;
	}
	if (v[0] != '/') {
		lexer_error(cp->lx, "%s: '%s' is not an absolute path",
		    key_names[k], v);
		return -1;
	}
	*out = xstrdup(v);
	return 0;
}

/*
 * The first $WORD$ of a template that is not a macro ("$TAGRET$"), with
 * the macro it is near in *near; NULL when every one is known.
 */
static const char *
conf_bad_macro(const char *v, char *word, size_t len, const char **near)
{
	static const char *const macros[] = { "TARGET", "PORT", "MODE" };
	const char	*p, *e;
	size_t		 n, i;

	for (p = strchr(v, '$'); p != NULL; p = strchr(e, '$')) {
		n = strspn(p + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");
		e = p + 1 + n;
		if (n == 0 || *e != '$')
			continue;
		e++;
		for (i = 0; i < nitems(macros); i++)
			if (strlen(macros[i]) == n &&
			    strncmp(p + 1, macros[i], n) == 0)
				break;
		if (i < nitems(macros))
			continue;
		(void)snprintf(word, len, "%.*s", (int)n, p + 1);
		*near = suggest_word(word, macros, nitems(macros));
		return p;
	}
	return NULL;
}

/* A command or hosts.deny template; some must name the target. */
static int
conf_template(struct confparse *cp, int k, const char *v, char **out)
{
	int		 need = k == K_KILL_HOSTS_DENY || k == K_KILL_ROUTE ||
			    k == K_KILL_ROUTE6;
	const char	*near = NULL;
	char		 word[SUGGEST_MAXLEN + 1], hint[2 * SUGGEST_MAXLEN + 64];

	if (*v == '\0') {
		*out = NULL;	/* 1.2: an empty value turns it off */
		return 0;
	}
	/* 1.2 leaves an unknown $WORD$ in the text as it is. */
	hint[0] = '\0';
	if (conf_bad_macro(v, word, sizeof(word), &near) != NULL)
		(void)snprintf(hint, sizeof(hint), " (unknown macro $%s$%s%s%s)",
		    word, near != NULL ? ": did you mean $" : "",
		    near != NULL ? near : "", near != NULL ? "$?" : "");
	if (need && strstr(v, "$TARGET$") == NULL) {
		lexer_error(cp->lx, "%s: '%s' has no $TARGET$%s", key_names[k],
		    v, hint);
		return -1;
	}
	if (hint[0] != '\0')
		lexer_warn(cp->lx, "%s: '%s' is used as it is%s", key_names[k],
		    v, hint);
	*out = xstrdup(v);
	return 0;
}

static int
conf_ports(struct confparse *cp, int k, const char *v)
{
	struct sentry_conf	*cf = cp->cf;
	char			 err[512];
	int			 proto = k == K_TCP_PORTS || k == K_EXCL_TCP ?
				    IPPROTO_TCP : IPPROTO_UDP;
	struct portlist		*pl = k == K_TCP_PORTS || k == K_UDP_PORTS ?
				    &cf->ports : &cf->adv_exclude;

	if (*v == '\0') {
		if (pl == &cf->ports)
			cf->has_ports[proto == IPPROTO_TCP ? 0 : 1] = -1;
		return 0;
	}
	if (portlist_parse_plain(pl, proto, v, PORTLIST_RANGES, err,
	    sizeof(err)) == -1) {
		lexer_error(cp->lx, "%s: %s", key_names[k], err);
		return -1;
	}
	if (pl == &cf->ports)
		cf->has_ports[proto == IPPROTO_TCP ? 0 : 1] = 1;
	return 0;
}

static int
conf_set(struct confparse *cp, int k, const char *v)
{
	struct sentry_conf	*cf = cp->cf;

	switch (k) {
	case K_TCP_PORTS:
	case K_UDP_PORTS:
	case K_EXCL_TCP:
	case K_EXCL_UDP:
		return conf_ports(cp, k, v);
	case K_ADV_TCP:
	case K_ADV_UDP:
		return conf_number(cp, k, v, 1, 65536,
		    &cf->adv_ports[k == K_ADV_TCP ? 0 : 1]);
	case K_IGNORE_FILE:
		return conf_path(cp, k, v, &cf->ignore_file);
	case K_HISTORY_FILE:
		return conf_path(cp, k, v, &cf->history_file);
	case K_BLOCKED_FILE:
		return conf_path(cp, k, v, &cf->blocked_file);
	case K_HOSTS_DENY_FILE:
		return conf_path(cp, k, v, &cf->hosts_deny_file);
	case K_RESOLVE_HOST:
		return conf_number(cp, k, v, 0, 1, &cf->resolve_host);
	case K_BLOCK_TCP:
	case K_BLOCK_UDP:
		return conf_number(cp, k, v, 0, 2,
		    &cf->block[k == K_BLOCK_TCP ? 0 : 1]);
	case K_KILL_ROUTE:
		return conf_template(cp, k, v, &cf->kill_route);
	case K_KILL_ROUTE6:
		return conf_template(cp, k, v, &cf->kill_route6);
	case K_KILL_HOSTS_DENY:
		return conf_template(cp, k, v, &cf->kill_hosts_deny);
	case K_KILL_RUN_CMD:
		return conf_template(cp, k, v, &cf->kill_run_cmd);
	case K_UNBLOCK_CMD:
		return conf_template(cp, k, v, &cf->unblock_cmd);
	case K_KILL_RUN_CMD_FIRST:
		return conf_number(cp, k, v, 0, 1, &cf->run_cmd_first);
	case K_SCAN_TRIGGER:
		return conf_number(cp, k, v, 0, SCAN_TRIGGER_MAX,
		    &cf->scan_trigger);
	case K_SCAN_WINDOW:
		return conf_number(cp, k, v, 0, SCAN_WINDOW_MAX,
		    &cf->scan_window);
	case K_BLOCK_TIMEOUT:
		return conf_number(cp, k, v, 0, BLOCK_TIMEOUT_MAX,
		    &cf->block_timeout);
	case K_PORT_BANNER:
		cf->port_banner = *v != '\0' ? xstrdup(v) : NULL;
		return 0;
	case K_INTERFACE:
		if (*v == '\0' || strcmp(v, "any") == 0)
			return 0;
		if (strlen(v) >= IF_NAMESIZE || strpbrk(v, " /") != NULL) {
			lexer_error(cp->lx, "INTERFACE: '%s' is not an "
			    "interface name", v);
			return -1;
		}
		cf->interface = xstrdup(v);
		return 0;
	}
	return 0;
}

/* --- lines --------------------------------------------------------------- */

static int
key_lookup(const char *s, size_t n)
{
	int	k;

	for (k = 0; k < K_COUNT; k++)
		if (strlen(key_names[k]) == n && strncmp(key_names[k], s, n) ==
		    0)
			return k;
	return -1;
}

/*
 * Cut KEY="value" out of the line in place: returns the key's index and
 * sets *value, or returns -1 (an error was reported) with *key set when
 * the key was known.
 */
static int
conf_split(struct confparse *cp, char *line, char **value, int *kp)
{
	char	 word[SUGGEST_MAXLEN + 1], msg[256];
	char	*p = line, *key, *v, *q;
	size_t	 n;
	int	 k;

	while (*p == ' ' || *p == '\t')
		p++;
	key = p;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	if ((n = (size_t)(p - key)) == 0) {
		lexer_error(cp->lx, "expected KEY=\"value\", not '%.40s'", key);
		return -1;
	}
	if ((k = key_lookup(key, n)) == -1) {
		(void)snprintf(word, sizeof(word), "%.*s", (int)n, key);
		(void)snprintf(msg, sizeof(msg), "unknown key '%s'", word);
		lexer_error(cp->lx, "%s", suggest_append(msg, sizeof(msg), word,
		    key_names, K_COUNT));
		return -1;
	}
	*kp = k;
	p += strspn(p, " \t");
	if (*p == '=')
		p++;
	else if (p == key + n) {
		lexer_error(cp->lx, "%s: expected '=' after the key",
		    key_names[k]);
		return -1;
	}
	p += strspn(p, " \t");
	if (*p != '"') {
		lexer_error(cp->lx, "%s: the value must be in double quotes",
		    key_names[k]);
		return -1;
	}
	v = p + 1;
	if ((q = strchr(v, '"')) == NULL) {
		lexer_error(cp->lx, "%s: missing closing quote", key_names[k]);
		return -1;
	}
	*q++ = '\0';
	q += strspn(q, " \t\r");
	if (*q != '\0' && *q != '#') {
		lexer_error(cp->lx, "%s: unexpected text after the value: "
		    "'%.40s'", key_names[k], q);
		return -1;
	}
	for (p = v; *p != '\0'; p++)
		if (iscntrl((unsigned char)*p)) {
			lexer_error(cp->lx, "%s: control character in the "
			    "value", key_names[k]);
			return -1;
		}
	*value = v;
	return k;
}

static void
conf_line(struct confparse *cp)
{
	char	*value;
	int	 k, known = -1;

	if ((k = conf_split(cp, cp->lx->buf, &value, &known)) == -1) {
		/* Known but bad: not "missing" as well. */
		if (known != -1 && cp->line[known] == 0)
			cp->line[known] = cp->lx->line;
		return;
	}
	if (cp->line[k] != 0) {
		lexer_warn(cp->lx, "%s is set again; the value of line %d is "
		    "kept", key_names[k], cp->line[k]);
		return;
	}
	cp->line[k] = cp->lx->line;
	(void)conf_set(cp, k, value);
}

/* --- the file as a whole -------------------------------------------------- */

static void
conf_check_files(struct confparse *cp)
{
	static const int	 need[] = { K_BLOCKED_FILE, K_HISTORY_FILE,
				    K_IGNORE_FILE };
	size_t			 i;

	for (i = 0; i < nitems(need); i++)
		if (cp->line[need[i]] == 0)
			conf_error(cp, 0, "%s is not set", key_names[need[i]]);
}

static void
conf_check_ports(struct confparse *cp)
{
	const struct sentry_conf	*cf = cp->cf;
	int				 i;

	for (i = 0; i < 2; i++) {
		unsigned	uses = i == 0 ?
				    MODE_BIT(MODE_TCP) | MODE_BIT(MODE_STCP) :
				    MODE_BIT(MODE_UDP) | MODE_BIT(MODE_SUDP);
		int		k = i == 0 ? K_TCP_PORTS : K_UDP_PORTS;

		if ((cp->modes & uses) == 0 || cf->has_ports[i] == 1)
			continue;
		if (cf->has_ports[i] == -1)
			conf_error(cp, cp->line[k], "%s: no ports given",
			    key_names[k]);
		else if (cp->line[k] == 0)
			conf_error(cp, 0, "%s is not set (needed by -%s)",
			    key_names[k], mode_name(i == 0 ?
			    (cp->modes & MODE_BIT(MODE_TCP) ? MODE_TCP :
			    MODE_STCP) : (cp->modes & MODE_BIT(MODE_UDP) ?
			    MODE_UDP : MODE_SUDP)));
	}
}

/* BLOCK_TCP="1" with nothing to block with would record blocks that
 * never happened, as 1.2 does; say so instead. */
static void
conf_check_block(struct confparse *cp)
{
	const struct sentry_conf	*cf = cp->cf;
	int				 i, k;

	for (i = 0; i < 2; i++) {
		k = i == 0 ? K_BLOCK_TCP : K_BLOCK_UDP;
		if (cp->modes != 0 &&
		    (cp->modes & (i == 0 ? MODES_TCP : MODES_UDP)) == 0)
			continue;
		if (cf->block[i] == 1 && cf->kill_hosts_deny == NULL &&
		    cf->kill_route == NULL && cf->kill_route6 == NULL &&
		    cf->kill_run_cmd == NULL)
			conf_error(cp, cp->line[k], "%s is 1 but none of "
			    "KILL_HOSTS_DENY, KILL_ROUTE, KILL_RUN_CMD is set",
			    key_names[k]);
		if (cf->block[i] == 2 && cf->kill_run_cmd == NULL)
			conf_error(cp, cp->line[k], "%s is 2 but KILL_RUN_CMD "
			    "is not set", key_names[k]);
	}
}

static void
conf_defaults(struct sentry_conf *cf, const char *name)
{
	memset(cf, 0, sizeof(*cf));
	cf->path = name;
	cf->adv_ports[0] = cf->adv_ports[1] = 1024;
}

int
conf_parse_stream(struct sentry_conf *cf, FILE *fp, const char *name,
    unsigned modes, int quiet)
{
	struct confparse	cp;
	struct lexer		lx;
	int			r;

	conf_defaults(cf, name);
	memset(&cp, 0, sizeof(cp));
	cp.cf = cf;
	cp.lx = &lx;
	cp.modes = modes;
	lexer_open_stream(&lx, fp, name);
	lx.quiet = quiet;
	while ((r = lexer_next_line(&lx, LEX_COMMENTS | LEX_BLANKS)) == 1)
		conf_line(&cp);
	if (r == -1)
		conf_error(&cp, 0, "read error: %s", strerror(errno));
	conf_check_files(&cp);
	conf_check_ports(&cp);
	conf_check_block(&cp);
	if (cf->hosts_deny_file == NULL)
		cf->hosts_deny_file = xstrdup(HOSTS_DENY_DEFAULT);
	cf->nerrors = lx.nerrors;
	cf->nwarnings = lx.nwarnings;
	lexer_close(&lx);
	return cf->nerrors > 0 ? -1 : 0;
}

int
conf_load(struct sentry_conf *cf, const char *path, unsigned modes)
{
	FILE	*fp;
	int	 r;

	if ((fp = fopen(path, "re")) == NULL) {
		conf_defaults(cf, path);
		log_msg(LOG_ERR, "%s: %s", path, strerror(errno));
		cf->nerrors = 1;
		return -1;
	}
	r = conf_parse_stream(cf, fp, path, modes, 0);
	(void)fclose(fp);
	return r;
}

void
conf_free(struct sentry_conf *cf)
{
	free(cf->ignore_file);
	free(cf->history_file);
	free(cf->blocked_file);
	free(cf->hosts_deny_file);
	free(cf->kill_route);
	free(cf->kill_route6);
	free(cf->kill_hosts_deny);
	free(cf->kill_run_cmd);
	free(cf->unblock_cmd);
	free(cf->port_banner);
	free(cf->interface);
	memset(cf, 0, sizeof(*cf));
}
