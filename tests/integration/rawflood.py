#!/usr/bin/env python3
"""Sends UDP datagrams with a forged source address through a raw socket
(root only), as an attacker who cannot receive the replies does. Each
datagram is FILE with {n} replaced by its number (unique Call-IDs and
branches). Used by test-office.sh.

    rawflood.py SRCIP SRCPORT DSTIP DSTPORT COUNT FILE

Prints how many datagrams were sent.
"""
import socket
import struct
import sys


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def datagram(src, sport, dst, dport, payload, ident):
    udp_len = 8 + len(payload)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack(
        "!BBH", 0, socket.IPPROTO_UDP, udp_len)
    udp = struct.pack("!HHHH", sport, dport, udp_len, 0)
    csum = checksum(pseudo + udp + payload) or 0xFFFF
    udp = struct.pack("!HHHH", sport, dport, udp_len, csum)
    total = 20 + udp_len
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, ident & 0xFFFF, 0, 64,
                     socket.IPPROTO_UDP, 0, socket.inet_aton(src),
                     socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + udp + payload


def main():
    src, sport, dst, dport, count, path = sys.argv[1:7]
    sport, dport, count = int(sport), int(dport), int(count)
    with open(path, "rb") as f:
        template = f.read()
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    sent = 0
    for n in range(count):
        payload = template.replace(b"{n}", str(n).encode())
        sock.sendto(datagram(src, sport, dst, dport, payload, n), (dst, 0))
        sent += 1
    print(sent)


if __name__ == "__main__":
    main()
