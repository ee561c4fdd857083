/*
 * suggest.c: the nearest known word to a mistyped one.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "compat.h"
#include "suggest.h"

static size_t
min3(size_t a, size_t b, size_t c)
{
	size_t	m = a < b ? a : b;

	return m < c ? m : c;
}

/*
 * The optimal string alignment distance: insertions, deletions,
 * substitutions and transpositions of adjacent letters, each one edit.
 * Inputs past SUGGEST_MAXLEN count as infinitely far.
 */
size_t
suggest_distance(const char *a, const char *b)
{
	size_t	d[SUGGEST_MAXLEN + 1][SUGGEST_MAXLEN + 1];
	size_t	la = strlen(a), lb = strlen(b), i, j, cost;

	if (la > SUGGEST_MAXLEN || lb > SUGGEST_MAXLEN)
		return (size_t)-1;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			cost = tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]);
			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1,
			    d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 &&
			    tolower((unsigned char)a[i - 1]) ==
			    tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) ==
			    tolower((unsigned char)b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	}
	return d[la][lb];
}

/*
 * How many edits still read as a typo of a word this long: one in a short
 * word, two in a longer one, three in a long one.  Anything more is more
 * likely another word than a slip.
 */
static size_t
suggest_budget(size_t len)
{
	if (len <= 4)
		return 1;
	if (len <= 9)
		return 2;
	return 3;
}

const char *
suggest_word(const char *word, const char *const *words, size_t n)
{
	if (n == 0)
		while (words[n] != NULL)
			n++;
	return suggest_word_in(word, words, n, sizeof(*words));
}

const char *
suggest_word_in(const char *word, const void *table, size_t n, size_t size)
{
	const char	*best = NULL, *w;
	size_t		 i, d, bestd = (size_t)-1;

	if (word == NULL || *word == '\0')
		return NULL;
	for (i = 0; i < n; i++) {
		memcpy(&w, (const char *)table + i * size, sizeof(w));
		if (w == NULL || *w == '\0')
			continue;
		d = suggest_distance(word, w);
		if (d < bestd) {
			bestd = d;
			best = w;
		}
	}
	if (best == NULL || bestd > suggest_budget(strlen(best)) ||
	    bestd >= strlen(word))
		return NULL;
	/* The same word in another case is a suggestion too. */
	if (bestd == 0 && strcmp(word, best) == 0)
		return NULL;
	return best;
}

int
suggest_boolean(const char *word)
{
	static const char *const yes[] = { "yes", "true", "on", "y", "1",
	    "enable", "enabled" };
	static const char *const no[] = { "no", "false", "off", "n", "0",
	    "disable", "disabled" };
	size_t	i;

	for (i = 0; i < nitems(yes); i++)
		if (strcasecmp(word, yes[i]) == 0)
			return 1;
	for (i = 0; i < nitems(no); i++)
		if (strcasecmp(word, no[i]) == 0)
			return 0;
	return -1;
}

char *
suggest_append(char *buf, size_t len, const char *word,
    const char *const *words, size_t n)
{
	const char	*s;
	size_t		 used = strlen(buf);

	if ((s = suggest_word(word, words, n)) != NULL && used < len)
		(void)snprintf(buf + used, len - used, " (did you mean %s?)",
		    s);
	return buf;
}
