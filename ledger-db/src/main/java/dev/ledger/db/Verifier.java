package dev.ledger.db;

import dev.ledger.account.AccountCode;
import dev.ledger.account.Side;
import dev.ledger.journal.Entry;
import dev.ledger.journal.Posting;
import dev.ledger.money.Amounts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Recomputes the hash chain and every balance row from the entries and postings alone, in Java,
 * so that rows changed with the triggers disabled are still caught. Account rows are checked
 * against their codes and their no_overdraft flags against the balances replayed in sequence order
 * (the order in which the ledger checked them). With digests, the chain is also recomputed from
 * content alone and compared with each digest: a superuser can re-hash a rewritten history so that
 * it is consistent in itself, but cannot make it reproduce a hash that an auditor kept outside.
 */
final class Verifier {
  private static final int FETCH = 2000;
  private static final int MISMATCHES_MAX = 100;

  private record Problem(String entryId, long sequence, String why) {}

  private Verifier() {}

  static VerifyReport verify(Connection c) throws SQLException {
    return verify(c, null);
  }

  static VerifyReport verify(Connection c, DigestFile digests) throws SQLException {
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
      Walk walk = new Walk(digests);
      walk.readAccounts(c);
      try (ResultSet e = entries.executeQuery(); ResultSet p = postings.executeQuery()) {
        VerifyReport report = walk.run(c, e, p);
        c.commit();
        return report;
      }
    } finally {
      c.rollback();
    }
  }

  /** The state of one pass over the ledger. */
  private static final class Walk {
    private final DigestFile digests;
    private final Map<Long, List<DigestFile.Line>> digestsAt = new HashMap<>();
    private final TreeMap<Long, VerifyReport.DigestViolation> digestViolations = new TreeMap<>();
    private final Set<String> accounts = new HashSet<>();
    /** Normal side of each no_overdraft account: only their running balances are replayed. */
    private final Map<String, Side> noOverdraft = new HashMap<>();
    private final Map<String, Long> running = new HashMap<>();
    private final Set<String> reported = new HashSet<>();
    /** Account and currency keys whose sums overflowed: reported once, no longer compared. */
    private final Set<String> overflowed = new HashSet<>();
    private final Map<String, long[]> balances = new TreeMap<>();
    private final Map<String, Object[]> days = new TreeMap<>();
    private final List<String> accountViolations = new ArrayList<>();

    Walk(DigestFile digests) {
      this.digests = digests;
      if (digests != null) {
        for (DigestFile.Line line : digests.lines()) {
          digestsAt.computeIfAbsent(line.digest().sequence(), k -> new ArrayList<>()).add(line);
        }
      }
    }

    void readAccounts(Connection c) throws SQLException {
      try (PreparedStatement s = c.prepareStatement("SELECT code, type, no_overdraft FROM accounts ORDER BY code")) {
        s.setFetchSize(FETCH);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            String code = rs.getString(1);
            accounts.add(code);
            AccountCode parsed;
            try {
              parsed = AccountCode.parse(code);
            } catch (IllegalArgumentException invalid) {
              add(accountViolations, "account " + code + ": not a valid account code: " + invalid.getMessage());
              continue;
            }
            String derived = parsed.type().segment();
            if (!derived.equals(rs.getString(2))) {
              add(accountViolations, "account " + code + ": stored type '" + rs.getString(2)
                  + "' disagrees with its code, which makes it '" + derived + "' (altered)");
            }
            if (rs.getBoolean(3)) {
              noOverdraft.put(code, parsed.normalSide());
            }
          }
        }
      }
    }

    VerifyReport run(Connection c, ResultSet e, ResultSet p) throws SQLException {
      byte[] previous = Rows.ZERO_HASH;
      // The chain recomputed from content alone; null from the first entry that cannot be.
      byte[] recomputed = Rows.ZERO_HASH;
      String unrecomputable = null;
      checkDigests(0, null, recomputed, null);
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
        Map<String, Long> entryDeltas = null;
        String postingProblem = null;
        while (postingPending && p.getLong(1) <= sequence) {
          if (p.getLong(1) < sequence) {
            postingProblem = postingProblem != null ? postingProblem
                : "postings of a missing entry with sequence " + p.getLong(1) + " precede it";
          } else {
            String account = p.getString(3);
            String currency = p.getString(4);
            long amount = p.getLong(5);
            Instant pEffective = p.getObject(6, OffsetDateTime.class).toInstant();
            Instant pRecorded = p.getObject(7, OffsetDateTime.class).toInstant();
            if (!pEffective.equals(effectiveAt) || !pRecorded.equals(recordedAt)) {
              postingProblem = "posting " + p.getInt(2) + " carries other times than its entry";
            }
            if (amount == 0) {
              postingProblem = "posting " + p.getInt(2) + " has a zero amount";
            } else if (amount == Long.MIN_VALUE) {
              postingProblem = "posting " + p.getInt(2) + " has an amount out of range";
            } else {
              try {
                entryPostings.add(Rows.posting(account, currency, amount));
              } catch (IllegalArgumentException invalid) {
                postingProblem = "posting " + p.getInt(2) + " is not valid: " + invalid.getMessage();
              }
            }
            if (!accounts.contains(account) && reported.add("row " + account)) {
              add(accountViolations, "account " + account + ": has postings (first in entry " + id
                  + ", sequence " + sequence + ") but no account row (removed)");
            }
            accumulate(account, currency, amount, pEffective, pRecorded, id, sequence);
            if (noOverdraft.containsKey(account)) {
              entryDeltas = entryDeltas == null ? new TreeMap<>() : entryDeltas;
              String key = account + " " + currency;
              try {
                entryDeltas.merge(key, amount, Math::addExact);
              } catch (ArithmeticException wrapped) {
                overflow(key, id, sequence);
              }
            }
          }
          postingPending = p.next();
        }
        if (entryDeltas != null) {
          replayNoOverdraft(entryDeltas, id, sequence);
        }
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
        // The content hash is recomputed for every entry, also after a problem, so that digests
        // beyond it are still checked.
        byte[] contentHash = null;
        String invalidContent = postingProblem;
        if (postingProblem == null) {
          try {
            Entry entry = Rows.entry(id, effectiveAt, e.getString(5),
                Rows.metadata((String[]) e.getArray(11).getArray(), (String[]) e.getArray(12).getArray()),
                entryPostings, e.getString(6));
            contentHash = Rows.contentHash(entry.canonical());
          } catch (IllegalArgumentException invalid) {
            invalidContent = "content is not a valid entry: " + invalid.getMessage();
          }
        }
        if (why == null && contentHash == null) {
          why = invalidContent;
        }
        if (why == null && !Arrays.equals(contentHash, e.getBytes(8))) {
          why = "content does not match its stored hash (altered)";
        }
        if (why == null && !Arrays.equals(previous, e.getBytes(9))) {
          why = "previous-hash link does not match the entry before it (reordered, removed or inserted)";
        }
        byte[] linked = contentHash == null ? null : Rows.chainHash(previous, sequence, recordedAt, contentHash);
        if (why == null && !Arrays.equals(linked, e.getBytes(10))) {
          why = "chain hash does not match its content, position and recording time";
        }
        if (problem == null && why != null) {
          problem = new Problem(id, sequence, why);
        }
        if (recomputed != null && contentHash == null) {
          recomputed = null;
          unrecomputable = "entry " + id + " (sequence " + sequence + ") cannot be recomputed: " + invalidContent;
        } else if (recomputed != null) {
          // While the stored links agree with the recomputed chain (always, on an intact ledger),
          // the link just checked is the recomputed one: no second hash per entry.
          recomputed = Arrays.equals(recomputed, previous) ? linked
              : Rows.chainHash(recomputed, sequence, recordedAt, contentHash);
        }
        checkDigests(sequence, id, recomputed, unrecomputable);
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
      long last = expected - 1;
      digestsAt.forEach((sequence, lines) -> {
        for (DigestFile.Line line : lines) {
          digestViolations.put(line.number(), new VerifyReport.DigestViolation(digests.where(line), sequence,
              sequence > last
                  ? "the tail was cut: the ledger ends at sequence " + last + ", below this digest"
                  : "history up to it was rewritten: no entry has sequence " + sequence + " any more"));
        }
      });
      List<String> mismatches = new ArrayList<>();
      compareBalances(c, mismatches);
      compareDays(c, mismatches);
      VerifyReport.DigestViolation digest = digestViolations.isEmpty() ? null
          : digestViolations.firstEntry().getValue();
      boolean ok = problem == null && mismatches.isEmpty() && accountViolations.isEmpty() && digest == null;
      return new VerifyReport(ok, checked, problem == null ? null : problem.entryId(),
          problem == null ? null : problem.sequence(), problem == null ? null : problem.why(), mismatches,
          accountViolations, digests == null ? 0 : digests.lines().size(), digest);
    }

    /** Compares the digests taken at {@code sequence} with the chain recomputed up to it. */
    private void checkDigests(long sequence, String id, byte[] recomputed, String unrecomputable) {
      List<DigestFile.Line> lines = digestsAt.remove(sequence);
      if (lines == null) {
        return;
      }
      for (DigestFile.Line line : lines) {
        String why = null;
        if (recomputed == null) {
          why = "history up to it was altered: " + unrecomputable;
        } else if (!HexFormat.of().formatHex(recomputed).equals(line.digest().hash())) {
          why = sequence == 0
              ? "sequence 0 is the empty ledger, whose hash is 64 zeros"
              : "history up to it was rewritten: entry " + id + " at sequence " + sequence
                  + " now recomputes to hash " + HexFormat.of().formatHex(recomputed);
        }
        if (why != null) {
          digestViolations.put(line.number(),
              new VerifyReport.DigestViolation(digests.where(line), sequence, why));
        }
      }
    }

    /** Adds one entry's deltas to the no_overdraft balances, as the ledger checked them: per entry. */
    private void replayNoOverdraft(Map<String, Long> entryDeltas, String id, long sequence) {
      for (Map.Entry<String, Long> delta : entryDeltas.entrySet()) {
        String key = delta.getKey();
        if (overflowed.contains(key)) {
          continue;
        }
        long balance;
        try {
          balance = Math.addExact(running.getOrDefault(key, 0L), delta.getValue());
        } catch (ArithmeticException wrapped) {
          overflow(key, id, sequence);
          continue;
        }
        running.put(key, balance);
        String account = key.substring(0, key.indexOf(' '));
        long normal = noOverdraft.get(account) == Side.DEBIT ? balance : -balance;
        if (normal < 0 && reported.add("overdraft " + key)) {
          String currency = key.substring(key.indexOf(' ') + 1);
          add(accountViolations, "account " + account + " is no_overdraft but its " + currency
              + " balance goes below zero at entry " + id + " (sequence " + sequence + "): "
              + format(normal, currency) + " (the flag was changed or an entry forged)");
        }
      }
    }

    private void accumulate(String account, String currency, long amount, Instant effectiveAt,
        Instant recordedAt, String id, long sequence) {
      String key = account + " " + currency;
      if (overflowed.contains(key)) {
        return;
      }
      int side = amount > 0 ? 0 : 1;
      Object[] day = days.computeIfAbsent(key + " " + Rows.day(effectiveAt),
          k -> new Object[] {new long[2], recordedAt, recordedAt});
      long[] total = balances.computeIfAbsent(key, k -> new long[2]);
      try {
        long magnitude = Math.absExact(amount);
        long[] daily = (long[]) day[0];
        long newTotal = Math.addExact(total[side], magnitude);
        long newDaily = Math.addExact(daily[side], magnitude);
        total[side] = newTotal;
        daily[side] = newDaily;
      } catch (ArithmeticException wrapped) {
        overflow(key, id, sequence);
        return;
      }
      if (recordedAt.isBefore((Instant) day[1])) {
        day[1] = recordedAt;
      }
      if (recordedAt.isAfter((Instant) day[2])) {
        day[2] = recordedAt;
      }
    }

    private void overflow(String key, String id, long sequence) {
      if (overflowed.add(key)) {
        String account = key.substring(0, key.indexOf(' '));
        String currency = key.substring(key.indexOf(' ') + 1);
        add(accountViolations, "account " + account + ": the " + currency + " sum overflows a 64-bit"
            + " amount at entry " + id + " (sequence " + sequence + "); no stored balance can hold it");
      }
    }

    private void compareBalances(Connection c, List<String> out) throws SQLException {
      Map<String, long[]> remaining = new HashMap<>(balances);
      try (PreparedStatement s = c.prepareStatement("SELECT account, currency, debits, credits FROM balances")) {
        s.setFetchSize(FETCH);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            String key = rs.getString(1) + " " + rs.getString(2);
            long[] expected = remaining.remove(key);
            if (overflowed.contains(key)) {
              continue;
            }
            long[] stored = {rs.getLong(3), rs.getLong(4)};
            if (expected == null ? stored[0] != 0 || stored[1] != 0 : !Arrays.equals(expected, stored)) {
              add(out, "balance " + key + ": stored debits/credits " + stored[0] + "/" + stored[1]
                  + ", postings give " + (expected == null ? "0/0" : expected[0] + "/" + expected[1]));
            }
          }
        }
      }
      remaining.forEach((key, expected) -> {
        if (!overflowed.contains(key)) {
          add(out, "balance " + key + ": row missing, postings give " + expected[0] + "/" + expected[1]);
        }
      });
    }

    private void compareDays(Connection c, List<String> out) throws SQLException {
      Map<String, Object[]> remaining = new HashMap<>(days);
      try (PreparedStatement s = c.prepareStatement("""
          SELECT account, currency, day, debits, credits, min_recorded_at, max_recorded_at
          FROM balance_days""")) {
        s.setFetchSize(FETCH);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            String balanceKey = rs.getString(1) + " " + rs.getString(2);
            String key = balanceKey + " " + rs.getObject(3, OffsetDateTime.class).toInstant();
            Object[] expected = remaining.remove(key);
            if (overflowed.contains(balanceKey)) {
              continue;
            }
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
      remaining.keySet().forEach(key -> {
        String[] parts = key.split(" ", 3);
        if (!overflowed.contains(parts[0] + " " + parts[1])) {
          add(out, "daily checkpoint " + key + ": row missing");
        }
      });
    }
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

  private static String format(long minor, String currency) {
    try {
      return Amounts.formatMinor(minor, Rows.currency(currency)) + " " + currency;
    } catch (RuntimeException unknownCurrency) {
      return minor + " minor units of " + currency;
    }
  }

  private static void add(List<String> out, String mismatch) {
    if (out.size() < MISMATCHES_MAX) {
      out.add(mismatch);
    }
  }
}
