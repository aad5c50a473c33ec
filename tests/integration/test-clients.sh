# Real SIP clients against the shipped cfg, as a new user meets it: baresip
# (Debian's baresip-core) over UDP, TCP and TLS, and SIP.js and JsSIP (npm,
# tests/clients/package-lock.json) in Debian's chromium, headless, over
# ws:// and wss:// with ViciPhone's options. The Asterisk server is SIPp on
# 127.0.0.2:5060, the trunk SIPp on 127.0.0.5:25082; nobody
# is trusted beyond VICIdial's tables (cfg/address.list). A client that
# cannot run here prints a SKIP line with the reason. Sourced by run.sh.

CL=$TOP/tests/clients
CL_TLS_PORT=25061
CL_WS_PORT=25088
CL_WSS_PORT=25089
# baresip binds 127.0.0.11 (its UDP; its TCP and TLS connections come from
# 127.0.0.1)
BS_IP=127.0.0.11

# The fixtures' trunks are on 127.0.0.1, where baresip's TCP and TLS
# connections come from (the kernel's source address on loopback): moved to
# 127.0.0.5 for this test, as README "Who is who" asks of a deployment.
echo "UPDATE phone_routes SET trunk = REPLACE(trunk, 'sip:127.0.0.1:2508', 'sip:127.0.0.5:2508');" |
	backend_sql
check "a self-signed certificate is made" \
	"$TOP/scripts/tls-selfsigned.sh" "$WORK/cl-tls/proxy.crt" "$WORK/cl-tls/proxy.key"
ADDRESS_LIST_FILE=$TOP/cfg/address.list KEEPALIVE_S=3 \
	check "kamailio starts with UDP and TCP on $KAMAILIO_PORT, TLS, ws:// and wss://" \
	start_kamailio clients -A WITH_TLS -A WITH_WEBSOCKET \
	-A "TLS_LISTEN=tls:127.0.0.1:$CL_TLS_PORT" \
	-A "WS_LISTEN=tcp:127.0.0.1:$CL_WS_PORT" -A "WSS_LISTEN=tls:127.0.0.1:$CL_WSS_PORT" \
	-A "TLS_CERT=\"$WORK/cl-tls/proxy.crt\"" -A "TLS_KEY=\"$WORK/cl-tls/proxy.key\""

# wait_line FILE PATTERN SECONDS: until a line of FILE matches.
wait_line() {
	local i
	for i in $(seq $(($3 * 10))); do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# uas_done NAME SECONDS: the stand-in's status once its calls are done,
# stopped (and failed) if they are not within SECONDS.
uas_done() {
	local pid=${UAS_PIDS[$1]:-} i
	[ -z "${UAS_DONE[$1]+set}" ] || return "${UAS_DONE[$1]}"
	for i in $(seq $(($2 * 10))); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		stop_uas "$1"
		return 1
	fi
	wait_uas "$1"
}

# The keepalives (every 3 s here) are addressed to the proxy's own domain
# (KEEPALIVE_DOMAIN, 127.0.0.1), not Kamailio's kamailio.org.
check "a phone registers (UDP)" start_phone cl-ka load019 secret-019 5
sleep 4
expect_eq "the keepalive OPTIONS it got is To the proxy's domain" \
	'"to": "<sip:load019@127.0.0.1>"' \
	"$(grep -m1 '"method": "OPTIONS"' "$WORK/cl-ka.log" | grep -o '"to": "[^"]*"')"
stop_phone cl-ka

# --- baresip ---------------------------------------------------------------
# bs NAME TRANSPORT PORT USER PASSWORD STEP...: baresip (tests/clients/
# baresip.py) registering over TRANSPORT with the proxy's PORT, then the
# steps; its lines in $WORK/NAME.out.
bs() {
	local name=$1 t=$2 port=$3 user=$4 pw=$5
	shift 5
	python3 "$CL/baresip.py" --dir "$WORK/$name" --user "$user" --password "$pw" \
		--transport "$t" --proxy "127.0.0.1:$port" --bind "$BS_IP" \
		--ctrl 25112 --cafile "$WORK/cl-tls/proxy.crt" --timeout 60 "$@" \
		>"$WORK/$name.out" 2>&1
}
# bs_call NAME TRANSPORT PORT USER PASSWORD: baresip waits for a call, an
# Asterisk server's (SIPp on 127.0.0.2:5060) calls it; the server hangs up.
bs_call() {
	local name=$1 user=$4
	bs "$@" register incoming &
	local pid=$!
	if wait_line "$WORK/$name.out" '^incoming-ready' 20; then
		call_from "$name-server" 127.0.0.2 5060 "$user" call-sdp.xml -mp 30600
	fi
	local rc=$?
	wait "$pid"
	return $rc
}

if ! command -v baresip >/dev/null 2>&1; then
	echo "SKIP - baresip: not installed (Debian's baresip-core; scripts/install-deps.sh)"
else
	# UDP: calls out to the Asterisk server and to a trunk, both hung up
	# by baresip; a call in, hung up by the server
	check "the Asterisk server (127.0.0.2) is listening" \
		start_uas bs-ast 5060 1 127.0.0.2 uas-rtp.xml
	check "the trunk (127.0.0.5:25082) is listening" \
		start_uas bs-trunk 25082 1 127.0.0.5 uas-rtp.xml
	from_phone=$(stat calls_from_phone)
	bs bs-udp udp "$KAMAILIO_PORT" load020 secret-020 \
		register dial:8600051 hangup dial:x200 hangup
	expect_eq "baresip over UDP: registers, calls 8600051 and x200 (trunk), hangs up" \
		"registered|call 8600051 established|hung up|call x200 established|hung up" \
		"$(paste -sd'|' "$WORK/bs-udp.out")"
	check "the Asterisk server answered 8600051 and got baresip's BYE" uas_done bs-ast 10
	check "the trunk got 13125550200 and baresip's BYE" uas_done bs-trunk 10
	expect_eq "the trunk was sent the EXTERNAL entry's number" \
		"sip:13125550200@127.0.0.5:25082" "$(received_ruri "$WORK/bs-trunk.msg")"
	expect_eq "both counted as a phone's calls" "$((from_phone + 2))" "$(stat calls_from_phone)"
	check "baresip over UDP answers a call from the Asterisk server, which hangs up" \
		bs_call bs-udp-in udp "$KAMAILIO_PORT" load021 secret-021
	expect_eq "(its lines)" "registered|incoming-ready|incoming established" \
		"$(grep -v '^incoming closed' "$WORK/bs-udp-in.out" | paste -sd'|')"
	expect_eq "the proxy's 100 to the server says Trying" "SIP/2.0 100 Trying" \
		"$(grep -m1 '^SIP/2.0 100' "$WORK/bs-udp-in-server.msg" | tr -d '\r')"

	# TCP on the SIP port, and TLS
	for t in tcp tls; do
		port=$KAMAILIO_PORT
		[ $t = tcp ] || port=$CL_TLS_PORT
		check "the Asterisk server is listening" \
			start_uas bs-ast-$t 5060 1 127.0.0.2 uas-rtp.xml
		from_phone=$(stat calls_from_phone)
		bs bs-$t $t "$port" load022 secret-022 register dial:8600051 hangup
		expect_eq "baresip over $t (port $port): registers, calls 8600051, hangs up" \
			"registered|call 8600051 established|hung up" \
			"$(paste -sd'|' "$WORK/bs-$t.out")"
		check "the Asterisk server answered it over $t" uas_done bs-ast-$t 10
		expect_eq "a phone's call over $t, not a carrier's" \
			"$((from_phone + 1))" "$(stat calls_from_phone)"
		check "baresip over $t answers the Asterisk server's call" \
			bs_call bs-$t-in $t "$port" load023 secret-023
		check "(the call reached it on its $t connection)" \
			grep -q "^incoming established" "$WORK/bs-$t-in.out"
	done

	bs bs-wrong udp "$KAMAILIO_PORT" load024 wrong-password register
	# reginfo's ERR or the REGISTER_FAIL event, whichever baresip reports
	# first (a busy machine: the event)
	check "baresip with a wrong password is refused ($(head -1 "$WORK/bs-wrong.out"))" \
		grep -Eqx 'register failed: (ERR|REGISTER_FAIL 401 Unauthorized)' "$WORK/bs-wrong.out"
	stop_uases
fi

# --- SIP.js and JsSIP in chromium -----------------------------------------
browser_skip=
if ! command -v chromium >/dev/null 2>&1; then
	browser_skip="chromium is not installed (Debian's chromium; scripts/install-deps.sh)"
elif ! command -v npm >/dev/null 2>&1; then
	browser_skip="npm is not installed (scripts/install-deps.sh)"
elif ! (cd "$CL" && npm ci --no-audit --no-fund >"$WORK/npm-ci.log" 2>&1); then
	browser_skip="npm ci failed in tests/clients (no registry?): $(tail -1 "$WORK/npm-ci.log")"
fi

# web NAME LIB URL USER PASSWORD: the browser phone registers, calls
# 8600051 (answered by the Asterisk server, hung up by the browser), is
# called by the server (hung up by the server), and its tab is closed;
# its lines in $WORK/NAME.out, its screenshot build/clients/NAME.png.
web() {
	local name=$1 lib=$2 url=$3 user=$4 pw=$5 rc ast=1 in=1
	start_uas "$name-ast" 5060 1 127.0.0.2 uas-webrtc.xml || return 1
	timeout 120 node "$CL/browser.mjs" --lib "$lib" --url "$url" --user "$user" \
		--password "$pw" --call 8600051 --shot "$TOP/build/clients/$name.png" \
		>"$WORK/$name.out" 2>&1 &
	local pid=$!
	if wait_line "$WORK/$name.out" '^incoming-ready' 60; then
		# the server's stand-in is done with its call (and port)
		uas_done "$name-ast" 10
		ast=$?
		call_from "$name-in" 127.0.0.2 5060 "$user" call-webrtc.xml
		in=$?
	else
		stop_uas "$name-ast"
	fi
	wait "$pid"
	rc=$?
	[ "$ast" = 0 ] && [ "$in" = 0 ] || rc=1
	return $rc
}

if [ -n "$browser_skip" ]; then
	echo "SKIP - SIP.js and JsSIP in chromium: $browser_skip"
else
	n=30
	for lib in sipjs jssip; do
		for scheme in ws wss; do
			n=$((n + 1))
			port=$CL_WS_PORT
			[ $scheme = ws ] || port=$CL_WSS_PORT
			name=$lib-$scheme
			user=load0$n
			from_phone=$(stat calls_from_phone)
			check "$lib over $scheme://127.0.0.1:$port: registers, calls 8600051, is called, closes its tab" \
				web "$name" "$lib" "$scheme://127.0.0.1:$port" "$user" "secret-0$n"
			expect_eq "($lib over $scheme: what it went through)" \
				"registered|out established|out terminated|incoming-ready|in established|in terminated|tab closed" \
				"$(grep -E '^(registered|out (established|terminated)|incoming-ready|in (established|terminated)|tab closed)' "$WORK/$name.out" | sed 's/ (.*//' | paste -sd'|')"
			expect_eq "($lib over $scheme: a phone's call)" \
				"$((from_phone + 1))" "$(stat calls_from_phone)"
			check "($lib over $scheme: its screenshot is build/clients/$name.png)" \
				test -s "$TOP/build/clients/$name.png"
			check "($lib over $scheme, tab closed: a call to it gets 404 or 480)" \
				call_from "$name-gone" 127.0.0.2 5060 "$user" call-unavailable.xml
			check "($lib over $scheme, tab closed: its binding is gone)" \
				sh -c "! kamcmd -s '$CTL' ul.lookup location '$user' 2>&1 | grep -q 'Contact:'"
		done
	done
fi
stop_kamailio
echo "UPDATE phone_routes SET trunk = REPLACE(trunk, 'sip:127.0.0.5:2508', 'sip:127.0.0.1:2508');" |
	backend_sql
