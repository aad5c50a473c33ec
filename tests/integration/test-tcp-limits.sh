# Strangers cannot hold every TCP slot (issue 26): 2,100 idle connections
# from two addresses (1,050 from 127.0.0.50 on the SIP TCP and TLS sockets,
# never a byte; 1,050 WebSocket upgrades from 127.0.0.51, then nothing),
# each reopened a second after the proxy closes it, more than Kamailio's
# 2,048 default slots. Meanwhile a new TLS phone, a new ws:// and a new
# wss:// webphone register and the admin HTTP answers JSON-RPC; each
# address is cut to TCP_PER_ADDRESS (500) connections; a connection that
# never sends a byte is closed after TCP_IDLE_TIMEOUT (10 s), on the TLS
# socket too. Sourced by run.sh.

TLS_PORT=25061
WS_PORT=25088
WSS_PORT=25089
FLOOD_EACH=1050
FLOOD_REOPEN=25
PER_ADDRESS=500
# the flood's 2,100 sockets and the proxy's as many, in this shell's
# processes
[ "$(ulimit -n)" -ge 8192 ] || ulimit -n 8192 2>/dev/null

check "a self-signed certificate is made" \
	"$TOP/scripts/tls-selfsigned.sh" "$WORK/tcp-tls/proxy.crt" "$WORK/tcp-tls/proxy.key"
check "kamailio starts with TCP, TLS, ws:// and wss://" \
	start_kamailio tcp-limits -A WITH_TLS -A WITH_WEBSOCKET \
	-A "TLS_LISTEN=tls:127.0.0.1:$TLS_PORT" -A "WS_LISTEN=tcp:127.0.0.1:$WS_PORT" \
	-A "WSS_LISTEN=tls:127.0.0.1:$WSS_PORT" \
	-A "TLS_CERT=\"$WORK/tcp-tls/proxy.crt\"" -A "TLS_KEY=\"$WORK/tcp-tls/proxy.key\""

# A connection that never sends a byte, on the TLS socket (whose own
# idle time was the tls module's 600 s), watched while the flood runs.
python3 "$TOP/tests/integration/httpcheck.py" "$TLS_PORT" idle 16 \
	>"$WORK/tcp-idle-tls.out" 2>&1 &
idle_pid=$!
sleep 0.5

flood() {
	local name=$1
	shift
	python3 "$TOP/tests/integration/tcpflood.py" --count "$FLOOD_EACH" \
		--seconds $((FLOOD_REOPEN + 8)) --reopen "$FLOOD_REOPEN" \
		--status "$WORK/$name.status" "$@" >"$WORK/$name.out" 2>&1 &
}
flood flood50 --src 127.0.0.50 --port "$KAMAILIO_PORT" --port "$TLS_PORT"
flood50_pid=$!
flood flood51 --src 127.0.0.51 --port "$WS_PORT" --ws
flood51_pid=$!
flood_started=$(date +%s)
# until each has opened its 1,050 (refused ones count as they are
# accepted first), and a few seconds more
for i in $(seq 60); do
	o50=$(cut -d' ' -f2 "$WORK/flood50.status" 2>/dev/null)
	o51=$(cut -d' ' -f2 "$WORK/flood51.status" 2>/dev/null)
	[ "${o50:-0}" -ge "$FLOOD_EACH" ] && [ "${o51:-0}" -ge "$FLOOD_EACH" ] && break
	sleep 0.5
done
sleep 3
echo "# flood (held opened closed): 127.0.0.50 $(cat "$WORK/flood50.status")," \
	"127.0.0.51 $(cat "$WORK/flood51.status"), proxy's TCP connections:" \
	"$(kamcmd -s "$CTL" core.tcp_info 2>/dev/null | sed -n 's/^[[:space:]]*opened_connections: //p')"

timeout 20 python3 "$SIPUA" --proxy "127.0.0.1:$TLS_PORT" --transport tls \
	--user load003 --password secret-003 >"$WORK/tcp-tls-phone.out" 2>&1
expect_eq "during the flood a new TLS phone registers" "REGISTER 200" \
	"$(head -1 "$WORK/tcp-tls-phone.out")"
timeout 20 python3 "$SIPUA" --proxy "127.0.0.1:$WS_PORT" --transport ws \
	--user load005 --password secret-005 >"$WORK/tcp-ws-phone.out" 2>&1
expect_eq "during the flood a new ws:// webphone registers" "REGISTER 200" \
	"$(head -1 "$WORK/tcp-ws-phone.out")"
timeout 20 python3 "$SIPUA" --proxy "127.0.0.1:$WSS_PORT" --transport wss \
	--user load006 --password secret-006 >"$WORK/tcp-wss-phone.out" 2>&1
expect_eq "during the flood a new wss:// webphone registers" "REGISTER 200" \
	"$(head -1 "$WORK/tcp-wss-phone.out")"
check "during the flood the admin HTTP answers JSON-RPC" \
	sh -c "curl -s -m 10 -u admin:$RPC_SECRET -d '{\"jsonrpc\":\"2.0\",\"method\":\"core.version\",\"id\":1}' http://127.0.0.1:$HTTP_PORT/RPC | grep -q kamailio"

# Once the flood stops reopening, each address keeps at most
# TCP_PER_ADDRESS (Kamailio 5.6 and 5.7 cut the excess a second later).
while [ $(($(date +%s) - flood_started)) -lt $((FLOOD_REOPEN + 2)) ]; do sleep 0.5; done
held50=$(ss -Htn state established src 127.0.0.50 | wc -l)
held51=$(ss -Htn state established src 127.0.0.51 | wc -l)
echo "# held after the reopening: 127.0.0.50 $held50, 127.0.0.51 $held51"
check "127.0.0.50 holds at most $PER_ADDRESS connections ($held50)" \
	test "$held50" -le "$PER_ADDRESS"
check "127.0.0.51 holds at most $PER_ADDRESS WebSockets ($held51)" \
	test "$held51" -le "$PER_ADDRESS"

wait "$idle_pid"
idle=$(cat "$WORK/tcp-idle-tls.out")
check "a TLS connection that sends nothing is closed within 13 s ($idle)" \
	awk '$1 == "closed" && $2 <= 13 { ok = 1 } END { exit !ok }' "$WORK/tcp-idle-tls.out"
check "kamailio is still up" kamailio_alive
kill "$flood50_pid" "$flood51_pid" 2>/dev/null
wait "$flood50_pid" "$flood51_pid" 2>/dev/null
stop_kamailio
