#!/bin/sh
# Adds to an existing SQLite database the columns of VICIdial's tables that
# db/*-sqlite.sql gained after it was made (SQLite's CREATE TABLE IF NOT
# EXISTS leaves an existing table as it is). Each column only where it is
# missing; rows keep their values and get the column's default.
# Usage: db/upgrade-sqlite.sh DATABASE
set -eu
db=$1

add() { # table column definition
	if ! sqlite3 "$db" "SELECT $2 FROM $1 LIMIT 0" >/dev/null 2>&1; then
		sqlite3 -bail "$db" "ALTER TABLE $1 ADD COLUMN $2 $3"
		echo "$db: added $1.$2"
	fi
}

add phones install_directory "VARCHAR(100) DEFAULT '/usr/local/perl_TK'"
add phones delete_vm_after_email "VARCHAR(1) DEFAULT 'N'"
add phones outbound_alt_cid "VARCHAR(20) DEFAULT ''"
add phones ping_time "SMALLINT DEFAULT NULL"
sqlite3 -bail "$db" "PRAGMA journal_mode=WAL" >/dev/null
sqlite3 -bail "$db" "CREATE INDEX IF NOT EXISTS phones_login ON phones (login)"
add vicidial_users last_ip "VARCHAR(15) DEFAULT ''"
add vicidial_users failed_login_attempts_today "INTEGER DEFAULT 0"
add vicidial_users failed_login_count_today "INTEGER DEFAULT 0"
add vicidial_users failed_last_ip_today "VARCHAR(50) DEFAULT ''"
add vicidial_users failed_last_type_today "VARCHAR(20) DEFAULT ''"
# The sample trunk moved from 127.0.0.1:5080 to 127.0.0.5:5060: a carrier is
# known by its address, and 127.0.0.1 is where phones on the proxy's own
# machine register from. Only the sample's own rule, unchanged, is moved.
moved=$(sqlite3 -bail "$db" "UPDATE phone_routes SET trunk = 'sip:127.0.0.5:5060'
	WHERE trunk = 'sip:127.0.0.1:5080'
	AND description = 'North America: 9 + 1NXXNXXXXXX, the 9 stripped';
	SELECT changes()" 2>/dev/null || echo 0)
[ "$moved" = 0 ] || echo "$db: the sample trunk moved to 127.0.0.5:5060"
