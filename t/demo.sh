#!/bin/sh
# demo.sh: "make demo".  Shows the suite's programs at work.
: "${TOP_BUILDDIR:=.}"
echo "auditkit demo: the programs and their versions"
for p in inetd/inetd sentry/sentry pscan/pscan; do
	"$TOP_BUILDDIR/$p" -V
done
"$TOP_BUILDDIR/lsof/lsof" -v 2>&1 | head -2
