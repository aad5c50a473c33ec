-- The same rule as sample-routes-sqlite.sql, for MySQL/MariaDB: without
-- NO_BACKSLASH_ESCAPES, MySQL would read '\1' as '1'.
SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES');
INSERT INTO phone_routes (priority, match_exp, repl_exp, trunk, description)
VALUES
  (10, '^9(1[2-9][0-9]{2}[2-9][0-9]{6})$', '\1', 'sip:127.0.0.5:5060',
   'North America: 9 + 1NXXNXXXXXX, the 9 stripped');
