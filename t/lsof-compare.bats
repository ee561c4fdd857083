#!/usr/bin/env bats
# Byte-for-byte comparison with lsof 4.95 on a fixture process that holds
# one of every kind of open file.  Every listing is restricted to the
# fixture's PID so that the rest of the machine cannot make it flaky.

load lsof-helper

setup() {
	require_oracle
	# A command name of its own: other suites' fixtures may run meanwhile.
	FX_COMM=fx$RANDOM$RANDOM
	fixture_start -N "$FX_COMM"
	P=$FX_PID
	PORT=$(cat "$FX_DIR/tcpport")
}

@test "lsof: default columns, tasks and name options match 4.95" {
	compare_all <<-EOF
	-p $P
	-p $P -n -P
	-p $P -n
	-p $P -P
	-a -p $P -K
	-p $P -Ki
	-p $P -l
	-p $P -R -g
	-p $P +c0
	-p $P +c 3
	-p $P +c 12
	-p $P -w
	-c $FX_COMM -a -d 0-3
	-c /^${FX_COMM}\$/ -a -d cwd,3
	-c ^$FX_COMM -a -p $P
	-u root -a -p $P -d 5-9
	-p $P,999999 -a -d 3
	-V -p $P,999999 -a -d 3
	-p $P -Q
	EOF
}

@test "lsof: under -a, -K lists only processes that have tasks, as 4.95 does" {
	local s
	# A process of one thread (the fixture has two).
	daemon_start single sleep 300
	s=$DAEMON_PID
	wait_for_cmd 10 grep -qx sleep "/proc/$s/comm"
	compare_all <<-EOF
	-a -K -p $s
	-V -a -K -p $s
	-a -K -p $P,$s
	-V -a -K -p $P -d 99999
	-V -K -a -c ${FX_COMM}x -p $P
	-K -a -p $P,$s -d cwd
	-a -p $s -K i
	-p $s -K -a -c $FX_COMM
	EOF
	compare -a -K -p "$s"
	[ ! -s "$BATS_TEST_TMPDIR/ours.out" ]
}

@test "lsof: -K never lists lsof's own gathering threads as tasks" {
	local out pid
	# 4.95 is single-threaded; ours reads /proc with worker threads
	# (when there are 64 processes or more: make sure), which are no
	# tasks of the process being listed.
	fixture_start -m -c 80
	out=$(sh -c 'echo "p$$"; exec "$1" -K -p "$$" -F pK' sh "$LSOF")
	pid=$(head -n 1 <<<"$out")
	grep -qx "$pid" <<<"$(tail -n +2 <<<"$out")"
	! awk -v p="$pid" '/^p/ { cur = $0 } /^K/ && cur == p { f = 1 }
	    END { exit !f }' <<<"$(tail -n +2 <<<"$out")"
}

@test "lsof: SIZE/OFF, NLINK, TCP/TPI variants match 4.95" {
	compare_all <<-EOF
	-p $P -o
	-p $P -oo4
	-p $P -o2
	-p $P -s
	-p $P +L
	-a -p $P +L1
	-p $P -T
	-p $P -Tqs
	-p $P -Tq
	-p $P -Tf
	-p $P -Ts
	EOF
}

@test "lsof: -d, -i, -U, -s selections match 4.95" {
	compare_all <<-EOF
	-a -p $P -d 0-20
	-a -p $P -d ^0-20,^mem
	-a -p $P -d cwd,txt,fd
	-a -p $P -d cwd,txt
	-a -p $P -d rtd
	-a -p $P -d txt,mem
	-a -p $P -d mem,DEL
	-a -p $P -i
	-a -p $P -i -n -P
	-a -p $P -iTCP
	-a -p $P -iUDP
	-a -p $P -i4
	-a -p $P -i6
	-a -p $P -i4UDP
	-a -p $P -i@127.0.0.1
	-a -p $P -i@[::1]
	-a -p $P -i:$PORT
	-a -p $P -iTCP:$PORT -n
	-a -p $P -i:1-65535 -P
	-a -p $P -U
	-a -p $P -sTCP:LISTEN -i
	-a -p $P -sTCP:^LISTEN -i
	-a -p $P -sTCP:LISTEN
	-p $P -t
	EOF
}

@test "lsof: an exclusion -d list selects like any other item, as in 4.95" {
	# A second process that no -p or -c names.
	local q
	fixture_start -m -n 3
	q=$FX_PID
	compare_procs "$P,$q" -F pfn -p "$P" -d ^txt
	compare_procs "$P,$q" -F pfn -d ^txt
	compare_procs "$P,$q" -F pfn -c "$FX_COMM" -d ^0-2,^mem
	compare_procs "$P,$q" -F pfn -p "$P" -d txt
	compare_procs "$P,$q" -F pfn -p "^$q" -d ^cwd
	compare -a -p "$P" -d ^txt
	compare -a -p "$P" -d ^0-30,^mem -i
}

@test "lsof: -E and +E endpoints match 4.95" {
	# A fixture whose child shares every descriptor: pipes, socket
	# pairs, a local TCP connection, a pty and an eventfd have their
	# other ends in both processes.  Descriptors 3-60 are the fixture's
	# own (higher ones may be shared with the test harness).
	local p c
	fixture_start -N "${FX_COMM}e" -c 1
	p=$FX_PID
	c=$(sed -n 2p "$FX_DIR/ready")
	compare_all <<-EOF
	-E -a -p $p -d 3-60
	+E -a -p $p -d 3-60
	+E -a -p $c -d 3-60
	-E -a -p $p -d 12,24,33,35,52,53
	+E -a -p $p -d 12
	+E -a -p $p -d 33,35
	+E -a -p $p -d 52
	+E -a -p $p -d 53
	-E -a -p $p,^$c -d 12
	+c0 -E -a -p $p -d 12
	+c 3 -E -a -p $p -d 12
	-E -F pfn -a -p $p -d 3-60
	-E -K -a -p $p -d 12,24,33
	+E -K -a -p $p -d 12,24,33,52
	-E -a -p $p -i
	+E -a -p $p -i -n -P
	-E -a -p $p -d 24 -Tqs
	-E -a -p $p -d 12 -s
	-E -a -p $p -U
	EOF
}

@test "lsof: -F field output matches 4.95" {
	compare_all <<-EOF
	-F -p $P
	-F0 -p $P
	-F pcfn -p $P
	-F pcfn0 -p $P
	-F T -a -p $P -i
	-F T -Tq -a -p $P -i
	-F rDn -p $P
	-F cLuRgPtadks -p $P
	-F -p $P -o
	EOF
}

@test "lsof: file operands, +d and +D match 4.95" {
	compare_all <<-EOF
	-a -p $P $FX_DIR/regular.txt
	-a -p $P +d $FX_DIR
	-a -p $P +D $FX_DIR
	-a -p $P /dev/null
	$FX_DIR/regular.txt
	EOF
}

@test "lsof: names are resolved, and spoken of, as 4.95 does" {
	local d=$BATS_TEST_TMPDIR odd
	ln -s "$FX_DIR" "$d/fxlink"
	ln -s "$d/loop2" "$d/loop1"
	ln -s "$d/loop1" "$d/loop2"
	compare_all <<-EOF
	-a -p $P $d/fxlink/regular.txt
	$d/fxlink/nonexistent
	-a -p $P $FX_DIR/regular.txt/
	$d/nonexistent/
	$d/loop1
	-w $d/loop1
	$d/loop1 $d/fxlink/regular.txt
	+d $d/loop1
	+d $d/fxlink/regular.txt
	-a -p $P +d $d/fxlink
	-a -p $P +D $d/fxlink/
	+f -- $d/nonexistent
	+f -- $d/fxlink
	-b +f -- $d/nonexistent
	-b $d/fxlink/
	EOF
	# Names with odd bytes are escaped, as 4.95 escapes them.
	odd=$d/$'a b\nc\xff'
	compare "$odd"
	compare "$odd/"
	compare +d "$odd"
	mkdir "$odd"
	compare -a -p "$P" +D "$odd/x"
	compare -b "$odd"
}

@test "lsof: option values and conflicts are read as 4.95 reads them" {
	local nx=$BATS_TEST_TMPDIR/nonexistent
	compare_all <<-EOF
	-x
	-x q
	-p $P -x fl
	+d $nx
	-w +d $nx
	-x +d $nx
	+d $FX_DIR/regular.txt
	$nx
	-p $P,^$P
	-u 0,^0
	-g 1,^1
	-c foo -c ^foo
	-c /a/q
	-c /x/bb
	-c 1234567890123456
	-sTCP:LISTEN,^LISTEN
	-sTCP:LISTEN -sTCP:LISTEN
	-s TCP
	-s TCP:
	-s UDP:
	-s foo:bar
	-o -s
	-F -t
	-F pf -r1m%n
	-a
	-a -p ^$P
	-F abc
	-K x
	-L 2
	+c 100
	+c -1
	-u
	-c
	-d
	-p
	-g abc
	-D x
	-m
	-Z
	-i TCP:nosuchservice
	-i UDP:nosuchservice
	-i :nosuchservice
	-h -y
	-V -a -p $P -i -iTCP:1
	-o x -a -p $P -d 3
	-o4x -a -p $P -d 3
	-F so -a -p $P -d 3
	-F Z -a -p $P -d 3
	+f -a -p $P $FX_DIR/regular.txt
	-f -a -p $P /
	-X -a -p $P
	-X -X -a -p $P -i
	-X -i
	-a -p $P -d 3-3
	-a -p $P -d a-b
	-a -p $P -d 1-2-3
	-a -p $P -d ^3-2
	-a -p $P -d 1-
	-a -p $P -d -5
	-a -p $P -d 3x,verylongname,1,,2
	-V -a -p $P,,1 -d 3
	EOF
}

@test "lsof: -b and -S match 4.95 (stdout, stderr and exit status)" {
	compare_all <<-EOF
	-b -p $P
	-b -w -p $P
	-b -a -p $P -d 0-3
	-b $FX_DIR/regular.txt
	-b -w $FX_DIR/regular.txt
	-b +d $FX_DIR
	-b -w +d $FX_DIR
	-S -p $P
	-S 5 -p $P
	-S1 -a -p $P -d 0
	-S abc
	-S 2 -a -p $P $FX_DIR/regular.txt
	-O -S 2 -a -p $P +d $FX_DIR
	-S 3 -a -p $P +D $FX_DIR
	EOF
}

@test "lsof: usage errors match 4.95 (stderr and exit status)" {
	compare_all <<-EOF
	-y
	-d 1,^2
	-p abc
	-sUDP:Idle
	-Tw
	-u no_such_user_here
	-p 999999
	-Q -p 999999
	-a -p $P -d 999
	EOF
}

@test "lsof: descriptors inherited from the caller are not listed as lsof's, as in 4.95" {
	# 4.95 closes what it inherits above 2 before it looks.
	compare -a -p "$P" "$FX_DIR/regular.txt" 7<"$FX_DIR/regular.txt"
	compare "$FX_DIR/regular.txt" 7<"$FX_DIR/regular.txt"
	! grep -q '^lsof ' "$BATS_TEST_TMPDIR/ours.out"
	compare -t "$FX_DIR/regular.txt" 7<"$FX_DIR/regular.txt"
}

@test "lsof: -Q ignores operands it cannot examine, as 4.95 does" {
	local nx=$BATS_TEST_TMPDIR/nonexistent
	compare_all <<-EOF
	-Q $nx
	-Q -V $nx
	-Q -a -p $P $nx
	-Q -V -a -p $P $nx $FX_DIR/regular.txt
	-Q -w $nx
	-Q -b $nx
	-Q +f $nx
	-Q +d $nx
	-Q -V -a -p $P -d 3 $FX_DIR/regular.txt $FX_DIR/regular.txt
	EOF
}

@test "lsof: +M names the portmapper's programs on local ports, as in 4.95" {
	require_root
	# Installing Debian's rpcbind would start it in the machine's own
	# namespace: the package unpacked will do, run in the test's own.
	local RPCBIND d=$BATS_TEST_TMPDIR rc=0 missing
	anchor_path RPCBIND rpcbind sbin/rpcbind
	missing=$(ldd "$RPCBIND" 2>/dev/null | awk '/not found/ { print $1 }')
	[ -z "$missing" ] ||
	    skip "rpcbind needs libraries not installed:" $missing
	unshare -n -m --propagation private true ||
	    skip "cannot make network and mount namespaces here"
	# rpcbind in namespaces of its own (a /run of its own for its socket
	# and lock), both lsofs beside it.
	# shellcheck disable=SC2016
	KEEP=$BATS_RUN_TMPDIR MQ=$MOUNTS_QUIET RU=$RPC_USER_SH \
	    unshare -n -m --propagation private bash -c '
	eval "$MQ"
	d=$1 o=$2 l=$3 fail=0
	ip link set lo up
	mount -t tmpfs tmpfs /run
	eval "$RU" || exit 77
	mkdir -p /run/rpcbind
	"$4" -f -w 3>&- & r=$!
	i=0
	while ! grep -q ":006F 00000000:0000 0A" /proc/net/tcp; do
		sleep 0.05; i=$((i + 1)); [ $i -lt 200 ] || exit 77
	done
	for set in "+M -a -p $r" "+M -P -a -p $r -i" "+M -F -a -p $r -i" \
	    "+M -n -iUDP" "-M -a -p $r -i" "+M -t -i"; do
		rt=0 ro=0
		$o $set >"$d/theirs.out" 2>"$d/theirs.err" || rt=$?
		$l $set >"$d/ours.out" 2>"$d/ours.err" || ro=$?
		if ! cmp -s "$d/theirs.out" "$d/ours.out" ||
		    ! cmp -s "$d/theirs.err" "$d/ours.err" || [ $rt != $ro ]; then
			echo "# lsof $set differs (exit $rt, ours $ro)"
			diff "$d/theirs.out" "$d/ours.out" | head -n 20
			fail=1
		fi
	done
	$l +M -a -p $r -i >"$d/ours.out"
	grep -q "sunrpc\[portmapper\]" "$d/ours.out" || fail=1
	kill $r
	exit $fail' sh "$d" "$ORACLE" "$LSOF" "$RPCBIND" || rc=$?
	[ "$rc" -ne 77 ] || skip "rpcbind did not start here"
	[ "$rc" -eq 0 ]
}
