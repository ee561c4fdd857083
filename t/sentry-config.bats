#!/usr/bin/env bats
# sentry: the command line and portsentry.conf.  -n reports every problem
# of a file as "file:line: message" (each message asserted here) and exits
# 1; Debian's stock portsentry.conf loads unmodified; the ignore file is
# checked as well.  None of this needs root.

bats_require_minimum_version 1.5.0
load test_helper
load sentry-helper

# Every mode this build can run.
all_modes() {
	if grep -q "define HAVE_LIBPCAP 1" "$TOP_BUILDDIR/config.h"; then
		echo -tcp -udp -stcp -sudp -atcp -audp
	else
		echo -tcp -udp
	fi
}

# check [modes...]: sentry -n on $SCONF, stdout and stderr apart.
check() {
	run --separate-stderr "$SENTRY" -n -c "$SCONF" "$@"
}

# bad LINE MESSAGE: the line first in an otherwise good file is refused.
bad() {
	sentry_conf "$1"
	check -tcp -udp
	[ "$status" -eq 1 ] || { echo "status $status for: $1"; return 1; }
	if [ "${stderr_lines[0]}" != "sentry: $SCONF:1: $2" ]; then
		echo "line:     $1"
		echo "expected: sentry: $SCONF:1: $2"
		echo "got:      ${stderr_lines[0]}"
		return 1
	fi
	[[ "$output" == "$SCONF: "[1-9]" error"* ]]
}

@test "usage: -h, -V, no mode, unknown options, modes with -l" {
	run --separate-stderr "$SENTRY" -h
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "usage: sentry [-D] [-c file] -tcp | -udp | -stcp | -sudp | -atcp | -audp ..." ]
	run "$SENTRY" -V
	[ "$output" = "sentry (auditkit) 0.1" ]
	for args in "" "-x" "-tcp extra" "-l -tcp" "-u" "-n -l"; do
		# shellcheck disable=SC2086
		run --separate-stderr "$SENTRY" $args
		[ "$status" -eq 1 ]
		[[ "$stderr" == "usage: sentry "* ]]
	done
}

@test "-n: a clean file exits 0 with a summary on stdout only" {
	sentry_conf
	# shellcheck disable=SC2046
	check $(all_modes)
	[ "$status" -eq 0 ]
	[ "$output" = "$SCONF: 0 errors, 0 warnings" ]
	[ -z "$stderr" ]
}

@test "-n: Debian's stock portsentry.conf loads unmodified" {
	local stock
	anchor_path stock portsentry etc/portsentry/portsentry.conf
	# shellcheck disable=SC2046
	run --separate-stderr "$SENTRY" -n -c "$stock" $(all_modes)
	[ "$status" -eq 0 ]
	[ "$output" = "$stock: 0 errors, 0 warnings" ]
	# Only the ignore file the init script would have made is missing.
	[ -z "$stderr" ] || [[ "$stderr" == *"portsentry.ignore: No such file or directory (only this host's addresses will be ignored)" ]]
}

@test "-n: each bad line names the file, the line, the key and the value" {
	bad 'BLOCK_TPC="1"' "unknown key 'BLOCK_TPC' (did you mean BLOCK_TCP?)"
	bad 'TCP_PORTS=1,2' 'TCP_PORTS: the value must be in double quotes'
	bad 'TCP_PORTS="1,2' 'TCP_PORTS: missing closing quote'
	bad 'TCP_PORTS"1"' "TCP_PORTS: expected '=' after the key"
	bad 'TCP_PORTS="1" junk' "TCP_PORTS: unexpected text after the value: 'junk'"
	bad 'TCP_PORTS="1,99999"' "TCP_PORTS: invalid port list '1,99999': port 99999 out of range (1-65535)"
	bad 'UDP_PORTS="7,x"' "UDP_PORTS: invalid port list '7,x': invalid port 'x'"
	bad 'TCP_PORTS=""' 'TCP_PORTS: no ports given'
	bad 'ADVANCED_PORTS_TCP="0"' "ADVANCED_PORTS_TCP: '0' is too small (1-65536)"
	bad 'ADVANCED_EXCLUDE_UDP="5-2"' "ADVANCED_EXCLUDE_UDP: invalid port list '5-2': range 5-2 is backwards"
	bad 'BLOCK_TCP="3"' "BLOCK_TCP: '3' is too large (0-2)"
	bad 'RESOLVE_HOST="yes"' "RESOLVE_HOST: 'yes' is invalid (0-1: did you mean 1?)"
	bad 'KILL_RUN_CMD_FIRST="off"' "KILL_RUN_CMD_FIRST: 'off' is invalid (0-1: did you mean 0?)"
	bad 'BLOCK_UDP="block"' "BLOCK_UDP: 'block' is invalid (0-2: 0 logs only, 1 blocks, 2 runs KILL_RUN_CMD only)"
	bad 'SCAN_TRIGGER=""' "SCAN_TRIGGER: no value (remove the line or comment it out for the default)"
	bad 'IGNORE_FILE=""' "IGNORE_FILE: no value (it is required: give an absolute path)"
	bad 'HOSTS_DENY_FILE=""' "HOSTS_DENY_FILE: no value (remove the line or comment it out for the default, /etc/hosts.deny)"
	bad 'KILL_HOSTS_DENY="ALL: $TAGRET$"' "KILL_HOSTS_DENY: 'ALL: \$TAGRET\$' has no \$TARGET\$ (unknown macro \$TAGRET\$: did you mean \$TARGET\$?)"
	bad 'SCAN_TRIGGER="257"' "SCAN_TRIGGER: '257' is too large (0-256)"
	bad 'SCAN_WINDOW="-1"' "SCAN_WINDOW: '-1' is too small (0-86400)"
	bad 'BLOCK_TIMEOUT="x"' "BLOCK_TIMEOUT: 'x' is invalid (0-316224000)"
	bad 'HISTORY_FILE="var/history"' "HISTORY_FILE: 'var/history' is not an absolute path"
	bad 'KILL_HOSTS_DENY="ALL: host"' "KILL_HOSTS_DENY: 'ALL: host' has no \$TARGET\$"
	bad 'KILL_ROUTE="/sbin/route add -host reject"' "KILL_ROUTE: '/sbin/route add -host reject' has no \$TARGET\$"
	bad 'INTERFACE="a/b"' "INTERFACE: 'a/b' is not an interface name"
	bad "$(printf 'PORT_BANNER="a\tb"')" 'PORT_BANNER: control character in the value'
	bad '= "x"' "expected KEY=\"value\", not '= \"x\"'"
}

@test "-n: an unknown macro in a command is a warning naming the near one" {
	sentry_conf 'KILL_RUN_CMD="/bin/echo $TARGET$ $PROT$ $MODE$"'
	check -tcp
	[ "$status" -eq 0 ]
	[ "$stderr" = "sentry: $SCONF:1: KILL_RUN_CMD: '/bin/echo \$TARGET\$ \$PROT\$ \$MODE\$' is used as it is (unknown macro \$PROT\$: did you mean \$PORT\$?)" ]
}

@test "a mistyped mode is named with the mode it is near" {
	for m in stpc:stcp TCP:tcp upd:udp adup:audp; do
		run --separate-stderr "$SENTRY" -c "$SCONF" "-${m%:*}"
		[ "$status" -eq 1 ]
		[ "${stderr_lines[0]}" = "sentry: unknown mode -${m%:*} (did you mean -${m#*:}?)" ]
	done
}

@test "-n: every error of a file, in order, then the count" {
	sentry_conf 'BLOCK_TCP="9"' 'SCAN_TRIGGER="many"' 'NOPE="1"'
	check -tcp
	[ "$status" -eq 1 ]
	[ "${#stderr_lines[@]}" -eq 3 ]
	[ "${stderr_lines[0]}" = "sentry: $SCONF:1: BLOCK_TCP: '9' is too large (0-2)" ]
	[ "${stderr_lines[1]}" = "sentry: $SCONF:2: SCAN_TRIGGER: 'many' is invalid (0-256)" ]
	[ "${stderr_lines[2]}" = "sentry: $SCONF:3: unknown key 'NOPE'" ]
	[ "$output" = "$SCONF: 3 errors, 0 warnings" ]
}

@test "-n: what the modes need, and blocking with nothing to block with" {
	printf 'IGNORE_FILE="/i"\nHISTORY_FILE="/h"\n' >"$SCONF"
	check -tcp -udp
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "sentry: $SCONF: BLOCKED_FILE is not set" ]
	[ "${stderr_lines[1]}" = "sentry: $SCONF: TCP_PORTS is not set (needed by -tcp)" ]
	[ "${stderr_lines[2]}" = "sentry: $SCONF: UDP_PORTS is not set (needed by -udp)" ]
	[ "$output" = "$SCONF: 3 errors, 0 warnings" ]
	sentry_conf 'BLOCK_TCP="1"' 'KILL_HOSTS_DENY=""' 'BLOCK_UDP="2"'
	check
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "sentry: $SCONF:1: BLOCK_TCP is 1 but none of KILL_HOSTS_DENY, KILL_ROUTE, KILL_RUN_CMD is set" ]
	[ "${stderr_lines[1]}" = "sentry: $SCONF:3: BLOCK_UDP is 2 but KILL_RUN_CMD is not set" ]
	# Advanced modes need no port list.
	grep -q "define HAVE_LIBPCAP 1" "$TOP_BUILDDIR/config.h" || return 0
	sentry_conf
	sed -i '/^TCP_PORTS=/d; /^UDP_PORTS=/d' "$SCONF"
	check -atcp -audp
	[ "$status" -eq 0 ]
}

@test "-n: a key set twice keeps its first value, with a warning" {
	sentry_conf 'SCAN_TRIGGER="2"' 'SCAN_TRIGGER="x"'
	check -tcp
	[ "$status" -eq 0 ]
	[ "${stderr_lines[0]}" = "sentry: $SCONF:2: SCAN_TRIGGER is set again; the value of line 1 is kept" ]
	[ "$output" = "$SCONF: 0 errors, 1 warning" ]
}

@test "-n: 1.2's spellings: blanks around '=', no '=', comments after" {
	cat >"$SCONF" <<-EOF
	# a comment
	TCP_PORTS = "1,2"   # trailing comment
	UDP_PORTS "7"
	  IGNORE_FILE="$BATS_TEST_TMPDIR/ignore"
	HISTORY_FILE="/h"
	BLOCKED_FILE="/b"
	KILL_ROUTE=""
	EOF
	: >"$BATS_TEST_TMPDIR/ignore"
	check -tcp -udp
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}

@test "-n: bad lines of the ignore file are errors too" {
	sentry_conf
	printf '192.0.2.0/24\n300.1.2.3\n2001:db8::/129 # x\n  # c\n198.51.100.1 # ok\n' \
	    >"$BATS_TEST_TMPDIR/ignore"
	check -tcp
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "sentry: $BATS_TEST_TMPDIR/ignore:2: invalid network '300.1.2.3': octet 300 out of range (0-255)" ]
	[ "${stderr_lines[1]}" = "sentry: $BATS_TEST_TMPDIR/ignore:3: invalid network '2001:db8::/129': prefix length 129 out of range (0-128)" ]
	[ "$output" = "$SCONF: 2 errors, 0 warnings" ]
}

@test "-n: a symlinked or world-writable hosts.deny is refused" {
	local deny=$BATS_TEST_TMPDIR/hosts.deny
	sentry_conf
	: >"$BATS_TEST_TMPDIR/real"
	ln -s real "$deny"
	check -tcp
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "sentry: $deny: refusing a symbolic link" ]
	rm "$deny"
	: >"$deny"
	chmod 666 "$deny"
	check -tcp
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "sentry: $deny: refusing: it is writable by everyone" ]
	chmod 644 "$deny"
	check -tcp
	[ "$status" -eq 0 ]
}

@test "a daemon refuses a bad file, an unsafe hosts.deny and a missing one" {
	sentry_conf 'BLOCK_TCP="5"'
	run --separate-stderr "$SENTRY" -D -c "$SCONF" -tcp
	[ "$status" -eq 1 ]
	[ "$stderr" = "sentry: $SCONF:1: BLOCK_TCP: '5' is too large (0-2)" ]
	run --separate-stderr "$SENTRY" -D -c "$BATS_TEST_TMPDIR/none" -tcp
	[ "$status" -eq 1 ]
	[ "$stderr" = "sentry: $BATS_TEST_TMPDIR/none: No such file or directory" ]
	sentry_conf
	: >"$BATS_TEST_TMPDIR/hosts.deny"
	chmod 646 "$BATS_TEST_TMPDIR/hosts.deny"
	run --separate-stderr "$SENTRY" -D -c "$SCONF" -tcp
	[ "$status" -eq 1 ]
	[ "$stderr" = "sentry: $BATS_TEST_TMPDIR/hosts.deny: refusing: it is writable by everyone" ]
}

@test "-l lists nothing, and -u an address not blocked exits 1" {
	sentry_conf
	run --separate-stderr "$SENTRY" -c "$SCONF" -l
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run --separate-stderr "$SENTRY" -c "$SCONF" -u 192.0.2.9
	[ "$status" -eq 1 ]
	[ "$stderr" = "sentry: 192.0.2.9 is not blocked" ]
	run --separate-stderr "$SENTRY" -c "$SCONF" -u not-an-address
	[ "$status" -eq 1 ]
	[[ "$stderr" == "sentry: -u: invalid IPv4 address 'not-an-address': "* ]]
}

@test "a build without libpcap says which modes need it" {
	! grep -q "define HAVE_LIBPCAP 1" "$TOP_BUILDDIR/config.h" ||
	    skip "this build has libpcap"
	sentry_conf
	run --separate-stderr "$SENTRY" -n -c "$SCONF" -tcp -stcp
	[ "$status" -eq 1 ]
	[ "$stderr" = "sentry: the stealth and advanced modes (-stcp -sudp -atcp -audp) need libpcap, and this build has none; -tcp and -udp work without it" ]
	run --separate-stderr "$SENTRY" -D -c "$SCONF" -atcp
	[ "$status" -eq 1 ]
	[ "$stderr" = "sentry: the stealth and advanced modes (-stcp -sudp -atcp -audp) need libpcap, and this build has none; -tcp and -udp work without it" ]
}
