package dev.ledger.cli.statements;

import dev.ledger.cli.CliException;
import dev.ledger.cli.ExitCode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns of a periodic report: calendar months, quarters or years in the ledger's zone,
 * the first starting at --from and the last ending at --as-of. Stateless and thread-safe.
 */
public final class Periods {
  /** Reports with more columns than this are refused: nobody reads them, and each is a query. */
  static final int MAX_PERIODS = 400;

  public enum Interval { MONTHLY, QUARTERLY, YEARLY }

  /** One column: effective times in [start, end]; start null means since the beginning. */
  public record Period(String label, Instant start, Instant end) {}

  private Periods() {}

  public static List<Period> of(Instant from, Instant to, Interval interval, ZoneId zone) {
    if (from.isAfter(to)) {
      throw new CliException(ExitCode.USAGE, "--from " + from.atZone(zone).toLocalDate() + " is after --as-of "
          + to.atZone(zone).toLocalDate());
    }
    List<Period> periods = new ArrayList<>();
    LocalDate first = from.atZone(zone).toLocalDate();
    LocalDate start = switch (interval) {
      case MONTHLY -> first.withDayOfMonth(1);
      case QUARTERLY -> first.withMonth((first.getMonthValue() - 1) / 3 * 3 + 1).withDayOfMonth(1);
      case YEARLY -> first.withDayOfYear(1);
    };
    while (!start.atStartOfDay(zone).toInstant().isAfter(to)) {
      LocalDate next = switch (interval) {
        case MONTHLY -> start.plusMonths(1);
        case QUARTERLY -> start.plusMonths(3);
        case YEARLY -> start.plusYears(1);
      };
      String label = switch (interval) {
        case MONTHLY -> start.toString().substring(0, 7);
        case QUARTERLY -> start.getYear() + "-Q" + start.get(IsoFields.QUARTER_OF_YEAR);
        case YEARLY -> Integer.toString(start.getYear());
      };
      Instant periodStart = start.atStartOfDay(zone).toInstant();
      Instant periodEnd = next.atStartOfDay(zone).toInstant().minus(1, ChronoUnit.MICROS);
      periods.add(new Period(label, periodStart.isBefore(from) ? from : periodStart,
          periodEnd.isAfter(to) ? to : periodEnd));
      if (periods.size() > MAX_PERIODS) {
        throw new CliException(ExitCode.USAGE, "The report would have more than " + MAX_PERIODS
            + " columns: narrow --from/--as-of or use a longer interval");
      }
      start = next;
    }
    return periods;
  }
}
