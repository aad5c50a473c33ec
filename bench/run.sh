#!/bin/bash
# make bench's driver: the module's cost in the proxy path, side by side.
#
#   bench/run.sh          (BENCH_QUICK=1 for a smoke run of about 10 minutes)
#
# Starts, on 127.0.0.1 only, a MariaDB server of its own and an SQLite file
# holding the same 10,000 VICIdial phones (a quarter EXTERNAL) and one
# Asterisk server (SIPp's caller, 127.0.0.1:UAC_PORT), and five kamailio
# instances of bench/cfg/bench.cfg that differ only in the lookup:
#
#   ceiling         no lookup (challenge, accept unchecked; number by hand)
#   peer-sqlite     auth_db + permissions + sqlops + dialplan on SQLite
#   module-sqlite   the phones module on SQLite
#   peer-mariadb    auth_db + permissions + sqlops + dialplan on MariaDB
#   module-mariadb  the phones module on MariaDB
#
# then ramps SIPp's call rate for three flows (REGISTER with digest; INVITE,
# 200, ACK, BYE to an EXTERNAL entry, a SIPp UAS as the trunk; the same
# call from the Asterisk server to a number that is no entry, the
# predictive dialer's outbound call, to the same trunk) against each,
# interleaved step by step, runs the core's microbenchmark, loads 1,000,000
# rows from MariaDB through the module, and writes docs/benchmarks.md and
# docs/benchmarks.png (bench/report.sh). Raw results: build/bench/run/.
# Everything it starts it stops again.
set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$TOP/bench
WORK=$TOP/build/bench/run
RES=$WORK/results
QUICK=${BENCH_QUICK:-}
[ "$QUICK" = 0 ] && QUICK=

MODULES_DIR=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)/kamailio/modules
CLOCK_SO=$TOP/build/bench/sipp-clock.so
MICRO=$TOP/build/bench/microbench

# Ports of our own (the integration tests use 25xxx). SIPp's caller sends
# from UAC_PORT, the port of the Asterisk server in the tables (the
# module's server_port); OTHER_PORT is no server's (functional check).
MARIADB_PORT=26306
UAC_PORT=26070
OTHER_PORT=26071
TRUNK_PORT=26080
CONFIGS=(ceiling peer-sqlite module-sqlite peer-mariadb module-mariadb)
FLOWS=(register invite dial)
# The SIPp scenario of each flow: the dial flow is the invite flow's call
# with a number instead of an entry's extension (its own injection file).
declare -A SCENARIO=([register]=register.xml [invite]=invite.xml [dial]=invite.xml)
# Flows whose calls go to the trunk (a SIPp UAS).
to_trunk() { [ "$1" != register ]; }
declare -A PORT=([ceiling]=26060 [peer-sqlite]=26061 [module-sqlite]=26062
	[peer-mariadb]=26063 [module-mariadb]=26064)
LOAD_PORT=26065

PHONES=10000
# Ramp: the first rate, the seconds each run lasts, the resolution at which
# bisecting stops (a fraction of the rate), and a bound on steps.
if [ -n "$QUICK" ]; then
	START_RATE=500 RUN_SECONDS=2 RESOLUTION=0.25 MAX_STEPS=6
	FIXED_ROUNDS=1 LOAD_ROWS=1000000 LOAD_REPEAT=1 MICRO_OPTS=-q
else
	START_RATE=500 RUN_SECONDS=5 RESOLUTION=0.05 MAX_STEPS=11
	FIXED_ROUNDS=3 LOAD_ROWS=1000000 LOAD_REPEAT=3 MICRO_OPTS=
fi
# CPU per call is compared at this rate, which every configuration
# sustains.
REF_RATE=$((START_RATE * 2))
# A run passes when every call succeeded and the rate achieved is at least
# this fraction of the rate asked for.
ACHIEVED_MIN=0.95

log() { printf '%s %s\n' "$(date +%T)" "$*"; }
die() {
	log "ERROR: $*"
	exit 1
}

rm -rf "$WORK"
mkdir -p "$WORK" "$RES"
for f in "$CLOCK_SO" "$MICRO" "$TOP/modules/phones/phones.so"; do
	[ -e "$f" ] || die "$f is missing: run make bench"
done

# --- what is started here is stopped here ----------------------------------
declare -A KAM_PID
MARIADB_PID=
MARIADB_DIR=
UAS_PID=

stop_pid() {
	local pid=$1 i
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	for i in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

cleanup() {
	local c
	stop_pid "$UAS_PID"
	for c in "${!KAM_PID[@]}"; do
		stop_pid "${KAM_PID[$c]}"
	done
	stop_pid "$MARIADB_PID"
	[ -n "$MARIADB_DIR" ] && rm -rf "$MARIADB_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the machine -------------------------------------------------------------
{
	echo "cpu	$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
	echo "cpus	$(nproc)"
	echo "memory	$(free -g | awk '/^Mem:/ {print $2 " GB"}')"
	echo "kernel	$(uname -r)"
	echo "os	Debian $(cat /etc/debian_version 2>/dev/null)"
	echo "virt	$(systemd-detect-virt 2>/dev/null || echo unknown)"
	echo "kamailio	$(kamailio -v 2>/dev/null | head -1 | sed 's/^version: kamailio //; s/ *$//')"
	echo "sipp	$(sipp -v 2>&1 | sed -n 's/^ *SIPp \(v[^ ,-]*\).*/\1/p' | head -1)"
	echo "mariadb	$(mariadbd --version | sed 's/.*Ver \([^ ]*\).*/\1/')"
	echo "sqlite	$(sqlite3 --version | cut -d' ' -f1)"
	echo "cc	$(cc --version | head -1)"
	echo "pcre2	$(pcre2-config --version 2>/dev/null || dpkg-query -W -f='${Version}' libpcre2-8-0 2>/dev/null)"
	echo "load_start	$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "others_start	$(pgrep -c -x kamailio || true) kamailio, $(pgrep -c -x sipp || true) sipp and $(pgrep -c -x mariadbd || true) mariadbd processes"
	echo "quick	${QUICK:-0}"
	echo "start_rate	$START_RATE"
	echo "run_seconds	$RUN_SECONDS"
	echo "resolution	$RESOLUTION"
	echo "ref_rate	$REF_RATE"
	echo "achieved_min	$ACHIEVED_MIN"
	echo "date	$(date -u '+%Y-%m-%d %H:%M UTC')"
} >"$RES/machine.tsv"
log "machine: $(cut -f2 "$RES/machine.tsv" | head -3 | xargs)"

# --- the data ---------------------------------------------------------------
# The same rows in both databases: VICIdial's phones and servers (db/), our
# phone_routes (db/), Kamailio's version, dialplan and address tables
# (bench/sql/), one rule, one Asterisk server (a servers row for the
# module, an address row for the peer's permissions).
phones_sql() { awk -v n="$1" -f "$BENCH/gen-phones.awk"; }
routes_sql() { sed "s/@TRUNK@/127.0.0.1:$TRUNK_PORT/" "$BENCH/sql/phone-routes.sql.in"; }
dialplan_sql() { sed "s/@TRUNK@/127.0.0.1:$TRUNK_PORT/" "$BENCH/sql/dialplan-rules.sql.in"; }
address_sql() { sed "s/@IP@/127.0.0.1/; s/@PORT@/$UAC_PORT/" "$BENCH/sql/address-rules.sql.in"; }

SQLITE_DB=$WORK/phones.sqlite
log "SQLite: $PHONES phones in $SQLITE_DB"
{
	cat "$TOP/db/phones-sqlite.sql" "$TOP/db/phone-routes-sqlite.sql" "$TOP/db/phone-devices-sqlite.sql" \
		"$TOP/db/vicidial-sqlite.sql" "$TOP/db/location-sqlite.sql" "$BENCH/sql/dialplan-sqlite.sql" \
		"$BENCH/sql/permissions-sqlite.sql"
	echo "BEGIN;"
	phones_sql $PHONES
	echo "COMMIT;"
	routes_sql
	dialplan_sql
	cat "$BENCH/sql/servers.sql"
	address_sql
} | sqlite3 -bail "$SQLITE_DB" || die "cannot fill $SQLITE_DB"

mariadb_root() {
	mariadb --no-defaults --socket="$MARIADB_DIR/sock" -u root "$@"
}

start_mariadb() {
	local user_opt= i
	MARIADB_DIR=$(mktemp -d /tmp/phones-bench-mariadb.XXXXXX)
	if [ "$(id -u)" = 0 ]; then
		chown mysql:mysql "$MARIADB_DIR"
		user_opt=--user=mysql
	fi
	mariadb-install-db --no-defaults $user_opt --datadir="$MARIADB_DIR/data" \
		--auth-root-authentication-method=socket \
		>"$WORK/mariadb-install.log" 2>&1 || return 1
	mariadbd --no-defaults $user_opt --datadir="$MARIADB_DIR/data" \
		--socket="$MARIADB_DIR/sock" --port="$MARIADB_PORT" \
		--bind-address=127.0.0.1 --pid-file="$MARIADB_DIR/pid" \
		--log-error="$WORK/mariadb.log" --skip-name-resolve \
		--innodb-buffer-pool-size=64M --max-connections=200 \
		>>"$WORK/mariadb.log" 2>&1 &
	MARIADB_PID=$!
	for i in $(seq 150); do
		mariadb_root -e 'SELECT 1' >/dev/null 2>&1 && break
		kill -0 "$MARIADB_PID" 2>/dev/null || return 1
		sleep 0.2
	done
	mariadb_root <<-SQL
		CREATE DATABASE asterisk;
		CREATE DATABASE big;
		CREATE DATABASE empty;
		CREATE USER 'cron'@'127.0.0.1' IDENTIFIED BY '1234';
		GRANT ALL ON asterisk.* TO 'cron'@'127.0.0.1';
		GRANT ALL ON big.* TO 'cron'@'127.0.0.1';
		GRANT ALL ON empty.* TO 'cron'@'127.0.0.1';
	SQL
}

log "MariaDB on 127.0.0.1:$MARIADB_PORT: $PHONES phones"
start_mariadb || die "cannot start MariaDB (see $WORK/mariadb.log)"
{
	cat "$TOP/db/phones-mysql.sql" "$TOP/db/phone-routes-mysql.sql" "$TOP/db/phone-devices-mysql.sql" \
		"$TOP/db/vicidial-mysql.sql" "$TOP/db/location-mysql.sql" "$BENCH/sql/dialplan-mysql.sql" \
		"$BENCH/sql/permissions-mysql.sql"
	phones_sql $PHONES
	routes_sql
	dialplan_sql
	cat "$BENCH/sql/servers.sql"
	address_sql
} | mariadb_root --init-command="SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')" asterisk ||
	die "cannot fill MariaDB"

SQLITE_URL="sqlite://$SQLITE_DB"
MYSQL_URL="mysql://cron:1234@127.0.0.1:$MARIADB_PORT/asterisk"

# SIPp's injection files: the 7,500 SIP phones with their passwords, the
# 2,500 EXTERNAL entries, and 10,000 numbers that are no entry
# (913125550000 to 913125559999, which the rule makes 13125550000...),
# each used in turn.
{
	echo SEQUENTIAL
	for ((i = 1; i <= PHONES; i++)); do
		((i % 4)) || continue
		printf 'p%07d;[authentication username=p%07d password=pw%07d]\n' $i $i $i
	done
} >"$WORK/register.csv"
{
	echo SEQUENTIAL
	for ((i = 4; i <= PHONES; i += 4)); do printf 'e%07d\n' $i; done
} >"$WORK/invite.csv"
{
	echo SEQUENTIAL
	for ((i = 0; i < 10000; i++)); do printf '91312555%04d\n' $i; done
} >"$WORK/dial.csv"

# --- kamailio ---------------------------------------------------------------
# start_kamailio NAME PORT LOG [-A define]...: bench.cfg in the foreground,
# 4 workers, 512 MB of shared memory (tm under load), 64 MB of private
# memory per process (db_sqlite, which cannot fetch in chunks, holds a whole
# result there); waits for its control socket.
start_kamailio() {
	local name=$1 port=$2 logf=$3 i
	shift 3
	kamailio -DD -E -m "${SHM_MB:-512}" -M 64 -f "$BENCH/cfg/bench.cfg" \
		-L "$TOP/modules/phones:$MODULES_DIR" \
		-A "LISTEN=udp:127.0.0.1:$port" -A "CTL_SOCKET=\"unix:$WORK/ctl-$name\"" \
		-A CHILDREN=4 -A "TRUNK_PORT=$TRUNK_PORT" -A "SERVER_PORT=$UAC_PORT" \
		"$@" >"$logf" 2>&1 &
	KAM_PID[$name]=$!
	for i in $(seq 300); do
		kill -0 "${KAM_PID[$name]}" 2>/dev/null || return 1
		kamcmd -s "unix:$WORK/ctl-$name" core.uptime >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# config_defines NAME: the defines of a configuration, into DEFS.
config_defines() {
	case $1 in
	ceiling) DEFS=(-A LOOKUP_CEILING) ;;
	peer-sqlite) DEFS=(-A LOOKUP_PEER -A "DB_URL=\"$SQLITE_URL\"" -A "SQLOPS_CON=\"ph=>$SQLITE_URL\"") ;;
	module-sqlite) DEFS=(-A LOOKUP_MODULE -A "DB_URL=\"$SQLITE_URL\"") ;;
	peer-mariadb) DEFS=(-A LOOKUP_PEER -A WITH_MYSQL -A "DB_URL=\"$MYSQL_URL\"" -A "SQLOPS_CON=\"ph=>$MYSQL_URL\"") ;;
	module-mariadb) DEFS=(-A LOOKUP_MODULE -A WITH_MYSQL -A "DB_URL=\"$MYSQL_URL\"") ;;
	esac
}

for c in "${CONFIGS[@]}"; do
	config_defines "$c"
	start_kamailio "$c" "${PORT[$c]}" "$WORK/kamailio-$c.log" "${DEFS[@]}" ||
		die "kamailio ($c) did not start: $(tail -5 "$WORK/kamailio-$c.log")"
done
log "kamailio: ${CONFIGS[*]} on ports ${PORT[*]}"

# --- SIPp -------------------------------------------------------------------
sipp_() { LD_PRELOAD=$CLOCK_SO sipp "$@"; }

# start_uas DIR CALLS [-trace_msg...]: the trunk, in the background.
start_uas() {
	local dir=$1 calls=$2 i
	shift 2
	(cd "$dir" && exec env LD_PRELOAD="$CLOCK_SO" sipp -sf "$BENCH/scenarios/trunk-uas.xml" \
		-i 127.0.0.1 -p $TRUNK_PORT -m "$calls" -timeout 120 -nostdin "$@" \
		>uas.out 2>&1) &
	UAS_PID=$!
	for i in $(seq 50); do
		ss -lun 2>/dev/null | grep -q "127.0.0.1:$TRUNK_PORT " && return 0
		sleep 0.1
	done
	return 1
}

stop_uas() {
	stop_pid "$UAS_PID"
	UAS_PID=
}

# Functional check before measuring: each configuration registers a phone,
# refuses a wrong password (all but the ceiling, which checks nothing),
# sends a call to the trunk with the number its lookup made and the
# entry's caller ID as P-Asserted-Identity, sends two dialled numbers to
# the trunk as the rule rewrites them, without P-Asserted-Identity, and
# refuses a dialled number from a port that is no server's (all but the
# ceiling).
check_config() {
	local c=$1 dir=$WORK/check/$1 want
	mkdir -p "$dir"
	printf 'SEQUENTIAL\np0000001;[authentication username=p0000001 password=pw0000001]\n' >"$dir/ok.csv"
	printf 'SEQUENTIAL\np0000001;[authentication username=p0000001 password=wrong]\n' >"$dir/bad.csv"
	(cd "$dir" && sipp_ -sf "$BENCH/scenarios/register.xml" -inf ok.csv -m 1 \
		-i 127.0.0.1 -p $UAC_PORT -recv_timeout 3000 -timeout 20 -nostdin \
		"127.0.0.1:${PORT[$c]}" >ok.out 2>&1) || {
		log "$c: a right password did not register"
		return 1
	}
	if [ "$c" != ceiling ]; then
		if (cd "$dir" && sipp_ -sf "$BENCH/scenarios/register.xml" -inf bad.csv -m 1 \
			-i 127.0.0.1 -p $UAC_PORT -recv_timeout 3000 -timeout 20 -nostdin \
			"127.0.0.1:${PORT[$c]}" >bad.out 2>&1); then
			log "$c: a wrong password registered"
			return 1
		fi
	fi
	start_uas "$dir" 1 -trace_msg -message_file trunk.msg || return 1
	(cd "$dir" && sipp_ -sf "$BENCH/scenarios/invite.xml" -inf "$WORK/invite.csv" -m 1 \
		-i 127.0.0.1 -p $UAC_PORT -recv_timeout 3000 -timeout 20 -nostdin \
		"127.0.0.1:${PORT[$c]}" >call.out 2>&1) || {
		stop_uas
		log "$c: the call did not go through"
		return 1
	}
	stop_uas
	want=sip:13122000004@127.0.0.1:$TRUNK_PORT
	[ "$c" = ceiling ] && want=sip:13125551234@127.0.0.1:$TRUNK_PORT
	if ! grep -q "^INVITE $want SIP/2.0" "$dir/trunk.msg"; then
		log "$c: the trunk did not get $want"
		return 1
	fi
	# All three assert the entry's caller ID (the module by
	# pai_outbound_cid), so the trunk gets the same INVITE from each.
	if ! grep -q "^P-Asserted-Identity: <sip:3125550100@127.0.0.1>" "$dir/trunk.msg"; then
		log "$c: the trunk did not get the P-Asserted-Identity"
		return 1
	fi
	check_dial "$c" "$dir"
}

# check_dial CONFIG DIR: the dial flow's part of the check.
check_dial() {
	local c=$1 dir=$2 n want
	start_uas "$dir" 2 -trace_msg -message_file dial-trunk.msg || return 1
	(cd "$dir" && sipp_ -sf "$BENCH/scenarios/${SCENARIO[dial]}" -inf "$WORK/dial.csv" -m 2 \
		-i 127.0.0.1 -p $UAC_PORT -recv_timeout 3000 -timeout 20 -nostdin \
		"127.0.0.1:${PORT[$c]}" >dial.out 2>&1) || {
		stop_uas
		log "$c: the dialled calls did not go through"
		return 1
	}
	stop_uas
	for n in 0000 0001; do
		want=sip:1312555$n@127.0.0.1:$TRUNK_PORT
		if ! grep -q "^INVITE $want SIP/2.0" "$dir/dial-trunk.msg"; then
			log "$c: the trunk did not get $want for 91312555$n"
			return 1
		fi
	done
	if grep -qi "^P-Asserted-Identity:" "$dir/dial-trunk.msg"; then
		log "$c: the trunk got a P-Asserted-Identity with a dialled number"
		return 1
	fi
	[ "$c" != ceiling ] || return 0
	# From another port the caller is no server: refused, nothing to the
	# trunk.
	start_uas "$dir" 1 -trace_msg -message_file other-trunk.msg || return 1
	if (cd "$dir" && sipp_ -sf "$BENCH/scenarios/${SCENARIO[dial]}" -inf "$WORK/dial.csv" -m 1 \
		-i 127.0.0.1 -p $OTHER_PORT -recv_timeout 3000 -timeout 20 -nostdin \
		"127.0.0.1:${PORT[$c]}" >other.out 2>&1); then
		stop_uas
		log "$c: a number dialled from port $OTHER_PORT, no server's, went through"
		return 1
	fi
	stop_uas
	if grep -q "^INVITE " "$dir/other-trunk.msg" 2>/dev/null; then
		log "$c: a number dialled from port $OTHER_PORT, no server's, reached the trunk"
		return 1
	fi
}

for c in "${CONFIGS[@]}"; do
	check_config "$c" || die "functional check of $c failed (see $WORK/check/$c)"
done
log "functional checks passed"

# drain CONFIG: waits (at most 20 s) until the instance has no transaction
# left but those ending (tm's wait state), so that a run does not inherit
# the last one's backlog.
drain() {
	local i live
	for i in $(seq 100); do
		live=$(kamcmd -s "unix:$WORK/ctl-$1" tm.stats 2>/dev/null | awk '
			$1 == "current:" { c = $2 } $1 == "waiting:" { w = $2 }
			END { print c - w }')
		[ "${live:-0}" -le 0 ] && return 0
		sleep 0.2
	done
	log "$1 still has $live live transactions"
}

# cpu_ticks PID...: CPU time (user + system, in clock ticks) used so far by
# these processes and their children: a kamailio instance is its main
# process and the processes it forked; mariadbd is one process.
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() {
	local p procs=()
	for p in "$@"; do
		[ -n "$p" ] || continue
		procs+=("$p" $(pgrep -P "$p"))
	done
	for p in "${procs[@]}"; do
		cat "/proc/$p/stat" 2>/dev/null
	done | awk '{ sub(/^.*\) /, ""); t += $12 + $13 } END { print t + 0 }'
}

# run_one FLOW CONFIG RATE TAG: one bounded SIPp run of RUN_SECONDS at RATE
# calls/s; appends a line to runs.tsv and sets VERDICT to pass or fail.
#
# A run passes when SIPp counts every call successful (each request is
# retransmitted, 500 ms doubling, so one lost datagram only delays a call;
# -recv_timeout 4 s ends a call whose reply never comes, as failed) and the
# rate achieved, measured from -trace_rtt's timestamps of the flow's last
# answer (the middle 98% of them, so a retransmitted straggler at either
# end does not count), is at least ACHIEVED_MIN of the rate asked for.
RUN_N=0
run_one() {
	local flow=$1 c=$2 rate=$3 tag=$4 calls limit dir rc rtd csv stats
	RUN_N=$((RUN_N + 1))
	calls=$((rate * RUN_SECONDS))
	dir=$WORK/runs/$(printf '%03d' $RUN_N)-$flow-$c-$rate
	mkdir -p "$dir"
	drain "$c"
	VERDICT=fail
	if to_trunk "$flow"; then
		start_uas "$dir" $((calls + 100)) || return
		limit=$((rate > 200 ? rate : 200))
		rtd=1
	else
		limit=$((rate / 2 > 200 ? rate / 2 : 200))
		rtd=2
	fi
	local db_pid=
	case $c in *mariadb) db_pid=$MARIADB_PID ;; esac
	local k0 d0 k1 d1
	k0=$(cpu_ticks "${KAM_PID[$c]}")
	d0=$(cpu_ticks "$db_pid")
	(cd "$dir" && exec env LD_PRELOAD="$CLOCK_SO" timeout $((RUN_SECONDS + 40)) \
		sipp -sf "$BENCH/scenarios/${SCENARIO[$flow]}" -inf "$WORK/$flow.csv" \
		-i 127.0.0.1 -p $UAC_PORT -m $calls -r "$rate" -rp 1000 -l $limit \
		-recv_timeout 4000 -timeout $((RUN_SECONDS + 30)) -nostdin \
		-trace_rtt -rtt_freq 1000 -trace_err -error_file errors.log \
		"127.0.0.1:${PORT[$c]}" >sipp.out 2>&1)
	rc=$?
	k1=$(cpu_ticks "${KAM_PID[$c]}")
	d1=$(cpu_ticks "$db_pid")
	to_trunk "$flow" && stop_uas
	# CPU per call, in microseconds: kamailio's, and MariaDB's.
	local cpu_kam cpu_db
	cpu_kam=$(awk -v t=$((k1 - k0)) -v h="$CLK_TCK" -v n=$calls 'BEGIN { printf "%.0f", t * 1e6 / h / n }')
	cpu_db=$(awk -v t=$((d1 - d0)) -v h="$CLK_TCK" -v n=$calls 'BEGIN { printf "%.0f", t * 1e6 / h / n }')
	csv=$(ls "$dir"/*_rtt.csv 2>/dev/null | head -1)
	# successful failed retransmissions, then achieved p50 p95 p99 samples
	stats=$(awk '
		/Successful call/ { ok = $NF }
		/Failed call/ { failed = $NF }
		/---------->/ {
			for (i = 3; i <= NF; i++)
				if ($i ~ /^[0-9]+$/) { retrans += $(i + 1); break }
		}
		END { printf "%d %d %d", ok, failed, retrans }' "$dir/sipp.out")
	stats="$stats $(awk -F';' -v rtd=$rtd 'NR > 1 && $3 == rtd { print $1, $2 }' "${csv:-/dev/null}" |
		sort -n -k1,1 | awk -f "$BENCH/rtt-stats.awk")"
	rm -f "$dir"/*_rtt.csv
	read -r ok failed retrans achieved p50 p95 p99 samples <<<"$stats"
	local verdict=fail
	if [ "$rc" = 0 ] && [ "$ok" = "$calls" ] && [ "$failed" = 0 ] &&
		awk -v a="$achieved" -v r="$rate" -v m=$ACHIEVED_MIN 'BEGIN { exit !(a >= m * r) }'; then
		verdict=pass
	fi
	printf '%s\t%d\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n' \
		"$tag" $RUN_N "$flow" "$c" "$rate" "$calls" "$ok" "$failed" "$retrans" \
		"$achieved" "$p50" "$p95" "$p99" "$verdict" "$rc" "$cpu_kam" "$cpu_db" >>"$RES/runs.tsv"
	VERDICT=$verdict
}

# --- the ramps, interleaved -------------------------------------------------
# Each (flow, configuration) pair doubles its rate from START_RATE until a
# run fails, then bisects between the highest rate that passed and the
# lowest that failed until they are within RESOLUTION of each other. A rate
# fails only when two runs at it in a row fail: a run can fail for what
# else this shared machine does at that moment, and one such run must not
# cap a ramp for good. (A run that achieved under 90% of its rate is plain
# overload and is not run again.) Steps are interleaved: every pair makes its next
# run before any makes another, so drift on this machine affects all alike.
printf 'tag\trun\tflow\tconfig\trate\tcalls\tok\tfailed\tretrans\tachieved\tp50\tp95\tp99\tverdict\trc\tcpu_kamailio_us\tcpu_mariadb_us\n' >"$RES/runs.tsv"
declare -A LO HI DONE
for f in "${FLOWS[@]}"; do
	for c in "${CONFIGS[@]}"; do
		LO[$f/$c]=0
		HI[$f/$c]=0
		DONE[$f/$c]=
	done
done

next_rate() {
	local lo=$1 hi=$2
	if [ "$hi" = 0 ]; then
		[ "$lo" = 0 ] && echo $START_RATE || echo $((lo * 2))
	elif [ "$lo" = 0 ]; then
		echo $((hi / 2))
	else
		echo $(((lo + hi) / 20 * 10))
	fi
}

converged() {
	local lo=$1 hi=$2
	[ "$hi" != 0 ] && [ "$lo" != 0 ] &&
		awk -v lo="$lo" -v hi="$hi" -v r=$RESOLUTION 'BEGIN { exit !(hi - lo <= r * lo) }'
}

log "ramping: ${RUN_SECONDS}s runs from $START_RATE calls/s, resolution $RESOLUTION"
for step in $(seq 1 $MAX_STEPS); do
	active=0
	for f in "${FLOWS[@]}"; do
		for c in "${CONFIGS[@]}"; do
			k=$f/$c
			[ -z "${DONE[$k]}" ] || continue
			active=1
			rate=$(next_rate "${LO[$k]}" "${HI[$k]}")
			if [ "$rate" -lt 20 ]; then
				DONE[$k]=1
				continue
			fi
			run_one "$f" "$c" "$rate" "step$step"
			v=$VERDICT
			# Retried unless plainly overloaded (under 90% of the rate).
			if [ "$v" = fail ] && tail -1 "$RES/runs.tsv" |
				awk -F'\t' '{ exit !($10 >= 0.9 * $5) }'; then
				run_one "$f" "$c" "$rate" "step$step-retry"
				v=$VERDICT
			fi
			last=$(tail -1 "$RES/runs.tsv")
			log "step $step $f $c $rate/s: $v ($(echo "$last" | awk -F'\t' '{printf "ok %s failed %s achieved %s/s p50 %s p99 %s ms, cpu/call %s+%s us", $7, $8, $10, $11, $13, $16, $17}'))"
			if [ "$v" = pass ]; then LO[$k]=$rate; else HI[$k]=$rate; fi
			converged "${LO[$k]}" "${HI[$k]}" && DONE[$k]=1
		done
	done
	[ $active = 1 ] || break
done

{
	printf 'flow\tconfig\tmax_rate\tfirst_fail\n'
	for f in "${FLOWS[@]}"; do
		for c in "${CONFIGS[@]}"; do
			printf '%s\t%s\t%s\t%s\n' "$f" "$c" "${LO[$f/$c]}" "${HI[$f/$c]}"
		done
	done
} >"$RES/max.tsv"

# --- confirmation ---------------------------------------------------------
# Each flow and configuration once more at the highest rate it passed,
# interleaved: whether that rate holds on a second run.
log "confirmation: each at its highest clean rate again"
for f in "${FLOWS[@]}"; do
	for c in "${CONFIGS[@]}"; do
		[ "${LO[$f/$c]}" -gt 0 ] || continue
		run_one "$f" "$c" "${LO[$f/$c]}" confirm
		log "confirm $f $c ${LO[$f/$c]}/s: $VERDICT"
	done
done

# --- CPU per call at a fixed rate, and the allocator ------------------------
# Every configuration at REF_RATE, FIXED_ROUNDS times interleaved, for CPU
# per call (medians) at a load all sustain. Two more instances join for the
# flows to the trunk (INVITE, dial): the ceiling and the module on SQLite
# under TLSF (-x tlsf, constant time) instead of Kamailio's default
# q_malloc, which searches its free lists bucket by bucket, so that a
# request's cost also depends on what earlier ones left behind: what of a
# difference is the allocator's. They are warmed up first (the others have
# run the whole ramp).
PORT[ceiling-tlsf]=26066
PORT[module-sqlite-tlsf]=26067
TLSF=(ceiling-tlsf module-sqlite-tlsf)
for c in "${TLSF[@]}"; do
	config_defines "${c%-tlsf}"
	start_kamailio "$c" "${PORT[$c]}" "$WORK/kamailio-$c.log" -x tlsf "${DEFS[@]}" ||
		die "kamailio ($c) did not start"
	for f in "${FLOWS[@]}"; do
		to_trunk "$f" && run_one "$f" "$c" $((REF_RATE * 2)) warmup
	done
done
log "fixed rate: $REF_RATE calls/s, $FIXED_ROUNDS round(s)"
for r in $(seq 1 $FIXED_ROUNDS); do
	for f in "${FLOWS[@]}"; do
		cs=("${CONFIGS[@]}")
		to_trunk "$f" && cs+=("${TLSF[@]}")
		for c in "${cs[@]}"; do
			run_one "$f" "$c" "$REF_RATE" "fixed$r"
			log "fixed $r $f $c: $VERDICT, $(tail -1 "$RES/runs.tsv" | awk -F'\t' '{ print $16 "+" $17 }') us of CPU per call"
		done
	done
done

for c in "${!KAM_PID[@]}"; do
	stop_pid "${KAM_PID[$c]}"
	unset "KAM_PID[$c]"
done
echo "load_after_sip	$(cut -d' ' -f1-3 /proc/loadavg)" >>"$RES/machine.tsv"

# --- 1,000,000 entries through the module, from MariaDB ----------------------
# The module loads at start-up and logs "loaded N phone entries ... B
# bytes". Each start's stderr is time-stamped line by line; T is the time
# from starting kamailio to that line. The load time is T with 1,000,000
# rows less T with an empty phones table (the same start-up otherwise),
# medians of LOAD_REPEAT starts each. Shared memory: kamcmd core.shmmem
# real_used (what the allocator gave out, with its own overhead) once
# started, with 1,000,000 rows less with none, per entry; and the module's
# own count of bytes from the log line.
log "MariaDB: $LOAD_ROWS rows in database big"
{
	cat "$TOP/db/phones-mysql.sql" "$TOP/db/phone-routes-mysql.sql" "$TOP/db/phone-devices-mysql.sql" \
		"$TOP/db/vicidial-mysql.sql" "$TOP/db/location-mysql.sql"
	echo "ALTER TABLE phones DISABLE KEYS; LOCK TABLES phones WRITE;"
	phones_sql $LOAD_ROWS
	echo "UNLOCK TABLES; ALTER TABLE phones ENABLE KEYS;"
	routes_sql
	cat "$BENCH/sql/servers.sql"
} | mariadb_root --init-command="SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')" big ||
	die "cannot fill database big"
cat "$TOP/db/phones-mysql.sql" "$TOP/db/phone-routes-mysql.sql" "$TOP/db/phone-devices-mysql.sql" \
	"$TOP/db/vicidial-mysql.sql" "$TOP/db/location-mysql.sql" "$BENCH/sql/servers.sql" | mariadb_root empty ||
	die "cannot create database empty"

load_once() {
	local db=$1 n=$2 logf t0 i line
	logf=$WORK/load-$db-$n.log
	rm -f "$WORK/load.pid"
	t0=$EPOCHREALTIME
	{
		kamailio -DD -E -m 1024 -M 64 -P "$WORK/load.pid" -f "$BENCH/cfg/bench.cfg" \
			-L "$TOP/modules/phones:$MODULES_DIR" -A LOOKUP_MODULE -A WITH_MYSQL \
			-A "DB_URL=\"mysql://cron:1234@127.0.0.1:$MARIADB_PORT/$db\"" \
			-A "LISTEN=udp:127.0.0.1:$LOAD_PORT" -A "CTL_SOCKET=\"unix:$WORK/ctl-load\"" \
			-A CHILDREN=4 2>&1
	} | while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done >"$logf" &
	local pipe=$!
	for i in $(seq 600); do
		kamcmd -s "unix:$WORK/ctl-load" core.uptime >/dev/null 2>&1 && break
		sleep 0.1
	done
	local shm
	shm=$(kamcmd -s "unix:$WORK/ctl-load" core.shmmem 2>/dev/null | sed -n 's/^[[:space:]]*real_used: //p')
	[ -s "$WORK/load.pid" ] && stop_pid "$(cat "$WORK/load.pid")"
	wait $pipe 2>/dev/null
	line=$(grep -m1 "loaded [0-9]* phone entries" "$logf") || {
		log "no load line in $logf"
		return 1
	}
	awk -v t0="$t0" -v shm="${shm:-0}" '
		/loaded [0-9]+ phone entries/ {
			for (i = 1; i <= NF; i++) {
				if ($i == "loaded") entries = $(i + 1)
				if ($i == "bytes") bytes = $(i - 1)
			}
			printf "%d\t%.3f\t%d\t%d\n", entries, $1 - t0, bytes, shm
			exit
		}' "$logf"
}

printf 'db\tentries\tseconds\tmodule_bytes\tshm_real_used\n' >"$RES/load.tsv"
for r in $(seq 1 $LOAD_REPEAT); do
	for db in empty big; do
		out=$(load_once $db $r) || die "the module did not load database $db"
		printf '%s\t%s\n' "$db" "$out" >>"$RES/load.tsv"
		log "load $db: $(echo "$out" | awk -F'\t' '{printf "%d entries, %.2f s to the log line, %d bytes, shm real_used %d", $1, $2, $3, $4}')"
	done
done

stop_pid "$MARIADB_PID"
MARIADB_PID=
rm -rf "$MARIADB_DIR"
MARIADB_DIR=

# --- the core's microbenchmark ------------------------------------------------
log "microbenchmark"
"$MICRO" $MICRO_OPTS >"$RES/micro.tsv" || die "microbenchmark failed"
log "instructions per INVITE call and REGISTER, ceiling and module (callgrind)"
"$BENCH/invite-cost.sh" 200 >"$RES/invite-cost.tsv" || die "invite-cost.sh failed"
log "calls/s as fast as they complete, ceiling and module (max-rate.sh)"
"$BENCH/max-rate.sh" "$RES/max-rate.tsv" | grep -v ' round ' >"$RES/max-rate.txt" ||
	die "max-rate.sh failed"
log "start-up at -M 8: 10k, 100k, 1M phones, SQLite and MariaDB (startup.sh)"
"$BENCH/startup.sh" "$RES/startup.tsv" >/dev/null || die "startup.sh failed"
log "cache misses of one lookup (cachegrind)"
"$BENCH/cache-misses.sh" "$MICRO" >>"$RES/micro.tsv" || die "cache-misses.sh failed"
echo "load_end	$(cut -d' ' -f1-3 /proc/loadavg)" >>"$RES/machine.tsv"

# --- the report ---------------------------------------------------------------
"$BENCH/report.sh" "$RES" "$TOP/docs" || die "report failed"
log "wrote docs/benchmarks.md and docs/benchmarks.png"
