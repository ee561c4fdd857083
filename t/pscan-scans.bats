#!/usr/bin/env bats
# Every TCP scan type over IPv4 and IPv6 against a target whose listeners
# and firewall give every answer (see pscan-helper.bash): the states must
# be the known truth, and nmap 7.93's, port for port.

load test_helper
load pscan-helper

bats_require_minimum_version 1.5.0

# Scans both families with pscan, and with nmap when it is installed (in
# the background meanwhile: the oracle takes a second or more), and
# compares each with the truth.
scan_both_families() { # scantype
	local t=$1 fam addr six truth got pids= d=$BATS_TEST_TMPDIR
	if command -v nmap >/dev/null 2>&1; then
		lab_exec a nmap $NMAP_FAST -n -Pn "-$t" -p "$PS_PORTS" -oG \
		    "$d/nmap4" "$TGT4" >/dev/null 2>&1 3>&- &
		pids="$!"
		lab_exec a nmap $NMAP_FAST -6 -n -Pn "-$t" -p "$PS_PORTS" -oG \
		    "$d/nmap6" "$TGT6" >/dev/null 2>&1 3>&- &
		pids="$pids $!"
	fi
	for fam in 4 6; do
		if [ $fam = 4 ]; then addr=$TGT4 six=; else addr=$TGT6 six=-6; fi
		truth=$(pscan_truth "$t" $fam)
		got=$(lab_exec a "$PSCAN" $six -n -Pn "-$t" -p "$PS_PORTS" \
		    -oG - "$addr" 2>/dev/null | gnmap_ports)
		states_agree "pscan -$t IPv$fam" "$truth" "$got" || return 1
	done
	[ -n "$pids" ] || return 0
	# shellcheck disable=SC2086
	wait $pids
	for fam in 4 6; do
		truth=$(pscan_truth "$t" $fam)
		got=$(gnmap_ports <"$d/nmap$fam")
		# When the ICMPv6 error reaches the socket while connect(2)
		# still holds it, Linux keeps it as a soft error that only
		# SO_ERROR shows: pscan reads it at the timeout, nmap does
		# not, and calls the port filtered when that race goes so.
		if [ "$t" = sT ] && [ $fam = 6 ]; then
			got=$(sed 's,^1002/filtered$,1002/closed,' <<<"$got")
		fi
		states_agree "nmap -$t IPv$fam (the oracle) disagrees" \
		    "$truth" "$got" || return 1
	done
}

setup() {
	pscan_lab
}

@test "-sS: SYN/ACK open, reset closed, ICMP and silence filtered" {
	scan_both_families sS
}

@test "-sT: connect as nmap reads it, port unreachable closed" {
	scan_both_families sT
}

@test "-sF: reset closed, silence open|filtered, ICMP filtered" {
	scan_both_families sF
}

@test "-sX: as -sF" {
	scan_both_families sX
}

@test "-sN: as -sF" {
	scan_both_families sN
}

@test "-sA: reset unfiltered, ICMP and silence filtered" {
	scan_both_families sA
}

@test "reasons and their TTLs are nmap's for each answer" {
	require_cmd nmap
	local t ours theirs
	for t in sS sT sA; do
		ours=$(lab_exec a "$PSCAN" -n -Pn "-$t" -p "$PS_PORTS" -oX - \
		    "$TGT4" 2>/dev/null | xml_ports)
		theirs=$(lab_exec a nmap $NMAP_FAST -n -Pn "-$t" -p "$PS_PORTS" -oX - \
		    "$TGT4" 2>/dev/null | xml_ports)
		[ -n "$ours" ]
		diff <(echo "$theirs") <(echo "$ours")
	done
	echo "$ours" | grep -qx '1002/filtered/port-unreach'
	echo "$ours" | grep -qx '1003/filtered/admin-prohibited'
	lab_exec a "$PSCAN" -n -Pn -sS -p 22,1000,1004 --reason "$TGT4" \
	    >"$BATS_TEST_TMPDIR/out" 2>/dev/null
	grep -Eq '^22/tcp +open +ssh +syn-ack ttl 64$' "$BATS_TEST_TMPDIR/out"
	grep -Eq '^1000/tcp +filtered .* no-response$' "$BATS_TEST_TMPDIR/out"
	grep -Eq '^1004/tcp +filtered .* host-unreach ttl 64$' \
	    "$BATS_TEST_TMPDIR/out"
}

@test "IPv4 and IPv6 targets in one run, IPv6 literals without -6" {
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sS -p 22,23 -oG - \
	    "$TGT4" "$TGT6"
	[ "$status" -eq 0 ]
	[ "$(grep -c 'Ports: 22/open/tcp//ssh///, 23/closed/tcp//telnet///' \
	    <<<"$output")" -eq 2 ]
	grep -q "^Host: $TGT6 ()" <<<"$output"
}

@test "every port of a host: each state exact, all 65535 of them" {
	# The truth: 3 open, 4 filtered (listed), 65528 closed (folded).
	lab_exec a "$PSCAN" -n -Pn -sS -p- -oG - "$TGT4" \
	    >"$BATS_TEST_TMPDIR/g" 2>/dev/null
	diff <(printf '%s\n' 22/open 80/open 443/open 1000/filtered \
	    1002/filtered 1003/filtered 1004/filtered) \
	    <(gnmap_ports <"$BATS_TEST_TMPDIR/g")
	grep -q 'Ignored State: closed (65528)' "$BATS_TEST_TMPDIR/g"
}

@test "a firewall that drops all but a few ports: silence is filtered" {
	lab_exec b nft add rule inet pscantest input \
	    'tcp dport != { 22, 80, 1001 } drop'
	lab_exec a "$PSCAN" -n -Pn -sS -p 1-3000 -oG - "$TGT4" \
	    >"$BATS_TEST_TMPDIR/g" 2>/dev/null
	diff <(printf '%s\n' 22/open 80/open 1001/closed) \
	    <(gnmap_ports <"$BATS_TEST_TMPDIR/g")
	grep -q 'Ignored State: filtered (2997)' "$BATS_TEST_TMPDIR/g"
}

@test "a scan of our own address: our probes coming back are not answers" {
	local a=${LAB_IP4[a]}
	daemon_start selflisten ip netns exec "${LAB_NS[a]}" python3 \
	    "$TOP_SRCDIR/t/pscan-listen.py" 2222
	wait_for_log ready "$BATS_TEST_TMPDIR/selflisten.log"
	for t in sS sT; do
		run --separate-stderr lab_exec a "$PSCAN" -n -Pn "-$t" \
		    -p 2220-2225 -oG - 127.0.0.1 "$a" ::1
		[ "$status" -eq 0 ]
		[ "$(grep -c 'Ports: 2220/closed/tcp//[^/]*///, 2221/closed/tcp//[^/]*///, 2222/open/tcp' \
		    <<<"$output")" -eq 3 ]
	done
}

@test "a TCP self-connect on loopback is no open port" {
	# With one ephemeral port, a connect to that port from this host
	# connects the socket to itself (a simultaneous open).
	lab_exec a sysctl -qw net.ipv4.ip_local_port_range="40000 40000"
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sT -p 40000,40001 \
	    --reason -oG - 127.0.0.1 ::1
	[ "$status" -eq 0 ]
	[ "$(grep -c 'Ports: 40000/closed/tcp//[^/]*///, 40001/closed' \
	    <<<"$output")" -eq 2 ]
}
