package dev.ledger.account;

/** The side of a posting, and the normal side of an account type. */
public enum Side {
  DEBIT,
  CREDIT;

  public Side opposite() {
    return this == DEBIT ? CREDIT : DEBIT;
  }

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
