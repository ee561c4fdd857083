/*
 * print.c: lsof's column output, its escaping of unprintable bytes, and
 * the pieces (NAME, SIZE/OFF, user) the field and JSON printers share.
 *
 * Columns are sized in a first pass over every row and printed in a
 * second, as lsof 4.95 does; the arithmetic, including a quirk of its
 * width computation for bytes above 0x7f in COMMAND, is kept so that
 * the output is the same byte for byte.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/sysmacros.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <fcntl.h>
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "xmalloc.h"
#include "lsof.h"
#include "rpcmap.h"

struct widths {
	int	cmd, pid, tid, tcmd, ppid, pgid, user, fd, type, fflag, dev, sz;
	int	nlink, node;
	int	prt_tid, prt_tcmd;
};

/* One byte in lsof's printable form: "\n", "^A", "\\", "\xNN". */
static size_t
esc_byte(char *out, unsigned char c)
{
	switch (c) {
	case '\b': memcpy(out, "\\b", 2); return 2;
	case '\f': memcpy(out, "\\f", 2); return 2;
	case '\n': memcpy(out, "\\n", 2); return 2;
	case '\r': memcpy(out, "\\r", 2); return 2;
	case '\t': memcpy(out, "\\t", 2); return 2;
	case '\\': memcpy(out, "\\\\", 2); return 2;
	default:
		break;
	}
	if (c < 0x20) {
		out[0] = '^';
		out[1] = (char)(c + 0x40);
		return 2;
	}
	snprintf(out, 5, "\\x%02x", c);
	return 4;
}

/*
 * Escape s into dst (at most size - 1 bytes, NUL-terminated): printable
 * multibyte characters pass in a multibyte locale, as in lsof's
 * safestrprt().  With space set, ' ' is escaped too.  Returns the length.
 */
size_t
print_escape(char *dst, size_t size, const char *s, int space)
{
	mbstate_t	mbs;
	wchar_t		w;
	size_t		len = 0, sl = strlen(s), n, i;
	char		tmp[8];
	unsigned char	c;
	int		mb = MB_CUR_MAX > 1;

	memset(&mbs, 0, sizeof(mbs));
	while (*s != '\0' && len + 1 < size) {
		if (mb && (unsigned char)*s >= 0x80) {
			memset(&mbs, 0, sizeof(mbs));
			n = mbrtowc(&w, s, sl, &mbs);
			if (n != (size_t)-1 && n != (size_t)-2 && n > 1) {
				for (i = 0; i < n && len + 4 < size; i++) {
					if (iswprint((wint_t)w))
						dst[len++] = s[i];
					else {
						memcpy(dst + len, tmp, esc_byte(
						    tmp, (unsigned char)s[i]));
						len += esc_byte(tmp,
						    (unsigned char)s[i]);
					}
				}
				s += n;
				sl -= n;
				continue;
			}
		}
		c = (unsigned char)*s;
		if (c != '\\' && isprint(c) && !(space && c == ' '))
			dst[len++] = (char)c;
		else {
			if (len + 5 >= size)
				break;
			len += esc_byte(dst + len, c);
		}
		s++;
		sl--;
	}
	dst[len] = '\0';
	return len;
}

/*
 * lsof's safestrlen(): the width COMMAND needs.  Bytes above 0x7f count
 * 2 (lsof compares a signed char), though they print as 4.
 */
static int
esc_width(const char *s, int space)
{
	int	len = 0;

	for (; *s != '\0'; s++) {
		if (!isprint((unsigned char)*s) || *s == '\\' ||
		    (space && *s == ' ')) {
			if (*s < 0x20 || (unsigned char)*s == 0xff ||
			    *s == '\\')
				len += 2;
			else
				len += 4;
		} else
			len++;
	}
	return len;
}

struct uidname {
	uid_t	 uid;
	char	*name;
};

/* Login name of uid, or NULL; cached, as lookups can be slow. */
const char *
print_login(uid_t uid)
{
	static struct uidname	*cache;
	static size_t		 ncache;
	struct passwd		*pw;
	size_t			 i;

	for (i = 0; i < ncache; i++)
		if (cache[i].uid == uid)
			return cache[i].name;
	pw = getpwuid(uid);
	cache = xreallocarray(cache, ncache + 1, sizeof(*cache));
	cache[ncache].uid = uid;
	cache[ncache].name = pw != NULL ? xstrdup(pw->pw_name) : NULL;
	return cache[ncache++].name;
}

/* The USER column: login name, or the UID under -l or when unknown. */
const char *
print_user(const struct opts *o, uid_t uid, int slot)
{
	static char	 buf[2][24];
	const char	*name;

	if (!o->numeric_uid) {
		if ((name = print_login(uid)) != NULL)
			return name;
		/* lsof warns each time it prints the UID, in both passes. */
		if (!o->nowarn) {
			fprintf(stderr, "lsof: no pwd entry for UID %lu\n",
			    (unsigned long)uid);
		}
	}
	/* lsof pads numeric UIDs to 8 columns. */
	snprintf(buf[slot & 1], sizeof(buf[0]), "%8lu", (unsigned long)uid);
	return buf[slot & 1];
}

/* Decimal digits of v into buf (21 bytes will do); returns the length. */
size_t
print_ull(char *buf, unsigned long long v)
{
	char	tmp[24];
	size_t	n = 0, i;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return n;
}

static size_t
print_hex(char *buf, unsigned long long v)
{
	static const char	digits[] = "0123456789abcdef";
	char			tmp[24];
	size_t			n = 0, i;

	do
		tmp[n++] = digits[v & 15];
	while ((v >>= 4) != 0);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return n;
}

/*
 * SIZE/OFF text ("" when neither applies) into buf (at least 24 bytes);
 * *isoff tells which.  Returns the length.
 */
size_t
print_sizeoff(const struct opts *o, const struct lfile *lf, char *buf,
    size_t size, int *isoff)
{
	size_t	n;

	*isoff = 0;
	buf[0] = '\0';
	if (size < 24)
		return 0;
	if (lf->flags & LF_SIZE)
		return print_ull(buf, lf->size);
	if (!(lf->flags & LF_OFF))
		return 0;
	*isoff = 1;
	buf[0] = '0';
	buf[1] = 't';
	n = 2 + print_ull(buf + 2, lf->off);
	if (o->offdigits > 0 && n > (size_t)o->offdigits + 2) {
		buf[1] = 'x';
		n = 2 + print_hex(buf + 2, lf->off);
	}
	return n;
}

/*
 * The FILE-FLAG column of +f g and +f G: the open flags fdinfo gives, by
 * 4.95's names ("RW,AP,LG"; a flag that names several bits takes them
 * all, and bits left over follow in hex) or, for G, in hex with 4.95's
 * empty process flags after a ';'.  Returns the length.
 */
size_t
print_fflags(const struct opts *o, const struct lfile *lf, char *buf,
    size_t size)
{
	static const struct {
		unsigned int	 bits;
		const char	*name;
	} names[] = {
		{ O_WRONLY, "W" }, { O_RDWR, "RW" }, { O_CREAT, "CR" },
		{ O_EXCL, "EXCL" }, { O_NOCTTY, "NTTY" }, { O_TRUNC, "TR" },
		{ O_APPEND, "AP" }, { O_NDELAY, "ND" }, { O_SYNC, "SYN" },
		{ O_ASYNC, "ASYN" }, { O_DIRECT, "DIR" },
		{ O_DIRECTORY, "DTY" }, { O_NOFOLLOW, "NFLK" },
		{ O_NOATIME, "NATM" }, { O_DSYNC, "DSYN" }, { O_RSYNC, "RSYN" },
		{ O_LARGEFILE ? O_LARGEFILE : 0100000, "LG" },
		{ O_CLOEXEC, "CX" }, { O_PATH, "PATH" }, { O_TMPFILE, "TMPF" }
	};
	unsigned int	 f = lf->fdflags;
	size_t		 i, len = 0;

	buf[0] = '\0';
	if (!(lf->flags & LF_FDINFO))
		return 0;
	if (o->fflags == 'G')
		return (size_t)snprintf(buf, size, "0x%x;0x0", f);
	for (i = 0; i < nitems(names) && f != 0; i++) {
		if (!(f & names[i].bits))
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    len ? "," : "", names[i].name);
		f &= ~names[i].bits;
		if (len >= size)
			return size - 1;
	}
	if (f != 0)
		len += (size_t)snprintf(buf + len, size - len, "%s0x%x",
		    len ? "," : "", f);
	return len < size ? len : size - 1;
}

struct hostname {
	struct in6_addr	 a;
	char		*name;
};

/*
 * An address as 4.95 shows it: an IPv4-mapped one (any address of an
 * IPv4 socket, as they are kept) as IPv4, others in brackets, the
 * unspecified one as "*"; the host's name unless -n.
 */
static const char *
host_name(const struct opts *o, const struct in6_addr *a, char *buf,
    size_t size)
{
	int			 family = IN6_IS_ADDR_V4MAPPED(a) ? AF_INET :
				    AF_INET6;
	static struct hostname	*cache;
	static size_t		 ncache;
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)&ss;
	char			 host[NI_MAXHOST];
	socklen_t		 len;
	size_t			 i;

	if (family == AF_INET) {
		if (memcmp(&a->s6_addr[12], "\0\0\0\0", 4) == 0)
			return "*";
		inet_ntop(AF_INET, &a->s6_addr[12], buf, (socklen_t)size);
	} else {
		if (IN6_IS_ADDR_UNSPECIFIED(a))
			return "*";
		buf[0] = '[';
		inet_ntop(AF_INET6, a, buf + 1, (socklen_t)size - 2);
		strlcat(buf, "]", size);
	}
	if (o->numeric_host)
		return buf;
	for (i = 0; i < ncache; i++)
		if (memcmp(&cache[i].a, a, sizeof(*a)) == 0)
			return cache[i].name ? cache[i].name : buf;
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, &a->s6_addr[12], 4);
		len = sizeof(*s4);
	} else {
		s6->sin6_family = AF_INET6;
		s6->sin6_addr = *a;
		len = sizeof(*s6);
	}
	cache = xreallocarray(cache, ncache + 1, sizeof(*cache));
	cache[ncache].a = *a;
	cache[ncache].name = NULL;
	if (getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), NULL,
	    0, NI_NAMEREQD) == 0)
		cache[ncache].name = xstrdup(host);
	return cache[ncache++].name ? cache[ncache - 1].name : buf;
}

/* A port's service name unless -P; UDP-Lite ports have none in 4.95. */
static const char *
port_name(const struct opts *o, int port, int proto, char *buf, size_t size)
{
	struct servent	*se;

	if (port == 0)
		return "*";
	if (!o->numeric_port && proto != IPPROTO_UDPLITE &&
	    (se = getservbyport(htons((uint16_t)port),
	    proto == IPPROTO_UDP ? "udp" : "tcp")) != NULL)
		return se->s_name;
	snprintf(buf, size, "%d", port);
	return buf;
}

/* "host:port" or "host:port->host:port" of an Internet socket. */
static size_t
inet_name(const struct opts *o, const struct inetinfo *in, char *buf,
    size_t size)
{
	char		 hb[NI_MAXHOST + 4], pb[16];
	const char	*h, *p, *rp;
	size_t		 len;

	h = host_name(o, &in->laddr, hb, sizeof(hb));
	p = port_name(o, in->lport, in->proto, pb, sizeof(pb));
	/* +M: "*:sunrpc[portmapper]", the program on the local port. */
	if (o->portmap && in->lport != 0 && in->proto != IPPROTO_UDPLITE &&
	    (rp = rpcmap_name(o->rpcmap, in->proto, in->lport)) != NULL)
		len = (size_t)snprintf(buf, size, "%s:%s[%s]", h, p, rp);
	else
		len = (size_t)snprintf(buf, size, "%s:%s", h, p);
	if (len >= size)
		return size - 1;
	if (in->fport == 0 && (IN6_IS_ADDR_UNSPECIFIED(&in->faddr) ||
	    (IN6_IS_ADDR_V4MAPPED(&in->faddr) &&
	    memcmp(&in->faddr.s6_addr[12], "\0\0\0\0", 4) == 0)))
		return len;
	h = host_name(o, &in->faddr, hb, sizeof(hb));
	p = port_name(o, in->fport, in->proto, pb, sizeof(pb));
	len += (size_t)snprintf(buf + len, size - len, "->%s:%s", h, p);
	return len < size ? len : size - 1;
}

/* NAME, escaped, without the TCP/TPI addition. */
void
print_name(const struct opts *o, const struct lfile *lf, char *buf,
    size_t size, int unused)
{
	size_t	len = 0;
	char	tmp[1024];

	(void)unused;
	buf[0] = '\0';
	if (lf->name != NULL && lf->name[0] != '\0')
		len = print_escape(buf, size, lf->name, 0);
	/* A stat(2) failure or mismatch: "(stat: ...)", "(path dev=...)". */
	if (lf->nma != NULL && len + 1 < size) {
		if (len > 0)
			buf[len++] = ' ';
		len += print_escape(buf + len, size - len, lf->nma, 0);
	}
	if (lf->inet != NULL) {
		if (len > 0 && len + 1 < size)
			buf[len++] = ' ';
		inet_name(o, lf->inet, tmp, sizeof(tmp));
		len += print_escape(buf + len, size - len, tmp, 0);
	}
	/* -E's endpoints follow the name, before any TCP/TPI state. */
	if (lf->ept_text != NULL && len + 1 < size) {
		if (len > 0)
			buf[len++] = ' ';
		print_escape(buf + len, size - len, lf->ept_text, 0);
	}
}

/*
 * The TCP/TPI addition to NAME: "(LISTEN)", "(LISTEN QR=0 QS=0)", ""
 * when -T asks for what this socket lacks, or nothing (buf[0] = 0 and
 * the return 0) when -T asks for nothing.
 */
void
print_nma(const struct opts *o, const struct lfile *lf, char *buf,
    size_t size, int *have)
{
	const char	*st = NULL;
	size_t		 len = 0;

	buf[0] = '\0';
	*have = 0;
	if (o->tcpinfo == 0)
		return;
	if (lf->inet != NULL) {
		if (lf->inet->proto == IPPROTO_TCP && (o->tcpinfo & TI_STATE))
			st = select_tcp_state_name(lf->inet->state);
		else if (lf->inet->proto == IPPROTO_UDP &&
		    (o->tcpinfo & TI_UDPSTATE) && lf->inet->state == 1)
			st = "ESTABLISHED";
	} else if (lf->tstate != NULL && (o->tcpinfo & TI_STATE))
		st = lf->tstate;
	else if (lf->tstate == NULL)
		return;
	*have = 1;
	if (st != NULL)
		len = (size_t)snprintf(buf, size, "%s", st);
	if (lf->inet != NULL && (o->tcpinfo & TI_QUEUE))
		len += (size_t)snprintf(buf + len, size - len, "%sQR=%lu QS=%lu",
		    len ? " " : "", lf->inet->rq, lf->inet->sq);
	if (len > 0 && len + 2 < size) {
		memmove(buf + 1, buf, len);
		buf[0] = '(';
		buf[len + 1] = ')';
		buf[len + 2] = '\0';
	}
}

static int
num_width(long long v)
{
	int	n = 1;

	if (v < 0) {
		n++;
		v = -v;
	}
	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* DEVICE text into buf (at least 48 bytes); returns the length. */
static size_t
dev_text(const struct lfile *lf, char *buf, size_t size)
{
	dev_t	d;
	size_t	n;

	if (lf->flags & (LF_RDEV | LF_DEV)) {
		d = (lf->flags & LF_RDEV) ? lf->rdev : lf->dev;
		n = print_ull(buf, major(d));
		buf[n++] = ',';
		return n + print_ull(buf + n, minor(d));
	}
	if (lf->devch == NULL) {
		buf[0] = '\0';
		return 0;
	}
	return strlcpy(buf, lf->devch, size) >= size ? size - 1 :
	    strlen(buf);
}

/* NODE text into buf (at least 24 bytes); returns the length. */
static size_t
node_text(const struct lfile *lf, char *buf, size_t size)
{
	if (lf->flags & LF_NODEPROTO)
		return strlcpy(buf, lf->iproto, size) >= size ? size - 1 :
		    strlen(buf);
	if (lf->flags & LF_INODE)
		return print_ull(buf, lf->inode);
	buf[0] = '\0';
	return 0;
}

/*
 * The width lsof 4.95 gives an FD string: it keeps numeric descriptors
 * as "%4d" and names cwd and rtd " cwd" and " rtd", with a leading
 * space (txt, mem, DEL and NOFD have none), so all of them count four.
 */
static int
fd_width(const struct lfile *lf)
{
	int	len = (int)strlen(lf->fd);

	if (len < 4 && (lf->fdnum >= 0 || strcmp(lf->fd, "cwd") == 0 ||
	    strcmp(lf->fd, "rtd") == 0))
		len = 4;
	return len;
}

#define MAX(a, b)	((a) > (b) ? (a) : (b))

static void
size_proc(const struct opts *o, const struct lproc *lp, struct widths *w)
{
	const struct lfile	*lf;
	char			 buf[128];
	size_t			 i;
	int			 len, isoff;

	if (!list_proc_listed(lp))
		return;

	len = esc_width(lp->cmd, 1);
	if (o->cmdlim && len > o->cmdlim)
		len = o->cmdlim;
	w->cmd = MAX(w->cmd, len);
	w->pid = MAX(w->pid, num_width(lp->pid));
	if (lp->tcmd != NULL) {
		len = esc_width(lp->tcmd, 1);
		if (o->cmdlim && len > o->cmdlim)
			len = o->cmdlim;
		w->tcmd = MAX(w->tcmd, len);
		w->prt_tcmd = 1;
	}
	if (lp->tid) {
		w->tid = MAX(w->tid, num_width(lp->tid));
		w->prt_tid = 1;
	}
	w->ppid = MAX(w->ppid, num_width(lp->ppid));
	w->pgid = MAX(w->pgid, num_width(lp->pgid));
	for (i = 0; i < lp->nfiles; i++) {
		lf = &lp->files[i];
		if (lf->hidden)
			continue;
		len = (int)strlen(print_user(o, lp->uid, 0));
		w->user = MAX(w->user, len);
		w->fd = MAX(w->fd, fd_width(lf) + 2);
		w->type = MAX(w->type, (int)strlen(lf->type));
		if (o->fflags)
			w->fflag = MAX(w->fflag, (int)print_fflags(o, lf, buf,
			    sizeof(buf)));
		w->dev = MAX(w->dev, (int)dev_text(lf, buf, sizeof(buf)));
		w->sz = MAX(w->sz, (int)print_sizeoff(o, lf, buf, sizeof(buf),
		    &isoff));
		if (o->show_nlink && (lf->flags & LF_NLINK))
			w->nlink = MAX(w->nlink, num_width((long long)
			    lf->nlink) + 1);
		w->node = MAX(w->node, (int)node_text(lf, buf, sizeof(buf)));
	}
}

static void
print_header(const struct opts *o, const struct widths *w)
{
	printf("%-*.*s %*s", w->cmd, w->cmd, "COMMAND", w->pid, "PID");
	if (w->prt_tid)
		printf(" %*s", w->tid, "TID");
	if (w->prt_tcmd)
		printf(" %-*.*s", w->tcmd, w->tcmd, "TASKCMD");
	if (o->show_ppid)
		printf(" %*s", w->ppid, "PPID");
	if (o->show_pgid)
		printf(" %*s", w->pgid, "PGID");
	printf(" %*s %*s   %*s", w->user, "USER", w->fd - 2, "FD", w->type,
	    "TYPE");
	if (o->fflags)
		printf(" %*s", w->fflag, "FILE-FLAG");
	printf(" %*s", w->dev, "DEVICE");
	printf(" %*s", w->sz, o->offset ? "OFFSET" : o->size ? "SIZE" :
	    "SIZE/OFF");
	if (o->show_nlink)
		printf(" %*s", w->nlink, "NLINK");
	printf(" %*s %s\n", w->node, "NODE", "NAME");
}

/* An output line under construction; never overflows, truncates. */
struct line {
	char	*buf;
	size_t	 len, cap;
};

static void
line_put(struct line *l, const char *s, size_t n)
{
	if (n > l->cap - l->len)
		n = l->cap - l->len;
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

static void
line_pad(struct line *l, int n)
{
	if (n <= 0)
		return;
	if ((size_t)n > l->cap - l->len)
		n = (int)(l->cap - l->len);
	memset(l->buf + l->len, ' ', (size_t)n);
	l->len += (size_t)n;
}

/* " " and s right-justified in width, cut to width as "%*.*s" does. */
static void
line_col(struct line *l, const char *s, size_t n, int width)
{
	if (n > (size_t)width)
		n = (size_t)width;
	line_pad(l, 1 + width - (int)n);
	line_put(l, s, n);
}

static void
line_num(struct line *l, long long v, int width)
{
	char	buf[24];
	size_t	n;

	if (v < 0) {
		buf[0] = '-';
		n = 1 + print_ull(buf + 1, (unsigned long long)-v);
	} else
		n = print_ull(buf, (unsigned long long)v);
	line_col(l, buf, n, width);
}

/* lsof's safestrprtn(): at most width columns, escapes never split. */
static void
line_escaped(struct line *l, const char *s, int width, int space)
{
	char	tmp[8];
	int	i = 0;
	size_t	n;

	for (; s != NULL && *s != '\0' && i < width; s++) {
		if (*s != '\\' && isprint((unsigned char)*s) &&
		    !(space && *s == ' ')) {
			line_put(l, s, 1);
			i++;
			continue;
		}
		n = esc_byte(tmp, (unsigned char)*s);
		if (i + (int)n > width)
			break;
		line_put(l, tmp, n);
		i += (int)n;
	}
	line_pad(l, width - i);
}

static void
print_file(const struct opts *o, const struct lproc *lp,
    const struct lfile *lf, const struct widths *w, struct line *l,
    char *name, size_t namesize)
{
	const char	*user;
	char		 buf[128], nma[128];
	int		 isoff, have;
	size_t		 n;

	l->len = 0;
	line_escaped(l, lp->cmd, w->cmd, 1);
	line_num(l, lp->pid, w->pid);
	if (w->prt_tid) {
		if (lp->tid)
			line_num(l, lp->tid, w->tid);
		else
			line_pad(l, 1 + w->tid);
	}
	if (w->prt_tcmd) {
		line_pad(l, 1);
		line_escaped(l, lp->tcmd ? lp->tcmd : "", w->tcmd, 1);
	}
	if (o->show_ppid)
		line_num(l, lp->ppid, w->ppid);
	if (o->show_pgid)
		line_num(l, lp->pgid, w->pgid);
	user = print_user(o, lp->uid, 0);
	line_col(l, user, strlen(user), w->user);
	line_col(l, lf->fd, strlen(lf->fd), w->fd - 2);
	buf[0] = lf->lock == ' ' ? lf->access : lf->access == ' ' ? '-' :
	    lf->access;
	buf[1] = lf->lock;
	line_put(l, buf, 2);
	line_col(l, lf->type, strlen(lf->type), w->type);
	if (o->fflags) {
		n = print_fflags(o, lf, buf, sizeof(buf));
		line_col(l, buf, n, w->fflag);
	}
	n = dev_text(lf, buf, sizeof(buf));
	line_col(l, buf, n, w->dev);
	n = print_sizeoff(o, lf, buf, sizeof(buf), &isoff);
	line_col(l, buf, n, w->sz);
	if (o->show_nlink) {
		n = 0;
		if (lf->flags & LF_NLINK) {
			buf[0] = ' ';
			n = 1 + print_ull(buf + 1, lf->nlink);
		}
		line_col(l, buf, n, w->nlink);
	}
	n = node_text(lf, buf, sizeof(buf));
	line_col(l, buf, n, w->node);
	line_pad(l, 1);
	print_name(o, lf, name, namesize, 0);
	n = strlen(name);
	line_put(l, name, n);
	print_nma(o, lf, nma, sizeof(nma), &have);
	if (have) {
		if (n > 0)
			line_pad(l, 1);
		line_put(l, nma, strlen(nma));
	}
	line_put(l, "\n", 1);
	fwrite_unlocked(l->buf, 1, l->len, stdout);
}

void
print_columns(const struct opts *o, struct list *l)
{
	struct widths	 w;
	struct line	 line;
	char		*name;
	size_t		 i, j, namesize = 16384;

	memset(&w, 0, sizeof(w));
	w.cmd = 7;
	w.pid = 3;
	w.tid = 3;
	w.tcmd = 7;
	w.ppid = 4;
	w.pgid = 4;
	w.user = 4;
	w.fd = 2;
	w.type = 4;
	w.fflag = 9;
	w.dev = 6;
	w.sz = o->size ? 4 : o->offset ? 6 : 8;
	w.nlink = 5;
	w.node = 4;
	for (i = 0; i < l->nprocs; i++)
		size_proc(o, &l->procs[i], &w);
	for (i = 0; i < l->nprocs && !list_proc_listed(&l->procs[i]); i++)
		;
	if (i == l->nprocs)
		return;
	name = xmalloc(namesize);
	/* The escaped COMMAND and NAME, the columns and the NAME addition. */
	line.cap = namesize + 1024 + (size_t)(w.cmd + w.tcmd + w.user +
	    w.type + w.fflag + w.dev + w.sz + w.node + w.fd) + 5 * 24;
	line.buf = xmalloc(line.cap);
	print_header(o, &w);
	for (i = 0; i < l->nprocs; i++)
		for (j = 0; j < l->procs[i].nfiles; j++)
			if (!l->procs[i].files[j].hidden)
				print_file(o, &l->procs[i],
				    &l->procs[i].files[j], &w, &line, name,
				    namesize);
	free(line.buf);
	free(name);
}

void
print_terse(const struct list *l)
{
	size_t	i;
	pid_t	last = -1;

	for (i = 0; i < l->nprocs; i++) {
		if (l->procs[i].pid == last || !list_proc_listed(&l->procs[i]))
			continue;
		last = l->procs[i].pid;
		printf("%d\n", (int)last);
	}
}
