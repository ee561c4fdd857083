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
	uint8_t		 set;		/* PSET_* */
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

static const char *
proto_name(int set)
{
	return set == PSET_UDP ? "udp" : "tcp";
}

/*
 * The SERVICE column: the name -sV or -sR found, the table's otherwise;
 * with mark, a "?" when -sV asked the port and learnt nothing, as nmap.
 * A port the table has no name for gets none: nmap prints "unknown" in
 * its tables but leaves the service out of grepable and XML output (and
 * ndiff would count the difference).
 */
static void
service_col(const struct scan *sc, const struct host *h, int set,
    uint32_t i, int mark, const char *none, char *buf, size_t len)
{
	const struct portset	*ps = &sc->pset[set];
	const struct svcinfo	*v = service_find(h, set, ps->ports[i]);
	const char		*name;

	if (v != NULL && v->name != NULL) {
		text_escape(v->name, buf, len);
		return;
	}
	if ((name = services_name(sc->svc, ps->ports[i], ps->proto)) == NULL)
		name = none;
	(void)snprintf(buf, len, "%s%s", name,
	    mark && *name != '\0' && v != NULL && !v->probed ? "?" : "");
}

static void
cat_escaped(char *buf, size_t len, const char *pre, const char *s,
    const char *post)
{
	char	esc[512];

	if (s == NULL || *s == '\0')
		return;
	text_escape(s, esc, sizeof(esc));
	if (*buf == '\0' && *pre == ' ')
		pre++;
	(void)strlcat(buf, pre, len);
	(void)strlcat(buf, esc, len);
	(void)strlcat(buf, post, len);
}

/* The VERSION column: product, version and (extra information). */
static void
version_col(const struct host *h, int set, uint16_t port, char *buf,
    size_t len)
{
	const struct svcinfo	*v = service_find(h, set, port);

	*buf = '\0';
	if (v == NULL)
		return;
	cat_escaped(buf, len, "", v->product, "");
	cat_escaped(buf, len, " ", v->version, "");
	cat_escaped(buf, len, " (", v->extrainfo, ")");
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

/* A hardware address as nmap prints it, "02:00:5E:10:00:01". */
void
output_mac_format(const uint8_t *mac, char *buf, size_t len)
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
	output_mac_format(h->mac, mac, sizeof(mac));
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
	int		st, j, k, tmp, set;

	memset(f, 0, sizeof(*f));
	for (set = 0; set < PSET_N; set++)
		for (i = 0; i < sc->pset[set].n; i++)
			if ((h->pres[set][i].flags & PR_SKIP) == 0) {
				f->count[h->pres[set][i].state]++;
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
port_shown(const struct host *h, const struct fold *f, int set, uint32_t i)
{
	const struct portres	*r = &h->pres[set][i];

	return (r->flags & PR_SKIP) == 0 && !f->ignored[r->state];
}

/*
 * The reasons of a folded state, one entry per reason and protocol,
 * ordered as nmap orders them: by first appearance (TCP ports first)
 * behind a zero-count head, then a bottom-up merge sort by falling count
 * in which a tie takes the later run first.  The order of equal counts
 * is part of the output, so it is reproduced exactly.
 */
static size_t
reasons_of(const struct scan *sc, const struct host *h, int st,
    struct reasonsum *v)
{
	struct reasonsum	 tmp[2 * WHY_N + 1];
	const struct portres	*r;
	size_t			 n = 1, i, width, lo, mid, hi, a, b, k;
	uint32_t		 p;
	int			 set;

	memset(v, 0, sizeof(*v));
	v[0].why = WHY_UNKNOWN;
	for (set = 0; set < PSET_N; set++)
		for (p = 0; p < sc->pset[set].n; p++) {
			r = &h->pres[set][p];
			if ((r->flags & PR_SKIP) || r->state != st)
				continue;
			for (i = 1; i < n && (v[i].why != r->why ||
			    v[i].set != set); i++)
				;
			if (i == n) {
				v[n].why = r->why;
				v[n].set = (uint8_t)set;
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

/* "1-21,23-24": the ports of a set in a state, with a reason, as ranges. */
static void
ports_of(FILE *fp, const struct scan *sc, const struct host *h, int set,
    int st, int why)
{
	const struct portres	*r;
	uint32_t		 i;
	int			 lo = -1, prev = -1, first = 1, p;

	for (i = 0; i < sc->pset[set].n; i++) {
		r = &h->pres[set][i];
		if ((r->flags & PR_SKIP) || r->state != st || r->why != why)
			continue;
		p = sc->pset[set].ports[i];
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
reason_text(const struct host *h, int set, uint32_t i, char *buf, size_t len)
{
	const struct portres	*r = &h->pres[set][i];
	const struct reasonip	*ri;
	char			 from[ADDR_STRLEN];
	size_t			 n;
	int			 proto = set == PSET_UDP ? IPPROTO_UDP :
				    IPPROTO_TCP;

	n = (size_t)snprintf(buf, len, "%s", why_name(r->why));
	for (ri = h->rip; ri != NULL; ri = ri->next)
		if (ri->port == i && ri->proto == proto && n < len)
			n += (size_t)snprintf(buf + n, len - n, " from %s",
			    addr_format(&ri->from, from, sizeof(from)));
	if (r->ttl != 0 && n < len)
		(void)snprintf(buf + n, len - n, " ttl %d", r->ttl);
}

static void
notshown_line(FILE *fp, const struct scan *sc, const struct host *h,
    const struct fold *f)
{
	struct reasonsum	v[2 * WHY_N + 1];
	size_t			n, i;
	int			j, first = 1;

	for (j = 0; j < f->norder; j++) {
		n = reasons_of(sc, h, f->order[j], v);
		for (i = 0; i < n; i++) {
			if (v[i].count == 0)
				continue;
			/* nmap's plural is the state's, not the reason's. */
			fprintf(fp, "%s%u %s %s %s (%s)",
			    first ? "Not shown: " : ", ", v[i].count,
			    pstate_name(f->order[j]), proto_name(v[i].set),
			    plural(f->count[f->order[j]], "port", "ports"),
			    why_name(v[i].why));
			first = 0;
		}
	}
	if (!first)
		fputc('\n', fp);
}

/* The table's columns: PORT STATE SERVICE, then REASON and VERSION. */
#define COL_PORT	0
#define COL_STATE	1
#define COL_SERVICE	2
#define COL_REASON	3
#define COL_VERSION	4
#define COL_N		5

struct row {
	char	port[16];
	char	service[80];
	char	reason[128];
	char	version[512];
	const char *cell[COL_N];
};

struct col {
	size_t	w[COL_N];
	int	on[COL_N];
};

static void
table_row(FILE *fp, const struct col *c, const char *const *cell)
{
	char	line[2048];
	size_t	len = 0;
	int	i, last;

	for (last = COL_N - 1; last > 0 && !c->on[last]; last--)
		;
	for (i = 0; i <= last && len < sizeof(line); i++) {
		if (!c->on[i])
			continue;
		(void)snprintf(line + len, sizeof(line) - len, "%-*s ",
		    i < last ? (int)c->w[i] : 0, cell[i]);
		len += strlen(line + len);
	}
	/* As nmap: an empty last cell (VERSION) leaves no blanks behind. */
	while (len > 0 && line[len - 1] == ' ')
		len--;
	fprintf(fp, "%.*s\n", (int)len, line);
}

static void
row_fill(const struct scan *sc, const struct host *h, int set, uint32_t i,
    struct row *rw)
{
	uint16_t	port = sc->pset[set].ports[i];

	(void)snprintf(rw->port, sizeof(rw->port), "%u/%s", port,
	    proto_name(set));
	reason_text(h, set, i, rw->reason, sizeof(rw->reason));
	service_col(sc, h, set, i, 1, "unknown", rw->service,
	    sizeof(rw->service));
	version_col(h, set, port, rw->version, sizeof(rw->version));
	rw->cell[COL_PORT] = rw->port;
	rw->cell[COL_STATE] = pstate_name(h->pres[set][i].state);
	rw->cell[COL_SERVICE] = rw->service;
	rw->cell[COL_REASON] = rw->reason;
	rw->cell[COL_VERSION] = rw->version;
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
	static const char *const head[COL_N] = { "PORT", "STATE", "SERVICE",
	    "REASON", "VERSION" };
	struct col	 c;
	struct row	 rw;
	uint32_t	 i;
	int		 k, set, pass;

	memset(&c, 0, sizeof(c));
	c.on[COL_PORT] = c.on[COL_STATE] = c.on[COL_SERVICE] = 1;
	c.on[COL_REASON] = reason_shown(sc);
	c.on[COL_VERSION] = sc->o->version || sc->o->rpc;
	for (k = 0; k < COL_N; k++)
		c.w[k] = strlen(head[k]);
	/* Widths first, then the rows. */
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1)
			table_row(fp, &c, head);
		for (set = 0; set < PSET_N; set++)
			for (i = 0; i < sc->pset[set].n; i++) {
				if (!port_shown(h, f, set, i))
					continue;
				row_fill(sc, h, set, i, &rw);
				if (pass == 1) {
					table_row(fp, &c, rw.cell);
					continue;
				}
				for (k = 0; k < COL_N; k++)
					if (strlen(rw.cell[k]) > c.w[k])
						c.w[k] = strlen(rw.cell[k]);
			}
	}
}

static void
host_up_line(FILE *fp, const struct scan *sc, const struct host *h)
{
	char	lat[32];

	fputs("Host is up", fp);
	if (reason_shown(sc)) {
		fprintf(fp, ", received %s", why_name(h->upwhy));
		if (h->upttl != 0)
			fprintf(fp, " ttl %d", h->upttl);
	}
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

/* -O: the guess, its evidence with -v, and the distance. */
static void
os_lines(FILE *fp, const struct scan *sc, const struct host *h)
{
	const struct osinfo	*os = h->os;

	if (os == NULL)
		return;
	if (os->open_port == 0 || os->closed_port == 0)
		fputs("Warning: OSScan results may be unreliable because we "
		    "could not find at least 1 open and 1 closed port\n", fp);
	if (os->family != NULL) {
		fprintf(fp, "Device type: %s\n", os->type);
		fprintf(fp, "Running (JUST GUESSING): %s (%d%%)\n", os->family,
		    os->accuracy);
		fprintf(fp, "OS details: %s, version unknown (a guess of the "
		    "family from TTL, window and TCP options)\n", os->family);
	} else if (!os->synack && !os->rst && !os->echo)
		fputs("Too little evidence for an OS guess: no answer to the "
		    "OS probes\n", fp);
	else if (!os->synack)
		fputs("Too little evidence for an OS guess: no open TCP port "
		    "answered its SYN\n", fp);
	else
		fputs("No OS family guess: the answers match no family well "
		    "enough\n", fp);
	if (sc->verbose > 0 && os->evidence[0] != '\0')
		fprintf(fp, "OS evidence: %s\n", os->evidence);
	if (os->hops >= 0)
		fprintf(fp, "Network Distance: %d %s\n", os->hops,
		    plural((uint64_t)os->hops, "hop", "hops"));
}

/* "Service Info: Host: name": the host names the banners gave. */
static void
svcinfo_line(FILE *fp, const struct host *h)
{
	const struct svcinfo	*v, *w;
	char			 esc[256];
	int			 n = 0;

	for (v = h->svc; v != NULL; v = v->next)
		if (v->hostname != NULL)
			n++;
	if (n == 0)
		return;
	fprintf(fp, "Service Info: %s: ", n > 1 ? "Hosts" : "Host");
	n = 0;
	for (v = h->svc; v != NULL; v = v->next) {
		if (v->hostname == NULL)
			continue;
		for (w = h->svc; w != v; w = w->next)
			if (w->hostname != NULL &&
			    strcmp(w->hostname, v->hostname) == 0)
				break;
		if (w != v)
			continue;
		text_escape(v->hostname, esc, sizeof(esc));
		fprintf(fp, "%s%s", n++ > 0 ? ", " : "", esc);
	}
	fputc('\n', fp);
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
	if (sc->o->noscan) {
		mac_line(fp, sc, h);
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
	os_lines(fp, sc, h);
	svcinfo_line(fp, h);
	fputc('\n', fp);
}

/* -v: a host that is down, in nmap's words. */
static void
normal_down(FILE *fp, const struct scan *sc, const struct host *h)
{
	char	nip[600];

	name_ip(h, nip, sizeof(nip));
	fprintf(fp, "pscan scan report for %s [host down", nip);
	if (reason_shown(sc))
		fputs(", received no-response", fp);
	fputs("]\n", fp);
}

/* --- grepable ------------------------------------------------------------- */

/* Grepable fields may not hold a "/" or a ",": nmap writes "|" for one. */
static void
grep_field(char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '/')
			*s = '|';
}

static void
grep_host(FILE *fp, const struct scan *sc, const struct host *h)
{
	struct fold	 f;
	char		 name[512] = "", svc[80], ver[512];
	uint32_t	 i;
	int		 first = 1, set;

	if (h->ptr != NULL)
		text_escape(h->ptr, name, sizeof(name));
	fprintf(fp, "Host: %s (%s)\tStatus: Up\n", host_ipstr(h), name);
	if (sc->o->noscan)
		return;
	if (h->timedout) {
		fprintf(fp, "Host: %s (%s)\tStatus: Timeout\n", host_ipstr(h),
		    name);
		return;
	}
	fold_compute(sc, h, &f);
	fprintf(fp, "Host: %s (%s)\tPorts: ", host_ipstr(h), name);
	for (set = 0; set < PSET_N; set++)
		for (i = 0; i < sc->pset[set].n; i++) {
			if (!port_shown(h, &f, set, i))
				continue;
			service_col(sc, h, set, i, 1, "", svc, sizeof(svc));
			version_col(h, set, sc->pset[set].ports[i], ver,
			    sizeof(ver));
			grep_field(svc);
			grep_field(ver);
			fprintf(fp, "%s%u/%s/%s//%s//%s/", first ? "" : ", ",
			    sc->pset[set].ports[i],
			    pstate_name(h->pres[set][i].state),
			    proto_name(set), svc, ver);
			first = 0;
		}
	if (f.norder == 1)
		fprintf(fp, "\tIgnored State: %s (%u)",
		    pstate_name(f.order[0]), f.count[f.order[0]]);
	if (h->os != NULL && h->os->family != NULL)
		fprintf(fp, "\tOS: %s", h->os->family);
	fputc('\n', fp);
}

/* --- XML ------------------------------------------------------------------- */

static void
xml_attr(FILE *fp, const char *name, const char *value)
{
	if (value == NULL)
		return;
	fprintf(fp, " %s=\"", name);
	xml_text(fp, value);
	fputc('"', fp);
}

static void
xml_service(FILE *fp, const struct scan *sc, const struct host *h, int set,
    uint32_t i)
{
	const struct svcinfo	*v;
	char			 name[80];

	v = service_find(h, set, sc->pset[set].ports[i]);
	service_col(sc, h, set, i, 0, "", name, sizeof(name));
	if (*name == '\0')
		return;
	fputs("<service", fp);
	xml_attr(fp, "name", name);
	if (v != NULL && v->probed) {
		xml_attr(fp, "product", v->product);
		xml_attr(fp, "version", v->version);
		xml_attr(fp, "extrainfo", v->extrainfo);
		xml_attr(fp, "hostname", v->hostname);
		if (v->rpcnum != 0)
			fprintf(fp, " proto=\"rpc\" rpcnum=\"%u\" "
			    "lowver=\"%u\" highver=\"%u\"", v->rpcnum,
			    v->lowver, v->highver);
		fputs(" method=\"probed\" conf=\"10\"/>", fp);
	} else
		fputs(" method=\"table\" conf=\"3\"/>", fp);
}

static void
xml_extraports(FILE *fp, const struct scan *sc, const struct host *h,
    const struct fold *f)
{
	struct reasonsum	 v[2 * WHY_N + 1];
	size_t			 k, n;
	int			 j;

	for (j = 0; j < f->norder; j++) {
		fprintf(fp, "<extraports state=\"%s\" count=\"%u\">\n",
		    pstate_name(f->order[j]), f->count[f->order[j]]);
		n = reasons_of(sc, h, f->order[j], v);
		for (k = 0; k < n; k++) {
			if (v[k].count == 0)
				continue;
			fprintf(fp, "<extrareasons reason=\"%s\" count=\"%u\" "
			    "proto=\"%s\" ports=\"", why_name(v[k].why),
			    v[k].count, proto_name(v[k].set));
			ports_of(fp, sc, h, v[k].set, f->order[j], v[k].why);
			fputs("\"/>\n", fp);
		}
		fputs("</extraports>\n", fp);
	}
}

static void
xml_ports(FILE *fp, const struct scan *sc, const struct host *h)
{
	struct fold		 f;
	const struct reasonip	*ri;
	char			 a[ADDR_STRLEN];
	const struct portres	*r;
	uint32_t		 i;
	int			 set, proto;

	fold_compute(sc, h, &f);
	fputs("<ports>", fp);
	xml_extraports(fp, sc, h, &f);
	for (set = 0; set < PSET_N; set++)
		for (i = 0; i < sc->pset[set].n; i++) {
			if (!port_shown(h, &f, set, i))
				continue;
			r = &h->pres[set][i];
			proto = sc->pset[set].proto;
			fprintf(fp, "<port protocol=\"%s\" portid=\"%u\">"
			    "<state state=\"%s\" reason=\"%s\" "
			    "reason_ttl=\"%d\"", proto_name(set),
			    sc->pset[set].ports[i], pstate_name(r->state),
			    why_name(r->why), r->ttl);
			for (ri = h->rip; ri != NULL; ri = ri->next)
				if (ri->port == i && ri->proto == proto)
					fprintf(fp, " reason_ip=\"%s\"",
					    addr_format(&ri->from, a,
					    sizeof(a)));
			fputs("/>", fp);
			xml_service(fp, sc, h, set, i);
			fputs("</port>\n", fp);
		}
	fputs("</ports>\n", fp);
}

static void
xml_os(FILE *fp, const struct host *h)
{
	const struct osinfo	*os = h->os;

	if (os == NULL)
		return;
	fputs("<os>", fp);
	if (os->open_port != 0)
		fprintf(fp, "<portused state=\"open\" proto=\"tcp\" "
		    "portid=\"%u\"/>\n", os->open_port);
	if (os->closed_port != 0)
		fprintf(fp, "<portused state=\"closed\" proto=\"tcp\" "
		    "portid=\"%u\"/>\n", os->closed_port);
	if (os->family != NULL)
		fprintf(fp, "<osmatch name=\"%s\" accuracy=\"%d\" line=\"0\">\n"
		    "<osclass type=\"%s\" vendor=\"%s\" osfamily=\"%s\" "
		    "accuracy=\"%d\"/>\n</osmatch>\n", os->family,
		    os->accuracy, os->type, os->family, os->family,
		    os->accuracy);
	fputs("</os>\n", fp);
	if (os->hops >= 0)
		fprintf(fp, "<distance value=\"%d\"/>\n", os->hops);
}

static void
xml_addresses(FILE *fp, const struct scan *sc, const struct host *h)
{
	char	mac[32], vendor[128];

	fprintf(fp, "<address addr=\"%s\" addrtype=\"%s\"/>\n", host_ipstr(h),
	    h->addr.family == AF_INET ? "ipv4" : "ipv6");
	if (!h->hasmac)
		return;
	output_mac_format(h->mac, mac, sizeof(mac));
	mac_vendor(sc, h->mac, vendor, sizeof(vendor));
	fprintf(fp, "<address addr=\"%s\" addrtype=\"mac\"", mac);
	if (strcmp(vendor, "Unknown") != 0) {
		fputs(" vendor=\"", fp);
		xml_text(fp, vendor);
		fputc('"', fp);
	}
	fputs("/>\n", fp);
}

static void
xml_host(FILE *fp, const struct scan *sc, const struct host *h)
{
	/* nmap gives a ping scan's hosts no times. */
	if (sc->o->noscan)
		fputs("<host>", fp);
	else
		fprintf(fp, "<host starttime=\"%lld\" endtime=\"%lld\"%s>",
		    (long long)h->wall_start, (long long)h->wall_end,
		    h->timedout ? " timedout=\"true\"" : "");
	fprintf(fp, "<status state=\"up\" reason=\"%s\" reason_ttl=\"%d\"/>\n",
	    why_name(h->upwhy), h->upttl);
	xml_addresses(fp, sc, h);
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
	if (!h->timedout && !sc->o->noscan)
		xml_ports(fp, sc, h);
	xml_os(fp, h);
	if (h->rto >= 0)
		fprintf(fp, "<times srtt=\"%ld\" rttvar=\"%ld\" "
		    "to=\"%ld\"/>\n", h->srtt, h->rttvar, h->rto);
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
	{ SCAN_UDP,	"UDP Scan",		"udp" },
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

/* The ports of a set as nmap lists them ("1-3,7"), to be freed. */
static char *
pset_services(const struct portset *ps)
{
	struct portlist	*pl = xcalloc(1, sizeof(*pl));
	char		*list;
	size_t		 n;
	uint32_t	 i;

	for (i = 0; i < ps->n; i++)
		(void)portlist_add(pl, ps->proto, ps->ports[i]);
	n = portlist_format(pl, ps->proto, NULL, 0);
	list = xmalloc(n + 1);
	(void)portlist_format(pl, ps->proto, list, n + 1);
	free(pl);
	return list;
}

/* A <scaninfo> for each protocol scanned, as nmap writes them. */
static void
xml_scaninfo(FILE *fp, const struct scan *sc, int set)
{
	const struct portset	*ps = &sc->pset[set];
	char			*list;

	if (ps->n == 0)
		return;
	list = pset_services(ps);
	fprintf(fp, "<scaninfo type=\"%s\" protocol=\"%s\" numservices=\"%u\" "
	    "services=\"%s\"/>\n", scantype_xml(set == PSET_UDP ? SCAN_UDP :
	    sc->o->scan), proto_name(set), ps->n, list);
	free(list);
}

/* The grepable report's list of the ports scanned, which -v adds. */
static void
grep_scanned(FILE *fp, const struct scan *sc)
{
	char	*list[PSET_N];
	int	 set;

	for (set = 0; set < PSET_N; set++)
		list[set] = pset_services(&sc->pset[set]);
	fprintf(fp, "# Ports scanned: TCP(%u;%s) UDP(%u;%s) SCTP(0;) "
	    "PROTOCOLS(0;)\n", sc->pset[PSET_TCP].n, list[PSET_TCP],
	    sc->pset[PSET_UDP].n, list[PSET_UDP]);
	for (set = 0; set < PSET_N; set++)
		free(list[set]);
}

static void
xml_begin(FILE *fp, const struct scan *sc, const char *when)
{
	int	set;

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
	for (set = 0; set < PSET_N; set++)
		xml_scaninfo(fp, sc, set);
	fprintf(fp, "<verbose level=\"%d\"/>\n<debugging level=\"%d\"/>\n",
	    sc->o->verbose, sc->o->debug);
}

void
output_begin(struct scan *sc)
{
	struct output	*out = sc->out;
	char		 when[64], start[64];
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
		if (sc->verbose > 0)
			grep_scanned(out->grep, sc);
	}
	if (out->xml != NULL)
		xml_begin(out->xml, sc, when);
	output_flush(out);
}

/* --open: whether a host has a port that is or may be open. */
static int
host_has_open(const struct scan *sc, const struct host *h)
{
	const struct portres	*r;
	uint32_t		 i;
	int			 set;

	for (set = 0; set < PSET_N; set++)
		for (i = 0; i < sc->pset[set].n; i++) {
			r = &h->pres[set][i];
			if ((r->flags & PR_SKIP) == 0 &&
			    (r->state == PS_OPEN ||
			    r->state == PS_OPENFILTERED ||
			    r->state == PS_UNFILTERED))
				return 1;
		}
	return 0;
}

void
output_host(struct scan *sc, const struct host *h)
{
	struct output	*out = sc->out;

	/* --open: a host without a possibly open port is not reported. */
	if (sc->o->open_only && !h->timedout && !sc->o->noscan &&
	    !host_has_open(sc, h))
		return;
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

/* A host found down: reported with -v only, as nmap does. */
void
output_down(struct scan *sc, const struct host *h)
{
	struct output	*out = sc->out;
	char		 name[512] = "";

	if (sc->verbose == 0)
		return;
	if (out->interactive)
		normal_down(stdout, sc, h);
	if (out->normal != NULL)
		normal_down(out->normal, sc, h);
	if (h->ptr != NULL)
		text_escape(h->ptr, name, sizeof(name));
	if (out->grep != NULL)
		fprintf(out->grep, "Host: %s (%s)\tStatus: Down\n",
		    host_ipstr(h), name);
	if (out->xml != NULL) {
		fprintf(out->xml, "<host><status state=\"down\" "
		    "reason=\"no-response\" reason_ttl=\"0\"/>\n");
		xml_addresses(out->xml, sc, h);
		fputs("</host>\n", out->xml);
	}
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

/*
 * -v: open ports as they are found, on the terminal only; a phase of
 * host probes (-O's, protocol 0) has none.
 */
void
output_discovered(struct scan *sc, const struct host *h, uint16_t port)
{
	if (sc->verbose > 0 && sc->out->interactive && sc->proto != 0)
		printf("Discovered open port %u/%s on %s\n", port,
		    sc->proto == IPPROTO_UDP ? "udp" : "tcp", host_ipstr(h));
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
