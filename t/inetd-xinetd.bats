#!/usr/bin/env bats
# inetd against xinetd itself: the same configuration served by Debian's
# xinetd (downloaded) and by inetd must leave the same service log lines,
# byte for byte once time stamps and pids are set aside.  Also checks the
# FILE log stamp format and the syslog line form.

load test_helper
load data/inetd/helper

setup_file() {
	xinetd_fetch
}

setup() {
	require_cmd ss
	ME=$(id -un)
}

# The configuration both daemons run; IPv4 sockets, so xinetd logs plain
# IPv4 addresses rather than ::ffff:a.b.c.d.
write_conf() {
	cat >"$CONF" <<-EOF
	defaults
	{
		log_type = FILE $SVCLOG
		log_on_success = PID HOST EXIT DURATION
		log_on_failure = HOST ATTEMPT
	}
	service echo
	{
		type = INTERNAL UNLISTED
		id = echo-stream
		socket_type = stream
		protocol = tcp
		wait = no
		port = $P1
		flags = IPv4 NOLIBWRAP
	}
	service daytime
	{
		type = INTERNAL UNLISTED
		socket_type = stream
		protocol = tcp
		wait = no
		port = $P2
		flags = IPv4 NOLIBWRAP
	}
	service echo
	{
		type = INTERNAL UNLISTED
		id = echo-dgram
		socket_type = dgram
		protocol = udp
		wait = yes
		port = $P1
		flags = IPv4 NOLIBWRAP
	}
	service catsvc
	{
		type = UNLISTED
		socket_type = stream
		protocol = tcp
		wait = no
		port = $P3
		user = $ME
		server = /bin/cat
		instances = 1
		flags = IPv4 NOLIBWRAP
	}
	service cpssvc
	{
		type = UNLISTED
		socket_type = stream
		protocol = tcp
		wait = no
		port = $P4
		user = $ME
		server = /bin/cat
		cps = 2 30
		flags = IPv4 NOLIBWRAP
	}
	service nolog
	{
		type = UNLISTED
		socket_type = stream
		protocol = tcp
		wait = no
		port = $P5
		user = $ME
		server = /bin/true
		log_on_success =
		log_on_failure =
		flags = IPv4 NOLIBWRAP
	}
	EOF
}

# The same client steps, one at a time, each waiting for its log line.
exercise() {
	"$CLIENT" -S -s 'x\n' 127.0.0.1 "$P1" >/dev/null
	wait_for_svclog 'EXIT: echo-stream'
	"$CLIENT" 127.0.0.1 "$P2" >/dev/null
	wait_for_svclog 'START: daytime'
	"$CLIENT" -u -s 'x' 127.0.0.1 "$P1" >/dev/null
	wait_for_svclog 'START: echo-dgram'
	"$CLIENT" -H 1 -t 30 127.0.0.1 "$P3" >"$BATS_TEST_TMPDIR/h" 3>&- &
	local h=$!
	wait_for_log 'connected 1' "$BATS_TEST_TMPDIR/h"
	wait_for_svclog 'START: catsvc'
	"$CLIENT" -t 1 -S -s 'x\n' 127.0.0.1 "$P3" >/dev/null || true
	wait_for_svclog 'FAIL: catsvc'
	kill "$h"
	wait "$h" || true
	wait_for_svclog 'EXIT: catsvc'
	# Three connections inside one second trip "cps = 2"; start at the
	# top of a second, and let each server's EXIT be logged before the
	# next connection, so both daemons' lines come in one order.
	while [ "$(date +%N | cut -c1)" != 0 ]; do
		sleep 0.01
	done
	for i in 1 2; do
		"$CLIENT" -t 1 -S -s 'x\n' 127.0.0.1 "$P4" >/dev/null || true
		wait_for_cmd 5 sh -c \
		    "[ \$(grep -c 'EXIT: cpssvc' '$SVCLOG') -eq $i ]"
	done
	"$CLIENT" -t 1 -S -s 'x\n' 127.0.0.1 "$P4" >/dev/null || true
	wait_for_svclog 'FAIL: cpssvc'
	"$CLIENT" -S 127.0.0.1 "$P5" >/dev/null
	sleep 0.3	# nothing is logged for nolog; let it not be logged
}

# Service log lines with stamps, pids and durations (a second may tick)
# made comparable; the fields and their order stay.
normalize() {
	sed -E -e 's/^[0-9]{2}\/[0-9]{1,2}\/[0-9]{1,2}@[0-9]{2}:[0-9]{2}:[0-9]{2}: //' \
	    -e 's/pid=[1-9][0-9]*/pid=N/g' \
	    -e 's/duration=[0-9]+\(sec\)/duration=D(sec)/' "$1"
}

@test "service log lines are xinetd's, byte for byte" {
	require_xinetd
	P1=$(free_port) P2=$(free_port) P3=$(free_port) P4=$(free_port)
	P5=$(free_port)
	write_conf
	daemon_start xinetd "$XINETD_ROOT/usr/sbin/xinetd" -dontfork \
	    -f "$CONF" -filelog "$BATS_TEST_TMPDIR/xinetd-own.log"
	wait_for_port "$P4" || { cat "$BATS_TEST_TMPDIR/xinetd-own.log"; false; }
	exercise
	daemon_stop xinetd || true
	mv "$SVCLOG" "$BATS_TEST_TMPDIR/xinetd.svc"
	inetd_start
	exercise
	inetd_stop
	normalize "$BATS_TEST_TMPDIR/xinetd.svc" >"$BATS_TEST_TMPDIR/theirs"
	# The one deliberate difference: xinetd forks for a stream echo and
	# logs that child's pid; inetd serves it itself and logs pid=0, as
	# xinetd does for everything it serves without forking.
	normalize "$SVCLOG" |
	    sed -E 's/^(START|EXIT): echo-stream (.*)pid=0/\1: echo-stream \2pid=N/' \
	    >"$BATS_TEST_TMPDIR/ours"
	diff -u "$BATS_TEST_TMPDIR/theirs" "$BATS_TEST_TMPDIR/ours"
	# And the comparison saw what it should have.
	grep -qx 'FAIL: catsvc service_limit from=127.0.0.1' \
	    "$BATS_TEST_TMPDIR/ours"
	grep -qx 'FAIL: cpssvc connections per second from=127.0.0.1' \
	    "$BATS_TEST_TMPDIR/ours"
	grep -qx 'START: daytime pid=0 from=127.0.0.1' "$BATS_TEST_TMPDIR/ours"
	grep -q 'Deactivating service cpssvc due to excessive incoming connections.  Restarting in 30 seconds.' \
	    "$BATS_TEST_TMPDIR/xinetd-own.log"
	grep -q 'Deactivating service cpssvc due to excessive incoming connections.  Restarting in 30 seconds.' \
	    "$INETD_LOG"
}

@test "the FILE log stamp is xinetd's YY/M/D@HH:MM:SS (no zero padding)" {
	P1=$(free_port)
	conf_defaults
	conf_internal daytime "$P1" stream
	inetd_start
	"$CLIENT" 127.0.0.1 "$P1" >/dev/null
	wait_for_svclog 'START: daytime'
	stamp=$(date +%y/%-m/%-d@)
	grep -q "^$stamp[0-9][0-9]:[0-9][0-9]:[0-9][0-9]: START: daytime pid=0 from=127.0.0.1\$" \
	    "$SVCLOG"
}

@test "log_type SYSLOG: inetd[pid]: START ... at the facility and level asked" {
	require_root
	require_cmd unshare socat
	P1=$(free_port)
	cat >"$CONF" <<-EOF
	service daytime
	{
		type = INTERNAL UNLISTED
		socket_type = stream
		protocol = tcp
		wait = no
		port = $P1
		log_type = SYSLOG local4 notice
		log_on_success = PID HOST
		log_on_failure = HOST
	}
	service echo
	{
		type = INTERNAL UNLISTED
		socket_type = stream
		protocol = tcp
		wait = no
		port = $(free_port)
		only_from = 192.0.2.1
		log_type = SYSLOG authpriv
		log_on_failure = HOST
	}
	service time
	{
		type = INTERNAL UNLISTED
		socket_type = stream
		protocol = tcp
		wait = no
		port = $(free_port)
	}
	EOF
	E=$(sed -n 's/.*port = //p' "$CONF" | sed -n 2p)
	T=$(sed -n 's/.*port = //p' "$CONF" | sed -n 3p)
	echo 'time: ALL' >"$BATS_TEST_TMPDIR/hosts.deny"
	D=$BATS_TEST_TMPDIR/dev
	mkdir "$D"
	cat >"$BATS_TEST_TMPDIR/ns.sh" <<-EOF
	set -e
	for n in null zero urandom random tty; do
		touch "$D/\$n"
		mount --bind "/dev/\$n" "$D/\$n"
	done
	mount --bind "$D" /dev
	socat -u UNIX-RECV:/dev/log,mode=666 OPEN:$BATS_TEST_TMPDIR/syslog,creat,append &
	s=\$!
	for i in \$(seq 100); do [ -S /dev/log ] && break; sleep 0.05; done
	"$INETD" -dontfork -W "$BATS_TEST_TMPDIR" -f "$CONF" & i=\$!
	for i2 in \$(seq 100); do ss -Hltn "sport = :$P1" | grep -q . && break; sleep 0.05; done
	"$CLIENT" 127.0.0.1 $P1 >/dev/null
	"$CLIENT" -t 1 127.0.0.1 $E >/dev/null || true
	"$CLIENT" -t 1 127.0.0.1 $T >/dev/null || true
	for i2 in \$(seq 100); do grep -q 'FAIL: time' $BATS_TEST_TMPDIR/syslog && grep -q 'FAIL: echo' $BATS_TEST_TMPDIR/syslog && break; sleep 0.05; done
	kill \$i; wait \$i || true
	kill \$s
	EOF
	# Its own PID namespace: nothing started inside outlives the script.
	timeout 20 unshare -m -p -f --kill-child --mount-proc sh "$BATS_TEST_TMPDIR/ns.sh"
	# local4.notice = 20*8+5 = 165; authpriv.info = 10*8+6 = 86;
	# authpriv.warning = 84 (tcpd's deny severity); daemon.notice = 29.
	grep -Eq '^<84>[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} inetd\[[0-9]+\]: refused connect from 127\.0\.0\.1 \(service time, daemon time\)$' \
	    <(tr '\0' '\n' <"$BATS_TEST_TMPDIR/syslog" | sed 's/</\n</g')
	grep -Eq '^<29>[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} inetd\[[0-9]+\]: FAIL: time libwrap from=127\.0\.0\.1$' \
	    <(tr '\0' '\n' <"$BATS_TEST_TMPDIR/syslog" | sed 's/</\n</g')
	grep -Eq '^<165>[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} inetd\[[0-9]+\]: START: daytime pid=0 from=127\.0\.0\.1$' \
	    <(tr '\0' '\n' <"$BATS_TEST_TMPDIR/syslog" | sed 's/</\n</g')
	grep -Eq '^<86>[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} inetd\[[0-9]+\]: FAIL: echo address from=127\.0\.0\.1$' \
	    <(tr '\0' '\n' <"$BATS_TEST_TMPDIR/syslog" | sed 's/</\n</g')
}
