#!/bin/sh
# Installs everything the build, the proxy and the tests need on a Debian
# bookworm machine, and nothing when it is all there already. Run as root.
#
#   scripts/install-deps.sh          packages for build, run and test
#   scripts/install-deps.sh build    only those that build the module and its
#                                    Debian package (make deb; docker/Dockerfile)
#
# It also enables deb-src for bookworm (Debian ships no Kamailio headers; the
# build takes them from the source package of the installed kamailio).
set -eu

BUILD_PKGS="kamailio libpcre2-dev libcrypt-dev dpkg-dev gcc make build-essential debhelper"
# The container test (tests/package/container.sh) builds and runs the image
# with podman (runc: crun refuses hybrid cgroup hosts; mmdebstrap: the base
# image when no registry is reachable).
PKGS="$BUILD_PKGS kamailio-sqlite-modules kamailio-mysql-modules \
kamailio-extra-modules kamailio-utils-modules \
kamailio-tls-modules kamailio-websocket-modules rtpengine openssl \
libcmocka-dev sip-tester mariadb-server mariadb-client \
sqlite3 clang libclang-rt-14-dev python3 python3-yaml curl lintian \
libcrypt-eksblowfish-perl php-cli php-mysql \
podman buildah runc mmdebstrap"
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
	cat > /etc/apt/sources.list.d/kamailio-phones-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
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
