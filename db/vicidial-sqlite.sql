-- VICIdial's tables that add_phone / update_phone read, for the embedded
-- SQLite default: see vicidial-mysql.sql.
CREATE TABLE IF NOT EXISTS servers (
  server_id VARCHAR(10) NOT NULL,
  server_description VARCHAR(255),
  server_ip VARCHAR(15) NOT NULL,
  active VARCHAR(1),
  rebuild_conf_files VARCHAR(1) DEFAULT 'Y',
  generate_vicidial_conf VARCHAR(1) DEFAULT 'Y',
  active_asterisk_server VARCHAR(1) DEFAULT 'Y'
);
CREATE UNIQUE INDEX IF NOT EXISTS servers_server_id ON servers (server_id);
CREATE INDEX IF NOT EXISTS servers_server_ip ON servers (server_ip);

CREATE TABLE IF NOT EXISTS vicidial_users (
  user_id INTEGER PRIMARY KEY AUTOINCREMENT,
  user VARCHAR(20) NOT NULL,
  pass VARCHAR(100) NOT NULL,
  full_name VARCHAR(50),
  user_level INTEGER DEFAULT 1,
  user_group VARCHAR(20),
  active VARCHAR(1) DEFAULT 'Y',
  ast_admin_access VARCHAR(1) DEFAULT '0',
  ast_delete_phones VARCHAR(1) DEFAULT '1',
  vdc_agent_api_access VARCHAR(1) DEFAULT '0',
  api_allowed_functions VARCHAR(1000) DEFAULT ' ALL_FUNCTIONS ',
  pass_hash VARCHAR(500) DEFAULT '',
  failed_login_count INTEGER DEFAULT 0,
  last_login_date DATETIME DEFAULT '2001-01-01 00:00:01',
  last_ip VARCHAR(15) DEFAULT '',
  failed_login_attempts_today INTEGER DEFAULT 0,
  failed_login_count_today INTEGER DEFAULT 0,
  failed_last_ip_today VARCHAR(50) DEFAULT '',
  failed_last_type_today VARCHAR(20) DEFAULT ''
);
CREATE UNIQUE INDEX IF NOT EXISTS vicidial_users_user ON vicidial_users (user);

CREATE TABLE IF NOT EXISTS vicidial_conf_templates (
  template_id VARCHAR(15) NOT NULL,
  template_name VARCHAR(50) NOT NULL,
  template_contents TEXT,
  user_group VARCHAR(20) DEFAULT '---ALL---'
);
CREATE UNIQUE INDEX IF NOT EXISTS vicidial_conf_templates_id
  ON vicidial_conf_templates (template_id);

-- The part of VICIdial's system_settings the API reads: use_non_latin and password hashing
-- (bcrypt, pass_cost, salt from the 16 characters of pass_key).
CREATE TABLE IF NOT EXISTS system_settings (
  pass_hash_enabled INTEGER DEFAULT 0,
  pass_key VARCHAR(100) DEFAULT '',
  use_non_latin INTEGER DEFAULT 0,
  pass_cost INTEGER DEFAULT 2
);

-- VICIdial's admin change log: the API writes a row for each change.
CREATE TABLE IF NOT EXISTS vicidial_admin_log (
  admin_log_id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_date DATETIME NOT NULL,
  user VARCHAR(20) NOT NULL,
  ip_address VARCHAR(15) NOT NULL,
  event_section VARCHAR(30) NOT NULL,
  event_type VARCHAR(30) DEFAULT 'OTHER',
  record_id VARCHAR(50) NOT NULL,
  event_code VARCHAR(255) NOT NULL,
  event_sql TEXT,
  event_notes TEXT,
  user_group VARCHAR(20) DEFAULT '---ALL---'
);

-- VICIdial's API log: a row for each answer of non_agent_api.php (its API
-- log report reads them).
CREATE TABLE IF NOT EXISTS vicidial_api_log (
  api_id INTEGER PRIMARY KEY AUTOINCREMENT,
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
  run_time VARCHAR(20) DEFAULT '0',
  webserver INTEGER DEFAULT 0,
  api_url INTEGER DEFAULT 0
);
CREATE INDEX IF NOT EXISTS vicidial_api_log_date ON vicidial_api_log (api_date);

-- VICIdial's phone aliases: one login for a phone on several servers.
CREATE TABLE IF NOT EXISTS phones_alias (
  alias_id VARCHAR(20) NOT NULL PRIMARY KEY,
  alias_name VARCHAR(50),
  logins_list VARCHAR(255),
  user_group VARCHAR(20) DEFAULT '---ALL---'
);

-- VICIdial's user groups: update_phone sees only the phones of the groups
-- in the API user's group's admin_viewable_groups (unless --ALL--).
CREATE TABLE IF NOT EXISTS vicidial_user_groups (
  user_group VARCHAR(20) NOT NULL PRIMARY KEY,
  group_name VARCHAR(40) NOT NULL,
  admin_viewable_groups TEXT
);
