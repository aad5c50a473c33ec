# Several proxies, one truth: three instances of cfg/kamailio.cfg with
# WITH_DMQ, on 127.0.0.1, 127.0.0.6 and 127.0.0.7 (port $PROXY_PORT, 5060,
# each), one database. Asterisk servers on 127.0.0.2 and 127.0.0.3 (SIPp on
# 5060), phones on 127.0.0.1 (SIPp on $SIPP_PORT). Sourced by run.sh.

backend_sql <<'SQL'
INSERT INTO phones (extension, dialplan_number, voicemail_id, server_ip,
  login, pass, status, active, protocol, fullname, outbound_cid, conf_secret)
VALUES
  ('d700', '7700', '7700', '127.0.0.2', 'd700a', 'x', 'ACTIVE', 'Y', 'SIP',
   'Phone on two servers', '3125550700', 'pw-d700'),
  ('d700', '7700', '7700', '127.0.0.3', 'd700b', 'x', 'ACTIVE', 'Y', 'SIP',
   'Phone on two servers', '3125550700', 'pw-d700');
SQL

for ip in 127.0.0.1 127.0.0.6 127.0.0.7; do
	if ss -lun | grep -q " $ip:$PROXY_PORT "; then
		fail "port $ip:$PROXY_PORT is taken: set PROXY_PORT"
	fi
done

# dmq_nodes N: the peers proxy N knows (itself aside) that are active.
dmq_nodes() {
	pkam "$1" dmq.list_nodes 2>/dev/null | awk '
		/local: 1/ { self = 1 } /status: active/ { active++ }
		/^}/ { if (active && !self) n++; self = 0; active = 0 }
		END { print n + 0 }'
}

# wait_for SECONDS COMMAND...: until COMMAND succeeds, or SECONDS pass.
wait_for() {
	local t=$1 i
	shift
	for i in $(seq $((t * 10))); do
		"$@" && return 0
		sleep 0.1
	done
	"$@"
}

nodes_are() {
	[ "$(dmq_nodes "$1")" = "$2" ]
}

# registered N EXT: proxy N knows a contact of EXT.
registered() {
	pkam "$1" ul.lookup location "$2" 2>/dev/null | grep -q "Address: sip:$2@"
}

# pstat N NAME: phones:NAME at proxy N.
pstat() {
	pkam "$1" stats.get_statistics phones: 2>/dev/null |
		sed -n "s/^phones:$2 = //p"
}

last_server() {
	pkam "$1" htable.get phones_last "$2" 2>/dev/null | sed -n 's/.*value: //p'
}

: >"$WORK/address-nobody.list"
ADDRESS_LIST_FILE=$WORK/address-nobody.list
check "proxy 1 starts on 127.0.0.1" start_proxy 1 127.0.0.1 127.0.0.6
check "proxy 2 starts on 127.0.0.6" start_proxy 2 127.0.0.6 127.0.0.1
check "proxy 3 starts on 127.0.0.7" start_proxy 3 127.0.0.7 127.0.0.1
check "proxy 1 knows its two peers" wait_for 10 nodes_are 1 2
check "proxy 2 knows its two peers" wait_for 10 nodes_are 2 2
check "proxy 3 knows its two peers" wait_for 10 nodes_are 3 2

# --- registrations: a phone registered at proxy 1 is known at 2 and 3 ---
csv "$WORK/d700.csv" "$(auth_line d700 pw-d700)"
check "d700 registers at proxy 1" \
	on 1 sipp_run dmq-reg-d700 register-accepted.xml "$WORK/d700.csv" 1
check "proxy 1 has its contact" registered 1 d700
check "proxy 3 has it within a second" wait_for 1 registered 3 d700
check "proxy 2 has it too" wait_for 1 registered 2 d700

# --- a call reaching proxy 3 finds the phone registered at proxy 1 ---
check "d700's phone is listening" start_uas dmq-phone-d700 "$SIPP_PORT" 1
check "server 127.0.0.3 reaches d700 through proxy 3" \
	on 3 call_from dmq-s3-d700 127.0.0.3 5060 d700
check "the phone took the call" wait_uas dmq-phone-d700
expect_eq "proxy 3 relayed it to the phone (calls_to_device)" 1 \
	"$(pstat 3 calls_to_device)"

# --- the last server that called the phone is the cluster's ---
expect_eq "proxy 3 keeps 127.0.0.3 as d700's last server" 127.0.0.3 \
	"$(last_server 3 d700)"
last_is() { [ "$(last_server "$1" "$2")" = "$3" ]; }
check "proxy 1 learnt it" wait_for 1 last_is 1 d700 127.0.0.3
csv "$WORK/d700-call.csv" "d700;[authentication username=d700 password=pw-d700]"
check "server 127.0.0.3 is listening" start_uas dmq-ast3-conf 5060 1 127.0.0.3
check "d700 calls 8600051 through proxy 1" \
	on 1 sipp_run dmq-d700-conf call-auth.xml "$WORK/d700-call.csv" 1 -s 8600051
check "server 127.0.0.3, which called it through proxy 3, took it" \
	wait_uas dmq-ast3-conf

# --- proxy 2 killed and restarted learns the registrations again ---
stop_proxy 2
check "proxy 2 is restarted" start_proxy 2 127.0.0.6 127.0.0.1
check "restarted proxy 2 knows d700's contact from its peers" \
	wait_for 5 registered 2 d700
check "and its last server" wait_for 5 last_is 2 d700 127.0.0.3
check "proxy 2 knows its peers again" wait_for 10 nodes_are 2 2
check "d700's phone is listening again" start_uas dmq-phone-d700b "$SIPP_PORT" 1
check "server 127.0.0.2 reaches d700 through restarted proxy 2" \
	on 2 call_from dmq-s2-d700 127.0.0.2 5060 d700
check "the phone took it" wait_uas dmq-phone-d700b
unset ADDRESS_LIST_FILE

stop_proxies
backend_sql <<'SQL'
DELETE FROM phones WHERE extension = 'd700';
SQL
