/*
 * reason.h: the parsers' error messages, built in two steps.
 *
 * Deep in a parse only the reason is known ("octet 300 out of range"); at
 * the top, the whole input.  reason_set() records the first, and
 * reason_report() writes "invalid <what> '<input>': <reason>" for the
 * caller, with the input cut short and the line escaped.
 */
#ifndef AK_REASON_H
#define AK_REASON_H

#include <stddef.h>

#include "compat.h"

/* Bytes of the input quoted in a message before "..." cuts it. */
#define REASON_QUOTE_MAX	128

struct reason {
	char	buf[256];
};

int	reason_set(struct reason *, const char *, ...) __printflike(2, 3);
int	reason_report(char *err, size_t errlen, const char *what,
	    const char *input, const struct reason *);

#endif /* AK_REASON_H */
