#!/usr/bin/env bats
# sentry: what happens to a reported host.  hosts.deny, the blocked files
# and the history file hold exactly 1.2's lines (fail2ban's stock filter
# reads the history); hosts.deny gets a host once, under a lock, and is
# refused when symlinked or writable by everyone; commands run without a
# shell unless they need one and get addresses, never names;
# BLOCK_TIMEOUT ends blocks; sentry -l and -u list and remove them; the
# ignore list (CIDR, IPv4 and IPv6) and this host's own addresses are
# never reported; and each of 1.2's faults stays fixed.

bats_require_minimum_version 1.5.0
load test_helper
load sentry-helper

setup() {
	require_root
	require_cmd hping3 nmap
	grep -q "define HAVE_LIBPCAP 1" "$TOP_BUILDDIR/config.h" ||
	    skip "needs a build with libpcap"
	T=$BATS_TEST_TMPDIR
	CMD=$T/cmd.sh
	# The recorder: its parent's name, then its arguments.
	cat >"$CMD" <<-'EOF'
	#!/bin/sh
	out=${0%/*}/cmd.out
	{
		printf '%s' "$(cat /proc/$PPID/comm)"
		for a in "$@"; do printf '|%s' "$a"; done
		echo
	} >>"$out"
	EOF
	chmod 755 "$CMD"
	sentry_lab
	sentry_conf "KILL_ROUTE=\"$CMD route \$TARGET\$ \$PORT\$ \$MODE\$\""
}

# The line 1.2 writes to the blocked and history files.
hist_line() { # epoch host port proto [name]
	printf '%s - %s Host: %s/%s Port: %s %s Blocked\n' "$1" \
	    "$(date -d "@$1" '+%m/%d/%Y %H:%M:%S')" "${5:-$2}" "$2" "$3" "$4"
}

epoch_of() { # file [line]
	sed -n "${2:-1}p" "$1" | cut -d' ' -f1
}

@test "hosts.deny, blocked and history files and the events, exactly (IPv4)" {
	sentry_start -stcp
	hping 1 -S
	wait_event "blocked via dropped route"
	hping 11 -F
	wait_event "port: 11$"
	run events
	[ "${lines[0]}" = "attackalert: TCP SYN/Normal scan from host: $A4/$A4 to TCP port: 1" ]
	[ "${lines[1]}" = "attackalert: Host $A4 has been blocked via wrappers with string: \"ALL: $A4 : DENY\"" ]
	[ "${lines[2]}" = "attackalert: Host $A4 has been blocked via dropped route using command: \"$CMD route $A4 1 stcp\"" ]
	[ "${lines[3]}" = "attackalert: TCP FIN scan from host: $A4/$A4 to TCP port: 11" ]
	[ "${lines[4]}" = "attackalert: Host: $A4/$A4 is already blocked Ignoring" ]
	[ "$(cat "$T/hosts.deny")" = "ALL: $A4 : DENY" ]
	[ "$(cat "$T/cmd.out")" = "sentry|route|$A4|1|stcp" ]
	wait_for_file "$T/history"
	e=$(epoch_of "$T/blocked.stcp")
	[ "$(cat "$T/blocked.stcp")" = "$(hist_line "$e" "$A4" 1 TCP)" ]
	[ "$(cat "$T/history")" = "$(hist_line "$e" "$A4" 1 TCP)" ]
	[ "$(stat -c %a "$T/history")" = 600 ]
	[ "$(stat -c %a "$T/blocked.stcp")" = 644 ]
	if command -v tcpdmatch >/dev/null; then
		: >"$T/hosts.allow"
		run sh -c "cd '$T' && tcpdmatch -d sshd $A4"
		[[ "$output" == *"access:   denied"* ]]
	fi
}

@test "IPv6: hosts.deny gets [address], which tcp_wrappers matches" {
	sentry_start -stcp -sudp
	probe nmap -6 -n -Pn -sS -p 1 "$V6"
	wait_event "blocked via dropped route"
	[ "$(cat "$T/hosts.deny")" = "ALL: [$A6] : DENY" ]
	[ "$(cat "$T/cmd.out")" = "sentry|route|$A6|1|stcp" ]
	e=$(epoch_of "$T/history")
	[ "$(cat "$T/history")" = "$(hist_line "$e" "$A6" 1 TCP)" ]
	require_cmd tcpdmatch
	: >"$T/hosts.allow"
	run sh -c "cd '$T' && tcpdmatch -d sshd $A6"
	[[ "$output" == *"access:   denied"* ]]
}

@test "fail2ban's stock portsentry filter reads the history file" {
	local filter regex root py=python3
	anchor_path filter fail2ban etc/fail2ban/filter.d/portsentry.conf
	anchor_path regex fail2ban usr/bin/fail2ban-regex
	# Unpacked, its modules are beside it; it wants Debian's python3.
	root=${regex%/usr/bin/fail2ban-regex}
	[ -x /usr/bin/python3 ] && py=/usr/bin/python3
	sentry_start -stcp -sudp
	hping 1 -S
	probe nmap -6 -n -Pn -sU -p 7 "$V6"
	wait_for_cmd 10 sh -c "[ \$(wc -l <'$T/history') -eq 2 ]"
	PYTHONPATH=$root/usr/lib/python3/dist-packages \
	    run "$py" "$regex" --print-all-matched "$T/history" "$filter"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Lines: 2 lines, 0 ignored, 2 matched, 0 missed"* ]]
	# Both hosts, the IPv4 and the IPv6 attacker, are what it found.
	[[ "$output" == *"/$A4 Port: "* ]]
	[[ "$output" == *"/$A6 Port: "* ]]
}

@test "a host goes into hosts.deny once, whatever the modes and restarts" {
	sentry_start -stcp -sudp
	hping 1 -S
	probe hping3 -q -c 1 --udp -p 7 "$V4"
	wait_event "to UDP port: 7$"
	wait_event "is already blocked Ignoring"
	sentry_stop
	[ "$(wc -l <"$T/hosts.deny")" -eq 1 ]
	# A restart forgets the blocks (1.2's blocked files are emptied) but
	# the line stays single.
	sentry_start -stcp -sudp
	[ ! -s "$T/blocked.stcp" ]
	hping 11 -S
	wait_event "blocked via dropped route"
	[ "$(cat "$T/hosts.deny")" = "ALL: $A4 : DENY" ]
	[ "$(wc -l <"$T/history")" -eq 2 ]
}

@test "a restart empties the blocked files and keeps the history" {
	sentry_start -stcp -sudp
	hping 1 -S
	wait_event "blocked via dropped route"
	wait_for_file "$T/history"
	sentry_stop
	[ -s "$T/blocked.stcp" ]
	cp "$T/history" "$T/history.before"
	sentry_start -stcp -sudp
	[ -f "$T/blocked.stcp" ] && [ ! -s "$T/blocked.stcp" ]
	[ -f "$T/blocked.sudp" ] && [ ! -s "$T/blocked.sudp" ]
	cmp "$T/history" "$T/history.before"
}

@test "hosts.deny: another program's last line without a newline stays whole" {
	printf 'sshd: 203.0.113.9' >"$T/hosts.deny"
	sentry_start -stcp
	hping 1 -S
	wait_event "blocked via wrappers"
	[ "$(cat "$T/hosts.deny")" = "sshd: 203.0.113.9
ALL: $A4 : DENY" ]
}

@test "hosts.deny: concurrent detections and another locking writer never tear or repeat a line" {
	local i
	sentry_conf
	sentry_start -stcp
	python3 -c '
import fcntl, sys
for i in range(200):
	with open(sys.argv[1], "a") as f:
		fcntl.lockf(f, fcntl.LOCK_EX)
		f.write("ALL: 198.51.100.%d : DENY\n" % i)
' "$T/hosts.deny" &
	local writer=$!
	for i in $(seq 100 129); do
		ip netns exec "${LAB_NS[a]}" hping3 -q -c 1 -S -p 1 \
		    -a "192.0.2.$i" "$V4" >/dev/null 2>&1 &
	done
	wait "$writer"
	wait_for_cmd 20 sh -c "[ \$(grep -c 'blocked via wrappers' '$EVENTS') -eq 30 ]"
	[ "$(wc -l <"$T/hosts.deny")" -eq 230 ]
	[ "$(sort -u "$T/hosts.deny" | wc -l)" -eq 230 ]
	[ "$(grep -cxE 'ALL: (192\.0\.2|198\.51\.100)\.[0-9]+ : DENY' "$T/hosts.deny")" -eq 230 ]
}

@test "hosts.deny: a symbolic link or a world-writable file is refused at run time" {
	sentry_start -stcp
	: >"$T/elsewhere"
	ln -sf elsewhere "$T/hosts.deny"
	hping 1 -S
	wait_event "Could not block host"
	grep -q "adminalert: cannot open hosts.deny file: $T/hosts.deny: refusing a symbolic link for blocking." "$SLOG"
	[ ! -s "$T/elsewhere" ]
	[ ! -s "$T/blocked.stcp" ]
	rm "$T/hosts.deny"
	: >"$T/hosts.deny"
	chmod 666 "$T/hosts.deny"
	hping3_from() { probe hping3 -q -c 1 -S -p 11 -a "$1" "$V4"; }
	hping3_from 192.0.2.77
	wait_event "Could not block host 192.0.2.77/192.0.2.77"
	grep -q "hosts.deny: refusing: it is writable by everyone for blocking." "$SLOG"
	[ ! -s "$T/hosts.deny" ]
}

@test "commands: no shell unless needed, KILL_RUN_CMD_FIRST, BLOCK_TCP=\"2\"" {
	sentry_conf 'BLOCK_TCP="2"' "KILL_RUN_CMD=\"$CMD run \$TARGET\$ \$MODE\$\""
	sentry_start -stcp
	hping 1 -S
	wait_event "External command run"
	[ "$(cat "$T/cmd.out")" = "sentry|run|$A4|stcp" ]
	[ ! -e "$T/hosts.deny" ]
	sentry_stop
	rm "$T/cmd.out"
	sentry_conf 'KILL_RUN_CMD_FIRST="1"' \
	    "KILL_RUN_CMD=\"$CMD one \$TARGET\$; $CMD two \$PORT\$\""
	sentry_start -stcp
	hping 1 -S
	wait_event "blocked via wrappers"
	run events
	[ "${lines[1]}" = "attackalert: External command run for host: $A4 using command: \"$CMD one $A4; $CMD two 1\"" ]
	[ "${lines[2]}" = "attackalert: Host $A4 has been blocked via wrappers with string: \"ALL: $A4 : DENY\"" ]
	[ "$(cat "$T/cmd.out")" = "sh|one|$A4
sh|two|1" ]
}

@test "RESOLVE_HOST: names in the lines, addresses in commands and hosts.deny" {
	printf '%s scanner.example\n%s bad;name\n' "$A4" "$A6" >"$T/hosts"
	sentry_conf 'RESOLVE_HOST="1"' \
	    "KILL_ROUTE=\"$CMD route \$TARGET\$\""
	: >"$EVENTS"
	ip netns exec "${LAB_NS[v]}" unshare -m sh -c \
	    'mount --bind "$0" /etc/hosts && exec "$@"' "$T/hosts" \
	    "$SENTRY" -D -c "$SCONF" -stcp >"$EVENTS" 2>"$SLOG" 3>&- &
	SENTRY_PID=$!
	echo "$SENTRY_PID" >>"$T/.daemons"
	wait_for_log "now active and listening" "$SLOG"
	hping 1 -S
	probe nmap -6 -n -Pn -sS -p 11 "$V6"
	wait_event "to TCP port: 11$"
	wait_for_cmd 10 sh -c "[ \$(wc -l <'$T/history') -eq 2 ]"
	run events
	[ "${lines[0]}" = "attackalert: TCP SYN/Normal scan from host: scanner.example/$A4 to TCP port: 1" ]
	grep -q "attackalert: TCP SYN/Normal scan from host: $A6/$A6 to TCP port: 11" "$EVENTS"
	[ "$(head -1 "$T/cmd.out")" = "sentry|route|$A4" ]
	[ "$(head -1 "$T/hosts.deny")" = "ALL: $A4 : DENY" ]
	e=$(epoch_of "$T/history")
	[ "$(head -1 "$T/history")" = "$(hist_line "$e" "$A4" 1 TCP scanner.example)" ]
}

@test "BLOCK_TIMEOUT ends a block: hosts.deny line and blocked entry gone, UNBLOCK_CMD run" {
	sentry_conf 'BLOCK_TIMEOUT="1"' \
	    "KILL_ROUTE=\"$CMD route \$TARGET\$\"" \
	    "UNBLOCK_CMD=\"$CMD unblock \$TARGET\$ \$PORT\$ \$MODE\$\""
	sentry_start -stcp
	hping 1 -S
	wait_event "blocked via dropped route"
	grep -q "blocked via wrappers" "$EVENTS"
	wait_event "attackalert: Host $A4 has been unblocked after 1 second (BLOCK_TIMEOUT)"
	[ ! -s "$T/hosts.deny" ]
	[ ! -s "$T/blocked.stcp" ]
	[ "$(tail -1 "$T/cmd.out")" = "sentry|unblock|$A4|1|stcp" ]
	[ "$(wc -l <"$T/history")" -eq 1 ]
	# Blocked again on its next probe.
	hping 11 -S
	wait_for_cmd 10 sh -c "[ \$(grep -c 'blocked via dropped route' '$EVENTS') -eq 2 ]"
}

@test "BLOCK_TIMEOUT: a restart keeps the blocks that run and still ends them" {
	# Long enough that a loaded machine restarts and probes within it.
	sentry_conf 'BLOCK_TIMEOUT="6"' "KILL_ROUTE=\"$CMD route \$TARGET\$\""
	sentry_start -stcp
	hping 1 -S
	wait_event "blocked via dropped route"
	sentry_stop
	sentry_start -stcp
	[ -s "$T/blocked.stcp" ]
	"$SENTRY" -c "$SCONF" -l | grep -q "^$A4 stcp TCP 1 since "
	hping 11 -S
	wait_event "is already blocked Ignoring"
	wait_event "has been unblocked after 6 seconds (BLOCK_TIMEOUT)" 20
	[ ! -s "$T/hosts.deny" ]
}

@test "sentry -l lists the blocks and -u removes one; the daemon follows" {
	sentry_conf "UNBLOCK_CMD=\"$CMD unblock \$TARGET\$\"" \
	    "KILL_ROUTE=\"$CMD route \$TARGET\$\""
	sentry_start -stcp -sudp
	hping 1 -S
	wait_event "blocked via dropped route"
	wait_for_file "$T/blocked.stcp"
	run "$SENTRY" -c "$SCONF" -l
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^$A4\ stcp\ TCP\ 1\ since\ [0-9]{4}-[0-9]{2}-[0-9]{2}\ [0-9:]{8}$ ]]
	run --separate-stderr "$SENTRY" -c "$SCONF" -u "$A4"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"attackalert: Host $A4 has been unblocked by hand"* ]]
	[ ! -s "$T/hosts.deny" ]
	[ ! -s "$T/blocked.stcp" ]
	[ "$(tail -1 "$T/cmd.out")" = "sentry|unblock|$A4" ]
	run "$SENTRY" -c "$SCONF" -l
	[ -z "$output" ]
	hping 11 -S
	wait_for_cmd 10 sh -c "[ \$(grep -c 'blocked via dropped route' '$EVENTS') -eq 2 ]"
	[ "$(cat "$T/hosts.deny")" = "ALL: $A4 : DENY" ]
}

@test "1.2 fault: 192.0.2.11 is blocked after 192.0.2.110 (no substring match)" {
	sentry_start -stcp
	probe hping3 -q -c 1 -S -p 1 -a 192.0.2.110 "$V4"
	wait_event "Host 192.0.2.110 has been blocked via wrappers"
	probe hping3 -q -c 1 -S -p 1 -a 192.0.2.11 "$V4"
	wait_event "Host 192.0.2.11 has been blocked via wrappers"
	[ "$(cat "$T/hosts.deny")" = "ALL: 192.0.2.110 : DENY
ALL: 192.0.2.11 : DENY" ]
}

@test "1.2 fault: BLOCK_TCP=\"0\" records no block, so later alerts and blocks happen" {
	sentry_conf 'BLOCK_TCP="0"' "KILL_ROUTE=\"$CMD route \$TARGET\$\""
	sentry_start -stcp -sudp
	hping 1 -S
	hping 11 -S
	probe hping3 -q -c 1 --udp -p 7 "$V4"
	wait_event "blocked via dropped route"
	run events
	[ "${lines[0]}" = "attackalert: TCP SYN/Normal scan from host: $A4/$A4 to TCP port: 1" ]
	[ "${lines[1]}" = "attackalert: Ignoring TCP response per configuration file setting." ]
	[ "${lines[2]}" = "attackalert: TCP SYN/Normal scan from host: $A4/$A4 to TCP port: 11" ]
	[ "${lines[3]}" = "attackalert: UDP scan from host: $A4/$A4 to UDP port: 7" ]
	[ "${lines[4]}" = "attackalert: Host $A4 has been blocked via wrappers with string: \"ALL: $A4 : DENY\"" ]
	! grep -q "already blocked" "$EVENTS"
	[ ! -s "$T/blocked.stcp" ]
	[ -s "$T/blocked.sudp" ]
	# The history keeps both, for fail2ban.
	wait_for_cmd 10 sh -c "[ \$(wc -l <'$T/history') -eq 2 ]"
	grep -q "Port: 1 TCP Blocked$" "$T/history"
	grep -q "Port: 7 UDP Blocked$" "$T/history"
}

@test "1.2 fault: SCAN_TRIGGER counts distinct ports within SCAN_WINDOW" {
	sentry_conf 'SCAN_TRIGGER="3"' 'SCAN_WINDOW="1"' 'BLOCK_TCP="0"'
	sentry_start -stcp
	hping 1 -S; hping 1 -S; hping 1 -S; hping 1 -S	# one port, 4 times
	hping 11 -S
	sleep 1.2
	hping 15 -S	# 11 is out of the window now
	sleep 1.2
	hping 79 -S; hping 111 -S; hping 119 -S
	wait_event "port: 119$"
	run events
	[ "${lines[0]}" = "attackalert: TCP SYN/Normal scan from host: $A4/$A4 to TCP port: 119" ]
	# Without a window, 1.2's count: the third probe, whatever the port.
	sentry_stop
	sentry_conf 'SCAN_TRIGGER="3"' 'BLOCK_TCP="0"'
	sentry_start -stcp
	hping 1 -S; hping 1 -S
	sleep 1.2
	hping 1 -F
	wait_event "FIN scan"
	[ "$(events | grep -c "scan from host")" -eq 1 ]
}

@test "1.2 fault: the trigger's memory is bounded under a flood of forged sources" {
	sentry_conf 'SCAN_TRIGGER="5"' 'SCAN_WINDOW="60"' 'BLOCK_TCP="0"'
	sentry_start -stcp
	probe hping3 -q -S -p 1 --rand-source -i u50 -c 8000 "$V4"
	sentry_stop
	run sed -n 's/.*adminalert: \([0-9]*\) packets captured, .* \([0-9]*\) sources tracked (at most \([0-9]*\))$/\1 \2 \3/p' "$SLOG"
	read -r captured tracked most <<<"$output"
	[ "$captured" -ge 4500 ]
	[ "$tracked" -le "$most" ]
	[ "$tracked" -eq 4096 ]
}

@test "the ignore list: IPv4 and IPv6 networks, read again when it changes" {
	printf '# ours\n192.0.2.0/28\n2001:db8::/126 # the attacker\n' >"$T/ignore"
	sentry_start -stcp
	hping 1 -S
	probe nmap -6 -n -Pn -sS -p 11 "$V6"
	probe hping3 -q -c 1 -S -p 15 -a 192.0.2.100 "$V4"
	wait_event "port: 15$"
	run events
	[ "${lines[0]}" = "attackalert: TCP SYN/Normal scan from host: 192.0.2.100/192.0.2.100 to TCP port: 15" ]
	! grep -q "port: 1$\|port: 11$" "$EVENTS"
	printf '198.51.100.0/24\n' >"$T/ignore"
	wait_for_log "ignore file $T/ignore read again: 1 entry" "$SLOG"
	hping 79 -S
	wait_event "from host: $A4/$A4 to TCP port: 79"
}

@test "this host's own addresses are never reported, even forged" {
	sentry_start -stcp
	ip netns exec "${LAB_NS[v]}" hping3 -q -c 1 -S -p 1 "$V4" >/dev/null 2>&1 || true
	ip netns exec "${LAB_NS[v]}" hping3 -q -c 1 -S -p 11 127.0.0.1 >/dev/null 2>&1 || true
	probe hping3 -q -c 1 -S -p 15 -a "$V4" "$V4"
	hping 79 -S
	wait_event "port: 79$"
	[ "$(events | grep -c "scan from host")" -eq 1 ]
	[ "$(cat "$T/hosts.deny")" = "ALL: $A4 : DENY" ]
}
