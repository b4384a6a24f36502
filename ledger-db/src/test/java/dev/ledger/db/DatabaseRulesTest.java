package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Immutability, the balance check and the roles, exercised through raw SQL. */
class DatabaseRulesTest {
  private static LedgerDatabase database;
  private static String name;

  @BeforeAll
  static void open() {
    database = TestDatabases.freshWithCheckpointsFrom(0);
    name = TestDatabases.databaseOf(database);
    database.ledger().post(PostgresLedgerPostingTest.payment("e-1", "10.00",
        Instant.parse("2024-09-01T00:00:00Z")));
  }

  @AfterAll
  static void close() {
    database.close();
  }

  private static void run(String role, String sql) throws SQLException {
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      if (role != null) {
        s.execute("SET ROLE " + role);
      }
      s.execute(sql);
      c.commit();
    }
  }

  private static String state(ThrowingRunnable action) {
    try {
      action.run();
      return "no error";
    } catch (SQLException e) {
      return e.getSQLState();
    }
  }

  interface ThrowingRunnable {
    void run() throws SQLException;
  }

  @Test
  void evenTheSuperuserCannotUpdateDeleteOrTruncateEntriesAndPostings() {
    assertThat(state(() -> run(null, "UPDATE postings SET amount = amount * 2"))).isEqualTo("LD001");
    assertThat(state(() -> run(null, "DELETE FROM entries"))).isEqualTo("LD001");
    assertThat(state(() -> run(null, "TRUNCATE postings"))).isEqualTo("LD001");
    assertThat(state(() -> run(null, "TRUNCATE entries CASCADE"))).isEqualTo("LD001");
  }

  @Test
  void theAppRoleCannotWriteAnyLedgerTableWithRawSql() {
    for (String sql : new String[] {
        "INSERT INTO entries VALUES (999, 'raw-1', now(), now(), 'raw', '{}', NULL, 2, sha256('x'))",
        "INSERT INTO postings VALUES (999, 0, 'assets:x', 'CNY', 100, now(), now())",
        "UPDATE entries SET description = 'x'", "DELETE FROM postings", "TRUNCATE entries",
        "UPDATE balances SET debits = debits WHERE false",
        "INSERT INTO balances VALUES ('assets:x', 'CNY', 100, 0)",
        "UPDATE balance_days SET debits = 0",
        "UPDATE accounts SET no_overdraft = false",
        "INSERT INTO accounts (code, type, no_overdraft) VALUES ('assets:x', 'assets', false)",
        "UPDATE chain_head SET last_sequence = 0",
        "INSERT INTO chain SELECT * FROM chain", "DELETE FROM seal_queue",
        "INSERT INTO seal_queue (kind, record_id, recorded_at, content_hash) VALUES ('entry', 1, now(), sha256('x'))"}) {
      assertThat(state(() -> run("ledger_app", sql))).as(sql).isEqualTo("42501");
    }
    assertThat(state(() -> run("ledger_app", "SELECT count(*) FROM entries, chain, seal_queue")))
        .isEqualTo("no error");
  }

  /** ledger_post as the app role would call it by hand: one entry of two postings. */
  private static String post(String id, String reversalOf, String debit, String credit, long minor) {
    return "SELECT ledger_post(ARRAY['" + id + "'], ARRAY[timestamptz '2020-01-01T00:00:00Z'], ARRAY['raw'],"
        + " ARRAY['{}'::jsonb], ARRAY[" + (reversalOf == null ? "NULL" : "'" + reversalOf + "'") + "::varchar],"
        + " ARRAY[2], ARRAY[sha256('" + id + "')], ARRAY[1, 1], ARRAY[0, 1], ARRAY['" + debit + "', '" + credit
        + "'], ARRAY['CNY', 'CNY'], ARRAY[" + minor + "::bigint, " + (-minor) + "])";
  }

  @Test
  void ledgerPostPlansGenericallyWhileItRunsAndLeavesTheCallersPlanCacheModeAlone() throws SQLException {
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("SET ROLE ledger_app");
      s.execute(post("plan-1", null, "assets:raw:plan", "equity:raw", 700));
      try (java.sql.ResultSet rs = s.executeQuery("SELECT current_setting('plan_cache_mode'),"
          + " (SELECT array_to_string(proconfig, ',') FROM pg_proc WHERE proname = 'ledger_post')")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).as("the caller's setting after the call").isEqualTo("auto");
        assertThat(rs.getString(2)).contains("plan_cache_mode=force_generic_plan");
      }
      c.rollback();
    }
  }

  /** Rows of every table a post writes, for "nothing of a refused batch remains". */
  private static String rowCounts() throws SQLException {
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM entries) || ' ' ||"
            + " (SELECT count(*) FROM postings) || ' ' || (SELECT count(*) FROM balance_days) || ' ' ||"
            + " (SELECT count(*) FROM balance_day_versions) || ' ' ||"
            // queued or sealed: a seal in between moves rows from one to the other
            + " ((SELECT count(*) FROM seal_queue) + (SELECT count(*) FROM chain)) || ' ' ||"
            + " (SELECT count(*) FROM accounts)")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  @Test
  void aBatchWhoseLastEntryIsUnbalancedLeavesNothingAndTheBalancedBatchWritesEveryRow() throws SQLException {
    String before = rowCounts();
    // Entry 1 balances, entry 2 does not; both name an account the ledger has never seen.
    String call = "SELECT ledger_post(ARRAY['one-ok', 'one-bad'], ARRAY[now(), now()], ARRAY['raw', 'raw'],"
        + " ARRAY['{}'::jsonb, '{}'::jsonb], ARRAY[NULL, NULL]::varchar[], ARRAY[2, 2],"
        + " ARRAY[sha256('one-ok'), sha256('one-bad')], ARRAY[1, 1, 2, 2], ARRAY[0, 1, 0, 1],"
        + " ARRAY['assets:raw:one', 'equity:raw', 'assets:raw:one', 'equity:raw'], ARRAY['CNY', 'CNY', 'CNY', 'CNY'],"
        + " ARRAY[300::bigint, -300, 200, -199])";
    assertThatThrownBy(() -> run("ledger_app", call)).isInstanceOf(SQLException.class)
        .hasMessageContaining("unbalanced in CNY")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("LD002"));
    assertThat(rowCounts()).as("entries, postings, checkpoints, versions, queued or sealed records, accounts")
        .isEqualTo(before);

    run("ledger_app", call.replace("-199", "-200"));
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement();
        // Queued or sealed: whether the sealer ran in between does not matter here.
        java.sql.ResultSet rs = s.executeQuery("WITH sealable AS (SELECT kind, record_id FROM seal_queue"
            + " UNION ALL SELECT kind, record_id FROM chain),"
            + " batch AS (SELECT sequence FROM entries WHERE id IN ('one-ok', 'one-bad'))"
            + " SELECT (SELECT count(*) FROM postings WHERE entry_sequence IN (SELECT sequence FROM batch)),"
            + " (SELECT debits FROM balance_days WHERE account = 'assets:raw:one'),"
            + " (SELECT count(*) FROM sealable JOIN accounts a ON kind = 'account' AND record_id = a.id"
            + " WHERE a.code = 'assets:raw:one'),"
            + " (SELECT count(*) FROM sealable WHERE kind = 'entry' AND record_id IN (SELECT sequence FROM batch))")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).as("postings of both entries").isEqualTo(4);
      assertThat(rs.getLong(2)).as("the new account's checkpoint").isEqualTo(500);
      assertThat(rs.getLong(3)).as("the account it created, queued or sealed").isEqualTo(1);
      assertThat(rs.getLong(4)).as("both entries queued or sealed").isEqualTo(2);
    }
  }

  @Test
  void aSecondReversalOfOneEntryIsRefusedByTheDatabaseAlthoughReversalOfIsIndexedOnlyWhereSet()
      throws SQLException {
    // Ids outside raw-%: the test below counts those.
    run("ledger_app", post("once", null, "assets:raw:once", "equity:raw", 500));
    run("ledger_app", post("once-rev", "once", "assets:raw:once", "equity:raw", -500));
    assertThatThrownBy(() -> run("ledger_app", post("once-rev-2", "once", "assets:raw:once", "equity:raw", -500)))
        .as("a second reversal of once").isInstanceOf(SQLException.class)
        .hasMessageContaining("entries_reversal_of_uk")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"));
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM entries WHERE reversal_of IS NULL")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).as("entries that reverse nothing, none of them in the index")
          .isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void theWritePathFunctionsRefuseWhatTheLedgerWouldRefuse() throws SQLException {
    run("ledger_app", "SELECT ledger_create_account('assets:raw:wallet', true)");
    run("ledger_app", post("raw-fund", null, "assets:raw:wallet", "equity:raw", 1000));
    assertThat(state(() -> run("ledger_app", post("raw-overdraw", null, "expenses:raw", "assets:raw:wallet", 1001))))
        .as("overdraws a no_overdraft account").isEqualTo("LD004");
    assertThat(state(() -> run("ledger_app", post("raw-wrap", null, "assets:raw:big", "equity:raw",
        Long.MAX_VALUE)))).as("the equity side would leave bigint").isEqualTo("LD004");
    assertThat(state(() -> run("ledger_app", post("raw-rev", "raw-fund", "equity:raw", "assets:raw:wallet", 999))))
        .as("a reversal that does not flip every posting").isEqualTo("LD002");
    assertThat(state(() -> run("ledger_app", post("raw-ghost", "nothing", "equity:raw", "assets:raw:wallet", 1))))
        .as("a reversal of nothing").isEqualTo("LD002");
    assertThat(state(() -> run("ledger_app", "SELECT ledger_create_account('assets:raw:wallet', false)")))
        .isEqualTo("no error");
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT no_overdraft, (SELECT recorded_at > now() - interval '1 hour'"
            + " FROM entries WHERE id = 'raw-fund'), (SELECT count(*) FROM entries WHERE id LIKE 'raw-%')"
            + " FROM accounts WHERE code = 'assets:raw:wallet'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getBoolean(1)).as("the flag did not change").isTrue();
      assertThat(rs.getBoolean(2)).as("recorded by the server's clock, not the caller's 2020").isTrue();
      assertThat(rs.getLong(3)).as("only the funding entry was written").isEqualTo(1);
    }
  }

  @Test
  void theAuditorRoleMayOnlyRead() {
    assertThat(state(() -> run("ledger_auditor", "SELECT count(*) FROM postings"))).isEqualTo("no error");
    assertThat(state(() -> run("ledger_auditor",
        "INSERT INTO accounts (code, type, no_overdraft) VALUES ('assets:x', 'assets', false)")))
        .isEqualTo("42501");
    assertThat(state(() -> run("ledger_auditor", "UPDATE balances SET debits = 0"))).isEqualTo("42501");
  }

  @Test
  void anUnbalancedEntryInsertedByRawSqlIsRejectedBeforeCommitEvenForTheOwner() {
    String entry = "INSERT INTO entries VALUES (999, 'raw-1', now(), now(), 'raw', '{}', NULL, 2, "
        + "decode(repeat('00', 32), 'hex'));";
    assertThat(state(() -> run(null, entry
        + "INSERT INTO postings VALUES (999, 0, 'assets:x', 'CNY', 100, now(), now()),"
        + " (999, 1, 'income:x', 'CNY', -99, now(), now())"))).isEqualTo("LD002");
    assertThat(state(() -> run(null, entry))).as("an entry without postings").isEqualTo("LD002");
    assertThat(state(() -> run(null, entry
        + "INSERT INTO postings VALUES (999, 0, 'assets:x', 'CNY', 100, now(), now());"
        + "INSERT INTO postings VALUES (999, 1, 'income:x', 'CNY', -100, now(), now())")))
        .as("postings split over statements").isEqualTo("LD002");
  }

  @Test
  void anEntryWithoutPostingsIsRefusedByLedgerPostAndStillCaughtAtCommitAfterIt() {
    // Two entries, postings for the first only.
    String call = "SELECT ledger_post(ARRAY['bare-ok', 'bare-none'], ARRAY[now(), now()], ARRAY['raw', 'raw'],"
        + " ARRAY['{}'::jsonb, '{}'::jsonb], ARRAY[NULL, NULL]::varchar[], ARRAY[2, 2],"
        + " ARRAY[sha256('bare-ok'), sha256('bare-none')], ARRAY[1, 1], ARRAY[0, 1],"
        + " ARRAY['assets:raw:bare', 'equity:raw'], ARRAY['CNY', 'CNY'], ARRAY[300::bigint, -300])";
    assertThat(state(() -> run("ledger_app", call))).isEqualTo("LD002");
    // ledger_post's own setting ends with the call: a raw insert after it is checked at commit.
    assertThat(state(() -> run(null, post("bare-first", null, "assets:raw:bare", "equity:raw", 100) + ";"
        + "INSERT INTO entries VALUES (998, 'raw-bare', now(), now(), 'raw', '{}', NULL, 2, "
        + "decode(repeat('00', 32), 'hex'))"))).isEqualTo("LD002");
  }

  @Test
  void theLedgerRunsAsTheAppRoleWhenTheLoginMayAssumeIt() throws SQLException {
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement()) {
      assertThat(state(() -> s.execute("SELECT 1"))).isEqualTo("no error");
    }
    assertThatThrownBy(() -> database.ledger().post(null)).isInstanceOf(NullPointerException.class);
  }
}
