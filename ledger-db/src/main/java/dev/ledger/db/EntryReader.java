package dev.ledger.db;

import dev.ledger.journal.Entry;
import dev.ledger.journal.Pending;
import dev.ledger.journal.Settlement;
import dev.ledger.journal.Posting;
import dev.ledger.journal.RecordedEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;

/** Rebuilds core entries from their rows. */
final class EntryReader {
  private EntryReader() {}

  static Map<String, Entry> byIds(Connection c, PGConnection pg, Collection<String> ids)
      throws SQLException {
    Map<String, Entry> entries = new HashMap<>();
    for (RecordedEntry recorded : recordedByIds(c, pg, ids).values()) {
      entries.put(recorded.id(), recorded.entry());
    }
    return entries;
  }

  static Map<String, RecordedEntry> recordedByIds(Connection c, PGConnection pg, Collection<String> ids)
      throws SQLException {
    record Head(long sequence, String id, OffsetDateTime effectiveAt, OffsetDateTime recordedAt,
        String description, String reversalOf, String[] keys, String[] values, OffsetDateTime expiresAt,
        String settles, String kind) {}
    Map<Long, Head> heads = new LinkedHashMap<>();
    try (PreparedStatement s = c.prepareStatement(HotSql.ENTRIES_BY_IDS)) {
      s.setArray(1, pg.createArrayOf("varchar", ids.toArray(String[]::new)));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          heads.put(rs.getLong(1), new Head(rs.getLong(1), rs.getString(2),
              rs.getObject(3, OffsetDateTime.class), rs.getObject(4, OffsetDateTime.class),
              rs.getString(5), rs.getString(6), (String[]) rs.getArray(7).getArray(),
              (String[]) rs.getArray(8).getArray(), rs.getObject(9, OffsetDateTime.class),
              rs.getString(10), rs.getString(11)));
        }
      }
    }
    Map<String, RecordedEntry> result = new HashMap<>();
    if (heads.isEmpty()) {
      return result;
    }
    Map<Long, List<Posting>> postings = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement(HotSql.POSTINGS_OF_ENTRIES)) {
      s.setArray(1, pg.createArrayOf("bigint", heads.keySet().toArray(Long[]::new)));
      s.setArray(2, pg.createArrayOf("bigint", heads.keySet().toArray(Long[]::new)));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          postings.computeIfAbsent(rs.getLong(1), x -> new ArrayList<>())
              .add(Rows.posting(rs.getString(2), rs.getString(3), rs.getLong(4)));
        }
      }
    }
    for (Head head : heads.values()) {
      Entry entry = Rows.entry(head.id(), head.effectiveAt().toInstant(), head.description(),
          Rows.metadata(head.keys(), head.values()), postings.getOrDefault(head.sequence(), List.of()),
          head.reversalOf(), head.expiresAt() == null ? null : new Pending(head.expiresAt().toInstant()),
          head.settles() == null ? null : new Settlement(head.settles(), Settlement.Kind.parse(head.kind())));
      result.put(head.id(), new RecordedEntry(entry, head.recordedAt().toInstant(), head.sequence()));
    }
    return result;
  }

  /** One entry with its hashes, chain link and reversal links; empty for an unknown id. */
  static java.util.Optional<EntryRecord> record(Connection c, PGConnection pg, String id) throws SQLException {
    RecordedEntry recorded = recordedByIds(c, pg, List.of(id)).get(id);
    if (recorded == null) {
      return java.util.Optional.empty();
    }
    try (PreparedStatement s = c.prepareStatement("""
        SELECT e.content_hash, ch.position, ch.prev_hash, ch.hash, ch.sealed_at,
          (SELECT r.id FROM entries r WHERE r.reversal_of = e.id)
        FROM entries e LEFT JOIN chain ch ON ch.kind = 'entry' AND ch.record_id = e.sequence
        WHERE e.sequence = ?""")) {
      s.setLong(1, recorded.sequence());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return java.util.Optional.empty();
        }
        Long position = rs.getObject(2) == null ? null : rs.getLong(2);
        OffsetDateTime sealedAt = rs.getObject(5, OffsetDateTime.class);
        return java.util.Optional.of(new EntryRecord(recorded, hex(rs.getBytes(1)), position,
            hex(rs.getBytes(3)), hex(rs.getBytes(4)), sealedAt == null ? null : sealedAt.toInstant(),
            rs.getString(6)));
      }
    }
  }

  private static String hex(byte[] bytes) {
    return bytes == null ? null : java.util.HexFormat.of().formatHex(bytes);
  }
}
