-- One lock order for every writer (issue 11): the balance columns' "C" order.
--
-- ledger_post (since V13) and ledger_stream_begin (V23) sorted the rows they lock (new accounts,
-- balance rows, daily checkpoints) with ORDER BY over unnested varchar[] parameters, that is by
-- the database's default collation, while ledger_post_pending (V15), ledger_stream_end and the
-- tables' keys use "C". On a database whose default collation is not C (en_US.UTF-8, ICU), codes
-- such as assets:a-b and assets:a_b sort differently in the two orders, so a post and a hold or a
-- stream on the same accounts could take the same rows in opposite orders and deadlock (40P01,
-- which the ledger retries, at the cost of the work done). The three functions are as before but
-- for COLLATE "C" in those ORDER BYs. LockOrderTest checks the order on an ICU database.

/* [jooq ignore start] */
-- ledger_post as in V24, locking in "C" order.
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
    WHERE (SELECT true FROM accounts k WHERE k.code = d.a) IS NULL
    ORDER BY a COLLATE "C"
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
    FROM deltas ORDER BY a COLLATE "C", c COLLATE "C"
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
  guarded := CASE WHEN staged THEN '{}'::varchar[] ELSE
    ARRAY(SELECT d.a FROM (SELECT DISTINCT x.a FROM unnest(p_accounts) AS x(a)) d
          WHERE (SELECT k.no_overdraft FROM accounts k WHERE k.code = d.a)) END;
  IF refused = 0 AND cardinality(guarded) > 0 THEN
    SELECT r.a INTO overdrawn FROM (
      SELECT x.a, x.c,
        sum(x.v::numeric) OVER (PARTITION BY x.a, x.c ORDER BY x.e) AS moved,
        sum(x.v::numeric) OVER (PARTITION BY x.a, x.c) AS total
      FROM unnest(p_entry, p_accounts, p_currencies, p_amounts) AS x(e, a, c, v)
      WHERE x.a = ANY (guarded)
    ) r
    CROSS JOIN LATERAL (SELECT k.type FROM accounts k WHERE k.code = r.a OFFSET 0) acc
    CROSS JOIN LATERAL (SELECT s.debits, s.credits FROM balances s
                        WHERE s.account = r.a AND s.currency = r.c OFFSET 0) b
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
    LEFT JOIN LATERAL (SELECT s.debits, s.credits FROM balances s
                       WHERE s.account = t.a AND s.currency = t.c OFFSET 0) b ON true;
    RAISE EXCEPTION 'ledger_post: the batch would overdraw a no_overdraft account or overflow a balance'
      USING ERRCODE = 'LD004', DETAIL = totals::text;
  END IF;

  -- Reversals: the target exists (stored, or earlier in this batch), and each posting flips the
  -- target's posting at the same index. The unique constraint on reversal_of does the rest.
  SELECT r.id INTO bad_id FROM (
    SELECT u.id, u.rev, u.ord FROM unnest(e_ids, e_reversals) WITH ORDINALITY AS u(id, rev, ord)
    WHERE u.rev IS NOT NULL) r
  WHERE (SELECT true FROM entries e WHERE e.id = r.rev) IS NULL
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
      FROM reversals r
      CROSS JOIN LATERAL (SELECT e.sequence FROM entries e WHERE e.id = r.rev OFFSET 0) t
      CROSS JOIN LATERAL (SELECT q.posting_index, q.account, q.currency, q.amount FROM postings q
                          WHERE q.entry_sequence = t.sequence OFFSET 0) p
      UNION ALL
      SELECT r.id, bp.i, bp.a, bp.c, bp.v FROM reversals r JOIN batch_postings bp ON bp.id = r.rev
        WHERE (SELECT true FROM entries e WHERE e.id = r.rev) IS NULL),
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
  GROUP BY 1, 2, 3 ORDER BY x.a COLLATE "C", x.c COLLATE "C", 3
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

-- ledger_post_pending as in V24, creating accounts in "C" order.
CREATE OR REPLACE FUNCTION ledger_post_pending(
    e_id varchar, e_effective timestamptz, e_description varchar, e_metadata jsonb,
    e_content_hash bytea, e_expires timestamptz, e_settles varchar, e_kind varchar,
    p_accounts varchar[], p_currencies varchar[], p_amounts bigint[])
  RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  n integer := coalesce(cardinality(p_accounts), 0);
  at_now timestamptz := clock_timestamp();
  target record;
  by_id varchar;
  bad record;
  constraint_name text;
  seq bigint;
  recorded timestamptz;
BEGIN
  IF n < 2 OR coalesce(cardinality(p_currencies), 0) <> n OR coalesce(cardinality(p_amounts), 0) <> n
      OR e_id IS NULL OR e_effective IS NULL OR e_content_hash IS NULL OR octet_length(e_content_hash) <> 32
      OR (e_expires IS NULL) = (e_settles IS NULL)
      OR (e_settles IS NOT NULL AND e_kind IS DISTINCT FROM 'post' AND e_kind IS DISTINCT FROM 'void')
      OR (e_settles IS NULL AND e_kind IS NOT NULL) THEN
    RAISE EXCEPTION 'ledger_post_pending: invalid arguments for entry %', e_id USING ERRCODE = '22023';
  END IF;
  IF EXISTS (SELECT 1 FROM unnest(p_amounts) AS x(v) WHERE v IS NULL OR v = 0 OR v = -9223372036854775808)
      OR EXISTS (SELECT 1 FROM unnest(p_currencies, p_amounts) AS x(c, v) GROUP BY c
                 HAVING sum(v::numeric) <> 0) THEN
    RAISE EXCEPTION 'ledger_post_pending: entry % has a zero amount or is unbalanced', e_id
      USING ERRCODE = 'LD002';
  END IF;

  IF e_settles IS NOT NULL THEN
    SELECT pe.entry_sequence, pe.expires_at INTO target FROM pending_entries pe WHERE pe.entry_id = e_settles;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'entry % settles %, which is not a pending entry', e_id, e_settles
        USING ERRCODE = 'LD007', DETAIL = 'PENDING_NOT_FOUND';
    END IF;
    -- Settled once: a concurrent settler of the same pending entry waits on this key until the
    -- first commits, then fails here.
    BEGIN
      INSERT INTO pending_settlements (entry_id, pending_id, kind) VALUES (e_id, e_settles, e_kind);
    EXCEPTION WHEN unique_violation THEN
      GET STACKED DIAGNOSTICS constraint_name = CONSTRAINT_NAME;
      IF constraint_name <> 'pending_settlements_pending_uk' THEN
        RAISE;
      END IF;
      SELECT s.entry_id INTO by_id FROM pending_settlements s WHERE s.pending_id = e_settles;
      RAISE EXCEPTION 'pending entry % is already settled by %', e_settles, by_id
        USING ERRCODE = 'LD007', DETAIL = 'PENDING_ALREADY_SETTLED';
    END;
    IF target.expires_at <= at_now THEN
      RAISE EXCEPTION 'pending entry % expired at %', e_settles, target.expires_at
        USING ERRCODE = 'LD007', DETAIL = 'PENDING_EXPIRED';
    END IF;
    -- Same accounts, currencies and sides in order; a void the same amounts, a post at most them.
    SELECT coalesce(o.i, h.posting_index) AS i INTO bad
    FROM (SELECT (x.o - 1)::integer AS i, x.a, x.c, x.v
          FROM unnest(p_accounts, p_currencies, p_amounts) WITH ORDINALITY AS x(a, c, v, o)) o
    FULL JOIN (SELECT * FROM pending_postings WHERE entry_sequence = target.entry_sequence) h
      ON h.posting_index = o.i
    WHERE o.i IS NULL OR h.posting_index IS NULL OR o.a <> h.account OR o.c <> h.currency
       OR sign(o.v) <> sign(h.amount)
       OR (e_kind = 'void' AND o.v <> h.amount) OR (e_kind = 'post' AND abs(o.v) > abs(h.amount))
    LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'entry % posting % does not fit pending entry %', e_id, bad.i, e_settles
        USING ERRCODE = 'LD007', DETAIL = 'PENDING_SETTLEMENT_MISMATCH';
    END IF;
    IF e_kind = 'post' THEN
      PERFORM ledger_post(ARRAY[e_id], ARRAY[e_effective], ARRAY[e_description], ARRAY[e_metadata],
        ARRAY[NULL]::varchar[], ARRAY[n], ARRAY[e_content_hash],
        array_fill(1, ARRAY[n]), ARRAY(SELECT g - 1 FROM generate_series(1, n) g),
        p_accounts, p_currencies, p_amounts);
      RETURN (SELECT e.sequence FROM entries e WHERE e.id = e_id);
    END IF;
  END IF;

  -- Accounts first seen here, as ledger_post creates them.
  WITH created AS (
    INSERT INTO accounts (code, type, no_overdraft)
    SELECT a, split_part(a, ':', 1), false FROM (SELECT DISTINCT a FROM unnest(p_accounts) AS x(a)) d
    WHERE (SELECT true FROM accounts k WHERE k.code = d.a) IS NULL
    ORDER BY a COLLATE "C"
    ON CONFLICT (code) DO NOTHING
    RETURNING id, code, type, no_overdraft)
  INSERT INTO seal_queue (kind, record_id, recorded_at, content_hash)
  SELECT 'account', id, clock_timestamp(), ledger_account_hash(code, type, no_overdraft)
  FROM created ORDER BY id;

  IF e_expires IS NOT NULL AND e_expires > at_now THEN
    -- Reserve: lock the no_overdraft balance rows in key order (as every writer does), then the
    -- available balance after this entry's outflows must stay at or above zero.
    -- In the balance columns' order ("C"), as V15 locked them.
    PERFORM (SELECT 1 FROM balances b WHERE b.account = g.a AND b.currency = g.c FOR UPDATE)
      FROM (SELECT DISTINCT x.a COLLATE "C" AS a, x.c COLLATE "C" AS c
            FROM unnest(p_accounts, p_currencies) AS x(a, c)
            WHERE (SELECT k.no_overdraft FROM accounts k WHERE k.code = x.a)
            ORDER BY 1, 2 OFFSET 0) g;
    SELECT m.a, m.c INTO bad FROM (
      SELECT x.a, x.c, k.type,
        sum(CASE WHEN x.v > 0 THEN x.v ELSE 0 END)::numeric AS d,
        sum(CASE WHEN x.v < 0 THEN -x.v ELSE 0 END)::numeric AS cr
      FROM unnest(p_accounts, p_currencies, p_amounts) AS x(a, c, v)
      CROSS JOIN LATERAL (SELECT a.type FROM accounts a WHERE a.code = x.a AND a.no_overdraft OFFSET 0) k
      GROUP BY x.a, x.c, k.type) m
    JOIN ledger_reserved(p_accounts, p_currencies, at_now) r ON r.account = m.a AND r.currency = m.c
    LEFT JOIN LATERAL (SELECT s.debits, s.credits FROM balances s
                       WHERE s.account = m.a AND s.currency = m.c OFFSET 0) b ON true
    WHERE CASE WHEN m.type IN ('assets', 'expenses')
            THEN coalesce(b.debits, 0)::numeric - coalesce(b.credits, 0) - r.credits - m.cr
            ELSE coalesce(b.credits, 0)::numeric - coalesce(b.debits, 0) - r.debits - m.d END < 0
    LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'pending entry % would take the available balance of % in % below zero',
        e_id, bad.a, bad.c USING ERRCODE = 'LD006', DETAIL = bad.a || E'\n' || bad.c;
    END IF;
  END IF;

  seq := nextval('entries_sequence_seq');
  recorded := clock_timestamp();
  INSERT INTO entries (sequence, id, effective_at, recorded_at, description, metadata, reversal_of,
    posting_count, content_hash)
  VALUES (seq, e_id, e_effective, recorded, coalesce(e_description, ''), coalesce(e_metadata, '{}'),
    NULL, n, e_content_hash);
  INSERT INTO pending_postings (entry_sequence, posting_index, account, currency, amount)
  SELECT seq, (x.o - 1)::integer, x.a, x.c, x.v
  FROM unnest(p_accounts, p_currencies, p_amounts) WITH ORDINALITY AS x(a, c, v, o);
  IF e_expires IS NOT NULL THEN
    INSERT INTO pending_entries (entry_sequence, entry_id, expires_at) VALUES (seq, e_id, e_expires);
  END IF;
  INSERT INTO seal_queue (kind, record_id, recorded_at, content_hash)
    VALUES ('entry', seq, recorded, e_content_hash);
  RETURN seq;
END
$$;

-- ledger_stream_begin as in V23, locking in "C" order.
CREATE OR REPLACE FUNCTION ledger_stream_begin(s_accounts varchar[], s_currencies varchar[]) RETURNS boolean
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
    ORDER BY a COLLATE "C"
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
  SELECT a, c, 0::bigint, 0::bigint
  FROM (SELECT DISTINCT x.a COLLATE "C" AS a, x.c COLLATE "C" AS c
        FROM unnest(s_accounts, s_currencies) AS x(a, c)) d
  ORDER BY a, c
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
/* [jooq ignore stop] */
