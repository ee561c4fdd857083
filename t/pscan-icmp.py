#!/usr/bin/env python3
"""pscan-icmp.py IFACE ROUTER4 ROUTER6: answers TCP probes with the ICMP
errors no firewall rule can produce, for the pscan suites' truth.

Run in the target's namespace, whose firewall drops TCP to ports 4000 to
4199 so that its kernel stays silent; the probes are read before the
firewall, from a packet socket on IFACE.  The answer depends on the
destination port:

  IPv4  4000 + c (c = 0..15)  destination unreachable, code c
        4016                  time exceeded in transit
        4017                  administratively prohibited, from ROUTER4
  IPv6  4100 + c (c = 0..7)   destination unreachable, code c
        4110 + c (c = 0..2)   parameter problem, code c
        4120                  time exceeded in transit
        4121                  administratively prohibited, from ROUTER6

Each error quotes the probe whole, as a router or host would, and comes
from the target's own address but for the two "from" ports, whose
address (one of the target's too) stands for a router on the way.
Prints "ready", then answers until killed."""
import socket
import struct
import sys

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def answer4(pkt):
    """(type, code, from the router) for an IPv4 TCP probe, or None."""
    if len(pkt) < 24 or pkt[0] >> 4 != 4 or pkt[9] != socket.IPPROTO_TCP:
        return None
    hl = (pkt[0] & 0x0F) * 4
    dport = struct.unpack("!H", pkt[hl + 2:hl + 4])[0]
    if 4000 <= dport <= 4015:
        return (3, dport - 4000, False)
    if dport == 4016:
        return (11, 0, False)
    if dport == 4017:
        return (3, 13, True)
    return None


def answer6(pkt):
    """(type, code, from the router) for an IPv6 TCP probe, or None."""
    if len(pkt) < 44 or pkt[0] >> 4 != 6 or pkt[6] != socket.IPPROTO_TCP:
        return None
    dport = struct.unpack("!H", pkt[42:44])[0]
    if 4100 <= dport <= 4107:
        return (1, dport - 4100, False)
    if 4110 <= dport <= 4112:
        return (4, dport - 4110, False)
    if dport == 4120:
        return (3, 0, False)
    if dport == 4121:
        return (1, 1, True)
    return None


def sender(socks, family, addr):
    """A raw ICMP socket that sends from addr, made on first use."""
    if addr not in socks:
        proto = socket.IPPROTO_ICMP if family == socket.AF_INET \
            else socket.IPPROTO_ICMPV6
        socks[addr] = socket.socket(family, socket.SOCK_RAW, proto)
        socks[addr].bind((addr, 0))
    return socks[addr]


def main():
    rx = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                       socket.htons(ETH_P_ALL))
    rx.bind((sys.argv[1], 0))
    socks = {}
    print("ready", flush=True)
    while True:
        pkt, addr = rx.recvfrom(65535)
        if addr[2] == PACKET_OUTGOING:
            continue
        a = answer4(pkt)
        if a is not None:
            msg = struct.pack("!BBHI", a[0], a[1], 0, 0) + pkt[:548]
            msg = msg[:2] + struct.pack("!H", checksum(msg)) + msg[4:]
            src = sys.argv[2] if a[2] else \
                socket.inet_ntop(socket.AF_INET, pkt[16:20])
            sender(socks, socket.AF_INET, src).sendto(
                msg, (socket.inet_ntop(socket.AF_INET, pkt[12:16]), 0))
            continue
        a = answer6(pkt)
        if a is not None:
            # The kernel computes the ICMPv6 checksum; a parameter
            # problem points at the next header field (offset 6).
            extra = 6 if a[0] == 4 else 0
            msg = struct.pack("!BBHI", a[0], a[1], 0, extra) + pkt[:1232]
            src = sys.argv[3] if a[2] else \
                socket.inet_ntop(socket.AF_INET6, pkt[24:40])
            sender(socks, socket.AF_INET6, src).sendto(
                msg, (socket.inet_ntop(socket.AF_INET6, pkt[8:24]), 0))


main()
