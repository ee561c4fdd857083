#!/bin/sh
# demo.sh: "make demo".  Until the end-to-end lab exists, the demo runs the
# programs that work against this machine's own live state, read-only, and
# says what it is doing.
: "${TOP_BUILDDIR:=.}"
set -e
echo "auditkit demo: the programs that work so far run against this"
echo "machine's live state (read-only); nothing is sent off the machine."
echo
for p in inetd/inetd sentry/sentry pscan/pscan; do
	printf '$ %s -V\n' "$(basename "$p")"
	"$TOP_BUILDDIR/$p" -V
done
printf '$ lsof -v\n'
"$TOP_BUILDDIR/lsof/lsof" -v 2>&1 | head -2
echo
echo "demo: serving, scanning, scan detection and listing arrive with"
echo "their issues; see README.md."
