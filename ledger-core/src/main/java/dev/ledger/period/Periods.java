package dev.ledger.period;

import java.time.Instant;
import java.util.List;

/**
 * The closed-period port, beside {@link dev.ledger.journal.Ledger}: closing a period forbids every
 * new entry it covers (rejected as {@link dev.ledger.journal.PostStatus#PERIOD_CLOSED}); reopening
 * allows them again. Both are recorded as events, never changed afterwards. Implementations are
 * thread-safe.
 */
public interface Periods {

  /** Closes {@code period}; ALREADY_CLOSED (nothing recorded) when it is closed. */
  PeriodResult close(Period period, String reason);

  /** Reopens {@code period}; NOT_CLOSED (nothing recorded) when it is not closed. */
  PeriodResult reopen(Period period, String reason);

  /** Every period event, in the order recorded. */
  List<PeriodEvent> periodEvents();

  /** Periods as their events recorded at or before {@code knownAt} (null: now) left them. */
  default List<PeriodState> periodStates(Instant knownAt) {
    return PeriodState.replay(periodEvents(), knownAt);
  }

  /** The periods closed now. */
  default ClosedPeriods closedPeriods() {
    return ClosedPeriods.replay(periodEvents(), null);
  }

  /** A reason is required and short enough to store. */
  static String checkReason(String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("A period close or reopen needs a reason");
    }
    if (reason.length() > 4000) {
      throw new IllegalArgumentException("The reason is " + reason.length() + " characters long; at most 4000");
    }
    return reason;
  }
}
