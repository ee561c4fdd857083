#!/bin/sh
# demo.sh: "make demo", the story the suite exists for, in eight steps:
# a scanner probes a server, sentry sees it and writes the scanner into
# hosts.deny, inetd's tcp_wrappers check then refuses that host while the
# friend is still served, and lsof shows who holds which socket.
#
# As root the server, the attacker and the friend are three throw-away
# network namespaces with documentation addresses and no route out;
# otherwise everything runs on loopback, with sentry's classic modes, and
# the demo says what that leaves out.  Every file lives in a temporary
# directory; nothing under /etc is read for rules or written.  Each step
# checks its outcome; the demo exits 1 if any was not the expected one,
# naming the step, and always tears everything down.
#
# What the demo says is in t/demo/narration.sh, in English and Korean
# (LANG=ko_KR.UTF-8 make demo); this file holds only what it does.
: "${TOP_SRCDIR:=.}" "${TOP_BUILDDIR:=.}"
set -u
. "$TOP_SRCDIR/t/demo/narration.sh"
DEMO_LANG=$(demo_lang)

# The suite's programs come first in PATH, so the commands shown are the
# commands run.
PATH=$TOP_BUILDDIR/inetd:$TOP_BUILDDIR/sentry:$TOP_BUILDDIR/pscan:$TOP_BUILDDIR/lsof:$PATH
export PATH

dir=$(mktemp -d "${TMPDIR:-/tmp}/auditkit-demo.XXXXXX") || exit 1
chmod 711 "$dir"	# the external server runs as nobody
tag=akdemo$$		# namespace names
variant=lo		# or ns, once the namespaces exist
namespaces=
daemons=
failures=
finished=

# --- how the demo talks ------------------------------------------------------

heading() { # step
	printf '\n=== [%s/8] %s ===\n' "$1" "$(say "title$1")"
}

explain() { # key [arg...]
	say "$@" | sed 's/^/  /'
	echo
}

# outcome STATUS STEP KEY [ARG...]: the check's verdict, remembered.
outcome() {
	status=$1 step=$2
	shift 2
	if [ "$status" -eq 0 ]; then
		say ok "$(say "$@")"
	else
		say bad "$(say "$@")"
		failures="$failures$step	$(say "$@")
"
	fi
}

# --- hosts ---------------------------------------------------------------------
# on ROLE cmd...: run a command on a host (a namespace as root, this
# machine otherwise); show ROLE cmd... prints it with its prompt first.

on() {
	role=$1
	shift
	case $variant:$role in
	ns:server) ip netns exec "${tag}s" "$@" ;;
	ns:attacker) ip netns exec "${tag}a" "$@" ;;
	ns:friend) ip netns exec "${tag}f" "$@" ;;
	*) "$@" ;;
	esac
}

prompt() { # role text [comment-key]
	printf '%s$ %s' "$(say "$1")" "$2"
	[ $# -lt 3 ] || printf '   # %s' "$(say "$3")"
	echo
}

# start ROLE cmd...: a daemon in the background, its pid remembered.
start() {
	role=$1
	shift
	case $variant:$role in
	ns:server) ip netns exec "${tag}s" "$@" & ;;
	*) "$@" & ;;
	esac
	started=$!
	daemons="$daemons $started"
}

show() { # role cmd...
	role=$1
	shift
	prompt "$role" "$*"
	on "$role" "$@"
}

# keep FILE role cmd...: show, and keep the output in FILE to check it.
keep() {
	out=$1
	shift
	prompt "$1" "$(shift; echo "$*")"
	on "$@" >"$out"
	cat "$out"
}

# wait_until SECONDS cmd...: poll instead of sleeping a fixed time.
wait_until() {
	n=$(($1 * 50))
	shift
	while ! "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 0.02
	done
}

listening() { # role proto port...
	role=$1 proto=$2
	shift 2
	for p in "$@"; do
		on "$role" ss -Hln"$proto" "sport = :$p" | grep -q . || return 1
	done
}

in_file() { # file pattern: a fixed string
	grep -qF -e "$2" "$1" 2>/dev/null
}

# The next loopback port after $port that no socket uses in any state (a
# TIME_WAIT keeps a listener from binding it), in $port.
port=$(awk -v s=$$ 'BEGIN { srand(); print 20000 + int(rand() * 30000 + s) % 30000 }')
next_port() {
	port=$((port + 1))
	while [ -n "$(ss -Htuan "sport = :$port" 2>/dev/null)" ]; do
		port=$((port + 1))
	done
}

# --- the lab ---------------------------------------------------------------------

make_namespaces() {
	namespaces="${tag}s ${tag}a ${tag}f"	# deleted at the end, all
	for h in s a f; do
		ip netns add "$tag$h" || return 1
		ip -n "$tag$h" link set lo up || return 1
	done
	ip link add "${tag}sa" netns "${tag}s" type veth peer name "${tag}as" \
	    netns "${tag}a" &&
	ip link add "${tag}sf" netns "${tag}s" type veth peer name "${tag}fs" \
	    netns "${tag}f" &&
	ip -n "${tag}s" addr add "$SERVER/24" dev "${tag}sa" &&
	ip -n "${tag}s" addr add "$SERVER_F/24" dev "${tag}sf" &&
	ip -n "${tag}a" addr add "$ATTACKER/24" dev "${tag}as" &&
	ip -n "${tag}f" addr add "$FRIEND/24" dev "${tag}fs" &&
	ip -n "${tag}s" link set "${tag}sa" up &&
	ip -n "${tag}s" link set "${tag}sf" up &&
	ip -n "${tag}a" link set "${tag}as" up &&
	ip -n "${tag}f" link set "${tag}fs" up
}

choose_variant() {
	variant=lo
	if [ "$(id -u)" -eq 0 ]; then
		SERVER=203.0.113.1 SERVER_F=198.51.100.1
		ATTACKER=203.0.113.66 FRIEND=198.51.100.7
		if make_namespaces 2>"$dir/netns.err"; then
			variant=ns
			P_ECHO=7 P_DAYTIME=13 P_FINGER=79
			TCP_PORTS=1,11,15,111,119,143,540,635,1080,1524,2000,12345
			UDP_PORTS=1,9,69,161,162,513,635,640,31337
			return
		fi
		say no_ns "$(cat "$dir/netns.err")"
	fi
	SERVER=127.0.0.1 SERVER_F=127.0.0.1
	ATTACKER=127.0.0.2 FRIEND=127.0.0.3
	next_port; P_ECHO=$port
	next_port; P_DAYTIME=$port
	next_port; P_FINGER=$port
	next_port; TCP_PORTS=$port
	next_port; TCP_PORTS=$TCP_PORTS,$port
	next_port; UDP_PORTS=$port
}

write_files() {
	cat >"$dir/fingerd" <<-'EOF'
	#!/bin/sh
	# An external server: inetd hands it the connection on stdin/stdout.
	echo "Hello $TCPREMOTEIP: this is $(id -un), pid $$, started by inetd."
	EOF
	chmod 755 "$dir/fingerd"
	: >"$dir/hosts.allow"
	: >"$dir/hosts.deny"
	# Loopback: only 127.0.0.1, and no other user than ours without root.
	user="user           = nobody"
	bind=
	if [ "$variant" = lo ]; then
		user="user           = $(id -un)"
		bind="bind           = 127.0.0.1"
	fi
	cat >"$dir/inetd.conf" <<-EOF
	defaults
	{
	    log_type       = FILE $dir/service.log
	    log_on_success = PID HOST EXIT DURATION
	    log_on_failure = HOST
	    hosts_allow    = $dir/hosts.allow
	    hosts_deny     = $dir/hosts.deny
	EOF
	[ -z "$bind" ] || printf '    %s\n' "$bind" >>"$dir/inetd.conf"
	cat >>"$dir/inetd.conf" <<-EOF
	}
	service echo
	{
	    type           = INTERNAL UNLISTED
	    socket_type    = stream
	    protocol       = tcp
	    port           = $P_ECHO
	    wait           = no
	}
	service daytime
	{
	    type           = INTERNAL UNLISTED
	    socket_type    = stream
	    protocol       = tcp
	    port           = $P_DAYTIME
	    wait           = no
	}
	service finger
	{
	    type           = UNLISTED
	    socket_type    = stream
	    protocol       = tcp
	    port           = $P_FINGER
	    wait           = no
	    $user
	    server         = $dir/fingerd
	}
	EOF
	cat >"$dir/sentry.conf" <<-EOF
	TCP_PORTS="$TCP_PORTS"
	UDP_PORTS="$UDP_PORTS"
	IGNORE_FILE="$dir/sentry.ignore"
	HISTORY_FILE="$dir/sentry.history"
	BLOCKED_FILE="$dir/sentry.blocked"
	HOSTS_DENY_FILE="$dir/hosts.deny"
	BLOCK_TCP="1"
	BLOCK_UDP="1"
	KILL_HOSTS_DENY="ALL: \$TARGET\$ : DENY"
	SCAN_TRIGGER="3"
	SCAN_WINDOW="10"
	EOF
	echo "$FRIEND" >"$dir/sentry.ignore"
}

# --- the eight steps ------------------------------------------------------------

step1() {
	heading 1
	explain step1
	cat "$dir/inetd.conf"
	show server inetd -n -f "$dir/inetd.conf" 2>&1
	prompt server "inetd -d -f $dir/inetd.conf" c_fg
	start server inetd -d -f "$dir/inetd.conf" 2>"$dir/inetd.log"
	inetd_pid=$started
	wait_until 5 listening server t "$P_ECHO" "$P_DAYTIME" "$P_FINGER"
	outcome $? 1 chk_inetd
}

step2() {
	heading 2
	if [ "$variant" = ns ]; then
		explain step2 "$FRIEND"
		modes="-stcp -udp"
	else
		explain step2_lo
		modes="-tcp -udp"
	fi
	cat "$dir/sentry.conf"
	printf '%s:\n' "$dir/sentry.ignore"
	cat "$dir/sentry.ignore"
	# shellcheck disable=SC2086
	show server sentry -n -c "$dir/sentry.conf" $modes 2>&1
	prompt server "sentry -D -c $dir/sentry.conf $modes" c_events
	# shellcheck disable=SC2086
	start server sentry -D -c "$dir/sentry.conf" $modes \
	    >"$dir/sentry.events" 2>"$dir/sentry.log"
	sentry_pid=$started
	wait_until 10 in_file "$dir/sentry.log" "now active"
	outcome $? 2 chk_sentry
	grep -E 'now active|ERROR' "$dir/sentry.log"
}

step3() {
	heading 3
	if [ "$variant" = ns ]; then
		explain step3
		keep "$dir/lsof.out" server lsof -i -n -P
	else
		explain step3_lo
		keep "$dir/lsof.out" server lsof -i -n -P -a \
		    -p "$inetd_pid,$sentry_pid"
	fi
	grep -q "^inetd .*TCP .*:$P_FINGER (LISTEN)" "$dir/lsof.out" &&
	    grep -Eq "^sentry .*UDP .*:${UDP_PORTS%%,*}( |\$)" "$dir/lsof.out"
	outcome $? 3 chk_lsof
}

finger() { # role file: the finger service, from that host's address
	if [ "$variant" = ns ]; then
		t=$SERVER_F
		[ "$1" = friend ] || t=$SERVER
		keep "$2" "$1" nc -d -w 3 "$t" "$P_FINGER"
	else
		s=$FRIEND
		[ "$1" = friend ] || s=$ATTACKER
		keep "$2" "$1" nc -d -w 3 -s "$s" "$SERVER" "$P_FINGER"
	fi
}

step4() {
	heading 4
	explain step4
	finger friend "$dir/friend.out"
	wait_until 5 in_file "$dir/service.log" "EXIT: finger"
	printf '%s:\n' "$dir/service.log"
	cat "$dir/service.log"
	in_file "$dir/friend.out" "Hello $FRIEND:" &&
	    in_file "$dir/service.log" "START: finger" &&
	    in_file "$dir/service.log" "from=$FRIEND"
	outcome $? 4 chk_served "$FRIEND"
}

settled() { # service log: every finger server that started has ended
	[ "$(grep -c 'START: finger' "$1")" -eq "$(grep -c 'EXIT: finger' "$1")" ]
}

open_ports() { # file: echo, daytime and finger are open
	for p in "$P_ECHO" "$P_DAYTIME" "$P_FINGER"; do
		grep -q "^$p/tcp  *open " "$1" || return 1
	done
}

step5() {
	heading 5
	log_mark=$(wc -l <"$dir/service.log")
	if [ "$variant" = ns ]; then
		explain step5
		keep "$dir/syn.out" attacker pscan -sS -n -Pn -p 1-1100 "$SERVER"
		open_ports "$dir/syn.out"
		outcome $? 5 chk_syn
		keep "$dir/connect.out" attacker pscan -sT -n -Pn -p 1-1100 \
		    "$SERVER"
	else
		explain step5_lo
		keep "$dir/connect.out" attacker pscan -sT -n -Pn \
		    -p "$P_ECHO,$P_DAYTIME,$P_FINGER,$TCP_PORTS" "$SERVER"
	fi
	open_ports "$dir/connect.out"
	outcome $? 5 chk_connect
}

step6() {
	heading 6
	if [ "$variant" = ns ]; then
		explain step6
		wait_until 10 in_file "$dir/hosts.deny" "$ATTACKER"
		printf '%s:\n' "sentry -D"
		head -n 4 "$dir/sentry.events"
		say c_more "$(wc -l <"$dir/sentry.events")"
		grep 'has been blocked' "$dir/sentry.events"
		in_file "$dir/sentry.events" \
		    "scan from host: $ATTACKER/$ATTACKER to TCP port"
		outcome $? 6 chk_alert "$ATTACKER"
		show server sentry -c "$dir/sentry.conf" -l
	else
		explain step6_lo
		sleep 0.2	# let sentry's reporter write what it would
		printf '%s:\n' "sentry -D"
		cat "$dir/sentry.events"
		[ ! -s "$dir/sentry.events" ]
		outcome $? 6 chk_silent
		prompt server "echo 'ALL: $ATTACKER : DENY' >>$dir/hosts.deny" \
		    c_by_hand
		echo "ALL: $ATTACKER : DENY" >>"$dir/hosts.deny"
	fi
	printf '%s:\n' "$dir/hosts.deny"
	cat "$dir/hosts.deny"
	in_file "$dir/hosts.deny" "ALL: $ATTACKER : DENY"
	outcome $? 6 chk_deny "$ATTACKER"
}

step7() {
	heading 7
	explain step7
	finger attacker "$dir/attacker.out"
	wait_until 5 settled "$dir/service.log"
	# What inetd logged since the scans began: the connect scan too.
	printf '%s:\n' "$dir/service.log"
	sed "1,${log_mark}d" "$dir/service.log"
	[ ! -s "$dir/attacker.out" ] &&
	    in_file "$dir/service.log" "FAIL: finger libwrap from=$ATTACKER"
	outcome $? 7 chk_refused "$ATTACKER"
	printf '%s\n%s\n' "$ATTACKER" "$FRIEND" >"$dir/clients"
	prompt server "printf '%s\\n' $ATTACKER $FRIEND >$dir/clients" c_clients
	prompt server "inetd -W $dir -A fingerd - <$dir/clients"
	inetd -W "$dir" -A fingerd - <"$dir/clients" >"$dir/access.out"
	cat "$dir/access.out"
	# One line per client: address, verdict, deciding rule.
	verdicts=$(awk '/^client: address/ { c = $3 } /^matched:/ { m = $2 " " $4 }
	    /^access:/ { print c, $2, m; m = "" }' "$dir/access.out")
	[ "$verdicts" = "$ATTACKER denied $dir/hosts.deny 1
$FRIEND granted " ]
	outcome $? 7 chk_access "$ATTACKER" "$FRIEND"
	finger friend "$dir/friend2.out"
	in_file "$dir/friend2.out" "Hello $FRIEND:"
	outcome $? 7 chk_still
}

# Step 8, however the demo ends: stop, delete, remove, then check.
finish() {
	[ -z "$finished" ] || return
	finished=1
	heading 8
	if [ "$variant" = ns ]; then explain step8; else explain step8_lo; fi
	for p in $daemons; do
		kill "$p" 2>/dev/null
	done
	for p in $daemons; do
		wait "$p" 2>/dev/null
	done
	for n in $namespaces; do
		ip netns del "$n" 2>/dev/null
	done
	rm -rf "$dir"
	left=
	for p in $daemons; do
		! kill -0 "$p" 2>/dev/null || left="$left $p"
	done
	for n in $namespaces; do
		! ip netns list 2>/dev/null | grep -q "^$n\\b" || left="$left $n"
	done
	[ -z "$left" ] && [ ! -e "$dir" ]
	outcome $? 8 chk_gone
	echo
	if [ -z "$failures" ]; then
		say all_ok
		return 0
	fi
	say some_bad
	printf '%s' "$failures" | while IFS='	' read -r s what; do
		say failed_step "$s" "$what"
	done
	return 1
}

interrupted=
trap 'rc=0; finish || rc=1; [ -z "$interrupted" ] || rc=130; exit $rc' EXIT
trap 'interrupted=1; exit 130' INT TERM HUP

say title
echo
choose_variant
write_files
if [ "$variant" = ns ]; then
	say hosts "$dir" "$SERVER" "$SERVER_F" "${tag}s" "$ATTACKER" \
	    "${tag}a" "$FRIEND" "${tag}f"
else
	say hosts_lo "$dir"
fi
step1
step2
step3
step4
step5
step6
step7
