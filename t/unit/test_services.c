/*
 * test_services.c: service names from a fixture, from the system's
 * /etc/services (checked against getservbyport(3) and getservbyname(3))
 * and from the built-in table.
 */
#include "config.h"

#include <sys/types.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "services.h"
#include "tap.h"

#define TCP	IPPROTO_TCP
#define UDP	IPPROTO_UDP
#define SCTP	IPPROTO_SCTP

static const char *
nz(const char *s)
{
	return s != NULL ? s : "(none)";
}

static void
test_fixture(void)
{
	static const struct {
		int		 port, proto;
		const char	*name;
	} names[] = {
		{ 1, TCP, "tcpmux" },
		{ 7, TCP, "echo" },
		{ 7, UDP, "echo" },
		{ 9, TCP, "discard" },
		{ 9, UDP, NULL },
		{ 22, TCP, "ssh" },
		{ 22, UDP, NULL },
		{ 80, TCP, "http" },		/* not the later alt-http */
		{ 8000, TCP, "www" },
		{ 514, TCP, "shell" },
		{ 514, UDP, "syslog" },
		{ 5672, SCTP, "amqp" },
		{ 5672, TCP, NULL },
		{ 25, TCP, "smtp" },		/* the bad 25 lines are gone */
		{ 4, TCP, NULL },		/* ddp */
		{ 65535, UDP, "high" },
		{ 0, TCP, "zero" },
		{ 26, TCP, "leading" },
		{ 27, TCP, "sixdigits" },
		{ 4464, TCP, NULL },		/* 70000 does not wrap */
		{ 123, UDP, "spaced" },
		{ 124, UDP, "hashed" },
		{ 125, UDP, "many" },
		{ 70000, TCP, NULL },
		{ -1, TCP, NULL },
		{ 22, 99, NULL },
	};
	static const struct {
		const char	*name;
		int		 proto, port;
	} ports[] = {
		{ "ssh", TCP, 22 },
		{ "ssh", UDP, -1 },
		{ "www", TCP, 80 },		/* alias of the first line */
		{ "webalt", TCP, 80 },
		{ "alt-http", TCP, 80 },
		{ "sink", TCP, 9 },
		{ "null", TCP, 9 },
		{ "syslog", TCP, 514 },		/* alias on the tcp line */
		{ "syslog", UDP, 514 },
		{ "cmd", UDP, -1 },
		{ "mail", TCP, 25 },
		{ "ntpd", UDP, 123 },
		{ "alias3", UDP, 125 },
		{ "comment", UDP, -1 },
		{ "glued", UDP, -1 },
		{ "amqp", SCTP, 5672 },
		{ "justaname", TCP, -1 },
		{ "toobig", TCP, -1 },
		{ "upper", TCP, -1 },
		{ "badproto", TCP, -1 },
		{ "SSH", TCP, -1 },
		{ "", TCP, -1 },
	};
	struct services	*svc;
	const char	*top = getenv("TOP_SRCDIR"), *name;
	char		 path[1024], err[256];
	size_t		 i;
	int		 port, n;

	if (top == NULL) {
		tap_skip("TOP_SRCDIR not set: no fixture");
		return;
	}
	(void)snprintf(path, sizeof(path), "%s/t/data/services-sample", top);
	svc = services_load(path, err, sizeof(err));
	if (!ok(svc != NULL, "load the fixture")) {
		tap_diag("%s", err);
		return;
	}
	ok(!services_is_builtin(svc), "a loaded file is not the built-in");
	for (i = 0; i < nitems(names); i++)
		is_str(nz(services_name(svc, names[i].port, names[i].proto)),
		    nz(names[i].name), "name of %d/%s", names[i].port,
		    services_proto_name(names[i].proto));
	for (i = 0; i < nitems(ports); i++)
		is_int(services_port(svc, ports[i].name, ports[i].proto),
		    ports[i].port, "port of '%s'/%s", ports[i].name,
		    services_proto_name(ports[i].proto));

	for (n = 0; services_entry(svc, UDP, (size_t)n, &name, &port); n++)
		;
	/* echo domain syslog high spaced ntpd hashed many alias1-3 */
	is_int(n, 11, "every udp name and alias, once per line");
	ok(services_entry(svc, UDP, 0, &name, &port) &&
	    strcmp(name, "alias1") == 0 && port == 125,
	    "entries come in name order");
	ok(!services_entry(svc, 99, 0, &name, &port),
	    "no entries for an unknown protocol");
	services_free(svc);
}

static void
test_load_errors(void)
{
	struct services	*svc;
	char		 err[256], path[1024];
	const char	*tmp = getenv("TMPDIR");
	int		 fd;
	static const char	nul[] = "ssh\t22/tcp\n"
	    "bad\0line 23/tcp\ntelnet\t23/tcp\n";

	svc = services_load("/nonexistent/services", err, sizeof(err));
	ok(svc == NULL, "a missing file does not load");
	is_str(err, "/nonexistent/services: No such file or directory",
	    "and says why");
	svc = services_open("/nonexistent/services");
	ok(svc != NULL && services_is_builtin(svc),
	    "services_open falls back to the built-in table");
	is_str(nz(services_name(svc, 22, TCP)), "ssh", "which names 22/tcp");
	services_free(svc);
	services_free(NULL);

	(void)snprintf(path, sizeof(path), "%s/test_services.XXXXXX",
	    tmp != NULL ? tmp : P_tmpdir);
	if ((fd = mkstemp(path)) == -1) {
		tap_skip("mkstemp: %s", strerror(errno));
		return;
	}
	(void)write(fd, nul, sizeof(nul) - 1);
	(void)close(fd);
	svc = services_load(path, err, sizeof(err));
	ok(svc != NULL && strcmp(nz(services_name(svc, 22, TCP)), "ssh") == 0
	    && strcmp(nz(services_name(svc, 23, TCP)), "telnet") == 0,
	    "a NUL byte only spoils its own line");
	services_free(svc);
	fd = open(path, O_WRONLY | O_TRUNC);
	(void)close(fd);
	svc = services_load(path, err, sizeof(err));
	ok(svc != NULL && services_name(svc, 22, TCP) == NULL &&
	    !services_is_builtin(svc), "an empty file is an empty table");
	services_free(svc);
	(void)unlink(path);
}

static void
test_builtin(void)
{
	static const struct {
		int		 port, proto;
		const char	*name;
	} common[] = {
		{ 7, TCP, "echo" }, { 9, TCP, "discard" },
		{ 13, TCP, "daytime" }, { 19, TCP, "chargen" },
		{ 20, TCP, "ftp-data" }, { 21, TCP, "ftp" },
		{ 22, TCP, "ssh" }, { 23, TCP, "telnet" },
		{ 25, TCP, "smtp" }, { 37, TCP, "time" },
		{ 53, TCP, "domain" }, { 53, UDP, "domain" },
		{ 67, UDP, "bootps" }, { 68, UDP, "bootpc" },
		{ 69, UDP, "tftp" }, { 80, TCP, "http" },
		{ 88, TCP, "kerberos" }, { 110, TCP, "pop3" },
		{ 111, TCP, "sunrpc" }, { 111, UDP, "sunrpc" },
		{ 113, TCP, "auth" }, { 119, TCP, "nntp" },
		{ 123, UDP, "ntp" }, { 137, UDP, "netbios-ns" },
		{ 138, UDP, "netbios-dgm" }, { 139, TCP, "netbios-ssn" },
		{ 143, TCP, "imap2" }, { 161, UDP, "snmp" },
		{ 389, TCP, "ldap" }, { 443, TCP, "https" },
		{ 445, TCP, "microsoft-ds" }, { 514, UDP, "syslog" },
		{ 514, TCP, "shell" }, { 587, TCP, "submission" },
		{ 631, TCP, "ipp" }, { 873, TCP, "rsync" },
		{ 993, TCP, "imaps" }, { 995, TCP, "pop3s" },
		{ 1080, TCP, "socks" }, { 1524, TCP, "ingreslock" },
		{ 2049, TCP, "nfs" }, { 3306, TCP, "mysql" },
		{ 3389, TCP, "ms-wbt-server" }, { 5432, TCP, "postgresql" },
		{ 6000, TCP, "x11" }, { 6667, TCP, "ircd" },
		{ 8080, TCP, "http-alt" },
	};
	struct services	*svc = services_builtin();
	size_t		 i;

	ok(services_is_builtin(svc), "services_builtin is built-in");
	for (i = 0; i < nitems(common); i++)
		is_str(nz(services_name(svc, common[i].port, common[i].proto)),
		    common[i].name, "built-in name of %d/%s", common[i].port,
		    services_proto_name(common[i].proto));
	is_int(services_port(svc, "www", TCP), 80, "built-in alias www");
	is_int(services_port(svc, "postgres", TCP), 5432,
	    "built-in alias postgres");
	services_free(svc);
}

/*
 * Every name and port of a table answers as the C library does; a table
 * built from the system's own file must also name nothing more.
 */
static void
compare_with_libc(const struct services *svc, const char *what, int whole)
{
	static const int	 protos[] = { TCP, UDP, SCTP };
	struct servent		*se;
	const char		*name, *mine;
	size_t			 i;
	int			 p, port, bad = 0, checked = 0, named = 0;

	for (p = 0; p < (int)nitems(protos); p++) {
		const char	*pn = services_proto_name(protos[p]);

		for (i = 0; services_entry(svc, protos[p], i, &name, &port);
		    i++) {
			checked++;
			se = getservbyname(name, pn);
			if (se == NULL || ntohs((uint16_t)se->s_port) !=
			    services_port(svc, name, protos[p])) {
				if (bad++ < 5)
					tap_diag("%s: name %s/%s", what, name,
					    pn);
			}
			se = getservbyport(htons((uint16_t)port), pn);
			mine = services_name(svc, port, protos[p]);
			if (se == NULL || mine == NULL ||
			    strcmp(se->s_name, mine) != 0) {
				if (bad++ < 5)
					tap_diag("%s: port %d/%s: libc %s, "
					    "mine %s", what, port, pn,
					    se ? se->s_name : "none", nz(mine));
			}
		}
	}
	ok(bad == 0 && checked > 100, "%s: %d names as getservbyname and "
	    "getservbyport", what, checked);
	if (!whole)
		return;
	/* Ports the file does not name have no name here either. */
	setservent(1);
	while ((se = getservent()) != NULL) {
		p = services_proto(se->s_proto);
		if (p != -1 && services_name(svc, ntohs((uint16_t)se->s_port),
		    p) != NULL)
			named++;
	}
	endservent();
	for (p = 0, checked = 0; p < (int)nitems(protos); p++)
		for (port = 0; port < 65536; port++)
			checked += services_name(svc, port, protos[p]) != NULL;
	ok(named > 0 && checked <= named, "%s: %d named ports, all from "
	    "getservent", what, checked);
}

static void
test_system(void)
{
	struct services	*svc, *bi;
	struct servent	*se;
	char		 err[256];

	se = getservbyname("ssh", "tcp");
	svc = services_load(NULL, err, sizeof(err));
	if (se == NULL || svc == NULL) {
		tap_skip("no system services database");
		tap_skip("no system services database");
		tap_skip("no system services database");
		services_free(svc);
		return;
	}
	compare_with_libc(svc, "/etc/services", 1);
	bi = services_builtin();
	compare_with_libc(bi, "built-in table", 0);
	services_free(bi);
	services_free(svc);
}

static void
test_proto(void)
{
	is_int(services_proto("tcp"), IPPROTO_TCP, "tcp");
	is_int(services_proto("udp"), IPPROTO_UDP, "udp");
	is_int(services_proto("sctp"), IPPROTO_SCTP, "sctp");
	is_int(services_proto("ddp"), -1, "ddp is not one");
	is_int(services_proto("TCP"), -1, "names are lower case");
	is_str(services_proto_name(IPPROTO_UDP), "udp", "udp by number");
	is_str(services_proto_name(99), "?", "unknown number");
}

int
main(void)
{
	test_fixture();
	test_load_errors();
	test_builtin();
	test_system();
	test_proto();
	return tap_done();
}
