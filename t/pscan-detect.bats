#!/usr/bin/env bats
# pscan's detection: -O's family guess on the Linux host itself and on
# namespaces whose sysctls imitate other stacks, its thin-evidence
# message; -sV against small banner servers (SSH, SMTP, FTP, HTTP, a
# silent one, a hostile one); -sR against rpcbind (run unpacked, inside
# a namespace) and small RPC servers, a hostile portmapper among them;
# the findings in -oN, -oG and -oX, and nmap's where it is right.

load test_helper
load pscan-helper

bats_require_minimum_version 1.5.0

# A target namespace b, scanned from a, listening on 22, with each
# sysctl=value given set in b; skips when one is not kept per network
# namespace (the kernel then hides it from other namespaces, and setting
# it would change the whole machine).
os_lab() {
	local kv key
	require_root
	require_cmd ip python3
	lab_pair a b 192.0.2 2001:db8:
	for kv in "$@"; do
		key=${kv%%=*}
		lab_exec b test -w "/proc/sys/${key//.//}" ||
		    skip "$key is not per network namespace on this kernel"
		lab_exec b sysctl -qw "$kv"
	done
	daemon_start listen ip netns exec "${LAB_NS[b]}" python3 \
	    "$TOP_SRCDIR/t/pscan-listen.py" 22
	wait_for_log ready "$BATS_TEST_TMPDIR/listen.log"
	TGT4=${LAB_IP4[b]}
}

# -O -v of b's ports 22 (open) and 23 (closed), normal output.
os_scan() {
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -O -v -p 22,23 \
	    "$@" "$TGT4"
	[ "$status" -eq 0 ]
}

@test "-O: the Linux host itself over loopback, 0 hops, no version" {
	require_root
	local port
	port=$(free_port)
	daemon_start listen python3 "$TOP_SRCDIR/t/pscan-listen.py" "$port"
	wait_for_log ready "$BATS_TEST_TMPDIR/listen.log"
	run --separate-stderr "$PSCAN" -n -O -v -p "$port,$((port + 1))" \
	    127.0.0.1
	[ "$status" -eq 0 ]
	grep -qx 'Running (JUST GUESSING): Linux ([0-9]*%)' <<<"$output"
	grep -qx 'Device type: general purpose' <<<"$output"
	grep -qx 'Network Distance: 0 hops' <<<"$output"
	grep -q '^OS evidence: initial TTL 64 .*SYN/ACK options MSS,SACK,TS,NOP,WS (Linux)' \
	    <<<"$output"
	grep -qx 'OS details: Linux, version unknown (.*)' <<<"$output"
	! grep -q 'Warning: OSScan results may be unreliable' <<<"$output"
	! grep -q 'Discovered open port [0-9]/tcp' <<<"$output"
}

@test "-O: a Linux neighbour, 1 hop; nmap agrees on the family" {
	os_lab
	os_scan -oX "$BATS_TEST_TMPDIR/o.xml"
	grep -qx 'Running (JUST GUESSING): Linux ([0-9]*%)' <<<"$output"
	grep -qx 'Network Distance: 1 hop' <<<"$output"
	grep -q '<osclass type="general purpose" vendor="Linux" osfamily="Linux"' \
	    "$BATS_TEST_TMPDIR/o.xml"
	grep -q '<distance value="1"/>' "$BATS_TEST_TMPDIR/o.xml"
	require_cmd nmap xmllint
	xmllint --noout --dtdvalid "$(pscan_dtd)" "$BATS_TEST_TMPDIR/o.xml"
	lab_exec a nmap -n -Pn -O -p 22,23 -oX "$BATS_TEST_TMPDIR/n.xml" \
	    "$TGT4" >/dev/null
	grep -q 'osfamily="Linux"' "$BATS_TEST_TMPDIR/n.xml"
	grep -q '<distance value="1"/>' "$BATS_TEST_TMPDIR/n.xml"
}

@test "-O: a Linux stack with Windows's TTL stays Linux by its options" {
	os_lab net.ipv4.ip_default_ttl=128
	os_scan
	grep -q 'initial TTL 128 (Windows)' <<<"$output"
	grep -q 'SYN/ACK options MSS,SACK,TS,NOP,WS (Linux)' <<<"$output"
	grep -qx 'Running (JUST GUESSING): Linux ([0-9]*%)' <<<"$output"
	grep -qx 'Network Distance: 1 hop' <<<"$output"
}

@test "-O: TTL 255 and a bare MSS option point to a router, not Linux" {
	os_lab net.ipv4.ip_default_ttl=255 net.ipv4.tcp_timestamps=0 \
	    net.ipv4.tcp_sack=0 net.ipv4.tcp_window_scaling=0
	os_scan
	grep -q 'initial TTL 255 (network equipment)' <<<"$output"
	grep -q 'SYN/ACK options MSS (Linux, network equipment)' <<<"$output"
	! grep -q 'window scale' <<<"$output"
	# Linux's window and DF still argue against a router: no guess.
	grep -q '; window 64240; DF set' <<<"$output"
	! grep -q '^Running' <<<"$output"
	grep -qx 'No OS family guess: the answers match no family well enough' \
	    <<<"$output"
}

@test "-O: ... and without DF too, network equipment" {
	require_cmd nft
	os_lab net.ipv4.ip_default_ttl=255 net.ipv4.tcp_timestamps=0 \
	    net.ipv4.tcp_sack=0 net.ipv4.tcp_window_scaling=0
	# Linux sets DF on a SYN/ACK whatever ip_no_pmtu_disc says: nft
	# clears it, as many routers leave it clear.
	lab_exec b nft -f - <<'EOF'
table ip pscantest {
	chain output {
		type filter hook output priority 0;
		tcp sport 22 ip frag-off set 0
	}
}
EOF
	os_scan
	grep -q '; DF clear' <<<"$output"
	grep -qx 'Device type: router|switch|firewall' <<<"$output"
	grep -qx 'Running (JUST GUESSING): network equipment ([0-9]*%)' \
	    <<<"$output"
}

@test "-O: without timestamps and SACK, Linux's own option layout" {
	os_lab net.ipv4.tcp_timestamps=0 net.ipv4.tcp_sack=0
	os_scan
	grep -q 'SYN/ACK options MSS,NOP,WS (Linux, BSD or macOS, Windows)' \
	    <<<"$output"
	# Too little to tell Linux from BSD: no guess rather than a wrong one.
	! grep -q '^Running' <<<"$output"
	grep -qx 'No OS family guess: the answers match no family well enough' \
	    <<<"$output"
}

@test "-O: thin evidence is said, with nmap's warning" {
	os_lab
	# No open port: only the reset and the echo reply.
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -O -v -p 23 "$TGT4"
	[ "$status" -eq 0 ]
	grep -qx 'Warning: OSScan results may be unreliable because we could not find at least 1 open and 1 closed port' \
	    <<<"$output"
	grep -qx 'Too little evidence for an OS guess: no open TCP port answered its SYN' \
	    <<<"$output"
	! grep -q '^Running' <<<"$output"
	# Nothing answers at all.
	lab_exec b ip link set "${LAB_IF[b]}" down
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -O -p 22 \
	    --max-retries 0 "$TGT4"
	[ "$status" -eq 0 ]
	grep -qx 'Too little evidence for an OS guess: no answer to the OS probes' \
	    <<<"$output"
}

@test "-O needs raw sockets: refused as an ordinary user" {
	require_root
	require_cmd setpriv
	run --separate-stderr setpriv --reuid=65534 --regid=65534 \
	    --clear-groups "$PSCAN" -O -p 22 127.0.0.1
	[ "$status" -eq 1 ]
	[ -n "$stderr" ]
}
