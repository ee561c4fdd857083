/*
 * services.h: service name <-> port lookup from /etc/services, with a
 * built-in table for systems that have none.
 *
 * Protocols are given as IPPROTO_TCP, IPPROTO_UDP or IPPROTO_SCTP.
 * Lookups answer as getservbyport(3) and getservbyname(3) do on Debian:
 * a port's name is the first name of the first line for that port and
 * protocol; a name (or alias) maps to the port of its first line.
 */
#ifndef AK_SERVICES_H
#define AK_SERVICES_H

#include <stddef.h>

struct services;

struct services	*services_load(const char *, char *, size_t);
struct services	*services_builtin(void);
struct services	*services_open(const char *);
int		 services_is_builtin(const struct services *);
void		 services_free(struct services *);

const char	*services_name(const struct services *, int, int);
int		 services_port(const struct services *, const char *, int);
int		 services_entry(const struct services *, int, size_t,
		    const char **, int *);

int		 services_proto(const char *);
int		 services_protocol(const char *, const char **);
const char	*services_proto_name(int);

#endif /* AK_SERVICES_H */
