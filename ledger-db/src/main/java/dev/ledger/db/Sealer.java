package dev.ledger.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Extends the hash chain over records committed since the last seal (DESIGN section 3): writers
 * call it after their own commit, so the chain_head lock is never held across a writer's commit.
 * Each call seals in transactions of at most {@value #RECORDS_PER_SEAL} records.
 *
 * <p>A seal commits with {@code synchronous_commit = off}: it only derives links from records that
 * are already durable, and a seal lost in a crash leaves its records queued, to be sealed again with
 * the same positions by the next writer. Nothing is lost, and the seal never waits for a flush.
 */
public final class Sealer {
  static final int RECORDS_PER_SEAL = 10_000;
  /**
   * A ledger seals after its own posts at most once per interval, so that single-entry posts from
   * many threads share one seal instead of paying one each (a seal costs about as much server time
   * as a small post); posts of at least {@value #BULK_ENTRIES} entries seal at once.
   */
  static final long INTERVAL_NANOS = 50_000_000L;
  static final long BULK_ENTRIES = 1_000;

  private final DataSource dataSource;
  private final AtomicLong lastSealNanos = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);
  /** Whether a post committed since the last seal of this ledger without sealing. */
  private final AtomicBoolean pending = new AtomicBoolean();

  /** The seal schedule of one ledger's posts. */
  Sealer(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * After a post of {@code created} entries committed on {@code c}: seals when due. The post is
   * durable already: a seal that fails leaves the records queued for the next seal (verify
   * reports the unsealed tail), so it never fails the post.
   */
  void afterCommit(Connection c, long created) {
    long now = System.nanoTime();
    long last = lastSealNanos.get();
    boolean bulk = created >= BULK_ENTRIES;
    if (!bulk && (now - last < INTERVAL_NANOS || !lastSealNanos.compareAndSet(last, now))) {
      pending.set(true); // not due, or another thread of this ledger is sealing right now
      return;
    }
    pending.set(false);
    sealQuietly(c);
  }

  /** Seals what this ledger's posts left queued within the interval, if any (when it is closed). */
  void sealPending() {
    if (!pending.getAndSet(false)) {
      return;
    }
    lastSealNanos.set(System.nanoTime());
    try (Connection c = dataSource.getConnection()) {
      sealQuietly(c);
    } catch (SQLException | RuntimeException e) {
      // as in afterCommit
    }
  }

  private static void sealQuietly(Connection c) {
    try {
      sealAll(c, false);
    } catch (SQLException | RuntimeException e) {
      // as in afterCommit
    }
  }

  /** Seals everything queued and visible now; returns how many records it sealed. */
  public static long sealAll(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return sealAll(c, false);
    } catch (SQLException | RuntimeException e) {
      throw SqlErrors.translate("Sealing the hash chain", e);
    }
  }

  /**
   * As {@link #sealAll(DataSource)} on a connection outside any transaction: one round trip per
   * {@value #RECORDS_PER_SEAL} records. {@code durable} waits for the flush (a digest is about to be
   * handed out), otherwise the seal commits asynchronously.
   */
  static long sealAll(Connection c, boolean durable) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(true);
    long total = 0;
    try (PreparedStatement seal = c.prepareStatement(HotSql.SEAL)) {
      seal.setInt(1, RECORDS_PER_SEAL);
      seal.setBoolean(2, durable);
      while (true) {
        int sealed;
        try (ResultSet rs = seal.executeQuery()) {
          rs.next();
          sealed = rs.getInt(1);
        }
        total += sealed;
        if (sealed < RECORDS_PER_SEAL) {
          return total;
        }
      }
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }
}
