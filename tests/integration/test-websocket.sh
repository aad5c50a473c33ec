# SIP over WebSocket (RFC 7118, WITH_WEBSOCKET): VICIdial's webphone
# registers over ws:// (and wss:// on the TLS listener) and gets its calls
# on its WebSocket. Sourced by run.sh.

WS_PORT=25088
TLS_PORT=25061
check "a self-signed certificate is made" \
	"$TOP/scripts/tls-selfsigned.sh" "$WORK/ws-tls/proxy.crt" "$WORK/ws-tls/proxy.key"
check "kamailio starts with ws:// on $WS_PORT and wss:// on $TLS_PORT" \
	start_kamailio websocket -A HTTP_IDLE_TIMEOUT=2 -A WITH_WEBSOCKET \
	-A "WS_LISTEN=tcp:127.0.0.1:$WS_PORT" -A WITH_TLS \
	-A "TLS_LISTEN=tls:127.0.0.1:$TLS_PORT" \
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

check "a webphone registers over wss://" \
	start_phone wss-phone load006 secret-006 5 --transport wss \
	--proxy "127.0.0.1:$TLS_PORT"
check "an Asterisk server's call reaches it over wss:// and is answered" \
	call wss-call load006
expect_eq "the wss:// webphone got INVITE, ACK and BYE" 3 \
	"$(phone_got wss-phone '"method": "(INVITE|ACK|BYE)"')"

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
