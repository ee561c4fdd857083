# dnsd.py READYFILE RECORD...: a test DNS server on 127.0.0.1:53 (UDP),
# for private network namespaces only.  Each RECORD is NAME/TYPE=ANSWER,
# TYPE being PTR or A: ANSWER is a host name (PTR), an IPv4 address (A),
# or "hang" (read the query, never answer: the resolver waits out its
# timeout).  Other questions get NXDOMAIN.  Creates READYFILE once it
# listens, and appends each question to READYFILE.log.
import socket
import struct
import sys

TYPES = {"A": 1, "PTR": 12}
records = {}
for arg in sys.argv[2:]:
    key, answer = arg.split("=", 1)
    name, qtype = key.rsplit("/", 1)
    records[(name.lower().rstrip("."), TYPES[qtype])] = answer


def qname(msg, off):
    labels = []
    while msg[off] != 0:
        n = msg[off]
        labels.append(msg[off + 1:off + 1 + n].decode("ascii", "replace"))
        off += 1 + n
    return ".".join(labels), off + 1


def encode(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def reply(msg):
    qid, flags = struct.unpack("!HH", msg[:4])
    name, end = qname(msg, 12)
    qtype, _ = struct.unpack("!HH", msg[end:end + 4])
    question = msg[12:end + 4]
    answer = records.get((name.lower(), qtype))
    log.write("%s/%d %s\n" % (name, qtype, answer))
    if answer == "hang":
        return None
    rd = flags & 0x0100
    if answer is None:
        return struct.pack("!HHHHHH", qid, 0x8183 | rd, 1, 0, 0, 0) + \
            question
    rdata = socket.inet_aton(answer) if qtype == 1 else encode(answer)
    rr = b"\xc0\x0c" + struct.pack("!HHIH", qtype, 1, 60, len(rdata)) + \
        rdata
    return struct.pack("!HHHHHH", qid, 0x8180 | rd, 1, 1, 0, 0) + \
        question + rr


srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
srv.bind(("127.0.0.1", 53))
log = open(sys.argv[1] + ".log", "a", buffering=1)
open(sys.argv[1], "w").close()
while True:
    msg, peer = srv.recvfrom(4096)
    try:
        out = reply(msg)
    except (IndexError, struct.error, KeyError):
        continue
    if out is not None:
        srv.sendto(out, peer)
