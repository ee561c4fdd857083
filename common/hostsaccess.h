/*
 * hostsaccess.h: tcp_wrappers access control, hosts_access(5), matching
 * the rules the way Debian's libwrap 7.6.q does.
 *
 * One call decides one connection:
 *
 *	struct hosts_request	rq = { 0 };
 *	struct hosts_verdict	v;
 *
 *	rq.daemon = "in.ftpd";
 *	rq.client_sa = (struct sockaddr *)&peer;	(from accept())
 *	rq.server_sa = (struct sockaddr *)&local;	(from getsockname())
 *	if (hosts_access_check(&rq, &v) == HOSTS_GRANTED) ...
 *	hosts_verdict_free(&v);
 *
 * hosts.allow is read first (the first matching rule grants), then
 * hosts.deny (the first matching rule denies); when neither matches,
 * access is granted.  Both files are re-read on every call, so an edit
 * takes effect on the next connection.  A missing file counts as empty.
 *
 * Host names are looked up only when a pattern or an expansion needs one,
 * with libwrap's double check (a name whose forward lookup does not give
 * the address back becomes "paranoid").  The client's user name is asked
 * of its RFC 931 (ident) server only when a user@host pattern, %u or the
 * rfc931 option needs it.  Both can block for seconds: call the check in
 * the process that will run the server (after fork), as xinetd does, or
 * set HOSTS_NUMERIC and HOSTS_NOIDENT.  A poll loop that must not wait
 * sets HOSTS_DEFERIDENT: a check that needed the user then says so in
 * user_wanted (its verdict is to be dropped), the loop asks ident itself
 * (common/ident) and checks again with the answer in user.  In the same
 * way HOSTS_DEFERNAME leaves the client's name alone and says name_wanted:
 * the caller runs hosts_lookup_name() and hosts_verify_name() where
 * waiting does no harm (a child) and checks again with the result in
 * client_name.
 *
 * The engine never executes anything and changes no process state.  The
 * options of the matching rule come back as an ordered list of actions
 * (spawn, twist, banners, setenv, umask, nice, user, keepalive, linger);
 * the caller performs them in order, for example with hosts_shell_run().
 * The one exception is aclexec, whose exit status decides whether the rule
 * matches: it runs through the aclexec callback, and without a callback it
 * is treated as successful (as tcpdmatch(8) does).
 *
 * hosts_verdict_logline() gives the line and priority tcpd logs for the
 * verdict; problems in the rules come through the diag callback as
 * "file:line: what" text, already escaped.
 */
#ifndef AK_HOSTSACCESS_H
#define AK_HOSTSACCESS_H

#include <sys/types.h>
#include <sys/socket.h>

#include <stddef.h>
#include <syslog.h>

#define HOSTS_ALLOW_FILE	"/etc/hosts.allow"
#define HOSTS_DENY_FILE		"/etc/hosts.deny"

/* Longest daemon, user, host name or address kept (libwrap's limit). */
#define HOSTS_STRLEN		128

/* Syslog levels of a verdict when no severity option says otherwise. */
#define HOSTS_ALLOW_SEVERITY	LOG_INFO
#define HOSTS_DENY_SEVERITY	LOG_WARNING

/* hosts_request.flags */
#define HOSTS_NUMERIC	0x01	/* never look up names: they are "unknown" */
#define HOSTS_NOIDENT	0x02	/* never ask ident (set it for datagrams) */
#define HOSTS_EAGER	0x04	/* look names up before matching (tcpdmatch) */
#define HOSTS_DEFERIDENT 0x08	/* never ask ident: report user_wanted */
#define HOSTS_DEFERNAME	0x10	/* never look the client's name up:
				   report name_wanted */

struct hosts_request {
	const char	*daemon;	/* process name daemon patterns see */
	const struct sockaddr *client_sa; /* client endpoint, or NULL */
	const struct sockaddr *server_sa; /* local endpoint, or NULL */
	/*
	 * Known facts override what the socket addresses would give.  A
	 * NULL name is looked up from the address when needed; a NULL
	 * user is asked of the client's ident server when needed.  Text
	 * given here is used as is (tcpdmatch's literal client address).
	 */
	const char	*client_addr;
	const char	*client_name;
	const char	*server_addr;
	const char	*server_name;
	const char	*user;		/* "": asked, no answer */
	const char	*allow_file;	/* NULL: HOSTS_ALLOW_FILE */
	const char	*deny_file;	/* NULL: HOSTS_DENY_FILE */
	int		 flags;		/* HOSTS_NUMERIC, _NOIDENT, _EAGER */
	int		 ident_timeout;	/* seconds; 0: libwrap's 10 */
	pid_t		 pid;		/* for %p; 0: getpid() */

	/*
	 * Diagnostics: a warning (is_error 0) or an error (1), already
	 * formatted as "file:line: what".  NULL: log_warnx().
	 */
	void		(*diag)(void *arg, int is_error, const char *msg);
	/* Runs an aclexec command and returns its wait(2) status. */
	int		(*aclexec)(void *arg, const char *cmd);
	void		*arg;
};

enum hosts_action_type {
	HOSTS_ACT_INVALID,	/* the option whose value was rejected */
	HOSTS_ACT_ALLOW,	/* allow: decided the verdict */
	HOSTS_ACT_DENY,		/* deny: decided the verdict */
	HOSTS_ACT_SPAWN,	/* run value by sh -c, stdio on /dev/null, wait */
	HOSTS_ACT_TWIST,	/* exec value by sh -c on the socket, no server */
	HOSTS_ACT_BANNER,	/* send text (len bytes) to the client */
	HOSTS_ACT_SETENV,	/* set env variable name to text */
	HOSTS_ACT_UMASK,	/* umask(num) */
	HOSTS_ACT_NICE,		/* nice(num) */
	HOSTS_ACT_USER,		/* run as uid (name): with has_gid, group
				   gid alone, else initgroups(name, gid) */
	HOSTS_ACT_GROUP,	/* run with group gid alone */
	HOSTS_ACT_KEEPALIVE,	/* SO_KEEPALIVE on the socket */
	HOSTS_ACT_LINGER,	/* SO_LINGER of num seconds (0: off) */
	HOSTS_ACT_SEVERITY,	/* already applied to hosts_verdict.severity */
	HOSTS_ACT_RFC931,	/* ident lookup done; num is the timeout */
	HOSTS_ACT_ACLEXEC	/* ran (or not) through the callback */
};

struct hosts_action {
	enum hosts_action_type	 type;
	char			*key;	/* option name as written */
	char			*value;	/* value after % expansion, or NULL */
	char			*name;	/* setenv: variable name */
	char			*text;	/* banners: bytes to send; setenv */
	size_t			 len;	/* length of text */
	long			 num;
	uid_t			 uid;
	gid_t			 gid;
	int			 has_gid;
};

enum hosts_access {
	HOSTS_DENIED = 0,
	HOSTS_GRANTED = 1
};

struct hosts_verdict {
	enum hosts_access	 access;
	const char		*file;	/* deciding rule's file (a request
					   path), or NULL */
	int			 line;	/* its (last) line number; 0: none */
	int			 severity; /* syslog priority for the verdict */
	int			 errors; /* errors seen (they deny) */
	int			 user_wanted; /* HOSTS_DEFERIDENT: a rule
					   needed the unknown user */
	int			 name_wanted; /* HOSTS_DEFERNAME: a rule
					   needed the client's name */
	int			 ident_timeout; /* with user_wanted: the
					   seconds the rules give ident */
	const char		*twist;	/* twist command: run it, not the server */
	char			 client[2 * HOSTS_STRLEN]; /* user@host for logs */
	/* What the check learned; "" when it never needed to know. */
	char			 client_addr[HOSTS_STRLEN];
	char			 client_name[HOSTS_STRLEN];
	char			 server_addr[HOSTS_STRLEN];
	char			 server_name[HOSTS_STRLEN];
	char			 user[HOSTS_STRLEN];
	char			 daemon[HOSTS_STRLEN];
	struct hosts_action	*actions;
	size_t			 nactions;
};

enum hosts_access hosts_access_check(const struct hosts_request *,
	    struct hosts_verdict *);
void	hosts_verdict_free(struct hosts_verdict *);
int	hosts_verdict_logline(const struct hosts_verdict *, int, char *,
	    size_t);
struct privdrop_id;
int	hosts_shell_run(const char *);
int	hosts_shell_run_as(const char *, const struct privdrop_id *);
int	hosts_addr_literal(const char *);
int	hosts_lookup_name(const struct hosts_request *, char *, size_t);
void	hosts_verify_name(const struct hosts_request *, const char *ptr,
	    char *, size_t);

#endif /* AK_HOSTSACCESS_H */
