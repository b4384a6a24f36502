package dev.ledger.reconcile;

import dev.ledger.statement.StatementInfo;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The period a statement file covers: the union of its statements' inclusive dates, in the zone
 * the statements give (UTC when they give none). MISSING_IN_STATEMENT is judged inside
 * [start, end). Not thread-safe.
 */
public final class StatementPeriod {
  private LocalDate from;
  private LocalDate to;
  private ZoneId zone;

  public void add(StatementInfo info) {
    include(info.periodFrom());
    include(info.periodTo());
    if (info.zone() != null) {
      zone = info.zone();
    }
  }

  /** Widens the period to a date, for statements that only date their lines. */
  public void include(LocalDate date) {
    if (date == null) {
      return;
    }
    from = from == null || date.isBefore(from) ? date : from;
    to = to == null || date.isAfter(to) ? date : to;
  }

  public boolean isKnown() {
    return from != null;
  }

  public LocalDate from() {
    return from;
  }

  public LocalDate to() {
    return to;
  }

  public ZoneId zone() {
    return zone == null ? ZoneOffset.UTC : zone;
  }

  /** Start of the first day, or null when no date was seen. */
  public Instant start() {
    return from == null ? null : from.atStartOfDay(zone()).toInstant();
  }

  /** Start of the day after the last day, or null when no date was seen. */
  public Instant end() {
    return to == null ? null : to.plusDays(1).atStartOfDay(zone()).toInstant();
  }

  public boolean contains(LocalDate date) {
    return from != null && !date.isBefore(from) && !date.isAfter(to);
  }
}
