#!/bin/bash
# What `make bench` needs beyond `make test`'s packages: gnuplot for the
# chart, valgrind for the lookups' cache misses. Installs with apt-get only what is missing (root needed then).
set -eu

need=()
command -v gnuplot >/dev/null 2>&1 || need+=(gnuplot-nox)
command -v sipp >/dev/null 2>&1 || need+=(sip-tester)
command -v valgrind >/dev/null 2>&1 || need+=(valgrind)
command -v mariadbd >/dev/null 2>&1 || need+=(mariadb-server)
command -v mariadb >/dev/null 2>&1 || need+=(mariadb-client)
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
command -v ss >/dev/null 2>&1 || need+=(iproute2)
for m in auth_db permissions sqlops dialplan db_sqlite db_mysql; do
	if [ ! -e "/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)/kamailio/modules/$m.so" ]; then
		case $m in
		db_sqlite) need+=(kamailio-sqlite-modules) ;;
		db_mysql) need+=(kamailio-mysql-modules) ;;
		*) need+=(kamailio) ;;
		esac
	fi
done
[ ${#need[@]} -gt 0 ] || exit 0
if [ "$(id -u)" != 0 ]; then
	echo "bench needs these packages: ${need[*]} (run as root, or install them)" >&2
	exit 1
fi
echo "installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
	{ apt-get update >/dev/null && apt-get install -y --no-install-recommends "${need[@]}"; }
