package dev.ledger.cli.period;

import dev.ledger.cli.CliException;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Times;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The one place where a period's DATE becomes the instant it ends and back: the end of that day
 * (its last microsecond) in the ledger's zone, UTC until ledgers have a zone of their own; the
 * conversion itself is {@link Times}'s.
 */
final class PeriodDates {
  /** The zone of the ledger's days; Times converts in it too. */
  static final ZoneId ZONE = ZoneOffset.UTC;

  private PeriodDates() {}

  /** The last instant of the day {@code text} (2024-09-30), or a usage error naming {@code option}. */
  static Instant endOf(String option, String text) {
    try {
      LocalDate.parse(text);
    } catch (DateTimeParseException notADay) {
      throw new CliException(ExitCode.USAGE, "Invalid " + option + " '" + text
          + "': use a day like 2024-09-30 (the period ends with that day, " + ZONE.getId() + ")");
    }
    return Times.parse(option, text);
  }

  /** The day a period ends with, when it ends with a whole day in the zone; else the instant itself. */
  static String label(Instant through) {
    Instant next = through.plus(1, ChronoUnit.MICROS);
    if (next.atZone(ZONE).toLocalTime().equals(java.time.LocalTime.MIDNIGHT)) {
      return through.atZone(ZONE).toLocalDate().toString();
    }
    return through.toString();
  }
}
