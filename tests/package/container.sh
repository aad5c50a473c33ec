#!/bin/bash
# The container image: docker/Dockerfile built with podman (the package from
# make deb inside it, installed into Debian's kamailio) and run with the
# image's own entrypoint; the sample phone registers through it with SIPp.
#
#   tests/package/container.sh
#   DEBIAN_RELEASE=trixie tests/package/container.sh   (Debian 13, kamailio 6.0)
#
# Skipped, saying why, where podman is missing or cannot run a container
# here. The image's base, debian:$DEBIAN_RELEASE (bookworm unless given), is
# pulled, or where no registry is reachable built once with mmdebstrap from
# Debian's archive and kept as localhost/kamailio-phones-base:RELEASE. The
# container shares the host's network (all traffic on 127.0.0.1) and
# listens on the integration tests' port: run it under
# flock /tmp/phones-integration.lock, as they are.
# Prints "container: N passed, M failed"; exits non-zero on any failure.
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$TOP/build/container-test
rm -rf "$WORK"
mkdir -p "$WORK"
. "$TOP/tests/integration/lib.sh"

RELEASE=${DEBIAN_RELEASE:-bookworm}
IMAGE=localhost/kamailio-phones-test
[ "$RELEASE" = bookworm ] || IMAGE=$IMAGE-$RELEASE
NAME=kamailio-phones-test-$$
LOCAL_BASE=localhost/kamailio-phones-base:$RELEASE
# podman 5 (Debian 13's) warns on stderr on every command on a cgroup v1
# host, which would end up in the outputs compared below.
export PODMAN_IGNORE_CGROUPSV1_WARNING=1

skip() {
	echo "SKIP container image: $*"
	echo "container: skipped"
	exit 0
}

command -v podman >/dev/null || skip "podman is not installed (scripts/install-deps.sh installs it)"

# --- the base image ---
if podman image exists docker.io/library/debian:$RELEASE; then
	BASE=docker.io/library/debian:$RELEASE
elif timeout 120 podman pull -q docker.io/library/debian:$RELEASE >"$WORK/pull.log" 2>&1; then
	BASE=docker.io/library/debian:$RELEASE
elif podman image exists "$LOCAL_BASE"; then
	BASE=$LOCAL_BASE
elif command -v mmdebstrap >/dev/null; then
	echo "# debian:$RELEASE cannot be pulled ($(tail -1 "$WORK/pull.log")): building $LOCAL_BASE with mmdebstrap"
	if ! mmdebstrap --variant=minbase $RELEASE "$WORK/base.tar" \
		"deb http://deb.debian.org/debian $RELEASE main" \
		"deb http://deb.debian.org/debian $RELEASE-updates main" \
		"deb http://deb.debian.org/debian-security $RELEASE-security main" \
		>"$WORK/mmdebstrap.log" 2>&1; then
		tail -5 "$WORK/mmdebstrap.log"
		skip "debian:$RELEASE cannot be pulled and mmdebstrap failed (log: $WORK/mmdebstrap.log)"
	fi
	podman import -q "$WORK/base.tar" "$LOCAL_BASE" >/dev/null || skip "podman import of the base image failed"
	rm -f "$WORK/base.tar"
	BASE=$LOCAL_BASE
else
	skip "debian:$RELEASE cannot be pulled ($(tail -1 "$WORK/pull.log")) and mmdebstrap is not installed to build it"
fi
echo "# base image $BASE"

# --- can a container run here? ---
# podman's defaults first; else runc (crun refuses hosts with cgroup v1 and
# v2 controllers mixed) with resource limits no higher than this shell's
# (podman's own defaults need CAP_SYS_RESOURCE to raise them).
OPTS=()
if ! podman run --rm --network host "$BASE" true >"$WORK/probe.log" 2>&1; then
	nofile=$(ulimit -Hn)
	OPTS=(--runtime runc --ulimit "nofile=$nofile:$nofile" --ulimit nproc=4096:4096)
	if ! command -v runc >/dev/null ||
		! podman run --rm --network host "${OPTS[@]}" "$BASE" true >>"$WORK/probe.log" 2>&1; then
		skip "podman cannot run a container on this machine: $(grep -m1 Error "$WORK/probe.log")"
	fi
fi
echo "# podman run options: ${OPTS[*]:-(defaults)}"

cleanup() {
	podman rm -f "$NAME" >/dev/null 2>&1
	[ "$(type -t backend_stop)" != function ] || backend_stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- build ---
# The build stage is tagged too ($IMAGE-build), so that the images of the
# previous run, which a rebuild leaves untagged (about 1 GB each), are
# known and removed; the cached layers they share with the new ones stay.
echo "# podman build -f docker/Dockerfile (log: $WORK/build.log)"
old_ids=$(podman image inspect -f '{{.Id}}' "$IMAGE" "$IMAGE-build" 2>/dev/null)
start=$(date +%s)
build() {
	podman build "${OPTS[@]}" --network host --build-arg "BASE=$BASE" \
		--build-arg "DEBIAN_RELEASE=$RELEASE" \
		-f "$TOP/docker/Dockerfile" "$@" "$TOP" >>"$WORK/build.log" 2>&1
}
if ! build --target build -t "$IMAGE-build" || ! build -t "$IMAGE"; then
	tail -30 "$WORK/build.log"
	fail "the image builds"
	echo "container: $PASSED passed, $FAILED failed"
	exit 1
fi
pass "the image builds ($(($(date +%s) - start)) s)"
new_ids=$(podman image inspect -f '{{.Id}}' "$IMAGE" "$IMAGE-build" 2>/dev/null)
for id in $old_ids; do
	grep -qx "$id" <<<"$new_ids" || podman rmi "$id" >/dev/null 2>&1
done

# --- what is in it ---
in_image() { podman run --rm "${OPTS[@]}" --network host --entrypoint "$1" "$IMAGE" "${@:2}"; }
kv=$(in_image dpkg-query -W -f='${Version}' kamailio)
expect_eq "phones.so belongs to the package" \
	"kamailio-phones-modules: /usr/lib/x86_64-linux-gnu/kamailio/modules/phones.so" \
	"$(in_image dpkg -S /usr/lib/x86_64-linux-gnu/kamailio/modules/phones.so 2>&1)"
check "the package's Depends is the image's kamailio ($kv)" \
	sh -c "podman run --rm ${OPTS[*]} --network host --entrypoint dpkg-query '$IMAGE' -W -f='\${Depends}' kamailio-phones-modules | grep -Fq 'kamailio (= $kv)'"
expect_eq "nothing built in place: no compiler in the image" "" \
	"$(in_image sh -c 'command -v cc gcc make' 2>/dev/null)"

# The entrypoint, run as the image has it, but for its socket: the
# container shares the host's network, so it listens on the test port
# instead of 0.0.0.0:5060, and HTTP on the test's port.
podman image inspect --format '{{json .Config.Entrypoint}}' "$IMAGE" >"$WORK/entrypoint.json"
mapfile -t ep < <(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))))' "$WORK/entrypoint.json")
ep_text=" ${ep[*]} "
check "the entrypoint runs TLSF (-x tlsf)" grep -q -- ' -x tlsf ' <<<"$ep_text"
dropin=$TOP/debian/systemd/kamailio-phones.conf
shm=$(grep -o "'SHM_MEMORY=[0-9]*'" "$dropin" | tr -dc 0-9)
pkg=$(grep -o "'PKG_MEMORY=[0-9]*'" "$dropin" | tr -dc 0-9)
check "the entrypoint sizes memory as the package's drop-in (-m ${shm:-?} -M ${pkg:-?})" \
	grep -q -- " -m ${shm:-x} -M ${pkg:-x} " <<<"$ep_text"
check "the entrypoint runs /etc/kamailio/kamailio.cfg" grep -q -- ' -f /etc/kamailio/kamailio.cfg ' <<<"$ep_text"
args=()
for a in "${ep[@]:1}"; do
	case $a in
	LISTEN=*) a=LISTEN=udp:127.0.0.1:$KAMAILIO_PORT ;;
	TCP_LISTEN=*) a=TCP_LISTEN=tcp:127.0.0.1:$KAMAILIO_PORT ;;
	esac
	args+=("$a")
done
args+=(-A "HTTP_LISTEN=tcp:127.0.0.1:$HTTP_PORT")

# run_proxy LABEL [more args]: the container, with the entrypoint as
# above and the args appended (as compose's command is); the sample phone
# registers through it.
run_proxy() {
	local label=$1 up= i
	shift
	podman rm -f "$NAME" >/dev/null 2>&1
	if ! podman run -d --name "$NAME" "${OPTS[@]}" --network host \
		--entrypoint "${ep[0]}" "$IMAGE" "${args[@]}" "$@" >"$WORK/run-$label.log" 2>&1; then
		cat "$WORK/run-$label.log"
		fail "$label: the container starts"
		return
	fi
	for i in $(seq 100); do
		if podman exec "$NAME" kamcmd -s unix:/run/kamailio/kamailio_ctl core.uptime >/dev/null 2>&1; then
			up=1
			break
		fi
		[ "$(podman inspect -f '{{.State.Running}}' "$NAME" 2>/dev/null)" = true ] || break
		sleep 0.2
	done
	podman logs "$NAME" >"$WORK/kamailio-$label.log" 2>&1
	if check "$label: kamailio runs in the container and answers kamcmd" test -n "$up"; then
		check "$label: it loaded the sample phones" \
			grep -Eq "loaded [1-9][0-9]* phone entries from table 'phones'" "$WORK/kamailio-$label.log"
		check "$label: it runs as the kamailio user" \
			sh -c "podman top '$NAME' user | grep -qx kamailio"
		csv "$WORK/cc100.csv" "$(auth_line cc100 cc100-secret)"
		check "$label: the sample phone cc100 registers through the container: 200" \
			sipp_run "cc100-$label" register-accepted.xml "$WORK/cc100.csv" 1
		check "$label: its contact is in the container's location table" \
			sh -c "podman exec '$NAME' kamcmd -s unix:/run/kamailio/kamailio_ctl ul.lookup location cc100 | grep -q 'sip:cc100@127.0.0.1:$SIPP_PORT'"
		csv "$WORK/wrong.csv" "$(auth_line cc100 not-the-secret)"
		check "$label: a wrong password is refused: a second 401" \
			sipp_run "wrong-$label" register-refused.xml "$WORK/wrong.csv" 1
		if [ -n "${EXTRA_PHONE:-}" ]; then
			csv "$WORK/extra.csv" "$(auth_line $EXTRA_PHONE)"
			check "$label: ${EXTRA_PHONE%% *}, a phone only this database has, registers: 200" \
				sipp_run "extra-$label" register-accepted.xml "$WORK/extra.csv" 1
		fi
	else
		tail -20 "$WORK/kamailio-$label.log"
	fi
	podman logs "$NAME" >"$WORK/kamailio-$label.log" 2>&1
	podman rm -f "$NAME" >/dev/null 2>&1
}

# The image's own SQLite database, made from the package's samples.
run_proxy sqlite

# --- as compose.yml runs it, with MariaDB ---
# No mariadb image and no compose here: a MariaDB of the test's own on
# 127.0.0.1 (the integration tests' backend) gets compose's init scripts,
# in their order, into a database of their own, and the container gets
# compose's command for the proxy, its URL pointing there.
if ! python3 -c 'import yaml' 2>/dev/null; then
	fail "compose: python3-yaml reads docker/compose.yml (scripts/install-deps.sh installs it)"
else
	python3 - "$TOP/docker/compose.yml" >"$WORK/compose.txt" <<'PY'
import re, sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
env = lambda v: re.sub(r'\$\{[A-Z_]+:-([^}]*)\}', r'\1', v)
inits = sorted((v.split(':')[1], v.split(':')[0])
               for v in c['services']['vicidial-db']['volumes']
               if '/docker-entrypoint-initdb.d/' in v)
for target, source in inits:
    print('init', source)
for a in c['services']['proxy']['command']:
    print('arg', env(a))
PY
	. "$TOP/tests/integration/backend-mariadb.sh"
	if ! backend_start >"$WORK/mariadb-start.log" 2>&1; then
		cat "$WORK/mariadb-start.log"
		fail "compose: the test's MariaDB starts"
	else
		mariadb_root -e "CREATE DATABASE compose; GRANT ALL ON compose.* TO 'cron'@'127.0.0.1';"
		ok=1
		while read -r kind value; do
			[ "$kind" = init ] || continue
			mariadb_root compose <"$TOP/docker/$value" || { ok=; echo "init script $value failed"; }
		done <"$WORK/compose.txt"
		check "compose: its init scripts make the database" test -n "$ok"
		# A phone only this database has: it registers only if the
		# container reads it.
		mariadb_root compose -e "INSERT INTO phones (extension, dialplan_number,
			server_ip, active, protocol, conf_secret) VALUES
			('compose1', '8901', '127.0.0.2', 'Y', 'SIP', 'compose1-secret')"
		cargs=()
		while read -r kind value; do
			[ "$kind" = arg ] || continue
			cargs+=("${value//@vicidial-db\/asterisk/@127.0.0.1:$MARIADB_PORT/compose}")
		done <"$WORK/compose.txt"
		check "compose: the proxy's command reads MariaDB (WITH_MYSQL, a mysql:// URL)" \
			grep -q 'WITH_MYSQL.*PHONES_DB_URL="mysql://' <<<"${cargs[*]}"
		EXTRA_PHONE="compose1 compose1-secret" run_proxy mariadb "${cargs[@]}"
	fi
fi

echo "container: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
