-- kamailio-phones' devices of an extension: see phone-devices-mysql.sql
-- for what each column means.
CREATE TABLE IF NOT EXISTS phone_devices (
  extension VARCHAR(100) NOT NULL,
  device VARCHAR(100) NOT NULL,
  position INTEGER NOT NULL DEFAULT 1,
  ring_seconds INTEGER NOT NULL DEFAULT 20,
  active CHAR(1) NOT NULL DEFAULT 'Y',
  PRIMARY KEY (extension, device)
);
