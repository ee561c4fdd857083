/*
 * detach.h: a daemon's detach from its terminal, with a verdict.
 *
 * The parent of a detaching daemon waits until the child says it is
 * serving (or has failed) and exits 0 or 1 accordingly, so that an init
 * script or a test knows the daemon is ready when the command returns.
 */
#ifndef AK_DETACH_H
#define AK_DETACH_H

/*
 * Forks; the parent waits for the verdict and exits.  The child is made a
 * session leader in "/" and gets the descriptor to pass to detach_done().
 * Exits through fatal() when it cannot fork.
 */
int	detach_start(void);
/* Standard input, output and error onto /dev/null. */
void	detach_stdio(void);
/* The verdict for the waiting parent: ok 1 makes it exit 0. */
void	detach_done(int fd, int ok);

#endif /* AK_DETACH_H */
