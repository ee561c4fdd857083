#!/usr/bin/env python3
"""Differential test: inetd -A against libwrap's tcpdmatch -d.

Generates random hosts.allow / hosts.deny pairs and (daemon, client)
questions from a seed, asks both programs, and compares their answers:
the verdict of every checked address always; with --syslog (when /dev/log
may be bound, i.e. inside the test namespace) also the matched file and
line, the options libwrap reports, whether an error was logged, and the
banner text.  On a mismatch it prints the seed, the case number, both
files, the question and both outputs, so that

    hostsaccess_diff.py --seed S --first N --cases 1 ...

replays exactly that case.

--mode numeric uses only clients that neither program looks up (address
literals and the words unknown and paranoid) and no server address, so it
runs anywhere without touching a resolver.  --mode names adds host names,
daemon@server and netgroups; it must run in the namespace that
hostsaccess-ns.sh sets up, where names come from a test hosts file only.
"""

import argparse
import os
import random
import re
import select
import socket
import subprocess
import sys
import tempfile
import time

V4_CLIENTS = [
    "10.0.0.1", "10.0.0.7", "10.0.1.1", "10.3.0.5", "10.30.0.5",
    "192.0.2.7", "192.0.2.200", "198.51.100.9", "203.0.113.77",
    "127.0.0.1", "0.0.0.0", "010.0.0.1", "10.0.0.01", "0x0a.0.0.1",
    "8.0.0.1",
]
V6_CLIENTS = [
    "2001:db8::1", "2001:DB8::1", "2001:db8:0:0::1", "2001:db8:1::5",
    "fe80::1", "::1", "::ffff:10.0.0.1", "::ffff:192.0.2.7", "::",
    "2001:db9::1",
]
WORD_CLIENTS = ["unknown", "paranoid", "UNKNOWN"]
NAME_CLIENTS = [
    "host1.example.test", "host1", "alias1", "dual.example.test",
    "host2.example.test", "liar.example.test", "canon.example.test",
    "loner", "six.example.test", "localhost", "Mixed.Example.TEST",
    "nohost.example.test", "255.255.255.255", "10.1", "192.0.2.1",
]
TCPDMATCH = "tcpdmatch"
USERS = ["joe", "root", "Joe", "j0e"]

DAEMONS = ["sshd", "in.telnetd", "ftpd", "SSHD", "/usr/sbin/sshd", "22",
           "in.ftpd"]
SERVERS = ["127.0.0.1", "192.0.2.1", "srv.example.test", "2001:db8::53",
           "unknown", "paranoid", "localhost", "10.0.0.98"]

DAEMON_PATTERNS = [
    "ALL", "sshd", "in.telnetd", "ftpd", "ssh*", "s?hd", "*d", "in.*",
    "SSHD", "22", "0", "+0", "all", "sshd,ftpd", "in.ftpd",
]
DAEMON_HOSTS = [
    "127.0.0.1", "127.", "LOCAL", "KNOWN", "unknown", "UNKNOWN",
    "192.0.2.0/24", "[::1]", ".example.test", "srv.example.test",
    "[2001:db8::]/32", "PARANOID", "192.0.2.1",
]

NUMERIC_HOSTS = [
    "ALL", "LOCAL", "KNOWN", "UNKNOWN", "PARANOID", "all", "known",
    "10.0.0.1", "10.0.0.7", "192.0.2.7", "010.0.0.1", "8.0.0.1",
    "10.", "10.0.", "10.0.0.", "192.0.2.", "1.", "010.", "0x0a.",
    "10.0.0.0/255.255.255.0", "10.0.0.0/255.0.0.0",
    "10.0.0.0/255.255.255.255", "10.0.0.0/0.0.0.0", "0.0.0.0/0.0.0.0",
    "10.0.0.1/255.255.255.0", "010.0.0.0/255.0.0.0", "10.0.0.0/24",
    "10.0.0.0/8", "10.0.0.0/0", "10.0.0.0/33", "10.0.0.0/24x",
    "192.0.2.0/25", "192.0.2.128/25", "10.0.0.0/255.255.0.255",
    "8.0.0.0/8", "10.0.0.1/32", "0.0.0.0/0",
    "[2001:db8::1]", "[2001:db8::]/32", "[2001:db8::]/64",
    "[2001:db8::]/xx", "[2001:db8::]/129", "[::1]", "[::ffff:10.0.0.1]",
    "[::ffff:10.0.0.0]/104", "2001:db8::1", "[fe80::1]",
    "[2001:db8:1::]/48", "[2001:db8::1]/128", "[::]/0", "::ffff:10.0.0.1",
    "10.0.0.*", "10.*", "*.0.0.1", "10.0.0.?", "192.0.2.??", "*", "?*",
    "*1", "2001:db8::*", "10.0.0.1*", "**", "*.*.*.*", "1?.0.0.1",
    ".example.test", "host1.example.test", "*.example.test",
    "EXAMPLE.TEST", "localhost", "host?.example.test", ".test",
    "unknown", "paranoid", ".0.1", "[", "]", "10.0.0.1]",
]
NAME_HOSTS = [
    "host1.example.test", "HOST1.example.test", ".example.test",
    "dual.example.test", "*.example.test", "host?", "loner", "LOCAL",
    "KNOWN", "PARANOID", "six.example.test", ".EXAMPLE.test",
    "mixed.example.test", "localhost", "liar.example.test",
]
NETGROUPS = ["@ng1", "@ngsix", "@ngall", "@ngnone", "@nosuchgroup"]
USER_PATTERNS = ["joe", "root", "KNOWN", "UNKNOWN", "j*", "ALL", "J?E",
                 "j0e", ".oe", "jo."]

OPTIONS = [
    "allow", "deny", "ALLOW", "Deny", "spawn echo %a %d %c %h %n %u %s",
    "spawn (echo x) &", "twist echo %a %H %A", "severity auth.notice",
    "severity notice", "severity authpriv.info", "severity local0.bogus",
    "severity bogus", "setenv FOO %a", "setenv", "setenv X=y",
    "setenv  BAR  two words ", "umask 022", "umask 999", "umask 08",
    "umask 0777", "nice", "nice 5", "nice x", "nice -3", "keepalive",
    "keepalive 1", "linger 5", "linger -1", "linger 0", "rfc931",
    "rfc931 3", "rfc931 0", "rfc931 x", "bogus", "spawn x\\: y",
    "spawn = echo eq", "SPAWN=echo up", "aclexec false", "aclexec",
    "spawn echo %x %", "group nosuchgroup", "twist",
    "spawn echo [::1]", "spawn echo 100%%", "", "banners @BANNERS@",
    "banners /nonexistent/banners", "BANNERS @BANNERS@",
]
# Debian's tcpdmatch (as root) really calls setuid() for "user", and
# then setgid() for the user's own group, which fails once the uid is not
# 0: "user nobody" is denied there and nowhere else.  These forms do not
# meet that bug.
ROOT_OPTIONS = ["user root", "user nosuchuser", "user root.root",
                "group root", "user nobody.nogroup",
                "user nobody.nosuchgroup"]


class Case:
    """One generated question: two files and the command line operands."""

    def __init__(self, allow, deny, daemon, client):
        self.allow = allow
        self.deny = deny
        self.daemon = daemon
        self.client = client

    def describe(self):
        return ("--- hosts.allow\n%s--- hosts.deny\n%s--- question\n"
                "daemon %r client %r\n" % (self.allow, self.deny,
                                           self.daemon, self.client))


class Generator:
    def __init__(self, rng, mode, root, netgroup, workdir):
        self.rng = rng
        self.mode = mode
        self.root = root
        self.netgroup = netgroup
        self.workdir = workdir

    def pick(self, seq):
        return self.rng.choice(seq)

    def host_pattern(self):
        r = self.rng.random()
        pool = NUMERIC_HOSTS
        if self.mode == "names":
            if r < 0.35:
                pool = NAME_HOSTS
            elif r < 0.45 and self.netgroup:
                pool = NETGROUPS
        pat = self.pick(pool)
        r = self.rng.random()
        if r < 0.05:
            pat = os.path.join(self.workdir, "list1")
        elif r < 0.07:
            pat = os.path.join(self.workdir, "list2")
        elif r < 0.08:
            pat = "/nonexistent/hostlist"
        return pat

    def client_item(self):
        pat = self.host_pattern()
        r = self.rng.random()
        if r < 0.12:
            pat = self.pick(USER_PATTERNS) + "@" + pat
        elif r < 0.14:
            pat = self.pick(USER_PATTERNS) + "@"
        return pat

    def plist(self, item, lo, hi):
        return [item() for _ in range(self.rng.randint(lo, hi))]

    def join(self, items):
        out = items[0]
        for it in items[1:]:
            out += self.pick([" ", ",", ", ", "\t", " , "]) + it
        return out

    def except_list(self, item):
        parts = [self.join(self.plist(item, 1, 3))]
        if self.rng.random() < 0.3:
            parts.append(self.join(self.plist(item, 1, 2)))
            if self.rng.random() < 0.3:
                parts.append(self.join(self.plist(item, 1, 2)))
        word = self.pick(["EXCEPT", "EXCEPT", "except"])
        return (" %s " % word).join(parts)

    def daemon_item(self):
        pat = self.pick(DAEMON_PATTERNS)
        if self.rng.random() < 0.15:
            pat += "@" + self.pick(DAEMON_HOSTS)
        return pat

    def options(self):
        opts = []
        for _ in range(self.rng.choice([1, 1, 1, 2, 2, 3])):
            opts.append(self.pick(OPTIONS))
        if self.root and self.rng.random() < 0.1:
            # Debian's tcpdmatch really switches user for "user": keep
            # it last, so that it cannot change what the next option
            # may read.
            opts.append(self.pick(ROOT_OPTIONS))
        text = ""
        for o in opts:
            o = o.replace("@BANNERS@",
                          os.path.join(self.workdir, "banners"))
            text += self.pick([" : ", ":", " :", ": "]) + o
        if self.rng.random() < 0.05:
            text += " :"
        return text

    def rule(self):
        r = self.rng.random()
        if r < 0.05:
            return "# comment: ALL: ALL\n"
        if r < 0.08:
            return "\n"
        if r < 0.10:
            return "sshd ALL without separator\n"
        if r < 0.11:
            return "  # indented: ALL\n"
        line = self.except_list(self.daemon_item)
        line += self.pick([": ", " : ", ":", "\t:\t"])
        clients = self.except_list(self.client_item)
        if self.rng.random() < 0.08:
            # A continued line: the rule's line number is its last one.
            words = clients.split(" ")
            k = self.rng.randint(0, len(words) - 1)
            clients = " ".join(words[:k]) + " \\\n " + " ".join(words[k:])
        line += clients
        if self.rng.random() < 0.3:
            line += self.options()
        if self.rng.random() < 0.01:
            line += " " * 2100
        return line + self.pick(["\n"] * 12 + ["\r\n"])

    def table(self):
        text = "".join(self.rule() for _ in range(self.rng.randint(0, 4)))
        if text and self.rng.random() < 0.04:
            text = text.rstrip("\n")
        return text

    def client(self):
        r = self.rng.random()
        if self.mode == "names" and r < 0.45:
            c = self.pick(NAME_CLIENTS)
        elif r < 0.75:
            c = self.pick(V4_CLIENTS)
        elif r < 0.95:
            c = self.pick(V6_CLIENTS)
        else:
            c = self.pick(WORD_CLIENTS)
        if self.rng.random() < 0.15:
            c = self.pick(USERS + [""]) + "@" + c
        return c

    def daemon(self):
        d = self.pick(DAEMONS)
        if self.mode == "names" and self.rng.random() < 0.25:
            d += "@" + self.pick(SERVERS)
        return d

    def case(self):
        return Case(self.table(), self.table(), self.daemon(), self.client())


class Answer:
    """What one program said: verdicts, matches, options, errors, banner."""

    def __init__(self):
        self.rc = None
        self.verdicts = []
        self.matched = []
        self.options = []
        self.error = False
        self.banner = ""
        self.raw = ""

    def key(self, syslog):
        k = [self.verdicts]
        if syslog:
            k += [self.matched, self.options, self.error, self.banner]
        return k


def drain(sock):
    """What is queued on the log socket now, without waiting."""
    msgs = []
    if sock is None:
        return msgs
    while True:
        try:
            data = sock.recv(65536)
        except BlockingIOError:
            return msgs
        msgs.append(data.decode("latin-1"))


def run_logged(argv, workdir, sock):
    """Run argv, reading /dev/log while it runs: a Unix datagram socket
    queues only a few messages, and a full queue would block the logger.
    Returns (exit status, stdout bytes, log messages)."""
    drain(sock)
    msgs = []
    deadline = time.monotonic() + 20
    with tempfile.TemporaryFile() as out:
        p = subprocess.Popen(argv, cwd=workdir, stdout=out,
                             stderr=subprocess.DEVNULL,
                             env=dict(os.environ, LC_ALL="C"))
        while p.poll() is None:
            if time.monotonic() > deadline:
                p.kill()
                p.wait()
                msgs.append("error: killed after 20 s")
                break
            if sock is not None:
                select.select([sock], [], [], 0.005)
                msgs += drain(sock)
            else:
                time.sleep(0.001)
        msgs += drain(sock)
        out.seek(0)
        return p.returncode, out.read(), msgs


def ask_tcpdmatch(case, workdir, sock):
    rc, stdout, msgs = run_logged([TCPDMATCH, "-d", case.daemon,
                                   case.client], workdir, sock)
    a = Answer()
    a.rc = rc
    out = stdout.decode("latin-1")
    a.raw = out
    # Banners are written straight to fd 1, before the buffered report,
    # and the last banner line may lack its newline.
    m = re.search(r"(client|server):   (hostname|address |username|"
                  r"process )", out)
    if m:
        a.banner = out[:m.start()]
    for line in out.split("\n"):
        if line.startswith("access:   "):
            a.verdicts.append(line.split()[1])
    for msg in msgs:
        msg = re.sub(r"^<\d+>\w+ +\d+ [\d:]+ tcpdmatch(\[\d+\])?: ", "",
                     msg)
        a.raw += "LOG " + msg + "\n"
        m = re.match(r"matched:  (\S+) line (\d+)$", msg)
        if m:
            a.matched.append((os.path.basename(m.group(1)),
                              int(m.group(2))))
        elif msg.startswith("option:   "):
            a.options.append(" ".join(msg[10:].split()))
        elif (msg.startswith("error: ") or "missing newline" in msg or
              "cannot open" in msg):
            a.error = True
    return a


def unescape(s):
    """Undo the escapes of inetd -A's banner lines."""
    table = {"\\": "\\", "r": "\r", "n": "\n"}
    return re.sub(r"\\(x[0-9a-f]{2}|.)",
                  lambda m: (chr(int(m.group(1)[1:], 16))
                             if len(m.group(1)) == 3
                             else table[m.group(1)]), s)


def ask_inetd(inetd, case, workdir):
    p = subprocess.run([inetd, "-W", ".", "-A", case.daemon, case.client],
                       cwd=workdir, capture_output=True,
                       env=dict(os.environ, LC_ALL="C"))
    a = Answer()
    a.rc = p.returncode
    out = p.stdout.decode("latin-1")
    a.raw = out + "STDERR " + p.stderr.decode("latin-1")
    for line in out.split("\n"):
        if line.startswith("access: "):
            a.verdicts.append(line[8:])
        elif line.startswith("matched: "):
            m = re.match(r"matched: (\S+) line (\d+)$", line)
            a.matched.append((os.path.basename(m.group(1)),
                              int(m.group(2))))
        elif line.startswith("option: "):
            a.options.append(" ".join(line[8:].split()))
        elif line.startswith("banner: "):
            a.banner += unescape(line[8:])
    a.error = a.rc == 2
    return a


def consistent(t, i):
    """The exit status of inetd -A must follow from what it printed."""
    if not t.verdicts:
        return i.rc == 2 and not i.verdicts
    if i.rc == 0:
        return all(v == "granted" for v in i.verdicts)
    if i.rc == 1:
        return any(v != "granted" for v in i.verdicts)
    return i.rc == 2


def setup_workdir(workdir, fixtures):
    os.makedirs(os.path.join(workdir, "banners"), exist_ok=True)
    for name in os.listdir(os.path.join(fixtures, "banners")):
        with open(os.path.join(fixtures, "banners", name), "rb") as f:
            data = f.read()
        with open(os.path.join(workdir, "banners", name), "wb") as f:
            f.write(data)
    with open(os.path.join(fixtures, "list1")) as f:
        data = f.read()
    with open(os.path.join(workdir, "list1"), "w") as f:
        f.write(data)
    with open(os.path.join(workdir, "list2"), "w") as f:
        f.write("192.0.2.200 %s\n" % os.path.join(workdir, "list1"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--inetd", required=True)
    ap.add_argument("--tcpdmatch", default="tcpdmatch")
    ap.add_argument("--fixtures", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--mode", choices=["numeric", "names"],
                    default="numeric")
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--cases", type=int, default=400)
    ap.add_argument("--first", type=int, default=0,
                    help="skip to this case number (for replays)")
    ap.add_argument("--syslog", action="store_true",
                    help="bind /dev/log to compare what libwrap logs")
    args = ap.parse_args()
    global TCPDMATCH
    TCPDMATCH = args.tcpdmatch

    sock = None
    if args.syslog:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        if os.path.exists("/dev/log"):
            os.unlink("/dev/log")
        sock.bind("/dev/log")
        sock.setblocking(False)
    root = os.geteuid() == 0 and args.syslog
    netgroup = os.environ.get("HOSTSACCESS_NETGROUP") == "yes"
    setup_workdir(args.workdir, args.fixtures)
    print("# seed %d, mode %s, %d cases from %d, syslog %s" % (
        args.seed, args.mode, args.cases, args.first,
        "yes" if args.syslog else "no"))

    gen = Generator(random.Random(args.seed), args.mode, root, netgroup,
                    args.workdir)
    failures = 0
    counts = {}
    for n in range(args.first + args.cases):
        case = gen.case()
        if n < args.first:
            continue
        for name, text in (("hosts.allow", case.allow),
                           ("hosts.deny", case.deny)):
            with open(os.path.join(args.workdir, name), "w") as f:
                f.write(text)
        t = ask_tcpdmatch(case, args.workdir, sock)
        i = ask_inetd(args.inetd, case, args.workdir)
        for v in t.verdicts or ["error"]:
            counts[v] = counts.get(v, 0) + 1
        if consistent(t, i) and (not t.verdicts or
                                 t.key(args.syslog) == i.key(args.syslog)):
            continue
        failures += 1
        print("MISMATCH seed %d case %d (replay: --seed %d --first %d "
              "--cases 1 --mode %s)" % (args.seed, n, args.seed, n,
                                        args.mode))
        print(case.describe(), end="")
        print("--- tcpdmatch (exit %d)\n%s" % (t.rc, t.raw))
        print("--- inetd -A (exit %d)\n%s" % (i.rc, i.raw))
        if failures >= 5:
            break
    print("# verdicts seen: %s" % ", ".join(
        "%s %d" % kv for kv in sorted(counts.items())))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
