/*
 * sock.h: the kernel's socket tables, read once per listing and looked
 * up by inode.  The Linux back end reads /proc/net/{tcp,tcp6,udp,udp6,
 * raw,raw6,udplite,udplite6,unix,netlink,packet}.
 */
#ifndef AK_LSOF_SOCK_H
#define AK_LSOF_SOCK_H

#include <sys/types.h>
#include <netinet/in.h>

#include <stddef.h>

enum sock_kind {
	SK_TCP,
	SK_UDP,
	SK_UDPLITE,
	SK_RAW,
	SK_UNIX,
	SK_NETLINK,
	SK_PACKET
};

struct sockent {
	unsigned long long	 inode;
	enum sock_kind		 kind;
	int			 v6;		/* from an IPv6 table */
	struct in6_addr		 laddr, faddr;	/* v4 kept v4-mapped */
	int			 lport, fport;
	int			 state;		/* TCP/UDP state, unix St */
	unsigned long		 rq, sq;
	unsigned long long	 kaddr;		/* unix: kernel address */
	unsigned int		 flags;		/* unix: Flags (UNIX_LISTENING) */
	int			 type;		/* unix/packet socket type */
	int			 proto;		/* netlink/packet protocol */
	char			*path;		/* unix path, raw address text */
	/* -E */
	unsigned long long	 peer;		/* the peer socket's inode */
	unsigned long long	 icon;		/* a listener's first pending */
};

struct socktab;

struct socktab	*socktab_new(const char *, int);
#define ST_TEXTONLY	0x01
#define ST_NOINET	0x02
const struct sockent *socktab_find(struct socktab *, unsigned long long);
void		 socktab_free(struct socktab *);
void		 socktab_endpoints(struct socktab *);
const char	*sock_netlink_name(int, char *, size_t);
void		 sock_packet_proto(int, char *, size_t);
const char	*sock_unix_type(int);
const char	*sock_unix_state(const struct sockent *);
const char	*sock_packet_type(int);

/* Parsers, exposed for the fuzz target and unit tests. */
void		 socktab_parse(struct socktab *, const char *, size_t, int);
#define ST_TCP		0
#define ST_TCP6		1
#define ST_UDP		2
#define ST_UDP6		3
#define ST_RAW		4
#define ST_RAW6		5
#define ST_UDPLITE	6
#define ST_UDPLITE6	7
#define ST_UNIX		8
#define ST_NETLINK	9
#define ST_PACKET	10
#define ST_NTABLES	11
#define ST_IS_INET(t)	((t) <= ST_UDPLITE6)

#endif /* AK_LSOF_SOCK_H */
