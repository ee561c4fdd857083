#!/usr/bin/env python3
"""pscan-listen.py PORT...: TCP listeners on every address of both
families, for the pscan suites' truth.  Prints "ready" once all listen,
then accepts and closes connections until killed."""
import selectors
import socket
import sys


def listener(port):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    s.listen(4096)
    s.setblocking(False)
    return s


def main():
    sel = selectors.DefaultSelector()
    for p in sys.argv[1:]:
        sel.register(listener(int(p)), selectors.EVENT_READ)
    print("ready", flush=True)
    while True:
        for key, _ in sel.select():
            try:
                conn, _ = key.fileobj.accept()
                conn.close()
            except OSError:
                pass


main()
