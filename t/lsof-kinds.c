/*
 * lsof-kinds.c: the fixture's -W: one descriptor of every kind the running
 * kernel offers, whatever lsof handles today, so that the comparison with
 * lsof 4.95 finds what a user would.
 *
 * Each kind is tried on its own; what it opened, or why the kernel (or the
 * user's privileges) refused it, is written to DIR/kinds, a line a kind:
 *
 *	NAME FD[,FD...]		opened
 *	NAME - REASON		refused, and why
 *
 * The suites compare each kind's descriptors with 4.95 and skip the
 * refused ones with their reason.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <netinet/if_ether.h>

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lsof-kinds.h"

#ifndef AF_VSOCK
#define AF_VSOCK	40
#endif
#ifndef AF_XDP
#define AF_XDP		44
#endif
#ifndef IPPROTO_UDPLITE
#define IPPROTO_UDPLITE	136
#endif
#ifndef IPPROTO_SCTP
#define IPPROTO_SCTP	132
#endif
#ifndef IPPROTO_DCCP
#define IPPROTO_DCCP	33
#endif
#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP	262
#endif
#ifndef SOCK_DCCP
#define SOCK_DCCP	6
#endif
#ifndef O_PATH
#define O_PATH		010000000
#endif
#ifndef O_TMPFILE
#define O_TMPFILE	(020000000 | O_DIRECTORY)
#endif
#ifndef F_OFD_SETLK
#define F_OFD_SETLK	37
#endif

struct kinds {
	const char	*dir;
	FILE		*out;
	char		 fds[256];	/* the current kind's descriptors */
	size_t		 len;
};

static char *
kpath(const struct kinds *k, const char *name)
{
	static char	buf[2][4096];
	static int	n;

	n = !n;
	snprintf(buf[n], sizeof(buf[n]), "%s/%s", k->dir, name);
	return buf[n];
}

/* One more descriptor of the current kind; -1 is a refusal (errno). */
static int
kadd(struct kinds *k, int fd)
{
	if (fd < 0)
		return -1;
	k->len += (size_t)snprintf(k->fds + k->len, sizeof(k->fds) - k->len,
	    "%s%d", k->len ? "," : "", fd);
	return 0;
}

/* The end of a kind: rv 0 when opened, else why not (errno, or why). */
static void
kdone(struct kinds *k, const char *name, int rv, const char *why)
{
	int	e = errno;

	if (rv == 0 && k->len > 0)
		fprintf(k->out, "%s %s\n", name, k->fds);
	else
		fprintf(k->out, "%s - %s\n", name, why != NULL ? why :
		    strerror(e));
	k->len = 0;
	k->fds[0] = '\0';
}

/* Each kind: a function that adds descriptors; -1 with errno set. */
typedef int	kind_fn(struct kinds *);

static int
open_file(struct kinds *k, const char *name, int flags)
{
	int	fd;

	if ((fd = open(kpath(k, name), O_RDWR | O_CREAT, 0644)) == -1)
		return -1;
	if (write(fd, "kinds\n", 6) != 6)
		return -1;
	close(fd);
	return kadd(k, open(kpath(k, name), flags));
}

static int
k_path(struct kinds *k)
{
	if (kadd(k, open(k->dir, O_PATH | O_DIRECTORY)) == -1 ||
	    open_file(k, "opath.txt", O_PATH) == -1)
		return -1;
	if (symlink("opath.txt", kpath(k, "opath.lnk")) == -1)
		return -1;
	return kadd(k, open(kpath(k, "opath.lnk"), O_PATH | O_NOFOLLOW));
}

static int
k_tmpfile(struct kinds *k)
{
	return kadd(k, open(k->dir, O_TMPFILE | O_RDWR, 0600));
}

static int
k_flags(struct kinds *k)
{
	int	fd;

	if (open_file(k, "append.txt", O_WRONLY | O_APPEND) == -1 ||
	    open_file(k, "nonblock.txt", O_RDONLY | O_NONBLOCK) == -1 ||
	    open_file(k, "sync.txt", O_RDWR | O_SYNC) == -1 ||
	    open_file(k, "dsync.txt", O_WRONLY | O_DSYNC) == -1 ||
	    open_file(k, "cloexec.txt", O_RDONLY | O_CLOEXEC) == -1 ||
	    open_file(k, "noatime.txt", O_RDONLY | O_NOATIME) == -1 ||
	    open_file(k, "trunc.txt", O_WRONLY | O_TRUNC) == -1 ||
	    open_file(k, "noctty.txt", O_RDWR | O_NOCTTY) == -1)
		return -1;
	if ((fd = open(kpath(k, "async.txt"), O_RDWR | O_CREAT, 0644)) == -1 ||
	    fcntl(fd, F_SETFL, O_ASYNC | O_NONBLOCK) == -1)
		return -1;
	return kadd(k, fd);
}

static int
k_direct(struct kinds *k)
{
	return open_file(k, "direct.bin", O_RDWR | O_DIRECT);
}

static int
k_deleted(struct kinds *k)
{
	int	fd;

	/* Unlinked, and unlinked from one of two names. */
	if ((fd = open(kpath(k, "gone.txt"), O_RDWR | O_CREAT, 0644)) == -1 ||
	    unlink(kpath(k, "gone.txt")) == -1 || kadd(k, fd) == -1)
		return -1;
	if ((fd = open(kpath(k, "twice.txt"), O_RDWR | O_CREAT, 0644)) == -1 ||
	    link(kpath(k, "twice.txt"), kpath(k, "twice2.txt")) == -1 ||
	    unlink(kpath(k, "twice.txt")) == -1)
		return -1;
	return kadd(k, fd);
}

static int
k_fifo(struct kinds *k)
{
	int	r;

	if (mkfifo(kpath(k, "kfifo"), 0600) == -1 ||
	    (r = open(kpath(k, "kfifo"), O_RDONLY | O_NONBLOCK)) == -1 ||
	    kadd(k, r) == -1)
		return -1;
	return kadd(k, open(kpath(k, "kfifo"), O_WRONLY | O_NONBLOCK));
}

static int
k_chr(struct kinds *k)
{
	if (kadd(k, open("/dev/zero", O_RDONLY)) == -1 ||
	    kadd(k, open("/dev/urandom", O_RDONLY)) == -1 ||
	    kadd(k, open("/dev/full", O_WRONLY)) == -1)
		return -1;
	return 0;
}

static int
k_blk(struct kinds *k)
{
	return kadd(k, open("/dev/loop1", O_RDONLY));
}

static int
k_tun(struct kinds *k)
{
	return kadd(k, open("/dev/net/tun", O_RDWR));
}

static int
k_procfs(struct kinds *k)
{
	if (kadd(k, open("/proc/self/status", O_RDONLY)) == -1 ||
	    kadd(k, open("/proc/self/ns/net", O_RDONLY)) == -1 ||
	    kadd(k, open("/proc/self/ns/mnt", O_RDONLY)) == -1 ||
	    kadd(k, open("/sys/kernel/uevent_seqnum", O_RDONLY)) == -1)
		return -1;
	return 0;
}

/* A file of dir with a lock of the given kind and extent; -1. */
static int
lock_range(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock	fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_whence = SEEK_SET;
	fl.l_type = type;
	fl.l_start = start;
	fl.l_len = len;
	return fcntl(fd, cmd, &fl);
}

static int
locked_file(struct kinds *k, const char *name, int cmd, short type,
    off_t start, off_t len)
{
	int	fd;

	if ((fd = open(kpath(k, name), O_RDWR | O_CREAT, 0644)) == -1 ||
	    lock_range(fd, cmd, type, start, len) == -1)
		return -1;
	return fd;
}

static int
k_locks(struct kinds *k)
{
	int	fd;

	/* A whole-file read lock, a partial write lock. */
	if (kadd(k, locked_file(k, "rlock.txt", F_SETLK, F_RDLCK, 0, 0)) ==
	    -1 || kadd(k, locked_file(k, "wlock.txt", F_SETLK, F_WRLCK, 5,
	    5)) == -1)
		return -1;
	/* flock(2), exclusive. */
	if ((fd = open(kpath(k, "flock.txt"), O_RDWR | O_CREAT, 0644)) == -1 ||
	    flock(fd, LOCK_EX) == -1 || kadd(k, fd) == -1)
		return -1;
	/* Two locks of one process on one file: a read and a write part. */
	if ((fd = locked_file(k, "two.txt", F_SETLK, F_RDLCK, 0, 2)) == -1 ||
	    lock_range(fd, F_SETLK, F_WRLCK, 10, 0) == -1)
		return -1;
	return kadd(k, fd);
}

/* An open file description lock, whole file, for writing. */
static int
k_ofdlock(struct kinds *k)
{
	return kadd(k, locked_file(k, "ofd.txt", F_OFD_SETLK, F_WRLCK, 0, 0));
}

static int
k_lease(struct kinds *k)
{
	int	fd;

	if ((fd = open(kpath(k, "lease.txt"), O_RDONLY | O_CREAT, 0644)) ==
	    -1 || fcntl(fd, F_SETLEASE, F_RDLCK) == -1)
		return -1;
	return kadd(k, fd);
}

static int
k_memfd(struct kinds *k)
{
#ifdef SYS_memfd_create
	int	fd;

	if ((fd = (int)syscall(SYS_memfd_create, "kinds memfd", 0)) == -1 ||
	    ftruncate(fd, 100) == -1)
		return -1;
	return kadd(k, fd);
#else
	errno = ENOSYS;
	return -1;
#endif
}

static int
k_secretmem(struct kinds *k)
{
#ifdef SYS_memfd_secret
	return kadd(k, (int)syscall(SYS_memfd_secret, 0));
#else
	errno = ENOSYS;
	return -1;
#endif
}

static int
k_shm(struct kinds *k)
{
	char	name[64];
	int	fd;

	snprintf(name, sizeof(name), "/dev/shm/lsof-kinds-%ld",
	    (long)getpid());
	if ((fd = open(name, O_RDWR | O_CREAT, 0600)) == -1)
		return -1;
	unlink(name);
	return kadd(k, fd);
}

/* A numeric address and port as a sockaddr; returns its length. */
static socklen_t
sa_make(struct sockaddr_storage *ss, int family, const char *addr,
    int port)
{
	struct sockaddr_in	*s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		inet_pton(AF_INET, addr, &s4->sin_addr);
		return sizeof(*s4);
	}
	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons((uint16_t)port);
	inet_pton(AF_INET6, addr, &s6->sin6_addr);
	return sizeof(*s6);
}

static int
sa_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

/* A socket bound to addr (port 0); its port in *port. */
static int
sock_bound(int family, int type, int proto, const char *addr, int *port)
{
	struct sockaddr_storage	ss;
	socklen_t		len;
	int			s;

	if ((s = socket(family, type, proto)) == -1)
		return -1;
	len = sa_make(&ss, family, addr, 0);
	if (bind(s, (struct sockaddr *)&ss, len) == -1 ||
	    getsockname(s, (struct sockaddr *)&ss, &len) == -1) {
		close(s);
		return -1;
	}
	*port = sa_port(&ss);
	return s;
}

static int
sock_connect(int s, int family, const char *addr, int port)
{
	struct sockaddr_storage	ss;
	socklen_t		len;

	len = sa_make(&ss, family, addr, port);
	return connect(s, (struct sockaddr *)&ss, len);
}

/*
 * An IPv6 listener on :: (both families) and an IPv6 socket connected to
 * it through an IPv4-mapped address, with the accepted end.
 */
static int
k_mapped(struct kinds *k)
{
	int	l, c, a, port, one = 0;

	if ((l = socket(AF_INET6, SOCK_STREAM, 0)) == -1 ||
	    setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) == -1)
		return -1;
	close(l);
	if ((l = sock_bound(AF_INET6, SOCK_STREAM, 0, "::", &port)) == -1 ||
	    listen(l, 5) == -1 || kadd(k, l) == -1)
		return -1;
	if ((c = socket(AF_INET6, SOCK_STREAM, 0)) == -1 ||
	    sock_connect(c, AF_INET6, "::ffff:127.0.0.1", port) == -1 ||
	    kadd(k, c) == -1 || (a = accept(l, NULL, NULL)) == -1)
		return -1;
	if (kadd(k, a) == -1)
		return -1;
	/* A listener bound to a mapped address, and UDP connected to one. */
	if ((l = sock_bound(AF_INET6, SOCK_STREAM, 0, "::ffff:127.0.0.1",
	    &port)) == -1 || listen(l, 5) == -1 || kadd(k, l) == -1)
		return -1;
	if ((c = sock_bound(AF_INET6, SOCK_DGRAM, 0, "::", &port)) == -1 ||
	    sock_connect(c, AF_INET6, "::ffff:127.0.0.1", port) == -1)
		return -1;
	return kadd(k, c);
}

/* A bound and a connected socket of one datagram protocol, v4 and v6. */
static int
dgram_pair(struct kinds *k, int proto)
{
	static const char *const addrs[] = { "127.0.0.1", "::1" };
	int			 i, s, port, fam;

	for (i = 0; i < 2; i++) {
		fam = i == 0 ? AF_INET : AF_INET6;
		if ((s = sock_bound(fam, SOCK_DGRAM, proto, addrs[i],
		    &port)) == -1 || kadd(k, s) == -1)
			return -1;
		if ((s = sock_bound(fam, SOCK_DGRAM, proto, addrs[i],
		    &port)) == -1 ||
		    sock_connect(s, fam, addrs[i], port) == -1 ||
		    kadd(k, s) == -1)
			return -1;
	}
	return 0;
}

static int
k_udplite(struct kinds *k)
{
	return dgram_pair(k, IPPROTO_UDPLITE);
}

/* A stream protocol: a listener and a connection, v4 and v6. */
static int
stream_pair(struct kinds *k, int type, int proto)
{
	static const char *const addrs[] = { "127.0.0.1", "::1" };
	int			 i, l, c, a, port, fam;

	for (i = 0; i < 2; i++) {
		fam = i == 0 ? AF_INET : AF_INET6;
		if ((l = sock_bound(fam, type, proto, addrs[i], &port)) ==
		    -1 || listen(l, 5) == -1 || kadd(k, l) == -1)
			return -1;
		if ((c = socket(fam, type, proto)) == -1 ||
		    sock_connect(c, fam, addrs[i], port) == -1 ||
		    kadd(k, c) == -1 || (a = accept(l, NULL, NULL)) == -1 ||
		    kadd(k, a) == -1)
			return -1;
	}
	return 0;
}

static int
k_sctp(struct kinds *k)
{
	return stream_pair(k, SOCK_STREAM, IPPROTO_SCTP);
}

static int
k_dccp(struct kinds *k)
{
	return stream_pair(k, SOCK_DCCP, IPPROTO_DCCP);
}

static int
k_mptcp(struct kinds *k)
{
	return stream_pair(k, SOCK_STREAM, IPPROTO_MPTCP);
}

static int
k_icmp(struct kinds *k)
{
	return dgram_pair(k, IPPROTO_ICMP);
}

static int
k_raw(struct kinds *k)
{
	int	s, port;

	if (kadd(k, socket(AF_INET, SOCK_RAW, IPPROTO_RAW)) == -1 ||
	    kadd(k, socket(AF_INET, SOCK_RAW, IPPROTO_UDP)) == -1 ||
	    kadd(k, socket(AF_INET6, SOCK_RAW, IPPROTO_RAW)) == -1)
		return -1;
	if ((s = sock_bound(AF_INET, SOCK_RAW, IPPROTO_ICMP, "127.0.0.1",
	    &port)) == -1 || sock_connect(s, AF_INET, "127.0.0.2", 0) == -1)
		return -1;
	return kadd(k, s);
}

static int
k_packet(struct kinds *k)
{
	static const int protos[] = { ETH_P_IP, ETH_P_ARP, ETH_P_IPV6,
	    0x88b5, ETH_P_8021Q, ETH_P_LOOP, 0 };
	size_t		 i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (kadd(k, socket(AF_PACKET, SOCK_RAW,
		    htons((uint16_t)protos[i]))) == -1)
			return -1;
	if (kadd(k, socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL))) == -1 ||
	    kadd(k, socket(AF_PACKET, SOCK_DGRAM, htons(0x1234))) == -1)
		return -1;
	return 0;
}

static int
k_netlink(struct kinds *k)
{
	static const int protos[] = { NETLINK_GENERIC, NETLINK_SOCK_DIAG,
	    NETLINK_KOBJECT_UEVENT, NETLINK_XFRM, NETLINK_NETFILTER,
	    NETLINK_FIB_LOOKUP, NETLINK_CONNECTOR, NETLINK_AUDIT,
	    NETLINK_SELINUX, NETLINK_ISCSI, NETLINK_SCSITRANSPORT,
	    NETLINK_RDMA, NETLINK_CRYPTO, 22 };
	struct sockaddr_nl snl;
	size_t		 i;
	int		 s, n = 0;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		if ((s = socket(AF_NETLINK, SOCK_RAW, protos[i])) == -1)
			continue;
		memset(&snl, 0, sizeof(snl));
		snl.nl_family = AF_NETLINK;
		(void)bind(s, (struct sockaddr *)&snl, sizeof(snl));
		kadd(k, s);
		n++;
	}
	/* A second, unbound, and a datagram one. */
	if (kadd(k, socket(AF_NETLINK, SOCK_DGRAM, NETLINK_GENERIC)) == -1)
		return -1;
	return n > 0 ? 0 : -1;
}

static int
k_vsock(struct kinds *k)
{
	return kadd(k, socket(AF_VSOCK, SOCK_STREAM, 0));
}

static int
k_xdp(struct kinds *k)
{
	return kadd(k, socket(AF_XDP, SOCK_RAW, 0));
}

static int
unix_bound(struct kinds *k, int type, const char *path, size_t plen,
    int do_listen)
{
	struct sockaddr_un	sun;
	int			s;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (plen > sizeof(sun.sun_path))
		plen = sizeof(sun.sun_path);
	memcpy(sun.sun_path, path, plen);
	if ((s = socket(AF_UNIX, type, 0)) == -1 ||
	    bind(s, (struct sockaddr *)&sun, (socklen_t)(offsetof(struct
	    sockaddr_un, sun_path) + plen)) == -1 ||
	    (do_listen && listen(s, 5) == -1))
		return -1;
	return kadd(k, s);
}

/*
 * UNIX sockets of every type, with odd paths and abstract names.  (Paths
 * with blanks are left out: 4.95 cuts them at the first one, this lsof
 * deliberately does not, and a suite of its own checks that.  So is one
 * with a newline: 4.95 gives such a socket the file of the socket before
 * it in /proc/net/unix, an order that changes from run to run.)
 */
static int
k_unix(struct kinds *k)
{
	static const char *const odd[] = { "u\xff\xc3\xa9", "u\\bs",
	    "u%s" };
	char		 abs[64];
	size_t		 i, len;
	int		 sv[2];

	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		if (unix_bound(k, SOCK_STREAM, kpath(k, odd[i]),
		    strlen(kpath(k, odd[i])), 1) == -1)
			return -1;
	if (unix_bound(k, SOCK_DGRAM, kpath(k, "u.dgram"),
	    strlen(kpath(k, "u.dgram")), 0) == -1 ||
	    unix_bound(k, SOCK_SEQPACKET, kpath(k, "u.seqp"),
	    strlen(kpath(k, "u.seqp")), 1) == -1)
		return -1;
	/* An abstract name with a control byte. */
	len = (size_t)snprintf(abs, sizeof(abs), "%cabs-kinds\001%ld", 0,
	    (long)getpid());
	if (unix_bound(k, SOCK_DGRAM, abs, len, 0) == -1)
		return -1;
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == -1 ||
	    kadd(k, sv[0]) == -1 || kadd(k, sv[1]) == -1)
		return -1;
	return kadd(k, socket(AF_UNIX, SOCK_SEQPACKET, 0));
}

/* A socket of another network namespace: absent from this one's tables. */
static int
k_netns(struct kinds *k)
{
	int	sv[2], fd, st;
	pid_t	pid;
	char	cbuf[CMSG_SPACE(sizeof(int))], b = 0;
	struct iovec	iov = { &b, 1 };
	struct msghdr	mh;
	struct cmsghdr	*cm;

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == -1)
		return -1;
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		if (unshare(CLONE_NEWNET) == -1 ||
		    (fd = socket(AF_INET, SOCK_STREAM, 0)) == -1) {
			b = (char)errno;
			(void)send(sv[1], &b, 1, 0);
			_exit(1);
		}
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
		(void)sendmsg(sv[1], &mh, 0);
		_exit(0);
	}
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	fd = -1;
	if (recvmsg(sv[0], &mh, 0) == 1 && (cm = CMSG_FIRSTHDR(&mh)) != NULL)
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	waitpid(pid, &st, 0);
	close(sv[0]);
	close(sv[1]);
	if (fd == -1)
		errno = b ? b : EPERM;
	return kadd(k, fd);
}

static int
k_epoll(struct kinds *k)
{
	struct epoll_event	ev;
	int			ep, fds[3], i;

	/* Watched descriptors added out of order. */
	for (i = 0; i < 3; i++)
		if ((fds[i] = eventfd(0, 0)) == -1)
			return -1;
	if ((ep = epoll_create1(0)) == -1)
		return -1;
	for (i = 2; i >= 0; i--) {
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.fd = fds[i];
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev) == -1)
			return -1;
	}
	if (kadd(k, ep) == -1)
		return -1;
	/* One watching more than 4.95 shows (it shows 32, then "..."). */
	if ((ep = epoll_create1(0)) == -1)
		return -1;
	for (i = 0; i < 40; i++) {
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		if ((fds[0] = eventfd(0, 0)) == -1 ||
		    epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &ev) == -1)
			return -1;
	}
	if (kadd(k, ep) == -1)
		return -1;
	/* One watching nothing, and one watching another epoll. */
	if ((i = epoll_create1(0)) == -1 || kadd(k, i) == -1)
		return -1;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	if ((i = epoll_create1(0)) == -1 ||
	    epoll_ctl(i, EPOLL_CTL_ADD, ep, &ev) == -1)
		return -1;
	return kadd(k, i);
}

static int
k_anon(struct kinds *k)
{
	sigset_t	mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	if (kadd(k, eventfd(5, EFD_NONBLOCK)) == -1 ||
	    kadd(k, signalfd(-1, &mask, 0)) == -1 ||
	    kadd(k, timerfd_create(CLOCK_REALTIME, 0)) == -1 ||
	    kadd(k, inotify_init1(IN_NONBLOCK)) == -1)
		return -1;
	return 0;
}

static int
k_pidfd(struct kinds *k)
{
#ifdef SYS_pidfd_open
	return kadd(k, (int)syscall(SYS_pidfd_open, getppid(), 0));
#else
	errno = ENOSYS;
	return -1;
#endif
}

static int
k_fanotify(struct kinds *k)
{
#ifdef SYS_fanotify_init
	return kadd(k, (int)syscall(SYS_fanotify_init, 0, O_RDONLY));
#else
	errno = ENOSYS;
	return -1;
#endif
}

static int
k_io_uring(struct kinds *k)
{
#ifdef SYS_io_uring_setup
	unsigned char	params[120];
	int		fd;

	memset(params, 0, sizeof(params));
	if ((fd = (int)syscall(SYS_io_uring_setup, 4, params)) == -1)
		return -1;
	/* Its submission ring mapped: a mem row of no path. */
	if (mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED |
	    MAP_POPULATE, fd, 0) == MAP_FAILED)
		return -1;
	return kadd(k, fd);
#else
	errno = ENOSYS;
	return -1;
#endif
}

static int
k_userfaultfd(struct kinds *k)
{
#ifdef SYS_userfaultfd
	return kadd(k, (int)syscall(SYS_userfaultfd, O_CLOEXEC));
#else
	errno = ENOSYS;
	return -1;
#endif
}

/* union bpf_attr, as far as BPF_MAP_CREATE and BPF_PROG_LOAD use it. */
union kinds_bpf_attr {
	uint32_t	w[32];
	uint64_t	d[16];
};

static int
k_bpf(struct kinds *k)
{
#ifdef SYS_bpf
	union kinds_bpf_attr	attr;
	/* r0 = 0; exit */
	static const uint64_t	insns[2] = { 0x00000000000000b7ULL,
	    0x0000000000000095ULL };
	static const char	lic[] = "GPL";

	memset(&attr, 0, sizeof(attr));
	attr.w[0] = 2;		/* BPF_MAP_TYPE_ARRAY */
	attr.w[1] = 4;		/* key size */
	attr.w[2] = 8;		/* value size */
	attr.w[3] = 4;		/* max entries */
	if (kadd(k, (int)syscall(SYS_bpf, 0, &attr, sizeof(attr))) == -1)
		return -1;
	memset(&attr, 0, sizeof(attr));
	attr.w[0] = 1;		/* BPF_PROG_TYPE_SOCKET_FILTER */
	attr.w[1] = 2;		/* instructions */
	attr.d[1] = (uint64_t)(uintptr_t)insns;
	attr.d[2] = (uint64_t)(uintptr_t)lic;
	return kadd(k, (int)syscall(SYS_bpf, 5, &attr, sizeof(attr)));
#else
	errno = ENOSYS;
	return -1;
#endif
}

static int
k_perf(struct kinds *k)
{
#ifdef SYS_perf_event_open
	uint32_t	attr[32];

	memset(attr, 0, sizeof(attr));
	attr[0] = 1;		/* PERF_TYPE_SOFTWARE */
	attr[1] = 112;		/* size: PERF_ATTR_SIZE_VER5 */
	/* config 0 (cpu-clock); disabled, exclude kernel and hv */
	attr[10] = 1 | (1 << 5) | (1 << 6);
	return kadd(k, (int)syscall(SYS_perf_event_open, attr, 0, -1, -1,
	    0));
#else
	errno = ENOSYS;
	return -1;
#endif
}

static int
k_fsopen(struct kinds *k)
{
#ifdef SYS_fsopen
	return kadd(k, (int)syscall(SYS_fsopen, "tmpfs", 0));
#else
	errno = ENOSYS;
	return -1;
#endif
}

static int
k_mqueue(struct kinds *k)
{
	struct mq_attr	attr;
	char		name[64];
	mqd_t		q;

	memset(&attr, 0, sizeof(attr));
	attr.mq_maxmsg = 4;
	attr.mq_msgsize = 64;
	snprintf(name, sizeof(name), "/lsof-kinds-%ld", (long)getpid());
	if ((q = mq_open(name, O_RDWR | O_CREAT, 0600, &attr)) == (mqd_t)-1)
		return -1;
	if (mq_send(q, "hello", 5, 0) == -1 || kadd(k, (int)q) == -1)
		return -1;
	/* A second, read-only, and one unlinked. */
	if (kadd(k, (int)mq_open(name, O_RDONLY)) == -1)
		return -1;
	mq_unlink(name);
	snprintf(name, sizeof(name), "/lsof-kinds-%ld-w", (long)getpid());
	if ((q = mq_open(name, O_WRONLY | O_CREAT, 0600, &attr)) == (mqd_t)-1)
		return -1;
	return kadd(k, (int)q);
}

/* mqueue names left behind by a fixture that died are removed here. */
void
kinds_cleanup(void)
{
	char	name[64];

	snprintf(name, sizeof(name), "/lsof-kinds-%ld-w", (long)getpid());
	mq_unlink(name);
}

static const struct {
	const char	*name;
	kind_fn		*fn;
} kinds_table[] = {
	{ "opath", k_path },
	{ "tmpfile", k_tmpfile },
	{ "openflags", k_flags },
	{ "direct", k_direct },
	{ "deleted", k_deleted },
	{ "fifo", k_fifo },
	{ "chr", k_chr },
	{ "blk", k_blk },
	{ "tun", k_tun },
	{ "procfs", k_procfs },
	{ "locks", k_locks },
	{ "ofdlock", k_ofdlock },
	{ "lease", k_lease },
	{ "memfd", k_memfd },
	{ "secretmem", k_secretmem },
	{ "shm", k_shm },
	{ "mapped6", k_mapped },
	{ "udplite", k_udplite },
	{ "sctp", k_sctp },
	{ "dccp", k_dccp },
	{ "mptcp", k_mptcp },
	{ "icmp", k_icmp },
	{ "raw", k_raw },
	{ "packet", k_packet },
	{ "netlink", k_netlink },
	{ "vsock", k_vsock },
	{ "xdp", k_xdp },
	{ "unix", k_unix },
	{ "netns", k_netns },
	{ "epoll", k_epoll },
	{ "anon", k_anon },
	{ "pidfd", k_pidfd },
	{ "fanotify", k_fanotify },
	{ "io_uring", k_io_uring },
	{ "userfaultfd", k_userfaultfd },
	{ "bpf", k_bpf },
	{ "perf", k_perf },
	{ "fsopen", k_fsopen },
	{ "mqueue", k_mqueue },
};

int
kinds_open(const char *dir)
{
	struct kinds	k;
	size_t		i;
	char		tmp[4096], fin[4096];
	int		rv;

	memset(&k, 0, sizeof(k));
	k.dir = dir;
	snprintf(tmp, sizeof(tmp), "%s/kinds.tmp", dir);
	snprintf(fin, sizeof(fin), "%s/kinds", dir);
	if ((k.out = fopen(tmp, "w")) == NULL)
		return -1;
	for (i = 0; i < sizeof(kinds_table) / sizeof(kinds_table[0]); i++) {
		errno = 0;
		rv = kinds_table[i].fn(&k);
		kdone(&k, kinds_table[i].name, rv, NULL);
	}
	if (fclose(k.out) == EOF || rename(tmp, fin) == -1)
		return -1;
	return 0;
}
