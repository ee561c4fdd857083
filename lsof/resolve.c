/*
 * resolve.c: paths with their symbolic links resolved the way lsof 4.95's
 * Readlink() resolves them, and examined.
 *
 * 4.95 resolves each name it is given (operands, +d/+D directories) and
 * each mount point before it stat(2)s it, and speaks of the result: its
 * messages name the resolved path, and a path whose links loop or grow
 * it too long gets words of their own instead of a stat(2).  The work,
 * a readlink(2) of each leading part of the path and a stat(2), may
 * block in a file system, so it runs in the -S helper of guard.c.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "lsof.h"
#include "guard.h"
#include "resolve.h"

/* MAXSYMLINKS of <sys/param.h> on Linux, which 4.95 uses everywhere. */
#define RESOLVE_MAXLINKS	20

/*
 * 4.95's Readlink(): readlink(2) each leading part of the path, put the
 * target of a link in its place (an absolute one replaces all before
 * it), and start again on the result until nothing changes.  Components
 * that cannot be read stay as they are; only a result too long or more
 * than 20 rounds fail.  (4.95 carries the rounds of a call that failed
 * for a result too long into its next call; not this.)
 */
static int
resolve_links(const char *arg, char *res, size_t ressize)
{
	char		 cur[PATH_MAX + 1], abuf[PATH_MAX + 1];
	char		 tbuf[PATH_MAX + 1], lbuf[PATH_MAX + 1];
	const char	*p1, *p2, *s1;
	size_t		 alen, len, llen, slen;
	ssize_t		 n;
	int		 depth = 0;

	if (strlcpy(cur, arg, sizeof(cur)) >= sizeof(cur))
		return RESOLVE_TOOLONG;
	for (;;) {
		alen = 0;
		abuf[0] = '\0';
		for (p2 = cur; *p2 != '\0';) {
			p1 = p2;
			for (p2 = p1 + 1; *p2 != '\0' && *p2 != '/'; p2++)
				;
			if ((len = (size_t)(p2 - cur)) >= sizeof(tbuf))
				return RESOLVE_TOOLONG;
			memcpy(tbuf, cur, len);
			tbuf[len] = '\0';
			if ((n = readlink(tbuf, lbuf, sizeof(lbuf) - 1)) > 0) {
				llen = (size_t)n;
				lbuf[llen] = '\0';
				if (lbuf[0] == '/') {
					memcpy(abuf, lbuf, llen + 1);
					alen = llen;
					continue;
				}
				s1 = lbuf;
			} else {
				llen = (size_t)(p2 - p1);
				s1 = p1;
			}
			if (*s1 == '/')
				slen = 1;
			else if (alen > 0)
				slen = abuf[alen - 1] == '/' ? 1 : 2;
			else
				slen = s1 == lbuf && tbuf[0] == '/' ? 2 : 1;
			if (alen + llen + slen >= sizeof(abuf))
				return RESOLVE_TOOLONG;
			if (slen == 2)
				abuf[alen++] = '/';
			memcpy(abuf + alen, s1, llen);
			alen += llen;
			abuf[alen] = '\0';
		}
		if (strcmp(cur, abuf) == 0) {
			strlcpy(res, cur, ressize);
			return RESOLVE_OK;
		}
		if (depth++ >= RESOLVE_MAXLINKS)
			return RESOLVE_LOOP;
		memcpy(cur, abuf, alen + 1);
	}
}

size_t
resolve_req_set(struct resolve_req *q, const char *path, int flags)
{
	size_t	len;

	q->flags = flags;
	if ((len = strlcpy(q->path, path, sizeof(q->path))) >= sizeof(q->path))
		len = sizeof(q->path) - 1;
	return offsetof(struct resolve_req, path) + len + 1;
}

/* In the guard's helper: resolve the path, strip it, stat(2) it. */
void
resolve_run(const void *in, size_t inlen, void *out, size_t outlen)
{
	struct resolve_req	q;
	struct resolve_rep	p;
	size_t			len;

	memset(&q, 0, sizeof(q));
	memcpy(&q, in, inlen < sizeof(q) ? inlen : sizeof(q));
	q.path[sizeof(q.path) - 1] = '\0';
	memset(&p, 0, sizeof(p));
	p.rl = resolve_links(q.path, p.path, sizeof(p.path));
	if (p.rl == RESOLVE_OK && (q.flags & RESOLVE_STRIP))
		for (len = strlen(p.path); len > 1 && p.path[len - 1] == '/';)
			p.path[--len] = '\0';
	if (p.rl == RESOLVE_OK && (q.flags & RESOLVE_STAT) &&
	    stat(p.path, &p.st) == -1)
		p.err = errno;
	memcpy(out, &p, outlen < sizeof(p) ? outlen : sizeof(p));
}

/* As a stat(2) of the path itself that failed. */
void
resolve_rep_failed(struct resolve_rep *p, const char *path, int err)
{
	p->rl = RESOLVE_OK;
	p->err = err;
	strlcpy(p->path, path, sizeof(p->path));
}

void
resolve_complain(int rl, const char *path)
{
	char	esc[(PATH_MAX + 1) * 4 + 1];

	print_escape(esc, sizeof(esc), path, 0);
	if (rl == RESOLVE_TOOLONG)
		fprintf(stderr, "lsof: readlink() path too long: %s\n", esc);
	else
		fprintf(stderr, "lsof: too many (> %d) symbolic links in "
		    "readlink() path: %s\n", RESOLVE_MAXLINKS, esc);
}

int
resolve_name(struct opts *o, const char *path, int flags,
    struct resolve_rep *p)
{
	struct resolve_req	q;
	size_t			len;

	len = resolve_req_set(&q, path, flags | RESOLVE_STAT);
	if (guard_call(o->guard, o, resolve_run, &q, len, p,
	    sizeof(*p)) == -1)
		resolve_rep_failed(p, path, errno);
	if (p->rl != RESOLVE_OK) {
		if (!o->nowarn)
			resolve_complain(p->rl, path);
		return -1;
	}
	if (p->err != 0) {
		errno = p->err;
		return -2;
	}
	return 0;
}
