/*
 * list.c: the gathered processes and files, grown as /proc is read and
 * freed after each listing.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"
#include "lsof.h"

struct lfile *
list_file_new(struct lproc *lp)
{
	struct lfile	*lf;

	if (lp->nfiles == lp->capfiles) {
		lp->capfiles = lp->capfiles ? lp->capfiles * 2 : 16;
		lp->files = xreallocarray(lp->files, lp->capfiles,
		    sizeof(*lp->files));
	}
	lf = &lp->files[lp->nfiles++];
	memset(lf, 0, sizeof(*lf));
	lf->fdnum = -1;
	lf->access = ' ';
	lf->lock = ' ';
	return lf;
}

/* A new, empty process at the end of l. */
struct lproc *
list_proc_new(struct list *l)
{
	struct lproc	*lp;

	if (l->nprocs == l->capprocs) {
		l->capprocs = l->capprocs ? l->capprocs * 2 : 256;
		l->procs = xreallocarray(l->procs, l->capprocs,
		    sizeof(*l->procs));
	}
	lp = &l->procs[l->nprocs++];
	memset(lp, 0, sizeof(*lp));
	return lp;
}

/* Move the processes of n lists (their arrays freed) into l. */
void
list_merge(struct list *l, struct list *parts, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (l->nprocs + parts[i].nprocs > l->capprocs) {
			l->capprocs = l->nprocs + parts[i].nprocs;
			l->procs = xreallocarray(l->procs, l->capprocs,
			    sizeof(*l->procs));
		}
		if (parts[i].nprocs > 0)
			memcpy(l->procs + l->nprocs, parts[i].procs,
			    parts[i].nprocs * sizeof(*l->procs));
		l->nprocs += parts[i].nprocs;
		free(parts[i].procs);
	}
}

/* Free what a file points to. */
void
list_file_clear(struct lfile *lf)
{
	free(lf->name);
	free(lf->nma);
	free(lf->devch);
	free(lf->tstate);
	free(lf->inet);
	free(lf->ept_text);
}

/* Whether a process has a file to list (not only -E's hidden ones). */
int
list_proc_listed(const struct lproc *lp)
{
	size_t	i;

	for (i = 0; i < lp->nfiles; i++)
		if (!lp->files[i].hidden)
			return 1;
	return 0;
}

void
list_free(struct list *l)
{
	struct lproc	*lp;
	size_t		 i, j;

	for (i = 0; i < l->nprocs; i++) {
		lp = &l->procs[i];
		for (j = 0; j < lp->nfiles; j++)
			list_file_clear(&lp->files[j]);
		free(lp->files);
		free(lp->cmd);
		free(lp->tcmd);
	}
	free(l->procs);
	memset(l, 0, sizeof(*l));
}
