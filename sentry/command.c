/*
 * command.c: KILL_ROUTE, KILL_RUN_CMD and UNBLOCK_CMD, and the macros of
 * those and of KILL_HOSTS_DENY.
 *
 * portsentry 1.2 hands every command to system(3), so a shell reads it.
 * Here a command that needs nothing of a shell (no quotes, no pipes, no
 * redirections, no variables or wildcards) is cut into words at blanks
 * and run directly; only one that does is given to /bin/sh -c.  $TARGET$
 * is always the address of the packet, formatted from its binary form, so
 * it holds only hex digits, dots and colons: a name from the DNS, which
 * anybody controlling a PTR record could fill with shell syntax, never
 * reaches a command.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "sentry.h"
#include "xmalloc.h"

#define SHELL_CHARS	"|&;<>()$`\\\"'*?[]#~%{}!\n"
#define ARGS_MAX	64

/* The target as text, checked again: only an address goes out. */
static int
command_target(const struct addr *a, int bracket, char *buf, size_t len)
{
	char		 tmp[ADDR_STRLEN];
	struct addr	 check;

	if (addr_format(a, tmp, sizeof(tmp)) == NULL ||
	    addr_parse(&check, tmp, NULL, 0) == -1 ||
	    strspn(tmp, "0123456789abcdefABCDEF.:") != strlen(tmp))
		return -1;
	(void)snprintf(buf, len, bracket && a->family == AF_INET6 ?
	    "[%s]" : "%s", tmp);
	return 0;
}

char *
command_expand(const char *tmpl, const struct command_macros *m,
    int bracket)
{
	char		 target[ADDR_STRLEN + 2], port[8], out[RECORD_LINE_MAX];
	const char	*p = tmpl, *val;
	size_t		 n = 0, vlen, skip;

	if (command_target(m->target, bracket, target, sizeof(target)) == -1)
		return NULL;
	(void)snprintf(port, sizeof(port), "%d", m->port);
	while (*p != '\0') {
		val = NULL;
		skip = 1;
		if (strncmp(p, "$TARGET$", 8) == 0) {
			val = target;
			skip = 8;
		} else if (strncmp(p, "$PORT$", 6) == 0) {
			val = port;
			skip = 6;
		} else if (strncmp(p, "$MODE$", 6) == 0) {
			val = mode_name(m->mode);
			skip = 6;
		}
		vlen = val != NULL ? strlen(val) : 1;
		if (n + vlen >= sizeof(out))
			return NULL;
		memcpy(out + n, val != NULL ? val : p, vlen);
		n += vlen;
		p += skip;
	}
	out[n] = '\0';
	return xstrdup(out);
}

/*
 * 1 when the template needs a shell: any character a shell treats
 * specially outside the macros, or an assignment as the first word.
 */
int
command_needs_shell(const char *tmpl)
{
	const char	*p;
	size_t		 first;

	for (p = tmpl; *p != '\0'; p++) {
		if (strncmp(p, "$TARGET$", 8) == 0)
			p += 7;
		else if (strncmp(p, "$PORT$", 6) == 0 ||
		    strncmp(p, "$MODE$", 6) == 0)
			p += 5;
		else if (strchr(SHELL_CHARS, *p) != NULL)
			return 1;
	}
	p = tmpl + strspn(tmpl, " \t");
	first = strcspn(p, " \t");
	return memchr(p, '=', first) != NULL;
}

/* The words of a template, each with its macros replaced. */
static int
command_words(const char *tmpl, const struct command_macros *m,
    char **argv, char *err, size_t errlen)
{
	char	*copy = xstrdup(tmpl), *cur = copy, *w;
	int	 argc = 0;

	while ((w = strsep(&cur, " \t")) != NULL) {
		if (*w == '\0')
			continue;
		if (argc == ARGS_MAX - 1 ||
		    (argv[argc] = command_expand(w, m, 0)) == NULL) {
			(void)snprintf(err, errlen, "command too long");
			goto fail;
		}
		argc++;
	}
	argv[argc] = NULL;
	free(copy);
	if (argc == 0) {
		(void)snprintf(err, errlen, "empty command");
		return -1;
	}
	return argc;
fail:
	while (argc > 0)
		free(argv[--argc]);
	free(copy);
	return -1;
}

/* In the child: a clean start, then exec; 127 as a shell would. */
static __dead void
command_exec(char **argv)
{
	sigset_t	all;
	int		fd, sig;

	for (sig = 1; sig < NSIG; sig++)
		(void)signal(sig, SIG_DFL);
	(void)sigemptyset(&all);
	(void)sigprocmask(SIG_SETMASK, &all, NULL);
	(void)setsid();
	if ((fd = open("/dev/null", O_RDONLY)) != -1 && fd != STDIN_FILENO) {
		(void)dup2(fd, STDIN_FILENO);
		(void)close(fd);
	}
	/* Standard output carries the events of -D: not the command's. */
	(void)dup2(STDERR_FILENO, STDOUT_FILENO);
	closefrom(STDERR_FILENO + 1);
	execvp(argv[0], argv);
	_exit(127);
}

/*
 * Start the command; returns its pid (it leads its own process group, so
 * that a timeout can stop all of it), or -1 with err set.
 */
static pid_t
command_spawn(const char *tmpl, const struct command_macros *m, char *err,
    size_t errlen)
{
	char	*argv[ARGS_MAX], *line = NULL;
	pid_t	 pid;
	int	 argc, i;

	if (command_needs_shell(tmpl)) {
		if ((line = command_expand(tmpl, m, 0)) == NULL) {
			(void)snprintf(err, errlen, "command too long");
			return -1;
		}
		argv[0] = xstrdup("/bin/sh");
		argv[1] = xstrdup("-c");
		argv[2] = line;
		argv[3] = NULL;
		argc = 3;
	} else if ((argc = command_words(tmpl, m, argv, err, errlen)) == -1)
		return -1;
	if ((pid = fork()) == -1)
		(void)snprintf(err, errlen, "fork: %s", strerror(errno));
	else if (pid == 0)
		command_exec(argv);
	for (i = 0; i < argc; i++)
		free(argv[i]);
	return pid;
}

/*
 * Run the command and wait for it, at most timeout_ms (then its process
 * group is killed).  Returns its wait status, or -1 with err set when it
 * could not be started.
 */
int
command_run(const char *tmpl, const struct command_macros *m,
    int timeout_ms, char *err, size_t errlen)
{
	struct timespec	nap = { 0, 10 * 1000 * 1000 };
	pid_t		pid, r;
	int		status = 0, waited;

	if ((pid = command_spawn(tmpl, m, err, errlen)) == -1)
		return -1;
	for (waited = 0; (r = waitpid(pid, &status, WNOHANG)) == 0 ||
	    (r == -1 && errno == EINTR); waited += 10) {
		if (waited >= timeout_ms) {
			(void)kill(-pid, SIGKILL);
			while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
				;
			break;
		}
		(void)nanosleep(&nap, NULL);
	}
	return status;
}
