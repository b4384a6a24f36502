package dev.ledger.statement;

import dev.ledger.money.Amounts;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import javax.money.CurrencyUnit;

/** Strict field conversions shared by the parsers; failures name file, line and column. */
final class Parsing {
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  private Parsing() {}

  /** A decimal string in minor units; more decimals than the currency has (non-zero) fail. */
  static long minor(String text, CurrencyUnit currency, String file, long line, String column) {
    try {
      BigDecimal value = Amounts.parseDecimal(text, currency);
      return value.unscaledValue().longValueExact();
    } catch (IllegalArgumentException e) {
      throw new StatementException(file, line, column + ": " + e.getMessage());
    } catch (ArithmeticException e) {
      throw new StatementException(file, line, column + ": amount out of range: " + text);
    }
  }

  static CurrencyUnit currency(String code, String file, long line) {
    try {
      return Amounts.currency(code);
    } catch (IllegalArgumentException e) {
      throw new StatementException(file, line, e.getMessage());
    }
  }

  /** "2024-09-12 10:15:02" (what both wallets write). */
  static LocalDateTime dateTime(String text, String file, long line, String column) {
    if (text.length() == 19 && text.charAt(10) == ' ') {
      try {
        return LocalDateTime.parse(text.substring(0, 10) + 'T' + text.substring(11));
      } catch (DateTimeParseException e) {
        // fall through to the message below
      }
    }
    throw new StatementException(
        file, line, column + ": invalid date-time '" + abbreviate(text) + "', expected yyyy-MM-dd HH:mm:ss");
  }

  static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }

  static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
