#!/usr/bin/env python3
"""A phone for the integration tests: registers with SIP digest over UDP,
TLS, ws:// or wss:// (RFC 7118), then answers what the proxy sends it
(OPTIONS keepalives, INVITE, ACK, BYE) for a while, logging each request
it received as a JSON line. Python's standard library only.

    sipua.py --proxy 127.0.0.1:25060 --transport udp --bind 127.0.0.1:7010 \\
        --advertise 127.0.0.1:9999 --user 1001 --password secret \\
        [--expires 60] [--serve SECONDS] [--log FILE] [--watch PORT] \\
        [--no-options] [--unregister] [--call NUMBER]

--advertise puts another address or port in Via and Contact than the one
the phone sends from (a phone behind NAT); --watch also listens on that
UDP port and logs whatever arrives there ("watch": true). The REGISTER's
final status is printed ("REGISTER 200"); the exit status is 0 when it was
2xx. With --unregister the phone sends Expires: 0 after serving.
"""
import argparse
import base64
import hashlib
import json
import os
import select
import socket
import ssl
import sys
import time

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def rand_hex(n=8):
    return os.urandom(n).hex()


class Msg:
    """A parsed SIP message: first line, headers (name, value) in order,
    body."""

    def __init__(self, data):
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("utf-8", "replace").split("\r\n")
        self.first = lines[0]
        self.headers = []
        for line in lines[1:]:
            if line[:1] in (" ", "\t") and self.headers:
                n, v = self.headers[-1]
                self.headers[-1] = (n, v + " " + line.strip())
                continue
            name, _, value = line.partition(":")
            self.headers.append((name.strip(), value.strip()))
        self.body = body
        parts = self.first.split(" ", 2)
        self.is_reply = parts[0].startswith("SIP/")
        self.status = int(parts[1]) if self.is_reply else 0
        self.method = None if self.is_reply else parts[0]
        self.ruri = None if self.is_reply else parts[1]

    COMPACT = {"v": "via", "f": "from", "t": "to", "i": "call-id",
               "m": "contact", "l": "content-length", "c": "content-type"}

    def all(self, name):
        name = name.lower()
        out = []
        for n, v in self.headers:
            n = self.COMPACT.get(n.lower(), n.lower())
            if n == name:
                out.append(v)
        return out

    def get(self, name):
        v = self.all(name)
        return v[0] if v else None


def parse_challenge(value):
    value = value.split(" ", 1)[1]
    out = {}
    for part in value.split(","):
        k, _, v = part.strip().partition("=")
        out[k.strip()] = v.strip().strip('"')
    return out


def digest(method, uri, user, password, ch, nc=1):
    realm, nonce = ch.get("realm", ""), ch["nonce"]
    ha1 = hashlib.md5(("%s:%s:%s" % (user, realm, password)).encode()).hexdigest()
    ha2 = hashlib.md5(("%s:%s" % (method, uri)).encode()).hexdigest()
    fields = 'username="%s", realm="%s", nonce="%s", uri="%s"' % (
        user, realm, nonce, uri)
    if "auth" in ch.get("qop", "").split(","):
        cnonce = rand_hex()
        ncs = "%08x" % nc
        resp = hashlib.md5(("%s:%s:%s:%s:auth:%s" % (
            ha1, nonce, ncs, cnonce, ha2)).encode()).hexdigest()
        fields += ', qop=auth, nc=%s, cnonce="%s"' % (ncs, cnonce)
    else:
        resp = hashlib.md5(("%s:%s:%s" % (ha1, nonce, ha2)).encode()).hexdigest()
    fields += ', response="%s", algorithm=MD5' % resp
    if "opaque" in ch:
        fields += ', opaque="%s"' % ch["opaque"]
    return "Digest " + fields


class Transport:
    """Sends and receives whole SIP messages over UDP, TLS or WebSocket."""

    def __init__(self, kind, proxy, bind):
        self.kind = kind
        self.proxy = proxy
        self.last_src = proxy  # where the last message came from
        self.buf = b""
        host, port = bind
        if kind == "udp":
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.sock.bind((host, port))
            return
        raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        raw.bind((host, port))
        raw.settimeout(5)
        raw.connect(proxy)
        if kind in ("tls", "wss"):
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            raw = ctx.wrap_socket(raw)
        self.sock = raw
        if kind in ("ws", "wss"):
            self._ws_handshake()
        self.sock.settimeout(None)

    def _ws_handshake(self):
        key = base64.b64encode(os.urandom(16)).decode()
        req = ("GET / HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
               "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sip\r\n"
               "Origin: http://127.0.0.1\r\n\r\n") % (
                   self.proxy[0], self.proxy[1], key)
        self.sock.sendall(req.encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("WebSocket handshake: connection closed")
            data += chunk
        head, _, self.buf = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        if " 101 " not in lines[0] + " ":
            raise RuntimeError("WebSocket handshake refused: " + lines[0])
        want = base64.b64encode(hashlib.sha1(
            (key + WS_GUID).encode()).digest()).decode()
        accept = [l.split(":", 1)[1].strip() for l in lines[1:]
                  if l.lower().startswith("sec-websocket-accept:")]
        if accept != [want]:
            raise RuntimeError("WebSocket handshake: bad accept key")

    def send(self, text):
        data = text.encode()
        if self.kind == "udp":
            self.sock.sendto(data, self.proxy)
        elif self.kind in ("ws", "wss"):
            self._ws_send(1, data)
        else:
            self.sock.sendall(data)

    def _ws_send(self, opcode, data):
        mask = os.urandom(4)
        n = len(data)
        head = bytes([0x80 | opcode])
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + n.to_bytes(2, "big")
        else:
            head += bytes([0x80 | 127]) + n.to_bytes(8, "big")
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        self.sock.sendall(head + mask + masked)

    def fileno(self):
        return self.sock.fileno()

    def pending(self):
        """True when a whole message may already be buffered."""
        return bool(self.buf) or (
            hasattr(self.sock, "pending") and self.sock.pending() > 0)

    def recv(self):
        """One SIP message (bytes), or None: nothing whole yet / closed."""
        if self.kind == "udp":
            data, self.last_src = self.sock.recvfrom(65535)
            return data
        chunk = self.sock.recv(65535)
        if not chunk:
            raise EOFError("connection closed by the proxy")
        self.buf += chunk
        if self.kind in ("ws", "wss"):
            return self._ws_take()
        return self._stream_take()

    def take(self):
        if self.kind in ("ws", "wss"):
            return self._ws_take()
        if self.kind == "udp":
            return None
        return self._stream_take()

    def _stream_take(self):
        self.buf = self.buf.lstrip(b"\r\n")
        if b"\r\n\r\n" not in self.buf:
            return None
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            n, _, v = line.partition(b":")
            if n.strip().lower() in (b"content-length", b"l"):
                length = int(v.strip())
        if len(rest) < length:
            return None
        msg = head + b"\r\n\r\n" + rest[:length]
        self.buf = rest[length:]
        return msg

    def _ws_take(self):
        while True:
            b = self.buf
            if len(b) < 2:
                return None
            opcode = b[0] & 0x0F
            masked = b[1] & 0x80
            n = b[1] & 0x7F
            pos = 2
            if n == 126:
                if len(b) < 4:
                    return None
                n = int.from_bytes(b[2:4], "big")
                pos = 4
            elif n == 127:
                if len(b) < 10:
                    return None
                n = int.from_bytes(b[2:10], "big")
                pos = 10
            mask = b""
            if masked:
                mask = b[pos:pos + 4]
                pos += 4
            if len(b) < pos + n:
                return None
            payload = b[pos:pos + n]
            if masked:
                payload = bytes(x ^ mask[i % 4] for i, x in enumerate(payload))
            self.buf = b[pos + n:]
            if opcode == 9:  # ping: pong
                self._ws_send(10, payload)
                continue
            if opcode == 8:
                raise EOFError("WebSocket closed by the proxy")
            if opcode in (1, 2):
                return payload


class Phone:
    def __init__(self, a):
        self.a = a
        host, port = a.proxy.rsplit(":", 1)
        self.proxy = (host, int(port))
        bhost, bport = a.bind.rsplit(":", 1)
        self.bind = (bhost, int(bport))
        if a.advertise:
            h, p = a.advertise.rsplit(":", 1)
            self.adv = (h, int(p))
        else:
            self.adv = self.bind
        self.t = Transport(a.transport, self.proxy, self.bind)
        if self.adv == self.bind and (a.transport != "udp" or self.bind[1] == 0):
            # the port the system gave it, not 0
            self.adv = self.t.sock.getsockname()[:2]
        self.call_id = rand_hex(12) + "@sipua"
        self.tag = rand_hex(6)
        self.cseq = 0
        self.log = open(a.log, "a") if a.log else None
        self.watch = None
        if a.watch:
            self.watch = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.watch.bind((self.bind[0], a.watch))

    def via_proto(self):
        return {"udp": "UDP", "tls": "TLS", "ws": "WS", "wss": "WSS"}[
            self.a.transport]

    def contact(self):
        if self.a.transport in ("ws", "wss"):
            # RFC 7118: a browser knows no address of its own
            return "<sip:%s@%s.invalid;transport=ws>" % (self.a.user, rand_hex(4)) \
                if not hasattr(self, "_ws_contact") else self._ws_contact
        tp = "" if self.a.transport == "udp" else ";transport=tls"
        return "<sip:%s@%s:%d%s>" % (self.a.user, self.adv[0], self.adv[1], tp)

    def via(self):
        if self.a.transport in ("ws", "wss"):
            host = "%s.invalid" % rand_hex(4)
            return "SIP/2.0/%s %s;branch=z9hG4bK%s;rport" % (
                self.via_proto(), host, rand_hex())
        return "SIP/2.0/%s %s:%d;branch=z9hG4bK%s;rport" % (
            self.via_proto(), self.adv[0], self.adv[1], rand_hex())

    def note(self, **kw):
        if self.log:
            self.log.write(json.dumps(kw) + "\n")
            self.log.flush()

    def register(self, expires):
        if self.a.transport in ("ws", "wss") and not hasattr(self, "_ws_contact"):
            self._ws_contact = self.contact()
        domain = self.a.domain or self.proxy[0]
        uri = "sip:%s" % domain
        auth = None
        for _ in range(3):
            self.cseq += 1
            lines = [
                "REGISTER %s SIP/2.0" % uri,
                "Via: " + self.via(),
                "Max-Forwards: 70",
                "From: <sip:%s@%s>;tag=%s" % (self.a.user, domain, self.tag),
                "To: <sip:%s@%s>" % (self.a.user, domain),
                "Call-ID: " + self.call_id,
                "CSeq: %d REGISTER" % self.cseq,
                "Contact: " + self.contact(),
                "Expires: %d" % expires,
                "User-Agent: sipua-test",
            ]
            if auth:
                lines.append("Authorization: " + auth)
            self.t.send("\r\n".join(lines) + "\r\nContent-Length: 0\r\n\r\n")
            r = self.wait_reply("REGISTER", self.cseq)
            if r is None:
                return 0
            if r.status in (401, 407) and auth is None:
                h = r.get("www-authenticate") or r.get("proxy-authenticate")
                auth = digest("REGISTER", uri, self.a.user, self.a.password,
                              parse_challenge(h))
                continue
            return r.status
        return 0

    def invite(self, number):
        """Calls NUMBER through the proxy (answering its 407 with the
        phone's credentials) and ACKs the 200; returns the final status."""
        domain = self.a.domain or self.proxy[0]
        uri = "sip:%s@%s" % (number, domain)
        call_id = rand_hex(12) + "@sipua"
        tag = rand_hex(6)
        sdp = ("v=0\r\no=- 2 2 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
               "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n") % (
                   self.adv[0], self.adv[0], 40002)
        auth = None
        for cseq in (1, 2):
            via = self.via()
            head = [
                "Via: " + via,
                "Max-Forwards: 70",
                "From: <sip:%s@%s>;tag=%s" % (self.a.user, domain, tag),
                "To: <sip:%s@%s>" % (number, domain),
                "Call-ID: " + call_id,
            ]
            lines = ["INVITE %s SIP/2.0" % uri] + head + [
                "CSeq: %d INVITE" % cseq, "Contact: " + self.contact(),
                "Content-Type: application/sdp"]
            if auth:
                lines.append("Proxy-Authorization: " + auth)
            self.t.send("\r\n".join(lines) + "\r\nContent-Length: %d\r\n\r\n"
                        % len(sdp) + sdp)
            r = self.wait_reply("INVITE", cseq, 10.0)
            if r is None:
                return 0
            if r.status >= 300:
                # the ACK of a failure: same branch, the reply's To
                ack = ["ACK %s SIP/2.0" % uri] + head[:3] + [
                    "To: " + r.get("to"), "Call-ID: " + call_id,
                    "CSeq: %d ACK" % cseq]
                self.t.send("\r\n".join(ack) + "\r\nContent-Length: 0\r\n\r\n")
            if r.status == 407 and auth is None:
                auth = digest("INVITE", uri, self.a.user, self.a.password,
                              parse_challenge(r.get("proxy-authenticate")))
                continue
            if 200 <= r.status < 300:
                target = r.get("contact").strip().lstrip("<").split(">")[0]
                routes = list(reversed(r.all("record-route")))
                ack = ["ACK %s SIP/2.0" % target, "Via: " + self.via(),
                       "Max-Forwards: 70"]
                ack += ["Route: " + v for v in routes]
                ack += ["From: <sip:%s@%s>;tag=%s" % (self.a.user, domain, tag),
                        "To: " + r.get("to"), "Call-ID: " + call_id,
                        "CSeq: %d ACK" % cseq]
                self.t.send("\r\n".join(ack) + "\r\nContent-Length: 0\r\n\r\n")
            return r.status
        return 0

    def wait_reply(self, method, cseq, timeout=5.0):
        end = time.time() + timeout
        while time.time() < end:
            m = self.next_msg(end - time.time())
            if m is None:
                continue
            if m.is_reply:
                c = (m.get("cseq") or "").split()
                if len(c) == 2 and c[1] == method and int(c[0]) == cseq:
                    if m.status >= 200:
                        return m
                continue
            self.answer(m)
        return None

    def next_msg(self, timeout):
        """The next whole message from the proxy; logs watch-port arrivals."""
        m = self.t.take()
        if m is not None:
            return Msg(m)
        socks = [self.t] + ([self.watch] if self.watch else [])
        if not self.t.pending():
            r, _, _ = select.select(socks, [], [], max(timeout, 0))
        else:
            r = [self.t]
        if self.watch in r:
            data, src = self.watch.recvfrom(65535)
            self.note(watch=True, first=data.split(b"\r\n", 1)[0].decode(
                "latin-1"), src="%s:%d" % src)
        if self.t in r:
            data = self.t.recv()
            if data:
                return Msg(data)
        return None

    def reply(self, req, code, reason, extra=(), body=""):
        lines = ["SIP/2.0 %d %s" % (code, reason)]
        for v in req.all("via"):
            lines.append("Via: " + v)
        lines.append("From: " + req.get("from"))
        to = req.get("to")
        if code > 100 and "tag=" not in to:
            to += ";tag=" + self.tag
        lines.append("To: " + to)
        lines.append("Call-ID: " + req.get("call-id"))
        lines.append("CSeq: " + req.get("cseq"))
        if 100 < code < 300:
            for v in req.all("record-route"):
                lines.append("Record-Route: " + v)
        lines.extend(extra)
        if body:
            lines.append("Content-Type: application/sdp")
        lines.append("Content-Length: %d" % len(body.encode()))
        self.t.send("\r\n".join(lines) + "\r\n\r\n" + body)

    def answer(self, req):
        cline = ""
        for line in req.body.decode("latin-1").split("\r\n"):
            if line.startswith("c=") or line.startswith("m=audio"):
                cline += line + ";"
        self.note(method=req.method, ruri=req.ruri, sdp=cline,
                  to=req.get("to"),
                  port=self.bind[1], via=len(req.all("via")),
                  src="%s:%d" % tuple(self.t.last_src[:2]))
        m = req.method
        if m == "OPTIONS":
            if not self.a.no_options:
                self.reply(req, 200, "OK")
        elif m == "INVITE":
            self.reply(req, 100, "Trying")
            sdp = ("v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
                   "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n") % (
                       self.adv[0], self.adv[0], 40000)
            self.reply(req, 200, "OK", ["Contact: " + self.contact()], sdp)
        elif m in ("BYE", "CANCEL", "NOTIFY", "INFO", "MESSAGE", "UPDATE"):
            self.reply(req, 200, "OK")
        # ACK: nothing

    def serve(self, seconds):
        end = time.time() + seconds
        while time.time() < end:
            m = self.next_msg(min(0.5, end - time.time()))
            if m is not None and not m.is_reply:
                self.answer(m)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--proxy", required=True)
    p.add_argument("--transport", default="udp",
                   choices=["udp", "tls", "ws", "wss"])
    p.add_argument("--bind", default="127.0.0.1:0")
    p.add_argument("--advertise")
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--domain")
    p.add_argument("--expires", type=int, default=60)
    p.add_argument("--serve", type=float, default=0)
    p.add_argument("--log")
    p.add_argument("--watch", type=int)
    p.add_argument("--no-options", action="store_true")
    p.add_argument("--unregister", action="store_true")
    p.add_argument("--call", metavar="NUMBER",
                   help="after registering, call NUMBER (printed: INVITE <status>)")
    a = p.parse_args()
    try:
        ph = Phone(a)
        status = ph.register(a.expires)
    except (OSError, RuntimeError, EOFError) as e:
        print("REGISTER failed: %s" % e)
        return 1
    print("REGISTER %d" % status, flush=True)
    if not 200 <= status < 300:
        return 1
    try:
        if a.call:
            print("INVITE %d" % ph.invite(a.call), flush=True)
        if a.serve:
            ph.serve(a.serve)
        if a.unregister:
            print("UNREGISTER %d" % ph.register(0), flush=True)
    except (OSError, EOFError) as e:
        print("connection lost: %s" % e, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
