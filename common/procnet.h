/*
 * procnet.h: the kernel's socket tables through NETLINK_SOCK_DIAG.
 *
 * A dump walks one table (TCP or UDP of one address family, or the
 * UNIX sockets) in one netlink conversation and calls back once per
 * socket.  Unlike the text of /proc/net, the kernel filters a dump by
 * state before formatting anything, so a host with tens of thousands of
 * TIME_WAIT entries costs a reader that does not want them nothing.
 *
 * Where the kernel lacks sock_diag (or configure found no headers) the
 * dumps fail with ENOSYS or the kernel's errno, and callers fall back to
 * /proc/net.
 */
#ifndef AK_PROCNET_H
#define AK_PROCNET_H

#include <sys/types.h>
#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>

/* Kernel TCP states (include/net/tcp_states.h); UDP uses 1 and 7. */
#define PROCNET_ESTABLISHED	1
#define PROCNET_SYN_SENT	2
#define PROCNET_SYN_RECV	3
#define PROCNET_FIN_WAIT1	4
#define PROCNET_FIN_WAIT2	5
#define PROCNET_TIME_WAIT	6
#define PROCNET_CLOSE		7
#define PROCNET_CLOSE_WAIT	8
#define PROCNET_LAST_ACK	9
#define PROCNET_LISTEN		10
#define PROCNET_CLOSING		11
#define PROCNET_NEW_SYN_RECV	12

/*
 * The states of sockets that can belong to a descriptor: everything but
 * TIME_WAIT and the request sockets of half-open connections.
 */
#define PROCNET_STATES_OWNED	(0xffeU & ~(1U << PROCNET_TIME_WAIT))

struct procnet_sock {
	int		 family;	/* AF_INET, AF_INET6 or AF_UNIX */
	int		 proto;		/* IPPROTO_TCP, IPPROTO_UDP, 0 */
	int		 type;		/* AF_UNIX: SOCK_STREAM, ... */
	int		 state;		/* PROCNET_* */
	uint64_t	 inode;
	uid_t		 uid;		/* AF_INET, AF_INET6 */
	uint32_t	 rqueue, wqueue;
	/* AF_INET, AF_INET6; an AF_INET address is IPv4-mapped. */
	struct in6_addr	 laddr, faddr;
	uint16_t	 lport, fport;	/* host order */
	/* AF_UNIX */
	uint64_t	 peer;		/* the peer's inode, 0 if none */
	const char	*name;		/* bound name, NULL if none */
	size_t		 namelen;	/* abstract names start with NUL */
	const uint32_t	*icons;		/* a listener's pending connections: */
	size_t		 nicons;	/* their peers' inodes (unaligned) */
};

typedef void	(*procnet_cb)(const struct procnet_sock *, void *);

int	procnet_dump_inet(int, int, uint32_t, procnet_cb, void *);
int	procnet_dump_unix(procnet_cb, void *);

#endif /* AK_PROCNET_H */
