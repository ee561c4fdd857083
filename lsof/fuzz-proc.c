/*
 * fuzz-proc.c: a libFuzzer target for the parsers of /proc text: the
 * socket tables, stat, maps, fdinfo and mounts, and the portmapper's
 * reply.  Built only on demand:
 *
 *	make fuzz-lsof CC=clang	(then ./lsof/fuzz-proc -max_total_time=60)
 *
 * The first input byte picks the parser; the rest is the file's text.
 */
#include "config.h"

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"
#include "lsof.h"
#include "mounts.h"
#include "proc.h"
#include "rpcmap.h"
#include "sock.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct socktab		*st;
	struct maps_ent		 me;
	unsigned long long	 pos;
	unsigned int		 flags;
	struct proc_stat	 ps;
	struct mount_ent	 mnt;
	struct rpcmap		*map;
	char			*buf;
	int			 which;

	if (size < 1)
		return 0;
	which = data[0] % (ST_NTABLES + 5);
	/* The parsers get NUL-terminated text, as read_at() gives them. */
	buf = xmalloc(size);
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	if (which < ST_NTABLES) {
		st = socktab_new("/nonexistent", ST_TEXTONLY);
		socktab_parse(st, buf, size - 1, which);
		(void)socktab_find(st, 12345);
		socktab_free(st);
	} else if (which == ST_NTABLES)
		(void)proc_parse_stat(buf, size - 1, &ps);
	else if (which == ST_NTABLES + 1)
		(void)proc_parse_maps_line(buf, size - 1, &me);
	else if (which == ST_NTABLES + 2)
		(void)proc_parse_fdinfo(buf, size - 1, &pos, &flags);
	else if (which == ST_NTABLES + 3)
		(void)mounts_parse_line(buf, &mnt);
	else {
		map = rpcmap_new();
		(void)rpcmap_parse(map, data + 1, size - 1);
		rpcmap_free(map);
	}
	free(buf);
	return 0;
}
