/*
 * hosttab.c: a table of addresses with a fixed capacity.
 *
 * The addresses come from packets, so a flood of forged sources must not
 * grow memory or turn lookups into list walks: the table never holds more
 * than its capacity (a full table forgets the least recently used entry,
 * or refuses, as the caller asks), and its buckets are chosen by SipHash
 * under a key drawn at start, so that nobody can aim many addresses at
 * one bucket.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "sentry.h"
#include "xmalloc.h"

struct hostent {
	struct hostent	*hnext;		/* bucket chain */
	struct hostent	*prev, *next;	/* most recently used first */
	struct addr	 key;
};

/* The caller's data follows the entry, aligned for anything. */
#define HOSTENT_SIZE	((sizeof(struct hostent) + 15) & ~(size_t)15)
#define ENTRY_DATA(e)	((void *)((char *)(e) + HOSTENT_SIZE))
#define DATA_ENTRY(d)	((struct hostent *)(void *)((char *)(d) - \
			    HOSTENT_SIZE))

struct hosttab {
	struct hostent	**buckets;
	size_t		  mask;
	struct hostent	  lru;		/* sentinel of the recency list */
	size_t		  n, cap, datasize;
	uint64_t	  k0, k1;
};

#define ROTL(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND(v0, v1, v2, v3) do {					\
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);	\
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);	\
} while (0)

/* SipHash-2-4 of the family and the address bytes. */
static uint64_t
hosttab_hash(const struct hosttab *t, const struct addr *a)
{
	uint64_t	v0 = t->k0 ^ 0x736f6d6570736575ULL;
	uint64_t	v1 = t->k1 ^ 0x646f72616e646f6dULL;
	uint64_t	v2 = t->k0 ^ 0x6c7967656e657261ULL;
	uint64_t	v3 = t->k1 ^ 0x7465646279746573ULL;
	uint64_t	m[3];
	int		i;

	memcpy(&m[0], a->bytes, 8);
	memcpy(&m[1], a->bytes + 8, 8);
	m[2] = ((uint64_t)24 << 56) | (uint64_t)(a->family & 0xff);
	for (i = 0; i < 3; i++) {
		v3 ^= m[i];
		SIPROUND(v0, v1, v2, v3);
		SIPROUND(v0, v1, v2, v3);
		v0 ^= m[i];
	}
	v2 ^= 0xff;
	for (i = 0; i < 4; i++)
		SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

static void
hosttab_seed(struct hosttab *t)
{
	uint64_t	k[2];
	int		fd;

	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) != -1) {
		if (read(fd, k, sizeof(k)) == (ssize_t)sizeof(k)) {
			(void)close(fd);
			t->k0 = k[0];
			t->k1 = k[1];
			return;
		}
		(void)close(fd);
	}
	t->k0 = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	t->k1 = (uint64_t)(uintptr_t)t ^ (uint64_t)clock();
}

struct hosttab *
hosttab_new(size_t cap, size_t datasize)
{
	struct hosttab	*t = xcalloc(1, sizeof(*t));
	size_t		 nb = 16;

	while (nb < cap)
		nb <<= 1;
	t->buckets = xcalloc(nb, sizeof(*t->buckets));
	t->mask = nb - 1;
	t->cap = cap;
	t->datasize = datasize;
	t->lru.next = t->lru.prev = &t->lru;
	hosttab_seed(t);
	return t;
}

/* Keys compare whole: the bytes an IPv4 address leaves unused are 0. */
static void
hosttab_norm(struct addr *k, const struct addr *a)
{
	size_t	len = a->family == AF_INET ? 4 : 16;

	memset(k, 0, sizeof(*k));
	k->family = a->family;
	memcpy(k->bytes, a->bytes, len);
}

static struct hostent **
hosttab_slot(struct hosttab *t, const struct addr *a)
{
	struct hostent	**pp;
	struct addr	  k;

	hosttab_norm(&k, a);
	pp = &t->buckets[hosttab_hash(t, &k) & t->mask];
	for (; *pp != NULL; pp = &(*pp)->hnext)
		if ((*pp)->key.family == k.family &&
		    memcmp((*pp)->key.bytes, k.bytes, 16) == 0)
			break;
	return pp;
}

static void
lru_unlink(struct hostent *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
}

static void
lru_front(struct hosttab *t, struct hostent *e)
{
	e->next = t->lru.next;
	e->prev = &t->lru;
	t->lru.next->prev = e;
	t->lru.next = e;
}

void *
hosttab_find(struct hosttab *t, const struct addr *a)
{
	struct hostent	*e = *hosttab_slot(t, a);

	return e != NULL ? ENTRY_DATA(e) : NULL;
}

static void
hosttab_unlink(struct hosttab *t, struct hostent *e)
{
	struct hostent	**pp = hosttab_slot(t, &e->key);

	*pp = e->hnext;
	lru_unlink(e);
	t->n--;
}

/*
 * The entry for a, made (zeroed, *isnew set) when missing.  A full table
 * forgets its least recently used entry when evict is set, or returns
 * NULL.
 */
void *
hosttab_get(struct hosttab *t, const struct addr *a, int *isnew, int evict)
{
	struct hostent	**pp = hosttab_slot(t, a), *e = *pp;

	*isnew = 0;
	if (e != NULL) {
		lru_unlink(e);
		lru_front(t, e);
		return ENTRY_DATA(e);
	}
	if (t->n >= t->cap) {
		if (!evict || t->lru.prev == &t->lru)
			return NULL;
		e = t->lru.prev;
		hosttab_unlink(t, e);
		memset(e, 0, HOSTENT_SIZE + t->datasize);
		pp = hosttab_slot(t, a);	/* the chain may have changed */
	} else
		e = xcalloc(1, HOSTENT_SIZE + t->datasize);
	hosttab_norm(&e->key, a);
	e->hnext = NULL;
	*pp = e;
	lru_front(t, e);
	t->n++;
	*isnew = 1;
	return ENTRY_DATA(e);
}

void
hosttab_del(struct hosttab *t, const struct addr *a)
{
	struct hostent	*e = *hosttab_slot(t, a);

	if (e == NULL)
		return;
	hosttab_unlink(t, e);
	free(e);
}

const struct addr *
hosttab_key(const void *data)
{
	return &DATA_ENTRY(data)->key;
}

size_t
hosttab_count(const struct hosttab *t)
{
	return t->n;
}

/* fn may delete the entry it is given. */
void
hosttab_foreach(struct hosttab *t, void (*fn)(void *, void *), void *arg)
{
	struct hostent	*e, *next;

	for (e = t->lru.next; e != &t->lru; e = next) {
		next = e->next;
		fn(ENTRY_DATA(e), arg);
	}
}

void
hosttab_free(struct hosttab *t)
{
	struct hostent	*e, *next;

	if (t == NULL)
		return;
	for (e = t->lru.next; e != &t->lru; e = next) {
		next = e->next;
		free(e);
	}
	free(t->buckets);
	free(t);
}
