#!/usr/bin/env python3
"""Compare our lsof -J with lsof 4.95's -F output, field by field.

usage: lsof_json_fields.py THEIRS_F OURS_JSON

THEIRS_F is 4.95's output of a bare -F (every field but r).  Every process and file of it must be in
the JSON document, in the same order, and every field 4.95 gives must be
there with the same value (JSON has no key where 4.95 gives a blank).
Differences are printed, one a line, and make the exit status 1.
"""
import json
import sys

PROC_KEYS = {"c": "command", "u": "uid", "L": "login", "g": "pgid",
             "R": "ppid"}
FILE_KEYS = {"f": "fd", "a": "access", "l": "lock", "t": "type",
             "d": "device", "s": "size", "i": "inode", "k": "link_count",
             "P": "protocol", "n": "name"}
TCP_KEYS = {"ST": "state", "QR": "recv_queue", "QS": "send_queue"}


def devtext(hexval):
    """glibc's dev_t encoding, as JSON writes it: "major,minor"."""
    d = int(hexval, 16)
    major = ((d >> 8) & 0xfff) | ((d >> 32) & ~0xfff)
    minor = (d & 0xff) | ((d >> 12) & ~0xff)
    return "%d,%d" % (major, minor)


def offset(text):
    return int(text[2:], 16 if text.startswith("0x") else 10)


def parse_fields(path):
    """4.95's -F output as a list of (process dict, [file dicts])."""
    procs = []
    for line in open(path, encoding="utf-8", errors="surrogateescape"):
        line = line.rstrip("\n")
        if not line:
            continue
        key, val = line[0], line[1:]
        if key == "p":
            procs.append(({"p": val}, []))
        elif key == "f":
            procs[-1][1].append({"f": val, "T": {}})
        elif key == "T":
            name, _, v = val.partition("=")
            procs[-1][1][-1]["T"][name] = v
        elif procs[-1][1]:
            procs[-1][1][-1][key] = val
        else:
            procs[-1][0][key] = val
    return procs


def want_file(f):
    """What the JSON object of a file must hold, from its -F fields."""
    want = {}
    for key, jkey in FILE_KEYS.items():
        if key in f and f[key].strip():
            want[jkey] = f[key]
    for key in ("s", "i", "k"):
        if FILE_KEYS[key] in want:
            want[FILE_KEYS[key]] = int(want[FILE_KEYS[key]])
    if "D" in f:
        want["device_number"] = devtext(f["D"])
    if "r" in f:
        want["raw_device"] = devtext(f["r"])
    if "o" in f:
        want["offset"] = offset(f["o"])
    if "G" in f:
        want["flags"] = f["G"].split(";")[0]
    tcp = {}
    for key, jkey in TCP_KEYS.items():
        if key in f["T"]:
            v = f["T"][key]
            tcp[jkey] = v if key == "ST" else int(v)
    if tcp:
        want["tcp_info"] = tcp
    return want


def main():
    theirs = parse_fields(sys.argv[1])
    ours = json.load(open(sys.argv[2], encoding="utf-8",
                          errors="surrogateescape"))["processes"]
    bad = []
    if len(theirs) != len(ours):
        bad.append("%d processes, ours %d" % (len(theirs), len(ours)))
    for (tp, tfiles), op in zip(theirs, ours):
        where = "process %s" % tp["p"]
        if int(tp["p"]) != op["pid"]:
            bad.append("%s: pid %s" % (where, op["pid"]))
            continue
        for key, jkey in PROC_KEYS.items():
            if key in tp:
                v = int(tp[key]) if key in "ugR" else tp[key]
                if op.get(jkey) != v:
                    bad.append("%s: %s %r, ours %r" %
                               (where, jkey, v, op.get(jkey)))
        if len(tfiles) != len(op["files"]):
            bad.append("%s: %d files, ours %d" %
                       (where, len(tfiles), len(op["files"])))
        for tf, of in zip(tfiles, op["files"]):
            want = want_file(tf)
            for jkey in of:
                if jkey not in want and jkey not in ("flags", "tcp_info",
                                                     "raw_device"):
                    bad.append("%s fd %s: %s %r, not in 4.95's" %
                               (where, tf["f"], jkey, of[jkey]))
            for jkey, v in want.items():
                if jkey == "flags" and jkey not in of:
                    continue
                if jkey == "tcp_info":
                    got = {k: of.get(jkey, {}).get(k) for k in v}
                else:
                    got = of.get(jkey)
                if got != v:
                    bad.append("%s fd %s: %s %r, ours %r" %
                               (where, tf["f"], jkey, v, got))
    for line in bad:
        print(line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
