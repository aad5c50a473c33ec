# Hostile input: password guessing, scans, enumeration, malformed messages,
# floods. Sourced by run.sh.

K() { kamcmd -s "$CTL" "$@" 2>&1; }
register_as() { # NAME USER PASSWORD accepted|refused
	csv "$WORK/$1.csv" "$(auth_line "$2" "$3")"
	sipp_run "$1" "register-$4.xml" "$WORK/$1.csv" 1
}

# --- password guessing: the extension, then the address, locked out ---
LOCKOUT_FAILURES_N=5
check "kamailio starts with a lockout after 5 failures" start_kamailio hostile-lock
unset LOCKOUT_FAILURES_N
lines=()
for i in 1 2 3 4 5; do lines+=("$(auth_line t100 guess$i)"); done
csv "$WORK/guess.csv" "${lines[@]}"
check "five wrong passwords for t100 are refused" \
	sipp_run guess register-refused.xml "$WORK/guess.csv" 5 -l 1
check "t100 and the address are locked" \
	sh -c "kamcmd -s '$CTL' phones.locks | grep -q 'key: ext:t100' &&
		kamcmd -s '$CTL' phones.locks | grep -q 'key: ip:127.0.0.1'"
check "now even t100's right password is refused, with the same 401" \
	register_as locked t100 pw-t100 refused
check "refused as locked, without the password checked" \
	grep -q "authentication refused (locked): user 't100'" "$KAMAILIO_LOG"
expect_eq "phones.unlock forgets the address" 1 "$(K phones.unlock ip:127.0.0.1)"
check "another phone from the address registers again" register_as other t101 pw-t101 accepted
check "t100 itself is still locked" register_as still t100 pw-t100 refused
expect_eq "phones.unlock t100 forgets the extension" 1 "$(K phones.unlock t100)"
check "then t100 registers" register_as unlocked t100 pw-t100 accepted
check "locked refusals and lockouts are counted" \
	test "$(stat auth_refused_locked)" -ge 2 -a "$(stat lockouts)" -ge 2
lines=()
for i in 1 2 3 4 5 6; do lines+=("$(auth_line "scan$i" x)"); done
csv "$WORK/scan-ip.csv" "${lines[@]}"
sipp_run scan-ip register-refused.xml "$WORK/scan-ip.csv" 6 -l 1
check "unknown usernames lock the address that tries them" \
	sh -c "kamcmd -s '$CTL' phones.locks | grep -q 'key: ip:127.0.0.1'"
check "so that a good phone from there is refused too" register_as from-scanner t101 pw-t101 refused
check "phones.unlock all forgets every lock" sh -c "kamcmd -s '$CTL' phones.unlock all | grep -q '^[1-9]'"
check "and it registers again" register_as after-all t101 pw-t101 accepted
stop_kamailio

# --- a scan of 20,000 random usernames does not grow memory ---
LOCKOUT_FAILURES_N=100000
check "kamailio starts" start_kamailio hostile-scan
unset LOCKOUT_FAILURES_N
awk 'BEGIN { srand(42); print "SEQUENTIAL";
	for (i = 0; i < 20000; i++) {
		u = sprintf("u%08x%04d", int(rand() * 4294967295), i);
		printf "%s;[authentication username=%s password=x]\n", u, u } }' >"$WORK/scan.csv"
# warm-up: the same traffic, so that the allocator has settled
head -2001 "$WORK/scan.csv" | sed 's/;\[authentication username=u/;[authentication username=w/; s/^u/w/' >"$WORK/warm.csv"
sipp_run warm register-refused.xml "$WORK/warm.csv" 2000 -r 1000 -l 500
sleep 1
used_before=$(K core.shmmem | sed -n 's/^[[:space:]]*used: //p')
check "20,000 random usernames are all refused" \
	sipp_run scan register-refused.xml "$WORK/scan.csv" 20000 -r 2000 -l 1000
sleep 1
used_after=$(K core.shmmem | sed -n 's/^[[:space:]]*used: //p')
check "shared memory did not grow with them (grew $((used_after - used_before)) bytes)" \
	test $((used_after - used_before)) -lt 65536
check "the scan was counted as unknown users" test "$(stat auth_refused_unknown)" -ge 20000
stop_kamailio

# --- enumeration, as svwar does it: compare the answers ---
echo "1 127.255.255.254 32 0 elsewhere" >"$WORK/address-elsewhere.list"
ADDRESS_LIST_FILE=$WORK/address-elsewhere.list
check "kamailio starts, this host untrusted" start_kamailio hostile-enum
unset ADDRESS_LIST_FILE
users="svwar$RANDOM t100 t101 x200 t300 t301 amb400 i500 nobody"
for u in $users; do
	csv "$WORK/enum-$u.csv" "$(auth_line "$u" wrong-password)"
	sipp_run "enum-$u" register-refused.xml "$WORK/enum-$u.csv" 1
	call "enum-invite-$u" "$u" call-407.xml
done
for u in $users; do responses_401 "$WORK/enum-$u.msg"; done >"$WORK/enum-401.txt"
expect_eq "REGISTER, without and with credentials: one answer for every user" \
	1 "$(sort -u "$WORK/enum-401.txt" | wc -l)"
expect_eq "  (two 401s per user compared)" 18 "$(wc -l <"$WORK/enum-401.txt")"
for u in $users; do
	grep -A20 '^SIP/2.0 407' "$WORK/enum-invite-$u.msg" | grep -v -e '^$' -e '^---' |
		sed -E -e 's/sip:[^@;>]*@/sip:USER@/g' -e 's/tag=[^;>[:space:]]*/tag=TAG/g' \
			-e 's/branch=[^;[:space:]]*/branch=BRANCH/g' -e 's/^(Call-ID): .*/\1: CALLID/' \
			-e 's/nonce="[^"]*"/nonce="NONCE"/' | sed -n '1,/^Content-Length/p' | tr '\n' '|'
	echo
done >"$WORK/enum-407.txt"
expect_eq "INVITE from outside: one answer (407) for every user" \
	1 "$(sort -u "$WORK/enum-407.txt" | wc -l)"
stop_kamailio

# --- malformed messages: no crash, and the next good request is served ---
check "kamailio starts" start_kamailio hostile-malformed
M=$WORK/malformed
mkdir -p "$M"
req() { # NAME: the request on standard input, LF turned into CRLF
	sed 's/$/\r/' >"$M/$1"
}
good_headers="Via: SIP/2.0/UDP 127.0.0.1:25079;branch=z9hG4bK-x
From: <sip:t100@127.0.0.1>;tag=1
To: <sip:t100@127.0.0.1>
Call-ID: malformed@127.0.0.1
CSeq: 1 REGISTER
Max-Forwards: 70
Content-Length: 0"
printf 'REGISTER sip:127.0.0.1 SIP/2.0\nFrom: <sip:t100@127.0.0.1>;tag=1\nTo: <sip:t100@127.0.0.1>\nCall-ID: a\nCSeq: 1 REGISTER\nContent-Length: 0\n\n' | req no-via
printf 'REGISTER sip:127.0.0.1 SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:25079;branch=z9hG4bK-y\nTo: <sip:t100@127.0.0.1>\nCall-ID: b\nCSeq: 1 REGISTER\nContent-Length: 0\n\n' | req no-from
printf 'REGISTER sip:127.0.0.1 SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:25079;branch=z9hG4bK-z\nFrom: <sip:t100@127.0.0.1>;tag=1\nTo: <sip:t100@127.0.0.1>\nCall-ID: c\nContent-Length: 0\n\n' | req no-cseq
printf 'REGISTER sip:127.0.0.1 SIP/2.0\n%s\nTo: <sip:t101@127.0.0.1>\n\n' "$good_headers" | req two-to
printf 'REGISTER sip:127.0.0.1 SIP/2.0\n%s\nCSeq: 2 INVITE\n\n' "$good_headers" | req two-cseq
for a in 'Digest' 'Digest username=' 'Digest username="t100", realm="127.0.0.1", nonce="", uri="sip:127.0.0.1", response="x"' \
	'Digest username="t100" realm="127.0.0.1" nonce=unquoted response=' 'Basic dDEwMDpwdy10MTAw' \
	"Digest username=\"$(head -c 4000 /dev/zero | tr '\0' 'u')\", realm=\"127.0.0.1\", nonce=\"abc\", uri=\"sip:127.0.0.1\", response=\"0123456789abcdef0123456789abcdef\"" \
	'Digest username="t100", realm="127.0.0.1", nonce="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", uri="sip:127.0.0.1", response="0123456789abcdef0123456789abcdef", qop=auth, nc=zz, cnonce="x"'; do
	n=$((${n:-0} + 1))
	printf 'REGISTER sip:127.0.0.1 SIP/2.0\n%s\nAuthorization: %s\n\n' "$good_headers" "$a" | req "bad-auth-$n"
done
printf 'REGISTER sip:127.0.0.1 SIP/2.0\n%s\n\n' "$(echo "$good_headers" | sed "s/t100@/$(head -c 8000 /dev/zero | tr '\0' 'x')@/g")" | req huge-user
printf 'REGISTER sip: SIP/2.0\n%s\n\n' "$good_headers" | req empty-uri
printf 'INVITE sip:@@@:99999;;; SIP/2.0\n%s\n\n' "$(echo "$good_headers" | sed 's/REGISTER/INVITE/')" | req bad-invite-uri
printf 'INVITE sip:x200@127.0.0.1 SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:25079;branch=z9hG4bK-i\nFrom: <sip:a@127.0.0.1>;tag=1\nTo: <sip:x200@127.0.0.1>\nCall-ID: i\nCSeq: 1 INVITE\nContent-Length: 100\n\nshort' | req bad-content-length
printf 'REGISTER sip:127.0.0.1 SIP/2.0\n' | req request-line-only
head -c 1200 /dev/urandom >"$M/garbage"
: >"$M/empty"
printf 'OPTIONS sip:127.0.0.1 SIP/2.0\n%s\nUser-Agent: friendly-scanner\n\n' "$(echo "$good_headers" | sed 's/REGISTER/OPTIONS/')" | req scanner
python3 "$TOP/tests/integration/rawsip.py" 127.0.0.1 "$KAMAILIO_PORT" 25079 "$M"/* >"$WORK/malformed.txt" 2>&1
cat "$WORK/malformed.txt" | sed 's/^/#   /'
check "every malformed message got a reply or was dropped" \
	test "$(grep -c -e ': SIP/2.0 [1-6][0-9][0-9]' -e ': no reply' "$WORK/malformed.txt")" = "$(ls "$M" | wc -l)"
check "none of them was accepted" sh -c "! grep -q ': SIP/2.0 200' '$WORK/malformed.txt'"
check "a scanner's user agent gets no answer" grep -q '^scanner: no reply' "$WORK/malformed.txt"
check "kamailio is still serving" kamailio_alive
check "and registers the next good request" register_as after-malformed t100 pw-t100 accepted
check "no process crashed" sh -c "! grep -qiE 'segfault|core dump|signal 11|died unexpectedly' '$KAMAILIO_LOG'"
stop_kamailio

# --- floods: an untrusted address is banned ---
ADDRESS_LIST_FILE=$WORK/address-elsewhere.list
check "kamailio starts, this host untrusted" start_kamailio hostile-flood
unset ADDRESS_LIST_FILE
timeout 60 sipp -sn uac -s flood -m 400 -r 400 -i 127.0.0.1 -p 25078 -recv_timeout 500 \
	-timeout 20 -nostdin "127.0.0.1:$KAMAILIO_PORT" >"$WORK/flood.out" 2>&1
check "a flood bans the address in the htable" \
	sh -c "kamcmd -s '$CTL' htable.dump ipban | grep -q '127.0.0.1'"
check "the ban is logged" grep -q "flood from 127.0.0.1: banned" "$KAMAILIO_LOG"
stop_kamailio
