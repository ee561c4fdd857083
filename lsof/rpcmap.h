/*
 * rpcmap.h: the local portmapper's registrations, for +M: which RPC
 * program has registered a TCP or UDP port.
 */
#ifndef AK_LSOF_RPCMAP_H
#define AK_LSOF_RPCMAP_H

#include <stddef.h>

struct rpcmap;

/*
 * Ask the portmapper on 127.0.0.1 for its registrations (PMAPPROC_DUMP
 * over TCP), waiting at most timeout seconds.  An empty map when none
 * answers.
 */
struct rpcmap	*rpcmap_load(int);
/* The program registered on a port of IPPROTO_TCP or _UDP, or NULL. */
const char	*rpcmap_name(const struct rpcmap *, int, int);
void		 rpcmap_free(struct rpcmap *);

/* An empty map, and the reply parser, exposed for the fuzz target. */
struct rpcmap	*rpcmap_new(void);
int		 rpcmap_parse(struct rpcmap *, const unsigned char *, size_t);

#endif /* AK_LSOF_RPCMAP_H */
