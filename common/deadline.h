/*
 * deadline.h: a deadline-ordered queue of timers for one poll() loop.
 *
 * Each timer is a struct deadline embedded in the object it belongs to,
 * so arming, moving and cancelling it never allocates and costs
 * O(log n).  The loop asks for the poll(2) timeout to the nearest
 * deadline and, after poll returns, runs the callbacks of every deadline
 * that has passed.  Times are CLOCK_MONOTONIC, so setting the wall clock
 * never fires or delays a timer.
 */
#ifndef AK_DEADLINE_H
#define AK_DEADLINE_H

#include <stddef.h>
#include <time.h>

struct deadline;
typedef void (*deadline_fn)(struct deadline *, void *ctx);

struct deadline {
	struct timespec	 when;
	size_t		 slot;	/* index in the heap; DEADLINE_IDLE if unarmed */
	deadline_fn	 fn;
	void		*arg;	/* the owner, for the callback */
};

#define DEADLINE_IDLE	((size_t)-1)

struct deadline_queue {
	struct deadline	**heap;
	size_t		  n;
	size_t		  cap;
};

void	deadline_queue_init(struct deadline_queue *);
void	deadline_queue_free(struct deadline_queue *);
void	deadline_init(struct deadline *, deadline_fn, void *arg);
void	deadline_set(struct deadline_queue *, struct deadline *,
	    const struct timespec *when);
void	deadline_set_in(struct deadline_queue *, struct deadline *,
	    long long msec);
void	deadline_clear(struct deadline_queue *, struct deadline *);
int	deadline_armed(const struct deadline *);
int	deadline_timeout(const struct deadline_queue *,
	    const struct timespec *now);
int	deadline_run(struct deadline_queue *, const struct timespec *now,
	    void *ctx);
void	deadline_now(struct timespec *);
long long deadline_diff_ms(const struct timespec *, const struct timespec *);

#endif /* AK_DEADLINE_H */
