-- Kamailio's address table for the peer configuration's permissions
-- module, as Kamailio 5.6 ships it (utils/kamctl/db_sqlite); the version
-- table is dialplan-sqlite.sql's.
CREATE TABLE address (
    id INTEGER PRIMARY KEY NOT NULL,
    grp INTEGER DEFAULT 1 NOT NULL,
    ip_addr VARCHAR(50) NOT NULL,
    mask INTEGER DEFAULT 32 NOT NULL,
    port SMALLINT DEFAULT 0 NOT NULL,
    tag VARCHAR(64)
);
INSERT INTO version (table_name, table_version) values ('address','6');
