/*
 * pscan.c: the port scanner's entry point: nmap's options, the host
 * groups, signals and key presses.
 *
 * Options are read as nmap reads them (getopt_long_only): "-oX file",
 * "-oXfile", "--min-rate 100", "--min-rate=100" and "-min-rate 100" are
 * the same; "-sS" and "-p22" take their value from the same word.  The
 * timing template (-T) is applied first and the single timing options
 * after it, whatever their order on the command line.
 *
 * Exit status: 0 when the scan ran, 1 on an error (a bad value, a file
 * that cannot be read, missing privileges), 255 on a usage error, as
 * nmap.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "selfpipe.h"
#include "services.h"
#include "xmalloc.h"
#include "pscan.h"

#define EXIT_USAGE	255
/* Results of one group, at most: hosts x ports. */
#define GROUP_CELLS	(4u * 1024 * 1024)
#define GROUP_MAX	256

/* The program's global state: options, signal pipe, terminal. */
static struct options	opt;
static struct selfpipe	sigpipe;
static atomic_int	stop_flag;
static struct termios	saved_tty;
static int		tty_raw;

/* Explicit timing options, applied over the -T template. */
struct timing_set {
	long		initial_rtt, min_rtt, max_rtt, scan_delay;
	long		max_scan_delay, host_timeout;
	int		max_retries, min_par, max_par, hostgroup;
	double		min_rate, max_rate;
};

static const char usage_text[] =
    "pscan %s ( auditkit ): a port scanner with nmap's options\n"
    "Usage: pscan [Scan Type] [Options] {target specification}\n"
    "TARGET SPECIFICATION:\n"
    "  Host names, IP addresses, networks, IPv4 octet ranges:\n"
    "  scanme.example, 192.0.2.0/24, 192.0.2.1-20, 2001:db8::/120\n"
    "  -iL <file>: targets from a file ('-' for standard input)\n"
    "  --exclude <host1[,host2],...>: leave hosts or networks out\n"
    "  --excludefile <file>: leave out the targets listed in a file\n"
    "  --shard <i/n>: scan the i-th of n disjoint slices of targets x ports\n"
    "HOST DISCOVERY:\n"
    "  -sn: ping scan: find the hosts that are up, scan no ports\n"
    "  -Pn: treat every target as up (skip host discovery)\n"
    "  -PS/PA/PU[portlist]: TCP SYN, TCP ACK or UDP discovery to ports\n"
    "  -PE/PP/PM: ICMP echo, timestamp and netmask request discovery\n"
    "  -PR: ARP discovery of targets on a directly attached Ethernet\n"
    "  --disable-arp-ping, --send-ip: no ARP, IP probes to local targets\n"
    "  -n/-R: never/always reverse-resolve (default: for up hosts)\n"
    "SCAN TECHNIQUES:\n"
    "  -sS/sT/sA: TCP SYN, connect() and ACK scans\n"
    "  -sN/sF/sX: TCP NULL, FIN and Xmas scans\n"
    "  -sU: UDP scan\n"
    "PORT SPECIFICATION AND SCAN ORDER:\n"
    "  -p <port ranges>: e.g. -p22; -p1-65535; -p U:53,T:21-25,80; -p- all\n"
    "  -F: the 100 most common ports (default: the 1000 most common)\n"
    "  --top-ports <number>: the <number> most common ports\n"
    "  -r: probe ports in order rather than at random\n"
    "SERVICE/VERSION DETECTION:\n"
    "  -sV: read the banners of open ports (SSH, SMTP, FTP, HTTP) and\n"
    "       name SunRPC services\n"
    "  -sR: SunRPC services only (portmapper dump, RPC NULL calls)\n"
    "OS DETECTION:\n"
    "  -O: guess the operating system's family from its packets\n"
    "TIMING AND PERFORMANCE:\n"
    "  Times are in seconds, or append 'ms', 's', 'm' or 'h' (30m).\n"
    "  -T<0-5>: timing template (higher is faster)\n"
    "  --min-hostgroup/max-hostgroup <size>: hosts scanned together\n"
    "  --min-parallelism/max-parallelism <numprobes>: probes in flight\n"
    "  --min-rtt-timeout/max-rtt-timeout/initial-rtt-timeout <time>\n"
    "  --max-retries <tries>: retransmissions of a port's probe, at most\n"
    "  --host-timeout <time>: give up on a host after this long\n"
    "  --scan-delay/--max-scan-delay <time>: wait between probes to a host\n"
    "  --min-rate <number>: send at least <number> probes per second\n"
    "  --max-rate <number>: send at most <number> probes per second\n"
    "OUTPUT:\n"
    "  -oN/-oX/-oG <file>: normal, XML or grepable output ('-': stdout)\n"
    "  -oA <basename>: the three at once\n"
    "  -v: more verbose (-vv or more for greater effect)\n"
    "  -d: more debugging output\n"
    "  --reason: say why each port is in its state\n"
    "  --open: only show open (or possibly open) ports\n"
    "  --packet-trace: show every packet sent and received\n"
    "  --stats-every <time>: print the progress every <time>\n"
    "  --append-output: append to the output files, do not clobber them\n"
    "  --noninteractive: key presses do not print the progress\n"
    "MISC:\n"
    "  -6: resolve names to IPv6 addresses (literals may be of either family)\n"
    "  --servicedb <file>: service names from this file\n"
    "  --privileged/--unprivileged: assume raw sockets are allowed, or not\n"
    "  -V: print the version; -h: print this summary\n"
    "Scanning hosts you are not authorized to scan is wrong and may be\n"
    "illegal: scan only hosts you own or have written permission to scan.\n";

static void
usage(FILE *fp)
{
	fprintf(fp, usage_text, PACKAGE_VERSION);
}

static __dead void usage_error(const char *, ...) __printflike(1, 2);

static void
usage_error(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "pscan: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nSee the output of pscan -h for a summary of "
	    "options.\n");
	exit(EXIT_USAGE);
}

/* --- values ------------------------------------------------------------ */

/* nmap's time values: seconds, or with a unit: 500ms, 30s, 5m, 2h. */
static long
time_value(const char *optname, const char *s)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || v < 0)
		errx(1, "%s: invalid time '%s'", optname, s);
	if (strcmp(end, "ms") == 0)
		;
	else if (*end == '\0' || strcmp(end, "s") == 0)
		v *= 1000;
	else if (strcmp(end, "m") == 0)
		v *= 60 * 1000;
	else if (strcmp(end, "h") == 0)
		v *= 60 * 60 * 1000;
	else
		errx(1, "%s: invalid time '%s' (units are ms, s, m and h)",
		    optname, s);
	if (v > 86400000.0 * 365)
		errx(1, "%s: time '%s' is too long", optname, s);
	return (long)(v + 0.5);
}

static long
int_value(const char *optname, const char *s, long lo, long hi)
{
	const char	*errstr;
	long long	 v;

	v = strtonum(s, lo, hi, &errstr);
	if (errstr != NULL)
		errx(1, "%s: value '%s' is %s (%ld-%ld)", optname, s, errstr,
		    lo, hi);
	return (long)v;
}

static double
rate_value(const char *optname, const char *s)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || errno != 0 || !(v > 0) || v > 1e9)
		errx(1, "%s: invalid rate '%s' (a number of probes per "
		    "second above 0)", optname, s);
	return v;
}

/* --- the timing template ---------------------------------------------- */

static void
timing_template(struct timing *t, int level)
{
	t->level = level;
	t->initial_rtt = 1000;
	t->min_rtt = 100;
	t->max_rtt = 10000;
	t->max_retries = 10;
	t->scan_delay = 0;
	t->max_scan_delay = 1000;
	t->host_timeout = 0;
	t->max_parallelism = 0;
	switch (level) {
	case 0:
	case 1:
		t->initial_rtt = t->max_rtt = level == 0 ? 300000 : 15000;
		t->scan_delay = level == 0 ? 300000 : 15000;
		t->max_scan_delay = t->scan_delay;
		t->max_parallelism = 1;
		break;
	case 2:
		t->scan_delay = 400;
		t->max_parallelism = 1;
		break;
	case 4:
		t->initial_rtt = 500;
		t->max_rtt = 1250;
		t->max_retries = 6;
		t->max_scan_delay = 10;
		break;
	case 5:
		t->initial_rtt = 250;
		t->min_rtt = 50;
		t->max_rtt = 300;
		t->max_retries = 2;
		t->max_scan_delay = 5;
		t->host_timeout = 900000;
		break;
	}
}

static int
template_level(const char *s)
{
	static const char *const names[] = { "paranoid", "sneaky", "polite",
	    "normal", "aggressive", "insane" };
	int	i;

	if (s[0] >= '0' && s[0] <= '5' && s[1] == '\0')
		return s[0] - '0';
	for (i = 0; i < 6; i++)
		if (strcasecmp(s, names[i]) == 0)
			return i;
	errx(1, "-T: unknown timing template '%s' (0-5, or paranoid, "
	    "sneaky, polite, normal, aggressive, insane)", s);
}

/*
 * The round-trip timeouts in nmap's order, each moving the others it
 * passes: "-T5 --min-rtt-timeout 500ms" raises the template's maximum,
 * "--max-rtt-timeout 100ms" lowers the initial timeout too.
 */
static void
timing_apply_rtt(struct timing *t, const struct timing_set *x)
{
	if (x->min_rtt >= 0 && x->max_rtt >= 0 && x->min_rtt > x->max_rtt)
		errx(1, "--min-rtt-timeout (%ld ms) is above --max-rtt-timeout "
		    "(%ld ms)", x->min_rtt, x->max_rtt);
	if (x->initial_rtt >= 0) {
		t->initial_rtt = x->initial_rtt;
		if (t->max_rtt < t->initial_rtt)
			t->max_rtt = t->initial_rtt;
		if (t->min_rtt > t->initial_rtt)
			t->min_rtt = t->initial_rtt;
	}
	if (x->min_rtt >= 0) {
		t->min_rtt = x->min_rtt;
		if (t->max_rtt < t->min_rtt)
			t->max_rtt = t->min_rtt;
		if (t->initial_rtt < t->min_rtt)
			t->initial_rtt = t->min_rtt;
	}
	if (x->max_rtt >= 0) {
		t->max_rtt = x->max_rtt;
		if (t->min_rtt > t->max_rtt)
			t->min_rtt = t->max_rtt;
		if (t->initial_rtt > t->max_rtt)
			t->initial_rtt = t->max_rtt;
	}
}

static void
timing_apply(struct timing *t, const struct timing_set *x)
{
	timing_apply_rtt(t, x);
	if (x->max_retries >= 0)
		t->max_retries = x->max_retries;
	if (x->scan_delay >= 0) {
		t->scan_delay = x->scan_delay;
		if (t->max_scan_delay < t->scan_delay)
			t->max_scan_delay = t->scan_delay;
	}
	if (x->max_scan_delay >= 0)
		t->max_scan_delay = x->max_scan_delay;
	if (x->host_timeout >= 0)
		t->host_timeout = x->host_timeout;
	if (x->min_par >= 0)
		t->min_parallelism = x->min_par;
	if (x->max_par >= 0)
		t->max_parallelism = x->max_par;
	if (x->hostgroup >= 0)
		t->max_hostgroup = x->hostgroup;
	if (x->min_rate > 0)
		t->min_rate = x->min_rate;
	if (x->max_rate > 0)
		t->max_rate = x->max_rate;
	if (t->max_rtt == 0)
		errx(1, "--max-rtt-timeout must be above 0");
	if (t->min_rate > 0 && t->max_rate > 0 && t->min_rate > t->max_rate)
		errx(1, "--min-rate (%g) is above --max-rate (%g)",
		    t->min_rate, t->max_rate);
	if (t->max_parallelism > 0 && t->min_parallelism > t->max_parallelism)
		errx(1, "--min-parallelism is above --max-parallelism");
	if (t->scan_delay > t->max_scan_delay)
		errx(1, "--scan-delay (%ld ms) is above --max-scan-delay "
		    "(%ld ms)", t->scan_delay, t->max_scan_delay);
}

/* --- options -------------------------------------------------------------- */

enum optid {
	O_MIN_RATE, O_MAX_RATE, O_MAX_RETRIES, O_HOST_TIMEOUT, O_SCAN_DELAY,
	O_MAX_SCAN_DELAY, O_MIN_RTT, O_MAX_RTT, O_INITIAL_RTT, O_MIN_PAR,
	O_MAX_PAR, O_MIN_HOSTGROUP, O_MAX_HOSTGROUP, O_SHARD, O_EXCLUDE,
	O_EXCLUDEFILE, O_REASON, O_OPEN, O_PACKET_TRACE, O_STATS_EVERY,
	O_TOP_PORTS, O_SERVICEDB, O_DATADIR, O_APPEND, O_NONINTERACTIVE,
	O_PRIVILEGED, O_UNPRIVILEGED, O_HELP, O_VERSION, O_IL, O_ON, O_OG,
	O_OX, O_OA, O_OM, O_PN, O_SYSTEM_DNS, O_NO_STYLESHEET,
	O_DISABLE_ARP, O_SEND_IP, O_SEND_ETH
};

static const struct longopt {
	const char	*name;
	int		 arg;
	enum optid	 id;
} longopts[] = {
	{ "min-rate", 1, O_MIN_RATE },
	{ "max-rate", 1, O_MAX_RATE },
	{ "max-retries", 1, O_MAX_RETRIES },
	{ "host-timeout", 1, O_HOST_TIMEOUT },
	{ "scan-delay", 1, O_SCAN_DELAY },
	{ "max-scan-delay", 1, O_MAX_SCAN_DELAY },
	{ "min-rtt-timeout", 1, O_MIN_RTT },
	{ "max-rtt-timeout", 1, O_MAX_RTT },
	{ "initial-rtt-timeout", 1, O_INITIAL_RTT },
	{ "min-parallelism", 1, O_MIN_PAR },
	{ "max-parallelism", 1, O_MAX_PAR },
	{ "min-hostgroup", 1, O_MIN_HOSTGROUP },
	{ "max-hostgroup", 1, O_MAX_HOSTGROUP },
	{ "shard", 1, O_SHARD },
	{ "exclude", 1, O_EXCLUDE },
	{ "excludefile", 1, O_EXCLUDEFILE },
	{ "reason", 0, O_REASON },
	{ "open", 0, O_OPEN },
	{ "packet-trace", 0, O_PACKET_TRACE },
	{ "stats-every", 1, O_STATS_EVERY },
	{ "top-ports", 1, O_TOP_PORTS },
	{ "servicedb", 1, O_SERVICEDB },
	{ "datadir", 1, O_DATADIR },
	{ "append-output", 0, O_APPEND },
	{ "noninteractive", 0, O_NONINTERACTIVE },
	{ "privileged", 0, O_PRIVILEGED },
	{ "unprivileged", 0, O_UNPRIVILEGED },
	{ "help", 0, O_HELP },
	{ "version", 0, O_VERSION },
	{ "system-dns", 0, O_SYSTEM_DNS },
	{ "no-stylesheet", 0, O_NO_STYLESHEET },
	{ "disable-arp-ping", 0, O_DISABLE_ARP },
	{ "send-ip", 0, O_SEND_IP },
	{ "send-eth", 0, O_SEND_ETH },
	{ "iL", 1, O_IL },
	{ "oN", 1, O_ON },
	{ "oG", 1, O_OG },
	{ "oX", 1, O_OX },
	{ "oA", 1, O_OA },
	{ "oM", 1, O_OM },
	{ "PN", 0, O_PN },
	{ "Pn", 0, O_PN },
};

/* What main() needs beyond struct options. */
struct cmdline {
	struct timing_set	 ts;
	int			 tlevel;
	int			 privileged;	/* 1 yes, 0 no, -1 find out */
	const char		*datadir;
	char			*oa[3];
};

static void
shard_value(const char *s)
{
	unsigned int	i, n;
	char		c;

	if (sscanf(s, "%u/%u%c", &i, &n, &c) != 2 || n == 0 || i == 0 ||
	    i > n)
		errx(1, "--shard: invalid slice '%s' (I/N with 1 <= I <= N, "
		    "such as 2/4)", s);
	opt.shard_i = i;
	opt.shard_n = n;
}

static void
output_all(struct cmdline *cl, const char *base)
{
	static const char *const ext[3] = { "nmap", "gnmap", "xml" };
	int	i;

	for (i = 0; i < 3; i++) {
		free(cl->oa[i]);
		xasprintf(&cl->oa[i], "%s.%s", base, ext[i]);
	}
	opt.out_normal = cl->oa[0];
	opt.out_grep = cl->oa[1];
	opt.out_xml = cl->oa[2];
}

static void
long_option(struct cmdline *cl, enum optid id, const char *name,
    const char *v)
{
	struct timing_set	*x = &cl->ts;

	switch (id) {
	case O_MIN_RATE: x->min_rate = rate_value(name, v); break;
	case O_MAX_RATE: x->max_rate = rate_value(name, v); break;
	case O_MAX_RETRIES:
		x->max_retries = (int)int_value(name, v, 0, 50);
		break;
	case O_HOST_TIMEOUT: x->host_timeout = time_value(name, v); break;
	case O_SCAN_DELAY: x->scan_delay = time_value(name, v); break;
	case O_MAX_SCAN_DELAY: x->max_scan_delay = time_value(name, v); break;
	case O_MIN_RTT: x->min_rtt = time_value(name, v); break;
	case O_MAX_RTT: x->max_rtt = time_value(name, v); break;
	case O_INITIAL_RTT:
		if ((x->initial_rtt = time_value(name, v)) == 0)
			errx(1, "%s must be above 0", name);
		break;
	case O_MIN_PAR: x->min_par = (int)int_value(name, v, 1, 100000); break;
	case O_MAX_PAR: x->max_par = (int)int_value(name, v, 1, 100000); break;
	case O_MIN_HOSTGROUP:
		(void)int_value(name, v, 1, 100000);
		break;
	case O_MAX_HOSTGROUP:
		x->hostgroup = (int)int_value(name, v, 1, 100000);
		break;
	case O_SHARD: shard_value(v); break;
	case O_EXCLUDE: opt.exclude = v; break;
	case O_EXCLUDEFILE: opt.exclude_file = v; break;
	case O_REASON: opt.reason = 1; break;
	case O_OPEN: opt.open_only = 1; break;
	case O_PACKET_TRACE: opt.packet_trace = 1; break;
	case O_STATS_EVERY:
		if ((opt.stats_every = time_value(name, v)) == 0)
			errx(1, "%s must be above 0", name);
		break;
	case O_TOP_PORTS:
		opt.topports = (int)int_value(name, v, 1, 65535);
		break;
	case O_SERVICEDB: opt.servicedb = v; break;
	case O_DATADIR: cl->datadir = v; break;
	case O_APPEND: opt.append = 1; break;
	case O_NONINTERACTIVE: opt.interactive = 0; break;
	case O_PRIVILEGED: cl->privileged = 1; break;
	case O_UNPRIVILEGED: cl->privileged = 0; break;
	case O_HELP:
		usage(stdout);
		exit(0);
	case O_VERSION:
		printf("pscan version %s (auditkit)\n", PACKAGE_VERSION);
		exit(0);
	case O_IL: opt.input_list = v; break;
	case O_ON: opt.out_normal = v; break;
	case O_OG:
	case O_OM: opt.out_grep = v; break;
	case O_OX: opt.out_xml = v; break;
	case O_OA: output_all(cl, v); break;
	case O_PN: opt.pn = 1; break;
	case O_SYSTEM_DNS: break;	/* the system's resolver is the only one */
	case O_NO_STYLESHEET: break;	/* pscan's XML names no stylesheet */
	case O_DISABLE_ARP:
	case O_SEND_IP: opt.arp = 0; break;
	case O_SEND_ETH: opt.arp = 1; break;
	}
}

static const struct longopt *
long_find(const char *word, size_t len)
{
	size_t	i;

	for (i = 0; i < nitems(longopts); i++)
		if (strlen(longopts[i].name) == len &&
		    strncmp(longopts[i].name, word, len) == 0)
			return &longopts[i];
	return NULL;
}

/* "--name", "--name=value", "-name" (as getopt_long_only); 0: not one. */
static int
try_long(struct cmdline *cl, char **argv, int *ip, const char *word,
    int dashes)
{
	const struct longopt	*lo;
	const char		*eq = strchr(word, '=');
	size_t			 len = eq != NULL ? (size_t)(eq - word) :
				    strlen(word);
	const char		*v = NULL;
	char			 name[64];

	if ((lo = long_find(word, len)) == NULL) {
		if (dashes == 2)
			usage_error("unrecognized option '%s'", argv[*ip]);
		return 0;
	}
	(void)snprintf(name, sizeof(name), "%s%s", dashes == 2 ? "--" : "-",
	    lo->name);
	if (lo->arg) {
		if (eq != NULL)
			v = eq + 1;
		else if (argv[*ip + 1] != NULL)
			v = argv[++*ip];
		else
			usage_error("option '%s' requires an argument", name);
	} else if (eq != NULL)
		usage_error("option '%s' takes no argument", name);
	long_option(cl, lo->id, name, v);
	return 1;
}

static void
scan_letters(const char *s)
{
	enum scantype	t;

	if (*s == '\0')
		usage_error("-s needs a scan type, such as -sS or -sT");
	for (; *s != '\0'; s++) {
		switch (*s) {
		case 'T': t = SCAN_CONNECT; break;
		case 'S': t = SCAN_SYN; break;
		case 'F': t = SCAN_FIN; break;
		case 'X': t = SCAN_XMAS; break;
		case 'N': t = SCAN_NULL; break;
		case 'A': t = SCAN_ACK; break;
		case 'U':
			opt.udp = 1;
			continue;
		case 'n':
		case 'P':
			opt.noscan = 1;
			continue;
		case 'V':
			opt.version = opt.rpc = 1;
			continue;
		case 'R':
			/* As nmap 7.93: RPC names come with -sV. */
			opt.rpc = 1;
			continue;
		case 'O': case 'Y': case 'Z': case 'W': case 'M': case 'I':
		case 'L': case 'C':
			errx(1, "-s%c is not supported by this version of "
			    "pscan", *s);
		default:
			usage_error("unknown scan type -s%.1s", s);
		}
		if (opt.scan != SCAN_NONE && opt.scan != t)
			errx(1, "only one TCP scan type at a time (-sT, -sS, "
			    "-sF, -sX, -sN or -sA)");
		opt.scan = t;
	}
}

/* -P options: the host discovery probes, or -Pn to go without. */
static void
ping_option(const char *arg, const char *rest)
{
	const char	*list = rest + 1;
	int		 k;

	switch (*rest) {
	case 'n': case 'N': case '0':
		if (rest[1] != '\0')
			usage_error("unrecognized option '%s'", arg);
		opt.pn = 1;
		return;
	case 'E': case 'I': opt.pings |= PING_ECHO; break;
	case 'P': opt.pings |= PING_TIMESTAMP; break;
	case 'M': opt.pings |= PING_MASK; break;
	case 'R': opt.pings |= PING_ARP; break;
	case 'S': case 'A': case 'U':
		k = *rest == 'S' ? 0 : *rest == 'A' ? 1 : 2;
		opt.pings |= k == 0 ? PING_SYN : k == 1 ? PING_ACK : PING_UDP;
		if (*list != '\0')
			opt.ping_ports[k] = list;
		return;
	case 'O': case 'Y':
		errx(1, "%s: this discovery probe is not supported by this "
		    "version of pscan", arg);
	default:
		usage_error("unrecognized option '%s'", arg);
	}
	if (rest[1] != '\0')
		usage_error("unrecognized option '%s'", arg);
}

static int
level_count(const char *rest, char c, const char *arg)
{
	const char	*p;

	if (*rest == '\0')
		return 1;
	if (rest[0] >= '0' && rest[0] <= '9')
		return (int)int_value(arg, rest, 0, 10);
	for (p = rest; *p == c; p++)
		;
	if (*p != '\0')
		usage_error("unrecognized option '%s'", arg);
	return (int)(p - rest) + 1;
}

/* A value glued to its option ("-p22") or in the next word ("-p 22"). */
static const char *
short_value(char **argv, int *ip, const char *rest, const char *optname)
{
	if (*rest != '\0')
		return rest;
	if (argv[*ip + 1] == NULL)
		usage_error("option '%s' requires an argument", optname);
	return argv[++*ip];
}

static void
short_option(struct cmdline *cl, char **argv, int *ip)
{
	const char	*arg = argv[*ip], *rest = arg + 2;
	char		 name[4] = { '-', arg[1], '\0', '\0' };
	const char	*p;
	int		 n;

	switch (arg[1]) {
	case 'p':
		opt.portspec = short_value(argv, ip, rest, name);
		return;
	case 's':
		scan_letters(rest);
		return;
	case 'T':
		cl->tlevel = template_level(short_value(argv, ip, rest, name));
		return;
	case 'P':
		ping_option(arg, rest);
		return;
	case 'v':
		opt.verbose += level_count(rest, 'v', arg);
		return;
	case 'd':
		/* As nmap: each level of debugging is one of verbosity. */
		n = level_count(rest, 'd', arg);
		opt.debug += n;
		opt.verbose += n;
		return;
	case 'o':
		if (*rest == '\0' || strchr("NGXAMS", *rest) == NULL)
			usage_error("unrecognized option '%s' (-oN, -oG, -oX or "
			    "-oA)", arg);
		name[2] = *rest;
		if (*rest == 'S')
			errx(1, "-oS is not supported");
		p = short_value(argv, ip, rest + 1, name);
		long_option(cl, *rest == 'N' ? O_ON : *rest == 'X' ? O_OX :
		    *rest == 'A' ? O_OA : O_OG, name, p);
		return;
	case 'i':
		if (*rest != 'L')
			usage_error("unrecognized option '%s' (-iL)", arg);
		opt.input_list = short_value(argv, ip, rest + 1, "-iL");
		return;
	}
	/* Flags, alone or together ("-nr"). */
	for (p = arg + 1; *p != '\0'; p++)
		switch (*p) {
		case 'n': opt.resolve = 0; break;
		case 'R': opt.resolve = 2; break;
		case 'r': opt.sequential = 1; break;
		case 'F': opt.topports = 100; break;
		case 'O': opt.osscan = 1; break;
		case '6': opt.family = AF_INET6; break;
		case '4': opt.family = AF_INET; break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("pscan version %s (auditkit)\n",
			    PACKAGE_VERSION);
			exit(0);
		default:
			usage_error("unrecognized option '%s'", arg);
		}
}

static void
args_record(int argc, char **argv)
{
	size_t	len = 1;
	int	i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	opt.args = xcalloc(1, len);
	for (i = 0; i < argc; i++) {
		if (i > 0)
			(void)strlcat(opt.args, " ", len);
		(void)strlcat(opt.args, argv[i], len);
	}
}

static void
options_parse(struct cmdline *cl, int argc, char **argv)
{
	int	i, ntargets = 0, dashdash = 0;

	memset(&cl->ts, 0xff, sizeof(cl->ts));
	cl->ts.min_rate = cl->ts.max_rate = 0;
	cl->tlevel = 3;
	cl->privileged = -1;
	opt.family = AF_INET;
	opt.arp = 1;
	opt.resolve = 1;
	opt.interactive = 1;
	opt.targets = xcalloc((size_t)argc + 1, sizeof(*opt.targets));
	args_record(argc, argv);
	for (i = 1; i < argc; i++) {
		const char	*a = argv[i];

		if (dashdash || a[0] != '-' || a[1] == '\0')
			opt.targets[ntargets++] = argv[i];
		else if (strcmp(a, "--") == 0)
			dashdash = 1;
		else if (a[1] == '-')
			(void)try_long(cl, argv, &i, a + 2, 2);
		else if (!try_long(cl, argv, &i, a + 1, 1))
			short_option(cl, argv, &i);
	}
	opt.ntargets = ntargets;
	timing_template(&opt.t, cl->tlevel);
	timing_apply(&opt.t, &cl->ts);
	if (opt.t.max_hostgroup <= 0)
		opt.t.max_hostgroup = GROUP_MAX;
}

/* --- setting up -------------------------------------------------------- */

/*
 * The path of one of nmap's data files where nmap would look for it:
 * --datadir, $NMAPDIR, then the usual installation directories.  NULL
 * when nmap is not installed.
 */
char *
datafile_path(const struct scan *sc, const char *name)
{
	const char	*dirs[4];
	char		*path;
	int		 i;

	dirs[0] = sc->datadir;
	dirs[1] = getenv("NMAPDIR");
	dirs[2] = "/usr/share/nmap";
	dirs[3] = "/usr/local/share/nmap";
	for (i = 0; i < 4; i++) {
		if (dirs[i] == NULL || dirs[i][0] == '\0')
			continue;
		xasprintf(&path, "%s/%s", dirs[i], name);
		if (access(path, R_OK) == 0)
			return path;
		free(path);
	}
	return NULL;
}

/*
 * nmap's names for the ports when nmap's table is installed (so that
 * reports and ndiff agree with nmap's), the system's otherwise.
 */
static struct services *
services_choose(const struct scan *sc)
{
	struct services	*svc;
	char		 err[512], *path;

	if (opt.servicedb != NULL) {
		if ((svc = services_load(opt.servicedb, err,
		    sizeof(err))) == NULL)
			errx(1, "%s", err);
		return svc;
	}
	if ((path = datafile_path(sc, "nmap-services")) != NULL) {
		svc = services_load(path, NULL, 0);
		free(path);
		if (svc != NULL)
			return svc;
	}
	return services_open(NULL);
}

/* Options that cannot go together, refused before anything is sent. */
static void
options_check(void)
{
	char	err[256];
	int	i;

	if (opt.noscan && (opt.scan != SCAN_NONE || opt.udp))
		errx(1, "-sn (no port scan) cannot be combined with a port "
		    "scan type");
	if (opt.noscan && (opt.portspec != NULL || opt.topports > 0))
		errx(1, "-p, -F and --top-ports need a port scan, and -sn "
		    "does none");
	if (opt.noscan && (opt.osscan || opt.version || opt.rpc))
		errx(1, "-O, -sV and -sR need a port scan, and -sn does none");
	if (opt.pn && opt.pings != 0)
		errx(1, "-Pn (no host discovery) cannot be combined with "
		    "discovery probes (-PE, -PS...)");
	for (i = 0; i < 3; i++)
		if (opt.ping_ports[i] != NULL &&
		    discover_ports_check(opt.ping_ports[i], err,
		    sizeof(err)) == -1)
			errx(1, "-P%c: %s", "SAU"[i], err);
}

static void
scan_type_choose(const struct cmdline *cl)
{
	char	err[256];

	opt.privileged = cl->privileged == 1 || (cl->privileged == -1 &&
	    raw_check(SCAN_SYN, err, sizeof(err)) == 0);
	if (opt.scan == SCAN_NONE && !opt.udp && !opt.noscan)
		opt.scan = opt.privileged ? SCAN_SYN : SCAN_CONNECT;
	if (opt.scan != SCAN_NONE && opt.scan != SCAN_CONNECT &&
	    raw_check(opt.scan, err, sizeof(err)) == -1)
		errx(1, "%s", err);
	if (opt.udp && raw_check(SCAN_UDP, err, sizeof(err)) == -1)
		errx(1, "%s", err);
	if (opt.osscan && raw_check(SCAN_SYN, err, sizeof(err)) == -1)
		errx(1, "-O: %s", err);
	if (!opt.privileged && (opt.pings & ~(unsigned)PING_SYN) != 0)
		warnx("WARNING: without raw sockets, host discovery uses TCP "
		    "connections to the -PS ports (default 80 and 443) "
		    "instead of the other probes asked for");
}

/* --- signals and keys ---------------------------------------------------- */

static void
on_signal(int signo)
{
	selfpipe_notify(&sigpipe, signo);
}

static void
tty_restore(void)
{
	if (tty_raw) {
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
		tty_raw = 0;
	}
}

/* Key presses reach us at once and unechoed, as with nmap. */
static int
tty_setup(void)
{
	struct termios	t;

	if (!opt.interactive || !isatty(STDIN_FILENO) ||
	    tcgetattr(STDIN_FILENO, &saved_tty) == -1)
		return -1;
	t = saved_tty;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == -1)
		return -1;
	tty_raw = 1;
	(void)atexit(tty_restore);
	return STDIN_FILENO;
}

static void
on_sigpipe_ready(struct engine *e, void *arg, short revents)
{
	struct scan	*sc = arg;
	uint64_t	 got = selfpipe_drain(&sigpipe);

	(void)revents;
	if (SELFPIPE_HAS(got, SIGUSR1) && output_interactive(sc->out))
		engine_status(e, stdout);
	if (SELFPIPE_HAS(got, SIGINT) || SELFPIPE_HAS(got, SIGTERM)) {
		fprintf(stderr, "caught %s signal, cleaning up\n",
		    SELFPIPE_HAS(got, SIGINT) ? "SIGINT" : "SIGTERM");
		atomic_store(&stop_flag, 1);
	}
}

static void
on_key(struct engine *e, void *arg, short revents)
{
	struct scan	*sc = arg;
	char		 c;

	(void)revents;
	if (read(STDIN_FILENO, &c, 1) != 1) {
		sc->ctlfd[1] = -1;
		return;
	}
	switch (c) {
	case 'v':
		printf("Verbosity Increased to %d.\n", ++sc->verbose);
		break;
	case 'V':
		if (sc->verbose > 0)
			sc->verbose--;
		printf("Verbosity Decreased to %d.\n", sc->verbose);
		break;
	case 'd':
		printf("Debugging Increased to %d.\n", ++sc->debug);
		break;
	case 'D':
		if (sc->debug > 0)
			sc->debug--;
		printf("Debugging Decreased to %d.\n", sc->debug);
		break;
	case 'p':
		sc->packet_trace = 1;
		printf("Packet Tracing enabled.\n");
		break;
	case 'P':
		sc->packet_trace = 0;
		printf("Packet Tracing disabled.\n");
		break;
	case '?':
		printf("Interactive keyboard commands:\n"
		    "?               Display this information\n"
		    "v/V             Increase/decrease verbosity\n"
		    "d/D             Increase/decrease debugging\n"
		    "p/P             Enable/disable packet tracing\n"
		    "anything else   Print status\n");
		break;
	default:
		if (output_interactive(sc->out))
			engine_status(e, stdout);
	}
	(void)fflush(stdout);
}

static void
signals_setup(struct scan *sc)
{
	if (selfpipe_init(&sigpipe) == -1)
		err(1, "selfpipe");
	if (selfpipe_catch(SIGINT, on_signal) == -1 ||
	    selfpipe_catch(SIGTERM, on_signal) == -1 ||
	    selfpipe_catch(SIGUSR1, on_signal) == -1)
		err(1, "sigaction");
	(void)signal(SIGPIPE, SIG_IGN);
	sc->ctlfd[0] = selfpipe_fd(&sigpipe);
	sc->ctlfn[0] = on_sigpipe_ready;
	sc->ctlfd[1] = tty_setup();
	sc->ctlfn[1] = on_key;
	sc->stop = &stop_flag;
}

/* --- groups -------------------------------------------------------------- */

void
scan_use(struct scan *sc, const struct portset *ps, struct host **g,
    size_t n, int set)
{
	size_t	i;

	sc->proto = ps->proto;
	sc->ports = ps->ports;
	sc->nports = ps->n;
	sc->order = ps->order;
	sc->portmap = ps->map;
	if (set >= 0)
		for (i = 0; i < n; i++)
			g[i]->res = g[i]->pres[set];
}

static void
host_free(struct host *h)
{
	struct reasonip	*ri, *next;
	int		 s;

	if (h == NULL)
		return;
	for (ri = h->rip; ri != NULL; ri = next) {
		next = ri->next;
		free(ri);
	}
	free(h->name);
	free(h->ptr);
	free(h->others);
	for (s = 0; s < PSET_N; s++)
		free(h->pres[s]);
	free(h->os);
	service_free(h->svc);
	free(h);
}

/* The cells of this --shard slice; 0 when the host has none here. */
static uint32_t
host_slice(const struct scan *sc, struct host *h)
{
	const struct portset	*ps;
	uint64_t		 cell, base = 0, total = 0;
	uint32_t		 i, n = 0;
	int			 s;

	for (s = 0; s < PSET_N; s++)
		total += sc->pset[s].n;
	for (s = 0; s < PSET_N; s++) {
		ps = &sc->pset[s];
		h->pres[s] = xcalloc(ps->n > 0 ? ps->n : 1,
		    sizeof(*h->pres[s]));
		for (i = 0; i < ps->n; i++) {
			cell = h->seq * total + base + i;
			if (opt.shard_n > 0 &&
			    cell % opt.shard_n != opt.shard_i - 1)
				h->pres[s][i].flags = PR_SKIP;
			else
				n++;
		}
		base += ps->n;
	}
	h->res = h->pres[PSET_TCP];
	h->todo = n;
	h->up = -1;
	h->srtt = h->rttvar = h->rto = -1;
	/* A discovery-only scan has no ports: the host is its one cell. */
	if (total == 0)
		return opt.shard_n == 0 || h->seq % opt.shard_n ==
		    opt.shard_i - 1;
	return n;
}

static size_t
group_size(const struct scan *sc)
{
	size_t	cells = sc->pset[PSET_TCP].n + sc->pset[PSET_UDP].n;
	size_t	n = GROUP_CELLS / (cells > 0 ? cells : 1);

	if (n > (size_t)opt.t.max_hostgroup)
		n = (size_t)opt.t.max_hostgroup;
	return n > 0 ? n : 1;
}

/*
 * Reads the next group of targets: how many, or -1 (a bad -iL line).
 * The targets before a bad line make a last group, scanned before the
 * error stops the scan, wherever the groups happen to end.
 */
static ssize_t
group_read(struct scan *sc, struct targets *tg, struct host **g, size_t max)
{
	struct host	 tmp;
	char		 err[512];
	size_t		 n = 0;
	int		 r;

	while (n < max) {
		if ((r = targets_next(tg, &tmp, err, sizeof(err))) == 0)
			break;
		if (r == -1 && n > 0)
			break;
		if (r == -1) {
			warnx("%s", err);
			return -1;
		}
		g[n] = xmalloc(sizeof(*g[n]));
		*g[n] = tmp;
		if (host_slice(sc, g[n]) == 0) {
			host_free(g[n]);
			continue;
		}
		n++;
	}
	return (ssize_t)n;
}

static void
clock_hm(char *buf, size_t len)
{
	time_t		 t = time(NULL);
	struct tm	*tm = localtime(&t);

	if (tm == NULL || strftime(buf, len, "%H:%M", tm) == 0)
		(void)strlcpy(buf, "?", len);
}

/* nmap's -v lines around a phase: "Initiating ...", "Completed ...". */
void
scan_phase_begin(struct scan *sc, const char *name, struct host **g,
    size_t n, const char *what, uint32_t count, struct timespec *t0)
{
	char	hm[16];

	deadline_now(t0);
	if (sc->verbose == 0 || !output_interactive(sc->out))
		return;
	clock_hm(hm, sizeof(hm));
	printf("Initiating %s at %s\n", name, hm);
	if (n == 1)
		printf("Scanning %s [%u %s%s]\n", host_ipstr(g[0]), count,
		    what, count == 1 ? "" : "s");
	else
		printf("Scanning %zu hosts [%u %s%s/host]\n", n, count, what,
		    count == 1 ? "" : "s");
}

void
scan_phase_end(struct scan *sc, const char *name, const struct timespec *t0,
    const char *total)
{
	struct timespec	t1;
	char		hm[16];

	if (sc->verbose == 0 || !output_interactive(sc->out))
		return;
	deadline_now(&t1);
	clock_hm(hm, sizeof(hm));
	printf("Completed %s at %s, %.2fs elapsed (%s)\n", name, hm,
	    (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9, total);
}

int
scan_hostprobes(struct scan *sc, const char *name, struct host **g, size_t n,
    size_t nprobes, const uint16_t *ports, int (*skip)(const struct host *, size_t, void *),
    void *skiparg, int (*run)(struct scan *, struct host **, size_t, void *),
    void *runarg)
{
	struct portset	 ps;
	struct timespec	 t0;
	uint16_t	*idx = xreallocarray(NULL, nprobes, sizeof(*idx));
	char		 total[64];
	size_t		 i, k;
	int		 r;

	for (k = 0; k < nprobes; k++)
		idx[k] = ports != NULL ? ports[k] : (uint16_t)k;
	(void)ports_list(&ps, 0, idx, nprobes);
	free(idx);
	for (i = 0; i < n; i++) {
		g[i]->res = xcalloc(nprobes, sizeof(*g[i]->res));
		for (k = 0; skip != NULL && k < nprobes; k++)
			if (skip(g[i], k, skiparg))
				g[i]->res[k].flags = PR_SKIP;
	}
	scan_use(sc, &ps, g, n, -1);
	scan_phase_begin(sc, name, g, n, "port", (uint32_t)nprobes, &t0);
	r = run(sc, g, n, runarg);
	(void)snprintf(total, sizeof(total), "%zu total hosts", n);
	if (r == 0)
		scan_phase_end(sc, name, &t0, total);
	for (i = 0; i < n; i++) {
		free(g[i]->res);
		g[i]->res = g[i]->pres[PSET_TCP];
	}
	free(ps.ports);
	free(ps.order);
	free(ps.map);
	sc->ports = NULL;
	sc->order = NULL;
	sc->portmap = NULL;
	sc->nports = 0;
	return r;
}

/* One protocol's port scan of the group's up hosts. */
static int
ports_phase(struct scan *sc, struct host **g, size_t n, int set)
{
	struct timespec	 t0;
	const char	*name;
	char		 err[512], total[64];
	uint64_t	 cells = 0;
	size_t		 i;
	uint32_t	 j, todo = 0;
	int		 r;

	scan_use(sc, &sc->pset[set], g, n, set);
	for (i = 0; i < n; i++) {
		for (j = 0, todo = 0; j < sc->nports; j++)
			if ((g[i]->res[j].flags & PR_SKIP) == 0)
				todo++;
		cells += todo;
	}
	if (cells == 0)
		return 0;
	name = scan_name(set == PSET_UDP ? SCAN_UDP : opt.scan);
	scan_phase_begin(sc, name, g, n, "port", n == 1 ? todo : sc->nports,
	    &t0);
	if (set == PSET_UDP)
		r = udp_scan(sc, g, n, err, sizeof(err));
	else if (opt.scan == SCAN_CONNECT)
		r = connect_scan(sc, g, n, err, sizeof(err));
	else
		r = raw_scan(sc, g, n, err, sizeof(err));
	if (r == -2)
		errx(1, "%s", err);
	if (r == 0) {
		(void)snprintf(total, sizeof(total), "%llu total ports",
		    (unsigned long long)cells);
		scan_phase_end(sc, name, &t0, total);
	}
	return r;
}

/* The up hosts of the group, in target order; how many. */
static size_t
group_up(struct host **g, size_t n, struct host **up)
{
	size_t	i, k = 0;

	for (i = 0; i < n; i++)
		if (g[i]->up > 0)
			up[k++] = g[i];
	return k;
}

static int
group_scan(struct scan *sc, struct host **g, size_t n)
{
	struct rdns	 *rd = NULL;
	struct host	**up;
	char		  err[512];
	size_t		  i, nup;
	int		  r = 0, s;

	for (i = 0; i < n; i++)
		g[i]->wall_start = time(NULL);
	if (discover_group(sc, g, n, err, sizeof(err)) == -2)
		errx(1, "%s", err);
	if (atomic_load(&stop_flag))
		return -1;
	up = xcalloc(n, sizeof(*up));
	nup = group_up(g, n, up);
	if (opt.resolve == 2)
		rd = rdns_start(g, n);
	else if (opt.resolve > 0)
		rd = rdns_start(up, nup);
	for (s = 0; s < PSET_N && r == 0 && nup > 0; s++)
		if (sc->pset[s].n > 0)
			r = ports_phase(sc, up, nup, s);
	if (r == 0 && nup > 0 && opt.osscan)
		r = osguess_group(sc, up, nup, err, sizeof(err));
	if (r == -2)
		errx(1, "%s", err);
	if (r == 0 && nup > 0 && (opt.version || opt.rpc))
		r = service_group(sc, up, nup);
	for (i = 0; i < n; i++)
		if (g[i]->wall_end == 0)
			g[i]->wall_end = time(NULL);
	rdns_wait(rd);
	free(up);
	return r;
}

static int
scan_all(struct scan *sc, struct targets *tg)
{
	struct host	**g;
	size_t		  max = group_size(sc), i;
	ssize_t		  n;
	int		  r = 0;

	g = xcalloc(max, sizeof(*g));
	while (r == 0 && !atomic_load(&stop_flag)) {
		if ((n = group_read(sc, tg, g, max)) <= 0) {
			r = (int)n;
			break;
		}
		r = group_scan(sc, g, (size_t)n);
		for (i = 0; i < (size_t)n; i++) {
			if (r == 0) {
				sc->hosts_total++;
				if (g[i]->up > 0) {
					sc->hosts_up++;
					output_host(sc, g[i]);
				} else
					output_down(sc, g[i]);
				sc->hosts_done++;
			}
			host_free(g[i]);
		}
	}
	free(g);
	return r;
}

int
main(int argc, char *argv[])
{
	struct cmdline	 cl;
	struct scan	 sc;
	struct targets	*tg;
	char		 err[512];
	int		 r;

	if (getuid() != geteuid() || getgid() != getegid())
		errx(1, "refusing to run set-user-ID or set-group-ID: run it "
		    "as the user whose privileges it should have");
	if (argc < 2) {
		usage(stdout);
		return 0;
	}
	memset(&cl, 0, sizeof(cl));
	options_parse(&cl, argc, argv);
	memset(&sc, 0, sizeof(sc));
	sc.o = &opt;
	sc.verbose = opt.verbose;
	sc.debug = opt.debug;
	sc.packet_trace = opt.packet_trace;
	sc.ctlfd[0] = sc.ctlfd[1] = -1;
	(void)pthread_mutex_init(&sc.lock, NULL);
	rand_init(&sc.rnd);
	options_check();
	scan_type_choose(&cl);
	sc.datadir = cl.datadir;
	sc.svc = services_choose(&sc);
	if ((tg = targets_new(&opt, err, sizeof(err))) == NULL)
		errx(1, "%s", err);
	if (ports_setup(&sc, err, sizeof(err)) == -1)
		errx(1, "%s", err);
	if ((sc.out = output_open(&opt, err, sizeof(err))) == NULL)
		errx(1, "%s", err);
	deadline_now(&sc.start);
	sc.wall_start = time(NULL);
	signals_setup(&sc);
	output_begin(&sc);
	r = scan_all(&sc, tg);
	if (sc.hosts_total == 0 && r == 0)
		warnx("WARNING: No targets were specified, so 0 hosts scanned.");
	if (sc.hosts_total == 1 && sc.hosts_up == 0 && r == 0)
		output_note(&sc, "Note: Host seems down. If it is really up, "
		    "but blocking our ping probes, try -Pn");
	output_end(&sc, r == 0 ? NULL : atomic_load(&stop_flag) ?
	    "interrupted" : "bad target list");
	if (output_close(sc.out) == -1)
		r = -1;
	tty_restore();
	raw_close(sc.rawctx);
	discover_close(&sc);
	targets_free(tg);
	ports_free(&sc);
	services_free(sc.svc);
	free(opt.targets);
	free(opt.args);
	free(cl.oa[0]);
	free(cl.oa[1]);
	free(cl.oa[2]);
	return r == 0 ? 0 : 1;
}
