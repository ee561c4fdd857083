# helper.bash: shared setup for the t/inetd-*.bats suites.
#
# Load it after test_helper:  load test_helper; load data/inetd/helper
#
#   $CLIENT $REPORT    the t/inetd-client and t/inetd-report helpers
#   inetd_setup        the usual setup: $P a free port, $ME, defaults
#   cat_service NAME PORT [attr = value]...  an external /bin/cat entry
#   report_service NAME PORT [attr = value]... the same, t/inetd-report
#   $CONF $SVCLOG      the test's configuration file and service log
#   conf_defaults      write the usual defaults entry (FILE log) to $CONF
#   conf_service NAME PORT [attr = value]...   append an UNLISTED entry
#   inetd_start [args] start inetd -d on $CONF, wait until it listens
#   inetd_stop         stop it (SIGTERM), returning its exit status
#   svclog_lines       the service log without its time stamps
#   wait_for_svclog PATTERN   poll the service log

bats_require_minimum_version 1.5.0

CLIENT=$TOP_BUILDDIR/t/inetd-client
REPORT=$TOP_BUILDDIR/t/inetd-report
CONF=$BATS_TEST_TMPDIR/inetd.conf
SVCLOG=$BATS_TEST_TMPDIR/svc.log
INETD_LOG=$BATS_TEST_TMPDIR/inetd.log

# The rule files are the test's own (absent: everything is allowed), so
# the machine's /etc/hosts.allow and /etc/hosts.deny never count.
conf_defaults() {
	local a wrap=1
	for a in "$@"; do
		case $a in hosts_allow*|hosts_deny*) wrap=0 ;; esac
	done
	cat >"$CONF" <<-EOC
	defaults
	{
		log_type = FILE $SVCLOG
		log_on_success = PID HOST EXIT DURATION
		log_on_failure = HOST ATTEMPT
	$([ $wrap -eq 0 ] || printf '\thosts_allow = %s\n\thosts_deny = %s\n' \
	    "$BATS_TEST_TMPDIR/hosts.allow" "$BATS_TEST_TMPDIR/hosts.deny")
	$(for a in "$@"; do printf '\t%s\n' "$a"; done)
	}
	EOC
}

# conf_service NAME PORT [attribute lines...]: an UNLISTED service entry.
conf_service() {
	local name=$1 port=$2 a
	shift 2
	{
		printf 'service %s\n{\n' "$name"
		printf '\tport = %s\n' "$port"
		for a in "$@"; do
			printf '\t%s\n' "$a"
		done
		printf '}\n'
	} >>"$CONF"
}

# An internal service: conf_internal NAME PORT stream|dgram [attrs...]
conf_internal() {
	local name=$1 port=$2 type=$3
	shift 3
	conf_service "$name" "$port" "type = INTERNAL UNLISTED" \
	    "socket_type = $type" \
	    "protocol = $([ "$type" = stream ] && echo tcp || echo udp)" \
	    "wait = $([ "$type" = stream ] && echo no || echo yes)" "$@"
}

# inetd_start [options]: -d on $CONF; a file without hosts_allow (an
# inetd.conf, say) gets -W pointing at the test's directory.
inetd_start() {
	grep -q hosts_allow "$CONF" 2>/dev/null ||
	    set -- -W "$BATS_TEST_TMPDIR" "$@"
	daemon_start inetd "$INETD" -d "$@" -f "$CONF"
	wait_for_log ' started: ' "$INETD_LOG" 10 || {
		cat "$INETD_LOG"
		return 1
	}
}

inetd_stop() {
	daemon_stop inetd
}

svclog_lines() {
	[ -f "$SVCLOG" ] || return 0
	sed -E 's/^[0-9]{2}\/[0-9]{1,2}\/[0-9]{1,2}@[0-9]{2}:[0-9]{2}:[0-9]{2}: //' \
	    "$SVCLOG"
}

wait_for_svclog() { # pattern [timeout]
	wait_for_cmd "${2:-10}" grep -q -e "$1" "$SVCLOG"
}

# The pid inetd runs as.
inetd_pid() {
	cat "$BATS_TEST_TMPDIR/inetd.pid"
}

# Send a signal to the daemon.
inetd_kill() {
	kill "-$1" "$(inetd_pid)"
}

# xinetd_fetch: unpack Debian's xinetd package (the anchor) into
# $BATS_FILE_TMPDIR/xinetd once per suite; call from setup_file.  Sets
# XINETD_ROOT, or leaves it empty when the package cannot be had.
xinetd_fetch() {
	local d=$BATS_FILE_TMPDIR/xinetd
	XINETD_ROOT=
	if [ ! -x "$d/root/usr/sbin/xinetd" ]; then
		mkdir -p "$d"
		(cd "$d" && apt-get download xinetd >/dev/null 2>&1 &&
		    dpkg -x xinetd_*.deb root) || return 0
	fi
	[ -x "$d/root/usr/sbin/xinetd" ] && XINETD_ROOT=$d/root
	export XINETD_ROOT
}

require_xinetd() {
	[ -n "${XINETD_ROOT:-}" ] ||
	    skip "xinetd package not available (apt-get download xinetd)"
}

# The setup most suites share: a free port in $P, the user in $ME, and a
# configuration that starts with the defaults entry.
inetd_setup() {
	require_cmd ss
	P=$(free_port)
	ME=$(id -un)
	conf_defaults "$@"
}

cat_service() { # name port [attrs...]
	local n=$1 p=$2
	shift 2
	conf_service "$n" "$p" "type = UNLISTED" "socket_type = stream" \
	    "protocol = tcp" "wait = no" "user = $ME" "server = /bin/cat" "$@"
}

report_service() { # name port [attrs...]
	local n=$1 p=$2
	shift 2
	conf_service "$n" "$p" "type = UNLISTED" "socket_type = stream" \
	    "protocol = tcp" "wait = no" "user = $ME" "server = $REPORT" "$@"
}
