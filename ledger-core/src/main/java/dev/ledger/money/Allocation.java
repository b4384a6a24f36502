package dev.ledger.money;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.javamoney.moneta.Money;

/**
 * An amount split over ratios: each share is rounded down to whole minor units and what is left
 * is reported as an explicit residual, so the caller decides where it is posted. Immutable and
 * thread-safe.
 */
public record Allocation(Money total, List<Money> shares, Money residual) {
  public Allocation {
    shares = List.copyOf(shares);
  }

  /** Splits {@code total} deterministically in proportion to {@code ratios} (non-negative, sum > 0). */
  public static Allocation of(Money total, List<Long> ratios) {
    if (ratios.isEmpty()) {
      throw new IllegalArgumentException("Allocation needs at least one ratio");
    }
    BigInteger sum = BigInteger.ZERO;
    for (long ratio : ratios) {
      if (ratio < 0) {
        throw new IllegalArgumentException("Negative ratio in allocation: " + ratios);
      }
      sum = sum.add(BigInteger.valueOf(ratio));
    }
    if (sum.signum() == 0) {
      throw new IllegalArgumentException("Ratios sum to zero: " + ratios);
    }
    long totalMinor = Amounts.toMinor(total);
    BigInteger totalBig = BigInteger.valueOf(totalMinor);
    List<Money> shares = new ArrayList<>(ratios.size());
    long allocated = 0;
    for (long ratio : ratios) {
      // Truncation towards zero keeps |sum of shares| <= |total| for negative totals too.
      long share = totalBig.multiply(BigInteger.valueOf(ratio)).divide(sum).longValueExact();
      allocated += share;
      shares.add(Amounts.ofMinor(share, total.getCurrency()));
    }
    return new Allocation(total, shares, Amounts.ofMinor(totalMinor - allocated, total.getCurrency()));
  }

  /** A share of {@code total} given in basis points (1/100 of a percent), rounded down. */
  public static Allocation basisPoints(Money total, long basisPoints) {
    if (basisPoints < 0 || basisPoints > 10_000) {
      throw new IllegalArgumentException("Basis points out of range 0..10000: " + basisPoints);
    }
    return of(total, List.of(basisPoints, 10_000 - basisPoints));
  }
}
