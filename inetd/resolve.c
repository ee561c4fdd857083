/*
 * resolve.c: a client's host name, looked up in a child of its own.
 *
 * Whoever owns a client's address owns its reverse zone, and can make a
 * lookup take the resolver's whole timeout (seconds, times the attempts,
 * times the name servers): the daemon never looks a client's name up
 * itself.  A child does, without privileges and holding no descriptor but
 * its pipe: the reverse lookup, then (when tcp_wrappers rules are to see
 * the name) common/hostsaccess's double check, and writes what it found
 * to the pipe, a line at a time:
 *
 *	W warning	a hostsaccess warning, escaped, for the daemon's log
 *	P name		the reverse lookup's answer ("P" alone: none)
 *	N name		the name the rules see: itself, "paranoid"
 *	E		the end
 *
 * A session of builtin.c holds the connection meanwhile, polls the pipe,
 * and at its deadline kills the child: what did not come by then counts
 * as a failed lookup ("unknown"; "paranoid" when only the double check
 * was missing), as the resolver's own failure would have.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "atomicio.h"
#include "compat.h"
#include "hostsaccess.h"
#include "inetd.h"
#include "log.h"
#include "privdrop.h"

#define RESOLVE_LINE	1024	/* longest warning line sent */

/* A line to the daemon, cut to RESOLVE_LINE. */
static void
resolve_put(int fd, char tag, const char *text)
{
	char	line[RESOLVE_LINE + 4];
	int	n;

	n = snprintf(line, sizeof(line), "%c%s%.*s\n", tag,
	    text[0] != '\0' ? " " : "", RESOLVE_LINE, text);
	if (n > 0)
		(void)atomicio_write(fd, line, strlen(line));
}

static void
resolve_diag(void *arg, int is_error, const char *msg)
{
	(void)is_error;
	resolve_put(*(int *)arg, 'W', msg);
}

/*
 * Nothing the lookup needs is root's: as root, be nobody (or 65534 when
 * there is no such user), or give up.
 */
static int
resolve_drop(void)
{
	struct privdrop_id	id;
	char			err[128];

	if (geteuid() != 0)
		return 0;
	if (privdrop_lookup("nobody", NULL, &id, err, sizeof(err)) == -1 &&
	    privdrop_lookup("65534", NULL, &id, err, sizeof(err)) == -1)
		return -1;
	return privdrop_apply_groups(&id, NULL, 0, err, sizeof(err));
}

static __dead void
resolve_child(struct conn *cp, int verify, int fd)
{
	struct hosts_request	rq;
	struct sockaddr_in	sin;
	const struct sockaddr	*sa = (struct sockaddr *)&cp->peer;
	const struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&cp->peer;
	char			ptr[NI_MAXHOST], name[NI_MAXHOST];

	spawn_reset_signals();
	if (dup2(fd, 3) == -1)
		_exit(1);
	fd = 3;
	closefrom(4);
	if (resolve_drop() == -1)
		_exit(1);
	/* An IPv4 client of a dual-stack socket is looked up as IPv4. */
	if (cp->peer.ss_family == AF_INET6 &&
	    IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		memcpy(&sin.sin_addr, &s6->sin6_addr.s6_addr[12], 4);
		sa = (struct sockaddr *)&sin;
	}
	memset(&rq, 0, sizeof(rq));
	rq.client_sa = sa;
	rq.diag = resolve_diag;
	rq.arg = &fd;
	if (hosts_lookup_name(&rq, ptr, sizeof(ptr)) == -1) {
		resolve_put(fd, 'P', "");
		resolve_put(fd, 'E', "");
		_exit(0);
	}
	resolve_put(fd, 'P', ptr);
	if (verify) {
		hosts_verify_name(&rq, ptr, name, sizeof(name));
		resolve_put(fd, 'N', name);
	}
	resolve_put(fd, 'E', "");
	_exit(0);
}

/*
 * Start looking up cp's client's name; verify: with the double check.
 * Returns 0, or -1 when no child could be started.
 */
int
resolve_start(struct inetd *st, struct service *sp, struct conn *cp,
    int verify, struct resolve *r)
{
	int	p[2];
	pid_t	pid;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->verify = verify;
	if (pipe2(p, O_CLOEXEC) == -1) {
		log_warn("service %s: pipe for a name lookup", sp->conf->id);
		return -1;
	}
	if ((pid = fork()) == -1) {
		log_warn("service %s: fork for a name lookup", sp->conf->id);
		(void)close(p[0]);
		(void)close(p[1]);
		return -1;
	}
	if (pid == 0) {
		(void)close(p[0]);
		resolve_child(cp, verify, p[1]);
	}
	(void)close(p[1]);
	(void)fcntl(p[0], F_SETFL, O_NONBLOCK);
	r->pid = pid;
	r->fd = p[0];
	inetd_child_add(st, pid, CHILD_RESOLVE, sp, cp, NULL);
	return 0;
}

/* Take what the child wrote; 1 once it is all there (or too much). */
int
resolve_read(struct resolve *r)
{
	ssize_t	n;

	for (;;) {
		if (r->len == sizeof(r->buf))
			return 1;
		n = read(r->fd, r->buf + r->len, sizeof(r->buf) - r->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : 1;
		if (n == 0)
			return 1;
		r->len += (size_t)n;
	}
}

/*
 * Put what the child found (all of it, or what came before the deadline)
 * into cp, and log its warnings.
 */
void
resolve_finish(struct service *sp, struct resolve *r, struct conn *cp)
{
	char	*line, *eol, *end = r->buf + r->len;
	int	 done = 0, ptr = 0, name = 0;

	for (line = r->buf; line < end &&
	    (eol = memchr(line, '\n', (size_t)(end - line))) != NULL;
	    line = eol + 1) {
		*eol = '\0';
		if (line[0] == 'W' && line[1] == ' ')
			log_msg(LOG_WARNING, "%s", line + 2);
		else if (line[0] == 'P' && !ptr) {
			ptr = 1;
			(void)strlcpy(cp->pn.ptr, line[1] == ' ' ? line + 2 :
			    "", sizeof(cp->pn.ptr));
		} else if (line[0] == 'N' && line[1] == ' ' && !name) {
			name = 1;
			(void)strlcpy(cp->pn.name, line + 2, sizeof(cp->pn.name));
		} else if (line[0] == 'E')
			done = 1;
	}
	if (!ptr)
		cp->pn.ptr[0] = '\0';
	if (!name)
		(void)strlcpy(cp->pn.name, cp->pn.ptr[0] == '\0' ? "unknown" :
		    "paranoid", sizeof(cp->pn.name));
	cp->pn.known = NAME_PTR | (r->verify ? NAME_VERIFIED : 0);
	if (!done)
		log_msg(LOG_NOTICE, "service %s: the name lookup for %s did "
		    "not end in time: %s", sp->conf->id, cp->host, !ptr ?
		    "no name" : "name not verified (paranoid)");
}

/* Stop waiting: the child, if it still runs, is killed. */
void
resolve_cancel(struct inetd *st, struct resolve *r)
{
	if (r->fd != -1)
		(void)close(r->fd);
	r->fd = -1;
	if (r->pid > 0)
		(void)inetd_child_signal(st, r->pid, SIGKILL);
	r->pid = 0;
}
