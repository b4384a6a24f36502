-- Closed periods (DESIGN.md section 5): once a period is closed, no new entry effective on or
-- before its end may be booked, either for the whole ledger or only for entries with a posting on
-- an account prefix.
--
-- 1. Closing and reopening are append-only period_events, written only through the SECURITY
--    DEFINER functions ledger_close_period and ledger_reopen_period, and queued for the hash chain
--    of V13 as records of kind 'period_event', so verify recomputes them. A period's state is the
--    action of its last event; no other table holds it, so nothing else can disagree with them.
-- 2. The rule is enforced on every INSERT into postings (the statement-level trigger sees each
--    posting with its account, which a trigger on entries could not: entries are inserted before
--    their postings, and a period closed under a prefix looks at the accounts). An entry in a
--    closed period raises LD008 naming it, whoever inserts it, through ledger_post or raw SQL.
-- 3. A close waits for the posts in flight and the posts wait for a close in flight (one advisory
--    lock, exclusive for closing and reopening, shared for posting): a post either committed
--    before the close, or checks after it and sees it (READ COMMITTED takes a snapshot per
--    statement). Posts do not wait for each other.
--
-- Content hashes are SHA-256 over the canonical text of V14 (ledger_canon); dev.ledger.db.period
-- .PeriodCanon documents the format and recomputes it in Java.

CREATE TABLE period_events (
  id bigint GENERATED ALWAYS AS IDENTITY,
  action varchar(8) NOT NULL,
  through timestamptz NOT NULL,
  prefix varchar(200) COLLATE "C",
  reason varchar(4000) NOT NULL,
  actor varchar(128) NOT NULL,
  at timestamptz NOT NULL,
  content_hash bytea NOT NULL,
  CONSTRAINT period_events_pk PRIMARY KEY (id),
  CONSTRAINT period_events_action_ck CHECK (action IN ('close', 'reopen')),
  CONSTRAINT period_events_hash_ck CHECK (octet_length(content_hash) = 32)
);

-- A period's events in order: its state is the last one.
CREATE INDEX period_events_period_ix ON period_events (through, prefix, id);

ALTER TABLE chain DROP CONSTRAINT chain_kind_ck;
ALTER TABLE chain ADD CONSTRAINT chain_kind_ck
  CHECK (kind IN ('entry', 'account', 'run', 'break_event', 'period_event'));
ALTER TABLE seal_queue DROP CONSTRAINT seal_queue_kind_ck;
ALTER TABLE seal_queue ADD CONSTRAINT seal_queue_kind_ck
  CHECK (kind IN ('entry', 'account', 'run', 'break_event', 'period_event'));

/* [jooq ignore start] */
CREATE TRIGGER period_events_immutable BEFORE UPDATE OR DELETE ON period_events
  FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();
CREATE TRIGGER period_events_no_truncate BEFORE TRUNCATE ON period_events
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_forbid_change();

-- The text of a 'period_event' record (PeriodCanon): kind, then id, action, through, prefix,
-- reason, actor, at.
CREATE FUNCTION ledger_period_event_text(event_id bigint, event_action varchar, event_through timestamptz,
    event_prefix varchar, event_reason varchar, event_actor varchar, event_at timestamptz)
  RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT 'period_event' || E'\nid=' || ledger_canon(event_id)
    || E'\naction=' || ledger_canon(event_action::text)
    || E'\nthrough=' || ledger_canon(event_through)
    || E'\nprefix=' || ledger_canon(event_prefix::text)
    || E'\nreason=' || ledger_canon(event_reason::text)
    || E'\nactor=' || ledger_canon(event_actor::text)
    || E'\nat=' || ledger_canon(event_at) || E'\n'
$$;

CREATE FUNCTION ledger_period_event_hash(event_id bigint, event_action varchar, event_through timestamptz,
    event_prefix varchar, event_reason varchar, event_actor varchar, event_at timestamptz)
  RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT sha256(convert_to(ledger_period_event_text(event_id, event_action, event_through, event_prefix,
    event_reason, event_actor, event_at), 'UTF8'))
$$;

-- The key of the advisory lock between closing and posting ('LDPERIOD' read as 8 bytes).
CREATE FUNCTION ledger_period_lock_key() RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT 5495858938327943492::bigint
$$;

-- The periods closed now: a period is its end and prefix, its state the action of its last event.
CREATE FUNCTION ledger_closed_periods() RETURNS TABLE (id bigint, through timestamptz, prefix varchar)
  LANGUAGE sql STABLE AS $$
  SELECT l.id, l.through, l.prefix FROM (
    SELECT DISTINCT ON (e.through, e.prefix) e.id, e.action, e.through, e.prefix
    FROM period_events e ORDER BY e.through, e.prefix, e.id DESC) l
  WHERE l.action = 'close'
$$;

-- Every entry that one INSERT into postings touches must lie outside every closed period: its
-- postings' effective time after the period's end, or, for a period under a prefix, no posting
-- on the prefix or below it. The first offender (lowest sequence) raises LD008 with its id.
CREATE FUNCTION ledger_check_period_open() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
  entry_id varchar;
BEGIN
  PERFORM pg_advisory_xact_lock_shared(ledger_period_lock_key());
  IF NOT EXISTS (SELECT 1 FROM period_events) THEN
    RETURN NULL;
  END IF;
  SELECT n.entry_sequence, n.effective_at, c.id AS event_id, c.through, c.prefix INTO bad
  FROM ledger_closed_periods() c
  JOIN new_rows n ON n.effective_at <= c.through
    AND (c.prefix IS NULL OR n.account = c.prefix OR left(n.account, length(c.prefix) + 1) = c.prefix || ':')
  ORDER BY n.entry_sequence, c.through DESC
  LIMIT 1;
  IF FOUND THEN
    entry_id := (SELECT e.id FROM entries e WHERE e.sequence = bad.entry_sequence);
    RAISE EXCEPTION USING ERRCODE = 'LD008', DETAIL = coalesce(entry_id, ''),
      MESSAGE = format('entry %s is effective at %s, in the closed period through %s%s',
        coalesce(entry_id, 'with sequence ' || bad.entry_sequence), ledger_instant_text(bad.effective_at),
        ledger_instant_text(bad.through), CASE WHEN bad.prefix IS NULL THEN '' ELSE ' under ' || bad.prefix END);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER postings_period_open AFTER INSERT ON postings
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_period_open();

-- Pending entries (V15) keep their postings in pending_postings, which has no effective time of
-- its own: the same rule, with the time read from the entry.
CREATE FUNCTION ledger_check_pending_period_open() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  PERFORM pg_advisory_xact_lock_shared(ledger_period_lock_key());
  IF NOT EXISTS (SELECT 1 FROM period_events) THEN
    RETURN NULL;
  END IF;
  SELECT en.id AS entry_id, en.effective_at, c.through, c.prefix INTO bad
  FROM ledger_closed_periods() c
  JOIN new_rows n ON c.prefix IS NULL OR n.account = c.prefix
    OR left(n.account, length(c.prefix) + 1) = c.prefix || ':'
  JOIN entries en ON en.sequence = n.entry_sequence AND en.effective_at <= c.through
  ORDER BY n.entry_sequence, c.through DESC
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'LD008', DETAIL = bad.entry_id,
      MESSAGE = format('entry %s is effective at %s, in the closed period through %s%s',
        bad.entry_id, ledger_instant_text(bad.effective_at), ledger_instant_text(bad.through),
        CASE WHEN bad.prefix IS NULL THEN '' ELSE ' under ' || bad.prefix END);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER pending_postings_period_open AFTER INSERT ON pending_postings
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_pending_period_open();

-- Records one close or reopen when it changes the period's state, under the exclusive lock, and
-- queues it for the chain. status: CLOSED / REOPENED, or ALREADY_CLOSED / NOT_CLOSED with nothing
-- recorded (event_id and event_at NULL).
CREATE FUNCTION ledger_record_period_event(event_action varchar, period_through timestamptz,
    period_prefix varchar, period_reason varchar,
    OUT status varchar, OUT event_id bigint, OUT event_at timestamptz)
  LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  last_action varchar;
  who varchar := session_user;
  digest bytea;
BEGIN
  IF period_through IS NULL THEN
    RAISE EXCEPTION 'a period needs its end (through)' USING ERRCODE = '22023';
  END IF;
  IF period_prefix IS NOT NULL AND (length(period_prefix) > 200
      OR period_prefix !~ '^(assets|expenses|liabilities|equity|income)(:[a-z0-9][a-z0-9_.-]*)*$') THEN
    RAISE EXCEPTION 'invalid account prefix ''%'' for a period', period_prefix USING ERRCODE = '22023';
  END IF;
  IF period_reason IS NULL OR btrim(period_reason) = '' THEN
    RAISE EXCEPTION 'a period close or reopen needs a reason' USING ERRCODE = '22023';
  END IF;
  PERFORM pg_advisory_xact_lock(ledger_period_lock_key());
  SELECT e.action INTO last_action FROM period_events e
   WHERE e.through = period_through AND e.prefix IS NOT DISTINCT FROM period_prefix
   ORDER BY e.id DESC LIMIT 1;
  IF event_action = 'close' AND last_action IS NOT DISTINCT FROM 'close' THEN
    status := 'ALREADY_CLOSED';
    RETURN;
  END IF;
  IF event_action = 'reopen' AND last_action IS DISTINCT FROM 'close' THEN
    status := 'NOT_CLOSED';
    RETURN;
  END IF;
  event_id := nextval(pg_get_serial_sequence('period_events', 'id'));
  event_at := clock_timestamp();
  digest := ledger_period_event_hash(event_id, event_action, period_through, period_prefix, period_reason,
    who, event_at);
  INSERT INTO period_events (id, action, through, prefix, reason, actor, at, content_hash)
    OVERRIDING SYSTEM VALUE
    VALUES (event_id, event_action, period_through, period_prefix, period_reason, who, event_at, digest);
  INSERT INTO seal_queue (kind, record_id, recorded_at, content_hash)
    VALUES ('period_event', event_id, event_at, digest);
  status := CASE WHEN event_action = 'close' THEN 'CLOSED' ELSE 'REOPENED' END;
END
$$;

CREATE FUNCTION ledger_close_period(period_through timestamptz, period_prefix varchar, period_reason varchar,
    OUT status varchar, OUT event_id bigint, OUT event_at timestamptz)
  LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT * FROM ledger_record_period_event('close', period_through, period_prefix, period_reason)
$$;

CREATE FUNCTION ledger_reopen_period(period_through timestamptz, period_prefix varchar, period_reason varchar,
    OUT status varchar, OUT event_id bigint, OUT event_at timestamptz)
  LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT * FROM ledger_record_period_event('reopen', period_through, period_prefix, period_reason)
$$;

REVOKE EXECUTE ON FUNCTION
  ledger_record_period_event(varchar, timestamptz, varchar, varchar),
  ledger_close_period(timestamptz, varchar, varchar),
  ledger_reopen_period(timestamptz, varchar, varchar) FROM PUBLIC;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_app') THEN
    REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON period_events FROM ledger_app;
    GRANT SELECT ON period_events TO ledger_app;
    GRANT EXECUTE ON FUNCTION ledger_close_period(timestamptz, varchar, varchar),
      ledger_reopen_period(timestamptz, varchar, varchar) TO ledger_app;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_auditor') THEN
    GRANT SELECT ON period_events TO ledger_auditor;
  END IF;
END
$$;
/* [jooq ignore stop] */
