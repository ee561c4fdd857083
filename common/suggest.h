/*
 * suggest.h: "did you mean ...?" for mistyped configuration words.
 *
 * Students copy configurations out of books, typos included; a parser
 * that knows its vocabulary can say what was probably meant.  The distance
 * is Damerau-Levenshtein (a swap of neighbours is one edit, as in
 * "deamon"), case-insensitive; a word is suggested only when it is close
 * enough to be a slip of the fingers rather than another word.
 */
#ifndef AK_SUGGEST_H
#define AK_SUGGEST_H

#include <stddef.h>

/* Words longer than this are never matched (no config word is). */
#define SUGGEST_MAXLEN	64

size_t	suggest_distance(const char *, const char *);
/* The nearest of n words (a NULL-terminated list when n is 0), or NULL. */
const char *suggest_word(const char *word, const char *const *words,
	    size_t n);
/*
 * The same over a table of n structures of the given size whose first
 * member is the word (const char *), as tables of names and values are.
 */
const char *suggest_word_in(const char *word, const void *table, size_t n,
	    size_t size);
/*
 * 1 when a word says yes in another configuration language ("true",
 * "on", "1"), 0 when it says no ("false", "off"), else -1.
 */
int	suggest_boolean(const char *);
/*
 * Appends " (did you mean X?)" to buf when a word is near; returns buf.
 * buf must hold a NUL-terminated string.
 */
char	*suggest_append(char *buf, size_t len, const char *word,
	    const char *const *words, size_t n);

#endif /* AK_SUGGEST_H */
