/*
 * selfpipe.h: turn signals into readable bytes for a poll() loop.
 *
 * The program keeps one struct selfpipe in its main module; its signal
 * handlers call selfpipe_notify() and nothing else, and the poll loop
 * watches selfpipe_fd() and calls selfpipe_drain() to learn which signals
 * came.
 */
#ifndef AK_SELFPIPE_H
#define AK_SELFPIPE_H

#include <stdint.h>

struct selfpipe {
	int	rfd;
	int	wfd;
};

int		selfpipe_init(struct selfpipe *);
void		selfpipe_close(struct selfpipe *);
int		selfpipe_fd(const struct selfpipe *);
void		selfpipe_notify(const struct selfpipe *, int signo);
uint64_t	selfpipe_drain(const struct selfpipe *);
int		selfpipe_catch(int signo, void (*handler)(int));

#define SELFPIPE_HAS(mask, signo)	(((mask) >> (signo)) & 1)

#endif /* AK_SELFPIPE_H */
