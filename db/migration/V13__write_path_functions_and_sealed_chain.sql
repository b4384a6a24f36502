-- Writes only through the ledger, and the hash chain off the commit path (DESIGN.md section 3).
--
-- 1. The chain moves out of entries into its own table of records (entries, accounts and, from
--    V14, reconciliation runs and break events). A writer stores its records and a seal_queue row
--    for each, and commits without touching the chain; ledger_seal, run by any writer after its
--    commit, appends every committed queued record to the chain in queue order under the
--    chain_head lock. Writers therefore commit in parallel (group commit), and the chain covers
--    every record after a lag that verify reports. The links of existing entries move unchanged
--    (position = their sequence), so digests taken before this migration still verify.
-- 2. ledger_app loses every INSERT and UPDATE grant. It writes through SECURITY DEFINER functions
--    owned by the schema owner, which enforce inside the database what the Java code checks before
--    calling them: account rows are immutable; the server's clock sets recorded_at; balances and
--    daily checkpoints change only with the postings that move them, range-checked; no_overdraft
--    accounts never go below zero; a reversal flips every posting of an existing entry.

ALTER TABLE accounts ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE accounts ADD CONSTRAINT accounts_id_uk UNIQUE (id);

CREATE TABLE chain (
  position bigint NOT NULL,
  kind varchar(16) NOT NULL,
  record_id bigint NOT NULL,
  recorded_at timestamptz NOT NULL,
  content_hash bytea NOT NULL,
  prev_hash bytea NOT NULL,
  hash bytea NOT NULL,
  sealed_at timestamptz NOT NULL,
  CONSTRAINT chain_pk PRIMARY KEY (position),
  CONSTRAINT chain_record_uk UNIQUE (kind, record_id),
  CONSTRAINT chain_position_ck CHECK (position > 0),
  CONSTRAINT chain_kind_ck CHECK (kind IN ('entry', 'account', 'run', 'break_event')),
  CONSTRAINT chain_hash_ck CHECK (octet_length(hash) = 32 AND octet_length(prev_hash) = 32
    AND octet_length(content_hash) = 32)
);

-- Records committed and not yet sealed; ledger_seal empties it in id order.
CREATE TABLE seal_queue (
  id bigint GENERATED ALWAYS AS IDENTITY,
  kind varchar(16) NOT NULL,
  record_id bigint NOT NULL,
  recorded_at timestamptz NOT NULL,
  content_hash bytea NOT NULL,
  CONSTRAINT seal_queue_pk PRIMARY KEY (id),
  CONSTRAINT seal_queue_record_uk UNIQUE (kind, record_id),
  CONSTRAINT seal_queue_kind_ck CHECK (kind IN ('entry', 'account', 'run', 'break_event')),
  CONSTRAINT seal_queue_hash_ck CHECK (octet_length(content_hash) = 32)
);

/* [jooq ignore start] */
INSERT INTO chain (position, kind, record_id, recorded_at, content_hash, prev_hash, hash, sealed_at)
SELECT sequence, 'entry', sequence, recorded_at, content_hash, prev_hash, hash, recorded_at
FROM entries ORDER BY sequence;

-- Sequences now come from a sequence object, drawn while the entry's balance rows are locked, so
-- entries that touch one balance row are numbered in the order in which they were checked.
CREATE SEQUENCE entries_sequence_seq OWNED BY entries.sequence;
SELECT setval('entries_sequence_seq', greatest((SELECT max(sequence) FROM entries), 0) + 1, false);
/* [jooq ignore stop] */

ALTER TABLE entries DROP CONSTRAINT entries_hash_ck;
ALTER TABLE entries DROP COLUMN prev_hash;
ALTER TABLE entries DROP COLUMN hash;

/* [jooq ignore start] */
ALTER TABLE accounts ADD CONSTRAINT accounts_type_code_ck CHECK (type = split_part(code, ':', 1));

CREATE TRIGGER accounts_immutable BEFORE UPDATE OR DELETE ON accounts
  FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER accounts_no_truncate BEFORE TRUNCATE ON accounts
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER chain_immutable BEFORE UPDATE OR DELETE ON chain
  FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER chain_no_truncate BEFORE TRUNCATE ON chain
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_forbid_change();

-- Instant.toString() of java.time (ISO-8601, UTC, fraction in groups of three digits as needed):
-- the recording time as the chain hash has always covered it.
CREATE FUNCTION ledger_instant_text(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
    || CASE WHEN us = 0 THEN ''
            WHEN us % 1000 = 0 THEN '.' || lpad((us / 1000)::text, 3, '0')
            ELSE '.' || lpad(us::text, 6, '0') END
    || 'Z'
  FROM (SELECT (extract(microseconds FROM t AT TIME ZONE 'UTC')::bigint % 1000000) AS us) x
$$;

-- Content of an account record, as Verifier recomputes it.
CREATE FUNCTION ledger_account_hash(code varchar, type varchar, no_overdraft boolean)
  RETURNS bytea LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT sha256(convert_to('account' || E'\ncode=' || code || E'\ntype=' || type
    || E'\nno_overdraft=' || CASE WHEN no_overdraft THEN 'true' ELSE 'false' END || E'\n', 'UTF8'))
$$;

-- Every existing account becomes a record of the chain at the first seal.
INSERT INTO seal_queue (kind, record_id, recorded_at, content_hash)
SELECT 'account', id, clock_timestamp(), ledger_account_hash(code, type, no_overdraft)
FROM accounts ORDER BY id;

-- Seals up to records_max queued records (committed ones: the queue is read under READ COMMITTED)
-- and returns how many. One sealer at a time: the chain_head row lock; writers that come while it
-- is held wait a moment, then find little or nothing left. Unless durable, the calling transaction
-- commits without waiting for the flush (a seal lost in a crash leaves its records queued, to be
-- sealed again at the same positions) and gives up after 5 s behind a sealer that hangs.
CREATE FUNCTION ledger_seal(records_max integer, durable boolean) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  pos bigint;
  prev bytea;
  last_recorded timestamptz;
  sealed timestamptz := clock_timestamp();
  r record;
  -- A post's records share one recording time: its text is rendered once.
  stamp timestamptz;
  stamp_text text;
  ids bigint[] := '{}';
  positions bigint[] := '{}';
  kinds varchar[] := '{}';
  record_ids bigint[] := '{}';
  recorded timestamptz[] := '{}';
  contents bytea[] := '{}';
  prevs bytea[] := '{}';
  hashes bytea[] := '{}';
BEGIN
  IF records_max IS NULL OR records_max < 1 THEN
    RAISE EXCEPTION 'ledger_seal: records_max must be positive but was %', records_max
      USING ERRCODE = '22023';
  END IF;
  IF NOT coalesce(durable, false) THEN
    PERFORM set_config('synchronous_commit', 'off', true);
    PERFORM set_config('lock_timeout', '5s', true);
  END IF;
  SELECT last_sequence, last_hash, last_recorded_at INTO pos, prev, last_recorded
    FROM chain_head WHERE id = 1 FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'chain_head row is missing' USING ERRCODE = 'LD003';
  END IF;
  FOR r IN SELECT q.id, q.kind, q.record_id, q.recorded_at, q.content_hash
             FROM seal_queue q ORDER BY q.id LIMIT records_max LOOP
    pos := pos + 1;
    ids := ids || r.id;
    positions := positions || pos;
    kinds := kinds || r.kind;
    record_ids := record_ids || r.record_id;
    recorded := recorded || r.recorded_at;
    contents := contents || r.content_hash;
    prevs := prevs || prev;
    IF stamp IS DISTINCT FROM r.recorded_at THEN
      stamp := r.recorded_at;
      stamp_text := ledger_instant_text(stamp);
    END IF;
    -- One link, as Rows.chainHash: SHA-256(previous link, "sequence=N\nrecorded_at=T\n", content
    -- hash), inline (a SQL function call per record cost more than the hash).
    prev := sha256(prev || convert_to('sequence=' || pos || E'\nrecorded_at=' || stamp_text || E'\n', 'UTF8')
      || r.content_hash);
    hashes := hashes || prev;
    last_recorded := r.recorded_at;
  END LOOP;
  IF cardinality(ids) = 0 THEN
    RETURN 0;
  END IF;
  INSERT INTO chain (position, kind, record_id, recorded_at, content_hash, prev_hash, hash, sealed_at)
  SELECT p, k, i, t, c, v, h, sealed
  FROM unnest(positions, kinds, record_ids, recorded, contents, prevs, hashes) AS x(p, k, i, t, c, v, h);
  DELETE FROM seal_queue WHERE id = ANY (ids);
  UPDATE chain_head SET last_sequence = pos, last_hash = prev, last_recorded_at = last_recorded
    WHERE id = 1;
  RETURN cardinality(ids);
END
$$;

-- Creates an account (its type follows from its code) and returns CREATED, EXISTS or
-- EXISTS_WITH_DIFFERENT_CONTENT; an account row never changes after.
CREATE FUNCTION ledger_create_account(account_code varchar, account_no_overdraft boolean)
  RETURNS varchar LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  new_id bigint;
  stored boolean;
BEGIN
  INSERT INTO accounts (code, type, no_overdraft)
    VALUES (account_code, split_part(account_code, ':', 1), account_no_overdraft)
    ON CONFLICT (code) DO NOTHING RETURNING id INTO new_id;
  IF new_id IS NOT NULL THEN
    INSERT INTO seal_queue (kind, record_id, recorded_at, content_hash)
      VALUES ('account', new_id, clock_timestamp(),
        ledger_account_hash(account_code, split_part(account_code, ':', 1), account_no_overdraft));
    RETURN 'CREATED';
  END IF;
  SELECT no_overdraft INTO stored FROM accounts WHERE code = account_code;
  RETURN CASE WHEN stored = account_no_overdraft THEN 'EXISTS' ELSE 'EXISTS_WITH_DIFFERENT_CONTENT' END;
END
$$;

-- Writes one batch of entries, all or nothing. The caller (BatchPoster) has already checked ids,
-- reversals and balances; this function enforces the same rules again, so that a caller with raw
-- SQL gets no further. e_* arrays hold one element per entry in batch order; p_* one per posting,
-- p_entry being the 1-based position of its entry in e_*. A batch that would overdraw a
-- no_overdraft account or take a balance total out of bigint raises LD004 with the balance totals
-- before the batch in DETAIL (JSON [[account, currency, debits, credits], ...]), from which the
-- caller computes the exact per-entry results; nothing of the batch remains.
CREATE FUNCTION ledger_post(
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

  INSERT INTO postings (entry_sequence, posting_index, account, currency, amount, effective_at,
    recorded_at)
  SELECT seqs[x.e], x.i, x.a, x.c, x.v, e_effective[x.e], recorded
  FROM unnest(p_entry, p_index, p_accounts, p_currencies, p_amounts) AS x(e, i, a, c, v);

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

-- ANALYZE needs the tables' owner; the application role may ask for it, nothing more.
CREATE FUNCTION ledger_refresh_statistics() RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  ANALYZE entries, postings, balances, balance_days, chain, seal_queue;
END
$$;

REVOKE EXECUTE ON FUNCTION ledger_seal(integer, boolean), ledger_create_account(varchar, boolean),
  ledger_post(varchar[], timestamptz[], varchar[], jsonb[], varchar[], integer[], bytea[], integer[],
    integer[], varchar[], varchar[], bigint[]),
  ledger_refresh_statistics() FROM PUBLIC;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_app') THEN
    REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON accounts, entries, postings, balances, balance_days,
      chain_head FROM ledger_app;
    GRANT SELECT ON accounts, entries, postings, balances, balance_days, chain_head, chain, seal_queue,
      flyway_schema_history TO ledger_app;
    GRANT EXECUTE ON FUNCTION ledger_seal(integer, boolean), ledger_create_account(varchar, boolean),
      ledger_post(varchar[], timestamptz[], varchar[], jsonb[], varchar[], integer[], bytea[], integer[],
        integer[], varchar[], varchar[], bigint[]),
      ledger_refresh_statistics() TO ledger_app;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_auditor') THEN
    GRANT SELECT ON chain, seal_queue, flyway_schema_history TO ledger_auditor;
    -- Sealing only derives links from committed records: an auditor seals before taking a digest.
    GRANT EXECUTE ON FUNCTION ledger_seal(integer, boolean) TO ledger_auditor;
  END IF;
END
$$;
/* [jooq ignore stop] */
