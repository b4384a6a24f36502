-- V2's check counted each touched entry's stored postings with a correlated subquery; the primary
-- key makes that unnecessary. Same rules, one pass over the transition table.

/* [jooq ignore start] */
-- Set-based check of every entry touched by one INSERT into postings: the entry exists, this
-- statement brings exactly posting_count postings indexed 0..posting_count-1 (the primary key then
-- rules out postings added before or after), and each currency nets to zero.
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
      LEFT JOIN entries e ON e.sequence = c.entry_sequence
      WHERE e.sequence IS NULL OR e.posting_count <> c.n OR c.lo <> 0 OR c.hi <> c.n - 1
  ) t LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'entry with sequence % is rejected: %', bad.entry_sequence, bad.reason
      USING ERRCODE = 'LD002';
  END IF;
  RETURN NULL;
END
$$;
/* [jooq ignore stop] */
