/*
 * record.c: the files of record: hosts.deny, the blocked files and the
 * history file.
 *
 * Every change is made under an exclusive fcntl(2) lock on the file, so
 * that two detections, a "sentry -u" and the daemon's own timers never
 * interleave: a line is appended with one write(2) on an O_APPEND
 * descriptor (cut back if the disk fills half way), and lines are removed
 * by writing the rest to a temporary file that is renamed over the old
 * one.  A writer that waited for the lock of a file renamed away meanwhile
 * sees the inode change and starts again on the new one.
 *
 * Each file is opened without following a symbolic link and refused when
 * it is not a regular file, has other hard links or is writable by
 * everyone: a daemon running as root must not be led to write where
 * somebody else chose, nor trust lines anybody could have added.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomicfile.h"
#include "atomicio.h"
#include "sentry.h"
#include "xmalloc.h"

#define LOCK_WAIT_MS	5000	/* give up on a lock held this long */
#define REOPEN_TRIES	10	/* renamed under us this often: give up */

static int
record_fail(char *err, size_t errlen, const char *path, const char *why)
{
	(void)snprintf(err, errlen, "%s: %s", path, why);
	return -1;
}

/* Open path for a change; -1 with err set, or ENOENT left in errno. */
static int
record_open(const char *path, int flags, mode_t mode, struct stat *st,
    char *err, size_t errlen)
{
	int	fd;

	fd = open(path, flags | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, mode);
	if (fd == -1) {
		if (errno == ELOOP)
			return record_fail(err, errlen, path, "refusing a "
			    "symbolic link");
		return record_fail(err, errlen, path, strerror(errno));
	}
	if (fstat(fd, st) == -1) {
		(void)record_fail(err, errlen, path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st->st_mode)) {
		(void)record_fail(err, errlen, path, "refusing: not a regular "
		    "file");
		goto fail;
	}
	if (st->st_mode & S_IWOTH) {
		(void)record_fail(err, errlen, path, "refusing: it is writable "
		    "by everyone");
		goto fail;
	}
	if (st->st_nlink > 1) {
		(void)record_fail(err, errlen, path, "refusing: it has other "
		    "hard links");
		goto fail;
	}
	return fd;
fail:
	(void)close(fd);
	errno = EPERM;
	return -1;
}

/* The checks alone, for -n and for start-up. */
int
record_check(const char *path, char *err, size_t errlen)
{
	struct stat	st;
	int		fd;

	if ((fd = record_open(path, O_RDONLY, 0, &st, err, errlen)) == -1)
		return -1;
	(void)close(fd);
	return 0;
}

/*
 * Lock fd, waiting at most LOCK_WAIT_MS.  Returns 0 when locked and still
 * the file at path, 1 when path is now another file (start again), -1 on
 * error.
 */
static int
record_lock(int fd, const char *path, char *err, size_t errlen)
{
	struct timespec	nap = { 0, 10 * 1000 * 1000 };
	struct flock	fl;
	struct stat	a, b;
	int		waited;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	for (waited = 0; fcntl(fd, F_SETLK, &fl) == -1; waited += 10) {
		if (errno != EACCES && errno != EAGAIN && errno != EINTR)
			return record_fail(err, errlen, path, strerror(errno));
		if (waited >= LOCK_WAIT_MS)
			return record_fail(err, errlen, path, "locked by "
			    "another process for too long");
		(void)nanosleep(&nap, NULL);
	}
	if (fstat(fd, &a) == -1 || lstat(path, &b) == -1)
		return 1;
	return a.st_dev != b.st_dev || a.st_ino != b.st_ino;
}

/* Read the whole file at fd into a NUL-terminated buffer. */
static char *
record_slurp(int fd, size_t *lenp)
{
	size_t	 cap = 4096, len = 0;
	char	*buf = xmalloc(cap + 1);
	ssize_t	 n;

	for (;;) {
		if (len == cap) {
			cap *= 2;
			buf = xreallocarray(buf, cap + 1, 1);
		}
		n = pread(fd, buf + len, cap - len, (off_t)len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

/* Is line (without its newline) a whole line of text? */
static int
record_has_line(const char *text, const char *line)
{
	size_t		 n = strlen(line);
	const char	*p = text;

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') &&
		    (p[n] == '\n' || p[n] == '\0'))
			return 1;
		p += n > 0 ? n : 1;
	}
	return 0;
}

/* What is done to a file under its lock. */
struct recjob {
	const char	 *path;
	const char	 *line;		/* append */
	int		  flags;
	int		(*match)(const char *, void *);	/* remove */
	void		 *arg;
};

typedef int	record_fn(int, const struct stat *, const struct recjob *,
		    char *, size_t);

/*
 * Open path, lock it, make sure it is still the file at path (it is
 * opened again if it was renamed away meanwhile), then call fn.  Returns
 * fn's value, or -1 with err set (and errno ENOENT for a missing file
 * opened without O_CREAT).
 */
static int
record_locked(const struct recjob *j, int oflags, mode_t mode, record_fn *fn,
    char *err, size_t errlen)
{
	struct stat	st;
	int		fd, r, tries;

	for (tries = 0; tries < REOPEN_TRIES; tries++) {
		fd = record_open(j->path, oflags, mode, &st, err, errlen);
		if (fd == -1)
			return -1;
		if ((r = record_lock(fd, j->path, err, errlen)) == 0) {
			if (fstat(fd, &st) == -1)
				r = record_fail(err, errlen, j->path,
				    strerror(errno));
			else
				r = fn(fd, &st, j, err, errlen);
			(void)close(fd);	/* after any rename */
			return r;
		}
		(void)close(fd);
		if (r == -1)
			return -1;
	}
	return record_fail(err, errlen, j->path, "replaced too often while "
	    "waiting for its lock");
}

/* Under the lock: add the line unless once and already there. */
static int
record_append_locked(int fd, const struct stat *st, const struct recjob *j,
    char *err, size_t errlen)
{
	char	*text, *buf;
	size_t	 len = 0;
	int	 r = 1, nl = 0;

	if ((j->flags & RECORD_ONCE) || st->st_size > 0) {
		text = record_slurp(fd, &len);
		if ((j->flags & RECORD_ONCE) && record_has_line(text, j->line)) {
			free(text);
			return 0;
		}
		/* Another writer's last line may lack its newline. */
		nl = len > 0 && text[len - 1] != '\n';
		free(text);
	}
	(void)xasprintf(&buf, "%s%s\n", nl ? "\n" : "", j->line);
	if (atomicio_write(fd, buf, strlen(buf)) == -1 ||
	    ((j->flags & RECORD_SYNC) && fsync(fd) == -1)) {
		(void)record_fail(err, errlen, j->path, strerror(errno));
		/* Never leave half a line: cut back to where it was. */
		r = -1;
		if (ftruncate(fd, (off_t)len) == -1)
			r = -1;		/* nothing more can be done */
	}
	free(buf);
	return r;
}

/*
 * Append line under the lock, creating the file with mode.  With
 * RECORD_ONCE, a line already there is not added again; with RECORD_SYNC
 * it is on the disk when this returns.  Returns 1 when added, 0 when it
 * was there, -1 with err set.
 */
int
record_append(const char *path, const char *line, mode_t mode, int flags,
    char *err, size_t errlen)
{
	struct recjob	j;

	memset(&j, 0, sizeof(j));
	j.path = path;
	j.line = line;
	j.flags = flags;
	return record_locked(&j, O_RDWR | O_APPEND | O_CREAT, mode,
	    record_append_locked, err, errlen);
}

/* Under the lock: the text without the matching lines replaces the file
 * (same mode and owner); returns the count. */
static int
record_remove_locked(int fd, const struct stat *st, const struct recjob *j,
    char *err, size_t errlen)
{
	struct atomicfile	 af;
	char			*text, *line, *cur, *nl;
	size_t			 len;
	int			 n = 0;

	if (atomicfile_open(&af, j->path, st->st_mode & 07777) == -1)
		return record_fail(err, errlen, j->path, strerror(errno));
	if (fchown(af.fd, st->st_uid, st->st_gid) == -1 && geteuid() == 0) {
		atomicfile_abort(&af);
		return record_fail(err, errlen, j->path, strerror(errno));
	}
	cur = text = record_slurp(fd, &len);
	while (*cur != '\0') {
		line = cur;
		if ((nl = strchr(cur, '\n')) != NULL) {
			*nl = '\0';
			cur = nl + 1;
		} else
			cur += strlen(cur);
		if (j->match(line, j->arg))
			n++;
		else
			(void)atomicfile_printf(&af, "%s\n", line);
	}
	free(text);
	if (n == 0) {
		atomicfile_abort(&af);
		return 0;
	}
	if (atomicfile_commit(&af) == -1)
		return record_fail(err, errlen, j->path, strerror(errno));
	return n;
}

/*
 * Remove every line match() accepts (it gets each line without its
 * newline).  Returns how many went, 0 when the file does not exist, -1
 * with err set.
 */
int
record_remove(const char *path, int (*match)(const char *, void *),
    void *arg, char *err, size_t errlen)
{
	struct recjob	j;
	int		r;

	memset(&j, 0, sizeof(j));
	j.path = path;
	j.match = match;
	j.arg = arg;
	r = record_locked(&j, O_RDWR, 0, record_remove_locked, err, errlen);
	return r == -1 && errno == ENOENT ? 0 : r;
}

static int
record_truncate_locked(int fd, const struct stat *st, const struct recjob *j,
    char *err, size_t errlen)
{
	(void)st;
	if (ftruncate(fd, 0) == -1)
		return record_fail(err, errlen, j->path, strerror(errno));
	return 0;
}

/* Empty the file (creating it with mode), as 1.2 does at start. */
int
record_truncate(const char *path, mode_t mode, char *err, size_t errlen)
{
	struct recjob	j;

	memset(&j, 0, sizeof(j));
	j.path = path;
	return record_locked(&j, O_RDWR | O_CREAT, mode,
	    record_truncate_locked, err, errlen);
}

/* Call fn for each line (newline removed) until it returns non-zero. */
int
record_read(const char *path, int (*fn)(const char *, void *), void *arg)
{
	char	 line[RECORD_LINE_MAX];
	FILE	*fp;
	size_t	 n;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	if ((fp = fdopen(fd, "r")) == NULL) {
		(void)close(fd);
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		n = strlen(line);
		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (fn(line, arg) != 0)
			break;
	}
	(void)fclose(fp);
	return 0;
}

int
record_stat(const char *path, struct stat *st)
{
	return lstat(path, st);
}
