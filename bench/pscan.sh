#!/bin/sh
# bench/pscan.sh: pscan against nmap 7.93, side by side in one run.
#
# Two throw-away network namespaces joined by a veth pair (documentation
# addresses, no route out): the scanner and a target with 10 listening
# ports.  Measured, as medians of alternating rounds:
#   1. -sT -p- and -sS -p- of the target, every other port closed;
#   2. -sS -p- at default timing once the target's firewall drops every
#      port but five (four open, one answered with a reset).
# Printed: seconds for each program, the ratio (pscan / nmap) and the
# accuracy: ports whose state differs from the known truth.  Nothing
# here is an assertion: it reports.  Runs need root; the machine is
# shared, so timings are noisy: read the medians.
#
# Environment: BENCH_ROUNDS (5) rounds of each full scan, BENCH_FW_ROUNDS
# (1) rounds of nmap's firewalled scan, which takes about 100 s alone.
set -u
: "${TOP_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${TOP_BUILDDIR:=$TOP_SRCDIR}"
ROUNDS=${BENCH_ROUNDS:-5}
FW_ROUNDS=${BENCH_FW_ROUNDS:-1}
PSCAN=$TOP_BUILDDIR/pscan/pscan
OPEN="22 25 80 443 3306 5432 6379 8080 9000 31337"
FW_OPEN="22 80 443 8080"
FW_CLOSED=113
S=pbs$$
T=pbt$$
TGT=198.51.100.2
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pscan-bench.XXXXXX")
LPID=

cleanup() {
	[ -n "$LPID" ] && kill "$LPID" 2>/dev/null
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
i=0
until grep -q ready "$TMP/listen" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "pscan: the listeners did not start"; exit 1; }
	sleep 0.05
done

now() {
	date +%s%N
}

# Seconds a scan takes; its grepable report in $TMP/out.
timed() {
	t0=$(now)
	ip netns exec "$S" "$@" -n -Pn -p- -oG "$TMP/out" "$TGT" \
	    >/dev/null 2>&1
	t1=$(now)
	echo "$t0 $t1" | awk '{ printf "%.2f\n", ($2 - $1) / 1e9 }'
}

# Ports whose state differs from the truth: $1 open ports, $2 closed
# ports, every other port in state $3.
wrong() {
	awk -F'\t' -v open="$1" -v closed="$2" -v rest="$3" '
	BEGIN {
		n = split(open, o, " ")
		for (i = 1; i <= n; i++) want[o[i]] = "open"
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
		# the counts add up to all 65535 ports.
		if (ign != "" && ign != rest) bad += nign
		if (listed + nign != 65535) bad += 65535 - listed - nign
		print bad
	}' "$TMP/out"
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'
}

# One measurement: alternating rounds of nmap and pscan.
measure() { # label rounds-of-nmap open closed rest scan-option
	label=$1 nr=$2 open=$3 closed=$4 rest=$5 opt=$6
	: >"$TMP/tn"
	: >"$TMP/tp"
	bad_n=0 bad_p=0
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		if [ $r -lt "$nr" ]; then
			timed nmap "$opt" >>"$TMP/tn"
			bad_n=$(( bad_n + $(wrong "$open" "$closed" "$rest") ))
		fi
		timed "$PSCAN" "$opt" >>"$TMP/tp"
		bad_p=$(( bad_p + $(wrong "$open" "$closed" "$rest") ))
		r=$((r + 1))
	done
	tn=$(median <"$TMP/tn")
	tp=$(median <"$TMP/tp")
	printf '%-44s pscan %6.2f s  nmap %7.2f s  ratio %s  ' "$label" \
	    "$tp" "$tn" "$(ratio "$tp" "$tn")"
	printf 'wrong ports: pscan %d in %d runs, nmap %d in %d\n' "$bad_p" \
	    "$ROUNDS" "$bad_n" "$nr"
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
