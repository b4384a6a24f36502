-- Entries and postings are append-only for every role, and an unbalanced entry cannot be stored
-- even through raw SQL. Roles: ledger_app writes, ledger_auditor only reads.

/* [jooq ignore start] */
CREATE FUNCTION ledger_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger rows are immutable: % on % is not allowed', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'LD001';
END
$$;

CREATE TRIGGER entries_immutable BEFORE UPDATE OR DELETE ON entries
  FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER postings_immutable BEFORE UPDATE OR DELETE ON postings
  FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON postings
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_forbid_change();

-- Set-based check of every entry touched by one INSERT into postings: the entry exists, all its
-- postings arrived in this statement, their count matches, and each currency nets to zero.
CREATE FUNCTION ledger_check_postings() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT t.entry_sequence, t.reason INTO bad FROM (
    SELECT n.entry_sequence, 'unbalanced in ' || n.currency AS reason
      FROM new_rows n GROUP BY n.entry_sequence, n.currency HAVING sum(n.amount) <> 0
    UNION ALL
    SELECT c.entry_sequence, 'posting count differs from the entry, or the entry is missing'
      FROM (SELECT entry_sequence, count(*) AS n FROM new_rows GROUP BY entry_sequence) c
      LEFT JOIN entries e ON e.sequence = c.entry_sequence
      WHERE e.sequence IS NULL OR e.posting_count <> c.n
         OR (SELECT count(*) FROM postings p WHERE p.entry_sequence = c.entry_sequence) <> c.n
  ) t LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'entry with sequence % is rejected: %', bad.entry_sequence, bad.reason
      USING ERRCODE = 'LD002';
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER postings_balanced AFTER INSERT ON postings
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_postings();

-- An entry whose postings never arrive is caught at commit.
CREATE FUNCTION ledger_check_entry_has_postings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM postings WHERE entry_sequence = NEW.sequence) THEN
    RAISE EXCEPTION 'entry % has no postings', NEW.id USING ERRCODE = 'LD002';
  END IF;
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER entries_have_postings AFTER INSERT ON entries
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ledger_check_entry_has_postings();

-- Roles are cluster-wide: create them once, tolerating a concurrent creator.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_app') THEN
    BEGIN
      CREATE ROLE ledger_app NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_auditor') THEN
    BEGIN
      CREATE ROLE ledger_auditor NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO ledger_app, ledger_auditor;
GRANT SELECT, INSERT ON entries, postings TO ledger_app;
GRANT SELECT, INSERT, UPDATE ON accounts, balances, balance_days, chain_head TO ledger_app;
GRANT SELECT ON accounts, entries, postings, balances, balance_days, chain_head TO ledger_auditor;
/* [jooq ignore stop] */
