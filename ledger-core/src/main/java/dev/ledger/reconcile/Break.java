package dev.ledger.reconcile;

import dev.ledger.money.Amounts;
import dev.ledger.statement.Inconsistency;
import java.util.Objects;
import javax.money.CurrencyUnit;

/**
 * One difference between a statement and the ledger, amounts in minor units (null where a side
 * has nothing). {@code statementLine} is 0 when no line is involved. Provider ids may be filled in
 * after matching from the entry. A {@code STATEMENT_INCONSISTENT} break compares the file with
 * itself: {@code stated} is the figure the file asserts and {@code computed} what its lines add up
 * to, as decimal strings or counts. A FEE_MISMATCH found by the bill's own fee rate carries that
 * rate as {@code stated} ("0.6%") and gross x rate as {@code computed} (the fee expected); both are
 * null for every other break. Immutable and thread-safe.
 */
public record Break(
    BreakKind kind,
    String key,
    String entryId,
    long statementLine,
    CurrencyUnit currency,
    Long statementGross,
    Long ledgerGross,
    Long statementFee,
    Long ledgerFee,
    String providerTxnId,
    String providerRefundId,
    String orderId,
    String stated,
    String computed) {

  public Break {
    Objects.requireNonNull(kind, "kind");
  }

  /** A break between a statement and the ledger. */
  public Break(BreakKind kind, String key, String entryId, long statementLine, CurrencyUnit currency,
      Long statementGross, Long ledgerGross, Long statementFee, Long ledgerFee, String providerTxnId,
      String providerRefundId, String orderId) {
    this(kind, key, entryId, statementLine, currency, statementGross, ledgerGross, statementFee, ledgerFee,
        providerTxnId, providerRefundId, orderId, null, null);
  }

  /**
   * The break for a figure the statement contradicts. Its key names the figure and both values, so
   * that the same disagreement in another file is a break of its own.
   */
  public static Break inconsistent(Inconsistency inconsistency, CurrencyUnit currency) {
    String key = inconsistency.figure() + ": " + inconsistency.stated() + " != " + inconsistency.computed();
    // The figure's name and values are the file's own; cut to the stored width, this key stays unique.
    return new Break(BreakKind.STATEMENT_INCONSISTENT, key.length() <= KEY_LENGTH_MAX ? key
        : key.substring(0, KEY_LENGTH_MAX), null, inconsistency.line(), currency, null, null, null, null, null, null,
        null, inconsistency.stated(), inconsistency.computed());
  }

  /**
   * Longest key (and provider id, order id) stored with a break; a statement line with a longer
   * one is rejected when read, never cut (a cut key would match, or close, another break).
   */
  public static final int KEY_LENGTH_MAX = 200;

  /**
   * Statement minus ledger: of the fee for FEE_MISMATCH, of the gross otherwise (a missing side
   * counts as zero). Null for a currency mismatch, where no difference has a single currency.
   */
  public Long difference() {
    if (kind == BreakKind.CURRENCY_MISMATCH || kind == BreakKind.STATEMENT_INCONSISTENT) {
      return null;
    }
    String what = "the statement's and the ledger's " + (kind == BreakKind.FEE_MISMATCH ? "fees" : "amounts")
        + " for key " + key;
    if (kind == BreakKind.FEE_MISMATCH && computed != null && currency != null) {
      // The fee the bill's rate gives, against the fee the bill states.
      return SumOverflowException.subtract(zeroIfNull(statementFee),
          Amounts.toMinor(Amounts.parse(computed, currency)), what, currency);
    }
    if (kind == BreakKind.FEE_MISMATCH) {
      return SumOverflowException.subtract(zeroIfNull(statementFee), zeroIfNull(ledgerFee), what, currency);
    }
    return SumOverflowException.subtract(zeroIfNull(statementGross), zeroIfNull(ledgerGross), what, currency);
  }

  public Break withIds(String txnId, String refundId, String order) {
    return new Break(kind, key, entryId, statementLine, currency, statementGross, ledgerGross,
        statementFee, ledgerFee, txnId, refundId, order, stated, computed);
  }

  public String format(Long minor) {
    return minor == null || currency == null ? null : Amounts.formatMinor(minor, currency);
  }

  private static long zeroIfNull(Long value) {
    return value == null ? 0 : value;
  }
}
