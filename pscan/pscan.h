/*
 * pscan.h: the port scanner's shared types and the functions its modules
 * offer each other.
 *
 * A scan runs in host groups: the targets are read lazily, a group of
 * hosts is scanned by the engine with one probe type (connect, or a raw
 * TCP probe), and each host of the group is then reported in every output
 * format.  The engine owns timing, retransmission and congestion control;
 * a probe type only sends a probe and tells the engine what came back, so
 * that later probe types (UDP, host discovery) plug into the same loop.
 */
#ifndef PSCAN_H
#define PSCAN_H

#include <sys/types.h>
#include <poll.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "addr.h"
#include "compat.h"
#include "deadline.h"
#include "services.h"

struct engine;
struct output;

/* Engines (threads) one scan of a group may use at most. */
#define PSCAN_WORKERS_MAX	8

/*
 * Port states, numbered as nmap numbers them: when two folded states
 * have as many ports, the "Not shown" line names the lower number first.
 * PS_UNKNOWN marks a port this run does not scan (another --shard's).
 */
enum pstate {
	PS_UNKNOWN = 0,
	PS_CLOSED = 1,
	PS_OPEN = 2,
	PS_FILTERED = 3,
	PS_UNFILTERED = 6,
	PS_OPENFILTERED = 7,
	PS_CLOSEDFILTERED = 8,
	PS_NSTATES = 9
};

/* Why a port is in its state: nmap's reason codes, in nmap's order. */
enum why {
	WHY_RESET, WHY_CONNREFUSED, WHY_CONNACCEPT, WHY_SYNACK, WHY_SYN,
	WHY_UDPRESPONSE, WHY_PROTORESPONSE, WHY_PERMDENIED,
	WHY_NETUNREACH, WHY_HOSTUNREACH, WHY_PROTOUNREACH, WHY_PORTUNREACH,
	WHY_ECHOREPLY,
	WHY_DESTUNREACH, WHY_SOURCEQUENCH, WHY_NETPROHIBITED,
	WHY_HOSTPROHIBITED, WHY_ADMINPROHIBITED,
	WHY_TIMEEXCEEDED, WHY_TIMESTAMPREPLY,
	WHY_ADDRESSMASKREPLY, WHY_NOIPIDCHANGE, WHY_IPIDCHANGE,
	WHY_ARPRESPONSE, WHY_NDRESPONSE, WHY_TCPRESPONSE, WHY_NORESPONSE,
	WHY_INITACK, WHY_ABORT,
	WHY_LOCALHOST, WHY_SCRIPT, WHY_UNKNOWN, WHY_USER,
	WHY_NOROUTE, WHY_BEYONDSCOPE, WHY_REJECTROUTE, WHY_PARAMPROBLEM,
	WHY_N
};

enum scantype {
	SCAN_NONE,
	SCAN_CONNECT,		/* -sT */
	SCAN_SYN,		/* -sS */
	SCAN_FIN,		/* -sF */
	SCAN_XMAS,		/* -sX */
	SCAN_NULL,		/* -sN */
	SCAN_ACK		/* -sA */
};

/* Timing: the -T template, then the options that override it. */
struct timing {
	int		level;		/* -T0 .. -T5 */
	long		initial_rtt;	/* ms */
	long		min_rtt;	/* ms */
	long		max_rtt;	/* ms */
	int		max_retries;
	long		scan_delay;	/* ms between probes to one host */
	long		max_scan_delay;	/* ms */
	long		host_timeout;	/* ms, 0: none */
	double		min_rate;	/* probes per second, 0: none */
	double		max_rate;	/* 0: none */
	int		min_parallelism;
	int		max_parallelism;	/* 0: the engine's limit */
	int		max_hostgroup;
};

/* The parsed command line. */
struct options {
	enum scantype	 scan;
	int		 family;	/* AF_INET, or AF_INET6 with -6 */
	struct timing	 t;
	const char	*portspec;	/* -p */
	int		 topports;	/* -F, --top-ports; 0: default */
	int		 sequential;	/* -r */
	int		 resolve;	/* 0: -n, 1: up hosts, 2: -R */
	int		 pn;		/* -Pn */
	int		 verbose;
	int		 debug;
	int		 reason;
	int		 open_only;
	int		 packet_trace;
	long		 stats_every;	/* ms, 0: never */
	int		 interactive;	/* key presses print status */
	unsigned int	 shard_i;	/* --shard I/N, 1-based; N 0: none */
	unsigned int	 shard_n;
	const char	*out_normal;	/* -oN, "-" for stdout */
	const char	*out_grep;	/* -oG */
	const char	*out_xml;	/* -oX */
	int		 append;	/* --append-output */
	const char	*servicedb;	/* --servicedb */
	const char	*input_list;	/* -iL */
	const char	*exclude;	/* --exclude */
	const char	*exclude_file;	/* --excludefile */
	char		**targets;	/* the operands */
	int		 ntargets;
	char		*args;		/* the command line, for the headers */
};

/* One port of one host. */
struct portres {
	uint8_t		state;		/* enum pstate */
	uint8_t		why;		/* enum why */
	uint8_t		ttl;		/* of the answer, 0: none */
	uint8_t		tries;		/* probes sent */
	uint8_t		flags;		/* PR_* */
	uint32_t	probe;		/* outstanding probe + 1, 0: none */
};

#define PR_SKIP		0x01	/* not scanned in this run (--shard) */
#define PR_FINAL	0x02	/* answered: the state is known */
#define PR_QUEUED	0x04	/* waiting to be sent again */
#define PR_SILENT	0x08	/* every allowed try went unanswered */

/* An answer from an address other than the target (a router's ICMP). */
struct reasonip {
	struct reasonip	*next;
	uint32_t	 port;		/* index */
	struct addr	 from;
};

struct host {
	struct addr	 addr;
	char		*name;		/* the name the user gave, or NULL */
	char		*ptr;		/* the reverse DNS name, or NULL */
	char		*others;	/* the name's other addresses, or NULL */
	uint64_t	 seq;		/* place among all targets (--shard) */
	struct addr	 src;		/* our address towards it */
	int		 route_err;	/* errno when there is no route */
	struct portres	*res;		/* one per port of the scan */
	struct reasonip	*rip;
	uint32_t	 todo;		/* ports this run scans on it */
	int		 timedout;
	int		 up;
	time_t		 wall_start, wall_end;
	long		 srtt, rttvar, rto;	/* us, -1 when unknown */
	int		 onlink;	/* on a directly attached network */
	int		 hasmac;
	uint8_t		 mac[6];	/* its Ethernet address, when onlink */
};

/* rand.c: a seeded generator; one per scan. */
struct rand {
	uint64_t	s[4];
	uint64_t	key;
};

void	 rand_init(struct rand *);
void	 rand_fork(struct rand *, struct rand *);
uint64_t rand_next(struct rand *);
uint32_t rand_below(struct rand *, uint32_t);
uint32_t rand_hash(const struct rand *, const void *, size_t);

/* The scan-wide state shared by the modules. */
struct scan {
	const struct options	*o;
	struct services		*svc;
	uint16_t		*ports;		/* sorted */
	uint32_t		 nports;
	uint32_t		*order;		/* indexes into ports, probe order */
	int32_t			*portmap;	/* port -> index, -1 */
	struct output		*out;
	struct rand		 rnd;
	struct timespec		 start;		/* monotonic */
	time_t			 wall_start;
	uint64_t		 hosts_total;	/* reported so far */
	uint64_t		 hosts_up;
	uint64_t		 hosts_done;
	int			 verbose;	/* keys change these three */
	int			 debug;
	int			 packet_trace;
	int			 ctlfd[2];	/* signals, key presses; -1 */
	void			(*ctlfn[2])(struct engine *, void *, short);
	void			*rawctx;	/* raw.c's sockets and capture */
	atomic_int		*stop;		/* set by the signal handling */
	atomic_uint_least64_t	 ports_total;	/* progress, all workers */
	atomic_uint_least64_t	 ports_done;
	pthread_mutex_t		 lock;		/* for host->rip and ->mac */
	const char		*datadir;	/* --datadir */
};

/* pscan.c: a data file of nmap's (nmap-services...), or NULL. */
char	*datafile_path(const struct scan *, const char *name);

/* --- target.c: target specifications and exclusions ------------------- */
struct targets;

struct targets *targets_new(const struct options *, char *err, size_t errlen);
int	 targets_next(struct targets *, struct host *, char *err,
	    size_t errlen);
void	 targets_free(struct targets *);
int	 targets_parse_check(const char *spec, int family, char *err,
	    size_t errlen);

/* --- ports.c: the scan's port list ------------------------------------ */
int	 ports_setup(struct scan *, char *err, size_t errlen);
void	 ports_free(struct scan *);
extern const uint16_t	topports_tcp[];
extern const size_t	topports_tcp_count;

/* --- engine.c: timing, retransmission and congestion control ---------- */
struct engine;

/*
 * A probe in flight.  The engine fills everything but fd and watch,
 * which a probe type that holds a descriptor per probe (connect) uses.
 */
struct probe {
	struct deadline	 dl;		/* its timeout */
	struct timespec	 sent;
	struct host	*host;
	uint32_t	 hidx;		/* the host's index in the group */
	uint32_t	 port;		/* index into scan->ports */
	uint16_t	 portno;
	uint8_t		 tryno;
	uint8_t		 ping;		/* a timing ping to a known port */
	uint8_t		 used;
	int		 fd;
	size_t		 watch;
	uint32_t	 nextfree;
};

/*
 * A probe type.  send() emits the probe for a port (or a timing ping)
 * and returns 0, or -1 with errno when the local system refused (out of
 * descriptors, buffers or ephemeral ports): the engine backs off and
 * tries again.  release() frees what a probe holds when the engine is
 * done with it.
 */
struct probe_ops {
	const char	*name;		/* "SYN Stealth Scan" */
	uint8_t		 silent;	/* state of a port that never answers */
	int		 ping_open;	/* open ports can be timing pings */
	int		 max_parallel;	/* engine's in-flight limit */
	int	(*send)(struct engine *, void *ctx, struct probe *);
	/* Sends what send() batched; returns how many are still waiting. */
	unsigned int (*flush)(struct engine *, void *ctx);
	void	(*release)(struct engine *, void *ctx, struct probe *);
	/* Before a host is finished: read what is buffered, report loss. */
	void	(*sync)(struct engine *, void *ctx);
	/*
	 * A probe's time is up: 1 when the probe type still found its
	 * answer (and gave it to engine_answer()), 0 when it is silent.
	 */
	int	(*expire)(struct engine *, void *ctx, struct probe *);
};

/* Probe types register descriptors to watch with this callback. */
typedef void	watch_fn(struct engine *, void *arg, short revents);

unsigned int	 engine_workers(const struct scan *, size_t nhosts, int max);
int		 engine_scan_group(struct scan *, const struct probe_ops *,
		    void **ctx, unsigned int nworkers, struct host **,
		    size_t nhosts, void (*attach)(struct engine *, void *));
struct probe	*engine_probe_of(struct engine *, const struct host *,
		    uint32_t port);
void		*engine_ctx(const struct engine *);
struct host	*engine_host_lookup(struct engine *, const struct addr *);
int32_t		 engine_port_index(const struct engine *, uint16_t port);
void		 engine_answer(struct engine *, struct host *, uint32_t port,
		    int tryno, int ping, uint8_t state, uint8_t why,
		    uint8_t ttl, const struct addr *from);
void		 engine_loss(struct engine *, struct host *);
size_t		 engine_watch(struct engine *, int fd, short events,
		    watch_fn *, void *arg, size_t *slotp);
void		 engine_unwatch(struct engine *, size_t slot);
const struct timespec *engine_now(const struct engine *);
double		 engine_elapsed(const struct engine *);
void		 engine_status(struct engine *, FILE *);

/* --- connect.c and raw.c: the probe types ------------------------------ */
int	 connect_scan(struct scan *, struct host **, size_t, char *err,
	    size_t errlen);
int	 raw_scan(struct scan *, struct host **, size_t, char *err,
	    size_t errlen);
int	 raw_check(enum scantype, char *err, size_t errlen);
void	 raw_close(void *);

/* --- output.c: normal, grepable and XML output ------------------------ */
struct output	*output_open(const struct options *, char *err,
		    size_t errlen);
void		 output_begin(struct scan *);
void		 output_host(struct scan *, const struct host *);
void		 output_end(struct scan *, const char *errmsg);
void		 output_flush(struct output *);
int		 output_close(struct output *);
int		 output_interactive(const struct output *);
void		 output_note(struct scan *, const char *, ...)
		    __printflike(2, 3);
void		 output_discovered(struct scan *, const struct host *,
		    uint16_t port);
const char	*host_ipstr(const struct host *);
const char	*scan_name(enum scantype);

/* --- rdns.c: reverse lookups of a group, in parallel ------------------ */
struct rdns;
struct rdns	*rdns_start(struct host **, size_t);
void		 rdns_wait(struct rdns *);

/* --- trace.c: --packet-trace lines ----------------------------------- */
struct pkt;
void	 trace_packet(const struct engine *, const char *dir,
	    const uint8_t *ip, size_t len);
void	 trace_pkt(const struct engine *, const char *dir,
	    const struct pkt *);
void	 trace_connect(const struct engine *, const struct host *,
	    uint16_t port, int err);

#endif /* PSCAN_H */
