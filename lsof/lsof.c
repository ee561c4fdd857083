/*
 * lsof.c: the open-file lister's entry point.
 *
 * Listing comes with the /proc back end; until then a listing request is
 * refused rather than answered with an empty list.  -h and -v behave as
 * lsof 4.95's, except that help goes to stdout.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
usage(FILE *fp)
{
	fprintf(fp, "lsof %s (%s)\n"
	    " usage: [-hv] [names]\n"
	    "Use the ``-h'' option to get more help information.\n",
	    PACKAGE_VERSION, PACKAGE_NAME);
}

int
main(int argc, char *argv[])
{
	int	ch;

	while ((ch = getopt(argc, argv, "hv")) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout);
			return 0;
		case 'v':
			fprintf(stderr, "lsof version information:\n"
			    "    revision: %s (%s)\n", PACKAGE_VERSION,
			    PACKAGE_NAME);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	fprintf(stderr, "lsof: listing is not implemented in this build\n");
	return 1;
}
