#!/usr/bin/env bats
# inetd: limits and access lists, each with the FAIL line xinetd writes:
# instances, per_source, cps (close and reopen), max_load, access_times,
# the process limit, only_from / no_access, SENSOR; refusals are always
# logged, and a noisy client cannot get a service closed for everyone.

load test_helper
load data/inetd/helper

setup() {
	inetd_setup
}

# hold N [client args...]: keep N connections to $P open in the background.
hold() {
	local n=$1 f=$BATS_TEST_TMPDIR/hold.$RANDOM
	shift
	"$CLIENT" -H "$n" -t 30 "$@" 127.0.0.1 "$P" >"$f" 3>&- &
	echo $! >>"$BATS_TEST_TMPDIR/.daemons"
	wait_for_log "connected $n" "$f"
}

# ask [client args...]: one exchange with the cat service on $P.
ask() {
	"$CLIENT" -t 2 -S -s 'ping\n' "$@" 127.0.0.1 "$P"
}

@test "instances: over the limit the client gets banner_fail and a FAIL line" {
	printf 'BUSY\r\n' >"$BATS_TEST_TMPDIR/busy"
	cat_service lim "$P" "instances = 2" \
	    "banner_fail = $BATS_TEST_TMPDIR/busy"
	inetd_start
	hold 2
	wait_for_cmd 5 sh -c "[ \$(grep -c 'START: lim' '$SVCLOG') -eq 2 ]"
	run ask
	[ "$output" = "$(printf 'BUSY\r')" ]
	wait_for_svclog 'FAIL: lim'
	run grep -c 'FAIL: lim service_limit from=127.0.0.1$' "$SVCLOG"
	[ "$output" -eq 1 ]
	# No START for a refused connection: nothing was started.
	run grep -c 'START: lim' "$SVCLOG"
	[ "$output" -eq 2 ]
}

@test "instances: a freed slot is usable again" {
	cat_service lim "$P" "instances = 1"
	inetd_start
	run ask
	[ "$output" = ping ]
	wait_for_svclog 'EXIT: lim'
	run ask
	[ "$output" = ping ]
}

@test "per_source limits one client address, not the others" {
	cat_service ps "$P" "per_source = 1"
	inetd_start
	hold 1 -b 127.0.0.2
	run ask -b 127.0.0.2
	[ -z "$output" ]
	wait_for_svclog 'FAIL: ps per_source_limit from=127.0.0.2'
	run ask -b 127.0.0.3
	[ "$output" = ping ]
}

@test "cps: the service closes, refuses, logs, and reopens after the wait" {
	cat_service fast "$P" "cps = 3 1"
	inetd_start
	for i in 1 2 3 4 5 6; do
		"$CLIENT" -t 1 -S -s 'x\n' 127.0.0.1 "$P" >/dev/null 2>&1 ||
		    true
	done
	wait_for_log 'Deactivating service fast due to excessive incoming connections.  Restarting in 1 seconds.' "$INETD_LOG"
	grep -q 'FAIL: fast connections per second from=127.0.0.1$' "$SVCLOG"
	wait_for_log 'Activating service fast' "$INETD_LOG" 5
	run ask
	[ "$output" = ping ]
}

@test "cps defaults to 50 10 when not set, and 0 0 turns it off" {
	E=$(free_port)
	conf_internal echo "$P" stream
	conf_internal echo "$E" stream "id = unlimited" "cps = 0 0"
	inetd_start
	"$CLIENT" -L 8,1 -s 'x\n' -n 2 127.0.0.1 "$P" >/dev/null
	wait_for_log 'Deactivating service echo due to excessive incoming connections.  Restarting in 10 seconds.' "$INETD_LOG"
	run "$CLIENT" -L 8,1 -s 'x\n' -n 2 127.0.0.1 "$E"
	[[ "$output" =~ connections=([0-9]+) ]]
	[ "${BASH_REMATCH[1]}" -gt 100 ]
	! grep -q 'Deactivating service unlimited' "$INETD_LOG"
}

@test "one noisy client over per_source does not trip cps for the others" {
	cat_service fair "$P" "per_source = 2" "cps = 10 1"
	inetd_start
	hold 2 -b 127.0.0.2
	for i in $(seq 30); do
		"$CLIENT" -t 1 -b 127.0.0.2 -S -s 'x\n' 127.0.0.1 "$P" \
		    >/dev/null 2>&1 || true
	done
	run ask -b 127.0.0.3
	[ "$output" = ping ]
	! grep -q 'Deactivating service fair' "$INETD_LOG"
	[ "$(grep -c 'FAIL: fair per_source_limit from=127.0.0.2' "$SVCLOG")" -eq 30 ]
}

@test "max_load refuses with reason load" {
	load=$(cut -d' ' -f1 /proc/loadavg)
	[ "$load" != "0.00" ] || skip "load average is 0.00"
	cat_service busy "$P" "max_load = 0.001"
	inetd_start
	run ask
	[ -z "$output" ]
	wait_for_svclog 'FAIL: busy load from=127.0.0.1'
}

@test "access_times: outside the intervals the reason is time" {
	h=$(date +%H)
	other=$(( (10#$h + 2) % 24 ))
	cat_service closed "$P" "access_times = $other:00-$other:59"
	O=$(free_port)
	conf_service open "$O" "type = UNLISTED" "socket_type = stream" \
	    "protocol = tcp" "wait = no" "user = $ME" "server = /bin/cat" \
	    "access_times = 00:00-23:59"
	inetd_start
	run ask
	[ -z "$output" ]
	wait_for_svclog 'FAIL: closed time from=127.0.0.1'
	run "$CLIENT" -t 2 -S -s 'open\n' 127.0.0.1 "$O"
	[ "$output" = open ]
}

@test "-limit caps the number of servers: FAIL process_limit" {
	cat_service pl "$P"
	inetd_start -limit 1
	hold 1
	wait_for_svclog 'START: pl'
	run ask
	[ -z "$output" ]
	wait_for_svclog 'FAIL: pl process_limit from=127.0.0.1'
}

@test "only_from and no_access: the more specific entry wins, ties deny" {
	cat_service a "$P" "only_from = 127.0.0.0/8" "no_access = 127.0.0.2"
	B=$(free_port)
	cat_service b "$B" "only_from = 127.0.0.2" "no_access = 127.0.0.0"
	C=$(free_port)
	cat_service c "$C" "only_from = 127.0.0.5" "no_access = 127.0.0.5/32"
	inetd_start
	run ask -b 127.0.0.3
	[ "$output" = ping ]
	run ask -b 127.0.0.2
	[ -z "$output" ]
	wait_for_svclog 'FAIL: a address from=127.0.0.2$'
	P=$B run ask -b 127.0.0.2
	[ "$output" = ping ]
	P=$B run ask -b 127.0.0.3
	[ -z "$output" ]
	wait_for_svclog 'FAIL: b address from=127.0.0.3$'
	P=$C run ask -b 127.0.0.5
	[ -z "$output" ]
	wait_for_svclog 'FAIL: c address from=127.0.0.5$'
}

@test "only_from forms: trailing zeros, factorized, empty means nobody" {
	cat_service z "$P" "only_from = 127.0.0.0"
	F=$(free_port)
	cat_service f "$F" "only_from = 127.0.0.{4,6}"
	N=$(free_port)
	cat_service n "$N" "only_from ="
	inetd_start
	run ask -b 127.0.0.9
	[ "$output" = ping ]
	P=$F run ask -b 127.0.0.6
	[ "$output" = ping ]
	P=$F run ask -b 127.0.0.5
	[ -z "$output" ]
	P=$N run ask
	[ -z "$output" ]
	wait_for_svclog 'FAIL: n address from=127.0.0.1$'
}

@test "defaults only_from is inherited; += extends it, = replaces it" {
	conf_defaults "only_from = 127.0.0.2"
	cat_service plus "$P" "only_from += 127.0.0.3"
	R=$(free_port)
	cat_service repl "$R" "only_from = 127.0.0.4"
	inetd_start
	run ask -b 127.0.0.2
	[ "$output" = ping ]
	run ask -b 127.0.0.3
	[ "$output" = ping ]
	P=$R run ask -b 127.0.0.2
	[ -z "$output" ]
	P=$R run ask -b 127.0.0.4
	[ "$output" = ping ]
}

@test "a refusal is logged even when the service has no log" {
	cat >"$CONF" <<-EOF
	service quiet
	{
		type = UNLISTED
		port = $P
		socket_type = stream
		protocol = tcp
		wait = no
		user = $ME
		server = /bin/cat
		only_from = 192.0.2.1
	}
	EOF
	inetd_start
	run ask
	[ -z "$output" ]
	wait_for_log 'FAIL: quiet address from=127.0.0.1$' "$INETD_LOG"
}

@test "datagram refusals are logged once a minute per client address and port" {
	require_cmd socat
	conf_internal echo "$P" dgram "only_from = 192.0.2.1"
	inetd_start
	sp=$(free_port)
	for i in 1 2 3 4 5; do
		echo x | socat -u - "UDP:127.0.0.1:$P,sourceport=$sp,reuseaddr"
	done
	echo y | socat -u - "UDP:127.0.0.1:$P,sourceport=$(free_port)"
	wait_for_cmd 5 sh -c "[ \$(grep -c 'FAIL: echo address' '$SVCLOG') -ge 2 ]"
	[ "$(grep -c 'FAIL: echo address from=127.0.0.1$' "$SVCLOG")" -eq 2 ]
}

@test "SENSOR: a client that touches the sensor is denied everywhere" {
	S=$(free_port)
	conf_service trap "$S" "type = UNLISTED" "flags = SENSOR" \
	    "socket_type = stream" "protocol = tcp" "wait = no" \
	    "deny_time = 5"
	cat_service real "$P"
	inetd_start
	"$CLIENT" -t 1 -b 127.0.0.7 127.0.0.1 "$S" >/dev/null || true
	wait_for_svclog 'FAIL: trap address from=127.0.0.7$'
	grep -q 'service trap: sensor hit from 127.0.0.7: denied for 5 minutes' \
	    "$INETD_LOG"
	run ask -b 127.0.0.7
	[ -z "$output" ]
	wait_for_svclog 'FAIL: real address from=127.0.0.7$'
	run ask -b 127.0.0.8
	[ "$output" = ping ]
}

@test "a failed fork is tried three times, once with NORETRY, then FAIL fork" {
	require_root
	require_cmd setpriv prlimit
	getent passwd nobody >/dev/null || skip "no user nobody"
	# No service log: nobody cannot write here; the FAIL line goes to the
	# daemon's log, as it always does then.
	cat >"$CONF" <<-EOF
	service again
	{
		type = UNLISTED
		port = $P
		socket_type = stream
		protocol = tcp
		wait = no
		user = nobody
		server = /bin/cat
		flags = NOLIBWRAP
	}
	service once
	{
		type = UNLISTED
		port = $(free_port)
		socket_type = stream
		protocol = tcp
		wait = no
		user = nobody
		server = /bin/cat
		flags = NOLIBWRAP NORETRY
	}
	EOF
	Q=$(sed -n 's/.*port = //p' "$CONF" | tail -1)
	# As nobody, allowed one process: inetd itself.  Every fork fails.
	# (The file comes on stdin: nobody cannot enter the test directory.)
	daemon_start inetd sh -c "exec setpriv --reuid=nobody --regid=nogroup \
	    --clear-groups prlimit --nproc=1:1 '$INETD' -d -f /dev/stdin \
	    <'$CONF'"
	wait_for_log ' started: ' "$INETD_LOG"
	ask >/dev/null || true
	wait_for_log 'FAIL: again fork from=127.0.0.1' "$INETD_LOG"
	P=$Q ask >/dev/null || true
	wait_for_log 'FAIL: once fork from=127.0.0.1' "$INETD_LOG"
	[ "$(grep -c 'service again: fork: Resource temporarily unavailable' "$INETD_LOG")" -eq 3 ]
	[ "$(grep -c 'service once: fork: Resource temporarily unavailable' "$INETD_LOG")" -eq 1 ]
}
