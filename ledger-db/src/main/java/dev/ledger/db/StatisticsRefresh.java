package dev.ledger.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Refreshes the planner's statistics on the hot tables after bulk loads (DESIGN section 3).
 * Autovacuum analyzes only after up to a minute's nap and 10% of a table changed; a reconcile that
 * runs right after a large post would otherwise be planned for the tables as they were before it
 * (a nested loop over what it believes are a few rows).
 *
 * <p>The threshold is {@value #ENTRIES_BEFORE_REFRESH} entries created since the last refresh,
 * in one call or summed over calls. ANALYZE samples a fixed 30,000 rows per table, so it costs a
 * few hundred milliseconds whatever the ledger's size: under a tenth of the time it takes to post
 * that many entries, while fewer new rows than that barely move a plan. A call that itself posts
 * that many waits for the refresh (its caller is about to query, and a CLI process exits next); a
 * small post that crosses the threshold hands it to a background thread, off its commit path.
 */
final class StatisticsRefresh {
  static final int ENTRIES_BEFORE_REFRESH = 10_000;

  private final DataSource dataSource;
  private final AtomicLong sinceRefresh = new AtomicLong();
  private final AtomicBoolean refreshing = new AtomicBoolean();

  StatisticsRefresh(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Called after a batch committed, with the number of entries it created. */
  void afterCommit(long created) {
    if (created <= 0) {
      return;
    }
    long pending = sinceRefresh.addAndGet(created);
    if (pending < ENTRIES_BEFORE_REFRESH || !refreshing.compareAndSet(false, true)) {
      return;
    }
    if (created >= ENTRIES_BEFORE_REFRESH) {
      refresh(pending);
    } else {
      Thread background = new Thread(() -> refresh(pending), "ledger-statistics");
      background.setDaemon(true);
      background.start();
    }
  }

  private void refresh(long pending) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        // Never queue behind a VACUUM, an index build or another writer's refresh.
        s.execute("SET LOCAL lock_timeout = '2s'");
        // ANALYZE needs the tables' owner; ledger_app (every pooled connection) may only ask the
        // owner's function for it.
        s.execute("SELECT ledger_refresh_statistics()");
        c.commit();
        sinceRefresh.addAndGet(-pending);
      } catch (SQLException e) {
        c.rollback();
      }
    } catch (SQLException | RuntimeException e) {
      // Statistics only steer plans and autovacuum still runs: a committed post never fails for
      // them, and the count stays so that the next post tries again.
    } finally {
      refreshing.set(false);
    }
  }
}
