/*
 * field.c: machine-readable output: lsof's -F fields (with -F0, NUL
 * terminated) and, beyond lsof 4.95, -J (one JSON document) and -j
 * (JSON Lines, one process a line) with lsof 4.99's key names.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/sysmacros.h>
#include <netinet/in.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"
#include "lsof.h"

#define NAMESIZE	16384

static int
want(const struct opts *o, int c)
{
	return strchr(o->fields, c) != NULL;
}

/* One field: letter, value, terminator.  Sets *any. */
static void
fld(const struct opts *o, int c, const char *v, int *any)
{
	putchar_unlocked(c);
	fputs(v, stdout);
	putchar_unlocked(o->field_nul ? '\0' : '\n');
	*any = 1;
}

static void
fldf(const struct opts *o, int c, int *any, const char *fmt, ...)
    __printflike(4, 5);

static void
fldf(const struct opts *o, int c, int *any, const char *fmt, ...)
{
	va_list	ap;
	char	buf[256];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fld(o, c, buf, any);
}

static void
set_end(const struct opts *o, int any)
{
	if (any && o->field_nul)
		putchar_unlocked('\n');
}

static void
field_proc(const struct opts *o, const struct lproc *lp)
{
	const char	*login;
	char		 esc[1024];
	int		 any = 0;

	fldf(o, 'p', &any, "%d", (int)lp->pid);
	if (lp->tid && want(o, 'K'))
		fldf(o, 'K', &any, "%d", (int)lp->tid);
	if (lp->tcmd != NULL && want(o, 'M')) {
		print_escape(esc, sizeof(esc), lp->tcmd, 0);
		fld(o, 'M', esc, &any);
	}
	if (want(o, 'g'))
		fldf(o, 'g', &any, "%d", (int)lp->pgid);
	if (want(o, 'R'))
		fldf(o, 'R', &any, "%d", (int)lp->ppid);
	if (want(o, 'c')) {
		print_escape(esc, sizeof(esc), lp->cmd, 0);
		fld(o, 'c', esc, &any);
	}
	if (want(o, 'u'))
		fldf(o, 'u', &any, "%lu", (unsigned long)lp->uid);
	/* Under -l 4.95 has no login name to give. */
	if (want(o, 'L') && !o->numeric_uid &&
	    (login = print_login(lp->uid)) != NULL)
		fld(o, 'L', login, &any);
	set_end(o, any);
}

static void
field_tcp(const struct opts *o, const struct lfile *lf, int *any)
{
	const char	*st = NULL;

	if (lf->inet != NULL) {
		if ((o->tcpinfo & TI_STATE) && lf->inet->proto == IPPROTO_TCP)
			st = select_tcp_state_name(lf->inet->state);
		else if ((o->tcpinfo & TI_UDPSTATE) &&
		    lf->inet->proto == IPPROTO_UDP && lf->inet->state == 1)
			st = "ESTABLISHED";
		if (st != NULL)
			fldf(o, 'T', any, "ST=%s", st);
		if (o->tcpinfo & TI_QUEUE) {
			fldf(o, 'T', any, "QR=%lu", lf->inet->rq);
			fldf(o, 'T', any, "QS=%lu", lf->inet->sq);
		}
	} else if (lf->tstate != NULL && (o->tcpinfo & TI_STATE))
		fldf(o, 'T', any, "ST=%s", lf->tstate);
}

static void
field_file(const struct opts *o, const struct lfile *lf, char *name)
{
	char	buf[64];
	int	any = 0, isoff;

	if (want(o, 'f'))
		fld(o, 'f', lf->fd, &any);
	if (want(o, 'a'))
		fldf(o, 'a', &any, "%c", lf->access);
	if (want(o, 'l'))
		fldf(o, 'l', &any, "%c", lf->lock);
	if (want(o, 't') && lf->type[0] != '\0')
		fld(o, 't', lf->type, &any);
	if (want(o, 'G') && (lf->flags & LF_FDINFO))
		fldf(o, 'G', &any, "0x%x;0x0", lf->fdflags);
	if (want(o, 'd') && lf->devch != NULL && !(lf->flags & LF_DEV))
		fld(o, 'd', lf->devch, &any);
	if (want(o, 'D') && (lf->flags & LF_DEV))
		fldf(o, 'D', &any, "0x%llx", (unsigned long long)lf->dev);
	if (want(o, 'r') && (lf->flags & LF_RDEV))
		fldf(o, 'r', &any, "0x%llx", (unsigned long long)lf->rdev);
	print_sizeoff(o, lf, buf, sizeof(buf), &isoff);
	if (buf[0] != '\0' && want(o, isoff ? 'o' : 's'))
		fld(o, isoff ? 'o' : 's', buf, &any);
	if (want(o, 'i') && (lf->flags & LF_INODE) &&
	    !(lf->flags & LF_NODEPROTO))
		fldf(o, 'i', &any, "%llu", lf->inode);
	if (want(o, 'k') && (lf->flags & LF_NLINK))
		fldf(o, 'k', &any, "%lu", lf->nlink);
	if (want(o, 'P') && (lf->flags & LF_NODEPROTO))
		fld(o, 'P', lf->iproto, &any);
	if (want(o, 'n')) {
		print_name(o, lf, name, NAMESIZE, 0);
		if (name[0] != '\0')
			fld(o, 'n', name, &any);
	}
	if (want(o, 'T'))
		field_tcp(o, lf, &any);
	set_end(o, any);
}

void
field_print(const struct opts *o, const struct list *l)
{
	const struct lproc	*lp;
	char			*name;
	size_t			 i, j;

	name = xmalloc(NAMESIZE);
	for (i = 0; i < l->nprocs; i++) {
		lp = &l->procs[i];
		if (!list_proc_listed(lp))
			continue;
		field_proc(o, lp);
		for (j = 0; j < lp->nfiles; j++)
			if (!lp->files[j].hidden)
				field_file(o, &lp->files[j], name);
	}
	free(name);
}

/* The repeat-mode marker: "m" and the formatted time, if any. */
void
field_marker(const struct opts *o)
{
	putchar_unlocked('m');
	putchar_unlocked(o->field_nul ? '\0' : '\n');
	if (o->field_nul)
		putchar_unlocked('\n');
}

/*
 * A JSON string: the lsof-escaped text (so any bytes become valid UTF-8),
 * then JSON's own escapes.  NAME arrives escaped already.
 */
static void
json_raw(const char *p)
{
	putchar_unlocked('"');
	for (; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			putchar_unlocked('\\');
			putchar_unlocked(*p);
		} else if ((unsigned char)*p < 0x20)
			printf("\\u%04x", (unsigned char)*p);
		else
			putchar_unlocked(*p);
	}
	putchar_unlocked('"');
}

static void
json_str(const char *s)
{
	char	buf[NAMESIZE];

	print_escape(buf, sizeof(buf), s, 0);
	json_raw(buf);
}

static void
json_file(const struct opts *o, const struct lfile *lf, char *name)
{
	const char	*st;
	char		 buf[64];
	int		 isoff;

	if (lf->fdnum >= 0)
		printf("{\"fd\":\"%d\"", lf->fdnum);
	else {
		printf("{\"fd\":");
		json_str(lf->fd);
	}
	if (lf->access != ' ')
		printf(",\"access\":\"%c\"", lf->access);
	if (lf->lock != ' ')
		printf(",\"lock\":\"%c\"", lf->lock);
	printf(",\"type\":");
	json_str(lf->type);
	if (lf->devch != NULL && !(lf->flags & LF_DEV)) {
		printf(",\"device\":");
		json_str(lf->devch);
	}
	if (lf->flags & LF_DEV)
		printf(",\"device_number\":\"%u,%u\"", major(lf->dev),
		    minor(lf->dev));
	if (lf->flags & LF_RDEV)
		printf(",\"raw_device\":\"%u,%u\"", major(lf->rdev),
		    minor(lf->rdev));
	print_sizeoff(o, lf, buf, sizeof(buf), &isoff);
	if (lf->flags & LF_SIZE)
		printf(",\"size\":%llu", lf->size);
	if (lf->flags & LF_OFF)
		printf(",\"offset\":%llu", lf->off);
	if ((lf->flags & LF_INODE) && !(lf->flags & LF_NODEPROTO))
		printf(",\"inode\":%llu", lf->inode);
	if (lf->flags & LF_NLINK)
		printf(",\"link_count\":%lu", lf->nlink);
	if (lf->flags & LF_NODEPROTO)
		printf(",\"protocol\":\"%s\"", lf->iproto);
	if (lf->flags & LF_FDINFO)
		printf(",\"flags\":\"0x%x\"", lf->fdflags);
	print_name(o, lf, name, NAMESIZE, 0);
	printf(",\"name\":");
	json_raw(name);
	st = NULL;
	if (lf->inet != NULL && lf->inet->proto == IPPROTO_TCP)
		st = select_tcp_state_name(lf->inet->state);
	else if (lf->inet != NULL && lf->inet->state == 1 &&
	    (o->tcpinfo & TI_UDPSTATE))
		st = "ESTABLISHED";
	else if (lf->tstate != NULL)
		st = lf->tstate;
	if (st != NULL || lf->inet != NULL) {
		printf(",\"tcp_info\":{");
		if (st != NULL)
			printf("\"state\":\"%s\"%s", st, lf->inet ? "," : "");
		if (lf->inet != NULL)
			printf("\"recv_queue\":%lu,\"send_queue\":%lu",
			    lf->inet->rq, lf->inet->sq);
		putchar_unlocked('}');
	}
	putchar_unlocked('}');
}

static void
json_proc(const struct opts *o, const struct lproc *lp, char *name)
{
	const char	*login;
	size_t		 j, n;

	printf("{\"pid\":%d", (int)lp->pid);
	if (lp->tid)
		printf(",\"tid\":%d", (int)lp->tid);
	printf(",\"command\":");
	json_str(lp->cmd);
	if (lp->tcmd != NULL) {
		printf(",\"task_cmd\":");
		json_str(lp->tcmd);
	}
	printf(",\"uid\":%lu", (unsigned long)lp->uid);
	if ((login = print_login(lp->uid)) != NULL) {
		printf(",\"login\":");
		json_str(login);
	}
	printf(",\"pgid\":%d,\"ppid\":%d,\"files\":[", (int)lp->pgid,
	    (int)lp->ppid);
	for (j = n = 0; j < lp->nfiles; j++) {
		if (lp->files[j].hidden)
			continue;
		if (n++ > 0)
			putchar_unlocked(',');
		json_file(o, &lp->files[j], name);
	}
	printf("]}");
}

/* -J: one document; -j: one process object a line. */
void
json_print(const struct opts *o, const struct list *l)
{
	char	*name;
	size_t	 i, n = 0;

	name = xmalloc(NAMESIZE);
	if (o->out == OUT_JSON)
		printf("{\"lsof_version\":\"%s\",\"processes\":[",
		    PACKAGE_VERSION);
	for (i = 0; i < l->nprocs; i++) {
		if (!list_proc_listed(&l->procs[i]))
			continue;
		if (o->out == OUT_JSON && n++ > 0)
			putchar_unlocked(',');
		json_proc(o, &l->procs[i], name);
		if (o->out == OUT_JSONL)
			putchar_unlocked('\n');
	}
	if (o->out == OUT_JSON)
		printf("]}\n");
	free(name);
}
