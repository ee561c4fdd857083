/*
 * engine.c: the scan engine: which probe goes out when, how long to wait
 * for its answer, when to send it again, and when a silent port is
 * really silent.
 *
 * Timing follows TCP's own rules, per host: a smoothed round-trip time
 * and its variance give each probe's timeout (srtt + 4 rttvar, within
 * the -T template's bounds), and a congestion window caps the probes in
 * flight.  The window grows with every answer, and also with every probe
 * that times out while nothing says answers are being lost: silence from
 * a firewall is not congestion, and treating it as such is what makes
 * nmap take minutes over a filtered host.  Loss is what shrinks the
 * window: an answer to a retransmission (its first try, or that try's
 * answer, was lost), a lost timing ping to a port known to answer, a
 * local refusal (out of descriptors or buffers), or packets the capture
 * buffer dropped.
 *
 * Loss also decides how often a silent port is asked: twice by default,
 * and one more time than the highest retransmission that ever got an
 * answer from that host, up to --max-retries.  A port is only called
 * silent when its host is finished, so a loss seen late still sends the
 * silent ports of that host once more: accuracy is never traded for
 * speed without a warning.
 *
 * Timing pings are probes to a port that answered before (a closed one
 * where possible), sent while a host's answers are scarce; their answers
 * measure the round trip, and their loss reveals congestion that the
 * mostly silent ports could not show.
 *
 * Some answers are rate-limited by the target itself: a Linux host sends
 * at most one ICMP error a second to each address after a burst of six,
 * so most closed UDP ports of a fast scan stay silent, and a silence
 * proves nothing.  For such probe types (ops->limited) a silence counts
 * only when the target answered, with a rate-limited answer, a probe we
 * sent within LIM_WINDOW_US after it: its bucket held a token then, so
 * it would have answered ours.  A silence that proves nothing sends the
 * port again, first in the next batch, and the host is paced: batches
 * go out a gap apart, the gap doubling while batches get no answer at
 * all and halving while no probe is refused, and set to the measured
 * time the target takes to earn an answer once batches empty its
 * bucket, which then never fills up between two.  Before its first
 * rate-limited answer, a host's silences count only LIM_QUIET_US into
 * it, since its bucket may have been empty when we began.  The scan
 * then takes as long as the target's rate makes necessary, and not
 * much longer; no port is called open|filtered because its answer was
 * withheld.
 *
 * Every probe costs the kernel more than the engine (a socket and a
 * handshake for -sT; for a raw scan, the target's own answer is often
 * computed in our sendto(2)), so a large scan runs one engine per
 * processor, each in its own thread with its own poll loop, on a
 * disjoint slice of the ports (port number modulo the number of
 * workers).  Workers share nothing mutable but the results array, whose
 * every slot belongs to one of them, and a few counters; their per-host
 * timing is merged when all are done.  Options that promise a serial
 * scan (--scan-delay, --max-parallelism, -T0 to -T2) keep one worker.
 */
#include "config.h"

#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "xmalloc.h"
#include "pscan.h"

#define CWND_INITIAL	10.0
#define SEND_BURST	512	/* probes per pass, so answers are read often */
#define PING_MIN_US	10000	/* timing pings at most this often */
#define BACKOFF_US	5000	/* pause after a local refusal */
#define WORKERS_MAX	PSCAN_WORKERS_MAX
#define WORKER_MIN_CELLS 4096	/* host x port cells worth a thread */
#define LIM_WINDOW_US	200	/* an answer this soon after proves a silence */
#define LIM_GAP_START	50000	/* us between paced batches, at first */
#define LIM_GAP_MIN	5000
#define LIM_GAP_MAX	4000000	/* below the 6 s a Linux bucket takes to fill */
#define LIM_SIZE_START	8	/* probes per batch */
#define LIM_SIZE_MAX	512
#define LIM_DRY_MAX	4	/* silent batches at the longest gap: give up */
#define LIM_TRIES_MAX	200	/* a port's sends, at most */
#define LIM_QUIET_US	2500000	/* before any rate-limited answer, silences
				   count only from this long into the host */

/*
 * A stretch of send times (ns since the engine started, both ends in)
 * at whose end the host answered: the silences of probes sent in it
 * count.
 */
struct certwin {
	int64_t		a, b;
};

struct rtt {
	long		srtt;		/* us */
	long		rttvar;		/* us */
	unsigned long	n;
};

struct hstate {
	struct host	*h;
	uint32_t	 idx;
	uint32_t	 next;		/* next place in scan->order */
	uint32_t	*queue;		/* ports to send again (a ring) */
	uint32_t	 qhead, qlen;
	uint32_t	*silent;	/* ports whose allowed tries are spent */
	uint32_t	 nsilent;
	uint32_t	 inflight;
	uint32_t	 done;
	double		 cwnd, ssthresh;
	struct rtt	 rtt;
	int		 max_ok_try;	/* highest try that got an answer */
	int		 ping_port;	/* a port known to answer, -1 */
	struct probe	*ping;
	struct timespec	 recover_until;	/* one window cut per round trip */
	struct timespec	 next_send;	/* --scan-delay */
	struct timespec	 last_answer;
	struct timespec	 last_ping;
	struct deadline	 timeout;	/* --host-timeout */
	int		 finished;
	int		 timedout;
	int		 capped;	/* the retransmission cap was hit */
	int		 refused;	/* the system refused to send */
	uint32_t	 todo;		/* ports of this worker's slice */
	time_t		 end;
	/* Rate-limited answers (ops->limited). */
	struct certwin	*cw;		/* sorted, disjoint */
	size_t		 ncw, capcw;
	int		 lim_seen;	/* such an answer came */
	int		 lim_on;	/* paced */
	int		 lim_off;	/* gave up: silences count again */
	long		 lim_gap;	/* us between batches */
	uint32_t	 lim_size;	/* probes per batch */
	struct timespec	 lim_next;
	uint32_t	 lim_batch;	/* the last batch's id, from 1 */
	uint32_t	 lim_sent, lim_ans, lim_unc;	/* its probes, answers,
						   silences that proved nothing */
	int		 lim_dry;	/* batches in a row without an answer */
	int64_t		 lim_first;	/* the host's first probe's time, us */
	int64_t		 lim_at;	/* the last batch's send time, us */
	int64_t		 lim_t0;	/* a batch that emptied the bucket, -1 */
	uint32_t	 lim_acc;	/* answers to the batches after it */
	uint32_t	 last_port;	/* of the last probe sent */
};

struct watch {
	watch_fn	*fn;
	void		*arg;
	size_t		*slotp;
};

struct engine {
	struct scan		*sc;
	unsigned int		 worker;	/* this one's slice of ports */
	unsigned int		 nworkers;
	const struct options	*o;
	const struct probe_ops	*ops;
	void			*ctx;
	struct hstate		*hs;
	size_t			 nhosts;
	size_t			 left;		/* hosts not finished */
	size_t			 rr;		/* round-robin start */
	uint32_t		*hash;		/* host index + 1 */
	size_t			 hashmask;
	struct probe		*pool;
	uint32_t		 npool;
	uint32_t		 freelist;	/* index + 1 */
	uint32_t		 inflight;
	uint32_t		 max_inflight;
	struct deadline_queue	 dq;
	struct pollfd		*pfd;
	struct watch		*w;
	size_t			 nw, capw;
	struct timespec		 now;
	struct timespec		 start;
	struct rtt		 grtt;		/* all hosts together */
	double			 tokens;	/* --max-rate */
	struct timespec		 tokens_at;
	struct timespec		 backoff;
	struct timespec		 last_sent;	/* the last probe's stamp */
	struct deadline		 stats;
	uint64_t		 sent;
	uint64_t		 answers;
	uint64_t		 timeouts;
	uint64_t		 losses;
	uint64_t		 pings;
	double			 cwnd_max;
	double			 min_rate;	/* this worker's share */
	double			 max_rate;
	int			 syncing;
	int			 result;
};

/* --- time ---------------------------------------------------------------- */

static void
ts_add_us(struct timespec *ts, long long us)
{
	long long	ns = ts->tv_nsec + (us % 1000000) * 1000;

	ts->tv_sec += (time_t)(us / 1000000);
	if (ns >= 1000000000LL) {
		ts->tv_sec++;
		ns -= 1000000000LL;
	} else if (ns < 0) {
		ts->tv_sec--;
		ns += 1000000000LL;
	}
	ts->tv_nsec = (long)ns;
}

static long long
ts_diff_us(const struct timespec *a, const struct timespec *b)
{
	return ((long long)b->tv_sec - (long long)a->tv_sec) * 1000000LL +
	    ((long long)b->tv_nsec - (long long)a->tv_nsec) / 1000;
}

static int
ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

const struct timespec *
engine_now(const struct engine *e)
{
	return &e->now;
}

double
engine_elapsed(const struct engine *e)
{
	return (double)ts_diff_us(&e->sc->start, &e->now) / 1e6;
}


void *
engine_ctx(const struct engine *e)
{
	return e->ctx;
}


/* Whether port index i is this worker's to scan. */
static int
mine(const struct engine *e, uint32_t i)
{
	return e->nworkers <= 1 ||
	    e->sc->ports[i] % e->nworkers == e->worker;
}

/* --- round-trip times -------------------------------------------------- */

/* As nmap: the first sample sets a generous variance, then TCP's rules. */
static void
rtt_sample(struct rtt *r, long delta)
{
	long	err;

	if (delta < 0)
		delta = 0;
	if (r->n++ == 0) {
		r->srtt = delta;
		r->rttvar = delta < 5000 ? 5000 : delta > 2000000 ? 2000000 :
		    delta;
		return;
	}
	err = delta - r->srtt;
	r->rttvar += ((err < 0 ? -err : err) - r->rttvar) / 4;
	r->srtt += err / 8;
}

/* A probe's timeout for this host, in microseconds. */
static long
rtt_timeout(const struct engine *e, const struct hstate *hs)
{
	const struct rtt	*r = NULL;
	const struct timing	*t = &e->o->t;
	long			 to;

	if (hs->rtt.n > 0)
		r = &hs->rtt;
	else if (e->grtt.n > 0)
		r = &e->grtt;
	if (r == NULL)
		return (e->ops->first_timeout > 0 &&
		    e->ops->first_timeout < t->initial_rtt ?
		    e->ops->first_timeout : t->initial_rtt) * 1000;
	to = r->srtt + 4 * r->rttvar;
	if (to < t->min_rtt * 1000)
		to = t->min_rtt * 1000;
	if (to > t->max_rtt * 1000)
		to = t->max_rtt * 1000;
	return to;
}

/* --- congestion -------------------------------------------------------- */

static int
in_recovery(const struct engine *e, const struct hstate *hs)
{
	return ts_before(&e->now, &hs->recover_until);
}

static void
cc_grow(struct engine *e, struct hstate *hs)
{
	if (hs->cwnd < hs->ssthresh)
		hs->cwnd += 1.0;
	else
		hs->cwnd += 1.0 / hs->cwnd;
	if (hs->cwnd > (double)e->max_inflight)
		hs->cwnd = (double)e->max_inflight;
	if (hs->cwnd > e->cwnd_max)
		e->cwnd_max = hs->cwnd;
}

/* Halves the window, once per timeout period however many losses. */
static void
cc_loss(struct engine *e, struct hstate *hs)
{
	double	floor = e->o->t.min_parallelism > 0 ?
	    (double)e->o->t.min_parallelism : 1.0;

	e->losses++;
	if (in_recovery(e, hs))
		return;
	hs->ssthresh = hs->cwnd / 2.0;
	if (hs->ssthresh < floor)
		hs->ssthresh = floor;
	hs->cwnd = hs->ssthresh;
	hs->recover_until = e->now;
	ts_add_us(&hs->recover_until, rtt_timeout(e, hs));
}

/* A loss no single port shows (a dropped capture buffer): every host. */
void
engine_loss(struct engine *e, struct host *h)
{
	size_t	i;

	for (i = 0; i < e->nhosts; i++) {
		if (h != NULL && e->hs[i].h != h)
			continue;
		cc_loss(e, &e->hs[i]);
		if (e->hs[i].max_ok_try < 1)
			e->hs[i].max_ok_try = 1;
	}
}

/* How many probes a silent port gets. */
static int
allowed_tries(struct engine *e, struct hstate *hs)
{
	int	retries = hs->max_ok_try + 1;

	if (retries > e->o->t.max_retries) {
		retries = e->o->t.max_retries;
		if (!hs->capped) {
			hs->capped = 1;
			output_note(e->sc, "Warning: %s giving up on port "
			    "because retransmission cap hit (%d).",
			    host_ipstr(hs->h), e->o->t.max_retries);
		}
	}
	return retries + 1;
}

/* --- rate-limited answers ---------------------------------------------- */

static int64_t
engine_us(const struct engine *e, const struct timespec *t)
{
	return ts_diff_us(&e->start, t);
}

/* In nanoseconds, as probe_stamp() orders probes. */
static int64_t
engine_ns(const struct engine *e, const struct timespec *t)
{
	return (int64_t)(t->tv_sec - e->start.tv_sec) * 1000000000 +
	    (t->tv_nsec - e->start.tv_nsec);
}

/* Forgets the stretches no probe still waiting can fall in. */
static void
lim_prune(struct engine *e, struct hstate *hs)
{
	int64_t	old = engine_ns(e, &e->now) - ((int64_t)e->o->t.max_rtt *
		    1000 + 1000000) * 1000;
	size_t	k = 0;

	while (k < hs->ncw && hs->cw[k].b < old)
		k++;
	if (k == 0)
		return;
	memmove(hs->cw, hs->cw + k, (hs->ncw - k) * sizeof(*hs->cw));
	hs->ncw -= k;
}

/*
 * The host answered, with an answer it rate-limits, a probe sent at
 * *sent: the probes sent just before it met a token in its bucket, so
 * their silences count.  Answers come in about the order of the probes,
 * so the new stretch goes at or near the end.
 */
static void
lim_answered(struct engine *e, struct hstate *hs, const struct timespec *sent)
{
	struct certwin	w;
	size_t		i, j;

	hs->lim_seen = 1;
	w.b = engine_ns(e, sent);
	w.a = w.b - LIM_WINDOW_US * 1000;
	for (i = hs->ncw; i > 0 && hs->cw[i - 1].a > w.a; i--)
		;
	/* Merges with the stretch before and the ones after. */
	if (i > 0 && hs->cw[i - 1].b >= w.a) {
		i--;
		if (hs->cw[i].b < w.b)
			hs->cw[i].b = w.b;
	} else {
		if (hs->ncw == hs->capcw) {
			lim_prune(e, hs);
			if (hs->ncw == hs->capcw) {
				hs->capcw = hs->capcw == 0 ? 16 :
				    hs->capcw * 2;
				hs->cw = xreallocarray(hs->cw, hs->capcw,
				    sizeof(*hs->cw));
			}
			for (i = hs->ncw; i > 0 && hs->cw[i - 1].a > w.a; i--)
				;
		}
		memmove(hs->cw + i + 1, hs->cw + i,
		    (hs->ncw - i) * sizeof(*hs->cw));
		hs->cw[i] = w;
		hs->ncw++;
	}
	for (j = i + 1; j < hs->ncw && hs->cw[j].a <= hs->cw[i].b; j++)
		if (hs->cw[j].b > hs->cw[i].b)
			hs->cw[i].b = hs->cw[j].b;
	if (j > i + 1) {
		memmove(hs->cw + i + 1, hs->cw + j,
		    (hs->ncw - j) * sizeof(*hs->cw));
		hs->ncw -= j - i - 1;
	}
}

/*
 * Whether the silence of a probe sent at *sent counts.  Before the first
 * rate-limited answer, only from LIM_QUIET_US into the host: its bucket
 * may have been empty when we began (another scan had just drained it),
 * and by then it has earned answers that nothing of ours took.
 */
static int
lim_meaningful(struct engine *e, struct hstate *hs, const struct probe *p)
{
	int64_t	t = engine_ns(e, &p->sent);
	size_t	i;

	if (!e->ops->limited || hs->lim_off ||
	    hs->h->res[p->port].tries >= LIM_TRIES_MAX)
		return 1;
	if (!hs->lim_seen)
		return engine_us(e, &p->sent) - hs->lim_first >= LIM_QUIET_US;
	/* The answered probe's own stamp is in (no two are alike). */
	for (i = hs->ncw; i > 0; i--) {
		if (hs->cw[i - 1].b < t)
			return 0;
		if (hs->cw[i - 1].a <= t)
			return 1;
	}
	return 0;
}

/* A silence proved nothing: from now on the host is paced. */
static void
lim_start(struct engine *e, struct hstate *hs)
{
	if (hs->lim_on || hs->lim_off)
		return;
	hs->lim_on = 1;
	hs->lim_gap = LIM_GAP_START;
	hs->lim_size = LIM_SIZE_START;
	hs->lim_next = e->now;
	hs->lim_t0 = -1;
	if (e->sc->debug > 0)
		fprintf(stderr, "pscan: %s withholds answers (rate limit): "
		    "pacing it\n", host_ipstr(hs->h));
}

/*
 * The gap at which the target earns one answer: after a batch that
 * emptied its bucket (an answer was withheld), every answer to the
 * batches that follow, while each of them empties it too, was earned in
 * the time since.  Doubling and halving alone would settle anywhere
 * between one and two of its intervals; this finds the interval (Linux:
 * icmp_ratelimit) within a few batches.
 */
static void
lim_rate(struct hstate *hs)
{
	int64_t	gap;

	if (hs->lim_unc == 0) {
		hs->lim_t0 = -1;
		return;
	}
	if (hs->lim_t0 < 0) {
		hs->lim_t0 = hs->lim_at;
		hs->lim_acc = 0;
		return;
	}
	hs->lim_acc += hs->lim_ans;
	if (hs->lim_ans == 0 || hs->lim_acc == 0 || hs->lim_at <= hs->lim_t0)
		return;
	gap = (hs->lim_at - hs->lim_t0) / hs->lim_acc;
	gap += gap / 50 + 1000;		/* the answer's token, not its half */
	hs->lim_gap = gap < LIM_GAP_MIN ? LIM_GAP_MIN : gap > LIM_GAP_MAX ?
	    LIM_GAP_MAX : (long)gap;
}

/*
 * Before a batch, what the last one showed: no answer at all, the
 * bucket was empty (wait longer); nothing withheld, it was not emptied
 * (send more, sooner); answers and withheld ones, the bucket's rate (see
 * lim_rate).  A host that stops answering altogether, at the longest
 * gap, is given up: its silences count again.
 */
static void
lim_adapt(struct engine *e, struct hstate *hs)
{
	if (hs->lim_batch == 0)
		return;
	lim_rate(hs);
	if (hs->lim_ans == 0 && hs->lim_unc > 0) {
		if (hs->lim_gap >= LIM_GAP_MAX && ++hs->lim_dry >= LIM_DRY_MAX) {
			hs->lim_off = 1;
			hs->lim_on = 0;
			if (e->sc->debug > 0)
				fprintf(stderr, "pscan: %s stopped answering; "
				    "silences count again\n",
				    host_ipstr(hs->h));
			return;
		}
		hs->lim_gap *= 2;
		if (hs->lim_gap > LIM_GAP_MAX)
			hs->lim_gap = LIM_GAP_MAX;
		return;
	}
	hs->lim_dry = 0;
	if (hs->lim_unc == 0 && hs->lim_sent >= hs->lim_size) {
		hs->lim_size *= 2;
		if (hs->lim_size > LIM_SIZE_MAX)
			hs->lim_size = LIM_SIZE_MAX;
		hs->lim_gap /= 2;
		if (hs->lim_gap < LIM_GAP_MIN)
			hs->lim_gap = LIM_GAP_MIN;
	}
}

/* --- probes -------------------------------------------------------------- */

static void	probe_timeout(struct deadline *, void *);

/*
 * A probe's send time, later than every earlier probe's even within one
 * tick of the clock: the order of two sends is what proves a silence to
 * a host that rate-limits its answers (lim_meaningful).
 */
static void
probe_stamp(struct engine *e, struct probe *p)
{
	p->sent = e->now;
	if (!ts_before(&e->last_sent, &p->sent)) {
		p->sent = e->last_sent;
		if (++p->sent.tv_nsec == 1000000000) {
			p->sent.tv_sec++;
			p->sent.tv_nsec = 0;
		}
	}
	e->last_sent = p->sent;
}

static struct probe *
probe_get(struct engine *e)
{
	struct probe	*p;

	if (e->freelist == 0)
		return NULL;
	p = &e->pool[e->freelist - 1];
	e->freelist = p->nextfree;
	p->used = 1;
	p->fd = -1;
	p->watch = (size_t)-1;
	p->ping = 0;
	probe_stamp(e, p);
	return p;
}

static void
probe_put(struct engine *e, struct probe *p)
{
	deadline_clear(&e->dq, &p->dl);
	if (e->ops->release != NULL)
		e->ops->release(e, e->ctx, p);
	p->used = 0;
	p->nextfree = e->freelist;
	e->freelist = (uint32_t)(p - e->pool) + 1;
}

struct probe *
engine_probe_of(struct engine *e, const struct host *h, uint32_t port)
{
	uint32_t	i = h->res[port].probe;

	return i == 0 ? NULL : &e->pool[i - 1];
}


/* --- the retransmission queue (a ring of port indexes) ----------------- */

static void
queue_push(struct engine *e, struct hstate *hs, uint32_t port, int front)
{
	uint32_t	cap = e->sc->nports;

	if (hs->h->res[port].flags & PR_QUEUED)
		return;
	hs->h->res[port].flags |= PR_QUEUED;
	if (front) {
		hs->qhead = (hs->qhead + cap - 1) % cap;
		hs->queue[hs->qhead] = port;
	} else
		hs->queue[(hs->qhead + hs->qlen) % cap] = port;
	hs->qlen++;
}

static int
queue_pop(struct engine *e, struct hstate *hs, uint32_t *port)
{
	struct portres	*r;

	while (hs->qlen > 0) {
		*port = hs->queue[hs->qhead];
		hs->qhead = (hs->qhead + 1) % e->sc->nports;
		hs->qlen--;
		r = &hs->h->res[*port];
		r->flags &= ~PR_QUEUED;
		if ((r->flags & PR_FINAL) == 0)
			return 1;
	}
	return 0;
}

/* Whether the host has fresh ports left; skips the ones it need not ask. */
static int
fresh_left(struct engine *e, struct hstate *hs)
{
	const struct portres	*r;

	while (hs->next < e->sc->nports) {
		r = &hs->h->res[e->sc->order[hs->next]];
		if ((r->flags & (PR_SKIP | PR_FINAL)) == 0 &&
		    mine(e, e->sc->order[hs->next]))
			return 1;
		hs->next++;
	}
	return 0;
}

static int
next_port(struct engine *e, struct hstate *hs, uint32_t *port)
{
	if (queue_pop(e, hs, port))
		return 1;
	if (!fresh_left(e, hs))
		return 0;
	*port = e->sc->order[hs->next++];
	if (hs->next == e->sc->nports && e->sc->debug > 1)
		fprintf(stderr, "pscan: %s: first pass sent after %.3fs\n",
		    host_ipstr(hs->h), (double)ts_diff_us(&e->start,
		    &e->now) / 1e6);
	return 1;
}

/* --- hosts --------------------------------------------------------------- */

static void
host_finish(struct engine *e, struct hstate *hs)
{
	struct host	*h = hs->h;
	struct portres	*r;
	uint32_t	 i;

	for (i = 0; i < e->sc->nports; i++) {
		r = &h->res[i];
		if ((r->flags & (PR_SKIP | PR_FINAL)) || !mine(e, i))
			continue;
		r->state = e->ops->silent;
		r->why = WHY_NORESPONSE;
		r->ttl = 0;
		r->flags |= PR_FINAL;
	}
	hs->end = time(NULL);
	hs->finished = 1;
	deadline_clear(&e->dq, &hs->timeout);
	e->left--;
}

/*
 * Silent ports whose tries fall short of what the host's losses now ask
 * for are sent again; returns how many.
 */
static uint32_t
silent_requeue(struct engine *e, struct hstate *hs)
{
	struct portres	*r;
	uint32_t	 i, kept = 0, again = 0, port;
	int		 allowed;

	if (hs->nsilent == 0)
		return 0;
	allowed = allowed_tries(e, hs);
	for (i = 0; i < hs->nsilent; i++) {
		port = hs->silent[i];
		r = &hs->h->res[port];
		if (r->flags & PR_FINAL)
			continue;
		if (r->quiet < allowed) {
			r->flags &= ~PR_SILENT;
			queue_push(e, hs, port, 0);
			atomic_fetch_sub(&e->sc->ports_done, 1);
			again++;
		} else
			hs->silent[kept++] = port;
	}
	hs->nsilent = kept;
	return again;
}

static void
host_check_done(struct engine *e, struct hstate *hs)
{
	if (hs->finished || hs->inflight > 0 || hs->qlen > 0 ||
	    hs->ping != NULL || fresh_left(e, hs))
		return;
	/* Answers still buffered, or news of lost ones, come first. */
	if (e->ops->sync != NULL && !e->syncing) {
		e->syncing = 1;
		e->ops->sync(e, e->ctx);
		e->syncing = 0;
		if (hs->finished || hs->inflight > 0 || hs->qlen > 0)
			return;
	}
	if (silent_requeue(e, hs) > 0)
		return;
	host_finish(e, hs);
}

/* Drops the host's probes in flight. */
static void
host_drop(struct engine *e, struct hstate *hs)
{
	struct probe	*p;
	uint32_t	 i;

	for (i = 0; i < e->npool; i++) {
		p = &e->pool[i];
		if (!p->used || p->host != hs->h)
			continue;
		if (!p->ping) {
			hs->inflight--;
			e->inflight--;
		}
		probe_put(e, p);
	}
	hs->ping = NULL;
}

static void
host_timeout(struct deadline *d, void *ctx)
{
	struct engine	*e = ctx;
	struct hstate	*hs = d->arg;

	host_drop(e, hs);
	hs->timedout = 1;
	hs->end = time(NULL);
	hs->finished = 1;
	e->left--;
}

/*
 * The system refuses to send to the host at all (no address of that
 * family, no route): the port is filtered, as nmap reports an
 * unreachable network, and the user is told once.
 */
static void
send_refused(struct engine *e, struct hstate *hs, uint32_t port, int err)
{
	struct portres	*r = &hs->h->res[port];

	if (!hs->refused++)
		warnx("cannot send to %s: %s; its ports are reported filtered",
		    host_ipstr(hs->h), strerror(err));
	r->state = PS_FILTERED;
	r->why = err == EHOSTUNREACH ? WHY_HOSTUNREACH : WHY_NETUNREACH;
	r->flags |= PR_FINAL;
	hs->done++;
	atomic_fetch_add(&e->sc->ports_done, 1);
	host_check_done(e, hs);
}

/* A host without a route: every port refused before the scan. */
static void
host_unroutable(struct engine *e, struct hstate *hs)
{
	uint32_t	i;

	for (i = 0; i < e->sc->nports && !hs->finished; i++)
		if ((hs->h->res[i].flags & PR_SKIP) == 0 && mine(e, i))
			send_refused(e, hs, i, hs->h->route_err);
}

static size_t
addr_hash(const struct addr *a)
{
	size_t	h = (size_t)a->family * 2654435761u;
	int	i;

	for (i = 0; i < 16; i++)
		h = (h ^ a->bytes[i]) * 16777619u;
	return h;
}

struct host *
engine_host_lookup(struct engine *e, const struct addr *a)
{
	size_t		i = addr_hash(a) & e->hashmask;
	uint32_t	v;

	while ((v = e->hash[i]) != 0) {
		if (addr_cmp(&e->hs[v - 1].h->addr, a) == 0)
			return e->hs[v - 1].h;
		i = (i + 1) & e->hashmask;
	}
	return NULL;
}

static struct hstate *
hstate_of(struct engine *e, const struct host *h)
{
	size_t		i = addr_hash(&h->addr) & e->hashmask;
	uint32_t	v;

	while ((v = e->hash[i]) != 0) {
		if (e->hs[v - 1].h == h)
			return &e->hs[v - 1];
		i = (i + 1) & e->hashmask;
	}
	return NULL;
}

int32_t
engine_port_index(const struct engine *e, uint16_t port)
{
	return e->sc->portmap[port];
}

/* --- answers and timeouts ---------------------------------------------- */

/* The host's probes in flight, timed again with the host's timeout. */
static void
rearm(struct engine *e, struct hstate *hs)
{
	struct timespec	 when;
	struct probe	*p;
	uint32_t	 i;
	long		 to = rtt_timeout(e, hs);

	for (i = 0; i < e->sc->nports; i++) {
		if ((p = engine_probe_of(e, hs->h, i)) == NULL)
			continue;
		when = p->sent;
		ts_add_us(&when, to);
		if (ts_before(&when, &p->dl.when))
			deadline_set(&e->dq, &p->dl, &when);
	}
}

/*
 * A round trip measured.  The first one of a host (or of the group, for
 * hosts that have none yet) replaces the initial guess of the timeout
 * (a second by default): the probes sent under that guess are timed
 * again, so that a few silent ports do not hold a small scan for it.
 */
static void
rtt_measured(struct engine *e, struct hstate *hs, const struct timespec *sent)
{
	long	delta = (long)ts_diff_us(sent, &e->now);
	size_t	i;
	int	first_host = hs->rtt.n == 0, first_group = e->grtt.n == 0;

	rtt_sample(&hs->rtt, delta);
	rtt_sample(&e->grtt, delta);
	if (first_group) {
		for (i = 0; i < e->nhosts; i++)
			if (e->hs[i].rtt.n == 0 && !e->hs[i].finished)
				rearm(e, &e->hs[i]);
	}
	if (first_host)
		rearm(e, hs);
}

static void
ping_answer(struct engine *e, struct hstate *hs, struct probe *p)
{
	rtt_measured(e, hs, &p->sent);
	hs->ping = NULL;
	probe_put(e, p);
	cc_grow(e, hs);
	host_check_done(e, hs);
}

static void
reason_from(struct engine *e, struct host *h, uint32_t port,
    const struct addr *from)
{
	struct reasonip	*ri;

	if (from == NULL || addr_cmp(from, &h->addr) == 0)
		return;
	ri = xcalloc(1, sizeof(*ri));
	ri->port = port;
	ri->proto = e->sc->proto;
	ri->from = *from;
	/* Workers share the host: one list, one lock. */
	(void)pthread_mutex_lock(&e->sc->lock);
	ri->next = h->rip;
	h->rip = ri;
	(void)pthread_mutex_unlock(&e->sc->lock);
}

/* A rate-limited answer to probe p: the silences just before it count. */
static void
lim_note(struct engine *e, struct hstate *hs, const struct probe *p)
{
	lim_answered(e, hs, &p->sent);
	if (p->batch != 0 && p->batch == hs->lim_batch)
		hs->lim_ans++;
}

/*
 * What a probe type heard: the answer to try tryno of a port (or to the
 * host's timing ping).  Late and repeated answers are welcome: the first
 * answer decides a port's state.
 */
void
engine_answer(struct engine *e, struct host *h, uint32_t port, int tryno,
    int ping, uint8_t state, uint8_t why, uint8_t ttl,
    const struct addr *from)
{
	struct hstate	*hs = hstate_of(e, h);
	struct portres	*r = &h->res[port];
	struct probe	*p;

	if (hs == NULL || hs->finished || !mine(e, port))
		return;
	e->answers++;
	hs->last_answer = e->now;
	if (ping) {
		if (hs->ping != NULL) {
			if (e->ops->limited && state != PS_OPEN)
				lim_note(e, hs, hs->ping);
			ping_answer(e, hs, hs->ping);
		}
		return;
	}
	if (r->flags & (PR_FINAL | PR_SKIP))
		return;
	if ((p = engine_probe_of(e, h, port)) != NULL) {
		r->probe = 0;
		if (p->tryno == tryno) {
			rtt_measured(e, hs, &p->sent);
			if (e->ops->limited && state != PS_OPEN)
				lim_note(e, hs, p);
		}
		hs->inflight--;
		e->inflight--;
		probe_put(e, p);
	}
	if (tryno > 0 && (!e->ops->limited || r->quiet > 0)) {
		/*
		 * An earlier try, or its answer, was lost (a withheld
		 * answer, whose silence did not count, is no loss).
		 */
		if (tryno > hs->max_ok_try)
			hs->max_ok_try = tryno;
		cc_loss(e, hs);
	} else if (tryno == 0)
		cc_grow(e, hs);
	r->state = state;
	r->why = why;
	r->ttl = ttl;
	if ((r->flags & PR_SILENT) == 0)
		atomic_fetch_add(&e->sc->ports_done, 1);
	r->flags |= PR_FINAL;
	reason_from(e, h, port, from);
	hs->done++;
	if (hs->ping_port == -1 && (state == PS_CLOSED ||
	    (state == PS_OPEN && e->ops->ping_open)) && from == NULL)
		hs->ping_port = (int)port;
	if (e->ops->up_on_answer && from == NULL) {
		h->up = 1;
		h->upwhy = why;
		h->upttl = ttl;
		engine_host_done(e, h);
		return;
	}
	if (state == PS_OPEN)
		output_discovered(e->sc, h, e->sc->ports[port]);
	host_check_done(e, hs);
}

/* The probe type has learnt all it needs of the host: no more probes. */
void
engine_host_done(struct engine *e, struct host *h)
{
	struct hstate	*hs = hstate_of(e, h);

	if (hs == NULL || hs->finished)
		return;
	host_drop(e, hs);
	hs->end = time(NULL);
	hs->finished = 1;
	deadline_clear(&e->dq, &hs->timeout);
	e->left--;
}

static void
probe_timeout(struct deadline *d, void *ctx)
{
	struct engine	*e = ctx;
	struct probe	*p = d->arg;
	struct hstate	*hs = &e->hs[p->hidx];
	struct portres	*r = &hs->h->res[p->port];
	uint32_t	 port = p->port;

	if (e->ops->expire != NULL && e->ops->expire(e, e->ctx, p))
		return;
	if (p->ping) {
		/*
		 * A port that always answers did not: something is lost,
		 * unless the host rate-limits its answers.
		 */
		hs->ping = NULL;
		probe_put(e, p);
		if (!hs->lim_on) {
			cc_loss(e, hs);
			if (hs->max_ok_try < 1)
				hs->max_ok_try = 1;
		}
		host_check_done(e, hs);
		return;
	}
	r->probe = 0;
	hs->inflight--;
	e->inflight--;
	e->timeouts++;
	if (!lim_meaningful(e, hs, p)) {
		/* Withheld, perhaps: sent again, first of the next batch. */
		if (p->batch != 0 && p->batch == hs->lim_batch)
			hs->lim_unc++;
		probe_put(e, p);
		r->flags |= PR_SUSPECT;
		lim_start(e, hs);
		queue_push(e, hs, port, 1);
		host_check_done(e, hs);
		return;
	}
	probe_put(e, p);
	r->quiet++;
	r->flags &= ~PR_SUSPECT;
	/* Silence is no loss: the window keeps growing. */
	if (!in_recovery(e, hs))
		cc_grow(e, hs);
	if (r->quiet < allowed_tries(e, hs))
		queue_push(e, hs, port, 0);
	else if ((r->flags & PR_SILENT) == 0) {
		r->flags |= PR_SILENT;
		hs->silent[hs->nsilent++] = port;
		atomic_fetch_add(&e->sc->ports_done, 1);
	}
	host_check_done(e, hs);
}

/* --- sending ------------------------------------------------------------- */

static long
scan_delay_us(const struct engine *e)
{
	return e->o->t.scan_delay * 1000;
}

static void
tokens_refill(struct engine *e)
{
	double	rate = e->max_rate, cap;

	if (rate <= 0)
		return;
	e->tokens += rate * (double)ts_diff_us(&e->tokens_at, &e->now) / 1e6;
	cap = rate / 100.0 < 1.0 ? 1.0 : rate / 100.0;
	if (e->tokens > cap)
		e->tokens = cap;
	e->tokens_at = e->now;
}

/* --min-rate: whether the scan is behind, and may send past the window. */
static int
rate_behind(const struct engine *e)
{
	double	el;

	if (e->min_rate <= 0)
		return 0;
	el = (double)ts_diff_us(&e->start, &e->now) / 1e6;
	return (double)e->sent < e->min_rate * el + 1.0;
}

/* Sends the probe of a port; 1 sent, -1 a local refusal. */
static int
host_send_port(struct engine *e, struct hstate *hs, uint32_t port)
{
	struct probe	*p;
	struct portres	*r;
	int		 saved;

	if ((p = probe_get(e)) == NULL) {
		queue_push(e, hs, port, 1);
		return -1;
	}
	r = &hs->h->res[port];
	deadline_now(&e->now);
	probe_stamp(e, p);
	p->host = hs->h;
	p->hidx = hs->idx;
	p->port = port;
	p->portno = e->sc->ports[port];
	p->tryno = r->tries++;
	p->batch = hs->lim_on ? hs->lim_batch : 0;
	if (hs->lim_first < 0)
		hs->lim_first = engine_us(e, &e->now);
	hs->last_port = port;
	r->probe = (uint32_t)(p - e->pool) + 1;
	hs->inflight++;
	e->inflight++;
	e->sent++;
	e->tokens -= 1.0;
	hs->next_send = e->now;
	ts_add_us(&hs->next_send, scan_delay_us(e));
	{
		struct timespec	when = e->now;

		ts_add_us(&when, rtt_timeout(e, hs));
		deadline_set(&e->dq, &p->dl, &when);
	}
	if (e->ops->send(e, e->ctx, p) == 0)
		return 1;
	saved = errno;
	r->tries--;
	r->probe = 0;
	hs->inflight--;
	e->inflight--;
	e->sent--;
	probe_put(e, p);
	if (e->inflight == 0) {
		/* Nothing of ours in flight: not our load, the system's no. */
		send_refused(e, hs, port, saved);
		return 1;
	}
	queue_push(e, hs, port, 1);
	cc_loss(e, hs);
	e->backoff = e->now;
	ts_add_us(&e->backoff, BACKOFF_US);
	errno = saved;
	return -1;
}

/* Sends the next probe; 1 sent, 0 nothing to send, -1 a local refusal. */
static int
host_send(struct engine *e, struct hstate *hs)
{
	uint32_t	port;

	if (!next_port(e, hs, &port))
		return 0;
	return host_send_port(e, hs, port);
}

static int
ping_due(const struct engine *e, const struct hstate *hs)
{
	long long	every = rtt_timeout(e, hs) / 4;

	if (hs->ping_port < 0 || hs->ping != NULL || hs->inflight == 0 ||
	    hs->lim_on || ts_before(&e->now, &hs->next_send))
		return 0;
	if (every < PING_MIN_US)
		every = PING_MIN_US;
	/* A slow scan's answers are scarce by design, not by loss. */
	if (every < 2 * scan_delay_us(e))
		every = 2 * scan_delay_us(e);
	return ts_diff_us(&hs->last_answer, &e->now) >= every &&
	    ts_diff_us(&hs->last_ping, &e->now) >= every;
}

static void
ping_send(struct engine *e, struct hstate *hs)
{
	struct probe	*p;
	struct timespec	 when;

	if ((p = probe_get(e)) == NULL)
		return;
	p->host = hs->h;
	p->hidx = hs->idx;
	p->port = (uint32_t)hs->ping_port;
	p->portno = e->sc->ports[hs->ping_port];
	p->tryno = 0;
	p->ping = 1;
	p->batch = hs->lim_on ? hs->lim_batch : 0;
	hs->ping = p;
	e->pings++;
	hs->last_ping = e->now;
	hs->next_send = e->now;
	ts_add_us(&hs->next_send, scan_delay_us(e));
	when = e->now;
	ts_add_us(&when, rtt_timeout(e, hs));
	deadline_set(&e->dq, &p->dl, &when);
	if (e->ops->send(e, e->ctx, p) == -1) {
		hs->ping = NULL;
		probe_put(e, p);
	}
}

/*
 * One pass over the hosts, round robin, sending what windows, rates and
 * delays allow.  Returns how long poll may sleep before sending is
 * possible again, in ms (-1: until something happens).
 */
/* --min-rate: ms until the rate needs the next probe, -1 without it. */
static long long
rate_wait(const struct engine *e)
{
	long long	d;

	if (e->min_rate <= 0)
		return -1;
	d = (long long)(((double)e->sent + 1.0) / e->min_rate * 1000.0) -
	    ts_diff_us(&e->start, &e->now) / 1000;
	return d < 0 ? 0 : d;
}

static int
wait_min(long long a, long long b)
{
	if (a < 0 || (b >= 0 && b < a))
		a = b;
	return (int)a;
}

/*
 * A paced host's next batch, once the last one is over and the gap has
 * passed.  The ports silent the most times without proof go first: an
 * answer to any probe after them proves their silence, and most of them
 * are the silent ports we are after.  A batch that is not full (the end
 * of the scan) ends with a timing ping to a closed port for the same
 * purpose.  Returns the probes sent, or -1 on a local refusal.
 */
static int
lim_send(struct engine *e, struct hstate *hs, long long *wait)
{
	const struct portres	*res = hs->h->res;
	uint32_t		*v, n = 0, i, j, t;
	int			 r = 0, sent = 0;

	if (hs->inflight > 0 || hs->ping != NULL)
		return 0;
	if (!hs->lim_seen) {
		/*
		 * Nothing to learn before a silence can count; after that,
		 * a host that never rate-limited an answer is not paced.
		 */
		struct timespec	q = e->start;

		ts_add_us(&q, hs->lim_first + LIM_QUIET_US);
		if (!ts_before(&e->now, &q)) {
			hs->lim_on = 0;
			*wait = 0;
			return 0;
		}
		if (ts_before(&hs->lim_next, &q))
			hs->lim_next = q;
	}
	if (ts_before(&e->now, &hs->lim_next)) {
		*wait = wait_min(*wait, ts_diff_us(&e->now, &hs->lim_next) /
		    1000 + 1);
		return 0;
	}
	lim_adapt(e, hs);
	if (!hs->lim_on)
		return 0;
	v = xreallocarray(NULL, hs->lim_size, sizeof(*v));
	while (n < hs->lim_size && next_port(e, hs, &v[n]))
		n++;
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && res[v[j]].tries - res[v[j]].quiet >
		    res[v[j - 1]].tries - res[v[j - 1]].quiet; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	hs->lim_batch++;
	hs->lim_at = engine_us(e, &e->now);
	hs->lim_sent = hs->lim_ans = hs->lim_unc = 0;
	for (i = 0; i < n; i++) {
		if (i > 0 && ts_before(&e->now, &hs->next_send))
			break;		/* --scan-delay */
		if ((r = host_send_port(e, hs, v[i])) == -1) {
			i++;		/* queued again by host_send_port() */
			break;
		}
		sent++;
	}
	/* What was not sent waits, first in line. */
	for (j = n; j > i; j--)
		queue_push(e, hs, v[j - 1], 1);
	free(v);
	hs->lim_sent = (uint32_t)sent;
	if (sent > 0 && n < hs->lim_size && hs->ping_port >= 0)
		ping_send(e, hs);
	hs->lim_next = e->now;
	ts_add_us(&hs->lim_next, hs->lim_gap > scan_delay_us(e) ?
	    hs->lim_gap : scan_delay_us(e));
	return r == -1 && sent == 0 ? -1 : sent;
}

static int
send_round(struct engine *e)
{
	struct hstate	*hs;
	int		 budget = SEND_BURST, progress, force, r;
	long long	 wait = -1, d;
	size_t		 k;

	if (ts_before(&e->now, &e->backoff))
		return (int)(ts_diff_us(&e->now, &e->backoff) / 1000) + 1;
	tokens_refill(e);
	do {
		progress = 0;
		for (k = 0; k < e->nhosts && budget > 0; k++) {
			hs = &e->hs[(e->rr + k) % e->nhosts];
			if (hs->finished)
				continue;
			if (hs->lim_on) {
				if ((r = lim_send(e, hs, &wait)) == -1)
					return BACKOFF_US / 1000;
				if (r > 0) {
					budget -= r;
					progress = 1;
				}
				continue;
			}
			if (ping_due(e, hs))
				ping_send(e, hs);
			force = rate_behind(e);
			if (e->inflight >= e->max_inflight &&
			    (!force || e->freelist == 0))
				return wait_min(wait, rate_wait(e));
			if (e->max_rate > 0 && e->tokens < 1.0)
				return (int)((1.0 - e->tokens) * 1000.0 /
				    e->max_rate) + 1;
			if (!force && hs->inflight >= (uint32_t)hs->cwnd)
				continue;
			if (ts_before(&e->now, &hs->next_send)) {
				d = ts_diff_us(&e->now, &hs->next_send) / 1000 + 1;
				wait = wait_min(wait, d);
				continue;
			}
			if ((r = host_send(e, hs)) == -1)
				return BACKOFF_US / 1000;
			if (r == 1) {
				budget--;
				progress = 1;
			}
		}
		e->rr = (e->rr + 1) % e->nhosts;
	} while (progress && budget > 0);
	if (budget == 0)
		return 0;
	return wait_min(wait, rate_wait(e));
}

/* --- descriptors ----------------------------------------------------------- */

/*
 * Watches fd for events; *slotp receives the watch's slot now and
 * whenever another watch's removal moves it.
 */
size_t
engine_watch(struct engine *e, int fd, short events, watch_fn *fn,
    void *arg, size_t *slotp)
{
	if (e->nw == e->capw) {
		e->capw = e->capw == 0 ? 64 : e->capw * 2;
		e->pfd = xreallocarray(e->pfd, e->capw, sizeof(*e->pfd));
		e->w = xreallocarray(e->w, e->capw, sizeof(*e->w));
	}
	e->pfd[e->nw].fd = fd;
	e->pfd[e->nw].events = events;
	e->pfd[e->nw].revents = 0;
	e->w[e->nw].fn = fn;
	e->w[e->nw].arg = arg;
	e->w[e->nw].slotp = slotp;
	if (slotp != NULL)
		*slotp = e->nw;
	return e->nw++;
}

void
engine_unwatch(struct engine *e, size_t slot)
{
	size_t	last = --e->nw;

	if (slot == last)
		return;
	e->pfd[slot] = e->pfd[last];
	e->w[slot] = e->w[last];
	if (e->w[slot].slotp != NULL)
		*e->w[slot].slotp = slot;
}

/* Runs the callbacks of ready descriptors, highest slot first. */
static void
dispatch(struct engine *e)
{
	size_t	i;
	short	rev;

	for (i = e->nw; i-- > 0;) {
		if (i >= e->nw || (rev = e->pfd[i].revents) == 0)
			continue;
		e->pfd[i].revents = 0;
		e->w[i].fn(e, e->w[i].arg, rev);
	}
}

/* --- progress ------------------------------------------------------------ */

static void
clock_format(double secs, char *buf, size_t len)
{
	long	s = (long)secs;

	(void)snprintf(buf, len, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60,
	    s % 60);
}

/* nmap's two status lines, for --stats-every, a key press and SIGUSR1. */
void
engine_status(struct engine *e, FILE *fp)
{
	char		 el[32], rem[32], etc[16];
	double		 pct = 0, elapsed = engine_elapsed(e), left;
	time_t		 t;
	struct tm	*tm;
	uint64_t	 total = atomic_load(&e->sc->ports_total);
	uint64_t	 done = atomic_load(&e->sc->ports_done);

	if (total > 0)
		pct = 100.0 * (double)done / (double)total;
	clock_format(elapsed, el, sizeof(el));
	fprintf(fp, "Stats: %s elapsed; %llu hosts completed (%llu up), "
	    "%zu undergoing %s\n", el,
	    (unsigned long long)e->sc->hosts_done,
	    (unsigned long long)e->sc->hosts_up, e->left, e->ops->name);
	if (pct <= 0.0) {
		fprintf(fp, "%s Timing: About 0.00%% done\n", e->ops->name);
		return;
	}
	left = (double)ts_diff_us(&e->start, &e->now) / 1e6 *
	    (100.0 - pct) / pct;
	clock_format(left, rem, sizeof(rem));
	t = time(NULL) + (time_t)left;
	tm = localtime(&t);
	if (tm == NULL || strftime(etc, sizeof(etc), "%H:%M", tm) == 0)
		(void)strlcpy(etc, "?", sizeof(etc));
	fprintf(fp, "%s Timing: About %.2f%% done; ETC: %s (%s remaining)\n",
	    e->ops->name, pct, etc, rem);
	(void)fflush(fp);
}

static void
stats_tick(struct deadline *d, void *ctx)
{
	struct engine	*e = ctx;

	if (output_interactive(e->sc->out))
		engine_status(e, stdout);
	deadline_set_in(&e->dq, d, e->o->stats_every);
}

/* --- the engine ---------------------------------------------------------- */

static void
hstate_init(struct engine *e, struct hstate *hs, struct host *h, size_t i)
{
	struct timespec	when;
	uint32_t	p;

	memset(hs, 0, sizeof(*hs));
	hs->h = h;
	hs->idx = (uint32_t)i;
	/* The first worker sets it, before any thread runs. */
	if (h->wall_start == 0)
		h->wall_start = time(NULL);
	hs->cwnd = CWND_INITIAL;
	if (e->o->t.min_parallelism > 0 &&
	    hs->cwnd < (double)e->o->t.min_parallelism)
		hs->cwnd = (double)e->o->t.min_parallelism;
	hs->ssthresh = (double)e->max_inflight;
	hs->ping_port = -1;
	hs->lim_first = -1;
	hs->queue = xreallocarray(NULL, e->sc->nports, sizeof(*hs->queue));
	hs->silent = xreallocarray(NULL, e->sc->nports, sizeof(*hs->silent));
	hs->last_answer = hs->last_ping = e->now;
	for (p = 0; p < e->sc->nports; p++)
		if ((h->res[p].flags & PR_SKIP) == 0 && mine(e, p))
			hs->todo++;
	deadline_init(&hs->timeout, host_timeout, hs);
	if (e->o->t.host_timeout > 0) {
		when = e->now;
		ts_add_us(&when, e->o->t.host_timeout * 1000LL);
		deadline_set(&e->dq, &hs->timeout, &when);
	}
	atomic_fetch_add(&e->sc->ports_total, hs->todo);
	if (hs->todo == 0)
		hs->finished = 1;
}

static void
hash_build(struct engine *e)
{
	size_t	cap = 16, i, j;

	while (cap < e->nhosts * 2)
		cap *= 2;
	e->hash = xcalloc(cap, sizeof(*e->hash));
	e->hashmask = cap - 1;
	for (i = 0; i < e->nhosts; i++) {
		j = addr_hash(&e->hs[i].h->addr) & e->hashmask;
		while (e->hash[j] != 0)
			j = (j + 1) & e->hashmask;
		e->hash[j] = (uint32_t)i + 1;
	}
}

static void
pool_init(struct engine *e)
{
	uint32_t	i, n = e->max_inflight + (uint32_t)e->nhosts;
	double		extra;

	/* --min-rate may keep a second's worth of its rate in flight. */
	if (e->min_rate > 0) {
		extra = e->min_rate * (double)e->o->t.max_rtt / 1000.0;
		n += extra > 100000.0 ? 100000 : (uint32_t)extra;
	}

	e->pool = xcalloc(n, sizeof(*e->pool));
	e->npool = n;
	for (i = 0; i < n; i++) {
		deadline_init(&e->pool[i].dl, probe_timeout, &e->pool[i]);
		e->pool[i].nextfree = i + 2 <= n ? i + 2 : 0;
		e->pool[i].fd = -1;
	}
	e->freelist = 1;
}

/* A worker's share of a limit: at least one, rounded up. */
static uint32_t
share(double v, unsigned int nworkers)
{
	double	s = v / (double)nworkers;

	return s < 1.0 ? 1 : (uint32_t)(s + 0.999);
}

static struct engine *
engine_new(struct scan *sc, const struct probe_ops *ops, void *ctx,
    struct host **hosts, size_t nhosts, unsigned int worker,
    unsigned int nworkers)
{
	struct engine	*e = xcalloc(1, sizeof(*e));
	size_t		 i;
	int		 j;

	e->sc = sc;
	e->o = sc->o;
	e->ops = ops;
	e->ctx = ctx;
	e->worker = worker;
	e->nworkers = nworkers;
	e->nhosts = nhosts;
	e->max_inflight = share((double)ops->max_parallel, nworkers);
	if (e->o->t.max_parallelism > 0 &&
	    (uint32_t)e->o->t.max_parallelism < e->max_inflight)
		e->max_inflight = (uint32_t)e->o->t.max_parallelism;
	e->min_rate = e->o->t.min_rate / (double)nworkers;
	e->max_rate = e->o->t.max_rate / (double)nworkers;
	deadline_queue_init(&e->dq);
	deadline_now(&e->now);
	e->start = e->tokens_at = e->backoff = e->now;
	e->tokens = 1.0;
	pool_init(e);
	e->hs = xcalloc(nhosts, sizeof(*e->hs));
	for (i = 0; i < nhosts; i++) {
		hstate_init(e, &e->hs[i], hosts[i], i);
		if (!e->hs[i].finished)
			e->left++;
	}
	hash_build(e);
	deadline_init(&e->stats, stats_tick, e);
	/* Signals, key presses and progress are the first worker's. */
	if (worker == 0) {
		for (j = 0; j < 2; j++)
			if (sc->ctlfd[j] >= 0)
				(void)engine_watch(e, sc->ctlfd[j], POLLIN,
				    sc->ctlfn[j], sc, NULL);
		if (e->o->stats_every > 0)
			deadline_set_in(&e->dq, &e->stats, e->o->stats_every);
	}
	return e;
}

/* Runs the scan of the worker's slice to its end. */
static int
engine_run(struct engine *e)
{
	size_t	i;
	int	timeout, t;

	for (i = 0; i < e->nhosts; i++)
		if (e->hs[i].h->route_err != 0 && !e->hs[i].finished)
			host_unroutable(e, &e->hs[i]);
	while (e->left > 0 && !atomic_load(e->sc->stop)) {
		deadline_now(&e->now);
		(void)deadline_run(&e->dq, &e->now, e);
		if (e->left == 0)
			break;
		timeout = send_round(e);
		if (e->ops->flush != NULL && e->ops->flush(e, e->ctx) > 0 &&
		    (timeout < 0 || timeout > 1))
			timeout = 1;
		/* Answers can come within a send (a connect that fails). */
		if (e->left == 0)
			break;
		t = deadline_timeout(&e->dq, &e->now);
		if (timeout < 0 || (t >= 0 && t < timeout))
			timeout = t;
		if (poll(e->pfd, (nfds_t)e->nw, timeout) == -1) {
			if (errno == EINTR)
				continue;
			warn("poll");
			return -1;
		}
		deadline_now(&e->now);
		dispatch(e);
	}
	return atomic_load(e->sc->stop) ? -1 : 0;
}

static void *
engine_thread(void *arg)
{
	struct engine	*e = arg;

	e->result = engine_run(e);
	return NULL;
}

/* The workers' timing of each host, into the host for the reports. */
static void
engine_merge(struct engine **ev, unsigned int n)
{
	struct hstate	*hs, *best;
	struct host	*h;
	size_t		 i;
	unsigned int	 w;

	for (i = 0; i < ev[0]->nhosts; i++) {
		h = ev[0]->hs[i].h;
		best = &ev[0]->hs[i];
		for (w = 0; w < n; w++) {
			hs = &ev[w]->hs[i];
			if (hs->timedout)
				h->timedout = 1;
			if (hs->end > h->wall_end)
				h->wall_end = hs->end;
			if (hs->rtt.n > best->rtt.n)
				best = hs;
		}
		if (best->rtt.n > 0) {
			h->srtt = best->rtt.srtt;
			h->rttvar = best->rtt.rttvar;
		}
		/* A phase that measured nothing keeps the last one's times. */
		for (w = 0; w < n && ev[w]->hs[i].todo == 0; w++)
			;
		if (best->rtt.n > 0 || h->rto < 0)
			h->rto = rtt_timeout(ev[w < n ? w : 0], best);
		if (h->wall_end == 0)
			h->wall_end = time(NULL);
	}
}

static void
engine_free(struct engine *e)
{
	size_t		i;

	if (e == NULL)
		return;
	if (e->sc->debug > 0)
		fprintf(stderr, "pscan: %s, worker %u of %u, %zu hosts: %.3fs, "
		    "%llu probes, %llu answers, %llu timeouts, %llu pings, "
		    "%llu losses, window up to %.0f, srtt %ld us\n",
		    e->ops->name, e->worker + 1, e->nworkers, e->nhosts,
		    (double)ts_diff_us(&e->start, &e->now) / 1e6,
		    (unsigned long long)e->sent,
		    (unsigned long long)e->answers,
		    (unsigned long long)e->timeouts,
		    (unsigned long long)e->pings,
		    (unsigned long long)e->losses, e->cwnd_max,
		    e->grtt.srtt);
	for (i = 0; i < e->npool; i++)
		if (e->pool[i].used)
			probe_put(e, &e->pool[i]);
	for (i = 0; i < e->nhosts; i++) {
		free(e->hs[i].queue);
		free(e->hs[i].silent);
		free(e->hs[i].cw);
	}
	deadline_queue_free(&e->dq);
	free(e->hs);
	free(e->hash);
	free(e->pool);
	free(e->pfd);
	free(e->w);
	free(e);
}

/*
 * How many workers a group gets: one per processor for a large scan, one
 * when the options ask for a serial one or the scan is small.
 */
unsigned int
engine_workers(const struct scan *sc, size_t nhosts, int max)
{
	const struct timing	*t = &sc->o->t;
	long			 ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int		 n;

	if (t->scan_delay > 0 || t->max_parallelism > 0 ||
	    (uint64_t)nhosts * sc->nports < WORKER_MIN_CELLS || ncpu <= 1)
		return 1;
	n = ncpu > WORKERS_MAX ? WORKERS_MAX : (unsigned int)ncpu;
	if (max > 0 && n > (unsigned int)max)
		n = (unsigned int)max;
	if (n > sc->nports)
		n = sc->nports;
	return n;
}

/*
 * Scans a group with the probe type, one worker (engine and thread) per
 * context: 0, or -1 when stopped.  attach() lets the probe type watch
 * its own descriptors in each engine.
 */
int
engine_scan_group(struct scan *sc, const struct probe_ops *ops, void **ctx,
    unsigned int n, struct host **hosts, size_t nhosts,
    void (*attach)(struct engine *, void *))
{
	struct engine	*ev[WORKERS_MAX] = { NULL };
	pthread_t	 tid[WORKERS_MAX];
	unsigned int	 w, started;
	int		 r = 0;

	if (n < 1 || n > WORKERS_MAX)
		n = 1;
	for (w = 0; w < n; w++) {
		ev[w] = engine_new(sc, ops, ctx[w], hosts, nhosts, w, n);
		if (attach != NULL)
			attach(ev[w], ctx[w]);
	}
	for (started = 1; started < n; started++)
		if (pthread_create(&tid[started], NULL, engine_thread,
		    ev[started]) != 0)
			break;
	/* Without a thread, a worker runs here after the first. */
	engine_thread(ev[0]);
	for (w = started; w < n; w++)
		engine_thread(ev[w]);
	for (w = 1; w < started; w++)
		(void)pthread_join(tid[w], NULL);
	for (w = 0; w < n; w++)
		if (ev[w]->result != 0)
			r = -1;
	engine_merge(ev, n);
	for (w = 0; w < n; w++)
		engine_free(ev[w]);
	return r;
}
