package dev.ledger.reconcile;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * How far a statement's gross may be from the ledger's and still match: an absolute amount in
 * minor units and/or a percentage of the statement's gross; the larger allowance applies.
 * Immutable and thread-safe.
 */
public record Tolerance(long absoluteMinor, BigDecimal percent) {
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
  public static final Tolerance NONE = new Tolerance(0, BigDecimal.ZERO);

  public Tolerance {
    Objects.requireNonNull(percent, "percent");
    if (absoluteMinor < 0 || percent.signum() < 0 || percent.compareTo(HUNDRED) > 0) {
      throw new IllegalArgumentException("A tolerance is a non-negative amount and a percentage in 0..100: "
          + absoluteMinor + ", " + percent.toPlainString() + "%");
    }
  }

  public static Tolerance absolute(long minor) {
    return new Tolerance(minor, BigDecimal.ZERO);
  }

  public boolean isZero() {
    return absoluteMinor == 0 && percent.signum() == 0;
  }

  /** Whether {@code statement} and {@code ledger} are close enough. */
  public boolean allows(long statement, long ledger) {
    if (SumOverflowException.within(statement, ledger, absoluteMinor)) {
      return true;
    }
    if (percent.signum() == 0) {
      return false;
    }
    // Rare (only past the absolute allowance), so exact decimal arithmetic costs nothing overall.
    BigDecimal difference = BigDecimal.valueOf(statement).subtract(BigDecimal.valueOf(ledger)).abs();
    BigDecimal allowed = BigDecimal.valueOf(statement).abs().multiply(percent)
        .divide(HUNDRED, 0, RoundingMode.DOWN);
    return difference.compareTo(allowed) <= 0;
  }
}
