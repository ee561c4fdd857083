/*
 * closefrom: close every descriptor >= lowfd.  Never loops to
 * RLIMIT_NOFILE: close_range(2) where the kernel has it, else the list of
 * open descriptors from /proc/self/fd or /dev/fd, and only as a last
 * resort a loop bounded by the highest descriptor in use.
 */
#include "config.h"

#include <sys/types.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "compat.h"

static int
closefrom_dir(const char *path, int lowfd)
{
	DIR		*d;
	struct dirent	*de;
	int		 dfd;

	if ((d = opendir(path)) == NULL)
		return -1;
	dfd = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		char	*end;
		long	 fd = strtol(de->d_name, &end, 10);

		if (*end != '\0' || fd < lowfd || fd > INT_MAX || fd == dfd)
			continue;
		(void)close((int)fd);
	}
	(void)closedir(d);
	return 0;
}

void
closefrom(int lowfd)
{
	long	maxfd;
	int	fd;

	if (lowfd < 0)
		lowfd = 0;
#if defined(HAVE_CLOSE_RANGE) && HAVE_DECL_CLOSE_RANGE
	if (close_range((unsigned)lowfd, ~0U, 0) == 0)
		return;
#endif
	if (closefrom_dir("/proc/self/fd", lowfd) == 0 ||
	    closefrom_dir("/dev/fd", lowfd) == 0)
		return;
	/* No descriptor list: bound the loop by the soft limit, capped. */
	maxfd = sysconf(_SC_OPEN_MAX);
	if (maxfd < 0 || maxfd > 65536)
		maxfd = 65536;
	for (fd = lowfd; fd < maxfd; fd++)
		(void)close(fd);
}
