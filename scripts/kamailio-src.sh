#!/bin/sh
# Prepares the headers the module builds against: Debian's source package of
# the installed kamailio, unpacked into DIR, and DIR/kamailio.mk with
#   KAMAILIO_SRC   the unpacked tree
#   KAMAILIO_DEFS  the C defines of Debian's build of it
# The compile flags are read off the installed `kamailio -v`: the one that
# depends on the build machine (TLS_PTHREAD_MUTEX_SHARED) is asked for
# explicitly; the rest are Kamailio's defaults, as in Debian's build. The
# result is checked against the binary by `make` (tools/kamailio-version.c).
#
#   scripts/kamailio-src.sh DIR
set -eu

out=${1:?usage: kamailio-src.sh DIR}
top=$(cd "$(dirname "$0")/.." && pwd)

command -v kamailio >/dev/null || { echo "kamailio is not installed: run scripts/install-deps.sh" >&2; exit 1; }
ver=$(dpkg-query -W -f='${Version}' kamailio)
upstream=${ver#*:}
upstream=${upstream%%-*}
src=$out/kamailio-$upstream

mkdir -p "$out"
out=$(cd "$out" && pwd)
src=$out/kamailio-$upstream
if [ ! -f "$out/.source-$ver" ]; then
	rm -rf "$src" "$out"/kamailio_* "$out"/.source-*
	(cd "$out" && apt-get source -q --only-source "kamailio=$ver") >"$out/apt-source.log" 2>&1 || {
		cat "$out/apt-source.log" >&2
		echo "cannot fetch kamailio's source package $ver: is deb-src enabled? (scripts/install-deps.sh)" >&2
		exit 1
	}
	[ -f "$src/src/core/ver_defs.h" ] || { echo "unexpected source layout in $src" >&2; exit 1; }
	touch "$out/.source-$ver"
fi

flags=$(kamailio -v | sed -n 's/^flags: //p')
mutex=
case "$flags" in
*TLS_PTHREAD_MUTEX_SHARED*) mutex=LIBSSL_SET_MUTEX_SHARED=1 ;;
esac

make -s -f "$top/mk/kamailio-defs.mk" KSRC="$src" OUT="$out/kamailio.mk.tmp" \
	FLAVOUR=kamailio prefix=/usr cfg_target=/etc/kamailio/ \
	CC_EXTRA_OPTS=-DVERSION_NODATE $mutex all
printf 'KAMAILIO_SRC := %s\n' "$src" >"$out/kamailio.mk"
cat "$out/kamailio.mk.tmp" >>"$out/kamailio.mk"
rm -f "$out/kamailio.mk.tmp"
