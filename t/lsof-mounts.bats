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
		    env D="$BATS_TEST_TMPDIR" O="$ORACLE" L="$LSOF" \
		    KEEP="$BATS_RUN_TMPDIR" MQ="$MOUNTS_QUIET" bash -c '
			eval "$MQ"
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
	# On overlayfs /proc/PID/maps names the lower file system's device
	# and inode, so both programs give these rows other NAME additions.
	[ "$(stat -f -c %T "$fx")" != overlayfs ] ||
	    skip "the fixture's files are on overlayfs: their maps entries name the layer below"
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

# Shell code that waits until the holder just started ($!) sleeps, all
# its libraries loaded.
# shellcheck disable=SC2016
ASLEEP='h=$!; i=0; until grep -q nanosleep "/proc/$h/wchan" 2>/dev/null ||
	[ $i -gt 200 ]; do sleep 0.05; i=$((i + 1)); done'

# A mount table of our own for both programs: in a mount namespace of
# their own, a copy of /proc/mounts with one entry changed, bound over
# /proc/PID/mounts of the shell that then becomes the lsof.  So NFS can
# be tried where the kernel has no NFS: 4.95 knows NFS files by their
# device and the table's file system type, nothing else.
fake_table_setup() { # dir type source
	mntns_setup
	FAKE=$BATS_TEST_TMPDIR/fakemnt.sh
	cat >"$FAKE" <<-'EOF'
	mount --bind "$FAKE_TABLE" "/proc/$$/mounts" || exit 99
	exec "$@"
	EOF
	FAKE_SETUP="mkdir -p '$1'
	mount -t tmpfs -o size=1m tmpfs '$1'
	awk -v d='$1' '\$2 == d { \$1 = \"$3\"; \$3 = \"$2\" } { print }' \
	    /proc/mounts >\"\$D/table\"
	export FAKE_TABLE=\$D/table
	echo data >'$1/file'
	cp /bin/sleep '$1/fakeholder'
	(cd '$1' && exec 3<file 4>>file && exec ./fakeholder 60) &
	echo \$! >\"\$D/holder\"
	$ASLEEP"
}

fake_table_compare() { # args...
	local -a COMPARE_AS=(sh "$FAKE")
	local rc=0
	compare_in_mntns "$FAKE_SETUP" "$@" || rc=$?
	kill "$(cat "$BATS_TEST_TMPDIR/holder")" 2>/dev/null || true
	return $rc
}

@test "lsof: files of NFS mounts name their server, and -N selects them, as in 4.95" {
	fake_table_setup "$BATS_TEST_TMPDIR/nfs" nfs4 "nfssrv:/export"
	local set
	while IFS= read -r set; do
		# shellcheck disable=SC2086
		fake_table_compare $set
	done <<-EOF
	-c fakehold
	-F -c fakehold
	-N -c fakehold
	-N
	-V -N -a -c fakehold -d 3
	-N -a -c fakehold -d 3
	-N -a $BATS_TEST_TMPDIR/nfs/file
	-a -c fakehold $BATS_TEST_TMPDIR/nfs/file
	-a -c fakehold $BATS_TEST_TMPDIR/nfs
	-N -a -c fakehold /
	EOF
	fake_table_compare -a -c fakehold -d 3
	grep -q "/nfs/file (nfssrv:/export)\$" "$BATS_TEST_TMPDIR/ours.out"
	# A mount table entry of another type is no NFS mount.
	fake_table_setup "$BATS_TEST_TMPDIR/nfs" nfsd "nfssrv:/export"
	fake_table_compare -V -N -a -c fakehold
	fake_table_compare -c fakehold
}

@test "lsof: -N with a file not on NFS lists nothing, as in 4.95" {
	require_oracle
	fixture_start -m -n 1
	compare -N -a "$FX_DIR/ready"
	[ ! -s "$BATS_TEST_TMPDIR/ours.out" ]
	compare -V -N -a "$FX_DIR/ready"
	compare -N "$FX_DIR/ready"
	compare -N -a -p "$FX_PID"
}

# A real NFS mount, where the kernel and nfs-kernel-server allow one: an
# export of a tmpfs, mounted back over loopback, all in namespaces of
# their own (the export table and nfsd are per namespace).
@test "lsof: a loopback NFS mount names its server and -N selects it, as in 4.95" {
	mntns_setup -m -n 1
	grep -qw nfs4 /proc/filesystems ||
	    skip "this kernel has no NFS client (no nfs4 in /proc/filesystems)"
	grep -qw nfsd /proc/filesystems ||
	    skip "this kernel has no NFS server (no nfsd in /proc/filesystems)"
	local c
	for c in exportfs rpc.nfsd rpc.mountd; do
		command -v "$c" >/dev/null ||
		    skip "needs $c (nfs-kernel-server)"
	done
	local d=$BATS_TEST_TMPDIR rc=0
	# shellcheck disable=SC2016
	KEEP=$BATS_RUN_TMPDIR MQ=$MOUNTS_QUIET \
	    unshare -n -m --propagation private bash -c '
	set -e
	eval "$MQ"
	d=$1 o=$2 l=$3
	ip link set lo up
	mount -t tmpfs tmpfs /var/lib/nfs
	mkdir -p /var/lib/nfs/rpc_pipefs /var/lib/nfs/v4recovery "$d/export" "$d/m"
	mount -t nfsd nfsd /proc/fs/nfsd
	mount -t tmpfs -o size=1m tmpfs "$d/export"
	echo data >"$d/export/file"
	: >/var/lib/nfs/etab
	echo "$d/export 127.0.0.1(rw,fsid=0,no_subtree_check,no_root_squash)" \
	    >"$d/exports"
	exportfs -f
	rpc.mountd -N 2 -N 3 -F >/dev/null 2>&1 & echo $! >"$d/mountd"
	rpc.nfsd -N 2 -N 3 1
	exportfs -o rw,fsid=0,no_subtree_check,no_root_squash \
	    "127.0.0.1:$d/export"
	mount -t nfs4 -o vers=4.2 "127.0.0.1:/" "$d/m"
	(cd "$d/m" && exec 3<file && exec sleep 60) & h=$!
	sleep 0.2
	for set in "-p $h" "-N -a -p $h" "-N -a $d/m/file" "-V -N -a -p $h -d 3"; do
		rt=0 ro=0
		$o $set >"$d/theirs.out" 2>"$d/theirs.err" || rt=$?
		$l $set >"$d/ours.out" 2>"$d/ours.err" || ro=$?
		cmp -s "$d/theirs.out" "$d/ours.out" &&
		    cmp -s "$d/theirs.err" "$d/ours.err" && [ $rt = $ro ] || {
			echo "# differs: $set"; diff "$d/theirs.out" "$d/ours.out"
			exit 1; }
	done
	grep -q "(127.0.0.1:/)" "$d/ours.out"
	kill $h; umount -l "$d/m"; rpc.nfsd 0; kill "$(cat "$d/mountd")"
	' sh "$d" "$ORACLE" "$LSOF" >"$d/nfs.log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ] && ! grep -q '^# differs' "$d/nfs.log"; then
		skip "could not set up a loopback NFS mount: $(tail -n 1 "$d/nfs.log")"
	fi
	cat "$d/nfs.log"
	[ "$rc" -eq 0 ]
}

@test "lsof: -e and +e exempt a file system from stat(2) and readlink(2) as 4.95 does" {
	mntns_setup -m -n 1
	require_cmd python3
	local ex=$BATS_TEST_TMPDIR/ex set setup
	# A process whose executable and last descriptors are on the exempt
	# file system (its cwd is not: see below).
	setup="mkdir -p '$ex'
	mount -t tmpfs -o size=4m tmpfs '$ex'
	echo data >'$ex/file'
	mkfifo '$ex/fifo'
	cp /bin/sleep '$ex/exholder'
	(cd / && exec python3 -c 'import os, sys
os.closerange(9, 65536)
os.execv(sys.argv[1], sys.argv[1:])' '$ex/exholder' 60 3</dev/null \
	    7<'$ex/file' 8<>'$ex/fifo') &
	echo \$! >\"\$D/holder\"
	$ASLEEP"
	while IFS= read -r set; do
		# shellcheck disable=SC2086
		compare_in_mntns "$setup" $set
		kill "$(cat "$BATS_TEST_TMPDIR/holder")" 2>/dev/null || true
	done <<-EOF
	-e $ex -c exholder
	+e $ex -c exholder
	-e $ex/ -o -c exholder
	-e $ex -s -c exholder
	-e $ex +L -c exholder
	-e $ex -F -c exholder
	-e $ex -a -d 7,8 -c exholder
	-e $ex -e $ex -c exholder
	-e $ex -c exholder $ex/file
	-e $BATS_TEST_TMPDIR -c exholder
	-e relative -c exholder
	-e
	EOF
	compare_in_mntns "$setup" -e "$ex" -c exholder
	kill "$(cat "$BATS_TEST_TMPDIR/holder")" 2>/dev/null || true
	grep -q " 7  *UNKNfd  *UNKNOWN  *$ex/file (-e $ex)\$" \
	    "$BATS_TEST_TMPDIR/ours.out"
	grep -q " txt  *UNKNtxt  *UNKNOWN  *$ex/exholder (-e $ex)\$" \
	    "$BATS_TEST_TMPDIR/ours.out"
}

@test "lsof: descriptors after one on an exempt file system keep their own offsets, unlike 4.95" {
	require_root
	local ex=$BATS_TEST_TMPDIR/ex out
	mkdir "$ex"
	mount_tmpfs "$ex"
	echo data >"$ex/file"
	# cwd exempt: 4.95 then shows every later descriptor's offset as the
	# size of its /proc link (0t64) and gives their flags to the cwd row.
	daemon_start exholder sh -c 'cd "$1" && exec 3</dev/null && exec sleep 60' \
	    sh "$ex"
	wait_for_cmd 10 test -e "/proc/$DAEMON_PID/fd/3"
	out=$("$LSOF" -e "$ex" -a -p "$DAEMON_PID" -d cwd,3 -F ftoG)
	[[ "$out" == *$'fcwd\ntUNKNcwd\n'* ]]
	[[ "$out" == *$'f3\ntCHR\nG0x8000;0x0\no0t0'* ]]
	[[ "$out" != *"G0x8000;0x0"*"fcwd"* ]]
}

@test "lsof: +m prints the mount supplement, +m FILE supplies devices, as in 4.95" {
	nobody_setup
	local s=$BATS_TEST_TMPDIR/sup
	mkdir "$PRIV/m"
	mount_tmpfs "$PRIV/m"
	# nobody reads the supplements: the test's directories let it in.
	local d=$BATS_TEST_TMPDIR
	while [ "${#d}" -ge "${#BATS_RUN_TMPDIR}" ]; do
		chmod o+x "$d"
		d=${d%/*}
	done
	printf '%s 0x1234\n' "$PRIV/m" >"$s.good"
	printf 'bad line\n/x 0x12\n' >"$s.nopath"
	printf '%s\n' "$PRIV/m" >"$s.nodev"
	printf '%s 0x12\n%s 0x13\n' "$PRIV/m" "$PRIV/m" >"$s.dup"
	printf '%s 0xzz\n' "$PRIV/m" >"$s.illegal"
	chmod 644 "$s".*
	compare +m
	compare +m -p "$P"
	compare_nobody +m
	compare_nobody -w +m
	local f
	for f in good nopath nodev dup illegal missing; do
		compare_nobody +m "$s.$f" -a -p "$P" -d 0-3
		compare_nobody -w +m "$s.$f" -a -p "$P" -d 0
	done
	compare_nobody +m "$s.good" -a -p "$P" -d 0
	grep -q "^lsof: assuming dev=0x1234 for $PRIV/m from $s.good\$" \
	    "$BATS_TEST_TMPDIR/ours.err"
}

@test "lsof: a block device operand names the file systems mounted from it, as in 4.95" {
	require_oracle
	local dev
	dev=$(awk '$2 == "/" { d = $1 } END { print d }' /proc/mounts)
	[ -b "$dev" ] ||
	    skip "the root file system is not mounted from a block device ($dev)"
	fixture_start -m -n 1
	compare_all <<-EOF
	-a -p $FX_PID $dev
	-V -a -p $FX_PID -d 3 $dev
	+f -a -p $FX_PID -d 3 $dev
	-f -a -p $FX_PID -d 3 $dev
	-a -p $FX_PID -d 3 $dev/
	-V -a -p $FX_PID $dev $FX_DIR/ready
	EOF
}
