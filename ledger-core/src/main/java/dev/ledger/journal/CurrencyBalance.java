package dev.ledger.journal;

import dev.ledger.account.Side;
import dev.ledger.money.Amounts;
import dev.ledger.account.AccountCode;
import java.math.BigInteger;
import javax.money.CurrencyUnit;
import org.javamoney.moneta.Money;

/**
 * Debit and credit totals in one currency, with the balance in the account's normal direction.
 * Amounts are minor units, each total within {@link Amounts#MINOR_MAX} (the ledger keeps every
 * account's totals there; {@link #ofSums} refuses a sum over several accounts that is not).
 * Immutable and thread-safe.
 */
public record CurrencyBalance(CurrencyUnit currency, long debitsMinor, long creditsMinor, Side normalSide) {
  /**
   * The balance of exact sums (an account, or every account under a prefix): sums beyond a long are
   * refused naming the account and currency, never wrapped or narrowed.
   */
  public static CurrencyBalance ofSums(AccountCode account, CurrencyUnit currency, BigInteger debits,
      BigInteger credits, Side normalSide) {
    BigInteger max = BigInteger.valueOf(Amounts.MINOR_MAX);
    if (debits.compareTo(max) > 0 || credits.compareTo(max) > 0) {
      throw new IllegalArgumentException("The balance of " + account + " in "
          + currency.getCurrencyCode() + " sums debits " + Amounts.formatMinor(debits, currency)
          + " and credits " + Amounts.formatMinor(credits, currency) + ", beyond the "
          + Amounts.formatMinor(Amounts.MINOR_MAX, currency) + " a balance holds: ask for the"
          + " accounts below it one by one");
    }
    return new CurrencyBalance(currency, debits.longValueExact(), credits.longValueExact(), normalSide);
  }

  public long balanceMinor() {
    return normalSide == Side.DEBIT ? debitsMinor - creditsMinor : creditsMinor - debitsMinor;
  }

  public Money debits() {
    return Amounts.ofMinor(debitsMinor, currency);
  }

  public Money credits() {
    return Amounts.ofMinor(creditsMinor, currency);
  }

  public Money balance() {
    return Amounts.ofMinor(balanceMinor(), currency);
  }
}
