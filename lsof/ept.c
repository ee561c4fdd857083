/*
 * ept.c: -E and +E, the other ends of pipes, UNIX sockets, local TCP and
 * UDP connections, pseudo-terminals, eventfds and POSIX message queues,
 * added to NAME as "PID,COMMAND,FDmode" the way lsof 4.95 adds them.
 *
 * The back end gathers every process's endpoint candidates, listed or
 * not (the unlisted ones marked hidden), and gives each file its kind, its
 * key (inode, tty index or eventfd id) and, for sockets, its peer's
 * inode.  Here the candidates are indexed by kind and key, in the order
 * they were gathered (processes by PID, descriptors by number), and each
 * listed file gets the holders of its other end:
 *
 *	pipe, FIFO, eventfd,	every other holder of the same one, in order
 *	message queue
 *	UNIX socket		"->INO=peer", then the peer's holders, last
 *				gathered first (4.95 prepends to a list);
 *				a listener's first pending connection too
 *	TCP, UDP		the holders of the locally connected peer,
 *				last gathered first
 *	pty master		"->/dev/pts/N" and the holders of its slave
 *	pty slave		the holders of its master
 *
 * With +E the files so named are listed as well, with their own
 * endpoints, but their endpoints are not followed further.
 */
#include "config.h"

#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"
#include "lsof.h"

/* One endpoint candidate: a file of a process, in gathering order. */
struct eref {
	int			 kind;
	unsigned long long	 key;
	pid_t			 pid;
	int			 fdnum;
	size_t			 proc, file;
	size_t			 seq;
};

struct ept {
	const struct opts	*o;
	struct list		*l;
	struct eref		*refs;
	size_t			 nrefs;
};

/* By kind, key, PID, descriptor, then gathering order. */
static int
eref_cmp_fd(const void *a, const void *b)
{
	const struct eref	*x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->fdnum != y->fdnum)
		return x->fdnum < y->fdnum ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
eref_cmp(const void *a, const void *b)
{
	const struct eref	*x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static struct lfile *
ref_file(const struct ept *e, const struct eref *r)
{
	return &e->l->procs[r->proc].files[r->file];
}

/* pty masters and slaves share one index, as in 4.95. */
static int
index_kind(int kind)
{
	return kind == EPT_PTS ? EPT_PTMX : kind;
}

static void
ept_index_proc(struct ept *e, size_t i, size_t *seq)
{
	struct lproc	*lp = &e->l->procs[i];
	struct lfile	*lf;
	struct eref	*r;
	size_t		 j;

	for (j = 0; j < lp->nfiles; j++) {
		lf = &lp->files[j];
		if (!lf->ept)
			continue;
		r = &e->refs[e->nrefs++];
		r->kind = index_kind(lf->ept);
		r->key = lf->ept_key;
		r->pid = lp->pid;
		r->fdnum = lf->fdnum;
		r->proc = i;
		r->file = j;
		r->seq = (*seq)++;
	}
}

/*
 * Index every candidate, dropping a second entry for the same PID and
 * descriptor.  4.95 reads a process's tasks before the process itself,
 * so the tasks' files are the ones kept (and marked by +E).
 */
static void
ept_index(struct ept *e)
{
	size_t	i, j, k, n = 0, seq = 0;

	for (i = 0; i < e->l->nprocs; i++)
		for (j = 0; j < e->l->procs[i].nfiles; j++)
			if (e->l->procs[i].files[j].ept)
				n++;
	e->refs = xreallocarray(NULL, n ? n : 1, sizeof(*e->refs));
	for (i = 0; i < e->l->nprocs; i = k) {
		for (k = i + 1; k < e->l->nprocs &&
		    e->l->procs[k].pid == e->l->procs[i].pid; k++)
			ept_index_proc(e, k, &seq);
		ept_index_proc(e, i, &seq);
	}
	/* Same kind, key, PID and descriptor: keep the first gathered. */
	qsort(e->refs, e->nrefs, sizeof(*e->refs), eref_cmp_fd);
	for (i = j = 0; i < e->nrefs; i++) {
		if (j > 0 && e->refs[j - 1].kind == e->refs[i].kind &&
		    e->refs[j - 1].key == e->refs[i].key &&
		    e->refs[j - 1].pid == e->refs[i].pid &&
		    e->refs[j - 1].fdnum == e->refs[i].fdnum)
			continue;
		e->refs[j++] = e->refs[i];
	}
	e->nrefs = j;
	qsort(e->refs, e->nrefs, sizeof(*e->refs), eref_cmp);
}

/* The candidates of one kind and key: refs[*first .. *end). */
static void
ept_group(const struct ept *e, int kind, unsigned long long key,
    size_t *first, size_t *end)
{
	size_t	lo = 0, hi = e->nrefs, mid;

	kind = index_kind(kind);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (e->refs[mid].kind < kind || (e->refs[mid].kind == kind &&
		    e->refs[mid].key < key))
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo < e->nrefs && e->refs[lo].kind == kind &&
	    e->refs[lo].key == key)
		lo++;
	*end = lo;
}

/* Append " " and s to the file's NAME addition. */
static void
text_add(struct lfile *lf, const char *s)
{
	size_t	old = lf->ept_text ? strlen(lf->ept_text) : 0;
	size_t	len = strlen(s);

	lf->ept_text = xreallocarray(lf->ept_text, old + len + 2, 1);
	if (old > 0)
		lf->ept_text[old++] = ' ';
	memcpy(lf->ept_text + old, s, len + 1);
}

/* "PID,COMMAND,FDmode" of one holder, prefixed; marks it under +E. */
static void
holder_add(const struct ept *e, struct lfile *lf, const struct eref *r,
    const char *prefix, int mark)
{
	const struct lproc	*hp = &e->l->procs[r->proc];
	struct lfile		*hf = ref_file(e, r);
	char			 buf[512];

	snprintf(buf, sizeof(buf), "%s%d,%.*s,%s%c", prefix, (int)hp->pid,
	    e->o->cmdlim, hp->cmd, hf->fd, hf->access);
	text_add(lf, buf);
	if (mark && e->o->ept == 2)
		hf->ept_mark = 1;
}

static int
is_self(const struct ept *e, const struct lproc *lp, const struct lfile *lf,
    const struct eref *r)
{
	return e->l->procs[r->proc].pid == lp->pid &&
	    strcmp(ref_file(e, r)->fd, lf->fd) == 0;
}

/*
 * Pipes, FIFOs, eventfds and message queues: the other holders, in
 * gathering order.
 */
static void
ept_shared(const struct ept *e, const struct lproc *lp, struct lfile *lf,
    int mark)
{
	size_t	i, end;

	ept_group(e, lf->ept, lf->ept_key, &i, &end);
	for (; i < end; i++)
		if (!is_self(e, lp, lf, &e->refs[i]))
			holder_add(e, lf, &e->refs[i], "", mark);
}

/* The holders of socket inode ino, last gathered first. */
static void
ept_sock_holders(const struct ept *e, struct lfile *lf, int kind,
    unsigned long long ino, const char *first, int mark)
{
	size_t	start, end;

	ept_group(e, kind, ino, &start, &end);
	while (end > start) {
		holder_add(e, lf, &e->refs[--end], first, mark);
		first = "";
	}
}

static void
ept_unix(const struct ept *e, struct lfile *lf, int mark, int pass)
{
	char	buf[64];

	if (lf->ept_peer != 0) {
		snprintf(buf, sizeof(buf), "->INO=%llu", lf->ept_peer);
		text_add(lf, buf);
		ept_sock_holders(e, lf, EPT_UNIX, lf->ept_peer, "", mark);
		/* An endpoint listed by +E shows its peer or its queue. */
		if (pass == 1)
			return;
	}
	if (lf->ept_icon != 0) {
		snprintf(buf, sizeof(buf), "->INO=%llu", lf->ept_icon);
		text_add(lf, buf);
		ept_sock_holders(e, lf, EPT_UNIX, lf->ept_icon, "", mark);
	}
}

/* A master's slaves, or a slave's masters, in gathering order. */
static void
ept_pty(const struct ept *e, struct lfile *lf, int mark)
{
	char	prefix[64];
	size_t	i, end;
	int	want = lf->ept == EPT_PTMX ? EPT_PTS : EPT_PTMX;

	snprintf(prefix, sizeof(prefix), "->/dev/pts/%llu ", lf->ept_key);
	ept_group(e, lf->ept, lf->ept_key, &i, &end);
	for (; i < end; i++) {
		if (ref_file(e, &e->refs[i])->ept != want)
			continue;
		holder_add(e, lf, &e->refs[i], lf->ept == EPT_PTMX ? prefix :
		    "", mark);
		prefix[0] = '\0';
	}
}

static void
ept_file(const struct ept *e, const struct lproc *lp, struct lfile *lf,
    int pass)
{
	int	mark = pass == 0;

	switch (lf->ept) {
	case EPT_FIFO:
	case EPT_EVENTFD:
	case EPT_PSXMQ:
		ept_shared(e, lp, lf, mark);
		break;
	case EPT_UNIX:
		ept_unix(e, lf, mark, pass);
		break;
	case EPT_INET:
		if (lf->ept_peer != 0)
			ept_sock_holders(e, lf, EPT_INET, lf->ept_peer, "",
			    mark);
		break;
	case EPT_PTMX:
	case EPT_PTS:
		ept_pty(e, lf, mark);
		break;
	default:
		break;
	}
}

/*
 * Give every listed file its endpoints; with +E, list the endpoint files
 * too (un-hiding them) with theirs.
 */
void
ept_resolve(const struct opts *o, struct list *l)
{
	struct ept	 e;
	struct lproc	*lp;
	struct lfile	*lf;
	size_t		 i, j;
	int		 pass;

	if (!o->ept)
		return;
	memset(&e, 0, sizeof(e));
	e.o = o;
	e.l = l;
	ept_index(&e);
	for (pass = 0; pass < (o->ept == 2 ? 2 : 1); pass++)
		for (i = 0; i < l->nprocs; i++) {
			lp = &l->procs[i];
			for (j = 0; j < lp->nfiles; j++) {
				lf = &lp->files[j];
				if (!lf->ept || lf->hidden != pass ||
				    (pass == 1 && !lf->ept_mark))
					continue;
				lf->hidden = 0;
				ept_file(&e, lp, lf, pass);
			}
		}
	free(e.refs);
}
