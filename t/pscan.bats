#!/usr/bin/env bats
# pscan's command line: help, bad targets, bad port lists and bad values
# (each message asserted), privileges, and scans of loopback that need
# no namespace.

load test_helper

bats_require_minimum_version 1.5.0

# pscan with the arguments; $status, $output (stdout), $stderr.  Where
# the system allows it, in a network namespace of its own with nothing
# but a loopback interface, so that a target accepted by mistake is
# never probed.
ps() {
	if [ -z "${ISOLATE+x}" ]; then
		ISOLATE=
		if unshare -n true 2>/dev/null; then
			ISOLATE="unshare -n"
		elif unshare -rn true 2>/dev/null; then
			ISOLATE="unshare -rn"
		fi
	fi
	# shellcheck disable=SC2086
	run --separate-stderr $ISOLATE "$PSCAN" "$@"
}

@test "-h and no argument print the summary with the legal warning" {
	ps -h
	[ "$status" -eq 0 ]
	grep -q '^Usage: pscan' <<<"$output"
	grep -q 'not authorized to scan is wrong and may be' <<<"$output"
	# The man page says it too, in bold, before anything else.
	[ "$(grep -n '^\.Sy Scanning hosts you are not authorized to scan is wrong and may be$' \
	    "$TOP_SRCDIR/man/pscan.1" | cut -d: -f1)" -lt \
	    "$(grep -n '^\.Sh PORT STATES' "$TOP_SRCDIR/man/pscan.1" | cut -d: -f1)" ]
	ps
	[ "$status" -eq 0 ]
	grep -q '^Usage: pscan' <<<"$output"
	ps -V
	[ "$status" -eq 0 ]
	[ "$output" = "pscan version 0.1 (auditkit)" ]
}

@test "an unknown option or a missing argument is a usage error (255)" {
	ps --frobnicate 127.0.0.1
	[ "$status" -eq 255 ]
	[ "${stderr%%$'\n'*}" = "pscan: unrecognized option '--frobnicate'" ]
	ps -sS -p
	[ "$status" -eq 255 ]
	grep -q "option '-p' requires an argument" <<<"$stderr"
	ps --min-rate
	[ "$status" -eq 255 ]
	grep -q "option '--min-rate' requires an argument" <<<"$stderr"
	ps -sQ 127.0.0.1
	[ "$status" -eq 255 ]
	grep -q "unknown scan type -sQ" <<<"$stderr"
}

@test "bad targets: each is named with what is wrong, nothing is sent" {
	local t msg
	while IFS='|' read -r t msg; do
		ps -sT -Pn -p 22 "$t"
		[ "$status" -eq 1 ]
		[ "$stderr" = "pscan: invalid target '$t': $msg" ] || {
			echo "$t: $stderr"
			return 1
		}
		[ -z "$output" ]
	done <<'EOF'
192.0.2.300|octet 300 out of range (0-255)
192.0.2.1-300|octet 300 out of range (0-255)
192.0.2.0/33|prefix length 33 out of range (0-32)
192.0.2.9-3|range 9-3 is backwards
192.0.2|expected 4 octets, got 3
192.0.2.1-5/24|octet ranges cannot be combined with a prefix length
2001:db8::/64|2^64 addresses, more than the limit of 16777216
10.0.0.0/7|33554432 addresses, more than the limit of 16777216
host_name!|not an address, a network or a host name
EOF
}

@test "a bad word in -iL is reported with its file and line" {
	printf '127.0.0.1 # fine\n\n127.0.0.2 127.0.0.256\n' \
	    >"$BATS_TEST_TMPDIR/list"
	ps -sT -Pn -n -p 9 -iL "$BATS_TEST_TMPDIR/list" \
	    -oX "$BATS_TEST_TMPDIR/x"
	[ "$status" -eq 1 ]
	grep -qx "pscan: $BATS_TEST_TMPDIR/list:3: invalid target '127.0.0.256': octet 256 out of range (0-255)" \
	    <<<"$stderr"
	# The XML is closed, saying why.
	grep -q 'exit="error" errormsg="bad target list"' "$BATS_TEST_TMPDIR/x"
	ps -sT -Pn -p 22 -iL "$BATS_TEST_TMPDIR/none"
	[ "$status" -eq 1 ]
	[ "$stderr" = "pscan: $BATS_TEST_TMPDIR/none: No such file or directory" ]
	ps -sT -Pn -p 22 --excludefile "$BATS_TEST_TMPDIR/none" 127.0.0.1
	[ "$status" -eq 1 ]
	[ "$stderr" = "pscan: $BATS_TEST_TMPDIR/none: No such file or directory" ]
}

@test "bad port lists: each is named with what is wrong" {
	local p msg
	while IFS='|' read -r p msg; do
		ps -sT -Pn -p "$p" 127.0.0.1
		[ "$status" -eq 1 ]
		[ "$stderr" = "pscan: invalid port list '$p': $msg" ] || {
			echo "$p: $stderr"
			return 1
		}
	done <<'EOF'
99999|port 99999 out of range (1-65535)
0|port 0 out of range (1-65535)
5-1|range 5-1 is backwards
1,,2|empty element
22,|trailing comma
T:|no ports after 'T:'
X:22|unknown protocol prefix 'X:' (use T:, U: or S:)
nosuchservice|no tcp service named 'nosuchservice'
zz*|no tcp service matches 'zz*'
EOF
	ps -sT -Pn -p U:53 127.0.0.1
	[ "$status" -eq 1 ]
	grep -q "the port list has UDP ports, but no UDP scan was asked for (-sU)" \
	    <<<"$stderr"
	grep -q "invalid port list 'U:53': no ports of a protocol being scanned" \
	    <<<"$stderr"
}

@test "bad option values: each is named, exit 1" {
	local args msg
	while IFS='|' read -r args msg; do
		# shellcheck disable=SC2086
		ps $args 127.0.0.1
		[ "$status" -eq 1 ]
		[ "$stderr" = "pscan: $msg" ] || {
			echo "$args: $stderr"
			return 1
		}
	done <<'EOF'
--min-rate 0|--min-rate: invalid rate '0' (a number of probes per second above 0)
--max-rate fast|--max-rate: invalid rate 'fast' (a number of probes per second above 0)
--max-retries 99|--max-retries: value '99' is too large (0-50)
--host-timeout 5x|--host-timeout: invalid time '5x' (units are ms, s, m and h)
-T9|-T: unknown timing template '9' (0-5, or paranoid, sneaky, polite, normal, aggressive, insane)
--shard 3/2|--shard: invalid slice '3/2' (I/N with 1 <= I <= N, such as 2/4)
--min-rtt-timeout 2s --max-rtt-timeout 1s|--min-rtt-timeout (2000 ms) is above --max-rtt-timeout (1000 ms)
--min-rate 100 --max-rate 10|--min-rate (100) is above --max-rate (10)
--top-ports 0|--top-ports: value '0' is too small (1-65535)
-sS -sT|only one TCP scan type at a time (-sT, -sS, -sF, -sX, -sN or -sA)
-sZ|-sZ is not supported by this version of pscan
-PO|-PO: this discovery probe is not supported by this version of pscan
EOF
}

@test "a name that does not resolve is a warning, as in nmap" {
	# In a namespace without a route, so that no query leaves.
	lab_pair a b
	run --separate-stderr lab_exec a "$PSCAN" -sT -Pn -p 22 -oG - \
	    no-such-host.invalid
	[ "$status" -eq 0 ]
	grep -q 'Failed to resolve "no-such-host.invalid"' <<<"$stderr"
	grep -q 'No targets were specified, so 0 hosts scanned' <<<"$stderr"
	grep -q '^# pscan done .* 0 IP addresses (0 hosts up)' <<<"$output"
}

@test "without -Pn, our own address is up unprobed, as nmap says" {
	ps -sT -p 1 -oX - 127.0.0.1
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	grep -q '<status state="up" reason="localhost-response"' <<<"$output"
	ps -sT -Pn -p 1 -oX - 127.0.0.1
	[ -z "$stderr" ]
	grep -q '<status state="up" reason="user-set"' <<<"$output"
}

@test "raw scans as an ordinary user: refused, saying what they need" {
	require_root
	require_cmd setpriv
	run --separate-stderr setpriv --reuid=nobody --regid=nogroup \
	    --clear-groups --inh-caps=-all "$PSCAN" -sS -Pn -p 22 127.0.0.1
	[ "$status" -eq 1 ]
	grep -q 'raw scans need root, or CAP_NET_RAW and CAP_NET_ADMIN; -sT does not' \
	    <<<"$stderr"
	# The default scan falls back to -sT, which needs nothing.
	run --separate-stderr setpriv --reuid=nobody --regid=nogroup \
	    --clear-groups --inh-caps=-all "$PSCAN" -Pn -p 1 -oX - 127.0.0.1
	[ "$status" -eq 0 ]
	grep -q 'scaninfo type="connect"' <<<"$output"
}

@test "pscan refuses to run set-user-ID" {
	require_root
	require_cmd setpriv
	cp "$PSCAN" "$BATS_TEST_TMPDIR/pscan-suid"
	chmod 4755 "$BATS_TEST_TMPDIR/pscan-suid"
	run --separate-stderr setpriv --reuid=nobody --regid=nogroup \
	    --clear-groups "$BATS_TEST_TMPDIR/pscan-suid" -sT -p 1 127.0.0.1
	# A nosuid file system runs it as nobody, which is fine too.
	if [ "$status" -ne 0 ]; then
		[ "$status" -eq 1 ]
		grep -q 'refusing to run set-user-ID or set-group-ID' \
		    <<<"$stderr"
	fi
	! grep -rqs 'chmod.*[+u]s\|4755' "$TOP_SRCDIR/Makefile.am"
}

@test "-sT of loopback: listeners open, the rest closed, no root needed" {
	local p1 p2 p3
	p1=$(free_port) p2=$(free_port) p3=$(free_port)
	daemon_start l1 python3 "$TOP_SRCDIR/t/pscan-listen.py" "$p1" "$p2"
	wait_for_log ready "$BATS_TEST_TMPDIR/l1.log"
	run --separate-stderr "$PSCAN" -sT -Pn -n -p "$p1,$p2,$p3" -oG - \
	    127.0.0.1 ::1
	[ "$status" -eq 0 ]
	[ "$(grep -c "Ports: .*$p1/open/tcp.*$p3/closed/tcp" <<<"$output")" \
	    -eq 2 ] || [ "$(grep -c "Ports: .*$p3/closed/tcp.*$p1/open/tcp" \
	    <<<"$output")" -eq 2 ]
	[ "$(grep -c "$p2/open/tcp" <<<"$output")" -eq 2 ]
}

@test "-F, the default and --top-ports take nmap's most common ports" {
	ps -sT -Pn -n -F -oX - 127.0.0.1
	grep -q 'numservices="100" services="7,9,13,21-23,25-26,37,53,79-81,88,106,110-111,113,119,135,139,143-144,179,199,389,427,443-445,465,513-515,543-544,548,554,587,631,646,873,990,993,995,1025-1029,1110,1433,1720,1723,1755,1900,2000-2001,2049,2121,2717,3000,3128,3306,3389,3986,4899,5000,5009,5051,5060,5101,5190,5357,5432,5631,5666,5800,5900,6000-6001,6646,7070,8000,8008-8009,8080-8081,8443,8888,9100,9999-10000,32768,49152-49157"' \
	    <<<"$output"
	ps -sT -Pn -n -oX - 127.0.0.1
	grep -q 'numservices="1000" services="1,3-4,6-7,9,13,17,19-26,30,' \
	    <<<"$output"
	ps -sT -Pn -n --top-ports 5 -oX - 127.0.0.1
	grep -q 'numservices="5" services="21-23,80,443"' <<<"$output"
	# Among the -p ports when both are given.
	ps -sT -Pn -n --top-ports 2 -p 1-100 -oX - 127.0.0.1
	grep -q 'numservices="2" services="23,80"' <<<"$output"
}

@test "port lists: ranges, names, patterns, prefixes as nmap reads them" {
	require_cmd nmap
	local p ours theirs
	for p in 'ssh,http*' '[1-30]' '-25' '65530-' 'T:22-25,U:53,80' \
	    'ftp,domain,1-5'; do
		ours=$("$PSCAN" -sT -Pn -n -p "$p" -oX - 127.0.0.1 2>/dev/null |
		    grep -o ' services="[^"]*"')
		theirs=$(nmap -sT -Pn -n -p "$p" -oX - 127.0.0.1 2>/dev/null |
		    grep -o ' services="[^"]*"')
		[ -n "$ours" ] && [ "$ours" = "$theirs" ] || {
			echo "-p $p: $ours / $theirs"
			return 1
		}
	done
	ps -sT -Pn -n -p- -oX - 127.0.0.1
	grep -q 'numservices="65535" services="1-65535"' <<<"$output"
}

@test "the top ports are the set nmap 7.93 scans" {
	require_cmd nmap
	local n ours theirs
	for n in 100 1000; do
		ours=$("$PSCAN" -sT -Pn -n --top-ports $n -oX - 127.0.0.1 \
		    2>/dev/null | grep -o ' services="[^"]*"')
		theirs=$(nmap -sT -Pn -n --top-ports $n -oX - 127.0.0.1 \
		    2>/dev/null | grep -o ' services="[^"]*"')
		[ -n "$ours" ]
		[ "$ours" = "$theirs" ]
	done
}

@test "the man page teaches each scan type and each option of -h" {
	local man=$TOP_SRCDIR/man/pscan.1 t o
	sed -n '/^\.Sh SCAN TYPES/,/^\.Sh /p' "$man" >"$BATS_TEST_TMPDIR/scans"
	for t in sT sS sF sX sN sA; do
		grep -q "^\.It .*Fl $t" "$BATS_TEST_TMPDIR/scans" || {
			echo "-$t not taught"
			return 1
		}
	done
	ps -h
	for o in $(grep -o -- '--[a-z][a-z-]*' <<<"$output" | sort -u); do
		grep -q "Fl \\\\-${o#--}\\>" "$man" || {
			echo "$o not in pscan.1"
			return 1
		}
	done
}

@test "target forms expand to the addresses nmap lists, exclusions left out" {
	local spec ours theirs six
	while read -r spec; do
		six=
		case $spec in *:*) six=-6 ;; esac
		# shellcheck disable=SC2086
		ps -sT -Pn -n -p 9 --max-retries 0 --exclude 192.0.2.2,2001:db8::1 \
		    -oG - $spec
		[ "$status" -eq 0 ]
		ours=$(grep -o '^Host: [^ ]*.*Status' <<<"$output" |
		    awk '{ print $2 }')
		[ -n "$ours" ]
		command -v nmap >/dev/null 2>&1 || continue
		# shellcheck disable=SC2086
		theirs=$(nmap $six -sL -n --exclude 192.0.2.2,2001:db8::1 \
		    -oG - $spec 2>/dev/null | grep -o '^Host: [^ ]*' |
		    awk '{ print $2 }')
		[ "$ours" = "$theirs" ] || {
			echo "$spec: $ours / $theirs"
			return 1
		}
	done <<'EOF2'
192.0.2.0/30
192.0.2.1-3,7
192.0.2.-2 192.0.2.254-
192.0.1-2.1
2001:db8::/126
EOF2
}
