package dev.ledger.db.reconcile;

import dev.ledger.reconcile.BreakStatus;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Recomputes reconciliation records from the raw rows, for verify: the content hash of every run
 * (with its breaks as opened) and of every break event, as {@link ReconciliationCanon} defines
 * them, and the replay of every break's events against its stored lifecycle. Comparing the hashes
 * with what the chain sealed (or the queue holds) is the caller's part; this class reports what the
 * rows say about themselves: a break whose status, closed_run_id, resolved_at, resolution_note,
 * adjustment_entry_id or assignee is not what its events lead to, events of unknown breaks or runs, events
 * that do not follow the lifecycle, a break whose run does not exist, and an event whose stored
 * content hash is not its content's.
 *
 * <p>Reads with cursors, so memory grows with the number of runs and events, not with the text of
 * the breaks; three scans in index order.
 */
public final class ReconciliationAudit {
  private static final int FETCH = 2_000;
  /** Beyond this many violations only their number is reported. */
  static final int VIOLATIONS_MAX = 100;

  /**
   * What the rows recompute to. {@code runHashes}: run id to content hash of kind 'run';
   * {@code eventHashes}: break_events id to content hash of kind 'break_event', both in id order;
   * {@code violations}: one sentence each, empty when the rows agree with themselves (at most
   * {@value #VIOLATIONS_MAX}, then one line with the number left out).
   */
  public record Result(Map<Long, byte[]> runHashes, Map<Long, byte[]> eventHashes, List<String> violations) {
    public Result {
      runHashes = Collections.unmodifiableMap(runHashes);
      eventHashes = Collections.unmodifiableMap(eventHashes);
      violations = List.copyOf(violations);
    }

    public boolean clean() {
      return violations.isEmpty();
    }
  }

  private ReconciliationAudit() {}

  /**
   * Audits in the caller's transaction, which must be REPEATABLE READ (or SERIALIZABLE), so that
   * the three scans see one snapshot; READ ONLY is advisable. The connection stays open and in
   * its transaction.
   *
   * @throws IllegalArgumentException when {@code c} is in autocommit or a weaker isolation level
   */
  public static Result audit(Connection c) throws SQLException {
    if (c.getAutoCommit()) {
      throw new IllegalArgumentException(
          "ReconciliationAudit.audit needs a connection inside a REPEATABLE READ transaction, but autocommit is on");
    }
    try (PreparedStatement s = c.prepareStatement("SELECT current_setting('transaction_isolation')");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      String isolation = rs.getString(1);
      if (!isolation.equals("repeatable read") && !isolation.equals("serializable")) {
        throw new IllegalArgumentException("ReconciliationAudit.audit needs a REPEATABLE READ transaction, but it is '"
            + isolation + "'");
      }
    }
    Walk walk = new Walk();
    walk.runs(c);
    walk.lifecycles(c);
    return walk.result();
  }

  private static final class Walk {
    private final Map<Long, byte[]> runHashes = new LinkedHashMap<>();
    private final Map<Long, byte[]> eventHashes = new LinkedHashMap<>();
    private final Set<Long> runIds = new HashSet<>();
    private final List<String> violations = new ArrayList<>();
    private long violationCount;

    private void violation(String text) {
      violationCount++;
      if (violations.size() < VIOLATIONS_MAX) {
        violations.add(text);
      }
    }

    Result result() {
      List<String> reported = new ArrayList<>(violations);
      if (violationCount > violations.size()) {
        reported.add("... and " + (violationCount - violations.size()) + " more reconciliation violations");
      }
      return new Result(runHashes, eventHashes, reported);
    }

    /** Runs in id order merged with their breaks in (run_id, id) order: one hash per run. */
    void runs(Connection c) throws SQLException {
      try (PreparedStatement runs = c.prepareStatement("""
              SELECT id, source, account, file_name, file_sha256, period_start, period_end, lines, matched,
                break_count, tolerance, created_at
              FROM reconciliation_runs ORDER BY id""");
          PreparedStatement breaks = c.prepareStatement("""
              SELECT run_id, id, source, account, kind, match_key, entry_id, statement_line, currency,
                statement_gross, ledger_gross, statement_fee, ledger_fee, provider_txn_id,
                provider_refund_id, order_id, stated, computed
              FROM reconciliation_breaks ORDER BY run_id, id""");
          PreparedStatement counts = c.prepareStatement(
              "SELECT run_id, rule, matches FROM reconciliation_rule_counts ORDER BY run_id, rule");
          PreparedStatement matches = c.prepareStatement("""
              SELECT run_id, id, rule, match_key, statement_lines, entry_ids
              FROM reconciliation_matches ORDER BY run_id, id""");
          PreparedStatement keys = c.prepareStatement(
              "SELECT run_id, encode(sha256(key_hashes), 'hex') FROM reconciliation_matched_keys ORDER BY run_id")) {
        runs.setFetchSize(FETCH);
        breaks.setFetchSize(FETCH);
        counts.setFetchSize(FETCH);
        matches.setFetchSize(FETCH);
        keys.setFetchSize(FETCH);
        try (ResultSet r = runs.executeQuery(); ResultSet b = breaks.executeQuery();
            ResultSet n = counts.executeQuery(); ResultSet m = matches.executeQuery();
            ResultSet k = keys.executeQuery()) {
          boolean moreBreaks = b.next();
          boolean moreCounts = n.next();
          boolean moreMatches = m.next();
          boolean moreKeys = k.next();
          while (r.next()) {
            long runId = r.getLong(1);
            runIds.add(runId);
            MessageDigest digest = ReconciliationCanon.sha256();
            ReconciliationCanon.update(digest, ReconciliationCanon.runText(runId, r.getString(2), r.getString(3),
                r.getString(4), r.getString(5), instant(r, 6), instant(r, 7), r.getLong(8), r.getLong(9),
                r.getLong(10), r.getLong(11), instant(r, 12)));
            while (moreBreaks && b.getLong(1) < runId) {
              orphan(b);
              moreBreaks = b.next();
            }
            while (moreBreaks && b.getLong(1) == runId) {
              ReconciliationCanon.update(digest, ReconciliationCanon.breakText(b.getLong(2), b.getString(3),
                  b.getString(4), b.getString(5), b.getString(6), b.getString(7), nullableLong(b, 8),
                  b.getString(9), nullableLong(b, 10), nullableLong(b, 11), nullableLong(b, 12),
                  nullableLong(b, 13), b.getString(14), b.getString(15), b.getString(16), b.getString(17),
                  b.getString(18)));
              moreBreaks = b.next();
            }
            // Migration V17: rule counts, matches and matched keys follow the breaks.
            while (moreCounts && n.getLong(1) < runId) {
              violation("rule count of run " + n.getLong(1) + ": the run does not exist");
              moreCounts = n.next();
            }
            while (moreCounts && n.getLong(1) == runId) {
              ReconciliationCanon.update(digest, ReconciliationCanon.ruleCountText(n.getString(2), n.getLong(3)));
              moreCounts = n.next();
            }
            while (moreMatches && m.getLong(1) < runId) {
              violation("match " + m.getLong(2) + ": its run " + m.getLong(1) + " does not exist");
              moreMatches = m.next();
            }
            while (moreMatches && m.getLong(1) == runId) {
              ReconciliationCanon.update(digest, ReconciliationCanon.matchText(m.getLong(2), m.getString(3),
                  m.getString(4), m.getString(5), m.getString(6)));
              moreMatches = m.next();
            }
            while (moreKeys && k.getLong(1) < runId) {
              violation("matched keys of run " + k.getLong(1) + ": the run does not exist");
              moreKeys = k.next();
            }
            if (moreKeys && k.getLong(1) == runId) {
              ReconciliationCanon.update(digest, ReconciliationCanon.matchedKeysText(k.getString(2)));
              moreKeys = k.next();
            }
            runHashes.put(runId, digest.digest());
          }
          if (moreCounts || moreMatches || moreKeys) {
            violation("rule counts, matches or matched keys of a run that does not exist");
          }
          while (moreBreaks) {
            orphan(b);
            moreBreaks = b.next();
          }
        }
      }
    }

    private void orphan(ResultSet b) throws SQLException {
      violation("break " + b.getLong(2) + ": its run " + b.getLong(1) + " does not exist");
    }

    /** Breaks in id order merged with their events in (break_id, id) order: replay and compare. */
    void lifecycles(Connection c) throws SQLException {
      try (PreparedStatement breaks = c.prepareStatement("""
              SELECT id, status, closed_run_id, resolved_at, resolution_note, adjustment_entry_id, assignee
              FROM reconciliation_breaks ORDER BY id""");
          PreparedStatement events = c.prepareStatement("""
              SELECT break_id, id, status, run_id, note, adjustment_entry_id, actor, at, content_hash, author,
                assignee
              FROM break_events ORDER BY break_id, id""")) {
        breaks.setFetchSize(FETCH);
        events.setFetchSize(FETCH);
        try (ResultSet b = breaks.executeQuery(); ResultSet e = events.executeQuery()) {
          boolean moreEvents = e.next();
          while (b.next()) {
            long breakId = b.getLong(1);
            while (moreEvents && e.getLong(1) < breakId) {
              event(e, null);
              moreEvents = e.next();
            }
            Lifecycle replayed = Lifecycle.OPENED;
            while (moreEvents && e.getLong(1) == breakId) {
              replayed = event(e, replayed);
              moreEvents = e.next();
            }
            compare(breakId, new Lifecycle(b.getString(2), nullableLong(b, 3), instant(b, 4), b.getString(5),
                b.getString(6), b.getString(7)), replayed);
          }
          while (moreEvents) {
            event(e, null);
            moreEvents = e.next();
          }
        }
      }
    }

    /** Hashes one event and applies it to {@code state} (null: its break does not exist). */
    private Lifecycle event(ResultSet e, Lifecycle state) throws SQLException {
      long breakId = e.getLong(1);
      long id = e.getLong(2);
      String status = e.getString(3);
      Long runId = nullableLong(e, 4);
      String note = e.getString(5);
      String adjustment = e.getString(6);
      Instant at = instant(e, 8);
      String assignee = e.getString(11);
      byte[] hash = ReconciliationCanon.hash(ReconciliationCanon.eventText(id, breakId, status, runId, note,
          adjustment, e.getString(7), at, e.getString(10), assignee));
      eventHashes.put(id, hash);
      if (!Arrays.equals(hash, e.getBytes(9))) {
        violation("break_event " + id + ": its stored content_hash is not the hash of its content (altered)");
      }
      if (runId != null && !runIds.contains(runId)) {
        violation("break_event " + id + ": its run " + runId + " does not exist");
      }
      if (state == null) {
        violation("break_event " + id + ": its break " + breakId + " does not exist");
        return null;
      }
      if ("comment".equals(status)) {
        return state; // a comment is kept whatever the status and moves nothing
      }
      if (!state.status().equals(BreakStatus.OPEN.label()) && !state.status().equals(BreakStatus.ASSIGNED.label())) {
        violation("break " + breakId + ": event " + id + " (" + quote(status) + ") follows one that left it "
            + quote(state.status()));
        return state;
      }
      return switch (status == null ? "" : status) {
        case "closed" -> new Lifecycle(BreakStatus.CLOSED.label(), runId, null, null, null, state.assignee());
        case "resolved" -> new Lifecycle(BreakStatus.RESOLVED.label(), null, at, note, adjustment, state.assignee());
        case "assigned" -> new Lifecycle(BreakStatus.ASSIGNED.label(), null, null, null, null, assignee);
        default -> {
          violation("break_event " + id + ": unknown status " + quote(status));
          yield state;
        }
      };
    }

    private void compare(long breakId, Lifecycle stored, Lifecycle replayed) {
      field(breakId, "status", stored.status(), replayed.status());
      field(breakId, "closed_run_id", stored.closedRunId(), replayed.closedRunId());
      field(breakId, "resolved_at", stored.resolvedAt(), replayed.resolvedAt());
      field(breakId, "resolution_note", stored.note(), replayed.note());
      field(breakId, "adjustment_entry_id", stored.adjustmentEntryId(), replayed.adjustmentEntryId());
      field(breakId, "assignee", stored.assignee(), replayed.assignee());
      if (stored.closedRunId() != null && !runIds.contains(stored.closedRunId())) {
        violation("break " + breakId + ": its closing run " + stored.closedRunId() + " does not exist");
      }
    }

    private void field(long breakId, String name, Object stored, Object replayed) {
      if (!Objects.equals(stored, replayed)) {
        violation("break " + breakId + ": " + name + " is " + quote(stored) + " but its events leave it "
            + quote(replayed) + " (altered)");
      }
    }
  }

  /** A break's lifecycle columns. */
  private record Lifecycle(String status, Long closedRunId, Instant resolvedAt, String note,
      String adjustmentEntryId, String assignee) {
    static final Lifecycle OPENED = new Lifecycle(BreakStatus.OPEN.label(), null, null, null, null, null);
  }

  /** A value for a one-line message: strings quoted, shortened, without control characters. */
  static String quote(Object value) {
    if (value == null) {
      return "null";
    }
    if (!(value instanceof String text)) {
      return value.toString();
    }
    StringBuilder quoted = new StringBuilder(text.length() + 2).append('\'');
    int shown = 0;
    for (int i = 0; i < text.length() && shown < 60; i++, shown++) {
      char ch = text.charAt(i);
      quoted.append(Character.isISOControl(ch) ? '?' : ch);
    }
    if (text.length() > shown) {
      quoted.append("...");
    }
    return quoted.append('\'').toString();
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
    return time == null ? null : time.toInstant();
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }
}
