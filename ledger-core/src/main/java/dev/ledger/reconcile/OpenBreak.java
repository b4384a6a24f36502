package dev.ledger.reconcile;

import java.util.Objects;

/** A break still open from an earlier run, as the engine needs it to decide whether to close it. */
public record OpenBreak(long id, Break details) {
  public OpenBreak {
    Objects.requireNonNull(details, "details");
  }
}
