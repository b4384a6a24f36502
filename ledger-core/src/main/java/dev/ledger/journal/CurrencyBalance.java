package dev.ledger.journal;

import dev.ledger.account.Side;
import dev.ledger.money.Amounts;
import javax.money.CurrencyUnit;
import org.javamoney.moneta.Money;

/**
 * Debit and credit totals in one currency, with the balance in the account's normal direction.
 * Amounts are minor units. Immutable and thread-safe.
 */
public record CurrencyBalance(CurrencyUnit currency, long debitsMinor, long creditsMinor, Side normalSide) {
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
