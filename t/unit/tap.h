/*
 * tap.h: a tiny Test Anything Protocol emitter for the C unit tests.
 * Each test program prints "ok N - name" lines and, at the end, the plan.
 */
#ifndef AK_TAP_H
#define AK_TAP_H

#include "compat.h"

int	tap_ok(int, const char *, ...) __printflike(2, 3);
int	tap_is_str(const char *, const char *, const char *, ...)
	    __printflike(3, 4);
int	tap_is_int(long long, long long, const char *, ...) __printflike(3, 4);
void	tap_skip(const char *, ...) __printflike(1, 2);
void	tap_diag(const char *, ...) __printflike(1, 2);
__dead void tap_skip_all(const char *, ...) __printflike(1, 2);
int	tap_done(void);

#define ok	tap_ok
#define is_str	tap_is_str
#define is_int	tap_is_int

#endif /* AK_TAP_H */
