/*
 * privdrop.h: give up root for a configured user and group, and prove it.
 */
#ifndef AK_PRIVDROP_H
#define AK_PRIVDROP_H

#include <sys/types.h>
#include <stddef.h>

struct privdrop_id {
	uid_t	 uid;
	gid_t	 gid;
	char	 name[64];	/* login name for initgroups(); "" if none */
};

int	privdrop_lookup(const char *user, const char *group,
	    struct privdrop_id *, char *err, size_t errlen);
int	privdrop_apply(const struct privdrop_id *, char *err, size_t errlen);
int	privdrop_apply_groups(const struct privdrop_id *, const gid_t *,
	    int ngroups, char *err, size_t errlen);

#endif /* AK_PRIVDROP_H */
