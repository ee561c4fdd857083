/*
 * test_deadline.c: timers fire in deadline order, can be moved and
 * cancelled, and the poll timeout is the time to the nearest one.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deadline.h"
#include "tap.h"

static char	fired[64];

static void
on_fire(struct deadline *d, void *ctx)
{
	size_t	n = strlen(fired);

	(void)ctx;
	if (n + 1 < sizeof(fired)) {
		fired[n] = *(const char *)d->arg;
		fired[n + 1] = '\0';
	}
}

static struct timespec
at(time_t sec, long ms)
{
	struct timespec	ts;

	ts.tv_sec = sec;
	ts.tv_nsec = ms * 1000000L;
	return ts;
}

static void
test_order(void)
{
	struct deadline_queue	q;
	struct deadline		d[5];
	static const char	names[] = "abcde";
	struct timespec		t, now;
	int			i;

	deadline_queue_init(&q);
	for (i = 0; i < 5; i++)
		deadline_init(&d[i], on_fire, (void *)&names[i]);
	now = at(100, 0);
	is_int(deadline_timeout(&q, &now), -1, "empty queue: no timeout");
	t = at(105, 0); deadline_set(&q, &d[0], &t);
	t = at(101, 500); deadline_set(&q, &d[1], &t);
	t = at(103, 0); deadline_set(&q, &d[2], &t);
	t = at(102, 0); deadline_set(&q, &d[3], &t);
	t = at(104, 0); deadline_set(&q, &d[4], &t);
	is_int(deadline_timeout(&q, &now), 1500, "timeout is to the nearest");
	t = at(100, 100); deadline_set(&q, &d[4], &t);
	is_int(deadline_timeout(&q, &now), 100, "moving a timer reorders");
	deadline_clear(&q, &d[4]);
	ok(!deadline_armed(&d[4]), "a cleared timer is not armed");
	deadline_clear(&q, &d[4]);
	ok(1, "clearing twice is harmless");
	now = at(102, 0);
	is_int(deadline_run(&q, &now, NULL), 2, "two timers due at 102");
	is_str(fired, "bd", "fired in deadline order");
	now = at(200, 0);
	is_int(deadline_run(&q, &now, NULL), 2, "the rest fire later");
	is_str(fired, "bdca", "in order");
	is_int(deadline_timeout(&q, &now), -1, "queue empty again");
	deadline_queue_free(&q);
}

static void
test_rounding(void)
{
	struct deadline_queue	q;
	struct deadline		d;
	struct timespec		t, now;

	deadline_queue_init(&q);
	deadline_init(&d, NULL, NULL);
	t = at(10, 0);
	t.tv_nsec += 1;
	deadline_set(&q, &d, &t);
	now = at(10, 0);
	is_int(deadline_timeout(&q, &now), 1, "1 ns away rounds up to 1 ms");
	now = at(11, 0);
	is_int(deadline_timeout(&q, &now), 0, "a past deadline gives 0");
	t = at(2000000000, 0);
	deadline_set(&q, &d, &t);
	now = at(0, 0);
	ok(deadline_timeout(&q, &now) > 0, "a far deadline saturates");
	deadline_queue_free(&q);
}

/* Many random timers come out sorted, with random cancellations. */
static void
test_heap(void)
{
	struct deadline_queue	 q;
	struct deadline		*d;
	struct timespec		 t, now, last;
	int			 i, n = 2000, bad = 0, count = 0;

	deadline_queue_init(&q);
	d = calloc((size_t)n, sizeof(*d));
	srand(42);
	for (i = 0; i < n; i++) {
		deadline_init(&d[i], NULL, NULL);
		t = at(rand() % 1000, rand() % 1000);
		deadline_set(&q, &d[i], &t);
	}
	for (i = 0; i < n; i += 3)
		deadline_clear(&q, &d[i]);
	last = at(0, 0);
	while (q.n > 0) {
		struct deadline	*top = q.heap[0];

		if (top->when.tv_sec < last.tv_sec ||
		    (top->when.tv_sec == last.tv_sec &&
		    top->when.tv_nsec < last.tv_nsec))
			bad++;
		last = top->when;
		now = top->when;
		count += deadline_run(&q, &now, NULL) > 0;
	}
	is_int(bad, 0, "heap yields deadlines in order");
	ok(count > 0, "and runs them");
	free(d);
	deadline_queue_free(&q);
}

int
main(void)
{
	test_order();
	test_rounding();
	test_heap();
	return tap_done();
}
