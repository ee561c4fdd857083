#include "config.h"
#include <sys/types.h>
#include "pscan.h"
int
osguess_group(struct scan *sc, struct host **g, size_t n, char *err,
    size_t errlen)
{
	(void)sc; (void)g; (void)n; (void)err; (void)errlen;
	return 0;
}
