package dev.ledger.settlement;

import dev.ledger.account.AccountCode;
import dev.ledger.account.Side;
import dev.ledger.journal.Entry;
import dev.ledger.journal.Posting;
import dev.ledger.money.Allocation;
import dev.ledger.money.Amounts;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.javamoney.moneta.Money;

/**
 * Settlement templates: business events of a multi-wallet marketplace turned into balanced entries
 * on the standard {@link Chart}. The platform pays the provider fee; the merchant is owed the gross
 * until commission and payout. Zero amounts produce no posting.
 */
public final class Settlements {
  private Settlements() {}

  /** A wallet payment: the provider holds the gross, minus the fee it keeps. */
  public static Entry paymentCaptured(
      String id, Instant at, String provider, String providerTxnId, String orderId,
      String merchantId, Money gross, Money fee) {
    requirePositive(gross, "gross", id);
    requireNotNegative(fee, "fee", id);
    Postings postings = new Postings()
        .add(Chart.clearing(provider), Side.DEBIT, gross)
        .add(Chart.merchantPayable(merchantId), Side.CREDIT, gross)
        .add(Chart.fees(provider), Side.DEBIT, fee)
        .add(Chart.clearing(provider), Side.CREDIT, fee);
    return Entry.of(id, at, "Payment " + orderId + " captured by " + provider,
        metadata("provider", provider, "provider_txn_id", providerTxnId, "order_id", orderId,
            "merchant_id", merchantId),
        postings.list());
  }

  /**
   * A full or partial refund: the refund leaves the provider's clearing balance and the merchant's
   * payable, and the provider returns {@code feeReturned}.
   */
  public static Entry refund(
      String id, Instant at, String provider, String providerTxnId, String providerRefundId,
      String orderId, String merchantId, Money refund, Money feeReturned) {
    requirePositive(refund, "refund", id);
    requireNotNegative(feeReturned, "fee returned", id);
    Postings postings = new Postings()
        .add(Chart.merchantPayable(merchantId), Side.DEBIT, refund)
        .add(Chart.clearing(provider), Side.CREDIT, refund)
        .add(Chart.clearing(provider), Side.DEBIT, feeReturned)
        .add(Chart.fees(provider), Side.CREDIT, feeReturned);
    return Entry.of(id, at, "Refund " + providerRefundId + " of order " + orderId,
        metadata("provider", provider, "provider_txn_id", providerTxnId,
            "provider_refund_id", providerRefundId, "order_id", orderId, "merchant_id", merchantId),
        postings.list());
  }

  /**
   * A refund the provider has accepted but not yet paid: the same postings as {@link #refund}, as a
   * pending entry that reserves the merchant's payable and the clearing balance until the provider
   * pays it ({@code pending post}) or refuses it ({@code pending void}), or {@code expiresAt} passes.
   */
  public static Entry refundPending(
      String id, Instant at, String provider, String providerTxnId, String providerRefundId,
      String orderId, String merchantId, Money refund, Money feeReturned, Instant expiresAt) {
    return refund(id, at, provider, providerTxnId, providerRefundId, orderId, merchantId, refund,
        feeReturned).withPending(expiresAt);
  }

  /**
   * A withdrawal of the provider's balance sent to our bank and not yet credited: pending until the
   * bank credits it (posted, possibly less) or returns it (voided). One debit and one credit, so a
   * partial amount may be posted.
   */
  public static Entry withdrawalPending(
      String id, Instant at, String provider, AccountCode bankAccount, String withdrawalId, Money amount,
      Instant expiresAt) {
    requirePositive(amount, "withdrawal", id);
    return Entry.of(id, at, provider + " withdrawal " + withdrawalId + " to " + bankAccount,
        metadata("provider", provider, "withdrawal_id", withdrawalId),
        new Postings()
            .add(bankAccount, Side.DEBIT, amount)
            .add(Chart.clearing(provider), Side.CREDIT, amount)
            .list()).withPending(expiresAt);
  }

  /** The fee a provider returns on a partial refund: the refunded share of the fee, rounded down. */
  public static Money feeReturned(Money gross, Money fee, Money refund) {
    if (refund.isGreaterThan(gross)) {
      throw new IllegalArgumentException(
          "Refund " + Amounts.format(refund) + " exceeds the payment " + Amounts.format(gross));
    }
    if (refund.isEqualTo(gross)) {
      return fee;
    }
    long refundMinor = Amounts.toMinor(refund);
    long grossMinor = Amounts.toMinor(gross);
    return Allocation.of(fee, List.of(refundMinor, grossMinor - refundMinor)).shares().get(0);
  }

  /** The provider pays out its clearing balance to our bank account. */
  public static Entry providerSettlement(
      String id, Instant at, String provider, AccountCode bankAccount, String settlementBatch,
      Money amount) {
    requirePositive(amount, "settlement", id);
    return Entry.of(id, at, provider + " settlement " + settlementBatch,
        metadata("provider", provider, "settlement_batch", settlementBatch),
        new Postings()
            .add(bankAccount, Side.DEBIT, amount)
            .add(Chart.clearing(provider), Side.CREDIT, amount)
            .list());
  }

  /** We pay a merchant what we owe it. */
  public static Entry merchantPayout(
      String id, Instant at, String merchantId, AccountCode bankAccount, Money amount) {
    requirePositive(amount, "payout", id);
    return Entry.of(id, at, "Payout to merchant " + merchantId,
        metadata("merchant_id", merchantId),
        new Postings()
            .add(Chart.merchantPayable(merchantId), Side.DEBIT, amount)
            .add(bankAccount, Side.CREDIT, amount)
            .list());
  }

  /** The card holder's bank takes the payment back, and the provider charges a fee for it. */
  public static Entry chargeback(
      String id, Instant at, String provider, String providerTxnId, String orderId,
      String merchantId, Money amount, Money chargebackFee) {
    requirePositive(amount, "chargeback", id);
    requireNotNegative(chargebackFee, "chargeback fee", id);
    return Entry.of(id, at, "Chargeback of order " + orderId,
        metadata("provider", provider, "provider_txn_id", providerTxnId, "order_id", orderId,
            "merchant_id", merchantId, "kind", "chargeback"),
        new Postings()
            .add(Chart.merchantPayable(merchantId), Side.DEBIT, amount)
            .add(Chart.clearing(provider), Side.CREDIT, amount)
            .add(Chart.fees(provider), Side.DEBIT, chargebackFee)
            .add(Chart.clearing(provider), Side.CREDIT, chargebackFee)
            .list());
  }

  /** Platform commission taken from what we owe the merchant. */
  public static Entry commission(
      String id, Instant at, String merchantId, String orderId, Money amount) {
    requirePositive(amount, "commission", id);
    return Entry.of(id, at, "Commission on order " + orderId,
        metadata("merchant_id", merchantId, "order_id", orderId),
        new Postings()
            .add(Chart.merchantPayable(merchantId), Side.DEBIT, amount)
            .add(Chart.COMMISSION, Side.CREDIT, amount)
            .list());
  }

  /** Commission as basis points of the gross, rounded down to whole minor units. */
  public static Money commissionOf(Money gross, long basisPoints) {
    return Allocation.basisPoints(gross, basisPoints).shares().get(0);
  }

  /**
   * A conversion between two of our accounts: {@code source} leaves {@code from}, {@code received}
   * arrives in {@code to}. The rate gives the expected amount (rounded half-even to the target's
   * minor units); the difference to what was received is posted to fx-gain or fx-loss, so the
   * rounding residual is explicit. The rate, its source and time go into the metadata.
   */
  public static Entry fxConversion(
      String id, Instant at, AccountCode from, AccountCode to, Money source, Money received,
      BigDecimal rate, String rateSource, Instant rateTime) {
    requirePositive(source, "source", id);
    requirePositive(received, "received", id);
    if (rate.signum() <= 0) {
      throw new IllegalArgumentException("Entry " + id + ": FX rate must be positive: " + rate);
    }
    if (source.getCurrency().equals(received.getCurrency())) {
      throw new IllegalArgumentException(
          "Entry " + id + ": FX conversion needs two currencies, got " + source.getCurrency() + " twice");
    }
    BigDecimal exact = Amounts.decimal(source).multiply(rate);
    Money expected = Money.of(
        exact.setScale(Amounts.scale(received.getCurrency()), RoundingMode.HALF_EVEN), received.getCurrency());
    AccountCode position = Chart.fx(source.getCurrency().getCurrencyCode(),
        received.getCurrency().getCurrencyCode());
    Postings postings = new Postings()
        .add(position, Side.DEBIT, source)
        .add(from, Side.CREDIT, source)
        .add(to, Side.DEBIT, received)
        .add(position, Side.CREDIT, expected);
    Money difference = received.subtract(expected);
    if (difference.isPositive()) {
      postings.add(Chart.FX_GAIN, Side.CREDIT, difference);
    } else if (difference.isNegative()) {
      postings.add(Chart.FX_LOSS, Side.DEBIT, difference.negate());
    }
    return Entry.of(id, at, "FX " + source.getCurrency() + "->" + received.getCurrency() + " at " + rate,
        metadata("fx_rate", rate.toPlainString(), "fx_rate_source", rateSource,
            "fx_rate_time", rateTime.toString(), "fx_expected", Amounts.format(expected),
            "fx_exact", exact.stripTrailingZeros().toPlainString()),
        postings.list());
  }

  private static Map<String, String> metadata(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] != null && !pairs[i + 1].isEmpty()) {
        map.put(pairs[i], pairs[i + 1]);
      }
    }
    return map;
  }

  private static void requirePositive(Money amount, String what, String id) {
    Objects.requireNonNull(amount, what);
    if (!amount.isPositive()) {
      throw new IllegalArgumentException(
          "Entry " + id + ": " + what + " must be positive: " + Amounts.format(amount));
    }
  }

  private static void requireNotNegative(Money amount, String what, String id) {
    Objects.requireNonNull(amount, what);
    if (amount.isNegative()) {
      throw new IllegalArgumentException(
          "Entry " + id + ": " + what + " must not be negative: " + Amounts.format(amount));
    }
  }

  /** Collects postings, leaving out zero amounts. */
  private static final class Postings {
    private final List<Posting> list = new ArrayList<>();

    Postings add(AccountCode account, Side side, Money amount) {
      if (!amount.isZero()) {
        list.add(Posting.of(account, side, amount));
      }
      return this;
    }

    List<Posting> list() {
      return list;
    }
  }
}
