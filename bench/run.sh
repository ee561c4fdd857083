#!/bin/sh
# run.sh: "make bench" runs every bench/*.sh but this one.  Each script
# compares one auditkit program with its anchor side by side in one run and
# prints ratios (ours/theirs); none of them asserts a time.
: "${TOP_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${TOP_BUILDDIR:=$TOP_SRCDIR}"
export TOP_SRCDIR TOP_BUILDDIR
n=0
rc=0
for s in "$TOP_SRCDIR"/bench/*.sh; do
	[ "$(basename "$s")" = run.sh ] && continue
	n=$((n + 1))
	echo "== $(basename "$s")"
	sh "$s" || rc=1
done
[ "$n" -gt 0 ] || echo "bench: no benchmarks yet"
exit $rc
