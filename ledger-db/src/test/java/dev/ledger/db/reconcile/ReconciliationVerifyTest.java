package dev.ledger.db.reconcile;

import dev.ledger.reconcile.StoredRun;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.db.LedgerDatabase;
import dev.ledger.db.Tampering;
import dev.ledger.db.TestDatabases;
import dev.ledger.db.VerifyReport;
import dev.ledger.money.Amounts;
import dev.ledger.reconcile.Break;
import dev.ledger.reconcile.BreakKind;
import dev.ledger.reconcile.MatchOutcome;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * verify covers reconciliation: runs and break events are records of the chain, and a superuser who
 * edits a break, a run or the chain around them is named.
 */
class ReconciliationVerifyTest {
  private static final Instant T = Instant.parse("2024-09-12T02:00:00Z");
  private final LedgerDatabase database = TestDatabases.fresh();
  private final String name = TestDatabases.databaseOf(database);
  private final ReconciliationStore store = new ReconciliationStore(database.dataSource());

  @AfterEach
  void close() {
    database.close();
  }

  private dev.ledger.reconcile.StoredRun runWithTwoBreaksOneResolved() {
    Break one = new Break(BreakKind.MISSING_IN_LEDGER, "k1", null, 3, Amounts.currency("CNY"), 1000L, null, 6L,
        null, "k1", null, "O-k1");
    Break two = new Break(BreakKind.MISSING_IN_LEDGER, "k2", null, 4, Amounts.currency("CNY"), 2000L, null, 12L,
        null, "k2", null, "O-k2");
    dev.ledger.reconcile.StoredRun run = store.saveRun("wechatpay", "assets:wallet:wechatpay:clearing", "a.csv", "aa", 0,
        new MatchOutcome(10, 8, List.of(one, two), List.of(), List.of(), T, T.plusSeconds(86_400)));
    assertThat(store.resolve(run.breaks().get(0).id(), "booked by hand", null)).isTrue();
    return run;
  }

  @Test
  void anUntouchedReconciliationVerifiesWithEveryRecordSealed() {
    runWithTwoBreaksOneResolved();
    VerifyReport report = database.verify();
    assertThat(report.ok()).as(report.toString()).isTrue();
    assertThat(report.seal().unsealed()).isZero();
    assertThat(report.seal().sealed()).as("the run and one resolve event").isEqualTo(2);
  }

  @Test
  void aBreakReopenedBehindTheLedgersBackIsNamed() {
    dev.ledger.reconcile.StoredRun run = runWithTwoBreaksOneResolved();
    long resolved = run.breaks().get(0).id();
    Tampering.asSuperuser(name, "UPDATE reconciliation_breaks SET status = 'open', resolved_at = NULL,"
        + " resolution_note = NULL WHERE id = " + resolved);
    VerifyReport report = database.verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.reconciliationViolations()).anyMatch(v -> v.contains("break " + resolved));
  }

  @Test
  void anEditedBreakAmountIsNamedAsARunThatIsNotWhatWasSealed() {
    dev.ledger.reconcile.StoredRun run = runWithTwoBreaksOneResolved();
    Tampering.asSuperuser(name, "UPDATE reconciliation_breaks SET statement_gross = 1 WHERE id = "
        + run.breaks().get(1).id());
    VerifyReport report = database.verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.reconciliationViolations()).contains("reconciliation run " + run.id()
        + ": its rows are not what was sealed at 1 (altered)");
  }

  @Test
  void aRunInsertedAroundTheWritePathIsNamed() {
    runWithTwoBreaksOneResolved();
    Tampering.asSuperuser(name, "INSERT INTO reconciliation_runs (source, account, file_name, file_sha256, lines,"
        + " matched, break_count, tolerance) VALUES ('wechatpay', 'assets:wallet:wechatpay:clearing', 'forged.csv',"
        + " 'ff', 1, 1, 0, 0)");
    VerifyReport report = database.verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.reconciliationViolations())
        .anyMatch(v -> v.endsWith("neither sealed into the chain nor queued for it (written around the ledger)"));
  }

  /** The first break assigned and commented on, the second resolved: verify names any edit. */
  private long[] workflow() {
    StoredRun run = runWithTwoBreaksOneResolved();
    BreakWorkflow workflow = new BreakWorkflow(database.dataSource());
    long assigned = run.breaks().get(1).id();
    assertThat(workflow.assign(assigned, "li.wei", "zhang.min")).isEqualTo(BreakChange.APPLIED);
    assertThat(workflow.comment(assigned, "asked WeChat Pay for the bill line", "li.wei"))
        .isEqualTo(BreakChange.APPLIED);
    return new long[] {assigned};
  }

  @Test
  void assignAndCommentEventsAreSealedAndVerify() {
    workflow();
    VerifyReport report = database.verify();
    assertThat(report.ok()).as(report.toString()).isTrue();
    assertThat(report.seal().sealed()).as("the run, a resolve, an assign and a comment").isEqualTo(4);
  }

  @Test
  void aTamperedCommentIsNamedAsAnAlteredEvent() {
    long assigned = workflow()[0];
    Tampering.asSuperuser(name, "UPDATE break_events SET note = 'all fine'"
        + " WHERE status = 'comment' AND break_id = " + assigned);
    VerifyReport report = database.verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.reconciliationViolations())
        .anyMatch(v -> v.contains("its stored content_hash is not the hash of its content (altered)"));
  }

  @Test
  void aTamperedAssigneeIsNamedInTheEventAndInTheBreak() {
    long assigned = workflow()[0];
    Tampering.asSuperuser(name, "UPDATE break_events SET assignee = 'mallory'"
        + " WHERE status = 'assigned' AND break_id = " + assigned);
    VerifyReport report = database.verify();
    assertThat(report.ok()).isFalse();
    assertThat(report.reconciliationViolations())
        .anyMatch(v -> v.contains("its stored content_hash is not the hash of its content (altered)"))
        .anyMatch(v -> v.contains("break " + assigned + ": assignee is 'li.wei' but its events leave it 'mallory'"));
  }

  @Test
  void aCommentAuthorRewrittenWithItsHashStillDiffersFromWhatWasSealed() {
    long assigned = workflow()[0];
    Tampering.asSuperuser(name, "UPDATE break_events SET author = 'mallory',"
        + " content_hash = ledger_break_event_hash(id, break_id, status, run_id, note, adjustment_entry_id, actor, at,"
        + " 'mallory', assignee) WHERE status = 'comment' AND break_id = " + assigned);
    VerifyReport report = database.verify();
    assertThat(report.ok()).isFalse();
    long comment = new BreakWorkflow(database.dataSource()).events(assigned).get(1).id();
    assertThat(report.reconciliationViolations())
        .contains("break event " + comment + ": its rows are not what was sealed at 4 (altered)");
  }
}
