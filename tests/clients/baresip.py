#!/usr/bin/env python3
"""Drives Debian's baresip (1.0) for tests/integration/test-clients.sh: one
account, over UDP, TCP or TLS, registered with the proxy, then the steps
given, through baresip's ctrl_tcp module (netstring JSON commands and
events). Prints one line per step:

    baresip.py --dir DIR --user EXT --password PW --transport tcp \\
        --proxy 127.0.0.1:25060 --bind 127.0.0.11 --ctrl 25112 \\
        [--cafile CRT] STEP...

STEP: register (prints "registered" or "register failed: ..."),
dial:NUMBER ("call NUMBER established", or "call NUMBER closed: REASON"),
hangup ("hung up"), incoming ("incoming-ready", then the call answered,
"incoming established", and "incoming closed" when the caller hangs up).
Exits 1 on the first step that does not go so, or after --timeout seconds.
"""
import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

CONFIG = """poll_method epoll
sip_listen {bind}:0
{cafile}call_local_timeout 120
audio_player aubridge,x
audio_source ausine,440
audio_alert aubridge,x
ausrc_srate 48000
auplay_srate 48000
ausrc_channels 2
auplay_channels 1
rtp_ports {rtp}
net_interface {bind}
module_path /usr/lib/baresip/modules
module g711.so
module ausine.so
module aubridge.so
module_app account.so
module_app menu.so
module_app ctrl_tcp.so
ctrl_tcp_listen 127.0.0.1:{ctrl}
"""


def netstring(obj):
    data = json.dumps(obj).encode()
    return b"%d:%s," % (len(data), data)


class Ctrl:
    def __init__(self, port, deadline):
        self.deadline = deadline
        end = time.time() + 10
        while True:
            try:
                self.s = socket.create_connection(("127.0.0.1", port), 1)
                break
            except OSError:
                if time.time() > end:
                    raise
                time.sleep(0.1)
        self.buf = b""

    def send(self, command, params=""):
        self.s.sendall(netstring({"command": command, "params": params,
                                  "token": command}))

    def next(self):
        while True:
            colon = self.buf.find(b":")
            if colon > 0:
                n = int(self.buf[:colon])
                if len(self.buf) >= colon + n + 2:
                    msg = self.buf[colon + 1:colon + 1 + n]
                    self.buf = self.buf[colon + n + 2:]
                    return json.loads(msg)
            left = self.deadline - time.time()
            if left <= 0:
                raise TimeoutError("timeout")
            self.s.settimeout(left)
            data = self.s.recv(4096)
            if not data:
                raise EOFError("baresip closed its control connection")
            self.buf += data

    def register_state(self):
        """OK or ERR (what reginfo shows), or the REGISTER_FAIL event's
        reason."""
        while True:
            self.send("reginfo")
            end = time.time() + 0.5
            while time.time() < end:
                try:
                    saved, self.deadline = self.deadline, min(self.deadline, end)
                    m = self.next()
                except TimeoutError:
                    break
                finally:
                    self.deadline = saved
                if m.get("event") and m.get("type") == "REGISTER_FAIL":
                    return "REGISTER_FAIL " + m.get("param", "")
                if m.get("response"):
                    data = re.sub(r"\x1b\[[0-9;]*m", "", m.get("data", ""))
                    if re.search(r"\bOK\b", data):
                        return "OK"
                    if re.search(r"\bERR\b", data):
                        return "ERR"
            if time.time() > self.deadline:
                raise TimeoutError("timeout: registration")

    def event(self, *types):
        while True:
            m = self.next()
            if m.get("event") and m.get("type") in types:
                return m


def main():
    p = argparse.ArgumentParser()
    for o in ("dir", "user", "password", "proxy", "ctrl"):
        p.add_argument("--" + o, required=True)
    p.add_argument("--transport", default="udp", choices=["udp", "tcp", "tls"])
    p.add_argument("--bind", default="127.0.0.1")
    p.add_argument("--domain", default="127.0.0.1")
    p.add_argument("--cafile")
    p.add_argument("--rtp", default="30200-30299")
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("steps", nargs="*")
    a = p.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    with open(os.path.join(a.dir, "config"), "w") as f:
        f.write(CONFIG.format(bind=a.bind, ctrl=a.ctrl, rtp=a.rtp,
                              cafile="sip_cafile %s\n" % a.cafile if a.cafile else ""))
    with open(os.path.join(a.dir, "accounts"), "w") as f:
        f.write('<sip:{u}@{d};transport={t}>;auth_pass={pw};'
                'outbound="sip:{px};transport={t}";regint=120;'
                'answermode=auto\n'.format(u=a.user, d=a.domain, t=a.transport,
                                          pw=a.password, px=a.proxy))
    log = open(os.path.join(a.dir, "baresip.log"), "w")
    bs = subprocess.Popen(["baresip", "-f", a.dir], stdin=subprocess.DEVNULL,
                          stdout=log, stderr=subprocess.STDOUT)
    status = 0
    try:
        c = Ctrl(int(a.ctrl), time.time() + a.timeout)
        for step in a.steps:
            if step == "register":
                # it registers as it starts, maybe before this connection:
                # its registration state is asked until it is known
                state = c.register_state()
                if state == "OK":
                    print("registered", flush=True)
                else:
                    print("register failed: %s" % state, flush=True)
                    status = 1
                    break
            elif step.startswith("dial:"):
                number = step[5:]
                c.send("dial", "sip:%s@%s" % (number, a.domain))
                m = c.event("CALL_ESTABLISHED", "CALL_CLOSED")
                if m["type"] == "CALL_ESTABLISHED":
                    print("call %s established" % number, flush=True)
                else:
                    print("call %s closed: %s" % (number, m.get("param", "")), flush=True)
                    status = 1
                    break
            elif step == "hangup":
                c.send("hangup")
                c.event("CALL_CLOSED")
                print("hung up", flush=True)
            elif step == "incoming":
                print("incoming-ready", flush=True)
                c.event("CALL_ESTABLISHED")
                print("incoming established", flush=True)
                m = c.event("CALL_CLOSED")
                print("incoming closed: %s" % m.get("param", ""), flush=True)
            else:
                print("unknown step %s" % step, flush=True)
                status = 2
                break
    except (OSError, EOFError, TimeoutError, ValueError) as e:
        print("%s: %s" % (type(e).__name__, e), flush=True)
        status = 1
    finally:
        bs.send_signal(signal.SIGTERM)
        try:
            bs.wait(5)
        except subprocess.TimeoutExpired:
            bs.kill()
            bs.wait()
    return status


if __name__ == "__main__":
    sys.exit(main())
