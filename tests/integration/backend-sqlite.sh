# The embedded default: VICIdial's phones table in an SQLite file.

SQLITE_DB=$WORK/phones.sqlite

backend_start() {
	rm -f "$SQLITE_DB"
	cat "$TOP/db/phones-sqlite.sql" "$TOP/db/phone-routes-sqlite.sql" \
		"$TOP/db/phone-devices-sqlite.sql" \
		"$TOP/db/vicidial-sqlite.sql" "$TOP/db/location-sqlite.sql" |
		sqlite3 -bail "$SQLITE_DB"
	# usrloc through db_sqlite: the path from /, whatever the working
	# directory (the phones module reads sqlite:///path so itself)
	DB_DEFINES="-A PHONES_DB_URL=\"sqlite://$SQLITE_DB\" -A LOCATION_DB_URL=\"sqlite:///$SQLITE_DB\""
}

# backend_sql: runs the SQL on standard input.
backend_sql() {
	sqlite3 -bail "$SQLITE_DB"
}

# backend_query SQL: rows of a SELECT, fields joined by '|'.
backend_query() {
	sqlite3 -bail "$SQLITE_DB" "$1"
}

# backend_down / backend_up: the database goes away, and comes back.
backend_down() {
	mv "$SQLITE_DB" "$SQLITE_DB.away"
}

backend_up() {
	mv "$SQLITE_DB.away" "$SQLITE_DB"
}

backend_stop() {
	:
}
