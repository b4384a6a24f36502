package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.db.LedgerStoreException.Kind;
import dev.ledger.journal.Entry;
import dev.ledger.journal.Posting;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Every pooled connection carries the statement and idle-transaction timeouts (DESIGN section 3). */
class LedgerDatabaseTest {
  private static final Duration SHORT = Duration.ofMillis(400);

  private static LedgerDatabase withTimeout(Duration timeout) {
    return LedgerDatabase.connect(TestDatabases.url(TestDatabases.freshName()),
        TestDatabases.server().user(), null, timeout);
  }

  private static String show(LedgerDatabase database, String setting) throws SQLException {
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void pooledConnectionsRunAsTheAppRoleWithTheDefaultTimeouts() throws Exception {
    try (LedgerDatabase database = TestDatabases.fresh()) {
      assertThat(show(database, "statement_timeout")).isEqualTo("5min");
      assertThat(show(database, "idle_in_transaction_session_timeout")).isEqualTo("5min");
      try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT current_user")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("ledger_app");
      }
    }
  }

  @Test
  void aQuerySlowerThanTheTimeoutIsCancelledByTheServerAndReportedAsTimedOut() throws Exception {
    try (LedgerDatabase database = withTimeout(SHORT)) {
      assertThat(show(database, "statement_timeout")).isEqualTo("400ms");
      long started = System.nanoTime();
      assertThatThrownBy(() -> {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
          s.execute("SELECT pg_sleep(30)");
        } catch (SQLException e) {
          throw SqlErrors.translate("Sleeping", e);
        }
      }).isInstanceOfSatisfying(LedgerStoreException.class, e -> {
        assertThat(e.kind()).isEqualTo(Kind.TIMED_OUT);
        assertThat(e.sqlState()).isEqualTo("57014");
        assertThat(e.getMessage()).isEqualTo("Sleeping failed: canceling statement due to statement timeout");
      });
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void aPostBlockedOnTheBalancesFailsCleanlyAfterTheTimeoutAndWritesNothing() throws Exception {
    try (LedgerDatabase database = withTimeout(SHORT);
        Connection holder = TestDatabases.superuser(TestDatabases.databaseOf(database))) {
      holder.setAutoCommit(false);
      try (Statement s = holder.createStatement()) {
        s.execute("LOCK TABLE balances IN SHARE ROW EXCLUSIVE MODE"); // what a post writes first
      }
      Entry entry = Entry.of("blocked-1", Instant.parse("2024-09-12T02:15:02Z"), "waits for the balances",
          Map.of(), List.of(Posting.debit("assets:bank:x", "1.00", "CNY"),
              Posting.credit("equity:capital", "1.00", "CNY")));
      assertThatThrownBy(() -> database.ledger().post(entry))
          .isInstanceOfSatisfying(LedgerStoreException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.TIMED_OUT);
            assertThat(e.getMessage())
                .isEqualTo("Posting 1 entries (first blocked-1) failed: canceling statement due to statement timeout");
          });
      holder.rollback();
      assertThat(database.ledger().entry("blocked-1")).isEmpty();
    }
  }

  @Test
  void aClientThatDiesMidQueryLeavesNothingRunningOnTheServerPastTheTimeout() throws Exception {
    try (LedgerDatabase database = withTimeout(Duration.ofSeconds(1));
        Connection observer = TestDatabases.superuser("postgres")) {
      Connection doomed = database.dataSource().getConnection();
      int pid;
      try (Statement s = doomed.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
        rs.next();
        pid = rs.getInt(1);
      }
      var executor = Executors.newSingleThreadExecutor();
      CompletableFuture<Void> sleeping = CompletableFuture.runAsync(() -> {
        try (Statement s = doomed.createStatement()) {
          s.execute("SELECT pg_sleep(60)");
        } catch (SQLException expected) {
          // The socket is cut below.
        }
      }, executor);
      awaitState(observer, pid, "active", Duration.ofSeconds(5));
      // Cut the socket without a cancel request, as a kill -9 of the client would.
      doomed.abort(Runnable::run);
      sleeping.get();
      executor.shutdown();
      assertThat(awaitState(observer, pid, null, Duration.ofSeconds(10)))
          .as("the backend's sleep must end by the 1 s timeout, not after 60 s").isTrue();
    }
  }

  /** Polls pg_stat_activity until the backend is in {@code state} (null: gone or not active). */
  private static boolean awaitState(Connection observer, int pid, String state, Duration wait)
      throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      try (PreparedStatement s = observer.prepareStatement(
          "SELECT state FROM pg_stat_activity WHERE pid = ?")) {
        s.setInt(1, pid);
        try (ResultSet rs = s.executeQuery()) {
          String current = rs.next() ? rs.getString(1) : null;
          boolean reached = state == null ? !"active".equals(current) : state.equals(current);
          if (reached) {
            return true;
          }
        }
      }
      Thread.sleep(50);
    }
    return false;
  }

  @Test
  void aTimeoutOutsideWhatPostgresqlCanHoldIsACallerMistake() {
    String url = TestDatabases.url("postgres");
    assertThatThrownBy(() -> LedgerDatabase.connect(url, "postgres", null, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    assertThatThrownBy(() -> LedgerDatabase.connect(url, "postgres", null, Duration.ofDays(30)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT720H");
  }
}
