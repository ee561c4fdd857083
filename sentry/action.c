/*
 * action.c: what a block does to the system, and undoes: the hosts.deny
 * line, KILL_ROUTE and KILL_RUN_CMD in 1.2's order, the lines of the
 * blocked and history files, UNBLOCK_CMD; and the listing of blocks.
 *
 * Everything here runs to completion and may take time (a lock, an
 * fsync, a command of up to COMMAND_TIMEOUT_MS): the reporter calls it
 * only in a process of its own for each block (block.c), and "sentry -l"
 * and "sentry -u" call it directly.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "sentry.h"
#include "xmalloc.h"

#define COMMAND_TIMEOUT_MS	30000
#define REMOVED_MAX		16	/* entries of one host in one file */

static const char *
proto_name(int proto)
{
	return proto == IPPROTO_TCP ? "TCP" : "UDP";
}

/* The hosts.deny line of a host, as KILL_HOSTS_DENY makes it. */
static char *
deny_line(const struct sentry_conf *cf, const struct addr *a, int port,
    int mode)
{
	struct command_macros	m = { a, port, mode };

	return cf->kill_hosts_deny != NULL ?
	    command_expand(cf->kill_hosts_deny, &m, 1) : NULL;
}

static int
deny_add(const struct sentry_conf *cf, const struct history_entry *e,
    int mode, struct alerts *al)
{
	char	 err[512], addr[ADDR_STRLEN], *line;

	(void)addr_format(&e->addr, addr, sizeof(addr));
	if ((line = deny_line(cf, &e->addr, e->port, mode)) == NULL)
		return -1;
	if (record_append(cf->hosts_deny_file, line, 0644,
	    RECORD_ONCE | RECORD_SYNC, err, sizeof(err)) == -1) {
		log_msg(LOG_NOTICE, "adminalert: cannot open hosts.deny file: "
		    "%s for blocking.", err);
		log_msg(LOG_NOTICE, "securityalert: ERROR: There was an error "
		    "trying to block host %s", addr);
		free(line);
		return -1;
	}
	alerts_add(al, NULL, "attackalert: Host %s has been blocked "
	    "via wrappers with string: \"%s\"", addr, line);
	free(line);
	return 0;
}

static int
deny_match(const char *line, void *arg)
{
	return strcmp(line, (const char *)arg) == 0;
}

static void
deny_remove(const struct sentry_conf *cf, const struct addr *a, int port,
    int mode)
{
	char	 err[512], *line;

	if ((line = deny_line(cf, a, port, mode)) == NULL)
		return;
	if (record_remove(cf->hosts_deny_file, deny_match, line, err,
	    sizeof(err)) == -1)
		log_msg(LOG_NOTICE, "adminalert: ERROR: cannot remove the "
		    "hosts.deny line: %s", err);
	free(line);
}

/*
 * Run a command and wait for it.  Returns 0 when it ran (a non-zero exit
 * is logged, and counts as done, as in 1.2), -1 when it could not be run
 * or was stopped after COMMAND_TIMEOUT_MS.
 */
static int
action_command(const char *tmpl, const struct command_macros *m,
    const char *what, char **linep)
{
	char	 err[256], addr[ADDR_STRLEN];
	int	 status;

	*linep = command_expand(tmpl, m, 0);
	(void)addr_format(m->target, addr, sizeof(addr));
	status = command_run(tmpl, m, COMMAND_TIMEOUT_MS, err, sizeof(err));
	if (status == -1 || (WIFEXITED(status) && WEXITSTATUS(status) ==
	    127) || WIFSIGNALED(status)) {
		if (status == -1)
			log_msg(LOG_NOTICE, "adminalert: ERROR: \"%s\": %s",
			    *linep != NULL ? *linep : tmpl, err);
		log_msg(LOG_NOTICE, "adminalert: ERROR: There was an error "
		    "trying to %s (exec fail) %s", what, addr);
		return -1;
	}
	if (WEXITSTATUS(status) != 0)
		log_msg(LOG_NOTICE, "adminalert: command \"%s\" exited with "
		    "status %d", *linep != NULL ? *linep : tmpl,
		    WEXITSTATUS(status));
	return 0;
}

static int
action_route(const struct sentry_conf *cf, const struct history_entry *e,
    int mode, struct alerts *al)
{
	struct command_macros	 m = { &e->addr, e->port, mode };
	const char		*tmpl = cf->kill_route;
	char			 addr[ADDR_STRLEN], *line;
	int			 r;

	if (e->addr.family == AF_INET6 && cf->kill_route6 != NULL)
		tmpl = cf->kill_route6;
	if (tmpl == NULL)
		return 0;
	if ((r = action_command(tmpl, &m, "block host", &line)) == 0)
		alerts_add(al, NULL, "attackalert: Host %s has been "
		    "blocked via dropped route using command: \"%s\"",
		    addr_format(&e->addr, addr, sizeof(addr)), line);
	free(line);
	return r;
}

static int
action_run(const struct sentry_conf *cf, const struct history_entry *e,
    int mode, struct alerts *al)
{
	struct command_macros	 m = { &e->addr, e->port, mode };
	char			 addr[ADDR_STRLEN], *line;
	int			 r;

	if (cf->kill_run_cmd == NULL)
		return 0;
	if ((r = action_command(cf->kill_run_cmd, &m, "run command",
	    &line)) == 0)
		alerts_add(al, NULL, "attackalert: External command run "
		    "for host: %s using command: \"%s\"",
		    addr_format(&e->addr, addr, sizeof(addr)), line);
	free(line);
	return r;
}

/* The line of a report to the history file, and to the blocked file. */
void
action_record(const struct sentry_conf *cf, const struct history_entry *e,
    int mode, int blocked, int flags)
{
	char	 line[RECORD_LINE_MAX], err[512], *path;

	if (history_format(line, sizeof(line), e) == -1)
		return;
	if (blocked) {
		path = history_blocked_path(cf, mode);
		if (record_append(path, line, BLOCKED_MODE, flags, err,
		    sizeof(err)) == -1)
			log_msg(LOG_NOTICE, "adminalert: ERROR: Cannot open "
			    "blocked file: %s.", err);
		free(path);
	}
	if (record_append(cf->history_file, line, HISTORY_MODE, flags, err,
	    sizeof(err)) == -1)
		log_msg(LOG_NOTICE, "adminalert: ERROR: Cannot open history "
		    "file: %s.", err);
}

/*
 * Block a host: hosts.deny, KILL_ROUTE, then KILL_RUN_CMD (first, with
 * KILL_RUN_CMD_FIRST), or only KILL_RUN_CMD for level 2; the block is
 * recorded only when every step worked.  Returns 0 then, -1 otherwise.
 */
int
action_block(const struct sentry_conf *cf, const struct history_entry *e,
    int mode, int level, struct alerts *al)
{
	char	addr[ADDR_STRLEN];
	int	ok = 0;

	if (level == 2)
		ok |= action_run(cf, e, mode, al);
	else {
		if (cf->run_cmd_first)
			ok |= action_run(cf, e, mode, al);
		if (cf->kill_hosts_deny != NULL)
			ok |= deny_add(cf, e, mode, al);
		ok |= action_route(cf, e, mode, al);
		if (!cf->run_cmd_first)
			ok |= action_run(cf, e, mode, al);
	}
	if (ok == 0) {
		action_record(cf, e, mode, 1, RECORD_SYNC);
		return 0;
	}
	(void)addr_format(&e->addr, addr, sizeof(addr));
	if (mode_is_classic(mode))
		alerts_add(al, NULL, "attackalert: ERROR: Could not "
		    "block host %s !!", addr);
	else
		alerts_add(al, NULL, "attackalert: ERROR: Could not "
		    "block host %s/%s !!", e->name, addr);
	return -1;
}

/* --- removing blocks: sentry -u and BLOCK_TIMEOUT ----------------------- */

struct unrecord {
	const struct addr	*addr;
	struct history_entry	 removed[REMOVED_MAX];
	int			 n;
};

static int
unrecord_match(const char *line, void *arg)
{
	struct unrecord		*u = arg;
	struct history_entry	 e;

	if (history_parse(line, &e) == -1 || addr_cmp(&e.addr, u->addr) != 0)
		return 0;
	if (u->n < REMOVED_MAX)
		u->removed[u->n++] = e;
	return 1;
}

/*
 * Take the host out of the blocked files of every mode, then undo what
 * those entries did: the hosts.deny line, then UNBLOCK_CMD.  Only what
 * this call removed is undone, so that a timer and a hand racing for the
 * same block undo it once.  Returns the number of entries removed, 0
 * when there were none, or -1.
 */
int
action_unblock(const struct sentry_conf *cf, const struct addr *a,
    const char *why, struct alerts *al)
{
	struct command_macros	 m;
	struct unrecord		 u;
	char			 err[512], addr[ADDR_STRLEN], *path, *line;
	int			 mode, i, n = 0, rc = 0;

	for (mode = 0; mode < MODE_COUNT; mode++) {
		memset(&u, 0, sizeof(u));
		u.addr = a;
		path = history_blocked_path(cf, mode);
		if (record_remove(path, unrecord_match, &u, err,
		    sizeof(err)) == -1) {
			log_msg(LOG_NOTICE, "adminalert: ERROR: %s", err);
			rc = -1;
		}
		free(path);
		for (i = 0; i < u.n; i++, n++) {
			deny_remove(cf, a, u.removed[i].port, mode);
			if (cf->unblock_cmd == NULL)
				continue;
			m.target = a;
			m.port = u.removed[i].port;
			m.mode = mode;
			(void)action_command(cf->unblock_cmd, &m,
			    "unblock host", &line);
			free(line);
		}
	}
	if (n == 0)
		return rc;
	alerts_add(al, NULL, "attackalert: Host %s has been unblocked "
	    "%s", addr_format(a, addr, sizeof(addr)), why);
	return n;
}

/* --- listing ---------------------------------------------------------------- */

struct listing {
	const struct sentry_conf	*cf;
	FILE				*fp;
	int				 mode;
};

static int
list_line(const char *line, void *arg)
{
	struct listing		*l = arg;
	struct history_entry	 e;
	char			 addr[ADDR_STRLEN], since[32], until[40];
	struct tm		 tm;
	time_t			 t;

	if (history_parse(line, &e) == -1)
		return 0;
	t = e.when;
	(void)localtime_r(&t, &tm);
	(void)strftime(since, sizeof(since), "%Y-%m-%d %H:%M:%S", &tm);
	until[0] = '\0';
	if (l->cf->block_timeout > 0) {
		t += l->cf->block_timeout;
		(void)localtime_r(&t, &tm);
		(void)strftime(until, sizeof(until), " until %Y-%m-%d "
		    "%H:%M:%S", &tm);
	}
	fprintf(l->fp, "%s %s %s %d since %s%s\n", addr_format(&e.addr, addr,
	    sizeof(addr)), mode_name(l->mode), proto_name(e.proto), e.port,
	    since, until);
	return 0;
}

/* sentry -l: every block in every mode's file. */
void
action_list(const struct sentry_conf *cf, FILE *fp)
{
	struct listing	 l;
	char		*path;

	l.cf = cf;
	l.fp = fp;
	for (l.mode = 0; l.mode < MODE_COUNT; l.mode++) {
		path = history_blocked_path(cf, l.mode);
		(void)record_read(path, list_line, &l);
		free(path);
	}
}
