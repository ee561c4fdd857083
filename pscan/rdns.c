/*
 * rdns.c: reverse DNS names of a host group (the default; -n skips it),
 * looked up by a few threads while the engine scans, since a resolver
 * that times out would otherwise cost seconds per host.
 *
 * The threads write only the ptr field of the hosts, which the engine
 * never reads; the caller reads it after rdns_wait().
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netdb.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "xmalloc.h"
#include "pscan.h"

#define RDNS_THREADS	32

struct rdns {
	pthread_mutex_t	  lock;
	struct host	**hosts;
	size_t		  n, next;
	pthread_t	  tid[RDNS_THREADS];
	size_t		  nthreads;
};

static void
lookup(struct host *h)
{
	struct sockaddr_storage	ss;
	socklen_t		sl;
	char			name[NI_MAXHOST];

	sl = addr_to_sockaddr(&h->addr, 0, &ss);
	if (getnameinfo((struct sockaddr *)&ss, sl, name, sizeof(name), NULL,
	    0, NI_NAMEREQD) == 0)
		h->ptr = xstrdup(name);
}

static void *
worker(void *arg)
{
	struct rdns	*r = arg;
	size_t		 i;

	for (;;) {
		(void)pthread_mutex_lock(&r->lock);
		i = r->next < r->n ? r->next++ : r->n;
		(void)pthread_mutex_unlock(&r->lock);
		if (i == r->n)
			return NULL;
		lookup(r->hosts[i]);
	}
}

/* Starts the lookups; NULL when they already ran here (no threads). */
struct rdns *
rdns_start(struct host **hosts, size_t n)
{
	struct rdns	*r = xcalloc(1, sizeof(*r));
	size_t		 want = n < RDNS_THREADS ? n : RDNS_THREADS;

	r->hosts = hosts;
	r->n = n;
	(void)pthread_mutex_init(&r->lock, NULL);
	for (r->nthreads = 0; r->nthreads < want; r->nthreads++)
		if (pthread_create(&r->tid[r->nthreads], NULL, worker, r) != 0)
			break;
	if (r->nthreads == 0)
		(void)worker(r);
	return r;
}

void
rdns_wait(struct rdns *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nthreads; i++)
		(void)pthread_join(r->tid[i], NULL);
	(void)pthread_mutex_destroy(&r->lock);
	free(r);
}
