/*
 * spawn.c: starting external servers.
 *
 * The classic order: the socket onto 0, 1 and 2, every other descriptor
 * closed (close_range, never a loop up to RLIMIT_NOFILE), signals back to
 * their defaults, a new session, resource limits, umask and nice, then
 * groups, gid and uid, and execve.
 *
 * Two ways.  When the child has nothing to do but system calls (no
 * tcp_wrappers check, no ident query, no redirect relay) the server is
 * started with vfork(2): the daemon's memory is neither copied nor torn
 * down, which measured some 8% more connections per second than fork(2).
 * Otherwise the daemon forks and goes straight back to its poll loop, and
 * the child does the slow work (reading the hosts files, name look-ups,
 * ident, the rules' spawn and twist, the relay) in parallel: doing the
 * tcp_wrappers check in the daemon and then vfork measured slower than
 * that on two CPUs.  posix_spawn(3) cannot change the user, and is
 * vfork(2) underneath anyway.  The supplementary groups are looked up
 * once per configuration, so the set-up after the fork is system calls
 * only.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <paths.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "atomicio.h"
#include "ident.h"
#include "inetd.h"
#include "log.h"
#include "privdrop.h"
#include "wrap.h"
#include "xmalloc.h"

#define ENV_CONN	8	/* per-connection variables */
#define IDENT_TIMEOUT	10	/* seconds, as xinetd's USERID lookup */
#define IDENT_MUST	30	/* seconds, with IDONLY */
#define REDIR_TIMEOUT	30	/* seconds to connect a redirect */
#define REDIR_BUF	16384

static const int rlimit_res[NRLIMITS] = {
	RLIMIT_AS, RLIMIT_CPU, RLIMIT_DATA, RLIMIT_NOFILE, RLIMIT_RSS,
	RLIMIT_STACK
};

static const int caught_signals[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGCHLD, SIGPIPE
};

struct spawnreq {
	const struct svcconf	*sc;
	int			 sockfd;
	char			**envp;
	int			 setcreds;
	/* Set by a vfork child, whose stores the compiler must not drop. */
	const char *volatile	 errwhat;
	volatile int		 err;
	char			 errbuf[128];
	int			 errfd;		/* the daemon's stderr, kept */
	const char		*twist;		/* tcp_wrappers: run this instead */
	char			*twistargv[4];
};

/* --- environment ---------------------------------------------------------- */

static int
env_name_is(const char *var, const char *const *names, size_t n)
{
	size_t	i, len;

	for (i = 0; i < n; i++) {
		len = strlen(names[i]);
		if (strncmp(var, names[i], len) == 0 && var[len] == '=')
			return 1;
	}
	return 0;
}

static const char *const conn_vars[] = {
	"REMOTE_HOST", "PROTO", "TCPREMOTEIP", "TCPREMOTEPORT", "TCPLOCALIP",
	"TCPLOCALPORT", "TCPREMOTEHOST", "TCPLOCALHOST"
};

/*
 * The environment a service's servers inherit, built once per
 * configuration: the daemon's own (or only the passenv names when that
 * is given), then env's additions, then ENV_CONN free slots where the
 * child puts its connection's variables.
 */
int
spawn_build_env(struct svcconf *sc, char **baseenv)
{
	char	**e;
	size_t	 n = 0, cap = 16;
	int	 i;

	for (i = 0; i < sc->nenvp; i++)
		free(sc->envp[i]);
	free(sc->envp);
	sc->envp = xreallocarray(NULL, cap + ENV_CONN, sizeof(char *));
	for (e = baseenv; e != NULL && *e != NULL; e++) {
		size_t	len = strcspn(*e, "=");
		int	keep = sc->passenv == NULL;

		for (i = 0; !keep && i < sc->npassenv; i++)
			keep = strlen(sc->passenv[i]) == len &&
			    strncmp(sc->passenv[i], *e, len) == 0;
		if (!keep || env_name_is(*e, conn_vars, nitems(conn_vars)))
			continue;
		for (i = 0; i < sc->nenv; i++)
			if (strncmp(sc->env[i], *e, len + 1) == 0)
				keep = 0;
		if (!keep)
			continue;
		if (n + 2 >= cap) {
			cap *= 2;
			sc->envp = xreallocarray(sc->envp, cap + ENV_CONN,
			    sizeof(char *));
		}
		sc->envp[n++] = xstrdup(*e);
	}
	for (i = 0; i < sc->nenv; i++) {
		if (n + 2 >= cap) {
			cap *= 2;
			sc->envp = xreallocarray(sc->envp, cap + ENV_CONN,
			    sizeof(char *));
		}
		sc->envp[n++] = xstrdup(sc->env[i]);
	}
	sc->envp[n] = NULL;
	sc->nenvp = (int)n;
	return 0;
}

/* REMOTE_HOST (xinetd) and the UCSPI-TCP variables, into vars[]. */
static int
spawn_conn_env(const struct svcconf *sc, struct conn *cp,
    char vars[ENV_CONN][96])
{
	char	local[64];
	int	n = 0;

	if (cp->haspeer)
		(void)snprintf(vars[n++], 96, "REMOTE_HOST=%s", cp->host);
	if (sc->socktype == SOCK_DGRAM) {
		(void)snprintf(vars[n++], 96, "PROTO=UDP");
		return n;
	}
	(void)snprintf(vars[n++], 96, "PROTO=TCP");
	if (!cp->haspeer)
		return n;
	(void)snprintf(vars[n++], 96, "TCPREMOTEIP=%s", cp->host);
	(void)snprintf(vars[n++], 96, "TCPREMOTEPORT=%d",
	    addr_sockaddr_port(&cp->peer));
	if (spawn_conn_local(cp) == 0 &&
	    addr_numeric((struct sockaddr *)&cp->local, local,
	    sizeof(local)) == 0) {
		(void)snprintf(vars[n++], 96, "TCPLOCALIP=%s", local);
		(void)snprintf(vars[n++], 96, "TCPLOCALPORT=%d",
		    addr_sockaddr_port(&cp->local));
	}
	return n;
}

/* --- the child --------------------------------------------------------- */

/*
 * The service's groups, gid and uid, and the proof that root cannot come
 * back; system calls only.  Returns the errno of a failure.
 */
static int
spawn_creds(struct spawnreq *rq)
{
	const struct svcconf	*sc = rq->sc;
	struct privdrop_id	 id;

	if (!rq->setcreds)
		return 0;
	memset(&id, 0, sizeof(id));
	id.uid = sc->uid;
	id.gid = sc->gid;
	if (privdrop_apply_groups(&id, sc->grouplist, sc->ngroups, rq->errbuf,
	    sizeof(rq->errbuf)) == -1) {
		rq->errwhat = rq->errbuf;
		return errno != 0 ? errno : EPERM;
	}
	return 0;
}

/*
 * The process state between fork and exec; system calls only.  Returns
 * the failing step's errno (the caller exits).
 */
static int
spawn_child_setup(struct spawnreq *rq)
{
	const struct svcconf	*sc = rq->sc;
	struct rlimit		 rl;
	size_t			 i;
	int			 fd;

	/*
	 * Keep the daemon's stderr (close-on-exec) to report a failed
	 * exec; and mark every other descriptor close-on-exec rather than
	 * closing it, so the log stays usable until the exec succeeds.
	 */
	rq->errfd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	rq->errwhat = "dup2";
	if (rq->sockfd >= 0) {
		fd = rq->sockfd;
		if (fd < 3 && (fd = fcntl(rq->sockfd, F_DUPFD, 3)) == -1)
			return errno;
		if (dup2(fd, 0) == -1 || dup2(fd, 1) == -1 || dup2(fd, 2) == -1)
			return errno;
		if (fd != rq->sockfd)
			(void)close(fd);
		if (rq->sockfd > 2)
			(void)close(rq->sockfd);
	}
#if defined(HAVE_CLOSE_RANGE) && HAVE_DECL_CLOSE_RANGE && \
    defined(CLOSE_RANGE_CLOEXEC)
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == -1)
#endif
	{
		closefrom(3);
		rq->errfd = -1;
	}
	(void)setsid();
	rq->errwhat = "setrlimit";
	for (i = 0; i < NRLIMITS; i++) {
		if (sc->rlim[i] == RLIM_INFINITY)
			continue;
		rl.rlim_cur = rl.rlim_max = sc->rlim[i];
		if (setrlimit(rlimit_res[i], &rl) == -1)
			return errno;
	}
	if (sc->specified & SPEC(A_UMASK))
		(void)umask(sc->umask);
	if (sc->specified & SPEC(A_NICE)) {
		errno = 0;
		(void)setpriority(PRIO_PROCESS, 0, sc->nice);
	}
	return spawn_creds(rq);
}

/* --- ident (RFC 1413) ------------------------------------------------------- */

/* The local end of the connection, which ident queries go out from. */
int
spawn_conn_local(struct conn *cp)
{
	if (cp->locallen > 0)
		return 0;
	cp->locallen = sizeof(cp->local);
	if (getsockname(cp->fd, (struct sockaddr *)&cp->local,
	    &cp->locallen) == -1) {
		cp->locallen = 0;
		return -1;
	}
	return 0;
}

/*
 * Ask the client's identd who it is and log "USERID: opsys : user".
 * Returns NULL when it answered; otherwise the reason, for a NOID line.
 */
static const char *
spawn_ident(struct service *sp, struct conn *cp, int timeout)
{
	struct ident	id;

	if (!cp->haspeer)
		return "no address";
	if (spawn_conn_local(cp) == -1)
		return "system error";
	ident_init(&id);
	if (ident_query(&id, (struct sockaddr *)&cp->peer,
	    (struct sockaddr *)&cp->local, timeout * 1000) != IDENT_DONE)
		return id.error;
	svclog_line(sp, "USERID", "%s", id.info);
	return NULL;
}

/* --- redirect ------------------------------------------------------------- */

static int
redir_pump(int from, int to, unsigned long long *count)
{
	char	buf[REDIR_BUF];
	ssize_t	n;

	n = read(from, buf, sizeof(buf));
	if (n <= 0)
		return -1;
	*count += (unsigned long long)n;
	return atomicio_write(to, buf, (size_t)n) == -1 ? -1 : 0;
}

/* The child side of "redirect = host port": relay until one side ends. */
static void
spawn_redirect(struct service *sp, int client)
{
	const struct svcconf	*sc = sp->conf;
	struct pollfd		 pfd[2];
	unsigned long long	 in = 0, out = 0;
	int			 srv, one = 1, r;

	srv = socket(sc->redir.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (srv == -1 || connect(srv, (const struct sockaddr *)&sc->redir,
	    sc->redirlen) == -1) {
		log_warn("service %s: cannot connect to the redirect target",
		    sc->id);
		_exit(1);
	}
	(void)setsockopt(srv, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	(void)setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (sc->flags & SF_KEEPALIVE)
		(void)setsockopt(srv, SOL_SOCKET, SO_KEEPALIVE, &one,
		    sizeof(one));
	pfd[0].fd = client;
	pfd[1].fd = srv;
	pfd[0].events = pfd[1].events = POLLIN;
	/*
	 * An end of file on one side is passed on as a half-close, and the
	 * other direction goes on until it ends too (xinetd stops at the
	 * first one, cutting off replies to clients that half-close).
	 */
	while (pfd[0].fd != -1 || pfd[1].fd != -1) {
		if ((r = poll(pfd, 2, -1)) == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (pfd[0].revents && redir_pump(client, srv, &in) == -1) {
			if (shutdown(srv, SHUT_WR) == -1 || pfd[1].fd == -1)
				break;
			pfd[0].fd = -1;
		}
		if (pfd[1].revents && redir_pump(srv, client, &out) == -1) {
			if (shutdown(client, SHUT_WR) == -1 || pfd[0].fd == -1)
				break;
			pfd[1].fd = -1;
		}
	}
	if (sc->log_success & LS_TRAFFIC)
		svclog_line(sp, "TRAFFIC", "in=%llu(bytes) out=%llu(bytes)", in,
		    out);
	_exit(0);
}

/* --- banners --------------------------------------------------------------- */

/*
 * Send a banner file as is.  The daemon never blocks on a client: it
 * writes what the socket takes at once (a fresh socket takes far more
 * than a banner), a forked child writes it all.
 */
void
spawn_banner(const char *path, int fd, int blocking)
{
	char	buf[8192];
	ssize_t	n, w;
	int	bfd;

	if (path == NULL)
		return;
	if ((bfd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		log_warn("banner %s", path);
		return;
	}
	while ((n = read(bfd, buf, sizeof(buf))) > 0) {
		if (blocking)
			w = atomicio_write(fd, buf, (size_t)n);
		else
			w = send(fd, buf, (size_t)n, MSG_DONTWAIT |
			    MSG_NOSIGNAL);
		if (w != n) {
			if (!blocking)
				log_debug("banner %s: client not reading; "
				    "cut short", path);
			break;
		}
	}
	(void)close(bfd);
}

/* --- starting a server ---------------------------------------------------- */

/* Default signal dispositions: for a child about to run a program. */
void
spawn_reset_signals(void)
{
	sigset_t	none;
	size_t		i;

	for (i = 0; i < nitems(caught_signals); i++)
		(void)signal(caught_signals[i], SIG_DFL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
}

/* tcp_wrappers' setenv: the service's environment with these in front. */
static void
spawn_setenv(struct svcconf *sc, char **add, int nadd)
{
	char	**envp;
	int	  i, j, n = 0;

	envp = xcalloc((size_t)sc->nenvp + (size_t)nadd + ENV_CONN + 1,
	    sizeof(*envp));
	for (i = 0; i < nadd; i++)
		envp[n++] = add[i];
	for (i = 0; i < sc->nenvp; i++) {
		size_t	len = strcspn(sc->envp[i], "=") + 1;

		for (j = 0; j < nadd; j++)
			if (strncmp(add[j], sc->envp[i], len) == 0)
				break;
		if (j == nadd)
			envp[n++] = sc->envp[i];
	}
	sc->envp = envp;
	sc->nenvp = n;
}

/* The user option of a rule: its uid, gid and (without a group) groups. */
static void
spawn_wrap_user(struct svcconf *sc, const struct wrap_server *ws)
{
	int	n = 64;

	if (ws->has_uid) {
		sc->uid = ws->uid;
		sc->user = (char *)(ws->user != NULL ? ws->user : "");
	}
	if (ws->has_gid)
		sc->gid = ws->gid;
	sc->grouplist = NULL;
	sc->ngroups = 0;
	if (ws->initgroups && ws->user != NULL) {
		sc->grouplist = xreallocarray(NULL, (size_t)n, sizeof(gid_t));
		if (getgrouplist(ws->user, sc->gid, sc->grouplist, &n) == -1)
			n = 0;
		sc->ngroups = n;
	}
}

/*
 * What a granted rule asks of the process that serves the connection:
 * its twist command, environment, umask, nice and user, on the child's
 * own copy of the service's configuration.
 */
static void
spawn_wrap_apply(struct svcconf *sc, struct spawnreq *rq,
    const struct wrap_server *ws)
{
	if (ws->twist != NULL) {
		rq->twist = xstrdup(ws->twist);
		rq->twistargv[0] = (char *)"sh";
		rq->twistargv[1] = (char *)"-c";
		rq->twistargv[2] = (char *)rq->twist;
		rq->twistargv[3] = NULL;
	}
	if (ws->nsetenv > 0)
		spawn_setenv(sc, ws->setenv, ws->nsetenv);
	if (ws->has_umask) {
		sc->umask = ws->umask;
		sc->specified |= SPEC(A_UMASK);
	}
	if (ws->has_nice) {
		sc->nice = ws->nice;
		sc->specified |= SPEC(A_NICE);
	}
	if (ws->has_uid || ws->has_gid) {
		spawn_wrap_user(sc, ws);
		rq->setcreds = geteuid() == 0;
	}
}

/*
 * tcp_wrappers, in the child as xinetd does it, so reading the hosts
 * files and looking names up never holds up the daemon.  A refusal is
 * logged (FAIL libwrap) and answered with banner_fail; a grant carries
 * out the rule's options, changing the child's copy of the service.
 */
static int
spawn_child_access(struct inetd *st, struct service *sp, struct conn *cp,
    struct svcconf *sc, struct spawnreq *rq)
{
	struct hosts_verdict	v;
	struct wrap_server	ws;

	if (!inetd_svc_wrapped(st, sc) || !cp->haspeer || wrap_trivial(st))
		return 0;
	if (wrap_check(st, sp, cp, &v) != WRAP_GRANTED) {
		svclog_fail(st, sp, cp, FAIL_LIBWRAP);
		if (sc->socktype == SOCK_STREAM && !sc->wait)
			spawn_banner(sc->banner_fail, cp->fd, 1);
		return -1;
	}
	wrap_child(&v, rq->sockfd, &ws);
	spawn_wrap_apply(sc, rq, &ws);
	return 0;
}

/*
 * The environment with this connection's variables added, in the slots
 * spawn_build_env() left free at the end of the service's array: this is
 * the child's own copy of it, and writing there costs no allocation.
 */
static char **
spawn_env(const struct svcconf *sc, struct conn *cp, char vars[ENV_CONN][96])
{
	char	**envp = sc->envp;
	int	  i, nv;

	nv = spawn_conn_env(sc, cp, vars);
	for (i = 0; i < nv; i++)
		envp[sc->nenvp + i] = vars[i];
	envp[sc->nenvp + nv] = NULL;
	return envp;
}

/*
 * The forked child: ident, access, banner, then the redirect relay or the
 * server (or a tcp_wrappers twist command).  It works on its own copy of
 * the service's configuration, which the access rule may change.
 */
static __dead void
spawn_child(struct inetd *st, struct service *sp, struct conn *cp,
    int sockfd)
{
	struct svcconf		 sc = *sp->conf;
	struct spawnreq		 rq;
	char			 vars[ENV_CONN][96];
	const char		*why, *prog;
	int			 e;

	spawn_reset_signals();
	memset(&rq, 0, sizeof(rq));
	rq.sc = &sc;
	rq.sockfd = sockfd;
	rq.errfd = -1;
	rq.setcreds = geteuid() == 0 && sc.user != NULL;
	if (sc.log_success & LS_USERID) {
		why = spawn_ident(sp, cp, (sc.flags & SF_IDONLY) ?
		    IDENT_MUST : IDENT_TIMEOUT);
		if (why != NULL && (sc.flags & SF_IDONLY)) {
			svclog_line(sp, "NOID", "%s %s", cp->host, why);
			_exit(0);
		}
	}
	if (spawn_child_access(st, sp, cp, &sc, &rq) == -1)
		_exit(0);
	if (sc.socktype == SOCK_STREAM && !sc.wait)
		spawn_banner(sc.banner_success, sockfd, 1);
	if (sc.redirlen > 0 && rq.twist == NULL) {
		/* The relay works for the service's user, never as root. */
		if ((e = spawn_creds(&rq)) != 0) {
			errno = e;
			log_warn("service %s: %s", sc.id, rq.errwhat);
			_exit(1);
		}
		spawn_redirect(sp, sockfd);
	}
	rq.envp = spawn_env(&sc, cp, vars);
	prog = rq.twist != NULL ? _PATH_BSHELL : sc.server;
	if ((e = spawn_child_setup(&rq)) == 0) {
		execve(prog, rq.twist != NULL ? rq.twistargv : sc.argv,
		    rq.envp);
		e = errno;
		rq.errwhat = "execve";
	}
	if (rq.errfd != -1)
		(void)dup2(rq.errfd, STDERR_FILENO);
	errno = e;
	log_warn("service %s: %s %s", sc.id, rq.errwhat, prog);
	_exit(127);
}

/*
 * A tcp_wrappers twist for an internal service: a child runs the command
 * on the connection instead, as the rule's options before the twist made
 * it (user, environment, umask, nice).  Returns its pid, or -1.
 */
pid_t
spawn_twist(struct inetd *st, struct service *sp, struct conn *cp,
    const struct wrap_server *ws)
{
	struct svcconf	 sc = *sp->conf;
	struct spawnreq	 rq;
	char		 vars[ENV_CONN][96];
	pid_t		 pid;
	int		 e;

	if ((pid = fork()) == 0) {
		spawn_reset_signals();
		memset(&rq, 0, sizeof(rq));
		rq.sc = &sc;
		rq.sockfd = cp->fd;
		rq.errfd = -1;
		rq.setcreds = geteuid() == 0 && sc.user != NULL;
		spawn_wrap_apply(&sc, &rq, ws);
		rq.envp = spawn_env(&sc, cp, vars);
		if ((e = spawn_child_setup(&rq)) == 0)
			execve(_PATH_BSHELL, rq.twistargv, rq.envp);
		_exit(127);
	}
	if (pid == -1)
		return -1;
	inetd_child_add(st, pid, CHILD_SERVER, sp, cp, NULL);
	svclog_start(sp, cp, pid);
	return pid;
}

/*
 * The fast way, for a server whose child needs to make system calls only
 * (the access rules decided in the daemon, no ident, no relay): vfork(2),
 * so the daemon's memory is neither copied nor torn down per connection.
 * Everything is prepared here, before the vfork.  Returns the pid or -1.
 */
static pid_t
spawn_vfork(struct service *sp, struct conn *cp, int sockfd)
{
	const struct svcconf	*sc = sp->conf;
	struct spawnreq		 rq;
	char			 vars[ENV_CONN][96];
	char			**envp;
	sigset_t		 all, old;
	pid_t			 pid;
	int			 i, nv;

	memset(&rq, 0, sizeof(rq));
	rq.sc = sc;
	rq.sockfd = sockfd;
	rq.errfd = -1;
	rq.setcreds = geteuid() == 0 && sc->user != NULL;
	nv = spawn_conn_env(sc, cp, vars);
	envp = xreallocarray(NULL, (size_t)sc->nenvp + (size_t)nv + 1,
	    sizeof(*envp));
	for (i = 0; i < sc->nenvp; i++)
		envp[i] = sc->envp[i];
	for (i = 0; i < nv; i++)
		envp[sc->nenvp + i] = vars[i];
	envp[sc->nenvp + nv] = NULL;
	rq.envp = envp;
	/* No handler of the daemon's may run in the child meanwhile. */
	sigfillset(&all);
	(void)sigprocmask(SIG_BLOCK, &all, &old);
	if ((pid = vfork()) == 0) {
		spawn_reset_signals();
		if ((rq.err = spawn_child_setup(&rq)) == 0) {
			execve(sc->server, sc->argv, rq.envp);
			rq.err = errno;
			rq.errwhat = "execve";
		}
		_exit(127);
	}
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid > 0 && rq.err != 0) {
		errno = rq.err;
		log_warn("service %s: %s %s", sc->id, rq.errwhat, sc->server);
	}
	free(envp);
	return pid;
}

/*
 * Start sp's server on sockfd.  Returns the pid, or SPAWN_FAILED when no
 * process could be started (the caller logs FAIL fork).  Without NORETRY
 * a fork that fails for want of memory or processes is tried three
 * times.  A server whose child has nothing to do but system calls (no
 * tcp_wrappers check, no ident, no relay) is started with vfork;
 * otherwise the child is a fork that does that work on its own time.
 */
pid_t
spawn_server(struct inetd *st, struct service *sp, struct conn *cp,
    int sockfd)
{
	const struct svcconf	*sc = sp->conf;
	int			 tries, fast;
	pid_t			 pid = -1;

	fast = sc->redirlen == 0 && !(sc->log_success & LS_USERID) &&
	    !(inetd_svc_wrapped(st, sc) && cp->haspeer && !wrap_trivial(st));
	for (tries = 0; tries < ((sc->flags & SF_NORETRY) ? 1 : 3); tries++) {
		if (fast) {
			if (sc->socktype == SOCK_STREAM && !sc->wait &&
			    tries == 0)
				spawn_banner(sc->banner_success, sockfd, 0);
			pid = spawn_vfork(sp, cp, sockfd);
		} else if ((pid = fork()) == 0)
			spawn_child(st, sp, cp, sockfd);
		if (pid != -1 || (errno != EAGAIN && errno != ENOMEM))
			break;
		log_warn("service %s: fork", sc->id);
	}
	return pid == -1 ? SPAWN_FAILED : pid;
}

/*
 * log_on_failure USERID: a refused client's identity is asked in a child
 * of its own, so the daemon never waits for a remote identd.  -logprocs
 * bounds how many run at once.
 */
void
spawn_userid_on_failure(struct inetd *st, struct service *sp,
    struct conn *cp)
{
	pid_t	pid;

	if (!cp->haspeer || sp->conf->socktype != SOCK_STREAM ||
	    (st->opt.logprocs > 0 && st->nuserid >= (unsigned)st->opt.logprocs))
		return;
	(void)spawn_conn_local(cp);
	if ((pid = fork()) == 0) {
		size_t	i;

		for (i = 0; i < nitems(caught_signals); i++)
			(void)signal(caught_signals[i], SIG_DFL);
		(void)spawn_ident(sp, cp, IDENT_TIMEOUT);
		_exit(0);
	}
	if (pid > 0)
		inetd_child_add(st, pid, CHILD_USERID, sp, cp, NULL);
}
