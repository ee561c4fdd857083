#!/usr/bin/env python3
"""pscan-banner.py PORT:KIND...: small banner servers for pscan -sV tests.

Each PORT listens on every IPv4 address and speaks as KIND:
  ssh      an OpenSSH greeting
  smtp     a Postfix 220 greeting
  ftp      a vsftpd 220 greeting
  http     nothing until a request, then an nginx answer (headers only)
  silent   reads, never answers
  hostile  an SSH-like greeting full of escape sequences and control
           characters, then megabytes without a newline
Prints "ready" once all listen.
"""
import socket
import sys
import threading

GREETING = {
    "ssh": b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n",
    "smtp": b"220 mail.example.org ESMTP Postfix (Debian/GNU)\r\n",
    "ftp": b"220 (vsFTPd 3.0.3)\r\n",
}
HTTP = (b"HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n"
        b"Content-Type: text/html\r\nContent-Length: 0\r\n\r\n")
HOSTILE = b"SSH-2.0-Evil\x1b[2J\x1b]0;owned\x07\x08\x7f\x9b31m"


def serve(conn, kind):
    try:
        if kind in GREETING:
            conn.sendall(GREETING[kind])
            conn.recv(1024)
        elif kind == "http":
            if conn.recv(1024).split(b" ")[0] in (b"HEAD", b"GET"):
                conn.sendall(HTTP)
        elif kind == "silent":
            while conn.recv(1024):
                pass
        elif kind == "hostile":
            conn.sendall(HOSTILE)
            chunk = b"\x1b[5m" * 16384
            for _ in range(64):
                conn.sendall(chunk)
    except OSError:
        pass
    finally:
        conn.close()


def accept_loop(sock, kind):
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=serve, args=(conn, kind), daemon=True).start()


def main():
    threads = []
    for arg in sys.argv[1:]:
        port, kind = arg.split(":")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("0.0.0.0", int(port)))
        sock.listen(16)
        threads.append(threading.Thread(target=accept_loop,
                                        args=(sock, kind), daemon=True))
    for t in threads:
        t.start()
    print("ready", flush=True)
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
