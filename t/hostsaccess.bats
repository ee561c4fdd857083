#!/usr/bin/env bats
# inetd -A, the access-check mode, and the tcp_wrappers engine driven as
# a super-server would drive it (t/unit/hostsaccess_driver): spawn, twist,
# banners, setenv and aclexec really performed, names looked up lazily,
# ident asked.  Name lookups happen only inside a private mount and
# network namespace whose /etc/hosts is t/data/hostsaccess/etc/hosts.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	W=$BATS_TEST_TMPDIR/rules
	mkdir -p "$W"
	DRIVER=$TOP_BUILDDIR/t/unit/hostsaccess_driver
	FIX=$DATA/hostsaccess
}

allow() { printf '%b' "$1" >"$W/hosts.allow"; }
deny() { printf '%b' "$1" >"$W/hosts.deny"; }

# The test namespace needs root and unshare(1); skip otherwise.  Call it
# in the test itself: a skip inside "run" would not skip.
need_ns() {
	require_root
	require_cmd unshare
	unshare -m -n -p -f --kill-child --mount-proc true 2>/dev/null || skip "no mount namespaces here"
}

# Run a command in the test namespace.
in_ns() {
	unshare -m -n -p -f --kill-child --mount-proc sh "$TOP_SRCDIR/t/hostsaccess-ns.sh" "$FIX/etc" \
	    "$(mktemp -d "$BATS_TEST_TMPDIR/ns.XXXXXX")" "$@"
}

# --- inetd -A ------------------------------------------------------------

@test "-A: a rule in hosts.allow grants: matched file and line, exit 0" {
	allow '# sshd: ALL\nsshd: 10.0.0.2\nsshd, ftpd: 10.0.0.0/24\n'
	deny 'ALL: ALL\n'
	run --separate-stderr "$INETD" -W "$W" -A sshd 10.0.0.1
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${lines[0]}" = "client: address 10.0.0.1" ]
	[ "${lines[1]}" = "server: process sshd" ]
	[ "${lines[2]}" = "matched: $W/hosts.allow line 3" ]
	[ "${lines[3]}" = "access: granted" ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "-A: a rule in hosts.deny denies: exit 1" {
	allow 'sshd: 10.0.0.2\n'
	deny 'ALL: 192.0.2.\nALL EXCEPT ftpd: ALL\n'
	run --separate-stderr "$INETD" -W "$W" -A in.telnetd 10.0.0.1
	[ "$status" -eq 1 ]
	[[ "$output" == *"matched: $W/hosts.deny line 2"* ]]
	[ "${lines[-1]}" = "access: denied" ]
	run "$INETD" -W "$W" -A ftpd 10.0.0.1
	[ "$status" -eq 0 ]
	[[ "$output" != *matched:* ]]
	[ "${lines[-1]}" = "access: granted" ]
}

@test "-A: missing files are empty: granted" {
	run --separate-stderr "$INETD" -W "$W" -A sshd 192.0.2.1
	[ "$status" -eq 0 ]
	[ "$output" = "client: address 192.0.2.1
server: process sshd
access: granted" ]
	[ -z "$stderr" ]
}

@test "-A: with no -W it reads /etc/hosts.allow and /etc/hosts.deny" {
	need_ns
	# Only where /etc is the namespace's overlay: the real files are
	# never written.
	run in_ns sh -c '[ "$HOSTSACCESS_OVERLAY" = yes ] || exit 77
	    echo "sshd: 192.0.2.5 : spawn echo %a" >/etc/hosts.allow
	    echo "ALL: ALL" >/etc/hosts.deny
	    "$1" -A sshd 192.0.2.5; "$1" -A sshd 192.0.2.6' sh "$INETD"
	[ "$status" -ne 77 ] || skip "no overlayfs for a private /etc"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"matched: /etc/hosts.allow line 1
option: spawn echo 192.0.2.5
access: granted"* ]]
	[[ "$output" == *"matched: /etc/hosts.deny line 1
access: denied" ]]
}

@test "-A: user@client, IPv6 and v4-mapped clients" {
	allow 'sshd: joe@[2001:db8::]/32 KNOWN@10.0.0.1\nftpd: 10.0.0.0/8\n'
	deny 'ALL: ALL\n'
	run "$INETD" -W "$W" -A sshd joe@2001:DB8::7
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "client: address 2001:DB8::7" ]
	[ "${lines[1]}" = "client: username joe" ]
	run "$INETD" -W "$W" -A sshd root@2001:db8::7
	[ "$status" -eq 1 ]
	run "$INETD" -W "$W" -A sshd 10.0.0.1
	[ "$status" -eq 1 ]
	run "$INETD" -W "$W" -A sshd anne@10.0.0.1
	[ "$status" -eq 0 ]
	run "$INETD" -W "$W" -A ftpd ::ffff:10.9.8.7
	[ "$status" -eq 0 ]
	# tcpdmatch would look "[2001:db8::7]" up as a name; -A takes it.
	run "$INETD" -W "$W" -A sshd 'joe@[2001:db8::7]'
	[ "$status" -eq 0 ]
}

@test "-A: an address client is matched by its text, as tcpdmatch does" {
	allow 'ALL: 10.0.0.1\nALL: 8.0.0.0/8 : spawn echo %a\n'
	deny 'ALL: ALL\n'
	run "$INETD" -W "$W" -A sshd 010.0.0.1
	[ "$status" -eq 0 ]
	[[ "$output" == *"matched: $W/hosts.allow line 2
option: spawn echo 010.0.0.1"* ]]
}

@test "-A: a daemon path is normalized to its last component" {
	allow 'sshd: ALL\n'
	run --separate-stderr "$INETD" -W "$W" -A /usr/sbin/sshd 10.0.0.1
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "server: process sshd" ]
	[ "$stderr" = "inetd: warning: daemon name normalized to: sshd" ]
}

@test "-A: spawn and twist are reported, never run; twist is delegated" {
	allow "sshd: ALL : spawn touch $W/spawned %d\n"
	deny "ALL: 10.0.0.9 : twist touch $W/twisted %a\n"
	run "$INETD" -W "$W" -A sshd 10.0.0.9
	[ "$status" -eq 0 ]
	[[ "$output" == *"option: spawn touch $W/spawned sshd"* ]]
	run "$INETD" -W "$W" -A ftpd 10.0.0.9
	[ "$status" -eq 1 ]
	[[ "$output" == *"matched: $W/hosts.deny line 1
option: twist touch $W/twisted 10.0.0.9
access: delegated" ]]
	[ ! -e "$W/spawned" ]
	[ ! -e "$W/twisted" ]
}

@test "-A: banners are shown as sent, CR LF and all" {
	allow "ALL: ALL : banners $FIX/banners\n"
	run "$INETD" -W "$W" -A sshd joe@192.0.2.9
	[ "$status" -eq 0 ]
	[[ "$output" == *"option: banners $FIX/banners
banner: Hello 192.0.2.9, this is sshd.\\r\\n
banner: client joe@192.0.2.9 on 192.0.2.9 user joe server sshd unknown unknown\\r\\n
banner: % done \\r\\n
access: granted" ]]
	run "$INETD" -W "$W" -A in.telnetd 192.0.2.9
	[[ "$output" == *"banner: \\x00\\x00telnet to unknown\\r\\n
banner: last line without newline unknown
access: granted" ]]
}

@test "-A: a bad option denies, names file and line, exit 2" {
	allow 'sshd: ALL : severity auth.notice : umask 0999\n'
	run --separate-stderr "$INETD" -W "$W" -A sshd 10.0.0.1
	[ "$status" -eq 2 ]
	[ "${lines[-1]}" = "access: denied" ]
	[ "$stderr" = "inetd: $W/hosts.allow:1: bad umask value: \"0999\"" ]
}

@test "-A: rule warnings go to stderr and leave the exit status alone" {
	allow 'sshd 10.0.0.1\nsshd: 10.0.0.1\n'
	deny 'ALL: ALL\n'
	run --separate-stderr "$INETD" -W "$W" -A sshd 10.0.0.1
	[ "$status" -eq 0 ]
	[ "$stderr" = "inetd: warning: $W/hosts.allow:1: missing \":\" separator, rule ignored" ]
}

@test "-A: a table that cannot be read is an error, exit 2" {
	: >"$BATS_TEST_TMPDIR/plainfile"
	run --separate-stderr "$INETD" -W "$BATS_TEST_TMPDIR/plainfile" \
	    -A sshd 10.0.0.1
	[ "$status" -eq 2 ]
	[ "${lines[-1]}" = "access: denied" ]
	[[ "$stderr" == *"cannot open $BATS_TEST_TMPDIR/plainfile/hosts.allow: Not a directory"* ]]
	allow 'sshd: ALL'
	run --separate-stderr "$INETD" -W "$W" -A sshd 10.0.0.1
	[ "$status" -eq 2 ]
	[ "$stderr" = "inetd: $W/hosts.allow:1: line too long or without newline; this and the rules after it are ignored" ]
}

@test "-A: bad operands exit 2 with usage" {
	run --separate-stderr "$INETD" -A
	[ "$status" -eq 2 ]
	[ "$stderr" = "usage: inetd [-W dir] -A daemon[@server] [user@]client ... | -" ]
	run --separate-stderr "$INETD" -A sshd
	[ "$status" -eq 2 ]
	run --separate-stderr "$INETD" -A -Z sshd 10.0.0.1
	[ "$status" -eq 2 ]
}

@test "-A: several clients, as operands and from the standard input" {
	deny 'sshd: 192.0.2.9 198.51.100.0/24\n'
	run --separate-stderr "$INETD" -W "$W" -A sshd 203.0.113.1 192.0.2.9
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "client: address 203.0.113.1" ]
	[ "${lines[2]}" = "access: granted" ]
	[ "${lines[3]}" = "client: address 192.0.2.9" ]
	[ "$(printf '%s\n' "$output" | sed -n 4p)" = "" ]
	[ "${lines[-1]}" = "access: denied" ]
	printf '203.0.113.1 # a friend\n\n  joe@198.51.100.7\t203.0.113.2\n' \
	    >"$BATS_TEST_TMPDIR/clients"
	run --separate-stderr "$INETD" -W "$W" -A sshd - \
	    <"$BATS_TEST_TMPDIR/clients"
	[ "$status" -eq 1 ]
	[ -z "$stderr" ]
	[ "$(printf '%s\n' "${lines[@]}" | awk '/^client: address/ { c = $3 }
	    /^access:/ { printf "%s %s,", c, $2 }')" = \
	    "203.0.113.1 granted,198.51.100.7 denied,203.0.113.2 granted," ]
	[[ "$output" == *"client: username joe"* ]]
	run "$INETD" -W "$W" -A sshd - </dev/null
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# A client that cannot be resolved is an error; the others are checked.
	run --separate-stderr "$INETD" -W "$W" -A sshd '[bad' 203.0.113.1
	[ "$status" -eq 2 ]
	[[ "$output" == *"client: address 203.0.113.1"* ]]
}

@test "-h names the -A form" {
	run "$INETD" -h
	[ "$status" -eq 0 ]
	[[ "$output" == *"inetd [-W dir] -A daemon[@server] [user@]client ... | -"* ]]
}

@test "-A (namespace): a client name is checked at each of its addresses" {
	need_ns
	allow 'sshd: .example.test EXCEPT PARANOID\n'
	deny 'ALL: ALL\n'
	run in_ns "$INETD" -W "$W" -A sshd host1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "client: hostname host1.example.test" ]
	[ "${lines[1]}" = "client: address 10.0.0.1" ]
	run in_ns "$INETD" -W "$W" -A sshd dual.example.test
	echo "$output"
	[ "$status" -eq 0 ]
	# Both addresses, in getaddrinfo's order, a blank line between.
	[[ "$output" == *"client: address 10.0.0.7"* ]]
	[[ "$output" == *"client: address 2001:db8::7"* ]]
	[[ "$output" == *"access: granted

client: hostname dual.example.test"*"access: granted" ]]
	# liar.example.test is also an alias of canon.example.test; its
	# own address maps back to a name that does not map forward to it.
	run --separate-stderr in_ns "$INETD" -W "$W" -A sshd liar.example.test
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"client: hostname paranoid
client: address 10.0.0.99
server: process sshd
matched: $W/hosts.deny line 1
access: denied"* ]]
	[ "$stderr" = "inetd: warning: host name/name mismatch: liar.example.test != canon.example.test" ]
	run --separate-stderr in_ns "$INETD" -W "$W" -A sshd nohost.example.test
	[ "$status" -eq 2 ]
	[ "$stderr" = "inetd: nohost.example.test: host not found" ]
}

@test "-A (namespace): daemon@server needs exactly one server address" {
	need_ns
	allow 'sshd@srv.example.test: ALL\n'
	deny 'ALL: ALL\n'
	run in_ns "$INETD" -W "$W" -A sshd@192.0.2.1 10.0.0.1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"server: hostname srv.example.test
server: address 192.0.2.1"* ]]
	run --separate-stderr in_ns "$INETD" -W "$W" -A sshd@dual 10.0.0.1
	[ "$status" -eq 2 ]
	[ "$stderr" = "inetd: dual has more than one address; give one address" ]
}

# --- the engine as a daemon uses it -----------------------------------------

@test "engine: spawn runs with expansions, setenv reaches it, banner sent" {
	allow "sshd: ALL : setenv GREETING hi-%a : spawn echo \$GREETING %d %r >$W/spawned : banners $FIX/banners\n"
	run "$DRIVER" -x -n -I -a "$W/hosts.allow" -D "$W/hosts.deny" \
	    -c 10.0.0.1,40000 -s 192.0.2.1,22
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(cat "$W/spawned")" = "hi-10.0.0.1 sshd 40000" ]
	[[ "$output" == *"Hello 10.0.0.1, this is sshd."$'\r'* ]]
}

@test "engine: twist replaces the server" {
	allow "sshd: 10.0.0.0/8 : twist echo go away %a\n"
	run "$DRIVER" -x -n -I -a "$W/hosts.allow" -D "$W/hosts.deny" \
	    -c 10.0.0.1,40000 -s 192.0.2.1,22
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "go away 10.0.0.1" ]
}

@test "engine: aclexec decides whether its rule matches" {
	allow "sshd: ALL : aclexec test -e $W/flag\n"
	deny 'ALL: ALL\n'
	run "$DRIVER" -x -n -I -a "$W/hosts.allow" -D "$W/hosts.deny" \
	    -c 10.0.0.1,40000 -s 192.0.2.1,22
	[ "${lines[0]}" = "verdict: denied" ]
	[ "${lines[1]}" = "rule: $W/hosts.deny:1" ]
	# The failed aclexec unmatches its own rule only, not a later one.
	deny 'ALL: ALL : severity auth.info\n'
	run "$DRIVER" -x -n -I -a "$W/hosts.allow" -D "$W/hosts.deny" \
	    -c 10.0.0.1,40000 -s 192.0.2.1,22
	[ "${lines[0]}" = "verdict: denied" ]
	[ "${lines[1]}" = "rule: $W/hosts.deny:1" ]
	: >"$W/flag"
	run "$DRIVER" -x -n -I -a "$W/hosts.allow" -D "$W/hosts.deny" \
	    -c 10.0.0.1,40000 -s 192.0.2.1,22
	[ "${lines[0]}" = "verdict: granted" ]
	[ "${lines[1]}" = "rule: $W/hosts.allow:1" ]
}

@test "engine (namespace): names are looked up only when a pattern needs one" {
	need_ns
	allow 'sshd: 10.0.0.0/8 : spawn echo %h\nftpd: .example.test : spawn echo %h\nin.telnetd: PARANOID\n'
	deny 'ALL: ALL\n'
	run in_ns "$DRIVER" -I -a "$W/hosts.allow" -D "$W/hosts.deny" \
	    -c 10.0.0.1,40000 -s 192.0.2.1,22
	echo "$output"
	[ "${lines[0]}" = "verdict: granted" ]
	[ "${lines[5]}" = "names: - -" ]
	[[ "$output" == *"action: spawn key=spawn value=echo 10.0.0.1 "* ]]
	run in_ns "$DRIVER" -I -d ftpd -a "$W/hosts.allow" \
	    -D "$W/hosts.deny" -c 10.0.0.1,40000 -s 192.0.2.1,22
	echo "$output"
	[ "${lines[0]}" = "verdict: granted" ]
	[ "${lines[5]}" = "names: host1.example.test -" ]
	[[ "$output" == *"value=echo host1.example.test "* ]]
	run --separate-stderr in_ns "$DRIVER" -I -d in.telnetd \
	    -a "$W/hosts.allow" \
	    -D "$W/hosts.deny" -c 10.0.0.99,40000 -s 192.0.2.1,22
	echo "$output"
	[ "${lines[0]}" = "verdict: granted" ]
	[ "${lines[5]}" = "names: paranoid -" ]
	[ "$stderr" = "warning: $W/hosts.allow:3: host name/name mismatch: liar.example.test != canon.example.test" ]
}

@test "engine (namespace): user@host asks the client's ident server" {
	need_ns
	require_cmd python3 ip
	allow 'sshd: alice@127.0.0.1\n'
	deny 'ALL: ALL\n'
	# A one-shot identd: the right answer first, then one about other
	# ports.
	cat >"$BATS_TEST_TMPDIR/identd.py" <<-'EOF'
	import socket, sys
	s = socket.socket()
	s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
	s.bind(("127.0.0.1", 113))
	s.listen(4)
	open(sys.argv[1], "w").close()
	for lport in ("", "1"):
	    c, _ = s.accept()
	    rport, sport = c.makefile().readline().strip().split(",")
	    c.sendall(("%s , %s : USERID : UNIX : alice\r\n" %
	               (rport, lport or sport)).encode())
	    c.close()
	EOF
	run in_ns sh -c '
	    ip link set lo up
	    python3 "$1/identd.py" "$1/ready" 3>&- &
	    i=0; while [ ! -e "$1/ready" ] && [ $i -lt 500 ]; do
	        sleep 0.01; i=$((i + 1)); done
	    shift
	    "$@" -c 127.0.0.1,40000 -s 127.0.0.1,2222
	    "$@" -c 127.0.0.1,40001 -s 127.0.0.1,2222
	    wait' sh "$BATS_TEST_TMPDIR" "$DRIVER" -t 5 -a "$W/hosts.allow" \
	    -D "$W/hosts.deny"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "verdict: granted" ]
	[ "${lines[4]}" = "client: alice@127.0.0.1" ]
	[ "${lines[6]}" = "user: alice" ]
	# A reply about other ports is no answer.
	[ "${lines[7]}" = "verdict: denied" ]
	[ "${lines[13]}" = "user: unknown" ]
}

# --- documentation ------------------------------------------------------------

@test "man: hosts_access.5 and inetd.8 are lint-clean and cover every option" {
	[ -n "$MANDOC" ] || skip "needs mandoc"
	run "$MANDOC" -Tlint -Wwarning "$TOP_SRCDIR/man/hosts_access.5" \
	    "$TOP_SRCDIR/man/inetd.8"
	echo "$output"
	[ "$status" -eq 0 ]
	local page=$TOP_SRCDIR/man/hosts_access.5 o
	for o in allow deny spawn twist banners setenv umask nice user group \
	    keepalive linger rfc931 severity aclexec; do
		grep -q "^\.It Cm $o" "$page" || { echo "no $o"; false; }
	done
	for o in a A c d h H n N p r R s u %; do
		grep -q "^\.It Li \\\\&%$o\$" "$page" || { echo "no %$o"; false; }
	done
	grep -q '^\.It Fl A ' "$TOP_SRCDIR/man/inetd.8"
	grep -q '^\.It Fl W ' "$TOP_SRCDIR/man/inetd.8"
}
