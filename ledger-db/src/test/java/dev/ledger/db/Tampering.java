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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a superuser can do to cover tracks: with every trigger off (session_replication_role),
 * run raw SQL, then recompute every content hash, rebuild the whole chain and its head, the
 * balances, the daily checkpoints and their versions so that the ledger is consistent in itself
 * again. Only a digest kept outside the database can tell.
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

  /** Deletes the entries after {@code keep} and rebuilds the chain, its head and balances to match. */
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
    try (PreparedStatement u = c.prepareStatement("UPDATE entries SET content_hash = ? WHERE sequence = ?")) {
      for (Row row : rows) {
        u.setBytes(1, row.contentHash());
        u.setLong(2, row.sequence());
        u.executeUpdate();
      }
    }
    // The chain rebuilt from scratch in its old order (then the queue's), with the old recording
    // times, new content hashes, and without the records that no longer exist.
    Map<Long, byte[]> entryHashes = new LinkedHashMap<>();
    Map<Long, Instant> entryRecorded = new HashMap<>();
    rows.forEach(row -> {
      entryHashes.put(row.sequence(), row.contentHash());
      entryRecorded.put(row.sequence(), row.recordedAt());
    });
    Map<Long, byte[]> accountHashes = new LinkedHashMap<>();
    try (Statement s = c.createStatement(); ResultSet a = s.executeQuery(
        "SELECT id, code, type, no_overdraft FROM accounts ORDER BY id")) {
      while (a.next()) {
        accountHashes.put(a.getLong(1), Verifier.accountHash(a.getString(2), a.getString(3), a.getBoolean(4)));
      }
    }
    record Link(String kind, long id, Instant recordedAt, byte[] contentHash) {}
    List<Link> links = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet old = s.executeQuery("""
        SELECT kind, record_id, recorded_at, content_hash FROM (
          SELECT kind, record_id, recorded_at, content_hash, 0 AS q, position AS o FROM chain
          UNION ALL SELECT kind, record_id, recorded_at, content_hash, 1, id FROM seal_queue) x
        ORDER BY q, o""")) {
      while (old.next()) {
        String kind = old.getString(1);
        long id = old.getLong(2);
        byte[] content = switch (kind) {
          case "entry" -> entryHashes.remove(id);
          case "account" -> accountHashes.remove(id);
          default -> old.getBytes(4);
        };
        if (content != null) {
          links.add(new Link(kind, id, "entry".equals(kind) ? entryRecorded.get(id)
              : old.getObject(3, OffsetDateTime.class).toInstant(), content));
        }
      }
    }
    accountHashes.forEach((id, hash) -> links.add(new Link("account", id, Instant.EPOCH, hash)));
    entryHashes.forEach((id, hash) -> links.add(new Link("entry", id, entryRecorded.get(id), hash)));
    try (Statement s = c.createStatement()) {
      s.execute("DELETE FROM chain");
      s.execute("DELETE FROM seal_queue");
    }
    byte[] previous = Rows.ZERO_HASH;
    long position = 0;
    Instant lastRecorded = Instant.EPOCH;
    try (PreparedStatement u = c.prepareStatement("""
        INSERT INTO chain (position, kind, record_id, recorded_at, content_hash, prev_hash, hash, sealed_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, now())""")) {
      for (Link link : links) {
        position++;
        byte[] hash = Rows.chainHash(previous, position, link.recordedAt(), link.contentHash());
        u.setLong(1, position);
        u.setString(2, link.kind());
        u.setLong(3, link.id());
        u.setObject(4, Rows.time(link.recordedAt()));
        u.setBytes(5, link.contentHash());
        u.setBytes(6, previous);
        u.setBytes(7, hash);
        u.executeUpdate();
        previous = hash;
        lastRecorded = link.recordedAt();
      }
    }
    try (PreparedStatement h = c.prepareStatement(
        "UPDATE chain_head SET last_sequence = ?, last_hash = ?, last_recorded_at = ? WHERE id = 1")) {
      h.setLong(1, position);
      h.setBytes(2, previous);
      h.setObject(3, Rows.time(lastRecorded));
      h.executeUpdate();
    }
    try (Statement s = c.createStatement()) {
      s.execute("DELETE FROM balances");
      s.execute("""
          INSERT INTO balances (account, currency, debits, credits, posting_count, checkpointed)
          SELECT account, currency, sum(greatest(amount, 0)), sum(greatest(-amount, 0)), count(*), true
          FROM postings GROUP BY account, currency""");
      s.execute("DELETE FROM balance_days");
      s.execute("""
          INSERT INTO balance_days (account, currency, day, debits, credits, min_recorded_at, max_recorded_at)
          SELECT account, currency, date_trunc('day', effective_at, 'UTC'), sum(greatest(amount, 0)),
            sum(greatest(-amount, 0)), min(recorded_at), max(recorded_at)
          FROM postings GROUP BY account, currency, date_trunc('day', effective_at, 'UTC')""");
      s.execute("DELETE FROM balance_day_versions");
      s.execute("""
          INSERT INTO balance_day_versions (account, currency, day, recorded_at, debits, credits)
          SELECT account, currency, day, recorded_at, sum(d) OVER w, sum(c) OVER w
          FROM (SELECT account, currency, day, recorded_at, d, c,
                  count(*) OVER (PARTITION BY account, currency, day) AS times
                FROM (SELECT account, currency, date_trunc('day', effective_at, 'UTC') AS day, recorded_at,
                        sum(greatest(amount, 0)) AS d, sum(greatest(-amount, 0)) AS c
                      FROM postings GROUP BY 1, 2, 3, 4) per_time) t
          WHERE times > 1
          WINDOW w AS (PARTITION BY account, currency, day ORDER BY recorded_at)""");
    }
  }
}
