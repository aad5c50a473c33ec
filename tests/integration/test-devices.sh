# One extension, several devices (phone_devices): ringing all at once or
# in turn, each position for its ring time, busy and unanswered calls,
# devices that cannot ring skipped at once. SIPp UASes are the devices
# (t100 on 25091, t101 on 25092, trunk A on 25082); the caller is the
# Asterisk server 127.0.0.2. Sourced by run.sh.

backend_sql <<'SQL'
INSERT INTO phone_devices (extension, device, position, ring_seconds, active)
VALUES
  ('8001', 't100', 1, 3, 'Y'), ('8001', 't101', 1, 3, 'Y'),
  ('8002', 't100', 1, 2, 'Y'), ('8002', 't101', 2, 3, 'Y'),
  ('8003', 't100', 1, 2, 'Y'), ('8003', 't101', 1, 2, 'Y'),
  ('8004', 't100', 1, 1, 'Y'),
  ('8005', 't300', 1, 5, 'Y'), ('8005', 'load001', 1, 5, 'Y'),
  ('8005', 't101', 2, 2, 'N'), ('8005', 't100', 3, 2, 'Y'),
  ('8006', '913125550300', 1, 5, 'Y'),
  ('8007', 'bad device', 1, 5, 'Y'), ('8007', 't100', 0, 5, 'Y');
SQL

K() { kamcmd -s "$CTL" "$@" 2>&1; }
# msg_time MSGFILE REGEX: the time (seconds since the epoch) of the first
# message sent or received whose first line matches REGEX
msg_time() {
	awk -v re="$2" '
		/^----------------------------------------------- / {
			split($3, t, ":")
			if (!($2 in day)) { cmd = "date -d \"" $2 "\" +%s"; cmd | getline day[$2]; close(cmd) }
			d = day[$2]
			stamp = d + t[1] * 3600 + t[2] * 60 + t[3]; want = 0; next
		}
		/message (sent|received)/ { want = 1; next }
		want && NF { if ($0 ~ re) { printf "%.3f\n", stamp; exit } want = 0 }
	' "$1"
}
# within A B LIMIT: |A - B| <= LIMIT
within() { awk -v a="$1" -v b="$2" -v l="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && b != "" && d <= l) }'; }
register_at() { # EXT PORT
	K ul.add location "$1" "sip:$1@127.0.0.1:$2" 600 1.0 . 0 0 4294967295 >/dev/null
}
server_call() { # NAME USER [scenario]
	call_from "$1" 127.0.0.2 5060 "$2" "${3:-call.xml}"
}

check "kamailio starts" start_kamailio devices
check "start-up log counts the devices loaded and skipped" \
	grep -q "loaded 12 devices from table 'phone_devices': 14 rows, 1 inactive, 2 skipped no_device=1 bad_position=1" "$KAMAILIO_LOG"
expect_eq "statistic devices" 12 "$(stat devices)"
register_at t100 25091
register_at t101 25092

# --- all at once: the first answer wins, the other branch is cancelled ---
check "t100 answers after 1 s" start_uas d1-t100 25091 1 127.0.0.1 uas-answer.xml
check "t101 rings until cancelled" start_uas d1-t101 25092 1 127.0.0.1 uas-ring.xml
check "a server's call to 8001 is answered" server_call d1 8001
check "t100 answered it" wait_uas d1-t100
check "t101 rang and was cancelled" wait_uas d1-t101
check "both rang at once" within "$(msg_time "$WORK/d1-t100.msg" '^INVITE')" \
	"$(msg_time "$WORK/d1-t101.msg" '^INVITE')" 0.5
check "t101's CANCEL came when t100 answered, 1 s in" within \
	"$(msg_time "$WORK/d1-t101.msg" '^CANCEL')" "$(msg_time "$WORK/d1-t100.msg" '^INVITE')" 1.5

# --- in turn: position 1 for its 2 s, then position 2 ---
check "t100 rings until cancelled" start_uas d2-t100 25091 1 127.0.0.1 uas-ring.xml
check "t101 answers after 1 s" start_uas d2-t101 25092 1 127.0.0.1 uas-answer.xml
check "a server's call to 8002 is answered" server_call d2 8002
check "t100 rang and was cancelled" wait_uas d2-t100
check "t101 answered" wait_uas d2-t101
t_inv=$(msg_time "$WORK/d2-t100.msg" '^INVITE')
t_can=$(msg_time "$WORK/d2-t100.msg" '^CANCEL')
t_next=$(msg_time "$WORK/d2-t101.msg" '^INVITE')
check "t100 rang 2 s ($t_inv to $t_can), within 0.5 s" \
	within "$(awk -v a="$t_inv" -v b="$t_can" 'BEGIN { print b - a }')" 2 0.5
check "t101 rang when t100's time was up ($t_next)" within "$t_next" "$t_can" 0.5

# --- busy everywhere: 486 ---
check "t100 is busy" start_uas d3-t100 25091 1 127.0.0.1 uas-busy.xml
check "t101 is busy" start_uas d3-t101 25092 1 127.0.0.1 uas-busy.xml
check "a call to 8003 gets 486" server_call d3 8003 call-486.xml
check "t100 was asked and said busy" wait_uas d3-t100
check "t101 was asked and said busy" wait_uas d3-t101

# --- nobody answers: 480 after the last position's time ---
check "t100 rings until cancelled" start_uas d4-t100 25091 1 127.0.0.1 uas-ring.xml
check "a call to 8004 gets 480" server_call d4 8004 call-480.xml
check "t100 rang and was cancelled" wait_uas d4-t100
check "after its 1 s ring time" within "$(awk -v a="$(msg_time "$WORK/d4-t100.msg" '^INVITE')" \
	-v b="$(msg_time "$WORK/d4-t100.msg" '^CANCEL')" 'BEGIN { print b - a }')" 1 0.5
check "the caller got 480 when the ring time was up" within \
	"$(msg_time "$WORK/d4.msg" '^SIP/2.0 480')" "$(msg_time "$WORK/d4-t100.msg" '^CANCEL')" 0.5

# --- what cannot ring is skipped at once; an inactive device never rings ---
check "t100 answers after 1 s" start_uas d5-t100 25091 1 127.0.0.1 uas-answer.xml
check "t101 (an inactive device of 8005) listens" start_uas d5-t101 25092 1 127.0.0.1 uas-ring.xml
check "a call to 8005 is answered" server_call d5 8005
check "t100 answered it" wait_uas d5-t100
check "t100 rang at once: position 1 (inactive entry, unregistered phone) skipped" within \
	"$(msg_time "$WORK/d5-t100.msg" '^INVITE')" "$(msg_time "$WORK/d5.msg" '^INVITE')" 0.5
check "the inactive device t101 got nothing" sh -c "! grep -q '^INVITE' '$WORK/d5-t101.msg' 2>/dev/null"
stop_uas d5-t101

# --- a device that is a number goes out the trunks by the rules ---
check "trunk A listens" start_uas d6-trunk 25082 1
check "a call to 8006 is answered by trunk A" server_call d6 8006
check "trunk A took it" wait_uas d6-trunk
expect_eq "with the number the rule made" "sip:13125550300@127.0.0.1:25082" \
	"$(received_ruri "$WORK/d6-trunk.msg")"

# --- the number behind 8006 rings only for an Asterisk server's call: a
# phone (with a leaked password) calling 8006 reaches its Asterisk server,
# which decides, and a stranger is challenged; neither reaches the trunk
# through the devices (toll fraud) ---
check "trunk A listens" start_uas d8-trunk 25082 1
check "t100's server 127.0.0.2 answers" start_uas d8-ast 5060 1 127.0.0.2
# from 127.0.0.20: no server's, carrier's or trusted address
csv "$WORK/d8.csv" "$(auth_line t100 pw-t100)"
check "t100 (its password) calling 8006 is answered" \
	call_from d8-phone 127.0.0.20 25079 8006 call-auth.xml -inf "$WORK/d8.csv"
check "by its Asterisk server" wait_uas d8-ast
expect_eq "which was asked for 8006" "8006" \
	"$(received_ruri "$WORK/d8-ast.msg" | sed 's/^sip:\([^@]*\)@.*/\1/')"
check "a stranger calling 8006 is challenged" call_from d8-stranger 127.0.0.20 25079 8006 call-407.xml
check "the trunk got no call through 8006's devices" \
	sh -c "! grep -q '^INVITE' '$WORK/d8-trunk.msg' 2>/dev/null"
stop_uas d8-trunk

# --- what a call would do, and choosing the devices that ring ---
check "phones.get 8005 shows its devices and what each does now" sh -c "
	out=\$(kamcmd -s '$CTL' phones.get 8005)
	echo \"\$out\" | grep -q 'now: cannot ring: not an active phone or a number' &&
	echo \"\$out\" | grep -q 'now: cannot ring: not registered' &&
	echo \"\$out\" | grep -q 'now: inactive' &&
	echo \"\$out\" | grep -q 'now: rings 1 contact(s)'"
check "phones.get 8006 shows the trunk its number goes to" \
	sh -c "kamcmd -s '$CTL' phones.get 8006 | grep -q 'now: rings sip:13125550300@127.0.0.1:25082'"
expect_eq "phones.devices 8001 t101: only t101 rings" "SUCCESS: devices - 8001|t101" \
	"$(K phones.devices 8001 t101)"
expect_eq "written to the database" "t100|N t101|Y" \
	"$(backend_query "SELECT device, active FROM phone_devices WHERE extension = '8001' ORDER BY device" | xargs)"
check "t100 (now inactive for 8001) listens" start_uas dc-t100 25091 1 127.0.0.1 uas-ring.xml
check "t101 answers after 1 s" start_uas dc-t101 25092 1 127.0.0.1 uas-answer.xml
check "the next call to 8001 is answered" server_call dc 8001
check "by t101" wait_uas dc-t101
check "and t100 did not ring" sh -c "! grep -q '^INVITE' '$WORK/dc-t100.msg' 2>/dev/null"
stop_uas dc-t100
check "a device of another extension is refused, nothing changes" sh -c "
	kamcmd -s '$CTL' phones.devices 8001 t100 s:913125550300 2>&1 |
		grep -q 'ERROR: devices NOT A DEVICE OF THE EXTENSION - 8001|913125550300'"
expect_eq "the database is as it was" "t100|N t101|Y" \
	"$(backend_query "SELECT device, active FROM phone_devices WHERE extension = '8001' ORDER BY device" | xargs)"
api() { curl -s "http://127.0.0.1:$HTTP_PORT/vicidial/non_agent_api.php?$1"; }
expect_eq "the provisioning endpoint shows 8001's devices" \
	"SUCCESS: devices - 8001|t100:1:3:N,t101:1:3:Y" \
	"$(api 'source=test&user=6666&pass=1234&function=devices&extension=8001')"
expect_eq "and chooses them (the agent screen)" "SUCCESS: devices - 8001|t100,t101" \
	"$(api 'source=test&user=6666&pass=1234&function=devices&extension=8001&devices=t100,t101')"
expect_eq "live at once" "Y Y" \
	"$(K phones.devices 8001 | sed -n 's/^[[:space:]]*active: //p' | xargs)"
expect_eq "a user without the agent API or admin access may not" \
	"ERROR: devices USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - inactive" \
	"$(api 'source=test&user=inactive&pass=pw&function=devices&extension=8001&devices=t100')"
expect_eq "nor a wrong password" \
	"ERROR: devices USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION - 6666" \
	"$(api 'source=test&user=6666&pass=wrong&function=devices&extension=8001&devices=t100')"
check "no password reached the log" sh -c "! grep -q 'wrong\|pass=1234' '$KAMAILIO_LOG'"

# --- an extension without devices is routed as before ---
check "a call to 9999 (no devices, no entry, no rule) gets 404" \
	server_call d7 9999 call-404.xml
check "calls to devices are counted" test "$(stat calls_to_devices)" -ge 5

stop_kamailio
