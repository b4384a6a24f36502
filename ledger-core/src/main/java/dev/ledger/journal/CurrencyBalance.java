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
 * The pending totals are what open (unsettled, unexpired) pending entries reserve: they are not in
 * the posted balance; {@link #availableMinor()} is the posted balance minus the pending outflows.
 * Immutable and thread-safe.
 */
public record CurrencyBalance(CurrencyUnit currency, long debitsMinor, long creditsMinor, Side normalSide,
    long pendingDebitsMinor, long pendingCreditsMinor) {

  public CurrencyBalance {
    if (pendingDebitsMinor < 0 || pendingCreditsMinor < 0) {
      throw new IllegalArgumentException("Pending totals must not be negative: " + pendingDebitsMinor
          + ", " + pendingCreditsMinor);
    }
  }

  /** Totals without pending entries. */
  public CurrencyBalance(CurrencyUnit currency, long debitsMinor, long creditsMinor, Side normalSide) {
    this(currency, debitsMinor, creditsMinor, normalSide, 0, 0);
  }

  /** These posted totals with the exact pending sums of {@code account}, range-checked like them. */
  public CurrencyBalance withPending(AccountCode account, BigInteger pendingDebits, BigInteger pendingCredits) {
    BigInteger max = BigInteger.valueOf(Amounts.MINOR_MAX);
    if (pendingDebits.compareTo(max) > 0 || pendingCredits.compareTo(max) > 0) {
      throw new IllegalArgumentException("The pending amounts of " + account + " in "
          + currency.getCurrencyCode() + " sum beyond " + Amounts.formatMinor(Amounts.MINOR_MAX, currency)
          + ": ask for the accounts below it one by one");
    }
    return new CurrencyBalance(currency, debitsMinor, creditsMinor, normalSide,
        pendingDebits.longValueExact(), pendingCredits.longValueExact());
  }

  /** Net pending movement in the normal direction: what posting every open pending entry in full adds. */
  public long pendingMinor() {
    return normalSide == Side.DEBIT ? pendingDebitsMinor - pendingCreditsMinor
        : pendingCreditsMinor - pendingDebitsMinor;
  }

  /** Posted balance minus the pending amounts that would lower it (outflows); may not fit a long for huge prefixes. */
  public long availableMinor() {
    return Math.subtractExact(balanceMinor(), normalSide == Side.DEBIT ? pendingCreditsMinor : pendingDebitsMinor);
  }

  public Money pending() {
    return Amounts.ofMinor(pendingMinor(), currency);
  }

  public Money available() {
    return Amounts.ofMinor(availableMinor(), currency);
  }
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
