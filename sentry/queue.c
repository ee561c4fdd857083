/*
 * queue.c: probes on their way from the detector to the reporter.
 *
 * The detector writes whole events to a non-blocking pipe, never more
 * than PIPE_BUF bytes at once so that a write is all or nothing.  When the
 * reporter falls behind (a slow syslog, a name lookup, a command) and the
 * pipe is full, events wait in a ring of QUEUE_EVENTS; beyond that they
 * are counted and dropped, and the count is logged, so that memory stays
 * bounded and the capture is never held up.
 */
#include "config.h"

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sentry.h"
#include "xmalloc.h"

#define QUEUE_CHUNK	(PIPE_BUF / sizeof(struct sentry_event))
/* A pipe big enough for the burst of a fast scan (Linux only). */
#define QUEUE_PIPESIZE	(1024 * 1024)

void
queue_init(struct queue *q, int fd)
{
	memset(q, 0, sizeof(*q));
	q->ring = xreallocarray(NULL, QUEUE_EVENTS, sizeof(*q->ring));
	q->fd = fd;
#ifdef F_SETPIPE_SZ
	(void)fcntl(fd, F_SETPIPE_SZ, QUEUE_PIPESIZE);
#endif
}

void
queue_push(struct queue *q, const struct sentry_event *ev)
{
	if (q->len == QUEUE_EVENTS) {
		q->dropped++;
		return;
	}
	q->ring[(q->head + q->len) % QUEUE_EVENTS] = *ev;
	q->len++;
}

/*
 * Write what the pipe takes.  Returns 0, or -1 when the reporter is gone
 * (EPIPE or another error than a full pipe).
 */
int
queue_flush(struct queue *q)
{
	struct sentry_event	chunk[QUEUE_CHUNK];
	size_t			n, i;
	ssize_t			w;

	while (q->len > 0) {
		n = q->len < QUEUE_CHUNK ? q->len : QUEUE_CHUNK;
		for (i = 0; i < n; i++)
			chunk[i] = q->ring[(q->head + i) % QUEUE_EVENTS];
		w = write(q->fd, chunk, n * sizeof(chunk[0]));
		if (w == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -1;
		}
		/* At most PIPE_BUF bytes: written whole. */
		n = (size_t)w / sizeof(chunk[0]);
		q->head = (q->head + n) % QUEUE_EVENTS;
		q->len -= n;
		q->sent += n;
	}
	return 0;
}

int
queue_pending(const struct queue *q)
{
	return q->len > 0;
}

void
queue_free(struct queue *q)
{
	free(q->ring);
	q->ring = NULL;
	q->len = 0;
}
