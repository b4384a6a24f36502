package dev.ledger.db;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Where a page of an account's history ended: the key (effective time, entry sequence, posting
 * index) of its last posting; the next page starts after it. Written as
 * {@code EPOCH_MICROS.SEQUENCE.INDEX}, e.g. {@code 1726103479000000.42.1}. Immutable and
 * thread-safe.
 */
public record HistoryCursor(Instant effectiveAt, long sequence, int index) {
  public HistoryCursor {
    Objects.requireNonNull(effectiveAt, "effectiveAt");
    if (sequence < 1 || index < 0) {
      throw new IllegalArgumentException("A cursor names a posting: sequence " + sequence + " and index "
          + index + " must be positive");
    }
    if (!effectiveAt.truncatedTo(ChronoUnit.MICROS).equals(effectiveAt)) {
      throw new IllegalArgumentException("A cursor's time has microsecond precision, not " + effectiveAt);
    }
  }

  /** Reads the text {@link #toString()} wrote; anything else is refused naming the value. */
  public static HistoryCursor parse(String text) {
    String[] parts = text == null ? new String[0] : text.strip().split("\\.", -1);
    if (parts.length == 3) {
      try {
        long micros = Long.parseLong(parts[0]);
        Instant at = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
        return new HistoryCursor(at, Long.parseLong(parts[1]), Integer.parseInt(parts[2]));
      } catch (NumberFormatException | ArithmeticException | java.time.DateTimeException e) {
        // the message below
      }
    }
    throw new IllegalArgumentException("Invalid cursor '" + text
        + "': pass the cursor that history printed at the end of a page, such as 1726103479000000.42.1");
  }

  @Override
  public String toString() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, effectiveAt) + "." + sequence + "." + index;
  }
}
