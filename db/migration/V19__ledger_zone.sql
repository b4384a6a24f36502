-- The ledger's time zone: how dates given without an offset (2024-09-12, 2024-09, 23:59:59) are
-- read, where a day or a month ends for reports, and how tables show times. One row. Stored
-- instants never change with it; only the reading of dates given to commands does.
-- `zone_chosen` tells a zone that `ledger init --zone` set from the default, so that the first
-- choice needs no confirmation and a later change does (--change-zone).
CREATE TABLE ledger_settings (
  id integer NOT NULL,
  zone varchar(64) NOT NULL,
  zone_chosen boolean NOT NULL,
  CONSTRAINT ledger_settings_pk PRIMARY KEY (id),
  CONSTRAINT ledger_settings_one_row_ck CHECK (id = 1),
  CONSTRAINT ledger_settings_zone_ck CHECK (length(zone) > 0)
);

INSERT INTO ledger_settings (id, zone, zone_chosen) VALUES (1, 'UTC', false);

/* [jooq ignore start] */
-- The row is read by every command, written only by the schema owner (ledger init).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_app') THEN
    REVOKE ALL ON ledger_settings FROM ledger_app;
    GRANT SELECT ON ledger_settings TO ledger_app;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_auditor') THEN
    REVOKE ALL ON ledger_settings FROM ledger_auditor;
    GRANT SELECT ON ledger_settings TO ledger_auditor;
  END IF;
END
$$;

-- A zone PostgreSQL does not know is refused in the database too (Java checks it first).
CREATE FUNCTION ledger_settings_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = NEW.zone) THEN
    RAISE EXCEPTION 'Unknown time zone %', NEW.zone USING ERRCODE = '22023';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER ledger_settings_check_tg BEFORE INSERT OR UPDATE ON ledger_settings
  FOR EACH ROW EXECUTE FUNCTION ledger_settings_check();

CREATE FUNCTION ledger_settings_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_settings keeps its one row' USING ERRCODE = '55000';
END
$$;
CREATE TRIGGER ledger_settings_keep_tg BEFORE DELETE OR TRUNCATE ON ledger_settings
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_settings_keep();
/* [jooq ignore stop] */
