# test_helper.bash: shared setup for every bats suite in t/.
#
# Load it with `load test_helper`.  It provides:
#   $TOP_SRCDIR $TOP_BUILDDIR $DATA     where sources, binaries, fixtures are
#   $INETD $SENTRY $PSCAN $LSOF         the built programs
#   require_root, require_cmd           skip cleanly when a need is unmet
#   daemon_start/daemon_stop            background daemons, killed in teardown
#   wait_for_file/wait_for_log/wait_for_port/wait_for_cmd   readiness polls
#   free_port [tcp|udp]                 a port nothing listens on
#   lab_pair/lab_exec/lab_destroy_all   throw-away network namespaces
#
# A suite that defines its own teardown() must call helper_teardown from it.
# Everything the helpers create lives under $BATS_TEST_TMPDIR or in
# namespaces named ak<pid>..., and is removed in teardown even when the test
# failed.

TOP_SRCDIR=${TOP_SRCDIR:-$(cd "$BATS_TEST_DIRNAME/.." && pwd)}
TOP_BUILDDIR=${TOP_BUILDDIR:-$TOP_SRCDIR}
DATA=$TOP_SRCDIR/t/data
INETD=$TOP_BUILDDIR/inetd/inetd
SENTRY=$TOP_BUILDDIR/sentry/sentry
PSCAN=$TOP_BUILDDIR/pscan/pscan
LSOF=$TOP_BUILDDIR/lsof/lsof
export TOP_SRCDIR TOP_BUILDDIR DATA INETD SENTRY PSCAN LSOF

# --- needs ---------------------------------------------------------------

require_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
}

require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "needs $c"
	done
}

# --- anchors unpacked, not installed ---------------------------------------
# Some anchors are daemons whose Debian packages start them at install
# time, in the machine's own network namespace (portsentry, fail2ban,
# rpcbind): the tests unpack them instead.  anchor_root PKG prints the
# directory Debian's package PKG is unpacked in (under the build tree,
# once for every suite) or fails when it cannot be had.  Suites that run
# at the same time race harmlessly: each unpacks aside and the first
# rename wins.
anchor_root() {
	local pkg=$1 cache=$TOP_BUILDDIR/t/anchors tmp
	if [ ! -d "$cache/$pkg" ]; then
		mkdir -p "$cache" || return 1
		tmp=$(mktemp -d "$cache/.$pkg.XXXXXX") || return 1
		(cd "$tmp" && apt-get download "$pkg" >/dev/null 2>&1 &&
		    dpkg -x "$pkg"_*.deb root) &&
		    mv -T "$tmp/root" "$cache/$pkg" 2>/dev/null
		rm -rf "$tmp"
	fi
	[ -d "$cache/$pkg" ] && echo "$cache/$pkg"
}

# Shell code for a private mount namespace whose /run is a tmpfs of its
# own: Debian's rpcbind, unpacked rather than installed, runs as the
# user _rpc its package would have created; a copy of /etc/passwd that
# has it is bound over the machine's, in that namespace only.
# shellcheck disable=SC2016
RPC_USER_SH='getent passwd _rpc >/dev/null || {
	cp /etc/passwd /run/passwd &&
	echo "_rpc:x:65534:65534::/run/rpcbind:/usr/sbin/nologin" >>/run/passwd &&
	mount --bind /run/passwd /etc/passwd; }'

# anchor_path VAR PKG PATH: sets VAR to the installed file /PATH (e.g.
# usr/sbin/portsentry, etc/portsentry/portsentry.conf) or to the one
# unpacked from PKG; skips the test when neither is there.  (Not to be run
# in $(...): a skip there would not reach the test.)
anchor_path() {
	local root
	if [ -e "/$3" ]; then
		printf -v "$1" '%s' "/$3"
	elif root=$(anchor_root "$2") && [ -e "$root/$3" ]; then
		printf -v "$1" '%s' "$root/$3"
	else
		skip "needs $2's /$3 (installed, or apt-get download $2)"
	fi
}

# --- readiness -----------------------------------------------------------
# Poll instead of sleeping a fixed time: each wait returns as soon as its
# condition holds and fails after a deadline (default 10 s).

wait_for_cmd() { # timeout_seconds command...
	local deadline=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.02
	done
}

wait_for_file() { # path [timeout]
	wait_for_cmd "${2:-10}" test -s "$1"
}

wait_for_log() { # pattern file [timeout]
	wait_for_cmd "${3:-10}" grep -q -e "$1" "$2"
}

port_listening() { # port [tcp|udp]
	if [ "${2:-tcp}" = udp ]; then
		ss -Hlun "sport = :$1" 2>/dev/null | grep -q .
	else
		ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
	fi
}

wait_for_port() { # port [tcp|udp] [timeout]
	wait_for_cmd "${3:-10}" port_listening "$1" "${2:-tcp}"
}

# A port in the dynamic range that nothing uses for TCP or UDP right now.
free_port() {
	local p i
	for i in $(seq 1 200); do
		p=$((20000 + (RANDOM * 32768 + RANDOM) % 30000))
		if ! ss -Htan "sport = :$p" 2>/dev/null | grep -q . &&
		    ! ss -Huan "sport = :$p" 2>/dev/null | grep -q .; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# --- daemons -------------------------------------------------------------
# daemon_start NAME command...: run in the background with fd 3 closed (bats
# waits on it otherwise), output to $BATS_TEST_TMPDIR/NAME.log, pid in
# $BATS_TEST_TMPDIR/NAME.pid.  Sets $DAEMON_PID.

daemon_start() {
	local name=$1
	shift
	"$@" >"$BATS_TEST_TMPDIR/$name.log" 2>&1 3>&- &
	DAEMON_PID=$!
	echo "$DAEMON_PID" >"$BATS_TEST_TMPDIR/$name.pid"
	echo "$DAEMON_PID" >>"$BATS_TEST_TMPDIR/.daemons"
}

daemon_stop() { # NAME: TERM, then KILL after 5 s; returns the exit status
	local f=$BATS_TEST_TMPDIR/$1.pid pid rc=0
	[ -f "$f" ] || return 0
	pid=$(cat "$f")
	rm -f "$f"
	kill -TERM "$pid" 2>/dev/null || return 0
	if ! wait_for_cmd 5 sh -c "! kill -0 $pid"; then
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null || rc=$?
	return $rc
}

daemons_stop_all() {
	local pid
	[ -f "$BATS_TEST_TMPDIR/.daemons" ] || return 0
	while read -r pid; do
		kill -TERM "$pid" 2>/dev/null || continue
		wait_for_cmd 5 sh -c "! kill -0 $pid" ||
		    kill -KILL "$pid" 2>/dev/null
	done <"$BATS_TEST_TMPDIR/.daemons"
	rm -f "$BATS_TEST_TMPDIR/.daemons"
}

# --- network namespace lab -----------------------------------------------
# lab_pair A B [v4net] [v6net] creates two namespaces joined by a veth pair,
# each with loopback up, and the addresses .1 and .2 of a documentation
# network (default 192.0.2.0/24 and 2001:db8::/64).  Neither namespace has
# a default route, so nothing sent inside can leave the machine.
#   LAB_NS[A]   the namespace's name     LAB_IF[A]  its veth device
#   LAB_IP4[A]  its IPv4 address         LAB_IP6[A] its IPv6 address
# lab_exec A cmd... runs a command inside A.  Names are recorded in
# $BATS_TEST_TMPDIR/.lab so teardown removes them whatever happened.

declare -gA LAB_NS LAB_IF LAB_IP4 LAB_IP6

lab_prefix() {
	echo "ak$$"
}

lab_pair() {
	local a=$1 b=$2 net4=${3:-192.0.2} net6=${4:-2001:db8:}
	local tag nsa nsb ifa ifb
	require_root
	require_cmd ip
	tag=$(lab_prefix)$((RANDOM % 10000))
	nsa=${tag}$a nsb=${tag}$b
	ifa=${tag}a ifb=${tag}b
	echo "$nsa" >>"$BATS_TEST_TMPDIR/.lab"
	echo "$nsb" >>"$BATS_TEST_TMPDIR/.lab"
	ip netns add "$nsa" || return 1
	ip netns add "$nsb" || return 1
	ip link add "$ifa" netns "$nsa" type veth peer name "$ifb" \
	    netns "$nsb" || return 1
	lab_host_up "$nsa" "$ifa" "$net4.1/24" "${net6}:1/64" || return 1
	lab_host_up "$nsb" "$ifb" "$net4.2/24" "${net6}:2/64" || return 1
	LAB_NS[$a]=$nsa LAB_NS[$b]=$nsb
	LAB_IF[$a]=$ifa LAB_IF[$b]=$ifb
	LAB_IP4[$a]=$net4.1 LAB_IP4[$b]=$net4.2
	LAB_IP6[$a]=${net6}:1 LAB_IP6[$b]=${net6}:2
}

lab_host_up() { # ns ifname v4/len v6/len
	ip -n "$1" link set lo up &&
	ip -n "$1" link set "$2" up &&
	ip -n "$1" addr add "$3" dev "$2" &&
	ip -n "$1" -6 addr add "$4" dev "$2" nodad
}

lab_exec() { # host command...
	local ns=${LAB_NS[$1]}
	shift
	ip netns exec "$ns" "$@"
}

lab_destroy_all() {
	local ns
	[ -f "$BATS_TEST_TMPDIR/.lab" ] || return 0
	while read -r ns; do
		# Killing what still runs inside lets the namespace go away.
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done <"$BATS_TEST_TMPDIR/.lab"
	rm -f "$BATS_TEST_TMPDIR/.lab"
}

# --- teardown ------------------------------------------------------------

helper_teardown() {
	daemons_stop_all
	lab_destroy_all
}

teardown() {
	helper_teardown
}
