#!/bin/sh
# lsof.sh: our lsof against lsof 4.95 on 300 processes holding 50
# descriptors each (files, pipes, sockets, /dev/null).  Each listing is
# run by both programs alternately; the fixture's rows must be identical.
# Prints the median time ratio ours/theirs and both peak RSS figures.
#
# The clock is bash's $EPOCHREALTIME when bash is there (the script
# re-runs itself under it), so that no date(1) process is timed along
# with a run; a 3 ms listing is not measured through two forks.
if [ -z "${BASH_VERSION:-}" ] && command -v bash >/dev/null 2>&1; then
	exec bash "$0" "$@"
fi
: "${TOP_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${TOP_BUILDDIR:=$TOP_SRCDIR}"
OURS=$TOP_BUILDDIR/lsof/lsof
THEIRS=${LSOF_ORACLE:-/usr/bin/lsof}
FIXTURE=$TOP_BUILDDIR/t/lsof-fixture
RUNS=${BENCH_RUNS:-7}

if [ ! -x "$THEIRS" ]; then
	echo "lsof: skipped ($THEIRS not installed)"
	exit 0
fi
if [ ! -x "$FIXTURE" ]; then
	echo "lsof: no fixture at $FIXTURE: run this through make bench"
	exit 1
fi
tmp=$(mktemp -d)
trap 'kill $fxpid 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
"$FIXTURE" -m -x -c 299 -n 50 "$tmp" >/dev/null 2>&1 &
fxpid=$!
i=0
while [ ! -s "$tmp/ready" ] && [ $i -lt 600 ]; do
	sleep 0.05
	i=$((i + 1))
done
[ -s "$tmp/ready" ] || { echo "lsof: fixture did not start"; exit 1; }

# One timed run: prints elapsed ns; output to $2.
timed() { # prog outfile args...
	prog=$1 out=$2
	shift 2
	if [ -n "${EPOCHREALTIME:-}" ]; then
		t0=$EPOCHREALTIME
		"$prog" "$@" >"$out" 2>/dev/null
		t1=$EPOCHREALTIME
		# Seconds with six decimals (a dot or a comma, by locale):
		# microseconds once the separator is gone.
		echo $(( (10#${t1//[.,]/} - 10#${t0//[.,]/}) * 1000 ))
		return
	fi
	t0=$(date +%s%N)
	"$prog" "$@" >"$out" 2>/dev/null
	t1=$(date +%s%N)
	echo $((t1 - t0))
}

# The rows compared: the fixture's, blanks squeezed (the machine's other
# processes, listed too, come and go between runs and widen columns).
mine() {
	awk -v pids="$(tr '\n' ' ' <"$tmp/ready")" 'BEGIN {
		n = split(pids, v, " "); for (i = 1; i <= n; i++) keep[v[i]] = 1 }
	    $2 in keep { $1 = $1; print }' "$1"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

peak_rss() { # prog args...: peak RSS in KiB via GNU time, else "n/a"
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1
	else
		echo n/a
	fi
}

bench_one() { # label args...
	label=$1
	shift
	: >"$tmp/ours.t"
	: >"$tmp/theirs.t"
	n=0
	while [ $n -lt "$RUNS" ]; do
		timed "$THEIRS" "$tmp/out" "$@" >>"$tmp/theirs.t"
		mine "$tmp/out" >"$tmp/theirs.out"
		timed "$OURS" "$tmp/out" "$@" >>"$tmp/ours.t"
		mine "$tmp/out" >"$tmp/ours.out"
		if ! cmp -s "$tmp/theirs.out" "$tmp/ours.out"; then
			echo "lsof $label: outputs differ"
			diff "$tmp/theirs.out" "$tmp/ours.out" | head -n 10
			rc=1
		fi
		n=$((n + 1))
	done
	o=$(median <"$tmp/ours.t")
	t=$(median <"$tmp/theirs.t")
	ro=$(peak_rss "$OURS" "$@")
	rt=$(peak_rss "$THEIRS" "$@")
	awk -v l="$label" -v o="$o" -v t="$t" -v ro="$ro" -v rt="$rt" \
	    -v n="$(wc -l <"$tmp/ours.out")" 'BEGIN {
		printf "lsof %-22s %6d lines  ours %7.1f ms  lsof %7.1f ms" \
		    "  ratio %.3f  peak RSS ours %s KiB, lsof %s KiB\n",
		    l, n, o / 1e6, t / 1e6, o / t, ro, rt }'
}

rc=0
pid=$(head -n 1 "$tmp/ready")
bench_one "-n -P (all)" -n -P
bench_one "-c lsof-fixture -n -P" -c lsof-fixture -n -P
bench_one "-i -n -P" -i -n -P
bench_one "-p PID" -p "$pid"
exit $rc
