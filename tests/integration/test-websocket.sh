# SIP over WebSocket (RFC 7118, WITH_WEBSOCKET): VICIdial's webphone
# registers over ws:// (and wss:// on its own TLS listener, WSS_LISTEN) and
# gets its calls on its WebSocket; a WebSocket is a phone's whatever its
# address; a webphone whose connection is gone is answered 480. Sourced by
# run.sh.

WS_PORT=25088
TLS_PORT=25061
WSS_PORT=25089
check "a self-signed certificate is made" \
	"$TOP/scripts/tls-selfsigned.sh" "$WORK/ws-tls/proxy.crt" "$WORK/ws-tls/proxy.key"
check "kamailio starts with ws:// on $WS_PORT and wss:// on $WSS_PORT" \
	start_kamailio websocket -A HTTP_IDLE_TIMEOUT=2 -A WITH_WEBSOCKET \
	-A "WS_LISTEN=tcp:127.0.0.1:$WS_PORT" -A WITH_TLS \
	-A "TLS_LISTEN=tls:127.0.0.1:$TLS_PORT" -A "WSS_LISTEN=tls:127.0.0.1:$WSS_PORT" \
	-A "TLS_CERT=\"$WORK/ws-tls/proxy.crt\"" -A "TLS_KEY=\"$WORK/ws-tls/proxy.key\""

check "a webphone registers over ws://" \
	start_phone ws-phone load005 secret-005 8 --transport ws \
	--proxy "127.0.0.1:$WS_PORT"
check "its binding is reached over its WebSocket (received ;transport=ws)" \
	sh -c "kamcmd -s '$CTL' ul.lookup location load005 | grep -q 'Received: sip:127.0.0.1:[0-9]*;transport=ws'"
sleep 3
check "an Asterisk server's call reaches the webphone and is answered" \
	call ws-call load005
expect_eq "the webphone got INVITE, ACK and BYE on its WebSocket" 3 \
	"$(phone_got ws-phone '"method": "(INVITE|ACK|BYE)"')"

check "a webphone registers over wss:// on its own listener" \
	start_phone wss-phone load006 secret-006 5 --transport wss \
	--proxy "127.0.0.1:$WSS_PORT"
check "an Asterisk server's call reaches it over wss:// and is answered" \
	call wss-call load006
expect_eq "the wss:// webphone got INVITE, ACK and BYE" 3 \
	"$(phone_got wss-phone '"method": "(INVITE|ACK|BYE)"')"

python3 "$SIPUA" --proxy "127.0.0.1:$TLS_PORT" --transport wss \
	--user load007 --password secret-007 >"$WORK/wss-on-tls.out" 2>&1
expect_eq "no WebSocket on the SIP-over-TLS listener ($TLS_PORT)" \
	"REGISTER failed" "$(head -1 "$WORK/wss-on-tls.out" | cut -d: -f1)"

# A WebSocket is a phone's, whatever its address: 127.0.0.1 is trusted as
# an Asterisk server here (fixtures/address.list), yet a webphone there is
# challenged and its call goes to its home server as a phone's.
check "its home server 127.0.0.2 is listening" start_uas ws-home 5060 1 127.0.0.2
from_phone=$(stat calls_from_phone)
from_server=$(stat calls_from_server)
python3 "$SIPUA" --proxy "127.0.0.1:$WS_PORT" --transport ws \
	--user load007 --password secret-007 --call 8600051 >"$WORK/ws-caller.out" 2>&1
expect_eq "a webphone on a server's address calls 8600051 as a phone" \
	"INVITE 200 $((from_phone + 1)) $from_server" \
	"$(grep '^INVITE' "$WORK/ws-caller.out") $(stat calls_from_phone) $(stat calls_from_server)"
stop_uas ws-home
check "its home server got the call" grep -q "^INVITE sip:8600051@" "$WORK/ws-home.msg"

# A webphone whose connection is gone (its tab closed): a call to it is
# answered as to an unregistered phone, and its binding is dropped.
check "a webphone registers over ws:// and goes away" \
	start_phone ws-gone load008 secret-008 0.5 --transport ws \
	--proxy "127.0.0.1:$WS_PORT"
sleep 1
check "an Asterisk server's call to it gets 404 or 480 (not 500)" \
	call ws-gone-call load008 call-unavailable.xml
check "its binding is dropped" \
	sh -c "! kamcmd -s '$CTL' ul.lookup location load008 2>&1 | grep -q 'Contact:'"

python3 "$SIPUA" --proxy "127.0.0.1:$WS_PORT" --transport ws \
	--user load007 --password wrong >"$WORK/ws-wrong.out" 2>&1
expect_eq "a wrong password over ws:// is refused like on UDP" "REGISTER 401" \
	"$(head -1 "$WORK/ws-wrong.out")"

# The ws:// socket is for SIP over WebSocket only: no admin HTTP, no SIP
# over bare TCP.
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$WS_PORT/metrics")
expect_eq "HTTP without an upgrade on the ws:// socket: 404, no metrics" 404 "$code"
reply=$(printf 'OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bKx\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1>\r\nCall-ID: bare-tcp\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n' |
	timeout 3 python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(sys.stdin.buffer.read()); s.settimeout(2)
try: print(s.recv(100).split(b"\r\n")[0].decode())
except Exception: print("no reply")' "$WS_PORT")
expect_eq "SIP over bare TCP on the ws:// socket gets nothing" "no reply" "$reply"
stop_phones
stop_kamailio
