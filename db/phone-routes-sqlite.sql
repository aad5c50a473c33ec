-- kamailio-phones' routing rules for EXTERNAL entries: see
-- phone-routes-mysql.sql for what each column means.
CREATE TABLE IF NOT EXISTS phone_routes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  priority INTEGER NOT NULL DEFAULT 0,
  match_exp VARCHAR(255) NOT NULL,
  repl_exp VARCHAR(64) NOT NULL DEFAULT '',
  trunk VARCHAR(255) NOT NULL,
  description VARCHAR(255) NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS phone_routes_priority ON phone_routes (priority);
