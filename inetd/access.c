/*
 * access.c: inetd -A daemon[@server] [user@]client, the access-check mode.
 *
 * It answers what the hosts.allow and hosts.deny rules would do with a
 * connection, the way tcpdmatch(8) does, so admins and students can try
 * rules before a client does.  The facts are tcpdmatch's: a client given
 * as an address is matched by that text, as if its name lookup had
 * failed; a client given as a name is resolved and every address it has
 * is checked, each with its verified name; a server given after '@' must
 * have exactly one address.  Options of the matching rule are reported,
 * never performed: no spawn or twist command runs, no aclexec either.
 * Several clients may be checked in one run, from operands or from the
 * standard input ("-"), so a list of hosts can be tried against the rules
 * in a pipeline.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "access.h"
#include "hostsaccess.h"
#include "log.h"

struct access_query {
	struct hosts_request	 rq;
	char			 allow[PATH_MAX];
	char			 deny[PATH_MAX];
	int			 errors;
	int			 denied;
	int			 reports;	/* printed so far */
};

static void
access_usage(void)
{
	fprintf(stderr, "usage: inetd [-W dir] -A daemon[@server] "
	    "[user@]client ... | -\n");
}

/* True when the command line asks for -A (checked before inetd's own). */
int
access_requested(int argc, char *argv[])
{
	int	i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "-A") == 0)
			return 1;
	return 0;
}

static void
access_diag(void *arg, int is_error, const char *msg)
{
	struct access_query	*q = arg;

	if (is_error)
		q->errors++;
	log_warnx("%s%s", is_error ? "" : "warning: ", msg);
}

/*
 * Print one "what: value" line, escaped: names may come from DNS, and
 * rules may hold control characters.
 */
static void
access_line(const char *what, const char *value)
{
	char	buf[4 * 8192];

	(void)log_escape(buf, sizeof(buf), value);
	printf("%s %s\n", what, buf);
}

static int
access_known(const char *s)
{
	return s[0] != '\0' && strcasecmp(s, "unknown") != 0;
}

/*
 * Banner bytes, escaped so that what the client would get is plain to
 * see: \r and \n for the line ends, \xNN for other unprintable bytes.
 */
static void
access_bytes(const char *p, size_t n)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 ch;
	size_t			 i;

	for (i = 0; i < n; i++) {
		ch = (unsigned char)p[i];
		if (ch == '\\')
			fputs("\\\\", stdout);
		else if (ch == '\r')
			fputs("\\r", stdout);
		else if (ch == '\n')
			fputs("\\n", stdout);
		else if (ch >= 0x20 && ch < 0x7f)
			putchar(ch);
		else
			printf("\\x%c%c", hex[ch >> 4], hex[ch & 0xf]);
	}
}

/* The banner text, one line of output for each line it sends. */
static void
access_banner(const struct hosts_action *a)
{
	const char	*nl;
	size_t		 start = 0, end;

	while (start < a->len) {
		nl = memchr(a->text + start, '\n', a->len - start);
		end = nl != NULL ? (size_t)(nl - a->text) + 1 : a->len;
		fputs("banner: ", stdout);
		access_bytes(a->text + start, end - start);
		putchar('\n');
		start = end;
	}
}

static void
access_report(const struct hosts_verdict *v)
{
	char	buf[8192 + 64];
	size_t	i;

	if (access_known(v->client_name))
		access_line("client: hostname", v->client_name);
	if (access_known(v->client_addr))
		access_line("client: address", v->client_addr);
	if (access_known(v->user))
		access_line("client: username", v->user);
	if (access_known(v->server_name))
		access_line("server: hostname", v->server_name);
	if (access_known(v->server_addr))
		access_line("server: address", v->server_addr);
	access_line("server: process", v->daemon);
	if (v->line > 0) {
		(void)snprintf(buf, sizeof(buf), "%s line %d", v->file,
		    v->line);
		access_line("matched:", buf);
	}
	for (i = 0; i < v->nactions; i++) {
		const struct hosts_action *a = &v->actions[i];

		(void)snprintf(buf, sizeof(buf), "%s%s%s", a->key,
		    a->value != NULL ? " " : "",
		    a->value != NULL ? a->value : "");
		access_line("option:", buf);
		if (a->type == HOSTS_ACT_BANNER)
			access_banner(a);
	}
	printf("access: %s\n", v->twist != NULL ? "delegated" :
	    v->access == HOSTS_GRANTED ? "granted" : "denied");
}

static void
access_check(struct access_query *q)
{
	struct hosts_verdict	v;

	if (q->reports++ > 0)
		printf("\n");
	if (hosts_access_check(&q->rq, &v) != HOSTS_GRANTED ||
	    v.twist != NULL)
		q->denied = 1;
	access_report(&v);
	hosts_verdict_free(&v);
}

/* "[addr]" as addr: tcpdmatch would take it for a name and fail. */
static char *
access_unbracket(char *s)
{
	size_t	len = strlen(s);

	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		s[len - 1] = '\0';
		return s + 1;
	}
	return s;
}

/* Numeric forms first (so 10.1 is 10.0.0.1), then a name lookup. */
static struct addrinfo *
access_resolve(const char *host)
{
	struct addrinfo	 hints, *res;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST;
	if (getaddrinfo(host, NULL, &hints, &res) == 0)
		return res;
	hints.ai_flags = AI_PASSIVE | AI_CANONNAME;
	if (getaddrinfo(host, NULL, &hints, &res) == 0)
		return res;
	log_warnx("%s: host not found", host);
	return NULL;
}

static int
access_word(const char *s)
{
	return strcasecmp(s, "unknown") == 0 || strcasecmp(s, "paranoid") == 0;
}

/*
 * The server after '@': one address, whose name is looked up, or the
 * words unknown and paranoid taken as its name.
 */
static int
access_server(struct access_query *q, char *server,
    struct sockaddr_storage *ss)
{
	struct addrinfo	*res;

	server = access_unbracket(server);
	if (access_word(server)) {
		q->rq.server_name = server;
		return 0;
	}
	if ((res = access_resolve(server)) == NULL)
		return -1;
	if (res->ai_next != NULL) {
		log_warnx("%s has more than one address; give one address",
		    server);
		freeaddrinfo(res);
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	q->rq.server_sa = (struct sockaddr *)ss;
	freeaddrinfo(res);
	return 0;
}

/* Check the client as an address, a special word, or every address. */
static int
access_client(struct access_query *q, char *client)
{
	struct addrinfo	*res, *r;

	if (!hosts_addr_literal(client))
		client = access_unbracket(client);
	if (hosts_addr_literal(client)) {
		q->rq.client_addr = client;
		access_check(q);
		return 0;
	}
	if (access_word(client)) {
		q->rq.client_name = client;
		access_check(q);
		return 0;
	}
	if ((res = access_resolve(client)) == NULL)
		return -1;
	for (r = res; r != NULL; r = r->ai_next) {
		q->rq.client_sa = r->ai_addr;
		access_check(q);
	}
	freeaddrinfo(res);
	return 0;
}

/* One "[user@]client" operand; a failed lookup leaves the others. */
static int
access_one(struct access_query *q, char *spec)
{
	char	*at, *client = spec;

	q->rq.user = "unknown";
	if ((at = strchr(spec, '@')) != NULL) {
		*at = '\0';
		q->rq.user = spec;
		client = at + 1;
	}
	q->rq.client_addr = NULL;
	q->rq.client_name = NULL;
	q->rq.client_sa = NULL;
	return access_client(q, client);
}

/*
 * Clients from the standard input, separated by blanks or new lines, '#'
 * starting a comment (pscan -iL's syntax), so a list of hosts kept in a
 * file or made by a pipeline can be checked in one run.
 */
static int
access_stdin(struct access_query *q)
{
	char	*line = NULL, *p, *w;
	size_t	 cap = 0;
	int	 rc = 0;

	while (getline(&line, &cap, stdin) != -1) {
		line[strcspn(line, "#")] = '\0';
		for (p = line; (w = strsep(&p, " \t\r\n")) != NULL;)
			if (*w != '\0' && access_one(q, w) == -1)
				rc = -1;
	}
	if (ferror(stdin)) {
		log_warn("standard input");
		rc = -1;
	}
	free(line);
	return rc;
}

static int
access_paths(struct access_query *q, const char *dir)
{
	if (dir == NULL)
		return 0;
	if ((size_t)snprintf(q->allow, sizeof(q->allow), "%s/hosts.allow",
	    dir) >= sizeof(q->allow) ||
	    (size_t)snprintf(q->deny, sizeof(q->deny), "%s/hosts.deny",
	    dir) >= sizeof(q->deny)) {
		log_warnx("%s: directory name too long", dir);
		return -1;
	}
	q->rq.allow_file = q->allow;
	q->rq.deny_file = q->deny;
	return 0;
}

int
access_main(int argc, char *argv[])
{
	struct access_query	 q;
	struct sockaddr_storage	 server_ss;
	const char		*dir = NULL;
	char			*daemon, *server;
	int			 ch, i, rc;

	memset(&q, 0, sizeof(q));
	optind = 1;
	while ((ch = getopt(argc, argv, "AW:")) != -1) {
		switch (ch) {
		case 'A':
			break;
		case 'W':
			dir = optarg;
			break;
		default:
			access_usage();
			return ACCESS_ERROR;
		}
	}
	if (argc - optind < 2) {
		access_usage();
		return ACCESS_ERROR;
	}
	if (access_paths(&q, dir) == -1)
		return ACCESS_ERROR;
	daemon = argv[optind];
	if ((server = strchr(daemon, '@')) != NULL)
		*server++ = '\0';
	if (daemon[0] == '/') {
		daemon = strrchr(daemon, '/') + 1;
		log_warnx("warning: daemon name normalized to: %s", daemon);
	}
	q.rq.daemon = daemon;
	q.rq.server_name = server == NULL ? "unknown" : NULL;
	q.rq.flags = HOSTS_EAGER | HOSTS_NOIDENT;
	q.rq.diag = access_diag;
	q.rq.arg = &q;
	if (server != NULL && access_server(&q, server, &server_ss) == -1)
		return ACCESS_ERROR;
	rc = 0;
	for (i = optind + 1; i < argc; i++)
		if ((strcmp(argv[i], "-") == 0 ? access_stdin(&q) :
		    access_one(&q, argv[i])) == -1)
			rc = -1;
	if (rc == -1 || q.errors > 0)
		return ACCESS_ERROR;
	return q.denied ? ACCESS_DENIED : ACCESS_GRANTED;
}
