#!/usr/bin/env bats
# inetd: configuration files.  -n checks a file and reports every problem
# as "file:line: message" (each asserted exactly here), exiting 1 on
# errors; xinetd's inheritance, operators, include and includedir rules;
# syntax detection; and the stock Debian xinetd files load unmodified.

load test_helper
load data/inetd/helper

setup_file() {
	xinetd_fetch
}

setup() {
	ME=$(id -un)
}

# check: inetd -n on $CONF, stdout and stderr apart.
check() {
	run --separate-stderr "$INETD" -n "$@" "$CONF"
}

# A valid external service entry in $CONF with the given attribute lines
# first (from line 3 on); a given attribute replaces the stock one.
svc_with() {
	local a base n
	{
		printf 'service t\n{\n'
		for a in "$@"; do
			printf '\t%s\n' "$a"
		done
		for base in "type = UNLISTED" "socket_type = stream" \
		    "protocol = tcp" "wait = no" "port = 7777" "user = $ME" \
		    "server = /bin/cat"; do
			n=${base%% *}
			for a in "$@"; do
				[ "${a%%[ +=-]*}" = "$n" ] && continue 2
			done
			printf '\t%s\n' "$base"
		done
		printf '}\n'
	} >"$CONF"
}

# bad "attribute line" "expected message": at line 3, service disabled.
bad() {
	svc_with "$1"
	check
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "inetd: $CONF:3: service t: $2; service disabled" ]
	[ "$output" = "$CONF: xinetd.conf syntax, 0 services enabled, 1 error, 0 warnings" ]
}

@test "-n: a clean file exits 0 with a summary on stdout only" {
	svc_with
	check
	[ "$status" -eq 0 ]
	[ "$output" = "$CONF: xinetd.conf syntax, 1 service enabled, 0 errors, 0 warnings" ]
	[ -z "$stderr" ]
}

@test "-n: an unreadable file is an error" {
	run --separate-stderr "$INETD" -n "$BATS_TEST_TMPDIR/none"
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "inetd: $BATS_TEST_TMPDIR/none: No such file or directory" ]
}

@test "bad values: each names the file, line, service and value" {
	bad "socket_type = bogus" "socket_type: unknown socket type 'bogus' (stream for a tcp service, dgram for a udp one)"
	bad "wait = maybe" "wait: 'maybe' is not yes or no"
	bad "port = 99999" "port: port number '99999' is invalid"
	bad "user = nosuchuser-x" "user: unknown user 'nosuchuser-x'"
	bad "protocol = nosuchproto" "protocol: unknown protocol 'nosuchproto'"
	bad "server = /nonexistent" "server: server /nonexistent is not executable: No such file or directory"
	bad "socket_type = raw" "socket_type: raw is not supported"
	bad "instances = many" "instances: 'many' is not a number or UNLIMITED"
	bad "per_source = -1" "per_source: '-1' is not a number or UNLIMITED"
	bad "cps = 1" "cps: expects 2 values, not 1"
	bad "cps = 10 x" "cps: 'x' is not a number"
	bad "log_type = SYSLOG nofacility" "log_type: unknown syslog facility 'nofacility'"
	bad "log_type = SYSLOG daemon loud" "log_type: unknown syslog level 'loud'"
	bad "log_type = FILE" "log_type: FILE takes a path and optional soft and hard limits"
	bad "log_type = FILE /x 10K 5K" "log_type: hard limit (5120) is less than soft limit (10240)"
	bad "log_type = CARRIER pigeon" "log_type: unknown log type 'CARRIER'"
	bad "log_on_success = PID FROG" "log_on_success: unknown log_on_success flag 'FROG'"
	bad "log_on_failure = HOST PID" "log_on_failure: unknown log_on_failure flag 'PID'"
	bad "only_from = 1.2.3.4.5" "only_from: invalid IPv4 address '1.2.3.4.5': expected 4 octets, got 5"
	bad "only_from = 10.0.0.0/33" "only_from: invalid network '10.0.0.0/33': prefix length 33 out of range (0-32)"
	bad "no_access = 10.0.0.1,10.0.0.2" "no_access: address '10.0.0.1,10.0.0.2' has a comma in it"
	bad "only_from = 10.1.2.0/255.255.0.255" "only_from: invalid network '10.1.2.0/255.255.0.255': netmask 255.255.0.255 is not contiguous"
	bad "only_from = no-such-host.invalid" "only_from: 'no-such-host.invalid' is not an address, network or known host name"
	bad "nice = 99" "nice: nice value '99' is too large (-20 to 19)"
	bad "umask = 999" "umask: '999' is not an octal umask"
	bad "flags = BOGUSFLAG" "flags: unknown flag 'BOGUSFLAG'"
	bad "type = WEIRD" "type: unknown service type 'WEIRD'"
	bad "access_times = 25:00-26:00" "access_times: '25:00-26:00' is not an interval hh:mm-hh:mm"
	bad "env = NOEQUALS" "env: 'NOEQUALS' is not NAME=VALUE"
	bad "env -= A=b" "env: operator '-=' is not supported for env"
	bad "max_load = -1" "max_load: '-1' is not a positive load average"
	bad "rlimit_as = lots" "rlimit_as: 'lots' is not a number (K or M allowed) or UNLIMITED"
	bad "rlimit_cpu = 10K" "rlimit_cpu: '10K' is not a number or UNLIMITED"
	bad "deny_time = soon" "deny_time: 'soon' is not minutes, FOREVER or NEVER"
	bad "v6only = perhaps" "v6only: 'perhaps' is not yes or no"
	bad "redirect = 127.0.0.1" "redirect: expects 2 values, not 1"
	bad "redirect = 127.0.0.1 nosuchport" "redirect: port 'nosuchport' is invalid"
	bad "bind = 999.1.1.1" "bind: invalid IPv4 address '999.1.1.1': octet 999 out of range (0-255)"
	bad "group = nosuchgroup-x" "group: unknown group 'nosuchgroup-x'"
	bad "instances += 3" "instances: operator '+=' cannot be used here"
	bad "server_args" "expected 'attribute = value', not 'server_args'"
}

@test "values of attributes set earlier in the entry are checked too" {
	printf 'service t\n{\n\ttype = UNLISTED\n\tsocket_type = stream\n\tprotocol = nosuchproto\n\twait = no\n\tport = 7777\n\tuser = nosuchuser-x\n\tserver = /nonexistent\n}\n' >"$CONF"
	check
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "inetd: $CONF:5: service t: protocol: unknown protocol 'nosuchproto'; service disabled" ]
	[ "${stderr_lines[1]}" = "inetd: $CONF:8: service t: user: unknown user 'nosuchuser-x'; service disabled" ]
	[ "${stderr_lines[2]}" = "inetd: $CONF:9: service t: server: server /nonexistent is not executable: No such file or directory; service disabled" ]
	[ "${stderr_lines[3]}" = "inetd: $CONF:1: service t is disabled by the errors above" ]
	[ "$output" = "$CONF: xinetd.conf syntax, 0 services enabled, 3 errors, 0 warnings" ]
}

@test "warnings: unknown attributes, repeats, misplaced ones; exit 0" {
	cat >"$CONF" <<-EOF
	defaults
	{
		server = /bin/cat
		frobnicate = 1
	}
	service t
	{
		type = UNLISTED
		socket_type = stream
		protocol = tcp
		wait = no
		port = 7777
		port = 7778
		user = $ME
		server = /bin/cat
		enabled = t
		colour = blue
	}
	EOF
	check
	[ "$status" -eq 0 ]
	[ "${stderr_lines[0]}" = "inetd: $CONF:3: defaults: 'server' is not allowed in defaults (ignored)" ]
	[ "${stderr_lines[1]}" = "inetd: $CONF:4: defaults: unknown attribute 'frobnicate' (ignored)" ]
	[ "${stderr_lines[2]}" = "inetd: $CONF:13: service t: port: already set (this value is ignored)" ]
	[ "${stderr_lines[3]}" = "inetd: $CONF:16: service t: 'enabled' belongs in defaults (ignored)" ]
	[ "${stderr_lines[4]}" = "inetd: $CONF:17: service t: unknown attribute 'colour' (ignored)" ]
	[ "$output" = "$CONF: xinetd.conf syntax, 1 service enabled, 0 errors, 5 warnings" ]
}

@test "structure errors: braces, keywords, truncated files" {
	cat >"$CONF" <<-EOF
	service
	frob nicate
	{
	    x = y
	}
	service a
	junk
	}
	service b
	{
	    socket_type = stream
	service c
	{
	    socket_type = stream
	EOF
	check
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "inetd: $CONF:1: service name missing" ]
	[ "${stderr_lines[1]}" = "inetd: $CONF:2: expected service, defaults, include or includedir, not 'frob'" ]
	[ "${stderr_lines[2]}" = "inetd: $CONF:7: service a: missing '{'" ]
	[ "${stderr_lines[3]}" = "inetd: $CONF:12: missing '}' before this line" ]
	[ "${stderr_lines[4]}" = "inetd: $CONF:14: service c: missing '}' at end of file" ]
}

@test "mandatory attributes are xinetd's, with its message" {
	cat >"$CONF" <<-EOF
	service nosock
	{
		type = UNLISTED
		protocol = tcp
		port = 7001
		user = $ME
		server = /bin/cat
	}
	service nouser
	{
		type = UNLISTED
		socket_type = stream
		protocol = tcp
		wait = no
		port = 7002
		server = /bin/cat
	}
	service noport
	{
		type = UNLISTED
		socket_type = stream
		protocol = tcp
		wait = no
		user = $ME
		server = /bin/cat
	}
	service echo
	{
		type = INTERNAL
		socket_type = stream
		wait = no
	}
	EOF
	check
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "inetd: $CONF:1: service nosock: missing attribute wait - DISABLING" ]
	[ "${stderr_lines[1]}" = "inetd: $CONF:9: service nouser: missing attribute user - DISABLING" ]
	[ "${stderr_lines[2]}" = "inetd: $CONF:18: service noport: missing attribute port - DISABLING" ]
	[ "$output" = "$CONF: xinetd.conf syntax, 1 service enabled, 3 errors, 0 warnings" ]
}

@test "service checks: ports, internal names, NAMEINARGS, duplicates, RPC" {
	cat >"$CONF" <<-EOF
	service echo
	{
		socket_type = stream
		wait = no
		type = INTERNAL
		port = 8
	}
	service frobd
	{
		type = INTERNAL UNLISTED
		socket_type = stream
		wait = no
		port = 7003
	}
	service n
	{
		type = UNLISTED
		socket_type = stream
		protocol = tcp
		wait = no
		port = 7004
		user = $ME
		server = /bin/cat
		flags = NAMEINARGS
	}
	service one
	{
		type = UNLISTED
		socket_type = stream
		protocol = tcp
		wait = no
		port = 7005
		user = $ME
		server = /bin/cat
	}
	service two
	{
		type = UNLISTED
		id = one
		socket_type = stream
		protocol = tcp
		wait = no
		port = 7005
		user = $ME
		server = /bin/cat
	}
	service rstatd
	{
		type = RPC
		socket_type = dgram
		protocol = udp
		wait = yes
		user = $ME
		server = /bin/cat
		rpc_version = 2-4
	}
	EOF
	check
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "inetd: $CONF:1: service echo: expects port 7, not 8 (use type = UNLISTED for another port); service disabled" ]
	[ "${stderr_lines[1]}" = "inetd: $CONF:8: service frobd: no such internal service: frobd/stream - DISABLING" ]
	[ "${stderr_lines[2]}" = "inetd: $CONF:15: service n: has the NAMEINARGS flag set and no server_args; service disabled" ]
	[ "${stderr_lines[3]}" = "inetd: $CONF:36: service one: id one not unique or is a duplicate - DISABLING" ]
	[ "${stderr_lines[4]}" = "inetd: $CONF:47: service rstatd: RPC services are not supported; service disabled" ]
	[ "$output" = "$CONF: xinetd.conf syntax, 1 service enabled, 5 errors, 0 warnings" ]
}

@test "flags that do not apply here are warned about, not ignored silently" {
	svc_with "flags = INTERCEPT LABELED"
	check
	[ "$status" -eq 0 ]
	[ "${stderr_lines[0]}" = "inetd: $CONF:1: service t: flag INTERCEPT is not supported (ignored); access is checked on every connection or first datagram" ]
	[ "${stderr_lines[1]}" = "inetd: $CONF:1: service t: flag LABELED (SELinux) is not supported (ignored)" ]
}

@test "an invalid bind address is an error, never the wildcard" {
	svc_with "bind = 300.0.0.1"
	check
	[ "$status" -eq 1 ]
	run --separate-stderr timeout 10 "$INETD" -i -f "$CONF"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"bind: invalid IPv4 address '300.0.0.1'"* ]]
	[[ "$stderr" == *"inetd: no services. Exiting..."* ]]
	! ss -Hltn "sport = :7777" | grep -q .
}

@test "lenient syntax: { on the service line, no blanks around =, # comments" {
	cat >"$CONF" <<-EOF
	defaults {
		instances=7 # seven
	}
	service t {   # a comment here too
		type=UNLISTED
		socket_type =stream
		protocol= tcp
		wait = no
		port = 7777
		user = $ME
		server = /bin/cat
		server_args = -u }
	EOF
	run --separate-stderr "$INETD" -n -d "$CONF"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "$output" == *"argv = cat -u"$'\n'* ]]
	[[ "$output" == *"instances=7 "* ]]
	[[ "$output" == *"1 service enabled, 0 errors, 0 warnings"* ]]
}

@test "inheritance: list attributes accumulate, += extends, = replaces" {
	cat >"$CONF" <<-EOF
	defaults
	{
		log_type = SYSLOG local3 notice
		log_on_success = PID
		log_on_success = HOST
		log_on_failure = HOST
		instances = 4
		cps = 9 3
		disabled = off
	}
	service plus
	{
		type = UNLISTED
		socket_type = stream
		protocol = tcp
		wait = no
		port = 7001
		user = $ME
		server = /bin/cat
		log_on_success += EXIT
		log_on_failure -= HOST
	}
	service equal
	{
		type = UNLISTED
		socket_type = stream
		protocol = tcp
		wait = no
		port = 7002
		user = $ME
		server = /bin/cat
		log_on_success = DURATION
		instances = UNLIMITED
		cps = 0 0
	}
	service off
	{
		type = UNLISTED
		socket_type = stream
		protocol = tcp
		wait = no
		port = 7003
		user = $ME
		server = /bin/cat
	}
	EOF
	run --separate-stderr "$INETD" -n -d "$CONF"
	[ "$status" -eq 0 ]
	plus=$(printf '%s\n' "$output" | sed -n '/^service plus/,/^$/p')
	equal=$(printf '%s\n' "$output" | sed -n '/^service equal/,/^$/p')
	[[ "$plus" == *"log_type = SYSLOG local3 notice"* ]]
	[[ "$plus" == *"log_on_success = PID HOST EXIT"$'\n'* ]]
	[[ "$plus" == *"log_on_failure ="$'\n'* ]]
	[[ "$plus" == *"instances=4 "*"cps=9/1s,3s"* ]]
	[[ "$equal" == *"log_on_success = DURATION"$'\n'* ]]
	[[ "$equal" == *"instances=UNLIMITED "*"cps=0/1s,0s"* ]]
	[[ "$output" != *"service off"* ]]
	[[ "$output" == *"2 services enabled"* ]]
}

@test "enabled in defaults keeps only the listed ids" {
	cat >"$CONF" <<-EOF
	defaults
	{
		enabled = b
	}
	EOF
	for n in a b c; do
		printf 'service %s\n{\n\ttype = INTERNAL UNLISTED\n\tid = %s\n\tsocket_type = stream\n\twait = no\n\tport = 71%d\n}\n' \
		    echo "$n" "$(printf '%d' "'$n")" >>"$CONF"
	done
	run --separate-stderr "$INETD" -n -d "$CONF"
	[ "$status" -eq 0 ]
	[[ "$output" == *"id = b"* ]]
	[[ "$output" != *"id = a"* ]] && [[ "$output" != *"id = c"* ]]
}

@test "includedir: C-locale order, names with a dot or ending in ~ skipped" {
	mkdir "$BATS_TEST_TMPDIR/d"
	for n in b a B c.rpmsave d~ e.dpkg-old; do
		printf 'service echo\n{\n\ttype = INTERNAL UNLISTED\n\tid = %s\n\tsocket_type = stream\n\twait = no\n\tport = %d\n}\n' \
		    "$n" $((7000 + RANDOM % 1000)) >"$BATS_TEST_TMPDIR/d/$n"
	done
	printf 'includedir d\n' >"$CONF"
	run --separate-stderr "$INETD" -n -d "$CONF"
	[ "$status" -eq 0 ]
	ids=$(printf '%s\n' "$output" | sed -n 's/^	id = //p' | tr '\n' ' ')
	[ "$ids" = "B a b " ]
}

@test "include: relative to the including file; errors name both files" {
	mkdir "$BATS_TEST_TMPDIR/sub"
	printf 'include sub/part\n' >"$CONF"
	printf 'service echo\n{\n\ttype = INTERNAL UNLISTED\n\tsocket_type = stream\n\twait = maybe\n\tport = 7000\n}\ninclude missing\n' \
	    >"$BATS_TEST_TMPDIR/sub/part"
	check
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "inetd: $BATS_TEST_TMPDIR/sub/part:5: service echo: wait: 'maybe' is not yes or no; service disabled" ]
	[ "${stderr_lines[1]}" = "inetd: $BATS_TEST_TMPDIR/sub/part:8: include $BATS_TEST_TMPDIR/sub/missing: No such file or directory" ]
}

@test "syntax is detected from the content; -S forces it" {
	printf 'echo stream tcp nowait %s internal\n' "$ME" >"$CONF"
	check
	[ "$status" -eq 0 ]
	[ "$output" = "$CONF: inetd.conf syntax, 1 service enabled, 0 errors, 0 warnings" ]
	check -S xinetd
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "inetd: $CONF:1: expected service, defaults, include or includedir, not 'echo'" ]
	run --separate-stderr "$INETD" -n -S bsd "$CONF"
	[ "$status" -eq 1 ]
	[ "$stderr" = "inetd: -S: syntax must be xinetd or inetd, not bsd" ]
}

@test "the stock Debian xinetd.d files load unmodified and cleanly" {
	require_xinetd
	printf 'includedir %s\n' "$XINETD_ROOT/etc/xinetd.d" >"$CONF"
	check
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	# Every stock service ships disabled.
	[ "$output" = "$CONF: xinetd.conf syntax, 0 services enabled, 0 errors, 0 warnings" ]
}

@test "the stock xinetd.conf, as /etc/xinetd.conf, loads unmodified" {
	require_xinetd
	require_root
	require_cmd unshare
	run unshare -m sh -c "mount -t overlay overlay \
	    -o lowerdir=$XINETD_ROOT/etc:/etc /etc && \
	    exec '$INETD' -n /etc/xinetd.conf"
	[ "$status" -eq 0 ]
	[ "$output" = "/etc/xinetd.conf: xinetd.conf syntax, 0 services enabled, 0 errors, 0 warnings" ]
}

@test "all stock services enabled: xinetd's duplicate-id and unknown-service errors" {
	require_xinetd
	mkdir "$BATS_TEST_TMPDIR/d"
	for f in "$XINETD_ROOT"/etc/xinetd.d/*; do
		sed 's/disable.*= yes/disable = no/' "$f" \
		    >"$BATS_TEST_TMPDIR/d/$(basename "$f")"
	done
	printf 'includedir %s\n' "$BATS_TEST_TMPDIR/d" >"$CONF"
	check
	[ "$status" -eq 1 ]
	[ "$output" = "$CONF: xinetd.conf syntax, 10 services enabled, 7 errors, 0 warnings" ]
	d=$BATS_TEST_TMPDIR/d
	[ "${stderr_lines[0]}" = "inetd: $d/chargen-udp:4: service chargen-dgram: id chargen-dgram not unique or is a duplicate - DISABLING" ]
	[[ "$stderr" == *"inetd: $d/servers:4: service servers: no such internal service: servers/stream - DISABLING"* ]]
	[[ "$stderr" == *"inetd: $d/services:4: service services: no such internal service: services/stream - DISABLING"* ]]
}

@test "without netbase (no /etc/services, /etc/protocols) names still resolve" {
	require_root
	require_cmd unshare
	cat >"$CONF" <<-EOF
	service echo
	{
		type        = INTERNAL
		socket_type = stream
		protocol    = tcp
		wait        = no
	}
	service daytime
	{
		type        = INTERNAL
		socket_type = dgram
		wait        = yes
	}
	EOF
	printf 'echo stream tcp nowait root internal\nchargen dgram udp6 wait root internal\n' \
	    >"$BATS_TEST_TMPDIR/bsd.conf"
	# In a private mount namespace, an overlay on /etc without both
	# files: a bare install without the netbase package.
	# (upper and work on a tmpfs: $BATS_TEST_TMPDIR may be on overlayfs)
	mkdir "$BATS_TEST_TMPDIR/ov"
	run --separate-stderr unshare -m sh -c '
		mount -t tmpfs tmpfs "$4/ov" && mkdir "$4/ov/up" "$4/ov/wk" &&
		mount -t overlay overlay -o "lowerdir=/etc,upperdir=$4/ov/up,workdir=$4/ov/wk" /etc &&
		rm /etc/services /etc/protocols &&
		"$1" -n -f "$2" && "$1" -n -S inetd "$3"' sh "$INETD" "$CONF" \
	    "$BATS_TEST_TMPDIR/bsd.conf" "$BATS_TEST_TMPDIR"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${lines[0]}" = "$CONF: xinetd.conf syntax, 2 services enabled, 0 errors, 0 warnings" ]
	[ "${lines[1]}" = "$BATS_TEST_TMPDIR/bsd.conf: inetd.conf syntax, 2 services enabled, 0 errors, 0 warnings" ]
}

# --- messages that teach ------------------------------------------------
# A textbook's Red Hat xinetd.conf as a student typed it: each problem
# still names its file and line, and now also what was probably meant.

@test "a textbook config typed with slips: each error says what was meant" {
	CONF=$BATS_TEST_TMPDIR/xinetd.conf
	sed "s|/usr/sbin/in.telnetd|$BATS_TEST_TMPDIR/in.telnetd|" \
	    "$DATA/lab/xinetd-textbook.conf" >"$CONF"
	check
	[ "$status" -eq 1 ]
	[ "$output" = "$CONF: xinetd.conf syntax, 0 services enabled, 8 errors, 1 warning" ]
	local e=(
	"$CONF:8: defaults: enabled: no value, so no service is enabled (remove the line or comment it out)"
	"$CONF:9: defaults: log_type: unknown log type 'STSLOG' (did you mean SYSLOG?), unknown syslog facility 'deamon' (did you mean daemon?)"
	"$CONF:12: defaults: max_load: '0' is not a positive load average (0 is not \"no limit\": remove the line or comment it out)"
	"$CONF:16: defaults: bind: no value (remove the line or comment it out)"
	"$CONF:20: defaults: banner: no value (remove the line or comment it out)"
	"$CONF:23: expected service, defaults, include or includedir, not 'Includedir' (did you mean includedir?)"
	"$CONF:27: service telnet: flags: unknown flag 'IDPNLY' (did you mean IDONLY?), 'DISARLE' (did you mean DISABLE?); service disabled"
	"$CONF:28: service telnet: socket_type: unknown socket type 'no' (did you mean stream? telnet is a tcp service); 'no' is a value of wait, which goes on a line of its own; service disabled"
	"$CONF:31: service telnet: server: server $BATS_TEST_TMPDIR/in.telnetd is not executable: No such file or directory; service disabled"
	"$CONF:25: service telnet is disabled by the errors above"
	)
	local i
	for i in "${!e[@]}"; do
		[ "${stderr_lines[$i]}" = "inetd: ${e[$i]}" ]
	done
	[ "${#stderr_lines[@]}" -eq "${#e[@]}" ]
}

@test "suggestions for every kind of word of the xinetd syntax" {
	svc_with "protocol = tpc" "wait = nowait" "instances = unlimited" \
	    "log_on_success = PID HOTS" "log_type = SYSLOG daemon inof" \
	    "deny_time = forever" "groups = true" "rlimit_cpu = UNLIMTED" \
	    "sever = /bin/cat" "type = UNLISTDE" "access_times ="
	check
	[ "$status" -eq 1 ]
	local e=(
	"3: service t: protocol: unknown protocol 'tpc' (did you mean tcp?); service disabled"
	"4: service t: wait: 'nowait' is not yes or no (did you mean no? nowait is inetd.conf's word); service disabled"
	"5: service t: instances: 'unlimited' is not a number or UNLIMITED (did you mean UNLIMITED?); service disabled"
	"6: service t: log_on_success: unknown log_on_success flag 'HOTS' (did you mean HOST?); service disabled"
	"7: service t: log_type: unknown syslog level 'inof' (did you mean info?); service disabled"
	"8: service t: deny_time: 'forever' is not minutes, FOREVER or NEVER (did you mean FOREVER?); service disabled"
	"9: service t: groups: 'true' is not yes or no (did you mean yes?); service disabled"
	"10: service t: rlimit_cpu: 'UNLIMTED' is not a number or UNLIMITED (did you mean UNLIMITED?); service disabled"
	"11: service t: unknown attribute 'sever' (did you mean server?) (ignored)"
	"12: service t: type: unknown service type 'UNLISTDE' (did you mean UNLISTED?); service disabled"
	"13: service t: access_times: no value (remove the line or comment it out); service disabled"
	)
	local i
	for i in "${!e[@]}"; do
		[ "${stderr_lines[$i]}" = "inetd: $CONF:${e[$i]}" ]
	done
	# A word far from every known one gets no guess.
	svc_with "flags = ZZZZZZ"
	check
	[ "${stderr_lines[0]}" = "inetd: $CONF:3: service t: flags: unknown flag 'ZZZZZZ'; service disabled" ]
}

@test "socket_type: a word far from every type is answered from the protocol" {
	printf 'service x\n{\n\tprotocol = udp\n\tsocket_type = no\n}\n' \
	    >"$CONF"
	check
	[ "${stderr_lines[0]}" = "inetd: $CONF:4: service x: socket_type: unknown socket type 'no' (did you mean dgram? the protocol is udp); 'no' is a value of wait, which goes on a line of its own; service disabled" ]
	printf 'service t\n{\n\tsocket_type = strem\n}\n' >"$CONF"
	check
	[ "${stderr_lines[0]}" = "inetd: $CONF:3: service t: socket_type: unknown socket type 'strem' (did you mean stream?); service disabled" ]
}

@test "empty only_from and no_access in defaults do nothing, as in xinetd" {
	P=$(free_port)
	printf 'defaults\n{\n\tonly_from =\n\tno_access =\n}\nservice echo\n{\n\ttype = INTERNAL UNLISTED\n\tsocket_type = stream\n\tprotocol = tcp\n\twait = no\n\tport = %s\n\tbind = 127.0.0.1\n}\n' \
	    "$P" >"$CONF"
	check
	[ "$status" -eq 0 ]
	[ "${stderr_lines[0]}" = "inetd: $CONF:3: defaults: only_from: no value, which does nothing in defaults (remove the line or comment it out)" ]
	[ "${stderr_lines[1]}" = "inetd: $CONF:4: defaults: no_access: no value, which does nothing in defaults (remove the line or comment it out)" ]
	daemon_start inetd "$INETD" -d -f "$CONF"
	wait_for_port "$P"
	[ "$(echo hi | nc -N -w 2 127.0.0.1 "$P")" = hi ]
}

@test "suggestions in the inetd.conf syntax and for internal services" {
	CONF=$BATS_TEST_TMPDIR/inetd.conf
	cat >"$CONF" <<-'EOF'
	echo	stram	tcp	nowait	root	internal
	daytime	stream	tpc6	nowait	root	internal
	chargen	stream	tcp	no	root	internal
	time	stream	tcp	nowait	root	interal
	telent	stream	tcp	nowait	root	/bin/cat	cat
	EOF
	check -S inetd
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "inetd: $CONF:1: unknown socket type 'stram' (did you mean stream?)" ]
	[ "${stderr_lines[1]}" = "inetd: $CONF:2: unknown protocol 'tpc6' (did you mean tcp6?)" ]
	[ "${stderr_lines[2]}" = "inetd: $CONF:3: 'no' is not wait or nowait (did you mean nowait? no is xinetd's word)" ]
	[ "${stderr_lines[3]}" = "inetd: $CONF:4: server interal is not executable (not an absolute path) (did you mean internal?)" ]
	[ "${stderr_lines[4]}" = "inetd: $CONF:5: unknown service telent/tcp (did you mean telnet?)" ]
	CONF=$BATS_TEST_TMPDIR/x.conf
	printf 'service daytme\n{\n\ttype = INTERNAL UNLISTED\n\tsocket_type = stream\n\tprotocol = tcp\n\twait = no\n\tport = 13\n}\n' >"$CONF"
	check
	[ "${stderr_lines[0]}" = "inetd: $CONF:1: service daytme: no such internal service: daytme/stream (did you mean daytime?) - DISABLING" ]
}

@test "a misspelt user or group is named with the one in the system's database" {
	getent passwd nobody >/dev/null && getent group nogroup >/dev/null ||
	    skip "needs the user nobody and the group nogroup"
	svc_with "user = nobdy" "group = nogrop"
	check
	[ "${stderr_lines[0]}" = "inetd: $CONF:3: service t: user: unknown user 'nobdy' (did you mean nobody?); service disabled" ]
	[ "${stderr_lines[1]}" = "inetd: $CONF:4: service t: group: unknown group 'nogrop' (did you mean nogroup?); service disabled" ]
	CONF=$BATS_TEST_TMPDIR/inetd.conf
	printf 'echo stream tcp nowait nobdy internal\necho stream tcp6 nowait nobody:nogrop internal\n' >"$CONF"
	check
	[ "${stderr_lines[0]}" = "inetd: $CONF:1: unknown user 'nobdy' (did you mean nobody?)" ]
	[ "${stderr_lines[1]}" = "inetd: $CONF:2: unknown group 'nogrop' (did you mean nogroup?)" ]
}

@test "a misspelt word option or -syslog facility is named with the near one" {
	run --separate-stderr "$INETD" -dontfrok
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "inetd: unknown option -dontfrok (did you mean -dontfork?)" ]
	run --separate-stderr "$INETD" -syslog deamon
	[ "$status" -eq 1 ]
	[ "$stderr" = "inetd: -syslog: unknown facility deamon (did you mean daemon?)" ]
}
