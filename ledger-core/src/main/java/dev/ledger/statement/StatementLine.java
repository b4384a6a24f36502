package dev.ledger.statement;

import dev.ledger.money.Amounts;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import javax.money.CurrencyUnit;

/**
 * One line of a provider or bank statement, in minor units. {@code amountMinor} is the signed gross
 * (money in positive: a payment or a bank credit; a refund or a debit negative); {@code feeMinor}
 * is the provider fee on it (positive when charged, negative when returned, null for bank lines).
 * {@code line} is the physical line number in the file (1-based). {@code feeRate} is the fee rate the
 * line states as a fraction (WeChat Pay's 费率 "0.60%" is 0.006), null where the file states none.
 * Immutable and thread-safe.
 */
public record StatementLine(
    long line,
    LineType type,
    String providerTxnId,
    String providerRefundId,
    String orderId,
    String bankReference,
    Instant occurredAt,
    LocalDate valueDate,
    CurrencyUnit currency,
    long amountMinor,
    Long feeMinor,
    String description,
    BigDecimal feeRate) {

  public StatementLine {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(currency, "currency");
    if (feeRate != null && (feeRate.signum() < 0 || feeRate.compareTo(BigDecimal.ONE) > 0)) {
      throw new IllegalArgumentException("line " + line + ": a fee rate is a fraction within 0..1: " + feeRate);
    }
  }

  /** A line that states no fee rate. */
  public StatementLine(long line, LineType type, String providerTxnId, String providerRefundId, String orderId,
      String bankReference, Instant occurredAt, LocalDate valueDate, CurrencyUnit currency, long amountMinor,
      Long feeMinor, String description) {
    this(line, type, providerTxnId, providerRefundId, orderId, bankReference, occurredAt, valueDate, currency,
        amountMinor, feeMinor, description, null);
  }

  /** The id this line is matched on: the refund id for refunds, else the transaction id. */
  public String key() {
    if (type == LineType.REFUND && providerRefundId != null && !providerRefundId.isEmpty()) {
      return providerRefundId;
    }
    return providerTxnId != null && !providerTxnId.isEmpty() ? providerTxnId : bankReference;
  }

  public String amount() {
    return Amounts.formatMinor(amountMinor, currency);
  }

  public String fee() {
    return feeMinor == null ? null : Amounts.formatMinor(feeMinor, currency);
  }
}
