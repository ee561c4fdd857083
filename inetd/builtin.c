/*
 * builtin.c: the internal services, served inside the daemon.
 *
 * echo, discard, chargen, daytime and time (RFC 862-868) over TCP and
 * UDP, tcpmux (RFC 1078) and the SENSOR trap.  xinetd forks a process
 * for a stream echo, discard or chargen client; here every stream client
 * is a struct session in the one poll loop, with its own buffer, non-
 * blocking I/O and timers, so a slow or stuck client only ever waits for
 * itself.  Each poll event does a bounded amount of work (one read, one
 * write of at most a buffer), so a fast client cannot starve the others.
 *
 * A session may also hold a connection while the client's identd is
 * asked for the tcp_wrappers rules (session_ask_user): it then polls the
 * query's socket instead of the client's, and the query's deadline is its
 * timer, so a silent identd holds up that client alone.
 *
 * Timers: a session that has not moved a byte for SESSION_IDLE seconds
 * is closed, one with output pending that the client does not read for
 * SESSION_STALL seconds too, and a tcpmux client has SESSION_MUXWAIT
 * seconds to name its service.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "ident.h"
#include "inetd.h"
#include "log.h"
#include "suggest.h"
#include "xmalloc.h"

#define SESSION_BUF	16384
#define SESSION_IDLE	600
#define SESSION_STALL	60
#define SESSION_MUXWAIT	30
#define SESSION_IDENT	10	/* seconds an identd has, as libwrap,
				   unless an rfc931 option says */
#define SESSION_NAME	10	/* seconds a name lookup has */
#define SESSION_NAMES	64	/* name lookups at once */
#define MUX_LINE	256
#define DGRAM_MAX	8192
#define DGRAM_BATCH	32

enum bkind { B_ECHO, B_DISCARD, B_CHARGEN, B_DAYTIME, B_TIME, B_TCPMUX,
	B_SENSOR };

struct session {
	struct session	*next;
	struct session	*prev;
	int		 fd;
	enum bkind	 kind;
	struct service	*svc;
	struct conn	 conn;
	char		*buf;		/* pending output, or tcpmux input */
	size_t		 len;
	size_t		 off;
	struct ident	*ident;		/* asking the identd */
	struct resolve	*resolve;	/* looking the client's name up */
	char		*user;		/* its ident answer, while it does */
	char		*dgram;		/* the datagram to answer then */
	size_t		 dgramlen;
	struct listener	*held;		/* suspended until then */
	int		 counted;	/* counts as an instance */
	int		 closing;	/* close once the output is out */
	int		 eof;		/* the client closed its side */
	unsigned	 ring;		/* chargen position */
	time_t		 start;
	struct deadline	 timer;
	struct inetd	*st;
};

static int	bi_stream(struct inetd *, struct service *, struct conn *);
static void	bi_dgram(struct inetd *, struct service *, struct listener *);

static const struct builtin builtins[] = {
	{ "echo",    SOCK_STREAM, 0, 1, bi_stream, NULL },
	{ "echo",    SOCK_DGRAM,  1, 0, NULL,      bi_dgram },
	{ "discard", SOCK_STREAM, 0, 1, bi_stream, NULL },
	{ "discard", SOCK_DGRAM,  1, 0, NULL,      bi_dgram },
	{ "chargen", SOCK_STREAM, 0, 1, bi_stream, NULL },
	{ "chargen", SOCK_DGRAM,  1, 0, NULL,      bi_dgram },
	{ "daytime", SOCK_STREAM, 0, 0, bi_stream, NULL },
	{ "daytime", SOCK_DGRAM,  1, 0, NULL,      bi_dgram },
	{ "time",    SOCK_STREAM, 0, 0, bi_stream, NULL },
	{ "time",    SOCK_DGRAM,  1, 0, NULL,      bi_dgram },
	{ "tcpmux",  SOCK_STREAM, 0, 1, bi_stream, NULL },
	{ "sensor",  SOCK_STREAM, 0, 0, bi_stream, NULL },
	{ "sensor",  SOCK_DGRAM,  1, 0, NULL,      bi_dgram },
};

/* The internal service nearest to a mistyped name, or NULL. */
const char *
builtin_nearest(const char *name)
{
	const char	*names[nitems(builtins)];
	size_t		 i, n = 0;

	/* "sensor" is the SENSOR flag's doing, not a name to write. */
	for (i = 0; i < nitems(builtins); i++)
		if (strcmp(builtins[i].name, "sensor") != 0)
			names[n++] = builtins[i].name;
	return suggest_word(name, names, n);
}

const struct builtin *
builtin_find(const char *name, int socktype)
{
	size_t	i;

	for (i = 0; i < nitems(builtins); i++)
		if (strcmp(builtins[i].name, name) == 0 &&
		    builtins[i].socktype == socktype)
			return &builtins[i];
	return NULL;
}

static enum bkind
bi_kind(const struct svcconf *sc)
{
	if (sc->flags & SF_SENSOR)
		return B_SENSOR;
	if (strcmp(sc->name, "echo") == 0)
		return B_ECHO;
	if (strcmp(sc->name, "discard") == 0)
		return B_DISCARD;
	if (strcmp(sc->name, "chargen") == 0)
		return B_CHARGEN;
	if (strcmp(sc->name, "daytime") == 0)
		return B_DAYTIME;
	if (strcmp(sc->name, "time") == 0)
		return B_TIME;
	return B_TCPMUX;
}

/* --- the protocols ------------------------------------------------------ */

/*
 * RFC 867 as xinetd writes it, "23 NOV 2026 16:05:39 UTC\r\n", or as BSD
 * inetd does (ctime's "Mon Nov 23 16:05:39 2026\r\n") for a service from
 * inetd.conf.
 */
static size_t
bi_daytime(char *buf, size_t len, int bsd)
{
	static const char *const mon[] = { "JAN", "FEB", "MAR", "APR", "MAY",
	    "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC" };
	struct tm	tm;
	time_t		now = time(NULL);
	int		n;
	size_t		z;

	(void)localtime_r(&now, &tm);
	if (bsd)
		return strftime(buf, len, "%a %b %e %H:%M:%S %Y\r\n", &tm);
	n = snprintf(buf, len, "%02d %s %d %02d:%02d:%02d", tm.tm_mday,
	    mon[tm.tm_mon], 1900 + tm.tm_year, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
	if (n < 0 || (size_t)n >= len)
		return 0;
	z = strftime(buf + n, len - (size_t)n, " %Z\r\n", &tm);
	return (size_t)n + z;
}

/* RFC 868: seconds since 1900, 32 bits, network order. */
static size_t
bi_time(unsigned char *buf)
{
	uint32_t	t = (uint32_t)((unsigned long long)time(NULL) +
	    2208988800ULL);

	buf[0] = (unsigned char)(t >> 24);
	buf[1] = (unsigned char)(t >> 16);
	buf[2] = (unsigned char)(t >> 8);
	buf[3] = (unsigned char)t;
	return 4;
}

/*
 * RFC 864: lines of 72 characters from the 95 printable ASCII
 * characters, each line starting one character further on.
 */
static size_t
bi_chargen(char *buf, size_t len, unsigned *pos)
{
	size_t	n = 0;
	int	i;

	while (n + 74 <= len) {
		for (i = 0; i < 72; i++)
			buf[n++] = (char)(' ' + (*pos + (unsigned)i) % 95);
		buf[n++] = '\r';
		buf[n++] = '\n';
		*pos = (*pos + 1) % 95;
	}
	return n;
}

/* --- datagram services -------------------------------------------------- */

static void
bi_dgram_one(struct inetd *st, struct service *sp, int fd, char *buf,
    ssize_t n, struct conn *cp)
{
	char		 out[DGRAM_MAX + 128];
	size_t		 len = 0;
	unsigned	 pos = 0;

	switch (bi_kind(sp->conf)) {
	case B_ECHO:
		memcpy(out, buf, (size_t)n);
		len = (size_t)n;
		break;
	case B_CHARGEN:
		/* xinetd fills 1 KiB, the last line cut short; BSD sends one. */
		len = bi_chargen(out, sp->conf->bsd ? 74 : 1024 + 74, &pos);
		if (!sp->conf->bsd) {
			len = 1024;
			out[len - 2] = '\r';
			out[len - 1] = '\n';
		}
		break;
	case B_DAYTIME:
		len = bi_daytime(out, sizeof(out), sp->conf->bsd);
		break;
	case B_TIME:
		len = bi_time((unsigned char *)out);
		break;
	case B_SENSOR:
		sensor_add(st, sp, cp->key, cp->host);
		return;
	default:
		return;
	}
	if (len > 0)
		(void)sendto(fd, out, len, MSG_DONTWAIT,
		    (struct sockaddr *)&cp->peer, cp->peerlen);
}

/*
 * Whether a datagram comes from one of this daemon's own internal
 * datagram services: on ports above 1023 (where tests and unprivileged
 * set-ups put them) echo and chargen would answer each other after one
 * forged request just as well.  The source port is that of such a
 * listener, and its address the listener's (or any, for a wildcard one).
 */
static int
bi_key_any(const unsigned char *k)
{
	static const unsigned char	any6[16];
	static const unsigned char	any4[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0xff, 0xff, 0, 0, 0, 0 };

	return memcmp(k, any6, 16) == 0 || memcmp(k, any4, 16) == 0;
}

static int
bi_dgram_own(struct inetd *st, const struct conn *cp, int port)
{
	const struct listener	*l;
	unsigned char		 k[16];
	int			 i;

	for (i = 0; i < st->nlsts; i++) {
		l = st->lsts[i];
		if (l->port != port || l->socktype != SOCK_DGRAM ||
		    l->svc == NULL || l->svc->conf->builtin == NULL)
			continue;
		if (addr_key((const struct sockaddr *)&l->addr.ss, k) == -1 ||
		    memcmp(k, cp->key, 16) == 0 || bi_key_any(k))
			return 1;
	}
	return 0;
}

/*
 * Datagrams that must not be answered: from a privileged port (where
 * other echo, chargen and the like live: two of them answering each other
 * never stop, CVE-1999-0103, and a forged request starts them) or from a
 * multicast or broadcast address.  OpenBSD inetd's rule; loopback clients
 * are answered here, as xinetd answers them.
 */
static int
bi_dgram_bad(struct inetd *st, const struct conn *cp)
{
	const unsigned char	*k = cp->key;
	int			 port;

	port = addr_sockaddr_port(&cp->peer);
	if (port < 1024 || bi_dgram_own(st, cp, port))
		return 1;
	if (k[0] == 0xff)
		return 1;	/* IPv6 multicast */
	if (k[10] == 0xff && k[11] == 0xff && memcmp(k, "\0\0\0\0\0\0\0\0\0\0",
	    10) == 0 && (k[12] >= 224 || (k[12] == 0)))
		return 1;	/* IPv4 multicast, broadcast, 0/8 */
	return 0;
}

/*
 * Answer up to DGRAM_BATCH datagrams: each one is a "connection" that
 * goes through the limits and access checks and is logged as xinetd logs
 * its datagram services (START with pid=0, no EXIT).
 */
static void
bi_dgram(struct inetd *st, struct service *sp, struct listener *l)
{
	char		buf[DGRAM_MAX];
	struct conn	c;
	ssize_t		n;
	int		i, fd = l->fd;

	for (i = 0; i < DGRAM_BATCH; i++) {
		memset(&c, 0, sizeof(c));
		c.peerlen = sizeof(c.peer);
		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
		    (struct sockaddr *)&c.peer, &c.peerlen);
		if (n == -1)
			return;
		c.fd = fd;
		c.lst = l;
		c.haspeer = 1;
		(void)addr_key((struct sockaddr *)&c.peer, c.key);
		(void)addr_numeric((struct sockaddr *)&c.peer, c.host,
		    sizeof(c.host));
		if (bi_dgram_bad(st, &c)) {
			log_debug("service %s: datagram from %s port %d (< 1024, "
			    "an internal service's, or not unicast) ignored",
			    sp->conf->id, c.host, addr_sockaddr_port(&c.peer));
			continue;
		}
		switch (inetd_admit(st, sp, &c)) {
		case ADMIT_GRANTED:
			svclog_start(sp, &c, 0);
			bi_dgram_one(st, sp, fd, buf, n, &c);
			break;
		case ADMIT_ASKNAME:
			/* Answered when the name has come. */
			if (session_ask_name(st, sp, &c, NULL, buf, (size_t)n) ==
			    -1)
				inetd_refuse(st, sp, &c, FAIL_ADDRESS, 0);
			break;
		default:
			break;
		}
		if (sp->state != SVC_ACTIVE)
			return;
	}
}

void
builtin_handle_dgram(struct inetd *st, struct service *sp,
    struct listener *lst)
{
	if (sp->conf->builtin != NULL && sp->conf->builtin->dgram != NULL)
		sp->conf->builtin->dgram(st, sp, lst);
}

/* --- stream sessions ---------------------------------------------------- */

static void	session_free(struct inetd *, struct session *);
static void	session_user_known(struct inetd *, struct session *);
static void	session_name_known(struct inetd *, struct session *);
static int	builtin_tcpmux_dispatch(struct inetd *, struct session *,
		    const char *);

static void
session_timeout(struct deadline *d, void *ctx)
{
	struct session	*s = d->arg;

	(void)ctx;
	if (s->ident != NULL) {
		ident_cancel(s->ident, "timeout");
		session_user_known(s->st, s);
		return;
	}
	if (s->resolve != NULL) {
		session_name_known(s->st, s);
		return;
	}
	log_debug("service %s: closing an idle session from %s",
	    s->svc->conf->id, s->conn.host);
	session_free(s->st, s);
}

static void
session_arm(struct inetd *st, struct session *s)
{
	int	secs = s->kind == B_TCPMUX ? SESSION_MUXWAIT :
	    s->len > s->off ? SESSION_STALL : SESSION_IDLE;

	deadline_set_in(&st->timers, &s->timer, (long long)secs * 1000);
}

/* Queue output; the poll loop writes it as the client reads. */
static void
session_queue(struct session *s, const void *data, size_t n)
{
	if (s->off > 0 && s->off == s->len)
		s->off = s->len = 0;
	if (s->buf == NULL)
		s->buf = xmalloc(SESSION_BUF);
	if (n > SESSION_BUF - s->len)
		n = SESSION_BUF - s->len;
	memcpy(s->buf + s->len, data, n);
	s->len += n;
}

/* Write what is pending; 0 when done or blocked, -1 on a dead client. */
static int
session_flush(struct session *s)
{
	ssize_t	n;

	while (s->off < s->len) {
		n = send(s->fd, s->buf + s->off, s->len - s->off,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		}
		s->off += (size_t)n;
	}
	s->off = s->len = 0;
	return 0;
}

static void
session_link(struct inetd *st, struct session *s)
{
	s->next = st->sessions;
	s->prev = NULL;
	if (st->sessions != NULL)
		st->sessions->prev = s;
	st->sessions = s;
	st->nsessions++;
}

/* End a session, and the instance it counted as. */
static void
session_free(struct inetd *st, struct session *s)
{
	struct service	*sp = s->svc;

	deadline_clear(&st->timers, &s->timer);
	if (s->fd != -1)
		(void)close(s->fd);
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		st->sessions = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	st->nsessions--;
	if (s->counted) {
		if (sp->running > 0)
			sp->running--;
		if (s->conn.haspeer)
			src_del(sp, s->conn.key);
	}
	if (s->ident != NULL) {
		ident_cancel(s->ident, "closed");
		free(s->ident);
		st->nidents--;
	} else if (s->resolve != NULL) {
		resolve_cancel(st, s->resolve);
		free(s->resolve);
		free(s->user);
		free(s->dgram);
		if (s->held != NULL && inetd_listener_valid(st, s->held, sp))
			inetd_listener_resume(st, s->held);
		st->nresolves--;
	} else if (s->counted && s->kind != B_TCPMUX &&
	    sp->conf->builtin != NULL && sp->conf->builtin->forks)
		svclog_exit(sp, 0, 0, s->start);
	free(s->buf);
	inetd_service_rele(st, sp);
	free(s);
}

/* A session for cp, an instance of sp unless it is a SENSOR's. */
static struct session *
session_new(struct inetd *st, struct service *sp, struct conn *cp)
{
	struct session	*s;

	s = xcalloc(1, sizeof(*s));
	s->st = st;
	s->fd = cp->fd;
	s->kind = bi_kind(sp->conf);
	s->svc = sp;
	s->conn = *cp;
	s->start = st->now;
	deadline_init(&s->timer, session_timeout, s);
	inetd_service_hold(sp);
	session_link(st, s);
	if (s->kind != B_SENSOR) {
		s->counted = 1;
		sp->running++;
		if (cp->haspeer)
			src_add(sp, cp->key);
	}
	st->pollfd_dirty = 1;
	return s;
}

/*
 * Hold a connection while its client's identd is asked, for the
 * tcp_wrappers rules of an internal service: the session polls the
 * query's socket, its timer is the query's deadline, and it counts as an
 * instance (instances and per_source bound how many a client holds;
 * -logprocs how many run at all).  Returns -1 when no query could be
 * started: the caller goes on without the answer.
 */
int
session_ask_user(struct inetd *st, struct service *sp, struct conn *cp)
{
	struct session	*s;
	struct ident	*id;

	if (st->opt.logprocs > 0 && st->nidents >= (unsigned)st->opt.logprocs)
		return -1;
	if (spawn_conn_local(cp) == -1)
		return -1;
	id = xmalloc(sizeof(*id));
	ident_init(id);
	if (ident_start(id, (struct sockaddr *)&cp->peer,
	    (struct sockaddr *)&cp->local) != IDENT_AGAIN) {
		free(id);
		return -1;
	}
	s = session_new(st, sp, cp);
	s->ident = id;
	st->nidents++;
	deadline_set_in(&st->timers, &s->timer, (cp->identwait > 0 ?
	    cp->identwait : SESSION_IDENT) * 1000LL);
	return 0;
}

/*
 * Hold a connection while its client's name is looked up in a child, for
 * its address checks or the tcp_wrappers rules of an internal service
 * (which want the double check); user is the ident answer, if asked.  A
 * datagram for an internal service is kept (dgram, len) to be answered
 * then; one for an external server stays first in its socket, which is
 * not polled meanwhile.  Like session_ask_user's, the session counts as
 * an instance; at most SESSION_NAMES run at once.  Returns -1 when no
 * lookup could be started: the caller refuses the connection (a flood of
 * lookups must not make other clients' names "unknown").
 */
int
session_ask_name(struct inetd *st, struct service *sp, struct conn *cp,
    const char *user, const void *dgram, size_t len)
{
	struct session	*s;
	struct resolve	*r;

	if (st->nresolves >= SESSION_NAMES) {
		log_msg(LOG_WARNING, "service %s: %u host name lookups "
		    "running already: refusing %s", sp->conf->id,
		    st->nresolves, cp->host);
		return -1;
	}
	r = xmalloc(sizeof(*r));
	if (resolve_start(st, sp, cp, sp->conf->builtin != NULL, r) == -1) {
		free(r);
		return -1;
	}
	s = session_new(st, sp, cp);
	s->resolve = r;
	s->user = user != NULL ? xstrdup(user) : NULL;
	if (sp->conf->socktype != SOCK_STREAM) {
		s->fd = -1;	/* the service's socket, not the session's */
		if (sp->conf->builtin != NULL) {
			s->dgram = xmalloc(len > 0 ? len : 1);
			memcpy(s->dgram, dgram, len);
			s->dgramlen = len;
		} else {
			s->held = cp->lst;
			inetd_listener_suspend(st, s->held);
		}
	}
	st->nresolves++;
	deadline_set_in(&st->timers, &s->timer, SESSION_NAME * 1000LL);
	return 0;
}

/*
 * A datagram's sender's name came: answer it (an internal service), or
 * leave the name for the listener's next look at it (an external one).
 */
static void
session_name_dgram(struct inetd *st, struct session *s, struct conn *cp)
{
	struct service	*sp = s->svc;
	struct listener	*l = cp->lst;

	if (!inetd_listener_valid(st, l, sp))
		return;
	if (s->held != NULL) {
		memcpy(l->pnkey, cp->key, 16);
		l->pn = cp->pn;
		return;
	}
	if (inetd_admit_late(st, sp, cp, NULL) == ADMIT_GRANTED) {
		svclog_start(sp, cp, 0);
		bi_dgram_one(st, sp, l->fd, s->dgram, (ssize_t)s->dgramlen, cp);
	}
}

/* The name came, or its deadline did: check again, serve or refuse. */
static void
session_name_known(struct inetd *st, struct session *s)
{
	struct service	*sp = s->svc;
	struct conn	 c = s->conn;
	char		*user = s->user;

	(void)resolve_read(s->resolve);
	resolve_finish(sp, s->resolve, &c);
	inetd_service_hold(sp);
	if (sp->conf->socktype != SOCK_STREAM) {
		session_name_dgram(st, s, &c);
		session_free(st, s);
		inetd_service_rele(st, sp);
		return;
	}
	s->user = NULL;
	s->fd = -1;		/* the connection goes on without it */
	session_free(st, s);
	inetd_admit_resume(st, sp, &c, user);
	free(user);
	inetd_service_rele(st, sp);
}

/* The identd answered or gave up: decide, and serve or refuse. */
static void
session_user_known(struct inetd *st, struct session *s)
{
	struct service	*sp = s->svc;
	struct conn	 c = s->conn;
	char		 user[sizeof(s->ident->user)];

	(void)strlcpy(user, s->ident->error == NULL ? s->ident->user : "",
	    sizeof(user));
	s->fd = -1;		/* the connection goes on without it */
	inetd_service_hold(sp);
	session_free(st, s);
	inetd_admit_resume(st, sp, &c, user);
	inetd_service_rele(st, sp);
}

/* Start serving an accepted stream connection in-process. */
static int
bi_stream(struct inetd *st, struct service *sp, struct conn *cp)
{
	struct session	*s;
	unsigned char	 t[4];
	char		 line[128];
	size_t		 n;

	s = session_new(st, sp, cp);
	if (cp->lst == NULL)	/* handed over by tcpmux: blocking so far */
		(void)fcntl(s->fd, F_SETFL, O_NONBLOCK | O_RDWR);
	switch (s->kind) {
	case B_DAYTIME:
		n = bi_daytime(line, sizeof(line), sp->conf->bsd);
		session_queue(s, line, n);
		s->closing = 1;
		break;
	case B_TIME:
		n = bi_time(t);
		session_queue(s, t, n);
		s->closing = 1;
		break;
	case B_SENSOR:
		sensor_add(st, sp, cp->key, cp->host);
		s->closing = 1;
		break;
	case B_CHARGEN:
		(void)shutdown(s->fd, SHUT_RD);
		break;
	default:
		break;
	}
	session_arm(st, s);
	/*
	 * Serve at once: a client's first bytes have usually arrived with
	 * the connection, and answering now saves a round of poll.
	 */
	session_event(st, s, s->closing ? POLLOUT :
	    s->kind == B_CHARGEN ? POLLOUT : POLLIN);
	return 0;
}

/* The poll events a session waits for. */
static short
session_wants(const struct session *s)
{
	short	ev = 0;

	if (s->len > s->off || s->kind == B_CHARGEN || s->closing)
		ev |= POLLOUT;
	if (!s->closing && !s->eof && s->len == s->off &&
	    s->kind != B_CHARGEN)
		ev |= POLLIN;
	if (s->kind == B_TCPMUX)
		ev = POLLIN;
	return ev;
}

void
session_pollfds(struct inetd *st, struct pollfd *pfd, void **tag, int *n)
{
	struct session	*s;

	for (s = st->sessions; s != NULL; s = s->next) {
		if (s->ident != NULL) {
			pfd[*n].fd = s->ident->fd;
			pfd[*n].events = ident_events(s->ident);
		} else if (s->resolve != NULL) {
			pfd[*n].fd = s->resolve->fd;
			pfd[*n].events = POLLIN;
		} else {
			pfd[*n].fd = s->fd;
			pfd[*n].events = session_wants(s);
		}
		pfd[*n].revents = 0;
		tag[*n] = s;
		(*n)++;
	}
}

/* tcpmux: collect the service name line, then hand the client over. */
static int
session_tcpmux(struct inetd *st, struct session *s)
{
	ssize_t	n;
	char	*eol;

	if (s->buf == NULL)
		s->buf = xmalloc(MUX_LINE + 1);
	/*
	 * Peek, then take only the name line: what follows it in the same
	 * segment belongs to the server the client is asking for.
	 */
	n = recv(s->fd, s->buf + s->len, MUX_LINE - s->len,
	    MSG_DONTWAIT | MSG_PEEK);
	if (n == -1)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n == 0)
		return -1;
	s->buf[s->len + (size_t)n] = '\0';
	if ((eol = memchr(s->buf + s->len, '\n', (size_t)n)) != NULL)
		n = eol - (s->buf + s->len) + 1;
	if (recv(s->fd, s->buf + s->len, (size_t)n, MSG_DONTWAIT) != n)
		return -1;
	s->len += (size_t)n;
	s->buf[s->len] = '\0';
	if (eol == NULL)
		return s->len >= MUX_LINE ? -1 : 0;
	*eol = '\0';
	if (eol > s->buf && eol[-1] == '\r')
		eol[-1] = '\0';
	return builtin_tcpmux_dispatch(st, s, s->buf) == 0 ? 1 : -1;
}

static int
session_read(struct session *s)
{
	char	buf[SESSION_BUF];
	ssize_t	n;

	n = recv(s->fd, s->kind == B_ECHO ? s->buf + s->len : buf,
	    s->kind == B_ECHO ? SESSION_BUF - s->len : sizeof(buf),
	    MSG_DONTWAIT);
	if (n == -1)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n == 0) {
		s->eof = 1;
		return 0;
	}
	if (s->kind == B_ECHO)
		s->len += (size_t)n;
	return 0;
}

void
session_event(struct inetd *st, struct session *s, short revents)
{
	char	buf[SESSION_BUF];
	size_t	n;
	int	r;

	if (s->ident != NULL) {
		if (ident_step(s->ident) != IDENT_AGAIN)
			session_user_known(st, s);
		return;
	}
	if (s->resolve != NULL) {
		if (resolve_read(s->resolve) != 0)
			session_name_known(st, s);
		return;
	}
	if (s->kind == B_TCPMUX) {
		if ((revents & (POLLIN | POLLHUP | POLLERR)) &&
		    (r = session_tcpmux(st, s)) != 0)
			session_free(st, s);
		return;
	}
	if ((revents & POLLERR) && !(revents & POLLIN)) {
		session_free(st, s);
		return;
	}
	if (revents & (POLLIN | POLLHUP)) {
		if (s->kind == B_ECHO && s->buf == NULL)
			s->buf = xmalloc(SESSION_BUF);
		if (s->off == s->len)
			s->off = s->len = 0;
		if (session_read(s) == -1) {
			session_free(st, s);
			return;
		}
	}
	if (s->kind == B_CHARGEN && s->len == s->off) {
		unsigned	pos = s->ring;

		n = bi_chargen(buf, sizeof(buf), &pos);
		s->ring = pos;
		s->off = s->len = 0;
		session_queue(s, buf, n);
	}
	if (session_flush(s) == -1) {
		session_free(st, s);
		return;
	}
	/* All written: a second read often finds the client's end. */
	if ((revents & POLLIN) && s->len == s->off && !s->eof &&
	    !s->closing && s->kind != B_CHARGEN) {
		s->off = s->len = 0;
		if (session_read(s) == -1 || session_flush(s) == -1) {
			session_free(st, s);
			return;
		}
	}
	if (s->len == s->off && (s->closing || s->eof)) {
		session_free(st, s);
		return;
	}
	session_arm(st, s);
}

void
session_close_all(struct inetd *st)
{
	while (st->sessions != NULL)
		session_free(st, st->sessions);
}

/*
 * RFC 1078: "HELP" lists the services; a known TCPMUX or TCPMUXPLUS
 * service is started on the connection (after "+Go" for TCPMUXPLUS, as
 * xinetd sends it); anything else gets "-Service name not found".
 * Returns 0 when the connection was handed over, -1 when it is done.
 */
static int
builtin_tcpmux_dispatch(struct inetd *st, struct session *s,
    const char *name)
{
	static const char	 notfound[] = "-Service name not found\r\n";
	struct service		*mux;
	struct conn		 c;
	int			 i;

	if (strcasecmp(name, "help") == 0) {
		for (i = 0; i < st->nsvcs; i++) {
			const struct svcconf	*sc = st->svcs[i]->conf;

			if (sc->type & (ST_TCPMUX | ST_TCPMUXPLUS)) {
				(void)send(s->fd, sc->name, strlen(sc->name),
				    MSG_NOSIGNAL | MSG_DONTWAIT);
				(void)send(s->fd, "\r\n", 2,
				    MSG_NOSIGNAL | MSG_DONTWAIT);
			}
		}
		return -1;
	}
	if ((mux = inetd_find_tcpmux(st, name)) == NULL) {
		log_debug("tcpmux: service %s not found", name);
		(void)send(s->fd, notfound, sizeof(notfound) - 1,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		return -1;
	}
	c = s->conn;
	c.fd = s->fd;
	c.lst = NULL;		/* not accepted for this service */
	s->fd = -1;		/* the new service owns it now */
	(void)fcntl(c.fd, F_SETFL, O_RDWR);
	inetd_handle_conn(st, mux, &c);
	return 0;
}
