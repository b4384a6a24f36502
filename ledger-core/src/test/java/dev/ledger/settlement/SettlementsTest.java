package dev.ledger.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.account.AccountCode;
import dev.ledger.journal.BalanceQuery;
import dev.ledger.journal.Entry;
import dev.ledger.journal.PostStatus;
import dev.ledger.journal.ReferenceLedger;
import dev.ledger.money.Amounts;
import java.math.BigDecimal;
import java.time.Instant;
import javax.money.CurrencyUnit;
import org.junit.jupiter.api.Test;

class SettlementsTest {
  private static final Instant T = Instant.parse("2024-09-12T02:15:02Z");
  private static final CurrencyUnit CNY = Amounts.currency("CNY");
  private static final AccountCode BANK = Chart.bank("icbc", "main");
  private final ReferenceLedger ledger = new ReferenceLedger();

  private long balance(AccountCode code, CurrencyUnit currency) {
    return ledger.balance(BalanceQuery.of(code)).balanceMinor(currency);
  }

  private void post(Entry entry) {
    assertThat(ledger.post(entry).status()).isEqualTo(PostStatus.CREATED);
  }

  @Test
  void aMarketplaceDayLeavesEveryAccountWhereFinanceExpectsIt() {
    var gross = Amounts.parse("100.00", CNY);
    var fee = Amounts.parse("0.60", CNY);
    post(Settlements.paymentCaptured("pay-1", T, "wechatpay", "4200001", "O-1", "m-88", gross, fee));
    var refund = Amounts.parse("30.00", CNY);
    var feeBack = Settlements.feeReturned(gross, fee, refund);
    assertThat(Amounts.format(feeBack)).isEqualTo("0.18");
    post(Settlements.refund("ref-1", T.plusSeconds(60), "wechatpay", "4200001", "5030001", "O-1",
        "m-88", refund, feeBack));
    post(Settlements.commission("com-1", T, "m-88", "O-1", Settlements.commissionOf(gross, 200)));
    // Clearing holds 100 - 0.60 - 30 + 0.18 = 69.58.
    assertThat(balance(Chart.clearing("wechatpay"), CNY)).isEqualTo(6958);
    post(Settlements.providerSettlement("set-1", T.plusSeconds(3600), "wechatpay", BANK, "B-1",
        Amounts.parse("69.58", CNY)));
    post(Settlements.merchantPayout("out-1", T.plusSeconds(7200), "m-88", BANK, Amounts.parse("68.00", CNY)));
    assertThat(balance(Chart.clearing("wechatpay"), CNY)).isZero();
    assertThat(balance(Chart.fees("wechatpay"), CNY)).isEqualTo(42);
    assertThat(balance(Chart.COMMISSION, CNY)).isEqualTo(200);
    assertThat(balance(Chart.merchantPayable("m-88"), CNY)).isZero();
    assertThat(balance(BANK, CNY)).isEqualTo(158);
  }

  /** Far beyond the ledger's clock: T lies in the past, and an expired entry could not be settled. */
  private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");

  @Test
  void moneyInFlightIsPendingUntilTheProviderOrTheBankSettlesIt() {
    var gross = Amounts.parse("100.00", CNY);
    var fee = Amounts.parse("0.60", CNY);
    post(Settlements.paymentCaptured("pay-1", T, "wechatpay", "4200001", "O-1", "m-88", gross, fee));
    var refund = Amounts.parse("30.00", CNY);
    Entry pendingRefund = Settlements.refundPending("ref-1", T.plusSeconds(60), "wechatpay", "4200001",
        "5030001", "O-1", "m-88", refund, Settlements.feeReturned(gross, fee, refund), FAR);
    assertThat(pendingRefund.pending()).isNotNull();
    assertThat(pendingRefund.metadata()).containsEntry("provider_refund_id", "5030001");
    post(pendingRefund);
    assertThat(balance(Chart.merchantPayable("m-88"), CNY)).as("posted, not yet refunded").isEqualTo(10_000);
    Entry withdrawal = Settlements.withdrawalPending("wd-1", T.plusSeconds(120), "wechatpay", BANK, "WD-1",
        Amounts.parse("50.00", CNY), FAR);
    post(withdrawal);
    assertThat(withdrawal.postings()).hasSize(2);
    assertThat(balance(BANK, CNY)).isZero();
    assertThat(ledger.postPending("wd-1", "wd-1-post", "49.90", T.plusSeconds(86_400)).status())
        .isEqualTo(PostStatus.CREATED);
    assertThat(balance(BANK, CNY)).isEqualTo(4_990);
    assertThat(ledger.postPending("ref-1", "ref-1-post", null, T.plusSeconds(86_400)).status())
        .isEqualTo(PostStatus.CREATED);
    assertThat(balance(Chart.merchantPayable("m-88"), CNY)).isEqualTo(7_000);
  }

  @Test
  void fxConversionPostsBothLegsAndTheResidualWithRateProvenance() {
    var usd = Amounts.currency("USD");
    Entry fx = Settlements.fxConversion("fx-1", T, BANK, Chart.bank("hsbc", "usd"),
        Amounts.parse("1000.00", CNY), Amounts.parse("140.87", usd), new BigDecimal("0.140865"),
        "PBOC", Instant.parse("2024-09-12T01:00:00Z"));
    post(fx);
    assertThat(fx.metadata()).containsEntry("fx_rate", "0.140865").containsEntry("fx_rate_source", "PBOC")
        .containsEntry("fx_expected", "140.86"); // half-even
    assertThat(balance(Chart.FX_GAIN, usd)).isEqualTo(1);
    Entry loss = Settlements.fxConversion("fx-2", T, BANK, Chart.bank("hsbc", "usd"),
        Amounts.parse("1000.00", CNY), Amounts.parse("140.80", usd), new BigDecimal("0.140865"),
        "PBOC", T);
    post(loss);
    assertThat(balance(Chart.FX_LOSS, usd)).isEqualTo(6);
    assertThat(balance(Chart.fx("CNY", "USD"), CNY)).isEqualTo(-200000);
  }

  @Test
  void fullRefundReturnsTheWholeFeeAndOverRefundIsRejected() {
    var gross = Amounts.parse("10.00", CNY);
    var fee = Amounts.parse("0.06", CNY);
    assertThat(Settlements.feeReturned(gross, fee, gross)).isEqualTo(fee);
    assertThatThrownBy(() -> Settlements.feeReturned(gross, fee, Amounts.parse("10.01", CNY)))
        .hasMessageContaining("10.01");
  }

  @Test
  void chargebackTakesTheAmountAndTheFeeFromClearing() {
    post(Settlements.paymentCaptured("pay-2", T, "alipay", "2024091200", "O-2", "m-1",
        Amounts.parse("50.00", CNY), Amounts.parse("0.30", CNY)));
    post(Settlements.chargeback("cb-1", T, "alipay", "2024091200", "O-2", "m-1",
        Amounts.parse("50.00", CNY), Amounts.parse("15.00", CNY)));
    assertThat(balance(Chart.clearing("alipay"), CNY)).isEqualTo(-1530);
    assertThat(balance(Chart.merchantPayable("m-1"), CNY)).isZero();
  }
}
