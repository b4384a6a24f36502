package dev.ledger.reconcile;

import dev.ledger.money.Amounts;
import java.time.LocalDate;
import java.util.Objects;
import javax.money.CurrencyUnit;

/**
 * One day of a wallet's fund flow beside the ledger, in minor units, signed as the wallet's balance
 * moves: what came in for orders ({@code income}), went out for refunds, fees and withdrawals to
 * the bank, and anything else; the wallet's net movement that day, the ledger's net movement on the
 * clearing account for the same day, and the difference (wallet minus ledger; zero when the two
 * agree). Withdrawals are matched to the settlement entries that the bank statement matches from
 * the bank's side. Immutable and thread-safe.
 */
public record FundFlowDay(LocalDate day, CurrencyUnit currency, long income, long refunds, long fees,
    long withdrawals, long other, long walletMovement, long ledgerMovement) {
  public FundFlowDay {
    Objects.requireNonNull(day, "day");
    Objects.requireNonNull(currency, "currency");
  }

  public long difference() {
    return SumOverflowException.subtract(walletMovement, ledgerMovement, "the wallet's and the ledger's movements on "
        + day, currency);
  }

  public String format(long minor) {
    return Amounts.formatMinor(minor, currency);
  }
}
