#!/bin/bash
# The tests against Debian 13's kamailio 6.0, run on a Debian 12 machine:
# in a Debian 13 root (scripts/trixie-root.sh, made once and kept under
# /var/cache/kamailio-phones/trixie), with a copy of this tree at
# /kamailio-phones in it (its own build/, kept between runs), entered with
# its own network and mount namespaces: its loopback (127.0.0.0/8, brought
# up here) is its own, so its tests never meet the fixed ports of the host's
# (no /tmp/phones-integration.lock needed), and it needs no network.
#
#   tests/trixie/run.sh [STEP]...   STEP: unit sqlite mariadb package
#                                   (default: all four)
#   TRIXIE_TESTS="test-tls test-api" tests/trixie/run.sh sqlite
#                                   (only those integration test files)
#
# Kamailio's source package is fetched (apt-get source, the only step that
# needs the network) before the namespaces are entered. Each step prints
# "trixie STEP: N passed, M failed"; the run exits non-zero on any failure.
# Not run in the root: the sanitizer and fuzz runs (the core is the same C
# whatever the Kamailio, and the host runs them) and the container test
# (podman does not run inside the chroot).
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
ROOT=${TRIXIE_ROOT:-/var/cache/kamailio-phones/trixie}
SRC=/kamailio-phones
STEPS=("$@")
[ ${#STEPS[@]} -gt 0 ] || STEPS=(unit sqlite mariadb package)
for s in "${STEPS[@]}"; do
	case $s in
	unit | sqlite | mariadb | package) ;;
	*)
		echo "usage: tests/trixie/run.sh [unit|sqlite|mariadb|package]..." >&2
		exit 2
		;;
	esac
done

case $(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}") in
bookworm) ;;
*)
	# On Debian 13 itself, make test's own run is the Debian 13 one.
	echo "trixie: skipped: this machine is not Debian 12"
	exit 0
	;;
esac
"$TOP/scripts/trixie-root.sh" "$ROOT" || exit 1

# The tree as git sees it (committed or not, less what .gitignore leaves
# out), so the root builds exactly what the host does.
mkdir -p "$ROOT$SRC"
if ! (cd "$TOP" && git ls-files -z -c -o --exclude-standard 2>/dev/null |
	rsync -a --from0 --files-from=- ./ "$ROOT$SRC/"); then
	echo "trixie: cannot copy the tree into $ROOT$SRC" >&2
	exit 1
fi

in_root() {
	chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 TERM=dumb "$@"
}

# Kamailio's headers: the source package of the root's kamailio.
echo "# trixie: $(in_root dpkg-query -W -f='kamailio ${Version}' kamailio)"
if ! in_root make -C "$SRC" --no-print-directory -s DEPS=build \
	build/kamailio/kamailio.mk; then
	echo "trixie: cannot fetch kamailio's source package into the root" >&2
	exit 1
fi

LOGS=$ROOT$SRC/build/trixie
mkdir -p "$LOGS"
# One namespace for all the steps: the root's /dev, /proc, /sys and a
# fresh /tmp and /run mounted in it, gone with it.
unshare -n -m --propagation private -- /bin/bash -s "$ROOT" "$SRC" "${TRIXIE_TESTS:-}" "${STEPS[@]}" <<'INNER'
set -u
ROOT=$1 SRC=$2 TESTS=$3
shift 3
mount --rbind /dev "$ROOT/dev"
mount -t proc proc "$ROOT/proc"
mount -t sysfs sysfs "$ROOT/sys"
mount -t tmpfs tmpfs "$ROOT/tmp"
mount -t tmpfs tmpfs "$ROOT/run"
ip link set lo up
rc=0
for step in "$@"; do
	case $step in
	unit) cmd="make --no-print-directory DEPS=build unit" ;;
	sqlite | mariadb)
		cmd="make --no-print-directory DEPS=build modules/phones/phones.so && tests/integration/run.sh $step $TESTS"
		;;
	package) cmd="make --no-print-directory DEPS=build modules/phones/phones.so && tests/package/run.sh" ;;
	esac
	log=$SRC/build/trixie/$step.log
	start=$(date +%s)
	# DEPS=build for the makes the tests run themselves (make deb): the
	# root has what builds and tests, not the container tools of make deps.
	chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 TERM=dumb DEPS=build \
		/bin/bash -c "cd $SRC && $cmd" >"$ROOT$log" 2>&1
	st=$?
	secs=$(($(date +%s) - start))
	if [ "$step" = unit ]; then
		# One cmocka binary after the other: "[  PASSED  ] N test(s)."
		passed=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$ROOT$log" | awk '{n += $1} END {print n + 0}')
		failed=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$ROOT$log" | awk '{n += $1} END {print n + 0}')
	else
		line=$(grep -E "^$step: [0-9]+ passed, [0-9]+ failed" "$ROOT$log" | tail -1)
		passed=$(sed -n 's/^[a-z]*: \([0-9]*\) passed.*/\1/p' <<<"$line")
		failed=$(sed -n 's/.*passed, \([0-9]*\) failed.*/\1/p' <<<"$line")
	fi
	if [ "$st" != 0 ] && [ "${failed:-0}" = 0 ]; then
		failed=1
		echo "trixie $step: exited $st (log: $ROOT$log)"
		tail -20 "$ROOT$log"
	elif [ "$st" != 0 ]; then
		grep -E '^FAIL' "$ROOT$log" | head -40
	fi
	echo "trixie $step: ${passed:-0} passed, ${failed:-0} failed (${secs}s, log: $ROOT$log)"
	[ "$st" = 0 ] || rc=1
done
exit $rc
INNER
