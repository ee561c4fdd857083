/*
 * wrap.c: tcp_wrappers for inetd's connections.
 *
 * The rules are common/hostsaccess's, read from the files named by -W,
 * by the hosts_allow and hosts_deny attributes, or /etc/hosts.allow and
 * /etc/hosts.deny, again on every check.  An external service is checked
 * in its server's child (reading the files and looking names up never
 * holds up the daemon) and the rule's options are carried out there, in
 * order, as tcpd carries them out: spawn runs and is waited for, twist
 * replaces the server, banners are sent, setenv, umask, nice and user
 * shape the server's process.  An internal service is checked in the
 * daemon, which forks for spawn and twist; a rule that needs the
 * client's user name there makes the daemon ask the client's identd
 * without waiting (a session in builtin.c) and check again, and one that
 * needs its host name has it looked up in a child (resolve.c) the same
 * way.
 *
 * The verdict is logged as tcpd logs it, to facility authpriv (where
 * auth.log and secure get it) at libwrap's severity or the rule's own:
 * always for a refusal, and for a connection a rule allowed.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "atomicio.h"
#include "hostsaccess.h"
#include "inetd.h"
#include "log.h"
#include "privdrop.h"
#include "wrap.h"
#include "xmalloc.h"

static void
wrap_diag(void *arg, int is_error, const char *msg)
{
	(void)arg;
	log_msg(is_error ? LOG_ERR : LOG_WARNING, "%s", msg);
}

/* aclexec: the command's exit status decides whether the rule matches. */
static int
wrap_aclexec(void *arg, const char *cmd)
{
	(void)arg;
	return hosts_shell_run(cmd);
}

/* The rule files for this configuration and command line. */
void
wrap_files(struct inetd *st)
{
	st->wrap_known = 0;
	free(st->wrap_allow);
	free(st->wrap_deny);
	if (st->opt.hostsdir != NULL) {
		(void)xasprintf(&st->wrap_allow, "%s/hosts.allow",
		    st->opt.hostsdir);
		(void)xasprintf(&st->wrap_deny, "%s/hosts.deny",
		    st->opt.hostsdir);
		return;
	}
	st->wrap_allow = xstrdup(st->conf != NULL &&
	    st->conf->def.hosts_allow != NULL ? st->conf->def.hosts_allow :
	    INETD_HOSTS_ALLOW);
	st->wrap_deny = xstrdup(st->conf != NULL &&
	    st->conf->def.hosts_deny != NULL ? st->conf->def.hosts_deny :
	    INETD_HOSTS_DENY);
}

/*
 * tcpd's line: "refused connect from HOST" at the deny severity, or
 * "connect from HOST" when a rule granted access.  syslog's ident stays
 * inetd's; the daemon name follows, as the rules saw it.
 */
static void
wrap_log(const struct service *sp, const struct hosts_verdict *v)
{
	char	raw[3 * HOSTS_STRLEN], line[4 * sizeof(raw)];
	int	pri;

	if (v->access == HOSTS_GRANTED && v->file == NULL)
		return;
	/* The user name is the client's identd's word: escape it. */
	pri = hosts_verdict_logline(v, LOG_AUTHPRIV, raw, sizeof(raw));
	(void)log_escape(line, sizeof(line), raw);
	syslog(pri, "%s (service %s, daemon %s)", line, sp->conf->id,
	    sp->conf->daemon);
	if (log_destination() != LOG_DEST_SYSLOG)
		log_msg(LOG_PRI(pri), "%s (service %s, daemon %s)", raw,
		    sp->conf->id, sp->conf->daemon);
}

/*
 * Whether a rule file holds no rule at all: every line blank or a
 * comment.  A missing file holds none.  Returns 1, 0, or -1 when it
 * cannot be read (the full check will say why).
 */
static int
wrap_file_empty(const char *path)
{
	FILE	*fp;
	char	 line[1024];
	size_t	 n;
	int	 empty = 1, cont = 0, bol = 1;

	if ((fp = fopen(path, "re")) == NULL)
		return errno == ENOENT ? 1 : -1;
	while (empty && fgets(line, sizeof(line), fp) != NULL) {
		n = strlen(line);
		/*
		 * A comment's continuation lines are parts of it.  Anything
		 * else that is not blank (an indented "#" too, a line too
		 * long to judge here) may be a rule: the full check decides.
		 */
		if (bol && !cont && line[0] != '#' &&
		    line[strspn(line, " \t\r\n")] != '\0')
			empty = 0;
		bol = n > 0 && line[n - 1] == '\n';
		cont = bol && n > 1 && line[n - 2] == '\\';
		/*
		 * A line without its newline, even a comment at the end of
		 * the file, makes libwrap stop reading (and deny, in
		 * hosts.deny): only the full check knows what follows.
		 */
		if (!bol)
			empty = 0;
	}
	if (ferror(fp))
		empty = -1;
	(void)fclose(fp);
	return empty;
}

static int
wrap_same_stat(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	    a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	    a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	    a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

static void
wrap_stat(const char *path, struct stat *sb)
{
	if (stat(path, sb) == -1) {
		memset(sb, 0, sizeof(*sb));
		sb->st_ino = (ino_t)-1;		/* "absent" */
	}
}

/*
 * Whether both rule files are free of rules, so every client is granted
 * with nothing to log or carry out: what the engine would decide after
 * reading them.  Asked per connection, as the rules are re-read per
 * connection; the files are read again only when their stat changes.
 */
int
wrap_trivial(struct inetd *st)
{
	struct stat	a, d;

	wrap_stat(st->wrap_allow, &a);
	wrap_stat(st->wrap_deny, &d);
	if (st->wrap_known && wrap_same_stat(&a, &st->wrap_allow_st) &&
	    wrap_same_stat(&d, &st->wrap_deny_st))
		return st->wrap_empty;
	st->wrap_allow_st = a;
	st->wrap_deny_st = d;
	st->wrap_known = 1;
	st->wrap_empty = wrap_file_empty(st->wrap_allow) == 1 &&
	    wrap_file_empty(st->wrap_deny) == 1;
	return st->wrap_empty;
}

/*
 * An IPv4 client of a dual-stack socket arrives as ::ffff:a.b.c.d; the
 * rules see it as the IPv4 address it is (xinetd turns such sockets into
 * IPv4 ones with IPV6_ADDRFORM for libwrap's sake).
 */
static const struct sockaddr *
wrap_unmap(const struct sockaddr_storage *ss, struct sockaddr_in *sin)
{
	const struct sockaddr_in6	*s6 = (const struct sockaddr_in6 *)ss;

	if (ss->ss_family != AF_INET6 ||
	    !IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
		return (const struct sockaddr *)ss;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = s6->sin6_port;
	memcpy(&sin->sin_addr, &s6->sin6_addr.s6_addr[12], 4);
	return (const struct sockaddr *)sin;
}

/*
 * Decide one connection.  The caller performs a granted verdict's actions
 * (wrap_child or wrap_daemon) and frees it.
 */
static enum wrap_result
wrap_decide(struct inetd *st, struct service *sp, struct conn *cp,
    const char *user, int flags, struct hosts_verdict *v)
{
	struct hosts_request	rq;
	struct sockaddr_in	cl4, sv4;

	memset(&rq, 0, sizeof(rq));
	rq.daemon = sp->conf->daemon;
	rq.client_sa = wrap_unmap(&cp->peer, &cl4);
	if (sp->conf->socktype == SOCK_STREAM && !sp->conf->wait)
		(void)spawn_conn_local(cp);
	if (cp->locallen > 0)
		rq.server_sa = wrap_unmap(&cp->local, &sv4);
	rq.allow_file = st->wrap_allow;
	rq.deny_file = st->wrap_deny;
	rq.user = user;
	rq.flags = flags;
	if (sp->conf->socktype != SOCK_STREAM)
		rq.flags |= HOSTS_NOIDENT;
	if ((flags & HOSTS_DEFERNAME) && (cp->pn.known & NAME_VERIFIED))
		rq.client_name = cp->pn.name;
	rq.diag = wrap_diag;
	rq.aclexec = wrap_aclexec;
	(void)hosts_access_check(&rq, v);
	if (v->name_wanted)
		return WRAP_ASKNAME;
	if (v->user_wanted)
		return WRAP_ASKUSER;
	wrap_log(sp, v);
	return v->access == HOSTS_GRANTED ? WRAP_GRANTED : WRAP_DENIED;
}

/* In a child, which may wait for the client's identd. */
enum wrap_result
wrap_check(struct inetd *st, struct service *sp, struct conn *cp,
    struct hosts_verdict *v)
{
	return wrap_decide(st, sp, cp, NULL, 0, v);
}

/*
 * In the daemon, which must not wait: without the client's ident answer
 * (user NULL) a rule that needs it gives WRAP_ASKUSER, and the caller
 * asks without blocking and checks again with the answer ("" for none).
 * The client's name likewise: until resolve.c has verified it (in cp),
 * a rule that needs it gives WRAP_ASKNAME.
 */
enum wrap_result
wrap_check_daemon(struct inetd *st, struct service *sp, struct conn *cp,
    const char *user, struct hosts_verdict *v)
{
	return wrap_decide(st, sp, cp, user, HOSTS_DEFERNAME |
	    (user == NULL ? HOSTS_DEFERIDENT : 0), v);
}

static void
wrap_sockopt(const struct hosts_action *a, int fd)
{
	struct linger	lg;
	int		one = 1;

	if (a->type == HOSTS_ACT_KEEPALIVE)
		(void)setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one,
		    sizeof(one));
	else if (a->type == HOSTS_ACT_LINGER) {
		lg.l_onoff = a->num != 0;
		lg.l_linger = (int)a->num;
		(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	}
}

/* An option that shapes the server's process, or its socket. */
static void
wrap_option(const struct hosts_action *a, int sockfd, struct wrap_server *ws)
{
	char	*kv;

	switch (a->type) {
	case HOSTS_ACT_SETENV:
		(void)xasprintf(&kv, "%s=%s", a->name, a->text);
		ws->setenv = xreallocarray(ws->setenv, (size_t)ws->nsetenv + 1,
		    sizeof(*ws->setenv));
		ws->setenv[ws->nsetenv++] = kv;
		break;
	case HOSTS_ACT_UMASK:
		ws->has_umask = 1;
		ws->umask = (mode_t)a->num;
		break;
	case HOSTS_ACT_NICE:
		ws->has_nice = 1;
		ws->nice = (int)a->num;
		break;
	case HOSTS_ACT_USER:
		ws->has_uid = 1;
		ws->uid = a->uid;
		ws->has_gid = 1;
		ws->gid = a->gid;
		ws->initgroups = !a->has_gid;
		ws->user = a->name;
		break;
	case HOSTS_ACT_GROUP:
		ws->has_gid = 1;
		ws->gid = a->gid;
		break;
	default:
		wrap_sockopt(a, sockfd);
		break;
	}
}

/*
 * Who a spawn command runs as: libwrap switches to the user (or group)
 * of an option when it reaches it, so every later option runs so.
 * NULL when no such option came before.
 */
static const struct privdrop_id *
wrap_identity(const struct wrap_server *ws, struct privdrop_id *id)
{
	if (!ws->has_uid && !ws->has_gid)
		return NULL;
	memset(id, 0, sizeof(*id));
	id->uid = ws->has_uid ? ws->uid : geteuid();
	id->gid = ws->has_gid ? ws->gid : getegid();
	if (ws->initgroups && ws->user != NULL)
		(void)strlcpy(id->name, ws->user, sizeof(id->name));
	return id;
}

void
wrap_server_free(struct wrap_server *ws)
{
	int	i;

	for (i = 0; i < ws->nsetenv; i++)
		free(ws->setenv[i]);
	free(ws->setenv);
	memset(ws, 0, sizeof(*ws));
}

/*
 * In the server's child: carry out the rule's options in order.  Those
 * that concern the server's process are left in *ws for spawn.c.
 */
void
wrap_child(struct hosts_verdict *v, int sockfd, struct wrap_server *ws)
{
	const struct hosts_action	*a;
	struct privdrop_id		 id;
	size_t				 i;

	memset(ws, 0, sizeof(*ws));
	for (i = 0; i < v->nactions; i++) {
		a = &v->actions[i];
		switch (a->type) {
		case HOSTS_ACT_SPAWN:
			(void)hosts_shell_run_as(a->value,
			    wrap_identity(ws, &id));
			break;
		case HOSTS_ACT_TWIST:
			ws->twist = a->value;
			return;		/* nothing after twist runs */
		case HOSTS_ACT_BANNER:
			(void)atomicio_write(sockfd, a->text, a->len);
			break;
		default:
			wrap_option(a, sockfd, ws);
			break;
		}
	}
}

/*
 * In the daemon, for an internal service: banners are sent without
 * blocking, spawn runs in a child of its own, and both spawn and twist
 * run as the user and with the settings of the options before them.
 * Returns the pid of a twist process that took the connection over, 0
 * when the internal service should go on, or -1 when a twist could not
 * be started.
 */
int
wrap_daemon(struct inetd *st, struct service *sp, struct conn *cp,
    struct hosts_verdict *v)
{
	const struct hosts_action	*a;
	struct wrap_server		 ws;
	struct privdrop_id		 id;
	size_t				 i;
	pid_t				 pid;

	memset(&ws, 0, sizeof(ws));
	for (i = 0; i < v->nactions; i++) {
		a = &v->actions[i];
		switch (a->type) {
		case HOSTS_ACT_SPAWN:
			if ((pid = fork()) == 0) {
				spawn_reset_signals();
				_exit(hosts_shell_run_as(a->value,
				    wrap_identity(&ws, &id)) == 0 ? 0 : 1);
			}
			if (pid > 0)
				inetd_child_add(st, pid, CHILD_SPAWN, sp, cp,
				    NULL);
			break;
		case HOSTS_ACT_TWIST:
			ws.twist = a->value;
			pid = spawn_twist(st, sp, cp, &ws);
			wrap_server_free(&ws);
			return pid;
		case HOSTS_ACT_BANNER:
			(void)send(cp->fd, a->text, a->len,
			    MSG_DONTWAIT | MSG_NOSIGNAL);
			break;
		default:
			wrap_option(a, cp->fd, &ws);
			break;
		}
	}
	wrap_server_free(&ws);
	return 0;
}
