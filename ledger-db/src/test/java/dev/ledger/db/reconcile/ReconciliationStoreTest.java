package dev.ledger.db.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.db.LedgerDatabase;
import dev.ledger.db.TestDatabases;
import dev.ledger.journal.Entry;
import dev.ledger.money.Amounts;
import dev.ledger.reconcile.BankItem;
import dev.ledger.reconcile.Break;
import dev.ledger.reconcile.BreakKind;
import dev.ledger.reconcile.MatchOutcome;
import dev.ledger.reconcile.WalletItems;
import dev.ledger.settlement.Chart;
import dev.ledger.settlement.Settlements;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReconciliationStoreTest {
  private static final Instant T = Instant.parse("2024-09-12T02:00:00Z");
  private final LedgerDatabase database = TestDatabases.fresh();
  private final ReconciliationStore store = new ReconciliationStore(database.dataSource());

  @AfterEach
  void close() {
    database.close();
  }

  private static Break missing(String key) {
    return new Break(BreakKind.MISSING_IN_LEDGER, key, null, 3, Amounts.currency("CNY"), 1000L, null, 6L, null,
        key, null, "O-" + key);
  }

  private static MatchOutcome outcome(List<Break> breaks, List<Long> closed) {
    return new MatchOutcome(10, 9, breaks, closed, List.of(), T, T.plusSeconds(86_400));
  }

  @Test
  void loadsWalletItemsKeyedByRefundIdOrTransactionIdWithNetAndFee() {
    var cny = Amounts.currency("CNY");
    Entry payment = Settlements.paymentCaptured("pay-1", T, "wechatpay", "4200001", "O-1", "m-1",
        Amounts.parse("100.00", cny), Amounts.parse("0.60", cny));
    Entry refund = Settlements.refund("ref-1", T.plusSeconds(60), "wechatpay", "4200001", "5030001", "O-1", "m-1",
        Amounts.parse("30.00", cny), Amounts.parse("0.18", cny));
    Entry settlement = Settlements.providerSettlement("set-1", T.plusSeconds(120), "wechatpay",
        Chart.bank("icbc", "main"), "B-1", Amounts.parse("69.58", cny));
    Entry other = Settlements.paymentCaptured("pay-ali", T, "alipay", "2088", "O-2", "m-1",
        Amounts.parse("5.00", cny), Amounts.parse("0.03", cny));
    assertThat(database.ledger().postAll(List.of(payment, refund, settlement, other)).committed()).isTrue();

    WalletItems items = store.walletItems("wechatpay", Chart.clearing("wechatpay"), Chart.fees("wechatpay"),
        T.minusSeconds(3600), T.plusSeconds(3600), Set.of(), 16);
    assertThat(items.size()).isEqualTo(2); // the settlement carries no transaction id
    var matcher = new dev.ledger.reconcile.WalletMatcher(items, List.of(), 0);
    matcher.line(new dev.ledger.statement.StatementLine(2, dev.ledger.statement.LineType.PAYMENT, "4200001", null,
        "O-1", null, T, null, cny, 10000, 60L, ""));
    matcher.line(new dev.ledger.statement.StatementLine(3, dev.ledger.statement.LineType.REFUND, "4200001",
        "5030001", "O-1", null, T, null, cny, -3000, -18L, ""));
    assertThat(matcher.finish().matched()).isEqualTo(2);

    // Open breaks' keys reach entries outside the window, and an entry inside it counts once.
    WalletItems withKeys = store.walletItems("wechatpay", Chart.clearing("wechatpay"), Chart.fees("wechatpay"),
        T.minusSeconds(3600), T.plusSeconds(3600), Set.of("4200001", "5030001"), 16);
    assertThat(withKeys.size()).isEqualTo(2);
    var again = new dev.ledger.reconcile.WalletMatcher(withKeys, List.of(), 0);
    again.line(new dev.ledger.statement.StatementLine(2, dev.ledger.statement.LineType.PAYMENT, "4200001", null,
        "O-1", null, T, null, cny, 10000, 60L, ""));
    assertThat(again.finish().matched()).isEqualTo(1);
    WalletItems later = store.walletItems("wechatpay", Chart.clearing("wechatpay"), Chart.fees("wechatpay"),
        T.plusSeconds(86_400), T.plusSeconds(90_000), Set.of("5030001"), 16);
    assertThat(later.size()).isEqualTo(1);

    List<BankItem> bank = store.bankItems(Chart.bank("icbc", "main"), T.minusSeconds(3600), T.plusSeconds(3600),
        ZoneId.of("Asia/Shanghai"));
    assertThat(bank).singleElement().satisfies(item -> {
      assertThat(item.amountMinor()).isEqualTo(6958);
      assertThat(item.reference()).isEqualTo("B-1");
    });
  }

  @Test
  void aRunIsStoredOncePerFileHashAndClosesEarlierBreaks() {
    dev.ledger.reconcile.StoredRun first = store.saveRun("wechatpay", "assets:wallet:wechatpay:clearing", "a.csv", "aa", 0,
        outcome(List.of(missing("k1"), missing("k2")), List.of()));
    assertThat(first.breaks()).hasSize(2).allMatch(b -> b.status().equals("open"));
    dev.ledger.reconcile.StoredRun again = store.saveRun("wechatpay", "assets:wallet:wechatpay:clearing", "a.csv", "aa", 0,
        outcome(List.of(missing("k9")), List.of()));
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.existing()).isTrue();
    assertThat(store.findRun("wechatpay", "assets:wallet:wechatpay:clearing", "aa")).isPresent();

    long closing = first.breaks().get(0).id();
    dev.ledger.reconcile.StoredRun second = store.saveRun("wechatpay", "assets:wallet:wechatpay:clearing", "b.csv", "bb", 0,
        outcome(List.of(), List.of(closing)));
    assertThat(second.closedBreakIds()).containsExactly(first.breaks().get(0).id());
    assertThat(store.openBreaks("wechatpay", "assets:wallet:wechatpay:clearing"))
        .extracting(open -> open.details().key()).containsExactly("k2");
    StoredBreak closed = store.findBreak(first.breaks().get(0).id()).orElseThrow();
    assertThat(closed.state()).isEqualTo(dev.ledger.reconcile.BreakStatus.CLOSED);
    assertThat(closed.closedRunId()).isEqualTo(second.id());
    assertThat(closed.details().statementGross()).isEqualTo(1000L);
  }

  @Test
  void aPersonResolvesAnOpenBreakOnce() {
    dev.ledger.reconcile.StoredRun run = store.saveRun("alipay", "assets:wallet:alipay:clearing", "c.csv", "cc", 0,
        outcome(List.of(missing("k3")), List.of()));
    long id = run.breaks().get(0).id();
    assertThat(store.resolve(id, "refund booked late", "adj-1")).isTrue();
    assertThat(store.resolve(id, "again", null)).isFalse();
    StoredBreak resolved = store.findBreak(id).orElseThrow();
    assertThat(resolved.state()).isEqualTo(dev.ledger.reconcile.BreakStatus.RESOLVED);
    assertThat(resolved.resolutionNote()).isEqualTo("refund booked late");
    assertThat(resolved.resolvedAt()).isNotNull();
    assertThat(store.breaks(dev.ledger.reconcile.BreakStatus.RESOLVED, "alipay", null)).hasSize(1);
    assertThat(store.breaks(dev.ledger.reconcile.BreakStatus.OPEN, null, null)).isEmpty();
  }

  @Test
  void anInconsistencyBreakKeepsBothFiguresAndStaysOpenForAPerson() {
    Break inconsistent = Break.inconsistent(
        new dev.ledger.statement.Inconsistency(14, "closing balance :62F:", "1260.01", "1260.00"),
        Amounts.currency("CNY"));
    dev.ledger.reconcile.StoredRun run = store.saveRun("mt940", "assets:bank:icbc:main", "icbc.sta", "a".repeat(64), 0,
        outcome(List.of(inconsistent), List.of()));

    assertThat(run.breaks()).singleElement().satisfies(stored -> {
      assertThat(stored.details().kind()).isEqualTo(BreakKind.STATEMENT_INCONSISTENT);
      assertThat(stored.details().stated()).isEqualTo("1260.01");
      assertThat(stored.details().computed()).isEqualTo("1260.00");
      assertThat(stored.details().statementLine()).isEqualTo(14);
      assertThat(stored.details().key()).contains("closing balance :62F:").contains("1260.01");
      assertThat(stored.details().difference()).isNull();
      assertThat(stored.status()).isEqualTo("open");
    });
    assertThat(BreakKind.STATEMENT_INCONSISTENT.closesAutomatically()).isFalse();
  }
}
