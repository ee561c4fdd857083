#!/bin/sh
# demo.sh: "make demo".  Until the end-to-end lab exists, the demo runs the
# programs that work against this machine's own live state, read-only, and
# says what it is doing.
: "${TOP_BUILDDIR:=.}"
set -e
LSOF=$TOP_BUILDDIR/lsof/lsof
echo "auditkit demo: the programs that work so far run against this"
echo "machine's live state (read-only); nothing is sent off the machine."
echo
echo "--- lsof: this machine's internet sockets (lsof -i -n -P)"
"$LSOF" -i -n -P || echo "(no internet sockets open)"
echo
echo "--- lsof: the files this demo's shell holds open (lsof -p $$)"
"$LSOF" -p $$
echo
echo "--- lsof: the same as lsof -F fields, ready for a pipeline (-F pcfn)"
"$LSOF" -p $$ -a -d 0-2 -F pcfn | tr '\n' ' '
echo
echo
echo "--- the other programs so far answer only their version:"
for p in inetd/inetd sentry/sentry pscan/pscan; do
	printf '$ %s -V: ' "$(basename "$p")"
	"$TOP_BUILDDIR/$p" -V
done
