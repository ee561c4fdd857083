/*
 * arp-none.c: no ARP on this system: local targets are found with IP
 * probes, as with --disable-arp-ping.
 */
#include "config.h"

#include <sys/types.h>

#include <stdio.h>

#include "addr.h"
#include "pscan.h"

int
arp_usable(const char *ifname)
{
	(void)ifname;
	return 0;
}

struct arp *
arp_open(const char *ifname, char *err, size_t errlen)
{
	(void)snprintf(err, errlen, "ARP on %s: not supported on this system",
	    ifname);
	return NULL;
}

int
arp_fd(const struct arp *a)
{
	(void)a;
	return -1;
}

int
arp_request(struct arp *a, const struct addr *src, const struct addr *target)
{
	(void)a;
	(void)src;
	(void)target;
	return -1;
}

int
arp_reply(struct arp *a, struct addr *sender, uint8_t mac[6])
{
	(void)a;
	(void)sender;
	(void)mac;
	return -1;
}

void
arp_close(struct arp *a)
{
	(void)a;
}
