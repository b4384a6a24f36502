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
    database = TestDatabases.fresh();
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
  void theAppRoleMayOnlyInsertAndSelectEntriesAndPostings() {
    assertThat(state(() -> run("ledger_app", "UPDATE entries SET description = 'x'"))).isEqualTo("42501");
    assertThat(state(() -> run("ledger_app", "DELETE FROM postings"))).isEqualTo("42501");
    assertThat(state(() -> run("ledger_app", "TRUNCATE entries"))).isEqualTo("42501");
    assertThat(state(() -> run("ledger_app", "SELECT count(*) FROM entries"))).isEqualTo("no error");
    assertThat(state(() -> run("ledger_app", "UPDATE balances SET debits = debits WHERE false")))
        .isEqualTo("no error");
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
  void anUnbalancedEntryInsertedByRawSqlIsRejectedBeforeCommit() {
    String entry = "INSERT INTO entries VALUES (999, 'raw-1', now(), now(), 'raw', '{}', NULL, 2, "
        + "decode(repeat('00', 32), 'hex'), decode(repeat('00', 32), 'hex'), decode(repeat('00', 32), 'hex'));";
    assertThat(state(() -> run("ledger_app", entry
        + "INSERT INTO postings VALUES (999, 0, 'assets:x', 'CNY', 100, now(), now()),"
        + " (999, 1, 'income:x', 'CNY', -99, now(), now())"))).isEqualTo("LD002");
    assertThat(state(() -> run("ledger_app", entry))).as("an entry without postings").isEqualTo("LD002");
    assertThat(state(() -> run("ledger_app", entry
        + "INSERT INTO postings VALUES (999, 0, 'assets:x', 'CNY', 100, now(), now());"
        + "INSERT INTO postings VALUES (999, 1, 'income:x', 'CNY', -100, now(), now())")))
        .as("postings split over statements").isEqualTo("LD002");
  }

  @Test
  void theLedgerRunsAsTheAppRoleWhenTheLoginMayAssumeIt() throws SQLException {
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement()) {
      assertThat(state(() -> s.execute("SELECT 1"))).isEqualTo("no error");
    }
    assertThatThrownBy(() -> database.ledger().post(null)).isInstanceOf(NullPointerException.class);
  }
}
