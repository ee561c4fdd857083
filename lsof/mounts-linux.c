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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compat.h"
#include "xmalloc.h"
#include "lsof.h"
#include "guard.h"
#include "mounts.h"
#include "resolve.h"

/* 4.95 reads the table with fgets() into MAXPATHLEN bytes. */
#define MNT_CHUNK	4096

#define MNT_INCOMPLETE	"      Output information may be incomplete.\n"

/* What 4.95 makes of a mount table entry. */
enum { MNT_SKIP, MNT_RLFAIL, MNT_WARN, MNT_OK, MNT_DEV };

struct mnt_ent {
	char			*dev, *dir, *type;
	int			 act;		/* MNT_* */
	struct resolve_rep	 dirp;		/* the mount point */
	struct resolve_rep	 devp;		/* the device, for MNT_DEV */
};

/* Entries are examined a batch at a time, each batch in one go. */
#define MNT_BATCH	64

struct mnt_batch {
	struct mnt_ent		ent[MNT_BATCH];
	struct resolve_req	req[MNT_BATCH];
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

/* A path or type on stderr, escaped as lsof's safestrprt() does. */
static void
mnt_put(const char *s)
{
	char	esc[(PATH_MAX + 1) * 4 + 1];

	print_escape(esc, sizeof(esc), s, 0);
	fputs(esc, stderr);
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
	struct resolve_req	*q;
	size_t			 i, n = 0;

	for (i = 0; i < b->n; i++) {
		e = &b->ent[i];
		if (devs && e->act != MNT_DEV)
			continue;
		q = &b->req[n];
		b->job[n].in = q;
		b->job[n].inlen = resolve_req_set(q, devs ? e->dev : e->dir,
		    devs ? 0 : RESOLVE_STAT);
		b->job[n].out = devs ? &e->devp : &e->dirp;
		b->job[n].outlen = sizeof(struct resolve_rep);
		n++;
	}
	guard_call_all(sc->o->guard, sc->o, resolve_run, b->job, n);
	for (i = 0; i < n; i++)
		if (b->job[i].err != 0)
			resolve_rep_failed(b->job[i].out, b->req[i].path,
			    b->job[i].err);
}

/* What 4.95 makes of an entry, its mount point examined. */
static int
mnt_judge(struct mnt_scan *sc, const struct mnt_ent *e)
{
	const struct resolve_rep	*p = &e->dirp;
	ssize_t			 slot;
	int			 nfs;

	if (p->rl != RESOLVE_OK)
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
			resolve_complain(e->dirp.rl, e->dir);
			fputs(MNT_INCOMPLETE, stderr);
		} else if (e->act == MNT_WARN)
			mnt_warn(e->type, e->dirp.path);
		else if (e->act == MNT_DEV && e->devp.rl != RESOLVE_OK)
			resolve_complain(e->devp.rl, e->dev);
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
