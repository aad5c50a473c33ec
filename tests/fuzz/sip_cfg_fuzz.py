#!/usr/bin/env python3
"""Black-box fuzzer of cfg/kamailio.cfg's routing: a real kamailio with the
built module, mutated SIP (and HTTP) datagrams from strangers, an Asterisk
server, a carrier and a phone, and oracles on what the proxy lets through.
See tests/fuzz/README.md; normally run through sip_cfg_fuzz.sh (which puts
it in a network namespace of its own) by `make fuzz` / `make fuzz-short`.

    sip_cfg_fuzz.py SECONDS [--seed N] [--count N] [--cfg FILE] ...
    sip_cfg_fuzz.py --replay FILE.msg|DIR ...

Everything is on loopback addresses: the proxy on udp 127.0.0.1:26060 (HTTP
on tcp 127.0.0.1:26090), the Asterisk server stand-in on 127.0.0.2:26062,
the trunk stand-ins on 127.0.0.3:26063 and 127.0.0.3:26064 (a dispatcher
set), phones on 127.0.6.x:26066, strangers on 127.0.0.4, 127.0.0.5 and
127.0.4.x. Only the Python standard library is used.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import collections
import ctypes
import faulthandler
import fcntl
import hashlib
import json
import os
import random
import re
import selectors
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import zlib

NAME = "sip_cfg_fuzz"

# --- the addresses of the play (loopback only, never anything else) ---
PROXY = ("127.0.0.1", 26060)
HTTP = ("127.0.0.1", 26090)
SERVER = ("127.0.0.2", 26062)  # the servers row 127.0.0.2, SERVER_PORT 26062
TRUNK = ("127.0.0.3", 26063)  # the rules' trunk sip:127.0.0.3:26063
TRUNK_DS = ("127.0.0.3", 26064)  # dispatcher set 1: sip:127.0.0.3:26064
PROBE = ("127.0.0.1", 26069)  # liveness OPTIONS
PHONE_PORT = 26066
PHONES = [("127.0.6.%d" % i, PHONE_PORT) for i in range(1, 17)]
STRANGER_PORT = 26070
# 127.0.0.4 and 127.0.0.5 are flooded (pike bans them soon: that path is
# fuzzed too); the pool keeps every stranger under pike's rate, so that
# strangers' messages reach the routing for the whole run. 127.0.0.2 on
# another port than the server's is a stranger as well.
STRANGERS_NAMED = [("127.0.0.4", STRANGER_PORT), ("127.0.0.5", STRANGER_PORT)]
STRANGER_POOL = [("127.0.4.%d" % i, STRANGER_PORT) for i in range(1, 201)]
STRANGER_AT_SERVER = ("127.0.0.2", 26071)
# Addresses no table names: the phone with credentials writes them in its
# Contacts, Request-URIs, Routes and aliases; nothing may ever reach them
# (a datagram, or a TCP connection).
ELSEWHERE = ("127.0.0.99", 26099)
ELSEWHERE_TCP = ("127.0.0.98", 26098)
# What an authenticated phone may make the proxy send a trunk: its
# EXTERNAL entries' numbers, translated by the rules (fx200: 913125550200
# by the trunk's rule; fx201: 955512345 by dispatcher set 1's).
PHONE_TRUNK_CALLS = {(TRUNK, "13125550200"), (TRUNK_DS, "55512345")}

PHONE_USER, PHONE_PASSWORD = "fz100", "pw-fz100"
DOMAIN = "127.0.0.1"  # From/To domain: the digest realm ($fd, $td)

# Message classes, carried in each message's marker. The toll-fraud oracle
# is about the first three: nobody without valid credentials.
STRANGER = "s"  # 127.0.0.4, 127.0.0.5, the pool
STRANGER_SRV = "w"  # 127.0.0.2, not from the server's port
PHONE_NOCRED = "q"  # a phone's address, no credentials
SERVER_C = "v"  # the Asterisk server 127.0.0.2:26062
CARRIER_C = "c"  # the carrier 127.0.0.3:26063
PHONE_C = "p"  # a phone with fz100's credentials
PROBE_C = "k"  # liveness probes
STRANGERS = {STRANGER, STRANGER_SRV, PHONE_NOCRED}

# Known issues of the configuration (tests/fuzz/README.md): with --known,
# counted and shown in the summary instead of failing the run.
KNOWN = {
    "reply-forwarding": "responses forged by strangers forwarded statelessly",
    "ack-prack-to-phone": "ACK/PRACK from strangers relayed to a phone",
}
CLASS_NAMES = {
    STRANGER: "stranger", STRANGER_SRV: "stranger at the server's address",
    PHONE_NOCRED: "phone address without credentials", SERVER_C: "server",
    CARRIER_C: "carrier", PHONE_C: "phone with credentials", PROBE_C: "probe",
}

MARK_RE = re.compile(rb"fzm([a-z])([0-9a-f]{8})([0-9a-f]{4})")
QUAD_RE = re.compile(rb"(?<![0-9.])([0-9]+)\.([0-9]+)\.([0-9]+)(?:\.([0-9]+))?(?![0-9])")
V6_RE = re.compile(rb"\[([0-9A-Fa-f:.]*)\]")
# header lines end in CR, LF or both (kamailio takes each)
CALLID_RE = re.compile(rb"(?i)(?:^|[\r\n])(?:call-id|i)[ \t]*:([^\r\n]*)")
FROMTAG_RE = re.compile(rb"(?i)(?:^|[\r\n])(?:from|f)[ \t]*:[^\r\n]*?;[ \t]*tag=([^;\s>,]+)")
# a process that died, memory exhausted (kamailio's main process logs a
# child's death, then stops them all)
LOG_BAD_RE = re.compile(rb"exited by a signal|segfault|Segmentation|died unexpectedly|"
                        rb"core dump|no more (?:shm|pkg)|out of memory")
# worth a look, not a failure (dialog's "bogus event" on odd sequences...)
LOG_NOTE_RE = re.compile(rb"CRITICAL|BUG")
LINE_SPLIT = re.compile(rb"\r\n|\n|\r")
FOLD_RE = re.compile(rb"(?:\r\n|\n|\r)[ \t]+")
CHALLENGE_RE = re.compile(
    rb"^(?:WWW|Proxy)-Authenticate[ \t]*:[ \t]*Digest(.*)$", re.I | re.M)


def marker(cls, idx):
    body = "%s%08x" % (cls, idx & 0xFFFFFFFF)
    return "fzm%s%04x" % (body, zlib.crc32(body.encode()) & 0xFFFF)


def markers_in(data):
    """(class, index) of every intact marker in data."""
    out = set()
    for m in MARK_RE.finditer(data):
        body = m.group(1) + m.group(2)
        if int(m.group(3), 16) == zlib.crc32(body) & 0xFFFF:
            out.add((m.group(1).decode(), int(m.group(2), 16)))
    return out


def unfold(data):
    """Header lines as kamailio reads them: a line break followed by a space
    or tab continues the line before it (RFC 3261 7.3.1); the body is left
    as it is."""
    m = re.search(rb"\r\n\r\n|\n\n|\r\r", data)
    if not m:
        return FOLD_RE.sub(b" ", data)
    return FOLD_RE.sub(b" ", data[:m.start()]) + data[m.start():]


def callids(data):
    return [v for v in (x.strip(b" \t") for x in CALLID_RE.findall(unfold(data))) if v]


def idents(data):
    """What the proxy keeps of a message in what it sends on (tm's ACK and
    CANCEL included): its Call-IDs and From tags."""
    return [b"i:" + v for v in callids(data)] + [b"f:" + v for v in FROMTAG_RE.findall(unfold(data))]


def loopback_only(data):
    """No address but loopback in data: every dotted IPv4 (of 3 or 4 parts,
    as inet_aton reads them) starts with 127, every bracketed IPv6 is ::1
    (or ::ffff:127...)."""
    for m in QUAD_RE.finditer(data):
        if m.group(1) != b"127":
            # "SIP/2.0"-like versions have 2 parts and do not match
            return False
    for m in V6_RE.finditer(data):
        h = m.group(1).lower()
        if h and h != b"::1" and not h.startswith(b"::ffff:127."):
            return False
    return True


HOST_CTX_RE = re.compile(rb"(?i)(?:sips?:|SIP[ \t]*/[ \t]*2\.0[ \t]*/[ \t]*[A-Z]+[ \t\r\n]+|"
                         rb"maddr=|received=)([^;>?,\s\"<]*)")
HOST_OK_RE = re.compile(rb"127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|\[::1\]|localhost|", re.I)


def hosts_loopback_only(data):
    """Without a namespace of its own, stricter: every host of a SIP URI,
    Via, maddr or received is a loopback address as it is written, never a
    name that kamailio would ask the resolver for."""
    for m in HOST_CTX_RE.finditer(data):
        tok = m.group(1)
        tok = tok[tok.rfind(b"@") + 1:]
        host = tok[:tok.find(b"]") + 1] if tok.startswith(b"[") else tok.split(b":", 1)[0]
        if not HOST_OK_RE.fullmatch(host):
            return False
    return True


# what kamailio skips before a message's first line
LEADING = b"\r\n \t\x00"


def first_line(data):
    return LINE_SPLIT.split(data.lstrip(LEADING), 1)[0]


def is_response(data):
    return data.lstrip(LEADING)[:4].upper() == b"SIP/"


def show(data, limit=1500):
    """A message for the terminal: printable, CRLF shown."""
    text = data[:limit].decode("latin-1")
    out = []
    for ch in text:
        if ch == "\n":
            out.append("\\n\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t" or " " <= ch <= "~":
            out.append(ch)
        else:
            out.append("\\x%02x" % ord(ch))
    if len(data) > limit:
        out.append("... (%d bytes)" % len(data))
    return "".join(out)


def md5(s):
    return hashlib.md5(s.encode("latin-1")).hexdigest()


# ---------------------------------------------------------------------------
# Seeds: well-formed messages
# ---------------------------------------------------------------------------

def sdp(ip, mark):
    return ("v=0\r\no=- 1 1 IN IP4 %s\r\ns=%s\r\nc=IN IP4 %s\r\nt=0 0\r\n"
            "m=audio 40000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\n"
            % (ip, mark, ip)).encode()


def sip_request(method, ruri, src, mark, to_uri, from_uri, *, to_tag=None,
                routes=(), extra=(), body=b"", ctype="application/sdp",
                cseq=1, callid=None, branch=None, ftag=None, contact=True):
    user = from_uri.split(":", 1)[-1].split("@", 1)[0] or "anonymous"
    h = ["%s %s SIP/2.0" % (method, ruri),
         "Via: SIP/2.0/UDP %s:%d;branch=%s;rport"
         % (src[0], src[1], branch or "z9hG4bK" + mark),
         "Max-Forwards: 70",
         "From: <%s>;tag=%s" % (from_uri, ftag or mark + "f"),
         "To: <%s>%s" % (to_uri, ";tag=" + to_tag if to_tag else ""),
         "Call-ID: %s" % (callid or "%s@%s" % (mark, src[0])),
         "CSeq: %d %s" % (cseq, method)]
    if contact:
        h.append("Contact: <sip:%s@%s:%d>" % (user, src[0], src[1]))
    h += ["Route: %s" % r for r in routes]
    h += list(extra)
    h.append("X-Fz: %s" % mark)
    if body:
        h.append("Content-Type: %s" % ctype)
    h.append("Content-Length: %d" % len(body))
    return ("\r\n".join(h) + "\r\n\r\n").encode("utf-8", "surrogateescape") + body


def sip_response(code, reason, vias, mark, *, method="INVITE", cseq=1,
                 from_uri="sip:913125551234@127.0.0.3", to_uri="sip:fz100@127.0.0.1",
                 callid=None, extra=(), body=b""):
    h = ["SIP/2.0 %d %s" % (code, reason)]
    h += ["Via: %s" % v for v in vias]
    h += ["From: <%s>;tag=%sf" % (from_uri, mark),
          "To: <%s>;tag=%st" % (to_uri, mark),
          "Call-ID: %s" % (callid or mark + "@127.0.0.9"),
          "CSeq: %d %s" % (cseq, method)]
    h += list(extra)
    h.append("X-Fz: %s" % mark)
    if body:
        h.append("Content-Type: application/sdp")
    h.append("Content-Length: %d" % len(body))
    return ("\r\n".join(h) + "\r\n\r\n").encode() + body


def http_request(method, path, body=b"", version="HTTP/1.1", extra=()):
    h = ["%s %s %s" % (method, path, version), "Host: %s:%d" % PROXY]
    h += list(extra)
    if body or method == "POST":
        h += ["Content-Type: application/json", "Content-Length: %d" % len(body)]
    return ("\r\n".join(h) + "\r\n\r\n").encode() + body


# The admin commands that must never run from a datagram, each with what
# would show it ran (see Fuzzer.check_state).
RPC_CANARIES = [
    ("core.kill", []),
    ("phones.reload", []),
    ("phones.reload", ["force"]),
    ("htable.seti", ["phones_last", "fzcanary", 1]),
    ("ul.add", ["location", "fzcanary", "sip:fzcanary@127.0.0.9:5060", 600,
                1.0, ".", 0, 0, 4294967295]),
    ("stats.reset_statistics", ["phones:"]),
    ("stats.reset_statistics", ["all"]),
    ("phones.add", ["source=rpc", "user=6666", "pass=1234",
                    "extension=fzcanary", "dialplan_number=9999",
                    "voicemail_id=9999", "phone_login=fzcanary", "phone_pass=x",
                    "server_ip=127.0.0.2", "protocol=SIP",
                    "registration_password=fzcanary", "phone_full_name=canary",
                    "local_gmt=-5.00", "outbound_cid=3125550100"]),
    ("phones.delete", ["source=rpc", "user=6666", "pass=1234",
                       "extension=fz100", "server_ip=127.0.0.2"]),
    ("phones.unlock", ["all"]),
    ("dlg.end_dlg", [1, 1]),
]
API_QUERY = ("source=fz&user=6666&pass=1234&function=add_phone&extension=fzcanary2"
             "&dialplan_number=9998&voicemail_id=9998&phone_login=fzcanary2"
             "&phone_pass=x&server_ip=127.0.0.2&protocol=SIP"
             "&registration_password=fzcanary2&phone_full_name=canary"
             "&local_gmt=-5.00&outbound_cid=3125550100")

# Request-URI users: what the module decides on (see the seed data)
TARGETS = ["fx200", "913125550200", "913125551234", "955512345", "fx201",
           "fz100", "7100", "fz300", "8600051", "3125550000", "nobody",
           "12345", "+13125551234", "fz100;user=phone", "6666"]
HOSTS = ["127.0.0.1:26060", "127.0.0.1", "127.0.0.3:26063", "127.0.0.2:26062",
         "localhost", "127.0.0.1:26060;transport=udp"]

HEADER_DICT = [
    "Route: <sip:127.0.0.3:26063;lr>",
    "Route: <sip:127.0.0.1:26060;lr;did={did}>",
    "Route: <sip:127.0.0.1:26060;lr>, <sip:127.0.0.3:26063;lr>",
    "Route: <sip:127.0.0.3:26063>",
    "Route: <sip:127.0.0.2:26062;lr>",
    "Record-Route: <sip:127.0.0.3:26063;lr>",
    "Max-Forwards: 0", "Max-Forwards: -1", "Max-Forwards: 4294967296",
    "Max-Forwards: abc",
    "Content-Length: -1", "Content-Length: 4294967296", "Content-Length: 99999",
    "Content-Length: 0", "l: 5", "Content-Length:  12 ",
    "Expires: 4294967296", "Expires: -1", "Expires: 0",
    "Contact: *", "Contact: <sip:fz100@127.0.0.3:26063>;expires=3600",
    "Contact: <sip:fz100@127.0.0.1:26060>", "m: <sip:x@127.0.0.3:26063>;q=2",
    'Authorization: Digest username="fz100", realm="127.0.0.1", nonce="{nonce}", '
    'uri="sip:127.0.0.1:26060", response="{resp}", qop=auth, nc=00000001, '
    'cnonce="fz", algorithm=MD5',
    'Proxy-Authorization: Digest username="fz100", realm="127.0.0.1", '
    'nonce="{nonce}", uri="sip:fx200@127.0.0.1:26060", response="{resp}", '
    'qop=auth, nc=00000002, cnonce="fz"',
    'Proxy-Authorization: Digest username="fx200", realm="127.0.0.1", '
    'nonce="{nonce}", uri="sip:fx200@127.0.0.1:26060", response="{resp}"',
    'Proxy-Authorization: Digest username="fz300", realm="127.0.0.1", '
    'nonce="{nonce}", uri="sip:fx200@127.0.0.1:26060", response="{resp}"',
    'Proxy-Authorization: Digest username="", realm="", nonce="", uri="", response=""',
    'Proxy-Authorization: Digest username="fz100"',
    "Proxy-Authorization: Basic Zno6cHc=",
    "Via: SIP/2.0/UDP 127.0.0.3:26063;branch=z9hG4bK{m}v;received=127.0.0.3;rport=26063",
    "Via: SIP/2.0/TCP 127.0.0.3:26063;branch=z9hG4bK{m}t",
    "Via: SIP/2.0/UDP 127.0.0.2:26062;branch=z9hG4bK{m}s;rport",
    "v: SIP/2.0/UDP 127.0.0.3:26063;maddr=127.0.0.3;branch=z9hG4bK{m}m",
    "Via: SIP/2.0/UDP 127.0.0.1:26060;branch=z9hG4bK{m}p",
    "To: <sip:913125551234@127.0.0.3:26063>;tag={m}t",
    "From: <sip:fz100@127.0.0.1>;tag={m}f", "f: <sip:fz100@127.0.0.1>",
    "t: <sip:fx200@127.0.0.1>", "i: {m}i@127.0.0.4",
    "Event: check-sync", "Event: presence", "o: check-sync;reboot=true",
    "Subscription-State: active;expires=60",
    "Content-Type: application/sdp", "Content-Type: multipart/mixed;boundary=x",
    "c: text/plain",
    "User-Agent: friendly-scanner", "User-Agent: sipvicious", "User-Agent: fz",
    "P-Asserted-Identity: <sip:3125550100@127.0.0.1>",
    "Remote-Party-ID: <sip:fz100@127.0.0.1>;party=calling",
    "Require: 100rel", "Proxy-Require: foo", "Supported: timer, 100rel",
    "Session-Expires: 1", "Min-SE: 0",
    "Refer-To: <sip:913125551234@127.0.0.3:26063>",
    "Replaces: {m}@127.0.0.2;to-tag=x;from-tag=y",
    "Diversion: <sip:913125551234@127.0.0.3>",
    "NoColonHeader", ": empty name", "X-Empty:", "X-Tab:\t\t",
    "Call-ID: {m}dup@127.0.0.4", "CSeq: 4294967296 INVITE", "CSeq: 1 BYE",
    "CSeq: -1 INVITE", "CSeq: 1",
    "Privacy: id", "Allow: INVITE", "Path: <sip:127.0.0.3:26063;lr>",
    "Alert-Info: <http://127.0.0.1:26090/RPC>",
    "Call-Info: <sip:127.0.0.3:26063>;purpose=icon",
    "Accept: application/json", "Host: 127.0.0.1:26090",
]

ODD_URIS = [
    "sip:", "sip:@", "sip:@127.0.0.1", "sips:fx200@127.0.0.1:26060",
    "tel:+13125551234", "tel:913125551234;phone-context=127.0.0.1",
    "sip:913125551234@127.0.0.3:26063", "sip:913125551234@127.0.0.3:26063;lr",
    "sip:fx200@127.0.0.1:26060;maddr=127.0.0.3",
    "sip:fx200@127.0.0.1:26060;transport=tcp",
    "sip:fx200@127.0.0.1:26060;transport=tls",
    "sip:fx200@127.0.0.1:26060;transport=sctp", "sip:fx200@[::1]:26060",
    "sip:fx200@localhost:26060", "sip:fx200@127.0.0.1:0",
    "sip:fx200@127.0.0.1:65536", "sip:fx200@127.0.0.1:99999999999",
    "sip:fx200@127.0.0.1:26060?Route=%3Csip:127.0.0.3:26063%3E",
    "sip:%66x200@127.0.0.1:26060", "sip:9%3113125551234@127.0.0.1",
    "sip:fx200;user=phone@127.0.0.1", "sip:fx200:secret@127.0.0.1:26060",
    "sip:fx200@127.0.0.1;;;;", "sip:fx200@127.0.0.1:26060;lr;lr;lr",
    "sip:" + "9" * 300 + "@127.0.0.1", "sip:fx200@" + "a" * 300,
    "<sip:fx200@127.0.0.1>", "sip:fx200@127.0.0.1:26060 SIP/2.0 extra",
    "sip:fx200\x00@127.0.0.1", "sip:fx200@127.0.0.1\x00.3",
    "sip:f\u00e9\u202e@127.0.0.1", "http://127.0.0.1:26090/RPC", "*",
    "sip:*@127.0.0.1", "sip:913125550200@127.0.0.1", "SIP:FX200@127.0.0.1:26060",
    "sip:+913125551234@127.0.0.1", "sip:fx200@127.0.0.3:26063;did=1.1",
    "sip:fz100@127.0.0.1:26060", "sip:7100@127.0.0.1", "sip:8600051@127.0.0.1",
    "sip:fx200@127.0.0.1:26060;phones=ds_set", "sip:ds:1@127.0.0.1",
    "sip:fx200@127.0.0.1.", "sip:fx200@127.1", "sip:fx200@0x7f000001",
    "sip:fx200@2130706433",
]
UTF8_JUNK = ["\u00e9".encode(), "\U0001d11e".encode(), "\u202e".encode(),
             b"\xef\xbb\xbf", "\ufffd".encode(), b"\xc0\xaf", b"\xed\xa0\x80",
             b"\xf8\x88\x80\x80\x80", b"\x80", b"\xff\xfe", b"\xe2\x82",
             "\u0000".encode(), "\u2028".encode()]
INTERESTING_BYTES = b"\x00\xff\x7f\r\n\t %\"<>;:@,\\=?&#[]"


def split_msg(data):
    """(header lines, line separator, body)."""
    for sep in (b"\r\n", b"\n", b"\r"):
        if sep in data:
            break
    else:
        return [data], b"\r\n", None
    end = data.find(sep + sep)
    if end < 0:
        return data.split(sep), sep, None
    return data[:end].split(sep), sep, data[end + 2 * len(sep):]


def join_msg(lines, sep, body):
    if body is None:
        return sep.join(lines)
    return sep.join(lines) + sep + sep + body


class Mutator:
    """Mutations of one message, each drawing on the message's own RNG."""

    def __init__(self, rng, mark, nonce, did):
        self.r = rng
        self.mark = mark
        self.nonce = nonce or "MTIzNDU2Nzg5MGFiY2RlZg"
        self.did = did or "%x.%x" % (rng.randrange(4096), rng.randrange(1 << 16))
        self.ops = [
            (self.del_header, 6), (self.dup_header, 5), (self.swap_headers, 4),
            (self.add_header, 10), (self.huge_value, 3), (self.content_length, 5),
            (self.odd_ruri, 6), (self.odd_header_uri, 4), (self.method_swap, 3),
            (self.version, 2), (self.crlf_games, 5), (self.bitflip, 5),
            (self.insert_bytes, 4), (self.delete_range, 3), (self.truncate, 3),
            (self.utf8, 3), (self.nul, 2), (self.repeat_chunk, 2),
            (self.header_case, 3), (self.params, 4), (self.body, 3),
            (self.fold, 2),
        ]
        self.weights = [w for _, w in self.ops]

    def mutate(self, data, n):
        names = []
        for _ in range(n):
            op = self.r.choices(self.ops, self.weights)[0][0]
            data = op(data)
            names.append(op.__name__)
        return data, names

    def render(self, text):
        resp = "".join(self.r.choice("0123456789abcdef") for _ in range(32))
        return (text.replace("{m}", self.mark).replace("{nonce}", self.nonce)
                .replace("{did}", self.did).replace("{resp}", resp)).encode()

    def _hidx(self, lines, first=1):
        return self.r.randrange(first, len(lines)) if len(lines) > first else None

    def del_header(self, d):
        lines, sep, body = split_msg(d)
        i = self._hidx(lines)
        if i is not None:
            del lines[i]
        return join_msg(lines, sep, body)

    def dup_header(self, d):
        lines, sep, body = split_msg(d)
        i = self._hidx(lines)
        if i is not None:
            j = self.r.randrange(1, len(lines) + 1)
            lines.insert(j, lines[i])
        return join_msg(lines, sep, body)

    def swap_headers(self, d):
        lines, sep, body = split_msg(d)
        if len(lines) > 2:
            if self.r.random() < 0.3:
                rest = lines[1:]
                self.r.shuffle(rest)
                lines[1:] = rest
            else:
                i, j = self._hidx(lines, 0), self._hidx(lines, 0)
                lines[i], lines[j] = lines[j], lines[i]
        return join_msg(lines, sep, body)

    def add_header(self, d):
        lines, sep, body = split_msg(d)
        h = self.render(self.r.choice(HEADER_DICT))
        lines.insert(self.r.randrange(1, len(lines) + 1), h)
        return join_msg(lines, sep, body)

    def huge_value(self, d):
        lines, sep, body = split_msg(d)
        n = self.r.choice([256, 1024, 4096, 16000, 60000])
        filler = self.r.choice([b"A", b"9", b";", b",", b"<", b"%00", b"\x00",
                                b";lr", b",<sip:127.0.0.3:26063;lr>", b" "])
        blob = (filler * (n // len(filler) + 1))[:n]
        i = self._hidx(lines, 0)
        if i is None or self.r.random() < 0.3:
            lines.insert(1, b"X-Huge: " + blob)
        else:
            lines[i] = lines[i] + blob
        return join_msg(lines, sep, body)

    def content_length(self, d):
        lines, sep, body = split_msg(d)
        blen = len(body or b"")
        v = self.r.choice([b"-1", b"0", b"%d" % (blen + 1), b"%d" % max(blen - 1, 0),
                           b"4294967296", b"99999999999999999999", b"abc", b"",
                           b"0x10", b" 5", b"5 5", b"65535", b"%d" % (blen * 2 + 100)])
        lines = [ln for ln in lines
                 if not re.match(rb"(?i)(content-length|l)[ \t]*:", ln)]
        lines.append(b"Content-Length: " + v)
        if self.r.random() < 0.2:
            lines.append(b"l: %d" % blen)
        return join_msg(lines, sep, body)

    def odd_ruri(self, d):
        lines, sep, body = split_msg(d)
        parts = lines[0].split(b" ")
        uri = self.render(self.r.choice(ODD_URIS))
        if len(parts) >= 3 and not lines[0].startswith(b"SIP/"):
            parts[1] = uri
            lines[0] = b" ".join(parts)
        else:
            lines[0] = b"INVITE " + uri + b" SIP/2.0"
        return join_msg(lines, sep, body)

    def odd_header_uri(self, d):
        lines, sep, body = split_msg(d)
        cands = [i for i, ln in enumerate(lines) if i and re.match(
            rb"(?i)(from|to|contact|route|record-route|f|t|m|p-asserted-identity)[ \t]*:",
            ln)]
        if cands:
            i = self.r.choice(cands)
            name = lines[i].split(b":", 1)[0]
            uri = self.render(self.r.choice(ODD_URIS))
            tag = b";tag=" + self.mark.encode() if self.r.random() < 0.5 else b""
            lines[i] = name + b": <" + uri + b">" + tag
        return join_msg(lines, sep, body)

    def method_swap(self, d):
        lines, sep, body = split_msg(d)
        m = self.r.choice([b"INVITE", b"ACK", b"BYE", b"CANCEL", b"OPTIONS",
                           b"REGISTER", b"NOTIFY", b"MESSAGE", b"SUBSCRIBE", b"INFO",
                           b"PRACK", b"UPDATE", b"REFER", b"PUBLISH", b"invite",
                           b"INVIT", b"INVITEX", b"FOO", b"I" * 300, b""])
        parts = lines[0].split(b" ", 1)
        if len(parts) == 2 and not lines[0].startswith(b"SIP/"):
            lines[0] = m + b" " + parts[1]
        if self.r.random() < 0.5:
            for i, ln in enumerate(lines):
                if re.match(rb"(?i)cseq[ \t]*:", ln):
                    head = ln.rstrip(b" \t")
                    lines[i] = head.rstrip(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") + m
        return join_msg(lines, sep, body)

    def version(self, d):
        lines, sep, body = split_msg(d)
        v = self.r.choice([b"SIP/2.1", b"SIP/1.0", b"sip/2.0", b"SIP/2.0 ", b"SIP/20",
                           b"HTTP/1.1", b"SIP/2.0\x00", b"SIP /2.0", b""])
        lines[0] = re.sub(rb"SIP/2\.0", v, lines[0], count=1)
        return join_msg(lines, sep, body)

    def crlf_games(self, d):
        k = self.r.randrange(8)
        if k == 0:
            return d.replace(b"\r\n", b"\n")
        if k == 1:
            return d.replace(b"\r\n", b"\r")
        if k == 2:  # an empty line among the headers: ends them early
            lines, sep, body = split_msg(d)
            i = self.r.randrange(1, len(lines) + 1)
            lines.insert(i, b"")
            return join_msg(lines, sep, body)
        if k == 3:  # no empty line after the headers
            return d.replace(b"\r\n\r\n", b"\r\n", 1)
        if k == 4:
            return b"\r\n" * self.r.randrange(1, 5) + d
        if k == 5:
            return d + b"\r\n" * self.r.randrange(1, 200)
        if k == 6:  # mixed line ends
            lines, sep, body = split_msg(d)
            return b"".join(ln + self.r.choice([b"\r\n", b"\n", b"\r", b"\n\r"])
                            for ln in lines) + b"\r\n" + (body or b"")
        return d.replace(b"\r\n", b"\r\r\n", self.r.randrange(1, 4))

    def bitflip(self, d):
        if not d:
            return d
        b = bytearray(d)
        for _ in range(self.r.randrange(1, 9)):
            i = self.r.randrange(len(b))
            b[i] ^= 1 << self.r.randrange(8)
        return bytes(b)

    def insert_bytes(self, d):
        i = self.r.randrange(len(d) + 1)
        if self.r.random() < 0.5:
            ins = bytes(self.r.choice(INTERESTING_BYTES)
                        for _ in range(self.r.randrange(1, 5)))
        else:
            ins = bytes(self.r.randrange(256) for _ in range(self.r.randrange(1, 17)))
        return d[:i] + ins + d[i:]

    def delete_range(self, d):
        if len(d) < 2:
            return d
        i = self.r.randrange(len(d))
        return d[:i] + d[i + self.r.randrange(1, 64):]

    def truncate(self, d):
        return d[:self.r.randrange(len(d) + 1)]

    def utf8(self, d):
        i = self.r.randrange(len(d) + 1)
        junk = b"".join(self.r.choice(UTF8_JUNK) for _ in range(self.r.randrange(1, 6)))
        return d[:i] + junk + d[i:]

    def nul(self, d):
        lines, sep, body = split_msg(d)
        i = self.r.randrange(len(lines))
        ln = lines[i]
        j = self.r.randrange(len(ln) + 1)
        lines[i] = ln[:j] + b"\x00" * self.r.choice([1, 1, 2, 100]) + ln[j:]
        return join_msg(lines, sep, body)

    def repeat_chunk(self, d):
        if not d:
            return d
        i = self.r.randrange(len(d))
        chunk = d[i:i + self.r.randrange(1, 80)]
        return d[:i] + chunk * self.r.randrange(2, 50) + d[i:]

    def header_case(self, d):
        lines, sep, body = split_msg(d)
        compact = {b"via": b"v", b"from": b"f", b"to": b"t", b"call-id": b"i",
                   b"contact": b"m", b"content-length": b"l",
                   b"content-type": b"c", b"event": b"o", b"supported": b"k"}
        i = self._hidx(lines)
        if i is not None and b":" in lines[i]:
            name, val = lines[i].split(b":", 1)
            k = self.r.randrange(4)
            if k == 0:
                name = compact.get(name.strip().lower(), name.swapcase())
            elif k == 1:
                name = name.swapcase()
            elif k == 2:
                name = name + self.r.choice([b" ", b"\t", b"  \t "])
            else:
                val = self.r.choice([b"", b" ", b"\t"]) + val + self.r.choice([b" ", b"\t", b""])
            lines[i] = name + b":" + val
        return join_msg(lines, sep, body)

    def params(self, d):
        lines, sep, body = split_msg(d)
        p = self.render(self.r.choice([
            ";received=127.0.0.3", ";rport=26063", ";rport", ";maddr=127.0.0.3",
            ";lr", ";transport=tcp", ";did={did}", ";branch=", ";branch=z9hG4bK{m}x",
            ";tag=", ";tag={m}y", ";expires=0", ";ttl=0", ";" + "p" * 500,
            ";a;b;c;d;e;f;g;h;i;j;k;l;m;n;o;p" * 20, ";=", ";;", ";x=\"\\\"\"",
            ";alias=127.0.0.3~26063~1", ";ob", ";user=phone", ";method=INVITE"]))
        i = self.r.randrange(len(lines))
        if i == 0 and not lines[0].startswith(b"SIP/"):
            parts = lines[0].split(b" ")
            if len(parts) >= 3:
                parts[1] = parts[1] + p
                lines[0] = b" ".join(parts)
        else:
            lines[i] = lines[i] + p
        return join_msg(lines, sep, body)

    def body(self, d):
        lines, sep, body = split_msg(d)
        nb = self.r.choice([
            sdp("127.0.0.1", self.mark),
            sdp("127.0.0.1", self.mark).replace(b"\r\n", b"\n"),
            b"v=0\r\nc=IN IP4 127.0.0.3\r\nm=audio 0 RTP/AVP\r\n" * 50,
            b"--x\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n--x--\r\n",
            self.mark.encode() + b"\x00" * 100,
            bytes(self.r.randrange(256) for _ in range(self.r.randrange(1, 300))),
            b'{"jsonrpc":"2.0","method":"core.kill","id":1}',
            b"",
        ])
        return join_msg(lines, sep, nb)

    def fold(self, d):
        lines, sep, body = split_msg(d)
        i = self._hidx(lines)
        if i is not None and b" " in lines[i]:
            j = lines[i].index(b" ")
            lines[i] = lines[i][:j] + sep + self.r.choice([b" ", b"\t", b"   "]) + lines[i][j + 1:]
        return join_msg(lines, sep, body)


# ---------------------------------------------------------------------------
# The fuzzer
# ---------------------------------------------------------------------------

class Failure(Exception):
    pass


Sent = collections.namedtuple("Sent", "idx cls kind src proto data t")


class Fuzzer:
    def __init__(self, args):
        self.a = args
        self.top = args.top
        self.out = args.out
        self.artifacts = os.path.join(os.path.dirname(self.out.rstrip("/")), "artifacts")
        os.makedirs(self.out, exist_ok=True)
        self.logf = open(os.path.join(os.path.dirname(self.out.rstrip("/")),
                                      NAME + ".log"), "w")
        self.kam = None
        self.tmp = None
        self.sel = selectors.DefaultSelector()
        self.socks = {}  # (ip, port) -> socket
        self.tcp = []  # [sock, deadline, payload-left, Sent]
        self.sent = {}  # idx -> Sent, the recent ones
        self.sent_order = collections.deque()
        self.by_ident = {}  # idents() of what was sent, stand-ins' To-tags -> set of idx
        self.recent = collections.deque(maxlen=200)  # for crash reproducers
        self.count = 0
        self.kinds = collections.Counter()
        self.standin_got = collections.Counter()
        self.trusted_to_trunk = collections.Counter()
        self.known_seen = {}  # known issue -> its first (Sent, where, datagram)
        self.log_notes = collections.Counter()  # CRITICAL/BUG lines of kamailio's log
        self.pending = collections.OrderedDict()  # a phone's Call-ID -> request
        self.tags_of = {}  # idx -> the To-tags the stand-ins answered it with
        self.odd_logged = 0
        self.known = collections.Counter()  # known issues seen
        self.stranger_nonce = None
        self.dialogs = collections.deque(maxlen=32)  # the server's, from 200s
        self.phone_dialogs = collections.deque(maxlen=32)  # fz100's own calls
        self.phone_invites = collections.OrderedDict()  # Call-ID -> fz100's INVITE
        self.phone_calls = set()  # (stand-in, Call-ID): a call fz100 may make there
        self.phone_checked = collections.Counter()
        self.dids = collections.deque(maxlen=32)
        self.server_invites = collections.OrderedDict()
        self.rsp_rng = random.Random("%s:responder" % args.seed)
        self.followup = 0x80000000  # indices of messages outside the stream
        self.baseline = None
        self.uptime0 = None
        self.failure = None
        self.isolated = False

    def safe(self, data):
        return loopback_only(data) and (self.isolated or hosts_loopback_only(data))

    # --- logging ---
    def log(self, *a):
        print(*a, file=self.logf, flush=True)

    # --- set-up ---
    def isolation(self):
        names = [n for _, n in socket.if_nameindex()]
        self.isolated = names == ["lo"]
        if self.isolated:
            self.lo_up()
            return "a network namespace of its own (loopback only)"
        return "the host's network (no namespace: sip_cfg_fuzz.sh makes one when it can)"

    @staticmethod
    def lo_up():
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            ifr = struct.pack("16sH", b"lo", 0)
            flags = struct.unpack("16sH", fcntl.ioctl(s, 0x8913, ifr)[:18])[1]
            if not flags & 1:
                fcntl.ioctl(s, 0x8914, struct.pack("16sH", b"lo", flags | 1 | 0x40))
        finally:
            s.close()

    def make_db(self, path):
        sql = ""
        for f in ("phones-sqlite.sql", "phone-routes-sqlite.sql", "vicidial-sqlite.sql",
                  "location-sqlite.sql"):
            with open(os.path.join(self.top, "db", f)) as fh:
                sql += fh.read() + "\n"
        sql += r"""
INSERT INTO phones (extension, dialplan_number, voicemail_id, server_ip, login,
  pass, status, active, protocol, fullname, outbound_cid, conf_secret) VALUES
  ('fz100', '7100', '7100', '127.0.0.2', 'l100', 'x', 'ACTIVE', 'Y', 'SIP',
   'SIP phone', '3125550100', 'pw-fz100'),
  ('fx200', '913125550200', '7200', '127.0.0.2', 'l200', 'x', 'ACTIVE', 'Y',
   'EXTERNAL', 'External number', '3125550200', 'pw-fx200'),
  ('fx201', '955512345', '7201', '127.0.0.2', 'l201', 'x', 'ACTIVE', 'Y',
   'EXTERNAL', 'Via dispatcher set 1', '3125550201', 'pw-fx201'),
  ('fz300', '7300', '7300', '127.0.0.2', 'l300', 'x', 'SUSPENDED', 'N', 'SIP',
   'Inactive phone', '3125550300', 'pw-fz300');
INSERT INTO servers (server_id, server_ip, active, rebuild_conf_files) VALUES
  ('fz1', '127.0.0.2', 'Y', 'N'), ('fz9', '127.0.0.9', 'N', 'N');
INSERT INTO phone_routes (id, priority, match_exp, repl_exp, trunk, description)
VALUES
  (1, 10, '^9(1[2-9][0-9]{9})$', '\1', 'sip:127.0.0.3:26063', 'the trunk'),
  (2, 20, '^9(5[0-9]+)$', '\1', 'ds:1', 'dispatcher set 1');
INSERT INTO vicidial_users (user, pass, user_level, active, ast_admin_access,
  ast_delete_phones, vdc_agent_api_access)
VALUES ('6666', '1234', 9, 'Y', '1', '1', '1');
"""
        db = sqlite3.connect(path)
        db.executescript(sql)
        db.commit()
        db.close()

    def start_kamailio(self):
        self.tmp = tempfile.mkdtemp(prefix=NAME + ".")
        db = os.path.join(self.tmp, "phones.sqlite")
        self.db = db
        self.make_db(db)
        addr = os.path.join(self.tmp, "address.list")
        open(addr, "w").close()  # trusts nobody: who is who comes from the tables
        ds = os.path.join(self.tmp, "dispatcher.list")
        with open(ds, "w") as f:
            f.write("1 sip:%s:%d 0 10\n" % TRUNK_DS)
        self.ctl = "unix:" + os.path.join(self.tmp, "ctl")
        try:
            arch = subprocess.run(["dpkg-architecture", "-qDEB_HOST_MULTIARCH"],
                                  capture_output=True, text=True).stdout.strip()
        except OSError:
            arch = ""
        mods = "/usr/lib/%s/kamailio/modules" % (arch or "x86_64-linux-gnu")
        cmd = ["kamailio", "-DD", "-E", "-m", "256", "-f", self.a.cfg,
               "-L", "%s:%s" % (os.path.join(self.top, "modules/phones"), mods),
               "-A", "LISTEN=udp:%s:%d" % PROXY,
               "-A", 'CTL_SOCKET="%s"' % self.ctl, "-A", "CHILDREN=4",
               "-A", 'DS_LIST="%s"' % ds, "-A", "RELOAD_INTERVAL=0",
               "-A", "HTTP_LISTEN=tcp:%s:%d" % HTTP,
               "-A", 'ADDRESS_LIST="%s"' % addr,
               "-A", "LOCKOUT_FAILURES=100000", "-A", "SERVER_PORT=%d" % SERVER[1],
               "-A", "SERVER_TIMEOUT=1000", "-A", "TRUNK_TIMEOUT=1000",
               "-A", "SERVER_PROBE_INTERVAL=1",
               "-A", 'PHONES_DB_URL="sqlite://%s"' % db]
        self.log("kamailio:", " ".join(cmd))
        self.kam_log = os.path.join(self.out, "kamailio.log")
        libc = ctypes.CDLL(None, use_errno=True)

        def child():
            os.setpgid(0, 0)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG: not left behind

        self.kam = subprocess.Popen(cmd, stdout=open(self.kam_log, "wb"),
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    preexec_fn=child, cwd=self.tmp)
        for _ in range(150):
            if self.kam.poll() is not None:
                raise Failure("kamailio did not start (exit %s), log %s"
                              % (self.kam.returncode, self.kam_log))
            if self.uptime():
                return
            time.sleep(0.1)
        raise Failure("kamailio does not answer on %s, log %s" % (self.ctl, self.kam_log))

    def stop_kamailio(self):
        if self.kam is not None and self.kam.poll() is None:
            try:
                os.killpg(self.kam.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.kam.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.kam.pid, signal.SIGKILL)
                self.kam.wait()
        # its children, in its process group
        if self.kam is not None:
            for _ in range(50):
                try:
                    os.killpg(self.kam.pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
            else:
                try:
                    os.killpg(self.kam.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.kam = None
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def open_sockets(self):
        roles = [(SERVER, "server"), (TRUNK, "trunk"), (TRUNK_DS, "trunk"),
                 (PROBE, "probe"), (STRANGER_AT_SERVER, "stranger")]
        roles += [(a, "phone") for a in PHONES]
        roles += [(a, "stranger") for a in STRANGERS_NAMED + STRANGER_POOL]
        roles += [(ELSEWHERE, "elsewhere")]
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        t.bind(ELSEWHERE_TCP)
        t.listen(16)
        t.setblocking(False)
        self.socks[ELSEWHERE_TCP] = t
        self.sel.register(t, selectors.EVENT_READ, (ELSEWHERE_TCP, "elsewhere-tcp"))
        for addr, role in roles:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(addr)
            s.setblocking(False)
            self.socks[addr] = s
            if role != "probe":  # read by check_alive() only
                self.sel.register(s, selectors.EVENT_READ, (addr, role))

    def close_sockets(self):
        for t in self.tcp:
            t[0].close()
        self.tcp = []
        for s in self.socks.values():
            s.close()
        self.socks = {}

    # --- kamcmd ---
    def kamcmd(self, *args):
        try:
            r = subprocess.run(["kamcmd", "-s", self.ctl] + [str(a) for a in args],
                               capture_output=True, text=True, errors="replace", timeout=10)
        except subprocess.TimeoutExpired:
            return None
        return r.stdout + r.stderr if r.returncode == 0 else None

    def uptime(self):
        out = self.kamcmd("core.uptime")
        if out is None or "up_since" not in out:
            return None
        since = re.search(r"up_since: (.*)", out).group(1)
        return since

    def stats(self):
        out = self.kamcmd("stats.get_statistics", "phones:") or ""
        return {m.group(1): int(m.group(2))
                for m in re.finditer(r"^phones:(\w+) = (-?\d+)", out, re.M)}

    # --- sending ---
    def send(self, cls, kind, src, data, proto="udp", idx=None):
        if idx is None:
            idx = self.count
        s = Sent(idx, cls, kind, src, proto, data, time.monotonic())
        self.sent[idx] = s
        self.sent_order.append(idx)
        for v in idents(data):
            self.by_ident.setdefault(v, set()).add(idx)
        self.recent.append(s)
        if proto == "tcp":
            self.send_tcp(s)
        else:
            try:
                self.socks[src].sendto(data, PROXY)
            except OSError as e:  # too long, or the buffer is full
                self.log("send #%d: %s" % (idx, e))
        return s

    def send_tcp(self, s):
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t.setblocking(False)
        try:
            t.bind((s.src[0], 0))
            t.connect_ex(HTTP)
        except OSError as e:
            self.log("tcp #%d: %s" % (s.idx, e))
            t.close()
            return
        self.tcp.append([t, time.monotonic() + 1.0, s.data, s, b""])

    def service_tcp(self):
        keep = []
        now = time.monotonic()
        for ent in self.tcp:
            t, deadline, left, s, got = ent
            done = now > deadline
            try:
                if left:
                    n = t.send(left)
                    ent[2] = left[n:]
                else:
                    chunk = t.recv(65536)
                    if chunk:
                        ent[4] = got + chunk
                    else:
                        done = True
            except (BlockingIOError, InterruptedError):
                pass
            except OSError:
                done = True
            if done:
                t.close()
                if b"SIP/2.0" in ent[4]:
                    self.fail("sip-on-http", s, ent[4], "tcp %s:%d" % HTTP,
                              "SIP was answered on the HTTP socket (tcp)")
            else:
                keep.append(ent)
        self.tcp = keep

    def prune(self):
        old = time.monotonic() - 30
        while self.sent_order and self.sent[self.sent_order[0]].t < old:
            idx = self.sent_order.popleft()
            s = self.sent.pop(idx)
            for v in idents(s.data) + list(self.tags_of.pop(idx, ())):
                ids = self.by_ident.get(v)
                if ids:
                    ids.discard(idx)
                    if not ids:
                        del self.by_ident[v]

    # --- receiving ---
    def drain(self, timeout=0.0):
        for key, _ in self.sel.select(timeout):
            addr, role = key.data
            sock = key.fileobj
            if role == "elsewhere-tcp":
                try:
                    conn, peer = sock.accept()
                except (BlockingIOError, InterruptedError, OSError):
                    continue
                conn.settimeout(0.2)
                try:
                    data = conn.recv(65535)
                except OSError:
                    data = b""
                conn.close()
                self.received(addr, role, sock, data, peer)
                continue
            while True:
                try:
                    data, peer = sock.recvfrom(65535)
                except (BlockingIOError, InterruptedError):
                    break
                except OSError:
                    break
                self.received(addr, role, sock, data, peer)
        if self.tcp:
            self.service_tcp()

    def received(self, addr, role, sock, data, peer):
        if role in ("elsewhere", "elsewhere-tcp"):
            s = [x for x in self.attribute(data) if x.data] if data else []
            if not s:
                s = [x for x in reversed(self.recent) if x.cls == PHONE_C][:1]
            self.fail("elsewhere", s[0] if s else None, data, "%s:%d" % addr,
                      "the proxy %s %s:%d, an address no table names (from %s:%d)"
                      % ("connected to" if role == "elsewhere-tcp" else "sent to",
                         addr[0], addr[1], peer[0], peer[1]))
        if data.lstrip(LEADING)[:5].upper() == b"HTTP/":
            s = [x for x in self.attribute(data) if x.data]
            if not s:  # no marker in the answer: that socket's last HTTP request
                s = [x for x in reversed(self.recent) if x.src == addr and b"HTTP/" in x.data][:1]
            self.fail("http-over-udp", s[0] if s else None, data, "%s:%d" % addr,
                      "an HTTP answer came back over UDP from %s:%d" % peer)
        if role in ("server", "trunk", "phone"):
            self.standin_got[role] += 1
            self.oracle_relay(addr, role, data)
        if is_response(data):
            self.harvest(addr, role, data)
        elif role in ("server", "trunk", "phone"):
            self.answer(addr, sock, data, peer)

    def attribute(self, data):
        """The sent messages that data holds: by their markers, else by
        Call-ID; by Call-ID alone, a value that a trusted sender's message
        had too is taken for theirs."""
        found = []
        for cls, idx in markers_in(data):
            s = self.sent.get(idx)
            if s is None:  # long ago, or replayed: the marker tells the class
                s = Sent(idx, cls, "?", ("?", 0), "?", b"", 0)
            elif s.cls != cls:
                continue
            found.append(s)
        if found:
            return found
        for v in idents(data) + [b"t:" + t for t in re.findall(rb"tag=(fzuas\d+)", data)]:
            for idx in self.by_ident.get(v, ()):
                if idx in self.sent:
                    found.append(self.sent[idx])
        trusted = [s for s in found if s.cls not in STRANGERS]
        return trusted or found

    def oracle_relay(self, addr, role, data):
        """Toll fraud: nothing of a stranger's reaches a trunk; no stranger's
        request reaches the server or a phone either."""
        found = self.attribute(data)
        where = "%s %s:%d" % (role, addr[0], addr[1])
        resp = is_response(data)
        if not found:
            if role == "trunk":
                self.fail("unattributed", None, data, where,
                          "the trunk got a message that no trusted sender sent")
            return
        if not resp and not CALLID_RE.search(data) and self.odd_logged < 20:
            self.odd_logged += 1
            self.log("the %s got a request without Call-ID:\n%s\ntraced to #%d (%s) from %s:%d:\n%s"
                     % (where, show(data), found[0].idx, found[0].kind, found[0].src[0],
                        found[0].src[1], show(found[0].data, 4000)))
        strangers = [s for s in found if s.cls in STRANGERS]
        if not strangers:
            if role == "trunk" and not resp:
                self.trusted_to_trunk[found[0].cls] += 1
            if not resp and all(s.cls == PHONE_C for s in found):
                self.oracle_phone(addr, role, data, found[0])
            return
        s = strangers[0]
        sent_resp = is_response(s.data) if s.data else False
        method = first_line(data).split(b" ", 1)[0]
        if not resp and role == "phone" and method in (b"ACK", b"PRACK") \
                and "ack-prack-to-phone" in self.a.known:
            # auth's pre_auth() takes ACK and PRACK for authenticated
            self.known["ack-prack-to-phone"] += 1
            self.known_seen.setdefault("ack-prack-to-phone", (s, where, data))
            return
        if not resp:
            self.fail("relay", s, data, where,
                      "a request from a %s (%s:%d) was relayed to the %s"
                      % (CLASS_NAMES[s.cls], s.src[0], s.src[1], where))
        elif sent_resp:
            # a response that matched no transaction, forwarded statelessly
            # to its second Via
            self.known["reply-forwarding"] += 1
            self.known_seen.setdefault("reply-forwarding", (s, where, data))
            if "reply-forwarding" not in self.a.known:
                self.fail("reply-forward", s, data, where,
                          "a response forged by a %s (%s:%d) was forwarded to the %s"
                          % (CLASS_NAMES[s.cls], s.src[0], s.src[1], where))
        elif addr[0] == s.src[0] and role != "trunk":
            return  # the proxy's answer to the Via port of the sender's own address
        else:
            self.fail("reflect", s, data, where,
                      "the proxy's answer to a %s (%s:%d) went to the %s"
                      % (CLASS_NAMES[s.cls], s.src[0], s.src[1], where))

    def oracle_phone(self, addr, role, data, s):
        """A phone's password is no key: what the phone with credentials
        sends reaches a stand-in only as a call the tables send there (a
        trunk: its EXTERNAL entries' numbers; its server; itself), and
        inside such a call only, never as a NOTIFY, MESSAGE or OPTIONS to a
        phone, never at a Request-URI or Route of its own choosing."""
        # as kamailio reads it: empty lines before the request line are
        # skipped, folded lines are one, and an empty To-tag is none
        lines, _, _ = split_msg(unfold(data.lstrip(LEADING)))
        parts = lines[0].split(b" ")
        method = parts[0]
        cid = callids(data)
        key = (addr, cid[0] if cid else b"")
        to = [ln for ln in lines[1:] if re.match(rb"(?i)(to|t)[ \t]*:", ln)]
        initial = not (to and re.search(rb"(?i);[ \t]*tag[ \t]*=[ \t]*[^;\s>,]", to[0]))
        where = "%s %s:%d" % (role, addr[0], addr[1])
        self.phone_checked[role] += 1
        if initial and method == b"INVITE":
            user = parts[1].split(b":", 1)[-1].split(b"@", 1)[0].decode("latin-1") \
                if len(parts) > 1 else ""
            if role != "trunk" or (addr, user) in PHONE_TRUNK_CALLS:
                self.phone_calls.add(key)
                return
            self.fail("phone-to-trunk", s, data, where,
                      "the phone with credentials got the trunk to take %s, which "
                      "no EXTERNAL entry of its translates to" % parts[1][:80])
        if key in self.phone_calls:
            return  # inside, or cancelling, a call of its own there
        self.fail("phone-elsewhere", s, data, where,
                  "a %s of the phone with credentials reached the %s outside any "
                  "call the tables send there" % (method[:20].decode("latin-1"), where))

    def harvest(self, addr, role, data):
        """Nonces from challenges; the server's dialogs from its 200s."""
        m = CHALLENGE_RE.search(data)
        if m:
            params = dict((k.lower(), v) for k, v in re.findall(
                rb'(\w+)="?([^",]*)"?', m.group(1)))
            nonce = params.get(b"nonce", b"").decode("latin-1")
            realm = params.get(b"realm", b"").decode("latin-1")
            if nonce:
                if role == "phone":
                    cid = callids(data)
                    req = self.pending.pop(cid[0], None) if cid else None
                    if req is not None and req["src"] == addr:
                        qop = b"auth" in params.get(b"qop", b"")
                        self.phone_answer(req, nonce, realm, qop)
                else:
                    self.stranger_nonce = nonce
        if role == "phone" and data.startswith(b"SIP/2.0 200"):
            cid = callids(data)
            inv = self.phone_invites.get(cid[0]) if cid else None
            if inv is not None and inv["src"] == addr \
                    and re.search(rb"(?im)^cseq:[ \t]*\d+[ \t]+INVITE", data):
                d = self.dialog_of(data)
                if d:
                    d.update(callid=cid[0].decode("latin-1"), src=addr, cseq=2,
                             from_="<sip:%s@%s>;tag=%s" % (PHONE_USER, DOMAIN, inv["ftag"]))
                    self.phone_dialogs.append(d)
            return
        if role == "server" and data.startswith(b"SIP/2.0 200"):
            cid = callids(data)
            inv = self.server_invites.get(cid[0]) if cid else None
            if inv is None or not re.search(rb"(?im)^cseq:[ \t]*\d+[ \t]+INVITE", data):
                return
            d = self.dialog_of(data)
            if d is None:
                return
            d.update(callid=cid[0].decode("latin-1"), from_=inv["from"], cseq=inv["cseq"])
            self.dialogs.append(d)
            for x in d["routes"]:
                did = re.search(r"did=([0-9a-f]+\.[0-9a-f]+)", x)
                if did:
                    self.dids.append(did.group(1))

    @staticmethod
    def dialog_of(data):
        """To, route set and target of the dialog a 200 makes, or None."""
        lines, sep, _ = split_msg(data)
        to = [ln.split(b":", 1)[1].strip() for ln in lines
              if re.match(rb"(?i)(to|t)[ \t]*:", ln)]
        rr = []
        for ln in lines:
            if re.match(rb"(?i)record-route[ \t]*:", ln):
                rr += [x.strip() for x in ln.split(b":", 1)[1].split(b",")]
        ct = [ln.split(b":", 1)[1].strip() for ln in lines
              if re.match(rb"(?i)(contact|m)[ \t]*:", ln)]
        lt = ct[0].find(b"<") if ct else -1
        gt = ct[0].find(b">", lt) if lt >= 0 else -1
        if not to or gt < 0:
            return None
        return dict(to=to[0].decode("latin-1"),
                    routes=[x.decode("latin-1") for x in reversed(rr)],
                    target=ct[0][lt + 1:gt].decode("latin-1"))

    def answer(self, addr, sock, data, peer):
        """The stand-ins answer what the proxy relays to them."""
        lines, sep, body = split_msg(data)
        parts = lines[0].split(b" ")
        method = parts[0]
        if method == b"ACK" or len(parts) < 3:
            return
        keep = [ln for ln in lines[1:] if re.match(
            rb"(?i)(via|v|from|f|to|t|call-id|i|cseq|record-route)[ \t]*:", ln)]
        r = self.rsp_rng
        # one To-tag for the request's answers; what comes back with it
        # (tm's ACK, the dialog's requests) is the request sender's
        tag = b"fzuas%d" % r.randrange(1 << 30)
        traced = self.attribute(data)
        # answers to what came from a stranger (a bug, flagged already) are
        # not mutated: they would carry the stranger's markers elsewhere
        plain = any(s.cls in STRANGERS for s in traced)
        for s in traced:
            if s.idx in self.sent:
                self.by_ident.setdefault(b"t:" + tag, set()).add(s.idx)
                self.tags_of.setdefault(s.idx, set()).add(b"t:" + tag)

        def reply(code, reason, extra=b""):
            hs = []
            for ln in keep:
                if re.match(rb"(?i)(to|t)[ \t]*:", ln) and b"tag=" not in ln.lower():
                    ln += b";tag=" + tag
                if code < 200 or code >= 300 or method != b"INVITE":
                    if re.match(rb"(?i)record-route", ln):
                        continue
                hs.append(ln)
            b = sdp(addr[0], "uas") if code == 200 and method == b"INVITE" else b""
            hs += [b"Contact: <sip:uas@%s:%d>" % (addr[0].encode(), addr[1])]
            if extra:
                hs.append(extra)
            if b:
                hs.append(b"Content-Type: application/sdp")
            hs.append(b"Content-Length: %d" % len(b))
            msg = b"SIP/2.0 %d %s\r\n" % (code, reason) + b"\r\n".join(hs) + b"\r\n\r\n" + b
            if r.random() < 0.1 and not plain:
                mut = Mutator(r, "uas", None, None)
                m2, _ = mut.mutate(msg, r.randrange(1, 3))
                # still an answer: a request made of it would be nobody's
                if self.safe(m2) and first_line(m2) == first_line(msg):
                    msg = m2
            try:
                sock.sendto(msg, peer)
            except OSError:
                pass

        if method == b"INVITE":
            reply(100, b"Trying")
            k = r.random()
            if k < 0.4:
                reply(200, b"OK")
            elif k < 0.55:
                reply(486, b"Busy Here")
            elif k < 0.65:
                reply(503, b"Service Unavailable")
            elif k < 0.75:
                reply(180, b"Ringing")
            elif k < 0.85:
                reply(404, b"Not Found")
            # else silence: the proxy's timer and failover
        else:
            reply(200, b"OK")

    # --- oracles ---
    def fail(self, what, s, got, where, text):
        if self.failure:
            return
        self.failure = (what, s, got, where, text)
        raise Failure(text)

    def check_alive(self):
        if self.kam.poll() is not None:
            raise Failure("kamailio exited (status %s)" % self.kam.returncode)
        since = self.uptime()
        if since is None:
            raise Failure("kamailio does not answer core.uptime on its control socket")
        if since != self.uptime0:
            raise Failure("kamailio's up_since changed: %s, was %s" % (since, self.uptime0))
        # a well-formed OPTIONS to the proxy: its keepalive answer
        for attempt in range(4):
            self.followup += 1
            mark = marker(PROBE_C, self.followup)
            msg = sip_request("OPTIONS", "sip:%s:%d" % PROXY, PROBE, mark,
                              "sip:%s:%d" % PROXY, "sip:probe@127.0.0.1")
            sock = self.socks[PROBE]
            sock.sendto(msg, PROXY)
            end = time.monotonic() + 0.5 * (attempt + 1)
            while time.monotonic() < end:
                try:
                    data = sock.recv(65535)
                except BlockingIOError:
                    self.drain(0.02)
                    continue
                if mark.encode() in data and data.startswith(b"SIP/2.0 200"):
                    return
        raise Failure("kamailio does not answer a well-formed OPTIONS any more")

    def check_state(self):
        """Nothing an admin command in a datagram would do has happened."""
        st = self.stats()
        if not st:
            raise Failure("no phones: statistics from kamailio")
        b = self.baseline
        for k in ("reloads", "reloads_failed", "reloads_refused", "reloads_busy",
                  "last_reload", "entries", "routes", "servers"):
            if st.get(k) != b.get(k):
                raise Failure("phones:%s is %s, was %s: a reload or a change ran"
                              % (k, st.get(k), b.get(k)))
        for k, v in st.items():
            if (k.startswith(("auth_", "calls_", "route_")) or k == "lockouts") \
                    and v < self.last_stats.get(k, 0):
                raise Failure("phones:%s went down (%d, was %d): statistics were reset"
                              % (k, v, self.last_stats[k]))
        self.last_stats = st
        for cmd, absent in ((("htable.get", "phones_last", "fzcanary"), "doesn't exist"),
                            (("ul.lookup", "location", "fzcanary"), "not found"),
                            (("phones.get", "fzcanary"), "404"),
                            (("phones.get", "fzcanary2"), "404")):
            out = self.kamcmd(*cmd)
            if out is None or absent not in out:
                raise Failure("%s: %r: an RPC or API request in a datagram ran"
                              % (" ".join(cmd), (out or "").strip()[:200]))
        if "secret: set" not in (self.kamcmd("phones.get", PHONE_USER) or ""):
            raise Failure("phones.get %s: the phone is gone" % PHONE_USER)
        db = sqlite3.connect("file:%s?mode=ro" % self.db, uri=True, timeout=5)
        try:
            n = db.execute("SELECT count(*) FROM phones").fetchone()[0]
        finally:
            db.close()
        if n != 4:
            raise Failure("the phones table has %d rows, not 4: the API ran" % n)

    def check_log(self):
        with open(self.kam_log, "rb") as f:
            f.seek(self.log_pos)
            text = f.read()
            self.log_pos = f.tell()
        for m in LOG_NOTE_RE.finditer(text):
            line = text[text.rfind(b"\n", 0, m.start()) + 1:]
            line = line[:line.find(b"\n")] if b"\n" in line else line
            self.log_notes[re.sub(rb"[0-9a-f]{8,}|\d+", b"N", line)[:160]] += 1
        m = LOG_BAD_RE.search(text)
        if m:
            line = text[text.rfind(b"\n", 0, m.start()) + 1:]
            line = line[:line.find(b"\n")] if b"\n" in line else line
            raise Failure("kamailio's log: %s" % line[:500].decode("latin-1").strip())

    # --- the message stream ---
    def generate(self, idx):
        """Message idx of the stream: (class, kind, source, data, proto)."""
        r = random.Random("%d:%d" % (self.a.seed, idx))
        k = r.random()
        if k < 0.62:
            return self.gen_stranger(r, idx)
        if k < 0.82:
            return self.gen_server(r, idx)
        if k < 0.93:
            return self.gen_phone(r, idx)
        return self.gen_carrier(r, idx)

    def stranger_src(self, r):
        k = r.random()
        if k < 0.06:
            return STRANGERS_NAMED[0], STRANGER
        if k < 0.12:
            return STRANGERS_NAMED[1], STRANGER
        if k < 0.15:
            return STRANGER_AT_SERVER, STRANGER_SRV
        return r.choice(STRANGER_POOL), STRANGER

    def mutate(self, r, data, mark, prob, stream_nonce=None):
        """data mutated (with probability prob), as long as it stays safe();
        otherwise data itself, or if even that is not, a keepalive."""
        if not self.safe(data):
            data = b"\r\n\r\n"
        if r.random() >= prob:
            return data, []
        x = r.random()  # drawn whether or not a did is known
        did = self.dids[int(x * 2 * len(self.dids))] if x < 0.5 and self.dids else None
        mut = Mutator(r, mark, stream_nonce or self.stranger_nonce, did)
        n = min(1 + int(r.expovariate(0.8)), 8)
        for _ in range(5):
            m, names = mut.mutate(data, n)
            if len(m) > 65000:
                m = m[:65000]
            if self.safe(m):
                return m, names
        return data, []

    def seed_request(self, r, src, mark, kind=None):
        """A well-formed request of some kind, as a stranger may send it."""
        kinds = ["register", "invite", "invite", "invite-dlg", "options", "notify",
                 "message", "subscribe", "bye", "cancel", "ack", "other",
                 "response", "http", "http", "keepalive", "garbage"]
        kind = kind or r.choice(kinds)
        tgt = r.choice(TARGETS)
        host = r.choice(HOSTS)
        from_uri = "sip:%s@%s" % (r.choice(["fz100", "anon", "3125551111", "fz300",
                                            "fx200", ""]), DOMAIN)
        if r.random() < 0.15:
            from_uri = "sip:" + DOMAIN  # no user: $fU is null, as $au is without credentials
        ip = src[0]
        extra = []
        if r.random() < 0.25:  # credentials that are not fz100's
            extra.append(Mutator(r, mark, self.stranger_nonce, None).render(
                r.choice([h for h in HEADER_DICT if "Authorization" in h])).decode())
        if kind == "register":
            user = r.choice(["fz100", "fz300", "fx200", "nobody", "7100", ""])
            return kind, sip_request(
                "REGISTER", "sip:%s" % r.choice(["127.0.0.1:26060", "127.0.0.1"]),
                src, mark, "sip:%s@%s" % (user, DOMAIN), "sip:%s@%s" % (user, DOMAIN),
                extra=extra + ["Expires: %d" % r.choice([0, 60, 3600])])
        if kind == "invite":
            return kind, sip_request(
                "INVITE", "sip:%s@%s" % (tgt, host), src, mark,
                "sip:%s@%s" % (tgt, DOMAIN), from_uri, extra=extra,
                body=sdp(ip, mark) if r.random() < 0.8 else b"")
        if kind == "invite-dlg":
            x, guess = r.random(), "%x.%x" % (r.randrange(4096), r.randrange(256))
            did = self.dids[int(x * 2 * len(self.dids))] if x < 0.5 and self.dids else guess
            shape = r.randrange(6)
            routes = [["<sip:127.0.0.1:26060;lr;did=%s>" % did],
                      ["<sip:127.0.0.3:26063;lr>"],
                      [],
                      ["<sip:127.0.0.1:26060;lr>"],
                      ["<sip:127.0.0.1:26060;lr;did=%s>" % did, "<sip:127.0.0.3:26063;lr>"],
                      ["<sip:127.0.0.1:26060>"]][shape]
            ruri = r.choice(["sip:913125551234@127.0.0.3:26063", "sip:fx200@127.0.0.1:26060",
                             "sip:uas@127.0.0.3:26063", "sip:913125551234@127.0.0.1:26060"])
            method = r.choice(["INVITE", "INVITE", "BYE", "INFO", "UPDATE", "REFER", "ACK"])
            return "in-dialog-" + method.lower(), sip_request(
                method, ruri, src, mark, "sip:%s@127.0.0.3" % tgt, from_uri,
                to_tag="fzt%d" % r.randrange(1 << 20), routes=routes, extra=extra,
                cseq=r.randrange(2, 100), body=sdp(ip, mark) if method == "INVITE" else b"")
        if kind == "options":
            ruri = r.choice(["sip:%s:%d" % PROXY, "sip:fz100@127.0.0.1:26060",
                             "sip:913125551234@127.0.0.3:26063", "sip:%s@%s" % (tgt, host)])
            return kind, sip_request("OPTIONS", ruri, src, mark, ruri, from_uri, extra=extra)
        if kind == "notify":
            return kind, sip_request(
                "NOTIFY", "sip:%s@%s" % (r.choice(["fz100", tgt]), host), src, mark,
                "sip:fz100@%s" % DOMAIN, from_uri,
                extra=extra + ["Event: check-sync", "Subscription-State: terminated"])
        if kind == "message":
            return kind, sip_request(
                "MESSAGE", "sip:%s@%s" % (tgt, host), src, mark, "sip:%s@%s" % (tgt, DOMAIN),
                from_uri, extra=extra, body=("hello %s" % mark).encode(), ctype="text/plain")
        if kind == "subscribe":
            return kind, sip_request(
                "SUBSCRIBE", "sip:%s@%s" % (tgt, host), src, mark, "sip:%s@%s" % (tgt, DOMAIN),
                from_uri, extra=extra + ["Event: presence", "Expires: 3600"])
        if kind in ("bye", "cancel", "ack"):
            method = kind.upper()
            routes = r.choice([[], ["<sip:127.0.0.3:26063;lr>"], ["<sip:127.0.0.1:26060;lr>"]])
            return kind, sip_request(
                method, "sip:%s@%s" % (tgt, host), src, mark, "sip:%s@%s" % (tgt, DOMAIN),
                from_uri, to_tag=None if method == "CANCEL" or r.random() < 0.3 else "fzt1",
                routes=routes, extra=extra, cseq=1 if method != "BYE" else 2)
        if kind == "other":
            method = r.choice(["INFO", "PRACK", "PRACK", "UPDATE", "REFER", "PUBLISH", "FOO"])
            ex = ["Refer-To: <sip:913125551234@127.0.0.3:26063>"] if method == "REFER" else \
                ["Event: presence"] if method == "PUBLISH" else []
            return kind, sip_request(method, "sip:%s@%s" % (tgt, host), src, mark,
                                     "sip:%s@%s" % (tgt, DOMAIN), from_uri, extra=extra + ex)
        if kind == "response":
            code, reason = r.choice([(200, "OK"), (180, "Ringing"), (183, "Session Progress"),
                                     (486, "Busy Here"), (407, "Proxy Authentication Required"),
                                     (100, "Trying"), (699, "X"), (503, "Service Unavailable")])
            second = r.choice(["SIP/2.0/UDP %s:%d;branch=z9hG4bK%sb" % (TRUNK + (mark,)),
                               "SIP/2.0/UDP %s:%d;branch=z9hG4bK%sb" % (SERVER + (mark,)),
                               "SIP/2.0/UDP %s:%d;branch=z9hG4bK%sb" % (TRUNK_DS + (mark,)),
                               "SIP/2.0/UDP %s:%d;branch=z9hG4bK%sb;rport" % (src + (mark,))])
            vias = ["SIP/2.0/UDP %s:%d;branch=z9hG4bK%sp" % (PROXY + (mark,)), second]
            if r.random() < 0.2:
                vias = vias[1:]
            return kind, sip_response(code, reason, vias, mark,
                                      method=r.choice(["INVITE", "BYE", "REGISTER", "OPTIONS"]),
                                      body=sdp(ip, mark) if code == 200 else b"")
        if kind == "http":
            return kind, self.seed_http(r, mark)
        if kind == "keepalive":
            return kind, r.choice([b"\r\n\r\n", b"\r\n", b"\x00\x00\x00\x00", b" "])
        # garbage: random bytes, a STUN binding request
        if r.random() < 0.5:
            return kind, b"\x00\x01\x00\x00\x21\x12\xa4\x42" + bytes(
                r.randrange(256) for _ in range(12))
        return kind, bytes(r.randrange(256) for _ in range(r.randrange(1, 1500)))

    def seed_http(self, r, mark):
        k = r.randrange(5)
        if k <= 2:
            method, params = r.choice(RPC_CANARIES)
            body = json.dumps({"jsonrpc": "2.0", "method": method, "params": params,
                               "id": mark}).encode()
            path = r.choice(["/RPC", "/RPC/", "/RPC?x=%s" % mark, "/rpc", "/RPC;x"])
            return http_request("POST", path, body,
                                version=r.choice(["HTTP/1.1", "HTTP/1.0"]),
                                extra=r.choice([[], ["Via: SIP/2.0/UDP 127.0.0.4:26070"],
                                                ["Connection: close"]]))
        if k == 3:
            return http_request("GET", r.choice(["/metrics", "/metrics?%s" % mark, "/"]),
                                version=r.choice(["HTTP/1.1", "HTTP/1.0"]))
        return http_request(r.choice(["GET", "POST"]),
                            "/vicidial/non_agent_api.php?%s&fz=%s" % (API_QUERY, mark))

    def gen_stranger(self, r, idx):
        src, cls = self.stranger_src(r)
        mark = marker(cls, idx)
        kind, data = self.seed_request(r, src, mark)
        proto = "udp"
        data, muts = self.mutate(r, data, mark, 0.85)
        if r.random() < 0.02 and not kind.startswith("http") and b"HTTP/" not in data:
            proto = "tcp"  # SIP on the HTTP socket: never served
        return cls, kind, src, data, proto, muts

    def gen_server(self, r, idx):
        mark = marker(SERVER_C, idx)
        k = r.random()
        if k < 0.08:
            kind, data = "http", self.seed_http(r, mark)
        elif k < 0.22 and self.dialogs:
            d = self.dialogs[r.randrange(len(self.dialogs))]
            method = r.choice(["ACK", "BYE", "INVITE", "INFO", "UPDATE", "ACK"])
            d["cseq"] += 1
            lines = ["%s %s SIP/2.0" % (method, d["target"]),
                     "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bK%s;rport" % (SERVER + (mark,)),
                     "Max-Forwards: 70", "From: %s" % d["from_"], "To: %s" % d["to"],
                     "Call-ID: %s" % d["callid"],
                     "CSeq: %d %s" % (d["cseq"] if method != "ACK" else d["cseq"] - 1, method)]
            lines += ["Route: %s" % x for x in d["routes"]]
            lines += ["Contact: <sip:ast@%s:%d>" % SERVER, "X-Fz: %s" % mark,
                      "Content-Length: 0"]
            kind, data = "in-dialog-" + method.lower(), ("\r\n".join(lines) + "\r\n\r\n").encode()
        elif k < 0.28 and self.server_invites:
            cid, inv = next(reversed(self.server_invites.items()))
            lines = ["CANCEL %s SIP/2.0" % inv["ruri"],
                     "Via: SIP/2.0/UDP %s:%d;branch=%s;rport" % (SERVER + (inv["branch"],)),
                     "Max-Forwards: 70", "From: %s" % inv["from"], "To: %s" % inv["to"],
                     "Call-ID: %s" % cid.decode("latin-1"), "CSeq: %d CANCEL" % inv["cseq"],
                     "X-Fz: %s" % mark, "Content-Length: 0"]
            kind, data = "cancel-own", ("\r\n".join(lines) + "\r\n\r\n").encode()
        elif k < 0.75:
            tgt = r.choice(["913125551234", "913125559999", "955512345", "fx200", "fx201",
                            "fz100", "7100", "fz300", "12345", "913125550200", "nobody"])
            ruri = "sip:%s@%s" % (tgt, r.choice(["127.0.0.1:26060", "127.0.0.1"]))
            from_ = "<sip:3125550100@127.0.0.2>;tag=%sf" % mark
            to = "<sip:%s@127.0.0.1>" % tgt
            branch = "z9hG4bK" + mark
            data = sip_request("INVITE", ruri, SERVER, mark, "sip:%s@127.0.0.1" % tgt,
                               "sip:3125550100@127.0.0.2", branch=branch,
                               body=sdp(SERVER[0], mark))
            kind = "invite"
            self.server_invites[("%s@%s" % (mark, SERVER[0])).encode()] = {
                "ruri": ruri, "branch": branch, "from": from_, "to": to, "cseq": 1}
            while len(self.server_invites) > 64:
                self.server_invites.popitem(last=False)
        else:
            kind, data = self.seed_request(r, SERVER, mark, r.choice(
                ["options", "notify", "message", "subscribe", "bye", "response", "other"]))
        data, muts = self.mutate(r, data, mark, 0.5)
        return SERVER_C, kind, SERVER, data, "udp", muts

    def gen_carrier(self, r, idx):
        mark = marker(CARRIER_C, idx)
        if r.random() < 0.8:
            tgt = r.choice(["3125550000", "fz100", "fx200", "913125551234", "8600051"])
            kind, data = "invite-did", sip_request(
                "INVITE", "sip:%s@127.0.0.1:26060" % tgt, TRUNK, mark,
                "sip:%s@127.0.0.1" % tgt, "sip:3125557777@127.0.0.3",
                body=sdp(TRUNK[0], mark))
        else:
            kind, data = self.seed_request(r, TRUNK, mark, r.choice(
                ["options", "bye", "response", "message"]))
        data, muts = self.mutate(r, data, mark, 0.4)
        return CARRIER_C, kind, TRUNK, data, "udp", muts

    def phone_request(self, r, idx, src, method, tgt, mutate_prob, contact=None,
                      extra=()):
        """A phone's request without credentials, as a phone sends it first;
        the challenge it gets is answered by phone_answer() with fz100's
        digest (same Call-ID, Request-URI and source: nonces may be tied to
        them, and good for one request)."""
        mark = marker(PHONE_NOCRED, idx)
        extra = list(extra)
        if method == "REGISTER":
            uri, to = "sip:%s:%d" % PROXY, "sip:%s@%s" % (PHONE_USER, DOMAIN)
            extra.append("Expires: %d" % r.choice([60, 600, 3600]))
        else:
            uri, to = "sip:%s@%s:%d" % ((tgt,) + PROXY), "sip:%s@%s" % (tgt, DOMAIN)
        if contact:
            extra.append("Contact: %s" % contact)
        req = {"method": method, "uri": uri, "to": to, "src": src, "extra": extra,
               "contact": contact is None,
               "callid": "fzph%08x@%s" % (idx, src[0]), "ftag": "fzph%08x" % idx,
               "idx": idx, "t": time.monotonic()}
        data = self.phone_build(req, mark, None)
        self.pending[req["callid"].encode()] = req
        while len(self.pending) > 256:
            self.pending.popitem(last=False)
        data, muts = self.mutate(r, data, mark, mutate_prob)
        return PHONE_NOCRED, method.lower(), src, data, "udp", muts

    def phone_build(self, req, mark, cred):
        method = req["method"]
        extra = list(req["extra"])
        if cred:
            extra.append(("Authorization: " if method == "REGISTER"
                          else "Proxy-Authorization: ") + cred)
        body, ctype = b"", "text/plain"
        if method == "INVITE":
            body, ctype = sdp(req["src"][0], mark), "application/sdp"
        elif method == "MESSAGE":
            body = ("hi " + mark).encode()
        return sip_request(method, req["uri"], req["src"], mark, req["to"],
                           "sip:%s@%s" % (PHONE_USER, DOMAIN), extra=extra, body=body,
                           ctype=ctype, callid=req["callid"], ftag=req["ftag"],
                           cseq=2 if cred else 1, contact=req.get("contact", True))

    def phone_answer(self, req, nonce, realm, qop):
        realm = realm or DOMAIN
        ha1 = md5("%s:%s:%s" % (PHONE_USER, realm, PHONE_PASSWORD))
        ha2 = md5("%s:%s" % (req["method"], req["uri"]))
        cred = 'Digest username="%s", realm="%s", nonce="%s", uri="%s", ' % (
            PHONE_USER, realm, nonce, req["uri"])
        if qop:
            cnonce = "fz%08x" % req["idx"]
            cred += 'response="%s", qop=auth, nc=00000001, cnonce="%s", algorithm=MD5' % (
                md5("%s:%s:00000001:%s:auth:%s" % (ha1, nonce, cnonce, ha2)), cnonce)
        else:
            cred += 'response="%s", algorithm=MD5' % md5("%s:%s:%s" % (ha1, nonce, ha2))
        self.followup += 1
        idx = self.followup
        mark = marker(PHONE_C, idx)
        data = self.phone_build(req, mark, cred)
        r = random.Random("%d:answer:%d" % (self.a.seed, req["idx"]))
        if req.get("mutate", True):
            # a mutated REGISTER may name any address: the binding is
            # where it came from, whatever its Contact says
            data, muts = self.mutate(r, data, mark, 0.3)
        if req["method"] == "INVITE":
            self.phone_invites[req["callid"].encode()] = req
            while len(self.phone_invites) > 256:
                self.phone_invites.popitem(last=False)
        self.send(PHONE_C, req["method"].lower() + "-auth", req["src"], data, idx=idx)
        self.kinds[req["method"].lower() + "-auth"] += 1

    def gen_phone(self, r, idx):
        src = r.choice(PHONES)
        k = r.random()
        if k < 0.2:
            method, tgt = "REGISTER", PHONE_USER
        elif k < 0.35:
            # a Contact naming somebody else: the trunk, the server, the
            # proxy, another phone, any address, over TCP, with an alias
            host = r.choice([TRUNK, TRUNK_DS, SERVER, PROXY, ELSEWHERE, ELSEWHERE_TCP,
                             r.choice(PHONES), src])
            contact = "<sip:%s@%s:%d%s%s>" % (
                r.choice([PHONE_USER, "913125551234", "0118823456789"]), host[0], host[1],
                ";transport=tcp" if host == ELSEWHERE_TCP or r.random() < 0.2 else "",
                ";alias=%s~%d~1" % ELSEWHERE if r.random() < 0.3 else "")
            return self.phone_request(r, idx, src, "REGISTER", PHONE_USER, 0.1, contact)
        elif k < 0.6 and self.phone_dialogs:
            return self.phone_in_dialog(r, idx)
        else:
            tgt = r.choice(["fx200", "913125550200", "fx201", "8600051", "913125551234",
                            "fz100", "nobody", "fz300"])
            method = r.choice(["INVITE", "INVITE", "INVITE", "MESSAGE", "OPTIONS", "NOTIFY"])
            extra = ["Event: check-sync;reboot=true"] if method == "NOTIFY" else []
            if method == "INVITE" and r.random() < 0.3:
                extra = [r.choice(["P-Asserted-Identity: <sip:3125550999@127.0.0.1>",
                                   "Remote-Party-ID: <sip:3125550999@127.0.0.1>",
                                   "Diversion: <sip:3125550999@127.0.0.1>"])]
            return self.phone_request(r, idx, src, method, tgt, 0.2, extra=extra)
        return self.phone_request(r, idx, src, method, tgt, 0.2)

    def phone_in_dialog(self, r, idx):
        """A request of fz100's inside one of its own calls, to the other
        party, or to a Request-URI, Route or alias of its own choosing."""
        d = self.phone_dialogs[r.randrange(len(self.phone_dialogs))]
        mark = marker(PHONE_C, idx)
        method = r.choice(["INVITE", "BYE", "INFO", "UPDATE", "ACK", "NOTIFY", "REFER",
                           "MESSAGE"])
        ruri = r.choice([d["target"], d["target"], "sip:0118823456789@%s:%d" % TRUNK,
                         "sip:55512345@%s:%d" % TRUNK_DS, "sip:uas@%s:%d" % SERVER,
                         "sip:%s@%s:%d" % ((PHONE_USER,) + r.choice(PHONES)),
                         "sip:x@%s:%d" % ELSEWHERE,
                         "sip:x@%s:%d;transport=tcp" % ELSEWHERE_TCP,
                         d["target"] + ";alias=%s~%d~1" % ELSEWHERE])
        routes = list(d["routes"])
        k = r.random()
        if k < 0.25:
            routes.append("<sip:%s:%d;lr>" % r.choice([TRUNK, SERVER, ELSEWHERE]))
        elif k < 0.35:
            routes = routes[:1] + ["<sip:%s:%d;lr;transport=tcp>" % ELSEWHERE_TCP]
        d["cseq"] += 1
        lines = ["%s %s SIP/2.0" % (method, ruri),
                 "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bK%s;rport" % (d["src"] + (mark,)),
                 "Max-Forwards: 70", "From: %s" % d["from_"], "To: %s" % d["to"],
                 "Call-ID: %s" % d["callid"],
                 "CSeq: %d %s" % (d["cseq"] if method != "ACK" else d["cseq"] - 1, method)]
        lines += ["Route: %s" % x for x in routes]
        contact = r.choice([d["src"], TRUNK, ELSEWHERE])
        lines += ["Contact: <sip:%s@%s:%d>" % ((PHONE_USER,) + contact), "X-Fz: %s" % mark]
        if method == "REFER":
            lines.append("Refer-To: <sip:913125551234@%s:%d>" % TRUNK)
        lines.append("Content-Length: 0")
        data = ("\r\n".join(lines) + "\r\n\r\n").encode()
        data, muts = self.mutate(r, data, mark, 0.3)
        return PHONE_C, "in-dialog-" + method.lower(), d["src"], data, "udp", muts

    def register_phone(self, src):
        """fz100 registered at src, for a replay that needs a phone."""
        r = random.Random(0)
        self.followup += 1
        req_idx = self.followup
        cls, kind, src, data, proto, _ = self.phone_request(r, req_idx, src, "REGISTER",
                                                            PHONE_USER, 0)
        self.pending[("fzph%08x@%s" % (req_idx, src[0])).encode()]["mutate"] = False
        self.send(cls, kind, src, data, idx=req_idx)
        end = time.monotonic() + 2
        while time.monotonic() < end:
            self.drain(0.05)
        out = self.kamcmd("ul.lookup", "location", PHONE_USER) or ""
        self.log("registered %s at %s:%d: %s" % (PHONE_USER, src[0], src[1],
                                                 "yes" if src[0] in out else "no"))

    # --- the run ---
    def run(self):
        a = self.a
        iso = self.isolation()
        self.log("%s: seed %d, %s s, %s" % (NAME, a.seed, a.seconds, iso))
        self.log("cfg %s" % a.cfg)
        self.open_sockets()
        self.start_kamailio()
        self.log_pos = 0
        self.uptime0 = self.uptime()
        self.baseline = self.stats()
        self.last_stats = dict(self.baseline)
        self.log("baseline statistics:", self.baseline)
        t0 = time.monotonic()
        deadline = t0 + a.seconds
        next_alive = t0 + 1.0
        next_state = t0 + 3.0
        interval = 1.0 / a.rate if a.rate > 0 else 0
        next_send = t0
        last_report = t0
        if a.replay:
            self.replay(a.replay)
        else:
            while True:
                now = time.monotonic()
                if now >= deadline or (a.count is not None and self.count >= a.count):
                    break
                if now >= next_alive:
                    self.check_alive()
                    next_alive = time.monotonic() + 1.0
                if now >= next_state:
                    self.check_state()
                    self.check_log()
                    self.prune()
                    next_state = time.monotonic() + 3.0
                if now - last_report >= 1.0:
                    self.log("t=%.1f sent %d, stand-ins got %s, trunk got from trusted %s"
                             % (now - t0, self.count, dict(self.standin_got),
                                dict(self.trusted_to_trunk)))
                    last_report = now
                if now < next_send:
                    self.drain(min(next_send - now, 0.01))
                    continue
                next_send = max(next_send + interval, now - 0.05)
                cls, kind, src, data, proto, muts = self.generate(self.count)
                self.send(cls, "%s%s" % (kind, "+" + ",".join(muts) if muts else ""),
                          src, data, proto)
                self.kinds[kind] += 1
                self.count += 1
                self.drain(0)
        sending = time.monotonic() - t0
        # what is still on its way (relays, retransmissions, probes)
        end = time.monotonic() + 1.5
        while time.monotonic() < end:
            self.drain(0.05)
        while self.tcp:
            self.drain(0.05)
        self.check_alive()
        self.check_state()
        self.check_log()
        self.log("statistics at the end:", {k: v for k, v in self.last_stats.items() if v})
        self.log("registered:", (self.kamcmd("ul.lookup", "location", PHONE_USER) or "")
                 .count("Contact"), "contacts of", PHONE_USER)
        return sending

    def replay(self, paths):
        self.register_phone(PHONES[0])
        files = []
        for p in paths:
            if os.path.isdir(p):
                files += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith(".msg"))
            else:
                files.append(p)
        for f in files:
            meta = {}
            if os.path.exists(f[:-4] + ".txt"):
                with open(f[:-4] + ".txt") as fh:
                    for ln in fh:
                        if ":" in ln:
                            k, v = ln.split(":", 1)
                            meta[k.strip()] = v.strip()
            with open(f, "rb") as fh:
                data = fh.read()
            ip, port = meta.get("source", "127.0.0.4:%d" % STRANGER_PORT).rsplit(":", 1)
            src = (ip, int(port))
            if src not in self.socks:
                src = STRANGERS_NAMED[0]
            cls = meta.get("class", STRANGER)[:1]
            idx = self.count
            mk = markers_in(data)
            if mk:
                cls, idx = sorted(mk)[0]
            self.log("replay %s from %s:%d (%s)" % (f, src[0], src[1], CLASS_NAMES.get(cls)))
            self.send(cls, "replay", src, data, meta.get("transport", "udp"), idx=idx)
            self.count += 1
            end = time.monotonic() + 0.2
            while time.monotonic() < end:
                self.drain(0.02)

    def save(self, what, s, got, where, text):
        os.makedirs(self.artifacts, exist_ok=True)
        base = os.path.join(self.artifacts, "%s-%s-%d-%08x" % (NAME, what, self.a.seed,
                                                                s.idx if s else self.count))
        saved = []
        if s is not None and s.data:
            with open(base + ".msg", "wb") as f:
                f.write(s.data)
            with open(base + ".txt", "w") as f:
                f.write("source: %s:%d\ntransport: %s\nclass: %s (%s)\nkind: %s\n"
                        "index: %d\nseed: %d\noracle: %s\nwhere: %s\n"
                        % (s.src[0], s.src[1], s.proto, s.cls, CLASS_NAMES.get(s.cls),
                           s.kind, s.idx, self.a.seed, text, where))
            saved.append(base + ".msg")
        if got:
            with open(base + ".got", "wb") as f:
                f.write(got)
        return saved

    def save_recent(self):
        d = os.path.join(self.artifacts, "%s-recent-%d" % (NAME, self.a.seed))
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        for n, s in enumerate(self.recent):
            if s.idx >= 0x80000000 or not s.data:
                continue
            with open(os.path.join(d, "%05d.msg" % n), "wb") as f:
                f.write(s.data)
            with open(os.path.join(d, "%05d.txt" % n), "w") as f:
                f.write("source: %s:%d\ntransport: %s\nclass: %s\nkind: %s\nindex: %d\n"
                        % (s.src[0], s.src[1], s.proto, s.cls, s.kind, s.idx))
        return d


def main():
    top = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("seconds", type=float, nargs="?", default=10.0,
                   help="how long to send mutated messages (FUZZ_SECONDS)")
    p.add_argument("--seed", type=int, default=None,
                   help="the stream's seed (default: a random one, printed)")
    p.add_argument("--count", type=int, default=None,
                   help="stop after this many messages (replays a prefix of the stream)")
    p.add_argument("--rate", type=float, default=1500.0,
                   help="messages per second at most (default 1500; 0: no limit)")
    p.add_argument("--cfg", default=os.path.join(top, "cfg", "kamailio.cfg"),
                   help="the configuration to run (default: cfg/kamailio.cfg)")
    p.add_argument("--top", default=top, help="the repository (modules/phones/phones.so)")
    p.add_argument("--out", default=os.path.join(top, "build", "fuzz", NAME),
                   help="kamailio's log goes here; reproducers to its ../artifacts")
    p.add_argument("--replay", nargs="+", metavar="FILE.msg|DIR",
                   help="send saved messages (from their recorded source) and check")
    p.add_argument("--known", default="", metavar="ISSUE,...",
                   help="count, and do not fail on, these known issues: %s"
                        " (see tests/fuzz/README.md)" % ", ".join(KNOWN))
    a = p.parse_args()
    a.known = set(k for k in a.known.split(",") if k)
    for k in a.known - set(KNOWN):
        p.error("--known: no issue %r (%s)" % (k, ", ".join(KNOWN)))
    if a.seed is None:
        a.seed = int.from_bytes(os.urandom(4), "big")
    a.cfg = os.path.abspath(a.cfg)
    a.out = os.path.abspath(a.out)
    if a.replay:
        a.seconds = 0
    module = os.path.join(a.top, "modules", "phones", "phones.so")
    if not os.path.exists(module):
        print("%s: %s is not built (make)" % (NAME, module), file=sys.stderr)
        return 2

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)  # even when inherited as ignored
    faulthandler.register(signal.SIGUSR1)  # where a hung run is: kill -USR1
    fz = Fuzzer(a)
    print("%s: seed %d, %g s against %s (log %s)"
          % (NAME, a.seed, a.seconds, os.path.relpath(a.cfg, os.getcwd()),
             os.path.relpath(fz.logf.name, os.getcwd())), flush=True)
    rc = 0
    elapsed = 0.0
    try:
        elapsed = fz.run()
    except Failure as e:
        rc = 1
        report(fz, str(e))
    except KeyboardInterrupt:
        rc = 130
        print("%s: interrupted after %d messages (seed %d)" % (NAME, fz.count, a.seed))
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)  # a second ^C does not stop the cleanup
        fz.stop_kamailio()
        fz.close_sockets()
    fz.log("kinds:", dict(fz.kinds))
    fz.log("stand-ins got:", dict(fz.standin_got))
    fz.log("the trunk got from trusted senders:", dict(fz.trusted_to_trunk))
    fz.log("the phone with credentials: %d calls of its own answered, its requests "
           "checked at the stand-ins: %s" % (len(fz.phone_dialogs), dict(fz.phone_checked)))
    for line, n in fz.log_notes.most_common(20):
        fz.log("kamailio's log, %d times: %s" % (n, line.decode("latin-1")))
    for k, (s, where, got) in fz.known_seen.items():
        fz.log("known issue %s, first seen: #%d from %s:%d to the %s:\n%s\nwhich got:\n%s"
               % (k, s.idx, s.src[0], s.src[1], where, show(s.data), show(got)))
    if rc == 0:
        trusted = sum(fz.trusted_to_trunk.values())
        what = "replayed" if a.replay else "messages"
        if fz.known:
            print("%s: %d %s in %.0fs from seed %d, no crash, nothing relayed from strangers"
                  " to the trunk (%d relayed there for servers and phones); known issues: %s"
                  " (tests/fuzz/README.md)"
                  % (NAME, fz.count, what, elapsed, a.seed, trusted,
                     ", ".join("%d %s" % (n, KNOWN[k]) for k, n in sorted(fz.known.items()))))
        else:
            print("%s: %d %s in %.0fs from seed %d, no crash, nothing relayed from strangers"
                  " (%d relayed to the trunk for servers and phones)"
                  % (NAME, fz.count, what, elapsed, a.seed, trusted))
    return rc


def report(fz, text):
    a = fz.a
    fz.log("FAIL: " + text)
    print("%s: FAIL: %s" % (NAME, text))
    what, s, got, where, _ = fz.failure or ("crash", None, None, None, text)
    if fz.failure is None or s is None:
        # kamailio died or stopped answering: the last messages sent
        d = fz.save_recent()
        last = fz.recent[-1] if fz.recent else None
        if got:
            print("%s: what the %s got:\n%s" % (NAME, where, show(got)))
        elif last is not None:
            print("%s: the last message sent (#%d, %s, from %s:%d):\n%s"
                  % (NAME, last.idx, last.kind, last.src[0], last.src[1], show(last.data)))
        if fz.failure is None:
            try:
                with open(fz.kam_log, "rb") as f:
                    tail = f.read()[-3000:].decode("latin-1")
                print("%s: end of kamailio's log (%s):\n%s" % (NAME, fz.kam_log, tail))
            except (OSError, AttributeError):
                pass
        print("%s: the last %d messages are in %s" % (NAME, len(fz.recent), d))
        print("%s: reproduce with: tests/fuzz/sip_cfg_fuzz.sh --replay %s"
              % (NAME, os.path.relpath(d)))
    else:
        saved = fz.save(what, s, got, where, text)
        if s is not None:
            print("%s: the message (#%d, %s, from %s:%d over %s):\n%s"
                  % (NAME, s.idx, s.kind, s.src[0], s.src[1], s.proto, show(s.data)))
        if got:
            print("%s: what the %s got:\n%s" % (NAME, where, show(got)))
        for f in saved:
            print("%s: saved as %s (and .txt, .got)" % (NAME, os.path.relpath(f)))
            print("%s: reproduce with: tests/fuzz/sip_cfg_fuzz.sh --replay %s"
                  % (NAME, os.path.relpath(f)))
    if s is not None and s.idx < 0x80000000 and not a.replay:
        print("%s: or the stream up to it: tests/fuzz/sip_cfg_fuzz.sh %g --seed %d --count %d"
              % (NAME, max(a.seconds, 60), a.seed, s.idx + 1))
    elif not a.replay:
        print("%s: or the stream: tests/fuzz/sip_cfg_fuzz.sh %g --seed %d --count %d"
              % (NAME, max(a.seconds, 60), a.seed, fz.count))


if __name__ == "__main__":
    sys.exit(main())
