package dev.ledger.db;

import dev.ledger.journal.BatchResult;
import dev.ledger.journal.Entry;
import dev.ledger.journal.PostStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Refreshes the planner's statistics on the hot tables after bulk loads (DESIGN section 3).
 * Autovacuum analyzes only after up to a minute's nap and 10% of a table changed; a reconcile that
 * runs right after a large post would otherwise be planned for the tables as they were before it
 * (a nested loop over what it believes are a few rows).
 *
 * <p>The threshold counts rows written (an entry and each of its postings), since entries differ in
 * size by two orders of magnitude: {@value #ROWS_BEFORE_REFRESH} rows, or half the rows this ledger
 * had written by the last refresh if that is more (plans change with the tables' proportions, so a
 * growing load refreshes a logarithmic number of times). ANALYZE samples a fixed 30,000 rows per
 * table, so it costs a few hundred milliseconds whatever the ledger's size. A call that itself
 * writes that many rows waits for the refresh, which runs beside its seal (its caller is about to
 * query, and a CLI process exits next); a small post that crosses the threshold hands it to a
 * background thread, off its commit path.
 */
final class StatisticsRefresh {
  static final int ROWS_BEFORE_REFRESH = 30_000;

  private final DataSource dataSource;
  private final AtomicLong sinceRefresh = new AtomicLong();
  /** Rows this ledger had written when its last refresh began. */
  private final AtomicLong atRefresh = new AtomicLong();
  private final AtomicBoolean refreshing = new AtomicBoolean();

  StatisticsRefresh(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Called after a batch committed, with the number of rows (entries and postings) it created, and
   * the seal that follows the commit. A refresh that this call itself made due runs beside the seal
   * on a second connection, and the call returns when both are done: on the server they are
   * independent (ANALYZE takes no lock that the seal's writes wait for), and the client waits for
   * both anyway.
   */
  void afterCommit(long rows, Runnable seal) {
    long pending = rows > 0 ? sinceRefresh.addAndGet(rows) : 0;
    if (pending < Math.max(ROWS_BEFORE_REFRESH, atRefresh.get() / 2) || !refreshing.compareAndSet(false, true)) {
      seal.run();
      return;
    }
    atRefresh.addAndGet(pending);
    Thread background = new Thread(() -> refresh(pending), "ledger-statistics");
    background.setDaemon(true);
    background.start();
    seal.run();
    if (rows >= ROWS_BEFORE_REFRESH) {
      try {
        background.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the refresh goes on; the caller is being stopped
      }
    }
  }

  /** The rows (entries and their postings) of the entries of {@code batch} that were created. */
  static long rowsCreated(List<Entry> batch, BatchResult result) {
    long rows = 0;
    for (int i = 0; i < batch.size(); i++) {
      if (result.results().get(i).status() == PostStatus.CREATED) {
        rows += 1 + batch.get(i).postings().size();
      }
    }
    return rows;
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
