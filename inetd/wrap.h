/*
 * wrap.h: tcp_wrappers (hosts.allow, hosts.deny) for inetd's connections,
 * on the common/hostsaccess engine.
 */
#ifndef AK_INETD_WRAP_H
#define AK_INETD_WRAP_H

#include <sys/types.h>

#include "hostsaccess.h"

struct inetd;
struct service;
struct conn;

/* What the deciding rule asks of the server's process (wrap_child). */
struct wrap_server {
	const char	*twist;		/* run "sh -c twist" instead */
	char		**setenv;	/* NAME=VALUE additions */
	int		  nsetenv;
	int		  has_umask;
	mode_t		  umask;
	int		  has_nice;
	int		  nice;
	int		  has_uid;
	uid_t		  uid;
	int		  has_gid;
	gid_t		  gid;
	int		  initgroups;	/* user option without a group */
	char		 *user;
};

enum wrap_result {
	WRAP_DENIED,
	WRAP_GRANTED,
	WRAP_ASKUSER,		/* wrap_check_daemon: ask ident, then again */
	WRAP_ASKNAME		/* wrap_check_daemon: look the client's name
				   up (resolve.c), then again */
};

enum wrap_result wrap_check(struct inetd *, struct service *, struct conn *,
	    struct hosts_verdict *);
enum wrap_result wrap_check_daemon(struct inetd *, struct service *,
	    struct conn *, const char *user, struct hosts_verdict *);
void	wrap_child(struct hosts_verdict *, int sockfd, struct wrap_server *);
int	wrap_daemon(struct inetd *, struct service *, struct conn *,
	    struct hosts_verdict *);
void	wrap_files(struct inetd *);
void	wrap_server_free(struct wrap_server *);
int	wrap_trivial(struct inetd *);

#endif /* AK_INETD_WRAP_H */
