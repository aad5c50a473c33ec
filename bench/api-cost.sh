#!/bin/bash
# What one add_phone costs the proxy, counted in instructions rather than
# timed: cfg/kamailio.cfg on a database of N generated phones (SQLite, and
# MariaDB where mariadbd is installed), run under callgrind (valgrind)
# with only phones_api_answer() counted (--toggle-collect: the request's
# checks, its database client work, the live table's change, the logs),
# while ADDS add_phone requests come over one HTTP connection. Prints the
# instructions per add_phone, and on MariaDB the statements each add sent
# (the server's general log). The database server's own work and the
# kernel are not counted.
#
# Deterministic where timing on a shared 2-core machine is not: the same
# run gives the same count within a fraction of a percent.
#
#   bench/api-cost.sh [ADDS [N]]     (default 200 adds, 10000 phones)
#   API_COST_BACKENDS="sqlite mariadb"
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
ADDS=${1:-200}
N=${2:-10000}
read -r -a BACKENDS <<<"${API_COST_BACKENDS:-sqlite mariadb}"
MODULES_DIR=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)/kamailio/modules
WORK=$(mktemp -d /tmp/phones-api-cost.XXXXXX)
HTTP_PORT=26380
CTL=unix:$WORK/ctl
KPID=
command -v valgrind >/dev/null || { echo "valgrind is not installed (bench/install-deps.sh)" >&2; exit 1; }
[ -f "$TOP/modules/phones/phones.so" ] || { echo "build the module first (make)" >&2; exit 1; }

stop() {
	[ -n "$KPID" ] || return 0
	kill "$KPID" 2>/dev/null
	wait "$KPID" 2>/dev/null
	KPID=
}
cleanup() {
	stop
	[ -n "${MARIADB_DIR:-}" ] && backend_stop
	[ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sqlite_db() { # FILE
	cat "$TOP/db/phones-sqlite.sql" "$TOP/db/phone-routes-sqlite.sql" \
		"$TOP/db/phone-devices-sqlite.sql" "$TOP/db/vicidial-sqlite.sql" "$TOP/db/location-sqlite.sql" |
		sqlite3 -bail "$1" >/dev/null
	sqlite3 -bail "$1" <<SQL
INSERT INTO servers (server_id, server_ip, active) VALUES ('ast1', '127.0.0.2', 'Y');
INSERT INTO vicidial_users (user, pass, user_level, active, ast_admin_access,
  ast_delete_phones, vdc_agent_api_access) VALUES ('6666', '1234', 9, 'Y', '1', '1', '1');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO phones (extension, dialplan_number, voicemail_id, server_ip, login,
  pass, status, active, protocol, conf_secret, fullname, outbound_cid)
SELECT 'p' || i, '9' || i, i, '127.0.0.2', 'l' || i, 'pw', 'ACTIVE', 'Y',
  'SIP', 'secret' || i, 'Phone ' || i, '312555' || (i % 10000) FROM n;
SQL
}

mariadb_db() {
	mariadb_root asterisk <<SQL
INSERT INTO servers (server_id, server_ip, active) VALUES ('ast1', '127.0.0.2', 'Y');
INSERT INTO vicidial_users (user, pass, user_level, active, ast_admin_access,
  ast_delete_phones, vdc_agent_api_access) VALUES ('6666', '1234', 9, 'Y', '1', '1', '1');
INSERT INTO phones (extension, dialplan_number, voicemail_id, server_ip, login,
  pass, status, active, protocol, conf_secret, fullname, outbound_cid)
SELECT CONCAT('p', seq), CONCAT('9', seq), seq, '127.0.0.2', CONCAT('l', seq), 'pw',
  'ACTIVE', 'Y', 'SIP', CONCAT('secret', seq), CONCAT('Phone ', seq),
  CONCAT('312555', seq % 10000) FROM seq_1_to_$N;
SQL
}

start() { # NAME DB-DEFINES...
	local name=$1 i
	shift
	valgrind -q --tool=callgrind --trace-children=yes \
		--toggle-collect=phones_api_answer \
		--callgrind-out-file="$WORK/cg-$name.%p" \
		kamailio -DD -E -m 256 -M 16 -f "$TOP/cfg/kamailio.cfg" \
		-L "$TOP/modules/phones:$MODULES_DIR" \
		-A "LISTEN=udp:127.0.0.1:26360" -A "CTL_SOCKET=\"$CTL\"" \
		-A "HTTP_LISTEN=tcp:127.0.0.1:$HTTP_PORT" "$@" \
		-A "DS_LIST=\"$TOP/cfg/dispatcher.list\"" \
		-A "ADDRESS_LIST=\"$TOP/cfg/address.list\"" \
		-A PEER_STATUS_INTERVAL=0 -A NO_KEEPALIVE \
		>"$WORK/kamailio-$name.log" 2>&1 &
	KPID=$!
	for i in $(seq 1200); do
		kill -0 "$KPID" 2>/dev/null || return 1
		kamcmd -s "$CTL" core.uptime >/dev/null 2>&1 && return 0
		sleep 0.25
	done
	return 1
}

adds() { # FIRST COUNT: the successes
	python3 - "$HTTP_PORT" "$1" "$2" <<'PY'
import http.client, sys
port, first, count = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
ok = 0
for i in range(first, first + count):
    c.request("GET", "/vicidial/non_agent_api.php?source=bench&user=6666&pass=1234"
              "&function=add_phone&extension=b%d&dialplan_number=8%d"
              "&voicemail_id=%d&phone_login=bl%d&phone_pass=pp&server_ip=127.0.0.2"
              "&protocol=SIP&registration_password=rp%d&phone_full_name=Bench"
              "&local_gmt=-5.00&outbound_cid=3125550000" % (i, i, i, i, i))
    if c.getresponse().read().decode().startswith("SUCCESS: add_phone"):
        ok += 1
print(ok)
PY
}

# the instructions counted in every process's file, summed
instructions() { # NAME
	awk '/^totals:/ { t += $2 } END { printf "%.0f", t }' "$WORK"/cg-"$1".*
}

rc=0
for backend in "${BACKENDS[@]}"; do
	db=()
	if [ "$backend" = mariadb ]; then
		command -v mariadbd >/dev/null || { echo "mariadb: SKIP (no mariadbd)"; continue; }
		MARIADB_PORT=26406
		. "$TOP/tests/integration/backend-mariadb.sh"
		backend_start >/dev/null || { echo "mariadb: cannot start"; rc=1; continue; }
		mariadb_db
		db=(-A WITH_MYSQL -A "PHONES_DB_URL=\"mysql://cron:1234@127.0.0.1:$MARIADB_PORT/asterisk\"")
	else
		sqlite_db "$WORK/p.sqlite"
		db=(-A "PHONES_DB_URL=\"sqlite://$WORK/p.sqlite\"")
	fi
	if ! start "$backend" "${db[@]}"; then
		echo "$backend: kamailio did not start under valgrind: $WORK/kamailio-$backend.log"
		KEEP=1 rc=1
		stop
		continue
	fi
	# one add first (a process's first request learns the columns: not
	# counted among the statements)
	adds 1 1 >/dev/null
	[ "$backend" = mariadb ] && mariadb_root -e "TRUNCATE mysql.general_log;
		SET GLOBAL log_output = 'TABLE'; SET GLOBAL general_log = 1"
	ok=$(adds 2 "$ADDS")
	stop
	total=$(instructions "$backend")
	per=
	if [ "$backend" = mariadb ]; then
		mariadb_root -e "SET GLOBAL general_log = 0"
		n=$(mariadb_root -N -e "SELECT COUNT(*) FROM mysql.general_log
			WHERE command_type IN ('Query', 'Execute') AND user_host LIKE 'cron%'")
		per=$(awk -v n="$n" -v a="$ADDS" 'BEGIN { printf "%.1f", n / a }')
		backend_stop
		MARIADB_DIR=
	fi
	echo "$backend: $ok of $ADDS adds; $(awk -v t="$total" -v a="$((ADDS + 1))" 'BEGIN { printf "%.0f", t / a }') instructions per add_phone in phones_api_answer()${per:+; $per statements per add}"
	[ "$ok" = "$ADDS" ] || rc=1
done
exit $rc
