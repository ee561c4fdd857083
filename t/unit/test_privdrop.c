/*
 * test_privdrop.c: names resolve, bad names are clear errors, and (as
 * root) a drop sticks: ids read back and root cannot be regained.
 */
#include "config.h"

#include <sys/wait.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "privdrop.h"
#include "tap.h"

static void
test_lookup(void)
{
	struct privdrop_id	id;
	char			err[128];

	ok(privdrop_lookup("root", NULL, &id, err, sizeof(err)) == 0,
	    "root resolves");
	ok(id.uid == 0 && id.gid == 0, "root is 0:0");
	is_str(id.name, "root", "login name kept for initgroups");
	ok(privdrop_lookup("4242", "4343", &id, err, sizeof(err)) == 0,
	    "numeric user and group accepted");
	ok(id.uid == 4242 && id.gid == 4343, "numbers taken as ids");
	ok(privdrop_lookup("no-such-user-xyz", NULL, &id, err,
	    sizeof(err)) == -1, "unknown user fails");
	is_str(err, "unknown user 'no-such-user-xyz'", "and says which");
	ok(privdrop_lookup("root", "no-such-group-xyz", &id, err,
	    sizeof(err)) == -1, "unknown group fails");
	is_str(err, "unknown group 'no-such-group-xyz'", "and says which");
	ok(privdrop_lookup("12x", NULL, &id, err, sizeof(err)) == -1,
	    "half-numeric user is not a number");
}

static void
test_drop(void)
{
	struct privdrop_id	 id;
	struct passwd		*pw;
	char			 err[128];
	int			 p[2], st;
	pid_t			 pid;

	if (geteuid() != 0) {
		tap_skip("dropping privileges needs root");
		return;
	}
	if ((pw = getpwnam("nobody")) == NULL) {
		tap_skip("no user nobody");
		return;
	}
	privdrop_lookup("nobody", NULL, &id, err, sizeof(err));
	pipe(p);
	if ((pid = fork()) == 0) {
		close(p[0]);
		st = privdrop_apply(&id, err, sizeof(err)) == 0 &&
		    getuid() == pw->pw_uid && geteuid() == pw->pw_uid &&
		    getgid() == pw->pw_gid && setuid(0) == -1;
		_exit(st ? 0 : 1);
	}
	close(p[1]);
	close(p[0]);
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "drop to nobody sticks and root cannot be regained");
}

/* An explicit group list, empty: no supplementary groups at all. */
static void
test_drop_groups(void)
{
	struct privdrop_id	 id;
	struct passwd		*pw;
	char			 err[128];
	gid_t			 g[4];
	int			 st;
	pid_t			 pid;

	if (geteuid() != 0 || (pw = getpwnam("nobody")) == NULL) {
		tap_skip("dropping privileges needs root and user nobody");
		return;
	}
	privdrop_lookup("nobody", NULL, &id, err, sizeof(err));
	if ((pid = fork()) == 0) {
		st = privdrop_apply_groups(&id, NULL, 0, err, sizeof(err)) == 0 &&
		    getuid() == pw->pw_uid && getgroups(4, g) == 0 &&
		    setuid(0) == -1;
		_exit(st ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "drop with an empty group list: no groups, root not regained");
	if ((pid = fork()) == 0) {
		g[0] = 4242;
		st = privdrop_apply_groups(&id, g, 1, err, sizeof(err)) == 0 &&
		    getgroups(4, g) == 1 && g[0] == 4242;
		_exit(st ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "the given groups are the process's supplementary groups");
}

int
main(void)
{
	test_lookup();
	test_drop();
	test_drop_groups();
	return tap_done();
}
