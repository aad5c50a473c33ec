#!/usr/bin/env python3
"""HTTP over one TCP connection to the proxy's HTTP socket, for
test-abuse.sh. Prints the status code of the answer, then 'closed' when the
proxy closed the connection within WAIT seconds, else 'open'.

    httpcheck.py PORT METHOD PATH [BODY [USER:PASSWORD [WAIT]]]
    httpcheck.py PORT idle WAIT      (connects, sends nothing: closed/open
                                      and the seconds it took)
"""
import base64
import socket
import sys
import time


def wait_close(s, wait):
    start = time.monotonic()
    s.settimeout(0.5)
    while time.monotonic() - start < wait:
        try:
            if not s.recv(65535):
                return "closed", time.monotonic() - start
        except socket.timeout:
            continue
        except ConnectionResetError:
            return "closed", time.monotonic() - start
    return "open", wait


def main():
    port = int(sys.argv[1])
    s = socket.create_connection(("127.0.0.1", port), timeout=3)
    if sys.argv[2] == "idle":
        state, took = wait_close(s, float(sys.argv[3]))
        print("%s %.1f" % (state, took))
        return
    method, path = sys.argv[2], sys.argv[3]
    body = sys.argv[4].encode() if len(sys.argv) > 4 else b""
    head = "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n" % (method, path)
    if len(sys.argv) > 5 and sys.argv[5]:
        head += "Authorization: Basic %s\r\n" % base64.b64encode(
            sys.argv[5].encode()).decode()
    head += "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
    s.sendall(head.encode() + body)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65535)
        if not chunk:
            break
        data += chunk
    status = data.split(b" ", 2)[1].decode() if data.count(b" ") >= 2 else "none"
    wait = float(sys.argv[6]) if len(sys.argv) > 6 else 1.0
    state, _ = wait_close(s, wait)
    print("%s %s" % (status, state))


if __name__ == "__main__":
    main()
