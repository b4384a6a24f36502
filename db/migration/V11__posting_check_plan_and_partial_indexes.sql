-- Posting path fixes (numbered after V10 so that databases already at V10 apply it in order).
--
-- 1. The statement-level check of V3 joined the transition table to entries. PL/pgSQL caches that
--    plan per session, planned for the first INSERT it saw: after a bulk batch, a session kept a
--    hash join over a sequential scan of all entries for every later post (about 2 ms per
--    single-entry post at 26,000 entries, growing with the table). The entry is now looked up by
--    primary key per entry of the statement, whatever the cached plan. Same rules, same messages.
-- 2. The reconciliation keys provider_txn_id and provider_refund_id are absent from most entries
--    (settlements, fees; refund ids from every payment), yet each entry added a NULL to both
--    indexes. Partial indexes serve the same lookups (= / = ANY imply IS NOT NULL).

/* [jooq ignore start] */
CREATE OR REPLACE FUNCTION ledger_check_postings() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT t.entry_sequence, t.reason INTO bad FROM (
    SELECT n.entry_sequence, 'unbalanced in ' || n.currency AS reason
      FROM new_rows n GROUP BY n.entry_sequence, n.currency HAVING sum(n.amount) <> 0
    UNION ALL
    SELECT c.entry_sequence, 'postings do not match the entry''s posting count, or the entry is missing'
      FROM (SELECT entry_sequence, count(*) AS n, min(posting_index) AS lo, max(posting_index) AS hi
              FROM new_rows GROUP BY entry_sequence) c
      WHERE coalesce((SELECT e.posting_count FROM entries e WHERE e.sequence = c.entry_sequence), -1) <> c.n
         OR c.lo <> 0 OR c.hi <> c.n - 1
  ) t LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'entry with sequence % is rejected: %', bad.entry_sequence, bad.reason
      USING ERRCODE = 'LD002';
  END IF;
  RETURN NULL;
END
$$;

DROP INDEX entries_provider_txn_ix;
CREATE INDEX entries_provider_txn_ix ON entries ((metadata ->> 'provider_txn_id'))
  WHERE (metadata ->> 'provider_txn_id') IS NOT NULL;
DROP INDEX entries_provider_refund_ix;
CREATE INDEX entries_provider_refund_ix ON entries ((metadata ->> 'provider_refund_id'))
  WHERE (metadata ->> 'provider_refund_id') IS NOT NULL;
/* [jooq ignore stop] */
