# phones_auth() and phones_route() called from a KEMI script (JavaScript,
# app_jsdt) as KSR.phones.phones_auth(realm), KSR.phones.phones_peer_of(uri)
# KSR.phones.phones_route() and KSR.phones.phones_call().
# Sourced by run.sh.

KAMAILIO_CFG=$TOP/tests/integration/kemi/kamailio.cfg
check "kamailio starts with a KEMI (JavaScript) routing script" \
	start_kamailio kemi -A "KEMI_SCRIPT=\"$TOP/tests/integration/kemi/phones.js\""
unset KAMAILIO_CFG

csv "$WORK/kemi-ok.csv" "$(auth_line t100 pw-t100)"
check "KSR.phones.phones_auth accepts the right password" \
	sipp_run kemi-ok register-accepted.xml "$WORK/kemi-ok.csv" 1
csv "$WORK/kemi-refused.csv" "$(auth_line t100 wrong)" "$(auth_line x200 pw-x200)"
check "KSR.phones.phones_auth refuses a wrong password and an EXTERNAL entry" \
	sipp_run kemi-refused register-refused.xml "$WORK/kemi-refused.csv" 2 -l 1
expect_eq "KEMI refusals counted by reason" "1 1" \
	"$(stat auth_refused_password) $(stat auth_refused_external)"
csv "$WORK/kemi-mismatch.csv" "t101;[authentication username=t100 password=pw-t100]"
check "KSR.phones.phones_auth returns -8 for another user's binding" \
	sipp_run kemi-mismatch register-forbidden.xml "$WORK/kemi-mismatch.csv" 1
timeout 30 python3 "$TOP/tests/integration/fraud.py" phone \
	--proxy "127.0.0.1:$KAMAILIO_PORT" --bind 127.0.0.30:7030 --user t100 \
	--password pw-t100 --contact "sip:t100@127.0.0.1:25082" >"$WORK/kemi-peer.out" 2>&1
expect_eq "KSR.phones.phones_peer_of refuses a Contact at trunk A's address" \
	"REGISTER 403" "$(cat "$WORK/kemi-peer.out")"
check "trunk A is listening for a KEMI-routed call" start_uas kemi-trunk 25082 1
check "KSR.phones.phones_route sends x200 to its trunk" call kemi-x200 x200
check "trunk A took the call" wait_uas kemi-trunk
expect_eq "with the rewritten Request-URI" "sip:13125550200@127.0.0.1:25082" \
	"$(received_ruri "$WORK/kemi-trunk.msg")"
check "KSR.phones.phones_route refuses what is not EXTERNAL" \
	call kemi-unknown nobody call-404.xml
check "trunk B is listening for a call KSR.phones.phones_call plans" \
	start_uas kemi-trunk-b 25083 1
check "KSR.phones.phones_call sends x201 out its trunk" call kemi-x201 x201
check "trunk B took the call" wait_uas kemi-trunk-b
expect_eq "with the number its rule made" "sip:017735550201@127.0.0.1:25083" \
	"$(received_ruri "$WORK/kemi-trunk-b.msg")"
check "KSR.phones.phones_call refuses x204 (no rule) with \$phones(code) 404" \
	call kemi-x204 x204 call-404.xml
check "and \$phones(reason) No Route" grep -q "SIP/2.0 404 No Route" "$WORK/kemi-x204.msg"
stop_kamailio
