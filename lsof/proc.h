/*
 * proc.h: the process-table back end.  One implementation per platform
 * (proc-linux.c reads /proc); configure chooses which is built.
 */
#ifndef AK_LSOF_PROC_H
#define AK_LSOF_PROC_H

#include "lsof.h"

/*
 * Gather every process (and task) that may be selected, with the files
 * that may be, into list; select_list() then keeps what is listed.
 * Processes that vanish meanwhile are skipped silently.
 */
void	proc_gather(struct opts *, struct list *);

/* Parsers of /proc text, exposed for the fuzz target. */
struct proc_stat {
	char	 comm[64];
	char	 state;		/* R, S, D, Z, ... */
	pid_t	 ppid, pgid;
	long	 nthreads;
};
int	proc_parse_stat(const char *, size_t, struct proc_stat *);
struct maps_ent {
	unsigned int		 major, minor;
	unsigned long long	 inode;
	const char		*path;		/* points into the buffer */
	size_t			 pathlen;
};
int	proc_parse_maps_line(const char *, size_t, struct maps_ent *);
int	proc_parse_fdinfo(const char *, size_t, unsigned long long *,
	    unsigned int *);

#endif /* AK_LSOF_PROC_H */
