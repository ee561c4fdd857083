/*
 * sentry-logsink.c: a /dev/log for the tests and the benchmark.
 *
 *	sentry-logsink SOCKET FILE
 *
 * Binds a Unix datagram socket at SOCKET and appends each message to
 * FILE as "SECONDS.MICROS MESSAGE", stamped by the kernel when it was
 * sent (SO_TIMESTAMPNS), so that a probe-to-alert delay can be measured
 * whatever this process is doing.  It reads in batches and writes FILE
 * once per batch: a light sink, so that it takes as little CPU as
 * possible from the detectors it listens to.  Writes "ready" first.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH	64
#define MSGMAX	2048

int
main(int argc, char *argv[])
{
	static char		bufs[BATCH][MSGMAX];
	static char		ctl[BATCH][CMSG_SPACE(sizeof(struct timespec))];
	struct mmsghdr		msgs[BATCH];
	struct iovec		iov[BATCH];
	struct sockaddr_un	sun;
	struct cmsghdr		*c;
	struct timespec		ts;
	FILE			*out;
	int			fd, on = 1, big = 8 << 20, n, i;
	size_t			len;

	if (argc != 3) {
		fprintf(stderr, "usage: sentry-logsink socket file\n");
		return 2;
	}
	if ((out = fopen(argv[2], "a")) == NULL ||
	    (fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1) {
		perror(argv[2]);
		return 1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	(void)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", argv[1]);
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	(void)setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		perror(argv[1]);
		return 1;
	}
	fprintf(out, "ready\n");
	(void)fflush(out);
	for (;;) {
		memset(msgs, 0, sizeof(msgs));
		for (i = 0; i < BATCH; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = MSGMAX - 1;
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
			msgs[i].msg_hdr.msg_control = ctl[i];
			msgs[i].msg_hdr.msg_controllen = sizeof(ctl[i]);
		}
		n = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			perror("recvmmsg");
			return 1;
		}
		for (i = 0; i < n; i++) {
			memset(&ts, 0, sizeof(ts));
			for (c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c != NULL;
			    c = CMSG_NXTHDR(&msgs[i].msg_hdr, c))
				if (c->cmsg_level == SOL_SOCKET &&
				    c->cmsg_type == SO_TIMESTAMPNS)
					memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			len = msgs[i].msg_len;
			while (len > 0 && bufs[i][len - 1] == '\n')
				len--;
			bufs[i][len] = '\0';
			fprintf(out, "%lld.%06ld %s\n", (long long)ts.tv_sec,
			    ts.tv_nsec / 1000, bufs[i]);
		}
		(void)fflush(out);
	}
}
