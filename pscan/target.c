/*
 * target.c: nmap's target specifications, read lazily, with exclusions.
 *
 * A target is an address, a network ("192.0.2.0/28", "2001:db8::/120"),
 * an IPv4 octet range ("192.0.2.1-20", "192.0.2,3.*"), or a host name,
 * optionally with a prefix length ("www.example/30").  Operands are
 * parsed before the scan starts, so a typing error stops the program
 * before any probe is sent; the lines of -iL are read as the scan needs
 * them, so a pipeline can feed an endless list.  Names are resolved only
 * when their turn comes, as nmap does; a name that does not resolve is a
 * warning, not an error.  Literal addresses of either family may be
 * mixed; -6 only says which family a name resolves to.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "xmalloc.h"
#include "pscan.h"

/* The most addresses one specification may name (an IPv4 /8). */
#define TARGET_MAX_RANGE	((uint64_t)1 << 24)

struct tspec {
	char			*text;		/* as written */
	char			*name;		/* a host name, or NULL */
	int			 prefix;	/* after a name, -1: none */
	struct addr_range	 range;		/* a literal */
};

struct speclist {
	struct tspec	*v;
	size_t		 n;
};

struct targets {
	int		 family;	/* for names */
	struct speclist	 argv;		/* the operands */
	size_t		 argi;
	FILE		*list;		/* -iL */
	char		*listname;
	unsigned long	 lineno;
	char		*line;		/* the current -iL line */
	size_t		 linecap;
	char		*linepos;
	struct tspec	 cur;		/* the spec being expanded */
	int		 have;
	struct addr_range_iter it;
	char		*curname;	/* resolved name of cur */
	char		*curothers;
	struct addr	 curaddr;	/* the name's own address */
	struct speclist	 excl;		/* --exclude, --excludefile */
	struct addr	*exaddr;	/* excluded names, resolved */
	size_t		 nexaddr;
	uint64_t	 seq;
	char		*failed;	/* a bad -iL word: the error, for good */
};

static void
tspec_clear(struct tspec *s)
{
	free(s->text);
	free(s->name);
	memset(s, 0, sizeof(*s));
}

/* Whether s can be a host name (RFC 1123 letters, digits, '-', '.', '_'). */
static int
name_valid(const char *s)
{
	if (*s == '\0' || *s == '-' || strlen(s) > 253)
		return 0;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr("-._", *s) == NULL)
			return 0;
	return 1;
}

/* "name" or "name/len"; the prefix is checked against the family later. */
static int
name_parse(struct tspec *t, const char *spec, char *err, size_t errlen)
{
	const char	*slash = strchr(spec, '/');
	const char	*errstr;
	long long	 len;

	t->prefix = -1;
	t->name = slash == NULL ? xstrdup(spec) :
	    xstrndup(spec, (size_t)(slash - spec));
	if (!name_valid(t->name)) {
		(void)snprintf(err, errlen, "invalid target '%s': not an "
		    "address, a network or a host name", spec);
		return -1;
	}
	if (slash != NULL) {
		len = strtonum(slash + 1, 0, 128, &errstr);
		if (errstr != NULL) {
			(void)snprintf(err, errlen, "invalid target '%s': "
			    "prefix length '%s' is %s", spec, slash + 1,
			    errstr);
			return -1;
		}
		t->prefix = (int)len;
	}
	return 0;
}

/*
 * Parses one specification without resolving anything: a literal is
 * checked whole, a name only for its syntax.
 */
static int
tspec_parse(struct tspec *t, const char *spec, char *err, size_t errlen)
{
	memset(t, 0, sizeof(*t));
	t->text = xstrdup(spec);
	if (addr_range_is_literal(spec)) {
		if (addr_range_parse(&t->range, spec, TARGET_MAX_RANGE, err,
		    errlen) == -1)
			goto fail;
		return 0;
	}
	if (name_parse(t, spec, err, errlen) == -1)
		goto fail;
	return 0;
fail:
	tspec_clear(t);
	return -1;
}

/* For the fuzz target and the tests: a specification's syntax alone. */
int
targets_parse_check(const char *spec, int family, char *err, size_t errlen)
{
	struct tspec	t;

	(void)family;
	if (tspec_parse(&t, spec, err, errlen) == -1)
		return -1;
	tspec_clear(&t);
	return 0;
}

static void
speclist_add(struct speclist *l, const struct tspec *t)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = *t;
}

static void
speclist_free(struct speclist *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		tspec_clear(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/*
 * Resolves a name to its first address of the family; *others gets the
 * rest, of both families, space-separated, for the "Other addresses"
 * line.  Returns 0, or -1 after a warning (with nmap's hint when the
 * name has addresses of the other family only).
 */
static int
name_resolve(const char *name, int family, struct addr *a, char **others)
{
	struct addrinfo	 hints, *res, *ai;
	struct addr	 x;
	char		 buf[ADDR_STRLEN];
	char		*list = NULL, *tmp;
	int		 found = 0, other = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(name, NULL, &hints, &res) != 0) {
		warnx("Failed to resolve \"%s\".", name);
		return -1;
	}
	for (ai = res; ai != NULL && !found; ai = ai->ai_next)
		if (ai->ai_family == family && addr_from_sockaddr(a, NULL,
		    ai->ai_addr, ai->ai_addrlen) == 0)
			found = 1;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (addr_from_sockaddr(&x, NULL, ai->ai_addr,
		    ai->ai_addrlen) == -1)
			continue;
		other |= x.family != family;
		if (!found || addr_cmp(&x, a) == 0)
			continue;
		(void)addr_format(&x, buf, sizeof(buf));
		if (list != NULL && strstr(list, buf) != NULL)
			continue;
		xasprintf(&tmp, "%s%s%s", list != NULL ? list : "",
		    list != NULL ? " " : "", buf);
		free(list);
		list = tmp;
	}
	freeaddrinfo(res);
	if (!found) {
		if (other)
			warnx("Warning: Hostname %s resolves, but not to any "
			    "%s address. Try scanning %s -6", name,
			    family == AF_INET ? "IPv4" : "IPv6",
			    family == AF_INET ? "with" : "without");
		warnx("Failed to resolve \"%s\".", name);
		return -1;
	}
	*others = list;
	return 0;
}

/*
 * Turns a name specification into a literal range, resolving it; *a is
 * the name's own address.
 */
static int
tspec_resolve(struct targets *tg, struct tspec *t, struct addr *a,
    char **others)
{
	char	buf[ADDR_CIDR_STRLEN], err[256];

	*others = NULL;
	if (name_resolve(t->name, tg->family, a, others) == -1)
		return -1;
	(void)addr_format(a, buf, sizeof(buf));
	if (t->prefix >= 0) {
		size_t	n = strlen(buf);

		(void)snprintf(buf + n, sizeof(buf) - n, "/%d", t->prefix);
	}
	if (addr_range_parse(&t->range, buf, TARGET_MAX_RANGE, err,
	    sizeof(err)) == -1) {
		warnx("%s (%s)", err, t->text);
		free(*others);
		*others = NULL;
		return -1;
	}
	return 0;
}

/* Splits a --exclude list or an --excludefile on commas and blanks. */
static int
exclude_words(struct targets *tg, char *s, const char *where,
    unsigned long line, char *err, size_t errlen)
{
	struct tspec	 t;
	char		 e[256], *w;

	while ((w = strsep(&s, ", \t\r\n")) != NULL) {
		if (*w == '\0')
			continue;
		if (tspec_parse(&t, w, e, sizeof(e)) == -1) {
			if (line > 0)
				(void)snprintf(err, errlen, "%s:%lu: %s", where,
				    line, e);
			else
				(void)snprintf(err, errlen, "%s", e);
			return -1;
		}
		speclist_add(&tg->excl, &t);
	}
	return 0;
}

static int
exclude_file(struct targets *tg, const char *path, char *err, size_t errlen)
{
	FILE		*f;
	char		*line = NULL, *hash;
	size_t		 cap = 0;
	unsigned long	 n = 0;
	int		 r = 0;

	if ((f = fopen(path, "r")) == NULL) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (r == 0 && getline(&line, &cap, f) != -1) {
		n++;
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		r = exclude_words(tg, line, path, n, err, errlen);
	}
	if (r == 0 && ferror(f)) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		r = -1;
	}
	free(line);
	(void)fclose(f);
	return r;
}

/* Names among the exclusions are resolved once, before the scan. */
static void
exclude_resolve(struct targets *tg)
{
	struct tspec	*t;
	struct addr	 a;
	char		*others;
	size_t		 i;

	for (i = 0; i < tg->excl.n; i++) {
		t = &tg->excl.v[i];
		if (t->name == NULL || t->prefix >= 0)
			continue;
		if (name_resolve(t->name, tg->family, &a, &others) == -1)
			continue;
		free(others);
		tg->exaddr = xreallocarray(tg->exaddr, tg->nexaddr + 1,
		    sizeof(*tg->exaddr));
		tg->exaddr[tg->nexaddr++] = a;
	}
	for (i = 0; i < tg->excl.n; i++) {
		t = &tg->excl.v[i];
		if (t->name != NULL && t->prefix >= 0 &&
		    tspec_resolve(tg, t, &a, &others) == 0) {
			free(others);
			free(t->name);
			t->name = NULL;
		}
	}
}

static int
excluded(const struct targets *tg, const struct addr *a)
{
	size_t	i;

	for (i = 0; i < tg->excl.n; i++)
		if (tg->excl.v[i].name == NULL &&
		    addr_range_contains(&tg->excl.v[i].range, a))
			return 1;
	for (i = 0; i < tg->nexaddr; i++)
		if (addr_cmp(&tg->exaddr[i], a) == 0)
			return 1;
	return 0;
}

static int
targets_exclusions(struct targets *tg, const struct options *o, char *err,
    size_t errlen)
{
	char	*copy;
	int	 r;

	if (o->exclude != NULL) {
		copy = xstrdup(o->exclude);
		r = exclude_words(tg, copy, "--exclude", 0, err, errlen);
		free(copy);
		if (r == -1)
			return -1;
	}
	if (o->exclude_file != NULL &&
	    exclude_file(tg, o->exclude_file, err, errlen) == -1)
		return -1;
	exclude_resolve(tg);
	return 0;
}

struct targets *
targets_new(const struct options *o, char *err, size_t errlen)
{
	struct targets	*tg = xcalloc(1, sizeof(*tg));
	struct tspec	 t;
	int		 i;

	tg->family = o->family;
	for (i = 0; i < o->ntargets; i++) {
		if (tspec_parse(&t, o->targets[i], err, errlen) == -1)
			goto fail;
		speclist_add(&tg->argv, &t);
	}
	if (targets_exclusions(tg, o, err, errlen) == -1)
		goto fail;
	if (o->input_list != NULL) {
		if (strcmp(o->input_list, "-") == 0) {
			tg->list = stdin;
			tg->listname = xstrdup("(standard input)");
		} else if ((tg->list = fopen(o->input_list, "r")) == NULL) {
			(void)snprintf(err, errlen, "%s: %s", o->input_list,
			    strerror(errno));
			goto fail;
		} else
			tg->listname = xstrdup(o->input_list);
	}
	return tg;
fail:
	targets_free(tg);
	return NULL;
}

/* The next word of -iL: 1, 0 at the end of the file, -1 on error. */
static int
list_word(struct targets *tg, char **word, char *err, size_t errlen)
{
	char	*hash, *w;

	for (;;) {
		while (tg->linepos != NULL &&
		    (w = strsep(&tg->linepos, " \t\r\n")) != NULL)
			if (*w != '\0') {
				*word = w;
				return 1;
			}
		if (getline(&tg->line, &tg->linecap, tg->list) == -1) {
			if (ferror(tg->list)) {
				(void)snprintf(err, errlen, "%s: %s",
				    tg->listname, strerror(errno));
				return -1;
			}
			return 0;
		}
		tg->lineno++;
		if ((hash = strchr(tg->line, '#')) != NULL)
			*hash = '\0';
		tg->linepos = tg->line;
	}
}

/* The next specification to expand: 1, 0 when none are left, -1. */
static int
spec_next(struct targets *tg, char *err, size_t errlen)
{
	char	*word, e[256];
	int	 r;

	tspec_clear(&tg->cur);
	if (tg->argi < tg->argv.n) {
		tg->cur = tg->argv.v[tg->argi];
		tg->cur.text = xstrdup(tg->cur.text);
		if (tg->cur.name != NULL)
			tg->cur.name = xstrdup(tg->cur.name);
		tg->argi++;
		return 1;
	}
	if (tg->list == NULL)
		return 0;
	if ((r = list_word(tg, &word, err, errlen)) != 1)
		return r;
	if (tspec_parse(&tg->cur, word, e, sizeof(e)) == -1) {
		(void)snprintf(err, errlen, "%s:%lu: %s", tg->listname,
		    tg->lineno, e);
		return -1;
	}
	return 1;
}

/* Makes tg->cur expandable: resolves a name; 0 when it does not resolve. */
static int
spec_start(struct targets *tg)
{
	free(tg->curname);
	free(tg->curothers);
	tg->curname = tg->curothers = NULL;
	if (tg->cur.name != NULL) {
		if (tspec_resolve(tg, &tg->cur, &tg->curaddr,
		    &tg->curothers) == -1)
			return 0;
		tg->curname = xstrdup(tg->cur.name);
	}
	addr_range_start(&tg->cur.range, &tg->it);
	return 1;
}

/*
 * Fills h with the next target (only addr, name, others and seq): 1, or
 * 0 at the end, or -1 with err set when an -iL line is not a target;
 * every later call returns that error again.
 */
int
targets_next(struct targets *tg, struct host *h, char *err, size_t errlen)
{
	struct addr	a;
	int		r;

	for (;;) {
		if (tg->failed != NULL) {
			(void)strlcpy(err, tg->failed, errlen);
			return -1;
		}
		if (!tg->have) {
			if ((r = spec_next(tg, err, errlen)) == -1)
				tg->failed = xstrdup(err);
			if (r != 1)
				return r;
			tg->have = spec_start(tg);
			continue;
		}
		if (!addr_range_next(&tg->it, &a)) {
			tg->have = 0;
			continue;
		}
		if (excluded(tg, &a))
			continue;
		memset(h, 0, sizeof(*h));
		h->addr = a;
		/* A name labels its own address, not its network's. */
		if (tg->curname != NULL && addr_cmp(&a, &tg->curaddr) == 0) {
			h->name = xstrdup(tg->curname);
			if (tg->curothers != NULL)
				h->others = xstrdup(tg->curothers);
		}
		h->seq = tg->seq++;
		return 1;
	}
}

void
targets_free(struct targets *tg)
{
	if (tg == NULL)
		return;
	speclist_free(&tg->argv);
	speclist_free(&tg->excl);
	tspec_clear(&tg->cur);
	free(tg->exaddr);
	free(tg->curname);
	free(tg->curothers);
	free(tg->failed);
	if (tg->list != NULL && tg->list != stdin)
		(void)fclose(tg->list);
	free(tg->listname);
	free(tg->line);
	free(tg);
}
