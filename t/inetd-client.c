/*
 * inetd-client.c: a small network client for the inetd tests and bench.
 *
 *	inetd-client [-46u] [-b addr] [-s text] [-S] [-n bytes] [-t secs]
 *	    host port			one exchange: send, print what comes back
 *	inetd-client -H count [-t secs] ... host port
 *					open count connections, say so on
 *					stdout, hold them for secs (or until
 *					killed)
 *	inetd-client -L conc,secs [-c count] ... host port
 *					load: conc clients for secs seconds
 *					(or count exchanges), each connect,
 *					send, read the reply, close; print
 *					the rate
 *
 * -s text is sent with \r, \n and \\ escapes; -S shuts the sending side
 * after it; -n stops after reading that many bytes (default: until the
 * server closes); -b binds the client to a source address (several
 * loopback addresses act as several clients).  In load mode -B spreads
 * the connections over the source addresses 127.0.0.2-254, and -R
 * closes them with a reset (no TIME_WAIT).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct opts {
	int		 family;
	int		 udp;
	const char	*bindaddr;
	char		*send;
	size_t		 sendlen;
	int		 shut;
	long		 nbytes;
	int		 timeout;
	int		 hold;
	int		 conc;
	int		 secs;
	unsigned long	 count;		/* load: stop after this many */
	int		 reset;		/* load: close with RST, no TIME_WAIT */
	int		 spread;	/* load: source 127.0.0.2-254 in turn */
	const char	*host;
	const char	*port;
};

static void
usage(void)
{
	fprintf(stderr, "usage: inetd-client [-46Su] [-b addr] [-c count] "
	    "[-H count] [-L conc,secs] [-n bytes] [-s text] [-t secs] "
	    "host port\n");
	exit(2);
}

static size_t
unescape(char *s)
{
	char	*r = s, *w = s;

	while (*r != '\0') {
		if (*r == '\\' && r[1] != '\0') {
			r++;
			*w++ = *r == 'r' ? '\r' : *r == 'n' ? '\n' :
			    *r == '0' ? '\0' : *r;
			r++;
		} else
			*w++ = *r++;
	}
	*w = '\0';
	return (size_t)(w - s);
}

static struct addrinfo *
resolve(const struct opts *o, const char *host, const char *port,
    int passive)
{
	struct addrinfo	hints, *res;
	int		r;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = o->family;
	hints.ai_socktype = o->udp ? SOCK_DGRAM : SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | (passive ? AI_PASSIVE : 0);
	if ((r = getaddrinfo(host, port, &hints, &res)) != 0) {
		fprintf(stderr, "inetd-client: %s: %s\n", host != NULL ? host :
		    "*", gai_strerror(r));
		exit(2);
	}
	return res;
}

static int
open_socket(const struct opts *o, const struct addrinfo *ai, int nonblock)
{
	/* The load mode keeps its own cost low: it shares the CPUs. */
	struct addrinfo	*b;
	int		 fd, one = 1;

	fd = socket(ai->ai_family, ai->ai_socktype |
	    (nonblock ? SOCK_NONBLOCK : 0), ai->ai_protocol);
	if (fd == -1)
		return -1;
	if (o->bindaddr != NULL) {
		b = resolve(o, o->bindaddr, "0", 1);
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
		    sizeof(one));
		if (bind(fd, b->ai_addr, b->ai_addrlen) == -1) {
			perror("inetd-client: bind");
			exit(2);
		}
		freeaddrinfo(b);
	}
	if (!o->udp && !nonblock)
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof(one));
	return fd;
}

/* One exchange; exit 0 if the connection worked (even if closed early). */
static int
exchange(const struct opts *o)
{
	struct addrinfo	*ai = resolve(o, o->host, o->port, 0);
	struct pollfd	 pfd;
	char		 buf[65536];
	long		 got = 0;
	ssize_t		 n;
	int		 fd;

	if ((fd = open_socket(o, ai, 0)) == -1 ||
	    connect(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
		perror("inetd-client: connect");
		return 1;
	}
	if (o->sendlen > 0 && send(fd, o->send, o->sendlen, MSG_NOSIGNAL) !=
	    (ssize_t)o->sendlen) {
		perror("inetd-client: send");
		return 1;
	}
	if (o->shut && !o->udp)
		(void)shutdown(fd, SHUT_WR);
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (o->nbytes < 0 || got < o->nbytes) {
		if (poll(&pfd, 1, o->timeout * 1000) != 1)
			break;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n <= 0)
			break;
		if (o->nbytes >= 0 && got + n > o->nbytes)
			n = o->nbytes - got;
		fwrite(buf, 1, (size_t)n, stdout);
		fflush(stdout);
		got += n;
		if (o->udp)
			break;
	}
	fflush(stdout);
	freeaddrinfo(ai);
	return 0;
}

/* -H: connect count times, report, and hold them for the timeout. */
static int
hold(const struct opts *o)
{
	struct addrinfo	*ai = resolve(o, o->host, o->port, 0);
	int		 i, fd, ok = 0;

	for (i = 0; i < o->hold; i++) {
		if ((fd = open_socket(o, ai, 0)) == -1 ||
		    connect(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
			perror("inetd-client: connect");
			continue;
		}
		if (o->sendlen > 0)
			(void)send(fd, o->send, o->sendlen, MSG_NOSIGNAL);
		ok++;
	}
	printf("connected %d\n", ok);
	fflush(stdout);
	(void)poll(NULL, 0, o->timeout * 1000);
	freeaddrinfo(ai);
	return ok == o->hold ? 0 : 1;
}

/* --- load mode ------------------------------------------------------------ */

struct client {
	int	fd;
	int	state;		/* 0 connecting, 1 reading */
	size_t	got;
};

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * -B: take the source address from 127.0.0.2-254 in turn, so the
 * connections' TIME_WAIT states spread over many address-port spaces and
 * connect(2) does not crawl through one full ephemeral port range.
 */
static void
load_spread(int fd)
{
	static unsigned		n;
	struct sockaddr_in	sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(0x7f000002U + n++ % 253);
	(void)bind(fd, (struct sockaddr *)&sin, sizeof(sin));
}

static int
load_start(const struct opts *o, const struct addrinfo *ai, struct client *c)
{
	c->fd = open_socket(o, ai, 1);
	c->state = 0;
	c->got = 0;
	if (c->fd == -1)
		return -1;
	if (o->spread && ai->ai_family == AF_INET)
		load_spread(c->fd);
	if (connect(c->fd, ai->ai_addr, ai->ai_addrlen) == -1 &&
	    errno != EINPROGRESS) {
		(void)close(c->fd);
		c->fd = -1;
		return -1;
	}
	return 0;
}

/* Returns 1 when the exchange completed, -1 on an error, 0 to go on. */
static int
load_step(const struct opts *o, struct client *c, short rev)
{
	char	buf[4096];
	ssize_t	n;

	if (c->state == 0) {
		/* A failed connect shows as a failed send. */
		if (send(c->fd, o->send, o->sendlen, MSG_NOSIGNAL) !=
		    (ssize_t)o->sendlen)
			return -1;
		if (o->shut)
			(void)shutdown(c->fd, SHUT_WR);
		c->state = 1;
		return 0;
	}
	if (!(rev & (POLLIN | POLLHUP | POLLERR)))
		return 0;
	n = recv(c->fd, buf, sizeof(buf), 0);
	if (n == -1)
		return errno == EAGAIN ? 0 : -1;
	c->got += (size_t)n;
	if (n == 0)
		return c->got >= (size_t)(o->nbytes < 0 ? 1 : o->nbytes) ? 1 :
		    -1;
	if (o->nbytes >= 0 && c->got >= (size_t)o->nbytes)
		return 1;
	return 0;
}

static int
load(const struct opts *o)
{
	struct addrinfo	*ai = resolve(o, o->host, o->port, 0);
	struct client	*c = calloc((size_t)o->conc, sizeof(*c));
	struct pollfd	*pfd = calloc((size_t)o->conc, sizeof(*pfd));
	unsigned long	 done = 0, errors = 0;
	double		 start = now_s(), end = start + o->secs;
	int		 i, r;

	for (i = 0; i < o->conc; i++)
		if (load_start(o, ai, &c[i]) == -1)
			errors++;
	while (now_s() < end && (o->count == 0 || done < o->count)) {
		for (i = 0; i < o->conc; i++) {
			pfd[i].fd = c[i].fd;
			pfd[i].events = c[i].state == 0 ? POLLOUT : POLLIN;
		}
		if (poll(pfd, (nfds_t)o->conc, 100) <= 0)
			continue;
		for (i = 0; i < o->conc; i++) {
			if (pfd[i].revents == 0 && c[i].fd != -1)
				continue;
			r = c[i].fd == -1 ? -1 : load_step(o, &c[i],
			    pfd[i].revents);
			if (r == 0)
				continue;
			if (r == 1)
				done++;
			else
				errors++;
			if (c[i].fd != -1) {
				if (o->reset) {
					struct linger	lg = { 1, 0 };

					(void)setsockopt(c[i].fd, SOL_SOCKET,
					    SO_LINGER, &lg, sizeof(lg));
				}
				(void)close(c[i].fd);
			}
			if (load_start(o, ai, &c[i]) == -1)
				c[i].fd = -1;
		}
	}
	printf("connections=%lu errors=%lu seconds=%.2f rate=%.0f\n", done,
	    errors, now_s() - start, (double)done / (now_s() - start));
	for (i = 0; i < o->conc; i++)
		if (c[i].fd != -1)
			(void)close(c[i].fd);
	free(c);
	free(pfd);
	freeaddrinfo(ai);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct opts	 o;
	char		*comma;
	int		 ch;

	memset(&o, 0, sizeof(o));
	o.family = AF_UNSPEC;
	o.nbytes = -1;
	o.timeout = 5;
	while ((ch = getopt(argc, argv, "46Bb:c:H:L:n:RSs:t:u")) != -1) {
		switch (ch) {
		case '4':
			o.family = AF_INET;
			break;
		case '6':
			o.family = AF_INET6;
			break;
		case 'B':
			o.spread = 1;
			break;
		case 'b':
			o.bindaddr = optarg;
			break;
		case 'c':
			o.count = strtoul(optarg, NULL, 10);
			break;
		case 'H':
			o.hold = atoi(optarg);
			break;
		case 'L':
			o.conc = atoi(optarg);
			if ((comma = strchr(optarg, ',')) == NULL)
				usage();
			o.secs = atoi(comma + 1);
			break;
		case 'n':
			o.nbytes = atol(optarg);
			break;
		case 'R':
			o.reset = 1;
			break;
		case 'S':
			o.shut = 1;
			break;
		case 's':
			o.send = optarg;
			o.sendlen = unescape(optarg);
			break;
		case 't':
			o.timeout = atoi(optarg);
			break;
		case 'u':
			o.udp = 1;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	o.host = argv[optind];
	o.port = argv[optind + 1];
	if (o.hold > 0)
		return hold(&o);
	if (o.conc > 0) {
		if (o.sendlen == 0 || o.secs <= 0)
			usage();
		return load(&o);
	}
	return exchange(&o);
}
