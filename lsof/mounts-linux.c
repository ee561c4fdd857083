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

#include <ctype.h>
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
	int			 ignstat;	/* -e: no stat(2) */
	int			 ignrdl;	/* +e: no readlink(2) either */
	ssize_t			 slot;		/* in the table, or -1 */
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

/* +m FILE: mount points and devices to assume when stat(2) fails. */
struct mnt_sup {
	char	**dirs;
	dev_t	 *devs;
	size_t	  n;
	int	  read;		/* 1 read, -1 unusable */
};

struct mnt_scan {
	struct opts	 *o;
	struct mnt_batch *b;
	struct mnttab	 *tab;
	struct mnt_sup	  sup;
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
 * 4.95 stat(2)s a mount point once: a later entry for one it kept is
 * skipped, except that an NFS mount on / takes the place of another.
 * The index of that other, -1 if none, or -2 to skip.
 */
static ssize_t
mnt_duplicate(const struct mnttab *t, const char *dir, int nfs)
{
	size_t	i;

	for (i = 0; i < t->n; i++) {
		if (strcmp(t->v[i].dir, dir) != 0)
			continue;
		if (strcmp(dir, "/") != 0 || t->v[i].nfs || !nfs)
			return -2;
		return (ssize_t)i;
	}
	return -1;
}

static void
mnt_clear(struct mount *mp)
{
	free(mp->dir);
	free(mp->fsname);
	free(mp->fsres);
}

static int
mnt_is_nfs(const char *type)
{
	return strcasecmp(type, "nfs") == 0 || strcasecmp(type, "nfs3") == 0 ||
	    strcasecmp(type, "nfs4") == 0;
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
 * The -e and +e of a raw mount point: no stat(2) of it, and with +e no
 * readlink(2) either.  4.95 compares the path as the table gives it.
 */
static void
mnt_exempt_mark(const struct opts *o, struct mnt_ent *e)
{
	size_t	i;

	for (i = 0; i < o->nefs; i++)
		if (strcmp(o->efs[i].path, e->dir) == 0) {
			e->ignstat = 1;
			e->ignrdl = o->efs[i].rdlnk;
			return;
		}
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
		if (devs ? e->act != MNT_DEV : e->ignrdl) {
			if (!devs)
				resolve_rep_failed(&e->dirp, e->dir, 0);
			continue;
		}
		q = &b->req[n];
		b->job[n].in = q;
		b->job[n].inlen = resolve_req_set(q, devs ? e->dev : e->dir,
		    devs || !e->ignstat ? RESOLVE_STAT : 0);
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

/*
 * What 4.95 makes of an entry, its mount point examined; an entry it
 * keeps takes its place in the table at once (its slot), so that a later
 * one for the same mount point is a duplicate.
 */
static int
mnt_judge(struct mnt_scan *sc, struct mnt_ent *e)
{
	const struct resolve_rep	*p = &e->dirp;
	struct mnttab			*t = sc->tab;
	struct mount			 m;
	int				 act;

	e->slot = -1;
	if (p->rl != RESOLVE_OK)
		return MNT_RLFAIL;
	memset(&m, 0, sizeof(m));
	m.nfs = mnt_is_nfs(e->type);
	if (p->path[0] != '/' ||
	    (e->slot = mnt_duplicate(t, p->path, m.nfs)) == -2) {
		e->slot = -1;
		return MNT_SKIP;
	}
	if (p->err != 0 && !e->ignstat) {
		act = MNT_WARN;
		if (sc->o->mntsup != 2)
			return act;
	} else {
		/* 4.95 resolves a device given as a path, quietly. */
		act = e->dev[0] == '/' && !e->ignrdl ? MNT_DEV : MNT_OK;
		if (!e->ignstat) {
			m.dev = p->st.st_dev;
			m.rdev = p->st.st_rdev;
			m.ino = p->st.st_ino;
			m.has_dev = 1;
		}
	}
	m.dir = xstrdup(p->path);
	if (e->slot >= 0) {
		mnt_clear(&t->v[e->slot]);
		t->v[e->slot] = m;
	} else {
		t->v = xreallocarray(t->v, t->n + 1, sizeof(*t->v));
		e->slot = (ssize_t)t->n;
		t->v[t->n++] = m;
	}
	return act;
}

/* +m FILE, read at the first mount point whose stat(2) failed. */
static void
mnt_sup_read(struct mnt_scan *sc)
{
	struct mnt_sup	*m = &sc->sup;
	const char	*path = sc->o->mntsup_path;
	char		 buf[2 * PATH_MAX + 2], *sp, *ep;
	FILE		*fp;
	size_t		 i, ln = 0;
	unsigned long long v;
	int		 bad = 0, nw = sc->o->nowarn;

	m->read = -1;
	if ((fp = fopen(path, "r")) == NULL) {
		if (!nw)
			fprintf(stderr, "lsof: WARNING: access %s: %s\n", path,
			    strerror(errno));
		return;
	}
	while (fgets(buf, sizeof(buf), fp) != NULL) {
		ln++;
		buf[strcspn(buf, "\n")] = '\0';
		if (buf[0] != '/') {
			if (!nw)
				fprintf(stderr, "lsof: %s line %zu: no path: "
				    "\"%s\"\n", path, ln, buf);
			bad = 1;
			continue;
		}
		if ((sp = strchr(buf, ' ')) == NULL ||
		    strncmp(sp + 1, "0x", 2) != 0) {
			if (!nw)
				fprintf(stderr, "lsof: %s line %zu: no device: "
				    "\"%s\"\n", path, ln, buf);
			bad = 1;
			continue;
		}
		v = strtoull(sp + 3, &ep, 16);
		if (*ep != '\0' || !isxdigit((unsigned char)sp[3])) {
			if (!nw)
				fprintf(stderr, "lsof: %s line %zu: illegal "
				    "device: \"%s\"\n", path, ln, buf);
			bad = 1;
			continue;
		}
		*sp = '\0';
		for (i = 0; i < m->n && strcmp(m->dirs[i], buf) != 0; i++)
			;
		if (i < m->n) {
			/* 4.95 says this one even under -w. */
			if (m->devs[i] != (dev_t)v) {
				*sp = ' ';
				fprintf(stderr, "lsof: %s line %zu path "
				    "duplicate of %zu: \"%s\"\n", path, ln,
				    i + 1, buf);
				bad = 1;
			}
			continue;
		}
		m->dirs = xreallocarray(m->dirs, m->n + 1, sizeof(*m->dirs));
		m->devs = xreallocarray(m->devs, m->n + 1, sizeof(*m->devs));
		m->dirs[m->n] = xstrdup(buf);
		m->devs[m->n++] = (dev_t)v;
	}
	fclose(fp);
	if (!bad)
		m->read = 1;
}

static void
mnt_sup_free(struct mnt_sup *m)
{
	size_t	i;

	for (i = 0; i < m->n; i++)
		free(m->dirs[i]);
	free(m->dirs);
	free(m->devs);
}

/*
 * A mount point whose stat(2) failed, with +m FILE: the device the file
 * gives it, or none (4.95 says "dev=0" then).
 */
static void
mnt_sup_assume(struct mnt_scan *sc, struct mount *mp)
{
	size_t	i;

	if (sc->sup.read == 0)
		mnt_sup_read(sc);
	for (i = 0; sc->sup.read == 1 && i < sc->sup.n; i++)
		if (strcmp(sc->sup.dirs[i], mp->dir) == 0) {
			mp->dev = sc->sup.devs[i];
			mp->has_dev = 1;
			break;
		}
	fprintf(stderr, "lsof: assuming dev=%#lx for %s from %s\n",
	    (unsigned long)mp->dev, mp->dir, sc->o->mntsup_path);
}

/* What a kept entry adds to its mount: its device, and +m's line. */
static void
mnt_fill(struct mnt_scan *sc, const struct mnt_ent *e, struct mount *mp)
{
	if (e->act == MNT_WARN)
		mnt_sup_assume(sc, mp);
	mp->fsname = xstrdup(e->dev);
	if (e->act == MNT_DEV && e->devp.rl == RESOLVE_OK) {
		mp->fsres = xstrdup(e->devp.path);
		mp->fs_mode = e->devp.err == 0 ? e->devp.st.st_mode : 0;
	} else if (e->act != MNT_DEV)
		mp->fsres = xstrdup(e->dev);
	if (sc->o->mntsup == 1) {
		if (mp->dev != 0)
			printf("%s %#lx\n", mp->dir, (unsigned long)mp->dev);
		else
			printf("%s 0x0\n", mp->dir);
	}
	if (strcmp(e->type, "mqueue") == 0) {
		sc->tab->has_mqueue = 1;
		sc->tab->mqueue_dev = mp->dev;
	}
	if (mp->nfs && mp->has_dev)
		sc->tab->has_nfs = 1;
}

/* Examine the batch, then say what 4.95 says, in the table's order. */
static void
mnt_flush(struct mnt_scan *sc)
{
	struct mnt_batch	*b = sc->b;
	struct mnt_ent		*e;
	size_t			 i;
	int			 nw = sc->o->nowarn;

	mnt_probe_all(sc, 0);
	for (i = 0; i < b->n; i++)
		b->ent[i].act = mnt_judge(sc, &b->ent[i]);
	mnt_probe_all(sc, 1);
	for (i = 0; i < b->n; i++) {
		e = &b->ent[i];
		if (e->act == MNT_RLFAIL && !nw) {
			resolve_complain(e->dirp.rl, e->dir);
			fputs(MNT_INCOMPLETE, stderr);
		} else if (e->act == MNT_WARN && !nw)
			mnt_warn(e->type, e->dirp.path);
		else if (e->act == MNT_DEV && e->devp.rl != RESOLVE_OK && !nw)
			resolve_complain(e->devp.rl, e->dev);
		if (e->slot >= 0)
			mnt_fill(sc, e, &sc->tab->v[e->slot]);
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
			if (!sc->o->nowarn)
				mnt_avoided(me.type, me.dir);
			continue;
		}
		e = &sc->b->ent[sc->b->n++];
		memset(e, 0, sizeof(*e));
		e->dev = xstrdup(me.dev);
		e->dir = xstrdup(me.dir);
		e->type = xstrdup(me.type);
		mnt_exempt_mark(sc->o, e);
		if (sc->b->n == MNT_BATCH)
			mnt_flush(sc);
	}
	if (sc->b->n > 0)
		mnt_flush(sc);
}

/* -e's file systems must be mount points of the table. */
static void
mnt_exempt_check(struct opts *o)
{
	size_t	i, j;

	for (i = 0; i < o->nefs; i++) {
		for (j = o->mnt->n; j > 0; j--)
			if (strcmp(o->mnt->v[j - 1].dir, o->efs[i].path) == 0)
				break;
		if (j == 0) {
			fprintf(stderr, "lsof: \"-e %s\" is not a mounted "
			    "file system.\n", o->efs[i].path);
			o->efs_bad = 1;
			continue;
		}
		o->efs[i].mp = &o->mnt->v[j - 1];
	}
}

void
mounts_check(struct opts *o)
{
	struct mnt_scan	sc;
	FILE		*fp;

	if (o->mnt != NULL)
		return;
	o->mnt = xcalloc(1, sizeof(*o->mnt));
	if ((fp = fopen("/proc/mounts", "r")) == NULL) {
		fprintf(stderr, "lsof: can't fopen(/proc/mounts, \"r\"): %s\n",
		    strerror(errno));
		exit(1);
	}
	memset(&sc, 0, sizeof(sc));
	sc.o = o;
	sc.tab = o->mnt;
	sc.b = xcalloc(1, sizeof(*sc.b));
	mnt_read(&sc, fp);
	mnt_sup_free(&sc.sup);
	free(sc.b);
	fclose(fp);
	mnt_exempt_check(o);
}

int
mounts_exempt(struct opts *o, const char *arg, int rdlnk)
{
	struct resolve_rep	 rep;
	struct efsys		*ep;
	size_t			 len, i;

	if (arg == NULL || arg[0] != '/') {
		if (!o->nowarn)
			fprintf(stderr, "lsof: -e not followed by a file "
			    "system path: \"%s\"\n",
			    arg != NULL ? arg : "(null)");
		return -1;
	}
	if (rdlnk)
		strlcpy(rep.path, arg, sizeof(rep.path));
	else if (resolve_name(o, arg, 0, &rep) == -1)
		return -1;
	for (len = strlen(rep.path); len > 1 && rep.path[len - 1] == '/';)
		rep.path[--len] = '\0';
	for (i = 0; i < o->nefs; i++)
		if (strcmp(o->efs[i].path, rep.path) == 0)
			return 0;
	o->efs = xreallocarray(o->efs, o->nefs + 1, sizeof(*o->efs));
	ep = &o->efs[o->nefs++];
	memset(ep, 0, sizeof(*ep));
	ep->path = xstrdup(rep.path);
	ep->len = len;
	ep->rdlnk = rdlnk;
	return 0;
}

/* 4.95 looks the last entered first, and compares the start only. */
const struct efsys *
mounts_exempt_find(const struct opts *o, const char *path)
{
	size_t	i;

	for (i = o->nefs; i > 0; i--)
		if (strncmp(o->efs[i - 1].path, path, o->efs[i - 1].len) == 0)
			return &o->efs[i - 1];
	return NULL;
}

const struct mount *
mounts_nfs_find(const struct opts *o, dev_t dev, const char *path)
{
	const struct mount	*mp;
	size_t			 i;

	if (o->mnt == NULL || !o->mnt->has_nfs)
		return NULL;
	for (i = o->mnt->n; i > 0; i--) {
		mp = &o->mnt->v[i - 1];
		if (mp->nfs && mp->has_dev && mp->dev == dev &&
		    strncmp(mp->dir, path, strlen(mp->dir)) == 0)
			return mp;
	}
	return NULL;
}

void
mounts_free(struct opts *o)
{
	size_t	i;

	if (o->mnt != NULL) {
		for (i = 0; i < o->mnt->n; i++)
			mnt_clear(&o->mnt->v[i]);
		free(o->mnt->v);
		free(o->mnt);
		o->mnt = NULL;
	}
	for (i = 0; i < o->nefs; i++)
		free(o->efs[i].path);
	free(o->efs);
}
