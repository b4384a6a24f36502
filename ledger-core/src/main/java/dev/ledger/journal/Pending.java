package dev.ledger.journal;

import java.time.Instant;
import java.util.Objects;

/**
 * What makes an entry pending: it reserves its amounts (they count against {@code available} but
 * not against posted balances) until it is posted, voided or {@code expiresAt} passes.
 * Immutable and thread-safe.
 */
public record Pending(Instant expiresAt) {
  public Pending {
    Objects.requireNonNull(expiresAt, "pending.expires_at is missing");
    if (expiresAt.getNano() % 1000 != 0) {
      throw new IllegalArgumentException(
          "pending.expires_at " + expiresAt + " is more precise than microseconds");
    }
  }

  /** Whether the reservation has lapsed at {@code now}: at expires_at it no longer holds. */
  public boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
