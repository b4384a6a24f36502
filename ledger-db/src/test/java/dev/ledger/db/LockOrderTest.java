package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every writer locks rows in the keys' "C" order (V25), also on a database whose default collation
 * is not C: otherwise a post and a hold or a stream on the same accounts can take the same rows in
 * opposite orders and deadlock. Each case holds the lock on the key that sorts first in "C" order,
 * lets the writer run into it, and then takes the key that sorts second: the writer must be waiting
 * without holding it. On this ICU database the default collation sorts the two keys the other way.
 */
class LockOrderTest {
  private static final String NAME = "t_icu_lock_order_" + ProcessHandle.current().pid();
  private static final long WAIT_MILLIS_MAX = 30_000;
  private static final ExecutorService WRITERS = Executors.newSingleThreadExecutor();

  @BeforeAll
  static void icuDatabase() throws SQLException {
    TestDatabases.server();
    try (Connection c = TestDatabases.superuser("postgres"); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + NAME);
      s.execute("CREATE DATABASE " + NAME + " TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'und' LOCALE 'C'");
    }
    LedgerDatabase.connect(TestDatabases.url(NAME), TestDatabases.server().user(), null).close();
  }

  @AfterAll
  static void drop() throws SQLException {
    WRITERS.shutdownNow();
    try (Connection c = TestDatabases.superuser("postgres"); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + NAME + " WITH (FORCE)");
    }
  }

  /** The two codes of a case: '-' sorts before '_' in "C" order, after it in ICU's root collation. */
  private static String first(String prefix) {
    return "assets:" + prefix + ":x-y";
  }

  private static String second(String prefix) {
    return "assets:" + prefix + ":x_y";
  }

  private static void run(String sql) throws SQLException {
    try (Connection c = TestDatabases.superuser(NAME); Statement s = c.createStatement()) {
      s.execute("SET ROLE ledger_app");
      s.execute(sql);
    }
  }

  private static String lockBalance(String account) {
    return "SELECT 1 FROM balances WHERE account = '" + account + "' AND currency = 'CNY' FOR UPDATE";
  }

  /**
   * Holds {@code hold} (a lock on the first key), runs {@code writer} as the application role until
   * it waits, then runs {@code probe} (a lock on the second key), which must not wait.
   */
  private static void assertWriterWaitsOnFirstKeyOnly(String hold, String writer, String probe) throws Exception {
    try (Connection holder = TestDatabases.superuser(NAME); Connection writing = TestDatabases.superuser(NAME);
        Connection probing = TestDatabases.superuser(NAME)) {
      holder.setAutoCommit(false);
      try (Statement s = holder.createStatement()) {
        s.execute(hold);
      }
      int writerPid;
      try (Statement s = writing.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
        rs.next();
        writerPid = rs.getInt(1);
        s.execute("SET ROLE ledger_app");
      }
      writing.setAutoCommit(false);
      Future<?> written = WRITERS.submit(() -> {
        try (Statement s = writing.createStatement()) {
          s.execute(writer);
        }
        return null;
      });
      awaitLockWait(probing, writerPid);
      probing.setAutoCommit(false);
      try (Statement s = probing.createStatement()) {
        s.execute("SET LOCAL lock_timeout = '500ms'");
        assertThatCode(() -> s.execute(probe))
            .as("the writer, waiting for the first key, holds no lock on the second")
            .doesNotThrowAnyException();
      }
      probing.rollback();
      holder.rollback();
      written.get(WAIT_MILLIS_MAX, TimeUnit.MILLISECONDS);
      writing.rollback();
    }
  }

  private static void awaitLockWait(Connection c, int pid) throws Exception {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS_MAX;
    // A row lock held by another transaction: waiting for that transaction (or for the tuple's
    // lock), not a short wait such as extending a table.
    try (PreparedStatement s = c.prepareStatement("SELECT wait_event_type = 'Lock' AND wait_event IN"
        + " ('transactionid', 'tuple') FROM pg_stat_activity WHERE pid = ?")) {
      s.setInt(1, pid);
      while (true) {
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next() && rs.getBoolean(1)) {
            return;
          }
        }
        assertThat(System.currentTimeMillis()).as("the writer waits for the held lock").isLessThan(deadline);
        Thread.sleep(20);
      }
    }
  }

  @Test
  void theDatabaseDefaultCollationSortsTheTwoKeysOppositeToC() throws SQLException {
    try (Connection c = TestDatabases.superuser(NAME); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT '" + second("k") + "'::varchar < '" + first("k") + "'::varchar, '"
            + second("k") + "'::varchar COLLATE \"C\" < '" + first("k") + "'::varchar COLLATE \"C\"")) {
      rs.next();
      assertThat(rs.getBoolean(1)).as("default (ICU) order").isTrue();
      assertThat(rs.getBoolean(2)).as("\"C\" order").isFalse();
    }
  }

  @Test
  void ledgerPostLocksBalanceRowsInCOrder() throws Exception {
    run(RawCalls.post(List.of("post-seed"), Arrays.asList((String) null),
        List.of(new Object[] {1, first("p"), 100}, new Object[] {1, second("p"), -100})));
    assertWriterWaitsOnFirstKeyOnly(lockBalance(first("p")),
        RawCalls.post(List.of("post-1"), Arrays.asList((String) null),
            List.of(new Object[] {1, second("p"), 5}, new Object[] {1, first("p"), -5})),
        lockBalance(second("p")));
  }

  @Test
  void ledgerPostCreatesNewAccountsInCOrder() throws Exception {
    assertWriterWaitsOnFirstKeyOnly("SELECT ledger_create_account('" + first("n") + "', false)",
        RawCalls.post(List.of("new-1"), Arrays.asList((String) null),
            List.of(new Object[] {1, second("n"), 5}, new Object[] {1, first("n"), -5})),
        "SELECT ledger_create_account('" + second("n") + "', false)");
  }

  @Test
  void ledgerStreamBeginLocksBalanceRowsInCOrder() throws Exception {
    run(RawCalls.post(List.of("stream-seed"), Arrays.asList((String) null),
        List.of(new Object[] {1, first("s"), 100}, new Object[] {1, second("s"), -100})));
    assertWriterWaitsOnFirstKeyOnly(lockBalance(first("s")),
        "SELECT ledger_stream_begin(ARRAY['" + second("s") + "', '" + first("s") + "']::varchar[],"
            + " ARRAY['CNY', 'CNY']::varchar[])",
        lockBalance(second("s")));
  }

  @Test
  void ledgerPostPendingLocksNoOverdraftBalanceRowsInCOrder() throws Exception {
    run("SELECT ledger_create_account('" + first("h") + "', true)");
    run("SELECT ledger_create_account('" + second("h") + "', true)");
    run(RawCalls.post(List.of("hold-seed-1", "hold-seed-2"), Arrays.asList(null, null), List.of(
        new Object[] {1, first("h"), 100}, new Object[] {1, "equity:owner", -100},
        new Object[] {2, second("h"), 100}, new Object[] {2, "equity:owner", -100})));
    assertWriterWaitsOnFirstKeyOnly(lockBalance(first("h")),
        "SELECT ledger_post_pending('hold-1', now(), 'raw', '{}'::jsonb, sha256('hold-1'), now() + interval '1 day',"
            + " NULL, NULL, ARRAY['" + second("h") + "', '" + first("h") + "', 'equity:owner'],"
            + " ARRAY['CNY', 'CNY', 'CNY'], ARRAY[-5::bigint, -5, 10])",
        lockBalance(second("h")));
  }
}
