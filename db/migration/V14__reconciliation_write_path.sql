-- Reconciliation runs and breaks written only through the ledger (DESIGN.md section 3).
--
-- A run row never changes once stored. A break keeps its columns, but its lifecycle (status,
-- closed_run_id, resolved_at, resolution_note, adjustment_entry_id) changes only as the effect of
-- an append-only break_events row: inserting an event applies it to its break, and an UPDATE of a
-- break that does not come from that is refused. The application role writes through two
-- SECURITY DEFINER functions, ledger_save_run and ledger_resolve_break, which queue one record
-- per run (kind 'run') and per event (kind 'break_event') for the hash chain of V13, so verify can
-- recompute both from the rows and replay every break's lifecycle from its events.
--
-- Content hashes are SHA-256 over a canonical UTF-8 text; dev.ledger.db.reconcile
-- .ReconciliationCanon documents the format and recomputes it in Java.

CREATE TABLE break_events (
  id bigint GENERATED ALWAYS AS IDENTITY,
  break_id bigint NOT NULL,
  status varchar(16) NOT NULL,
  run_id bigint,
  note varchar(4000),
  adjustment_entry_id varchar(128),
  actor varchar(128) NOT NULL,
  at timestamptz NOT NULL,
  content_hash bytea NOT NULL,
  CONSTRAINT break_events_pk PRIMARY KEY (id),
  CONSTRAINT break_events_break_fk FOREIGN KEY (break_id) REFERENCES reconciliation_breaks (id),
  CONSTRAINT break_events_run_fk FOREIGN KEY (run_id) REFERENCES reconciliation_runs (id),
  CONSTRAINT break_events_status_ck CHECK (status IN ('closed', 'resolved')),
  CONSTRAINT break_events_closed_ck CHECK ((status = 'closed') = (run_id IS NOT NULL)),
  CONSTRAINT break_events_hash_ck CHECK (octet_length(content_hash) = 32)
);

-- Replay (verify) reads each break's events in order.
CREATE INDEX break_events_break_ix ON break_events (break_id, id);
-- A run's closings are found by run (RunRecord.closedBreakIds reads the breaks' closed_run_id).
CREATE INDEX reconciliation_breaks_closed_run_ix ON reconciliation_breaks (closed_run_id);

/* [jooq ignore start] */
-- Canonical values: a string as its UTF-8 length in bytes, ':' and the string; an integer in
-- decimal; a time as epoch microseconds in decimal; NULL as '~' (never the start of a string,
-- which starts with a digit, nor of a number).
-- STABLE, not IMMUTABLE: convert_to is STABLE, and a SQL function declared less volatile than its
-- body is not inlined (hashing a 100,000-break run took 4x as long).
CREATE FUNCTION ledger_canon(v text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN v IS NULL THEN '~' ELSE octet_length(convert_to(v, 'UTF8')) || ':' || v END
$$;

CREATE FUNCTION ledger_canon(v bigint) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(v::text, '~')
$$;

CREATE FUNCTION ledger_canon(v timestamptz) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(((extract(epoch FROM v) * 1000000)::bigint)::text, '~')
$$;

-- A run's own fields: the header of its record.
CREATE FUNCTION ledger_run_text(r reconciliation_runs) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT 'run' || E'\nid=' || ledger_canon(r.id)
    || E'\nsource=' || ledger_canon(r.source::text)
    || E'\naccount=' || ledger_canon(r.account::text)
    || E'\nfile_name=' || ledger_canon(r.file_name::text)
    || E'\nfile_sha256=' || ledger_canon(r.file_sha256::text)
    || E'\nperiod_start=' || ledger_canon(r.period_start)
    || E'\nperiod_end=' || ledger_canon(r.period_end)
    || E'\nlines=' || ledger_canon(r.lines)
    || E'\nmatched=' || ledger_canon(r.matched)
    || E'\nbreak_count=' || ledger_canon(r.break_count)
    || E'\ntolerance=' || ledger_canon(r.tolerance)
    || E'\ncreated_at=' || ledger_canon(r.created_at) || E'\n'
$$;

-- A break as its run opened it: every column except the lifecycle that its events change.
CREATE FUNCTION ledger_break_text(b reconciliation_breaks) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT 'break' || E'\nid=' || ledger_canon(b.id)
    || E'\nsource=' || ledger_canon(b.source::text)
    || E'\naccount=' || ledger_canon(b.account::text)
    || E'\nkind=' || ledger_canon(b.kind::text)
    || E'\nmatch_key=' || ledger_canon(b.match_key::text)
    || E'\nentry_id=' || ledger_canon(b.entry_id::text)
    || E'\nstatement_line=' || ledger_canon(b.statement_line)
    || E'\ncurrency=' || ledger_canon(b.currency::text)
    || E'\nstatement_gross=' || ledger_canon(b.statement_gross)
    || E'\nledger_gross=' || ledger_canon(b.ledger_gross)
    || E'\nstatement_fee=' || ledger_canon(b.statement_fee)
    || E'\nledger_fee=' || ledger_canon(b.ledger_fee)
    || E'\nprovider_txn_id=' || ledger_canon(b.provider_txn_id::text)
    || E'\nprovider_refund_id=' || ledger_canon(b.provider_refund_id::text)
    || E'\norder_id=' || ledger_canon(b.order_id::text)
    || E'\nstated=' || ledger_canon(b.stated::text)
    || E'\ncomputed=' || ledger_canon(b.computed::text) || E'\n'
$$;

-- Content of a 'run' record: the run, then each of its breaks in id order.
CREATE FUNCTION ledger_run_hash(run bigint) RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT sha256(convert_to(ledger_run_text(r)
    || coalesce((SELECT string_agg(ledger_break_text(b), '' ORDER BY b.id)
                 FROM reconciliation_breaks b WHERE b.run_id = r.id), ''), 'UTF8'))
  FROM reconciliation_runs r WHERE r.id = run
$$;

CREATE FUNCTION ledger_break_event_text(event_id bigint, event_break_id bigint, event_status varchar,
    event_run_id bigint, event_note varchar, event_adjustment_entry_id varchar, event_actor varchar,
    event_at timestamptz)
  RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT 'break_event' || E'\nid=' || ledger_canon(event_id)
    || E'\nbreak_id=' || ledger_canon(event_break_id)
    || E'\nstatus=' || ledger_canon(event_status::text)
    || E'\nrun_id=' || ledger_canon(event_run_id)
    || E'\nnote=' || ledger_canon(event_note::text)
    || E'\nadjustment_entry_id=' || ledger_canon(event_adjustment_entry_id::text)
    || E'\nactor=' || ledger_canon(event_actor::text)
    || E'\nat=' || ledger_canon(event_at) || E'\n'
$$;

CREATE FUNCTION ledger_break_event_hash(event_id bigint, event_break_id bigint, event_status varchar,
    event_run_id bigint, event_note varchar, event_adjustment_entry_id varchar, event_actor varchar,
    event_at timestamptz)
  RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT sha256(convert_to(ledger_break_event_text(event_id, event_break_id, event_status, event_run_id,
    event_note, event_adjustment_entry_id, event_actor, event_at), 'UTF8'))
$$;

-- Runs and breaks stored before this migration enter the chain with their current content, and
-- every break that is closed or resolved today gets the event that replays to its current state:
-- at = its resolved_at, or the closing run's time; actor 'v14 migration' (no role has that name).
-- Inserted before the triggers below exist, since the breaks already hold the state these events
-- lead to. Queued in time order, a run before the events of the same instant.
INSERT INTO break_events (break_id, status, run_id, note, adjustment_entry_id, actor, at, content_hash)
SELECT t.break_id, t.status, t.run_id, t.note, t.adjustment_entry_id, 'v14 migration', t.at,
    decode(repeat('00', 32), 'hex')
FROM (SELECT b.id AS break_id, b.status, b.closed_run_id AS run_id,
             CASE WHEN b.status = 'resolved' THEN b.resolution_note END AS note,
             CASE WHEN b.status = 'resolved' THEN b.adjustment_entry_id END AS adjustment_entry_id,
             CASE WHEN b.status = 'resolved' THEN b.resolved_at ELSE r.created_at END AS at
      FROM reconciliation_breaks b LEFT JOIN reconciliation_runs r ON r.id = b.closed_run_id
      WHERE b.status IN ('closed', 'resolved')) t
ORDER BY t.at, t.break_id;

-- The hash covers the id, known only now; no trigger forbids this UPDATE yet.
UPDATE break_events SET content_hash = ledger_break_event_hash(id, break_id, status, run_id, note,
  adjustment_entry_id, actor, at);

INSERT INTO seal_queue (kind, record_id, recorded_at, content_hash)
SELECT q.kind, q.record_id, q.recorded_at, q.content_hash
FROM (SELECT 'run' AS kind, 0 AS rank, r.id AS record_id, r.created_at AS recorded_at,
             ledger_run_hash(r.id) AS content_hash
      FROM reconciliation_runs r
      UNION ALL
      SELECT 'break_event', 1, e.id, e.at, e.content_hash FROM break_events e) q
ORDER BY q.recorded_at, q.rank, q.record_id;

-- Runs and events never change, for every role.
CREATE TRIGGER reconciliation_runs_immutable BEFORE UPDATE OR DELETE ON reconciliation_runs
  FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER reconciliation_runs_no_truncate BEFORE TRUNCATE ON reconciliation_runs
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER break_events_immutable BEFORE UPDATE OR DELETE ON break_events
  FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER break_events_no_truncate BEFORE TRUNCATE ON break_events
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER reconciliation_breaks_no_delete BEFORE DELETE ON reconciliation_breaks
  FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER reconciliation_breaks_no_truncate BEFORE TRUNCATE ON reconciliation_breaks
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_forbid_change();

-- A break changes only as the effect of an event: the UPDATE of ledger_apply_break_event runs
-- inside a trigger (depth 2 when this statement-level trigger fires for it); a direct UPDATE, by
-- any role, fires this one at depth 1.
CREATE FUNCTION ledger_guard_break_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'reconciliation breaks change only through break_events: UPDATE on % is not allowed',
      TG_TABLE_NAME USING ERRCODE = 'LD001';
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER reconciliation_breaks_update_by_events BEFORE UPDATE ON reconciliation_breaks
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_guard_break_update();

-- Applies an event to its break. Only an open break moves, once: an event for a break that is not
-- open is refused (LD005). Row by row, so each is a primary key update whatever the statistics.
CREATE FUNCTION ledger_apply_break_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE reconciliation_breaks b
     SET status = NEW.status,
         closed_run_id = CASE WHEN NEW.status = 'closed' THEN NEW.run_id END,
         resolved_at = CASE WHEN NEW.status = 'resolved' THEN NEW.at END,
         resolution_note = CASE WHEN NEW.status = 'resolved' THEN NEW.note END,
         adjustment_entry_id = CASE WHEN NEW.status = 'resolved' THEN NEW.adjustment_entry_id END
   WHERE b.id = NEW.break_id AND b.status = 'open';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'break event % refused: break % is not open', NEW.id, NEW.break_id USING ERRCODE = 'LD005';
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER break_events_apply AFTER INSERT ON break_events
  FOR EACH ROW EXECUTE FUNCTION ledger_apply_break_event();

-- Stores a run with its new breaks (b_* arrays, one element per break, in the order their ids are
-- to follow) and closes the given earlier breaks that are still open for this source and account
-- (one 'closed' event each). Queues a 'run' record and one 'break_event' record per closing.
-- When (source, account, file_sha256) is stored already (a rerun, or a concurrent run of the
-- same file), stores nothing and returns that run with created = false.
CREATE FUNCTION ledger_save_run(
    run_source varchar, run_account varchar, run_file_name varchar, run_file_sha256 varchar,
    run_period_start timestamptz, run_period_end timestamptz, run_lines bigint, run_matched bigint,
    run_tolerance bigint,
    b_kinds varchar[], b_keys varchar[], b_entry_ids varchar[], b_lines bigint[], b_currencies varchar[],
    b_statement_gross bigint[], b_ledger_gross bigint[], b_statement_fee bigint[], b_ledger_fee bigint[],
    b_txn_ids varchar[], b_refund_ids varchar[], b_order_ids varchar[], b_stated varchar[],
    b_computed varchar[], closed_ids bigint[],
    OUT run_id bigint, OUT created boolean)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  n integer := coalesce(cardinality(b_kinds), 0);
  now_at timestamptz := clock_timestamp();
  who varchar := session_user;
  event_seq text := pg_get_serial_sequence('break_events', 'id');
BEGIN
  IF coalesce(cardinality(b_keys), 0) <> n OR coalesce(cardinality(b_entry_ids), 0) <> n
      OR coalesce(cardinality(b_lines), 0) <> n OR coalesce(cardinality(b_currencies), 0) <> n
      OR coalesce(cardinality(b_statement_gross), 0) <> n OR coalesce(cardinality(b_ledger_gross), 0) <> n
      OR coalesce(cardinality(b_statement_fee), 0) <> n OR coalesce(cardinality(b_ledger_fee), 0) <> n
      OR coalesce(cardinality(b_txn_ids), 0) <> n OR coalesce(cardinality(b_refund_ids), 0) <> n
      OR coalesce(cardinality(b_order_ids), 0) <> n OR coalesce(cardinality(b_stated), 0) <> n
      OR coalesce(cardinality(b_computed), 0) <> n THEN
    RAISE EXCEPTION 'ledger_save_run: the break arrays differ in length (% kinds)', n
      USING ERRCODE = '22023';
  END IF;

  INSERT INTO reconciliation_runs (source, account, file_name, file_sha256, period_start, period_end,
      lines, matched, break_count, tolerance, created_at)
    VALUES (run_source, run_account, run_file_name, run_file_sha256, run_period_start, run_period_end,
      run_lines, run_matched, n, run_tolerance, now_at)
    ON CONFLICT ON CONSTRAINT reconciliation_runs_file_uk DO NOTHING
    RETURNING id INTO run_id;
  IF run_id IS NULL THEN
    -- The conflicting run is committed (ON CONFLICT waited for it): this statement sees it.
    SELECT r.id INTO run_id FROM reconciliation_runs r
     WHERE r.source = run_source AND r.account = run_account AND r.file_sha256 = run_file_sha256;
    created := false;
    RETURN;
  END IF;
  created := true;

  INSERT INTO reconciliation_breaks (run_id, source, account, kind, match_key, entry_id, statement_line,
      currency, statement_gross, ledger_gross, statement_fee, ledger_fee, provider_txn_id,
      provider_refund_id, order_id, stated, computed, status)
  SELECT run_id, run_source, run_account, x.kind, x.match_key, x.entry_id, x.line, x.currency, x.sg, x.lg,
      x.sf, x.lf, x.txn, x.refund, x.ord_id, x.stated, x.computed, 'open'
  FROM unnest(b_kinds, b_keys, b_entry_ids, b_lines, b_currencies, b_statement_gross, b_ledger_gross,
      b_statement_fee, b_ledger_fee, b_txn_ids, b_refund_ids, b_order_ids, b_stated, b_computed)
    WITH ORDINALITY AS x(kind, match_key, entry_id, line, currency, sg, lg, sf, lf, txn, refund, ord_id,
      stated, computed, o)
  ORDER BY x.o;

  INSERT INTO seal_queue (kind, record_id, recorded_at, content_hash)
    VALUES ('run', run_id, now_at, ledger_run_hash(run_id));

  IF coalesce(cardinality(closed_ids), 0) > 0 THEN
    -- Locked first, so a concurrent resolve either went before (the break is no longer open and is
    -- skipped) or waits for this commit and then finds it closed.
    -- Each id is a primary key probe (LATERAL on the id alone, and the other conditions behind a
    -- MATERIALIZED fence, or the planner pushes them in), whatever the statistics say: right after
    -- a large run they are stale, and a plan on them scanned every open break per id.
    WITH locked AS MATERIALIZED (
      SELECT b.id, b.status, b.source, b.account
        FROM (SELECT DISTINCT x.id FROM unnest(closed_ids) AS x(id) ORDER BY x.id) c
        CROSS JOIN LATERAL (
          SELECT o.id, o.status, o.source, o.account FROM reconciliation_breaks o WHERE o.id = c.id
             FOR UPDATE) b),
    closing AS (
      SELECT l.id FROM locked l
       WHERE l.status = 'open' AND l.source = run_source AND l.account = run_account),
    numbered AS (
      SELECT nextval(event_seq) AS id, c.id AS break_id FROM (SELECT id FROM closing ORDER BY id) c),
    events AS (
      INSERT INTO break_events (id, break_id, status, run_id, note, adjustment_entry_id, actor, at,
          content_hash)
        OVERRIDING SYSTEM VALUE
      SELECT e.id, e.break_id, 'closed', run_id, NULL, NULL, who, now_at,
          ledger_break_event_hash(e.id, e.break_id, 'closed', run_id, NULL, NULL, who, now_at)
      FROM numbered e
      RETURNING id, at, content_hash)
    INSERT INTO seal_queue (kind, record_id, recorded_at, content_hash)
    SELECT 'break_event', e.id, e.at, e.content_hash FROM events e ORDER BY e.id;
  END IF;
END
$$;

-- A person resolves an open break (note, optional adjusting entry): one 'resolved' event, queued.
-- Returns false, and changes nothing, when the break does not exist or is not open.
CREATE FUNCTION ledger_resolve_break(resolved_break_id bigint, resolution_note varchar,
    adjustment_entry_id varchar)
  RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  current_status varchar;
  event_id bigint;
  now_at timestamptz;
  who varchar := session_user;
  digest bytea;
BEGIN
  SELECT b.status INTO current_status FROM reconciliation_breaks b WHERE b.id = resolved_break_id FOR UPDATE;
  IF current_status IS DISTINCT FROM 'open' THEN
    RETURN false;
  END IF;
  event_id := nextval(pg_get_serial_sequence('break_events', 'id'));
  now_at := clock_timestamp();
  digest := ledger_break_event_hash(event_id, resolved_break_id, 'resolved', NULL, resolution_note,
    adjustment_entry_id, who, now_at);
  INSERT INTO break_events (id, break_id, status, run_id, note, adjustment_entry_id, actor, at, content_hash)
    OVERRIDING SYSTEM VALUE
    VALUES (event_id, resolved_break_id, 'resolved', NULL, resolution_note, adjustment_entry_id, who, now_at,
      digest);
  INSERT INTO seal_queue (kind, record_id, recorded_at, content_hash)
    VALUES ('break_event', event_id, now_at, digest);
  RETURN true;
END
$$;

REVOKE EXECUTE ON FUNCTION
  ledger_save_run(varchar, varchar, varchar, varchar, timestamptz, timestamptz, bigint, bigint, bigint,
    varchar[], varchar[], varchar[], bigint[], varchar[], bigint[], bigint[], bigint[], bigint[], varchar[],
    varchar[], varchar[], varchar[], varchar[], bigint[]),
  ledger_resolve_break(bigint, varchar, varchar) FROM PUBLIC;

-- The application role reads runs, breaks and events and writes them only through the functions
-- (V13 revokes its other write grants; repeated here for the reconciliation tables, harmlessly).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_app') THEN
    REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON reconciliation_runs, reconciliation_breaks FROM ledger_app;
    GRANT SELECT ON reconciliation_runs, reconciliation_breaks, break_events TO ledger_app;
    GRANT EXECUTE ON FUNCTION
      ledger_save_run(varchar, varchar, varchar, varchar, timestamptz, timestamptz, bigint, bigint, bigint,
        varchar[], varchar[], varchar[], bigint[], varchar[], bigint[], bigint[], bigint[], bigint[], varchar[],
        varchar[], varchar[], varchar[], varchar[], bigint[]),
      ledger_resolve_break(bigint, varchar, varchar) TO ledger_app;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_auditor') THEN
    GRANT SELECT ON reconciliation_runs, reconciliation_breaks, break_events TO ledger_auditor;
  END IF;
END
$$;
/* [jooq ignore stop] */
