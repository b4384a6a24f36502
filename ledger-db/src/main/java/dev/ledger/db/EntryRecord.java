package dev.ledger.db;

import dev.ledger.journal.RecordedEntry;
import java.time.Instant;
import java.util.Objects;

/**
 * One stored entry with what proves it: its content hash, its link in the hash chain (null while
 * it waits in the seal queue) and its reversal links. Hashes in lowercase hex. Immutable and
 * thread-safe.
 */
public record EntryRecord(RecordedEntry recorded, String contentHash, Long chainPosition, String prevHash,
    String hash, Instant sealedAt, String reversedBy) {
  public EntryRecord {
    Objects.requireNonNull(recorded, "recorded");
    Objects.requireNonNull(contentHash, "contentHash");
  }

  public boolean sealed() {
    return chainPosition != null;
  }
}
