/*
 * xmalloc.h: allocation wrappers that never return NULL.
 */
#ifndef AK_XMALLOC_H
#define AK_XMALLOC_H

#include <stddef.h>

#include "compat.h"

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...) __printflike(2, 3);

#endif /* AK_XMALLOC_H */
