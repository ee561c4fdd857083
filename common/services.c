/*
 * services.c: service name <-> port lookup, parsed once into sorted
 * tables.
 *
 * The whole file is read into memory and the names are cut out of it in
 * place, so a table is two allocations of entries and one of text.  A
 * lookup is a binary search.  Lines that do not parse (no port, a
 * protocol other than tcp, udp or sctp, such as Debian's ddp lines) are
 * skipped, as the C library skips them; so are ports above 65535, which
 * the C library would wrap around, and a NUL byte ends only its own line.
 */
#include "config.h"

#include <sys/types.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "services.h"
#include "xmalloc.h"

#ifndef _PATH_SERVICES
#define _PATH_SERVICES	"/etc/services"
#endif

/* A services file larger than this is not one. */
#define SERVICES_MAX	(4 * 1024 * 1024)

#define NPROTO	3

struct svc_ent {
	const char	*name;
	uint32_t	 seq;		/* order of appearance in the file */
	uint16_t	 port;
	uint8_t		 proto;		/* index into proto_table */
	uint8_t		 primary;	/* the first name on its line */
};

struct services {
	char		*text;
	struct svc_ent	*byport;	/* one per (proto, port), sorted */
	size_t		 nbyport;
	struct svc_ent	*byname;	/* every name and alias, sorted */
	size_t		 nbyname;
	size_t		 nameslice[NPROTO + 1];
	int		 builtin;
};

static const struct {
	int		 ipproto;
	const char	*name;
} proto_table[NPROTO] = {
	{ IPPROTO_TCP,	"tcp" },
	{ IPPROTO_UDP,	"udp" },
	{ IPPROTO_SCTP,	"sctp" },
};

/*
 * The built-in table: the lines of Debian 12's /etc/services (netbase 6.4)
 * for every port below 1024 and for the common higher ones, in the file's
 * order, so that lookups give what getservbyport(3) gives there.
 */
static const char services_builtin_text[] =
	"tcpmux 1/tcp\n"
	"echo 7/tcp\n"
	"echo 7/udp\n"
	"discard 9/tcp sink null\n"
	"discard 9/udp sink null\n"
	"systat 11/tcp users\n"
	"daytime 13/tcp\n"
	"daytime 13/udp\n"
	"netstat 15/tcp\n"
	"qotd 17/tcp quote\n"
	"chargen 19/tcp ttytst source\n"
	"chargen 19/udp ttytst source\n"
	"ftp-data 20/tcp\n"
	"ftp 21/tcp\n"
	"fsp 21/udp fspd\n"
	"ssh 22/tcp\n"
	"telnet 23/tcp\n"
	"smtp 25/tcp mail\n"
	"time 37/tcp timserver\n"
	"time 37/udp timserver\n"
	"whois 43/tcp nicname\n"
	"tacacs 49/tcp\n"
	"tacacs 49/udp\n"
	"domain 53/tcp\n"
	"domain 53/udp\n"
	"bootps 67/udp\n"
	"bootpc 68/udp\n"
	"tftp 69/udp\n"
	"gopher 70/tcp\n"
	"finger 79/tcp\n"
	"http 80/tcp www\n"
	"kerberos 88/tcp kerberos5 krb5 kerberos-sec\n"
	"kerberos 88/udp kerberos5 krb5 kerberos-sec\n"
	"iso-tsap 102/tcp tsap\n"
	"acr-nema 104/tcp dicom\n"
	"pop3 110/tcp pop-3\n"
	"sunrpc 111/tcp portmapper\n"
	"sunrpc 111/udp portmapper\n"
	"auth 113/tcp authentication tap ident\n"
	"nntp 119/tcp readnews untp\n"
	"ntp 123/udp\n"
	"epmap 135/tcp loc-srv\n"
	"netbios-ns 137/udp\n"
	"netbios-dgm 138/udp\n"
	"netbios-ssn 139/tcp\n"
	"imap2 143/tcp imap\n"
	"snmp 161/tcp\n"
	"snmp 161/udp\n"
	"snmp-trap 162/tcp snmptrap\n"
	"snmp-trap 162/udp snmptrap\n"
	"cmip-man 163/tcp\n"
	"cmip-man 163/udp\n"
	"cmip-agent 164/tcp\n"
	"cmip-agent 164/udp\n"
	"mailq 174/tcp\n"
	"xdmcp 177/udp\n"
	"bgp 179/tcp\n"
	"smux 199/tcp\n"
	"qmtp 209/tcp\n"
	"z3950 210/tcp wais\n"
	"ipx 213/udp\n"
	"ptp-event 319/udp\n"
	"ptp-general 320/udp\n"
	"pawserv 345/tcp\n"
	"zserv 346/tcp\n"
	"rpc2portmap 369/tcp\n"
	"rpc2portmap 369/udp\n"
	"codaauth2 370/tcp\n"
	"codaauth2 370/udp\n"
	"clearcase 371/udp Clearcase\n"
	"ldap 389/tcp\n"
	"ldap 389/udp\n"
	"svrloc 427/tcp\n"
	"svrloc 427/udp\n"
	"https 443/tcp\n"
	"https 443/udp\n"
	"snpp 444/tcp\n"
	"microsoft-ds 445/tcp\n"
	"kpasswd 464/tcp\n"
	"kpasswd 464/udp\n"
	"submissions 465/tcp ssmtp smtps urd\n"
	"saft 487/tcp\n"
	"isakmp 500/udp\n"
	"rtsp 554/tcp\n"
	"rtsp 554/udp\n"
	"nqs 607/tcp\n"
	"asf-rmcp 623/udp\n"
	"qmqp 628/tcp\n"
	"ipp 631/tcp\n"
	"ldp 646/tcp\n"
	"ldp 646/udp\n"
	"exec 512/tcp\n"
	"biff 512/udp comsat\n"
	"login 513/tcp\n"
	"who 513/udp whod\n"
	"shell 514/tcp cmd syslog\n"
	"syslog 514/udp\n"
	"printer 515/tcp spooler\n"
	"talk 517/udp\n"
	"ntalk 518/udp\n"
	"route 520/udp router routed\n"
	"gdomap 538/tcp\n"
	"gdomap 538/udp\n"
	"uucp 540/tcp uucpd\n"
	"klogin 543/tcp\n"
	"kshell 544/tcp krcmd\n"
	"dhcpv6-client 546/udp\n"
	"dhcpv6-server 547/udp\n"
	"afpovertcp 548/tcp\n"
	"nntps 563/tcp snntp\n"
	"submission 587/tcp\n"
	"ldaps 636/tcp\n"
	"ldaps 636/udp\n"
	"tinc 655/tcp\n"
	"tinc 655/udp\n"
	"silc 706/tcp\n"
	"kerberos-adm 749/tcp\n"
	"domain-s 853/tcp\n"
	"domain-s 853/udp\n"
	"rsync 873/tcp\n"
	"ftps-data 989/tcp\n"
	"ftps 990/tcp\n"
	"telnets 992/tcp\n"
	"imaps 993/tcp\n"
	"pop3s 995/tcp\n"
	"socks 1080/tcp\n"
	"openvpn 1194/tcp\n"
	"openvpn 1194/udp\n"
	"ms-sql-s 1433/tcp\n"
	"ms-sql-m 1434/udp\n"
	"ingreslock 1524/tcp\n"
	"radius 1812/tcp\n"
	"radius 1812/udp\n"
	"radius-acct 1813/tcp radacct\n"
	"radius-acct 1813/udp radacct\n"
	"cisco-sccp 2000/tcp\n"
	"nfs 2049/tcp\n"
	"nfs 2049/udp\n"
	"cvspserver 2401/tcp\n"
	"mysql 3306/tcp\n"
	"ms-wbt-server 3389/tcp\n"
	"svn 3690/tcp subversion\n"
	"ipsec-nat-t 4500/udp\n"
	"sip 5060/tcp\n"
	"sip 5060/udp\n"
	"sip-tls 5061/tcp\n"
	"sip-tls 5061/udp\n"
	"xmpp-client 5222/tcp jabber-client\n"
	"xmpp-server 5269/tcp jabber-server\n"
	"mdns 5353/udp\n"
	"postgresql 5432/tcp postgres\n"
	"amqp 5672/tcp\n"
	"amqp 5672/sctp\n"
	"x11 6000/tcp x11-0\n"
	"x11-1 6001/tcp\n"
	"x11-2 6002/tcp\n"
	"x11-3 6003/tcp\n"
	"x11-4 6004/tcp\n"
	"x11-5 6005/tcp\n"
	"x11-6 6006/tcp\n"
	"x11-7 6007/tcp\n"
	"redis 6379/tcp\n"
	"ircs-u 6697/tcp\n"
	"http-alt 8080/tcp webcache\n"
	"hkp 11371/tcp\n"
	"kerberos4 750/udp kerberos-iv kdc\n"
	"kerberos4 750/tcp kerberos-iv kdc\n"
	"kerberos-master 751/udp kerberos_master\n"
	"kerberos-master 751/tcp\n"
	"passwd-server 752/udp passwd_server\n"
	"krb-prop 754/tcp krb_prop krb5_prop hprop\n"
	"supfilesrv 871/tcp\n"
	"poppassd 106/tcp\n"
	"moira-db 775/tcp moira_db\n"
	"moira-update 777/tcp moira_update\n"
	"moira-ureg 779/udp moira_ureg\n"
	"spamd 783/tcp\n"
	"ircd 6667/tcp\n"
	"git 9418/tcp\n"
	"webmin 10000/tcp\n"
;

static int
proto_index(int ipproto)
{
	int	i;

	for (i = 0; i < NPROTO; i++)
		if (proto_table[i].ipproto == ipproto)
			return i;
	return -1;
}

/* "tcp", "udp" or "sctp" as IPPROTO_*, or -1. */
int
services_proto(const char *name)
{
	int	i;

	for (i = 0; i < NPROTO; i++)
		if (strcmp(proto_table[i].name, name) == 0)
			return proto_table[i].ipproto;
	return -1;
}

/*
 * A protocol named in a configuration file, as getprotobyname(3) knows it
 * (names and aliases from /etc/protocols), or from the built-in table on
 * a system without that file: a bare install lacks the netbase package.
 * Sets *canon to the protocol's official name.  -1 if unknown.
 */
int
services_protocol(const char *name, const char **canon)
{
	struct protoent	*pe;
	int		 i;

	if ((pe = getprotobyname(name)) != NULL) {
		*canon = pe->p_name;
		return pe->p_proto;
	}
	for (i = 0; i < NPROTO; i++)
		if (strcasecmp(proto_table[i].name, name) == 0) {
			*canon = proto_table[i].name;
			return proto_table[i].ipproto;
		}
	return -1;
}

/* The protocol's name, or "?" for one the table does not know. */
const char *
services_proto_name(int ipproto)
{
	int	i = proto_index(ipproto);

	return i == -1 ? "?" : proto_table[i].name;
}

static int
ent_cmp_pp(const void *va, const void *vb)
{
	const struct svc_ent	*a = va, *b = vb;

	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	return 0;
}

static int
ent_cmp_port(const void *va, const void *vb)
{
	const struct svc_ent	*a = va, *b = vb;
	int			 c;

	if ((c = ent_cmp_pp(a, b)) != 0)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int
ent_cmp_name(const void *va, const void *vb)
{
	const struct svc_ent	*a = va, *b = vb;
	int			 c;

	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* "22/tcp": the port and the protocol index, or -1. */
static int
port_proto_parse(const char *s, int *port, int *proto)
{
	const char	*slash;
	long		 v = 0;
	const char	*p;
	int		 i;

	if ((slash = strchr(s, '/')) == NULL || slash == s)
		return -1;
	for (p = s; p < slash; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (v <= 65535)
			v = v * 10 + (*p - '0');
	}
	if (v > 65535)
		return -1;
	for (i = 0; i < NPROTO; i++)
		if (strcmp(slash + 1, proto_table[i].name) == 0)
			break;
	if (i == NPROTO)
		return -1;
	*port = (int)v;
	*proto = i;
	return 0;
}

struct ent_list {
	struct svc_ent	*v;
	size_t		 n, cap;
	uint32_t	 seq;
};

static void
ent_push(struct ent_list *l, const char *name, int port, int proto,
    int primary)
{
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 512 : l->cap * 2;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n].name = name;
	l->v[l->n].seq = l->seq++;
	l->v[l->n].port = (uint16_t)port;
	l->v[l->n].proto = (uint8_t)proto;
	l->v[l->n].primary = (uint8_t)primary;
	l->n++;
}

/* "name port/proto [alias ...] [# comment]", cut in place. */
static void
line_parse(struct ent_list *l, char *line)
{
	static const char	 ws[] = " \t\r\v\f";
	char			*name, *pp, *alias, *save;
	int			 port, proto;

	line[strcspn(line, "#")] = '\0';
	if ((name = strtok_r(line, ws, &save)) == NULL ||
	    (pp = strtok_r(NULL, ws, &save)) == NULL ||
	    port_proto_parse(pp, &port, &proto) == -1)
		return;
	ent_push(l, name, port, proto, 1);
	while ((alias = strtok_r(NULL, ws, &save)) != NULL)
		ent_push(l, alias, port, proto, 0);
}

/* Keep the first (lowest seq) entry for each protocol and port. */
static size_t
ent_unique_ports(struct svc_ent *v, size_t n)
{
	size_t	i, out = 0;

	for (i = 0; i < n; i++)
		if (out == 0 || ent_cmp_pp(&v[out - 1], &v[i]) != 0)
			v[out++] = v[i];
	return out;
}

static void
services_index(struct services *svc, struct ent_list *l)
{
	size_t	i;
	int	p;

	svc->byport = xcalloc(l->n + 1, sizeof(*svc->byport));
	for (i = 0; i < l->n; i++)
		if (l->v[i].primary)
			svc->byport[svc->nbyport++] = l->v[i];
	qsort(svc->byport, svc->nbyport, sizeof(*svc->byport), ent_cmp_port);
	svc->nbyport = ent_unique_ports(svc->byport, svc->nbyport);

	/* qsort(3) and bsearch(3) want an array even when it is empty. */
	svc->byname = l->v != NULL ? l->v : xcalloc(1, sizeof(*l->v));
	svc->nbyname = l->n;
	qsort(svc->byname, svc->nbyname, sizeof(*svc->byname), ent_cmp_name);
	for (p = 0, i = 0; p <= NPROTO; p++) {
		while (i < svc->nbyname && svc->byname[i].proto < p)
			i++;
		svc->nameslice[p] = i;
	}
	l->v = NULL;
}

/* Takes ownership of text, len bytes and a NUL. */
static struct services *
services_parse(char *text, size_t len, int builtin)
{
	struct services	*svc;
	struct ent_list	 l;
	char		*line, *nl, *end = text + len;

	memset(&l, 0, sizeof(l));
	for (line = text; line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		*nl = '\0';
		line_parse(&l, line);
	}
	svc = xcalloc(1, sizeof(*svc));
	svc->text = text;
	svc->builtin = builtin;
	services_index(svc, &l);
	return svc;
}

/* The whole file and its length, NUL-terminated. */
static char *
file_read(const char *path, size_t *lenp, char *err, size_t errlen)
{
	char	*buf = NULL;
	size_t	 len = 0, cap = 0;
	ssize_t	 n;
	int	 fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		goto fail;
	for (;;) {
		if (cap - len < 4096) {
			if (cap >= SERVICES_MAX) {
				errno = EFBIG;
				goto fail;
			}
			cap = cap == 0 ? 16384 : cap * 2;
			buf = xreallocarray(buf, cap + 1, 1);
		}
		if ((n = read(fd, buf + len, cap - len)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	(void)close(fd);
	buf = xreallocarray(buf, len + 1, 1);
	buf[len] = '\0';
	*lenp = len;
	return buf;

fail:
	saved = errno;
	if (fd != -1)
		(void)close(fd);
	free(buf);
	if (err != NULL && errlen > 0)
		(void)snprintf(err, errlen, "%s: %s", path, strerror(saved));
	return NULL;
}

/*
 * Read a services file (NULL for the system's).  Returns NULL, with
 * "path: reason" in err, when it cannot be read.
 */
struct services *
services_load(const char *path, char *err, size_t errlen)
{
	char	*text;
	size_t	 len;

	if (path == NULL)
		path = _PATH_SERVICES;
	if ((text = file_read(path, &len, err, errlen)) == NULL)
		return NULL;
	return services_parse(text, len, 0);
}

struct services *
services_builtin(void)
{
	return services_parse(xstrdup(services_builtin_text),
	    sizeof(services_builtin_text) - 1, 1);
}

/*
 * The file when it can be read, the built-in table otherwise; never NULL.
 * services_is_builtin() tells a caller that wants to say so.
 */
struct services *
services_open(const char *path)
{
	struct services	*svc;

	if ((svc = services_load(path, NULL, 0)) != NULL)
		return svc;
	return services_builtin();
}

int
services_is_builtin(const struct services *svc)
{
	return svc->builtin;
}

void
services_free(struct services *svc)
{
	if (svc == NULL)
		return;
	free(svc->byport);
	free(svc->byname);
	free(svc->text);
	free(svc);
}

/* The name of a port, or NULL when it has none. */
const char *
services_name(const struct services *svc, int port, int ipproto)
{
	struct svc_ent	 key, *e;
	int		 p = proto_index(ipproto);

	if (p == -1 || port < 0 || port > 65535)
		return NULL;
	memset(&key, 0, sizeof(key));
	key.proto = (uint8_t)p;
	key.port = (uint16_t)port;
	/* Unique per (proto, port); seq must not take part. */
	e = bsearch(&key, svc->byport, svc->nbyport, sizeof(*e), ent_cmp_pp);
	return e != NULL ? e->name : NULL;
}

/* The first entry of the name in the protocol's slice, or NULL. */
static const struct svc_ent *
name_find(const struct services *svc, const char *name, int p)
{
	size_t	lo = svc->nameslice[p], hi = svc->nameslice[p + 1], mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(svc->byname[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < svc->nameslice[p + 1] &&
	    strcmp(svc->byname[lo].name, name) == 0)
		return &svc->byname[lo];
	return NULL;
}

/* The port of a name or alias, or -1 when there is none. */
int
services_port(const struct services *svc, const char *name, int ipproto)
{
	const struct svc_ent	*e;
	int			 p = proto_index(ipproto);

	if (p == -1 || (e = name_find(svc, name, p)) == NULL)
		return -1;
	return e->port;
}

/*
 * Entry i of the protocol's names and aliases, in name order, for callers
 * that match patterns: returns 0 past the last.  A name on several lines
 * appears once for each.
 */
int
services_entry(const struct services *svc, int ipproto, size_t i,
    const char **name, int *port)
{
	int	p = proto_index(ipproto);

	if (p == -1 || i >= svc->nameslice[p + 1] - svc->nameslice[p])
		return 0;
	i += svc->nameslice[p];
	*name = svc->byname[i].name;
	*port = svc->byname[i].port;
	return 1;
}
