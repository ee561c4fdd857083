# identd.py MODE READYFILE: a test RFC 1413 server on 127.0.0.1:113, for
# private network namespaces only.  MODE is "silent" (read the query,
# never answer) or "USER:DELAY" (answer USER after DELAY seconds; USER
# may hold \ooo octal escapes).  Creates READYFILE once it listens.
import socket
import sys
import threading
import time

mode = sys.argv[1]
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 113))
srv.listen(1024)
open(sys.argv[2], "w").close()
held = []


def serve(c):
    q = b""
    while b"\n" not in q:
        d = c.recv(100)
        if not d:
            return
        q += d
    if mode == "silent":
        time.sleep(3600)
    user, delay = mode.rsplit(":", 1)
    user = user.encode().decode("unicode_escape")
    time.sleep(float(delay))
    r, l = q.decode().strip().split(",")
    c.sendall(("%s , %s : USERID : UNIX : %s\r\n" %
               (r.strip(), l.strip(), user)).encode("latin-1"))
    c.close()


while True:
    conn, _ = srv.accept()
    held.append(conn)
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
