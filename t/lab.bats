#!/usr/bin/env bats
# The lab: the four programs telling one story.  "make demo" (t/demo.sh)
# is run whole, in both languages, and each of its eight steps is checked
# by what the programs printed; a broken program makes it fail, naming
# the step, and it tears everything down all the same.  Then the README's
# recipes, the programs composed through pipes.  The namespace parts need
# root and skip otherwise; the loopback variant runs as nobody (as root)
# or as the user running the tests.

bats_require_minimum_version 1.5.0
load test_helper

# demo_tmp: the demo's TMPDIR, $BATS_TEST_TMPDIR/tmp, which nobody can
# reach: it runs the demo's external server (as root) or the whole
# loopback variant.
demo_tmp() {
	local d=$BATS_TEST_TMPDIR
	while [ "$d" != / ] && [ "$d" != "${TMPDIR:-/tmp}" ]; do
		chmod o+x "$d"
		d=$(dirname "$d")
	done
	mkdir -p "$BATS_TEST_TMPDIR/tmp"
	chmod 1777 "$BATS_TEST_TMPDIR/tmp"
}

# demo [VAR=value...]: t/demo.sh with its files under the test's
# directory, the locale variables cleared first.
demo() {
	demo_tmp
	run env -u LC_ALL -u LC_MESSAGES -u LANG TMPDIR="$BATS_TEST_TMPDIR/tmp" \
	    "$@" sh "$TOP_SRCDIR/t/demo.sh" 3>&-
}

need_netns() {
	require_root
	require_cmd ip ss nc
	ip netns add "ak$$probe" 2>/dev/null || skip "no network namespaces here"
	ip netns del "ak$$probe"
	grep -q "define HAVE_LIBPCAP 1" "$TOP_BUILDDIR/config.h" ||
	    skip "the stealth mode needs libpcap"
}

# The demo's namespaces, as it names them, are gone, and so are its files.
torn_down() {
	local ns
	for ns in $(printf '%s\n' "$output" |
	    grep -Eo 'akdemo[0-9]+[saf]' | sort -u); do
		! ip netns list | grep -qw "$ns" || return 1
	done
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/tmp")" ] ||
	    { ls -lAR "$BATS_TEST_TMPDIR/tmp"; return 1; }
}

# The outcomes of the whole story in namespaces, the same in any language:
# what the programs printed at each step.
story_outcomes() {
	local d
	d=$(printf '%s\n' "$output" | grep -Eo '/auditkit-demo\.[A-Za-z0-9]+' |
	    head -n 1)
	[ -n "$d" ]
	# 1: inetd checks its file and serves; 2: sentry checks its file
	[[ "$output" == *"inetd.conf: xinetd.conf syntax, 3 services enabled, 0 errors, 0 warnings"* ]]
	[[ "$output" == *"sentry.conf: 0 errors, 0 warnings"* ]]
	[[ "$output" == *"adminalert: sentry is now active and listening."* ]]
	# 3: lsof, who listens where
	[[ "$output" == *$'\ninetd '*' TCP *:79 (LISTEN)'* ]]
	[[ "$output" == *$'\nsentry '*' UDP *:161 '* ]]
	# 4: the friend is served, START and EXIT logged
	[[ "$output" == *"Hello 198.51.100.7: this is nobody, pid "* ]]
	[[ "$output" == *": START: finger pid="*" from=198.51.100.7"* ]]
	[[ "$output" == *": EXIT: finger status=0 pid="* ]]
	# 5: both scans report the three services
	[ "$(printf '%s\n' "$output" | grep -cE '^(7|13|79)/tcp +open ')" -eq 6 ]
	[[ "$output" == *"Not shown: 1097 closed tcp ports (reset)"* ]]
	[[ "$output" == *"Not shown: 1097 closed tcp ports (conn-refused)"* ]]
	# 6: sentry's alerts, its block and the hosts.deny line
	[[ "$output" == *"attackalert: TCP SYN/Normal scan from host: 203.0.113.66/203.0.113.66 to TCP port: "* ]]
	[[ "$output" == *'attackalert: Host 203.0.113.66 has been blocked via wrappers with string: "ALL: 203.0.113.66 : DENY"'* ]]
	[[ "$output" == *$'\n203.0.113.66 stcp TCP '* ]]
	[[ "$output" == *$'hosts.deny:\nALL: 203.0.113.66 : DENY\n'* ]]
	# 7: refused with a FAIL line, inetd -A's verdicts, the friend served
	[[ "$output" == *": FAIL: finger libwrap from=203.0.113.66"* ]]
	[[ "$output" == *$'client: address 203.0.113.66\nserver: process fingerd\nmatched: '*"$d/hosts.deny line 1"$'\noption: DENY\naccess: denied'* ]]
	[[ "$output" == *$'client: address 198.51.100.7\nserver: process fingerd\naccess: granted'* ]]
	[ "$(printf '%s\n' "$output" | grep -c '^Hello 198.51.100.7:')" -eq 2 ]
	[[ "$output" != *"Hello 203.0.113.66"* ]]
	# 8: nothing left
	torn_down
}

@test "make demo: the story in namespaces, each step as expected (English)" {
	need_netns
	demo LANG=C.UTF-8
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(printf '%s\n' "$output" | grep -c '^=== \[[1-8]/8\] ')" -eq 8 ]
	[[ "$output" == *"=== [1/8] inetd, a super-server ==="* ]]
	[[ "$output" == *"=== [8/8] tear-down ==="* ]]
	[ "$(printf '%s\n' "$output" | grep -c '^  ok: ')" -eq 12 ]
	[[ "$output" != *"NOT AS EXPECTED"* ]]
	[ "${lines[-1]}" = "demo done: every step went as expected." ]
	story_outcomes
}

@test "make demo: the same story and outcomes in Korean, by the locale" {
	need_netns
	demo LANG=ko_KR.UTF-8
	[ "$status" -eq 0 ]
	[[ "$output" == *"=== [1/8] inetd, 슈퍼서버 ==="* ]]
	[[ "$output" == *"=== [7/8] tcp_wrappers가 공격자를 거부한다 ==="* ]]
	[[ "$output" == *"공격자\$ pscan -sS -n -Pn -p 1-1100 203.0.113.1"* ]]
	[ "$(printf '%s\n' "$output" | grep -c '^  확인: ')" -eq 12 ]
	[[ "$output" != *" ok: "* ]]
	[ "${lines[-1]}" = "데모 완료: 모든 단계가 예상대로 진행되었다." ]
	story_outcomes
}

@test "the language: LC_ALL, then LC_MESSAGES, then LANG" {
	. "$TOP_SRCDIR/t/demo/narration.sh"
	[ "$(env -i LANG=ko_KR.UTF-8 sh -c ". '$TOP_SRCDIR/t/demo/narration.sh'; demo_lang")" = ko ]
	[ "$(env -i LC_ALL=C LANG=ko_KR.UTF-8 sh -c ". '$TOP_SRCDIR/t/demo/narration.sh'; demo_lang")" = en ]
	[ "$(env -i LC_MESSAGES=ko_KR LANG=C sh -c ". '$TOP_SRCDIR/t/demo/narration.sh'; demo_lang")" = ko ]
	[ "$(env -i LC_ALL=ko sh -c ". '$TOP_SRCDIR/t/demo/narration.sh'; demo_lang")" = ko ]
	[ "$(env -i sh -c ". '$TOP_SRCDIR/t/demo/narration.sh'; demo_lang")" = en ]
	# Every key the demo uses has an entry in both languages.
	local k l
	for k in $( (grep -Eo '(say|explain|outcome [^ ]+ [0-9]) [a-z_0-9]+' \
	    "$TOP_SRCDIR/t/demo.sh" | awk '{ print $NF }'
	    grep -Eo '\<c_[a-z_]+' "$TOP_SRCDIR/t/demo.sh") | sort -u); do
		for l in en ko; do
			DEMO_LANG=$l
			[[ "$(say "$k")" != "(narration: no entry"* ]] ||
			    { echo "no entry: $k"; return 1; }
			[ -n "$(say "$k")" ] || { echo "empty: $k $l"; return 1; }
		done
	done
	for k in 1 2 3 4 5 6 7 8; do
		DEMO_LANG=ko
		[ -n "$(say "title$k")" ]
	done
}

# fake_pscan COMMAND: $fake, a build tree whose pscan runs COMMAND.
fake_pscan() {
	local p
	fake=$BATS_TEST_TMPDIR/build
	for p in inetd sentry lsof; do
		mkdir -p "$fake/$p"
		ln -s "$TOP_BUILDDIR/$p/$p" "$fake/$p/$p"
	done
	mkdir -p "$fake/pscan"
	printf '#!/bin/sh\n%s\n' "$1" >"$fake/pscan/pscan"
	chmod 755 "$fake/pscan/pscan"
}

@test "make demo: a step whose outcome is wrong fails the demo, named, torn down all the same" {
	need_netns
	fake_pscan 'echo "pscan: nothing to see"'
	demo LANG=C TOP_BUILDDIR="$fake"
	[ "$status" -eq 1 ]
	[[ "$output" == *"  NOT AS EXPECTED: the SYN scan reports echo, daytime and finger open"* ]]
	[[ "$output" == *$'demo done: these steps did not go as expected:\n  step 5: the SYN scan reports echo, daytime and finger open\n  step 5: the connect scan reports echo, daytime and finger open\n'* ]]
	# The other steps went on, and the tear-down happened.
	[[ "$output" == *"  ok: the friend is still served"* ]]
	[[ "$output" == *"  ok: no daemon, namespace or file of the demo is left"* ]]
	torn_down
}

@test "make demo: interrupted in the middle, it still tears everything down" {
	need_netns
	require_cmd setsid
	fake_pscan 'sleep 30'
	demo_tmp
	env -u LC_ALL -u LC_MESSAGES LANG=C TMPDIR="$BATS_TEST_TMPDIR/tmp" \
	    TOP_BUILDDIR="$fake" setsid sh "$TOP_SRCDIR/t/demo.sh" \
	    >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
	local pid=$!
	wait_for_log '^attacker\$ pscan' "$BATS_TEST_TMPDIR/out"
	kill -TERM -- "-$pid"
	local rc=0
	wait "$pid" || rc=$?
	output=$(cat "$BATS_TEST_TMPDIR/out")
	[ "$rc" -eq 130 ]
	[[ "$output" == *"  ok: no daemon, namespace or file of the demo is left"* ]]
	torn_down
}

@test "make demo without root: the loopback variant says what it leaves out" {
	require_cmd ss nc
	local run_as=()
	if [ "$(id -u)" -eq 0 ]; then
		require_cmd setpriv
		run_as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
		"${run_as[@]}" test -x "$INETD" ||
		    skip "$INETD is not executable by nobody"
	fi
	demo LANG=C "${run_as[@]}"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *"Not root: the loopback variant."* ]]
	[[ "$output" == *"  - sentry's stealth mode and pscan's SYN scan (raw packets);"* ]]
	[ "$(printf '%s\n' "$output" | grep -c '^  ok: ')" -eq 11 ]
	[[ "$output" == *"sentry -D -c "*" -tcp -udp"* ]]
	[[ "$output" == *"Hello 127.0.0.3: this is "* ]]
	[[ "$output" == *"  ok: sentry reports nothing from this machine"* ]]
	[[ "$output" == *": FAIL: finger libwrap from=127.0.0.2"* ]]
	[[ "$output" == *$'client: address 127.0.0.2\nserver: process fingerd\nmatched: '* ]]
	[ "${lines[-1]}" = "demo done: every step went as expected." ]
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/tmp")" ]
	# And in Korean.
	demo LANG=ko_KR.UTF-8 "${run_as[@]}"
	[ "$status" -eq 0 ]
	[[ "$output" == *"root가 아니므로 루프백 변형으로 진행한다."* ]]
	[ "$(printf '%s\n' "$output" | grep -c '^  확인: ')" -eq 11 ]
}

# --- recipes (README "Recipes") ------------------------------------------

# A server namespace whose inetd serves echo to everyone and daytime on
# loopback only, and a client namespace beside it.
recipe_lab() {
	require_cmd ss
	lab_pair client server
	cat >"$BATS_TEST_TMPDIR/inetd.conf" <<-EOF
	service echo
	{
		type = INTERNAL UNLISTED
		socket_type = stream
		protocol = tcp
		port = 7
		wait = no
		flags = NOLIBWRAP
	}
	service daytime
	{
		type = INTERNAL UNLISTED
		socket_type = stream
		protocol = tcp
		port = 13
		wait = no
		flags = NOLIBWRAP
		bind = 127.0.0.1
	}
	EOF
	daemon_start inetd lab_exec server "$INETD" -d \
	    -f "$BATS_TEST_TMPDIR/inetd.conf"
	wait_for_cmd 10 lab_exec server sh -c 'ss -Hltn "sport = :13" | grep -q .'
}

@test "recipe: lsof's listening ports fed to pscan, reachable from another host" {
	recipe_lab
	# On the server: every TCP port something listens on.
	ports=$(lab_exec server "$LSOF" -i -sTCP:LISTEN -n -P -F n |
	    sed -n 's/^n.*://p' | sort -un | paste -sd, -)
	[ "$ports" = "7,13" ]
	# From the client: which of them it reaches.
	run --separate-stderr lab_exec client sh -c "echo ${LAB_IP4[server]} |
	    '$PSCAN' -sT -n -Pn -p '$ports' -iL - -oG - |
	    awk -F'\t' '/Ports:/ { sub(/^Ports: /, \"\", \$2)
	        n = split(\$2, e, \", \")
	        for (i = 1; i <= n; i++) { split(e[i], f, \"/\"); print f[1], f[2] } }'"
	[ "$status" -eq 0 ]
	[ "$output" = $'7 open\n13 closed' ]
}

@test "recipe: pscan -oG - filtered with awk into a port list" {
	require_cmd ss
	local p1 p2 p3
	p1=$(free_port) p2=$(free_port) p3=$(free_port)
	printf 'service echo\n{\n\ttype = INTERNAL UNLISTED\n\tsocket_type = stream\n\tprotocol = tcp\n\tport = %s\n\twait = no\n\tbind = 127.0.0.1\n\tflags = NOLIBWRAP\n}\nservice daytime\n{\n\ttype = INTERNAL UNLISTED\n\tsocket_type = stream\n\tprotocol = tcp\n\tport = %s\n\twait = no\n\tbind = 127.0.0.1\n\tflags = NOLIBWRAP\n}\n' \
	    "$p1" "$p2" >"$BATS_TEST_TMPDIR/inetd.conf"
	daemon_start inetd "$INETD" -d -f "$BATS_TEST_TMPDIR/inetd.conf"
	wait_for_port "$p1" && wait_for_port "$p2"
	run --separate-stderr sh -c "'$PSCAN' -sT -n -Pn -p $p1,$p2,$p3 -oG - 127.0.0.1 |
	    awk -F'\t' '/Ports:/ { sub(/^Ports: /, \"\", \$2)
	        n = split(\$2, e, \", \")
	        for (i = 1; i <= n; i++) { split(e[i], f, \"/\")
	            if (f[2] == \"open\") print f[1] } }' | paste -sd, -"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' "$p1" "$p2" | sort -n | paste -sd, -)" ]
}

@test "recipe: sentry's event lines counted per source with grep" {
	require_root
	grep -q "define HAVE_LIBPCAP 1" "$TOP_BUILDDIR/config.h" ||
	    skip "the stealth mode needs libpcap"
	require_cmd nc
	lab_pair scanner victim
	# A second source on the scanner's side.
	lab_exec scanner ip addr add 192.0.2.3/24 dev "${LAB_IF[scanner]}"
	local d=$BATS_TEST_TMPDIR
	cat >"$d/sentry.conf" <<-EOF
	TCP_PORTS="1,11,15,79,111"
	IGNORE_FILE="$d/ignore"
	HISTORY_FILE="$d/history"
	BLOCKED_FILE="$d/blocked"
	HOSTS_DENY_FILE="$d/hosts.deny"
	EOF
	: >"$d/ignore"
	daemon_start sentry lab_exec victim sh -c "'$SENTRY' -D -c '$d/sentry.conf' -stcp |
	    grep --line-buffered 'scan from host:' >'$d/events'"
	wait_for_log 'now active' "$BATS_TEST_TMPDIR/sentry.log"
	for p in 1 11 15; do
		lab_exec scanner nc -z -w 1 192.0.2.2 "$p" || true
	done
	lab_exec scanner nc -z -w 1 -s 192.0.2.3 192.0.2.2 79 || true
	wait_for_cmd 10 sh -c "[ \$(wc -l <'$d/events') -ge 4 ]"
	# The count per source, most active first.
	run sh -c "grep -o 'from host: [^/]*' '$d/events' | cut -d' ' -f3 |
	    sort | uniq -c | sort -rn"
	[ "$(printf '%s\n' "$output" | sed 's/^ *//')" = $'3 192.0.2.1\n1 192.0.2.3' ]
}

@test "recipe: inetd -A over a list of clients read from a file" {
	local d=$BATS_TEST_TMPDIR
	printf 'in.telnetd: 192.0.2.0/24 EXCEPT 192.0.2.13\n' >"$d/hosts.allow"
	printf 'ALL: ALL\n' >"$d/hosts.deny"
	printf '192.0.2.7\n192.0.2.13\n# a comment\n198.51.100.1\n' >"$d/clients"
	run --separate-stderr sh -c "'$INETD' -W '$d' -A in.telnetd - <'$d/clients' |
	    awk '/^client: address/ { c = \$3 } /^access:/ { print c, \$2 }'"
	[ "$status" -eq 0 ]
	[ "$output" = $'192.0.2.7 granted\n192.0.2.13 denied\n198.51.100.1 denied' ]
}
