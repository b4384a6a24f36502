package dev.ledger.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Extends the hash chain over records committed since the last seal (DESIGN section 3), always
 * after the writer's commit, so the chain_head lock is never held across a writer's commit. Each
 * call seals in transactions of at most {@value #RECORDS_PER_SEAL} records.
 *
 * <p>A post of at least {@value #BULK_ENTRIES} entries seals at once on its own connection (its
 * caller is about to read or exit). After smaller posts the seal is handed to one background
 * thread, at most once per {@link #INTERVAL_NANOS interval}: single-entry posts from many threads
 * then share one seal instead of paying one each (a seal costs about as much server time as a small
 * post), and no post waits for a seal, so the seal stays out of the posts' latency. Every committed
 * record is sealed within about one interval; {@link #sealPending} seals the rest at once.
 *
 * <p>A seal commits with {@code synchronous_commit = off}: it only derives links from records that
 * are already durable, and a seal lost in a crash leaves its records queued, to be sealed again with
 * the same positions by the next seal. Nothing is lost, and the seal never waits for a flush.
 */
public final class Sealer {
  static final int RECORDS_PER_SEAL = 10_000;
  static final long INTERVAL_NANOS = 50_000_000L;
  static final long BULK_ENTRIES = 1_000;
  /** One daemon thread seals for every ledger of the process; a seal takes a millisecond or two. */
  private static final ScheduledExecutorService BACKGROUND = Executors.newSingleThreadScheduledExecutor(run -> {
    Thread thread = new Thread(run, "ledger-sealer");
    thread.setDaemon(true);
    return thread;
  });

  private final DataSource dataSource;
  private final AtomicLong lastSealNanos = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);
  /** Whether a post committed since the last seal of this ledger began. */
  private final AtomicBoolean pending = new AtomicBoolean();
  /** Whether a background seal of this ledger is scheduled and has not begun. */
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Object sealing = new Object();

  /** The seal schedule of one ledger's posts. */
  Sealer(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * After a post of {@code created} entries committed on {@code c}: seals now (bulk) or schedules
   * a background seal. The post is durable already: a seal that fails leaves the records queued for
   * the next seal (verify reports the unsealed tail), so it never fails the post.
   */
  void afterCommit(Connection c, long created) {
    if (created >= BULK_ENTRIES) {
      pending.set(false);
      synchronized (sealing) {
        lastSealNanos.set(System.nanoTime());
        sealQuietly(c);
      }
      return;
    }
    pending.set(true);
    if (scheduled.compareAndSet(false, true)) {
      long wait = Math.max(0, lastSealNanos.get() + INTERVAL_NANOS - System.nanoTime());
      try {
        BACKGROUND.schedule(this::sealInBackground, wait, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        scheduled.set(false); // the JVM is shutting down: sealPending or the next writer seals
      }
    }
  }

  private void sealInBackground() {
    scheduled.set(false);
    sealPending();
  }

  /** Seals what this ledger's posts left queued, if any (when it is closed, and in the background). */
  void sealPending() {
    synchronized (sealing) {
      if (!pending.getAndSet(false)) {
        return;
      }
      lastSealNanos.set(System.nanoTime());
      try (Connection c = dataSource.getConnection()) {
        sealQuietly(c);
      } catch (SQLException | RuntimeException e) {
        // as in afterCommit (also: the pool was closed under a scheduled seal)
      }
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
