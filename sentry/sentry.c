/*
 * sentry.c: the port-scan detector's entry point.
 *
 * Modes and detection come in later modules; until then every mode is
 * refused rather than ignored.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: sentry [-h] [-V] "
	    "[-tcp | -udp | -stcp | -sudp | -atcp | -audp]\n");
}

int
main(int argc, char *argv[])
{
	if (argc == 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc == 2 && (strcmp(argv[1], "-V") == 0 ||
	    strcmp(argv[1], "--version") == 0)) {
		printf("sentry (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return 0;
	}
	if (argc == 2 && argv[1][0] == '-') {
		static const char *modes[] = {
			"-tcp", "-udp", "-stcp", "-sudp", "-atcp", "-audp"
		};
		size_t	i;

		for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
			if (strcmp(argv[1], modes[i]) == 0) {
				fprintf(stderr, "sentry: mode %s is not "
				    "implemented in this build\n", argv[1]);
				return 1;
			}
		}
	}
	usage(stderr);
	return 1;
}
