package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.account.AccountCode;
import dev.ledger.journal.BatchResult;
import dev.ledger.journal.Entry;
import dev.ledger.journal.PostResult;
import dev.ledger.journal.PostStatus;
import dev.ledger.journal.Posting;
import dev.ledger.period.Period;
import dev.ledger.period.PeriodEvent;
import dev.ledger.period.PeriodResult;
import dev.ledger.period.PeriodState;
import dev.ledger.period.PeriodStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Closed periods on PostgreSQL: the rule through the ledger, through raw SQL, under concurrency, and in verify. */
class PostgresPeriodsTest {
  private static final Instant SEPT_END = Instant.parse("2024-09-30T23:59:59.999999Z");
  private static final Period SEPTEMBER = Period.of(SEPT_END, null);

  private LedgerDatabase database;
  private PostgresLedger ledger;
  private String name;

  @BeforeEach
  void open() {
    database = TestDatabases.fresh();
    ledger = database.ledger();
    name = TestDatabases.databaseOf(database);
  }

  @AfterEach
  void close() {
    database.close();
  }

  private static Entry bankFee(String id, Instant at) {
    return Entry.of(id, at, "bank fee", Map.of(), List.of(
        Posting.debit("expenses:fees:bank", "1.00", "CNY"), Posting.credit("assets:bank:icbc:main", "1.00", "CNY")));
  }

  private long entryCount() throws SQLException {
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM entries")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void sql(String role, String statement) throws SQLException {
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      if (role != null) {
        s.execute("SET ROLE " + role);
      }
      s.execute(statement);
      c.commit();
    }
  }

  private String state(String role, String statement) {
    try {
      sql(role, statement);
      return "no error";
    } catch (SQLException e) {
      return e.getSQLState();
    }
  }

  @Test
  void aBatchWithOneEntryInAClosedPeriodIsRejectedWholeNamingThatEntry() throws SQLException {
    assertThat(ledger.post(PostgresLedgerPostingTest.payment("before", "5.00", SEPT_END.minusSeconds(60))).status())
        .isEqualTo(PostStatus.CREATED);
    assertThat(ledger.close(SEPTEMBER, "September reported").status()).isEqualTo(PeriodStatus.CLOSED);

    BatchResult result = ledger.postAll(List.of(
        PostgresLedgerPostingTest.payment("october", "1.00", SEPT_END.plusNanos(1000)),
        PostgresLedgerPostingTest.payment("late", "2.00", SEPT_END)));

    assertThat(result.results()).extracting(PostResult::status)
        .containsExactly(PostStatus.REJECTED_WITH_BATCH, PostStatus.PERIOD_CLOSED);
    assertThat(result.results().get(1).message()).contains("late", "2024-09-30T23:59:59.999999Z");
    assertThat(entryCount()).isEqualTo(1);
    assertThat(ledger.check(List.of(PostgresLedgerPostingTest.payment("dry", "1.00", SEPT_END))).results())
        .extracting(PostResult::status).containsExactly(PostStatus.PERIOD_CLOSED);
    // An identical replay of an entry booked before the close is still reported as existing.
    assertThat(ledger.post(PostgresLedgerPostingTest.payment("before", "5.00", SEPT_END.minusSeconds(60))).status())
        .isEqualTo(PostStatus.EXISTS);
    assertThat(ledger.post(PostgresLedgerPostingTest.payment("october", "1.00", SEPT_END.plusNanos(1000))).status())
        .isEqualTo(PostStatus.CREATED);
  }

  @Test
  void aStreamedPostNamesOnlyTheEntryInTheClosedPeriodAndWritesNothing() throws SQLException {
    ledger.close(SEPTEMBER, "reported");
    Entry october = bankFee("oct", SEPT_END.plusSeconds(3600));
    List<List<Entry>> chunks = List.of(List.of(october),
        List.of(october.reversal("oct-rev", "twice", SEPT_END.plusSeconds(7200)), bankFee("late", SEPT_END)));

    PostSummary summary = ledger.postStream(chunks::iterator, true);

    assertThat(summary.rejections()).extracting(PostResult::entryId, PostResult::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("late", PostStatus.PERIOD_CLOSED));
    assertThat(entryCount()).isZero();
  }

  @Test
  void aPeriodClosedUnderAPrefixRefusesOnlyEntriesWithAPostingBelowIt() {
    Period bank = Period.of(SEPT_END, AccountCode.parse("assets:bank"));
    assertThat(ledger.close(bank, "bank statements reconciled").accepted()).isTrue();

    assertThat(ledger.post(bankFee("fee", SEPT_END.minusSeconds(3600))).status()).isEqualTo(PostStatus.PERIOD_CLOSED);
    assertThat(ledger.post(PostgresLedgerPostingTest.payment("wallet", "1.00", SEPT_END.minusSeconds(3600))).status())
        .isEqualTo(PostStatus.CREATED);
  }

  @Test
  void closingTwiceRecordsOnceAndReopeningAllowsPostsAgain() {
    assertThat(ledger.close(SEPTEMBER, "reported").status()).isEqualTo(PeriodStatus.CLOSED);
    assertThat(ledger.close(SEPTEMBER, "again").status()).isEqualTo(PeriodStatus.ALREADY_CLOSED);
    assertThat(ledger.reopen(Period.of(SEPT_END.minusSeconds(1), null), "wrong end").status())
        .isEqualTo(PeriodStatus.NOT_CLOSED);
    assertThat(ledger.post(bankFee("fee-1", SEPT_END)).status()).isEqualTo(PostStatus.PERIOD_CLOSED);

    PeriodResult reopened = ledger.reopen(SEPTEMBER, "audit adjustment");
    assertThat(reopened.status()).isEqualTo(PeriodStatus.REOPENED);
    assertThat(ledger.post(bankFee("fee-1", SEPT_END)).status()).isEqualTo(PostStatus.CREATED);

    List<PeriodEvent> events = ledger.periodEvents();
    assertThat(events).extracting(PeriodEvent::reason).containsExactly("reported", "audit adjustment");
    assertThat(events.get(0).actor()).isNotBlank();
    // Known at the close: closed; known now: open again.
    assertThat(ledger.periodStates(events.get(0).at())).extracting(PeriodState::closed).containsExactly(true);
    assertThat(ledger.periodStates(null)).extracting(PeriodState::closed).containsExactly(false);
    assertThat(ledger.periodStates(events.get(0).at().minusNanos(1000))).isEmpty();
    assertThat(database.verify().ok()).isTrue();
  }

  @Test
  void aPendingEntryEffectiveInAClosedPeriodIsRefusedByTheDatabaseAsWell() throws SQLException {
    ledger.close(SEPTEMBER, "reported");
    long before = entryCount();
    // BatchPoster does not read the periods before writing: the refusal comes from the trigger on
    // pending_postings, and the exact pass then names the entry.
    PostResult result = ledger.post(bankFee("fee-pending", SEPT_END.minusSeconds(60))
        .withPending(Instant.parse("2100-01-01T00:00:00Z")));

    assertThat(result.status()).isEqualTo(PostStatus.PERIOD_CLOSED);
    assertThat(result.message()).contains("fee-pending");
    assertThat(entryCount()).isEqualTo(before);
    assertThat(ledger.post(bankFee("fee-pending-oct", SEPT_END.plusSeconds(60))
        .withPending(Instant.parse("2100-01-01T00:00:00Z"))).status()).isEqualTo(PostStatus.CREATED);
  }

  @Test
  void theReversalOfAnEntryInAClosedPeriodIsBookedInTheFirstOpenInstant() {
    ledger.post(bankFee("fee", SEPT_END.minusSeconds(3600)));
    ledger.close(SEPTEMBER, "reported");

    PostResult reversal = ledger.reverse("fee", "fee-rev", "charged twice", SEPT_END.minusSeconds(60));

    assertThat(reversal.status()).isEqualTo(PostStatus.CREATED);
    assertThat(ledger.entry("fee-rev").orElseThrow().entry().effectiveAt()).isEqualTo(SEPT_END.plusNanos(1000));
  }

  @Test
  void theAppRoleCannotBookIntoAClosedPeriodNorWriteOrChangePeriodEventsWithRawSql() throws SQLException {
    sql("ledger_app", "SELECT * FROM ledger_close_period(timestamptz '2024-09-30 23:59:59.999999+00', NULL, 'raw close')");
    String forged = "SELECT ledger_post(ARRAY['raw-late'], ARRAY[timestamptz '2024-09-15T00:00:00Z'], ARRAY['raw'],"
        + " ARRAY['{}'::jsonb], ARRAY[NULL::varchar], ARRAY[2], ARRAY[sha256('raw-late')], ARRAY[1, 1], ARRAY[0, 1],"
        + " ARRAY['assets:raw', 'equity:raw'], ARRAY['CNY', 'CNY'], ARRAY[100::bigint, -100])";
    assertThat(state("ledger_app", forged)).as("ledger_post into the closed period").isEqualTo("LD008");
    assertThat(state(null, forged.replace("2024-09-15T00:00:00Z", "2024-09-30T23:59:59.999999Z")))
        .as("even the owner, at the last microsecond").isEqualTo("LD008");
    for (String statement : new String[] {
        "INSERT INTO period_events (action, through, reason, actor, at, content_hash)"
            + " VALUES ('reopen', now(), 'x', 'me', now(), sha256('x'))",
        "UPDATE period_events SET reason = 'x'", "DELETE FROM period_events", "TRUNCATE period_events",
        "SELECT * FROM ledger_record_period_event('reopen', timestamptz '2024-09-30 23:59:59.999999+00', NULL, 'x')"}) {
      assertThat(state("ledger_app", statement)).as(statement).isEqualTo("42501");
    }
    assertThat(state(null, "UPDATE period_events SET reason = 'x'")).as("immutable for the owner").isEqualTo("LD001");
    assertThat(state("ledger_app", "SELECT * FROM ledger_close_period(now(), 'Assets:X', 'bad prefix')"))
        .isEqualTo("22023");
    assertThat(state("ledger_app", "SELECT * FROM ledger_close_period(now(), NULL, '  ')")).isEqualTo("22023");
    assertThat(entryCount()).isZero();
    assertThat(ledger.periodEvents()).hasSize(1);
  }

  @Test
  void aCloseRacingWithPostsLetsNoEntryInAfterIt() throws Exception {
    Instant at = SEPT_END.minusSeconds(5);
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try {
      List<Future<List<PostResult>>> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int writer = w;
        writers.add(pool.submit(() -> {
          List<PostResult> results = new ArrayList<>();
          for (int i = 0; i < 40; i++) {
            results.add(ledger.post(bankFee("w" + writer + "-" + i, at)));
          }
          return results;
        }));
      }
      Future<PeriodResult> closing = pool.submit(() -> {
        while (ledger.entry("w0-10").isEmpty()) {
          Thread.onSpinWait();
        }
        return ledger.close(SEPTEMBER, "closed during the posts");
      });
      Instant closedAt = closing.get(60, TimeUnit.SECONDS).event().at();
      for (Future<List<PostResult>> writer : writers) {
        for (PostResult result : writer.get(60, TimeUnit.SECONDS)) {
          assertThat(result.status()).isIn(PostStatus.CREATED, PostStatus.PERIOD_CLOSED);
          if (result.status() == PostStatus.CREATED) {
            assertThat(ledger.entry(result.entryId()).orElseThrow().recordedAt())
                .as("%s was accepted, so it was recorded before the close", result.entryId())
                .isBefore(closedAt);
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(database.verify().ok()).isTrue();
  }

  @Test
  void verifyNamesAnAlteredARemovedAndAnUnsealedPeriodEvent() {
    // Java recomputes what SQL hashed: multi-byte text, a newline and '=' inside the reason.
    ledger.close(SEPTEMBER, "九月已结账\nreason=reported");
    ledger.close(Period.of(SEPT_END.plusSeconds(86400 * 31), null), "october");
    assertThat(database.verify().ok()).isTrue();

    Tampering.asSuperuser(name, "UPDATE period_events SET reason = 'nothing to see' WHERE id = 1");
    VerifyReport altered = database.verify();
    assertThat(altered.ok()).isFalse();
    assertThat(altered.reconciliationViolations()).anyMatch(v -> v.contains("period event 1")
        && v.contains("altered"));

    Tampering.asSuperuser(name, "DELETE FROM period_events WHERE id = 2");
    assertThat(database.verify().reconciliationViolations())
        .anyMatch(v -> v.contains("period event 2") && v.contains("missing (removed)"));

    Tampering.asSuperuser(name, "INSERT INTO period_events (action, through, reason, actor, at, content_hash)"
        + " SELECT 'reopen', through, 'quietly', actor, now(), ledger_period_event_hash(3, 'reopen', through, NULL,"
        + " 'quietly', actor, now()) FROM period_events WHERE id = 1");
    assertThat(database.verify().reconciliationViolations()).anyMatch(v -> v.contains("period event 3")
        && v.contains("written around the ledger"));
  }

  @Test
  void verifyNamesAnEntryBookedIntoAClosedPeriodWithTheTriggersOff() {
    ledger.post(bankFee("fee", SEPT_END.minusSeconds(3600)));
    ledger.close(SEPTEMBER, "reported");
    // A superuser with every trigger off books into September through the ledger's own function.
    Tampering.asSuperuser(name, "SELECT ledger_post(ARRAY['forged'], ARRAY[timestamptz '2024-09-15T00:00:00Z'],"
        + " ARRAY['forged'], ARRAY['{}'::jsonb], ARRAY[NULL::varchar], ARRAY[2], ARRAY[sha256('forged')],"
        + " ARRAY[1, 1], ARRAY[0, 1], ARRAY['assets:raw', 'equity:raw'], ARRAY['CNY', 'CNY'],"
        + " ARRAY[100::bigint, -100])");
    Tampering.rewriteAndRehash(name);

    VerifyReport report = database.verify();

    assertThat(report.ok()).isFalse();
    assertThat(report.entryId()).isEqualTo("forged");
    assertThat(report.problem()).contains("closed when it was recorded");
  }
}
