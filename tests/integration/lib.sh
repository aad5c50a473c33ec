# Shared by the integration tests: results, kamailio, SIPp and statistics.
# Sourced by run.sh; expects TOP (the repository), WORK (a scratch folder).

PASSED=0
FAILED=0
KAMAILIO_PID=
KAMAILIO_PORT=${KAMAILIO_PORT:-25060}
HTTP_PORT=${HTTP_PORT:-25090}
SIPP_PORT=${SIPP_PORT:-25070}
# JSON-RPC over HTTP: user admin, this password (the cfg's RPC_PASSWORD;
# empty: not defined)
RPC_SECRET=${RPC_SECRET-rpc-test-secret}
MODULES_DIR=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)/kamailio/modules

pass() {
	PASSED=$((PASSED + 1))
	echo "ok - $*"
}

fail() {
	FAILED=$((FAILED + 1))
	echo "FAIL - $*"
}

# check NAME COMMAND...: passes when COMMAND succeeds.
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1: expected '$2', got '$3'"
	fi
}

# start_kamailio NAME [-A define]...: runs $KAMAILIO_CFG (cfg/kamailio.cfg
# unless set), with $DS_LIST_FILE as dispatcher list (cfg/dispatcher.list
# unless set), reloading every $RELOAD_INTERVAL_S seconds (never unless
# set), writing peer_status every $PEER_STATUS_S seconds (never unless
# set) with keepalives every $KEEPALIVE_S seconds (none unless set),
# trusting $ADDRESS_LIST_FILE (fixtures/address.list: 127.0.0.1 as
# an Asterisk server), locking
# out after $LOCKOUT_FAILURES_N failures of a pair (1000), an address after
# $LOCKOUT_ADDRESS_N extensions (1000), an extension after
# $LOCKOUT_EXTENSION_N failures (1000), in $LOCKOUT_SLOTS_N slots (16384),
# for $LOCKOUT_FIRST_N seconds a pair's first lock and $LOCKOUT_TIME_N the
# longest (300 and 300: every lock 300 s),
# with the built module (modules from $KAMAILIO_MODULE_PATH: the built
# module's folder, then Debian's, unless set; shared memory $KAMAILIO_SHM MB,
# 256 unless set) in the foreground mode, listening on $KAMAILIO_IP
# (127.0.0.1) for SIP (UDP and TCP) and HTTP, with control socket $WORK/$CTL_NAME
# ($WORK/ctl), logging to $WORK/NAME.log, with an empty location table
# (unless $KEEP_LOCATION is set: a restart), and waits until
# it answers on its control socket. Returns non-zero if it does not start.
start_kamailio() {
	local name=$1
	shift
	local ip=${KAMAILIO_IP:-127.0.0.1}
	KAMAILIO_LOG=$WORK/$name.log
	CTL=unix:$WORK/${CTL_NAME:-ctl}
	local rpc=()
	[ -z "$RPC_SECRET" ] || rpc=(-A "RPC_PASSWORD=\"$RPC_SECRET\"")
	# peer_status written every $PEER_STATUS_S seconds (never unless set);
	# usrloc's keepalives every $KEEPALIVE_S seconds (none unless set: a
	# stray OPTIONS would confuse a later SIPp on the contact's port)
	# every start knows no phone, unless $KEEP_LOCATION (a restart):
	# registrations persist in the location table
	# (not when the database is away: SQLite would make an empty file)
	if [ -z "${KEEP_LOCATION:-}" ] && { [ -z "${SQLITE_DB:-}" ] || [ -f "$SQLITE_DB" ]; }; then
		echo "DELETE FROM location;" | backend_sql 2>/dev/null
	fi
	local ka=(-A NO_KEEPALIVE)
	[ -z "${KEEPALIVE_S:-}" ] || ka=(-A "KEEPALIVE_INTERVAL=$KEEPALIVE_S")
	kamailio -DD -E -m "${KAMAILIO_SHM:-256}" -f "${KAMAILIO_CFG:-$TOP/cfg/kamailio.cfg}" \
		-L "${KAMAILIO_MODULE_PATH:-$TOP/modules/phones:$MODULES_DIR}" \
		-A "LISTEN=udp:$ip:$KAMAILIO_PORT" -A "TCP_LISTEN=tcp:$ip:$KAMAILIO_PORT" \
		-A "CTL_SOCKET=\"$CTL\"" -A CHILDREN=4 \
		-A "DS_LIST=\"${DS_LIST_FILE:-$TOP/cfg/dispatcher.list}\"" \
		-A "RELOAD_INTERVAL=${RELOAD_INTERVAL_S:-0}" \
		-A "HTTP_LISTEN=tcp:$ip:$HTTP_PORT" \
		-A "ADDRESS_LIST=\"${ADDRESS_LIST_FILE:-$TOP/tests/integration/fixtures/address.list}\"" \
		-A "LOCKOUT_FAILURES=${LOCKOUT_FAILURES_N:-1000}" \
		-A "LOCKOUT_ADDRESS_EXTENSIONS=${LOCKOUT_ADDRESS_N:-1000}" \
		-A "LOCKOUT_EXTENSION_FAILURES=${LOCKOUT_EXTENSION_N:-1000}" \
		-A "LOCKOUT_SLOTS=${LOCKOUT_SLOTS_N:-16384}" \
		-A "LOCKOUT_FIRST_TIME=${LOCKOUT_FIRST_N:-300}" \
		-A "LOCKOUT_TIME=${LOCKOUT_TIME_N:-300}" \
		-A "PEER_STATUS_INTERVAL=${PEER_STATUS_S:-0}" "${ka[@]}" \
		"${rpc[@]}" $DB_DEFINES "$@" >"$KAMAILIO_LOG" 2>&1 &
	KAMAILIO_PID=$!
	local i
	for i in $(seq 100); do
		if ! kill -0 "$KAMAILIO_PID" 2>/dev/null; then
			KAMAILIO_PID=
			return 1
		fi
		kamcmd -s "$CTL" core.uptime >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# Its children are stopped too: a child that hangs in shutdown (seen in
# Kamailio's debugger module, deadlocked in a signal handler) would keep
# the ports and stall the next test's start.
stop_kamailio() {
	[ -n "$KAMAILIO_PID" ] || return 0
	local i c children alive=
	children=$(pgrep -P "$KAMAILIO_PID" 2>/dev/null)
	kill "$KAMAILIO_PID" 2>/dev/null
	for i in $(seq 100); do
		kill -0 "$KAMAILIO_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$KAMAILIO_PID" 2>/dev/null
	wait "$KAMAILIO_PID" 2>/dev/null
	for i in $(seq 30); do
		alive=
		for c in $children; do kill -0 "$c" 2>/dev/null && alive="$alive $c"; done
		[ -n "$alive" ] || break
		sleep 0.1
	done
	[ -z "$alive" ] || kill -9 $alive 2>/dev/null
	KAMAILIO_PID=
}

kamailio_alive() {
	[ -n "$KAMAILIO_PID" ] && kill -0 "$KAMAILIO_PID" 2>/dev/null \
		&& kamcmd -s "$CTL" core.uptime >/dev/null 2>&1
}

# stat NAME: the value of phones:NAME.
stat() {
	kamcmd -s "$CTL" stats.get_statistics phones: 2>/dev/null |
		sed -n "s/^phones:$1 = //p"
}

# sipp_run NAME SCENARIO CSV CALLS [sipp options]: runs SIPp against the
# proxy (CSV - for none); its message trace is $WORK/NAME.msg. Returns SIPp's status: 0 when
# every call went as the scenario says.
sipp_run() {
	local name=$1 scenario=$2 csv=$3 calls=$4
	shift 4
	local inf=(-inf "$csv")
	[ "$csv" != - ] || inf=()
	timeout 300 sipp -sf "$TOP/tests/integration/scenarios/$scenario" \
		"${inf[@]}" -m "$calls" -i 127.0.0.1 -p "$SIPP_PORT" \
		-recv_timeout 5000 -timeout 240 -nostdin \
		-trace_msg -message_file "$WORK/$name.msg" \
		-trace_err -error_file "$WORK/$name.err" \
		"$@" "${KAMAILIO_IP:-127.0.0.1}:$KAMAILIO_PORT" >"$WORK/$name.out" 2>&1
}

# csv FILE LINE...: a SIPp injection file read in order.
csv() {
	local f=$1
	shift
	{
		echo SEQUENTIAL
		printf '%s\n' "$@"
	} >"$f"
}

# auth_line USER PASSWORD: the CSV line of a phone and its credentials.
auth_line() {
	echo "$1;[authentication username=$1 password=$2]"
}

# responses_401 MSGFILE: each 401 that SIPp received, one per line (its
# header lines joined by '|'), with what varies from request to request
# (user, tags, branch, Call-ID, nonce, CSeq number) masked, so that
# identical challenges compare equal.
responses_401() {
	awk '
		/^----------------------------------------------- / {
			if (keep) print "%%"
			keep = 0; inmsg = 0; first = 1; next
		}
		/message received/ { inmsg = 1; next }
		inmsg && first && NF { first = 0; keep = /^SIP\/2.0 401/ }
		inmsg && keep && NF { print }
		END { if (keep) print "%%" }
	' "$1" | sed -E \
		-e 's/sip:[^@;>]*@/sip:USER@/g' \
		-e 's/tag=[^;>[:space:]]*/tag=TAG/g' \
		-e 's/branch=[^;[:space:]]*/branch=BRANCH/g' \
		-e 's/^(Call-ID|i): .*/\1: CALLID/' \
		-e 's/nonce="[^"]*"/nonce="NONCE"/' \
		-e 's/^CSeq: [0-9]+/CSeq: N/' |
		awk '/^%%$/ { print line; line = ""; next } { line = line $0 "|" }'
}

# start_uas NAME PORT CALLS [IP [SCENARIO]]: a SIPp UAS (scenarios/SCENARIO,
# trunk-uas.xml unless given) on IP:PORT (127.0.0.1 unless given) in the
# background, answering CALLS calls then exiting; what it received is in
# $WORK/NAME.msg. wait_uas NAME: its exit status.
declare -A UAS_PIDS UAS_DONE
start_uas() {
	local name=$1 port=$2 calls=$3 ip=${4:-127.0.0.1} sf=${5:-trunk-uas.xml} i pid
	sipp -sf "$TOP/tests/integration/scenarios/$sf" \
		-i "$ip" -p "$port" -m "$calls" -timeout 120 -nostdin \
		-trace_msg -message_file "$WORK/$name.msg" \
		-trace_err -error_file "$WORK/$name.err" >"$WORK/$name.out" 2>&1 &
	pid=$!
	UAS_PIDS[$name]=$pid
	unset "UAS_DONE[$name]"
	for i in $(seq 50); do
		ss -lun 2>/dev/null | grep -q "$ip:$port " && return 0
		if ! kill -0 "$pid" 2>/dev/null; then
			# done already (a probe came at once): its status is kept
			wait "$pid"
			UAS_DONE[$name]=$?
			return "${UAS_DONE[$name]}"
		fi
		sleep 0.1
	done
	return 1
}

wait_uas() {
	local pid=${UAS_PIDS[$1]}
	[ -z "${UAS_DONE[$1]+set}" ] || return "${UAS_DONE[$1]}"
	[ -n "$pid" ] || return 1
	wait "$pid"
}

stop_uas() {
	local pid=${UAS_PIDS[$1]}
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "UAS_PIDS[$1]"
}

stop_uases() {
	local name
	for name in "${!UAS_PIDS[@]}"; do
		kill "${UAS_PIDS[$name]}" 2>/dev/null
		wait "${UAS_PIDS[$name]}" 2>/dev/null
		unset "UAS_PIDS[$name]"
	done
	UAS_DONE=()
}

# call NAME USER [scenario] [sipp options]: one call to USER through the
# proxy (scenarios/call.xml unless given).
call() {
	local name=$1 user=$2 scenario=${3:-call.xml}
	shift 3 2>/dev/null || shift $#
	timeout 120 sipp -sf "$TOP/tests/integration/scenarios/$scenario" \
		-s "$user" -m 1 -i 127.0.0.1 -p "$SIPP_PORT" \
		-recv_timeout 10000 -timeout 60 -nostdin \
		-trace_msg -message_file "$WORK/$name.msg" \
		"$@" "${KAMAILIO_IP:-127.0.0.1}:$KAMAILIO_PORT" >"$WORK/$name.out" 2>&1
}

# call_from NAME IP PORT USER [scenario] [sipp options]: one call to USER
# through the proxy, sent from IP:PORT (an Asterisk server's or a carrier's
# address).
call_from() {
	local name=$1 ip=$2 port=$3 user=$4 scenario=${5:-call.xml}
	shift 5 2>/dev/null || shift $#
	timeout 120 sipp -sf "$TOP/tests/integration/scenarios/$scenario" \
		-s "$user" -m 1 -i "$ip" -p "$port" \
		-recv_timeout 10000 -timeout 60 -nostdin \
		-trace_msg -message_file "$WORK/$name.msg" \
		"$@" "${KAMAILIO_IP:-127.0.0.1}:$KAMAILIO_PORT" >"$WORK/$name.out" 2>&1
}

# received_ruri MSGFILE: the Request-URI of each INVITE SIPp received.
received_ruri() {
	sed -n 's/^INVITE \([^ ]*\) SIP\/2.0.*/\1/p' "$1"
}

SIPUA=$TOP/tests/integration/sipua.py
# start_phone NAME USER PASSWORD SECONDS [sipua options]: a phone (sipua.py)
# that registers, then answers for SECONDS in the background, logging what
# it received to $WORK/NAME.log; waits until its REGISTER was answered and
# returns 0 when it was 200.
declare -A PHONE_PIDS
start_phone() {
	local name=$1 user=$2 pw=$3 secs=$4 i
	shift 4
	: >"$WORK/$name.log"
	python3 "$SIPUA" --proxy "127.0.0.1:$KAMAILIO_PORT" --user "$user" \
		--password "$pw" --serve "$secs" --log "$WORK/$name.log" "$@" \
		>"$WORK/$name.out" 2>&1 &
	PHONE_PIDS[$name]=$!
	for i in $(seq 100); do
		grep -q "^REGISTER" "$WORK/$name.out" 2>/dev/null && break
		sleep 0.1
	done
	grep -q "^REGISTER 200" "$WORK/$name.out"
}
# phone_got NAME PATTERN: how many requests the phone logged whose JSON
# line matches PATTERN (grep -E).
phone_got() {
	grep -cE "$2" "$WORK/$1.log"
}
stop_phone() {
	[ -n "${PHONE_PIDS[$1]:-}" ] || return 0
	kill "${PHONE_PIDS[$1]}" 2>/dev/null
	wait "${PHONE_PIDS[$1]}" 2>/dev/null
	unset "PHONE_PIDS[$1]"
}
stop_phones() {
	local name
	for name in "${!PHONE_PIDS[@]}"; do
		stop_phone "$name"
	done
}

# start_rtpengine NG_PORT: Debian's rtpengine daemon on 127.0.0.1 (control
# protocol ng on NG_PORT, media ports 30000-30099, userspace only), logging
# to $WORK/rtpengine.log; waits until it listens.
RTPENGINE_PID=
start_rtpengine() {
	local i
	rtpengine --config-file=none --interface=127.0.0.1 \
		--listen-ng="127.0.0.1:$1" --foreground --log-stderr --log-level=6 \
		--table=-1 --port-min=30000 --port-max=30099 \
		--pidfile="$WORK/rtpengine.pid" >"$WORK/rtpengine.log" 2>&1 &
	RTPENGINE_PID=$!
	for i in $(seq 50); do
		ss -lun 2>/dev/null | grep -q "127.0.0.1:$1 " && return 0
		kill -0 "$RTPENGINE_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
stop_rtpengine() {
	[ -n "$RTPENGINE_PID" ] || return 0
	kill "$RTPENGINE_PID" 2>/dev/null
	wait "$RTPENGINE_PID" 2>/dev/null
	RTPENGINE_PID=
}

# Several proxies (test-dmq.sh): instance N of the cfg with DMQ.
# start_proxy N IP NOTIFY-IP [-A define]...: on IP:$PROXY_PORT (SIP and
# DMQ) and IP:$HTTP_PORT (HTTP), learning its peers from NOTIFY-IP, with
# control socket $WORK/ctl-N and log $WORK/proxyN.log (PROXY_CTL[N],
# PROXY_LOG[N]). stop_proxy N stops it; stop_proxies stops them all.
PROXY_PORT=${PROXY_PORT:-5060}
declare -A PROXY_PID PROXY_CTL PROXY_LOG PROXY_IP
start_proxy() {
	local n=$1 ip=$2 notify=$3 rc
	shift 3
	KAMAILIO_IP=$ip KAMAILIO_PORT=$PROXY_PORT CTL_NAME=ctl-$n \
		start_kamailio "proxy$n" -A WITH_DMQ \
		-A "DMQ_ADDRESS=\"sip:$ip:$PROXY_PORT\"" \
		-A "DMQ_NOTIFY=\"sip:$notify:$PROXY_PORT\"" "$@"
	rc=$?
	PROXY_PID[$n]=$KAMAILIO_PID
	PROXY_CTL[$n]=$CTL
	PROXY_LOG[$n]=$KAMAILIO_LOG
	PROXY_IP[$n]=$ip
	KAMAILIO_PID=
	return $rc
}

stop_proxy() {
	local keep=$KAMAILIO_PID
	KAMAILIO_PID=${PROXY_PID[$1]}
	stop_kamailio
	KAMAILIO_PID=$keep
	unset "PROXY_PID[$1]"
}

stop_proxies() {
	local n
	for n in "${!PROXY_PID[@]}"; do stop_proxy "$n"; done
}

# on N FUNCTION ARGS...: a helper of this file (call_from, sipp_run...)
# aimed at proxy N.
on() {
	local n=$1
	shift
	KAMAILIO_IP=${PROXY_IP[$n]} KAMAILIO_PORT=$PROXY_PORT "$@"
}

# pkam N ARGS...: kamcmd on proxy N.
pkam() {
	local n=$1
	shift
	kamcmd -s "${PROXY_CTL[$n]}" "$@"
}

# through_cfg CFG LABEL: every call flow of the cluster again (the tests of
# test-route, test-cluster and test-devices) with kamailio on CFG.
through_cfg() {
	local through_test
	for through_test in test-route test-cluster test-devices; do
		echo "# $through_test through $2"
		KAMAILIO_CFG=$1
		. "$TOP/tests/integration/$through_test.sh"
		stop_uases
		stop_kamailio
		stop_proxies
	done
	unset KAMAILIO_CFG
}
