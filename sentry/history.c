/*
 * history.c: the lines of the blocked and history files, exactly as
 * portsentry 1.2 writes them,
 *
 *	1795443532 - 11/23/2026 14:18:52 Host: NAME/ADDR Port: 143 TCP Blocked
 *
 * (seconds since the epoch, the local date and time, the name or the
 * address again, the port and the protocol), which fail2ban's stock
 * "portsentry" filter reads.  The parser reads them back for "sentry -l",
 * "sentry -u" and BLOCK_TIMEOUT.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "addr.h"
#include "sentry.h"
#include "xmalloc.h"

int
history_format(char *buf, size_t len, const struct history_entry *e)
{
	char		 addr[ADDR_STRLEN];
	struct tm	 tm;
	time_t		 t = e->when;
	int		 n;

	if (localtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	n = snprintf(buf, len, "%lld - %02d/%02d/%04d %02d:%02d:%02d Host: "
	    "%s/%s Port: %d %s Blocked", (long long)e->when, tm.tm_mon + 1,
	    tm.tm_mday, tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    e->name, addr_format(&e->addr, addr, sizeof(addr)), e->port,
	    e->proto == IPPROTO_TCP ? "TCP" : "UDP");
	return n > 0 && (size_t)n < len ? 0 : -1;
}

/* Returns 0 and fills *e, or -1 for a line of another shape. */
int
history_parse(const char *line, struct history_entry *e)
{
	const char	*host, *port, *slash;
	char		 addr[ADDR_STRLEN + 1], proto[4];
	long long	 when;
	size_t		 n;
	int		 used = 0;

	memset(e, 0, sizeof(*e));
	if (sscanf(line, "%lld - %*2d/%*2d/%*4d %*2d:%*2d:%*2d Host: %n",
	    &when, &used) != 1 || used == 0)
		return -1;
	host = line + used;
	if ((port = strstr(host, " Port: ")) == NULL)
		return -1;
	for (slash = port; slash > host && slash[-1] != '/'; slash--)
		;
	if (slash == host || (n = (size_t)(port - slash)) >= sizeof(addr))
		return -1;
	memcpy(addr, slash, n);
	addr[n] = '\0';
	if (addr_parse(&e->addr, addr, NULL, 0) == -1)
		return -1;
	n = (size_t)(slash - 1 - host);
	if (n >= sizeof(e->name))
		n = sizeof(e->name) - 1;
	memcpy(e->name, host, n);
	e->name[n] = '\0';
	if (sscanf(port, " Port: %d %3s Blocked", &e->port, proto) != 2 ||
	    e->port < 0 || e->port > 65535)
		return -1;
	if (strcmp(proto, "TCP") == 0)
		e->proto = IPPROTO_TCP;
	else if (strcmp(proto, "UDP") == 0)
		e->proto = IPPROTO_UDP;
	else
		return -1;
	e->when = (time_t)when;
	return 0;
}

char *
history_blocked_path(const struct sentry_conf *cf, int mode)
{
	char	*p;

	(void)xasprintf(&p, "%s.%s", cf->blocked_file, mode_name(mode));
	return p;
}
