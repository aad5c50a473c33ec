#!/bin/bash
# Calls per second as fast as they complete: bench/cfg/minimal.cfg (record
# routing, the lookup, t_relay) with the phones module and with the
# ceiling (no lookup), SIPp keeping LIMIT calls in flight until CALLS have
# completed, for REGISTER (digest) and INVITE to EXTERNAL entries (INVITE,
# 200, ACK, BYE, 200 through the proxy to a SIPp trunk), ROUNDS rounds with
# the two configurations interleaved, under q_malloc (kamailio's default),
# q_malloc with mem_join=0 (qm-nojoin) and TLSF (-x tlsf). Everything on
# 127.0.0.1; kamailio with 4 workers and 2 GiB of shared memory (at these
# rates tm holds some 30,000 transactions for its 5 s wait: 512 MiB ran
# out). SIPp's caller and trunk share the machine's 2 cores with it, so a
# rate is the whole system's and the ratio module/ceiling is what the lookup
# costs of it.
#
#   bench/max-rate.sh [RESULTS.tsv]       (CALLS, LIMIT, ROUNDS from the
#                                          environment: 20000, 200, 4;
#                                          ALLOCS "qm qm-nojoin tlsf",
#                                          FLOWS "invite register",
#                                          MODULE_DIR: another phones.so's
#                                          directory)
# Prints one line per run and a summary; the runs go to RESULTS.tsv.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$TOP/bench
CALLS=${CALLS:-20000}
LIMIT=${LIMIT:-200}
ROUNDS=${ROUNDS:-4}
ALLOCS=${ALLOCS:-qm qm-nojoin tlsf}
FLOWS=${FLOWS:-invite register}
MODULE_DIR=${MODULE_DIR:-$TOP/modules/phones}
OUT=${1:-$TOP/build/bench/max-rate.tsv}
MODDIR=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)/kamailio/modules
UAC_PORT=26370 TRUNK_PORT=26380
declare -A PORT=([ceiling]=26360 [module]=26362)
. "$BENCH/small-setup.sh"
bench_begin max-rate
mkdir -p "$(dirname "$OUT")"

small_setup
# the calls end as soon as they are answered: the ramp's 200 ms between ACK
# and BYE would cap the rate at LIMIT / 0.2 s
sed "/<pause /d" "$BENCH/scenarios/invite.xml" >"$W/invite-fast.xml"

start() { # name alloc
	local n=$1 alloc=$2 defs=(-A CEILING)
	[ "$n" = module ] && defs=(-A MODULE -A "DB_URL=\"sqlite://$W/phones.sqlite\"")
	kamailio -DD -E -m 2048 -M 8 $(alloc_args "$alloc") -f "$BENCH/cfg/minimal.cfg" \
		-L "$MODULE_DIR:$MODDIR" \
		-A "LISTEN=udp:127.0.0.1:${PORT[$n]}" -A "CTL_SOCKET=\"unix:$W/ctl-$n\"" \
		-A CHILDREN=4 -A "TRUNK_PORT=\"$TRUNK_PORT\"" -A "SERVER_PORT=$UAC_PORT" \
		"${defs[@]}" >"$W/kamailio-$n-$alloc.log" 2>&1 &
	PIDS+=($!)
	wait_ctl "$n, $alloc" "unix:$W/ctl-$n" "$W/kamailio-$n-$alloc.log" 100
}

# run flow config -> "ok seconds"
run() {
	local flow=$1 c=$2 t0 t1 ok
	t0=$EPOCHREALTIME
	local sf="$BENCH/scenarios/$flow.xml"
	[ "$flow" = invite ] && sf="$W/invite-fast.xml"
	(cd "$W" && timeout 600 sipp -sf "$sf" -inf "$W/$flow.csv" \
		-i 127.0.0.1 -p $UAC_PORT -m "$CALLS" -l "$LIMIT" -r 100000 -rp 1000 \
		-recv_timeout 4000 -timeout 580 -nostdin \
		127.0.0.1:${PORT[$c]} >"sipp-$flow-$c.out" 2>&1) || true
	t1=$EPOCHREALTIME
	ok=$(awk '/Successful call/ { print $NF }' "$W/sipp-$flow-$c.out" | tail -1)
	echo "${ok:-0} $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')"
}

printf 'alloc\tflow\tround\tconfig\tcalls\tok\tseconds\tcalls_per_s\n' >"$OUT"
for alloc in $ALLOCS; do
	start ceiling $alloc
	start module $alloc
	(cd "$W" && exec sipp -sf "$BENCH/scenarios/trunk-uas.xml" -i 127.0.0.1 \
		-p $TRUNK_PORT -m $((CALLS * (ROUNDS + 1) * 2 + 100)) -timeout 3600 -nostdin \
		>uas.out 2>&1) &
	PIDS+=($!)
	sleep 0.5
	# warm-up: a tenth of a round each
	for c in ceiling module; do
		for flow in $FLOWS; do CALLS=$((CALLS / 10)) run $flow $c >/dev/null; done
	done
	for r in $(seq "$ROUNDS"); do
		for flow in $FLOWS; do
			order="ceiling module"
			((r % 2)) || order="module ceiling"
			for c in $order; do
				read -r ok secs < <(run $flow $c)
				rate=$(awk -v n="$ok" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
				printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' $alloc $flow $r $c \
					"$CALLS" "$ok" "$secs" "$rate" >>"$OUT"
				echo "$alloc $flow round $r $c: $ok of $CALLS in $secs s, $rate calls/s"
			done
		done
	done
	stop_all
done

# module/ceiling per round, then the median and range of the rounds
awk -F'\t' 'NR > 1 { rate[$1 "\t" $2 "\t" $3 "\t" $4] = $8; if ($6 != $5) bad[$1 " " $2]++ }
	END {
		n = split("qm qm-nojoin tlsf", al, " "); split("invite register", fl, " ")
		for (a = 1; a <= n; a++) for (f = 1; f <= 2; f++) {
			k = 0
			for (r = 1; (al[a] "\t" fl[f] "\t" r "\tceiling") in rate; r++) {
				c = rate[al[a] "\t" fl[f] "\t" r "\tceiling"]
				m = rate[al[a] "\t" fl[f] "\t" r "\tmodule"]
				if (c > 0) { x[++k] = m / c; cs[k] = c; ms[k] = m }
			}
			if (k == 0) continue
			asort_(x, k); asort_(cs, k); asort_(ms, k)
			printf "%s %s: module/ceiling %.2f (%.2f-%.2f over %d rounds); calls/s ceiling %d-%d, module %d-%d%s\n",
				al[a] == "qm" ? "q_malloc" : al[a] == "tlsf" ? "TLSF" : "q_malloc, mem_join=0", fl[f], med(x, k), x[1], x[k], k,
				cs[1], cs[k], ms[1], ms[k], bad[al[a] " " fl[f]] ? " (" bad[al[a] " " fl[f]] " runs with failed calls)" : ""
		}
	}
	function asort_(v, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t } }
	function med(v, n) { return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }' "$OUT"
