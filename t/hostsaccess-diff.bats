#!/usr/bin/env bats
# inetd -A against libwrap's own answer, tcpdmatch -d (Debian package
# tcpd), on generated rule sets and questions: see hostsaccess_diff.py.
# The cases come from a seed (printed; HOSTSACCESS_SEED picks another,
# HOSTSACCESS_CASES changes how many), and a mismatch prints the case and
# the command line that replays it.
#
# Numeric questions need nothing but tcpdmatch.  Names, servers and
# netgroups are asked inside a private mount and network namespace whose
# /etc/hosts is a test file: no resolver is ever reached, the real /etc is
# never touched.  There /dev/log is ours too, so what libwrap logs (the
# matched file and line, the options, errors) is compared as well.

load test_helper

setup() {
	TCPDMATCH=$(command -v tcpdmatch || echo /usr/sbin/tcpdmatch)
	[ -x "$TCPDMATCH" ] || skip "needs tcpdmatch (Debian package tcpd)"
	require_cmd python3
	SEED=${HOSTSACCESS_SEED:-4}
	mkdir -p "$BATS_TEST_TMPDIR/work"
}

diff_run() { # driver options...
	python3 "$TOP_SRCDIR/t/hostsaccess_diff.py" --inetd "$INETD" \
	    --tcpdmatch "$TCPDMATCH" --fixtures "$DATA/hostsaccess" \
	    --workdir "$BATS_TEST_TMPDIR/work" --seed "$SEED" "$@"
}

# The test namespace needs root and unshare(1); skip otherwise.  Call it
# in the test itself: a skip inside "run" would not skip.
need_ns() {
	require_root
	require_cmd unshare
	unshare -m -n -p -f --kill-child --mount-proc true 2>/dev/null || skip "no mount namespaces here"
}

# Run the driver in the test namespace.
diff_ns_run() {
	unshare -m -n -p -f --kill-child --mount-proc sh "$TOP_SRCDIR/t/hostsaccess-ns.sh" \
	    "$DATA/hostsaccess/etc" "$BATS_TEST_TMPDIR/ns" \
	    python3 "$TOP_SRCDIR/t/hostsaccess_diff.py" --inetd "$INETD" \
	    --tcpdmatch "$TCPDMATCH" --fixtures "$DATA/hostsaccess" \
	    --workdir "$BATS_TEST_TMPDIR/work" --seed "$SEED" --syslog "$@"
}

@test "differential: numeric clients agree with tcpdmatch on every verdict" {
	run diff_run --mode numeric --cases "${HOSTSACCESS_CASES:-500}"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"verdicts seen: "*denied*granted* ]]
}

@test "differential (namespace): numeric clients, also matched line, options, errors, banners" {
	need_ns
	run diff_ns_run --mode numeric --cases "${HOSTSACCESS_CASES:-300}"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"syslog yes"* ]]
	[[ "$output" == *"verdicts seen: "*denied*granted* ]]
}

@test "differential (namespace): names, PARANOID, servers, netgroups agree with tcpdmatch" {
	need_ns
	run diff_ns_run --mode names --cases "${HOSTSACCESS_CASES:-300}"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"verdicts seen: "*denied*error*granted* ]]
}

@test "differential: the harness catches a wrong verdict" {
	# A stand-in for inetd that always says granted must be caught, or
	# the comparisons above could never fail.
	cat >"$BATS_TEST_TMPDIR/liar" <<-'EOF'
	#!/bin/sh
	echo "access: granted"
	EOF
	chmod +x "$BATS_TEST_TMPDIR/liar"
	INETD=$BATS_TEST_TMPDIR/liar
	run diff_run --mode numeric --cases 100
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"MISMATCH seed $SEED case "*"(replay: --seed $SEED --first "* ]]
}
