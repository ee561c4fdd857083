#!/usr/bin/env bats
# Host discovery (-sn, -sP, -PE/-PI, -PP, -PM, -PS, -PA, -PU, ARP, -Pn)
# over a namespace lab, nmap 7.93 -sn as the oracle of which hosts are up:
#
#   scanner 192.0.2.1 ---- router 192.0.2.254 | 198.51.100.254 ---- bridge
#   2001:db8:1::1           2001:db8:1::fe    | 2001:db8:2::fe        |
#      198.51.100.2  up: answers everything                           |
#      198.51.100.3  drops ICMP and all TCP but port 80 (a listener)  |
#      198.51.100.4  drops everything                                 |
#      198.51.100.5  drops ICMP and TCP, UDP closed (port unreachable)|
# (IPv6 the same at 2001:db8:2::2-5.)  The rest of 198.51.100.0/24 has no
# host: the router's ARP fails and it answers with host unreachable,
# which must not make those addresses up.  The scanner has no route but
# to the lab.  ARP is tested apart, on a veth Ethernet segment.

load test_helper
load pscan-helper

bats_require_minimum_version 1.5.0

NET=198.51.100
NET6=2001:db8:2:

lab_ns() { # name: a namespace recorded for teardown
	local ns
	ns=$(lab_prefix)$((RANDOM % 10000))$1
	echo "$ns" >>"$BATS_TEST_TMPDIR/.lab"
	ip netns add "$ns" || return 1
	ip -n "$ns" link set lo up
	LAB_NS[$1]=$ns
}

# A veth from namespace $1 (device $2, address $3 and $4) to the router.
lab_link() { # host dev v4/len v6/len router-dev
	ip link add "$2" netns "${LAB_NS[$1]}" type veth peer name "$5" \
	    netns "${LAB_NS[r]}" &&
	lab_host_up "${LAB_NS[$1]}" "$2" "$3" "$4" &&
	ip -n "${LAB_NS[r]}" link set "$5" up
}

discover_lab() {
	local k ns tag=d$((RANDOM % 1000))
	require_root
	require_cmd ip nft python3
	lab_ns s && lab_ns r || return 1
	lab_exec r sysctl -qw net.ipv4.ip_forward=1 \
	    net.ipv6.conf.all.forwarding=1
	lab_link s "${tag}s" 192.0.2.1/24 2001:db8:1::1/64 "${tag}rs"
	lab_exec r ip addr add 192.0.2.254/24 dev "${tag}rs"
	lab_exec r ip -6 addr add 2001:db8:1::fe/64 dev "${tag}rs" nodad
	lab_exec s ip route add "$NET.0/24" via 192.0.2.254
	lab_exec s ip -6 route add "$NET6:/64" via 2001:db8:1::fe
	lab_exec r ip link add "${tag}br" type bridge
	lab_exec r ip link set "${tag}br" up
	lab_exec r ip addr add "$NET.254/24" dev "${tag}br"
	lab_exec r ip -6 addr add "$NET6:fe/64" dev "${tag}br" nodad
	for k in 2 3 4 5; do
		lab_ns "h$k" || return 1
		lab_link "h$k" "${tag}h$k" "$NET.$k/24" "$NET6:$k/64" \
		    "${tag}r$k" || return 1
		lab_exec r ip link set "${tag}r$k" master "${tag}br"
		lab_exec "h$k" ip route add default via "$NET.254"
		lab_exec "h$k" ip -6 route add default via "$NET6:fe"
		# Every test's -PU errors, not the rate limit, are the point.
		lab_exec "h$k" sysctl -qw net.ipv4.icmp_ratelimit=0 \
		    net.ipv6.icmp.ratelimit=0
	done
	# ICMPv6 is dropped but for neighbour discovery, which the router
	# needs to reach the host at all.
	host_fw h3 'meta l4proto icmp drop' 'icmpv6 type echo-request drop' \
	    'tcp dport != 80 drop' 'meta l4proto udp drop'
	host_fw h4 'meta l4proto icmp drop' 'icmpv6 type echo-request drop' \
	    'meta l4proto tcp drop' 'meta l4proto udp drop'
	host_fw h5 'meta l4proto icmp drop' 'icmpv6 type echo-request drop' \
	    'meta l4proto tcp drop'
	daemon_start listen ip netns exec "${LAB_NS[h3]}" python3 \
	    "$TOP_SRCDIR/t/pscan-listen.py" 80
	wait_for_log ready "$BATS_TEST_TMPDIR/listen.log"
}

host_fw() { # host rule...
	local h=$1 r
	shift
	lab_exec "$h" nft add table inet disc
	lab_exec "$h" nft add chain inet disc input \
	    '{ type filter hook input priority 0; policy accept; }'
	for r in "$@"; do
		# shellcheck disable=SC2086
		lab_exec "$h" nft add rule inet disc input $r || return 1
	done
}

# The up hosts of a grepable report on stdin, one a line, sorted.
gnmap_up() {
	awk -F'\t' '$2 == "Status: Up" { split($1, f, " "); print f[2] }' |
	    sort -V
}

# The up hosts by pscan and by nmap (meanwhile, in the background) with
# the same arguments, each as the scanner namespace's user $AS (root
# when empty); both must be want's.
up_both() { # want args...
	local want=$1 got d=$BATS_TEST_TMPDIR as= pid=
	shift
	[ -z "${AS:-}" ] || as="setpriv --reuid=$AS --regid=nogroup --clear-groups --inh-caps=-all"
	if command -v nmap >/dev/null 2>&1; then
		# shellcheck disable=SC2086
		lab_exec s $as nmap -n "$@" -oG - >"$d/n.gnmap" 2>/dev/null \
		    3>&- &
		pid=$!
	fi
	# shellcheck disable=SC2086
	got=$(lab_exec s $as "$PSCAN" -n "$@" -oG - 2>"$d/p.err" | gnmap_up |
	    xargs)
	if [ "$got" != "$want" ]; then
		echo "pscan $*: up: $got; want: $want"
		cat "$d/p.err"
		return 1
	fi
	[ -n "$pid" ] || return 0
	wait "$pid"
	got=$(gnmap_up <"$d/n.gnmap" | xargs)
	if [ "$got" != "$want" ]; then
		echo "nmap $* (the oracle) disagrees: up: $got; want: $want"
		return 1
	fi
}

# One lab for the whole file (it takes seconds to build), shared by the
# tests through a file; the ARP test builds its own.
setup_file() {
	[ "$(id -u)" -eq 0 ] || return 0
	command -v nft >/dev/null 2>&1 || return 0
	BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR discover_lab
	declare -p LAB_NS | sed "s/^declare -A/declare -gA/" \
	    >"$BATS_FILE_TMPDIR/lab"
}

teardown_file() {
	BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR helper_teardown
}

setup() {
	require_root
	require_cmd nft
	# shellcheck disable=SC1091
	. "$BATS_FILE_TMPDIR/lab"
}

@test "-sn and -sP as root: nmap's default probes, echo to ACK 80" {
	# .3 answers only the ACK to 80 (a reset), .5 none of the four.
	up_both "$NET.2 $NET.3" -sn "$NET.2-5"
	run --separate-stderr lab_exec s "$PSCAN" -n -sP "$NET.2-5"
	[ "$status" -eq 0 ]
	grep -qx "pscan scan report for $NET.2" <<<"$output"
	grep -qx "pscan scan report for $NET.3" <<<"$output"
	grep -q '^pscan done: 4 IP addresses (2 hosts up) scanned in ' \
	    <<<"$output"
	! grep -q 'PORT' <<<"$output"
}

@test "-PE and -PI: ICMP echo only" {
	up_both "$NET.2" -sn -PE "$NET.2-5"
	up_both "$NET.2" -sn -PI "$NET.2-5"
}

@test "-PP and -PM: timestamp and address mask requests" {
	# Linux answers a timestamp request, never a mask request.
	up_both "$NET.2" -sn -PP "$NET.2-5"
	up_both "" -sn -PM "$NET.2-5"
}

@test "-PS and -PA with port lists: any answer, SYN/ACK or reset" {
	up_both "$NET.2 $NET.3" -sn -PS "$NET.2-5"
	up_both "$NET.2" -sn -PS443 "$NET.2-5"
	up_both "$NET.2 $NET.3" -sn -PS22,80-81 "$NET.2-5"
	up_both "$NET.2 $NET.3" -sn -PE -PA "$NET.2-5"
	up_both "$NET.2" -sn -PA443 "$NET.2-5"
}

@test "-PU: a closed port's ICMP error from the target proves it up" {
	up_both "$NET.2 $NET.5" -sn -PU "$NET.2-5"
	up_both "$NET.2 $NET.5" -sn -PU53,161 "$NET.2-5"
}

@test "IPv6: echo, SYN and ACK by default, each probe alone" {
	up_both "$NET6:2 $NET6:3" -6 -sn "$NET6:2" "$NET6:3" "$NET6:4" \
	    "$NET6:5"
	up_both "$NET6:2" -6 -sn -PE "$NET6:2" "$NET6:3" "$NET6:4"
	up_both "$NET6:2 $NET6:3" -6 -sn -PS80 "$NET6:2" "$NET6:3" "$NET6:4"
	up_both "$NET6:2 $NET6:5" -6 -sn -PU "$NET6:2" "$NET6:4" "$NET6:5"
}

@test "as an ordinary user: connections to 80 and 443, refused or not" {
	require_cmd setpriv
	AS=nobody up_both "$NET.2 $NET.3" -sn "$NET.2-5"
	AS=nobody up_both "$NET.3" -sn -PS80 "$NET.3-6"
}

@test "a down host: nmap's note, its count, and -v's report" {
	run --separate-stderr lab_exec s "$PSCAN" -n -sS -p 80 "$NET.4"
	[ "$status" -eq 0 ]
	grep -qx 'Note: Host seems down. If it is really up, but blocking our ping probes, try -Pn' \
	    <<<"$output"
	grep -q '^pscan done: 1 IP address (0 hosts up) scanned in ' \
	    <<<"$output"
	run --separate-stderr lab_exec s "$PSCAN" -n -sn -v "$NET.3-4"
	grep -qx "pscan scan report for $NET.4 \[host down\]" <<<"$output"
	grep -q '^pscan done: 2 IP addresses (1 host up) scanned in ' \
	    <<<"$output"
	lab_exec s "$PSCAN" -n -sn -oX "$BATS_TEST_TMPDIR/d.xml" "$NET.3-4" \
	    >/dev/null
	grep -q '<hosts up="1" down="1" total="2"' "$BATS_TEST_TMPDIR/d.xml"
}

@test "-Pn: every host is scanned, the silent one's ports filtered" {
	run --separate-stderr lab_exec s "$PSCAN" -n -Pn -sS -p 80 -oG - \
	    "$NET.4"
	[ "$status" -eq 0 ]
	grep -q $'^Host: '"$NET.4"$' ()\tPorts: 80/filtered/tcp//http///' \
	    <<<"$output"
	! grep -q 'Host seems down' <<<"$output"
}

@test "a /24 sweep: the live hosts and the router, none of the unreachable" {
	up_both "$NET.2 $NET.3 $NET.254" -sn "$NET.0/24"
	run --separate-stderr lab_exec s "$PSCAN" -n -sn "$NET.0/24"
	grep -q '^pscan done: 256 IP addresses (3 hosts up) scanned in ' \
	    <<<"$output"
}

@test "ARP on an Ethernet segment: up whatever the firewall, with its MAC" {
	local d=$BATS_TEST_TMPDIR
	require_root
	require_cmd nft
	lab_pair a b 203.0.113 2001:db8:
	# b answers nothing over IP, but must answer ARP to be reached.
	lab_exec b nft add table inet x
	lab_exec b nft add chain inet x input \
	    '{ type filter hook input priority 0; policy drop; }'
	LAB_NS[s]=${LAB_NS[a]}
	up_both "203.0.113.2" -sn 203.0.113.2-3
	lab_exec a "$PSCAN" -n -sn --packet-trace -oX "$d/a.xml" \
	    203.0.113.2-3 >"$d/trace"
	grep -q '<status state="up" reason="arp-response" reason_ttl="0"/>' \
	    "$d/a.xml"
	grep -q '<address addr="[0-9A-F:]\{17\}" addrtype="mac"/>' "$d/a.xml"
	grep -q '^SENT (.*) ARP who-has 203.0.113.3 tell 203.0.113.1$' \
	    "$d/trace"
	grep -q '^RCVD (.*) ARP reply 203.0.113.2 is-at ' "$d/trace"
	# Without ARP (--disable-arp-ping; --send-ip is the same switch),
	# the IP probes find nothing, as nmap's do.
	lab_exec a "$PSCAN" -n -sn --disable-arp-ping -oX - 203.0.113.2 |
	    grep -q '<hosts up="0" down="1" total="1"'
}
