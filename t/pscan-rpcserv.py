#!/usr/bin/env python3
"""pscan-rpcserv.py: a small SunRPC server for the pscan -sR tests.

usage: pscan-rpcserv.py PORT PROG LOW HIGH [register|hostile]

Listens on PORT of every IPv4 address, TCP and UDP, and answers calls
as a server of program PROG, versions LOW to HIGH: PROG_UNAVAIL for
other programs, PROG_MISMATCH with LOW and HIGH for other versions,
SUCCESS otherwise.  With "register" it first tells the portmapper on
port 111 (PMAPPROC_SET) of each version and protocol.  With "hostile"
it answers any call over TCP with endless fragments, and over UDP with
a portmapper DUMP of 3000 entries, to check that the reader gives
up.  Prints "ready" when listening.
"""
import socket
import struct
import sys
import threading


def reply(xid, stat, extra=b""):
    return struct.pack(">IIIIII", xid, 1, 0, 0, 0, stat) + extra


def answer(data, prog, low, high):
    if len(data) < 24:
        return None
    xid, mtype, _, cprog, cvers, _ = struct.unpack(">IIIIII", data[:24])
    if mtype != 0:
        return None
    if cprog != prog:
        return reply(xid, 1)
    if not low <= cvers <= high:
        return reply(xid, 2, struct.pack(">II", low, high))
    return reply(xid, 0)


def serve_tcp(conn, prog, low, high, hostile):
    try:
        while True:
            mark = conn.recv(4, socket.MSG_WAITALL)
            if len(mark) < 4:
                return
            n = struct.unpack(">I", mark)[0] & 0x7FFFFFFF
            data = conn.recv(n, socket.MSG_WAITALL)
            if hostile:
                frag = struct.pack(">I", 60000) + b"\x01" * 60000
                while True:
                    conn.sendall(frag)
            out = answer(data, prog, low, high)
            if out is not None:
                conn.sendall(struct.pack(">I", 0x80000000 | len(out)) + out)
    except OSError:
        pass
    finally:
        conn.close()


def serve_udp(sock, prog, low, high, hostile):
    while True:
        data, peer = sock.recvfrom(65536)
        if hostile and len(data) >= 4:
            xid = struct.unpack(">I", data[:4])[0]
            entry = struct.pack(">IIIII", 1, 100000, 2, 6, 111)
            out = reply(xid, 0, entry * 3000)
        else:
            out = answer(data, prog, low, high)
        if out is not None:
            sock.sendto(out[:65507], peer)


def register(port, prog, low, high):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    xid = 1
    for proto in (socket.IPPROTO_TCP, socket.IPPROTO_UDP):
        for vers in range(low, high + 1):
            call = struct.pack(">IIIIIIIIII", xid, 0, 2, 100000, 2, 1,
                               0, 0, 0, 0)
            call += struct.pack(">IIII", prog, vers, proto, port)
            s.sendto(call, ("127.0.0.1", 111))
            data = s.recv(1024)
            if struct.unpack(">I", data[-4:])[0] != 1:
                sys.exit("the portmapper refused PMAPPROC_SET")
            xid += 1


def main():
    port, prog, low, high = (int(a) for a in sys.argv[1:5])
    mode = sys.argv[5] if len(sys.argv) > 5 else ""
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind(("0.0.0.0", port))
    tcp.listen(16)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("0.0.0.0", port))
    if mode == "register":
        register(port, prog, low, high)
    hostile = mode == "hostile"
    threading.Thread(target=serve_udp, args=(udp, prog, low, high, hostile),
                     daemon=True).start()
    print("ready", flush=True)
    while True:
        conn, _ = tcp.accept()
        threading.Thread(target=serve_tcp,
                         args=(conn, prog, low, high, hostile),
                         daemon=True).start()


if __name__ == "__main__":
    main()
