-- Streams (issue 11): `ledger post` of a file writes its balance rows and daily checkpoints once
-- at the end instead of once per chunk. Per 10,000-entry chunk the two upserts were about a third
-- of ledger_post's time; a stream now stages each chunk's deltas in a temporary table and
-- ledger_stream_end applies their sums.
--
-- Versions of a daily checkpoint must come in recording order (V20). So a stream takes one
-- recording time R for all its entries, after ledger_stream_begin has locked the balance rows of
-- every (account, currency) it declares, in key order: a writer on those accounts waits for the
-- stream's commit and records later than R. ledger_stream_end refuses (40001, retried by the
-- ledger) to write a checkpoint that was written after R, which can only happen for a cell the
-- stream did not declare. A stream may not touch a no_overdraft account (begin returns false and
-- the caller posts chunk by chunk as before), since the order of its overdraft checks needs the
-- balance after each entry.
--
-- The stream's state lives in temporary tables that ledger_stream_begin creates as the schema
-- owner, dropped at commit: the application role can neither write them nor stand in its own
-- (ledger_post refuses a table of that name that the owner did not create). A transaction that
-- staged deltas and did not call ledger_stream_end cannot commit (deferred trigger, LD009).

/* [jooq ignore start] */
CREATE FUNCTION ledger_stream_check_ended() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_temp.ledger_stream_state) THEN
    RAISE EXCEPTION 'a stream of posts was not ended by ledger_stream_end: its balances are not written'
      USING ERRCODE = 'LD009';
  END IF;
  RETURN NULL;
END
$$;

-- Opens a stream for the (account, currency) pairs s_accounts[i], s_currencies[i]: creates the
-- accounts not seen yet, locks their balance rows (creating them at zero) and takes the stream's
-- recording time. False, with nothing staged, when one of the accounts is no_overdraft.
CREATE FUNCTION ledger_stream_begin(s_accounts varchar[], s_currencies varchar[]) RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF coalesce(cardinality(s_accounts), 0) <> coalesce(cardinality(s_currencies), 0)
      OR EXISTS (SELECT 1 FROM unnest(s_accounts, s_currencies) AS x(a, c) WHERE a IS NULL OR c IS NULL) THEN
    RAISE EXCEPTION 'ledger_stream_begin: the account and currency arrays differ in length or hold NULL'
      USING ERRCODE = '22023';
  END IF;
  IF to_regclass('pg_temp.ledger_stream_state') IS NOT NULL
      OR to_regclass('pg_temp.ledger_stream_deltas') IS NOT NULL THEN
    RAISE EXCEPTION 'ledger_stream_begin: a stream is open in this transaction already'
      USING ERRCODE = '55000';
  END IF;
  WITH created AS (
    INSERT INTO accounts (code, type, no_overdraft)
    SELECT a, split_part(a, ':', 1), false FROM (SELECT DISTINCT a FROM unnest(s_accounts) AS x(a)) d
    WHERE NOT EXISTS (SELECT 1 FROM accounts k WHERE k.code = d.a)
    ORDER BY a
    ON CONFLICT (code) DO NOTHING
    RETURNING id, code, type, no_overdraft)
  INSERT INTO seal_queue (kind, record_id, recorded_at, content_hash)
  SELECT 'account', id, clock_timestamp(), ledger_account_hash(code, type, no_overdraft)
  FROM created ORDER BY id;
  IF EXISTS (SELECT 1 FROM accounts WHERE no_overdraft AND code = ANY (s_accounts)) THEN
    RETURN false;
  END IF;
  -- ON CONFLICT DO UPDATE locks every conflicting row, also those its WHERE leaves unchanged.
  INSERT INTO balances AS b (account, currency, debits, credits)
  SELECT DISTINCT a, c, 0::bigint, 0::bigint FROM unnest(s_accounts, s_currencies) AS x(a, c) ORDER BY a, c
  ON CONFLICT (account, currency) DO UPDATE SET debits = b.debits WHERE false;
  CREATE TEMPORARY TABLE ledger_stream_state (recorded_at timestamptz NOT NULL) ON COMMIT DROP;
  CREATE TEMPORARY TABLE ledger_stream_deltas (
    account varchar(200) COLLATE "C" NOT NULL,
    currency varchar(3) COLLATE "C" NOT NULL,
    day timestamptz NOT NULL,
    debits numeric NOT NULL,
    credits numeric NOT NULL) ON COMMIT DROP;
  CREATE CONSTRAINT TRIGGER ledger_stream_ended AFTER INSERT ON pg_temp.ledger_stream_state
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_stream_check_ended();
  INSERT INTO pg_temp.ledger_stream_state (recorded_at) VALUES (clock_timestamp());
  RETURN true;
END
$$;

-- Applies the stream's staged deltas: balance rows (LD009 when a total would leave bigint, with
-- nothing written; the caller then posts chunk by chunk for the exact per-entry results) and
-- daily checkpoints at the stream's recording time. Returns the number of checkpoints written.
CREATE FUNCTION ledger_stream_end() RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  stream regclass := to_regclass('pg_temp.ledger_stream_state');
  recorded timestamptz;
  refused integer;
  cells integer;
  written integer;
BEGIN
  IF stream IS NULL OR (SELECT c.relowner <> r.oid FROM pg_class c, pg_roles r
                        WHERE c.oid = stream AND r.rolname = current_user) THEN
    RAISE EXCEPTION 'ledger_stream_end: no stream is open' USING ERRCODE = '55000';
  END IF;
  recorded := (SELECT s.recorded_at FROM pg_temp.ledger_stream_state s);
  IF recorded IS NULL THEN
    RAISE EXCEPTION 'ledger_stream_end: the stream was ended already' USING ERRCODE = '55000';
  END IF;

  WITH deltas AS (
    SELECT account AS a, currency AS c, sum(debits) AS d, sum(credits) AS k
    FROM pg_temp.ledger_stream_deltas GROUP BY account, currency),
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
           OR dl.k > 9223372036854775807)
    INTO refused
  FROM deltas dl LEFT JOIN applied ap ON ap.account = dl.a AND ap.currency = dl.c;
  IF refused > 0 THEN
    RAISE EXCEPTION 'ledger_stream_end: the stream would take % balance total(s) out of range', refused
      USING ERRCODE = 'LD009';
  END IF;

  -- A cell's day sums are at most its balance totals, which passed the range check above.
  WITH days AS (
    SELECT account, currency, day, sum(debits) AS d, sum(credits) AS k
    FROM pg_temp.ledger_stream_deltas GROUP BY account, currency, day),
  upserted AS (
    INSERT INTO balance_days AS b (account, currency, day, debits, credits, min_recorded_at,
      max_recorded_at)
    SELECT account, currency, day, d::bigint, k::bigint, recorded, recorded FROM days
    ORDER BY account, currency, day
    ON CONFLICT (account, currency, day) DO UPDATE SET debits = b.debits + excluded.debits,
      credits = b.credits + excluded.credits,
      min_recorded_at = least(b.min_recorded_at, excluded.min_recorded_at),
      max_recorded_at = excluded.max_recorded_at
      WHERE b.max_recorded_at <= excluded.max_recorded_at
    RETURNING 1)
  SELECT (SELECT count(*) FROM days), (SELECT count(*) FROM upserted) INTO cells, written;
  IF written < cells THEN
    RAISE EXCEPTION 'ledger_stream_end: a daily checkpoint of the stream was written after its recording time'
      USING ERRCODE = '40001';
  END IF;
  DELETE FROM pg_temp.ledger_stream_deltas;
  DELETE FROM pg_temp.ledger_stream_state;
  RETURN cells;
END
$$;

-- An entry whose postings never arrive is caught at commit by entries_have_postings (V2), one
-- deferred trigger call per entry: 1.1 s of a 200,000-entry file's COMMIT. ledger_post now refuses
-- such an entry itself (every entry of its arrays has a posting; postings_balanced checks their
-- count), and inserts them with ledger.post_checked = on, for which the trigger is not queued. Any other
-- insert into entries, raw SQL included, is still checked at commit. The setting guards against a
-- mistake, not against the schema owner, who may disable the trigger altogether.
DROP TRIGGER entries_have_postings ON entries;
CREATE CONSTRAINT TRIGGER entries_have_postings AFTER INSERT ON entries
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (current_setting('ledger.post_checked', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION ledger_check_entry_has_postings();

-- ledger_post as in V13 (with V22's generic plans), staging inside a stream, and checking that
-- every entry has postings.
CREATE OR REPLACE FUNCTION ledger_post(
    e_ids varchar[], e_effective timestamptz[], e_descriptions varchar[], e_metadata jsonb[],
    e_reversals varchar[], e_counts integer[], e_content_hashes bytea[],
    p_entry integer[], p_index integer[], p_accounts varchar[], p_currencies varchar[],
    p_amounts bigint[])
  RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  SET plan_cache_mode = force_generic_plan AS $$
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
  stream regclass;
  staged boolean := false;
  checked_before text;
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
  -- Every entry has a posting (postings_balanced then checks how many): what the deferred
  -- entries_have_postings would find at commit, found here for the whole batch at once.
  IF (SELECT count(DISTINCT e) FROM unnest(p_entry) AS x(e)) <> n THEN
    RAISE EXCEPTION 'ledger_post: an entry of the batch has no postings' USING ERRCODE = 'LD002';
  END IF;

  -- Inside a stream (ledger_stream_begin), the recording time is the stream's and the balance
  -- deltas are staged for ledger_stream_end. Only a table that this function's owner created
  -- counts: a caller's own temporary table of that name is refused.
  stream := to_regclass('pg_temp.ledger_stream_state');
  IF stream IS NOT NULL THEN
    IF (SELECT c.relowner <> r.oid FROM pg_class c, pg_roles r WHERE c.oid = stream AND r.rolname = current_user) THEN
      RAISE EXCEPTION 'ledger_post: pg_temp.ledger_stream_state was not created by ledger_stream_begin'
        USING ERRCODE = '42501';
    END IF;
    recorded := (SELECT s.recorded_at FROM pg_temp.ledger_stream_state s);
    staged := recorded IS NOT NULL;
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
  -- would leave bigint is locked but refused its delta. A stream stages them instead (below); its
  -- accounts have no no_overdraft, which is checked here again.
  IF staged THEN
    IF EXISTS (SELECT 1 FROM accounts WHERE no_overdraft AND code = ANY (p_accounts)) THEN
      RAISE EXCEPTION 'ledger_post: a stream may not post to a no_overdraft account'
        USING ERRCODE = '22023';
    END IF;
    refused := 0;
  ELSE
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
  END IF;

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
  recorded := coalesce(recorded, clock_timestamp());

  -- The trigger's WHEN is evaluated as each row is inserted, so the setting is on for this insert
  -- only and then put back (an error rolls it back with the rest). It is set here rather than in a
  -- SET clause of the function, which PostgreSQL 15+ allows only a superuser for a custom setting.
  checked_before := current_setting('ledger.post_checked', true);
  PERFORM set_config('ledger.post_checked', 'on', true);
  INSERT INTO entries (sequence, id, effective_at, recorded_at, description, metadata, reversal_of,
    posting_count, content_hash)
  SELECT seqs[o], i, e, recorded, d, md, r, k, h
  FROM unnest(e_ids, e_effective, e_descriptions, e_metadata, e_reversals, e_counts, e_content_hashes)
    WITH ORDINALITY AS u(i, e, d, md, r, k, h, o)
  ORDER BY o;
  PERFORM set_config('ledger.post_checked', coalesce(checked_before, ''), true);

  INSERT INTO postings (entry_sequence, posting_index, account, currency, amount, effective_at,
    recorded_at)
  SELECT seqs[x.e], x.i, x.a, x.c, x.v, e_effective[x.e], recorded
  FROM unnest(p_entry, p_index, p_accounts, p_currencies, p_amounts) AS x(e, i, a, c, v);

  IF staged THEN
    INSERT INTO pg_temp.ledger_stream_deltas (account, currency, day, debits, credits)
    SELECT x.a, x.c, date_trunc('day', e_effective[x.e] AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
      sum(CASE WHEN x.v > 0 THEN x.v ELSE 0 END), sum(CASE WHEN x.v < 0 THEN -x.v ELSE 0 END)
    FROM unnest(p_entry, p_accounts, p_currencies, p_amounts) AS x(e, a, c, v)
    GROUP BY 1, 2, 3;
  ELSE
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
  END IF;

  INSERT INTO seal_queue (kind, record_id, recorded_at, content_hash)
  SELECT 'entry', seqs[o], recorded, h
  FROM unnest(e_content_hashes) WITH ORDINALITY AS u(h, o) ORDER BY o;
  RETURN n;
END
$$;

REVOKE EXECUTE ON FUNCTION ledger_stream_begin(varchar[], varchar[]), ledger_stream_end(),
  ledger_stream_check_ended() FROM PUBLIC;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_app') THEN
    GRANT EXECUTE ON FUNCTION ledger_stream_begin(varchar[], varchar[]), ledger_stream_end() TO ledger_app;
  END IF;
END
$$;
/* [jooq ignore stop] */
