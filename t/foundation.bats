#!/usr/bin/env bats
# The four programs exist and answer help, version and bad options the way
# their anchors do (help always on stdout with exit 0).

load test_helper
bats_require_minimum_version 1.5.0

@test "inetd -h prints usage on stdout and exits 0" {
	run --separate-stderr "$INETD" -h
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: inetd "* ]]
	[ -z "$stderr" ]
}

@test "inetd: bad option gives usage on stderr and exit 1 (BSD inetd)" {
	run --separate-stderr "$INETD" -Z
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == *"usage: inetd "* ]]
}

@test "inetd -V and xinetd's -version print the version" {
	run "$INETD" -V
	[ "$status" -eq 0 ]
	[ "$output" = "inetd (auditkit) 0.1" ]
	run "$INETD" -version
	[ "$status" -eq 0 ]
	[ "$output" = "inetd (auditkit) 0.1" ]
}

@test "sentry -h / -V / bad option" {
	run --separate-stderr "$SENTRY" -h
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: sentry "* ]]
	run "$SENTRY" -V
	[ "$status" -eq 0 ]
	[ "$output" = "sentry (auditkit) 0.1" ]
	run --separate-stderr "$SENTRY" -bogus
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == "usage: sentry "* ]]
}

@test "pscan -h / -V / bad option exits 255 as nmap" {
	run --separate-stderr "$PSCAN" -h
	[ "$status" -eq 0 ]
	[[ "$output" == *"Usage: pscan "* ]]
	run "$PSCAN" -V
	[ "$status" -eq 0 ]
	[ "$output" = "pscan version 0.1 (auditkit)" ]
	run --separate-stderr "$PSCAN" --bogus
	[ "$status" -eq 255 ]
	[ "${lines[0]:-}" = "" ]
	[[ "$stderr" == "pscan: unrecognized option '--bogus'"* ]]
}

@test "lsof -h on stdout, -v on stderr, bad option exits 1" {
	run --separate-stderr "$LSOF" -h
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: "* ]]
	run --separate-stderr "$LSOF" -v
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[[ "$stderr" == "lsof version information:"* ]]
	run --separate-stderr "$LSOF" -y
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"usage: "* ]]
}

@test "make install puts daemons in sbin, tools in bin, pages in their sections" {
	[ -f "$TOP_BUILDDIR/Makefile" ] || skip "no build tree"
	local d=$BATS_TEST_TMPDIR/inst
	# A fresh make, not the one running this suite's jobserver.
	run env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    make -s -C "$TOP_BUILDDIR" install DESTDIR="$d"
	[ "$status" -eq 0 ]
	run sh -c "cd '$d' && find . -type f | sed 's,.*/\(s*bin\|share/man\)/,\1/,' | sort"
	[ "$output" = "bin/lsof
bin/pscan
sbin/inetd
sbin/sentry
share/man/man1/pscan.1
share/man/man5/hosts_access.5
share/man/man5/inetd.conf.5
share/man/man5/sentry.conf.5
share/man/man8/inetd.8
share/man/man8/lsof.8
share/man/man8/sentry.8" ]
}
