# Several proxies, one truth: three instances of cfg/kamailio.cfg with
# WITH_DMQ, on 127.0.0.1, 127.0.0.6 and 127.0.0.7 (port $PROXY_PORT, 5060,
# each), one database. Asterisk servers on 127.0.0.2 and 127.0.0.3 (SIPp on
# 5060), phones on 127.0.0.1 (SIPp on $SIPP_PORT) and, behind NAT,
# 127.0.0.9. Sourced by run.sh.

backend_sql <<'SQL'
-- a third Asterisk server, for the burst through the three proxies
INSERT INTO servers (server_id, server_ip, active, rebuild_conf_files)
VALUES ('ast8', '127.0.0.8', 'Y', 'N');
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

# dmq_nodes N: the other proxies proxy N knows as active (by dmq itself),
# each once, its own address aside.
dmq_nodes() {
	pkam "$1" dmq.list_nodes 2>/dev/null | awk -v self="${PROXY_IP[$1]}" '
		/host: / { host = $2 } /status: active/ { active = 1 }
		/^}/ { if (active && host != self) seen[host] = 1; active = 0 }
		END { n = 0; for (h in seen) n++; print n }'
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
# the cfg's default: 10 wrong passwords of a pair lock it
LOCKOUT_FAILURES_N=10
# proxy 1 is the seed: it names itself, the others name it
check "proxy 1 starts on 127.0.0.1" start_proxy 1 127.0.0.1 127.0.0.1
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

# --- a phone behind NAT (Via, Contact :9999, sends from 127.0.0.9:7010)
# registered at proxy 1 is called through proxy 3: the call goes through
# proxy 1, the address its NAT binding knows ---
check "a phone behind NAT registers at proxy 1" \
	on 1 start_phone dmq-nat load011 secret-011 6 --proxy "127.0.0.1:$PROXY_PORT" \
	--bind 127.0.0.9:7010 --advertise 127.0.0.9:9999 --watch 9999
check "proxy 3 has its binding" wait_for 1 registered 3 load011
check "server 127.0.0.3 reaches it through proxy 3" \
	on 3 call_from dmq-s3-nat 127.0.0.3 5060 load011
sleep 0.5
expect_eq "the phone got INVITE, ACK and BYE on 7010" 3 \
	"$(phone_got dmq-nat '"method": "(INVITE|ACK|BYE)"')"
expect_eq "each from proxy 1 (the proxy it registered with)" 3 \
	"$(phone_got dmq-nat "\"src\": \"127.0.0.1:$PROXY_PORT\"")"
expect_eq "nothing went to the port it named (9999)" 0 \
	"$(phone_got dmq-nat '"watch": true')"
stop_phone dmq-nat

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

# --- provisioning through one proxy is live on every proxy ---
# (the peers take the change from the database, never from the message)
# in_table N EXT: proxy N's live table holds EXT.
in_table() {
	pkam "$1" phones.get "$2" 2>/dev/null | grep -q "extension: $2"
}
sent2=$(pstat 2 dmq_sent)
recv3=$(pstat 3 dmq_received)
ADD801="source=test&user=6666&pass=1234&function=add_phone&extension=c801&dialplan_number=7801&voicemail_id=7801&phone_login=l801&phone_pass=pp801&server_ip=127.0.0.2&protocol=SIP&registration_password=secret801&phone_full_name=Cluster+801&local_gmt=-5.00&outbound_cid=3125550801"
expect_eq "c801 is added through proxy 2's HTTP API" \
	"SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|c801|127.0.0.2|SIP|7801" \
	"$(curl -s "http://127.0.0.6:$HTTP_PORT/vicidial/non_agent_api.php?$ADD801")"
check "proxy 2 told its peers (dmq_sent)" test "$(pstat 2 dmq_sent)" -gt "$sent2"
sleep 1
check "proxy 3 got it (dmq_received)" test "$(pstat 3 dmq_received)" -gt "$recv3"
csv "$WORK/c801.csv" "$(auth_line c801 secret801)"
check "one second later, c801 registers at proxy 3" \
	on 3 sipp_run dmq-reg-c801 register-accepted.xml "$WORK/c801.csv" 1
check "proxy 1 has it in its table too" in_table 1 c801
check "taken in by the per-entry change, not a reload" \
	grep -q "a peer's change of phone 'c801' on 127.0.0.2 taken in" "${PROXY_LOG[3]}"
check "c801's password is changed through proxy 1's RPC" sh -c \
	"kamcmd -s '${PROXY_CTL[1]}' phones.update source=rpc user=6666 pass=1234 \
	extension=c801 server_ip=127.0.0.2 registration_password=changed801 |
	grep -q 'SUCCESS: update_phone PHONE HAS BEEN UPDATED'"
sleep 1
check "one second later the old password is refused at proxy 2" \
	on 2 sipp_run dmq-reg-c801-old register-refused.xml "$WORK/c801.csv" 1
csv "$WORK/c801-new.csv" "$(auth_line c801 changed801)"
check "and the new one accepted at proxy 3" \
	on 3 sipp_run dmq-reg-c801-new register-accepted.xml "$WORK/c801-new.csv" 1
check "c801 is deleted through proxy 3's RPC" sh -c \
	"kamcmd -s '${PROXY_CTL[3]}' phones.delete source=rpc user=6666 pass=1234 \
	extension=c801 server_ip=127.0.0.2 | grep -q 'PHONE HAS BEEN DELETED'"
sleep 1
check "one second later proxy 1 no longer has it" sh -c "kamcmd -s '${PROXY_CTL[1]}' phones.get c801 2>&1 | grep -q '^error: 404'"
check "nor proxy 2" sh -c "kamcmd -s '${PROXY_CTL[2]}' phones.get c801 2>&1 | grep -q '^error: 404'"
check "and it registers at proxy 2 no more" \
	on 2 sipp_run dmq-reg-c801-gone register-refused.xml "$WORK/c801-new.csv" 1
# A message only names a change: a forged one naming a phone the database
# lacks changes nothing; a malformed one is refused with 400.
kdmq() {
	local body=$2
	printf 'KDMQ sip:phones@127.0.0.1:%s SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:25079;branch=z9hG4bK-%s\r\nFrom: <sip:phones@127.0.0.1:25079>;tag=f%s\r\nTo: <sip:phones@127.0.0.1:%s>\r\nCall-ID: kdmq-%s@127.0.0.1\r\nCSeq: 1 KDMQ\r\nMax-Forwards: 1\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s' \
		"$PROXY_PORT" "$1" "$1" "$PROXY_PORT" "$1" "${#body}" "$body" >"$WORK/$1.sip"
}
kdmq kdmq-ghost "phones/1 change 127.0.0.2 ghost900"
kdmq kdmq-bad "phones/1 change 127.0.0.2 two words"
refused1=$(pstat 1 dmq_refused)
expect_eq "a forged change of a phone the database lacks is answered" \
	"kdmq-ghost.sip: SIP/2.0 200 OK" \
	"$(python3 "$TOP/tests/integration/rawsip.py" 127.0.0.1 "$PROXY_PORT" 25079 "$WORK/kdmq-ghost.sip")"
check "  and changes nothing: the database has no ghost900" \
	sh -c "kamcmd -s '${PROXY_CTL[1]}' phones.get ghost900 2>&1 | grep -q '^error: 404'"
expect_eq "a malformed message is refused" "kdmq-bad.sip: SIP/2.0 400 Bad Request" \
	"$(python3 "$TOP/tests/integration/rawsip.py" 127.0.0.1 "$PROXY_PORT" 25079 "$WORK/kdmq-bad.sip")"
expect_eq "  and counted (dmq_refused)" $((refused1 + 1)) "$(pstat 1 dmq_refused)"

# --- a reload on one reloads all ---
r1=$(pstat 1 reloads)
r3=$(pstat 3 reloads)
check "phones.reload at proxy 2" sh -c "kamcmd -s '${PROXY_CTL[2]}' phones.reload >/dev/null"
sleep 1
expect_eq "proxy 1 reloaded too" $((r1 + 1)) "$(pstat 1 reloads)"
expect_eq "proxy 3 reloaded too" $((r3 + 1)) "$(pstat 3 reloads)"

# --- what each knows of its peers ---
check "phones.peers at proxy 1 lists proxy 2 and proxy 3 as active, not itself" sh -c \
	"kamcmd -s '${PROXY_CTL[1]}' phones.peers | tr -d '\n' |
	grep -q 'active_peers: 2' &&
	kamcmd -s '${PROXY_CTL[1]}' phones.peers | grep -q 'sip:127.0.0.6:$PROXY_PORT' &&
	kamcmd -s '${PROXY_CTL[1]}' phones.peers | grep -q 'sip:127.0.0.7:$PROXY_PORT'"
expect_eq "statistic dmq_peers at proxy 3" 2 "$(pstat 3 dmq_peers)"

# --- lockout counted across proxies: 4 wrong passwords at each of the
# three (12 > LOCKOUT_FAILURES 10) lock t100 from 127.0.0.1 on all ---
pair_locked() {
	kamcmd -s "${PROXY_CTL[$1]}" phones.locks 2>/dev/null | grep -q 'key: t100@127.0.0.1$'
}
csv "$WORK/t100-wrong.csv" "$(auth_line t100 not-the-password)"
for n in 1 2 3; do
	check "4 wrong passwords of t100 at proxy $n are refused" \
		on $n sipp_run dmq-wrong-$n register-refused.xml "$WORK/t100-wrong.csv" 4
	sleep 0.3
done
for n in 1 2 3; do
	check "t100 from 127.0.0.1 is locked at proxy $n" wait_for 1 pair_locked $n
done
csv "$WORK/t100-right.csv" "$(auth_line t100 pw-t100)"
for n in 1 2 3; do
	check "the right password from 127.0.0.1 is refused at proxy $n" \
		on $n sipp_run dmq-locked-$n register-refused.xml "$WORK/t100-right.csv" 1
done
expect_eq "proxy 1 counted 4 wrong passwords itself, the rest were its peers'" \
	"4" "$(pstat 1 auth_refused_password)"
for n in 1 2 3; do pkam $n phones.unlock t100 >/dev/null 2>&1; done
check "unlocked on each, t100 registers again at proxy 2" \
	on 2 sipp_run dmq-unlocked register-accepted.xml "$WORK/t100-right.csv" 1

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

# --- a proxy killed during a burst of calls: the calls through the others
# are all answered and hung up (servers 127.0.0.2, .8 and .3 call d700
# through proxies 1, 2 and 3; proxy 2 is killed after a second) ---
# burst NAME FROM-IP FROM-PORT PROXY CALLS: CALLS calls from an Asterisk
# server to d700 through proxy PROXY, 20 a second, in the background.
declare -A BURST_PIDS
burst() {
	timeout 120 sipp -sf "$TOP/tests/integration/scenarios/call.xml" \
		-s d700 -m "$5" -r 20 -l 20 -i "$2" -p "$3" \
		-recv_timeout 3000 -timeout 60 -nostdin \
		-trace_err -error_file "$WORK/$1.err" \
		"${PROXY_IP[$4]}:$PROXY_PORT" >"$WORK/$1.out" 2>&1 &
	BURST_PIDS[$1]=$!
}
# crash_proxy N: proxy N and its children killed at once (SIGKILL), as a
# machine that fails.
crash_proxy() {
	local pid=${PROXY_PID[$1]}
	kill -9 "$pid" $(pgrep -P "$pid") 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "PROXY_PID[$1]"
}
check "d700's phone is listening for the burst" \
	start_uas dmq-burst-phone "$SIPP_PORT" 100000
burst dmq-burst-1 127.0.0.2 5060 1 60
burst dmq-burst-2 127.0.0.8 5060 2 100
burst dmq-burst-3 127.0.0.3 5060 3 60
sleep 1
crash_proxy 2
check "proxy 2 is gone" sh -c "! kamcmd -s '${PROXY_CTL[2]}' core.uptime >/dev/null 2>&1"
wait "${BURST_PIDS[dmq-burst-1]}"
expect_eq "every call through proxy 1 was answered and hung up" 0 $?
wait "${BURST_PIDS[dmq-burst-3]}"
expect_eq "every call through proxy 3 was answered and hung up" 0 $?
wait "${BURST_PIDS[dmq-burst-2]}"
check "calls through proxy 2 failed: it died mid-burst" test $? -ne 0
stop_uas dmq-burst-phone
expect_eq "the phone got the 120 calls of proxies 1 and 3, and some of proxy 2's" 1 \
	"$(n=$(grep -c '^INVITE ' "$WORK/dmq-burst-phone.msg"); [ "$n" -gt 120 ] && [ "$n" -lt 220 ] && echo 1 || echo "$n")"
unset ADDRESS_LIST_FILE LOCKOUT_FAILURES_N

stop_proxies
backend_sql <<'SQL'
DELETE FROM phones WHERE extension = 'd700';
DELETE FROM servers WHERE server_id = 'ast8';
SQL
