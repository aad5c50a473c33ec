#!/bin/bash
# The Debian package: builds it (make deb), checks what it declares and
# holds, runs lintian on it, unpacks it into a scratch root (dpkg -x) and
# runs kamailio with the phones.so, the sample cfg, the schemas and sample
# data, and the memory settings of that root; the sample phone registers
# with SIPp.
#
#   tests/package/run.sh [DEB]      (DEB: build/deb/kamailio-phones-modules_*.deb,
#                                    built first, unless given)
#
# Uses the integration tests' fixed ports: run it under
# flock /tmp/phones-integration.lock, as they are. Prints
# "package: N passed, M failed"; exits non-zero on any failure.
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$TOP/build/package-test
rm -rf "$WORK"
mkdir -p "$WORK"
. "$TOP/tests/integration/lib.sh"
MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)

cleanup() { stop_kamailio; }
trap cleanup EXIT
trap 'exit 130' INT TERM

deb=${1:-}
if [ -z "$deb" ]; then
	echo "# make deb"
	if ! make -C "$TOP" --no-print-directory deb >"$WORK/make-deb.log" 2>&1; then
		tail -30 "$WORK/make-deb.log"
		fail "make deb builds the package (log: $WORK/make-deb.log)"
		echo "package: $PASSED passed, $FAILED failed"
		exit 1
	fi
	pass "make deb builds the package"
	debs=("$TOP"/build/deb/kamailio-phones-modules_*.deb)
	expect_eq "make deb leaves one kamailio-phones-modules package" 1 "${#debs[@]}"
	deb=${debs[0]}
fi
[ -f "$deb" ] || { fail "no package $deb"; echo "package: $PASSED passed, $FAILED failed"; exit 1; }
echo "# $(basename "$deb")"

# --- what it declares ---
kv=$(dpkg-query -W -f='${Version}' kamailio)
expect_eq "package name" kamailio-phones-modules "$(dpkg-deb -f "$deb" Package)"
depends=$(dpkg-deb -f "$deb" Depends)
check "Depends holds exactly the installed kamailio: kamailio (= $kv)" \
	grep -Eq "(^|, )kamailio \(= $(sed 's/[.+]/\\&/g' <<<"$kv")\)(,|$)" <<<"$depends"
check "Depends names kamailio once, with no other version" \
	test "$(grep -o 'kamailio (' <<<"$depends" | wc -l)" = 1
check "Depends has the libraries phones.so links (libpcre2-8-0)" \
	grep -q 'libpcre2-8-0' <<<"$depends"

# --- what it holds ---
dpkg-deb -c "$deb" | awk '{ print $NF }' | sed 's|^\./||' >"$WORK/contents.txt"
for f in "usr/lib/$MA/kamailio/modules/phones.so" \
	usr/share/kamailio-phones/phones-sqlite.sql \
	usr/share/kamailio-phones/phones-mysql.sql \
	usr/share/kamailio-phones/sample-phones.sql \
	usr/share/kamailio-phones/phone-routes-sqlite.sql \
	usr/share/kamailio-phones/phone-routes-mysql.sql \
	usr/share/kamailio-phones/phone-devices-sqlite.sql \
	usr/share/kamailio-phones/phone-devices-mysql.sql \
	usr/share/kamailio-phones/vicidial-sqlite.sql \
	usr/share/kamailio-phones/vicidial-mysql.sql \
	usr/share/kamailio-phones/location-sqlite.sql \
	usr/share/kamailio-phones/location-mysql.sql \
	usr/share/kamailio-phones/sample-vicidial.sql \
	usr/share/kamailio-phones/sample-routes-sqlite.sql \
	usr/share/kamailio-phones/sample-routes-mysql.sql \
	usr/share/kamailio-phones/upgrade-sqlite.sh \
	usr/share/doc/kamailio-phones-modules/README.md.gz \
	usr/share/doc/kamailio-phones-modules/copyright \
	usr/share/doc/kamailio-phones-modules/examples/kamailio.cfg \
	usr/share/doc/kamailio-phones-modules/examples/dispatcher.list \
	usr/share/doc/kamailio-phones-modules/examples/address.list \
	usr/lib/systemd/system/kamailio.service.d/kamailio-phones.conf; do
	check "holds /$f" grep -qx "$f" "$WORK/contents.txt"
done
expect_eq "holds one .so, phones.so (nothing of Kamailio's own)" \
	"usr/lib/$MA/kamailio/modules/phones.so" "$(grep '\.so$' "$WORK/contents.txt")"
expect_eq "holds nothing in /etc (kamailio's conffiles stay kamailio's)" \
	"" "$(grep '^etc/.' "$WORK/contents.txt")"

# --- lintian: no error, no warning ---
lintian "$deb" >"$WORK/lintian.txt" 2>"$WORK/lintian.err"
lrc=$?
expect_eq "lintian exits 0" 0 "$lrc"
expect_eq "lintian reports no error or warning" "" "$(grep -E '^[EW]:' "$WORK/lintian.txt")"

# --- unpacked into a scratch root ---
ROOT=$WORK/root
check "dpkg -x unpacks it" dpkg -x "$deb" "$ROOT"
check "the unpacked README is the module's" \
	sh -c "zcat '$ROOT/usr/share/doc/kamailio-phones-modules/README.md.gz' | cmp -s - '$TOP/modules/phones/README.md'"
check "the unpacked sample cfg is cfg/kamailio.cfg" \
	cmp -s "$ROOT/usr/share/doc/kamailio-phones-modules/examples/kamailio.cfg" "$TOP/cfg/kamailio.cfg"

# The drop-in runs Debian's own ExecStart with -x: it must stay the
# ExecStart of the kamailio it depends on.
# The drop-in is under /usr/lib (Debian 13 forbids files under /lib, an
# alias of /usr/lib on both); Debian 12's kamailio.service is in /lib.
dropin=$ROOT/usr/lib/systemd/system/kamailio.service.d/kamailio-phones.conf
unit_exec=$(sed -n 's/^ExecStart=\(.\)/\1/p' /usr/lib/systemd/system/kamailio.service)
expect_eq "drop-in: ExecStart is kamailio.service's with -x \$MEMORY_MANAGER" \
	"$unit_exec -x \$MEMORY_MANAGER" "$(sed -n 's/^ExecStart=\(.\)/\1/p' "$dropin")"
check "drop-in: ExecStart= is reset first" grep -qx 'ExecStart=' "$dropin"
if command -v systemd-analyze >/dev/null; then
	# kamailio.service from Debian, the drop-in from the scratch root: any
	# complaint about the drop-in is printed.
	SYSTEMD_UNIT_PATH=$ROOT/usr/lib/systemd/system:/usr/lib/systemd/system \
		systemd-analyze verify kamailio.service >"$WORK/verify.txt" 2>&1
	expect_eq "drop-in: systemd-analyze verify finds nothing to say about it" "" \
		"$(grep kamailio-phones.conf "$WORK/verify.txt")"
fi
envline=$(sed -n 's/^Environment=//p' "$dropin")
setting() { grep -o "'$1=[^']*'" <<<"$envline" | sed "s/'$1=\(.*\)'/\1/"; }
SHM=$(setting SHM_MEMORY)
PKG=$(setting PKG_MEMORY)
MM=$(setting MEMORY_MANAGER)
expect_eq "drop-in: the benchmarks' allocator, TLSF" tlsf "$MM"
readme_shm=$(sed -n 's/^| up to 100,000 | \([0-9]*\) |.*/\1/p' "$TOP/modules/phones/README.md")
check "drop-in: SHM_MEMORY ($SHM MB) is the module README's for 100,000 phones (${readme_shm:-none})" \
	test -n "$readme_shm" -a "${SHM:-0}" = "${readme_shm:-x}"
readme_pkg=$(sed -n 's/^| up to 100,000 | [0-9]* | \([0-9]*\) |.*/\1/p' "$TOP/modules/phones/README.md")
check "drop-in: PKG_MEMORY ($PKG MB) is the module README's for 100,000 phones (${readme_pkg:-none}: usrloc reads the SQLite location table back whole)" \
	test -n "$readme_pkg" -a "${PKG:-0}" = "${readme_pkg:-x}"

# --- kamailio runs the packaged module, cfg and data ---
# The database, as `make run` makes it, from the package's schemas and
# samples; the packaged sample cfg; modules from the scratch root first.
SQLITE_DB=$WORK/phones.sqlite
share=$ROOT/usr/share/kamailio-phones
cat "$share/phones-sqlite.sql" "$share/sample-phones.sql" \
	"$share/phone-routes-sqlite.sql" "$share/sample-routes-sqlite.sql" \
	"$share/phone-devices-sqlite.sql" \
	"$share/vicidial-sqlite.sql" "$share/sample-vicidial.sql" \
	"$share/location-sqlite.sql" |
	sqlite3 -bail "$SQLITE_DB" >/dev/null
check "the packaged schemas and samples make the database" test -s "$SQLITE_DB"
DB_DEFINES="-A PHONES_DB_URL=\"sqlite://$SQLITE_DB\""
KAMAILIO_CFG=$ROOT/usr/share/doc/kamailio-phones-modules/examples/kamailio.cfg
KAMAILIO_MODULE_PATH=$ROOT/usr/lib/$MA/kamailio/modules:$MODULES_DIR
KAMAILIO_SHM=$SHM
pkgso=$ROOT/usr/lib/$MA/kamailio/modules/phones.so
if check "kamailio starts with the package's module, cfg and memory settings (-m $SHM -M $PKG -x $MM)" \
	start_kamailio package -M "$PKG" -x "$MM"; then
	check "the phones.so mapped is the scratch root's" \
		grep -q "$pkgso" "/proc/$KAMAILIO_PID/maps"
	check "the start-up log counts the sample phones" \
		grep -Eq "loaded [1-9][0-9]* phone entries from table 'phones'" "$KAMAILIO_LOG"
	csv "$WORK/cc100.csv" "$(auth_line cc100 cc100-secret)"
	check "the sample phone cc100 registers: 200" \
		sipp_run cc100 register-accepted.xml "$WORK/cc100.csv" 1
	check "its contact is saved" \
		sh -c "kamcmd -s '$CTL' ul.lookup location cc100 | grep -q 'sip:cc100@127.0.0.1:$SIPP_PORT'"
	csv "$WORK/cc100-wrong.csv" "$(auth_line cc100 not-the-secret)"
	check "a wrong password is refused: a second 401" \
		sipp_run cc100-wrong register-refused.xml "$WORK/cc100-wrong.csv" 1
	expect_eq "statistic auth_accepted" 1 "$(stat auth_accepted)"
	expect_eq "statistic auth_refused_password" 1 "$(stat auth_refused_password)"
	check "kamailio is still serving" kamailio_alive
else
	tail -20 "$KAMAILIO_LOG"
fi
stop_kamailio

echo "package: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
