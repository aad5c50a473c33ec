# A phone's password is not a key to the trunks: a phone with valid
# credentials (t100, t101) tries every way found to send the proxy where
# VICIdial's tables do not (issue 25), and listeners on a carrier's, a
# server's and strangers' addresses tell whether anything got there.
# Sourced by run.sh.
#
#   127.0.0.4:5080   a carrier of the tables (a rule's trunk), watched
#   127.0.0.2:5060   the phones' Asterisk server (a stand-in that answers)
#   127.0.0.98/.99   any other host: watched, UDP and TCP
#   127.0.0.30-.34   the phones (not trusted: 127.0.0.1 is a server here)

FRAUD=$TOP/tests/integration/fraud.py
declare -A FRAUD_PIDS

# fraud_bg NAME ARGS...: fraud.py in the background, output in
# $WORK/NAME.out; waits for its first line (listening, or REGISTER done).
fraud_bg() {
	local name=$1 i
	shift
	: >"$WORK/$name.out"
	python3 "$FRAUD" "$@" >"$WORK/$name.out" 2>&1 &
	FRAUD_PIDS[$name]=$!
	for i in $(seq 100); do
		[ -s "$WORK/$name.out" ] && return 0
		kill -0 "${FRAUD_PIDS[$name]}" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
# fraud_stop_one NAME: stops that one; fraud_stop: all of them.
fraud_stop_one() {
	kill "${FRAUD_PIDS[$1]}" 2>/dev/null
	wait "${FRAUD_PIDS[$1]}" 2>/dev/null
	unset "FRAUD_PIDS[$1]"
}
fraud_stop() {
	local name
	for name in "${!FRAUD_PIDS[@]}"; do
		fraud_stop_one "$name"
	done
}
# fraud_phone NAME BIND USER PASSWORD ARGS...: one phone run in the
# foreground; what it printed is in $WORK/NAME.out.
fraud_phone() {
	local name=$1 bind=$2 user=$3 pw=$4
	shift 4
	timeout 60 python3 "$FRAUD" phone --proxy "127.0.0.1:$KAMAILIO_PORT" \
		--bind "$bind" --user "$user" --password "$pw" "$@" \
		>"$WORK/$name.out" 2>&1
}
# said NAME LINE: the phone printed LINE.
said() {
	grep -qx "$2" "$WORK/$1.out"
}
# nothing_at LOG: the watcher logged nothing.
nothing_at() {
	[ ! -s "$1" ]
}

backend_sql <<'SQL'
INSERT INTO phone_routes (id, priority, match_exp, repl_exp, trunk, description)
VALUES (50, 50, '^97(1[0-9]+)$', '\1', 'sip:127.0.0.4:5080',
  'fraud test: a carrier at 127.0.0.4:5080');
SQL

W=$WORK/fraud-watch.log
: >"$W"
check "the proxy starts" start_kamailio fraud
check "a carrier's, a server's and strangers' addresses are watched" \
	fraud_bg watch watch --log "$W" --seconds 110 udp:127.0.0.4:5080 \
	udp:127.0.0.99:5082 udp:127.0.0.99:9999 tcp:127.0.0.98:3306 \
	udp:127.0.0.98:3306
check "the Asterisk server stand-in answers on 127.0.0.2:5060" \
	fraud_bg server uas --bind 127.0.0.2:5060 --log "$WORK/fraud-server.log" \
	--seconds 110

# 1. A Contact naming a carrier, a server or the proxy itself binds
#    nothing; one naming any other host is kept, but the binding is the
#    address the REGISTER came from.
fraud_phone reg-trunk 127.0.0.30:5080 t100 pw-t100 \
	--contact "sip:0118823456789@127.0.0.4:5080"
check "a Contact naming the carrier is refused (403)" said reg-trunk "REGISTER 403"
fraud_phone reg-server 127.0.0.30:5060 t100 pw-t100 \
	--contact "sip:t100@127.0.0.2:5060"
check "a Contact naming an Asterisk server is refused (403)" \
	said reg-server "REGISTER 403"
fraud_phone reg-self 127.0.0.30:7030 t100 pw-t100 \
	--contact "sip:t100@127.0.0.1:$KAMAILIO_PORT"
check "a Contact naming the proxy's own socket is refused (403)" \
	said reg-self "REGISTER 403"
check "a phone registers a Contact on another host" \
	fraud_bg reg-other phone --proxy "127.0.0.1:$KAMAILIO_PORT" \
	--bind 127.0.0.30:5082 --user t100 --password pw-t100 \
	--contact "sip:t100@127.0.0.99:5082" --serve 8 \
	--log "$WORK/reg-other.log"
check "...with 200" said reg-other "REGISTER 200"
check "a server's call to that phone is answered" \
	call_from srv-other 127.0.0.1 "$SIPP_PORT" t100
expect_eq "...by the phone, at the address it registered from" 1 \
	"$(grep -c '"method": "INVITE"' "$WORK/reg-other.log")"
check "...and nothing reached the host its Contact named" nothing_at "$W"
fraud_stop_one reg-other

# 2. Inside its own call to its server, the phone rewrites the
#    Request-URI, or adds a Route, to the carrier: 403.
fraud_phone dlg-ruri 127.0.0.31:7031 t100 pw-t100 --call 8600051 \
	--indialog-ruri "sip:0118823456789@127.0.0.4:5080" --bye
check "the phone's call to its server is answered" said dlg-ruri "INVITE 200"
check "a re-INVITE to the carrier inside that call is refused (403)" \
	said dlg-ruri "REINVITE 403"
check "...while its BYE reaches the server" said dlg-ruri "BYE 200"
fraud_phone dlg-route 127.0.0.31:7031 t100 pw-t100 --call 8600051 \
	--indialog-route "sip:127.0.0.4:5080;lr" --bye
check "a re-INVITE with a Route to the carrier is refused (403)" \
	said dlg-route "REINVITE 403"
check "...and the server got the call's BYE" said dlg-route "BYE 200"

# 3. ;alias= a phone wrote: in a Request-URI, and in its answer's Contact.
fraud_phone dlg-alias 127.0.0.31:7031 t100 pw-t100 --call 8600051 \
	--indialog-ruri "sip:uas@127.0.0.2:5060;alias=127.0.0.99~9999~1" --bye
check "a re-INVITE whose Request-URI carries the phone's own alias is refused" \
	said dlg-alias "REINVITE 403"
check "a phone answering with an alias of its own registers" \
	fraud_bg ans-alias phone --proxy "127.0.0.1:$KAMAILIO_PORT" \
	--bind 127.0.0.32:7032 --user t101 --password pw-t101 --serve 8 \
	--answer-contact "sip:t101@127.0.0.32:7032;alias=127.0.0.99~9999~1" \
	--log "$WORK/ans-alias.log"
check "a server's call to it completes: ACK and BYE reach the phone" \
	call_from srv-alias 127.0.0.1 "$SIPP_PORT" t101
expect_eq "...the phone got INVITE, ACK and BYE" "1 1 1" \
	"$(grep -c '"method": "INVITE"' "$WORK/ans-alias.log") $(grep -c '"method": "ACK"' "$WORK/ans-alias.log") $(grep -c '"method": "BYE"' "$WORK/ans-alias.log")"
fraud_stop_one ans-alias
check "nothing reached the aliased address, nor the carrier" nothing_at "$W"

# 5. Identity: a phone's own PAI, RPID, PPI, Diversion and History-Info
#    reach neither its server nor a trunk; the proxy asserts the table's.
ID_HEADERS=(--header "P-Asserted-Identity: <sip:3125550999@127.0.0.1>"
	--header "Remote-Party-ID: <sip:3125550999@127.0.0.1>;party=calling"
	--header "P-Preferred-Identity: <sip:3125550999@127.0.0.1>"
	--header "Diversion: <sip:3125550999@127.0.0.1>;reason=unconditional"
	--header "History-Info: <sip:3125550999@127.0.0.1>;index=1")
: >"$WORK/fraud-server.log"
fraud_phone id-server 127.0.0.31:7031 t100 pw-t100 --call 8600051 --bye \
	"${ID_HEADERS[@]}"
check "a phone's call with identity headers reaches its server" \
	said id-server "INVITE 200"
check "...without any of the phone's identity" \
	bash -c "! grep -q 3125550999 '$WORK/fraud-server.log'"
check "...with the extension it authenticated as asserted" \
	grep -q '"p-asserted-identity": \["<sip:t100@' "$WORK/fraud-server.log"
check "trunk A's stand-in listens" \
	fraud_bg trunk-a uas --bind 127.0.0.1:25082 --log "$WORK/fraud-trunk.log" \
	--seconds 20
fraud_phone id-trunk 127.0.0.31:7031 t100 pw-t100 --call x200 --bye \
	"${ID_HEADERS[@]}"
check "a phone's call to an EXTERNAL entry reaches the trunk" \
	said id-trunk "INVITE 200"
check "...without any of the phone's identity" \
	bash -c "! grep -q 3125550999 '$WORK/fraud-trunk.log'"
check "...with the entry's caller ID asserted" \
	grep -q '"p-asserted-identity": \[[^]]*3125550100' "$WORK/fraud-trunk.log"
fraud_stop_one trunk-a
check "a phone answering with identity headers registers" \
	fraud_bg ans-id phone --proxy "127.0.0.1:$KAMAILIO_PORT" \
	--bind 127.0.0.32:7032 --user t101 --password pw-t101 --serve 8 \
	--answer-header "P-Asserted-Identity: <sip:3125550999@127.0.0.1>" \
	--answer-header "Remote-Party-ID: <sip:3125550999@127.0.0.1>;party=called" \
	--log "$WORK/ans-id.log"
check "a server's call to it completes" \
	call_from srv-id 127.0.0.1 "$SIPP_PORT" t101
check "...and the server saw none of the phone's identity in its answer" \
	bash -c "! grep -q 3125550999 '$WORK/srv-id.msg'"
fraud_stop_one ans-id

# 6. Requests between phones: NOTIFY check-sync (a reboot) and MESSAGE.
check "a victim phone registers" \
	fraud_bg victim phone --proxy "127.0.0.1:$KAMAILIO_PORT" \
	--bind 127.0.0.34:7034 --user t101 --password pw-t101 --serve 15 \
	--log "$WORK/victim.log"
fraud_phone notify 127.0.0.31:7031 t100 pw-t100 --request NOTIFY --to t101 \
	--header "Event: check-sync;reboot=true"
check "a phone's NOTIFY check-sync to another phone is refused (403)" \
	said notify "NOTIFY 403"
fraud_phone message 127.0.0.31:7031 t100 pw-t100 --request MESSAGE --to t101
check "a phone's MESSAGE to another phone is refused (403)" \
	said message "MESSAGE 403"
fraud_phone srv-notify 127.0.0.1:7035 t100 pw-t100 --no-register \
	--request NOTIFY --to t101 --header "Event: check-sync"
check "the Asterisk server's NOTIFY reaches the phone" \
	said srv-notify "NOTIFY 200"
expect_eq "the victim got the server's NOTIFY only, no MESSAGE" "1 0" \
	"$(grep -c '"method": "NOTIFY"' "$WORK/victim.log") $(grep -c '"method": "MESSAGE"' "$WORK/victim.log")"
fraud_stop_one victim
stop_kamailio

# 4. A Contact with ;transport=tcp on another host: no connection, no
#    keepalive goes there (keepalives every 2 s here).
KEEPALIVE_S=2 check "the proxy starts with keepalives" start_kamailio fraud-ka
check "a phone registers a TCP Contact on a database's port" \
	fraud_bg tcp phone --proxy "127.0.0.1:$KAMAILIO_PORT" \
	--bind 127.0.0.33:7033 --user t100 --password pw-t100 --serve 9 \
	--contact "sip:t100@127.0.0.98:3306;transport=tcp" --log "$WORK/tcp.log"
sleep 6
check "a server's call to it reaches the phone" \
	call_from srv-tcp 127.0.0.1 "$SIPP_PORT" t100
check "...keepalives too" grep -q '"method": "OPTIONS"' "$WORK/tcp.log"
check "nothing connected or was sent to the Contact's address" nothing_at "$W"
fraud_stop
stop_kamailio
unset -f fraud_bg fraud_stop fraud_stop_one fraud_phone said nothing_at
backend_sql <<'SQL'
DELETE FROM phone_routes WHERE id = 50;
SQL
