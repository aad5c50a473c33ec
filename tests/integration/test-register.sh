# REGISTER authenticated against VICIdial's phones table.
# Sourced by run.sh with a started backend.

# --- start-up: what was loaded and skipped, and why ---
check "kamailio starts with the module" start_kamailio register
entries=$((12 + LOAD_USERS))
check "start-up log counts entries and skipped rows by reason" \
	grep -q "loaded $entries phone entries from table 'phones': $((entries + 3)) rows, 3 skipped (no_extension=2 ambiguous=1), 0 rows of another home server, 1 ambiguous extensions" "$KAMAILIO_LOG"
expect_eq "statistic entries" "$entries" "$(stat entries)"
expect_eq "statistic skipped_rows" 3 "$(stat skipped_rows)"
expect_eq "statistic ambiguous_extensions" 1 "$(stat ambiguous_extensions)"

# --- the right password registers (SIP and PJSIP) ---
before=$(stat auth_accepted)
csv "$WORK/ok.csv" "$(auth_line t100 pw-t100)" "$(auth_line t101 pw-t101)"
check "right password gets 200 (SIP and PJSIP entries)" \
	sipp_run accepted register-accepted.xml "$WORK/ok.csv" 2 -l 1
expect_eq "auth_accepted counts both" $((before + 2)) "$(stat auth_accepted)"
check "the registration is saved in location" \
	sh -c "kamcmd -s '$CTL' ul.lookup location t100 | grep -q 'sip:t100@127.0.0.1:$SIPP_PORT'"

# --- one contact per phone: a registration from a new place replaces it ---
contacts() { kamcmd -s "$CTL" ul.lookup location "$1" 2>/dev/null | grep -o "sip:$1@127.0.0.1:[0-9]*" | sort -u | tr '\n' ' '; }
csv "$WORK/moved.csv" "$(auth_line t100 pw-t100)"
check "t100 registers again from another port" \
	sipp_run moved register-accepted.xml "$WORK/moved.csv" 1 -p $((SIPP_PORT + 7))
expect_eq "t100 has one contact, the new one (MAX_CONTACTS 1)" \
	"sip:t100@127.0.0.1:$((SIPP_PORT + 7)) " "$(contacts t100)"

# --- every refusal: the same 401, the reason only in statistics and log ---
refusals="password:t100:wrong-password
unknown:nobody:whatever
external:x200:pw-x200
inactive:t300:pw-t300
inactive:t301:pw-t301
ambiguous:amb400:pw-amb400-a
protocol:i500:pw-i500"
while IFS=: read -r reason user password; do
	before=$(stat "auth_refused_$reason")
	csv "$WORK/refused-$user.csv" "$(auth_line "$user" "$password")"
	check "$user ($reason) gets a second 401 challenge" \
		sipp_run "refused-$user" register-refused.xml "$WORK/refused-$user.csv" 1
	expect_eq "$user counted as auth_refused_$reason" $((before + 1)) \
		"$(stat "auth_refused_$reason")"
	check "$user refusal logged with its reason" \
		grep -q "authentication refused ($reason): user '$user'" "$KAMAILIO_LOG"
done <<<"$refusals"

for f in "$WORK"/refused-*.msg "$WORK/accepted.msg"; do
	responses_401 "$f"
done >"$WORK/challenges.txt"
expect_eq "every 401 (first challenges and refusals) is the same challenge" \
	1 "$(sort -u "$WORK/challenges.txt" | wc -l)"
expect_eq "all 401s were compared (2 per refused call, 1 per accepted call)" \
	$((2 * 7 + 2)) "$(wc -l <"$WORK/challenges.txt")"

# --- a password is good only for its own extension ---
csv "$WORK/mismatch.csv" "t101;[authentication username=t100 password=pw-t100]"
check "t100's credentials for t101's binding get 403" \
	sipp_run mismatch register-forbidden.xml "$WORK/mismatch.csv" 1
expect_eq "counted as auth_refused_mismatch" 1 "$(stat auth_refused_mismatch)"

# --- 10,000 digest registrations, none failing ---
lines=()
for i in $(seq -w 1 $LOAD_USERS); do
	lines+=("$(auth_line "load$i" "secret-$i")")
done
csv "$WORK/load.csv" "${lines[@]}"
before=$(stat auth_accepted)
check "10,000 digest registrations all get 200" \
	sipp_run load register-accepted.xml "$WORK/load.csv" 10000 -r 500 -l 200
check "SIPp counts 10,000 successful calls" \
	grep -Eq "Successful call +\| +[0-9]+ +\| +10000 " "$WORK/load.out"
check "auth_accepted grew by at least 10,000" \
	test "$(stat auth_accepted)" -ge $((before + 10000))
check "kamailio is still serving" kamailio_alive
stop_kamailio

# --- server_ip: only one server's entries ---
check "kamailio starts with server_ip 127.0.0.3" \
	start_kamailio register-server -A 'PHONES_SERVER_IP="127.0.0.3"'
expect_eq "only 127.0.0.3's entry is loaded" 1 "$(stat entries)"
expect_eq "no ambiguous extension within one server" 0 "$(stat ambiguous_extensions)"
csv "$WORK/server-ok.csv" "$(auth_line amb400 pw-amb400-b)"
check "amb400 registers with server 127.0.0.3's password" \
	sipp_run server-ok register-accepted.xml "$WORK/server-ok.csv" 1
csv "$WORK/server-refused.csv" "$(auth_line t100 pw-t100)"
check "t100 of server 127.0.0.2 is refused" \
	sipp_run server-refused register-refused.xml "$WORK/server-refused.csv" 1
stop_kamailio

# --- MAX_CONTACTS 2: two places at once, a third refused ---
if start_kamailio register-contacts -A MAX_CONTACTS=2; then
	csv "$WORK/two.csv" "$(auth_line t100 pw-t100)"
	check "t100 registers from a first port" \
		sipp_run two-a register-accepted.xml "$WORK/two.csv" 1
	check "t100 registers from a second port" \
		sipp_run two-b register-accepted.xml "$WORK/two.csv" 1 -p $((SIPP_PORT + 7))
	expect_eq "t100 has both contacts (MAX_CONTACTS 2)" \
		"sip:t100@127.0.0.1:$SIPP_PORT sip:t100@127.0.0.1:$((SIPP_PORT + 7)) " "$(contacts t100)"
	if sipp_run two-c register-accepted.xml "$WORK/two.csv" 1 -p $((SIPP_PORT + 8)); then
		fail "a third place is refused"
	else
		check "a third place is refused with 503" grep -q "SIP/2.0 503" "$WORK/two-c.msg"
	fi
	expect_eq "t100 keeps its two contacts" \
		"sip:t100@127.0.0.1:$SIPP_PORT sip:t100@127.0.0.1:$((SIPP_PORT + 7)) " "$(contacts t100)"
	stop_kamailio
else
	fail "kamailio starts with MAX_CONTACTS 2"
fi

# --- no table, no proxy ---
saved_defines=$DB_DEFINES
DB_DEFINES='-A PHONES_DB_URL="sqlite:///nonexistent/phones.sqlite"'
if start_kamailio register-notable; then
	fail "kamailio started without a readable phone table"
	stop_kamailio
else
	check "kamailio refuses to start without a readable phone table, saying why" \
		grep -q "cannot load the phone table: refusing to start" "$KAMAILIO_LOG"
fi
DB_DEFINES=$saved_defines

# --- a bad parameter, named, and no proxy ---
if LOCKOUT_SLOTS_N=0 start_kamailio register-badparam; then
	fail "kamailio started with lockout_slots 0"
	stop_kamailio
else
	check "kamailio refuses lockout_slots 0, naming it and its range" \
		grep -q 'modparam("phones", ...): lockout_slots is 0: it must be 1 to 16777216' "$KAMAILIO_LOG"
fi
# refused_param NAME WHAT SED LOG: cfg/kamailio.cfg edited by the sed
# expression SED must not start; its log must hold LOG (grep -F).
refused_param() {
	sed -e "$3" "$TOP/cfg/kamailio.cfg" >"$WORK/$1.cfg"
	if KAMAILIO_CFG=$WORK/$1.cfg start_kamailio "register-$1"; then
		fail "kamailio started with $2"
		stop_kamailio
	else
		check "kamailio refuses $2, naming it" grep -qF "$4" "$KAMAILIO_LOG"
	fi
}
TABLE_LINE='^modparam("phones", "table", "phones")$'
refused_param badtimeout "server_timeout -1 (and its range)" \
	's|^modparam("phones", "server_timeout", SERVER_TIMEOUT)$|modparam("phones", "server_timeout", -1)|' \
	'server_timeout is -1: it must be 0 to 3600000'
refused_param baddmq "dmq 2 (and its range)" \
	"s|$TABLE_LINE|&\\nmodparam(\"phones\", \"dmq\", 2)|" \
	'dmq is 2: it must be 0 to 1'
refused_param badname "a column name that is no plain SQL name" \
	"s|$TABLE_LINE|&\\nmodparam(\"phones\", \"extension_column\", \"extension; DROP TABLE phones\")|" \
	"extension_column 'extension; DROP TABLE phones' is not a plain SQL name"
# the text parameters that are no SQL names are checked too (issue 30: they
# were taken as given)
refused_param badserverip "a server_ip that is no address" \
	"s|$TABLE_LINE|&\\nmodparam(\"phones\", \"server_ip\", \"server1\")|" \
	"server_ip 'server1' is not an IPv4 or IPv6 address"
refused_param badprobe "a probe_from that is no SIP URI" \
	"s|$TABLE_LINE|&\\nmodparam(\"phones\", \"probe_from\", \"<sip:x@y>\")|" \
	"probe_from '<sip:x@y>' is not a SIP URI"
expect_eq "the refused column name reached no database: the phones table is there" \
	"yes" "$(backend_query "SELECT CASE WHEN COUNT(*) > 0 THEN 'yes' ELSE 'no' END FROM phones")"
