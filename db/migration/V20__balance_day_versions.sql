-- Daily checkpoints keyed by recording time as well (issue 11): "balance as of T as known at K"
-- takes each day before T's day whole (all of it recorded by K), not at all (none of it), or as
-- its latest version recorded at or before K: an index probe per day instead of a sum of postings.
--
-- A version is a cell's cumulative debits and credits after a write at one recording time. The
-- balance rows of an account are locked before its recording time is taken, so the writes of one
-- cell come in recording order and "the latest version recorded <= K" holds exactly the postings
-- recorded <= K. Cells written once (min_recorded_at = max_recorded_at) need no version: they are
-- either wholly known at K or not at all. So versions are written only when a cell is updated:
-- the new state, and the old state too on the cell's first update (the only time its old state
-- is not a version already).
--
-- Two writes of one cell at the same recording time (possible for a writer that upserts one cell
-- in several statements of one call) are both kept: totals only grow, so the larger of two
-- versions at one time is the later one; the primary key, in that order, serves the read's probe.
CREATE TABLE balance_day_versions (
  account varchar(200) COLLATE "C" NOT NULL,
  currency varchar(3) COLLATE "C" NOT NULL,
  day timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL,
  debits bigint NOT NULL,
  credits bigint NOT NULL,
  CONSTRAINT balance_day_versions_pk PRIMARY KEY (account, currency, day, recorded_at, debits, credits),
  CONSTRAINT balance_day_versions_totals_ck CHECK (debits >= 0 AND credits >= 0)
);

/* [jooq ignore start] */
CREATE TRIGGER balance_day_versions_immutable BEFORE UPDATE OR DELETE ON balance_day_versions
  FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER balance_day_versions_no_truncate BEFORE TRUNCATE ON balance_day_versions
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_forbid_change();

-- Statement-level, over the transition tables: one INSERT per upsert statement, whoever wrote
-- balance_days (ledger_post, or any later set-based writer). An upsert fires the UPDATE trigger
-- with exactly the rows it updated; rows it inserted are cells written once and need nothing.
-- Runs as the writer (the schema owner inside the SECURITY DEFINER write path); the fixed
-- search_path keeps a caller's schemas out of it.
CREATE FUNCTION ledger_record_day_versions() RETURNS trigger
  LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO balance_day_versions (account, currency, day, recorded_at, debits, credits)
  SELECT o.account, o.currency, o.day, o.max_recorded_at, o.debits, o.credits
  FROM old_days o WHERE o.min_recorded_at = o.max_recorded_at
  UNION ALL
  SELECT n.account, n.currency, n.day, n.max_recorded_at, n.debits, n.credits
  FROM new_days n
  ON CONFLICT ON CONSTRAINT balance_day_versions_pk DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER balance_days_versions AFTER UPDATE ON balance_days
  REFERENCING OLD TABLE AS old_days NEW TABLE AS new_days
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_record_day_versions();

-- An existing ledger: the versions of every cell recorded at more than one time, from the
-- postings (cumulative sums per cell in recording order).
INSERT INTO balance_day_versions (account, currency, day, recorded_at, debits, credits)
SELECT account, currency, day, recorded_at,
  sum(d) OVER w, sum(c) OVER w
FROM (
  SELECT account, currency, day, recorded_at, d, c, count(*) OVER (PARTITION BY account, currency, day) AS times
  FROM (
    SELECT account, currency, date_trunc('day', effective_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day,
      recorded_at, sum(greatest(amount, 0)) AS d, sum(greatest(-amount, 0)) AS c
    FROM postings GROUP BY 1, 2, 3, 4) per_time
) t
WHERE times > 1
WINDOW w AS (PARTITION BY account, currency, day ORDER BY recorded_at);

ANALYZE balance_day_versions;

CREATE OR REPLACE FUNCTION ledger_refresh_statistics() RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  ANALYZE entries, postings, balances, balance_days, balance_day_versions, chain, seal_queue;
END
$$;

REVOKE ALL ON balance_day_versions FROM PUBLIC;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_app') THEN
    GRANT SELECT ON balance_day_versions TO ledger_app;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_auditor') THEN
    GRANT SELECT ON balance_day_versions TO ledger_auditor;
  END IF;
END
$$;
/* [jooq ignore stop] */
