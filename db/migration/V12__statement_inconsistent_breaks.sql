-- A statement whose own figures disagree (opening + movements != closing, a summary row or footer
-- that the rows do not add up to) is reconciled with a STATEMENT_INCONSISTENT break that carries
-- both figures: what the file states and what its lines give (decimal strings or counts, as the
-- file writes them). DUPLICATE_ACROSS_STATEMENTS is reserved for a line whose key an earlier
-- statement already matched.

ALTER TABLE reconciliation_breaks ADD COLUMN stated varchar(64);
ALTER TABLE reconciliation_breaks ADD COLUMN computed varchar(64);
ALTER TABLE reconciliation_breaks DROP CONSTRAINT reconciliation_breaks_kind_ck;
ALTER TABLE reconciliation_breaks ADD CONSTRAINT reconciliation_breaks_kind_ck CHECK (kind IN (
  'MISSING_IN_LEDGER', 'MISSING_IN_STATEMENT', 'AMOUNT_MISMATCH', 'FEE_MISMATCH', 'CURRENCY_MISMATCH',
  'DUPLICATE_IN_STATEMENT', 'AMBIGUOUS_MATCH', 'STATEMENT_INCONSISTENT', 'DUPLICATE_ACROSS_STATEMENTS'));
ALTER TABLE reconciliation_breaks ADD CONSTRAINT reconciliation_breaks_figures_ck
  CHECK ((kind = 'STATEMENT_INCONSISTENT') = (stated IS NOT NULL AND computed IS NOT NULL));
