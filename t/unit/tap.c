/*
 * tap.c: a tiny Test Anything Protocol emitter.
 *
 * The plan is printed last ("1..N"), which TAP allows, so a test file never
 * has to count its assertions by hand.  Failures print what was expected
 * and what came, as TAP diagnostics.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

static int	tap_count;
static int	tap_failed;

static int	tap_vresult(int, const char *, va_list) __printflike(2, 0);

static int
tap_vresult(int pass, const char *fmt, va_list ap)
{
	tap_count++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_count);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
	return pass;
}

int
tap_ok(int pass, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	(void)tap_vresult(pass, fmt, ap);
	va_end(ap);
	return pass;
}

int
tap_is_str(const char *got, const char *want, const char *fmt, ...)
{
	va_list	ap;
	int	pass;

	if (got == NULL || want == NULL)
		pass = got == want;
	else
		pass = strcmp(got, want) == 0;
	va_start(ap, fmt);
	(void)tap_vresult(pass, fmt, ap);
	va_end(ap);
	if (!pass) {
		tap_diag("     got: %s%s%s", got ? "'" : "", got ? got : "NULL",
		    got ? "'" : "");
		tap_diag("expected: %s%s%s", want ? "'" : "",
		    want ? want : "NULL", want ? "'" : "");
	}
	return pass;
}

int
tap_is_int(long long got, long long want, const char *fmt, ...)
{
	va_list	ap;
	int	pass = got == want;

	va_start(ap, fmt);
	(void)tap_vresult(pass, fmt, ap);
	va_end(ap);
	if (!pass) {
		tap_diag("     got: %lld", got);
		tap_diag("expected: %lld", want);
	}
	return pass;
}

void
tap_skip(const char *fmt, ...)
{
	va_list	ap;

	tap_count++;
	printf("ok %d # SKIP ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

void
tap_diag(const char *fmt, ...)
{
	va_list	ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

void
tap_skip_all(const char *fmt, ...)
{
	va_list	ap;

	printf("1..0 # SKIP ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(0);
}

/* Print the plan; the return value is the test program's exit status. */
int
tap_done(void)
{
	printf("1..%d\n", tap_count);
	fflush(stdout);
	return tap_failed != 0;
}
