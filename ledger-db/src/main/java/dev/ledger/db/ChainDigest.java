package dev.ledger.db;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The chain head at one moment, as an auditor keeps it outside the database: the hash commits to
 * every entry up to {@code sequence}, so a ledger that was rewritten (and re-hashed) or cut below it
 * can no longer reproduce it. Sequence 0 with the all-zero hash is the empty ledger.
 */
public record ChainDigest(long sequence, String hash, Instant recordedAt) {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  public ChainDigest {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence " + sequence + " is negative");
    }
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(recordedAt, "recordedAt");
    hash = hash.toLowerCase(Locale.ROOT);
    if (!SHA256_HEX.matcher(hash).matches()) {
      throw new IllegalArgumentException("hash '" + hash + "' is not 64 hex digits (a SHA-256)");
    }
  }

  /** One line of JSON, as `ledger digest` prints it and `ledger verify --digest` reads it. */
  public String toJson() {
    return "{\"sequence\":" + sequence + ",\"hash\":\"" + hash + "\",\"recorded_at\":\"" + recordedAt + "\"}";
  }
}
