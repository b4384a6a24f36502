package dev.ledger.journal;

import dev.ledger.account.AccountCode;
import dev.ledger.account.Side;
import dev.ledger.money.Amounts;
import java.util.Objects;
import javax.money.CurrencyUnit;
import org.javamoney.moneta.Money;

/**
 * One line of an entry: a strictly positive amount on the debit or credit side of an account.
 * Immutable and thread-safe.
 */
public record Posting(AccountCode account, Side side, Money amount) {
  public Posting {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(side, "side");
    Objects.requireNonNull(amount, "amount");
    if (!amount.isPositive()) {
      throw new IllegalArgumentException(
          "Posting amount must be positive: " + Amounts.format(amount) + " " + amount.getCurrency()
              + " on " + account);
    }
    Amounts.toMinor(amount); // rejects more decimals than the currency allows
  }

  public static Posting debit(String account, String amount, String currency) {
    return new Posting(AccountCode.parse(account), Side.DEBIT, Amounts.parse(amount, currency));
  }

  public static Posting credit(String account, String amount, String currency) {
    return new Posting(AccountCode.parse(account), Side.CREDIT, Amounts.parse(amount, currency));
  }

  public static Posting of(AccountCode account, Side side, Money amount) {
    return new Posting(account, side, amount);
  }

  public CurrencyUnit currency() {
    return amount.getCurrency();
  }

  public long amountMinor() {
    return Amounts.toMinor(amount);
  }

  /** Debit minus credit, in minor units. */
  public long signedMinor() {
    return side == Side.DEBIT ? amountMinor() : -amountMinor();
  }

  public Posting flipped() {
    return new Posting(account, side.opposite(), amount);
  }

  String canonical() {
    return account.value() + "|" + side.wireName() + "|" + currency().getCurrencyCode() + "|"
        + Amounts.format(amount);
  }
}
