/*
 * capture-pcap.c: the libpcap capture back end.
 *
 * The filter is compiled into the kernel, so that only candidate packets
 * are ever copied to the process; immediate mode hands each one over as it
 * comes rather than when a buffer block fills (a probe is seen in
 * microseconds, not after a timeout), and a large kernel buffer holds the
 * burst of a fast scan while the program is busy elsewhere.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/time.h>

#include <pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "packet.h"
#include "xmalloc.h"

#define CAPTURE_BUFSIZE		(8 * 1024 * 1024)
#define CAPTURE_SNAPLEN		256

struct capture {
	pcap_t		*pcap;
	int		 dlt;
	int		 fd;
	unsigned long	 undecoded;
	capture_fn	*fn;
	void		*arg;
};

int
capture_supported(void)
{
	return 1;
}

static void
capture_fail(pcap_t *p, char *err, size_t errlen, const char *what,
    const char *detail)
{
	(void)snprintf(err, errlen, "%s: %s", what,
	    detail != NULL ? detail : pcap_geterr(p));
}

/* The pcap_create .. pcap_activate steps; returns 0 or -1 with err set. */
static int
capture_activate(pcap_t *p, const struct capture_opts *o, char *err,
    size_t errlen)
{
	int	r;

	if (pcap_set_snaplen(p, o->snaplen > 0 ? o->snaplen :
	    CAPTURE_SNAPLEN) != 0 ||
	    pcap_set_promisc(p, 0) != 0 ||
	    pcap_set_immediate_mode(p, 1) != 0 ||
	    pcap_set_buffer_size(p, (int)(o->bufsize > 0 ? o->bufsize :
	    CAPTURE_BUFSIZE)) != 0) {
		capture_fail(p, err, errlen, "capture settings", NULL);
		return -1;
	}
	if ((r = pcap_activate(p)) < 0) {
		capture_fail(p, err, errlen, o->ifname != NULL ? o->ifname :
		    "any", r == PCAP_ERROR_NO_SUCH_DEVICE && o->ifname == NULL ?
		    "this system has no device for every interface: name one"
		    : r == PCAP_ERROR_PERM_DENIED ?
		    "permission denied (capture needs root)" : NULL);
		return -1;
	}
	return 0;
}

static int
capture_filter(pcap_t *p, const char *filter, char *err, size_t errlen)
{
	struct bpf_program	prog;
	int			r;

	if (filter == NULL)
		return 0;
	if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		capture_fail(p, err, errlen, "capture filter", NULL);
		return -1;
	}
	r = pcap_setfilter(p, &prog);
	pcap_freecode(&prog);
	if (r != 0) {
		capture_fail(p, err, errlen, "capture filter", NULL);
		return -1;
	}
	return 0;
}

struct capture *
capture_open(const struct capture_opts *o, char *err, size_t errlen)
{
	char		 ebuf[PCAP_ERRBUF_SIZE] = "";
	struct capture	*c;
	pcap_t		*p;

	if ((p = pcap_create(o->ifname != NULL ? o->ifname : "any",
	    ebuf)) == NULL) {
		(void)snprintf(err, errlen, "capture: %s", ebuf);
		return NULL;
	}
	if (capture_activate(p, o, err, errlen) == -1)
		goto fail;
	if (o->inbound && pcap_setdirection(p, PCAP_D_IN) != 0) {
		capture_fail(p, err, errlen, "capture direction", NULL);
		goto fail;
	}
	if (capture_filter(p, o->filter, err, errlen) == -1)
		goto fail;
	if (pcap_setnonblock(p, 1, ebuf) != 0) {
		(void)snprintf(err, errlen, "capture: %s", ebuf);
		goto fail;
	}
	c = xcalloc(1, sizeof(*c));
	c->pcap = p;
	c->dlt = pcap_datalink(p);
	if ((c->fd = pcap_get_selectable_fd(p)) == -1) {
		(void)snprintf(err, errlen, "capture: no descriptor to poll");
		free(c);
		goto fail;
	}
	return c;
fail:
	pcap_close(p);
	return NULL;
}

int
capture_fd(const struct capture *c)
{
	return c->fd;
}

static void
capture_one(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct capture	*c = (struct capture *)(void *)arg;
	struct pkt	 p;

	if (packet_decode_link(&p, c->dlt, bytes, h->caplen) == -1) {
		c->undecoded++;
		return;
	}
	c->fn(c->arg, &p, &h->ts);
}

int
capture_dispatch(struct capture *c, int max, capture_fn *fn, void *arg)
{
	int	n;

	c->fn = fn;
	c->arg = arg;
	n = pcap_dispatch(c->pcap, max > 0 ? max : -1, capture_one,
	    (u_char *)c);
	return n < 0 ? -1 : n;
}

int
capture_stats(struct capture *c, struct capture_stats *st)
{
	struct pcap_stat	ps;

	memset(st, 0, sizeof(*st));
	st->undecoded = c->undecoded;
	if (pcap_stats(c->pcap, &ps) != 0)
		return -1;
	st->received = ps.ps_recv;
	st->dropped = ps.ps_drop + ps.ps_ifdrop;
	return 0;
}

void
capture_close(struct capture *c)
{
	if (c == NULL)
		return;
	pcap_close(c->pcap);
	free(c);
}
