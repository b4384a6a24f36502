package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ledger_post keeps a session's generic plans (V22), made at each statement's first execution from
 * the statistics of that moment. A pooled connection that first posted to an empty ledger must not
 * keep plans that scan the growing tables on every later post (V24): counted here with the
 * transaction's own scan counters, in one session that planned on an empty ledger. The session
 * forces generic plans for ledger_post_pending too, which PostgreSQL may otherwise settle on after
 * five calls.
 */
class LedgerPlansTest {
  /**
   * Tables that grow with the ledger. pending_entries is left out: the check of available balances
   * first asks whether it is empty, which reads at most one row whatever its plan.
   */
  private static final List<String> GROWING = List.of("accounts", "entries", "postings", "balances", "balance_days",
      "balance_day_versions", "pending_postings", "pending_settlements");

  private final LedgerDatabase database = TestDatabases.freshWithCheckpointsFrom(0);
  private final String name = TestDatabases.databaseOf(database);

  @AfterEach
  void close() {
    database.close();
  }

  private static Map<String, long[]> scans(Statement s) throws SQLException {
    Map<String, long[]> scans = new LinkedHashMap<>();
    try (ResultSet rs = s.executeQuery("SELECT relname, seq_scan, idx_scan FROM pg_stat_xact_user_tables")) {
      while (rs.next()) {
        scans.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
      }
    }
    return scans;
  }

  @Test
  void postsReversalsAndPendingEntriesInASessionThatPlannedOnAnEmptyLedgerScanNoGrowingTable() throws SQLException {
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement()) {
      s.execute("SET ROLE ledger_app");
      s.execute("SET plan_cache_mode = force_generic_plan");
      s.execute("SELECT ledger_create_account('assets:guarded', true)");
      // The session's first posts, on an empty ledger: every statement of ledger_post is planned
      // here, the guarded account's overdraft check and a reversal within the batch included.
      s.execute(RawCalls.post(List.of("fund", "a1", "r1"), Arrays.asList(null, null, "a1"), List.of(
          new Object[] {1, "assets:guarded", 1000}, new Object[] {1, "equity:owner", -1000},
          new Object[] {2, "assets:a", 100}, new Object[] {2, "income:b", -100},
          new Object[] {3, "assets:a", -100}, new Object[] {3, "income:b", 100})));
      s.execute(RawCalls.pending("h1", null, null, 5));
      s.execute(RawCalls.pending("s1", "h1", "post", 5));
      s.execute(RawCalls.pending("h2", null, null, 7));
      s.execute(RawCalls.post(List.of("b1", "b2"), Arrays.asList(null, null), List.of(
          new Object[] {1, "assets:c", 70}, new Object[] {1, "income:d", -70},
          new Object[] {2, "assets:e", 30}, new Object[] {2, "income:f", -30})));

      c.setAutoCommit(false);
      Map<String, long[]> before = scans(s);
      // A hold and a void on the guarded account; a plain entry on it and on new and known
      // accounts, and a reversal of a stored entry.
      s.execute(RawCalls.pending("h3", null, null, 9));
      s.execute(RawCalls.pending("v2", "h2", "void", 7));
      s.execute(RawCalls.post(List.of("p2", "rb1"), Arrays.asList(null, "b1"), List.of(
          new Object[] {1, "assets:guarded", -10}, new Object[] {1, "assets:new", 10},
          new Object[] {2, "assets:c", -70}, new Object[] {2, "income:d", 70})));
      Map<String, long[]> after = scans(s);
      c.commit();

      for (String table : GROWING) {
        long[] was = before.getOrDefault(table, new long[2]);
        long[] is = after.get(table);
        assertThat(is).as(table + " was not read at all").isNotNull();
        assertThat(is[0] - was[0]).as("sequential scans of " + table).isZero();
        assertThat(is[1] - was[1]).as("index scans of " + table).isPositive();
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM entries WHERE id IN ('p2', 'rb1', 'h3', 'v2')")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(4);
      }
    }
  }
}
