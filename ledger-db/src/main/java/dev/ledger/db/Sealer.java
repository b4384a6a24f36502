package dev.ledger.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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

  /** As {@link #sealAll(DataSource)} on a connection; {@code durable} waits for the flush. */
  static long sealAll(Connection c, boolean durable) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    long total = 0;
    try (Statement relax = c.createStatement();
        PreparedStatement seal = c.prepareStatement("SELECT ledger_seal(?)")) {
      seal.setInt(1, RECORDS_PER_SEAL);
      while (true) {
        if (!durable) {
          relax.execute("SET LOCAL synchronous_commit = off");
          // Behind a sealer that hangs, give up: the records stay queued for the next seal.
          relax.execute("SET LOCAL lock_timeout = '5s'");
        }
        int sealed;
        try (ResultSet rs = seal.executeQuery()) {
          rs.next();
          sealed = rs.getInt(1);
        }
        c.commit();
        total += sealed;
        if (sealed < RECORDS_PER_SEAL) {
          return total;
        }
      }
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }
}
