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

void
list_free(struct list *l)
{
	struct lproc	*lp;
	size_t		 i, j;

	for (i = 0; i < l->nprocs; i++) {
		lp = &l->procs[i];
		for (j = 0; j < lp->nfiles; j++) {
			free(lp->files[j].name);
			free(lp->files[j].devch);
			free(lp->files[j].tstate);
			free(lp->files[j].inet);
		}
		free(lp->files);
		free(lp->cmd);
		free(lp->tcmd);
	}
	free(l->procs);
	memset(l, 0, sizeof(*l));
}
