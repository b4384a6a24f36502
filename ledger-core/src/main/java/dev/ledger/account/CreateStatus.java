package dev.ledger.account;

/** Outcome of creating an account; same words and meaning as for entries. */
public enum CreateStatus {
  CREATED,
  EXISTS,
  EXISTS_WITH_DIFFERENT_CONTENT
}
