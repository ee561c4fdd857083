#!/usr/bin/env bats
# The mount table: lsof 4.95 resolves and stat(2)s every mount point at
# start-up (unless -i is all that selects) and warns about those it
# cannot.  Each test makes the mount points it needs: below a directory
# closed to nobody (unmounted in teardown), or in a mount namespace of
# its own.

bats_require_minimum_version 1.5.0
load lsof-helper

as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

nobody_setup() {
	require_root
	require_oracle
	require_cmd setpriv
	as_nobody test -x "$LSOF" || skip "$LSOF is not executable by nobody"
	fixture_start
	P=$FX_PID
	PRIV=$BATS_TEST_TMPDIR/priv
	mkdir -m 0700 "$PRIV"
}

mntns_setup() { # [fixture options]
	require_root
	require_oracle
	require_cmd unshare
	unshare -m --propagation private true ||
	    skip "cannot make a mount namespace here"
	fixture_start "$@"
	P=$FX_PID
}

@test "lsof: mount points nobody can stat(2) get 4.95's warnings where 4.95 reads its mount table" {
	nobody_setup
	local nx=$BATS_TEST_TMPDIR/nonexistent set n=0
	mkdir "$PRIV/m"
	mount_tmpfs "$PRIV/m"
	! as_nobody stat "$PRIV/m" >/dev/null 2>&1
	while IFS= read -r set; do
		n=$((n + 1))
		# shellcheck disable=SC2086
		compare_nobody $set
	done <<-EOF
	-p $P
	-a -U -p $P
	-p 2147483646
	-a -d 0 -p $P
	-a -p $P /dev/null
	$nx
	-F p -p $P
	-a -c lsof-fix -p $P
	-K -a -p $P
	-i -a -p $P
	-t +w -p $P
	-b -p $P
	-b -a -p $P /dev/null
	-O -p $P
	EOF
	echo "# $n option sets compared"
	# Each warning once, before what follows the mount table.
	compare_nobody -p "$P"
	[ "$(grep -c "^lsof: WARNING: can't stat() tmpfs file system $PRIV/m\$" \
	    "$BATS_TEST_TMPDIR/ours.err")" -eq 1 ]
	compare_nobody "$nx"
	[[ "$(tail -n 1 "$BATS_TEST_TMPDIR/ours.err")" == \
	    "lsof: status error on $nx: "* ]]
	grep -q "file system $PRIV/m\$" "$BATS_TEST_TMPDIR/ours.err"
	# Once in repeat mode too.
	run --separate-stderr as_nobody timeout 20 "$LSOF" -r1c2 -a -p "$P"
	[ "$(grep -c "file system $PRIV/m\$" <<<"$stderr")" -eq 1 ]
}

@test "lsof: no mount table warnings with -w, -t or -i alone, as in 4.95" {
	nobody_setup
	local set
	mkdir "$PRIV/m"
	mount_tmpfs "$PRIV/m"
	while IFS= read -r set; do
		# shellcheck disable=SC2086
		compare_nobody $set
		[ ! -s "$BATS_TEST_TMPDIR/ours.err" ]
	done <<-EOF
	-w -p $P
	-t -p $P
	-b -w -p $P
	-iTCP:1
	-i4 -i6
	-i -p ^$P
	-i -u ^0
	EOF
}

@test "lsof: mount point names with odd bytes are escaped as 4.95 escapes them" {
	nobody_setup
	local d
	for d in "a b" $'n\nl' $'t\tb' 'b\s' $'x\xff\xc3\xa9' 'p%s'; do
		mkdir "$PRIV/$d"
		mount_tmpfs "$PRIV/$d"
	done
	mkdir "$PRIV/dev"
	mount_tmpfs "$PRIV/dev" "a device name"
	LC_ALL=C compare_nobody -p "$P"
	grep -q 'file system .*/priv/n\\nl$' "$BATS_TEST_TMPDIR/ours.err"
	grep -q 'file system .*/priv/x\\xff\\xc3\\xa9$' \
	    "$BATS_TEST_TMPDIR/ours.err"
	LC_ALL=C.UTF-8 compare_nobody -p "$P"
	LC_ALL=C compare_nobody -b -p "$P"
}

@test "lsof: a FUSE mount of another user gets the type /proc/mounts gives" {
	nobody_setup
	local hang=$TOP_BUILDDIR/t/lsof-hang type shown rt ro
	mkdir "$PRIV/gvfs"
	# The type as mounted, and as shown: escaped in /proc/mounts, and
	# that escape's backslash escaped again.
	while IFS=' ' read -r type shown; do
		# shellcheck disable=SC2016
		run "$hang" -t "${type//_/ }" "$PRIV/gvfs" \
		    env D="$BATS_TEST_TMPDIR" O="$ORACLE" L="$LSOF" bash -c '
			u="setpriv --reuid=65534 --regid=65534 --clear-groups"
			rt=0 ro=0
			$u "$O" "$@" >"$D/theirs.out" 2>"$D/theirs.err" || rt=$?
			$u "$L" "$@" >"$D/ours.out" 2>"$D/ours.err" || ro=$?
			echo "$rt $ro" >"$D/status"' sh -p "$P"
		[ "$status" -ne 77 ] || skip "cannot mount a FUSE file system here"
		[ "$status" -eq 0 ]
		read -r rt ro <"$BATS_TEST_TMPDIR/status"
		compare_results "$rt" "$ro" -p "$P" "(type $type)"
		grep -qxF "lsof: WARNING: can't stat() $shown file system $PRIV/gvfs" \
		    "$BATS_TEST_TMPDIR/ours.err"
	done <<-'EOF'
	fuse.gvfsd-fuse fuse.gvfsd-fuse
	fuse.a_b\c fuse.a\\040b\\134c
	EOF
}

@test "lsof: symbolic links in mount point paths are resolved as 4.95 resolves them" {
	mntns_setup
	local long
	long=$(head -c 4090 /dev/zero | tr '\0' y)
	# Each pair mounts X on DIR/a/m, then covers DIR with Y, in which a
	# is a symbolic link: a loop, dangling, one that resolves, one that
	# makes the path too long.  A device path that loops, and an
	# automounter entry (skipped, never stat(2)ed).
	# Run again for each comparison: what is not on a tmpfs of the
	# namespace stays, so nothing may fail for existing.
	local setup='
	cd "$D"
	for d in loop dangle good long; do
		mkdir -p $d/a/m
		mount -t tmpfs -o size=1m tmpfs $d/a/m
		mount -t tmpfs -o size=1m tmpfs $d
	done
	ln -s "$D/loop/b" loop/a
	ln -s "$D/loop/a" loop/b
	ln -s nowhere dangle/a
	mkdir -p good/real/m
	ln -s real good/a
	ln -s "'"$long"'" long/a
	ln -sfn "$D/dl2" dl1
	ln -sfn "$D/dl1" dl2
	mkdir -p devloop pid
	mount -t tmpfs -o size=1m "$D/dl1/x" devloop
	mount -t tmpfs -o size=1m "host:(pid1)" pid'
	compare_in_mntns "$setup" -p "$P"
	local e=$BATS_TEST_TMPDIR/ours.err
	grep -qx "lsof: too many (> 20) symbolic links in readlink() path: $BATS_TEST_TMPDIR/loop/a/m" "$e"
	grep -qx "lsof: WARNING: can't stat() tmpfs file system $BATS_TEST_TMPDIR/dangle/nowhere/m" "$e"
	grep -qx "lsof: readlink() path too long: $BATS_TEST_TMPDIR/long/a/m" "$e"
	grep -qx "lsof: too many (> 20) symbolic links in readlink() path: $BATS_TEST_TMPDIR/dl1/x" "$e"
	! grep -q "good/\|/pid" "$e"
	compare_in_mntns "$setup" -b -p "$P"
	! grep -q "$BATS_TEST_TMPDIR/pid" "$e"
	compare_in_mntns "$setup" -w -p "$P"
	compare_in_mntns "$setup" -iTCP:1
	# At the first operand, and before +d's walk (ahead of -S's warning).
	compare_in_mntns "$setup" "$BATS_TEST_TMPDIR/nope"
	compare_in_mntns "$setup" +d "$BATS_TEST_TMPDIR/good" -S 1 -a -p "$P"
	[ "$(tail -n 1 "$e")" = "lsof: WARNING: -S time (1) changed to 2" ]
}

@test "lsof: autofs mount points are skipped, never stat(2)ed, as in 4.95" {
	mntns_setup
	grep -qw autofs /proc/filesystems ||
	    skip "this kernel has no autofs (not in /proc/filesystems)"
	# A FIFO for the daemon autofs wants, read by nobody: a stat(2) of
	# the mount point would wait for it.
	local setup='
	cd "$D"
	mkdir -p auto
	[ -p fifo ] || mkfifo fifo
	mount -t autofs -o fd=9,pgrp=$$,minproto=5,maxproto=5 lsoft auto \
	    9<>fifo'
	compare_in_mntns "$setup" -p "$P"
	! grep -q "/auto" "$BATS_TEST_TMPDIR/ours.err"
	compare_in_mntns "$setup" -b -p "$P"
	! grep -q "$BATS_TEST_TMPDIR/auto" "$BATS_TEST_TMPDIR/ours.err"
}

# What a mapped file's path names here decides its row, as in 4.95: the
# file itself, nothing, or another file.  Paths from /proc/PID/maps are
# looked up from lsof's mount namespace and root, so a process elsewhere
# (a container, or the fixture seen from a namespace of lsof's own) may
# map a path that names nothing or something else here.
@test "lsof: mapped files whose path names nothing or another file here get 4.95's NAME additions" {
	mntns_setup -l
	local fx=$FX_DIR set out=$BATS_TEST_TMPDIR/ours.out
	local sets="-p $P
	-w -p $P
	-F -p $P
	+L -p $P
	-o -p $P
	-s -p $P
	-a -d mem,DEL -p $P
	+L1 -a -p $P"
	# In a namespace of lsof's own, the fixture in this one.
	while IFS= read -r set; do
		# shellcheck disable=SC2086
		compare_in_mntns "mount -t tmpfs -o size=1m tmpfs '$fx'" $set
	done <<<"$sets"
	compare_in_mntns "mount -t tmpfs -o size=1m tmpfs '$fx'" "$fx/mapped.bin"
	compare_in_mntns "mount -t tmpfs -o size=1m tmpfs '$fx'" -p "$P"
	grep -q " mem  *REG .*/mapped.bin (stat: No such file or directory)\$" "$out"
	grep -q " DEL  *REG .*/mapdel.bin\$" "$out"
	# A file on another device (a tmpfs) under the mapped file's name.
	while IFS= read -r set; do
		# shellcheck disable=SC2086
		compare_in_mntns "mount -t tmpfs -o size=1m tmpfs '$fx'
		    echo other >'$fx/mapped.bin'" $set
	done <<<"$sets"
	compare_in_mntns "mount -t tmpfs -o size=1m tmpfs '$fx'
	    echo other >'$fx/mapped.bin'" "$fx/mapped.bin"
	compare_in_mntns "mount -t tmpfs -o size=1m tmpfs '$fx'
	    echo other >'$fx/mapped.bin'" -p "$P"
	# Where this lsof runs in a chroot, the new namespace shows the
	# fixture's mapped paths from the real root: they name nothing.
	grep -q " mem  *REG .*/mapped.bin (path dev=[0-9]*,[0-9]*, inode=[0-9]*)\$" "$out" ||
	    grep -q " mem  *REG .*/mapped.bin (stat: No such file or directory)\$" "$out"
	# In this namespace, as the fixture: its deleted mapping given its
	# name back is mem again; other files under mapped names, on the
	# same device and on a tmpfs.
	echo other >"$BATS_TEST_TMPDIR/other.bin"
	mkdir "$BATS_TEST_TMPDIR/t"
	mount_tmpfs "$BATS_TEST_TMPDIR/t"
	echo other >"$BATS_TEST_TMPDIR/t/other.bin"
	: >"$fx/mapdel.bin"
	mount_bind "$fx/mapdel.lnk" "$fx/mapdel.bin"
	mount_bind "$BATS_TEST_TMPDIR/other.bin" "$fx/mapped.bin"
	mount_bind "$BATS_TEST_TMPDIR/t/other.bin" "$fx/regular.txt"
	while IFS= read -r set; do
		# shellcheck disable=SC2086
		compare $set
	done <<<"$sets"
	compare -p "$P"
	grep -q " mem  *REG .* 8192 .*/mapdel.bin\$" "$out"
	grep -q " mem  *REG .*/mapped.bin (path inode=[0-9]*)\$" "$out"
	grep -q " mem-W  *REG .*/regular.txt (path dev=[0-9]*,[0-9]*, inode=[0-9]*)\$" "$out"
	# Nothing there at all.
	mount_tmpfs "$fx"
	while IFS= read -r set; do
		# shellcheck disable=SC2086
		compare $set
	done <<<"$sets"
	compare "$fx/mapped.bin"
	compare -p "$P"
	grep -q " mem  *REG .*/mapped.bin (stat: No such file or directory)\$" "$out"
}

# stat(2) through /proc/PID/cwd, root and fd/N reaches the file system
# of the file, which may fail it: a FUSE server that answers with EIO.
@test "lsof: cwd, rtd and descriptors that stat(2) fails on get 4.95's NAME additions" {
	require_root
	require_oracle
	local d=$BATS_TEST_TMPDIR/fuse set out=$BATS_TEST_TMPDIR/ours.out
	mkdir "$d"
	while IFS= read -r set; do
		# shellcheck disable=SC2086
		compare_in_failing_fuse 5 "$d" $set
	done <<-EOF
	-p HOLDER
	-w -p HOLDER
	-o -p HOLDER
	-s -p HOLDER
	+L -p HOLDER
	-F -p HOLDER
	-b -p HOLDER
	-a -d cwd,rtd -p HOLDER
	-a -p HOLDER $d
	+d $d
	EOF
	compare_in_failing_fuse 5 "$d" -p HOLDER
	grep -qx "lsof-hang *[0-9]* root  cwd  *unknown  *$d (stat: Input/output error)" "$out"
	grep -qx "lsof-hang *[0-9]* root  rtd  *unknown  *$d (stat: Input/output error)" "$out"
	grep -qx "lsof-hang *[0-9]* root  *[0-9]*r  *unknown  *$d (stat: Input/output error)" "$out"
	compare_in_failing_fuse 5 "$d" -o -p HOLDER
	grep -qx "lsof-hang *[0-9]* root  *[0-9]*r  *unknown  *0t0  *$d (stat: Input/output error)" "$out"
}
