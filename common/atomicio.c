/*
 * atomicio.c: read(2) and write(2) across EINTR and short counts.
 */
#include "config.h"

#include <sys/types.h>
#include <errno.h>
#include <unistd.h>

#include "atomicio.h"

ssize_t
atomicio_write(int fd, const void *buf, size_t len)
{
	const char	*p = buf;
	size_t		 done = 0;
	ssize_t		 n;

	while (done < len) {
		n = write(fd, p + done, len - done);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		done += (size_t)n;
	}
	return (ssize_t)done;
}

ssize_t
atomicio_read(int fd, void *buf, size_t len)
{
	char	*p = buf;
	size_t	 done = 0;
	ssize_t	 n;

	while (done < len) {
		n = read(fd, p + done, len - done);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}
