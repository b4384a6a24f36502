package dev.ledger.reconcile;

import dev.ledger.money.Amounts;
import dev.ledger.statement.Source;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.money.CurrencyUnit;

/**
 * The match rules of one source (DESIGN section 4): a tolerance on the gross as an amount and/or a
 * percentage, the date-lag window in days (entries that far around the statement's period are
 * candidates, and bank value dates may differ by that much), whether lines and entries are also
 * matched by sum (one line to a batch of entries, several lines to one entry), and whether a fee is
 * checked against the rate the bill states. Immutable and thread-safe.
 *
 * <p>A rules file ({@code reconcile --rules FILE}) holds {@code name = value} lines, {@code #}
 * comments and blank lines; a name may be prefixed by a source ({@code wechatpay.tolerance = 0.01})
 * to apply to that source only, and such lines win over unprefixed ones. Names: {@code tolerance}
 * (an amount such as {@code 0.05} or a percentage such as {@code 1%}), {@code tolerance_amount},
 * {@code tolerance_percent}, {@code date_lag_days}, {@code match_by_sum} and
 * {@code check_fee_rate} ({@code true}/{@code false}). Amounts are decimal strings.
 */
public record MatchRules(BigDecimal toleranceAmount, BigDecimal tolerancePercent, int dateLagDays,
    boolean matchBySum, boolean checkFeeRate) {
  public static final int DATE_LAG_DAYS_MAX = 366;

  public MatchRules {
    Objects.requireNonNull(toleranceAmount, "toleranceAmount");
    Objects.requireNonNull(tolerancePercent, "tolerancePercent");
    if (toleranceAmount.signum() < 0) {
      throw new IllegalArgumentException("The tolerance must not be negative: " + toleranceAmount.toPlainString());
    }
    if (tolerancePercent.signum() < 0 || tolerancePercent.compareTo(BigDecimal.valueOf(100)) > 0) {
      throw new IllegalArgumentException("The tolerance percentage must be within 0..100: "
          + tolerancePercent.toPlainString());
    }
    if (dateLagDays < 0 || dateLagDays > DATE_LAG_DAYS_MAX) {
      throw new IllegalArgumentException("The date lag must be 0.." + DATE_LAG_DAYS_MAX + " days: " + dateLagDays);
    }
  }

  /** A source's defaults: exact amounts, its date-lag window, sums and fee-rate checks on. */
  public static MatchRules defaults(Source source) {
    return new MatchRules(BigDecimal.ZERO, BigDecimal.ZERO, source.profile().windowDaysDefault(), true, true);
  }

  /** These rules with a tolerance given as {@code 0.05} (an amount) or {@code 1%} (of the gross). */
  public MatchRules withTolerance(String tolerance) {
    String value = tolerance.trim();
    try {
      if (value.endsWith("%")) {
        return new MatchRules(BigDecimal.ZERO, new BigDecimal(value.substring(0, value.length() - 1).trim()),
            dateLagDays, matchBySum, checkFeeRate);
      }
      return new MatchRules(new BigDecimal(value), BigDecimal.ZERO, dateLagDays, matchBySum, checkFeeRate);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("A tolerance is an amount (0.05) or a percentage (1%): '" + tolerance + "'");
    }
  }

  public MatchRules withDateLagDays(int days) {
    return new MatchRules(toleranceAmount, tolerancePercent, days, matchBySum, checkFeeRate);
  }

  /**
   * The tolerance in the statement's currency; an amount finer than its minor units is refused,
   * never rounded.
   */
  public Tolerance tolerance(CurrencyUnit currency) {
    long absolute = 0;
    if (toleranceAmount.signum() != 0) {
      if (currency == null) {
        throw new IllegalArgumentException("A tolerance amount needs a statement currency, and the statement has none");
      }
      absolute = Amounts.toMinor(Amounts.parse(toleranceAmount.toPlainString(), currency));
    }
    return new Tolerance(absolute, tolerancePercent);
  }

  /** The rules of {@code source}: its defaults, overridden by the file's lines. */
  public static MatchRules load(Path file, Source source) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    MatchRules rules = defaults(source);
    // Unprefixed lines first, then the source's own, so a source line wins wherever it stands.
    for (boolean ownSource : new boolean[] {false, true}) {
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (i == 0 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String where = file.getFileName() + ":" + (i + 1) + ": ";
        int equals = line.indexOf('=');
        if (equals < 0) {
          throw new IllegalArgumentException(where + "expected 'name = value', found '" + line + "'");
        }
        String name = line.substring(0, equals).strip().toLowerCase(Locale.ROOT);
        String value = line.substring(equals + 1).strip();
        int dot = name.indexOf('.');
        if (dot >= 0) {
          String prefix = name.substring(0, dot);
          try {
            Source.parse(prefix);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "unknown source '" + prefix + "': use one of " + Source.names());
          }
          if (!ownSource || Source.parse(prefix) != source) {
            continue;
          }
          name = name.substring(dot + 1);
        } else if (ownSource) {
          continue;
        }
        try {
          rules = rules.with(name, value);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + e.getMessage(), e);
        }
      }
    }
    return rules;
  }

  private MatchRules with(String name, String value) {
    return switch (name) {
      case "tolerance" -> withTolerance(value);
      case "tolerance_amount" -> new MatchRules(decimal(name, value), tolerancePercent, dateLagDays, matchBySum,
          checkFeeRate);
      case "tolerance_percent" -> new MatchRules(toleranceAmount, decimal(name, value.replace("%", "").strip()),
          dateLagDays, matchBySum, checkFeeRate);
      case "date_lag_days" -> withDateLagDays(integer(name, value));
      case "match_by_sum" -> new MatchRules(toleranceAmount, tolerancePercent, dateLagDays, bool(name, value),
          checkFeeRate);
      case "check_fee_rate" -> new MatchRules(toleranceAmount, tolerancePercent, dateLagDays, matchBySum,
          bool(name, value));
      default -> throw new IllegalArgumentException("unknown rule '" + name + "': use tolerance, tolerance_amount,"
          + " tolerance_percent, date_lag_days, match_by_sum or check_fee_rate");
    };
  }

  private static BigDecimal decimal(String name, String value) {
    try {
      return new BigDecimal(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a decimal number: '" + value + "'");
    }
  }

  private static int integer(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number of days: '" + value + "'");
    }
  }

  private static boolean bool(String name, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new IllegalArgumentException(name + " must be true or false: '" + value + "'");
    };
  }
}
