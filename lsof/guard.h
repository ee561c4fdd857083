/*
 * guard.h: calls that may block in a file system (stat(2) of names given
 * on the command line, of mount points), made in a helper process that
 * can be abandoned, so that a dead network file system cannot hang lsof:
 * -S t bounds each call, -O makes them directly.
 */
#ifndef AK_LSOF_GUARD_H
#define AK_LSOF_GUARD_H

#include <sys/types.h>
#include <sys/stat.h>

struct opts;

struct guard {
	pid_t	 pid;		/* the helper, 0 when there is none */
	int	 fd;		/* our end of its socket */
};

/* Largest request and reply of a guard_call(). */
#define GUARD_MAX	16384
/* Requests guard_call_all() sends ahead of the answers. */
#define GUARD_WINDOW	16

/*
 * A function the helper runs: it reads inlen bytes at in and fills the
 * outlen bytes at out.  The helper is a fork of lsof, so the function's
 * address means the same there.
 */
typedef void	guard_fn(const void *in, size_t inlen, void *out,
		    size_t outlen);

/* One request of guard_call_all() (each at most GUARD_MAX bytes). */
struct guard_job {
	const void	*in;
	size_t		 inlen;
	void		*out;
	size_t		 outlen;
	int		 err;		/* 0, or why there is no answer */
};

int	guard_call(struct guard *, const struct opts *, guard_fn *,
	    const void *, size_t, void *, size_t);
void	guard_call_all(struct guard *, const struct opts *, guard_fn *,
	    struct guard_job *, size_t);
int	guard_stat(struct guard *, const struct opts *, const char *,
	    struct stat *, int);
void	guard_close(struct guard *);

#endif /* AK_LSOF_GUARD_H */
