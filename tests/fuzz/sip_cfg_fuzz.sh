#!/bin/sh
# Runs tests/fuzz/sip_cfg_fuzz.py (the black-box fuzzer of cfg/kamailio.cfg)
# in a network namespace of its own when this machine allows one: there
# only the loopback interface exists, so that nothing the fuzzer makes the
# proxy send can leave the machine, and its ports cannot collide with
# anybody's (the integration tests', another kamailio's). Without a
# namespace it runs on the host's loopback, on its own ports. Used by
# mk/fuzz.mk; arguments go to the script:
#
#   tests/fuzz/sip_cfg_fuzz.sh SECONDS [--seed N] [--count N] [--cfg FILE]
#   tests/fuzz/sip_cfg_fuzz.sh --replay build/fuzz/artifacts/sip_cfg_fuzz-...msg
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
script=$(cd "$(dirname "$0")" && pwd)/sip_cfg_fuzz.py
py=${PYTHON:-python3}

if [ "${SIP_CFG_FUZZ_NETNS:-1}" = 1 ]; then
	# as root a new network namespace; otherwise one in a user namespace
	for how in "-n" "-r -n"; do
		# shellcheck disable=SC2086
		if unshare $how true 2>/dev/null; then
			# shellcheck disable=SC2086
			exec unshare $how "$py" "$script" "$@"
		fi
	done
fi
exec "$py" "$script" "$@"
