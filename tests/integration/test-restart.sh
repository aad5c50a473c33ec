# Registrations survive a restart: a phone registered (for an hour) before
# the proxy is killed with kill -9 is called right after the restart,
# without registering again; keepalives and peer_status pick up.
# Sourced by run.sh.

PHONE_ADDR=127.0.0.31
# peer EXT: "peer_status" of that row of the phones table (server 127.0.0.2)
peer() {
	backend_query "SELECT peer_status FROM phones WHERE extension = '$1' AND server_ip = '127.0.0.2'"
}
wait_peer() { # EXT REGEX: within 10 s
	local i v
	for i in $(seq 40); do
		v=$(peer "$1")
		[[ $v =~ ^($2)$ ]] && return 0
		sleep 0.25
	done
	echo "peer_status of $1 still '$v', not /$2/" >&2
	return 1
}
# kill_9: the proxy and every process of it, at once, as a crash would.
kill_9() {
	local children
	children=$(pgrep -P "$KAMAILIO_PID" 2>/dev/null)
	kill -9 "$KAMAILIO_PID" $children 2>/dev/null
	wait "$KAMAILIO_PID" 2>/dev/null
	KAMAILIO_PID=
}

PEER_STATUS_S=1 KEEPALIVE_S=1 check "kamailio starts (keepalives and usrloc's writes every 1 s)" \
	start_kamailio restart1
check "a phone registers for an hour from $PHONE_ADDR" \
	start_phone restart-phone load001 secret-001 60 --bind "$PHONE_ADDR:7031" --expires 3600
check "peer_status shows it" wait_peer load001 'REGISTERED|REACHABLE|LAGGED'
sleep 2
expect_eq "its binding is written to the location table" 1 \
	"$(backend_query "SELECT COUNT(*) FROM location WHERE username = 'load001' AND contact LIKE '%@$PHONE_ADDR:7031%'")"
backend_sql <<'SQL'
UPDATE phones SET peer_status = 'UNKNOWN' WHERE extension = 'load001';
SQL
check "kill -9" kill_9
KEEP_LOCATION=1 PEER_STATUS_S=1 KEEPALIVE_S=1 check "kamailio starts again" start_kamailio restart2
check "the binding is known at once" \
	sh -c "kamcmd -s '$CTL' ul.lookup location load001 | grep -q 'sip:load001@$PHONE_ADDR:7031'"
check "an Asterisk server's call to the phone is answered" call restart-call load001
sleep 0.5
expect_eq "the phone got the INVITE" 1 "$(phone_got restart-phone '"method": "INVITE"')"
expect_eq "and registered only once" 1 "$(grep -c '^REGISTER 200' "$WORK/restart-phone.out")"
ka=$(phone_got restart-phone '"method": "OPTIONS"')
check "keepalives reach it again" \
	sh -c "sleep 3; [ \$(grep -c '\"method\": \"OPTIONS\"' '$WORK/restart-phone.log') -gt $ka ]"
check "peer_status picks up (written again after the restart)" \
	wait_peer load001 'REGISTERED|REACHABLE|LAGGED'
stop_phones
stop_kamailio

# A proxy holding many registrations restarts at the memory the package
# gives it: Kamailio 5.6's db_sqlite reads the whole location table into
# the private memory (-M) of the process that loads it (no paged reads),
# and at Kamailio's default -M 8 a table of 10,000 bindings made it exit
# ("no private memory left"), staying down until the table was emptied.
BULK=20000
cat3() { if [ "$backend" = mariadb ]; then echo "CONCAT($1, $2, $3)"; else echo "$1 || $2 || $3"; fi; }
recursion=
[ "$backend" != mariadb ] || recursion="SET SESSION max_recursive_iterations = $((BULK + 10));"
backend_sql <<SQL
$recursion
INSERT INTO location (ruid, username, domain, contact, received, expires, q, callid, cseq,
  last_modified, flags, cflags, user_agent, socket, methods)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $BULK)
SELECT $(cat3 "'bulk-'" i "''"), $(cat3 "'bulk'" i "''"), domain,
  $(cat3 "'sip:bulk'" i "'@127.0.0.32:7032'"), received, expires, q,
  $(cat3 "'bulk-'" i "'@restart'"), cseq, last_modified, flags, cflags, user_agent, socket, methods
FROM location, n WHERE username = 'load001';
SQL
expect_eq "$BULK more bindings in the location table" "$((BULK + 1))" \
	"$(backend_query "SELECT COUNT(*) FROM location")"
PKG=$(grep -o "'PKG_MEMORY=[0-9]*'" "$TOP/debian/systemd/kamailio-phones.conf" | tr -dc 0-9)
KEEP_LOCATION=1 check "kamailio restarts holding $((BULK + 1)) bindings at the package's -M ${PKG:-?}" \
	start_kamailio restart-bulk -M "${PKG:-8}"
# usrloc reads the table back in a process of its own after start: SIP is
# answered meanwhile (measured in bench/persist.sh)
contacts() { kamcmd -s "$CTL" stats.get_statistics usrloc: 2>/dev/null | sed -n "s/^usrloc:location_contacts = //p"; }
wait_contacts() { # N: within 30 s
	local i
	for i in $(seq 120); do
		[ "$(contacts)" = "$1" ] && return 0
		kamailio_alive || { echo "kamailio exited" >&2; return 1; }
		sleep 0.25
	done
	echo "usrloc holds $(contacts) contacts, not $1" >&2
	return 1
}
check "every binding is read back" wait_contacts $((BULK + 1))
check "a binding of the bulk is known" \
	sh -c "kamcmd -s '$CTL' ul.lookup location bulk$BULK | grep -q 'sip:bulk$BULK@127.0.0.32:7032'"
check "and the phone's own" \
	sh -c "kamcmd -s '$CTL' ul.lookup location load001 | grep -q 'sip:load001@$PHONE_ADDR:7031'"
stop_kamailio
echo "DELETE FROM location;" | backend_sql
# the rows as the fixtures made them, for the test files after this one
backend_sql <<'SQL'
UPDATE phones SET peer_status = 'UNKNOWN', ping_time = NULL;
SQL

# --- several proxies: the one whose DMQ_NOTIFY names itself, killed and
# restarted, learns the registrations its peers hold ---
: >"$WORK/address-nobody.list"
ADDRESS_LIST_FILE=$WORK/address-nobody.list
check "proxy 1 starts on 127.0.0.1, naming itself" start_proxy 1 127.0.0.1 127.0.0.1
check "proxy 2 starts on 127.0.0.6, naming proxy 1" start_proxy 2 127.0.0.6 127.0.0.1
unset ADDRESS_LIST_FILE
# registered N EXT: proxy N knows a contact of EXT.
registered() {
	pkam "$1" ul.lookup location "$2" 2>/dev/null | grep -q "Address: sip:$2@"
}
wait_for() { # SECONDS COMMAND...
	local t=$1 i
	shift
	for i in $(seq $((t * 10))); do
		"$@" && return 0
		sleep 0.1
	done
	"$@"
}
sleep 1
csv "$WORK/dmq-load005.csv" "$(auth_line load005 secret-005)"
check "load005 registers at proxy 2" \
	on 2 sipp_run dmq-reg-load005 register-accepted.xml "$WORK/dmq-load005.csv" 1 -i 127.0.0.32
check "proxy 1 has it" wait_for 5 registered 1 load005
children=$(pgrep -P "${PROXY_PID[1]}" 2>/dev/null)
kill -9 "${PROXY_PID[1]}" $children 2>/dev/null
wait "${PROXY_PID[1]}" 2>/dev/null
unset "PROXY_PID[1]"
check "proxy 1 is restarted after kill -9" start_proxy 1 127.0.0.1 127.0.0.1
check "restarted proxy 1 knows load005 from proxy 2 within 40 s" \
	wait_for 40 registered 1 load005
stop_proxies
