/*
 * pscan.c: the port scanner's entry point.
 *
 * Scan types and output formats come in later modules; until then a scan
 * request is refused rather than ignored.  Exit codes follow nmap: 255 for
 * a usage error.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "pscan %s\n"
	    "Usage: pscan [Scan Type(s)] [Options] {target specification}\n"
	    "  -h, --help     print this summary\n"
	    "  -V, --version  print the version\n",
	    PACKAGE_VERSION);
}

int
main(int argc, char *argv[])
{
	int	i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(argv[i], "-V") == 0 ||
		    strcmp(argv[i], "--version") == 0) {
			printf("pscan version %s (%s)\n", PACKAGE_VERSION,
			    PACKAGE_NAME);
			return 0;
		}
		if (argv[i][0] == '-') {
			fprintf(stderr, "pscan: unrecognized option '%s'\n"
			    "See the output of pscan -h for a summary of "
			    "options.\n", argv[i]);
			return 255;
		}
	}
	fprintf(stderr, "pscan: scanning is not implemented in this build\n");
	return 255;
}
