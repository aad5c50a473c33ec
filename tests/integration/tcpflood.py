#!/usr/bin/env python3
"""Idle TCP connections to the proxy from one source address, held as a
stranger would hold them, for test-tcp-limits.sh.

    tcpflood.py --src IP --port PORT [--port PORT...] --count N
                --seconds S [--reopen S2] [--ws] --status FILE

Opens N connections from IP (spread over the PORTs in turn) at up to
--rate new connections a second, and sends nothing on them (--ws: the
WebSocket upgrade of a SIP webphone, then nothing). A connection the proxy
closes or refuses is opened again a second later, for the first S2
seconds (--reopen; S unless given), after which the connections left are
only held, until S seconds have passed. Every half second FILE is
rewritten with "held opened closed": connections open now, connects that
succeeded (and, --ws, were upgraded), connections the proxy closed.
"""
import argparse
import base64
import errno
import os
import resource
import selectors
import socket
import time

IP_BIND_ADDRESS_NO_PORT = 24


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--src", required=True)
    p.add_argument("--dst", default="127.0.0.1")
    p.add_argument("--port", type=int, action="append", required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--reopen", type=float)
    p.add_argument("--rate", type=int, default=1000)
    p.add_argument("--ws", action="store_true")
    p.add_argument("--status", required=True)
    a = p.parse_args()
    reopen = a.seconds if a.reopen is None else a.reopen

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = a.count + 64
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))

    sel = selectors.DefaultSelector()
    # slot: [state, sock, due, buf]; state wait / connecting / upgrading / open
    slots = [["wait", None, 0.0, b""] for _ in range(a.count)]
    held = opened = closed = 0
    start = time.monotonic()
    next_status = 0.0
    budget, budget_t = 0.0, start

    def drop(i, by_proxy):
        nonlocal held, closed
        s = slots[i]
        if s[1] is not None:
            try:
                sel.unregister(s[1])
            except (KeyError, ValueError):
                pass
            s[1].close()
        if s[0] == "open":
            held -= 1
        if by_proxy:
            closed += 1
        s[0], s[1], s[2], s[3] = "wait", None, time.monotonic() + 1.0, b""

    def is_open(i):
        nonlocal held, opened
        slots[i][0] = "open"
        held += 1
        opened += 1

    while True:
        now = time.monotonic()
        if now - start >= a.seconds:
            break
        if now >= next_status:
            tmp = a.status + ".tmp"
            with open(tmp, "w") as f:
                f.write("%d %d %d\n" % (held, opened, closed))
            os.replace(tmp, a.status)
            next_status = now + 0.5
        budget = min(a.rate, budget + (now - budget_t) * a.rate)
        budget_t = now
        if now - start < reopen or opened < a.count:
            for i, s in enumerate(slots):
                if budget < 1:
                    break
                if s[0] != "wait" or s[2] > now:
                    continue
                if opened >= a.count and now - start >= reopen:
                    break
                budget -= 1
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sock.setsockopt(socket.SOL_IP, IP_BIND_ADDRESS_NO_PORT, 1)
                sock.bind((a.src, 0))
                sock.setblocking(False)
                rc = sock.connect_ex((a.dst, a.port[i % len(a.port)]))
                if rc not in (0, errno.EINPROGRESS):
                    sock.close()
                    s[2] = now + 1.0
                    continue
                s[0], s[1], s[2], s[3] = "connecting", sock, now + 3.0, b""
                sel.register(sock, selectors.EVENT_WRITE, i)
        for key, _ in sel.select(timeout=0.05):
            i = key.data
            s = slots[i]
            sock = s[1]
            if s[0] == "connecting":
                if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                    drop(i, True)
                    continue
                if a.ws:
                    key64 = base64.b64encode(os.urandom(16)).decode()
                    req = ("GET / HTTP/1.1\r\nHost: %s:%d\r\n"
                           "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Key: %s\r\n"
                           "Sec-WebSocket-Version: 13\r\n"
                           "Sec-WebSocket-Protocol: sip\r\n\r\n") % (
                               a.dst, a.port[i % len(a.port)], key64)
                    try:
                        sock.send(req.encode())
                    except OSError:
                        drop(i, True)
                        continue
                    s[0], s[2] = "upgrading", time.monotonic() + 5.0
                else:
                    is_open(i)
                sel.modify(sock, selectors.EVENT_READ, i)
                continue
            try:
                data = sock.recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                drop(i, True)
                continue
            if not data:
                drop(i, True)
                continue
            if s[0] == "upgrading":
                s[3] += data
                if b"\r\n\r\n" in s[3]:
                    if b" 101 " in s[3].split(b"\r\n", 1)[0] + b" ":
                        is_open(i)
                    else:
                        drop(i, True)
            # an open connection's data (a WebSocket ping) goes unanswered
        # connects or upgrades that never finish are given up and retried
        now = time.monotonic()
        for i, s in enumerate(slots):
            if s[0] in ("connecting", "upgrading") and s[2] <= now:
                drop(i, True)

    with open(a.status, "w") as f:
        f.write("%d %d %d\n" % (held, opened, closed))


if __name__ == "__main__":
    main()
