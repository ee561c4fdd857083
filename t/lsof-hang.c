/*
 * lsof-hang.c: run a command in a world where stat(2) of one directory
 * never returns, as on an NFS server that has gone away, or fails.
 *
 * usage: lsof-hang [-t type] [-e errno] dir command [arg ...]
 *
 * In a private mount namespace a FUSE file system (of type "fuse", or
 * type, such as "fuse.gvfsd-fuse") is mounted on dir; its server answers
 * the kernel's INIT and then nothing, so the first request about dir (the
 * GETATTR of a stat) waits for ever.  Users other than root are refused
 * by the kernel without a request, as for a FUSE mount of another user.  The command
 * runs in that namespace; when it ends the server is killed, which
 * aborts any request still waiting, and the command's status is ours.
 *
 * With -e the server fails every request with errno instead (GETATTR
 * first, so stat(2) fails even through /proc/PID/cwd), but for those a
 * process needs to open dir and make it its working and root directory.
 * Such a process, the holder, waits while the command runs, its PID in
 * the environment as LSOF_HANG_HOLDER.
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

/*
 * With -e: the answer to a request other than INIT, or -1 for none.
 * ENOSYS to ACCESS makes the kernel allow every access without asking
 * again; OPENDIR succeeds (fh 0); FORGET and INTERRUPT expect nothing.
 */
static int
answer(int fd, const struct fuse_in_header *in, int error)
{
	struct {
		struct fuse_out_header	h;
		struct fuse_open_out	o;
	} rep;

	memset(&rep, 0, sizeof(rep));
	rep.h.unique = in->unique;
	rep.h.len = sizeof(rep.h);
	switch (in->opcode) {
	case FUSE_FORGET:
	case FUSE_BATCH_FORGET:
	case FUSE_INTERRUPT:
		return -1;
	case FUSE_ACCESS:
		rep.h.error = -ENOSYS;
		break;
	case FUSE_OPENDIR:
		rep.h.len = sizeof(rep);
		break;
	case FUSE_RELEASEDIR:
		break;
	default:
		rep.h.error = -error;
	}
	return write(fd, &rep, rep.h.len) == (ssize_t)rep.h.len ? 0 : -1;
}

/* Answer INIT; leave every other request waiting, or fail it (-e). */
static void
serve(int fd, int error)
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
		if (in->opcode != FUSE_INIT) {
			if (error != 0)
				(void)answer(fd, in, error);
			continue;
		}
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

/*
 * The holder: dir as its working and root directory and a descriptor,
 * then a byte on ready when all is so.  Returns its PID, or -1.
 */
static pid_t
holder_start(const char *dir)
{
	pid_t	pid;
	int	p[2], d;
	char	c;

	if (pipe2(p, O_CLOEXEC) == -1 || (pid = fork()) == -1)
		err(1, "holder");
	if (pid == 0) {
		close(p[0]);
		if ((d = open(dir, O_RDONLY | O_DIRECTORY)) == -1 ||
		    fchdir(d) == -1 || chroot(".") == -1)
			err(1, "holder: %s", dir);
		if (write(p[1], "", 1) != 1)
			_exit(1);
		close(p[1]);
		for (;;)
			pause();
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1) {
		waitpid(pid, NULL, 0);
		return -1;
	}
	close(p[0]);
	return pid;
}

int
main(int argc, char *argv[])
{
	char		 opts[128], num[32];
	const char	*type = "fuse";
	pid_t		 server, cmd, holder = -1;
	int		 fd, status, error = 0;

	for (;;) {
		if (argc > 2 && strcmp(argv[1], "-t") == 0)
			type = argv[2];
		else if (argc > 2 && strcmp(argv[1], "-e") == 0)
			error = atoi(argv[2]);
		else
			break;
		argc -= 2;
		argv += 2;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: lsof-hang [-t type] [-e errno] dir "
		    "command [arg ...]\n");
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
		serve(fd, error);
	close(fd);
	if (error != 0) {
		if ((holder = holder_start(argv[1])) == -1) {
			kill(server, SIGKILL);
			errx(1, "no holder on %s", argv[1]);
		}
		snprintf(num, sizeof(num), "%ld", (long)holder);
		if (setenv("LSOF_HANG_HOLDER", num, 1) == -1)
			err(1, "setenv");
	}
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
	if (holder != -1) {
		kill(holder, SIGKILL);
		waitpid(holder, NULL, 0);
	}
	(void)umount2(argv[1], MNT_DETACH);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
	    WTERMSIG(status);
}
