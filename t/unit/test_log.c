/*
 * test_log.c: the log module's escaping, levels and file destination.
 */
#include "config.h"

#include <sys/stat.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "tap.h"

static void
test_escape(void)
{
	char	buf[64];

	(void)log_escape(buf, sizeof(buf), "plain text");
	is_str(buf, "plain text", "printable ASCII passes");
	(void)log_escape(buf, sizeof(buf), "evil\nSTART: x");
	is_str(buf, "evil\\x0aSTART: x", "newline cannot forge a line");
	(void)log_escape(buf, sizeof(buf), "a\\b\x1b[31m\xc3\xa9");
	is_str(buf, "a\\\\b\\x1b[31m\\xc3\\xa9", "backslash, ESC, UTF-8");
	(void)log_escape(buf, 6, "ab\ncd");
	is_str(buf, "ab", "escape is never split at the buffer end");
	is_int((long long)log_escape(buf, 0, "x"), 0, "zero-size buffer");
}

static char *
slurp(const char *path)
{
	static char	buf[4096];
	int		fd;
	ssize_t		n;

	if ((fd = open(path, O_RDONLY)) == -1)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

static void
test_file(void)
{
	char	 path[] = "/tmp/test_log.XXXXXX";
	char	*text, *p;
	int	 fd;

	if ((fd = mkstemp(path)) == -1) {
		tap_skip("mkstemp failed");
		return;
	}
	close(fd);
	log_init("/usr/sbin/tlog");
	ok(log_to_file(path) == 0, "log_to_file opens %s", path);
	is_int(log_destination(), LOG_DEST_FILE, "destination is the file");
	log_set_level(LOG_INFO);
	log_info("hello %d", 42);
	log_debug("not shown");
	log_msg(LOG_ERR, "ERROR: with\tcontrol");
	log_close();
	text = slurp(path);
	if (!ok(text != NULL, "log file readable"))
		return;
	p = strstr(text, "tlog[");
	ok(p != NULL, "ident is the basename with the pid");
	ok(strstr(text, "]: hello 42\n") != NULL, "info line written");
	ok(strstr(text, "not shown") == NULL, "debug filtered by level");
	ok(strstr(text, "]: ERROR: with\\x09control\n") != NULL,
	    "tab escaped in file line");
	/* YY/MM/DD@HH:MM:SS stamp, as xinetd stamps its own lines. */
	ok(strlen(text) > 17 && text[2] == '/' && text[5] == '/' &&
	    text[8] == '@' && text[11] == ':' && text[14] == ':',
	    "xinetd-style time stamp");
	unlink(path);
	ok(log_to_file("/nonexistent-dir/x.log") == -1,
	    "log_to_file fails on a bad path");
	is_int(log_destination(), LOG_DEST_STDERR, "destination unchanged");
}

int
main(void)
{
	test_escape();
	test_file();
	return tap_done();
}
