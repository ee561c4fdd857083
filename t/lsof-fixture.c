/*
 * lsof-fixture.c: a process that holds one of every kind of open file, so
 * the lsof tests can compare our listing with lsof 4.95's for it.
 *
 * usage: lsof-fixture [-lmWxZ] [-c children] [-n nfds] [-N comm] dir
 *
 * Everything is created under dir.  When all is open the fixture writes
 * its PID (and its children's PIDs, one a line) to dir/ready and waits
 * for SIGTERM.  -n N opens N extra descriptors on /dev/null (for the
 * many-fd tests), -c K forks K children that each hold the -n fds, -m
 * opens only the -n fds (for the benchmark), -N sets the command name
 * (any bytes, for the escaping tests), -x makes the -n descriptors a
 * mix of /dev/null, files, pipes and sockets, -l keeps a second name,
 * mapdel.lnk, for the deleted mapped file (so that a test can give its
 * first name back to it, by a bind mount), -Z has the main thread exit
 * once ready, so that the process lives on in its other threads behind
 * a zombie leader (SIGTERM still ends it).  -W adds a descriptor of
 * every kind the kernel offers (lsof-kinds.c), listed in dir/kinds.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
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

#include <err.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lsof-kinds.h"

static const char *dir;
static int keeplink;

static char *
path_in(const char *name)
{
	static char	buf[4096];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

static int
file_make(const char *name, size_t size, int flags)
{
	int	fd;
	char	*p = path_in(name);

	if ((fd = open(p, O_RDWR | O_CREAT | flags, 0644)) == -1)
		err(1, "%s", p);
	if (size > 0 && ftruncate(fd, (off_t)size) == -1)
		err(1, "ftruncate");
	return fd;
}

/* A numeric address, port 0, as a sockaddr; returns its length. */
static socklen_t
addr_make(struct sockaddr_storage *ss, int family, const char *addr)
{
	struct sockaddr_in	*s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		s4->sin_family = AF_INET;
		inet_pton(AF_INET, addr, &s4->sin_addr);
		return sizeof(*s4);
	}
	s6->sin6_family = AF_INET6;
	inet_pton(AF_INET6, addr, &s6->sin6_addr);
	return sizeof(*s6);
}

static void
tcp_pair(int family, const char *addr)
{
	struct sockaddr_storage	ss;
	socklen_t		len;
	int			l, c, a;

	len = addr_make(&ss, family, addr);
	if ((l = socket(family, SOCK_STREAM, 0)) == -1)
		err(1, "socket");
	if (bind(l, (struct sockaddr *)&ss, len) == -1 || listen(l, 5) == -1)
		err(1, "bind/listen %s", addr);
	if (getsockname(l, (struct sockaddr *)&ss, &len) == -1)
		err(1, "getsockname");
	if (family == AF_INET) {
		FILE *fp = fopen(path_in("tcpport"), "w");

		if (fp == NULL)
			err(1, "tcpport");
		fprintf(fp, "%d\n",
		    ntohs(((struct sockaddr_in *)&ss)->sin_port));
		fclose(fp);
	}
	if ((c = socket(family, SOCK_STREAM, 0)) == -1)
		err(1, "socket");
	if (connect(c, (struct sockaddr *)&ss, len) == -1)
		err(1, "connect");
	if ((a = accept(l, NULL, NULL)) == -1)
		err(1, "accept");
	/* Unread data gives a non-zero receive queue for -T q. */
	if (write(c, "hello", 5) != 5)
		err(1, "write");
}

static void
udp_open(int family, const char *addr, int do_connect)
{
	struct sockaddr_storage	ss;
	socklen_t		len;
	int			s;

	len = addr_make(&ss, family, addr);
	if ((s = socket(family, SOCK_DGRAM, 0)) == -1)
		err(1, "socket");
	if (bind(s, (struct sockaddr *)&ss, len) == -1)
		err(1, "bind udp %s", addr);
	if (do_connect) {
		if (getsockname(s, (struct sockaddr *)&ss, &len) == -1)
			err(1, "getsockname");
		if (connect(s, (struct sockaddr *)&ss, len) == -1)
			err(1, "connect udp");
	}
}

static void
unix_open(void)
{
	struct sockaddr_un	sun;
	socklen_t		len;
	int			s, c, sv[2];

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path_in("ux.sock"));
	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    bind(s, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(s, 5) == -1)
		err(1, "unix listen");
	if ((c = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    connect(c, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		err(1, "unix connect");
	if (accept(s, NULL, NULL) == -1)
		err(1, "accept");

	/* An abstract name unique to this process. */
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
	    (size_t)snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1,
	    "lsof-fixture-%ld", (long)getpid()));
	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    bind(s, (struct sockaddr *)&sun, len) == -1 || listen(s, 5) == -1)
		err(1, "abstract listen");
	/* A connection left unaccepted, for the -E of the listener. */
	if ((c = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    connect(c, (struct sockaddr *)&sun, len) == -1)
		err(1, "abstract connect");
	if ((s = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1)
		err(1, "unix dgram");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == -1)
		err(1, "socketpair");
}

static void
kernel_sockets(void)
{
	struct sockaddr_nl	snl;
	int			s;

	if ((s = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)) == -1)
		err(1, "netlink");
	memset(&snl, 0, sizeof(snl));
	snl.nl_family = AF_NETLINK;
	if (bind(s, (struct sockaddr *)&snl, sizeof(snl)) == -1)
		err(1, "bind netlink");
	/* An unbound netlink socket is absent from /proc/net/netlink. */
	if (socket(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT) == -1)
		err(1, "netlink");
	if (geteuid() != 0)
		return;
	if (socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)) == -1)
		warn("packet");
	if (socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) == -1)
		warn("raw");
	if (socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6) == -1)
		warn("raw6");
}

/* A pseudo-terminal pair: the master and its slave, for -E. */
static void
pty_open(void)
{
	int	m;

	if ((m = posix_openpt(O_RDWR | O_NOCTTY)) == -1) {
		warn("posix_openpt");
		return;
	}
	if (grantpt(m) == -1 || unlockpt(m) == -1 ||
	    open(ptsname(m), O_RDWR | O_NOCTTY) == -1)
		warn("pty slave");
}

static void
anon_inodes(void)
{
	sigset_t	mask;
	int		ep, ev;

	if ((ev = eventfd(2, 0)) == -1)
		err(1, "eventfd");
	if ((ep = epoll_create1(0)) == -1)
		err(1, "epoll");
	{
		struct epoll_event e = { .events = EPOLLIN };
		e.data.fd = ev;
		epoll_ctl(ep, EPOLL_CTL_ADD, ev, &e);
	}
	if (timerfd_create(CLOCK_MONOTONIC, 0) == -1)
		err(1, "timerfd");
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR2);
	if (signalfd(-1, &mask, 0) == -1)
		err(1, "signalfd");
	if ((ev = inotify_init()) == -1)
		err(1, "inotify");
	inotify_add_watch(ev, dir, IN_CREATE);
#ifdef SYS_pidfd_open
	if (syscall(SYS_pidfd_open, getpid(), 0) == -1)
		warn("pidfd_open");
#endif
#ifdef SYS_memfd_create
	if ((ev = (int)syscall(SYS_memfd_create, "fixturememfd", 0)) != -1 &&
	    ftruncate(ev, 8192) == -1)
		err(1, "ftruncate memfd");
#endif
}

static void
files_open(void)
{
	struct flock	fl;
	void		*m;
	int		fd, dfd, p[2];
	char		name[4096];

	fd = file_make("regular.txt", 1234, 0);
	/* A whole-file write lock. */
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_SETLK, &fl) == -1)
		err(1, "lock");
	/* Locked files are mapped too: their mem rows show the lock. */
	if (mmap(NULL, 1234, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED)
		err(1, "mmap");
	/* A partial read lock, and an offset in the middle. */
	fd = file_make("partial.txt", 100, 0);
	fl.l_type = F_RDLCK;
	fl.l_start = 10;
	fl.l_len = 20;
	if (fcntl(fd, F_SETLK, &fl) == -1)
		err(1, "lock");
	if (mmap(NULL, 100, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED)
		err(1, "mmap");
	/* The working directory, shared-locked, as the cwd row shows. */
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY)) == -1 ||
	    flock(dfd, LOCK_SH) == -1 || fchdir(dfd) == -1)
		err(1, "%s", dir);
	lseek(fd, 77, SEEK_SET);
	fd = file_make("ro.txt", 0, 0);
	close(fd);
	if (open(path_in("ro.txt"), O_RDONLY) == -1 ||
	    open(path_in("ro.txt"), O_WRONLY | O_APPEND) == -1)
		err(1, "ro");
	if (open(dir, O_RDONLY | O_DIRECTORY) == -1)
		err(1, "%s", dir);
	if (open("/dev/null", O_RDWR) == -1)
		err(1, "/dev/null");
	if (open("/dev/loop0", O_RDONLY) == -1 && geteuid() == 0)
		warn("/dev/loop0");
	if (mkfifo(path_in("fifo"), 0600) == -1)
		err(1, "mkfifo");
	if (open(path_in("fifo"), O_RDWR) == -1)
		err(1, "fifo");
	if (pipe(p) == -1)
		err(1, "pipe");
	/* Odd names: a space, a newline, a tab, non-UTF-8, a backslash. */
	file_make("with space", 1, 0);
	file_make("new\nline", 2, 0);
	file_make("tab\there", 3, 0);
	file_make("bad\xff\xfeutf", 4, 0);
	file_make("caf\xc3\xa9", 5, 0);
	file_make("back\\slash\x01", 6, 0);
	/* A deleted file, and a deleted file that is also mapped. */
	fd = file_make("deleted.txt", 4321, 0);
	unlink(path_in("deleted.txt"));
	fd = file_make("mapped.bin", 16384, 0);
	m = mmap(NULL, 16384, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		err(1, "mmap");
	close(fd);
	fd = file_make("mapdel.bin", 8192, 0);
	m = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		err(1, "mmap");
	close(fd);
	snprintf(name, sizeof(name), "%s", path_in("mapdel.lnk"));
	if (keeplink && link(path_in("mapdel.bin"), name) == -1)
		err(1, "link");
	unlink(path_in("mapdel.bin"));
	/* A large offset, shown in hex by lsof. */
	fd = file_make("big.bin", 0, 0);
	if (lseek(fd, 0x123456789LL, SEEK_SET) == -1)
		err(1, "lseek");
	fd = file_make("hardlink.txt", 10, 0);
	snprintf(name, sizeof(name), "%s", path_in("hardlink2.txt"));
	if (link(path_in("hardlink.txt"), name) == -1)
		err(1, "link");
	/* An fd number far above the rest. */
	if (dup2(fd, 300) == -1)
		err(1, "dup2");
}

static void *
thread_main(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void
threads_start(void)
{
	pthread_t	t;

	if (pthread_create(&t, NULL, thread_main, NULL) != 0)
		errx(1, "pthread_create");
	pthread_setname_np(t, "fixture-thr");
}

static void
nulls_open(long n, int mixed)
{
	struct rlimit	rl;
	long		i;
	int		fd;

	if (n <= 0)
		return;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur < (rlim_t)n + 64) {
		rl.rlim_cur = (rlim_t)n + 64;
		if (rl.rlim_max < rl.rlim_cur)
			rl.rlim_max = rl.rlim_cur;
		/* 77: the caller may not raise the limit here (skip). */
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			err(77, "setrlimit");
	}
	if ((fd = open("/dev/null", O_RDONLY)) == -1)
		err(1, "/dev/null");
	if (!mixed) {
		for (i = 1; i < n; i++)
			if (dup(fd) == -1)
				err(1, "dup");
		return;
	}
	/*
	 * A realistic mix, four descriptors at a time: /dev/null, a regular
	 * file, then both ends of a pipe or (every other time) of a UNIX
	 * socket pair.
	 */
	for (i = 1; i < n; i++) {
		int	p[2];

		switch (i % 4) {
		case 0:
			if (dup(fd) == -1)
				err(1, "dup");
			break;
		case 1:
			if (open("/etc/passwd", O_RDONLY) == -1)
				err(1, "/etc/passwd");
			break;
		default:
			if (i % 8 == 2 ? pipe(p) == -1 :
			    socketpair(AF_UNIX, SOCK_STREAM, 0, p) == -1)
				err(1, "pipe/socketpair");
			i++;
			break;
		}
	}
}

static volatile sig_atomic_t done;

static void
on_term(int sig)
{
	(void)sig;
	done = 1;
}

/*
 * Descriptors inherited from the harness (make's jobserver pipe, bats'
 * own) are shared with processes that come and go between the two
 * programs' runs, so their pipe endpoints differ: none are the
 * fixture's business.
 */
static void
inherited_close(void)
{
	long	fd, max = sysconf(_SC_OPEN_MAX);

	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = 3; fd < max; fd++)
		(void)close((int)fd);
}

int
main(int argc, char *argv[])
{
	FILE		*fp;
	sigset_t	 mask, old;
	pid_t		*kids, parent;
	long		 nfds = 0, nkids = 0, i;
	int		 ch, minimal = 0, mixed = 0, zleader = 0, wide = 0;
	char		 tmp[4096];

	while ((ch = getopt(argc, argv, "c:lmn:N:WxZ")) != -1) {
		switch (ch) {
		case 'l':
			keeplink = 1;
			break;
		case 'W':
			wide = 1;
			break;
		case 'x':
			mixed = 1;
			break;
		case 'Z':
			zleader = 1;
			break;
		case 'N':
			if (prctl(PR_SET_NAME, optarg) == -1)
				err(1, "prctl");
			break;
		case 'c':
			nkids = atol(optarg);
			break;
		case 'm':
			minimal = 1;
			break;
		case 'n':
			nfds = atol(optarg);
			break;
		default:
			fprintf(stderr, "usage: lsof-fixture [-lmWxZ] [-c n] "
			    "[-n nfds] [-N comm] dir\n");
			return 2;
		}
	}
	if (optind + 1 != argc)
		errx(2, "missing directory");
	dir = argv[optind];
	inherited_close();
	signal(SIGTERM, on_term);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, &old);

	parent = getpid();
	kids = calloc((size_t)nkids + 1, sizeof(*kids));
	if (kids == NULL)
		err(1, "calloc");
	if (!minimal) {
		files_open();
		tcp_pair(AF_INET, "127.0.0.1");
		tcp_pair(AF_INET6, "::1");
		udp_open(AF_INET, "127.0.0.1", 0);
		udp_open(AF_INET6, "::1", 0);
		udp_open(AF_INET, "127.0.0.1", 1);
		unix_open();
		kernel_sockets();
		anon_inodes();
		pty_open();
		threads_start();
	}
	if (wide && kinds_open(dir) == -1)
		err(1, "kinds");
	nulls_open(nfds, mixed);
	for (i = 0; i < nkids; i++) {
		if ((kids[i] = fork()) == -1)
			err(1, "fork");
		if (kids[i] == 0) {
			/*
			 * A parent killed before it could end its children
			 * (a suite's teardown gives up and sends SIGKILL)
			 * leaves none behind.
			 */
			if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1 ||
			    getppid() != parent)
				_exit(0);
			sigprocmask(SIG_SETMASK, &old, NULL);
			while (!done)
				pause();
			_exit(0);
		}
	}
	snprintf(tmp, sizeof(tmp), "%s/ready.tmp", dir);
	if ((fp = fopen(tmp, "w")) == NULL)
		err(1, "%s", tmp);
	fprintf(fp, "%ld\n", (long)getpid());
	for (i = 0; i < nkids; i++)
		fprintf(fp, "%ld\n", (long)kids[i]);
	if (fclose(fp) == EOF || rename(tmp, path_in("ready")) == -1)
		err(1, "ready");
	if (zleader) {
		/* A thread that SIGTERM's default action may end. */
		signal(SIGTERM, SIG_DFL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		threads_start();
		pthread_exit(NULL);
	}
	while (!done)
		sigsuspend(&old);
	for (i = 0; i < nkids; i++) {
		kill(kids[i], SIGTERM);
		waitpid(kids[i], NULL, 0);
	}
	if (wide)
		kinds_cleanup();
	return 0;
}
