package dev.ledger.journal;

import java.time.Instant;
import java.util.Objects;

/**
 * An entry as the ledger stored it: with the time it was recorded and its position in the
 * ledger's append order. Immutable and thread-safe.
 */
public record RecordedEntry(Entry entry, Instant recordedAt, long sequence) {
  public RecordedEntry {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(recordedAt, "recordedAt");
  }

  public String id() {
    return entry.id();
  }
}
