package dev.ledger.db.reconcile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

/**
 * The canonical text of reconciliation records, whose SHA-256 is the content hash that the hash
 * chain seals. Migration V14 computes the same text in SQL ({@code ledger_run_text},
 * {@code ledger_break_text}, {@code ledger_break_event_text}); this class recomputes it from the
 * rows for verify, so the two must agree byte for byte.
 *
 * <p>Format. A record is its kind on the first line, then one {@code name=value} line per field,
 * in a fixed order, each line ended by {@code \n}; the text is hashed as UTF-8. Values:
 * <ul>
 *   <li>a string: its length in UTF-8 bytes in decimal, {@code :}, the string itself (so newlines,
 *       {@code =} and any Unicode inside are unambiguous): {@code note=5:a\nb=c};</li>
 *   <li>an integer: decimal, a leading {@code -} when negative: {@code statement_gross=-1200};</li>
 *   <li>a time: microseconds since 1970-01-01T00:00:00Z in decimal (PostgreSQL's resolution);</li>
 *   <li>NULL: {@code ~}, which neither a string (it starts with a digit) nor a number starts with.</li>
 * </ul>
 * Records:
 * <ul>
 *   <li>{@code run}: {@code id, source, account, file_name, file_sha256, period_start, period_end,
 *       lines, matched, break_count, tolerance, created_at}, directly followed by one {@code break}
 *       block per break of the run, in break id order, each with {@code id, source, account, kind,
 *       match_key, entry_id, statement_line, currency, statement_gross, ledger_gross, statement_fee,
 *       ledger_fee, provider_txn_id, provider_refund_id, order_id, stated, computed}: the break as
 *       its run opened it, without the lifecycle columns that events change;</li>
 *   <li>since migration V17, after the breaks: one {@code rule_count} block per rule that matched
 *       ({@code rule, matches}, by rule name), one {@code match} block per stored match
 *       ({@code id, rule, match_key, statement_lines, entry_ids}, by id), and a {@code matched_keys}
 *       block ({@code sha256}: the hex SHA-256 of the stored key hashes) when the run has them. A run
 *       without any of them hashes as under V14;</li>
 *   <li>{@code break_event}: {@code id, break_id, status, run_id, note, adjustment_entry_id, actor,
 *       at}, then (migration V18) {@code author} and {@code assignee}, each only when not null, so
 *       that the events stored before V18 keep their text. Statuses: {@code closed}, {@code resolved},
 *       {@code assigned} (assignee set), {@code comment} (note is the text).</li>
 * </ul>
 * Example: {@code "break_event\nid=3\nbreak_id=17\nstatus=8:resolved\nrun_id=~\nnote=4:late\n
 * adjustment_entry_id=~\nactor=8:postgres\nat=1726106400000000\n"}.
 */
final class ReconciliationCanon {
  private ReconciliationCanon() {}

  /** Accumulates one record's canonical text. */
  static final class Text {
    private final StringBuilder text = new StringBuilder(256);

    Text(String kind) {
      text.append(kind).append('\n');
    }

    Text string(String name, String value) {
      text.append(name).append('=');
      if (value == null) {
        text.append('~');
      } else {
        text.append(utf8Length(value)).append(':').append(value);
      }
      text.append('\n');
      return this;
    }

    Text integer(String name, Long value) {
      text.append(name).append('=').append(value == null ? "~" : value.toString()).append('\n');
      return this;
    }

    Text time(String name, Instant value) {
      return integer(name, value == null ? null : micros(value));
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }

  static String runText(long id, String source, String account, String fileName, String fileSha256,
      Instant periodStart, Instant periodEnd, long lines, long matched, long breakCount, long tolerance,
      Instant createdAt) {
    return new Text("run").integer("id", id).string("source", source).string("account", account)
        .string("file_name", fileName).string("file_sha256", fileSha256).time("period_start", periodStart)
        .time("period_end", periodEnd).integer("lines", lines).integer("matched", matched)
        .integer("break_count", breakCount).integer("tolerance", tolerance).time("created_at", createdAt)
        .toString();
  }

  static String breakText(long id, String source, String account, String kind, String matchKey, String entryId,
      Long statementLine, String currency, Long statementGross, Long ledgerGross, Long statementFee,
      Long ledgerFee, String providerTxnId, String providerRefundId, String orderId, String stated,
      String computed) {
    return new Text("break").integer("id", id).string("source", source).string("account", account)
        .string("kind", kind).string("match_key", matchKey).string("entry_id", entryId)
        .integer("statement_line", statementLine).string("currency", currency)
        .integer("statement_gross", statementGross).integer("ledger_gross", ledgerGross)
        .integer("statement_fee", statementFee).integer("ledger_fee", ledgerFee)
        .string("provider_txn_id", providerTxnId).string("provider_refund_id", providerRefundId)
        .string("order_id", orderId).string("stated", stated).string("computed", computed).toString();
  }

  static String ruleCountText(String rule, long matches) {
    return new Text("rule_count").string("rule", rule).integer("matches", matches).toString();
  }

  static String matchText(long id, String rule, String matchKey, String statementLines, String entryIds) {
    return new Text("match").integer("id", id).string("rule", rule).string("match_key", matchKey)
        .string("statement_lines", statementLines).string("entry_ids", entryIds).toString();
  }

  static String matchedKeysText(String sha256Hex) {
    return new Text("matched_keys").string("sha256", sha256Hex).toString();
  }

  static String eventText(long id, long breakId, String status, Long runId, String note, String adjustmentEntryId,
      String actor, Instant at) {
    return eventText(id, breakId, status, runId, note, adjustmentEntryId, actor, at, null, null);
  }

  static String eventText(long id, long breakId, String status, Long runId, String note, String adjustmentEntryId,
      String actor, Instant at, String author, String assignee) {
    Text text = new Text("break_event").integer("id", id).integer("break_id", breakId).string("status", status)
        .integer("run_id", runId).string("note", note).string("adjustment_entry_id", adjustmentEntryId)
        .string("actor", actor).time("at", at);
    if (author != null) {
      text.string("author", author);
    }
    if (assignee != null) {
      text.string("assignee", assignee);
    }
    return text.toString();
  }

  /** Microseconds since the epoch; exact for every time PostgreSQL stores. */
  static long micros(Instant time) {
    return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  static void update(MessageDigest digest, String text) {
    digest.update(text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] hash(String text) {
    MessageDigest digest = sha256();
    update(digest, text);
    return digest.digest();
  }

  /** Length of exactly the bytes that {@link #update} hashes. */
  private static int utf8Length(String value) {
    return value.getBytes(StandardCharsets.UTF_8).length;
  }
}
