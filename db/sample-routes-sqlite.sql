-- VICIdial's usual carrier dialplan entry, _91NXXNXXXXXX (strip the 9,
-- send it out the trunk), as a routing rule. The trunk here is a carrier on
-- this machine (127.0.0.5:5060, off the addresses phones use): point it at yours.
INSERT INTO phone_routes (priority, match_exp, repl_exp, trunk, description)
VALUES
  (10, '^9(1[2-9][0-9]{2}[2-9][0-9]{6})$', '\1', 'sip:127.0.0.5:5060',
   'North America: 9 + 1NXXNXXXXXX, the 9 stripped');
