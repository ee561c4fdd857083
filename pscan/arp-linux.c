/*
 * arp-linux.c: ARP requests and replies on Linux, through a packet
 * socket bound to one interface.
 *
 * A target on a directly attached Ethernet must answer ARP before it can
 * answer anything else, even when its firewall drops every IP packet:
 * an ARP request is the surest and quickest way to find it up, which is
 * why nmap uses it for such targets.  The request is broadcast from our
 * address on the interface; the reply names the target's hardware
 * address, which the reports show.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <linux/if_packet.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "xmalloc.h"
#include "pscan.h"

#define ARP_LEN	28	/* an Ethernet/IPv4 ARP packet */

struct arp {
	int		fd;
	int		ifindex;
	uint8_t		mac[6];
};

/* Whether ifname is an Ethernet interface ARP can be sent on. */
int
arp_usable(const char *ifname)
{
	struct ifreq	ifr;
	int		s, ok;

	if (strlen(ifname) >= sizeof(ifr.ifr_name) ||
	    (s = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return 0;
	memset(&ifr, 0, sizeof(ifr));
	(void)strlcpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
	ok = ioctl(s, SIOCGIFHWADDR, &ifr) == 0 &&
	    ifr.ifr_hwaddr.sa_family == ARPHRD_ETHER &&
	    ioctl(s, SIOCGIFFLAGS, &ifr) == 0 &&
	    (ifr.ifr_flags & (IFF_NOARP | IFF_LOOPBACK)) == 0;
	(void)close(s);
	return ok;
}

struct arp *
arp_open(const char *ifname, char *err, size_t errlen)
{
	struct sockaddr_ll	 sll;
	struct ifreq		 ifr;
	struct arp		*a = xcalloc(1, sizeof(*a));

	if ((a->fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ARP))) == -1) {
		(void)snprintf(err, errlen, "ARP socket: %s", strerror(errno));
		free(a);
		return NULL;
	}
	memset(&ifr, 0, sizeof(ifr));
	(void)strlcpy(ifr.ifr_name, ifname, sizeof(ifr.ifr_name));
	if (ioctl(a->fd, SIOCGIFINDEX, &ifr) == -1)
		goto fail;
	a->ifindex = ifr.ifr_ifindex;
	if (ioctl(a->fd, SIOCGIFHWADDR, &ifr) == -1)
		goto fail;
	memcpy(a->mac, ifr.ifr_hwaddr.sa_data, 6);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ARP);
	sll.sll_ifindex = a->ifindex;
	if (bind(a->fd, (struct sockaddr *)&sll, sizeof(sll)) == -1 ||
	    fcntl(a->fd, F_SETFL, O_NONBLOCK) == -1)
		goto fail;
	return a;
fail:
	(void)snprintf(err, errlen, "ARP on %s: %s", ifname, strerror(errno));
	arp_close(a);
	return NULL;
}

int
arp_fd(const struct arp *a)
{
	return a->fd;
}

/* A broadcast request: who has target?  Tell src. */
int
arp_request(struct arp *a, const struct addr *src, const struct addr *target)
{
	struct sockaddr_ll	sll;
	uint8_t			b[ARP_LEN];

	b[0] = 0;
	b[1] = ARPHRD_ETHER;
	b[2] = ETH_P_IP >> 8;
	b[3] = ETH_P_IP & 0xff;
	b[4] = 6;
	b[5] = 4;
	b[6] = 0;
	b[7] = ARPOP_REQUEST;
	memcpy(b + 8, a->mac, 6);
	memcpy(b + 14, src->bytes, 4);
	memset(b + 18, 0, 6);
	memcpy(b + 24, target->bytes, 4);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ARP);
	sll.sll_ifindex = a->ifindex;
	sll.sll_halen = 6;
	memset(sll.sll_addr, 0xff, 6);
	return sendto(a->fd, b, sizeof(b), 0, (struct sockaddr *)&sll,
	    sizeof(sll)) == -1 ? -1 : 0;
}

/*
 * The next reply waiting: 1 with its sender's addresses, 0 when there
 * is none, -1 on an error.  Requests and other packets are skipped.
 */
int
arp_reply(struct arp *a, struct addr *sender, uint8_t mac[6])
{
	uint8_t	b[64];
	ssize_t	n;

	for (;;) {
		if ((n = recv(a->fd, b, sizeof(b), 0)) == -1)
			return errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == EINTR ? 0 : -1;
		if (n < ARP_LEN || b[0] != 0 || b[1] != ARPHRD_ETHER ||
		    b[2] != ETH_P_IP >> 8 || b[3] != (ETH_P_IP & 0xff) ||
		    b[4] != 6 || b[5] != 4 || b[6] != 0 ||
		    b[7] != ARPOP_REPLY)
			continue;
		memset(sender, 0, sizeof(*sender));
		sender->family = AF_INET;
		memcpy(sender->bytes, b + 14, 4);
		memcpy(mac, b + 8, 6);
		return 1;
	}
}

void
arp_close(struct arp *a)
{
	if (a == NULL)
		return;
	if (a->fd != -1)
		(void)close(a->fd);
	free(a);
}
