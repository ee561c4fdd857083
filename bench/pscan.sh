#!/bin/sh
# bench/pscan.sh: pscan against nmap 7.93, side by side in one run.
#
# Two throw-away network namespaces joined by a veth pair (documentation
# addresses, no route out): the scanner and a target with 10 listening
# ports.  Measured, as medians of alternating rounds:
#   1. -sT -p- and -sS -p- of the target, every other port closed;
#   2. -sS -p- at default timing once the target's firewall drops every
#      port but five (four open, one answered with a reset);
#   3. -sU of the target's top BENCH_UDP_TOP (100) UDP ports, its ICMP
#      rate limits left at Linux's defaults (one port unreachable a
#      second after a burst of six): a DNS server on 53, a silent socket
#      on 161, every other port closed.  Every state must be exact; the
#      time is the kernel's rate limit's, for both scanners.  nmap's run
#      is not capped (--max-retries would make it guess more): 1000
#      ports take each scanner about 17 minutes, hence the 100;
#   4. -sn of 203.0.113.0/24 routed through the target, three addresses
#      up (the target's own), the other 253 silent, and -sn of the
#      target's Ethernet /24 (ARP), three addresses up.
# Printed: seconds for each program, the ratio (pscan / nmap) and the
# accuracy: ports whose state differs from the known truth.  Nothing
# here is an assertion: it reports.  Runs need root; the machine is
# shared, so timings are noisy: read the medians.
#
# Environment: BENCH_ROUNDS (5) rounds of each full scan, BENCH_FW_ROUNDS
# (1) rounds of nmap's firewalled scan, which takes about 100 s alone,
# BENCH_UDP_ROUNDS (3) of the UDP scan, BENCH_UDP_TOP (100) its ports.
set -u
: "${TOP_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${TOP_BUILDDIR:=$TOP_SRCDIR}"
ROUNDS=${BENCH_ROUNDS:-5}
FW_ROUNDS=${BENCH_FW_ROUNDS:-1}
UDP_ROUNDS=${BENCH_UDP_ROUNDS:-3}
UDP_TOP=${BENCH_UDP_TOP:-100}
PSCAN=$TOP_BUILDDIR/pscan/pscan
OPEN="22 25 80 443 3306 5432 6379 8080 9000 31337"
FW_OPEN="22 80 443 8080"
FW_CLOSED=113
S=pbs$$
T=pbt$$
TGT=198.51.100.2
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pscan-bench.XXXXXX")
LPID=
UPID=

cleanup() {
	[ -n "$LPID" ] && kill "$LPID" 2>/dev/null
	[ -n "$UPID" ] && kill "$UPID" 2>/dev/null
	ip netns del "$S" 2>/dev/null
	ip netns del "$T" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

skip() {
	echo "pscan: SKIP: $*"
	exit 0
}

[ "$(id -u)" -eq 0 ] || skip "needs root (namespaces, raw sockets)"
for c in ip nft nmap python3; do
	command -v $c >/dev/null 2>&1 || skip "needs $c"
done
[ -x "$PSCAN" ] || { echo "pscan: build it first (make)"; exit 1; }

ip netns add "$S" && ip netns add "$T" &&
ip link add "${S}v" netns "$S" type veth peer name "${T}v" netns "$T" &&
ip -n "$S" link set lo up && ip -n "$T" link set lo up &&
ip -n "$S" link set "${S}v" up && ip -n "$T" link set "${T}v" up &&
ip -n "$S" addr add 198.51.100.1/24 dev "${S}v" &&
ip -n "$T" addr add "$TGT/24" dev "${T}v" ||
    { echo "pscan: cannot build the namespaces"; exit 1; }
# shellcheck disable=SC2086
ip netns exec "$T" python3 "$TOP_SRCDIR/t/pscan-listen.py" $OPEN \
    >"$TMP/listen" 2>&1 &
LPID=$!

# Waits for a server's "ready" in its log, at most 5 s.
wait_ready() { # log what
	i=0
	until grep -q ready "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || { echo "pscan: the $2 did not start"; exit 1; }
		sleep 0.05
	done
}
wait_ready "$TMP/listen" listeners

now() {
	date +%s%N
}

# Seconds a scan takes; its grepable report in $TMP/out.  PORTS (-p-)
# and TARGET ($TGT) may be changed around a measurement.
timed() {
	t0=$(now)
	# shellcheck disable=SC2086
	ip netns exec "$S" "$@" -n -Pn ${PORTS:--p-} -oG "$TMP/out" \
	    ${TARGET:-$TGT} >/dev/null 2>&1
	t1=$(now)
	echo "$t0 $t1" | awk '{ printf "%.2f\n", ($2 - $1) / 1e9 }'
}

# Ports whose state differs from the truth: $1 open ports, $2 closed
# ports, every other port in state $3, of $4 ports (65535).  Open ports
# are "port" or "port=state" for another state than open.
wrong() {
	awk -F'\t' -v open="$1" -v closed="$2" -v rest="$3" \
	    -v total="${4:-65535}" '
	BEGIN {
		n = split(open, o, " ")
		for (i = 1; i <= n; i++) {
			if (split(o[i], os, "=") == 2) want[os[1]] = os[2]
			else want[o[i]] = "open"
		}
		n = split(closed, c, " ")
		for (i = 1; i <= n; i++) want[c[i]] = "closed"
	}
	/\tPorts: / {
		for (f = 2; f <= NF; f++) {
			if ($f ~ /^Ports: /) {
				sub(/^Ports: /, "", $f)
				m = split($f, e, ", ")
				for (i = 1; i <= m; i++) {
					split(e[i], p, "/")
					got[p[1]] = p[2]
					listed++
				}
			}
			if ($f ~ /^Ignored State: /) {
				split($f, g, /[ ()]+/)
				ign = g[3]; nign = g[4]
			}
		}
	}
	END {
		bad = 0
		for (k in want)
			if (got[k] != want[k]) bad++
		for (k in got)
			if (!(k in want) && got[k] != rest) bad++
		# Folded ports are right when their state is the rest and
		# the counts add up to all the ports.
		if (ign != "" && ign != rest) bad += nign
		if (listed + nign != total) bad += total - listed - nign
		print bad
	}' "$TMP/out"
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'
}

# The medians of $TMP/tp and $TMP/tn and their ratio, after a label.
show_times() { # label
	tn=$(median <"$TMP/tn")
	tp=$(median <"$TMP/tp")
	printf '%-44s pscan %6.2f s  nmap %7.2f s  ratio %s  ' "$1" \
	    "$tp" "$tn" "$(ratio "$tp" "$tn")"
}

# One measurement: alternating rounds of nmap and pscan.  ROUNDS_OF
# (ROUNDS) and TOTAL (65535) may be changed around it.
measure() { # label rounds-of-nmap open closed rest scan-option
	label=$1 nr=$2 open=$3 closed=$4 rest=$5 opt=$6
	rounds=${ROUNDS_OF:-$ROUNDS}
	: >"$TMP/tn"
	: >"$TMP/tp"
	bad_n=0 bad_p=0
	r=0
	while [ $r -lt "$rounds" ]; do
		if [ $r -lt "$nr" ]; then
			[ -z "${PAUSE:-}" ] || sleep "$PAUSE"
			timed nmap "$opt" >>"$TMP/tn"
			bad_n=$(( bad_n + $(wrong "$open" "$closed" "$rest" \
			    "${TOTAL:-65535}") ))
		fi
		[ -z "${PAUSE:-}" ] || sleep "$PAUSE"
		timed "$PSCAN" "$opt" >>"$TMP/tp"
		bad_p=$(( bad_p + $(wrong "$open" "$closed" "$rest" \
		    "${TOTAL:-65535}") ))
		r=$((r + 1))
	done
	show_times "$label"
	printf 'wrong ports: pscan %d in %d runs, nmap %d in %d\n' "$bad_p" \
	    "$rounds" "$bad_n" "$nr"
}

# Seconds a ping sweep takes; the up hosts, sorted, in $TMP/up.
swept() { # target scanner...
	tgt=$1
	shift
	t0=$(now)
	ip netns exec "$S" "$@" -n -sn -oG - "$tgt" 2>/dev/null |
	    awk -F'\t' '$2 == "Status: Up" { split($1, f, " "); print f[2] }' |
	    sort >"$TMP/up"
	t1=$(now)
	echo "$t0 $t1" | awk '{ printf "%.3f\n", ($2 - $1) / 1e9 }'
}

# A ping sweep, alternating rounds; the up hosts must be $2's.
sweep() { # label target up-hosts
	: >"$TMP/tn"
	: >"$TMP/tp"
	bad_n=0 bad_p=0
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		swept "$2" nmap >>"$TMP/tn"
		[ "$(xargs <"$TMP/up")" = "$3" ] || bad_n=$((bad_n + 1))
		swept "$2" "$PSCAN" >>"$TMP/tp"
		[ "$(xargs <"$TMP/up")" = "$3" ] || bad_p=$((bad_p + 1))
		r=$((r + 1))
	done
	show_times "$1"
	printf 'wrong up sets: pscan %d in %d runs, nmap %d\n' "$bad_p" \
	    "$ROUNDS" "$bad_n"
}

echo "pscan $("$PSCAN" -V | awk '{ print $3 }') vs $(nmap -V | head -1)," \
    "$(nproc) CPUs; medians of $ROUNDS rounds"
closed_rest=$(echo "$OPEN" | tr ' ' '\n' | awk '{ printf "%s ", $1 }')
measure "-sT -p-, 10 open, 65525 closed" "$ROUNDS" "$closed_rest" "" \
    closed -sT
measure "-sS -p-, 10 open, 65525 closed" "$ROUNDS" "$closed_rest" "" \
    closed -sS

ip netns exec "$T" nft -f - <<EOF
table inet bench {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport { $(echo "$FW_OPEN" | tr ' ' ',') } accept
		tcp dport $FW_CLOSED reject with tcp reset
		meta l4proto tcp drop
	}
}
EOF
measure "-sS -p-, firewall drops all but 5 ports" "$FW_ROUNDS" \
    "$FW_OPEN" "$FW_CLOSED" filtered -sS

# 3. UDP, the target's ICMP limits at their defaults.  Each run starts
# with Linux's burst of six errors available again.
ip netns exec "$T" python3 "$TOP_SRCDIR/t/pscan-udp.py" dns:53 silent:161 \
    >"$TMP/udp" 2>&1 &
UPID=$!
wait_ready "$TMP/udp" "UDP servers"
PORTS="--top-ports $UDP_TOP" TOTAL=$UDP_TOP ROUNDS_OF=$UDP_ROUNDS PAUSE=7 \
    measure "-sU --top-ports $UDP_TOP, ICMP limits at defaults" \
    "$UDP_ROUNDS" "53 161=open|filtered" "" closed -sU

# 4. Ping sweeps: a routed /24 behind the target, whose own three
# addresses there answer and the rest are silent (not forwarded), and
# the target's Ethernet /24 with three addresses of its own.
for h in 2 3 4; do
	ip -n "$T" addr add "203.0.113.$h/32" dev lo || exit 1
	[ $h = 2 ] || ip -n "$T" addr add "198.51.100.$h/24" dev "${T}v" ||
	    exit 1
done &&
ip -n "$S" route add 203.0.113.0/24 via "$TGT" ||
    { echo "pscan: cannot build the routed network"; exit 1; }
sweep "-sn 203.0.113.0/24 (routed), 3 hosts up" 203.0.113.0/24 \
    "203.0.113.2 203.0.113.3 203.0.113.4"
sweep "-sn 198.51.100.0/24 (ARP), 3 up and ourselves" 198.51.100.0/24 \
    "198.51.100.1 198.51.100.2 198.51.100.3 198.51.100.4"
