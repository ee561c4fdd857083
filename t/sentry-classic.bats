#!/usr/bin/env bats
# sentry: the classic modes (-tcp, -udp) in a pair of network namespaces:
# connections and datagrams are reported in portsentry 1.2's words and
# answered with PORT_BANNER, over IPv4 and IPv6; a SYN scan completes no
# connection and is not seen; every port of a long list is bound (1.2
# stops at 64), a port already taken is reported once and the others
# keep their own numbers (1.2 shifts them), and SO_REUSEADDR lets a
# restart bind ports in TIME_WAIT.

bats_require_minimum_version 1.5.0
load test_helper
load sentry-helper

setup() {
	require_root
	require_cmd nmap nc socat
	sentry_lab
	sentry_conf 'BLOCK_TCP="0"' 'BLOCK_UDP="0"' 'PORT_BANNER="** GO AWAY **"'
}

connect() { # port [target]: a connection from the attacker; prints what came
	ip netns exec "${LAB_NS[a]}" nc -w 1 "${2:-$V4}" "$1" </dev/null \
	    2>/dev/null || true
}

@test "-tcp: connections are reported and get PORT_BANNER; a SYN scan is not seen" {
	sentry_start -tcp
	grep -q "adminalert: Going into listen mode on TCP port: 143" "$SLOG"
	probe nmap -n -Pn -sS -p 11 "$V4"
	run connect 143
	[ "$output" = "** GO AWAY **" ]
	probe nmap -n -Pn -sT -p 540 "$V4"
	wait_event "TCP port: 540$"
	run events
	[ "${lines[0]}" = "attackalert: Connect from host: $A4/$A4 to TCP port: 143" ]
	[ "${lines[1]}" = "attackalert: Ignoring TCP response per configuration file setting." ]
	[ "${lines[2]}" = "attackalert: Connect from host: $A4/$A4 to TCP port: 540" ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "-udp: datagrams are reported and answered with PORT_BANNER" {
	sentry_start -udp
	run ip netns exec "${LAB_NS[a]}" socat -T 1 - "UDP4:$V4:7" <<<"hello"
	[ "$output" = "** GO AWAY **" ]
	probe nmap -n -Pn -sU -p 9 "$V4"
	wait_event "UDP port: 9$"
	run events
	[ "${lines[0]}" = "attackalert: Connect from host: $A4/$A4 to UDP port: 7" ]
	[ "${lines[1]}" = "attackalert: Ignoring UDP response per configuration file setting." ]
	[ "${lines[2]}" = "attackalert: Connect from host: $A4/$A4 to UDP port: 9" ]
}

@test "IPv6: one socket per port takes both families" {
	sentry_start -tcp -udp
	connect 79 "$V6" >/dev/null
	probe socat -T 1 - "UDP6:[$V6]:69" <<<"x"
	wait_event "attackalert: Connect from host: $A6/$A6 to TCP port: 79"
	wait_event "attackalert: Connect from host: $A6/$A6 to UDP port: 69"
	[ "$(ip netns exec "${LAB_NS[v]}" ss -Hltn 'sport = :79' | wc -l)" -eq 1 ]
}

@test "a port taken is reported once, with its number; the others keep theirs" {
	ip netns exec "${LAB_NS[v]}" socat TCP4-LISTEN:11,reuseaddr,fork /dev/null 3>&- &
	echo $! >>"$BATS_TEST_TMPDIR/.daemons"
	wait_for_cmd 5 sh -c "ip netns exec ${LAB_NS[v]} ss -Hltn 'sport = :11' | grep -q ."
	sentry_start -tcp
	[ "$(grep -c "could not bind" "$SLOG")" -eq 1 ]
	grep -q "adminalert: ERROR: could not bind TCP socket: 11. Attempting to continue (Address already in use)" "$SLOG"
	connect 143 >/dev/null
	connect 540 >/dev/null
	wait_event "TCP port: 540$"
	run events
	[ "${lines[0]}" = "attackalert: Connect from host: $A4/$A4 to TCP port: 143" ]
	[ "${lines[2]}" = "attackalert: Connect from host: $A4/$A4 to TCP port: 540" ]
}

@test "no 64-port limit: 300 ports bound, each reported as itself" {
	sentry_conf 'BLOCK_TCP="0"' 'TCP_PORTS="1001-1300"'
	sentry_start -tcp
	[ "$(ip netns exec "${LAB_NS[v]}" ss -Hltn | wc -l)" -eq 300 ]
	connect 1001 >/dev/null
	connect 1300 >/dev/null
	wait_event "TCP port: 1300$"
	grep -q "TCP port: 1001$" "$EVENTS"
}

@test "a restart binds ports that connections left in TIME_WAIT" {
	sentry_start -tcp
	connect 143 >/dev/null
	wait_event "TCP port: 143$"
	sentry_stop
	ip netns exec "${LAB_NS[v]}" ss -Htan state time-wait | grep -q ":143 "
	sentry_start -tcp
	! grep -q "could not bind" "$SLOG"
	connect 143 >/dev/null
	wait_event "TCP port: 143$"
}

@test "every port taken: the classic mode cannot start, and says so" {
	sentry_conf 'TCP_PORTS="11"'
	ip netns exec "${LAB_NS[v]}" socat TCP4-LISTEN:11,reuseaddr,fork /dev/null 3>&- &
	echo $! >>"$BATS_TEST_TMPDIR/.daemons"
	wait_for_cmd 5 sh -c "ip netns exec ${LAB_NS[v]} ss -Hltn 'sport = :11' | grep -q ."
	run --separate-stderr ip netns exec "${LAB_NS[v]}" "$SENTRY" -D -c "$SCONF" -tcp
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"adminalert: ERROR: could not bind ANY TCP sockets. Shutting down."* ]]
}
