package dev.ledger.reconcile;

/** Break kinds of DESIGN.md section 4. */
public enum BreakKind {
  MISSING_IN_LEDGER,
  MISSING_IN_STATEMENT,
  AMOUNT_MISMATCH,
  FEE_MISMATCH,
  CURRENCY_MISMATCH,
  DUPLICATE_IN_STATEMENT,
  AMBIGUOUS_MATCH,
  /** The statement's own figures disagree (a closing balance, a summary row or footer). */
  STATEMENT_INCONSISTENT,
  /** A line whose key an earlier stored run, of another statement file, already matched. */
  DUPLICATE_ACROSS_STATEMENTS;

  /** Kinds that a later run can close by itself; the others need a person. */
  public boolean closesAutomatically() {
    return this != DUPLICATE_IN_STATEMENT && this != AMBIGUOUS_MATCH && this != STATEMENT_INCONSISTENT
        && this != DUPLICATE_ACROSS_STATEMENTS;
  }
}
