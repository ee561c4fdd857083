# lsof-helper.bash: shared by the t/lsof*.bats suites.
#
#   fixture_start [args...]   start t/lsof-fixture; sets FX_PID, FX_DIR
#   require_oracle            skip unless lsof 4.95 is installed
#   compare args...           run both lsofs, fail with a diff if stdout,
#                             stderr or exit status differ
#   compare_procs PIDS args...
#                             for -F listings of the whole machine: compare
#                             only the process sets of PIDS (a comma list)
#                             and the exit status
# The oracle is /usr/bin/lsof unless $LSOF_ORACLE names another.

load test_helper

ORACLE=${LSOF_ORACLE:-/usr/bin/lsof}
FIXTURE=$TOP_BUILDDIR/t/lsof-fixture

require_oracle() {
	[ -x "$ORACLE" ] || skip "needs lsof 4.95 at $ORACLE"
	"$ORACLE" -v 2>&1 | grep -q 'revision: 4\.95' ||
	    skip "$ORACLE is not lsof 4.95"
}

fixture_start() {
	FX_DIR=$BATS_TEST_TMPDIR/fx$RANDOM
	mkdir -p "$FX_DIR"
	daemon_start "fixture$RANDOM" "$FIXTURE" "$@" "$FX_DIR"
	wait_for_file "$FX_DIR/ready" 60 || {
		echo "fixture did not start" >&2
		return 1
	}
	FX_PID=$(head -n 1 "$FX_DIR/ready")
}

compare() {
	local t=$BATS_TEST_TMPDIR rt=0 ro=0
	"$ORACLE" "$@" >"$t/theirs.out" 2>"$t/theirs.err" || rt=$?
	"$LSOF" "$@" >"$t/ours.out" 2>"$t/ours.err" || ro=$?
	if ! cmp -s "$t/theirs.out" "$t/ours.out" ||
	    ! cmp -s "$t/theirs.err" "$t/ours.err" || [ "$rt" != "$ro" ]; then
		echo "# lsof $* differs (exit $rt, ours $ro)"
		diff -u "$t/theirs.out" "$t/ours.out" | head -n 40
		diff -u "$t/theirs.err" "$t/ours.err" | head -n 20
		return 1
	fi
}

compare_procs() {
	local pids=$1 t=$BATS_TEST_TMPDIR rt=0 ro=0 f
	shift
	"$ORACLE" "$@" >"$t/theirs.raw" 2>/dev/null || rt=$?
	"$LSOF" "$@" >"$t/ours.raw" 2>/dev/null || ro=$?
	for f in theirs ours; do
		awk -v pids=",$pids," '/^p/ {
			keep = index(pids, "," substr($0, 2) ",") > 0 }
		    keep' "$t/$f.raw" >"$t/$f.out"
	done
	if ! [ -s "$t/theirs.out" ] || ! cmp -s "$t/theirs.out" "$t/ours.out" ||
	    [ "$rt" != "$ro" ]; then
		echo "# lsof $* differs for $pids (exit $rt, ours $ro)"
		diff -u "$t/theirs.out" "$t/ours.out" | head -n 40
		return 1
	fi
}

# compare_all: one compare per line of option words on stdin; all are
# run, and the test fails if any differs.
compare_all() {
	local line fail=0 n=0
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		n=$((n + 1))
		# shellcheck disable=SC2086
		compare $line || fail=1
	done
	echo "# $n option sets compared"
	return $fail
}
