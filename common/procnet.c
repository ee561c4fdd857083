/*
 * procnet.c: dump the kernel's socket tables through NETLINK_SOCK_DIAG
 * (inet_diag for TCP and UDP, unix_diag for UNIX sockets).
 *
 * One request, then datagrams of netlink messages until NLMSG_DONE.  The
 * receive buffer is 32 KiB, the largest datagram the kernel builds for a
 * dump, so a table of ten thousand sockets costs about thirty recv(2)
 * calls.  A message that does not parse ends the dump with EPROTO rather
 * than being guessed at.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "procnet.h"

#if defined(HAVE_LINUX_NETLINK_H) && defined(HAVE_LINUX_SOCK_DIAG_H) && \
    defined(HAVE_LINUX_INET_DIAG_H) && defined(HAVE_LINUX_UNIX_DIAG_H)

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/inet_diag.h>
#include <linux/unix_diag.h>

#define PROCNET_BUFSIZE	32768

/* One dump: how to read each message of the answer, and for whom. */
struct dumpctx {
	int		(*parse)(const struct nlmsghdr *,
			    const struct dumpctx *);
	int		  proto;	/* the inet dump's protocol */
	procnet_cb	  cb;
	void		 *arg;
};

static int
nl_open(void)
{
	return socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
	    NETLINK_SOCK_DIAG);
}

static int
nl_send(int fd, const void *req, size_t len)
{
	struct sockaddr_nl	sa;
	ssize_t			n;

	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	do
		n = sendto(fd, req, len, 0, (struct sockaddr *)&sa,
		    sizeof(sa));
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	if ((size_t)n != len) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

/* Read datagrams until NLMSG_DONE, handing each message to parse. */
static int
nl_collect(int fd, const struct dumpctx *c)
{
	union {
		struct nlmsghdr	hdr;
		char		buf[PROCNET_BUFSIZE];
	} u;
	const struct nlmsghdr	*h;
	const struct nlmsgerr	*e;
	ssize_t			 n;
	size_t			 left;

	for (;;) {
		n = recv(fd, u.buf, sizeof(u.buf), MSG_TRUNC);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0 || (size_t)n > sizeof(u.buf)) {
			errno = EPROTO;
			return -1;
		}
		left = (size_t)n;
		for (h = &u.hdr; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
					errno = EPROTO;
					return -1;
				}
				e = NLMSG_DATA(h);
				errno = e->error < 0 ? -e->error : EPROTO;
				return -1;
			}
			if (c->parse(h, c) == -1) {
				errno = EPROTO;
				return -1;
			}
		}
	}
}

static int
dump(const void *req, size_t len, const struct dumpctx *c)
{
	int	fd, rv, saved;

	if ((fd = nl_open()) == -1)
		return -1;
	rv = nl_send(fd, req, len);
	if (rv == 0)
		rv = nl_collect(fd, c);
	saved = errno;
	close(fd);
	errno = saved;
	return rv;
}

static void
addr_set(struct in6_addr *a, int family, const uint32_t *w)
{
	memset(a, 0, sizeof(*a));
	if (family == AF_INET) {
		a->s6_addr[10] = a->s6_addr[11] = 0xff;
		memcpy(&a->s6_addr[12], &w[0], 4);
	} else
		memcpy(a, w, 16);
}

static int
inet_parse(const struct nlmsghdr *h, const struct dumpctx *c)
{
	const struct inet_diag_msg	*m;
	struct procnet_sock		 s;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
		return -1;
	m = NLMSG_DATA(h);
	if (m->idiag_family != AF_INET && m->idiag_family != AF_INET6)
		return -1;
	memset(&s, 0, sizeof(s));
	s.family = m->idiag_family;
	s.proto = c->proto;
	s.state = m->idiag_state;
	s.inode = m->idiag_inode;
	s.uid = (uid_t)m->idiag_uid;
	s.rqueue = m->idiag_rqueue;
	s.wqueue = m->idiag_wqueue;
	addr_set(&s.laddr, s.family, m->id.idiag_src);
	addr_set(&s.faddr, s.family, m->id.idiag_dst);
	s.lport = ntohs(m->id.idiag_sport);
	s.fport = ntohs(m->id.idiag_dport);
	c->cb(&s, c->arg);
	return 0;
}

/*
 * Every socket of one family (AF_INET or AF_INET6) and protocol
 * (IPPROTO_TCP or IPPROTO_UDP) whose state is in the states mask (bit
 * 1 << PROCNET_*).
 */
int
procnet_dump_inet(int family, int proto, uint32_t states, procnet_cb cb,
    void *arg)
{
	struct {
		struct nlmsghdr		nlh;
		struct inet_diag_req_v2	r;
	} req;
	struct dumpctx	c;

	if ((family != AF_INET && family != AF_INET6) ||
	    (proto != IPPROTO_TCP && proto != IPPROTO_UDP)) {
		errno = EINVAL;
		return -1;
	}
	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = sizeof(req);
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nlh.nlmsg_seq = 1;
	req.r.sdiag_family = (uint8_t)family;
	req.r.sdiag_protocol = (uint8_t)proto;
	req.r.idiag_states = states;
	c.parse = inet_parse;
	c.proto = proto;
	c.cb = cb;
	c.arg = arg;
	return dump(&req, sizeof(req), &c);
}

static int
unix_parse(const struct nlmsghdr *h, const struct dumpctx *c)
{
	const struct unix_diag_msg	*m;
	const struct rtattr		*a;
	struct procnet_sock		 s;
	size_t				 left, alen;
	uint32_t			 peer;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
		return -1;
	m = NLMSG_DATA(h);
	memset(&s, 0, sizeof(s));
	s.family = AF_UNIX;
	s.type = m->udiag_type;
	s.state = m->udiag_state;
	s.inode = m->udiag_ino;
	left = h->nlmsg_len - NLMSG_LENGTH(sizeof(*m));
	a = (const struct rtattr *)(const void *)((const char *)m +
	    NLMSG_ALIGN(sizeof(*m)));
	for (; RTA_OK(a, left); a = RTA_NEXT(a, left)) {
		alen = RTA_PAYLOAD(a);
		switch (a->rta_type) {
		case UNIX_DIAG_NAME:
			s.name = RTA_DATA(a);
			s.namelen = alen;
			break;
		case UNIX_DIAG_PEER:
			if (alen < sizeof(peer))
				return -1;
			memcpy(&peer, RTA_DATA(a), sizeof(peer));
			s.peer = peer;
			break;
		case UNIX_DIAG_ICONS:
			s.icons = RTA_DATA(a);
			s.nicons = alen / sizeof(uint32_t);
			break;
		default:
			break;
		}
	}
	c->cb(&s, c->arg);
	return 0;
}

/*
 * Every UNIX socket, with its bound name, its peer's inode and, for a
 * listener, the peers of the connections it has not accepted yet.
 */
int
procnet_dump_unix(procnet_cb cb, void *arg)
{
	struct {
		struct nlmsghdr		nlh;
		struct unix_diag_req	r;
	} req;
	struct dumpctx	c;

	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = sizeof(req);
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nlh.nlmsg_seq = 1;
	req.r.sdiag_family = AF_UNIX;
	req.r.udiag_states = 0xffffffffU;
	req.r.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER |
	    UDIAG_SHOW_ICONS;
	memset(&c, 0, sizeof(c));
	c.parse = unix_parse;
	c.cb = cb;
	c.arg = arg;
	return dump(&req, sizeof(req), &c);
}

#else /* no sock_diag headers */

int
procnet_dump_inet(int family, int proto, uint32_t states, procnet_cb cb,
    void *arg)
{
	(void)family;
	(void)proto;
	(void)states;
	(void)cb;
	(void)arg;
	errno = ENOSYS;
	return -1;
}

int
procnet_dump_unix(procnet_cb cb, void *arg)
{
	(void)cb;
	(void)arg;
	errno = ENOSYS;
	return -1;
}

#endif
