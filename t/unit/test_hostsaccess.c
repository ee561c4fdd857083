/*
 * test_hostsaccess.c: the tcp_wrappers engine, hosts_access(5) rules as
 * Debian's libwrap 7.6 reads and matches them.  Every expected verdict
 * here was also asked of tcpdmatch(8); the bats differential suite does
 * that on generated rule sets.  No test looks a name up: names are given
 * in the request or HOSTS_NUMERIC keeps them "unknown".
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "hostsaccess.h"
#include "tap.h"

static char	dir[256];
static char	allow_path[300];
static char	deny_path[300];
static char	diags[8192];	/* "E msg" and "W msg" lines */

static void
collect(void *arg, int is_error, const char *msg)
{
	(void)arg;
	(void)strlcat(diags, is_error ? "E " : "W ", sizeof(diags));
	(void)strlcat(diags, msg, sizeof(diags));
	(void)strlcat(diags, "\n", sizeof(diags));
}

/* Write text to path; NULL removes the file. */
static void
put(const char *path, const char *text)
{
	FILE	*fp;

	if (text == NULL) {
		(void)unlink(path);
		return;
	}
	if ((fp = fopen(path, "w")) == NULL) {
		perror(path);
		exit(2);
	}
	fputs(text, fp);
	fclose(fp);
}

/* A request for daemon and client address text, no lookups at all. */
static void
request(struct hosts_request *rq, const char *daemon, const char *client)
{
	memset(rq, 0, sizeof(*rq));
	rq->daemon = daemon;
	rq->client_addr = client;
	rq->server_name = "unknown";
	rq->user = "unknown";
	rq->flags = HOSTS_NUMERIC | HOSTS_NOIDENT;
}

static enum hosts_access
check(const char *allow, const char *deny, struct hosts_request *rq,
    struct hosts_verdict *v)
{
	put(allow_path, allow);
	put(deny_path, deny);
	diags[0] = '\0';
	if (rq->allow_file == NULL)
		rq->allow_file = allow_path;
	if (rq->deny_file == NULL)
		rq->deny_file = deny_path;
	rq->diag = collect;
	return hosts_access_check(rq, v);
}

/* "granted" or "denied" and, when a rule decided, " allow:N"/" deny:N". */
static const char *
answer(const char *allow, const char *deny, const char *daemon,
    const char *client)
{
	static char		 buf[64];
	struct hosts_request	 rq;
	struct hosts_verdict	 v;

	request(&rq, daemon, client);
	(void)check(allow, deny, &rq, &v);
	(void)snprintf(buf, sizeof(buf), "%s", v.access == HOSTS_GRANTED ?
	    "granted" : "denied");
	if (v.line > 0)
		(void)snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
		    " %s:%d", v.file == allow_path ? "allow" : "deny", v.line);
	hosts_verdict_free(&v);
	return buf;
}

/* Does the client pattern match client (address text, name)? */
static int
client_matches(const char *pattern, const char *addr, const char *name)
{
	struct hosts_request	 rq;
	struct hosts_verdict	 v;
	char			 rule[256];
	int			 granted;

	(void)snprintf(rule, sizeof(rule), "ALL: %s\n", pattern);
	request(&rq, "sshd", addr);
	rq.client_name = name;
	granted = check(rule, "ALL: ALL\n", &rq, &v) == HOSTS_GRANTED;
	hosts_verdict_free(&v);
	return granted;
}

/* The value of the first action after one rule with opts matched. */
static const char *
option_value(const char *opts, struct hosts_verdict *v)
{
	struct hosts_request	rq;
	char			rule[512];

	(void)snprintf(rule, sizeof(rule), "sshd: ALL: %s\n", opts);
	request(&rq, "sshd", "10.0.0.1");
	rq.user = "joe";
	(void)check(rule, NULL, &rq, v);
	return v->nactions > 0 ? v->actions[0].value : NULL;
}

static void
test_tables(void)
{
	char	long_rule[3000];

	is_str(answer(NULL, NULL, "sshd", "10.0.0.1"), "granted",
	    "no files: granted, no rule");
	is_str(answer("", "", "sshd", "10.0.0.1"), "granted",
	    "empty files: granted");
	is_str(answer("# sshd: ALL\n\n  \nsshd: 10.0.0.2\nsshd: 10.0.0.1\n",
	    "ALL: ALL\n", "sshd", "10.0.0.1"), "granted allow:5",
	    "comments and blank lines count, first match in allow grants");
	is_str(answer("sshd: 10.0.0.2\n", "ALL: 10.0.0.3\nALL: ALL\n", "sshd",
	    "10.0.0.1"), "denied deny:2", "first match in deny denies");
	is_str(answer("sshd: 10.0.0.2 \\\n 10.0.0.1\nsshd: ALL\n", NULL,
	    "sshd", "10.0.0.1"), "granted allow:2",
	    "a continued rule is reported at its last line");
	is_str(answer("sshd, ftpd,in.telnetd\tALL: ALL\n", "ALL: ALL\n",
	    "in.telnetd", "10.0.0.1"), "granted allow:1",
	    "lists split at blanks and commas");
	is_str(answer("SSHD: all\n", "ALL: ALL\n", "sshd", "10.0.0.1"),
	    "granted allow:1", "names and keywords ignore case");

	is_str(answer("sshd 10.0.0.1\n", "ALL: ALL\n", "sshd", "10.0.0.1"),
	    "denied deny:1", "a rule without ':' is skipped");
	ok(strncmp(diags, "W ", 2) == 0, "... with a warning");
	is_str(answer("  # sshd: ALL\n", "ALL: ALL\n", "sshd", "10.0.0.1"),
	    "granted allow:1",
	    "only '#' in column one starts a comment: this is a rule");

	is_str(answer("sshd: 10.0.0.1", "ALL: ALL\n", "sshd", "10.0.0.2"),
	    "denied deny:1",
	    "hosts.allow without a final newline: its last rule is lost");
	is_str(answer(NULL, "sshd: 10.0.0.2\nsshd: 10.0.0.1", "sshd",
	    "10.0.0.3"), "denied",
	    "hosts.deny without a final newline denies (libwrap's ERR)");
	memset(long_rule, ' ', sizeof(long_rule));
	memcpy(long_rule, "sshd: ALL", 9);
	long_rule[sizeof(long_rule) - 2] = '\n';
	long_rule[sizeof(long_rule) - 1] = '\0';
	is_str(answer(long_rule, NULL, "sshd", "10.0.0.1"), "granted",
	    "an over-long rule in hosts.allow ends that table");
	is_str(answer(NULL, long_rule, "ftpd", "10.0.0.1"), "denied",
	    "an over-long rule in hosts.deny denies everyone");
}

static void
test_diagnostics(void)
{
	struct hosts_request	rq;
	struct hosts_verdict	v;
	char			want[512];

	(void)answer("sshd 10.0.0.1\n", NULL, "sshd", "10.0.0.1");
	(void)snprintf(want, sizeof(want), "W %s:1: missing \":\" "
	    "separator, rule ignored\n", allow_path);
	is_str(diags, want, "missing separator message");

	(void)answer(NULL, "# x\nsshd: 10.0.0.1", "sshd", "10.0.0.1");
	(void)snprintf(want, sizeof(want), "E %s:2: line too long or "
	    "without newline; this and the rules after it are ignored\n",
	    deny_path);
	is_str(diags, want, "missing newline message names the line");

	request(&rq, "sshd", "10.0.0.1");
	rq.allow_file = "/dev/null/hosts.allow";
	is_int(check(NULL, NULL, &rq, &v), HOSTS_GRANTED,
	    "unreadable hosts.allow: on to hosts.deny");
	is_str(diags, "E cannot open /dev/null/hosts.allow: Not a "
	    "directory\n", "cannot open message");
	is_int(v.errors, 1, "counted as an error");
	hosts_verdict_free(&v);

	request(&rq, "sshd", "10.0.0.1");
	rq.deny_file = "/dev/null/hosts.deny";
	is_int(check(NULL, NULL, &rq, &v), HOSTS_DENIED,
	    "unreadable hosts.deny: denied");
	hosts_verdict_free(&v);
}

static void
test_lists(void)
{
	const char	*deny = "ALL: ALL\n";
	const char	*allow = "ALL: 10. EXCEPT 10.0. EXCEPT 10.0.0.1\n";

	is_str(answer(allow, deny, "sshd", "10.9.9.9"), "granted allow:1",
	    "a EXCEPT b: in a, not in b");
	is_str(answer(allow, deny, "sshd", "10.0.5.5"), "denied deny:1",
	    "a EXCEPT b: in b");
	is_str(answer(allow, deny, "sshd", "10.0.0.1"), "granted allow:1",
	    "a EXCEPT b EXCEPT c = a EXCEPT (b EXCEPT c)");
	is_str(answer("ALL except ftpd: ALL\n", deny, "ftpd", "10.0.0.1"),
	    "denied deny:1", "EXCEPT in the daemon list");
	is_str(answer("ALL EXCEPT: ALL\n", deny, "ftpd", "10.0.0.1"),
	    "granted allow:1", "an empty EXCEPT list excludes nothing");
	is_str(answer("EXCEPT ALL: ALL\n", deny, "ftpd", "10.0.0.1"),
	    "denied deny:1", "a list that starts with EXCEPT is empty");
}

/*
 * Client patterns: pattern, client address, client name (NULL: unknown),
 * whether it matches, and why.  tcpdmatch agrees on each address case.
 */
static const struct {
	const char	*pattern;
	const char	*addr;
	const char	*name;
	int		 match;
	const char	*why;
} client_cases[] = {
	{ "10.0.", "10.0.3.4", NULL, 1,
	    "net prefix 10.0." },
	{ "10.0.", "10.03.3.4", NULL, 0,
	    "prefixes compare text" },
	{ "10.0.0.1", "10.0.0.1", NULL, 1,
	    "exact address" },
	{ "10.0.0.1", "010.0.0.1", NULL, 0,
	    "exact address compares text, not value" },
	{ "10.0.0.0/255.255.255.0", "10.0.0.77", NULL, 1,
	    "net/mask" },
	{ "10.0.0.0/24", "10.0.0.77", NULL, 1,
	    "net/len" },
	{ "10.0.0.1/24", "10.0.0.77", NULL, 0,
	    "host bits set in the net never match" },
	{ "10.0.0.0/0", "10.0.0.77", NULL, 0,
	    "/0 is not a length libwrap takes" },
	{ "0.0.0.0/0.0.0.0", "10.0.0.77", NULL, 1,
	    "0.0.0.0/0.0.0.0 matches every IPv4 client" },
	{ "10.0.0.0/255.255.255.255", "10.0.0.0", NULL, 0,
	    "mask 255.255.255.255 is INADDR_NONE to inet_addr" },
	{ "010.0.0.0/255.0.0.0", "8.1.2.3", NULL, 1,
	    "a leading-zero octet is octal in net/mask" },
	{ "8.0.0.0/8", "010.0.0.1", NULL, 1,
	    "... and in the client's address" },
	{ "10.0.0.0/255.255.0.255", "10.0.9.0", NULL, 1,
	    "a non-contiguous mask is taken as it is" },
	{ "10.0.0.?", "10.0.0.7", NULL, 1,
	    "? wildcard" },
	{ "10.0.0.?", "10.0.0.17", NULL, 0,
	    "? is one character" },
	{ "10.*", "10.200.0.7", NULL, 1,
	    "* wildcard" },
	{ "[2001:db8::]/32", "2001:db8:5::1", NULL, 1,
	    "[v6]/len" },
	{ "[2001:db8::]/32", "2001:db9::1", NULL, 0,
	    "[v6]/len outside" },
	{ "[2001:db8::]/xx", "2001:db9::1", NULL, 1,
	    "a length that is no number is atoi()'s 0: every IPv6 client" },
	{ "[2001:DB8::1]", "2001:db8:0::1", NULL, 1,
	    "[v6] compares addresses" },
	{ "2001:db8::1", "2001:db8:0::1", NULL, 0,
	    "unbracketed v6 compares text" },
	{ "[::1]", "::1", NULL, 1,
	    "[::1]" },
	{ "10.0.0.0/8", "::ffff:10.1.2.3", NULL, 1,
	    "a v4-mapped client is its IPv4 address for net/mask" },
	{ "10.", "::FFFF:10.1.2.3", NULL, 1,
	    "... and for prefixes" },
	{ "[::ffff:10.0.0.1]", "10.0.0.1", NULL, 0,
	    "but an IPv4 client is no v6 address" },
	{ ".example.test", "10.0.0.1", "host1.example.test", 1,
	    ".domain suffix" },
	{ ".example.test", "10.0.0.1", "example.test", 0,
	    ".domain needs something before it" },
	{ "HOST1.Example.test", "10.0.0.1", "host1.example.test", 1,
	    "host name, any case" },
	{ "*.example.test", "10.0.0.1", "a.example.test", 1,
	    "wildcards on names" },
	{ "a**", "10.0.0.1", "a", 0,
	    "a '*' before the end of the pattern needs a character" },
	{ "LOCAL", "10.0.0.1", "loner", 1,
	    "LOCAL: no dot" },
	{ "LOCAL", "10.0.0.1", "a.b", 0,
	    "LOCAL: dot" },
	{ "KNOWN", "10.0.0.1", "a.b", 1,
	    "KNOWN" },
	{ "KNOWN", "10.0.0.1", NULL, 0,
	    "KNOWN needs the name too" },
	{ "UNKNOWN", "10.0.0.1", NULL, 1,
	    "UNKNOWN: name unknown" },
	{ "PARANOID", "10.0.0.1", "paranoid", 1,
	    "PARANOID: name failed its double check" },
	{ "PARANOID", "10.0.0.1", NULL, 0,
	    "PARANOID: unknown is not paranoid" },
	{ "10.0.0.*", "192.0.2.1", "10.0.0.1.example", 1,
	    "a wildcard pattern is compared with the name too" },
	{ "10.0.0.1", "192.0.2.1", "10.0.0.1", 0,
	    "but a numeric pattern never matches a name" },
};

static void
test_client_patterns(void)
{
	size_t	i;

	for (i = 0; i < nitems(client_cases); i++)
		is_int(client_matches(client_cases[i].pattern,
		    client_cases[i].addr, client_cases[i].name),
		    client_cases[i].match, "%s: %s", client_cases[i].pattern,
		    client_cases[i].why);
}

static void
test_files_and_users(void)
{
	struct hosts_request	rq;
	struct hosts_verdict	v;
	char			list[300], list2[300], rule[600];

	(void)snprintf(list, sizeof(list), "%s/list", dir);
	(void)snprintf(list2, sizeof(list2), "%s/list2", dir);
	put(list, "192.0.2.0/24 # no comments here\n  .example.test\n");
	(void)snprintf(rule, sizeof(rule), "ALL: %s\n", list2);
	put(list2, list);
	ok(client_matches(list, "192.0.2.9", NULL), "/file pattern");
	ok(client_matches(list, "10.0.0.1", "a.example.test"),
	    "/file pattern, second line");
	ok(client_matches(list2, "192.0.2.9", NULL), "/file within /file");
	ok(!client_matches("/nonexistent/list", "192.0.2.9", NULL),
	    "missing /file matches nothing");

	request(&rq, "sshd", "10.0.0.1");
	rq.user = "joe";
	ok(check("ALL: joe@10.0.0.1\n", "ALL: ALL\n", &rq, &v) ==
	    HOSTS_GRANTED, "user@host");
	is_str(v.client, "joe@10.0.0.1", "verdict names user@host");
	hosts_verdict_free(&v);
	request(&rq, "sshd", "10.0.0.1");
	rq.user = "joe";
	ok(check("ALL: j?e@ALL EXCEPT root@ALL\n", "ALL: ALL\n", &rq, &v) ==
	    HOSTS_GRANTED, "user patterns take wildcards");
	hosts_verdict_free(&v);
	request(&rq, "sshd", "10.0.0.1");
	ok(check("ALL: UNKNOWN@ALL\n", "ALL: ALL\n", &rq, &v) ==
	    HOSTS_GRANTED, "UNKNOWN@ALL with no user");
	hosts_verdict_free(&v);
	request(&rq, "sshd", "10.0.0.1");
	ok(check("ALL: joe@\n", "ALL: ALL\n", &rq, &v) == HOSTS_DENIED,
	    "user@ with no host matches nothing");
	hosts_verdict_free(&v);
}

static void
test_servers(void)
{
	struct hosts_request	rq;
	struct hosts_verdict	v;
	struct sockaddr_in	sin;

	request(&rq, "sshd", "10.0.0.1");
	rq.server_name = NULL;
	rq.server_addr = "192.0.2.1";
	ok(check("sshd@192.0.2.1: ALL\n", "ALL: ALL\n", &rq, &v) ==
	    HOSTS_GRANTED, "daemon@host matches the server address");
	hosts_verdict_free(&v);
	request(&rq, "sshd", "10.0.0.1");
	rq.server_name = NULL;
	rq.server_addr = "192.0.2.2";
	ok(check("sshd@192.0.2.1: ALL\n", "ALL: ALL\n", &rq, &v) ==
	    HOSTS_DENIED, "daemon@host, other server");
	hosts_verdict_free(&v);
	is_str(answer("ALL@unknown: ALL\n", "ALL: ALL\n", "sshd",
	    "10.0.0.1"), "granted allow:1",
	    "an unknown server matches @unknown");

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(22);
	sin.sin_addr.s_addr = htonl(0x7f000001);
	request(&rq, "sshd", "10.0.0.1");
	rq.server_name = NULL;
	rq.server_sa = (struct sockaddr *)&sin;
	ok(check("22: ALL\n", "ALL: ALL\n", &rq, &v) == HOSTS_GRANTED,
	    "a number in the daemon list is the server port (Debian)");
	hosts_verdict_free(&v);
	is_str(answer("22: ALL\n", "ALL: ALL\n", "22", "10.0.0.1"),
	    "denied deny:1", "... never a daemon name");
	is_str(answer("ssh*: ALL\n", "ALL: ALL\n", "sshd", "10.0.0.1"),
	    "granted allow:1", "daemon wildcards");
}

static void
test_options(void)
{
	struct hosts_verdict	 v;
	struct hosts_request	 rq;
	char			 want[512];

	is_str(option_value("spawn echo %a %d %c %u %h %% %s %H %x", &v),
	    "echo 10.0.0.1 sshd joe@10.0.0.1 joe 10.0.0.1 % sshd unknown",
	    "%%-expansions");
	is_int(v.actions[0].type, HOSTS_ACT_SPAWN, "spawn action");
	(void)snprintf(want, sizeof(want), "W %s:1: unrecognized %%x\n",
	    allow_path);
	is_str(diags, want, "an unknown %%-letter warns");
	hosts_verdict_free(&v);

	request(&rq, "sshd", "10.0.0.1");
	rq.client_name = "a;b|c.example";
	(void)check("ALL: ALL: twist echo %n\n", NULL, &rq, &v);
	is_str(v.twist, "echo a_b_c.example",
	    "expansions reach a shell only as safe characters");
	hosts_verdict_free(&v);

	is_str(option_value("spawn = echo a\\:b", &v), "echo a:b",
	    "'=' and \\: in option values");
	hosts_verdict_free(&v);
	(void)option_value("setenv  FOO  bar baz ", &v);
	is_str(v.actions[0].name, "FOO", "setenv name");
	is_str(v.actions[0].text, "bar baz", "setenv value");
	hosts_verdict_free(&v);
	(void)option_value("umask 027", &v);
	is_int(v.actions[0].num, 027, "umask");
	hosts_verdict_free(&v);
	(void)option_value("nice", &v);
	is_int(v.actions[0].num, 10, "nice defaults to 10");
	hosts_verdict_free(&v);
	(void)option_value("linger 5 : keepalive", &v);
	ok(v.nactions == 2 && v.actions[0].num == 5 &&
	    v.actions[1].type == HOSTS_ACT_KEEPALIVE, "linger, keepalive");
	hosts_verdict_free(&v);
	(void)option_value("severity auth.notice", &v);
	is_int(v.severity, LOG_AUTH | LOG_NOTICE, "severity facility.level");
	hosts_verdict_free(&v);
	(void)option_value("severity err", &v);
	is_int(v.severity, LOG_ERR, "severity level");
	hosts_verdict_free(&v);
	(void)option_value("user root.root", &v);
	ok(v.actions[0].type == HOSTS_ACT_USER && v.actions[0].uid == 0 &&
	    v.actions[0].has_gid, "user name.group");
	hosts_verdict_free(&v);
	(void)option_value("twist echo bye", &v);
	is_str(v.twist, "echo bye", "twist");
	ok(v.access == HOSTS_GRANTED, "twist leaves the table's verdict");
	hosts_verdict_free(&v);
}

/* The error an option gives, and that it denies. */
static void
option_error(const char *opts, const char *msg)
{
	struct hosts_verdict	v;
	char			want[512];

	(void)option_value(opts, &v);
	(void)snprintf(want, sizeof(want), "E %s:1: %s\n", allow_path, msg);
	is_str(diags, want, "'%s' is an error", opts);
	ok(v.access == HOSTS_DENIED && v.errors == 1 && v.line == 1,
	    "... that denies, at the rule");
	hosts_verdict_free(&v);
}

static void
test_option_errors(void)
{
	option_error("bogus", "bad option name: \"bogus\"");
	option_error("spawn", "option \"spawn\" requires value");
	option_error("keepalive 1", "option \"keepalive\" requires no value");
	option_error("allow : spawn x", "option \"allow\" must be at end");
	option_error("spawn x :", "missing option name");
	option_error("umask 999", "bad umask value: \"999\"");
	option_error("linger -1", "bad linger value: \"-1\"");
	option_error("nice x", "bad nice value: \"x\"");
	option_error("rfc931 0", "bad rfc931 timeout: \"0\"");
	option_error("severity authpriv.info",
	    "bad syslog facility or severity: \"authpriv\"");
	option_error("severity local0.loud",
	    "bad syslog facility or severity: \"loud\"");
	option_error("setenv X=y", "bad setenv variable name: \"X=y\"");
	option_error("user nosuchuser-hostsaccess",
	    "unknown user: \"nosuchuser-hostsaccess\"");
	option_error("group nosuchgroup-hostsaccess",
	    "unknown group: \"nosuchgroup-hostsaccess\"");
}

static int
aclexec_exit(void *arg, const char *cmd)
{
	(void)cmd;
	return *(int *)arg << 8;
}

static void
test_verdict_options(void)
{
	struct hosts_request	rq;
	struct hosts_verdict	v;
	char			line[256];
	int			status;

	is_str(answer("sshd: ALL: deny\n", NULL, "sshd", "10.0.0.1"),
	    "denied allow:1", "deny in hosts.allow");
	is_str(answer(NULL, "sshd: ALL: allow\n", "sshd", "10.0.0.1"),
	    "granted deny:1", "allow in hosts.deny");
	is_str(answer("ftpd: ALL: bogus\n", NULL, "sshd", "10.0.0.1"),
	    "granted", "options of rules that do not match are not read");

	request(&rq, "sshd", "10.0.0.1");
	rq.aclexec = aclexec_exit;
	rq.arg = &status;
	status = 1;
	ok(check("sshd: ALL: aclexec false\n", "ALL: ALL\n", &rq, &v) ==
	    HOSTS_DENIED && v.file == deny_path && v.line == 1,
	    "aclexec failing: the rule does not match after all");
	hosts_verdict_free(&v);
	request(&rq, "sshd", "10.0.0.1");
	rq.aclexec = aclexec_exit;
	rq.arg = &status;
	status = 0;
	ok(check("sshd: ALL: aclexec true\n", "ALL: ALL\n", &rq, &v) ==
	    HOSTS_GRANTED && v.line == 1, "aclexec succeeding");
	hosts_verdict_free(&v);

	request(&rq, "sshd", "10.0.0.1");
	(void)check(NULL, NULL, &rq, &v);
	is_int(v.severity, HOSTS_ALLOW_SEVERITY, "default severity, granted");
	hosts_verdict_free(&v);
	request(&rq, "sshd", "10.0.0.1");
	(void)check(NULL, "ALL: ALL\n", &rq, &v);
	is_int(v.severity, HOSTS_DENY_SEVERITY, "default severity, denied");
	is_int(hosts_verdict_logline(&v, LOG_AUTHPRIV, line, sizeof(line)),
	    LOG_AUTHPRIV | LOG_WARNING, "refusals log at authpriv.warning");
	is_str(line, "refused connect from 10.0.0.1", "as tcpd words it");
	hosts_verdict_free(&v);

	request(&rq, "sshd", "10.0.0.1");
	rq.user = "joe";
	(void)check("ALL: ALL: severity mail.notice\n", NULL, &rq, &v);
	is_int(hosts_verdict_logline(&v, LOG_AUTHPRIV, line, sizeof(line)),
	    LOG_MAIL | LOG_NOTICE, "a severity option's facility wins");
	is_str(line, "connect from joe@10.0.0.1", "grants log the client");
	hosts_verdict_free(&v);
	request(&rq, "sshd", "10.0.0.1");
	(void)check("ALL: ALL: severity err\n", NULL, &rq, &v);
	is_int(hosts_verdict_logline(&v, LOG_AUTHPRIV, line, sizeof(line)),
	    LOG_AUTHPRIV | LOG_ERR, "a bare level keeps the facility");
	hosts_verdict_free(&v);
}

static void
test_banners(void)
{
	struct hosts_verdict	v;
	char			bdir[300], file[320], opt[340];

	(void)snprintf(bdir, sizeof(bdir), "%s/banners", dir);
	(void)mkdir(bdir, 0700);
	(void)snprintf(file, sizeof(file), "%s/sshd", bdir);
	put(file, "Hi %a\nbye %d");
	(void)snprintf(opt, sizeof(opt), "banners %s", bdir);
	(void)option_value(opt, &v);
	ok(v.nactions == 1 && v.actions[0].type == HOSTS_ACT_BANNER &&
	    v.actions[0].len == 21 &&
	    memcmp(v.actions[0].text, "Hi 10.0.0.1\r\nbye sshd", 21) == 0,
	    "banner text, CR LF ended, expanded");
	hosts_verdict_free(&v);
	(void)unlink(file);
	(void)option_value(opt, &v);
	ok(v.actions[0].len == 0 && diags[0] == '\0',
	    "no banner file for the daemon: nothing, quietly");
	hosts_verdict_free(&v);
	(void)rmdir(bdir);
}

static void
test_lazy(void)
{
	struct hosts_request	rq;
	struct hosts_verdict	v;
	struct sockaddr_in6	sin6;

	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	(void)inet_pton(AF_INET6, "::ffff:10.1.2.3", &sin6.sin6_addr);
	memset(&rq, 0, sizeof(rq));
	rq.daemon = "sshd";
	rq.client_sa = (struct sockaddr *)&sin6;
	rq.flags = HOSTS_NUMERIC | HOSTS_NOIDENT;
	ok(check("ALL: 10.1.\n", "ALL: ALL\n", &rq, &v) == HOSTS_GRANTED,
	    "socket address: printed numerically, v4-mapped matched as v4");
	is_str(v.client_addr, "::ffff:10.1.2.3", "client address");
	is_str(v.client_name, "", "a numeric pattern needs no name");
	hosts_verdict_free(&v);
	rq.allow_file = rq.deny_file = NULL;
	(void)check("ALL: .example.test\n", NULL, &rq, &v);
	is_str(v.client_name, "unknown", "a name pattern asks for the name");
	is_str(v.user, "", "no pattern needed the user");
	hosts_verdict_free(&v);
}

static void
test_helpers(void)
{
	int	status;

	ok(hosts_addr_literal("010.0.0.1"), "literal: octal dotted quad");
	ok(hosts_addr_literal("2001:db8::1"), "literal: IPv6");
	ok(!hosts_addr_literal("10.1"), "not literal: short form");
	ok(!hosts_addr_literal("255.255.255.255"),
	    "not literal: INADDR_NONE");
	ok(!hosts_addr_literal("host.example"), "not literal: name");
	status = hosts_shell_run("exit 3");
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 3,
	    "hosts_shell_run gives the exit status");
	status = hosts_shell_run("test ! -t 0 && read x; test -z \"$x\"");
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "hosts_shell_run: stdin is /dev/null");
}

int
main(void)
{
	const char	*tmp;

	tmp = getenv("TMPDIR");
	(void)snprintf(dir, sizeof(dir), "%s/test_hostsaccess.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : P_tmpdir);
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	(void)snprintf(allow_path, sizeof(allow_path), "%s/hosts.allow", dir);
	(void)snprintf(deny_path, sizeof(deny_path), "%s/hosts.deny", dir);

	test_tables();
	test_diagnostics();
	test_lists();
	test_client_patterns();
	test_files_and_users();
	test_servers();
	test_options();
	test_option_errors();
	test_verdict_options();
	test_banners();
	test_lazy();
	test_helpers();

	(void)unlink(allow_path);
	(void)unlink(deny_path);
	(void)snprintf(allow_path, sizeof(allow_path), "%s/list", dir);
	(void)unlink(allow_path);
	(void)snprintf(allow_path, sizeof(allow_path), "%s/list2", dir);
	(void)unlink(allow_path);
	(void)rmdir(dir);
	return tap_done();
}
