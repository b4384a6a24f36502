package dev.ledger.db;

import dev.ledger.account.AccountCode;
import dev.ledger.account.Side;
import dev.ledger.journal.Entry;
import dev.ledger.journal.Posting;
import dev.ledger.money.Amounts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.money.CurrencyUnit;

/** Conversions between core records and row values, and the hash chain arithmetic. */
final class Rows {
  /** Entries must fall inside what every layer (timestamptz, JDBC, ISO text) handles alike. */
  static final Instant MIN_TIME = Instant.parse("0001-01-01T00:00:00Z");
  static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999999Z");
  static final byte[] ZERO_HASH = new byte[32];
  private static final Map<String, CurrencyUnit> CURRENCIES = new ConcurrentHashMap<>();

  private Rows() {}

  static OffsetDateTime time(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }

  static Instant day(Instant instant) {
    return instant.truncatedTo(ChronoUnit.DAYS);
  }

  static CurrencyUnit currency(String code) {
    return CURRENCIES.computeIfAbsent(code, Amounts::currency);
  }

  static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        digest.update(part);
      }
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  static byte[] contentHash(String canonical) {
    return sha256(canonical.getBytes(StandardCharsets.UTF_8));
  }

  /** Chain link: covers the previous link, the append position, the recording time and content. */
  static byte[] chainHash(byte[] previous, long sequence, Instant recordedAt, byte[] contentHash) {
    byte[] header = ("sequence=" + sequence + "\nrecorded_at=" + recordedAt + "\n")
        .getBytes(StandardCharsets.UTF_8);
    return sha256(previous, header, contentHash);
  }

  static String metadataJson(Map<String, String> metadata) {
    StringBuilder json = new StringBuilder(16 + metadata.size() * 32).append('{');
    boolean first = true;
    for (Map.Entry<String, String> item : metadata.entrySet()) {
      if (!first) {
        json.append(',');
      }
      first = false;
      quote(json, item.getKey());
      json.append(':');
      quote(json, item.getValue());
    }
    return json.append('}').toString();
  }

  private static void quote(StringBuilder json, String value) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }

  static Map<String, String> metadata(String[] keys, String[] values) {
    Map<String, String> metadata = new TreeMap<>();
    for (int i = 0; i < keys.length; i++) {
      metadata.put(keys[i], values[i]);
    }
    return metadata;
  }

  static Posting posting(String account, String currency, long signedAmount) {
    Side side = signedAmount > 0 ? Side.DEBIT : Side.CREDIT;
    return new Posting(AccountCode.parse(account), side,
        Amounts.ofMinor(Math.abs(signedAmount), currency(currency)));
  }

  /** Rejects values PostgreSQL cannot store, naming the entry (the core accepts them). */
  static void checkStorable(Entry entry) {
    if (entry.effectiveAt().isBefore(MIN_TIME) || entry.effectiveAt().isAfter(MAX_TIME)) {
      throw new IllegalArgumentException("Entry " + entry.id() + ": effective_at "
          + entry.effectiveAt() + " is outside " + MIN_TIME + " .. " + MAX_TIME);
    }
    if (entry.pending() != null && (entry.pending().expiresAt().isBefore(MIN_TIME)
        || entry.pending().expiresAt().isAfter(MAX_TIME))) {
      throw new IllegalArgumentException("Entry " + entry.id() + ": pending.expires_at "
          + entry.pending().expiresAt() + " is outside " + MIN_TIME + " .. " + MAX_TIME);
    }
    if (entry.description().indexOf('\0') >= 0) {
      throw new IllegalArgumentException("Entry " + entry.id() + ": description contains NUL");
    }
    for (Map.Entry<String, String> item : entry.metadata().entrySet()) {
      if (item.getValue().indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "Entry " + entry.id() + ": metadata '" + item.getKey() + "' contains NUL");
      }
    }
  }

  static Entry entry(String id, Instant effectiveAt, String description, Map<String, String> metadata,
      List<Posting> postings, String reversalOf) {
    return new Entry(id, effectiveAt, description, metadata, new ArrayList<>(postings), reversalOf);
  }

  static Entry entry(String id, Instant effectiveAt, String description, Map<String, String> metadata,
      List<Posting> postings, String reversalOf, dev.ledger.journal.Pending pending,
      dev.ledger.journal.Settlement settlement) {
    return new Entry(id, effectiveAt, description, metadata, new ArrayList<>(postings), reversalOf,
        pending, settlement);
  }
}
