-- Ledger core tables. Amounts are BIGINT minor units; codes and ids use the "C" collation so that
-- ordering and prefix ranges agree with Java's String ordering.

CREATE TABLE accounts (
  code varchar(200) COLLATE "C" NOT NULL,
  type varchar(16) NOT NULL,
  no_overdraft boolean NOT NULL,
  CONSTRAINT accounts_pk PRIMARY KEY (code),
  CONSTRAINT accounts_type_ck CHECK (type IN ('assets', 'expenses', 'liabilities', 'equity', 'income'))
);

-- One row per entry in append (commit) order. hash = SHA-256(prev_hash || sequence, recorded_at and
-- the canonical entry text); content_hash = SHA-256(canonical text) for idempotency comparison.
CREATE TABLE entries (
  sequence bigint NOT NULL,
  id varchar(128) COLLATE "C" NOT NULL,
  effective_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL,
  description varchar(1000) NOT NULL,
  metadata jsonb NOT NULL,
  reversal_of varchar(128) COLLATE "C",
  posting_count integer NOT NULL,
  content_hash bytea NOT NULL,
  prev_hash bytea NOT NULL,
  hash bytea NOT NULL,
  CONSTRAINT entries_pk PRIMARY KEY (sequence),
  CONSTRAINT entries_id_uk UNIQUE (id),
  CONSTRAINT entries_reversal_of_uk UNIQUE (reversal_of),
  CONSTRAINT entries_sequence_ck CHECK (sequence > 0),
  CONSTRAINT entries_posting_count_ck CHECK (posting_count >= 2),
  CONSTRAINT entries_hash_ck CHECK (octet_length(hash) = 32 AND octet_length(prev_hash) = 32)
);

-- Signed amount: debit positive, credit negative. effective_at and recorded_at are copied from the
-- entry so that point-in-time sums are index-only scans.
CREATE TABLE postings (
  entry_sequence bigint NOT NULL,
  posting_index integer NOT NULL,
  account varchar(200) COLLATE "C" NOT NULL,
  currency varchar(3) COLLATE "C" NOT NULL,
  amount bigint NOT NULL,
  effective_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL,
  CONSTRAINT postings_pk PRIMARY KEY (entry_sequence, posting_index),
  CONSTRAINT postings_amount_ck CHECK (amount <> 0)
);

CREATE INDEX postings_account_effective_ix
  ON postings (account, currency, effective_at) INCLUDE (amount, recorded_at);

-- Running totals per account and currency: the rows locked (in key order) for no_overdraft checks.
CREATE TABLE balances (
  account varchar(200) COLLATE "C" NOT NULL,
  currency varchar(3) COLLATE "C" NOT NULL,
  debits bigint NOT NULL,
  credits bigint NOT NULL,
  CONSTRAINT balances_pk PRIMARY KEY (account, currency)
);

-- Daily checkpoints by effective day (UTC): balance at T = full days before T + a range sum inside
-- T's day. min/max recorded_at tell an "as known at" query which days it may take whole.
CREATE TABLE balance_days (
  account varchar(200) COLLATE "C" NOT NULL,
  currency varchar(3) COLLATE "C" NOT NULL,
  day timestamptz NOT NULL,
  debits bigint NOT NULL,
  credits bigint NOT NULL,
  min_recorded_at timestamptz NOT NULL,
  max_recorded_at timestamptz NOT NULL,
  CONSTRAINT balance_days_pk PRIMARY KEY (account, currency, day)
);

-- Head of the hash chain: the single row locked to append, so sequence and recorded_at follow
-- commit order.
CREATE TABLE chain_head (
  id integer NOT NULL,
  last_sequence bigint NOT NULL,
  last_recorded_at timestamptz NOT NULL,
  last_hash bytea NOT NULL,
  CONSTRAINT chain_head_pk PRIMARY KEY (id),
  CONSTRAINT chain_head_single_ck CHECK (id = 1)
);

/* [jooq ignore start] */
INSERT INTO chain_head (id, last_sequence, last_recorded_at, last_hash)
VALUES (1, 0, TIMESTAMPTZ '1970-01-01 00:00:00+00', decode(repeat('00', 32), 'hex'));
/* [jooq ignore stop] */
