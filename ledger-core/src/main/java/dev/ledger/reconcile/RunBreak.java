package dev.ledger.reconcile;

import java.util.Objects;

/**
 * A break as a run stored it: its id, what was found and its lifecycle status now
 * ({@code open}, {@code closed} by a later run, {@code resolved} by a person). Immutable and
 * thread-safe.
 */
public record RunBreak(long id, Break details, String status) {
  public RunBreak {
    Objects.requireNonNull(details, "details");
    Objects.requireNonNull(status, "status");
  }

  public boolean isOpen() {
    return status.equals("open");
  }
}
