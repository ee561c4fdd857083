/*
 * sentry.c: the port-scan detector: options, start-up, and the detector's
 * one poll() loop.
 *
 *	sentry [-D] [-c file] -tcp -udp -stcp -sudp -atcp -audp ...
 *	sentry [-c file] -n [mode ...] | -l | -u address
 *
 * Any set of portsentry 1.2's six modes runs in one process (1.2 needs one
 * process per mode).  The detector watches the classic sockets, the
 * capture and the self-pipe, and hands every probe to the reporter, a
 * child forked at start (report.c), so that nothing slow ever runs between
 * two packets.  A tick once a second re-reads a changed ignore file and
 * this host's addresses, and logs what the kernel or the queue dropped.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "deadline.h"
#include "detach.h"
#include "log.h"
#include "selfpipe.h"
#include "sentry.h"
#include "xmalloc.h"

#ifndef SENTRY_CONF
#define SENTRY_CONF	"/etc/sentry.conf"
#endif
#define TICK_MS		1000
#define REPORTER_WAIT	40	/* seconds the reporter gets at exit */

struct opts {
	const char	*config;
	unsigned	 modes;
	int		 foreground;
	int		 check;
	int		 list;
	const char	*unblock;
};

/* The daemon's one instance of state, and the self-pipe of its signals. */
static struct sentry	sentry;
static struct selfpipe	sp;

static void
on_signal(int signo)
{
	selfpipe_notify(&sp, signo);
}

static __dead void
usage(FILE *fp, int status)
{
	fprintf(fp,
	    "usage: sentry [-D] [-c file] -tcp | -udp | -stcp | -sudp | "
	    "-atcp | -audp ...\n"
	    "       sentry [-c file] -n [-tcp | -udp | -stcp | -sudp | "
	    "-atcp | -audp ...]\n"
	    "       sentry [-c file] -l | -u address\n"
	    "       sentry -h | -V\n");
	exit(status);
}

/*
 * A mistyped mode ("-stpc") would reach getopt(3) as a cluster of letters
 * and fail with a bare usage message; name the mode it is near instead.
 * A real cluster ("-Dn", "-c/etc/sentry.conf", "-u192.0.2.1") is left to
 * getopt.
 */
static void
check_mode_word(const char *a)
{
	const char	*p, *near;

	if (a[0] != '-' || a[1] == '-')
		return;
	for (p = a + 1; *p != '\0' && strchr("DhlnV", *p) != NULL; p++)
		continue;
	/* "-upd" is -u with an address of "pd" to getopt: a slip here. */
	if (*p == '\0' || ((*p == 'c' || *p == 'u') &&
	    p[1 + strspn(p + 1, "abcdefghijklmnopqrstuvwxyz")] != '\0') ||
	    (near = mode_nearest(a)) == NULL)
		return;
	fprintf(stderr, "sentry: unknown mode %s (did you mean -%s?)\n", a,
	    near);
	usage(stderr, 1);
}

/* The modes are words (-stcp), so they come out before getopt(3). */
static int
take_modes(struct opts *o, int argc, char *argv[])
{
	int	i, n = 1, m;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			for (; i < argc; i++)
				argv[n++] = argv[i];
			break;
		}
		if ((m = mode_parse(argv[i])) != -1)
			o->modes |= MODE_BIT(m);
		else {
			check_mode_word(argv[i]);
			argv[n++] = argv[i];
		}
	}
	argv[n] = NULL;
	return n;
}

static void
parse_options(struct opts *o, int argc, char *argv[])
{
	int	ch;

	memset(o, 0, sizeof(*o));
	o->config = SENTRY_CONF;
	argc = take_modes(o, argc, argv);
	opterr = 0;		/* usage() says it all */
	while ((ch = getopt(argc, argv, "c:DhlnVu:")) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case 'D':
			o->foreground = 1;
			break;
		case 'h':
			usage(stdout, 0);
		case 'l':
			o->list = 1;
			break;
		case 'n':
			o->check = 1;
			break;
		case 'u':
			o->unblock = optarg;
			break;
		case 'V':
			printf("sentry (%s) %s\n", PACKAGE_NAME,
			    PACKAGE_VERSION);
			exit(0);
		default:
			usage(stderr, 1);
		}
	}
	if (optind != argc || o->list + o->check + (o->unblock != NULL) > 1 ||
	    ((o->list || o->unblock != NULL) && o->modes != 0) ||
	    (!o->list && !o->check && o->unblock == NULL && o->modes == 0))
		usage(stderr, 1);
}

/* Syslog, as 1.2 (daemon facility, notice), and stderr while attached. */
static void
sentry_openlog(int attached)
{
	log_to_syslog(LOG_DAEMON);
	openlog("sentry", LOG_PID | LOG_NDELAY | (attached ? LOG_PERROR : 0),
	    LOG_DAEMON);
	log_set_level(LOG_DEBUG);
}

/* --- the one-shot commands: -n, -l, -u -------------------------------------- */

static int
check_hosts_deny(const struct sentry_conf *cf)
{
	char	err[512];

	if (cf->kill_hosts_deny == NULL || access(cf->hosts_deny_file,
	    F_OK) == -1 || record_check(cf->hosts_deny_file, err,
	    sizeof(err)) == 0)
		return 0;
	log_msg(LOG_ERR, "%s", err);
	return 1;
}

/* The modes of a build without libpcap: 1 (and why) if some cannot run. */
static int
check_capture(unsigned modes)
{
	if ((modes & MODES_CAPTURE) == 0 || capture_supported())
		return 0;
	log_msg(LOG_ERR, "the stealth and advanced modes (-stcp -sudp -atcp "
	    "-audp) need libpcap, and this build has none; -tcp and -udp "
	    "work without it");
	return 1;
}

/* -n: every problem of the file, then a summary; exit 0 only if clean. */
static __dead void
check_config(const struct opts *o)
{
	struct sentry_conf	cf;
	struct ignore		ig;
	int			nerr = 0, ignerr = 0;

	(void)conf_load(&cf, o->config, o->modes);
	nerr = cf.nerrors + check_capture(o->modes);
	if (cf.ignore_file != NULL) {
		memset(&ig, 0, sizeof(ig));
		if (ignore_load(&ig, cf.ignore_file, 0, &ignerr) == -1)
			log_msg(LOG_WARNING, "%s: %s (only this host's "
			    "addresses will be ignored)", cf.ignore_file,
			    strerror(errno));
		ignore_free(&ig);
	}
	nerr += ignerr + check_hosts_deny(&cf);
	printf("%s: %d error%s, %d warning%s\n", o->config, nerr,
	    nerr == 1 ? "" : "s", cf.nwarnings, cf.nwarnings == 1 ? "" : "s");
	conf_free(&cf);
	exit(nerr > 0);
}

static __dead void
list_blocks(const struct opts *o)
{
	struct sentry_conf	cf;

	if (conf_load(&cf, o->config, 0) == -1)
		exit(1);
	action_list(&cf, stdout);
	conf_free(&cf);
	exit(0);
}

static __dead void
unblock_host(const struct opts *o)
{
	struct sentry_conf	cf;
	struct alerts		*al;
	struct addr		a, plain;
	char			err[256];
	int			n;

	if (addr_parse(&a, o->unblock, err, sizeof(err)) == -1) {
		fprintf(stderr, "sentry: -u: %s\n", err);
		exit(1);
	}
	if (addr_unmap(&plain, &a))
		a = plain;
	if (conf_load(&cf, o->config, 0) == -1)
		exit(1);
	sentry_openlog(1);
	al = alerts_new(NULL, 1, 0);
	n = action_unblock(&cf, &a, "by hand", al);
	alerts_free(al);
	if (n == 0)
		fprintf(stderr, "sentry: %s is not blocked\n", o->unblock);
	conf_free(&cf);
	exit(n > 0 ? 0 : 1);
}

/* --- probes ------------------------------------------------------------------- */

int
sentry_probe(struct sentry *s, const struct sentry_event *ev)
{
	if (ignore_has(&s->ign, &ev->src) ||
	    !trigger_hit(s->trig, &ev->src, ev->proto, ev->port, &s->now))
		return 0;
	queue_push(&s->queue, ev);
	return 1;
}

/* --- start-up ------------------------------------------------------------------ */

/* 1.2 empties each mode's blocked file at start.  With BLOCK_TIMEOUT the
 * blocks stay, so that the reporter can still end them on time. */
static int
blocked_files_start(const struct sentry *s)
{
	char	 err[512], *path;
	int	 m, rc = 0;

	for (m = 0; m < MODE_COUNT; m++) {
		if ((s->modes & MODE_BIT(m)) == 0)
			continue;
		path = history_blocked_path(&s->conf, m);
		if (s->conf.block_timeout == 0 &&
		    record_truncate(path, BLOCKED_MODE, err, sizeof(err)) ==
		    -1) {
			log_msg(LOG_ERR, "adminalert: ERROR: Cannot delete "
			    "blocked file on startup: %s.", err);
			rc = -1;
		}
		free(path);
	}
	return rc;
}

static void
ignore_start(struct sentry *s)
{
	int	nerr;

	if (ignore_load(&s->ign, s->conf.ignore_file, 0, &nerr) == -1)
		log_msg(LOG_WARNING, "adminalert: ERROR: cannot open ignore "
		    "file %s: %s; only this host's addresses are ignored",
		    s->conf.ignore_file, strerror(errno));
	ignore_own_refresh(&s->ign);
}

/* The reporter's start: a self-pipe of its own, then its loop. */
static __dead void
reporter_child(struct sentry *s, int rfd)
{
	static const int	sigs[] = { SIGCHLD, SIGTERM };
	size_t			i;

	selfpipe_close(&sp);
	if (selfpipe_init(&sp) == -1)
		fatal("reporter: pipe");
	for (i = 0; i < nitems(sigs); i++)
		if (selfpipe_catch(sigs[i], on_signal) == -1)
			fatal("reporter: sigaction");
	if (!s->foreground) {
		detach_stdio();
		sentry_openlog(0);
	}
	_exit(report_main(&s->conf, s->modes, rfd, s->foreground, &sp));
}

static void
reporter_start(struct sentry *s)
{
	int	p[2];

	if (pipe2(p, O_CLOEXEC) == -1)
		fatal("pipe");
	(void)fflush(stdout);
	if ((s->reporter = fork()) == -1)
		fatal("fork");
	if (s->reporter == 0) {
		(void)close(p[1]);
		reporter_child(s, p[0]);
	}
	(void)close(p[0]);
	if (fcntl(p[1], F_SETFL, O_NONBLOCK) == -1)
		fatal("fcntl");
	queue_init(&s->queue, p[1]);
}

static void
setup_signals(void)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGTERM, SIGCHLD };
	size_t	i;

	if (selfpipe_init(&sp) == -1)
		fatal("pipe");
	for (i = 0; i < nitems(sigs); i++)
		if (selfpipe_catch(sigs[i], on_signal) == -1)
			fatal("sigaction");
	(void)signal(SIGPIPE, SIG_IGN);
}

/* --- the loop --------------------------------------------------------------- */

static void
tick(struct deadline *d, void *ctx)
{
	struct sentry	*s = ctx;
	unsigned long	 n;

	(void)ignore_reload_if_changed(&s->ign, s->conf.ignore_file);
	ignore_own_refresh(&s->ign);
	if ((n = stealth_drops(s, &s->drops)) > 0)
		log_msg(LOG_WARNING, "adminalert: ERROR: the kernel dropped "
		    "%lu packets (capture buffer full)", n);
	if (s->queue.dropped > 0) {
		log_msg(LOG_WARNING, "adminalert: ERROR: %lu probes not "
		    "reported: the reporter is behind", s->queue.dropped);
		s->queue.dropped = 0;
	}
	deadline_set_in(&s->timers, d, TICK_MS);
}

#define PFD_SELF	0
#define PFD_QUEUE	1
#define PFD_CAPTURE	2
#define PFD_CLASSIC	3

static struct pollfd *
pollset(const struct sentry *s)
{
	struct pollfd	*pfd = xcalloc(PFD_CLASSIC + s->ncls, sizeof(*pfd));
	size_t		 i;

	pfd[PFD_SELF].fd = selfpipe_fd(&sp);
	pfd[PFD_SELF].events = POLLIN;
	pfd[PFD_QUEUE].fd = s->queue.fd;
	pfd[PFD_CAPTURE].fd = stealth_fd(s);
	pfd[PFD_CAPTURE].events = POLLIN;
	for (i = 0; i < s->ncls; i++) {
		pfd[PFD_CLASSIC + i].fd = s->cls[i].fd;
		pfd[PFD_CLASSIC + i].events = POLLIN;
	}
	return pfd;
}

/* Signals: 0 to go on, 1 to stop. */
static int
signals(struct sentry *s)
{
	uint64_t	mask = selfpipe_drain(&sp);
	pid_t		pid;
	int		status;

	if (SELFPIPE_HAS(mask, SIGCHLD))
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			if (pid == s->reporter) {
				log_msg(LOG_ERR, "adminalert: ERROR: the "
				    "reporter ended; shutting down");
				s->reporter = -1;
				return 1;
			}
	if (SELFPIPE_HAS(mask, SIGHUP)) {
		(void)ignore_reload_if_changed(&s->ign, s->conf.ignore_file);
		ignore_own_refresh(&s->ign);
	}
	return SELFPIPE_HAS(mask, SIGTERM) || SELFPIPE_HAS(mask, SIGINT);
}

static int
loop(struct sentry *s)
{
	struct pollfd	*pfd = pollset(s);
	nfds_t		 n = PFD_CLASSIC + s->ncls;
	size_t		 i;
	int		 r, rc = 0;

	for (;;) {
		pfd[PFD_QUEUE].events = queue_pending(&s->queue) ? POLLOUT : 0;
		deadline_now(&s->now);
		r = poll(pfd, n, deadline_timeout(&s->timers, &s->now));
		if (r == -1 && errno != EINTR)
			fatal("poll");
		deadline_now(&s->now);
		if (r > 0 && (pfd[PFD_SELF].revents & POLLIN) && signals(s))
			break;
		if (r > 0 && (pfd[PFD_CAPTURE].revents & POLLIN) &&
		    stealth_read(s) == -1) {
			log_msg(LOG_ERR, "adminalert: ERROR: the capture "
			    "failed. Shutting down.");
			rc = 1;
			break;
		}
		for (i = 0; r > 0 && i < s->ncls; i++)
			if (pfd[PFD_CLASSIC + i].revents & POLLIN)
				classic_event(s, &s->cls[i]);
		if (queue_flush(&s->queue) == -1) {
			log_msg(LOG_ERR, "adminalert: ERROR: the reporter is "
			    "gone. Shutting down.");
			rc = 1;
			break;
		}
		(void)deadline_run(&s->timers, &s->now, s);
	}
	free(pfd);
	return rc;
}

/* Let the reporter write out what it has, then wait for it. */
static void
reporter_stop(struct sentry *s)
{
	int	status, i;

	(void)fcntl(s->queue.fd, F_SETFL, 0);
	(void)queue_flush(&s->queue);
	(void)close(s->queue.fd);
	if (s->reporter <= 0)
		return;
	for (i = 0; i < REPORTER_WAIT * 10; i++) {
		if (waitpid(s->reporter, &status, WNOHANG) != 0)
			return;
		(void)poll(NULL, 0, 100);
	}
	(void)kill(s->reporter, SIGKILL);
	(void)waitpid(s->reporter, &status, 0);
}

static int
sentry_start(struct sentry *s)
{
	if (blocked_files_start(s) == -1)
		return -1;
	ignore_start(s);
	s->trig = trigger_new(s->conf.scan_trigger, s->conf.scan_window);
	deadline_queue_init(&s->timers);
	deadline_init(&s->tick, tick, s);
	deadline_set_in(&s->timers, &s->tick, TICK_MS);
	stealth_plan(s);
	reporter_start(s);
	if (classic_open(s) == -1 || stealth_open(s) == -1)
		return -1;
	return 0;
}

int
main(int argc, char *argv[])
{
	struct sentry	*s = &sentry;
	struct opts	 o;
	int		 ready = -1, rc;

	log_init("sentry");
	parse_options(&o, argc, argv);
	if (o.check)
		check_config(&o);
	if (o.list)
		list_blocks(&o);
	if (o.unblock != NULL)
		unblock_host(&o);
	s->modes = o.modes;
	s->foreground = o.foreground;
	if (check_capture(s->modes) ||
	    conf_load(&s->conf, o.config, s->modes) == -1)
		exit(1);
	if (check_hosts_deny(&s->conf))
		exit(1);
	sentry_openlog(1);
	setup_signals();
	if (!s->foreground)
		ready = detach_start();
	log_msg(LOG_NOTICE, "adminalert: sentry %s is starting.",
	    PACKAGE_VERSION);
	if (sentry_start(s) == -1) {
		log_msg(LOG_NOTICE, "adminalert: sentry is shutting down");
		reporter_stop(s);
		exit(1);
	}
	log_msg(LOG_NOTICE, "adminalert: sentry is now active and listening.");
	if (!s->foreground) {
		detach_done(ready, 1);
		detach_stdio();
		sentry_openlog(0);
	}
	rc = loop(s);
	(void)stealth_drops(s, &s->drops);
	log_msg(LOG_NOTICE, "adminalert: %lu packets captured, %lu dropped by "
	    "the kernel, %lu probes reported, %zu sources tracked (at most %d)",
	    s->packets, s->drops, s->queue.sent + s->queue.len,
	    trigger_sources(s->trig), TRIGGER_SOURCES);
	log_msg(LOG_NOTICE, "adminalert: sentry is shutting down");
	classic_close(s);
	stealth_close(s);
	reporter_stop(s);
	trigger_free(s->trig);
	queue_free(&s->queue);
	ignore_free(&s->ign);
	conf_free(&s->conf);
	return rc;
}
