/*
 * capture.h: packets from the kernel through a BPF filter, for sentry's
 * stealth modes and pscan's raw scans.
 *
 * One back end is built, as configure decides: capture-pcap.c with
 * libpcap, or capture-none.c, whose capture_open() fails with a message
 * saying that libpcap is needed.  The descriptor of an open capture is
 * non-blocking and goes into the caller's poll loop; capture_dispatch()
 * then hands over what the kernel has buffered, decoded, without ever
 * waiting.
 */
#ifndef AK_CAPTURE_H
#define AK_CAPTURE_H

#include <sys/types.h>
#include <sys/time.h>

#include <stddef.h>

#include "packet.h"

struct capture;

struct capture_opts {
	const char	*ifname;	/* NULL: every interface */
	const char	*filter;	/* BPF program text; NULL: all */
	size_t		 bufsize;	/* kernel buffer, bytes; 0: 8 MiB */
	int		 snaplen;	/* 0: 256, room for any headers */
	int		 inbound;	/* only what the host receives */
};

/* Packets counted by the kernel, as pcap_stats(3) counts them. */
struct capture_stats {
	unsigned long	received;	/* that passed the filter */
	unsigned long	dropped;	/* buffer full */
	unsigned long	undecoded;	/* captured, but not IP we read */
};

typedef void	capture_fn(void *arg, const struct pkt *,
		    const struct timeval *ts);

/* 1 when this build can capture at all. */
int	capture_supported(void);
struct capture *capture_open(const struct capture_opts *, char *err,
	    size_t errlen);
int	capture_fd(const struct capture *);
/* Up to max packets (0: all buffered); returns how many, or -1. */
int	capture_dispatch(struct capture *, int max, capture_fn *, void *);
int	capture_stats(struct capture *, struct capture_stats *);
void	capture_close(struct capture *);

#endif /* AK_CAPTURE_H */
