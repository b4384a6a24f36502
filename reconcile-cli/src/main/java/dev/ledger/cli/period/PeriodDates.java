package dev.ledger.cli.period;

import dev.ledger.cli.CliException;
import dev.ledger.cli.Dates;
import dev.ledger.cli.ExitCode;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * The one place where a period's DATE becomes the instant it ends and back: the end of that day
 * or month (its last microsecond) in the ledger's zone (or --tz).
 */
final class PeriodDates {
  /** A day (2024-09-30) or a month (2024-09): a period ends with a whole day. */
  private static final Pattern DAY_OR_MONTH = Pattern.compile("\\d{4}-\\d{2}(-\\d{2})?");

  private PeriodDates() {}

  /** Checks the form before the ledger is opened: a usage error naming {@code option}. */
  static void check(String option, String text) {
    if (!DAY_OR_MONTH.matcher(text).matches()) {
      throw new CliException(ExitCode.USAGE, "Invalid " + option + " '" + text
          + "': use a day like 2024-09-30 or a month like 2024-09 (the period ends with it, in the ledger's zone)");
    }
    Dates.check(option, text);
  }

  /** The last instant of the day or month {@code text} in {@code zone}. */
  static Instant endOf(String option, String text, ZoneId zone) {
    check(option, text);
    return Dates.end(option, text, zone);
  }

  /** The day a period ends with, when it ends with a whole day in the zone; else the instant itself. */
  static String label(Instant through, ZoneId zone) {
    Instant next = through.plus(1, ChronoUnit.MICROS);
    if (next.atZone(zone).toLocalTime().equals(LocalTime.MIDNIGHT)) {
      return through.atZone(zone).toLocalDate().toString();
    }
    return Dates.iso(through, zone);
  }
}
