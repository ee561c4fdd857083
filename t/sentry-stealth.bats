#!/usr/bin/env bats
# sentry: the stealth and advanced modes (-stcp -sudp -atcp -audp) in a
# pair of network namespaces: nmap's SYN, FIN, XMAS, NULL, connect and
# UDP scans and hping3's single segments are reported in portsentry 1.2's
# words, over IPv4 and IPv6; a port with a listener never is; advanced
# mode learns listeners from the kernel (a TIME_WAIT socket does not make
# a port "in use"); and a fast scan loses no probe.

bats_require_minimum_version 1.5.0
load test_helper
load sentry-helper

setup() {
	require_root
	require_cmd nmap hping3 socat
	grep -q "define HAVE_LIBPCAP 1" "$TOP_BUILDDIR/config.h" ||
	    skip "needs a build with libpcap"
	sentry_lab
	sentry_conf 'BLOCK_TCP="0"' 'BLOCK_UDP="0"'
}

nmap_a() { # nmap arguments...: from the attacker, no ping, numeric
	probe nmap -n -Pn "$@"
}

line() { # kind port [proto] [from]: the alert line 1.2 would write
	local from=${4:-$A4}
	if [ "${3:-TCP}" = UDP ]; then
		echo "attackalert: UDP scan from host: $from/$from to UDP port: $2"
	else
		echo "attackalert: $1 from host: $from/$from to TCP port: $2"
	fi
}

@test "-stcp: nmap SYN, FIN, XMAS, NULL and connect scans; an ACK scan is no probe" {
	sentry_start -stcp
	nmap_a -sS -p 1,11 "$V4"
	nmap_a -sF -p 15 "$V4"
	nmap_a -sX -p 79 "$V4"
	nmap_a -sN -p 111 "$V4"
	nmap_a -sT -p 119 "$V4"
	nmap_a -sA -p 143 "$V4"
	wait_event "port: 119$"
	run events
	[[ "$output" == *"$(line "TCP SYN/Normal scan" 1)"* ]]
	[[ "$output" == *"$(line "TCP SYN/Normal scan" 11)"* ]]
	[[ "$output" == *"$(line "TCP FIN scan" 15)"* ]]
	[[ "$output" == *"$(line "TCP XMAS scan" 79)"* ]]
	[[ "$output" == *"$(line " TCP NULL scan" 111)"* ]]
	[[ "$output" == *"$(line "TCP SYN/Normal scan" 119)"* ]]
	[[ "$output" != *"port: 143"* ]]
	# nmap sends no other port of the list a probe.
	[ "$(events | grep -c "scan from host")" -ge 6 ]
	[ "$(events | grep "scan from host" | grep -vc -e "port: 1$" \
	    -e "port: 11$" -e "port: 15$" -e "port: 79$" -e "port: 111$" \
	    -e "port: 119$")" -eq 0 ]
}

@test "-stcp: hping3's flag sets, one line each, IP options flagged" {
	sentry_start -stcp
	hping 1 -S
	hping 11 -F
	hping 15 -F -P -U
	hping 79
	hping 111 -S -F
	hping 119 -S --rroute
	hping 540 -A
	hping 540 -R
	hping 635 -S -X -Y	# ECN bits are not flags 1.2 reads
	wait_event "port: 635$"
	run events
	[ "${lines[0]}" = "$(line "TCP SYN/Normal scan" 1)" ]
	[ "${lines[1]}" = "attackalert: Ignoring TCP response per configuration file setting." ]
	[ "${lines[2]}" = "$(line "TCP FIN scan" 11)" ]
	[ "${lines[3]}" = "$(line "TCP XMAS scan" 15)" ]
	[ "${lines[4]}" = "$(line " TCP NULL scan" 79)" ]
	[ "${lines[5]}" = "$(line "Unknown Type: TCP Packet Flags: SYN: 1 FIN: 1 ACK: 0 PSH: 0 URG: 0 RST: 0" 111)" ]
	[ "${lines[6]}" = "$(line "TCP SYN/Normal scan" 119)" ]
	[ "${lines[7]}" = "attackalert: Packet from host: $A4/$A4 to TCP port: 119 has IP options set (detection avoidance technique)." ]
	[ "${lines[8]}" = "$(line "TCP SYN/Normal scan" 635)" ]
	[ "${#lines[@]}" -eq 9 ]
}

@test "-sudp: nmap and hping3 UDP probes; other ports are not reported" {
	sentry_start -sudp
	nmap_a -sU -p 7,9,10 "$V4"
	probe hping3 -q -c 1 --udp -p 31337 "$V4"
	probe hping3 -q -c 1 --udp -p 8 "$V4"
	wait_event "UDP port: 31337$"
	run events
	[[ "$output" == *"$(line "" 7 UDP)"* ]]
	[[ "$output" == *"$(line "" 9 UDP)"* ]]
	[[ "$output" == *"$(line "" 31337 UDP)"* ]]
	[[ "$output" != *"port: 10"* ]]
	[[ "$output" != *"port: 8"* ]]
}

@test "fragmented probes (nmap -f) are seen, as 1.2 sees them reassembled" {
	sentry_start -stcp -sudp
	nmap_a -sS -f -p 1 "$V4"
	nmap_a -sF --mtu 8 -p 11 "$V4"
	nmap_a -sN --mtu 16 -p 15 "$V4"
	probe hping3 -q -c 1 -S -f -p 79 "$V4"
	probe hping3 -q -c 1 --udp -d 600 -m 64 -p 7 "$V4"
	wait_event "UDP port: 7$"
	run events
	[[ "$output" == *"$(line "TCP SYN/Normal scan" 1)"* ]]
	[[ "$output" == *"$(line "TCP FIN scan" 11)"* ]]
	[[ "$output" == *"$(line " TCP NULL scan" 15)"* ]]
	[[ "$output" == *"$(line "TCP SYN/Normal scan" 79)"* ]]
}

@test "IPv6: nmap -6 SYN, FIN and UDP scans in the stealth modes" {
	sentry_start -stcp -sudp
	nmap_a -6 -sS -p 1 "$V6"
	nmap_a -6 -sF -p 11 "$V6"
	nmap_a -6 -sU -p 7 "$V6"
	wait_event "UDP port: 7$"
	run events
	[[ "$output" == *"$(line "TCP SYN/Normal scan" 1 TCP "$A6")"* ]]
	[[ "$output" == *"$(line "TCP FIN scan" 11 TCP "$A6")"* ]]
	[[ "$output" == *"$(line "" 7 UDP "$A6")"* ]]
}

@test "a port with a listener is never reported, and is again once it closes" {
	ip netns exec "${LAB_NS[v]}" socat TCP6-LISTEN:143,ipv6only=0,reuseaddr,fork /dev/null 3>&- &
	echo $! >>"$BATS_TEST_TMPDIR/.daemons"
	local tcp=$!
	ip netns exec "${LAB_NS[v]}" socat -u UDP4-RECV:161 /dev/null 3>&- &
	echo $! >>"$BATS_TEST_TMPDIR/.daemons"
	local udp=$!
	wait_for_cmd 5 sh -c "ip netns exec ${LAB_NS[v]} ss -Hltn 'sport = :143' | grep -q ."
	wait_for_cmd 5 sh -c "ip netns exec ${LAB_NS[v]} ss -Hlun 'sport = :161' | grep -q ."
	sentry_start -stcp -sudp
	grep -q "adminalert: TCP port: 143 has a listener: not reported while it has one" "$SLOG"
	hping 143 -S
	hping 143 -F
	probe hping3 -q -c 1 --udp -p 161 "$V4"
	nmap_a -6 -sS -p 143 "$V6"
	hping 1 -S
	wait_event "port: 1$"
	run events
	[[ "$output" != *"port: 143"* ]]
	[[ "$output" != *"port: 161"* ]]
	kill "$tcp" "$udp"
	wait_for_cmd 5 sh -c "! ip netns exec ${LAB_NS[v]} ss -Hltn 'sport = :143' | grep -q ."
	sleep 0.05	# older than the socket tables' reading
	hping 143 -S
	probe hping3 -q -c 1 --udp -p 161 "$V4"
	wait_event "port: 143$"
	wait_event "UDP port: 161$"
}

@test "-atcp -audp: every port below the bound but excluded ones and listeners" {
	sentry_conf 'BLOCK_TCP="0"' 'BLOCK_UDP="0"' 'ADVANCED_PORTS_TCP="700"' \
	    'ADVANCED_PORTS_UDP="300"'
	ip netns exec "${LAB_NS[v]}" socat TCP4-LISTEN:22,reuseaddr,fork /dev/null 3>&- &
	echo $! >>"$BATS_TEST_TMPDIR/.daemons"
	wait_for_cmd 5 sh -c "ip netns exec ${LAB_NS[v]} ss -Hltn 'sport = :22' | grep -q ."
	sentry_start -atcp -audp
	grep -qx "sentry\[[0-9]*\]: adminalert: Advanced mode will monitor first 700 ports" "$SLOG"
	grep -qx "sentry\[[0-9]*\]: adminalert: Advanced mode will manually exclude port: 113 " "$SLOG"
	grep -qx "sentry\[[0-9]*\]: adminalert: Advanced Stealth scan detection mode activated. Ignored UDP port: 137" "$SLOG"
	for p in 21 22 23 113 139 699 700; do
		hping "$p" -S
	done
	for p in 137 299 300; do
		probe hping3 -q -c 1 --udp -p "$p" "$V4"
	done
	hping 1 -F
	wait_event "TCP FIN scan.*port: 1$"
	run events
	[[ "$output" == *"$(line "TCP SYN/Normal scan" 21)"* ]]
	[[ "$output" == *"$(line "TCP SYN/Normal scan" 23)"* ]]
	[[ "$output" == *"$(line "TCP SYN/Normal scan" 699)"* ]]
	[[ "$output" == *"$(line "" 299 UDP)"* ]]
	for p in 22 113 139 700 137 300; do
		[[ "$output" != *"port: $p"$'\n'* ]]
	done
}

@test "-atcp: a port held only by a TIME_WAIT socket is still watched (1.2 skips it)" {
	# The victim closes first, so the TIME_WAIT is on its port 600.
	ip netns exec "${LAB_NS[a]}" socat TCP4-LISTEN:5001,reuseaddr SYSTEM:'cat >/dev/null' 3>&- &
	echo $! >>"$BATS_TEST_TMPDIR/.daemons"
	wait_for_cmd 5 sh -c "ip netns exec ${LAB_NS[a]} ss -Hltn 'sport = :5001' | grep -q ."
	ip netns exec "${LAB_NS[v]}" python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("", 600))
s.connect((sys.argv[1], 5001))
time.sleep(0.1)
s.close()
time.sleep(0.2)' "$A4"
	ip netns exec "${LAB_NS[v]}" ss -Htan state time-wait | grep -q ":600 "
	sentry_start -atcp
	hping 600 -S
	wait_event "$(line "TCP SYN/Normal scan" 600)"
}

@test "a fast scan loses no probe: nmap -sS -T5 -p1-1023 against -atcp" {
	sentry_start -atcp
	nmap_a -sS -T5 -p1-1023 "$V4"
	wait_for_cmd 10 sh -c "[ \$(grep 'scan from host' '$EVENTS' | sed 's/.*port: //' | sort -u | wc -l) -ge 1021 ]" || true
	run sh -c "grep 'SYN/Normal scan from host' '$EVENTS' | sed 's/.*port: //' | sort -un | wc -l"
	# 1..1023 but the two excluded ports
	[ "$output" -eq 1021 ]
	! grep -q "dropped" "$SLOG"
}

@test "several modes in one process: -tcp, -sudp and -atcp together" {
	sentry_start -tcp -sudp -atcp
	grep -q "adminalert: -tcp leaves 9 TCP ports to the stealth modes" "$SLOG"
	grep -q "adminalert: Going into listen mode on TCP port: 12345" "$SLOG"
	probe sh -c "echo | nc -w 1 $V4 12345"
	hping 15 -S
	probe hping3 -q -c 1 --udp -p 7 "$V4"
	wait_event "attackalert: Connect from host: $A4/$A4 to TCP port: 12345"
	wait_event "$(line "TCP SYN/Normal scan" 15)"
	wait_event "$(line "" 7 UDP)"
	sentry_stop
}

@test "INTERFACE: only the packets of that interface are watched" {
	sentry_conf 'BLOCK_TCP="0"' 'INTERFACE="lo"'
	sentry_start -stcp
	hping 1 -S
	sleep 0.3
	sentry_stop
	[ ! -s "$EVENTS" ]
	sentry_conf 'BLOCK_TCP="0"' "INTERFACE=\"${LAB_IF[v]}\""
	sentry_start -stcp
	hping 11 -S
	wait_event "port: 11$"
}
