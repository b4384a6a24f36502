package dev.ledger.db.period;

import dev.ledger.account.AccountCode;
import dev.ledger.period.ClosedPeriods;
import dev.ledger.period.Period;
import dev.ledger.period.PeriodAction;
import dev.ledger.period.PeriodEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recomputes period events from their rows, for verify: the content hash of each event as
 * {@link PeriodCanon} defines it (comparing it with what the chain sealed is the caller's part),
 * the events' own consistency (a stored hash that is not its content's, a row that is not a valid
 * event, a close of a closed period or a reopen of an open one, times out of id order), and the
 * closed periods as they stood at any moment, so that every entry can be checked against the
 * periods closed when it was recorded.
 */
public final class PeriodAudit {
  /** Beyond this many violations only their number is reported. */
  static final int VIOLATIONS_MAX = 100;

  /**
   * {@code eventHashes}: period_events id to content hash of kind 'period_event', in id order (a
   * row that is not a valid event is hashed from its raw columns); {@code violations}: one
   * sentence each, empty when the rows agree with themselves.
   */
  public record Result(Map<Long, byte[]> eventHashes, List<String> violations, Timeline timeline) {
    public Result {
      eventHashes = Collections.unmodifiableMap(eventHashes);
      violations = List.copyOf(violations);
    }
  }

  /** The closed periods after each event, in recording order. Immutable and thread-safe. */
  public static final class Timeline {
    private final Instant[] at;
    private final ClosedPeriods[] closed;
    private final long[] eventIds;

    Timeline(List<PeriodEvent> events) {
      at = new Instant[events.size()];
      closed = new ClosedPeriods[events.size()];
      eventIds = new long[events.size()];
      for (int i = 0; i < events.size(); i++) {
        at[i] = events.get(i).at();
        closed[i] = ClosedPeriods.replay(events.subList(0, i + 1), null);
        eventIds[i] = events.get(i).id();
      }
    }

    public boolean isEmpty() {
      return at.length == 0;
    }

    /**
     * The closed period that forbade an entry recorded at {@code recordedAt} (every event recorded
     * before it counts), effective at {@code effectiveAt} on {@code accounts}, with the id of the
     * event that closed it; null when none did.
     */
    public String forbidding(Instant recordedAt, Instant effectiveAt, Collection<AccountCode> accounts) {
      int index = -1;
      for (int lo = 0, hi = at.length - 1; lo <= hi; ) {
        int mid = (lo + hi) >>> 1;
        if (at[mid].isBefore(recordedAt)) {
          index = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      if (index < 0) {
        return null;
      }
      Period period = closed[index].covering(effectiveAt, accounts);
      return period == null ? null : "the period " + period.describe() + " was closed when it was recorded"
          + " (period events up to " + eventIds[index] + ")";
    }
  }

  private PeriodAudit() {}

  /** Audits in the caller's transaction (REPEATABLE READ, as verify runs, so it is one snapshot). */
  public static Result audit(Connection c) throws SQLException {
    Map<Long, byte[]> hashes = new LinkedHashMap<>();
    List<String> violations = new ArrayList<>();
    long[] count = {0};
    List<PeriodEvent> events = new ArrayList<>();
    Map<Period, PeriodAction> state = new HashMap<>();
    Instant lastAt = null;
    try (PreparedStatement s = c.prepareStatement(
        "SELECT id, action, through, prefix, reason, actor, at, content_hash FROM period_events ORDER BY id");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        long id = rs.getLong(1);
        Instant through = rs.getObject(3, OffsetDateTime.class).toInstant();
        Instant at = rs.getObject(7, OffsetDateTime.class).toInstant();
        byte[] content = PeriodCanon.hash(PeriodCanon.text(id, rs.getString(2), through, rs.getString(4),
            rs.getString(5), rs.getString(6), at));
        hashes.put(id, content);
        if (!Arrays.equals(content, rs.getBytes(8))) {
          add(violations, count, "period event " + id + ": its content does not match its stored hash (altered)");
        }
        PeriodEvent event;
        try {
          event = PeriodStore.event(rs);
        } catch (IllegalArgumentException invalid) {
          add(violations, count, "period event " + id + ": not a valid event: " + invalid.getMessage());
          continue;
        }
        if (lastAt != null && at.isBefore(lastAt)) {
          add(violations, count, "period event " + id + " is recorded at " + at + ", before the event preceding it ("
              + lastAt + ")");
        }
        lastAt = at;
        PeriodAction before = state.put(event.period(), event.action());
        if (event.action() == PeriodAction.CLOSE && before == PeriodAction.CLOSE) {
          add(violations, count, "period event " + id + " closes the period " + event.period().describe()
              + ", which was closed already (forged)");
        } else if (event.action() == PeriodAction.REOPEN && before != PeriodAction.CLOSE) {
          add(violations, count, "period event " + id + " reopens the period " + event.period().describe()
              + ", which was not closed (forged)");
        }
        events.add(event);
      }
    }
    if (count[0] > violations.size()) {
      violations.add("... and " + (count[0] - violations.size()) + " more period violations");
    }
    return new Result(hashes, violations, new Timeline(events));
  }

  private static void add(List<String> violations, long[] count, String text) {
    count[0]++;
    if (violations.size() < VIOLATIONS_MAX) {
      violations.add(text);
    }
  }
}
