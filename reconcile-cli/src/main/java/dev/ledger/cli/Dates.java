package dev.ledger.cli;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * Times given to commands, read in the ledger's zone, and times shown by them.
 *
 * <p>Accepted forms: ISO-8601 with an offset ({@code 2024-09-12T10:15:02+08:00}); a local date-time
 * ({@code 2024-09-12T23:59:59}) in the zone; a date ({@code 2024-09-12}); a month
 * ({@code 2024-09}); {@code today}, {@code yesterday}, {@code now}. A date or month is a whole span:
 * an upper bound ({@code --as-of}, {@code --to}, {@code --known-at}) means its last microsecond
 * (the database's precision), a lower bound ({@code --from}) its first. A local time that a
 * daylight-saving change skips is moved forward by the gap; one that occurs twice means the
 * earlier. Stateless and thread-safe.
 */
public final class Dates {
  /** How tables show a time: in the zone, to the second. */
  public static final DateTimeFormatter TABLE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  /** Which end of a date or month a time option means. */
  public enum Bound {
    /** --from: the first instant of the span. */
    START,
    /** --as-of, --to, --known-at: the last microsecond of the span. */
    END
  }

  private Dates() {}

  /** The forms an option accepts, for usage messages. */
  public static String forms(ZoneId zone) {
    return "2024-09-12T10:15:02+08:00, 2024-09-12T23:59:59 (in " + zone.getId() + "), 2024-09-12 (a day), "
        + "2024-09 (a month), today, yesterday or now";
  }

  /** An upper bound (--as-of, --to, --known-at); null for null. */
  public static Instant end(String option, String text, ZoneId zone) {
    return parse(option, text, zone, Bound.END, Clock.systemUTC());
  }

  /** A lower bound (--from); null for null. */
  public static Instant start(String option, String text, ZoneId zone) {
    return parse(option, text, zone, Bound.START, Clock.systemUTC());
  }

  /** Checks the form only, before the ledger's zone is known (usage errors before connecting). */
  public static void check(String option, String text) {
    parse(option, text, ZoneId.of("UTC"), Bound.END, Clock.systemUTC());
  }

  /** Reads {@code text} as {@code bound} of what it names; a usage error (exit 2) names the option. */
  public static Instant parse(String option, String text, ZoneId zone, Bound bound, Clock clock) {
    if (text == null) {
      return null;
    }
    String value = text.strip();
    try {
      switch (value.toLowerCase(java.util.Locale.ROOT)) {
        case "now":
          return clock.instant().truncatedTo(ChronoUnit.MICROS);
        case "today":
          return day(LocalDate.now(clock.withZone(zone)), zone, bound);
        case "yesterday":
          return day(LocalDate.now(clock.withZone(zone)).minusDays(1), zone, bound);
        default:
          break;
      }
      if (MONTH.matcher(value).matches()) {
        YearMonth month = YearMonth.parse(value);
        return bound == Bound.START ? month.atDay(1).atStartOfDay(zone).toInstant()
            : lastMicro(month.plusMonths(1).atDay(1).atStartOfDay(zone));
      }
      if (DATE.matcher(value).matches()) {
        return day(LocalDate.parse(value), zone, bound);
      }
      if (value.indexOf('T') > 0 || value.indexOf(' ') > 0) {
        String iso = value.replace(' ', 'T');
        try {
          return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException noOffset) {
          // ZonedDateTime.of moves a time in a spring-forward gap by the gap, and takes the
          // earlier offset of an autumn overlap.
          return ZonedDateTime.of(LocalDateTime.parse(iso), zone).toInstant();
        }
      }
    } catch (DateTimeException invalid) {
      // the message below names the accepted forms
    }
    throw new CliException(ExitCode.USAGE, "Invalid " + option + " '" + text + "': use " + forms(zone));
  }

  private static Instant day(LocalDate date, ZoneId zone, Bound bound) {
    // atStartOfDay(zone) is right also where midnight does not exist (a DST change at 00:00).
    return bound == Bound.START ? date.atStartOfDay(zone).toInstant()
        : lastMicro(date.plusDays(1).atStartOfDay(zone));
  }

  private static Instant lastMicro(ZonedDateTime nextStart) {
    return nextStart.toInstant().minus(1, ChronoUnit.MICROS);
  }

  /** A time as tables show it: {@code 2024-09-12 09:11:19} in the zone. */
  public static String table(Instant time, ZoneId zone) {
    return time == null ? "" : TABLE.format(time.atZone(zone));
  }

  private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

  /**
   * A time as JSON and CSV carry it: ISO-8601 with the zone's offset at that instant ({@code Z} for
   * UTC), the fraction in groups of three digits as {@link Instant#toString()} writes it, so that
   * in UTC both read the same.
   */
  public static String iso(Instant time, ZoneId zone) {
    if (time == null) {
      return null;
    }
    ZonedDateTime at = time.atZone(zone);
    int nanos = at.getNano();
    String fraction = nanos == 0 ? ""
        : nanos % 1_000_000 == 0 ? String.format(".%03d", nanos / 1_000_000)
        : nanos % 1_000 == 0 ? String.format(".%06d", nanos / 1_000)
        : String.format(".%09d", nanos);
    return ISO_SECONDS.format(at) + fraction + at.getOffset().getId();
  }
}
