#!/usr/bin/env bats
# inetd: BSD inetd.conf files (OpenBSD, FreeBSD and Debian forms): fields,
# argv, user.group, addr: default lines, tcp4/tcp6/tcp46, nowait.max
# rates, FreeBSD limits, errors; internal services compared with Debian's
# openbsd-inetd inside a private network namespace.

load test_helper
load data/inetd/helper

setup() {
	require_cmd ss
	P=$(free_port)
	ME=$(id -un)
}

has_ipv6() {
	[ -f /proc/net/if_inet6 ] && ip -6 addr show lo 2>/dev/null |
	    grep -q '::1/128'
}

ask() { # port [client args]
	local p=$1
	shift
	"$CLIENT" -t 2 -S "$@" 127.0.0.1 "$p"
}

@test "an inetd.conf line: argv from the file, socket on 0 1 2" {
	printf '%s stream tcp nowait %s %s in.report one two\n' "$P" "$ME" \
	    "$REPORT" >"$CONF"
	inetd_start
	run ask "$P"
	[ "${lines[0]}" = "argv[0]=in.report" ]
	[ "${lines[1]}" = "argv[1]=one" ]
	[ "${lines[2]}" = "argv[2]=two" ]
	[[ "$output" == *"stdin_socket=1"* ]]
	[[ "$output" == *"env:REMOTE_HOST=127.0.0.1"* ]]
}

@test "user.group and user:group set the group; BSD keeps supplementary groups" {
	require_root
	getent group daemon >/dev/null || skip "no group daemon"
	Q=$(free_port)
	printf '%s stream tcp nowait nobody.daemon %s r\n%s stream tcp nowait root:daemon %s r\n' \
	    "$P" "$REPORT" "$Q" "$REPORT" >"$CONF"
	inetd_start
	gid=$(getent group daemon | cut -d: -f3)
	run ask "$P"
	[[ "$output" == *"uid=$(id -u nobody)"$'\n'* ]]
	[[ "$output" == *"gid=$gid"$'\n'* ]]
	run ask "$Q"
	[[ "$output" == *"uid=0"$'\n'*"gid=$gid"$'\n'* ]]
}

@test "addr: lines set the address for the lines after them" {
	Q=$(free_port)
	R=$(free_port)
	cat >"$CONF" <<-EOF
	127.0.0.2:
	$P stream tcp4 nowait $ME /bin/cat cat
	*:
	$Q stream tcp4 nowait $ME /bin/cat cat
	127.0.0.3:$R stream tcp4 nowait $ME /bin/cat cat
	EOF
	inetd_start
	ss -Hltn "sport = :$P" | grep -q '127.0.0.2:'
	ss -Hltn "sport = :$Q" | grep -q '0.0.0.0:'
	ss -Hltn "sport = :$R" | grep -q '127.0.0.3:'
	run "$CLIENT" -t 2 -S -s 'x\n' 127.0.0.2 "$P"
	[ "$output" = x ]
}

@test "tcp is IPv4 and IPv6, tcp4 and tcp6 one each, tcp46 one dual socket" {
	has_ipv6 || skip "no IPv6"
	A=$(free_port)
	B=$(free_port)
	C=$(free_port)
	cat >"$CONF" <<-EOF
	$P stream tcp nowait $ME /bin/cat cat
	$A stream tcp4 nowait $ME /bin/cat cat
	$B stream tcp6 nowait $ME /bin/cat cat
	$C stream tcp46 nowait $ME /bin/cat cat
	$P dgram udp6 wait $ME $REPORT r dgram
	EOF
	inetd_start
	[ "$(ss -Hltn "sport = :$P" | wc -l)" -eq 2 ]
	ss -Hltn "sport = :$A" | grep -q '0.0.0.0:'
	[ "$(ss -Hltn "sport = :$B" | wc -l)" -eq 1 ]
	ss -Hltn "sport = :$B" | grep -q '\[::\]:'
	run "$CLIENT" -4 -t 1 -S -s 'x\n' 127.0.0.1 "$B"
	[ "$status" -ne 0 ]
	run "$CLIENT" -4 -t 2 -S -s 'x\n' 127.0.0.1 "$C"
	[ "$output" = x ]
	run "$CLIENT" -6 -t 2 -S -s 'y\n' ::1 "$C"
	[ "$output" = y ]
	run "$CLIENT" -6 -u -s z ::1 "$P"
	[[ "$output" == "pid "* ]]
}

@test "nowait.max limits invocations per minute, then the service closes" {
	printf '%s stream tcp nowait.2 %s /bin/cat cat\n' "$P" "$ME" >"$CONF"
	inetd_start
	for i in 1 2 3; do
		ask "$P" -s 'x\n' >/dev/null 2>&1 || true
	done
	wait_for_log "Deactivating service $P/tcp due to excessive incoming connections.  Restarting in 600 seconds." "$INETD_LOG"
	grep -q "FAIL: $P/tcp connections per second from=127.0.0.1" "$INETD_LOG"
	! port_listening "$P"
}

@test "-R sets the default invocation rate" {
	printf '%s stream tcp nowait %s /bin/cat cat\n' "$P" "$ME" >"$CONF"
	inetd_start -R 1
	for i in 1 2; do
		ask "$P" -s 'x\n' >/dev/null 2>&1 || true
	done
	wait_for_log "Deactivating service $P/tcp" "$INETD_LOG"
}

@test "FreeBSD nowait/max-child/-/max-per-ip limits" {
	printf '%s stream tcp nowait/1/0/1 %s /bin/cat cat\n' "$P" "$ME" >"$CONF"
	inetd_start
	"$CLIENT" -H 1 -t 30 127.0.0.1 "$P" >"$BATS_TEST_TMPDIR/h" 3>&- &
	echo $! >>"$BATS_TEST_TMPDIR/.daemons"
	wait_for_log 'connected 1' "$BATS_TEST_TMPDIR/h"
	run ask "$P" -b 127.0.0.2 -s 'x\n'
	[ -z "$output" ]
	wait_for_log "FAIL: $P/tcp service_limit from=127.0.0.2" "$INETD_LOG"
}

@test "inetd.conf errors name the file and line" {
	cat >"$CONF" <<-EOF
	# comment
	echo stream
	$P stream tcp nowait $ME /bin/cat cat
	nosuchservice-x stream tcp nowait $ME /bin/cat cat
	$P stream sctp nowait $ME /bin/cat cat
	$P stream tcp,sndbuf=lots nowait $ME /bin/cat cat
	$P stream tcp sometimes $ME /bin/cat cat
	$P stream tcp nowait nosuchuser-x /bin/cat cat
	$P stream tcp nowait $ME cat cat
	rstatd/2-4 dgram rpc/udp wait $ME /bin/cat cat
	$P stream unix nowait $ME /bin/cat cat
	ssh stream tcp nowait $ME internal
	EOF
	run --separate-stderr "$INETD" -n "$CONF"
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "inetd: $CONF:2: expected at least 6 fields, found 2" ]
	[ "${stderr_lines[1]}" = "inetd: $CONF:4: unknown service nosuchservice-x/tcp" ]
	[ "${stderr_lines[2]}" = "inetd: $CONF:5: unknown protocol 'sctp'" ]
	[ "${stderr_lines[3]}" = "inetd: $CONF:6: bad protocol option 'sndbuf=lots'" ]
	[ "${stderr_lines[4]}" = "inetd: $CONF:7: 'sometimes' is not wait or nowait" ]
	[ "${stderr_lines[5]}" = "inetd: $CONF:8: unknown user 'nosuchuser-x'" ]
	[ "${stderr_lines[6]}" = "inetd: $CONF:9: server cat is not executable (not an absolute path)" ]
	[ "${stderr_lines[7]}" = "inetd: $CONF:10: RPC services (rpc/udp) are not supported" ]
	[ "${stderr_lines[8]}" = "inetd: $CONF:11: unix-domain services are not supported" ]
	[ "${stderr_lines[9]}" = "inetd: $CONF:12: service ssh/tcp: no such internal service: ssh/stream - DISABLING" ]
	[ "$output" = "$CONF: inetd.conf syntax, 1 service enabled, 10 errors, 0 warnings" ]
}

@test "Debian's stock /etc/inetd.conf (all commented out) loads" {
	[ -f /etc/inetd.conf ] || skip "no /etc/inetd.conf"
	run --separate-stderr "$INETD" -n -S inetd /etc/inetd.conf
	[ "$status" -eq 0 ]
	[[ "$output" == "/etc/inetd.conf: inetd.conf syntax, "*", 0 errors, 0 warnings" ]]
}

# In a private network namespace: run ours, then openbsd-inetd, on the
# real internal service ports, and compare what the clients get.
@test "internal services answer as openbsd-inetd does (daytime, chargen, echo, time)" {
	require_root
	require_cmd unshare
	[ -x /usr/sbin/inetd ] || skip "openbsd-inetd not installed"
	cat >"$CONF" <<-EOF
	127.0.0.1:
	echo stream tcp nowait root internal
	daytime stream tcp nowait root internal
	chargen stream tcp nowait root internal
	time stream tcp nowait root internal
	EOF
	cat >"$BATS_TEST_TMPDIR/ns.sh" <<-EOF
	ip link set lo up
	for who in ours theirs; do
		if [ \$who = ours ]; then
			"$INETD" -d "$CONF" 2>/dev/null & pid=\$!
		else
			/usr/sbin/inetd -d "$CONF" 2>/dev/null & pid=\$!
		fi
		for i in \$(seq 100); do ss -Hltn 'sport = :13' | grep -q . && break; sleep 0.05; done
		"$CLIENT" -S -s 'hello\n' 127.0.0.1 7 >"$BATS_TEST_TMPDIR/\$who.echo"
		"$CLIENT" 127.0.0.1 13 >"$BATS_TEST_TMPDIR/\$who.daytime"
		"$CLIENT" -n 740 127.0.0.1 19 >"$BATS_TEST_TMPDIR/\$who.chargen"
		"$CLIENT" 127.0.0.1 37 | wc -c >"$BATS_TEST_TMPDIR/\$who.time"
		kill \$pid; wait \$pid
	done
	EOF
	# Its own PID namespace: nothing started inside outlives the script.
	timeout 30 unshare -n -p -f --kill-child --mount-proc sh "$BATS_TEST_TMPDIR/ns.sh"
	cd "$BATS_TEST_TMPDIR"
	[ "$(cat ours.echo)" = hello ]
	[ "$(wc -c <ours.chargen)" -eq 740 ]
	[ "$(cat ours.time)" -eq 4 ]
	[ -s theirs.daytime ]
	cmp ours.echo theirs.echo
	cmp ours.chargen theirs.chargen
	cmp ours.time theirs.time
	# Same format (the clock may tick between the two).
	sed 's/[0-9]/N/g' ours.daytime >a
	sed 's/[0-9]/N/g' theirs.daytime >b
	cmp a b
}
