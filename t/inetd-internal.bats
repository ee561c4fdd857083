#!/usr/bin/env bats
# inetd: the internal services (echo, discard, chargen, daytime, time,
# tcpmux) over TCP and UDP, IPv4 and IPv6, served in-process; and a stuck
# client never holds up the others.

load test_helper
load data/inetd/helper

setup() {
	require_cmd ss
	P=$(free_port)
	conf_defaults
}

# The xinetd package for the stock files, fetched on demand (one test).
xinetd_fetch_here() {
	BATS_FILE_TMPDIR=$BATS_TEST_TMPDIR xinetd_fetch
}

has_ipv6() {
	[ -f /proc/net/if_inet6 ] && ip -6 addr show lo 2>/dev/null |
	    grep -q '::1/128'
}

@test "echo stream and dgram on IPv4 and IPv6" {
	conf_internal echo "$P" stream "id = echo-stream"
	conf_internal echo "$P" dgram "id = echo-dgram"
	inetd_start
	run "$CLIENT" -4 -S -s 'hello\n' 127.0.0.1 "$P"
	[ "$status" -eq 0 ]
	[ "$output" = hello ]
	run "$CLIENT" -4 -u -s 'over udp' 127.0.0.1 "$P"
	[ "$output" = "over udp" ]
	if has_ipv6; then
		run "$CLIENT" -6 -S -s 'six\n' ::1 "$P"
		[ "$output" = six ]
		run "$CLIENT" -6 -u -s 'six udp' ::1 "$P"
		[ "$output" = "six udp" ]
	fi
}

@test "echo returns large data intact (flow control, no loss)" {
	conf_internal echo "$P" stream
	inetd_start
	head -c 3000000 /dev/urandom >"$BATS_TEST_TMPDIR/in"
	run sh -c "socat -T 10 - TCP:127.0.0.1:$P <'$BATS_TEST_TMPDIR/in' |
	    cmp - '$BATS_TEST_TMPDIR/in'"
	[ "$status" -eq 0 ]
}

@test "discard reads everything and answers nothing, TCP and UDP" {
	conf_internal discard "$P" stream "id = discard-stream"
	conf_internal discard "$P" dgram "id = discard-dgram"
	inetd_start
	run "$CLIENT" -S -s 'into the void\n' 127.0.0.1 "$P"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run "$CLIENT" -u -t 1 -s 'x' 127.0.0.1 "$P"
	[ -z "$output" ]
	wait_for_svclog 'START: discard-dgram'
}

@test "chargen: RFC 864 lines over TCP, one datagram over UDP" {
	conf_internal chargen "$P" stream "id = chargen-stream"
	conf_internal chargen "$P" dgram "id = chargen-dgram"
	inetd_start
	run "$CLIENT" -n 148 127.0.0.1 "$P"
	[ "${#lines[@]}" -eq 2 ]
	want=$(awk 'BEGIN { for (i = 0; i < 72; i++) printf "%c", 32 + i }')
	[ "${lines[0]}" = "$want"$'\r' ]
	[ "${lines[1]:0:3}" = '!"#' ]
	# xinetd's datagram: 1024 bytes, the last line cut short.
	run sh -c "'$CLIENT' -u -s x 127.0.0.1 $P | wc -c"
	[ "$output" -eq 1024 ]
}

@test "daytime is xinetd's format, time is RFC 868 seconds since 1900" {
	conf_internal daytime "$P" stream
	conf_internal time "$P" dgram "id = time-dgram"
	inetd_start
	run "$CLIENT" 127.0.0.1 "$P"
	[[ "$output" =~ ^[0-9]{2}\ [A-Z]{3}\ [0-9]{4}\ [0-9]{2}:[0-9]{2}:[0-9]{2}\ [A-Z]+$'\r'$ ]]
	run sh -c "'$CLIENT' -u -s x 127.0.0.1 $P | od -An -tu1"
	set -- $output
	[ "$#" -eq 4 ]
	t=$(( ($1 << 24) + ($2 << 16) + ($3 << 8) + $4 - 2208988800 ))
	now=$(date +%s)
	[ "$t" -ge $((now - 5)) ] && [ "$t" -le $((now + 5)) ]
}

@test "START and EXIT lines for in-process sessions, pid=0" {
	conf_internal echo "$P" stream "id = echo-stream"
	conf_internal daytime "$(free_port)" stream
	inetd_start
	"$CLIENT" -S -s 'x\n' 127.0.0.1 "$P" >/dev/null
	wait_for_svclog 'EXIT: echo-stream'
	run svclog_lines
	[ "${lines[0]}" = "START: echo-stream pid=0 from=127.0.0.1" ]
	# Whole seconds of wall time: 1 when a second boundary falls within.
	[[ "${lines[1]}" =~ ^EXIT:\ echo-stream\ status=0\ pid=0\ duration=[01]\(sec\)$ ]]
}

@test "a client that never reads does not hold up other clients" {
	conf_internal chargen "$P" stream
	E=$(free_port)
	conf_internal echo "$E" stream
	inetd_start
	# Ten chargen clients that never read: their sessions stay full.
	"$CLIENT" -H 10 -t 30 127.0.0.1 "$P" >"$BATS_TEST_TMPDIR/held" 3>&- &
	echo $! >>"$BATS_TEST_TMPDIR/.daemons"
	wait_for_log 'connected 10' "$BATS_TEST_TMPDIR/held"
	for i in 1 2 3 4 5; do
		run "$CLIENT" -t 2 -S -s "ping $i\n" 127.0.0.1 "$E"
		[ "$output" = "ping $i" ]
	done
	# A client that sends without reading is served too, in the end
	# paused by flow control rather than buffered without bound.
	run "$CLIENT" -t 2 -S -s 'still here\n' 127.0.0.1 "$E"
	[ "$output" = "still here" ]
}

@test "tcpmux: name lookup, TCPMUXPLUS acknowledgement, unknown names" {
	require_cmd socat
	conf_internal tcpmux "$P" stream
	conf_service myecho 0 "type = TCPMUXPLUS UNLISTED" \
	    "socket_type = stream" "protocol = tcp" "wait = no" \
	    "user = $(id -un)" "server = /bin/cat"
	conf_service plain 0 "type = TCPMUX UNLISTED" "socket_type = stream" \
	    "protocol = tcp" "wait = no" "user = $(id -un)" \
	    "server = /bin/echo" "server_args = hello from plain"
	sed -i '/port = 0/d' "$CONF"
	inetd_start
	run "$CLIENT" -s 'MyEcho\r\nround trip\n' -n 16 127.0.0.1 "$P"
	[ "$output" = "$(printf '+Go\r\nround trip')" ]
	run "$CLIENT" -s 'plain\r\n' 127.0.0.1 "$P"
	[ "$output" = "hello from plain" ]
	run "$CLIENT" -s 'nosuch\r\n' 127.0.0.1 "$P"
	[ "$output" = "$(printf -- '-Service name not found\r')" ]
	run "$CLIENT" -s 'help\r\n' 127.0.0.1 "$P"
	[[ "$output" == *myecho* ]] && [[ "$output" == *plain* ]]
	wait_for_svclog 'START: myecho'
	grep -q "START: tcpmux pid=0 from=127.0.0.1" "$SVCLOG"
}

@test "internal services over a dual-stack socket log IPv4 clients as IPv4" {
	has_ipv6 || skip "no IPv6 on loopback"
	conf_internal echo "$P" stream "flags = IPv6"
	inetd_start
	run "$CLIENT" -4 -S -s 'v4\n' 127.0.0.1 "$P"
	[ "$output" = v4 ]
	run "$CLIENT" -6 -S -s 'v6\n' ::1 "$P"
	[ "$output" = v6 ]
	wait_for_svclog 'from=::1'
	grep -q 'START: echo pid=0 from=127.0.0.1$' "$SVCLOG"
	grep -q 'START: echo pid=0 from=::1$' "$SVCLOG"
}

@test "v6only = yes refuses IPv4 on an IPv6 socket" {
	has_ipv6 || skip "no IPv6 on loopback"
	conf_internal echo "$P" stream "flags = IPv6" "v6only = yes"
	inetd_start
	run "$CLIENT" -6 -S -s 'v6\n' ::1 "$P"
	[ "$output" = v6 ]
	run "$CLIENT" -4 -S -s 'v4\n' 127.0.0.1 "$P"
	[ "$status" -ne 0 ]
}

@test "Debian's stock services, enabled, serve on their real ports (private netns)" {
	require_root
	require_cmd unshare
	[ -n "${XINETD_ROOT:-}" ] || xinetd_fetch_here
	[ -n "${XINETD_ROOT:-}" ] || skip "xinetd package not available"
	mkdir "$BATS_TEST_TMPDIR/d"
	# chargen, daytime, discard, echo and time, stream and dgram; the
	# *-udp duplicates and the servers/services files stay disabled.
	for f in chargen daytime discard echo time; do
		sed 's/disable.*= yes/disable = no/' \
		    "$XINETD_ROOT/etc/xinetd.d/$f" >"$BATS_TEST_TMPDIR/d/$f"
	done
	printf 'defaults\n{\n\tlog_type = FILE %s\n\tlog_on_success = HOST\n\thosts_allow = %s/a\n\thosts_deny = %s/d\n}\nincludedir %s\n' \
	    "$SVCLOG" "$BATS_TEST_TMPDIR" "$BATS_TEST_TMPDIR" "$BATS_TEST_TMPDIR/d" >"$CONF"
	cat >"$BATS_TEST_TMPDIR/ns.sh" <<-EOF
	ip link set lo up
	"$INETD" -d -f "$CONF" 2>"$INETD_LOG" & pid=\$!
	for i in \$(seq 100); do ss -Hltn 'sport = :37' | grep -q . && break; sleep 0.05; done
	r=$BATS_TEST_TMPDIR/r
	"$CLIENT" -S -s 'tcp7\n' 127.0.0.1 7 >\$r.echo
	"$CLIENT" -u -s udp7 127.0.0.1 7 >\$r.echou
	"$CLIENT" -S -s 'x\n' 127.0.0.1 9 >\$r.discard
	"$CLIENT" 127.0.0.1 13 >\$r.daytime
	"$CLIENT" -u -s x 127.0.0.1 13 >\$r.daytimeu
	"$CLIENT" -n 74 127.0.0.1 19 >\$r.chargen
	"$CLIENT" -u -s x 127.0.0.1 19 >\$r.chargenu
	"$CLIENT" 127.0.0.1 37 >\$r.time
	"$CLIENT" -u -s x 127.0.0.1 37 >\$r.timeu
	kill \$pid; wait \$pid
	EOF
	# Its own PID namespace: nothing started inside outlives the script.
	timeout 30 unshare -n -p -f --kill-child --mount-proc sh "$BATS_TEST_TMPDIR/ns.sh"
	r=$BATS_TEST_TMPDIR/r
	[ "$(cat "$r.echo")" = tcp7 ]
	[ "$(cat "$r.echou")" = udp7 ]
	[ ! -s "$r.discard" ]
	grep -q '^[0-9][0-9] [A-Z][A-Z][A-Z] ' "$r.daytime"
	grep -q '^[0-9][0-9] [A-Z][A-Z][A-Z] ' "$r.daytimeu"
	[ "$(wc -c <"$r.chargen")" -eq 74 ]
	[ "$(wc -c <"$r.chargenu")" -eq 1024 ]
	[ "$(wc -c <"$r.time")" -eq 4 ]
	[ "$(wc -c <"$r.timeu")" -eq 4 ]
	for id in echo-stream echo-dgram discard-stream daytime-stream \
	    daytime-dgram chargen-stream chargen-dgram time-stream time-dgram; do
		grep -q "START: $id from=127.0.0.1" "$SVCLOG"
	done
}

@test "out of descriptors: accept pauses, the daemon survives and recovers" {
	# No tcp_wrappers: without descriptors it could not read its rules
	# and would refuse (fail closed) before accept ever failed.
	conf_internal echo "$P" stream "flags = NOLIBWRAP"
	daemon_start inetd sh -c "ulimit -n 24 && exec '$INETD' -d -f '$CONF'"
	wait_for_log ' started: ' "$INETD_LOG"
	"$CLIENT" -H 30 -t 30 127.0.0.1 "$P" >"$BATS_TEST_TMPDIR/h" 3>&- &
	h=$!
	echo $h >>"$BATS_TEST_TMPDIR/.daemons"
	wait_for_log 'connected 30' "$BATS_TEST_TMPDIR/h"
	wait_for_log 'service echo: accept: Too many open files' "$INETD_LOG"
	kill "$h"
	wait "$h" || true
	run "$CLIENT" -t 5 -S -s 'back\n' 127.0.0.1 "$P"
	[ "$output" = back ]
}
