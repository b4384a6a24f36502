-- Match rules (DESIGN.md section 4): every run records how many lines each rule matched, each match
-- of the rules that are not exact (tolerance, date lag, amount and date, by sum) with its lines and
-- entries, and the keys it matched as sorted 64-bit hashes (8 bytes per key), so that a later run
-- of another file flags a line already matched as DUPLICATE_ACROSS_STATEMENTS (a kind V12 already
-- allows). All three are written by the new ledger_save_run overload in the same transaction as the
-- run and are part of the run's content hash; they never change.
--
-- A FEE_MISMATCH found by the bill's own fee rate (WeChat Pay 费率) carries the rate as `stated` and
-- gross x rate as `computed`.
--
-- Names: the break's `match_key` column is the `key` of Java and JSON; `account` on runs and breaks
-- is the reconciled account (a wallet's clearing account, the bank account of a bank statement).

CREATE TABLE reconciliation_rule_counts (
  run_id bigint NOT NULL,
  rule varchar(32) COLLATE "C" NOT NULL,
  matches bigint NOT NULL,
  CONSTRAINT reconciliation_rule_counts_pk PRIMARY KEY (run_id, rule),
  CONSTRAINT reconciliation_rule_counts_run_fk FOREIGN KEY (run_id) REFERENCES reconciliation_runs (id),
  CONSTRAINT reconciliation_rule_counts_matches_ck CHECK (matches > 0)
);

CREATE TABLE reconciliation_matches (
  id bigint GENERATED ALWAYS AS IDENTITY,
  run_id bigint NOT NULL,
  rule varchar(32) COLLATE "C" NOT NULL,
  match_key varchar(200) COLLATE "C",
  statement_lines varchar NOT NULL,
  entry_ids varchar COLLATE "C" NOT NULL,
  CONSTRAINT reconciliation_matches_pk PRIMARY KEY (id),
  CONSTRAINT reconciliation_matches_run_fk FOREIGN KEY (run_id) REFERENCES reconciliation_runs (id)
);

CREATE INDEX reconciliation_matches_run_ix ON reconciliation_matches (run_id, id);

CREATE TABLE reconciliation_matched_keys (
  run_id bigint NOT NULL,
  key_hashes bytea NOT NULL,
  CONSTRAINT reconciliation_matched_keys_pk PRIMARY KEY (run_id),
  CONSTRAINT reconciliation_matched_keys_run_fk FOREIGN KEY (run_id) REFERENCES reconciliation_runs (id),
  CONSTRAINT reconciliation_matched_keys_width_ck CHECK (octet_length(key_hashes) % 8 = 0)
);

ALTER TABLE reconciliation_breaks DROP CONSTRAINT reconciliation_breaks_figures_ck;
ALTER TABLE reconciliation_breaks ADD CONSTRAINT reconciliation_breaks_figures_ck
  CHECK (CASE WHEN kind = 'STATEMENT_INCONSISTENT' THEN stated IS NOT NULL AND computed IS NOT NULL
              WHEN kind = 'FEE_MISMATCH' THEN (stated IS NULL) = (computed IS NULL)
              ELSE stated IS NULL AND computed IS NULL END);

/* [jooq ignore start] */
CREATE TRIGGER reconciliation_rule_counts_immutable BEFORE UPDATE OR DELETE ON reconciliation_rule_counts
  FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER reconciliation_rule_counts_no_truncate BEFORE TRUNCATE ON reconciliation_rule_counts
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER reconciliation_matches_immutable BEFORE UPDATE OR DELETE ON reconciliation_matches
  FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER reconciliation_matches_no_truncate BEFORE TRUNCATE ON reconciliation_matches
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER reconciliation_matched_keys_immutable BEFORE UPDATE OR DELETE ON reconciliation_matched_keys
  FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER reconciliation_matched_keys_no_truncate BEFORE TRUNCATE ON reconciliation_matched_keys
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_forbid_change();

-- A run's content: as in V14, followed by its rule counts (by rule), its matches (by id) and the
-- SHA-256 of its matched-key hashes. A run without them (every run stored before V17) hashes as before.
CREATE OR REPLACE FUNCTION ledger_run_hash(run bigint) RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT sha256(convert_to(ledger_run_text(r)
    || coalesce((SELECT string_agg(ledger_break_text(b), '' ORDER BY b.id)
                 FROM reconciliation_breaks b WHERE b.run_id = r.id), '')
    || coalesce((SELECT string_agg('rule_count' || E'\nrule=' || ledger_canon(c.rule::text)
                   || E'\nmatches=' || ledger_canon(c.matches) || E'\n', '' ORDER BY c.rule)
                 FROM reconciliation_rule_counts c WHERE c.run_id = r.id), '')
    || coalesce((SELECT string_agg('match' || E'\nid=' || ledger_canon(m.id)
                   || E'\nrule=' || ledger_canon(m.rule::text)
                   || E'\nmatch_key=' || ledger_canon(m.match_key::text)
                   || E'\nstatement_lines=' || ledger_canon(m.statement_lines::text)
                   || E'\nentry_ids=' || ledger_canon(m.entry_ids::text) || E'\n', '' ORDER BY m.id)
                 FROM reconciliation_matches m WHERE m.run_id = r.id), '')
    || coalesce((SELECT 'matched_keys' || E'\nsha256=' || ledger_canon(encode(sha256(k.key_hashes), 'hex')) || E'\n'
                 FROM reconciliation_matched_keys k WHERE k.run_id = r.id), ''), 'UTF8'))
  FROM reconciliation_runs r WHERE r.id = run
$$;

-- V14's ledger_save_run with the run's rule counts (rule_names/rule_matches), its matches (m_*: the
-- lines as decimal numbers joined by ',', the entry ids joined by ' ', which entry ids never
-- contain) and its matched-key hashes, all stored before the run's hash is taken.
CREATE FUNCTION ledger_save_run(
    run_source varchar, run_account varchar, run_file_name varchar, run_file_sha256 varchar,
    run_period_start timestamptz, run_period_end timestamptz, run_lines bigint, run_matched bigint,
    run_tolerance bigint,
    b_kinds varchar[], b_keys varchar[], b_entry_ids varchar[], b_lines bigint[], b_currencies varchar[],
    b_statement_gross bigint[], b_ledger_gross bigint[], b_statement_fee bigint[], b_ledger_fee bigint[],
    b_txn_ids varchar[], b_refund_ids varchar[], b_order_ids varchar[], b_stated varchar[],
    b_computed varchar[], closed_ids bigint[],
    rule_names varchar[], rule_matches bigint[],
    m_rules varchar[], m_keys varchar[], m_lines varchar[], m_entry_ids varchar[],
    key_hashes bytea,
    OUT run_id bigint, OUT created boolean)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  n integer := coalesce(cardinality(b_kinds), 0);
  m integer := coalesce(cardinality(m_rules), 0);
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
  IF coalesce(cardinality(rule_names), 0) <> coalesce(cardinality(rule_matches), 0)
      OR coalesce(cardinality(m_keys), 0) <> m OR coalesce(cardinality(m_lines), 0) <> m
      OR coalesce(cardinality(m_entry_ids), 0) <> m THEN
    RAISE EXCEPTION 'ledger_save_run: the rule or match arrays differ in length (% matches)', m
      USING ERRCODE = '22023';
  END IF;

  INSERT INTO reconciliation_runs (source, account, file_name, file_sha256, period_start, period_end,
      lines, matched, break_count, tolerance, created_at)
    VALUES (run_source, run_account, run_file_name, run_file_sha256, run_period_start, run_period_end,
      run_lines, run_matched, n, run_tolerance, now_at)
    ON CONFLICT ON CONSTRAINT reconciliation_runs_file_uk DO NOTHING
    RETURNING id INTO run_id;
  IF run_id IS NULL THEN
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

  INSERT INTO reconciliation_rule_counts (run_id, rule, matches)
  SELECT run_id, x.rule, x.matches FROM unnest(rule_names, rule_matches) AS x(rule, matches)
  WHERE x.matches > 0;

  INSERT INTO reconciliation_matches (run_id, rule, match_key, statement_lines, entry_ids)
  SELECT run_id, x.rule, x.match_key, x.lines, x.entry_ids
  FROM unnest(m_rules, m_keys, m_lines, m_entry_ids) WITH ORDINALITY AS x(rule, match_key, lines, entry_ids, o)
  ORDER BY x.o;

  IF key_hashes IS NOT NULL AND octet_length(key_hashes) > 0 THEN
    INSERT INTO reconciliation_matched_keys (run_id, key_hashes) VALUES (run_id, key_hashes);
  END IF;

  INSERT INTO seal_queue (kind, record_id, recorded_at, content_hash)
    VALUES ('run', run_id, now_at, ledger_run_hash(run_id));

  IF coalesce(cardinality(closed_ids), 0) > 0 THEN
    -- As in V14: each id a primary key probe, locked before its event.
    WITH locked AS MATERIALIZED (
      SELECT b.id, b.status, b.source, b.account
        FROM (SELECT DISTINCT x.id FROM unnest(closed_ids) AS x(id) ORDER BY x.id) c
        CROSS JOIN LATERAL (
          SELECT o.id, o.status, o.source, o.account FROM reconciliation_breaks o WHERE o.id = c.id
             FOR UPDATE) b),
    closing AS (
      SELECT l.id FROM locked l
       WHERE l.status IN ('open', 'assigned') AND l.source = run_source AND l.account = run_account),
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

REVOKE EXECUTE ON FUNCTION
  ledger_save_run(varchar, varchar, varchar, varchar, timestamptz, timestamptz, bigint, bigint, bigint,
    varchar[], varchar[], varchar[], bigint[], varchar[], bigint[], bigint[], bigint[], bigint[], varchar[],
    varchar[], varchar[], varchar[], varchar[], bigint[], varchar[], bigint[], varchar[], varchar[], varchar[],
    varchar[], bytea) FROM PUBLIC;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_app') THEN
    GRANT SELECT ON reconciliation_rule_counts, reconciliation_matches, reconciliation_matched_keys TO ledger_app;
    GRANT EXECUTE ON FUNCTION
      ledger_save_run(varchar, varchar, varchar, varchar, timestamptz, timestamptz, bigint, bigint, bigint,
        varchar[], varchar[], varchar[], bigint[], varchar[], bigint[], bigint[], bigint[], bigint[], varchar[],
        varchar[], varchar[], varchar[], varchar[], bigint[], varchar[], bigint[], varchar[], varchar[], varchar[],
        varchar[], bytea) TO ledger_app;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_auditor') THEN
    GRANT SELECT ON reconciliation_rule_counts, reconciliation_matches, reconciliation_matched_keys
      TO ledger_auditor;
  END IF;
END
$$;
/* [jooq ignore stop] */
