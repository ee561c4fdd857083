#!/usr/bin/env bats
# The timing options act as they say, read from pscan's own packet trace
# (the times of its SENT lines), not from a clock around it: --max-rate,
# --min-rate, --scan-delay, --max-retries and its warning, -T5; and the
# names: reverse DNS by default, -n, and a name given as a target.

load test_helper
load pscan-helper

bats_require_minimum_version 1.5.0

setup() {
	pscan_lab
	lab_exec b nft add rule inet pscantest input tcp dport 5000-5999 drop
}

# The times of the SENT lines of a --packet-trace on stdin.
sent_times() {
	sed -n 's/^SENT (\([0-9.]*\)s).*/\1/p'
}

@test "--max-rate: probes no faster than the rate" {
	lab_exec a "$PSCAN" -n -Pn -sS -p 1-150 --max-rate 300 --packet-trace \
	    "$TGT4" 2>/dev/null | sent_times >"$BATS_TEST_TMPDIR/t"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/t")" -ge 150 ]
	# 150 probes at 300 a second take at least half a second (the
	# first 3, a 10 ms burst, go at once).
	awk 'NR == 1 { a = $1 } NR == 150 { b = $1 } END { exit !(b - a >= 0.45) }' \
	    "$BATS_TEST_TMPDIR/t"
}

@test "--scan-delay: at least that long between probes to a host" {
	lab_exec a "$PSCAN" -n -Pn -sS -p 20-25 --scan-delay 40ms \
	    --packet-trace "$TGT4" 2>/dev/null | sent_times \
	    >"$BATS_TEST_TMPDIR/t"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/t")" -eq 6 ]
	awk 'NR > 1 && $1 - prev < 0.039 { exit 1 } { prev = $1 }' \
	    "$BATS_TEST_TMPDIR/t"
}

@test "--min-rate: sends past a window of one" {
	# One probe in flight and a one-second first timeout: without
	# --min-rate, a probe a second to these silent ports.
	lab_exec a "$PSCAN" -n -Pn -sS -p 5000-5099 --max-parallelism 1 \
	    --min-rate 400 --max-retries 0 --packet-trace "$TGT4" \
	    2>/dev/null | sent_times >"$BATS_TEST_TMPDIR/t"
	[ "$(awk '$1 < 0.5' "$BATS_TEST_TMPDIR/t" | wc -l)" -ge 50 ]
	lab_exec a "$PSCAN" -n -Pn -sS -p 5000-5099 --max-parallelism 1 \
	    --max-retries 0 --host-timeout 600ms --packet-trace "$TGT4" \
	    2>/dev/null | sent_times >"$BATS_TEST_TMPDIR/t"
	[ "$(awk '$1 < 0.5' "$BATS_TEST_TMPDIR/t" | wc -l)" -le 2 ]
}

@test "--max-retries: a silent port's tries, and the warning of the cap" {
	local n
	# By default a silent port is asked twice.
	n=$(lab_exec a "$PSCAN" -n -Pn -sS -p 22,5000 --packet-trace "$TGT4" \
	    2>/dev/null | grep -c "^SENT .*:5000 S ")
	[ "$n" -eq 2 ]
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sS -p 22,5000 \
	    --max-retries 0 --packet-trace "$TGT4"
	[ "$(grep -c "^SENT .*:5000 S " <<<"$output")" -eq 1 ]
	grep -qx "Warning: $TGT4 giving up on port because retransmission cap hit (0)." \
	    <<<"$output"
	grep -q '^5000/tcp filtered' <<<"$output"
}

@test "-T5: nmap's insane template, two retries at most" {
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sS -T5 -p 22,5000 \
	    --packet-trace -oX - "$TGT4"
	# to: the timeout (300 ms at most under -T5), in microseconds.
	grep -Eq '<times srtt="[0-9]+" rttvar="[0-9]+" to="(50000|[0-9]{5}|[12][0-9]{5}|300000)"/>' \
	    <<<"$output"
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sS -T4 \
	    --max-retries 1 -p 22,5000 --packet-trace "$TGT4"
	[ "$(grep -c "^SENT .*:5000 S " <<<"$output")" -eq 2 ]
}

@test "names: reverse DNS by default, -n without, a target name kept" {
	run --separate-stderr lab_exec a "$PSCAN" -Pn -sT -p 1 -oX - 127.0.0.1
	grep -q '<hostname name="localhost" type="PTR"/>' <<<"$output"
	run --separate-stderr lab_exec a "$PSCAN" -Pn -sT -p 1 127.0.0.1
	grep -qx 'pscan scan report for localhost (127.0.0.1)' <<<"$output"
	run --separate-stderr lab_exec a "$PSCAN" -R -Pn -sT -p 1 127.0.0.1
	grep -qx 'pscan scan report for localhost (127.0.0.1)' <<<"$output"
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sT -p 1 -oX - \
	    127.0.0.1
	! grep -q '<hostname ' <<<"$output"
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sT -p 1 -oX - \
	    localhost
	grep -q '<hostname name="localhost" type="user"/>' <<<"$output"
	grep -q '<address addr="127.0.0.1" addrtype="ipv4"/>' <<<"$output"
}

@test "names with addresses of both families, -6, a name's network, as nmap" {
	local hosts=$BATS_TEST_TMPDIR/hosts
	printf '%s\n' "127.0.0.1 localhost" "$TGT4 both.test" \
	    "$TGT6 both.test" "$TGT6 six.test" >"$hosts"
	run --separate-stderr lab_exec_hosts a "$hosts" "$PSCAN" -n -Pn -sS \
	    -p 22 both.test
	grep -qx "pscan scan report for both.test ($TGT4)" <<<"$output"
	grep -qx "Other addresses for both.test (not scanned): $TGT6" \
	    <<<"$output"
	run --separate-stderr lab_exec_hosts a "$hosts" "$PSCAN" -6 -n -Pn \
	    -sS -p 22 both.test
	grep -qx "pscan scan report for both.test ($TGT6)" <<<"$output"
	grep -qx "Other addresses for both.test (not scanned): $TGT4" \
	    <<<"$output"
	run --separate-stderr lab_exec_hosts a "$hosts" "$PSCAN" -n -Pn -sS \
	    -p 22 six.test
	[ "$status" -eq 0 ]
	[ "${stderr%%$'\n'*}" = "pscan: Warning: Hostname six.test resolves, but not to any IPv4 address. Try scanning with -6" ]
	grep -q 'Failed to resolve "six.test"' <<<"$stderr"
	# A name's network: the name labels its own address only.
	run --separate-stderr lab_exec_hosts a "$hosts" "$PSCAN" -n -Pn -sS \
	    -p 22 -oG - both.test/31
	[ "$(grep -c 'Status: Up' <<<"$output")" -eq 2 ]
	run --separate-stderr lab_exec_hosts a "$hosts" "$PSCAN" -n -Pn -sS \
	    -p 22 both.test/31
	grep -qx "pscan scan report for both.test ($TGT4)" <<<"$output"
	grep -qx "pscan scan report for ${TGT4%.*}.3" <<<"$output"
	if command -v nmap >/dev/null 2>&1; then
		lab_exec_hosts a "$hosts" nmap -n -Pn -sS -p 22 both.test \
		    2>/dev/null | grep -qx \
		    "Other addresses for both.test (not scanned): $TGT6"
	fi
}

# Seconds between the first two probes to port 5000 (silent) of a
# --packet-trace on stdin.
retry_gap() {
	awk '/^SENT .*:5000 S / { gsub(/[()s]/, "", $2); t[n++] = $2 }
	    END { if (n < 2) exit 1; printf "%.3f\n", t[1] - t[0] }'
}

@test "--initial-, --min- and --max-rtt-timeout: a silent port's retry waits that long" {
	local g
	# No answer yet: the initial timeout.
	g=$(lab_exec a "$PSCAN" -n -Pn -sS -p 5000 --max-retries 1 \
	    --initial-rtt-timeout 400ms --packet-trace "$TGT4" 2>/dev/null |
	    retry_gap)
	awk -v g="$g" 'BEGIN { exit !(g >= 0.39 && g < 0.9) }'
	# The maximum bounds the initial timeout too (1 s by default).
	g=$(lab_exec a "$PSCAN" -n -Pn -sS -p 5000 --max-retries 1 \
	    --max-rtt-timeout 100ms --packet-trace "$TGT4" 2>/dev/null |
	    retry_gap)
	awk -v g="$g" 'BEGIN { exit !(g >= 0.09 && g < 0.5) }'
	# Port 22 answers in well under a millisecond: the minimum rules,
	# and raises -T5's maximum of 300 ms.
	g=$(lab_exec a "$PSCAN" -n -Pn -sS -p 22,5000 --max-retries 1 -T5 \
	    --min-rtt-timeout 500ms --packet-trace "$TGT4" 2>/dev/null |
	    retry_gap)
	awk -v g="$g" 'BEGIN { exit !(g >= 0.49 && g < 1.2) }'
}

@test "-T0 to -T2: one probe at a time, nmap's delays between them" {
	local n
	lab_exec a "$PSCAN" -n -Pn -sS -T polite -p 20-23 --packet-trace \
	    "$TGT4" 2>/dev/null | sent_times >"$BATS_TEST_TMPDIR/t"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/t")" -eq 4 ]
	awk 'NR > 1 && $1 - prev < 0.39 { exit 1 } { prev = $1 }' \
	    "$BATS_TEST_TMPDIR/t"
	# -T1 waits 15 s, -T0 5 min: one probe before a short host timeout.
	for t in 1 0; do
		run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sS -T$t \
		    -p 20-23 --host-timeout 600ms --packet-trace "$TGT4"
		[ "$status" -eq 0 ]
		n=$(grep -c '^SENT ' <<<"$output")
		[ "$n" -eq 1 ]
		grep -q "^Skipping host $TGT4 due to host timeout" <<<"$output"
	done
}

@test "--min-parallelism, --max-parallelism and --max-hostgroup act" {
	local first
	# Silent ports, a 1 s first timeout: the first window (10 probes)
	# goes out at once, then nothing until the timeouts; the minimum
	# widens it.
	lab_exec a "$PSCAN" -n -Pn -sS -p 5000-5099 --max-retries 0 \
	    --packet-trace "$TGT4" 2>/dev/null | sent_times >"$BATS_TEST_TMPDIR/t"
	[ "$(awk '$1 < 0.5' "$BATS_TEST_TMPDIR/t" | wc -l)" -eq 10 ]
	lab_exec a "$PSCAN" -n -Pn -sS -p 5000-5099 --max-retries 0 \
	    --min-parallelism 50 --packet-trace "$TGT4" 2>/dev/null |
	    sent_times >"$BATS_TEST_TMPDIR/t"
	[ "$(awk '$1 < 0.5' "$BATS_TEST_TMPDIR/t" | wc -l)" -ge 50 ]
	# One probe in flight: each answer comes before the next probe.
	lab_exec a "$PSCAN" -n -Pn -sS -p 20-29 --max-parallelism 1 \
	    --packet-trace "$TGT4" 2>/dev/null | grep -o '^SENT\|^RCVD' |
	    uniq -c | awk '$2 == "SENT" && $1 > 1 { exit 1 }'
	# One host at a time: the first is reported before the second is
	# probed.
	run --separate-stderr lab_exec a "$PSCAN" -n -Pn -sS -p 22 \
	    --max-hostgroup 1 --packet-trace "$TGT4" "$TGT6"
	first=$(grep -n "^pscan scan report for $TGT4" <<<"$output" | cut -d: -f1)
	[ "$(grep -n "^SENT .* > \[\?$TGT6" <<<"$output" | head -1 |
	    cut -d: -f1)" -gt "$first" ]
}
