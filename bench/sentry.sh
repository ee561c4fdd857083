#!/bin/sh
# bench/sentry.sh: sentry against portsentry 1.2, side by side in one run.
#
# In two network namespaces joined by a veth pair (198.51.100.1 scans
# 198.51.100.2, no route out), each detector in turn watches the victim
# under t/sentry-ns.sh (its own /dev/log, every syslog line stamped to the
# microsecond when it arrives), in the advanced modes (every port below
# 1024, log only, the same configuration for both), while the attacker
# runs nmap -T5 over ports 1-1023: SYN, FIN, XMAS, NULL, connect and UDP
# scans.  tcpdump in the victim records every probe.  Printed per scan and
# per detector: the share of the probed ports it reported, and the delay
# from a port's first probe on the wire to its first alert (median and
# p99).  Then a flood of 100,000 SYN segments to one watched port gives the
# CPU time each detector spends per 100,000 packets and the share it saw.
# Nothing here is an assertion: it reports.
#
# Environment: BENCH_ROUNDS (3) runs of everything, medians printed;
# BENCH_FLOOD (100000) packets of the flood; BENCH_KEEP (unset) keeps the
# captures and logs.
set -u
: "${TOP_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${TOP_BUILDDIR:=$TOP_SRCDIR}"
ROUNDS=${BENCH_ROUNDS:-3}
FLOOD=${BENCH_FLOOD:-100000}
SENTRY=$TOP_BUILDDIR/sentry/sentry
NS_SH=$TOP_SRCDIR/t/sentry-ns.sh

[ "$(id -u)" -eq 0 ] || { echo "sentry: SKIP: needs root"; exit 0; }
for c in nmap hping3 tcpdump unshare python3 ip; do
	command -v "$c" >/dev/null 2>&1 ||
	    { echo "sentry: SKIP: needs $c"; exit 0; }
done
[ -x "$SENTRY" ] || { echo "sentry: build it first (make)"; exit 1; }
LOGSINK=$TOP_BUILDDIR/t/sentry-logsink
export LOGSINK
if [ ! -x "$LOGSINK" ]; then
	(cd "$TOP_BUILDDIR" && make t/sentry-logsink >/dev/null) ||
	    { echo "sentry: cannot build t/sentry-logsink"; exit 1; }
fi
grep -q "define HAVE_LIBPCAP 1" "$TOP_BUILDDIR/config.h" ||
    { echo "sentry: SKIP: built without libpcap"; exit 0; }
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

T=$(mktemp -d "${TMPDIR:-/tmp}/sentry-bench.XXXXXX")
# portsentry installed, or unpacked from its package: installing it starts
# it in the machine's own namespace.  t/sentry-ns.sh makes the paths it
# has compiled in where they are missing.
PORTSENTRY=$(command -v portsentry || true)
if [ -z "$PORTSENTRY" ]; then
	(cd "$T" && apt-get download portsentry >/dev/null 2>&1 &&
	    dpkg -x portsentry_*.deb ps-root) || true
	PORTSENTRY=$T/ps-root/usr/sbin/portsentry
	[ -x "$PORTSENTRY" ] || { echo "sentry: SKIP: needs portsentry"
	    rm -rf "$T"; exit 0; }
fi
NSA=akb$$a
NSV=akb$$v
A=198.51.100.1
V=198.51.100.2
HPID=

harness_stop() {
	[ -n "$HPID" ] || return 0
	kill -KILL "$HPID" 2>/dev/null
	wait "$HPID" 2>/dev/null
	HPID=
	# What ran inside dies after the namespace's first process.
	i=0
	while [ $i -lt 100 ]; do
		left=0
		for p in $(ip netns pids "$NSV" 2>/dev/null); do
			[ "$(readlink "/proc/$p/ns/pid")" = \
			    "$(readlink /proc/self/ns/pid)" ] || left=1
		done
		[ $left -eq 0 ] && break
		i=$((i + 1))
		sleep 0.05
	done
}

cleanup() {
	harness_stop
	for ns in "$NSA" "$NSV"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	if [ -n "${BENCH_KEEP:-}" ]; then
		echo "sentry: data kept in $T"
	else
		rm -rf "$T"
	fi
}
trap cleanup EXIT INT TERM

ip netns add "$NSA" && ip netns add "$NSV" &&
ip link add "${NSA}0" netns "$NSA" type veth peer name "${NSV}0" \
    netns "$NSV" &&
ip -n "$NSA" link set lo up && ip -n "$NSV" link set lo up &&
ip -n "$NSA" link set "${NSA}0" up && ip -n "$NSV" link set "${NSV}0" up &&
ip -n "$NSA" addr add "$A/24" dev "${NSA}0" &&
ip -n "$NSV" addr add "$V/24" dev "${NSV}0" ||
    { echo "sentry: cannot make the namespaces"; exit 1; }
# Let the victim answer a UDP scan at full speed, and let its /dev/log
# queue the lines of a burst (the default of 10 datagrams would make both
# detectors wait for the python receiver, which is no syslog daemon).
ip netns exec "$NSV" sysctl -qw net.ipv4.icmp_ratelimit=0 \
    net.ipv4.icmp_msgs_per_sec=1000000 net.unix.max_dgram_qlen=4096 \
    2>/dev/null

cat >"$T/conf" <<EOF
TCP_PORTS="1"
UDP_PORTS="1"
ADVANCED_PORTS_TCP="1024"
ADVANCED_PORTS_UDP="1024"
ADVANCED_EXCLUDE_TCP=""
ADVANCED_EXCLUDE_UDP=""
IGNORE_FILE="$T/ignore"
HISTORY_FILE="$T/history"
BLOCKED_FILE="$T/blocked"
HOSTS_DENY_FILE="$T/deny"
BLOCK_TCP="0"
BLOCK_UDP="0"
SCAN_TRIGGER="0"
EOF
echo "127.0.0.1" >"$T/ignore"
: >"$T/deny"

# run WHO MODE DIR: one detector under the harness, ready to watch.
run() {
	rm -rf "$3"
	mkdir -p "$3"
	if [ "$1" = portsentry ]; then
		ip netns exec "$NSV" unshare -m -p -f --mount-proc --kill-child \
		    sh "$NS_SH" "$3" "$T/conf:/etc/portsentry/portsentry.conf" \
		    "$T/deny:/etc/hosts.deny" -- "$PORTSENTRY" "-$2" \
		    >"$3/out" 2>&1 &
	else
		ip netns exec "$NSV" unshare -m -p -f --mount-proc --kill-child \
		    sh "$NS_SH" "$3" -- "$SENTRY" -c "$T/conf" "-$2" \
		    >"$3/out" 2>&1 &
	fi
	HPID=$!
	i=0
	until grep -q "is now active and listening" "$3/syslog" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 200 ] || { cat "$3/out"; return 1; }
		sleep 0.05
	done
}

# Until the syslog has been quiet for half a second.
settle() {
	last=-1
	while :; do
		n=$(wc -l <"$1/syslog")
		[ "$n" -eq "$last" ] && break
		last=$n
		sleep 0.5
	done
}

# scan WHO NAME MODE NMAP-ARGS...: one scan of one detector.
scan() {
	who=$1 name=$2 mode=$3
	shift 3
	d=$T/$who-$name-$r
	run "$who" "$mode" "$d" || return 1
	ip netns exec "$NSV" tcpdump -i "${NSV}0" -n -B 32768 -w "$d/pcap" \
	    "src host $A and ((tcp and tcp[13] & 0x14 == 0) or udp)" \
	    >/dev/null 2>&1 &
	tpid=$!
	sleep 0.5
	ip netns exec "$NSA" nmap -n -Pn -T5 -p1-1023 "$@" "$V" >/dev/null 2>&1
	settle "$d"
	kill "$tpid"
	wait "$tpid" 2>/dev/null
	tcpdump -r "$d/pcap" -n -tt -q 2>/dev/null >"$d/probes"
	harness_stop
}

# CPU seconds (user + system) of the detector's processes in the victim.
cpu() {
	ticks=0
	for p in $(ip netns pids "$NSV" 2>/dev/null); do
		c=$(cat "/proc/$p/comm" 2>/dev/null)
		case "$c" in
		sentry|portsentry)
			t=$(awk '{ print $14 + $15 }' "/proc/$p/stat")
			ticks=$((ticks + t)) ;;
		esac
	done
	echo "$ticks"
}

flood() { # WHO
	d=$T/$1-flood-$r
	run "$1" atcp "$d" || return 1
	c0=$(cpu)
	ip netns exec "$NSA" hping3 -q -S -p 143 -i u10 -c "$FLOOD" "$V" \
	    >/dev/null 2>&1
	settle "$d"
	c1=$(cpu)
	echo "$(( (c1 - c0) * 100000 / FLOOD )) $(getconf CLK_TCK)" >"$d/cpu"
	harness_stop
}

r=0
while [ $r -lt "$ROUNDS" ]; do
	r=$((r + 1))
	for who in sentry portsentry; do
		scan "$who" syn atcp -sS
		scan "$who" fin atcp -sF
		scan "$who" xmas atcp -sX
		scan "$who" null atcp -sN
		scan "$who" connect atcp -sT
		# nmap slows a UDP scan down to minutes on its own.
		scan "$who" udp audp -sU --max-retries 1 --min-rate 3000
		flood "$who"
	done
done

"$PY" - "$T" "$ROUNDS" "$FLOOD" <<'EOF'
import os, re, statistics, sys

top, rounds, flood = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
alert = re.compile(r'^([0-9.]+) .*attackalert: .* to (TCP|UDP) port: (\d+)$')
probe = re.compile(r'^([0-9.]+) IP \S+ > \S+\.(\d+): (tcp|UDP)')

def one(d):
    first = {}
    for line in open(os.path.join(d, "probes")):
        m = probe.match(line)
        if m and 1 <= int(m.group(2)) <= 1023:
            first.setdefault(int(m.group(2)), float(m.group(1)))
    seen = {}
    for line in open(os.path.join(d, "syslog")):
        m = alert.match(line.rstrip("\n"))
        if m:
            seen.setdefault(int(m.group(3)), float(m.group(1)))
    got = [p for p in first if p in seen]
    lat = sorted((seen[p] - first[p]) * 1000 for p in got)
    share = 100.0 * len(got) / len(first) if first else 0.0
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else float("nan")
    return share, statistics.median(lat) if lat else float("nan"), p99

def med(xs):
    xs = [x for x in xs if x == x]
    return statistics.median(xs) if xs else float("nan")

scans = [("syn", "nmap -sS -T5 -p1-1023"), ("fin", "nmap -sF"),
         ("xmas", "nmap -sX"), ("null", "nmap -sN"),
         ("connect", "nmap -sT"), ("udp", "nmap -sU --min-rate 3000")]
print("%-26s %26s   %26s   %s" % ("", "sentry", "portsentry 1.2", "ratio"))
print("%-26s %8s %8s %8s   %8s %8s %8s   %s" % ("scan", "seen", "p50 ms",
      "p99 ms", "seen", "p50 ms", "p99 ms", "seen, p99"))
for key, label in scans:
    res = {}
    for who in ("sentry", "portsentry"):
        runs = [one(os.path.join(top, "%s-%s-%d" % (who, key, i)))
                for i in range(1, rounds + 1)]
        res[who] = [med([x[k] for x in runs]) for k in range(3)]
    s, p = res["sentry"], res["portsentry"]
    print("%-26s %7.1f%% %8.2f %8.2f   %7.1f%% %8.2f %8.2f   %.2fx, %.2f" %
          (label, s[0], s[1], s[2], p[0], p[1], p[2],
           s[0] / p[0] if p[0] else float("inf"),
           s[2] / p[2] if p[2] == p[2] and p[2] else float("nan")))
cpu = {}
for who in ("sentry", "portsentry"):
    xs = []
    for i in range(1, rounds + 1):
        t, hz = open(os.path.join(top, "%s-flood-%d" % (who, i),
                                  "cpu")).read().split()
        xs.append(int(t) / int(hz))
    cpu[who] = med(xs)
seen = {}
for who in ("sentry", "portsentry"):
    xs = []
    for i in range(1, rounds + 1):
        n = sum(1 for l in open(os.path.join(top, "%s-flood-%d" % (who, i),
                                             "syslog"))
                if "scan from host" in l)
        xs.append(100.0 * n / flood)
    seen[who] = med(xs)
print("CPU per 100,000 packets (%d SYN to one port): sentry %.2f s (%.1f%% "
      "reported), portsentry 1.2 %.2f s (%.1f%% reported), ratio %.2f" %
      (flood, cpu["sentry"], seen["sentry"], cpu["portsentry"],
       seen["portsentry"],
       cpu["sentry"] / cpu["portsentry"] if cpu["portsentry"] else float("nan")))
print("(medians of %d rounds on a shared machine)" % rounds)
EOF
