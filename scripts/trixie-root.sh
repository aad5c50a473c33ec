#!/bin/sh
# Makes (once) a Debian 13 "trixie" root with kamailio 6.0 and everything the
# build and the tests need, for `make test-trixie` on a Debian 12 machine.
# A root that is there already is kept (delete it to make it anew): the
# package list is the one of scripts/install-deps.sh for trixie, less the
# container tools (podman does not run nested in the root).
#
#   scripts/trixie-root.sh [DIR]     default /var/cache/kamailio-phones/trixie
set -eu

dir=${1:-/var/cache/kamailio-phones/trixie}
[ -f "$dir/.complete" ] && exit 0
[ "$(id -u)" = 0 ] || { echo "trixie-root: run as root" >&2; exit 1; }
command -v mmdebstrap >/dev/null || { echo "trixie-root: mmdebstrap is missing (scripts/install-deps.sh)" >&2; exit 1; }

pkgs="kamailio libpcre2-dev libcrypt-dev dpkg-dev gcc make build-essential debhelper \
kamailio-sqlite-modules kamailio-mysql-modules kamailio-extra-modules \
kamailio-utils-modules kamailio-tls-modules kamailio-websocket-modules \
rtpengine openssl libcmocka-dev sip-tester mariadb-server mariadb-client \
sqlite3 clang libclang-rt-dev python3 python3-yaml curl lintian \
iproute2 procps netcat-openbsd ca-certificates fakeroot"

rm -rf "$dir.new"
mkdir -p "$(dirname "$dir")"
# deb-src, and the package lists kept: scripts/kamailio-src.sh takes the
# headers from the source package (apt-get source).
mmdebstrap --variant=apt --skip=cleanup/apt/lists --include="$(echo $pkgs | tr ' ' ,)" \
	--components=main \
	--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
	--dpkgopt='path-exclude=/usr/share/man/*' \
	trixie "$dir.new" \
	"deb http://deb.debian.org/debian trixie main" \
	"deb http://deb.debian.org/debian trixie-updates main" \
	"deb http://deb.debian.org/debian-security trixie-security main" \
	"deb-src http://deb.debian.org/debian trixie main" \
	"deb-src http://deb.debian.org/debian trixie-updates main" \
	"deb-src http://deb.debian.org/debian-security trixie-security main"
touch "$dir.new/.complete"
rm -rf "$dir"
mv "$dir.new" "$dir"
