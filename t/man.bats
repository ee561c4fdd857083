#!/usr/bin/env bats
# Every man page is lint-clean under mandoc -Tlint (warnings count).

load test_helper

pages() {
	ls "$TOP_SRCDIR"/man/*.[0-9]
}

@test "there is a page for each program and config format" {
	for p in inetd.8 inetd.conf.5 sentry.8 sentry.conf.5 pscan.1 lsof.8 \
	    hosts_access.5; do
		[ -f "$TOP_SRCDIR/man/$p" ]
	done
}

@test "mandoc -Tlint finds nothing in any page" {
	[ -n "${MANDOC:-}" ] || MANDOC=$(command -v mandoc || true)
	[ -n "$MANDOC" ] || skip "needs mandoc"
	local p out
	for p in $(pages); do
		out=$("$MANDOC" -Tlint -Wwarning "$p" 2>&1) || true
		if [ -n "$out" ]; then
			echo "$out"
			return 1
		fi
	done
}

@test "each program page documents its exit status" {
	for p in inetd.8 sentry.8 pscan.1 lsof.8; do
		grep -q '^\.Sh EXIT STATUS' "$TOP_SRCDIR/man/$p"
	done
}
