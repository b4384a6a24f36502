-- Bulk posting (issue 11): the same write path with less work per row.
--
-- 1. Indexes that every entry paid for and no query needs in full: reversal_of is NULL for all
--    but reversals, and the provider of most entries is NULL (settlements, fees, journal
--    entries); every lookup on either names a value, so partial indexes serve them. The
--    uniqueness of reversal_of is unchanged (NULLs never conflicted).
-- 2. no_overdraft accounts are few: ledger_post finds a batch's guarded accounts in a partial
--    index of them instead of probing the whole accounts key once per account of the batch.
-- 3. balances and balance_days are updated far more often than inserted: free space in their
--    pages lets an update stay on its page (a HOT update, no new index entry).
-- 4. ledger_post inserts a batch's postings in the order of postings_account_effective_ix.

/* [jooq ignore start] */
ALTER TABLE entries DROP CONSTRAINT entries_reversal_of_uk;
CREATE UNIQUE INDEX entries_reversal_of_uk ON entries (reversal_of) WHERE reversal_of IS NOT NULL;

DROP INDEX entries_provider_effective_ix;
CREATE INDEX entries_provider_effective_ix ON entries ((metadata ->> 'provider'), effective_at)
  WHERE (metadata ->> 'provider') IS NOT NULL;

CREATE INDEX accounts_no_overdraft_ix ON accounts (code) WHERE no_overdraft;

ALTER TABLE balances SET (fillfactor = 50);
ALTER TABLE balance_days SET (fillfactor = 50);

CREATE OR REPLACE FUNCTION ledger_post(
    e_ids varchar[], e_effective timestamptz[], e_descriptions varchar[], e_metadata jsonb[],
    e_reversals varchar[], e_counts integer[], e_content_hashes bytea[],
    p_entry integer[], p_index integer[], p_accounts varchar[], p_currencies varchar[],
    p_amounts bigint[])
  RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  n integer := coalesce(cardinality(e_ids), 0);
  m integer := coalesce(cardinality(p_entry), 0);
  seqs bigint[];
  recorded timestamptz;
  refused integer;
  applied_keys text[];
  guarded varchar[];
  totals jsonb;
  overdrawn varchar;
  bad_id varchar;
BEGIN
  IF n = 0 THEN
    RETURN 0;
  END IF;
  IF coalesce(cardinality(e_effective), 0) <> n OR coalesce(cardinality(e_descriptions), 0) <> n
      OR coalesce(cardinality(e_metadata), 0) <> n OR coalesce(cardinality(e_reversals), 0) <> n
      OR coalesce(cardinality(e_counts), 0) <> n OR coalesce(cardinality(e_content_hashes), 0) <> n
      OR coalesce(cardinality(p_index), 0) <> m OR coalesce(cardinality(p_accounts), 0) <> m
      OR coalesce(cardinality(p_currencies), 0) <> m OR coalesce(cardinality(p_amounts), 0) <> m THEN
    RAISE EXCEPTION 'ledger_post: the entry arrays (%) or the posting arrays (%) differ in length', n, m
      USING ERRCODE = '22023';
  END IF;
  IF EXISTS (SELECT 1 FROM unnest(p_entry) AS x(e) WHERE e IS NULL OR e < 1 OR e > n)
      OR EXISTS (SELECT 1 FROM unnest(p_amounts) AS x(a) WHERE a IS NULL OR a = 0
        OR a = -9223372036854775808) THEN
    RAISE EXCEPTION 'ledger_post: a posting names no entry of the batch or has no valid amount'
      USING ERRCODE = '22023';
  END IF;

  -- Accounts first seen here, without no_overdraft (in code order, as every writer locks them).
  -- Known accounts are filtered out first: a conflicting insert costs far more than a lookup.
  WITH created AS (
    INSERT INTO accounts (code, type, no_overdraft)
    SELECT a, split_part(a, ':', 1), false FROM (SELECT DISTINCT a FROM unnest(p_accounts) AS x(a)) d
    WHERE NOT EXISTS (SELECT 1 FROM accounts k WHERE k.code = d.a)
    ORDER BY a
    ON CONFLICT (code) DO NOTHING
    RETURNING id, code, type, no_overdraft)
  INSERT INTO seal_queue (kind, record_id, recorded_at, content_hash)
  SELECT 'account', id, clock_timestamp(), ledger_account_hash(code, type, no_overdraft)
  FROM created ORDER BY id;

  -- Add the batch's totals to its balance rows in key order (which locks them); a row whose total
  -- would leave bigint is locked but refused its delta.
  WITH deltas AS (
    SELECT a, c, sum(CASE WHEN v > 0 THEN v ELSE 0 END)::numeric AS d,
           sum(CASE WHEN v < 0 THEN -v ELSE 0 END)::numeric AS k
    FROM unnest(p_accounts, p_currencies, p_amounts) AS x(a, c, v) GROUP BY a, c),
  applied AS (
    INSERT INTO balances AS b (account, currency, debits, credits)
    SELECT a, c, least(d, 9223372036854775807)::bigint, least(k, 9223372036854775807)::bigint
    FROM deltas ORDER BY a, c
    ON CONFLICT (account, currency) DO UPDATE SET debits = b.debits + excluded.debits,
      credits = b.credits + excluded.credits
      WHERE b.debits <= 9223372036854775807 - excluded.debits
        AND b.credits <= 9223372036854775807 - excluded.credits
    RETURNING account, currency)
  SELECT count(*) FILTER (WHERE ap.account IS NULL OR dl.d > 9223372036854775807
           OR dl.k > 9223372036854775807),
         array_agg(dl.a || E'\n' || dl.c) FILTER (WHERE ap.account IS NOT NULL)
    INTO refused, applied_keys
  FROM deltas dl LEFT JOIN applied ap ON ap.account = dl.a AND ap.currency = dl.c;

  -- Overdraft: after each entry, in batch order, every no_overdraft account's balance in its normal
  -- direction stays at or above zero. Balance rows now hold the totals after the whole batch.
  guarded := ARRAY(SELECT code FROM accounts
                   WHERE no_overdraft AND code = ANY (ARRAY(SELECT DISTINCT unnest(p_accounts))));
  IF refused = 0 AND cardinality(guarded) > 0 THEN
    SELECT r.a INTO overdrawn FROM (
      SELECT x.a, x.c,
        sum(x.v::numeric) OVER (PARTITION BY x.a, x.c ORDER BY x.e) AS moved,
        sum(x.v::numeric) OVER (PARTITION BY x.a, x.c) AS total
      FROM unnest(p_entry, p_accounts, p_currencies, p_amounts) AS x(e, a, c, v)
      WHERE x.a = ANY (guarded)
    ) r
    JOIN accounts acc ON acc.code = r.a
    JOIN balances b ON b.account = r.a AND b.currency = r.c
    WHERE CASE WHEN acc.type IN ('assets', 'expenses') THEN 1 ELSE -1 END
      * ((b.debits::numeric - b.credits::numeric) - r.total + r.moved) < 0
    LIMIT 1;
  END IF;
  IF refused > 0 OR overdrawn IS NOT NULL THEN
    -- Totals before the batch: the locked rows minus the deltas applied to them above.
    SELECT jsonb_agg(jsonb_build_array(t.a, t.c,
             (coalesce(b.debits, 0) - CASE WHEN t.a || E'\n' || t.c = ANY (applied_keys)
                THEN least(t.d, 9223372036854775807) ELSE 0 END)::text,
             (coalesce(b.credits, 0) - CASE WHEN t.a || E'\n' || t.c = ANY (applied_keys)
                THEN least(t.k, 9223372036854775807) ELSE 0 END)::text) ORDER BY t.a, t.c)
      INTO totals
    FROM (SELECT a, c, sum(CASE WHEN v > 0 THEN v ELSE 0 END)::numeric AS d,
                 sum(CASE WHEN v < 0 THEN -v ELSE 0 END)::numeric AS k
          FROM unnest(p_accounts, p_currencies, p_amounts) AS x(a, c, v) GROUP BY a, c) t
    LEFT JOIN balances b ON b.account = t.a AND b.currency = t.c;
    RAISE EXCEPTION 'ledger_post: the batch would overdraw a no_overdraft account or overflow a balance'
      USING ERRCODE = 'LD004', DETAIL = totals::text;
  END IF;

  -- Reversals: the target exists (stored, or earlier in this batch), and each posting flips the
  -- target's posting at the same index. The unique constraint on reversal_of does the rest.
  SELECT r.id INTO bad_id FROM (
    SELECT u.id, u.rev, u.ord FROM unnest(e_ids, e_reversals) WITH ORDINALITY AS u(id, rev, ord)
    WHERE u.rev IS NOT NULL) r
  WHERE NOT EXISTS (SELECT 1 FROM entries e WHERE e.id = r.rev)
    AND NOT EXISTS (SELECT 1 FROM unnest(e_ids) WITH ORDINALITY AS b(id, ord)
                    WHERE b.id = r.rev AND b.ord < r.ord)
  LIMIT 1;
  IF bad_id IS NOT NULL THEN
    RAISE EXCEPTION 'ledger_post: entry % reverses an entry that does not exist', bad_id
      USING ERRCODE = 'LD002';
  END IF;
  IF EXISTS (SELECT 1 FROM unnest(e_reversals) AS x(r) WHERE r IS NOT NULL) THEN
    WITH batch_postings AS (
      SELECT e_ids[x.e] AS id, x.i, x.a, x.c, x.v
      FROM unnest(p_entry, p_index, p_accounts, p_currencies, p_amounts) AS x(e, i, a, c, v)),
    reversals AS (
      SELECT u.id, u.rev FROM unnest(e_ids, e_reversals) AS u(id, rev) WHERE u.rev IS NOT NULL),
    target_postings AS (
      SELECT r.id, p.posting_index AS i, p.account AS a, p.currency AS c, p.amount AS v
      FROM reversals r JOIN entries e ON e.id = r.rev JOIN postings p ON p.entry_sequence = e.sequence
      UNION ALL
      SELECT r.id, bp.i, bp.a, bp.c, bp.v FROM reversals r JOIN batch_postings bp ON bp.id = r.rev
        WHERE NOT EXISTS (SELECT 1 FROM entries e WHERE e.id = r.rev)),
    flipped AS (
      SELECT id, i, a, c, -v AS v FROM target_postings),
    own AS (
      SELECT bp.id, bp.i, bp.a, bp.c, bp.v FROM batch_postings bp JOIN reversals r ON r.id = bp.id)
    SELECT coalesce(o.id, f.id) AS id INTO bad_id
    FROM own o FULL JOIN flipped f ON f.id = o.id AND f.i = o.i AND f.a = o.a AND f.c = o.c AND f.v = o.v
    WHERE o.id IS NULL OR f.id IS NULL
    LIMIT 1;
    IF bad_id IS NOT NULL THEN
      RAISE EXCEPTION 'ledger_post: entry % does not flip every posting of the entry it reverses', bad_id
        USING ERRCODE = 'LD002';
    END IF;
  END IF;

  -- Sequences drawn while the balance rows are locked; the server's clock is the recording time.
  SELECT array_agg(nextval('entries_sequence_seq') ORDER BY g) INTO seqs FROM generate_series(1, n) g;
  recorded := clock_timestamp();

  INSERT INTO entries (sequence, id, effective_at, recorded_at, description, metadata, reversal_of,
    posting_count, content_hash)
  SELECT seqs[o], i, e, recorded, d, md, r, k, h
  FROM unnest(e_ids, e_effective, e_descriptions, e_metadata, e_reversals, e_counts, e_content_hashes)
    WITH ORDINALITY AS u(i, e, d, md, r, k, h, o)
  ORDER BY o;

  -- In the order of postings_account_effective_ix: consecutive rows land on neighbouring leaf
  -- pages, which stay cached, instead of one random leaf page per row.
  INSERT INTO postings (entry_sequence, posting_index, account, currency, amount, effective_at,
    recorded_at)
  SELECT seqs[x.e], x.i, x.a, x.c, x.v, e_effective[x.e], recorded
  FROM unnest(p_entry, p_index, p_accounts, p_currencies, p_amounts) AS x(e, i, a, c, v)
  ORDER BY x.a, x.c, e_effective[x.e];

  INSERT INTO balance_days AS b (account, currency, day, debits, credits, min_recorded_at,
    max_recorded_at)
  SELECT x.a, x.c, date_trunc('day', e_effective[x.e] AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
    sum(CASE WHEN x.v > 0 THEN x.v ELSE 0 END), sum(CASE WHEN x.v < 0 THEN -x.v ELSE 0 END),
    recorded, recorded
  FROM unnest(p_entry, p_accounts, p_currencies, p_amounts) AS x(e, a, c, v)
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (account, currency, day) DO UPDATE SET debits = b.debits + excluded.debits,
    credits = b.credits + excluded.credits,
    min_recorded_at = least(b.min_recorded_at, excluded.min_recorded_at),
    max_recorded_at = greatest(b.max_recorded_at, excluded.max_recorded_at);

  INSERT INTO seal_queue (kind, record_id, recorded_at, content_hash)
  SELECT 'entry', seqs[o], recorded, h
  FROM unnest(e_content_hashes) WITH ORDINALITY AS u(h, o) ORDER BY o;
  RETURN n;
END
$$;
/* [jooq ignore stop] */
