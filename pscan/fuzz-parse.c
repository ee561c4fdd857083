/*
 * fuzz-parse.c: libFuzzer target for the parsers of what a user (or a
 * file fed to -iL) gives pscan: target specifications and port lists.
 * The input is split at its first newline: a target, then a port list;
 * a target that parses is also expanded, a bounded number of addresses.
 *	make fuzz-pscan CC=clang && ./pscan/fuzz-parse -max_total_time=60
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "portlist.h"
#include "services.h"
#include "pscan.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
expand(const char *spec)
{
	struct addr_range	rg;
	struct addr_range_iter	it;
	struct addr		a;
	char			err[256], buf[ADDR_STRLEN];
	int			n = 0;

	if (!addr_range_is_literal(spec) ||
	    addr_range_parse(&rg, spec, (uint64_t)1 << 24, err,
	    sizeof(err)) == -1)
		return;
	addr_range_start(&rg, &it);
	while (n++ < 1000 && addr_range_next(&it, &a))
		(void)addr_format(&a, buf, sizeof(buf));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct services	*svc;
	static struct portlist	 pl;
	char			*s, *nl, err[512];

	if (svc == NULL)
		svc = services_builtin();
	s = malloc(len + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, len);
	s[len] = '\0';
	nl = strchr(s, '\n');
	if (nl != NULL)
		*nl++ = '\0';
	if (targets_parse_check(s, AF_INET, err, sizeof(err)) == 0)
		expand(s);
	if (nl != NULL)
		(void)portlist_parse(&pl, nl, PORTLIST_TCP, svc, err,
		    sizeof(err));
	free(s);
	return 0;
}
