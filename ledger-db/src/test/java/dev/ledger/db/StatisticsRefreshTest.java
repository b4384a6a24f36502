package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.journal.BatchResult;
import dev.ledger.journal.Entry;
import dev.ledger.journal.PostStatus;
import dev.ledger.journal.Posting;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** After a bulk post the hot tables are analyzed, so the next reconcile is planned on real sizes. */
class StatisticsRefreshTest {
  private static final List<String> HOT = List.of("balance_days", "balances", "entries", "postings");
  private static final Instant T0 = Instant.parse("2024-09-01T00:00:00Z");

  /** Entries of two postings each: three rows. */
  private static final int ENTRIES_FOR_REFRESH = StatisticsRefresh.ROWS_BEFORE_REFRESH / 3;

  private static List<Entry> entries(String prefix, int count) {
    List<Entry> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String merchant = "m-" + (i % 500);
      entries.add(Entry.of(prefix + i, T0.plusSeconds(37L * i), "order paid", Map.of(),
          List.of(Posting.debit("assets:wallet:wechatpay:clearing", "1.00", "CNY"),
              Posting.credit("liabilities:merchant:" + merchant + ":payable", "1.00", "CNY"))));
    }
    return entries;
  }

  /** Table name to whether a manual ANALYZE ran on it (autovacuum's are last_autoanalyze). */
  private static Map<String, Boolean> analyzed(String database) throws Exception {
    Map<String, Boolean> result = new TreeMap<>();
    try (Connection c = TestDatabases.superuser(database); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT relname, last_analyze IS NOT NULL FROM pg_stat_user_tables "
            + "WHERE relname IN ('entries', 'postings', 'balances', 'balance_days')")) {
      while (rs.next()) {
        result.put(rs.getString(1), rs.getBoolean(2));
      }
    }
    return result;
  }

  private static Map<String, Boolean> awaitAnalyzed(String database, Duration wait) throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    Map<String, Boolean> state = analyzed(database);
    while (state.containsValue(false) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      state = analyzed(database);
    }
    return state;
  }

  private static Map<String, Boolean> all(boolean value) {
    Map<String, Boolean> expected = new TreeMap<>();
    HOT.forEach(table -> expected.put(table, value));
    return expected;
  }

  @Test
  void aBulkPostAnalyzesTheHotTablesBeforeItReturnsAndASmallOneDoesNot() throws Exception {
    try (LedgerDatabase database = TestDatabases.fresh()) {
      String name = TestDatabases.databaseOf(database);
      BatchResult small = database.ledger().postAll(entries("small-", 200));
      assertThat(small.count(PostStatus.CREATED)).isEqualTo(200);
      assertThat(analyzed(name)).isEqualTo(all(false));

      BatchResult bulk = database.ledger().postAll(entries("bulk-", ENTRIES_FOR_REFRESH));
      assertThat(bulk.count(PostStatus.CREATED)).isEqualTo(ENTRIES_FOR_REFRESH);
      // Synchronous for a bulk call: the statistics, refreshed beside the seal, and the seal are
      // both done when postAll returns.
      assertThat(analyzed(name)).isEqualTo(all(true));
      try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT (SELECT reltuples FROM pg_class WHERE relname = 'entries'),"
              + " (SELECT count(*) FROM seal_queue)")) {
        rs.next();
        assertThat(rs.getDouble(1)).as("the planner now knows the table's size")
            .isGreaterThanOrEqualTo(ENTRIES_FOR_REFRESH);
        assertThat(rs.getLong(2)).as("records left unsealed").isZero();
      }
    }
  }

  @Test
  void manySmallPostsThatAddUpToABulkLoadRefreshInTheBackground() throws Exception {
    try (LedgerDatabase database = TestDatabases.fresh()) {
      String name = TestDatabases.databaseOf(database);
      int batch = ENTRIES_FOR_REFRESH / 10;
      for (int i = 0; i < 9; i++) {
        database.ledger().postAll(entries("b" + i + "-", batch));
      }
      assertThat(analyzed(name)).isEqualTo(all(false));
      database.ledger().postAll(entries("b9-", batch));
      assertThat(awaitAnalyzed(name, Duration.ofSeconds(20))).isEqualTo(all(true));
    }
  }
}
