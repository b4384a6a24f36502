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
-- ledger_post (V13) is unchanged: its statements find the new indexes when they are planned.
-- Inserting a batch's postings in the order of postings_account_effective_ix was measured and
-- left out: it cost the primary key its rightmost-page fast path and saved nothing once warm.

/* [jooq ignore start] */
ALTER TABLE entries DROP CONSTRAINT entries_reversal_of_uk;
CREATE UNIQUE INDEX entries_reversal_of_uk ON entries (reversal_of) WHERE reversal_of IS NOT NULL;

DROP INDEX entries_provider_effective_ix;
CREATE INDEX entries_provider_effective_ix ON entries ((metadata ->> 'provider'), effective_at)
  WHERE (metadata ->> 'provider') IS NOT NULL;

CREATE INDEX accounts_no_overdraft_ix ON accounts (code) WHERE no_overdraft;

ALTER TABLE balances SET (fillfactor = 50);
ALTER TABLE balance_days SET (fillfactor = 50);

/* [jooq ignore stop] */
