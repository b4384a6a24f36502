package dev.ledger.db.reconcile;

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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs and breaks are written only through ledger_save_run and ledger_resolve_break (migration
 * V14), and ReconciliationAudit recomputes what a superuser's edits would hide.
 */
class ReconciliationWritePathTest {
  private static final Instant T = Instant.parse("2024-09-12T02:00:00Z");
  private static final String WECHAT = "assets:wallet:wechatpay:clearing";

  private final LedgerDatabase database = TestDatabases.fresh();
  private final String name = TestDatabases.databaseOf(database);
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

  /** One run with two breaks, a second run closing the first break, and the second resolved. */
  private long[] storeHistory() {
    dev.ledger.reconcile.StoredRun first = store.saveRun("wechatpay", WECHAT, "a.csv", "aa", 0,
        outcome(List.of(missing("k1"), missing("k2"), missing("k3")), List.of()));
    long closedId = first.breaks().get(0).id();
    long resolvedId = first.breaks().get(1).id();
    dev.ledger.reconcile.StoredRun second = store.saveRun("wechatpay", WECHAT, "b.csv", "bb", 0,
        outcome(List.of(missing("k4")), List.of(closedId)));
    assertThat(store.resolve(resolvedId, "booked late", "adj-1")).isTrue();
    return new long[] {first.id(), second.id(), closedId, resolvedId, first.breaks().get(2).id()};
  }

  private String sqlState(String role, String sql) {
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      if (role != null) {
        s.execute("SET ROLE " + role);
      }
      s.execute(sql);
      c.commit();
      return "no error";
    } catch (SQLException e) {
      return e.getSQLState();
    }
  }

  /** A superuser with every trigger off, as someone covering their tracks would be. */
  private void tamper(String sql) throws SQLException {
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("SET LOCAL session_replication_role = replica");
      s.execute(sql);
      c.commit();
    }
  }

  private static ReconciliationAudit.Result audit(Connection c) throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      return ReconciliationAudit.audit(c);
    } finally {
      c.rollback();
    }
  }

  private ReconciliationAudit.Result audit() throws SQLException {
    try (Connection c = TestDatabases.superuser(name)) {
      return audit(c);
    }
  }

  /** What the chain sealed or the queue holds for one kind, by record id, as hex. */
  private static Map<Long, String> recorded(Connection c, String kind) throws SQLException {
    Map<Long, String> hashes = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement("""
        SELECT record_id, encode(content_hash, 'hex') FROM chain WHERE kind = ?
        UNION ALL
        SELECT record_id, encode(content_hash, 'hex') FROM seal_queue WHERE kind = ?""")) {
      s.setString(1, kind);
      s.setString(2, kind);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          assertThat(hashes.put(rs.getLong(1), rs.getString(2))).as(kind + " " + rs.getLong(1) + " twice").isNull();
        }
      }
    }
    return hashes;
  }

  private Map<Long, String> recorded(String kind) throws SQLException {
    try (Connection c = TestDatabases.superuser(name)) {
      return recorded(c, kind);
    }
  }

  private static Map<Long, String> hex(Map<Long, byte[]> hashes) {
    Map<Long, String> hex = new HashMap<>();
    hashes.forEach((id, hash) -> hex.put(id, java.util.HexFormat.of().formatHex(hash)));
    return hex;
  }

  @Test
  void theAppRoleCannotInsertRunsNorEditBreaksNorWriteEventsWithRawSql() {
    long[] ids = storeHistory();
    String open = Long.toString(ids[4]);
    assertThat(sqlState("ledger_app", "INSERT INTO reconciliation_runs (source, account, file_name, file_sha256, "
        + "lines, matched, break_count, tolerance) VALUES ('wechatpay', 'a', 'x.csv', 'ff', 0, 0, 0, 0)"))
        .isEqualTo("42501");
    assertThat(sqlState("ledger_app", "UPDATE reconciliation_breaks SET status = 'resolved', resolved_at = now() "
        + "WHERE id = " + open)).isEqualTo("42501");
    assertThat(sqlState("ledger_app", "DELETE FROM reconciliation_breaks WHERE id = " + open)).isEqualTo("42501");
    assertThat(sqlState("ledger_app", "INSERT INTO break_events (break_id, status, note, actor, at, content_hash) "
        + "VALUES (" + open + ", 'resolved', 'x', 'me', now(), decode(repeat('00', 32), 'hex'))"))
        .isEqualTo("42501");
    assertThat(sqlState("ledger_app", "INSERT INTO reconciliation_breaks (run_id, source, account, kind, status) "
        + "VALUES (" + ids[0] + ", 'wechatpay', 'a', 'MISSING_IN_LEDGER', 'open')")).isEqualTo("42501");
    assertThat(sqlState("ledger_app", "SELECT count(*) FROM break_events")).isEqualTo("no error");
    assertThat(sqlState("ledger_auditor", "SELECT count(*) FROM break_events")).isEqualTo("no error");
    assertThat(sqlState("ledger_auditor", "SELECT ledger_resolve_break(" + open + ", 'x', NULL)"))
        .isEqualTo("42501");
    assertThat(store.findBreak(ids[4]).orElseThrow().state()).isEqualTo(BreakStatus.OPEN);
  }

  @Test
  void evenTheOwnerCannotChangeRunsOrEventsNorEditOrDeleteBreaksWhileTheTriggersStand() {
    long[] ids = storeHistory();
    assertThat(sqlState(null, "UPDATE reconciliation_runs SET matched = 10 WHERE id = " + ids[0])).isEqualTo("LD001");
    assertThat(sqlState(null, "DELETE FROM reconciliation_runs WHERE id = " + ids[1])).isEqualTo("LD001");
    assertThat(sqlState(null, "TRUNCATE reconciliation_runs CASCADE")).isEqualTo("LD001");
    assertThat(sqlState(null, "UPDATE reconciliation_breaks SET status = 'open', resolved_at = NULL "
        + "WHERE id = " + ids[3])).isEqualTo("LD001");
    assertThat(sqlState(null, "UPDATE reconciliation_breaks SET statement_gross = 1 WHERE id = " + ids[4]))
        .isEqualTo("LD001");
    assertThat(sqlState(null, "DELETE FROM reconciliation_breaks WHERE id = " + ids[4])).isEqualTo("LD001");
    assertThat(sqlState(null, "TRUNCATE reconciliation_breaks CASCADE")).isEqualTo("LD001");
    assertThat(sqlState(null, "UPDATE break_events SET note = 'x'")).isEqualTo("LD001");
    assertThat(sqlState(null, "DELETE FROM break_events")).isEqualTo("LD001");
    assertThat(sqlState(null, "TRUNCATE break_events")).isEqualTo("LD001");
    // An event for a break that is no longer open breaks the lifecycle, whoever inserts it.
    assertThat(sqlState(null, "INSERT INTO break_events (break_id, status, note, actor, at, content_hash) "
        + "VALUES (" + ids[3] + ", 'resolved', 'again', 'me', now(), decode(repeat('00', 32), 'hex'))"))
        .isEqualTo("LD005");
  }

  @Test
  void theWriteFunctionsWorkForTheAppRoleAndQueueOneRecordPerRunAndEvent() throws SQLException {
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement()) {
      s.execute("SET ROLE ledger_app");
      long runId;
      try (ResultSet rs = s.executeQuery("""
          SELECT run_id, created FROM ledger_save_run('alipay', 'assets:wallet:alipay:clearing', 'f.csv', 'ff',
            NULL, NULL, 2, 1, 0, ARRAY['MISSING_IN_LEDGER'], ARRAY['k'], ARRAY[NULL], ARRAY[2]::bigint[],
            ARRAY['CNY'], ARRAY[-5]::bigint[], ARRAY[NULL]::bigint[], ARRAY[NULL]::bigint[],
            ARRAY[NULL]::bigint[], ARRAY['t'], ARRAY[NULL], ARRAY[NULL], ARRAY[NULL], ARRAY[NULL],
            ARRAY[]::bigint[])""")) {
        rs.next();
        runId = rs.getLong(1);
        assertThat(rs.getBoolean(2)).isTrue();
      }
      try (ResultSet rs = s.executeQuery("""
          SELECT run_id, created FROM ledger_save_run('alipay', 'assets:wallet:alipay:clearing', 'g.csv', 'ff',
            NULL, NULL, 0, 0, 0, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}',
            '{}', '{}')""")) {
        rs.next();
        assertThat(rs.getLong(1)).as("the same file again").isEqualTo(runId);
        assertThat(rs.getBoolean(2)).isFalse();
      }
      long breakId;
      try (ResultSet rs = s.executeQuery("SELECT id FROM reconciliation_breaks WHERE run_id = " + runId)) {
        rs.next();
        breakId = rs.getLong(1);
      }
      try (ResultSet rs = s.executeQuery("SELECT ledger_resolve_break(" + breakId + ", 'ok', NULL), "
          + "ledger_resolve_break(" + breakId + ", 'twice', NULL), ledger_resolve_break(-1, 'none', NULL)")) {
        rs.next();
        assertThat(List.of(rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3))).containsExactly(true, false, false);
      }
      assertThat(recorded(c, "run")).containsOnlyKeys(runId);
      assertThat(recorded(c, "break_event")).hasSize(1);
    }
    StoredBreak resolved = store.breaks(dev.ledger.reconcile.BreakStatus.RESOLVED, "alipay", null).get(0);
    assertThat(resolved.resolutionNote()).isEqualTo("ok");
    assertThat(audit().violations()).isEmpty();
  }

  @Test
  void mismatchedBreakArraysAreRefusedAndStoreNothing() {
    assertThat(sqlState("ledger_app", """
        SELECT ledger_save_run('alipay', 'a', 'f.csv', 'ff', NULL, NULL, 0, 0, 0, ARRAY['MISSING_IN_LEDGER'],
          '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}')"""))
        .isEqualTo("22023");
    assertThat(store.findRun("alipay", "a", "ff")).isEmpty();
  }

  @Test
  void aRunClosesOnlyOpenBreaksOfItsOwnSourceAndAccount() {
    dev.ledger.reconcile.StoredRun wechat = store.saveRun("wechatpay", WECHAT, "a.csv", "aa", 0, outcome(List.of(missing("k1")), List.of()));
    dev.ledger.reconcile.StoredRun alipay = store.saveRun("alipay", "assets:wallet:alipay:clearing", "b.csv", "bb", 0,
        outcome(List.of(), List.of(wechat.breaks().get(0).id())));
    assertThat(alipay.closedBreakIds()).isEmpty();
    assertThat(store.findBreak(wechat.breaks().get(0).id()).orElseThrow().state()).isEqualTo(BreakStatus.OPEN);
  }

  @Test
  void anUntouchedStoreAuditsCleanAndItsHashesAreTheQueuedOnes() throws SQLException {
    long[] ids = storeHistory();
    ReconciliationAudit.Result result = audit();
    assertThat(result.violations()).isEmpty();
    assertThat(result.clean()).isTrue();
    assertThat(result.runHashes()).containsOnlyKeys(ids[0], ids[1]);
    assertThat(result.eventHashes()).hasSize(2);
    assertThat(hex(result.runHashes())).isEqualTo(recorded("run"));
    assertThat(hex(result.eventHashes())).isEqualTo(recorded("break_event"));
  }

  @Test
  void sqlAndJavaWriteTheSameCanonicalTextForUnicodeNewlinesNullsAndNegativeAmounts() throws SQLException {
    String tricky = "微信 \u00e9\u0301 🧾 a=b\nkey=3:x\r\t~";
    Break odd = new Break(BreakKind.AMOUNT_MISMATCH, tricky, "e\n1", 7, Amounts.currency("CNY"), -123456789012L,
        Long.MIN_VALUE + 1, 0L, -1L, "", null, "~", null, null);
    Break inconsistent = new Break(BreakKind.STATEMENT_INCONSISTENT, "4:abc", null, 0, null, null, null, null, null,
        null, null, null, "-0.01", "1:");
    MatchOutcome outcome = new MatchOutcome(3, 0, List.of(odd, inconsistent), List.of(), List.of(),
        Instant.parse("1969-12-31T23:59:59.999999Z"), null);
    dev.ledger.reconcile.StoredRun run = store.saveRun("csv", "assets:bank:ünï:main", "näme\n.csv", "ab", -7, outcome);
    assertThat(store.resolve(run.breaks().get(0).id(), "line one\nline two — 完", "adj\u0001")).isTrue();

    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("""
          SELECT r.id, r.source, r.account, r.file_name, r.file_sha256, r.period_start, r.period_end, r.lines,
            r.matched, r.break_count, r.tolerance, r.created_at, ledger_run_text(r)
          FROM reconciliation_runs r""")) {
        assertThat(rs.next()).isTrue();
        assertThat(ReconciliationCanon.runText(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), instant(rs, 6), instant(rs, 7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
            rs.getLong(11), instant(rs, 12))).isEqualTo(rs.getString(13)).contains("period_start=-1\n")
            .contains("period_end=~\n").contains("file_name=10:näme\n.csv\n").contains("tolerance=-7\n");
      }
      List<String> sqlTexts = new ArrayList<>();
      List<String> javaTexts = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("""
          SELECT b.id, b.source, b.account, b.kind, b.match_key, b.entry_id, b.statement_line, b.currency,
            b.statement_gross, b.ledger_gross, b.statement_fee, b.ledger_fee, b.provider_txn_id,
            b.provider_refund_id, b.order_id, b.stated, b.computed, ledger_break_text(b)
          FROM reconciliation_breaks b ORDER BY b.id""")) {
        while (rs.next()) {
          javaTexts.add(ReconciliationCanon.breakText(rs.getLong(1), rs.getString(2), rs.getString(3),
              rs.getString(4), rs.getString(5), rs.getString(6), (Long) rs.getObject(7), rs.getString(8),
              (Long) rs.getObject(9), (Long) rs.getObject(10), (Long) rs.getObject(11), (Long) rs.getObject(12),
              rs.getString(13), rs.getString(14), rs.getString(15), rs.getString(16), rs.getString(17)));
          sqlTexts.add(rs.getString(18));
        }
      }
      assertThat(javaTexts).isEqualTo(sqlTexts).hasSize(2);
      assertThat(sqlTexts.get(0)).contains("match_key=" + tricky.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
          + ":" + tricky + "\n").contains("ledger_gross=-9223372036854775807\n").contains("provider_refund_id=~\n")
          .contains("provider_txn_id=0:\n").contains("order_id=1:~\n");
      assertThat(sqlTexts.get(1)).contains("statement_line=~\n").contains("currency=~\n").contains("computed=2:1:\n");
      try (ResultSet rs = s.executeQuery("""
          SELECT id, break_id, status, run_id, note, adjustment_entry_id, actor, at,
            ledger_break_event_text(id, break_id, status, run_id, note, adjustment_entry_id, actor, at)
          FROM break_events""")) {
        assertThat(rs.next()).isTrue();
        assertThat(ReconciliationCanon.eventText(rs.getLong(1), rs.getLong(2), rs.getString(3),
            (Long) rs.getObject(4), rs.getString(5), rs.getString(6), rs.getString(7), instant(rs, 8)))
            .isEqualTo(rs.getString(9)).contains("status=8:resolved\n").contains("run_id=~\n");
      }
    }
    ReconciliationAudit.Result result = audit();
    assertThat(result.violations()).isEmpty();
    assertThat(hex(result.runHashes())).isEqualTo(recorded("run"));
    assertThat(hex(result.eventHashes())).isEqualTo(recorded("break_event"));
  }

  @Test
  void theAuditSeesASuperusersEditOfARunFieldThroughItsHash() throws SQLException {
    long[] ids = storeHistory();
    tamper("UPDATE reconciliation_runs SET matched = matched + 1 WHERE id = " + ids[0]);
    ReconciliationAudit.Result result = audit();
    assertThat(hex(result.runHashes()).get(ids[0])).isNotEqualTo(recorded("run").get(ids[0]));
    assertThat(hex(result.runHashes()).get(ids[1])).isEqualTo(recorded("run").get(ids[1]));
  }

  @Test
  void theAuditSeesASuperusersEditOfABreakAmountThroughItsRunsHash() throws SQLException {
    long[] ids = storeHistory();
    tamper("UPDATE reconciliation_breaks SET statement_gross = -statement_gross WHERE id = " + ids[4]);
    ReconciliationAudit.Result result = audit();
    assertThat(hex(result.runHashes()).get(ids[0])).isNotEqualTo(recorded("run").get(ids[0]));
    assertThat(result.violations()).as("the lifecycle is intact").isEmpty();
  }

  @Test
  void theAuditNamesABreakWhoseStatusASuperuserChanged() throws SQLException {
    long[] ids = storeHistory();
    tamper("UPDATE reconciliation_breaks SET status = 'resolved', resolved_at = now(), resolution_note = 'gone' "
        + "WHERE id = " + ids[4]);
    assertThat(audit().violations()).contains(
        "break " + ids[4] + ": status is 'resolved' but its events leave it 'open' (altered)",
        "break " + ids[4] + ": resolution_note is 'gone' but its events leave it null (altered)");
  }

  @Test
  void theAuditNamesABreakWhoseEventASuperuserDeleted() throws SQLException {
    long[] ids = storeHistory();
    long eventId;
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM break_events WHERE break_id = " + ids[3])) {
      rs.next();
      eventId = rs.getLong(1);
    }
    tamper("DELETE FROM break_events WHERE id = " + eventId);
    ReconciliationAudit.Result result = audit();
    assertThat(result.violations()).contains(
        "break " + ids[3] + ": status is 'resolved' but its events leave it 'open' (altered)");
    assertThat(result.eventHashes()).doesNotContainKey(eventId);
    assertThat(recorded("break_event")).containsKey(eventId);
  }

  @Test
  void theAuditNamesEventsOfUnknownBreaksAndBreaksOfUnknownRuns() throws SQLException {
    long[] ids = storeHistory();
    tamper("UPDATE break_events SET break_id = 999999 WHERE break_id = " + ids[2]);
    tamper("UPDATE reconciliation_breaks SET run_id = 888888 WHERE id = " + ids[4]);
    assertThat(audit().violations()).anySatisfy(v -> assertThat(v).endsWith(": its break 999999 does not exist"))
        .contains("break " + ids[4] + ": its run 888888 does not exist",
            "break " + ids[2] + ": status is 'closed' but its events leave it 'open' (altered)");
  }

  @Test
  void theAuditRefusesAConnectionOutsideARepeatableReadTransaction() throws SQLException {
    try (Connection c = TestDatabases.superuser(name)) {
      assertThatThrownBy(() -> ReconciliationAudit.audit(c)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("autocommit");
      c.setAutoCommit(false);
      assertThatThrownBy(() -> ReconciliationAudit.audit(c)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'read committed'");
      c.rollback();
    }
  }

  @Test
  void runsAndBreaksStoredBeforeV14AuditCleanAfterTheMigration() throws SQLException {
    String db = "t_v13_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
    try (Connection c = TestDatabases.superuser("postgres"); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + db);
    }
    String url = TestDatabases.url(db);
    String user = TestDatabases.server().user();
    Flyway.configure().dataSource(url, user, null).locations("classpath:db/migration").target("13").load()
        .migrate();
    try (Connection c = TestDatabases.superuser(db); Statement s = c.createStatement()) {
      // What V10's grants let the application write, including a resolution it forged.
      s.execute("""
          INSERT INTO reconciliation_runs (source, account, file_name, file_sha256, period_start, period_end, lines,
            matched, break_count, tolerance, created_at)
          VALUES ('wechatpay', 'w', 'a.csv', 'aa', '2024-09-11T16:00:00Z', '2024-09-12T16:00:00Z', 5, 2, 3, 0,
                  '2024-09-13T01:00:00.123456Z'),
                 ('wechatpay', 'w', 'b.csv', 'bb', NULL, NULL, 1, 1, 0, 0, '2024-09-14T01:00:00Z')""");
      s.execute("""
          INSERT INTO reconciliation_breaks (run_id, source, account, kind, match_key, statement_gross, order_id,
            status, closed_run_id, resolved_at, resolution_note, adjustment_entry_id)
          SELECT (SELECT id FROM reconciliation_runs WHERE file_sha256 = 'aa'), 'wechatpay', 'w', 'MISSING_IN_LEDGER',
            'k' || g, -g * 100, CASE WHEN g = 2 THEN E'多\\nline' END,
            CASE g WHEN 1 THEN 'closed' WHEN 2 THEN 'resolved' ELSE 'open' END,
            CASE WHEN g = 1 THEN (SELECT id FROM reconciliation_runs WHERE file_sha256 = 'bb') END,
            CASE WHEN g = 2 THEN TIMESTAMPTZ '2024-09-13T09:30:00.5Z' END,
            CASE WHEN g = 2 THEN 'paid by hand' END, CASE WHEN g = 2 THEN 'adj-9' END
          FROM generate_series(1, 3) g""");
    }
    Flyway.configure().dataSource(url, user, null).locations("classpath:db/migration").load().migrate();
    try (Connection c = TestDatabases.superuser(db)) {
      ReconciliationAudit.Result result = audit(c);
      assertThat(result.violations()).isEmpty();
      assertThat(result.runHashes()).hasSize(2);
      assertThat(result.eventHashes()).hasSize(2);
      assertThat(hex(result.runHashes())).isEqualTo(recorded(c, "run"));
      assertThat(hex(result.eventHashes())).isEqualTo(recorded(c, "break_event"));
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT string_agg(status || '/' || actor, ',' ORDER BY id) FROM break_events")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("resolved/v14 migration,closed/v14 migration");
      }
    } finally {
      try (Connection c = TestDatabases.superuser("postgres"); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE " + db + " WITH (FORCE)");
      }
    }
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
    return time == null ? null : time.toInstant();
  }
}
