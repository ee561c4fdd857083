#!/usr/bin/env python3
"""pscan-udp.py SPEC...: UDP servers on every address of both families,
for the pscan suites' truth.  Each SPEC is KIND:PORT, KIND one of
    echo    sends back every datagram, empty ones included
    silent  reads and never answers (open, but nothing a scanner can see)
    dns     answers a well-formed DNS query (RFC 1035) with REFUSED and
            ignores anything else, as a real server does
Prints "ready" once all are bound, then serves until killed."""
import selectors
import socket
import struct
import sys


def dns_answer(q):
    """The REFUSED answer to a DNS query, or None when q is not one."""
    if len(q) < 12:
        return None
    ident, flags, qd, an, ns, ar = struct.unpack("!6H", q[:12])
    if flags & 0x8000 or (flags >> 11) & 0xF != 0 or qd != 1 or an or ns:
        return None
    i = 12
    while True:
        if i >= len(q):
            return None
        n = q[i]
        if n == 0:
            break
        if n > 63:
            return None
        i += 1 + n
    i += 1
    if i + 4 > len(q):
        return None
    hdr = struct.pack("!6H", ident, 0x8000 | (flags & 0x0100) | 5, 1, 0,
                      0, 0)
    return hdr + q[12:i + 4]


def server(port):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    s.setblocking(False)
    return s


def main():
    sel = selectors.DefaultSelector()
    for spec in sys.argv[1:]:
        kind, port = spec.split(":")
        sel.register(server(int(port)), selectors.EVENT_READ, kind)
    print("ready", flush=True)
    while True:
        for key, _ in sel.select():
            try:
                data, peer = key.fileobj.recvfrom(65535)
            except OSError:
                continue
            if key.data == "echo":
                reply = data
            elif key.data == "dns":
                reply = dns_answer(data)
            else:
                reply = None
            if reply is not None:
                try:
                    key.fileobj.sendto(reply, peer)
                except OSError:
                    pass


main()
