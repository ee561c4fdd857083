#!/usr/bin/env bats
# sentry against portsentry 1.2 itself, the same probes sent to each: the
# syslog lines and the hosts.deny, blocked and history files are the same
# (times aside), where 1.2 is right; where it is wrong (the port after a
# failed bind, BLOCK_TCP="0", a port in TIME_WAIT) the difference is
# asserted.  1.2 has its configuration and hosts.deny paths compiled in
# and logs only to syslog, so each detector runs under t/sentry-ns.sh: in
# the victim's namespace, with the test's files mounted over those paths
# and a /dev/log of its own.

bats_require_minimum_version 1.5.0
load test_helper
load sentry-helper

setup() {
	require_root
	require_cmd hping3 nc unshare python3
	# Installed, or unpacked (sentry-ns.sh then makes the paths it has
	# compiled in, in an overlay of its own).
	anchor_path PORTSENTRY portsentry usr/sbin/portsentry
	grep -q "define HAVE_LIBPCAP 1" "$TOP_BUILDDIR/config.h" ||
	    skip "needs a build with libpcap"
	T=$BATS_TEST_TMPDIR
	echo "127.0.0.1/32" >"$T/ignore"
	sentry_lab
}

# A configuration for one of the two ("ps" or "ours"), then sed commands.
oracle_conf() { # name [sed script]
	cat >"$T/$1.conf" <<-EOF
	TCP_PORTS="1,11,15,79,111,119,143,540,635"
	UDP_PORTS="1,7,9,69,161"
	ADVANCED_PORTS_TCP="1024"
	ADVANCED_PORTS_UDP="1024"
	ADVANCED_EXCLUDE_TCP="113,139"
	ADVANCED_EXCLUDE_UDP="520,138,137,67"
	IGNORE_FILE="$T/ignore"
	HISTORY_FILE="$T/$1.history"
	BLOCKED_FILE="$T/$1.blocked"
	HOSTS_DENY_FILE="$T/$1.deny"
	RESOLVE_HOST = "0"
	BLOCK_UDP="1"
	BLOCK_TCP="1"
	KILL_ROUTE="/bin/echo route \$TARGET\$"
	KILL_HOSTS_DENY="ALL: \$TARGET\$ : DENY"
	SCAN_TRIGGER="0"
	PORT_BANNER="** GO AWAY **"
	EOF
	[ -z "${2:-}" ] || sed -i "$2" "$T/$1.conf"
	: >"$T/$1.deny"
}

start_ps() { # mode [sed script]
	oracle_conf ps "${2:-}"
	harness_start ps "$T/ps.conf:/etc/portsentry/portsentry.conf" \
	    "$T/ps.deny:/etc/hosts.deny" -- "$PORTSENTRY" "-$1"
}

start_ours() { # mode [sed script]
	oracle_conf ours "${2:-}"
	harness_start ours -- "$SENTRY" -c "$T/ours.conf" "-$1"
}

# A probe, then its alert in name's syslog: both see the same order.
send() { # name port pattern command...
	local name=$1 port=$2 pat=$3
	shift 3
	probe "$@"
	wait_for_cmd 5 grep -q -e "$pat" "$T/$name/syslog" || {
		cat "$T/$name/syslog" >&2
		return 1
	}
}

# The file with its times (epoch, date, clock) blanked.
untimed() {
	sed 's/^[0-9]* - [0-9/]* [0-9:]* /TIME /' "$1"
}

stealth_probes() { # tcp-name udp-name
	send "$1" 1 "dropped route" hping3 -q -c 1 -S -p 1 "$V4"
	send "$1" 11 "TCP port: 11$" hping3 -q -c 1 -F -p 11 "$V4"
	send "$1" 15 "TCP port: 15$" hping3 -q -c 1 -F -P -U -p 15 "$V4"
	send "$1" 79 "TCP port: 79$" hping3 -q -c 1 -p 79 "$V4"
	probe hping3 -q -c 1 -A -p 540 "$V4"
	send "$1" 111 "TCP port: 111$" hping3 -q -c 1 -S -F -p 111 "$V4"
	send "$1" 119 "IP options set" hping3 -q -c 1 -S --rroute -p 119 "$V4"
	send "$2" 161 "192.0.2.50 has been blocked via dropped route" \
	    hping3 -q -c 1 --udp -p 161 -a 192.0.2.50 "$V4"
}

start_ps2() { # mode mode: 1.2 needs a process per mode
	oracle_conf ps
	harness_start ps "$T/ps.conf:/etc/portsentry/portsentry.conf" \
	    "$T/ps.deny:/etc/hosts.deny" -- "$PORTSENTRY" "-$1"
	harness_start ps2 "$T/ps.conf:/etc/portsentry/portsentry.conf" \
	    "$T/ps.deny:/etc/hosts.deny" -- "$PORTSENTRY" "-$2"
}

@test "stealth modes: the same attack lines and the same files as 1.2" {
	start_ps2 stcp sudp
	stealth_probes ps ps2
	harness_stop_all
	oracle_conf ours
	harness_start ours -- "$SENTRY" -c "$T/ours.conf" -stcp -sudp
	stealth_probes ours ours
	run diff <({ harness_lines ps attackalert; harness_lines ps2 attackalert; }) \
	    <(harness_lines ours attackalert)
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(harness_lines ours attackalert | wc -l)" -eq 17 ]
	cmp "$T/ps.deny" "$T/ours.deny"
	diff <(untimed "$T/ps.blocked.stcp") <(untimed "$T/ours.blocked.stcp")
	diff <(untimed "$T/ps.blocked.sudp") <(untimed "$T/ours.blocked.sudp")
	diff <(untimed "$T/ps.history") <(untimed "$T/ours.history")
	[ "$(stat -c %a "$T/ps.history")" = "$(stat -c %a "$T/ours.history")" ]
	[ "$(stat -c %a "$T/ps.blocked.stcp")" = "$(stat -c %a "$T/ours.blocked.stcp")" ]
}

classic_probes() { # tcp-name udp-name
	send "$1" 143 "dropped route" sh -c "nc -w 1 $V4 143 </dev/null"
	send "$2" 7 "UDP port: 7$" sh -c "echo x | nc -u -w 1 $V4 7"
}

@test "classic modes: the same lines as 1.2, and one hosts.deny line, not two" {
	start_ps2 tcp udp
	classic_probes ps ps2
	wait_for_cmd 5 grep -q "dropped route" "$T/ps2/syslog"
	harness_stop_all
	sentry_lab	# anew: 1.2's TIME_WAIT sockets are in the way
	oracle_conf ours
	harness_start ours -- "$SENTRY" -c "$T/ours.conf" -tcp -udp
	classic_probes ours ours
	wait_for_cmd 5 grep -q "already blocked" "$T/ours/syslog"
	diff <(harness_lines ps attackalert) \
	    <(harness_lines ours attackalert | head -3)
	[ "$(harness_lines ps2 attackalert | head -1)" = "attackalert: Connect from host: $A4/$A4 to UDP port: 7" ]
	[ "$(harness_lines ours attackalert | tail -2)" = "attackalert: Connect from host: $A4/$A4 to UDP port: 7
attackalert: Host: $A4 is already blocked. Ignoring" ]
	# 1.2's second process writes the host into hosts.deny again.
	[ "$(cat "$T/ps.deny")" = "ALL: $A4 : DENY
ALL: $A4 : DENY" ]
	[ "$(cat "$T/ours.deny")" = "ALL: $A4 : DENY" ]
}

@test "after a port fails to bind, 1.2 reports later connections with wrong ports" {
	ip netns exec "${LAB_NS[v]}" socat TCP4-LISTEN:11,reuseaddr,fork /dev/null 3>&- &
	echo $! >>"$BATS_TEST_TMPDIR/.daemons"
	wait_for_cmd 5 sh -c "ip netns exec ${LAB_NS[v]} ss -Hltn 'sport = :11' | grep -q ."
	start_ps tcp 's/^BLOCK_TCP=.*/BLOCK_TCP="0"/'
	send ps 143 "Connect from host" sh -c "nc -w 1 $V4 143 </dev/null"
	harness_stop_all
	sentry_lab	# anew: 1.2's TIME_WAIT sockets are in the way
	ip netns exec "${LAB_NS[v]}" socat TCP4-LISTEN:11,reuseaddr,fork /dev/null 3>&- &
	echo $! >>"$BATS_TEST_TMPDIR/.daemons"
	wait_for_cmd 5 sh -c "ip netns exec ${LAB_NS[v]} ss -Hltn 'sport = :11' | grep -q ."
	start_ours tcp 's/^BLOCK_TCP=.*/BLOCK_TCP="0"/'
	send ours 143 "Connect from host" sh -c "nc -w 1 $V4 143 </dev/null"
	[ "$(harness_lines ps "could not bind")" = "adminalert: ERROR: could not bind TCP socket: 11. Attempting to continue" ]
	# 1.2's sockets shift down a place: 143 is named after its neighbour.
	[ "$(harness_lines ps "Connect from")" = "attackalert: Connect from host: $A4/$A4 to TCP port: 119" ]
	[ "$(harness_lines ours "Connect from")" = "attackalert: Connect from host: $A4/$A4 to TCP port: 143" ]
}

@test "BLOCK_TCP=\"0\": 1.2 records a block and calls the host blocked; sentry does neither" {
	start_ps stcp 's/^BLOCK_TCP=.*/BLOCK_TCP="0"/'
	send ps 1 "TCP port: 1$" hping3 -q -c 1 -S -p 1 "$V4"
	send ps 11 "already blocked" hping3 -q -c 1 -S -p 11 "$V4"
	harness_stop_all
	start_ours stcp 's/^BLOCK_TCP=.*/BLOCK_TCP="0"/'
	send ours 1 "TCP port: 1$" hping3 -q -c 1 -S -p 1 "$V4"
	send ours 11 "TCP port: 11$" hping3 -q -c 1 -S -p 11 "$V4"
	[ -s "$T/ps.blocked.stcp" ]
	[ ! -s "$T/ours.blocked.stcp" ]
	[ -z "$(harness_lines ours "already blocked")" ]
	diff <(untimed "$T/ps.history") <(untimed "$T/ours.history")
}

@test "-atcp: 1.2 skips a port held by a TIME_WAIT socket; sentry watches it" {
	ip netns exec "${LAB_NS[a]}" socat TCP4-LISTEN:5001,reuseaddr,fork SYSTEM:'cat >/dev/null' 3>&- &
	echo $! >>"$BATS_TEST_TMPDIR/.daemons"
	wait_for_cmd 5 sh -c "ip netns exec ${LAB_NS[a]} ss -Hltn 'sport = :5001' | grep -q ."
	ip netns exec "${LAB_NS[v]}" python3 -c '
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("", 600))
s.connect((sys.argv[1], 5001))
time.sleep(0.1)
s.close()
time.sleep(0.2)' "$A4"
	start_ps atcp 's/^BLOCK_TCP=.*/BLOCK_TCP="0"/'
	probe hping3 -q -c 1 -S -p 600 "$V4"
	send ps 601 "TCP port: 601$" hping3 -q -c 1 -S -p 601 "$V4"
	harness_stop_all
	start_ours atcp 's/^BLOCK_TCP=.*/BLOCK_TCP="0"/'
	send ours 600 "TCP port: 600$" hping3 -q -c 1 -S -p 600 "$V4"
	[ "$(harness_lines ps "Ignored TCP port: 600")" = "adminalert: Advanced Stealth scan detection mode activated. Ignored TCP port: 600" ]
	[ -z "$(harness_lines ps "to TCP port: 600$")" ]
	# The start-up lines are otherwise 1.2's.
	diff <(harness_lines ps "Advanced" | grep -v "port: 600$") \
	    <(harness_lines ours "Advanced")
}

@test "no substring fault in Debian's 1.2: 192.0.2.11 is blocked after 192.0.2.110" {
	start_ps stcp
	send ps 1 "192.0.2.110 has been blocked via dropped" \
	    hping3 -q -c 1 -S -p 1 -a 192.0.2.110 "$V4"
	send ps 1 "192.0.2.11 has been blocked via dropped" \
	    hping3 -q -c 1 -S -p 1 -a 192.0.2.11 "$V4"
	[ "$(cat "$T/ps.deny")" = "ALL: 192.0.2.110 : DENY
ALL: 192.0.2.11 : DENY" ]
}
