#!/bin/bash
# A differential check of the API, run by hand: VICIdial's own
# non_agent_api.php (PHP) and the module's phones_api(), each on its own
# copy of one MariaDB state (VICIdial's schema, extras/
# MySQL_AST_CREATE_tables.sql, and a few servers, users and phones), the
# same requests sent to both in order, the answer lines and the tables
# (phones, phones_alias, vicidial_users' login columns, vicidial_api_log)
# compared after every request.
#
#   VICIDIAL_SRC=/path/to/vicidial tests/vicidial/differential.sh
#
# VICIDIAL_SRC is a VICIdial checkout (www/vicidial/non_agent_api.php,
# www/agc/bp.pl, extras/MySQL_AST_CREATE_tables.sql): fetched for the
# check, never committed. Its www is copied to a scratch folder, where
# dbconnect_mysqli.php and bp.pl are pointed at a astguiclient.conf of the
# check's own (not /etc's). Needs php-cli, php-mysql, mariadb-server,
# kamailio and the built module; libcrypt-eksblowfish-perl and
# libdbd-mysql-perl for hashed passwords. Says SKIP and exits 0 when
# something is missing. It binds the integration tests' ports: run it
# under their lock (flock /tmp/phones-integration.lock ...).
#
# Prints one line per request (SAME or DIFF, with both answers when they
# differ) and "N identical of M"; exits 1 when any differ.
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
skip() {
	echo "SKIP: $*"
	exit 0
}
src=${VICIDIAL_SRC:-}
[ -n "$src" ] || skip "set VICIDIAL_SRC to a VICIdial checkout"
for f in www/vicidial/non_agent_api.php www/vicidial/functions.php \
	www/vicidial/dbconnect_mysqli.php extras/MySQL_AST_CREATE_tables.sql; do
	[ -f "$src/$f" ] || skip "$src has no $f"
done
command -v php >/dev/null || skip "no php (apt-get install php-cli php-mysql)"
php -m 2>/dev/null | grep -qx mysqli || skip "php has no mysqli (php-mysql)"
for c in mariadbd mariadb-install-db kamailio kamcmd curl; do
	command -v $c >/dev/null || skip "no $c"
done
[ -f "$TOP/modules/phones/phones.so" ] || skip "the module is not built (make)"

WORK=$TOP/build/vicidial-diff
rm -rf "$WORK"
mkdir -p "$WORK"
backend=mariadb
PHP_PORT=${PHP_PORT:-25095}
. "$TOP/tests/integration/lib.sh"
. "$TOP/tests/integration/backend-mariadb.sh"
PHP_PID=
cleanup() {
	[ -n "$PHP_PID" ] && kill "$PHP_PID" 2>/dev/null
	stop_kamailio
	backend_stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM

backend_start >/dev/null || {
	echo "cannot start MariaDB" >&2
	exit 1
}
# VICIdial's install runs MariaDB without strict mode (its schema has NOT
# NULL columns without defaults that its inserts leave out)
mariadb_root -e "SET GLOBAL sql_mode = ''"
# one state, two copies: vici for PHP, asterisk (the module's) alike
state() { # DATABASE
	mariadb_root <<-SQL
		DROP DATABASE IF EXISTS $1;
		CREATE DATABASE $1;
		GRANT ALL ON $1.* TO 'cron'@'127.0.0.1';
	SQL
	mariadb_root "$1" <"$src/extras/MySQL_AST_CREATE_tables.sql" 2>"$WORK/schema-$1.log"
	# the module's own tables, beside VICIdial's
	mariadb_root "$1" <"$TOP/db/phone-routes-mysql.sql"
	mariadb_root "$1" <"$TOP/db/phone-devices-mysql.sql"
	mariadb_root --init-command="SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')" "$1" <<-'SQL'
		INSERT INTO servers (server_id, server_ip, active, active_asterisk_server, generate_vicidial_conf)
		VALUES ('ast1', '127.0.0.2', 'Y', 'Y', 'Y'), ('ast2', '127.0.0.3', 'Y', 'Y', 'Y');
		DELETE FROM vicidial_users WHERE user = '6666';
		INSERT INTO vicidial_users (user, pass, full_name, user_level, user_group, active,
		  ast_admin_access, ast_delete_phones, vdc_agent_api_access, api_allowed_functions)
		VALUES ('6666', '1234', 'Admin', 9, 'ADMIN', 'Y', '1', '1', '1', ' ALL_FUNCTIONS '),
		  ('salesadm', 'pw', 'Sales', 9, 'SALESADM', 'Y', '1', '1', '1', ' ALL_FUNCTIONS '),
		  ('nopass', '', 'No pass', 9, 'ADMIN', 'Y', '1', '1', '1', ' ALL_FUNCTIONS '),
		  ('level7', 'pw', 'Seven', 7, 'ADMIN', 'Y', '1', '1', '1', ' ALL_FUNCTIONS ');
		INSERT INTO vicidial_user_groups (user_group, group_name, admin_viewable_groups)
		VALUES ('SALESADM', 'Sales admins', ' SALES -');
		INSERT INTO phones (extension, dialplan_number, voicemail_id, server_ip, login, pass,
		  status, active, protocol, fullname, outbound_cid, conf_secret, user_group)
		VALUES ('t100', '7100', '7100', '127.0.0.2', 'l100', 'x', 'ACTIVE', 'Y', 'SIP',
		  'Phone 100', '3125550100', 'pw-t100', '---ALL---'),
		  ('t101', '7101', '7101', '127.0.0.2', 'l101', 'x', 'ACTIVE', 'Y', 'SIP',
		  'Null group', '3125550101', 'pw-t101', NULL),
		  ('CC100', '7102', '7102', '127.0.0.3', 'cc100', 'x', 'ACTIVE', 'Y', 'SIP',
		  'Upper', '3125550102', 'pw-cc100', '---ALL---');
		UPDATE system_settings SET use_non_latin = '0', pass_hash_enabled = '0';
	SQL
}
state vici
state asterisk

# VICIdial's PHP: its www copied, pointed at a conf of our own
mkdir -p "$WORK/www"
cp -a "$src/www/vicidial" "$src/www/agc" "$WORK/www/"
cat >"$WORK/astguiclient.conf" <<CONF
PATHhome => $WORK
PATHlogs => $WORK
PATHweb => $WORK/www
VARserver_ip => 127.0.0.2
VARDB_server => 127.0.0.1
VARDB_database => vici
VARDB_user => cron
VARDB_pass => 1234
VARDB_port => $MARIADB_PORT
CONF
for f in "$WORK/www/vicidial/dbconnect_mysqli.php" "$WORK/www/agc/dbconnect_mysqli.php" "$WORK/www/agc/bp.pl"; do
	[ -f "$f" ] && sed -i "s#/etc/astguiclient.conf#$WORK/astguiclient.conf#g" "$f"
done
chmod +x "$WORK/www/agc/bp.pl" 2>/dev/null
cat >"$WORK/router.php" <<'PHP'
<?php
// VICIdial reads the request's variables with getenv(), as under mod_php
foreach (array('REMOTE_ADDR', 'QUERY_STRING', 'SERVER_NAME', 'SERVER_PORT',
		'SCRIPT_NAME', 'REQUEST_URI', 'HTTP_USER_AGENT', 'REQUEST_METHOD') as $k) {
	if (isset($_SERVER[$k])) putenv("$k=" . $_SERVER[$k]);
}
if (parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) !== '/vicidial/non_agent_api.php')
	return false;
chdir(__DIR__ . '/www/vicidial');
require __DIR__ . '/www/vicidial/non_agent_api.php';
PHP
(cd "$WORK/www" && exec php -S "127.0.0.1:$PHP_PORT" "$WORK/router.php") >"$WORK/php.log" 2>&1 &
PHP_PID=$!
sleep 1

start_kamailio api || {
	echo "kamailio did not start: $KAMAILIO_LOG" >&2
	exit 1
}

# what is compared after each request, per database
tables() { # DATABASE
	mariadb_root -N -B "$1" -e "
		SELECT extension, server_ip, login, pass, conf_secret, protocol, fullname,
		  local_gmt, outbound_cid, email, active, user_group, dialplan_number,
		  voicemail_id, phone_context FROM phones ORDER BY extension, server_ip;
		SELECT alias_id, alias_name, logins_list FROM phones_alias ORDER BY alias_id;
		SELECT user, failed_login_count FROM vicidial_users ORDER BY user;
		SELECT COUNT(*), MAX(event_notes) FROM vicidial_admin_log;
		SELECT COUNT(*) FROM vicidial_api_log;
		SELECT user, function, result, result_reason, source FROM vicidial_api_log
		  ORDER BY api_id DESC LIMIT 1;"
}

AUTH="source=test&user=6666&pass=1234"
ADD="function=add_phone&dialplan_number=7701&voicemail_id=7701&phone_pass=pp701&server_ip=127.0.0.2&protocol=SIP&registration_password=secret701&phone_full_name=API+Phone&outbound_cid=3125550701"
REQUESTS=(
	"$AUTH&$ADD&extension=a701&phone_login=l701&local_gmt=-5.00"
	"$AUTH&$ADD&extension=a702&phone_login=l702&local_gmt=-5"
	"$AUTH&$ADD&extension=a703&phone_login=l703&local_gmt=-05.000"
	"$AUTH&$ADD&extension=a704&phone_login=l704&local_gmt=12.750"
	"$AUTH&$ADD&extension=a705&phone_login=l705&local_gmt=%2B3"
	"$AUTH&$ADD&extension=a706&phone_login=l706&local_gmt=1e0"
	"$AUTH&$ADD&extension=a707&phone_login=l707&local_gmt=-5.5"
	"source=test&user=6666&pass=wrong"
	"source=test&user=6666&pass=wrong&function=no_such_function"
	"$AUTH"
	"$AUTH&function=no_such_function"
	"$AUTH&$ADD&extension=a708&phone_login=l708&local_gmt=-5.00&function=add_phone%27"
	"source=test&user=salesadm&pass=pw&function=update_phone&extension=t101&server_ip=127.0.0.2&active=N"
	"source=test&user=salesadm&pass=pw&function=update_phone&extension=t101&server_ip=127.0.0.2&delete_phone=Y"
	"$AUTH&function=update_phone&extension=CC100&server_ip=127.0.0.3&phone_login=cc100"
	"$AUTH&function=update_phone&extension=cc100&server_ip=127.0.0.3&phone_login=L100"
	"source=test&user=nopass&pass=&$ADD&extension=a709&phone_login=l709&local_gmt=-5.00"
	"$AUTH&$ADD&extension=a710&phone_login=l710&local_gmt=-5.00&email=x%40example.com"
	"$AUTH&${ADD/&outbound_cid=3125550701/}&extension=e$(printf 'n%.0s' $(seq 250))&phone_login=l711&local_gmt=-5.00"
	"source=test&user=level7&pass=pw&$ADD&extension=a712&phone_login=l712&local_gmt=-5.00"
	"source=x&user=6666&pass=1234&$ADD&extension=a713&phone_login=l713&local_gmt=-5.00"
	"$AUTH&function=update_phone&extension=a701&server_ip=127.0.0.2&local_gmt=-8&phone_full_name=Renamed"
	"$AUTH&function=add_phone_alias&alias_id=al701&alias_name=Alias&phone_logins=l701,l702"
	"$AUTH&function=update_phone_alias&alias_id=al701&alias_name=Renamed"
	"$AUTH&function=update_phone&extension=a702&server_ip=127.0.0.2&delete_phone=Y"
	"POST:function=add_phone&extension=a714&phone_login=l714&local_gmt=-5.00&dialplan_number=7714&voicemail_id=7714&phone_pass=pp&server_ip=127.0.0.2&protocol=SIP&registration_password=rp714&phone_full_name=Posted&outbound_cid=3125550714&user=nobody"
	"$AUTH&$ADD&extension=$(printf 'x%.0s' $(seq 150))&phone_login=l715&local_gmt=-5.00"
	"SQL:UPDATE system_settings SET use_non_latin = '1'"
	"$AUTH&$ADD&extension=%C3%A9x781&phone_login=l716&local_gmt=-5.00&phone_full_name=J%C3%B6rg+M%C3%BCller"
	"SQL:UPDATE system_settings SET use_non_latin = '0'"
)
same=0
total=0
for q in "${REQUESTS[@]}"; do
	case $q in
	SQL:*) # a change of state, made in both copies
		mariadb_root vici -e "${q#SQL:}"
		mariadb_root asterisk -e "${q#SQL:}"
		continue
		;;
	esac
	total=$((total + 1))
	if [ "${q#POST:}" != "$q" ]; then
		# the form and the query string (user given in both: the query's)
		php_line=$(curl -s -d "${q#POST:}" "http://127.0.0.1:$PHP_PORT/vicidial/non_agent_api.php?$AUTH")
		mod_line=$(curl -s -d "${q#POST:}" "http://127.0.0.1:$HTTP_PORT/vicidial/non_agent_api.php?$AUTH")
	else
		php_line=$(curl -s "http://127.0.0.1:$PHP_PORT/vicidial/non_agent_api.php?$q")
		mod_line=$(curl -s "http://127.0.0.1:$HTTP_PORT/vicidial/non_agent_api.php?$q")
	fi
	php_tables=$(tables vici)
	mod_tables=$(tables asterisk)
	if [ "$php_line" = "$mod_line" ] && [ "$php_tables" = "$mod_tables" ]; then
		same=$((same + 1))
		echo "SAME $total: ${q:0:100}"
	else
		echo "DIFF $total: ${q:0:100}"
		[ "$php_line" = "$mod_line" ] || printf '  VICIdial: %s\n  module:   %s\n' "$php_line" "$mod_line"
		[ "$php_tables" = "$mod_tables" ] ||
			diff <(echo "$php_tables") <(echo "$mod_tables") | sed 's/^/  /' | head -20
	fi
done
echo "$same identical of $total"
[ "$same" = "$total" ]
