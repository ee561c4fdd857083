#!/usr/bin/env bats
# One process holding a descriptor of every kind the running kernel
# offers (the fixture's -W, t/lsof-kinds.c), compared with lsof 4.95 byte
# for byte: each kind on its own, then the whole process under every
# option set of t/lsof-compare.bats, then our JSON against 4.95's -F
# field by field.  A kind the kernel (or the user) refuses is skipped,
# with the reason it gave.

load lsof-helper

setup_file() {
	W_DIR=$BATS_FILE_TMPDIR/wide
	mkdir -p "$W_DIR"
	"$FIXTURE" -W -N kindsfx "$W_DIR" >"$BATS_FILE_TMPDIR/fixture.log" \
	    2>&1 3>&- &
	W_SHELL_PID=$!
	wait_for_file "$W_DIR/ready" 60
	W_PID=$(head -n 1 "$W_DIR/ready")
	export W_DIR W_PID W_SHELL_PID
}

teardown_file() {
	kill "$W_SHELL_PID" 2>/dev/null || true
	wait "$W_SHELL_PID" 2>/dev/null || true
}

setup() {
	require_oracle
	[ -s "$W_DIR/kinds" ] || {
		cat "$BATS_FILE_TMPDIR/fixture.log"
		false
	}
}

# The kinds the fixture opened ("NAME FDS") or was refused ("NAME - WHY").
kinds() {
	cat "$W_DIR/kinds"
}

@test "lsof: each kind of descriptor the kernel offers matches 4.95" {
	local name fds why n=0 fail=0
	while read -r name fds why; do
		if [ "$fds" = - ]; then
			echo "# skipped $name: the kernel says: $why" >&3
			continue
		fi
		n=$((n + 1))
		compare -a -p "$W_PID" -d "$fds" || fail=1
	done < <(kinds)
	echo "# $n kinds compared" >&3
	[ "$fail" -eq 0 ]
}

# The option sets of t/lsof-compare.bats that name only the fixture
# there ($P, $FX_DIR, $PORT, $FX_COMM), with this fixture in its place.
option_sets() {
	local P=$W_PID FX_DIR=$W_DIR FX_COMM=kindsfx PORT
	PORT=$(cat "$W_DIR/tcpport")
	# shellcheck disable=SC2016
	awk '/compare_all <<-EOF/ { f = 1; next } /^\tEOF/ { f = 0 }
	    !f { next }
	    { sub(/^\t/, ""); t = $0
	      gsub(/\$\{?(PORT|P|FX_DIR|FX_COMM)\}?/, "", t) }
	    t !~ /\$\{?[A-Za-z_]/ { print "echo " $0 }' \
	    "$TOP_SRCDIR/t/lsof-compare.bats" >"$BATS_TEST_TMPDIR/sets.sh"
	# shellcheck disable=SC1091
	. "$BATS_TEST_TMPDIR/sets.sh"
}

@test "lsof: every option set of the comparisons matches 4.95 on every kind" {
	option_sets >"$BATS_TEST_TMPDIR/sets"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/sets")" -gt 80 ]
	compare_all <"$BATS_TEST_TMPDIR/sets"
	compare_all <<-EOF
	+fg -p $W_PID
	+fG -p $W_PID
	-fg +fg -a -p $W_PID -d 0-60
	+fg -F fG -a -p $W_PID -d 50-70
	-E -p $W_PID
	+E -p $W_PID
	-i -a -p $W_PID -n -P
	-i4 -a -p $W_PID -n
	-i6 -a -p $W_PID -n
	-i4TCP -a -p $W_PID -n
	-i6TCP -a -p $W_PID -n
	-iUDP -a -p $W_PID -n
	-iUDPLITE -a -p $W_PID -n
	-i udplite -a -p $W_PID -n
	-i@127.0.0.1 -a -p $W_PID -n
	-i@[::ffff:127.0.0.1] -a -p $W_PID -n
	-i4@[::1] -a -p $W_PID
	-i6@127.0.0.1 -a -p $W_PID
	-iUDPLITE:echo -a -p $W_PID
	-i SCTP -a -p $W_PID
	-X -a -p $W_PID
	-U -a -p $W_PID
	-F pcuLn -l -a -p $W_PID -d 0-3
	-V -a -p $W_PID +d $W_DIR
	-V -a -p $W_PID +D $W_DIR
	-V -a -p $W_PID -d 0-40 +d $W_DIR
	EOF
}

@test "lsof: -J gives, field by field, what 4.95's -F gives for every kind" {
	require_cmd python3
	"$ORACLE" -F -p "$W_PID" >"$BATS_TEST_TMPDIR/theirs.F"
	"$LSOF" -J -p "$W_PID" >"$BATS_TEST_TMPDIR/ours.json"
	run python3 "$TOP_SRCDIR/t/lsof_json_fields.py" \
	    "$BATS_TEST_TMPDIR/theirs.F" "$BATS_TEST_TMPDIR/ours.json"
	echo "$output" | head -n 20
	[ "$status" -eq 0 ]
	"$ORACLE" -F -K -a -p "$W_PID" -i >"$BATS_TEST_TMPDIR/theirs.F"
	"$LSOF" -J -K -a -p "$W_PID" -i >"$BATS_TEST_TMPDIR/ours.json"
	python3 "$TOP_SRCDIR/t/lsof_json_fields.py" \
	    "$BATS_TEST_TMPDIR/theirs.F" "$BATS_TEST_TMPDIR/ours.json"
}

@test "lsof: POSIX message queues are PSXMQ where mqueue is mounted, with +E endpoints, as in 4.95" {
	require_root
	require_cmd unshare
	grep -qw mqueue /proc/filesystems ||
	    skip "this kernel has no mqueue file system"
	unshare -m --propagation private true ||
	    skip "cannot make a mount namespace here"
	local fds m setup
	fds=$(awk '$1 == "mqueue" { print $2 }' "$W_DIR/kinds")
	[ -n "$fds" ] && [ "$fds" != - ] || skip "no message queue opened"
	m=$BATS_TEST_TMPDIR/mq
	mkdir "$m"
	# Without the mount the queues are REG, in 4.95 as here.
	compare -a -p "$W_PID" -d "$fds"
	grep -q ' REG ' "$BATS_TEST_TMPDIR/ours.out"
	setup="mount -t mqueue none '$m'"
	while IFS= read -r set; do
		# shellcheck disable=SC2086
		compare_in_mntns "$setup" $set
	done <<-EOF
	-a -p $W_PID -d $fds
	-F -a -p $W_PID -d $fds
	-E -a -p $W_PID -d $fds
	+E -a -p $W_PID -d $fds
	+L1 -a -p $W_PID
	-a -p $W_PID $m
	EOF
	compare_in_mntns "$setup" -a -p "$W_PID" -d "$fds"
	grep -q ' PSXMQ ' "$BATS_TEST_TMPDIR/ours.out"
}
