/*
 * privdrop.c: resolve a user/group and switch to it for good.
 *
 * The order is the classic one: supplementary groups first (initgroups
 * needs root), then the gid, then the uid.  Afterwards every id is read
 * back and a return to root is attempted: if any check fails the caller
 * must not go on, because a half-dropped process is worse than none.
 */
#include "config.h"

#include <sys/types.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "privdrop.h"

/* A decimal id, or -1 if s is not all digits or out of range. */
static long long
privdrop_number(const char *s)
{
	const char	*errstr;
	long long	 v;

	if (*s == '\0' || strspn(s, "0123456789") != strlen(s))
		return -1;
	v = strtonum(s, 0, UINT_MAX - 1, &errstr);
	return errstr != NULL ? -1 : v;
}

/*
 * Fill id from a user name or number and an optional group name or number
 * (NULL: the user's primary group).  Returns -1 with a message in err.
 */
int
privdrop_lookup(const char *user, const char *group, struct privdrop_id *id,
    char *err, size_t errlen)
{
	struct passwd	*pw;
	struct group	*gr;
	long long	 n;

	memset(id, 0, sizeof(*id));
	if ((pw = getpwnam(user)) == NULL) {
		if ((n = privdrop_number(user)) == -1) {
			snprintf(err, errlen, "unknown user '%s'", user);
			return -1;
		}
		pw = getpwuid((uid_t)n);
		id->uid = (uid_t)n;
		id->gid = pw != NULL ? pw->pw_gid : (gid_t)n;
	} else {
		id->uid = pw->pw_uid;
		id->gid = pw->pw_gid;
	}
	if (pw != NULL &&
	    strlcpy(id->name, pw->pw_name, sizeof(id->name)) >=
	    sizeof(id->name)) {
		snprintf(err, errlen, "user name '%s' too long", pw->pw_name);
		return -1;
	}
	if (group == NULL)
		return 0;
	if ((gr = getgrnam(group)) != NULL)
		id->gid = gr->gr_gid;
	else if ((n = privdrop_number(group)) != -1)
		id->gid = (gid_t)n;
	else {
		snprintf(err, errlen, "unknown group '%s'", group);
		return -1;
	}
	return 0;
}

static int
privdrop_verify(const struct privdrop_id *id, char *err, size_t errlen)
{
	if (getuid() != id->uid || geteuid() != id->uid) {
		snprintf(err, errlen, "uid is %ld/%ld after dropping to %ld",
		    (long)getuid(), (long)geteuid(), (long)id->uid);
		return -1;
	}
	if (getgid() != id->gid || getegid() != id->gid) {
		snprintf(err, errlen, "gid is %ld/%ld after dropping to %ld",
		    (long)getgid(), (long)getegid(), (long)id->gid);
		return -1;
	}
	if (id->uid != 0 && (setuid(0) != -1 || seteuid(0) != -1)) {
		snprintf(err, errlen, "could regain root after dropping to "
		    "uid %ld", (long)id->uid);
		return -1;
	}
	return 0;
}

/* The gid, then the uid, then the check that they stuck. */
static int
privdrop_ids(const struct privdrop_id *id, char *err, size_t errlen)
{
#ifdef HAVE_SETRESGID
	if (setresgid(id->gid, id->gid, id->gid) == -1) {
#else
	if (setgid(id->gid) == -1 || setegid(id->gid) == -1) {
#endif
		snprintf(err, errlen, "setgid %ld: %s", (long)id->gid,
		    strerror(errno));
		return -1;
	}
#ifdef HAVE_SETRESUID
	if (setresuid(id->uid, id->uid, id->uid) == -1) {
#else
	if (setuid(id->uid) == -1 || seteuid(id->uid) == -1) {
#endif
		snprintf(err, errlen, "setuid %ld: %s", (long)id->uid,
		    strerror(errno));
		return -1;
	}
	return privdrop_verify(id, err, errlen);
}

/* Switch the process to id.  Returns -1 with a message in err. */
int
privdrop_apply(const struct privdrop_id *id, char *err, size_t errlen)
{
	gid_t	gid = id->gid;

	if (geteuid() == 0) {
		int	r = id->name[0] != '\0' ?
		    initgroups(id->name, id->gid) : setgroups(1, &gid);

		if (r == -1) {
			snprintf(err, errlen, "setting groups for uid %ld: %s",
			    (long)id->uid, strerror(errno));
			return -1;
		}
	}
	return privdrop_ids(id, err, errlen);
}

/*
 * The same with the supplementary groups given (none when ngroups is 0),
 * looked up beforehand: it makes system calls only, for a child between
 * vfork and exec.  Needs root.
 */
int
privdrop_apply_groups(const struct privdrop_id *id, const gid_t *groups,
    int ngroups, char *err, size_t errlen)
{
	if (setgroups((size_t)ngroups, groups) == -1) {
		snprintf(err, errlen, "setgroups for uid %ld: %s",
		    (long)id->uid, strerror(errno));
		return -1;
	}
	return privdrop_ids(id, err, errlen);
}
