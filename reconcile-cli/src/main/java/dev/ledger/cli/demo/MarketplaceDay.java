package dev.ledger.cli.demo;

import dev.ledger.account.Account;
import dev.ledger.account.AccountCode;
import dev.ledger.journal.Entry;
import dev.ledger.journal.Posting;
import dev.ledger.money.Amounts;
import dev.ledger.settlement.Chart;
import dev.ledger.settlement.Settlements;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.money.CurrencyUnit;
import org.javamoney.moneta.Money;

/**
 * A deterministic marketplace day: payments through WeChat Pay and Alipay, partial refunds, fees,
 * commission, provider settlements, merchant payouts and one FX conversion; plus that day's WeChat
 * Pay and Alipay bills and the bank's camt.053 with a few realistic discrepancies planted.
 */
public final class MarketplaceDay {
  public static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  public static final AccountCode BANK = Chart.bank("icbc", "main");
  public static final AccountCode USD_BANK = Chart.bank("hsbc", "usd");
  /** A second CNY bank whose statements come as a CSV export. */
  public static final AccountCode CMB_BANK = Chart.bank("cmb", "main");
  private static final CurrencyUnit CNY = Amounts.currency("CNY");
  private static final List<String> MERCHANTS = List.of("m-101", "m-102", "m-103");
  private static final List<String> PRODUCTS = List.of("午餐套餐 A", "咖啡（大杯）", "蓝牙耳机", "帆布包", "绿茶礼盒");

  public final LocalDate day;
  public final List<Account> accounts = new ArrayList<>();
  public final List<Entry> entries = new ArrayList<>();
  public final WechatBill wechatBill = new WechatBill();
  public final AlipayBill alipayBill;
  public final CamtStatement bankStatement;
  /** The USD account's MT940 statement: the FX credit, 0.05 short. */
  public final Mt940Statement usdStatement;
  /** The CMB account's CSV export, which matches the ledger line for line. */
  public final BankCsv cmbStatement = new BankCsv("CNY");
  /** The entry that books the bank fee nobody booked: the adjustment that resolves that break. */
  public final Entry bankFeeAdjustment;
  /** The next day's first entries, for {@code ledger post}. */
  public final List<Entry> nextDay = new ArrayList<>();
  /** What a reader of the demo should find, in words. */
  public final List<String> planted = new ArrayList<>();

  private final Random random;
  private final Map<String, Long> owed = new LinkedHashMap<>();

  public MarketplaceDay(LocalDate day, long seed) {
    this.day = day;
    this.random = new Random(seed);
    this.alipayBill = new AlipayBill("20881234567890120156", day);
    accounts.add(Account.noOverdraft(BANK.value()));
    accounts.add(Account.noOverdraft(USD_BANK.value()));
    for (String merchant : MERCHANTS) {
      accounts.add(Account.noOverdraft(Chart.merchantPayable(merchant).value()));
    }
    for (String provider : List.of("wechatpay", "alipay")) {
      accounts.add(Account.of(Chart.clearing(provider).value()));
      accounts.add(Account.of(Chart.fees(provider).value()));
    }
    accounts.add(Account.of(Chart.COMMISSION.value()));
    accounts.add(Account.of("equity:capital"));
    accounts.add(Account.noOverdraft(CMB_BANK.value()));

    long opening = 5_000_000;
    entries.add(Entry.of("capital-" + day, at(day.minusDays(1), 9, 0), "Working capital", Map.of(),
        List.of(Posting.debit(BANK.value(), "50000.00", "CNY"), Posting.credit("equity:capital", "50000.00", "CNY"))));
    bankStatement = new CamtStatement("CN-ICBC-6222020200001234", "CNY", day, opening);

    long wechatNet = wallet("wechatpay", 24);
    long alipayNet = wallet("alipay", 16);

    // Commission: 2% of each merchant's gross for the day, one entry per merchant.
    long commissionTotal = 0;
    for (String merchant : MERCHANTS) {
      long gross = owed.getOrDefault(merchant, 0L);
      Money commission = Settlements.commissionOf(money(gross), 200);
      if (commission.isPositive()) {
        entries.add(Settlements.commission("commission-" + merchant + "-" + day, at(day, 22, 0), merchant,
            "daily-" + day, commission));
        owed.merge(merchant, -Amounts.toMinor(commission), Long::sum);
        commissionTotal += Amounts.toMinor(commission);
      }
    }

    // WeChat settles in one batch that finance books as two entries (payments, refunds);
    // the bank shows one credit for the whole batch.
    String wechatBatch = "WX-SETTLE-" + day;
    long wechatFirst = wechatNet * 2 / 3;
    entries.add(Settlements.providerSettlement("settle-wechat-" + day + "-1", at(day, 23, 0), "wechatpay", BANK,
        wechatBatch, money(wechatFirst)));
    entries.add(Settlements.providerSettlement("settle-wechat-" + day + "-2", at(day, 23, 0), "wechatpay", BANK,
        wechatBatch, money(wechatNet - wechatFirst)));
    bankStatement.movement(wechatNet, day, "BK" + day.toString().replace("-", "") + "001", "NOTPROVIDED",
        "TENPAY SETTLEMENT");
    String alipayBatch = "ALI-SETTLE-" + day;
    entries.add(Settlements.providerSettlement("settle-alipay-" + day, at(day, 23, 5), "alipay", BANK, alipayBatch,
        money(alipayNet)));
    bankStatement.movement(alipayNet, day, "BK" + day.toString().replace("-", "") + "002", null,
        "ALIPAY " + alipayBatch);

    moneyInFlight();

    // Payouts: the bank executed two today; the third leaves tomorrow (missing in statement).
    int index = 0;
    for (String merchant : MERCHANTS) {
      long amount = owed.getOrDefault(merchant, 0L);
      if (amount <= 0) {
        continue;
      }
      String id = "payout-" + merchant + "-" + day;
      entries.add(Settlements.merchantPayout(id, at(day, 23, 30), merchant, BANK, money(amount)));
      if (index++ < 2) {
        bankStatement.movement(-amount, day, "BK" + day.toString().replace("-", "") + "1" + index, id,
            "PAYOUT " + merchant);
      } else {
        planted.add("camt053: payout " + id + " is booked but not yet on the bank statement (MISSING_IN_STATEMENT)");
      }
    }

    // FX: 10,000.00 CNY to USD at the PBOC rate; the bank credited 0.05 less than the rate gives.
    entries.add(Settlements.fxConversion("fx-" + day, at(day, 16, 0), BANK, USD_BANK, money(1_000_000),
        Amounts.parse("1408.60", "USD"), new BigDecimal("0.140865"), "PBOC central parity",
        at(day, 9, 15)));
    bankStatement.movement(-1_000_000, day, "BK" + day.toString().replace("-", "") + "201", "FX-" + day,
        "FX CNY/USD");
    bankStatement.movement(-2500, day, "BK" + day.toString().replace("-", "") + "301", null, "ACCOUNT MAINTENANCE FEE");
    planted.add("camt053: a bank fee of 25.00 that nobody booked (MISSING_IN_LEDGER)");
    bankFeeAdjustment = Entry.of("bank-fee-" + day, at(day, 18, 0), "ICBC account maintenance fee",
        Map.of("bank_reference", "BK" + day.toString().replace("-", "") + "301"),
        List.of(Posting.debit("expenses:fees:bank", "25.00", "CNY"), Posting.credit(BANK.value(), "25.00", "CNY")));

    // The USD account receives the FX conversion; HSBC's MT940 credits one cent less than booked
    // (the bank rounds its own way), which --tolerance 0.01 accepts.
    usdStatement = new Mt940Statement("HK-HSBC-800123456-USD", "USD", day, 0)
        .movement(140_859, day, "FX-" + day.toString().replace("-", ""), "HK" + day.toString().replace("-", "") + "FX01",
            "FX CONVERSION fx-" + day + " CNY 10000.00");
    planted.add("mt940: the FX credit for fx-" + day + " is 1408.59 USD, one cent less than booked (AMOUNT_MISMATCH "
        + "unless --tolerance 0.01)");

    // CMB: rent and a supplier paid from the second bank account, both on its CSV export, which
    // also credits interest that nobody booked.
    entries.add(Entry.of("capital-cmb-" + day, at(day.minusDays(1), 9, 30), "Working capital, CMB", Map.of(),
        List.of(Posting.debit(CMB_BANK.value(), "20000.00", "CNY"), Posting.credit("equity:capital", "20000.00", "CNY"))));
    entries.add(Entry.of("rent-" + day, at(day, 10, 0), "Office rent, September", Map.of(),
        List.of(Posting.debit("expenses:rent", "8000.00", "CNY"), Posting.credit(CMB_BANK.value(), "8000.00", "CNY"))));
    entries.add(Entry.of("supplier-" + day, at(day, 14, 30), "Packaging supplies", Map.of(),
        List.of(Posting.debit("expenses:supplies", "1234.56", "CNY"), Posting.credit(CMB_BANK.value(), "1234.56", "CNY"))));
    cmbStatement.line(day, "OFFICE RENT SEPTEMBER", "rent-" + day, -800_000)
        .line(day, "PACKAGING SUPPLIES CO", "supplier-" + day, -123_456)
        .line(day, "INTEREST", "CMB" + day.toString().replace("-", "") + "INT", 321);
    planted.add("csv (CMB): interest of 3.21 credited by the bank and not booked (MISSING_IN_LEDGER)");

    // Tomorrow's first payment, not yet posted: the entries file of the batch-job tour.
    LocalDate next = day.plusDays(1);
    String txn = "4200002" + next.toString().replace("-", "") + "00000001";
    nextDay.add(Settlements.paymentCaptured("pay-wechatpay-" + txn, at(next, 9, 5), "wechatpay", txn,
        "WX-" + next.toString().replace("-", "") + "-1", "m-101", money(12_800), money(77)));
    if (commissionTotal == 0) {
      throw new IllegalStateException("demo day without commission");
    }
  }

  /**
   * Money in flight, as pending entries (neither moves a posted balance nor meets a statement line):
   * a WeChat Pay refund the provider accepted but has not paid (it reserves the merchant's payable,
   * so the payout leaves it there), and an Alipay withdrawal sent to the bank that the bank returned
   * (voided). {@code ledger pending list} shows the refund until it is posted or expires. The demo
   * day lies in the past, so the expiries are ten years on: a realistic week would have lapsed
   * before anyone runs the demo (and they must not depend on today, or a rerun would conflict).
   */
  private void moneyInFlight() {
    Entry payment = entries.stream().filter(e -> "wechatpay".equals(e.metadata().get("provider"))
        && e.metadata().containsKey("provider_txn_id") && !e.metadata().containsKey("provider_refund_id"))
        .findFirst().orElseThrow();
    String merchant = payment.metadata().get("merchant_id");
    String txnId = payment.metadata().get("provider_txn_id");
    long refund = 1000;
    entries.add(Settlements.refundPending("refund-pending-wechatpay-" + day, at(day, 21, 30), "wechatpay", txnId,
        "5030009" + day.toString().replace("-", "") + "00000099", payment.metadata().get("order_id"), merchant,
        money(refund), money(0), at(day.plusYears(10), 21, 30)));
    owed.merge(merchant, -refund, Long::sum);
    Entry withdrawal = Settlements.withdrawalPending("withdraw-alipay-" + day, at(day, 21, 40), "alipay", BANK,
        "ALI-WD-" + day, money(20_000), at(day.plusYears(10), 21, 40));
    entries.add(withdrawal);
    entries.add(withdrawal.pendingVoid("withdraw-alipay-" + day + "-returned", "returned by the bank: account name mismatch",
        at(day, 22, 30)));
  }

  /** Books one provider's payments and refunds, writes its bill with planted breaks, returns the net. */
  private long wallet(String provider, int payments) {
    boolean wechat = provider.equals("wechatpay");
    long net = 0;
    List<long[]> paid = new ArrayList<>();
    for (int i = 1; i <= payments; i++) {
      String merchant = MERCHANTS.get(random.nextInt(MERCHANTS.size()));
      long gross = 1000 + random.nextInt(49_000);
      long fee = (gross * 6 + 500) / 1000; // 0.6%, rounded half up to the fen
      LocalDateTime time = day.atTime(8 + i * 14 / payments, random.nextInt(60), random.nextInt(60));
      String txnId = wechat ? String.format("4200002%s%08d", day.toString().replace("-", ""), i)
          : String.format("%s2200141%08d", day.toString().replace("-", ""), i);
      String orderId = (wechat ? "WX-" : "AL-") + day.toString().replace("-", "") + "-" + i;
      String id = "pay-" + provider + "-" + txnId;
      String product = PRODUCTS.get(random.nextInt(PRODUCTS.size()));
      boolean missingInLedger = i == 3;
      if (!missingInLedger) {
        entries.add(Settlements.paymentCaptured(id, time.atZone(SHANGHAI).toInstant(), provider, txnId, orderId,
            merchant, money(gross), money(fee)));
        owed.merge(merchant, gross, Long::sum);
        net += gross - fee;
        paid.add(new long[] {i, gross, fee});
      }
      boolean missingInStatement = i == payments;
      if (missingInStatement) {
        planted.add(provider + ": payment " + txnId + " booked at " + time + " is not in the bill (MISSING_IN_STATEMENT)");
        continue;
      }
      if (missingInLedger) {
        planted.add(provider + ": bill line for " + txnId + " has no entry (MISSING_IN_LEDGER)");
      }
      long billedGross = gross;
      long billedFee = fee;
      if (wechat && i == 5) {
        billedFee = fee + 1;
        planted.add("wechatpay: fee on " + txnId + " billed one fen higher (FEE_MISMATCH)");
      }
      if (!wechat && i == 6) {
        billedGross = gross - 800;
        billedFee = (billedGross * 6 + 500) / 1000;
        planted.add("alipay: " + txnId + " billed 8.00 less than booked (AMOUNT_MISMATCH)");
      }
      if (wechat) {
        wechatBill.payment(time, txnId, orderId, billedGross, billedFee, product);
        if (i == 7) {
          wechatBill.payment(time, txnId, orderId, billedGross, billedFee, product);
          planted.add("wechatpay: " + txnId + " appears twice in the bill (DUPLICATE_IN_STATEMENT)");
        }
      } else {
        alipayBill.payment(time, txnId, orderId, billedGross, billedFee, product);
      }
    }
    // Partial refunds of three payments; for Alipay one refund is in the bill only.
    for (int r = 0; r < 3; r++) {
      long[] payment = paid.get(1 + r * 3);
      int i = (int) payment[0];
      long refund = payment[1] / 3;
      long feeReturned = Amounts.toMinor(Settlements.feeReturned(money(payment[1]), money(payment[2]), money(refund)));
      String txnId = wechat ? String.format("4200002%s%08d", day.toString().replace("-", ""), i)
          : String.format("%s2200141%08d", day.toString().replace("-", ""), i);
      String orderId = (wechat ? "WX-" : "AL-") + day.toString().replace("-", "") + "-" + i;
      String refundId = wechat ? String.format("5030002%s%08d", day.toString().replace("-", ""), i)
          : "REF-" + orderId;
      LocalDateTime time = day.atTime(20, 10 + r, 0);
      Entry paymentEntry = entries.stream().filter(e -> txnId.equals(e.metadata().get("provider_txn_id")))
          .findFirst().orElseThrow();
      String merchant = paymentEntry.metadata().get("merchant_id");
      boolean bookedRefund = wechat || r != 2;
      if (bookedRefund) {
        entries.add(Settlements.refund("refund-" + provider + "-" + refundId, time.atZone(SHANGHAI).toInstant(),
            provider, txnId, refundId, orderId, merchant, money(refund), money(feeReturned)));
        owed.merge(merchant, -refund, Long::sum);
        net += -refund + feeReturned;
      } else {
        planted.add("alipay: refund " + refundId + " is in the bill but was never booked (MISSING_IN_LEDGER)");
      }
      if (wechat) {
        wechatBill.refund(time, txnId, orderId, refundId, refund, feeReturned);
      } else {
        alipayBill.refund(time, txnId, orderId, refundId, refund, feeReturned);
      }
    }
    return net;
  }

  private Instant at(LocalDate date, int hour, int minute) {
    return date.atTime(hour, minute).atZone(SHANGHAI).toInstant();
  }

  private static Money money(long minor) {
    return Amounts.ofMinor(minor, CNY);
  }
}
