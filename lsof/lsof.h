/*
 * lsof.h: the open-file lister's shared types.
 *
 * One pass gathers every selected process and file into a struct list
 * (the back end may read /proc with several threads; they only read the
 * options); the selection then keeps what is listed, ept.c adds -E's
 * endpoints, and the printers (print.c for columns, field.c for -F and
 * JSON) walk the list.  Options are parsed once into a struct opts that
 * everything else reads but never writes, except the "found" marks of
 * the search items, which feed the exit status, made by the selection
 * after the gathering, and the -b warnings' "said once" flag.
 */
#ifndef AK_LSOF_H
#define AK_LSOF_H

#include <sys/types.h>
#include <netinet/in.h>

#include <regex.h>
#include <stddef.h>
#include <stdio.h>

/* Selection bits, one per kind of search item (lsof's SEL* flags). */
#define SEL_CMD		0x0001
#define SEL_PID		0x0002
#define SEL_UID		0x0004
#define SEL_PGID	0x0008
#define SEL_FD		0x0010
#define SEL_NET		0x0020
#define SEL_NAME	0x0040
#define SEL_UNIX	0x0080
#define SEL_NLINK	0x0100
#define SEL_TASK	0x0200
#define SEL_NA		0x0400	/* -i with an address, protocol or port */
#define SEL_NFS		0x0800	/* -N */
#define SEL_REJECT	0x8000	/* dropped whatever else matches (-s) */
#define SEL_PROC	(SEL_CMD | SEL_PID | SEL_UID | SEL_PGID)

#define TMLIMIT		15	/* -S default, seconds */
#define TMLIMMIN	2	/* -S minimum */
#define CMDMAX		15	/* the longest command name Linux keeps */

/* What -T asks for in the NAME column and the T fields. */
#define TI_STATE	0x01
#define TI_QUEUE	0x02
#define TI_FLAGS	0x04
#define TI_UDPSTATE	0x08	/* ours: "(ESTABLISHED)" for connected UDP */

enum out_mode {
	OUT_COLUMNS,
	OUT_TERSE,
	OUT_FIELDS,
	OUT_JSON,
	OUT_JSONL
};

/* A numeric search item: -p, -g, -u (uid). */
struct idsel {
	long	 id;
	char	*name;		/* login name as given, or NULL */
	int	 excl;
	int	 found;
};

/* A -c item: a prefix or a regular expression. */
struct cmdsel {
	char	*str;
	regex_t	 re;
	int	 is_re;
	int	 excl;
	int	 found;
};

/* A -d item: a number range or a name (cwd, txt, mem, fd, ...). */
struct fdsel {
	int	 lo, hi;	/* numeric range, lo = -1 for a name */
	char	 name[8];
};

/* A -i item. */
struct netsel {
	char	*arg;		/* the argument as given, for -V */
	int	 family;	/* 0, AF_INET or AF_INET6 */
	int	 proto;		/* 0, IPPROTO_TCP or IPPROTO_UDP */
	int	 has_addr;
	struct in6_addr addr;	/* v4 stored as v4-mapped */
	int	 plo, phi;	/* port range, plo = -1 for any */
	int	 found;
};

/* A file operand or +d/+D directory. */
struct namesel {
	char	*arg;		/* as given */
	char	*path;		/* links resolved, as 4.95 speaks of it */
	dev_t	 dev;
	ino_t	 ino;
	dev_t	 rdev;
	int	 kind;		/* NS_FILE, NS_FS, NS_DIR, NS_TREE */
	int	 is_sock;	/* a UNIX socket: matched by path */
	struct devino *set;	/* +d/+D: what the walk found, sorted */
	size_t	 nset;
	size_t	 nsock;		/* how many of them are UNIX sockets */
	int	 found;
};

struct devino {
	dev_t	 dev;
	ino_t	 ino;
	char	*path;		/* for -V and UNIX sockets */
	size_t	 seq;		/* the order of the walk */
	int	 is_sock;
	int	 found;
};
#define NS_FILE	0
#define NS_FS	1
#define NS_DIR	2
#define NS_TREE	3

/* -s PROTO:STATE lists. */
struct statesel {
	unsigned int	 incl;	/* bit per TCP state */
	unsigned int	 excl;
	unsigned int	 found;
};

struct guard;
struct rpcmap;
struct mnttab;
struct efsys;

struct opts {
	struct guard	*guard;		/* helper for stat(2) of names */
	int		 and;		/* -a */
	int		 avoid_block;	/* -b */
	int		 tmlimit;	/* -S: seconds a blocking call may take */
	int		 direct;	/* -O: no helper process for them */
	int		 ept;		/* -E 1, +E 2: endpoint information */
	int		 filesys;	/* -f 1, +f 2: how names are taken */
	int		 fflags;	/* +f g: 'g', +f G: 'G', or 0 */
	int		 crossover;	/* -x given */
	int		 dirs_given;	/* +d or +D given */
	int		 no_inet;	/* -X: TCP and UDP tables unread */
	int		 terse;		/* -t */
	int		 tcpinfo_set;	/* -T given */
	int		 field_help;	/* -F? */
	struct mnttab	*mnt;		/* the mount table, once read */
	struct efsys	*efs;		/* -e, +e */
	size_t		 nefs;
	int		 efs_bad;	/* one is no mount point */
	int		 mntsup;	/* +m 1, +m FILE 2 */
	char		*mntsup_path;
	int		 cmdlim;	/* +c */
	int		 numeric_host;	/* -n */
	int		 numeric_port;	/* -P */
	int		 portmap;	/* +M: portmapper registrations */
	struct rpcmap	*rpcmap;	/* and what it says, once asked */
	int		 numeric_uid;	/* -l */
	int		 show_ppid;	/* -R */
	int		 show_pgid;	/* -g */
	int		 show_nlink;	/* +L */
	int		 nlink_max;	/* +L N: list files with nlink < N */
	int		 offset;	/* -o */
	int		 offdigits;	/* -o N */
	int		 size;		/* -s */
	int		 quiet_fail;	/* -Q */
	int		 verbose;	/* -V */
	int		 nowarn;	/* -w (and -t) */
	int		 tasks;		/* 0 none, 1 listed (-K), 2 ignored */
	int		 tcpinfo;	/* TI_* */
	int		 nfs_only;	/* -N */
	int		 nfs_found;
	int		 tasks_found;	/* -K: a task was selected */
	int		 unix_only;	/* -U */
	int		 net_all;	/* -i with no address */
	int		 net_found;	/* and an Internet file was seen */
	int		 netfamily;	/* -4 / -6 in -i with no spec */
	unsigned int	 selflags;	/* SEL_* given */
	int		 selall;	/* no selection at all */
	int		 repeat;	/* seconds between cycles, 0 = once */
	int		 repeat_until_empty;	/* +r */
	int		 repeat_count;	/* c<N> */
	char		*repeat_fmt;	/* m<fmt> */
	enum out_mode	 out;
	char		 fields[32];	/* -F letters, in order given */
	int		 field_nul;	/* -F0 */
	int		 xdev;		/* -x f: cross file systems in +D */
	int		 xlink;		/* -x l: follow symlinks in +D */
	struct idsel	*pids;
	size_t		 npids;
	struct idsel	*pgids;
	size_t		 npgids;
	struct idsel	*uids;
	size_t		 nuids;
	struct cmdsel	*cmds;
	size_t		 ncmds;
	struct fdsel	*fds;
	size_t		 nfds;
	int		 fd_excl;	/* the -d list excludes */
	struct netsel	*nets;
	size_t		 nnets;
	struct namesel	*names;
	size_t		 nnames;
	struct statesel	 tcpstates;
	int		 has_tcpstates;
};

/* Internet socket details, for NAME, -i matching and -F T fields. */
struct inetinfo {
	int		 family;	/* AF_INET or AF_INET6 as shown */
	int		 proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	struct in6_addr	 laddr, faddr;	/* v4 kept v4-mapped */
	int		 lport, fport;	/* -1: none */
	int		 state;		/* TCP state number, 0 unknown */
	unsigned long	 rq, sq;
};

/* Flags of struct lfile. */
#define LF_DEV		0x0001	/* dev is valid: DEVICE maj,min */
#define LF_RDEV		0x0002	/* rdev is valid (CHR/BLK) */
#define LF_SIZE		0x0004
#define LF_OFF		0x0008
#define LF_INODE	0x0010
#define LF_NLINK	0x0020
#define LF_FDINFO	0x0040	/* fdflags valid */
#define LF_INET		0x0080	/* inet is valid */
#define LF_NODEPROTO	0x0100	/* NODE shows iproto */
#define LF_STAT		0x0200	/* came from a stat(2): dev, inode valid */
#define LF_NFS		0x0400	/* on an NFS mount (-N) */

struct lfile {
	char		 fd[12];	/* "cwd", "12", "NOFD" ... */
	char		 access;	/* ' ' 'r' 'w' 'u' */
	char		 lock;		/* ' ' 'W' 'R' 'w' 'r' 'U' 'x' 'X' */
	char		 type[8];
	int		 fdnum;		/* -1 when not a numeric fd */
	unsigned int	 flags;		/* LF_* */
	unsigned int	 sel;		/* SEL_* matched by this file */
	dev_t		 dev;
	dev_t		 rdev;
	unsigned long long size, off, inode;
	unsigned long	 nlink;
	unsigned int	 fdflags;	/* fdinfo flags: */
	char		 iproto[8];	/* TCP, UDP, or packet protocol */
	char		*devch;		/* DEVICE text when not maj,min */
	char		*name;		/* NAME, unescaped */
	char		*nma;		/* what 4.95 adds to NAME, or NULL */
	char		*tstate;	/* unix/other state for TST= / (..) */
	struct inetinfo	*inet;
	/* -E: what other files are this file's endpoints. */
	unsigned char	 ept;		/* EPT_*, 0 when none */
	unsigned char	 hidden;	/* kept only as an endpoint, unlisted */
	unsigned char	 ept_mark;	/* +E: an endpoint of a listed file */
	unsigned long long ept_key;	/* inode, tty index or eventfd id */
	unsigned long long ept_peer;	/* the peer socket's inode, 0 none */
	unsigned long long ept_icon;	/* a listener's first pending peer */
	char		*ept_text;	/* the addition to NAME */
};

/* Kinds of endpoint (struct lfile's ept). */
#define EPT_FIFO	1	/* a pipe or FIFO, by inode */
#define EPT_UNIX	2	/* a UNIX socket, by inode */
#define EPT_INET	3	/* a TCP or UDP socket, by inode */
#define EPT_PTMX	4	/* a pseudo-terminal master, by tty index */
#define EPT_PTS		5	/* a pseudo-terminal slave, by minor */
#define EPT_EVENTFD	6	/* an eventfd, by id */
#define EPT_PSXMQ	7	/* a POSIX message queue, by inode */

struct lproc {
	pid_t		 pid;
	pid_t		 tid;		/* 0 for the process itself */
	pid_t		 ppid;
	pid_t		 pgid;
	uid_t		 uid;
	char		*cmd;
	char		*tcmd;		/* task command, NULL for processes */
	unsigned int	 sel;		/* SEL_* matched by the process */
	int		 excluded;	/* "^" excluded: -E endpoints only */
	struct lfile	*files;
	size_t		 nfiles;
	size_t		 capfiles;
};

struct list {
	struct lproc	*procs;
	size_t		 nprocs;
	size_t		 capprocs;
};

/* select.c */
int	 select_parse_pids(struct opts *, const char *, int);
int	 select_parse_uids(struct opts *, const char *);
int	 select_parse_cmd(struct opts *, const char *);
int	 select_parse_fds(struct opts *, const char *);
int	 select_parse_net(struct opts *, const char *);
int	 select_parse_state(struct opts *, const char *);
int	 select_parse_name(struct opts *, const char *, int);
int	 select_check(struct opts *);
void	 select_parse_nfs(struct opts *);
int	 select_proc_excluded(const struct opts *, pid_t, pid_t, uid_t,
	    const char *);
unsigned int select_proc_match(const struct opts *, pid_t, pid_t, uid_t,
	    const char *);
int	 select_fd_match(const struct opts *, const char *, int);
unsigned int select_file(struct opts *, struct lfile *);
int	 select_keep(const struct opts *, unsigned int, unsigned int);
void	 select_list(struct opts *, struct list *);
int	 select_report(const struct opts *);
int	 select_tcp_state(const char *);
const char *select_tcp_state_name(int);

/* print.c */
void	 print_columns(const struct opts *, struct list *);
void	 print_terse(const struct list *);
size_t	 print_escape(char *, size_t, const char *, int);
size_t	 print_ull(char *, unsigned long long);
void	 print_name(const struct opts *, const struct lfile *, char *,
	    size_t, int);
void	 print_nma(const struct opts *, const struct lfile *, char *,
	    size_t, int *);
size_t	 print_sizeoff(const struct opts *, const struct lfile *, char *,
	    size_t, int *);
const char *print_user(const struct opts *, uid_t, int);
size_t	 print_fflags(const struct opts *, const struct lfile *, char *,
	    size_t);
const char *print_login(uid_t);

/* field.c */
void	 field_print(const struct opts *, const struct list *);
void	 field_marker(const struct opts *);
void	 json_print(const struct opts *, const struct list *);

/* ept.c */
void	 ept_resolve(const struct opts *, struct list *);

/* list.c */
struct lproc *list_proc_new(struct list *);
void	 list_merge(struct list *, struct list *, size_t);
struct lfile *list_file_new(struct lproc *);
void	 list_file_clear(struct lfile *);
int	 list_proc_listed(const struct lproc *);
void	 list_free(struct list *);

#endif /* AK_LSOF_H */
