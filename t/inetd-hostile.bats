#!/usr/bin/env bats
# inetd against hostile clients and careless configurations: nothing a
# client controls may stall the poll loop, hold descriptors beyond the
# limits, start processes without bound or run anything with more
# privilege than asked; odd configurations are corrected or named.
#
# Tests that need an ident server run it on port 113 of a private network
# (and PID and mount) namespace of their own, with inetd beside it:
# nothing there reaches or outlives anything outside.

load test_helper
load data/inetd/helper

setup() {
	inetd_setup
	T=$BATS_TEST_TMPDIR
	NOBODY=$(id -u nobody 2>/dev/null || echo 65534)
}

# ns_script MODE [inetd options]: start a private namespace script in
# $T/ns.sh: loopback up, the test identd (MODE, see t/data/inetd/identd.py)
# listening, inetd -d started on $CONF as $I.  The caller appends the rest.
ns_script() {
	local mode=$1
	shift
	cat >"$T/ns.sh" <<-EOF
	ip link set lo up
	python3 "$DATA/inetd/identd.py" "$mode" "$T/identd.ready" &
	for i in \$(seq 200); do [ -e "$T/identd.ready" ] && break; sleep 0.05; done
	EOF
	ns_inetd "$@"
}

# ns_inetd [inetd options]: append to $T/ns.sh: inetd -d started on $CONF
# as $I, waited for until it serves.
ns_inetd() {
	cat >>"$T/ns.sh" <<-EOF
	"$INETD" -d $* -f "$CONF" 2>"$INETD_LOG" &
	I=\$!
	for i in \$(seq 200); do grep -q ' started: ' "$INETD_LOG" && break; sleep 0.05; done
	EOF
}

# ns_run: run $T/ns.sh in its namespaces; everything it started dies with it.
ns_run() {
	timeout 60 unshare -n -p -f -m --kill-child --mount-proc \
	    sh "$T/ns.sh" 3>&-
}

ns_require() {
	require_root
	require_cmd unshare python3 ip
}

# flood PORT N [ADDR]: N connections, each closed at once.
flood() {
	python3 - "$@" <<-'EOF'
	import socket, sys
	port, n = int(sys.argv[1]), int(sys.argv[2])
	src = sys.argv[3] if len(sys.argv) > 3 else "127.0.0.1"
	for i in range(n):
	    s = socket.socket()
	    s.bind((src, 0))
	    try:
	        s.connect(("127.0.0.1", port))
	    except OSError:
	        pass
	    s.close()
	EOF
}

# --- denial of service ----------------------------------------------------

@test "tcpmux: clients that never end their line count as instances and per_source" {
	require_cmd python3
	conf_internal tcpmux "$P" stream "instances = 5" "per_source = 2"
	inetd_start
	python3 - "$P" >"$T/held" 3>&- <<-'EOF' &
	import socket, sys, time
	held = []
	for i in range(20):
	    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
	    s.sendall(b"hel")
	    held.append(s)
	print("held", flush=True)
	time.sleep(30)
	EOF
	echo $! >>"$T/.daemons"
	wait_for_log held "$T/held"
	wait_for_cmd 10 sh -c "[ \$(grep -c 'FAIL: tcpmux per_source_limit from=127.0.0.1\$' '$SVCLOG') -eq 18 ]"
	# Only two of the twenty are left open by the daemon.
	run sh -c "ss -Htn state established '( sport = :$P )' | wc -l"
	[ "$output" -eq 2 ]
	# The instances limit counts them too: three more sources, five in all.
	"$CLIENT" -H 2 -t 30 -b 127.0.0.2 127.0.0.1 "$P" >"$T/h2" 3>&- &
	echo $! >>"$T/.daemons"
	wait_for_log "connected 2" "$T/h2"
	"$CLIENT" -H 2 -t 30 -b 127.0.0.3 127.0.0.1 "$P" >"$T/h3" 3>&- &
	echo $! >>"$T/.daemons"
	wait_for_log "connected 2" "$T/h3"
	wait_for_svclog 'FAIL: tcpmux service_limit from=127.0.0.3$'
}

@test "an internal stream service with wait = yes is served nowait, with a file:line warning (both syntaxes)" {
	conf_service echo "$P" "type = INTERNAL UNLISTED" \
	    "socket_type = stream" "protocol = tcp" "wait = yes"
	run --separate-stderr "$INETD" -n -f "$CONF"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"$CONF:"*": service echo: internal stream service echo is always nowait; \"wait\" ignored"* ]]
	inetd_start
	for i in 1 2 3; do
		run "$CLIENT" -t 3 -S -s "hello $i\n" 127.0.0.1 "$P"
		[ "$output" = "hello $i" ]
	done
	inetd_stop
	printf 'echo stream tcp wait root internal\necho dgram udp nowait root internal\n' \
	    >"$T/inetd.conf"
	run --separate-stderr "$INETD" -n -S inetd -f "$T/inetd.conf"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"$T/inetd.conf:1: service "*"always nowait"* ]]
	[[ "$stderr" == *"$T/inetd.conf:2: service "*"always wait"* ]]
}

@test "an internal stream service with wait = yes: the daemon never blocks in accept, SIGTERM ends it" {
	conf_service echo "$P" "type = INTERNAL UNLISTED" \
	    "socket_type = stream" "protocol = tcp" "wait = yes"
	inetd_start
	"$CLIENT" -H 1 -t 30 127.0.0.1 "$P" >"$T/h1" 3>&- &
	echo $! >>"$T/.daemons"
	wait_for_log "connected 1" "$T/h1"
	run "$CLIENT" -t 3 -S -s 'second\n' 127.0.0.1 "$P"
	[ "$output" = second ]
	inetd_stop
}

@test "log_on_failure USERID: at most -logprocs (15) ident lookups at once" {
	ns_require
	cat_service deny "$P" "only_from = 192.0.2.1" "cps = 0 0" \
	    "log_on_failure += USERID"
	ns_script silent
	cat >>"$T/ns.sh" <<-EOF
	python3 - $P <<'PY'
	import socket, sys
	for i in range(200):
	    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
	    s.close()
	PY
	sleep 0.5
	pgrep -P \$I | wc -l >"$T/children"
	echo ident \$(ss -Htn state established '( dport = :113 )' | wc -l) >>"$T/children"
	kill \$I
	EOF
	ns_run
	cat "$T/children"
	[ "$(head -1 "$T/children")" -le 15 ]
	[ "$(grep -c 'FAIL: deny address' "$SVCLOG")" -eq 200 ]
}

@test "per_source refusals are held to cps: past it they start no ident lookup" {
	ns_require
	cat_service ps "$P" "per_source = 1" "cps = 5 30" \
	    "log_on_failure += USERID"
	ns_script silent -logprocs 1000
	cat >>"$T/ns.sh" <<-EOF
	"$CLIENT" -H 1 -t 30 127.0.0.1 $P >"$T/h1" &
	for i in \$(seq 200); do grep -q 'connected 1' "$T/h1" && break; sleep 0.05; done
	python3 - $P "$T/seconds" <<'PY'
	import math, socket, sys, time
	t0 = time.monotonic()
	for i in range(60):
	    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
	    s.close()
	open(sys.argv[2], "w").write("%d\\n" % math.ceil(time.monotonic() - t0))
	PY
	sleep 0.5
	pgrep -P \$I | wc -l >"$T/children"
	kill \$I
	EOF
	ns_run
	cat "$T/children" "$T/seconds"
	# The cat server, and the lookups of five refusals a second (the
	# burst takes longer on a loaded machine): not one for each of 60.
	[ "$(cat "$T/children")" -le $((1 + 5 * ($(cat "$T/seconds") + 1))) ]
	[ "$(grep -c 'FAIL: ps per_source_limit' "$SVCLOG")" -eq 60 ]
	! grep -q 'Deactivating service ps' "$INETD_LOG" || false
}

@test "user@host rules of internal services: ident never stalls the loop" {
	ns_require
	D=$(free_port)
	conf_internal echo "$P" stream
	conf_internal daytime "$D" stream
	printf 'echo : alice@ALL\ndaytime : ALL\n' >"$T/hosts.allow"
	printf 'ALL : ALL\n' >"$T/hosts.deny"
	ns_script alice:3
	cat >>"$T/ns.sh" <<-EOF
	for i in 1 2 3; do
	    "$CLIENT" -t 20 -s "ping \$i\n" -n 7 127.0.0.1 $P >"$T/echo.\$i" &
	done
	sleep 0.3
	s=\$(date +%s%N)
	"$CLIENT" -t 2 127.0.0.1 $D >"$T/daytime"
	echo \$(( (\$(date +%s%N) - s) / 1000000 )) >"$T/daytime.ms"
	for i in \$(seq 200); do [ -s "$T/echo.3" ] && [ -s "$T/echo.2" ] && [ -s "$T/echo.1" ] && break; sleep 0.05; done
	kill \$I
	EOF
	ns_run
	cat "$INETD_LOG"
	cat "$T/daytime.ms"
	[ -s "$T/daytime" ]
	[ "$(cat "$T/daytime.ms")" -lt 1500 ]
	# The held clients were decided on their identd's answer.
	for i in 1 2 3; do
		[ "$(cat "$T/echo.$i")" = "ping $i" ]
	done
	grep -q 'connect from alice@127.0.0.1' "$INETD_LOG"
}

# --- privileges -----------------------------------------------------------

@test "hosts.allow user: spawn and twist after it run as that user" {
	require_root
	id nobody >/dev/null 2>&1 || skip "needs a nobody user"
	mkdir -m 1777 "$T/w"
	# nobody must reach it: let it through the test's own directories.
	d=$T
	while [ "$d" != / ] && [ "$d" != "${TMPDIR:-/tmp}" ]; do
		chmod o+x "$d"
		d=$(dirname "$d")
	done
	E=$(free_port)
	D=$(free_port)
	cat_service ext "$P"
	conf_internal echo "$E" stream
	conf_internal daytime "$D" stream
	cat >"$T/hosts.allow" <<-EOF
	cat : ALL : user nobody : spawn (id -u >$T/w/ext.uid)
	echo : ALL : user nobody : twist id -u
	daytime : ALL : user nobody : spawn (id -u >$T/w/day.uid)
	EOF
	inetd_start
	run "$CLIENT" -t 3 -S -s 'x\n' 127.0.0.1 "$P"
	run "$CLIENT" -t 3 127.0.0.1 "$E"
	[ "$output" = "$NOBODY" ]
	run "$CLIENT" -t 3 127.0.0.1 "$D"
	wait_for_file "$T/w/ext.uid"
	wait_for_file "$T/w/day.uid"
	[ "$(cat "$T/w/ext.uid")" = "$NOBODY" ]
	[ "$(cat "$T/w/day.uid")" = "$NOBODY" ]
}

@test "redirect: the relay runs as the service's user, with its groups" {
	require_root
	id nobody >/dev/null 2>&1 || skip "needs a nobody user"
	E=$(free_port)
	conf_internal echo "$E" stream "bind = 127.0.0.1"
	conf_service fwd "$P" "type = UNLISTED" "socket_type = stream" \
	    "protocol = tcp" "wait = no" "redirect = 127.0.0.1 $E" \
	    "user = nobody"
	inetd_start
	"$CLIENT" -H 1 -t 30 127.0.0.1 "$P" >"$T/h1" 3>&- &
	echo $! >>"$T/.daemons"
	wait_for_log "connected 1" "$T/h1"
	wait_for_cmd 5 pgrep -P "$(inetd_pid)"
	relay=$(pgrep -P "$(inetd_pid)")
	run awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$relay/status"
	[ "$output" = "$NOBODY $NOBODY $NOBODY $NOBODY" ]
	run awk '/^Groups:/ { $1 = ""; print }' "/proc/$relay/status"
	[[ " $output " != *" 0 "* ]]
}

# --- logs and configuration -------------------------------------------------

@test "an identd's answer reaches syslog escaped" {
	ns_require
	cat_service esc "$P"
	printf 'cat : ALL@ALL\n' >"$T/hosts.allow"
	ns_script 'mallory\033[2J\001:0'
	# A /dev/log of the namespace's own, with a reader behind it.
	cat >"$T/ns0.sh" <<-EOF
	mkdir "$T/olddev"
	mount --bind /dev "$T/olddev"
	mount -t tmpfs tmpfs /dev
	for n in null zero urandom random; do
	    touch /dev/\$n
	    mount --bind "$T/olddev/\$n" /dev/\$n
	done
	python3 -c '
	import socket, sys
	s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
	s.bind("/dev/log")
	open(sys.argv[2], "w").close()
	out = open(sys.argv[1], "ab", buffering=0)
	while True:
	    out.write(s.recv(8192) + b"\n")
	' "$T/syslog" "$T/syslog.ready" &
	for i in \$(seq 200); do [ -e "$T/syslog.ready" ] && break; sleep 0.05; done
	EOF
	cat "$T/ns.sh" >>"$T/ns0.sh"
	cat >>"$T/ns0.sh" <<-EOF
	"$CLIENT" -t 5 -S -s 'x\n' 127.0.0.1 $P >"$T/out"
	for i in \$(seq 100); do grep -q 'connect from' "$T/syslog" 2>/dev/null && break; sleep 0.05; done
	kill \$I
	EOF
	mv "$T/ns0.sh" "$T/ns.sh"
	ns_run
	[ "$(cat "$T/out")" = x ]
	grep -a 'connect from' "$T/syslog"
	grep -aq 'connect from mallory\\x1b\[2J\\x01@127.0.0.1' "$T/syslog"
	! grep -aq $'\033' "$T/syslog" || false
}

@test "includedir names the entries it cannot read instead of skipping them" {
	mkdir "$T/conf.d"
	ln -s "$T/nowhere" "$T/conf.d/dangling"
	mkfifo "$T/conf.d/fifo"
	conf_internal echo "$P" stream
	printf 'includedir %s\n' "$T/conf.d" >>"$CONF"
	run --separate-stderr "$INETD" -n -f "$CONF"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"includedir: unable to stat $T/conf.d/dangling: No such file or directory"* ]]
	[[ "$stderr" == *"includedir: $T/conf.d/fifo is not a regular file"* ]]
	[[ "$output" == *"2 warnings"* ]]
}

@test "a second defaults entry is refused and its memory freed" {
	cat >>"$CONF" <<-EOF
	defaults
	{
		instances = 7
		only_from = 127.0.0.1 192.0.2.0/24
		env = A=1 B=2
		log_type = FILE $T/other.log
	}
	EOF
	conf_internal echo "$P" stream
	run --separate-stderr "$INETD" -n -f "$CONF"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"only one defaults entry is allowed"* ]]
	# Under --enable-sanitizers LeakSanitizer reports what was lost.
	[[ "$stderr" != *"LeakSanitizer"* ]]
	if command -v valgrind >/dev/null; then
		run valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
		    --error-exitcode=9 "$INETD" -n -f "$CONF"
		[ "$status" -eq 1 ]
	fi
}

@test "-A: a hosts.allow without its last newline is given up, as libwrap does, and inetd.8 says so" {
	printf 'sshd : 192.0.2.9\nsshd : 192.0.2.1' >"$T/hosts.allow"
	run --separate-stderr "$INETD" -W "$T" -A sshd 192.0.2.1
	[ "$status" -eq 2 ]
	[[ "$output" == *"access:   granted"* || "$output" == *"access: granted"* ]]
	[[ "$stderr" == *"$T/hosts.allow:2: line too long or without newline"* ]]
	printf 'ALL : ALL' >"$T/hosts.deny"
	run --separate-stderr "$INETD" -W "$T" -A sshd 192.0.2.1
	[ "$status" -eq 2 ]
	[[ "$output" == *denied* ]]
	# The page tells both cases apart, as the program does.
	# Overstrikes removed by sed: col(1) is not on a bare Debian.
	run sh -c "mandoc -Tascii '$TOP_SRCDIR/man/inetd.8' |
	    sed 's/.\x08//g' | tr -s ' \n' '  '"
	[[ "$output" == *"reach despite the error"* ]]
	[[ "$output" == *"so a client no rule there matches is granted"* ]]
}

# --- probable ones, confirmed -------------------------------------------------

@test "internal UDP services on high ports do not answer each other" {
	ns_require
	C=$(free_port udp)
	conf_internal echo "$P" dgram
	conf_internal chargen "$C" dgram
	ns_script silent
	cat >>"$T/ns.sh" <<-EOF
	# One forged datagram from chargen's port to echo's.
	python3 - $C $P <<'PY'
	import socket, struct, sys
	sport, dport = int(sys.argv[1]), int(sys.argv[2])
	s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
	s.sendto(struct.pack("!HHHH", sport, dport, 9, 0) + b"x",
	         ("127.0.0.1", 0))
	PY
	sleep 1
	kill \$I
	EOF
	ns_run
	! grep -q 'START: echo' "$SVCLOG" || false
	! grep -q 'START: chargen' "$SVCLOG" || false
	grep -q "service echo: datagram from 127.0.0.1 port $C (< 1024, an internal service's, or not unicast) ignored" "$INETD_LOG"
}

@test "SENSOR: the deny list stays bounded under a flood of sources" {
	require_cmd python3
	conf_service trap "$P" "type = INTERNAL UNLISTED" "flags = SENSOR" \
	    "socket_type = dgram" "protocol = udp" "wait = yes" \
	    "deny_time = 60" "cps = 0 0"
	inetd_start -D "$T/dump"
	python3 - "$P" <<-'EOF'
	import socket, sys, time
	port = int(sys.argv[1])
	for i in range(4400):
	    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	    s.bind(("127.1.%d.%d" % (i // 250, i % 250 + 1), 0))
	    s.sendto(b"x", ("127.0.0.1", port))
	    s.close()
	    if i % 50 == 49:
	        time.sleep(0.01)
	EOF
	wait_for_cmd 10 sh -c "[ \$(grep -c 'sensor hit' '$INETD_LOG') -ge 4300 ]" || { grep -c "sensor hit" "$INETD_LOG"; tail -3 "$INETD_LOG"; false; }
	inetd_kill USR1
	wait_for_log 'sensor denied addresses' "$T/dump"
	run grep 'sensor denied addresses' "$T/dump"
	[ "$output" = "sensor denied addresses = 4096" ]
}

# --- shutdown -----------------------------------------------------------------

@test "SIGTERM: a server that ignores it is killed when the grace period ends" {
	printf '#!/bin/sh\ntrap "" TERM\nexec sleep 30\n' >"$T/stubborn"
	chmod +x "$T/stubborn"
	conf_service stubborn "$P" "type = UNLISTED" "socket_type = stream" \
	    "protocol = tcp" "wait = no" "user = $ME" "server = $T/stubborn"
	inetd_start
	"$CLIENT" -H 1 -t 30 127.0.0.1 "$P" >"$T/h1" 3>&- &
	echo $! >>"$T/.daemons"
	wait_for_svclog 'START: stubborn'
	pid=$(inetd_pid)
	start=$SECONDS
	kill -TERM "$pid"
	wait_for_cmd 12 sh -c "! kill -0 $pid"
	[ $((SECONDS - start)) -ge 4 ]
	grep -q 'sent SIGTERM to 1 server' "$INETD_LOG"
	grep -q 'killing 1 server that did not stop' "$INETD_LOG"
	wait_for_svclog 'EXIT: stubborn signal=9'
}

# --- names ----------------------------------------------------------------

# dns_script: start $T/ns.sh like ns_script, but with a resolver of the
# test's own in its mount namespace: /etc/hosts knows only localhost, and
# the DNS server on 127.0.0.1 never answers for 127.0.0.2 (the resolver
# waits out its 2 s timeout), names 127.0.0.3 good.example.org (which
# maps back), and knows nothing else.  $RESOLVER_TIMEOUT changes the 2 s.
# Arguments are inetd's.
dns_script() {
	printf 'nameserver 127.0.0.1\noptions timeout:%s attempts:1\n' \
	    "${RESOLVER_TIMEOUT:-2}" >"$T/resolv.conf"
	printf 'hosts: files dns\n' >"$T/nsswitch.conf"
	printf '127.0.0.1 localhost\n' >"$T/hosts"
	cat >"$T/ns.sh" <<-EOF
	ip link set lo up
	mount --bind "$T/resolv.conf" /etc/resolv.conf
	mount --bind "$T/nsswitch.conf" /etc/nsswitch.conf
	mount --bind "$T/hosts" /etc/hosts
	python3 "$DATA/inetd/dnsd.py" "$T/dns.ready" \
	    2.0.0.127.in-addr.arpa/PTR=hang \
	    3.0.0.127.in-addr.arpa/PTR=good.example.org \
	    good.example.org/A=127.0.0.3 &
	for i in \$(seq 200); do [ -e "$T/dns.ready" ] && break; sleep 0.05; done
	EOF
	ns_inetd "$@"
}

# dns_clients: three clients of echo on $P from 127.0.0.2, whose names
# never come; daytime on $D timed meanwhile; then one from 127.0.0.3.
dns_clients() {
	cat >>"$T/ns.sh" <<-EOF
	h=
	for i in 1 2 3; do
	    "$CLIENT" -t 20 -b 127.0.0.2 -s "hung \$i\n" 127.0.0.1 $P >"$T/hung.\$i" 2>&1 &
	    h="\$h \$!"
	done
	sleep 0.3
	s=\$(date +%s%N)
	"$CLIENT" -t 5 127.0.0.1 $D >"$T/daytime"
	echo \$(( (\$(date +%s%N) - s) / 1000000 )) >"$T/daytime.ms"
	"$CLIENT" -t 10 -b 127.0.0.3 -s "good\n" -n 5 127.0.0.1 $P >"$T/good"
	wait \$h
	kill \$I
	EOF
	ns_run
	cat "$INETD_LOG"
	cat "$T/dns.ready.log"
	cat "$T/daytime.ms"
	[ -s "$T/daytime" ]
	[ "$(cat "$T/daytime.ms")" -lt 1000 ]
	[ "$(cat "$T/good")" = good ]
	# The hung clients were refused, not served.
	for i in 1 2 3; do
		[ ! -s "$T/hung.$i" ]
	done
	grep -q '^2.0.0.127.in-addr.arpa/12 hang' "$T/dns.ready.log"
}

@test "only_from names: a client's hung reverse lookup never stalls the loop" {
	ns_require
	D=$(free_port)
	conf_internal echo "$P" stream "only_from = .example.org"
	conf_internal daytime "$D" stream
	dns_script
	dns_clients
	[ "$(grep -c 'FAIL: echo address from=127.0.0.2' "$SVCLOG")" -eq 3 ]
}

@test "host name rules of internal services: a hung reverse lookup never stalls the loop" {
	ns_require
	D=$(free_port)
	conf_internal echo "$P" stream
	conf_internal daytime "$D" stream
	printf 'echo : .example.org\ndaytime : ALL\n' >"$T/hosts.allow"
	printf 'ALL : ALL\n' >"$T/hosts.deny"
	dns_script
	dns_clients
	# Decided as libwrap decides a name it cannot find: "unknown".
	[ "$(grep -c 'refused connect from 127.0.0.2' "$INETD_LOG")" -eq 3 ]
	grep -q 'connect from good.example.org' "$INETD_LOG"
}

@test "name lookups: as nobody, at most 64 at once, killed at their 10 s deadline" {
	ns_require
	D=$(free_port)
	RESOLVER_TIMEOUT=30
	conf_internal echo "$P" stream "only_from = .example.org" "cps = 500 1"
	conf_internal daytime "$D" stream
	dns_script -D "$T/dump"
	cat >>"$T/ns.sh" <<-EOF
	for i in \$(seq 64); do
	    "$CLIENT" -t 20 -b 127.0.0.2 127.0.0.1 $P >/dev/null 2>&1 &
	done
	for i in \$(seq 200); do [ \$(ps -o pid= --ppid \$I | wc -l) -ge 64 ] && break; sleep 0.05; done
	ps -o uid= --ppid \$I | sort -u >"$T/uids"
	kill -USR1 \$I
	for i in \$(seq 100); do [ -s "$T/dump" ] && break; sleep 0.05; done
	"$CLIENT" -t 5 -b 127.0.0.3 127.0.0.1 $P >"$T/65th"
	s=\$(date +%s%N)
	"$CLIENT" -t 5 127.0.0.1 $D >"$T/daytime"
	echo \$(( (\$(date +%s%N) - s) / 1000000 )) >"$T/daytime.ms"
	for i in \$(seq 300); do [ \$(grep -c 'did not end in time' "$INETD_LOG") -ge 64 ] && break; sleep 0.05; done
	sleep 0.2
	ps -o pid= --ppid \$I | wc -l >"$T/left"
	kill \$I
	EOF
	ns_run
	grep -v 'did not end' "$INETD_LOG"
	cat "$T/uids" "$T/daytime.ms" "$T/left"
	[ "$(cat "$T/uids")" -eq "$NOBODY" ]
	grep -qx 'name lookups = 64' "$T/dump"
	[ "$(grep -c 'name lookup\s*since' "$T/dump")" -eq 64 ]
	grep -q 'service echo: 64 host name lookups running already: refusing 127.0.0.3' "$INETD_LOG"
	[ ! -s "$T/65th" ]
	[ -s "$T/daytime" ]
	[ "$(cat "$T/daytime.ms")" -lt 1000 ]
	[ "$(grep -c 'service echo: the name lookup for 127.0.0.2 did not end in time: no name' "$INETD_LOG")" -eq 64 ]
	[ "$(grep -c 'FAIL: echo address from=127.0.0.2' "$SVCLOG")" -eq 64 ]
	[ "$(cat "$T/left")" -eq 0 ]
}

@test "only_from names of datagram services: looked up off the loop, then answered" {
	ns_require
	D=$(free_port)
	E=$(free_port)
	conf_internal echo "$P" dgram "only_from = .example.org"
	conf_service udprep "$E" "type = UNLISTED" "socket_type = dgram" \
	    "protocol = udp" "wait = yes" "user = $ME" "server = $REPORT" \
	    "server_args = dgram" "only_from = .example.org"
	conf_internal daytime "$D" stream
	# One lookup, with the double check, serves both checks.
	printf 'echo : .example.org\n' >"$T/hosts.allow"
	printf 'echo : ALL\n' >"$T/hosts.deny"
	dns_script
	cat >>"$T/ns.sh" <<-EOF
	"$CLIENT" -u -t 4 -b 127.0.0.2 -s hung 127.0.0.1 $P >"$T/hung" 2>&1 &
	h=\$!
	sleep 0.3
	s=\$(date +%s%N)
	"$CLIENT" -t 5 127.0.0.1 $D >"$T/daytime"
	echo \$(( (\$(date +%s%N) - s) / 1000000 )) >"$T/daytime.ms"
	"$CLIENT" -u -t 5 -b 127.0.0.3 -s good 127.0.0.1 $P >"$T/good"
	"$CLIENT" -u -t 5 -b 127.0.0.3 -s x 127.0.0.1 $E >"$T/ext.good"
	# Its server reads every datagram until it exits: wait for that.
	for i in \$(seq 100); do grep -q 'EXIT: udprep' "$SVCLOG" && break; sleep 0.05; done
	"$CLIENT" -u -t 4 -b 127.0.0.2 -s x 127.0.0.1 $E >"$T/ext.hung" 2>&1
	wait \$h
	kill \$I
	EOF
	ns_run
	cat "$INETD_LOG" "$SVCLOG" "$T/daytime.ms"
	[ -s "$T/daytime" ]
	[ "$(cat "$T/daytime.ms")" -lt 1000 ]
	[ "$(cat "$T/good")" = good ]
	[[ "$(cat "$T/ext.good")" == "pid "* ]]
	[ ! -s "$T/hung" ]
	[ ! -s "$T/ext.hung" ]
	grep -q 'FAIL: echo address from=127.0.0.2' "$SVCLOG"
	grep -q 'FAIL: udprep address from=127.0.0.2' "$SVCLOG"
	grep -q 'connect from good.example.org (service echo' "$INETD_LOG"
	[ "$(grep -c '^3.0.0.127.in-addr.arpa/12' "$T/dns.ready.log")" -eq 2 ]
}

@test "aclexec runs once for a connection whose check waited for ident" {
	ns_require
	conf_internal echo "$P" stream
	printf 'echo : ALL : aclexec echo run >>%s/acl : rfc931\n' "$T" \
	    >"$T/hosts.allow"
	printf 'ALL : ALL\n' >"$T/hosts.deny"
	ns_script alice:0
	cat >>"$T/ns.sh" <<-EOF
	"$CLIENT" -t 10 -s 'x\n' -n 2 127.0.0.1 $P >"$T/out"
	kill \$I
	EOF
	ns_run
	cat "$INETD_LOG"
	[ "$(cat "$T/out")" = x ]
	grep -q 'connect from alice@127.0.0.1' "$INETD_LOG"
	[ "$(cat "$T/acl")" = run ]
}

@test "rfc931's timeout bounds the ident query of an internal service" {
	ns_require
	conf_internal echo "$P" stream
	printf 'echo : ALL : rfc931 1\n' >"$T/hosts.allow"
	ns_script alice:3
	cat >>"$T/ns.sh" <<-EOF
	s=\$(date +%s%N)
	"$CLIENT" -t 10 -s 'x\n' -n 2 127.0.0.1 $P >"$T/out"
	echo \$(( (\$(date +%s%N) - s) / 1000000 )) >"$T/ms"
	kill \$I
	EOF
	ns_run
	cat "$INETD_LOG" "$T/ms"
	[ "$(cat "$T/out")" = x ]
	# Given up after 1 s, not libwrap's 10 nor the identd's 3.
	[ "$(cat "$T/ms")" -ge 900 ] && [ "$(cat "$T/ms")" -lt 2500 ]
	grep -q 'connect from 127.0.0.1 (service echo' "$INETD_LOG"
}
