/*
 * strtonum: parse a decimal integer within [min, max].  On failure returns 0
 * and points *errstrp at "invalid", "too small" or "too large", as OpenBSD's.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "compat.h"

long long
strtonum(const char *s, long long min, long long max, const char **errstrp)
{
	long long	 v = 0;
	char		*end;
	const char	*errstr = NULL;
	int		 saved = errno;

	if (min > max) {
		errstr = "invalid";
		errno = EINVAL;
	} else {
		errno = 0;
		v = strtoll(s, &end, 10);
		if (s == end || *end != '\0') {
			errstr = "invalid";
			errno = EINVAL;
		} else if ((v == LLONG_MIN && errno == ERANGE) || v < min) {
			errstr = "too small";
			errno = ERANGE;
		} else if ((v == LLONG_MAX && errno == ERANGE) || v > max) {
			errstr = "too large";
			errno = ERANGE;
		} else
			errno = saved;
	}
	if (errstrp != NULL)
		*errstrp = errstr;
	return errstr != NULL ? 0 : v;
}
