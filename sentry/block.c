/*
 * block.c: the reporter's decisions about reported hosts: already
 * blocked, to be blocked, or only recorded; and the blocks under way and
 * their ends (BLOCK_TIMEOUT).
 *
 * The decision is made at once, in memory; what it takes to carry it out
 * (action.c: a locked hosts.deny, fsync, commands) runs in a process of
 * its own, one block at a time in the order they were decided, so that
 * the alert lines of the probes that keep coming are never held up by a
 * slow disk or a slow command.  A host counts as blocked from the moment
 * its block is decided, and stays so while its lines are in the blocked
 * files: those files are the record, and are read again when somebody
 * else (sentry -u) changes them.
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
#define JOBS_MAX		4096	/* blocks and unblocks waiting */
#define RETRY_MS		10000	/* after a failed block */

enum { H_BLOCKING = 1, H_BLOCKED };

struct bhost {				/* a host blocked, or being blocked */
	int		 state;
	time_t		 since;
	struct deadline	 expire;	/* BLOCK_TIMEOUT */
};

struct rhost {				/* reported, not (yet) blocked */
	time_t		 recorded[2];	/* history written: BLOCK_x="0" */
	int64_t		 retry_ms;	/* a block failed: not before */
};

struct job {
	struct job		*next;
	int			 unblock;
	int			 level;		/* BLOCK_x: 1 or 2 */
	int			 mode;
	struct history_entry	 e;
	char			 why[64];	/* of an unblock */
};

struct block {
	const struct sentry_conf *cf;
	unsigned		  modes;
	struct alerts		 *al;
	struct deadline_queue	 *timers;
	struct hosttab		 *hosts;	/* struct bhost */
	struct hosttab		 *reported;	/* struct rhost */
	struct job		 *head, *tail;	/* head runs when pid > 0 */
	size_t			  njobs;
	pid_t			  pid;
	struct stat		  fst[MODE_COUNT];
};

static void	block_run(struct block *);

/* A job waits its turn behind the others. */
static void
block_push(struct block *b, struct job *j)
{
	if (b->tail != NULL)
		b->tail->next = j;
	else
		b->head = j;
	b->tail = j;
	b->njobs++;
	block_run(b);
}

static int64_t
mono_ms(void)
{
	struct timespec	now;

	deadline_now(&now);
	return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
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

static void
block_files_stat(const struct block *b, int mode, struct stat *st)
{
	char	*path = history_blocked_path(b->cf, mode);

	if (record_stat(path, st) == -1)
		memset(st, 0, sizeof(*st));
	free(path);
}

/* Remember the files as they are, after a change of ours. */
static void
block_files_seen(struct block *b)
{
	int	m;

	for (m = 0; m < MODE_COUNT; m++)
		if (b->modes & MODE_BIT(m))
			block_files_stat(b, m, &b->fst[m]);
}

static void
block_expire(struct deadline *d, void *ctx)
{
	struct block	*b = ctx;
	struct bhost	*bh = d->arg;
	struct addr	 a = *hosttab_key(bh);
	struct job	*j;

	hosttab_del(b->hosts, &a);	/* its deadline is off the queue */
	if (b->njobs >= JOBS_MAX)
		return;
	j = xcalloc(1, sizeof(*j));
	j->unblock = 1;
	j->e.addr = a;
	(void)snprintf(j->why, sizeof(j->why), "after %d second%s "
	    "(BLOCK_TIMEOUT)", b->cf->block_timeout,
	    b->cf->block_timeout == 1 ? "" : "s");
	block_push(b, j);
}

static void
block_arm(struct block *b, struct bhost *bh)
{
	long long	left;

	if (b->cf->block_timeout == 0)
		return;
	left = (long long)bh->since + b->cf->block_timeout - time(NULL);
	deadline_set_in(b->timers, &bh->expire, left > 0 ? left * 1000 : 0);
}

struct reload {
	struct block	*b;
	struct hosttab	*seen;
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
	deadline_init(&bh->expire, block_expire, bh);
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
	int		 m;

	rl.b = b;
	rl.seen = hosttab_new(BLOCK_HOSTS_MAX, 1);
	for (m = 0; m < MODE_COUNT; m++) {
		if ((b->modes & MODE_BIT(m)) == 0)
			continue;
		path = history_blocked_path(b->cf, m);
		(void)record_read(path, reload_line, &rl);
		free(path);
	}
	hosttab_foreach(b->hosts, reload_forget, &rl);
	hosttab_free(rl.seen);
	block_files_seen(b);
}

/* Read the files again if anybody else changed them. */
static void
block_files_check(struct block *b)
{
	struct stat	st;
	int		m;

	for (m = 0; m < MODE_COUNT; m++) {
		if ((b->modes & MODE_BIT(m)) == 0)
			continue;
		block_files_stat(b, m, &st);
		if (!same_stat(&st, &b->fst[m])) {
			block_reload(b);
			return;
		}
	}
}

/* --- jobs ------------------------------------------------------------------- */

/* In the job's process: carry it out, exit 0 when it worked. */
static __dead void
job_exec(struct block *b, const struct job *j)
{
	int	r;

	(void)signal(SIGCHLD, SIG_DFL);
	(void)signal(SIGTERM, SIG_DFL);
	b->al->batch = 0;	/* each line as it happens */
	if (j->unblock)
		r = action_unblock(b->cf, &j->e.addr, j->why, b->al) < 0;
	else
		r = action_block(b->cf, &j->e, j->mode, j->level, b->al) != 0;
	alerts_flush(b->al);
	_exit(r);
}

/* Start the first job waiting, unless one runs. */
static void
block_run(struct block *b)
{
	if (b->pid > 0 || b->head == NULL)
		return;
	alerts_flush(b->al);	/* not to be sent twice */
	if ((b->pid = fork()) == -1) {
		log_warn("adminalert: ERROR: fork for a block");
		b->pid = 0;
		return;
	}
	if (b->pid == 0)
		job_exec(b, b->head);
}

/* The running job's process ended. */
void
block_child(struct block *b, pid_t pid, int status)
{
	struct job	*j = b->head;
	struct bhost	*bh;
	struct rhost	*rh;
	int		 isnew, ok;

	if (j == NULL || pid != b->pid)
		return;
	b->pid = 0;
	b->head = j->next;
	if (b->tail == j)
		b->tail = NULL;
	b->njobs--;
	ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	if (!j->unblock && (bh = hosttab_find(b->hosts, &j->e.addr)) !=
	    NULL) {
		if (ok) {
			bh->state = H_BLOCKED;
			block_arm(b, bh);
		} else {
			deadline_clear(b->timers, &bh->expire);
			hosttab_del(b->hosts, &j->e.addr);
			rh = hosttab_get(b->reported, &j->e.addr, &isnew, 1);
			rh->retry_ms = mono_ms() + RETRY_MS;
		}
	}
	block_files_seen(b);
	free(j);
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
 * (again after BLOCK_TIMEOUT), and nothing blocked.  One write, with no
 * fsync, is all the reporter does itself.
 */
static void
block_log_only(struct block *b, const struct sentry_event *ev,
    const struct history_entry *e)
{
	struct rhost	*rh;
	time_t		 now = time(NULL), *rec;
	int		 isnew;

	rh = hosttab_get(b->reported, &ev->src, &isnew, 1);
	rec = &rh->recorded[ev->proto == IPPROTO_TCP ? 0 : 1];
	if (*rec != 0 && (b->cf->block_timeout == 0 ||
	    now < *rec + b->cf->block_timeout))
		return;
	*rec = now;
	alerts_add(b->al, &ev->ts, "attackalert: Ignoring %s response "
	    "per configuration file setting.",
	    ev->proto == IPPROTO_TCP ? "TCP" : "UDP");
	action_record(b->cf, e, ev->mode, 0, 0);
}

static void
block_start(struct block *b, const struct sentry_event *ev,
    const struct history_entry *e, int level)
{
	struct bhost	*bh;
	struct job	*j;
	int		 isnew;

	if (b->njobs >= JOBS_MAX ||
	    (bh = hosttab_get(b->hosts, &ev->src, &isnew, 0)) == NULL) {
		log_msg(LOG_NOTICE, "adminalert: ERROR: too many blocks (%zu "
		    "hosts, %zu waiting); %s is not blocked",
		    hosttab_count(b->hosts), b->njobs, e->name);
		return;
	}
	bh->state = H_BLOCKING;
	bh->since = e->when;
	deadline_init(&bh->expire, block_expire, bh);
	j = xcalloc(1, sizeof(*j));
	j->e = *e;
	j->mode = ev->mode;
	j->level = level;
	block_push(b, j);
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

	if (hosttab_find(b->hosts, &ev->src) != NULL)
		block_files_check(b);		/* unblocked by hand? */
	if ((bh = hosttab_find(b->hosts, &ev->src)) != NULL) {
		if (mode_is_classic(ev->mode))
			alerts_add(b->al, &ev->ts, "attackalert: Host: "
			    "%s is already blocked. Ignoring", addr);
		else
			alerts_add(b->al, &ev->ts, "attackalert: Host: "
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
}

struct block *
block_new(const struct sentry_conf *cf, unsigned modes,
    struct deadline_queue *timers, struct alerts *al)
{
	struct block	*b = xcalloc(1, sizeof(*b));

	b->cf = cf;
	b->modes = modes;
	b->timers = timers;
	b->al = al;
	b->hosts = hosttab_new(BLOCK_HOSTS_MAX, sizeof(struct bhost));
	b->reported = hosttab_new(REPORTED_MAX, sizeof(struct rhost));
	block_reload(b);	/* blocks carried over (BLOCK_TIMEOUT) */
	return b;
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
		free(j);
	}
	hosttab_free(b->hosts);
	hosttab_free(b->reported);
	free(b);
}
