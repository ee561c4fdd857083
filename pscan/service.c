/*
 * service.c: -sV, light: what the program behind an open TCP port says
 * about itself, and (with rpc.c) the SunRPC programs of -sR.
 *
 * Many programs greet a client first, naming themselves: SSH sends its
 * version string ("SSH-2.0-OpenSSH_9.2p1 Debian-2"), SMTP and FTP a 220
 * line.  Others wait for a request: a port silent for a while after the
 * connection gets an HTTP HEAD request, and a web server names itself in
 * its Server header.  The SERVICE and VERSION columns are filled only
 * from what these words say, never guessed from the port number; a port
 * that said nothing recognizable keeps the table's name with a "?", as
 * nmap marks it.  Every byte comes from the network, so every field is
 * bounded here and escaped by output.c before it reaches a terminal or
 * a file.
 *
 * The connections run side by side in one poll loop, a bounded number at
 * a time, each with its own deadline.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "deadline.h"
#include "xmalloc.h"
#include "pscan.h"

#define SVC_PARALLEL	128	/* connections at a time */
#define SVC_CONNECT_MS	3000
#define SVC_BANNER_MS	2000	/* wait for a greeting, then ask */
#define SVC_REPLY_MS	3000	/* wait for the answer to HEAD */
#define SVC_BUF		2048
#define SVC_FIELD	80	/* longest field kept */

static const char http_head[] = "HEAD / HTTP/1.0\r\n\r\n";

enum cstate { C_CONNECTING, C_GREETING, C_ASKED, C_DONE };

struct conn {
	struct host	*h;
	uint16_t	 port;
	int		 fd;
	enum cstate	 state;
	struct timespec	 deadline;
	char		 buf[SVC_BUF + 1];
	size_t		 len;
};

/* The time ms milliseconds from now (rpc.c's deadlines too). */
void
service_due(struct timespec *ts, long ms)
{
	deadline_now(ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* --- findings ------------------------------------------------------------ */

void
service_free(struct svcinfo *v)
{
	struct svcinfo	*next;

	for (; v != NULL; v = next) {
		next = v->next;
		free(v->name);
		free(v->product);
		free(v->version);
		free(v->extrainfo);
		free(v->hostname);
		free(v);
	}
}

/* The finding of a port of a host, or NULL. */
struct svcinfo *
service_find(const struct host *h, int set, uint16_t port)
{
	struct svcinfo	*v;

	for (v = h->svc; v != NULL; v = v->next)
		if (v->set == set && v->port == port)
			return v;
	return NULL;
}

/* The finding of a port of a host, made when first needed. */
struct svcinfo *
service_of(struct host *h, int set, uint16_t port)
{
	struct svcinfo	*v;

	if ((v = service_find(h, set, port)) != NULL)
		return v;
	v = xcalloc(1, sizeof(*v));
	v->set = set;
	v->port = port;
	v->next = h->svc;
	h->svc = v;
	return v;
}

/* A copy of n bytes of s, at most SVC_FIELD; NULL for none. */
static char *
field(const char *s, size_t n)
{
	char	*f;

	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return NULL;
	if (n > SVC_FIELD)
		n = SVC_FIELD;
	f = xmalloc(n + 1);
	memcpy(f, s, n);
	f[n] = '\0';
	return f;
}

static void
field_set(char **dst, const char *s, size_t n)
{
	free(*dst);
	*dst = field(s, n);
}

/* --- reading what a program says ----------------------------------------- */

static int
versionlike(const char *s)
{
	return isdigit((unsigned char)s[0]);
}

/*
 * A product and its version from words such as "nginx/1.22.1",
 * "OpenSSH_9.2p1", "vsFTPd 3.0.3" or "Exim 4.96": the first word that
 * starts with a letter, and the next when it starts with a digit.
 */
static void
product_version(struct svcinfo *v, const char *s, size_t n)
{
	const char	*p = s, *end = s + n, *q, *r;

	while (p < end && !isalpha((unsigned char)*p))
		p++;
	for (q = p; q < end && !isspace((unsigned char)*q) && *q != '/' &&
	    *q != '_' && *q != '(' && *q != ')'; q++)
		;
	if (q == p)
		return;
	field_set(&v->product, p, (size_t)(q - p));
	if (q < end && (*q == '/' || *q == '_' || *q == ' '))
		q++;
	if (q >= end || !versionlike(q))
		return;
	for (r = q; r < end && !isspace((unsigned char)*r) && *r != '(' &&
	    *r != ')' && *r != ';' && *r != ','; r++)
		;
	field_set(&v->version, q, (size_t)(r - q));
}

/* The text of the first parentheses, as extra information. */
static void
paren_extra(struct svcinfo *v, const char *s, size_t n)
{
	const char	*a = memchr(s, '(', n), *b;

	if (a == NULL || (b = memchr(a, ')', n - (size_t)(a - s))) == NULL)
		return;
	field_set(&v->extrainfo, a + 1, (size_t)(b - a - 1));
}

static const char *
word_find(const char *s, size_t n, const char *w)
{
	size_t	wl = strlen(w), i;

	for (i = 0; i + wl <= n; i++)
		if (strncasecmp(s + i, w, wl) == 0 &&
		    (i == 0 || isspace((unsigned char)s[i - 1])))
			return s + i;
	return NULL;
}

/*
 * "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3": the protocol, the software
 * and its version, then a comment, which nmap shows with the version.
 */
static void
parse_ssh(struct svcinfo *v, const char *l, size_t n)
{
	const char	*sw = memchr(l + 4, '-', n - 4), *sp;
	char		 extra[SVC_FIELD];
	size_t		 vl;

	field_set(&v->name, "ssh", 3);
	if (sw == NULL)
		return;
	(void)snprintf(extra, sizeof(extra), "protocol %.*s",
	    (int)(sw - (l + 4)), l + 4);
	field_set(&v->extrainfo, extra, strlen(extra));
	sw++;
	sp = memchr(sw, ' ', n - (size_t)(sw - l));
	product_version(v, sw, sp != NULL ? (size_t)(sp - sw) :
	    n - (size_t)(sw - l));
	if (sp == NULL || v->version == NULL)
		return;
	vl = strlen(v->version);
	(void)snprintf(extra, sizeof(extra), "%s %.*s", v->version,
	    (int)(n - (size_t)(sp + 1 - l)), sp + 1);
	if (strlen(extra) > vl + 1)
		field_set(&v->version, extra, strlen(extra));
}

/* "220 host ESMTP Postfix (Debian/GNU)", "220 (vsFTPd 3.0.3)". */
static void
parse_220(struct svcinfo *v, const char *l, size_t n)
{
	const char	*w, *h, *he;
	int		 smtp = word_find(l, n, "ESMTP") != NULL ||
			    word_find(l, n, "SMTP") != NULL;

	if (!smtp && strcasestr(l, "FTP") == NULL)
		return;
	field_set(&v->name, smtp ? "smtp" : "ftp", smtp ? 4 : 3);
	if (smtp) {
		/* The host names itself first; the software follows SMTP. */
		for (h = l + 3; h < l + n && *h == ' '; h++)
			;
		for (he = h; he < l + n && *he != ' '; he++)
			;
		if (memchr(h, '.', (size_t)(he - h)) != NULL)
			field_set(&v->hostname, h, (size_t)(he - h));
		if ((w = word_find(l, n, "ESMTP")) == NULL)
			w = word_find(l, n, "SMTP");
		while (w < l + n && *w != ' ')
			w++;
		if (w < l + n && *w == ' ' && w + 1 < l + n && w[1] != '(')
			product_version(v, w + 1, n - (size_t)(w + 1 - l));
		paren_extra(v, l, n);
		return;
	}
	if ((w = memchr(l, '(', n)) != NULL)
		product_version(v, w + 1, n - (size_t)(w + 1 - l));
	else
		product_version(v, l + 3, n - 3);
}

/* An HTTP answer: its Server header names the software. */
static void
parse_http(struct svcinfo *v, const char *buf, size_t len)
{
	const char	*p = buf, *end = buf + len, *e, *sp;

	field_set(&v->name, "http", 4);
	while (p < end && (e = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		if ((size_t)(e - p) > 7 && strncasecmp(p, "Server:", 7) == 0) {
			p += 7;
			product_version(v, p, (size_t)(e - p));
			if ((sp = memchr(p, '(', (size_t)(e - p))) != NULL)
				paren_extra(v, sp, (size_t)(e - sp));
			return;
		}
		p = e + 1;
	}
}

/* What a port said: the finding, or nothing recognizable. */
static void
banner_read(struct conn *c)
{
	struct svcinfo	*v = service_of(c->h, PSET_TCP, c->port);
	const char	*b = c->buf;
	size_t		 n = strcspn(b, "\r\n");

	if (c->len >= 4 && strncmp(b, "SSH-", 4) == 0)
		parse_ssh(v, b, n);
	else if (c->len >= 5 && strncmp(b, "HTTP/", 5) == 0)
		parse_http(v, b, c->len);
	else if (c->len >= 4 && strncmp(b, "220", 3) == 0 &&
	    (b[3] == ' ' || b[3] == '-'))
		parse_220(v, b, n);
	else if (c->len >= 3 && strncmp(b, "+OK", 3) == 0)
		field_set(&v->name, "pop3", 4);
	else if (c->len >= 4 && strncmp(b, "* OK", 4) == 0)
		field_set(&v->name, "imap", 4);
	v->probed = v->name != NULL;
}

/* --- the connections ------------------------------------------------------ */

static int
conn_open(struct conn *c)
{
	struct sockaddr_storage	ss;
	socklen_t		sl;

	if ((c->fd = socket(c->h->addr.family, SOCK_STREAM, 0)) == -1)
		return -1;
	if (fcntl(c->fd, F_SETFL, O_NONBLOCK) == -1) {
		(void)close(c->fd);
		return -1;
	}
	sl = addr_to_sockaddr(&c->h->addr, c->port, &ss);
	if (connect(c->fd, (struct sockaddr *)&ss, sl) == -1 &&
	    errno != EINPROGRESS) {
		(void)close(c->fd);
		return -1;
	}
	c->state = C_CONNECTING;
	service_due(&c->deadline, SVC_CONNECT_MS);
	return 0;
}

static void
conn_close(struct conn *c)
{
	if (c->len > 0)
		banner_read(c);
	else
		(void)service_of(c->h, PSET_TCP, c->port);
	(void)close(c->fd);
	c->fd = -1;
	c->state = C_DONE;
}

/* Whether what arrived is a whole answer: a line, or HTTP's headers. */
static int
conn_complete(const struct conn *c)
{
	if (c->len >= SVC_BUF)
		return 1;
	if (c->len >= 5 && strncmp(c->buf, "HTTP/", 5) == 0)
		return strstr(c->buf, "\r\n\r\n") != NULL ||
		    strstr(c->buf, "\n\n") != NULL;
	return memchr(c->buf, '\n', c->len) != NULL;
}

static void
conn_ask(struct conn *c)
{
	if (send(c->fd, http_head, sizeof(http_head) - 1, MSG_NOSIGNAL) !=
	    (ssize_t)(sizeof(http_head) - 1)) {
		conn_close(c);
		return;
	}
	c->state = C_ASKED;
	service_due(&c->deadline, SVC_REPLY_MS);
}

static void
conn_event(struct conn *c, short revents)
{
	ssize_t		n;
	int		e = 0;
	socklen_t	el = sizeof(e);

	if (c->state == C_CONNECTING) {
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &el) == -1 ||
		    e != 0) {
			conn_close(c);
			return;
		}
		c->state = C_GREETING;
		service_due(&c->deadline, SVC_BANNER_MS);
		return;
	}
	if ((revents & (POLLIN | POLLHUP | POLLERR)) == 0)
		return;
	n = recv(c->fd, c->buf + c->len, SVC_BUF - c->len, 0);
	if (n <= 0) {
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		conn_close(c);
		return;
	}
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	if (conn_complete(c))
		conn_close(c);
}

static void
conn_expire(struct conn *c)
{
	if (c->state == C_GREETING && c->len == 0)
		conn_ask(c);
	else
		conn_close(c);
}

/* Runs the connections to the end, SVC_PARALLEL at a time. */
static void
conns_run(struct scan *sc, struct conn *cv, size_t n)
{
	struct pollfd	 pfd[SVC_PARALLEL];
	struct conn	*act[SVC_PARALLEL];
	struct timespec	 now;
	size_t		 next = 0, na, i;
	long long	 wait;

	for (;;) {
		na = 0;
		for (i = 0; i < next; i++)
			if (cv[i].state != C_DONE && na < SVC_PARALLEL)
				act[na++] = &cv[i];
		while (na < SVC_PARALLEL && next < n) {
			if (conn_open(&cv[next]) == 0)
				act[na++] = &cv[next];
			else
				cv[next].state = C_DONE;
			next++;
		}
		if (na == 0 || atomic_load(sc->stop))
			break;
		deadline_now(&now);
		wait = 0;
		for (i = 0; i < na; i++) {
			long long	ms = deadline_diff_ms(&now,
					    &act[i]->deadline);

			if (i == 0 || ms < wait)
				wait = ms;
			pfd[i].fd = act[i]->fd;
			pfd[i].events = act[i]->state == C_CONNECTING ?
			    POLLOUT : POLLIN;
			pfd[i].revents = 0;
		}
		if (poll(pfd, (nfds_t)na, (int)(wait < 0 ? 0 : wait)) == -1 &&
		    errno != EINTR)
			break;
		deadline_now(&now);
		for (i = 0; i < na; i++) {
			if (pfd[i].revents != 0)
				conn_event(act[i], pfd[i].revents);
			if (act[i]->state != C_DONE &&
			    deadline_diff_ms(&now, &act[i]->deadline) <= 0)
				conn_expire(act[i]);
		}
	}
	for (i = 0; i < n; i++)
		if (cv[i].state != C_DONE && cv[i].fd != -1)
			(void)close(cv[i].fd);
}

/* Banners of the open TCP ports of the group's hosts. */
static void
banners(struct scan *sc, struct host **g, size_t n)
{
	const struct portset	*ps = &sc->pset[PSET_TCP];
	struct conn		*cv = NULL;
	size_t			 i, nc = 0;
	uint32_t		 k;

	for (i = 0; i < n; i++)
		for (k = 0; k < ps->n; k++) {
			if ((g[i]->pres[PSET_TCP][k].flags & PR_SKIP) ||
			    g[i]->pres[PSET_TCP][k].state != PS_OPEN)
				continue;
			cv = xreallocarray(cv, nc + 1, sizeof(*cv));
			memset(&cv[nc], 0, sizeof(cv[nc]));
			cv[nc].h = g[i];
			cv[nc].port = ps->ports[k];
			cv[nc].fd = -1;
			nc++;
		}
	if (nc > 0)
		conns_run(sc, cv, nc);
	free(cv);
}

/*
 * -sV and -sR for the group's up hosts: the banners first, then the RPC
 * programs of the ports that gave none.  0, or -1 when stopped.
 */
int
service_group(struct scan *sc, struct host **g, size_t n)
{
	struct timespec	t0;
	char		total[64];

	scan_phase_begin(sc, "Service scan", g, n, "host", (uint32_t)n, &t0);
	if (sc->o->version)
		banners(sc, g, n);
	if (sc->o->rpc && !atomic_load(sc->stop))
		rpc_group(sc, g, n);
	if (atomic_load(sc->stop))
		return -1;
	(void)snprintf(total, sizeof(total), "%zu %s", n,
	    n == 1 ? "host" : "hosts");
	scan_phase_end(sc, "Service scan", &t0, total);
	return 0;
}
