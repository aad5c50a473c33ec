-- VICIdial's phones table for the embedded SQLite default: the same columns
-- and keys as MySQL's (no primary key; unique (extension, server_ip)).
-- SQLite has no ENUM: the CHECKs keep the values VICIdial allows, NULL
-- included, as MySQL's ENUM does.
-- Write-ahead logging: readers (the proxy's loader) never wait for a
-- writer (the API), and a commit is one append to the log. Kept in the
-- file: every connection uses it.
PRAGMA journal_mode=WAL;
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
  active VARCHAR(1) CHECK (active IN ('Y','N')),
  phone_type VARCHAR(50),
  fullname VARCHAR(50),
  company VARCHAR(10),
  picture VARCHAR(19),
  messages INTEGER,
  old_messages INTEGER,
  protocol VARCHAR(8) DEFAULT 'SIP'
    CHECK (protocol IN ('SIP','PJSIP','Zap','IAX2','EXTERNAL')),
  local_gmt VARCHAR(6) DEFAULT '-5.00',
  outbound_cid VARCHAR(20),
  email VARCHAR(100),
  template_id VARCHAR(15) NOT NULL DEFAULT '--NONE--',
  conf_override TEXT,
  phone_context VARCHAR(20) DEFAULT 'default',
  phone_ring_timeout SMALLINT DEFAULT 60,
  conf_secret VARCHAR(100) DEFAULT 'test',
  is_webphone VARCHAR(12) DEFAULT 'N',
  use_external_server_ip VARCHAR(1) DEFAULT 'N',
  codecs_list VARCHAR(100) DEFAULT '',
  webphone_auto_answer VARCHAR(1) DEFAULT 'Y',
  user_group VARCHAR(20) DEFAULT '---ALL---',
  on_hook_agent VARCHAR(1) DEFAULT 'N',
  ext_context VARCHAR(20) DEFAULT 'default',
  peer_status VARCHAR(12) DEFAULT 'UNKNOWN',
  ping_time SMALLINT DEFAULT NULL,
  install_directory VARCHAR(100) DEFAULT '/usr/local/perl_TK',
  delete_vm_after_email VARCHAR(1) DEFAULT 'N'
    CHECK (delete_vm_after_email IN ('N','Y')),
  outbound_alt_cid VARCHAR(20) DEFAULT ''
);
CREATE UNIQUE INDEX IF NOT EXISTS extenserver ON phones (extension, server_ip);
CREATE INDEX IF NOT EXISTS phones_server_ip ON phones (server_ip);
CREATE INDEX IF NOT EXISTS phones_voicemail_id ON phones (voicemail_id);
CREATE INDEX IF NOT EXISTS phones_dialplan_number ON phones (dialplan_number);
-- Not in VICIdial's table: add_phone and update_phone look phones up by
-- login (VICIdial's API too), a full scan without it (45 ms at 200,000).
CREATE INDEX IF NOT EXISTS phones_login ON phones (login);
