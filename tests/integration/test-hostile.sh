# Hostile input: password guessing, scans, enumeration, malformed messages,
# floods. Sourced by run.sh.

K() { kamcmd -s "$CTL" "$@" 2>&1; }
register_as() { # NAME USER PASSWORD accepted|refused
	csv "$WORK/$1.csv" "$(auth_line "$2" "$3")"
	sipp_run "$1" "register-$4.xml" "$WORK/$1.csv" 1
}

# register_from NAME IP USER PASSWORD accepted|refused: from another
# loopback address
register_from() {
	csv "$WORK/$1.csv" "$(auth_line "$3" "$4")"
	sipp_run "$1" "register-$5.xml" "$WORK/$1.csv" 1 -i "$2"
}
# guess NAME IP USER N: N wrong passwords, all refused
guess() {
	local lines=() i
	for i in $(seq "$4"); do lines+=("$(auth_line "$3" "guess$i")"); done
	csv "$WORK/$1.csv" "${lines[@]}"
	sipp_run "$1" register-refused.xml "$WORK/$1.csv" "$4" -l 1 -i "$2"
}
locks() { kamcmd -s "$CTL" phones.locks 0 10000; }

# --- password guessing stops the guesser, never the phone ---
LOCKOUT_FAILURES_N=5 LOCKOUT_ADDRESS_N=4 LOCKOUT_EXTENSION_N=8
check "kamailio starts: a pair locked after 5, an address after 4 extensions, an extension after 8" \
	start_kamailio hostile-lock
unset LOCKOUT_FAILURES_N LOCKOUT_ADDRESS_N LOCKOUT_EXTENSION_N

# a guesser elsewhere
check "five wrong passwords for t100 from 127.0.0.4 are refused" guess guess4 127.0.0.4 t100 5
check "the pair t100@127.0.0.4 is locked" sh -c "kamcmd -s '$CTL' phones.locks | grep -q 'key: t100@127.0.0.4'"
check "t100's right password from the guesser's address is refused" \
	register_from locked4 127.0.0.4 t100 pw-t100 refused
check "refused as locked, without the password checked" \
	grep -q "authentication refused (locked): user 't100' from 127.0.0.4" "$KAMAILIO_LOG"
check "the phone t100 from its own address still registers" \
	register_from phone1 127.0.0.1 t100 pw-t100 accepted

# an office NAT: one misconfigured phone, the others fine
check "t101 registers from the office address 127.0.0.5" \
	register_from office-ok 127.0.0.5 t101 pw-t101 accepted
check "t100 fails 12 times from the office" guess office-bad 127.0.0.5 t100 12
check "the other phone of the office still registers" \
	register_from office-still 127.0.0.5 t101 pw-t101 accepted
check "the office address is not locked" sh -c "! kamcmd -s '$CTL' phones.locks | grep -q 'key: 127.0.0.5$'"

# a scan of names from one address
for i in 1 2 3 4; do guess scan6-$i 127.0.0.6 "scan$i" 1 >/dev/null; done
check "four names failing from 127.0.0.6 lock the address" \
	sh -c "kamcmd -s '$CTL' phones.locks | grep -q 'key: 127.0.0.6$'"
check "so that a good phone from there is refused" \
	register_from from-scanner 127.0.0.6 t101 pw-t101 refused
check "phones.unlock 127.0.0.6 forgets the address and its pairs" \
	test "$(K phones.unlock 127.0.0.6)" -ge 5
check "and t101 registers from there" register_from after-unlock 127.0.0.6 t101 pw-t101 accepted

# one extension guessed from many addresses
for i in 1 2 3 4 5 6 7 8; do guess attack-$i "127.0.1.$i" load001 1 >/dev/null; done
check "eight addresses failing for load001 put it under attack" \
	sh -c "kamcmd -s '$CTL' phones.locks | grep -q 'key: load001$'"
check "an address that failed for load001 is refused its right password" \
	register_from attacked 127.0.1.3 load001 secret-001 refused
check "the phone load001, which never failed, registers" \
	register_from attacked-phone 127.0.0.1 load001 secret-001 accepted

# phones.locks, a page at a time
n=$(locks | grep -c 'key: ')
page1=$(K phones.locks 0 1)
next=$(echo "$page1" | sed -n 's/^[[:space:]]*next: //p')
all=$(echo "$page1" | grep 'key: ')
while [ -n "$next" ] && [ "$next" != -1 ]; do
	page=$(K phones.locks "$next" 1)
	all="$all
$(echo "$page" | grep 'key: ')"
	next=$(echo "$page" | sed -n 's/^[[:space:]]*next: //p')
done
check "pages of one lock list every lock ($n) once" \
	sh -c "[ $n -ge 3 ] && [ \$(printf '%s\n' \"\$1\" | grep -c 'key: ') -eq $n ] &&
		[ \$(printf '%s\n' \"\$1\" | sort -u | grep -c 'key: ') -eq $n ]" _ "$all"
check "phones.locks refuses a page size of 0" sh -c "kamcmd -s '$CTL' phones.locks 0 0 | grep -q '^error: 400'"
check "locked refusals and lockouts are counted" \
	test "$(stat auth_refused_locked)" -ge 3 -a "$(stat lockouts)" -ge 4
check "phones.unlock all forgets every lock" sh -c "kamcmd -s '$CTL' phones.unlock all | grep -q '^[1-9]'"
check "and t100 registers from the guesser's address" \
	register_from after-all 127.0.0.4 t100 pw-t100 accepted
stop_kamailio

# --- a flood of new names does not evict a counter ---
LOCKOUT_FAILURES_N=5 LOCKOUT_ADDRESS_N=0 LOCKOUT_SLOTS_N=64
check "kamailio starts with 64 lockout slots" start_kamailio hostile-evict
unset LOCKOUT_FAILURES_N LOCKOUT_ADDRESS_N LOCKOUT_SLOTS_N
check "two wrong passwords for t100 from 127.0.0.8" guess evict-a 127.0.0.8 t100 2
awk 'BEGIN { print "SEQUENTIAL";
	for (i = 0; i < 2000; i++) printf "f%05d;[authentication username=f%05d password=x]\n", i, i }' \
	>"$WORK/evict-flood.csv"
# (from a trusted address, which the flood ban spares)
check "then 2,000 new names from 127.0.0.1" \
	sipp_run evict-flood register-refused.xml "$WORK/evict-flood.csv" 2000 -r 1000 -l 200
check "then three more wrong passwords" guess evict-b 127.0.0.8 t100 3
check "the fifth wrong password locked t100@127.0.0.8" \
	sh -c "kamcmd -s '$CTL' phones.locks | grep -q 'key: t100@127.0.0.8'"
stop_kamailio

# --- a scan of 20,000 random usernames does not grow memory ---
LOCKOUT_FAILURES_N=100000 LOCKOUT_ADDRESS_N=0
check "kamailio starts" start_kamailio hostile-scan
unset LOCKOUT_FAILURES_N LOCKOUT_ADDRESS_N
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
