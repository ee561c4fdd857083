# pscan-helper.bash: the pscan suites' lab, truth and parsers.
#
# pscan_lab builds two namespaces with lab_pair: "a" scans, "b" is the
# target, with listeners on $PS_OPEN and an nftables ruleset that gives
# every answer a TCP scan can get:
#	1000 dropped (silence)          1001 reset by the firewall
#	1002 ICMP port unreachable      1003 ICMP administratively prohibited
#	1004 ICMP host (IPv6: address) unreachable
# every other port is closed.  The target's ICMP rate limits are lifted
# so that each probe gets its error, for nmap as for pscan.  Neither
# namespace has a route out.

PS_OPEN="22 80 443"
# nmap as the oracle, with a shorter first timeout than its second (the
# states do not depend on it; the suite's run time does).
NMAP_FAST="--initial-rtt-timeout 250ms"
PS_PORTS=22,23,80,443,1000-1004

pscan_lab() {
	require_root
	require_cmd ip nft python3
	lab_pair a b 192.0.2 2001:db8:
	TGT4=${LAB_IP4[b]}
	TGT6=${LAB_IP6[b]}
	lab_exec b sysctl -qw net.ipv4.icmp_ratelimit=0 \
	    net.ipv6.icmp.ratelimit=0
	lab_exec b nft -f - <<'EOF'
table inet pscantest {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 1000 drop
		tcp dport 1001 reject with tcp reset
		tcp dport 1002 reject with icmpx type port-unreachable
		tcp dport 1003 reject with icmpx type admin-prohibited
		tcp dport 1004 reject with icmpx type host-unreachable
	}
}
EOF
	# shellcheck disable=SC2086
	daemon_start listen ip netns exec "${LAB_NS[b]}" python3 \
	    "$TOP_SRCDIR/t/pscan-listen.py" $PS_OPEN
	wait_for_log ready "$BATS_TEST_TMPDIR/listen.log"
}

# The truth: "port/state" lines for a scan type (sS sT sF sX sN sA) and
# a family (4 or 6), for the ports of $PS_PORTS.
pscan_truth() { # scantype family
	local t=$1 fam=$2 open closed drop
	case $t in
	sS) open=open closed=closed drop=filtered ;;
	sT) open=open closed=closed drop=filtered ;;
	sF|sX|sN) open='open|filtered' closed=closed drop='open|filtered' ;;
	sA) open=unfiltered closed=unfiltered drop=filtered ;;
	esac
	printf '%s\n' "22/$open" "23/$closed" "80/$open" "443/$open" \
	    "1000/$drop" "1001/$closed"
	# A connect scan reads an ICMP port unreachable as a refused
	# connection, for either family.
	if [ "$t" = sT ]; then
		echo "1002/closed"
	else
		echo "1002/filtered"
	fi
	printf '%s\n' "1003/filtered" "1004/filtered"
}

# "port/state" lines of a grepable report on stdin, shown ports only.
gnmap_ports() {
	awk -F'\t' '/\tPorts: / {
		sub(/^Ports: /, "", $2)
		n = split($2, e, /, /)
		for (i = 1; i <= n; i++) {
			split(e[i], f, "/")
			print f[1] "/" f[2]
		}
	}' | sort -n
}

# "port/state/reason" of every port of an XML report on stdin.
xml_ports() {
	grep -o 'portid="[0-9]*"><state state="[^"]*" reason="[^"]*"' |
	    sed 's/portid="\([0-9]*\)"><state state="\([^"]*\)" reason="\([^"]*\)"/\1\/\2\/\3/' |
	    sort -n
}

# A copy of nmap's DTD whose only change lets the scanner be pscan.
pscan_dtd() {
	local dtd=/usr/share/nmap/nmap.dtd
	[ -r "$dtd" ] || skip "needs nmap's nmap.dtd"
	sed 's/(nmap)/(nmap | pscan)/' "$dtd" >"$BATS_TEST_TMPDIR/pscan.dtd"
	echo "$BATS_TEST_TMPDIR/pscan.dtd"
}

# Whether a scan's "port/state" lines are the truth; when not, whose
# scan it was and the difference.
states_agree() { # label truth got
	[ "$3" = "$2" ] && return 0
	echo "$1:"
	diff <(echo "$2") <(echo "$3")
	return 1
}
