/*
 * dump.c: what SIGUSR1 writes (the running state) and what -n -d prints
 * (the configuration as understood).  The dump file is replaced
 * atomically, so a reader never sees half of one.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "atomicfile.h"
#include "inetd.h"
#include "xmalloc.h"

static const char *
dump_socktype(int t)
{
	return t == SOCK_STREAM ? "stream" : t == SOCK_DGRAM ? "dgram" :
	    t == SOCK_RAW ? "raw" : t == SOCK_SEQPACKET ? "seqpacket" : "?";
}

static void
dump_limit(FILE *fp, const char *name, int v)
{
	if (v == UNLIMITED)
		fprintf(fp, " %s=UNLIMITED", name);
	else
		fprintf(fp, " %s=%d", name, v);
}

static void
dump_acl(FILE *fp, const char *name, const struct acl *acl)
{
	size_t	i;

	if (!acl->set)
		return;
	fprintf(fp, "\t%s =", name);
	if (acl->n == 0)
		fprintf(fp, " (nobody)");
	for (i = 0; i < acl->n; i++)
		if (i == 0 || strcmp(acl->v[i].text, acl->v[i - 1].text) != 0)
			fprintf(fp, " %s", acl->v[i].text);
	fputc('\n', fp);
}

static void
dump_bind(FILE *fp, const struct bindaddr *ba, int port)
{
	char	host[64];

	if (addr_numeric((const struct sockaddr *)&ba->ss, host,
	    sizeof(host)) == -1)
		(void)strlcpy(host, "?", sizeof(host));
	if (ba->ss.ss_family == AF_INET6)
		fprintf(fp, " [%s]:%d%s", host, port, ba->v6only == 1 ?
		    " (v6only)" : ba->v6only == 0 ? " (dual-stack)" : "");
	else
		fprintf(fp, " %s:%d", host, port);
}

static void
dump_logspec(FILE *fp, const struct svcconf *sc)
{
	const struct logspec	*ls = &sc->log;

	if (ls->type == LOGT_SYSLOG)
		fprintf(fp, "\tlog_type = SYSLOG %s %s\n",
		    syslog_facility_name(ls->facility),
		    syslog_level_name(ls->level));
	else if (ls->type == LOGT_FILE)
		fprintf(fp, "\tlog_type = FILE %s\n", ls->path);
	fprintf(fp, "\tlog_on_success =%s%s%s%s%s%s\n",
	    sc->log_success & LS_PID ? " PID" : "",
	    sc->log_success & LS_HOST ? " HOST" : "",
	    sc->log_success & LS_USERID ? " USERID" : "",
	    sc->log_success & LS_EXIT ? " EXIT" : "",
	    sc->log_success & LS_DURATION ? " DURATION" : "",
	    sc->log_success & LS_TRAFFIC ? " TRAFFIC" : "");
	fprintf(fp, "\tlog_on_failure =%s%s%s\n",
	    sc->log_failure & LF_HOST ? " HOST" : "",
	    sc->log_failure & LF_USERID ? " USERID" : "",
	    sc->log_failure & LF_ATTEMPT ? " ATTEMPT" : "");
}

static void
dump_svcconf(FILE *fp, const struct svcconf *sc)
{
	int	i;

	fprintf(fp, "service %s\n\tid = %s\n\tfrom = %s:%d\n", sc->name,
	    sc->id, sc->file, sc->line);
	fprintf(fp, "\tsocket_type = %s\n\tprotocol = %s\n\twait = %s\n",
	    dump_socktype(sc->socktype),
	    sc->protoname != NULL ? sc->protoname : "?",
	    sc->wait == 1 ? "yes" : "no");
	if (sc->port >= 0)
		fprintf(fp, "\tport = %d\n", sc->port);
	fprintf(fp, "\tlisten =");
	for (i = 0; i < sc->nbinds; i++)
		dump_bind(fp, &sc->binds[i], sc->port);
	fputc('\n', fp);
	if (sc->builtin != NULL)
		fprintf(fp, "\tserver = (internal %s)\n", sc->builtin->name);
	else if (sc->redirlen > 0)
		fprintf(fp, "\tredirect = yes\n");
	else if (sc->server != NULL) {
		fprintf(fp, "\tserver = %s\n\targv =", sc->server);
		for (i = 0; sc->argv != NULL && sc->argv[i] != NULL; i++)
			fprintf(fp, " %s", sc->argv[i]);
		fputc('\n', fp);
	}
	if (sc->user != NULL)
		fprintf(fp, "\tuser = %s (uid %ld, gid %ld)\n", sc->user,
		    (long)sc->uid, (long)sc->gid);
	fprintf(fp, "\tlimits:");
	dump_limit(fp, "instances", sc->instances);
	dump_limit(fp, "per_source", sc->per_source);
	fprintf(fp, " cps=%u/%us,%us", sc->cps.max, sc->cps.window,
	    sc->cps.wait);
	if (sc->max_load > 0)
		fprintf(fp, " max_load=%.2f", sc->max_load);
	fputc('\n', fp);
	dump_acl(fp, "only_from", &sc->only_from);
	dump_acl(fp, "no_access", &sc->no_access);
	dump_logspec(fp, sc);
	if (sc->daemon != NULL)
		fprintf(fp, "\ttcp_wrappers daemon = %s\n", sc->daemon);
}

void
dump_config(struct conf *cf, FILE *fp)
{
	int	i;

	fprintf(fp, "# %s syntax\n", conf_syntax_name(cf->syntax));
	for (i = 0; i < cf->nsvcs; i++) {
		dump_svcconf(fp, cf->svcs[i]);
		fputc('\n', fp);
	}
}

static const char *
dump_state_name(int s)
{
	return s == SVC_ACTIVE ? "active" : s == SVC_OFF ?
	    "closed by a rate limit" : s == SVC_FAILED ? "failed" :
	    s == SVC_RETIRED ? "retired (reload)" : "?";
}

static void
dump_service(FILE *fp, const struct service *sp)
{
	int	i;

	dump_svcconf(fp, sp->conf);
	fprintf(fp, "\tstate = %s\n\trunning = %u\n\tstarted = %lu\n"
	    "\trefused = %lu\n", dump_state_name(sp->state), sp->running,
	    sp->started, sp->refused);
	for (i = 0; i < sp->nlst; i++)
		fprintf(fp, "\tlistening fd = %d%s\n", sp->lst[i]->fd,
		    sp->lst[i]->held ? " (held by a wait server)" : "");
	fputc('\n', fp);
}

static void
dump_children(FILE *fp, const struct inetd *st)
{
	const struct child	*c;
	char			 t[32];
	struct tm		 tm;
	int			 i;

	fprintf(fp, "servers (%u):\n", st->nchildren);
	for (i = 0; i < CHILD_BUCKETS; i++)
		for (c = st->children[i]; c != NULL; c = c->next) {
			(void)localtime_r(&c->start, &tm);
			(void)strftime(t, sizeof(t), "%Y-%m-%d %H:%M:%S", &tm);
			fprintf(fp, "\tpid %ld\t%s\t%s\tsince %s\n",
			    (long)c->pid, c->svc->conf->id,
			    c->kind == CHILD_SERVER ? "server" :
			    c->kind == CHILD_USERID ? "userid lookup" :
			    c->kind == CHILD_RESOLVE ? "name lookup" :
			    "command", t);
		}
}

/* SIGUSR1: services, counters and children, written atomically to path. */
int
dump_state(struct inetd *st, const char *path)
{
	struct atomicfile	 af;
	FILE			*fp;
	char			*buf = NULL, t[32];
	size_t			 len = 0;
	struct tm		 tm;
	int			 i;

	if ((fp = open_memstream(&buf, &len)) == NULL)
		return -1;
	(void)localtime_r(&st->now, &tm);
	(void)strftime(t, sizeof(t), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(fp, "inetd state dump, pid %ld, %s\n", (long)getpid(), t);
	fprintf(fp, "configuration = %s (%s syntax)\n", st->opt.config,
	    conf_syntax_name(st->conf->syntax));
	fprintf(fp, "services = %d\nretired services = %d\nlisteners = %d\n"
	    "connections accepted = %lu\nservers running = %u\n"
	    "sessions = %u\nident lookups = %u\nname lookups = %u\n"
	    "sensor denied addresses = %u\n\n", st->nsvcs, st->nretired,
	    st->nlsts, st->accepted, st->nchildren, st->nsessions,
	    st->nuserid + st->nidents, st->nresolves, sensor_count(st));
	for (i = 0; i < st->nsvcs; i++)
		dump_service(fp, st->svcs[i]);
	for (i = 0; i < st->nretired; i++)
		dump_service(fp, st->retired[i]);
	dump_children(fp, st);
	if (fclose(fp) != 0) {
		free(buf);
		return -1;
	}
	if (atomicfile_open(&af, path, 0644) == -1) {
		free(buf);
		return -1;
	}
	if (atomicfile_write(&af, buf, len) == -1) {
		atomicfile_abort(&af);
		free(buf);
		return -1;
	}
	free(buf);
	return atomicfile_commit(&af);
}
