package dev.ledger.journal;

import dev.ledger.account.AccountCode;
import dev.ledger.account.Side;
import dev.ledger.money.Amounts;
import java.time.Instant;
import javax.money.CurrencyUnit;

/**
 * One posting in an account's history with the running balance (normal direction, per currency)
 * after it. Amounts in minor units. Immutable and thread-safe.
 */
public record HistoryLine(
    String entryId,
    Instant effectiveAt,
    Instant recordedAt,
    String description,
    AccountCode account,
    CurrencyUnit currency,
    Side side,
    long amountMinor,
    long runningBalanceMinor) {

  /**
   * The running balance after a posting of {@code delta} (normal direction); a balance of several
   * accounts beyond a long is refused naming the account and currency, never wrapped.
   */
  public static long runningAfter(AccountCode account, CurrencyUnit currency, long running, long delta) {
    if (!Amounts.sumFits(running, delta)) {
      throw new IllegalArgumentException("The running balance of " + account + " in "
          + currency.getCurrencyCode() + " goes beyond " + Amounts.formatMinor(Amounts.MINOR_MAX, currency)
          + ": ask for the accounts below it one by one");
    }
    return running + delta;
  }
}
