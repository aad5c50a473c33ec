-- The sample Asterisk server of the sample phones, and an API user as
-- VICIdial's docs use it (6666 / 1234, level 9, admin and API access).
-- Change the password before the proxy is reachable from anywhere.
INSERT INTO servers (server_id, server_description, server_ip, active,
  rebuild_conf_files)
VALUES ('asterisk1', 'Sample Asterisk server', '127.0.0.2', 'Y', 'N');
INSERT INTO vicidial_users (user, pass, full_name, user_level, user_group,
  active, ast_admin_access, ast_delete_phones, vdc_agent_api_access)
VALUES ('6666', '1234', 'API user', 9, 'ADMIN', 'Y', '1', '1', '1');
