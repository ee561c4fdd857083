/*
 * lsof.c: the open-file lister's entry point: lsof 4.95's options,
 * the repeat loop and the exit status.
 *
 * Options are read by a copy of lsof's own rules rather than getopt(3):
 * lsof options start with '-' or '+', and several take a value only when
 * one follows that fits ("-o4" sets digits, "-o" alone asks for offsets,
 * "-oo4" is both), so a value that does not fit is pushed back and read
 * again as options, exactly as lsof does.
 */
#include "config.h"

#include <sys/types.h>

#include <ctype.h>
#include <err.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xmalloc.h"
#include "lsof.h"
#include "proc.h"

/* Parsed options: the only global state of the program. */
static struct opts	opt;

/* lsof's GetOpt() state: argv index, index in the word, pushback. */
struct getopt_state {
	int		 x1, x2;
	int		 bk1, bk2;
	char		*val;
	char		 sign;
};

static const char usage_head[] =
    "lsof 4.95.0\n"
    " latest revision: https://github.com/lsof-org/lsof\n"
    " latest FAQ: https://github.com/lsof-org/lsof/blob/master/00FAQ\n"
    " latest (non-formatted) man page: "
    "https://github.com/lsof-org/lsof/blob/master/Lsof.8\n"
    " usage: [-?abhKlnNoOPRtUvVX] [+|-c c] [+|-d s] [+D D] [+|-E] "
    "[+|-e s] [+|-f[gG]]\n"
    " [-F [f]] [-g [s]] [-i [i]] [+|-L [l]] [+m [m]] [+|-M] [-o [o]] "
    "[-p s]\n"
    " [+|-r [t]] [-s [p:s]] [-S [t]] [-T [t]] [-u s] [+|-w] [-x [fl]] "
    "[--] [names]\n";

static const char usage_more[] =
    "Use the ``-h'' option to get more help information.\n";

static const char usage_help[] =
    "Defaults in parentheses; comma-separated set (s) items; "
    "dash-separated ranges.\n"
    "  -?|-h list help          -a AND selections (OR)     "
    "-b avoid kernel blocks\n"
    "  -c c  cmd c ^c /c/[bix]  +c w  COMMAND width (9)    "
    "+d s  dir s files\n"
    "  -d s  select by FD set   +D D  dir D tree *SLOW?*   "
    "+|-e s  exempt s *RISKY*\n"
    "  -i select IPv[46] files  -K [i] list|(i)gn tasKs    "
    "-l list UID numbers\n"
    "  -n no host names         -N select NFS files        "
    "-o list file offset\n"
    "  -O no overhead *RISKY*   -P no port names           "
    "-Q allow failed search\n"
    "  -R list paRent PID       -s list file size          "
    "-t terse listing\n"
    "  -T disable TCP/TPI info  -U select Unix socket      "
    "-v list version info\n"
    "  -V verbose search        +|-w  Warnings (+)         "
    "-X skip TCP&UDP* files\n"
    "  -Z Z  context [Z]        -- end option scan       \n"
    "  -E display endpoint info              "
    "+E display endpoint info and files\n"
    "  +f|-f  +filesystem or -file names     +|-f[gG] flaGs \n"
    "  -F [f] select fields; -F? for help  \n"
    "  +|-L [l] list (+) suppress (-) link counts < l "
    "(0 = all; default = 0)\n"
    "                                        "
    "+m [m] use|create mount supplement\n"
    "  +|-M   portMap registration (-)       "
    "-o o   o 0t offset digits (8)\n"
    "  -p s   exclude(^)|select PIDs         "
    "-S [t] t second stat timeout (15)\n"
    "  -T fqs TCP/TPI Fl,Q,St (s) info\n"
    "  -g [s] exclude(^)|select and print process group IDs\n"
    "  -i i   select by IPv[46] address: "
    "[46][proto][@host|addr][:svc_list|port_list]\n"
    "  +|-r [t[m<fmt>]] repeat every t seconds (15);  "
    "+ until no files, - forever.\n"
    "       An optional suffix to t is m<fmt>; m must separate t from "
    "<fmt> and\n"
    "      <fmt> is an strftime(3) format for the marker line.\n"
    "  -s p:s  exclude(^)|select protocol (p = TCP|UDP) states by "
    "name(s).\n"
    "  -u s   exclude(^)|select login|UID set s\n"
    "  -x [fl] cross over +d|+D File systems or symbolic Links\n"
    "  names  select named files or files on named file systems\n"
    "Anyone can list all files; /dev warnings disabled; kernel ID check "
    "disabled.\n";

/* lsof -F? */
static const char field_help[] =
    "lsof:\tID    field description\n"
    "\t a    access: r = read; w = write; u = read/write\n"
    "\t c    command name\n"
    "\t d    device character code\n"
    "\t D    major/minor device number as 0x<hex>\n"
    "\t f    file descriptor\n"
    "\t G    file flaGs\n"
    "\t i    inode number\n"
    "\t k    link count\n"
    "\t K    task ID (TID)\n"
    "\t l    lock: r/R = read; w/W = write; u = read/write\n"
    "\t L    login name\n"
    "\t m    marker between repeated output\n"
    "\t M    task comMand name\n"
    "\t n    comment, name, Internet addresses\n"
    "\t o    file offset as 0t<dec> or 0x<hex>\n"
    "\t p    process ID (PID)\n"
    "\t g    process group ID (PGID)\n"
    "\t P    protocol name\n"
    "\t r    raw device number as 0x<hex>\n"
    "\t R    paRent PID\n"
    "\t s    file size\n"
    "\t t    file type\n"
    "\t T    TCP/TPI info\n"
    "\t u    user ID (UID)\n"
    "\t 0    (zero) use NUL field terminator instead of NL\n";

/* Field letters -F accepts; a bare -F selects all but r. */
#define FIELDS_ALL	"pKMgRcuLfaltGdDsoikPnT"
#define FIELDS_OK	"pKMgRcuLfaltGdDrsoikPnTm0"

/* Options; ':' marks those that may take a value. */
static const char rules[] =
    "?ab:c:d:D:e:EF:g:hi:jJK:lL:m:MnNo:OPp:Qr:Rs:S:tT:u:UvVwx:XZ:";

static int
getopt_next(struct getopt_state *g, int argc, char **argv, int *errp)
{
	const char	*cp;
	int		 c;

	if (g->x2 == 0) {
		if (g->x1 >= argc || (argv[g->x1][0] != '-' &&
		    argv[g->x1][0] != '+') || argv[g->x1][1] == '\0')
			return -1;
		if (strcmp(argv[g->x1], "--") == 0 ||
		    strcmp(argv[g->x1], "++") == 0) {
			g->x1++;
			return -1;
		}
		g->sign = argv[g->x1][0];
		g->x2 = 1;
	}
	*errp = 0;
	c = (unsigned char)argv[g->x1][g->x2];
	if (c == ':') {
		fprintf(stderr, "lsof: colon is an illegal option "
		    "character.\n");
		*errp = 1;
	} else if ((cp = strchr(rules, c)) == NULL) {
		fprintf(stderr, "lsof: illegal option character: %c\n", c);
		*errp = 1;
	}
	if (*errp) {
		if (argv[g->x1][++g->x2] == '\0') {
			g->x1++;
			g->x2 = 0;
		}
		return c;
	}
	if (cp[1] == ':') {
		if (argv[g->x1][g->x2 + 1] != '\0') {
			g->bk1 = g->x1;
			g->bk2 = ++g->x2;
			g->val = &argv[g->x1++][g->x2];
		} else if (++g->x1 >= argc)
			g->val = NULL;
		else {
			g->bk1 = g->x1;
			g->bk2 = 0;
			g->val = argv[g->x1];
			if (strcmp(g->val, "--") == 0)
				g->val = NULL;
			else
				g->x1++;
		}
		g->x2 = 0;
	} else {
		if (argv[g->x1][++g->x2] == '\0') {
			g->x2 = 0;
			g->x1++;
		}
		g->val = NULL;
	}
	return c;
}

/* The value does not belong to the option: read it again as options. */
static void
getopt_pushback(struct getopt_state *g)
{
	if (g->val == NULL)
		return;
	g->x1 = g->bk1;
	g->x2 = g->bk2;
	g->val = NULL;
}

static int
is_optval(const char *v)
{
	return v != NULL && *v != '-' && *v != '+';
}

static int
all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* -T [fqs]: which TCP/TPI details NAME shows. */
static int
opt_tcpinfo(struct opts *o, const char *v)
{
	o->tcpinfo = 0;
	for (; v != NULL && *v != '\0'; v++) {
		switch (*v) {
		case 'f':
			o->tcpinfo |= TI_FLAGS;
			break;
		case 'q':
			o->tcpinfo |= TI_QUEUE;
			break;
		case 's':
			o->tcpinfo |= TI_STATE;
			break;
		case 'u':
			o->tcpinfo |= TI_UDPSTATE;
			break;
		default:
			fprintf(stderr, "lsof: unsupported TCP/TPI info "
			    "selection: %c\n", *v);
			return -1;
		}
	}
	return 0;
}

/* -r/+r t[c<N>][m<fmt>] */
static int
opt_repeat(struct opts *o, const char *v)
{
	const char	*p = v;
	long		 t = 0;

	o->repeat = 15;
	if (v == NULL)
		return 0;
	while (isdigit((unsigned char)*p))
		t = t * 10 + (*p++ - '0');
	if (p == v || t <= 0 || t > 3600 * 24) {
		fprintf(stderr, "lsof: bad repeat time: %s\n", v);
		return -1;
	}
	o->repeat = (int)t;
	if (*p == 'c') {
		for (t = 0, p++; isdigit((unsigned char)*p); p++)
			t = t * 10 + (*p - '0');
		o->repeat_count = (int)t;
	}
	if (*p == 'm') {
		o->repeat_fmt = xstrdup(p + 1);
		p += strlen(p);
	}
	if (*p != '\0') {
		fprintf(stderr, "lsof: bad repeat time: %s\n", v);
		return -1;
	}
	return 0;
}

static int
opt_fields(struct opts *o, const char *v)
{
	size_t	n = 0;

	if (v == NULL || *v == '\0' || strcmp(v, "0") == 0) {
		snprintf(o->fields, sizeof(o->fields), "%s", FIELDS_ALL);
		o->field_nul = v != NULL && *v == '0';
		return 0;
	}
	for (; *v != '\0'; v++) {
		if (strchr(FIELDS_OK, *v) == NULL) {
			fprintf(stderr, "lsof: unsupported field: %c\n", *v);
			return -1;
		}
		if (*v == '0')
			o->field_nul = 1;
		else if (n + 1 < sizeof(o->fields))
			o->fields[n++] = *v;
	}
	o->fields[n] = '\0';
	return 0;
}

static void
unsupported(int sign, int c)
{
	fprintf(stderr, "lsof: %c%c is not supported by this lsof\n", sign, c);
}

/* Parse one option; -1 is a usage error. */
static int
opt_one(struct opts *o, struct getopt_state *g, int c, int *tset)
{
	char	*v = g->val;
	int	 plus = g->sign == '+';

	switch (c) {
	case 'a':
		o->and = 1;
		break;
	case 'b':
		o->avoid_block = 1;
		break;
	case 'c':
		if (!plus)
			return v ? select_parse_cmd(o, v) : -1;
		if (v == NULL || !all_digits(v)) {
			fprintf(stderr, "lsof: +c not followed by width "
			    "number\n");
			return -1;
		}
		o->cmdlim = atoi(v);
		break;
	case 'd':
		if (v == NULL)
			return -1;
		if (plus)
			return select_parse_name(o, v, NS_DIR) == -1 ? -2 : 0;
		return select_parse_fds(o, v);
	case 'D':
		if (!plus) {
			unsupported(g->sign, c);
			return -1;
		}
		if (v == NULL)
			return -1;
		return select_parse_name(o, v, NS_TREE) == -1 ? -2 : 0;
	case 'F':
		if (!is_optval(v))
			getopt_pushback(g), v = NULL;
		if (v != NULL && v[0] == '?') {
			fputs(field_help, stderr);
			exit(0);
		}
		o->out = OUT_FIELDS;
		return opt_fields(o, v);
	case 'g':
		o->show_pgid = 1;
		if (v != NULL && (isdigit((unsigned char)*v) || *v == '^'))
			return select_parse_pids(o, v, 1);
		getopt_pushback(g);
		break;
	case 'i':
		if (!is_optval(v)) {
			getopt_pushback(g);
			return select_parse_net(o, "");
		}
		return select_parse_net(o, v);
	case 'j':
		o->out = OUT_JSONL;
		break;
	case 'J':
		o->out = OUT_JSON;
		break;
	case 'K':
		if (v != NULL && strcmp(v, "i") == 0) {
			o->tasks = 2;
			break;
		}
		getopt_pushback(g);
		o->tasks = 1;
		o->selflags |= SEL_TASK;
		break;
	case 'l':
		o->numeric_uid = 1;
		break;
	case 'L':
		if (v != NULL && all_digits(v)) {
			if (!plus) {
				fprintf(stderr, "lsof: -L doesn't take a "
				    "numeric argument\n");
				return -1;
			}
			o->nlink_max = atoi(v);
			if (o->nlink_max > 0)
				o->selflags |= SEL_NLINK;
		} else
			getopt_pushback(g);
		o->show_nlink = plus;
		break;
	case 'n':
		o->numeric_host = 1;
		break;
	case 'N':
		select_parse_nfs(o);
		break;
	case 'o':
		if (v != NULL && isdigit((unsigned char)*v)) {
			if (!all_digits(v)) {
				fprintf(stderr, "lsof: bad offset digit "
				    "count: %s\n", v);
				return -1;
			}
			o->offdigits = atoi(v);
			break;
		}
		getopt_pushback(g);
		o->offset = 1;
		break;
	case 'O':
		break;		/* there is no child process to avoid */
	case 'p':
		if (v == NULL) {
			fprintf(stderr, "lsof: no process ID specified\n");
			return -1;
		}
		return select_parse_pids(o, v, 0);
	case 'P':
		o->numeric_port = 1;
		break;
	case 'Q':
		o->quiet_fail = 1;
		break;
	case 'r':
		if (v == NULL || !isdigit((unsigned char)*v)) {
			getopt_pushback(g);
			v = NULL;
		}
		o->repeat_until_empty = plus;
		return opt_repeat(o, v);
	case 'R':
		o->show_ppid = 1;
		break;
	case 's':
		if (is_optval(v) && strchr(v, ':') != NULL)
			return select_parse_state(o, v);
		getopt_pushback(g);
		o->size = 1;
		break;
	case 't':
		o->out = o->out == OUT_COLUMNS ? OUT_TERSE : o->out;
		o->nowarn = 1;
		break;
	case 'T':
		*tset = 1;
		if (!is_optval(v)) {
			getopt_pushback(g);
			o->tcpinfo = 0;
			break;
		}
		return opt_tcpinfo(o, v);
	case 'u':
		return v ? select_parse_uids(o, v) : -1;
	case 'U':
		o->unix_only = 1;
		o->selflags |= SEL_UNIX;
		break;
	case 'V':
		o->verbose = 1;
		break;
	case 'w':
		o->nowarn = !plus;
		break;
	case 'x':
		if (v != NULL && strspn(v, "fl") == strlen(v) && *v != '\0') {
			o->xdev = strchr(v, 'f') != NULL;
			o->xlink = strchr(v, 'l') != NULL;
		} else {
			getopt_pushback(g);
			o->xdev = o->xlink = 1;
		}
		break;
	default:
		/* -E +E -e -M -m -S -X -Z: not in this implementation. */
		unsupported(g->sign, c);
		return -1;
	}
	return 0;
}

static void
usage_short(void)
{
	fputs(usage_head, stderr);
	fputs(usage_more, stderr);
}

static int
opts_parse(struct opts *o, int argc, char *argv[])
{
	struct getopt_state	g;
	int			c, e, bad = 0, errstat = 0, tset = 0, rc;

	memset(&g, 0, sizeof(g));
	g.x1 = 1;
	o->cmdlim = 9;
	o->offdigits = 8;
	o->tcpinfo = TI_STATE;
	while ((c = getopt_next(&g, argc, argv, &e)) != -1) {
		if (e) {
			bad = 1;
			continue;
		}
		if (c == 'h' || c == '?') {
			fputs(usage_head, stdout);
			fputs(usage_help, stdout);
			exit(0);
		}
		if (c == 'v') {
			fprintf(stderr, "lsof version information:\n"
			    "    revision: %s (%s)\n"
			    "    compatible with: lsof 4.95\n",
			    PACKAGE_VERSION, PACKAGE_NAME);
			exit(0);
		}
		if ((rc = opt_one(o, &g, c, &tset)) == -2)
			errstat = 1;
		else if (rc != 0)
			bad = 1;
	}
	for (; g.x1 < argc; g.x1++)
		if (select_parse_name(o, argv[g.x1], NS_FILE) == -1)
			errstat = 1;
	if (bad) {
		usage_short();
		exit(1);
	}
	if (o->out == OUT_FIELDS && !tset)
		o->tcpinfo = TI_STATE | TI_QUEUE;
	if (o->out == OUT_FIELDS && strchr(o->fields, 'p') == NULL) {
		/* Every process set starts with p, asked for or not. */
		memmove(o->fields + 1, o->fields, sizeof(o->fields) - 1);
		o->fields[0] = 'p';
		o->fields[sizeof(o->fields) - 1] = '\0';
	}
	o->selall = o->selflags == 0;
	return errstat;
}

static int
proc_cmp(const void *a, const void *b)
{
	const struct lproc	*x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return 0;
}

static void
marker_print(const struct opts *o)
{
	char		 buf[1024];
	struct tm	*tm;
	time_t		 now;

	buf[0] = '\0';
	if (o->repeat_fmt != NULL) {
		now = time(NULL);
		/* The marker format is the user's, as in lsof's m<fmt>. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		if ((tm = localtime(&now)) == NULL ||
		    strftime(buf, sizeof(buf), o->repeat_fmt, tm) == 0)
			buf[0] = '\0';
#pragma GCC diagnostic pop
	}
	if (o->out == OUT_FIELDS) {
		putchar('m');
		fputs(buf, stdout);
		putchar(o->field_nul ? '\0' : '\n');
		if (o->field_nul)
			putchar('\n');
	} else
		puts(o->repeat_fmt != NULL ? buf : "=======");
}

static size_t
list_count(const struct list *l)
{
	size_t	i, n = 0;

	for (i = 0; i < l->nprocs; i++)
		if (l->procs[i].nfiles > 0)
			n++;
	return n;
}

int
main(int argc, char *argv[])
{
	static char	outbuf[65536];
	struct list	list;
	int		errstat, rv, cycles = 0, printed_any = 0;

	setlocale(LC_CTYPE, "");
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	errstat = opts_parse(&opt, argc, argv);
	for (;;) {
		memset(&list, 0, sizeof(list));
		proc_gather(&opt, &list);
		if (list.nprocs > 1)
			qsort(list.procs, list.nprocs, sizeof(*list.procs),
			    proc_cmp);
		switch (opt.out) {
		case OUT_COLUMNS:
			print_columns(&opt, &list);
			break;
		case OUT_TERSE:
			print_terse(&list);
			break;
		case OUT_FIELDS:
			field_print(&opt, &list);
			break;
		case OUT_JSON:
		case OUT_JSONL:
			json_print(&opt, &list);
			break;
		}
		cycles++;
		if (!opt.repeat) {
			list_free(&list);
			break;
		}
		if (opt.repeat_until_empty && list_count(&list) == 0) {
			list_free(&list);
			break;
		}
		if (list_count(&list) > 0)
			printed_any = 1;
		list_free(&list);
		marker_print(&opt);
		fflush(stdout);
		if (opt.repeat_count && cycles >= opt.repeat_count)
			break;
		sleep((unsigned int)opt.repeat);
	}
	fflush(stdout);
	rv = select_report(&opt);
	if (opt.quiet_fail)
		rv = 0;
	if (!rv && opt.repeat_until_empty && !printed_any)
		rv = 1;
	if (!rv && errstat)
		rv = 1;
	fflush(stdout);
	return rv;
}
