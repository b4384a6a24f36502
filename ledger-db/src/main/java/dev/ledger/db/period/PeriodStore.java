package dev.ledger.db.period;

import dev.ledger.account.AccountCode;
import dev.ledger.period.Period;
import dev.ledger.period.PeriodAction;
import dev.ledger.period.PeriodEvent;
import dev.ledger.period.PeriodResult;
import dev.ledger.period.PeriodStatus;
import dev.ledger.period.Periods;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Period events in PostgreSQL (V16): closing and reopening through {@code ledger_close_period} /
 * {@code ledger_reopen_period}, the only write path the application role has, and the events read
 * back. Works on the caller's connection (the caller seals after the commit). Stateless, so
 * immutable and thread-safe.
 */
public final class PeriodStore {
  /** SQLSTATE of the posting trigger refusing an entry in a closed period; DETAIL is its id. */
  public static final String PERIOD_CLOSED = "LD008";

  /** Every event in id order. */
  static final String EVENTS = "SELECT id, action, through, prefix, reason, actor, at FROM period_events ORDER BY id";

  private PeriodStore() {}

  /** Closes or reopens {@code period} in one autocommitted statement. */
  public static PeriodResult record(Connection c, PeriodAction action, Period period, String reason)
      throws SQLException {
    Periods.checkReason(reason);
    String function = action == PeriodAction.CLOSE ? "ledger_close_period" : "ledger_reopen_period";
    try (PreparedStatement s = c.prepareStatement(
        "SELECT status, event_id, event_at, session_user FROM " + function + "(?::timestamptz, ?::varchar, ?::varchar)")) {
      s.setObject(1, OffsetDateTime.ofInstant(period.through(), ZoneOffset.UTC));
      s.setString(2, period.prefix() == null ? null : period.prefix().value());
      s.setString(3, reason);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        PeriodStatus status = PeriodStatus.valueOf(rs.getString(1));
        return switch (status) {
          case CLOSED, REOPENED -> new PeriodResult(status, new PeriodEvent(rs.getLong(2), action, period, reason,
              rs.getString(4), rs.getObject(3, OffsetDateTime.class).toInstant()), "");
          case ALREADY_CLOSED -> new PeriodResult(status, null, "The period " + period.describe() + " is closed already");
          case NOT_CLOSED -> new PeriodResult(status, null, "The period " + period.describe() + " is not closed");
        };
      }
    }
  }

  public static List<PeriodEvent> events(Connection c) throws SQLException {
    List<PeriodEvent> events = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(EVENTS); ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        events.add(event(rs));
      }
    }
    return events;
  }

  /** The event in the current row of a result of {@link #EVENTS}'s columns; invalid rows throw IllegalArgumentException. */
  static PeriodEvent event(ResultSet rs) throws SQLException {
    String prefix = rs.getString(4);
    return new PeriodEvent(rs.getLong(1), PeriodAction.parse(rs.getString(2)),
        new Period(rs.getObject(3, OffsetDateTime.class).toInstant(), prefix == null ? null : AccountCode.parse(prefix)),
        rs.getString(5), rs.getString(6), rs.getObject(7, OffsetDateTime.class).toInstant());
  }
}
