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
	# The stack's limit of ICMP errors a second: the namespace's own on
	# recent kernels; on older ones it is the machine's, left alone.
	lab_exec b sysctl -qw net.ipv4.icmp_msgs_per_sec=1000000 \
	    net.ipv4.icmp_msgs_burst=1000000 2>/dev/null || true
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

# pscan_icmp_lab (after pscan_lab): the target answers TCP to ports 4000
# to 4199 with the ICMP errors of t/pscan-icmp.py (every code of the
# unreachable messages, time exceeded, parameter problems, and errors
# from a second address, the "router" $ROUTER4 / $ROUTER6).
pscan_icmp_lab() {
	ROUTER4=192.0.2.254 ROUTER6=2001:db8::fe
	lab_exec b nft add rule inet pscantest input tcp dport 4000-4199 drop
	lab_exec b ip addr add "$ROUTER4/24" dev "${LAB_IF[b]}"
	lab_exec b ip -6 addr add "$ROUTER6/64" dev "${LAB_IF[b]}" nodad
	daemon_start icmp ip netns exec "${LAB_NS[b]}" python3 \
	    "$TOP_SRCDIR/t/pscan-icmp.py" "${LAB_IF[b]}" "$ROUTER4" "$ROUTER6"
	wait_for_log ready "$BATS_TEST_TMPDIR/icmp.log"
}

# "port state reason ttl [from]" of every port of an XML report on stdin.
xml_reasons() {
	grep -o 'portid="[0-9]*"><state state="[^"]*" reason="[^"]*" reason_ttl="[0-9]*"\( reason_ip="[^"]*"\)\?' |
	    sed -e 's/portid="\([0-9]*\)"><state state="\([^"]*\)" reason="\([^"]*\)" reason_ttl="\([0-9]*\)"/\1 \2 \3 \4/' \
	    -e 's/ reason_ip="\([^"]*\)"/ from \1/' | sort -n
}

# Runs the command in the namespace with its own /etc/hosts (the file
# given), in a private mount namespace: the machine's stays untouched.
lab_exec_hosts() { # host hostsfile command...
	local h=$1 f=$2
	shift 2
	lab_exec "$h" unshare -m sh -c 'mount --bind "$0" /etc/hosts &&
	    exec "$@"' "$f" "$@"
}

# The truth of pscan_icmp_lab's ports: "port state reason ttl [from]"
# lines for a scan type (sS sF sA sT) and a family (4 or 6).  ICMP codes
# that say nothing of the port (fragmentation needed, source route
# failed, the obsolete ones) are ignored, as nmap ignores them: the port
# is silent.
pscan_icmp_truth() { # scantype family
	local t=$1 fam=$2 silent=filtered
	case $t in sF|sX|sN) silent='open|filtered' ;; esac
	if [ "$t" = sT ]; then
		# connect(2) reads the errors through the kernel, which maps
		# them to errno values and does not say who sent them.
		if [ "$fam" = 4 ]; then
			cat <<-'EOF4'
			4000 filtered net-unreach 0
			4001 filtered host-unreach 0
			4002 filtered proto-unreach 0
			4003 closed conn-refused 0
			4004 filtered no-response 0
			4005 filtered no-response 0
			4006 filtered net-unreach 0
			4007 filtered no-response 0
			4008 filtered dest-unreach 0
			4009 filtered net-unreach 0
			4010 filtered host-unreach 0
			4011 filtered net-unreach 0
			4012 filtered host-unreach 0
			4013 filtered host-unreach 0
			4014 filtered host-unreach 0
			4015 filtered host-unreach 0
			4016 filtered host-unreach 0
			4017 filtered host-unreach 0
			EOF4
		else
			cat <<-'EOF6'
			4100 filtered net-unreach 0
			4101 filtered admin-prohibited 0
			4102 filtered host-unreach 0
			4103 filtered host-unreach 0
			4104 closed conn-refused 0
			4105 filtered admin-prohibited 0
			4106 filtered admin-prohibited 0
			4107 filtered no-response 0
			4110 filtered no-response 0
			4111 filtered no-response 0
			4112 filtered no-response 0
			4120 filtered host-unreach 0
			4121 filtered admin-prohibited 0
			EOF6
		fi
		return
	fi
	if [ "$fam" = 4 ]; then
		sed "s/SILENT/$silent/" <<-EOF4
		4000 filtered net-unreach 64
		4001 filtered host-unreach 64
		4002 filtered proto-unreach 64
		4003 filtered port-unreach 64
		4004 SILENT no-response 0
		4005 SILENT no-response 0
		4006 SILENT no-response 0
		4007 SILENT no-response 0
		4008 SILENT no-response 0
		4009 filtered net-prohibited 64
		4010 filtered host-prohibited 64
		4011 SILENT no-response 0
		4012 SILENT no-response 0
		4013 filtered admin-prohibited 64
		4014 SILENT no-response 0
		4015 SILENT no-response 0
		4016 filtered time-exceeded 64
		4017 filtered admin-prohibited 64 from $ROUTER4
		EOF4
	else
		sed "s/SILENT/$silent/" <<-EOF6
		4100 filtered no-route 64
		4101 filtered admin-prohibited 64
		4102 filtered beyond-scope 64
		4103 filtered host-unreach 64
		4104 filtered port-unreach 64
		4105 filtered admin-prohibited 64
		4106 filtered reject-route 64
		4107 SILENT no-response 0
		4110 open param-problem 64
		4111 filtered param-problem 64
		4112 SILENT no-response 0
		4120 SILENT no-response 0
		4121 filtered admin-prohibited 64 from $ROUTER6
		EOF6
	fi
}

# Whether a scan's "port/state" lines are the truth; when not, whose
# scan it was and the difference.
states_agree() { # label truth got
	[ "$3" = "$2" ] && return 0
	echo "$1:"
	diff <(echo "$2") <(echo "$3")
	return 1
}
