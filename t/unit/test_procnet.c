/*
 * test_procnet.c: sockets this test opens show up in the sock_diag dumps
 * with their inode, addresses, state and (UNIX) peers.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "procnet.h"
#include "tap.h"

struct want {
	uint64_t		inode;
	int			found;
	int			unwanted;	/* TIME_WAIT, half-open */
	struct procnet_sock	got;
};

static void
on_sock(const struct procnet_sock *s, void *arg)
{
	struct want	*w = arg;

	if (s->state == PROCNET_TIME_WAIT || s->state == PROCNET_NEW_SYN_RECV)
		w->unwanted++;
	if (s->inode == w->inode) {
		w->found++;
		w->got = *s;
		w->got.name = NULL;
	}
}

static uint64_t
inode_of(int fd)
{
	struct stat	st;

	return fstat(fd, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

static void
test_tcp(void)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof(sin);
	struct want		w;
	int			fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 1) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1) {
		tap_skip("no loopback TCP listener: %s", strerror(errno));
		return;
	}
	memset(&w, 0, sizeof(w));
	w.inode = inode_of(fd);
	if (procnet_dump_inet(AF_INET, IPPROTO_TCP, PROCNET_STATES_OWNED,
	    on_sock, &w) == -1) {
		tap_skip("no sock_diag here: %s", strerror(errno));
		close(fd);
		return;
	}
	is_int(w.found, 1, "TCP listener found once by inode");
	is_int(w.got.state, PROCNET_LISTEN, "in state LISTEN");
	is_int(w.got.proto, IPPROTO_TCP, "protocol TCP");
	is_int(w.got.family, AF_INET, "family AF_INET");
	is_int(w.got.lport, ntohs(sin.sin_port), "local port");
	ok(IN6_IS_ADDR_V4MAPPED(&w.got.laddr) &&
	    memcmp(&w.got.laddr.s6_addr[12], &sin.sin_addr, 4) == 0,
	    "local address as IPv4-mapped 127.0.0.1");
	/*
	 * Inode 0 is legitimate (an orphan, a connection not accepted yet);
	 * the states left out of the mask must not come.
	 */
	is_int(w.unwanted, 0, "no TIME_WAIT or half-open entries");
	/* Leaving LISTEN out of the mask leaves the listener out. */
	memset(&w, 0, sizeof(w));
	w.inode = inode_of(fd);
	ok(procnet_dump_inet(AF_INET, IPPROTO_TCP,
	    PROCNET_STATES_OWNED & ~(1U << PROCNET_LISTEN), on_sock, &w) == 0 &&
	    w.found == 0, "state mask filters in the kernel");
	close(fd);
}

static void
test_udp6(void)
{
	struct sockaddr_in6	sin6;
	struct want		w;
	int			fd;

	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_loopback;
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd == -1 ||
	    bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) == -1) {
		tap_skip("no IPv6 loopback: %s", strerror(errno));
		if (fd != -1)
			close(fd);
		return;
	}
	memset(&w, 0, sizeof(w));
	w.inode = inode_of(fd);
	if (procnet_dump_inet(AF_INET6, IPPROTO_UDP, PROCNET_STATES_OWNED,
	    on_sock, &w) == -1) {
		tap_skip("no UDP sock_diag here: %s", strerror(errno));
		close(fd);
		return;
	}
	is_int(w.found, 1, "UDP6 socket found");
	ok(IN6_IS_ADDR_LOOPBACK(&w.got.laddr), "bound to ::1");
	is_int(w.got.state, PROCNET_CLOSE, "unconnected UDP is CLOSE");
	close(fd);
}

struct pair {
	uint64_t	a, b;
	uint64_t	peer_a, peer_b;
	int		named;
};

static void
on_unix(const struct procnet_sock *s, void *arg)
{
	struct pair	*p = arg;

	if (s->inode == p->a) {
		p->peer_a = s->peer;
		p->named = s->name != NULL && s->namelen > 1 &&
		    s->name[0] == '\0' &&
		    memcmp(s->name + 1, "procnet-test", 12) == 0;
	} else if (s->inode == p->b)
		p->peer_b = s->peer;
}

static void
test_unix(void)
{
	struct sockaddr_un	sun;
	struct pair		p;
	socklen_t		len;
	int			sv[2], n;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1) {
		tap_skip("socketpair: %s", strerror(errno));
		return;
	}
	/* An abstract name, so the test writes nothing to the disk. */
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	n = snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1,
	    "procnet-test-%ld", (long)getpid());
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
	    (size_t)n);
	(void)bind(sv[0], (struct sockaddr *)&sun, len);
	memset(&p, 0, sizeof(p));
	p.a = inode_of(sv[0]);
	p.b = inode_of(sv[1]);
	if (procnet_dump_unix(on_unix, &p) == -1) {
		tap_skip("no unix_diag here: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return;
	}
	ok(p.peer_a == p.b && p.peer_b == p.a, "socketpair ends are peers");
	ok(p.named, "abstract name reported with its leading NUL");
	close(sv[0]);
	close(sv[1]);
}

int
main(void)
{
	errno = 0;
	ok(procnet_dump_inet(AF_UNIX, IPPROTO_TCP, 0, on_sock, NULL) == -1 &&
	    errno == EINVAL, "a family other than AF_INET[6] is refused");
	test_tcp();
	test_udp6();
	test_unix();
	return tap_done();
}
