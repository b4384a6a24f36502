package dev.ledger.reconcile;

import dev.ledger.money.Amounts;
import java.util.Objects;
import javax.money.CurrencyUnit;

/**
 * One difference between a statement and the ledger, amounts in minor units (null where a side
 * has nothing). {@code statementLine} is 0 when no line is involved. Provider ids may be filled in
 * after matching from the entry. Immutable and thread-safe.
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
    String orderId) {

  public Break {
    Objects.requireNonNull(kind, "kind");
  }

  /**
   * Statement minus ledger: of the fee for FEE_MISMATCH, of the gross otherwise (a missing side
   * counts as zero). Null for a currency mismatch, where no difference has a single currency.
   */
  public Long difference() {
    if (kind == BreakKind.CURRENCY_MISMATCH) {
      return null;
    }
    if (kind == BreakKind.FEE_MISMATCH) {
      return zeroIfNull(statementFee) - zeroIfNull(ledgerFee);
    }
    return zeroIfNull(statementGross) - zeroIfNull(ledgerGross);
  }

  public Break withIds(String txnId, String refundId, String order) {
    return new Break(kind, key, entryId, statementLine, currency, statementGross, ledgerGross,
        statementFee, ledgerFee, txnId, refundId, order);
  }

  public String format(Long minor) {
    return minor == null || currency == null ? null : Amounts.formatMinor(minor, currency);
  }

  private static long zeroIfNull(Long value) {
    return value == null ? 0 : value;
  }
}
