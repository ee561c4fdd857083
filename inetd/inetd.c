/*
 * inetd.c: the internet super-server's entry point.
 *
 * Options are parsed here; the service configuration, the poll loop and
 * the spawning of servers come in later modules.  Until they exist every
 * option that would start serving is refused rather than ignored.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access.h"
#include "log.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: inetd [-dhnV] [-f config_file] [-p pidfile] "
	    "[config_file]\n"
	    "       inetd [-W dir] -A daemon[@server] [user@]client\n");
}

int
main(int argc, char *argv[])
{
	int	ch;

	log_init(argv[0]);
	if (access_requested(argc, argv))
		return access_main(argc, argv);
	/* xinetd's word option, accepted for drop-in use. */
	if (argc == 2 && strcmp(argv[1], "-version") == 0) {
		printf("inetd (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return 0;
	}
	while ((ch = getopt(argc, argv, "hV")) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("inetd (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	fatalx("serving is not implemented in this build");
}
