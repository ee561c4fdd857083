#!/usr/bin/env bats
# lsof: options beyond the byte-for-byte comparisons: help, version,
# exit status, repeat mode, JSON, and what 4.95 lacks.

bats_require_minimum_version 1.5.0
load lsof-helper

@test "lsof -h prints lsof's help on stdout and exits 0" {
	run --separate-stderr "$LSOF" -h
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "$output" == *" usage: [-?abhKlnNoOPRtUvVX]"* ]]
	[[ "$output" == *"-U select Unix socket"* ]]
	run --separate-stderr "$LSOF" -?
	[ "$status" -eq 0 ]
	[[ "$output" == *"Defaults in parentheses"* ]]
}

@test "lsof -v prints version information on stderr" {
	run --separate-stderr "$LSOF" -v
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[[ "$stderr" == "lsof version information:"* ]]
}

@test "lsof: bad options give the short usage on stderr and exit 1" {
	run --separate-stderr "$LSOF" -y -q
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == "lsof: illegal option character: y"$'\n'"lsof: illegal option character: q"* ]]
	[[ "$stderr" == *"Use the \`\`-h'' option to get more help information." ]]
	run --separate-stderr "$LSOF" -d 1,^2
	[ "$status" -eq 1 ]
	[[ "$stderr" == "lsof: exclude in an include -d list: ^2"* ]]
	run --separate-stderr "$LSOF" -Z
	[ "$status" -eq 1 ]
	[[ "$stderr" == "lsof: -Z limited to SELinux"* ]]
}

@test "lsof: exit status 1 for a search item not found, 0 with -Q" {
	fixture_start -m -n 2
	run --separate-stderr "$LSOF" -p "$FX_PID"
	[ "$status" -eq 0 ]
	run --separate-stderr "$LSOF" -p 2147483646
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	run --separate-stderr "$LSOF" -Q -p 2147483646
	[ "$status" -eq 0 ]
	run --separate-stderr "$LSOF" -c no_such_command_xyz
	[ "$status" -eq 1 ]
	run --separate-stderr "$LSOF" -V -a -p "$FX_PID" -c zzz_nope
	[ "$status" -eq 1 ]
	[ "$output" = "lsof: command not located: zzz_nope" ]
	# A name that cannot be stat'd is reported and makes the status 1.
	run --separate-stderr "$LSOF" -p "$FX_PID" "$BATS_TEST_TMPDIR/nope"
	[ "$status" -eq 1 ]
	want="lsof: status error on $BATS_TEST_TMPDIR/nope: No such file or directory"
	[ "$(mount_warnings_dropped <<<"$stderr")" = "$want" ]
}

@test "lsof -t lists each PID once, -t with -a narrows" {
	comm=fx$RANDOM$RANDOM
	fixture_start -N "$comm" -m -c 3 -n 2
	run "$LSOF" -t -c "$comm"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	sort -n "$FX_DIR/ready" >"$BATS_TEST_TMPDIR/want"
	printf '%s\n' "${lines[@]}" >"$BATS_TEST_TMPDIR/got"
	cmp "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
}

@test "lsof -r prints a marker after each cycle, c<N> stops, +r ends when empty" {
	fixture_start -m -n 2
	run --separate-stderr timeout 20 "$LSOF" -r1c2 -a -p "$FX_PID" -d 3
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 6 ]
	[ "${lines[2]}" = "=======" ]
	[ "${lines[5]}" = "=======" ]
	run --separate-stderr timeout 20 "$LSOF" -F pf -r1c2 -a -p "$FX_PID" \
	    -d 3
	[ "$output" = $'p'"$FX_PID"$'\nf3\nm\np'"$FX_PID"$'\nf3\nm' ]
	# +r: the first empty cycle ends it, and nothing found means 1.
	run --separate-stderr timeout 20 "$LSOF" +r1 -p 2147483646
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	run --separate-stderr timeout 20 "$LSOF" -r1c1m%%Y -a -p "$FX_PID" -d 3
	[ "${lines[2]}" = "%Y" ]
}

@test "lsof -J and -j produce JSON with lsof 4.99's keys" {
	require_cmd python3
	fixture_start
	"$LSOF" -J -p "$FX_PID" >"$BATS_TEST_TMPDIR/doc.json"
	python3 - "$BATS_TEST_TMPDIR/doc.json" "$FX_PID" <<-'PY'
	import json, sys
	doc = json.load(open(sys.argv[1]))
	pid = int(sys.argv[2])
	assert "lsof_version" in doc
	procs = [p for p in doc["processes"] if p["pid"] == pid]
	assert procs and procs[0]["command"] == "lsof-fixture"
	files = procs[0]["files"]
	fds = {f["fd"]: f for f in files}
	assert fds["cwd"]["type"] == "DIR"
	tcp = [f for f in files if f.get("protocol") == "TCP"]
	assert any(f["tcp_info"]["state"] == "LISTEN" for f in tcp)
	assert any(f["name"].endswith("new\\nline") for f in files)
	PY
	"$LSOF" -j -p "$FX_PID" >"$BATS_TEST_TMPDIR/lines.json"
	python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' \
	    "$BATS_TEST_TMPDIR/lines.json"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/lines.json")" -ge 1 ]
}

@test "lsof -Tu shows connected UDP as ESTABLISHED; default output does not" {
	fixture_start
	run --separate-stderr "$LSOF" -a -p "$FX_PID" -iUDP -n -P
	[ "$status" -eq 0 ]
	[[ "$output" != *"ESTABLISHED"* ]]
	run --separate-stderr "$LSOF" -a -p "$FX_PID" -iUDP -n -P -Tsu
	[[ "$output" == *"UDP 127.0.0.1:"*"->127.0.0.1:"*" (ESTABLISHED)"* ]]
}

@test "lsof -i with a service name and an IPv6 address selects by both" {
	fixture_start
	port=$(cat "$FX_DIR/tcpport")
	run --separate-stderr "$LSOF" -a -p "$FX_PID" -n -P -i "6TCP@[::1]"
	[ "$status" -eq 0 ]
	[[ "$output" == *"TCP [::1]:"*"(LISTEN)"* ]]
	[[ "$output" != *"IPv4"* ]]
	run --separate-stderr "$LSOF" -a -p "$FX_PID" -n -P \
	    -i "TCP@127.0.0.1:$port"
	[ "${#lines[@]}" -eq 4 ]
	run --separate-stderr "$LSOF" -a -p "$FX_PID" -i TCP:ssh
	[ "$status" -eq 1 ]
	[ -z "$output" ]
}

@test "lsof -S gives up on a name whose stat(2) never returns" {
	local m=$BATS_TEST_TMPDIR/m hang=$TOP_BUILDDIR/t/lsof-hang
	mkdir "$m"
	# A FUSE file system that never answers, in a mount namespace of
	# its own; lsof-hang exits 77 where that cannot be made.
	local fw="lsof: WARNING: can't stat() fuse file system $m"$'\n'
	fw+="      Output information may be incomplete."
	run --separate-stderr timeout 60 "$hang" "$m" "$LSOF" -S 2 "$m"
	[ "$status" -ne 77 ] || skip "cannot mount a FUSE file system here"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	# The mount table is read at the first operand, before its stat(2):
	# the mount point gets the warning 4.95 would give, had it not hung.
	[[ "$stderr" == *"$fw"$'\n'"lsof: status error on $m: Connection timed out" ]]
	[ "$(mount_warnings_dropped <<<"$stderr")" = \
	    "lsof: status error on $m: Connection timed out" ]
	run --separate-stderr timeout 60 "$hang" "$m" "$LSOF" -S 2 +D "$m"
	[ "$status" -eq 1 ]
	[[ "$stderr" == "lsof: WARNING: can't stat($m): Connection timed out"$'\n'* ]]
	# -i alone reads no mount table, in 4.95 as here: no wait at all.
	run --separate-stderr timeout 60 "$hang" "$m" "$LSOF" -S 2 -iTCP:1
	[ "$status" -eq 1 ]
	[ -z "$stderr" ]
}

@test "lsof: UNIX socket paths with blanks are shown whole (4.95 cuts them)" {
	require_cmd python3
	local d=$BATS_TEST_TMPDIR pid
	daemon_start ux python3 -c 'import socket, sys, time
s = []
for p in sys.argv[1:]:
    u = socket.socket(socket.AF_UNIX)
    u.bind(p)
    u.listen()
    s.append(u)
open(sys.argv[1] + ".ready", "w").write("ok")
time.sleep(60)' "$d/a b" "$d/t"$'\t'"b" "$d/n"$'\n'"l"
	pid=$DAEMON_PID
	wait_for_file "$d/a b.ready"
	run --separate-stderr "$LSOF" -a -p "$pid" -U
	[ "$status" -eq 0 ]
	[[ "$output" == *" $d/a b type=STREAM (LISTEN)"* ]]
	[[ "$output" == *" $d/t\\tb type=STREAM (LISTEN)"* ]]
	# /proc/net/unix ends a path at its newline, for 4.95 as here.
	[[ "$output" == *" $d/n type=STREAM (LISTEN)"* ]]
	# Selection by the whole path too.
	run --separate-stderr "$LSOF" -t "$d/a b"
	[ "$output" = "$pid" ]
	if [ -x "$ORACLE" ]; then
		run --separate-stderr "$ORACLE" -a -p "$pid" -U
		[[ "$output" == *" $d/a type=STREAM (LISTEN)"* ]]
	fi
}
