package dev.ledger.db.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A stored break with the times its age is measured by: {@code openedAt} (its run's time) and
 * {@code settledAt} (when it was resolved or closed; null while open or assigned).
 */
public record TrackedBreak(StoredBreak stored, Instant openedAt, Instant settledAt) {
  public TrackedBreak {
    Objects.requireNonNull(stored, "stored");
    Objects.requireNonNull(openedAt, "openedAt");
  }

  /** Whole days from opening to its settling, or to {@code now} while it still needs work. */
  public long ageDays(Instant now) {
    Instant end = settledAt != null ? settledAt : now;
    return Math.max(0, Duration.between(openedAt, end).toDays());
  }
}
