-- A few phones to start from (make run loads these into the SQLite file).
-- Agents' SIP phones register with extension / conf_secret; EXTERNAL
-- entries are remote numbers and never register.
INSERT INTO phones (extension, dialplan_number, voicemail_id, server_ip,
  login, pass, status, active, protocol, fullname, outbound_cid, conf_secret)
VALUES
  ('cc100', '8100', '8100', '127.0.0.2', 'cc100', 'agentpw', 'ACTIVE', 'Y',
   'SIP', 'Agent Phone 100', '3125550100', 'cc100-secret'),
  ('cc101', '8101', '8101', '127.0.0.2', 'cc101', 'agentpw', 'ACTIVE', 'Y',
   'SIP', 'Agent Phone 101', '3125550100', 'cc101-secret'),
  ('cc102', '8102', '8102', '127.0.0.2', 'cc102', 'agentpw', 'ACTIVE', 'Y',
   'PJSIP', 'Agent Phone 102', '3125550100', 'cc102-secret'),
  ('cc199', '8199', '8199', '127.0.0.2', 'cc199', 'agentpw', 'SUSPENDED',
   'N', 'SIP', 'Retired Phone', '3125550100', 'cc199-secret'),
  ('homeagent1', '913125551234', '8500', '127.0.0.2', 'home1', 'agentpw',
   'ACTIVE', 'Y', 'EXTERNAL', 'Home Agent Mobile', '3125550100', 'test'),
  ('manager-cell', '917735559876', '8501', '127.0.0.2', 'mgr1', 'agentpw',
   'ACTIVE', 'Y', 'EXTERNAL', 'Manager Cell', '3125550100', 'test');
