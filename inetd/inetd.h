/*
 * inetd.h: the super-server's shared types.
 *
 * A configuration (struct conf) is a list of service configurations
 * (struct svcconf) read from xinetd.conf or inetd.conf syntax.  The running
 * daemon turns each into a struct service with its listening sockets
 * (struct listener), and tracks what it started: forked servers (struct
 * child) and connections it serves itself (struct session).  Everything
 * hangs off one struct inetd, owned by inetd.c and passed to the modules.
 */
#ifndef AK_INETD_H
#define AK_INETD_H

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "compat.h"
#include "deadline.h"
#include "selfpipe.h"

#define INETD_CONF		"/etc/xinetd.conf"
#define INETD_BSD_CONF		"/etc/inetd.conf"
#define INETD_DUMP		"/var/run/inetd.dump"
#define INETD_HOSTS_ALLOW	"/etc/hosts.allow"
#define INETD_HOSTS_DENY	"/etc/hosts.deny"

/* Configuration syntaxes. */
#define SYNTAX_AUTO	0
#define SYNTAX_XINETD	1
#define SYNTAX_INETD	2

/* Service types (xinetd's "type" attribute). */
#define ST_RPC		0x01
#define ST_INTERNAL	0x02
#define ST_UNLISTED	0x04
#define ST_SPECIAL	0x08
#define ST_TCPMUX	0x10
#define ST_TCPMUXPLUS	0x20

/* Service flags (xinetd's "flags" attribute). */
#define SF_REUSE	0x0001
#define SF_INTERCEPT	0x0002
#define SF_NORETRY	0x0004
#define SF_IDONLY	0x0008
#define SF_NAMEINARGS	0x0010
#define SF_NODELAY	0x0020
#define SF_KEEPALIVE	0x0040
#define SF_NOLIBWRAP	0x0080
#define SF_SENSOR	0x0100
#define SF_IPV4		0x0200
#define SF_IPV6		0x0400
#define SF_LABELED	0x0800
#define SF_DISABLE	0x1000

/* log_on_success and log_on_failure bits. */
#define LS_PID		0x01
#define LS_HOST		0x02
#define LS_USERID	0x04
#define LS_EXIT		0x08
#define LS_DURATION	0x10
#define LS_TRAFFIC	0x20
#define LF_HOST		0x01
#define LF_USERID	0x02
#define LF_ATTEMPT	0x04

/* Why a connection was refused: xinetd's reason words, in its order. */
enum fail_reason {
	FAIL_ADDRESS,
	FAIL_TIME,
	FAIL_FORK,
	FAIL_SERVICE_LIMIT,
	FAIL_PER_SOURCE_LIMIT,
	FAIL_PROCESS_LIMIT,
	FAIL_LIBWRAP,
	FAIL_LOAD,
	FAIL_CPS,
	FAIL_NONE		/* not a refusal: every check passed */
};

/* What the checks make of a connection (inetd_admit). */
enum admit {
	ADMIT_REFUSED,		/* refused, logged, banner_fail sent */
	ADMIT_GRANTED,		/* go on: serve it or start its server */
	ADMIT_TWISTED,		/* a tcp_wrappers twist command took it */
	ADMIT_ASKUSER,		/* the rules need the client's ident answer */
	ADMIT_ASKNAME		/* the checks need the client's host name */
};

/* What limit_address_check makes of a client's address. */
enum addr_check {
	ADDR_REFUSED,
	ADDR_ALLOWED,
	ADDR_NEEDNAME		/* a domain entry needs the client's name */
};

/* Attributes, for "specified" bookkeeping and messages. */
enum attr {
	A_SOCKET_TYPE, A_PROTOCOL, A_WAIT, A_USER, A_GROUP, A_SERVER,
	A_SERVER_ARGS, A_INSTANCES, A_LOG_ON_SUCCESS, A_LOG_ON_FAILURE,
	A_LOG_TYPE, A_ONLY_FROM, A_NO_ACCESS, A_ACCESS_TIMES, A_TYPE,
	A_RPC_VERSION, A_RPC_NUMBER, A_ID, A_ENV, A_PORT, A_PASSENV, A_FLAGS,
	A_NICE, A_REDIRECT, A_BANNER, A_BIND, A_PER_SOURCE, A_GROUPS,
	A_BANNER_SUCCESS, A_BANNER_FAIL, A_CPS, A_DISABLE, A_MAX_LOAD,
	A_RLIMIT_AS, A_RLIMIT_CPU, A_RLIMIT_DATA, A_RLIMIT_FILES,
	A_RLIMIT_RSS, A_RLIMIT_STACK, A_V6ONLY, A_DENY_TIME, A_UMASK,
	A_LIBWRAP, A_MDNS, A_ENABLED, A_DISABLED, A_HOSTS_ALLOW, A_HOSTS_DENY,
	A_DUMP_FILE,
	A_MAX
};

#define SPEC(a)		((uint64_t)1 << (a))

#define NRLIMITS	6
#define UNLIMITED	(-1)

/* One only_from / no_access entry. */
struct acl_entry {
	int		 kind;		/* ACL_NET, ACL_DOMAIN, ACL_ANY */
	int		 family;
	unsigned char	 addr[16];
	int		 plen;		/* prefix length in bits */
	char		*text;		/* as written, for dumps */
};
#define ACL_NET		1
#define ACL_DOMAIN	2
#define ACL_ANY		3

struct acl {
	struct acl_entry	*v;
	size_t			 n;
	int			 set;	/* given, even as an empty list */
};

/* access_times: minutes since midnight, inclusive bounds. */
struct timespan {
	int	from;
	int	to;
};

struct logspec {
	int	 type;		/* LOGT_NONE, LOGT_SYSLOG, LOGT_FILE */
	int	 facility;
	int	 level;
	char	*path;
	off_t	 soft;		/* 0: no size control */
	off_t	 hard;
};
#define LOGT_NONE	0
#define LOGT_SYSLOG	1
#define LOGT_FILE	2

/* A rate limit: more than max connections within window seconds trips it. */
struct ratespec {
	unsigned	max;		/* 0: off */
	unsigned	window;		/* seconds */
	unsigned	wait;		/* seconds closed after tripping */
};

struct bindaddr {
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	int			 v6only;
};

/* One service's configuration, as parsed and completed. */
struct svcconf {
	char		*name;
	char		*id;
	char		*file;		/* where its entry starts */
	int		 line;
	uint64_t	 specified;	/* SPEC(A_*) given in the entry */
	int		 disabled;
	int		 broken;	/* a value failed to parse */
	int		 bsd;		/* from inetd.conf syntax */

	int		 socktype;
	char		*protoname;
	int		 proto;
	int		 wait;
	unsigned	 type;
	unsigned	 flags;

	char		*user;
	char		*group;
	uid_t		 uid;
	gid_t		 gid;
	int		 groups;	/* supplementary groups: yes/no */
	gid_t		*grouplist;	/* for groups = yes */
	int		 ngroups;

	char		*server;
	char		**args;		/* server_args as written */
	int		 nargs;
	char		**argv;		/* what execve gets */
	int		 port;		/* -1 until known */

	char		*bindstr;
	struct bindaddr	*binds;
	int		 nbinds;
	int		 v6only;	/* -1 unset */

	struct acl	 only_from;
	struct acl	 no_access;
	struct timespan	*times;
	int		 ntimes;

	int		 instances;
	int		 per_source;
	struct ratespec	 cps;
	double		 max_load;

	struct logspec	 log;
	unsigned	 log_success;
	unsigned	 log_failure;

	char		**env;		/* env = NAME=VALUE ... */
	int		 nenv;
	char		**passenv;
	int		 npassenv;
	char		**envp;		/* built: what the server inherits */
	int		 nenvp;

	struct sockaddr_storage redir;
	socklen_t	 redirlen;

	char		*banner;
	char		*banner_success;
	char		*banner_fail;

	int		 nice;
	mode_t		 umask;
	rlim_t		 rlim[NRLIMITS];
	int		 deny_time;	/* minutes; -1 forever, 0 never */
	char		*libwrap;	/* daemon name override */
	int		 mdns;
	int		 rpc_min;
	int		 rpc_max;
	int		 rpc_number;
	int		 sndbuf;	/* inetd.conf extras, 0: default */
	int		 rcvbuf;

	const struct builtin *builtin;
	char		*daemon;	/* tcp_wrappers daemon name */
};

/* Defaults-only settings. */
struct confdefaults {
	struct svcconf	*sc;		/* the defaults entry */
	char		**enabled;
	int		 nenabled;
	int		 enabled_set;
	char		**disabled;
	int		 ndisabled;
	char		*hosts_allow;
	char		*hosts_deny;
	char		*dump_file;
};

struct conf {
	struct svcconf	**svcs;
	int		  nsvcs;
	struct services	 *svc;		/* port names, while parsing */
	struct confdefaults def;
	int		  syntax;
	int		  nerrors;
	int		  nwarnings;
	int		  nfiles;	/* configuration files read */
};

/* Options that shape parsing. */
struct confopts {
	int		 syntax;	/* SYNTAX_* */
	int		 bsd_rate;	/* -R: inetd.conf invocations per minute */
	int		 quiet;		/* count problems, print nothing */
	const char	*compat_file;	/* -inetd_compat: also read this */
};

struct service;
struct services;
struct inetd;
struct conn;
struct listener;

/* An internal service. */
struct builtin {
	const char	*name;
	int		 socktype;
	int		 wait;		/* its fixed wait mode */
	int		 forks;		/* xinetd forks it (logs a real pid) */
	int		 (*start)(struct inetd *, struct service *,
			    struct conn *);
	void		 (*dgram)(struct inetd *, struct service *,
			    struct listener *);
};

/* A client's host name, as a child looked it up (resolve.c). */
struct peername {
	int		 known;		/* NAME_* */
	char		 ptr[256];	/* the reverse lookup's answer */
	char		 name[256];	/* as tcp_wrappers sees it */
};
#define NAME_PTR	0x01	/* ptr looked up ("": none) */
#define NAME_VERIFIED	0x02	/* name: double-checked, "paranoid" or
				   "unknown" */

/* A listening (or datagram) socket; may outlive its service on reload. */
struct listener {
	int		 fd;
	int		 family;
	int		 socktype;
	int		 proto;
	struct bindaddr	 addr;
	int		 port;
	struct service	*svc;		/* owner; NULL while orphaned */
	int		 held;		/* a wait=yes server has it */
	int		 inpoll;	/* in the poll set right now */
	int		 keep;		/* reload: matched by the new config */
	int		 sndbuf;
	int		 rcvbuf;
	unsigned	 sockflags;	/* SF_NODELAY | SF_KEEPALIVE */
	unsigned char	 pnkey[16];	/* the sender whose name is in pn */
	struct peername	 pn;		/* for the datagram it sent */
};

/* Per-source connection counts of one service. */
struct srcent {
	struct srcent	*next;
	unsigned char	 addr[16];
	unsigned	 count;
};
#define SRC_BUCKETS	64

struct ratewin {
	time_t		 start;
	unsigned	 count;
};

#define SVC_ACTIVE	0	/* listening */
#define SVC_OFF		1	/* closed by a rate limit, reopens later */
#define SVC_FAILED	2	/* could not bind */
#define SVC_RETIRED	3	/* dropped by a reload, children still run */

struct svclog;

struct service {
	struct svcconf	*conf;
	struct listener	**lst;
	int		  nlst;
	int		  state;
	unsigned	  running;	/* servers and sessions alive */
	unsigned long	  started;
	unsigned long	  refused;
	struct ratewin	  rate;
	struct ratewin	  refusals;	/* of per_source refusals */
	struct srcent	 *src[SRC_BUCKETS];
	struct svclog	 *log;
	int		  refs;		/* children and sessions using it */
	struct deadline	  reopen;
	unsigned char	  lastfail[16];	/* dgram failures are logged once */
	int		  lastfailport;
	time_t		  lastfailtime;
};

/* A connection being handled. */
struct conn {
	int			 fd;
	struct sockaddr_storage	 peer;
	socklen_t		 peerlen;
	struct sockaddr_storage	 local;
	socklen_t		 locallen;
	char			 host[64];	/* numeric peer address */
	unsigned char		 key[16];	/* peer address, v4 mapped */
	int			 haspeer;
	struct listener		*lst;
	struct peername		 pn;		/* its host name, once known */
	int			 identwait;	/* seconds for its identd */
};

/* A client's name being looked up in a child (resolve.c). */
struct resolve {
	pid_t		 pid;
	int		 fd;		/* the child's pipe */
	int		 verify;	/* the double check is wanted too */
	size_t		 len;
	char		 buf[4096];	/* what the child wrote */
};

#define CHILD_SERVER	1	/* a server: counts as an instance */
#define CHILD_USERID	2	/* an ident lookup for a refused connection */
#define CHILD_SPAWN	3	/* a tcp_wrappers spawn command */
#define CHILD_RESOLVE	4	/* a client's name lookup (resolve.c) */

struct child {
	struct child	*next;
	pid_t		 pid;
	int		 kind;
	struct service	*svc;
	struct listener	*held;		/* wait=yes: the listener it has */
	unsigned char	 key[16];
	int		 haspeer;
	time_t		 start;
};
#define CHILD_BUCKETS	256

struct session;
struct pollfd;

struct opts {
	const char	*config;
	const char	*pidfile;
	const char	*dumpfile;
	const char	*filelog;
	int		 syslog_facility;
	int		 debug;
	int		 foreground;
	int		 stayalive;
	int		 check;
	int		 proc_limit;
	int		 logprocs;
	int		 cc_interval;
	int		 backlog;
	int		 keepenv;
	int		 libwrap_all;	/* -l: wrap inetd.conf services too */
	const char	*hostsdir;	/* -W: hosts.allow and hosts.deny here */
	struct confopts	 copts;
};

struct inetd {
	struct opts	  opt;
	struct conf	 *conf;
	struct service	**svcs;
	int		  nsvcs;
	struct service	**retired;
	int		  nretired;
	struct listener	**lsts;
	int		  nlsts;
	struct child	 *children[CHILD_BUCKETS];
	unsigned	  nchildren;	/* CHILD_SERVER ones */
	unsigned	  nuserid;	/* USERID children */
	unsigned	  nidents;	/* ident queries of the loop's own */
	unsigned	  nresolves;	/* name lookups in children */
	struct session	 *sessions;
	unsigned	  nsessions;
	struct deadline_queue timers;
	struct deadline	  cc_timer;
	struct deadline	  accept_pause;	/* out of descriptors: wait */
	struct deadline	  term_timer;	/* SIGTERM's grace period */
	struct selfpipe	  sp;
	struct svclog	 *logs;		/* open FILE logs */
	char		**baseenv;	/* the daemon's environment */
	time_t		  now;
	time_t		  started;
	unsigned long	  accepted;
	int		  terminating;
	int		  syslog_open;
	int		  pollfd_dirty;
	const char	 *ident;	/* program name, for syslog */
	char		 *wrap_allow;	/* tcp_wrappers rule files */
	char		 *wrap_deny;
	struct stat	  wrap_allow_st;	/* as last read by wrap_trivial */
	struct stat	  wrap_deny_st;
	int		  wrap_known;
	int		  wrap_empty;	/* neither holds a rule */
	struct sensor	 *sensor;	/* SENSOR flag's deny list */
	char		  hostname[256];
};

/* conf.c */
struct conf	*conf_load(const char *, const struct confopts *);
const char	*conf_attr_name(enum attr);
void		 strv_push(char ***, int *, const char *);
void		 strv_free(char ***, int *);
int		 strv_find(char **, int, const char *);
void		 strv_copy(char ***, int *, char **, int);
void		 conf_free(struct conf *);
struct svcconf	*svcconf_new(const char *name, const char *file, int line);
void		 svcconf_free(struct svcconf *);
int		 conf_add_service(struct conf *, struct svcconf *);
const char	*conf_syntax_name(int);
int		 conf_number(const char *, long long max, long long *);
const char	*conf_hint(char *, size_t, const char *near);
const char	*conf_id_hint(char *, size_t, const char *name, int group);
const char	*conf_service_nearest(const struct services *, const char *,
		    int proto);
int		 conf_size(const char *, int units, rlim_t *);

/* xinetdconf.c */
int		 xinetdconf_parse(struct conf *, const char *path,
		    const struct confopts *);

/* inetconf.c */
int		 inetconf_parse(struct conf *, const char *path,
		    const struct confopts *);

/* hostlist.c */
int		 acl_add(struct acl *, const char *, char *, size_t);
int		 acl_remove(struct acl *, const char *, char *, size_t);
void		 acl_copy(struct acl *, const struct acl *);
void		 acl_clear(struct acl *);
int		 acl_match(const struct acl *, const struct sockaddr *,
		    const char *hostname);
int		 acl_needs_name(const struct acl *);
int		 addr_key(const struct sockaddr *, unsigned char key[16]);
int		 addr_numeric(const struct sockaddr *, char *, size_t);
int		 addr_parse_bind(const char *, int family, struct bindaddr *,
		    char *, size_t);

/* listen.c */
int		 listen_open(struct inetd *, struct service *);
void		 listen_close(struct inetd *, struct listener *);
void		 listen_release(struct inetd *, struct service *);
int		 listen_adopt(struct inetd *, struct service *);
struct listener	*listen_find(struct inetd *, int family, int socktype,
		    int proto, const struct bindaddr *, int port);

/* limit.c */
enum fail_reason limit_check(struct inetd *, struct service *,
		    struct conn *);
int		 limit_refusal_rate(struct inetd *, struct service *);
void		 limit_rate_trip(struct inetd *, struct service *);
void		 limit_reopen(struct deadline *, void *);
void		 src_add(struct service *, const unsigned char *);
void		 src_del(struct service *, const unsigned char *);
unsigned	 src_count(const struct service *, const unsigned char *);
void		 src_clear(struct service *);
int		 limit_time_ok(const struct svcconf *, time_t);
double		 limit_loadavg(void);
enum addr_check	 limit_address_check(struct inetd *, struct service *,
		    struct conn *);
int		 sensor_check(struct inetd *, const unsigned char *);
void		 sensor_add(struct inetd *, struct service *,
		    const unsigned char *, const char *);
void		 sensor_free(struct inetd *);
unsigned	 sensor_count(const struct inetd *);

/* svclog.c */
int		 svclog_setup(struct inetd *, struct service *);
void		 svclog_release(struct inetd *, struct service *);
void		 svclog_reopen_all(struct inetd *);
void		 svclog_start(struct service *, const struct conn *, pid_t);
void		 svclog_exit(struct service *, pid_t, int status,
		    time_t start);
void		 svclog_fail(struct inetd *, struct service *,
		    const struct conn *, enum fail_reason);
void		 svclog_line(struct service *, const char *entry,
		    const char *fmt, ...) __printflike(3, 4);
int		 svclog_wants_exit(const struct service *);
const char	*svclog_reason(enum fail_reason);
int		 syslog_facility_parse(const char *);
int		 syslog_level_parse(const char *);
const char	*syslog_facility_nearest(const char *);
const char	*syslog_level_nearest(const char *);
const char	*syslog_facility_name(int);
const char	*syslog_level_name(int);

/* spawn.c */
#define SPAWN_FAILED	((pid_t)-1)	/* no process: FAIL fork */
pid_t		 spawn_server(struct inetd *, struct service *,
		    struct conn *, int sockfd);
void		 spawn_userid_on_failure(struct inetd *, struct service *,
		    struct conn *);
void		 spawn_banner(const char *path, int fd, int blocking);
struct wrap_server;
pid_t		 spawn_twist(struct inetd *, struct service *, struct conn *,
		    const struct wrap_server *);
void		 spawn_reset_signals(void);
int		 spawn_conn_local(struct conn *);
int		 spawn_build_env(struct svcconf *, char **baseenv);

/* builtin.c */
const struct builtin *builtin_find(const char *name, int socktype);
const char	*builtin_nearest(const char *name);
void		 builtin_handle_dgram(struct inetd *, struct service *,
		    struct listener *);
void		 session_pollfds(struct inetd *, struct pollfd *, void **,
		    int *n);
void		 session_event(struct inetd *, struct session *, short);
void		 session_close_all(struct inetd *);
int		 session_ask_user(struct inetd *, struct service *,
		    struct conn *);
int		 session_ask_name(struct inetd *, struct service *,
		    struct conn *, const char *user, const void *dgram,
		    size_t len);

/* resolve.c */
int		 resolve_start(struct inetd *, struct service *,
		    struct conn *, int verify, struct resolve *);
int		 resolve_read(struct resolve *);
void		 resolve_finish(struct service *, struct resolve *,
		    struct conn *);
void		 resolve_cancel(struct inetd *, struct resolve *);

/* dump.c */
int		 dump_state(struct inetd *, const char *path);
void		 dump_config(struct conf *, FILE *);

/* inetd.c: the service and child bookkeeping the modules share */
void		 inetd_child_add(struct inetd *, pid_t, int kind,
		    struct service *, const struct conn *, struct listener *);
void		 inetd_service_hold(struct service *);
void		 inetd_service_rele(struct inetd *, struct service *);
void		 inetd_handle_conn(struct inetd *, struct service *,
		    struct conn *);
enum admit	 inetd_admit(struct inetd *, struct service *, struct conn *);
enum admit	 inetd_admit_late(struct inetd *, struct service *,
		    struct conn *, const char *user);
void		 inetd_refuse(struct inetd *, struct service *, struct conn *,
		    enum fail_reason, int quiet);
void		 inetd_admit_resume(struct inetd *, struct service *,
		    struct conn *, const char *user);
int		 inetd_child_signal(struct inetd *, pid_t, int signo);
int		 inetd_svc_wrapped(const struct inetd *, const struct svcconf *);
struct service	*inetd_find_tcpmux(struct inetd *, const char *);
void		 inetd_listener_suspend(struct inetd *, struct listener *);
void		 inetd_listener_resume(struct inetd *, struct listener *);
int		 inetd_listener_valid(const struct inetd *,
		    const struct listener *, const struct service *);

#endif /* AK_INETD_H */
