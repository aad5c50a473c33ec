#!/bin/bash
# make bench (and make bench-persist): what surviving a restart costs.
#
#   bench/persist.sh          (BENCH_QUICK=1: fewer calls and rounds, 20,000
#                              registrations instead of 100,000)
#
# 1. Rates. bench/cfg/minimal.cfg with the phones module under TLSF, as
#    bench/max-rate.sh runs it (its helpers: bench/small-setup.sh's 10,000
#    phones in SQLite, SIPp keeping LIMIT calls in flight until CALLS have
#    completed), in three usrloc modes, interleaved round by round:
#      mem         db_mode 0: registrations in memory only (before issue 26)
#      persist     db_mode 2 as cfg/kamailio.cfg ships it: written back to
#                  the location table (SQLite, the same file) by usrloc's
#                  timer every 20 s (KEEPALIVE_INTERVAL)
#      persist-1s  the same, written every second: the worst case, a write
#                  round during every run
#    for REGISTER (digest; 7,500 phones re-registering in turn, so every
#    write round has up to 7,500 changed bindings) and INVITE to EXTERNAL
#    entries (no usrloc lookup in either mode: what the writer's rounds
#    cost calls). Per run: calls/s and kamailio's CPU ms per call (all its
#    processes, /proc).
# 2. Restart. cfg/kamailio.cfg as the package runs it (-x tlsf -m 256
#    -M 8; NO_KEEPALIVE, so usrloc writes every 10 s, and
#    PEER_STATUS_INTERVAL=0: nothing answers keepalives here) on a SQLite
#    file of PHONES phones: SIPp registers every one of them (digest, from
#    127.0.0.41, Expires 3600) as fast as they complete, the location
#    table is polled until it holds them all, then kill -9 of every
#    kamailio process and a restart, RESTARTS times: seconds from exec
#    until kamcmd answers, until a SIP OPTIONS is answered, until usrloc
#    counts every contact (usrloc:location_contacts) and until a sample of
#    100 phones all resolve (ul.lookup).
#
# Environment: CALLS, LIMIT, ROUNDS (20000, 80, 4; quick 5000, 80, 2),
# PHONES (100000; quick 20000), RESTARTS (3; quick 1), RESTART_MEMS (memory
# options, comma-separated, each restarted RESTARTS times: "-m 256 -M 256,-m
# 256 -M 8,-m 256 -M 128", the package's, then Kamailio's default and more),
# RESTART_BACKENDS ("sqlite mariadb": a MariaDB server of the bench's own
# on 127.0.0.1:26606, tests/integration/backend-mariadb.sh), PERSIST_PARTS
# ("rates restart"; "report" alone rewrites the section from the last
# results). Everything on 127.0.0.x, ports 266xx; the SQLite files on this
# machine's disk (build/bench/persist, WAL).
# Results: build/bench/persist/rates.tsv, cpu.tsv, restart-DATABASE.tsv and
# .info; the section "Surviving a restart" of docs/benchmarks.md is written
# from them.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$TOP/bench
W=${PERSIST_WORK:-$TOP/build/bench/persist}
QUICK=${BENCH_QUICK:-}
[ "$QUICK" = 0 ] && QUICK=
if [ -n "$QUICK" ]; then
	CALLS=${CALLS:-5000} ROUNDS=${ROUNDS:-2} PHONES=${PHONES:-20000} RESTARTS=${RESTARTS:-1}
else
	CALLS=${CALLS:-20000} ROUNDS=${ROUNDS:-4} PHONES=${PHONES:-100000} RESTARTS=${RESTARTS:-3}
fi
# 80 in flight, as bench/max-rate.sh (200 overran the socket buffer)
LIMIT=${LIMIT:-80}
IFS=, read -r -a RESTART_MEMS <<<"${RESTART_MEMS:--m 256 -M 256,-m 256 -M 8,-m 256 -M 128}"
RESTART_MEM=${RESTART_MEMS[0]}
read -r -a PARTS <<<"${PERSIST_PARTS:-rates restart}"
read -r -a RESTART_BACKENDS <<<"${RESTART_BACKENDS:-sqlite mariadb}"
MODDIR=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)/kamailio/modules
UAC_PORT=26670 TRUNK_PORT=26680
CONFIGS=(mem persist persist-1s)
declare -A PORT=([mem]=26660 [persist]=26661 [persist-1s]=26662)
declare -A KPID
PIDS=()
TICK=$(getconf CLK_TCK)
. "$BENCH/small-setup.sh"
log() { printf '%s %s\n' "$(date +%T)" "$*"; }
cleanup() {
	stop_all
	[ -n "${RPID:-}" ] && kill_9 "$RPID"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
[ -f "$TOP/modules/phones/phones.so" ] || { echo "build the module first (make)" >&2; exit 1; }
mkdir -p "$W"

# CPU ticks (user + system) of a kamailio and all its processes
kcpu() {
	local p t=0 v
	for p in "$1" $(pgrep -P "$1"); do
		v=$(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null) || continue
		t=$((t + ${v:-0}))
	done
	echo $t
}
# kill_9 PID: the proxy and every process of it, at once, as a crash would
kill_9() {
	local children
	children=$(pgrep -P "$1" 2>/dev/null)
	kill -9 "$1" $children 2>/dev/null
	wait "$1" 2>/dev/null
}
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }
med_range() { # numbers on stdin -> "median (min-max)"
	sort -g | awk '{ v[++n] = $1 } END { if (!n) { print "-"; exit }
		m = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		printf "%s (%s-%s)\n", m, v[1], v[n] }'
}

# --- 1. rates ----------------------------------------------------------------
rates() {
	local c r flow order ok secs rate cpu0 cpu1 cpums
	rm -f "$W/rates.tsv" "$W/cpu.tsv" "$W"/phones*.sqlite*
	small_setup
	sed "/<pause /d" "$BENCH/scenarios/invite.xml" >"$W/invite-fast.xml"
	for c in "${CONFIGS[@]}"; do
		local defs=()
		[ "$c" != mem ] && defs=(-A PERSIST)
		[ "$c" = persist-1s ] && defs+=(-A PERSIST_INTERVAL=1)
		# a file each: two writers would wait on each other's lock
		rm -f "$W/phones-$c.sqlite"*
		sqlite3 "$W/phones.sqlite" ".backup '$W/phones-$c.sqlite'"
		kamailio -DD -E -m 2048 -M 8 -x tlsf -f "$BENCH/cfg/minimal.cfg" \
			-L "$TOP/modules/phones:$MODDIR" \
			-A "LISTEN=udp:127.0.0.1:${PORT[$c]}" -A "CTL_SOCKET=\"unix:$W/ctl-$c\"" \
			-A CHILDREN=4 -A "TRUNK_PORT=\"$TRUNK_PORT\"" -A "SERVER_PORT=$UAC_PORT" \
			-A MODULE -A "DB_URL=\"sqlite://$W/phones-$c.sqlite\"" "${defs[@]}" \
			>"$W/kamailio-$c.log" 2>&1 &
		KPID[$c]=$!
		PIDS+=($!)
		wait_ctl "$c" "unix:$W/ctl-$c" "$W/kamailio-$c.log" 100 || return 1
	done
	(cd "$W" && exec sipp -sf "$BENCH/scenarios/trunk-uas.xml" -i 127.0.0.1 \
		-p $TRUNK_PORT -m $((CALLS * (ROUNDS + 1) * 3 + 100)) -timeout 3600 -nostdin \
		>uas.out 2>&1) &
	PIDS+=($!)
	sleep 0.5
	run() { # flow config -> "ok seconds calls_per_s" (rate_run)
		local sf="$BENCH/scenarios/$1.xml" rtd=2
		[ "$1" = invite ] && sf="$W/invite-fast.xml" rtd=1
		rate_run "$W/run" "$N" "${PORT[$2]}" "$sf" "$W/$1.csv" $rtd -p $UAC_PORT
	}
	# warm-up: a tenth of a round each (and every phone registered once)
	for c in "${CONFIGS[@]}"; do
		N=$((CALLS / 10)) run invite "$c" >/dev/null
		N=7500 run register "$c" >/dev/null
	done
	printf 'round\tflow\tconfig\tcalls\tok\tseconds\tcalls_per_s\tcpu_ms_per_call\n' >"$W/rates.tsv"
	declare -A CPU0
	for c in "${CONFIGS[@]}"; do CPU0[$c]=$(kcpu "${KPID[$c]}"); done
	T0=$EPOCHREALTIME
	for r in $(seq "$ROUNDS"); do
		for flow in register invite; do
			# each round in another order: mem first, then last, ...
			case $((r % 3)) in
			1) order="mem persist persist-1s" ;;
			2) order="persist-1s persist mem" ;;
			0) order="persist mem persist-1s" ;;
			esac
			for c in $order; do
				cpu0=$(kcpu "${KPID[$c]}")
				read -r ok secs rate < <(N=$CALLS run $flow "$c")
				cpu1=$(kcpu "${KPID[$c]}")
				cpums=$(awk -v d=$((cpu1 - cpu0)) -v t="$TICK" -v n="$ok" \
					'BEGIN { printf "%.3f", n ? d * 1000 / t / n : 0 }')
				printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" $flow "$c" "$CALLS" \
					"$ok" "$secs" "$rate" "$cpums" >>"$W/rates.tsv"
				log "round $r $flow $c: $ok of $CALLS in $secs s, $rate/s, $cpums CPU ms per call"
			done
		done
	done
	# the whole time, idle included, until persist's last write round is
	# done: what each spent on the same calls, write rounds outside the
	# runs included
	sleep 22
	printf 'config\tseconds\tcpu_s\tregisters\tinvites\tlocation_rows\n' >"$W/cpu.tsv"
	for c in "${CONFIGS[@]}"; do
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$c" \
			"$(awk -v a="$T0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')" \
			"$(awk -v d=$(($(kcpu "${KPID[$c]}") - CPU0[$c])) -v t="$TICK" 'BEGIN { printf "%.2f", d / t }')" \
			"$(awk -F'\t' -v c="$c" '$3 == c && $2 == "register" { n += $5 } END { print n + 0 }' "$W/rates.tsv")" \
			"$(awk -F'\t' -v c="$c" '$3 == c && $2 == "invite" { n += $5 } END { print n + 0 }' "$W/rates.tsv")" \
			"$(sqlite3 "$W/phones-$c.sqlite" "SELECT COUNT(*) FROM location")" >>"$W/cpu.tsv"
	done
	column -t "$W/cpu.tsv"
	stop_all
}

# --- 2. restart with PHONES registrations --------------------------------------
RCTL=unix:$W/ctl-restart
RPORT=26663
RPID=
start_proxy() { # LOG
	kamailio -DD -E -x tlsf $RESTART_MEM -f "$TOP/cfg/kamailio.cfg" "${RDB[@]}" \
		-L "$TOP/modules/phones:$MODDIR" \
		-A "LISTEN=udp:127.0.0.1:$RPORT" -A "CTL_SOCKET=\"$RCTL\"" \
		-A "HTTP_LISTEN=tcp:127.0.0.1:26690" \
		-A "DS_LIST=\"$TOP/cfg/dispatcher.list\"" -A "ADDRESS_LIST=\"$TOP/cfg/address.list\"" \
		-A NO_KEEPALIVE -A PEER_STATUS_INTERVAL=0 -A RELOAD_INTERVAL=0 \
		>"$1" 2>&1 &
	RPID=$!
}
contacts() {
	kamcmd -s "$RCTL" stats.get_statistics usrloc: 2>/dev/null |
		sed -n 's/^usrloc:location_contacts = //p'
}
# one OPTIONS to the proxy, answered within 0.2 s (any reply)
sip_answers() {
	python3 - "$RPORT" <<'PY'
import socket, sys, random
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.42", 0))
s.settimeout(0.2)
port = s.getsockname()[1]
b = "%08x" % random.getrandbits(32)
m = ("OPTIONS sip:127.0.0.1:%s SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.42:%d;branch=z9hG4bK%s\r\n"
     "From: <sip:probe@127.0.0.42>;tag=%s\r\nTo: <sip:127.0.0.1:%s>\r\nCall-ID: %s@probe\r\n"
     "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n") % (sys.argv[1], port, b, b, sys.argv[1], b)
s.sendto(m.encode(), ("127.0.0.1", int(sys.argv[1])))
try:
    s.recv(4096)
except socket.timeout:
    sys.exit(1)
PY
}
# location_rows: rows of the location table
location_rows() {
	if [ "$B" = mariadb ]; then
		mariadb_root -N -B asterisk -e "SELECT COUNT(*) FROM location"
	else
		sqlite3 "$W/restart.sqlite" "SELECT COUNT(*) FROM location" 2>/dev/null
	fi
}
restart_db() {
	if [ "$B" = mariadb ]; then
		WORK=$W MARIADB_PORT=26606
		. "$TOP/tests/integration/backend-mariadb.sh"
		trap 'cleanup; backend_stop' EXIT
		backend_start >/dev/null || return 1
		mariadb_root asterisk <<SQL
INSERT INTO servers (server_id, server_ip, active) VALUES ('ast1', '127.0.0.2', 'Y');
INSERT INTO phones (extension, dialplan_number, voicemail_id, server_ip, login,
  pass, status, active, protocol, conf_secret, fullname, outbound_cid)
SELECT CONCAT('r', seq), CONCAT('9', seq), seq, '127.0.0.2', CONCAT('l', seq), 'pw',
  'ACTIVE', 'Y', 'SIP', CONCAT('secret', seq), CONCAT('Phone ', seq),
  CONCAT('312555', seq % 10000) FROM seq_1_to_$PHONES;
SQL
		RDB=(-A WITH_MYSQL -A "PHONES_DB_URL=\"mysql://cron:1234@127.0.0.1:$MARIADB_PORT/asterisk\"")
		return
	fi
	RDB=(-A "PHONES_DB_URL=\"sqlite://$W/restart.sqlite\"")
	rm -f "$W/restart.sqlite"*
	cat "$TOP/db/phones-sqlite.sql" "$TOP/db/phone-routes-sqlite.sql" \
		"$TOP/db/phone-devices-sqlite.sql" "$TOP/db/vicidial-sqlite.sql" "$TOP/db/location-sqlite.sql" |
		sqlite3 -bail "$W/restart.sqlite" >/dev/null
	sqlite3 -bail "$W/restart.sqlite" <<SQL
INSERT INTO servers (server_id, server_ip, active) VALUES ('ast1', '127.0.0.2', 'Y');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $PHONES)
INSERT INTO phones (extension, dialplan_number, voicemail_id, server_ip, login,
  pass, status, active, protocol, conf_secret, fullname, outbound_cid)
SELECT 'r' || i, '9' || i, i, '127.0.0.2', 'l' || i, 'pw', 'ACTIVE', 'Y',
  'SIP', 'secret' || i, 'Phone ' || i, '312555' || (i % 10000) FROM n;
SQL
}
restart() { # BACKEND
	local i t0 t secs ok rows sample
	B=$1
	T=$W/restart-$B.tsv
	rm -f "$T" "$W/restart-$B.info"
	log "restart, $B: a table of $PHONES phones"
	restart_db || { log "cannot set up $B"; return 1; }
	{
		echo SEQUENTIAL
		awk -v n="$PHONES" 'BEGIN { for (i = 1; i <= n; i++)
			printf "r%d;[authentication username=r%d password=secret%d]\n", i, i, i }'
	} >"$W/restart.csv"
	sed 's/Expires: 600/Expires: 3600/' "$BENCH/scenarios/register.xml" >"$W/register-3600.xml"
	printf 'backend\tmemory\trun\tphones\tstart_ms\tctl_s\tsip_s\tall_contacts_s\tsample_s\tcontacts\tnote\n' >"$T"

	start_proxy "$W/restart-0.log"
	wait_ctl restart "$RCTL" "$W/restart-0.log" 1200 || { log "first start failed"; return 1; }
	# one phone first: its address is trusted from its first success on
	(cd "$W" && sipp -sf "$W/register-3600.xml" -inf "$W/restart.csv" -i 127.0.0.41 -p 26671 \
		-m 1 -recv_timeout 4000 -timeout 20 -nostdin 127.0.0.1:$RPORT >reg-first.out 2>&1)
	t0=$EPOCHREALTIME
	(cd "$W" && timeout 1200 sipp -sf "$W/register-3600.xml" -inf "$W/restart.csv" \
		-i 127.0.0.41 -p 26671 -m "$PHONES" -l "$LIMIT" -r 100000 -rp 1000 \
		-recv_timeout 4000 -timeout 1180 -nostdin 127.0.0.1:$RPORT >reg.out 2>&1)
	secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
	ok=$(awk '/Successful call/ { print $NF }' "$W/reg.out" | tail -1)
	REG_LINE="$ok of $PHONES REGISTERs (digest) in $secs s ($(awk -v n="${ok:-0}" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')/s)"
	log "  $REG_LINE; contacts: $(contacts)"
	t0=$EPOCHREALTIME
	for i in $(seq 1200); do
		rows=$(location_rows)
		[ "${rows:-0}" -ge "$PHONES" ] && break
		sleep 0.5
	done
	WRITE_S=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
	WRITE_ROWS=$rows
	log "  location table: $rows rows $WRITE_S s after the last REGISTER"
	printf '%s\t%s\t%s\t%s\n' "$B" "$REG_LINE" "$WRITE_ROWS" "$WRITE_S" >"$W/restart-$B.info"
	sample=$(awk -v n="$PHONES" 'BEGIN { srand(26); for (i = 0; i < 100; i++) printf "r%d ", 1 + int(rand() * n) }')

	for RESTART_MEM in "${RESTART_MEMS[@]}"; do
	for run in $(seq "$RESTARTS"); do
		[ -n "$RPID" ] && kill_9 "$RPID"
		RPID=
		local lg=$W/restart-$B-$run-${RESTART_MEM//[ -]/}.log ctl_s= sip_s= all_s= sample_s= n= note=
		t0=$EPOCHREALTIME
		start_proxy "$lg"
		for i in $(seq 12000); do
			t=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
			if ! kill -0 "$RPID" 2>/dev/null; then note="kamailio exited"; break; fi
			# each time taken when its check has returned
			if [ -z "$ctl_s" ] && kamcmd -s "$RCTL" core.uptime >/dev/null 2>&1; then ctl_s=$(since "$t0"); fi
			if [ -z "$sip_s" ] && sip_answers; then sip_s=$(since "$t0"); fi
			if [ -n "$ctl_s" ] && [ -z "$all_s" ]; then
				n=$(contacts)
				[ "${n:-0}" -ge "$PHONES" ] && all_s=$(since "$t0")
			fi
			if [ -n "$ctl_s" ] && [ -z "$sample_s" ]; then
				local e miss=0
				for e in $sample; do
					kamcmd -s "$RCTL" ul.lookup location "$e" 2>/dev/null | grep -q "sip:$e@127.0.0.41:26671" ||
						{ miss=1; break; }
				done
				[ $miss = 0 ] && sample_s=$(since "$t0")
			fi
			[ -n "$ctl_s" ] && [ -n "$sip_s" ] && [ -n "$all_s" ] && [ -n "$sample_s" ] && break
			[ $(awk -v t="$t" 'BEGIN { print (t > 600) }') = 1 ] && { note="gave up after 600 s"; break; }
			sleep 0.05
		done
		n=$(contacts)
		local ms
		ms=$(grep -m1 'loaded .* phone entries' "$lg" | sed -n 's/.* in \([0-9]*\) ms.*/\1/p')
		log "  restart $run ($RESTART_MEM): kamcmd ${ctl_s:--} s, SIP ${sip_s:--} s, all $PHONES contacts ${all_s:--} s, sample of 100 ${sample_s:--} s; contacts $n${note:+; $note} (phones loaded in ${ms:-?} ms)"
		if [ -n "$note" ]; then
			grep 'ERROR' "$lg" | head -5
			note="$note: $(grep -m1 'ERROR' "$lg" | sed 's/.*ERROR: //')"
		fi
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$B" "$RESTART_MEM" "$run" "$PHONES" "${ms:-}" "${ctl_s:-}" \
			"${sip_s:-}" "${all_s:-}" "${sample_s:-}" "${n:-}" "$note" >>"$T"
		[ -n "$note" ] && { RPID=; break; }
	done
	done
	# (kamcmd ul.dump brief cannot tell: over the binrpc socket it fails,
	# "Internal error creating aor struct", already at 2,000 AoRs)
	[ -n "$RPID" ] && kill_9 "$RPID"
	RPID=
	[ "$B" = mariadb ] && backend_stop
	return 0
}

for part in "${PARTS[@]}"; do
	case $part in
	rates) log "rates: ${CONFIGS[*]}, $ROUNDS rounds of $CALLS calls"; rates ;;
	restart) for b in "${RESTART_BACKENDS[@]}"; do restart "$b"; done ;;
	esac
done

# --- the section of docs/benchmarks.md -----------------------------------------
[ -f "$W/rates.tsv" ] && [ -f "$W/restart-sqlite.tsv" ] || exit 0
label() { case $1 in mem) echo "db_mode 0 (memory only)" ;; persist) echo "db_mode 2, every 20 s (shipped)" ;;
	persist-1s) echo "db_mode 2, every 1 s (worst case)" ;; esac; }
rate_rows=$(for flow in register invite; do
	for c in "${CONFIGS[@]}"; do
		r=$(awk -F'\t' -v f=$flow -v c="$c" '$2 == f && $3 == c { print $7 }' "$W/rates.tsv" | med_range)
		p=$(awk -F'\t' -v f=$flow -v c="$c" '$2 == f && $3 == c { print $8 }' "$W/rates.tsv" | med_range)
		x=-
		[ "$c" != mem ] && x=$(awk -F'\t' -v f=$flow -v c="$c" '$2 == f && ($3 == c || $3 == "mem") { v[$1, $3] = $7 }
			END { for (k in v) { split(k, a, SUBSEP); if (a[2] == "mem" && v[a[1], c] && v[k]) printf "%.2f\n", v[a[1], c] / v[k] } }' "$W/rates.tsv" | med_range)
		bad=$(awk -F'\t' -v f=$flow -v c="$c" '$2 == f && $3 == c && $5 != $4 { n++ } END { print n + 0 }' "$W/rates.tsv")
		echo "| $flow | $(label "$c") | $r | $x | $p |$([ "$bad" != 0 ] && echo " $bad runs with failed calls")"
	done
done)
cpu_rows=$(awk -F'\t' 'NR == 2 { base = $3 } NR > 1 {
	printf "| %s | %s s | %s s | %.2f | %s | %s |\n", $1, $2, $3, (base > 0 ? $3 / base : 0), $4 + $5, $6 }' "$W/cpu.tsv" |
	sed "s/^| mem /| $(label mem) /; s/^| persist-1s /| $(label persist-1s) /; s/^| persist /| $(label persist) /")
restart_rows=$(awk -F'\t' 'FNR > 1 { printf "| %s | `%s` | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1 == "mariadb" ? "MariaDB" : "SQLite", $2, $3, $4, $6, $7, $8, $9, $10, $11 }' "$W"/restart-*.tsv)
write_lines=$(awk -F'\t' '{ printf "%s: %s; the `location` table held %s rows %s s after the last REGISTER.\n", $1 == "mariadb" ? "MariaDB" : "SQLite", $2, $3, $4 }' "$W"/restart-*.info)
reg_ratio=$(awk -F'\t' '$2 == "register" { v[$1, $3] = $7 } END { for (k in v) { split(k, a, SUBSEP); if (a[2] == "persist" && v[a[1], "mem"]) printf "%.2f\n", v[k] / v[a[1], "mem"] } }' "$W/rates.tsv" | med_range)
cpu_ratio=$(awk -F'\t' 'NR == 2 { b = $3 } $1 == "persist" && b > 0 { printf "%.2f", $3 / b }' "$W/cpu.tsv")
{
	echo "## Surviving a restart: usrloc persistence"
	echo
	echo "Measured $(date -u -r "$W/rates.tsv" +'%Y-%m-%d %H:%M UTC') by \`bench/persist.sh\` (part of"
	echo "\`make bench\`; \`make bench-persist\` alone$([ -n "$QUICK" ] && echo ", BENCH_QUICK: coarse"))."
	echo
	echo "**Rates.** \`bench/cfg/minimal.cfg\` with the phones module under TLSF,"
	echo "as \`bench/max-rate.sh\` runs it (SIPp keeping $LIMIT calls in flight until"
	echo "$CALLS have completed, the rate over the middle 98% of the calls' answers;"
	echo "$ROUNDS rounds, the three modes interleaved in a"
	echo "different order each round), with usrloc in memory only (\`db_mode 0\`,"
	echo "before issue 26) against the write-back of \`cfg/kamailio.cfg\` (\`db_mode 2\`:"
	echo "usrloc's timer writes what changed to the \`location\` table, SQLite, WAL,"
	echo "on this machine's disk, every 20 s), and the same every second (a write"
	echo "round within every run: the worst case). REGISTER: 7,500 phones with"
	echo "digest, re-registering in turn, so a write round has up to 7,500 changed"
	echo "bindings; INVITE to EXTERNAL entries (no usrloc lookup in any mode: what"
	echo "the writer's rounds cost calls). CPU: all of kamailio's processes"
	echo "(/proc), per completed call of the run. $(nproc) cores shared with SIPp (and"
	echo "with other engineers' work): the spread of the rounds is the noise."
	echo
	echo "| flow | usrloc | calls/s, median (min-max) | ÷ db_mode 0, same round | CPU ms per call |"
	echo "|---|---|---|---|---|"
	echo "$rate_rows"
	echo
	echo "A write round falls within a run or between runs, so the CPU per call of"
	echo "one run shows it or not; kamailio's whole CPU from the first round until"
	echo "22 s after the last (the same wall time, the same calls, every write"
	echo "round included) is the steadier figure:"
	echo
	echo "| usrloc | wall time | kamailio CPU | ÷ db_mode 0 | calls | location rows |"
	echo "|---|---|---|---|---|---|"
	echo "$cpu_rows"
	echo
	echo "**The cost of surviving a restart**, shipped mode against db_mode 0:"
	echo "REGISTERs per second $reg_ratio (median of the rounds' ratios, min-max),"
	echo "kamailio's CPU for the same calls ×$cpu_ratio."
	echo
	echo "**Restart.** \`cfg/kamailio.cfg\` as the package runs it (\`-x tlsf"
	echo "${RESTART_MEMS[0]}\`, then $(printf '`%s` ' "${RESTART_MEMS[@]:1}")for comparison;"
	echo "\`NO_KEEPALIVE\`, so usrloc writes every 10 s, and"
	echo "\`PEER_STATUS_INTERVAL=0\`: nothing here answers keepalives) on a table"
	echo "of $PHONES phones (SQLite: a file on this machine's disk, WAL; MariaDB: a"
	echo "server of its own, \`location\` in InnoDB as \`db/location-mysql.sql\`"
	echo "makes it). SIPp registered them all from 127.0.0.41 (digest, Expires"
	echo "3600, $LIMIT in flight; the few calls SIPp counts failed got a late"
	echo "retransmission's 401 after their 200 was sent, their phone registered):"
	echo
	echo "$write_lines"
	echo
	echo "Then \`kill -9\` of"
	echo "every kamailio process and the same command again, $RESTARTS times;"
	echo "seconds from the start until kamcmd answers, until a SIP OPTIONS gets"
	echo "a reply, until usrloc counts all $PHONES contacts"
	echo "(\`usrloc:location_contacts\`) and until \`ul.lookup\` finds each of a"
	echo "sample of 100 phones (the sample's own 100 kamcmd calls take about"
	echo "0.3 s of it):"
	echo
	echo "| database | memory | restart | phones | kamcmd | SIP | all contacts | sample of 100 | contacts | |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
	echo "$restart_rows"
	echo
	echo "usrloc reads the whole \`location\` table in one query, in the first SIP"
	echo "worker's initialisation (\`child_init\` of rank SIPINIT), while the other"
	echo "processes start: kamcmd and the other SIP workers answer before it is"
	echo "done (SIP before all contacts, above), so for up to a second or so a call"
	echo "to a phone not yet read back would get 404. Kamailio 5.6's \`db_sqlite\`"
	echo "has no \`fetch_result\`, so the whole result lands in that worker's"
	echo "private memory (\`-M\`): when it cannot hold it, the worker fails and"
	echo "kamailio exits at start, its registrations still in the table (after"
	echo "\`kill -9\` or a plain restart alike). \`db_mysql\` fetches in chunks"
	echo "(usrloc's \`fetch_rows\`, 2,000). (\`kamcmd ul.dump brief\` cannot count"
	echo "the contacts: over the binrpc socket it fails, \"Internal error creating"
	echo "aor struct\", already at 2,000 AoRs.)"
} >"$W/summary.md"
cat "$W/summary.md"
if [ -f "$TOP/docs/benchmarks.md" ]; then
	awk -v f="$W/summary.md" '
		/^## Surviving a restart/ { skip = 1; while ((getline l < f) > 0) print l; print ""; next }
		skip && (/^## / || /^<!-- kept -->$/) { skip = 0 }
		!skip { print }' "$TOP/docs/benchmarks.md" >"$W/benchmarks.md"
	grep -q '^## Surviving a restart' "$TOP/docs/benchmarks.md" ||
		{ [ -z "$(tail -c 2 "$TOP/docs/benchmarks.md" | tr -d '\n')" ] || echo; cat "$W/summary.md"; } >>"$W/benchmarks.md"
	cp "$W/benchmarks.md" "$TOP/docs/benchmarks.md"
fi
