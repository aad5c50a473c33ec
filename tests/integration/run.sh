#!/bin/bash
# Integration tests: the real kamailio with the built module, a real database
# and SIPp, all on 127.0.0.1, started and stopped here.
#
#   tests/integration/run.sh sqlite|mariadb [test-file|test-name...]
#
# Runs every tests/integration/test-*.sh (or those named) against the
# backend, then prints "BACKEND: N passed, M failed"; exits non-zero on any
# failure.
set -u

backend=${1:?usage: run.sh sqlite|mariadb [test-file...]}
shift
TOP=$(cd "$(dirname "$0")/../.." && pwd)
# A test is named by its file, or by its name alone (test-api); a name
# that is no test is an error, not a run of nothing.
tests=()
for t in "$@"; do
	for f in "$t" "$TOP/tests/integration/$t" "$TOP/tests/integration/$t.sh"; do
		[ -f "$f" ] && break
	done
	if [ ! -f "$f" ]; then
		echo "no test $t (tests/integration/test-*.sh)" >&2
		exit 2
	fi
	tests+=("$f")
done
[ ${#tests[@]} -gt 0 ] || tests=("$TOP"/tests/integration/test-*.sh)
# INTEGRATION_WORK: another scratch folder, for a second run at once (in a
# network namespace of its own: the tests' ports are fixed)
WORK=${INTEGRATION_WORK:-$TOP/build/integration/$backend}
rm -rf "$WORK"
mkdir -p "$WORK"

. "$TOP/tests/integration/lib.sh"
case $backend in
sqlite | mariadb) . "$TOP/tests/integration/backend-$backend.sh" ;;
*)
	echo "unknown backend $backend" >&2
	exit 2
	;;
esac

cleanup() {
	stop_phones
	stop_rtpengine
	stop_uases
	stop_kamailio
	stop_proxies
	backend_stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! backend_start; then
	echo "cannot start the $backend backend" >&2
	exit 1
fi

# The phones every test file starts from: one of each case, and
# LOAD_USERS phones for load (load001.., password secret-001..).
LOAD_USERS=100
backend_sql <"$TOP/tests/integration/fixtures/phones.sql"
backend_sql <"$TOP/tests/integration/fixtures/routes.sql"
backend_sql <"$TOP/tests/integration/fixtures/vicidial.sql"
for i in $(seq -w 1 $LOAD_USERS); do
	echo "INSERT INTO phones (extension, dialplan_number, server_ip, active,"
	echo " protocol, conf_secret) VALUES ('load$i', '55$i', '127.0.0.2', 'Y',"
	echo " 'SIP', 'secret-$i');"
done | backend_sql

for t in "${tests[@]}"; do
	echo "# $(basename "$t") on $backend"
	. "$t"
	stop_uases
	stop_kamailio
	stop_proxies
done

echo "$backend: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
