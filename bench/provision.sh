#!/bin/bash
# make bench (and make bench-provision): bulk provisioning through
# VICIdial's add_phone, and start-up from SQLite at Kamailio's default -M.
#
#   bench/provision.sh      (BENCH_QUICK=1: smaller tables, fewer adds)
#
# For each table size N: a SQLite database of N phones, cfg/kamailio.cfg
# on 127.0.0.1 (SIP 26260, HTTP 26280) with -M 8 (Kamailio's default
# private memory) under q_malloc and under TLSF (-x tlsf); it records the
# start-up log's load time and memory, then sends ADDS add_phone requests
# over one HTTP/1.1 connection (tools' Python standard library, no
# pipelining: one request, its answer, the next) and measures adds per
# second; every answer must be SUCCESS, and the table must hold every
# phone added. Each size is run on the schema's indexes (phones.login
# indexed) under both allocators, and on VICIdial's own indexes (no index
# on phones.login, as a VICIdial database has before db/upgrade-mysql.sql)
# under q_malloc; on SQLite and on MariaDB (a server of the bench's own on
# 127.0.0.1:26306, VICIdial's MyISAM table; PROVISION_BACKENDS picks).
# PROVISION_SIZES and PROVISION_ADDS override the sizes and the adds
# (PROVISION_VICIDIAL_ADDS those of the runs on VICIdial's own indexes,
# 30 times slower and more: a tenth of the adds unless given),
# PROVISION_RUNS the runs ("qm login;tlsf login;qm vicidial": allocator
# and indexes, ';' between runs; a run named twice is run twice, for the
# spread). On MariaDB each run then sends 20 more
# adds with the server's general log on and counts the statements each
# add sent (statements_per_add; SQLite's are the same plus its BEGIN and
# COMMIT). Results: build/bench/provision/results.tsv; the section
# "Provisioning" of docs/benchmarks.md is written from them.
set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
WORK=${PROVISION_WORK:-$TOP/build/bench/provision}
MODULES_DIR=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)/kamailio/modules
if [ -n "${BENCH_QUICK:-}" ] && [ "${BENCH_QUICK}" != 0 ]; then
	SIZES=(10000 200000) ADDS=1000
else
	SIZES=(10000 200000 1000000) ADDS=5000
fi
[ -n "${PROVISION_SIZES:-}" ] && read -r -a SIZES <<<"$PROVISION_SIZES"
[ -n "${PROVISION_ADDS:-}" ] && ADDS=$PROVISION_ADDS
SLOW_ADDS=${PROVISION_VICIDIAL_ADDS:-$((ADDS / 10 > 100 ? ADDS / 10 : 100))}
# allocator and indexes: login (the schema's), vicidial (VICIdial's own)
RUNS=("qm login" "tlsf login" "qm vicidial")
[ -n "${PROVISION_RUNS:-}" ] && IFS=';' read -r -a RUNS <<<"$PROVISION_RUNS"
read -r -a BACKENDS <<<"${PROVISION_BACKENDS:-sqlite mariadb}"
SIP_PORT=26260
HTTP_PORT=26280
CTL=unix:$WORK/ctl
KPID=

log() { printf '%s %s\n' "$(date +%T)" "$*"; }
stop() {
	[ -n "$KPID" ] || return 0
	kill "$KPID" 2>/dev/null
	wait "$KPID" 2>/dev/null
	KPID=
}
trap stop EXIT
trap 'exit 130' INT TERM

rm -rf "$WORK"
mkdir -p "$WORK"
printf 'size\tallocator\tload_ms\ttable_bytes\tadds\tadds_per_s\tsuccess\tentries_after\tindexes\tbackend\tstatements_per_add\n' \
	>"$WORK/results.tsv"

make_db() { # N FILE
	rm -f "$2"
	cat "$TOP/db/phones-sqlite.sql" "$TOP/db/phone-routes-sqlite.sql" \
		"$TOP/db/phone-devices-sqlite.sql" "$TOP/db/vicidial-sqlite.sql" "$TOP/db/location-sqlite.sql" |
		sqlite3 -bail "$2" >/dev/null
	sqlite3 -bail "$2" <<SQL
INSERT INTO servers (server_id, server_ip, active) VALUES ('ast1', '127.0.0.2', 'Y');
INSERT INTO vicidial_users (user, pass, user_level, active, ast_admin_access,
  ast_delete_phones, vdc_agent_api_access) VALUES ('6666', '1234', 9, 'Y', '1', '1', '1');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
INSERT INTO phones (extension, dialplan_number, voicemail_id, server_ip, login,
  pass, status, active, protocol, conf_secret, fullname, outbound_cid)
SELECT 'p' || i, '9' || i, i, '127.0.0.2', 'l' || i, 'pw', 'ACTIVE', 'Y',
  'SIP', 'secret' || i, 'Phone ' || i, '312555' || (i % 10000) FROM n;
SQL
}

# MariaDB: the test suite's server (tests/integration/backend-mariadb.sh),
# on a port of the bench's own; N phones made by its sequence engine.
MARIADB_PORT=26306
mariadb_db() { # N
	mariadb_root asterisk <<SQL
DELETE FROM phones;
DELETE FROM servers;
DELETE FROM vicidial_users;
INSERT INTO servers (server_id, server_ip, active) VALUES ('ast1', '127.0.0.2', 'Y');
INSERT INTO vicidial_users (user, pass, user_level, active, ast_admin_access,
  ast_delete_phones, vdc_agent_api_access) VALUES ('6666', '1234', 9, 'Y', '1', '1', '1');
INSERT INTO phones (extension, dialplan_number, voicemail_id, server_ip, login,
  pass, status, active, protocol, conf_secret, fullname, outbound_cid)
SELECT CONCAT('p', seq), CONCAT('9', seq), seq, '127.0.0.2', CONCAT('l', seq), 'pw',
  'ACTIVE', 'Y', 'SIP', CONCAT('secret', seq), CONCAT('Phone ', seq),
  CONCAT('312555', seq % 10000) FROM seq_1_to_$1;
SQL
}

# The API alone: no peer_status writes (whose first round on a fresh table
# writes every row) competing for SQLite's write lock, as in earlier runs.
start() { # DB ALLOC (DB: an SQLite file, or a mysql:// URL)
	local i db=(-A "PHONES_DB_URL=\"sqlite://$1\"")
	[ "${1#mysql://}" != "$1" ] && db=(-A WITH_MYSQL -A "PHONES_DB_URL=\"$1\"")
	kamailio -DD -E -m 1024 -M 8 ${2:+-x "$2"} -f "$TOP/cfg/kamailio.cfg" \
		-L "$TOP/modules/phones:$MODULES_DIR" \
		-A "LISTEN=udp:127.0.0.1:$SIP_PORT" -A "CTL_SOCKET=\"$CTL\"" \
		-A "HTTP_LISTEN=tcp:127.0.0.1:$HTTP_PORT" \
		"${db[@]}" \
		-A "DS_LIST=\"$TOP/cfg/dispatcher.list\"" \
		-A "ADDRESS_LIST=\"$TOP/cfg/address.list\"" \
		-A PEER_STATUS_INTERVAL=0 -A NO_KEEPALIVE \
		>"$WORK/kamailio.log" 2>&1 &
	KPID=$!
	for i in $(seq 1200); do
		kill -0 "$KPID" 2>/dev/null || return 1
		kamcmd -s "$CTL" core.uptime >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# ADDS add_phone requests over one connection: "seconds successes"
adds() { # FIRST COUNT
	python3 - "$HTTP_PORT" "$1" "$2" <<'PY'
import http.client, sys, time
port, first, count = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
c = http.client.HTTPConnection("127.0.0.1", port)
ok = 0
start = time.monotonic()
for i in range(first, first + count):
    q = ("/vicidial/non_agent_api.php?source=bench&user=6666&pass=1234"
         "&function=add_phone&extension=b%d&dialplan_number=8%d"
         "&voicemail_id=%d&phone_login=bl%d&phone_pass=pp&server_ip=127.0.0.2"
         "&protocol=SIP&registration_password=rp%d&phone_full_name=Bench"
         "&local_gmt=-5.00&outbound_cid=3125550000" % (i, i, i, i, i))
    c.request("GET", q)
    r = c.getresponse()
    body = r.read().decode()
    if body.startswith("SUCCESS: add_phone PHONE HAS BEEN ADDED"):
        ok += 1
    elif ok == i - first:
        sys.stderr.write("first refusal: %s" % body)
print("%.3f %d" % (time.monotonic() - start, ok))
PY
}

# MariaDB: the statements the proxy's connections sent for 20 adds after
# the timed ones (the general log, as a table), per add
statements() { # FIRST OUT (OUT: the statements, one a line)
	local n
	mariadb_root -e "TRUNCATE mysql.general_log; SET GLOBAL log_output = 'TABLE';
		SET GLOBAL general_log = 1"
	adds "$1" 20 >/dev/null
	mariadb_root -e "SET GLOBAL general_log = 0"
	mariadb_root -N -e "SELECT argument FROM mysql.general_log
		WHERE command_type IN ('Query', 'Execute') AND user_host LIKE 'cron%'" >"$2"
	n=$(mariadb_root -N -e "SELECT COUNT(*) FROM mysql.general_log
		WHERE command_type IN ('Query', 'Execute') AND user_host LIKE 'cron%'")
	awk -v n="$n" 'BEGIN { printf "%.1f", n / 20 }'
}

for backend in "${BACKENDS[@]}"; do
if [ "$backend" = mariadb ]; then
	. "$TOP/tests/integration/backend-mariadb.sh"
	trap 'stop; backend_stop' EXIT
	backend_start >/dev/null || { log "cannot start MariaDB"; continue; }
fi
for n in "${SIZES[@]}"; do
	log "$backend: a table of $n phones"
	if [ "$backend" = mariadb ]; then
		mariadb_db "$n"
	else
		make_db "$n" "$WORK/base.sqlite"
	fi
	for run in "${RUNS[@]}"; do
		read -r alloc indexes <<<"$run"
		if [ "$backend" = mariadb ]; then
			db="mysql://cron:1234@127.0.0.1:$MARIADB_PORT/asterisk"
			mariadb_root asterisk -e "DELETE FROM phones WHERE extension LIKE 'b%'"
			mariadb_root asterisk -e "DROP INDEX IF EXISTS login ON phones"
			[ "$indexes" = login ] &&
				mariadb_root asterisk -e "CREATE INDEX login ON phones (login)"
		else
			# (a WAL database is its file and its -wal and -shm: none left over)
			rm -f "$WORK/p.sqlite" "$WORK/p.sqlite-wal" "$WORK/p.sqlite-shm"
			cp "$WORK/base.sqlite" "$WORK/p.sqlite"
			db=$WORK/p.sqlite
			[ "$indexes" = vicidial ] &&
				sqlite3 -bail "$WORK/p.sqlite" "DROP INDEX phones_login"
		fi
		x=
		[ "$alloc" = tlsf ] && x=tlsf
		if ! start "$db" "$x"; then
			log "kamailio did not start ($alloc, $n phones): see $WORK/kamailio.log"
			tail -5 "$WORK/kamailio.log"
			stop
			printf '%s\t%s\tfailed\t\t\t\t\t\t%s\t%s\n' "$n" "$alloc" "$indexes" "$backend" >>"$WORK/results.tsv"
			continue
		fi
		line=$(grep -m1 'loaded .* phone entries' "$WORK/kamailio.log")
		ms=$(echo "$line" | sed -n 's/.* in \([0-9]*\) ms.*/\1/p')
		bytes=$(echo "$line" | sed -n 's/.* \([0-9]*\) bytes of shared memory.*/\1/p')
		count=$ADDS
		[ "$indexes" = vicidial ] && count=$SLOW_ADDS
		read -r secs ok < <(adds 1 "$count")
		rate=$(awk -v a="$count" -v s="$secs" 'BEGIN { printf "%.0f", a / s }')
		entries=$(kamcmd -s "$CTL" stats.get_statistics phones: 2>/dev/null |
			sed -n 's/^phones:entries = //p')
		per=
		[ "$backend" = mariadb ] && per=$(statements $((count + 1)) \
			"$WORK/statements-$n-$alloc-$indexes.txt")
		log "  $alloc, $indexes indexes: loaded in $ms ms, $bytes bytes; $ok of $count adds in $secs s: $rate/s; $entries entries${per:+; $per statements per add}"
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$alloc" "$ms" "$bytes" \
			"$count" "$rate" "$ok" "$entries" "$indexes" "$backend" "$per" >>"$WORK/results.tsv"
		stop
	done
done
[ "$backend" = mariadb ] && backend_stop
done
column -t "$WORK/results.tsv"

# the section of docs/benchmarks.md, replaced or appended
rows=$(awk -F'\t' 'NR > 1 {
	ix = ($9 == "vicidial") ? "VICIdial'"'"'s (no login)" : "login indexed"
	db = ($10 == "mariadb") ? "MariaDB" : "SQLite"
	if ($3 == "failed") { printf "| %s | %s | %s | %s | did not start | | | | |\n", db, $1, $2, ix; next }
	printf "| %s | %s | %s | %s | %.2f s | %.1f | %s/s | %s | %s of %s, %s entries after |\n",
		db, $1, $2, ix, $3 / 1000, $4 / $1, $6, ($11 == "" ? "-" : $11), $7, $5, $8 }' "$WORK/results.tsv")
{
	echo "## Provisioning and start-up at Kamailio's default -M 8"
	echo
	echo "Measured $(date -u +'%Y-%m-%d %H:%M UTC') by \`bench/provision.sh\` (part of"
	echo "\`make bench\`; \`make bench-provision\` alone): \`cfg/kamailio.cfg\` with"
	echo "\`-M 8 -m 1024\` on a database of N generated phones (SQLite: its file on"
	echo "this machine's disk, WAL; MariaDB: a server of its own, VICIdial's MyISAM table),"
	echo "under q_malloc and TLSF; the load time and"
	echo "shared memory from the start-up log, then $ADDS add_phone requests ($SLOW_ADDS on"
	echo "VICIdial's own indexes) over one"
	echo "HTTP/1.1 connection, one after the other (each answer read before the"
	echo "next request), every answer checked SUCCESS and the table's entries"
	echo "counted after; on MariaDB, the statements each add sent (the server's"
	echo "general log over 20 more adds). Each row one run, on $(nproc) cores shared"
	echo "with other work: the client shares them with"
	echo "the proxy, so the rate is the whole system's. The allocator hardly"
	echo "matters to the rate (the database and the HTTP exchange dominate); rows of"
	echo "one set-up, and repeated runs of the script, have differed by up to"
	echo "40% on this machine (the first runs after a table is made slowest):"
	echo "read each rate as that rough, and the rows together as its spread."
	echo
	echo "| database | phones | allocator | indexes | load | bytes per entry | add_phone | statements per add | answered SUCCESS |"
	echo "|---|---:|---|---|---:|---:|---:|---:|---|"
	echo "$rows"
	echo
	echo "Each add is 8 statements on MariaDB: system_settings (one read), the"
	echo "user's row with its lock-out state (one read), the good login's record"
	echo "(one UPDATE, last_ip with it, as VICIdial's), the server, the phone and"
	echo "the login in one SELECT of three EXISTS, the phone, the admin log row,"
	echo "the server's rebuild flag, the API log row (14 before the round trips"
	echo "were cut, on 2026-12-07: 323 to 480 add_phone/s on MariaDB at 200,000"
	echo "phones, login indexed, in five runs; \`bench/api-cost.sh\` counts the"
	echo "statements and the proxy's instructions per add). Nothing that decides"
	echo "a login is kept between requests. On SQLite the same in one transaction, and a change"
	echo "table beside the"
	echo "loaded one (\`ph_table_change\`): no copy of the table. Before these, the"
	echo "same script gave 124/s at 10,000 phones and 22/s at 200,000 (a full scan"
	echo "for the login, five transactions, and a copy of the table per add), and"
	echo "a SQLite table of 10,000 rows did not start at \`-M 8\`. On VICIdial's own"
	echo "indexes (no index on \`phones.login\`) every add reads the whole table for"
	echo "PHONE LOGIN ALREADY EXISTS; the proxy warns at start-up and"
	echo "\`db/upgrade-mysql.sql\` (MariaDB) or \`db/upgrade-sqlite.sh\` adds the index."
} >"$WORK/summary.md"
if [ -f "$TOP/docs/benchmarks.md" ]; then
	awk -v f="$WORK/summary.md" '
		/^## Provisioning and start-up / { skip = 1; while ((getline l < f) > 0) print l; print ""; next }
		skip && /^## / { skip = 0 }
		!skip { print }' "$TOP/docs/benchmarks.md" >"$WORK/benchmarks.md"
	grep -q '^## Provisioning and start-up ' "$TOP/docs/benchmarks.md" ||
		{ echo; cat "$WORK/summary.md"; } >>"$WORK/benchmarks.md"
	cp "$WORK/benchmarks.md" "$TOP/docs/benchmarks.md"
fi
awk -F'\t' 'NR > 1 && ($3 == "failed" || $7 != $5) { bad = 1 } END { exit bad }' "$WORK/results.tsv"
