-- kamailio-phones' routing rules for EXTERNAL entries (our table, beside
-- VICIdial's: VICIdial's own carriers are free-text Asterisk dialplan).
-- Lower priority is tried first; match_exp is a pcre2 expression tried on
-- the entry's dialplan number; repl_exp replaces what it matched (\0..\9
-- are the match and its groups); trunk is a SIP URI without user
-- (sip:host[:port][;transport=udp|tcp|tls]) or a dispatcher set (ds:<set>).
CREATE TABLE IF NOT EXISTS phone_routes (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  priority INT NOT NULL DEFAULT 0,
  match_exp VARCHAR(255) NOT NULL,
  repl_exp VARCHAR(64) NOT NULL DEFAULT '',
  trunk VARCHAR(255) NOT NULL,
  description VARCHAR(255) NOT NULL DEFAULT '',
  index (priority)
) ENGINE=MyISAM;
