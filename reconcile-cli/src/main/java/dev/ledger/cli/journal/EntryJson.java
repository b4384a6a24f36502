package dev.ledger.cli.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.account.AccountCode;
import dev.ledger.account.Side;
import dev.ledger.cli.Json;
import dev.ledger.journal.Entry;
import dev.ledger.journal.Pending;
import dev.ledger.journal.Settlement;
import dev.ledger.journal.Posting;
import dev.ledger.money.Amounts;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The entry format of DESIGN.md section 6: one JSON object per line, amounts as decimal strings. */
public final class EntryJson {
  private static final Set<String> FIELDS =
      Set.of("id", "effective_at", "description", "metadata", "postings", "reversal_of", "pending", "settles");
  private static final Set<String> POSTING_FIELDS = Set.of("account", "currency", "debit", "credit");

  private static final JsonFactory FACTORY = new JsonFactory();

  private EntryJson() {}

  /**
   * Reads one line that holds the usual shape of entry (string fields, metadata of strings, no
   * pending or settlement, no nulls, no duplicate keys, nothing after the object) straight from
   * the token stream, without building a tree; null for any other line, which the caller then
   * reads with {@link #read(JsonNode)} for the exact result or message. Building the tree was
   * 40 % of the CPU time of reading an entry file.
   */
  static Entry readUsual(String line) {
    try (JsonParser parser = FACTORY.createParser(line)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String id = null;
      String effectiveAt = null;
      String description = null;
      String reversalOf = null;
      Map<String, String> metadata = null;
      List<Posting> postings = null;
      for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value == JsonToken.START_OBJECT && name.equals("metadata") && metadata == null) {
          metadata = new LinkedHashMap<>();
          for (JsonToken key = parser.nextToken(); key != JsonToken.END_OBJECT; key = parser.nextToken()) {
            String metadataKey = parser.currentName();
            if (parser.nextToken() != JsonToken.VALUE_STRING
                || metadata.put(metadataKey, parser.getText()) != null) {
              return null;
            }
          }
        } else if (value == JsonToken.START_ARRAY && name.equals("postings") && postings == null) {
          postings = new ArrayList<>(4);
          for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
            Posting posting = item == JsonToken.START_OBJECT ? usualPosting(parser) : null;
            if (posting == null) {
              return null;
            }
            postings.add(posting);
          }
        } else if (value != JsonToken.VALUE_STRING) {
          return null;
        } else if (name.equals("id") && id == null) {
          id = parser.getText();
        } else if (name.equals("effective_at") && effectiveAt == null) {
          effectiveAt = parser.getText();
        } else if (name.equals("description") && description == null) {
          description = parser.getText();
        } else if (name.equals("reversal_of") && reversalOf == null) {
          reversalOf = parser.getText();
        } else {
          return null; // pending, settles, an unknown field, or a duplicate
        }
      }
      if (parser.nextToken() != null || id == null || effectiveAt == null || postings == null) {
        return null;
      }
      return new Entry(id, usualTime(effectiveAt), description, metadata, postings, reversalOf);
    } catch (IOException | RuntimeException e) {
      return null; // the tree reader says what is wrong
    }
  }

  private static Posting usualPosting(JsonParser parser) throws IOException {
    String account = null;
    String currency = null;
    String amount = null;
    Side side = null;
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
      String name = parser.currentName();
      if (parser.nextToken() != JsonToken.VALUE_STRING) {
        return null;
      }
      if (name.equals("account") && account == null) {
        account = parser.getText();
      } else if (name.equals("currency") && currency == null) {
        currency = parser.getText();
      } else if ((name.equals("debit") || name.equals("credit")) && side == null) {
        side = name.equals("debit") ? Side.DEBIT : Side.CREDIT;
        amount = parser.getText();
      } else {
        return null;
      }
    }
    if (account == null || currency == null || side == null) {
      return null;
    }
    return Posting.of(AccountCode.parse(account), side, Amounts.parse(amount, currency));
  }

  /**
   * "2024-09-12T10:15:02Z", "2024-09-12T10:15:02.5+08:00": the full form with seconds, read by
   * hand; anything else (or out of range) by {@link #time}, which either accepts it or names it.
   */
  static Instant usualTime(String text) {
    int length = text.length();
    if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':') {
      return time(text);
    }
    int at = 19;
    int nanos = 0;
    if (text.charAt(at) == '.') {
      int digits = 0;
      for (at++; at < length && digits < 9 && isDigit(text.charAt(at)); at++, digits++) {
        nanos = nanos * 10 + (text.charAt(at) - '0');
      }
      if (digits == 0 || (at < length && isDigit(text.charAt(at)))) {
        return time(text);
      }
      for (int k = digits; k < 9; k++) {
        nanos *= 10;
      }
    }
    int offsetSeconds;
    if (at == length - 1 && text.charAt(at) == 'Z') {
      offsetSeconds = 0;
    } else if (at == length - 6 && (text.charAt(at) == '+' || text.charAt(at) == '-')
        && text.charAt(at + 3) == ':') {
      int hours = number(text, at + 1, 2);
      int minutes = number(text, at + 4, 2);
      if (hours < 0 || minutes < 0 || hours > 18 || minutes > 59) {
        return time(text);
      }
      offsetSeconds = (text.charAt(at) == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
    } else {
      return time(text);
    }
    int year = number(text, 0, 4);
    int month = number(text, 5, 2);
    int day = number(text, 8, 2);
    int hour = number(text, 11, 2);
    int minute = number(text, 14, 2);
    int second = number(text, 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
      return time(text);
    }
    try {
      return LocalDateTime.of(LocalDate.of(year, month, day), LocalTime.of(hour, minute, second, nanos))
          .toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
    } catch (java.time.DateTimeException e) {
      return time(text);
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The non-negative number in {@code count} ASCII digits at {@code from}, or -1. */
  private static int number(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** Reads one entry; IllegalArgumentException names the field and value at fault. */
  public static Entry read(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("expected a JSON object, got " + node.getNodeType());
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException("unknown field '" + name + "'");
      }
    }
    String id = text(node, "id", true);
    String prefix = id == null ? "" : "entry " + id + ": ";
    try {
      Instant effectiveAt = time(text(node, "effective_at", true));
      Map<String, String> metadata = new LinkedHashMap<>();
      JsonNode meta = node.get("metadata");
      if (meta != null && !meta.isNull()) {
        if (!meta.isObject()) {
          throw new IllegalArgumentException("metadata must be an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> item = it.next();
          if (!item.getValue().isTextual()) {
            throw new IllegalArgumentException("metadata '" + item.getKey() + "' must be a string");
          }
          metadata.put(item.getKey(), item.getValue().asText());
        }
      }
      JsonNode postingsNode = node.get("postings");
      if (postingsNode == null || !postingsNode.isArray()) {
        throw new IllegalArgumentException("postings must be an array");
      }
      List<Posting> postings = new ArrayList<>();
      int index = 0;
      for (JsonNode posting : postingsNode) {
        index++;
        try {
          postings.add(posting(posting));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("posting " + index + ": " + e.getMessage(), e);
        }
      }
      String description = text(node, "description", false);
      String reversalOf = text(node, "reversal_of", false);
      Pending pending = null;
      JsonNode pendingNode = node.get("pending");
      if (pendingNode != null && !pendingNode.isNull()) {
        only(pendingNode, "pending", Set.of("expires_at"));
        pending = new Pending(time(text(pendingNode, "expires_at", true)));
      }
      Settlement settlement = null;
      JsonNode settlesNode = node.get("settles");
      if (settlesNode != null && !settlesNode.isNull()) {
        only(settlesNode, "settles", Set.of("pending_id", "kind"));
        settlement = new Settlement(text(settlesNode, "pending_id", true),
            Settlement.Kind.parse(text(settlesNode, "kind", true)));
      }
      return new Entry(id, effectiveAt, description, metadata, postings, reversalOf, pending, settlement);
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      throw new IllegalArgumentException(
          message.startsWith("Entry " + id) ? message : prefix + message, e);
    }
  }

  private static void only(JsonNode node, String field, Set<String> names) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(field + " must be an object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!names.contains(name)) {
        throw new IllegalArgumentException("unknown field '" + field + "." + name + "'");
      }
    }
  }

  private static Posting posting(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("expected an object");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!POSTING_FIELDS.contains(name)) {
        throw new IllegalArgumentException("unknown field '" + name + "'");
      }
    }
    AccountCode account = AccountCode.parse(text(node, "account", true));
    String currency = text(node, "currency", true);
    JsonNode debit = node.get("debit");
    JsonNode credit = node.get("credit");
    if ((debit == null) == (credit == null)) {
      throw new IllegalArgumentException("give exactly one of debit or credit on " + account);
    }
    JsonNode amount = debit != null ? debit : credit;
    if (!amount.isTextual()) {
      throw new IllegalArgumentException(
          "amount on " + account + " must be a decimal string like \"100.00\", got " + amount);
    }
    return Posting.of(account, debit != null ? Side.DEBIT : Side.CREDIT,
        Amounts.parse(amount.asText(), currency));
  }

  private static String text(JsonNode node, String field, boolean required) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw new IllegalArgumentException("missing field '" + field + "'");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' must be a string, got " + value);
    }
    return value.asText();
  }

  static Instant time(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "invalid time '" + text + "': expected ISO-8601 with offset, e.g. 2024-09-12T10:15:02+08:00");
    }
  }

  public static ObjectNode write(Entry entry) {
    ObjectNode node = Json.object();
    node.put("id", entry.id());
    node.put("effective_at", entry.effectiveAt().toString());
    node.put("description", entry.description());
    if (entry.reversalOf() != null) {
      node.put("reversal_of", entry.reversalOf());
    }
    if (entry.pending() != null) {
      node.putObject("pending").put("expires_at", entry.pending().expiresAt().toString());
    }
    if (entry.settlement() != null) {
      node.putObject("settles").put("pending_id", entry.settlement().pendingId())
          .put("kind", entry.settlement().kind().wireName());
    }
    ObjectNode metadata = node.putObject("metadata");
    entry.metadata().forEach(metadata::put);
    ArrayNode postings = node.putArray("postings");
    for (Posting posting : entry.postings()) {
      ObjectNode item = postings.addObject();
      item.put("account", posting.account().value());
      item.put("currency", posting.currency().getCurrencyCode());
      item.put(posting.side().wireName(), Amounts.format(posting.amount()));
    }
    return node;
  }
}
