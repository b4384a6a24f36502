package dev.ledger.reconcile;

/** Why a reconcile run stored nothing although the statement could be read. */
public enum RunRejection {
  /** A trade-bill source was given a fund-flow file (it states balances, fee deductions, withdrawals). */
  NOT_A_TRADE_BILL,
  /** The file stops short of what it announces; reconciling half of it would invent breaks. */
  TRUNCATED,
  /** {@code strict}: the file's own figures disagree. */
  INCONSISTENT,
  /** Amounts of the statement or the ledger add up, or differ, beyond the range of a long. */
  AMOUNTS_OUT_OF_RANGE
}
