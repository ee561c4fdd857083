/*
 * deadline.c: a binary min-heap of intrusive timers.
 *
 * The heap stores pointers to the timers and every timer remembers its
 * slot, so a timer can be moved or cancelled without a search.  The
 * callbacks run after the timer has left the heap, so a callback may
 * re-arm its own timer or cancel others freely.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <time.h>

#include "deadline.h"
#include "xmalloc.h"

void
deadline_queue_init(struct deadline_queue *q)
{
	q->heap = NULL;
	q->n = q->cap = 0;
}

void
deadline_queue_free(struct deadline_queue *q)
{
	size_t	i;

	for (i = 0; i < q->n; i++)
		q->heap[i]->slot = DEADLINE_IDLE;
	free(q->heap);
	deadline_queue_init(q);
}

void
deadline_init(struct deadline *d, deadline_fn fn, void *arg)
{
	d->when.tv_sec = 0;
	d->when.tv_nsec = 0;
	d->slot = DEADLINE_IDLE;
	d->fn = fn;
	d->arg = arg;
}

static int
deadline_before(const struct deadline *a, const struct deadline *b)
{
	if (a->when.tv_sec != b->when.tv_sec)
		return a->when.tv_sec < b->when.tv_sec;
	return a->when.tv_nsec < b->when.tv_nsec;
}

static void
deadline_place(struct deadline_queue *q, size_t i, struct deadline *d)
{
	q->heap[i] = d;
	d->slot = i;
}

static void
deadline_up(struct deadline_queue *q, size_t i)
{
	struct deadline	*d = q->heap[i];
	size_t		 parent;

	while (i > 0) {
		parent = (i - 1) / 2;
		if (!deadline_before(d, q->heap[parent]))
			break;
		deadline_place(q, i, q->heap[parent]);
		i = parent;
	}
	deadline_place(q, i, d);
}

static void
deadline_down(struct deadline_queue *q, size_t i)
{
	struct deadline	*d = q->heap[i];
	size_t		 child;

	for (;;) {
		child = 2 * i + 1;
		if (child >= q->n)
			break;
		if (child + 1 < q->n &&
		    deadline_before(q->heap[child + 1], q->heap[child]))
			child++;
		if (!deadline_before(q->heap[child], d))
			break;
		deadline_place(q, i, q->heap[child]);
		i = child;
	}
	deadline_place(q, i, d);
}

void
deadline_clear(struct deadline_queue *q, struct deadline *d)
{
	size_t	i = d->slot;

	if (i == DEADLINE_IDLE)
		return;
	d->slot = DEADLINE_IDLE;
	if (--q->n == i)
		return;
	deadline_place(q, i, q->heap[q->n]);
	deadline_up(q, i);
	deadline_down(q, q->heap[i]->slot);
}

/* Arm d for when; an armed timer is moved. */
void
deadline_set(struct deadline_queue *q, struct deadline *d,
    const struct timespec *when)
{
	deadline_clear(q, d);
	if (q->n == q->cap) {
		q->cap = q->cap == 0 ? 16 : q->cap * 2;
		q->heap = xreallocarray(q->heap, q->cap, sizeof(*q->heap));
	}
	d->when = *when;
	deadline_place(q, q->n++, d);
	deadline_up(q, q->n - 1);
}

/* Arm d for msec milliseconds from now. */
void
deadline_set_in(struct deadline_queue *q, struct deadline *d, long long msec)
{
	struct timespec	when;

	deadline_now(&when);
	when.tv_sec += (time_t)(msec / 1000);
	when.tv_nsec += (long)(msec % 1000) * 1000000L;
	if (when.tv_nsec >= 1000000000L) {
		when.tv_sec++;
		when.tv_nsec -= 1000000000L;
	}
	deadline_set(q, d, &when);
}

int
deadline_armed(const struct deadline *d)
{
	return d->slot != DEADLINE_IDLE;
}

/* Milliseconds from a to b (b - a), saturated to what an int holds. */
long long
deadline_diff_ms(const struct timespec *a, const struct timespec *b)
{
	long long	ms;

	ms = ((long long)b->tv_sec - (long long)a->tv_sec) * 1000LL +
	    ((long long)b->tv_nsec - (long long)a->tv_nsec) / 1000000LL;
	if (ms > INT_MAX)
		ms = INT_MAX;
	if (ms < INT_MIN)
		ms = INT_MIN;
	return ms;
}

/*
 * The poll(2) timeout until the nearest deadline: -1 when none is armed,
 * 0 when one has passed.  Rounded up, so poll never wakes a little early
 * and spins.
 */
int
deadline_timeout(const struct deadline_queue *q, const struct timespec *now)
{
	const struct timespec	*w;
	long long		 ns;

	if (q->n == 0)
		return -1;
	w = &q->heap[0]->when;
	if ((long long)w->tv_sec - (long long)now->tv_sec > INT_MAX / 1000)
		return INT_MAX;
	ns = ((long long)w->tv_sec - (long long)now->tv_sec) * 1000000000LL +
	    ((long long)w->tv_nsec - (long long)now->tv_nsec);
	if (ns <= 0)
		return 0;
	return (int)((ns + 999999LL) / 1000000LL);
}

/* Run every timer whose deadline is at or before now; returns how many. */
int
deadline_run(struct deadline_queue *q, const struct timespec *now, void *ctx)
{
	struct deadline	*d;
	int		 n = 0;

	while (q->n > 0) {
		d = q->heap[0];
		if (d->when.tv_sec > now->tv_sec ||
		    (d->when.tv_sec == now->tv_sec &&
		    d->when.tv_nsec > now->tv_nsec))
			break;
		deadline_clear(q, d);
		n++;
		if (d->fn != NULL)
			d->fn(d, ctx);
	}
	return n;
}

void
deadline_now(struct timespec *ts)
{
	if (clock_gettime(CLOCK_MONOTONIC, ts) == -1) {
		ts->tv_sec = time(NULL);
		ts->tv_nsec = 0;
	}
}
