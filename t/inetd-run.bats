#!/usr/bin/env bats
# inetd: running it: options (BSD letters and xinetd's words), daemon
# mode and the pid file, SIGHUP reloads that keep listeners and sessions,
# SIGTERM, SIGQUIT, SIGUSR1 dumps, exit statuses, and a fast start with a
# huge descriptor limit.

load test_helper
load data/inetd/helper

setup() {
	inetd_setup
}

# bg NAME args...: a client in the background, output in $BATS_TEST_TMPDIR/NAME
bg() {
	local name=$1
	shift
	"$CLIENT" "$@" >"$BATS_TEST_TMPDIR/$name" 2>&1 3>&- &
	echo $! >>"$BATS_TEST_TMPDIR/.daemons"
	eval "${name}_PID=$!"
}

ask() { # port [text]
	"$CLIENT" -t 2 -S -s "${2:-ping}\n" 127.0.0.1 "$1"
}

# The inode of the socket listening on a TCP port.
listen_inode() {
	ss -Hltne "sport = :$1" | sed -n 's/.* ino:\([0-9]*\).*/\1/p'
}

@test "the configuration comes from -f or the operand, not both" {
	cat_service a "$P"
	run --separate-stderr "$INETD" -n "$CONF"
	[ "$status" -eq 0 ]
	run --separate-stderr "$INETD" -n -f "$CONF"
	[ "$status" -eq 0 ]
	run --separate-stderr "$INETD" -n -f "$CONF" "$CONF"
	[ "$status" -eq 1 ]
	[ "$stderr" = "inetd: give the configuration file with -f or as an operand, not both" ]
}

@test "bad option values are refused with a message and exit 1" {
	run --separate-stderr "$INETD" -n -q 0 "$CONF"
	[ "$status" -eq 1 ]
	[ "$stderr" = "inetd: -q: 0 is too small" ]
	run --separate-stderr "$INETD" -n -limit many "$CONF"
	[ "$status" -eq 1 ]
	[ "$stderr" = "inetd: -limit: many is invalid" ]
	run --separate-stderr "$INETD" -syslog nowhere -n "$CONF"
	[ "$status" -eq 1 ]
	[ "$stderr" = "inetd: -syslog: unknown facility nowhere" ]
	run --separate-stderr "$INETD" -n -filelog
	[ "$status" -eq 1 ]
	[[ "${stderr_lines[0]}" = "inetd: option -filelog needs an argument" ]]
}

@test "an unreadable configuration stops the start with exit 1" {
	run --separate-stderr "$INETD" -d -f "$BATS_TEST_TMPDIR/none"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"inetd: $BATS_TEST_TMPDIR/none: No such file or directory"* ]]
}

@test "daemon mode: detaches once listening, pid file written atomically" {
	cat_service a "$P"
	pidf=$BATS_TEST_TMPDIR/inetd.pidfile
	run "$INETD" -p "$pidf" -filelog "$BATS_TEST_TMPDIR/own.log" -f "$CONF"
	[ "$status" -eq 0 ]
	pid=$(cat "$pidf")
	echo "$pid" >>"$BATS_TEST_TMPDIR/.daemons"
	# The parent returns only when the daemon listens: no wait needed.
	run ask "$P"
	[ "$output" = ping ]
	# A session leader: field 6 of /proc/PID/stat is the session id.
	[ "$(sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f4)" = "$pid" ]
	[ "$(readlink "/proc/$pid/cwd")" = / ]
	[ -z "$(ls "$BATS_TEST_TMPDIR" | grep 'inetd.pidfile.tmp')" ]
	kill -TERM "$pid"
	wait_for_cmd 5 sh -c "! kill -0 $pid"
	[ ! -e "$pidf" ]
	grep -q 'inetd\[[0-9]*\]: inetd (auditkit) 0.1 started: 1 service listening' \
	    "$BATS_TEST_TMPDIR/own.log"
}

@test "daemon mode: nothing to serve is exit 1, as xinetd" {
	printf 'service t\n{\n\tdisable = yes\n}\n' >"$CONF"
	run --separate-stderr "$INETD" -f "$CONF"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"inetd: no services. Exiting..."* ]]
}

@test "-dontfork stays in the foreground; -pidfile; -filelog gets the messages" {
	cat_service a "$P"
	daemon_start inetd "$INETD" -dontfork -pidfile "$BATS_TEST_TMPDIR/p" \
	    -filelog "$BATS_TEST_TMPDIR/own.log" -f "$CONF"
	wait_for_file "$BATS_TEST_TMPDIR/p"
	[ "$(cat "$BATS_TEST_TMPDIR/p")" = "$DAEMON_PID" ]
	wait_for_log ' started: ' "$BATS_TEST_TMPDIR/own.log"
	run ask "$P"
	[ "$output" = ping ]
}

@test "-cc runs periodic consistency checks" {
	cat_service a "$P"
	inetd_start -cc 1
	wait_for_log 'Consistency check passed' "$INETD_LOG" 5
}

@test "SIGHUP: services added, removed and changed; unchanged sockets stay open" {
	Q=$(free_port)
	R=$(free_port)
	cat_service keep "$P"
	cat_service gone "$Q"
	inetd_start
	ino=$(listen_inode "$P")
	[ -n "$ino" ]
	conf_defaults
	cat_service keep "$P" "server_args = -u"
	cat_service new "$R"
	inetd_kill HUP
	wait_for_log 'Reconfigured: 2 services listening' "$INETD_LOG"
	[ "$(listen_inode "$P")" = "$ino" ]
	! port_listening "$Q"
	run ask "$R" hello
	[ "$output" = hello ]
	run ask "$P"
	[ "$output" = ping ]
}

@test "SIGHUP never drops a running session; its EXIT is logged later" {
	Q=$(free_port)
	cat_service gone "$Q"
	E=$(free_port)
	conf_internal echo "$E" stream
	inetd_start
	bg S -t 10 -s 'first\n' 127.0.0.1 "$Q"
	bg T -t 10 -s 'one\n' 127.0.0.1 "$E"
	wait_for_cmd 5 sh -c "[ \$(grep -c START '$SVCLOG') -eq 2 ]"
	conf_defaults
	cat_service other "$P"
	inetd_kill HUP
	wait_for_log 'Reconfigured: 1 service listening' "$INETD_LOG"
	! port_listening "$Q"
	! port_listening "$E"
	wait_for_log first "$BATS_TEST_TMPDIR/S"
	wait_for_log one "$BATS_TEST_TMPDIR/T"
	! grep -q 'EXIT: gone' "$SVCLOG"
	kill "$S_PID" "$T_PID"
	wait_for_svclog 'EXIT: gone status=0'
	wait_for_svclog 'EXIT: echo status=0 pid=0'
}

@test "SIGHUP with a broken file keeps the running configuration" {
	cat_service a "$P"
	inetd_start
	printf 'service b\n{\n\tsocket_type = bogus\n}\n' >>"$CONF"
	inetd_kill HUP
	wait_for_log 'keeping the running configuration' "$INETD_LOG"
	grep -q "inetd: $CONF:[0-9]*: service b: socket_type: unknown socket type 'bogus' (stream for a tcp service, dgram for a udp one); service disabled" \
	    "$INETD_LOG"
	grep -q "inetd: $CONF: 1 error; keeping the running configuration" \
	    "$INETD_LOG"
	run ask "$P"
	[ "$output" = ping ]
}

@test "SIGHUP reopens log files, so rotation works" {
	cat_service a "$P"
	inetd_start
	ask "$P" >/dev/null
	wait_for_svclog 'EXIT: a'
	mv "$SVCLOG" "$SVCLOG.1"
	inetd_kill HUP
	wait_for_log 'Reconfigured' "$INETD_LOG"
	ask "$P" >/dev/null
	wait_for_svclog 'EXIT: a'
	[ "$(grep -c START "$SVCLOG")" -eq 1 ]
	[ "$(grep -c START "$SVCLOG.1")" -eq 1 ]
}

@test "SIGTERM: listeners close, servers get SIGTERM, exit 0, pid file gone" {
	cat_service a "$P"
	inetd_start -p "$BATS_TEST_TMPDIR/p"
	bg C -t 30 -s 'x\n' 127.0.0.1 "$P"
	wait_for_svclog 'START: a'
	rc=0
	inetd_stop || rc=$?
	[ "$rc" -eq 0 ]
	grep -q 'sent SIGTERM to 1 server' "$INETD_LOG"
	grep -q 'EXIT: a signal=15 ' "$SVCLOG"
	! port_listening "$P"
	[ ! -e "$BATS_TEST_TMPDIR/p" ]
}

@test "SIGQUIT: exit at once, servers left running" {
	cat_service a "$P"
	inetd_start
	bg C -t 30 -s 'x\n' 127.0.0.1 "$P"
	wait_for_svclog 'START: a'
	pid=$(sed -n 's/.*START: a pid=\([0-9]*\).*/\1/p' "$SVCLOG")
	inetd_kill QUIT
	wait_for_cmd 5 sh -c "! kill -0 $(inetd_pid)"
	kill -0 "$pid"
	kill "$pid"
}

@test "SIGUSR1 writes the state dump to -D or dump_file" {
	cat_service a "$P"
	inetd_start -D "$BATS_TEST_TMPDIR/dump"
	bg C -t 30 -s 'x\n' 127.0.0.1 "$P"
	wait_for_svclog 'START: a'
	inetd_kill USR1
	wait_for_file "$BATS_TEST_TMPDIR/dump"
	grep -q '^inetd state dump, pid [0-9]*, ' "$BATS_TEST_TMPDIR/dump"
	grep -q '^service a$' "$BATS_TEST_TMPDIR/dump"
	grep -q '^	running = 1$' "$BATS_TEST_TMPDIR/dump"
	grep -q '^servers (1):$' "$BATS_TEST_TMPDIR/dump"
	inetd_stop
	conf_defaults "dump_file = $BATS_TEST_TMPDIR/dump2"
	cat_service a "$P"
	inetd_start
	inetd_kill USR1
	wait_for_file "$BATS_TEST_TMPDIR/dump2"
	grep -q '^service a$' "$BATS_TEST_TMPDIR/dump2"
}

@test "a huge descriptor limit costs nothing: no close() per possible fd" {
	require_cmd strace
	cat_service a "$P"
	# As high as this machine allows (xinetd closes every one at start).
	lim=1048576
	prlimit --nofile=$lim:$lim --pid $$ 2>/dev/null || lim=$(ulimit -Hn)
	[ "$lim" != unlimited ] && [ "$lim" -ge 10000 ] ||
	    skip "descriptor limit below 10000"
	daemon_start inetd sh -c "ulimit -n $lim && exec strace -f -qq \
	    -e trace=close,close_range -o '$BATS_TEST_TMPDIR/trace' \
	    '$INETD' -d -p '$BATS_TEST_TMPDIR/p' -f '$CONF'"
	wait_for_log ' started: ' "$INETD_LOG"
	# Stopping strace would leave inetd running: stop inetd itself.
	cat "$BATS_TEST_TMPDIR/p" >>"$BATS_TEST_TMPDIR/.daemons"
	run ask "$P"
	[ "$output" = ping ]
	wait_for_svclog 'EXIT: a'
	n=$(grep -c 'close(' "$BATS_TEST_TMPDIR/trace")
	[ "$n" -lt 200 ]
}

@test "-inetd_compat also reads /etc/inetd.conf" {
	require_root
	require_cmd unshare
	mkdir -p "$BATS_TEST_TMPDIR/etc"
	printf 'echo stream tcp nowait root internal\n' \
	    >"$BATS_TEST_TMPDIR/etc/inetd.conf"
	cat_service a "$P"
	run unshare -m sh -c "mount -t overlay overlay \
	    -o lowerdir=$BATS_TEST_TMPDIR/etc:/etc /etc && \
	    exec '$INETD' -n -inetd_compat '$CONF'"
	[ "$status" -eq 0 ]
	[ "$output" = "$CONF: xinetd.conf syntax, 2 services enabled, 0 errors, 0 warnings" ]
}

@test "the init script starts, reports, reloads, restarts and stops" {
	cat_service a "$P"
	export DAEMON=$INETD CONFIG=$CONF PIDFILE=$BATS_TEST_TMPDIR/i.pid
	export DEFAULTS=/nonexistent OPTIONS="-filelog $BATS_TEST_TMPDIR/own.log"
	init=$TOP_SRCDIR/inetd/inetd.init
	run "$init" status
	[ "$status" -eq 3 ]
	[ "$output" = "inetd is not running" ]
	run "$init" start
	[ "$status" -eq 0 ]
	cat "$PIDFILE" >>"$BATS_TEST_TMPDIR/.daemons"
	run "$init" status
	[ "$status" -eq 0 ]
	[ "$output" = "inetd is running (pid $(cat "$PIDFILE"))" ]
	run ask "$P"
	[ "$output" = ping ]
	run "$init" reload
	[ "$status" -eq 0 ]
	wait_for_log 'Reconfigured' "$BATS_TEST_TMPDIR/own.log"
	old=$(cat "$PIDFILE")
	run "$init" restart
	[ "$status" -eq 0 ]
	cat "$PIDFILE" >>"$BATS_TEST_TMPDIR/.daemons"
	[ "$(cat "$PIDFILE")" != "$old" ]
	run "$init" stop
	[ "$status" -eq 0 ]
	run "$init" status
	[ "$status" -eq 3 ]
	printf 'service b\n{\n\tsocket_type = bogus\n}\n' >>"$CONF"
	run "$init" start
	[ "$status" -eq 1 ]
	run "$init" bogus
	[ "$status" -eq 2 ]
}

@test "the systemd unit passes systemd-analyze verify" {
	require_cmd systemd-analyze
	run systemd-analyze verify "$TOP_SRCDIR/inetd/inetd.service"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}
