/*
 * mounts-linux.c: the mount table of /proc/mounts, read as lsof 4.95
 * reads it.
 *
 * 4.95 resolves the symbolic links in each mount point's path and
 * stat(2)s it, and says so when it cannot: an unprivileged user sees
 * "can't stat()" warnings for mount points under directories closed to
 * them, FUSE mounts of other users, NFS servers that are down.  This lsof
 * needs nothing from the table, but its users expect the same warnings,
 * so it makes the same checks, each in the -S bounded helper of guard.c:
 * where 4.95 hangs for ever on a mount point that does not answer, this
 * lsof gives up after the limit and warns.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "compat.h"
#include "xmalloc.h"
#include "lsof.h"
#include "guard.h"
#include "mounts.h"

/* 4.95 reads the table with fgets() into MAXPATHLEN bytes. */
#define MNT_CHUNK	4096
/* and follows at most MAXSYMLINKS (20 on Linux) links in a path. */
#define MNT_MAXLINKS	20

#define MNT_INCOMPLETE	"      Output information may be incomplete.\n"

enum { RL_OK, RL_TOOLONG, RL_LOOP };

struct probe_req {
	int	dostat;			/* stat(2) the resolved path too */
	char	path[PATH_MAX + 1];
};

struct probe_rep {
	int	rl;			/* RL_* */
	int	err;			/* stat(2)'s errno, 0 on success */
	char	path[PATH_MAX + 1];	/* the path, links resolved */
};

/* What 4.95 makes of a mount table entry. */
enum { MNT_SKIP, MNT_RLFAIL, MNT_WARN, MNT_OK, MNT_DEV };

struct mnt_ent {
	char			*dev, *dir, *type;
	int			 act;		/* MNT_* */
	struct probe_rep	 dirp;		/* the mount point */
	struct probe_rep	 devp;		/* the device, for MNT_DEV */
};

/* Entries are examined a batch at a time, each batch in one go. */
#define MNT_BATCH	64

struct mnt_batch {
	struct mnt_ent		ent[MNT_BATCH];
	struct probe_req	req[MNT_BATCH];
	struct guard_job	job[MNT_BATCH];
	size_t			n;
};

struct mnt_scan {
	struct opts	 *o;
	struct mnt_batch *b;
	char		**dirs;		/* mount points stat(2)ed */
	unsigned char	 *nfs;		/* and whether NFS is mounted there */
	size_t		  n;
};

/* Undo the octal escapes of /proc/mounts (\040 for a space) in place. */
static void
mnt_unescape(char *s)
{
	size_t	ol = strlen(s), ox, cx = 0;
	int	c;

	for (ox = 0; ox < ol; ox++) {
		c = (unsigned char)s[ox];
		if (c == '\\' && ox + 3 < ol &&
		    s[ox + 1] >= '0' && s[ox + 1] <= '7' &&
		    s[ox + 2] >= '0' && s[ox + 2] <= '7' &&
		    s[ox + 3] >= '0' && s[ox + 3] <= '7') {
			c = ((s[ox + 1] - '0') << 6 | (s[ox + 2] - '0') << 3 |
			    (s[ox + 3] - '0')) & 0xff;
			ox += 3;
		}
		s[cx++] = (char)c;
	}
	s[cx] = '\0';
}

/*
 * 4.95's Readlink(): readlink(2) each leading part of the path, put the
 * target of a link in its place (an absolute one replaces all before
 * it), and start again on the result until nothing changes.  Components
 * that cannot be read stay as they are; only a result too long or more
 * than 20 rounds fail.  (4.95 carries the rounds of a call that failed
 * for a result too long into its next call; not this.)
 */
static int
mnt_resolve(const char *arg, char *res, size_t ressize)
{
	char		 cur[PATH_MAX + 1], abuf[PATH_MAX + 1];
	char		 tbuf[PATH_MAX + 1], lbuf[PATH_MAX + 1];
	const char	*p1, *p2, *s1;
	size_t		 alen, len, llen, slen;
	ssize_t		 n;
	int		 depth = 0;

	if (strlcpy(cur, arg, sizeof(cur)) >= sizeof(cur))
		return RL_TOOLONG;
	for (;;) {
		alen = 0;
		abuf[0] = '\0';
		for (p2 = cur; *p2 != '\0';) {
			p1 = p2;
			for (p2 = p1 + 1; *p2 != '\0' && *p2 != '/'; p2++)
				;
			if ((len = (size_t)(p2 - cur)) >= sizeof(tbuf))
				return RL_TOOLONG;
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
				return RL_TOOLONG;
			if (slen == 2)
				abuf[alen++] = '/';
			memcpy(abuf + alen, s1, llen);
			alen += llen;
			abuf[alen] = '\0';
		}
		if (strcmp(cur, abuf) == 0) {
			strlcpy(res, cur, ressize);
			return RL_OK;
		}
		if (depth++ >= MNT_MAXLINKS)
			return RL_LOOP;
		memcpy(cur, abuf, alen + 1);
	}
}

/* In the guard's helper: resolve a path, and stat(2) it when asked. */
static void
mnt_probe(const void *in, size_t inlen, void *out, size_t outlen)
{
	struct probe_req	q;
	struct probe_rep	p;
	struct stat		st;

	memset(&q, 0, sizeof(q));
	memcpy(&q, in, inlen < sizeof(q) ? inlen : sizeof(q));
	q.path[sizeof(q.path) - 1] = '\0';
	memset(&p, 0, sizeof(p));
	p.rl = mnt_resolve(q.path, p.path, sizeof(p.path));
	if (p.rl == RL_OK && q.dostat && p.path[0] == '/' &&
	    stat(p.path, &st) == -1)
		p.err = errno;
	memcpy(out, &p, outlen < sizeof(p) ? outlen : sizeof(p));
}

/* A path or type on stderr, escaped as lsof's safestrprt() does. */
static void
mnt_put(const char *s)
{
	char	esc[(PATH_MAX + 1) * 4 + 1];

	print_escape(esc, sizeof(esc), s, 0);
	fputs(esc, stderr);
}

static void
mnt_readlink_failed(int rl, const char *path)
{
	if (rl == RL_TOOLONG)
		fputs("lsof: readlink() path too long: ", stderr);
	else
		fprintf(stderr, "lsof: too many (> %d) symbolic links in "
		    "readlink() path: ", MNT_MAXLINKS);
	mnt_put(path);
	fputc('\n', stderr);
}

static void
mnt_warn(const char *type, const char *dir)
{
	fputs("lsof: WARNING: can't stat() ", stderr);
	mnt_put(type);
	fputs(" file system ", stderr);
	mnt_put(dir);
	fputs("\n" MNT_INCOMPLETE, stderr);
}

/* -b: neither readlink(2) nor stat(2), and a warning for each. */
static void
mnt_avoided(const char *type, const char *dir)
{
	fputs("lsof: avoiding readlink(", stderr);
	mnt_put(dir);
	fputs("): -b was specified.\n", stderr);
	if (dir[0] != '/')
		return;
	/* 4.95 prints this one unescaped. */
	fprintf(stderr, "lsof: avoiding stat(%s): -b was specified.\n", dir);
	mnt_warn(type, dir);
}

/*
 * 4.95 stat(2)s a mount point once: a later entry for one it could
 * stat(2) is skipped, except that an NFS mount on / takes the place of
 * another.  The index of that other, -1 if none, or -2 to skip.
 */
static ssize_t
mnt_duplicate(const struct mnt_scan *sc, const char *dir, int nfs)
{
	size_t	i;

	for (i = 0; i < sc->n; i++) {
		if (strcmp(sc->dirs[i], dir) != 0)
			continue;
		if (strcmp(dir, "/") != 0 || sc->nfs[i] || !nfs)
			return -2;
		return (ssize_t)i;
	}
	return -1;
}

static void
mnt_remember(struct mnt_scan *sc, ssize_t slot, const char *dir, int nfs)
{
	if (slot < 0) {
		sc->dirs = xreallocarray(sc->dirs, sc->n + 1,
		    sizeof(*sc->dirs));
		sc->nfs = xreallocarray(sc->nfs, sc->n + 1, sizeof(*sc->nfs));
		slot = (ssize_t)sc->n++;
		sc->dirs[slot] = xstrdup(dir);
	}
	sc->nfs[slot] = (unsigned char)nfs;
}

/*
 * One piece of /proc/mounts, "device dir type options ...", split in
 * place: device and dir unescaped, the type left as the kernel wrote it
 * (4.95 prints it so).  -1 for a piece 4.95 skips: too few fields, the
 * automounter's own entries (which a stat(2) would trigger), file
 * systems nothing is mounted from.
 */
int
mounts_parse_line(char *line, struct mount_ent *me)
{
	char	*cp, *last;

	if ((me->dev = strtok_r(line, " \t\n", &last)) == NULL ||
	    (me->dir = strtok_r(NULL, " \t\n", &last)) == NULL ||
	    (me->type = strtok_r(NULL, " \t\n", &last)) == NULL)
		return -1;
	mnt_unescape(me->dev);
	mnt_unescape(me->dir);
	if (((cp = strchr(me->dev, ':')) != NULL &&
	    strncasecmp(cp + 1, "(pid", 4) == 0) ||
	    strcasecmp(me->type, "autofs") == 0 ||
	    strcasecmp(me->type, "pipefs") == 0 ||
	    strcasecmp(me->type, "sockfs") == 0)
		return -1;
	return 0;
}

/*
 * Resolve (and stat(2), for mount points) the paths of a batch in the
 * guard's helper.  A helper that gave up (-S) counts as a stat(2) of the
 * path that failed.
 */
static void
mnt_probe_all(struct mnt_scan *sc, int devs)
{
	struct mnt_batch	*b = sc->b;
	struct mnt_ent		*e;
	struct probe_req	*q;
	struct probe_rep	*p;
	size_t			 i, n = 0, len;

	for (i = 0; i < b->n; i++) {
		e = &b->ent[i];
		if (devs && e->act != MNT_DEV)
			continue;
		q = &b->req[n];
		q->dostat = !devs;
		len = strlcpy(q->path, devs ? e->dev : e->dir, sizeof(q->path));
		if (len >= sizeof(q->path))
			len = sizeof(q->path) - 1;
		b->job[n].in = q;
		b->job[n].inlen = offsetof(struct probe_req, path) + len + 1;
		b->job[n].out = devs ? &e->devp : &e->dirp;
		b->job[n].outlen = sizeof(struct probe_rep);
		n++;
	}
	guard_call_all(sc->o->guard, sc->o, mnt_probe, b->job, n);
	for (i = 0; i < n; i++) {
		if (b->job[i].err == 0)
			continue;
		p = b->job[i].out;
		p->rl = RL_OK;
		p->err = b->job[i].err;
		strlcpy(p->path, b->req[i].path, sizeof(p->path));
	}
}

/* What 4.95 makes of an entry, its mount point examined. */
static int
mnt_judge(struct mnt_scan *sc, const struct mnt_ent *e)
{
	const struct probe_rep	*p = &e->dirp;
	ssize_t			 slot;
	int			 nfs;

	if (p->rl != RL_OK)
		return MNT_RLFAIL;
	if (p->path[0] != '/')
		return MNT_SKIP;
	nfs = strcasecmp(e->type, "nfs") == 0 ||
	    strcasecmp(e->type, "nfs3") == 0 ||
	    strcasecmp(e->type, "nfs4") == 0;
	if ((slot = mnt_duplicate(sc, p->path, nfs)) == -2)
		return MNT_SKIP;
	if (p->err != 0)
		return MNT_WARN;
	mnt_remember(sc, slot, p->path, nfs);
	/* 4.95 resolves a device given as a path, quietly unless it fails. */
	return e->dev[0] == '/' ? MNT_DEV : MNT_OK;
}

/* Examine the batch, then say what 4.95 says, in the table's order. */
static void
mnt_flush(struct mnt_scan *sc)
{
	struct mnt_batch	*b = sc->b;
	struct mnt_ent		*e;
	size_t			 i;

	mnt_probe_all(sc, 0);
	for (i = 0; i < b->n; i++)
		b->ent[i].act = mnt_judge(sc, &b->ent[i]);
	mnt_probe_all(sc, 1);
	for (i = 0; i < b->n; i++) {
		e = &b->ent[i];
		if (e->act == MNT_RLFAIL) {
			mnt_readlink_failed(e->dirp.rl, e->dir);
			fputs(MNT_INCOMPLETE, stderr);
		} else if (e->act == MNT_WARN)
			mnt_warn(e->type, e->dirp.path);
		else if (e->act == MNT_DEV && e->devp.rl != RL_OK)
			mnt_readlink_failed(e->devp.rl, e->dev);
		free(e->dev);
		free(e->dir);
		free(e->type);
	}
	b->n = 0;
}

static void
mnt_read(struct mnt_scan *sc, FILE *fp)
{
	struct mount_ent	 me;
	struct mnt_ent		*e;
	char			 line[MNT_CHUNK];

	/* Pieces, not lines: a longer line reads as several. */
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (mounts_parse_line(line, &me) == -1)
			continue;
		if (sc->o->avoid_block) {
			mnt_avoided(me.type, me.dir);
			continue;
		}
		e = &sc->b->ent[sc->b->n++];
		e->dev = xstrdup(me.dev);
		e->dir = xstrdup(me.dir);
		e->type = xstrdup(me.type);
		if (sc->b->n == MNT_BATCH)
			mnt_flush(sc);
	}
	if (sc->b->n > 0)
		mnt_flush(sc);
}

void
mounts_check(struct opts *o)
{
	struct mnt_scan	sc;
	FILE		*fp;
	size_t		i;

	if (o->mounts_read)
		return;
	o->mounts_read = 1;
	if ((fp = fopen("/proc/mounts", "r")) == NULL) {
		fprintf(stderr, "lsof: can't fopen(/proc/mounts, \"r\"): %s\n",
		    strerror(errno));
		exit(1);
	}
	/* With -w, every word would be suppressed: nothing to check. */
	if (!o->nowarn) {
		memset(&sc, 0, sizeof(sc));
		sc.o = o;
		sc.b = xcalloc(1, sizeof(*sc.b));
		mnt_read(&sc, fp);
		for (i = 0; i < sc.n; i++)
			free(sc.dirs[i]);
		free(sc.dirs);
		free(sc.nfs);
		free(sc.b);
	}
	fclose(fp);
}
