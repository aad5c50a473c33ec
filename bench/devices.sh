#!/bin/bash
# make bench (and make bench-devices): a call to an extension with three
# devices ringing at once, one answering, through phones_devices() against
# the same fork written in the cfg alone (append_branch +
# lookup_branches), bench/cfg/devices.cfg.
#
#   bench/devices.sh      (BENCH_QUICK=1: fewer calls and rounds)
#
# Two kamailio instances on 127.0.0.1 (26160 module, 26161 cfg), three
# SIPp UASes as the devices (d1 answers at once, d2 and d3 ring until
# cancelled), one SIPp UAC as the Asterisk server. Each round runs CALLS
# calls as fast as they complete (IN_FLIGHT at a time) against each
# instance in turn, ROUNDS rounds interleaved; it measures calls per
# second and the proxy's CPU per call (utime + stime of its processes).
# Results: build/bench/devices/results.tsv; the section "Devices" of
# docs/benchmarks.md is written from them. Everything started is stopped.
set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
WORK=$TOP/build/bench/devices
MODULES_DIR=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)/kamailio/modules
if [ -n "${BENCH_QUICK:-}" ] && [ "${BENCH_QUICK}" != 0 ]; then
	CALLS=1000 ROUNDS=2
else
	CALLS=4000 ROUNDS=4
fi
IN_FLIGHT=100
# each configuration under Kamailio's default allocator (q_malloc) and
# under TLSF (-x tlsf)
CONFIGS=(module cfg module-tlsf cfg-tlsf)
declare -A PORT=([module]=26160 [cfg]=26161 [module-tlsf]=26162 [cfg-tlsf]=26163)
declare -A DEFINE=([module]=DEVICES_MODULE [cfg]=DEVICES_CFG
	[module-tlsf]=DEVICES_MODULE [cfg-tlsf]=DEVICES_CFG)
declare -A ALLOC=([module]= [cfg]= [module-tlsf]=tlsf [cfg-tlsf]=tlsf)
DEV_PORTS=(26191 26192 26193)
UAC_PORT=26170
PIDS=()
DEV_PIDS=()
declare -A KPID

log() { printf '%s %s\n' "$(date +%T)" "$*"; }
cleanup() {
	local p
	for p in "${PIDS[@]}" "${DEV_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$WORK"
mkdir -p "$WORK"
DB=$WORK/phones.sqlite
cat "$TOP/db/phones-sqlite.sql" "$TOP/db/phone-routes-sqlite.sql" \
	"$TOP/db/phone-devices-sqlite.sql" "$TOP/db/vicidial-sqlite.sql" "$TOP/db/location-sqlite.sql" | sqlite3 -bail "$DB"
sqlite3 -bail "$DB" <<'SQL'
INSERT INTO phones (extension, dialplan_number, server_ip, active, protocol, conf_secret)
VALUES ('d1', '9101', '127.0.0.1', 'Y', 'SIP', 's1'),
       ('d2', '9102', '127.0.0.1', 'Y', 'SIP', 's2'),
       ('d3', '9103', '127.0.0.1', 'Y', 'SIP', 's3');
INSERT INTO phone_devices (extension, device, position, ring_seconds, active)
VALUES ('8001', 'd1', 1, 20, 'Y'), ('8001', 'd2', 1, 20, 'Y'),
       ('8001', 'd3', 1, 20, 'Y');
SQL

start_proxy() { # NAME
	local name=$1 ctl=unix:$WORK/$1.ctl i
	kamailio -DD -E -m 256 ${ALLOC[$name]:+-x "${ALLOC[$name]}"} -f "$TOP/bench/cfg/devices.cfg" \
		-L "$TOP/modules/phones:$MODULES_DIR" \
		-A "LISTEN=udp:127.0.0.1:${PORT[$name]}" -A "CTL_SOCKET=\"$ctl\"" \
		-A "DB_URL=\"sqlite://$DB\"" -A "${DEFINE[$name]}" \
		>"$WORK/$name.log" 2>&1 &
	PIDS+=($!)
	KPID[$name]=$!
	for i in $(seq 100); do
		kamcmd -s "$ctl" core.uptime >/dev/null 2>&1 && break
		sleep 0.1
	done
	for i in 1 2 3; do
		kamcmd -s "$ctl" ul.add location "d$i" "sip:d$i@127.0.0.1:${DEV_PORTS[$((i - 1))]}" \
			86400 1.0 . 0 0 4294967295 >/dev/null || return 1
	done
}

# cpu_ticks PID: utime + stime of a kamailio and its children
cpu_ticks() {
	local t=0 p
	for p in "$1" $(pgrep -P "$1"); do
		t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo "$t"
}

start_devices() { # CALLS
	local i sf
	DEV_PIDS=()
	for i in 0 1 2; do
		sf=$TOP/tests/integration/scenarios/uas-ring.xml
		[ "$i" != 0 ] || sf=$TOP/bench/scenarios/trunk-uas.xml
		sipp -sf "$sf" -i 127.0.0.1 -p "${DEV_PORTS[$i]}" -m "$1" -nostdin \
			>/dev/null 2>&1 &
		DEV_PIDS+=($!)
	done
	for i in $(seq 50); do
		[ "$(ss -lun | grep -c '127.0.0.1:2619[123] ')" = 3 ] && return 0
		sleep 0.1
	done
}
stop_devices() {
	local p
	for p in "${DEV_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${DEV_PIDS[@]}"; do wait "$p" 2>/dev/null; done
}

for name in "${CONFIGS[@]}"; do
	start_proxy "$name" || { log "ERROR: $name did not start"; exit 1; }
done
printf 'SEQUENTIAL\n8001;\n' >"$WORK/calls.csv"

# one_round NAME ROUND: calls per second and CPU ms per call, or FAIL
one_round() {
	local name=$1 round=$2 pid t0 t1 c0 c1 rc hz
	pid=${KPID[$name]}
	hz=$(getconf CLK_TCK)
	start_devices "$CALLS"
	c0=$(cpu_ticks "$pid")
	t0=$(date +%s.%N)
	timeout 300 sipp -sf "$TOP/bench/scenarios/invite.xml" -inf "$WORK/calls.csv" \
		-i 127.0.0.1 -p "$UAC_PORT" -m "$CALLS" -l "$IN_FLIGHT" -r 100000 \
		-recv_timeout 5000 -default_behaviors all,-abortunexp -nostdin \
		127.0.0.1:"${PORT[$name]}" \
		>"$WORK/uac-$name-$round.out" 2>&1
	rc=$?
	t1=$(date +%s.%N)
	c1=$(cpu_ticks "$pid")
	stop_devices
	if [ "$rc" != 0 ]; then
		echo "FAIL"
		return
	fi
	awk -v n="$CALLS" -v t0="$t0" -v t1="$t1" -v c="$((c1 - c0))" -v hz="$hz" \
		'BEGIN { printf "%.0f\t%.3f\n", n / (t1 - t0), c * 1000 / hz / n }'
}

printf 'round\tconfig\tcalls_per_s\tcpu_ms_per_call\n' >"$WORK/results.tsv"
log "devices: $ROUNDS rounds of $CALLS calls ($IN_FLIGHT in flight), ${CONFIGS[*]} interleaved"
for round in $(seq "$ROUNDS"); do
	for name in "${CONFIGS[@]}"; do
		r=$(one_round "$name" "$round")
		log "round $round $name: $r"
		printf '%s\t%s\t%s\n' "$round" "$name" "$r" >>"$WORK/results.tsv"
	done
done

# the ratios, from this run only
summary=$(awk -F'\t' 'NR > 1 && $3 != "FAIL" { r[$2] = r[$2] " " $3; c[$2] = c[$2] " " $4 }
	function med(s,   a, n, i, j, t) { n = split(s, a, " "); for (i = 1; i <= n; i++)
		for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
	function lo(s,   a, n, i, m) { n = split(s, a, " "); m = a[1]; for (i = 2; i <= n; i++) if (a[i] + 0 < m + 0) m = a[i]; return m }
	function hi(s,   a, n, i, m) { n = split(s, a, " "); m = a[1]; for (i = 2; i <= n; i++) if (a[i] + 0 > m + 0) m = a[i]; return m }
	function row(label, k) {
		printf "| %s | %s (%s-%s) | %.3f (%.3f-%.3f) |\n", label, med(r[k]), lo(r[k]), hi(r[k]), med(c[k]), lo(c[k]), hi(c[k])
	}
	function ratio(label, m, p) {
		if (med(r[p]) > 0 && med(c[m]) > 0)
			printf "- %s: module / cfg **%.2f x** the call rate, **%.2f x** the CPU per call (%.2f x the calls per CPU second).\n",
				label, med(r[m]) / med(r[p]), med(c[m]) / med(c[p]), med(c[p]) / med(c[m])
	}
	END {
		printf "| | calls/s (median, min-max) | CPU ms per call (median, min-max) |\n|---|---|---|\n"
		row("phones_devices(), q_malloc", "module")
		row("cfg: append_branch + lookup_branches, q_malloc", "cfg")
		row("phones_devices(), TLSF", "module-tlsf")
		row("cfg: append_branch + lookup_branches, TLSF", "cfg-tlsf")
		printf "\n"
		ratio("q_malloc (the default)", "module", "cfg")
		ratio("TLSF (-x tlsf)", "module-tlsf", "cfg-tlsf")
	}' "$WORK/results.tsv")
{
	echo "## Devices: one extension ringing three devices"
	echo
	echo "Measured $(date -u +'%Y-%m-%d %H:%M UTC') by \`bench/devices.sh\` (part of"
	echo "\`make bench\`; \`make bench-devices\` alone): a call from the Asterisk"
	echo "server to extension 8001, whose three devices ring at once (d1"
	echo "answers at once, d2 and d3 ring until cancelled), $ROUNDS rounds of"
	echo "$CALLS calls run as fast as they complete ($IN_FLIGHT in flight), the"
	echo "two configurations of \`bench/cfg/devices.cfg\`, each under q_malloc and"
	echo "TLSF, interleaved round by round on this machine ($(nproc) cores; SIPp's four processes share"
	echo "them with the proxy, so the rates are the whole system's). The spread"
	echo "of the rounds (min-max) is the noise."
	echo
	echo "$summary"
} >"$WORK/summary.md"
cat "$WORK/summary.md"
# the section of docs/benchmarks.md, replaced or appended
if [ -f "$TOP/docs/benchmarks.md" ]; then
	awk -v f="$WORK/summary.md" '
		/^## Devices: / { skip = 1; while ((getline l < f) > 0) print l; print ""; next }
		skip && /^## / { skip = 0 }
		!skip { print }
		END { }' "$TOP/docs/benchmarks.md" >"$WORK/benchmarks.md"
	grep -q '^## Devices: ' "$TOP/docs/benchmarks.md" ||
		{ echo; cat "$WORK/summary.md"; } >>"$WORK/benchmarks.md"
	cp "$WORK/benchmarks.md" "$TOP/docs/benchmarks.md"
fi
if grep -q FAIL "$WORK/results.tsv"; then
	log "ERROR: some rounds had failed calls (see $WORK/uac-*.out)"
	exit 1
fi
