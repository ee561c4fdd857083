/*
 * atomicfile.h: files of record that are never left half-written.
 *
 * A whole file is replaced by writing a temporary file in the same
 * directory, fsync()ing it and rename()ing it over the old one; a line is
 * appended with one write under an exclusive lock on an O_APPEND
 * descriptor.  Either way a crash leaves the old or the new contents,
 * never a torn line.
 */
#ifndef AK_ATOMICFILE_H
#define AK_ATOMICFILE_H

#include <sys/types.h>
#include <stddef.h>

struct atomicfile {
	char	*path;		/* the file being replaced */
	char	*tmppath;	/* the temporary beside it */
	int	 fd;
	int	 failed;	/* a write failed: commit will refuse */
};

int	atomicfile_open(struct atomicfile *, const char *path, mode_t mode);
int	atomicfile_write(struct atomicfile *, const void *, size_t);
int	atomicfile_printf(struct atomicfile *, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
int	atomicfile_commit(struct atomicfile *);
void	atomicfile_abort(struct atomicfile *);

int	atomicfile_replace(const char *path, const void *, size_t,
	    mode_t mode);
int	atomicfile_append_line(const char *path, const char *line,
	    mode_t mode);

#endif /* AK_ATOMICFILE_H */
