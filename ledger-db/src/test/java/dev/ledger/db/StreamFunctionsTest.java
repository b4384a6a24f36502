package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ledger_stream_begin, ledger_post inside a stream and ledger_stream_end (V23), called as the
 * application role with raw SQL: what a stream writes, and what a caller cannot make it do.
 */
class StreamFunctionsTest {
  private final LedgerDatabase database = TestDatabases.freshWithCheckpointsFrom(0);
  private final String name = TestDatabases.databaseOf(database);

  @AfterEach
  void close() {
    database.close();
  }

  /** Runs the statements as ledger_app in one transaction and commits. */
  private void run(String... statements) throws SQLException {
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("SET ROLE ledger_app");
      for (String sql : statements) {
        s.execute(sql);
      }
      c.commit();
    }
  }

  private static String post(String id, String day, String debit, String credit, long minor) {
    return "SELECT ledger_post(ARRAY['" + id + "'], ARRAY[timestamptz '" + day + "T08:00:00Z'], ARRAY['raw'],"
        + " ARRAY['{}'::jsonb], ARRAY[NULL::varchar], ARRAY[2], ARRAY[sha256('" + id + "')], ARRAY[1, 1],"
        + " ARRAY[0, 1], ARRAY['" + debit + "', '" + credit + "'], ARRAY['CNY', 'CNY'],"
        + " ARRAY[" + minor + "::bigint, " + (-minor) + "])";
  }

  private static final String BEGIN_CASH_EQUITY =
      "SELECT ledger_stream_begin(ARRAY['assets:cash', 'equity:owner'], ARRAY['CNY', 'CNY'])";

  private List<String> rows(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.append(i > 1 ? " " : "").append(rs.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  private static String state(SqlAction action) {
    try {
      action.run();
      return "no error";
    } catch (SQLException e) {
      return e.getSQLState();
    }
  }

  interface SqlAction {
    void run() throws SQLException;
  }

  @Test
  void aStreamWritesBalancesAndCheckpointsAtItsEndAndRecordsEveryEntryAtOneTime() throws SQLException {
    run(post("before", "2024-09-01", "assets:cash", "equity:owner", 100));
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("SET ROLE ledger_app");
      s.execute(BEGIN_CASH_EQUITY);
      s.execute(post("s-1", "2024-09-01", "assets:cash", "equity:owner", 500));
      s.execute(post("s-2", "2024-09-02", "assets:cash", "equity:owner", 300));
      try (ResultSet rs = s.executeQuery("SELECT debits FROM balances WHERE account = 'assets:cash'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).as("balance inside the stream, before its end").isEqualTo(100);
      }
      try (ResultSet rs = s.executeQuery("SELECT ledger_stream_end()")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).as("checkpoints written").isEqualTo(4);
      }
      c.commit();
    }
    assertThat(rows("SELECT account, debits, credits FROM balances ORDER BY account"))
        .containsExactly("assets:cash 900 0", "equity:owner 0 900");
    assertThat(rows("SELECT account, day::date, debits, credits, min_recorded_at < max_recorded_at FROM balance_days"
        + " ORDER BY account, day")).containsExactly(
            "assets:cash 2024-09-01 600 0 t", "assets:cash 2024-09-02 300 0 f",
            "equity:owner 2024-09-01 0 600 t", "equity:owner 2024-09-02 0 300 f");
    assertThat(rows("SELECT count(DISTINCT e.recorded_at), count(DISTINCT p.recorded_at),"
        + " bool_and(p.recorded_at = e.recorded_at) FROM entries e JOIN postings p ON p.entry_sequence = e.sequence"
        + " WHERE e.id LIKE 's-%'")).containsExactly("1 1 t");
    // The first day's cell was written before the stream and again by it: both states are versions.
    assertThat(rows("SELECT v.debits, v.recorded_at = (SELECT recorded_at FROM entries WHERE id = 's-1')"
        + " FROM balance_day_versions v WHERE account = 'assets:cash' ORDER BY v.recorded_at"))
        .containsExactly("100 f", "600 t");
  }

  @Test
  void aStreamThatWasNotEndedCannotCommitAndLeavesNothing() throws SQLException {
    assertThatThrownBy(() -> run(BEGIN_CASH_EQUITY, post("s-1", "2024-09-01", "assets:cash", "equity:owner", 500)))
        .isInstanceOf(SQLException.class).hasMessageContaining("not ended by ledger_stream_end")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("LD009"));
    assertThat(rows("SELECT (SELECT count(*) FROM entries) + (SELECT count(*) FROM postings)"
        + " + (SELECT count(*) FROM balances) + (SELECT count(*) FROM accounts)")).containsExactly("0");
  }

  @Test
  void theAppRoleCanNeitherWriteTheStagedDeltasNorStandInItsOwnStreamState() throws SQLException {
    assertThat(state(() -> run(BEGIN_CASH_EQUITY,
        "INSERT INTO pg_temp.ledger_stream_deltas VALUES ('assets:cash', 'CNY', now(), 1, 0)")))
        .as("writing the staged deltas").isEqualTo("42501");
    assertThat(state(() -> run(BEGIN_CASH_EQUITY, "UPDATE pg_temp.ledger_stream_state SET recorded_at = '2000-01-01'")))
        .as("moving the stream's recording time").isEqualTo("42501");
    assertThat(state(() -> run("CREATE TEMPORARY TABLE ledger_stream_state (recorded_at timestamptz)",
        "INSERT INTO ledger_stream_state VALUES ('2000-01-01')",
        post("forged", "2024-09-01", "assets:cash", "equity:owner", 500))))
        .as("a stream state of the caller's own").isEqualTo("42501");
    assertThat(state(() -> run("SELECT ledger_stream_end()"))).as("an end without a stream").isEqualTo("55000");
    assertThat(state(() -> run(BEGIN_CASH_EQUITY, BEGIN_CASH_EQUITY))).as("a second begin").isEqualTo("55000");
    assertThat(rows("SELECT count(*) FROM entries")).containsExactly("0");
  }

  @Test
  void aStreamOverANoOverdraftAccountIsDeclinedAndItsPostsApplyAtOnce() throws SQLException {
    run("SELECT ledger_create_account('assets:guarded', true)");
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("SET ROLE ledger_app");
      try (ResultSet rs = s.executeQuery(
          "SELECT ledger_stream_begin(ARRAY['assets:guarded', 'equity:owner'], ARRAY['CNY', 'CNY'])")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBoolean(1)).as("stream opened").isFalse();
      }
      s.execute(post("g-1", "2024-09-01", "assets:guarded", "equity:owner", 500));
      try (ResultSet rs = s.executeQuery("SELECT debits FROM balances WHERE account = 'assets:guarded'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).as("applied by the post itself").isEqualTo(500);
      }
      c.commit();
    }
    // Inside a stream that did open, a post that names a no_overdraft account is refused.
    assertThat(state(() -> run(BEGIN_CASH_EQUITY, post("g-2", "2024-09-01", "assets:guarded", "equity:owner", 1))))
        .isEqualTo("22023");
  }

  @Test
  void aCheckpointWrittenAfterTheStreamsRecordingTimeRefusesItsEnd() throws SQLException {
    try (Connection stream = TestDatabases.superuser(name); Statement s = stream.createStatement()) {
      stream.setAutoCommit(false);
      s.execute("SET ROLE ledger_app");
      s.execute(BEGIN_CASH_EQUITY); // declares cash and equity only
      // Another writer records on a cell the stream did not declare, after the stream's time.
      run(post("other", "2024-09-01", "assets:bank", "equity:other", 200));
      s.execute(post("s-1", "2024-09-01", "assets:bank", "equity:owner", 500));
      assertThatThrownBy(() -> s.execute("SELECT ledger_stream_end()")).isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("40001"));
      stream.rollback();
    }
    assertThat(rows("SELECT id FROM entries")).containsExactly("other");
  }
}
