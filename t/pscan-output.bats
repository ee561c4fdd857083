#!/usr/bin/env bats
# pscan's reports read back: the XML against nmap's DTD and by ndiff
# against nmap's own, the normal layout line for line against nmap's,
# grepable fields with awk, and the options that shape the reports:
# --reason, --open, -v, --packet-trace, progress, --host-timeout,
# --shard, -iL -, exclusions, -oA and --append-output.

load test_helper
load pscan-helper

bats_require_minimum_version 1.5.0

setup() {
	pscan_lab
	# More than 25 filtered ports of two reasons, to be folded.
	lab_exec b nft add rule inet pscantest input tcp dport 2000-2029 drop
	lab_exec b nft add rule inet pscantest input tcp dport 3000-3029 \
	    reject with icmpx type host-unreachable
	OUT=$BATS_TEST_TMPDIR
}

FOLD_PORTS=1-1100,2000-2040,3000-3040

@test "XML: valid against nmap's DTD, scanner=pscan" {
	require_cmd xmllint
	local dtd
	dtd=$(pscan_dtd)
	lab_exec a "$PSCAN" -n -Pn -sS -p "$FOLD_PORTS" --reason \
	    -oX "$OUT/s.xml" "$TGT4" "$TGT6" >/dev/null 2>&1
	# 5508: a port without a name, shown without a service.
	lab_exec a "$PSCAN" -n -Pn -sS -p 22,5508 -vv -oX "$OUT/v.xml" \
	    "$TGT4" >/dev/null 2>&1
	grep -q 'portid="5508"><state [^>]*/></port>' "$OUT/v.xml"
	xmllint --noout --dtdvalid "$dtd" "$OUT/v.xml"
	lab_exec a "$PSCAN" -n -Pn -sT -p 22,1000-1004 --host-timeout 1ms \
	    -oX "$OUT/t.xml" "$TGT4" >/dev/null 2>&1
	xmllint --noout --dtdvalid "$dtd" "$OUT/s.xml"
	xmllint --noout --dtdvalid "$dtd" "$OUT/t.xml"
	grep -q '<nmaprun scanner="pscan"' "$OUT/s.xml"
	grep -q '<host starttime="[0-9]*" endtime="[0-9]*" timedout="true">' \
	    "$OUT/t.xml"
	# Each host's times: when its scan began and ended, in order.
	[ "$(grep -c '<host ' "$OUT/s.xml")" -eq 2 ]
	grep -o '<host starttime="[0-9]*" endtime="[0-9]*"' "$OUT/s.xml" |
	    tr -dc '0-9 \n' | awk -v start="$(grep -o ' start="[0-9]*"' \
	    "$OUT/s.xml" | tr -dc 0-9)" '$1 < start || $2 < $1 { exit 1 }'
	# The stock DTD refuses the scanner name, and only that.
	run xmllint --noout --dtdvalid /usr/share/nmap/nmap.dtd "$OUT/s.xml"
	[ "$status" -ne 0 ]
	[ "$(grep -c 'validity error' <<<"$output")" -eq 1 ]
	grep -q 'scanner' <<<"$output"
}

@test "ndiff finds no difference from nmap's XML of the same scans" {
	require_cmd nmap ndiff
	local t fam addr six try
	for t in sS sT sA; do
		for fam in 4 6; do
			if [ $fam = 4 ]; then addr=$TGT4 six=; else
				addr=$TGT6 six=-6; fi
			# A second try when they differ: on a loaded machine
			# nmap's fast timing may miss an answer now and then.
			for try in 1 2; do
				lab_exec a nmap $NMAP_FAST $six -n -Pn "-$t" \
				    -p "$FOLD_PORTS" -oX "$OUT/n.xml" "$addr" \
				    >/dev/null 2>&1
				lab_exec a "$PSCAN" $six -n -Pn "-$t" \
				    -p "$FOLD_PORTS" -oX "$OUT/p.xml" "$addr" \
				    >/dev/null 2>&1
				run ndiff "$OUT/n.xml" "$OUT/p.xml"
				# The start lines always differ; nothing else.
				[ "$status" -eq 0 ] && break
				echo "-$t IPv$fam, try $try: $output"
				[ "$try" -eq 1 ] || return 1
			done
			[ "$(grep -c '^[-+]' <<<"$output")" -eq 2 ]
		done
	done
	# Ports without a name in the table: nmap leaves the service out
	# (grepable: empty; XML: no element), and so must pscan for ndiff.
	lab_exec a nmap $NMAP_FAST -n -Pn -sS -p 22,5508-5509,5511 \
	    -oX "$OUT/n.xml" "$TGT4" >/dev/null 2>&1
	lab_exec a "$PSCAN" -n -Pn -sS -p 22,5508-5509,5511 -oX "$OUT/p.xml" \
	    -oG "$OUT/p.gnmap" "$TGT4" >/dev/null 2>&1
	run ndiff "$OUT/n.xml" "$OUT/p.xml"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^[-+]' <<<"$output")" -eq 2 ]
	grep -q 'Ports: 22/open/tcp//ssh///, 5508/closed/tcp/////, ' \
	    "$OUT/p.gnmap"
	grep -q 'portid="5508"><state [^>]*/></port>' "$OUT/p.xml"
}

@test "normal output: nmap's layout line for line, folding included" {
	require_cmd nmap
	local o
	# -vv: more ports before folding, the reasons, "Scanned at".
	for o in "-sT --reason" "-sS --reason" "-sS -vv"; do
		# shellcheck disable=SC2086
		lab_exec a nmap $NMAP_FAST -n -Pn $o -p "$FOLD_PORTS" \
		    -oN "$OUT/n.nmap" "$TGT4" >/dev/null 2>&1
		# shellcheck disable=SC2086
		lab_exec a "$PSCAN" -n -Pn $o -p "$FOLD_PORTS" \
		    -oN "$OUT/p.nmap" "$TGT4" >/dev/null 2>&1
		# Differences allowed: the comment lines, "Nmap" for "pscan",
		# the latency and times, the host status reason nmap gets
		# from ARP, and where nmap read its data files.
		diff <(grep -v '^#\|^Read data files' "$OUT/n.nmap" |
		    sed -e 's/^Nmap /pscan /' -e 's/([0-9.]*s latency)/(L)/' \
		    -e 's/arp-response/user-set/' -e 's/^Scanned at .*/S/') \
		    <(grep -v '^#' "$OUT/p.nmap" | sed -e 's/([0-9.]*s latency)/(L)/' \
		    -e 's/^Scanned at .*/S/')
	done
	grep -Eq '^Scanned at [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} [A-Z]+ for [0-9]+s$' \
	    "$OUT/p.nmap"
	lab_exec a "$PSCAN" -n -Pn -sS -p "$FOLD_PORTS" --reason \
	    -oN "$OUT/p.nmap" "$TGT4" >/dev/null 2>&1
	grep -qx 'Not shown: 1115 closed tcp ports (reset), 31 filtered tcp ports (host-unreach), 31 filtered tcp ports (no-response), 1 filtered tcp ports (admin-prohibited), 1 filtered tcp ports (port-unreach)' \
	    "$OUT/p.nmap"
	grep -q '^MAC Address: [0-9A-F:]* (Unknown)$' "$OUT/p.nmap"
}

@test "folding: six reasons of equal counts in nmap's order, normal and XML" {
	require_cmd nmap
	local r p=5000 ports=
	# 26 ports each: silence, four ICMP errors, resets from a firewall.
	for r in drop 'reject with icmpx type host-unreachable' \
	    'reject with icmpx type port-unreachable' \
	    'reject with icmpx type admin-prohibited' \
	    'reject with icmpx type no-route' 'reject with tcp reset'; do
		lab_exec b nft add rule inet pscantest input \
		    tcp dport "$p-$((p + 25))" "$r"
		ports="$ports,$p-$((p + 25))"
		p=$((p + 100))
	done
	lab_exec a nmap $NMAP_FAST -n -Pn -sS -p "22$ports" -oN "$OUT/n.nmap" \
	    -oX "$OUT/n.xml" "$TGT4" >/dev/null 2>&1
	lab_exec a "$PSCAN" -n -Pn -sS -p "22$ports" -oN "$OUT/p.nmap" \
	    -oX "$OUT/p.xml" "$TGT4" >/dev/null 2>&1
	grep '^Not shown' "$OUT/p.nmap" >"$OUT/p.ns"
	grep -q ' 26 filtered tcp ports (net-unreach), .* 26 closed tcp ports (reset)$' \
	    "$OUT/p.ns"
	diff <(grep '^Not shown' "$OUT/n.nmap") "$OUT/p.ns"
	diff <(grep '<extra' "$OUT/n.xml") <(grep '<extra' "$OUT/p.xml")
}

@test "grepable output: the fields awk reads" {
	lab_exec a "$PSCAN" -n -Pn -sS -p "$PS_PORTS" -oG "$OUT/g" "$TGT4" \
	    >/dev/null 2>&1
	# Host lines: address, empty name (-n), then the Status or the Ports.
	[ "$(awk -F'\t' '$1 == "Host: '"$TGT4"' ()" && $2 == "Status: Up"' \
	    "$OUT/g" | wc -l)" -eq 1 ]
	# Every entry has seven slashes: port/state/proto/owner/service/rpc/version/
	awk -F'\t' '/Ports: / {
		sub(/^Ports: /, "", $2); n = split($2, e, ", ")
		for (i = 1; i <= n; i++)
			if (gsub("/", "/", e[i]) != 7) exit 1
		print n
	}' "$OUT/g" >"$OUT/n"
	[ "$(cat "$OUT/n")" -eq 9 ]
	awk -F'\t' '/Ports: / { sub(/^Ports: /, "", $2); n = split($2, e, ", ")
	    for (i = 1; i <= n; i++) { split(e[i], f, "/")
	    if (f[2] == "open") print f[1], f[5] } }' "$OUT/g" >"$OUT/open"
	diff <(printf '%s\n' "22 ssh" "80 http" "443 https") "$OUT/open"
	lab_exec a "$PSCAN" -n -Pn -sS -p 1-100 -oG - "$TGT4" 2>/dev/null |
	    grep -q $'\tIgnored State: closed (98)$'
}

@test "--reason, --open and -v" {
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sS -p "$PS_PORTS" \
	    --open -v "$TGT4"
	[ "$status" -eq 0 ]
	grep -q '^Initiating SYN Stealth Scan at ' <<<"$output"
	grep -q "^Scanning $TGT4 \[9 ports\]$" <<<"$output"
	grep -q "^Discovered open port 443/tcp on $TGT4$" <<<"$output"
	grep -q '^Completed SYN Stealth Scan at .* (9 total ports)$' \
	    <<<"$output"
	grep -qx 'Not shown: 1 filtered tcp ports (host-unreach), 1 filtered tcp ports (admin-prohibited), 1 filtered tcp ports (port-unreach), 1 filtered tcp ports (no-response), 2 closed tcp ports (reset)' \
	    <<<"$output"
	! grep -q '^23/tcp' <<<"$output"
	grep -q '^443/tcp open  https$' <<<"$output"
	# A state of one port is singular, whatever its reasons (as nmap).
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sS -p 22,23,1000 \
	    --open "$TGT4"
	grep -qx 'Not shown: 1 closed tcp port (reset), 1 filtered tcp port (no-response)' \
	    <<<"$output"
	# A host without a possibly open port is not reported at all.
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sS -p 23,1000 \
	    --open -oX "$OUT/o.xml" "$TGT4"
	! grep -q 'scan report' <<<"$output"
	grep -q '^pscan done: 1 IP address (1 host up)' <<<"$output"
	! grep -q '<host ' "$OUT/o.xml"
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sS -p 22,1000 \
	    --reason "$TGT4"
	grep -q '^Host is up, received user-set (' <<<"$output"
	grep -Eq '^PORT +STATE +SERVICE +REASON$' <<<"$output"
}

@test "-v, -vv and -d as in nmap: ports line, reasons, debugging is verbose" {
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sS -p 22,23 -v \
	    -oG "$OUT/g" "$TGT4"
	grep -qx '# Ports scanned: TCP(2;22-23) UDP(0;) SCTP(0;) PROTOCOLS(0;)' \
	    "$OUT/g"
	grep -Eq '^PORT +STATE +SERVICE$' <<<"$output"
	! grep -q '^Scanned at' <<<"$output"
	for v in -vv -d; do
		run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sS -p 22,23 \
		    $v "$TGT4"
		grep -q '^Host is up, received user-set (' <<<"$output"
		grep -q '^Scanned at ' <<<"$output"
		grep -Eq '^23/tcp +closed +telnet +reset ttl 64$' <<<"$output"
		grep -q '^Discovered open port 22/tcp' <<<"$output"
	done
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sS -p 22 -d -oX - \
	    "$TGT4"
	grep -q '<verbose level="1"/>' <<<"$output"
	grep -q '<debugging level="1"/>' <<<"$output"
}

@test "--packet-trace: each probe and answer, in nmap's layout" {
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sS -p 22,23 \
	    --packet-trace "$TGT4"
	grep -Eq "^SENT \([0-9.]+s\) TCP ${LAB_IP4[a]}:[0-9]+ > $TGT4:22 S ttl=64 id=[0-9]+ iplen=44  seq=[0-9]+ win=1024 <mss 1460>$" \
	    <<<"$output"
	grep -Eq "^RCVD \([0-9.]+s\) TCP $TGT4:22 > ${LAB_IP4[a]}:[0-9]+ SA ttl=64 " \
	    <<<"$output"
	grep -Eq "^RCVD \([0-9.]+s\) TCP $TGT4:23 > ${LAB_IP4[a]}:[0-9]+ RA " \
	    <<<"$output"
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sT -p 23 \
	    --packet-trace "$TGT4"
	grep -Eq "^CONN \([0-9.]+s\) TCP localhost > $TGT4:23 => Connection refused$" \
	    <<<"$output"
}

@test "progress: --stats-every and SIGUSR1 print nmap's status lines" {
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sS -p 1-300 \
	    --max-rate 500 --stats-every 200ms "$TGT4"
	[ "$status" -eq 0 ]
	grep -Eq '^Stats: 0:00:0[0-9] elapsed; 0 hosts completed \(0 up\), 1 undergoing SYN Stealth Scan$' \
	    <<<"$output"
	grep -Eq '^SYN Stealth Scan Timing: About [0-9.]+% done; ETC: [0-9:]+ \(0:00:0[0-9] remaining\)$' \
	    <<<"$output"
	lab_exec a "$PSCAN" -n -Pn -sS -p 1-400 --max-rate 400 "$TGT4" \
	    >"$OUT/usr1" 2>&1 3>&- &
	local pid=$!
	wait_for_log 'Starting pscan' "$OUT/usr1"
	sleep 0.3
	kill -USR1 "$(pgrep -x -f "$PSCAN -n -Pn -sS -p 1-400 --max-rate 400 $TGT4")"
	wait "$pid"
	grep -q '^Stats: .* undergoing SYN Stealth Scan$' "$OUT/usr1"
}

@test "a key press on the terminal prints the progress; v raises -v" {
	require_cmd script
	(sleep 0.4; printf x; sleep 0.2; printf v; sleep 3) |
	    script -q -c "ip netns exec ${LAB_NS[a]} $PSCAN -n -Pn -sS -p 1-300 \
	    --max-rate 300 $TGT4" /dev/null >"$OUT/tty" 2>&1 || true
	grep -q '^Stats: .* undergoing SYN Stealth Scan' "$OUT/tty"
	grep -q '^SYN Stealth Scan Timing: About [0-9.]*% done' "$OUT/tty"
	grep -q '^Verbosity Increased to 1\.' "$OUT/tty"
}

@test "--host-timeout: the host is skipped, in every format" {
	lab_exec b nft add rule inet pscantest input tcp dport 5000-6000 drop
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sS -p 5000-6000 \
	    --host-timeout 50ms -oA "$OUT/h" "$TGT4"
	[ "$status" -eq 0 ]
	grep -q "^Skipping host $TGT4 due to host timeout$" "$OUT/h.nmap"
	grep -q "^Host: $TGT4 ()"$'\t'"Status: Timeout$" "$OUT/h.gnmap"
	grep -q 'timedout="true"' "$OUT/h.xml"
	! grep -q '<ports>' "$OUT/h.xml"
}

@test "--shard: disjoint slices that together are the whole scan" {
	local i
	lab_exec a "$PSCAN" -n -Pn -sS -p 20-30,1000-1004 -oX - \
	    "$TGT4" "$TGT6" 2>/dev/null | xml_ports >"$OUT/whole"
	: >"$OUT/parts"
	for i in 1 2 3; do
		lab_exec a "$PSCAN" -n -Pn -sS -p 20-30,1000-1004 --shard $i/3 \
		    -oX - "$TGT4" "$TGT6" 2>/dev/null | xml_ports >"$OUT/p$i"
		[ -s "$OUT/p$i" ]
		cat "$OUT/p$i" >>"$OUT/parts"
	done
	# Each host's 16 ports once, in one slice each (32 cells: 11, 11, 10).
	[ "$(wc -l <"$OUT/whole")" -eq 32 ]
	diff <(sort "$OUT/whole") <(sort "$OUT/parts")
	[ "$(wc -l <"$OUT/p1")" -eq 11 ] && [ "$(wc -l <"$OUT/p3")" -eq 10 ]
}

@test "-iL - reads a pipeline; --exclude and --excludefile leave targets out" {
	printf '%s # the target\n%s\n%s\n' "$TGT4" "$TGT6" "${LAB_IP4[a]}" |
	    lab_exec a "$PSCAN" -n -Pn -sT -p 22 -iL - --exclude "${LAB_IP4[a]}" \
	    -oG - 2>/dev/null >"$OUT/g"
	[ "$(grep -c 'Ports: 22/open' "$OUT/g")" -eq 2 ]
	! grep -q "${LAB_IP4[a]}" "$OUT/g"
	printf '# none of these\n%s\n192.0.2.0/30\n' "$TGT6" >"$OUT/ex"
	lab_exec a "$PSCAN" -n -Pn -sT -p 22 --excludefile "$OUT/ex" -oG - \
	    192.0.2.1-2 "$TGT6" 2>/dev/null >"$OUT/g"
	[ "$(grep -c 'Status: Up' "$OUT/g")" -eq 0 ]
	grep -q '0 IP addresses (0 hosts up)' "$OUT/g"
}

@test "-iL: comments, blank lines, tabs and CRLF read as nmap reads them" {
	local ours
	printf '# a header\n\n%s # the target\r\n\t %s\t\n  \n%s#glued\n#%s\n' \
	    "$TGT4" "${LAB_IP4[a]}" "${TGT4%.*}.3" "${TGT4%.*}.4" >"$OUT/list"
	ours=$(lab_exec a "$PSCAN" -n -Pn -sT -p 22 -iL "$OUT/list" -oG - \
	    2>/dev/null | grep -o '^Host: [^ ]* ().Status' | sort)
	[ "$(wc -l <<<"$ours")" -eq 3 ]
	if command -v nmap >/dev/null 2>&1; then
		diff <(lab_exec a nmap -n -Pn -sT -p 22 --max-retries 0 \
		    --host-timeout 2s -iL "$OUT/list" -oG - 2>/dev/null |
		    grep -o '^Host: [^ ]* ().Status' | sort) <(echo "$ours")
	fi
	# A bad word: the targets before it are scanned, then the error.
	printf '%s\n%s\n' "$TGT4" 192.0.2.999 >"$OUT/bad"
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sS -p 22 \
	    -iL "$OUT/bad" -oX "$OUT/bad.xml"
	[ "$status" -eq 1 ]
	[ "$stderr" = "pscan: $OUT/bad:2: invalid target '192.0.2.999': octet 999 out of range (0-255)" ]
	grep -qx "pscan scan report for $TGT4" <<<"$output"
	grep -q 'exit="error" errormsg="bad target list"' "$OUT/bad.xml"
}

@test "-oA writes the three files; --append-output appends" {
	lab_exec a "$PSCAN" -n -Pn -sT -p 22 -oA "$OUT/a" "$TGT4" >/dev/null 2>&1
	[ -s "$OUT/a.nmap" ] && [ -s "$OUT/a.gnmap" ] && [ -s "$OUT/a.xml" ]
	lab_exec a "$PSCAN" -n -Pn -sT -p 22 -oG "$OUT/a.gnmap" \
	    --append-output "$TGT4" >/dev/null 2>&1
	[ "$(grep -c '^# pscan done' "$OUT/a.gnmap")" -eq 2 ]
	# "-" sends that format alone to the standard output.
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sT -p 22 -oX - \
	    "$TGT4"
	[ "${output%%$'\n'*}" = '<?xml version="1.0" encoding="UTF-8"?>' ]
	! grep -q '^Starting pscan' <<<"$output"
}
