#!/bin/bash
# What one REGISTER (challenge and answer: REGISTER, 401, REGISTER with
# credentials, 200) costs kamailio's SIP worker, counted in instructions:
# bench/cfg/minimal.cfg, the configuration bench/max-rate.sh times, with
# the module (MODULE: phones_auth(), phones_challenge()) and with the
# ceiling (CEILING: auth_challenge(), the answer accepted unchecked, no
# digest at all), one SIP worker each, under callgrind (valgrind) while
# SIPp registers CALLS phones, under q_malloc (kamailio's default) and
# TLSF (-x tlsf). Only receive_msg() is counted (--toggle-collect).
#
# Prints per allocator the instructions of receive_msg() per REGISTER
# (both requests and the replies sent) for the ceiling and the module and
# their ratio, then where the module's instructions go: the functions
# with the largest self cost per REGISTER, module and ceiling side by
# side (TOP of them, default 25).
#
# Deterministic where timing on a shared 2-core machine is not: the same
# run gives the same count within a fraction of a percent. It counts
# instructions, not cache misses, stalls, sleeps or the kernel.
#
#   bench/register-cost.sh [CALLS]      (default 500; about 3 minutes)
# Environment: ALLOCS (default "qm tlsf"; qm-nojoin too), TOP,
# MODULE_DIR (the directory of another phones.so, e.g. an older
# commit's build, to compare), CFG (another minimal.cfg, likewise),
# KEEP=1 keeps the work folder and its callgrind files.
set -euo pipefail
TOP_DIR=$(cd "$(dirname "$0")/.." && pwd)
TOP=$TOP_DIR
BENCH=$TOP/bench
CALLS=${1:-500}
ALLOCS=${ALLOCS:-qm tlsf}
NTOP=${TOP_N:-25}
MODULE_DIR=${MODULE_DIR:-$TOP/modules/phones}
CFG=${CFG:-$BENCH/cfg/minimal.cfg}
MODDIR=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)/kamailio/modules
UAC_PORT=26470 TRUNK_PORT=26480
declare -A PORT=([ceiling]=26460 [module]=26462)
. "$BENCH/small-setup.sh"
bench_begin register-cost valgrind
[ -n "${KEEP:-}" ] && echo "work folder: $W" >&2

small_setup

start() { # name alloc
	local n=$1 alloc=$2 defs=(-A CEILING)
	[ "$n" = module ] && defs=(-A MODULE -A "DB_URL=\"sqlite://$W/phones.sqlite\"")
	# minimal.cfg takes TRUNK_PORT as a string
	callgrind_start "$n" "$alloc" "$CFG" "$MODULE_DIR" \
		-A "TRUNK_PORT=\"$TRUNK_PORT\"" "${defs[@]}"
}

# The callgrind file of the process that received the REGISTERs: the one
# with the largest receive_msg().
busiest() { # name alloc -> file
	local f r best=0 bestf=
	for f in "$W"/cg-$1-$2.*; do
		r=$(callgrind_annotate --inclusive=yes "$f" 2>/dev/null |
			awk 'index($0, " ???:receive_msg ") && !done { gsub(",", "", $1); print $1; done = 1 }')
		[ -n "$r" ] && [ "$r" -gt "$best" ] || continue
		best=$r bestf=$f
	done
	echo "$best $bestf"
}

# report ALLOC CEILING_COUNT CEILING_FILE MODULE_COUNT MODULE_FILE
report() {
	local alloc=$1 cr=$2 cf=$3 mr=$4 mf=$5 n f fn
	awk -v a=$alloc -v k=$CALLS -v cr=$cr -v mr=$mr 'BEGIN {
		printf "register_instr\t%s\tceiling\t%d\tmodule\t%d\tratio\t%.3f\tdiff\t%d\n", a, cr / k, mr / k, mr / cr, (mr - cr) / k }'
	# self cost per function per REGISTER, module and ceiling
	for n in ceiling module; do
		[ $n = ceiling ] && f=$cf || f=$mf
		callgrind_annotate --auto=no --threshold=100 "$f" 2>/dev/null |
			awk -v n=$n '/^ *[0-9,]+ \( *[0-9.]+%\)  [^ <*]/ && !/PROGRAM TOTALS/ { c = $1; gsub(",", "", c); l = $0; sub(/^[^)]*\) +/, "", l); sub(/ .*$/, "", l); sub(/^.*:/, "", l); print n "\t" l "\t" c }'
	done | awk -F'\t' -v a=$alloc -v k=$CALLS -v top=$NTOP '
		{ v[$1, $2] += $3; fns[$2] = 1 }
		END {
			for (f in fns) d[f] = v["module", f] - v["ceiling", f]
			printf "%s: self instructions per REGISTER, largest module-minus-ceiling first\n", a
			printf "  %-34s %10s %10s %10s\n", "function", "ceiling", "module", "diff"
			for (i = 0; i < top; i++) {
				best = ""
				for (f in d) if (!(f in done) && (best == "" || d[f] > d[best])) best = f
				if (best == "") break
				done[best] = 1
				printf "  %-34s %10.0f %10.0f %10.0f\n", best, v["ceiling", best] / k, v["module", best] / k, d[best] / k
			}
		}'
	# the allocator's instructions by the function that called it
	[ $alloc = tlsf ] && fn=tlsf_malloc || fn=qm_malloc
	for n in ceiling module; do
		[ $n = ceiling ] && f=$cf || f=$mf
		callgrind_annotate --tree=caller --threshold=100 "$f" 2>/dev/null |
			awk -v n=$n -v fn=" ???:$fn " '
				/^ *[0-9,]+ \( *[0-9.]+%\) +< / { c = $1; gsub(",", "", c); l = $0; sub(/^[^<]*< /, "", l); who = l; sub(/ .*$/, "", who); sub(/^.*:/, "", who); k = l; sub(/^[^(]*\(/, "", k); sub(/x\).*$/, "", k); gsub(",", "", k); buf[++nb] = who "\t" c "\t" k; next }
				/\* / { if (index($0, fn)) for (i = 1; i <= nb; i++) print n "\t" buf[i]; nb = 0; next }
				{ nb = 0 }'
	done | awk -F'\t' -v a=$alloc -v k=$CALLS -v fn=$fn '
		{ v[$1, $2] += $3; c[$1, $2] += $4; who[$2] = 1 }
		END {
			printf "%s: %s instructions per REGISTER by caller (calls per REGISTER), largest module-minus-ceiling first\n", a, fn
			printf "  %-34s %16s %16s %10s\n", "caller", "ceiling", "module", "diff"
			for (w in who) d[w] = v["module", w] - v["ceiling", w]
			for (;;) {
				best = ""
				for (w in d) if (!(w in done) && (best == "" || d[w] > d[best])) best = w
				if (best == "" || (d[best] < 100 * k && d[best] > -100 * k && length(done) > 8)) break
				done[best] = 1
				printf "  %-34s %9.0f (%4.1f) %9.0f (%4.1f) %10.0f\n", best, v["ceiling", best] / k, c["ceiling", best] / k, v["module", best] / k, c["module", best] / k, d[best] / k
			}
		}'
}

# REPORT_ONLY="ALLOC CEILING_FILE MODULE_FILE": the report of two kept files
if [ -n "${REPORT_ONLY:-}" ]; then
	read -r a cf mf <<<"$REPORT_ONLY"
	count1() { callgrind_annotate --inclusive=yes "$1" | awk 'index($0, " ???:receive_msg ") && !done { gsub(",", "", $1); print $1; done = 1 }'; }
	report "$a" "$(count1 "$cf")" "$cf" "$(count1 "$mf")" "$mf"
	exit 0
fi

for alloc in $ALLOCS; do
	rm -f "$W"/cg-*
	start ceiling $alloc
	start module $alloc
	for n in ceiling module; do
		(cd "$W" && timeout 600 sipp -sf "$BENCH/scenarios/register.xml" -inf "$W/register.csv" \
			-i 127.0.0.1 -p $UAC_PORT -m "$CALLS" -r 20 -nostdin \
			127.0.0.1:${PORT[$n]} >sipp-$n.out 2>&1) || true
		ok=$(awk '/Successful call/ { print $NF }' "$W/sipp-$n.out" | tail -1)
		[ "${ok:-0}" = "$CALLS" ] || { echo "$n ($alloc): ${ok:-0} of $CALLS REGISTERs completed" >&2; exit 1; }
	done
	stop_all
	sleep 1
	read -r cr cf < <(busiest ceiling $alloc)
	read -r mr mf < <(busiest module $alloc)
	report $alloc $cr "$cf" $mr "$mf"
	if [ -n "${KEEP:-}" ]; then cp "$cf" "$W/keep-ceiling-$alloc.cg"; cp "$mf" "$W/keep-module-$alloc.cg"; fi
done
