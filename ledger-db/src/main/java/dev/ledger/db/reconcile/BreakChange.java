package dev.ledger.db.reconcile;

/** The outcome of a workflow step asked for a break (assign, comment, resolve). */
public enum BreakChange {
  /** Written: one event, queued for the chain. */
  APPLIED,
  /** No break has that id; nothing written. */
  UNKNOWN_BREAK,
  /** The break is resolved or closed already, so it cannot be assigned or resolved; nothing written. */
  SETTLED
}
