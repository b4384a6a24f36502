package dev.ledger.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Time arguments: ISO-8601 with offset, or a date meaning the end of that day in UTC. */
public final class Times {
  private Times() {}

  public static Instant parse(String option, String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException notATime) {
      try {
        return LocalDate.parse(text).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusNanos(1000);
      } catch (DateTimeParseException notADate) {
        throw new CliException(ExitCode.USAGE, "Invalid " + option + " '" + text
            + "': use 2024-09-12T10:15:02+08:00 or a date like 2024-09-12 (end of day, UTC)");
      }
    }
  }

  /** The start of a day for --from style options given as a date. */
  public static Instant parseStart(String option, String text) {
    if (text != null && text.length() == 10) {
      try {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e) {
        // fall through to the full parser for its message
      }
    }
    return parse(option, text);
  }
}
