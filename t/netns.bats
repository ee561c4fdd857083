#!/usr/bin/env bats
# The netns lab helper: two throw-away hosts joined by veth, reachable over
# IPv4 and IPv6, with nothing left behind afterwards, even after a failure.

load test_helper

setup_file() {
	export LAB_RECORD="$BATS_FILE_TMPDIR/lab-names"
}

# Run a bats file in a clean environment: the outer run's BATS_* variables,
# and its libexec directory at the head of PATH, would confuse the inner one.
inner_bats() {
	local path
	path=$(printf '%s\n' "${PATH//:/$'\n'}" | grep -v bats-core | paste -sd:)
	env -i PATH="$path" HOME="${HOME:-/}" TOP_SRCDIR="$TOP_SRCDIR" \
	    TOP_BUILDDIR="$TOP_BUILDDIR" "$@" </dev/null
}

lab_port_listening() { # host port
	lab_exec "$1" ss -Hltn "sport = :$2" | grep -q .
}

lab_gone() { # every namespace and device named in $1 has disappeared
	local name
	while read -r name; do
		ip netns list | grep -qw -- "$name" && return 1
		ip link show "$name" >/dev/null 2>&1 && return 1
	done <"$1"
	return 0
}

@test "lab_pair: two hosts reach each other over IPv4 and IPv6" {
	require_root
	require_cmd ip ping nc
	lab_pair a b
	printf '%s\n' "${LAB_NS[a]}" "${LAB_NS[b]}" "${LAB_IF[a]}" \
	    "${LAB_IF[b]}" >"$LAB_RECORD"
	[ "${LAB_IP4[a]}" = 192.0.2.1 ]
	[ "${LAB_IP4[b]}" = 192.0.2.2 ]
	[ "${LAB_IP6[b]}" = 2001:db8::2 ]
	ip netns list | grep -qw -- "${LAB_NS[a]}"
	lab_exec a ping -c1 -W2 "${LAB_IP4[b]}"
	lab_exec a ping -c1 -W2 "${LAB_IP6[b]}"
	# A TCP connection across the veth, with a readiness poll.
	lab_exec b nc -l "${LAB_IP4[b]}" 7777 >"$BATS_TEST_TMPDIR/got" 3>&- &
	wait_for_cmd 10 lab_port_listening b 7777
	echo "hello across" | lab_exec a nc -N "${LAB_IP4[b]}" 7777
	wait_for_file "$BATS_TEST_TMPDIR/got"
	[ "$(cat "$BATS_TEST_TMPDIR/got")" = "hello across" ]
}

@test "lab hosts have no route out of their network" {
	require_root
	lab_pair a b 198.51.100 2001:db8:1:
	[ "${LAB_IP4[a]}" = 198.51.100.1 ]
	run lab_exec a ip route get 203.0.113.9
	[ "$status" -ne 0 ]
	run lab_exec a ip -6 route get 2001:db8:ffff::1
	[ "$status" -ne 0 ]
}

@test "the previous test's namespaces and veths are gone" {
	require_root
	[ -s "$LAB_RECORD" ]
	lab_gone "$LAB_RECORD"
}

@test "a failing test still removes its lab" {
	require_root
	# (bats would take a line-leading "@test" in a heredoc as its own)
	{
		echo "load '$TOP_SRCDIR/t/test_helper'"
		echo '@test "creates a lab, then fails" {'
		echo '	lab_pair x y'
		echo '	printf "%s\n" "${LAB_NS[x]}" "${LAB_NS[y]}" \'
		echo "	    \"\${LAB_IF[x]}\" >'$BATS_TEST_TMPDIR/names'"
		echo '	false'
		echo '}'
	} >"$BATS_TEST_TMPDIR/fails.bats"
	run inner_bats bats "$BATS_TEST_TMPDIR/fails.bats"
	[ "$status" -eq 1 ]
	[[ "$output" == *"not ok 1 creates a lab, then fails"* ]]
	[ "$(wc -l <"$BATS_TEST_TMPDIR/names")" -eq 3 ]
	lab_gone "$BATS_TEST_TMPDIR/names"
}

@test "without root the lab skips instead of failing" {
	[ "$(id -u)" -ne 0 ] || require_cmd setpriv
	{
		echo "load '$TOP_SRCDIR/t/test_helper'"
		echo '@test "wants a lab" {'
		echo '	lab_pair a b'
		echo '}'
	} >"$BATS_TEST_TMPDIR/user.bats"
	# The unprivileged user must reach the file: open the path down to it.
	local d=$BATS_TEST_TMPDIR
	while [ "$d" != / ] && [ "$d" != "${BATS_RUN_TMPDIR%/}" ]; do
		chmod a+rx "$d"
		d=$(dirname "$d")
	done
	chmod a+rx "$d"
	chmod a+r "$BATS_TEST_TMPDIR/user.bats"
	if [ "$(id -u)" -eq 0 ]; then
		run inner_bats setpriv --reuid=65534 --regid=65534 \
		    --clear-groups bats "$BATS_TEST_TMPDIR/user.bats"
	else
		run inner_bats bats "$BATS_TEST_TMPDIR/user.bats"
	fi
	[ "$status" -eq 0 ]
	[[ "$output" == *"ok 1 wants a lab # skip needs root"* ]]
}
