package dev.ledger.db;

import dev.ledger.journal.Entry;
import dev.ledger.journal.Posting;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What a superuser can do to cover tracks: with every trigger off (session_replication_role),
 * run raw SQL, then recompute every content hash, chain link, the chain head, the balances and
 * the daily checkpoints so that the ledger is consistent in itself again. Only a digest kept
 * outside the database can tell.
 */
public final class Tampering {
  private Tampering() {}

  /** Runs {@code statements} as a superuser with triggers off, then re-hashes everything. */
  public static void rewriteAndRehash(String database, String... statements) {
    try (Connection c = TestDatabases.superuser(database)) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SET LOCAL session_replication_role = replica");
        for (String sql : statements) {
          s.execute(sql);
        }
      }
      rehash(c);
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code statements} as a superuser with every trigger off, and nothing else. */
  public static void asSuperuser(String database, String... statements) {
    try (Connection c = TestDatabases.superuser(database)) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SET LOCAL session_replication_role = replica");
        for (String sql : statements) {
          s.execute(sql);
        }
      }
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes the entries after {@code keep} and rewinds the chain head and balances to match. */
  public static void cutTailAfter(String database, long keep) {
    rewriteAndRehash(database, "DELETE FROM postings WHERE entry_sequence > " + keep,
        "DELETE FROM entries WHERE sequence > " + keep);
  }

  private static void rehash(Connection c) throws SQLException {
    record Row(long sequence, Instant recordedAt, byte[] contentHash) {}
    List<Row> rows = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet e = s.executeQuery("""
        SELECT sequence, id, effective_at, recorded_at, description, reversal_of,
          ARRAY(SELECT key FROM jsonb_each_text(metadata) ORDER BY key),
          ARRAY(SELECT value FROM jsonb_each_text(metadata) ORDER BY key)
        FROM entries ORDER BY sequence""")) {
      while (e.next()) {
        List<Posting> postings = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
            "SELECT account, currency, amount FROM postings WHERE entry_sequence = ? ORDER BY posting_index")) {
          p.setLong(1, e.getLong(1));
          try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
              postings.add(Rows.posting(rs.getString(1), rs.getString(2), rs.getLong(3)));
            }
          }
        }
        Entry entry = Rows.entry(e.getString(2), e.getObject(3, OffsetDateTime.class).toInstant(),
            e.getString(5), Rows.metadata((String[]) e.getArray(7).getArray(), (String[]) e.getArray(8).getArray()),
            postings, e.getString(6));
        rows.add(new Row(e.getLong(1), e.getObject(4, OffsetDateTime.class).toInstant(),
            Rows.contentHash(entry.canonical())));
      }
    }
    byte[] previous = Rows.ZERO_HASH;
    long last = 0;
    Instant lastRecorded = Instant.EPOCH;
    try (PreparedStatement u = c.prepareStatement(
        "UPDATE entries SET content_hash = ?, prev_hash = ?, hash = ? WHERE sequence = ?")) {
      for (Row row : rows) {
        byte[] hash = Rows.chainHash(previous, row.sequence(), row.recordedAt(), row.contentHash());
        u.setBytes(1, row.contentHash());
        u.setBytes(2, previous);
        u.setBytes(3, hash);
        u.setLong(4, row.sequence());
        u.executeUpdate();
        previous = hash;
        last = row.sequence();
        lastRecorded = row.recordedAt();
      }
    }
    try (PreparedStatement h = c.prepareStatement(
        "UPDATE chain_head SET last_sequence = ?, last_hash = ?, last_recorded_at = ? WHERE id = 1")) {
      h.setLong(1, last);
      h.setBytes(2, previous);
      h.setObject(3, Rows.time(lastRecorded));
      h.executeUpdate();
    }
    try (Statement s = c.createStatement()) {
      s.execute("DELETE FROM balances");
      s.execute("""
          INSERT INTO balances (account, currency, debits, credits)
          SELECT account, currency, sum(greatest(amount, 0)), sum(greatest(-amount, 0))
          FROM postings GROUP BY account, currency""");
      s.execute("DELETE FROM balance_days");
      s.execute("""
          INSERT INTO balance_days (account, currency, day, debits, credits, min_recorded_at, max_recorded_at)
          SELECT account, currency, date_trunc('day', effective_at, 'UTC'), sum(greatest(amount, 0)),
            sum(greatest(-amount, 0)), min(recorded_at), max(recorded_at)
          FROM postings GROUP BY account, currency, date_trunc('day', effective_at, 'UTC')""");
    }
  }
}
