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

# /usr/bin/time, for the memory a run used (Debian's package time).
require_time() {
	[ -x /usr/bin/time ] || skip "needs /usr/bin/time (package time)"
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
	# IPv6 has no DF bit to read.
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -O -v -p 22,23 \
	    "${LAB_IP6[b]}"
	[ "$status" -eq 0 ]
	grep -qx 'Running (JUST GUESSING): Linux ([0-9]*%)' <<<"$output"
	grep -q '^OS evidence: initial TTL 64 ' <<<"$output"
	! grep -q 'DF' <<<"$output"
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

# --- -sV ------------------------------------------------------------------

# Namespace b runs the banner servers on these ports; 23 is closed.
SV_PORTS=21,22,23,25,80,81,666

sv_lab() {
	require_root
	require_cmd ip python3
	lab_pair a b 192.0.2 2001:db8:
	daemon_start banner ip netns exec "${LAB_NS[b]}" python3 \
	    "$TOP_SRCDIR/t/pscan-banner.py" 21:ftp 22:ssh 25:smtp 80:http \
	    81:silent 666:hostile
	wait_for_log ready "$BATS_TEST_TMPDIR/banner.log"
	TGT4=${LAB_IP4[b]}
}

@test "-sV: greetings and a HEAD answer fill SERVICE and VERSION" {
	sv_lab
	local o=$BATS_TEST_TMPDIR
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sV -p "$SV_PORTS" \
	    -oN "$o/s.nmap" -oG "$o/s.gnmap" -oX "$o/s.xml" "$TGT4"
	[ "$status" -eq 0 ]
	grep -Eqx '21/tcp +open +ftp +vsFTPd 3\.0\.3' "$o/s.nmap"
	grep -Eqx '22/tcp +open +ssh +OpenSSH 9\.2p1 Debian-2\+deb12u3 \(protocol 2\.0\)' \
	    "$o/s.nmap"
	grep -Eqx '23/tcp +closed +telnet' "$o/s.nmap"
	grep -Eqx '25/tcp +open +smtp +Postfix \(Debian/GNU\)' "$o/s.nmap"
	grep -Eqx '80/tcp +open +http +nginx 1\.22\.1' "$o/s.nmap"
	# Silent: the table's name, marked as nmap marks it.
	grep -Eqx '81/tcp +open +hosts2-ns\?' "$o/s.nmap"
	grep -qx 'Service Info: Host: mail.example.org' "$o/s.nmap"
	grep -q '22/open/tcp//ssh//OpenSSH 9.2p1 Debian-2+deb12u3 (protocol 2.0)/' \
	    "$o/s.gnmap"
	grep -q '25/open/tcp//smtp//Postfix (Debian|GNU)/' "$o/s.gnmap"
	grep -q '<service name="ssh" product="OpenSSH" version="9.2p1 Debian-2+deb12u3" extrainfo="protocol 2.0" method="probed" conf="10"/>' \
	    "$o/s.xml"
	grep -q '<service name="hosts2-ns" method="table" conf="3"/>' "$o/s.xml"
	require_cmd xmllint
	xmllint --noout --dtdvalid "$(pscan_dtd)" "$o/s.xml"
}

@test "-sV: a hostile banner is escaped and bounded in every report" {
	require_time
	sv_lab
	local o=$BATS_TEST_TMPDIR f
	run --separate-stderr lab_exec a /usr/bin/time -f 'rss %M' \
	    "$PSCAN" -n -Pn -sV -p 666 -oN "$o/h.nmap" -oG "$o/h.gnmap" \
	    -oX "$o/h.xml" "$TGT4"
	[ "$status" -eq 0 ]
	grep -Eq '^666/tcp +open +ssh +Evil\\x1b\[2J\\x1b\]0;owned\\x07\\x08\\x7f\\x9b31m' \
	    <<<"$output"
	for f in "$o/h.nmap" "$o/h.gnmap" "$o/h.xml" /dev/stdin; do
		! LC_ALL=C grep -q '[[:cntrl:]]' <(tr -d '\n\t' <"$f")
		[ "$(wc -L <"$f")" -lt 1024 ]
	done <<<"$output"
	require_cmd xmllint
	xmllint --noout --dtdvalid "$(pscan_dtd)" "$o/h.xml"
	# A megabyte was offered; a few kilobytes were kept.
	[ "$(sed -n 's/^rss //p' <<<"$stderr")" -lt 65536 ]
}

@test "-sV: nmap names the same services and products" {
	require_cmd nmap
	sv_lab
	local o=$BATS_TEST_TMPDIR
	lab_exec a "$PSCAN" -n -Pn -sV -p 21,22,25,80 -oX "$o/p.xml" \
	    "$TGT4" >/dev/null
	lab_exec a nmap -n -Pn -sV -p 21,22,25,80 -oX "$o/n.xml" \
	    "$TGT4" >/dev/null
	sv_fields <"$o/p.xml" >"$o/p.txt"
	sv_fields <"$o/n.xml" >"$o/n.txt"
	diff -u "$o/n.txt" "$o/p.txt"
}

# "port name product-word version-word", lowercase, of an XML report:
# nmap words a product its way ("Postfix smtpd", "vsftpd", a Debian
# revision after a blank); the banner's first words agree.
sv_fields() {
	sed -n 's/.*portid="\([0-9]*\)".*<service name="\([^"]*\)"\(.*\)/\1 \2 \3/p' |
	    while read -r port name rest; do
		prod=$(sed -n 's/.*product="\([^" ]*\).*/\1/p' <<<"$rest")
		ver=$(sed -n 's/.*version="\([^" ]*\).*/\1/p' <<<"$rest")
		echo "$port $name ${prod,,} $ver"
	    done
}

# --- -sR ------------------------------------------------------------------

# Namespace b runs rpcbind (from its Debian package, unpacked unless
# installed; /run a tmpfs of b's own, so that the machine's rpcbind is
# left alone), mountd-like program 100005 versions 1-3 on 20048 that
# registers with it, status-like 100024 version 1 on 32765 that does not,
# and a hostile server on 32766.
rpc_lab() {
	require_root
	require_cmd ip python3
	anchor_path RPCBIND rpcbind sbin/rpcbind
	lab_pair a b 192.0.2 2001:db8:
	# shellcheck disable=SC2016
	daemon_start rpcbind ip netns exec "${LAB_NS[b]}" sh -c \
	    'mount -t tmpfs tmpfs /run && eval "$1" && exec "$0" -f' \
	    "$RPCBIND" "$RPC_USER_SH"
	wait_for_cmd 10 lab_exec b sh -c 'ss -Hltn "sport = :111" | grep -q .'
	rpcserv mountd 20048 100005 1 3 register
	rpcserv status 32765 100024 1 1
	rpcserv hostile 32766 100000 2 4 hostile
	TGT4=${LAB_IP4[b]}
}

rpcserv() { # name port prog low high [register|hostile]
	daemon_start "$1" ip netns exec "${LAB_NS[b]}" python3 \
	    "$TOP_SRCDIR/t/pscan-rpcserv.py" "${@:2}"
	wait_for_log ready "$BATS_TEST_TMPDIR/$1.log"
}

@test "-sR: rpcbind's DUMP and NULL calls name the programs, as nmap" {
	rpc_lab
	local o=$BATS_TEST_TMPDIR
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sR -sS -sU \
	    -p T:111,20048,32765,32766,U:111,20048,32765 --reason \
	    -oN "$o/r.nmap" -oG "$o/r.gnmap" -oX "$o/r.xml" "$TGT4"
	[ "$status" -eq 0 ]
	grep -Eqx '111/tcp +open +rpcbind +syn-ack ttl 64 +2-4 \(RPC #100000\)' \
	    "$o/r.nmap"
	grep -Eqx '20048/tcp +open +mountd +syn-ack ttl 64 +1-3 \(RPC #100005\)' \
	    "$o/r.nmap"
	# Not registered: found by NULL calls.
	grep -Eqx '32765/tcp +open +status +syn-ack ttl 64 +1 \(RPC #100024\)' \
	    "$o/r.nmap"
	# Hostile: endless fragments, given up.
	grep -Eqx '32766/tcp +open +unknown +syn-ack ttl 64' "$o/r.nmap"
	grep -Eqx '111/udp +open +rpcbind +udp-response ttl 64 +2-4 \(RPC #100000\)' \
	    "$o/r.nmap"
	# Silent to the scan's datagram, listed by rpcbind, answers a call.
	grep -Eqx '20048/udp +open +mountd +udp-response +1-3 \(RPC #100005\)' \
	    "$o/r.nmap"
	grep -q '20048/open/tcp//mountd//1-3 (RPC #100005)/' "$o/r.gnmap"
	grep -q '<port protocol="tcp" portid="20048">.*<service name="mountd" version="1-3" extrainfo="RPC #100005" proto="rpc" rpcnum="100005" lowver="1" highver="3" method="probed" conf="10"/>' \
	    "$o/r.xml"
	require_cmd xmllint
	xmllint --noout --dtdvalid "$(pscan_dtd)" "$o/r.xml"
	# nmap says the same of these (and of the other TCP ports, but waits
	# a long time for their greeting first).
	require_cmd nmap
	lab_exec a nmap -n -Pn -sV -sS -sU -p T:111,U:111,20048 \
	    -oX "$o/n.xml" "$TGT4" >/dev/null
	rpc_fields <"$o/r.xml" | grep -E '^(111 tcp|111 udp|20048 udp) ' \
	    >"$o/p.txt"
	rpc_fields <"$o/n.xml" >"$o/n.txt"
	diff -u "$o/n.txt" "$o/p.txt"
	# A FIN scan's open|filtered TCP port is left as the scan says,
	# though the portmapper (asked over UDP) lists it.
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sF -sU -sR \
	    -p T:20048,U:111 "$TGT4"
	[ "$status" -eq 0 ]
	grep -Eqx '20048/tcp +open\|filtered +mountd' <<<"$output"
	grep -Eqx '111/udp +open +rpcbind +2-4 \(RPC #100000\)' <<<"$output"
}

# "port proto state name version extrainfo" of an XML report.
rpc_fields() {
	sed -n 's/.*protocol="\([a-z]*\)" portid="\([0-9]*\)"><state state="\([^"]*\)".*<service name="\([^"]*\)"\(.*\)/\2 \1 \3 \4 \5/p' |
	    while read -r port proto state name rest; do
		ver=$(sed -n 's/.* version="\([^"]*\)".*/\1/p' <<<"$rest")
		extra=$(sed -n 's/.* extrainfo="\([^"]*\)".*/\1/p' <<<"$rest")
		echo "$port $proto $state $name $ver $extra"
	    done
}

@test "-sR: a hostile portmapper cannot stall the scan or grow its memory" {
	require_root
	require_time
	require_cmd ip python3
	lab_pair a b 192.0.2 2001:db8:
	# Over TCP endless fragments; over UDP a DUMP of 3000 entries.
	rpcserv pmap 111 100000 2 4 hostile
	run --separate-stderr lab_exec a /usr/bin/time -f 'rss %M' \
	    "$PSCAN" -n -Pn -sR -sS -sU -p T:111,U:111 "${LAB_IP4[b]}"
	[ "$status" -eq 0 ]
	# TCP's DUMP given up; UDP's read, its first 1024 entries kept.
	grep -Eqx '111/tcp +open +rpcbind +2 \(RPC #100000\)' <<<"$output"
	grep -Eqx '111/udp +open +rpcbind' <<<"$output"
	[ "$(sed -n 's/^rss //p' <<<"$stderr")" -lt 65536 ]
}
