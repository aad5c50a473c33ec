# A call centre's table at Kamailio's default private memory (-M 8): the
# tables are read a page at a time, and changes of single phones through
# the API do not copy the table. Sourced by run.sh.

BIG=30000
before=$((12 + LOAD_USERS))
# 30,000 more phones (the embedded default refused 10,000 when SQLite's
# whole result had to fit in private memory)
# sqlcat(a, b): the SQL that joins two strings
# (MariaDB stops a recursive WITH at 1,000 rows unless told otherwise)
pre=
if [ "$backend" = mariadb ]; then
	sqlcat() { echo "CONCAT($1, $2)"; }
	pre="SET SESSION max_recursive_iterations = $((BIG + 1));"
else
	sqlcat() { echo "$1 || $2"; }
fi
backend_sql <<SQL
$pre
INSERT INTO phones (extension, dialplan_number, server_ip, active, protocol,
  conf_secret, outbound_cid)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $BIG)
SELECT $(sqlcat "'big'" i), $(sqlcat "'77'" i), '127.0.0.2', 'Y', 'SIP',
  $(sqlcat "'secret-big'" i), '3125550000' FROM n;
SQL
unset -f sqlcat
check "kamailio starts with $BIG more phones at the default -M 8" start_kamailio load
expect_eq "the table holds them all" "$((before + BIG))" "$(stat entries)"
check "the start-up log tells the time, the memory and the page size" \
	grep -q "loaded $((before + BIG)) phone entries .* bytes of shared memory, in [0-9]* ms ([0-9]* rows a page)" "$KAMAILIO_LOG"
csv "$WORK/big.csv" "$(auth_line big29999 secret-big29999)"
check "the last of them registers" sipp_run big register-accepted.xml "$WORK/big.csv" 1
check "a reload reads them again, a page at a time" \
	sh -c "kamcmd -s '$CTL' phones.reload | grep -q 'entries: $((before + BIG))'"

# --- changes of single phones: held beside the table, merged later ---
API="http://127.0.0.1:$HTTP_PORT/vicidial/non_agent_api.php"
AUTH="source=test&user=6666&pass=1234"
changes() { kamcmd -s "$CTL" phones.stats | sed -n 's/^[[:space:]]*changes: //p'; }
for i in 1 2 3; do
	curl -s "$API?$AUTH&function=add_phone&extension=chg$i&dialplan_number=66$i&voicemail_id=66$i&phone_login=lchg$i&phone_pass=pp&server_ip=127.0.0.2&protocol=SIP&registration_password=secret-chg$i&phone_full_name=Change&local_gmt=-5.00&outbound_cid=3125550000" >"$WORK/chg$i.txt"
done
check "three adds answered SUCCESS" test "$(cat "$WORK"/chg?.txt | grep -c '^SUCCESS')" = 3
expect_eq "they are held as changes beside the table, not copied into it" 3 "$(changes)"
curl -s "$API?$AUTH&function=update_phone&extension=big5&server_ip=127.0.0.2&active=N" >/dev/null
curl -s "$API?$AUTH&function=update_phone&extension=big6&server_ip=127.0.0.2&delete_phone=Y" >/dev/null
expect_eq "an update and a delete of loaded phones too (5 changes)" 5 "$(changes)"
expect_eq "the table shows every phone once" "$((before + BIG + 3 - 1))" "$(stat entries)"
check "a changed phone is found with its change" \
	sh -c "kamcmd -s '$CTL' phones.get big5 | grep -q 'active: N'"
check "a deleted one is not" sh -c "kamcmd -s '$CTL' phones.get big6 | grep -q '^error: 404'"
# big6 and the 1,110 others that start so (big60.., big600.., big6000..)
check "the list shows the added and skips the deleted" \
	sh -c "kamcmd -s '$CTL' phones.list chg | grep -q 'matched: 3' &&
		kamcmd -s '$CTL' phones.list big6 1 | grep -q 'matched: 1110'"
csv "$WORK/chg.csv" "$(auth_line chg2 secret-chg2)"
check "an added phone registers at once" sipp_run chg register-accepted.xml "$WORK/chg.csv" 1
check "a reload merges them: no change held" \
	sh -c "kamcmd -s '$CTL' phones.reload | grep -q 'entries: $((before + BIG + 3 - 1))'"
expect_eq "  changes 0 after it" 0 "$(changes)"
stop_kamailio

backend_sql <<'SQL'
DELETE FROM phones WHERE extension LIKE 'big%' OR extension LIKE 'chg%';
DELETE FROM vicidial_admin_log;
UPDATE servers SET rebuild_conf_files = 'N';
SQL
