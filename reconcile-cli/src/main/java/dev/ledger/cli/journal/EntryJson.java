package dev.ledger.cli.journal;

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
import java.time.Instant;
import java.time.OffsetDateTime;
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

  private EntryJson() {}

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
