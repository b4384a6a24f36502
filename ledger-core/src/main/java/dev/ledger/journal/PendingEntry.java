package dev.ledger.journal;

import java.time.Instant;
import java.util.Objects;

/** A pending entry that is not settled, and whether its expiry has passed. Immutable and thread-safe. */
public record PendingEntry(RecordedEntry recorded, boolean expired) {
  public PendingEntry {
    Objects.requireNonNull(recorded, "recorded");
    if (recorded.entry().pending() == null) {
      throw new IllegalArgumentException("Entry " + recorded.id() + " is not pending");
    }
  }

  public Instant expiresAt() {
    return recorded.entry().pending().expiresAt();
  }
}
