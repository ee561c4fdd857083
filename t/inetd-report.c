/*
 * inetd-report.c: a server for the inetd tests that says what it was
 * given: argv, ids, groups, umask, nice, limits, open descriptors and the
 * environment, one "key=value" line each, on its standard output (the
 * client's socket).  Two other modes serve wait=yes tests:
 *
 *	inetd-report dgram	answer each datagram on fd 0 with "pid N",
 *				exit after a second without one
 *	inetd-report accept	accept connections on the listening fd 0,
 *				answer "pid N", exit after a second idle
 */
#include "config.h"

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char	**environ;

static int
idle_wait(int fd)
{
	struct pollfd	pfd;

	pfd.fd = fd;
	pfd.events = POLLIN;
	return poll(&pfd, 1, 1000) == 1;
}

static int
mode_dgram(void)
{
	struct sockaddr_storage	ss;
	socklen_t		len;
	char			buf[512];
	ssize_t			n;

	while (idle_wait(0)) {
		len = sizeof(ss);
		n = recvfrom(0, buf, sizeof(buf), 0, (struct sockaddr *)&ss,
		    &len);
		if (n < 0)
			return 1;
		n = snprintf(buf, sizeof(buf), "pid %ld\n", (long)getpid());
		(void)sendto(0, buf, (size_t)n, 0, (struct sockaddr *)&ss,
		    len);
	}
	return 0;
}

static int
mode_accept(void)
{
	char	buf[64];
	int	fd, n;

	while (idle_wait(0)) {
		if ((fd = accept(0, NULL, NULL)) == -1)
			return 1;
		n = snprintf(buf, sizeof(buf), "pid %ld\n", (long)getpid());
		(void)write(fd, buf, (size_t)n);
		(void)close(fd);
	}
	return 0;
}

static void
report_fds(void)
{
	DIR		*d;
	struct dirent	*de;
	int		 dfd;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return;
	dfd = dirfd(d);
	printf("fds=");
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || atoi(de->d_name) == dfd)
			continue;
		printf("%s ", de->d_name);
	}
	printf("\n");
	(void)closedir(d);
}

static void
report(int argc, char *argv[])
{
	struct rlimit	rl;
	struct stat	st;
	gid_t		groups[64];
	mode_t		m;
	char		**e;
	int		i, n;

	for (i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	printf("uid=%ld\ngid=%ld\n", (long)getuid(), (long)getgid());
	n = getgroups(64, groups);
	printf("groups=");
	for (i = 0; i < n; i++)
		printf("%s%ld", i ? "," : "", (long)groups[i]);
	printf("\n");
	m = umask(0);
	printf("umask=%03o\n", (unsigned)m);
	errno = 0;
	printf("nice=%d\n", getpriority(PRIO_PROCESS, 0));
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		printf("rlimit_files=%llu\n", (unsigned long long)rl.rlim_cur);
	if (getrlimit(RLIMIT_CPU, &rl) == 0)
		printf("rlimit_cpu=%lld\n", rl.rlim_cur == RLIM_INFINITY ?
		    -1LL : (long long)rl.rlim_cur);
	printf("stdin_socket=%d\n", fstat(0, &st) == 0 && S_ISSOCK(st.st_mode));
	printf("sid_leader=%d\n", getsid(0) == getpid());
	report_fds();
	for (e = environ; *e != NULL; e++)
		printf("env:%s\n", *e);
}

int
main(int argc, char *argv[])
{
	if (argc > 1 && strcmp(argv[1], "dgram") == 0)
		return mode_dgram();
	if (argc > 1 && strcmp(argv[1], "accept") == 0)
		return mode_accept();
	report(argc, argv);
	return argc > 1 && strcmp(argv[1], "exit3") == 0 ? 3 : 0;
}
