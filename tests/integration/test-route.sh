# INVITEs for EXTERNAL entries rewritten to their trunk by the rules of
# phone_routes; SIPp UASes play the trunks. Sourced by run.sh.

cat >"$WORK/dispatcher.list" <<DS
# set 1: a trunk that never answers (nothing listens there), then trunk C
1 sip:127.0.0.1:25081 0 10
1 sip:127.0.0.1:25084 0 5
DS
DS_LIST_FILE=$WORK/dispatcher.list
ROUTE_DEFINES=(-A TRUNK_TIMEOUT=1000)

check "kamailio starts with routing rules" start_kamailio route "${ROUTE_DEFINES[@]}"
check "start-up log counts rules loaded and skipped" \
	grep -q "loaded 4 routing rules from table 'phone_routes': 7 rows, 3 skipped" "$KAMAILIO_LOG"
check "a rule that does not compile is reported with its id and pcre2's message" \
	grep -q "route skipped: rule 5: match_exp '^(12': missing closing parenthesis at offset 4" "$KAMAILIO_LOG"
check "a replacement naming a missing group is reported" \
	grep -q "route skipped: rule 6: repl_exp '.3' uses .3 but match_exp has 1 group(s)" "$KAMAILIO_LOG"
check "a trunk with a user part is reported" \
	grep -q "route skipped: rule 7: trunk 'sip:user@127.0.0.1' has a user part" "$KAMAILIO_LOG"
expect_eq "statistic routes" 4 "$(stat routes)"

# --- the trunks get the rewritten Request-URI ---
check "trunk A is listening" start_uas trunk-a 25082 2
check "trunk B is listening" start_uas trunk-b 25083 2
check "x200 (by extension) is answered by its trunk" call x200-ext x200
check "913125550200 (x200's dialplan number) is answered by its trunk" \
	call x200-num 913125550200
check "x201 is answered by its trunk" call x201 x201
check "x202 is answered by its trunk" call x202 x202
check "trunk A took its two calls" wait_uas trunk-a
check "trunk B took its two calls" wait_uas trunk-b
expect_eq "trunk A: the 9 stripped, by extension and by number" \
	"sip:13125550200@127.0.0.1:25082 sip:13125550200@127.0.0.1:25082" \
	"$(received_ruri "$WORK/trunk-a.msg" | xargs)"
expect_eq "trunk B: rule 3 (priority 1) before rule 1, and the transport kept" \
	"sip:017735550201@127.0.0.1:25083 sip:011442079460000@127.0.0.1:25083;transport=udp" \
	"$(received_ruri "$WORK/trunk-b.msg" | xargs)"
check "the trunk is told the entry's caller ID in P-Asserted-Identity" \
	grep -q "^P-Asserted-Identity: <sip:3125550201@127.0.0.1>" "$WORK/trunk-b.msg"
check "From is left as the caller sent it" \
	grep -q '^From: "Agent" <sip:caller@127.0.0.1:'"$SIPP_PORT"'>' "$WORK/trunk-b.msg"
expect_eq "route_external counts the four calls" 4 "$(stat route_external)"

# --- dispatcher set: the first trunk does not answer, the second does ---
check "trunk C is listening" start_uas trunk-c 25084 1
check "x203 (rule trunk ds:1) is answered after failover" call x203 x203
check "trunk C took the call" wait_uas trunk-c
expect_eq "trunk C got the rewritten number" "55512345" \
	"$(received_ruri "$WORK/trunk-c.msg" | sed 's/^sip:\([^@]*\)@.*/\1/')"
check "the failover is logged" \
	grep -q "trunk failed, trying sip:127.0.0.1:25084" "$KAMAILIO_LOG"

# --- what is not routed out ---
check "x204 (no rule matches) gets 404" call x204 x204 call-404.xml
expect_eq "route_no_rule" 1 "$(stat route_no_rule)"
check "x205 (inactive) gets 404" call x205 x205 call-404.xml
expect_eq "route_inactive" 1 "$(stat route_inactive)"
check "an unknown number gets 404" call unknown 5559999 call-404.xml
expect_eq "route_unknown" 1 "$(stat route_unknown)"

# A SIP entry is a device: the script goes on to its registered contact.
# (kamcmd exits 0 even when the RPC fails: its answer is what tells.)
expect_eq "t100 is registered at a phone on 25085" "" \
	"$(kamcmd -s "$CTL" ul.add location t100 sip:t100@127.0.0.1:25085 600 1.0 . 0 0 4294967295 2>&1)"
check "t100's phone is listening" start_uas phone-t100 25085 1
check "a call to t100 reaches its registered contact" call t100 t100
check "the phone took the call" wait_uas phone-t100
expect_eq "the phone got its contact as Request-URI" "sip:t100@127.0.0.1:25085" \
	"$(received_ruri "$WORK/phone-t100.msg")"
expect_eq "route_not_external" 1 "$(stat route_not_external)"

# --- at a call rate: 2,000 calls to an EXTERNAL entry ---
check "trunk A is listening for 2,000 calls" start_uas trunk-a-load 25082 2000
check "2,000 calls to x200 at 200 calls/s all answered" \
	sipp_run route-load call.xml - 2000 -s x200 -r 200 -l 400
check "trunk A answered 2,000 calls" wait_uas trunk-a-load
expect_eq "every one rewritten to 13125550200" 2000 \
	"$(received_ruri "$WORK/trunk-a-load.msg" | grep -c '^sip:13125550200@127.0.0.1:25082$')"
stop_kamailio

# --- only Asterisk servers and authenticated phones may call out ---
echo "1 127.255.255.254 32 0 elsewhere" >"$WORK/address-elsewhere.list"
ADDRESS_LIST_FILE=$WORK/address-elsewhere.list
check "kamailio starts trusting only 127.255.255.254" \
	start_kamailio route-untrusted "${ROUTE_DEFINES[@]}"
unset ADDRESS_LIST_FILE
check "an INVITE from an untrusted address without credentials gets 407" \
	call untrusted x200 call-407.xml
check "trunk A is listening for an authenticated phone's call" start_uas trunk-a-auth 25082 1
csv "$WORK/caller-t100.csv" "t100;[authentication username=t100 password=pw-t100]"
check "a phone calling from an untrusted address with its credentials is routed" \
	sipp_run caller-t100 call-auth.xml "$WORK/caller-t100.csv" 1 -s x200
check "trunk A took the authenticated call" wait_uas trunk-a-auth
csv "$WORK/caller-bad.csv" "t100;[authentication username=t100 password=wrong]"
if sipp_run caller-bad call-auth.xml "$WORK/caller-bad.csv" 1 -s x200 -recv_timeout 2000; then
	fail "a phone with a wrong password was routed"
else
	check "with a wrong password it is challenged again (407), not routed" \
		test "$(grep -c '^SIP/2.0 407' "$WORK/caller-bad.msg")" -ge 2 \
		-a "$(grep -c '^SIP/2.0 200' "$WORK/caller-bad.msg")" = 0
fi
check "the wrong password was counted" test "$(stat auth_refused_password)" -ge 1
# a phone's identity towards the trunk is its own entry's
check "trunk B is listening for t100's call to x201" start_uas trunk-b-auth 25083 1
check "t100 (outbound_cid 3125550100) calls x201 (outbound_cid 3125550201)" \
	sipp_run caller-x201 call-auth.xml "$WORK/caller-t100.csv" 1 -s x201
check "trunk B took it" wait_uas trunk-b-auth
check "the trunk is told t100's caller ID, not x201's" \
	grep -q "^P-Asserted-Identity: <sip:3125550100@127.0.0.1>" "$WORK/trunk-b-auth.msg"
csv "$WORK/caller-spoof.csv" "t101;[authentication username=t100 password=pw-t100]"
if sipp_run caller-spoof call-auth.xml "$WORK/caller-spoof.csv" 1 -s x201 -recv_timeout 2000; then
	fail "t100 calling with From t101 was routed"
else
	check "t100 calling with From t101 gets 403 and is not routed" \
		grep -q "^SIP/2.0 403 From is not the authenticated phone" "$WORK/caller-spoof.msg"
fi
stop_kamailio
unset DS_LIST_FILE
