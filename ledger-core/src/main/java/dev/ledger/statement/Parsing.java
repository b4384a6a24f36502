package dev.ledger.statement;

import dev.ledger.money.Amounts;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneId;
import javax.money.CurrencyUnit;

/** Strict field conversions shared by the parsers; failures name file, line and column. */
public final class Parsing {
  public static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  private Parsing() {}

  /** A decimal string in minor units; more decimals than the currency has (non-zero) fail. */
  public static long minor(String text, CurrencyUnit currency, String file, long line, String column) {
    try {
      BigDecimal value = Amounts.parseDecimal(text, currency);
      return value.unscaledValue().longValueExact();
    } catch (IllegalArgumentException e) {
      throw new StatementException(file, line, column + ": " + e.getMessage());
    } catch (ArithmeticException e) {
      throw new StatementException(file, line, column + ": amount out of range: " + text);
    }
  }

  public static CurrencyUnit currency(String code, String file, long line) {
    try {
      return Amounts.currency(code);
    } catch (IllegalArgumentException e) {
      throw new StatementException(file, line, e.getMessage());
    }
  }

  /** "2024-09-12 10:15:02" (what both wallets write), parsed by hand: it is on every row. */
  public static LocalDateTime dateTime(String text, String file, long line, String column) {
    if (text.length() == 19 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == ' '
        && text.charAt(13) == ':' && text.charAt(16) == ':') {
      int y = digits(text, 0, 4);
      int mo = digits(text, 5, 7);
      int d = digits(text, 8, 10);
      int h = digits(text, 11, 13);
      int mi = digits(text, 14, 16);
      int s = digits(text, 17, 19);
      if (y >= 0 && mo >= 0 && d >= 0 && h >= 0 && mi >= 0 && s >= 0) {
        try {
          return LocalDateTime.of(y, mo, d, h, mi, s);
        } catch (java.time.DateTimeException e) {
          // fall through to the message below
        }
      }
    }
    throw new StatementException(
        file, line, column + ": invalid date-time '" + abbreviate(text) + "', expected yyyy-MM-dd HH:mm:ss");
  }

  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  public static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }

  public static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
