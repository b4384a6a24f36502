package dev.ledger.journal;

import dev.ledger.money.Amounts;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A journal entry: two or more postings that balance per currency. The id is the client's
 * idempotency key. Entries are never changed; a mistake is corrected by a {@link #reversal}.
 * A {@link Pending} entry only reserves its amounts until a {@link Settlement} entry posts or voids
 * it (or it expires); at most one of reversal_of, pending and settlement is set.
 * Immutable and thread-safe.
 */
public record Entry(
    String id,
    Instant effectiveAt,
    String description,
    Map<String, String> metadata,
    List<Posting> postings,
    String reversalOf,
    Pending pending,
    Settlement settlement) {

  public static final int ID_LENGTH_MAX = 128;
  public static final int DESCRIPTION_LENGTH_MAX = 1000;
  public static final int METADATA_KEYS_MAX = 64;
  public static final int METADATA_VALUE_LENGTH_MAX = 1000;
  public static final int POSTINGS_MAX = 1000;

  public Entry {
    checkId(id, "Entry id");
    Objects.requireNonNull(effectiveAt, () -> "Entry " + id + ": effective_at is missing");
    if (effectiveAt.getNano() % 1000 != 0) {
      throw new IllegalArgumentException(
          "Entry " + id + ": effective_at " + effectiveAt + " is more precise than microseconds");
    }
    description = description == null ? "" : description;
    if (description.length() > DESCRIPTION_LENGTH_MAX) {
      throw new IllegalArgumentException(
          "Entry " + id + ": description longer than " + DESCRIPTION_LENGTH_MAX + " characters");
    }
    metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metadata));
    if (metadata.size() > METADATA_KEYS_MAX) {
      throw new IllegalArgumentException(
          "Entry " + id + ": more than " + METADATA_KEYS_MAX + " metadata keys");
    }
    for (Map.Entry<String, String> item : metadata.entrySet()) {
      if (!isMetadataKey(item.getKey())) {
        throw new IllegalArgumentException(
            "Entry " + id + ": invalid metadata key '" + item.getKey()
                + "' (lowercase letters, digits and '_')");
      }
      if (item.getValue() == null || item.getValue().length() > METADATA_VALUE_LENGTH_MAX) {
        throw new IllegalArgumentException(
            "Entry " + id + ": metadata '" + item.getKey() + "' is missing or too long");
      }
    }
    Objects.requireNonNull(postings, () -> "Entry " + id + ": postings are missing");
    postings = List.copyOf(postings);
    if (postings.size() < 2) {
      throw new IllegalArgumentException(
          "Entry " + id + " has " + postings.size() + " posting(s): at least 2 are required");
    }
    if (postings.size() > POSTINGS_MAX) {
      throw new IllegalArgumentException(
          "Entry " + id + " has more than " + POSTINGS_MAX + " postings");
    }
    checkBalanced(id, postings);
    if (reversalOf != null) {
      checkId(reversalOf, "Entry " + id + ": reversal_of");
      if (reversalOf.equals(id)) {
        throw new IllegalArgumentException("Entry " + id + " cannot reverse itself");
      }
    }
    if ((reversalOf != null ? 1 : 0) + (pending != null ? 1 : 0) + (settlement != null ? 1 : 0) > 1) {
      throw new IllegalArgumentException("Entry " + id
          + ": a reversal, a pending entry and a settlement of a pending entry exclude each other");
    }
    if (settlement != null) {
      checkId(settlement.pendingId(), "Entry " + id + ": settles");
    }
    if (settlement != null && settlement.pendingId().equals(id)) {
      throw new IllegalArgumentException("Entry " + id + " cannot settle itself");
    }
  }

  /** An entry that is neither pending nor a settlement. */
  public Entry(String id, Instant effectiveAt, String description, Map<String, String> metadata,
      List<Posting> postings, String reversalOf) {
    this(id, effectiveAt, description, metadata, postings, reversalOf, null, null);
  }

  public static Entry of(
      String id, Instant effectiveAt, String description, Map<String, String> metadata,
      List<Posting> postings) {
    return new Entry(id, effectiveAt, description, metadata, postings, null);
  }

  /** This entry as a pending one that expires at {@code expiresAt}. */
  public Entry withPending(Instant expiresAt) {
    return new Entry(id, effectiveAt, description, metadata, postings, reversalOf,
        new Pending(expiresAt), settlement);
  }

  /** Whether the entry moves posted balances: pending entries and voids only record. */
  public boolean posts() {
    return pending == null && (settlement == null || settlement.kind() == Settlement.Kind.POST);
  }

  /**
   * The entry that posts this pending one under {@code postId}: its postings, or, with
   * {@code amount}, that amount on both postings of a pending entry with exactly one debit and
   * one credit in one currency (the rest is released). The ledger refuses an amount above the
   * pending one ({@link PostStatus#PENDING_SETTLEMENT_MISMATCH}).
   */
  public Entry pendingPost(String postId, String amount, Instant at) {
    requirePending();
    List<Posting> finals = postings;
    if (amount != null) {
      if (postings.size() != 2 || postings.get(0).side() == postings.get(1).side()
          || !postings.get(0).currency().equals(postings.get(1).currency())) {
        throw new IllegalArgumentException("Pending entry " + id + " has " + postings.size()
            + " postings: a partial amount applies only to one debit and one credit in one currency;"
            + " post it in full instead");
      }
      javax.money.CurrencyUnit currency = postings.get(0).currency();
      org.javamoney.moneta.Money money = Amounts.parse(amount, currency.getCurrencyCode());
      finals = List.of(new Posting(postings.get(0).account(), postings.get(0).side(), money),
          new Posting(postings.get(1).account(), postings.get(1).side(), money));
    }
    return new Entry(postId, at.truncatedTo(ChronoUnit.MICROS), description, metadata, finals, null,
        null, new Settlement(id, Settlement.Kind.POST));
  }

  /** The entry that voids this pending one under {@code voidId}: the same postings, released. */
  public Entry pendingVoid(String voidId, String reason, Instant at) {
    requirePending();
    Map<String, String> voidMetadata = new TreeMap<>(metadata);
    if (reason != null && !reason.isBlank()) {
      voidMetadata.put("void_reason", reason);
    }
    String text = "Void of " + id + (reason == null || reason.isBlank() ? "" : ": " + reason);
    if (text.length() > DESCRIPTION_LENGTH_MAX) {
      text = text.substring(0, DESCRIPTION_LENGTH_MAX);
    }
    return new Entry(voidId, at.truncatedTo(ChronoUnit.MICROS), text, voidMetadata, postings, null,
        null, new Settlement(id, Settlement.Kind.VOID));
  }

  private void requirePending() {
    if (pending == null) {
      throw new IllegalArgumentException("Entry " + id + " is not a pending entry");
    }
  }

  /** The entry that undoes this one: every posting flipped, linked by {@code reversal_of}. */
  public Entry reversal(String reversalId, String reason, Instant effectiveAt) {
    List<Posting> flipped = new ArrayList<>(postings.size());
    for (Posting posting : postings) {
      flipped.add(posting.flipped());
    }
    Map<String, String> reversalMetadata = new TreeMap<>(metadata);
    if (reason != null && !reason.isBlank()) {
      reversalMetadata.put("reversal_reason", reason);
    }
    String text = "Reversal of " + id + (reason == null || reason.isBlank() ? "" : ": " + reason);
    if (text.length() > DESCRIPTION_LENGTH_MAX) {
      text = text.substring(0, DESCRIPTION_LENGTH_MAX);
    }
    return new Entry(
        reversalId, effectiveAt.truncatedTo(ChronoUnit.MICROS), text, reversalMetadata, flipped, id);
  }

  /** True when {@code other} carries the same postings flipped, in the same order. */
  public boolean isReversalOf(Entry other) {
    if (postings.size() != other.postings.size()) {
      return false;
    }
    for (int i = 0; i < postings.size(); i++) {
      if (!postings.get(i).canonical().equals(other.postings.get(i).flipped().canonical())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Canonical text of everything the client chose: the basis of idempotency comparison and of
   * the tamper-evident hash. Amounts carry exactly their currency's minor units.
   */
  public String canonical() {
    StringBuilder text = new StringBuilder(128 + postings.size() * 64);
    text.append("id=").append(escape(id)).append('\n');
    text.append("effective_at=").append(effectiveAt).append('\n');
    text.append("description=").append(escape(description)).append('\n');
    text.append("reversal_of=").append(reversalOf == null ? "" : escape(reversalOf)).append('\n');
    // Only present on pending entries and settlements, so every other entry hashes as before.
    if (pending != null) {
      text.append("pending.expires_at=").append(pending.expiresAt()).append('\n');
    }
    if (settlement != null) {
      text.append("settles=").append(escape(settlement.pendingId())).append('\n');
      text.append("settlement=").append(settlement.kind().wireName()).append('\n');
    }
    for (Map.Entry<String, String> item : metadata.entrySet()) {
      text.append("metadata.").append(item.getKey()).append('=').append(escape(item.getValue()))
          .append('\n');
    }
    for (Posting posting : postings) {
      text.append("posting=").append(posting.canonical()).append('\n');
    }
    return text.toString();
  }

  public boolean sameContent(Entry other) {
    return canonical().equals(other.canonical());
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static void checkId(String value, String what) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    if (value.length() > ID_LENGTH_MAX) {
      throw new IllegalArgumentException(
          what + " is longer than " + ID_LENGTH_MAX + " characters: '" + value.substring(0, 40)
              + "...'");
    }
    if (!isId(value)) {
      throw new IllegalArgumentException(
          what + " '" + value + "' has characters outside letters, digits and ._:@/+=#-");
    }
  }

  // Checked by hand rather than by regex (the regexes were a tenth of the CPU time of reading an
  // entry file). An id is [A-Za-z0-9][A-Za-z0-9._:@/+=#-]*.
  static boolean isId(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alphanumeric && (i == 0 || "._:@/+=#-".indexOf(c) < 0)) {
        return false;
      }
    }
    return !value.isEmpty();
  }

  /** A metadata key is [a-z][a-z0-9_]{0,63}. */
  static boolean isMetadataKey(String key) {
    if (key.isEmpty() || key.length() > 64 || key.charAt(0) < 'a' || key.charAt(0) > 'z') {
      return false;
    }
    for (int i = 1; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
        return false;
      }
    }
    return true;
  }

  private static void checkBalanced(String id, List<Posting> postings) {
    Map<String, long[]> totals = new TreeMap<>();
    for (Posting posting : postings) {
      long[] total = totals.computeIfAbsent(posting.currency().getCurrencyCode(), c -> new long[2]);
      int side = posting.side() == dev.ledger.account.Side.DEBIT ? 0 : 1;
      if (!Amounts.sumFits(total[side], posting.amountMinor())) {
        throw new IllegalArgumentException("Entry " + id + ": " + (side == 0 ? "debits" : "credits")
            + " in " + posting.currency().getCurrencyCode() + " exceed "
            + Amounts.formatMinor(Amounts.MINOR_MAX, posting.currency()) + " (at " + posting.account()
            + ")");
      }
      total[side] += posting.amountMinor();
    }
    for (Map.Entry<String, long[]> total : totals.entrySet()) {
      long[] sides = total.getValue();
      if (sides[0] != sides[1]) {
        var currency = Amounts.currency(total.getKey());
        throw new IllegalArgumentException(
            "Entry " + id + " is unbalanced in " + total.getKey() + ": debits "
                + Amounts.formatMinor(sides[0], currency) + " != credits "
                + Amounts.formatMinor(sides[1], currency));
      }
    }
  }
}
