-- The break workflow (DESIGN.md section 4): open -> assigned (to a person) -> resolved (by a
-- person) or closed (by a later run), with comments kept in order, each with its author and time.
--
-- Everything stays an append-only, hashed break_events row as in V14: two more kinds,
-- 'assigned' (assignee = the person now responsible) and 'comment' (note = the text; the break
-- does not move). author is the person named by the caller (ledger --as NAME, LEDGER_USER), the
-- database user when none is named; actor stays the database user that wrote the event.
-- The canonical text of an event gains 'author=' and 'assignee=' lines only where they are set,
-- so every event stored before this migration keeps its text and hash (ReconciliationCanon).

ALTER TABLE reconciliation_breaks ADD COLUMN assignee varchar(128);
ALTER TABLE break_events ADD COLUMN author varchar(128);
ALTER TABLE break_events ADD COLUMN assignee varchar(128);

ALTER TABLE reconciliation_breaks DROP CONSTRAINT reconciliation_breaks_status_ck;
ALTER TABLE reconciliation_breaks ADD CONSTRAINT reconciliation_breaks_status_ck
  CHECK (status IN ('open', 'assigned', 'closed', 'resolved'));
ALTER TABLE break_events DROP CONSTRAINT break_events_status_ck;
ALTER TABLE break_events ADD CONSTRAINT break_events_status_ck
  CHECK (status IN ('closed', 'resolved', 'assigned', 'comment'));
ALTER TABLE break_events ADD CONSTRAINT break_events_assignee_ck
  CHECK ((status = 'assigned') = (assignee IS NOT NULL));
ALTER TABLE break_events ADD CONSTRAINT break_events_comment_ck
  CHECK (status <> 'comment' OR note IS NOT NULL);

/* [jooq ignore start] */
-- The V14 text, then the fields this migration added, each only when set.
CREATE FUNCTION ledger_break_event_text(event_id bigint, event_break_id bigint, event_status varchar,
    event_run_id bigint, event_note varchar, event_adjustment_entry_id varchar, event_actor varchar,
    event_at timestamptz, event_author varchar, event_assignee varchar)
  RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT ledger_break_event_text(event_id, event_break_id, event_status, event_run_id, event_note,
      event_adjustment_entry_id, event_actor, event_at)
    || CASE WHEN event_author IS NULL THEN '' ELSE 'author=' || ledger_canon(event_author::text) || E'\n' END
    || CASE WHEN event_assignee IS NULL THEN '' ELSE 'assignee=' || ledger_canon(event_assignee::text) || E'\n' END
$$;

CREATE FUNCTION ledger_break_event_hash(event_id bigint, event_break_id bigint, event_status varchar,
    event_run_id bigint, event_note varchar, event_adjustment_entry_id varchar, event_actor varchar,
    event_at timestamptz, event_author varchar, event_assignee varchar)
  RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT sha256(convert_to(ledger_break_event_text(event_id, event_break_id, event_status, event_run_id,
    event_note, event_adjustment_entry_id, event_actor, event_at, event_author, event_assignee), 'UTF8'))
$$;

-- Applies an event to its break. An open or assigned break moves (assigned again, resolved,
-- closed); a comment leaves it as it is, whatever its status. Any other event is refused (LD005).
CREATE OR REPLACE FUNCTION ledger_apply_break_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'comment' THEN
    RETURN NULL;
  END IF;
  UPDATE reconciliation_breaks b
     SET status = NEW.status,
         closed_run_id = CASE WHEN NEW.status = 'closed' THEN NEW.run_id END,
         resolved_at = CASE WHEN NEW.status = 'resolved' THEN NEW.at END,
         resolution_note = CASE WHEN NEW.status = 'resolved' THEN NEW.note END,
         adjustment_entry_id = CASE WHEN NEW.status = 'resolved' THEN NEW.adjustment_entry_id END,
         assignee = CASE WHEN NEW.status = 'assigned' THEN NEW.assignee ELSE b.assignee END
   WHERE b.id = NEW.break_id AND b.status IN ('open', 'assigned');
  IF NOT FOUND THEN
    RAISE EXCEPTION 'break event % refused: break % is neither open nor assigned', NEW.id, NEW.break_id
      USING ERRCODE = 'LD005';
  END IF;
  RETURN NULL;
END
$$;

-- Writes one event for a break locked by the caller and queues it for the chain; returns its id.
CREATE FUNCTION ledger_append_break_event(event_break_id bigint, event_status varchar, event_note varchar,
    event_adjustment_entry_id varchar, event_author varchar, event_assignee varchar)
  RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  event_id bigint := nextval(pg_get_serial_sequence('break_events', 'id'));
  now_at timestamptz := clock_timestamp();
  who varchar := session_user;
  written_by varchar := coalesce(nullif(btrim(event_author), ''), session_user);
  digest bytea;
BEGIN
  digest := ledger_break_event_hash(event_id, event_break_id, event_status, NULL, event_note,
    event_adjustment_entry_id, who, now_at, written_by, event_assignee);
  INSERT INTO break_events (id, break_id, status, run_id, note, adjustment_entry_id, actor, at, content_hash,
      author, assignee)
    OVERRIDING SYSTEM VALUE
    VALUES (event_id, event_break_id, event_status, NULL, event_note, event_adjustment_entry_id, who, now_at,
      digest, written_by, event_assignee);
  INSERT INTO seal_queue (kind, record_id, recorded_at, content_hash)
    VALUES ('break_event', event_id, now_at, digest);
  RETURN event_id;
END
$$;

-- A person takes (or hands on) an open or assigned break. Returns the break's status before the
-- call: 'open' or 'assigned' when it was assigned now, 'closed' or 'resolved' when nothing was
-- written because the break is settled, NULL when no such break exists.
CREATE FUNCTION ledger_assign_break(assigned_break_id bigint, assigned_to varchar, author varchar)
  RETURNS varchar LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  current_status varchar;
BEGIN
  IF assigned_to IS NULL OR btrim(assigned_to) = '' THEN
    RAISE EXCEPTION 'ledger_assign_break: the assignee must not be empty' USING ERRCODE = '22023';
  END IF;
  SELECT b.status INTO current_status FROM reconciliation_breaks b WHERE b.id = assigned_break_id FOR UPDATE;
  IF current_status IN ('open', 'assigned') THEN
    PERFORM ledger_append_break_event(assigned_break_id, 'assigned', NULL, NULL, author, btrim(assigned_to));
  END IF;
  RETURN current_status;
END
$$;

-- A comment on a break of any status, kept in order. Returns the break's status, NULL (and
-- nothing written) when no such break exists.
CREATE FUNCTION ledger_comment_break(commented_break_id bigint, comment_text varchar, author varchar)
  RETURNS varchar LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  current_status varchar;
BEGIN
  IF comment_text IS NULL OR btrim(comment_text) = '' THEN
    RAISE EXCEPTION 'ledger_comment_break: the comment must not be empty' USING ERRCODE = '22023';
  END IF;
  SELECT b.status INTO current_status FROM reconciliation_breaks b WHERE b.id = commented_break_id FOR UPDATE;
  IF current_status IS NOT NULL THEN
    PERFORM ledger_append_break_event(commented_break_id, 'comment', comment_text, NULL, author, NULL);
  END IF;
  RETURN current_status;
END
$$;

-- A person resolves an open or assigned break, naming who they are. Returns the status before the
-- call as ledger_assign_break does; resolved only when that is 'open' or 'assigned'.
CREATE FUNCTION ledger_resolve_break(resolved_break_id bigint, resolution_note varchar,
    adjustment_entry_id varchar, author varchar)
  RETURNS varchar LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  current_status varchar;
BEGIN
  SELECT b.status INTO current_status FROM reconciliation_breaks b WHERE b.id = resolved_break_id FOR UPDATE;
  IF current_status IN ('open', 'assigned') THEN
    PERFORM ledger_append_break_event(resolved_break_id, 'resolved', resolution_note, adjustment_entry_id,
      author, NULL);
  END IF;
  RETURN current_status;
END
$$;

-- V14's three-argument form resolves assigned breaks too, and still writes the V14 event text.
CREATE OR REPLACE FUNCTION ledger_resolve_break(resolved_break_id bigint, resolution_note varchar,
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
  IF current_status IS NULL OR current_status NOT IN ('open', 'assigned') THEN
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
  ledger_append_break_event(bigint, varchar, varchar, varchar, varchar, varchar),
  ledger_assign_break(bigint, varchar, varchar),
  ledger_comment_break(bigint, varchar, varchar),
  ledger_resolve_break(bigint, varchar, varchar, varchar) FROM PUBLIC;

-- ledger_append_break_event is internal (it does not check the break's status): not granted.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_app') THEN
    GRANT EXECUTE ON FUNCTION
      ledger_assign_break(bigint, varchar, varchar),
      ledger_comment_break(bigint, varchar, varchar),
      ledger_resolve_break(bigint, varchar, varchar, varchar) TO ledger_app;
  END IF;
END
$$;
/* [jooq ignore stop] */
