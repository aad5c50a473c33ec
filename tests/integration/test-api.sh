# Provisioning with VICIdial's add_phone and update_phone, over HTTP and
# RPC, answered as VICIdial answers. Sourced by run.sh.

API="http://127.0.0.1:$HTTP_PORT/vicidial/non_agent_api.php"
AUTH="source=test&user=6666&pass=1234"
# api QUERY: the answer line of GET non_agent_api.php?QUERY
api() { curl -s "$API?$1"; }
# expect_api NAME QUERY LINE
expect_api() { expect_eq "$1" "$3" "$(api "$2")"; }
# everything provisioning could change, to show that nothing did
snapshot() {
	backend_query "SELECT extension, dialplan_number, voicemail_id, server_ip,
		login, pass, conf_secret, protocol, fullname, local_gmt, outbound_cid,
		phone_context, active, status, phone_ring_timeout FROM phones
		ORDER BY extension, server_ip"
	backend_query "SELECT server_ip, rebuild_conf_files FROM servers ORDER BY server_ip"
}
ADD="function=add_phone&extension=a701&dialplan_number=7701&voicemail_id=7701&phone_login=l701&phone_pass=pp701&server_ip=127.0.0.2&protocol=SIP&registration_password=secret701&phone_full_name=API+Phone+701&local_gmt=-5.00&outbound_cid=3125550701"

check "kamailio starts" start_kamailio api
# debug level 3 (Kamailio's DBG): no secret may reach the log even there
kamcmd -s "$CTL" corex.debug 3 >/dev/null
snapshot >"$WORK/before.txt"
table_before=$(stat entries)

# --- every refusal, in VICIdial's order, with VICIdial's line ---
expect_api "a short source: two lines, as VICIdial's code prints them" "source=x&user=6666&pass=1234&$ADD" \
	"ERROR: Invalid Source - x
ERROR: Invalid Source: |x|"
expect_api "a wrong password" "source=test&user=6666&pass=wrong&$ADD" \
	"ERROR: Login incorrect, please try again: |6666|wrong|BAD|"
for u in level7 noadmin noapi; do
	expect_api "add_phone refused to $u" "source=test&user=$u&pass=pw&$ADD" \
		"ERROR: add_phone USER DOES NOT HAVE PERMISSION TO ADD PHONES: |$u|0"
	expect_api "update_phone refused to $u" \
		"source=test&user=$u&pass=pw&function=update_phone&extension=t100&server_ip=127.0.0.2&active=N" \
		"ERROR: update_phone USER DOES NOT HAVE PERMISSION TO UPDATE PHONES: |$u|0"
done
expect_api "an inactive user does not log in" "source=test&user=inactive&pass=pw&$ADD" \
	"ERROR: Login incorrect, please try again: |inactive|pw|BAD|"
expect_api "a user allowed only update_phone (api_allowed_functions) may not add" \
	"source=test&user=onlyupd&pass=pw&$ADD" \
	"ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION: |onlyupd|add_phone|"
expect_api "a missing field" "$AUTH&${ADD/&outbound_cid=3125550701/}" \
	"ERROR: add_phone YOU MUST USE ALL REQUIRED FIELDS: |6666|a701|7701|7701|l701|pp701|127.0.0.2|SIP|secret701|API Phone 701|-5.00|"
expect_api "PJSIP is refused, as VICIdial's API refuses it" "$AUTH&${ADD/protocol=SIP/protocol=PJSIP}" \
	"ERROR: add_phone YOU MUST USE ALL REQUIRED FIELDS: |6666|a701|7701|7701|l701|pp701|127.0.0.2|PJSIP|secret701|API Phone 701|-5.00|3125550701"
expect_api "an unknown server" "$AUTH&${ADD/127.0.0.2/127.0.9.9}" \
	"ERROR: add_phone SERVER DOES NOT EXIST: |6666|127.0.9.9"
expect_api "a phone that exists on the server" "$AUTH&${ADD/extension=a701/extension=t100}" \
	"ERROR: add_phone PHONE ALREADY EXISTS ON THIS SERVER: |6666|127.0.0.2|t100"
expect_api "a login that exists" "$AUTH&${ADD/phone_login=l701/phone_login=l100}" \
	"ERROR: add_phone PHONE LOGIN ALREADY EXISTS: |6666|l100"
# the three look-ups are one query of SQL text: quotes are stripped first,
# as VICIdial strips them, and the stripped values found
X=${ADD/phone_login=l701/phone_login=l7%27%20OR%20%271%27=%271}
expect_api "  a login of SQL (' OR '1'='1) is stripped, and matches no phone" \
	"$AUTH&${X/local_gmt=-5.00/local_gmt=-5.5}" \
	"ERROR: add_phone YOU MUST USE A VALID TIMEZONE: |6666|-5.5"
expect_api "  a login with quotes is found without them" \
	"$AUTH&${ADD/phone_login=l701/phone_login=l1%270%270}" \
	"ERROR: add_phone PHONE LOGIN ALREADY EXISTS: |6666|l100"
expect_api "  and in the extension and server" \
	"$AUTH&${ADD/extension=a701/extension=t1%2700}&server_ip=127.0.0.2%27" \
	"ERROR: add_phone PHONE ALREADY EXISTS ON THIS SERVER: |6666|127.0.0.2|t100"
expect_api "a bad timezone" "$AUTH&${ADD/local_gmt=-5.00/local_gmt=-5.5}" \
	"ERROR: add_phone YOU MUST USE A VALID TIMEZONE: |6666|-5.5"
expect_api "an unknown template" "$AUTH&$ADD&template_id=nosuch" \
	"ERROR: add_phone TEMPLATE ID DOES NOT EXIST, THIS IS AN OPTIONAL FIELD: |6666|l701|nosuch"
expect_api "another function" "$AUTH&function=add_user" "ERROR: NO FUNCTION SPECIFIED"
expect_api "a badly encoded request" "$AUTH&$ADD&x=%zz" \
	"ERROR: INVALID REQUEST - bad percent escape"
long=$(head -c 5000 /dev/zero | tr '\0' 'a')
expect_api "an over-long request" "$AUTH&$ADD&x=$long" \
	"ERROR: INVALID REQUEST - the request is too long"
expect_api "an over-long value" "$AUTH&$ADD&email=$(head -c 300 /dev/zero | tr '\0' 'a')" \
	"ERROR: INVALID REQUEST - a name or value is too long"
snapshot >"$WORK/after-refusals.txt"
check "nothing was written on any refusal" cmp -s "$WORK/before.txt" "$WORK/after-refusals.txt"
expect_eq "and the live table is as it was" "$table_before" "$(stat entries)"

# --- add_phone: the row, the live table, a registration at once ---
reloads=$(stat reloads)
expect_api "add_phone succeeds" "$AUTH&$ADD&template_id=tmpl1" \
	"SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|a701|127.0.0.2|SIP|7701"
expect_eq "the row holds what VICIdial's add_phone writes" \
	"a701|7701|7701|127.0.0.2|l701|pp701|secret701|SIP|API Phone 701|-5.00|3125550701|default|Y|ACTIVE" \
	"$(backend_query "SELECT extension, dialplan_number, voicemail_id, server_ip, login,
		pass, conf_secret, protocol, fullname, local_gmt, outbound_cid, phone_context,
		active, status FROM phones WHERE extension = 'a701'")"
expect_eq "VICIdial's admin log has the change" \
	"6666|127.0.0.1|PHONES|ADD|a701|ADMIN API ADD PHONE|phone: a701|127.0.0.2" \
	"$(backend_query "SELECT user, ip_address, event_section, event_type, record_id,
		event_code, event_notes FROM vicidial_admin_log WHERE record_id = 'a701'")"
admin_sql=$(backend_query "SELECT event_sql FROM vicidial_admin_log WHERE record_id = 'a701'")
check "  its event_sql names the columns, without the passwords" \
	sh -c "echo \"\$1\" | grep -q \"INSERT INTO phones SET extension='a701'\" &&
		echo \"\$1\" | grep -q \"pass='<secret>'\" && ! echo \"\$1\" | grep -q 'pp701\|secret701'" _ "$admin_sql"
# --- phone aliases ---
expect_api "add_phone_alias" "$AUTH&function=add_phone_alias&alias_id=al701&alias_name=Agent+701&phone_logins=l701,l100" \
	"SUCCESS: add_phone_alias PHONE ALIAS HAS BEEN ADDED - 6666|al701|Agent 701|l701,l100"
expect_eq "  the row" "al701|Agent 701|l701,l100" \
	"$(backend_query "SELECT alias_id, alias_name, logins_list FROM phones_alias WHERE alias_id = 'al701'")"
expect_api "  again: it exists" "$AUTH&function=add_phone_alias&alias_id=al701&alias_name=x&phone_logins=l701" \
	"ERROR: add_phone_alias PHONE ALIAS ALREADY EXISTS: |6666|al701"
expect_api "  a login that is no phone's" "$AUTH&function=add_phone_alias&alias_id=al702&alias_name=x&phone_logins=l701,nope" \
	"ERROR: add_phone_alias PHONE DOES NOT EXIST: |6666|nope"
expect_api "update_phone_alias renames it" "$AUTH&function=update_phone_alias&alias_id=al701&alias_name=Agent+seven" \
	"SUCCESS: update_phone_alias PHONE ALIAS HAS BEEN UPDATED - 6666|al701|"
expect_eq "  written" "Agent seven" "$(backend_query "SELECT alias_name FROM phones_alias WHERE alias_id = 'al701'")"
expect_api "  nothing to update" "$AUTH&function=update_phone_alias&alias_id=al701&delete_alias=N" \
	"NOTICE: update_phone_alias NO UPDATES DEFINED: |6666|"
expect_api "  a delete without ast_delete_phones" "source=test&user=nodelete&pass=pw&function=update_phone_alias&alias_id=al701&delete_alias=Y" \
	"NOTICE: update_phone_alias USER DOES NOT HAVE PERMISSION TO DELETE PHONE ALIASES: |nodelete|0"
expect_api "  deleted" "$AUTH&function=update_phone_alias&alias_id=al701&delete_alias=Y" \
	"SUCCESS: update_phone_alias PHONE ALIAS HAS BEEN DELETED - 6666|al701"
expect_eq "  gone" 0 "$(backend_query "SELECT COUNT(*) FROM phones_alias WHERE alias_id = 'al701'")"
expect_eq "  and the admin log has ADD, MODIFY, DELETE in PHONEALIASES" \
	"ADD|ADMIN API ADD PHONE ALIAS|phones: l701,l100 MODIFY|ADMIN API UPDATE PHONE|phones:  DELETE|ADMIN API DELETE PHONE ALIAS|" \
	"$(backend_query "SELECT event_type, event_code, event_notes FROM vicidial_admin_log WHERE record_id = 'al701' AND event_section = 'PHONEALIASES' ORDER BY admin_log_id" | paste -sd' ')"

expect_eq "the server is told to rebuild its configuration" "Y" \
	"$(backend_query "SELECT rebuild_conf_files FROM servers WHERE server_ip = '127.0.0.2'")"
expect_eq "the other server is not" "N" \
	"$(backend_query "SELECT rebuild_conf_files FROM servers WHERE server_ip = '127.0.0.3'")"
expect_eq "the live table has it" "$((table_before + 1))" "$(stat entries)"
csv "$WORK/a701.csv" "$(auth_line a701 secret701)"
check "the phone added over HTTP registers at once" \
	sipp_run a701 register-accepted.xml "$WORK/a701.csv" 1
expect_eq "without a reload" "$reloads" "$(stat reloads)"
expect_api "characters outside a field's set are stripped, as VICIdial does" \
	"$AUTH&${ADD//701/702}&extension=a7%2702" \
	"SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|a702|127.0.0.2|SIP|7702"

# --- update_phone: each field ---
U="$AUTH&function=update_phone&extension=a701&server_ip=127.0.0.2"
snapshot >"$WORK/u-none-before.txt"
expect_eq "a new phone has VICIdial's default install_directory" "/usr/local/perl_TK" \
	"$(backend_query "SELECT install_directory FROM phones WHERE extension = 'a701'")"
expect_api "update_phone with nothing to change: SUCCESS, as VICIdial's code answers" "$U" \
	"SUCCESS: update_phone PHONE HAS BEEN UPDATED - 6666|a701|127.0.0.2|"
snapshot >"$WORK/u-none-after.txt"
check "and no field of the phone changes" cmp -s "$WORK/u-none-before.txt" "$WORK/u-none-after.txt"
expect_eq "  but install_directory is emptied, as VICIdial's update does" "" \
	"$(backend_query "SELECT install_directory FROM phones WHERE extension = 'a701'")"
expect_api "update_phone of an unknown phone" "$AUTH&function=update_phone&extension=zz9&server_ip=127.0.0.2&active=N" \
	"ERROR: update_phone PHONE DOES NOT EXIST ON THIS SERVER: |6666|127.0.0.2|zz9"
expect_api "update_phone on an unknown server" "$AUTH&function=update_phone&extension=a701&server_ip=127.0.9.9&active=N" \
	"ERROR: update_phone SERVER DOES NOT EXIST: |6666|127.0.9.9"
expect_api "update_phone without its keys" "$AUTH&function=update_phone&extension=a701" \
	"ERROR: update_phone YOU MUST USE ALL REQUIRED FIELDS: |6666|a701|"
while IFS='|' read -r param good bad line column; do
	snapshot >"$WORK/u-before.txt"
	expect_api "update_phone refuses a bad $param" "$U&$param=$bad" \
		"ERROR: update_phone $line: |6666|$(echo "$bad" | sed 's/%20//g')"
	snapshot >"$WORK/u-after.txt"
	check "and writes nothing" cmp -s "$WORK/u-before.txt" "$WORK/u-after.txt"
	expect_api "update_phone sets $param" "$U&$param=$good" \
		"SUCCESS: update_phone PHONE HAS BEEN UPDATED - 6666|a701|127.0.0.2|"
	expect_eq "  $column holds it" "$good" \
		"$(backend_query "SELECT $column FROM phones WHERE extension = 'a701'")"
done <<'LIST'
local_gmt|-8.00|-8.5|YOU MUST USE A VALID TIMEZONE|local_gmt
registration_password|newsecret|x|YOU MUST USE A VALID REGISTRATION PASSWORD|conf_secret
protocol|EXTERNAL|PJSIP|YOU MUST USE A VALID PROTOCOL|protocol
phone_pass|newpass|x|YOU MUST USE A VALID PHONE PASSWORD|pass
voicemail_id|8701|1|YOU MUST USE A VALID VOICEMAIL NUMBER|voicemail_id
dialplan_number|913125550701|12|YOU MUST USE A VALID DIALPLAN NUMBER|dialplan_number
outbound_cid|3125550799|123|OUTBOUND CID MUST BE FROM 6 TO 18 DIGITS, THIS IS AN OPTIONAL FIELD|outbound_cid
phone_full_name|Renamed|x|YOU MUST USE A VALID PHONE NAME|fullname
phone_context|agents|x|YOU MUST USE A VALID PHONE CONTEXT|phone_context
active|N|X|ACTIVE MUST BE Y OR N, THIS IS AN OPTIONAL FIELD|active
email|agent701@example.org|a@b|YOU MUST USE A VALID EMAIL|email
admin_user_group|AGENTS|x|USER GROUP MUST BE FROM 2 TO 20 CHARACTERS, THIS IS AN OPTIONAL FIELD|user_group
outbound_alt_cid|3125550000|123|OUTBOUND ALT CID MUST BE FROM 6 TO 18 DIGITS, THIS IS AN OPTIONAL FIELD|outbound_alt_cid
delete_vm_after_email|Y|X|DELETE VOICEMAIL AFTER EMAIL MUST BE Y OR N, THIS IS AN OPTIONAL FIELD|delete_vm_after_email
LIST
# VICIdial's ring-timeout refusal echoes outbound_alt_cid
expect_api "update_phone refuses a bad phone_ring_timeout" "$U&phone_ring_timeout=999&outbound_alt_cid=3125559999" \
	"ERROR: update_phone PHONE RING TIMEOUT MUST BE FROM 2 TO 180 SECONDS, THIS IS AN OPTIONAL FIELD: |6666|3125559999"
expect_eq "  and writes nothing" "3125550000" \
	"$(backend_query "SELECT outbound_alt_cid FROM phones WHERE extension = 'a701'")"
expect_api "update_phone sets phone_ring_timeout" "$U&phone_ring_timeout=45" \
	"SUCCESS: update_phone PHONE HAS BEEN UPDATED - 6666|a701|127.0.0.2|"
expect_eq "  phone_ring_timeout holds it" "45" \
	"$(backend_query "SELECT phone_ring_timeout FROM phones WHERE extension = 'a701'")"
expect_api "update_phone sets the webphone fields, template_id and on_hook_agent" \
	"$U&is_webphone=Y_API_LAUNCH&webphone_auto_answer=N&use_external_server_ip=Y&template_id=tmpl1&on_hook_agent=Y" \
	"SUCCESS: update_phone PHONE HAS BEEN UPDATED - 6666|a701|127.0.0.2|"
expect_eq "  written" "Y_API_LAUNCH|N|Y|tmpl1|Y" \
	"$(backend_query "SELECT is_webphone, webphone_auto_answer, use_external_server_ip, template_id, on_hook_agent FROM phones WHERE extension = 'a701'")"
expect_api "  an unknown template is refused" "$U&template_id=nosuch&phone_login=l701" \
	"ERROR: update_phone TEMPLATE ID DOES NOT EXIST, THIS IS AN OPTIONAL FIELD: |6666|l701|nosuch"
expect_api "update_phone sets phone_login (VICIdial checks no length)" "$U&phone_login=l701b" \
	"SUCCESS: update_phone PHONE HAS BEEN UPDATED - 6666|a701|127.0.0.2|"
expect_eq "  login holds it" "l701b" "$(backend_query "SELECT login FROM phones WHERE extension = 'a701'")"
# VICIdial's check: a phone on another extension AND another server
expect_api "update_phone refuses a login of a phone on another server" "$U&phone_login=l401" \
	"ERROR: update_phone LOGIN ALREADY EXISTS: |6666|l401"
# admin_viewable_groups: a user whose group sees only SALES phones
backend_sql <<'SQL'
INSERT INTO vicidial_user_groups (user_group, group_name, admin_viewable_groups)
VALUES ('SALESADM', 'Sales admins', ' SALES -');
INSERT INTO vicidial_users (user, pass, user_level, user_group, active,
  ast_admin_access, ast_delete_phones, vdc_agent_api_access)
VALUES ('salesadm', 'pw', 9, 'SALESADM', 'Y', '1', '1', '1');
SQL
expect_api "a user of a group that sees only SALES does not see an AGENTS phone" \
	"source=test&user=salesadm&pass=pw&function=update_phone&extension=a701&server_ip=127.0.0.2&active=Y" \
	"ERROR: update_phone PHONE DOES NOT EXIST ON THIS SERVER: |salesadm|127.0.0.2|a701"
expect_api "  nor by making it SALES itself" \
	"source=test&user=salesadm&pass=pw&function=update_phone&extension=a701&server_ip=127.0.0.2&admin_user_group=SALES" \
	"ERROR: update_phone PHONE DOES NOT EXIST ON THIS SERVER: |salesadm|127.0.0.2|a701"
expect_api "  (made SALES by an admin who sees all)" "$U&admin_user_group=SALES" \
	"SUCCESS: update_phone PHONE HAS BEEN UPDATED - 6666|a701|127.0.0.2|"
expect_api "  a SALES phone it updates" \
	"source=test&user=salesadm&pass=pw&function=update_phone&extension=a701&server_ip=127.0.0.2&phone_context=sales" \
	"SUCCESS: update_phone PHONE HAS BEEN UPDATED - salesadm|a701|127.0.0.2|"
expect_api "--BLANK-- clears a field" "$U&phone_full_name=--BLANK--" \
	"SUCCESS: update_phone PHONE HAS BEEN UPDATED - 6666|a701|127.0.0.2|"
expect_eq "  fullname is empty" "" \
	"$(backend_query "SELECT fullname FROM phones WHERE extension = 'a701'")"
check "the live table follows the updates (now EXTERNAL, inactive, new number)" \
	sh -c "kamcmd -s '$CTL' phones.get a701 | tr -d '\t' | tr '\n' ' ' |
		grep -q 'dialplan_number: 913125550701 protocol: EXTERNAL active: N'"
expect_api "it is made active again" "$U&active=Y" \
	"SUCCESS: update_phone PHONE HAS BEEN UPDATED - 6666|a701|127.0.0.2|"
start_uas api-trunk 25082 1 || fail "trunk listening"
check "and a call to it is routed out at once, with its new number" call a701-call a701
check "the trunk took it" wait_uas api-trunk
expect_eq "as 13125550701" "sip:13125550701@127.0.0.1:25082" "$(received_ruri "$WORK/api-trunk.msg")"

# --- delete_phone ---
expect_api "delete without the right" \
	"source=test&user=nodelete&pass=pw&function=update_phone&extension=a702&server_ip=127.0.0.2&delete_phone=Y" \
	"NOTICE: update_phone USER DOES NOT HAVE PERMISSION TO DELETE PHONES: |nodelete|0"
expect_eq "  the phone is still there" 1 \
	"$(backend_query "SELECT COUNT(*) FROM phones WHERE extension = 'a702'")"
expect_api "delete" "$AUTH&function=update_phone&extension=a702&server_ip=127.0.0.2&delete_phone=Y" \
	"SUCCESS: update_phone PHONE HAS BEEN DELETED - 6666|a702|127.0.0.2|"
expect_eq "  the row is gone" 0 "$(backend_query "SELECT COUNT(*) FROM phones WHERE extension = 'a702'")"
expect_eq "  and the admin log says so, as for the updates" "1 ADMIN API DELETE PHONE" \
	"$(backend_query "SELECT COUNT(*), event_code FROM vicidial_admin_log WHERE record_id = 'a702' AND event_type = 'DELETE' GROUP BY event_code" | tr '|' ' ')"
check "  updates are logged as MODIFY" test "$(backend_query "SELECT COUNT(*) FROM vicidial_admin_log WHERE record_id = 'a701' AND event_type = 'MODIFY' AND event_code = 'ADMIN API UPDATE PHONE'")" -ge 10
check "  and from the live table" sh -c "kamcmd -s '$CTL' phones.get a702 | grep -q '^error: 404'"

# --- the same over RPC ---
check "phones.add over RPC" sh -c "kamcmd -s '$CTL' phones.add source=rpc user=6666 pass=1234 \
	extension=a703 dialplan_number=7703 voicemail_id=7703 phone_login=l703 phone_pass=pp \
	server_ip=127.0.0.2 protocol=SIP registration_password=secret703 \
	'phone_full_name=RPC Phone' local_gmt=-5.00 outbound_cid=3125550703 |
	grep -q 'SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|a703|127.0.0.2|SIP|7703'"
csv "$WORK/a703.csv" "$(auth_line a703 secret703)"
check "  it registers at once" sipp_run a703 register-accepted.xml "$WORK/a703.csv" 1
check "phones.update over RPC" sh -c "kamcmd -s '$CTL' phones.update source=rpc user=6666 \
	pass=1234 extension=a703 server_ip=127.0.0.2 registration_password=changed703 |
	grep -q 'SUCCESS: update_phone PHONE HAS BEEN UPDATED'"
check "  the old password is refused at once" sipp_run a703-old register-refused.xml "$WORK/a703.csv" 1
check "phones.delete over RPC" sh -c "kamcmd -s '$CTL' phones.delete source=rpc user=6666 \
	pass=1234 extension=a703 server_ip=127.0.0.2 |
	grep -q 'SUCCESS: update_phone PHONE HAS BEEN DELETED - 6666|a703|127.0.0.2|'"
check "phones.add answers VICIdial's refusals too" sh -c "kamcmd -s '$CTL' phones.add \
	source=rpc user=6666 pass=wrong | grep -q 'ERROR: Login incorrect, please try again: |6666|wrong|'"

# --- two concurrent adds of one login: one row ---
pids=()
for i in 1 2 3 4 5 6; do
	api "$AUTH&${ADD//a701/c80$i}&phone_login=samelogin" >"$WORK/concurrent-add-$i.txt" &
	pids+=($!)
done
wait "${pids[@]}"
expect_eq "six concurrent adds of one login leave one row" 1 \
	"$(backend_query "SELECT COUNT(*) FROM phones WHERE login = 'samelogin'")"
expect_eq "one was added, five answered that the login exists" "1 5" \
	"$(cat "$WORK"/concurrent-add-*.txt | grep -c SUCCESS) $(cat "$WORK"/concurrent-add-*.txt | grep -c 'PHONE LOGIN ALREADY EXISTS')"
check "kamailio still serves" kamailio_alive

# --- a hashed install: system_settings.pass_hash_enabled, bcrypt ---
# the hash made here with libcrypt's crypt() (the module's libcrypt, called
# through ctypes: Python 3.13, Debian 13's, has no crypt module), the salt
# the key in bcrypt's base64, as VICIdial's bp.pl makes it
HASH=$(python3 -W ignore - <<'PY'
import base64, ctypes
libcrypt = ctypes.CDLL("libcrypt.so.1")
libcrypt.crypt.restype = ctypes.c_char_p
libcrypt.crypt.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
bcr = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
salt = base64.b64encode(b"Kx7-pQ2_Lm9zRt4w").decode().rstrip("=").translate(str.maketrans(std, bcr))
print(libcrypt.crypt(b"hashed-pw", ("$2a$04$" + salt).encode()).decode()[29:])
PY
)
backend_sql <<SQL
INSERT INTO system_settings (pass_hash_enabled, pass_key, pass_cost) VALUES (1, 'Kx7-pQ2_Lm9zRt4w', 4);
INSERT INTO vicidial_users (user, pass, user_level, active, ast_admin_access,
  ast_delete_phones, vdc_agent_api_access, pass_hash)
VALUES ('hashed', '', 9, 'Y', '1', '1', '1', '$HASH');
SQL
check "the hash is 31 characters ($HASH)" test ${#HASH} = 31
expect_api "a hashed install: the password checked against pass_hash" \
	"source=test&user=hashed&pass=hashed-pw&${ADD//701/706}" \
	"SUCCESS: add_phone PHONE HAS BEEN ADDED - hashed|a706|127.0.0.2|SIP|7706"
expect_api "  a wrong password is refused" "source=test&user=hashed&pass=hashed-px&${ADD//701/707}" \
	"ERROR: Login incorrect, please try again: |hashed|hashed-px|BAD|"
expect_api "  and the plain pass column is not used any more" "$AUTH&${ADD//701/707}" \
	"ERROR: Login incorrect, please try again: |6666|1234|BAD|"
# VICIdial's default cost, 2 (libcrypt refuses it): the hash bp.pl makes
# with Perl's Crypt::Eksblowfish for "1234" and this key
HASH2=jkdWqtG6VyXnALXOuUxNNvCoVsXyAZK
if perl -MCrypt::Eksblowfish::Bcrypt -e1 2>/dev/null; then
	HASH2=$(perl -MCrypt::Eksblowfish::Bcrypt=en_base64 -e \
		'print substr(Crypt::Eksblowfish::Bcrypt::bcrypt("1234", q($2a$02$) . en_base64("ABCDEFGHIJKLMNOP")), 29, 31)')
fi
backend_sql <<SQL
UPDATE system_settings SET pass_key = 'ABCDEFGHIJKLMNOP', pass_cost = 2;
UPDATE vicidial_users SET pass_hash = '$HASH2' WHERE user = '6666';
SQL
expect_api "at VICIdial's default pass_cost 2, the password is checked (bp.pl's hash)" \
	"$AUTH&${ADD//701/711}" \
	"SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|a711|127.0.0.2|SIP|7711"
expect_api "  and a wrong one refused" "source=test&user=6666&pass=1235&${ADD//701/712}" \
	"ERROR: Login incorrect, please try again: |6666|1235|BAD|"
# a pass_key that is not 16 characters: bp.pl dies, VICIdial compares an
# empty hash, and a user whose pass_hash is empty logs in with any password
backend_sql <<'SQL'
UPDATE system_settings SET pass_key = 'short';
UPDATE vicidial_users SET pass_hash = '', failed_login_count = 0 WHERE user = '6666';
SQL
expect_api "a pass_key of 5 characters: an empty pass_hash logs in, as in VICIdial" \
	"source=test&user=6666&pass=anything&${ADD//701/712}" \
	"SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|a712|127.0.0.2|SIP|7712"
check "  and the log names the misconfiguration" grep -q "pass_key is not 16 characters" "$KAMAILIO_LOG"
expect_api "  a user with a pass_hash does not" "source=test&user=hashed&pass=hashed-pw&${ADD//701/713}" \
	"ERROR: Login incorrect, please try again: |hashed|hashed-pw|BAD|"
backend_sql <<'SQL'
DELETE FROM system_settings;
DELETE FROM vicidial_users WHERE user = 'hashed';
UPDATE vicidial_users SET pass_hash = '', failed_login_count = 0 WHERE user = '6666';
SQL
expect_api "  hashing off again: the plain password" "$AUTH&${ADD//701/707}" \
	"SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|a707|127.0.0.2|SIP|7707"

# --- VICIdial's failed-login lock-out (failed_login_count) ---
for i in $(seq 10); do api "source=test&user=nodelete&pass=bad$i&${ADD//701/708}" >/dev/null; done
expect_eq "ten wrong passwords are counted" 10 \
	"$(backend_query "SELECT failed_login_count FROM vicidial_users WHERE user = 'nodelete'")"
expect_eq "  and today's counters, the address and aBAD, as VICIdial's" "10|10|127.0.0.1|aBAD" \
	"$(backend_query "SELECT failed_login_attempts_today, failed_login_count_today, failed_last_ip_today, failed_last_type_today FROM vicidial_users WHERE user = 'nodelete'")"
expect_api "then even the right password is locked out for 15 minutes" \
	"source=test&user=nodelete&pass=pw&${ADD//701/708}" \
	"ERROR: Too many login attempts, try again in 15 minutes: |nodelete|LOCK|"
expect_eq "  an attempt while locked counts as aLOCK, not in the count" "10|11|10|aLOCK" \
	"$(backend_query "SELECT failed_login_count, failed_login_attempts_today, failed_login_count_today, failed_last_type_today FROM vicidial_users WHERE user = 'nodelete'")"
backend_sql <<'SQL'
UPDATE vicidial_users SET last_login_date = '2001-01-01 00:00:01' WHERE user = 'nodelete';
SQL
expect_api "15 minutes on, the right password passes" \
	"source=test&user=nodelete&pass=pw&${ADD//701/708}" \
	"SUCCESS: add_phone PHONE HAS BEEN ADDED - nodelete|a708|127.0.0.2|SIP|7708"
expect_eq "  and the count is back to 0, last_ip the client's" "0|127.0.0.1" \
	"$(backend_query "SELECT failed_login_count, last_ip FROM vicidial_users WHERE user = 'nodelete'")"
# an older vicidial_users without today's counters and last_ip: the lock-out
# still counts failed_login_count
for c in failed_login_attempts_today failed_login_count_today failed_last_ip_today failed_last_type_today last_ip; do
	echo "ALTER TABLE vicidial_users DROP COLUMN $c;"
done | backend_sql
api "source=test&user=nodelete&pass=bad&${ADD//701/709}" >/dev/null
expect_eq "an older vicidial_users (no *_today columns): a failure still counts" 1 \
	"$(backend_query "SELECT failed_login_count FROM vicidial_users WHERE user = 'nodelete'")"
expect_api "  and the right password passes" "source=test&user=nodelete&pass=pw&${ADD//701/709}" \
	"SUCCESS: add_phone PHONE HAS BEEN ADDED - nodelete|a709|127.0.0.2|SIP|7709"
expect_eq "  and resets the count, without the last_ip it wrote before" 0 \
	"$(backend_query "SELECT failed_login_count FROM vicidial_users WHERE user = 'nodelete'")"

# --- an older install: a phones table without the optional columns ---
OPTIONAL_COLUMNS="is_webphone webphone_auto_answer use_external_server_ip template_id on_hook_agent"
for c in $OPTIONAL_COLUMNS; do echo "ALTER TABLE phones DROP COLUMN $c;"; done | backend_sql
expect_api "add_phone on a phones table without is_webphone, template_id... (older VICIdial)" \
	"$AUTH&${ADD//701/704}" \
	"SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|a704|127.0.0.2|SIP|7704"
expect_eq "  the row is there" 1 "$(backend_query "SELECT COUNT(*) FROM phones WHERE extension = 'a704'")"
expect_api "naming one of them is the database's error, as in VICIdial" \
	"$AUTH&${ADD//701/705}&is_webphone=Y" "ERROR: add_phone DATABASE ERROR: |6666|"
if [ "$backend" = mariadb ]; then
	backend_sql <<'SQL'
ALTER TABLE phones ADD COLUMN template_id VARCHAR(15) NOT NULL DEFAULT '--NONE--',
  ADD COLUMN is_webphone ENUM('Y','N','Y_API_LAUNCH') DEFAULT 'N',
  ADD COLUMN use_external_server_ip ENUM('Y','N') DEFAULT 'N',
  ADD COLUMN webphone_auto_answer ENUM('Y','N') DEFAULT 'Y',
  ADD COLUMN on_hook_agent ENUM('Y','N') DEFAULT 'N';
SQL
else
	backend_sql <<'SQL'
ALTER TABLE phones ADD COLUMN template_id VARCHAR(15) NOT NULL DEFAULT '--NONE--';
ALTER TABLE phones ADD COLUMN is_webphone VARCHAR(12) DEFAULT 'N';
ALTER TABLE phones ADD COLUMN use_external_server_ip VARCHAR(1) DEFAULT 'N';
ALTER TABLE phones ADD COLUMN webphone_auto_answer VARCHAR(1) DEFAULT 'Y';
ALTER TABLE phones ADD COLUMN on_hook_agent VARCHAR(1) DEFAULT 'N';
SQL
fi
# today's counters and last_ip back, for the tests after these
if [ "$backend" = mariadb ]; then
	backend_sql <<'SQL'
ALTER TABLE vicidial_users ADD COLUMN last_ip VARCHAR(15) DEFAULT '',
  ADD COLUMN failed_login_attempts_today MEDIUMINT(8) UNSIGNED DEFAULT '0',
  ADD COLUMN failed_login_count_today SMALLINT(6) UNSIGNED DEFAULT '0',
  ADD COLUMN failed_last_ip_today VARCHAR(50) DEFAULT '',
  ADD COLUMN failed_last_type_today VARCHAR(20) DEFAULT '';
SQL
else
	backend_sql <<'SQL'
ALTER TABLE vicidial_users ADD COLUMN last_ip VARCHAR(15) DEFAULT '';
ALTER TABLE vicidial_users ADD COLUMN failed_login_attempts_today INTEGER DEFAULT 0;
ALTER TABLE vicidial_users ADD COLUMN failed_login_count_today INTEGER DEFAULT 0;
ALTER TABLE vicidial_users ADD COLUMN failed_last_ip_today VARCHAR(50) DEFAULT '';
ALTER TABLE vicidial_users ADD COLUMN failed_last_type_today VARCHAR(20) DEFAULT '';
SQL
fi
# --- issue 29: what VICIdial's PHP answered differently ---
backend_sql <<'SQL'
DELETE FROM vicidial_api_log;
SQL
expect_api "local_gmt=-5 is a zone, as PHP's != compares numeric strings" \
	"$AUTH&${ADD//701/721}&local_gmt=-5" \
	"SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|a721|127.0.0.2|SIP|7721"
expect_eq "  written as given" "-5" "$(backend_query "SELECT local_gmt FROM phones WHERE extension = 'a721'")"
expect_eq "  and a vicidial_api_log row, as VICIdial's api_log() writes" \
	"6666|non-agent|add_phone|SUCCESS|add_phone PHONE HAS BEEN ADDED|test|a721|127.0.0.2|SIP|7721" \
	"$(backend_query "SELECT user, api_script, function, result, result_reason, source, data FROM vicidial_api_log")"
expect_api "  and -05.000 too, cut to the column's 6 characters" \
	"$AUTH&${ADD//701/722}&local_gmt=-05.000" \
	"SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|a722|127.0.0.2|SIP|7722"
expect_eq "  written cut" "-05.00" "$(backend_query "SELECT local_gmt FROM phones WHERE extension = 'a722'")"
backend_sql <<'SQL'
UPDATE vicidial_users SET failed_login_count = 0 WHERE user = '6666';
SQL
expect_api "the login comes first: a wrong password and no function is BAD" \
	"source=test&user=6666&pass=wrong" "ERROR: Login incorrect, please try again: |6666|wrong|BAD|"
expect_api "  an unknown function too" "source=test&user=6666&pass=wrong&function=add_user" \
	"ERROR: Login incorrect, please try again: |6666|wrong|BAD|"
expect_eq "  both counted" 2 "$(backend_query "SELECT failed_login_count FROM vicidial_users WHERE user = '6666'")"
expect_eq "  with no vicidial_api_log row, as VICIdial's (two rows: a721, a722)" 2 \
	"$(backend_query "SELECT COUNT(*) FROM vicidial_api_log")"
api "$AUTH&${ADD/&outbound_cid=3125550701/}" >/dev/null
expect_eq "  a refusal's row echoes the request, its passwords replaced" \
	"ERROR|add_phone YOU MUST USE ALL REQUIRED FIELDS|a701|7701|7701|l701|<secret>|127.0.0.2|SIP|<secret>|API Phone 701|-5.00|" \
	"$(backend_query "SELECT result, result_reason, data FROM vicidial_api_log WHERE result = 'ERROR' AND function = 'add_phone'")"
expect_api "  the right password and no function: NO FUNCTION SPECIFIED" "$AUTH" "ERROR: NO FUNCTION SPECIFIED"
expect_eq "  and the good login recorded" 0 "$(backend_query "SELECT failed_login_count FROM vicidial_users WHERE user = '6666'")"
expect_api "function=add_phone' is sanitised to add_phone and runs" \
	"$AUTH&${ADD//701/723}&function=add_phone%27" \
	"SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|a723|127.0.0.2|SIP|7723"
backend_sql <<'SQL'
INSERT INTO phones (extension, dialplan_number, voicemail_id, server_ip, login, pass, status, active, protocol, fullname, outbound_cid, conf_secret, user_group)
VALUES ('a724', '7724', '7724', '127.0.0.2', 'l724', 'x', 'ACTIVE', 'Y', 'SIP', 'Null group', '3125550724', 'pw-a724', NULL);
SQL
expect_api "a phone whose user_group is NULL is not seen by a user limited to some groups" \
	"source=test&user=salesadm&pass=pw&function=update_phone&extension=a724&server_ip=127.0.0.2&active=N" \
	"ERROR: update_phone PHONE DOES NOT EXIST ON THIS SERVER: |salesadm|127.0.0.2|a724"
expect_api "  nor deleted" \
	"source=test&user=salesadm&pass=pw&function=update_phone&extension=a724&server_ip=127.0.0.2&delete_phone=Y" \
	"ERROR: update_phone PHONE DOES NOT EXIST ON THIS SERVER: |salesadm|127.0.0.2|a724"
expect_eq "  the row is as it was" "Y" "$(backend_query "SELECT active FROM phones WHERE extension = 'a724'")"
api "$AUTH&${ADD//701/725}&phone_login=lcase" >/dev/null
api "$AUTH&${ADD//701/726}&extension=A725&server_ip=127.0.0.3" >/dev/null
expect_api "LOGIN ALREADY EXISTS compares without case: A725's login is a725's own" \
	"$AUTH&function=update_phone&extension=A725&server_ip=127.0.0.3&phone_login=lcase" \
	"SUCCESS: update_phone PHONE HAS BEEN UPDATED - 6666|A725|127.0.0.3|"
backend_sql <<'SQL'
INSERT INTO vicidial_users (user, pass, user_level, active, ast_admin_access, ast_delete_phones, vdc_agent_api_access)
VALUES ('nopass', '', 9, 'Y', '1', '1', '1');
SQL
expect_api "a user whose pass is empty logs in with pass= empty" \
	"source=test&user=nopass&pass=&${ADD//701/727}" \
	"SUCCESS: add_phone PHONE HAS BEEN ADDED - nopass|a727|127.0.0.2|SIP|7727"
expect_eq "GET and POST together are merged, as PHP's \$_GET/\$_POST reading does" \
	"SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|a728|127.0.0.2|SIP|7728" \
	"$(curl -s -d "${ADD//701/728}&user=postuser" "$API?$AUTH")"
expect_eq "VICIdial's Content-Type" "text/html; charset=utf-8" \
	"$(curl -s -o /dev/null -w '%{content_type}' "$API?$AUTH")"
n250=$(head -c 250 /dev/zero | tr '\0' 'n')
want="ERROR: add_phone YOU MUST USE ALL REQUIRED FIELDS: |6666|e$n250|7701|7701|l$n250|p$n250|127.0.0.2|SIP|r$n250|N$n250|-5.00|"
got=$(api "$AUTH&${ADD/&outbound_cid=3125550701/}&extension=e$n250&phone_login=l$n250&phone_pass=p$n250&registration_password=r$n250&phone_full_name=N$n250")
expect_eq "a long answer is printed whole (${#want} characters), as VICIdial's" "$want" "$got"
backend_sql <<'SQL'
INSERT INTO system_settings (use_non_latin) VALUES ('1');
SQL
expect_api "use_non_latin=1 keeps Unicode letters, as VICIdial's \\p{L}" \
	"$AUTH&${ADD//701/730}&extension=%C3%A9x781&phone_full_name=J%C3%B6rg+M%C3%BCller" \
	"SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|éx781|127.0.0.2|SIP|7730"
expect_eq "  the row holds them" "éx781|Jörg Müller" \
	"$(backend_query "SELECT extension, fullname FROM phones WHERE dialplan_number = '7730'")"
backend_sql <<'SQL'
DELETE FROM system_settings;
SQL
expect_api "  off again: stripped" \
	"$AUTH&${ADD//701/731}&extension=%C3%A9x782&phone_full_name=J%C3%B6rg+M%C3%BCller" \
	"SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|x782|127.0.0.2|SIP|7731"
# where VICIdial itself fails (HTTP 500), the module's clean answers
expect_api "an apostrophe in email (VICIdial: HTTP 500) is written as given" \
	"$AUTH&${ADD//701/732}&email=o%27brien@example.com" \
	"SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|a732|127.0.0.2|SIP|7732"
expect_eq "  the row holds it" "o'brien@example.com" \
	"$(backend_query "SELECT email FROM phones WHERE extension = 'a732'")"
a20=al7010123456789abcde
api "$AUTH&function=add_phone_alias&alias_id=$a20&alias_name=Twenty&phone_logins=l100" >/dev/null
expect_api "an alias_id that collides once cut to 20 (VICIdial: HTTP 500) is refused" \
	"$AUTH&function=add_phone_alias&alias_id=${a20}zz&alias_name=Longer&phone_logins=l100" \
	"ERROR: add_phone_alias DATABASE ERROR: |6666|"
expect_eq "  and the first is as it was" "Twenty" \
	"$(backend_query "SELECT alias_name FROM phones_alias WHERE alias_id = '$a20'")"
x150=$(head -c 150 /dev/zero | tr '\0' 'x')
api "$AUTH&${ADD//701/729}&extension=$x150" >/dev/null
expect_eq "the admin log's notes keep a long extension, as VICIdial's" "phone: $x150|127.0.0.2" \
	"$(backend_query "SELECT event_notes FROM vicidial_admin_log WHERE record_id LIKE 'xxxx%' AND event_type = 'ADD'")"
backend_sql <<SQL
DELETE FROM phones WHERE extension IN ('a721', 'a722', 'a723', 'a724', 'a725', 'A725', 'a727', 'a728', 'a711', 'a712', '${x150:0:100}', 'x782') OR dialplan_number = '7730';
DELETE FROM vicidial_users WHERE user = 'nopass';
DELETE FROM phones WHERE extension = 'a732';
DELETE FROM phones_alias WHERE alias_id = '$a20';
SQL
check "the log has lines at debug level 3" grep -q "DEBUG:" "$KAMAILIO_LOG"
leaks=$(grep -ow -E 'secret701|secret702|secret703|changed703|newsecret|newpass|pp701|pp702|1234|hashed-pw|hashed-px' "$KAMAILIO_LOG" | sort | uniq -c | xargs)
expect_eq "no password the requests sent is in the log, at debug level 3" "" "$leaks"
backend_sql <<'SQL'
DELETE FROM phones WHERE extension IN ('a701', 'a702', 'a703', 'a704', 'a705', 'a706', 'a707', 'a708', 'a709') OR login = 'samelogin';
DELETE FROM vicidial_admin_log;
DELETE FROM vicidial_users WHERE user = 'salesadm';
DELETE FROM vicidial_user_groups;
UPDATE servers SET rebuild_conf_files = 'N';
SQL
# phones.login without an index (VICIdial's own table): a start-up warning
check "with phones.login indexed, no warning at start-up" \
	bash -c "! grep -q 'has no index on login' '$KAMAILIO_LOG'"
stop_kamailio
if [ "$backend" = mariadb ]; then
	backend_sql <<<"DROP INDEX login ON phones;"
else
	backend_sql <<<"DROP INDEX phones_login;"
fi
check "kamailio starts on VICIdial's own indexes" start_kamailio api
check "  and warns that phones.login has no index" grep -q "has no index on login" "$KAMAILIO_LOG"
stop_kamailio
if [ "$backend" = mariadb ]; then
	backend_sql <"$TOP/db/upgrade-mysql.sql"
else
	"$TOP/db/upgrade-sqlite.sh" "$SQLITE_DB" >/dev/null
fi
check "  db/upgrade-mysql.sql / upgrade-sqlite.sh add it back" start_kamailio api
check "  and the warning is gone" bash -c "! grep -q 'has no index on login' '$KAMAILIO_LOG'"
stop_kamailio
