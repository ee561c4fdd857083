/*
 * inetd.c: the internet super-server: options, start-up, and the one
 * poll() loop.
 *
 * The loop watches the self-pipe (signals), every active listening
 * socket and every connection served in-process, with a timeout to the
 * nearest deadline (rate-limit reopening, session timeouts, shutdown).
 * It never selects on a bounded fd_set and never loops over
 * RLIMIT_NOFILE.  A connection goes through inetd_handle_conn(): banner,
 * limits, address and tcp_wrappers checks, then either an in-process
 * session or an external server started by spawn.c.  Everything the
 * daemon knows lives in one struct inetd.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "access.h"
#include "atomicfile.h"
#include "deadline.h"
#include "detach.h"
#include "inetd.h"
#include "log.h"
#include "selfpipe.h"
#include "suggest.h"
#include "wrap.h"
#include "xmalloc.h"

#define ACCEPT_BATCH	16	/* connections taken per listener per round */
#define TERM_GRACE	5	/* seconds servers get after SIGTERM */
#define EMFILE_PAUSE	1000	/* ms without accepting when out of fds */
#define LOGPROCS	15	/* ident lookups at once, xinetd's default */

extern char	**environ;

/* The daemon's one instance of state, and the self-pipe its signals use. */
static struct inetd	 inetd;

static void
on_signal(int signo)
{
	selfpipe_notify(&inetd.sp, signo);
}

static __dead void
usage(FILE *fp, int status)
{
	fprintf(fp,
	    "usage: inetd [-dhilnV] [-D dumpfile] [-f config_file] "
	    "[-p pidfile] [-q backlog]\n"
	    "             [-R rate] [-S xinetd|inetd] [-W dir] "
	    "[config_file]\n"
	    "       inetd [-dontfork] [-stayalive] [-filelog file] "
	    "[-syslog facility]\n"
	    "             [-pidfile file] [-limit n] [-logprocs n] "
	    "[-cc seconds]\n"
	    "             [-inetd_compat] [-version]\n"
	    "       inetd [-W dir] -A daemon[@server] [user@]client ... | -\n");
	exit(status);
}

static void
version(void)
{
	printf("inetd (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
	exit(0);
}

/* --- services ------------------------------------------------------------ */

static struct service *
service_new(struct inetd *st, struct svcconf *sc)
{
	struct service	*sp = xcalloc(1, sizeof(*sp));

	sp->conf = sc;
	sp->refs = 1;
	sp->state = SVC_ACTIVE;
	deadline_init(&sp->reopen, limit_reopen, sp);
	if (svclog_setup(st, sp) == -1)
		sp->log = NULL;
	return sp;
}

static void
service_free(struct inetd *st, struct service *sp)
{
	deadline_clear(&st->timers, &sp->reopen);
	listen_release(st, sp);
	svclog_release(st, sp);
	src_clear(sp);
	svcconf_free(sp->conf);
	free(sp);
}

void
inetd_service_hold(struct service *sp)
{
	sp->refs++;
}

/* Drop a reference; a retired service goes when its last user does. */
void
inetd_service_rele(struct inetd *st, struct service *sp)
{
	int	i;

	if (--sp->refs > 0)
		return;
	for (i = 0; i < st->nretired; i++)
		if (st->retired[i] == sp) {
			st->retired[i] = st->retired[--st->nretired];
			break;
		}
	service_free(st, sp);
}

struct service *
inetd_find_tcpmux(struct inetd *st, const char *name)
{
	int	i;

	for (i = 0; i < st->nsvcs; i++) {
		struct service	*sp = st->svcs[i];

		if ((sp->conf->type & (ST_TCPMUX | ST_TCPMUXPLUS)) &&
		    strcasecmp(sp->conf->name, name) == 0)
			return sp;
	}
	return NULL;
}

/* tcp_wrappers applies to xinetd services unless NOLIBWRAP, and to
 * inetd.conf services with -l (internal ones are never wrapped there). */
int
inetd_svc_wrapped(const struct inetd *st, const struct svcconf *sc)
{
	if (sc->bsd)
		return st->opt.libwrap_all && !(sc->type & ST_INTERNAL);
	return !(sc->flags & SF_NOLIBWRAP);
}

/* --- listeners in the poll set ----------------------------------------------- */

void
inetd_listener_suspend(struct inetd *st, struct listener *l)
{
	l->held++;
	st->pollfd_dirty = 1;
}

void
inetd_listener_resume(struct inetd *st, struct listener *l)
{
	if (l->held > 0)
		l->held--;
	st->pollfd_dirty = 1;
}

/* Whether l is still one of sp's listeners (it may have been closed). */
int
inetd_listener_valid(const struct inetd *st, const struct listener *l,
    const struct service *sp)
{
	int	i;

	for (i = 0; i < st->nlsts; i++)
		if (st->lsts[i] == l)
			return l->svc == sp;
	return 0;
}

/* --- children -------------------------------------------------------------- */

void
inetd_child_add(struct inetd *st, pid_t pid, int kind, struct service *sp,
    const struct conn *cp, struct listener *held)
{
	struct child	*c = xcalloc(1, sizeof(*c));
	unsigned	 h = (unsigned)pid % CHILD_BUCKETS;

	c->pid = pid;
	c->kind = kind;
	c->svc = sp;
	c->held = held;
	c->start = st->now;
	if (cp != NULL && cp->haspeer) {
		memcpy(c->key, cp->key, 16);
		c->haspeer = 1;
	}
	c->next = st->children[h];
	st->children[h] = c;
	inetd_service_hold(sp);
	if (kind == CHILD_SERVER) {
		st->nchildren++;
		sp->running++;
		sp->started++;
		if (c->haspeer)
			src_add(sp, c->key);
	} else if (kind == CHILD_USERID)
		st->nuserid++;
}

static struct child *
child_take(struct inetd *st, pid_t pid)
{
	struct child	**pp = &st->children[(unsigned)pid % CHILD_BUCKETS];
	struct child	*c;

	for (; (c = *pp) != NULL; pp = &c->next)
		if (c->pid == pid) {
			*pp = c->next;
			return c;
		}
	return NULL;
}

/*
 * Signal a child of ours that has not been reaped yet (its pid cannot
 * have been reused): 0, or -1 when there is none such.
 */
int
inetd_child_signal(struct inetd *st, pid_t pid, int signo)
{
	struct child	*c;

	for (c = st->children[(unsigned)pid % CHILD_BUCKETS]; c != NULL;
	    c = c->next)
		if (c->pid == pid)
			return kill(pid, signo);
	return -1;
}

static void
child_ended(struct inetd *st, struct child *c, int status)
{
	struct service	*sp = c->svc;

	if (c->kind == CHILD_SERVER) {
		st->nchildren--;
		if (sp->running > 0)
			sp->running--;
		if (c->haspeer)
			src_del(sp, c->key);
		svclog_exit(sp, c->pid, status, c->start);
		if (c->held != NULL)
			inetd_listener_resume(st, c->held);
	} else if (c->kind == CHILD_USERID)
		st->nuserid--;
	inetd_service_rele(st, sp);
	free(c);
}

/* Reap until waitpid says there is nothing more. */
static void
children_reap(struct inetd *st)
{
	struct child	*c;
	pid_t		 pid;
	int		 status;

	for (;;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid == -1 && errno == EINTR)
			continue;
		if (pid <= 0)
			break;
		if ((c = child_take(st, pid)) != NULL)
			child_ended(st, c, status);
		else
			log_debug("unknown child process %ld %s", (long)pid,
			    WIFSIGNALED(status) ? "killed" : "exited");
	}
}

static unsigned
children_signal(struct inetd *st, int signo)
{
	struct child	*c;
	unsigned	 n = 0;
	int		 i;

	for (i = 0; i < CHILD_BUCKETS; i++)
		for (c = st->children[i]; c != NULL; c = c->next)
			if (kill(c->pid, signo) == 0)
				n++;
	return n;
}

/* --- access --------------------------------------------------------------- */

/*
 * tcp_wrappers for an internal service, in the daemon.  user is the
 * client's ident answer ("" for none) once asked; with NULL a rule that
 * needs it gives ADMIT_ASKUSER instead of waiting for it here.  A rule
 * that needs the client's name before it is known gives ADMIT_ASKNAME.
 */
static enum admit
inetd_wrap(struct inetd *st, struct service *sp, struct conn *cp,
    const char *user)
{
	struct hosts_verdict	v;
	enum admit		r = ADMIT_REFUSED;

	switch (wrap_check_daemon(st, sp, cp, user, &v)) {
	case WRAP_GRANTED:
		r = wrap_daemon(st, sp, cp, &v) != 0 ? ADMIT_TWISTED :
		    ADMIT_GRANTED;
		break;
	case WRAP_ASKUSER:
		cp->identwait = v.ident_timeout;	/* rfc931's, or 10 */
		r = ADMIT_ASKUSER;
		break;
	case WRAP_ASKNAME:
		r = ADMIT_ASKNAME;
		break;
	case WRAP_DENIED:
		break;
	}
	hosts_verdict_free(&v);
	return r;
}

/* A refusal: logged (always: see svclog_fail), then banner_fail. */
void
inetd_refuse(struct inetd *st, struct service *sp, struct conn *cp,
    enum fail_reason why, int quiet)
{
	const struct svcconf	*sc = sp->conf;

	svclog_fail(st, sp, cp, why);
	if (sc->socktype == SOCK_STREAM && !sc->wait && !quiet) {
		spawn_banner(sc->banner_fail, cp->fd, 0);
		if (sc->log_failure & LF_USERID)
			spawn_userid_on_failure(st, sp, cp);
	}
}

/*
 * The checks after the limits: address, then tcp_wrappers (for internal
 * services: external servers are checked in their child, spawn.c).  They
 * may stop for the client's name (ADMIT_ASKNAME) or user (ADMIT_ASKUSER),
 * to run again once it is known.
 */
enum admit
inetd_admit_late(struct inetd *st, struct service *sp, struct conn *cp,
    const char *user)
{
	const struct svcconf	*sc = sp->conf;
	enum addr_check		 a;
	enum admit		 r;

	if ((a = limit_address_check(st, sp, cp)) == ADDR_NEEDNAME)
		return ADMIT_ASKNAME;
	if (a != ADDR_ALLOWED) {
		inetd_refuse(st, sp, cp, FAIL_ADDRESS, 0);
		return ADMIT_REFUSED;
	}
	if (sc->builtin == NULL || !inetd_svc_wrapped(st, sc) ||
	    !cp->haspeer || wrap_trivial(st))
		return ADMIT_GRANTED;
	if ((r = inetd_wrap(st, sp, cp, user)) == ADMIT_REFUSED)
		inetd_refuse(st, sp, cp, FAIL_LIBWRAP, 0);
	return r;
}

/*
 * All the checks for one connection or datagram, in xinetd's order:
 * limits, address, then tcp_wrappers.
 */
enum admit
inetd_admit(struct inetd *st, struct service *sp, struct conn *cp)
{
	const struct svcconf	*sc = sp->conf;
	enum fail_reason	 why;

	if ((why = limit_check(st, sp, cp)) != FAIL_NONE) {
		inetd_refuse(st, sp, cp, why, why == FAIL_PER_SOURCE_LIMIT &&
		    !limit_refusal_rate(st, sp));
		return ADMIT_REFUSED;
	}
	if (sc->flags & SF_SENSOR) {
		sensor_add(st, sp, cp->key, cp->host);
		inetd_refuse(st, sp, cp, FAIL_ADDRESS, 0);
		return ADMIT_REFUSED;
	}
	return inetd_admit_late(st, sp, cp, NULL);
}

/* An admitted stream connection: serve it here or start its server. */
static void
inetd_serve(struct inetd *st, struct service *sp, struct conn *cp)
{
	const struct svcconf	*sc = sp->conf;
	pid_t			 pid;

	if (sc->type & ST_TCPMUXPLUS)
		(void)send(cp->fd, "+Go\r\n", 5, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (sc->builtin != NULL) {
		spawn_banner(sc->banner_success, cp->fd, 0);
		sp->started++;
		svclog_start(sp, cp, 0);
		(void)sc->builtin->start(st, sp, cp);
		return;
	}
	pid = spawn_server(st, sp, cp, cp->fd);
	if (pid == SPAWN_FAILED) {
		svclog_fail(st, sp, cp, FAIL_FORK);
		(void)close(cp->fd);
		return;
	}
	inetd_child_add(st, pid, CHILD_SERVER, sp, cp, NULL);
	svclog_start(sp, cp, pid);
	(void)close(cp->fd);
}

/*
 * A stream connection whose checks came to r: serve it, hold it while
 * its client's name or user is asked (a session, which comes back to
 * inetd_admit_resume), or close it.
 */
static void
inetd_admitted(struct inetd *st, struct service *sp, struct conn *cp,
    const char *user, enum admit r)
{
	switch (r) {
	case ADMIT_GRANTED:
		inetd_serve(st, sp, cp);
		return;
	case ADMIT_ASKNAME:
		if (session_ask_name(st, sp, cp, user, NULL, 0) == 0)
			return;
		/* Not another client's name unknown for a flood's sake. */
		inetd_refuse(st, sp, cp, FAIL_ADDRESS, 0);
		break;
	case ADMIT_ASKUSER:
		if (user == NULL) {
			if (session_ask_user(st, sp, cp) == 0)
				return;
			inetd_admit_resume(st, sp, cp, "");
			return;
		}
		inetd_refuse(st, sp, cp, FAIL_LIBWRAP, 0);
		break;
	case ADMIT_REFUSED:
	case ADMIT_TWISTED:
		break;
	}
	(void)close(cp->fd);
}

/* An accepted stream connection for sp (also a tcpmux hand-over). */
void
inetd_handle_conn(struct inetd *st, struct service *sp, struct conn *cp)
{
	spawn_banner(sp->conf->banner, cp->fd, 0);
	inetd_admitted(st, sp, cp, NULL, inetd_admit(st, sp, cp));
}

/*
 * The rest of inetd_handle_conn for a connection whose checks needed its
 * client's name (now in cp) or user: user is the ident answer, "" when
 * there was none, NULL when not asked.
 */
void
inetd_admit_resume(struct inetd *st, struct service *sp, struct conn *cp,
    const char *user)
{
	inetd_admitted(st, sp, cp, user, inetd_admit_late(st, sp, cp, user));
}

static void
conn_from_peer(struct conn *cp)
{
	cp->haspeer = 1;
	(void)addr_key((struct sockaddr *)&cp->peer, cp->key);
	(void)addr_numeric((struct sockaddr *)&cp->peer, cp->host,
	    sizeof(cp->host));
}

static void
accept_resume(struct deadline *d, void *ctx)
{
	struct inetd	*st = ctx;

	(void)d;
	st->pollfd_dirty = 1;
}

/* Take up to ACCEPT_BATCH connections, then let other sockets have a go. */
static void
listener_accept(struct inetd *st, struct listener *l)
{
	struct service	*sp = l->svc;
	struct conn	 c;
	int		 i, fd;

	for (i = 0; i < ACCEPT_BATCH; i++) {
		memset(&c, 0, sizeof(c));
		c.peerlen = sizeof(c.peer);
		/* Sessions served here are non-blocking, servers' are not. */
		fd = accept4(l->fd, (struct sockaddr *)&c.peer, &c.peerlen,
		    SOCK_CLOEXEC | (sp->conf->builtin != NULL &&
		    !(sp->conf->type & (ST_TCPMUX | ST_TCPMUXPLUS)) ?
		    SOCK_NONBLOCK : 0));
		if (fd == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				log_warn("service %s: accept", sp->conf->id);
				deadline_set_in(&st->timers, &st->accept_pause,
				    EMFILE_PAUSE);
				st->pollfd_dirty = 1;
			} else if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn("service %s: accept", sp->conf->id);
			return;
		}
		c.fd = fd;
		c.lst = l;
		conn_from_peer(&c);
		st->accepted++;
		inetd_handle_conn(st, sp, &c);
		if (sp->state != SVC_ACTIVE || l->svc != sp)
			return;		/* a rate limit closed l */
	}
}

/*
 * A wait=yes service, or an external datagram one: the server gets the
 * socket itself.  For a datagram the sender of the first one is checked
 * (peeked at, so the server still reads it).
 */
static void
listener_handover(struct inetd *st, struct listener *l)
{
	struct service		*sp = l->svc;
	const struct svcconf	*sc = sp->conf;
	struct conn		 c;
	enum admit		 r;
	char			 b;
	pid_t			 pid;

	memset(&c, 0, sizeof(c));
	c.fd = l->fd;
	c.lst = l;
	if (sc->socktype == SOCK_DGRAM) {
		c.peerlen = sizeof(c.peer);
		if (recvfrom(l->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT,
		    (struct sockaddr *)&c.peer, &c.peerlen) == -1)
			return;
		conn_from_peer(&c);
		/* Its name, looked up while the listener waited. */
		if (l->pn.known && memcmp(l->pnkey, c.key, 16) == 0)
			c.pn = l->pn;
		l->pn.known = 0;
	}
	r = inetd_admit(st, sp, &c);
	/* Asked for a name, the datagram stays first in line meanwhile. */
	if (r == ADMIT_ASKNAME) {
		if (session_ask_name(st, sp, &c, NULL, NULL, 0) == 0)
			return;
		inetd_refuse(st, sp, &c, FAIL_ADDRESS, 0);
	}
	if (r != ADMIT_GRANTED) {
		if (sc->socktype == SOCK_DGRAM)
			(void)recv(l->fd, &b, 1, MSG_DONTWAIT);
		return;
	}
	pid = spawn_server(st, sp, &c, l->fd);
	if (pid == SPAWN_FAILED) {
		svclog_fail(st, sp, &c, FAIL_FORK);
		if (sc->socktype == SOCK_DGRAM)
			(void)recv(l->fd, &b, 1, MSG_DONTWAIT);
		return;
	}
	inetd_child_add(st, pid, CHILD_SERVER, sp, &c, sc->wait ? l : NULL);
	svclog_start(sp, &c, pid);
	if (sc->wait)
		inetd_listener_suspend(st, l);
}

static void
listener_event(struct inetd *st, struct listener *l)
{
	const struct svcconf	*sc = l->svc->conf;

	if (sc->socktype == SOCK_STREAM && (!sc->wait || sc->builtin != NULL))
		listener_accept(st, l);
	else if (sc->builtin != NULL)
		builtin_handle_dgram(st, l->svc, l);
	else
		listener_handover(st, l);
}

/* --- configuration ------------------------------------------------------- */

static void
inetd_retire(struct inetd *st, struct service *sp)
{
	deadline_clear(&st->timers, &sp->reopen);
	listen_adopt(st, sp);
	sp->state = SVC_RETIRED;
	st->retired = xreallocarray(st->retired, (size_t)st->nretired + 1,
	    sizeof(*st->retired));
	st->retired[st->nretired++] = sp;
	inetd_service_rele(st, sp);
}

/* Mark the orphaned listeners a new service will adopt; close the rest. */
static void
inetd_prune_listeners(struct inetd *st, struct conf *cf)
{
	struct listener	*l;
	int		 i, j;

	for (i = 0; i < cf->nsvcs; i++) {
		const struct svcconf	*sc = cf->svcs[i];

		for (j = 0; j < sc->nbinds; j++) {
			l = listen_find(st, sc->binds[j].ss.ss_family,
			    sc->socktype, sc->proto, &sc->binds[j], sc->port);
			if (l != NULL)
				l->keep = 1;
		}
	}
	for (i = 0; i < st->nlsts; i++) {
		l = st->lsts[i];
		if (l->svc == NULL && !l->keep) {
			listen_close(st, l);
			i--;
		}
	}
}

/*
 * Make cf the running configuration.  Sockets whose address, port and
 * type did not change are carried over open; servers and sessions of the
 * old configuration run on under it until they end.  Returns the number
 * of services listening.
 */
static int
inetd_apply(struct inetd *st, struct conf *cf)
{
	struct service	**old = st->svcs;
	int		  nold = st->nsvcs, i, n = 0;

	for (i = 0; i < nold; i++)
		listen_adopt(st, old[i]);
	for (i = 0; i < st->nlsts; i++)
		st->lsts[i]->keep = 0;
	inetd_prune_listeners(st, cf);
	st->svcs = xcalloc((size_t)cf->nsvcs + 1, sizeof(*st->svcs));
	st->nsvcs = 0;
	for (i = 0; i < cf->nsvcs; i++) {
		struct svcconf	*sc = cf->svcs[i];
		struct service	*sp;

		cf->svcs[i] = NULL;
		spawn_build_env(sc, st->baseenv);
		sp = service_new(st, sc);
		st->svcs[st->nsvcs++] = sp;
		if (listen_open(st, sp) == -1 &&
		    !(sc->type & (ST_TCPMUX | ST_TCPMUXPLUS))) {
			log_msg(LOG_ERR, "Service %s failed to start and is "
			    "deactivated.", sc->id);
			sp->state = SVC_FAILED;
			continue;
		}
		n++;
	}
	cf->nsvcs = 0;
	for (i = 0; i < st->nlsts; i++)
		if (st->lsts[i]->svc == NULL) {
			listen_close(st, st->lsts[i]);
			i--;
		}
	for (i = 0; i < nold; i++)
		inetd_retire(st, old[i]);
	free(old);
	conf_free(st->conf);
	st->conf = cf;
	wrap_files(st);
	st->pollfd_dirty = 1;
	return n;
}

static struct conf *
inetd_load(struct inetd *st)
{
	return conf_load(st->opt.config, &st->opt.copts);
}

/* SIGHUP: the new configuration replaces the old only if it is clean. */
static void
inetd_reload(struct inetd *st)
{
	struct conf	*cf;
	int		 n;

	log_info("reloading %s", st->opt.config);
	cf = inetd_load(st);
	if (cf->nerrors > 0 || (cf->nfiles == 0)) {
		log_msg(LOG_ERR, "%s: %d error%s; keeping the running "
		    "configuration", st->opt.config, cf->nerrors,
		    cf->nerrors == 1 ? "" : "s");
		conf_free(cf);
		return;
	}
	svclog_reopen_all(st);
	n = inetd_apply(st, cf);
	log_msg(LOG_NOTICE, "Reconfigured: %d service%s listening", n,
	    n == 1 ? "" : "s");
}

static const char *
inetd_dumpfile(const struct inetd *st)
{
	if (st->opt.dumpfile != NULL)
		return st->opt.dumpfile;
	if (st->conf != NULL && st->conf->def.dump_file != NULL)
		return st->conf->def.dump_file;
	return INETD_DUMP;
}

/* --- the loop --------------------------------------------------------------- */

#define TAG_SELFPIPE	((void *)&inetd.sp)

struct pollset {
	struct pollfd	*pfd;
	void		**tag;
	int		 *kind;
	int		  n;
	int		  cap;
};

/* Whether the loop goes on. */
enum quit {
	QUIT_NO,		/* serving */
	QUIT_DRAIN,		/* SIGTERM: until the servers have gone */
	QUIT_NOW		/* SIGQUIT: at once, servers left running */
};

#define PK_PIPE		0
#define PK_LISTENER	1
#define PK_SESSION	2

static int
listener_polled(const struct inetd *st, const struct listener *l)
{
	return l->svc != NULL && l->svc->state == SVC_ACTIVE && l->held == 0 &&
	    !st->terminating &&
	    !(deadline_armed(&st->accept_pause) && l->socktype == SOCK_STREAM);
}

static void
pollset_build(struct inetd *st, struct pollset *ps)
{
	int	i, need = 1 + st->nlsts + (int)st->nsessions;

	if (need > ps->cap) {
		ps->cap = need + 64;
		ps->pfd = xreallocarray(ps->pfd, (size_t)ps->cap,
		    sizeof(*ps->pfd));
		ps->tag = xreallocarray(ps->tag, (size_t)ps->cap,
		    sizeof(*ps->tag));
		ps->kind = xreallocarray(ps->kind, (size_t)ps->cap,
		    sizeof(*ps->kind));
	}
	ps->n = 0;
	ps->pfd[0].fd = selfpipe_fd(&st->sp);
	ps->pfd[0].events = POLLIN;
	ps->tag[0] = TAG_SELFPIPE;
	ps->kind[0] = PK_PIPE;
	ps->n = 1;
	for (i = 0; i < st->nlsts; i++) {
		struct listener	*l = st->lsts[i];

		if (!listener_polled(st, l))
			continue;
		ps->pfd[ps->n].fd = l->fd;
		ps->pfd[ps->n].events = POLLIN;
		ps->tag[ps->n] = l;
		ps->kind[ps->n] = PK_LISTENER;
		ps->n++;
	}
	i = ps->n;
	session_pollfds(st, ps->pfd, ps->tag, &ps->n);
	for (; i < ps->n; i++)
		ps->kind[i] = PK_SESSION;
}

static int
listener_alive(const struct inetd *st, const struct listener *l)
{
	int	i;

	for (i = 0; i < st->nlsts; i++)
		if (st->lsts[i] == l)
			return listener_polled(st, l);
	return 0;
}

static void
write_pidfile(const struct inetd *st)
{
	char	buf[32];
	int	n;

	if (st->opt.pidfile == NULL)
		return;
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (atomicfile_replace(st->opt.pidfile, buf, (size_t)n, 0644) == -1)
		log_warn("pid file %s", st->opt.pidfile);
}

static void
remove_pidfile(const struct inetd *st)
{
	if (st->opt.pidfile != NULL)
		(void)unlink(st->opt.pidfile);
}

static void
consistency_check(struct deadline *d, void *ctx)
{
	struct inetd	*st = ctx;
	struct child	*c;
	unsigned	 counted = 0;
	int		 i, bad = 0;

	for (i = 0; i < CHILD_BUCKETS; i++)
		for (c = st->children[i]; c != NULL; c = c->next)
			counted += c->kind == CHILD_SERVER;
	if (counted != st->nchildren)
		bad++;
	for (i = 0; i < st->nlsts; i++)
		if (st->lsts[i]->svc != NULL &&
		    st->lsts[i]->svc->state == SVC_RETIRED)
			bad++;
	log_msg(bad ? LOG_ERR : LOG_INFO, "Consistency check %s (%u servers, "
	    "%u sessions, %d listeners)", bad ? "FAILED" : "passed",
	    st->nchildren, st->nsessions, st->nlsts);
	deadline_set_in(&st->timers, d, (long long)st->opt.cc_interval * 1000);
}

/* The grace period after SIGTERM is over: kill what did not stop. */
static void
inetd_term_expired(struct deadline *d, void *ctx)
{
	struct inetd	*st = ctx;

	(void)d;
	if (st->nchildren == 0)
		return;
	log_msg(LOG_WARNING, "killing %u server%s that did not stop",
	    st->nchildren, st->nchildren == 1 ? "" : "s");
	(void)children_signal(st, SIGKILL);
}

/* SIGTERM: stop listening, ask servers to stop, wait a little for them. */
static void
inetd_terminate(struct inetd *st)
{
	unsigned	n;

	st->terminating = 1;
	deadline_init(&st->term_timer, inetd_term_expired, NULL);
	deadline_set_in(&st->timers, &st->term_timer, TERM_GRACE * 1000LL);
	st->pollfd_dirty = 1;
	while (st->nlsts > 0)
		listen_close(st, st->lsts[0]);
	session_close_all(st);
	n = children_signal(st, SIGTERM);
	if (n > 0)
		log_msg(LOG_NOTICE, "sent SIGTERM to %u server%s", n,
		    n == 1 ? "" : "s");
}

static void
inetd_signals(struct inetd *st, uint64_t mask, enum quit *quit)
{
	if (SELFPIPE_HAS(mask, SIGCHLD))
		children_reap(st);
	if (SELFPIPE_HAS(mask, SIGQUIT)) {
		log_msg(LOG_WARNING, "Exiting (SIGQUIT); servers left running");
		*quit = QUIT_NOW;
		return;
	}
	if ((SELFPIPE_HAS(mask, SIGTERM) || SELFPIPE_HAS(mask, SIGINT)) &&
	    !st->terminating) {
		log_msg(LOG_WARNING, "Exiting...");
		inetd_terminate(st);
		*quit = QUIT_DRAIN;
	}
	if (st->terminating)
		return;
	if (SELFPIPE_HAS(mask, SIGHUP) || SELFPIPE_HAS(mask, SIGUSR2))
		inetd_reload(st);
	if (SELFPIPE_HAS(mask, SIGUSR1)) {
		if (dump_state(st, inetd_dumpfile(st)) == -1)
			log_warn("dump file %s", inetd_dumpfile(st));
		else
			log_info("state dumped to %s", inetd_dumpfile(st));
	}
}

static void
dispatch(struct inetd *st, struct pollset *ps, enum quit *quit)
{
	int	i;

	if (ps->pfd[0].revents & POLLIN)
		inetd_signals(st, selfpipe_drain(&st->sp), quit);
	if (*quit != QUIT_NO)
		return;
	for (i = 1; i < ps->n; i++) {
		short	rev = ps->pfd[i].revents;

		if (rev == 0)
			continue;
		if (ps->kind[i] == PK_LISTENER) {
			if (listener_alive(st, ps->tag[i]))
				listener_event(st, ps->tag[i]);
		} else if (ps->kind[i] == PK_SESSION)
			session_event(st, ps->tag[i], rev);
	}
}

/*
 * The poll loop.  After SIGTERM it runs on until the last server has
 * gone (reaping wakes it), the grace period being one more deadline in
 * the queue; SIGQUIT leaves at once.
 */
static void
loop(struct inetd *st)
{
	struct pollset	 ps;
	struct timespec	 now;
	enum quit	 quit = QUIT_NO;
	int		 r;

	memset(&ps, 0, sizeof(ps));
	for (;;) {
		if (quit == QUIT_NOW ||
		    (quit == QUIT_DRAIN && st->nchildren == 0))
			break;
		st->now = time(NULL);
		pollset_build(st, &ps);
		deadline_now(&now);
		r = poll(ps.pfd, (nfds_t)ps.n, deadline_timeout(&st->timers,
		    &now));
		if (r == -1 && errno != EINTR)
			fatal("poll");
		st->now = time(NULL);
		if (r > 0)
			dispatch(st, &ps, &quit);
		if (quit == QUIT_NOW)
			break;
		deadline_now(&now);
		(void)deadline_run(&st->timers, &now, st);
	}
	free(ps.pfd);
	free(ps.tag);
	free(ps.kind);
}

/* --- start-up ------------------------------------------------------------- */

static int
parse_number(const char *opt, const char *s, long long min, long long max)
{
	const char	*errstr;
	long long	 v;

	v = strtonum(s, min, max, &errstr);
	if (errstr != NULL) {
		fprintf(stderr, "inetd: %s: %s is %s\n", opt, s, errstr);
		exit(1);
	}
	return (int)v;
}

static const char *
word_arg(int *i, int argc, char *argv[])
{
	if (*i + 1 >= argc) {
		fprintf(stderr, "inetd: option %s needs an argument\n",
		    argv[*i]);
		usage(stderr, 1);
	}
	return argv[++*i];
}

static __dead void
bad_facility(const char *a)
{
	char	hint[128];

	fprintf(stderr, "inetd: -syslog: unknown facility %s%s\n", a,
	    conf_hint(hint, sizeof(hint), syslog_facility_nearest(a)));
	exit(1);
}

/*
 * A mistyped word option ("-dontfrok") would reach getopt(3) as a cluster
 * of letters and fail on the first unknown one; name the word it is near
 * instead.  A real cluster ("-dl", "-fxinetd.conf") is left to getopt.
 */
static void
check_word_option(const char *a)
{
	static const char *const words[] = { "-dontfork", "-stayalive",
	    "-version", "-filelog", "-pidfile", "-dumpfile", "-syslog",
	    "-limit", "-logprocs", "-cc", "-inetd_compat" };
	const char	*p, *near;

	if (a[0] != '-' || a[1] == '\0' || a[1] == '-')
		return;
	for (p = a + 1; *p != '\0' && strchr("dhilnV", *p) != NULL; p++)
		continue;
	if (*p == '\0' || strchr("DfpqRSW", *p) != NULL)
		return;
	if ((near = suggest_word(a, words, nitems(words))) == NULL)
		return;
	fprintf(stderr, "inetd: unknown option %s (did you mean %s?)\n", a,
	    near);
	usage(stderr, 1);
}

/*
 * xinetd's word options, taken out of argv before getopt(3) sees the
 * rest.  Returns the new argc.
 */
static int
word_options(struct opts *o, int argc, char *argv[])
{
	int	i, n = 1;

	for (i = 1; i < argc; i++) {
		const char	*a = argv[i];

		if (strcmp(a, "--") == 0) {
			for (; i < argc; i++)
				argv[n++] = argv[i];
			break;
		}
		if (strcmp(a, "-dontfork") == 0)
			o->foreground = o->stayalive = 1;
		else if (strcmp(a, "-stayalive") == 0)
			o->stayalive = 1;
		else if (strcmp(a, "-version") == 0)
			version();
		else if (strcmp(a, "-filelog") == 0)
			o->filelog = word_arg(&i, argc, argv);
		else if (strcmp(a, "-pidfile") == 0)
			o->pidfile = word_arg(&i, argc, argv);
		else if (strcmp(a, "-dumpfile") == 0)
			o->dumpfile = word_arg(&i, argc, argv);
		else if (strcmp(a, "-syslog") == 0) {
			a = word_arg(&i, argc, argv);
			if ((o->syslog_facility = syslog_facility_parse(a)) ==
			    -1)
				bad_facility(a);
		} else if (strcmp(a, "-limit") == 0)
			o->proc_limit = parse_number(a,
			    word_arg(&i, argc, argv), 1, INT_MAX);
		else if (strcmp(a, "-logprocs") == 0)
			o->logprocs = parse_number(a,
			    word_arg(&i, argc, argv), 1, INT_MAX);
		else if (strcmp(a, "-cc") == 0)
			o->cc_interval = parse_number(a,
			    word_arg(&i, argc, argv), 1, 86400);
		else if (strcmp(a, "-inetd_compat") == 0)
			o->copts.compat_file = INETD_BSD_CONF;
		else {
			check_word_option(a);
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
	o->syslog_facility = -1;
	o->backlog = 128;
	o->logprocs = LOGPROCS;
	argc = word_options(o, argc, argv);
	while ((ch = getopt(argc, argv, "dD:f:hilnp:q:R:S:VW:")) != -1) {
		switch (ch) {
		case 'd':
			o->debug = o->foreground = o->stayalive = 1;
			break;
		case 'D':
			o->dumpfile = optarg;
			break;
		case 'f':
			o->config = optarg;
			break;
		case 'h':
			usage(stdout, 0);
		case 'i':
			o->foreground = 1;
			break;
		case 'l':
			o->libwrap_all = 1;
			break;
		case 'n':
			o->check = 1;
			break;
		case 'p':
			o->pidfile = optarg;
			break;
		case 'q':
			o->backlog = parse_number("-q", optarg, 1, 65535);
			break;
		case 'R':
			o->copts.bsd_rate = parse_number("-R", optarg, 0,
			    INT_MAX);
			break;
		case 'S':
			if (strcmp(optarg, "xinetd") == 0)
				o->copts.syntax = SYNTAX_XINETD;
			else if (strcmp(optarg, "inetd") == 0)
				o->copts.syntax = SYNTAX_INETD;
			else {
				fprintf(stderr, "inetd: -S: syntax must be "
				    "xinetd or inetd, not %s\n", optarg);
				exit(1);
			}
			break;
		case 'V':
			version();
			break;
		case 'W':
			o->hostsdir = optarg;
			break;
		default:
			usage(stderr, 1);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage(stderr, 1);
	if (argc == 1) {
		if (o->config != NULL) {
			fprintf(stderr, "inetd: give the configuration file "
			    "with -f or as an operand, not both\n");
			exit(1);
		}
		o->config = argv[0];
	}
	if (o->config == NULL)
		o->config = access(INETD_CONF, F_OK) == 0 ? INETD_CONF :
		    INETD_BSD_CONF;
}

/* -n: report every problem, then a summary; exit 0 only if clean. */
static __dead void
check_config(struct inetd *st)
{
	struct conf	*cf = inetd_load(st);
	int		 rc = cf->nerrors > 0 || cf->nfiles == 0;

	if (st->opt.debug)
		dump_config(cf, stdout);
	printf("%s: %s syntax, %d service%s enabled, %d error%s, "
	    "%d warning%s\n", st->opt.config, conf_syntax_name(cf->syntax),
	    cf->nsvcs, cf->nsvcs == 1 ? "" : "s", cf->nerrors,
	    cf->nerrors == 1 ? "" : "s", cf->nwarnings,
	    cf->nwarnings == 1 ? "" : "s");
	conf_free(cf);
	exit(rc);
}

static void
setup_signals(struct inetd *st)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1,
	    SIGUSR2, SIGCHLD };
	size_t	i;

	if (selfpipe_init(&st->sp) == -1)
		fatal("pipe");
	for (i = 0; i < nitems(sigs); i++)
		if (selfpipe_catch(sigs[i], on_signal) == -1)
			fatal("sigaction");
	(void)signal(SIGPIPE, SIG_IGN);
}

/*
 * Detach: the parent waits until the child is ready (listening, pid file
 * written) and exits 0, so an init script knows the daemon is serving.
 */
static void
daemonize(struct inetd *st)
{
	int	ready;

	ready = detach_start();
	detach_stdio();
	write_pidfile(st);
	detach_done(ready, 1);
}

static void
setup_logging(struct inetd *st)
{
	if (st->opt.debug) {
		log_set_level(LOG_DEBUG);
		return;
	}
	/* Only -d keeps messages on stderr, as in xinetd and BSD inetd. */
	if (st->opt.filelog != NULL) {
		if (log_to_file(st->opt.filelog) == -1)
			fatal("log file %s", st->opt.filelog);
	} else
		log_to_syslog(st->opt.syslog_facility != -1 ?
		    st->opt.syslog_facility : LOG_DAEMON);
}

int
main(int argc, char *argv[])
{
	struct inetd	*st = &inetd;
	struct conf	*cf;
	int		 n;

	log_init(argv[0]);
	if (access_requested(argc, argv))
		return access_main(argc, argv);
	st->ident = strrchr(argv[0], '/') != NULL ?
	    strrchr(argv[0], '/') + 1 : argv[0];
	parse_options(&st->opt, argc, argv);
	st->baseenv = environ;
	st->now = st->started = time(NULL);
	deadline_queue_init(&st->timers);
	deadline_init(&st->accept_pause, accept_resume, NULL);
	if (st->opt.check)
		check_config(st);
	(void)umask(umask(022) | 022);	/* xinetd: the old umask OR 022 */
	setup_signals(st);
	cf = inetd_load(st);
	if (cf->nfiles == 0) {
		conf_free(cf);
		fatalx("%s: cannot read the configuration", st->opt.config);
	}
	if (cf->nerrors > 0)
		log_msg(LOG_WARNING, "%s: %d error%s; the services with "
		    "errors are disabled", st->opt.config, cf->nerrors,
		    cf->nerrors == 1 ? "" : "s");
	n = inetd_apply(st, cf);
	if (n == 0 && !st->opt.stayalive &&
	    st->conf->syntax == SYNTAX_XINETD) {
		log_msg(LOG_ERR, "no services. Exiting...");
		exit(1);
	}
	setup_logging(st);
	if (!st->opt.foreground)
		daemonize(st);
	else
		write_pidfile(st);
	if (st->opt.cc_interval > 0) {
		deadline_init(&st->cc_timer, consistency_check, st);
		deadline_set_in(&st->timers, &st->cc_timer,
		    (long long)st->opt.cc_interval * 1000);
	}
	log_msg(LOG_NOTICE, "inetd (%s) %s started: %d service%s listening",
	    PACKAGE_NAME, PACKAGE_VERSION, n, n == 1 ? "" : "s");
	loop(st);
	remove_pidfile(st);
	return 0;
}
