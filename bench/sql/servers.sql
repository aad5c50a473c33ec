-- The Asterisk servers of the benchmarks, for the phones module: rows of
-- VICIdial's servers table (db/vicidial-*.sql). SIPp's caller runs at
-- 127.0.0.1; the port it sends from is the module's server_port (given
-- by bench/run.sh), as a real server's is 5060. 127.0.0.2 is the phones'
-- server (bench/gen-phones.awk), a SIPp UAS at server_port in the phone
-- flow (a phone's call to its server).
INSERT INTO servers (server_id, server_description, server_ip, active,
  rebuild_conf_files, active_asterisk_server)
VALUES ('bench', 'SIPp, the dialler of the benchmarks', '127.0.0.1', 'Y',
  'N', 'Y'),
  ('phones', 'SIPp, the phones'' server of the benchmarks', '127.0.0.2', 'Y',
  'N', 'Y');
