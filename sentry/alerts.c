/*
 * alerts.c: the attack lines, to syslog and to the events of -D.
 *
 * A scan brings a burst of probes and each needs its line at once.
 * syslog(3) costs several system calls a line (the time zone file, the
 * process id, the send); here the lines of a burst are formatted into a
 * batch, with the time and the process id computed once, and go to
 * /dev/log in one sendmmsg(2), and the events of -D in one write, when the
 * reporter has read everything that was waiting.  The lines are the ones
 * syslog(3) would send: facility daemon, level notice, "sentry[pid]: ".
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "sentry.h"
#include "xmalloc.h"

#ifndef _PATH_LOG
#define _PATH_LOG	"/dev/log"
#endif

static void
alerts_connect(struct alerts *al)
{
	struct sockaddr_un	sun;

	if (al->fd == -1 &&
	    (al->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	(void)strlcpy(sun.sun_path, _PATH_LOG, sizeof(sun.sun_path));
	if (connect(al->fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		(void)close(al->fd);
		al->fd = -1;
	}
}

/* batch: keep lines until alerts_flush(); otherwise each goes at once. */
struct alerts *
alerts_new(FILE *events, int to_stderr, int batch)
{
	struct alerts	*al = xcalloc(1, sizeof(*al));

	al->fd = -1;
	al->events = events;
	al->to_stderr = to_stderr;
	al->batch = batch;
	al->pid = getpid();
	alerts_connect(al);
	return al;
}

/* "Dec  6 00:07:17", as syslog(3) stamps a line, once a second. */
static const char *
alerts_stamp(struct alerts *al, time_t now)
{
	static const char	months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct tm		tm;

	if (now == al->sec && al->stamp[0] != '\0')
		return al->stamp;
	al->sec = now;
	if (localtime_r(&now, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	(void)snprintf(al->stamp, sizeof(al->stamp), "%.3s %2d %02d:%02d:%02d",
	    months + 3 * (tm.tm_mon % 12), tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
	return al->stamp;
}

void
alerts_add(struct alerts *al, const struct timespec *ts, const char *fmt,
    ...)
{
	struct timespec	 now;
	char		 raw[ALERT_MAX], msg[ALERT_MAX];
	struct alert	*a;
	va_list		 ap;

	if (al->n == ALERTS_BATCH)
		alerts_flush(al);
	va_start(ap, fmt);
	(void)vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* Names come from the DNS: one line, whatever they hold. */
	(void)log_escape(msg, sizeof(msg), raw);
	(void)clock_gettime(CLOCK_REALTIME, &now);
	a = &al->q[al->n++];
	a->ts = ts != NULL ? *ts : now;
	a->len = snprintf(a->line, sizeof(a->line), "<%d>%s sentry[%ld]: %s",
	    LOG_DAEMON | LOG_NOTICE, alerts_stamp(al, now.tv_sec),
	    (long)al->pid, msg);
	if (a->len < 0 || (size_t)a->len >= sizeof(a->line))
		a->len = (int)strlen(a->line);
	a->msg = (int)(strlen(a->line) - strlen(msg));
	if (!al->batch)
		alerts_flush(al);
}

static void
alerts_send(struct alerts *al)
{
	struct mmsghdr	msgs[ALERTS_BATCH];
	struct iovec	iov[ALERTS_BATCH];
	size_t		i, done = 0;
	int		n, retried = 0;

	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < al->n; i++) {
		iov[i].iov_base = al->q[i].line;
		iov[i].iov_len = (size_t)al->q[i].len;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	while (done < al->n && al->fd != -1) {
		n = sendmmsg(al->fd, msgs + done, (unsigned)(al->n - done), 0);
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		/* The syslog daemon was restarted: once more, anew. */
		if (retried++ > 0)
			break;
		(void)close(al->fd);
		al->fd = -1;
		alerts_connect(al);
	}
}

/* Send what waits: syslog, then standard error and the events. */
void
alerts_flush(struct alerts *al)
{
	size_t	i;

	if (al->n == 0)
		return;
	if (al->fd == -1)
		alerts_connect(al);
	alerts_send(al);
	for (i = 0; i < al->n; i++) {
		if (al->to_stderr)
			(void)fprintf(stderr, "sentry[%ld]: %s\n",
			    (long)al->pid, al->q[i].line + al->q[i].msg);
		if (al->events != NULL)
			(void)fprintf(al->events, "%lld.%06ld %s\n",
			    (long long)al->q[i].ts.tv_sec,
			    al->q[i].ts.tv_nsec / 1000,
			    al->q[i].line + al->q[i].msg);
	}
	if (al->to_stderr)
		(void)fflush(stderr);
	if (al->events != NULL)
		(void)fflush(al->events);
	al->n = 0;
}

void
alerts_free(struct alerts *al)
{
	if (al == NULL)
		return;
	alerts_flush(al);
	if (al->fd != -1)
		(void)close(al->fd);
	free(al);
}
