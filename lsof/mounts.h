/*
 * mounts.h: the mount table, read as lsof 4.95 reads it at start-up.
 * One implementation per platform (mounts-linux.c reads /proc/mounts);
 * configure chooses which is built.
 *
 * The table names what a device number cannot: the POSIX message queue
 * file system (PSXMQ rows), NFS mounts (their server in NAME, -N), the
 * mount points and block devices given as file system operands, and the
 * file systems -e and +e exempt from blocking calls.
 */
#ifndef AK_LSOF_MOUNTS_H
#define AK_LSOF_MOUNTS_H

#include <sys/types.h>

#include "lsof.h"

/* One mount point 4.95 keeps: one it could stat(2), or exempted by -e. */
struct mount {
	char	*dir;		/* the mount point, links resolved */
	char	*fsname;	/* the device field, as the table gives it */
	char	*fsres;		/* fsname resolved, or NULL */
	dev_t	 dev;		/* the mount point's stat(2), when has_dev */
	dev_t	 rdev;
	ino_t	 ino;
	mode_t	 fs_mode;	/* fsres's stat(2) mode, 0 when unknown */
	int	 has_dev;
	int	 nfs;		/* nfs, nfs3 or nfs4 */
};

/* A file system exempted from blocking calls by -e or +e. */
struct efsys {
	char			*path;
	size_t			 len;
	int			 rdlnk;		/* +e: no readlink(2) either */
	const struct mount	*mp;		/* its mount, once read */
};

struct mnttab {
	struct mount	*v;	/* in table order; 4.95 searches last first */
	size_t		 n;
	int		 has_mqueue;
	dev_t		 mqueue_dev;
	int		 has_nfs;	/* an NFS mount with a known device */
};

/*
 * Read the mount table once: every mount point that cannot be resolved
 * or stat(2)ed (or, with -b, every one) is warned about on stderr, unless
 * -w.  With +m the table is printed as a mount supplement.  Later calls
 * do nothing.
 */
void	mounts_check(struct opts *);
/* -e and +e: enter a file system path; -1 (said why) if it is no path. */
int	mounts_exempt(struct opts *, const char *, int);
/* The exempted file system a path is on, or NULL. */
const struct efsys *mounts_exempt_find(const struct opts *, const char *);
/* The NFS mount a file (device, path) is on, or NULL. */
const struct mount *mounts_nfs_find(const struct opts *, dev_t,
	    const char *);
void	mounts_free(struct opts *);

/* The parser of a /proc/mounts line, exposed for the fuzz target. */
struct mount_ent {
	char	*dev, *dir, *type;	/* point into the line */
};
int	mounts_parse_line(char *, struct mount_ent *);

#endif /* AK_LSOF_MOUNTS_H */
