package dev.ledger.period;

import dev.ledger.account.AccountCode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The periods closed at one moment: the rule that decides whether an entry may still be booked.
 * Built from the period events in their order (see {@link #replay}). Immutable and thread-safe.
 */
public final class ClosedPeriods {
  public static final ClosedPeriods NONE = new ClosedPeriods(List.of());

  private final List<Period> periods;

  private ClosedPeriods(List<Period> periods) {
    this.periods = List.copyOf(periods);
  }

  public static ClosedPeriods of(Collection<Period> periods) {
    return periods.isEmpty() ? NONE : new ClosedPeriods(List.copyOf(periods));
  }

  /**
   * The periods closed after the events recorded at or before {@code knownAt} (null: all), in
   * event order: a close closes its period, a reopen opens it again.
   */
  public static ClosedPeriods replay(List<PeriodEvent> events, Instant knownAt) {
    return of(PeriodState.replay(events, knownAt).stream().filter(PeriodState::closed)
        .map(PeriodState::period).toList());
  }

  public List<Period> periods() {
    return periods;
  }

  public boolean isEmpty() {
    return periods.isEmpty();
  }

  public boolean isClosed(Period period) {
    return periods.contains(period);
  }

  /** The closed period that forbids an entry effective at {@code effectiveAt} on {@code accounts}, or null. */
  public Period covering(Instant effectiveAt, Collection<AccountCode> accounts) {
    Period found = null;
    for (Period period : periods) {
      if (period.covers(effectiveAt, accounts) && (found == null || period.through().isAfter(found.through()))) {
        found = period;
      }
    }
    return found;
  }

  /**
   * The first instant at or after {@code at} that no closed period covers for these accounts:
   * where a correction of an entry in a closed period is booked (the instant after the latest
   * period that covers it, repeated while a later closed period covers that one).
   */
  public Instant firstOpenAt(Instant at, Collection<AccountCode> accounts) {
    Instant open = at.truncatedTo(ChronoUnit.MICROS);
    for (Period period = covering(open, accounts); period != null; period = covering(open, accounts)) {
      open = period.through().plus(1, ChronoUnit.MICROS);
    }
    return open;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ClosedPeriods closed && closed.periods.equals(periods);
  }

  @Override
  public int hashCode() {
    return periods.hashCode();
  }

  @Override
  public String toString() {
    return "ClosedPeriods" + periods;
  }

  /** Periods keyed in first-close order, for {@link PeriodState#replay}. */
  static Map<Period, PeriodEvent> latest(List<PeriodEvent> events, Instant knownAt) {
    Map<Period, PeriodEvent> latest = new LinkedHashMap<>();
    for (PeriodEvent event : events) {
      if (knownAt == null || !event.at().isAfter(knownAt)) {
        latest.put(event.period(), event);
      }
    }
    return latest;
  }
}
