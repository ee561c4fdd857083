/*
 * lexer.c: logical lines and words for the configuration parsers.
 *
 * Diagnostics go through the log module as "file:line: message", so a
 * daemon's check-only mode prints them on stderr and a running daemon
 * sends them to its log; the counts let a parser report every problem in
 * a file before deciding whether the file is usable.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"
#include "log.h"
#include "xmalloc.h"

/* Returns -1 with errno set when the file cannot be opened. */
int
lexer_open(struct lexer *lx, const char *path)
{
	FILE	*fp;

	if ((fp = fopen(path, "re")) == NULL)
		return -1;
	lexer_open_stream(lx, fp, path);
	lx->owns_fp = 1;
	return 0;
}

void
lexer_open_stream(struct lexer *lx, FILE *fp, const char *name)
{
	memset(lx, 0, sizeof(*lx));
	lx->path = name;
	lx->fp = fp;
	lx->buf = xmalloc(LEXER_LINE_MAX + 1);
	lx->buf[0] = '\0';
}

void
lexer_close(struct lexer *lx)
{
	if (lx->owns_fp && lx->fp != NULL)
		(void)fclose(lx->fp);
	lx->fp = NULL;
	free(lx->buf);
	lx->buf = NULL;
}

/*
 * Read one physical line into buf+len.  Returns 1 for a line, 0 at end of
 * file, -1 when the line does not fit (the rest of it is consumed, so the
 * next call starts on the following line).
 */
static int
lexer_read_physical(struct lexer *lx, size_t len)
{
	size_t	n;
	int	c;

	if (fgets(lx->buf + len, (int)(LEXER_LINE_MAX + 1 - len),
	    lx->fp) == NULL)
		return 0;
	lx->nextline++;
	n = len + strlen(lx->buf + len);
	if (n > 0 && lx->buf[n - 1] == '\n') {
		lx->buf[--n] = '\0';
		return 1;
	}
	if (n < LEXER_LINE_MAX || feof(lx->fp))
		return 1;	/* last line without a newline */
	/* Overlong: swallow the remainder of the physical line. */
	while ((c = getc(lx->fp)) != EOF && c != '\n')
		;
	return -1;
}

static int
lexer_is_blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

/* Cut "# comment" that follows a blank, as xinetd users expect to work. */
static void
lexer_strip_trailing(char *s)
{
	char	*p;

	for (p = s; (p = strchr(p, '#')) != NULL; p++) {
		if (p == s || isspace((unsigned char)p[-1])) {
			*p = '\0';
			return;
		}
	}
}

/*
 * Read the next logical line into lx->buf.  Returns 1 for a line, 0 at end
 * of file, -1 on a read error.  Overlong lines are reported and skipped.
 */
int
lexer_next_line(struct lexer *lx, int flags)
{
	size_t	len;
	int	r;

	for (;;) {
		len = 0;
		lx->line = lx->nextline + 1;
		for (;;) {
			r = lexer_read_physical(lx, len);
			if (r == 0) {
				if (ferror(lx->fp))
					return -1;
				if (len == 0)
					return 0;
				break;	/* continuation at end of file */
			}
			if (r == -1)
				break;
			len = strlen(lx->buf);
			if (!(flags & LEX_CONTINUE) || len == 0 ||
			    lx->buf[len - 1] != '\\')
				break;
			lx->buf[--len] = '\0';
		}
		lx->lastline = lx->nextline;
		if (r == -1) {
			lexer_error(lx, "line longer than %d bytes",
			    LEXER_LINE_MAX);
			continue;
		}
		if (flags & LEX_COMMENTS) {
			char	*p = lx->buf;

			while (isspace((unsigned char)*p))
				p++;
			if (*p == '#')
				continue;
		}
		if (flags & LEX_TRAILING)
			lexer_strip_trailing(lx->buf);
		if ((flags & LEX_BLANKS) && lexer_is_blank(lx->buf))
			continue;
		return 1;
	}
}

/* The next blank-separated word at *cursor, NUL-terminated in place. */
char *
lexer_word(char **cursor)
{
	return lexer_word_sep(cursor, " \t\r\n\f\v");
}

/*
 * The next word at *cursor delimited by any byte of seps.  Leading
 * separators are skipped; returns NULL when nothing is left.
 */
char *
lexer_word_sep(char **cursor, const char *seps)
{
	char	*s = *cursor, *w;

	if (s == NULL)
		return NULL;
	s += strspn(s, seps);
	if (*s == '\0') {
		*cursor = s;
		return NULL;
	}
	w = s;
	s += strcspn(s, seps);
	if (*s != '\0')
		*s++ = '\0';
	*cursor = s;
	return w;
}

/* Strip leading and trailing blanks in place. */
char *
lexer_trim(char *s)
{
	char	*e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static void	lexer_report(struct lexer *, int, const char *, va_list)
		    __printflike(3, 0);

static void
lexer_report(struct lexer *lx, int priority, const char *fmt, va_list ap)
{
	char	msg[1024];

	if (lx->quiet)
		return;
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	log_msg(priority, "%s:%d: %s", lx->path, lx->line, msg);
}

void
lexer_error(struct lexer *lx, const char *fmt, ...)
{
	va_list	ap;

	lx->nerrors++;
	va_start(ap, fmt);
	lexer_report(lx, LOG_ERR, fmt, ap);
	va_end(ap);
}

void
lexer_warn(struct lexer *lx, const char *fmt, ...)
{
	va_list	ap;

	lx->nwarnings++;
	va_start(ap, fmt);
	lexer_report(lx, LOG_WARNING, fmt, ap);
	va_end(ap);
}
