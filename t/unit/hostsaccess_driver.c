/*
 * hostsaccess_driver.c: drive hosts_access_check() from the bats suites,
 * as a super-server would: with socket addresses (so names are looked up
 * lazily and ident is asked), and, with -x, performing the actions of the
 * verdict (spawn and aclexec through hosts_shell_run(), banners to
 * stdout, setenv, twist by exec).
 *
 * usage: hostsaccess_driver [-nxI] [-a allow] [-D deny] [-d daemon]
 *	      [-c addr,port] [-C text] [-s addr,port] [-u user] [-t secs]
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hostsaccess.h"
#include "log.h"

static const char *type_names[] = {
	"invalid", "allow", "deny", "spawn", "twist", "banner", "setenv",
	"umask", "nice", "user", "group", "keepalive", "linger", "severity",
	"rfc931", "aclexec"
};

/* "addr,port" into a socket address; numeric only. */
static int
parse_endpoint(char *arg, struct sockaddr_storage *ss)
{
	struct addrinfo	 hints, *res;
	char		*port;

	if ((port = strrchr(arg, ',')) != NULL)
		*port++ = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(arg, port != NULL ? port : "0", &hints, &res) != 0)
		return -1;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return 0;
}

static int
run_aclexec(void *arg, const char *cmd)
{
	(void)arg;
	return hosts_shell_run(cmd);
}

static void
diag(void *arg, int is_error, const char *msg)
{
	(void)arg;
	fprintf(stderr, "%s: %s\n", is_error ? "error" : "warning", msg);
}

static void
print_verdict(const struct hosts_verdict *v)
{
	size_t	i;

	printf("verdict: %s\n", v->access == HOSTS_GRANTED ? "granted" :
	    "denied");
	if (v->line > 0)
		printf("rule: %s:%d\n", v->file, v->line);
	printf("severity: %d\n", v->severity);
	printf("errors: %d\n", v->errors);
	printf("client: %s\n", v->client);
	printf("names: %s %s\n", v->client_name[0] ? v->client_name : "-",
	    v->server_name[0] ? v->server_name : "-");
	printf("user: %s\n", v->user[0] ? v->user : "-");
	for (i = 0; i < v->nactions; i++) {
		const struct hosts_action *a = &v->actions[i];

		printf("action: %s key=%s value=%s num=%ld", type_names[a->type],
		    a->key, a->value != NULL ? a->value : "-", a->num);
		if (a->type == HOSTS_ACT_SETENV)
			printf(" name=%s text=%s", a->name, a->text);
		if (a->type == HOSTS_ACT_USER || a->type == HOSTS_ACT_GROUP)
			printf(" uid=%ld gid=%ld has_gid=%d", (long)a->uid,
			    (long)a->gid, a->has_gid);
		printf("\n");
	}
	fflush(stdout);
}

/* Do what the verdict asks, as a daemon would, in order. */
static void
perform(const struct hosts_verdict *v)
{
	size_t	i;

	for (i = 0; i < v->nactions; i++) {
		const struct hosts_action *a = &v->actions[i];

		switch (a->type) {
		case HOSTS_ACT_SPAWN:
			(void)hosts_shell_run(a->value);
			break;
		case HOSTS_ACT_BANNER:
			(void)fwrite(a->text, 1, a->len, stdout);
			fflush(stdout);
			break;
		case HOSTS_ACT_SETENV:
			(void)setenv(a->name, a->text, 1);
			break;
		case HOSTS_ACT_TWIST:
			execl("/bin/sh", "sh", "-c", a->value, (char *)NULL);
			_exit(127);
		default:
			break;
		}
	}
}

int
main(int argc, char *argv[])
{
	struct hosts_request	 rq;
	struct hosts_verdict	 v;
	struct sockaddr_storage	 css, sss;
	int			 ch, execute = 0;

	log_init(argv[0]);
	memset(&rq, 0, sizeof(rq));
	rq.daemon = "sshd";
	rq.diag = diag;
	while ((ch = getopt(argc, argv, "a:c:C:d:D:Int:s:u:x")) != -1) {
		switch (ch) {
		case 'a':
			rq.allow_file = optarg;
			break;
		case 'c':
			if (parse_endpoint(optarg, &css) == -1)
				return 2;
			rq.client_sa = (struct sockaddr *)&css;
			break;
		case 'C':
			rq.client_addr = optarg;
			break;
		case 'd':
			rq.daemon = optarg;
			break;
		case 'D':
			rq.deny_file = optarg;
			break;
		case 'I':
			rq.flags |= HOSTS_NOIDENT;
			break;
		case 'n':
			rq.flags |= HOSTS_NUMERIC;
			break;
		case 's':
			if (parse_endpoint(optarg, &sss) == -1)
				return 2;
			rq.server_sa = (struct sockaddr *)&sss;
			break;
		case 't':
			rq.ident_timeout = atoi(optarg);
			break;
		case 'u':
			rq.user = optarg;
			break;
		case 'x':
			execute = 1;
			rq.aclexec = run_aclexec;
			break;
		default:
			fprintf(stderr, "usage: hostsaccess_driver [-nxI] "
			    "[-a allow] [-D deny] [-d daemon] [-c addr,port] "
			    "[-C text] [-s addr,port] [-u user] [-t secs]\n");
			return 2;
		}
	}
	(void)hosts_access_check(&rq, &v);
	print_verdict(&v);
	if (execute)
		perform(&v);
	hosts_verdict_free(&v);
	return 0;
}
