# cfg/minimal.cfg: the least cfg the module needs (README "Your own
# kamailio.cfg"). Every call flow of the cluster through it: the tests of
# test-route (EXTERNAL and dial-out trunks, dispatcher failover, refusals),
# test-cluster (server to phone, phone to its server with failover,
# carrier DIDs over the servers with failover, probes) and test-devices
# (devices in turn and at once, busy and unavailable) run again with it.
# Sourced by run.sh.

expect_eq "cfg/minimal.cfg holds fewer than 100 lines of code" yes \
	"$(n=$(grep -cvE '^[[:space:]]*(#|$)' "$TOP/cfg/minimal.cfg");
		[ "$n" -lt 100 ] && echo yes || echo "$n")"
for minimal_test in test-route test-cluster test-devices; do
	echo "# $minimal_test through cfg/minimal.cfg"
	KAMAILIO_CFG=$TOP/cfg/minimal.cfg
	. "$TOP/tests/integration/$minimal_test.sh"
	stop_uases
	stop_kamailio
	stop_proxies
done
unset KAMAILIO_CFG minimal_test
