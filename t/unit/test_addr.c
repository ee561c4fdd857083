/*
 * test_addr.c: addresses, networks and target ranges.
 *
 * The expected range expansions were taken from nmap 7.93 with
 * "nmap -sL -n TARGET" (and "nmap -6 -sL -n TARGET" for IPv6), which lists
 * targets without sending anything.  When nmap is installed the test also
 * runs it the same way and compares, so a change in nmap shows up here.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "log.h"
#include "tap.h"

static char	err[512];

/* The error message, or "(accepted)" when rc says it parsed. */
static const char *
outcome(int rc)
{
	return rc == -1 ? err : "(accepted)";
}

static const char *
fmt(const struct addr *a)
{
	static char	buf[ADDR_STRLEN];

	return addr_format(a, buf, sizeof(buf));
}

static void
test_parse_ok(void)
{
	static const struct {
		const char	*in, *out;
	} cases[] = {
		{ "192.0.2.1", "192.0.2.1" },
		{ "0.0.0.0", "0.0.0.0" },
		{ "255.255.255.255", "255.255.255.255" },
		{ "10.0.0.100", "10.0.0.100" },
		{ "::", "::" },
		{ "::1", "::1" },
		{ "[::1]", "::1" },
		{ "2001:DB8::A", "2001:db8::a" },
		{ "2001:db8:0:0:0:0:0:1", "2001:db8::1" },
		{ "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1" },
		{ "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8" },
		{ "1::", "1::" },
		{ "::ffff:192.0.2.1", "::ffff:192.0.2.1" },
		{ "64:ff9b::192.0.2.1", "64:ff9b::c000:201" },
		{ "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304" },
		{ "fe80::1:2", "fe80::1:2" },
	};
	struct addr	a;
	size_t		i;

	for (i = 0; i < nitems(cases); i++) {
		if (addr_parse(&a, cases[i].in, err, sizeof(err)) == -1) {
			ok(0, "parse %s: %s", cases[i].in, err);
			continue;
		}
		is_str(fmt(&a), cases[i].out, "parse and format %s",
		    cases[i].in);
	}
	ok(addr_parse4(&a, "192.0.2.1", err, sizeof(err)) == 0 &&
	    a.family == AF_INET, "addr_parse4 takes IPv4");
	is_str(outcome(addr_parse4(&a, "::1", err, sizeof(err))),
	    "invalid IPv4 address '::1': unexpected character ':'",
	    "addr_parse4 refuses IPv6");
	ok(addr_parse6(&a, "[2001:db8::1]", err, sizeof(err)) == 0 &&
	    a.family == AF_INET6, "addr_parse6 takes brackets");
	is_str(outcome(addr_parse6(&a, "192.0.2.1", err, sizeof(err))),
	    "invalid IPv6 address '192.0.2.1': expected 8 groups, got 2",
	    "addr_parse6 refuses IPv4");
}

static void
test_parse_errors(void)
{
	static const struct {
		const char	*in, *want;
	} cases[] = {
		{ "300.1.1.1", "invalid IPv4 address '300.1.1.1': "
		    "octet 300 out of range (0-255)" },
		{ "1.2.3.256", "invalid IPv4 address '1.2.3.256': "
		    "octet 256 out of range (0-255)" },
		{ "1.2.3.99999999999999999999", "invalid IPv4 address "
		    "'1.2.3.99999999999999999999': octet 99999999999999999999 "
		    "out of range (0-255)" },
		{ "1.2.3", "invalid IPv4 address '1.2.3': "
		    "expected 4 octets, got 3" },
		{ "1.2.3.4.5", "invalid IPv4 address '1.2.3.4.5': "
		    "expected 4 octets, got 5" },
		{ "01.2.3.4", "invalid IPv4 address '01.2.3.4': "
		    "octet '01' has a leading zero" },
		{ "1.2.3.00", "invalid IPv4 address '1.2.3.00': "
		    "octet '00' has a leading zero" },
		{ "1..3.4", "invalid IPv4 address '1..3.4': octet 2 is empty" },
		{ "1.2.3.", "invalid IPv4 address '1.2.3.': octet 4 is empty" },
		{ "1.2.3.x", "invalid IPv4 address '1.2.3.x': "
		    "unexpected character 'x'" },
		{ " 1.2.3.4", "invalid IPv4 address ' 1.2.3.4': "
		    "unexpected character ' '" },
		{ "0x7f.0.0.1", "invalid IPv4 address '0x7f.0.0.1': "
		    "unexpected character 'x'" },
		{ "1.2.3.4/24", "invalid IPv4 address '1.2.3.4/24': "
		    "unexpected character '/'" },
		{ "", "invalid IPv4 address '': empty" },
		{ "host\n", "invalid IPv4 address 'host\\x0a': "
		    "unexpected character 'h'" },
		{ "1.2.3.4\t", "invalid IPv4 address '1.2.3.4\\x09': "
		    "unexpected character '\\x09'" },
		{ "2001:db8::g", "invalid IPv6 address '2001:db8::g': "
		    "unexpected character 'g'" },
		{ "1:2:3:4:5:6:7:8:9", "invalid IPv6 address "
		    "'1:2:3:4:5:6:7:8:9': more than 8 groups" },
		{ "1:2:3:4:5:6:7", "invalid IPv6 address '1:2:3:4:5:6:7': "
		    "expected 8 groups, got 7" },
		{ "1::2::3", "invalid IPv6 address '1::2::3': "
		    "'::' appears more than once" },
		{ "1::2:3:4:5:6:7:8", "invalid IPv6 address "
		    "'1::2:3:4:5:6:7:8': '::' must stand for at least one "
		    "group" },
		{ "12345::", "invalid IPv6 address '12345::': "
		    "group '12345' has more than 4 hex digits" },
		{ ":1::", "invalid IPv6 address ':1::': "
		    "starts with a single ':'" },
		{ "1::2:", "invalid IPv6 address '1::2:': "
		    "ends with a single ':'" },
		{ "1:::2", "invalid IPv6 address '1:::2': "
		    "unexpected character ':'" },
		{ "fe80::1%eth0", "invalid IPv6 address 'fe80::1%eth0': "
		    "zone index '%eth0' not supported" },
		{ "[::1", "invalid IPv6 address '[::1': missing ']'" },
		{ "::1]", "invalid IPv6 address '::1]': "
		    "unexpected character ']'" },
		{ "[]", "invalid IPv6 address '[]': empty" },
		{ "::ffff:1.2.3.300", "invalid IPv6 address "
		    "'::ffff:1.2.3.300': octet 300 out of range (0-255)" },
		{ "1:2:3:4:5:6:7:1.2.3.4", "invalid IPv6 address "
		    "'1:2:3:4:5:6:7:1.2.3.4': more than 8 groups" },
		{ "::1.2.3.4:1", "invalid IPv6 address '::1.2.3.4:1': "
		    "unexpected character ':'" },
	};
	struct addr	a;
	size_t		i;
	char		longin[300], name[128];

	for (i = 0; i < nitems(cases); i++) {
		(void)log_escape(name, sizeof(name), cases[i].in);
		is_str(outcome(addr_parse(&a, cases[i].in, err, sizeof(err))),
		    cases[i].want, "reject '%s'", name);
	}

	/* A long input is quoted in part, so the reason still shows. */
	memset(longin, 'x', sizeof(longin) - 1);
	memcpy(longin, "1.1.1.1", 7);
	longin[sizeof(longin) - 1] = '\0';
	(void)addr_parse(&a, longin, err, sizeof(err));
	ok(strstr(err, "xxx...': unexpected character 'x'") != NULL &&
	    strlen(err) < 200, "a long input is cut in the message");
	ok(addr_parse(&a, "x", NULL, 0) == -1, "err may be NULL");
	ok(addr_parse(&a, "1.2.3.4.5", err, 12) == -1 &&
	    strcmp(err, "invalid IPv") == 0, "a short err is truncated");
}

/* A small fixed PRNG, so a failure can be reproduced. */
static uint32_t
rnd(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

static void
random_text(uint32_t *st, char *buf, size_t len, const char *alphabet)
{
	size_t	n = rnd(st) % (len - 1), i, na = strlen(alphabet);

	for (i = 0; i < n; i++)
		buf[i] = alphabet[rnd(st) % na];
	buf[n] = '\0';
}

/* Fields of 0-4 digits, mostly four of them. */
static void
random_v4(uint32_t *st, char *buf, size_t len)
{
	int	fields = 3 + (int)(rnd(st) % 3), f, d, digits;

	buf[0] = '\0';
	for (f = 0; f < fields; f++) {
		if (f > 0)
			(void)strlcat(buf, ".", len);
		digits = (int)(rnd(st) % 5);
		for (d = 0; d < digits; d++) {
			char	c[2] = { (char)('0' + rnd(st) % 10), '\0' };

			if (d == 0 && rnd(st) % 3 == 0)
				c[0] = '2';
			(void)strlcat(buf, c, len);
		}
	}
}

/* Groups of 0-5 hex digits, with the odd "::" and IPv4 tail. */
static void
random_v6(uint32_t *st, char *buf, size_t len)
{
	static const char	hex[] = "0123456789abcdefABCDEF";
	int			groups = (int)(rnd(st) % 10), g, d, digits;

	buf[0] = '\0';
	for (g = 0; g < groups; g++) {
		if (g > 0)
			(void)strlcat(buf, rnd(st) % 8 == 0 ? "::" : ":", len);
		digits = (int)(rnd(st) % 6);
		for (d = 0; d < digits; d++) {
			char	c[2] = { hex[rnd(st) % 22], '\0' };

			(void)strlcat(buf, c, len);
		}
	}
	if (rnd(st) % 4 == 0) {
		char	v4[24];

		(void)snprintf(v4, sizeof(v4), "%s%u.%u.%u.%u",
		    rnd(st) % 2 ? ":" : "", rnd(st) % 300, rnd(st) % 256,
		    rnd(st) % 256, rnd(st) % 256);
		(void)strlcat(buf, v4, len);
	}
	if (rnd(st) % 5 == 0)
		(void)strlcat(buf, rnd(st) % 2 ? "::" : ":", len);
	if (rnd(st) % 5 == 0) {
		memmove(buf + 2, buf, strlen(buf) + 1 < len - 2 ?
		    strlen(buf) + 1 : len - 2);
		buf[len - 1] = '\0';
		memcpy(buf, rnd(st) % 2 ? "::" : ":0", 2);
	}
}

/*
 * The parsers must accept exactly what glibc's inet_pton(3) accepts, and
 * give the same bytes.
 */
static void
test_against_inet_pton(void)
{
	struct addr	a;
	unsigned char	want[16];
	char		buf[64];
	uint32_t	st = 12345;
	int		i, mine, libc, bad4 = 0, bad6 = 0, valid4 = 0,
			valid6 = 0;

	for (i = 0; i < 200000; i++) {
		if (i % 2)
			random_v4(&st, buf, sizeof(buf));
		else
			random_text(&st, buf, 20, "0123456789..");
		mine = addr_parse4(&a, buf, err, sizeof(err)) == 0;
		libc = inet_pton(AF_INET, buf, want) == 1;
		valid4 += libc;
		if (mine != libc || (mine && memcmp(a.bytes, want, 4) != 0)) {
			if (bad4++ < 5)
				tap_diag("IPv4 '%s': mine %d libc %d", buf,
				    mine, libc);
		}
		if (i % 2)
			random_v6(&st, buf, sizeof(buf));
		else
			random_text(&st, buf, 24, "0123456789abcdefA::::.");
		mine = addr_parse6(&a, buf, err, sizeof(err)) == 0;
		libc = inet_pton(AF_INET6, buf, want) == 1;
		valid6 += libc;
		if (mine != libc || (mine && memcmp(a.bytes, want, 16) != 0)) {
			if (bad6++ < 5)
				tap_diag("IPv6 '%s': mine %d libc %d", buf,
				    mine, libc);
		}
	}
	ok(bad4 == 0 && valid4 > 1000,
	    "IPv4: 200000 random strings as inet_pton (%d valid)", valid4);
	ok(bad6 == 0 && valid6 > 1000,
	    "IPv6: 200000 random strings as inet_pton (%d valid)", valid6);
}

static void
test_sockaddr(void)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_un	 sun;
	struct addr		 a, b;
	socklen_t		 len;
	uint16_t		 port = 0;
	char			 buf[ADDR_PORT_STRLEN];

	(void)addr_parse(&a, "192.0.2.7", err, sizeof(err));
	len = addr_to_sockaddr(&a, 8080, &ss);
	ok(len == sizeof(*sin) && sin->sin_family == AF_INET &&
	    ntohs(sin->sin_port) == 8080 &&
	    sin->sin_addr.s_addr == inet_addr("192.0.2.7"),
	    "IPv4 to sockaddr_in");
	ok(addr_from_sockaddr(&b, &port, (struct sockaddr *)&ss, len) == 0 &&
	    addr_cmp(&a, &b) == 0 && port == 8080, "and back");

	(void)addr_parse(&a, "2001:db8::7", err, sizeof(err));
	len = addr_to_sockaddr(&a, 53, &ss);
	ok(len == sizeof(*sin6) && sin6->sin6_family == AF_INET6 &&
	    ntohs(sin6->sin6_port) == 53 && sin6->sin6_addr.s6_addr[15] == 7 &&
	    sin6->sin6_scope_id == 0 && sin6->sin6_flowinfo == 0,
	    "IPv6 to sockaddr_in6");
	ok(addr_from_sockaddr(&b, &port, (struct sockaddr *)&ss, len) == 0 &&
	    addr_cmp(&a, &b) == 0 && port == 53, "and back");
	ok(addr_from_sockaddr(&b, NULL, (struct sockaddr *)&ss, len) == 0,
	    "the port may be left out");
	ok(addr_from_sockaddr(&b, &port, (struct sockaddr *)&ss,
	    sizeof(*sin)) == -1, "a short sockaddr_in6 is refused");
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	ok(addr_from_sockaddr(&b, &port, (struct sockaddr *)&sun,
	    sizeof(sun)) == -1, "AF_UNIX is refused");
	memset(&b, 0, sizeof(b));
	ok(addr_to_sockaddr(&b, 1, &ss) == 0, "no family, no sockaddr");

	is_str(fmt(&b), "?", "no family formats as ?");

	is_str(addr_format_port(&a, 53, buf, sizeof(buf)), "[2001:db8::7]:53",
	    "IPv6 with port in brackets");
	(void)addr_parse(&a, "192.0.2.7", err, sizeof(err));
	is_str(addr_format_port(&a, 65535, buf, sizeof(buf)),
	    "192.0.2.7:65535", "IPv4 with port");
	(void)addr_format(&a, buf, 6);
	is_str(buf, "192.0", "a short buffer truncates");
	is_int(addr_len(AF_INET), 4, "addr_len IPv4");
	is_int(addr_len(AF_INET6), 16, "addr_len IPv6");
	is_int(addr_len(AF_UNIX), 0, "addr_len other");

	(void)addr_parse(&a, "2001:db8::7", err, sizeof(err));
	(void)addr_to_sockaddr(&a, 53, &ss);
	addr_sockaddr_set_port(&ss, 113);
	ok(addr_sockaddr_port(&ss) == 113 && ntohs(sin6->sin6_port) == 113 &&
	    sin6->sin6_addr.s6_addr[15] == 7, "IPv6 port set and read back");
	(void)addr_parse(&a, "192.0.2.7", err, sizeof(err));
	(void)addr_to_sockaddr(&a, 8080, &ss);
	addr_sockaddr_set_port(&ss, 0);
	ok(addr_sockaddr_port(&ss) == 0 && ntohs(sin->sin_port) == 0 &&
	    sin->sin_addr.s_addr == inet_addr("192.0.2.7"),
	    "IPv4 port cleared, address kept");
	ss.ss_family = AF_UNIX;
	addr_sockaddr_set_port(&ss, 7);
	ok(addr_sockaddr_port(&ss) == 0, "AF_UNIX has no port");
}

static void
test_mapped_and_cmp(void)
{
	struct addr	v4, v6, m, u, x;

	(void)addr_parse(&v4, "192.0.2.1", err, sizeof(err));
	(void)addr_parse(&v6, "2001:db8::1", err, sizeof(err));
	addr_to_v4mapped(&m, &v4);
	is_str(fmt(&m), "::ffff:192.0.2.1", "IPv4 to mapped");
	ok(addr_is_v4mapped(&m) && !addr_is_v4mapped(&v4) &&
	    !addr_is_v4mapped(&v6), "addr_is_v4mapped");
	ok(addr_unmap(&u, &m) == 1 && addr_cmp(&u, &v4) == 0,
	    "mapped back to IPv4");
	ok(addr_unmap(&u, &v6) == 0 && addr_cmp(&u, &v6) == 0,
	    "unmap leaves other IPv6 alone");
	addr_to_v4mapped(&x, &v6);
	ok(addr_cmp(&x, &v6) == 0, "to_v4mapped leaves IPv6 alone");
	addr_to_v4mapped(&x, &x);
	ok(addr_cmp(&x, &v6) == 0, "in place");
	x = m;
	ok(addr_unmap(&x, &x) == 1 && addr_cmp(&x, &v4) == 0,
	    "unmap in place");

	ok(addr_cmp(&v4, &v6) < 0 && addr_cmp(&v6, &v4) > 0,
	    "IPv4 sorts before IPv6");
	(void)addr_parse(&x, "192.0.2.10", err, sizeof(err));
	ok(addr_cmp(&v4, &x) < 0 && addr_cmp(&x, &v4) > 0 &&
	    addr_cmp(&x, &x) == 0, "numeric order, not text order");
}

static void
test_cidr(void)
{
	static const struct {
		const char	*in, *out;
		int		 hostbits;
	} good[] = {
		{ "192.0.2.0/24", "192.0.2.0/24", 0 },
		{ "192.0.2.77/24", "192.0.2.0/24", 1 },
		{ "192.0.2.1", "192.0.2.1/32", 0 },
		{ "0.0.0.0/0", "0.0.0.0/0", 0 },
		{ "10.1.2.3/255.0.0.0", "10.0.0.0/8", 1 },
		{ "10.0.0.0/255.255.255.255", "10.0.0.0/32", 0 },
		{ "10.0.0.0/0.0.0.0", "0.0.0.0/0", 1 },
		{ "192.0.2.0/030", "192.0.2.0/30", 0 },
		{ "2001:db8::/32", "2001:db8::/32", 0 },
		{ "[2001:db8::1]/64", "2001:db8::/64", 1 },
		{ "2001:db8::1/127", "2001:db8::/127", 1 },
		{ "::1", "::1/128", 0 },
		{ "::/0", "::/0", 0 },
	};
	static const struct {
		const char	*in, *want;
	} bad[] = {
		{ "1.2.3.4/33", "invalid network '1.2.3.4/33': "
		    "prefix length 33 out of range (0-32)" },
		{ "2001:db8::/129", "invalid network '2001:db8::/129': "
		    "prefix length 129 out of range (0-128)" },
		{ "1.2.3.4/99999999999", "invalid network "
		    "'1.2.3.4/99999999999': prefix length 99999999999 out of "
		    "range (0-32)" },
		{ "1.2.3.4/", "invalid network '1.2.3.4/': "
		    "missing prefix length" },
		{ "/24", "invalid network '/24': missing address before '/'" },
		{ "1.2.3.4/8x", "invalid network '1.2.3.4/8x': "
		    "invalid prefix length '8x'" },
		{ "1.2.3.4/-1", "invalid network '1.2.3.4/-1': "
		    "invalid prefix length '-1'" },
		{ "1.2.3.4/24/1", "invalid network '1.2.3.4/24/1': "
		    "invalid prefix length '24/1'" },
		{ "10.0.0.0/255.0.255.0", "invalid network "
		    "'10.0.0.0/255.0.255.0': netmask 255.0.255.0 is not "
		    "contiguous" },
		{ "10.0.0.0/255.0.0.300", "invalid network "
		    "'10.0.0.0/255.0.0.300': netmask '255.0.0.300': "
		    "octet 300 out of range (0-255)" },
		{ "2001:db8::/ffff::", "invalid network '2001:db8::/ffff::': "
		    "invalid prefix length 'ffff::'" },
		{ "300.1.1.1/8", "invalid network '300.1.1.1/8': "
		    "octet 300 out of range (0-255)" },
		{ "[2001:db8::1/64]", "invalid network '[2001:db8::1/64]': "
		    "missing ']'" },
	};
	struct addr_cidr	c;
	char			buf[ADDR_CIDR_STRLEN];
	size_t			i;
	int			hb;

	for (i = 0; i < nitems(good); i++) {
		hb = -1;
		if (addr_cidr_parse(&c, good[i].in, &hb, err,
		    sizeof(err)) == -1) {
			ok(0, "network %s: %s", good[i].in, err);
			continue;
		}
		is_str(addr_cidr_format(&c, buf, sizeof(buf)), good[i].out,
		    "network %s", good[i].in);
		is_int(hb, good[i].hostbits, "host bits set in %s",
		    good[i].in);
	}
	ok(addr_cidr_parse(&c, "192.0.2.1/24", NULL, err, sizeof(err)) == 0,
	    "the host-bits flag may be NULL");
	for (i = 0; i < nitems(bad); i++)
		is_str(outcome(addr_cidr_parse(&c, bad[i].in, &hb, err,
		    sizeof(err))), bad[i].want, "reject network '%s'",
		    bad[i].in);
}

static int
member(const char *a, const char *net)
{
	struct addr		ad;
	struct addr_cidr	c;

	if (addr_parse(&ad, a, err, sizeof(err)) == -1 ||
	    addr_cidr_parse(&c, net, NULL, err, sizeof(err)) == -1) {
		tap_diag("%s", err);
		return -1;
	}
	return addr_in_cidr(&ad, &c);
}

static void
test_membership(void)
{
	static const struct {
		const char	*addr, *net;
		int		 in;
	} cases[] = {
		{ "192.0.2.1", "192.0.2.0/24", 1 },
		{ "192.0.2.255", "192.0.2.0/24", 1 },
		{ "192.0.3.0", "192.0.2.0/24", 0 },
		{ "192.0.2.1", "192.0.2.1", 1 },
		{ "192.0.2.2", "192.0.2.1", 0 },
		{ "198.51.100.9", "0.0.0.0/0", 1 },
		{ "192.0.2.130", "192.0.2.128/25", 1 },
		{ "192.0.2.127", "192.0.2.128/25", 0 },
		{ "192.0.2.5", "192.0.2.4/255.255.255.252", 1 },
		{ "192.0.2.8", "192.0.2.4/255.255.255.252", 0 },
		{ "2001:db8::1", "2001:db8::/32", 1 },
		{ "2001:db9::1", "2001:db8::/32", 0 },
		{ "2001:db8::1", "::/0", 1 },
		{ "2001:db8::3", "2001:db8::2/127", 1 },
		{ "2001:db8::4", "2001:db8::2/127", 0 },
		/* A v4-mapped peer matches its IPv4 network and back. */
		{ "::ffff:192.0.2.1", "192.0.2.0/24", 1 },
		{ "::ffff:192.0.3.1", "192.0.2.0/24", 0 },
		{ "192.0.2.1", "::ffff:192.0.2.0/120", 1 },
		{ "192.0.2.1", "::ffff:0:0/96", 1 },
		{ "192.0.2.1", "::/0", 1 },
		{ "192.0.2.1", "2001:db8::/32", 0 },
		/* Other IPv6 is never in an IPv4 network. */
		{ "2001:db8::1", "0.0.0.0/0", 0 },
		{ "::1", "0.0.0.0/0", 0 },
		{ "::192.0.2.1", "192.0.2.0/24", 0 },
	};
	size_t	i;

	for (i = 0; i < nitems(cases); i++)
		is_int(member(cases[i].addr, cases[i].net), cases[i].in,
		    "%s %s %s", cases[i].addr, cases[i].in ? "in" : "not in",
		    cases[i].net);
}

/* The addresses of a range, space-separated. */
static const char *
expand(const char *spec)
{
	static char		out[4096];
	struct addr_range	rg;
	struct addr_range_iter	it;
	struct addr		a;

	if (addr_range_parse(&rg, spec, ADDR_RANGE_NOLIMIT, err,
	    sizeof(err)) == -1)
		return err;
	out[0] = '\0';
	addr_range_start(&rg, &it);
	while (addr_range_next(&it, &a)) {
		if (out[0] != '\0')
			(void)strlcat(out, " ", sizeof(out));
		(void)strlcat(out, fmt(&a), sizeof(out));
	}
	return out;
}

/* What "nmap -sL -n" lists for a target, space-separated, or NULL. */
static const char *
nmap_list(const char *spec)
{
	static const char	 prefix[] = "Nmap scan report for ";
	static char		 out[4096];
	char			 cmd[512], line[256];
	FILE			*fp;

	(void)snprintf(cmd, sizeof(cmd), "nmap %s -sL -n '%s' 2>/dev/null",
	    strchr(spec, ':') != NULL ? "-6" : "", spec);
	if ((fp = popen(cmd, "r")) == NULL)
		return NULL;
	out[0] = '\0';
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strncmp(line, prefix, sizeof(prefix) - 1) != 0)
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (out[0] != '\0')
			(void)strlcat(out, " ", sizeof(out));
		(void)strlcat(out, line + sizeof(prefix) - 1, sizeof(out));
	}
	(void)pclose(fp);
	return out;
}

/* nmap from PATH, when installed. */
static int
have_nmap(void)
{
	return system("nmap -V >/dev/null 2>&1") == 0;
}

static void
test_ranges(void)
{
	/* From nmap 7.93, "nmap [-6] -sL -n TARGET". */
	static const struct {
		const char	*spec, *list;
	} cases[] = {
		{ "192.0.2.1-5",
		    "192.0.2.1 192.0.2.2 192.0.2.3 192.0.2.4 192.0.2.5" },
		{ "192.0.2.1,3,5-7",
		    "192.0.2.1 192.0.2.3 192.0.2.5 192.0.2.6 192.0.2.7" },
		{ "192.0.0-2.254-255", "192.0.0.254 192.0.0.255 192.0.1.254 "
		    "192.0.1.255 192.0.2.254 192.0.2.255" },
		{ "192.0.2.0/30", "192.0.2.0 192.0.2.1 192.0.2.2 192.0.2.3" },
		{ "192.0.2.3,1", "192.0.2.1 192.0.2.3" },
		{ "192.0.2.1-3,2", "192.0.2.1 192.0.2.2 192.0.2.3" },
		{ "192.0.2.250-", "192.0.2.250 192.0.2.251 192.0.2.252 "
		    "192.0.2.253 192.0.2.254 192.0.2.255" },
		{ "192.0.2.-2", "192.0.2.0 192.0.2.1 192.0.2.2" },
		{ "255.255.255.252/30", "255.255.255.252 255.255.255.253 "
		    "255.255.255.254 255.255.255.255" },
		{ "192.0.2.9/31", "192.0.2.8 192.0.2.9" },
		{ "192.0.2.7/32", "192.0.2.7" },
		{ "192.0.2.7", "192.0.2.7" },
		{ "198.51.100-101.0", "198.51.100.0 198.51.101.0" },
		{ "203.0.113-114.1,2",
		    "203.0.113.1 203.0.113.2 203.0.114.1 203.0.114.2" },
		{ "2001:db8::/126",
		    "2001:db8:: 2001:db8::1 2001:db8::2 2001:db8::3" },
		{ "2001:db8::ffff:ffff:ffff:fffe/127",
		    "2001:db8::ffff:ffff:ffff:fffe "
		    "2001:db8::ffff:ffff:ffff:ffff" },
		{ "::/126", ":: ::1 ::2 ::3" },
		{ "2001:db8::5/128", "2001:db8::5" },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc/126",
		    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc "
		    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffd "
		    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe "
		    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
		{ "::ffff:192.0.2.1/127", "::ffff:192.0.2.0 ::ffff:192.0.2.1" },
	};
	size_t	i;
	int	nmap = have_nmap();

	for (i = 0; i < nitems(cases); i++) {
		is_str(expand(cases[i].spec), cases[i].list, "expand %s",
		    cases[i].spec);
		if (!nmap) {
			tap_skip("nmap not installed: %s", cases[i].spec);
			continue;
		}
		is_str(nmap_list(cases[i].spec), cases[i].list,
		    "nmap agrees on %s", cases[i].spec);
	}
}

static void
test_range_errors(void)
{
	static const struct {
		const char	*in, *want;
	} cases[] = {
		{ "1.2.3.4/33", "invalid target '1.2.3.4/33': "
		    "prefix length 33 out of range (0-32)" },
		{ "1.2.3.300-400", "invalid target '1.2.3.300-400': "
		    "octet 300 out of range (0-255)" },
		{ "1.2.3.10-400", "invalid target '1.2.3.10-400': "
		    "octet 400 out of range (0-255)" },
		{ "192.0.2.5-1", "invalid target '192.0.2.5-1': "
		    "range 5-1 is backwards" },
		{ "192.0.2.1,,3", "invalid target '192.0.2.1,,3': "
		    "empty element in octet 4 ('1,,3')" },
		{ "192.0.2.1,", "invalid target '192.0.2.1,': "
		    "empty element in octet 4 ('1,')" },
		{ "192.0.,2.1", "invalid target '192.0.,2.1': "
		    "empty element in octet 3 (',2')" },
		{ "192..2.1", "invalid target '192..2.1': octet 2 is empty" },
		{ "192.0.2.", "invalid target '192.0.2.': octet 4 is empty" },
		{ "192.0.2", "invalid target '192.0.2': "
		    "expected 4 octets, got 3" },
		{ "192.0.2.1.5", "invalid target '192.0.2.1.5': "
		    "expected 4 octets, got 5" },
		{ "192.0.2.1-2-3", "invalid target '192.0.2.1-2-3': "
		    "unexpected character '-'" },
		{ "192.0.2.1,*", "invalid target '192.0.2.1,*': "
		    "unexpected character '*'" },
		{ "192.0.2.01", "invalid target '192.0.2.01': "
		    "octet '01' has a leading zero" },
		{ "192.0.2.1-20/30", "invalid target '192.0.2.1-20/30': "
		    "octet ranges cannot be combined with a prefix length" },
		{ "192.0.*.1/24", "invalid target '192.0.*.1/24': "
		    "octet ranges cannot be combined with a prefix length" },
		{ "1.2.3.4/", "invalid target '1.2.3.4/': "
		    "missing prefix length" },
		{ "2001:db8::1-2", "invalid target '2001:db8::1-2': "
		    "unexpected character '-'" },
		{ "2001:db8::/129", "invalid target '2001:db8::/129': "
		    "prefix length 129 out of range (0-128)" },
		{ "example.org", "invalid target 'example.org': "
		    "unexpected character 'e'" },
		{ "", "invalid target '': empty" },
	};
	struct addr_range	rg;
	size_t			i;

	for (i = 0; i < nitems(cases); i++)
		is_str(outcome(addr_range_parse(&rg, cases[i].in,
		    ADDR_RANGE_NOLIMIT, err, sizeof(err))), cases[i].want,
		    "reject target '%s'", cases[i].in);
}

static void
test_range_count(void)
{
	static const struct {
		const char	*spec;
		uint64_t	 count;
	} cases[] = {
		{ "192.0.2.1", 1 },
		{ "192.0.2.0/24", 256 },
		{ "192.0.2.*", 256 },
		{ "192.0.0-2.254-255", 6 },
		{ "10.0.0.0/8", 16777216 },
		{ "0.0.0.0/0", 4294967296ULL },
		{ "*.*.*.*", 4294967296ULL },
		{ "2001:db8::/126", 4 },
		{ "2001:db8::/65", 9223372036854775808ULL },
		{ "2001:db8::/64", UINT64_MAX },
		{ "::/0", UINT64_MAX },
	};
	struct addr_range	rg;
	size_t			i;

	for (i = 0; i < nitems(cases); i++) {
		if (addr_range_parse(&rg, cases[i].spec, ADDR_RANGE_NOLIMIT,
		    err, sizeof(err)) == -1) {
			ok(0, "%s", err);
			continue;
		}
		ok(addr_range_count(&rg) == cases[i].count, "count %s",
		    cases[i].spec);
	}
	ok(addr_range_parse(&rg, "10.0.0.0/8", 1 << 24, err,
	    sizeof(err)) == 0, "a range at the limit is taken");
	is_str(outcome(addr_range_parse(&rg, "10.0.0.0/7", 1 << 24, err,
	    sizeof(err))), "invalid target '10.0.0.0/7': 33554432 addresses, "
	    "more than the limit of 16777216", "a range over the limit");
	is_str(outcome(addr_range_parse(&rg, "2001:db8::/32", 1 << 24, err,
	    sizeof(err))), "invalid target '2001:db8::/32': 2^96 addresses, "
	    "more than the limit of 16777216", "an IPv6 range far over");
	is_str(outcome(addr_range_parse(&rg, "2001:db8::/103", 1 << 24, err,
	    sizeof(err))), "invalid target '2001:db8::/103': 33554432 "
	    "addresses, more than the limit of 16777216",
	    "an IPv6 range just over");
	ok(addr_range_count(&rg) == 0, "a failed parse leaves no range");
}

static void
test_range_iter_edges(void)
{
	struct addr_range	rg;
	struct addr_range_iter	it;
	struct addr		a;
	uint64_t		n = 0;
	int			more;

	(void)addr_range_parse(&rg, "192.*.0-1.*", 0, err, sizeof(err));
	addr_range_start(&rg, &it);
	while (addr_range_next(&it, &a))
		n++;
	ok(n == addr_range_count(&rg) && n == 131072,
	    "iteration visits count() addresses");
	ok(addr_range_next(&it, &a) == 0, "and stays at the end");

	/* ::/0 must step without wrapping back to ::. */
	(void)addr_range_parse(&rg, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	    0, err, sizeof(err));
	addr_range_start(&rg, &it);
	more = addr_range_next(&it, &a);
	ok(more && addr_range_next(&it, &a) == 0,
	    "the last IPv6 address ends its range");
	(void)addr_range_parse(&rg, "::/0", 0, err, sizeof(err));
	addr_range_start(&rg, &it);
	(void)addr_range_next(&it, &a);
	(void)addr_range_next(&it, &a);
	is_str(fmt(&a), "::1", "::/0 starts at ::");
	(void)addr_range_parse(&rg, "255.255.255.255/32", 0, err, sizeof(err));
	addr_range_start(&rg, &it);
	ok(addr_range_next(&it, &a) && addr_range_next(&it, &a) == 0,
	    "the last IPv4 address ends its range");
}

static void
test_range_contains(void)
{
	struct addr_range	rg;
	struct addr		a;

	(void)addr_range_parse(&rg, "192.0.1-2.5-6", 0, err, sizeof(err));
	(void)addr_parse(&a, "192.0.2.6", err, sizeof(err));
	ok(addr_range_contains(&rg, &a), "192.0.2.6 in 192.0.1-2.5-6");
	(void)addr_parse(&a, "192.0.3.6", err, sizeof(err));
	ok(!addr_range_contains(&rg, &a), "192.0.3.6 not in it");
	(void)addr_parse(&a, "::ffff:192.0.1.5", err, sizeof(err));
	ok(addr_range_contains(&rg, &a), "nor is a mapped peer left out");
	(void)addr_parse(&a, "2001:db8::1", err, sizeof(err));
	ok(!addr_range_contains(&rg, &a), "IPv6 is not in an IPv4 range");
	(void)addr_range_parse(&rg, "2001:db8::/126", 0, err, sizeof(err));
	ok(addr_range_contains(&rg, &a), "2001:db8::1 in 2001:db8::/126");
	(void)addr_parse(&a, "2001:db8::4", err, sizeof(err));
	ok(!addr_range_contains(&rg, &a), "2001:db8::4 not in it");

	ok(addr_range_is_literal("192.0.2.1") &&
	    addr_range_is_literal("300.1.1.1") &&
	    addr_range_is_literal("192.0.2.1-5,7") &&
	    addr_range_is_literal("10.0.0.*/8") &&
	    addr_range_is_literal("::1") &&
	    addr_range_is_literal("[::1]"), "literal targets");
	ok(!addr_range_is_literal("example.org") &&
	    !addr_range_is_literal("host-1") &&
	    !addr_range_is_literal("1-2") &&
	    !addr_range_is_literal("a.1.2.3"), "host names are not literal");
}

int
main(void)
{
	test_parse_ok();
	test_parse_errors();
	test_against_inet_pton();
	test_sockaddr();
	test_mapped_and_cmp();
	test_cidr();
	test_membership();
	test_ranges();
	test_range_errors();
	test_range_count();
	test_range_iter_edges();
	test_range_contains();
	return tap_done();
}
