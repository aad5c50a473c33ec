# Sourced by bench/invite-cost.sh, register-cost.sh, cfg-cost.sh and
# max-rate.sh: what they set up for their ceiling-and-module pairs, and
# stop. Needs TOP, BENCH and TRUNK_PORT; bench_begin makes W (a work folder)
# and PIDS (what they started).

# bench_begin NAME [valgrind]: the work folder W (/tmp/phones-NAME.*, kept
# with KEEP=1), PIDS, and everything started stopped at exit; stops at once
# without the built module (in MODULE_DIR, else modules/phones) or, when
# asked, without valgrind.
bench_begin() {
	W=$(mktemp -d "/tmp/phones-$1.XXXXXX")
	PIDS=()
	trap 'stop_all; [ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
	if [ "${2:-}" = valgrind ] && ! command -v valgrind >/dev/null; then
		echo "valgrind is not installed (bench/install-deps.sh)" >&2
		exit 1
	fi
	[ -f "${MODULE_DIR:-$TOP/modules/phones}/phones.so" ] || { echo "build the module first (make)" >&2; exit 1; }
}

# The benchmarks' SQLite database, $W/phones.sqlite: 10,000 phones of
# bench/gen-phones.awk (every fourth an EXTERNAL entry), the one routing
# rule to the trunk on TRUNK_PORT, the Asterisk server 127.0.0.1; and the
# SIPp lists $W/invite.csv (the EXTERNAL entries), $W/dial.csv (numbers a
# server dials, out the trunk by the rule) and $W/register.csv (the SIP
# phones with their passwords).
small_setup() {
	local i
	{
		cat "$TOP/db/phones-sqlite.sql" "$TOP/db/phone-routes-sqlite.sql" \
			"$TOP/db/phone-devices-sqlite.sql" "$TOP/db/vicidial-sqlite.sql" "$TOP/db/location-sqlite.sql"
		echo "BEGIN;"; awk -v n=10000 -f "$BENCH/gen-phones.awk"; echo "COMMIT;"
		sed "s/@TRUNK@/127.0.0.1:$TRUNK_PORT/" "$BENCH/sql/phone-routes.sql.in"
		cat "$BENCH/sql/servers.sql"
	} | sqlite3 -bail "$W/phones.sqlite" >/dev/null
	{ echo SEQUENTIAL; for ((i = 4; i <= 10000; i += 4)); do printf 'e%07d\n' $i; done; } >"$W/invite.csv"
	# the dial flow: numbers an Asterisk server dials, no entry of the table
	{ echo SEQUENTIAL; for ((i = 4; i <= 10000; i += 4)); do printf '913123%06d\n' $i; done; } >"$W/dial.csv"
	{
		echo SEQUENTIAL
		for ((i = 1; i <= 10000; i++)); do
			((i % 4)) || continue
			printf 'p%07d;[authentication username=p%07d password=pw%07d]\n' $i $i $i
		done
	} >"$W/register.csv"
}

# callgrind_start NAME ALLOC CFG MODULE_DIR [kamailio args...]: kamailio
# NAME (its port PORT[NAME]) with one SIP worker under callgrind, counting
# receive_msg() only, into $W/cg-NAME-ALLOC.*; waits for its control socket.
callgrind_start() {
	local n=$1 alloc=$2 cfg=$3 mdir=$4
	shift 4
	valgrind -q --tool=callgrind --trace-children=yes --toggle-collect=receive_msg \
		--callgrind-out-file="$W/cg-$n-$alloc.%p" \
		kamailio -DD -E -m 256 -M 32 $(alloc_args "$alloc") -f "$cfg" \
		-L "$mdir:$MODDIR" \
		-A "LISTEN=udp:127.0.0.1:${PORT[$n]}" -A "CTL_SOCKET=\"unix:$W/ctl-$n\"" \
		-A CHILDREN=1 -A "SERVER_PORT=$UAC_PORT" \
		"$@" >"$W/kamailio-$n-$alloc.log" 2>&1 &
	PIDS+=($!)
	wait_ctl "$n, $alloc" "unix:$W/ctl-$n" "$W/kamailio-$n-$alloc.log" 600
}

# The -x and -A arguments of an allocator as the benchmarks name it: qm,
# qm-nojoin (q_malloc with mem_join=0: the cfgs' MEM_JOIN_OFF) or tlsf.
alloc_args() {
	echo "-x ${1%-nojoin}"
	[ "${1#*-}" != nojoin ] || echo "-A MEM_JOIN_OFF"
}

# wait_ctl NAME CTL_SOCKET LOG TRIES: until kamailio answers on its control
# socket; else prints its log and fails.
wait_ctl() {
	local i
	for i in $(seq "$4"); do
		kamcmd -s "$2" core.uptime >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "kamailio ($1) did not start:" >&2
	cat "$3" >&2
	return 1
}

# rate_run DIR CALLS PORT SCENARIO CSV RTD [sipp args...]: SIPp makes
# CALLS calls of SCENARIO (CSV its list) to 127.0.0.1:PORT as fast as they
# complete, LIMIT in flight, working in DIR (made anew, removed after);
# prints "ok seconds calls_per_s": the calls SIPp counts successful, the
# run's seconds, and the rate over the middle 98% of the calls' answers
# to RTD (-trace_rtt, read by bench/rtt-stats.awk as bench/run.sh reads
# it), so that a call waiting for a retransmission at either end does not
# decide it.
rate_run() {
	local d=$1 n=$2 port=$3 sf=$4 inf=$5 rtd=$6 t0 t1 ok
	shift 6
	rm -rf "$d"
	mkdir -p "$d"
	t0=$EPOCHREALTIME
	(cd "$d" && timeout 600 sipp -sf "$sf" -inf "$inf" -i 127.0.0.1 "$@" \
		-m "$n" -l "$LIMIT" -r 100000 -rp 1000 -recv_timeout 4000 -timeout 580 \
		-nostdin -trace_rtt -rtt_freq 1000 "127.0.0.1:$port" >sipp.out 2>&1) || true
	t1=$EPOCHREALTIME
	ok=$(awk '/Successful call/ { print $NF }' "$d/sipp.out" | tail -1)
	echo "${ok:-0} $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" \
		"$(cat "$d"/*_rtt.csv 2>/dev/null | awk -F';' -v rtd="$rtd" '$3 == rtd { print $1, $2 }' |
			sort -n -k1,1 | awk -f "$BENCH/rtt-stats.awk" | awk '{ printf "%.0f\n", $1 }')"
	rm -rf "$d"
}

# stop_all: stops what PIDS holds (kamailio, SIPp) and forgets it.
stop_all() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	PIDS=()
}
