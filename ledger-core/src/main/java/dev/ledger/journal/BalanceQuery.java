package dev.ledger.journal;

import dev.ledger.account.AccountCode;
import java.time.Instant;
import java.util.Objects;
import javax.money.CurrencyUnit;

/**
 * Balance of an account or of every account below a prefix, counting postings effective at or
 * before {@code asOf} and, when {@code knownAt} is set, recorded at or before it. Null times mean
 * "no limit"; a null currency means every currency. Immutable and thread-safe.
 */
public record BalanceQuery(AccountCode account, Instant asOf, Instant knownAt, CurrencyUnit currency) {
  public BalanceQuery {
    Objects.requireNonNull(account, "account");
  }

  public static BalanceQuery of(AccountCode account) {
    return new BalanceQuery(account, null, null, null);
  }

  public BalanceQuery asOf(Instant time) {
    return new BalanceQuery(account, time, knownAt, currency);
  }

  public BalanceQuery knownAt(Instant time) {
    return new BalanceQuery(account, asOf, time, currency);
  }

  public BalanceQuery currency(CurrencyUnit unit) {
    return new BalanceQuery(account, asOf, knownAt, unit);
  }
}
