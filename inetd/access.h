/*
 * access.h: inetd -A, the access-check mode (what the tcp_wrappers rules
 * say about one daemon and client, in the manner of tcpdmatch(8)).
 */
#ifndef AK_INETD_ACCESS_H
#define AK_INETD_ACCESS_H

#define ACCESS_GRANTED	0	/* exit status: every address granted */
#define ACCESS_DENIED	1	/* some address denied or delegated */
#define ACCESS_ERROR	2	/* bad operands, lookups, files or rules */

int	access_requested(int, char *[]);
int	access_main(int, char *[]);

#endif /* AK_INETD_ACCESS_H */
