/*
 * test_suggest.c: typos from copied textbook configurations find their
 * word, and unrelated words find none.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "suggest.h"
#include "tap.h"

static const char *const logtypes[] = { "SYSLOG", "FILE", NULL };
static const char *const facilities[] = {
	"auth", "authpriv", "cron", "daemon", "ftp", "kern", "local0",
	"lpr", "mail", "news", "syslog", "user", "uucp", NULL
};
static const char *const flags[] = {
	"INTERCEPT", "NORETRY", "IDONLY", "NAMEINARGS", "NODELAY",
	"KEEPALIVE", "NOLIBWRAP", "SENSOR", "IPv4", "IPv6", "LABELED",
	"REUSE", "DISABLE", NULL
};
static const char *const keywords[] = {
	"defaults", "service", "include", "includedir", NULL
};

static void
test_distance(void)
{
	is_int((long long)suggest_distance("", ""), 0, "empty");
	is_int((long long)suggest_distance("abc", ""), 3, "all deleted");
	is_int((long long)suggest_distance("deamon", "daemon"), 1,
	    "a swap is one edit");
	is_int((long long)suggest_distance("STSLOG", "syslog"), 1,
	    "case does not count");
	is_int((long long)suggest_distance("kitten", "sitting"), 3,
	    "the classic example");
	ok(suggest_distance("x", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") == (size_t)-1,
	    "overlong words are infinitely far");
}

static void
test_words(void)
{
	char	buf[128];

	is_str(suggest_word("STSLOG", logtypes, 0), "SYSLOG", "STSLOG");
	is_str(suggest_word("deamon", facilities, 0), "daemon", "deamon");
	is_str(suggest_word("IDPNLY", flags, 0), "IDONLY", "IDPNLY");
	is_str(suggest_word("DISARLE", flags, 0), "DISABLE", "DISARLE");
	is_str(suggest_word("Includedir", keywords, 0), "includedir",
	    "another case");
	ok(suggest_word("includedir", keywords, 0) == NULL,
	    "the word itself suggests nothing");
	ok(suggest_word("banana", facilities, 0) == NULL,
	    "an unrelated word suggests nothing");
	ok(suggest_word("x", flags, 0) == NULL, "one letter suggests nothing");
	ok(suggest_word("", flags, 0) == NULL, "nor does nothing");
	is_str(suggest_word("SYSLGO", logtypes, 1), "SYSLOG",
	    "a counted list");
	ok(suggest_word("FILE", logtypes, 1) == NULL,
	    "the count bounds the list");

	(void)strlcpy(buf, "bad log type 'STSLOG'", sizeof(buf));
	is_str(suggest_append(buf, sizeof(buf), "STSLOG", logtypes, 0),
	    "bad log type 'STSLOG' (did you mean SYSLOG?)", "appended");
	(void)strlcpy(buf, "bad", sizeof(buf));
	is_str(suggest_append(buf, sizeof(buf), "zzzzzz", logtypes, 0), "bad",
	    "nothing appended when nothing is near");
	(void)strlcpy(buf, "bad", sizeof(buf));
	is_str(suggest_append(buf, 10, "STSLOG", logtypes, 0), "bad (did ",
	    "cut to the buffer");
}

static void
test_tables(void)
{
	static const struct { const char *name; int value; } levels[] = {
		{ "emerg", 0 }, { "err", 3 }, { "warning", 4 }, { "info", 6 }
	};

	is_str(suggest_word_in("inof", levels, nitems(levels),
	    sizeof(levels[0])), "info", "a table of names and values");
	ok(suggest_word_in("warning", levels, nitems(levels),
	    sizeof(levels[0])) == NULL, "a name of the table suggests nothing");
	ok(suggest_word_in("info", levels, 2, sizeof(levels[0])) == NULL,
	    "the count bounds the table");
	is_int(suggest_boolean("True"), 1, "True says yes");
	is_int(suggest_boolean("off"), 0, "off says no");
	is_int(suggest_boolean("maybe"), -1, "maybe says neither");
}

int
main(void)
{
	test_distance();
	test_words();
	test_tables();
	return tap_done();
}
