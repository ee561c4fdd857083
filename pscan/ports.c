/*
 * ports.c: which TCP ports a scan probes, and in which order.
 *
 * The set comes from -p (nmap's syntax, parsed by common/portlist), or
 * from the frequency table: -F takes the 100 most often open ports, the
 * default the 1000 most often open, --top-ports N the first N (among the
 * -p ports when both are given).  Results are kept in ascending port
 * order; probes go out in a random order (-r: ascending) with the most
 * popular ports moved to the front, since their answers give the first
 * round-trip times before the silent ports need them.
 */
#include "config.h"

#include <sys/types.h>
#include <netinet/in.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portlist.h"
#include "xmalloc.h"
#include "pscan.h"

/* Ports probed first, before the random order: the top of the table. */
#define PORTS_EARLY	25

static int
ports_from_spec(const struct scan *sc, struct portlist *pl, char *err,
    size_t errlen)
{
	if (portlist_parse(pl, sc->o->portspec, PORTLIST_TCP, sc->svc, err,
	    errlen) == -1)
		return -1;
	if (portlist_next(pl, IPPROTO_UDP, 0) != -1 ||
	    portlist_next(pl, IPPROTO_SCTP, 0) != -1)
		warnx("WARNING: the port list has U: or S: ports, which only "
		    "UDP and SCTP scans probe; this version scans TCP only, "
		    "so they are left out");
	if (portlist_next(pl, IPPROTO_TCP, 0) == -1) {
		(void)snprintf(err, errlen, "invalid port list '%s': no TCP "
		    "ports in it", sc->o->portspec);
		return -1;
	}
	return 0;
}

/* The first n ports of the table that are in *within (all: NULL). */
static void
ports_top(struct portlist *pl, unsigned int n, const struct portlist *within)
{
	size_t		i;
	unsigned int	got = 0;
	int		p;

	portlist_clear(pl);
	for (i = 0; i < topports_tcp_count && got < n; i++) {
		p = topports_tcp[i];
		if (within != NULL && !portlist_has(within, IPPROTO_TCP, p))
			continue;
		(void)portlist_add(pl, IPPROTO_TCP, p);
		got++;
	}
	/* Beyond the table, the remaining ports in ascending order. */
	for (p = 1; p <= 65535 && got < n; p++) {
		if (portlist_has(pl, IPPROTO_TCP, p) ||
		    (within != NULL && !portlist_has(within, IPPROTO_TCP, p)))
			continue;
		(void)portlist_add(pl, IPPROTO_TCP, p);
		got++;
	}
}

static void
ports_order(struct scan *sc)
{
	uint32_t	i, j, tmp, early = 0;
	size_t		k;
	int32_t		idx;

	sc->order = xreallocarray(NULL, sc->nports, sizeof(*sc->order));
	for (i = 0; i < sc->nports; i++)
		sc->order[i] = i;
	if (sc->o->sequential)
		return;
	for (i = sc->nports; i > 1; i--) {
		j = rand_below(&sc->rnd, i);
		tmp = sc->order[i - 1];
		sc->order[i - 1] = sc->order[j];
		sc->order[j] = tmp;
	}
	for (k = 0; k < PORTS_EARLY && k < topports_tcp_count; k++) {
		if ((idx = sc->portmap[topports_tcp[k]]) == -1)
			continue;
		for (i = early; i < sc->nports; i++)
			if (sc->order[i] == (uint32_t)idx)
				break;
		tmp = sc->order[early];
		sc->order[early] = sc->order[i];
		sc->order[i] = tmp;
		early++;
	}
}

int
ports_setup(struct scan *sc, char *err, size_t errlen)
{
	struct portlist	*pl, *spec = NULL;
	uint32_t	 n = 0;
	int		 p;

	pl = xmalloc(sizeof(*pl));
	if (sc->o->portspec != NULL) {
		spec = xmalloc(sizeof(*spec));
		if (ports_from_spec(sc, spec, err, errlen) == -1) {
			free(spec);
			free(pl);
			return -1;
		}
	}
	if (sc->o->topports > 0 || spec == NULL)
		ports_top(pl, sc->o->topports > 0 ? (unsigned)sc->o->topports :
		    1000, spec);
	else
		*pl = *spec;
	free(spec);
	sc->nports = portlist_count(pl, IPPROTO_TCP);
	sc->ports = xreallocarray(NULL, sc->nports, sizeof(*sc->ports));
	sc->portmap = xreallocarray(NULL, 65536, sizeof(*sc->portmap));
	memset(sc->portmap, 0xff, 65536 * sizeof(*sc->portmap));
	for (p = portlist_next(pl, IPPROTO_TCP, 0); p != -1;
	    p = portlist_next(pl, IPPROTO_TCP, p + 1)) {
		sc->ports[n] = (uint16_t)p;
		sc->portmap[p] = (int32_t)n++;
	}
	free(pl);
	ports_order(sc);
	return 0;
}

void
ports_free(struct scan *sc)
{
	free(sc->ports);
	free(sc->order);
	free(sc->portmap);
	sc->ports = NULL;
	sc->order = NULL;
	sc->portmap = NULL;
}
