package dev.ledger.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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

  private Sealer() {}

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
