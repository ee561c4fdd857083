/*
 * log.c: the one place a daemon's messages go.
 *
 * A daemon logs to stderr while in the foreground (or debugging), to
 * syslog(3) once detached, or to a file named in its configuration.  Every
 * message is one line: control and non-ASCII bytes are escaped as \xNN so a
 * hostname or banner from the network can never forge a second log line.
 *
 * The destination is process-wide by nature (like syslog's own openlog
 * state), so it is the one piece of file-scope state in common/.
 */
#include "config.h"

#include <sys/types.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define LOG_LINE_MAX	4096

static struct {
	const char	*ident;
	enum log_dest	 dest;
	int		 facility;
	int		 level;
	int		 fd;
} logst = { "auditkit", LOG_DEST_STDERR, LOG_DAEMON, LOG_INFO, -1 };

void
log_init(const char *ident)
{
	const char	*p = strrchr(ident, '/');

	logst.ident = p != NULL ? p + 1 : ident;
	logst.dest = LOG_DEST_STDERR;
}

static void
log_close_file(void)
{
	if (logst.fd != -1)
		(void)close(logst.fd);
	logst.fd = -1;
}

void
log_to_stderr(void)
{
	log_close();
	logst.dest = LOG_DEST_STDERR;
}

void
log_to_syslog(int facility)
{
	log_close();
	logst.facility = facility;
	openlog(logst.ident, LOG_PID | LOG_NDELAY, facility);
	logst.dest = LOG_DEST_SYSLOG;
}

/* Returns -1 with errno set, leaving the old destination in place. */
int
log_to_file(const char *path)
{
	int	fd;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd == -1)
		return -1;
	log_close();
	logst.fd = fd;
	logst.dest = LOG_DEST_FILE;
	return 0;
}

enum log_dest
log_destination(void)
{
	return logst.dest;
}

void
log_close(void)
{
	if (logst.dest == LOG_DEST_SYSLOG)
		closelog();
	log_close_file();
	logst.dest = LOG_DEST_STDERR;
}

void
log_set_level(int priority)
{
	logst.level = priority;
}

int
log_level(void)
{
	return logst.level;
}

/*
 * Copy src to dst escaping every byte that is not printable ASCII as \xNN
 * and a backslash as \\, so the result is one unambiguous line.  Always
 * NUL-terminates; never splits an escape.  Returns the length written.
 */
size_t
log_escape(char *dst, size_t dstsize, const char *src)
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 n = 0;
	const unsigned char	*s;

	if (dstsize == 0)
		return 0;
	for (s = (const unsigned char *)src; *s != '\0'; s++) {
		if (*s >= 0x20 && *s < 0x7f && *s != '\\') {
			if (n + 1 >= dstsize)
				break;
			dst[n++] = (char)*s;
		} else if (*s == '\\') {
			if (n + 2 >= dstsize)
				break;
			dst[n++] = '\\';
			dst[n++] = '\\';
		} else {
			if (n + 4 >= dstsize)
				break;
			dst[n++] = '\\';
			dst[n++] = 'x';
			dst[n++] = hex[*s >> 4];
			dst[n++] = hex[*s & 0xf];
		}
	}
	dst[n] = '\0';
	return n;
}

static void
log_write_fd(int fd, const char *line)
{
	char		 buf[LOG_LINE_MAX + 128];
	char		 stamp[32];
	struct tm	 tm;
	time_t		 now;
	int		 len;

	if (fd == STDERR_FILENO)
		len = snprintf(buf, sizeof(buf), "%s: %s\n", logst.ident, line);
	else {
		/* The stamp xinetd puts on its own lines: YY/MM/DD@HH:MM:SS. */
		now = time(NULL);
		(void)localtime_r(&now, &tm);
		(void)snprintf(stamp, sizeof(stamp),
		    "%02d/%02d/%02d@%02d:%02d:%02d", tm.tm_year % 100,
		    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		    tm.tm_sec);
		len = snprintf(buf, sizeof(buf), "%s %s[%ld]: %s\n", stamp,
		    logst.ident, (long)getpid(), line);
	}
	if (len < 0)
		return;
	if ((size_t)len >= sizeof(buf)) {
		len = sizeof(buf) - 1;
		buf[len - 1] = '\n';
	}
	/*
	 * One write(2) per line: O_APPEND keeps lines whole between writers.
	 * A failed log write has nowhere to be reported.
	 */
	if (write(fd, buf, (size_t)len) == -1)
		return;
}

void
log_vmsg(int priority, const char *fmt, va_list ap)
{
	char	raw[LOG_LINE_MAX], line[LOG_LINE_MAX];
	int	saved = errno;

	if (LOG_PRI(priority) > logst.level)
		return;
	(void)vsnprintf(raw, sizeof(raw), fmt, ap);
	(void)log_escape(line, sizeof(line), raw);
	switch (logst.dest) {
	case LOG_DEST_SYSLOG:
		syslog(priority, "%s", line);
		break;
	case LOG_DEST_FILE:
		log_write_fd(logst.fd, line);
		break;
	case LOG_DEST_STDERR:
		log_write_fd(STDERR_FILENO, line);
		break;
	}
	errno = saved;
}

void
log_msg(int priority, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vmsg(priority, fmt, ap);
	va_end(ap);
}

static void	log_verr(int, const char *, va_list) __printflike(2, 0);

/* Log fmt followed by ": " and the message for the current errno. */
static void
log_verr(int priority, const char *fmt, va_list ap)
{
	char	msg[LOG_LINE_MAX];
	int	saved = errno;

	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	log_msg(priority, "%s: %s", msg, strerror(saved));
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_verr(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vmsg(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vmsg(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vmsg(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_verr(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vmsg(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}
