#!/usr/bin/env bats
# inetd: tcp_wrappers while serving: hosts.allow / hosts.deny named by
# the hosts_allow and hosts_deny attributes or -W, FAIL libwrap lines and
# tcpd's verdict line, the daemon name xinetd passes, and the rules'
# options (spawn, twist, banners, setenv) for external and internal
# services.  Never the machine's own /etc/hosts.* files.

load test_helper
load data/inetd/helper

setup() {
	W=$BATS_TEST_TMPDIR/wrap
	mkdir -p "$W"
	: >"$W/hosts.allow"
	: >"$W/hosts.deny"
	inetd_setup "hosts_allow = $W/hosts.allow" "hosts_deny = $W/hosts.deny"
}

ask() { # [client args...]
	"$CLIENT" -t 3 -S "$@" 127.0.0.1 "$P"
}

@test "hosts.deny refuses: FAIL libwrap, banner_fail, tcpd's line" {
	printf 'NO\r\n' >"$BATS_TEST_TMPDIR/no"
	report_service rep "$P" "banner_fail = $BATS_TEST_TMPDIR/no"
	echo 'ALL: 127.0.0.2' >"$W/hosts.deny"
	inetd_start
	run ask -b 127.0.0.2
	[ "$output" = "$(printf 'NO\r')" ]
	wait_for_svclog 'FAIL: rep libwrap from=127.0.0.2'
	grep -q 'inetd: refused connect from 127.0.0.2 (service rep, daemon inetd-report)' \
	    "$INETD_LOG"
	run ask -b 127.0.0.3
	[[ "$output" == "argv[0]=inetd-report"* ]]
}

@test "hosts.allow is read first; rules are re-read on every connection" {
	report_service rep "$P"
	echo 'ALL: ALL' >"$W/hosts.deny"
	echo 'inetd-report: 127.0.0.4' >"$W/hosts.allow"
	inetd_start
	run ask -b 127.0.0.4
	[[ "$output" == "argv[0]=inetd-report"* ]]
	grep -q 'inetd: connect from 127.0.0.4 (service rep, daemon inetd-report)' \
	    "$INETD_LOG"
	run ask -b 127.0.0.5
	[ -z "$output" ]
	echo 'inetd-report: 127.0.0.5' >>"$W/hosts.allow"
	run ask -b 127.0.0.5
	[[ "$output" == "argv[0]=inetd-report"* ]]
}

@test "a comment without its newline ending hosts.deny denies, as libwrap" {
	report_service rep "$P"
	printf '# no rules, and no final newline' >"$W/hosts.deny"
	inetd_start
	run ask
	[ -z "$output" ]
	wait_for_svclog 'FAIL: rep libwrap from=127.0.0.1'
	# With the newline the file holds no rule, and the client is served.
	echo >>"$W/hosts.deny"
	run ask
	[[ "$output" == "argv[0]=inetd-report"* ]]
}

@test "-W names the rules' directory, over the attributes" {
	report_service rep "$P"
	mkdir "$BATS_TEST_TMPDIR/w2"
	echo 'ALL: ALL' >"$BATS_TEST_TMPDIR/w2/hosts.deny"
	inetd_start -W "$BATS_TEST_TMPDIR/w2"
	run ask
	[ -z "$output" ]
	wait_for_svclog 'FAIL: rep libwrap from=127.0.0.1'
}

@test "the daemon name is xinetd's: server, NAMEINARGS argv[0], libwrap, service" {
	report_service a "$P"
	B=$(free_port)
	report_service b "$B" "flags = NAMEINARGS" "server_args = /usr/sbin/in.fake -x"
	C=$(free_port)
	report_service c "$C" "libwrap = custom"
	E=$(free_port)
	conf_internal echo "$E" stream
	cat >"$W/hosts.deny" <<-EOF
	inetd-report: 127.0.0.2
	in.fake: 127.0.0.3
	custom: 127.0.0.4
	echo: 127.0.0.5
	EOF
	inetd_start
	run ask -b 127.0.0.2
	[ -z "$output" ]
	P=$B run ask -b 127.0.0.3
	[ -z "$output" ]
	P=$C run ask -b 127.0.0.4
	[ -z "$output" ]
	P=$E run ask -b 127.0.0.5 -s 'x\n'
	[ -z "$output" ]
	for s in 'a libwrap from=127.0.0.2' 'b libwrap from=127.0.0.3' \
	    'c libwrap from=127.0.0.4' 'echo libwrap from=127.0.0.5'; do
		wait_for_svclog "FAIL: $s"
	done
	# The same clients get through elsewhere.
	P=$E run ask -b 127.0.0.2 -s 'y\n'
	[ "$output" = y ]
}

@test "NOLIBWRAP turns the check off" {
	report_service rep "$P" "flags = NOLIBWRAP"
	echo 'ALL: ALL' >"$W/hosts.deny"
	inetd_start
	run ask
	[[ "$output" == "argv[0]=inetd-report"* ]]
}

@test "spawn runs with % expansions; setenv reaches the server" {
	report_service rep "$P"
	cat >"$W/hosts.allow" <<-EOF
	inetd-report: ALL: spawn (echo %d %a >>$BATS_TEST_TMPDIR/spawned) : setenv GREETING from-the-rules
	EOF
	inetd_start
	run ask
	[[ "$output" == *"env:GREETING=from-the-rules"* ]]
	wait_for_file "$BATS_TEST_TMPDIR/spawned"
	[ "$(cat "$BATS_TEST_TMPDIR/spawned")" = "inetd-report 127.0.0.1" ]
}

@test "twist replaces the server, for external and internal services" {
	report_service rep "$P"
	E=$(free_port)
	conf_internal echo "$E" stream
	cat >"$W/hosts.allow" <<-EOF
	inetd-report: ALL: twist /bin/echo twisted %d for %a
	echo: ALL: twist /bin/echo echo twisted
	EOF
	inetd_start
	run ask
	[ "$output" = "twisted inetd-report for 127.0.0.1" ]
	P=$E run ask -s 'x\n'
	[ "$output" = "echo twisted" ]
	wait_for_svclog 'EXIT: echo status=0 pid=[1-9]'
}

@test "banners send the daemon's file first" {
	report_service rep "$P" "server_args = x"
	mkdir "$BATS_TEST_TMPDIR/banners"
	# libwrap sends each line with CR LF.
	printf 'Hello %%a\n' >"$BATS_TEST_TMPDIR/banners/inetd-report"
	echo "ALL: ALL: banners $BATS_TEST_TMPDIR/banners" >"$W/hosts.allow"
	inetd_start
	run ask
	[ "${lines[0]}" = "$(printf 'Hello 127.0.0.1\r')" ]
	[ "${lines[1]}" = "argv[0]=inetd-report" ]
}

@test "inetd.conf services are wrapped only with -l" {
	printf '%s stream tcp nowait %s %s r\n' "$P" "$ME" "$REPORT" >"$CONF"
	echo 'ALL: ALL' >"$W/hosts.deny"
	inetd_start -W "$W"
	run ask
	[[ "$output" == "argv[0]=r"* ]]
	inetd_stop
	inetd_start -l -W "$W"
	run ask
	[ -z "$output" ]
	wait_for_log "FAIL: $P/tcp libwrap from=127.0.0.1" "$INETD_LOG"
}

@test "a bad rule is reported with its file and line, and denies" {
	report_service rep "$P"
	echo 'inetd-report: ALL: bogusoption' >"$W/hosts.allow"
	inetd_start
	run ask
	[ -z "$output" ]
	wait_for_svclog 'FAIL: rep libwrap'
	grep -q "$W/hosts.allow:1" "$INETD_LOG"
}

@test "comment-only rule files cost no check; an edit counts at once" {
	report_service rep "$P"
	E=$(free_port)
	conf_internal echo "$E" stream
	printf '# hosts.deny\n#\n\n# ALL: ALL \\\n  continued comment\n' >"$W/hosts.deny"
	inetd_start
	run ask
	[[ "$output" == "argv[0]=inetd-report"* ]]
	P=$E run ask -s 'x\n'
	[ "$output" = x ]
	# Same size class, same second: the file's identity still changes.
	echo 'ALL: ALL' >>"$W/hosts.deny"
	run ask
	[ -z "$output" ]
	P=$E run ask -s 'y\n'
	[ -z "$output" ]
	wait_for_svclog 'FAIL: rep libwrap from=127.0.0.1'
	wait_for_svclog 'FAIL: echo libwrap from=127.0.0.1'
}
