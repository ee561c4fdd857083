/*
 * strlcpy: copy a string into a sized buffer, always NUL-terminating.
 * Returns strlen(src) so truncation can be detected (>= size).
 */
#include "config.h"

#include <string.h>

#include "compat.h"

size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t	len = strlen(src);

	if (size != 0) {
		size_t	n = len >= size ? size - 1 : len;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
