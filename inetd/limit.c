/*
 * limit.c: the checks a connection passes before a server is started.
 *
 * In xinetd's order: connection rate (cps), load average, access times,
 * instances and the process limit, then the client's address (only_from,
 * no_access and the SENSOR deny list).  One change of order makes the
 * daemon fairer: a client already at its per_source limit is refused
 * before it is counted against the service's rate, so one noisy source
 * cannot trip cps and shut the service for everybody else; its refusals
 * have a cps window of their own, and past it cost no banner or ident
 * lookup.
 *
 * A rate limit that trips closes the service's listening sockets, so
 * clients are refused by the kernel, and a timer reopens them.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "inetd.h"
#include "log.h"
#include "xmalloc.h"

struct sensor_ent {
	struct sensor_ent	*next;
	unsigned char		 key[16];
	time_t			 until;		/* 0: forever */
};

struct sensor {
	struct sensor_ent	*b[SRC_BUCKETS];
	unsigned		 n;
};

/*
 * The deny list holds at most this many addresses: a flood of sources
 * (forged ones, for a datagram SENSOR) cannot grow it without bound.
 * Expired entries go first, then those that would expire soonest.
 */
#define SENSOR_MAX	4096

static unsigned
key_hash(const unsigned char *k)
{
	unsigned	h = 2166136261U;
	int		i;

	for (i = 0; i < 16; i++)
		h = (h ^ k[i]) * 16777619U;
	return h % SRC_BUCKETS;
}

/* --- per-source counts -------------------------------------------------- */

void
src_add(struct service *sp, const unsigned char *key)
{
	struct srcent	**pp = &sp->src[key_hash(key)], *e;

	for (e = *pp; e != NULL; e = e->next)
		if (memcmp(e->addr, key, 16) == 0) {
			e->count++;
			return;
		}
	e = xcalloc(1, sizeof(*e));
	memcpy(e->addr, key, 16);
	e->count = 1;
	e->next = *pp;
	*pp = e;
}

void
src_del(struct service *sp, const unsigned char *key)
{
	struct srcent	**pp = &sp->src[key_hash(key)], *e;

	for (; (e = *pp) != NULL; pp = &e->next)
		if (memcmp(e->addr, key, 16) == 0) {
			if (--e->count == 0) {
				*pp = e->next;
				free(e);
			}
			return;
		}
}

unsigned
src_count(const struct service *sp, const unsigned char *key)
{
	const struct srcent	*e;

	for (e = sp->src[key_hash(key)]; e != NULL; e = e->next)
		if (memcmp(e->addr, key, 16) == 0)
			return e->count;
	return 0;
}

void
src_clear(struct service *sp)
{
	struct srcent	*e, *next;
	int		 i;

	for (i = 0; i < SRC_BUCKETS; i++) {
		for (e = sp->src[i]; e != NULL; e = next) {
			next = e->next;
			free(e);
		}
		sp->src[i] = NULL;
	}
}

/* --- rate ----------------------------------------------------------------- */

/* Close the service's sockets until its wait time has passed. */
void
limit_rate_trip(struct inetd *st, struct service *sp)
{
	const struct ratespec	*r = &sp->conf->cps;

	log_msg(LOG_ERR, "Deactivating service %s due to excessive incoming "
	    "connections.  Restarting in %u seconds.", sp->conf->id, r->wait);
	listen_release(st, sp);
	sp->state = SVC_OFF;
	deadline_set_in(&st->timers, &sp->reopen, (long long)r->wait * 1000);
}

void
limit_reopen(struct deadline *d, void *ctx)
{
	struct inetd	*st = ctx;
	struct service	*sp = d->arg;

	if (sp->state != SVC_OFF)
		return;
	sp->rate.count = 0;
	sp->rate.start = st->now;
	if (listen_open(st, sp) == 0) {
		sp->state = SVC_ACTIVE;
		log_msg(LOG_ERR, "Activating service %s", sp->conf->id);
	} else {
		log_msg(LOG_ERR, "Error activating service %s; trying again "
		    "in %u seconds", sp->conf->id, sp->conf->cps.wait);
		deadline_set_in(&st->timers, &sp->reopen,
		    (long long)(sp->conf->cps.wait ? sp->conf->cps.wait : 1) *
		    1000);
	}
}

/* Count one event in a cps window; 1 while within the rate. */
static int
limit_rate_count(struct inetd *st, const struct ratespec *r,
    struct ratewin *w)
{
	if (r->max == 0)
		return 1;
	if (st->now - w->start >= (time_t)r->window || st->now < w->start) {
		w->start = st->now;
		w->count = 0;
	}
	return ++w->count <= r->max;
}

static int
limit_rate(struct inetd *st, struct service *sp)
{
	if (limit_rate_count(st, &sp->conf->cps, &sp->rate))
		return 1;
	limit_rate_trip(st, sp);
	return 0;
}

/* --- load, time ------------------------------------------------------------ */

double
limit_loadavg(void)
{
	double	la[1];

	if (getloadavg(la, 1) != 1)
		return 0;
	return la[0];
}

/* Whether now falls in one of the access_times intervals (if any). */
int
limit_time_ok(const struct svcconf *sc, time_t now)
{
	struct tm	tm;
	int		i, m;

	if (sc->ntimes == 0)
		return 1;
	(void)localtime_r(&now, &tm);
	m = tm.tm_hour * 60 + tm.tm_min;
	for (i = 0; i < sc->ntimes; i++) {
		const struct timespan	*t = &sc->times[i];

		if (t->from <= t->to ? (m >= t->from && m <= t->to) :
		    (m >= t->from || m <= t->to))
			return 1;
	}
	return 0;
}

/*
 * The checks done before anything is started.  Returns the reason for a
 * refusal, or FAIL_NONE.
 */
enum fail_reason
limit_check(struct inetd *st, struct service *sp, struct conn *cp)
{
	const struct svcconf	*sc = sp->conf;

	if (sc->per_source != UNLIMITED && cp->haspeer &&
	    src_count(sp, cp->key) >= (unsigned)sc->per_source)
		return FAIL_PER_SOURCE_LIMIT;
	if (!limit_rate(st, sp))
		return FAIL_CPS;
	if (sc->max_load > 0 && limit_loadavg() >= sc->max_load)
		return FAIL_LOAD;
	if (!limit_time_ok(sc, st->now))
		return FAIL_TIME;
	if (sc->instances != UNLIMITED &&
	    sp->running >= (unsigned)sc->instances)
		return FAIL_SERVICE_LIMIT;
	if (st->opt.proc_limit > 0 && sc->builtin == NULL &&
	    st->nchildren >= (unsigned)st->opt.proc_limit)
		return FAIL_PROCESS_LIMIT;
	return FAIL_NONE;
}

/*
 * per_source refusals are held to the service's cps rate too, in a
 * window of their own: past it they do not close the service (one noisy
 * source must not shut everybody else out) but are refused at the least
 * cost, without banner_fail or an ident lookup.  Returns 1 while within
 * the rate.
 */
int
limit_refusal_rate(struct inetd *st, struct service *sp)
{
	return limit_rate_count(st, &sp->conf->cps, &sp->refusals);
}

/* --- address ------------------------------------------------------------- */

/*
 * only_from / no_access: the more specific match wins, an equal match
 * denies, and an only_from given as an empty list lets nobody in.  A
 * domain entry needs the client's name, which the daemon never looks up
 * itself (a client owns its reverse zone and could make it wait): until
 * resolve.c has found it, ADDR_NEEDNAME.
 */
enum addr_check
limit_address_check(struct inetd *st, struct service *sp, struct conn *cp)
{
	const struct svcconf	*sc = sp->conf;
	const struct sockaddr	*sa = (const struct sockaddr *)&cp->peer;
	const char		*np = NULL;
	int			 of = -1, na = -1;

	if (!cp->haspeer)
		return ADDR_ALLOWED;
	if (st->sensor != NULL && !sensor_check(st, cp->key))
		return ADDR_REFUSED;
	if (!sc->only_from.set && !sc->no_access.set)
		return ADDR_ALLOWED;
	if (acl_needs_name(&sc->only_from) || acl_needs_name(&sc->no_access)) {
		if (!(cp->pn.known & NAME_PTR))
			return ADDR_NEEDNAME;
		np = cp->pn.ptr;
	}
	if (sc->no_access.set)
		na = acl_match(&sc->no_access, sa, np);
	if (sc->only_from.set)
		of = acl_match(&sc->only_from, sa, np);
	if (na >= 0 && of >= 0)
		return of > na ? ADDR_ALLOWED : ADDR_REFUSED;
	if (na >= 0)
		return ADDR_REFUSED;
	if (sc->only_from.set && of < 0)
		return ADDR_REFUSED;
	return ADDR_ALLOWED;
}

/* --- SENSOR ------------------------------------------------------------- */

/* Whether key is free to connect (not on the deny list, or expired). */
int
sensor_check(struct inetd *st, const unsigned char *key)
{
	struct sensor_ent	**pp, *e;

	pp = &st->sensor->b[key_hash(key)];
	for (; (e = *pp) != NULL; pp = &e->next) {
		if (memcmp(e->key, key, 16) != 0)
			continue;
		if (e->until != 0 && e->until <= st->now) {
			*pp = e->next;
			free(e);
			st->sensor->n--;
			return 1;
		}
		return 0;
	}
	return 1;
}

/* Drop expired entries; when none had, the one that expires soonest. */
static void
sensor_prune(struct inetd *st)
{
	struct sensor		*sn = st->sensor;
	struct sensor_ent	**pp, *e, **soonest = NULL;
	int			 i;
	unsigned		 was = sn->n;

	for (i = 0; i < SRC_BUCKETS; i++)
		for (pp = &sn->b[i]; (e = *pp) != NULL; ) {
			if (e->until != 0 && e->until <= st->now) {
				*pp = e->next;
				free(e);
				sn->n--;
				continue;
			}
			if (soonest == NULL || (e->until != 0 &&
			    ((*soonest)->until == 0 ||
			    e->until < (*soonest)->until)))
				soonest = pp;
			pp = &e->next;
		}
	if (sn->n < was || soonest == NULL)
		return;
	e = *soonest;
	*soonest = e->next;
	free(e);
	sn->n--;
}

unsigned
sensor_count(const struct inetd *st)
{
	return st->sensor != NULL ? st->sensor->n : 0;
}

/* A client touched a SENSOR service: deny it everything for deny_time. */
void
sensor_add(struct inetd *st, struct service *sp, const unsigned char *key,
    const char *host)
{
	struct sensor_ent	*e;
	int			 minutes = sp->conf->deny_time;
	unsigned		 h = key_hash(key);

	if (minutes == 0) {
		log_msg(LOG_CRIT, "service %s: sensor hit from %s (deny_time "
		    "NEVER: not blocked)", sp->conf->id, host);
		return;
	}
	if (st->sensor == NULL)
		st->sensor = xcalloc(1, sizeof(*st->sensor));
	for (e = st->sensor->b[h]; e != NULL; e = e->next)
		if (memcmp(e->key, key, 16) == 0)
			break;
	if (e == NULL) {
		if (st->sensor->n >= SENSOR_MAX)
			sensor_prune(st);
		e = xcalloc(1, sizeof(*e));
		memcpy(e->key, key, 16);
		e->next = st->sensor->b[h];
		st->sensor->b[h] = e;
		st->sensor->n++;
	}
	e->until = minutes < 0 ? 0 : st->now + (time_t)minutes * 60;
	if (minutes < 0)
		log_msg(LOG_CRIT, "service %s: sensor hit from %s: denied "
		    "until restart", sp->conf->id, host);
	else
		log_msg(LOG_CRIT, "service %s: sensor hit from %s: denied for "
		    "%d minutes", sp->conf->id, host, minutes);
}

void
sensor_free(struct inetd *st)
{
	struct sensor_ent	*e, *next;
	int			 i;

	if (st->sensor == NULL)
		return;
	for (i = 0; i < SRC_BUCKETS; i++)
		for (e = st->sensor->b[i]; e != NULL; e = next) {
			next = e->next;
			free(e);
		}
	free(st->sensor);
	st->sensor = NULL;
}
