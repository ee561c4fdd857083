# lsof-helper.bash: shared by the t/lsof*.bats suites.
#
#   fixture_start [args...]   start t/lsof-fixture; sets FX_PID, FX_DIR
#   require_oracle            skip unless lsof 4.95 is installed
#   compare args...           run both lsofs, fail with a diff if stdout,
#                             stderr or exit status differ (as root, in a
#                             mount namespace of their own, so that the
#                             mount table holds still for both)
#   compare_nobody args...    the same, both run as user nobody (root only),
#                             in one mount namespace of their own
#   compare_in_mntns SETUP args...
#                             the same, both run in one private mount
#                             namespace where the bash code SETUP ran first
#                             (root only; $D is $BATS_TEST_TMPDIR there);
#                             as nobody when called from compare_nobody's
#                             way: COMPARE_AS=(setpriv ...) compare_in_mntns
#   compare_in_failing_fuse ERRNO DIR args...
#                             the same, both run where lsof-hang -e ERRNO
#                             mounted a FUSE file system on DIR whose server
#                             fails every stat(2) with ERRNO; the word HOLDER
#                             in args is the PID of a process with its cwd,
#                             root and a descriptor there (root only)
#   compare_procs PIDS args...
#                             for -F listings of the whole machine: compare
#                             only the process sets of PIDS (a comma list)
#                             and the exit status
#   mount_tmpfs DIR [SOURCE]  (root) a small tmpfs on DIR, unmounted in
#                             teardown whatever happened
#   mount_bind FROM TO        (root) a bind mount, undone the same way
#   mount_warnings_dropped    stdin to stdout without the warnings 4.95
#                             gives about mount points it cannot resolve or
#                             stat(2): a machine may have such mounts
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
	# Both read the mount table: where other suites (or other users of
	# the machine) mount and unmount meanwhile, a mount namespace of
	# their own holds one copy of it still for both.
	if [ "${#COMPARE_AS[@]}" -eq 0 ] && [ "$(id -u)" -eq 0 ] &&
	    unshare -m --propagation private true 2>/dev/null; then
		compare_in_mntns : "$@"
		return
	fi
	"${COMPARE_AS[@]}" "$ORACLE" "$@" >"$t/theirs.out" 2>"$t/theirs.err" ||
	    rt=$?
	"${COMPARE_AS[@]}" "$LSOF" "$@" >"$t/ours.out" 2>"$t/ours.err" || ro=$?
	compare_results "$rt" "$ro" "$@"
}

# compare_results theirs_status ours_status args...: the files of a run.
compare_results() {
	local t=$BATS_TEST_TMPDIR rt=$1 ro=$2
	shift 2
	if ! cmp -s "$t/theirs.out" "$t/ours.out" ||
	    ! cmp -s "$t/theirs.err" "$t/ours.err" || [ "$rt" != "$ro" ]; then
		echo "# lsof $* differs (exit $rt, ours $ro)"
		diff -u "$t/theirs.out" "$t/ours.out" | head -n 40
		diff -u "$t/theirs.err" "$t/ours.err" | head -n 20
		return 1
	fi
}

compare_nobody() {
	local -a COMPARE_AS=(setpriv --reuid=65534 --regid=65534
	    --clear-groups)
	# Both warn about every mount point nobody cannot stat(2), and a
	# suite running meanwhile (make -j check) may mount or unmount one
	# between the two runs: a mount namespace of their own holds the
	# table still for both.
	if unshare -m --propagation private true 2>/dev/null; then
		compare_in_mntns : "$@"
	else
		compare "$@"
	fi
}

# Shell code that unmounts, in a mount namespace of its own, what others
# may unmount meanwhile: /run/netns and what is under it, and mounts under
# /tmp but for this run's ($KEEP).  A lazy unmount takes what is below a
# mount point with it, so only the topmost are named, in one umount(8)
# (their number grows with the namespaces other suites leave behind);
# what a mount stacked on another hid is seen again in the next round.
# shellcheck disable=SC2016
MOUNTS_QUIET='for mq_round in 1 2 3 4; do
	mapfile -t mq_ms < <(awk -v keep="$KEEP" '\''$2 ~ /^\/run\/netns(\/|$)/ ||
	    (index($2, "/tmp/") == 1 && index($2, keep) != 1) { print $2 }'\'' \
	    /proc/mounts | LC_ALL=C sort -u | awk '\''{
		for (i = 1; i <= n; i++) if (index($0, t[i] "/") == 1) next
		t[++n] = $0; print }'\'')
	[ "${#mq_ms[@]}" -gt 0 ] || break
	for mq_i in "${!mq_ms[@]}"; do
		printf -v "mq_ms[$mq_i]" "%b" "${mq_ms[mq_i]//\\/\\0}"
	done
	umount -l -- "${mq_ms[@]}" 2>/dev/null || true
done'

compare_in_mntns() {
	local setup=$1 rt ro
	shift
	# Mount points others make and remove meanwhile (network namespaces
	# under /run/netns, other test runs' directories) are unmounted in
	# the copy first: their removal elsewhere detaches them here too,
	# between the two runs.
	# shellcheck disable=SC2016
	D=$BATS_TEST_TMPDIR ORACLE=$ORACLE LSOF=$LSOF AS="${COMPARE_AS[*]}" \
	    KEEP=$BATS_RUN_TMPDIR unshare -m --propagation private bash -c "set -e
	$MOUNTS_QUIET
	$setup"'
	rt=0 ro=0
	$AS "$ORACLE" "$@" >"$D/theirs.out" 2>"$D/theirs.err" || rt=$?
	$AS "$LSOF" "$@" >"$D/ours.out" 2>"$D/ours.err" || ro=$?
	echo "$rt $ro" >"$D/status"' compare_in_mntns "$@" || {
		echo "# mount namespace setup failed"
		return 1
	}
	read -r rt ro <"$BATS_TEST_TMPDIR/status"
	compare_results "$rt" "$ro" "$@"
}

compare_in_failing_fuse() {
	local e=$1 dir=$2 rt ro
	shift 2
	# shellcheck disable=SC2016
	run "$TOP_BUILDDIR/t/lsof-hang" -e "$e" "$dir" \
	    env D="$BATS_TEST_TMPDIR" O="$ORACLE" L="$LSOF" \
	    KEEP="$BATS_RUN_TMPDIR" MQ="$MOUNTS_QUIET" bash -c '
		eval "$MQ"
		set -- "${@//HOLDER/$LSOF_HANG_HOLDER}"
		rt=0 ro=0
		"$O" "$@" >"$D/theirs.out" 2>"$D/theirs.err" || rt=$?
		"$L" "$@" >"$D/ours.out" 2>"$D/ours.err" || ro=$?
		echo "$rt $ro" >"$D/status"' sh "$@"
	[ "$status" -ne 77 ] || skip "cannot mount a FUSE file system here"
	if [ "$status" -ne 0 ]; then
		echo "# lsof-hang exited $status: $output"
		return 1
	fi
	read -r rt ro <"$BATS_TEST_TMPDIR/status"
	compare_results "$rt" "$ro" "$@"
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

# --- mount points ----------------------------------------------------------
# Mounts a test makes are listed (NUL-separated, their names may hold any
# byte) in $BATS_TEST_TMPDIR/.mounts; teardown undoes them last first.

mount_tmpfs() { # dir [source]
	mount -t tmpfs -o size=1m -- "${2:-tmpfs}" "$1" || return 1
	printf '%s\0' "$1" >>"$BATS_TEST_TMPDIR/.mounts"
}

mount_bind() { # from to
	mount --bind -- "$1" "$2" || return 1
	printf '%s\0' "$2" >>"$BATS_TEST_TMPDIR/.mounts"
}

mounts_undo() {
	local f=$BATS_TEST_TMPDIR/.mounts i m
	local -a ms=()
	if [ -f "$f" ]; then
		mapfile -d '' ms <"$f"
		for ((i = ${#ms[@]} - 1; i >= 0; i--)); do
			umount -l -- "${ms[i]}" 2>/dev/null || true
		done
		rm -f "$f"
	fi
	# Whatever is still mounted below the test's directory, deepest
	# last in the table, goes too (octal escapes undone).
	for i in 1 2 3 4 5 6 7 8; do
		m=$(awk -v p="$BATS_TEST_TMPDIR/" \
		    'index($2, p) == 1 { m = $2 } END { print m }' /proc/mounts)
		[ -n "$m" ] || break
		umount -l -- "$(printf '%b' "${m//\\/\\0}")" 2>/dev/null ||
		    break
	done
}

mount_warnings_dropped() {
	awk '/^lsof: WARNING: can.t stat\(\) .* file system / ||
	    /^lsof: too many \(> 20\) symbolic links in readlink\(\) path: / ||
	    /^lsof: readlink\(\) path too long: / { skip = 1; next }
	    skip && /^      Output information may be incomplete\.$/ {
		skip = 0; next }
	    { skip = 0; print }'
}

teardown() {
	mounts_undo
	helper_teardown
}
