/*
 * ident.h: an RFC 1413 (ident, once RFC 931) client that never blocks.
 *
 * A query is a small state machine on one non-blocking socket, so a
 * daemon's poll loop can carry many at once:
 *
 *	struct ident	id;
 *
 *	if (ident_start(&id, client, local) == IDENT_AGAIN)
 *		poll id.fd for ident_events(&id), with a deadline of its
 *		own; on each event call ident_step(&id) until it returns
 *		IDENT_DONE or IDENT_FAILED; at the deadline ident_cancel().
 *
 * A process that may wait (a forked child, a command-line tool) calls
 * ident_query() instead, which runs the same machine in a poll loop of
 * its own until a deadline, through EINTR, never with a negative wait.
 *
 * The query goes from the address the client reached (the local end of
 * its connection) to port 113 of the client's address, and the answer
 * counts only when it names the connection's two ports.  After
 * IDENT_DONE, id.info holds "opsys : user" as sent (for logs) and
 * id.user the user id alone, its first word (what hosts_access(5)
 * matches); after IDENT_FAILED, id.error says why, in xinetd's words.
 * Both are raw network bytes: escape them before they reach a log.
 */
#ifndef AK_IDENT_H
#define AK_IDENT_H

#include <sys/types.h>
#include <sys/socket.h>

#include <stddef.h>

#define IDENT_PORT	113
#define IDENT_LINE	512	/* longest reply read (RFC 1413: 1000) */

/* How far a query is, as ident_start and ident_step report it. */
enum ident_status {
	IDENT_AGAIN,		/* in progress: poll id.fd again */
	IDENT_DONE,		/* answered: info and user are set */
	IDENT_FAILED		/* no answer: error is set */
};

struct ident {
	int		 fd;		/* -1 once finished */
	int		 port;		/* the server's; IDENT_PORT */
	int		 phase;		/* connect, send, receive */
	unsigned	 rport;		/* the client's port */
	unsigned	 lport;		/* ours */
	char		 query[32];
	size_t		 qlen;
	size_t		 qoff;
	char		 buf[IDENT_LINE];
	size_t		 len;
	const char	*error;
	const char	*info;		/* into buf */
	char		 user[256];
};

void	ident_init(struct ident *);
enum ident_status ident_start(struct ident *, const struct sockaddr *client,
	    const struct sockaddr *local);
short	ident_events(const struct ident *);
enum ident_status ident_step(struct ident *);
void	ident_cancel(struct ident *, const char *why);
enum ident_status ident_query(struct ident *, const struct sockaddr *client,
	    const struct sockaddr *local, int timeout_ms);

#endif /* AK_IDENT_H */
