/*
 * addr.h: IPv4 and IPv6 addresses, networks (CIDR) and nmap-style target
 * ranges.
 *
 * Every parse function takes a buffer for a one-line error message of the
 * form "invalid <what> '<input>': <reason>" and returns -1 on failure.
 */
#ifndef AK_ADDR_H
#define AK_ADDR_H

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

/* Room for any address addr_format() writes, with its NUL. */
#define ADDR_STRLEN		INET6_ADDRSTRLEN
/* Room for "[v6]:65535" or "v4:65535". */
#define ADDR_PORT_STRLEN	(ADDR_STRLEN + 8)
/* Room for "v6/128". */
#define ADDR_CIDR_STRLEN	(ADDR_STRLEN + 4)

struct addr {
	int		family;		/* AF_INET or AF_INET6 */
	uint8_t		bytes[16];	/* network order; IPv4 uses 4 */
};

struct addr_cidr {
	struct addr	net;		/* host bits always clear */
	unsigned int	len;		/* prefix length */
};

/*
 * A target range.  IPv4 ranges keep the set of values each octet may take,
 * which covers nmap's octet syntax and prefixes alike; IPv6 ranges are a
 * prefix.
 */
struct addr_range {
	int		family;
	uint8_t		octets[4][32];	/* AF_INET: 256-bit set per octet */
	struct addr_cidr cidr;		/* AF_INET6 */
};

struct addr_range_iter {
	const struct addr_range	*range;
	struct addr		 cur;
	int			 state;
};

/* No limit for addr_range_parse(). */
#define ADDR_RANGE_NOLIMIT	0

/* Addresses: "192.0.2.1", "2001:db8::1" or "[2001:db8::1]". */
int	 addr_parse(struct addr *, const char *, char *, size_t);
int	 addr_parse4(struct addr *, const char *, char *, size_t);
int	 addr_parse6(struct addr *, const char *, char *, size_t);
char	*addr_format(const struct addr *, char *, size_t);
char	*addr_format_port(const struct addr *, uint16_t, char *, size_t);
int	 addr_cmp(const struct addr *, const struct addr *);
int	 addr_len(int);

/* Sockets: one code path for both families. */
socklen_t addr_to_sockaddr(const struct addr *, uint16_t,
	    struct sockaddr_storage *);
int	 addr_from_sockaddr(struct addr *, uint16_t *,
	    const struct sockaddr *, socklen_t);
uint16_t addr_sockaddr_port(const struct sockaddr_storage *);
void	 addr_sockaddr_set_port(struct sockaddr_storage *, uint16_t);
void	 addr_to_v4mapped(struct addr *, const struct addr *);
int	 addr_is_v4mapped(const struct addr *);
int	 addr_unmap(struct addr *, const struct addr *);

/* Networks: "a.b.c.d/len", "a.b.c.d/m.m.m.m", "v6/len", "[v6]/len". */
int	 addr_cidr_parse(struct addr_cidr *, const char *, int *, char *,
	    size_t);
char	*addr_cidr_format(const struct addr_cidr *, char *, size_t);
int	 addr_in_cidr(const struct addr *, const struct addr_cidr *);

/* nmap targets: "192.0.2.1-20", "192.0.0-2.*", "2001:db8::/126". */
int	 addr_range_parse(struct addr_range *, const char *, uint64_t,
	    char *, size_t);
int	 addr_range_is_literal(const char *);
uint64_t addr_range_count(const struct addr_range *);
int	 addr_range_contains(const struct addr_range *, const struct addr *);
void	 addr_range_start(const struct addr_range *,
	    struct addr_range_iter *);
int	 addr_range_next(struct addr_range_iter *, struct addr *);

#endif /* AK_ADDR_H */
