#!/usr/bin/env python3
"""Sends SIP datagrams as they are, malformed ones included, and prints the
status line of each reply (or 'no reply'). Used by test-hostile.sh.

    rawsip.py HOST PORT [LOCALIP:]LOCALPORT FILE...   (one datagram per file)
"""
import socket
import sys


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    local_ip, _, local = sys.argv[3].rpartition(":")
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((local_ip or "127.0.0.1", int(local)))
    sock.settimeout(1.0)
    for path in sys.argv[4:]:
        with open(path, "rb") as f:
            data = f.read()
        sock.sendto(data, (host, port))
        try:
            reply = sock.recv(65535)
            line = reply.split(b"\r\n", 1)[0].decode("latin-1")
        except socket.timeout:
            line = "no reply"
        print("%s: %s" % (path.rsplit("/", 1)[-1], line))


if __name__ == "__main__":
    main()
