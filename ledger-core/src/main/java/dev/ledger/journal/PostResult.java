package dev.ledger.journal;

import dev.ledger.account.AccountCode;
import dev.ledger.account.Side;
import dev.ledger.money.Amounts;
import java.util.Objects;
import javax.money.CurrencyUnit;

/** The status of one posted entry, with a message naming the offending values when rejected. */
public record PostResult(String entryId, PostStatus status, String message) {
  public PostResult {
    Objects.requireNonNull(entryId, "entryId");
    Objects.requireNonNull(status, "status");
    message = message == null ? "" : message;
  }

  public static PostResult of(String entryId, PostStatus status) {
    return new PostResult(entryId, status, "");
  }

  /** OVERFLOW of one side of an account's totals; every ledger words it alike. */
  public static PostResult overflow(String entryId, AccountCode account, Side side, CurrencyUnit currency) {
    String code = currency.getCurrencyCode();
    return new PostResult(entryId, PostStatus.OVERFLOW, "Entry " + entryId + " would take the "
        + (side == Side.DEBIT ? "debits" : "credits") + " of " + account + " in " + code + " beyond "
        + Amounts.formatMinor(Amounts.MINOR_MAX, currency) + " " + code);
  }

  /** PERIOD_CLOSED, worded alike by every ledger. */
  public static PostResult periodClosed(String entryId, java.time.Instant effectiveAt, dev.ledger.period.Period period) {
    return new PostResult(entryId, PostStatus.PERIOD_CLOSED, "Entry " + entryId + " is effective at " + effectiveAt
        + ", in the closed period " + period.describe());
  }

  public boolean accepted() {
    return status.accepted();
  }
}
