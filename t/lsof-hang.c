/*
 * lsof-hang.c: run a command in a world where stat(2) of one directory
 * never returns, as on an NFS server that has gone away.
 *
 * usage: lsof-hang [-t type] dir command [arg ...]
 *
 * In a private mount namespace a FUSE file system (of type "fuse", or
 * type, such as "fuse.gvfsd-fuse") is mounted on dir; its server answers
 * the kernel's INIT and then nothing, so the first request about dir (the
 * GETATTR of a stat) waits for ever.  Users other than root are refused
 * by the kernel without a request, as for a FUSE mount of another user.  The command
 * runs in that namespace; when it ends the server is killed, which
 * aborts any request still waiting, and the command's status is ours.
 * Exit 77 when this cannot be set up (not root, no FUSE, no namespaces),
 * so that a test can skip.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <linux/fuse.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REQBUF	(FUSE_MIN_READ_BUFFER + (1 << 17))

/* Answer INIT; leave every other request waiting. */
static void
serve(int fd)
{
	struct fuse_in_header	*in;
	struct fuse_init_in	*ii;
	struct {
		struct fuse_out_header	h;
		struct fuse_init_out	o;
	} rep;
	char			*buf;
	ssize_t			 n;

	if ((buf = malloc(REQBUF)) == NULL)
		_exit(1);
	for (;;) {
		n = read(fd, buf, REQBUF);
		if (n == -1 && (errno == EINTR || errno == ENOENT))
			continue;
		if (n < (ssize_t)sizeof(*in))
			_exit(0);
		in = (struct fuse_in_header *)(void *)buf;
		if (in->opcode != FUSE_INIT)
			continue;
		ii = (struct fuse_init_in *)(void *)(in + 1);
		memset(&rep, 0, sizeof(rep));
		rep.h.len = sizeof(rep);
		rep.h.unique = in->unique;
		rep.o.major = FUSE_KERNEL_VERSION;
		rep.o.minor = ii->minor < FUSE_KERNEL_MINOR_VERSION ?
		    ii->minor : FUSE_KERNEL_MINOR_VERSION;
		rep.o.max_write = 4096;
		if (write(fd, &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
			_exit(1);
	}
}

int
main(int argc, char *argv[])
{
	char		 opts[128];
	const char	*type = "fuse";
	pid_t		 server, cmd;
	int		 fd, status;

	if (argc > 2 && strcmp(argv[1], "-t") == 0) {
		type = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: lsof-hang [-t type] dir command "
		    "[arg ...]\n");
		return 2;
	}
	if (unshare(CLONE_NEWNS) == -1 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1) {
		warn("mount namespace");
		return 77;
	}
	if ((fd = open("/dev/fuse", O_RDWR | O_CLOEXEC)) == -1) {
		warn("/dev/fuse");
		return 77;
	}
	snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=0,"
	    "group_id=0", fd);
	if (mount("lsof-hang", argv[1], type, MS_NOSUID | MS_NODEV,
	    opts) == -1) {
		warn("mount fuse on %s", argv[1]);
		return 77;
	}
	if ((server = fork()) == -1)
		err(1, "fork");
	if (server == 0)
		serve(fd);
	close(fd);
	if ((cmd = fork()) == -1)
		err(1, "fork");
	if (cmd == 0) {
		execvp(argv[2], argv + 2);
		err(127, "%s", argv[2]);
	}
	while (waitpid(cmd, &status, 0) == -1 && errno == EINTR)
		;
	kill(server, SIGKILL);
	waitpid(server, NULL, 0);
	(void)umount2(argv[1], MNT_DETACH);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
	    WTERMSIG(status);
}
