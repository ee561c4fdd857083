/*
 * sentry.h: the port-scan detector's modules and the types they share.
 *
 * sentry runs as two processes.  The detector (sentry.c, classic.c,
 * stealth.c, listeners.c, trigger.c, ignore.c) owns the sockets and the
 * capture and decides, for each packet or connection, whether it is a
 * probe to report: it never resolves a name, writes a file or runs a
 * command, so a fast scan never waits on them.  Each probe becomes a
 * struct sentry_event sent down a pipe (queue.c) to the reporter
 * (report.c, alerts.c, block.c), which logs it in portsentry 1.2's words
 * and decides about the host; each block is then carried out in a
 * process of its own (action.c, record.c, history.c, command.c).
 */
#ifndef SENTRY_H
#define SENTRY_H

#include <sys/types.h>
#include <sys/stat.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "addr.h"
#include "compat.h"
#include "deadline.h"
#include "portlist.h"

/* --- modes ---------------------------------------------------------------- */

enum sentry_mode {
	MODE_TCP,		/* classic: bind TCP_PORTS */
	MODE_UDP,		/* classic: bind UDP_PORTS */
	MODE_STCP,		/* stealth: see TCP_PORTS without binding */
	MODE_SUDP,
	MODE_ATCP,		/* advanced: every port below a bound */
	MODE_AUDP,
	MODE_COUNT
};

#define MODE_BIT(m)	(1U << (m))
#define MODES_TCP	(MODE_BIT(MODE_TCP) | MODE_BIT(MODE_STCP) | \
			    MODE_BIT(MODE_ATCP))
#define MODES_UDP	(MODE_BIT(MODE_UDP) | MODE_BIT(MODE_SUDP) | \
			    MODE_BIT(MODE_AUDP))
#define MODES_CAPTURE	(MODE_BIT(MODE_STCP) | MODE_BIT(MODE_SUDP) | \
			    MODE_BIT(MODE_ATCP) | MODE_BIT(MODE_AUDP))
#define MODES_ALL	((1U << MODE_COUNT) - 1)

const char	*mode_name(int);	/* "tcp", "stcp", ... */
int		 mode_parse(const char *);	/* "-stcp" -> MODE_STCP, or -1 */
const char	*mode_nearest(const char *);	/* "-stpc" -> "stcp", or NULL */
int		 mode_proto(int);	/* IPPROTO_TCP or IPPROTO_UDP */
int		 mode_is_classic(int);

/* --- configuration (conf.c) ------------------------------------------------ */

/* Limits stated in sentry.conf(5). */
#define SCAN_TRIGGER_MAX	256
#define SCAN_WINDOW_MAX		86400
#define BLOCK_TIMEOUT_MAX	(10 * 366 * 86400)

struct sentry_conf {
	const char	*path;
	struct portlist	 ports;		/* TCP_PORTS, UDP_PORTS */
	int		 has_ports[2];	/* [0] TCP, [1] UDP: the key was set */
	int		 adv_ports[2];	/* ADVANCED_PORTS_TCP/UDP: 0..n-1 */
	struct portlist	 adv_exclude;	/* ADVANCED_EXCLUDE_TCP/UDP */
	char		*ignore_file;
	char		*history_file;
	char		*blocked_file;
	char		*hosts_deny_file;
	int		 resolve_host;
	int		 block[2];	/* BLOCK_TCP, BLOCK_UDP: 0, 1, 2 */
	char		*kill_route;
	char		*kill_route6;
	char		*kill_hosts_deny;
	char		*kill_run_cmd;
	int		 run_cmd_first;
	char		*unblock_cmd;
	int		 scan_trigger;
	int		 scan_window;	/* seconds; 0: 1.2's count, no window */
	int		 block_timeout;	/* seconds; 0: blocks never end */
	char		*port_banner;
	char		*interface;
	int		 nerrors;
	int		 nwarnings;
};

/* conf_load: modes is the set to check the file for (0: what every mode
 * needs).  Returns 0, or -1 after reporting every problem as
 * "file:line: ..." (nerrors counts them). */
int	conf_load(struct sentry_conf *, const char *path, unsigned modes);
int	conf_parse_stream(struct sentry_conf *, FILE *, const char *name,
	    unsigned modes, int quiet);
void	conf_free(struct sentry_conf *);
int	conf_block(const struct sentry_conf *, int mode);

/* --- addresses that are never reported (ignore.c) --------------------------- */

struct ignore {
	struct addr_cidr *nets;		/* IGNORE_FILE */
	size_t		  nnets;
	struct addr	 *own;		/* this host's addresses */
	size_t		  nown;
	struct timespec	  mtime;	/* of IGNORE_FILE when read */
	ino_t		  ino;
	int		  missing;	/* IGNORE_FILE could not be read */
};

int	ignore_load(struct ignore *, const char *path, int quiet, int *nerr);
int	ignore_parse_stream(struct ignore *, FILE *, const char *name,
	    int quiet, int *nerr);
int	ignore_reload_if_changed(struct ignore *, const char *path);
void	ignore_own_refresh(struct ignore *);
int	ignore_has(const struct ignore *, const struct addr *);
int	ignore_is_own(const struct ignore *, const struct addr *);
void	ignore_free(struct ignore *);

/* --- a bounded table of addresses (hosttab.c) ------------------------------- */

struct hosttab;

struct hosttab	*hosttab_new(size_t cap, size_t datasize);
void		 hosttab_free(struct hosttab *);
void		*hosttab_find(struct hosttab *, const struct addr *);
void		*hosttab_get(struct hosttab *, const struct addr *, int *isnew,
		    int evict);
void		 hosttab_del(struct hosttab *, const struct addr *);
size_t		 hosttab_count(const struct hosttab *);
const struct addr *hosttab_key(const void *data);
void		 hosttab_foreach(struct hosttab *, void (*)(void *, void *),
		    void *);

/* --- SCAN_TRIGGER and SCAN_WINDOW (trigger.c) ------------------------------- */

/* Sources tracked at once; the oldest is forgotten first. */
#define TRIGGER_SOURCES		4096

struct trigger;

struct trigger	*trigger_new(int scan_trigger, int scan_window);
int		 trigger_hit(struct trigger *, const struct addr *, int proto,
		    int port, const struct timespec *now);
size_t		 trigger_sources(const struct trigger *);
void		 trigger_free(struct trigger *);

/* --- events (queue.c) --------------------------------------------------------- */

struct sentry_event {
	struct timespec	 ts;		/* when it was seen (CLOCK_REALTIME) */
	struct addr	 src;
	uint16_t	 port;
	uint8_t		 mode;
	uint8_t		 proto;
	uint8_t		 flags;		/* TCP flags of a stealth probe */
	uint8_t		 ipopts;	/* IP options or IPv6 option headers */
};

/* Events waiting for the reporter, when its pipe is full. */
#define QUEUE_EVENTS		16384

struct queue {
	struct sentry_event	*ring;
	size_t			 head, len;
	int			 fd;		/* the pipe to the reporter */
	unsigned long		 dropped;	/* since last reported */
	unsigned long		 sent;
};

void	queue_init(struct queue *, int fd);
void	queue_push(struct queue *, const struct sentry_event *);
int	queue_flush(struct queue *);
int	queue_pending(const struct queue *);
void	queue_free(struct queue *);

/* --- listening sockets of other programs (listeners.c) ----------------------- */

struct listeners {
	struct portlist	 inuse[2];	/* TCP listeners, bound UDP sockets */
	struct timespec	 when[2];	/* of the last dump of each */
	int		 failed;	/* a dump failed: fall back to bind() */
	unsigned long	 dumps;
};

void	listeners_refresh(struct listeners *, int proto);
int	listeners_has(const struct listeners *, int proto, int port);

/* --- fragmented probes (frag.c) --------------------------------------------- */

#define FRAG_SLOTS	64	/* datagrams being put together */
#define FRAG_HDR	24	/* bytes of their transport headers kept */

struct fragslot {
	struct addr	 src, dst;
	uint32_t	 id;
	uint8_t		 proto;
	uint8_t		 hdr[FRAG_HDR];
	uint32_t	 have;		/* bit n: byte n of hdr is there */
	int64_t		 ms;		/* first seen, monotonic */
	int		 used, done, ipopts;
};

struct frags {
	struct fragslot	 s[FRAG_SLOTS];
	size_t		 next;
};

struct frag_header {
	uint16_t	 dport;
	uint8_t		 flags;
	int		 ipopts;
};

struct pkt;
int	frag_add(struct frags *, const struct pkt *, int64_t now_ms,
	    struct frag_header *);

/* --- the detector (sentry.c, classic.c, stealth.c) ------------------------- */

struct classic {
	int		 fd;
	int		 mode;		/* MODE_TCP or MODE_UDP */
	uint16_t	 port;
};

struct sentry {
	struct sentry_conf	 conf;
	unsigned		 modes;
	int			 foreground;
	struct ignore		 ign;
	struct trigger		*trig;
	struct queue		 queue;
	struct listeners	 lst;
	/* classic modes */
	struct classic		*cls;
	size_t			 ncls;
	/* stealth and advanced modes */
	struct capture		*cap;
	uint8_t			*watch[2];	/* [proto][port]: mode + 1 */
	struct sentry_event	*batch;		/* candidates of one dispatch */
	struct frags		 frags;
	size_t			 nbatch;
	unsigned long		 packets;	/* captured */
	unsigned long		 drops;		/* by the kernel, so far */
	/* housekeeping */
	struct timespec		 now;		/* monotonic, of this round */
	struct deadline_queue	 timers;
	struct deadline		 tick;
	pid_t			 reporter;
};

int	classic_open(struct sentry *);
void	classic_event(struct sentry *, struct classic *);
void	classic_close(struct sentry *);

void	stealth_plan(struct sentry *);
int	stealth_open(struct sentry *);
int	stealth_fd(const struct sentry *);
int	stealth_read(struct sentry *);
unsigned long stealth_drops(struct sentry *, unsigned long *);
void	stealth_close(struct sentry *);

/* A probe to a watched port: 1 when it was queued for the reporter. */
int	sentry_probe(struct sentry *, const struct sentry_event *);

/* --- the reporter (report.c) --------------------------------------------------- */

struct selfpipe;
int	report_main(const struct sentry_conf *, unsigned modes, int fd,
	    int foreground, const struct selfpipe *);

/* --- files of record (record.c) ----------------------------------------------- */

#define RECORD_LINE_MAX		4096
#define RECORD_ONCE		0x01	/* not if the line is there */
#define RECORD_SYNC		0x02	/* fsync before returning */

int	record_check(const char *path, char *err, size_t errlen);
int	record_append(const char *path, const char *line, mode_t mode,
	    int flags, char *err, size_t errlen);
int	record_remove(const char *path, int (*match)(const char *, void *),
	    void *arg, char *err, size_t errlen);
int	record_truncate(const char *path, mode_t mode, char *err,
	    size_t errlen);
int	record_read(const char *path, int (*fn)(const char *, void *),
	    void *arg);
int	record_stat(const char *path, struct stat *);

/* --- blocked and history lines (history.c) ----------------------------------- */

struct history_entry {
	time_t		 when;
	char		 name[256];
	struct addr	 addr;
	int		 port;
	int		 proto;		/* IPPROTO_TCP or IPPROTO_UDP */
};

#define HISTORY_MODE	0600
#define BLOCKED_MODE	0644

int	history_format(char *, size_t, const struct history_entry *);
int	history_parse(const char *, struct history_entry *);
char	*history_blocked_path(const struct sentry_conf *, int mode);

/* --- commands and macros (command.c) ----------------------------------------- */

struct command_macros {
	const struct addr *target;
	int		   port;
	int		   mode;
};

/* The template with $TARGET$, $PORT$ and $MODE$ replaced; bracket puts
 * IPv6 targets in [] as hosts.deny wants them.  NULL if it is too long. */
char	*command_expand(const char *, const struct command_macros *,
	    int bracket);
int	 command_needs_shell(const char *);
int	 command_run(const char *, const struct command_macros *,
	    int timeout_ms, char *err, size_t errlen);

/* --- blocking (block.c, action.c) ------------------------------------------ */

struct alerts;
struct block;

struct block	*block_new(const struct sentry_conf *, unsigned modes,
		    struct deadline_queue *, struct alerts *);
void		 block_free(struct block *);
void		 block_event(struct block *, const struct sentry_event *,
		    const char *name, const char *addr);
void		 block_child(struct block *, pid_t, int status);
int		 block_busy(const struct block *);

int	action_block(const struct sentry_conf *,
	    const struct history_entry *, int mode, int level, struct alerts *);
void	action_record(const struct sentry_conf *,
	    const struct history_entry *, int mode, int blocked, int flags);
/* sentry -u and BLOCK_TIMEOUT: the number of entries removed, 0 if none,
 * or -1; a running daemon follows the blocked files. */
int	action_unblock(const struct sentry_conf *, const struct addr *,
	    const char *why, struct alerts *);
void	action_list(const struct sentry_conf *, FILE *);

/* --- the attack lines (alerts.c) ---------------------------------------------- */

#define ALERTS_BATCH	256
#define ALERT_MAX	1024

struct alert {
	struct timespec	 ts;		/* for the event line */
	int		 len;		/* of line */
	int		 msg;		/* where the message starts in line */
	char		 line[ALERT_MAX + 64];
};

struct alerts {
	int		 fd;		/* a datagram socket on /dev/log */
	FILE		*events;	/* -D: standard output */
	int		 to_stderr;
	int		 batch;
	pid_t		 pid;
	time_t		 sec;
	char		 stamp[16];
	size_t		 n;
	struct alert	 q[ALERTS_BATCH];
};

struct alerts	*alerts_new(FILE *events, int to_stderr, int batch);
void		 alerts_add(struct alerts *, const struct timespec *,
		    const char *, ...) __printflike(3, 4);
void		 alerts_flush(struct alerts *);
void		 alerts_free(struct alerts *);

#endif /* SENTRY_H */
