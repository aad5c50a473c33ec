-- VICIdial's phones table as MySQL/MariaDB hold it (schema 1728), with the
-- columns kamailio-phones reads and those provisioning writes. This is
-- VICIdial's table, not ours: the module reads it as it is. Shipped for
-- tests and for a proxy pointed at a database of its own.
CREATE TABLE IF NOT EXISTS phones (
  extension VARCHAR(100),
  dialplan_number VARCHAR(20),
  voicemail_id VARCHAR(10),
  phone_ip VARCHAR(15),
  computer_ip VARCHAR(15),
  server_ip VARCHAR(15),
  login VARCHAR(15),
  pass VARCHAR(100),
  status VARCHAR(10),
  active ENUM('Y','N'),
  phone_type VARCHAR(50),
  fullname VARCHAR(50),
  company VARCHAR(10),
  picture VARCHAR(19),
  messages INT(4),
  old_messages INT(4),
  protocol ENUM('SIP','PJSIP','Zap','IAX2','EXTERNAL') DEFAULT 'SIP',
  local_gmt VARCHAR(6) DEFAULT '-5.00',
  outbound_cid VARCHAR(20),
  email VARCHAR(100),
  template_id VARCHAR(15) NOT NULL DEFAULT '--NONE--',
  conf_override TEXT,
  phone_context VARCHAR(20) DEFAULT 'default',
  phone_ring_timeout SMALLINT(3) DEFAULT '60',
  conf_secret VARCHAR(100) DEFAULT 'test',
  is_webphone ENUM('Y','N','Y_API_LAUNCH') DEFAULT 'N',
  use_external_server_ip ENUM('Y','N') DEFAULT 'N',
  codecs_list VARCHAR(100) DEFAULT '',
  webphone_auto_answer ENUM('Y','N') DEFAULT 'Y',
  user_group VARCHAR(20) DEFAULT '---ALL---',
  on_hook_agent ENUM('Y','N') DEFAULT 'N',
  ext_context VARCHAR(20) DEFAULT 'default',
  peer_status ENUM('UNKNOWN','REGISTERED','UNREGISTERED','REACHABLE','LAGGED','UNREACHABLE') DEFAULT 'UNKNOWN',
  install_directory VARCHAR(100) DEFAULT '/usr/local/perl_TK',
  delete_vm_after_email ENUM('N','Y') DEFAULT 'N',
  outbound_alt_cid VARCHAR(20) DEFAULT '',
  index (server_ip),
  index (voicemail_id),
  index (dialplan_number),
  -- not in VICIdial's table: add_phone and update_phone look phones up by
  -- login (VICIdial's API too), a full scan without it
  index (login),
  unique index extenserver (extension, server_ip)
) ENGINE=MyISAM;
