#!/bin/bash
# What the shipped configuration costs a SIP worker per call, counted in
# instructions (callgrind): cfg/kamailio.cfg itself (not bench.cfg's
# minimal routing), with the module, one SIP worker, TLSF, while SIPp plays
# an Asterisk server placing CALLS calls to EXTERNAL entries out the trunk
# (INVITE, 200, ACK, BYE, 200: the dialer's flow). Give it several cfg
# files to compare them in one run (the first is the reference), e.g. the
# cfg of an older commit:
#
#   git show HEAD~3:cfg/kamailio.cfg >/tmp/old.cfg
#   bench/cfg-cost.sh [CALLS] [CFG...]     (defaults: 200, cfg/kamailio.cfg)
#
# Prints per cfg the instructions of receive_msg() (everything the worker
# does for the call's requests and replies) per call, and its ratio to the
# first cfg. Deterministic within a fraction of a percent, whatever else
# runs on the machine; counts instructions, not cache misses or the kernel.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$TOP/bench
CALLS=${1:-200}
shift || true
CFGS=("$@")
[ ${#CFGS[@]} -gt 0 ] || CFGS=("$TOP/cfg/kamailio.cfg")
MODDIR=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)/kamailio/modules
UAC_PORT=26270 TRUNK_PORT=26280 PORT=26260 HTTP_PORT=26290
. "$BENCH/small-setup.sh"
bench_begin cfg-cost valgrind

small_setup
# SIPp on 127.0.0.1 plays the Asterisk server: trusted as one (group 1)
echo "1 127.0.0.1 32 $UAC_PORT bench" >"$W/address.list"
: >"$W/dispatcher.list"

ref=
for i in "${!CFGS[@]}"; do
	cfg=${CFGS[$i]}
	rm -f "$W"/cg.*
	valgrind -q --tool=callgrind --trace-children=yes --toggle-collect=receive_msg \
		--callgrind-out-file="$W/cg.%p" \
		kamailio -DD -E -m 256 -M 32 -x tlsf -f "$cfg" -L "$TOP/modules/phones:$MODDIR" \
		-A "LISTEN=udp:127.0.0.1:$PORT" -A "CTL_SOCKET=\"unix:$W/ctl\"" -A CHILDREN=1 \
		-A "HTTP_LISTEN=tcp:127.0.0.1:$HTTP_PORT" -A "DS_LIST=\"$W/dispatcher.list\"" \
		-A "ADDRESS_LIST=\"$W/address.list\"" -A "PHONES_DB_URL=\"sqlite://$W/phones.sqlite\"" \
		-A RELOAD_INTERVAL=0 -A PEER_STATUS_INTERVAL=0 -A NO_KEEPALIVE \
		>"$W/kamailio-$i.log" 2>&1 &
	PIDS+=($!)
	wait_ctl "$cfg" "unix:$W/ctl" "$W/kamailio-$i.log" 600
	(cd "$W" && exec sipp -sf "$BENCH/scenarios/trunk-uas.xml" -i 127.0.0.1 \
		-p $TRUNK_PORT -m "$CALLS" -timeout 600 -nostdin >uas.out 2>&1) &
	PIDS+=($!)
	sleep 0.5
	(cd "$W" && timeout 300 sipp -sf "$BENCH/scenarios/invite.xml" -inf "$W/invite.csv" \
		-i 127.0.0.1 -p $UAC_PORT -m "$CALLS" -r 20 -nostdin \
		127.0.0.1:$PORT >sipp.out 2>&1) || true
	ok=$(awk '/Successful call/ { print $NF }' "$W/sipp.out" | tail -1)
	[ "${ok:-0}" = "$CALLS" ] || { echo "$cfg: ${ok:-0} of $CALLS calls completed" >&2; exit 1; }
	stop_all
	sleep 1
	best=0
	for f in "$W"/cg.*; do
		r=$(callgrind_annotate --inclusive=yes "$f" 2>/dev/null |
			awk 'index($0, " ???:receive_msg ") && !done { gsub(",", "", $1); print $1; done = 1 }')
		[ -n "$r" ] && [ "$r" -gt "$best" ] && best=$r
	done
	[ -n "$ref" ] || ref=$best
	awk -v c="$cfg" -v b=$best -v r=$ref -v k=$CALLS \
		'BEGIN { printf "cfg_invite_instr\t%s\t%d\tratio\t%.3f\n", c, b / k, b / r }'
done
