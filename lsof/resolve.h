/*
 * resolve.h: paths with their symbolic links resolved the way lsof
 * 4.95's Readlink() resolves them, and examined, in the -S helper of
 * guard.c: for file operands, +d/+D directories and mount points.
 */
#ifndef AK_LSOF_RESOLVE_H
#define AK_LSOF_RESOLVE_H

#include <sys/types.h>
#include <sys/stat.h>

#include <limits.h>

struct opts;

/* How a resolution ended. */
enum { RESOLVE_OK, RESOLVE_TOOLONG, RESOLVE_LOOP };

/* What is asked besides. */
#define RESOLVE_STAT	0x1	/* stat(2) the result */
#define RESOLVE_STRIP	0x2	/* without its trailing slashes, first */

struct resolve_req {
	int	flags;			/* RESOLVE_STAT, RESOLVE_STRIP */
	char	path[PATH_MAX + 1];
};

struct resolve_rep {
	int		rl;		/* RESOLVE_* */
	int		err;		/* stat(2)'s errno, 0 on success */
	struct stat	st;
	char		path[PATH_MAX + 1];	/* the result */
};

/* A request for path; its length to send. */
size_t	resolve_req_set(struct resolve_req *, const char *, int);
/* The guard_fn that answers it. */
void	resolve_run(const void *, size_t, void *, size_t);
/* A reply for a request the helper did not answer (-S): errno. */
void	resolve_rep_failed(struct resolve_rep *, const char *, int);
/* 4.95's words for a resolution that failed (the caller checks -w). */
void	resolve_complain(int, const char *);

/*
 * One path, resolved and examined: 0, or -1 when it cannot be resolved
 * (4.95's words printed unless -w), or -2 when stat(2) failed (errno).
 * rep->path holds the result either way, but for -1.
 */
int	resolve_name(struct opts *, const char *, int, struct resolve_rep *);

#endif /* AK_LSOF_RESOLVE_H */
