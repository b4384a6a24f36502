package dev.ledger.period;

/** Outcome of closing or reopening a period; business outcomes, not exceptions. */
public enum PeriodStatus {
  /** The period is closed now, and the close recorded. */
  CLOSED,
  /** The period is open again, and the reopen recorded. */
  REOPENED,
  /** The period was closed already: nothing recorded (a rerun of a close is harmless). */
  ALREADY_CLOSED,
  /** Reopen of a period that is not closed (never closed, or reopened already): nothing recorded. */
  NOT_CLOSED;

  /** CLOSED, REOPENED and ALREADY_CLOSED leave the period as asked. */
  public boolean accepted() {
    return this != NOT_CLOSED;
  }
}
