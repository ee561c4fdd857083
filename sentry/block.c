/*
 * block.c: what the reporter does about a host once it is reported:
 * hosts.deny, KILL_ROUTE and KILL_RUN_CMD in 1.2's order, the blocked and
 * history files, BLOCK_TIMEOUT, and removing a block by hand.
 *
 * Blocks run as jobs, one step at a time and one command at a time, so
 * that the reporter keeps logging while a route command runs; a command
 * that hangs is stopped after COMMAND_TIMEOUT_MS.  A host counts as
 * blocked from the moment its block starts, and stays so while its lines
 * are in the blocked files: those files are the record, read again when
 * somebody else (sentry -u) changes them.
 *
 * Where 1.2 goes wrong, this does not: a host is "already blocked" only
 * when its own address is in the table, never because its text is part
 * of another's; BLOCK_TCP="0" records no block, so it never keeps a later
 * block from happening; and hosts.deny gets a host's line once, however
 * many modes or restarts see it.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "log.h"
#include "sentry.h"
#include "xmalloc.h"

#define BLOCK_HOSTS_MAX		65536	/* blocked at once */
#define REPORTED_MAX		4096	/* reported, not blocked, remembered */
#define COMMAND_TIMEOUT_MS	30000
#define RETRY_MS		10000	/* after a failed block */
#define REMOVED_MAX		16	/* entries of one host in one file */

enum { H_BLOCKING = 1, H_BLOCKED };

struct bhost {				/* a host blocked, or being blocked */
	int		 state;
	time_t		 since;
	int		 port, proto, mode;
	struct deadline	 expire;	/* BLOCK_TIMEOUT */
};

struct rhost {				/* reported, not (yet) blocked */
	time_t		 recorded[2];	/* history written: BLOCK_x="0" */
	int64_t		 retry_ms;	/* a block failed: not before */
};

enum step { S_DENY, S_ROUTE, S_CMD, S_UNDENY, S_UNBLOCK };

struct job {
	struct job		*next;
	struct block		*b;
	int			 unblock;
	struct history_entry	 e;
	int			 mode;
	struct timespec		 ts;
	enum step		 steps[3];
	int			 nsteps, step;
	int			 failed;
	pid_t			 pid;
	char			*cmdline;
	struct deadline		 timeout;
	char			 why[64];	/* of an unblock */
};

struct block {
	const struct sentry_conf *cf;
	unsigned		  modes;
	FILE			 *events;
	struct deadline_queue	 *timers;
	struct hosttab		 *hosts;	/* struct bhost */
	struct hosttab		 *reported;	/* struct rhost */
	struct job		 *head, *tail;
	struct stat		  fst[MODE_COUNT];
};

static void	block_run(struct block *);
static void	block_reload(struct block *);
static void	block_unblock(struct block *, const struct addr *,
		    const char *);

static int64_t
mono_ms(void)
{
	struct timespec	now;

	deadline_now(&now);
	return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static const char *
proto_name(int proto)
{
	return proto == IPPROTO_TCP ? "TCP" : "UDP";
}

/* --- the blocked files as the record ---------------------------------------- */

static int
same_stat(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	    a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Remember the files as they are now, after a change of ours. */
static void
block_files_seen(struct block *b)
{
	char	*path;
	int	 m;

	for (m = 0; m < MODE_COUNT; m++) {
		if ((b->modes & MODE_BIT(m)) == 0)
			continue;
		path = history_blocked_path(b->cf, m);
		if (record_stat(path, &b->fst[m]) == -1)
			memset(&b->fst[m], 0, sizeof(b->fst[m]));
		free(path);
	}
}

/* Read the files again if anybody else changed them. */
void
block_files_changed(struct block *b)
{
	struct stat	 st;
	char		*path;
	int		 m, changed = 0;

	for (m = 0; m < MODE_COUNT && !changed; m++) {
		if ((b->modes & MODE_BIT(m)) == 0)
			continue;
		path = history_blocked_path(b->cf, m);
		if (record_stat(path, &st) == -1)
			memset(&st, 0, sizeof(st));
		changed = !same_stat(&st, &b->fst[m]);
		free(path);
	}
	if (changed)
		block_reload(b);
}

static void
block_expire(struct deadline *d, void *ctx)
{
	struct block	*b = ctx;
	struct bhost	*bh = d->arg;
	struct addr	 a = *hosttab_key(bh);
	char		 why[64];

	(void)snprintf(why, sizeof(why), "after %d second%s (BLOCK_TIMEOUT)",
	    b->cf->block_timeout, b->cf->block_timeout == 1 ? "" : "s");
	hosttab_del(b->hosts, &a);	/* its deadline is off the queue */
	block_unblock(b, &a, why);
}

static void
block_arm(struct block *b, struct bhost *bh)
{
	long long	left;

	deadline_init(&bh->expire, block_expire, bh);
	if (b->cf->block_timeout == 0)
		return;
	left = (long long)bh->since + b->cf->block_timeout - time(NULL);
	deadline_set_in(b->timers, &bh->expire, left > 0 ? left * 1000 : 0);
}

struct reload {
	struct block	*b;
	struct hosttab	*seen;
	int		 mode;
};

static int
reload_line(const char *line, void *arg)
{
	struct reload		*rl = arg;
	struct history_entry	 e;
	struct bhost		*bh;
	int			 isnew;

	if (history_parse(line, &e) == -1)
		return 0;
	(void)hosttab_get(rl->seen, &e.addr, &isnew, 0);
	bh = hosttab_get(rl->b->hosts, &e.addr, &isnew, 0);
	if (bh == NULL || !isnew)
		return 0;
	bh->state = H_BLOCKED;
	bh->since = e.when;
	bh->port = e.port;
	bh->proto = e.proto;
	bh->mode = rl->mode;
	block_arm(rl->b, bh);
	return 0;
}

static void
reload_forget(void *data, void *arg)
{
	struct reload	*rl = arg;
	struct bhost	*bh = data;
	struct addr	 a = *hosttab_key(bh);

	if (bh->state != H_BLOCKED || hosttab_find(rl->seen, &a) != NULL)
		return;
	deadline_clear(rl->b->timers, &bh->expire);
	hosttab_del(rl->b->hosts, &a);
}

/* The files are the record: the table follows them. */
static void
block_reload(struct block *b)
{
	struct reload	 rl;
	char		*path;

	rl.b = b;
	rl.seen = hosttab_new(BLOCK_HOSTS_MAX, 1);
	for (rl.mode = 0; rl.mode < MODE_COUNT; rl.mode++) {
		if ((b->modes & MODE_BIT(rl.mode)) == 0)
			continue;
		path = history_blocked_path(b->cf, rl.mode);
		(void)record_read(path, reload_line, &rl);
		free(path);
	}
	hosttab_foreach(b->hosts, reload_forget, &rl);
	hosttab_free(rl.seen);
	block_files_seen(b);
}

/* --- a host's lines ------------------------------------------------------------ */

static void
block_record(struct block *b, const struct job *j)
{
	char	 line[RECORD_LINE_MAX], err[512], *path;

	if (history_format(line, sizeof(line), &j->e) == -1)
		return;
	path = history_blocked_path(b->cf, j->mode);
	if (record_append(path, line, BLOCKED_MODE, 0, err, sizeof(err)) == -1)
		log_msg(LOG_NOTICE, "adminalert: ERROR: Cannot open blocked "
		    "file: %s.", err);
	free(path);
	block_files_seen(b);
	if (record_append(b->cf->history_file, line, HISTORY_MODE, 0, err,
	    sizeof(err)) == -1)
		log_msg(LOG_NOTICE, "adminalert: ERROR: Cannot open history "
		    "file: %s.", err);
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
deny_add(struct block *b, struct job *j)
{
	char	 err[512], addr[ADDR_STRLEN], *line;

	(void)addr_format(&j->e.addr, addr, sizeof(addr));
	if ((line = deny_line(b->cf, &j->e.addr, j->e.port, j->mode)) ==
	    NULL)
		return -1;
	if (record_append(b->cf->hosts_deny_file, line, 0644, 1, err,
	    sizeof(err)) == -1) {
		log_msg(LOG_NOTICE, "adminalert: cannot open hosts.deny file: "
		    "%s for blocking.", err);
		log_msg(LOG_NOTICE, "securityalert: ERROR: There was an error "
		    "trying to block host %s", addr);
		free(line);
		return -1;
	}
	report_alert(b->events, NULL, "attackalert: Host %s has been blocked "
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

/* --- jobs --------------------------------------------------------------------- */

static struct job *
job_new(struct block *b, const struct history_entry *e, int mode)
{
	struct job	*j = xcalloc(1, sizeof(*j));

	j->b = b;
	j->e = *e;
	j->mode = mode;
	j->pid = -1;
	deadline_init(&j->timeout, NULL, j);
	if (b->tail != NULL)
		b->tail->next = j;
	else
		b->head = j;
	b->tail = j;
	return j;
}

static const char *
job_template(const struct block *b, const struct job *j)
{
	const struct sentry_conf	*cf = b->cf;

	switch (j->steps[j->step]) {
	case S_ROUTE:
		return j->e.addr.family == AF_INET6 && cf->kill_route6 !=
		    NULL ? cf->kill_route6 : cf->kill_route;
	case S_CMD:
		return cf->kill_run_cmd;
	case S_UNBLOCK:
		return cf->unblock_cmd;
	default:
		return NULL;
	}
}

static void
job_timeout(struct deadline *d, void *ctx)
{
	struct job	*j = d->arg;

	(void)ctx;
	if (j->pid > 0) {
		log_msg(LOG_NOTICE, "adminalert: ERROR: command \"%s\" still "
		    "running after %d seconds: stopped", j->cmdline,
		    COMMAND_TIMEOUT_MS / 1000);
		(void)kill(-j->pid, SIGKILL);
	}
}

/* Start the command of the current step; 0 when it runs. */
static int
job_spawn(struct block *b, struct job *j)
{
	struct command_macros	 m = { &j->e.addr, j->e.port, j->mode };
	const char		*tmpl = job_template(b, j);
	char			 err[256];

	free(j->cmdline);
	if ((j->cmdline = command_expand(tmpl, &m, 0)) == NULL)
		j->cmdline = xstrdup(tmpl);
	if ((j->pid = command_spawn(tmpl, &m, err, sizeof(err))) == -1) {
		log_msg(LOG_NOTICE, "adminalert: ERROR: cannot run \"%s\": %s",
		    j->cmdline, err);
		return -1;
	}
	deadline_init(&j->timeout, job_timeout, j);
	deadline_set_in(b->timers, &j->timeout, COMMAND_TIMEOUT_MS);
	return 0;
}

static void
job_finish_block(struct block *b, struct job *j)
{
	struct bhost	*bh = hosttab_find(b->hosts, &j->e.addr);
	struct rhost	*rh;
	char		 addr[ADDR_STRLEN];
	int		 isnew;

	(void)addr_format(&j->e.addr, addr, sizeof(addr));
	if (j->failed || bh == NULL) {
		if (mode_is_classic(j->mode))
			report_alert(b->events, NULL, "attackalert: ERROR: "
			    "Could not block host %s !!", addr);
		else
			report_alert(b->events, NULL, "attackalert: ERROR: "
			    "Could not block host %s/%s !!", j->e.name, addr);
		hosttab_del(b->hosts, &j->e.addr);
		if ((rh = hosttab_get(b->reported, &j->e.addr, &isnew, 1)) !=
		    NULL)
			rh->retry_ms = mono_ms() + RETRY_MS;
		return;
	}
	bh->state = H_BLOCKED;
	block_record(b, j);
	block_arm(b, bh);
}

static void
job_finish(struct block *b, struct job *j)
{
	char	addr[ADDR_STRLEN];

	if (!j->unblock)
		job_finish_block(b, j);
	else
		report_alert(b->events, NULL, "attackalert: Host %s has been "
		    "unblocked %s", addr_format(&j->e.addr, addr, sizeof(addr)),
		    j->why);
	b->head = j->next;
	if (b->tail == j)
		b->tail = NULL;
	free(j->cmdline);
	free(j);
}

/* The step that needs no command, done at once; -1 if it failed. */
static int
job_sync_step(struct block *b, struct job *j)
{
	switch (j->steps[j->step]) {
	case S_DENY:
		return deny_add(b, j);
	case S_UNDENY:
		deny_remove(b->cf, &j->e.addr, j->e.port, j->mode);
		return 0;
	default:
		return 1;	/* a command */
	}
}

/* Run steps until one waits for its command or all jobs are done. */
static void
block_run(struct block *b)
{
	struct job	*j;
	int		 r;

	while ((j = b->head) != NULL && j->pid <= 0) {
		if (j->step >= j->nsteps) {
			job_finish(b, j);
			continue;
		}
		if ((r = job_sync_step(b, j)) == 1) {
			if (job_template(b, j) != NULL && job_spawn(b, j) == 0)
				return;
			if (job_template(b, j) != NULL)
				j->failed = 1;
		} else if (r == -1)
			j->failed = 1;
		j->step++;
	}
}

/* The command of the head job ended. */
void
block_child(struct block *b, pid_t pid, int status)
{
	struct job	*j = b->head;
	char		 addr[ADDR_STRLEN];
	int		 route;

	if (j == NULL || j->pid != pid)
		return;
	deadline_clear(b->timers, &j->timeout);
	j->pid = -1;
	route = j->steps[j->step] == S_ROUTE;
	(void)addr_format(&j->e.addr, addr, sizeof(addr));
	if (WIFSIGNALED(status) || (WIFEXITED(status) &&
	    WEXITSTATUS(status) == 127)) {
		log_msg(LOG_NOTICE, "adminalert: ERROR: There was an error "
		    "trying to %s (exec fail) %s", route ? "block host" :
		    "run command", addr);
		if (!j->unblock)
			j->failed = 1;
	} else {
		if (WEXITSTATUS(status) != 0)
			log_msg(LOG_NOTICE, "adminalert: command \"%s\" exited "
			    "with status %d", j->cmdline, WEXITSTATUS(status));
		if (route)
			report_alert(b->events, NULL, "attackalert: Host %s "
			    "has been blocked via dropped route using command: "
			    "\"%s\"", addr, j->cmdline);
		else if (j->steps[j->step] == S_CMD)
			report_alert(b->events, NULL, "attackalert: External "
			    "command run for host: %s using command: \"%s\"",
			    addr, j->cmdline);
	}
	j->step++;
	block_run(b);
}

int
block_busy(const struct block *b)
{
	return b->head != NULL;
}

/* --- a reported host --------------------------------------------------------- */

/*
 * BLOCK_x="0": a history line for fail2ban, once per host and protocol
 * (again after BLOCK_TIMEOUT), and nothing blocked.
 */
static void
block_log_only(struct block *b, const struct sentry_event *ev,
    const struct history_entry *e)
{
	struct rhost	*rh;
	char		 line[RECORD_LINE_MAX], err[512];
	time_t		 now = time(NULL), *rec;
	int		 isnew;

	rh = hosttab_get(b->reported, &ev->src, &isnew, 1);
	rec = &rh->recorded[ev->proto == IPPROTO_TCP ? 0 : 1];
	if (*rec != 0 && (b->cf->block_timeout == 0 ||
	    now < *rec + b->cf->block_timeout))
		return;
	*rec = now;
	report_alert(b->events, &ev->ts, "attackalert: Ignoring %s response "
	    "per configuration file setting.", proto_name(ev->proto));
	if (history_format(line, sizeof(line), e) == 0 &&
	    record_append(b->cf->history_file, line, HISTORY_MODE, 0, err,
	    sizeof(err)) == -1)
		log_msg(LOG_NOTICE, "adminalert: ERROR: Cannot open history "
		    "file: %s.", err);
}

static void
block_start(struct block *b, const struct sentry_event *ev,
    const struct history_entry *e, int level)
{
	const struct sentry_conf	*cf = b->cf;
	struct bhost			*bh;
	struct job			*j;
	int				 isnew;

	if ((bh = hosttab_get(b->hosts, &ev->src, &isnew, 0)) == NULL) {
		log_msg(LOG_NOTICE, "adminalert: ERROR: %d hosts are blocked "
		    "already; %s/%s is not", BLOCK_HOSTS_MAX, e->name,
		    e->name);
		return;
	}
	bh->state = H_BLOCKING;
	bh->since = e->when;
	bh->port = e->port;
	bh->proto = e->proto;
	bh->mode = ev->mode;
	deadline_init(&bh->expire, block_expire, bh);
	j = job_new(b, e, ev->mode);
	j->ts = ev->ts;
	if (level == 2) {
		j->steps[j->nsteps++] = S_CMD;
		return;
	}
	if (cf->run_cmd_first && cf->kill_run_cmd != NULL)
		j->steps[j->nsteps++] = S_CMD;
	if (cf->kill_hosts_deny != NULL)
		j->steps[j->nsteps++] = S_DENY;
	if (cf->kill_route != NULL || cf->kill_route6 != NULL)
		j->steps[j->nsteps++] = S_ROUTE;
	if (!cf->run_cmd_first && cf->kill_run_cmd != NULL)
		j->steps[j->nsteps++] = S_CMD;
}

/* A reported probe: already blocked, to be blocked, or only recorded. */
void
block_event(struct block *b, const struct sentry_event *ev,
    const char *name, const char *addr)
{
	struct history_entry	 e;
	struct bhost		*bh;
	struct rhost		*rh;
	int			 level = conf_block(b->cf, ev->mode);

	if ((bh = hosttab_find(b->hosts, &ev->src)) != NULL) {
		block_files_changed(b);		/* unblocked by hand? */
		bh = hosttab_find(b->hosts, &ev->src);
	}
	if (bh != NULL) {
		if (mode_is_classic(ev->mode))
			report_alert(b->events, &ev->ts, "attackalert: Host: "
			    "%s is already blocked. Ignoring", addr);
		else
			report_alert(b->events, &ev->ts, "attackalert: Host: "
			    "%s/%s is already blocked Ignoring", name, addr);
		return;
	}
	memset(&e, 0, sizeof(e));
	e.when = ev->ts.tv_sec;
	(void)snprintf(e.name, sizeof(e.name), "%s", name);
	e.addr = ev->src;
	e.port = ev->port;
	e.proto = ev->proto;
	if (level == 0) {
		block_log_only(b, ev, &e);
		return;
	}
	if ((rh = hosttab_find(b->reported, &ev->src)) != NULL &&
	    rh->retry_ms > mono_ms())
		return;		/* it failed a moment ago */
	block_start(b, ev, &e, level);
	block_run(b);
}

struct block *
block_new(const struct sentry_conf *cf, unsigned modes,
    struct deadline_queue *timers)
{
	struct block	*b = xcalloc(1, sizeof(*b));

	b->cf = cf;
	b->modes = modes;
	b->timers = timers;
	b->hosts = hosttab_new(BLOCK_HOSTS_MAX, sizeof(struct bhost));
	b->reported = hosttab_new(REPORTED_MAX, sizeof(struct rhost));
	block_reload(b);	/* blocks carried over (BLOCK_TIMEOUT) */
	return b;
}

void
block_set_events(struct block *b, FILE *fp)
{
	b->events = fp;
}

static void
block_free_host(void *data, void *arg)
{
	struct block	*b = arg;
	struct bhost	*bh = data;

	deadline_clear(b->timers, &bh->expire);
}

void
block_free(struct block *b)
{
	struct job	*j, *next;

	if (b == NULL)
		return;
	hosttab_foreach(b->hosts, block_free_host, b);
	for (j = b->head; j != NULL; j = next) {
		next = j->next;
		deadline_clear(b->timers, &j->timeout);
		free(j->cmdline);
		free(j);
	}
	hosttab_free(b->hosts);
	hosttab_free(b->reported);
	free(b);
}

/* --- removing blocks: sentry -u and BLOCK_TIMEOUT ---------------------------------------------------------- */

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

/* Run UNBLOCK_CMD and wait for it (sentry -u, outside the daemon). */
static void
unblock_command_wait(const struct sentry_conf *cf,
    const struct command_macros *m)
{
	struct timespec	 nap = { 0, 10 * 1000 * 1000 };
	char		 err[256], *line;
	pid_t		 pid;
	int		 status = 0, waited;

	if ((pid = command_spawn(cf->unblock_cmd, m, err, sizeof(err))) ==
	    -1) {
		log_msg(LOG_NOTICE, "adminalert: ERROR: cannot run "
		    "UNBLOCK_CMD: %s", err);
		return;
	}
	for (waited = 0; waitpid(pid, &status, WNOHANG) == 0; waited += 10) {
		if (waited >= COMMAND_TIMEOUT_MS) {
			(void)kill(-pid, SIGKILL);
			(void)waitpid(pid, &status, 0);
			break;
		}
		(void)nanosleep(&nap, NULL);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	line = command_expand(cf->unblock_cmd, m, 0);
	log_msg(LOG_NOTICE, "adminalert: ERROR: UNBLOCK_CMD \"%s\" failed",
	    line != NULL ? line : cf->unblock_cmd);
	free(line);
}

/*
 * Remove a's lines from the blocked files of every mode, keeping what was
 * removed: the caller undoes only that (hosts.deny line, UNBLOCK_CMD), so
 * that a timer and a hand racing for the same block undo it once.
 * Returns the number of entries removed, or -1.
 */
static int
block_unrecord(const struct sentry_conf *cf, const struct addr *a,
    struct history_entry *out, int *outmode, int max)
{
	struct unrecord	 u;
	char		 err[512], *path;
	int		 m, i, n = 0, rc = 0;

	for (m = 0; m < MODE_COUNT; m++) {
		memset(&u, 0, sizeof(u));
		u.addr = a;
		path = history_blocked_path(cf, m);
		if (record_remove(path, unrecord_match, &u, err,
		    sizeof(err)) == -1) {
			log_msg(LOG_NOTICE, "adminalert: ERROR: %s", err);
			rc = -1;
		}
		free(path);
		for (i = 0; i < u.n && n < max; i++, n++) {
			out[n] = u.removed[i];
			outmode[n] = m;
		}
	}
	return n > 0 ? n : rc;
}

int
block_remove(const struct sentry_conf *cf, const struct addr *a,
    const char *why)
{
	struct history_entry	 e[REMOVED_MAX];
	struct command_macros	 m;
	char			 addr[ADDR_STRLEN];
	int			 mode[REMOVED_MAX], n, i;

	if ((n = block_unrecord(cf, a, e, mode, REMOVED_MAX)) <= 0)
		return n;
	(void)addr_format(a, addr, sizeof(addr));
	for (i = 0; i < n; i++) {
		deny_remove(cf, a, e[i].port, mode[i]);
		if (cf->unblock_cmd == NULL)
			continue;
		m.target = a;
		m.port = e[i].port;
		m.mode = mode[i];
		unblock_command_wait(cf, &m);
	}
	log_msg(LOG_NOTICE, "attackalert: Host %s has been unblocked %s", addr,
	    why);
	return n;
}

/* The daemon's BLOCK_TIMEOUT: the same, with UNBLOCK_CMD as a job. */
static void
block_unblock(struct block *b, const struct addr *a, const char *why)
{
	struct history_entry	 e[REMOVED_MAX];
	struct job		*j;
	int			 mode[REMOVED_MAX], n, i;

	if ((n = block_unrecord(b->cf, a, e, mode, REMOVED_MAX)) <= 0)
		return;
	block_files_seen(b);
	for (i = 0; i < n; i++) {
		j = job_new(b, &e[i], mode[i]);
		j->unblock = 1;
		(void)snprintf(j->why, sizeof(j->why), "%s", why);
		j->steps[j->nsteps++] = S_UNDENY;
		if (b->cf->unblock_cmd != NULL)
			j->steps[j->nsteps++] = S_UNBLOCK;
	}
	block_run(b);
}

/* --- listing ---------------------------------------------------------------- */

struct listing {
	const struct sentry_conf	*cf;
	FILE				*fp;
	int				 mode;
	int				 n;
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
	l->n++;
	return 0;
}

/* sentry -l: every block in every mode's file; returns how many. */
int
block_list(const struct sentry_conf *cf, FILE *fp)
{
	struct listing	 l;
	char		*path;

	l.cf = cf;
	l.fp = fp;
	l.n = 0;
	for (l.mode = 0; l.mode < MODE_COUNT; l.mode++) {
		path = history_blocked_path(cf, l.mode);
		(void)record_read(path, list_line, &l);
		free(path);
	}
	return l.n;
}
