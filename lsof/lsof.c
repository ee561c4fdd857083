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

#include "compat.h"
#include "xmalloc.h"
#include "lsof.h"
#include "guard.h"
#include "mounts.h"
#include "proc.h"
#include "rpcmap.h"

/* Parsed options and the stat(2) helper: the program's global state. */
static struct opts	opt;
static struct guard	guard;

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
    "\t S    stream module and device names\n"
    "\t t    file type\n"
    "\t T    TCP/TPI info\n"
    "\t u    user ID (UID)\n"
    "\t 0    (zero) use NUL field terminator instead of NL\n";

/* Field letters -F accepts (4.95's table); a bare -F selects all but r. */
#define FIELDS_ALL	"pKMgRcuLfaltGdDsoikPnT"
#define FIELDS_OK	"acCdDfFgGikKlLmMnNopPrRsStTuzZ0"

/* Options; ':' marks those that may take a value (4.95's rules, -j -J). */
static const char rules[] =
    "?abc:d:D:e:Ef:F:g:hi:jJK:lL:m:MnNo:OPp:Qr:Rs:S:tT:u:UvVwx:XZ:";

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

/*
 * The value, past its first n bytes, does not belong to the option: read
 * it again as options, as lsof does ("-o4x" is -o4 then -x; "-o x" makes
 * x the first file name).
 */
static void
getopt_pushback_n(struct getopt_state *g, int n)
{
	if (g->val == NULL)
		return;
	g->x1 = g->bk1;
	g->x2 = g->bk2 + n;
	g->val = NULL;
}

static void
getopt_pushback(struct getopt_state *g)
{
	getopt_pushback_n(g, 0);
}

static int
is_optval(const char *v)
{
	return v != NULL && *v != '-' && *v != '+';
}

/* -T [fqs]: which TCP/TPI details NAME shows. */
static int
opt_tcpinfo(struct opts *o, const char *v)
{
	int	rv = 0;

	o->tcpinfo = 0;
	for (; *v != '\0'; v++) {
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
			rv = -1;
		}
	}
	return rv;
}

/* Leading decimal digits of v: their value in *val, their count returned. */
static int
opt_digits(const char *v, long *val)
{
	int	n;

	for (*val = 0, n = 0; isdigit((unsigned char)v[n]); n++)
		if (*val < 100000000)
			*val = *val * 10 + (v[n] - '0');
	return n;
}

/*
 * -r/+r [t[c<N>][m<fmt>]]: t 0 means no repeat, as in lsof; anything
 * after the digits that is not c or m is read again as options.
 */
static int
opt_repeat(struct opts *o, struct getopt_state *g, const char *v)
{
	const char	*p;
	char		 buf[1024];
	struct tm	*tm;
	time_t		 now;
	long		 t;
	int		 n;

	o->repeat = 15;
	if (!is_optval(v)) {
		getopt_pushback(g);
		return 0;
	}
	n = opt_digits(v, &t);
	o->repeat = n ? (int)t : 15;
	for (p = v + n; *p == ' '; p++)
		;
	if (*p == '\0')
		return 0;
	/*
	 * c<N>, beyond 4.95 (which reads "c2" of "-r1c2" as -c 2): stop
	 * after N cycles.
	 */
	if (*p == 'c' && isdigit((unsigned char)p[1])) {
		for (t = 0, p++; isdigit((unsigned char)*p); p++)
			if (t < 100000000)
				t = t * 10 + (*p - '0');
		o->repeat_count = (int)t;
		if (*p == '\0')
			return 0;
	}
	if (*p != 'm') {
		getopt_pushback_n(g, n);
		return 0;
	}
	o->repeat_fmt = xstrdup(p + 1);
	now = time(NULL);
	/* lsof refuses a format that makes nothing. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if ((tm = localtime(&now)) == NULL ||
	    strftime(buf, sizeof(buf), o->repeat_fmt, tm) == 0) {
#pragma GCC diagnostic pop
		fprintf(stderr, "lsof: illegal <fmt>: \"%s\"\n", o->repeat_fmt);
		return -1;
	}
	return 0;
}

/* -F: 4.95's field letters; a bare -F (or -F0) selects all but r. */
static int
opt_fields(struct opts *o, struct getopt_state *g, const char *v)
{
	size_t	n = strlen(o->fields);
	int	rv = 0;

	o->out = OUT_FIELDS;
	if (!is_optval(v) || strcmp(v, "0") == 0) {
		if (v != NULL && *v == '0')
			o->field_nul = 1;
		else
			getopt_pushback(g);
		snprintf(o->fields, sizeof(o->fields), "%s", FIELDS_ALL);
		return 0;
	}
	if (strcmp(v, "?") == 0) {
		o->field_help = 1;
		return 0;
	}
	for (; *v != '\0'; v++) {
		if (strchr(FIELDS_OK, *v) == NULL) {
			fprintf(stderr, "lsof: unknown field: %c\n", *v);
			rv = -1;
			continue;
		}
		if (*v == '0')
			o->field_nul = 1;
		else if (strchr(o->fields, *v) == NULL &&
		    n + 1 < sizeof(o->fields)) {
			o->fields[n++] = *v;
			o->fields[n] = '\0';
		}
		/* Asking for offsets asks for offsets in place of sizes. */
		if (*v == 'o')
			o->offset = 1;
	}
	return rv;
}

/* -S [t]: the time limit of calls that may block; at least 2 seconds. */
static void
opt_timeout(struct opts *o, struct getopt_state *g, const char *v)
{
	long	t;
	int	n;

	o->tmlimit = TMLIMIT;
	if (!is_optval(v)) {
		getopt_pushback(g);
		return;
	}
	if ((n = opt_digits(v, &t)) > 0)
		o->tmlimit = (int)t;
	if (v[n] != '\0')
		getopt_pushback_n(g, n);
	if (o->tmlimit < TMLIMMIN) {
		fprintf(stderr, "lsof: WARNING: -S time (%d) changed to %d\n",
		    o->tmlimit, TMLIMMIN);
		o->tmlimit = TMLIMMIN;
	}
}

/* -o [digits]: offsets, or the digits of 0t offsets. */
static void
opt_offset(struct opts *o, struct getopt_state *g, const char *v)
{
	long	t;
	int	n;

	if (!is_optval(v)) {
		o->offset = 1;
		getopt_pushback(g);
		return;
	}
	if ((n = opt_digits(v, &t)) > 0)
		o->offdigits = (int)t;
	else
		o->offset = 1;
	if (v[n] != '\0')
		getopt_pushback_n(g, n);
}

/* +L [n] / -L: the NLINK column, and files with fewer than n links. */
static int
opt_links(struct opts *o, struct getopt_state *g, const char *v, int plus)
{
	long	t;
	int	n, rv = 0;

	o->show_nlink = plus;
	o->nlink_max = 0;
	if (!is_optval(v)) {
		getopt_pushback(g);
		return 0;
	}
	if ((n = opt_digits(v, &t)) > 0) {
		if (!plus) {
			fprintf(stderr, "lsof: no number may follow -L\n");
			rv = -1;
		} else {
			o->nlink_max = (int)t;
			o->selflags |= SEL_NLINK;
		}
	}
	if (v[n] != '\0')
		getopt_pushback_n(g, n);
	return rv;
}

/* +c w: COMMAND width, at most what Linux keeps (15). */
static int
opt_cmdwidth(struct opts *o, struct getopt_state *g, const char *v)
{
	if (!is_optval(v) || !isdigit((unsigned char)*v)) {
		fprintf(stderr, "lsof: +c not followed by width number\n");
		getopt_pushback(g);
		return -1;
	}
	o->cmdlim = atoi(v);
	if (o->cmdlim > CMDMAX) {
		fprintf(stderr, "lsof: +c %d > what system provides (%d)\n",
		    o->cmdlim, CMDMAX);
		return -1;
	}
	return 0;
}

/*
 * -f / +f [gG]: how names are taken, or the FILE-FLAG column: +f g with
 * the open flags' names, +f G in hex; -f g and -f G take it away.
 */
static int
opt_filesys(struct opts *o, struct getopt_state *g, const char *v, int plus)
{
	int	rv = 0;

	if (!is_optval(v)) {
		o->filesys = plus ? 2 : 1;
		getopt_pushback(g);
		return 0;
	}
	for (; *v != '\0'; v++) {
		if (*v == 'g' || *v == 'G') {
			o->fflags = plus ? *v : 0;
			continue;
		}
		fprintf(stderr, "lsof: unknown file struct option: %c\n", *v);
		rv = -1;
	}
	return rv;
}

/* +m [file]: print the mount supplement, or read one. */
static void
opt_mntsup(struct opts *o, struct getopt_state *g, const char *v)
{
	if (!is_optval(v)) {
		o->mntsup = 1;
		getopt_pushback(g);
		return;
	}
	o->mntsup = 2;
	free(o->mntsup_path);
	o->mntsup_path = xstrdup(v);
}

/* -x [fl]: what +D may cross. */
static int
opt_crossover(struct opts *o, struct getopt_state *g, const char *v)
{
	int	rv = 0;

	if (!is_optval(v)) {
		o->xdev = o->xlink = o->crossover = 1;
		getopt_pushback(g);
		return 0;
	}
	for (; *v != '\0'; v++) {
		if (*v == 'f')
			o->xdev = o->crossover = 1;
		else if (*v == 'l')
			o->xlink = o->crossover = 1;
		else {
			fprintf(stderr, "lsof: unknown cross-over option: %c\n",
			    *v);
			rv = -1;
		}
	}
	return rv;
}

/* -K [i]: list (and select) tasks, or never list them. */
static int
opt_tasks(struct opts *o, struct getopt_state *g, const char *v)
{
	if (!is_optval(v)) {
		o->tasks = 1;
		o->selflags |= SEL_TASK;
		getopt_pushback(g);
		return 0;
	}
	if (strcasecmp(v, "i") == 0) {
		o->tasks = 2;
		o->selflags &= ~SEL_TASK;
		return 0;
	}
	fprintf(stderr, "lsof: -K not followed by i (but by %s)\n", v);
	return -1;
}

/* Parse one option; -1 is a usage error, -2 an error of a name. */
static int
opt_one(struct opts *o, struct getopt_state *g, int c)
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
		if (plus)
			return opt_cmdwidth(o, g, v);
		if (v == NULL) {
			fprintf(stderr, "lsof: missing -c option value\n");
			return -1;
		}
		return select_parse_cmd(o, v);
	case 'd':
		if (plus) {
			if (select_parse_name(o, v, NS_DIR) == -1)
				return -1;
			o->dirs_given = 1;
			return 0;
		}
		if (v == NULL) {
			fprintf(stderr, "lsof: no file descriptor specified\n");
			return -1;
		}
		return select_parse_fds(o, v);
	case 'D':
		if (!plus) {
			fprintf(stderr, "lsof: unsupported option: -D\n");
			return -1;
		}
		if (select_parse_name(o, v, NS_TREE) == -1)
			return -1;
		o->dirs_given = 1;
		return 0;
	case 'e':
		return mounts_exempt(o, v, plus);
	case 'E':
		o->ept = plus ? 2 : 1;
		break;
	case 'f':
		return opt_filesys(o, g, v, plus);
	case 'F':
		return opt_fields(o, g, v);
	case 'g':
		o->show_pgid = 1;
		if (v == NULL)
			break;
		if (*v == '-' || *v == '+') {
			getopt_pushback(g);
			break;
		}
		return select_parse_pids(o, v, 1);
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
		return opt_tasks(o, g, v);
	case 'l':
		o->numeric_uid = 1;
		break;
	case 'L':
		return opt_links(o, g, v, plus);
	case 'm':
		if (plus) {
			opt_mntsup(o, g, v);
			break;
		}
		/* Linux has no kernel memory file. */
		fprintf(stderr, "lsof: -m not supported\n");
		return -1;
	case 'M':
		o->portmap = plus;
		break;
	case 'n':
		o->numeric_host = !plus;
		break;
	case 'N':
		select_parse_nfs(o);
		break;
	case 'o':
		opt_offset(o, g, v);
		break;
	case 'O':
		o->direct = !plus;
		break;
	case 'p':
		if (v == NULL) {
			fprintf(stderr, "lsof: no process ID specified\n");
			return -1;
		}
		return select_parse_pids(o, v, 0);
	case 'P':
		o->numeric_port = !plus;
		break;
	case 'Q':
		o->quiet_fail = 1;
		break;
	case 'r':
		o->repeat_until_empty = plus;
		return opt_repeat(o, g, v);
	case 'R':
		o->show_ppid = 1;
		break;
	case 's':
		if (!is_optval(v)) {
			o->size = 1;
			getopt_pushback(g);
			break;
		}
		return select_parse_state(o, v);
	case 'S':
		opt_timeout(o, g, v);
		break;
	case 't':
		o->terse = 1;
		o->nowarn = 1;
		break;
	case 'T':
		o->tcpinfo_set = 1;
		if (!is_optval(v)) {
			o->tcpinfo = plus ? TI_STATE : 0;
			getopt_pushback(g);
			break;
		}
		return opt_tcpinfo(o, v);
	case 'u':
		if (v == NULL) {
			fprintf(stderr, "lsof: no UIDs specified\n");
			return -1;
		}
		return select_parse_uids(o, v);
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
		return opt_crossover(o, g, v);
	case 'X':
		o->no_inet = !o->no_inet;
		break;
	case 'Z':
		fprintf(stderr, "lsof: -Z limited to SELinux\n");
		return -1;
	default:
		fprintf(stderr, "lsof: unknown option (%c)\n", c);
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

/* Whether a strftime(3) format asks for a newline ("%n", not "%%n"). */
static int
fmt_has_newline(const char *fmt)
{
	const char	*p;

	for (p = strchr(fmt, '%'); p != NULL; p = strchr(p, '%')) {
		if (*++p == 'n')
			return 1;
		if (*p == '%')
			p++;
	}
	return 0;
}

/* 4.95's checks of options against each other, after all are read. */
static int
opts_check(struct opts *o)
{
	int	rv = 0;

	if (select_check(o) == -1)
		rv = -1;
	if (o->size && o->offset) {
		fprintf(stderr, "lsof: -o and -s are mutually exclusive\n");
		rv = -1;
	}
	if (o->out == OUT_FIELDS && o->terse) {
		fprintf(stderr, "lsof: -F and -t are mutually exclusive\n");
		rv = -1;
	}
	if (o->out == OUT_FIELDS && o->repeat_fmt != NULL &&
	    fmt_has_newline(o->repeat_fmt)) {
		fprintf(stderr, "lsof: %%n illegal in -r m<fmt> when -F has "
		    "been specified: \"%s\"\n", o->repeat_fmt);
		rv = -1;
	}
	if (o->no_inet && (o->selflags & (SEL_NET | SEL_NA))) {
		fprintf(stderr, "lsof: -i is useless when -X is specified.\n");
		rv = -1;
	}
	if (o->crossover && !o->dirs_given) {
		fprintf(stderr, "lsof: -x must accompany +d or +D\n");
		rv = -1;
	}
	return rv;
}

static int
opts_parse(struct opts *o, int argc, char *argv[])
{
	struct getopt_state	g;
	int			c, e, bad = 0, errstat = 0, rc, help = 0;
	int			named = 0;

	memset(&g, 0, sizeof(g));
	g.x1 = 1;
	o->cmdlim = 9;
	o->offdigits = 8;
	o->tcpinfo = TI_STATE;
	o->tmlimit = TMLIMIT;
	while ((c = getopt_next(&g, argc, argv, &e)) != -1) {
		if (e) {
			bad = 1;
			continue;
		}
		if (c == 'h' || c == '?') {
			help = 1;
			continue;
		}
		if (c == 'v') {
			fprintf(stderr, "lsof version information:\n"
			    "    revision: %s (%s)\n"
			    "    compatible with: lsof 4.95\n",
			    PACKAGE_VERSION, PACKAGE_NAME);
			exit(0);
		}
		if ((rc = opt_one(o, &g, c)) == -2)
			errstat = 1;
		else if (rc != 0)
			bad = 1;
	}
	if (opts_check(o) == -1)
		bad = 1;
	if (bad && help) {
		/* 4.95 gives the whole help, on the error stream. */
		fputs(usage_head, stderr);
		fputs(usage_help, stderr);
		exit(1);
	}
	if (bad) {
		usage_short();
		exit(1);
	}
	if (o->field_help) {
		fputs(field_help, stderr);
		exit(0);
	}
	if (help) {
		fputs(usage_head, stdout);
		fputs(usage_help, stdout);
		exit(0);
	}
	if (o->and && o->selflags == 0 && g.x1 >= argc) {
		fprintf(stderr, "lsof: no select options to AND via -a\n");
		usage_short();
		exit(1);
	}
	if (o->terse && o->out == OUT_COLUMNS)
		o->out = OUT_TERSE;
	for (; g.x1 < argc; g.x1++) {
		named = 1;
		if (select_parse_name(o, argv[g.x1], NS_FILE) == -1)
			errstat = 1;
	}
	/* Names given, none usable: 4.95 lists nothing at all. */
	if (named && o->nnames == 0)
		exit(errstat);
	if (o->out == OUT_FIELDS && !o->tcpinfo_set)
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

/*
 * lsof 4.95 reads its mount table at start-up unless -i (with or
 * without addresses) is all that selects.
 */
static int
inet_only(const struct opts *o)
{
	return (o->selflags & (SEL_NET | SEL_NA)) != 0 &&
	    (o->selflags & ~(SEL_NET | SEL_NA)) == 0;
}

static size_t
list_count(const struct list *l)
{
	size_t	i, n = 0;

	for (i = 0; i < l->nprocs; i++)
		if (list_proc_listed(&l->procs[i]))
			n++;
	return n;
}

int
main(int argc, char *argv[])
{
	static char	outbuf[65536];
	struct list	list;
	int		errstat, rv, cycles = 0, printed_any = 0;

	/*
	 * As 4.95 does, close what the caller left open above 2: a
	 * descriptor inherited from a shell ("exec 7<f; lsof f") would make
	 * this lsof a holder of f, and "lsof -t f | xargs kill" kill it.
	 */
	closefrom(3);
	setlocale(LC_CTYPE, "");
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	opt.guard = &guard;
	errstat = opts_parse(&opt, argc, argv);
	if (!inet_only(&opt) || opt.nefs > 0 || opt.mntsup == 1)
		mounts_check(&opt);
	if (opt.efs_bad) {
		usage_short();
		exit(1);
	}
	if (opt.mntsup == 1) {
		fflush(stdout);
		exit(0);
	}
	for (;;) {
		memset(&list, 0, sizeof(list));
		proc_gather(&opt, &list);
		select_list(&opt, &list);
		if (list.nprocs > 1)
			qsort(list.procs, list.nprocs, sizeof(*list.procs),
			    proc_cmp);
		ept_resolve(&opt, &list);
		/* +M: the portmapper is asked once, as 4.95 asks it. */
		if (opt.portmap && opt.rpcmap == NULL && opt.out != OUT_TERSE &&
		    list_count(&list) > 0)
			opt.rpcmap = rpcmap_load(opt.tmlimit);
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
	guard_close(&guard);
	mounts_free(&opt);
	rpcmap_free(opt.rpcmap);
	return rv;
}
