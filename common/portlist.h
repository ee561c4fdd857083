/*
 * portlist.h: sets of ports per protocol, and the parsers for nmap's -p
 * syntax and for plain comma lists (portsentry's TCP_PORTS).
 *
 * Protocols are IPPROTO_TCP, IPPROTO_UDP and IPPROTO_SCTP; a parse takes
 * the PORTLIST_* mask of protocols that ports without a T:, U: or S:
 * prefix go to.  Errors read "invalid port list '<input>': <reason>".
 */
#ifndef AK_PORTLIST_H
#define AK_PORTLIST_H

#include <stddef.h>
#include <stdint.h>

#include "services.h"

#define PORTLIST_TCP	0x01
#define PORTLIST_UDP	0x02
#define PORTLIST_SCTP	0x04

/* portlist_parse_plain(): allow "n-m" ranges too. */
#define PORTLIST_RANGES	0x01

#define PORTLIST_NPROTO	3

struct portlist {
	uint64_t	bits[PORTLIST_NPROTO][65536 / 64];
};

void	 portlist_clear(struct portlist *);
int	 portlist_add(struct portlist *, int, int);
int	 portlist_add_range(struct portlist *, int, int, int);
int	 portlist_has(const struct portlist *, int, int);
unsigned int portlist_count(const struct portlist *, int);
int	 portlist_next(const struct portlist *, int, int);
size_t	 portlist_format(const struct portlist *, int, char *, size_t);

int	 portlist_parse(struct portlist *, const char *, int,
	    const struct services *, char *, size_t);
int	 portlist_parse_plain(struct portlist *, int, const char *, int,
	    char *, size_t);

#endif /* AK_PORTLIST_H */
