-- Reconciliation runs and breaks (DESIGN.md section 4). A run is stored once per source, account
-- and statement file hash, so re-running the same file reports the stored result.

CREATE TABLE reconciliation_runs (
  id bigint GENERATED ALWAYS AS IDENTITY,
  source varchar(32) NOT NULL,
  account varchar(200) COLLATE "C" NOT NULL,
  file_name varchar(1000) NOT NULL,
  file_sha256 varchar(64) NOT NULL,
  period_start timestamptz,
  period_end timestamptz,
  lines bigint NOT NULL,
  matched bigint NOT NULL,
  break_count bigint NOT NULL,
  tolerance bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT reconciliation_runs_pk PRIMARY KEY (id),
  CONSTRAINT reconciliation_runs_file_uk UNIQUE (source, account, file_sha256),
  CONSTRAINT reconciliation_runs_counts_ck CHECK (lines >= 0 AND matched >= 0 AND break_count >= 0)
);

CREATE TABLE reconciliation_breaks (
  id bigint GENERATED ALWAYS AS IDENTITY,
  run_id bigint NOT NULL,
  source varchar(32) NOT NULL,
  account varchar(200) COLLATE "C" NOT NULL,
  kind varchar(32) NOT NULL,
  match_key varchar(200) COLLATE "C",
  entry_id varchar(128) COLLATE "C",
  statement_line bigint,
  currency varchar(3),
  statement_gross bigint,
  ledger_gross bigint,
  statement_fee bigint,
  ledger_fee bigint,
  provider_txn_id varchar(200),
  provider_refund_id varchar(200),
  order_id varchar(200),
  status varchar(16) NOT NULL,
  closed_run_id bigint,
  resolved_at timestamptz,
  resolution_note varchar(4000),
  adjustment_entry_id varchar(128),
  CONSTRAINT reconciliation_breaks_pk PRIMARY KEY (id),
  CONSTRAINT reconciliation_breaks_run_fk FOREIGN KEY (run_id) REFERENCES reconciliation_runs (id),
  CONSTRAINT reconciliation_breaks_closed_run_fk FOREIGN KEY (closed_run_id) REFERENCES reconciliation_runs (id),
  CONSTRAINT reconciliation_breaks_kind_ck CHECK (kind IN ('MISSING_IN_LEDGER', 'MISSING_IN_STATEMENT',
    'AMOUNT_MISMATCH', 'FEE_MISMATCH', 'CURRENCY_MISMATCH', 'DUPLICATE_IN_STATEMENT', 'AMBIGUOUS_MATCH')),
  CONSTRAINT reconciliation_breaks_status_ck CHECK (status IN ('open', 'closed', 'resolved')),
  CONSTRAINT reconciliation_breaks_closed_ck CHECK ((status = 'closed') = (closed_run_id IS NOT NULL)),
  CONSTRAINT reconciliation_breaks_resolved_ck CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);

CREATE INDEX reconciliation_breaks_open_ix ON reconciliation_breaks (source, account, status);
CREATE INDEX reconciliation_breaks_run_ix ON reconciliation_breaks (run_id);

/* [jooq ignore start] */
-- Wallet reconciliation loads a provider's entries by effective time, and open breaks by key.
CREATE INDEX entries_provider_effective_ix ON entries ((metadata ->> 'provider'), effective_at);
CREATE INDEX entries_provider_txn_ix ON entries ((metadata ->> 'provider_txn_id'));
CREATE INDEX entries_provider_refund_ix ON entries ((metadata ->> 'provider_refund_id'));

-- The application records runs and moves breaks through their lifecycle; auditors only read.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_app') THEN
    GRANT SELECT, INSERT ON reconciliation_runs TO ledger_app;
    GRANT SELECT, INSERT, UPDATE ON reconciliation_breaks TO ledger_app;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_auditor') THEN
    GRANT SELECT ON reconciliation_runs, reconciliation_breaks TO ledger_auditor;
  END IF;
END
$$;
/* [jooq ignore stop] */
