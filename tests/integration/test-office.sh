# A call centre's office: 100 phones behind one NAT address (127.0.0.20)
# register at once, twice, and keep working; a flood of datagrams forged
# "from" that address (raw socket: root) bans nobody there, while the
# same flood from an address where no phone authenticated is banned; a
# flood of malformed datagrams writes a bounded number of log lines and
# bans its sender; a neighbour at the office's address can neither send a
# phone's answer first nor lock the phone out.
# Sourced by run.sh.

OFFICE=127.0.0.20
STRANGER=127.0.0.21
check "kamailio starts" start_kamailio office

lines=()
for i in $(seq -w 1 100); do lines+=("load$i;[authentication username=load$i password=secret-$i]"); done
csv "$WORK/office.csv" "${lines[@]}"
check "100 phones behind $OFFICE register at once (200 in flight)" \
	sipp_run office1 register-accepted.xml "$WORK/office.csv" 100 -r 1000 -l 200 -i "$OFFICE"
check "all 100 register at once again" \
	sipp_run office2 register-accepted.xml "$WORK/office.csv" 100 -r 1000 -l 200 -i "$OFFICE"
check "the office address is not banned" \
	sh -c "! kamcmd -s '$CTL' htable.dump ipban | grep -q '$OFFICE'"
expect_eq "100 phones are registered" 100 \
	"$(kamcmd -s "$CTL" ul.dump brief 2>/dev/null | grep -c 'AoR: load')"
start_uas office-uas "$SIPP_PORT" 1 "$OFFICE" uas-answer.xml
check "an Asterisk server's call to load050 reaches it and is answered" call office-call load050
check "the phone got the call" wait_uas office-uas

# --- forged floods (raw socket, source address forged) ---
# a small office: two phones, well below any flood threshold
SMALL=127.0.0.22
csv "$WORK/small.csv" "$(auth_line t100 pw-t100)" "$(auth_line t101 pw-t101)"
check "two phones register from a small office $SMALL" \
	sipp_run small1 register-accepted.xml "$WORK/small.csv" 2 -i "$SMALL"
before=$(kamcmd -s "$CTL" htable.dump ipban 2>/dev/null | grep -c "$STRANGER")
expect_eq "the stranger's address is not banned yet" 0 "$before"
expect_eq "3000 REGISTERs forged from $OFFICE are sent" 3000 \
	"$(python3 "$TOP/tests/integration/rawflood.py" "$OFFICE" 5099 127.0.0.1 "$KAMAILIO_PORT" 3000 \
		"$TOP/tests/integration/fixtures/forged-register.sip" 2>&1)"
expect_eq "3000 REGISTERs forged from $SMALL are sent" 3000 \
	"$(python3 "$TOP/tests/integration/rawflood.py" "$SMALL" 5099 127.0.0.1 "$KAMAILIO_PORT" 3000 \
		"$TOP/tests/integration/fixtures/forged-register.sip" 2>&1)"
expect_eq "3000 REGISTERs forged from $STRANGER are sent" 3000 \
	"$(python3 "$TOP/tests/integration/rawflood.py" "$STRANGER" 5099 127.0.0.1 "$KAMAILIO_PORT" 3000 \
		"$TOP/tests/integration/fixtures/forged-register.sip" 2>&1)"
sleep 0.5
check "the same flood from an address where no phone works bans it" \
	sh -c "kamcmd -s '$CTL' htable.dump ipban | grep -q '$STRANGER'"
check "the forged flood does not ban the office" \
	sh -c "! kamcmd -s '$CTL' htable.dump ipban | grep -q '$OFFICE'"
check "nor the small office" \
	sh -c "! kamcmd -s '$CTL' htable.dump ipban | grep -q '$SMALL'"
check "the office's phones register again after the flood" \
	sipp_run office3 register-accepted.xml "$WORK/office.csv" 100 -r 1000 -l 200 -i "$OFFICE"
check "and the small office's" \
	sipp_run small2 register-accepted.xml "$WORK/small.csv" 2 -i "$SMALL"

# --- a flood of malformed datagrams: bounded log lines, the sender banned ---
MALFORMED=127.0.0.24
lines0=$(wc -l <"$KAMAILIO_LOG")
t0=$(date +%s.%N)
expect_eq "5000 datagrams with a broken Via are sent from $MALFORMED" 5000 \
	"$(python3 "$TOP/tests/integration/rawflood.py" "$MALFORMED" 5099 127.0.0.1 "$KAMAILIO_PORT" 5000 \
		"$TOP/tests/integration/fixtures/malformed-via.sip" 2>&1)"
sleep 1
t1=$(date +%s.%N)
lines1=$(wc -l <"$KAMAILIO_LOG")
echo "# malformed flood: $((lines1 - lines0)) log lines for 5000 datagrams in $(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s"
check "they wrote fewer than 3000 log lines (Kamailio's parser: about 19 a message until the ban)" \
	test $((lines1 - lines0)) -lt 3000
check "their sender is banned" sh -c "kamcmd -s '$CTL' htable.dump ipban | grep -q '$MALFORMED'"
check "the ban is logged" grep -q "flood from $MALFORMED: banned" "$KAMAILIO_LOG"
python3 "$TOP/tests/integration/rawflood.py" "$MALFORMED" 5099 127.0.0.1 "$KAMAILIO_PORT" 5000 \
	"$TOP/tests/integration/fixtures/malformed-via.sip" >/dev/null 2>&1
sleep 1
lines2=$(wc -l <"$KAMAILIO_LOG")
sed -n "$((lines1 + 1)),\$p" "$KAMAILIO_LOG" | head -5 | sed 's/^/#   /'
check "5000 more from the banned sender write no line of theirs" \
	sh -c "! sed -n '$((lines1 + 1)),\$p' '$KAMAILIO_LOG' | grep -qE 'parse|malformed|$MALFORMED'"

# --- neighbours behind the same office address (UDP) ---
# A neighbour who sees a phone's answer to its challenge sends it first,
# from its own port with its own Contact: refused (the challenge went to
# the phone's port), and the phone registers at its next answer.
NEIGHBOURS=127.0.0.27
out=$(python3 "$TOP/tests/integration/neighbour.py" replay "127.0.0.1:$KAMAILIO_PORT" \
	"$NEIGHBOURS" load090 secret-090 2>&1)
echo "# replay: $out"
check "a neighbour's copy of the phone's answer, sent first from its own port, is refused" \
	sh -c "echo '$out' | grep -Eq '^neighbour 40[17] '"
check "the phone registers with its next answer" \
	sh -c "echo '$out' | grep -Eq ' retry 200 | phone 200 '"
nport=$(echo "$out" | sed -n 's/.*neighbour-port \([0-9]*\).*/\1/p')
check "load090 is bound, and not at the neighbour's port" \
	sh -c "kamcmd -s '$CTL' ul.lookup location load090 2>/dev/null | grep -q '$NEIGHBOURS' \
		&& ! kamcmd -s '$CTL' ul.lookup location load090 2>/dev/null | grep -q ':$nport'"
check "the refusal is counted (phones:auth_refused_elsewhere)" \
	test "$(stat auth_refused_elsewhere)" -ge 1
check "kamailio is still serving" kamailio_alive
stop_kamailio

# --- lock-outs: a typo's lock ends within seconds, a guesser's grows ---
# (3 wrong passwords lock a pair: first for 2 s, then 4, 8... up to 60)
LOCKOUT_FAILURES_N=3 LOCKOUT_FIRST_N=2 LOCKOUT_TIME_N=60
check "kamailio starts: a pair locked after 3 failures, first for 2 s" start_kamailio office-lock
unset LOCKOUT_FAILURES_N LOCKOUT_FIRST_N LOCKOUT_TIME_N
# wrong NAME IP USER N: N wrong passwords from IP, all refused
wrong() {
	local lines=() i
	for i in $(seq "$4"); do lines+=("$(auth_line "$3" "typo$i")"); done
	csv "$WORK/$1.csv" "${lines[@]}"
	sipp_run "$1" register-refused.xml "$WORK/$1.csv" "$4" -l 1 -i "$2"
}
# right NAME IP USER PASSWORD accepted|refused
right() {
	csv "$WORK/$1.csv" "$(auth_line "$3" "$4")"
	sipp_run "$1" "register-$5.xml" "$WORK/$1.csv" 1 -i "$2"
}
TYPO=127.0.0.25 GUESSER=127.0.0.26
check "a softphone at $TYPO sends a mistyped password 3 times" wrong typo1 "$TYPO" t100 3
check "t100@$TYPO is locked" sh -c "kamcmd -s '$CTL' phones.locks | grep -q 'key: t100@$TYPO'"
check "the right password at once is refused (locked)" right typo-locked "$TYPO" t100 pw-t100 refused
sleep 3
check "3 s later the right password registers" right typo-ok "$TYPO" t100 pw-t100 accepted
check "a guesser at $GUESSER: 3 wrong passwords" wrong guess1 "$GUESSER" t101 3
check "its first lock: 2 s" grep -q "locked out for 2 s after 3 failed authentications: extension 't101' from $GUESSER" "$KAMAILIO_LOG"
sleep 3
check "3 more after it ended" wrong guess2 "$GUESSER" t101 3
check "its second lock: 4 s" grep -q "locked out for 4 s after 3 failed authentications: extension 't101' from $GUESSER" "$KAMAILIO_LOG"
sleep 5
check "3 more" wrong guess3 "$GUESSER" t101 3
check "its third lock: 8 s" grep -q "locked out for 8 s after 3 failed authentications: extension 't101' from $GUESSER" "$KAMAILIO_LOG"
sleep 3
check "3 s into it, even t101's right password is refused there" right guess-locked "$GUESSER" t101 pw-t101 refused
check "while the phone t101 at its own address registers" right t101-home 127.0.0.27 t101 pw-t101 accepted
# A colleague behind the same office address fails for another phone's
# extension from their own port: they are locked out, the phone at the
# port it registered from is not, and its registrations do not lift the
# colleague's lock.
COLLEAGUES=127.0.0.28
out=$(python3 "$TOP/tests/integration/neighbour.py" colleague "127.0.0.1:$KAMAILIO_PORT" \
	"$COLLEAGUES" load091 secret-091 4 2>&1)
echo "# colleague: $out"
check "the phone registers, the colleague's wrong passwords are refused" \
	sh -c "echo '$out' | grep -Eq '^phone 200 colleague-failed 40[1-7] '"
check "the colleague is locked out" grep -q "extension 'load091' from $COLLEAGUES" "$KAMAILIO_LOG"
check "the phone registers again from its own port while the colleague is locked out" \
	sh -c "echo '$out' | grep -q ' phone-again 200 '"
check "the colleague, locked, is refused even with the right password" \
	sh -c "echo '$out' | grep -Eq ' colleague-right 40[1-7]\$'"

# --- JSON-RPC over HTTP: guessing its password is counted and stopped ---
http() { python3 "$TOP/tests/integration/httpcheck.py" "$HTTP_PORT" "$@"; }
rpcv='{"jsonrpc":"2.0","method":"core.version","id":1}'
codes=$(for i in $(seq 10); do http POST /RPC "$rpcv" "admin:guess$i" | cut -d' ' -f1; done | sort | uniq -c | tr -s ' ')
expect_eq "10 wrong passwords: 401 each" " 10 401" "$codes"
expect_eq "then even the right password gets 403" "403" \
	"$(http POST /RPC "$rpcv" "admin:$RPC_SECRET" | cut -d' ' -f1)"
check "the lock is logged" grep -q "JSON-RPC: 10 failed logins from 127.0.0.1" "$KAMAILIO_LOG"
stop_kamailio
