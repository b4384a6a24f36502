package dev.ledger.money;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;
import javax.money.CurrencyUnit;
import javax.money.Monetary;
import javax.money.UnknownCurrencyException;
import org.javamoney.moneta.Money;

/**
 * Strict conversions between decimal strings, minor units and Moneta {@link Money}. An amount whose
 * scale exceeds its currency's minor units is rejected, never rounded.
 *
 * <p>Range: an amount is at most {@link #MINOR_MAX} minor units ({@code Long.MAX_VALUE}, e.g.
 * 92233720368547758.07 CNY), the range of the ledger's bigint columns. Larger amounts are a caller
 * mistake (IllegalArgumentException naming value and currency), never an ArithmeticException. Sums
 * of amounts (an entry's per-currency totals, an account's debits or credits) are held to the same
 * range by the ledger, which rejects the entry that would leave it.
 */
public final class Amounts {
  private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?");
  private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Z]{3}");
  private static final int DIGITS_MAX = 30;
  /** The largest amount, sum or balance in minor units: what a PostgreSQL bigint holds. */
  public static final long MINOR_MAX = Long.MAX_VALUE;
  private static final BigInteger MINOR_MAX_BIG = BigInteger.valueOf(MINOR_MAX);

  /**
   * Currencies found so far. Moneta's lookup asks every provider and builds their sets anew on
   * each call: it was a third of the CPU time of reading an entry file. The providers do not change
   * while the JVM runs, so a unit once found stays valid.
   */
  private static final java.util.concurrent.ConcurrentMap<String, CurrencyUnit> KNOWN =
      new java.util.concurrent.ConcurrentHashMap<>();

  private Amounts() {}

  public static CurrencyUnit currency(String code) {
    CurrencyUnit known = code == null ? null : KNOWN.get(code);
    if (known != null) {
      return known;
    }
    if (code == null || !CURRENCY_CODE.matcher(code).matches()) {
      throw new IllegalArgumentException("Invalid currency code: '" + code + "'");
    }
    try {
      CurrencyUnit unit = Monetary.getCurrency(code);
      KNOWN.putIfAbsent(code, unit);
      return unit;
    } catch (UnknownCurrencyException e) {
      throw new IllegalArgumentException("Unknown currency: " + code, e);
    }
  }

  /** Minor units of a currency (CNY 2, JPY 0, KWD 3). */
  public static int scale(CurrencyUnit currency) {
    return Math.max(0, currency.getDefaultFractionDigits());
  }

  /**
   * Parses a plain decimal string such as "100.00" or "-0.6". Rejects exponents, grouping
   * separators, signs other than a leading minus, and more decimals than the currency allows.
   */
  public static Money parse(String text, CurrencyUnit currency) {
    return Money.of(parseDecimal(text, currency), currency);
  }

  public static Money parse(String text, String currencyCode) {
    return parse(text, currency(currencyCode));
  }

  /** Same rules as {@link #parse} but returns the exact decimal. */
  public static BigDecimal parseDecimal(String text, CurrencyUnit currency) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("Amount is empty");
    }
    int allowed = scale(currency);
    BigDecimal plain = parseShort(text, allowed);
    if (plain != null) {
      return plain;
    }
    if (text.length() > DIGITS_MAX + 2 || !DECIMAL.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "Invalid amount '" + abbreviate(text) + "': expected a plain decimal like 1234.56");
    }
    BigDecimal value = new BigDecimal(text);
    if (value.scale() > allowed && value.stripTrailingZeros().scale() > allowed) {
      throw new IllegalArgumentException(
          "Amount "
              + text
              + " "
              + currency.getCurrencyCode()
              + " has more decimals than "
              + currency.getCurrencyCode()
              + " allows ("
              + allowed
              + ")");
    }
    BigDecimal exact = value.setScale(allowed);
    checkRange(exact.unscaledValue(), currency);
    return exact;
  }

  /**
   * The common case without a regex or BigInteger: at most 18 digits, matching {@link #DECIMAL},
   * with no more decimals than the currency allows. Null for anything else, which the general
   * path then accepts or rejects with its message.
   */
  private static BigDecimal parseShort(String text, int allowed) {
    int length = text.length();
    if (length > 19) {
      return null;
    }
    int i = text.charAt(0) == '-' ? 1 : 0;
    int start = i;
    long unscaled = 0;
    int digits = 0;
    int decimals = -1;
    for (; i < length; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        unscaled = unscaled * 10 + (c - '0');
        digits++;
        if (decimals >= 0) {
          decimals++;
        }
      } else if (c == '.' && decimals < 0) {
        decimals = 0;
      } else {
        return null;
      }
    }
    int integerDigits = digits - Math.max(decimals, 0);
    if (integerDigits == 0 || decimals == 0 || decimals > allowed || digits > 18
        || (integerDigits > 1 && text.charAt(start) == '0')) {
      return null;
    }
    if (digits + allowed - Math.max(decimals, 0) > 18) {
      return null; // 18 digits in minor units always fit a long
    }
    for (int k = Math.max(decimals, 0); k < allowed; k++) {
      unscaled *= 10;
    }
    return BigDecimal.valueOf(start == 1 ? -unscaled : unscaled, allowed);
  }

  /** Rejects minor units beyond {@link #MINOR_MAX} either way, naming the amount and currency. */
  private static void checkRange(BigInteger minor, CurrencyUnit currency) {
    if (minor.abs().compareTo(MINOR_MAX_BIG) > 0) {
      throw new IllegalArgumentException("Amount " + abbreviate(new BigDecimal(minor, scale(currency))
          .toPlainString()) + " " + currency.getCurrencyCode() + " is out of range: at most "
          + formatMinor(MINOR_MAX, currency) + " " + currency.getCurrencyCode());
    }
  }

  /** The minor units as a long, or IllegalArgumentException naming the amount when out of range. */
  public static long minorExact(BigInteger minor, CurrencyUnit currency) {
    checkRange(minor, currency);
    return minor.longValue();
  }

  /**
   * Whether {@code a + b} stays within a long: callers check before adding, so an overflow is
   * reported naming the entry, account and currency instead of wrapping.
   */
  public static boolean sumFits(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) >= 0;
  }

  /** The amount in minor units; throws if it has more decimals than the currency allows. */
  public static long toMinor(Money money) {
    BigDecimal number = money.getNumber().numberValue(BigDecimal.class);
    int scale = scale(money.getCurrency());
    if (number.scale() == scale && number.precision() <= 18) {
      return number.movePointRight(scale).longValue(); // the usual case, as parse() made it: no BigInteger
    }
    BigDecimal value = money.getNumberStripped();
    int allowed = scale(money.getCurrency());
    if (value.scale() > allowed) {
      throw new IllegalArgumentException(
          "Amount " + value.toPlainString() + " " + money.getCurrency() + " has more decimals than "
              + money.getCurrency() + " allows (" + allowed + ")");
    }
    BigInteger minor = value.movePointRight(allowed).toBigIntegerExact();
    return minorExact(minor, money.getCurrency());
  }

  public static Money ofMinor(long minor, CurrencyUnit currency) {
    return Money.of(BigDecimal.valueOf(minor, scale(currency)), currency);
  }

  /** The canonical decimal string of an amount, with exactly the currency's minor units. */
  public static String format(Money money) {
    return decimal(money).toPlainString();
  }

  public static BigDecimal decimal(Money money) {
    return money.getNumberStripped().setScale(scale(money.getCurrency()));
  }

  public static String formatMinor(long minor, CurrencyUnit currency) {
    return BigDecimal.valueOf(minor, scale(currency)).toPlainString();
  }

  public static String formatMinor(BigInteger minor, CurrencyUnit currency) {
    return new BigDecimal(minor, scale(currency)).toPlainString();
  }

  public static Money zero(CurrencyUnit currency) {
    return Money.of(BigDecimal.ZERO.setScale(scale(currency)), currency);
  }

  static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }
}
