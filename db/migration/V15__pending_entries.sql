-- Pending (two-phase) entries (DESIGN.md sections 5 and 6).
--
-- A pending entry is a row of entries like any other (same id space, same content hash, same
-- chain records of kind 'entry'), but its postings are kept in pending_postings, not in postings:
-- it moves no posted balance, checkpoint, history or trial balance. Until it is settled or its
-- expires_at passes, it reserves its amounts: a no_overdraft account keeps
--   available = posted balance in its normal direction - outflows reserved by open pending entries
-- at or above zero. A settlement is an entry too, linked to its pending entry in
-- pending_settlements, whose unique key on pending_id settles each pending entry at most once
-- under any concurrency: a post books its final amounts (at most the pending ones) through
-- ledger_post; a void repeats the pending postings in pending_postings and moves nothing.
-- Expiry needs no write: an entry whose expires_at has passed is simply no longer open.
-- The application role writes these rows only through ledger_post_pending (SECURITY DEFINER).

CREATE TABLE pending_entries (
  entry_sequence bigint NOT NULL,
  entry_id varchar(128) COLLATE "C" NOT NULL,
  expires_at timestamptz NOT NULL,
  CONSTRAINT pending_entries_pk PRIMARY KEY (entry_sequence),
  CONSTRAINT pending_entries_id_uk UNIQUE (entry_id)
);

-- Postings of pending entries and of voids: signed like postings (debit positive).
CREATE TABLE pending_postings (
  entry_sequence bigint NOT NULL,
  posting_index integer NOT NULL,
  account varchar(200) COLLATE "C" NOT NULL,
  currency varchar(3) COLLATE "C" NOT NULL,
  amount bigint NOT NULL,
  CONSTRAINT pending_postings_pk PRIMARY KEY (entry_sequence, posting_index),
  CONSTRAINT pending_postings_amount_ck CHECK (amount <> 0)
);

CREATE INDEX pending_postings_account_ix ON pending_postings (account, currency) INCLUDE (amount);

-- entry_id is the settling entry (a post or a void); at most one settlement per pending entry.
CREATE TABLE pending_settlements (
  entry_id varchar(128) COLLATE "C" NOT NULL,
  pending_id varchar(128) COLLATE "C" NOT NULL,
  kind varchar(8) NOT NULL,
  CONSTRAINT pending_settlements_pk PRIMARY KEY (entry_id),
  CONSTRAINT pending_settlements_pending_uk UNIQUE (pending_id),
  CONSTRAINT pending_settlements_kind_ck CHECK (kind IN ('post', 'void'))
);

/* [jooq ignore start] */
CREATE TRIGGER pending_entries_immutable BEFORE UPDATE OR DELETE ON pending_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER pending_entries_no_truncate BEFORE TRUNCATE ON pending_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER pending_postings_immutable BEFORE UPDATE OR DELETE ON pending_postings
  FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER pending_postings_no_truncate BEFORE TRUNCATE ON pending_postings
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER pending_settlements_immutable BEFORE UPDATE OR DELETE ON pending_settlements
  FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER pending_settlements_no_truncate BEFORE TRUNCATE ON pending_settlements
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_forbid_change();

-- An entry has postings: posted ones, or (pending entries and voids) pending ones.
CREATE OR REPLACE FUNCTION ledger_check_entry_has_postings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM postings WHERE entry_sequence = NEW.sequence)
      AND NOT EXISTS (SELECT 1 FROM pending_postings WHERE entry_sequence = NEW.sequence) THEN
    RAISE EXCEPTION 'entry % has no postings', NEW.id USING ERRCODE = 'LD002';
  END IF;
  RETURN NULL;
END
$$;

-- Debits and credits reserved at time t on each (account, currency) asked for by pending entries
-- that are neither settled nor expired (expires_at <= t means expired).
CREATE FUNCTION ledger_reserved(r_accounts varchar[], r_currencies varchar[], t timestamptz)
  RETURNS TABLE (account varchar, currency varchar, debits numeric, credits numeric)
  LANGUAGE sql STABLE AS $$
  SELECT k.a, k.c,
    coalesce(sum(pp.amount) FILTER (WHERE pp.amount > 0), 0)::numeric,
    coalesce(-sum(pp.amount) FILTER (WHERE pp.amount < 0), 0)::numeric
  FROM (SELECT DISTINCT a, c FROM unnest(r_accounts, r_currencies) AS x(a, c)) k
  LEFT JOIN pending_postings pp ON pp.account = k.a AND pp.currency = k.c
    AND EXISTS (SELECT 1 FROM pending_entries pe WHERE pe.entry_sequence = pp.entry_sequence
                AND pe.expires_at > t
                AND NOT EXISTS (SELECT 1 FROM pending_settlements s WHERE s.pending_id = pe.entry_id))
  GROUP BY k.a, k.c
$$;

-- Every write to a balance row keeps a no_overdraft account's available balance at or above zero
-- (ledger_post checks the posted balance; this adds the reservations). The balance rows are locked
-- by the statement that changed them, and ledger_post_pending locks them before it reserves, so
-- the two cannot pass each other. Nothing to do while no entry was ever pending.
CREATE FUNCTION ledger_check_available() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pending_entries) THEN
    RETURN NULL;
  END IF;
  SELECT g.account, g.currency INTO bad
  FROM (SELECT n.account, n.currency, n.debits, n.credits, a.type
        FROM new_rows n JOIN accounts a ON a.code = n.account AND a.no_overdraft) g
  JOIN ledger_reserved(ARRAY(SELECT n.account FROM new_rows n JOIN accounts a ON a.code = n.account
                             AND a.no_overdraft ORDER BY n.account, n.currency),
                       ARRAY(SELECT n.currency FROM new_rows n JOIN accounts a ON a.code = n.account
                             AND a.no_overdraft ORDER BY n.account, n.currency),
                       clock_timestamp()) r ON r.account = g.account AND r.currency = g.currency
  WHERE CASE WHEN g.type IN ('assets', 'expenses')
          THEN g.debits::numeric - g.credits - r.credits
          ELSE g.credits::numeric - g.debits - r.debits END < 0
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'the available balance of % in % would go below zero', bad.account, bad.currency
      USING ERRCODE = 'LD006', DETAIL = bad.account || E'\n' || bad.currency;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER balances_available AFTER UPDATE ON balances
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_available();

-- Writes one entry that is pending (e_expires set) or settles a pending entry (e_settles and
-- e_kind 'post' or 'void'), all or nothing, and returns its sequence. The caller (BatchPoster)
-- has checked it already; this function checks again so that raw SQL gets no further. A refused
-- settlement raises LD007 with the PostStatus name in DETAIL; a reservation beyond the available
-- balance raises LD006. A post books its postings through ledger_post (balances, checkpoints,
-- overdraft, the chain queue) after the settlement link is stored, so its own reservation no
-- longer counts against it.
CREATE FUNCTION ledger_post_pending(
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
    WHERE NOT EXISTS (SELECT 1 FROM accounts k WHERE k.code = d.a)
    ORDER BY a
    ON CONFLICT (code) DO NOTHING
    RETURNING id, code, type, no_overdraft)
  INSERT INTO seal_queue (kind, record_id, recorded_at, content_hash)
  SELECT 'account', id, clock_timestamp(), ledger_account_hash(code, type, no_overdraft)
  FROM created ORDER BY id;

  IF e_expires IS NOT NULL AND e_expires > at_now THEN
    -- Reserve: lock the no_overdraft balance rows in key order (as every writer does), then the
    -- available balance after this entry's outflows must stay at or above zero.
    PERFORM 1 FROM balances b
      WHERE (b.account, b.currency) IN (SELECT x.a, x.c FROM unnest(p_accounts, p_currencies) AS x(a, c)
                                        JOIN accounts k ON k.code = x.a AND k.no_overdraft)
      ORDER BY b.account, b.currency FOR UPDATE;
    SELECT m.a, m.c INTO bad FROM (
      SELECT x.a, x.c, k.type,
        sum(CASE WHEN x.v > 0 THEN x.v ELSE 0 END)::numeric AS d,
        sum(CASE WHEN x.v < 0 THEN -x.v ELSE 0 END)::numeric AS cr
      FROM unnest(p_accounts, p_currencies, p_amounts) AS x(a, c, v)
      JOIN accounts k ON k.code = x.a AND k.no_overdraft
      GROUP BY x.a, x.c, k.type) m
    JOIN ledger_reserved(p_accounts, p_currencies, at_now) r ON r.account = m.a AND r.currency = m.c
    LEFT JOIN balances b ON b.account = m.a AND b.currency = m.c
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

REVOKE EXECUTE ON FUNCTION ledger_post_pending(varchar, timestamptz, varchar, jsonb, bytea, timestamptz,
  varchar, varchar, varchar[], varchar[], bigint[]) FROM PUBLIC;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_app') THEN
    GRANT SELECT ON pending_entries, pending_postings, pending_settlements TO ledger_app;
    GRANT EXECUTE ON FUNCTION ledger_post_pending(varchar, timestamptz, varchar, jsonb, bytea, timestamptz,
      varchar, varchar, varchar[], varchar[], bigint[]) TO ledger_app;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_auditor') THEN
    GRANT SELECT ON pending_entries, pending_postings, pending_settlements TO ledger_auditor;
  END IF;
END
$$;
/* [jooq ignore stop] */
