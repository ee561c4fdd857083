/*
 * rand.c: the scanner's random numbers: port order, probe sequence
 * numbers, IP IDs.
 *
 * None of them guards a secret, but a probe's sequence number is what
 * tells a true answer from a forged one, so it should not be guessable
 * from outside: the generator (xoshiro256**) is seeded from the kernel's
 * random device, and from the clock only where there is none.
 */
#include "config.h"

#include <sys/types.h>

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomicio.h"
#include "pscan.h"

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
splitmix(uint64_t *x)
{
	uint64_t	z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
rand_init(struct rand *r)
{
	struct timespec	ts;
	uint64_t	seed = 0;
	int		fd, i;

	memset(r, 0, sizeof(*r));
	if ((fd = open("/dev/urandom", O_RDONLY)) != -1) {
		(void)atomicio_read(fd, r->s, sizeof(r->s));
		(void)close(fd);
	}
	(void)clock_gettime(CLOCK_REALTIME, &ts);
	seed = (uint64_t)ts.tv_sec * 1000000007ULL ^ (uint64_t)ts.tv_nsec ^
	    (uint64_t)getpid() << 32;
	/* Mixed in always: a short read leaves zeros, never a weak state. */
	for (i = 0; i < 4; i++)
		r->s[i] ^= splitmix(&seed);
	r->key = rand_next(r);
}

/* A generator for another thread: its own state, the same hash key. */
void
rand_fork(struct rand *parent, struct rand *child)
{
	uint64_t	seed = rand_next(parent);
	int		i;

	for (i = 0; i < 4; i++)
		child->s[i] = splitmix(&seed);
	child->key = parent->key;
}

uint64_t
rand_next(struct rand *r)
{
	uint64_t	res = rotl(r->s[1] * 5, 7) * 9;
	uint64_t	t = r->s[1] << 17;

	r->s[2] ^= r->s[0];
	r->s[3] ^= r->s[1];
	r->s[1] ^= r->s[2];
	r->s[0] ^= r->s[3];
	r->s[2] ^= t;
	r->s[3] = rotl(r->s[3], 45);
	return res;
}

/* Uniform in [0, n), n > 0, without modulo bias. */
uint32_t
rand_below(struct rand *r, uint32_t n)
{
	uint64_t	x, lim = UINT64_MAX - UINT64_MAX % n;

	do
		x = rand_next(r);
	while (x >= lim);
	return (uint32_t)(x % n);
}

/* A keyed 32-bit hash of a few words (probe sequence numbers). */
uint32_t
rand_hash(const struct rand *r, const void *buf, size_t len)
{
	const uint8_t	*b = buf;
	uint64_t	 h = r->key ^ (uint64_t)len;
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
		h ^= h >> 29;
	}
	h = (h ^ (h >> 33)) * 0xff51afd7ed558ccdULL;
	h = (h ^ (h >> 33)) * 0xc4ceb9fe1a85ec53ULL;
	return (uint32_t)(h ^ (h >> 33));
}
