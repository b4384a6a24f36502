package dev.ledger.period;

import java.time.Instant;
import java.util.Objects;

/**
 * One recorded close or reopen of a period: by whom ({@code actor}, the database user), when the
 * ledger recorded it ({@code at}) and why. {@code id} orders the events of one ledger. Immutable
 * and thread-safe.
 */
public record PeriodEvent(long id, PeriodAction action, Period period, String reason, String actor, Instant at) {
  public PeriodEvent {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(at, "at");
    if (id < 1) {
      throw new IllegalArgumentException("Period event id must be positive but was " + id);
    }
  }
}
