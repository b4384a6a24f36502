package dev.ledger.db;

import dev.ledger.journal.Entry;
import dev.ledger.journal.Posting;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Recomputes the hash chain and every balance row from the entries and postings alone, in Java,
 * so that rows changed with the triggers disabled are still caught.
 */
final class Verifier {
  private static final int FETCH = 2000;
  private static final int MISMATCHES_MAX = 100;

  private record Problem(String entryId, long sequence, String why) {}

  private Verifier() {}

  static VerifyReport verify(Connection c) throws SQLException {
    c.setAutoCommit(false);
    // One snapshot for every read, and cursors instead of loading the whole ledger.
    try (PreparedStatement iso = c.prepareStatement(
        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")) {
      iso.execute();
    }
    try (PreparedStatement entries = c.prepareStatement("""
            SELECT sequence, id, effective_at, recorded_at, description, reversal_of, posting_count,
              content_hash, prev_hash, hash,
              ARRAY(SELECT key FROM jsonb_each_text(metadata) ORDER BY key),
              ARRAY(SELECT value FROM jsonb_each_text(metadata) ORDER BY key)
            FROM entries ORDER BY sequence""");
        PreparedStatement postings = c.prepareStatement("""
            SELECT entry_sequence, posting_index, account, currency, amount, effective_at, recorded_at
            FROM postings ORDER BY entry_sequence, posting_index""")) {
      entries.setFetchSize(FETCH);
      postings.setFetchSize(FETCH);
      try (ResultSet e = entries.executeQuery(); ResultSet p = postings.executeQuery()) {
        VerifyReport report = walk(c, e, p);
        c.commit();
        return report;
      }
    } finally {
      c.rollback();
    }
  }

  private static VerifyReport walk(Connection c, ResultSet e, ResultSet p) throws SQLException {
    Map<String, long[]> balances = new TreeMap<>();
    Map<String, Object[]> days = new TreeMap<>();
    byte[] previous = Rows.ZERO_HASH;
    long expected = 1;
    long checked = 0;
    Problem problem = null;
    boolean postingPending = p.next();
    while (e.next()) {
      long sequence = e.getLong(1);
      String id = e.getString(2);
      Instant effectiveAt = e.getObject(3, OffsetDateTime.class).toInstant();
      Instant recordedAt = e.getObject(4, OffsetDateTime.class).toInstant();
      List<Posting> entryPostings = new ArrayList<>();
      String postingProblem = null;
      while (postingPending && p.getLong(1) <= sequence) {
        if (p.getLong(1) < sequence) {
          postingProblem = postingProblem != null ? postingProblem
              : "postings of a missing entry with sequence " + p.getLong(1) + " precede it";
        } else {
          Instant pEffective = p.getObject(6, OffsetDateTime.class).toInstant();
          Instant pRecorded = p.getObject(7, OffsetDateTime.class).toInstant();
          if (!pEffective.equals(effectiveAt) || !pRecorded.equals(recordedAt)) {
            postingProblem = "posting " + p.getInt(2) + " carries other times than its entry";
          }
          if (p.getLong(5) == 0) {
            postingProblem = "posting " + p.getInt(2) + " has a zero amount";
          } else {
            entryPostings.add(Rows.posting(p.getString(3), p.getString(4), p.getLong(5)));
          }
          accumulate(balances, days, p.getString(3), p.getString(4), p.getLong(5), pEffective, pRecorded);
        }
        postingPending = p.next();
      }
      if (problem == null) {
        String why = null;
        if (sequence != expected) {
          why = sequence > expected
              ? "entries with sequence " + expected + (sequence - 1 > expected ? ".." + (sequence - 1) : "")
                  + " are missing before it"
              : "sequence out of order";
        } else if (postingProblem != null) {
          why = postingProblem;
        } else if (entryPostings.size() != e.getInt(7)) {
          why = "has " + entryPostings.size() + " postings, the entry row says " + e.getInt(7);
        }
        byte[] contentHash = null;
        if (why == null) {
          try {
            Entry entry = Rows.entry(id, effectiveAt, e.getString(5),
                Rows.metadata((String[]) e.getArray(11).getArray(), (String[]) e.getArray(12).getArray()),
                entryPostings, e.getString(6));
            contentHash = Rows.contentHash(entry.canonical());
          } catch (IllegalArgumentException invalid) {
            why = "content is not a valid entry: " + invalid.getMessage();
          }
        }
        if (why == null && !Arrays.equals(contentHash, e.getBytes(8))) {
          why = "content does not match its stored hash (altered)";
        }
        if (why == null && !Arrays.equals(previous, e.getBytes(9))) {
          why = "previous-hash link does not match the entry before it (reordered, removed or inserted)";
        }
        if (why == null && !Arrays.equals(Rows.chainHash(previous, sequence, recordedAt, contentHash),
            e.getBytes(10))) {
          why = "chain hash does not match its content, position and recording time";
        }
        if (why != null) {
          problem = new Problem(id, sequence, why);
        }
      }
      previous = e.getBytes(10);
      expected = sequence + 1;
      checked++;
    }
    if (problem == null && postingPending) {
      problem = new Problem(null, p.getLong(1), "postings exist for sequence " + p.getLong(1)
          + " after the last entry");
    }
    if (problem == null) {
      problem = checkHead(c, expected - 1, previous);
    }
    List<String> mismatches = new ArrayList<>();
    compareBalances(c, balances, mismatches);
    compareDays(c, days, mismatches);
    boolean ok = problem == null && mismatches.isEmpty();
    return new VerifyReport(ok, checked, problem == null ? null : problem.entryId(),
        problem == null ? null : problem.sequence(), problem == null ? null : problem.why(), mismatches);
  }

  private static Problem checkHead(Connection c, long last, byte[] lastHash) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT last_sequence, last_hash FROM chain_head WHERE id = 1"); ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        return new Problem(null, last, "the chain head row is missing");
      }
      if (rs.getLong(1) != last) {
        return new Problem(null, rs.getLong(1), "the chain head says the last entry is sequence "
            + rs.getLong(1) + " but the last stored entry is " + last
            + (rs.getLong(1) > last ? " (entries removed at the end)" : " (entries appended outside the ledger)"));
      }
      if (!Arrays.equals(rs.getBytes(2), lastHash)) {
        return new Problem(null, last, "the chain head hash does not match the last entry");
      }
      return null;
    }
  }

  private static void accumulate(Map<String, long[]> balances, Map<String, Object[]> days, String account,
      String currency, long amount, Instant effectiveAt, Instant recordedAt) {
    int side = amount > 0 ? 0 : 1;
    balances.computeIfAbsent(account + " " + currency, k -> new long[2])[side] += Math.abs(amount);
    Object[] day = days.computeIfAbsent(account + " " + currency + " " + Rows.day(effectiveAt),
        k -> new Object[] {new long[2], recordedAt, recordedAt});
    ((long[]) day[0])[side] += Math.abs(amount);
    if (recordedAt.isBefore((Instant) day[1])) {
      day[1] = recordedAt;
    }
    if (recordedAt.isAfter((Instant) day[2])) {
      day[2] = recordedAt;
    }
  }

  private static void compareBalances(Connection c, Map<String, long[]> computed, List<String> out)
      throws SQLException {
    Map<String, long[]> remaining = new HashMap<>(computed);
    try (PreparedStatement s = c.prepareStatement("SELECT account, currency, debits, credits FROM balances")) {
      s.setFetchSize(FETCH);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String key = rs.getString(1) + " " + rs.getString(2);
          long[] expected = remaining.remove(key);
          long[] stored = {rs.getLong(3), rs.getLong(4)};
          if (expected == null ? stored[0] != 0 || stored[1] != 0 : !Arrays.equals(expected, stored)) {
            add(out, "balance " + key + ": stored debits/credits " + stored[0] + "/" + stored[1]
                + ", postings give " + (expected == null ? "0/0" : expected[0] + "/" + expected[1]));
          }
        }
      }
    }
    remaining.forEach((key, expected) -> add(out, "balance " + key + ": row missing, postings give "
        + expected[0] + "/" + expected[1]));
  }

  private static void compareDays(Connection c, Map<String, Object[]> computed, List<String> out)
      throws SQLException {
    Map<String, Object[]> remaining = new HashMap<>(computed);
    try (PreparedStatement s = c.prepareStatement("""
        SELECT account, currency, day, debits, credits, min_recorded_at, max_recorded_at
        FROM balance_days""")) {
      s.setFetchSize(FETCH);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String key = rs.getString(1) + " " + rs.getString(2) + " "
              + rs.getObject(3, OffsetDateTime.class).toInstant();
          Object[] expected = remaining.remove(key);
          long[] stored = {rs.getLong(4), rs.getLong(5)};
          Instant min = rs.getObject(6, OffsetDateTime.class).toInstant();
          Instant max = rs.getObject(7, OffsetDateTime.class).toInstant();
          boolean same = expected != null && Arrays.equals((long[]) expected[0], stored)
              && Objects.equals(expected[1], min) && Objects.equals(expected[2], max);
          if (!same) {
            add(out, "daily checkpoint " + key + ": stored debits/credits " + stored[0] + "/" + stored[1]
                + " disagree with the postings");
          }
        }
      }
    }
    remaining.keySet().forEach(key -> add(out, "daily checkpoint " + key + ": row missing"));
  }

  private static void add(List<String> out, String mismatch) {
    if (out.size() < MISMATCHES_MAX) {
      out.add(mismatch);
    }
  }
}
