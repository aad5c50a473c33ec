-- VICIdial's tables that add_phone / update_phone read, as MySQL/MariaDB
-- hold them (the columns used, with VICIdial's types and defaults).
CREATE TABLE IF NOT EXISTS servers (
  server_id VARCHAR(10) NOT NULL,
  server_description VARCHAR(255),
  server_ip VARCHAR(15) NOT NULL,
  active ENUM('Y','N'),
  rebuild_conf_files ENUM('Y','N') DEFAULT 'Y',
  generate_vicidial_conf ENUM('Y','N') DEFAULT 'Y',
  active_asterisk_server ENUM('Y','N') DEFAULT 'Y',
  unique index server_id (server_id),
  index server_ip (server_ip)
) ENGINE=MyISAM;

CREATE TABLE IF NOT EXISTS vicidial_users (
  user_id INT(9) UNSIGNED AUTO_INCREMENT PRIMARY KEY NOT NULL,
  user VARCHAR(20) NOT NULL,
  pass VARCHAR(100) NOT NULL,
  full_name VARCHAR(50),
  user_level TINYINT(3) UNSIGNED DEFAULT '1',
  user_group VARCHAR(20),
  active ENUM('Y','N') DEFAULT 'Y',
  ast_admin_access ENUM('0','1') DEFAULT '0',
  ast_delete_phones ENUM('0','1') DEFAULT '1',
  vdc_agent_api_access ENUM('0','1') DEFAULT '0',
  api_allowed_functions VARCHAR(1000) DEFAULT ' ALL_FUNCTIONS ',
  pass_hash VARCHAR(500) DEFAULT '',
  failed_login_count TINYINT(3) UNSIGNED DEFAULT 0,
  last_login_date DATETIME DEFAULT '2001-01-01 00:00:01',
  last_ip VARCHAR(15) DEFAULT '',
  failed_login_attempts_today MEDIUMINT(8) UNSIGNED DEFAULT '0',
  failed_login_count_today SMALLINT(6) UNSIGNED DEFAULT '0',
  failed_last_ip_today VARCHAR(50) DEFAULT '',
  failed_last_type_today VARCHAR(20) DEFAULT '',
  unique index user (user)
) ENGINE=MyISAM;

CREATE TABLE IF NOT EXISTS vicidial_conf_templates (
  template_id VARCHAR(15) NOT NULL,
  template_name VARCHAR(50) NOT NULL,
  template_contents TEXT,
  user_group VARCHAR(20) DEFAULT '---ALL---',
  unique index (template_id)
) ENGINE=MyISAM;

-- The part of VICIdial's system_settings the API reads: use_non_latin and password hashing
-- (bcrypt, pass_cost, salt from the 16 characters of pass_key).
CREATE TABLE IF NOT EXISTS system_settings (
  pass_hash_enabled TINYINT(1) UNSIGNED DEFAULT 0,
  pass_key VARCHAR(100) DEFAULT '',
  use_non_latin ENUM('0','1') DEFAULT '0',
  pass_cost TINYINT(2) UNSIGNED DEFAULT 2
) ENGINE=MyISAM;

-- VICIdial's admin change log: the API writes a row for each change.
CREATE TABLE IF NOT EXISTS vicidial_admin_log (
  admin_log_id INT(9) UNSIGNED AUTO_INCREMENT PRIMARY KEY NOT NULL,
  event_date DATETIME NOT NULL,
  user VARCHAR(20) NOT NULL,
  ip_address VARCHAR(15) NOT NULL,
  event_section VARCHAR(30) NOT NULL,
  event_type ENUM('ADD','COPY','LOAD','RESET','MODIFY','DELETE','SEARCH','LOGIN','LOGOUT','CLEAR','OVERRIDE','EXPORT','OTHER') DEFAULT 'OTHER',
  record_id VARCHAR(50) NOT NULL,
  event_code VARCHAR(255) NOT NULL,
  event_sql TEXT,
  event_notes TEXT,
  user_group VARCHAR(20) DEFAULT '---ALL---',
  index (user),
  index (event_section),
  index (record_id)
) ENGINE=MyISAM;

-- VICIdial's API log: a row for each answer of non_agent_api.php (its API
-- log report reads them).
CREATE TABLE IF NOT EXISTS vicidial_api_log (
  api_id INT(9) UNSIGNED AUTO_INCREMENT PRIMARY KEY NOT NULL,
  user VARCHAR(20) NOT NULL,
  api_date DATETIME,
  api_script VARCHAR(10),
  function VARCHAR(20) NOT NULL,
  agent_user VARCHAR(20),
  value VARCHAR(255),
  result VARCHAR(10),
  result_reason VARCHAR(255),
  source VARCHAR(20),
  data TEXT,
  run_time VARCHAR(20) default '0',
  webserver SMALLINT(5) UNSIGNED default '0',
  api_url INT(9) UNSIGNED default '0',
  index(api_date)
) ENGINE=MyISAM;

-- VICIdial's phone aliases: one login for a phone on several servers.
CREATE TABLE IF NOT EXISTS phones_alias (
  alias_id VARCHAR(20) NOT NULL PRIMARY KEY,
  alias_name VARCHAR(50),
  logins_list VARCHAR(255),
  user_group VARCHAR(20) DEFAULT '---ALL---'
) ENGINE=MyISAM;

-- VICIdial's user groups: update_phone sees only the phones of the groups
-- in the API user's group's admin_viewable_groups (unless --ALL--).
CREATE TABLE IF NOT EXISTS vicidial_user_groups (
  user_group VARCHAR(20) NOT NULL,
  group_name VARCHAR(40) NOT NULL,
  admin_viewable_groups TEXT,
  unique index user_group (user_group)
) ENGINE=MyISAM;
