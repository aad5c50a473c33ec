-- Kamailio usrloc's registrations (the `location` table of Kamailio's own
-- schema, version 9; see location-mysql.sql), so that a proxy restarted,
-- even by kill -9, still knows every phone registered before.
CREATE TABLE IF NOT EXISTS location (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ruid VARCHAR(64) NOT NULL DEFAULT '',
  username VARCHAR(64) NOT NULL DEFAULT '',
  domain VARCHAR(64) DEFAULT NULL,
  contact VARCHAR(512) NOT NULL DEFAULT '',
  received VARCHAR(128) DEFAULT NULL,
  path VARCHAR(512) DEFAULT NULL,
  expires TIMESTAMP NOT NULL DEFAULT '2030-05-28 21:32:15',
  q REAL NOT NULL DEFAULT 1.0,
  callid VARCHAR(255) NOT NULL DEFAULT 'Default-Call-ID',
  cseq INTEGER NOT NULL DEFAULT 1,
  last_modified TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:01',
  flags INTEGER NOT NULL DEFAULT 0,
  cflags INTEGER NOT NULL DEFAULT 0,
  user_agent VARCHAR(255) NOT NULL DEFAULT '',
  socket VARCHAR(64) DEFAULT NULL,
  methods INTEGER DEFAULT NULL,
  instance VARCHAR(255) DEFAULT NULL,
  reg_id INTEGER NOT NULL DEFAULT 0,
  server_id INTEGER NOT NULL DEFAULT 0,
  connection_id INTEGER NOT NULL DEFAULT 0,
  keepalive INTEGER NOT NULL DEFAULT 0,
  partition INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS location_ruid_idx ON location (ruid);
CREATE INDEX IF NOT EXISTS location_account_contact_idx
  ON location (username, domain, contact);
CREATE INDEX IF NOT EXISTS location_expires_idx ON location (expires);
CREATE INDEX IF NOT EXISTS location_connection_idx
  ON location (server_id, connection_id);
