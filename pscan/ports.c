/*
 * ports.c: which TCP and UDP ports a scan probes, and in which order.
 *
 * The sets come from -p (nmap's syntax, parsed by common/portlist: "T:"
 * and "U:" name a protocol, other ports go to every protocol scanned),
 * or from the frequency tables: -F takes the 100 most often open ports
 * of a protocol, the default the 1000 most often open, --top-ports N the
 * first N (among the -p ports when both are given).  Results are kept in
 * ascending port order; probes go out in a random order (-r: ascending)
 * with the most popular ports moved to the front, since their answers
 * give the first round-trip times before the silent ports need them.
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

static const struct {
	int		 proto;
	int		 mask;
	const char	*name;
	const uint16_t	*top;
	const size_t	*ntop;
} protos[PSET_N] = {
	{ IPPROTO_TCP, PORTLIST_TCP, "TCP", topports_tcp, &topports_tcp_count },
	{ IPPROTO_UDP, PORTLIST_UDP, "UDP", topports_udp, &topports_udp_count },
};

/* Whether the options scan a protocol's ports at all. */
static int
set_scanned(const struct options *o, int set)
{
	if (o->noscan)
		return 0;
	return set == PSET_TCP ? o->scan != SCAN_NONE : o->udp;
}

static int
ports_from_spec(const struct scan *sc, struct portlist *pl, char *err,
    size_t errlen)
{
	int	mask = 0, s, any = 0;

	for (s = 0; s < PSET_N; s++)
		if (set_scanned(sc->o, s))
			mask |= protos[s].mask;
	if (portlist_parse(pl, sc->o->portspec, mask, sc->svc, err,
	    errlen) == -1)
		return -1;
	for (s = 0; s < PSET_N; s++) {
		if (portlist_next(pl, protos[s].proto, 0) == -1)
			continue;
		if (set_scanned(sc->o, s))
			any = 1;
		else
			warnx("WARNING: the port list has %s ports, but no %s "
			    "scan was asked for (%s): they are left out",
			    protos[s].name, protos[s].name,
			    s == PSET_TCP ? "-sS, -sT..." : "-sU");
	}
	if (portlist_next(pl, IPPROTO_SCTP, 0) != -1)
		warnx("WARNING: the port list has SCTP ports, which this "
		    "version does not scan: they are left out");
	if (!any) {
		(void)snprintf(err, errlen, "invalid port list '%s': no ports "
		    "of a protocol being scanned", sc->o->portspec);
		return -1;
	}
	return 0;
}

/* The first n ports of a table that are in *within (all: NULL). */
static void
ports_top(struct portlist *pl, int s, unsigned int n,
    const struct portlist *within)
{
	int		proto = protos[s].proto, p;
	size_t		i;
	unsigned int	got = 0;

	for (i = 0; i < *protos[s].ntop && got < n; i++) {
		p = protos[s].top[i];
		if (within != NULL && !portlist_has(within, proto, p))
			continue;
		(void)portlist_add(pl, proto, p);
		got++;
	}
	/* Beyond the table, the remaining ports in ascending order. */
	for (p = 1; p <= 65535 && got < n; p++) {
		if (portlist_has(pl, proto, p) ||
		    (within != NULL && !portlist_has(within, proto, p)))
			continue;
		(void)portlist_add(pl, proto, p);
		got++;
	}
}

static void
ports_order(struct scan *sc, struct portset *ps, int s)
{
	uint32_t	i, j, tmp, early = 0;
	size_t		k;
	int32_t		idx;

	ps->order = xreallocarray(NULL, ps->n, sizeof(*ps->order));
	for (i = 0; i < ps->n; i++)
		ps->order[i] = i;
	if (sc->o->sequential)
		return;
	for (i = ps->n; i > 1; i--) {
		j = rand_below(&sc->rnd, i);
		tmp = ps->order[i - 1];
		ps->order[i - 1] = ps->order[j];
		ps->order[j] = tmp;
	}
	for (k = 0; k < PORTS_EARLY && k < *protos[s].ntop; k++) {
		if ((idx = ps->map[protos[s].top[k]]) == -1)
			continue;
		for (i = early; i < ps->n; i++)
			if (ps->order[i] == (uint32_t)idx)
				break;
		tmp = ps->order[early];
		ps->order[early] = ps->order[i];
		ps->order[i] = tmp;
		early++;
	}
}

/* A set from n sorted ports, in ascending probe order. */
int
ports_list(struct portset *ps, int proto, const uint16_t *ports, size_t n)
{
	uint32_t	i;

	memset(ps, 0, sizeof(*ps));
	ps->proto = proto;
	ps->n = (uint32_t)n;
	ps->ports = xreallocarray(NULL, n > 0 ? n : 1, sizeof(*ps->ports));
	ps->order = xreallocarray(NULL, n > 0 ? n : 1, sizeof(*ps->order));
	ps->map = xreallocarray(NULL, 65536, sizeof(*ps->map));
	memset(ps->map, 0xff, 65536 * sizeof(*ps->map));
	for (i = 0; i < n; i++) {
		ps->ports[i] = ports[i];
		ps->order[i] = i;
		ps->map[ports[i]] = (int32_t)i;
	}
	return 0;
}

static void
set_fill(struct scan *sc, int s, const struct portlist *pl)
{
	struct portset	*ps = &sc->pset[s];
	int		 p, proto = protos[s].proto;
	uint32_t	 n = 0;

	ps->proto = proto;
	ps->n = portlist_count(pl, proto);
	ps->ports = xreallocarray(NULL, ps->n > 0 ? ps->n : 1,
	    sizeof(*ps->ports));
	ps->map = xreallocarray(NULL, 65536, sizeof(*ps->map));
	memset(ps->map, 0xff, 65536 * sizeof(*ps->map));
	for (p = portlist_next(pl, proto, 0); p != -1;
	    p = portlist_next(pl, proto, p + 1)) {
		ps->ports[n] = (uint16_t)p;
		ps->map[p] = (int32_t)n++;
	}
	ports_order(sc, ps, s);
}

int
ports_setup(struct scan *sc, char *err, size_t errlen)
{
	struct portlist	*pl, *spec = NULL;
	int		 s, p;

	pl = xcalloc(1, sizeof(*pl));
	if (sc->o->portspec != NULL) {
		spec = xmalloc(sizeof(*spec));
		if (ports_from_spec(sc, spec, err, errlen) == -1) {
			free(spec);
			free(pl);
			return -1;
		}
	}
	for (s = 0; s < PSET_N; s++) {
		sc->pset[s].proto = protos[s].proto;
		if (!set_scanned(sc->o, s))
			continue;
		if (spec != NULL && portlist_next(spec, protos[s].proto,
		    0) == -1) {
			warnx("WARNING: a %s scan was asked for, but the port "
			    "list has no %s ports: it is skipped",
			    protos[s].name, protos[s].name);
			continue;
		}
		if (sc->o->topports > 0 || spec == NULL)
			ports_top(pl, s, sc->o->topports > 0 ?
			    (unsigned)sc->o->topports : 1000, spec);
		else
			for (p = portlist_next(spec, protos[s].proto, 0);
			    p != -1; p = portlist_next(spec, protos[s].proto,
			    p + 1))
				(void)portlist_add(pl, protos[s].proto, p);
		set_fill(sc, s, pl);
	}
	free(spec);
	free(pl);
	return 0;
}

void
ports_free(struct scan *sc)
{
	int	s;

	for (s = 0; s < PSET_N; s++) {
		free(sc->pset[s].ports);
		free(sc->pset[s].order);
		free(sc->pset[s].map);
		memset(&sc->pset[s], 0, sizeof(sc->pset[s]));
	}
	sc->ports = NULL;
	sc->order = NULL;
	sc->portmap = NULL;
	sc->nports = 0;
}
