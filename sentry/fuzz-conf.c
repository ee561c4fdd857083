/*
 * fuzz-conf.c: a libFuzzer target for sentry's parsers of text from
 * files: portsentry.conf, the ignore file, the lines of the blocked and
 * history files, and the macros of the command templates.  Built only on demand:
 *
 *	make fuzz-sentry CC=clang	(then ./sentry/fuzz-conf -max_total_time=60)
 *
 * The first input byte picks the parser (and, for the configuration, the
 * modes to check it for); the rest is the text.
 */
#include "config.h"

#include <sys/types.h>
#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "sentry.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_conf(const char *text, size_t len, unsigned modes)
{
	struct sentry_conf	 cf;
	FILE			*fp;

	if ((fp = fmemopen((void *)(uintptr_t)text, len, "r")) == NULL)
		return;
	(void)conf_parse_stream(&cf, fp, "fuzz.conf", modes & MODES_ALL, 1);
	(void)fclose(fp);
	conf_free(&cf);
}

static void
fuzz_ignore(const char *text, size_t len)
{
	struct ignore	 ig;
	struct addr	 a;
	FILE		*fp;
	int		 nerr;

	memset(&ig, 0, sizeof(ig));
	if ((fp = fmemopen((void *)(uintptr_t)text, len, "r")) == NULL)
		return;
	(void)ignore_parse_stream(&ig, fp, "fuzz.ignore", 1, &nerr);
	(void)fclose(fp);
	(void)addr_parse(&a, "192.0.2.1", NULL, 0);
	(void)ignore_has(&ig, &a);
	ignore_free(&ig);
}

static void
fuzz_history(const char *text)
{
	struct history_entry	e;
	char			back[RECORD_LINE_MAX];

	if (history_parse(text, &e) == 0)
		(void)history_format(back, sizeof(back), &e);
}

static void
fuzz_template(const char *text)
{
	struct command_macros	 m;
	struct addr		 a;
	char			*s;

	(void)addr_parse(&a, "2001:db8::1", NULL, 0);
	m.target = &a;
	m.port = 65535;
	m.mode = MODE_AUDP;
	if ((s = command_expand(text, &m, 1)) != NULL)
		free(s);
	(void)command_needs_shell(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*buf;

	if (size < 1)
		return 0;
	/* NUL-terminated, as fgets() hands the parsers their lines. */
	buf = xmalloc(size);
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	switch (data[0] % 4) {
	case 0:
		fuzz_conf(buf, size - 1, data[0] >> 2);
		break;
	case 3:
		fuzz_ignore(buf, size - 1);
		break;
	case 1:
		fuzz_history(buf);
		break;
	default:
		fuzz_template(buf);
		break;
	}
	free(buf);
	return 0;
}
