#!/usr/bin/env python3
"""Two phones' worth of sockets behind one office address, over UDP: the
phone, and a neighbour at the same address on another port.

    neighbour.py replay PROXY ADDR USER PASSWORD
        The phone is challenged; the neighbour, who sees the phone's
        answer, sends it first from its own port with its own Contact;
        then the phone sends it, then answers a fresh challenge if it gets
        one. Prints "neighbour CODE phone CODE retry CODE neighbour-port
        PORT".
    neighbour.py colleague PROXY ADDR USER PASSWORD FAILURES
        The phone registers; the colleague fails FAILURES times for the
        phone's extension from its own port; the phone registers again;
        the colleague tries the right password. Prints "phone CODE
        colleague-failed CODE phone-again CODE colleague-right CODE".

Python's standard library and sipua.py's digest only.
"""
import os
import select
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sipua import Msg, digest, parse_challenge, rand_hex  # noqa: E402


class Sock:
    def __init__(self, addr, proxy):
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.bind((addr, 0))
        self.addr = self.s.getsockname()
        self.proxy = proxy

    def send(self, text):
        self.s.sendto(text.encode(), self.proxy)

    def reply(self, call_id, cseq, timeout=3.0):
        """The final reply to (call_id, cseq); requests (keepalives) and
        provisional replies skipped."""
        end = time.time() + timeout
        while time.time() < end:
            r, _, _ = select.select([self.s], [], [], end - time.time())
            if not r:
                break
            data, _ = self.s.recvfrom(65535)
            m = Msg(data)
            if not m.is_reply or m.status < 200:
                continue
            if m.get("call-id") == call_id and \
                    (m.get("cseq") or "").split(" ")[0] == str(cseq):
                return m
        return None


def register(sock, user, domain, call_id, tag, cseq, auth=None):
    lines = [
        "REGISTER sip:%s SIP/2.0" % domain,
        "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bK%s;rport" % (
            sock.addr[0], sock.addr[1], rand_hex()),
        "Max-Forwards: 70",
        "From: <sip:%s@%s>;tag=%s" % (user, domain, tag),
        "To: <sip:%s@%s>" % (user, domain),
        "Call-ID: " + call_id,
        "CSeq: %d REGISTER" % cseq,
        "Contact: <sip:%s@%s:%d>" % (user, sock.addr[0], sock.addr[1]),
        "Expires: 600",
    ]
    if auth:
        lines.append("Authorization: " + auth)
    sock.send("\r\n".join(lines) + "\r\nContent-Length: 0\r\n\r\n")
    return sock.reply(call_id, cseq)


def code(m):
    return m.status if m is not None else 0


def challenge(m):
    h = m.get("www-authenticate") if m is not None else None
    return parse_challenge(h) if h else None


def full_register(sock, user, password, domain):
    """Challenge and answer, as a phone does: the final code."""
    call_id, tag = rand_hex(10) + "@nb", rand_hex(5)
    r = register(sock, user, domain, call_id, tag, 1)
    ch = challenge(r)
    if ch is None:
        return code(r)
    auth = digest("REGISTER", "sip:%s" % domain, user, password, ch)
    return code(register(sock, user, domain, call_id, tag, 2, auth))


def replay(proxy, addr, user, password):
    domain = proxy[0]
    phone, nb = Sock(addr, proxy), Sock(addr, proxy)
    call_id, tag = rand_hex(10) + "@phone", rand_hex(5)
    ch = challenge(register(phone, user, domain, call_id, tag, 1))
    if ch is None:
        print("no challenge")
        return 1
    auth = digest("REGISTER", "sip:%s" % domain, user, password, ch)
    # the neighbour copies the phone's answer: Call-ID, tag, CSeq, nonce
    n = code(register(nb, user, domain, call_id, tag, 2, auth))
    r = register(phone, user, domain, call_id, tag, 2, auth)
    p = code(r)
    again = 0
    if p in (401, 407) and challenge(r):
        auth = digest("REGISTER", "sip:%s" % domain, user, password, challenge(r))
        again = code(register(phone, user, domain, call_id, tag, 3, auth))
    print("neighbour %d phone %d retry %d neighbour-port %d"
          % (n, p, again, nb.addr[1]))
    return 0


def colleague(proxy, addr, user, password, failures):
    domain = proxy[0]
    phone, col = Sock(addr, proxy), Sock(addr, proxy)
    first = full_register(phone, user, password, domain)
    last = 0
    for _ in range(failures):
        last = full_register(col, user, password + "-typo", domain)
    again = full_register(phone, user, password, domain)
    right = full_register(col, user, password, domain)
    print("phone %d colleague-failed %d phone-again %d colleague-right %d"
          % (first, last, again, right))
    return 0


def main():
    mode = sys.argv[1]
    host, port = sys.argv[2].rsplit(":", 1)
    proxy = (host, int(port))
    if mode == "replay":
        return replay(proxy, sys.argv[3], sys.argv[4], sys.argv[5])
    return colleague(proxy, sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]))


if __name__ == "__main__":
    sys.exit(main())
