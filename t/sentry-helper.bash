# sentry-helper.bash: shared by the t/sentry*.bats suites.
#
#   sentry_conf [KEY="value" ...]   $SCONF, every file under $BATS_TEST_TMPDIR;
#                                    a given line replaces the default key
#   sentry_lab                      attacker "a" and victim "v" namespaces
#   sentry_start [args...]          sentry -D in the victim, ready to use;
#                                    events in $EVENTS, log in $SLOG
#   sentry_stop                     SIGTERM, wait; returns the exit status
#   wait_event PATTERN [timeout]    an event line matching PATTERN
#   events                          the event lines without their stamps
#   probe TOOL ARGS...              a scanner run from the attacker
#   harness_start NAME BINDS -- cmd  a detector under t/sentry-ns.sh (its
#                                    syslog in $BATS_TEST_TMPDIR/NAME/syslog)
#   harness_lines NAME PATTERN      its syslog messages, without prefixes

SCONF=$BATS_TEST_TMPDIR/sentry.conf
LOGSINK=$TOP_BUILDDIR/t/sentry-logsink
export LOGSINK
EVENTS=$BATS_TEST_TMPDIR/events
SLOG=$BATS_TEST_TMPDIR/sentry.log

sentry_conf() {
	local d=$BATS_TEST_TMPDIR line key over
	local -a defaults=(
		'TCP_PORTS="1,11,15,79,111,119,143,540,635,1080,1524,2000,12345"'
		'UDP_PORTS="1,7,9,69,161,162,513,635,640,31337"'
		'ADVANCED_PORTS_TCP="1024"'
		'ADVANCED_PORTS_UDP="1024"'
		'ADVANCED_EXCLUDE_TCP="113,139"'
		'ADVANCED_EXCLUDE_UDP="520,138,137,67"'
		"IGNORE_FILE=\"$d/ignore\""
		"HISTORY_FILE=\"$d/history\""
		"BLOCKED_FILE=\"$d/blocked\""
		"HOSTS_DENY_FILE=\"$d/hosts.deny\""
		'RESOLVE_HOST="0"'
		'BLOCK_TCP="1"'
		'BLOCK_UDP="1"'
		'KILL_HOSTS_DENY="ALL: $TARGET$ : DENY"'
		'SCAN_TRIGGER="0"'
	)
	{
		for line in "$@"; do
			printf '%s\n' "$line"
		done
		for line in "${defaults[@]}"; do
			key=${line%%=*}
			for over in "$@"; do
				[ "${over%%[!A-Z0-9_]*}" = "$key" ] && continue 2
			done
			printf '%s\n' "$line"
		done
	} >"$SCONF"
	[ -e "$d/ignore" ] || : >"$d/ignore"
}

sentry_lab() {
	lab_pair a v
	A4=${LAB_IP4[a]} V4=${LAB_IP4[v]}
	A6=${LAB_IP6[a]} V6=${LAB_IP6[v]}
}

sentry_start() {
	: >"$EVENTS"
	ip netns exec "${LAB_NS[v]}" "$SENTRY" -D -c "$SCONF" "$@" \
	    >"$EVENTS" 2>"$SLOG" 3>&- &
	SENTRY_PID=$!
	echo "$SENTRY_PID" >>"$BATS_TEST_TMPDIR/.daemons"
	if ! wait_for_cmd 10 grep -q "now active and listening" "$SLOG"; then
		cat "$SLOG" >&2
		return 1
	fi
}

sentry_stop() {
	local rc=0
	kill -TERM "$SENTRY_PID" 2>/dev/null || return 0
	wait "$SENTRY_PID" || rc=$?
	return $rc
}

wait_event() { # pattern [timeout]
	if ! wait_for_cmd "${2:-10}" grep -q -e "$1" "$EVENTS"; then
		echo "no event matching: $1" >&2
		cat "$EVENTS" >&2
		return 1
	fi
}

events() {
	cut -d' ' -f2- "$EVENTS"
}

probe() { # tool args...: from the attacker, quietly
	ip netns exec "${LAB_NS[a]}" "$@" >/dev/null 2>&1 || true
}

# One TCP segment with the given hping3 flags (-S, -F, ...) to port $1.
hping() { # port flags... [target]
	local port=$1
	shift
	probe hping3 -q -c 1 -p "$port" "$@" "${HPING_TARGET:-$V4}"
}

# --- a detector in its own mount namespace (portsentry 1.2 or ours) ------

harness_start() { # name binds... -- command...
	local name=$1 dir
	shift
	dir=$BATS_TEST_TMPDIR/$name
	mkdir -p "$dir"
	ip netns exec "${LAB_NS[v]}" unshare -m -p -f --mount-proc \
	    --kill-child sh "$TOP_SRCDIR/t/sentry-ns.sh" "$dir" "$@" \
	    >"$dir/out" 2>&1 3>&- &
	echo $! >>"$BATS_TEST_TMPDIR/.harness"
	if ! wait_for_cmd 10 grep -q "is now active and listening" \
	    "$dir/syslog"; then
		cat "$dir/out" "$dir/syslog" >&2
		return 1
	fi
}

# The messages of a harness's syslog matching a pattern, in order.
harness_lines() { # name pattern
	sed -n 's/^[0-9.]* <[0-9]*>.\{15\} [a-z]*\[[0-9]*\]: //p' \
	    "$BATS_TEST_TMPDIR/$1/syslog" | grep -e "$2" || true
}

# Processes of the victim's network namespace in another PID namespace:
# what runs under a harness.
harness_pids() {
	local me p
	me=$(readlink /proc/self/ns/pid)
	for p in $(ip netns pids "${LAB_NS[v]}" 2>/dev/null); do
		[ "$(readlink "/proc/$p/ns/pid" 2>/dev/null)" = "$me" ] ||
		    echo "$p"
	done
}

harness_stop_all() {
	local pid
	[ -f "$BATS_TEST_TMPDIR/.harness" ] || return 0
	while read -r pid; do
		kill -KILL "$pid" 2>/dev/null || true
		{ wait "$pid" || true; } 2>/dev/null
	done <"$BATS_TEST_TMPDIR/.harness"
	rm -f "$BATS_TEST_TMPDIR/.harness"
	# The namespace's processes die after their first: wait for them.
	wait_for_cmd 10 harness_gone || true
}

harness_gone() {
	[ -z "$(harness_pids)" ]
}

teardown() {
	harness_stop_all
	helper_teardown
}
