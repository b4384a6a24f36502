package dev.ledger.journal;

/**
 * Outcome of posting one entry. Business rejections are statuses, not exceptions. Checks run in
 * this order and the first that fails decides: EXISTS / EXISTS_WITH_DIFFERENT_CONTENT, then
 * PERIOD_CLOSED (so an identical replay of an entry booked before its period closed stays EXISTS),
 * then the reversal checks (REVERSAL_TARGET_NOT_FOUND, ALREADY_REVERSED, REVERSAL_MISMATCH; a pending
 * entry or a void is not reversible: REVERSAL_MISMATCH), then the settlement checks of an entry that
 * posts or voids a pending one (PENDING_NOT_FOUND, PENDING_ALREADY_SETTLED, PENDING_EXPIRED,
 * PENDING_SETTLEMENT_MISMATCH), then OVERFLOW (posted totals, and the reservations of a pending
 * entry), then OVERDRAFT (on {@code available}: posted minus the outflows reserved by unexpired,
 * unsettled pending entries; a pending entry that has already expired reserves nothing);
 * REJECTED_WITH_BATCH is given afterwards to the valid entries of a rejected batch.
 * {@link PostingRules} is the one implementation of that order, for every ledger.
 */
public enum PostStatus {
  /** Stored now. */
  CREATED,
  /** An entry with this id and identical content was already stored: nothing changed. */
  EXISTS,
  /** An entry with this id but different content is stored: rejected. */
  EXISTS_WITH_DIFFERENT_CONTENT,
  /**
   * The entry would take an account's debits or credits total in one currency beyond
   * {@link dev.ledger.money.Amounts#MINOR_MAX} minor units (the range the ledger sums without
   * wrapping): rejected, naming the entry, the account and the currency.
   */
  OVERFLOW,
  /**
   * A no_overdraft account's available balance (posted in its normal direction minus the outflows
   * that unexpired, unsettled pending entries reserve) would go below zero: rejected.
   */
  OVERDRAFT,
  /** The entry reverses an id that is not stored: rejected. */
  REVERSAL_TARGET_NOT_FOUND,
  /** The reversed entry already has a reversal: rejected. */
  ALREADY_REVERSED,
  /** The entry claims to reverse another but its postings are not that entry's, flipped. */
  REVERSAL_MISMATCH,
  /**
   * The entry is effective in a closed period (on or before its end, and, for a period closed
   * under a prefix, with a posting on that prefix): rejected, naming the entry and the period.
   */
  PERIOD_CLOSED,
  /**
   * The entry settles (posts or voids) an id that is not stored, or that is not a pending entry.
   */
  PENDING_NOT_FOUND,
  /** The pending entry was already posted or voided (by the entry the message names). */
  PENDING_ALREADY_SETTLED,
  /** The pending entry's expires_at has passed: its reservation is released, it can no longer settle. */
  PENDING_EXPIRED,
  /**
   * The settlement's postings are not the pending entry's: a void must repeat them exactly, a post
   * must keep every account, side and currency in order with amounts at most the pending ones.
   */
  PENDING_SETTLEMENT_MISMATCH,
  /** Valid on its own, but another entry of the same all-or-nothing batch was rejected. */
  REJECTED_WITH_BATCH;

  /** CREATED and EXISTS leave the ledger holding the entry as submitted. */
  public boolean accepted() {
    return this == CREATED || this == EXISTS;
  }
}
