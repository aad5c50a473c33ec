#!/bin/bash
# Calls per second as fast as they complete: bench/cfg/minimal.cfg (record
# routing, the lookup, t_relay) with the ceiling (no lookup), the phones
# module's phones_route() ("module") and its call plan, phones_call()
# ("plan"), SIPp keeping LIMIT calls in flight until CALLS have completed,
# for REGISTER (digest; ceiling and module only: the plan is the same
# code), INVITE to EXTERNAL entries and dial-outs (INVITE, 200, ACK, BYE,
# 200 through the proxy to a SIPp trunk) and phones' calls to their server
# (INVITE, 407, INVITE with credentials, 200, ACK, BYE, 200 to a SIPp UAS
# on 127.0.0.2), ROUNDS rounds with the configurations interleaved (their
# order turned each round), under q_malloc (kamailio's default), q_malloc
# with mem_join=0 (qm-nojoin) and TLSF (-x tlsf). Everything on loopback;
# kamailio with 4 workers and 2 GiB of shared memory (at these rates tm
# holds some 30,000 transactions for its 5 s wait: 512 MiB ran out).
# SIPp's caller and trunk share the machine's 2 cores with it, so a rate is
# the whole system's and a ratio of two configurations is what the
# difference costs of it.
#
# The rate is taken from -trace_rtt's timestamps of each call's last
# answer, over the middle 98% of the calls (as bench/run.sh): the time to
# the last call is not, since a call whose datagram was lost waits for a
# retransmission (500 ms, doubling) and would make the rate a step of
# those.
#
#   bench/max-rate.sh [RESULTS.tsv]       (CALLS, LIMIT, ROUNDS from the
#                                          environment: 20000, 80, 4;
#                                          ALLOCS "qm qm-nojoin tlsf",
#                                          FLOWS "invite dial phone
#                                          register", CONFIGS "ceiling
#                                          module plan",
#                                          MODULE_DIR: another phones.so's
#                                          directory)
# Prints one line per run and a summary; the runs go to RESULTS.tsv.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$TOP/bench
CALLS=${CALLS:-20000}
# 80 in flight: with 200, SIPp's bursts overran the proxy's socket buffer,
# and the datagrams lost made the calls wait for retransmissions in waves
# (a run's rate was then a step of 500 ms); 80 keeps the proxy as busy
# (about 5,700 INVITE calls/s under TLSF either way)
LIMIT=${LIMIT:-80}
ROUNDS=${ROUNDS:-4}
ALLOCS=${ALLOCS:-qm qm-nojoin tlsf}
FLOWS=${FLOWS:-invite dial phone register}
CONFIGS=${CONFIGS:-ceiling module plan}
MODULE_DIR=${MODULE_DIR:-$TOP/modules/phones}
OUT=${1:-$TOP/build/bench/max-rate.tsv}
MODDIR=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)/kamailio/modules
UAC_PORT=26370 TRUNK_PORT=26380 PHONE_PORT=26372
declare -A PORT=([ceiling]=26360 [module]=26362 [plan]=26364)
. "$BENCH/small-setup.sh"
bench_begin max-rate
mkdir -p "$(dirname "$OUT")"

small_setup
# the calls end as soon as they are answered: the ramp's 200 ms between ACK
# and BYE would cap the rate at LIMIT / 0.2 s
sed "/<pause /d" "$BENCH/scenarios/invite.xml" >"$W/invite-fast.xml"
sed "/<pause /d" "$BENCH/scenarios/phone-call.xml" >"$W/phone-fast.xml"

start() { # name alloc
	local n=$1 alloc=$2 defs=(-A CEILING)
	[ "$n" = module ] && defs=(-A MODULE -A "DB_URL=\"sqlite://$W/phones.sqlite\"")
	[ "$n" = plan ] && defs=(-A MODULE -A PLAN -A "DB_URL=\"sqlite://$W/phones.sqlite\"")
	kamailio -DD -E -m 2048 -M 8 $(alloc_args "$alloc") -f "$BENCH/cfg/minimal.cfg" \
		-L "$MODULE_DIR:$MODDIR" \
		-A "LISTEN=udp:127.0.0.1:${PORT[$n]}" -A "CTL_SOCKET=\"unix:$W/ctl-$n\"" \
		-A CHILDREN=4 -A "TRUNK_PORT=\"$TRUNK_PORT\"" -A "SERVER_PORT=$UAC_PORT" \
		"${defs[@]}" >"$W/kamailio-$n-$alloc.log" 2>&1 &
	PIDS+=($!)
	wait_ctl "$n, $alloc" "unix:$W/ctl-$n" "$W/kamailio-$n-$alloc.log" 100
}

# run flow config -> "ok seconds calls_per_s" (rate_run)
run() {
	local flow=$1 c=$2
	case $flow in
	invite | dial) rate_run "$W/run" "$CALLS" "${PORT[$c]}" "$W/invite-fast.xml" "$W/$flow.csv" 1 -p $UAC_PORT ;;
	phone) rate_run "$W/run" "$CALLS" "${PORT[$c]}" "$W/phone-fast.xml" "$W/register.csv" 2 -p $PHONE_PORT -s 5551000 ;;
	*) rate_run "$W/run" "$CALLS" "${PORT[$c]}" "$BENCH/scenarios/$flow.xml" "$W/$flow.csv" 2 -p $UAC_PORT ;;
	esac
}

printf 'alloc\tflow\tround\tconfig\tcalls\tok\tseconds\tcalls_per_s\tto_last_per_s\n' >"$OUT"
nflows=$(wc -w <<<"$FLOWS")
nconfigs=$(wc -w <<<"$CONFIGS")
for alloc in $ALLOCS; do
	for c in $CONFIGS; do start $c $alloc; done
	# the trunk, and the phones' server
	for uas in "127.0.0.1 $TRUNK_PORT" "127.0.0.2 $UAC_PORT"; do
		read -r ip port <<<"$uas"
		(cd "$W" && exec sipp -sf "$BENCH/scenarios/trunk-uas.xml" -i "$ip" -p "$port" \
			-m $((CALLS * (ROUNDS + 1) * nconfigs * nflows + 100)) -timeout 7200 -nostdin \
			>"uas-$ip.out" 2>&1) &
		PIDS+=($!)
	done
	sleep 0.5
	# warm-up: a tenth of a round each
	for c in $CONFIGS; do
		for flow in $FLOWS; do
			[ "$flow:$c" = register:plan ] && continue
			CALLS=$((CALLS / 10)) run $flow $c >/dev/null
		done
	done
	for r in $(seq "$ROUNDS"); do
		for flow in $FLOWS; do
			order=$CONFIGS
			((r % 2)) || order=$(tr ' ' '\n' <<<"$CONFIGS" | tac | xargs)
			for c in $order; do
				[ "$flow:$c" = register:plan ] && continue
				read -r ok secs rate < <(run $flow $c)
				last=$(awk -v n="$ok" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
				printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' $alloc $flow $r $c \
					"$CALLS" "$ok" "$secs" "$rate" "$last" >>"$OUT"
				echo "$alloc $flow round $r $c: $ok of $CALLS in $secs s, $rate calls/s (to the last: $last)"
			done
		done
	done
	stop_all
done

# per round the ratios module/ceiling, plan/ceiling and plan/module, then
# their median and range over the rounds
awk -F'\t' -v flows="$FLOWS" -v allocs="$ALLOCS" 'NR > 1 { rate[$1 "\t" $2 "\t" $3 "\t" $4] = $8; if ($6 != $5) bad[$1 " " $2]++ }
	END {
		na = split(allocs, al, " "); nf = split(flows, fl, " ")
		split("module ceiling plan ceiling plan module", pair, " ")
		for (a = 1; a <= na; a++) for (f = 1; f <= nf; f++) for (p = 1; p <= 5; p += 2) {
			k = 0
			for (r = 1; (al[a] "\t" fl[f] "\t" r "\tceiling") in rate || (al[a] "\t" fl[f] "\t" r "\tmodule") in rate; r++) {
				num = al[a] "\t" fl[f] "\t" r "\t" pair[p]; den = al[a] "\t" fl[f] "\t" r "\t" pair[p + 1]
				if (!(num in rate) || !(den in rate) || rate[den] <= 0) continue
				x[++k] = rate[num] / rate[den]; ds[k] = rate[den]; ns[k] = rate[num]
			}
			if (k == 0) continue
			asort_(x, k); asort_(ds, k); asort_(ns, k)
			printf "%s %s: %s/%s %.2f (%.2f-%.2f over %d rounds); calls/s %s %d-%d, %s %d-%d%s\n",
				al[a] == "qm" ? "q_malloc" : al[a] == "tlsf" ? "TLSF" : "q_malloc, mem_join=0", fl[f],
				pair[p], pair[p + 1], med(x, k), x[1], x[k], k,
				pair[p + 1], ds[1], ds[k], pair[p], ns[1], ns[k],
				bad[al[a] " " fl[f]] ? " (" bad[al[a] " " fl[f]] " runs with failed calls)" : ""
		}
	}
	function asort_(v, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t } }
	function med(v, n) { return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }' "$OUT"
