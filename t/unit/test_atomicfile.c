/*
 * test_atomicfile.c: replace-by-rename keeps the old file until commit,
 * abort leaves nothing behind, appends from many processes stay whole.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomicfile.h"
#include "atomicio.h"
#include "tap.h"

static char	dir[] = "/tmp/test_atomicfile.XXXXXX";

static const char *
slurp(const char *path)
{
	static char	buf[1 << 20];
	int		fd;
	ssize_t		n;

	if ((fd = open(path, O_RDONLY)) == -1)
		return NULL;
	n = atomicio_read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

static int
count_entries(void)
{
	DIR		*d = opendir(dir);
	struct dirent	*de;
	int		 n = 0;

	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void
test_replace(void)
{
	struct atomicfile	af;
	struct stat		st;
	char			path[256];

	snprintf(path, sizeof(path), "%s/blocked", dir);
	ok(atomicfile_replace(path, "old\n", 4, 0644) == 0, "replace creates");
	is_str(slurp(path), "old\n", "contents written");
	stat(path, &st);
	is_int(st.st_mode & 0777, 0644, "mode applied");

	ok(atomicfile_open(&af, path, 0600) == 0, "open for replacement");
	atomicfile_printf(&af, "new %d\n", 1);
	is_str(slurp(path), "old\n", "old contents visible until commit");
	is_int(count_entries(), 2, "temporary file beside the target");
	ok(atomicfile_commit(&af) == 0, "commit");
	is_str(slurp(path), "new 1\n", "new contents after commit");
	is_int(count_entries(), 1, "no temporary left after commit");

	atomicfile_open(&af, path, 0600);
	atomicfile_printf(&af, "discarded\n");
	atomicfile_abort(&af);
	is_str(slurp(path), "new 1\n", "abort keeps the old file");
	is_int(count_entries(), 1, "abort removes the temporary");

	errno = 0;
	ok(atomicfile_replace("/nonexistent-dir/x", "x", 1, 0644) == -1 &&
	    errno == ENOENT, "replace in a missing directory fails (ENOENT)");
}

static void
test_append(void)
{
	char		 path[256];
	const char	*text, *p;
	int		 i, j, st, lines = 0, good = 1;

	snprintf(path, sizeof(path), "%s/history", dir);
	ok(atomicfile_append_line(path, "first", 0600) == 0, "append creates");
	is_str(slurp(path), "first\n", "newline added");
	/* Eight writers, 200 long lines each: none may interleave. */
	for (i = 0; i < 8; i++) {
		if (fork() == 0) {
			char	line[600];

			memset(line, 'a' + i, sizeof(line) - 1);
			line[sizeof(line) - 1] = '\0';
			for (j = 0; j < 200; j++)
				if (atomicfile_append_line(path, line,
				    0600) == -1)
					_exit(1);
			_exit(0);
		}
	}
	for (i = 0; i < 8; i++) {
		wait(&st);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			good = 0;
	}
	ok(good, "all writers succeeded");
	text = slurp(path);
	for (p = strchr(text, '\n') + 1; *p != '\0'; p += 600) {
		lines++;
		if (strspn(p, (char[]){ p[0], '\0' }) != 599 || p[599] != '\n')
			good = 0;
	}
	is_int(lines, 1600, "1600 lines appended");
	ok(good, "every line is whole");
	unlink(path);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL)
		tap_skip_all("mkdtemp failed");
	test_replace();
	test_append();
	{
		char	path[256];

		snprintf(path, sizeof(path), "%s/blocked", dir);
		unlink(path);
		rmdir(dir);
	}
	return tap_done();
}
