/*
 * mounts.h: the mount table, read as lsof 4.95 reads it at start-up.
 * One implementation per platform (mounts-linux.c reads /proc/mounts);
 * configure chooses which is built.
 */
#ifndef AK_LSOF_MOUNTS_H
#define AK_LSOF_MOUNTS_H

#include "lsof.h"

/*
 * Read the mount table once: every mount point that cannot be resolved
 * or stat(2)ed (or, with -b, every one) is warned about on stderr, unless
 * -w.  Later calls do nothing.
 */
void	mounts_check(struct opts *);

/* The parser of a /proc/mounts line, exposed for the fuzz target. */
struct mount_ent {
	char	*dev, *dir, *type;	/* point into the line */
};
int	mounts_parse_line(char *, struct mount_ent *);

#endif /* AK_LSOF_MOUNTS_H */
