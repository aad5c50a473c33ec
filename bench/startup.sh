#!/bin/bash
# Start-up with a call centre's table at Kamailio's default private memory
# (-M 8): the module loads N phones (10,000, 100,000, 1,000,000;
# bench/gen-phones.awk) from SQLite and from MariaDB (a server of its own
# on 127.0.0.1:26306, VICIdial's MyISAM table; tests/integration's
# backend), under TLSF (the project's default) and q_malloc; per start,
# the seconds from starting kamailio to the module's log line "loaded N
# phone entries", the bytes the module counts, and kamcmd core.shmmem
# real_used per entry less what an empty table leaves.
#
#   bench/startup.sh [RESULTS.tsv]     (SIZES="10000 100000 1000000")
# Prints a line per start; the starts go to RESULTS.tsv.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$TOP/bench
OUT=${1:-$TOP/build/bench/startup.tsv}
SIZES=${SIZES:-10000 100000 1000000}
MODDIR=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)/kamailio/modules
PORT=26460
WORK=$(mktemp -d /tmp/phones-startup.XXXXXX)
MARIADB_PORT=26306
. "$TOP/tests/integration/backend-mariadb.sh"
KPID=
cleanup() {
	if [ -n "$KPID" ]; then
		kill "$KPID" 2>/dev/null || true
		wait "$KPID" 2>/dev/null || true
	fi
	backend_stop
	rm -rf "$WORK"
}
trap cleanup EXIT
[ -f "$TOP/modules/phones/phones.so" ] || { echo "build the module first (make)" >&2; exit 1; }
mkdir -p "$(dirname "$OUT")"

# one start: db_url defines... -> "entries seconds module_bytes shm_real_used"
start_once() {
	local alloc=$1 logf=$WORK/kamailio.log t0 line shm i
	shift
	rm -f "$WORK/kamailio.pid"
	t0=$EPOCHREALTIME
	{
		kamailio -DD -E -m 2048 -M 8 -x "$alloc" -P "$WORK/kamailio.pid" \
			-f "$BENCH/cfg/bench.cfg" -L "$TOP/modules/phones:$MODDIR" \
			-A LOOKUP_MODULE -A "LISTEN=udp:127.0.0.1:$PORT" \
			-A "CTL_SOCKET=\"unix:$WORK/ctl\"" -A CHILDREN=2 "$@" 2>&1
	} | while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done >"$logf" &
	KPID=$!
	for i in $(seq 1800); do
		kamcmd -s "unix:$WORK/ctl" core.uptime >/dev/null 2>&1 && break
		kill -0 $KPID 2>/dev/null || break
		sleep 0.1
	done
	shm=$(kamcmd -s "unix:$WORK/ctl" core.shmmem 2>/dev/null | sed -n 's/^[[:space:]]*real_used: //p')
	[ -s "$WORK/kamailio.pid" ] && kill "$(cat "$WORK/kamailio.pid")" 2>/dev/null
	wait $KPID 2>/dev/null || true
	KPID=
	grep -q "loaded [0-9]* phone entries" "$logf" || {
		echo "no load line; the log's end:" >&2
		tail -5 "$logf" >&2
		return 1
	}
	awk -v t0="$t0" -v shm="${shm:-0}" '
		/loaded [0-9]+ phone entries/ && !done {
			for (i = 1; i <= NF; i++) {
				if ($i == "loaded") entries = $(i + 1)
				if ($i == "bytes") bytes = $(i - 1)
			}
			printf "%d %.3f %d %d\n", entries, $1 - t0, bytes, shm
			done = 1
		}' "$logf"
}

sqlite_db() { # n -> file
	local f=$WORK/phones-$1.sqlite
	{
		cat "$TOP/db/phones-sqlite.sql" "$TOP/db/phone-routes-sqlite.sql" \
			"$TOP/db/phone-devices-sqlite.sql" "$TOP/db/vicidial-sqlite.sql" "$TOP/db/location-sqlite.sql"
		echo "BEGIN;"
		[ "$1" = 0 ] || awk -v n="$1" -f "$BENCH/gen-phones.awk"
		echo "COMMIT;"
		cat "$BENCH/sql/servers.sql"
	} | sqlite3 -bail "$f" >/dev/null
	echo "$f"
}

mariadb_fill() { # n: the asterisk database's phones table holds n phones
	mariadb_root asterisk -e "TRUNCATE phones"
	[ "$1" = 0 ] || {
		echo "ALTER TABLE phones DISABLE KEYS; LOCK TABLES phones WRITE;"
		awk -v n="$1" -f "$BENCH/gen-phones.awk"
		echo "UNLOCK TABLES; ALTER TABLE phones ENABLE KEYS;"
	} | mariadb_root --init-command="SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')" asterisk
}

backend_start >/dev/null || { echo "cannot start MariaDB" >&2; exit 1; }
mariadb_root asterisk <"$BENCH/sql/servers.sql"
printf 'db\talloc\tphones\tentries\tseconds\tmodule_bytes\tshm_real_used\n' >"$OUT"
for db in sqlite mariadb; do
	for n in 0 $SIZES; do
		if [ $db = sqlite ]; then
			defs=(-A "DB_URL=\"sqlite://$(sqlite_db $n)\"")
		else
			mariadb_fill $n
			defs=(-A WITH_MYSQL -A "DB_URL=\"mysql://cron:1234@127.0.0.1:$MARIADB_PORT/asterisk\"")
		fi
		for alloc in tlsf qm; do
			read -r e s b m < <(start_once $alloc "${defs[@]}") || { echo "$db $n $alloc: did not start" >&2; exit 1; }
			printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' $db $alloc $n "$e" "$s" "$b" "$m" >>"$OUT"
			echo "$db $alloc $n phones: $e entries, $s s to the log line, $b bytes, shm real_used $m"
		done
		[ $db = sqlite ] && rm -f "$WORK"/phones-$n.sqlite*
	done
done
