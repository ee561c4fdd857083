/*
 * test_lexer.c: logical lines, continuations, comments, words, line
 * numbers and "file:line: message" diagnostics.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lexer.h"
#include "log.h"
#include "tap.h"

static FILE *
text_stream(const char *text)
{
	FILE	*fp = tmpfile();

	if (fp == NULL)
		abort();
	fputs(text, fp);
	rewind(fp);
	return fp;
}

static void
test_lines(void)
{
	struct lexer	 lx;
	FILE		*fp;

	fp = text_stream("# comment\n\nservice echo\n  # indented\n"
	    "server_args = a \\\n b\nlast # trailing\nno-newline");
	lexer_open_stream(&lx, fp, "t.conf");
	is_int(lexer_next_line(&lx, LEX_COMMENTS | LEX_BLANKS |
	    LEX_CONTINUE | LEX_TRAILING), 1, "first line read");
	is_str(lx.buf, "service echo", "comments and blanks skipped");
	is_int(lx.line, 3, "line number of the first real line");
	lexer_next_line(&lx, LEX_COMMENTS | LEX_BLANKS | LEX_CONTINUE |
	    LEX_TRAILING);
	is_str(lx.buf, "server_args = a  b", "continuation joined");
	is_int(lx.line, 5, "continued line starts on line 5");
	is_int(lx.lastline, 6, "and ends on line 6");
	lexer_next_line(&lx, LEX_COMMENTS | LEX_BLANKS | LEX_CONTINUE |
	    LEX_TRAILING);
	is_str(lx.buf, "last ", "trailing comment stripped");
	lexer_next_line(&lx, 0);
	is_str(lx.buf, "no-newline", "last line without newline");
	is_int(lexer_next_line(&lx, 0), 0, "end of file");
	lexer_close(&lx);
	fclose(fp);
}

static void
test_hash_in_word(void)
{
	struct lexer	 lx;
	FILE		*fp = text_stream("banner = /x#y # note\n");

	lexer_open_stream(&lx, fp, "t.conf");
	lexer_next_line(&lx, LEX_TRAILING);
	is_str(lx.buf, "banner = /x#y ", "# inside a word is kept");
	lexer_close(&lx);
	fclose(fp);
}

static void
test_long_line(void)
{
	struct lexer	 lx;
	FILE		*fp = tmpfile();
	int		 i;

	for (i = 0; i < LEXER_LINE_MAX + 10; i++)
		fputc('x', fp);
	fputs("\nafter\n", fp);
	rewind(fp);
	lexer_open_stream(&lx, fp, "long.conf");
	lx.quiet = 1;
	is_int(lexer_next_line(&lx, 0), 1, "a line after the long one");
	is_str(lx.buf, "after", "overlong line skipped, never split");
	is_int(lx.line, 2, "on line 2");
	is_int(lx.nerrors, 1, "overlong line counted as an error");
	lexer_close(&lx);
	fclose(fp);
}

static void
test_words(void)
{
	char	 line[] = "  service\techo  {  ";
	char	 list[] = "a, b,,c";
	char	*cur = line, *w;

	w = lexer_word(&cur);
	is_str(w, "service", "first word");
	w = lexer_word(&cur);
	is_str(w, "echo", "second word");
	w = lexer_word(&cur);
	is_str(w, "{", "third word");
	ok(lexer_word(&cur) == NULL, "no fourth word");
	cur = list;
	is_str(lexer_word_sep(&cur, ", "), "a", "comma list 1");
	is_str(lexer_word_sep(&cur, ", "), "b", "comma list 2");
	is_str(lexer_word_sep(&cur, ", "), "c", "empty elements skipped");
	ok(lexer_word_sep(&cur, ", ") == NULL, "end of list");
	{
		char	t[] = "  padded  ";

		is_str(lexer_trim(t), "padded", "trim");
	}
}

static void
test_diagnostics(void)
{
	struct lexer	 lx;
	char		 path[] = "/tmp/test_lexer.XXXXXX", buf[256];
	FILE		*fp = text_stream("one\ntwo\n");
	int		 fd;
	ssize_t		 n;

	fd = mkstemp(path);
	close(fd);
	log_init("tlex");
	log_to_file(path);
	lexer_open_stream(&lx, fp, "/etc/x.conf");
	lexer_next_line(&lx, 0);
	lexer_next_line(&lx, 0);
	lexer_error(&lx, "unknown attribute '%s'", "bogus");
	lexer_warn(&lx, "deprecated");
	is_int(lx.nerrors, 1, "error counted");
	is_int(lx.nwarnings, 1, "warning counted");
	log_close();
	fd = open(path, O_RDONLY);
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n < 0 ? 0 : n] = '\0';
	close(fd);
	unlink(path);
	ok(strstr(buf, ": /etc/x.conf:2: unknown attribute 'bogus'\n") !=
	    NULL, "error says file:line: message");
	ok(strstr(buf, ": /etc/x.conf:2: deprecated\n") != NULL,
	    "warning says file:line: message");
	lexer_close(&lx);
	fclose(fp);
	ok(lexer_open(&lx, "/nonexistent/x.conf") == -1,
	    "lexer_open fails on a missing file");
}

int
main(void)
{
	test_lines();
	test_hash_in_word();
	test_long_line();
	test_words();
	test_diagnostics();
	return tap_done();
}
