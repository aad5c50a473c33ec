#!/bin/sh
# Installs everything the build, the proxy and the tests need on a Debian
# machine, 12 "bookworm" (kamailio 5.6) or 13 "trixie" (kamailio 6.0), and
# nothing when it is all there already. Run as root.
#
#   scripts/install-deps.sh          packages for build, run and test
#   scripts/install-deps.sh build    only those that build the module and its
#                                    Debian package (make deb; docker/Dockerfile)
#
# It also enables deb-src for the running suite (Debian ships no Kamailio
# headers; the build takes them from the source package of the installed
# kamailio).
set -eu

# The suite: package names and deb-src entries differ between releases.
suite=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
case $suite in
bookworm) CLANG_RT=libclang-rt-14-dev ;;
trixie) CLANG_RT=libclang-rt-dev ;;
*)
	echo "install-deps: Debian bookworm or trixie expected, not '$suite'" >&2
	exit 1
	;;
esac

BUILD_PKGS="kamailio libpcre2-dev libcrypt-dev dpkg-dev gcc make build-essential debhelper"
# The container test (tests/package/container.sh) builds and runs the image
# with podman (runc: crun refuses hybrid cgroup hosts; mmdebstrap: the base
# image when no registry is reachable). mmdebstrap and rsync also make and
# fill the Debian 13 root of make test-trixie (scripts/trixie-root.sh). The
# real clients' test (tests/integration/test-clients.sh): baresip, and
# chromium driven by node (SIP.js and JsSIP from npm,
# tests/clients/package-lock.json).
PKGS="$BUILD_PKGS kamailio-sqlite-modules kamailio-mysql-modules \
kamailio-extra-modules kamailio-utils-modules \
kamailio-tls-modules kamailio-websocket-modules rtpengine openssl \
libcmocka-dev sip-tester mariadb-server mariadb-client \
sqlite3 clang $CLANG_RT python3 python3-yaml curl lintian \
libcrypt-eksblowfish-perl php-cli php-mysql \
podman buildah runc mmdebstrap rsync baresip-core chromium nodejs"
case ${1:-} in
"") ;;
build) PKGS=$BUILD_PKGS ;;
*)
	echo "usage: install-deps.sh [build]" >&2
	exit 2
	;;
esac

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done

# npm: Debian's, unless the node installed brings its own (NodeSource's)
if [ -z "${1:-}" ] && ! command -v npm >/dev/null 2>&1; then
	missing="$missing npm"
fi

need_src=0
if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ \
	&& ! grep -qs '^deb-src' /etc/apt/sources.list; then
	need_src=1
fi

if [ -z "$missing" ] && [ "$need_src" = 0 ]; then
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing; run as root" >&2
	exit 1
fi

if [ "$need_src" = 1 ]; then
	cat > /etc/apt/sources.list.d/kamailio-phones-src.sources <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
if [ -n "$missing" ]; then
	# Services must not start by themselves: the tests start their own.
	printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
	chmod +x /usr/sbin/policy-rc.d
	apt-get install -y -q --no-install-recommends $missing
	rm -f /usr/sbin/policy-rc.d
fi
