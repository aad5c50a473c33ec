-- kamailio-phones' devices of an extension (our table, beside VICIdial's):
-- a call to `extension` (a phone entry's extension, or a number of its
-- own) rings each active `device` (a phone entry's extension: its
-- registered contacts, or an EXTERNAL entry's number out the trunks; or a
-- plain number out the trunks by phone_routes). Devices of one `position`
-- ring together, positions one after another (1 first), each for the
-- longest `ring_seconds` (1 to 600) of its devices.
CREATE TABLE IF NOT EXISTS phone_devices (
  extension VARCHAR(100) NOT NULL,
  device VARCHAR(100) NOT NULL,
  position INT NOT NULL DEFAULT 1,
  ring_seconds INT NOT NULL DEFAULT 20,
  active CHAR(1) NOT NULL DEFAULT 'Y',
  PRIMARY KEY (extension, device)
) ENGINE=MyISAM;
