/*
 * output.c: the report of a scan in nmap's four layouts: the interactive
 * output on the terminal, normal (-oN), grepable (-oG) and XML (-oX).
 *
 * The layouts are nmap 7.93's, line for line, with "pscan" where nmap
 * says "Nmap", so that what reads nmap's reports (ndiff, awk over -oG,
 * XSLT, importers of the XML) reads these.  A state with more than 25
 * ports (more with -v) is folded into the "Not shown" line, broken down
 * by reason in nmap's order; grepable output, which has room for one
 * folded state, names it only when there is just one.
 *
 * Names that come from the network (reverse DNS) are escaped before
 * they reach a terminal, a file or an XML attribute.
 */
#include "config.h"

#include <sys/types.h>
#include <netinet/in.h>

#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "addr.h"
#include "portlist.h"
#include "xmalloc.h"
#include "pscan.h"

#define MAX_PER_STATE	25	/* ports of a state shown before folding */

struct output {
	FILE	*normal;
	FILE	*grep;
	FILE	*xml;
	int	 interactive;	/* stdout carries the interactive output */
	int	 closefd[3];	/* which of the three to fclose */
};

/* A state's folded ports, broken down by reason. */
struct reasonsum {
	uint8_t		 why;
	uint32_t	 count;
	uint32_t	 first;		/* index of its first port */
};

static const char *const why_names[WHY_N] = {
	"reset", "conn-refused", "syn-ack", "syn-ack", "split-handshake-syn",
	"udp-response", "proto-response", "perm-denied",
	"net-unreach", "host-unreach", "proto-unreach", "port-unreach",
	"echo-reply",
	"dest-unreach", "source-quench", "net-prohibited",
	"host-prohibited", "admin-prohibited",
	"time-exceeded", "timestamp-reply",
	"addressmask-reply", "no-ipid-change", "ipid-change",
	"arp-response", "nd-response", "tcp-response", "no-response",
	"init-ack", "abort",
	"localhost-response", "script-set", "unknown-response", "user-set",
	"no-route", "beyond-scope", "reject-route", "param-problem",
};

static const char *
why_name(int why)
{
	return why >= 0 && why < WHY_N ? why_names[why] : "unknown-response";
}

static const char *
pstate_name(int state)
{
	switch (state) {
	case PS_OPEN:
		return "open";
	case PS_CLOSED:
		return "closed";
	case PS_FILTERED:
		return "filtered";
	case PS_UNFILTERED:
		return "unfiltered";
	case PS_OPENFILTERED:
		return "open|filtered";
	case PS_CLOSEDFILTERED:
		return "closed|filtered";
	default:
		return "unknown";
	}
}

const char *
host_ipstr(const struct host *h)
{
	/* Per thread (workers warn too); two, so a message can name two. */
	static _Thread_local char	buf[2][ADDR_STRLEN];
	static _Thread_local int	i;

	i = !i;
	return addr_format(&h->addr, buf[i], sizeof(buf[i]));
}

/* --- escaping ------------------------------------------------------------ */

/* Network-supplied text for a terminal or a file: \xNN for the unsafe. */
static void
text_escape(const char *s, char *buf, size_t len)
{
	size_t	n = 0;

	for (; *s != '\0' && n + 5 < len; s++) {
		unsigned char	c = (unsigned char)*s;

		if (c >= 0x20 && c < 0x7f)
			buf[n++] = (char)c;
		else
			n += (size_t)snprintf(buf + n, len - n, "\\x%02x", c);
	}
	buf[n] = '\0';
}

/*
 * XML character data, of any length; "--" as "-&#45;", as nmap writes
 * it, since a comment may not hold it.
 */
static void
xml_text(FILE *fp, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;

	for (; *p != '\0'; p++)
		switch (*p) {
		case '-':
			fputs(p > (const unsigned char *)s && p[-1] == '-' ?
			    "&#45;" : "-", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '&':
			fputs("&amp;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&apos;", fp);
			break;
		default:
			if (*p < 0x20 || *p >= 0x7f)
				fprintf(fp, "\\x%02x", *p);
			else
				fputc(*p, fp);
		}
}

/* --- small formats -------------------------------------------------------- */

/* Seconds with two significant digits, as nmap prints latency. */
static void
latency_format(long usec, char *buf, size_t len)
{
	double	v = (double)usec / 1e6, lim;
	int	digits = 1;

	if (usec <= 0) {
		(void)snprintf(buf, len, "0.0000010");
		return;
	}
	for (lim = 1.0; v < lim && digits < 9; lim /= 10.0)
		digits++;
	if (v >= 10.0)
		digits = 0;
	(void)snprintf(buf, len, "%.*f", digits, v);
}

/*
 * The port's name, or NULL when the table has none: nmap then prints
 * "unknown" in its tables but leaves the service out of grepable and
 * XML output, and ndiff would count the difference.
 */
static const char *
service_of(const struct scan *sc, uint16_t port)
{
	return services_name(sc->svc, port, IPPROTO_TCP);
}

/* "NAME (IP)" or "IP": the user's name first, then the reverse one. */
static void
name_ip(const struct host *h, char *buf, size_t len)
{
	char	esc[512];

	if (h->name != NULL)
		(void)snprintf(buf, len, "%s (%s)", h->name, host_ipstr(h));
	else if (h->ptr != NULL) {
		text_escape(h->ptr, esc, sizeof(esc));
		(void)snprintf(buf, len, "%s (%s)", esc, host_ipstr(h));
	} else
		(void)snprintf(buf, len, "%s", host_ipstr(h));
}

/* nmap-mac-prefixes' vendor of an Ethernet address, or "Unknown". */
static void
mac_vendor(const struct scan *sc, const uint8_t *mac, char *buf,
    size_t len)
{
	FILE	*fp;
	char	 prefix[8], line[256], *path;

	(void)strlcpy(buf, "Unknown", len);
	if ((path = datafile_path(sc, "nmap-mac-prefixes")) == NULL)
		return;
	fp = fopen(path, "r");
	free(path);
	if (fp == NULL)
		return;
	(void)snprintf(prefix, sizeof(prefix), "%02X%02X%02X ", mac[0],
	    mac[1], mac[2]);
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncasecmp(line, prefix, 7) == 0) {
			line[strcspn(line, "\r\n")] = '\0';
			text_escape(line + 7, buf, len);
			break;
		}
	(void)fclose(fp);
}

static void
mac_format(const uint8_t *mac, char *buf, size_t len)
{
	(void)snprintf(buf, len, "%02X:%02X:%02X:%02X:%02X:%02X", mac[0],
	    mac[1], mac[2], mac[3], mac[4], mac[5]);
}

static void
mac_line(FILE *fp, const struct scan *sc, const struct host *h)
{
	char	mac[32], vendor[128];

	if (!h->hasmac)
		return;
	mac_format(h->mac, mac, sizeof(mac));
	mac_vendor(sc, h->mac, vendor, sizeof(vendor));
	fprintf(fp, "MAC Address: %s (%s)\n", mac, vendor);
}

static const char *
plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* --- folding ------------------------------------------------------------- */

struct fold {
	uint32_t	count[PS_NSTATES];
	int		ignored[PS_NSTATES];
	int		order[PS_NSTATES];	/* ignored states, nmap's order */
	int		norder;
	uint32_t	nignored;
	uint32_t	nscanned;
};

static int
state_ignored(const struct scan *sc, const struct fold *f, int st)
{
	uint32_t	max = MAX_PER_STATE;

	if (sc->debug > 2 || st == PS_OPEN || st == PS_UNKNOWN ||
	    f->count[st] == 0)
		return 0;
	if (st == PS_OPENFILTERED && sc->verbose > 2)
		return 0;
	if (sc->o->open_only && st != PS_OPENFILTERED && st != PS_UNFILTERED)
		return 1;
	if (sc->verbose || sc->debug)
		max *= (uint32_t)(sc->verbose + 1 + 20 * sc->debug);
	return f->count[st] > max;
}

/* Ignored states by falling count; ties name the lower state first. */
static void
fold_compute(const struct scan *sc, const struct host *h, struct fold *f)
{
	uint32_t	i;
	int		st, j, k, tmp;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < sc->nports; i++)
		if ((h->res[i].flags & PR_SKIP) == 0) {
			f->count[h->res[i].state]++;
			f->nscanned++;
		}
	for (st = 0; st < PS_NSTATES; st++)
		if ((f->ignored[st] = state_ignored(sc, f, st))) {
			f->order[f->norder++] = st;
			f->nignored += f->count[st];
		}
	for (j = 1; j < f->norder; j++)
		for (k = j; k > 0 && f->count[f->order[k]] >
		    f->count[f->order[k - 1]]; k--) {
			tmp = f->order[k];
			f->order[k] = f->order[k - 1];
			f->order[k - 1] = tmp;
		}
}

static int
port_shown(const struct host *h, const struct fold *f, uint32_t i)
{
	return (h->res[i].flags & PR_SKIP) == 0 && !f->ignored[h->res[i].state];
}

/*
 * The reasons of a folded state, ordered as nmap orders them: by first
 * appearance behind a zero-count head, then a bottom-up merge sort by
 * falling count in which a tie takes the later run first.  The order of
 * equal counts is part of the output, so it is reproduced exactly.
 */
static size_t
reasons_of(const struct scan *sc, const struct host *h, int st,
    struct reasonsum *v)
{
	struct reasonsum	 tmp[WHY_N + 1];
	size_t			 n = 1, i, width, lo, mid, hi, a, b, k;
	uint32_t		 p;

	memset(v, 0, sizeof(*v));
	v[0].why = WHY_UNKNOWN;
	for (p = 0; p < sc->nports; p++) {
		if ((h->res[p].flags & PR_SKIP) || h->res[p].state != st)
			continue;
		for (i = 1; i < n && v[i].why != h->res[p].why; i++)
			;
		if (i == n) {
			v[n].why = h->res[p].why;
			v[n].count = 0;
			v[n++].first = p;
		}
		v[i].count++;
	}
	for (width = 1; width < n; width *= 2) {
		for (lo = 0, k = 0; lo < n; lo += 2 * width) {
			mid = lo + width < n ? lo + width : n;
			hi = lo + 2 * width < n ? lo + 2 * width : n;
			for (a = lo, b = mid; a < mid || b < hi;)
				if (b >= hi || (a < mid &&
				    v[b].count < v[a].count))
					tmp[k++] = v[a++];
				else
					tmp[k++] = v[b++];
		}
		memcpy(v, tmp, n * sizeof(*v));
	}
	return n;
}

static void
range_print(FILE *fp, int lo, int hi, int *first)
{
	fprintf(fp, "%s%d", *first ? "" : ",", lo);
	if (hi != lo)
		fprintf(fp, "-%d", hi);
	*first = 0;
}

/* "1-21,23-24": the ports of a state and reason, as ranges. */
static void
ports_of(FILE *fp, const struct scan *sc, const struct host *h, int st,
    int why)
{
	uint32_t	i;
	int		lo = -1, prev = -1, first = 1, p;

	for (i = 0; i < sc->nports; i++) {
		if ((h->res[i].flags & PR_SKIP) || h->res[i].state != st ||
		    h->res[i].why != why)
			continue;
		p = sc->ports[i];
		if (lo != -1 && p == prev + 1) {
			prev = p;
			continue;
		}
		if (lo != -1)
			range_print(fp, lo, prev, &first);
		lo = prev = p;
	}
	if (lo != -1)
		range_print(fp, lo, prev, &first);
}

/* --- normal and interactive ---------------------------------------------- */

static void
reason_text(const struct host *h, uint32_t i, char *buf, size_t len)
{
	const struct portres	*r = &h->res[i];
	const struct reasonip	*ri;
	char			 from[ADDR_STRLEN];
	size_t			 n;

	n = (size_t)snprintf(buf, len, "%s", why_name(r->why));
	for (ri = h->rip; ri != NULL; ri = ri->next)
		if (ri->port == i && n < len)
			n += (size_t)snprintf(buf + n, len - n, " from %s",
			    addr_format(&ri->from, from, sizeof(from)));
	if (r->ttl != 0 && n < len)
		(void)snprintf(buf + n, len - n, " ttl %d", r->ttl);
}

static void
notshown_line(FILE *fp, const struct scan *sc, const struct host *h,
    const struct fold *f)
{
	struct reasonsum	v[WHY_N + 1];
	size_t			n, i;
	int			j, first = 1;

	for (j = 0; j < f->norder; j++) {
		n = reasons_of(sc, h, f->order[j], v);
		for (i = 0; i < n; i++) {
			if (v[i].count == 0)
				continue;
			/* nmap's plural is the state's, not the reason's. */
			fprintf(fp, "%s%u %s tcp %s (%s)",
			    first ? "Not shown: " : ", ", v[i].count,
			    pstate_name(f->order[j]),
			    plural(f->count[f->order[j]], "port", "ports"),
			    why_name(v[i].why));
			first = 0;
		}
	}
	if (!first)
		fputc('\n', fp);
}

struct col {
	size_t	w[4];
	int	n;
};

static void
table_row(FILE *fp, const struct col *c, const char *const *cell)
{
	int	i;

	for (i = 0; i < c->n; i++) {
		if (i + 1 < c->n)
			fprintf(fp, "%-*s ", (int)c->w[i], cell[i]);
		else
			fprintf(fp, "%s\n", cell[i]);
	}
}

static void
port_cells(const struct scan *sc, const struct host *h, uint32_t i,
    char port[16], char reason[128], const char *cell[4])
{
	(void)snprintf(port, 16, "%u/tcp", sc->ports[i]);
	reason_text(h, i, reason, 128);
	cell[0] = port;
	cell[1] = pstate_name(h->res[i].state);
	if ((cell[2] = service_of(sc, sc->ports[i])) == NULL)
		cell[2] = "unknown";
	cell[3] = reason;
}

/* As nmap: --reason, or enough verbosity or any debugging. */
static int
reason_shown(const struct scan *sc)
{
	return sc->o->reason || sc->verbose > 1 || sc->debug > 0;
}

static void
port_table(FILE *fp, const struct scan *sc, const struct host *h,
    const struct fold *f)
{
	static const char *const head[4] = { "PORT", "STATE", "SERVICE",
	    "REASON" };
	struct col	 c;
	char		 port[16], reason[128];
	const char	*cell[4];
	uint32_t	 i;
	int		 k;

	c.n = reason_shown(sc) ? 4 : 3;
	for (k = 0; k < 4; k++)
		c.w[k] = strlen(head[k]);
	for (i = 0; i < sc->nports; i++) {
		if (!port_shown(h, f, i))
			continue;
		port_cells(sc, h, i, port, reason, cell);
		for (k = 0; k < c.n; k++)
			if (strlen(cell[k]) > c.w[k])
				c.w[k] = strlen(cell[k]);
	}
	table_row(fp, &c, head);
	for (i = 0; i < sc->nports; i++) {
		if (!port_shown(h, f, i))
			continue;
		port_cells(sc, h, i, port, reason, cell);
		table_row(fp, &c, cell);
	}
}

static void
host_up_line(FILE *fp, const struct scan *sc, const struct host *h)
{
	char	lat[32];

	fputs("Host is up", fp);
	if (reason_shown(sc))
		fputs(", received user-set", fp);
	if (h->srtt >= 0) {
		latency_format(h->srtt, lat, sizeof(lat));
		fprintf(fp, " (%ss latency)", lat);
	}
	fputs(".\n", fp);
}

/* -vv: when the host's scan began and how long it took. */
static void
scanned_line(FILE *fp, const struct host *h)
{
	struct tm	*tm = localtime(&h->wall_start);
	char		 when[64];

	if (tm == NULL || strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %Z",
	    tm) == 0)
		(void)strlcpy(when, "?", sizeof(when));
	fprintf(fp, "Scanned at %s for %llds\n", when,
	    (long long)(h->wall_end - h->wall_start));
}

static void
normal_host(FILE *fp, const struct scan *sc, const struct host *h)
{
	struct fold	f;
	char		nip[600], esc[512];

	name_ip(h, nip, sizeof(nip));
	fprintf(fp, "pscan scan report for %s\n", nip);
	host_up_line(fp, sc, h);
	if (h->others != NULL)
		fprintf(fp, "Other addresses for %s (not scanned): %s\n",
		    h->name, h->others);
	if (h->name != NULL && h->ptr != NULL && strcmp(h->name, h->ptr) != 0) {
		text_escape(h->ptr, esc, sizeof(esc));
		fprintf(fp, "rDNS record for %s: %s\n", host_ipstr(h), esc);
	}
	if (sc->verbose > 1 || sc->debug > 0)
		scanned_line(fp, h);
	if (h->timedout) {
		fprintf(fp, "Skipping host %s due to host timeout\n",
		    host_ipstr(h));
		return;
	}
	fold_compute(sc, h, &f);
	if (f.nscanned == 0)
		fprintf(fp, "0 ports scanned on %s\n", nip);
	else if (f.nignored == f.nscanned) {
		fprintf(fp, "%s %u scanned %s on %s %s in ignored states.\n",
		    f.nscanned == 1 ? "The" : "All", f.nscanned,
		    plural(f.nscanned, "port", "ports"), nip,
		    f.nscanned == 1 ? "is" : "are");
		notshown_line(fp, sc, h, &f);
	} else {
		if (f.nignored == 0)
			fputc('\n', fp);
		notshown_line(fp, sc, h, &f);
		port_table(fp, sc, h, &f);
	}
	mac_line(fp, sc, h);
	fputc('\n', fp);
}

/* --- grepable ------------------------------------------------------------- */

static void
grep_host(FILE *fp, const struct scan *sc, const struct host *h)
{
	struct fold	 f;
	char		 name[512] = "", svc[64], *p;
	const char	*sname;
	uint32_t	 i;
	int		 first = 1;

	if (h->ptr != NULL)
		text_escape(h->ptr, name, sizeof(name));
	fprintf(fp, "Host: %s (%s)\tStatus: Up\n", host_ipstr(h), name);
	if (h->timedout) {
		fprintf(fp, "Host: %s (%s)\tStatus: Timeout\n", host_ipstr(h),
		    name);
		return;
	}
	fold_compute(sc, h, &f);
	fprintf(fp, "Host: %s (%s)\tPorts: ", host_ipstr(h), name);
	for (i = 0; i < sc->nports; i++) {
		if (!port_shown(h, &f, i))
			continue;
		sname = service_of(sc, sc->ports[i]);
		(void)strlcpy(svc, sname != NULL ? sname : "", sizeof(svc));
		for (p = svc; (p = strchr(p, '/')) != NULL; p++)
			*p = '|';
		fprintf(fp, "%s%u/%s/tcp//%s///", first ? "" : ", ",
		    sc->ports[i], pstate_name(h->res[i].state), svc);
		first = 0;
	}
	if (f.norder == 1)
		fprintf(fp, "\tIgnored State: %s (%u)",
		    pstate_name(f.order[0]), f.count[f.order[0]]);
	fputc('\n', fp);
}

/* --- XML ------------------------------------------------------------------- */

static void
xml_ports(FILE *fp, const struct scan *sc, const struct host *h)
{
	struct reasonsum	 v[WHY_N + 1];
	struct fold		 f;
	const struct reasonip	*ri;
	char			 a[ADDR_STRLEN];
	const struct portres	*r;
	const char		*sname;
	uint32_t		 i;
	size_t			 k, n;
	int			 j;

	fold_compute(sc, h, &f);
	fputs("<ports>", fp);
	for (j = 0; j < f.norder; j++) {
		fprintf(fp, "<extraports state=\"%s\" count=\"%u\">\n",
		    pstate_name(f.order[j]), f.count[f.order[j]]);
		n = reasons_of(sc, h, f.order[j], v);
		for (k = 0; k < n; k++) {
			if (v[k].count == 0)
				continue;
			fprintf(fp, "<extrareasons reason=\"%s\" count=\"%u\" "
			    "proto=\"tcp\" ports=\"", why_name(v[k].why),
			    v[k].count);
			ports_of(fp, sc, h, f.order[j], v[k].why);
			fputs("\"/>\n", fp);
		}
		fputs("</extraports>\n", fp);
	}
	for (i = 0; i < sc->nports; i++) {
		if (!port_shown(h, &f, i))
			continue;
		r = &h->res[i];
		fprintf(fp, "<port protocol=\"tcp\" portid=\"%u\"><state "
		    "state=\"%s\" reason=\"%s\" reason_ttl=\"%d\"", sc->ports[i],
		    pstate_name(r->state), why_name(r->why), r->ttl);
		for (ri = h->rip; ri != NULL; ri = ri->next)
			if (ri->port == i)
				fprintf(fp, " reason_ip=\"%s\"",
				    addr_format(&ri->from, a, sizeof(a)));
		fputs("/>", fp);
		if ((sname = service_of(sc, sc->ports[i])) != NULL) {
			fputs("<service name=\"", fp);
			xml_text(fp, sname);
			fputs("\" method=\"table\" conf=\"3\"/>", fp);
		}
		fputs("</port>\n", fp);
	}
	fputs("</ports>\n", fp);
}

static void
xml_host(FILE *fp, const struct scan *sc, const struct host *h)
{
	char	mac[32], vendor[128];

	fprintf(fp, "<host starttime=\"%lld\" endtime=\"%lld\"%s>",
	    (long long)h->wall_start, (long long)h->wall_end,
	    h->timedout ? " timedout=\"true\"" : "");
	fputs("<status state=\"up\" reason=\"user-set\" reason_ttl=\"0\"/>\n",
	    fp);
	fprintf(fp, "<address addr=\"%s\" addrtype=\"%s\"/>\n", host_ipstr(h),
	    h->addr.family == AF_INET ? "ipv4" : "ipv6");
	if (h->hasmac) {
		mac_format(h->mac, mac, sizeof(mac));
		mac_vendor(sc, h->mac, vendor, sizeof(vendor));
		fprintf(fp, "<address addr=\"%s\" addrtype=\"mac\"", mac);
		if (strcmp(vendor, "Unknown") != 0) {
			fputs(" vendor=\"", fp);
			xml_text(fp, vendor);
			fputc('"', fp);
		}
		fputs("/>\n", fp);
	}
	fputs("<hostnames>\n", fp);
	if (h->name != NULL) {
		fputs("<hostname name=\"", fp);
		xml_text(fp, h->name);
		fputs("\" type=\"user\"/>\n", fp);
	}
	if (h->ptr != NULL) {
		fputs("<hostname name=\"", fp);
		xml_text(fp, h->ptr);
		fputs("\" type=\"PTR\"/>\n", fp);
	}
	fputs("</hostnames>\n", fp);
	if (!h->timedout)
		xml_ports(fp, sc, h);
	fprintf(fp, "<times srtt=\"%ld\" rttvar=\"%ld\" to=\"%ld\"/>\n",
	    h->srtt, h->rttvar, h->rto);
	fputs("</host>\n", fp);
}

/* --- the run --------------------------------------------------------------- */

static FILE *
open_one(const char *path, int append, int *closeit, int *interactive,
    char *err, size_t errlen)
{
	FILE	*fp;

	*closeit = 0;
	if (path == NULL)
		return NULL;
	if (strcmp(path, "-") == 0) {
		*interactive = 0;
		return stdout;
	}
	if ((fp = fopen(path, append ? "a" : "w")) == NULL) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	*closeit = 1;
	return fp;
}

struct output *
output_open(const struct options *o, char *err, size_t errlen)
{
	struct output	*out = xcalloc(1, sizeof(*out));

	out->interactive = 1;
	out->normal = open_one(o->out_normal, o->append, &out->closefd[0],
	    &out->interactive, err, errlen);
	if (o->out_normal != NULL && out->normal == NULL)
		goto fail;
	out->grep = open_one(o->out_grep, o->append, &out->closefd[1],
	    &out->interactive, err, errlen);
	if (o->out_grep != NULL && out->grep == NULL)
		goto fail;
	out->xml = open_one(o->out_xml, o->append, &out->closefd[2],
	    &out->interactive, err, errlen);
	if (o->out_xml != NULL && out->xml == NULL)
		goto fail;
	return out;
fail:
	output_close(out);
	return NULL;
}

int
output_interactive(const struct output *out)
{
	return out->interactive;
}

static void
ctime_of(time_t t, char *buf, size_t len)
{
	struct tm	*tm = localtime(&t);

	if (tm == NULL || strftime(buf, len, "%a %b %e %H:%M:%S %Y", tm) == 0)
		(void)strlcpy(buf, "?", len);
}

/* Each scan type's name in the progress lines, and in nmap.dtd. */
static const struct {
	enum scantype	 type;
	const char	*name;
	const char	*xml;
} scantypes[] = {
	{ SCAN_CONNECT,	"Connect Scan",		"connect" },
	{ SCAN_SYN,	"SYN Stealth Scan",	"syn" },
	{ SCAN_FIN,	"FIN Scan",		"fin" },
	{ SCAN_XMAS,	"XMAS Scan",		"xmas" },
	{ SCAN_NULL,	"NULL Scan",		"null" },
	{ SCAN_ACK,	"ACK Scan",		"ack" },
};

const char *
scan_name(enum scantype t)
{
	size_t	i;

	for (i = 0; i < nitems(scantypes); i++)
		if (scantypes[i].type == t)
			return scantypes[i].name;
	return "Scan";
}

static const char *
scantype_xml(enum scantype t)
{
	size_t	i;

	for (i = 0; i < nitems(scantypes); i++)
		if (scantypes[i].type == t)
			return scantypes[i].xml;
	return "syn";
}

/* The scanned ports as ranges, "21-23,80"; the caller frees it. */
static char *
ports_scanned(const struct scan *sc)
{
	struct portlist	*pl = xcalloc(1, sizeof(*pl));
	char		*list;
	size_t		 n;
	uint32_t	 i;

	for (i = 0; i < sc->nports; i++)
		(void)portlist_add(pl, IPPROTO_TCP, sc->ports[i]);
	n = portlist_format(pl, IPPROTO_TCP, NULL, 0);
	list = xmalloc(n + 1);
	(void)portlist_format(pl, IPPROTO_TCP, list, n + 1);
	free(pl);
	return list;
}

static void
xml_begin(FILE *fp, const struct scan *sc, const char *when)
{
	char	*list = ports_scanned(sc);

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<!DOCTYPE nmaprun>\n", fp);
	fprintf(fp, "<!-- pscan %s scan initiated %s as: ", PACKAGE_VERSION,
	    when);
	xml_text(fp, sc->o->args);
	fputs(" -->\n<nmaprun scanner=\"pscan\" args=\"", fp);
	xml_text(fp, sc->o->args);
	fprintf(fp, "\" start=\"%lld\" startstr=\"%s\" version=\"%s\" "
	    "xmloutputversion=\"1.05\">\n", (long long)sc->wall_start, when,
	    PACKAGE_VERSION);
	fprintf(fp, "<scaninfo type=\"%s\" protocol=\"tcp\" numservices=\"%u\" "
	    "services=\"%s\"/>\n", scantype_xml(sc->o->scan), sc->nports, list);
	fprintf(fp, "<verbose level=\"%d\"/>\n<debugging level=\"%d\"/>\n",
	    sc->o->verbose, sc->o->debug);
	free(list);
}

void
output_begin(struct scan *sc)
{
	struct output	*out = sc->out;
	char		 when[64], start[64], *list;
	struct tm	*tm;

	ctime_of(sc->wall_start, when, sizeof(when));
	if (out->interactive) {
		tm = localtime(&sc->wall_start);
		if (tm == NULL || strftime(start, sizeof(start),
		    "%Y-%m-%d %H:%M %Z", tm) == 0)
			(void)strlcpy(start, "?", sizeof(start));
		printf("Starting pscan %s ( auditkit ) at %s\n",
		    PACKAGE_VERSION, start);
	}
	if (out->normal != NULL)
		fprintf(out->normal, "# pscan %s scan initiated %s as: %s\n",
		    PACKAGE_VERSION, when, sc->o->args);
	if (out->grep != NULL) {
		fprintf(out->grep, "# pscan %s scan initiated %s as: %s\n",
		    PACKAGE_VERSION, when, sc->o->args);
		if (sc->verbose > 0) {
			list = ports_scanned(sc);
			fprintf(out->grep, "# Ports scanned: TCP(%u;%s) UDP(0;) "
			    "SCTP(0;) PROTOCOLS(0;)\n", sc->nports, list);
			free(list);
		}
	}
	if (out->xml != NULL)
		xml_begin(out->xml, sc, when);
	output_flush(out);
}

void
output_host(struct scan *sc, const struct host *h)
{
	struct output	*out = sc->out;
	uint32_t	 i;

	/* --open: a host without a possibly open port is not reported. */
	if (sc->o->open_only && !h->timedout) {
		for (i = 0; i < sc->nports; i++)
			if ((h->res[i].flags & PR_SKIP) == 0 &&
			    (h->res[i].state == PS_OPEN ||
			    h->res[i].state == PS_OPENFILTERED ||
			    h->res[i].state == PS_UNFILTERED))
				break;
		if (i == sc->nports)
			return;
	}
	if (out->interactive)
		normal_host(stdout, sc, h);
	if (out->normal != NULL)
		normal_host(out->normal, sc, h);
	if (out->grep != NULL)
		grep_host(out->grep, sc, h);
	if (out->xml != NULL)
		xml_host(out->xml, sc, h);
	output_flush(out);
}

/*
 * A line for the user, on the terminal and in the normal output; one
 * write each, since workers may call it at the same time.
 */
void
output_note(struct scan *sc, const char *fmt, ...)
{
	va_list	ap;
	char	line[512];

	va_start(ap, fmt);
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (sc->out->interactive)
		printf("%s\n", line);
	if (sc->out->normal != NULL)
		fprintf(sc->out->normal, "%s\n", line);
}

/* -v: open ports as they are found, on the terminal only. */
void
output_discovered(struct scan *sc, const struct host *h, uint16_t port)
{
	if (sc->verbose > 0 && sc->out->interactive)
		printf("Discovered open port %u/tcp on %s\n", port,
		    host_ipstr(h));
}

void
output_end(struct scan *sc, const char *errmsg)
{
	struct output	*out = sc->out;
	struct timespec	 now;
	char		 when[64], summary[160], secs[32];
	time_t		 t = time(NULL);
	double		 el;

	deadline_now(&now);
	el = (double)(now.tv_sec - sc->start.tv_sec) +
	    (double)(now.tv_nsec - sc->start.tv_nsec) / 1e9;
	(void)snprintf(secs, sizeof(secs), "%.2f", el);
	ctime_of(t, when, sizeof(when));
	(void)snprintf(summary, sizeof(summary), "%llu IP %s (%llu %s up) "
	    "scanned in %s seconds", (unsigned long long)sc->hosts_total,
	    plural(sc->hosts_total, "address", "addresses"),
	    (unsigned long long)sc->hosts_up,
	    plural(sc->hosts_up, "host", "hosts"), secs);
	if (out->interactive)
		printf("pscan done: %s\n", summary);
	if (out->normal != NULL)
		fprintf(out->normal, "# pscan done at %s -- %s\n", when,
		    summary);
	if (out->grep != NULL)
		fprintf(out->grep, "# pscan done at %s -- %s\n", when,
		    summary);
	if (out->xml != NULL) {
		fprintf(out->xml, "<runstats><finished time=\"%lld\" "
		    "timestr=\"%s\" summary=\"pscan done at %s; %s\" "
		    "elapsed=\"%s\" exit=\"%s\"", (long long)t, when, when,
		    summary, secs, errmsg == NULL ? "success" : "error");
		if (errmsg != NULL) {
			fputs(" errormsg=\"", out->xml);
			xml_text(out->xml, errmsg);
			fputc('"', out->xml);
		}
		fprintf(out->xml, "/><hosts up=\"%llu\" down=\"%llu\" "
		    "total=\"%llu\"/>\n</runstats>\n</nmaprun>\n",
		    (unsigned long long)sc->hosts_up,
		    (unsigned long long)(sc->hosts_total - sc->hosts_up),
		    (unsigned long long)sc->hosts_total);
	}
	output_flush(out);
}

void
output_flush(struct output *out)
{
	if (out->interactive)
		(void)fflush(stdout);
	if (out->normal != NULL)
		(void)fflush(out->normal);
	if (out->grep != NULL)
		(void)fflush(out->grep);
	if (out->xml != NULL)
		(void)fflush(out->xml);
}

/* Closes the files; -1 when a write failed (a full disk), with a warning. */
int
output_close(struct output *out)
{
	FILE	*fp[3];
	int	 i, r = 0;

	if (out == NULL)
		return 0;
	fp[0] = out->normal;
	fp[1] = out->grep;
	fp[2] = out->xml;
	for (i = 0; i < 3; i++) {
		if (fp[i] == NULL)
			continue;
		if (fflush(fp[i]) == EOF || ferror(fp[i])) {
			warn("writing the output");
			r = -1;
		}
		if (out->closefd[i] && fclose(fp[i]) == EOF) {
			warn("closing the output");
			r = -1;
		}
	}
	free(out);
	return r;
}
