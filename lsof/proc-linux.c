/*
 * proc-linux.c: gather open files from Linux's /proc.
 *
 * Cost per descriptor is what matters (a busy host has hundreds of
 * thousands): one readlinkat(2) names it, then one fstatat(2) for files
 * or one lookup in the socket tables (sock-linux.c) for sockets, and one
 * more call for the access mode: lstat of the link, or the fdinfo file
 * when its offset or flags are needed anyway.  Everything is read
 * relative to a descriptor of /proc/PID so no path is walked twice.
 *
 * A process or descriptor can vanish at any moment; every failure below
 * drops what it was reading without a word, as lsof 4.95 does.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xmalloc.h"
#include "lsof.h"
#include "mounts.h"
#include "proc.h"
#include "sock.h"

struct lockent {
	pid_t			 pid;
	dev_t			 dev;
	unsigned long long	 inode;
	size_t			 line;		/* order in /proc/locks */
	char			 ch;
};

/*
 * stat(2) results of mapped files' paths, shared by every process mapping
 * them: the key is what the maps file says (device, inode and path).
 */
struct mapstat {
	dev_t			 dev;
	unsigned long long	 inode;
	char			*path;
	int			 err;		/* stat(2)'s errno, or 0 */
	struct stat		 st;
	size_t			 next;		/* hash chain, index + 1 */
};

/* The numeric entries of a /proc directory. */
struct numlist {
	int	*v;
	size_t	 n, cap;
};

/* (dev, inode) pairs already listed as mem rows of one process. */
struct seenset {
	struct seen {
		dev_t			 dev;
		unsigned long long	 inode;
		unsigned int		 gen;
	}		*v;
	size_t		 cap;		/* a power of two */
	size_t		 n;
	unsigned int	 gen;
};

#define MAPHASH		1024		/* mapped-file hash buckets */

/*
 * What the workers share: read-only while they run, but for the socket
 * table (made by the first that meets a socket, under its mutex) and the
 * index of the next PID to take.
 */
struct shared {
	struct opts	*o;
	struct socktab	*socks;
	pthread_mutex_t	 sockmu;
	struct lockent	*locks;		/* sorted by pid, dev, inode */
	size_t		 nlocks;
	int		 procfd;
	uid_t		 myuid;
	pid_t		 mypid;
	const int	*pids;
	size_t		 npids;
	size_t		 next;		/* atomic */
};

/*
 * What the stat(2) of an anonymous inode's descriptors gives, by kind
 * ("[eventfd]"): most kinds share the kernel's one anonymous inode.  It
 * is known once two kinds have shown the same inode (one descriptor
 * shared by two processes would show one twice), and a kind that shows
 * it needs no stat(2) again.  Kinds that have inodes of their own
 * (io_uring, userfaultfd, pidfd on pidfs) keep being asked.
 */
struct anonkind {
	char		name[32];
	struct stat	st;
	int		shared;		/* 1 the common inode, -1 not, 0 ? */
};
#define ANONKINDS	16

/* One worker's state: its own buffers, caches and list of processes. */
struct gather {
	struct shared	*sh;
	const struct opts *o;
	struct list	*list;
	struct lockent	*locks;
	size_t		 nlocks;
	struct mapstat	*maps;
	size_t		 nmaps, capmaps;
	size_t		 maphash[MAPHASH];	/* index + 1 */
	struct seenset	 seen;
	struct numlist	 pids, fds, tids;
	int		 procfd;
	uid_t		 myuid;
	char		*buf;		/* scratch for /proc reads */
	size_t		 bufsize;
	char		*dbuf;		/* getdents64(2) buffer */
	char		*link;		/* readlink target */
	struct stat	 pipest;	/* the first pipe's stat(2) */
	int		 have_pipest;
	struct anonkind	 anon[ANONKINDS];	/* by anon_inode kind */
	size_t		 nanon;
	int		 anon_known;		/* the common inode: */
	dev_t		 anon_dev;
	ino_t		 anon_ino;
};

#define DBUFSIZE	65536

/* What a file must be to stand a chance of being listed. */
#define NEED_NONE	0
#define NEED_ANY	1
#define NEED_SOCKET	2

#define LINKMAX		(PATH_MAX + 64)

/*
 * What the link /proc/PID/fd/N says of a descriptor that has no path,
 * before the inode or the kind.
 */
#define LINK_SOCKET	"socket:["
#define LINK_PIPE	"pipe:["
#define LINK_ANON	"anon_inode:"
#define LINK_IS(link, pfx)	(strncmp((link), pfx, sizeof(pfx) - 1) == 0)
#define LINK_AFTER(link, pfx)	((link) + sizeof(pfx) - 1)

/* A socket protocol's name (system.sockprotoname), such as "NETLINK". */
#define PROTONAME_MAX	64

/* Devices -E follows by number: UNIX 98 pty slaves, /dev/ptmx, /dev/null. */
#define PTS_MAJOR_FIRST	136
#define PTS_MAJORS	8
#define IS_PTS(rdev)	(major(rdev) >= PTS_MAJOR_FIRST && \
			    major(rdev) < PTS_MAJOR_FIRST + PTS_MAJORS)
#define IS_PTMX(rdev)	(major(rdev) == 5 && minor(rdev) == 2)
#define IS_DEVNULL(rdev)	(major(rdev) == 1 && minor(rdev) == 3)

/* Read a whole small file relative to dirfd into g->buf; -1 on error. */
static ssize_t
read_at(struct gather *g, int dirfd, const char *name)
{
	size_t	len = 0;
	ssize_t	n;
	int	fd;

	if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	for (;;) {
		if (len + 1 >= g->bufsize) {
			g->bufsize *= 2;
			g->buf = xreallocarray(g->buf, g->bufsize, 1);
		}
		n = read(fd, g->buf + len, g->bufsize - len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		/*
		 * /proc files are generated a page at a time: a short first
		 * read well under a page is the whole file, and saves the
		 * read(2) that would return 0.
		 */
		if (len == (size_t)n && len < 2048 &&
		    (size_t)n < g->bufsize - 1)
			break;
	}
	close(fd);
	if (n < 0)
		return -1;
	g->buf[len] = '\0';
	return (ssize_t)len;
}

/* getdents64(2)'s record; glibc before 2.30 has no wrapper. */
struct dirent64_linux {
	uint64_t	d_ino;
	int64_t		d_off;
	unsigned short	d_reclen;
	unsigned char	d_type;
	char		d_name[];
};

static int
num_cmp(const void *a, const void *b)
{
	int	x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

/*
 * The numeric entries of a /proc directory (PIDs, descriptors, TIDs) in
 * ascending order, into nl.  /proc fills the buffer until an entry does
 * not fit, so an answer well short of the buffer is the last one, and
 * the call that would return 0 is saved.  -1 if nothing could be read.
 */
static int
dir_numbers(struct gather *g, int dfd, struct numlist *nl)
{
	const struct dirent64_linux	*d;
	const char			*c;
	long				 r, off, v;
	int				 sorted = 1;

	nl->n = 0;
	for (;;) {
		r = syscall(SYS_getdents64, dfd, g->dbuf, DBUFSIZE);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		for (off = 0; off < r; off += d->d_reclen) {
			d = (const void *)(g->dbuf + off);
			if (d->d_reclen == 0)
				return -1;
			for (v = 0, c = d->d_name; *c >= '0' && *c <= '9' &&
			    v <= INT_MAX; c++)
				v = v * 10 + (*c - '0');
			if (c == d->d_name || *c != '\0' || v > INT_MAX)
				continue;
			if (nl->n == nl->cap) {
				nl->cap = nl->cap ? nl->cap * 2 : 256;
				nl->v = xreallocarray(nl->v, nl->cap,
				    sizeof(*nl->v));
			}
			if (nl->n > 0 && nl->v[nl->n - 1] > (int)v)
				sorted = 0;
			nl->v[nl->n++] = (int)v;
		}
		if (r < DBUFSIZE - 1024)
			break;
	}
	if (r == -1 && nl->n == 0)
		return -1;
	if (!sorted)
		qsort(nl->v, nl->n, sizeof(*nl->v), num_cmp);
	return 0;
}

/*
 * "pid (comm) S ppid pgrp session tty tpgid flags minflt cminflt majflt
 * cmajflt utime stime cutime cstime priority nice num_threads ...":
 * comm may hold any byte, ')' included, so the last ')' ends it.
 */
int
proc_parse_stat(const char *buf, size_t len, struct proc_stat *ps)
{
	const char	*open, *close, *p, *end = buf + len;
	long		 v;
	size_t		 n;
	int		 i, neg, digits;

	if ((open = memchr(buf, '(', len)) == NULL)
		return -1;
	for (close = NULL, p = open; p < end; p++)
		if (*p == ')')
			close = p;
	if (close == NULL)
		return -1;
	n = (size_t)(close - open - 1);
	if (n >= sizeof(ps->comm))
		n = sizeof(ps->comm) - 1;
	memcpy(ps->comm, open + 1, n);
	ps->comm[n] = '\0';
	ps->nthreads = 1;
	ps->state = '?';
	/* Fields 3 to 20 follow: the state, then numbers. */
	p = close + 1;
	for (i = 3; i <= 20; i++) {
		while (p < end && *p == ' ')
			p++;
		if (i == 3) {
			if (p < end)
				ps->state = *p;
			while (p < end && *p != ' ')
				p++;
			continue;
		}
		neg = p < end && *p == '-';
		p += neg;
		for (v = 0, digits = 0; p < end && *p >= '0' && *p <= '9' &&
		    digits < 18; p++, digits++)
			v = v * 10 + (*p - '0');
		if (digits == 0)
			return i > 5 ? 0 : -1;	/* an old kernel: no more */
		if (neg)
			v = -v;
		if (i == 4)
			ps->ppid = (pid_t)v;
		else if (i == 5)
			ps->pgid = (pid_t)v;
		else if (i == 20 && v > 0)
			ps->nthreads = v;
	}
	return 0;
}

/*
 * "addr perms offset maj:min inode   path": as in 4.95, a line with a
 * path and a device or an inode names a mapped file, whatever the path
 * ("socket:[123]" of a packet ring, "anon_inode:[io_uring]").
 */
int
proc_parse_maps_line(const char *p, size_t len, struct maps_ent *me)
{
	const char		*end = p + len, *q;
	unsigned long long	 v;
	int			 field;
	char			*ep;
	char			 num[32];
	size_t			 n;

	for (field = 0; field < 3; field++) {	/* addr perms offset */
		while (p < end && *p != ' ')
			p++;
		while (p < end && *p == ' ')
			p++;
	}
	for (q = p; q < end && *q != ' '; q++)
		;
	if ((n = (size_t)(q - p)) == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, p, n);
	num[n] = '\0';
	v = strtoull(num, &ep, 16);
	if (*ep != ':')
		return -1;
	me->major = (unsigned int)v;
	v = strtoull(ep + 1, &ep, 16);
	if (*ep != '\0')
		return -1;
	me->minor = (unsigned int)v;
	for (p = q; p < end && *p == ' '; p++)
		;
	for (q = p; q < end && *q != ' '; q++)
		;
	if ((n = (size_t)(q - p)) == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, p, n);
	num[n] = '\0';
	me->inode = strtoull(num, &ep, 10);
	if (*ep != '\0' || (me->inode == 0 && me->major == 0 &&
	    me->minor == 0))
		return -1;
	for (p = q; p < end && *p == ' '; p++)
		;
	if (p >= end)
		return -1;
	me->path = p;
	me->pathlen = (size_t)(end - p);
	return 0;
}

/* fdinfo: "pos:\tN" and "flags:\t0NNN" (octal). */
int
proc_parse_fdinfo(const char *buf, size_t len, unsigned long long *pos,
    unsigned int *flags)
{
	const char	*p = buf, *end = buf + len;
	int		 got = 0;

	while (p < end) {
		if (end - p > 4 && strncmp(p, "pos:", 4) == 0) {
			*pos = strtoull(p + 4, NULL, 10);
			got |= 1;
		} else if (end - p > 6 && strncmp(p, "flags:", 6) == 0) {
			*flags = (unsigned int)strtoul(p + 6, NULL, 8);
			got |= 2;
		}
		if ((p = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		p++;
	}
	return got == 3 ? 0 : -1;
}

static int
lock_cmp(const void *a, const void *b)
{
	const struct lockent	*x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static void
locks_load(struct gather *g)
{
	char			*p, *nl, *end;
	char			 kind[16], mode[16], rw[16], endstr[32];
	unsigned int		 maj, min;
	unsigned long long	 ino, start;
	long			 pid;
	ssize_t			 n;
	int			 dfd;

	if ((dfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return;
	n = read_at(g, dfd, "locks");
	close(dfd);
	if (n <= 0)
		return;
	end = g->buf + n;
	for (p = g->buf; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		*nl = '\0';
		if ((p = strchr(p, ':')) == NULL || strstr(p, "->") != NULL)
			continue;
		if (sscanf(p + 1, "%15s %15s %15s %ld %x:%x:%llu %llu %31s",
		    kind, mode, rw, &pid, &maj, &min, &ino, &start,
		    endstr) != 9)
			continue;
		g->locks = xreallocarray(g->locks, g->nlocks + 1,
		    sizeof(*g->locks));
		g->locks[g->nlocks].pid = (pid_t)pid;
		g->locks[g->nlocks].line = g->nlocks;
		g->locks[g->nlocks].dev = makedev(maj, min);
		g->locks[g->nlocks].inode = ino;
		if (strcmp(rw, "WRITE") == 0)
			g->locks[g->nlocks].ch = 'w';
		else if (strcmp(rw, "READ") == 0)
			g->locks[g->nlocks].ch = 'r';
		else
			continue;
		if (start == 0 && strcmp(endstr, "EOF") == 0)
			g->locks[g->nlocks].ch = (char)toupper(
			    (unsigned char)g->locks[g->nlocks].ch);
		g->nlocks++;
		if (nl == end)
			break;
	}
	if (g->nlocks > 1)
		qsort(g->locks, g->nlocks, sizeof(*g->locks), lock_cmp);
}

/*
 * The lock a process holds on a file.  When /proc/locks has several,
 * lsof 4.95 shows the last one listed, so that one is found here too.
 */
static char
lock_find(const struct gather *g, pid_t pid, dev_t dev,
    unsigned long long ino)
{
	struct lockent	key;
	size_t		lo = 0, hi = g->nlocks, mid;

	if (g->nlocks == 0)
		return ' ';
	key.pid = pid;
	key.dev = dev;
	key.inode = ino;
	key.line = SIZE_MAX;
	/* The first entry above key, then step back. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (lock_cmp(&g->locks[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return ' ';
	lo--;
	if (g->locks[lo].pid == pid && g->locks[lo].dev == dev &&
	    g->locks[lo].inode == ino)
		return g->locks[lo].ch;
	return ' ';
}

static const char *
type_of_mode(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG:	return "REG";
	case S_IFDIR:	return "DIR";
	case S_IFCHR:	return "CHR";
	case S_IFBLK:	return "BLK";
	case S_IFIFO:	return "FIFO";
	case S_IFLNK:	return "LINK";
	case S_IFSOCK:	return "sock";
	default:	return "unknown";
	}
}

/* Size or offset, as lsof chooses by file type and -o/-s. */
static void
set_sizeoff(const struct opts *o, struct lfile *lf, const struct stat *st)
{
	switch (st->st_mode & S_IFMT) {
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		if (!o->size)
			lf->flags |= LF_OFF;
		break;
	default:
		if (o->offset)
			lf->flags |= LF_OFF;
		else {
			lf->size = (unsigned long long)st->st_size;
			lf->flags |= LF_SIZE;
		}
	}
}

/* The POSIX message queue file system's device, from the mount table. */
static int
is_mqueue(const struct opts *o, dev_t dev)
{
	return o->mnt != NULL && o->mnt->has_mqueue &&
	    o->mnt->mqueue_dev == dev;
}

/*
 * A file of an NFS mount: 4.95 adds the server's name to NAME ("path
 * (server:/export)") and -N selects it.  Only files that are none of
 * CHR, BLK, FIFO and sock, named by their path.
 */
static void
nfs_mark(const struct opts *o, struct lfile *lf, mode_t mode)
{
	const struct mount	*mp;
	char			*n;

	if (S_ISCHR(mode) || S_ISBLK(mode) || S_ISFIFO(mode) ||
	    S_ISSOCK(mode) || !(lf->flags & LF_DEV) || lf->name == NULL ||
	    (mp = mounts_nfs_find(o, lf->dev, lf->name)) == NULL)
		return;
	xasprintf(&n, "%s (%s)", lf->name, mp->fsname);
	free(lf->name);
	lf->name = n;
	lf->flags |= LF_NFS;
}

static void
fill_stat(const struct opts *o, struct lfile *lf, const struct stat *st)
{
	snprintf(lf->type, sizeof(lf->type), "%s", type_of_mode(st->st_mode));
	lf->dev = st->st_dev;
	lf->inode = (unsigned long long)st->st_ino;
	lf->nlink = (unsigned long)st->st_nlink;
	lf->flags |= LF_DEV | LF_INODE | LF_NLINK | LF_STAT;
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
		lf->rdev = st->st_rdev;
		lf->flags |= LF_RDEV;
	}
	if (is_mqueue(o, st->st_dev)) {
		if (S_ISREG(st->st_mode))
			snprintf(lf->type, sizeof(lf->type), "PSXMQ");
		if (o->ept && !S_ISFIFO(st->st_mode)) {
			lf->ept = EPT_PSXMQ;
			lf->ept_key = lf->inode;
		}
	}
	set_sizeoff(o, lf, st);
	nfs_mark(o, lf, st->st_mode);
}

static void
name_set(struct lfile *lf, const char *s)
{
	free(lf->name);
	lf->name = xstrdup(s);
}

/*
 * A link that is no path ("net:[4026531840]" of a namespace) names its
 * file by what precedes the colon, as 4.95 reads it.
 */
static void
link_cut(char *link)
{
	char	*c;

	if (link[0] != '/' && (c = strchr(link, ':')) != NULL)
		*c = '\0';
}

/*
 * A file on a file system -e or +e exempts: no stat(2) is made, and the
 * row is 4.95's: TYPE "UNKN" and what it is, the device of the mount
 * point if known ("UNKNOWN" otherwise), and the exemption after NAME.
 * Returns 0 when the path is on no such file system.
 */
static int
exempt_row(const struct opts *o, struct lfile *lf, const char *path,
    const char *what)
{
	const struct efsys	*ep;
	char			 buf[PATH_MAX + 8];

	if (o->nefs == 0 || (ep = mounts_exempt_find(o, path)) == NULL)
		return 0;
	snprintf(lf->type, sizeof(lf->type), "UNKN%s", what);
	/* A mapping's device is the maps file's. */
	if (lf->flags & LF_DEV)
		;
	else if (ep->mp != NULL && ep->mp->has_dev) {
		lf->dev = ep->mp->dev;
		lf->flags |= LF_DEV;
	} else
		lf->devch = xstrdup("UNKNOWN");
	name_set(lf, path);
	snprintf(buf, sizeof(buf), "(%ce %s)", ep->rdlnk ? '+' : '-',
	    ep->path);
	free(lf->nma);
	lf->nma = xstrdup(buf);
	return 1;
}

/*
 * What lsof 4.95 adds to NAME after a space when a stat(2) fails,
 * unless -w silences it.  It is kept apart from the name, which
 * selections and +d/+D match.
 */
static void
nma_stat(const struct opts *o, struct lfile *lf, int e)
{
	char	buf[128];

	if (o->nowarn)
		return;
	snprintf(buf, sizeof(buf), "(stat: %s)", strerror(e));
	free(lf->nma);
	lf->nma = xstrdup(buf);
}

/*
 * A link that cannot be read: lsof lists it as type "unknown" with the
 * error after the path, except ENOENT for root (kernel threads' exe).
 */
static void
fill_unreadable(struct gather *g, struct lfile *lf, const char *path, int e)
{
	char	buf[PATH_MAX + 128];

	snprintf(lf->type, sizeof(lf->type), "unknown");
	if (e == ENOENT && g->myuid == 0)
		snprintf(buf, sizeof(buf), "%s", path);
	else
		snprintf(buf, sizeof(buf), "%s (readlink: %s)", path,
		    strerror(e));
	name_set(lf, buf);
}

/* Decide, before any system call, whether a file can be listed at all. */
static int
file_need(const struct gather *g, unsigned int psel, const char *fdname,
    int fdnum)
{
	const struct opts	*o = g->o;
	unsigned int		 req, fdsel;

	if (o->selall)
		return NEED_ANY;
	fdsel = select_fd_match(o, fdname, fdnum) ? SEL_FD : 0;
	if (!o->and) {
		if ((psel & ~SEL_TASK) || psel == SEL_TASK || fdsel)
			return NEED_ANY;
		if (o->selflags & (SEL_NAME | SEL_NLINK | SEL_NFS))
			return NEED_ANY;
		if (o->selflags & (SEL_NET | SEL_NA | SEL_UNIX))
			return NEED_SOCKET;
		return NEED_NONE;
	}
	req = o->selflags & ~SEL_TASK;
	if ((req & SEL_PROC) & ~psel)
		return NEED_NONE;
	/*
	 * A descriptor -d leaves out is still examined, unlisted, when it
	 * may be what finds a name or an -i item: 4.95 examines every file
	 * of a selected process.
	 */
	if ((req & SEL_FD) && !fdsel &&
	    !(req & (SEL_NAME | SEL_NFS | SEL_NET | SEL_NA)))
		return NEED_NONE;
	if (req & (SEL_NET | SEL_NA | SEL_UNIX))
		return NEED_SOCKET;
	return NEED_ANY;
}

/*
 * cwd, rtd and txt: a link of /proc/PID with no descriptor.  Returns 1
 * when *st holds the link target's stat(2), -1 when -e exempts it from
 * one, else 0.
 */
static int
gather_special(struct gather *g, struct lproc *lp, int pfd,
    const char *prefix, const char *link, const char *fdname,
    struct stat *stp)
{
	struct stat	 st;
	struct lfile	*lf;
	char		 path[128];
	ssize_t		 n;

	if (file_need(g, lp->sel, fdname, -1) != NEED_ANY)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", prefix, link);
	n = readlinkat(pfd, link, g->link, LINKMAX - 1);
	if (n == -1 && g->o->nowarn)
		return 0;
	lf = list_file_new(lp);
	snprintf(lf->fd, sizeof(lf->fd), "%s", fdname);
	if (n == -1) {
		fill_unreadable(g, lf, path, errno);
		return 0;
	}
	g->link[n] = '\0';
	if (exempt_row(g->o, lf, g->link, fdname))
		return -1;
	link_cut(g->link);
	name_set(lf, g->link);
	if (fstatat(pfd, link, &st, 0) == -1) {
		/* Even through /proc: a FUSE server may fail a GETATTR. */
		snprintf(lf->type, sizeof(lf->type), "unknown");
		nma_stat(g->o, lf, errno);
		return 0;
	}
	fill_stat(g->o, lf, &st);
	/* No descriptor, so no offset: lsof leaves the column empty. */
	lf->flags &= ~LF_OFF;
	lf->lock = lock_find(g, lp->pid, st.st_dev,
	    (unsigned long long)st.st_ino);
	*stp = st;
	return 1;
}

static size_t
devino_hash(dev_t dev, unsigned long long ino)
{
	return (size_t)((ino * 0x9E3779B97F4A7C15ULL) ^ (unsigned long long)dev) ^
	    (size_t)(ino >> 29);
}

/*
 * The stat(2) of a mapped file's path, made once per listing.  As in
 * lsof 4.95 it is the path the maps file shows, looked up from here: in
 * another mount namespace or chroot it may name nothing, or another file.
 */
static struct mapstat *
mapstat_get(struct gather *g, dev_t dev, unsigned long long ino,
    const char *path, size_t plen)
{
	struct mapstat	*ms;
	size_t		 h, i;

	h = devino_hash(dev, ino) & (MAPHASH - 1);
	for (i = g->maphash[h]; i != 0; i = ms->next) {
		ms = &g->maps[i - 1];
		if (ms->dev == dev && ms->inode == ino &&
		    strncmp(ms->path, path, plen) == 0 &&
		    ms->path[plen] == '\0')
			return ms;
	}
	if (g->nmaps == g->capmaps) {
		g->capmaps = g->capmaps ? g->capmaps * 2 : 64;
		g->maps = xreallocarray(g->maps, g->capmaps, sizeof(*g->maps));
	}
	ms = &g->maps[g->nmaps++];
	memset(ms, 0, sizeof(*ms));
	ms->dev = dev;
	ms->inode = ino;
	ms->path = xstrndup(path, plen);
	ms->next = g->maphash[h];
	g->maphash[h] = g->nmaps;
	if (stat(ms->path, &ms->st) == -1)
		ms->err = errno;
	return ms;
}

/*
 * A mapped file's path that names another file: lsof 4.95 says which
 * of device and inode differ, "(path dev=8,1, inode=12)", unless -w.
 */
static void
nma_path(const struct opts *o, struct lfile *lf, const struct stat *st)
{
	char	buf[128];
	size_t	len = 0;

	if (o->nowarn)
		return;
	if (st->st_dev != lf->dev)
		len = (size_t)snprintf(buf, sizeof(buf), "(path dev=%u,%u%s",
		    major(st->st_dev), minor(st->st_dev),
		    (unsigned long long)st->st_ino == lf->inode ? ")" : ", ");
	else
		len = (size_t)snprintf(buf, sizeof(buf), "(path ");
	if ((unsigned long long)st->st_ino != lf->inode)
		snprintf(buf + len, sizeof(buf) - len, "inode=%llu)",
		    (unsigned long long)st->st_ino);
	lf->nma = xstrdup(buf);
}

/*
 * Whether (dev, ino) was seen before in this process's maps; marks it
 * seen.  An open-addressing set, emptied for each process by bumping
 * its generation instead of clearing it.
 */
static int
seen_before(struct seenset *ss, dev_t dev, unsigned long long ino)
{
	struct seen	*old, *e;
	size_t		 oldcap, i, h;

	if (ss->n * 2 >= ss->cap) {
		old = ss->v;
		oldcap = ss->cap;
		ss->cap = ss->cap ? ss->cap * 2 : 256;
		ss->v = xcalloc(ss->cap, sizeof(*ss->v));
		ss->n = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i].gen == ss->gen)
				(void)seen_before(ss, old[i].dev, old[i].inode);
		free(old);
	}
	h = devino_hash(dev, ino) & (ss->cap - 1);
	for (;;) {
		e = &ss->v[h];
		if (e->gen != ss->gen) {
			e->dev = dev;
			e->inode = ino;
			e->gen = ss->gen;
			ss->n++;
			return 0;
		}
		if (e->dev == dev && e->inode == ino)
			return 1;
		h = (h + 1) & (ss->cap - 1);
	}
}

/*
 * A mapped file on a file system -e or +e exempts: no stat(2), its
 * device and inode as the maps file says.  Returns 1 when it was one.
 */
static int
map_exempt(struct gather *g, struct lproc *lp, const struct maps_ent *me,
    size_t plen, int del, int can)
{
	struct lfile	*lf;
	char		*path;
	int		 rv;

	path = xstrndup(me->path, plen);
	if ((rv = mounts_exempt_find(g->o, path) != NULL) && can) {
		lf = list_file_new(lp);
		snprintf(lf->fd, sizeof(lf->fd), "%s", del ? "DEL" : "mem");
		lf->dev = makedev(me->major, me->minor);
		lf->inode = me->inode;
		lf->flags |= LF_DEV | LF_INODE;
		(void)exempt_row(g->o, lf, path, del ? "del" : "mem");
	}
	free(path);
	return rv;
}

/*
 * One mem or DEL row.  As in lsof 4.95, the stat(2) of the path decides:
 * when it finds the mapped file, the row is what it says (a "(deleted)"
 * mapping whose name was given back to it is mem again); else the row is
 * what the maps file says, a regular file, and a mem row tells why.
 */
static void
map_row(struct gather *g, struct lproc *lp, const struct maps_ent *me,
    size_t plen, int del, int can_mem, int can_del)
{
	const struct mapstat	*ms;
	struct lfile		*lf;
	dev_t			 dev = makedev(me->major, me->minor);
	int			 match;

	if (!del && !can_mem)
		return;		/* a mem row whatever stat(2) says */
	if (g->o->nefs > 0 && map_exempt(g, lp, me, plen, del, del ?
	    can_del : can_mem))
		return;
	ms = mapstat_get(g, dev, me->inode, me->path, plen);
	match = ms->err == 0 && ms->st.st_dev == dev &&
	    (unsigned long long)ms->st.st_ino == me->inode;
	if (match)
		del = 0;
	if (del ? !can_del : !can_mem)
		return;
	lf = list_file_new(lp);
	lf->name = xstrndup(me->path, plen);
	snprintf(lf->fd, sizeof(lf->fd), "%s", del ? "DEL" : "mem");
	if (match) {
		fill_stat(g->o, lf, &ms->st);
		/* A mapping has no offset, and lsof shows nothing for -o. */
		lf->flags &= ~LF_OFF;
	} else {
		snprintf(lf->type, sizeof(lf->type), "REG");
		lf->dev = dev;
		lf->inode = me->inode;
		lf->flags |= LF_DEV | LF_INODE;
		if (!del && ms->err != 0)
			nma_stat(g->o, lf, ms->err);
		else if (!del)
			nma_path(g->o, lf, &ms->st);
		nfs_mark(g->o, lf, S_IFREG);
	}
	lf->lock = lock_find(g, lp->pid, lf->dev, lf->inode);
}

/*
 * mem and DEL rows: each mapped file once, in maps order, leaving out
 * the executable (already the txt row).
 */
static void
gather_maps(struct gather *g, struct lproc *lp, int pfd, dev_t txtdev,
    unsigned long long txtino, int have_txt)
{
	struct maps_ent	 me;
	char		*p, *nl, *end, *path;
	size_t		 plen;
	ssize_t		 n;
	dev_t		 dev;
	int		 del, can_mem, can_del;

	can_mem = file_need(g, lp->sel, "mem", -1) == NEED_ANY;
	can_del = file_need(g, lp->sel, "DEL", -1) == NEED_ANY;
	if (!can_mem && !can_del)
		return;
	if ((n = read_at(g, pfd, "maps")) <= 0)
		return;
	/* A new generation empties the set of files seen. */
	if (++g->seen.gen == 0 && g->seen.v != NULL) {
		memset(g->seen.v, 0, g->seen.cap * sizeof(*g->seen.v));
		g->seen.gen = 1;
	}
	g->seen.n = 0;
	/* Mapped names are kept: the buffer is reused below. */
	p = xstrndup(g->buf, (size_t)n);
	end = p + n;
	for (path = p; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (proc_parse_maps_line(p, (size_t)(nl - p), &me) == -1)
			continue;
		dev = makedev(me.major, me.minor);
		if (have_txt && dev == txtdev && me.inode == txtino)
			continue;
		if (seen_before(&g->seen, dev, me.inode))
			continue;
		plen = me.pathlen;
		del = plen > 10 && memcmp(me.path + plen - 10, " (deleted)",
		    10) == 0;
		if (del)
			plen -= 10;
		map_row(g, lp, &me, plen, del, can_mem, can_del);
	}
	free(path);
}

/*
 * The access mode, as 4.95 takes it from the permission bits of the
 * /proc/PID/fd/N link: 'r' or 'w' alone, else 'u' (a descriptor that can
 * neither read nor write, O_PATH, is 'u' too).  fdinfo's flags say the
 * same when they are read anyway.
 */
static char
access_of_flags(unsigned int flags)
{
	if (flags & O_PATH)
		return 'u';
	switch (flags & O_ACCMODE) {
	case O_RDONLY:	return 'r';
	case O_WRONLY:	return 'w';
	default:	return 'u';
	}
}

static char
access_of_link(int fddir, const char *fdname)
{
	struct stat	st;

	if (fstatat(fddir, fdname, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return ' ';
	switch (st.st_mode & (S_IRUSR | S_IWUSR)) {
	case S_IRUSR:	return 'r';
	case S_IWUSR:	return 'w';
	default:	return 'u';
	}
}

/* The descriptor directories of one process or task. */
struct fdctx {
	struct lproc	*lp;
	int		 pfd;		/* /proc/PID or /proc/PID/task/TID */
	int		 fddir;
	int		 infodir;	/* fdinfo, opened on first use */
	const char	*prefix;	/* "/proc/PID" or ".../task/TID" */
};

/* Read fdinfo/N into g->buf; set offset and flags on lf.  -1 if gone. */
static ssize_t
fdinfo_read(struct gather *g, struct fdctx *fc, struct lfile *lf,
    const char *fdname)
{
	unsigned long long	pos = 0;
	unsigned int		flags = 0;
	ssize_t			n;

	if (fc->infodir == -1 &&
	    (fc->infodir = openat(fc->pfd, "fdinfo", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1)
		return -1;
	if ((n = read_at(g, fc->infodir, fdname)) <= 0)
		return -1;
	if (proc_parse_fdinfo(g->buf, (size_t)n, &pos, &flags) == -1)
		return -1;
	lf->off = pos;
	lf->fdflags = flags;
	lf->flags |= LF_FDINFO;
	lf->access = access_of_flags(flags);
	return n;
}

static int
want_fdflags(const struct opts *o)
{
	return o->fflags != 0 ||
	    (o->out == OUT_FIELDS && strchr(o->fields, 'G') != NULL);
}

/* The value of "key" in fdinfo text, or NULL. */
static const char *
fdinfo_value(const char *buf, const char *key)
{
	const char	*p;
	size_t		 klen = strlen(key);

	for (p = buf; p != NULL && *p != '\0'; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, key, klen) == 0) {
			p += klen;
			while (*p == ' ' || *p == '\t')
				p++;
			return p;
		}
	}
	return NULL;
}

/* 4.95 reads at most this many watched descriptors of an eventpoll. */
#define EPOLL_TFDS	32

/*
 * "[eventpoll:3,4,7]": the descriptors an eventpoll watches, the first
 * EPOLL_TFDS of its fdinfo in ascending order, and "..." when there may
 * be more, as 4.95 shows them.
 */
static void
eventpoll_name(const char *info, char *buf, size_t size)
{
	const char	*p;
	int		 tfds[EPOLL_TFDS];
	size_t		 n = 0, i, len;

	for (p = info; n < EPOLL_TFDS && (p = strstr(p, "tfd:")) != NULL;
	    p += 4)
		if (p == info || p[-1] == '\n')
			tfds[n++] = atoi(p + 4);
	qsort(tfds, n, sizeof(tfds[0]), num_cmp);
	len = strlcpy(buf, "[eventpoll", size);
	for (i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%c%d",
		    i ? ',' : ':', tfds[i]);
	if (len < size)
		snprintf(buf + len, size - len, "%s]",
		    n == EPOLL_TFDS ? "..." : "");
}

static void
anon_name(struct gather *g, struct lfile *lf, const char *kind)
{
	const char	*v;
	char		 buf[1024];

	buf[0] = '\0';
	if (strcmp(kind, "[eventfd]") == 0 &&
	    (v = fdinfo_value(g->buf, "eventfd-id:")) != NULL) {
		snprintf(buf, sizeof(buf), "[eventfd:%.*s]",
		    (int)strcspn(v, "\n"), v);
		if (g->o->ept) {
			lf->ept = EPT_EVENTFD;
			lf->ept_key = strtoull(v, NULL, 10);
		}
	}
	else if (strcmp(kind, "[pidfd]") == 0 &&
	    (v = fdinfo_value(g->buf, "Pid:")) != NULL)
		snprintf(buf, sizeof(buf), "[pidfd:%.*s]",
		    (int)strcspn(v, "\n"), v);
	else if (strcmp(kind, "[eventpoll]") == 0)
		eventpoll_name(g->buf, buf, sizeof(buf));
	name_set(lf, buf[0] != '\0' ? buf : kind);
}

/* Whether the socket queue sizes are printed, which must be exact. */
static int
queues_shown(const struct opts *o)
{
	if (o->out == OUT_JSON || o->out == OUT_JSONL)
		return 1;
	if (!(o->tcpinfo & TI_QUEUE))
		return 0;
	return o->out != OUT_FIELDS || strchr(o->fields, 'T') != NULL;
}

/*
 * The socket inode ino from the tables shared by the workers, copied
 * out under their mutex (a lookup may load more tables and move them).
 */
static int
sock_lookup(struct gather *g, unsigned long long ino, struct sockent *se)
{
	struct shared		*sh = g->sh;
	const struct sockent	*e;

	pthread_mutex_lock(&sh->sockmu);
	if (sh->socks == NULL) {
		sh->socks = socktab_new(NULL, (queues_shown(g->o) ?
		    ST_TEXTONLY : 0) | (g->o->no_inet ? ST_NOINET : 0));
		if (g->o->ept)
			socktab_endpoints(sh->socks);
	}
	if ((e = socktab_find(sh->socks, ino)) != NULL)
		*se = *e;
	pthread_mutex_unlock(&sh->sockmu);
	return e != NULL;
}

/* A socket absent from this namespace's tables: what the kernel says. */
static void
sock_unlisted(struct gather *g, struct fdctx *fc, struct lfile *lf,
    const char *fdname)
{
	struct stat	st;
	char		buf[PATH_MAX + 64];
	ssize_t		n;

	snprintf(lf->type, sizeof(lf->type), "sock");
	if (fstatat(fc->fddir, fdname, &st, 0) == 0) {
		lf->dev = st.st_dev;
		lf->flags |= LF_DEV;
	}
	if (g->o->no_inet) {
		name_set(lf, "can't identify protocol (-X specified)");
		return;
	}
	snprintf(buf, sizeof(buf), "%s/fd/%s", fc->prefix, fdname);
	if ((n = getxattr(buf, "system.sockprotoname", g->link,
	    PROTONAME_MAX)) > 0) {
		g->link[n] = '\0';
		snprintf(buf, sizeof(buf), "protocol: %s", g->link);
	} else
		snprintf(buf, sizeof(buf), "can't identify protocol");
	name_set(lf, buf);
}

/*
 * TCP, UDP and UDP-Lite: TYPE says the table's family (an IPv6 socket
 * is IPv6 even when its addresses are IPv4-mapped; they are shown as
 * IPv4), NODE the protocol, DEVICE the inode.
 */
static void
sock_inet(struct lfile *lf, const struct sockent *se)
{
	struct inetinfo	*in;
	char		 buf[24];

	in = lf->inet = xcalloc(1, sizeof(*in));
	in->proto = se->kind == SK_TCP ? IPPROTO_TCP : se->kind == SK_UDP ?
	    IPPROTO_UDP : IPPROTO_UDPLITE;
	in->laddr = se->laddr;
	in->faddr = se->faddr;
	in->lport = se->lport;
	in->fport = se->fport;
	in->state = se->state;
	in->rq = se->rq;
	in->sq = se->sq;
	in->family = se->v6 ? AF_INET6 : AF_INET;
	snprintf(lf->type, sizeof(lf->type), "%s", se->v6 ? "IPv6" : "IPv4");
	snprintf(lf->iproto, sizeof(lf->iproto), "%s", se->kind == SK_TCP ?
	    "TCP" : se->kind == SK_UDP ? "UDP" : "UDPLITE");
	print_ull(buf, lf->inode);
	lf->devch = xstrdup(buf);
	lf->flags |= LF_INET | LF_NODEPROTO;
	lf->flags &= ~LF_INODE;
	lf->ept = EPT_INET;
	lf->ept_key = lf->inode;
	lf->ept_peer = se->peer;
}

static void
sock_unix(struct lfile *lf, const struct sockent *se)
{
	char	buf[PATH_MAX + 64];

	snprintf(lf->type, sizeof(lf->type), "unix");
	snprintf(buf, sizeof(buf), "0x%016llx", se->kaddr);
	lf->devch = xstrdup(buf);
	snprintf(buf, sizeof(buf), "%s%stype=%s", se->path ? se->path : "",
	    se->path ? " " : "", sock_unix_type(se->type));
	name_set(lf, buf);
	lf->tstate = xstrdup(sock_unix_state(se));
	lf->ept = EPT_UNIX;
	lf->ept_key = lf->inode;
	lf->ept_peer = se->peer;
	lf->ept_icon = se->icon;
}

static void
sock_packet(struct lfile *lf, const struct sockent *se)
{
	char	buf[32];

	snprintf(lf->type, sizeof(lf->type), "pack");
	print_ull(buf, lf->inode);
	lf->devch = xstrdup(buf);
	sock_packet_proto(se->proto, lf->iproto, sizeof(lf->iproto));
	lf->flags |= LF_NODEPROTO;
	lf->flags &= ~LF_INODE;
	snprintf(buf, sizeof(buf), "type=%s", sock_packet_type(se->type));
	name_set(lf, buf);
}

static void
fd_socket(struct gather *g, struct fdctx *fc, struct lfile *lf,
    const char *fdname)
{
	struct sockent	se;
	char		buf[PATH_MAX + 64];

	lf->inode = strtoull(LINK_AFTER(g->link, LINK_SOCKET), NULL, 10);
	if (!g->o->size)
		lf->flags |= LF_OFF;
	lf->flags |= LF_INODE;
	if (!sock_lookup(g, lf->inode, &se)) {
		sock_unlisted(g, fc, lf, fdname);
		return;
	}
	switch (se.kind) {
	case SK_TCP:
	case SK_UDP:
	case SK_UDPLITE:
		sock_inet(lf, &se);
		break;
	case SK_RAW:
		snprintf(lf->type, sizeof(lf->type), "%s", se.v6 ? "raw6" :
		    "raw");
		snprintf(buf, sizeof(buf), "%s st=%02X", se.path ? se.path :
		    "", se.state);
		name_set(lf, buf);
		break;
	case SK_UNIX:
		sock_unix(lf, &se);
		break;
	case SK_NETLINK:
		snprintf(lf->type, sizeof(lf->type), "netlink");
		name_set(lf, sock_netlink_name(se.proto, buf, sizeof(buf)));
		break;
	case SK_PACKET:
		sock_packet(lf, &se);
		break;
	}
}

/*
 * Every pipe lives on the one pipefs: after the first stat(2), a pipe's
 * device, mode and link count are known and its inode is in the link.
 */
static void
fd_pipe(struct gather *g, struct fdctx *fc, struct lfile *lf,
    const char *fdname)
{
	struct stat		st;
	unsigned long long	ino;

	ino = strtoull(LINK_AFTER(g->link, LINK_PIPE), NULL, 10);
	if (g->have_pipest) {
		st = g->pipest;
		st.st_ino = (ino_t)ino;
		fill_stat(g->o, lf, &st);
	} else if (fstatat(fc->fddir, fdname, &st, 0) == -1) {
		snprintf(lf->type, sizeof(lf->type), "FIFO");
		lf->inode = ino;
		lf->flags |= LF_INODE;
	} else {
		fill_stat(g->o, lf, &st);
		if (S_ISFIFO(st.st_mode) && st.st_nlink == 1 &&
		    st.st_size == 0) {
			g->pipest = st;
			g->have_pipest = 1;
		}
	}
	name_set(lf, "pipe");
	if (g->o->ept && (lf->flags & LF_INODE)) {
		lf->ept = EPT_FIFO;
		lf->ept_key = lf->inode;
	}
}

/* The common anonymous inode, once two kinds have shown it; else -1. */
static int
anon_common(struct gather *g, const struct stat *st)
{
	size_t	i, n = 0;

	if (g->anon_known)
		return 0;
	for (i = 0; i < g->nanon; i++)
		if (g->anon[i].st.st_dev == st->st_dev &&
		    g->anon[i].st.st_ino == st->st_ino)
			n++;
	if (n < 2)
		return -1;
	g->anon_known = 1;
	g->anon_dev = st->st_dev;
	g->anon_ino = st->st_ino;
	return 0;
}

/* The stat(2) of an anonymous inode descriptor, learnt by kind; -1. */
static int
anon_stat(struct gather *g, struct fdctx *fc, const char *fdname,
    const char *kind, struct stat *st)
{
	struct anonkind	*ak = NULL;
	size_t		 i;

	for (i = 0; i < g->nanon; i++)
		if (strcmp(g->anon[i].name, kind) == 0) {
			ak = &g->anon[i];
			break;
		}
	if (ak != NULL && ak->shared == 1) {
		*st = ak->st;
		return 0;
	}
	if (fstatat(fc->fddir, fdname, st, 0) == -1)
		return -1;
	if (ak == NULL && g->nanon < ANONKINDS &&
	    strlen(kind) < sizeof(ak->name)) {
		ak = &g->anon[g->nanon++];
		snprintf(ak->name, sizeof(ak->name), "%s", kind);
		ak->st = *st;
	}
	if (ak != NULL && ak->shared == 0 && anon_common(g, st) == 0) {
		ak->shared = st->st_dev == g->anon_dev &&
		    st->st_ino == g->anon_ino ? 1 : -1;
		ak->st = *st;
	}
	return 0;
}

static void
fd_anon(struct gather *g, struct fdctx *fc, struct lfile *lf,
    const char *fdname)
{
	struct stat	 st;
	char		*kind;

	kind = xstrdup(LINK_AFTER(g->link, LINK_ANON));
	if (anon_stat(g, fc, fdname, kind, &st) == 0)
		fill_stat(g->o, lf, &st);
	snprintf(lf->type, sizeof(lf->type), "a_inode");
	if ((strcmp(kind, "[eventfd]") == 0 || strcmp(kind, "[pidfd]") == 0 ||
	    strcmp(kind, "[eventpoll]") == 0 || (lf->flags & LF_OFF) ||
	    want_fdflags(g->o)) && fdinfo_read(g, fc, lf, fdname) > 0)
		anon_name(g, lf, kind);
	else
		name_set(lf, kind);
	free(kind);
}

/*
 * -E: a FIFO's endpoint key is its inode, a pty slave's its minor and a
 * pty master's (/dev/ptmx, 5,2) the tty index its fdinfo tells.  Returns
 * 1 when the fdinfo was read here.
 */
static int
fd_path_ept(struct gather *g, struct fdctx *fc, struct lfile *lf,
    const char *fdname, const struct stat *st)
{
	const char	*v;

	if (S_ISFIFO(st->st_mode)) {
		lf->ept = EPT_FIFO;
		lf->ept_key = (unsigned long long)st->st_ino;
		return 0;
	}
	if (IS_PTS(st->st_rdev)) {
		lf->ept = EPT_PTS;
		lf->ept_key = minor(st->st_rdev);
		return 0;
	}
	if (!IS_PTMX(st->st_rdev) ||
	    fdinfo_read(g, fc, lf, fdname) <= 0 ||
	    (v = fdinfo_value(g->buf, "tty-index:")) == NULL)
		return 0;
	lf->ept = EPT_PTMX;
	lf->ept_key = strtoull(v, NULL, 10);
	return 1;
}

static void
fd_path(struct gather *g, struct fdctx *fc, struct lfile *lf,
    const char *fdname)
{
	struct stat	st;

	link_cut(g->link);
	name_set(lf, g->link);
	if (fstatat(fc->fddir, fdname, &st, 0) == -1) {
		/* 4.95 still shows -o's offset, from fdinfo. */
		snprintf(lf->type, sizeof(lf->type), "unknown");
		nma_stat(g->o, lf, errno);
		if (g->o->offset && fdinfo_read(g, fc, lf, fdname) > 0)
			lf->flags |= LF_OFF;
		return;
	}
	fill_stat(g->o, lf, &st);
	lf->lock = lock_find(g, fc->lp->pid, st.st_dev,
	    (unsigned long long)st.st_ino);
	if (g->o->ept && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) &&
	    fd_path_ept(g, fc, lf, fdname, &st))
		return;
	if ((lf->flags & LF_OFF) && S_ISFIFO(st.st_mode))
		return;		/* a FIFO has no position */
	/*
	 * /dev/null's position is always 0 (its llseek resets it and reads
	 * and writes never move it), and it is the most common descriptor
	 * of all: skip its fdinfo.
	 */
	if ((lf->flags & LF_OFF) && S_ISCHR(st.st_mode) &&
	    IS_DEVNULL(st.st_rdev) && !want_fdflags(g->o))
		return;
	if ((lf->flags & LF_OFF) || want_fdflags(g->o))
		fdinfo_read(g, fc, lf, fdname);
}

/* lsof 4.95 shows descriptors from 10000 up as "*" and the last three digits. */
static void
fd_label(struct lfile *lf, int fdnum)
{
	lf->fdnum = fdnum;
	if (fdnum < 10000)
		snprintf(lf->fd, sizeof(lf->fd), "%d", fdnum);
	else
		snprintf(lf->fd, sizeof(lf->fd), "*%03d", fdnum % 1000);
}

static void
gather_fd(struct gather *g, struct fdctx *fc, int fdnum)
{
	struct lfile	*lf;
	char		 fdname[12], path[128];
	ssize_t		 n;
	int		 need, ept_only = fc->lp->excluded, access_known = 0;

	print_ull(fdname, (unsigned long long)fdnum);
	need = ept_only ? NEED_NONE : file_need(g, fc->lp->sel, fdname,
	    fdnum);
	/* -E looks at every descriptor: any may be another's endpoint. */
	if (need == NEED_NONE) {
		if (!g->o->ept)
			return;
		need = NEED_ANY;
		ept_only = 1;
	}
	n = readlinkat(fc->fddir, fdname, g->link, LINKMAX - 1);
	if (n == -1) {
		/* ENOENT: closed since the directory was read. */
		if (errno == ENOENT || g->o->nowarn || need == NEED_SOCKET ||
		    ept_only)
			return;
		lf = list_file_new(fc->lp);
		fd_label(lf, fdnum);
		snprintf(path, sizeof(path), "%s/fd/%s", fc->prefix, fdname);
		fill_unreadable(g, lf, path, errno);
		return;
	}
	g->link[n] = '\0';
	if (need == NEED_SOCKET && !LINK_IS(g->link, LINK_SOCKET)) {
		if (!g->o->ept)
			return;
		ept_only = 1;
	}
	lf = list_file_new(fc->lp);
	fd_label(lf, fdnum);
	lf->hidden = (unsigned char)ept_only;
	if (LINK_IS(g->link, LINK_SOCKET)) {
		fd_socket(g, fc, lf, fdname);
		/*
		 * The kernel opens every socket's file read-write
		 * (sock_alloc_file) and a socket cannot be reopened through
		 * /proc, so the lstat of its link could only say 'u'.
		 */
		lf->access = 'u';
		access_known = 1;
	} else if (LINK_IS(g->link, LINK_PIPE))
		fd_pipe(g, fc, lf, fdname);
	else if (LINK_IS(g->link, LINK_ANON))
		fd_anon(g, fc, lf, fdname);
	else if (exempt_row(g->o, lf, g->link, "fd")) {
		/* Neither lstat(2) nor stat(2): no access, no lock. */
		if ((g->o->offset || want_fdflags(g->o)) &&
		    fdinfo_read(g, fc, lf, fdname) > 0 && g->o->offset)
			lf->flags |= LF_OFF;
		lf->access = ' ';
		return;
	} else
		fd_path(g, fc, lf, fdname);
	if (!(lf->flags & LF_FDINFO) && want_fdflags(g->o))
		fdinfo_read(g, fc, lf, fdname);
	if (!(lf->flags & LF_FDINFO) && !access_known)
		lf->access = access_of_link(fc->fddir, fdname);
}

static void
gather_fds(struct gather *g, struct lproc *lp, int pfd, const char *prefix)
{
	struct fdctx	 fc;
	struct lfile	*lf;
	size_t		 i;
	char		 buf[256];

	fc.lp = lp;
	fc.pfd = pfd;
	fc.infodir = -1;
	fc.prefix = prefix;
	if ((fc.fddir = openat(pfd, "fd", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		if (errno == ENOENT || errno == ESRCH || g->o->nowarn ||
		    file_need(g, lp->sel, "NOFD", -1) != NEED_ANY)
			return;
		lf = list_file_new(lp);
		snprintf(lf->fd, sizeof(lf->fd), "NOFD");
		snprintf(buf, sizeof(buf), "%s/fd (opendir: %s)", prefix,
		    strerror(errno));
		name_set(lf, buf);
		return;
	}
	if (dir_numbers(g, fc.fddir, &g->fds) == 0)
		for (i = 0; i < g->fds.n; i++)
			gather_fd(g, &fc, g->fds.v[i]);
	close(fc.fddir);
	if (fc.infodir != -1)
		close(fc.infodir);
}

/* Whether -e exempts the executable of a process from stat(2). */
static int
txt_exempt(struct gather *g, int pfd)
{
	ssize_t	n;

	if (g->o->nefs == 0 ||
	    (n = readlinkat(pfd, "exe", g->link, LINKMAX - 1)) == -1)
		return 0;
	g->link[n] = '\0';
	return mounts_exempt_find(g->o, g->link) != NULL;
}

/* Every file of one process or task, in lsof's order. */
static void
gather_files(struct gather *g, struct lproc *lp, int pfd, const char *prefix)
{
	struct stat	st;
	int		have_txt;

	gather_special(g, lp, pfd, prefix, "cwd", "cwd", &st);
	gather_special(g, lp, pfd, prefix, "root", "rtd", &st);
	have_txt = gather_special(g, lp, pfd, prefix, "exe", "txt", &st);
	if (file_need(g, lp->sel, "mem", -1) == NEED_ANY ||
	    file_need(g, lp->sel, "DEL", -1) == NEED_ANY) {
		/*
		 * The executable's mapping is the txt row, when its stat(2)
		 * says which it is: one -e exempts stays a mem row.
		 */
		if (have_txt == 0 && !txt_exempt(g, pfd))
			have_txt = fstatat(pfd, "exe", &st, 0) == 0;
		gather_maps(g, lp, pfd, st.st_dev,
		    (unsigned long long)st.st_ino, have_txt == 1);
	}
	gather_fds(g, lp, pfd, prefix);
}

static int
tasks_wanted(const struct opts *o)
{
	if (o->tasks == 2)
		return 0;
	return o->tasks == 1 || o->selall;
}

static void
scan_tasks(struct gather *g, int pfd, const struct lproc *proc)
{
	struct proc_stat	 ps;
	struct lproc		*lp;
	char			 prefix[96], name[16];
	size_t			 i;
	ssize_t			 n;
	pid_t			 tid;
	int			 tfd, tdir;

	if ((tdir = openat(pfd, "task", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1)
		return;
	if (dir_numbers(g, tdir, &g->tids) == -1) {
		close(tdir);
		return;
	}
	for (i = 0; i < g->tids.n; i++) {
		if ((tid = g->tids.v[i]) == proc->pid)
			continue;
		print_ull(name, (unsigned long long)tid);
		if ((tfd = openat(tdir, name, O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC)) == -1)
			continue;
		n = read_at(g, tfd, "stat");
		if (n <= 0 || proc_parse_stat(g->buf, (size_t)n, &ps) == -1) {
			close(tfd);
			continue;
		}
		lp = list_proc_new(g->list);
		lp->pid = proc->pid;
		lp->tid = tid;
		lp->ppid = proc->ppid;
		lp->pgid = proc->pgid;
		lp->uid = proc->uid;
		lp->cmd = xstrdup(proc->cmd);
		lp->tcmd = xstrdup(ps.comm);
		lp->sel = proc->sel | (g->o->tasks == 1 ? SEL_TASK : 0);
		snprintf(prefix, sizeof(prefix), "/proc/%d/task/%d",
		    (int)proc->pid, (int)tid);
		gather_files(g, lp, tfd, prefix);
		close(tfd);
	}
	close(tdir);
}

static void
scan_pid(struct gather *g, pid_t pid)
{
	struct proc_stat	 ps;
	struct stat		 st;
	struct lproc		*lp, proc;
	char			 name[16], prefix[32];
	ssize_t			 n;
	int			 pfd, has_tasks;

	print_ull(name, (unsigned long long)pid);
	if ((pfd = openat(g->procfd, name, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1)
		return;
	if (fstat(pfd, &st) == -1 || (n = read_at(g, pfd, "stat")) <= 0 ||
	    proc_parse_stat(g->buf, (size_t)n, &ps) == -1)
		goto done;
	memset(&proc, 0, sizeof(proc));
	/* An excluded process still holds -E's endpoints. */
	if (select_proc_excluded(g->o, pid, ps.pgid, st.st_uid, ps.comm)) {
		if (!g->o->ept)
			goto done;
		proc.excluded = 1;
	}
	proc.pid = pid;
	proc.ppid = ps.ppid;
	proc.pgid = ps.pgid;
	proc.uid = st.st_uid;
	proc.cmd = ps.comm;
	if (!proc.excluded)
		proc.sel = select_proc_match(g->o, pid, ps.pgid, st.st_uid,
		    ps.comm);
	/*
	 * Threads other than the leader are tasks, except ours: they are
	 * our gathering workers, which 4.95, single-threaded, does not have.
	 */
	has_tasks = ps.nthreads > 1 && pid != g->sh->mypid;
	/*
	 * Under -a, -K is one more condition, as in 4.95: a process of one
	 * thread has no task to match it and is not listed at all.
	 */
	if (g->o->and && g->o->tasks == 1 && has_tasks)
		proc.sel |= SEL_TASK;
	/*
	 * A zombie has no files, and 4.95 leaves it out, not even found by
	 * -p; but a leader that exited before its other threads is a zombie
	 * too, and those threads are still listed as its tasks.
	 */
	if (ps.state != 'Z') {
		lp = list_proc_new(g->list);
		*lp = proc;
		lp->cmd = xstrdup(ps.comm);
		snprintf(prefix, sizeof(prefix), "/proc/%d", (int)pid);
		if (proc.excluded)
			gather_fds(g, lp, pfd, prefix);
		else
			gather_files(g, lp, pfd, prefix);
	}
	if (tasks_wanted(g->o) && has_tasks && !proc.excluded)
		scan_tasks(g, pfd, &proc);
done:
	close(pfd);
}

/*
 * With only -p include items (and no -K), read just those processes
 * instead of the whole table: "lsof -p PID" costs one process.
 */
static int
only_pids(const struct opts *o)
{
	size_t	i;

	if (o->selall || o->npids == 0 || (o->selflags & SEL_TASK) || o->ept)
		return 0;
	for (i = 0; i < o->npids; i++)
		if (o->pids[i].excl)
			return 0;
	if (o->and)
		return 1;
	return (o->selflags & ~SEL_PID) == 0;
}

static void
gather_init(struct gather *g, struct shared *sh, struct list *l)
{
	memset(g, 0, sizeof(*g));
	g->sh = sh;
	g->o = sh->o;
	g->list = l;
	g->locks = sh->locks;
	g->nlocks = sh->nlocks;
	g->procfd = sh->procfd;
	g->myuid = sh->myuid;
	g->bufsize = 65536;
	g->buf = xmalloc(g->bufsize);
	g->dbuf = xmalloc(DBUFSIZE);
	g->link = xmalloc(LINKMAX);
}

static void
gather_done(struct gather *g)
{
	size_t	i;

	for (i = 0; i < g->nmaps; i++)
		free(g->maps[i].path);
	free(g->maps);
	free(g->seen.v);
	free(g->pids.v);
	free(g->fds.v);
	free(g->tids.v);
	free(g->dbuf);
	free(g->buf);
	free(g->link);
}

/* A worker: take the next PID until there is none. */
static void *
gather_worker(void *arg)
{
	struct gather	*g = arg;
	struct shared	*sh = g->sh;
	size_t		 i;

	while ((i = __atomic_fetch_add(&sh->next, 1, __ATOMIC_RELAXED)) <
	    sh->npids)
		if (sh->pids[i] > 0)
			scan_pid(g, (pid_t)sh->pids[i]);
	return NULL;
}

/*
 * How many workers read /proc.  The cost of a listing is almost all in
 * the kernel, a few system calls per descriptor, and processes are
 * independent: on a machine with more than one CPU two to four workers
 * finish a large table sooner.  A small one is not worth a thread.
 */
static size_t
gather_nworkers(size_t nprocs)
{
	long	ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	if (nprocs < 64 || ncpu < 2)
		return 1;
	return ncpu > 4 ? 4 : (size_t)ncpu;
}

void
proc_gather(struct opts *o, struct list *l)
{
	struct shared	 sh;
	struct gather	*gs;
	struct list	*parts;
	pthread_t	*tids;
	size_t		 i, n = 1;
	int		*pids = NULL, *started;

	memset(&sh, 0, sizeof(sh));
	sh.o = o;
	sh.myuid = geteuid();
	sh.mypid = getpid();
	pthread_mutex_init(&sh.sockmu, NULL);
	if ((sh.procfd = open("/proc", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1)
		err(1, "/proc");
	gs = xcalloc(1, sizeof(*gs));
	gather_init(&gs[0], &sh, l);
	locks_load(&gs[0]);
	sh.locks = gs[0].locks;
	sh.nlocks = gs[0].nlocks;
	if (only_pids(o)) {
		pids = xreallocarray(NULL, o->npids ? o->npids : 1,
		    sizeof(*pids));
		for (i = 0; i < o->npids; i++)
			pids[i] = (int)o->pids[i].id;
		sh.npids = o->npids;
	} else {
		if (dir_numbers(&gs[0], sh.procfd, &gs[0].pids) == -1)
			err(1, "/proc");
		pids = gs[0].pids.v;
		gs[0].pids.v = NULL;
		sh.npids = gs[0].pids.n;
		n = gather_nworkers(sh.npids);
	}
	sh.pids = pids;
	gather_done(&gs[0]);
	gs = xreallocarray(gs, n, sizeof(*gs));
	parts = xcalloc(n, sizeof(*parts));
	tids = xcalloc(n, sizeof(*tids));
	started = xcalloc(n, sizeof(*started));
	for (i = 0; i < n; i++)
		gather_init(&gs[i], &sh, &parts[i]);
	/* The calling thread is worker 0; a worker that fails to start is
	 * simply not there, its share taken by the others. */
	for (i = 1; i < n; i++)
		started[i] = pthread_create(&tids[i], NULL, gather_worker,
		    &gs[i]) == 0;
	(void)gather_worker(&gs[0]);
	for (i = 1; i < n; i++)
		if (started[i])
			pthread_join(tids[i], NULL);
	list_merge(l, parts, n);
	for (i = 0; i < n; i++)
		gather_done(&gs[i]);
	close(sh.procfd);
	socktab_free(sh.socks);
	pthread_mutex_destroy(&sh.sockmu);
	free(sh.locks);
	free(pids);
	free(parts);
	free(tids);
	free(started);
	free(gs);
}
