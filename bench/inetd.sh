#!/bin/sh
# bench/inetd.sh: inetd against xinetd 2.3.15.3, side by side in one run.
#
# Both daemons get equivalent configurations (cps = 0 0, no logging,
# loopback only) and the same load: 32 concurrent clients on loopback,
# each connecting, sending a line, reading it back and closing (with a
# reset, so no TIME_WAIT state piles up on the client's side).  Printed:
# connections per second for the internal echo service and for an
# external nowait /bin/cat, the ratios (inetd / xinetd), the idle RSS with
# Debian's 12 stock service files loaded, and inetd's descriptor and
# zombie counts before and after 100,000 connections.  Nothing here is an
# assertion: it reports.
#
# Environment: BENCH_SECS (default 4) seconds per measurement,
# BENCH_ROUNDS (3) alternating rounds whose median is printed,
# BENCH_CONC (32) concurrent clients, BENCH_TOTAL (100000) connections
# for the leak check.
set -u
: "${TOP_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${TOP_BUILDDIR:=$TOP_SRCDIR}"
SECS=${BENCH_SECS:-4}
ROUNDS=${BENCH_ROUNDS:-3}
CONC=${BENCH_CONC:-32}
TOTAL=${BENCH_TOTAL:-100000}
INETD=$TOP_BUILDDIR/inetd/inetd
CLIENT=$TOP_BUILDDIR/t/inetd-client

T=$(mktemp -d "${TMPDIR:-/tmp}/inetd-bench.XXXXXX")
PIDS=
cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null
	done
	sleep 0.2
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

[ -x "$INETD" ] || { echo "inetd: build it first (make)"; exit 1; }
if [ ! -x "$CLIENT" ]; then
	(cd "$TOP_BUILDDIR" && make t/inetd-client >/dev/null) ||
	    { echo "inetd: cannot build t/inetd-client"; exit 1; }
fi

(cd "$T" && apt-get download xinetd >/dev/null 2>&1 &&
    dpkg -x xinetd_*.deb root) || true
XINETD=$T/root/usr/sbin/xinetd
if [ ! -x "$XINETD" ]; then
	echo "inetd: SKIP: xinetd not available (apt-get download xinetd failed)"
	exit 0
fi

port() {	# a free TCP port, below the ephemeral range the clients use
	lo=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
	[ -n "$lo" ] && [ "$lo" -gt 11000 ] || lo=32768
	while :; do
		p=$(( 10000 + $(od -An -N2 -tu2 /dev/urandom) % (lo - 10000) ))
		ss -Hltn "sport = :$p" | grep -q . || { echo "$p"; return; }
	done
}

EP=$(port)
CP=$(port)
NP=$(port)
cat >"$T/bench.conf" <<EOF
defaults
{
	cps = 0 0
	instances = UNLIMITED
}
service echo
{
	type = INTERNAL UNLISTED
	socket_type = stream
	protocol = tcp
	wait = no
	port = $EP
	bind = 127.0.0.1
}
service cat
{
	type = UNLISTED
	socket_type = stream
	protocol = tcp
	wait = no
	port = $CP
	bind = 127.0.0.1
	user = $(id -un)
	server = /bin/cat
}
service catnw
{
	type = UNLISTED
	socket_type = stream
	protocol = tcp
	wait = no
	port = $NP
	bind = 127.0.0.1
	user = $(id -un)
	server = /bin/cat
	flags = NOLIBWRAP
}
EOF
# The idle configuration: the bench services plus the stock files.
sed "\$a includedir $T/root/etc/xinetd.d" "$T/bench.conf" >"$T/stock.conf"

wait_port() {
	i=0
	while ! ss -Hltn "sport = :$1" | grep -q .; do
		i=$((i + 1))
		[ $i -lt 200 ] || return 1
		sleep 0.05
	done
}

start() {	# name conf: start the daemon in the foreground, set PID
	if [ "$1" = xinetd ]; then
		"$XINETD" -dontfork -f "$2" -filelog "$T/$1.log" &
	else
		"$INETD" -dontfork -f "$2" -filelog "$T/$1.log" &
	fi
	PID=$!
	PIDS="$PIDS $PID"
	wait_port "$EP" && wait_port "$CP" && wait_port "$NP"
}

stop() {
	kill "$PID" 2>/dev/null
	wait "$PID" 2>/dev/null
	PIDS=$(echo "$PIDS" | sed "s/ $PID//")
}

rate() {	# port [client options]: connections per second under load
	p=$1
	shift
	"$CLIENT" -L "$CONC,$SECS" "$@" -s 'bench\n' -n 6 127.0.0.1 "$p" |
	    sed -n 's/.*rate=\([0-9]*\).*/\1/p'
}

rss() {	# kB
	sed -n 's/^VmRSS:[^0-9]*\([0-9]*\).*/\1/p' "/proc/$1/status"
}

fds() {
	ls "/proc/$1/fd" | wc -l
}

zombies() {	# children of $1 in state Z, from /proc
	awk -v p="$1" '{ sub(/.*\) /, ""); if ($1 == "Z" && $2 == p) n++ }
	    END { print n + 0 }' /proc/[0-9]*/stat 2>/dev/null
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b;
	    else print "n/a" }'
}

echo "inetd vs xinetd: $CONC clients, ${SECS}s per run, loopback," \
    "median of $ROUNDS alternating rounds"

median() {	# the middle one of its arguments
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 }
	    END { print v[int((NR + 1) / 2)] }'
}

# Rounds alternate between the daemons, so a busy moment on a shared
# machine hits both rather than one.
for r in $(seq "$ROUNDS"); do
	for d in xinetd inetd; do
		start "$d" "$T/bench.conf" ||
		    { echo "$d did not start:"; cat "$T/$d.log"; exit 1; }
		eval "${d}_echo_all=\"\${${d}_echo_all:-} $(rate "$EP" -R)\""
		eval "${d}_cat_all=\"\${${d}_cat_all:-} $(rate "$CP" -R)\""
		eval "${d}_nw_all=\"\${${d}_nw_all:-} $(rate "$NP" -R)\""
		stop
	done
done
for d in xinetd inetd; do
	eval "${d}_echo=\$(median \$${d}_echo_all)"
	eval "${d}_cat=\$(median \$${d}_cat_all)"
	eval "${d}_nw=\$(median \$${d}_nw_all)"
	start "$d" "$T/stock.conf" ||
	    { echo "$d did not start:"; cat "$T/$d.log"; exit 1; }
	sleep 1
	eval "${d}_rss=$(rss "$PID")"
	stop
done

line() {
	printf '%-34s %10s %10s %7s\n' "$1" "$2" "$3" "$(ratio "$3" "$2")"
}
printf '%-34s %10s %10s %7s\n' "" xinetd inetd ratio
line "internal echo (conn/s)" "$xinetd_echo" "$inetd_echo"
line "external /bin/cat (conn/s)" "$xinetd_cat" "$inetd_cat"
line "external /bin/cat, NOLIBWRAP" "$xinetd_nw" "$inetd_nw"
line "idle RSS, stock files (kB)" "$xinetd_rss" "$inetd_rss"
cat <<EOF
rounds: echo xinetd$xinetd_echo_all, inetd$inetd_echo_all
       cat xinetd$xinetd_cat_all, inetd$inetd_cat_all
       cat NOLIBWRAP xinetd$xinetd_nw_all, inetd$inetd_nw_all
(The clients close with a reset.  With a normal close every connection
leaves a TIME_WAIT socket on the one client address, and at these rates
connect(2) spends its time searching the crowded port range: that would
measure the client, not the daemon.)
EOF

# Leaks: descriptors and zombies before and after TOTAL connections, half
# internal and half external.
start inetd "$T/bench.conf"
sleep 0.5
fd0=$(fds "$PID")
z0=$(zombies "$PID")
r0=$(rss "$PID")
half=$((TOTAL / 2))
"$CLIENT" -R -L "$CONC,3600" -c "$half" -s 'x\n' -n 2 127.0.0.1 "$EP" >/dev/null
"$CLIENT" -R -L "$CONC,3600" -c $((TOTAL - half)) -s 'x\n' -n 2 127.0.0.1 "$CP" \
    >/dev/null
sleep 1
fd1=$(fds "$PID")
z1=$(zombies "$PID")
r1=$(rss "$PID")
stop
echo "inetd after $TOTAL connections: fds $fd0 -> $fd1, zombies $z0 -> $z1," \
    "RSS $r0 -> $r1 kB"
