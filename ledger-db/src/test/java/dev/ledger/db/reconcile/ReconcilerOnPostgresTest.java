package dev.ledger.db.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.db.LedgerDatabase;
import dev.ledger.db.Tampering;
import dev.ledger.db.TestDatabases;
import dev.ledger.db.VerifyReport;
import dev.ledger.journal.Entry;
import dev.ledger.money.Amounts;
import dev.ledger.reconcile.InMemoryRunStore;
import dev.ledger.reconcile.Match;
import dev.ledger.reconcile.MatchRule;
import dev.ledger.reconcile.MatchRules;
import dev.ledger.reconcile.Reconciler;
import dev.ledger.reconcile.RunStore;
import dev.ledger.reconcile.StoredRun;
import dev.ledger.reconcile.WechatBillText;
import dev.ledger.settlement.Settlements;
import dev.ledger.statement.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Reconciler on the PostgreSQL store: the same outcomes as in memory, stored, reloaded and verified. */
class ReconcilerOnPostgresTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final LocalDateTime DAY = LocalDateTime.of(2024, 9, 12, 0, 0);
  private final LedgerDatabase database = TestDatabases.fresh();
  private final ReconciliationStore store = new ReconciliationStore(database.dataSource());
  @TempDir Path dir;

  @AfterEach
  void close() {
    database.close();
  }

  private static Entry payment(String txnId, LocalDateTime time, String gross, String fee) {
    var cny = Amounts.currency("CNY");
    return Settlements.paymentCaptured("pay-" + txnId, time.atZone(SHANGHAI).toInstant(), "wechatpay", txnId,
        "O-" + txnId, "m-1", Amounts.parse(gross, cny), Amounts.parse(fee, cny));
  }

  private final List<Entry> entries = List.of(payment("4201", DAY.plusHours(9), "100.00", "0.60"),
      payment("4202", DAY.plusHours(10), "100.00", "0.60"), payment("4203", DAY.plusHours(11), "50.00", "0.30"),
      payment("4299", DAY.plusHours(23).plusMinutes(59), "30.00", "0.18"),
      payment("4301", DAY.plusDays(1).plusHours(9), "10.00", "0.06"));

  /** Two days: a tolerance match, a mismatch, a midnight booking billed the next day, a repeated line. */
  private List<Path> bills() throws IOException {
    Path day1 = Files.writeString(dir.resolve("d1.csv"), new WechatBillText()
        .payment(DAY.plusHours(9), "4201", 10000, 60).payment(DAY.plusHours(10), "4202", 10003, 60)
        .payment(DAY.plusHours(11), "4203", 5100, 30).text(), StandardCharsets.UTF_8);
    Path day2 = Files.writeString(dir.resolve("d2.csv"), new WechatBillText()
        .payment(DAY.plusDays(1).plusMinutes(1), "4299", 3000, 18).payment(DAY.plusHours(9), "4201", 10000, 60)
        .payment(DAY.plusDays(1).plusHours(9), "4301", 1000, 6).text(), StandardCharsets.UTF_8);
    return List.of(day1, day2);
  }

  private List<StoredRun> reconcileBoth(RunStore on) throws IOException {
    Reconciler reconciler = new Reconciler(on);
    MatchRules rules = MatchRules.defaults(Source.WECHATPAY).withTolerance("0.05");
    List<StoredRun> runs = new ArrayList<>();
    for (Path bill : bills()) {
      runs.add(reconciler.reconcile(new Reconciler.Request(Source.WECHATPAY, bill, null, null, null, rules, false))
          .run());
    }
    return runs;
  }

  private static List<String> breaks(StoredRun run) {
    return run.breaks().stream().map(b -> b.details().kind() + " " + b.details().key() + " " + b.status()).toList();
  }

  @Test
  void twoDaysGiveTheSameBreaksMatchesAndRulesAsInMemoryAndVerify() throws IOException {
    assertThat(database.ledger().postAll(entries).committed()).isTrue();
    List<StoredRun> stored = reconcileBoth(store);
    List<StoredRun> memory = reconcileBoth(new InMemoryRunStore().post(entries));

    for (int i = 0; i < 2; i++) {
      assertThat(breaks(stored.get(i))).isEqualTo(breaks(memory.get(i)));
      assertThat(stored.get(i).matches()).isEqualTo(memory.get(i).matches());
      assertThat(stored.get(i).matchedByRule()).isEqualTo(memory.get(i).matchedByRule());
      assertThat(stored.get(i).matched()).isEqualTo(memory.get(i).matched());
    }
    assertThat(breaks(stored.get(0))).containsExactly("AMOUNT_MISMATCH 4203 open", "MISSING_IN_STATEMENT 4299 open");
    assertThat(stored.get(0).matchedByRule()).containsExactly(Map.entry(MatchRule.EXACT_KEY, 1L),
        Map.entry(MatchRule.TOLERANCE, 1L));
    assertThat(breaks(stored.get(1))).containsExactly("DUPLICATE_ACROSS_STATEMENTS 4201 open");
    assertThat(stored.get(1).matches()).containsExactly(
        new Match(MatchRule.DATE_LAG, "4299", List.of(2L), List.of("pay-4299")));
    assertThat(stored.get(1).closedBreakIds()).containsExactly(stored.get(0).breaks().get(1).id());

    // A rerun reports the stored run with its matches.
    StoredRun again = new Reconciler(store).reconcile(new Reconciler.Request(Source.WECHATPAY, bills().get(0), null,
        null, null, MatchRules.defaults(Source.WECHATPAY).withTolerance("0.05"), false)).run();
    assertThat(again.existing()).isTrue();
    assertThat(again.matches()).isEqualTo(stored.get(0).matches());
    assertThat(again.matchedByRule()).isEqualTo(stored.get(0).matchedByRule());

    VerifyReport report = database.verify();
    assertThat(report.ok()).as(report.toString()).isTrue();
  }

  @Test
  void aMatchOrRuleCountEditedBehindTheLedgersBackIsNamedAsAnAlteredRun() throws IOException {
    assertThat(database.ledger().postAll(entries).committed()).isTrue();
    List<StoredRun> runs = reconcileBoth(store);
    String name = TestDatabases.databaseOf(database);
    Tampering.asSuperuser(name, "ALTER TABLE reconciliation_matches DISABLE TRIGGER USER");
    Tampering.asSuperuser(name, "UPDATE reconciliation_matches SET entry_ids = 'pay-4301'");
    Tampering.asSuperuser(name, "ALTER TABLE reconciliation_rule_counts DISABLE TRIGGER USER");
    Tampering.asSuperuser(name, "UPDATE reconciliation_rule_counts SET matches = 5 WHERE run_id = " + runs.get(0).id());

    VerifyReport report = database.verify();

    assertThat(report.ok()).isFalse();
    assertThat(report.reconciliationViolations())
        .anyMatch(v -> v.startsWith("reconciliation run " + runs.get(0).id() + ": its rows are not what was sealed"))
        .anyMatch(v -> v.startsWith("reconciliation run " + runs.get(1).id() + ": its rows are not what was sealed"));
  }
}
