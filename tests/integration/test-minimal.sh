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
through_cfg "$TOP/cfg/minimal.cfg" cfg/minimal.cfg
