/*
 * guard.h: stat(2) of names given on the command line, in a helper
 * process that can be abandoned, so that a dead network file system
 * cannot hang lsof: -S t bounds each call, -O makes them directly.
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

int	guard_stat(struct guard *, const struct opts *, const char *,
	    struct stat *, int);
void	guard_close(struct guard *);

#endif /* AK_LSOF_GUARD_H */
