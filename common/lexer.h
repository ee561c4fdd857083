/*
 * lexer.h: the shared tokenizer for configuration files.
 *
 * It reads logical lines (optionally joining backslash-newline
 * continuations), tracks the file name and line numbers for
 * "file:line: message" diagnostics, and splits a line into words.  The
 * grammar of each format (xinetd.conf, inetd.conf, portsentry.conf,
 * hosts.allow) belongs to its parser; this module only cuts the text.
 */
#ifndef AK_LEXER_H
#define AK_LEXER_H

#include <stddef.h>
#include <stdio.h>

#include "compat.h"

/* Longest logical line; a longer one is an error, never split. */
#define LEXER_LINE_MAX	16384

/* Flags for lexer_next_line(). */
#define LEX_CONTINUE	0x01	/* join lines ending in a backslash */
#define LEX_COMMENTS	0x02	/* skip lines whose first non-blank is '#' */
#define LEX_BLANKS	0x04	/* skip empty and all-blank lines */
#define LEX_TRAILING	0x08	/* strip "# ..." after a blank, mid-line */

struct lexer {
	const char	*path;		/* name used in diagnostics */
	FILE		*fp;
	int		 owns_fp;
	int		 line;		/* first physical line of this one */
	int		 lastline;	/* last physical line of this one */
	int		 nextline;	/* physical lines consumed so far */
	char		*buf;		/* the current logical line */
	int		 nerrors;
	int		 nwarnings;
	int		 quiet;		/* count diagnostics, print nothing */
};

int	 lexer_open(struct lexer *, const char *path);
void	 lexer_open_stream(struct lexer *, FILE *, const char *name);
void	 lexer_close(struct lexer *);
int	 lexer_next_line(struct lexer *, int flags);
char	*lexer_word(char **cursor);
char	*lexer_word_sep(char **cursor, const char *seps);
char	*lexer_trim(char *);
void	 lexer_error(struct lexer *, const char *, ...) __printflike(2, 3);
void	 lexer_warn(struct lexer *, const char *, ...) __printflike(2, 3);

#endif /* AK_LEXER_H */
