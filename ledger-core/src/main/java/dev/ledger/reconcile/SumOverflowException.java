package dev.ledger.reconcile;

import dev.ledger.money.Amounts;
import javax.money.CurrencyUnit;

/**
 * Amounts of one reconciliation that do not add up (or differ) within a long: the run stops and
 * names them instead of matching, or reporting, a wrapped figure. The caller adds the statement
 * file and the account.
 */
public final class SumOverflowException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  SumOverflowException(String message) {
    super(message);
  }

  /**
   * {@code a + b}, or an exception naming {@code what} (e.g. "the ledger entries under key K").
   * Public for the store, whose gross (net + fee) per entry is a sum too.
   */
  public static long add(long a, long b, String what, CurrencyUnit currency) {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      throw new SumOverflowException(what + " add up beyond " + Amounts.formatMinor(Long.MAX_VALUE, currency)
          + " " + currency.getCurrencyCode() + " in magnitude: " + Amounts.formatMinor(a, currency) + " + "
          + Amounts.formatMinor(b, currency));
    }
  }

  /** {@code a - b}, or an exception naming {@code what}. */
  static long subtract(long a, long b, String what, CurrencyUnit currency) {
    try {
      return Math.subtractExact(a, b);
    } catch (ArithmeticException e) {
      if (currency == null) {
        throw new SumOverflowException(what + " differ by more than " + Long.MAX_VALUE + " minor units: "
            + a + " - " + b);
      }
      throw new SumOverflowException(what + " differ by more than " + Amounts.formatMinor(Long.MAX_VALUE, currency)
          + " " + currency.getCurrencyCode() + ": " + Amounts.formatMinor(a, currency) + " - "
          + Amounts.formatMinor(b, currency));
    }
  }

  /**
   * Whether {@code a} and {@code b} are at most {@code tolerance} apart. A difference beyond a
   * long is far beyond any tolerance; plain {@code Math.abs(a - b)} would wrap and could say yes.
   */
  static boolean within(long a, long b, long tolerance) {
    try {
      return Math.absExact(Math.subtractExact(a, b)) <= tolerance;
    } catch (ArithmeticException e) {
      return false;
    }
  }
}
