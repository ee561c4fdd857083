/*
 * test_compat.c: the shims (or the libc functions they stand for) behave
 * as the OpenBSD originals.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "tap.h"

int
main(void)
{
	char		 buf[8];
	const char	*errstr;
	long long	 v;
	int		 fd, fd2;
	volatile size_t	 huge = SIZE_MAX / 2;

	is_int((long long)strlcpy(buf, "abcdefghij", sizeof(buf)), 10,
	    "strlcpy returns the source length");
	is_str(buf, "abcdefg", "strlcpy truncates and terminates");
	strlcpy(buf, "ab", sizeof(buf));
	is_int((long long)strlcat(buf, "cdefghij", sizeof(buf)), 10,
	    "strlcat returns the wanted length");
	is_str(buf, "abcdefg", "strlcat truncates and terminates");

	v = strtonum("42", 1, 100, &errstr);
	ok(v == 42 && errstr == NULL, "strtonum parses in range");
	v = strtonum("420", 1, 100, &errstr);
	ok(v == 0 && errstr != NULL && strcmp(errstr, "too large") == 0,
	    "strtonum: too large");
	v = strtonum("0", 1, 100, &errstr);
	ok(errstr != NULL && strcmp(errstr, "too small") == 0,
	    "strtonum: too small");
	v = strtonum("4x", 1, 100, &errstr);
	ok(errstr != NULL && strcmp(errstr, "invalid") == 0,
	    "strtonum: invalid");
	v = strtonum("", 1, 100, &errstr);
	ok(errstr != NULL && strcmp(errstr, "invalid") == 0,
	    "strtonum: empty is invalid");

	/* volatile: the compiler must not see the overflow coming. */
	errno = 0;
	ok(reallocarray(NULL, huge, 3) == NULL && errno == ENOMEM,
	    "reallocarray refuses an overflowing size");

	fd = open("/dev/null", O_RDONLY);
	fd2 = dup2(fd, 200);
	closefrom(100);
	ok(fcntl(fd, F_GETFD) != -1, "closefrom keeps lower descriptors");
	ok(fd2 == 200 && fcntl(200, F_GETFD) == -1 && errno == EBADF,
	    "closefrom closes higher descriptors");
	close(fd);
	return tap_done();
}
