# A VICIdial cluster behind the proxy: Asterisk servers on 127.0.0.2 and
# 127.0.0.3 (the servers table), an inactive one on 127.0.0.4, a carrier on
# 127.0.0.5 (a routing rule's trunk), each a SIPp on port 5060; phones on
# 127.0.0.1. The address list trusts nobody: who is who comes from
# VICIdial's tables alone. Sourced by run.sh.

backend_sql <<'SQL'
INSERT INTO servers (server_id, server_ip, active, rebuild_conf_files)
VALUES ('ast3', '127.0.0.4', 'N', 'N');
INSERT INTO phone_routes (id, priority, match_exp, repl_exp, trunk, description)
VALUES (50, 0, '^9(1415555[0-9]{4})$', '\1', 'sip:127.0.0.5:5060',
  'the cluster test carrier');
-- VICIdial's own layout of a phone across servers: one extension, one
-- registration password, a row (and login) per server.
INSERT INTO phones (extension, dialplan_number, voicemail_id, server_ip,
  login, pass, status, active, protocol, fullname, outbound_cid, conf_secret)
VALUES
  ('m600', '7600', '7600', '127.0.0.2', 'm600a', 'x', 'ACTIVE', 'Y', 'SIP',
   'Phone on two servers', '3125550600', 'pw-m600'),
  ('m600', '7600', '7600', '127.0.0.3', 'm600b', 'x', 'ACTIVE', 'Y', 'SIP',
   'Phone on two servers', '3125550600', 'pw-m600');
SQL

: >"$WORK/address-nobody.list"
ADDRESS_LIST_FILE=$WORK/address-nobody.list
check "kamailio starts trusting nobody by address list" \
	start_kamailio cluster -A SERVER_PROBE_INTERVAL=1
unset ADDRESS_LIST_FILE
check "the servers table is loaded: 2 active servers, the inactive one left out" \
	grep -q "loaded 2 Asterisk servers from table 'servers' (3 rows: 1 inactive" "$KAMAILIO_LOG"
expect_eq "statistic servers" 2 "$(stat servers)"
check "the carrier of the rules' trunks is known" test "$(stat carriers)" -ge 1
# (in the order the database gives the rows: VICIdial's table has no key)
check "m600 on two servers with one password is one device, not ambiguous" \
	sh -c "kamcmd -s '$CTL' phones.get m600 | grep -qE 'home_servers: (127.0.0.2,127.0.0.3|127.0.0.3,127.0.0.2)'"
check "its second row is counted as another home server, not skipped" \
	grep -q "1 rows of another home server" "$KAMAILIO_LOG"
csv "$WORK/m600.csv" "$(auth_line m600 pw-m600)"
check "m600 registers" sipp_run reg-m600 register-accepted.xml "$WORK/m600.csv" 1

# The phones' contacts: m600 and t100 answer on 127.0.0.1.
expect_eq "m600 is registered at a phone on 25086" "" \
	"$(kamcmd -s "$CTL" ul.add location m600 sip:m600@127.0.0.1:25086 600 1.0 . 0 0 4294967295 2>&1)"

# --- 1. Asterisk server -> phone, from either server ---
check "m600's phone is listening" start_uas phone-m600 25086 2
check "server 127.0.0.3 reaches m600" call_from s3-m600 127.0.0.3 5060 m600
check "server 127.0.0.2 reaches m600" call_from s2-m600 127.0.0.2 5060 m600
check "the phone took both calls" wait_uas phone-m600
expect_eq "calls_from_server" 2 "$(stat calls_from_server)"
expect_eq "calls_to_device" 2 "$(stat calls_to_device)"

# --- 2. phone -> a number: its home server, the one that called it last ---
csv "$WORK/m600-call.csv" "m600;[authentication username=m600 password=pw-m600]"
check "server 127.0.0.2 is listening" start_uas ast2-conf 5060 1 127.0.0.2
check "m600 calls its conference 8600051" \
	sipp_run m600-conf call-auth.xml "$WORK/m600-call.csv" 1 -s 8600051
check "server 127.0.0.2, which called m600 last, took it" wait_uas ast2-conf
expect_eq "with the number and the server in the Request-URI" \
	"sip:8600051@127.0.0.2:5060" "$(received_ruri "$WORK/ast2-conf.msg")"
check "the decision is logged once, at INFO" \
	grep -q "call from phone m600 to '8600051': home_server to 127.0.0.2" "$KAMAILIO_LOG"
check "m600's phone is listening again" start_uas phone-m600b 25086 1
check "server 127.0.0.3 reaches m600 again" call_from s3-m600b 127.0.0.3 5060 m600
check "the phone took it" wait_uas phone-m600b
check "server 127.0.0.3 is listening" start_uas ast3-conf 5060 1 127.0.0.3
check "m600 calls 8600051 again" \
	sipp_run m600-conf2 call-auth.xml "$WORK/m600-call.csv" 1 -s 8600051
check "now server 127.0.0.3, which called it last, took it" wait_uas ast3-conf
expect_eq "calls_to_home_server" 2 "$(stat calls_to_home_server)"
check "server 127.0.0.2 is listening for t100" start_uas ast2-t100 5060 1 127.0.0.2
csv "$WORK/t100-call.csv" "t100;[authentication username=t100 password=pw-t100]"
check "t100 (one server, never called) calls 8600051: its server" \
	sipp_run t100-conf call-auth.xml "$WORK/t100-call.csv" 1 -s 8600051
check "server 127.0.0.2 took it" wait_uas ast2-t100
# a home server that fails: the next one takes the call
check "server 127.0.0.3 fails with 503" start_uas ast3-503 5060 1 127.0.0.3 uas-503.xml
check "server 127.0.0.2 is listening for the failover" start_uas ast2-fo 5060 1 127.0.0.2
check "m600's call is answered after its last server failed" \
	sipp_run m600-fo call-auth.xml "$WORK/m600-call.csv" 1 -s 8600051
check "server 127.0.0.3 saw the call" wait_uas ast3-503
check "server 127.0.0.2 took it" wait_uas ast2-fo
expect_eq "server_failures" 1 "$(stat server_failures)"
check "the failed server is logged as taken out" \
	grep -q "Asterisk server 127.0.0.3 taken out" "$KAMAILIO_LOG"
check "server 127.0.0.3 answers OPTIONS again" \
	start_uas ast3-options 5060 1 127.0.0.3 options-uas.xml
check "the probe reached it" wait_uas ast3-options
sleep 0.5
check "the probe brought it back" \
	grep -q "Asterisk server 127.0.0.3 answers again" "$KAMAILIO_LOG"
expect_eq "servers_down" 0 "$(stat servers_down)"
# a home server that does not answer at all: SERVER_TIMEOUT, then the next
check "server 127.0.0.2 is listening; 127.0.0.3 is silent" \
	start_uas ast2-silent 5060 1 127.0.0.2
check "m600's call is answered after its last server stayed silent" \
	sipp_run m600-silent call-auth.xml "$WORK/m600-call.csv" 1 -s 8600051
check "server 127.0.0.2 took it" wait_uas ast2-silent
expect_eq "server_failures" 2 "$(stat server_failures)"
check "server 127.0.0.3 answers OPTIONS once more" \
	start_uas ast3-options2 5060 1 127.0.0.3 options-uas.xml
check "the probe reached it again" wait_uas ast3-options2
sleep 0.5
expect_eq "servers_down, once more" 0 "$(stat servers_down)"

# --- 3. server -> a number: out by the rules (the dialer) ---
check "the carrier is listening" start_uas carrier 5060 1 127.0.0.5
check "server 127.0.0.2 dials 914155559999" \
	call_from dial-out 127.0.0.2 5060 914155559999
check "the carrier took the call" wait_uas carrier
expect_eq "the 9 stripped, to the rule's trunk" "sip:14155559999@127.0.0.5:5060" \
	"$(received_ruri "$WORK/carrier.msg")"
expect_eq "calls_dial_out" 1 "$(stat calls_dial_out)"
check "a number no rule matches gets 404" \
	call_from dial-404 127.0.0.2 5060 12345 call-404.xml

# --- 4. carrier -> a DID: the active servers, spread, failover ---
check "server 127.0.0.2 is listening for DIDs" start_uas ast2-did 5060 2 127.0.0.2
check "server 127.0.0.3 is listening for DIDs" start_uas ast3-did 5060 2 127.0.0.3
check "the inactive server 127.0.0.4 is listening" start_uas ast4 5060 1 127.0.0.4
for i in 1 2 3 4; do
	check "DID call $i from the carrier is answered" \
		call_from did-$i 127.0.0.5 5060 3125550000
done
check "server 127.0.0.2 took two" wait_uas ast2-did
check "server 127.0.0.3 took two" wait_uas ast3-did
expect_eq "the DID reaches a server as dialled" "sip:3125550000@127.0.0.2:5060" \
	"$(received_ruri "$WORK/ast2-did.msg" | sort -u)"
expect_eq "calls_from_carrier / calls_did" "4 4" \
	"$(stat calls_from_carrier) $(stat calls_did)"
# a destination of a dispatcher set a rule names (ds:1, cfg/dispatcher.list:
# 127.0.0.10:5060) is a carrier too, asked of the dispatcher module
check "server 127.0.0.2 is listening for the dispatcher set's DID" \
	start_uas ast2-ds 5060 1 127.0.0.2
check "server 127.0.0.3 is listening for the dispatcher set's DID" \
	start_uas ast3-ds 5060 1 127.0.0.3
check "a DID from a host of dispatcher set 1 is answered" \
	call_from ds-carrier 127.0.0.10 5060 3125550002
stop_uas ast2-ds
stop_uas ast3-ds
expect_eq "a server got it, as a carrier's call" "1 5" \
	"$(cat "$WORK/ast2-ds.msg" "$WORK/ast3-ds.msg" | grep -c '^INVITE sip:3125550002@') $(stat calls_did)"
check "server 127.0.0.3 fails DIDs with 503" start_uas did-503 5060 2 127.0.0.3 uas-503.xml
check "server 127.0.0.2 is listening" start_uas did-fo 5060 2 127.0.0.2
for i in 1 2; do
	check "DID call $i is answered while 127.0.0.3 fails" \
		call_from did-fo-$i 127.0.0.5 5060 3125550001
done
check "server 127.0.0.2 took both" wait_uas did-fo
expect_eq "127.0.0.3 was tried once, then taken out" 1 \
	"$(grep -c '^INVITE ' "$WORK/did-503.msg")"
stop_uas ast4
expect_eq "the inactive server never got a call" 0 \
	"$(grep -c '^INVITE ' "$WORK/ast4.msg")"

# --- 5. anybody else ---
check "a stranger's call out gets 407" \
	call_from stranger 127.0.0.1 "$SIPP_PORT" 914155559999 call-407.xml
check "the inactive server's call out gets 407" \
	call_from inactive 127.0.0.4 5060 914155559999 call-407.xml
check "a stranger's DID-like call gets 407" \
	call_from stranger-did 127.0.0.6 5060 3125550000 call-407.xml
stop_kamailio

backend_sql <<'SQL'
DELETE FROM servers WHERE server_id = 'ast3';
DELETE FROM phone_routes WHERE id = 50;
DELETE FROM phones WHERE extension = 'm600';
SQL
