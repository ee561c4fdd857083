#!/bin/sh
# sentry-ns.sh DIR [SRC:DST ...] -- command...: run a scan detector in a
# private mount namespace whose files are the test's own.
#
# portsentry 1.2 has its configuration and hosts.deny paths compiled in
# and logs only to syslog, so a test cannot point it anywhere.  Run this
# as the first process of new mount and PID namespaces, inside the
# victim's network namespace:
#
#	ip netns exec NS unshare -m -p -f --mount-proc --kill-child \
#	    sh sentry-ns.sh DIR DIR/ps.conf:/etc/portsentry/portsentry.conf \
#	    -- portsentry -stcp
#
# Each SRC is bind-mounted over DST; where DST does not exist (portsentry
# unpacked from its package rather than installed), /etc first gets an
# overlay whose upper layer is a tmpfs of the namespace's own, and DST is
# made there.  A tmpfs replaces
# /dev so that /dev/log is a socket of our own, and every syslog datagram
# is written to DIR/syslog as "SECONDS.MICROS MESSAGE", stamped by the
# kernel when it was sent (so that latency can be measured), by $LOGSINK
# (t/sentry-logsink).  Nothing outside the
# namespace sees any of it; killing the unshare process (--kill-child)
# ends everything inside.
set -eu
dir=$1
shift
etc_overlay() {
	[ -d "$dir/etc.up" ] && return 0
	mkdir -p "$dir/etc.up"
	mount -t tmpfs sentryetc "$dir/etc.up"
	mkdir "$dir/etc.up/u" "$dir/etc.up/w"
	mount -t overlay overlay -o \
	    "lowerdir=/etc,upperdir=$dir/etc.up/u,workdir=$dir/etc.up/w" /etc ||
	    { echo "sentry-ns.sh: no overlayfs to make ${1#*:}" >&2; exit 1; }
}
# The overlay, when one is needed, goes on before any file is bound: a
# later mount on /etc would hide the binds beneath it.
for m in "$@"; do
	[ "$m" = -- ] && break
	[ -e "${m#*:}" ] || etc_overlay "$m"
done
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	if [ ! -e "${1#*:}" ]; then
		mkdir -p "$(dirname "${1#*:}")"
		: >"${1#*:}"
	fi
	mount --bind "${1%%:*}" "${1#*:}"
	shift
done
[ "${1:-}" = -- ] && shift

mkdir -p "$dir/dev.orig"
mount --bind /dev "$dir/dev.orig"
mount -t tmpfs -o mode=0755 sentrydev /dev
for n in null zero full random urandom tty; do
	[ -e "$dir/dev.orig/$n" ] || continue
	touch "/dev/$n"
	mount --bind "$dir/dev.orig/$n" "/dev/$n"
done
ln -s /proc/self/fd /dev/fd

[ -x "${LOGSINK:-}" ] || { echo "sentry-ns.sh: set LOGSINK" >&2; exit 1; }
"$LOGSINK" /dev/log "$dir/syslog" &
i=0
until [ -S /dev/log ]; do
	i=$((i + 1))
	[ $i -lt 500 ] || exit 1
	sleep 0.01
done
"$@"
wait
