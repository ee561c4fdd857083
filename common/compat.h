/*
 * compat.h: declarations for the functions configure found missing.
 * The shims live in common/compat/ and are built through LIBOBJS, so a
 * platform that has the real function never compiles them.
 */
#ifndef AK_COMPAT_H
#define AK_COMPAT_H

#include <stddef.h>

#if !HAVE_DECL_STRLCPY
size_t	strlcpy(char *, const char *, size_t);
#endif
#if !HAVE_DECL_STRLCAT
size_t	strlcat(char *, const char *, size_t);
#endif
#if !HAVE_DECL_REALLOCARRAY
void	*reallocarray(void *, size_t, size_t);
#endif
#if !HAVE_DECL_STRTONUM
long long strtonum(const char *, long long, long long, const char **);
#endif
#if !HAVE_DECL_CLOSEFROM
void	closefrom(int);
#endif

#ifndef __dead
#define __dead __attribute__((__noreturn__))
#endif
#ifndef __printflike
#define __printflike(a, b) __attribute__((__format__(__printf__, a, b)))
#endif
#ifndef nitems
#define nitems(a) (sizeof(a) / sizeof((a)[0]))
#endif

#endif /* AK_COMPAT_H */
