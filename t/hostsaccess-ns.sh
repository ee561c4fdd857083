#!/bin/sh
# hostsaccess-ns.sh ETC_FIXTURES SCRATCH command...
#
# Run inside a private mount and network namespace (unshare -m -n): give
# the command a test /etc, where names come only from ETC_FIXTURES/hosts
# and netgroups from ETC_FIXTURES/netgroup, and a private /dev where it may
# bind /dev/log to read what libwrap logs.  Nothing outside the namespace
# changes: /etc gets an overlay whose upper layer is under SCRATCH (or, if
# the kernel has no overlayfs, single files bind-mounted over the real
# ones), and the namespace has no network for a resolver to reach.
#
# Prints nothing.  Exports HOSTSACCESS_NETGROUP=yes when /etc/netgroup is
# the test one, and HOSTSACCESS_OVERLAY=yes when /etc is an overlay, that
# is when the command may write files in /etc without reaching the real
# ones.
set -eu

fixtures=$1
scratch=$2
shift 2

mount --make-rprivate /

mkdir -p "$scratch/up" "$scratch/dev"
# Where SCRATCH is itself on overlayfs (a container's /tmp) it cannot hold
# an upper layer; a tmpfs of the namespace's own can.
mount -t tmpfs tmpfs "$scratch/up" && mkdir "$scratch/up/u" "$scratch/up/w"
up=$scratch/up/u
cp "$fixtures"/* "$up/"
if mount -t overlay overlay \
    -o "lowerdir=/etc,upperdir=$up,workdir=$scratch/up/w" /etc \
    2>/dev/null; then
	HOSTSACCESS_NETGROUP=yes
	HOSTSACCESS_OVERLAY=yes
else
	HOSTSACCESS_NETGROUP=no
	HOSTSACCESS_OVERLAY=no
	for f in hosts nsswitch.conf resolv.conf host.conf netgroup; do
		[ -e "/etc/$f" ] || continue
		mount --bind "$up/$f" "/etc/$f" || exit 1
	done
	[ -e /etc/netgroup ] && HOSTSACCESS_NETGROUP=yes
fi
export HOSTSACCESS_NETGROUP HOSTSACCESS_OVERLAY

for n in null zero random urandom; do
	: >"$scratch/dev/$n"
	mount --bind "/dev/$n" "$scratch/dev/$n"
done
ln -s /proc/self/fd "$scratch/dev/fd"
mount --bind "$scratch/dev" /dev

exec "$@"
