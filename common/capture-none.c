/*
 * capture-none.c: the capture back end of a build without libpcap.
 *
 * Every open fails with one message, so that a program can say which of
 * its features need the library rather than silently doing less.
 */
#include "config.h"

#include <stddef.h>
#include <stdio.h>

#include "capture.h"

int
capture_supported(void)
{
	return 0;
}

struct capture *
capture_open(const struct capture_opts *o, char *err, size_t errlen)
{
	(void)o;
	(void)snprintf(err, errlen, "packet capture needs libpcap, and "
	    "this build has none (configure --with-pcap)");
	return NULL;
}

int
capture_fd(const struct capture *c)
{
	(void)c;
	return -1;
}

int
capture_dispatch(struct capture *c, int max, capture_fn *fn, void *arg)
{
	(void)c;
	(void)max;
	(void)fn;
	(void)arg;
	return -1;
}

int
capture_stats(struct capture *c, struct capture_stats *st)
{
	(void)c;
	(void)st;
	return -1;
}

void
capture_close(struct capture *c)
{
	(void)c;
}
