# What a stranger must not get through the proxy: a call out a trunk by a
# forged in-dialog request, the admin interface over the SIP socket, SIP
# over the HTTP socket. Each was seen to get through the cfg before the
# dialog check and the HTTP socket's name. Sourced by run.sh.

M=$WORK/abuse
mkdir -p "$M"
: >"$WORK/address-nobody.list"

# sipmsg FILE REQUEST-LINE [HEADER...]: a datagram as a stranger on
# 127.0.0.1:25079 sends it.
sipmsg() {
	local f=$1 rl=$2 h
	shift 2
	{
		printf '%s\r\n' "$rl"
		printf 'Via: SIP/2.0/UDP 127.0.0.1:25079;branch=z9hG4bK-%s\r\n' "$(basename "$f")"
		printf 'Max-Forwards: 70\r\n'
		printf 'From: <sip:fraud@127.0.0.1:25079>;tag=a1\r\n'
		printf 'Call-ID: %s@127.0.0.1\r\n' "$(basename "$f")"
		printf 'Contact: <sip:fraud@127.0.0.1:25079>\r\n'
		for h in "$@"; do printf '%s\r\n' "$h"; done
		printf 'Content-Length: 0\r\n\r\n'
	} >"$f"
}

ADDRESS_LIST_FILE=$WORK/address-nobody.list
check "kamailio starts trusting nobody by address list" start_kamailio abuse
unset ADDRESS_LIST_FILE

# --- 1. toll fraud by a forged in-dialog INVITE, both Route forms ---
check "trunk A is listening" start_uas abuse-trunk 25082 1
sipmsg "$M/indialog-proxy" "INVITE sip:13125551234@127.0.0.1:25082 SIP/2.0" \
	"To: <sip:13125551234@127.0.0.1>;tag=b2" "CSeq: 1 INVITE" \
	"Route: <sip:127.0.0.1:$KAMAILIO_PORT;lr>"
sipmsg "$M/indialog-trunk" "INVITE sip:13125551234@127.0.0.1:$KAMAILIO_PORT SIP/2.0" \
	"To: <sip:13125551234@127.0.0.1>;tag=b2" "CSeq: 1 INVITE" \
	"Route: <sip:127.0.0.1:25082;lr>"
sipmsg "$M/indialog-bye" "BYE sip:13125551234@127.0.0.1:25082 SIP/2.0" \
	"To: <sip:13125551234@127.0.0.1>;tag=b2" "CSeq: 2 BYE" \
	"Route: <sip:127.0.0.1:$KAMAILIO_PORT;lr>"
python3 "$TOP/tests/integration/rawsip.py" 127.0.0.1 "$KAMAILIO_PORT" 25079 \
	"$M"/indialog-* >"$WORK/abuse-indialog.txt" 2>&1
expect_eq "a forged in-dialog INVITE routed at the proxy gets 404" \
	"indialog-proxy: SIP/2.0 404 Not here" "$(grep '^indialog-proxy:' "$WORK/abuse-indialog.txt")"
expect_eq "a forged in-dialog INVITE with a Route naming the trunk gets 404" \
	"indialog-trunk: SIP/2.0 404 Not here" "$(grep '^indialog-trunk:' "$WORK/abuse-indialog.txt")"
expect_eq "a forged in-dialog BYE gets 404" \
	"indialog-bye: SIP/2.0 404 Not here" "$(grep '^indialog-bye:' "$WORK/abuse-indialog.txt")"
sleep 1
stop_uas abuse-trunk
expect_eq "the trunk got nothing" 0 "$(grep -c '^INVITE\|^BYE' "$WORK/abuse-trunk.msg")"
check "the refusals are logged" \
	grep -q "in-dialog INVITE from 127.0.0.1:25079 for no dialog of ours: refused" "$KAMAILIO_LOG"

# A real call's in-dialog requests still pass: an Asterisk server (the
# servers table's 127.0.0.2) dials out, then hangs up through the proxy.
check "trunk A is listening for a real call" start_uas abuse-real 25082 1
check "a server's call out, with its ACK and BYE, goes through" \
	call_from abuse-real-call 127.0.0.2 5060 913125550300
check "the trunk took the call and its BYE" wait_uas abuse-real

# --- 2. the admin interface only on the HTTP socket, over TCP ---
printf 'POST /RPC HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 51\r\n\r\n{"jsonrpc":"2.0","method":"core.version","id":1}\r\n' \
	>"$M/http-rpc"
printf 'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n' >"$M/http-metrics"
printf 'GET /vicidial/non_agent_api.php?function=version HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n' >"$M/http-api"
python3 "$TOP/tests/integration/rawsip.py" 127.0.0.1 "$KAMAILIO_PORT" 25079 \
	"$M"/http-* >"$WORK/abuse-http.txt" 2>&1
sed 's/^/#   /' "$WORK/abuse-http.txt"
expect_eq "JSON-RPC, /metrics and the API in a datagram on the SIP port get nothing" 3 \
	"$(grep -c ': no reply$' "$WORK/abuse-http.txt")"
check "JSON-RPC still answers over TCP on the HTTP socket" \
	sh -c "curl -s -u admin:$RPC_SECRET -d '{\"jsonrpc\":\"2.0\",\"method\":\"core.version\",\"id\":1}' http://127.0.0.1:$HTTP_PORT/RPC | grep -q kamailio"
http() { python3 "$TOP/tests/integration/httpcheck.py" "$HTTP_PORT" "$@"; }
rpc() { echo "{\"jsonrpc\":\"2.0\",\"method\":\"$1\",\"params\":[${2-}],\"id\":1}"; }
expect_eq "JSON-RPC without credentials: 401" "401 open" "$(http POST /RPC "$(rpc core.version)")"
expect_eq "JSON-RPC with a wrong password: 401" "401 open" \
	"$(http POST /RPC "$(rpc core.version)" admin:wrong)"
expect_eq "core.kill with the right credentials: 403 (not in rpc_allow)" "403 open" \
	"$(http POST /RPC "$(rpc core.kill)" "admin:$RPC_SECRET")"
expect_eq "ul.add: 403" "403 open" \
	"$(http POST /RPC "$(rpc ul.add '"location","t100","sip:t100@127.0.0.9",600,1,".",0,0,0')" "admin:$RPC_SECRET")"
expect_eq "core.kill spelt with a JSON escape: 403" "403 open" \
	"$(http POST /RPC '{"jsonrpc":"2.0","method":"core\u002ekill","id":1}' "admin:$RPC_SECRET")"
http POST /RPC '{"jsonrpc":"2.0","method":"core.version","method":"core.kill","id":1}' "admin:$RPC_SECRET" >/dev/null
check "a request naming two methods runs the one checked: kamailio is alive" \
	kill -0 "$KAMAILIO_PID"
expect_eq "phones.get with the right credentials: 200" "200 open" \
	"$(http POST /RPC "$(rpc phones.get '"t100"')" "admin:$RPC_SECRET")"
check "nobody was bound by ul.add" sh -c "! kamcmd -s '$CTL' ul.lookup location t100 2>&1 | grep -q 127.0.0.9"
# SIP over TCP on the HTTP socket: no SIP answer.
sip_over_http=$(python3 - "$HTTP_PORT" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2)
s.sendall(b"OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:25079;branch=z9hG4bK-t1\r\n"
          b"From: <sip:x@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1>\r\nCall-ID: t1\r\nCSeq: 1 OPTIONS\r\n"
          b"Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
try:
    data = s.recv(4096)
    print(data.split(b"\r\n", 1)[0].decode("latin-1") if data else "closed")
except socket.timeout:
    print("no reply")
PY
)
check "SIP over TCP on the HTTP socket gets no SIP answer ($sip_over_http)" \
	test "$sip_over_http" = "no reply" -o "$sip_over_http" = "closed"

# --- 4. strangers reach no phone; servers and phones do ---
expect_eq "t100 is registered at a phone on 25085" "" \
	"$(kamcmd -s "$CTL" ul.add location t100 sip:t100@127.0.0.1:25085 600 1.0 . 0 0 4294967295 2>&1)"
for u in t100 t101 nobody; do
	for m in OPTIONS MESSAGE NOTIFY; do
		sipmsg "$M/stranger-$m-$u" "$m sip:$u@127.0.0.1:$KAMAILIO_PORT SIP/2.0" \
			"To: <sip:$u@127.0.0.1>" "CSeq: 1 $m" "Event: check-sync"
	done
done
# forged: an ACK and a PRACK outside any dialog, From without a user (the
# auth module takes both for authenticated: they cannot be challenged)
for m in ACK PRACK; do
	sipmsg "$M/forged-$m" "$m sip:t100@127.0.0.1:$KAMAILIO_PORT SIP/2.0" \
		"To: <sip:t100@127.0.0.1>" "CSeq: 1 $m"
	sed -i 's/^From: .*/From: <sip:127.0.0.1>;tag=1\r/' "$M/forged-$m"
done
check "the phone t100 is listening" start_uas abuse-phone 25085 1 127.0.0.1 uas-notify.xml
python3 "$TOP/tests/integration/rawsip.py" 127.0.0.1 "$KAMAILIO_PORT" 127.0.0.4:25079 \
	"$M"/forged-* >"$WORK/abuse-forged.txt" 2>&1
expect_eq "a stranger's ACK and PRACK outside a dialog get nothing" \
	"forged-ACK: no reply forged-PRACK: no reply" "$(xargs <"$WORK/abuse-forged.txt")"
python3 "$TOP/tests/integration/rawsip.py" 127.0.0.1 "$KAMAILIO_PORT" 25079 \
	"$M"/stranger-* >"$WORK/abuse-stranger.txt" 2>&1
expect_eq "a stranger's OPTIONS, MESSAGE and NOTIFY get 407 for a registered, an unregistered and an unknown extension alike" \
	"9 1" "$(grep -c ': SIP/2.0 407 ' "$WORK/abuse-stranger.txt") $(sed 's/^[^:]*: //' "$WORK/abuse-stranger.txt" | sort -u | wc -l)"
sipmsg "$M/server-notify" "NOTIFY sip:t100@127.0.0.1:$KAMAILIO_PORT SIP/2.0" \
	"To: <sip:t100@127.0.0.1>" "CSeq: 1 NOTIFY" "Event: check-sync"
# sent by the server 127.0.0.2:5060: its Via and Contact say so
sed -i 's/127\.0\.0\.1:25079/127.0.0.2:5060/g' "$M/server-notify"
python3 "$TOP/tests/integration/rawsip.py" 127.0.0.1 "$KAMAILIO_PORT" 127.0.0.2:5060 \
	"$M/server-notify" >"$WORK/abuse-server.txt" 2>&1
expect_eq "an Asterisk server's NOTIFY check-sync reaches the phone" \
	"server-notify: SIP/2.0 200 OK" "$(cat "$WORK/abuse-server.txt")"
check "the phone took it, and nothing of the stranger's" wait_uas abuse-phone
expect_eq "the phone got one NOTIFY" 1 "$(grep -c '^NOTIFY ' "$WORK/abuse-phone.msg")"
# a response matching no transaction, whose second Via names the trunk's
# address: never forwarded
forged_reply=$(python3 - "$KAMAILIO_PORT" <<'PY'
import socket, sys
port = int(sys.argv[1])
trunk = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
trunk.bind(("127.0.0.3", 25099))
trunk.settimeout(1.5)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.4", 0))
s.sendto(("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bKabc\r\n"
          "Via: SIP/2.0/UDP 127.0.0.3:25099;branch=z9hG4bKdef\r\n"
          "From: <sip:a@127.0.0.3>;tag=1\r\nTo: <sip:b@127.0.0.1>;tag=2\r\n"
          "Call-ID: forged-resp\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"
          % port).encode(), ("127.0.0.1", port))
try:
    trunk.recv(65535)
    print("forwarded")
except socket.timeout:
    print("dropped")
PY
)
expect_eq "a stranger's response matching no transaction is not forwarded" dropped "$forged_reply"
check "kamailio is still alive" kamailio_alive
stop_kamailio

# --- 6. a digest answer is good once, from where it was asked ---
check "kamailio starts" start_kamailio abuse-digest
python3 "$TOP/tests/integration/digest_capture.py" "$KAMAILIO_PORT" t100 pw-t100 \
	127.0.0.1 127.0.0.4 >"$WORK/digest.txt" 2>&1
sed 's/^/#   /' "$WORK/digest.txt"
check "a captured answer sent first from elsewhere is refused" \
	grep -q "^elsewhere: SIP/2.0 401" "$WORK/digest.txt"
check "and the eavesdropper's Contact is not bound" \
	sh -c "! kamcmd -s '$CTL' ul.lookup location t100 2>&1 | grep -q 127.0.0.4"
check "the same answer sent again is refused (one-time nonce)" \
	grep -q "^replay: SIP/2.0 401" "$WORK/digest.txt"
csv "$WORK/digest-ok.csv" "$(auth_line t100 pw-t100)"
check "a phone's own fresh registration is accepted" \
	sipp_run digest-ok register-accepted.xml "$WORK/digest-ok.csv" 1
stop_kamailio

# --- 5. HTTP from outside HTTP_NETS closed at once; idle connections go ---
check "kamailio starts with HTTP_NETS 127.0.0.2/32 and a 2 s idle timeout" \
	start_kamailio abuse-http -A 'HTTP_NETS="127.0.0.2/32"' -A HTTP_IDLE_TIMEOUT=2
expect_eq "a request from outside HTTP_NETS: 403, connection closed" "403 closed" \
	"$(http GET /metrics "" "" 1)"
idle=$(http idle 20)
check "an idle connection is closed within 10 s ($idle)" \
	sh -c "[ '${idle%% *}' = closed ] && [ \$(echo '${idle#* }' | cut -d. -f1) -lt 10 ]"
stop_kamailio
RPC_SECRET_KEEP=$RPC_SECRET RPC_SECRET=
check "kamailio starts without RPC_PASSWORD" start_kamailio abuse-norpc
RPC_SECRET=$RPC_SECRET_KEEP
expect_eq "then /RPC is off, even with credentials: 403" "403 open" \
	"$(http POST /RPC "$(rpc core.version)" "admin:$RPC_SECRET")"
stop_kamailio

# --- 7. sqlite:///abs/path is that path whatever the working directory ---
check "kamailio started in another working directory (-w /tmp) starts" \
	start_kamailio abuse-wd -w /tmp
check "and loads its phones" grep -q "loaded [0-9]* phone entries" "$KAMAILIO_LOG"
stop_kamailio
