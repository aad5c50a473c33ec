-- Kamailio usrloc's registrations: the `location` table of Kamailio's own
-- schema (version 9, as Kamailio 5.6 and 6.0 write it), beside VICIdial's
-- tables. The proxy keeps its registrations in memory and writes them here
-- from a timer (usrloc db_mode 2, off the SIP path), and reads them back
-- at start: a proxy restarted, even by kill -9, still knows every phone
-- registered more than a timer interval before. One row per contact,
-- found by its `ruid`; `expires` is when the binding ends, `received` the
-- address a phone behind NAT sends from, `socket` the proxy's socket it
-- registered on, `path` (several proxies) the proxy it registered with.
-- The `version` table is not needed: the cfg sets usrloc's version_table 0.
CREATE TABLE IF NOT EXISTS location (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  ruid VARCHAR(64) NOT NULL DEFAULT '',
  username VARCHAR(64) NOT NULL DEFAULT '',
  domain VARCHAR(64) DEFAULT NULL,
  contact VARCHAR(512) NOT NULL DEFAULT '',
  received VARCHAR(128) DEFAULT NULL,
  path VARCHAR(512) DEFAULT NULL,
  expires DATETIME NOT NULL DEFAULT '2030-05-28 21:32:15',
  q FLOAT(10,2) NOT NULL DEFAULT 1.0,
  callid VARCHAR(255) NOT NULL DEFAULT 'Default-Call-ID',
  cseq INT NOT NULL DEFAULT 1,
  last_modified DATETIME NOT NULL DEFAULT '2000-01-01 00:00:01',
  flags INT NOT NULL DEFAULT 0,
  cflags INT NOT NULL DEFAULT 0,
  user_agent VARCHAR(255) NOT NULL DEFAULT '',
  socket VARCHAR(64) DEFAULT NULL,
  methods INT DEFAULT NULL,
  instance VARCHAR(255) DEFAULT NULL,
  reg_id INT NOT NULL DEFAULT 0,
  server_id INT NOT NULL DEFAULT 0,
  connection_id INT NOT NULL DEFAULT 0,
  keepalive INT NOT NULL DEFAULT 0,
  `partition` INT NOT NULL DEFAULT 0,
  UNIQUE KEY location_ruid_idx (ruid),
  KEY location_account_contact_idx (username, domain, contact),
  KEY location_expires_idx (expires),
  KEY location_connection_idx (server_id, connection_id)
) ENGINE=InnoDB;
