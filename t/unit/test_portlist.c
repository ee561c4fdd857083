/*
 * test_portlist.c: port sets, nmap's -p syntax and plain port lists.
 *
 * The expected sets of the numeric cases are nmap 7.93's, read from the
 * services attribute of <scaninfo> in "nmap -oX - -sT -p SPEC" and
 * "nmap -oX - -sU -p SPEC" run without targets (which scans nothing).
 * When nmap is installed the TCP half is checked against it again here.
 * Names come from the built-in table, which is Debian's /etc/services;
 * nmap uses its own nmap-services, so for names the two differ by design.
 */
#include "config.h"

#include <sys/types.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portlist.h"
#include "services.h"
#include "tap.h"

#define TCP	IPPROTO_TCP
#define UDP	IPPROTO_UDP
#define SCTP	IPPROTO_SCTP
#define BOTH	(PORTLIST_TCP | PORTLIST_UDP)

static char		 err[512];
static struct portlist	 pl;

static const char *
set_text(const struct portlist *p, int proto)
{
	static char	buf[3][1024];
	static int	n;

	n = (n + 1) % 3;
	(void)portlist_format(p, proto, buf[n], sizeof(buf[n]));
	return buf[n];
}

/* nmap from PATH, when installed. */
static int
have_nmap(void)
{
	return system("nmap -V >/dev/null 2>&1") == 0;
}

/* The TCP ports nmap takes from a -p spec, as its XML scaninfo lists. */
static const char *
nmap_tcp(const char *spec)
{
	static char	 out[1024];
	char		 cmd[512], line[2048], *p, *q;
	FILE		*fp;

	(void)snprintf(cmd, sizeof(cmd), "nmap -oX - -sT -p '%s' 2>/dev/null",
	    spec);
	if ((fp = popen(cmd, "r")) == NULL)
		return NULL;
	(void)strlcpy(out, "(no scaninfo)", sizeof(out));
	while (fgets(line, sizeof(line), fp) != NULL) {
		if ((p = strstr(line, "<scaninfo ")) == NULL ||
		    (p = strstr(p, " services=\"")) == NULL)
			continue;
		p += strlen(" services=\"");
		if ((q = strchr(p, '"')) != NULL)
			*q = '\0';
		(void)strlcpy(out, p, sizeof(out));
	}
	(void)pclose(fp);
	return out;
}

static void
test_nmap_syntax(const struct services *svc)
{
	static const struct {
		const char	*spec, *tcp, *udp;
		int		 numeric;
	} cases[] = {
		{ "1-1024,8080,T:22,U:53", "1-1024,8080", "1-1024,8080", 1 },
		{ "-", "1-65535", "1-65535", 1 },
		{ "-100", "1-100", "1-100", 1 },
		{ "60000-", "60000-65535", "60000-65535", 1 },
		{ "22-", "22-65535", "22-65535", 1 },
		{ "22,80", "22,80", "22,80", 1 },
		{ "22, 23", "22-23", "22-23", 1 },
		{ " 22", "22", "22", 1 },
		{ "22 ,23", "22-23", "22-23", 1 },
		{ "T:22,80,U:53,111", "22,80", "53,111", 1 },
		{ "U:53,T:22", "22", "53", 1 },
		{ "1-5,T:6,7", "1-7", "1-5", 1 },
		{ "T:22,T:23", "22-23", "", 1 },
		{ "T: 22", "22", "", 1 },
		{ "T:-", "1-65535", "", 1 },
		{ "1,1,1", "1", "1", 1 },
		{ "080", "80", "80", 1 },
		{ "22-22", "22", "22", 1 },
		{ "S:1,T:2", "2", "", 1 },
		{ "ssh", "22", "", 0 },
		{ "domain", "53", "53", 0 },
		{ "U:domain", "", "53", 0 },
		{ "http,ssh", "22,80", "", 0 },
		{ "www", "80", "", 0 },
		{ "http*", "80,443,8080", "443", 0 },
		{ "htt?", "80", "", 0 },
		{ "22,T:http-alt", "22,8080", "22", 0 },
		{ "T:[20-25]", "20-23,25", "", 0 },
		{ "[1-25]", "1,7,9,11,13,15,17,19-23,25", "7,9,13,19,21", 0 },
	};
	size_t	i;
	int	nmap = have_nmap();

	for (i = 0; i < nitems(cases); i++) {
		if (portlist_parse(&pl, cases[i].spec, BOTH, svc, err,
		    sizeof(err)) == -1) {
			ok(0, "parse '%s': %s", cases[i].spec, err);
			continue;
		}
		is_str(set_text(&pl, TCP), cases[i].tcp, "'%s' tcp",
		    cases[i].spec);
		is_str(set_text(&pl, UDP), cases[i].udp, "'%s' udp",
		    cases[i].spec);
		if (!cases[i].numeric)
			continue;
		if (!nmap)
			tap_skip("nmap not installed: '%s'", cases[i].spec);
		else
			is_str(nmap_tcp(cases[i].spec),
			    *cases[i].tcp != '\0' ? cases[i].tcp : "",
			    "nmap agrees on '%s' tcp", cases[i].spec);
	}
	(void)portlist_parse(&pl, "S:1,T:2", BOTH, svc, err, sizeof(err));
	is_str(set_text(&pl, SCTP), "1", "S: goes to sctp");
	(void)portlist_parse(&pl, "9,U:7", PORTLIST_SCTP, svc, err,
	    sizeof(err));
	ok(strcmp(set_text(&pl, SCTP), "9") == 0 &&
	    strcmp(set_text(&pl, UDP), "7") == 0 &&
	    strcmp(set_text(&pl, TCP), "") == 0,
	    "unprefixed ports go where the mask says");
}

static void
test_nmap_errors(const struct services *svc)
{
	static const struct {
		const char	*spec, *want;
	} cases[] = {
		{ "0", "port 0 out of range (1-65535)" },
		{ "65536", "port 65536 out of range (1-65535)" },
		{ "99999999999999999999", "port 99999999999999999999 out of "
		    "range (1-65535)" },
		{ "0-5", "port 0 out of range (1-65535)" },
		{ "-0", "port 0 out of range (1-65535)" },
		{ "5-1", "range 5-1 is backwards" },
		{ "22,", "trailing comma" },
		{ "22, ", "trailing comma" },
		{ "22,,23", "empty element" },
		{ ",22", "empty element" },
		{ ",", "empty element" },
		{ "", "empty" },
		{ "nosuch", "no tcp or udp service named 'nosuch'" },
		{ "U:ssh", "no udp service named 'ssh'" },
		{ "foo*", "no tcp or udp service matches 'foo*'" },
		{ "u:53", "unknown protocol prefix 'u:' (use T:, U: or S:)" },
		{ "P:6", "unknown protocol prefix 'P:' (use T:, U: or S:)" },
		{ "TCP:22",
		    "unknown protocol prefix 'TCP:' (use T:, U: or S:)" },
		{ "T:", "no ports after 'T:'" },
		{ "T:22,U:", "no ports after 'U:'" },
		{ "T:,22", "no ports after 'T:'" },
		{ "22abc", "invalid port '22abc'" },
		{ "22-0x20", "invalid port '22-0x20'" },
		{ "22 23", "invalid port '22 23'" },
		{ "22- 30", "invalid port '22- 30'" },
		{ "+22", "invalid port '+22'" },
		{ "1-2-3", "invalid port '1-2-3'" },
		{ "[1-100", "missing ']' in '[1-100'" },
		{ "[]", "empty range in '[]'" },
		{ "[5-1]", "range 5-1 is backwards" },
		{ "[0-3]", "port 0 out of range (1-65535)" },
		{ "U:[1-6]", "no ports selected" },
	};
	char	want[512];
	size_t	i;

	for (i = 0; i < nitems(cases); i++) {
		(void)snprintf(want, sizeof(want), "invalid port list '%s': %s",
		    cases[i].spec, cases[i].want);
		is_str(portlist_parse(&pl, cases[i].spec, BOTH, svc, err,
		    sizeof(err)) == -1 ? err : "(accepted)", want,
		    "reject '%s'", cases[i].spec);
	}
	is_str(portlist_parse(&pl, "22,ssh", BOTH, NULL, err,
	    sizeof(err)) == -1 ? err : "(accepted)",
	    "invalid port list '22,ssh': invalid port 'ssh'",
	    "no services table, no names");
	is_str(portlist_parse(&pl, "22\n", BOTH, svc, err,
	    sizeof(err)) == -1 ? err : "(accepted)",
	    "invalid port list '22\\x0a': invalid port '22\\x0a'",
	    "the input is escaped wherever it is quoted");
	ok(portlist_parse(&pl, "22,0", BOTH, svc, err, sizeof(err)) == -1 &&
	    portlist_count(&pl, TCP) == 0, "a failed parse leaves it empty");
}

static void
test_plain(void)
{
	/* Debian's portsentry.conf: TCP_PORTS and UDP_PORTS. */
	static const char	sentry[] = "1,11,15,79,111,119,143,540,635,"
	    "1080,1524,2000,5742,6667,12345,12346,20034,27665,31337,32771,"
	    "32772,32773,32774,40421,49724,54320";
	static const char	sentry_udp[] = "1,7,9,69,161,162,513,635,640,"
	    "641,700,37444,34555,31335,32770,32771,32772,32773,32774,31337,"
	    "54321";
	static const struct {
		const char	*spec, *want;
		int		 flags;
	} bad[] = {
		{ "1,2,", "trailing comma", 0 },
		{ "1,,2", "empty element", 0 },
		{ "", "empty", 0 },
		{ "0", "port 0 out of range (1-65535)", 0 },
		{ "70000", "port 70000 out of range (1-65535)", 0 },
		{ "1-5", "invalid port '1-5'", 0 },
		{ "5-1", "range 5-1 is backwards", PORTLIST_RANGES },
		{ "x", "invalid port 'x'", 0 },
		{ "ssh", "invalid port 'ssh'", PORTLIST_RANGES },
		{ "T:22", "invalid port 'T:22'", 0 },
	};
	char	want[512];
	size_t	i;

	portlist_clear(&pl);
	ok(portlist_parse_plain(&pl, TCP, sentry, 0, err, sizeof(err)) == 0,
	    "portsentry's default TCP_PORTS");
	is_str(set_text(&pl, TCP), "1,11,15,79,111,119,143,540,635,1080,"
	    "1524,2000,5742,6667,12345-12346,20034,27665,31337,32771-32774,"
	    "40421,49724,54320", "read as written");
	is_int(portlist_count(&pl, TCP), 26, "26 ports");
	ok(portlist_parse_plain(&pl, UDP, sentry_udp, 0, err,
	    sizeof(err)) == 0 && portlist_count(&pl, UDP) == 21 &&
	    portlist_has(&pl, UDP, 37444) && portlist_has(&pl, UDP, 700),
	    "portsentry's default UDP_PORTS, in its own order");
	portlist_clear(&pl);
	(void)portlist_parse_plain(&pl, TCP, sentry, 0, err, sizeof(err));
	ok(portlist_parse_plain(&pl, UDP, " 1 , 7,9\t", 0, err,
	    sizeof(err)) == 0 && strcmp(set_text(&pl, UDP), "1,7,9") == 0,
	    "blanks around elements");
	is_int(portlist_count(&pl, TCP), 26, "the tcp ports are still there");
	ok(portlist_parse_plain(&pl, UDP, "100-102,7", PORTLIST_RANGES, err,
	    sizeof(err)) == 0 && strcmp(set_text(&pl, UDP),
	    "1,7,9,100-102") == 0, "ranges when asked, added to the set");
	for (i = 0; i < nitems(bad); i++) {
		(void)snprintf(want, sizeof(want), "invalid port list '%s': %s",
		    bad[i].spec, bad[i].want);
		is_str(portlist_parse_plain(&pl, UDP, bad[i].spec,
		    bad[i].flags, err, sizeof(err)) == -1 ? err : "(accepted)",
		    want, "plain: reject '%s'", bad[i].spec);
	}
	is_str(set_text(&pl, UDP), "1,7,9,100-102",
	    "failed parses leave the set alone");
	is_str(portlist_parse_plain(&pl, 99, "1", 0, err,
	    sizeof(err)) == -1 ? err : "(accepted)",
	    "invalid port list '1': unknown protocol 99", "unknown protocol");
}

static void
test_set(void)
{
	char	small[8];
	size_t	need;
	int	port, n;

	portlist_clear(&pl);
	is_int(portlist_count(&pl, TCP), 0, "a clear list is empty");
	is_int(portlist_next(&pl, TCP, 0), -1, "and has no first port");
	is_str(set_text(&pl, TCP), "", "and formats as nothing");
	ok(portlist_add(&pl, TCP, 0) == 0 && portlist_has(&pl, TCP, 0),
	    "port 0 can be added by hand");
	ok(portlist_add(&pl, TCP, 65535) == 0 && portlist_has(&pl, TCP, 65535),
	    "so can 65535");
	ok(portlist_add(&pl, TCP, 65536) == -1 && portlist_add(&pl, TCP, -1)
	    == -1 && portlist_add(&pl, 99, 1) == -1 &&
	    portlist_add_range(&pl, TCP, 5, 1) == -1, "bad arguments refused");
	ok(!portlist_has(&pl, TCP, 65536) && !portlist_has(&pl, TCP, -1) &&
	    !portlist_has(&pl, 99, 0) && !portlist_has(&pl, UDP, 0),
	    "has() is false out of range and per protocol");
	(void)portlist_add_range(&pl, TCP, 60, 130);
	is_str(set_text(&pl, TCP), "0,60-130,65535", "ranges across words");
	is_int(portlist_count(&pl, TCP), 73, "count");
	is_int(portlist_next(&pl, TCP, 1), 60, "next from 1");
	is_int(portlist_next(&pl, TCP, -5), 0, "next from below 0");
	is_int(portlist_next(&pl, TCP, 131), 65535, "next skips words");
	is_int(portlist_next(&pl, TCP, 65536), -1, "next past the end");
	for (n = 0, port = portlist_next(&pl, TCP, 0); port != -1;
	    port = portlist_next(&pl, TCP, port + 1))
		n++;
	is_int(n, 73, "iteration visits count() ports");

	need = portlist_format(&pl, TCP, small, sizeof(small));
	ok(need == strlen("0,60-130,65535") && strcmp(small, "0,60-13") == 0,
	    "format reports the length it needs and truncates");
	ok(portlist_format(&pl, TCP, NULL, 0) == need, "even with no buffer");
	(void)portlist_add_range(&pl, UDP, 0, 65535);
	is_int(portlist_count(&pl, UDP), 65536, "all ports");
	is_int(portlist_count(&pl, 99), 0, "unknown protocol counts 0");
	is_str(set_text(&pl, UDP), "0-65535", "formats as one range");
}

int
main(void)
{
	struct services	*svc = services_builtin();

	test_nmap_syntax(svc);
	test_nmap_errors(svc);
	test_plain();
	test_set();
	services_free(svc);
	return tap_done();
}
