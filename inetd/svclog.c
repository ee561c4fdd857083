/*
 * svclog.c: the per-service log, in xinetd's formats byte for byte.
 *
 *	START: <id> [pid=N] [from=ADDR]
 *	EXIT: <id> [status=N|signal=N] [pid=N] [duration=N(sec)]
 *	FAIL: <id> <reason> [from=ADDR]
 *	USERID: <id> <text>     TRAFFIC: <id> in=N(bytes) out=N(bytes)
 *
 * A service logs where its log_type says: syslog at the given facility
 * and level (the daemon's ident and pid come from openlog), or a file,
 * each line prefixed with xinetd's stamp YY/M/D@HH:MM:SS and written in
 * one write(2) to an O_APPEND descriptor so concurrent writers (forked
 * children log USERID and TRAFFIC lines) never interleave.  Files are
 * shared between services that name the same path, and honour xinetd's
 * soft and hard size limits.
 *
 * Text that came from the network (identd replies) is escaped first.  A
 * refused connection is always logged: when the service's own log does
 * not record failures, the FAIL line goes to the daemon's log instead.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "inetd.h"
#include "log.h"
#include "suggest.h"
#include "xmalloc.h"

#define SVCLOG_LINE	2048

struct svclog {
	struct svclog	*next;		/* FILE logs, in inetd.logs */
	int		 type;
	int		 facility;
	int		 level;
	char		*path;
	int		 fd;
	off_t		 size;
	off_t		 soft;
	off_t		 hard;
	int		 warned;
	int		 full;		/* over the hard limit: closed */
	int		 refs;
};

struct nameval {
	const char	*name;
	int		 value;
};

static const struct nameval facilities[] = {
	{ "daemon", LOG_DAEMON }, { "auth", LOG_AUTH },
	{ "authpriv", LOG_AUTHPRIV }, { "user", LOG_USER },
	{ "mail", LOG_MAIL }, { "lpr", LOG_LPR }, { "news", LOG_NEWS },
	{ "uucp", LOG_UUCP }, { "ftp", LOG_FTP }, { "local0", LOG_LOCAL0 },
	{ "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 },
	{ "local3", LOG_LOCAL3 }, { "local4", LOG_LOCAL4 },
	{ "local5", LOG_LOCAL5 }, { "local6", LOG_LOCAL6 },
	{ "local7", LOG_LOCAL7 }
}, levels[] = {
	{ "emerg", LOG_EMERG }, { "alert", LOG_ALERT }, { "crit", LOG_CRIT },
	{ "err", LOG_ERR }, { "warning", LOG_WARNING },
	{ "notice", LOG_NOTICE }, { "info", LOG_INFO }, { "debug", LOG_DEBUG }
};

static const char *const reasons[] = {
	"address", "time", "fork", "service_limit", "per_source_limit",
	"process_limit", "libwrap", "load", "connections per second"
};

static int
nv_value(const struct nameval *t, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(name, t[i].name) == 0)
			return t[i].value;
	return -1;
}

static const char *
nv_name(const struct nameval *t, size_t n, int value)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (t[i].value == value)
			return t[i].name;
	return "?";
}

int
syslog_facility_parse(const char *s)
{
	return nv_value(facilities, nitems(facilities), s);
}

int
syslog_level_parse(const char *s)
{
	return nv_value(levels, nitems(levels), s);
}

const char *
syslog_facility_nearest(const char *s)
{
	return suggest_word_in(s, facilities, nitems(facilities),
	    sizeof(facilities[0]));
}

const char *
syslog_level_nearest(const char *s)
{
	return suggest_word_in(s, levels, nitems(levels), sizeof(levels[0]));
}

const char *
syslog_facility_name(int v)
{
	return nv_name(facilities, nitems(facilities), v);
}

const char *
syslog_level_name(int v)
{
	return nv_name(levels, nitems(levels), v);
}

const char *
svclog_reason(enum fail_reason r)
{
	if ((size_t)r >= nitems(reasons))
		return "UNKNOWN";
	return reasons[r];
}

static int
svclog_open_file(struct svclog *l)
{
	struct stat	st;

	l->fd = open(l->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0644);
	if (l->fd == -1)
		return -1;
	l->size = fstat(l->fd, &st) == 0 ? st.st_size : 0;
	l->warned = l->full = 0;
	return 0;
}

/*
 * Give sp the log its configuration asks for.  FILE logs naming the same
 * path share one descriptor.  Returns -1 (and logs why) when the file
 * cannot be opened; the service then runs without a log, as in xinetd.
 */
int
svclog_setup(struct inetd *st, struct service *sp)
{
	const struct logspec	*ls = &sp->conf->log;
	struct svclog		*l;

	sp->log = NULL;
	switch (ls->type) {
	case LOGT_SYSLOG:
		l = xcalloc(1, sizeof(*l));
		l->type = LOGT_SYSLOG;
		l->facility = ls->facility;
		l->level = ls->level;
		l->fd = -1;
		l->refs = 1;
		sp->log = l;
		if (!st->syslog_open && log_destination() != LOG_DEST_SYSLOG) {
			openlog(st->ident, LOG_PID | LOG_NDELAY,
			    LOG_DAEMON);
			st->syslog_open = 1;
		}
		return 0;
	case LOGT_FILE:
		for (l = st->logs; l != NULL; l = l->next)
			if (strcmp(l->path, ls->path) == 0)
				break;
		if (l == NULL) {
			l = xcalloc(1, sizeof(*l));
			l->type = LOGT_FILE;
			l->path = xstrdup(ls->path);
			l->soft = ls->soft;
			l->hard = ls->hard;
			if (svclog_open_file(l) == -1) {
				log_warn("service %s: log file %s",
				    sp->conf->id, l->path);
				free(l->path);
				free(l);
				return -1;
			}
			l->next = st->logs;
			st->logs = l;
		}
		l->refs++;
		sp->log = l;
		return 0;
	default:
		return 0;
	}
}

void
svclog_release(struct inetd *st, struct service *sp)
{
	struct svclog	*l = sp->log, **pp;

	sp->log = NULL;
	if (l == NULL || --l->refs > 0)
		return;
	if (l->type == LOGT_FILE) {
		for (pp = &st->logs; *pp != NULL; pp = &(*pp)->next)
			if (*pp == l) {
				*pp = l->next;
				break;
			}
		if (l->fd != -1)
			(void)close(l->fd);
		free(l->path);
	}
	free(l);
}

/* SIGHUP: reopen every log file, so rotated logs are let go. */
void
svclog_reopen_all(struct inetd *st)
{
	struct svclog	*l;

	for (l = st->logs; l != NULL; l = l->next) {
		if (l->fd != -1)
			(void)close(l->fd);
		if (svclog_open_file(l) == -1)
			log_warn("reopening log file %s", l->path);
	}
}

/* xinetd's soft and hard limits, checked as the file grows. */
static void
svclog_limits(struct svclog *l, const char *id)
{
	if (l->soft == 0 || l->size <= l->soft)
		return;
	if (!l->warned) {
		log_msg(LOG_ALERT, "soft limit exceeded on '%s'", id);
		l->warned = 1;
	}
	if (l->size > l->hard) {
		log_msg(LOG_ALERT, "hard limit exceeded on '%s'; log closed",
		    id);
		(void)close(l->fd);
		l->fd = -1;
		l->full = 1;
	}
}

static void
svclog_write(struct svclog *l, const char *id, const char *msg)
{
	char		 line[SVCLOG_LINE + 64], esc[SVCLOG_LINE];
	struct tm	 tm;
	time_t		 now;
	int		 n;

	(void)log_escape(esc, sizeof(esc), msg);
	if (l->type == LOGT_SYSLOG) {
		syslog(l->facility | l->level, "%s", esc);
		return;
	}
	if (l->fd == -1)
		return;
	now = time(NULL);
	(void)localtime_r(&now, &tm);
	n = snprintf(line, sizeof(line), "%02d/%d/%d@%02d:%02d:%02d: %s\n",
	    tm.tm_year % 100, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, esc);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	if (write(l->fd, line, (size_t)n) == n) {
		l->size += n;
		svclog_limits(l, id);
	}
}

static size_t
svclog_host(char *buf, size_t len, size_t off, const struct conn *cp)
{
	int	n;

	if (off >= len)
		return off;
	n = snprintf(buf + off, len - off, " from=%s",
	    cp != NULL && cp->haspeer ? cp->host : "<no address>");
	return n < 0 ? off : off + (size_t)n;
}

void
svclog_start(struct service *sp, const struct conn *cp, pid_t pid)
{
	const struct svcconf	*sc = sp->conf;
	char			 buf[SVCLOG_LINE];
	size_t			 n;
	int			 r;

	if (sp->log == NULL || sc->log_success == 0)
		return;
	r = snprintf(buf, sizeof(buf), "START: %s", sc->id);
	n = r < 0 ? 0 : (size_t)r;
	if ((sc->log_success & LS_PID) && n < sizeof(buf)) {
		r = snprintf(buf + n, sizeof(buf) - n, " pid=%ld", (long)pid);
		n += r < 0 ? 0 : (size_t)r;
	}
	if (sc->log_success & LS_HOST)
		n = svclog_host(buf, sizeof(buf), n, cp);
	svclog_write(sp->log, sc->id, buf);
}

int
svclog_wants_exit(const struct service *sp)
{
	return sp->log != NULL &&
	    (sp->conf->log_success & (LS_EXIT | LS_DURATION)) != 0;
}

void
svclog_exit(struct service *sp, pid_t pid, int status, time_t start)
{
	const struct svcconf	*sc = sp->conf;
	char			 buf[SVCLOG_LINE];
	size_t			 n;
	int			 r;

	if (!svclog_wants_exit(sp))
		return;
	r = snprintf(buf, sizeof(buf), "EXIT: %s", sc->id);
	n = r < 0 ? 0 : (size_t)r;
	if (sc->log_success & LS_EXIT) {
		if (WIFEXITED(status))
			r = snprintf(buf + n, sizeof(buf) - n, " status=%d",
			    WEXITSTATUS(status));
		else if (WIFSIGNALED(status))
			r = snprintf(buf + n, sizeof(buf) - n, " signal=%d",
			    WTERMSIG(status));
		else
			r = 0;
		n += r < 0 ? 0 : (size_t)r;
	}
	if ((sc->log_success & LS_PID) && n < sizeof(buf)) {
		r = snprintf(buf + n, sizeof(buf) - n, " pid=%ld", (long)pid);
		n += r < 0 ? 0 : (size_t)r;
	}
	if ((sc->log_success & LS_DURATION) && n < sizeof(buf))
		(void)snprintf(buf + n, sizeof(buf) - n, " duration=%ld(sec)",
		    (long)(time(NULL) - start));
	svclog_write(sp->log, sc->id, buf);
}

/*
 * FAIL: <id> <reason> [from=ADDR].  Repeated address failures of one
 * datagram client are logged once a minute, as xinetd does: clients of
 * datagram services retry, and cannot be told they were refused.
 */
void
svclog_fail(struct inetd *st, struct service *sp, const struct conn *cp,
    enum fail_reason why)
{
	const struct svcconf	*sc = sp->conf;
	char			 buf[SVCLOG_LINE];
	size_t			 n;
	int			 r, port = 0;

	sp->refused++;
	if (why == FAIL_ADDRESS && sc->socktype == SOCK_DGRAM &&
	    cp != NULL && cp->haspeer) {
		port = addr_sockaddr_port(&cp->peer);
		if (memcmp(sp->lastfail, cp->key, 16) == 0 &&
		    sp->lastfailport == port &&
		    st->now - sp->lastfailtime < 60)
			return;
		memcpy(sp->lastfail, cp->key, 16);
		sp->lastfailport = port;
		sp->lastfailtime = st->now;
	}
	r = snprintf(buf, sizeof(buf), "FAIL: %s %s", sc->id,
	    svclog_reason(why));
	n = r < 0 ? 0 : (size_t)r;
	if (sp->log != NULL && sc->log_failure != 0) {
		if (sc->log_failure & LF_HOST)
			n = svclog_host(buf, sizeof(buf), n, cp);
		svclog_write(sp->log, sc->id, buf);
		return;
	}
	/* Not recorded by the service's log: the daemon's log has it. */
	n = svclog_host(buf, sizeof(buf), n, cp);
	log_msg(LOG_NOTICE, "%s", buf);
}

/* USERID, NOID, TRAFFIC and the like: "<entry>: <id> <text>". */
void
svclog_line(struct service *sp, const char *entry, const char *fmt, ...)
{
	char	buf[SVCLOG_LINE + 256], text[SVCLOG_LINE];
	va_list	ap;

	if (sp->log == NULL)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	(void)snprintf(buf, sizeof(buf), "%s: %s %s", entry, sp->conf->id,
	    text);
	svclog_write(sp->log, sp->conf->id, buf);
}
