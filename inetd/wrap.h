/*
 * wrap.h: tcp_wrappers (hosts.allow / hosts.deny) checks for a connection.
 */
#ifndef AK_INETD_WRAP_H
#define AK_INETD_WRAP_H

struct inetd;
struct service;
struct conn;

int	wrap_check(struct inetd *, struct service *, struct conn *);

#endif /* AK_INETD_WRAP_H */
