/*
 * atomicfile.c: replace-by-rename and locked appends for files of record.
 *
 * All functions return -1 with errno set on failure and leave the target
 * file as it was.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomicfile.h"
#include "atomicio.h"
#include "xmalloc.h"

/* Make the rename itself durable: fsync the directory holding path. */
static void
atomicfile_sync_dir(const char *path)
{
	char	*copy = xstrdup(path);
	int	 fd;

	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) !=
	    -1) {
		(void)fsync(fd);
		(void)close(fd);
	}
	free(copy);
}

int
atomicfile_open(struct atomicfile *af, const char *path, mode_t mode)
{
	memset(af, 0, sizeof(*af));
	af->path = xstrdup(path);
	(void)xasprintf(&af->tmppath, "%s.tmpXXXXXX", path);
	if ((af->fd = mkostemp(af->tmppath, O_CLOEXEC)) == -1)
		goto fail;
	if (fchmod(af->fd, mode) == -1) {
		int	saved = errno;

		(void)close(af->fd);
		(void)unlink(af->tmppath);
		errno = saved;
		goto fail;
	}
	return 0;
fail:
	free(af->path);
	free(af->tmppath);
	af->path = af->tmppath = NULL;
	af->fd = -1;
	return -1;
}

int
atomicfile_write(struct atomicfile *af, const void *buf, size_t len)
{
	if (af->failed)
		return -1;
	if (atomicio_write(af->fd, buf, len) == -1) {
		af->failed = errno;
		return -1;
	}
	return 0;
}

int
atomicfile_printf(struct atomicfile *af, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n, r;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		af->failed = ENOMEM;
		return -1;
	}
	r = atomicfile_write(af, s, (size_t)n);
	free(s);
	return r;
}

static void
atomicfile_free(struct atomicfile *af)
{
	free(af->path);
	free(af->tmppath);
	af->path = af->tmppath = NULL;
	af->fd = -1;
}

/* Put the new contents in place.  On failure the old file is untouched. */
int
atomicfile_commit(struct atomicfile *af)
{
	int	saved;

	if (af->failed) {
		saved = af->failed;
		atomicfile_abort(af);
		errno = saved;
		return -1;
	}
	if (fsync(af->fd) == -1 || close(af->fd) == -1) {
		saved = errno;
		af->fd = -1;
		atomicfile_abort(af);
		errno = saved;
		return -1;
	}
	af->fd = -1;
	if (rename(af->tmppath, af->path) == -1) {
		saved = errno;
		atomicfile_abort(af);
		errno = saved;
		return -1;
	}
	atomicfile_sync_dir(af->path);
	atomicfile_free(af);
	return 0;
}

void
atomicfile_abort(struct atomicfile *af)
{
	int	saved = errno;

	if (af->fd != -1)
		(void)close(af->fd);
	if (af->tmppath != NULL)
		(void)unlink(af->tmppath);
	atomicfile_free(af);
	errno = saved;
}

int
atomicfile_replace(const char *path, const void *buf, size_t len,
    mode_t mode)
{
	struct atomicfile	af;

	if (atomicfile_open(&af, path, mode) == -1)
		return -1;
	if (atomicfile_write(&af, buf, len) == -1) {
		atomicfile_abort(&af);
		return -1;
	}
	return atomicfile_commit(&af);
}

/*
 * Append line (a newline is added when missing) under an exclusive lock,
 * so concurrent writers, including other programs that lock the file the
 * same way, never interleave.  The line goes out in one write(2) when the
 * kernel allows; O_APPEND keeps any retry at the end of the file.
 */
int
atomicfile_append_line(const char *path, const char *line, mode_t mode)
{
	struct flock	 fl;
	struct stat	 st;
	size_t		 len = strlen(line);
	char		*buf;
	int		 fd, r, saved;

	buf = xmalloc(len + 2);
	memcpy(buf, line, len);
	if (len == 0 || line[len - 1] != '\n')
		buf[len++] = '\n';
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode);
	if (fd == -1) {
		saved = errno;
		free(buf);
		errno = saved;
		return -1;
	}
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	while ((r = fcntl(fd, F_SETLKW, &fl)) == -1 && errno == EINTR)
		;
	if (r == 0 && fstat(fd, &st) == -1)
		r = -1;
	if (r == 0 && (atomicio_write(fd, buf, len) == -1 ||
	    fsync(fd) == -1)) {
		/* A short write (disk full) must not leave half a line. */
		saved = errno;
		if (ftruncate(fd, st.st_size) == -1)
			saved = errno;	/* nothing more can be done */
		errno = saved;
		r = -1;
	}
	saved = errno;
	(void)close(fd);	/* releases the lock */
	free(buf);
	errno = saved;
	return r;
}
