package dev.ledger.db.reconcile;

import java.time.Instant;

/**
 * One step of a break's workflow as stored in break_events: {@code kind} is closed, resolved,
 * assigned or comment; {@code author} the person named when it was written (null for events
 * written before migration V18 and for closings by a run), {@code actor} the database user.
 */
public record BreakEvent(long id, long breakId, String kind, Long runId, String note, String adjustmentEntryId,
    String assignee, String author, String actor, Instant at) {

  /** Who did it: the named author, else the database user. */
  public String by() {
    return author != null ? author : actor;
  }
}
