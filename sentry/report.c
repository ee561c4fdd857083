/*
 * report.c: the reporter, the second process of sentry.
 *
 * It reads probes from the detector's pipe and does the slow work the
 * detector must never wait for: name lookups (RESOLVE_HOST), syslog
 * lines in portsentry 1.2's words, the events of -D on standard output,
 * and blocking (block.c), with its own poll loop for the pipe, its
 * children and its timers.  When the detector closes the pipe it finishes
 * the blocks under way and exits.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "log.h"
#include "packet.h"
#include "selfpipe.h"
#include "sentry.h"
#include "xmalloc.h"

#define NAMES_MAX	1024		/* names remembered */
#define DRAIN_WAIT_MS	(35 * 1000)	/* for blocks under way at exit */
#define READ_EVENTS	256

struct reporter {
	const struct sentry_conf	*cf;
	struct block			*block;
	struct hosttab			*names;
	struct deadline_queue		 timers;
	const struct selfpipe		*sp;
	struct alerts			*al;
	int				 fd;
	/* What the last read left of an event (never, in practice). */
	unsigned char			 part[sizeof(struct sentry_event)];
	size_t				 npart;
};

struct name {
	char	text[NI_MAXHOST];
};

/* A name fit for a log line and a file of record, or nothing. */
static int
name_clean(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-' &&
		    *s != '_')
			return 0;
	return 1;
}

/* RESOLVE_HOST: the host's name, looked up once; the address if none. */
static const char *
report_name(struct reporter *r, const struct addr *a, const char *addr)
{
	struct sockaddr_storage	 ss;
	struct name		*n;
	socklen_t		 len;
	int			 isnew;

	if (!r->cf->resolve_host)
		return addr;
	n = hosttab_get(r->names, a, &isnew, 1);
	if (!isnew)
		return n->text;
	len = addr_to_sockaddr(a, 0, &ss);
	if (getnameinfo((struct sockaddr *)&ss, len, n->text,
	    sizeof(n->text), NULL, 0, NI_NAMEREQD) != 0 ||
	    !name_clean(n->text))
		(void)snprintf(n->text, sizeof(n->text), "%s", addr);
	return n->text;
}

static const char *
stealth_kind(uint8_t flags, char *buf, size_t len)
{
	uint8_t	f = flags & (PKT_TH_FIN | PKT_TH_SYN | PKT_TH_RST |
		    PKT_TH_PSH | PKT_TH_ACK | PKT_TH_URG);

	/* 1.2's names, its order of tests and its stray space before NULL. */
	if (f == 0)
		return " TCP NULL scan";
	if ((f & (PKT_TH_FIN | PKT_TH_URG | PKT_TH_PSH)) ==
	    (PKT_TH_FIN | PKT_TH_URG | PKT_TH_PSH))
		return "TCP XMAS scan";
	if (f == PKT_TH_FIN)
		return "TCP FIN scan";
	if (f == PKT_TH_SYN)
		return "TCP SYN/Normal scan";
	(void)snprintf(buf, len, "Unknown Type: TCP Packet Flags: SYN: %d "
	    "FIN: %d ACK: %d PSH: %d URG: %d RST: %d", (f & PKT_TH_SYN) != 0,
	    (f & PKT_TH_FIN) != 0, (f & PKT_TH_ACK) != 0,
	    (f & PKT_TH_PSH) != 0, (f & PKT_TH_URG) != 0,
	    (f & PKT_TH_RST) != 0);
	return buf;
}

/* A probe's lines, in 1.2's words. */
static void
report_alerts(struct reporter *r, const struct sentry_event *ev)
{
	char		 addr[ADDR_STRLEN], kind[128];
	const char	*name, *proto;

	(void)addr_format(&ev->src, addr, sizeof(addr));
	name = report_name(r, &ev->src, addr);
	proto = ev->proto == IPPROTO_TCP ? "TCP" : "UDP";
	if (mode_is_classic(ev->mode))
		alerts_add(r->al, &ev->ts, "attackalert: Connect from "
		    "host: %s/%s to %s port: %d", name, addr, proto, ev->port);
	else if (ev->proto == IPPROTO_TCP)
		alerts_add(r->al, &ev->ts, "attackalert: %s from host: "
		    "%s/%s to TCP port: %d", stealth_kind(ev->flags, kind,
		    sizeof(kind)), name, addr, ev->port);
	else
		alerts_add(r->al, &ev->ts, "attackalert: UDP scan from "
		    "host: %s/%s to UDP port: %d", name, addr, ev->port);
	if (ev->ipopts && !mode_is_classic(ev->mode))
		alerts_add(r->al, &ev->ts, "attackalert: Packet from "
		    "host: %s/%s to %s port: %d has IP options set (detection "
		    "avoidance technique).", name, addr, proto, ev->port);
}

static void
report_block(struct reporter *r, const struct sentry_event *ev)
{
	char	addr[ADDR_STRLEN];

	(void)addr_format(&ev->src, addr, sizeof(addr));
	block_event(r->block, ev, report_name(r, &ev->src, addr), addr);
}

/* Returns 0 at the end of the pipe. */
static int
report_read(struct reporter *r)
{
	struct sentry_event	 ev;
	unsigned char		 buf[READ_EVENTS * sizeof(ev)];
	size_t			 have, off, take;
	ssize_t			 n;

	memcpy(buf, r->part, r->npart);
	n = read(r->fd, buf + r->npart, sizeof(buf) - r->npart);
	if (n == -1)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return 0;
	have = r->npart + (size_t)n;
	/* Every alert of the batch first: they are what must not wait. */
	for (off = 0; have - off >= sizeof(ev); off += sizeof(ev)) {
		memcpy(&ev, buf + off, sizeof(ev));
		report_alerts(r, &ev);
	}
	for (off = 0; have - off >= sizeof(ev); off += sizeof(ev)) {
		memcpy(&ev, buf + off, sizeof(ev));
		report_block(r, &ev);
	}
	alerts_flush(r->al);
	take = have - off;
	memcpy(r->part, buf + off, take);
	r->npart = take;
	return 1;
}

static void
report_reap(struct reporter *r)
{
	pid_t	pid;
	int	status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0 ||
	    (pid == -1 && errno == EINTR))
		if (pid > 0)
			block_child(r->block, pid, status);
}

static int
report_poll(struct reporter *r, int readfd, int timeout)
{
	struct pollfd	pfd[2];
	struct timespec	now;
	uint64_t	sigs;
	int		n, t, alive = 1;

	pfd[0].fd = selfpipe_fd(r->sp);
	pfd[0].events = POLLIN;
	pfd[1].fd = readfd;
	pfd[1].events = POLLIN;
	deadline_now(&now);
	t = deadline_timeout(&r->timers, &now);
	if (timeout >= 0 && (t < 0 || t > timeout))
		t = timeout;
	n = poll(pfd, readfd >= 0 ? 2 : 1, t);
	if (n == -1 && errno != EINTR)
		fatal("reporter: poll");
	if (n > 0 && (pfd[0].revents & POLLIN)) {
		sigs = selfpipe_drain(r->sp);
		if (SELFPIPE_HAS(sigs, SIGCHLD))
			report_reap(r);
		if (SELFPIPE_HAS(sigs, SIGTERM))
			alive = 0;
	}
	if (n > 0 && readfd >= 0 && (pfd[1].revents & (POLLIN | POLLHUP)))
		alive = report_read(r) && alive;
	deadline_now(&now);
	(void)deadline_run(&r->timers, &now, r->block);
	return alive;
}

static void
report_setup(struct reporter *r, int foreground)
{
	/* ^C in the foreground: the detector ends, then so does this. */
	(void)signal(SIGINT, SIG_IGN);
	(void)signal(SIGHUP, SIG_IGN);
	if (foreground) {
		/* Written a batch at a time by alerts_flush(). */
		(void)setvbuf(stderr, NULL, _IOFBF, 0);
		(void)signal(SIGPIPE, SIG_DFL);	/* sentry -D | head */
	} else
		(void)signal(SIGPIPE, SIG_IGN);
	r->al = alerts_new(foreground ? stdout : NULL, foreground, 1);
}

/*
 * The reporter's life.  sp is its self-pipe, with SIGCHLD and SIGTERM
 * caught by the caller (signal handlers live in the main module).
 */
int
report_main(const struct sentry_conf *cf, unsigned modes, int fd,
    int foreground, const struct selfpipe *sp)
{
	struct reporter	r;
	struct timespec	start, now;

	memset(&r, 0, sizeof(r));
	r.cf = cf;
	r.fd = fd;
	r.sp = sp;
	deadline_queue_init(&r.timers);
	report_setup(&r, foreground);
	r.names = hosttab_new(NAMES_MAX, sizeof(struct name));
	r.block = block_new(cf, modes, &r.timers, r.al);
	while (report_poll(&r, fd, -1))
		;
	/* The detector is gone: let the blocks under way finish. */
	deadline_now(&start);
	while (block_busy(r.block)) {
		deadline_now(&now);
		if (deadline_diff_ms(&start, &now) > DRAIN_WAIT_MS)
			break;
		(void)report_poll(&r, -1, 100);
	}
	block_free(r.block);
	alerts_free(r.al);
	hosttab_free(r.names);
	deadline_queue_free(&r.timers);
	return 0;
}
