# A MariaDB server of the test suite's own, on 127.0.0.1, holding a
# VICIdial-shaped `asterisk` database: MyISAM phones table, no primary key,
# unique (extension, server_ip), protocol ENUM with PJSIP.

MARIADB_PORT=${MARIADB_PORT:-25306}
MARIADB_DIR=
MARIADB_PID=

mariadb_root() {
	mariadb --no-defaults --socket="$MARIADB_DIR/sock" -u root "$@"
}

# Starts mariadbd on the data directory and waits until it answers.
mariadb_run() {
	mariadbd --no-defaults $MARIADB_USER_OPT --datadir="$MARIADB_DIR/data" \
		--socket="$MARIADB_DIR/sock" --port="$MARIADB_PORT" \
		--bind-address=127.0.0.1 --pid-file="$MARIADB_DIR/pid" \
		--log-error="$WORK/mariadb.log" --skip-name-resolve \
		--innodb-buffer-pool-size=64M >>"$WORK/mariadb.log" 2>&1 &
	MARIADB_PID=$!
	local i
	for i in $(seq 150); do
		mariadb_root -e 'SELECT 1' >/dev/null 2>&1 && return 0
		if ! kill -0 "$MARIADB_PID" 2>/dev/null; then
			cat "$WORK/mariadb.log"
			return 1
		fi
		sleep 0.2
	done
	return 1
}

mariadb_halt() {
	if [ -n "$MARIADB_PID" ]; then
		kill "$MARIADB_PID" 2>/dev/null
		wait "$MARIADB_PID" 2>/dev/null
		MARIADB_PID=
	fi
}

# backend_query SQL: rows of a SELECT, fields joined by '|'.
backend_query() {
	mariadb_root -N -B asterisk -e "$1" | tr '\t' '|'
}

# backend_down / backend_up: the database goes away, and comes back.
backend_down() {
	mariadb_halt
}

backend_up() {
	mariadb_run
}

backend_start() {
	local user_opt=
	MARIADB_DIR=$(mktemp -d /tmp/phones-mariadb.XXXXXX)
	if [ "$(id -u)" = 0 ]; then
		chown mysql:mysql "$MARIADB_DIR"
		user_opt=--user=mysql
	fi
	mariadb-install-db --no-defaults $user_opt --datadir="$MARIADB_DIR/data" \
		--auth-root-authentication-method=socket \
		>"$WORK/mariadb-install.log" 2>&1 || {
		cat "$WORK/mariadb-install.log"
		return 1
	}
	MARIADB_USER_OPT=$user_opt
	mariadb_run || return 1
	mariadb_root <<-SQL || return 1
		CREATE DATABASE asterisk;
		CREATE USER 'cron'@'127.0.0.1' IDENTIFIED BY '1234';
		GRANT ALL ON asterisk.* TO 'cron'@'127.0.0.1';
	SQL
	mariadb_root asterisk <"$TOP/db/phones-mysql.sql" || return 1
	mariadb_root asterisk <"$TOP/db/phone-routes-mysql.sql" || return 1
	mariadb_root asterisk <"$TOP/db/phone-devices-mysql.sql" || return 1
	mariadb_root asterisk <"$TOP/db/vicidial-mysql.sql" || return 1
	mariadb_root asterisk <"$TOP/db/location-mysql.sql" || return 1
	# The module must read VICIdial's table as it is: say so if it is not.
	local shape
	shape=$(mariadb_root -N -e "SELECT engine,
		(SELECT COUNT(*) FROM information_schema.table_constraints c
		 WHERE c.table_schema = 'asterisk' AND c.table_name = 'phones'
		 AND c.constraint_type = 'PRIMARY KEY')
		FROM information_schema.tables
		WHERE table_schema = 'asterisk' AND table_name = 'phones'")
	if [ "$shape" != "$(printf 'MyISAM\t0')" ]; then
		echo "phones table is not VICIdial-shaped (engine, primary keys): $shape" >&2
		return 1
	fi
	DB_DEFINES="-A WITH_MYSQL -A PHONES_DB_URL=\"mysql://cron:1234@127.0.0.1:$MARIADB_PORT/asterisk\""
}

# backend_sql: runs the SQL on standard input. Backslashes are literal, as
# in SQLite, so that the same fixtures serve both.
backend_sql() {
	mariadb_root --init-command="SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')" asterisk
}

backend_stop() {
	mariadb_halt
	[ -n "$MARIADB_DIR" ] && rm -rf "$MARIADB_DIR"
	MARIADB_DIR=
}
