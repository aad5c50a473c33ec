# A call centre's office: 100 phones behind one NAT address (127.0.0.20)
# register at once, twice, and keep working; a flood of datagrams forged
# "from" that address (raw socket: root) bans nobody there, while the
# same flood from an address where no phone authenticated is banned; a
# flood of malformed datagrams writes a bounded number of log lines and
# bans its sender.
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
expect_eq "5000 more from the banned sender write no line at all" 0 $((lines2 - lines1))
check "kamailio is still serving" kamailio_alive
stop_kamailio

