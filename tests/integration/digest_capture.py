#!/usr/bin/env python3
"""A digest response captured before it was delivered, for test-abuse.sh.

The phone (PHONE_IP) sends REGISTER and gets a challenge; its answer (qop=auth,
nc=00000001) is taken by an eavesdropper, who sends it first from
ATTACKER_IP with a Contact of its own. Then the phone sends it, then the
same answer again (a replay). Prints one status line each:

    elsewhere: <status>   phone: <status>   replay: <status>

    digest_capture.py PORT USER PASSWORD PHONE_IP ATTACKER_IP
"""
import hashlib
import re
import socket
import sys
import uuid


def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


def request(user, port, local, cseq, callid, contact, auth=None):
    ip, lport = local
    lines = [
        "REGISTER sip:127.0.0.1:%d SIP/2.0" % port,
        "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bK-%s;rport" % (ip, lport, uuid.uuid4().hex),
        "Max-Forwards: 70",
        "From: <sip:%s@127.0.0.1>;tag=cap1" % user,
        "To: <sip:%s@127.0.0.1>" % user,
        "Call-ID: %s" % callid,
        "CSeq: %d REGISTER" % cseq,
        "Contact: <sip:%s@%s>" % (user, contact),
        "Expires: 600",
    ]
    if auth:
        lines.append("Authorization: " + auth)
    lines += ["Content-Length: 0", "", ""]
    return "\r\n".join(lines).encode()


def send(sock, data, port):
    sock.sendto(data, ("127.0.0.1", port))
    try:
        reply = sock.recv(65535).decode("latin-1")
    except socket.timeout:
        return "no reply", ""
    return reply.split("\r\n", 1)[0], reply


def main():
    port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    phone_ip, attacker_ip = sys.argv[4], sys.argv[5]
    phone = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    phone.bind((phone_ip, 0))
    attacker = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    attacker.bind((attacker_ip, 0))
    for s in (phone, attacker):
        s.settimeout(2.0)
    callid = uuid.uuid4().hex
    p_local = phone.getsockname()
    a_local = attacker.getsockname()

    status, reply = send(phone, request(user, port, p_local, 1, callid,
                                        "%s:%d" % p_local), port)
    challenge = re.search(r"WWW-Authenticate: Digest (.*)\r\n", reply)
    if not challenge:
        print("no challenge: %s" % status)
        sys.exit(1)
    params = dict(re.findall(r'(\w+)="?([^",]*)"?', challenge.group(1)))
    realm, nonce = params["realm"], params["nonce"]
    uri = "sip:127.0.0.1:%d" % port
    cnonce, nc = uuid.uuid4().hex[:16], "00000001"
    ha1 = md5("%s:%s:%s" % (user, realm, password))
    ha2 = md5("REGISTER:%s" % uri)
    if "qop" in params:
        response = md5("%s:%s:%s:%s:auth:%s" % (ha1, nonce, nc, cnonce, ha2))
        auth = ('Digest username="%s", realm="%s", nonce="%s", uri="%s", '
                'response="%s", algorithm=MD5, qop=auth, nc=%s, cnonce="%s"'
                % (user, realm, nonce, uri, response, nc, cnonce))
    else:
        response = md5("%s:%s:%s" % (ha1, nonce, ha2))
        auth = ('Digest username="%s", realm="%s", nonce="%s", uri="%s", '
                'response="%s", algorithm=MD5' % (user, realm, nonce, uri, response))

    # the eavesdropper's own Contact, the phone's answer
    status, _ = send(attacker, request(user, port, a_local, 2, callid,
                                       "%s:%d" % a_local, auth), port)
    print("elsewhere: %s" % status)
    status, _ = send(phone, request(user, port, p_local, 2, callid,
                                    "%s:%d" % p_local, auth), port)
    print("phone: %s" % status)
    status, _ = send(phone, request(user, port, p_local, 3, callid,
                                    "%s:%d" % p_local, auth), port)
    print("replay: %s" % status)


if __name__ == "__main__":
    main()
