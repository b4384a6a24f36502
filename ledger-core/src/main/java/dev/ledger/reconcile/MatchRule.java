package dev.ledger.reconcile;

import java.util.Locale;

/**
 * The rule that paired statement lines with ledger entries, recorded on every match (and counted
 * per run). The first two are the plain exact matches; a run stores those as counts only, and
 * every other match as a row naming its lines and entries.
 */
public enum MatchRule {
  /** Wallet bill: the key matched and currency, gross and fee are equal. */
  EXACT_KEY,
  /** Bank: the line names the entry's reference (settlement batch or entry id) and the amount is equal. */
  REFERENCE,
  /** A key or reference matched, the gross differs within the tolerance. */
  TOLERANCE,
  /** A key matched an entry effective on another day than the line, within the date-lag window. */
  DATE_LAG,
  /** Bank: no reference; the only entry with this amount within the date-lag window. */
  AMOUNT_AND_DATE,
  /** One line against several entries whose sum it is (a settlement batch, a credit net of fees). */
  ONE_TO_MANY_SUM,
  /** Several lines against one entry whose amount they add up to (a payout split, a fee deducted apart). */
  MANY_TO_ONE_SUM;

  /** The name in JSON and in stored runs: {@code exact-key}, {@code one-to-many-sum}, ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Whether a run stores each match of this rule as a row (not only its count). */
  public boolean storedEachMatch() {
    return this != EXACT_KEY && this != REFERENCE;
  }

  public static MatchRule parse(String wireName) {
    for (MatchRule rule : values()) {
      if (rule.wireName().equals(wireName)) {
        return rule;
      }
    }
    throw new IllegalArgumentException("Unknown match rule '" + wireName + "'");
  }
}
