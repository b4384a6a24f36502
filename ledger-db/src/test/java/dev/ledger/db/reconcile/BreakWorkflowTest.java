package dev.ledger.db.reconcile;

import dev.ledger.reconcile.StoredRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.db.LedgerDatabase;
import dev.ledger.db.TestDatabases;
import dev.ledger.money.Amounts;
import dev.ledger.reconcile.Break;
import dev.ledger.reconcile.BreakKind;
import dev.ledger.reconcile.BreakStatus;
import dev.ledger.reconcile.MatchOutcome;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A break's workflow through the V18 functions: open -> assigned -> resolved, comments in order. */
class BreakWorkflowTest {
  private static final Instant T = Instant.parse("2024-09-12T02:00:00Z");
  private static final String WECHAT = "assets:wallet:wechatpay:clearing";
  private final LedgerDatabase database = TestDatabases.fresh();
  private final String name = TestDatabases.databaseOf(database);
  private final ReconciliationStore store = new ReconciliationStore(database.dataSource());
  private final BreakWorkflow workflow = new BreakWorkflow(database.dataSource());

  @AfterEach
  void close() {
    database.close();
  }

  private StoredRun run(String sha, String... keys) {
    List<Break> breaks = java.util.Arrays.stream(keys).map(k -> new Break(BreakKind.MISSING_IN_LEDGER, k, null, 3,
        Amounts.currency("CNY"), 1000L, null, 6L, null, k, null, "O-" + k)).toList();
    return store.saveRun("wechatpay", WECHAT, sha + ".csv", sha, 0,
        new MatchOutcome(10, 8, breaks, List.of(), List.of(), T, T.plusSeconds(86_400)));
  }

  @Test
  void aBreakIsAssignedCommentedAndResolvedWithEveryStepKeptInOrderWithItsAuthor() {
    long id = run("aa", "k1").breaks().get(0).id();
    assertThat(workflow.assign(id, "li.wei", "zhang.min")).isEqualTo(BreakChange.APPLIED);
    assertThat(workflow.comment(id, "asked WeChat Pay", null)).isEqualTo(BreakChange.APPLIED);
    assertThat(workflow.assign(id, "wang.fang", "li.wei")).as("handed on").isEqualTo(BreakChange.APPLIED);
    assertThat(workflow.find(id).orElseThrow().stored().assignee()).isEqualTo("wang.fang");
    assertThat(workflow.resolve(id, "booked late", null, "wang.fang")).isEqualTo(BreakChange.APPLIED);
    assertThat(workflow.comment(id, "checked by audit", "auditor")).as("comments after resolving")
        .isEqualTo(BreakChange.APPLIED);

    TrackedBreak tracked = workflow.find(id).orElseThrow();
    assertThat(tracked.stored().state()).isEqualTo(BreakStatus.RESOLVED);
    assertThat(tracked.stored().assignee()).isEqualTo("wang.fang");
    assertThat(tracked.settledAt()).isNotNull();
    List<BreakEvent> events = workflow.events(id);
    assertThat(events).extracting(BreakEvent::kind)
        .containsExactly("assigned", "comment", "assigned", "resolved", "comment");
    assertThat(events).extracting(BreakEvent::by).containsExactly("zhang.min", events.get(1).actor(), "li.wei",
        "wang.fang", "auditor");
    assertThat(events.get(1).author()).as("no name given: the database user").isEqualTo(events.get(1).actor());
    assertThat(events).extracting(BreakEvent::at).isSorted();
  }

  @Test
  void aSettledBreakCannotBeAssignedNorResolvedAgainAndAnUnknownOneIsNamedAsSuch() {
    long id = run("aa", "k1").breaks().get(0).id();
    assertThat(workflow.resolve(id, "done", null, "li.wei")).isEqualTo(BreakChange.APPLIED);
    assertThat(workflow.assign(id, "wang.fang", null)).isEqualTo(BreakChange.SETTLED);
    assertThat(workflow.resolve(id, "again", null, null)).isEqualTo(BreakChange.SETTLED);
    assertThat(workflow.assign(999_999, "wang.fang", null)).isEqualTo(BreakChange.UNKNOWN_BREAK);
    assertThat(workflow.comment(999_999, "hello", null)).isEqualTo(BreakChange.UNKNOWN_BREAK);
    assertThat(workflow.events(id)).hasSize(1);
    assertThatThrownBy(() -> workflow.comment(id, " ", null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("comment");
  }

  @Test
  void anAssignedBreakStillCountsAsOpenForTheNextRun() {
    long id = run("aa", "k1").breaks().get(0).id();
    workflow.assign(id, "li.wei", null);
    assertThat(store.openBreaks("wechatpay", WECHAT)).extracting(open -> open.id())
        .containsExactly(id);
  }

  @Test
  void breaksAreFilteredByStatusSourceAndAgeAndCarryTheirAge() throws SQLException {
    StoredRun old = run("aa", "k1", "k2");
    run("bb", "k3");
    // The first run is ten days old: its time moved back with the immutability triggers off.
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("SET LOCAL session_replication_role = replica");
      s.execute("UPDATE reconciliation_runs SET created_at = created_at - interval '10 days' WHERE id = " + old.id());
      c.commit();
    }
    workflow.assign(old.breaks().get(1).id(), "li.wei", null);
    Instant now = Instant.now();
    List<TrackedBreak> open = workflow.breaks(EnumSet.of(BreakStatus.OPEN), null, null, null);
    assertThat(open).extracting(b -> b.stored().details().key()).containsExactly("k1", "k3");
    List<TrackedBreak> older = workflow.breaks(EnumSet.of(BreakStatus.OPEN, BreakStatus.ASSIGNED), "wechatpay",
        now.minus(Duration.ofDays(7)), null);
    assertThat(older).extracting(b -> b.stored().details().key()).containsExactly("k1", "k2");
    assertThat(older).allSatisfy(b -> assertThat(b.ageDays(now)).isEqualTo(10));
    assertThat(workflow.breaks(EnumSet.allOf(BreakStatus.class), "alipay", null, null)).isEmpty();
    assertThat(workflow.breaks(EnumSet.allOf(BreakStatus.class), null, null, List.of(old.id()))).hasSize(2);
  }

  @Test
  void theAppRoleCannotWriteAnEventAroundTheFunctions() throws SQLException {
    long id = run("aa", "k1").breaks().get(0).id();
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement()) {
      s.execute("SET ROLE ledger_app");
      assertThatThrownBy(() -> s.execute("SELECT ledger_append_break_event(" + id + ", 'assigned', NULL, NULL, 'x',"
          + " 'y')")).isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
      assertThatThrownBy(() -> s.execute("INSERT INTO break_events (break_id, status, note, actor, at, content_hash)"
          + " VALUES (" + id + ", 'comment', 'x', 'x', now(), decode(repeat('00', 32), 'hex'))"))
          .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
      s.execute("SELECT ledger_comment_break(" + id + ", 'as the app', 'li.wei')");
    }
    assertThat(workflow.events(id)).extracting(BreakEvent::note).containsExactly("as the app");
  }
}
