-- Kamailio's address table for the peer configuration's permissions
-- module, as Kamailio 5.6 ships it (utils/kamctl/mysql); the version table
-- is dialplan-mysql.sql's.
CREATE TABLE `address` (
    `id` INT(10) UNSIGNED AUTO_INCREMENT PRIMARY KEY NOT NULL,
    `grp` INT(11) UNSIGNED DEFAULT 1 NOT NULL,
    `ip_addr` VARCHAR(50) NOT NULL,
    `mask` INT DEFAULT 32 NOT NULL,
    `port` SMALLINT(5) UNSIGNED DEFAULT 0 NOT NULL,
    `tag` VARCHAR(64)
);
INSERT INTO version (table_name, table_version) values ('address','6');
