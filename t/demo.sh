#!/bin/sh
# demo.sh: "make demo".  The suite at work, end to end, on this machine's
# loopback only: inetd serves internal and external services behind
# tcp_wrappers rules, a client is served and another refused, the service
# log and the access check explain why, and lsof looks at the running
# daemon; then sentry, in two network namespaces of its own, sees a probe
# and blocks its source in a hosts.deny of the demo's.  Everything lives in a temporary directory removed at the end;
# nothing is sent off the machine and no file under /etc is read or
# written.
: "${TOP_BUILDDIR:=.}"
set -eu
INETD=$TOP_BUILDDIR/inetd/inetd
LSOF=$TOP_BUILDDIR/lsof/lsof
dir=$(mktemp -d "${TMPDIR:-/tmp}/auditkit-demo.XXXXXX")
pid=
spid=
ns=
cleanup() {
	[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
	[ -z "$spid" ] || kill "$spid" 2>/dev/null || true
	[ -z "$ns" ] || { ip netns del "${ns}a"; ip netns del "${ns}v"; } 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

step() {
	printf '\n--- %s\n' "$*"
}

run() { # show a command, then run it
	printf '$ %s\n' "$*"
	"$@"
}

# A loopback port no socket uses in any state: a client's TIME_WAIT on a
# port keeps a listener from binding it, SO_REUSEADDR or not.
free_port() {
	while :; do
		p=$(awk -v s="$1" 'BEGIN { srand(); print 20000 + (int(rand() * 30000) + s * 7919) % 30000 }')
		if [ -z "$(ss -Htuan "sport = :$p" 2>/dev/null)" ]; then
			echo "$p"
			return
		fi
	done
}

ECHO=$(free_port 1)
DAYTIME=$(free_port 2)
GREET=$(free_port 3)

cat >"$dir/greet" <<'EOF'
#!/bin/sh
# An external server: inetd hands it the connection on stdin/stdout.
echo "hello $TCPREMOTEIP, this is $(id -un) serving port $TCPLOCALPORT"
EOF
chmod 755 "$dir/greet"

printf 'ALL: 127.0.0.2\n' >"$dir/hosts.deny"
: >"$dir/hosts.allow"

cat >"$dir/inetd.conf" <<EOF
# xinetd syntax; every path points into the demo's directory.
defaults
{
	log_type       = FILE $dir/service.log
	log_on_success = PID HOST EXIT DURATION
	log_on_failure = HOST ATTEMPT
	hosts_allow    = $dir/hosts.allow
	hosts_deny     = $dir/hosts.deny
	bind           = 127.0.0.1
}
service echo
{
	type        = INTERNAL UNLISTED
	id          = echo-stream
	socket_type = stream
	protocol    = tcp
	port        = $ECHO
	wait        = no
}
service daytime
{
	type        = INTERNAL UNLISTED
	socket_type = stream
	protocol    = tcp
	port        = $DAYTIME
	wait        = no
}
service greet
{
	type        = UNLISTED
	socket_type = stream
	protocol    = tcp
	port        = $GREET
	wait        = no
	user        = nobody
	server      = $dir/greet
}
EOF
chmod 711 "$dir"

echo "auditkit demo: inetd, its access rules and lsof, on loopback only"
step "the configuration (xinetd syntax) and the rules"
cat "$dir/inetd.conf"
printf '%s/hosts.deny:\n' "$dir"
cat "$dir/hosts.deny"

step "check the configuration without serving (inetd -n)"
run "$INETD" -n -f "$dir/inetd.conf" && echo "configuration OK"

step "start inetd in the foreground, logging to stderr"
"$INETD" -d -f "$dir/inetd.conf" 2>"$dir/inetd.log" &
pid=$!
i=0
until [ -n "$(ss -Htln "sport = :$GREET" 2>/dev/null)" ]; do
	i=$((i + 1))
	[ $i -lt 250 ] || { cat "$dir/inetd.log"; exit 1; }
	sleep 0.02
done
echo "inetd is listening (pid $pid)"

step "lsof: what the daemon holds open (lsof -a -p $pid -i -n -P)"
run "$LSOF" -a -p "$pid" -i -n -P

step "clients on loopback"
printf '$ echo "ping" | nc -N 127.0.0.1 %s   # echo, served in-process\n' "$ECHO"
echo ping | nc -N 127.0.0.1 "$ECHO"
printf '$ nc -d 127.0.0.1 %s   # daytime\n' "$DAYTIME"
nc -d 127.0.0.1 "$DAYTIME"
printf '$ nc -d 127.0.0.1 %s   # an external server, run as nobody\n' "$GREET"
nc -d 127.0.0.1 "$GREET"
printf '$ nc -d -s 127.0.0.2 127.0.0.1 %s   # refused by hosts.deny\n' "$GREET"
nc -d -s 127.0.0.2 127.0.0.1 "$GREET" || true
echo "(no answer: the connection was closed)"

step "the service log, in xinetd's format"
i=0
until grep -q 'FAIL: greet libwrap' "$dir/service.log" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 250 ] || break
	sleep 0.02
done
cat "$dir/service.log"

step "why: the access check, as tcpdmatch does it (inetd -A)"
run "$INETD" -W "$dir" -A greet 127.0.0.2 || true
run "$INETD" -W "$dir" -A greet 127.0.0.1 || true

step "stop inetd (SIGTERM)"
kill "$pid"
wait "$pid" || true
pid=
echo "stopped; the daemon said:"
cat "$dir/inetd.log"

# sentry needs a victim to watch: two network namespaces joined by a veth
# pair, with documentation addresses and no route out.
SENTRY=$TOP_BUILDDIR/sentry/sentry
step "sentry: a scan detector, in two throw-away network namespaces"
if [ "$(id -u)" -ne 0 ] || ! ip netns add "akdemo$$a" 2>/dev/null; then
	echo "(skipped: network namespaces need root)"
else
	ns=akdemo$$
	ip netns add "${ns}v"
	ip link add "${ns}0" netns "${ns}a" type veth peer name "${ns}1" \
	    netns "${ns}v"
	ip -n "${ns}a" link set "${ns}0" up
	ip -n "${ns}v" link set "${ns}1" up
	ip -n "${ns}a" addr add 203.0.113.1/24 dev "${ns}0"
	ip -n "${ns}v" addr add 203.0.113.2/24 dev "${ns}1"
	cat >"$dir/sentry.conf" <<EOF
TCP_PORTS="143,1524"
UDP_PORTS="161"
IGNORE_FILE="$dir/sentry.ignore"
HISTORY_FILE="$dir/sentry.history"
BLOCKED_FILE="$dir/sentry.blocked"
HOSTS_DENY_FILE="$dir/sentry.deny"
BLOCK_TCP="1"
BLOCK_UDP="1"
KILL_HOSTS_DENY="ALL: \$TARGET\$ : DENY"
EOF
	: >"$dir/sentry.ignore"
	run "$SENTRY" -n -c "$dir/sentry.conf" -tcp -udp
	mode=-tcp
	grep -q "define HAVE_LIBPCAP 1" "$TOP_BUILDDIR/config.h" 2>/dev/null &&
	    mode=-stcp
	printf '$ sentry -D -c %s %s -udp   # in the victim\n' \
	    "$dir/sentry.conf" "$mode"
	ip netns exec "${ns}v" "$SENTRY" -D -c "$dir/sentry.conf" "$mode" \
	    -udp >"$dir/sentry.events" 2>"$dir/sentry.log" &
	spid=$!
	i=0
	until grep -q "now active" "$dir/sentry.log" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 250 ] || { cat "$dir/sentry.log"; exit 1; }
		sleep 0.02
	done
	echo '$ nc -z 203.0.113.2 143   # from the attacker'
	ip netns exec "${ns}a" nc -z -w 1 203.0.113.2 143 || true
	i=0
	until grep -q "blocked via wrappers" "$dir/sentry.events"; do
		i=$((i + 1))
		[ $i -lt 250 ] || break
		sleep 0.02
	done
	echo "the events sentry printed (its syslog lines, in portsentry's words):"
	cat "$dir/sentry.events"
	printf '%s:\n' "$dir/sentry.deny"
	cat "$dir/sentry.deny"
	run "$SENTRY" -c "$dir/sentry.conf" -l
	run "$SENTRY" -c "$dir/sentry.conf" -u 203.0.113.1 2>&1
	kill "$spid"
	wait "$spid" || true
	spid=
fi
echo
echo "demo done: pscan answers only its version so far:"
"$TOP_BUILDDIR/pscan/pscan" -V
