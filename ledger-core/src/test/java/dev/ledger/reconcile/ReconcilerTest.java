package dev.ledger.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.journal.Entry;
import dev.ledger.money.Amounts;
import dev.ledger.settlement.Settlements;
import dev.ledger.statement.Source;
import dev.ledger.statement.StatementException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconcilerTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final LocalDateTime DAY = LocalDateTime.of(2024, 9, 12, 0, 0);

  @TempDir Path dir;
  private final InMemoryRunStore store = new InMemoryRunStore();
  private final Reconciler reconciler = new Reconciler(store);

  private static Instant at(LocalDateTime time) {
    return time.atZone(SHANGHAI).toInstant();
  }

  private static Entry payment(String txnId, LocalDateTime time, String gross, String fee) {
    var cny = Amounts.currency("CNY");
    return Settlements.paymentCaptured("pay-" + txnId, at(time), "wechatpay", txnId, "O-" + txnId, "m-1",
        Amounts.parse(gross, cny), Amounts.parse(fee, cny));
  }

  private Path bill(String name, WechatBillText bill) throws IOException {
    return Files.writeString(dir.resolve(name), bill.text(), StandardCharsets.UTF_8);
  }

  private Reconciler.Result wechat(Path file) {
    return reconciler.reconcile(new Reconciler.Request(Source.WECHATPAY, file, null, null, null, null, false));
  }

  private Reconciler.Result wechat(Path file, MatchRules rules) {
    return reconciler.reconcile(new Reconciler.Request(Source.WECHATPAY, file, null, null, null, rules, false));
  }

  private static List<String> breaks(Reconciler.Result result) {
    return result.run().breaks().stream().map(b -> b.details().kind() + " " + b.details().key()).toList();
  }

  @Test
  void aDayStoresExactlyItsBreaksAndCountsItsExactMatches() throws IOException {
    store.post(payment("4201", DAY.plusHours(9), "100.00", "0.60"), payment("4202", DAY.plusHours(10), "50.00", "0.30"),
        payment("4204", DAY.plusHours(11), "20.00", "0.12"));
    Path file = bill("day.csv", new WechatBillText().payment(DAY.plusHours(9), "4201", 10000, 60)
        .payment(DAY.plusHours(10), "4202", 5010, 30).payment(DAY.plusHours(12), "4203", 700, 4));

    Reconciler.Result result = wechat(file);

    assertThat(breaks(result)).containsExactlyInAnyOrder("AMOUNT_MISMATCH 4202", "MISSING_IN_LEDGER 4203",
        "MISSING_IN_STATEMENT 4204");
    assertThat(result.run().matched()).isEqualTo(1);
    assertThat(result.run().matchedByRule()).containsExactly(Map.entry(MatchRule.EXACT_KEY, 1L));
    assertThat(result.run().matches()).isEmpty(); // exact matches are counted, not listed
    assertThat(result.hasBreaks()).isTrue();
    RunBreak missing = result.run().breaks().stream()
        .filter(b -> b.details().kind() == BreakKind.MISSING_IN_STATEMENT).findFirst().orElseThrow();
    assertThat(missing.details().orderId()).isEqualTo("O-4204");
  }

  @Test
  void theSameFileAgainReportsTheStoredRunAndStoresNoSecondBreak() throws IOException {
    store.post(payment("4201", DAY.plusHours(9), "100.00", "0.60"));
    Path file = bill("day.csv", new WechatBillText().payment(DAY.plusHours(9), "4201", 10000, 61));
    Reconciler.Result first = wechat(file);
    Reconciler.Result again = wechat(file);

    assertThat(again.run().existing()).isTrue();
    assertThat(again.run().id()).isEqualTo(first.run().id());
    assertThat(again.hasBreaks()).isTrue();
    assertThat(store.breaks()).hasSize(1);
    store.resolve(first.run().breaks().get(0).id());
    assertThat(wechat(file).hasBreaks()).isFalse();
  }

  @Test
  void anEntryBookedBeforeMidnightIsMissingOnItsDayAndTheNextDaysLineClosesItByDateLag() throws IOException {
    store.post(payment("4201", DAY.plusHours(9), "100.00", "0.60"),
        payment("4299", DAY.plusHours(23).plusMinutes(59), "30.00", "0.18"));
    Reconciler.Result day1 = wechat(bill("d1.csv", new WechatBillText().payment(DAY.plusHours(9), "4201", 10000, 60)));
    assertThat(breaks(day1)).containsExactly("MISSING_IN_STATEMENT 4299");

    Reconciler.Result day2 = wechat(bill("d2.csv",
        new WechatBillText().payment(DAY.plusDays(1).plusMinutes(1), "4299", 3000, 18)));

    assertThat(day2.run().breaks()).isEmpty();
    assertThat(day2.run().closedBreakIds()).containsExactly(day1.run().breaks().get(0).id());
    assertThat(day2.run().matches()).containsExactly(
        new Match(MatchRule.DATE_LAG, "4299", List.of(2L), List.of("pay-4299")));
    assertThat(store.breaks()).extracting(RunBreak::status).containsExactly("closed");
  }

  @Test
  void aToleranceAsAPercentageOfTheGrossMatchesAndRecordsItsRule() throws IOException {
    store.post(payment("4201", DAY.plusHours(9), "100.00", "0.60"), payment("4202", DAY.plusHours(9), "100.00", "0.60"));
    Path file = bill("day.csv", new WechatBillText().payment(DAY.plusHours(9), "4201", 10050, 60, "")
        .payment(DAY.plusHours(9), "4202", 10200, 60, ""));

    Reconciler.Result result = wechat(file, MatchRules.defaults(Source.WECHATPAY).withTolerance("1%"));

    // 0.50 is within 1% of 100.50; 2.00 is not within 1% of 102.00.
    assertThat(breaks(result)).containsExactly("AMOUNT_MISMATCH 4202");
    assertThat(result.run().matches()).containsExactly(
        new Match(MatchRule.TOLERANCE, "4201", List.of(2L), List.of("pay-4201")));
  }

  @Test
  void aFeeThatDisagreesWithTheBillsOwnRateIsAFeeMismatchEvenWhenTheLedgerBookedIt() throws IOException {
    store.post(payment("4201", DAY.plusHours(9), "100.00", "0.60"), payment("4202", DAY.plusHours(9), "100.00", "1.00"),
        payment("4203", DAY.plusHours(9), "33.33", "0.20"));
    Path file = bill("day.csv", new WechatBillText().payment(DAY.plusHours(9), "4201", 10000, 60)
        .payment(DAY.plusHours(9), "4202", 10000, 100).payment(DAY.plusHours(9), "4203", 3333, 20));

    Reconciler.Result result = wechat(file);

    // 33.33 x 0.6% = 0.19998: 0.20 is that, rounded.
    assertThat(breaks(result)).containsExactly("FEE_MISMATCH 4202");
    Break fee = result.run().breaks().get(0).details();
    assertThat(fee.stated()).isEqualTo("0.6%");
    assertThat(fee.computed()).isEqualTo("0.60");
    assertThat(fee.format(fee.difference())).isEqualTo("0.40");

    InMemoryRunStore other = new InMemoryRunStore().post(payment("4202", DAY.plusHours(9), "100.00", "1.00"));
    MatchRules noRate = new MatchRules(BigDecimal.ZERO, BigDecimal.ZERO, 3, true, false);
    Reconciler.Result unchecked = new Reconciler(other).reconcile(new Reconciler.Request(Source.WECHATPAY,
        bill("one.csv", new WechatBillText().payment(DAY.plusHours(9), "4202", 10000, 100)), null, null, null, noRate,
        false));
    assertThat(unchecked.run().breaks()).isEmpty();
  }

  @Test
  void aLineThatAnotherFilesRunMatchedIsADuplicateAcrossStatementsAndItsEntryIsNotMissing() throws IOException {
    store.post(payment("4201", DAY.plusHours(9), "100.00", "0.60"), payment("4301", DAY.plusDays(1).plusHours(9),
        "10.00", "0.06"));
    wechat(bill("d1.csv", new WechatBillText().payment(DAY.plusHours(9), "4201", 10000, 60)));

    // The next day's bill repeats yesterday's payment.
    Reconciler.Result day2 = wechat(bill("d2.csv", new WechatBillText().payment(DAY.plusHours(9), "4201", 10000, 60)
        .payment(DAY.plusDays(1).plusHours(9), "4301", 1000, 6)));

    assertThat(breaks(day2)).containsExactly("DUPLICATE_ACROSS_STATEMENTS 4201");
    assertThat(day2.run().matched()).isEqualTo(1);
  }

  @Test
  void aKeyLongerThanABreakHoldsIsRejectedWithFileAndLineAndNothingIsStored() throws IOException {
    String longId = "4".repeat(Break.KEY_LENGTH_MAX + 1);
    Path file = bill("long.csv", new WechatBillText().payment(DAY.plusHours(9), "4201", 10000, 60)
        .payment(DAY.plusHours(9), longId, 10000, 60));

    assertThatThrownBy(() -> wechat(file)).isInstanceOf(StatementException.class)
        .hasMessageStartingWith("long.csv:3: ").hasMessageContaining("201 characters");
    assertThat(store.findRun("wechatpay", "assets:wallet:wechatpay:clearing", Reconciler.sha256(file))).isEmpty();
  }

  @Test
  void aTruncatedBillIsRejectedAndNothingIsStored() throws IOException {
    String whole = new WechatBillText().payment(DAY.plusHours(9), "4201", 10000, 60)
        .payment(DAY.plusHours(9), "4202", 10000, 60).text();
    Path file = Files.writeString(dir.resolve("cut.csv"), whole.substring(0, whole.indexOf("总交易单数")),
        StandardCharsets.UTF_8);

    Reconciler.Result result = wechat(file);

    assertThat(result.rejection()).isEqualTo(RunRejection.TRUNCATED);
    assertThat(result.rejectionMessage()).startsWith("cut.csv: looks truncated");
    assertThat(result.run()).isNull();
    assertThat(store.breaks()).isEmpty();
  }

  @Test
  void aRulesFileSetsTheSourcesRulesAndItsOwnLinesWin() throws IOException {
    Path file = Files.writeString(dir.resolve("rules.properties"), """
        # nightly rules
        tolerance = 0.05
        date_lag_days = 2
        wechatpay.tolerance = 1%
        camt053.match_by_sum = false
        """, StandardCharsets.UTF_8);

    MatchRules wechat = MatchRules.load(file, Source.WECHATPAY);
    MatchRules camt = MatchRules.load(file, Source.CAMT053);

    assertThat(wechat.tolerancePercent()).isEqualByComparingTo("1");
    assertThat(wechat.toleranceAmount()).isEqualByComparingTo("0");
    assertThat(wechat.dateLagDays()).isEqualTo(2);
    assertThat(camt.toleranceAmount()).isEqualByComparingTo("0.05");
    assertThat(camt.matchBySum()).isFalse();
    assertThat(camt.tolerance(Amounts.currency("CNY"))).isEqualTo(new Tolerance(5, BigDecimal.ZERO));
  }

  @Test
  void aRulesFileWithAnUnknownRuleOrABadValueNamesFileAndLine() throws IOException {
    Path unknown = Files.writeString(dir.resolve("a.rules"), "tolerance = 0.01\nfuzzy = true\n");
    Path bad = Files.writeString(dir.resolve("b.rules"), "\nwechatpay.date_lag_days = soon\n");
    Path source = Files.writeString(dir.resolve("c.rules"), "paypal.tolerance = 1\n");

    assertThatThrownBy(() -> MatchRules.load(unknown, Source.WECHATPAY)).hasMessageStartingWith("a.rules:2: unknown rule");
    assertThatThrownBy(() -> MatchRules.load(bad, Source.WECHATPAY)).hasMessageStartingWith("b.rules:2: date_lag_days");
    assertThatThrownBy(() -> MatchRules.load(source, Source.WECHATPAY)).hasMessageStartingWith("c.rules:1: unknown source");
    assertThatThrownBy(() -> MatchRules.defaults(Source.ALIPAY).withTolerance("0.001").tolerance(Amounts.currency("CNY")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aBankStatementNeedsAnAccount() {
    assertThatThrownBy(() -> new Reconciler.Request(Source.CAMT053, dir.resolve("x.xml"), null, null, null, null, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("account");
  }
}
