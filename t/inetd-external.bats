#!/usr/bin/env bats
# inetd: external servers: argv and NAMEINARGS, the environment, the
# descriptors and process state they get, user drop, wait = yes for
# datagram and stream services, exec failures, banners and redirect.

load test_helper
load data/inetd/helper

setup() {
	inetd_setup
}

# report [client args...]: what the server on $P says, as key=value lines.
report() {
	"$CLIENT" -S "$@" 127.0.0.1 "$P"
}

@test "server_args: argv[0] is the server's base name, then the args" {
	conf_service rep "$P" "type = UNLISTED" "socket_type = stream" \
	    "protocol = tcp" "wait = no" "user = $ME" "server = $REPORT" \
	    "server_args = one two"
	inetd_start
	run report
	[ "${lines[0]}" = "argv[0]=inetd-report" ]
	[ "${lines[1]}" = "argv[1]=one" ]
	[ "${lines[2]}" = "argv[2]=two" ]
	[[ "$output" != *"argv[3]"* ]]
}

@test "NAMEINARGS: the first server_args word is argv[0]" {
	conf_service rep "$P" "type = UNLISTED" "socket_type = stream" \
	    "protocol = tcp" "wait = no" "user = $ME" "server = $REPORT" \
	    "server_args = in.reportd -x" "flags = NAMEINARGS"
	inetd_start
	run report
	[ "${lines[0]}" = "argv[0]=in.reportd" ]
	[ "${lines[1]}" = "argv[1]=-x" ]
}

@test "environment: REMOTE_HOST, UCSPI variables, env and passenv" {
	conf_service rep "$P" "type = UNLISTED" "socket_type = stream" \
	    "protocol = tcp" "wait = no" "user = $ME" "server = $REPORT" \
	    "env = GREETING=hello WHO=world" "passenv = KEEPME"
	KEEPME=kept DROPME=dropped inetd_start
	run report
	[[ "$output" == *"env:REMOTE_HOST=127.0.0.1"* ]]
	[[ "$output" == *"env:PROTO=TCP"* ]]
	[[ "$output" == *"env:TCPREMOTEIP=127.0.0.1"* ]]
	[[ "$output" =~ env:TCPREMOTEPORT=[0-9]+ ]]
	[[ "$output" == *"env:TCPLOCALIP=127.0.0.1"* ]]
	[[ "$output" == *"env:TCPLOCALPORT=$P"* ]]
	[[ "$output" == *"env:GREETING=hello"* ]]
	[[ "$output" == *"env:WHO=world"* ]]
	[[ "$output" == *"env:KEEPME=kept"* ]]
	[[ "$output" != *DROPME* ]]
	[[ "$output" != *"env:PATH="* ]]
}

@test "without passenv the daemon's environment is passed on" {
	conf_service rep "$P" "type = UNLISTED" "socket_type = stream" \
	    "protocol = tcp" "wait = no" "user = $ME" "server = $REPORT"
	FROMDAEMON=yes inetd_start
	run report
	[[ "$output" == *"env:FROMDAEMON=yes"* ]]
}

@test "the server gets the socket on 0, 1, 2 and nothing else, in its own session" {
	conf_service rep "$P" "type = UNLISTED" "socket_type = stream" \
	    "protocol = tcp" "wait = no" "user = $ME" "server = $REPORT"
	inetd_start
	run report
	[[ "$output" == *"stdin_socket=1"* ]]
	[[ "$output" == *"fds=0 1 2 "* ]] || [[ "$output" == *"fds=0 1 2"$'\n'* ]]
	run sh -c "'$CLIENT' -S 127.0.0.1 $P | grep '^fds='"
	[ "$output" = "fds=0 1 2 " ]
	run sh -c "'$CLIENT' -S 127.0.0.1 $P | grep '^sid_leader='"
	[ "$output" = "sid_leader=1" ]
}

@test "umask, nice and rlimits are applied" {
	conf_service rep "$P" "type = UNLISTED" "socket_type = stream" \
	    "protocol = tcp" "wait = no" "user = $ME" "server = $REPORT" \
	    "umask = 027" "nice = 5" "rlimit_files = 77" "rlimit_cpu = 30"
	inetd_start
	run report
	[[ "$output" == *"umask=027"* ]]
	[[ "$output" == *"nice=5"* ]]
	[[ "$output" == *"rlimit_files=77"* ]]
	[[ "$output" == *"rlimit_cpu=30"* ]]
}

@test "user drop: the server runs as the configured user and group" {
	require_root
	getent passwd nobody >/dev/null || skip "no user nobody"
	uid=$(id -u nobody)
	conf_service rep "$P" "type = UNLISTED" "socket_type = stream" \
	    "protocol = tcp" "wait = no" "user = nobody" "server = $REPORT"
	G=$(free_port)
	conf_service repg "$G" "type = UNLISTED" "socket_type = stream" \
	    "protocol = tcp" "wait = no" "user = nobody" "group = daemon" \
	    "server = $REPORT"
	inetd_start
	run report
	[[ "$output" == *"uid=$uid"$'\n'* ]]
	[[ "$output" == *"gid=$(id -g nobody)"$'\n'* ]]
	# xinetd's default, groups = no: no supplementary groups at all.
	[[ "$output" == *"groups="$'\n'* ]]
	run "$CLIENT" -S 127.0.0.1 "$G"
	[[ "$output" == *"gid=$(getent group daemon | cut -d: -f3)"$'\n'* ]]
}

@test "wait = yes datagram: one server gets every datagram until it exits" {
	conf_service udprep "$P" "type = UNLISTED" "socket_type = dgram" \
	    "protocol = udp" "wait = yes" "user = $ME" "server = $REPORT" \
	    "server_args = dgram"
	inetd_start
	run "$CLIENT" -u -s a 127.0.0.1 "$P"
	first=$output
	[[ "$first" == "pid "* ]]
	run "$CLIENT" -u -s b 127.0.0.1 "$P"
	[ "$output" = "$first" ]
	wait_for_svclog "EXIT: udprep status=0 pid=${first#pid }"
	run "$CLIENT" -u -s c 127.0.0.1 "$P"
	[[ "$output" == "pid "* ]]
	[ "$output" != "$first" ]
}

@test "wait = yes stream: the server accepts on the listening socket" {
	conf_service tcprep "$P" "type = UNLISTED" "socket_type = stream" \
	    "protocol = tcp" "wait = yes" "user = $ME" "server = $REPORT" \
	    "server_args = accept"
	inetd_start
	run "$CLIENT" 127.0.0.1 "$P"
	first=$output
	[[ "$first" == "pid "* ]]
	run "$CLIENT" 127.0.0.1 "$P"
	[ "$output" = "$first" ]
	wait_for_svclog "EXIT: tcprep status=0"
	# No peer is known to inetd when the server accepts for itself.
	grep -q "START: tcprep pid=${first#pid } from=<no address>\$" "$SVCLOG"
}

@test "exit status and signals show in EXIT lines" {
	conf_service rep "$P" "type = UNLISTED" "socket_type = stream" \
	    "protocol = tcp" "wait = no" "user = $ME" "server = $REPORT" \
	    "server_args = exit3"
	inetd_start
	report >/dev/null
	wait_for_svclog 'EXIT: rep'
	run svclog_lines
	[[ "${lines[0]}" =~ ^START:\ rep\ pid=([0-9]+)\ from=127\.0\.0\.1$ ]]
	pid=${BASH_REMATCH[1]}
	# The duration is whole seconds of wall time: 0 or 1 on a loaded
	# machine, or more under a sanitizer.
	[[ "${lines[1]}" =~ ^EXIT:\ rep\ status=3\ pid=$pid\ duration=[0-9]+\(sec\)$ ]]
}

@test "a server that cannot be executed is logged and exits 127" {
	cp "$REPORT" "$BATS_TEST_TMPDIR/gone"
	conf_service gone "$P" "type = UNLISTED" "socket_type = stream" \
	    "protocol = tcp" "wait = no" "user = $ME" \
	    "server = $BATS_TEST_TMPDIR/gone"
	inetd_start
	rm "$BATS_TEST_TMPDIR/gone"
	report >/dev/null || true
	wait_for_svclog 'EXIT: gone'
	grep -q 'EXIT: gone status=127 ' "$SVCLOG"
	grep -q "service gone: execve $BATS_TEST_TMPDIR/gone: No such file" \
	    "$INETD_LOG"
}

@test "banner, banner_success and banner_fail are sent as is" {
	printf 'BANNER\r\n' >"$BATS_TEST_TMPDIR/b"
	printf 'WELCOME\r\n' >"$BATS_TEST_TMPDIR/ok"
	printf 'GO AWAY\r\n' >"$BATS_TEST_TMPDIR/no"
	conf_service rep "$P" "type = UNLISTED" "socket_type = stream" \
	    "protocol = tcp" "wait = no" "user = $ME" \
	    "server = /bin/echo" "server_args = served" \
	    "banner = $BATS_TEST_TMPDIR/b" \
	    "banner_success = $BATS_TEST_TMPDIR/ok" \
	    "banner_fail = $BATS_TEST_TMPDIR/no"
	D=$(free_port)
	conf_service deny "$D" "type = UNLISTED" "socket_type = stream" \
	    "protocol = tcp" "wait = no" "user = $ME" \
	    "server = /bin/echo" "only_from = 192.0.2.1" \
	    "banner = $BATS_TEST_TMPDIR/b" \
	    "banner_success = $BATS_TEST_TMPDIR/ok" \
	    "banner_fail = $BATS_TEST_TMPDIR/no"
	inetd_start
	run "$CLIENT" 127.0.0.1 "$P"
	[ "$output" = "$(printf 'BANNER\r\nWELCOME\r\nserved')" ]
	run "$CLIENT" 127.0.0.1 "$D"
	[ "$output" = "$(printf 'BANNER\r\nGO AWAY\r')" ]
}

@test "redirect forwards both ways and logs TRAFFIC" {
	E=$(free_port)
	conf_internal echo "$E" stream "bind = 127.0.0.1"
	conf_service fwd "$P" "type = UNLISTED" "socket_type = stream" \
	    "protocol = tcp" "wait = no" "redirect = 127.0.0.1 $E" \
	    "user = $ME" \
	    "log_on_success += TRAFFIC"
	inetd_start
	run "$CLIENT" -S -s 'through the tunnel\n' 127.0.0.1 "$P"
	[ "$output" = "through the tunnel" ]
	wait_for_svclog 'TRAFFIC: fwd'
	grep -q 'TRAFFIC: fwd in=19(bytes) out=19(bytes)$' "$SVCLOG"
	grep -q 'START: echo pid=0 from=127.0.0.1' "$SVCLOG"
}

@test "USERID: the client's ident answer is logged, escaped, on success and failure" {
	require_root
	require_cmd unshare socat ip
	cat >"$BATS_TEST_TMPDIR/identd.sh" <<'EOF'
#!/bin/sh
read -r req
req=$(printf '%s' "$req" | tr -d '\r')
printf '%s : USERID : UNIX : mallory\001\033[2J\r\n' "$req"
EOF
	chmod +x "$BATS_TEST_TMPDIR/identd.sh"
	conf_service rep "$P" "type = UNLISTED" "socket_type = stream" \
	    "protocol = tcp" "wait = no" "user = $ME" "server = $REPORT" \
	    "log_on_success += USERID"
	D=$(free_port)
	conf_service deny "$D" "type = UNLISTED" "socket_type = stream" \
	    "protocol = tcp" "wait = no" "user = $ME" "server = $REPORT" \
	    "only_from = 192.0.2.1" "log_on_failure += USERID"
	cat >"$BATS_TEST_TMPDIR/ns.sh" <<EOF
ip link set lo up
socat TCP-LISTEN:113,bind=127.0.0.1,reuseaddr,fork \
    EXEC:$BATS_TEST_TMPDIR/identd.sh &
S=\$!
for i in \$(seq 100); do ss -Hltn 'sport = :113' | grep -q . && break; sleep 0.05; done
"$INETD" -d -f "$CONF" 2>"$INETD_LOG" &
I=\$!
for i in \$(seq 100); do grep -q ' started: ' "$INETD_LOG" && break; sleep 0.05; done
"$CLIENT" -S 127.0.0.1 $P >/dev/null
"$CLIENT" -t 1 127.0.0.1 $D >/dev/null
for i in \$(seq 100); do [ \$(grep -c USERID "$SVCLOG" 2>/dev/null) = 2 ] && break; sleep 0.05; done
kill \$I \$S
wait
EOF
	# Its own PID namespace: nothing started inside outlives the script.
	timeout 20 unshare -n -p -f --kill-child --mount-proc sh "$BATS_TEST_TMPDIR/ns.sh"
	run svclog_lines
	[[ "$output" == *'USERID: rep UNIX : mallory\x01\x1b[2J'* ]]
	[[ "$output" == *'FAIL: deny address from=127.0.0.1'* ]]
	[[ "$output" == *'USERID: deny UNIX : mallory\x01\x1b[2J'* ]]
}
