package dev.ledger.statement;

/** What a statement line records. Bank credits from a provider are SETTLEMENT. */
public enum LineType {
  PAYMENT,
  REFUND,
  FEE,
  SETTLEMENT,
  OTHER;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
