/*
 * reason.c: "invalid <what> '<input>': <reason>" messages for parsers.
 * Both functions return -1, so a parser can say "return reason_set(...)".
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "reason.h"

int
reason_set(struct reason *r, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	(void)vsnprintf(r->buf, sizeof(r->buf), fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * The input is cut at REASON_QUOTE_MAX bytes, and the whole line is
 * escaped, as the input (and the parts of it a reason quotes) may come
 * from anywhere.
 */
int
reason_report(char *err, size_t errlen, const char *what, const char *input,
    const struct reason *r)
{
	char	msg[REASON_QUOTE_MAX + sizeof(r->buf) + 64];

	if (err == NULL || errlen == 0)
		return -1;
	(void)snprintf(msg, sizeof(msg), "invalid %s '%.*s%s': %s", what,
	    REASON_QUOTE_MAX, input,
	    strlen(input) > REASON_QUOTE_MAX ? "..." : "", r->buf);
	(void)log_escape(err, errlen, msg);
	return -1;
}
