package dev.ledger.period;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A period as its events left it: closed or open again, with the event that did it (reason, who,
 * when). Immutable and thread-safe.
 */
public record PeriodState(Period period, boolean closed, PeriodEvent last) {
  public PeriodState {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(last, "last");
    if (!last.period().equals(period) || closed != (last.action() == PeriodAction.CLOSE)) {
      throw new IllegalArgumentException("Period state " + period + " closed=" + closed
          + " does not follow from its last event " + last);
    }
  }

  /**
   * Every period that has events recorded at or before {@code knownAt} (null: all), in the order
   * of their first event, each in the state of its last one.
   */
  public static List<PeriodState> replay(List<PeriodEvent> events, Instant knownAt) {
    List<PeriodState> states = new ArrayList<>();
    ClosedPeriods.latest(events, knownAt).forEach((period, last) ->
        states.add(new PeriodState(period, last.action() == PeriodAction.CLOSE, last)));
    return states;
  }
}
