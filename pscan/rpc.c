/*
 * rpc.c: -sR, the SunRPC programs behind a host's open ports.
 *
 * A SunRPC server (RFC 5531) answers a call naming a program, a version
 * and a procedure.  Procedure 0 of every program is NULL: it does
 * nothing, so it is safe to call.  The portmapper on port 111 keeps the
 * list of the host's programs, and its DUMP procedure hands it out:
 * program, version, protocol and port.  Ports it lists are named from
 * it.  An open port it does not list gets NULL calls: first with a
 * program no one uses, which an RPC server refuses with PROG_UNAVAIL
 * (so the port speaks RPC), then with each known program and a version
 * no one uses, which the right server refuses with PROG_MISMATCH and the
 * range of versions it has.
 *
 * Everything read is bounded: a reply is at most RPC_REPLY_MAX bytes
 * however it is fragmented, RPC_MAPS_MAX entries of a DUMP are kept,
 * each reply must come within RPC_WAIT_MS and each port's questions
 * within RPC_PORT_MS, so that a hostile server can neither stall the
 * scan nor grow its memory.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "deadline.h"
#include "xmalloc.h"
#include "pscan.h"

#define PMAP_PORT	111
#define PMAP_PROG	100000
#define PMAP_VERS	2
#define PMAPPROC_DUMP	4
/* In the reserved range: no server has it. */
#define RPC_NO_PROG	0x6e6f7065u
#define RPC_NO_VERS	0xffffffffu
#define RPC_REPLY_MAX	65536	/* longest reply, all its fragments */
#define RPC_MAPS_MAX	1024	/* portmapper entries kept */
#define RPC_NAMES_MAX	512	/* programs read from /etc/rpc */
#define RPC_WAIT_MS	2000	/* for one reply, however it trickles */
#define RPC_PORT_MS	10000	/* for all of one port's questions */
#define RPC_ETC		"/etc/rpc"
#define RPC_THREADS	16	/* hosts asked at a time */

enum { MSG_CALL = 0, MSG_REPLY = 1 };
enum {
	ACCEPT_SUCCESS = 0, ACCEPT_PROG_UNAVAIL = 1, ACCEPT_PROG_MISMATCH = 2,
	ACCEPT_DENIED = -1	/* the call was rejected, yet that is RPC */
};

/* A program's name: the names nmap gives, then /etc/rpc's. */
struct rpcname {
	uint32_t	prog;
	char		name[32];
};

static const struct rpcname names_builtin[] = {
	{ 100000, "rpcbind" }, { 100001, "rstatd" }, { 100002, "rusersd" },
	{ 100003, "nfs" }, { 100004, "ypserv" }, { 100005, "mountd" },
	{ 100007, "ypbind" }, { 100008, "walld" }, { 100009, "yppasswdd" },
	{ 100011, "rquotad" }, { 100012, "sprayd" }, { 100020, "llockmgr" },
	{ 100021, "nlockmgr" }, { 100024, "status" }, { 100026, "bootparam" },
	{ 100028, "ypupdated" }, { 100029, "keyserv" }, { 100068, "cmsd" },
	{ 100069, "ypxfrd" }, { 100083, "ttdbserverd" },
	{ 100099, "autofsd" }, { 100133, "nsm_addrand" },
	{ 100227, "nfs_acl" }, { 100232, "sadmind" },
	{ 100249, "snmpXdmid" }, { 100300, "nisd" },
	{ 100301, "nis_cache" }, { 100303, "nispasswd" },
	{ 150001, "pcnfsd" }, { 300019, "amd" }, { 391002, "sgi_fam" },
};

struct rpcnames {
	struct rpcname	*v;		/* /etc/rpc's */
	size_t		 n;
};

/* One portmapper entry. */
struct rpcmap {
	uint32_t	prog, vers, prot, port;
};

/* A conversation with one port. */
struct rpcchan {
	int		 fd;
	int		 stream;	/* TCP: replies come in records */
	uint32_t	 xid;
	struct timespec	 until;		/* the port's deadline */
	struct timespec	 due;		/* the reply's, never later */
	uint8_t		*buf;		/* RPC_REPLY_MAX */
	size_t		 len;
};

/* A reply read: how the call was taken, and a mismatch's versions. */
struct rpcreply {
	int		 accept;	/* ACCEPT_* */
	uint32_t	 low, high;
	const uint8_t	*body;		/* the results */
	size_t		 bodylen;
};

/* --- names ---------------------------------------------------------------- */

/* /etc/rpc's "name number aliases" lines, at most RPC_NAMES_MAX. */
static void
names_load(struct rpcnames *nm, const char *path)
{
	FILE		*fp;
	char		 line[256], name[32];
	unsigned long	 prog;

	nm->v = NULL;
	nm->n = 0;
	if ((fp = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL &&
	    nm->n < RPC_NAMES_MAX) {
		/* A line longer than the buffer: its rest is no entry. */
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			int	ch;

			while ((ch = getc(fp)) != EOF && ch != '\n')
				;
		}
		if (sscanf(line, "%31s %lu", name, &prog) != 2 ||
		    name[0] == '#' || prog == 0 || prog > UINT32_MAX)
			continue;
		nm->v = xreallocarray(nm->v, nm->n + 1, sizeof(*nm->v));
		nm->v[nm->n].prog = (uint32_t)prog;
		(void)strlcpy(nm->v[nm->n].name, name,
		    sizeof(nm->v[nm->n].name));
		nm->n++;
	}
	(void)fclose(fp);
}

static const char *
names_find(const struct rpcnames *nm, uint32_t prog)
{
	size_t	i;

	for (i = 0; i < nitems(names_builtin); i++)
		if (names_builtin[i].prog == prog)
			return names_builtin[i].name;
	for (i = 0; i < nm->n; i++)
		if (nm->v[i].prog == prog)
			return nm->v[i].name;
	return NULL;
}

/* --- calls and replies ---------------------------------------------------- */

static void
put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

/* The next 32-bit word of a reply: 0, or -1 when it is too short. */
static int
get32(const uint8_t **p, size_t *left, uint32_t *v)
{
	if (*left < 4)
		return -1;
	*v = (uint32_t)(*p)[0] << 24 | (uint32_t)(*p)[1] << 16 |
	    (uint32_t)(*p)[2] << 8 | (*p)[3];
	*p += 4;
	*left -= 4;
	return 0;
}

/*
 * Reads a reply to call xid: 0 with how it was taken, -1 when it is no
 * RPC reply to it.
 */
static int
reply_parse(const uint8_t *p, size_t left, uint32_t xid,
    struct rpcreply *r)
{
	uint32_t	w, stat, flavor, len;

	memset(r, 0, sizeof(*r));
	if (get32(&p, &left, &w) == -1 || w != xid ||
	    get32(&p, &left, &w) == -1 || w != MSG_REPLY ||
	    get32(&p, &left, &stat) == -1)
		return -1;
	if (stat != 0) {
		/* MSG_DENIED: a wrong RPC version or credentials. */
		r->accept = ACCEPT_DENIED;
		return stat == 1 ? 0 : -1;
	}
	/* The verifier: at most 400 bytes, padded to 4. */
	if (get32(&p, &left, &flavor) == -1 ||
	    get32(&p, &left, &len) == -1 || len > 400 ||
	    (len + 3) / 4 * 4 > left)
		return -1;
	p += (len + 3) / 4 * 4;
	left -= (len + 3) / 4 * 4;
	if (get32(&p, &left, &stat) == -1 || stat > 5)
		return -1;
	r->accept = (int)stat;
	if (stat == ACCEPT_PROG_MISMATCH &&
	    (get32(&p, &left, &r->low) == -1 ||
	    get32(&p, &left, &r->high) == -1 || r->low > r->high))
		return -1;
	r->body = p;
	r->bodylen = left;
	return 0;
}

/* Waits for the channel to be readable before the reply's deadline. */
static int
chan_wait(const struct rpcchan *ch)
{
	struct pollfd	pfd;
	struct timespec	now;
	long long	ms;

	deadline_now(&now);
	if ((ms = deadline_diff_ms(&now, &ch->due)) <= 0)
		return -1;
	pfd.fd = ch->fd;
	pfd.events = POLLIN;
	return poll(&pfd, 1, (int)ms) == 1 ? 0 : -1;
}

/* Reads exactly n bytes of a stream before the deadline: 0, or -1. */
static int
read_full(struct rpcchan *ch, uint8_t *b, size_t n)
{
	ssize_t	r;

	while (n > 0) {
		if (chan_wait(ch) == -1)
			return -1;
		if ((r = recv(ch->fd, b, n, 0)) <= 0) {
			if (r == -1 && (errno == EINTR || errno == EAGAIN))
				continue;
			return -1;
		}
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

/* A whole record of a stream, its fragments joined: 0, or -1. */
static int
record_read(struct rpcchan *ch)
{
	uint8_t		mark[4];
	uint32_t	frag;

	ch->len = 0;
	for (;;) {
		if (read_full(ch, mark, sizeof(mark)) == -1)
			return -1;
		frag = (uint32_t)mark[0] << 24 | (uint32_t)mark[1] << 16 |
		    (uint32_t)mark[2] << 8 | mark[3];
		if ((frag & 0x7fffffffu) > RPC_REPLY_MAX - ch->len)
			return -1;
		if (read_full(ch, ch->buf + ch->len, frag & 0x7fffffffu) == -1)
			return -1;
		ch->len += frag & 0x7fffffffu;
		if (frag & 0x80000000u)
			return 0;
	}
}

/* A datagram, before the reply's deadline: 0, or -1. */
static int
datagram_read(struct rpcchan *ch)
{
	ssize_t	r;

	ch->len = 0;
	if (chan_wait(ch) == -1)
		return -1;
	if ((r = recv(ch->fd, ch->buf, RPC_REPLY_MAX, 0)) < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	ch->len = (size_t)r;
	return 0;
}

/*
 * Calls procedure proc of version vers of program prog, with no
 * arguments and no credentials: 0 with the reply read, or -1.
 */
static int
rpc_call(struct rpcchan *ch, uint32_t prog, uint32_t vers, uint32_t proc,
    struct rpcreply *r)
{
	uint8_t		call[44];
	uint8_t		*b = ch->stream ? call : call + 4;
	size_t		len = ch->stream ? 44 : 40;
	int		tries;

	ch->xid++;
	memset(call, 0, sizeof(call));
	put32(call, 0x80000000u | 40);	/* one last fragment */
	put32(call + 4, ch->xid);
	put32(call + 8, MSG_CALL);
	put32(call + 12, 2);		/* RPC version */
	put32(call + 16, prog);
	put32(call + 20, vers);
	put32(call + 24, proc);
	/* Credentials and verifier: AUTH_NONE, empty (the zeros). */
	if (send(ch->fd, b, len, MSG_NOSIGNAL) != (ssize_t)len)
		return -1;
	service_due(&ch->due, RPC_WAIT_MS);
	if (deadline_diff_ms(&ch->until, &ch->due) > 0)
		ch->due = ch->until;
	/* Skips stale replies and strangers' datagrams, a few at most. */
	for (tries = 0; tries < 8; tries++) {
		if ((ch->stream ? record_read(ch) : datagram_read(ch)) == -1)
			return -1;
		if (reply_parse(ch->buf, ch->len, ch->xid, r) == 0)
			return 0;
	}
	return -1;
}

/* Connects to a port of h, TCP or UDP, before the deadline: 0, or -1. */
static int
chan_open(struct rpcchan *ch, const struct host *h, int set, uint16_t port)
{
	struct sockaddr_storage	ss;
	struct pollfd		pfd;
	socklen_t		sl, el = sizeof(int);
	int			e = 0;

	ch->stream = set == PSET_TCP;
	ch->len = 0;
	service_due(&ch->until, RPC_PORT_MS);
	if ((ch->fd = socket(h->addr.family, ch->stream ? SOCK_STREAM :
	    SOCK_DGRAM, 0)) == -1)
		return -1;
	if (fcntl(ch->fd, F_SETFL, O_NONBLOCK) == -1)
		goto fail;
	sl = addr_to_sockaddr(&h->addr, port, &ss);
	if (connect(ch->fd, (struct sockaddr *)&ss, sl) == 0)
		return 0;
	if (errno != EINPROGRESS)
		goto fail;
	pfd.fd = ch->fd;
	pfd.events = POLLOUT;
	if (poll(&pfd, 1, RPC_WAIT_MS) == 1 &&
	    getsockopt(ch->fd, SOL_SOCKET, SO_ERROR, &e, &el) == 0 && e == 0)
		return 0;
fail:
	(void)close(ch->fd);
	ch->fd = -1;
	return -1;
}

static void
chan_close(struct rpcchan *ch)
{
	if (ch->fd != -1)
		(void)close(ch->fd);
	ch->fd = -1;
}

/* --- the portmapper --------------------------------------------------------- */

/* The portmapper's list, over TCP or UDP: the number of entries. */
static size_t
pmap_dump(struct rpcchan *ch, const struct host *h, int set,
    struct rpcmap *m)
{
	struct rpcreply	 r;
	const uint8_t	*p;
	size_t		 left, n = 0;
	uint32_t	 more;

	if (chan_open(ch, h, set, PMAP_PORT) == -1)
		return 0;
	if (rpc_call(ch, PMAP_PROG, PMAP_VERS, PMAPPROC_DUMP, &r) == -1 ||
	    r.accept != ACCEPT_SUCCESS) {
		chan_close(ch);
		return 0;
	}
	p = r.body;
	left = r.bodylen;
	/* An XDR list: a 1 before each entry, a 0 after the last. */
	while (n < RPC_MAPS_MAX && get32(&p, &left, &more) == 0 &&
	    more == 1) {
		if (get32(&p, &left, &m[n].prog) == -1 ||
		    get32(&p, &left, &m[n].vers) == -1 ||
		    get32(&p, &left, &m[n].prot) == -1 ||
		    get32(&p, &left, &m[n].port) == -1)
			break;
		n++;
	}
	chan_close(ch);
	return n;
}

/*
 * The program the portmapper lists on a port (the lowest number when
 * there are several, as NFS's nfs and nfs_acl share 2049) and its range
 * of versions: 1, or 0 when it lists none.
 */
static int
pmap_lookup(const struct rpcmap *m, size_t n, int set, uint16_t port,
    uint32_t *prog, uint32_t *low, uint32_t *high)
{
	uint32_t	prot = set == PSET_TCP ? IPPROTO_TCP : IPPROTO_UDP;
	size_t		i;
	int		found = 0;

	for (i = 0; i < n; i++) {
		if (m[i].prot != prot || m[i].port != port ||
		    (found && m[i].prog > *prog))
			continue;
		if (!found || m[i].prog < *prog) {
			*prog = m[i].prog;
			*low = *high = m[i].vers;
			found = 1;
		}
		if (m[i].vers < *low)
			*low = m[i].vers;
		if (m[i].vers > *high)
			*high = m[i].vers;
	}
	return found;
}

/*
 * Whether a UDP port the portmapper lists, silent to the scan's empty
 * datagram, answers a NULL call of its program.
 */
static int
pmap_confirm(struct rpcchan *ch, const struct host *h, uint16_t port,
    uint32_t prog)
{
	struct rpcreply	r;
	int		ok;

	if (chan_open(ch, h, PSET_UDP, port) == -1)
		return 0;
	ok = rpc_call(ch, prog, RPC_NO_VERS, 0, &r) == 0;
	chan_close(ch);
	return ok;
}

/* --- NULL calls --------------------------------------------------------------- */

/* Whether a program answers on the channel: 1 with its versions. */
static int
grind_one(struct rpcchan *ch, uint32_t prog, uint32_t *low, uint32_t *high,
    int *dead)
{
	struct rpcreply	r;

	if (rpc_call(ch, prog, RPC_NO_VERS, 0, &r) == -1) {
		*dead = 1;
		return 0;
	}
	if (r.accept == ACCEPT_PROG_MISMATCH) {
		*low = r.low;
		*high = r.high;
		return 1;
	}
	/* A server that takes any version tells none. */
	if (r.accept == ACCEPT_SUCCESS) {
		*low = *high = RPC_NO_VERS;
		return 1;
	}
	return 0;
}

/*
 * NULL calls to a port the portmapper did not name: 1 with the program
 * and its versions, 0 when the port does not speak RPC or runs none of
 * the programs known here.
 */
static int
grind(struct rpcchan *ch, const struct host *h, int set, uint16_t port,
    const struct rpcnames *nm, uint32_t *prog, uint32_t *low, uint32_t *high)
{
	struct rpcreply	r;
	size_t		i;
	int		dead = 0, found = 0;

	if (chan_open(ch, h, set, port) == -1)
		return 0;
	if (rpc_call(ch, RPC_NO_PROG, 1, 0, &r) == -1 ||
	    r.accept != ACCEPT_PROG_UNAVAIL) {
		chan_close(ch);
		return 0;
	}
	for (i = 0; !found && !dead && i < nitems(names_builtin); i++) {
		*prog = names_builtin[i].prog;
		found = grind_one(ch, *prog, low, high, &dead);
	}
	for (i = 0; !found && !dead && i < nm->n; i++) {
		*prog = nm->v[i].prog;
		found = grind_one(ch, *prog, low, high, &dead);
	}
	chan_close(ch);
	return found;
}

/* --- the findings ----------------------------------------------------------- */

/* Names a port's service as nmap prints it: "mountd 1-3 (RPC #100005)". */
static void
rpc_name(struct host *h, int set, uint16_t port, const struct rpcnames *nm,
    uint32_t prog, uint32_t low, uint32_t high)
{
	struct svcinfo	*v = service_of(h, set, port);
	const char	*name = names_find(nm, prog);
	char		 buf[32];

	free(v->name);
	free(v->product);
	free(v->version);
	free(v->extrainfo);
	v->name = xstrdup(name != NULL ? name : "rpc");
	v->product = NULL;
	v->version = NULL;
	if (low == RPC_NO_VERS)
		;
	else if (low == high)
		(void)snprintf(buf, sizeof(buf), "%u", low);
	else
		(void)snprintf(buf, sizeof(buf), "%u-%u", low, high);
	if (low != RPC_NO_VERS)
		v->version = xstrdup(buf);
	(void)snprintf(buf, sizeof(buf), "RPC #%u", prog);
	v->extrainfo = xstrdup(buf);
	v->rpcnum = prog;
	v->lowver = low == RPC_NO_VERS ? 0 : low;
	v->highver = high == RPC_NO_VERS ? 0 : high;
	v->probed = 1;
}

/* A port's state on h, PS_UNKNOWN when the scan did not probe it. */
static int
port_state(const struct scan *sc, const struct host *h, int set,
    uint16_t port)
{
	const struct portset	*ps = &sc->pset[set];
	int32_t			 i;

	if (ps->n == 0 || (i = ps->map[port]) < 0 ||
	    (h->pres[set][i].flags & PR_SKIP))
		return PS_UNKNOWN;
	return h->pres[set][i].state;
}

/* The programs of a host's open ports that no banner named. */
static void
rpc_host(struct scan *sc, struct host *h, const struct rpcnames *nm,
    struct rpcchan *ch, struct rpcmap *m)
{
	const struct portset	*ps;
	const struct svcinfo	*v;
	struct portres		*r;
	size_t			 n = 0;
	uint32_t		 i, prog = 0, low = 0, high = 0;
	int			 set;

	if (port_state(sc, h, PSET_TCP, PMAP_PORT) == PS_OPEN)
		n = pmap_dump(ch, h, PSET_TCP, m);
	if (n == 0 && port_state(sc, h, PSET_UDP, PMAP_PORT) == PS_OPEN)
		n = pmap_dump(ch, h, PSET_UDP, m);
	for (set = 0; set < PSET_N; set++) {
		ps = &sc->pset[set];
		for (i = 0; i < ps->n && !atomic_load(sc->stop); i++) {
			r = &h->pres[set][i];
			/* RPC over UDP ignores the scan's empty datagram. */
			if ((r->flags & PR_SKIP) || (r->state != PS_OPEN &&
			    (set != PSET_UDP || r->state != PS_OPENFILTERED)))
				continue;
			v = service_find(h, set, ps->ports[i]);
			if (v != NULL && v->probed)
				continue;
			if (!pmap_lookup(m, n, set, ps->ports[i], &prog, &low,
			    &high)) {
				/* Too many silent UDP ports to ask them all. */
				if (r->state != PS_OPEN ||
				    !grind(ch, h, set, ps->ports[i], nm,
				    &prog, &low, &high))
					continue;
			} else if (r->state == PS_OPENFILTERED) {
				if (!pmap_confirm(ch, h, ps->ports[i], prog))
					continue;
				/* It answered: open, as nmap -sV says. */
				r->state = PS_OPEN;
				r->why = WHY_UDPRESPONSE;
			}
			rpc_name(h, set, ps->ports[i], nm, prog, low, high);
		}
	}
}

/* The hosts of a group, shared by the threads that ask them. */
struct rpcwork {
	struct scan		*sc;
	struct host		**g;
	size_t			 n;
	atomic_size_t		 next;
	const struct rpcnames	*nm;
	uint32_t		 xid;
};

/* A thread: the next host not taken, until none is left. */
static void *
rpc_worker(void *arg)
{
	struct rpcwork	*w = arg;
	struct rpcchan	 ch;
	struct rpcmap	*m = xreallocarray(NULL, RPC_MAPS_MAX, sizeof(*m));
	size_t		 i;

	memset(&ch, 0, sizeof(ch));
	ch.fd = -1;
	ch.buf = xmalloc(RPC_REPLY_MAX);
	while ((i = atomic_fetch_add(&w->next, 1)) < w->n &&
	    !atomic_load(w->sc->stop)) {
		/* Each host its own run of call numbers. */
		ch.xid = w->xid + (uint32_t)i * 0x10000u;
		rpc_host(w->sc, w->g[i], w->nm, &ch, m);
	}
	free(ch.buf);
	free(m);
	return NULL;
}

/*
 * -sR for the group's up hosts, RPC_THREADS at a time: a host's ports are
 * asked one after the other, and a silent one costs RPC_WAIT_MS.
 */
void
rpc_group(struct scan *sc, struct host **g, size_t n)
{
	struct rpcnames	 nm;
	struct rpcwork	 w;
	pthread_t	 tid[RPC_THREADS];
	size_t		 i, nt = 0;

	names_load(&nm, RPC_ETC);
	w.sc = sc;
	w.g = g;
	w.n = n;
	atomic_init(&w.next, 0);
	w.nm = &nm;
	w.xid = rand_below(&sc->rnd, UINT32_MAX);
	for (i = 1; i < n && i < RPC_THREADS; i++)
		if (pthread_create(&tid[nt], NULL, rpc_worker, &w) == 0)
			nt++;
	(void)rpc_worker(&w);
	for (i = 0; i < nt; i++)
		(void)pthread_join(tid[i], NULL);
	free(nm.v);
}
