package dev.ledger.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.money.Amounts;
import dev.ledger.statement.LineType;
import dev.ledger.statement.StatementInfo;
import dev.ledger.statement.StatementLine;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import javax.money.CurrencyUnit;
import org.junit.jupiter.api.Test;

class BankMatcherTest {
  private static final CurrencyUnit CNY = Amounts.currency("CNY");
  private static final LocalDate DAY = LocalDate.of(2024, 9, 13);
  private final List<StatementLine> lines = new ArrayList<>();

  private void credit(long amount, String reference, String text, LocalDate valueDate) {
    lines.add(new StatementLine(lines.size() + 1, LineType.SETTLEMENT, null, null, null, reference, null,
        valueDate, CNY, amount, null, text));
  }

  private MatchOutcome run(List<BankItem> items, List<OpenBreak> open) {
    BankMatcher matcher = new BankMatcher(items, open, 0, 2);
    lines.forEach(matcher::line);
    matcher.end(new StatementInfo("CN001", CNY, null, null, null, DAY, DAY, ZoneId.of("Asia/Shanghai"),
        lines.size(), List.of()));
    return matcher.finish();
  }

  @Test
  void matchesByReferenceByAmountAndOneCreditAgainstAWholeSettlementBatch() {
    List<BankItem> items = List.of(
        new BankItem("set-wx-1", CNY, 60000, DAY.minusDays(1), "B-1"),
        new BankItem("set-wx-2", CNY, 40000, DAY.minusDays(1), "B-1"),
        new BankItem("set-ali-1", CNY, 50000, DAY, "SET-ALI-0913"),
        new BankItem("fee-1", CNY, -1500, DAY, null));
    credit(100000, "NONREF", "WECHAT PAY SETTLEMENT", DAY);
    credit(50000, "X1", "ALIPAY SETTLEMENT SET-ALI-0913", DAY);
    credit(-1500, "NONREF", "ACCOUNT FEE", DAY.plusDays(1));
    MatchOutcome outcome = run(items, List.of());
    assertThat(outcome.breaks()).isEmpty();
    assertThat(outcome.matched()).isEqualTo(3);
  }

  @Test
  void reportsAmbiguousMissingAndMismatchedLines() {
    List<BankItem> items = List.of(
        new BankItem("payout-1", CNY, -30000, DAY, null),
        new BankItem("payout-2", CNY, -30000, DAY, null),
        new BankItem("set-1", CNY, 12345, DAY, "SET-0913"),
        new BankItem("set-2", CNY, 8800, DAY, "SET-0913B"));
    credit(-30000, "NONREF", "PAYOUT", DAY);
    credit(7700, "NONREF", "UNKNOWN CREDIT", DAY);
    credit(12300, "SET-0913", "", DAY);
    MatchOutcome outcome = run(items, List.of());
    assertThat(outcome.breaks()).extracting(b -> b.kind() + " " + b.key()).containsExactlyInAnyOrder(
        "AMBIGUOUS_MATCH NONREF", "MISSING_IN_LEDGER NONREF", "AMOUNT_MISMATCH SET-0913",
        "MISSING_IN_STATEMENT SET-0913B");
    Break mismatch = outcome.breaks().stream().filter(b -> b.kind() == BreakKind.AMOUNT_MISMATCH)
        .findFirst().orElseThrow();
    assertThat(mismatch.difference()).isEqualTo(-45);
  }

  @Test
  void aLaterStatementClosesAMissingInStatementBreak() {
    BankItem late = new BankItem("set-late", CNY, 999, DAY, "SET-LATE");
    Break missing = run(List.of(late), List.of()).breaks().get(0);
    assertThat(missing.kind()).isEqualTo(BreakKind.MISSING_IN_STATEMENT);
    lines.clear();
    credit(999, "SET-LATE", "", DAY.plusDays(1));
    MatchOutcome next = run(List.of(late), List.of(new OpenBreak(7L, missing)));
    assertThat(next.closedBreakIds()).containsExactly(7L);
    assertThat(next.breaks()).isEmpty();
  }

  @Test
  void aSettlementBatchWhoseTotalLeavesTheLongRangeStopsNamingTheReferenceInsteadOfMatchingAWrappedSum() {
    // 92233720368547750.00 + 10.00 wraps to -92233720368547758.16 without a range check, and a
    // line of exactly that figure matched the batch.
    List<BankItem> items = List.of(
        new BankItem("set-1", CNY, 9_223_372_036_854_775_000L, DAY, "SET-HUGE"),
        new BankItem("set-2", CNY, 1_000L, DAY, "SET-HUGE"));
    credit(9_223_372_036_854_775_000L + 1_000L, "SET-HUGE", "", DAY);
    assertThatThrownBy(() -> run(items, List.of()))
        .isInstanceOf(SumOverflowException.class)
        .hasMessage("the ledger entries with reference SET-HUGE (2 entries, first set-1) add up beyond "
            + "92233720368547758.07 CNY in magnitude: 92233720368547750.00 + 10.00");
  }

  @Test
  void amountsTooFarApartForALongAreNeverWithinTheTolerance() {
    // MAX - (-MAX) wraps to -2, whose absolute value is within a tolerance of 5: no match.
    List<BankItem> items = List.of(new BankItem("big", CNY, Long.MAX_VALUE, DAY, null));
    credit(-Long.MAX_VALUE, "NONREF", "REVERSAL", DAY);
    BankMatcher matcher = new BankMatcher(items, List.of(), 5, 2);
    lines.forEach(matcher::line);
    matcher.end(new StatementInfo("CN001", CNY, null, null, null, DAY, DAY, ZoneId.of("Asia/Shanghai"),
        lines.size(), List.of()));
    MatchOutcome outcome = matcher.finish();
    assertThat(outcome.matched()).isZero();
    assertThat(outcome.breaks()).extracting(Break::kind)
        .containsExactlyInAnyOrder(BreakKind.MISSING_IN_LEDGER, BreakKind.MISSING_IN_STATEMENT);
  }
}
