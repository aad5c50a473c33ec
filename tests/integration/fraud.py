#!/usr/bin/env python3
"""A phone with valid credentials that tries to use them as a key to the
trunks (tests/integration/test-fraud.sh), and the listeners that tell
whether anything got through. Python's standard library only; the SIP
phone itself is sipua.py's.

    fraud.py watch --log FILE --seconds S ADDR... (udp:IP:PORT, tcp:IP:PORT)
        logs one JSON line per datagram or connection that arrives
    fraud.py uas --bind IP:PORT --log FILE --seconds S
        answers INVITE (200, its own address as Contact), BYE, ACK...;
        logs each request's method, Request-URI and identity headers
    fraud.py phone --proxy IP:PORT --bind IP:PORT --user U --password P
        [--contact URI] [--answer-contact URI] [--answer-header H]...
        [--no-register] [--serve S]
        [--call NUMBER [--header H]... [--indialog-ruri URI]
         [--indialog-route URI] [--bye]]
        [--request METHOD --to USER [--header H]...]
        registers with Contact URI (the phone's own address unless given),
        prints "REGISTER <status>"; answers calls for S seconds with a 200
        whose Contact is --answer-contact (its own unless given), with the
        --answer-header lines; --no-register sends no REGISTER; --call
        places a call (printing "INVITE <status>") with extra headers, then
        a re-INVITE inside that dialog to --indialog-ruri (and/or with a
        Route naming --indialog-route after the proxy's), printing
        "REINVITE <status>", and a BYE ("BYE <status>"); --request sends an
        out-of-dialog METHOD to USER, answering the proxy's 407
        ("<METHOD> <status>").
"""
import argparse
import json
import os
import select
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sipua  # noqa: E402

IDENTITY = ("p-asserted-identity", "p-preferred-identity", "remote-party-id",
            "diversion", "history-info")


def hostport(s):
    h, p = s.rsplit(":", 1)
    return h, int(p)


def watch(a):
    socks = []
    for spec in a.addr:
        kind, rest = spec.split(":", 1)
        h, p = hostport(rest)
        if kind == "udp":
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        else:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((h, p))
        if kind == "tcp":
            s.listen(16)
        socks.append((kind, spec, s))
    log = open(a.log, "a")
    print("watching", flush=True)
    end = time.time() + a.seconds
    while time.time() < end:
        r, _, _ = select.select([s for _, _, s in socks], [], [],
                                max(0, min(0.5, end - time.time())))
        for kind, spec, s in socks:
            if s not in r:
                continue
            if kind == "udp":
                data, src = s.recvfrom(65535)
                first = data.split(b"\r\n", 1)[0].decode("latin-1")
            else:
                c, src = s.accept()
                c.settimeout(1)
                try:
                    data = c.recv(4096)
                except OSError:
                    data = b""
                c.close()
                first = "connection: " + data.split(b"\r\n", 1)[0].decode(
                    "latin-1")
            log.write(json.dumps({"at": spec, "from": "%s:%d" % src[:2],
                                  "first": first}) + "\n")
            log.flush()
    return 0


class Uas:
    def __init__(self, a):
        self.addr = hostport(a.bind)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(self.addr)
        self.log = open(a.log, "a")
        self.tag = sipua.rand_hex(6)

    def reply(self, req, src, code, reason, extra=()):
        lines = ["SIP/2.0 %d %s" % (code, reason)]
        lines += ["Via: " + v for v in req.all("via")]
        to = req.get("to")
        if code > 100 and "tag=" not in to:
            to += ";tag=" + self.tag
        lines += ["From: " + req.get("from"), "To: " + to,
                  "Call-ID: " + req.get("call-id"), "CSeq: " + req.get("cseq")]
        if 100 < code < 300:
            lines += ["Record-Route: " + v for v in req.all("record-route")]
        lines += list(extra)
        self.sock.sendto(("\r\n".join(lines) + "\r\nContent-Length: 0\r\n\r\n")
                         .encode(), src)

    def serve(self, seconds):
        end = time.time() + seconds
        print("serving", flush=True)
        while time.time() < end:
            r, _, _ = select.select([self.sock], [], [],
                                    max(0, min(0.5, end - time.time())))
            if not r:
                continue
            data, src = self.sock.recvfrom(65535)
            m = sipua.Msg(data)
            if m.is_reply:
                continue
            ident = {h: m.all(h) for h in IDENTITY if m.all(h)}
            self.log.write(json.dumps({"method": m.method, "ruri": m.ruri,
                                       "from": "%s:%d" % src[:2],
                                       "identity": ident}) + "\n")
            self.log.flush()
            if m.method == "INVITE":
                self.reply(m, src, 200, "OK", [
                    "Contact: <sip:uas@%s:%d>" % self.addr])
            elif m.method != "ACK":
                self.reply(m, src, 200, "OK")


class Phone(sipua.Phone):
    """sipua's phone, with the Contact it registers and answers with given
    by the test, and requests inside its own calls."""

    def contact(self):
        if self.a.contact:
            return "<%s>" % self.a.contact
        return super().contact()

    def answer(self, req):
        if req.method == "INVITE" and self.a.answer_contact:
            self.note(method=req.method, ruri=req.ruri, port=self.bind[1],
                      via=len(req.all("via")),
                      src="%s:%d" % tuple(self.t.last_src[:2]))
            self.reply(req, 200, "OK", ["Contact: <%s>" % self.a.answer_contact]
                       + self.a.answer_header)
            return
        if req.method == "INVITE" and self.a.answer_header:
            self.note(method=req.method, ruri=req.ruri, port=self.bind[1],
                      via=len(req.all("via")),
                      src="%s:%d" % tuple(self.t.last_src[:2]))
            self.reply(req, 200, "OK", ["Contact: " + self.contact()]
                       + self.a.answer_header)
            return
        super().answer(req)

    def send_request(self, method, ruri, head, extra=(), auth=None,
                     timeout=5.0):
        lines = ["%s %s SIP/2.0" % (method, ruri), "Via: " + self.via(),
                 "Max-Forwards: 70"] + head + list(extra)
        if auth:
            lines.append("Proxy-Authorization: " + auth)
        self.t.send("\r\n".join(lines) + "\r\nContent-Length: 0\r\n\r\n")
        cseq = int([h for h in head if h.startswith("CSeq: ")][0].split()[1])
        return self.wait_reply(method, cseq, timeout)

    def call(self, number, extra, in_ruri, in_route, bye):
        """Calls NUMBER (answering the 407), ACKs the 200; then the
        re-INVITE and BYE inside that dialog."""
        domain = self.a.domain or self.proxy[0]
        uri = "sip:%s@%s" % (number, domain)
        call_id = sipua.rand_hex(12) + "@fraud"
        tag = sipua.rand_hex(6)
        frm = "From: <sip:%s@%s>;tag=%s" % (self.a.user, domain, tag)
        auth = None
        r = None
        for cseq in (1, 2):
            head = [frm, "To: <%s>" % uri, "Call-ID: " + call_id,
                    "CSeq: %d INVITE" % cseq, "Contact: " + self.contact()]
            r = self.send_request("INVITE", uri, head, extra, auth, 10.0)
            if r is None:
                print("INVITE 0", flush=True)
                return
            if r.status >= 300:
                self.t.send("\r\n".join([
                    "ACK %s SIP/2.0" % uri, "Via: " + self.via(),
                    "Max-Forwards: 70", frm, "To: " + r.get("to"),
                    "Call-ID: " + call_id, "CSeq: %d ACK" % cseq])
                    + "\r\nContent-Length: 0\r\n\r\n")
            if r.status == 407 and auth is None:
                auth = sipua.digest("INVITE", uri, self.a.user,
                                    self.a.password, sipua.parse_challenge(
                                        r.get("proxy-authenticate")))
                continue
            break
        print("INVITE %d" % r.status, flush=True)
        if not 200 <= r.status < 300:
            return
        target = r.get("contact").strip().lstrip("<").split(">")[0]
        routes = ["Route: " + v for v in reversed(r.all("record-route"))]
        to = "To: " + r.get("to")
        ack = ["ACK %s SIP/2.0" % target, "Via: " + self.via(),
               "Max-Forwards: 70"] + routes + [
            frm, to, "Call-ID: " + call_id, "CSeq: %d ACK" % cseq]
        self.t.send("\r\n".join(ack) + "\r\nContent-Length: 0\r\n\r\n")
        n = cseq
        if in_ruri or in_route:
            n += 1
            rr = routes + (["Route: <%s>" % in_route] if in_route else [])
            head = rr + [frm, to, "Call-ID: " + call_id,
                         "CSeq: %d INVITE" % n, "Contact: " + self.contact()]
            r2 = self.send_request("INVITE", in_ruri or target, head)
            print("REINVITE %d" % (r2.status if r2 else 0), flush=True)
            if r2 is not None and 200 <= r2.status < 300:
                self.t.send("\r\n".join([
                    "ACK %s SIP/2.0" % (in_ruri or target), "Via: " + self.via(),
                    "Max-Forwards: 70"] + rr + [frm, to, "Call-ID: " + call_id,
                                                "CSeq: %d ACK" % n])
                    + "\r\nContent-Length: 0\r\n\r\n")
        if bye:
            n += 1
            head = routes + [frm, to, "Call-ID: " + call_id, "CSeq: %d BYE" % n]
            r3 = self.send_request("BYE", target, head)
            print("BYE %d" % (r3.status if r3 else 0), flush=True)

    def request(self, method, user, extra):
        domain = self.a.domain or self.proxy[0]
        uri = "sip:%s@%s" % (user, domain)
        call_id = sipua.rand_hex(12) + "@fraud"
        frm = "From: <sip:%s@%s>;tag=%s" % (self.a.user, domain,
                                           sipua.rand_hex(6))
        auth = None
        r = None
        for cseq in (1, 2):
            head = [frm, "To: <%s>" % uri, "Call-ID: " + call_id,
                    "CSeq: %d %s" % (cseq, method),
                    "Contact: " + self.contact()]
            r = self.send_request(method, uri, head, extra, auth)
            if r is None or r.status != 407 or auth:
                break
            auth = sipua.digest(method, uri, self.a.user, self.a.password,
                                sipua.parse_challenge(
                                    r.get("proxy-authenticate")))
        print("%s %d" % (method, r.status if r else 0), flush=True)


def phone(a):
    a.transport = "udp"
    a.advertise = None
    a.watch = None
    a.no_options = False
    a.domain = None
    ph = Phone(a)
    status = 200
    if not a.no_register:
        status = ph.register(a.expires)
        print("REGISTER %d" % status, flush=True)
    if a.call:
        ph.call(a.call, a.header, a.indialog_ruri, a.indialog_route, a.bye)
    if a.request:
        ph.request(a.request, a.to, a.header)
    if a.serve:
        ph.serve(a.serve)
    return 0 if 200 <= status < 300 else 1


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("watch")
    w.add_argument("--log", required=True)
    w.add_argument("--seconds", type=float, default=10)
    w.add_argument("addr", nargs="+")
    u = sub.add_parser("uas")
    u.add_argument("--bind", required=True)
    u.add_argument("--log", required=True)
    u.add_argument("--seconds", type=float, default=10)
    f = sub.add_parser("phone")
    f.add_argument("--proxy", required=True)
    f.add_argument("--bind", required=True)
    f.add_argument("--user", required=True)
    f.add_argument("--password", required=True)
    f.add_argument("--contact")
    f.add_argument("--answer-contact")
    f.add_argument("--answer-header", action="append", default=[])
    f.add_argument("--no-register", action="store_true")
    f.add_argument("--expires", type=int, default=60)
    f.add_argument("--serve", type=float, default=0)
    f.add_argument("--log")
    f.add_argument("--call")
    f.add_argument("--header", action="append", default=[])
    f.add_argument("--indialog-ruri")
    f.add_argument("--indialog-route")
    f.add_argument("--bye", action="store_true")
    f.add_argument("--request")
    f.add_argument("--to")
    a = p.parse_args()
    if a.cmd == "watch":
        return watch(a)
    if a.cmd == "uas":
        Uas(a).serve(a.seconds)
        return 0
    return phone(a)


if __name__ == "__main__":
    sys.exit(main())
