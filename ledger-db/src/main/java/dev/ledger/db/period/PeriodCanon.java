package dev.ledger.db.period;

import dev.ledger.period.PeriodEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

/**
 * The canonical text of a period event, whose SHA-256 is the content hash that the hash chain
 * seals as a record of kind {@code period_event}. Migration V16 computes the same text in SQL
 * ({@code ledger_period_event_text}, over V14's {@code ledger_canon}); the two must agree byte for
 * byte.
 *
 * <p>Format, as for reconciliation records: the kind on the first line, then one
 * {@code name=value} line per field, each ended by {@code \n}, hashed as UTF-8. A string is its
 * UTF-8 length in bytes, {@code :} and the string; an integer is decimal; a time is microseconds
 * since the epoch in decimal; NULL is {@code ~}. Fields in order: {@code id, action, through,
 * prefix, reason, actor, at}. Example: {@code "period_event\nid=1\naction=5:close\n
 * through=1727740799999999\nprefix=~\nreason=9:September\nactor=8:postgres\nat=1727800000000000\n"}.
 */
public final class PeriodCanon {
  private PeriodCanon() {}

  public static String text(long id, String action, Instant through, String prefix, String reason, String actor,
      Instant at) {
    StringBuilder text = new StringBuilder(160).append("period_event\n");
    text.append("id=").append(id).append('\n');
    string(text, "action", action);
    text.append("through=").append(micros(through)).append('\n');
    string(text, "prefix", prefix);
    string(text, "reason", reason);
    string(text, "actor", actor);
    text.append("at=").append(micros(at)).append('\n');
    return text.toString();
  }

  public static String text(PeriodEvent event) {
    return text(event.id(), event.action().wireName(), event.period().through(),
        event.period().prefix() == null ? null : event.period().prefix().value(), event.reason(), event.actor(),
        event.at());
  }

  public static byte[] hash(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static void string(StringBuilder text, String name, String value) {
    text.append(name).append('=');
    if (value == null) {
      text.append('~');
    } else {
      text.append(value.getBytes(StandardCharsets.UTF_8).length).append(':').append(value);
    }
    text.append('\n');
  }

  /** Microseconds since the epoch, as PostgreSQL's extract(epoch) * 1000000 gives them. */
  static long micros(Instant time) {
    return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000);
  }
}
