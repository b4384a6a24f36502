package dev.ledger.journal;

import dev.ledger.account.AccountCode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.money.CurrencyUnit;

/** Result of a {@link BalanceQuery}: one line per currency, sorted by currency code. */
public record Balance(AccountCode account, Instant asOf, Instant knownAt, List<CurrencyBalance> currencies) {
  public Balance {
    currencies = List.copyOf(currencies);
  }

  public Optional<CurrencyBalance> in(CurrencyUnit currency) {
    return currencies.stream().filter(c -> c.currency().equals(currency)).findFirst();
  }

  /** Balance in the normal direction in minor units; zero when the currency has no postings. */
  public long balanceMinor(CurrencyUnit currency) {
    return in(currency).map(CurrencyBalance::balanceMinor).orElse(0L);
  }
}
