#!/usr/bin/env bats
# lsof under stress: vanishing processes and descriptors, odd names, many
# descriptors, many processes, an unprivileged user, a huge fd limit.

bats_require_minimum_version 1.5.0
load lsof-helper

# Rows are well formed when every one after the header has a PID second.
rows_well_formed() { # file
	awk 'NR > 1 && $2 !~ /^[0-9]+$/ { bad = 1; print "bad row: " $0 }
	    END { exit bad }' "$1"
}

@test "lsof: processes and descriptors vanishing meanwhile are never a crash or a stray message" {
	fixture_start -m -n 4
	# A churner: short-lived children that open descriptors and exit.
	daemon_start churn bash -c 'while :; do
		for i in 1 2 3 4 5 6 7 8; do
			(exec 5</etc/passwd 6>/dev/null 7</dev/null; :) &
		done; wait; done'
	for i in $(seq 1 15); do
		run --separate-stderr "$LSOF" -n -P
		[ "$status" -eq 0 ]
		# Only 4.95's own warnings for users without a passwd entry
		# and for mount points root cannot stat(2) (FUSE of a user).
		! mount_warnings_dropped <<<"$stderr" |
		    grep -v 'no pwd entry for UID' | grep -q .
		printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out"
		rows_well_formed "$BATS_TEST_TMPDIR/out"
		grep -q "^lsof-fixt *$FX_PID " "$BATS_TEST_TMPDIR/out"
		run --separate-stderr "$LSOF" -F pcfn -c bash
		[ -z "$(mount_warnings_dropped <<<"$stderr")" ]
	done
}

@test "lsof: a process that exits before it is read prints nothing" {
	run --separate-stderr "$LSOF" -p 2147483646
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ -z "$(mount_warnings_dropped <<<"$stderr")" ]
}

# Whether PID's state in /proc/PID/stat is Z.
is_zombie() { # pid
	awk '$3 == "Z" { f = 1 } END { exit !f }' "/proc/$1/stat"
}

@test "lsof: zombies are left out, a zombie leader's threads listed as tasks, as in 4.95" {
	require_oracle
	local z
	# A child that exits unreaped: its parent execs and never waits.
	daemon_start zparent bash -c 'sleep 0 & echo $! >"$1/zpid"
	    exec sleep 300' sh "$BATS_TEST_TMPDIR"
	wait_for_file "$BATS_TEST_TMPDIR/zpid"
	z=$(cat "$BATS_TEST_TMPDIR/zpid")
	wait_for_cmd 10 is_zombie "$z"
	compare -p "$z"
	compare -V -p "$z"
	compare -K -a -p "$z"
	compare -t -p "$z",$$
	[ ! -s "$BATS_TEST_TMPDIR/ours.err" ]
	# A leader that exited before its other threads.
	fixture_start -Z
	wait_for_cmd 10 is_zombie "$FX_PID"
	compare -p "$FX_PID"
	compare -V -p "$FX_PID"
	compare -K -a -p "$FX_PID"
	grep -q "^lsof-fixt *$FX_PID  *[0-9][0-9]* " \
	    "$BATS_TEST_TMPDIR/ours.out"
	compare -V -K -a -p "$FX_PID" -d 0-9
	compare -F pcfn -K -a -p "$FX_PID"
	compare -t -K -a -p "$FX_PID"
}

@test "lsof: command names with spaces, newlines and high bytes match 4.95" {
	require_oracle
	fixture_start -N $'a b\nc\xff\xc3\xa9\\d' -m -n 1
	compare -p "$FX_PID"
	compare -p "$FX_PID" +c 15
	compare -F pcn -p "$FX_PID"
	fixture_start
	LC_ALL=C compare -p "$FX_PID" -a -d 10-30
}

@test "lsof: many descriptors in one process match 4.95" {
	local hard n
	hard=$(ulimit -Hn)
	n=100000
	if [ "$hard" != unlimited ] && [ "$hard" -lt $((n + 100)) ]; then
		# Raising the hard limit needs CAP_SYS_RESOURCE.
		n=$((hard - 100))
	fi
	fixture_start -m -n "$n"
	run "$LSOF" -p "$FX_PID"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -ge "$n" ]
	[ -x "$ORACLE" ] || return 0
	compare -p "$FX_PID"
	compare -F pfatn -p "$FX_PID"
}

@test "lsof: 2000 processes match 4.95" {
	require_oracle
	local comm=fx$RANDOM$RANDOM
	fixture_start -N "$comm" -m -c 1999 -n 2
	compare -c "$comm" -a -d 0-9
	compare -t -c "$comm"
}

@test "lsof: an unprivileged user gets lsof's permission-denied rows" {
	require_root
	require_oracle
	require_cmd setpriv
	fixture_start
	setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$LSOF" ||
	    skip "$LSOF is not executable by nobody"
	# Mount points nobody cannot stat(2) (a chroot under a closed
	# directory, say) add 4.95's warnings to both.
	compare_nobody -p "$FX_PID"
	grep -q "(readlink: Permission denied)" "$BATS_TEST_TMPDIR/ours.out"
	grep -q "NOFD.*(opendir: Permission denied)" "$BATS_TEST_TMPDIR/ours.out"
	compare_nobody -a -p "$FX_PID" -K
	compare_nobody -F -p "$FX_PID"
	compare_nobody -p "$FX_PID" -w
}

@test "lsof: +d and +D warn of what nobody cannot read, in 4.95's order" {
	require_root
	require_oracle
	require_cmd setpriv unshare
	[ -d /mnt ] && unshare -m --propagation private true ||
	    skip "cannot make a mount namespace with /mnt here"
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	as_nobody test -x "$LSOF" || skip "$LSOF is not executable by nobody"
	local -a COMPARE_AS=(setpriv --reuid=65534 --regid=65534
	    --clear-groups)
	local set
	# A tree nobody can reach (in this namespace only, on /mnt), with
	# closed directories, a file system of its own (skipped unless
	# -x f), links to a closed directory, to nothing, to itself.
	local setup='
	t=$D/tree
	mkdir -p $t/a $t/b $t/c $t/sub/x/y $t/m $t/open
	chmod 700 $t/a $t/b $t/c
	chmod 755 $t
	touch $t/f $t/a/inside $t/sub/x/y/g
	ln -sfn a $t/l
	ln -sfn nowhere $t/dangling
	ln -sfn self $t/self
	mount -t tmpfs -o size=1m tmpfs $t/m
	mkdir $t/m/d
	chmod 700 $t/m/d
	mount --rbind $t /mnt'
	while IFS= read -r set; do
		# shellcheck disable=SC2086
		compare_in_mntns "$setup" $set
	done <<-EOF
	+D /mnt
	+d /mnt
	-x f +D /mnt
	-x l +D /mnt
	-x +D /mnt/sub
	-w +D /mnt
	+D /mnt/f
	-w +d /mnt/f
	EOF
	compare_in_mntns "$setup" +D /mnt
	grep -qx "lsof: WARNING: can't opendir(/mnt/c): Permission denied" \
	    "$BATS_TEST_TMPDIR/ours.err"
	compare_in_mntns "$setup" -x l +D /mnt
	grep -qx "lsof: WARNING: can't stat(/mnt/self) symbolc link: Too many levels of symbolic links" \
	    "$BATS_TEST_TMPDIR/ours.err"
}

@test "lsof: a huge RLIMIT_NOFILE costs nothing (never looped over)" {
	fixture_start -m -n 3
	(ulimit -n 1048576 2>/dev/null) || skip "cannot raise RLIMIT_NOFILE here"
	run bash -c "ulimit -n 1048576 && exec '$LSOF' -a -p $FX_PID -d 0-9"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
}
