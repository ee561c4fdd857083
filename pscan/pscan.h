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

/* The protocols whose ports a scan probes, in the order nmap lists them. */
enum { PSET_TCP, PSET_UDP, PSET_N };

/* Host discovery probes (-PE, -PP, -PM, -PS, -PA, -PU, -PR). */
#define PING_ECHO	0x01
#define PING_TIMESTAMP	0x02
#define PING_MASK	0x04
#define PING_SYN	0x08
#define PING_ACK	0x10
#define PING_UDP	0x20
#define PING_ARP	0x40

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
	SCAN_ACK,		/* -sA */
	SCAN_UDP		/* -sU: a phase, never opt.scan */
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
	int		 udp;		/* -sU */
	int		 noscan;	/* -sn: host discovery only */
	int		 osscan;	/* -O */
	int		 version;	/* -sV (banners) */
	int		 rpc;		/* -sR, or -sV */
	unsigned int	 pings;		/* PING_* asked for; 0: the default */
	const char	*ping_ports[3];	/* -PS, -PA and -PU port lists */
	int		 arp;		/* ARP for local targets (1 unless
					   --disable-arp-ping or --send-ip) */
	int		 privileged;	/* raw sockets may be used */
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
	uint8_t		quiet;		/* silences that count (engine.c) */
	uint32_t	probe;		/* outstanding probe + 1, 0: none */
};

#define PR_SKIP		0x01	/* not scanned in this run (--shard) */
#define PR_FINAL	0x02	/* answered: the state is known */
#define PR_QUEUED	0x04	/* waiting to be sent again */
#define PR_SILENT	0x08	/* every allowed try went unanswered */
#define PR_SUSPECT	0x10	/* its last silence proved nothing */

/* An answer from an address other than the target (a router's ICMP). */
struct reasonip {
	struct reasonip	*next;
	int		 proto;		/* of the port */
	uint32_t	 port;		/* index */
	struct addr	 from;
};

/* -O: what a host's answers showed, and the family they point to. */
struct osinfo {
	int		 synack;	/* a SYN/ACK was read */
	uint8_t		 ttl;		/* its TTL */
	int		 df;		/* its don't-fragment bit */
	uint16_t	 win;		/* its window */
	int		 wscale;	/* its window scale, -1: none */
	uint16_t	 mss;		/* its MSS, 0: none */
	char		 opts[64];	/* its options: "MSS,SACK,TS,NOP,WS" */
	int		 rst;		/* a reset from a closed port was read */
	uint8_t		 rst_ttl;
	int		 rst_df;
	uint16_t	 rst_win;
	int		 echo;		/* an ICMP echo reply was read */
	uint8_t		 echo_ttl;
	int		 echo_df;
	uint16_t	 open_port;	/* 0: none */
	uint16_t	 closed_port;	/* 0: none */
	int		 hops;		/* network distance, -1: unknown */
	const char	*family;	/* NULL: unknown */
	const char	*type;		/* "general purpose", "router"... */
	int		 accuracy;	/* percent */
	char		 evidence[512];	/* for -v */
};

/* -sV and -sR: what a port's service said about itself. */
struct svcinfo {
	struct svcinfo	*next;
	int		 set;		/* PSET_* */
	uint16_t	 port;
	int		 probed;	/* 1: named from its answers */
	char		*name;		/* NULL: the table's name */
	char		*product;	/* as the banner says, or NULL */
	char		*version;
	char		*extrainfo;
	char		*hostname;
	uint32_t	 rpcnum;	/* 0: not a SunRPC service */
	uint32_t	 lowver, highver;
};

struct host {
	struct addr	 addr;
	char		*name;		/* the name the user gave, or NULL */
	char		*ptr;		/* the reverse DNS name, or NULL */
	char		*others;	/* the name's other addresses, or NULL */
	uint64_t	 seq;		/* place among all targets (--shard) */
	struct addr	 src;		/* our address towards it */
	int		 route_err;	/* errno when there is no route */
	struct portres	*res;		/* one per port of the current set */
	struct portres	*pres[PSET_N];	/* one per port of each set */
	struct reasonip	*rip;
	uint32_t	 todo;		/* ports this run scans on it */
	int		 timedout;
	int		 up;		/* 1 up, 0 down, -1 not yet known */
	uint8_t		 upwhy;		/* why it is up (enum why) */
	uint8_t		 upttl;		/* of that answer, 0: none */
	int		 local;		/* one of our own addresses */
	struct osinfo	*os;		/* -O evidence, or NULL */
	struct svcinfo	*svc;		/* -sV and -sR findings, a list */
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

/* The ports of one protocol that a scan probes. */
struct portset {
	int		 proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	uint16_t	*ports;		/* sorted */
	uint32_t	 n;		/* 0: the protocol is not scanned */
	uint32_t	*order;		/* indexes into ports, probe order */
	int32_t		*map;		/* port -> index, -1 */
};

/*
 * The scan-wide state shared by the modules.  ports, nports, order and
 * portmap are the set the engine works on now (a portset, or a phase's
 * own list of host probes), as each host's res is; scan_use() sets them.
 */
struct scan {
	const struct options	*o;
	struct services		*svc;
	struct portset		 pset[PSET_N];
	int			 proto;		/* of the current set, 0: none */
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
	void			*arpctx;	/* discover.c's ARP sockets */
	atomic_int		*stop;		/* set by the signal handling */
	atomic_uint_least64_t	 ports_total;	/* progress, all workers */
	atomic_uint_least64_t	 ports_done;
	pthread_mutex_t		 lock;		/* for host->rip and ->mac */
	int			 discovering;	/* connect_scan() finds hosts */
	const char		*datadir;	/* --datadir */
};

/* pscan.c: a data file of nmap's (nmap-services...), or NULL. */
char	*datafile_path(const struct scan *, const char *name);
/* pscan.c: makes a port set (or a phase's list) the engine's. */
void	 scan_use(struct scan *, const struct portset *, struct host **,
	    size_t, int set);
/*
 * pscan.c: a phase of host probes (discovery, -O): n probes to each
 * host, skip() saying which do not apply to one, as a set of its own
 * for run(), the probe type.  The set holds the probes' indices, which
 * raw probes carry in place of a port, or the ports given (connect(2)
 * needs real ones).
 */
int	 scan_hostprobes(struct scan *, const char *name, struct host **,
	    size_t, size_t nprobes, const uint16_t *ports,
	    int (*skip)(const struct host *, size_t, void *), void *skiparg,
	    int (*run)(struct scan *, struct host **, size_t, void *),
	    void *runarg);
/* pscan.c: the -v lines before and after a phase of the scan. */
void	 scan_phase_begin(struct scan *, const char *name, struct host **,
	    size_t, const char *what, uint32_t count, struct timespec *t0);
void	 scan_phase_end(struct scan *, const char *name,
	    const struct timespec *t0, const char *total);

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
int	 ports_list(struct portset *, int proto, const uint16_t *, size_t);
extern const uint16_t	topports_tcp[];
extern const size_t	topports_tcp_count;
extern const uint16_t	topports_udp[];
extern const size_t	topports_udp_count;

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
	uint32_t	 batch;		/* paced batch it went in, 0: none */
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
	/*
	 * The answers that close or filter a port are ICMP errors, which
	 * targets rate-limit: a silence only counts when the target was
	 * seen to answer just after it (see engine.c).
	 */
	int		 limited;
	/* An answer shows the host is up: it is done (host discovery). */
	int		 up_on_answer;
	/* The timeout before any round trip is known, ms; 0: -T's. */
	long		 first_timeout;
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
void		 engine_host_done(struct engine *, struct host *);
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

/*
 * raw.c's sockets, capture and source ports for other raw probe types.
 * build() writes the transport header and data of a probe (at most
 * RAW_L4MAX bytes), sets *proto to its IP protocol and may set the IPv4
 * identification; input() reads each captured answer.
 */
#define RAW_L4MAX	472
struct rawctx;
struct pkt;
struct rawproto {
	size_t	(*build)(struct rawctx *, const struct probe *, uint8_t *b,
		    uint8_t *proto, uint16_t *ipid);
	void	(*input)(struct rawctx *, const struct pkt *);
};
int	 raw_prepare(struct scan *, struct host **, size_t, char *err,
	    size_t errlen);
void	 raw_ops(struct probe_ops *, const char *name, uint8_t silent);
int	 raw_run(struct scan *, const struct probe_ops *,
	    const struct rawproto *, void *arg, struct host **, size_t,
	    unsigned int maxworkers, void (*attach)(struct engine *, void *));
void	 raw_attach(struct engine *, void *ctx);
int	 raw_send(struct engine *, void *ctx, struct probe *);
unsigned int raw_flush(struct engine *, void *ctx);
void	 raw_sync(struct engine *, void *ctx);
struct engine *raw_engine(const struct rawctx *);
void	*raw_arg(const struct rawctx *);
uint16_t raw_sport(const struct rawctx *, const struct probe *);
uint32_t raw_seq(const struct rawctx *, const struct addr *, uint16_t port,
	    uint16_t sport, int ack);
int	 raw_tryno(const struct rawctx *, const struct host *, uint32_t port,
	    uint16_t sport, int *ping);
size_t	 raw_tcp(const struct rawctx *, const struct probe *, uint16_t port,
	    uint8_t flags, uint8_t *b);
size_t	 raw_tcp_opts(const struct rawctx *, const struct probe *,
	    uint16_t port, uint8_t flags, const uint8_t *opts, size_t optlen,
	    uint8_t *b);
size_t	 raw_icmp_request(const struct rawctx *, const struct probe *,
	    int type, size_t len, uint8_t *b, uint8_t *proto);
int	 raw_icmp_reply(const struct rawctx *, const struct host *,
	    const struct pkt *, unsigned int *idx, int *tryno);
void	 raw_mac(struct rawctx *, struct host *, const struct pkt *);
void	 raw_trace(const struct rawctx *, const struct pkt *);
char	*raw_iface_of(const struct addr *);
int	 raw_icmp_state(const struct pkt *, uint8_t *state, uint8_t *why);

/* --- udp.c: the UDP scan ------------------------------------------------ */
int	 udp_scan(struct scan *, struct host **, size_t, char *err,
	    size_t errlen);
size_t	 udp_payload(uint16_t port, const uint8_t **payload);
struct pkt_quote;
size_t	 udp_datagram(const struct rawctx *, const struct probe *,
	    uint16_t port, uint8_t *b, uint16_t *ipid);
int	 udp_quote_ours(const struct rawctx *, const struct host *,
	    const struct pkt_quote *);

/* --- arp-*.c: ARP on a directly attached Ethernet (Linux; elsewhere none) */
struct arp;
int	 arp_usable(const char *ifname);
struct arp *arp_open(const char *ifname, char *err, size_t errlen);
int	 arp_fd(const struct arp *);
int	 arp_request(struct arp *, const struct addr *src,
	    const struct addr *target);
int	 arp_reply(struct arp *, struct addr *sender, uint8_t mac[6]);
void	 arp_close(struct arp *);

/* --- discover.c: host discovery -------------------------------------------- */
int	 discover_group(struct scan *, struct host **, size_t, char *err,
	    size_t errlen);
void	 discover_close(struct scan *);
int	 discover_ports_check(const char *spec, char *err, size_t errlen);

/* --- osguess.c: -O ----------------------------------------------------------- */
int	 osguess_group(struct scan *, struct host **, size_t, char *err,
	    size_t errlen);

/* --- service.c and rpc.c: -sV and -sR ----------------------------------- */
int	 service_group(struct scan *, struct host **, size_t);
struct svcinfo *service_find(const struct host *, int set, uint16_t port);
struct svcinfo *service_of(struct host *, int set, uint16_t port);
void	 service_due(struct timespec *, long ms);
void	 service_free(struct svcinfo *);
void	 rpc_group(struct scan *, struct host **, size_t);

/* --- output.c: normal, grepable and XML output ------------------------ */
struct output	*output_open(const struct options *, char *err,
		    size_t errlen);
void		 output_begin(struct scan *);
void		 output_host(struct scan *, const struct host *);
void		 output_down(struct scan *, const struct host *);
void		 output_end(struct scan *, const char *errmsg);
void		 output_mac_format(const uint8_t *, char *, size_t);
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
