#!/bin/bash
# What one INVITE, and one REGISTER, costs kamailio's SIP worker, counted
# in instructions
# rather than timed: bench/cfg/bench.cfg with the ceiling (the number and
# trunk set by hand, lookup-ceiling.cfg) and with the module
# (lookup-module.cfg; for INVITE also through the call plan, phones_call(),
# with LOOKUP_PLAN), one SIP worker each, run under callgrind (valgrind)
# while SIPp makes CALLS calls to EXTERNAL entries (the "invite" flow of
# bench/run.sh: INVITE, 200, ACK, BYE, 200 through the proxy to a trunk)
# and CALLS calls to numbers that are no entry (the "dial" flow: a server
# dials out the trunk by the routing rule), and CALLS calls of phones to
# their Asterisk server (the "phone" flow: INVITE, 407, INVITE with
# credentials, 200, ACK, BYE, 200 to the server 127.0.0.2, a SIPp UAS),
# then, on new instances, CALLS registrations (REGISTER, 401, REGISTER
# with credentials, 200),
# under q_malloc (kamailio's default), q_malloc with mem_join=0
# (qm-nojoin: freed fragments kept apart) and TLSF (-x tlsf). Prints, per
# allocator, the instructions of receive_msg() (everything the worker does
# for the call's requests and replies) per call, and module/ceiling (and
# phones_call()/phones_route(), "plan_instr"); then
# the instructions of qm_malloc() or tlsf_malloc() themselves in it (only
# receive_msg() is counted: --toggle-collect).
#
# Deterministic where timing on a shared 2-core machine is not: the same
# run gives the same count within a fraction of a percent. It counts
# instructions, not cache misses or stalls, and leaves out the kernel.
#
#   bench/invite-cost.sh [CALLS]      (default 200; about 15 minutes;
#                                     FLOWS from the environment: some of
#                                     "invite dial phone register")
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$TOP/bench
CALLS=${1:-200}
MODDIR=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)/kamailio/modules
UAC_PORT=26170 TRUNK_PORT=26180 PHONE_PORT=26172
declare -A PORT=([ceiling]=26160 [module]=26162 [plan]=26164)
. "$BENCH/small-setup.sh"
bench_begin invite-cost valgrind

small_setup

start() { # name alloc defines...
	local n=$1 alloc=$2
	shift 2
	callgrind_start "$n" "$alloc" "$BENCH/cfg/bench.cfg" "$TOP/modules/phones" \
		-A "TRUNK_PORT=$TRUNK_PORT" "$@"
}

# receive_msg's inclusive count and the allocator's own, in the file of
# the process that received the calls
count() { # name alloc -> "receive_msg malloc"
	local f r m best=0 bestm=0
	for f in "$W"/cg-$1-$2.*; do
		r=$(callgrind_annotate --inclusive=yes "$f" 2>/dev/null |
			awk 'index($0, " ???:receive_msg ") && !done { gsub(",", "", $1); print $1; done = 1 }')
		[ -n "$r" ] && [ "$r" -gt "$best" ] || continue
		m=$(callgrind_annotate "$f" 2>/dev/null |
			awk -v a=" ???:$3 " 'index($0, a) && !done { gsub(",", "", $1); print $1; done = 1 }')
		best=$r bestm=${m:-0}
	done
	echo "$best $bestm"
}

for alloc in qm qm-nojoin tlsf; do
	[ $alloc = tlsf ] && fn=tlsf_malloc || fn=qm_malloc
	for flow in ${FLOWS:-invite dial phone register}; do
		scen=$flow inf=$W/$flow.csv from=(-p $UAC_PORT)
		[ $flow = dial ] && scen=invite
		[ $flow = phone ] && scen=phone-call inf=$W/register.csv from=(-p $PHONE_PORT -s 5551000)
		rm -f "$W"/cg-*
		start ceiling $alloc -A LOOKUP_CEILING
		start module $alloc -A LOOKUP_MODULE -A "DB_URL=\"sqlite://$W/phones.sqlite\""
		names="ceiling module"
		if [ $flow != register ]; then
			# the same calls through the call plan, phones_call()
			start plan $alloc -A LOOKUP_MODULE -A LOOKUP_PLAN \
				-A "DB_URL=\"sqlite://$W/phones.sqlite\""
			names="ceiling module plan"
		fi
		if [ $flow != register ]; then
			# the trunk, or in the phone flow the phones' server
			uas=(-i 127.0.0.1 -p $TRUNK_PORT)
			[ $flow = phone ] && uas=(-i 127.0.0.2 -p $UAC_PORT)
			(cd "$W" && exec sipp -sf "$BENCH/scenarios/trunk-uas.xml" "${uas[@]}" \
				-m $((CALLS * 3 + 10)) -timeout 600 -nostdin >uas.out 2>&1) &
			PIDS+=($!)
			sleep 0.5
		fi
		for n in $names; do
			(cd "$W" && timeout 300 sipp -sf "$BENCH/scenarios/$scen.xml" -inf "$inf" \
				-i 127.0.0.1 "${from[@]}" -m "$CALLS" -r 20 -nostdin \
				127.0.0.1:${PORT[$n]} >sipp-$n.out 2>&1) || true
			ok=$(awk '/Successful call/ { print $NF }' "$W/sipp-$n.out" | tail -1)
			[ "${ok:-0}" = "$CALLS" ] || { echo "$n ($alloc, $flow): ${ok:-0} of $CALLS calls completed" >&2; exit 1; }
		done
		stop_all
		sleep 1
		read -r cr cm < <(count ceiling $alloc $fn)
		read -r mr mm < <(count module $alloc $fn)
		awk -v fl=$flow -v a=$alloc -v f=$fn -v k=$CALLS -v cr=$cr -v cm=$cm -v mr=$mr -v mm=$mm 'BEGIN {
			printf "%s_instr\t%s\tceiling\t%d\tmodule\t%d\tratio\t%.3f\n", fl, a, cr / k, mr / k, mr / cr
			printf "%s_malloc_instr\t%s\tceiling\t%d\tmodule\t%d\t(%s)\n", fl, a, cm / k, mm / k, f }'
		if [ $flow != register ]; then
			read -r pr pm < <(count plan $alloc $fn)
			awk -v fl=$flow -v a=$alloc -v f=$fn -v k=$CALLS -v mr=$mr -v pr=$pr -v pm=$pm 'BEGIN {
				printf "%s_plan_instr\t%s\tphones_route\t%d\tphones_call\t%d\tratio\t%.3f\t(%s: %d)\n", fl, a, mr / k, pr / k, pr / mr, f, pm / k }'
		fi
	done
done
