package dev.ledger.db;

import dev.ledger.account.AccountCode;
import dev.ledger.account.Side;
import dev.ledger.db.period.PeriodAudit;
import dev.ledger.db.reconcile.ReconciliationAudit;
import dev.ledger.journal.Entry;
import dev.ledger.journal.Posting;
import dev.ledger.money.Amounts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
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
 * Recomputes the hash chain and every balance row from the raw rows alone, in Java, so that rows
 * changed with the triggers disabled are still caught. Two passes in one snapshot:
 * <ol>
 *   <li>entries in sequence order with their postings: each entry's content hash is recomputed
 *       and compared with the stored one, balances and daily checkpoints are summed, and the
 *       no_overdraft flags are replayed (sequences are drawn under the balance row locks, so
 *       entries that touch one balance row are in the order the ledger checked them);</li>
 *   <li>the chain in position order: every link is recomputed, every record it seals (entry,
 *       account, reconciliation run, break event or period event) must exist with the content it sealed, and
 *       every record must be either sealed or still queued for the sealer.</li>
 * </ol>
 * With digests, the chain is also recomputed from content alone and compared with each digest: a
 * superuser can re-hash a rewritten history so that it is consistent in itself, but cannot make it
 * reproduce a hash that an auditor kept outside.
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
    try {
      Walk walk = new Walk(digests);
      walk.readAccounts(c);
      walk.periods = PeriodAudit.audit(c);
      walk.entries(c);
      walk.reconciliation = ReconciliationAudit.audit(c);
      VerifyReport report = walk.chain(c);
      c.commit();
      return report;
    } finally {
      c.rollback();
    }
  }

  /** Content of an account record, as ledger_account_hash computes it in the database. */
  static byte[] accountHash(String code, String type, boolean noOverdraft) {
    return Rows.contentHash("account\ncode=" + code + "\ntype=" + type + "\nno_overdraft="
        + noOverdraft + "\n");
  }

  /** The state of one verification. */
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
    // Balance rows that keep daily checkpoints (V26), as the balances table says.
    private final Set<String> checkpointed = new HashSet<>();
    private final Map<String, long[]> balances = new TreeMap<>();
    private final Map<String, Object[]> days = new TreeMap<>();
    private final List<String> accountViolations = new ArrayList<>();
    /**
     * Entries whose stored content hash is not the one their content gives, by sequence: the
     * recomputed hash, or null with {@link #unrecomputable} saying why. Every other entry's stored
     * hash was recomputed and found equal, so the chain pass may use it.
     */
    private final Map<Long, byte[]> alteredContent = new HashMap<>();
    private final Map<Long, String> unrecomputable = new HashMap<>();
    private long entriesChecked;
    private Problem problem;
    /** Runs and break events recomputed from their rows, and what the rows say about themselves. */
    private ReconciliationAudit.Result reconciliation;
    /** Reconciliation records met in the chain or the queue, by kind: the rest were written around. */
    private final Set<Long> runsSeen = new HashSet<>();
    private final Set<Long> eventsSeen = new HashSet<>();
    /** Period events recomputed from their rows, and the closed periods they set over time. */
    private PeriodAudit.Result periods;
    private final Set<Long> periodEventsSeen = new HashSet<>();
    private final List<String> recordViolations = new ArrayList<>();

    Walk(DigestFile digests) {
      this.digests = digests;
      if (digests != null) {
        for (DigestFile.Line line : digests.lines()) {
          digestsAt.computeIfAbsent(line.digest().sequence(), k -> new ArrayList<>()).add(line);
        }
      }
    }

    private void problem(String entryId, long sequence, String why) {
      if (problem == null) {
        problem = new Problem(entryId, sequence, why);
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

    /** Pass 1: entries and postings in sequence order. */
    void entries(Connection c) throws SQLException {
      try (PreparedStatement entries = c.prepareStatement("""
              SELECT e.sequence, e.id, e.effective_at, e.recorded_at, e.description, e.reversal_of,
                e.posting_count, e.content_hash,
                ARRAY(SELECT key FROM jsonb_each_text(e.metadata) ORDER BY key),
                ARRAY(SELECT value FROM jsonb_each_text(e.metadata) ORDER BY key),
                pe.expires_at, s.pending_id, s.kind
              FROM entries e
              LEFT JOIN pending_entries pe ON pe.entry_sequence = e.sequence
              LEFT JOIN pending_settlements s ON s.entry_id = e.id
              ORDER BY e.sequence""");
          PreparedStatement postings = c.prepareStatement("""
              SELECT entry_sequence, posting_index, account, currency, amount, effective_at, recorded_at
              FROM postings ORDER BY entry_sequence, posting_index""");
          PreparedStatement held = c.prepareStatement("""
              SELECT entry_sequence, posting_index, account, currency, amount
              FROM pending_postings ORDER BY entry_sequence, posting_index""")) {
        entries.setFetchSize(FETCH);
        postings.setFetchSize(FETCH);
        held.setFetchSize(FETCH);
        try (ResultSet e = entries.executeQuery(); ResultSet p = postings.executeQuery();
            ResultSet h = held.executeQuery()) {
          walkEntries(e, p, h);
        }
      }
    }

    /** A pending entry as replayed: its reservation of no_overdraft outflows, until settled or expired. */
    private record Held(Instant expiresAt, List<Posting> postings) {}

    private final Map<String, Held> pendings = new HashMap<>();
    private final Set<String> settled = new HashSet<>();
    /** Per no_overdraft key: the pending ids that reserve an outflow on it, with the amount. */
    private final Map<String, Map<String, Long>> reservations = new HashMap<>();

    /** Outflows reserved on {@code key} at {@code at} by pending entries not settled so far. */
    private long reservedOutflow(String key, Instant at) {
      Map<String, Long> byPending = reservations.get(key);
      if (byPending == null) {
        return 0;
      }
      long sum = 0;
      for (Map.Entry<String, Long> item : byPending.entrySet()) {
        Held pending = pendings.get(item.getKey());
        if (!settled.contains(item.getKey()) && pending != null && pending.expiresAt().isAfter(at)) {
          sum = Math.addExact(sum, item.getValue());
        }
      }
      return sum;
    }

    /** The pending postings of {@code sequence}; h is left on the first row of a later entry. */
    private boolean readHeld(ResultSet h, boolean more, long sequence, List<Posting> out, String[] why)
        throws SQLException {
      while (more && h.getLong(1) <= sequence) {
        if (h.getLong(1) < sequence) {
          why[0] = why[0] != null ? why[0] : "pending postings of a missing entry with sequence " + h.getLong(1)
              + " precede it";
        } else {
          long amount = h.getLong(5);
          if (amount == 0 || amount == Long.MIN_VALUE) {
            why[0] = "pending posting " + h.getInt(2) + " has no valid amount";
          } else {
            try {
              out.add(Rows.posting(h.getString(3), h.getString(4), amount));
            } catch (IllegalArgumentException invalid) {
              why[0] = "pending posting " + h.getInt(2) + " is not valid: " + invalid.getMessage();
            }
          }
        }
        more = h.next();
      }
      return more;
    }

    /**
     * Replays pending state at one entry: a settlement must settle an earlier, unsettled pending
     * entry with fitting postings; a pending entry that reserves on a no_overdraft account must
     * leave its available balance at or above zero. Returns a problem or null.
     */
    private String replayPending(String id, long sequence, Instant recordedAt, Instant expiresAt,
        String settles, String kind, List<Posting> postings) {
      if (settles != null) {
        Held target = pendings.get(settles);
        if (target == null) {
          return "settles " + settles + ", which is not an earlier pending entry (forged)";
        }
        if (!settled.add(settles)) {
          return "settles " + settles + " a second time (forged)";
        }
        boolean isVoid = "void".equals(kind);
        if (postings.size() != target.postings().size()) {
          return "does not have the postings of pending entry " + settles;
        }
        for (int i = 0; i < postings.size(); i++) {
          Posting mine = postings.get(i);
          Posting theirs = target.postings().get(i);
          if (!mine.account().equals(theirs.account()) || mine.side() != theirs.side()
              || !mine.currency().equals(theirs.currency())
              || (isVoid ? mine.amountMinor() != theirs.amountMinor() : mine.amountMinor() > theirs.amountMinor())) {
            return "posting " + i + " does not fit pending entry " + settles;
          }
        }
        return null;
      }
      if (expiresAt == null) {
        return null;
      }
      pendings.put(id, new Held(expiresAt, postings));
      if (!expiresAt.isAfter(recordedAt)) {
        return null; // expired when written: reserves nothing
      }
      Map<String, Long> outflows = new TreeMap<>();
      for (Posting posting : postings) {
        Side normal = noOverdraft.get(posting.account().value());
        if (normal != null && posting.side() != normal) {
          outflows.merge(posting.account().value() + " " + posting.currency().getCurrencyCode(),
              posting.amountMinor(), Math::addExact);
        }
      }
      for (Map.Entry<String, Long> outflow : outflows.entrySet()) {
        reservations.computeIfAbsent(outflow.getKey(), k -> new HashMap<>()).put(id, outflow.getValue());
        checkAvailable(outflow.getKey(), recordedAt, id, sequence);
      }
      return null;
    }

    /** A no_overdraft key's replayed available balance at an entry must not be negative. */
    private void checkAvailable(String key, Instant at, String id, long sequence) {
      if (overflowed.contains(key)) {
        return;
      }
      String account = key.substring(0, key.indexOf(' '));
      long balance = running.getOrDefault(key, 0L);
      long normal = noOverdraft.get(account) == Side.DEBIT ? balance : -balance;
      long available;
      try {
        available = Math.subtractExact(normal, reservedOutflow(key, at));
      } catch (ArithmeticException wrapped) {
        overflow(key, id, sequence);
        return;
      }
      if (available < 0 && normal >= 0 && reported.add("available " + key)) {
        String currency = key.substring(key.indexOf(' ') + 1);
        add(accountViolations, "account " + account + " is no_overdraft but its " + currency
            + " available balance goes below zero at entry " + id + " (sequence " + sequence + "): "
            + format(available, currency) + " (a reservation or an entry was forged)");
      }
    }

    private void walkEntries(ResultSet e, ResultSet p, ResultSet h) throws SQLException {
      boolean postingPending = p.next();
      boolean heldMore = h.next();
      while (e.next()) {
        long sequence = e.getLong(1);
        String id = e.getString(2);
        Instant effectiveAt = e.getObject(3, OffsetDateTime.class).toInstant();
        Instant recordedAt = e.getObject(4, OffsetDateTime.class).toInstant();
        OffsetDateTime expires = e.getObject(11, OffsetDateTime.class);
        Instant expiresAt = expires == null ? null : expires.toInstant();
        String settles = e.getString(12);
        String kind = e.getString(13);
        boolean unposted = expiresAt != null || "void".equals(kind);
        // A settlement releases its reservation before its own postings are replayed; replayPending
        // then checks (and records) the settlement itself.
        String settledEarly = settles != null && pendings.containsKey(settles) && settled.add(settles)
            ? settles : null;
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
          replayNoOverdraft(entryDeltas, id, sequence, recordedAt);
        }
        List<Posting> heldPostings = new ArrayList<>();
        String[] heldWhy = new String[1];
        heldMore = readHeld(h, heldMore, sequence, heldPostings, heldWhy);
        if (postingProblem == null && heldWhy[0] != null) {
          postingProblem = heldWhy[0];
        }
        if (postingProblem == null && unposted && !entryPostings.isEmpty()) {
          postingProblem = "is " + (expiresAt != null ? "pending" : "a void") + " but has posted postings (forged)";
        }
        if (postingProblem == null && !unposted && !heldPostings.isEmpty()) {
          postingProblem = "is posted but has pending postings (forged)";
        }
        if (unposted) {
          entryPostings = heldPostings;
        }
        if (settledEarly != null) {
          settled.remove(settledEarly);
        }
        String pendingWhy = postingProblem != null ? null
            : replayPending(id, sequence, recordedAt, expiresAt, settles, kind, entryPostings);
        if (postingProblem == null && pendingWhy != null) {
          postingProblem = pendingWhy;
        }
        String why = postingProblem;
        if (why == null && entryPostings.size() != e.getInt(7)) {
          why = "has " + entryPostings.size() + " postings, the entry row says " + e.getInt(7);
        }
        byte[] contentHash = null;
        String invalidContent = postingProblem;
        if (postingProblem == null) {
          try {
            Entry entry = Rows.entry(id, effectiveAt, e.getString(5),
                Rows.metadata((String[]) e.getArray(9).getArray(), (String[]) e.getArray(10).getArray()),
                entryPostings, e.getString(6), expiresAt == null ? null : new dev.ledger.journal.Pending(expiresAt),
                settles == null ? null : new dev.ledger.journal.Settlement(settles,
                    dev.ledger.journal.Settlement.Kind.parse(kind)));
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
        if (why == null && !periods.timeline().isEmpty()) {
          String closed = periods.timeline().forbidding(recordedAt, effectiveAt,
              entryPostings.stream().map(Posting::account).toList());
          if (closed != null) {
            why = "is effective at " + effectiveAt + ", but " + closed + " (booked around the period rule)";
          }
        }
        if (contentHash == null) {
          alteredContent.put(sequence, null);
          unrecomputable.put(sequence, "entry " + id + " (sequence " + sequence + ") cannot be recomputed: "
              + invalidContent);
        } else if (!Arrays.equals(contentHash, e.getBytes(8))) {
          alteredContent.put(sequence, contentHash);
        }
        if (why != null) {
          problem(id, sequence, why);
        }
        entriesChecked++;
      }
      if (postingPending) {
        problem(null, p.getLong(1), "postings exist for sequence " + p.getLong(1) + " after the last entry");
      }
    }

    /** Pass 2: the chain in position order, the queue, and what neither covers. */
    VerifyReport chain(Connection c) throws SQLException {
      byte[] previous = Rows.ZERO_HASH;
      // The chain recomputed from content alone; null from the first record that cannot be.
      byte[] recomputed = Rows.ZERO_HASH;
      String unrecomputableWhy = null;
      checkDigests(0, null, recomputed, null);
      long expected = 1;
      Problem chainProblem = null;
      try (PreparedStatement s = c.prepareStatement("""
          SELECT c.position, c.kind, c.record_id, c.recorded_at, c.content_hash, c.prev_hash, c.hash,
            e.id, e.content_hash, e.recorded_at, a.code, a.type, a.no_overdraft
          FROM chain c
          LEFT JOIN entries e ON c.kind = 'entry' AND e.sequence = c.record_id
          LEFT JOIN accounts a ON c.kind = 'account' AND a.id = c.record_id
          ORDER BY c.position""")) {
        s.setFetchSize(FETCH);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            long position = rs.getLong(1);
            String kind = rs.getString(2);
            long recordId = rs.getLong(3);
            Instant recordedAt = rs.getObject(4, OffsetDateTime.class).toInstant();
            byte[] sealedContent = rs.getBytes(5);
            String entryId = rs.getString(8);
            String why = null;
            if (position != expected) {
              why = position > expected
                  ? "chain records at sequence " + expected + (position - 1 > expected ? ".." + (position - 1) : "")
                      + " are missing before it (removed)"
                  : "chain sequence out of order";
            } else if (!Arrays.equals(previous, rs.getBytes(6))) {
              why = "previous-hash link does not match the record before it (reordered, removed or inserted)";
            }
            byte[] linked = Rows.chainHash(previous, position, recordedAt, sealedContent);
            if (why == null && !Arrays.equals(linked, rs.getBytes(7))) {
              why = "chain hash does not match its content, position and recording time";
            }
            // What the record's content gives now, for the digests; null when it cannot be had.
            byte[] content;
            String contentWhy = null;
            switch (kind) {
              case "entry" -> {
                if (entryId == null) {
                  content = null;
                  contentWhy = "entry with sequence " + recordId + " is sealed at " + position + " but missing (removed)";
                  why = why != null ? why : contentWhy;
                } else {
                  content = alteredContent.containsKey(recordId) ? alteredContent.get(recordId) : rs.getBytes(9);
                  if (content == null) {
                    contentWhy = unrecomputable.get(recordId);
                  }
                  if (why == null && !Arrays.equals(content, sealedContent)) {
                    why = "entry " + entryId + " (sequence " + recordId + ") does not have the content"
                        + " that was sealed (altered)";
                  }
                  Instant stored = rs.getObject(10, OffsetDateTime.class).toInstant();
                  if (why == null && !stored.equals(recordedAt)) {
                    why = "entry " + entryId + " (sequence " + recordId + ") was recorded at " + stored
                        + " but sealed as recorded at " + recordedAt + " (altered)";
                  }
                }
              }
              case "account" -> {
                content = accountContent(recordId, rs.getString(11), rs.getString(12), rs.getBoolean(13),
                    sealedContent, "sealed at chain sequence " + position);
                contentWhy = content == null ? "account with id " + recordId + " is missing (removed)" : null;
              }
              default -> content = otherContent(kind, recordId, sealedContent, "sealed at " + position);
            }
            if (why != null && chainProblem == null) {
              chainProblem = new Problem("entry".equals(kind) ? entryId : null, position,
                  "entry".equals(kind) || entryId != null ? why : kind + " record " + recordId + ": " + why);
            }
            if (recomputed != null && content == null) {
              recomputed = null;
              unrecomputableWhy = contentWhy;
            } else if (recomputed != null) {
              // While the stored links agree with the recomputed chain (always, on an intact ledger),
              // the link just checked is the recomputed one: no second hash per record.
              recomputed = Arrays.equals(recomputed, previous) && Arrays.equals(content, sealedContent)
                  ? linked : Rows.chainHash(recomputed, position, recordedAt, content);
            }
            checkDigests(position, entryId, recomputed, unrecomputableWhy);
            previous = rs.getBytes(7);
            expected = position + 1;
          }
        }
      }
      long sealed = expected - 1;
      if (chainProblem == null) {
        chainProblem = checkHead(c, sealed, previous);
      }
      Queue queue = queue(c);
      if (chainProblem == null) {
        chainProblem = queue.problem();
      }
      if (chainProblem == null) {
        chainProblem = unsealed(c);
      }
      reconciliationCoverage();
      // An entry's own problem (pass 1) comes before the chain's: it names the altered entry.
      if (problem == null) {
        problem = chainProblem;
      }
      digestsAt.forEach((sequence, lines) -> {
        for (DigestFile.Line line : lines) {
          digestViolations.put(line.number(), new VerifyReport.DigestViolation(digests.where(line), sequence,
              sequence > sealed
                  ? "the tail was cut: the chain ends at sequence " + sealed + ", below this digest"
                  : "history up to it was rewritten: no record has sequence " + sequence + " any more"));
        }
      });
      List<String> mismatches = new ArrayList<>();
      compareBalances(c, mismatches);
      compareDays(c, mismatches);
      compareDayVersions(c, mismatches);
      VerifyReport.DigestViolation digest = digestViolations.isEmpty() ? null
          : digestViolations.firstEntry().getValue();
      boolean ok = problem == null && mismatches.isEmpty() && accountViolations.isEmpty()
          && recordViolations.isEmpty() && digest == null;
      return new VerifyReport(ok, entriesChecked, problem == null ? null : problem.entryId(),
          problem == null ? null : problem.sequence(), problem == null ? null : problem.why(), mismatches,
          accountViolations, recordViolations, digests == null ? 0 : digests.lines().size(), digest,
          new VerifyReport.Seal(sealed, queue.records(), queue.lag()));
    }

    /**
     * Content of an account record as its row recomputes it, or null when the row is missing; a
     * difference from what was sealed or queued ({@code where}) is named.
     */
    private byte[] accountContent(long recordId, String code, String type, boolean noOverdraft, byte[] stored,
        String where) {
      if (code == null) {
        add(accountViolations, "account with id " + recordId + " is " + where + " but missing (removed)");
        return null;
      }
      byte[] content = accountHash(code, type, noOverdraft);
      if (!Arrays.equals(content, stored)) {
        add(accountViolations, "account " + code + ": its type or no_overdraft flag is not what was " + where
            + " (altered)");
      }
      return content;
    }

    /**
     * Content of a reconciliation record (a run with its breaks as opened, or a break event) as its
     * rows recompute it, or null when the record is missing; a difference from what was sealed or
     * queued is named.
     */
    private byte[] otherContent(String kind, long recordId, byte[] sealedContent, String where) {
      Map<Long, byte[]> recomputed;
      String name;
      if ("run".equals(kind)) {
        runsSeen.add(recordId);
        recomputed = reconciliation.runHashes();
        name = "reconciliation run " + recordId;
      } else if ("break_event".equals(kind)) {
        eventsSeen.add(recordId);
        recomputed = reconciliation.eventHashes();
        name = "break event " + recordId;
      } else if ("period_event".equals(kind)) {
        periodEventsSeen.add(recordId);
        recomputed = periods.eventHashes();
        name = "period event " + recordId;
      } else {
        add(recordViolations, "chain record of unknown kind '" + kind + "' " + where);
        return null;
      }
      byte[] content = recomputed.get(recordId);
      if (content == null) {
        add(recordViolations, name + " is " + where + " but missing (removed)");
      } else if (!Arrays.equals(content, sealedContent)) {
        add(recordViolations, name + ": its rows are not what was " + where + " (altered)");
      }
      return content;
    }

    /** Runs and events that are neither sealed nor queued, then what the rows say about themselves. */
    private void reconciliationCoverage() {
      reconciliation.runHashes().keySet().stream().filter(id -> !runsSeen.contains(id)).limit(MISMATCHES_MAX)
          .forEach(id -> add(recordViolations, "reconciliation run " + id
              + ": neither sealed into the chain nor queued for it (written around the ledger)"));
      reconciliation.eventHashes().keySet().stream().filter(id -> !eventsSeen.contains(id)).limit(MISMATCHES_MAX)
          .forEach(id -> add(recordViolations, "break event " + id
              + ": neither sealed into the chain nor queued for it (written around the ledger)"));
      reconciliation.violations().forEach(v -> add(recordViolations, v));
      periods.eventHashes().keySet().stream().filter(id -> !periodEventsSeen.contains(id)).limit(MISMATCHES_MAX)
          .forEach(id -> add(recordViolations, "period event " + id
              + ": neither sealed into the chain nor queued for it (written around the ledger)"));
      periods.violations().forEach(v -> add(recordViolations, v));
    }

    private record Queue(long records, Duration lag, Problem problem) {}

    /** The records written and not yet sealed: each must still have the content it was queued with. */
    private Queue queue(Connection c) throws SQLException {
      long records = 0;
      Problem found = null;
      Instant oldest = null;
      Instant now;
      try (PreparedStatement s = c.prepareStatement("""
          SELECT q.id, q.kind, q.record_id, q.recorded_at, q.content_hash, e.id, e.content_hash,
            a.code, a.type, a.no_overdraft, e.recorded_at
          FROM seal_queue q
          LEFT JOIN entries e ON q.kind = 'entry' AND e.sequence = q.record_id
          LEFT JOIN accounts a ON q.kind = 'account' AND a.id = q.record_id
          ORDER BY q.id""")) {
        s.setFetchSize(FETCH);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            records++;
            Instant recordedAt = rs.getObject(4, OffsetDateTime.class).toInstant();
            oldest = oldest == null || recordedAt.isBefore(oldest) ? recordedAt : oldest;
            String kind = rs.getString(2);
            long recordId = rs.getLong(3);
            byte[] queued = rs.getBytes(5);
            if ("entry".equals(kind)) {
              if (found != null) {
                continue; // the first entry problem is the one reported
              }
              String id = rs.getString(6);
              if (id == null) {
                found = new Problem(null, recordId, "entry with sequence " + recordId
                    + " is queued for sealing but missing (removed)");
              } else {
                byte[] content = alteredContent.containsKey(recordId) ? alteredContent.get(recordId) : rs.getBytes(7);
                if (!Arrays.equals(content, queued)
                    || !rs.getObject(11, OffsetDateTime.class).toInstant().equals(recordedAt)) {
                  found = new Problem(id, recordId, "does not have the content it was queued for sealing"
                      + " with (altered)");
                }
              }
            } else if (!"account".equals(kind)) {
              otherContent(kind, recordId, queued, "queued for sealing");
            } else {
              accountContent(recordId, rs.getString(8), rs.getString(9), rs.getBoolean(10), queued,
                  "queued for sealing");
            }
          }
        }
      }
      try (PreparedStatement s = c.prepareStatement("SELECT statement_timestamp()");
          ResultSet rs = s.executeQuery()) {
        rs.next();
        now = rs.getObject(1, OffsetDateTime.class).toInstant();
      }
      Duration lag = oldest == null || oldest.isAfter(now) ? Duration.ZERO : Duration.between(oldest, now);
      return new Queue(records, lag, found);
    }

    /** The first entry, then the first account, that is neither sealed nor queued. */
    private Problem unsealed(Connection c) throws SQLException {
      try (PreparedStatement s = c.prepareStatement("""
          SELECT e.sequence, e.id FROM entries e
          WHERE NOT EXISTS (SELECT 1 FROM chain x WHERE x.kind = 'entry' AND x.record_id = e.sequence)
            AND NOT EXISTS (SELECT 1 FROM seal_queue q WHERE q.kind = 'entry' AND q.record_id = e.sequence)
          ORDER BY e.sequence LIMIT 1""");
          ResultSet rs = s.executeQuery()) {
        if (rs.next()) {
          return new Problem(rs.getString(2), rs.getLong(1),
              "is neither sealed into the chain nor queued for it (written around the ledger)");
        }
      }
      try (PreparedStatement s = c.prepareStatement("""
          SELECT a.code FROM accounts a
          WHERE NOT EXISTS (SELECT 1 FROM chain x WHERE x.kind = 'account' AND x.record_id = a.id)
            AND NOT EXISTS (SELECT 1 FROM seal_queue q WHERE q.kind = 'account' AND q.record_id = a.id)
          ORDER BY a.code""");
          ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          add(accountViolations, "account " + rs.getString(1)
              + ": neither sealed into the chain nor queued for it (written around the ledger)");
        }
      }
      return null;
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
              : "history up to it was rewritten: " + (id == null ? "the record" : "entry " + id)
                  + " at sequence " + sequence
                  + " now recomputes to hash " + HexFormat.of().formatHex(recomputed);
        }
        if (why != null) {
          digestViolations.put(line.number(),
              new VerifyReport.DigestViolation(digests.where(line), sequence, why));
        }
      }
    }

    /** Adds one entry's deltas to the no_overdraft balances, as the ledger checked them: per entry. */
    private void replayNoOverdraft(Map<String, Long> entryDeltas, String id, long sequence, Instant at) {
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
        } else if (normal >= 0) {
          checkAvailable(key, at, id, sequence);
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
      long[] total = balances.computeIfAbsent(key, k -> new long[3]); // debits, credits, postings
      try {
        long magnitude = Math.absExact(amount);
        long[] daily = (long[]) day[0];
        long newTotal = Math.addExact(total[side], magnitude);
        long newDaily = Math.addExact(daily[side], magnitude);
        total[side] = newTotal;
        total[2]++;
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
      try (PreparedStatement s = c.prepareStatement(
          "SELECT account, currency, debits, credits, posting_count, checkpointed FROM balances")) {
        s.setFetchSize(FETCH);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            String key = rs.getString(1) + " " + rs.getString(2);
            if (rs.getBoolean(6)) {
              checkpointed.add(key);
            }
            long[] expected = remaining.remove(key);
            if (overflowed.contains(key)) {
              continue;
            }
            long[] stored = {rs.getLong(3), rs.getLong(4), rs.getLong(5)};
            if (expected == null ? stored[0] != 0 || stored[1] != 0 : !Arrays.equals(expected, 0, 2, stored, 0, 2)) {
              add(out, "balance " + key + ": stored debits/credits " + stored[0] + "/" + stored[1]
                  + ", postings give " + (expected == null ? "0/0" : expected[0] + "/" + expected[1]));
            } else if (stored[2] != (expected == null ? 0 : expected[2])) {
              add(out, "balance " + key + ": stored posting count " + stored[2] + ", postings give "
                  + (expected == null ? 0 : expected[2]));
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
            if (!checkpointed.contains(balanceKey)) {
              add(out, "daily checkpoint " + key + ": present, but its balance row keeps no checkpoints");
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
        String balanceKey = parts[0] + " " + parts[1];
        if (!overflowed.contains(balanceKey) && checkpointed.contains(balanceKey)) {
          add(out, "daily checkpoint " + key + ": row missing");
        }
      });
    }
    /**
     * Checkpoint versions (V20) against the postings: each must hold its cell's totals of the
     * postings recorded at or before its time (of several at one time, the largest: totals only
     * grow), and a cell recorded at several times must have one at each, so that its latest is
     * its balance_days row. Recomputed in the database: the sums per cell and recording time are
     * a grouped scan, not something to hold in memory.
     */
    private void compareDayVersions(Connection c, List<String> out) throws SQLException {
      try (PreparedStatement s = c.prepareStatement("""
          -- numeric before negating: a tampered amount of -2^63 must be named, not stop verify
          WITH per_time AS (
            SELECT account, currency, date_trunc('day', effective_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS day,
              recorded_at, sum(greatest(amount, 0)) AS d, sum(greatest(-amount::numeric, 0)) AS c
            FROM postings p
            WHERE EXISTS (SELECT 1 FROM balances b
                          WHERE b.account = p.account AND b.currency = p.currency AND b.checkpointed)
            GROUP BY 1, 2, 3, 4),
          cumulative AS (
            SELECT account, currency, day, recorded_at,
              sum(d) OVER w AS d, sum(c) OVER w AS c, count(*) OVER (PARTITION BY account, currency, day) AS times
            FROM per_time WINDOW w AS (PARTITION BY account, currency, day ORDER BY recorded_at)),
          stored AS (
            SELECT account, currency, day, recorded_at, max(debits) AS d, max(credits) AS c
            FROM balance_day_versions GROUP BY 1, 2, 3, 4)
          SELECT coalesce(s.account, p.account), coalesce(s.currency, p.currency), coalesce(s.day, p.day),
            coalesce(s.recorded_at, p.recorded_at), s.d, s.c, p.d, p.c
          FROM stored s FULL JOIN cumulative p ON p.account = s.account AND p.currency = s.currency
            AND p.day = s.day AND p.recorded_at = s.recorded_at
          WHERE (s.account IS NULL AND p.times > 1) OR p.account IS NULL
            OR (s.account IS NOT NULL AND (s.d <> p.d OR s.c <> p.c))
          ORDER BY 1, 2, 3, 4""")) {
        s.setFetchSize(FETCH);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next() && out.size() < MISMATCHES_MAX) {
            String key = rs.getString(1) + " " + rs.getString(2);
            if (overflowed.contains(key)) {
              continue;
            }
            String where = "checkpoint version " + key + " " + rs.getObject(3, OffsetDateTime.class).toInstant()
                + " recorded at " + rs.getObject(4, OffsetDateTime.class).toInstant();
            if (rs.getObject(5) == null) {
              add(out, where + ": row missing, postings give " + rs.getBigDecimal(7) + "/" + rs.getBigDecimal(8));
            } else if (rs.getObject(7) == null) {
              add(out, where + ": stored debits/credits " + rs.getLong(5) + "/" + rs.getLong(6)
                  + ", but no posting of that day was recorded then");
            } else {
              add(out, where + ": stored debits/credits " + rs.getLong(5) + "/" + rs.getLong(6)
                  + ", postings recorded by then give " + rs.getBigDecimal(7) + "/" + rs.getBigDecimal(8));
            }
          }
        }
      }
    }
  }

  private static Problem checkHead(Connection c, long last, byte[] lastHash) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT last_sequence, last_hash FROM chain_head WHERE id = 1"); ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        return new Problem(null, last, "the chain head row is missing");
      }
      if (rs.getLong(1) != last) {
        return new Problem(null, rs.getLong(1), "the chain head says the last record is sequence "
            + rs.getLong(1) + " but the chain ends at " + last
            + (rs.getLong(1) > last ? " (records removed at the end)" : " (records appended outside the ledger)"));
      }
      if (!Arrays.equals(rs.getBytes(2), lastHash)) {
        return new Problem(null, last, "the chain head hash does not match the last record of the chain");
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
