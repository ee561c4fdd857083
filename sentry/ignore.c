/*
 * ignore.c: the hosts sentry never reports: the networks of IGNORE_FILE and
 * every address of this host.
 *
 * portsentry 1.2 opens and reads its ignore file for every packet, and
 * knows IPv4 only.  Here the file is read at start and again when it
 * changes (checked once a second, never on the capture path), and takes
 * IPv4 and IPv6 addresses and networks.  The host's own addresses come
 * from getifaddrs(3), refreshed with the same tick, with the loopback
 * networks, so that a scan of this host from itself, or a packet forged
 * with one of its addresses, never blocks it.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "lexer.h"
#include "log.h"
#include "sentry.h"
#include "xmalloc.h"

/*
 * One line: an address or network, then anything after a blank or '#'
 * (1.2 stops at the first character that cannot be in an address).
 * Returns 1 and fills *c, 0 for a line without an entry, -1 on error.
 */
static int
ignore_line(struct lexer *lx, char *line, struct addr_cidr *c)
{
	char	 err[256];
	char	*w, *cur = line;

	if ((w = lexer_word_sep(&cur, " \t\r#")) == NULL)
		return 0;
	if (addr_cidr_parse(c, w, NULL, err, sizeof(err)) == -1) {
		lexer_error(lx, "%s", err);
		return -1;
	}
	return 1;
}

static void
ignore_free_nets(struct ignore *ig)
{
	free(ig->nets);
	ig->nets = NULL;
	ig->nnets = 0;
}

/* The entries of an open ignore file; *nerr gets its bad lines. */
int
ignore_parse_stream(struct ignore *ig, FILE *fp, const char *name,
    int quiet, int *nerr)
{
	struct lexer	 lx;
	struct addr_cidr c;
	size_t		 cap = 0;
	int		 r;

	ignore_free_nets(ig);
	lexer_open_stream(&lx, fp, name);
	lx.quiet = quiet;
	while ((r = lexer_next_line(&lx, LEX_COMMENTS | LEX_BLANKS)) == 1) {
		if (ignore_line(&lx, lx.buf, &c) != 1)
			continue;
		if (ig->nnets == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			ig->nets = xreallocarray(ig->nets, cap,
			    sizeof(*ig->nets));
		}
		ig->nets[ig->nnets++] = c;
	}
	*nerr = lx.nerrors;
	lexer_close(&lx);
	return r == -1 ? -1 : 0;
}

/*
 * Read IGNORE_FILE.  A missing file is an empty list (1.2 blocks anyway
 * then); bad lines are reported as file:line and skipped.  *nerr gets
 * the number of bad lines.  Returns -1 when the file cannot be read.
 */
int
ignore_load(struct ignore *ig, const char *path, int quiet, int *nerr)
{
	struct stat	 st;
	FILE		*fp;
	int		 r;

	ignore_free_nets(ig);
	*nerr = 0;
	if ((fp = fopen(path, "re")) == NULL) {
		ig->missing = 1;
		memset(&ig->mtime, 0, sizeof(ig->mtime));
		ig->ino = 0;
		return -1;
	}
	ig->missing = 0;
	if (fstat(fileno(fp), &st) == 0) {
		ig->mtime = st.st_mtim;
		ig->ino = st.st_ino;
	}
	r = ignore_parse_stream(ig, fp, path, quiet, nerr);
	(void)fclose(fp);
	return r;
}

/* Returns 1 when the file changed and was read again. */
int
ignore_reload_if_changed(struct ignore *ig, const char *path)
{
	struct stat	st;
	int		nerr;

	if (stat(path, &st) == -1) {
		if (ig->missing)
			return 0;
	} else if (!ig->missing && st.st_ino == ig->ino &&
	    st.st_mtim.tv_sec == ig->mtime.tv_sec &&
	    st.st_mtim.tv_nsec == ig->mtime.tv_nsec)
		return 0;
	if (ignore_load(ig, path, 0, &nerr) == -1)
		log_msg(LOG_WARNING, "adminalert: ERROR: cannot open ignore "
		    "file %s: %s", path, strerror(errno));
	else
		log_msg(LOG_NOTICE, "adminalert: ignore file %s read again: "
		    "%zu entr%s", path, ig->nnets, ig->nnets == 1 ? "y" :
		    "ies");
	return 1;
}

/* This host's addresses, IPv4 and IPv6, from every interface. */
void
ignore_own_refresh(struct ignore *ig)
{
	struct ifaddrs	*ifa, *i;
	struct addr	 a;
	size_t		 n = 0, cap = 0;
	struct addr	*own = NULL;

	if (getifaddrs(&ifa) == -1) {
		log_warn("getifaddrs");
		return;
	}
	for (i = ifa; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL ||
		    (i->ifa_addr->sa_family != AF_INET &&
		    i->ifa_addr->sa_family != AF_INET6))
			continue;
		if (addr_from_sockaddr(&a, NULL, i->ifa_addr,
		    i->ifa_addr->sa_family == AF_INET ?
		    sizeof(struct sockaddr_in) :
		    sizeof(struct sockaddr_in6)) == -1)
			continue;
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			own = xreallocarray(own, cap, sizeof(*own));
		}
		own[n++] = a;
	}
	freeifaddrs(ifa);
	free(ig->own);
	ig->own = own;
	ig->nown = n;
}

/* Loopback (127/8, ::1) and the unspecified address: this host too. */
static int
ignore_is_local(const struct addr *a)
{
	static const uint8_t	zero[16];

	if (a->family == AF_INET)
		return a->bytes[0] == 127 || memcmp(a->bytes, zero, 4) == 0;
	return memcmp(a->bytes, zero, 15) == 0 &&
	    (a->bytes[15] == 0 || a->bytes[15] == 1);
}

int
ignore_is_own(const struct ignore *ig, const struct addr *a)
{
	size_t	i;

	if (ignore_is_local(a))
		return 1;
	for (i = 0; i < ig->nown; i++)
		if (addr_cmp(&ig->own[i], a) == 0)
			return 1;
	return 0;
}

int
ignore_has(const struct ignore *ig, const struct addr *a)
{
	size_t	i;

	if (ignore_is_own(ig, a))
		return 1;
	for (i = 0; i < ig->nnets; i++)
		if (addr_in_cidr(a, &ig->nets[i]))
			return 1;
	return 0;
}

void
ignore_free(struct ignore *ig)
{
	ignore_free_nets(ig);
	free(ig->own);
	ig->own = NULL;
	ig->nown = 0;
}
