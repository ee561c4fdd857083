/*
 * trigger.c: SCAN_TRIGGER, when a source has done enough to be reported.
 *
 * portsentry 1.2 keeps the last 50 probes of all sources in one ring and
 * reacts to a source once it appears SCAN_TRIGGER times there: no time
 * limit, and 50 probes from others push a slow scanner out.  Here each
 * source has its own entry in a table of TRIGGER_SOURCES.  Without
 * SCAN_WINDOW a source is reported once it has sent SCAN_TRIGGER probes
 * (1.2's count); with SCAN_WINDOW it must have probed SCAN_TRIGGER
 * different ports within that many seconds.  A full table forgets the
 * source it heard from least recently, so that memory stays bounded
 * whatever a flood of forged sources does: at most TRIGGER_SOURCES
 * entries of a fixed size each.
 */
#include "config.h"

#include <sys/types.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sentry.h"
#include "xmalloc.h"

struct trigslot {
	uint32_t	key;		/* protocol << 16 | port */
	int64_t		ms;		/* last seen, monotonic */
};

struct trigsrc {
	unsigned long	count;		/* probes, without a window */
	int		nslots;
	struct trigslot	slots[];	/* distinct ports, with a window */
};

struct trigger {
	struct hosttab	*tab;
	int		 n;		/* SCAN_TRIGGER */
	int64_t		 window_ms;	/* 0: no window */
	size_t		 datasize;
};

struct trigger *
trigger_new(int scan_trigger, int scan_window)
{
	struct trigger	*t = xcalloc(1, sizeof(*t));

	t->n = scan_trigger;
	t->window_ms = (int64_t)scan_window * 1000;
	t->datasize = sizeof(struct trigsrc);
	if (t->window_ms > 0)
		t->datasize += (size_t)t->n * sizeof(struct trigslot);
	if (t->n > 1)
		t->tab = hosttab_new(TRIGGER_SOURCES, t->datasize);
	return t;
}

/* Forget the ports seen before the window. */
static void
trigger_expire(struct trigsrc *s, int64_t oldest)
{
	int	i, j;

	for (i = j = 0; i < s->nslots; i++)
		if (s->slots[i].ms >= oldest)
			s->slots[j++] = s->slots[i];
	s->nslots = j;
}

static int
trigger_window(struct trigger *t, struct trigsrc *s, uint32_t key,
    int64_t now)
{
	int	i, old = 0;

	trigger_expire(s, now - t->window_ms);
	for (i = 0; i < s->nslots; i++) {
		if (s->slots[i].key == key) {
			s->slots[i].ms = now;
			return s->nslots >= t->n;
		}
		if (s->slots[i].ms < s->slots[old].ms)
			old = i;
	}
	if (s->nslots < t->n)
		i = s->nslots++;
	else
		i = old;	/* already over the trigger: keep the newest */
	s->slots[i].key = key;
	s->slots[i].ms = now;
	return s->nslots >= t->n;
}

/* Count a probe; 1 when its source is to be reported. */
int
trigger_hit(struct trigger *t, const struct addr *src, int proto, int port,
    const struct timespec *now)
{
	struct trigsrc	*s;
	int		 isnew;

	if (t->tab == NULL)
		return 1;	/* 0 and 1 react to the first probe */
	s = hosttab_get(t->tab, src, &isnew, 1);
	if (t->window_ms == 0)
		return ++s->count >= (unsigned long)t->n;
	return trigger_window(t, s, (uint32_t)proto << 16 | (uint32_t)port,
	    (int64_t)now->tv_sec * 1000 + now->tv_nsec / 1000000);
}

size_t
trigger_sources(const struct trigger *t)
{
	return t->tab != NULL ? hosttab_count(t->tab) : 0;
}

void
trigger_free(struct trigger *t)
{
	if (t == NULL)
		return;
	hosttab_free(t->tab);
	free(t);
}
