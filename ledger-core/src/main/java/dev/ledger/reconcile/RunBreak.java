package dev.ledger.reconcile;

import java.util.Objects;

/**
 * A break as a run stored it: its id, what was found and its lifecycle status now
 * ({@link BreakStatus} labels: {@code open}, {@code assigned}, {@code closed} by a later run,
 * {@code resolved} by a person). Immutable and
 * thread-safe.
 */
public record RunBreak(long id, Break details, String status) {
  public RunBreak {
    Objects.requireNonNull(details, "details");
    Objects.requireNonNull(status, "status");
  }

  /** Open or assigned: a later run may still close it, a person may still resolve it. */
  public boolean isOpen() {
    return BreakStatus.parse(status).active();
  }
}
